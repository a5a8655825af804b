//! The named variance-scaling presets of Keras, PyTorch and JAX.
//!
//! | preset | scale | mode | law (n the fan) | paper |
//! |---|---|---|---|---|
//! | [`GlorotNormal`] | 1 | fan_avg | truncated normal, Var = 2/(fan_in+fan_out) | Glorot & Bengio 2010 |
//! | [`GlorotUniform`] | 1 | fan_avg | U(±sqrt(6/(fan_in+fan_out))) | Glorot & Bengio 2010 |
//! | [`HeNormal`] | 2 | fan_in | truncated normal, Var = 2/fan_in | He et al. 2015 |
//! | [`HeUniform`] | 2 | fan_in | U(±sqrt(6/fan_in)) | He et al. 2015 |
//! | [`LecunNormal`] | 1 | fan_in | truncated normal, Var = 1/fan_in | LeCun et al. 1998; Klambauer et al. 2017 |
//! | [`LecunUniform`] | 1 | fan_in | U(±sqrt(3/fan_in)) | LeCun et al. 1998 |
//!
//! Normal presets are truncated at two standard deviations and rescaled, as in Keras, so the
//! variance is exact; `.untruncated()` switches to the plain normal of PyTorch and burn.

use super::distribution::Distribution;
use super::fans::FanMode;
use super::seed::Seed;
use super::variance_scaling::VarianceScaling;

