//! Regenerates `generated/` from `spec/` whenever the spec changes, so `cargo build` and
//! `cargo test` always compile the SDK of the spec that is checked in.
//!
//! Only files whose bytes differ are written; generated files of schemas that no longer exist
//! are removed; nothing outside `generated/` is written. With `CI` set, nothing is written: the
//! build fails if `generated/` is out of date, and says how to regenerate.

use std::path::Path;
use std::process::exit;

const SPEC: &str = "spec/stytch-magic-links.yaml";
const OUT: &str = "generated";
const REGENERATE: &str =
    "cargo run -p sdkgen -- generate spec/stytch-magic-links.yaml --out generated";

fn main() {
    println!("cargo:rerun-if-changed=spec");
    println!("cargo:rerun-if-env-changed=CI");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = root.join(SPEC);
    let out = root.join(OUT);
    let bytes = std::fs::read(&spec).unwrap_or_else(|e| fail(&format!("cannot read {SPEC}: {e}")));
    let options = sdkgen::Options {
        crate_name: None,
        crate_version: env!("CARGO_PKG_VERSION").to_owned(),
        spec_label: sdkgen::spec_label(&out, &spec),
        folders: sdkgen::bundle::Folders::for_spec(&spec),
        example_check: false,
        call_check: false,
    };
    let generated = match sdkgen::generate(SPEC, &bytes, &options) {
        Ok(generated) => generated,
        Err(failed) => {
            for diagnostic in &failed.diagnostics {
                eprintln!("{}", diagnostic.display_in(SPEC));
            }
            fail(&format!("{SPEC} could not be generated"));
        }
    };
    for warning in &generated.warnings {
        println!("cargo:warning={}", warning.display_in(SPEC));
    }
    let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0");
    if in_ci {
        let differences = sdkgen::output::check(&out, &generated.files)
            .unwrap_or_else(|e| fail(&format!("cannot read {OUT}/: {e}")));
        if !differences.is_empty() {
            for difference in &differences {
                eprintln!("{difference}");
            }
            fail(&format!(
                "{OUT}/ is not what {SPEC} generates; regenerate with `{REGENERATE}` and commit the result"
            ));
        }
    } else {
        sdkgen::output::write(&out, &generated.files)
            .unwrap_or_else(|e| fail(&format!("cannot write {OUT}/: {e}")));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    exit(1)
}
