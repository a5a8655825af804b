//! The command line, declared with clap.

use std::path::PathBuf;

use burn_init::device::DeviceChoice;
use clap::{Args, Parser, Subcommand};

/// Keras-exact initializers for burn, and the MNIST network that proves them.
#[derive(Debug, Parser)]
#[command(name = "burn-init", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Train the network on MNIST (5 epochs, batch 32, Adam 1e-3 by default).
    Train(TrainArgs),
    /// Evaluate a trained model on the MNIST test set.
    Evaluate(EvaluateArgs),
    /// Predict the digit of images: an IDX image file (gzipped or raw) or a PNG.
    Predict(PredictArgs),
    /// Print the model's Keras-style summary.
    Summary(SummaryArgs),
}

/// Where the MNIST files are.
#[derive(Debug, Args)]
pub struct DataArgs {
    /// Directory holding the four MNIST files (gzipped or raw); else $MNIST_DIR, else the
    /// per-user cache, else a download into the cache.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Never download; fail with the list of missing files instead.
    #[arg(long)]
    pub offline: bool,
}

/// `train`.
#[derive(Debug, Args)]
pub struct TrainArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// Epochs to train for.
    #[arg(long, default_value_t = 5)]
    pub epochs: usize,
    /// Examples per batch (Keras's default).
    #[arg(long, default_value_t = 32)]
    pub batch_size: usize,
    /// Adam's learning rate.
    #[arg(long, default_value_t = 1e-3)]
    pub lr: f64,
    /// Seed of the initializers and of the shuffling.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Train on the first N training images only.
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Evaluate on the first N test images only.
    #[arg(long, value_name = "N")]
    pub test_limit: Option<usize>,
    /// Where checkpoints, model.bpk, metrics.json, config.json and curves.png go.
    #[arg(long, default_value = "artifacts", value_name = "DIR")]
    pub artifact_dir: PathBuf,
    /// Continue from the last checkpoint in the artifact directory.
    #[arg(long)]
    pub resume: bool,
    /// Backend: cpu (flex), flex, ndarray, wgpu, wgpu:N.
    #[arg(long, default_value = "cpu")]
    pub device: DeviceChoice,
    /// A model config (JSON, as written to config.json's "model"); default: the mission's
    /// network.
    #[arg(long, value_name = "FILE")]
    pub model_config: Option<PathBuf>,
}

/// `evaluate`.
#[derive(Debug, Args)]
pub struct EvaluateArgs {
    #[command(flatten)]
    pub data: DataArgs,
    /// The directory `train` wrote (config.json and model.bpk).
    #[arg(long, default_value = "artifacts", value_name = "DIR")]
    pub artifact_dir: PathBuf,
    /// Evaluate on the first N test images only.
    #[arg(long, value_name = "N")]
    pub test_limit: Option<usize>,
    /// Backend: cpu (flex), flex, ndarray, wgpu, wgpu:N.
    #[arg(long, default_value = "cpu")]
    pub device: DeviceChoice,
}

/// `predict`.
#[derive(Debug, Args)]
pub struct PredictArgs {
    /// An IDX image file (gzipped or raw) or a PNG of a digit.
    pub input: PathBuf,
    /// The directory `train` wrote (config.json and model.bpk).
    #[arg(long, default_value = "artifacts", value_name = "DIR")]
    pub artifact_dir: PathBuf,
    /// For IDX files: the first image to predict.
    #[arg(long, default_value_t = 0)]
    pub index: usize,
    /// For IDX files: how many images to predict.
    #[arg(long, default_value_t = 1)]
    pub count: usize,
    /// Backend: cpu (flex), flex, ndarray, wgpu, wgpu:N.
    #[arg(long, default_value = "cpu")]
    pub device: DeviceChoice,
}

/// `summary`.
#[derive(Debug, Args)]
pub struct SummaryArgs {
    /// A model config (JSON); default: the mission's network.
    #[arg(long, value_name = "FILE")]
    pub model_config: Option<PathBuf>,
}
