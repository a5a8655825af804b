//! Variance scaling, the general form behind Glorot, He and LeCun.

use super::distribution::{Distribution, Sampler};
use super::error::{InitError, positive};
use super::fans::{FanMode, Fans};
use super::seed::Seed;

/// Samples with variance `s = scale / n`, `n` the fan chosen by `mode` (at least 1).
///
/// | distribution | law |
/// |---|---|
/// | `TruncatedNormal` | `N(0, σ²)`, `σ = sqrt(s) / 0.87962566103423978`, resampled outside `±2σ`: variance exactly `s` |
/// | `UntruncatedNormal` | `N(0, s)` |
/// | `Uniform` | `U(-sqrt(3s), +sqrt(3s))` |
///
/// This is `keras.initializers.VarianceScaling` and `jax.nn.initializers.variance_scaling`
/// (which adds `fan_geo_avg`); every preset of this crate is one of these.
///
/// ```
/// use burn_init::{Distribution, FanMode, Fans, VarianceScaling};
///
/// let he = VarianceScaling::new(2.0, FanMode::FanIn, Distribution::Uniform)?.with_seed(1);
/// assert_eq!(he.variance(Fans::new(512, 128)?), 2.0 / 512.0);
/// # Ok::<(), burn_init::InitError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VarianceScaling {
    scale: f64,
    mode: FanMode,
    distribution: Distribution,
    seed: Seed,
}

impl VarianceScaling {
    /// A variance-scaling initializer with a fresh seed.
    ///
    /// # Errors
    /// [`InitError::NotPositive`] unless `scale` is finite and > 0.
    pub fn new(scale: f64, mode: FanMode, distribution: Distribution) -> Result<Self, InitError> {
        Ok(Self {
            scale: positive("scale", scale)?,
            mode,
            distribution,
            seed: Seed::fresh(),
        })
    }

    /// The initializer for an activation of gain `g` (PyTorch's `calculate_gain`): `scale = g²`.
    ///
    /// # Errors
    /// [`InitError::NotPositive`] unless `gain` is finite and > 0.
    pub fn from_gain(
        gain: f64,
        mode: FanMode,
        distribution: Distribution,
    ) -> Result<Self, InitError> {
        let gain = positive("gain", gain)?;
        Self::new(gain * gain, mode, distribution)
    }

    /// Keras's defaults: `scale = 1`, `fan_in`, truncated normal.
    pub fn keras_default() -> Self {
        Self::from_parts(
            1.0,
            FanMode::FanIn,
            Distribution::TruncatedNormal,
            Seed::fresh(),
        )
    }

    /// Built from parts already validated (the presets' constants).
    pub(crate) const fn from_parts(
        scale: f64,
        mode: FanMode,
        distribution: Distribution,
        seed: Seed,
    ) -> Self {
        Self {
            scale,
            mode,
            distribution,
            seed,
        }
    }

    /// The same initializer with a fixed seed.
    pub fn with_seed(mut self, seed: u64) -> Self {
        self.seed = Seed::fixed(seed);
        self
    }

    /// The same initializer with the given seed state.
    pub fn with_seed_state(mut self, seed: Seed) -> Self {
        self.seed = seed;
        self
    }

    /// The scale factor.
    pub fn scale(&self) -> f64 {
        self.scale
    }

    /// The fan the variance is divided by.
    pub fn mode(&self) -> FanMode {
        self.mode
    }

    /// The shape of the distribution.
    pub fn distribution(&self) -> Distribution {
        self.distribution
    }

    /// The seed.
    pub fn seed(&self) -> Seed {
        self.seed
    }

    /// The variance of the samples for these fans: `scale / max(1, n)`.
    pub fn variance(&self, fans: Fans) -> f64 {
        self.scale / fans.select(self.mode)
    }

    /// The exact law the samples follow for these fans.
    pub fn sampler(&self, fans: Fans) -> Sampler {
        self.distribution.with_variance(self.variance(fans))
    }
}

impl Default for VarianceScaling {
    fn default() -> Self {
        Self::keras_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_scales_are_rejected() {
        for scale in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            let result = VarianceScaling::new(scale, FanMode::FanIn, Distribution::Uniform);
            assert!(
                matches!(result, Err(InitError::NotPositive { name: "scale", .. })),
                "{scale}"
            );
        }
        assert!(matches!(
            VarianceScaling::from_gain(-2.0, FanMode::FanIn, Distribution::Uniform),
            Err(InitError::NotPositive { name: "gain", .. })
        ));
    }

    #[test]
    fn uniform_bound_is_sqrt_of_three_times_the_variance() {
        let init = VarianceScaling::new(3.0, FanMode::FanAvg, Distribution::Uniform).unwrap();
        // n = (3 + 5) / 2 = 4, s = 3/4, bound = sqrt(3 · 3/4) = 1.5.
        let sampler = init.sampler(Fans::new(3, 5).unwrap());
        assert_eq!(sampler.support(), (-1.5, 1.5));
    }

    #[test]
    fn gain_is_squared_into_the_scale() {
        let init =
            VarianceScaling::from_gain(3.0, FanMode::FanOut, Distribution::UntruncatedNormal)
                .unwrap();
        assert_eq!(init.scale(), 9.0);
    }
}
