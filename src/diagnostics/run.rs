//! `diagnose`: the grid (or a user's network), measured at initialization.

use burn::data::dataset::Dataset;
use burn::tensor::{Device, Int, Tensor};
use thiserror::Error;

use super::grid::PairingReport;
use super::measure::{LayerSpec, measure, normal_inputs, random_labels};
use crate::data::{IMAGE_PIXELS, MnistBatcher, MnistDataset, MnistItem};
use crate::init::{GlorotUniform, InitError, Initializer, Seed, Zeros};
use crate::model::{Activation, MlpConfig, ModelError};

/// The shape of the deep MLP and of the batch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DiagnoseOptions {
    /// Hidden layers.
    pub depth: usize,
    /// Units per hidden layer.
    pub width: usize,
    /// Examples in the batch.
    pub batch: usize,
    /// Seed of the initializers, the labels and the normal inputs.
    pub seed: u64,
}

impl Default for DiagnoseOptions {
    fn default() -> Self {
        Self {
            depth: 50,
            width: 256,
            batch: 256,
            seed: 0,
        }
    }
}

/// Why a diagnosis could not run.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum DiagnoseError {
    /// Bad options, named.
    #[error("invalid option `{option}`: {message}")]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// What is wrong.
        message: String,
    },
    /// An initializer refused a shape.
    #[error(transparent)]
    Init(#[from] InitError),
    /// A model config that cannot be diagnosed.
    #[error(transparent)]
    Model(#[from] ModelError),
}

/// What the network is fed.
#[derive(Debug, Clone)]
pub enum Inputs {
    /// The first `batch` images of a dataset, flattened and scaled to `[0, 1]`.
    Mnist(MnistDataset),
    /// Standard normal inputs with 784 features.
    Normal,
}

impl Inputs {
    fn tensor(&self, batch: usize, seed: u64, device: &Device) -> Result<Tensor<2>, DiagnoseError> {
        match self {
            Inputs::Normal => Ok(normal_inputs(batch, IMAGE_PIXELS, seed, device)),
            Inputs::Mnist(dataset) => {
                let items: Vec<MnistItem> = (0..batch.min(dataset.len()))
                    .filter_map(|index| dataset.get(index).ok())
                    .collect();
                if items.is_empty() {
                    return Err(DiagnoseError::InvalidOption {
                        option: "data-dir",
                        message: "the dataset is empty".into(),
                    });
                }
                Ok(MnistBatcher::images(&items, device))
            }
        }
    }

    /// `mnist` or `normal`.
    pub fn name(&self) -> &'static str {
        match self {
            Inputs::Mnist(_) => "mnist",
            Inputs::Normal => "normal",
        }
    }
}

fn batch(
    inputs: &Inputs,
    options: &DiagnoseOptions,
    classes: usize,
    device: &Device,
) -> Result<(Tensor<2>, Tensor<1, Int>), DiagnoseError> {
    let images = inputs.tensor(options.batch, options.seed, device)?;
    let [rows, _] = images.dims();
    Ok((images, random_labels(rows, classes, options.seed, device)))
}

fn check(options: &DiagnoseOptions) -> Result<(), DiagnoseError> {
    for (option, value) in [
        ("depth", options.depth),
        ("width", options.width),
        ("batch", options.batch),
    ] {
        if value == 0 {
            return Err(DiagnoseError::InvalidOption {
                option,
                message: "must be at least 1".into(),
            });
        }
    }
    Ok(())
}

/// Measures every pairing of `initializers` × `activations` on a `depth × width` MLP with a
/// 10-class read-out (GlorotUniform, zero bias). `device` must have autodiff.
///
/// # Errors
/// Invalid options, and what the initializers reject.
pub fn diagnose_grid(
    initializers: &[(String, Initializer)],
    activations: &[Activation],
    options: &DiagnoseOptions,
    inputs: &Inputs,
    device: &Device,
) -> Result<Vec<PairingReport>, DiagnoseError> {
    check(options)?;
    let (images, labels) = batch(inputs, options, 10, device)?;
    let head = LayerSpec {
        units: 10,
        activation: Activation::Linear,
        kernel: GlorotUniform::new().into(),
        bias: Zeros.into(),
    };
    let mut reports = Vec::new();
    for (name, initializer) in initializers {
        for &activation in activations {
            let spec = LayerSpec {
                units: options.width,
                activation,
                kernel: *initializer,
                bias: Zeros.into(),
            };
            let layers = vec![spec; options.depth];
            let stats = measure(
                &layers,
                head,
                images.clone(),
                labels.clone(),
                Seed::fixed(options.seed),
            )?;
            reports.push(PairingReport::new(
                name.clone(),
                activation.name().into(),
                stats,
            ));
        }
    }
    Ok(reports)
}

/// Measures a network as its model config describes it: every layer but the last is a hidden
/// layer, the last is the read-out.
///
/// # Errors
/// What [`MlpConfig::validate`] rejects, a config of a single layer (nothing hidden to
/// measure), and what the initializers reject.
pub fn diagnose_config(
    config: &MlpConfig,
    options: &DiagnoseOptions,
    inputs: &Inputs,
    device: &Device,
) -> Result<PairingReport, DiagnoseError> {
    config.validate()?;
    if config.input_features() != IMAGE_PIXELS {
        return Err(ModelError::InvalidField {
            field: "input_shape".into(),
            message: format!("must flatten to {IMAGE_PIXELS} features to take MNIST-sized inputs"),
        }
        .into());
    }
    let Some((last, hidden)) = config
        .layers
        .split_last()
        .filter(|(_, hidden)| !hidden.is_empty())
    else {
        return Err(ModelError::InvalidField {
            field: "layers".into(),
            message: "needs at least one hidden layer before the output to diagnose".into(),
        }
        .into());
    };
    let spec = |layer: &crate::model::DenseConfig| LayerSpec {
        units: layer.units,
        activation: layer.activation,
        kernel: layer.kernel_initializer,
        bias: layer.bias_initializer,
    };
    let (images, labels) = batch(inputs, options, last.units, device)?;
    let seed = Seed::fixed(config.seed.unwrap_or(options.seed));
    let layers: Vec<LayerSpec> = hidden.iter().map(spec).collect();
    let stats = measure(&layers, spec(last), images, labels, seed)?;
    let kernels: Vec<&str> = hidden
        .iter()
        .map(|layer| layer.kernel_initializer.class_name())
        .collect();
    let activations: Vec<&str> = hidden.iter().map(|layer| layer.activation.name()).collect();
    Ok(PairingReport::new(
        kernels.join("/"),
        activations.join("/"),
        stats,
    ))
}
