//! Broken specs through the real command: each in `tests/errors/` must fail with exit code 2,
//! print exactly the diagnostics in its `.stderr` file (every error, located, sorted), and write
//! nothing. Run with `UPDATE_GOLDEN=1` to rewrite the expected output.

mod common;

use std::process::Command;

#[test]
fn broken_specs_fail_with_located_errors_and_write_nothing() {
    let dir = common::generator_dir().join("tests/errors");
    let scratch = common::scratch("errors");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut specs: Vec<_> = std::fs::read_dir(&dir)
        .expect("errors folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    assert!(
        specs.len() >= 8,
        "expected the broken specs, found {specs:?}"
    );
    let mut mismatches = Vec::new();
    for spec in specs {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let out = scratch.join(&name);
        let output = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
            .current_dir(&dir)
            .args(["generate", &name, "--out"])
            .arg(&out)
            .output()
            .expect("sdkgen runs");
        assert_eq!(output.status.code(), Some(2), "{name}: {output:?}");
        assert!(!out.exists(), "{name}: something was written");
        let stderr = String::from_utf8(output.stderr).expect("UTF-8");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        let expected_path = spec.with_extension(format!(
            "{}.stderr",
            spec.extension().unwrap().to_string_lossy()
        ));
        if update {
            std::fs::write(&expected_path, &stderr).expect("expected output written");
        } else if std::fs::read_to_string(&expected_path).ok().as_deref() != Some(stderr.as_str()) {
            mismatches.push(format!("{name}:\n{stderr}"));
        }
    }
    assert!(
        mismatches.is_empty(),
        "unexpected diagnostics (UPDATE_GOLDEN=1 rewrites them):\n{}",
        mismatches.join("\n")
    );
}