/// Declares a preset with a normal distribution, truncated by default.
macro_rules! normal_preset {
    ($(#[$doc:meta])* $name:ident, scale = $scale:expr, mode = $mode:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct $name {
            seed: Seed,
            truncated: bool,
        }

        impl $name {
            /// The `scale` of the variance-scaling formula.
            pub const SCALE: f64 = $scale;
            /// The fan the variance is divided by.
            pub const MODE: FanMode = $mode;

            /// Truncated (Keras-exact), with a fresh seed.
            pub fn new() -> Self {
                Self {
                    seed: Seed::fresh(),
                    truncated: true,
                }
            }

            /// The same preset with a fixed seed.
            pub fn with_seed(mut self, seed: u64) -> Self {
                self.seed = Seed::fixed(seed);
                self
            }

            /// The same preset with the given seed state.
            pub fn with_seed_state(mut self, seed: Seed) -> Self {
                self.seed = seed;
                self
            }

            /// The plain, untruncated normal of PyTorch and burn (`N(0, s)`).
            pub fn untruncated(mut self) -> Self {
                self.truncated = false;
                self
            }

            /// Truncated (`true`, Keras) or not (`false`, PyTorch).
            pub fn with_truncation(mut self, truncated: bool) -> Self {
                self.truncated = truncated;
                self
            }

            /// Whether the normal is truncated.
            pub fn is_truncated(&self) -> bool {
                self.truncated
            }

            /// The seed.
            pub fn seed(&self) -> Seed {
                self.seed
            }

            /// The general form of this preset.
            pub fn variance_scaling(&self) -> VarianceScaling {
                let distribution = if self.truncated {
                    Distribution::TruncatedNormal
                } else {
                    Distribution::UntruncatedNormal
                };
                VarianceScaling::from_parts(Self::SCALE, Self::MODE, distribution, self.seed)
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }
    };
}

/// Declares a preset with a uniform distribution.
macro_rules! uniform_preset {
    ($(#[$doc:meta])* $name:ident, scale = $scale:expr, mode = $mode:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq)]
        pub struct $name {
            seed: Seed,
        }

        impl $name {
            /// The `scale` of the variance-scaling formula.
            pub const SCALE: f64 = $scale;
            /// The fan the variance is divided by.
            pub const MODE: FanMode = $mode;

            /// With a fresh seed.
            pub fn new() -> Self {
                Self { seed: Seed::fresh() }
            }

            /// The same preset with a fixed seed.
            pub fn with_seed(mut self, seed: u64) -> Self {
                self.seed = Seed::fixed(seed);
                self
            }

            /// The same preset with the given seed state.
            pub fn with_seed_state(mut self, seed: Seed) -> Self {
                self.seed = seed;
                self
            }

            /// The seed.
            pub fn seed(&self) -> Seed {
                self.seed
            }

            /// The general form of this preset.
            pub fn variance_scaling(&self) -> VarianceScaling {
                VarianceScaling::from_parts(
                    Self::SCALE,
                    Self::MODE,
                    Distribution::Uniform,
                    self.seed,
                )
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }
    };
}

normal_preset!(
    /// Glorot (Xavier) normal: `Var(W) = 2 / (fan_in + fan_out)`, for tanh and sigmoid.
    ///
    /// Glorot & Bengio, *Understanding the difficulty of training deep feedforward neural
    /// networks*, AISTATS 2010. Keras `GlorotNormal` (truncated, the default);
    /// `.untruncated()` is PyTorch's `xavier_normal_` and burn's `XavierNormal { gain: 1 }`.
    GlorotNormal,
    scale = 1.0,
    mode = FanMode::FanAvg
);

uniform_preset!(
    /// Glorot (Xavier) uniform: `U(±sqrt(6 / (fan_in + fan_out)))`, Keras's default kernel
    /// initializer.
    ///
    /// Glorot & Bengio, AISTATS 2010. Keras `GlorotUniform`, PyTorch `xavier_uniform_`, burn
    /// `XavierUniform { gain: 1 }`.
    GlorotUniform,
    scale = 1.0,
    mode = FanMode::FanAvg
);

normal_preset!(
    /// He (Kaiming) normal: `Var(W) = 2 / fan_in`, for ReLU.
    ///
    /// He, Zhang, Ren & Sun, *Delving deep into rectifiers*, ICCV 2015. Keras `HeNormal`
    /// (truncated); `.untruncated()` is PyTorch's `kaiming_normal_(nonlinearity="relu")`.
    HeNormal,
    scale = 2.0,
    mode = FanMode::FanIn
);

uniform_preset!(
    /// He (Kaiming) uniform: `U(±sqrt(6 / fan_in))`, for ReLU.
    ///
    /// He et al., ICCV 2015. Keras `HeUniform`, PyTorch
    /// `kaiming_uniform_(nonlinearity="relu")`.
    HeUniform,
    scale = 2.0,
    mode = FanMode::FanIn
);

normal_preset!(
    /// LeCun normal: `Var(W) = 1 / fan_in`, for SELU (self-normalizing networks).
    ///
    /// LeCun, Bottou, Orr & Müller, *Efficient BackProp*, 1998; Klambauer et al.,
    /// *Self-Normalizing Neural Networks*, NeurIPS 2017. Keras `LecunNormal` (truncated).
    LecunNormal,
    scale = 1.0,
    mode = FanMode::FanIn
);

uniform_preset!(
    /// LeCun uniform: `U(±sqrt(3 / fan_in))`.
    ///
    /// LeCun et al., *Efficient BackProp*, 1998. Keras `LecunUniform`.
    LecunUniform,
    scale = 1.0,
    mode = FanMode::FanIn
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::fans::Fans;

    #[test]
    fn presets_have_the_documented_variances() {
        let fans = Fans::new(784, 512).unwrap();
        let cases = [
            (GlorotNormal::new().variance_scaling(), 2.0 / 1296.0),
            (GlorotUniform::new().variance_scaling(), 2.0 / 1296.0),
            (HeNormal::new().variance_scaling(), 2.0 / 784.0),
            (HeUniform::new().variance_scaling(), 2.0 / 784.0),
            (LecunNormal::new().variance_scaling(), 1.0 / 784.0),
            (LecunUniform::new().variance_scaling(), 1.0 / 784.0),
        ];
        for (init, expected) in cases {
            let relative = (init.variance(fans) - expected).abs() / expected;
            assert!(relative < 1e-15, "{init:?}");
        }
    }

    #[test]
    fn normal_presets_are_truncated_unless_asked() {
        assert_eq!(
            HeNormal::new().variance_scaling().distribution(),
            Distribution::TruncatedNormal
        );
        assert_eq!(
            HeNormal::new()
                .untruncated()
                .variance_scaling()
                .distribution(),
            Distribution::UntruncatedNormal
        );
        assert_eq!(
            GlorotUniform::new().variance_scaling().distribution(),
            Distribution::Uniform
        );
    }

    #[test]
    fn seeds_are_carried_into_the_general_form() {
        let init = LecunNormal::new().with_seed(5).variance_scaling();
        assert_eq!(init.seed(), Seed::fixed(5));
    }
}
