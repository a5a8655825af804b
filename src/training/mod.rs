//! Training, evaluation and prediction with burn-train, and the run's artifacts.

mod evaluate;
mod history;
mod plot;
mod renderer;
mod report;
mod run;
mod step;

pub use evaluate::{Evaluation, EvaluationError, evaluate, predict};
pub use history::{Divergence, EpochHistory};
pub use plot::{plot_curves, register_fonts};
pub use renderer::QuietRenderer;
pub use report::{EpochMetrics, MetricsReport};
pub use run::{
    KERAS_ADAM_EPSILON, RunConfig, TrainError, TrainOptions, TrainOutcome, last_checkpoint, train,
};
