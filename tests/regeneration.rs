//! `generated/` is a function of `spec/`: exactly what the generator makes from it, the same
//! bytes every time, and the same bytes from a copy of the spec with its paths and schemas in
//! another order.

#[path = "../generator/tests/common/mod.rs"]
mod common;

use std::path::Path;

const SPEC: &str = "spec/stytch-magic-links.yaml";

fn generate(spec: &Path, out: &Path) -> sdkgen::output::Files {
    let bytes = std::fs::read(spec).expect("spec readable");
    let options = sdkgen::Options {
        crate_name: None,
        crate_version: "0.1.0".to_owned(),
        spec_label: sdkgen::spec_label(out, spec),
        folders: sdkgen::bundle::Folders::for_spec(spec),
        example_check: false,
        call_check: false,
        ..Default::default()
    };
    sdkgen::generate(SPEC, &bytes, &options)
        .expect("the spec generates")
        .files
}

#[test]
fn generated_is_exactly_what_the_spec_generates() {
    let root = common::repo_root();
    let files = generate(&root.join(SPEC), &root.join("generated"));
    let differences = sdkgen::output::check(&root.join("generated"), &files).expect("readable");
    assert!(
        differences.is_empty(),
        "generated/ is stale: {differences:?}"
    );
}

#[test]
fn reordering_paths_and_schemas_changes_nothing() {
    let root = common::repo_root();
    let original = generate(&root.join(SPEC), &root.join("generated"));
    assert_eq!(
        original,
        generate(&root.join(SPEC), &root.join("generated")),
        "two runs differ"
    );

    let text = std::fs::read_to_string(root.join(SPEC)).expect("spec readable");
    let mut doc: serde_yaml::Mapping = serde_yaml::from_str(&text).expect("YAML");
    reverse(&mut doc, &["paths"]);
    reverse(&mut doc, &["components", "schemas"]);
    reverse(&mut doc, &["components", "responses"]);
    let reordered = serde_yaml::to_string(&doc).expect("YAML");
    assert_ne!(reordered, text);

    // The copy sits where the original does relative to its crate, so the recorded path matches.
    let dir = tempfile::tempdir().expect("temporary folder");
    std::fs::create_dir_all(dir.path().join("spec")).unwrap();
    std::fs::write(dir.path().join(SPEC), reordered).unwrap();
    let from_copy = generate(&dir.path().join(SPEC), &dir.path().join("generated"));
    assert_eq!(
        original.keys().collect::<Vec<_>>(),
        from_copy.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &original {
        assert!(
            from_copy[path] == *bytes,
            "{path} differs when the spec is reordered"
        );
    }
}

/// Reverses the entries of the mapping at `path` in `doc`.
fn reverse(doc: &mut serde_yaml::Mapping, path: &[&str]) {
    let mut node = doc;
    for key in &path[..path.len() - 1] {
        node = node
            .get_mut(*key)
            .and_then(|v| v.as_mapping_mut())
            .expect("mapping");
    }
    let last = path[path.len() - 1];
    let map = node
        .get_mut(last)
        .and_then(|v| v.as_mapping_mut())
        .expect("mapping");
    let entries: Vec<_> = std::mem::take(map).into_iter().collect();
    for (key, value) in entries.into_iter().rev() {
        map.insert(key, value);
    }
}
