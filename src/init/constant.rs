//! Deterministic initializers: `Zeros`, `Ones`, `Constant`.

use super::error::{InitError, finite};

/// All zeros: Keras `Zeros`, the default bias initializer of Keras `Dense` and `Conv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Zeros;

/// All ones: Keras `Ones`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Ones;

/// Every element equal to `value`: Keras `Constant`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Constant {
    value: f64,
}

impl Constant {
    /// A constant initializer.
    ///
    /// # Errors
    /// [`InitError::NotFinite`] for NaN or ±∞: a weight that is not a number never trains.
    pub fn new(value: f64) -> Result<Self, InitError> {
        Ok(Self {
            value: finite("value", value)?,
        })
    }

    /// The value.
    pub fn value(&self) -> f64 {
        self.value
    }
}

impl Default for Constant {
    /// Keras's default, `0`.
    fn default() -> Self {
        Self { value: 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_finite_constants_are_rejected() {
        assert!(matches!(
            Constant::new(f64::NAN),
            Err(InitError::NotFinite { name: "value", .. })
        ));
        assert_eq!(Constant::new(0.5).unwrap().value(), 0.5);
    }
}
