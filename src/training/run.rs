//! `train`: the mission's network on MNIST with burn-train, from options to `metrics.json`.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use burn::data::dataloader::{DataLoader, DataLoaderBuilder};
use burn::module::Module;
use burn::tensor::Device;
use burn::train::metric::{AccuracyMetric, LossMetric};
use burn::train::{Learner, SupervisedTraining};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::checkpoint::AtomicFileCheckpointer;
use super::evaluate::{EvaluationError, evaluate};
use super::history::EpochHistory;
use super::loader::EpochLoader;
use super::plot::plot_curves;
use super::renderer::QuietRenderer;
use super::report::{EpochMetrics, MetricsReport};
use crate::data::{DataError, MnistBatch, MnistBatcher, MnistDataset, MnistPaths};
use crate::device::{DeviceChoice, DeviceError};
use crate::files::write_atomically;
use crate::model::{MlpConfig, ModelError};
use crate::optim::FusedAdamConfig;
use crate::store::{StoreError, save_model};

/// Keras's Adam epsilon (burn's default is 1e-5).
pub const KERAS_ADAM_EPSILON: f32 = 1e-7;

/// What `train` is asked to do.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TrainOptions {
    /// Epochs to train for (in total, counting resumed ones).
    pub epochs: usize,
    /// Examples per batch.
    pub batch_size: usize,
    /// Adam's learning rate.
    pub learning_rate: f64,
    /// Seed of the initializers (unless the model config fixes its own) and of the shuffling.
    pub seed: u64,
    /// Use only the first `limit` training images.
    pub limit: Option<usize>,
    /// Use only the first `test_limit` test images.
    pub test_limit: Option<usize>,
    /// Where checkpoints, `metrics.json`, `config.json`, `model.bpk` and the curves go.
    pub artifact_dir: PathBuf,
    /// Continue from the last checkpoint in `artifact_dir`.
    pub resume: bool,
    /// The backend.
    #[serde(with = "device_name")]
    pub device: DeviceChoice,
    /// burn-train's terminal dashboard (`None`: when stdout is a terminal).
    #[serde(skip)]
    pub dashboard: Option<bool>,
}

mod device_name {
    use serde::{Deserialize, Deserializer, Serializer};

    use crate::device::DeviceChoice;

