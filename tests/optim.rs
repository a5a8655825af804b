//! `FusedAdam` against burn's `Adam`: the same values bit for bit on flex (where it runs its
//! fused loop) and on ndarray (where it runs burn's), and records either optimizer can resume.

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams, ModuleOptimizer};
use burn::tensor::{Device, Int, Tensor, TensorData};
use burn_init::model::{Mlp, MlpConfig};
use burn_init::optim::FusedAdamConfig;

fn batch(device: &Device, step: usize) -> (Tensor<2>, Tensor<1, Int>) {
    let n = 16;
    let pixels: Vec<f32> = (0..n * 784)
        .map(|i| ((i * 37 + step * 101) % 256) as f32 / 255.0)
        .collect();
    let labels: Vec<i64> = (0..n).map(|i| ((i + step) % 10) as i64).collect();
    (
        Tensor::from_data(TensorData::new(pixels, [n, 784]), device),
        Tensor::from_data(TensorData::new(labels, [n]), device),
    )
}

/// `steps` Adam steps at a learning rate large enough to move every weight visibly.
fn train(
    device: &Device,
    optimizer: ModuleOptimizer,
    model: Mlp,
    steps: std::ops::Range<usize>,
) -> (Mlp, ModuleOptimizer) {
    train_holding(device, optimizer, model, steps, false)
}

/// The same; `hold`: keep a copy of the model during each step, as burn-train's `Learner` does,
/// so the optimizer sees parameters whose buffers are shared.
fn train_holding(
    device: &Device,
    mut optimizer: ModuleOptimizer,
    mut model: Mlp,
    steps: std::ops::Range<usize>,
    hold: bool,
) -> (Mlp, ModuleOptimizer) {
    for step in steps {
        let (images, targets) = batch(device, step);
        let loss = model.loss(model.logits(images), targets);
        let gradients = GradientsParams::from_grads(loss.backward(), &model);
        let held = hold.then(|| model.clone());
        model = optimizer.step(1e-2, model, gradients);
        drop(held);
    }
    (model, optimizer)
}

/// Every parameter's values as bits, in module order.
fn weights(model: &Mlp) -> Vec<u32> {
    struct Collect(Vec<u32>);
    impl burn::module::ModuleVisitor for Collect {
        fn visit_float<const D: usize>(&mut self, param: &burn::module::Param<Tensor<D>>) {
            let values = param.val().into_data().try_to_vec::<f32>().unwrap();
            self.0.extend(values.iter().map(|value| value.to_bits()));
        }
    }
    let mut collect = Collect(Vec::new());
    model.visit(&mut collect);
    collect.0
}

fn model(device: &Device) -> Mlp {
    MlpConfig::new().with_seed(Some(3)).init(device).unwrap()
}

fn burn_adam() -> ModuleOptimizer {
    AdamConfig::new().with_epsilon(1e-7).init()
}

fn fused_adam() -> ModuleOptimizer {
    FusedAdamConfig::new().with_epsilon(1e-7).init()
}

#[test]
fn fused_adam_is_burns_adam_bit_for_bit_on_flex() {
    let device = Device::flex().autodiff();
    let start = weights(&model(&device));
    let (ours, _) = train(&device, fused_adam(), model(&device), 0..5);
    let (burns, _) = train(&device, burn_adam(), model(&device), 0..5);
    let ours = weights(&ours);
    assert_ne!(ours, start, "the steps must move the weights");
    assert_eq!(ours, weights(&burns));
}

#[test]
fn fused_adam_with_shared_parameters_is_burns_adam_too() {
    let device = Device::flex().autodiff();
    let start = model(&device);
    let (ours, _) = train_holding(&device, fused_adam(), start.clone(), 0..4, true);
    let (burns, _) = train(&device, burn_adam(), model(&device), 0..4);
    assert_eq!(weights(&ours), weights(&burns));
    // The copy held during the steps was not written to.
    assert_eq!(weights(&start), weights(&model(&device)));
}

#[test]
#[allow(deprecated)] // burn-ndarray is deprecated in burn 0.22 but still supported
fn fused_adam_runs_burns_adam_on_other_backends() {
    let device = Device::ndarray().autodiff();
    let (ours, _) = train(&device, fused_adam(), model(&device), 0..3);
    let (burns, _) = train(&device, burn_adam(), model(&device), 0..3);
    assert_eq!(weights(&ours), weights(&burns));
}

#[test]
fn records_resume_across_the_two_optimizers() {
    let device = Device::flex().autodiff();
    let (uninterrupted, _) = train(&device, fused_adam(), model(&device), 0..6);
    let uninterrupted = weights(&uninterrupted);

    let (halfway, fused) = train(&device, fused_adam(), model(&device), 0..3);
    let in_burns = burn_adam().load_record(fused.to_record());
    let (finished, _) = train(&device, in_burns, halfway, 3..6);
    assert_eq!(weights(&finished), uninterrupted);

    let (halfway, burns) = train(&device, burn_adam(), model(&device), 0..3);
    let in_ours = fused_adam().load_record(burns.to_record());
    let (finished, _) = train(&device, in_ours, halfway, 3..6);
    assert_eq!(weights(&finished), uninterrupted);
}
