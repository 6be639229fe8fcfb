//! Conformance of SDKs generated from real specs of `../shared/specs/corpus/` against the Prism
//! mock server on 127.0.0.1. Each crate is generated with its `call_every_operation` program,
//! which calls every operation once; a call fails if it gets no 2xx, if the response does not
//! decode, or if Prism reports that the request breaks the spec (an invalid request gets 422).
//!
//! The crates come from the specs as published. Prism itself gets a copy with two of its own
//! limits worked around, each a rewrite that keeps the spec's meaning for the client:
//! - `*/*` content becomes `application/json`: Prism cannot produce a body for a media range
//!   (it answers 500), while the client sends `Accept: */*` and reads JSON, as the spec allows.
//! - a form or multipart body whose schema is not an object (a string, say) becomes an object of
//!   text fields: no form can match a string schema, and that is how the generator reads such a
//!   body (with a warning), so Prism checks what the client really sends.

mod common;

use std::path::Path;

use common::prism::{self, Prism};
use serde_json::{Value, json};

/// Short name (crate folder) and file of each spec.
const SPECS: &[(&str, &str)] = &[
    ("nexus", "oxide.computer__nexus.json"),
    ("libretranslate", "libretranslate.local__api.json"),
];

#[test]
fn every_operation_of_corpus_sdks_conforms_to_its_spec() {
    if common::skip_nested_builds() || !prism::available() {
        return;
    }
    let Some(shared) = common::shared_specs() else {
        return;
    };
    let workspace = common::scratch("conformance-workspace");
    let mut members = Vec::new();
    for (name, file) in SPECS {
        let spec = shared.join("corpus").join(file);
        let crate_dir = workspace.join(name);
        let generated = common::generate(&spec, &crate_dir, true);
        sdkgen::output::write(&crate_dir, &generated.files).expect("crate written");
        members.push((*name).to_owned());
    }
    common::write_workspace(&workspace, &members);
    let mut failures = Vec::new();
    for (name, file) in SPECS {
        let mock_spec = workspace.join(format!("{name}.prism.json"));
        write_mock_copy(&shared.join("corpus").join(file), &mock_spec);
        let prism = Prism::start(&mock_spec, &workspace.join("logs"));
        let output = common::nested_cargo(&workspace)
            .args([
                "run",
                "--quiet",
                "--all-features",
                "--example",
                "call_every_operation",
            ])
            .arg("--manifest-path")
            .arg(workspace.join(name).join("Cargo.toml"))
            .arg("--")
            .arg(prism.base_url())
            .output()
            .expect("cargo runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        let summary = stdout.lines().last().unwrap_or("(no summary)");
        println!("{name}: {summary}");
        if !output.status.success() {
            failures.push(format!(
                "{name}:\n{stdout}\n{}\n--- Prism\n{}",
                String::from_utf8_lossy(&output.stderr),
                prism.log()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// Writes the copy of `spec` that Prism serves (see the module docs).
fn write_mock_copy(spec: &Path, to: &Path) {
    let mut doc: Value =
        serde_json::from_slice(&std::fs::read(spec).expect("spec readable")).expect("JSON spec");
    rewrite_content(&mut doc);
    std::fs::write(to, serde_json::to_vec(&doc).expect("JSON")).expect("copy written");
}

fn rewrite_content(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(Value::Object(content)) = map.get_mut("content") {
                if !content.contains_key("application/json")
                    && let Some(media) = content.remove("*/*")
                {
                    content.insert("application/json".to_owned(), media);
                }
                for form in ["application/x-www-form-urlencoded", "multipart/form-data"] {
                    if let Some(schema) = content.get_mut(form).and_then(|m| m.get_mut("schema")) {
                        let typed = schema.get("type").and_then(Value::as_str);
                        if typed.is_some_and(|t| t != "object") {
                            *schema = json!({
                                "type": "object",
                                "additionalProperties": { "type": "string" }
                            });
                        }
                    }
                }
            }
            map.values_mut().for_each(rewrite_content);
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_content),
        _ => {}
    }
}
