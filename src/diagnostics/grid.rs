//! Pairings of initializer × activation, their verdicts, and the default grid.

use serde::Serialize;

use super::measure::LayerStats;
use crate::init::{GlorotNormal, HeNormal, Initializer, LecunNormal, RandomNormal};
use crate::model::Activation;

/// Below this ratio, a signal has vanished.
pub const VANISHING_BELOW: f64 = 0.1;
/// Above this ratio, a signal has exploded.
pub const EXPLODING_ABOVE: f64 = 10.0;

/// What happened to the signal across the depth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Both ratios within `[0.1, 10]`: a factor of ten either way at most.
    Stable,
    /// The activations (or, with steady activations, the first layer's gradients) fell below a
    /// tenth of their reference.
    Vanishing,
    /// The activations (or the gradients) grew more than tenfold, or became infinite / NaN.
    Exploding,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Stable => "stable",
            Verdict::Vanishing => "vanishing",
            Verdict::Exploding => "exploding",
        })
    }
}

/// The documented rule, forward pass first:
/// - `activation_ratio = std(a_last) / std(a_first)`: below 0.1 is vanishing, above 10 (or not
///   finite) is exploding;
/// - otherwise `gradient_ratio = std(∂L/∂W_first) / std(∂L/∂W_last)` (the backward pass,
///   towards the input) decides with the same thresholds;
/// - stable when both lie within `[0.1, 10]`.
///
/// The forward pass comes first because once activations have vanished, the gradient ratio
/// divides two underflowing numbers and means nothing.
pub fn verdict(activation_ratio: f64, gradient_ratio: f64) -> Verdict {
    let judge = |ratio: f64| {
        if !ratio.is_finite() || ratio > EXPLODING_ABOVE {
            Some(Verdict::Exploding)
        } else if ratio < VANISHING_BELOW {
            Some(Verdict::Vanishing)
        } else {
            None
        }
    };
    judge(activation_ratio)
        .or_else(|| judge(gradient_ratio))
        .unwrap_or(Verdict::Stable)
}

/// The figures of one pairing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PairingReport {
    /// Initializer label (`he_normal`, `small_normal`, or a config's layers).
    pub initializer: String,
    /// Activation label.
    pub activation: String,
    /// Each hidden layer.
    pub layers: Vec<LayerStats>,
    /// `std(a_last) / std(a_first)`.
    pub activation_ratio: f64,
    /// `std(∂L/∂W_first) / std(∂L/∂W_last)`.
    pub gradient_ratio: f64,
    /// The verdict.
    pub verdict: Verdict,
}

impl PairingReport {
    /// Summarizes measured layers.
    pub fn new(initializer: String, activation: String, layers: Vec<LayerStats>) -> Self {
        let (first, last) = (layers.first(), layers.last());
        let ratio = |top: Option<f64>, bottom: Option<f64>| match (top, bottom) {
            (Some(top), Some(bottom)) if bottom > 0.0 => top / bottom,
            (Some(top), Some(_)) if top > 0.0 => f64::INFINITY,
            _ => 0.0,
        };
        let activation_ratio = ratio(
            last.map(|l| l.activation_std),
            first.map(|l| l.activation_std),
        );
        let gradient_ratio = ratio(
            first.map(|l| l.weight_gradient_std),
            last.map(|l| l.weight_gradient_std),
        );
        Self {
            initializer,
            activation,
            verdict: verdict(activation_ratio, gradient_ratio),
            layers,
            activation_ratio,
            gradient_ratio,
        }
    }

    /// `he_normal + relu`.
    pub fn label(&self) -> String {
        format!("{} + {}", self.initializer, self.activation)
    }
}

/// The default grid's initializers: Glorot, He, LeCun (all Keras-exact truncated normals) and
/// the "plain" `N(0, 0.01²)` that many tutorials still use.
pub fn default_initializers() -> Vec<(String, Initializer)> {
    vec![
        ("glorot_normal".into(), GlorotNormal::new().into()),
        ("he_normal".into(), HeNormal::new().into()),
        ("lecun_normal".into(), LecunNormal::new().into()),
        (
            "small_normal".into(),
            RandomNormal::new(0.0, 0.01)
                .expect("0.01 is a valid standard deviation")
                .into(),
        ),
    ]
}

/// The default grid's activations.
pub fn default_activations() -> Vec<Activation> {
    vec![
        Activation::Tanh,
        Activation::Relu,
        Activation::Sigmoid,
        Activation::Selu,
        Activation::LeakyRelu,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_thresholds() {
        assert_eq!(verdict(1.0, 1.0), Verdict::Stable);
        assert_eq!(verdict(0.1, 10.0), Verdict::Stable);
        assert_eq!(verdict(0.09, 1.0), Verdict::Vanishing);
        assert_eq!(verdict(1.0, 0.01), Verdict::Vanishing);
        assert_eq!(verdict(11.0, 1.0), Verdict::Exploding);
        assert_eq!(verdict(f64::NAN, 1.0), Verdict::Exploding);
        // Vanished activations decide before a meaningless gradient ratio.
        assert_eq!(verdict(0.01, 50.0), Verdict::Vanishing);
        assert_eq!(verdict(20.0, 0.0), Verdict::Exploding);
        assert_eq!(verdict(1.0, f64::INFINITY), Verdict::Exploding);
    }
}
