//! The distributions the initializers draw from: their parameters, moments and exact CDFs.

use serde::{Deserialize, Serialize};

use super::error::InitError;

/// The standard deviation of a standard normal truncated to `[-2, 2]`:
/// `sqrt(1 - 4·φ(2) / (2·Φ(2) - 1))`.
///
/// Keras divides the target standard deviation by this constant before truncating at two
/// standard deviations, so that the *truncated* samples have exactly the target variance.
pub const TRUNCATED_STD_AT_2: f64 = 0.879_625_661_034_239_8;

/// Where Keras truncates its normals, in standard deviations of the untruncated normal.
pub const TRUNCATION_CUT: f64 = 2.0;

/// The shape of a variance-scaling distribution (Keras `distribution`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Distribution {
    /// A normal of standard deviation `sqrt(s) / 0.87962566103423978` truncated (by
    /// resampling) at ± two of those standard deviations: variance exactly `s`. Keras's
    /// `"truncated_normal"` (and its legacy `"normal"`).
    TruncatedNormal,
    /// `N(0, s)`: PyTorch's and burn's normal.
    UntruncatedNormal,
    /// `U(-sqrt(3s), +sqrt(3s))`.
    Uniform,
}

impl Distribution {
    /// Every distribution with its Keras name.
    pub const ALL: [(Distribution, &'static str); 3] = [
        (Distribution::TruncatedNormal, "truncated_normal"),
        (Distribution::UntruncatedNormal, "untruncated_normal"),
        (Distribution::Uniform, "uniform"),
    ];

    /// The Keras name (`"truncated_normal"`, …).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(distribution, _)| *distribution == self)
            .map(|(_, name)| *name)
            .expect("every distribution is listed in Distribution::ALL")
    }

    /// The zero-mean law of this shape whose variance is `variance`.
    pub fn with_variance(self, variance: f64) -> Sampler {
        match self {
            Distribution::TruncatedNormal => Sampler::TruncatedNormal {
                mean: 0.0,
                std: variance.sqrt() / TRUNCATED_STD_AT_2,
                cut: TRUNCATION_CUT,
            },
            Distribution::UntruncatedNormal => Sampler::Normal {
                mean: 0.0,
                std: variance.sqrt(),
            },
            Distribution::Uniform => {
                let bound = (3.0 * variance).sqrt();
                Sampler::Uniform {
                    low: -bound,
                    high: bound,
                }
            }
        }
    }
}

impl std::str::FromStr for Distribution {
    type Err = InitError;

    /// Parses a Keras name; `"normal"` is Keras 2's alias of `"truncated_normal"`.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        if name == "normal" {
            return Ok(Distribution::TruncatedNormal);
        }
        Self::ALL
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(distribution, _)| *distribution)
            .ok_or_else(|| InitError::UnknownOption {
                what: "distribution",
                name: name.to_string(),
                valid: Self::ALL.iter().map(|(_, known)| *known).collect(),
            })
    }
}

/// A fully specified law to sample from.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Sampler {
    /// `N(mean, std²)`.
    Normal {
        /// Mean.
        mean: f64,
        /// Standard deviation.
        std: f64,
    },
    /// `N(mean, std²)` conditioned on `|x - mean| <= cut · std` (drawn by resampling).
    TruncatedNormal {
        /// Mean.
        mean: f64,
        /// Standard deviation *before* truncation.
        std: f64,
        /// Half-width of the support, in units of `std`.
        cut: f64,
    },
    /// `U[low, high)`.
    Uniform {
        /// Lower bound (reachable).
        low: f64,
        /// Upper bound.
        high: f64,
    },
}

impl Sampler {
    /// The mean of the law.
    pub fn mean(&self) -> f64 {
        match *self {
            Sampler::Normal { mean, .. } | Sampler::TruncatedNormal { mean, .. } => mean,
            Sampler::Uniform { low, high } => (low + high) / 2.0,
        }
    }

