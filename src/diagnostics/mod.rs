//! Initialization diagnostics: do activations and gradients keep their scale through depth?
//!
//! Builds a deep MLP (50 × 256 by default) for each pairing of initializer and activation,
//! feeds it one batch (real MNIST images, or standard normal inputs), back-propagates a
//! cross-entropy on random labels, and records, for every layer, the standard deviation of the
//! pre-activations, the activations and the weight gradients, all at initialization. This is the
//! experiment of Glorot & Bengio (2010, figures 3–7) and He et al. (2015, figure 3), for any
//! network and initializer of this crate.

mod grid;
mod measure;
mod output;
mod run;

pub use grid::{
    EXPLODING_ABOVE, PairingReport, VANISHING_BELOW, Verdict, default_activations,
    default_initializers, verdict,
};
pub use measure::{LayerSpec, LayerStats, measure, normal_inputs, random_labels};
pub use output::{csv, plot, table, write_outputs};
pub use run::{DiagnoseError, DiagnoseOptions, Inputs, diagnose_config, diagnose_grid};
