//! The real compiler on generated code: every golden crate, and crates generated from real
//! specs (the OpenAPI petstore and Stytch's whole API), are built with warnings denied in one
//! nested workspace; the docs fixture's doc tests are run to prove that no spec text became a
//! doctest; and `cargo fmt --check` proves that rustfmt leaves generated crates alone.

mod common;

#[test]
fn goldens_and_real_specs_compile_without_warnings() {
    if common::skip_nested_builds() {
        return;
    }
    let workspace = common::scratch("compile-workspace");
    let mut members = Vec::new();
    for (name, spec) in common::fixtures() {
        let golden = common::golden_dir(&name);
        let crate_dir = workspace.join(&name);
        common::copy_tree(&golden, &crate_dir, &["warnings.txt"]);
        // The goldens leave out the runtime copy; add it, as generated for this fixture.
        let generated = common::generate_fixture(&spec, &golden);
        std::fs::create_dir_all(crate_dir.join("src/runtime")).expect("runtime folder");
        for (path, contents) in generated
            .files
            .iter()
            .filter(|(p, _)| p.starts_with("src/runtime/"))
        {
            std::fs::write(crate_dir.join(path), contents).expect("runtime written");
        }
        members.push(name);
    }
    if let Some(shared) = common::shared_specs() {
        for (name, spec) in [
            ("petstore", "corpus/openapis.org__petstore-v3.0.json"),
            ("stytch-full", "stytch/openapi.yml"),
        ] {
            let crate_dir = workspace.join(name);
            let spec = shared.join(spec);
            let generated = common::generate_fixture(&spec, &crate_dir);
            sdkgen::output::write(&crate_dir, &generated.files).expect("crate written");
            members.push(name.to_owned());
        }
    }
    // The behaviour tests use the golden crates as a user would.
    common::copy_tree(
        &common::generator_dir().join("tests/behaviour"),
        &workspace.join("behaviour"),
        &[],
    );
    members.push("behaviour".to_owned());
    common::write_workspace(&workspace, &members);
    common::run_ok(common::nested_cargo(&workspace).args(["check", "--workspace", "--quiet"]));
    common::run_ok(common::nested_cargo(&workspace).args(["test", "--quiet", "-p", "behaviour"]));
    // Every crate's examples (README and one per operation) compile.
    common::run_ok(common::nested_cargo(&workspace).args([
        "test",
        "--doc",
        "--workspace",
        "--exclude",
        "behaviour",
        "--quiet",
    ]));
    // The only doctests are the generator's examples: spec text (code blocks in descriptions)
    // never becomes one.
    let listed = common::run_ok(
        common::nested_cargo(&workspace).args(["test", "--doc", "-p", "docs", "--", "--list"]),
    );
    let doctests = listed.lines().filter(|l| l.ends_with(": test")).count();
    assert_eq!(
        doctests,
        generated_examples(&workspace.join("docs")),
        "spec text ran as a doctest:\n{listed}"
    );
    // `cargo fmt` in a project that vendors a generated crate must not rewrite it.
    let rustfmt = common::nested_cargo(&workspace)
        .args(["fmt", "--version"])
        .output();
    if rustfmt.is_ok_and(|o| o.status.success()) {
        common::run_ok(common::nested_cargo(&workspace).args(["fmt", "--all", "--check"]));
    } else {
        assert!(std::env::var_os("CI").is_none(), "rustfmt is missing");
        eprintln!("skipping the rustfmt check: rustfmt is not installed");
    }
}

/// The examples the generator wrote into a crate: the README's `rust,no_run` blocks and the
/// `no_run` example of each operation.
fn generated_examples(crate_dir: &std::path::Path) -> usize {
    let readme = std::fs::read_to_string(crate_dir.join("README.md")).expect("README");
    let mut count = readme.matches("```rust,no_run").count();
    let operations = crate_dir.join("src/operations");
    for entry in std::fs::read_dir(operations).expect("operations folder") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("operation file");
        count += text.matches("/// ```no_run").count();
    }
    count
}
