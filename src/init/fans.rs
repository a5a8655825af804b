//! Fan-in and fan-out, computed in one place for every weight layout burn uses.
//!
//! The variance-scaling initializers divide by a *fan*: the number of inputs feeding one output
//! unit (fan-in) or of outputs fed by one input (fan-out). Which tensor dimension is which depends
//! on how the framework lays its weights out, so a [`Layout`] names the convention and
//! [`Layout::fans`] turns a shape into [`Fans`], or a typed [`InitError`], never a panic.

use serde::{Deserialize, Serialize};

use super::error::InitError;

/// Fan-in and fan-out of a weight tensor, both at least 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fans {
    /// Inputs feeding one output unit.
    pub fan_in: usize,
    /// Outputs fed by one input unit.
    pub fan_out: usize,
}

impl Fans {
    /// Fans given explicitly; both must be at least 1.
    pub fn new(fan_in: usize, fan_out: usize) -> Result<Self, InitError> {
        if fan_in == 0 || fan_out == 0 {
            return Err(InitError::BadFans { fan_in, fan_out });
        }
        Ok(Self { fan_in, fan_out })
    }

    /// The fan selected by `mode`, as a float ≥ 1:
    /// `fan_in`, `fan_out`, `(fan_in + fan_out) / 2` or `sqrt(fan_in · fan_out)`.
    pub fn select(&self, mode: FanMode) -> f64 {
        let (fan_in, fan_out) = (self.fan_in as f64, self.fan_out as f64);
        let fan = match mode {
            FanMode::FanIn => fan_in,
            FanMode::FanOut => fan_out,
            FanMode::FanAvg => (fan_in + fan_out) / 2.0,
            FanMode::FanGeoAvg => (fan_in * fan_out).sqrt(),
        };
        // Keras: `max(1.0, fan)`. Fans are ≥ 1 by construction; the guard keeps the formula total.
        fan.max(1.0)
    }
}

/// Which fan the variance is divided by (Keras `mode`, JAX `mode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FanMode {
    /// `n = fan_in`: keeps forward activations' variance (LeCun, He).
    FanIn,
    /// `n = fan_out`: keeps backward gradients' variance.
    FanOut,
    /// `n = (fan_in + fan_out) / 2`: the compromise of Glorot & Bengio (2010).
    FanAvg,
    /// `n = sqrt(fan_in · fan_out)`: JAX's geometric mean.
    FanGeoAvg,
}

impl FanMode {
    /// Every mode with its Keras/JAX name.
    pub const ALL: [(FanMode, &'static str); 4] = [
        (FanMode::FanIn, "fan_in"),
        (FanMode::FanOut, "fan_out"),
        (FanMode::FanAvg, "fan_avg"),
        (FanMode::FanGeoAvg, "fan_geo_avg"),
    ];

    /// The Keras/JAX name (`"fan_in"`, …).
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(mode, _)| *mode == self)
            .map(|(_, name)| *name)
            .expect("every mode is listed in FanMode::ALL")
    }
}

impl std::str::FromStr for FanMode {
    type Err = InitError;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .iter()
            .find(|(_, known)| *known == name)
            .map(|(mode, _)| *mode)
            .ok_or_else(|| InitError::UnknownOption {
                what: "mode",
                name: name.to_string(),
                valid: Self::ALL.iter().map(|(_, known)| *known).collect(),
            })
    }
}

/// How a weight tensor's dimensions map to inputs and outputs.
///
/// | layout | shape | fan_in | fan_out |
/// |---|---|---|---|
/// | [`Linear`](Layout::Linear) | burn `Linear`: `[d_input, d_output]` | `d_input` | `d_output` |
/// | [`Conv`](Layout::Conv) | burn `ConvNd`: `[out, in/g, k…]` | `in/g · Πk` | `out/g · Πk` |
/// | [`ConvTranspose`](Layout::ConvTranspose) | burn `ConvTransposeNd`: `[in, out/g, k…]` | `out/g · Πk` | `in/g · Πk` |
/// | [`Keras`](Layout::Keras) | channels-last `[k…, in, out]`, any rank | `in · Πk` | `out · Πk` |
/// | [`Explicit`](Layout::Explicit) | anything | given | given |
///
/// `Conv` and `ConvTranspose` divide by the group count on both fans, exactly as burn's own
/// `Conv2dConfig::init` does; PyTorch and Keras ignore groups in fan-out, which over-counts the
/// outputs one input feeds (for a depthwise conv, by a factor of the channel count). With
/// `groups = 1` all three agree. `ConvTranspose` follows burn and PyTorch
/// (`fan_in = size(1) · Πk`). `Keras` is `keras.initializers.compute_fans`, including its rules
/// for low ranks: a scalar has fans (1, 1) and a vector of length n has fans (n, n), which is
/// what a Keras bias initializer sees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// burn `Linear` weight, `[d_input, d_output]`.
    Linear,
    /// burn convolution weight, `[channels_out, channels_in / groups, kernel…]`.
    Conv {
        /// The convolution's group count (1 for an ordinary convolution).
        groups: usize,
    },
    /// burn transposed-convolution weight, `[channels_in, channels_out / groups, kernel…]`.
    ConvTranspose {
        /// The convolution's group count.
        groups: usize,
    },
    /// Keras's convention for any tensor (channels-last kernels, biases, scalars).
    Keras,
    /// Fans given by the caller, for a custom tensor.
    Explicit(Fans),
}

