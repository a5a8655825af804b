//! `metrics.json`: what a run measured, as fractions and seconds.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::files::write_atomically;

/// One epoch in `metrics.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EpochMetrics {
    /// 1-based epoch number.
    pub epoch: usize,
    /// Mean training loss.
    pub train_loss: Option<f64>,
    /// Training accuracy in `[0, 1]`.
    pub train_accuracy: Option<f64>,
    /// Mean validation loss (the MNIST test set).
    pub valid_loss: Option<f64>,
    /// Validation accuracy in `[0, 1]`.
    pub valid_accuracy: Option<f64>,
    /// Wall-clock seconds of the epoch (training and validation).
    pub seconds: f64,
    /// Of those, the seconds of the training pass alone (0 in files written before it was
    /// recorded).
    #[serde(default)]
    pub train_seconds: f64,
}

impl EpochMetrics {
    /// `epoch 1/5  train loss 0.2345 acc 0.9312  valid loss 0.1234 acc 0.9612  12.3 s (train 10.1 s)`.
    pub fn line(&self, total_epochs: usize) -> String {
        let show = |value: Option<f64>| value.map_or("n/a".to_string(), |v| format!("{v:.4}"));
        format!(
            "epoch {}/{total_epochs}  train loss {} acc {}  valid loss {} acc {}  {:.1} s (train {:.1} s)",
            self.epoch,
            show(self.train_loss),
            show(self.train_accuracy),
            show(self.valid_loss),
            show(self.valid_accuracy),
            self.seconds,
            self.train_seconds
        )
    }
}

/// The whole `metrics.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetricsReport {
    /// Per-epoch figures, in order.
    pub epochs: Vec<EpochMetrics>,
    /// Accuracy of the final model on the test set, in `[0, 1]`.
    pub test_accuracy: f64,
    /// Mean loss of the final model on the test set.
    pub test_loss: f64,
    /// Test examples evaluated.
    pub test_examples: usize,
    /// Training examples used.
    pub train_examples: usize,
    /// Trainable parameters.
    pub parameters: usize,
    /// The device, as given on the command line and as burn names it.
    pub device: String,
    /// The seed of the run (initializers and shuffling).
    pub seed: u64,
    /// Batch size.
    pub batch_size: usize,
    /// Learning rate.
    pub learning_rate: f64,
}

impl MetricsReport {
    /// Writes the report as pretty JSON, atomically.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        write_atomically(path, json.as_bytes())
    }

    /// Reads a report.
    pub fn load(path: &Path) -> std::io::Result<Self> {
        let text = std::fs::read_to_string(path)?;
        serde_json::from_str(&text).map_err(|error| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: {error}", path.display()),
            )
        })
    }
}
