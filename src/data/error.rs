//! Errors of the data layer: reading, locating and downloading MNIST.

use std::path::PathBuf;

use thiserror::Error;

/// Everything that can go wrong with the data, each naming the file it concerns.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DataError {
    /// The file could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The IDX magic number is not the expected one.
    #[error("{}: not an IDX {kind} file (magic number {found:#010x}, expected {expected:#010x} = {expected})", path.display())]
    BadMagic {
        /// The file.
        path: PathBuf,
        /// What the file should hold ("images" or "labels").
        kind: &'static str,
        /// The magic number read.
        found: u32,
        /// The magic number expected (2051 for images, 2049 for labels).
        expected: u32,
    },
    /// The header ends early or the dimensions are not the expected ones.
    #[error("{}: {message}", path.display())]
    BadHeader {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The payload is shorter or longer than the header says.
    #[error("{}: header promises {expected} data bytes, file holds {found}{}", path.display(), if *found > *expected { " or more" } else { "" })]
    WrongLength {
        /// The file.
        path: PathBuf,
        /// Bytes the header promises.
        expected: u64,
        /// Bytes found (capped at `expected + 1`).
        found: u64,
    },
    /// A label outside 0–9.
    #[error("{}: label {label} at index {index} is not a digit 0-9", path.display())]
    BadLabel {
        /// The file.
        path: PathBuf,
        /// The item's index.
        index: usize,
        /// The label read.
        label: u8,
    },
    /// The image and label files hold different numbers of items.
    #[error("{} holds {images} images but {} holds {labels} labels", images_path.display(), labels_path.display())]
    CountMismatch {
        /// The image file.
        images_path: PathBuf,
        /// Its count.
        images: usize,
        /// The label file.
        labels_path: PathBuf,
        /// Its count.
        labels: usize,
    },
    /// A file's SHA-256 is not the published one.
    #[error("{}: SHA-256 {found} does not match the published {expected}", path.display())]
    Checksum {
        /// The file.
        path: PathBuf,
        /// The digest computed.
        found: String,
        /// The published digest.
        expected: String,
    },
    /// The files are nowhere to be found and could not be downloaded.
    #[error("{0}")]
    Unavailable(String),
}

impl DataError {
    /// Wraps an I/O error with the file it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        DataError::Io {
            path: path.into(),
            source,
        }
    }
}
