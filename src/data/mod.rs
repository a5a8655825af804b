//! MNIST: the IDX reader, burn datasets and batcher, and where the files come from.

mod download;
mod error;
pub mod idx;
mod mnist;

pub use download::{
    DEFAULT_MIRRORS, MNIST_DIR_VAR, MNIST_FILES, MnistFile, MnistPaths, MnistSource, sha256_hex,
    verify,
};
pub use error::DataError;
pub use idx::{IMAGE_PIXELS, IMAGE_SIDE, decode_images, decode_labels, read_images, read_labels};
pub use mnist::{MnistBatch, MnistBatcher, MnistDataset, MnistItem};
