//! Initialization diagnostics at depth 20, width 256, batch 256, standard normal inputs,
//! seed 0, on the CPU. The observed ratios are in each test's comment; the assertions are the
//! bands the literature predicts.

use burn::tensor::Device;
use burn_init::diagnostics::{
    DiagnoseOptions, Inputs, PairingReport, Verdict, diagnose_config, diagnose_grid, write_outputs,
};
use burn_init::model::{Activation, MlpConfig};
use burn_init::{GlorotNormal, HeNormal, Initializer, LecunNormal, RandomNormal};

const OPTIONS: DiagnoseOptions = DiagnoseOptions {
    depth: 20,
    width: 256,
    batch: 256,
    seed: 0,
};

fn pairing(name: &str, init: Initializer, activation: Activation) -> PairingReport {
    let device = Device::flex().autodiff();
    let mut reports = diagnose_grid(
        &[(name.to_string(), init)],
        &[activation],
        &OPTIONS,
        &Inputs::Normal,
        &device,
    )
    .unwrap();
    let report = reports.remove(0);
    println!(
        "{}: activation ratio {:.4}, gradient ratio {:.4}, {}",
        report.label(),
        report.activation_ratio,
        report.gradient_ratio,
        report.verdict
    );
    report
}

#[test]
fn he_normal_keeps_relu_activations_steady() {
    let report = pairing("he_normal", HeNormal::new().into(), Activation::Relu);
    assert!(
        (0.5..=2.0).contains(&report.activation_ratio),
        "{}",
        report.activation_ratio
    );
    assert_eq!(report.verdict, Verdict::Stable);
    assert_eq!(report.layers.len(), 20);
}

#[test]
fn a_small_normal_makes_tanh_activations_vanish() {
    let small = RandomNormal::new(0.0, 0.01).unwrap().into();
    let report = pairing("small_normal", small, Activation::Tanh);
    // Each layer scales the std by about 0.01 · sqrt(256) = 0.16.
    assert!(
        report.activation_ratio < 0.01,
        "{}",
        report.activation_ratio
    );
    assert_eq!(report.verdict, Verdict::Vanishing);
}

#[test]
fn glorot_normal_keeps_tanh_within_a_factor_of_ten() {
    let report = pairing(
        "glorot_normal",
        GlorotNormal::new().into(),
        Activation::Tanh,
    );
    // Glorot & Bengio (2010): with their normalized initialization, tanh activations shrink only
    // slowly with depth and gradients keep their scale.
    assert!(
        (0.1..=1.0).contains(&report.activation_ratio),
        "{}",
        report.activation_ratio
    );
    assert!(
        (0.1..=10.0).contains(&report.gradient_ratio),
        "{}",
        report.gradient_ratio
    );
    assert_eq!(report.verdict, Verdict::Stable);
}

#[test]
fn lecun_normal_makes_selu_self_normalizing() {
    let report = pairing("lecun_normal", LecunNormal::new().into(), Activation::Selu);
    // Klambauer et al. (2017): activations converge to unit variance.
    let last = report.layers.last().unwrap().activation_std;
    assert!(
        (0.5..=2.0).contains(&report.activation_ratio),
        "{}",
        report.activation_ratio
    );
    assert!((0.7..=1.3).contains(&last), "{last}");
    assert_eq!(report.verdict, Verdict::Stable);
}

#[test]
fn a_model_config_is_diagnosed_as_configured() {
    let device = Device::flex().autodiff();
    let report = diagnose_config(&MlpConfig::new(), &OPTIONS, &Inputs::Normal, &device).unwrap();
    // The mission's network has two hidden layers: tanh (GlorotNormal) and relu (HeNormal).
    assert_eq!(report.layers.len(), 2);
    assert_eq!(report.initializer, "GlorotNormal/HeNormal");
    assert_eq!(report.activation, "tanh/relu");
    let single = MlpConfig::new().with_layers(vec![burn_init::model::DenseConfig::new(10)]);
    assert!(diagnose_config(&single, &OPTIONS, &Inputs::Normal, &device).is_err());
}

#[test]
fn the_outputs_are_written_and_the_plots_are_pngs() {
    let report = pairing("he_normal", HeNormal::new().into(), Activation::Relu);
    let dir = tempfile::tempdir().unwrap();
    write_outputs(&[report], dir.path()).unwrap();
    for name in ["activation_std.png", "gradient_std.png"] {
        let bytes = std::fs::read(dir.path().join(name)).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "{name}");
        let image = image::load_from_memory(&bytes).unwrap();
        assert_eq!((image.width(), image.height()), (1200, 800));
    }
    let csv = std::fs::read_to_string(dir.path().join("diagnostics.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 20);
    let json: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("diagnostics.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(json[0]["verdict"], "stable");
}
