//! The training data loader: epoch `e` visits the examples in a permutation that depends only on
//! `(seed, e)`, so a run resumed after epoch `k` sees exactly the batches an uninterrupted run
//! sees from epoch `k + 1` on.
//!
//! burn's `DataLoaderBuilder::shuffle` draws every epoch's order from one generator that lives in
//! the process, so a resumed process would replay epoch 1's order. Here the permutation of epoch
//! `e` is a Fisher–Yates shuffle driven by xoshiro256++ seeded with `Seed::derive(e)` of the run
//! seed, which is also independent of burn's and rand's internals.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use burn::data::dataloader::{DataLoader, DataLoaderIterator, Progress};
use burn::data::dataset::{Dataset, DatasetError};
use burn::tensor::Device;
use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_xoshiro::Xoshiro256PlusPlus;

use crate::data::{MnistBatch, MnistDataset};
use crate::init::Seed;

/// Batches of a [`MnistDataset`] in a fresh, seeded order each epoch.
#[derive(Clone)]
pub struct EpochLoader {
    dataset: MnistDataset,
    batch_size: usize,
    seed: u64,
    device: Device,
    /// The items this loader covers (all of them unless sliced).
    range: (usize, usize),
    /// Epochs started so far, counted from the run's first epoch (shared with the copies
    /// `to_device` makes, since burn-train iterates one of those).
    epochs_started: Arc<AtomicUsize>,
}

impl EpochLoader {
    /// A loader whose next `iter()` is epoch `next_epoch` (1-based): 1 for a new run, `k + 1`
    /// when resuming after the checkpoint of epoch `k`.
    pub fn new(
        dataset: MnistDataset,
        batch_size: usize,
        seed: u64,
        next_epoch: usize,
        device: &Device,
    ) -> Self {
        let len = dataset.len();
        Self {
            dataset,
            batch_size,
            seed,
            device: device.clone(),
            range: (0, len),
            epochs_started: Arc::new(AtomicUsize::new(next_epoch.saturating_sub(1))),
        }
    }

    /// The order in which epoch `epoch` (1-based) visits this loader's items.
    pub fn order(&self, epoch: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (self.range.0..self.range.1).collect();
        let seed = Seed::fixed(self.seed).derive(epoch as u64).value();
        order.shuffle(&mut Xoshiro256PlusPlus::seed_from_u64(seed));
        order
    }
}

impl DataLoader<MnistBatch> for EpochLoader {
    fn iter<'a>(&'a self) -> Box<dyn DataLoaderIterator<MnistBatch> + 'a> {
        let epoch = self.epochs_started.fetch_add(1, Ordering::SeqCst) + 1;
        Box::new(EpochIterator {
            loader: self,
            order: self.order(epoch),
            position: 0,
        })
    }

    fn num_items(&self) -> usize {
        self.range.1 - self.range.0
    }

    fn to_device(&self, device: &Device) -> Arc<dyn DataLoader<MnistBatch>> {
        Arc::new(Self {
            device: device.clone(),
            ..self.clone()
        })
    }

    fn slice(&self, start: usize, end: usize) -> Arc<dyn DataLoader<MnistBatch>> {
        let first = (self.range.0 + start).min(self.range.1);
        let last = (self.range.0 + end).clamp(first, self.range.1);
        Arc::new(Self {
            range: (first, last),
            // A slice counts its own epochs from where this loader stands.
            epochs_started: Arc::new(AtomicUsize::new(self.epochs_started.load(Ordering::SeqCst))),
            ..self.clone()
        })
    }
}

struct EpochIterator<'a> {
    loader: &'a EpochLoader,
    order: Vec<usize>,
    position: usize,
}

impl Iterator for EpochIterator<'_> {
    type Item = Result<MnistBatch, DatasetError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.position >= self.order.len() {
            return None;
        }
        let end = (self.position + self.loader.batch_size).min(self.order.len());
        let indices = &self.order[self.position..end];
        let batch = self.loader.dataset.batch(indices, &self.loader.device);
        self.position = end;
        Some(batch)
    }
}

impl DataLoaderIterator<MnistBatch> for EpochIterator<'_> {
    fn progress(&self) -> Progress {
        Progress {
            items_processed: self.position,
            items_total: self.order.len(),
            unit: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dataset(len: usize) -> MnistDataset {
        MnistDataset::from_parts(
            vec![0; len * 784],
            (0..len).map(|i| (i % 10) as u8).collect(),
        )
    }

    #[test]
    fn each_epoch_has_its_own_order_that_a_resumed_loader_reproduces() {
        let fresh = EpochLoader::new(dataset(100), 10, 7, 1, &Device::flex());
        let first: Vec<Vec<usize>> = (1..=3).map(|epoch| fresh.order(epoch)).collect();
        assert_ne!(first[0], first[1]);
        let mut sorted = first[2].clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..100).collect::<Vec<_>>());

        let resumed = EpochLoader::new(dataset(100), 10, 7, 3, &Device::flex());
        let _ = resumed.iter();
        assert_eq!(resumed.epochs_started.load(Ordering::SeqCst), 3);
        assert_eq!(resumed.order(3), first[2]);
    }

    #[test]
    fn iteration_covers_every_item_once_in_batches() {
        let loader = EpochLoader::new(dataset(25), 10, 1, 1, &Device::flex());
        let sizes: Vec<usize> = loader
            .iter()
            .map(|batch| batch.unwrap().targets.dims()[0])
            .collect();
        assert_eq!(sizes, [10, 10, 5]);
    }
}
