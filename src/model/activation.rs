//! The activations a dense layer can have, by their Keras names.

use burn::tensor::Tensor;
use burn::tensor::activation;
use serde::{Deserialize, Serialize};

use crate::init::Nonlinearity;

/// Keras's default slope for `leaky_relu` (`keras.activations.leaky_relu`, negative_slope=0.2).
pub const KERAS_LEAKY_RELU_SLOPE: f64 = 0.2;

/// A dense layer's activation, with Keras's names (`"tanh"`, `"relu"`, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// The identity.
    Linear,
    /// `tanh(x)` (on flex: [`super::tanh::tanh`], vectorized, its backward from the kept output).
    Tanh,
    /// `max(0, x)`.
    Relu,
    /// `1 / (1 + e^-x)`.
    Sigmoid,
    /// `max(0, x) + 0.2 · min(0, x)` (Keras's slope).
    LeakyRelu,
    /// The scaled ELU of Klambauer et al. (2017).
    Selu,
    /// The Gaussian error linear unit (exact, erf-based).
    Gelu,
    /// Softmax over the features: only meaningful on the output layer, where the model applies
    /// it at prediction and the loss works on the logits before it.
    Softmax,
}

impl Activation {
    /// Every activation with its Keras name.
    pub const ALL: [(Activation, &'static str); 8] = [
        (Activation::Linear, "linear"),
        (Activation::Tanh, "tanh"),
        (Activation::Relu, "relu"),
        (Activation::Sigmoid, "sigmoid"),
        (Activation::LeakyRelu, "leaky_relu"),
        (Activation::Selu, "selu"),
        (Activation::Gelu, "gelu"),
        (Activation::Softmax, "softmax"),
    ];

    /// The Keras name.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(activation, _)| *activation == self)
            .map(|(_, name)| *name)
            .expect("every activation is listed in Activation::ALL")
    }

    /// Applies the activation to `[batch, features]` activations.
    pub fn apply(self, x: Tensor<2>) -> Tensor<2> {
        match self {
            Activation::Linear => x,
            Activation::Tanh => super::tanh::tanh(x),
            Activation::Relu => activation::relu(x),
            Activation::Sigmoid => activation::sigmoid(x),
            Activation::LeakyRelu => activation::leaky_relu(x, KERAS_LEAKY_RELU_SLOPE),
            Activation::Selu => activation::selu(x),
            Activation::Gelu => activation::gelu(x),
            Activation::Softmax => activation::softmax(x, 1),
        }
    }

    /// The nonlinearity whose gain and recommended initializer fit this activation; `None` for
    /// GELU and softmax, which PyTorch's `calculate_gain` does not cover.
    pub fn nonlinearity(self) -> Option<Nonlinearity> {
        match self {
            Activation::Linear => Some(Nonlinearity::Linear),
            Activation::Tanh => Some(Nonlinearity::Tanh),
            Activation::Relu => Some(Nonlinearity::Relu),
            Activation::Sigmoid => Some(Nonlinearity::Sigmoid),
            Activation::LeakyRelu => Some(Nonlinearity::LeakyRelu {
                negative_slope: KERAS_LEAKY_RELU_SLOPE,
            }),
            Activation::Selu => Some(Nonlinearity::Selu),
            Activation::Gelu | Activation::Softmax => None,
        }
    }
}

impl std::str::FromStr for Activation {
    type Err = crate::init::InitError;

    /// A Keras name (`"tanh"`, `"relu"`, …).
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(activation, _)| *activation)
            .ok_or_else(|| crate::init::InitError::UnknownOption {
                what: "activation",
                name: name.to_string(),
                valid: Self::ALL.iter().map(|(_, known)| *known).collect(),
            })
    }
}

impl std::fmt::Display for Activation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keras_names_round_trip_and_unknown_ones_list_the_valid() {
        for (activation, name) in Activation::ALL {
            assert_eq!(name.parse::<Activation>(), Ok(activation));
            assert_eq!(activation.to_string(), name);
        }
        let err = "swish".parse::<Activation>().unwrap_err();
        assert!(err.to_string().contains("leaky_relu"), "{err}");
    }
}
