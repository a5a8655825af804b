//! `tanh` on burn's flex CPU backend: a vectorized kernel, and an autodiff op that keeps its
//! output for the backward pass.
//!
//! burn's flex `tanh` calls libm's scalar `tanhf` per element, and burn's autodiff treats tanh as
//! memory-bound: it keeps the input and calls `tanhf` again in the backward pass to form
//! `1 − tanh²`. For the mission's 512-unit tanh layer that was a quarter of a training step.
//! Here the forward pass is a branch-free kernel that the compiler vectorizes (AVX-512 or AVX2
//! where the CPU has them, bit-identical to the portable build), and the backward pass is
//! `grad · (1 − y²)` from the kept output `y`, one pass, no second tanh.
//!
//! Other backends (ndarray, wgpu, …), other float types and gradient-checkpointing devices get
//! burn's own [`activation::tanh`].

use burn::backend::autodiff::checkpoint::base::Checkpointer;
use burn::backend::autodiff::checkpoint::strategy::NoCheckpointing;
use burn::backend::autodiff::grads::Gradients;
use burn::backend::autodiff::ops::{Backward, Ops, OpsKind, unary};
use burn::backend::flex::FlexTensor;
use burn::backend::{Autodiff, Flex};
use burn::tensor::activation;
use burn::tensor::{DType, Tensor, TensorData};

use crate::flex::dense_f32;

/// Below this |x| the odd polynomial is used, above it `1 − 2/(e^{2|x|} + 1)` (Cephes `tanhf`).
const POLYNOMIAL_LIMIT: f32 = 0.625;
/// |x| is clamped here before the exponential: `tanh(10)` rounds to exactly 1 in f32, and
/// `e^{20}` is far from overflow.
const SATURATION: f32 = 10.0;

/// `tanh(x)`, element-wise. On flex f32 tensors (plain or autodiff) it runs the vectorized
/// kernel [`tanh_f32`], within 2 ulp of the exact value (tested); elsewhere burn's `tanh`.
///
/// # Shapes
/// - x: any; returns the same shape.
pub fn tanh<const D: usize>(x: Tensor<D>) -> Tensor<D> {
    if x.dtype() != DType::F32 {
        return activation::tanh(x);
    }
    // A failed downcast consumes its argument, so each attempt works on a (cheap) clone.
    if let Ok(primitive) = x.clone().try_into_primitive::<Flex>() {
        return Tensor::from_primitive::<Flex>(tanh_flex(&primitive));
    }
    if let Ok(tracked) = x.clone().try_into_primitive::<Autodiff<Flex>>() {
        drop(x);
        let (primitive, node) = tracked.into_parts();
        let output = match TanhBackward
            .prepare::<NoCheckpointing>([node])
            .compute_bound()
            .stateful()
        {
            OpsKind::Tracked(prep) => {
                let y = tanh_flex(&primitive);
                prep.finish(y.clone(), y)
            }
            OpsKind::UnTracked(prep) => prep.finish(tanh_flex(&primitive)),
        };
        return Tensor::from_primitive::<Autodiff<Flex>>(output);
    }
    activation::tanh(x)
}

/// The backward pass of [`tanh`]: `∂L/∂x = ∂L/∂y · (1 − y²)`, from the kept output `y`.
#[derive(Debug)]
struct TanhBackward;

impl Backward<Flex, 1> for TanhBackward {
    /// The forward output `y`.
    type State = FlexTensor;

    fn backward(self, ops: Ops<FlexTensor, 1>, grads: &mut Gradients, _: &mut Checkpointer) {
        let output = ops.state;
        unary::<Flex, _>(ops.parents, ops.node, grads, |grad| {
            let mut grad = dense_f32(grad);
            let y = dense_f32(output);
            // In place when the gradient buffer is not shared (it usually is not).
            for (g, &y) in grad.storage_mut::<f32>().iter_mut().zip(y.storage::<f32>()) {
                *g *= 1.0 - y * y;
            }
            grad
        });
    }
}

/// The kernel over a flex f32 tensor, into a new contiguous tensor of the same shape.
fn tanh_flex(input: &FlexTensor) -> FlexTensor {
    let input = dense_f32(input.clone());
    let output = tanh_vec(input.storage::<f32>());
    FlexTensor::from_data(TensorData::new(output, input.layout().shape().clone()))
}

