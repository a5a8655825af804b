//! A validating reader of the IDX files MNIST ships in (LeCun et al., 1998), gzipped or raw.
//!
//! Format: a big-endian `u32` magic `0x0000_08nn` (`08` = unsigned bytes, `nn` = number of
//! dimensions), `nn` big-endian `u32` dimensions, then the bytes row-major. MNIST images are
//! magic 2051 with dims `[count, 28, 28]`, labels magic 2049 with dims `[count]`.
//!
//! The reader never trusts the header: the payload length is checked against it before
//! anything of that size is allocated (a header claiming 10⁹ images in a 1 KB file fails at
//! once), and a gzip stream is read with a cap of one byte past what the header promises.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use flate2::read::GzDecoder;

use super::error::DataError;

/// Magic number of an IDX file of unsigned-byte images (3 dimensions).
pub const IMAGES_MAGIC: u32 = 2051;
/// Magic number of an IDX file of unsigned-byte labels (1 dimension).
pub const LABELS_MAGIC: u32 = 2049;
/// MNIST's image side, in pixels.
pub const IMAGE_SIDE: usize = 28;
/// Pixels per MNIST image.
pub const IMAGE_PIXELS: usize = IMAGE_SIDE * IMAGE_SIDE;

/// Images read from an IDX file: `count` row-major `rows × cols` byte images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxImages {
    /// Number of images.
    pub count: usize,
    /// Rows per image.
    pub rows: usize,
    /// Columns per image.
    pub cols: usize,
    /// `count · rows · cols` pixels, 0–255.
    pub pixels: Vec<u8>,
}

/// Reads an IDX image file and checks that its images are `28 × 28`.
pub fn read_images(path: &Path) -> Result<IdxImages, DataError> {
    let (dims, pixels) = read_idx(path, IMAGES_MAGIC, "images")?;
    images_from(dims, pixels, path)
}

/// [`read_images`] on bytes already in memory (plain or gzipped); `origin` names them in
/// errors.
pub fn decode_images(bytes: &[u8], origin: &Path) -> Result<IdxImages, DataError> {
    let (dims, pixels) = decode_idx(bytes, bytes.len() as u64, origin, IMAGES_MAGIC, "images")?;
    images_from(dims, pixels, origin)
}

fn images_from(dims: Vec<usize>, pixels: Vec<u8>, path: &Path) -> Result<IdxImages, DataError> {
    let [count, rows, cols] = dims[..] else {
        unreachable!("decode_idx checked the rank against the magic number")
    };
    if (rows, cols) != (IMAGE_SIDE, IMAGE_SIDE) {
        return Err(DataError::BadHeader {
            path: path.to_path_buf(),
            message: format!("images are {rows}x{cols}, MNIST's are 28x28"),
        });
    }
    Ok(IdxImages {
        count,
        rows,
        cols,
        pixels,
    })
}

/// Reads an IDX label file and checks every label is a digit 0–9.
pub fn read_labels(path: &Path) -> Result<Vec<u8>, DataError> {
    let (_, labels) = read_idx(path, LABELS_MAGIC, "labels")?;
    labels_from(labels, path)
}

/// [`read_labels`] on bytes already in memory (plain or gzipped); `origin` names them in
/// errors.
pub fn decode_labels(bytes: &[u8], origin: &Path) -> Result<Vec<u8>, DataError> {
    let (_, labels) = decode_idx(bytes, bytes.len() as u64, origin, LABELS_MAGIC, "labels")?;
    labels_from(labels, origin)
}

fn labels_from(labels: Vec<u8>, path: &Path) -> Result<Vec<u8>, DataError> {
    if let Some((index, &label)) = labels.iter().enumerate().find(|(_, label)| **label > 9) {
        return Err(DataError::BadLabel {
            path: path.to_path_buf(),
            index,
            label,
        });
    }
    Ok(labels)
}

