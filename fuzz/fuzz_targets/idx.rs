//! libFuzzer target: the IDX reader (plain and gzipped, images and labels) on arbitrary bytes.
//! Any panic, abort or oversized allocation (run with `-malloc_limit_mb`) is a finding.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    burn_init::fuzzing::idx(bytes);
});
