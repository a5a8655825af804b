//! One training step of the mission's network (forward + backward + Adam update) on the CPU
//! backends, at batch 32 and 128, with burn's `Adam` and with this crate's `FusedAdam` (the
//! optimizer `train` uses) side by side. The bench's thread joins rayon's pool, as the
//! `burn-init` binary's does (`burn_init::training::join_rayon_pool`).
//!
//! Run: `cargo bench --bench training_step`.

use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Int, Tensor, TensorData};
use burn_init::model::MlpConfig;
use burn_init::optim::FusedAdamConfig;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

/// The allocator the `burn-init` binary trains with (`src/main.rs`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn batch(device: &Device, n: usize) -> (Tensor<2>, Tensor<1, Int>) {
    let pixels: Vec<f32> = (0..n * 784)
        .map(|i| ((i * 37) % 256) as f32 / 255.0)
        .collect();
    let labels: Vec<i64> = (0..n).map(|i| (i % 10) as i64).collect();
    (
        Tensor::from_data(TensorData::new(pixels, [n, 784]), device),
        Tensor::from_data(TensorData::new(labels, [n]), device),
    )
}

#[allow(deprecated)] // burn-ndarray is deprecated in burn 0.22 but still supported
fn backends() -> [(&'static str, Device); 2] {
    [("flex", Device::flex()), ("ndarray", Device::ndarray())]
}

/// Builds a fresh optimizer.
type NewOptimizer = fn() -> ModuleOptimizer;

/// The optimizers compared: burn's Adam and ours, both with Keras's epsilon.
fn optimizers() -> [(&'static str, NewOptimizer); 2] {
    [
        ("adam", || AdamConfig::new().with_epsilon(1e-7).init()),
        ("fused_adam", || {
            FusedAdamConfig::new().with_epsilon(1e-7).init()
        }),
    ]
}

fn training_step(c: &mut Criterion) {
    // As in the `burn-init` binary: the thread running the steps is a rayon worker.
    burn_init::training::join_rayon_pool();
    let mut group = c.benchmark_group("train_step");
    group.sample_size(30);
    for (backend, device) in backends() {
        let device = device.autodiff();
        for (optimizer_name, optimizer) in optimizers() {
            for batch_size in [32, 128] {
                let (images, targets) = batch(&device, batch_size);
                let mut model = Some(MlpConfig::new().with_seed(Some(1)).init(&device).unwrap());
                let mut optimizer = optimizer();
                let id = BenchmarkId::new(format!("{backend}/{optimizer_name}"), batch_size);
                group.bench_with_input(id, &batch_size, |b, _| {
                    b.iter(|| {
                        let current = model.take().expect("the model is put back every step");
                        let loss = current.loss(current.logits(images.clone()), targets.clone());
                        let gradients = GradientsParams::from_grads(loss.backward(), &current);
                        let next = optimizer.step(1e-3, current, gradients);
                        // Reading one weight back forces lazy backends to finish the step.
                        let _ = next.logits(images.clone().narrow(0, 0, 1)).into_data();
                        model = Some(next);
                    })
                });
            }
        }
    }
    group.finish();
}

criterion_group!(benches, training_step);
criterion_main!(benches);
