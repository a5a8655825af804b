//! A short real training run on a real MNIST subset (the files in ../shared/data/mnist), with
//! burn-train, checkpoints and every artifact.
//!
//! Accuracy floor: 2,000 training images, 1 epoch at batch 32 (63 Adam steps), evaluated on
//! the first 2,000 test images. Measured here: see the assertion message; the floor of 0.80
//! leaves room for seeds and backends while failing on a broken model, loss or optimizer
//! (chance is 0.10).

use std::path::Path;

use burn_init::data::MnistSource;
use burn_init::device::DeviceChoice;
use burn_init::model::MlpConfig;
use burn_init::training::{MetricsReport, TrainOptions, last_checkpoint, train};

fn shared_mnist() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mnist")
}

#[test]
fn one_epoch_on_2000_images_beats_the_floor_and_writes_every_artifact() {
    let mut source = MnistSource::standard(Some(shared_mnist()));
    source.download = false;
    let paths = source.locate().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let options = TrainOptions {
        epochs: 1,
        limit: Some(2000),
        test_limit: Some(2000),
        artifact_dir: dir.path().to_path_buf(),
        device: DeviceChoice::Cpu,
        dashboard: Some(false),
        ..TrainOptions::default()
    };
    let outcome = train(&MlpConfig::new(), &options, &paths).unwrap();
    let report = &outcome.report;
    println!("{report:#?}");
    assert!(
        report.test_accuracy >= 0.80,
        "test accuracy {}",
        report.test_accuracy
    );
    assert_eq!((report.train_examples, report.test_examples), (2000, 2000));
    assert_eq!(report.parameters, 468_874);
    assert_eq!(report.epochs.len(), 1);
    let epoch = &report.epochs[0];
    let (train_accuracy, valid_accuracy) =
        (epoch.train_accuracy.unwrap(), epoch.valid_accuracy.unwrap());
    assert!((0.0..=1.0).contains(&train_accuracy) && (0.0..=1.0).contains(&valid_accuracy));
    // The last epoch's validation set is the test set: the two evaluations agree.
    assert!(
        (valid_accuracy - report.test_accuracy).abs() < 1e-6,
        "{valid_accuracy} vs {}",
        report.test_accuracy
    );
    assert!(epoch.train_loss.unwrap() > 0.0 && epoch.seconds > 0.0);
    assert!(epoch.train_seconds > 0.0 && epoch.train_seconds < epoch.seconds);

    for file in [
        "metrics.json",
        "config.json",
        "model.bpk",
        "curves.png",
        "history.json",
    ] {
        assert!(dir.path().join(file).is_file(), "{file} missing");
    }
    let png = std::fs::read(dir.path().join("curves.png")).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
    assert_eq!(
        MetricsReport::load(&dir.path().join("metrics.json")).unwrap(),
        *report
    );
    assert_eq!(last_checkpoint(dir.path()), Some(1));
}

/// An absurd learning rate sends the loss to NaN/∞: training stops with the epoch and step,
/// and the checkpoint of the last good epoch stays, loadable.
#[test]
fn a_diverging_loss_stops_training_and_keeps_the_last_good_checkpoint() {
    let mut source = MnistSource::standard(Some(shared_mnist()));
    source.download = false;
    let paths = source.locate().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut options = TrainOptions {
        epochs: 1,
        limit: Some(640),
        test_limit: Some(200),
        artifact_dir: dir.path().to_path_buf(),
        dashboard: Some(false),
        ..TrainOptions::default()
    };
    train(&MlpConfig::new(), &options, &paths).unwrap();
    assert_eq!(last_checkpoint(dir.path()), Some(1));

    options.epochs = 2;
    options.resume = true;
    options.learning_rate = 1e30;
    let error = train(&MlpConfig::new(), &options, &paths).unwrap_err();
    let message = error.to_string();
    println!("{message}");
    match error {
        burn_init::training::TrainError::Diverged {
            epoch, step, loss, ..
        } => {
            assert_eq!(epoch, 2, "{message}");
            assert!(step >= 1 && !loss.is_finite(), "{message}");
        }
        other => panic!("expected a divergence, got {other}"),
    }
    assert!(message.contains("epoch 2, step"), "{message}");
    assert!(
        message.contains("last good checkpoint is epoch 1"),
        "{message}"
    );
    // Epoch 2 never completed: its checkpoint was not written, epoch 1's is intact.
    assert_eq!(last_checkpoint(dir.path()), Some(1));
    let model_file = dir.path().join("checkpoint").join("model-1.bpk");
    let store = burn::store::BurnpackStore::from_file(&model_file).auto_extension(false);
    let mut model = MlpConfig::new()
        .init(&burn::tensor::Device::flex())
        .unwrap();
    let result = burn::store::ModuleSnapshot::load_from(&mut model, &mut { store }).unwrap();
    assert!(
        result.is_success() && result.missing.is_empty(),
        "{result:?}"
    );
}

#[test]
fn a_damaged_newest_checkpoint_is_passed_over_on_resume() {
    let mut source = MnistSource::standard(Some(shared_mnist()));
    source.download = false;
    let paths = source.locate().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut options = TrainOptions {
        epochs: 2,
        limit: Some(320),
        test_limit: Some(100),
        artifact_dir: dir.path().to_path_buf(),
        dashboard: Some(false),
        ..TrainOptions::default()
    };
    train(&MlpConfig::new(), &options, &paths).unwrap();
    assert_eq!(
        burn_init::training::complete_checkpoints(dir.path()),
        [2, 1]
    );
    // Damage epoch 2's model file after the fact (a disk error, another program).
    let newest = dir.path().join("checkpoint").join("model-2.bpk");
    let bytes = std::fs::read(&newest).unwrap();
    std::fs::write(&newest, &bytes[..bytes.len() / 3]).unwrap();

    options.epochs = 3;
    options.resume = true;
    let outcome = train(&MlpConfig::new(), &options, &paths).unwrap();
    // Resumed from epoch 1: epochs 2 and 3 were trained again, and the run finished.
    assert_eq!(outcome.report.epochs.len(), 3);
    assert_eq!(last_checkpoint(dir.path()), Some(3));
}

/// A model that cannot take MNIST (input not 784 pixels, output not 10 classes) is rejected
/// before anything is read: the data paths here do not even exist.
#[test]
fn a_model_that_does_not_fit_mnist_is_rejected_before_any_work() {
    let missing = Path::new("/nonexistent/mnist");
    let paths = burn_init::data::MnistPaths {
        train_images: missing.join("train-images-idx3-ubyte"),
        train_labels: missing.join("train-labels-idx1-ubyte"),
        test_images: missing.join("t10k-images-idx3-ubyte"),
        test_labels: missing.join("t10k-labels-idx1-ubyte"),
    };
    let dir = tempfile::tempdir().unwrap();
    let options = TrainOptions {
        artifact_dir: dir.path().join("artifacts"),
        device: DeviceChoice::Cpu,
        dashboard: Some(false),
        ..TrainOptions::default()
    };
    let wide = MlpConfig::new().with_input_shape(vec![32, 32]);
    let message = train(&wide, &options, &paths).unwrap_err().to_string();
    assert!(
        message.contains("`input_shape`") && message.contains("1024"),
        "{message}"
    );
    let mut layers = MlpConfig::mission_layers();
    layers[2].units = 5;
    let five = MlpConfig::new().with_layers(layers);
    let message = train(&five, &options, &paths).unwrap_err().to_string();
    assert!(message.contains("`layers[2].units`"), "{message}");
    assert!(!options.artifact_dir.exists(), "nothing may be written");
}
