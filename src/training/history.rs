//! Per-epoch loss and accuracy, collected from burn-train's metric stream for `metrics.json`
//! and the plain-text progress lines.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use burn::train::Interrupter;
use burn::train::logger::MetricLogger;
use burn::train::metric::store::{EpochSummary, MetricsUpdate, Split};
use burn::train::metric::{MetricDefinition, MetricId, NumericEntry};

use super::report::EpochMetrics;
use crate::files::write_atomically;

/// Where a loss first stopped being a finite number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Divergence {
    /// 1-based epoch.
    pub epoch: usize,
    /// 1-based training step within the epoch.
    pub step: usize,
    /// The value seen (NaN or ±∞).
    pub loss: f64,
}

#[derive(Default)]
struct State {
    echo: bool,
    interrupter: Option<Interrupter>,
    steps: HashMap<usize, usize>,
    divergence: Option<Divergence>,
    total_epochs: usize,
    persist_to: Option<PathBuf>,
    names: HashMap<MetricId, String>,
    running: HashMap<(usize, bool, String), f64>,
    finished: Vec<EpochMetrics>,
    epoch_started: Option<Instant>,
    /// When the current epoch's training pass ended (its validation pass follows).
    training_ended: Option<Instant>,
}

/// A [`MetricLogger`] that keeps the epoch means of `Loss` and `Accuracy`; clones share state.
#[derive(Debug, Clone, Default)]
pub struct EpochHistory {
    state: Arc<Mutex<State>>,
}

impl EpochHistory {
    /// An empty history; the first epoch's clock starts now.
    pub fn new() -> Self {
        let history = Self::default();
        history.lock().epoch_started = Some(Instant::now());
        history
    }

    /// The same history, also printing one line per finished epoch to stdout (for pipes and
    /// CI, where burn-train's terminal dashboard is off).
    pub fn echoing(self, total_epochs: usize) -> Self {
        {
            let mut state = self.lock();
            state.echo = true;
            state.total_epochs = total_epochs;
        }
        self
    }

    /// The same history, starting from `earlier` epochs (of a run being resumed) and writing
    /// every epoch so far to `path` (atomically) as each one ends, so a crash loses none.
    pub fn persisting(self, path: PathBuf, earlier: Vec<EpochMetrics>) -> Self {
        {
            let mut state = self.lock();
            state.persist_to = Some(path);
            state.finished = earlier;
        }
        self
    }

    /// Reads a file written by [`EpochHistory::persisting`]; empty when there is none.
    pub fn load_epochs(path: &Path) -> Vec<EpochMetrics> {
        std::fs::read_to_string(path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default()
    }

    /// Stops training through `interrupter` as soon as a training loss is NaN or infinite.
    pub fn stop_on_divergence(&self, interrupter: Interrupter) {
        self.lock().interrupter = Some(interrupter);
    }

    /// The first non-finite training loss, if any.
    pub fn divergence(&self) -> Option<Divergence> {
        self.lock().divergence
    }

    /// The epochs finished so far, in order.
    pub fn epochs(&self) -> Vec<EpochMetrics> {
        self.lock().finished.clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock leaves plain numbers behind: still usable.
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State")
            .field("finished", &self.finished)
            .field("divergence", &self.divergence)
            .finish_non_exhaustive()
    }
}

impl State {
    fn check_divergence(
        &mut self,
        epoch: usize,
        step: usize,
        current: &Option<NumericEntry>,
        running: &Option<NumericEntry>,
    ) {
        let value = |entry: &Option<NumericEntry>| match entry {
            Some(NumericEntry::Value(v) | NumericEntry::Final(v)) => Some(*v),
            Some(NumericEntry::Aggregated {
                aggregated_value, ..
            }) => Some(*aggregated_value),
            None => None,
        };
        let Some(loss) = [value(current), value(running)]
            .into_iter()
            .flatten()
            .find(|loss| !loss.is_finite())
        else {
            return;
        };
        if self.divergence.is_some() {
            return;
        }
        self.divergence = Some(Divergence { epoch, step, loss });
        if let Some(interrupter) = &self.interrupter {
            let reason = format!("the training loss became {loss} at epoch {epoch}, step {step}");
            interrupter.stop(Some(&reason));
        }
    }

