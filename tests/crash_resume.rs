//! Crash and resume with a real process and a real signal: `burn-init train` is SIGKILLed in the
//! middle of an epoch after its first checkpoint, `train --resume` finishes the run, and the
//! result matches an uninterrupted run with the same seed. Needs the real MNIST files in
//! `../shared/data/mnist`; about 40 s in release.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use burn_init::training::{MetricsReport, last_checkpoint};

const EPOCHS: &str = "3";

fn train(artifact_dir: &Path, resume: bool) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_burn-init"));
    command
        .arg("train")
        .arg("--data-dir")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/data/mnist"))
        .arg("--offline")
        .args([
            "--epochs",
            EPOCHS,
            "--limit",
            "12000",
            "--test-limit",
            "1000",
        ])
        .args(["--batch-size", "32", "--seed", "7", "--device", "cpu"])
        .arg("--artifact-dir")
        .arg(artifact_dir)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    if resume {
        command.arg("--resume");
    }
    command
}

#[cfg(unix)]
#[test]
fn a_run_killed_mid_epoch_resumes_to_the_uninterrupted_result() {
    let root = tempfile::tempdir().unwrap();
    let (straight, crashed) = (root.path().join("straight"), root.path().join("crashed"));

    let status = train(&straight, false).output().unwrap();
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let expected = MetricsReport::load(&straight.join("metrics.json")).unwrap();

    // Start the same run, wait for the first complete checkpoint, then kill it a little way into
    // epoch 2 with SIGKILL (no chance to clean up).
    let mut child = train(&crashed, false).spawn().unwrap();
    let started = Instant::now();
    while last_checkpoint(&crashed).is_none() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before its first checkpoint"
        );
        assert!(
            started.elapsed() < Duration::from_secs(300),
            "no checkpoint"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(400));
    let pid = child.id().to_string();
    let killed = Command::new("kill").args(["-KILL", &pid]).status().unwrap();
    assert!(killed.success());
    let status = child.wait().unwrap();
    assert_eq!(
        std::os::unix::process::ExitStatusExt::signal(&status),
        Some(9),
        "the run finished before the kill; the test did not interrupt anything"
    );
    assert!(!crashed.join("metrics.json").exists());
    let resumed_from = last_checkpoint(&crashed).unwrap();
    assert!(resumed_from < 3, "checkpoint {resumed_from}");

    // `--device cpu` must not open the GPU to resume (burn-optim builds restored optimizer
    // state on burn's default device, which is wgpu in a `--features wgpu` build). Mesa's Vulkan
    // driver complains on stderr when it starts without a runtime directory: that message
    // showing up means wgpu was started.
    let output = train(&crashed, true)
        .env_remove("XDG_RUNTIME_DIR")
        .env_remove("BURN_DEVICE")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("XDG_RUNTIME_DIR"),
        "the CPU resume opened wgpu: {stderr}"
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let resumed = MetricsReport::load(&crashed.join("metrics.json")).unwrap();

    assert_eq!(resumed.epochs.len(), expected.epochs.len());
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-5 * b.abs().max(1.0);
    for (got, want) in resumed.epochs.iter().zip(&expected.epochs) {
        assert_eq!(got.epoch, want.epoch);
        for (name, a, b) in [
            ("train loss", got.train_loss, want.train_loss),
            ("train accuracy", got.train_accuracy, want.train_accuracy),
            ("valid loss", got.valid_loss, want.valid_loss),
            ("valid accuracy", got.valid_accuracy, want.valid_accuracy),
        ] {
            let (a, b) = (a.unwrap(), b.unwrap());
            assert!(close(a, b), "epoch {}: {name} {a} vs {b}", got.epoch);
        }
    }
    assert!(
        close(resumed.test_accuracy, expected.test_accuracy)
            && close(resumed.test_loss, expected.test_loss),
        "test {} / {} vs {} / {}",
        resumed.test_accuracy,
        resumed.test_loss,
        expected.test_accuracy,
        expected.test_loss
    );
    println!(
        "killed after checkpoint {resumed_from}; resumed: test accuracy {} loss {}; \
         uninterrupted: {} {}",
        resumed.test_accuracy, resumed.test_loss, expected.test_accuracy, expected.test_loss
    );
}
