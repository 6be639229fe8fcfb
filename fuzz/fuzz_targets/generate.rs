//! Structure-aware fuzzing of the whole generate path: the fuzzer's bytes choose an OpenAPI
//! document built from small pieces (schemas, operations, parameters, security schemes, hostile
//! names and texts), so that inputs get past parsing into lowering, the passes, codegen and
//! rendering. A panic or an internal error fails.

#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use sdkgen_fuzz::{check_generate, model::Document};

fuzz_target!(|bytes: &[u8]| {
    // Decoding, writing and dropping a deeply nested document recurse as deep as it nests: on
    // a thread of its own, an overflow is reported (and the input saved) instead of crashing
    // the fuzzer's own signal handling.
    let bytes = bytes.to_vec();
    // A crash that kills the process before libFuzzer can save the input (a stack overflow,
    // with no sanitizer) leaves it here.
    if let Some(path) = std::env::var_os("SDKGEN_FUZZ_LAST_INPUT") {
        let _ = std::fs::write(path, &bytes);
    }
    let harness = std::thread::Builder::new()
        .name("harness".to_owned())
        .stack_size(64 * 1024 * 1024)
        .spawn(move || {
            let Ok(document) = Document::arbitrary_take_rest(Unstructured::new(&bytes)) else {
                return;
            };
            let (name, file) = document.to_file();
            check_generate(&name, &file);
        })
        .expect("a thread");
    if let Err(panic) = harness.join() {
        std::panic::resume_unwind(panic);
    }
});
