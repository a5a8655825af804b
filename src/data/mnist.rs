//! MNIST as burn [`Dataset`]s and a [`Batcher`].

use std::path::Path;
use std::sync::Arc;

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataset::{Dataset, DatasetError};
use burn::tensor::{Device, Int, Tensor, TensorData};

use super::error::DataError;
use super::idx::{IMAGE_PIXELS, read_images, read_labels};

/// One MNIST example: 784 pixels (0–255, row-major 28 × 28) and its digit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MnistItem {
    /// The pixels, row-major.
    pub pixels: Vec<u8>,
    /// The digit, 0–9.
    pub label: u8,
}

/// A validated set of MNIST images and labels, held in memory and shared cheaply.
#[derive(Debug, Clone)]
pub struct MnistDataset {
    pixels: Arc<Vec<u8>>,
    labels: Arc<Vec<u8>>,
    len: usize,
}

impl MnistDataset {
    /// Reads and cross-checks an image file and a label file (gzipped or raw IDX).
    ///
    /// # Errors
    /// Any [`DataError`] of the reader, and [`DataError::CountMismatch`] when the files hold
    /// different numbers of items.
    pub fn load(images_path: &Path, labels_path: &Path) -> Result<Self, DataError> {
        let images = read_images(images_path)?;
        let labels = read_labels(labels_path)?;
        if images.count != labels.len() {
            return Err(DataError::CountMismatch {
                images_path: images_path.to_path_buf(),
                images: images.count,
                labels_path: labels_path.to_path_buf(),
                labels: labels.len(),
            });
        }
        Ok(Self::from_parts(images.pixels, labels))
    }

    /// A dataset from raw parts: `labels.len()` images of 784 pixels each.
    ///
    /// # Panics
    /// If `pixels.len() != 784 · labels.len()` (a programming error, not a data error).
    pub fn from_parts(pixels: Vec<u8>, labels: Vec<u8>) -> Self {
        assert_eq!(
            pixels.len(),
            labels.len() * IMAGE_PIXELS,
            "784 pixels per label"
        );
        let len = labels.len();
        Self {
            pixels: Arc::new(pixels),
            labels: Arc::new(labels),
            len,
        }
    }

    /// The first `limit` items (all of them when `limit` is larger).
    pub fn limit(mut self, limit: usize) -> Self {
        self.len = self.len.min(limit);
        self
    }

    /// The label of item `index`.
    pub fn label(&self, index: usize) -> Option<u8> {
        (index < self.len).then(|| self.labels[index])
    }
}

impl MnistDataset {
    /// The pixels of item `index`, borrowed.
    fn image(&self, index: usize) -> Result<&[u8], DatasetError> {
        if index >= self.len {
            return Err(DatasetError::new(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("MNIST index {index} out of bounds (len {})", self.len),
            )));
        }
        let start = index * IMAGE_PIXELS;
        Ok(&self.pixels[start..start + IMAGE_PIXELS])
    }

    /// The items at `indices` as one batch, read straight from the dataset's buffers: what
    /// [`MnistBatcher`] makes of the same items, without copying each image into an item first.
    ///
    /// # Errors
    /// An index out of bounds.
    pub fn batch(&self, indices: &[usize], device: &Device) -> Result<MnistBatch, DatasetError> {
        let images = indices
            .iter()
            .map(|&index| self.image(index))
            .collect::<Result<Vec<_>, _>>()?;
        let labels = indices.iter().map(|&index| self.labels[index]);
        Ok(MnistBatch {
            images: MnistBatcher::pixels(&images, device),
            targets: MnistBatcher::targets(labels, device),
        })
    }
}

impl Dataset<MnistItem> for MnistDataset {
    fn get(&self, index: usize) -> Result<MnistItem, DatasetError> {
        Ok(MnistItem {
            pixels: self.image(index)?.to_vec(),
            label: self.labels[index],
        })
    }

    fn len(&self) -> usize {
        self.len
    }
}

/// A batch: images flattened and scaled to `[0, 1]`, and their digits.
#[derive(Debug, Clone)]
pub struct MnistBatch {
    /// `[batch, 784]`, pixel / 255.
    pub images: Tensor<2>,
    /// `[batch]`, the digits.
    pub targets: Tensor<1, Int>,
}

/// Turns [`MnistItem`]s into an [`MnistBatch`] on a device.
#[derive(Debug, Clone, Copy, Default)]
pub struct MnistBatcher;

impl MnistBatcher {
    /// Scales pixels to `[0, 1]` like the Keras example (`x / 255`), flattened: `[n, 784]`.
    pub fn images(items: &[MnistItem], device: &Device) -> Tensor<2> {
        let pixels: Vec<&[u8]> = items.iter().map(|item| item.pixels.as_slice()).collect();
        Self::pixels(&pixels, device)
    }

    /// The same for raw images of 784 pixels each (0–255), with no label.
    pub fn pixels<P: AsRef<[u8]>>(images: &[P], device: &Device) -> Tensor<2> {
        let mut values = Vec::with_capacity(images.len() * IMAGE_PIXELS);
        for image in images {
            values.extend(image.as_ref().iter().map(|&p| f32::from(p) / 255.0));
        }
        Tensor::from_data(
            TensorData::new(values, [images.len(), IMAGE_PIXELS]),
            device,
        )
    }

    /// The digits as the `[n]` integer targets of the loss.
    pub fn targets(labels: impl ExactSizeIterator<Item = u8>, device: &Device) -> Tensor<1, Int> {
        let count = labels.len();
        let labels: Vec<i64> = labels.map(i64::from).collect();
        Tensor::from_data(TensorData::new(labels, [count]), device)
    }
}

impl Batcher<MnistItem, MnistBatch> for MnistBatcher {
    fn batch(&self, items: Vec<MnistItem>, device: &Device) -> MnistBatch {
        MnistBatch {
            images: Self::images(&items, device),
            targets: Self::targets(items.iter().map(|item| item.label), device),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_batch_from_indices_is_the_batcher_of_the_same_items() {
        let pixels: Vec<u8> = (0..5 * IMAGE_PIXELS).map(|i| (i * 7 % 256) as u8).collect();
        let dataset = MnistDataset::from_parts(pixels, vec![3, 1, 4, 1, 5]);
        let device = Device::flex();
        let indices = [4, 0, 2];
        let direct = dataset.batch(&indices, &device).unwrap();
        let items = indices.iter().map(|&i| dataset.get(i).unwrap()).collect();
        let batched = MnistBatcher.batch(items, &device);
        assert_eq!(direct.images.into_data(), batched.images.into_data());
        assert_eq!(direct.targets.into_data(), batched.targets.into_data());
        assert!(dataset.batch(&[0, 5], &device).is_err());
    }
}
