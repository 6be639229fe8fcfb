//! Fuzzing of loading from raw bytes: any file, read as JSON and as YAML, then (when it loads)
//! generated from. A panic or an internal error fails.

#![no_main]

use libfuzzer_sys::fuzz_target;
use sdkgen_fuzz::check_generate;

fuzz_target!(|bytes: &[u8]| {
    for name in ["spec.json", "spec.yaml"] {
        if sdkgen::load::parse(name, bytes).is_ok() {
            check_generate(name, bytes);
        }
    }
});
