//! Keras names and JSON: `"glorot_normal"`, `{"class_name": "GlorotNormal", "config": {…}}`.
//!
//! [`Initializer`] serializes to the object form Keras 3's `keras.initializers.serialize`
//! writes, and deserializes from it, from the `{"module": …, "registered_name": …}` variant Keras
//! 3 writes into model files, and from Keras's string identifiers (snake case, class name, and
//! the aliases `zero`, `one`, `normal`, `uniform`). Configs are checked field by field: an
//! unknown field, a wrong type or an invalid value is an [`InitError`] naming the class.
//!
//! One extension to Keras: the normal presets accept `"truncated": false` (the PyTorch-exact
//! untruncated normal). It is written only when false, so default presets stay Keras-readable.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value, json};

use super::constant::{Constant, Ones, Zeros};
use super::distribution::Distribution;
use super::error::InitError;
use super::fans::FanMode;
use super::initializer::Initializer;
use super::orthogonal::Orthogonal;
use super::presets::{GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform};
use super::random::{RandomNormal, RandomUniform, TruncatedNormal};
use super::seed::Seed;
use super::variance_scaling::VarianceScaling;

/// Every Keras class this crate reads, with its snake-case identifier.
pub const KERAS_CLASSES: [(&str, &str); 14] = [
    ("GlorotNormal", "glorot_normal"),
    ("GlorotUniform", "glorot_uniform"),
    ("HeNormal", "he_normal"),
    ("HeUniform", "he_uniform"),
    ("LecunNormal", "lecun_normal"),
    ("LecunUniform", "lecun_uniform"),
    ("VarianceScaling", "variance_scaling"),
    ("Orthogonal", "orthogonal"),
    ("RandomNormal", "random_normal"),
    ("RandomUniform", "random_uniform"),
    ("TruncatedNormal", "truncated_normal"),
    ("Zeros", "zeros"),
    ("Ones", "ones"),
    ("Constant", "constant"),
];

/// Keras's extra identifiers, with the class each names.
const KERAS_ALIASES: [(&str, &str); 4] = [
    ("zero", "Zeros"),
    ("one", "Ones"),
    ("normal", "RandomNormal"),
    ("uniform", "RandomUniform"),
];

/// Every accepted identifier: class names, snake-case names, aliases.
pub fn valid_identifiers() -> Vec<&'static str> {
    KERAS_CLASSES
        .iter()
        .flat_map(|(class, snake)| [*snake, *class])
        .chain(KERAS_ALIASES.iter().map(|(alias, _)| *alias))
        .collect()
}

