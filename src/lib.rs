//! # burn-init
//!
//! The weight initializers Keras, PyTorch and JAX users rely on, for the
//! [burn](https://burn.dev) deep-learning framework: Keras-exact variance scaling (truncated
//! normals whose variance is exact), PyTorch's untruncated variants, JAX's `fan_geo_avg`,
//! orthogonal and constant initializers; seeded so that the same seed gives bit-identical
//! tensors on every backend and any number of threads; readable from Keras JSON; pluggable into
//! burn's layer configs.
//!
//! ```
//! use burn::nn::LinearConfig;
//! use burn::tensor::Device;
//! use burn_init::{GlorotNormal, HeNormal, InitWith, Initializer};
//!
//! let device = Device::flex();
//! // Dense(512, tanh, kernel_initializer=GlorotNormal(seed=7)), bias zeros.
//! let hidden = LinearConfig::new(784, 512).init_with(&GlorotNormal::new().with_seed(7), &device)?;
//! // The same initializer from a Keras config.
//! let parsed = Initializer::parse(r#"{"class_name": "GlorotNormal", "config": {"seed": 7}}"#)?;
//! assert_eq!(parsed, GlorotNormal::new().with_seed(7).into());
//! // PyTorch's plain kaiming_normal_ instead of Keras's truncated He normal:
//! let relu = LinearConfig::new(512, 128).init_with(&HeNormal::new().untruncated(), &device)?;
//! assert_eq!(relu.weight.dims(), [512, 128]);
//! # let _ = hidden;
//! # Ok::<(), burn_init::InitError>(())
//! ```
//!
//! The initializers live in [`init`] and are re-exported here. The application around them,
//! the mission's MNIST network, is in [`model`] (the network), [`data`] (MNIST), [`training`]
//! (burn-train, evaluation, artifacts), [`store`] (model files) and [`device`] (`--device`).

#![warn(missing_docs)]

pub mod data;
pub mod device;
pub mod diagnostics;
pub mod files;
mod flex;
pub mod fuzzing;
pub mod init;
pub mod model;
pub mod optim;
pub mod store;
pub mod training;

pub use init::{
    Constant, Distribution, FanMode, Fans, GlorotNormal, GlorotUniform, HeNormal, HeUniform,
    InitError, InitWith, Initialize, Initializer, Layout, LecunNormal, LecunUniform, Nonlinearity,
    Ones, Orthogonal, RandomNormal, RandomUniform, Sampler, Seed, TruncatedNormal, VarianceScaling,
    Zeros,
};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
