//! The multilayer perceptron: one module type for every burn device.

use burn::module::Module;
use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig};
use burn::tensor::activation::softmax;
use burn::tensor::{Device, Int, Tensor};

use super::activation::Activation;
use super::config::{MlpConfig, ModelError};
use crate::init::{InitWith, Seed};

/// Dense layers with their activations. Built by [`MlpConfig::init`].
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Linear>,
    #[module(skip)]
    activations: Vec<Activation>,
}

impl MlpConfig {
    /// Validates the config and builds the model on `device` with the configured initializers.
    ///
    /// Kernel and bias values are generated on the host from their seeds, so a seeded config
    /// gives the same model, bit for bit, on every device.
    ///
    /// # Errors
    /// What [`MlpConfig::validate`] rejects, and [`ModelError::Initializer`] when an
    /// initializer refuses a layer's shape.
    pub fn init(&self, device: &Device) -> Result<Mlp, ModelError> {
        self.validate()?;
        let model_seed = self.seed.map(Seed::fixed);
        let mut d_input = self.input_features();
        let mut layers = Vec::with_capacity(self.layers.len());
        for (index, layer) in self.layers.iter().enumerate() {
            let (mut kernel, mut bias) = (layer.kernel_initializer, layer.bias_initializer);
            if let Some(seed) = model_seed {
                kernel = kernel.or_seed(seed.derive(2 * index as u64));
                bias = bias.or_seed(seed.derive(2 * index as u64 + 1));
            }
            let linear = LinearConfig::new(d_input, layer.units)
                .init_with_bias(&kernel, &bias, device)
                .map_err(|source| ModelError::Initializer {
                    field: format!("layers[{index}]"),
                    source,
                })?;
            layers.push(linear);
            d_input = layer.units;
        }
        Ok(Mlp {
            layers,
            activations: self.layers.iter().map(|layer| layer.activation).collect(),
        })
    }
}

impl Mlp {
    /// The output layer's pre-activation: the logits.
    ///
    /// # Shapes
    /// - images: `[batch, input_features]` (flattened)
    /// - returns: `[batch, classes]`
    pub fn logits(&self, images: Tensor<2>) -> Tensor<2> {
        let last = self.layers.len() - 1;
        let mut x = images;
        for (index, (layer, activation)) in self.layers.iter().zip(&self.activations).enumerate() {
            x = layer.forward(x); // [batch, units]
            if index < last {
                x = activation.apply(x);
            }
        }
        x
    }

    /// Class probabilities: softmax of the logits (the output layer's activation, applied here
    /// rather than in [`Mlp::logits`] so the loss can work on logits).
    ///
    /// # Shapes
    /// - images: `[batch, input_features]`
    /// - returns: `[batch, classes]`, rows summing to 1
    pub fn predict(&self, images: Tensor<2>) -> Tensor<2> {
        softmax(self.logits(images), 1)
    }

    /// Sparse categorical cross-entropy of the logits against integer labels:
    /// `-mean(log softmax(z)[y])`, computed with a log-sum-exp, so it equals Keras's
    /// `softmax` + `SparseCategoricalCrossentropy()` without its clipping of probabilities.
    ///
    /// # Shapes
    /// - logits: `[batch, classes]`, targets: `[batch]`
    /// - returns: `[1]`
    pub fn loss(&self, logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
        CrossEntropyLossConfig::new()
            .init(&logits.device())
            .forward(logits, targets)
    }

    /// The number of dense layers.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }
}