fn class_of(identifier: &str) -> Result<&'static str, InitError> {
    KERAS_CLASSES
        .iter()
        .find(|(class, snake)| *class == identifier || *snake == identifier)
        .map(|(class, _)| *class)
        .or_else(|| {
            KERAS_ALIASES
                .iter()
                .find(|(alias, _)| *alias == identifier)
                .map(|(_, class)| *class)
        })
        .ok_or_else(|| InitError::UnknownInitializer {
            name: identifier.to_string(),
            valid: valid_identifiers(),
        })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SeedConfig {
    #[serde(default)]
    seed: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NormalPresetConfig {
    #[serde(default)]
    seed: Option<u64>,
    #[serde(default = "yes")]
    truncated: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VarianceScalingConfig {
    #[serde(default = "one")]
    scale: f64,
    #[serde(default = "fan_in")]
    mode: String,
    #[serde(default = "truncated_normal")]
    distribution: String,
    #[serde(default)]
    seed: Option<u64>,
}

fn one() -> f64 {
    1.0
}

fn fan_in() -> String {
    "fan_in".into()
}

fn truncated_normal() -> String {
    "truncated_normal".into()
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OrthogonalConfig {
    #[serde(default = "one")]
    gain: f64,
    #[serde(default)]
    seed: Option<u64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NormalConfig {
    #[serde(default)]
    mean: f64,
    #[serde(default = "keras_stddev")]
    stddev: f64,
    #[serde(default)]
    seed: Option<u64>,
}

fn keras_stddev() -> f64 {
    0.05
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UniformConfig {
    #[serde(default = "keras_minval")]
    minval: f64,
    #[serde(default = "keras_maxval")]
    maxval: f64,
    #[serde(default)]
    seed: Option<u64>,
}

fn keras_minval() -> f64 {
    -0.05
}

fn keras_maxval() -> f64 {
    0.05
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EmptyConfig {}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConstantConfig {
    #[serde(default)]
    value: f64,
}

/// Reads `config` as `T`, naming `class` in the error.
fn read_config<T: DeserializeOwned>(class: &str, config: &Value) -> Result<T, InitError> {
    T::deserialize(config).map_err(|error| InitError::InvalidConfig {
        class_name: class.to_string(),
        message: error.to_string(),
    })
}

impl Initializer {
    /// Parses a Keras-style JSON document: a string identifier (`"\"he_normal\""`) or an
    /// object `{"class_name": …, "config": {…}}`.
    ///
    /// ```
    /// use burn_init::{HeNormal, Initializer};
    ///
    /// let init = Initializer::parse(r#"{"class_name": "HeNormal", "config": {"seed": 42}}"#)?;
    /// assert_eq!(init, HeNormal::new().with_seed(42).into());
    /// assert!(Initializer::parse(r#""he_sideways""#).is_err());
    /// # Ok::<(), burn_init::InitError>(())
    /// ```
    pub fn parse(json: &str) -> Result<Self, InitError> {
        let value: Value =
            serde_json::from_str(json).map_err(|error| InitError::InvalidConfig {
                class_name: "<json>".into(),
                message: error.to_string(),
            })?;
        Self::from_keras_value(&value)
    }

    /// Reads a parsed Keras-style JSON value (see [`Initializer::parse`]).
    pub fn from_keras_value(value: &Value) -> Result<Self, InitError> {
        match value {
            Value::String(identifier) => Self::from_class(class_of(identifier)?, &json!({})),
            Value::Object(object) => {
                let class = match object.get("class_name") {
                    Some(Value::String(class)) => class_of(class)?,
                    _ => {
                        return Err(InitError::InvalidConfig {
                            class_name: "<json>".into(),
                            message: "an initializer object needs a string `class_name`".into(),
                        });
                    }
                };
                if let Some(key) = object.keys().find(|key| {
                    !["class_name", "config", "module", "registered_name"].contains(&key.as_str())
                }) {
                    return Err(InitError::InvalidConfig {
                        class_name: class.into(),
                        message: format!("unknown key `{key}` beside `class_name`"),
                    });
                }
                match object.get("config") {
                    None | Some(Value::Null) => Self::from_class(class, &json!({})),
                    Some(config @ Value::Object(_)) => Self::from_class(class, config),
                    Some(other) => Err(InitError::InvalidConfig {
                        class_name: class.into(),
                        message: format!("`config` must be an object, got {other}"),
                    }),
                }
            }
            other => Err(InitError::InvalidConfig {
                class_name: "<json>".into(),
                message: format!("expected an identifier string or an object, got {other}"),
            }),
        }
    }

    fn from_class(class: &'static str, config: &Value) -> Result<Self, InitError> {
        let normal_preset = |config: &Value| read_config::<NormalPresetConfig>(class, config);
        let seed_only = |config: &Value| {
            read_config::<SeedConfig>(class, config).map(|config| Seed::from(config.seed))
        };
        Ok(match class {
            "GlorotNormal" => {
                let config = normal_preset(config)?;
                GlorotNormal::new()
                    .with_seed_state(config.seed.into())
                    .with_truncation(config.truncated)
                    .into()
            }
            "HeNormal" => {
                let config = normal_preset(config)?;
                HeNormal::new()
                    .with_seed_state(config.seed.into())
                    .with_truncation(config.truncated)
                    .into()
            }
            "LecunNormal" => {
                let config = normal_preset(config)?;
                LecunNormal::new()
                    .with_seed_state(config.seed.into())
                    .with_truncation(config.truncated)
                    .into()
            }
            "GlorotUniform" => GlorotUniform::new()
                .with_seed_state(seed_only(config)?)
                .into(),
            "HeUniform" => HeUniform::new().with_seed_state(seed_only(config)?).into(),
            "LecunUniform" => LecunUniform::new()
                .with_seed_state(seed_only(config)?)
                .into(),
            "VarianceScaling" => {
                let config = read_config::<VarianceScalingConfig>(class, config)?;
                let mode: FanMode = config.mode.parse()?;
                let distribution: Distribution = config.distribution.parse()?;
                VarianceScaling::new(config.scale, mode, distribution)?
                    .with_seed_state(config.seed.into())
                    .into()
            }
            "Orthogonal" => {
                let config = read_config::<OrthogonalConfig>(class, config)?;
                Orthogonal::new()
                    .with_gain(config.gain)?
                    .with_seed_state(config.seed.into())
                    .into()
            }
            "RandomNormal" => {
                let config = read_config::<NormalConfig>(class, config)?;
                RandomNormal::new(config.mean, config.stddev)?
                    .with_seed_state(config.seed.into())
                    .into()
            }
            "TruncatedNormal" => {
                let config = read_config::<NormalConfig>(class, config)?;
                TruncatedNormal::new(config.mean, config.stddev)?
                    .with_seed_state(config.seed.into())
                    .into()
            }
            "RandomUniform" => {
                let config = read_config::<UniformConfig>(class, config)?;
                RandomUniform::new(config.minval, config.maxval)?
                    .with_seed_state(config.seed.into())
                    .into()
            }
            "Zeros" => {
                read_config::<EmptyConfig>(class, config)?;
                Zeros.into()
            }
            "Ones" => {
                read_config::<EmptyConfig>(class, config)?;
                Ones.into()
            }
            "Constant" => {
                Constant::new(read_config::<ConstantConfig>(class, config)?.value)?.into()
            }
            other => unreachable!("`{other}` is listed in KERAS_CLASSES but not read"),
        })
    }

    /// The Keras class name (`"GlorotNormal"`, …).
    pub fn class_name(&self) -> &'static str {
        match self {
            Initializer::GlorotNormal(_) => "GlorotNormal",
            Initializer::GlorotUniform(_) => "GlorotUniform",
            Initializer::HeNormal(_) => "HeNormal",
            Initializer::HeUniform(_) => "HeUniform",
            Initializer::LecunNormal(_) => "LecunNormal",
            Initializer::LecunUniform(_) => "LecunUniform",
            Initializer::VarianceScaling(_) => "VarianceScaling",
            Initializer::Orthogonal(_) => "Orthogonal",
            Initializer::RandomNormal(_) => "RandomNormal",
            Initializer::RandomUniform(_) => "RandomUniform",
            Initializer::TruncatedNormal(_) => "TruncatedNormal",
            Initializer::Zeros(_) => "Zeros",
            Initializer::Ones(_) => "Ones",
            Initializer::Constant(_) => "Constant",
        }
    }

    /// The Keras config object (the `"config"` of [`Initializer::to_keras_value`]).
    pub fn keras_config(&self) -> Value {
        let seed = self.seed().and_then(|seed| seed.requested());
        let normal_preset = |truncated: bool| {
            let mut config = Map::new();
            config.insert("seed".into(), json!(seed));
            if !truncated {
                config.insert("truncated".into(), json!(false));
            }
            Value::Object(config)
        };
        match self {
            Initializer::GlorotNormal(init) => normal_preset(init.is_truncated()),
            Initializer::HeNormal(init) => normal_preset(init.is_truncated()),
            Initializer::LecunNormal(init) => normal_preset(init.is_truncated()),
            Initializer::GlorotUniform(_)
            | Initializer::HeUniform(_)
            | Initializer::LecunUniform(_) => json!({ "seed": seed }),
            Initializer::VarianceScaling(init) => json!({
                "scale": init.scale(),
                "mode": init.mode().name(),
                "distribution": init.distribution().name(),
                "seed": seed,
            }),
            Initializer::Orthogonal(init) => json!({ "gain": init.gain(), "seed": seed }),
            Initializer::RandomNormal(init) => {
                json!({ "mean": init.mean(), "stddev": init.stddev(), "seed": seed })
            }
            Initializer::TruncatedNormal(init) => {
                json!({ "mean": init.mean(), "stddev": init.stddev(), "seed": seed })
            }
            Initializer::RandomUniform(init) => {
                json!({ "minval": init.minval(), "maxval": init.maxval(), "seed": seed })
            }
            Initializer::Zeros(_) | Initializer::Ones(_) => json!({}),
            Initializer::Constant(init) => json!({ "value": init.value() }),
        }
    }

    /// `{"class_name": …, "config": {…}}`, as `keras.initializers.serialize` writes it.
    pub fn to_keras_value(&self) -> Value {
        json!({ "class_name": self.class_name(), "config": self.keras_config() })
    }
}

impl std::str::FromStr for Initializer {
    type Err = InitError;

    /// A Keras identifier (`"glorot_normal"`, `"GlorotNormal"`, `"zero"`, …) with the class's
    /// default config and a fresh seed.
    fn from_str(identifier: &str) -> Result<Self, Self::Err> {
        Self::from_class(class_of(identifier)?, &json!({}))
    }
}

impl std::fmt::Display for Initializer {
    /// The Keras JSON object, on one line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_keras_value())
    }
}

impl Serialize for Initializer {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.to_keras_value().serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Initializer {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Self::from_keras_value(&value).map_err(serde::de::Error::custom)
    }
}

/// Serde for each initializer type through [`Initializer`]'s Keras form, checking the class.
macro_rules! keras_serde {
    ($($variant:ident),* $(,)?) => {
        $(
            impl Serialize for $variant {
                fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    Initializer::from(*self).serialize(serializer)
                }
            }

            impl<'de> Deserialize<'de> for $variant {
                fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    match Initializer::deserialize(deserializer)? {
                        Initializer::$variant(init) => Ok(init),
                        other => Err(serde::de::Error::custom(format!(
                            "expected a {} initializer, found {}",
                            stringify!($variant),
                            other.class_name()
                        ))),
                    }
                }
            }
        )*
    };
}

keras_serde!(
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
    Zeros,
    Ones,
    Constant,
);