impl Layout {
    /// The fans of a tensor of `shape` in this layout.
    ///
    /// # Errors
    /// [`InitError::ZeroSizedDimension`] when a dimension is 0, [`InitError::BadRank`] when the
    /// rank does not fit the layout, [`InitError::BadGroups`] when `groups` is 0 or does not
    /// divide the channel count it splits.
    pub fn fans(&self, shape: &[usize]) -> Result<Fans, InitError> {
        if shape.contains(&0) {
            return Err(InitError::ZeroSizedDimension {
                shape: shape.to_vec(),
            });
        }
        match *self {
            Layout::Linear => match shape {
                [d_input, d_output] => Fans::new(*d_input, *d_output),
                _ => Err(bad_rank("Linear", "2", shape)),
            },
            Layout::Conv { groups } => {
                let (out, in_per_group, receptive) = split_conv("Conv", shape)?;
                let out_per_group = divide_by_groups(out, groups)?;
                Fans::new(in_per_group * receptive, out_per_group * receptive)
            }
            Layout::ConvTranspose { groups } => {
                let (input, out_per_group, receptive) = split_conv("ConvTranspose", shape)?;
                let in_per_group = divide_by_groups(input, groups)?;
                Fans::new(out_per_group * receptive, in_per_group * receptive)
            }
            Layout::Keras => Ok(keras_fans(shape)),
            Layout::Explicit(fans) => Fans::new(fans.fan_in, fans.fan_out),
        }
    }

    /// How the tensor is viewed as a matrix `[rows, cols]` by the orthogonal initializer:
    /// channels-first layouts (`Conv`, `ConvTranspose`) use PyTorch's `[shape[0], rest]`; the
    /// others use Keras's `[Π shape[..-1], shape[-1]]`, which for a `Linear` weight is
    /// `[d_input, d_output]` either way.
    pub(crate) fn matrix_view(&self, shape: &[usize]) -> Option<(usize, usize)> {
        if shape.len() < 2 {
            return None;
        }
        let total: usize = shape.iter().product();
        match self {
            Layout::Conv { .. } | Layout::ConvTranspose { .. } => {
                Some((shape[0], total / shape[0]))
            }
            _ => {
                let cols = shape[shape.len() - 1];
                Some((total / cols, cols))
            }
        }
    }
}

fn bad_rank(layout: &'static str, expected: &'static str, shape: &[usize]) -> InitError {
    InitError::BadRank {
        layout,
        expected,
        shape: shape.to_vec(),
    }
}

/// `[a, b, k…]` → `(a, b, Πk)` for rank ≥ 3.
fn split_conv(layout: &'static str, shape: &[usize]) -> Result<(usize, usize, usize), InitError> {
    match shape {
        [a, b, kernel @ ..] if !kernel.is_empty() => Ok((*a, *b, kernel.iter().product())),
        _ => Err(bad_rank(layout, "at least 3", shape)),
    }
}

/// `channels / groups`, or [`InitError::BadGroups`] unless `groups ≥ 1` divides `channels`.
pub(crate) fn divide_by_groups(channels: usize, groups: usize) -> Result<usize, InitError> {
    if groups == 0 || !channels.is_multiple_of(groups) {
        return Err(InitError::BadGroups { groups, channels });
    }
    Ok(channels / groups)
}

