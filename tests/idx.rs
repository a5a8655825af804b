//! The IDX reader on small generated files: good, gzipped, truncated, wrong magic, wrong
//! dims, mismatched counts, bad labels, and headers that lie about their size.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use burn::data::dataset::Dataset;
use burn_init::data::{DataError, MnistDataset, read_images, read_labels};
use flate2::Compression;
use flate2::write::GzEncoder;

fn idx(magic: u32, dims: &[u32], payload: &[u8]) -> Vec<u8> {
    let mut bytes = magic.to_be_bytes().to_vec();
    for dim in dims {
        bytes.extend(dim.to_be_bytes());
    }
    bytes.extend(payload);
    bytes
}

fn images(count: u32) -> Vec<u8> {
    let pixels: Vec<u8> = (0..count * 784).map(|i| (i % 256) as u8).collect();
    idx(2051, &[count, 28, 28], &pixels)
}

fn labels(values: &[u8]) -> Vec<u8> {
    idx(2049, &[values.len() as u32], values)
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn good_files_read_raw_and_gzipped() {
    let dir = tempfile::tempdir().unwrap();
    for (suffix, encode) in [("", false), (".gz", true)] {
        let bytes = |raw: Vec<u8>| if encode { gzip(&raw) } else { raw };
        let image_path = write(dir.path(), &format!("images{suffix}"), &bytes(images(3)));
        let label_path = write(
            dir.path(),
            &format!("labels{suffix}"),
            &bytes(labels(&[7, 0, 9])),
        );
        let read = read_images(&image_path).unwrap();
        assert_eq!((read.count, read.rows, read.cols), (3, 28, 28));
        assert_eq!(read.pixels[785], (785 % 256) as u8);
        assert_eq!(read_labels(&label_path).unwrap(), vec![7, 0, 9]);
        let dataset = MnistDataset::load(&image_path, &label_path).unwrap();
        assert_eq!(dataset.len(), 3);
        assert_eq!(dataset.get(2).unwrap().label, 9);
        assert!(dataset.get(3).is_err());
    }
}

#[test]
fn truncated_files_name_the_file_and_the_shortfall() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = images(2);
    bytes.truncate(bytes.len() - 10);
    for (name, content) in [("short", bytes.clone()), ("short.gz", gzip(&bytes))] {
        let path = write(dir.path(), name, &content);
        let error = read_images(&path).unwrap_err();
        assert!(
            matches!(
                error,
                DataError::WrongLength {
                    expected: 1568,
                    found: 1558,
                    ..
                }
            ),
            "{error}"
        );
        assert!(error.to_string().contains(name), "{error}");
    }
    let header_only = write(dir.path(), "header", &2051u32.to_be_bytes()[..3]);
    assert!(matches!(
        read_images(&header_only),
        Err(DataError::BadHeader { .. })
    ));
    let no_dims = write(dir.path(), "dims", &idx(2051, &[2, 28], &[]));
    assert!(matches!(
        read_images(&no_dims),
        Err(DataError::BadHeader { .. })
    ));
}

#[test]
fn trailing_bytes_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let mut bytes = labels(&[1, 2]);
    bytes.push(3);
    let path = write(dir.path(), "long", &bytes);
    assert!(matches!(
        read_labels(&path),
        Err(DataError::WrongLength { .. })
    ));
    let path = write(dir.path(), "long.gz", &gzip(&bytes));
    assert!(matches!(
        read_labels(&path),
        Err(DataError::WrongLength { .. })
    ));
}

#[test]
fn wrong_magic_numbers_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let labels_as_images = write(dir.path(), "labels", &labels(&[1]));
    let error = read_images(&labels_as_images).unwrap_err();
    assert!(
        matches!(
            error,
            DataError::BadMagic {
                found: 2049,
                expected: 2051,
                ..
            }
        ),
        "{error}"
    );
    let text = write(dir.path(), "text", b"hello, world");
    assert!(matches!(
        read_labels(&text),
        Err(DataError::BadMagic { .. })
    ));
}

#[test]
fn wrong_image_dimensions_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "small", &idx(2051, &[1, 27, 28], &[0; 27 * 28]));
    let error = read_images(&path).unwrap_err();
    assert!(error.to_string().contains("27x28"), "{error}");
}

#[test]
fn mismatched_counts_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let image_path = write(dir.path(), "images", &images(3));
    let label_path = write(dir.path(), "labels", &labels(&[1, 2]));
    let error = MnistDataset::load(&image_path, &label_path).unwrap_err();
    assert!(
        matches!(
            error,
            DataError::CountMismatch {
                images: 3,
                labels: 2,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn labels_outside_0_to_9_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "labels", &labels(&[1, 2, 10]));
    let error = read_labels(&path).unwrap_err();
    assert!(
        matches!(
            error,
            DataError::BadLabel {
                index: 2,
                label: 10,
                ..
            }
        ),
        "{error}"
    );
}

#[test]
fn lying_headers_fail_fast_without_allocating_the_claim() {
    let dir = tempfile::tempdir().unwrap();
    // 10⁹ images of 784 bytes claimed in a file of 1 KB.
    let liar = idx(2051, &[1_000_000_000, 28, 28], &[0; 1000]);
    for (name, content) in [("liar", liar.clone()), ("liar.gz", gzip(&liar))] {
        let path = write(dir.path(), name, &content);
        let started = Instant::now();
        let error = read_images(&path).unwrap_err();
        if name.ends_with(".gz") {
            // Refused from the header alone: 784 GB cannot come out of a 1 KB gzip file.
            assert!(matches!(error, DataError::BadHeader { .. }), "{error}");
            assert!(error.to_string().contains("gzip file can hold"), "{error}");
        } else {
            assert!(matches!(error, DataError::WrongLength { .. }), "{error}");
        }
        assert!(
            started.elapsed().as_secs_f64() < 1.0,
            "{name} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn missing_files_are_io_errors_naming_the_file() {
    let error = read_images(Path::new("/nonexistent/train-images")).unwrap_err();
    assert!(matches!(error, DataError::Io { .. }));
    assert!(
        error.to_string().contains("/nonexistent/train-images"),
        "{error}"
    );
}
