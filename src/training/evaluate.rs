//! Evaluating a model on a dataset, and predicting digits.

use burn::data::dataloader::batcher::Batcher;
use burn::data::dataset::Dataset;
use burn::tensor::{Device, Tensor};
use thiserror::Error;

use crate::data::{MnistBatcher, MnistDataset, MnistItem};
use crate::model::Mlp;

/// The figures of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// Fraction of examples whose most probable class is the label.
    pub accuracy: f64,
    /// Mean cross-entropy.
    pub loss: f64,
    /// Examples evaluated.
    pub examples: usize,
}

/// An evaluation that could not run.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum EvaluationError {
    /// Nothing to evaluate.
    #[error("the dataset to evaluate on is empty")]
    Empty,
    /// A tensor could not be read back from the device.
    #[error("reading results from the device failed: {0}")]
    Readback(String),
}

/// Accuracy and mean loss of `model` on `dataset`, in batches of `batch_size`.
///
/// # Errors
/// [`EvaluationError::Empty`] for an empty dataset; [`EvaluationError::Readback`] when the
/// device fails to return results.
pub fn evaluate(
    model: &Mlp,
    dataset: &MnistDataset,
    device: &Device,
    batch_size: usize,
) -> Result<Evaluation, EvaluationError> {
    let total = dataset.len();
    if total == 0 {
        return Err(EvaluationError::Empty);
    }
    let (mut correct, mut loss_sum) = (0usize, 0.0f64);
    let indices: Vec<usize> = (0..total).collect();
    for chunk in indices.chunks(batch_size.max(1)) {
        let items: Vec<MnistItem> = chunk.iter().filter_map(|&i| dataset.get(i).ok()).collect();
        let labels: Vec<u8> = items.iter().map(|item| item.label).collect();
        let batch = MnistBatcher.batch(items, device);
        let logits = model.logits(batch.images); // [batch, 10]
        let loss = model.loss(logits.clone(), batch.targets);
        let loss: f32 = read_scalar(loss)?;
        loss_sum += f64::from(loss) * chunk.len() as f64;
        let predicted = read_ints(logits.argmax(1).flatten::<1>(0, 1))?;
        correct += predicted
            .iter()
            .zip(&labels)
            .filter(|(p, l)| **p == i64::from(**l))
            .count();
    }
    Ok(Evaluation {
        accuracy: correct as f64 / total as f64,
        loss: loss_sum / total as f64,
        examples: total,
    })
}

/// Class probabilities for each image (pixels 0–255, 784 per image): `[n][classes]`.
///
/// # Errors
/// [`EvaluationError::Readback`] when the device fails to return results.
pub fn predict(
    model: &Mlp,
    images: &[Vec<u8>],
    device: &Device,
) -> Result<Vec<Vec<f32>>, EvaluationError> {
    if images.is_empty() {
        return Err(EvaluationError::Empty);
    }
    let probabilities = model.predict(MnistBatcher::pixels(images, device));
    let [rows, cols] = probabilities.dims();
    let flat: Vec<f32> = probabilities
        .into_data()
        .try_to_vec::<f32>()
        .map_err(|error| EvaluationError::Readback(format!("{error:?}")))?;
    Ok((0..rows)
        .map(|row| flat[row * cols..(row + 1) * cols].to_vec())
        .collect())
}

fn read_scalar(tensor: Tensor<1>) -> Result<f32, EvaluationError> {
    tensor
        .into_data()
        .try_to_vec::<f32>()
        .map_err(|error| EvaluationError::Readback(format!("{error:?}")))?
        .first()
        .copied()
        .ok_or_else(|| EvaluationError::Readback("empty loss tensor".into()))
}

fn read_ints(tensor: Tensor<1, burn::tensor::Int>) -> Result<Vec<i64>, EvaluationError> {
    let data = tensor.into_data().convert::<i64>();
    data.try_to_vec::<i64>()
        .map_err(|error| EvaluationError::Readback(format!("{error:?}")))
}
