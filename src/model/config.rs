//! The model config: a Keras `Sequential` of dense layers, JSON-saveable.

use burn::config::Config;
use thiserror::Error;

use super::activation::Activation;
use crate::init::{GlorotNormal, GlorotUniform, HeNormal, InitError, Initializer, Zeros};

/// One `Dense` layer: `units`, `activation`, `kernel_initializer`, `bias_initializer`, as in
/// `keras.layers.Dense`. Initializers accept Keras identifiers and objects in JSON.
#[derive(Config, Debug, PartialEq)]
pub struct DenseConfig {
    /// Output features.
    pub units: usize,
    /// The activation after the affine map.
    #[config(default = "Activation::Linear")]
    pub activation: Activation,
    /// The kernel's initializer (Keras's default: `GlorotUniform`).
    #[config(default = "Initializer::GlorotUniform(GlorotUniform::new())")]
    pub kernel_initializer: Initializer,
    /// The bias's initializer (Keras's default: `Zeros`).
    #[config(default = "Initializer::Zeros(Zeros)")]
    pub bias_initializer: Initializer,
}

/// The network: an input of `input_shape` flattened, then dense layers; the last one's units
/// are the classes.
///
/// The default is the mission's network, written in Keras as
/// ```text
/// Sequential([Input((28, 28)), Flatten(),
///             Dense(512, "tanh", kernel_initializer="glorot_normal"),
///             Dense(128, "relu", kernel_initializer="he_normal"),
///             Dense(10, "softmax")])
/// ```
#[derive(Config, Debug, PartialEq)]
pub struct MlpConfig {
    /// The shape of one input example; it is flattened before the first layer.
    #[config(default = "vec![28, 28]")]
    pub input_shape: Vec<usize>,
    /// The dense layers, input to output.
    #[config(default = "MlpConfig::mission_layers()")]
    pub layers: Vec<DenseConfig>,
    /// A model-level seed: each initializer without a seed of its own gets one derived from it
    /// (kernel of layer `i`: `derive(2i)`, bias: `derive(2i + 1)`). `None`: fresh seeds.
    #[config(default = "None")]
    pub seed: Option<u64>,
}

/// A config that cannot build a model, naming the offending field.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum ModelError {
    /// A field has a value no model can have.
    #[error("invalid model config: `{field}` {message}")]
    InvalidField {
        /// The field, as a path (`layers[1].units`).
        field: String,
        /// What is wrong with it.
        message: String,
    },
    /// An initializer refused the layer's shape.
    #[error("invalid model config: `{field}`: {source}")]
    Initializer {
        /// The field.
        field: String,
        /// The initializer's error.
        source: InitError,
    },
    /// A config file that could not be read, parsed or validated.
    #[error("{path}: {message}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        message: String,
    },
}

impl MlpConfig {
    /// 512 tanh (GlorotNormal) → 128 relu (HeNormal) → 10 softmax (GlorotUniform), zero biases.
    pub fn mission_layers() -> Vec<DenseConfig> {
        vec![
            DenseConfig::new(512)
                .with_activation(Activation::Tanh)
                .with_kernel_initializer(GlorotNormal::new().into()),
            DenseConfig::new(128)
                .with_activation(Activation::Relu)
                .with_kernel_initializer(HeNormal::new().into()),
            DenseConfig::new(10).with_activation(Activation::Softmax),
        ]
    }

    /// The flattened input size, `Π input_shape`.
    pub fn input_features(&self) -> usize {
        self.input_shape.iter().product()
    }

    /// The number of classes: the last layer's units.
    pub fn classes(&self) -> usize {
        self.layers.last().map_or(0, |layer| layer.units)
    }

