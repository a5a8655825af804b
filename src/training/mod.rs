//! Training, evaluation and prediction with burn-train, and the run's artifacts.

mod checkpoint;
mod evaluate;
mod history;
mod loader;
mod plot;
mod renderer;
mod report;
mod run;
mod step;

pub use checkpoint::AtomicFileCheckpointer;
pub use evaluate::{Evaluation, EvaluationError, evaluate, predict};
pub use history::{Divergence, EpochHistory};
pub use loader::EpochLoader;
pub use plot::{plot_curves, register_fonts};
pub use renderer::QuietRenderer;
pub use report::{EpochMetrics, MetricsReport};
pub use run::{
    KERAS_ADAM_EPSILON, RunConfig, TrainError, TrainOptions, TrainOutcome, check_fits_mnist,
    complete_checkpoints, join_rayon_pool, last_checkpoint, train,
};
