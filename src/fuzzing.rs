//! The bodies of the libFuzzer targets in `fuzz/`, kept here so that `cargo test` replays the
//! regression corpus (`tests/fuzz_corpus/`) through exactly the code the fuzzer ran.
//!
//! Each function must return normally for every input: bad input is an `Err`, never a panic.

use std::path::Path;

use crate::data::{decode_images, decode_labels};
use crate::init::{Initialize, Initializer, Layout};

/// The IDX reader on arbitrary bytes, as images and as labels (plain or gzipped).
pub fn idx(bytes: &[u8]) {
    let origin = Path::new("fuzz-input");
    if let Ok(images) = decode_images(bytes, origin) {
        assert_eq!(
            images.pixels.len(),
            images.count * images.rows * images.cols
        );
    }
    if let Ok(labels) = decode_labels(bytes, origin) {
        assert!(labels.iter().all(|&label| label <= 9));
    }
}

/// The Keras-JSON initializer parser on arbitrary bytes; what it accepts must sample a small
/// weight and survive a serialization round trip unchanged.
pub fn keras_json(bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(init) = Initializer::parse(text) else {
        return;
    };
    let _ = init.sample(&[3, 4], Layout::Linear);
    let value = init.to_keras_value();
    let again = Initializer::from_keras_value(&value)
        .unwrap_or_else(|error| panic!("{value} does not parse back: {error}"));
    assert_eq!(again.to_keras_value(), value, "round trip of {text}");
}
