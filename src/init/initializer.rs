//! [`Initializer`], the enum of every initializer, and [`Initialize`], the trait that draws
//! tensors from any of them.

use burn::module::Param;
use burn::tensor::{Device, Tensor, TensorData};

use super::constant::{Constant, Ones, Zeros};
use super::distribution::Sampler;
use super::error::InitError;
use super::fans::{Fans, Layout};
use super::generator;
use super::orthogonal::Orthogonal;
use super::presets::{GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform};
use super::random::{RandomNormal, RandomUniform, TruncatedNormal};
use super::seed::Seed;
use super::variance_scaling::VarianceScaling;

/// Draws the initial values of a tensor.
///
/// Implemented by [`Initializer`] and by each initializer type, so a layer builder can take
/// `&impl Initialize` or `&dyn Initialize`.
pub trait Initialize {
    /// The values of a tensor of `shape` whose dimensions mean what `layout` says, row-major.
    ///
    /// # Errors
    /// Whatever [`Layout::fans`] rejects, and [`InitError::BadRank`] for an orthogonal
    /// initializer on a tensor of rank < 2.
    fn sample(&self, shape: &[usize], layout: Layout) -> Result<Vec<f32>, InitError>;

    /// The values as burn [`TensorData`] of `shape`.
    fn tensor_data(&self, shape: &[usize], layout: Layout) -> Result<TensorData, InitError> {
        Ok(TensorData::new(self.sample(shape, layout)?, shape.to_vec()))
    }

    /// The values as a tensor on `device`: generated on the host, uploaded in one copy, so the
    /// same seed gives the same bits on every backend.
    fn tensor<const D: usize>(
        &self,
        shape: [usize; D],
        layout: Layout,
        device: &Device,
    ) -> Result<Tensor<D>, InitError>
    where
        Self: Sized,
    {
        Ok(Tensor::from_data(self.tensor_data(&shape, layout)?, device))
    }

    /// The values as a trainable [`Param`] on `device`, ready to put into a module.
    fn param<const D: usize>(
        &self,
        shape: [usize; D],
        layout: Layout,
        device: &Device,
    ) -> Result<Param<Tensor<D>>, InitError>
    where
        Self: Sized,
    {
        Ok(Param::from_data(self.tensor_data(&shape, layout)?, device))
    }
}

/// Any initializer of this crate: what a config file holds.
///
/// Serializes to Keras's `{"class_name": …, "config": {…}}` and reads those objects as well as
/// Keras's string identifiers (`"glorot_normal"`, `"HeUniform"`, …); see [`Initializer::parse`].
#[derive(Debug, Clone, Copy, PartialEq)]
#[non_exhaustive]
pub enum Initializer {
    /// [`GlorotNormal`].
    GlorotNormal(GlorotNormal),
    /// [`GlorotUniform`].
    GlorotUniform(GlorotUniform),
    /// [`HeNormal`].
    HeNormal(HeNormal),
    /// [`HeUniform`].
    HeUniform(HeUniform),
    /// [`LecunNormal`].
    LecunNormal(LecunNormal),
    /// [`LecunUniform`].
    LecunUniform(LecunUniform),
    /// [`VarianceScaling`].
    VarianceScaling(VarianceScaling),
    /// [`Orthogonal`].
    Orthogonal(Orthogonal),
    /// [`RandomNormal`].
    RandomNormal(RandomNormal),
    /// [`RandomUniform`].
    RandomUniform(RandomUniform),
    /// [`TruncatedNormal`].
    TruncatedNormal(TruncatedNormal),
    /// [`Zeros`].
    Zeros(Zeros),
    /// [`Ones`].
    Ones(Ones),
    /// [`Constant`].
    Constant(Constant),
}

impl Initializer {
    /// The variance-scaling form, for the presets and `VarianceScaling` itself.
    pub fn variance_scaling(&self) -> Option<VarianceScaling> {
        match self {
            Initializer::GlorotNormal(init) => Some(init.variance_scaling()),
            Initializer::GlorotUniform(init) => Some(init.variance_scaling()),
            Initializer::HeNormal(init) => Some(init.variance_scaling()),
            Initializer::HeUniform(init) => Some(init.variance_scaling()),
            Initializer::LecunNormal(init) => Some(init.variance_scaling()),
            Initializer::LecunUniform(init) => Some(init.variance_scaling()),
            Initializer::VarianceScaling(init) => Some(*init),
            _ => None,
        }
    }

