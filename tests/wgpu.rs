//! The same model and training on burn's wgpu backend, checked against the CPU.
//!
//! Runs in builds with `--features wgpu` (as `.ci/run` builds). On a machine without a GPU,
//! Debian's `mesa-vulkan-drivers` provides lavapipe, a software Vulkan adapter that wgpu uses
//! like any other: the numbers are real, the timings meaningless.
#![cfg(feature = "wgpu")]

use std::path::Path;
use std::process::Command;

use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::{Device, Int, Tensor, TensorData};
use burn_init::data::{MnistBatcher, MnistDataset, MnistSource};
use burn_init::device::DeviceChoice;
use burn_init::model::{Mlp, MlpConfig};
use burn_init::training::{TrainOptions, train};
use burn_init::{
    Constant, GlorotNormal, GlorotUniform, HeNormal, HeUniform, Initialize, Initializer, Layout,
    LecunNormal, LecunUniform, Orthogonal, RandomNormal, RandomUniform, TruncatedNormal,
    VarianceScaling,
};

fn gpu() -> Device {
    DeviceChoice::Wgpu(None)
        .device()
        .expect("a wgpu adapter (lavapipe in CI)")
}

fn shared_mnist() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mnist")
}

fn bits(values: &[f32]) -> Vec<u32> {
    values.iter().map(|x| x.to_bits()).collect()
}

#[test]
fn every_preset_gives_the_same_bits_on_cpu_and_wgpu() {
    let presets: Vec<Initializer> = vec![
        GlorotNormal::new().with_seed(1).into(),
        GlorotNormal::new().with_seed(1).untruncated().into(),
        GlorotUniform::new().with_seed(2).into(),
        HeNormal::new().with_seed(3).into(),
        HeUniform::new().with_seed(4).into(),
        LecunNormal::new().with_seed(5).into(),
        LecunUniform::new().with_seed(6).into(),
        VarianceScaling::default().with_seed(7).into(),
        Orthogonal::new().with_seed(8).into(),
        RandomNormal::default().with_seed(9).into(),
        RandomUniform::default().with_seed(10).into(),
        TruncatedNormal::default().with_seed(11).into(),
        Constant::new(0.5).unwrap().into(),
    ];
    let (cpu, gpu) = (Device::flex(), gpu());
    for init in presets {
        let on = |device: &Device| {
            let tensor: Tensor<2> = init.tensor([300, 200], Layout::Linear, device).unwrap();
            bits(&tensor.into_data().try_to_vec::<f32>().unwrap())
        };
        assert_eq!(on(&cpu), on(&gpu), "{init}");
    }
}

fn test_batch(device: &Device, n: usize) -> (Tensor<2>, Tensor<1, Int>) {
    let dir = shared_mnist();
    let test = MnistDataset::load(
        &dir.join("t10k-images-idx3-ubyte.gz"),
        &dir.join("t10k-labels-idx1-ubyte.gz"),
    )
    .unwrap();
    let items: Vec<_> = (0..n)
        .map(|i| burn::data::dataset::Dataset::get(&test, i).unwrap())
        .collect();
    let labels: Vec<i64> = items.iter().map(|item| i64::from(item.label)).collect();
    (
        MnistBatcher::images(&items, device),
        Tensor::from_data(TensorData::new(labels, [n]), device),
    )
}

fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
    tensor.into_data().try_to_vec::<f32>().unwrap()
}

/// `|a - b| <= tolerance · max(1, |a|)` element-wise.
fn assert_close(a: &[f32], b: &[f32], tolerance: f32, what: &str) {
    assert_eq!(a.len(), b.len());
    let worst = a
        .iter()
        .zip(b)
        .map(|(x, y)| (x - y).abs() / x.abs().max(1.0))
        .fold(0.0f32, f32::max);
    assert!(
        worst <= tolerance,
        "{what}: worst relative difference {worst:e} > {tolerance:e}"
    );
    println!("{what}: worst relative difference {worst:e}");
}

#[test]
fn the_default_model_gives_the_same_logits_on_cpu_and_wgpu() {
    let config = MlpConfig::new().with_seed(Some(42));
    let logits = |device: &Device| {
        let model = config.init(device).unwrap();
        values(model.logits(test_batch(device, 256).0))
    };
    assert_close(&logits(&Device::flex()), &logits(&gpu()), 1e-5, "logits");
}

#[test]
fn one_training_step_gives_the_same_loss_on_cpu_and_wgpu() {
    let config = MlpConfig::new().with_seed(Some(42));
    let losses = |device: Device| {
        let device = device.autodiff();
        let model: Mlp = config.init(&device).unwrap();
        let (images, targets) = test_batch(&device, 64);
        let loss = model.loss(model.logits(images.clone()), targets.clone());
        let before = values(loss.clone())[0];
        let gradients = GradientsParams::from_grads(loss.backward(), &model);
        let mut optimizer = AdamConfig::new().with_epsilon(1e-7).init();
        let model = optimizer.step(1e-3, model, gradients);
        let after = values(model.loss(model.logits(images), targets))[0];
        [before, after]
    };
    let (cpu, gpu) = (losses(Device::flex()), losses(gpu()));
    assert!(cpu[1] < cpu[0], "{cpu:?}");
    assert_close(&cpu, &gpu, 1e-4, "loss before and after one Adam step");
}

#[test]
fn a_short_wgpu_training_run_lowers_the_loss() {
    let mut source = MnistSource::standard(Some(shared_mnist()));
    source.download = false;
    let paths = source.locate().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = TrainOptions {
        epochs: 2,
        limit: Some(320),
        test_limit: Some(200),
        artifact_dir: dir.path().to_path_buf(),
        device: DeviceChoice::Wgpu(None),
        dashboard: Some(false),
        ..TrainOptions::default()
    };
    let report = train(&MlpConfig::new(), &options, &paths).unwrap().report;
    let [first, second] = [&report.epochs[0], &report.epochs[1]];
    assert!(
        second.train_loss < first.train_loss,
        "{first:?} then {second:?}"
    );
    assert!(report.test_loss < 10f64.ln(), "{report:?}");
    assert!(report.device.starts_with("wgpu: "), "{}", report.device);
}

#[test]
fn no_adapter_is_a_clear_error_not_a_panic() {
    // Hide every Vulkan driver and restrict wgpu to Vulkan: it then finds no adapter at all.
    let output = Command::new(env!("CARGO_BIN_EXE_burn-init"))
        .args(["train", "--device", "wgpu", "--data-dir"])
        .arg(shared_mnist())
        .env("WGPU_BACKEND", "vulkan")
        .env("VK_DRIVER_FILES", "/nonexistent/icd.json")
        .env("VK_ICD_FILENAMES", "/nonexistent/icd.json")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("no GPU adapter found"), "{stderr}");
    assert!(stderr.contains("mesa-vulkan-drivers"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
