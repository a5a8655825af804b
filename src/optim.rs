//! Adam whose update, on burn's flex CPU backend, is one pass over parameter, gradient and
//! moments instead of thirteen tensor operations.
//!
//! burn's [`Adam`] writes the update as tensor arithmetic: `m·β₁`, `g·(1−β₁)`, their sum,
//! `g²`, … , `p − lr·update`, each a pass over the parameter (1.6 MB for the 784×512 kernel)
//! that reads one or two tensors and writes a third. [`FusedAdam`] computes exactly the same
//! arithmetic, element by element, in one loop over the four buffers (split between the cores),
//! and writes the moments in place, the parameter too unless its buffer is shared; on every other
//! backend (ndarray, wgpu, …) it hands the step to burn's [`Adam`]. A training step of the
//! mission's network at batch 32 takes half the time with it (`benches/training_step.rs`).
//!
//! Its state is burn's [`AdamState`], so optimizer records and checkpoints are interchangeable
//! with burn's `Adam`'s.

use std::mem::MaybeUninit;

use burn::backend::flex::FlexTensor;
use burn::backend::{DispatchDevice, Flex};
use burn::config::Config;
use burn::optim::{
    Adam, AdamConfig, AdamState, AdaptiveMomentumState, LearningRate, ModuleOptimizer, Optimizer,
};
use burn::tensor::{DType, Device, Tensor, TensorData};
use rayon::prelude::*;

use crate::flex::dense_f32;

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

    /// One element: updates the moments in place and returns the new parameter value. `FIRST`:
    /// the moments are new (burn starts them as `(1−β)·g`, not `β·0 + (1−β)·g`, which differs
    /// in the sign of zero).
    #[inline(always)]
    fn update<const FIRST: bool>(&self, p: f32, m: &mut f32, v: &mut f32, g: f32) -> f32 {
        if FIRST {
            *m = g * self.one_minus_beta_1;
            *v = (g * g) * self.one_minus_beta_2;
        } else {
            *m = *m * self.beta_1 + g * self.one_minus_beta_1;
            *v = *v * self.beta_2 + (g * g) * self.one_minus_beta_2;
        }
        let step = (*m * self.combined_factor) / (v.sqrt() + self.scaled_epsilon);
        p - step * self.learning_rate
    }

    /// The whole tensor, split into [`CHUNK`]-sized tasks across rayon's threads.
    fn apply(&self, first: bool, slices: Slices<'_>) {
        if slices.gradient.len() <= CHUNK {
            update_dispatch(self, first, slices);
            return;
        }
        slices
            .chunks(CHUNK)
            .into_par_iter()
            .for_each(|chunk| update_dispatch(self, first, chunk));
    }
}

/// Where the updated parameter goes.
enum Parameter<'a> {
    /// Back into its own buffer, which nothing else holds.
    InPlace(&'a mut [f32]),
    /// Into a new buffer, from one that is shared (burn-train's `Learner` keeps the model it
    /// hands to the optimizer, so every parameter is): one pass instead of a copy and a pass.
    Into {
        from: &'a [f32],
        to: &'a mut [MaybeUninit<f32>],
    },
}

/// A parameter, its moments and its gradient: equally long slices.
struct Slices<'a> {
    parameter: Parameter<'a>,
    moment_1: &'a mut [f32],
    moment_2: &'a mut [f32],
    gradient: &'a [f32],
}

impl<'a> Slices<'a> {
    /// The same elements as consecutive pieces of `size` (the last one shorter).
    fn chunks(self, size: usize) -> Vec<Slices<'a>> {
        let parameters: Vec<Parameter<'a>> = match self.parameter {
            Parameter::InPlace(p) => p.chunks_mut(size).map(Parameter::InPlace).collect(),
            Parameter::Into { from, to } => from
                .chunks(size)
                .zip(to.chunks_mut(size))
                .map(|(from, to)| Parameter::Into { from, to })
                .collect(),
        };
        parameters
            .into_iter()
            .zip(self.moment_1.chunks_mut(size))
            .zip(self.moment_2.chunks_mut(size))
            .zip(self.gradient.chunks(size))
            .map(|(((parameter, moment_1), moment_2), gradient)| Slices {
                parameter,
                moment_1,
                moment_2,
                gradient,
            })
            .collect()
    }
}