    /// The exact law of the samples for a tensor with these fans; `None` for orthogonal (a
    /// matrix law) and the constants (no randomness).
    pub fn sampler(&self, fans: Fans) -> Option<Sampler> {
        if let Some(init) = self.variance_scaling() {
            return Some(init.sampler(fans));
        }
        match self {
            Initializer::RandomNormal(init) => Some(init.sampler()),
            Initializer::RandomUniform(init) => Some(init.sampler()),
            Initializer::TruncatedNormal(init) => Some(init.sampler()),
            _ => None,
        }
    }

    /// The seed, for the random initializers.
    pub fn seed(&self) -> Option<Seed> {
        match self {
            Initializer::GlorotNormal(init) => Some(init.seed()),
            Initializer::GlorotUniform(init) => Some(init.seed()),
            Initializer::HeNormal(init) => Some(init.seed()),
            Initializer::HeUniform(init) => Some(init.seed()),
            Initializer::LecunNormal(init) => Some(init.seed()),
            Initializer::LecunUniform(init) => Some(init.seed()),
            Initializer::VarianceScaling(init) => Some(init.seed()),
            Initializer::Orthogonal(init) => Some(init.seed()),
            Initializer::RandomNormal(init) => Some(init.seed()),
            Initializer::RandomUniform(init) => Some(init.seed()),
            Initializer::TruncatedNormal(init) => Some(init.seed()),
            Initializer::Zeros(_) | Initializer::Ones(_) | Initializer::Constant(_) => None,
        }
    }

    /// The same initializer with a fixed seed (no change for the constants).
    pub fn with_seed(self, seed: u64) -> Self {
        self.with_seed_state(Seed::fixed(seed))
    }

    /// The same initializer with the given seed state (no change for the constants).
    pub fn with_seed_state(self, seed: Seed) -> Self {
        match self {
            Initializer::GlorotNormal(init) => init.with_seed_state(seed).into(),
            Initializer::GlorotUniform(init) => init.with_seed_state(seed).into(),
            Initializer::HeNormal(init) => init.with_seed_state(seed).into(),
            Initializer::HeUniform(init) => init.with_seed_state(seed).into(),
            Initializer::LecunNormal(init) => init.with_seed_state(seed).into(),
            Initializer::LecunUniform(init) => init.with_seed_state(seed).into(),
            Initializer::VarianceScaling(init) => init.with_seed_state(seed).into(),
            Initializer::Orthogonal(init) => init.with_seed_state(seed).into(),
            Initializer::RandomNormal(init) => init.with_seed_state(seed).into(),
            Initializer::RandomUniform(init) => init.with_seed_state(seed).into(),
            Initializer::TruncatedNormal(init) => init.with_seed_state(seed).into(),
            constant
            @ (Initializer::Zeros(_) | Initializer::Ones(_) | Initializer::Constant(_)) => constant,
        }
    }

    /// Gives this initializer `seed` unless the user fixed one: how a model-level seed reaches
    /// layers whose config left theirs unset (`null`), while explicit seeds win.
    pub fn or_seed(self, seed: Seed) -> Self {
        match self.seed() {
            Some(own) if own.requested().is_none() => self.with_seed_state(seed),
            _ => self,
        }
    }
}

impl Initialize for Initializer {
    fn sample(&self, shape: &[usize], layout: Layout) -> Result<Vec<f32>, InitError> {
        let fans = layout.fans(shape)?;
        let len = shape.iter().product();
        if let (Some(sampler), Some(seed)) = (self.sampler(fans), self.seed()) {
            return Ok(generator::sample_f32(&sampler, seed.value(), len));
        }
        let constant = match self {
            Initializer::Orthogonal(init) => return init.sample(shape, layout),
            Initializer::Zeros(_) => 0.0,
            Initializer::Ones(_) => 1.0,
            Initializer::Constant(init) => init.value() as f32,
            random => unreachable!("{random:?} has a sampler and a seed"),
        };
        Ok(vec![constant; len])
    }
}

/// `From<Type> for Initializer` and `Initialize for Type`, for each initializer type.
macro_rules! wrap_in_initializer {
    ($($variant:ident),* $(,)?) => {
        $(
            impl From<$variant> for Initializer {
                fn from(init: $variant) -> Self {
                    Initializer::$variant(init)
                }
            }

            impl Initialize for $variant {
                fn sample(&self, shape: &[usize], layout: Layout) -> Result<Vec<f32>, InitError> {
                    Initializer::from(*self).sample(shape, layout)
                }
            }
        )*
    };
}

wrap_in_initializer!(
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