/// `keras.src.initializers.random_initializers.compute_fans`, for non-zero dimensions.
fn keras_fans(shape: &[usize]) -> Fans {
    let (fan_in, fan_out) = match shape {
        [] => (1, 1),
        [n] => (*n, *n),
        [leading @ .., fan_in, fan_out] => {
            let receptive: usize = leading.iter().product();
            (fan_in * receptive, fan_out * receptive)
        }
    };
    Fans { fan_in, fan_out }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_fans_are_input_then_output() {
        assert_eq!(Layout::Linear.fans(&[784, 512]), Fans::new(784, 512));
    }

    #[test]
    fn linear_rejects_other_ranks() {
        for shape in [&[3][..], &[2, 3, 4], &[]] {
            assert!(matches!(
                Layout::Linear.fans(shape),
                Err(InitError::BadRank {
                    layout: "Linear",
                    ..
                })
            ));
        }
    }

    #[test]
    fn conv2d_fans_use_receptive_field_and_groups() {
        // Conv2d: 8 -> 16 channels, 3x5 kernel, 2 groups: weight [16, 4, 3, 5].
        let fans = Layout::Conv { groups: 2 }.fans(&[16, 4, 3, 5]).unwrap();
        assert_eq!(fans, Fans::new(4 * 15, 8 * 15).unwrap());
        // groups = 1 agrees with PyTorch's _calculate_fan_in_and_fan_out.
        let fans = Layout::Conv { groups: 1 }.fans(&[16, 8, 3, 5]).unwrap();
        assert_eq!(fans, Fans::new(8 * 15, 16 * 15).unwrap());
    }

    #[test]
    fn conv1d_depthwise_fans() {
        // Depthwise Conv1d, 6 channels, kernel 3: weight [6, 1, 3], groups 6.
        let fans = Layout::Conv { groups: 6 }.fans(&[6, 1, 3]).unwrap();
        assert_eq!(fans, Fans::new(3, 3).unwrap());
    }

    #[test]
    fn conv_transpose_fans() {
        // ConvTranspose2d 8 -> 6 channels, 2 groups, kernel 2x2: weight [8, 3, 2, 2].
        let fans = Layout::ConvTranspose { groups: 2 }
            .fans(&[8, 3, 2, 2])
            .unwrap();
        assert_eq!(fans, Fans::new(3 * 4, 4 * 4).unwrap());
    }

    #[test]
    fn conv_errors_are_typed() {
        assert!(matches!(
            Layout::Conv { groups: 3 }.fans(&[16, 4, 3]),
            Err(InitError::BadGroups {
                groups: 3,
                channels: 16
            })
        ));
        assert!(matches!(
            Layout::Conv { groups: 0 }.fans(&[16, 4, 3]),
            Err(InitError::BadGroups { groups: 0, .. })
        ));
        assert!(matches!(
            Layout::ConvTranspose { groups: 1 }.fans(&[16, 4]),
            Err(InitError::BadRank {
                expected: "at least 3",
                ..
            })
        ));
    }

    #[test]
    fn zero_sized_dimensions_are_rejected_for_every_layout() {
        for layout in [
            Layout::Linear,
            Layout::Conv { groups: 1 },
            Layout::Keras,
            Layout::Explicit(Fans::new(1, 1).unwrap()),
        ] {
            assert!(matches!(
                layout.fans(&[4, 0, 3]),
                Err(InitError::ZeroSizedDimension { .. })
            ));
        }
    }

    #[test]
    fn keras_fans_follow_compute_fans() {
        assert_eq!(Layout::Keras.fans(&[]), Fans::new(1, 1));
        assert_eq!(Layout::Keras.fans(&[7]), Fans::new(7, 7));
        assert_eq!(Layout::Keras.fans(&[7, 3]), Fans::new(7, 3));
        // Conv2D kernel (3, 3, 8, 16).
        assert_eq!(Layout::Keras.fans(&[3, 3, 8, 16]), Fans::new(72, 144));
    }

    #[test]
    fn explicit_fans_override_the_shape() {
        let layout = Layout::Explicit(Fans::new(10, 20).unwrap());
        assert_eq!(layout.fans(&[2, 3, 4, 5]), Fans::new(10, 20));
        assert!(matches!(
            Fans::new(0, 3),
            Err(InitError::BadFans {
                fan_in: 0,
                fan_out: 3
            })
        ));
    }

    #[test]
    fn fan_modes_select_the_right_fan() {
        let fans = Fans::new(8, 2).unwrap();
        assert_eq!(fans.select(FanMode::FanIn), 8.0);
        assert_eq!(fans.select(FanMode::FanOut), 2.0);
        assert_eq!(fans.select(FanMode::FanAvg), 5.0);
        assert_eq!(fans.select(FanMode::FanGeoAvg), 4.0);
    }

    #[test]
    fn fan_mode_names_round_trip() {
        for (mode, name) in FanMode::ALL {
            assert_eq!(name.parse::<FanMode>(), Ok(mode));
            assert_eq!(mode.name(), name);
        }
        let err = "fan_sum".parse::<FanMode>().unwrap_err();
        assert!(err.to_string().contains("fan_geo_avg"), "{err}");
    }
}
