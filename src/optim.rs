//! Adam whose update, on burn's flex CPU backend, is one pass over parameter, gradient and
//! moments instead of thirteen tensor operations.
//!
//! burn's [`Adam`] writes the update as tensor arithmetic: `m·β₁`, `g·(1−β₁)`, their sum,
//! `g²`, … , `p − lr·update`, each a pass over the parameter (1.6 MB for the 784×512 kernel)
//! that reads one or two tensors and writes a third. On flex that is most of a training step at
//! batch 32. [`FusedAdam`] computes exactly the same arithmetic, element by element, in one
//! loop over the four buffers (split between the cores), and writes parameter and moments in
//! place; on every other backend (ndarray, wgpu, …) it hands the step to burn's [`Adam`].
//!
//! Its state is burn's [`AdamState`], so optimizer records and checkpoints are interchangeable
//! with burn's `Adam`'s.

use burn::backend::flex::FlexTensor;
use burn::backend::{DispatchDevice, Flex};
use burn::config::Config;
use burn::optim::{
    Adam, AdamConfig, AdamState, AdaptiveMomentumState, LearningRate, ModuleOptimizer, Optimizer,
};
use burn::tensor::{DType, Device, Tensor};
use rayon::prelude::*;

/// Elements per parallel task: large enough that splitting pays, small enough that the 784×512
/// kernel (401,408 elements) spreads over every core.
const CHUNK: usize = 16 * 1024;

/// Configuration of [`FusedAdam`]: burn's [`AdamConfig`] fields without AMSGrad, weight decay
/// and gradient clipping (Keras's `Adam` defaults have none of them).
#[derive(Config, Debug, PartialEq)]
pub struct FusedAdamConfig {
    /// Decay of the first moment, β₁.
    #[config(default = 0.9)]
    pub beta_1: f32,
    /// Decay of the second moment, β₂.
    #[config(default = 0.999)]
    pub beta_2: f32,
    /// ε added to `√v̂` (Keras: 1e-7; burn's `AdamConfig` default: 1e-5).
    #[config(default = 1e-7)]
    pub epsilon: f32,
}

impl FusedAdamConfig {
    /// The optimizer for one parameter tensor.
    pub fn build(&self) -> FusedAdam {
        FusedAdam {
            beta_1: self.beta_1,
            beta_2: self.beta_2,
            epsilon: self.epsilon,
            composed: AdamConfig::new()
                .with_beta_1(self.beta_1)
                .with_beta_2(self.beta_2)
                .with_epsilon(self.epsilon)
                .build(),
        }
    }

    /// The optimizer for a whole module, as [`AdamConfig::init`] builds burn's.
    pub fn init(&self) -> ModuleOptimizer {
        ModuleOptimizer::from(self.build())
    }
}

/// Adam (Kingma & Ba, 2015, *Adam: A Method for Stochastic Optimization*, Algorithm 1 with the
/// bias corrections folded into the step size), computed as burn's [`Adam`] computes it:
///
/// ```text
/// m ← β₁·m + (1−β₁)·g          v ← β₂·v + (1−β₂)·g²          t ← t + 1
/// p ← p − lr · (m · √(1−β₂ᵗ)/(1−β₁ᵗ)) / (√v + ε·√(1−β₂ᵗ))
/// ```
///
/// The same f32 operations in the same order, so on flex the result is bit-identical to burn's
/// (tested); other backends run burn's `Adam` itself.
#[derive(Clone)]
pub struct FusedAdam {
    beta_1: f32,
    beta_2: f32,
    epsilon: f32,
    /// burn's Adam with the same settings, for the backends the fused loop does not cover.
    composed: Adam,
}

impl std::fmt::Debug for FusedAdam {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FusedAdam")
            .field("beta_1", &self.beta_1)
            .field("beta_2", &self.beta_2)
            .field("epsilon", &self.epsilon)
            .finish()
    }
}

/// The scalars of one step `t`, precomputed as burn's `AdaptiveMomentum::transform` does.
#[derive(Debug, Clone, Copy)]
struct StepScalars {
    beta_1: f32,
    beta_2: f32,
    one_minus_beta_1: f32,
    one_minus_beta_2: f32,
    /// `√(1−β₂ᵗ) / (1−β₁ᵗ)`.
    combined_factor: f32,
    /// `ε · √(1−β₂ᵗ)`.
    scaled_epsilon: f32,
    learning_rate: f32,
}

