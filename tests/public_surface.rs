//! The generated crate's public surface: the runtime's helpers that only generated code calls
//! are `#[doc(hidden)]` (their policy is in the runtime's module docs), and nothing a user reads
//! (the README, the docs of generated items) points at one of them.

#[path = "../generator/tests/common/mod.rs"]
mod common;

/// The names the runtime re-exports under `#[doc(hidden)]`.
fn hidden_names(module: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut lines = module.lines();
    while let Some(line) = lines.next() {
        if line.trim() != "#[doc(hidden)]" {
            continue;
        }
        let mut item = String::new();
        for next in lines.by_ref() {
            item.push_str(next.trim());
            item.push(' ');
            if next.trim_end().ends_with(';') {
                break;
            }
        }
        let Some(used) = item.strip_prefix("pub use ") else {
            continue;
        };
        let list = match used.split_once('{') {
            Some((_, rest)) => rest.split('}').next().unwrap_or_default().to_owned(),
            None => used.rsplit("::").next().unwrap_or_default().to_owned(),
        };
        names.extend(
            list.split(',')
                .map(|n| n.trim().trim_end_matches(';').trim().to_owned())
                .filter(|n| !n.is_empty()),
        );
    }
    names
}

#[test]
fn helpers_for_generated_code_are_hidden_and_no_doc_points_at_them() {
    let root = common::repo_root();
    let generated = root.join("generated");
    let module = std::fs::read_to_string(generated.join("src/runtime/mod.rs")).unwrap();
    let hidden = hidden_names(&module);
    for name in [
        "Request",
        "decode_json",
        "serialize_tagged",
        "encode_path_segment",
    ] {
        assert!(hidden.iter().any(|h| h == name), "{name} in {hidden:?}");
    }
    for public in ["Call", "Response", "Error", "ApiError", "RetryPolicy"] {
        assert!(!hidden.iter().any(|h| h == public), "{public} is hidden");
    }

    let mut read = vec![(
        "README.md".to_owned(),
        std::fs::read_to_string(generated.join("README.md")).unwrap(),
    )];
    for file in common::rust_files(&generated.join("src")) {
        if file.components().any(|c| c.as_os_str() == "runtime") {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let docs: String = text
            .lines()
            .map(str::trim_start)
            .filter(|l| l.starts_with("///") || l.starts_with("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        read.push((file.display().to_string(), docs));
    }
    for (file, text) in &read {
        for name in &hidden {
            assert!(
                !text.contains(&format!("runtime::{name}")),
                "{file} points users at the hidden `runtime::{name}`"
            );
        }
    }
}
