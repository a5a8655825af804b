//! Fixed-parameter random initializers (Keras `RandomNormal`, `RandomUniform`,
//! `TruncatedNormal`): the same law whatever the fans.

use super::distribution::{Sampler, TRUNCATION_CUT};
use super::error::{InitError, finite, positive};
use super::seed::Seed;

/// `N(mean, stddev²)`. Keras `RandomNormal` (defaults `mean = 0`, `stddev = 0.05`); PyTorch
/// `normal_`; burn `Normal`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandomNormal {
    mean: f64,
    stddev: f64,
    seed: Seed,
}

impl RandomNormal {
    /// `N(mean, stddev²)` with a fresh seed.
    ///
    /// # Errors
    /// [`InitError::NotFinite`] for a non-finite mean, [`InitError::NotPositive`] unless
    /// `stddev` is finite and > 0.
    pub fn new(mean: f64, stddev: f64) -> Result<Self, InitError> {
        Ok(Self {
            mean: finite("mean", mean)?,
            stddev: positive("stddev", stddev)?,
            seed: Seed::fresh(),
        })
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

    /// The mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The standard deviation.
    pub fn stddev(&self) -> f64 {
        self.stddev
    }

    /// The seed.
    pub fn seed(&self) -> Seed {
        self.seed
    }

    /// The law of the samples.
    pub fn sampler(&self) -> Sampler {
        Sampler::Normal {
            mean: self.mean,
            std: self.stddev,
        }
    }
}

impl Default for RandomNormal {
    fn default() -> Self {
        Self {
            mean: 0.0,
            stddev: 0.05,
            seed: Seed::fresh(),
        }
    }
}

/// `U[minval, maxval)`. Keras `RandomUniform` (defaults ±0.05); PyTorch `uniform_`; burn
/// `Uniform`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RandomUniform {
    minval: f64,
    maxval: f64,
    seed: Seed,
}

impl RandomUniform {
    /// `U[minval, maxval)` with a fresh seed.
    ///
    /// # Errors
    /// [`InitError::NotFinite`] for non-finite bounds, [`InitError::EmptyRange`] unless
    /// `minval < maxval`.
    pub fn new(minval: f64, maxval: f64) -> Result<Self, InitError> {
        let (minval, maxval) = (finite("minval", minval)?, finite("maxval", maxval)?);
        if minval >= maxval {
            return Err(InitError::EmptyRange { minval, maxval });
        }
        Ok(Self {
            minval,
            maxval,
            seed: Seed::fresh(),
        })
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

    /// The lower bound.
    pub fn minval(&self) -> f64 {
        self.minval
    }

    /// The upper bound.
    pub fn maxval(&self) -> f64 {
        self.maxval
    }

    /// The seed.
    pub fn seed(&self) -> Seed {
        self.seed
    }

    /// The law of the samples.
    pub fn sampler(&self) -> Sampler {
        Sampler::Uniform {
            low: self.minval,
            high: self.maxval,
        }
    }
}

impl Default for RandomUniform {
    fn default() -> Self {
        Self {
            minval: -0.05,
            maxval: 0.05,
            seed: Seed::fresh(),
        }
    }
}

/// `N(mean, stddev²)` resampled outside `mean ± 2·stddev`. Keras `TruncatedNormal` (defaults
/// `mean = 0`, `stddev = 0.05`): `stddev` is that of the normal *before* truncation, so the
/// samples' standard deviation is `0.8796…·stddev`, as in Keras and PyTorch's `trunc_normal_`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct TruncatedNormal {
    mean: f64,
    stddev: f64,
    seed: Seed,
}

impl TruncatedNormal {
    /// The truncated normal with a fresh seed.
    ///
    /// # Errors
    /// As [`RandomNormal::new`].
    pub fn new(mean: f64, stddev: f64) -> Result<Self, InitError> {
        Ok(Self {
            mean: finite("mean", mean)?,
            stddev: positive("stddev", stddev)?,
            seed: Seed::fresh(),
        })
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

    /// The mean.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The standard deviation before truncation.
    pub fn stddev(&self) -> f64 {
        self.stddev
    }

    /// The seed.
    pub fn seed(&self) -> Seed {
        self.seed
    }

    /// The law of the samples.
    pub fn sampler(&self) -> Sampler {
        Sampler::TruncatedNormal {
            mean: self.mean,
            std: self.stddev,
            cut: TRUNCATION_CUT,
        }
    }
}

impl Default for TruncatedNormal {
    fn default() -> Self {
        Self {
            mean: 0.0,
            stddev: 0.05,
            seed: Seed::fresh(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keras_defaults() {
        assert_eq!(RandomNormal::default().stddev(), 0.05);
        assert_eq!(RandomUniform::default().minval(), -0.05);
        assert_eq!(TruncatedNormal::default().sampler().support(), (-0.1, 0.1));
    }

    #[test]
    fn invalid_parameters_are_rejected() {
        assert!(matches!(
            RandomNormal::new(0.0, 0.0),
            Err(InitError::NotPositive { name: "stddev", .. })
        ));
        assert!(matches!(
            RandomNormal::new(f64::NAN, 1.0),
            Err(InitError::NotFinite { name: "mean", .. })
        ));
        assert!(matches!(
            RandomUniform::new(1.0, 1.0),
            Err(InitError::EmptyRange { .. })
        ));
        assert!(matches!(
            RandomUniform::new(0.0, f64::INFINITY),
            Err(InitError::NotFinite { name: "maxval", .. })
        ));
        assert!(matches!(
            TruncatedNormal::new(0.0, -1.0),
            Err(InitError::NotPositive { .. })
        ));
    }
}