/// [`update_slices`] compiled for AVX-512 or AVX2 when the CPU has them (the square root and
/// the division dominate, and wider vectors do more of them per cycle). Every build performs the
/// same IEEE operations, so the values do not depend on the CPU.
fn update_dispatch(scalars: &StepScalars, first: bool, slices: Slices<'_>) {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports AVX-512F, checked on the line above.
            unsafe { update_avx512(scalars, first, slices) };
            return;
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked on the line above.
            unsafe { update_avx2(scalars, first, slices) };
            return;
        }
    }
    update_either(scalars, first, slices);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn update_avx512(scalars: &StepScalars, first: bool, slices: Slices<'_>) {
    update_either(scalars, first, slices);
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn update_avx2(scalars: &StepScalars, first: bool, slices: Slices<'_>) {
    update_either(scalars, first, slices);
}

#[inline(always)]
fn update_either(scalars: &StepScalars, first: bool, slices: Slices<'_>) {
    if first {
        update_slices::<true>(scalars, slices);
    } else {
        update_slices::<false>(scalars, slices);
    }
}

/// [`StepScalars::update`] over the slices, one loop per case so that each vectorizes.
#[inline(always)]
fn update_slices<const FIRST: bool>(scalars: &StepScalars, slices: Slices<'_>) {
    let g = slices.gradient;
    let n = g.len();
    let (m, v) = (&mut slices.moment_1[..n], &mut slices.moment_2[..n]);
    match slices.parameter {
        Parameter::InPlace(p) => {
            let p = &mut p[..n];
            for i in 0..n {
                p[i] = scalars.update::<FIRST>(p[i], &mut m[i], &mut v[i], g[i]);
            }
        }
        Parameter::Into { from, to } => {
            let (from, to) = (&from[..n], &mut to[..n]);
            for i in 0..n {
                to[i].write(scalars.update::<FIRST>(from[i], &mut m[i], &mut v[i], g[i]));
            }
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
        let mut param = dense_f32(into_flex(tensor));
        let grad = dense_f32(into_flex(grad));
        let (time, mut moment_1, mut moment_2) = match state {
            Some(state) => (
                state.momentum.time + 1,
                dense_f32(into_flex(state.momentum.moment_1)),
                dense_f32(into_flex(state.momentum.moment_2)),
            ),
            None => (
                1,
                FlexTensor::zeros(shape.clone(), DType::F32),
                FlexTensor::zeros(shape, DType::F32),
            ),
        };
        let scalars = StepScalars::new(self, time, lr);
        let (moment_1_values, moment_2_values) =
            (moment_1.storage_mut::<f32>(), moment_2.storage_mut::<f32>());
        let gradient = grad.storage::<f32>();
        let param = if param.is_unique() {
            let parameter = Parameter::InPlace(param.storage_mut::<f32>());
            scalars.apply(
                time == 1,
                slices(parameter, moment_1_values, moment_2_values, gradient),
            );
            param
        } else {
            let elements = gradient.len();
            let mut updated = Vec::<f32>::with_capacity(elements);
            let parameter = Parameter::Into {
                from: param.storage::<f32>(),
                to: &mut updated.spare_capacity_mut()[..elements],
            };
            scalars.apply(
                time == 1,
                slices(parameter, moment_1_values, moment_2_values, gradient),
            );
            // SAFETY: `apply` wrote every one of the first `elements` slots: each chunk's loop
            // writes all of its slots, and the chunks cover the slice.
            unsafe { updated.set_len(elements) };
            FlexTensor::from_data(TensorData::new(updated, param.layout().shape().clone()))
        };
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

fn slices<'a>(
    parameter: Parameter<'a>,
    moment_1: &'a mut [f32],
    moment_2: &'a mut [f32],
    gradient: &'a [f32],
) -> Slices<'a> {
    Slices {
        parameter,
        moment_1,
        moment_2,
        gradient,
    }
}

/// The flex primitive of a tensor that [`FusedAdam::fusable`] accepted.
fn into_flex<const D: usize>(tensor: Tensor<D>) -> FlexTensor {
    tensor
        .try_into_primitive::<Flex>()
        .expect("fusable() checked that the tensor lives on the flex device")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two steps on three weights, in place or into a new buffer.
    fn two_steps(in_place: bool) -> [f32; 3] {
        let adam = FusedAdamConfig::new().build();
        let (mut p, mut m, mut v) = ([1.0f32, 1.0, 1.0], [0.0; 3], [0.0; 3]);
        for (time, g) in [(1, [0.5, -2.0, 0.0]), (2, [0.5, 1.0, 0.0])] {
            let scalars = StepScalars::new(&adam, time, 0.01);
            if in_place {
                let parameter = Parameter::InPlace(&mut p);
                scalars.apply(time == 1, slices(parameter, &mut m, &mut v, &g));
            } else {
                let mut to = [MaybeUninit::uninit(); 3];
                let parameter = Parameter::Into {
                    from: &p,
                    to: &mut to,
                };
                scalars.apply(time == 1, slices(parameter, &mut m, &mut v, &g));
                // SAFETY: `apply` wrote all three.
                p = to.map(|value| unsafe { value.assume_init() });
            }
        }
        p
    }

    #[test]
    fn steps_move_each_weight_by_about_the_learning_rate_in_place_or_not() {
        // With m̂ = g and v̂ = g², Adam's first step is lr · g / (|g| + ε) ≈ lr · sign(g). The
        // second: for a constant g another lr; for g = −2 then 1, m̂ = (0.9·0.1·(−2) + 0.1)/0.19
        // = −0.4211, v̂ = (0.999·0.001·4 + 0.001)/0.001999 = 2.4992, so p = 1.01 + 0.01·0.4211/√2.4992.
        let p = two_steps(true);
        assert!((p[0] - 0.98).abs() < 1e-6, "{p:?}");
        assert!((p[1] - 1.012_663).abs() < 1e-5, "{p:?}");
        assert_eq!(p[2], 1.0);
        assert_eq!(p.map(f32::to_bits), two_steps(false).map(f32::to_bits));
    }
}
