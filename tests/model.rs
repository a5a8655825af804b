//! The reference network: shapes, parameter count, summary, config validation, a training
//! step, and save → load.

use burn::module::Module;
use burn::optim::{AdamConfig, GradientsParams};
use burn::tensor::{Device, Int, Tensor, TensorData};
use burn_init::model::{Activation, DenseConfig, MlpConfig, ModelError};
use burn_init::store::{load_model, save_model};
use burn_init::{HeNormal, Initializer};

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

#[test]
fn the_default_model_has_the_missions_shapes_and_468874_parameters() {
    let device = Device::flex();
    let config = MlpConfig::new().with_seed(Some(1));
    let model = config.init(&device).unwrap();
    assert_eq!(model.num_params(), 468_874);
    assert_eq!(config.summary().total_params, 468_874);
    assert_eq!(model.depth(), 3);
    let (images, _) = batch(&device, 5);
    assert_eq!(model.logits(images.clone()).dims(), [5, 10]);
    let probabilities = model
        .predict(images)
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    for row in probabilities.chunks(10) {
        assert!((row.iter().sum::<f32>() - 1.0).abs() < 1e-5);
    }
}

#[test]
fn the_summary_matches_the_golden_file() {
    let summary = MlpConfig::new().summary().to_string();
    let golden_path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/golden/summary_default.txt"
    );
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(golden_path, format!("{summary}\n")).unwrap();
    }
    let golden = std::fs::read_to_string(golden_path).unwrap();
    assert_eq!(
        summary,
        golden.trim_end_matches('\n'),
        "regenerate with UPDATE_GOLDEN=1"
    );
    assert!(summary.contains("Total params: 468,874 (1.79 MB)"));
}

#[test]
fn seeded_configs_build_identical_models_and_explicit_seeds_win() {
    let device = Device::flex();
    let weights = |config: &MlpConfig| {
        let model = config.init(&device).unwrap();
        model
            .predict(batch(&device, 2).0)
            .into_data()
            .try_to_vec::<f32>()
            .unwrap()
    };
    let seeded = MlpConfig::new().with_seed(Some(7));
    assert_eq!(weights(&seeded), weights(&seeded));
    assert_ne!(
        weights(&seeded),
        weights(&MlpConfig::new().with_seed(Some(8)))
    );
}

#[test]
fn configs_round_trip_through_json_with_keras_identifiers() {
    let json = r#"{
        "input_shape": [28, 28],
        "layers": [
            {"units": 64, "activation": "selu", "kernel_initializer": "lecun_normal",
             "bias_initializer": "zeros"},
            {"units": 10, "activation": "softmax",
             "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": 3}},
             "bias_initializer": "zeros"}
        ],
        "seed": 5
    }"#;
    let config: MlpConfig = serde_json::from_str(json).unwrap();
    assert_eq!(config.layers[0].activation, Activation::Selu);
    assert_eq!(
        config.layers[0].kernel_initializer.class_name(),
        "LecunNormal"
    );
    let again: MlpConfig = serde_json::from_str(&serde_json::to_string(&config).unwrap()).unwrap();
    assert_eq!(again.layers[1], config.layers[1]);
    assert_eq!(config.summary().total_params, 784 * 64 + 64 + 64 * 10 + 10);
}