/// Reads any unsigned-byte IDX file with the given magic number: `(dims, bytes)`.
pub fn read_idx(
    path: &Path,
    magic: u32,
    kind: &'static str,
) -> Result<(Vec<usize>, Vec<u8>), DataError> {
    let file = File::open(path).map_err(|error| DataError::io(path, error))?;
    let file_len = file
        .metadata()
        .map_err(|error| DataError::io(path, error))?
        .len();
    decode_idx(BufReader::new(file), file_len, path, magic, kind)
}

/// Deflate expands data at most about 1032-fold; a gzipped file cannot hold more than this
/// many bytes per byte of its own (with room for the gzip header).
const GZIP_MAX_EXPANSION: u64 = 1032;

/// Decodes an unsigned-byte IDX stream of `stream_len` bytes (plain or gzipped), whose header
/// must carry `magic`. Nothing is allocated beyond what the stream's own length can justify: a
/// header claiming more data than the file can hold fails before any data is read.
pub fn decode_idx(
    mut reader: impl Read,
    stream_len: u64,
    path: &Path,
    magic: u32,
    kind: &'static str,
) -> Result<(Vec<usize>, Vec<u8>), DataError> {
    let file_len = stream_len;
    let mut head = [0u8; 2];
    let peeked = read_up_to(&mut reader, &mut head, path)?;
    let gzipped = peeked == 2 && head == [0x1f, 0x8b];
    let rest = std::io::Cursor::new(head[..peeked].to_vec()).chain(reader);
    let mut stream: Box<dyn Read> = if gzipped {
        Box::new(GzDecoder::new(rest))
    } else {
        Box::new(rest)
    };

    let header = |message: String| DataError::BadHeader {
        path: path.to_path_buf(),
        message,
    };
    let found = read_u32(&mut stream, path)?
        .ok_or_else(|| header("file ends before the 4-byte magic number".into()))?;
    if found != magic {
        return Err(DataError::BadMagic {
            path: path.to_path_buf(),
            kind,
            found,
            expected: magic,
        });
    }
    let rank = (magic & 0xff) as usize;
    let mut dims = Vec::with_capacity(rank);
    for axis in 0..rank {
        let dim = read_u32(&mut stream, path)?
            .ok_or_else(|| header(format!("header ends before dimension {axis} of {rank}")))?;
        dims.push(dim as usize);
    }
    let expected = dims
        .iter()
        .try_fold(1u64, |total, &dim| total.checked_mul(dim as u64))
        .ok_or_else(|| header(format!("dimensions {dims:?} overflow")))?;
    let header_len = 4 * (1 + rank as u64);
    if !gzipped && file_len.saturating_sub(header_len) != expected {
        return Err(DataError::WrongLength {
            path: path.to_path_buf(),
            expected,
            found: file_len.saturating_sub(header_len),
        });
    }
    let most = file_len.saturating_mul(GZIP_MAX_EXPANSION);
    if gzipped && expected.saturating_add(header_len) > most {
        return Err(header(format!(
            "dimensions {dims:?} claim {expected} bytes of data, more than a {file_len}-byte \
             gzip file can hold (at most {most})"
        )));
    }
    // Never allocate what the header claims before the data proves it: read with a cap.
    let mut data = Vec::new();
    stream
        .take(expected.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(|error| DataError::io(path, error))?;
    if data.len() as u64 != expected {
        return Err(DataError::WrongLength {
            path: path.to_path_buf(),
            expected,
            found: data.len() as u64,
        });
    }
    Ok((dims, data))
}

/// Reads a big-endian `u32`, or `None` at a clean or partial end of file.
fn read_u32(reader: &mut impl Read, path: &Path) -> Result<Option<u32>, DataError> {
    let mut bytes = [0u8; 4];
    let read = read_up_to(reader, &mut bytes, path)?;
    Ok((read == 4).then(|| u32::from_be_bytes(bytes)))
}

/// Fills `buffer` as far as the stream allows; returns the number of bytes read.
fn read_up_to(reader: &mut impl Read, buffer: &mut [u8], path: &Path) -> Result<usize, DataError> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(read) => filled += read,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(DataError::io(path, error)),
        }
    }
    Ok(filled)
}