/// [`tanh_f32`] of every element, compiled for AVX-512 or AVX2 when the CPU has them. Every
/// build performs the same IEEE operations (Rust never fuses a multiply and an add on its own),
/// so the values do not depend on the CPU.
pub fn tanh_vec(input: &[f32]) -> Vec<f32> {
    #[cfg(target_arch = "x86_64")]
    {
        if std::arch::is_x86_feature_detected!("avx512f") {
            // SAFETY: the CPU supports AVX-512F, checked on the line above.
            return unsafe { tanh_vec_avx512(input) };
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU supports AVX2, checked on the line above.
            return unsafe { tanh_vec_avx2(input) };
        }
    }
    tanh_vec_portable(input)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f")]
fn tanh_vec_avx512(input: &[f32]) -> Vec<f32> {
    tanh_vec_portable(input)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn tanh_vec_avx2(input: &[f32]) -> Vec<f32> {
    tanh_vec_portable(input)
}

#[inline(always)]
fn tanh_vec_portable(input: &[f32]) -> Vec<f32> {
    input.iter().map(|&x| tanh_f32(x)).collect()
}

/// `tanh(x)` in f32 without branches, so that a loop over it vectorizes (Cephes `tanhf`, S. L.
/// Moshier, with its exponential `expf`; their coefficients rounded to f32):
///
/// - |x| < 0.625: `x + x·s·P(s)`, `s = x²`, `P` of degree 4: odd, so tiny inputs keep full
///   relative accuracy (`tanh(1e-30) = 1e-30`);
/// - otherwise `sign(x) · (1 − 2/(e^{2|x|} + 1))`, |x| clamped at 10 (where f32 tanh is 1).
///
/// NaN stays NaN. Within 2 ulp of the correctly rounded value for every input (tested).
#[inline(always)]
pub fn tanh_f32(x: f32) -> f32 {
    let s = x * x;
    let p = ((((-5.704_988_7e-3 * s + 2.063_909e-2) * s - 5.373_971_6e-2) * s + 1.333_144_2e-1)
        * s
        - 3.333_328e-1)
        * s;
    // tanh is odd and |x·P| < |x|: the sign is x's (this also keeps tanh(−0) = −0).
    let near_zero = (p * x + x).copysign(x);
    let magnitude = x.abs().min(SATURATION);
    let far = (1.0 - 2.0 / (exp_f32(magnitude + magnitude) + 1.0)).copysign(x);
    // NaN goes to the polynomial, which keeps it NaN.
    if x.abs() < POLYNOMIAL_LIMIT || x.is_nan() {
        near_zero
    } else {
        far
    }
}

/// `e^x` for `x` in [0, 20] without branches (Cephes `expf`): `x = n·ln 2 + r` with `n` the
/// nearest integer to `x/ln 2` and `ln 2` split in two parts so `r` is exact, `e^r` by a
/// degree-6 polynomial on |r| ≤ ln 2 / 2, and `2ⁿ` from the exponent bits.
#[inline(always)]
fn exp_f32(x: f32) -> f32 {
    /// 1.5 · 2²³: adding and subtracting it rounds to the nearest integer (|v| < 2²²).
    const ROUND: f32 = 12_582_912.0;
    const LN_2_HIGH: f32 = 0.693_359_4;
    const LN_2_LOW: f32 = -2.121_944_4e-4;
    let n = (x * std::f32::consts::LOG2_E + ROUND) - ROUND;
    let r = (x - n * LN_2_HIGH) - n * LN_2_LOW;
    let p = (((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2)
        * r
        + 1.666_666_5e-1)
        * r
        + 5e-1)
        * (r * r)
        + r
        + 1.0;
    p * f32::from_bits(((n as i32 + 127) as u32) << 23)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Distance in units in the last place between `value` and the f64 `exact`, measured in the
    /// f32 ulp at `exact`.
    fn ulps(value: f32, exact: f64) -> f64 {
        let rounded = exact as f32;
        let ulp = f64::from(f32::from_bits(rounded.abs().to_bits() + 1)) - f64::from(rounded.abs());
        (f64::from(value) - exact).abs() / ulp
    }

    #[test]
    fn within_two_ulp_of_the_exact_tanh_everywhere() {
        // Every 61st f32 from 2⁻¹⁰⁰ to 16, both signs: 17 million inputs.
        let mut worst = (0.0f64, 0.0f32);
        let (first, last) = (2f32.powi(-100).to_bits(), 16f32.to_bits());
        for bits in (first..=last).step_by(61) {
            for x in [f32::from_bits(bits), -f32::from_bits(bits)] {
                let error = ulps(tanh_f32(x), f64::from(x).tanh());
                if error > worst.0 {
                    worst = (error, x);
                }
            }
        }
        assert!(worst.0 <= 2.0, "{} ulp at x = {:e}", worst.0, worst.1);
    }

    #[test]
    fn exact_at_zero_odd_saturating_and_nan_preserving() {
        assert_eq!(tanh_f32(0.0).to_bits(), 0.0f32.to_bits());
        assert_eq!(tanh_f32(-0.0).to_bits(), (-0.0f32).to_bits());
        assert_eq!(tanh_f32(1e-30), 1e-30);
        for x in [0.3f32, 0.625, 1.0, 4.0, 9.5] {
            assert_eq!(tanh_f32(-x), -tanh_f32(x));
        }
        for x in [10.0f32, 20.0, 88.0, 1e30, f32::INFINITY] {
            assert_eq!(tanh_f32(x), 1.0);
            assert_eq!(tanh_f32(-x), -1.0);
        }
        assert!(tanh_f32(f32::NAN).is_nan());
    }

    #[test]
    fn the_vectorized_builds_give_the_portable_values() {
        let input: Vec<f32> = (-20_000..20_000).map(|i| i as f32 * 7.3e-4).collect();
        let dispatched = tanh_vec(&input);
        let portable: Vec<f32> = input.iter().map(|&x| tanh_f32(x)).collect();
        assert_eq!(
            dispatched.iter().map(|y| y.to_bits()).collect::<Vec<_>>(),
            portable.iter().map(|y| y.to_bits()).collect::<Vec<_>>()
        );
    }
}
