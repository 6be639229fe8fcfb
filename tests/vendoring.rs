//! Vendoring: a copy of `generated/` alone, outside any workspace, with its own lockfile and
//! target directory, builds; it has no build script; and its dependencies are exactly those the
//! root package compiles the same sources with (and those the runtime is tested with), and so
//! are its features.

#[path = "../generator/tests/common/mod.rs"]
mod common;

use std::path::{Path, PathBuf};

fn table(manifest: &Path, name: &str) -> toml::Table {
    let text = std::fs::read_to_string(manifest).expect("manifest readable");
    let table: toml::Table = text.parse().expect("manifest is TOML");
    table[name]
        .as_table()
        .unwrap_or_else(|| panic!("a {name} table"))
        .clone()
}

fn dependencies(manifest: &Path) -> toml::Table {
    table(manifest, "dependencies")
}

#[test]
fn the_generated_crate_declares_the_dependencies_it_is_compiled_with() {
    let root = common::repo_root();
    let generated = dependencies(&root.join("generated/Cargo.toml"));
    assert_eq!(
        generated,
        dependencies(&root.join("Cargo.toml")),
        "root package"
    );
    assert_eq!(
        generated,
        dependencies(&root.join("generator/runtime/crate/Cargo.toml")),
        "runtime crate"
    );
}

#[test]
fn the_generated_crate_declares_the_features_it_is_compiled_with() {
    let root = common::repo_root();
    let generated = table(&root.join("generated/Cargo.toml"), "features");
    assert_eq!(generated, table(&root.join("Cargo.toml"), "features"));
}

#[test]
fn a_copy_of_generated_builds_on_its_own() {
    if common::skip_nested_builds() {
        return;
    }
    let root = common::repo_root();
    // Outside the repository, so that no parent workspace applies.
    let outside = tempfile::tempdir().expect("temporary folder");
    let copy = outside.path().join("stytch-magic-links");
    common::copy_tree(&root.join("generated"), &copy, &[]);
    assert!(!copy.join("build.rs").exists());
    let manifest: toml::Table = std::fs::read_to_string(copy.join("Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        manifest["package"].get("build").is_none(),
        "the vendored crate has a build script"
    );

    let target = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("vendored-target");
    let mut build = common::nested_cargo(&copy);
    build
        .args(["build", "--quiet"])
        .env("CARGO_TARGET_DIR", &target);
    common::run_ok(&mut build);
    assert!(
        copy.join("Cargo.lock").is_file(),
        "the copy resolved its own lockfile"
    );
}
