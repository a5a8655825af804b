//! Gains of activation functions, and the initializer each one calls for.

use super::distribution::Distribution;
use super::error::{InitError, finite};
use super::fans::FanMode;
use super::initializer::Initializer;
use super::presets::{GlorotNormal, HeNormal, LecunNormal};
use super::variance_scaling::VarianceScaling;

/// An activation function, for its gain and its recommended initializer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Nonlinearity {
    /// The identity (also any convolution or linear map).
    Linear,
    /// The logistic sigmoid.
    Sigmoid,
    /// The hyperbolic tangent.
    Tanh,
    /// `max(0, x)`.
    Relu,
    /// `max(0, x) + negative_slope · min(0, x)`.
    LeakyRelu {
        /// The slope for negative inputs (PyTorch's default is 0.01).
        negative_slope: f64,
    },
    /// The scaled ELU of self-normalizing networks.
    Selu,
}

impl Nonlinearity {
    /// The names [`str::parse`] accepts, PyTorch's.
    pub const NAMES: [&'static str; 6] =
        ["linear", "sigmoid", "tanh", "relu", "leaky_relu", "selu"];

    /// Leaky ReLU with PyTorch's default slope, 0.01.
    pub const fn leaky_relu() -> Self {
        Nonlinearity::LeakyRelu {
            negative_slope: 0.01,
        }
    }

    /// Leaky ReLU with the given slope.
    ///
    /// # Errors
    /// [`InitError::NotFinite`] for a NaN or infinite slope.
    pub fn leaky_relu_with_slope(negative_slope: f64) -> Result<Self, InitError> {
        Ok(Nonlinearity::LeakyRelu {
            negative_slope: finite("negative_slope", negative_slope)?,
        })
    }

    /// The gain `g` of PyTorch's `torch.nn.init.calculate_gain`: the factor by which the
    /// standard deviation of the weights must grow to keep the activations' variance steady.
    ///
    /// | nonlinearity | gain |
    /// |---|---|
    /// | linear, sigmoid | 1 |
    /// | tanh | 5/3 |
    /// | relu | sqrt(2) |
    /// | leaky_relu(a) | sqrt(2 / (1 + a²)) |
    /// | selu | 3/4 |
    pub fn gain(&self) -> f64 {
        match *self {
            Nonlinearity::Linear | Nonlinearity::Sigmoid => 1.0,
            Nonlinearity::Tanh => 5.0 / 3.0,
            Nonlinearity::Relu => std::f64::consts::SQRT_2,
            Nonlinearity::LeakyRelu { negative_slope } => {
                (2.0 / (1.0 + negative_slope * negative_slope)).sqrt()
            }
            Nonlinearity::Selu => 0.75,
        }
    }

    /// The initializer the mission's rule picks for a layer followed by this activation, with
    /// a fresh seed, Keras-exact (truncated normal):
    ///
    /// | nonlinearity | initializer | variance |
    /// |---|---|---|
    /// | linear, sigmoid, tanh | [`GlorotNormal`] | 2 / (fan_in + fan_out) |
    /// | relu | [`HeNormal`] | 2 / fan_in |
    /// | leaky_relu(a) | He with scale `2 / (1 + a²)` | 2 / ((1 + a²) · fan_in) |
    /// | selu | [`LecunNormal`] | 1 / fan_in |
    ///
    /// Glorot & Bengio (2010) derived their rule for symmetric saturating activations; He et al.
    /// (2015) for the ReLU family, including the leaky slope; Klambauer et al. (2017) require
    /// LeCun's for SELU's self-normalization.
    pub fn recommended(&self) -> Initializer {
        match *self {
            Nonlinearity::Linear | Nonlinearity::Sigmoid | Nonlinearity::Tanh => {
                GlorotNormal::new().into()
            }
            Nonlinearity::Relu => HeNormal::new().into(),
            Nonlinearity::LeakyRelu { .. } => {
                let scale = self.gain().powi(2);
                VarianceScaling::new(scale, FanMode::FanIn, Distribution::TruncatedNormal)
                    .expect("a leaky ReLU's squared gain is finite and positive")
                    .into()
            }
            Nonlinearity::Selu => LecunNormal::new().into(),
        }
    }
}

impl std::str::FromStr for Nonlinearity {
    type Err = InitError;

    /// PyTorch's names; `leaky_relu` gets the default slope 0.01.
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        match name {
            "linear" => Ok(Nonlinearity::Linear),
            "sigmoid" => Ok(Nonlinearity::Sigmoid),
            "tanh" => Ok(Nonlinearity::Tanh),
            "relu" => Ok(Nonlinearity::Relu),
            "leaky_relu" => Ok(Nonlinearity::leaky_relu()),
            "selu" => Ok(Nonlinearity::Selu),
            _ => Err(InitError::UnknownOption {
                what: "nonlinearity",
                name: name.to_string(),
                valid: Self::NAMES.to_vec(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::init::fans::Fans;

    /* Equivalent python code (PyTorch 2.x):
        import torch.nn.init as init
        for n in ["linear", "sigmoid", "tanh", "relu", "selu"]: print(n, init.calculate_gain(n))
        print(init.calculate_gain("leaky_relu"), init.calculate_gain("leaky_relu", 0.2))
    */
    #[test]
    fn gains_match_pytorch_calculate_gain() {
        let cases = [
            (Nonlinearity::Linear, 1.0),
            (Nonlinearity::Sigmoid, 1.0),
            (Nonlinearity::Tanh, 1.666_666_666_666_666_7),
            (Nonlinearity::Relu, std::f64::consts::SQRT_2),
            (Nonlinearity::Selu, 0.75),
            (Nonlinearity::leaky_relu(), 1.414_142_856_997_835_4),
            (
                Nonlinearity::leaky_relu_with_slope(0.2).unwrap(),
                1.386_750_490_563_072_8,
            ),
        ];
        for (nonlinearity, gain) in cases {
            assert!(
                (nonlinearity.gain() - gain).abs() < 1e-15,
                "{nonlinearity:?}"
            );
        }
    }

    #[test]
    fn recommendations_follow_the_activation_family() {
        let fans = Fans::new(100, 50).unwrap();
        let variance = |nonlinearity: Nonlinearity| {
            nonlinearity
                .recommended()
                .variance_scaling()
                .expect("recommendations are variance scaling")
                .variance(fans)
        };
        assert_eq!(variance(Nonlinearity::Tanh), 2.0 / 150.0);
        assert_eq!(variance(Nonlinearity::Sigmoid), 2.0 / 150.0);
        assert_eq!(variance(Nonlinearity::Relu), 2.0 / 100.0);
        assert_eq!(variance(Nonlinearity::Selu), 1.0 / 100.0);
        let leaky = variance(Nonlinearity::leaky_relu_with_slope(0.5).unwrap());
        assert!((leaky - 2.0 / 1.25 / 100.0).abs() < 1e-15);
        assert!(matches!(
            Nonlinearity::Relu.recommended(),
            Initializer::HeNormal(_)
        ));
        assert!(matches!(
            Nonlinearity::Selu.recommended(),
            Initializer::LecunNormal(_)
        ));
    }

    #[test]
    fn names_parse() {
        for name in Nonlinearity::NAMES {
            assert!(name.parse::<Nonlinearity>().is_ok(), "{name}");
        }
        assert_eq!("leaky_relu".parse(), Ok(Nonlinearity::leaky_relu()));
        let err = "swish".parse::<Nonlinearity>().unwrap_err();
        assert!(err.to_string().contains("leaky_relu"), "{err}");
        assert!(Nonlinearity::leaky_relu_with_slope(f64::NAN).is_err());
    }
}
