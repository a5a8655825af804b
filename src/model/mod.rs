//! The reference network: a Keras-style `Sequential` MLP, its config and its summary.

mod activation;
mod config;
mod mlp;
mod summary;
pub mod tanh;

pub use activation::{Activation, KERAS_LEAKY_RELU_SLOPE};
pub use config::{DenseConfig, MlpConfig, ModelError};
pub use mlp::Mlp;
pub use summary::{Summary, SummaryRow, readable_memory_size, thousands as summary_thousands};
