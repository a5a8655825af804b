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
    /// Measure activation and gradient spread through a deep MLP at initialization.
    Diagnose(DiagnoseArgs),
}

/// A count that must be at least 1 (epochs, batch size, limits): 0 is a usage error, exit 2.
fn at_least_one(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(value) => Ok(value),
        Err(error) => Err(error.to_string()),
    }
}

/// A finite number > 0 (the learning rate): `NaN`, `inf`, 0 and negatives are usage errors.
fn positive_finite(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(value) if value.is_finite() && value > 0.0 => Ok(value),
        Ok(value) => Err(format!("must be finite and > 0, got {value}")),
        Err(error) => Err(error.to_string()),
    }
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
    #[arg(long, default_value_t = 5, value_parser = at_least_one)]
    pub epochs: usize,
    /// Examples per batch (Keras's default).
    #[arg(long, default_value_t = 32, value_parser = at_least_one)]
    pub batch_size: usize,
    /// Adam's learning rate.
    #[arg(long, default_value_t = 1e-3, value_parser = positive_finite, allow_negative_numbers = true)]
    pub lr: f64,
    /// Seed of the initializers and of the shuffling.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Train on the first N training images only.
    #[arg(long, value_name = "N", value_parser = at_least_one)]
    pub limit: Option<usize>,
    /// Evaluate on the first N test images only.
    #[arg(long, value_name = "N", value_parser = at_least_one)]
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
    #[arg(long, value_name = "N", value_parser = at_least_one)]
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
    #[arg(long, default_value_t = 1, value_parser = at_least_one)]
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

/// `diagnose`.
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Hidden layers of the deep MLP.
    #[arg(long, default_value_t = 50, value_parser = at_least_one)]
    pub depth: usize,
    /// Units per hidden layer.
    #[arg(long, default_value_t = 256, value_parser = at_least_one)]
    pub width: usize,
    /// Examples in the batch.
    #[arg(long, default_value_t = 256, value_parser = at_least_one)]
    pub batch: usize,
    /// Seed of the initializers, the random labels and the normal inputs.
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Initializers (Keras names, or small_normal for N(0, 0.01²)), comma-separated; default:
    /// glorot_normal, he_normal, lecun_normal, small_normal.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub initializer: Vec<String>,
    /// Activations, comma-separated; default: tanh, relu, sigmoid, selu, leaky_relu.
    #[arg(long, value_delimiter = ',', value_name = "NAMES")]
    pub activation: Vec<String>,
    /// Diagnose this model config's own layers instead of the grid.
    #[arg(long, value_name = "FILE")]
    pub model_config: Option<PathBuf>,
    /// Feed real MNIST training images from this directory; without it, standard normal
    /// inputs.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Where diagnostics.csv, diagnostics.json and the PNG plots go.
    #[arg(long, default_value = "diagnostics", value_name = "DIR")]
    pub out_dir: PathBuf,
    /// Backend: cpu (flex), flex, ndarray, wgpu, wgpu:N.
    #[arg(long, default_value = "cpu")]
    pub device: DeviceChoice,
}
