//! Weight initializers: Keras-exact variance scaling for burn, seeded and backend-independent.
//!
//! The pieces, each in its own file:
//! - [`fans`]: [`Layout`] → [`Fans`], the one place fans are computed;
//! - [`distribution`]: the laws ([`Distribution`], [`Sampler`]) with exact moments and CDFs;
//! - [`generator`]: the counter-based, block-parallel host generator;
//! - [`seed`]: fixed, fresh and derived [`Seed`]s;
//! - the initializers: [`VarianceScaling`] and its presets, [`Orthogonal`], the fixed-law
//!   [`RandomNormal`] / [`RandomUniform`] / [`TruncatedNormal`], and [`Zeros`] / [`Ones`] /
//!   [`Constant`], all gathered in the [`Initializer`] enum and drawn through [`Initialize`];
//! - [`gain`]: activation gains and recommended initializers ([`Nonlinearity`]);
//! - [`keras`]: Keras identifiers and JSON; `burn_interop`: conversion to
//!   `burn::nn::Initializer`; [`layers`]: the [`InitWith`] extension on burn's layer configs.
//!
//! Nothing here depends on training code.

mod burn_interop;
mod constant;
pub mod distribution;
mod error;
pub mod fans;
pub mod gain;
pub mod generator;
mod initializer;
pub mod keras;
mod lanes;
pub mod layers;
mod orthogonal;
mod presets;
mod random;
pub mod seed;
mod variance_scaling;
mod ziggurat;

pub use constant::{Constant, Ones, Zeros};
pub use distribution::{Distribution, Sampler};
pub use error::InitError;
pub use fans::{FanMode, Fans, Layout};
pub use gain::Nonlinearity;
pub use initializer::{Initialize, Initializer};
pub use layers::InitWith;
pub use orthogonal::Orthogonal;
pub use presets::{GlorotNormal, GlorotUniform, HeNormal, HeUniform, LecunNormal, LecunUniform};
pub use random::{RandomNormal, RandomUniform, TruncatedNormal};
pub use seed::Seed;
pub use variance_scaling::VarianceScaling;
