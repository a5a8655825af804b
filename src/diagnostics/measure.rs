//! Building a deep MLP at initialization and measuring, layer by layer, the spread of its
//! pre-activations, activations and weight gradients.

use burn::nn::loss::CrossEntropyLossConfig;
use burn::nn::{Linear, LinearConfig};
use burn::tensor::{Device, Int, Tensor, TensorData};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use crate::init::{InitError, InitWith, Initializer, Seed};
use crate::model::Activation;

/// One hidden layer of the network to diagnose.
#[derive(Debug, Clone, Copy)]
pub struct LayerSpec {
    /// Output features.
    pub units: usize,
    /// Activation after the affine map.
    pub activation: Activation,
    /// Kernel initializer.
    pub kernel: Initializer,
    /// Bias initializer.
    pub bias: Initializer,
}

/// The figures of one layer at initialization.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LayerStats {
    /// 1-based layer index.
    pub layer: usize,
    /// Standard deviation of the pre-activations `z = xW + b` over the batch and units.
    pub pre_activation_std: f64,
    /// Standard deviation of the activations `f(z)`.
    pub activation_std: f64,
    /// Standard deviation of `∂loss/∂W` over the weight matrix.
    pub weight_gradient_std: f64,
}

/// Standard normal inputs, `[batch, features]`, from a seed.
pub fn normal_inputs(batch: usize, features: usize, seed: u64, device: &Device) -> Tensor<2> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let values: Vec<f32> = (0..batch * features)
        .map(|_| rng.sample::<f64, _>(rand_distr::StandardNormal) as f32)
        .collect();
    Tensor::from_data(TensorData::new(values, [batch, features]), device)
}

/// Random labels in `0..classes`, from a seed.
pub fn random_labels(batch: usize, classes: usize, seed: u64, device: &Device) -> Tensor<1, Int> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5eed_1abe_1500);
    let labels: Vec<i64> = (0..batch)
        .map(|_| rng.random_range(0..classes as i64))
        .collect();
    Tensor::from_data(TensorData::new(labels, [batch]), device)
}

/// Runs `inputs` through the hidden `layers` and the linear read-out `head` (its activation is
/// ignored: the loss takes its logits), takes a cross-entropy on `labels`, back-propagates, and
/// returns each hidden layer's figures.
///
/// `device` must have autodiff. Each layer's initializers get `seed.derive(layer)` unless they
/// carry their own seed.
///
/// # Errors
/// What the initializers reject.
pub fn measure(
    layers: &[LayerSpec],
    head: LayerSpec,
    inputs: Tensor<2>,
    labels: Tensor<1, Int>,
    seed: Seed,
) -> Result<Vec<LayerStats>, InitError> {
    let device = inputs.device();
    let [_, mut d_input] = inputs.dims();
    let mut linears: Vec<Linear> = Vec::with_capacity(layers.len());
    for (index, spec) in layers.iter().enumerate() {
        let kernel = spec.kernel.or_seed(seed.derive(2 * index as u64));
        let bias = spec.bias.or_seed(seed.derive(2 * index as u64 + 1));
        linears
            .push(LinearConfig::new(d_input, spec.units).init_with_bias(&kernel, &bias, &device)?);
        d_input = spec.units;
    }
    let head_index = 2 * layers.len() as u64;
    let head = LinearConfig::new(d_input, head.units).init_with_bias(
        &head.kernel.or_seed(seed.derive(head_index)),
        &head.bias.or_seed(seed.derive(head_index + 1)),
        &device,
    )?;

    let mut x = inputs;
    let mut forward = Vec::with_capacity(layers.len());
    for (linear, spec) in linears.iter().zip(layers) {
        let z = linear.forward(x); // [batch, units]
        let a = spec.activation.apply(z.clone());
        forward.push((std_of(z), std_of(a.clone())));
        x = a;
    }
    let logits = head.forward(x);
    let loss = CrossEntropyLossConfig::new()
        .init(&device)
        .forward(logits, labels);
    let gradients = loss.backward();
    Ok(linears
        .iter()
        .zip(forward)
        .enumerate()
        .map(
            |(index, (linear, (pre_activation_std, activation_std)))| LayerStats {
                layer: index + 1,
                pre_activation_std,
                activation_std,
                weight_gradient_std: linear
                    .weight
                    .val()
                    .grad(&gradients)
                    .map_or(f64::NAN, std_of),
            },
        )
        .collect())
}

/// The population standard deviation of every element, computed in `f64` on the host.
fn std_of<const D: usize>(tensor: Tensor<D>) -> f64 {
    let values = tensor.into_data().convert::<f32>();
    let values = values.as_slice::<f32>().unwrap_or(&[]);
    if values.is_empty() {
        return f64::NAN;
    }
    let n = values.len() as f64;
    let mean = values.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
    (values
        .iter()
        .map(|&x| (f64::from(x) - mean).powi(2))
        .sum::<f64>()
        / n)
        .sqrt()
}
