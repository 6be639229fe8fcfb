//! Shared parts of the fuzz targets: the structure-aware document model and the check every
//! target applies to a generation.

pub mod document;
pub mod model;

use sdkgen::diagnostics::{Location, Severity};

/// Generates from `bytes` and fails (panics, which the fuzzer reports) on what must never
/// happen: an internal error (the generator panicked, or emitted invalid Rust), an error without
/// a location in a document that parsed, or output that differs between two runs.
pub fn check_generate(name: &str, bytes: &[u8]) {
    let options = sdkgen::Options {
        crate_name: None,
        crate_version: "0.1.0".to_owned(),
        spec_label: name.to_owned(),
        folders: None,
        example_check: true,
        call_check: true,
        ..Default::default()
    };
    match sdkgen::generate(name, bytes, &options) {
        Ok(generated) => {
            for warning in &generated.warnings {
                assert!(!warning.message.contains("internal error"), "{warning:?}");
            }
            let again = sdkgen::generate(name, bytes, &options).expect("second run failed");
            assert!(
                generated.files == again.files,
                "output is not deterministic"
            );
        }
        Err(failed) => {
            for diagnostic in &failed.diagnostics {
                assert!(
                    !diagnostic.message.contains("internal error"),
                    "{diagnostic:?}"
                );
                let located = !matches!(diagnostic.location, Location::File)
                    || diagnostic.severity == Severity::Warning
                    || sdkgen::load::parse(name, bytes).is_err();
                assert!(located, "an error without a location: {diagnostic:?}");
            }
        }
    }
}
