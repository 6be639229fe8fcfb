//! The edit loop, for real, in a copy of the repository: add an optional property to the create
//! request in `spec/`, run the README's test command once, and check that `generated/` changed
//! by a few lines to include it, that nothing outside `generated/` was written, that the copy
//! is fresh again, and that a build with the spec unchanged does not run the build script.
//!
//! The copy also gets a test that uses the new property's setter: it compiles only if the same
//! `cargo test` that regenerated `generated/` also compiled the regenerated code (the build-order
//! trap that `build.rs` avoids by having the root package compile `generated/src` itself).

#[path = "../generator/tests/common/mod.rs"]
mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const NEW_PROPERTY: &str = "        note:\n          type: string\n";
const USES_NEW_PROPERTY: &str = r#"
#[test]
fn the_new_property_is_in_the_sdk() {
    let request = stytch_magic_links::types::ApiMagicV1CreateRequest::new("user-1").with_note("hello");
    assert_eq!(serde_json::to_value(&request).unwrap()["note"], "hello");
}
"#;

/// Build output, history, and installed tools (the copy's conformance tests skip without Prism).
const NOT_COPIED: &[&str] = &["target", ".git", "node_modules"];

#[test]
fn a_spec_edit_regenerates_the_sdk_in_one_test_run() {
    if common::skip_nested_builds() {
        return;
    }
    let root = common::repo_root();
    let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("edit-loop");
    let copy = base.join("repo");
    let _ = std::fs::remove_dir_all(&copy);
    common::copy_tree(&root, &copy, NOT_COPIED);
    let before = text_tree(&copy);

    let spec_path = copy.join("spec/stytch-magic-links.yaml");
    let spec = std::fs::read_to_string(&spec_path).unwrap();
    let anchor = "    api_magic_v1_CreateRequest:\n      type: object\n      properties:\n";
    assert!(spec.contains(anchor), "the create request schema moved");
    std::fs::write(
        &spec_path,
        spec.replace(anchor, &format!("{anchor}{NEW_PROPERTY}")),
    )
    .unwrap();
    std::fs::write(copy.join("tests/new_property.rs"), USES_NEW_PROPERTY).unwrap();

    // The README's test command, once, as a developer runs it (not in CI mode, which only checks).
    // The copy's own nested builds (this test, the compile and vendoring tests) are skipped.
    // Cargo in the copy, as a developer runs it: its own target, no CI mode, no extra flags.
    let cargo = |args: &[&str]| {
        let mut command = common::nested_cargo(&copy);
        command
            .args(args)
            .env(common::SKIP_NESTED_BUILDS, "1")
            .env("CARGO_TARGET_DIR", base.join("target"))
            .env_remove("CI")
            .env_remove("RUSTFLAGS");
        common::run_ok(&mut command)
    };
    cargo(&["test", "--workspace"]);

    let after = text_tree(&copy);
    let mut changed_lines = 0;
    for (path, contents) in &after {
        let old = before.get(path).map(String::as_str).unwrap_or("");
        if old == contents {
            continue;
        }
        let expected_change = path.starts_with("generated/")
            || path == "spec/stytch-magic-links.yaml"
            || path == "tests/new_property.rs";
        assert!(expected_change, "{path} was written outside generated/");
        if path.starts_with("generated/") {
            let diff = similar::TextDiff::from_lines(old, contents.as_str());
            changed_lines += diff
                .iter_all_changes()
                .filter(|c| c.tag() != similar::ChangeTag::Equal)
                .count();
        }
    }
    assert!(
        before.keys().all(|p| after.contains_key(p)),
        "a file was removed"
    );
    let request = &after["generated/src/types/api_magic_v1_create_request.rs"];
    assert!(request.contains("pub note: Option<String>"), "{request}");
    eprintln!("{changed_lines} lines of generated/ changed");
    // The field and its doc, its setter, and a line or two in each serde impl.
    assert!(
        changed_lines > 0 && changed_lines < 25,
        "{changed_lines} lines of generated/ changed"
    );

    let bytes = std::fs::read(&spec_path).unwrap();
    let options = sdkgen::Options {
        crate_name: None,
        crate_version: "0.1.0".to_owned(),
        spec_label: sdkgen::spec_label(&copy.join("generated"), &spec_path),
        folders: sdkgen::bundle::Folders::for_spec(&spec_path),
        example_check: false,
        call_check: false,
        ..Default::default()
    };
    let files = sdkgen::generate("stytch-magic-links.yaml", &bytes, &options)
        .expect("generates")
        .files;
    let differences = sdkgen::output::check(&copy.join("generated"), &files).unwrap();
    assert!(
        differences.is_empty(),
        "the copy is not fresh after one run: {differences:?}"
    );

    // With the spec unchanged, a build does no generation work: the build script does not run
    // again, even after files it does not read (a test, the README) changed.
    let build = || cargo(&["build", "-v"]);
    build();
    std::fs::write(
        copy.join("tests/new_property.rs"),
        format!("{USES_NEW_PROPERTY}\n"),
    )
    .unwrap();
    let readme = std::fs::read_to_string(copy.join("README.md")).unwrap();
    std::fs::write(copy.join("README.md"), format!("{readme}\n")).unwrap();
    let log = build();
    let ran: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("Running")
                && l.contains("stytch-magic-links")
                && l.contains("build-script-build")
        })
        .collect();
    assert!(ran.is_empty(), "the build script ran again: {ran:?}\n{log}");
    assert!(log.contains("Fresh stytch-magic-links"), "{log}");
}

/// The text files of the copy, without build output.
fn text_tree(root: &Path) -> BTreeMap<String, String> {
    common::read_tree(root, NOT_COPIED)
        .into_iter()
        .filter_map(|(path, bytes)| String::from_utf8(bytes).ok().map(|text| (path, text)))
        .collect()
}