    /// The variance of the law. For the truncated normal:
    /// `std² · (1 - 2c·φ(c) / (2Φ(c) - 1))`.
    pub fn variance(&self) -> f64 {
        match *self {
            Sampler::Normal { std, .. } => std * std,
            Sampler::TruncatedNormal { std, cut, .. } => {
                let mass = 2.0 * standard_normal_cdf(cut) - 1.0;
                std * std * (1.0 - 2.0 * cut * standard_normal_pdf(cut) / mass)
            }
            Sampler::Uniform { low, high } => (high - low).powi(2) / 12.0,
        }
    }

    /// The closed support `[min, max]` of the law (infinite for the normal).
    pub fn support(&self) -> (f64, f64) {
        match *self {
            Sampler::Normal { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Sampler::TruncatedNormal { mean, std, cut } => (mean - cut * std, mean + cut * std),
            Sampler::Uniform { low, high } => (low, high),
        }
    }

    /// The exact cumulative distribution function `P(X <= x)`.
    pub fn cdf(&self, x: f64) -> f64 {
        match *self {
            Sampler::Normal { mean, std } => standard_normal_cdf((x - mean) / std),
            Sampler::TruncatedNormal { mean, std, cut } => {
                let z = (x - mean) / std;
                if z <= -cut {
                    0.0
                } else if z >= cut {
                    1.0
                } else {
                    let below = standard_normal_cdf(-cut);
                    (standard_normal_cdf(z) - below) / (standard_normal_cdf(cut) - below)
                }
            }
            Sampler::Uniform { low, high } => ((x - low) / (high - low)).clamp(0.0, 1.0),
        }
    }
}

/// `φ(z) = exp(-z²/2) / sqrt(2π)`.
pub fn standard_normal_pdf(z: f64) -> f64 {
    (-0.5 * z * z).exp() / (2.0 * std::f64::consts::PI).sqrt()
}

/// `Φ(z) = erfc(-z/√2) / 2`, accurate in both tails.
pub fn standard_normal_cdf(z: f64) -> f64 {
    0.5 * libm::erfc(-z / std::f64::consts::SQRT_2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keras_constant_is_the_std_of_a_normal_truncated_at_two() {
        let truncated = Sampler::TruncatedNormal {
            mean: 0.0,
            std: 1.0,
            cut: 2.0,
        };
        let std = truncated.variance().sqrt();
        assert!((std - TRUNCATED_STD_AT_2).abs() < 1e-15, "{std}");
    }

    #[test]
    fn every_distribution_has_the_requested_variance() {
        for (distribution, _) in Distribution::ALL {
            let sampler = distribution.with_variance(0.25);
            let relative = (sampler.variance() - 0.25).abs() / 0.25;
            assert!(relative < 1e-14, "{distribution:?}: {}", sampler.variance());
            assert_eq!(sampler.mean(), 0.0);
        }
    }

    #[test]
    fn cdfs_are_exact_at_known_points() {
        let normal = Sampler::Normal {
            mean: 1.0,
            std: 2.0,
        };
        assert_eq!(normal.cdf(1.0), 0.5);
        // Φ(1) = 0.8413447460685429 (Abramowitz & Stegun, table 26.1).
        assert!((normal.cdf(3.0) - 0.841_344_746_068_542_9).abs() < 1e-15);
        let truncated = Distribution::TruncatedNormal.with_variance(1.0);
        let (low, high) = truncated.support();
        assert_eq!((truncated.cdf(low), truncated.cdf(high)), (0.0, 1.0));
        assert!((truncated.cdf(0.0) - 0.5).abs() < 1e-15);
        let uniform = Distribution::Uniform.with_variance(1.0 / 3.0);
        assert_eq!(uniform.support(), (-1.0, 1.0));
        assert_eq!(uniform.cdf(0.5), 0.75);
    }

    #[test]
    fn distribution_names_parse_and_unknown_ones_list_the_valid() {
        for (distribution, name) in Distribution::ALL {
            assert_eq!(name.parse::<Distribution>(), Ok(distribution));
            assert_eq!(distribution.name(), name);
        }
        assert_eq!("normal".parse(), Ok(Distribution::TruncatedNormal));
        let err = "gaussian".parse::<Distribution>().unwrap_err();
        assert!(err.to_string().contains("untruncated_normal"), "{err}");
    }
}