    fn mean(&self, epoch: usize, train: bool, name: &str) -> Option<f64> {
        self.running.get(&(epoch, train, name.to_string())).copied()
    }
}

impl MetricLogger for EpochHistory {
    fn log(&mut self, update: MetricsUpdate, epoch: usize, split: &Split) {
        let train = match split {
            Split::Train => true,
            Split::Valid => false,
            Split::Test(_) => return,
        };
        let mut state = self.lock();
        let step = if train {
            let step = state.steps.entry(epoch).or_insert(0);
            *step += 1;
            *step
        } else {
            0
        };
        for numeric in update.entries_numeric {
            let Some(name) = state.names.get(&numeric.entry.metric_id).cloned() else {
                continue;
            };
            if train && name == "Loss" {
                state.check_divergence(epoch, step, &numeric.numeric_entry, &numeric.running_entry);
            }
            // The running entry is the epoch mean so far; a final entry closes the epoch.
            let value = match (numeric.numeric_entry, numeric.running_entry) {
                (Some(NumericEntry::Final(value)), _) => value,
                (
                    _,
                    Some(NumericEntry::Aggregated {
                        aggregated_value, ..
                    }),
                ) => aggregated_value,
                (_, Some(NumericEntry::Value(value) | NumericEntry::Final(value))) => value,
                (Some(NumericEntry::Value(value)), None) => value,
                _ => continue,
            };
            state.running.insert((epoch, train, name), value);
        }
    }

    fn read_numeric(
        &mut self,
        name: &str,
        epoch: usize,
        split: &Split,
    ) -> Result<Vec<NumericEntry>, String> {
        // burn-train's checkpointing strategy asks for the epoch mean of a metric; an epoch not
        // seen yet has no points (burn-train then treats the metric as absent).
        let train = matches!(split, Split::Train);
        Ok(self
            .lock()
            .running
            .get(&(epoch, train, name.to_string()))
            .map(|value| vec![NumericEntry::Final(*value)])
            .unwrap_or_default())
    }

    fn log_metric_definition(&mut self, definition: MetricDefinition) {
        self.lock()
            .names
            .insert(definition.metric_id.clone(), definition.name.to_string());
    }

    fn log_epoch_summary(&mut self, summary: EpochSummary) {
        let now = Instant::now();
        let mut state = self.lock();
        if summary.split != Split::Valid {
            if summary.split == Split::Train {
                state.training_ended = Some(now);
            }
            return;
        }
        let epoch = summary.epoch_number;
        let (started, training_ended) = (state.epoch_started, state.training_ended.take());
        let since_start = |end: Option<Instant>| match (started, end) {
            (Some(start), Some(end)) => end.duration_since(start).as_secs_f64(),
            _ => 0.0,
        };
        let seconds = since_start(Some(now));
        let train_seconds = since_start(training_ended);
        // burn-train reports accuracy in percent; metrics.json holds fractions.
        let record = EpochMetrics {
            epoch,
            train_loss: state.mean(epoch, true, "Loss"),
            train_accuracy: state.mean(epoch, true, "Accuracy").map(|p| p / 100.0),
            valid_loss: state.mean(epoch, false, "Loss"),
            valid_accuracy: state.mean(epoch, false, "Accuracy").map(|p| p / 100.0),
            seconds,
            train_seconds,
        };
        if state.echo {
            println!("{}", record.line(state.total_epochs));
        }
        state.finished.retain(|finished| finished.epoch != epoch);
        state.finished.push(record);
        state.finished.sort_by_key(|finished| finished.epoch);
        if let Some(path) = &state.persist_to {
            let written = serde_json::to_string_pretty(&state.finished)
                .map_err(std::io::Error::other)
                .and_then(|json| write_atomically(path, json.as_bytes()));
            if let Err(error) = written {
                eprintln!("warning: {}: {error}", path.display());
            }
        }
        state.epoch_started = Some(now);
    }
}
