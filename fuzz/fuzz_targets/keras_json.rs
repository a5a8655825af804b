//! libFuzzer target: the Keras-JSON initializer parser on arbitrary text, then sampling and a
//! serialization round trip of whatever it accepts.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    burn_init::fuzzing::keras_json(bytes);
});
