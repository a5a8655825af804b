//! Conversions into `burn::nn::Initializer`, wherever burn can express the distribution exactly.
//!
//! | ours | burn |
//! |---|---|
//! | variance scaling, uniform, `fan_in` / `fan_out` | `KaimingUniform { gain: sqrt(scale), fan_out_only }` |
//! | variance scaling, uniform, `fan_avg` | `XavierUniform { gain: sqrt(scale) }` |
//! | variance scaling, untruncated normal | `KaimingNormal` / `XavierNormal`, same gains |
//! | `RandomNormal`, `RandomUniform` | `Normal`, `Uniform` |
//! | `Orthogonal`, `Zeros`, `Ones`, `Constant` | the same |
//! | any truncated normal, `fan_geo_avg` | [`InitError::Unrepresentable`] |
//!
//! burn's formulas: Kaiming bound `sqrt(3) · gain / sqrt(fan)`, Xavier bound
//! `sqrt(3) · gain · sqrt(2 / (fan_in + fan_out))`; ours `sqrt(3 · scale / n)`, hence
//! `gain = sqrt(scale)`. burn draws from the device's RNG, so the seed does not carry over: the
//! distribution is the same, the values are not.

use burn::nn::Initializer as BurnInitializer;

use super::distribution::Distribution;
use super::error::InitError;
use super::fans::FanMode;
use super::initializer::Initializer;

impl TryFrom<&Initializer> for BurnInitializer {
    type Error = InitError;

    fn try_from(init: &Initializer) -> Result<Self, Self::Error> {
        let unrepresentable = |why| InitError::Unrepresentable {
            what: init.to_string(),
            why,
        };
        if let Some(scaling) = init.variance_scaling() {
            let gain = scaling.scale().sqrt();
            let uniform = scaling.distribution() == Distribution::Uniform;
            return match (scaling.distribution(), scaling.mode()) {
                (Distribution::TruncatedNormal, _) => Err(unrepresentable(
                    "burn has no truncated normal (use `.untruncated()` for burn's normal)",
                )),
                (_, FanMode::FanGeoAvg) => Err(unrepresentable("burn has no fan_geo_avg mode")),
                (_, FanMode::FanAvg) if uniform => Ok(BurnInitializer::XavierUniform { gain }),
                (_, FanMode::FanAvg) => Ok(BurnInitializer::XavierNormal { gain }),
                (_, mode) => {
                    let fan_out_only = mode == FanMode::FanOut;
                    Ok(if uniform {
                        BurnInitializer::KaimingUniform { gain, fan_out_only }
                    } else {
                        BurnInitializer::KaimingNormal { gain, fan_out_only }
                    })
                }
            };
        }
        match init {
            Initializer::Orthogonal(init) => Ok(BurnInitializer::Orthogonal { gain: init.gain() }),
            Initializer::RandomNormal(init) => Ok(BurnInitializer::Normal {
                mean: init.mean(),
                std: init.stddev(),
            }),
            Initializer::RandomUniform(init) => Ok(BurnInitializer::Uniform {
                min: init.minval(),
                max: init.maxval(),
            }),
            Initializer::TruncatedNormal(_) => Err(unrepresentable("burn has no truncated normal")),
            Initializer::Zeros(_) => Ok(BurnInitializer::Zeros),
            Initializer::Ones(_) => Ok(BurnInitializer::Ones),
            Initializer::Constant(init) => Ok(BurnInitializer::Constant {
                value: init.value(),
            }),
            other => unreachable!("{other:?} is variance scaling, handled above"),
        }
    }
}

impl TryFrom<Initializer> for BurnInitializer {
    type Error = InitError;

    fn try_from(init: Initializer) -> Result<Self, Self::Error> {
        BurnInitializer::try_from(&init)
    }
}

/// `TryFrom<Type> for burn::nn::Initializer` for each of our types (plain `From` would promise
/// what a truncated preset cannot keep).
macro_rules! into_burn {
    ($($variant:ident),* $(,)?) => {
        $(
            impl TryFrom<super::$variant> for BurnInitializer {
                type Error = InitError;

                fn try_from(init: super::$variant) -> Result<Self, Self::Error> {
                    BurnInitializer::try_from(&Initializer::from(init))
                }
            }
        )*
    };
}

into_burn!(
    GlorotNormal,
    GlorotUniform,
    HeNormal,
    HeUniform,
    LecunNormal,
    LecunUniform,
    VarianceScaling,
    Orthogonal,
    RandomNormal,
    RandomUniform,
    TruncatedNormal,
);

impl From<super::Zeros> for BurnInitializer {
    fn from(_: super::Zeros) -> Self {
        BurnInitializer::Zeros
    }
}

impl From<super::Ones> for BurnInitializer {
    fn from(_: super::Ones) -> Self {
        BurnInitializer::Ones
    }
}

impl From<super::Constant> for BurnInitializer {
    fn from(init: super::Constant) -> Self {
        BurnInitializer::Constant {
            value: init.value(),
        }
    }
}
