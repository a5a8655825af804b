//! Initializer throughput: ours (host-generated, seeded, uploaded once) against burn's
//! built-in `Initializer` for the same distribution, on the same CPU device and shape.
//!
//! Run: `cargo bench --bench initializers`.

use burn::nn::Initializer as BurnInitializer;
use burn::tensor::{Device, Tensor};
use burn_init::init::generator::fill_f32;
use burn_init::{GlorotNormal, GlorotUniform, HeNormal, HeUniform, Initialize, Layout};
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

const SHAPES: [[usize; 2]; 3] = [[784, 512], [4096, 4096], [8192, 8192]];

fn materialize(tensor: Tensor<2>) -> usize {
    // Reading the data back forces lazy backends to finish the work being timed.
    tensor.into_data().num_elements()
}

fn initializers(c: &mut Criterion) {
    let device = Device::flex();
    let mut group = c.benchmark_group("init");
    group.sample_size(10);
    for shape in SHAPES {
        let label = format!("{}x{}", shape[0], shape[1]);
        let fans = (Some(shape[0]), Some(shape[1]));
        group.bench_with_input(
            BenchmarkId::new("ours/glorot_normal_truncated", &label),
            &shape,
            |b, &shape| {
                let init = GlorotNormal::new().with_seed(1);
                b.iter(|| materialize(init.tensor(shape, Layout::Linear, &device).unwrap()))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours/glorot_normal_untruncated", &label),
            &shape,
            |b, &shape| {
                let init = GlorotNormal::new().with_seed(1).untruncated();
                b.iter(|| materialize(init.tensor(shape, Layout::Linear, &device).unwrap()))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("burn/xavier_normal", &label),
            &shape,
            |b, &shape| {
                let init = BurnInitializer::XavierNormal { gain: 1.0 };
                b.iter(|| materialize(init.init_with(shape, fans.0, fans.1, &device).val()))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours/glorot_uniform", &label),
            &shape,
            |b, &shape| {
                let init = GlorotUniform::new().with_seed(1);
                b.iter(|| materialize(init.tensor(shape, Layout::Linear, &device).unwrap()))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("burn/xavier_uniform", &label),
            &shape,
            |b, &shape| {
                let init = BurnInitializer::XavierUniform { gain: 1.0 };
                b.iter(|| materialize(init.init_with(shape, fans.0, fans.1, &device).val()))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours/glorot_normal_truncated_in_place", &label),
            &shape,
            |b, &shape| {
                // PyTorch's `xavier_normal_(w)` form: overwrite a buffer that already exists.
                let init = burn_init::Initializer::from(GlorotNormal::new().with_seed(1));
                let sampler = init.sampler(Layout::Linear.fans(&shape).unwrap()).unwrap();
                let mut buffer = vec![0.0f32; shape[0] * shape[1]];
                b.iter(|| fill_f32(&sampler, 1, &mut buffer))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours/he_normal_truncated", &label),
            &shape,
            |b, &shape| {
                let init = HeNormal::new().with_seed(1);
                b.iter(|| materialize(init.tensor(shape, Layout::Linear, &device).unwrap()))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours/he_uniform", &label),
            &shape,
            |b, &shape| {
                let init = HeUniform::new().with_seed(1);
                b.iter(|| materialize(init.tensor(shape, Layout::Linear, &device).unwrap()))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("burn/kaiming_uniform", &label),
            &shape,
            |b, &shape| {
                let init = BurnInitializer::KaimingUniform {
                    gain: 2f64.sqrt(),
                    fan_out_only: false,
                };
                b.iter(|| materialize(init.init_with(shape, fans.0, fans.1, &device).val()))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("ours/he_normal_untruncated", &label),
            &shape,
            |b, &shape| {
                let init = HeNormal::new().with_seed(1).untruncated();
                b.iter(|| materialize(init.tensor(shape, Layout::Linear, &device).unwrap()))
            },
        );
        group.bench_with_input(
            BenchmarkId::new("burn/kaiming_normal", &label),
            &shape,
            |b, &shape| {
                let init = BurnInitializer::KaimingNormal {
                    gain: 2f64.sqrt(),
                    fan_out_only: false,
                };
                b.iter(|| materialize(init.init_with(shape, fans.0, fans.1, &device).val()))
            },
        );
    }
    group.finish();
}

criterion_group!(benches, initializers);
criterion_main!(benches);