    pub fn serialize<S: Serializer>(
        device: &DeviceChoice,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        serializer.collect_str(device)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DeviceChoice, D::Error> {
        String::deserialize(deserializer)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl Default for TrainOptions {
    /// Keras's `fit` defaults where it has them: 5 epochs, batch 32, Adam lr 1e-3.
    fn default() -> Self {
        Self {
            epochs: 5,
            batch_size: 32,
            learning_rate: 1e-3,
            seed: 42,
            limit: None,
            test_limit: None,
            artifact_dir: PathBuf::from("artifacts"),
            resume: false,
            device: DeviceChoice::Cpu,
            dashboard: None,
        }
    }
}

/// `config.json`: the model and the options of a run, enough to rebuild and repeat it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RunConfig {
    /// The model.
    pub model: MlpConfig,
    /// The training options.
    pub training: TrainOptions,
}

/// Why a run stopped.
#[derive(Debug, Error)]
#[non_exhaustive]
pub enum TrainError {
    /// Bad options, named.
    #[error("invalid option `{option}`: {message}")]
    InvalidOption {
        /// The option.
        option: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The model config.
    #[error(transparent)]
    Model(#[from] ModelError),
    /// The data.
    #[error(transparent)]
    Data(#[from] DataError),
    /// The device.
    #[error(transparent)]
    Device(#[from] DeviceError),
    /// The loss stopped being a number: training was stopped, no checkpoint was written for
    /// the epoch it happened in.
    #[error(
        "training diverged: the loss became {loss} at epoch {epoch}, step {step}; stopped there. \
         {checkpoint} Lower --lr (or check the data) and train again{resume}."
    )]
    Diverged {
        /// 1-based epoch.
        epoch: usize,
        /// 1-based step within the epoch.
        step: usize,
        /// The value seen.
        loss: f64,
        /// What is left on disk.
        checkpoint: String,
        /// How to resume, when possible.
        resume: &'static str,
    },
    /// burn-train stopped with an error.
    #[error("training failed: {0}")]
    Training(String),
    /// Writing an artifact.
    #[error("{path}: {message}")]
    Artifact {
        /// The file.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Saving the model.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The final evaluation.
    #[error(transparent)]
    Evaluation(#[from] EvaluationError),
}

impl TrainOptions {
    /// Checks the options before any work starts.
    pub fn validate(&self) -> Result<(), TrainError> {
        let invalid = |option, message: &str| {
            Err(TrainError::InvalidOption {
                option,
                message: message.to_string(),
            })
        };
        if self.epochs == 0 {
            return invalid("epochs", "must be at least 1");
        }
        if self.batch_size == 0 {
            return invalid("batch-size", "must be at least 1");
        }
        if !(self.learning_rate.is_finite() && self.learning_rate > 0.0) {
            return invalid("lr", "must be finite and > 0");
        }
        if self.limit == Some(0) {
            return invalid("limit", "must be at least 1");
        }
        if self.test_limit == Some(0) {
            return invalid("test-limit", "must be at least 1");
        }
        Ok(())
    }
}

/// What a finished run produced.
#[derive(Debug)]
pub struct TrainOutcome {
    /// The report also written to `metrics.json`.
    pub report: MetricsReport,
    /// Where the final model was saved.
    pub model_path: PathBuf,
}

/// Trains `model` on the MNIST files at `paths` and writes the run's artifacts.
///
/// On flex, a step is 15–20 % faster when the calling thread is a rayon worker (see
/// [`join_rayon_pool`]); the `burn-init` binary makes its main thread one.
///
/// # Errors
/// Every [`TrainError`]: options and config are checked before the data is read, and the data
/// before training starts.
pub fn train(
    model: &MlpConfig,
    options: &TrainOptions,
    paths: &MnistPaths,
) -> Result<TrainOutcome, TrainError> {
    options.validate()?;
    let mut model_config = model.clone();
    model_config.seed = model_config.seed.or(Some(options.seed));
    model_config.validate()?;
    check_fits_mnist(&model_config)?;
    let (device, device_description) = options.device.open()?;

    let train_set = MnistDataset::load(&paths.train_images, &paths.train_labels)?
        .limit(options.limit.unwrap_or(usize::MAX));
    let test_set = MnistDataset::load(&paths.test_images, &paths.test_labels)?
        .limit(options.test_limit.unwrap_or(usize::MAX));

    let artifact_dir = &options.artifact_dir;
    std::fs::create_dir_all(artifact_dir).map_err(|error| artifact_error(artifact_dir, error))?;
    let run_config = RunConfig {
        model: model_config.clone(),
        training: options.clone(),
    };
    let config_json =
        serde_json::to_string_pretty(&run_config).map_err(|error| TrainError::Artifact {
            path: artifact_dir.join("config.json"),
            message: error.to_string(),
        })?;
    let config_path = artifact_dir.join("config.json");
    write_atomically(&config_path, config_json.as_bytes())
        .map_err(|error| artifact_error(&config_path, error))?;

    let train_examples = burn::data::dataset::Dataset::len(&train_set);
    let resume_from = if options.resume {
        resumable_checkpoint(artifact_dir, &model_config, &device)
    } else {
        None
    };
    let next_epoch = resume_from.map_or(1, |epoch| epoch + 1);
    let (train_loader, valid_loader) =
        loaders(train_set, test_set.clone(), options, next_epoch, &device);
    let training_device = device.clone().autodiff();
    let network = model_config.init(&training_device)?;
    let parameters = network.num_params();
    // burn's Adam, computed in one pass per parameter on flex (bit-identical, `src/optim.rs`).
    let optimizer = FusedAdamConfig::new()
        .with_epsilon(KERAS_ADAM_EPSILON)
        .init();
    let learner = Learner::new(network, optimizer, options.learning_rate);

    let dashboard = options
        .dashboard
        .unwrap_or_else(|| std::io::stdout().is_terminal());
    let history_path = artifact_dir.join("history.json");
    let earlier: Vec<EpochMetrics> = match resume_from {
        Some(epoch) => EpochHistory::load_epochs(&history_path)
            .into_iter()
            .filter(|metrics| metrics.epoch <= epoch)
            .collect(),
        None => Vec::new(),
    };
    let history = EpochHistory::new().persisting(history_path, earlier);
    let history = if dashboard {
        history
    } else {
        history.echoing(options.epochs)
    };

    let checkpoint_dir = artifact_dir.join("checkpoint");
    let mut supervised = SupervisedTraining::new(artifact_dir, train_loader, valid_loader)
        .metrics((AccuracyMetric::new(), LossMetric::new()))
        .with_metric_logger(history.clone())
        .with_custom_checkpointers(
            AtomicFileCheckpointer::new(&checkpoint_dir, "model"),
            AtomicFileCheckpointer::new(&checkpoint_dir, "optim"),
            AtomicFileCheckpointer::new(&checkpoint_dir, "scheduler"),
        )
        .num_epochs(options.epochs);
    if !dashboard {
        supervised = supervised.renderer(Box::new(QuietRenderer));
    }
    if let Some(epoch) = resume_from {
        supervised = supervised.checkpoint(epoch);
    }
    history.stop_on_divergence(supervised.interrupter());
    let started = Instant::now();
    let result = supervised.launch(learner);
    if let Some(divergence) = history.divergence() {
        let last = last_checkpoint(artifact_dir);
        return Err(TrainError::Diverged {
            epoch: divergence.epoch,
            step: divergence.step,
            loss: divergence.loss,
            checkpoint: match last {
                Some(epoch) => format!(
                    "The last good checkpoint is epoch {epoch} in {}.",
                    artifact_dir.join("checkpoint").display()
                ),
                None => "No epoch finished before it, so there is no checkpoint.".into(),
            },
            resume: if last.is_some() { " with --resume" } else { "" },
        });
    }
    if let Some(error) = result.error {
        return Err(TrainError::Training(error.to_string()));
    }
    let trained = result.model;
    let epochs = history.epochs();

    let model_path = artifact_dir.join("model.bpk");
    save_model(&trained, &model_path)?;
    let test = evaluate(&trained, &test_set, &device, 1000)?;
    let report = MetricsReport {
        epochs,
        test_accuracy: test.accuracy,
        test_loss: test.loss,
        test_examples: test.examples,
        train_examples,
        parameters,
        device: device_description,
        seed: options.seed,
        batch_size: options.batch_size,
        learning_rate: options.learning_rate,
    };
    let metrics_path = artifact_dir.join("metrics.json");
    report
        .save(&metrics_path)
        .map_err(|error| artifact_error(&metrics_path, error))?;
    let curves_path = artifact_dir.join("curves.png");
    plot_curves(&report.epochs, &curves_path).map_err(|message| TrainError::Artifact {
        path: curves_path.clone(),
        message,
    })?;
    if !dashboard {
        println!(
            "test accuracy {:.4} ({} images), {:.1} s in all; artifacts in {}",
            report.test_accuracy,
            report.test_examples,
            started.elapsed().as_secs_f64(),
            artifact_dir.display()
        );
    }
    Ok(TrainOutcome { report, model_path })
}

/// Makes the calling thread worker 0 of rayon's global pool, so that the rayon jobs it starts
/// (flex's matmuls, [`crate::optim::FusedAdam`]'s large updates) run partly on it instead of
/// being handed to the pool while it sleeps, a wake-up each way (a training step 15–20 % faster
/// on 2 cores, `benches/training_step.rs`). Call it once, first thing in `main`, before anything
/// uses rayon; it returns `false`, changing nothing, when the global pool already exists.
pub fn join_rayon_pool() -> bool {
    rayon::ThreadPoolBuilder::new()
        .use_current_thread()
        .build_global()
        .is_ok()
}

/// Checks that `model` can train on MNIST: its input flattens to 784 pixels and its last layer
/// has 10 units, one per digit. `train` runs it before reading any data; the CLI runs it before
/// it even looks for the files.
///
/// # Errors
/// [`ModelError::InvalidField`] naming `input_shape` or the last layer's `units`.
pub fn check_fits_mnist(model: &MlpConfig) -> Result<(), TrainError> {
    let last = model.layers.len() - 1;
    if model.classes() != 10 {
        return Err(ModelError::InvalidField {
            field: format!("layers[{last}].units"),
            message: format!("must be 10 for MNIST's ten digits, got {}", model.classes()),
        }
        .into());
    }
    if model.input_features() != crate::data::IMAGE_PIXELS {
        return Err(ModelError::InvalidField {
            field: "input_shape".into(),
            message: format!(
                "must flatten to 784 MNIST pixels, got {:?} = {}",
                model.input_shape,
                model.input_features()
            ),
        }
        .into());
    }
    Ok(())
}

type Loaders = (
    Arc<dyn DataLoader<MnistBatch>>,
    Arc<dyn DataLoader<MnistBatch>>,
);

fn loaders(
    train: MnistDataset,
    test: MnistDataset,
    options: &TrainOptions,
    next_epoch: usize,
    device: &Device,
) -> Loaders {
    let train_loader = Arc::new(EpochLoader::new(
        train,
        options.batch_size,
        options.seed,
        next_epoch,
        device,
    ));
    // Validation batches only change the speed, not the figures.
    let valid_loader = DataLoaderBuilder::new(MnistBatcher)
        .batch_size(1000)
        .build(test);
    (train_loader, valid_loader)
}

/// The last epoch whose model and optimizer checkpoints both exist.
pub fn last_checkpoint(artifact_dir: &Path) -> Option<usize> {
    complete_checkpoints(artifact_dir).into_iter().next()
}

/// The epochs with a complete checkpoint (model, optimizer and scheduler files), newest first.
pub fn complete_checkpoints(artifact_dir: &Path) -> Vec<usize> {
    let dir = artifact_dir.join("checkpoint");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut epochs: Vec<usize> = entries
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| {
            let name = entry.file_name().into_string().ok()?;
            name.strip_prefix("model-")?
                .strip_suffix(".bpk")?
                .parse::<usize>()
                .ok()
        })
        .filter(|epoch| {
            // Each file is written atomically, but the three are written one after the
            // other: an epoch counts only once all three exist.
            ["optim", "scheduler"]
                .iter()
                .all(|name| dir.join(format!("{name}-{epoch}.bpk")).exists())
        })
        .collect();
    epochs.sort_unstable_by(|a, b| b.cmp(a));
    epochs
}

/// The newest checkpoint whose model file reads back; unreadable newer ones (damaged after they
/// were written, or left by another program) are reported on stderr and passed over, so a bad
/// file costs one epoch, never the run.
fn resumable_checkpoint(artifact_dir: &Path, model: &MlpConfig, device: &Device) -> Option<usize> {
    complete_checkpoints(artifact_dir)
        .into_iter()
        .find(|&epoch| {
            let path = artifact_dir
                .join("checkpoint")
                .join(format!("model-{epoch}.bpk"));
            match crate::store::load_model(model, &path, device) {
                Ok(_) => true,
                Err(error) => {
                    eprintln!("warning: skipping checkpoint {epoch}: {error}");
                    false
                }
            }
        })
}

fn artifact_error(path: &Path, error: std::io::Error) -> TrainError {
    TrainError::Artifact {
        path: path.to_path_buf(),
        message: error.to_string(),
    }
}
