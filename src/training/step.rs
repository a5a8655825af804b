//! One training step and one inference step of the MLP on an MNIST batch.

use burn::train::{ClassificationOutput, InferenceStep, TrainOutput, TrainStep};

use crate::data::MnistBatch;
use crate::model::Mlp;

impl Mlp {
    /// Logits, loss and targets of a batch, for the metrics.
    pub fn forward_classification(&self, batch: MnistBatch) -> ClassificationOutput {
        let logits = self.logits(batch.images); // [batch, 10]
        let loss = self.loss(logits.clone(), batch.targets.clone());
        ClassificationOutput::new(loss, logits, batch.targets)
    }
}

impl TrainStep for Mlp {
    type Input = MnistBatch;
    type Output = ClassificationOutput;

    fn step(&self, batch: MnistBatch) -> TrainOutput<ClassificationOutput> {
        let output = self.forward_classification(batch);
        TrainOutput::new(self, output.loss.backward(), output)
    }
}

impl InferenceStep for Mlp {
    type Input = MnistBatch;
    type Output = ClassificationOutput;

    fn step(&self, batch: MnistBatch) -> ClassificationOutput {
        self.forward_classification(batch)
    }
}
