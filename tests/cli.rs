//! The `burn-init` binary as a user runs it: help, summary, usage errors, exit codes, and a
//! train → evaluate → predict round on a real MNIST subset.

use std::path::Path;
use std::process::{Command, Output};

fn burn_init(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_burn-init"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `train` with `json` written to `config` as its model config, and no MNIST files anywhere.
fn train_with_config(config: &Path, json: &str) -> Output {
    std::fs::write(config, json).unwrap();
    burn_init(&[
        "train",
        "--model-config",
        config.to_str().unwrap(),
        "--data-dir",
        "/nonexistent",
        "--offline",
    ])
}

fn shared_mnist() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data/mnist")
        .display()
        .to_string()
}

#[test]
fn every_command_has_help() {
    for command in ["train", "evaluate", "predict", "summary"] {
        let output = burn_init(&[command, "--help"]);
        assert!(output.status.success(), "{command}: {}", text(&output));
        assert!(text(&output).contains("Usage: burn-init"), "{command}");
    }
    assert!(text(&burn_init(&["train", "--help"])).contains("--device"));
}

#[test]
fn summary_prints_the_keras_table_and_the_flatten_note() {
    let output = burn_init(&["summary"]);
    assert!(output.status.success());
    let out = text(&output);
    assert!(out.contains("Total params: 468,874 (1.79 MB)"), "{out}");
    assert!(out.contains("81,802"), "{out}");
}

#[test]
fn bad_arguments_print_usage_and_exit_2() {
    for args in [
        &["train", "--bogus"][..],
        &["train", "--epochs", "many"],
        &["frobnicate"],
        &["train", "--device", "tpu"],
        &["train", "--epochs", "0"],
        &["train", "--batch-size", "0"],
        &["train", "--lr", "-1"],
        &["train", "--lr", "NaN"],
        &["train", "--limit", "0"],
        &["evaluate", "--test-limit", "0"],
        &["predict", "digit.png", "--count", "0"],
        &["diagnose", "--depth", "0"],
        &["diagnose", "--width", "0"],
        &["diagnose", "--batch", "0"],
    ] {
        let output = burn_init(args);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output));
        // clap names the problem and points to --help.
        assert!(
            text(&output).contains("--help"),
            "{args:?}: {}",
            text(&output)
        );
    }
}

#[test]
fn invalid_values_fail_before_any_work_naming_the_option() {
    let output = burn_init(&["train", "--epochs", "0", "--data-dir", "/nonexistent"]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output);
    assert!(
        message.contains("'--epochs <EPOCHS>'") && message.contains("must be at least 1"),
        "{message}"
    );
    let output = burn_init(&["train", "--lr", "-0.5"]);
    assert!(
        text(&output).contains("must be finite and > 0, got -0.5"),
        "{}",
        text(&output)
    );
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("model.json");
    let output = train_with_config(
        &config,
        r#"{"layers": [{"units": 10, "activation": "swish"}]}"#,
    );
    assert_eq!(output.status.code(), Some(1));
    let message = text(&output);
    assert!(
        message.contains("model.json") && message.contains("`layers[0].activation`"),
        "{message}"
    );
    // A model that cannot take MNIST is rejected before the data is even looked for.
    let output = train_with_config(&config, r#"{"input_shape": [32, 32]}"#);
    assert_eq!(output.status.code(), Some(1));
    let message = text(&output);
    assert!(
        message.contains("model.json: invalid model config: `input_shape`")
            && !message.contains("MNIST files"),
        "{message}"
    );
    let output = burn_init(&["evaluate", "--artifact-dir", "/nonexistent"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("/nonexistent/config.json"),
        "{}",
        text(&output)
    );
}

/// A file that starts like gzip but is not: one line naming the file, the cause said once.
#[test]
fn a_damaged_gzip_file_is_reported_once_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.gz");
    let mut bytes = vec![0x1f, 0x8b];
    bytes.extend((0..200u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8));
    std::fs::write(&path, bytes).unwrap();
    let output = burn_init(&["predict", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let message = text(&output);
    assert!(
        message.starts_with("error: ") && message.contains("broken.gz: "),
        "{message}"
    );
    assert_eq!(message.matches("gzip").count(), 1, "{message}");
}

#[cfg(not(feature = "wgpu"))]
#[test]
fn wgpu_without_the_feature_is_a_clear_error() {
    let output = burn_init(&[
        "train",
        "--device",
        "wgpu",
        "--data-dir",
        &shared_mnist(),
        "--limit",
        "10",
    ]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        text(&output).contains("--features wgpu"),
        "{}",
        text(&output)
    );
}

#[test]
fn train_evaluate_predict_on_a_subset() {
    let dir = tempfile::tempdir().unwrap();
    let artifacts = dir.path().display().to_string();
    let data = shared_mnist();
    let output = burn_init(&[
        "train",
        "--data-dir",
        &data,
        "--limit",
        "1000",
        "--test-limit",
        "500",
        "--epochs",
        "1",
        "--artifact-dir",
        &artifacts,
    ]);
    let out = text(&output);
    assert!(output.status.success(), "{out}");
    // Piped output: one line per epoch, no per-iteration lines.
    assert!(out.contains("epoch 1/1  train loss"), "{out}");
    assert!(out.lines().count() < 10, "{out}");

    let output = burn_init(&[
        "evaluate",
        "--artifact-dir",
        &artifacts,
        "--data-dir",
        &data,
        "--test-limit",
        "500",
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("on 500 images"), "{}", text(&output));

    let images = format!("{data}/t10k-images-idx3-ubyte.gz");
    let output = burn_init(&[
        "predict",
        &images,
        "--artifact-dir",
        &artifacts,
        "--count",
        "2",
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(
        text(&output)
            .lines()
            .filter(|l| l.starts_with("image "))
            .count(),
        2
    );

    // A PNG of the first test digit, drawn dark on light as a person would: inverted back.
    let idx = burn_init::data::read_images(Path::new(&images)).unwrap();
    let pixels: Vec<u8> = idx.pixels[..784].iter().map(|p| 255 - p).collect();
    let png = dir.path().join("digit.png");
    image::GrayImage::from_raw(28, 28, pixels)
        .unwrap()
        .save(&png)
        .unwrap();
    let output = burn_init(&[
        "predict",
        &png.display().to_string(),
        "--artifact-dir",
        &artifacts,
    ]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("digit.png: "), "{}", text(&output));
}