    /// Checks everything that can be checked before any work starts.
    ///
    /// # Errors
    /// [`ModelError::InvalidField`] for an empty or zero-sized input shape, no layers, a layer
    /// with 0 units, softmax on a hidden layer, or an output activation other than softmax or
    /// linear (the loss is cross-entropy on the output's logits).
    pub fn validate(&self) -> Result<(), ModelError> {
        let invalid = |field: String, message: &str| ModelError::InvalidField {
            field,
            message: message.to_string(),
        };
        if self.input_shape.is_empty() || self.input_shape.contains(&0) {
            return Err(invalid(
                "input_shape".into(),
                &format!(
                    "must be non-empty with no zero dimension, got {:?}",
                    self.input_shape
                ),
            ));
        }
        let Some(last) = self.layers.len().checked_sub(1) else {
            return Err(invalid("layers".into(), "must hold at least one layer"));
        };
        for (index, layer) in self.layers.iter().enumerate() {
            if layer.units == 0 {
                return Err(invalid(
                    format!("layers[{index}].units"),
                    "must be at least 1",
                ));
            }
            if index < last && layer.activation == Activation::Softmax {
                return Err(invalid(
                    format!("layers[{index}].activation"),
                    "softmax is only supported on the output layer",
                ));
            }
        }
        if !matches!(
            self.layers[last].activation,
            Activation::Softmax | Activation::Linear
        ) {
            return Err(invalid(
                format!("layers[{last}].activation"),
                "must be softmax or linear: the output feeds a cross-entropy on logits",
            ));
        }
        Ok(())
    }

    /// Reads a config from a JSON file and validates it. Fields left out take their defaults, as
    /// keyword arguments do in Keras: `{"layers": [{"units": 64, "activation": "relu"},
    /// {"units": 10, "activation": "softmax"}]}` is a complete config (28×28 input,
    /// `GlorotUniform` kernels, zero biases, no seed).
    ///
    /// # Errors
    /// [`ModelError::File`] when the file cannot be read or parsed (naming the field, as in
    /// ``layers[0].units`: invalid value: integer `-5`, expected usize``) or fails
    /// [`MlpConfig::validate`], whose message it carries after the file's name.
    pub fn load_validated(path: &std::path::Path) -> Result<Self, ModelError> {
        let file_error = |message: String| ModelError::File {
            path: path.display().to_string(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|error| file_error(error.to_string()))?;
        let mut json: serde_json::Value = serde_json::from_str(&text)
            .map_err(|error| file_error(syntax_message(&text, &error)))?;
        fill_defaults(&mut json);
        let config: Self = serde_path_to_error::deserialize(json)
            .map_err(|error| file_error(field_message(&error)))?;
        config
            .validate()
            .map_err(|error| file_error(error.to_string()))?;
        Ok(config)
    }
}

/// Inserts the default of every field `json` leaves out, at the top level and in each layer
/// (burn's `Config` derive makes every non-`Option` field required in JSON).
fn fill_defaults(json: &mut serde_json::Value) {
    use serde_json::Value;
    fn fill(target: &mut Value, defaults: Value) {
        if let (Value::Object(target), Value::Object(defaults)) = (target, defaults) {
            for (key, value) in defaults {
                target.entry(key).or_insert(value);
            }
        }
    }
    // Both serialize to JSON objects: plain numbers, vectors, strings and Keras initializer
    // objects.
    let config_defaults = serde_json::to_value(MlpConfig::new()).unwrap_or_default();
    let mut layer_defaults = serde_json::to_value(DenseConfig::new(1)).unwrap_or_default();
    // `units` has no default: a layer without it stays an error.
    if let Value::Object(fields) = &mut layer_defaults {
        fields.remove("units");
    }
    fill(json, config_defaults);
    if let Some(Value::Array(layers)) = json.get_mut("layers") {
        for layer in layers {
            fill(layer, layer_defaults.clone());
        }
    }
}

/// A JSON syntax error, with a hint where the text holds a number JSON cannot spell (Python's
/// `json.dump` writes `NaN` and `Infinity` unless told not to).
fn syntax_message(text: &str, error: &serde_json::Error) -> String {
    let at_error = text
        .lines()
        .nth(error.line().saturating_sub(1))
        .and_then(|line| line.get(error.column().saturating_sub(1)..))
        .unwrap_or("");
    let spelled = ["NaN", "Infinity", "-Infinity", "inf", "-inf", "nan"]
        .into_iter()
        .find(|word| at_error.starts_with(word));
    match spelled {
        Some(word) => format!(
            "{error}: `{word}` is not a JSON number; every initializer argument must be a \
             finite number"
        ),
        None => error.to_string(),
    }
}

/// A parse error with the path of the field it happened in, when there is one.
fn field_message(error: &serde_path_to_error::Error<serde_json::Error>) -> String {
    // The error's own text has no position: the JSON was parsed into a value first.
    let path = error.path().to_string();
    if path == "." {
        error.inner().to_string()
    } else {
        format!("`{path}`: {}", error.inner())
    }
}