#[test]
fn invalid_configs_name_the_field() {
    let field = |config: MlpConfig| match config.validate() {
        Err(ModelError::InvalidField { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        field(MlpConfig::new().with_input_shape(vec![])),
        "input_shape"
    );
    assert_eq!(field(MlpConfig::new().with_layers(vec![])), "layers");
    let zero = vec![DenseConfig::new(0), DenseConfig::new(10)];
    assert_eq!(field(MlpConfig::new().with_layers(zero)), "layers[0].units");
    let hidden_softmax = vec![
        DenseConfig::new(5).with_activation(Activation::Softmax),
        DenseConfig::new(10),
    ];
    assert_eq!(
        field(MlpConfig::new().with_layers(hidden_softmax)),
        "layers[0].activation"
    );
    let relu_out = vec![DenseConfig::new(10).with_activation(Activation::Relu)];
    assert_eq!(
        field(MlpConfig::new().with_layers(relu_out)),
        "layers[0].activation"
    );
    let unknown = r#"{"layers": [{"units": 10, "activation": "swish"}]}"#;
    assert!(serde_json::from_str::<MlpConfig>(unknown).is_err());
}

/// A config file needs only what differs from the defaults, as Keras keyword arguments do.
#[test]
fn a_partial_config_file_takes_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("small.json");
    std::fs::write(
        &path,
        r#"{"layers": [{"units": 64, "activation": "relu"}, {"units": 10, "activation": "softmax"}]}"#,
    )
    .unwrap();
    let config = MlpConfig::load_validated(&path).unwrap();
    let expected = MlpConfig::new().with_layers(vec![
        DenseConfig::new(64).with_activation(Activation::Relu),
        DenseConfig::new(10).with_activation(Activation::Softmax),
    ]);
    // Unseeded initializers draw a fresh seed each (Keras 3 semantics), so the configs are
    // compared as they serialize: `"seed": null` on both sides.
    let json = |config: &MlpConfig| serde_json::to_value(config).unwrap();
    assert_eq!(json(&config), json(&expected));
    std::fs::write(&path, "{}").unwrap();
    assert_eq!(
        json(&MlpConfig::load_validated(&path).unwrap()),
        json(&MlpConfig::new())
    );
}

/// Each bad config file fails in `load_validated`, before any model is built, with the file and
/// the offending field in the message.
#[test]
fn bad_config_files_are_rejected_naming_the_file_and_field() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            r#"{"layers": [{"units": -5}, {"units": 10}]}"#,
            "`layers[0].units`",
        ),
        (
            r#"{"layers": [{"units": 10, "activation": "swish"}]}"#,
            "`layers[0].activation`",
        ),
        (
            r#"{"layers": [{"units": 10, "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 0.0}}}]}"#,
            "`scale` must be finite and > 0",
        ),
        (
            r#"{"layers": [{"units": 10, "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": -2.0}}}]}"#,
            "`layers[0].kernel_initializer`",
        ),
        // JSON has no NaN: a bare NaN is a syntax error, located by line and column; NaN as a
        // string is a wrong type in the named field.
        (
            r#"{"layers": [{"units": 10, "kernel_initializer": {"class_name": "RandomNormal", "config": {"stddev": NaN}}}]}"#,
            "expected value at line 1 column 101: `NaN` is not a JSON number",
        ),
        (
            r#"{"layers": [{"units": 10, "kernel_initializer": {"class_name": "RandomNormal", "config": {"stddev": "NaN"}}}]}"#,
            "`layers[0].kernel_initializer`: invalid initializer config for `RandomNormal`",
        ),
        (
            r#"{"layers": [{"activation": "relu"}]}"#,
            "`layers[0]`: missing field `units`",
        ),
        (
            r#"{"input_shape": [28, 28], "layers": [{"units": 64}, {"units": 10, "activation": "softmax"}], "seed": "seven"}"#,
            "`seed`",
        ),
        (r#"{"input_shape": [28, 0]}"#, "`input_shape`"),
        (r#"{"layers": []}"#, "`layers`"),
        (
            r#"{"layers": [{"units": 0}, {"units": 10}]}"#,
            "`layers[0].units`",
        ),
    ];
    for (index, (json, expected)) in cases.iter().enumerate() {
        let path = dir.path().join(format!("bad{index}.json"));
        std::fs::write(&path, json).unwrap();
        let message = MlpConfig::load_validated(&path).unwrap_err().to_string();
        assert!(message.contains(expected), "{json}: {message}");
        assert!(message.contains(&format!("bad{index}.json")), "{message}");
    }
}

#[test]
fn one_adam_step_lowers_the_loss() {
    let device = Device::flex().autodiff();
    let model = MlpConfig::new().with_seed(Some(3)).init(&device).unwrap();
    let (images, targets) = batch(&device, 32);
    let loss_of = |model: &burn_init::model::Mlp| {
        let loss = model.loss(model.logits(images.clone()), targets.clone());
        (
            loss.clone(),
            loss.into_data().try_to_vec::<f32>().unwrap()[0],
        )
    };
    let (loss, before) = loss_of(&model);
    let gradients = GradientsParams::from_grads(loss.backward(), &model);
    // Adam's first step moves every parameter by about `lr` against the sign of its gradient: a
    // descent direction, so a small enough step must lower the loss. At 1e-3 the 468,874 moves
    // together can overshoot on this noise batch (seed 3 goes from 2.49251 to 2.49274).
    let mut optimizer = AdamConfig::new().with_epsilon(1e-7).init();
    let model = optimizer.step(1e-4, model, gradients);
    let (_, after) = loss_of(&model);
    assert!(before.is_finite() && after < before, "{before} -> {after}");
    // Untrained, the loss is near ln(10) = 2.30.
    assert!((before - 10f32.ln()).abs() < 1.0, "{before}");
}