impl StepScalars {
    fn new(adam: &FusedAdam, time: usize, learning_rate: LearningRate) -> Self {
        let time = i32::try_from(time).unwrap_or(i32::MAX);
        let bias_correction_2_sqrt = (1.0 - adam.beta_2.powi(time)).sqrt();
        Self {
            beta_1: adam.beta_1,
            beta_2: adam.beta_2,
            one_minus_beta_1: 1.0 - adam.beta_1,
            one_minus_beta_2: 1.0 - adam.beta_2,
            combined_factor: bias_correction_2_sqrt / (1.0 - adam.beta_1.powi(time)),
            scaled_epsilon: adam.epsilon * bias_correction_2_sqrt,
            // burn's `mul_scalar(lr)` on an f32 tensor rounds the f64 rate to f32 the same way.
            learning_rate: learning_rate as f32,
        }
    }

    /// One element. `first`: the moments are new (burn starts them as `(1−β)·g`, not
    /// `β·0 + (1−β)·g`, which differs in the sign of zero).
    #[inline(always)]
    fn update(&self, first: bool, p: &mut f32, m: &mut f32, v: &mut f32, g: f32) {
        if first {
            *m = g * self.one_minus_beta_1;
            *v = (g * g) * self.one_minus_beta_2;
        } else {
            *m = *m * self.beta_1 + g * self.one_minus_beta_1;
            *v = *v * self.beta_2 + (g * g) * self.one_minus_beta_2;
        }
        let step = (*m * self.combined_factor) / (v.sqrt() + self.scaled_epsilon);
        *p -= step * self.learning_rate;
    }

    /// The whole tensor, in place, split into [`CHUNK`]-sized tasks across rayon's threads.
    fn apply(&self, first: bool, p: &mut [f32], m: &mut [f32], v: &mut [f32], g: &[f32]) {
        let serial = |p: &mut [f32], m: &mut [f32], v: &mut [f32], g: &[f32]| {
            update_dispatch(self, first, p, m, v, g)
        };
        if p.len() <= CHUNK {
            serial(p, m, v, g);
            return;
        }
        p.par_chunks_mut(CHUNK)
            .zip(m.par_chunks_mut(CHUNK))
            .zip(v.par_chunks_mut(CHUNK))
            .zip(g.par_chunks(CHUNK))
            .for_each(|(((p, m), v), g)| serial(p, m, v, g));
    }
}

