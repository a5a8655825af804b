//! Replays the fuzzers' regression corpus (`tests/fuzz_corpus/<target>/`) through the same
//! functions the libFuzzer targets in `fuzz/` call: every file must be handled without a panic.
//! Add a file here for every crash the fuzzer finds, once it is fixed.

use std::path::Path;

fn replay(target: &str, run: fn(&[u8])) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_corpus")
        .join(target);
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| run(&bytes));
        assert!(outcome.is_ok(), "{} panicked", path.display());
        count += 1;
    }
    assert!(count >= 5, "{}: only {count} corpus files", dir.display());
}

#[test]
fn idx_corpus_replays_without_panics() {
    replay("idx", burn_init::fuzzing::idx);
}

#[test]
fn keras_json_corpus_replays_without_panics() {
    replay("keras_json", burn_init::fuzzing::keras_json);
}
