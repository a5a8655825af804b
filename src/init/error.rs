//! The one error type of the initializer library.

use thiserror::Error;

/// Everything that can go wrong when building, converting, parsing or running an initializer.
///
/// The enum is `#[non_exhaustive]`: new failure modes can be added without breaking callers, so
/// match on the variants you handle and keep a fallback arm.
#[derive(Debug, Clone, PartialEq, Error)]
#[non_exhaustive]
pub enum InitError {
    /// A parameter that must be a finite, strictly positive number was not.
    #[error("`{name}` must be finite and > 0, got {value}")]
    NotPositive {
        /// The parameter's name, as in the Keras config (`scale`, `gain`, `stddev`, …).
        name: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// A parameter that must be a finite number was NaN or infinite.
    #[error("`{name}` must be finite, got {value}")]
    NotFinite {
        /// The parameter's name.
        name: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// The bounds of a uniform distribution are not ordered.
    #[error("`minval` ({minval}) must be < `maxval` ({maxval})")]
    EmptyRange {
        /// The lower bound.
        minval: f64,
        /// The upper bound.
        maxval: f64,
    },
    /// A tensor shape has the wrong rank for the layout it is initialized with.
    #[error("{layout} weights need rank {expected}, got shape {shape:?}")]
    BadRank {
        /// The layout's name.
        layout: &'static str,
        /// The ranks that layout accepts, in words ("2", "at least 3").
        expected: &'static str,
        /// The shape that was given.
        shape: Vec<usize>,
    },
    /// A tensor shape has a dimension of size zero.
    #[error("shape {shape:?} has a zero-sized dimension: nothing to initialize and no fan")]
    ZeroSizedDimension {
        /// The shape that was given.
        shape: Vec<usize>,
    },
    /// Explicit fans must both be at least 1.
    #[error("explicit fans must be >= 1, got fan_in = {fan_in}, fan_out = {fan_out}")]
    BadFans {
        /// The given fan-in.
        fan_in: usize,
        /// The given fan-out.
        fan_out: usize,
    },
    /// `groups` must be at least 1 and divide the channel count.
    #[error("groups = {groups} must be >= 1 and divide the channel count {channels}")]
    BadGroups {
        /// The given group count.
        groups: usize,
        /// The channel count it must divide.
        channels: usize,
    },
    /// The initializer describes a distribution that `burn::nn::Initializer` cannot express.
    #[error("burn::nn::Initializer cannot express {what}: {why}")]
    Unrepresentable {
        /// The initializer that was converted.
        what: String,
        /// Why burn has no exact equivalent.
        why: &'static str,
    },
    /// An identifier or Keras `class_name` that names no initializer.
    #[error("unknown initializer `{name}`; valid names are: {}", valid.join(", "))]
    UnknownInitializer {
        /// The name that was given.
        name: String,
        /// Every accepted name.
        valid: Vec<&'static str>,
    },
    /// A Keras-style JSON document that is not a valid initializer description.
    #[error("invalid initializer config for `{class_name}`: {message}")]
    InvalidConfig {
        /// The `class_name` being parsed (or `"<json>"` when it could not be read).
        class_name: String,
        /// What is wrong with it.
        message: String,
    },
    /// A string that names no value of an enumerated option (fan mode, distribution, …).
    #[error("unknown {what} `{name}`; valid values are: {}", valid.join(", "))]
    UnknownOption {
        /// What the option is (`"mode"`, `"distribution"`, `"nonlinearity"`).
        what: &'static str,
        /// The value that was given.
        name: String,
        /// Every accepted value.
        valid: Vec<&'static str>,
    },
}

/// Returns `value` when it is finite and strictly positive, else [`InitError::NotPositive`].
pub(crate) fn positive(name: &'static str, value: f64) -> Result<f64, InitError> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(InitError::NotPositive { name, value })
    }
}

/// Returns `value` when it is finite, else [`InitError::NotFinite`].
pub(crate) fn finite(name: &'static str, value: f64) -> Result<f64, InitError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(InitError::NotFinite { name, value })
    }
}