/// [`update_slices`] compiled for AVX-512 or AVX2 when the CPU has them (the square root and
/// the division dominate, and wider vectors do more of them per cycle). Every build performs the
/// same IEEE operations, so the values do not depend on the CPU.
fn update_dispatch(
    scalars: &StepScalars,
    first: bool,
    p: &mut [f32],
    m: &mut [f32],
    v: &mut [f32],
    g: &[f32],
) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports AVX-512F, checked on the line above.
            unsafe { update_avx512(scalars, first, p, m, v, g) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked on the line above.
            unsafe { update_avx2(scalars, first, p, m, v, g) };
            return;
        }
    }
    update_slices(scalars, first, p, m, v, g);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn update_avx512(
    s: &StepScalars,
    first: bool,
    p: &mut [f32],
    m: &mut [f32],
    v: &mut [f32],
    g: &[f32],
) {
    update_slices(s, first, p, m, v, g);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn update_avx2(
    s: &StepScalars,
    first: bool,
    p: &mut [f32],
    m: &mut [f32],
    v: &mut [f32],
    g: &[f32],
) {
    update_slices(s, first, p, m, v, g);
}

/// [`StepScalars::update`] over equally long slices, one loop per case so each vectorizes.
#[inline(always)]
fn update_slices(
    scalars: &StepScalars,
    first: bool,
    p: &mut [f32],
    m: &mut [f32],
    v: &mut [f32],
    g: &[f32],
) {
    let n = p.len();
    let (m, v, g) = (&mut m[..n], &mut v[..n], &g[..n]);
    if first {
        for i in 0..n {
            scalars.update(true, &mut p[i], &mut m[i], &mut v[i], g[i]);
        }
    } else {
        for i in 0..n {
            scalars.update(false, &mut p[i], &mut m[i], &mut v[i], g[i]);
        }
    }
}

impl FusedAdam {
    /// Whether the fused loop covers this step: f32 tensors on the flex device, and a state
    /// (if any) without AMSGrad's running maximum.
    fn fusable<const D: usize>(
        tensor: &Tensor<D>,
        grad: &Tensor<D>,
        state: Option<&AdamState<D>>,
    ) -> bool {
        let on_flex_f32 = |t: &Tensor<D>| {
            t.dtype() == DType::F32 && matches!(t.device().as_dispatch(), DispatchDevice::Flex(_))
        };
        on_flex_f32(tensor)
            && on_flex_f32(grad)
            && state.is_none_or(|state| {
                let momentum = &state.momentum;
                momentum.max_moment_2.is_none()
                    && on_flex_f32(&momentum.moment_1)
                    && on_flex_f32(&momentum.moment_2)
            })
    }

    fn fused_step<const D: usize>(
        &self,
        lr: LearningRate,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<AdamState<D>>,
    ) -> (Tensor<D>, Option<AdamState<D>>) {
        let shape = tensor.shape();
        let mut param = dense(into_flex(tensor));
        let grad = dense(into_flex(grad));
        let (time, mut moment_1, mut moment_2) = match state {
            Some(state) => (
                state.momentum.time + 1,
                dense(into_flex(state.momentum.moment_1)),
                dense(into_flex(state.momentum.moment_2)),
            ),
            None => (
                1,
                FlexTensor::zeros(shape.clone(), DType::F32),
                FlexTensor::zeros(shape, DType::F32),
            ),
        };
        let scalars = StepScalars::new(self, time, lr);
        scalars.apply(
            time == 1,
            param.storage_mut::<f32>(),
            moment_1.storage_mut::<f32>(),
            moment_2.storage_mut::<f32>(),
            grad.storage::<f32>(),
        );
        let momentum = AdaptiveMomentumState {
            time,
            moment_1: Tensor::from_primitive::<Flex>(moment_1),
            moment_2: Tensor::from_primitive::<Flex>(moment_2),
            max_moment_2: None,
        };
        (
            Tensor::from_primitive::<Flex>(param),
            Some(AdamState::new(momentum)),
        )
    }
}

impl Optimizer for FusedAdam {
    type State<const D: usize> = AdamState<D>;

    fn step<const D: usize>(
        &self,
        lr: LearningRate,
        tensor: Tensor<D>,
        grad: Tensor<D>,
        state: Option<Self::State<D>>,
    ) -> (Tensor<D>, Option<Self::State<D>>) {
        if Self::fusable(&tensor, &grad, state.as_ref()) {
            self.fused_step(lr, tensor, grad, state)
        } else {
            self.composed.step(lr, tensor, grad, state)
        }
    }

    fn to_device<const D: usize>(state: Self::State<D>, device: &Device) -> Self::State<D> {
        <Adam as Optimizer>::to_device(state, device)
    }
}

/// The flex primitive of a tensor that [`FusedAdam::fusable`] accepted.
fn into_flex<const D: usize>(tensor: Tensor<D>) -> FlexTensor {
    tensor
        .try_into_primitive::<Flex>()
        .expect("fusable() checked that the tensor lives on the flex device")
}

/// The tensor with its elements as the whole of its storage, in order (a copy only when it is a
/// view: a transposed or narrowed parameter).
fn dense(tensor: FlexTensor) -> FlexTensor {
    let elements = tensor.layout().num_elements();
    let whole = tensor.layout().contiguous_offsets() == Some((0, elements))
        && tensor.storage::<f32>().len() == elements;
    if whole {
        tensor
    } else {
        tensor.to_contiguous()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_step_moves_each_weight_by_the_learning_rate() {
        // With m̂ = g and v̂ = g², Adam's first step is lr · g / (|g| + ε) ≈ lr · sign(g).
        let adam = FusedAdamConfig::new().build();
        let scalars = StepScalars::new(&adam, 1, 0.01);
        let (mut p, mut m, mut v) = ([1.0f32, 1.0, 1.0], [0.0; 3], [0.0; 3]);
        scalars.apply(true, &mut p, &mut m, &mut v, &[0.5, -2.0, 0.0]);
        assert!((p[0] - 0.99).abs() < 1e-6, "{p:?}");
        assert!((p[1] - 1.01).abs() < 1e-6, "{p:?}");
        assert_eq!(p[2], 1.0);
    }
}