#[test]
fn save_then_load_gives_identical_predictions() {
    let device = Device::flex();
    let config = MlpConfig::new().with_layers(vec![
        DenseConfig::new(32)
            .with_activation(Activation::Relu)
            .with_kernel_initializer(Initializer::from(HeNormal::new())),
        DenseConfig::new(10).with_activation(Activation::Softmax),
    ]);
    let model = config.init(&device).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("model.bpk");
    save_model(&model, &path).unwrap();
    // A fresh model from the same (unseeded) config has other weights until loaded.
    let loaded = load_model(&config, &path, &device).unwrap();
    let (images, _) = batch(&device, 4);
    let before = model
        .predict(images.clone())
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    let after = loaded
        .predict(images)
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    assert_eq!(before, after);
    // A file that does not fit the config is an error, not a panic.
    let other = config.clone().with_layers(vec![DenseConfig::new(10)]);
    assert!(load_model(&other, &path, &device).is_err());
    assert!(load_model(&config, &dir.path().join("missing.bpk"), &device).is_err());
}

/// `Activation::Tanh` is exact where it matters: within two f32 ulps of 1 of the exact tanh and
/// within 2·10⁻⁵ relative error of it (no underflow to 0 for tiny inputs, which the diagnostics
/// of vanishing activations depend on), saturating to ±1 without NaN, with gradient `1 − tanh²`.
/// (`2σ(2x) − 1` was tried for speed and fails the relative bound below |x| ≈ 10⁻².)
#[test]
fn tanh_matches_the_exact_function_and_its_derivative() {
    let device = Device::flex().autodiff();
    let inputs: Vec<f32> = (-4000..=4000)
        .map(|i| i as f32 * 0.0025)
        .chain([
            -1e30, -88.0, -50.0, -20.0, -1e-6, 1e-6, 20.0, 50.0, 88.0, 1e30, 1e-30, -3e-8, 0.0,
            0.0156, 0.015_625, 0.0157, -0.0156, -0.015_625, -0.0157,
        ])
        .collect();
    let n = inputs.len();
    let x = Tensor::<2>::from_data(TensorData::new(inputs.clone(), [1, n]), &device).require_grad();
    let y = Activation::Tanh.apply(x.clone());
    let gradients = y.clone().sum().backward();
    let values = y.into_data().try_to_vec::<f32>().unwrap();
    let slopes = x
        .grad(&gradients)
        .unwrap()
        .into_data()
        .try_to_vec::<f32>()
        .unwrap();
    let mut worst = (0.0f64, 0.0f64);
    for ((&input, &value), &slope) in inputs.iter().zip(&values).zip(&slopes) {
        let exact = f64::from(input).tanh();
        let value_error = (f64::from(value) - exact).abs();
        let slope_error = (f64::from(slope) - (1.0 - exact * exact)).abs();
        assert!(
            value_error <= 2.5e-7 && value_error <= 2e-5 * exact.abs().max(0.0156),
            "tanh({input}) = {value}, exact {exact}"
        );
        assert!(slope_error <= 5e-7, "tanh'({input}) = {slope}");
        worst = (worst.0.max(value_error), worst.1.max(slope_error));
    }
    println!(
        "worst absolute error: value {:.2e}, derivative {:.2e}",
        worst.0, worst.1
    );
}

/// The vectorized flex tanh (plain and autodiff, tracked or not) agrees with burn's own tanh on
/// ndarray, values and gradients, to within a few f32 ulps.
#[test]
#[allow(deprecated)] // burn-ndarray is deprecated in burn 0.22 but still supported
fn flex_tanh_agrees_with_burns_tanh_on_every_path() {
    let inputs: Vec<f32> = (-300..=300).map(|i| i as f32 * 0.021).collect();
    let n = inputs.len();
    let on =
        |device: &Device| Tensor::<2>::from_data(TensorData::new(inputs.clone(), [1, n]), device);
    let values = |tensor: Tensor<2>| tensor.into_data().try_to_vec::<f32>().unwrap();
    let close = |ours: &[f32], reference: &[f32], what: &str| {
        for (i, (a, b)) in ours.iter().zip(reference).enumerate() {
            assert!((a - b).abs() <= 3e-7, "{what} at {}: {a} vs {b}", inputs[i]);
        }
    };

    let reference_device = Device::ndarray().autodiff();
    let x = on(&reference_device).require_grad();
    let y = burn::tensor::activation::tanh(x.clone());
    let reference_grad = values(x.grad(&(y.clone() * y.clone()).sum().backward()).unwrap());
    let reference = values(y);

    close(
        &values(Activation::Tanh.apply(on(&Device::flex()))),
        &reference,
        "plain",
    );
    let untracked = Activation::Tanh.apply(on(&Device::flex().autodiff()));
    close(&values(untracked), &reference, "untracked");
    let x = on(&Device::flex().autodiff()).require_grad();
    let y = Activation::Tanh.apply(x.clone());
    // d(y²)/dx = 2y(1 − y²): the chain rule through the kept output.
    let grad = values(x.grad(&(y.clone() * y.clone()).sum().backward()).unwrap());
    close(&values(y), &reference, "tracked");
    close(&grad, &reference_grad, "gradient");
}
