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
    check_feature_sets(&workspace, &members);
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

/// Every crate compiles, warnings denied, with no feature (nothing but the runtime and the types
/// every group uses), with all of them, and with each of its features alone. One cargo run
/// per round checks every crate with its `round`-th feature.
fn check_feature_sets(workspace: &std::path::Path, members: &[String]) {
    let crates: Vec<&String> = members.iter().filter(|m| *m != "behaviour").collect();
    let mut none = common::nested_cargo(workspace);
    none.args(["check", "--workspace", "--exclude", "behaviour", "--quiet"]);
    common::run_ok(none.arg("--no-default-features"));
    common::run_ok(common::nested_cargo(workspace).args([
        "check",
        "--workspace",
        "--quiet",
        "--all-features",
    ]));
    let features: Vec<(String, Vec<String>)> = crates
        .iter()
        .map(|dir| {
            let dir = workspace.join(dir);
            (common::package_name(&dir), common::crate_features(&dir))
        })
        .collect();
    let rounds = features.iter().map(|(_, f)| f.len()).max().unwrap_or(0);
    assert!(rounds > 0, "no generated crate has a feature");
    for round in 0..rounds {
        let mut command = common::nested_cargo(workspace);
        command.args(["check", "--quiet", "--no-default-features"]);
        let mut chosen = Vec::new();
        for (name, features) in &features {
            if let Some(feature) = features.get(round) {
                command.args(["-p", name.as_str()]);
                chosen.push(format!("{name}/{feature}"));
            }
        }
        common::run_ok(command.arg("--features").arg(chosen.join(",")));
    }
}

/// The examples the generator wrote into a crate: the README's `rust,no_run` blocks and the
/// `no_run` example of each operation.
fn generated_examples(crate_dir: &std::path::Path) -> usize {
    let readme = std::fs::read_to_string(crate_dir.join("README.md")).expect("README");
    let mut count = readme.matches("```rust,no_run").count();
    for file in common::rust_files(&crate_dir.join("src/operations")) {
        let text = std::fs::read_to_string(file).expect("operation file");
        count += text.matches("/// ```no_run").count();
    }
    count
}

/// A mid-size real spec (Oxide's Nexus API: 317 operations in 30 groups) compiles, warnings
/// denied, with its default features, with none, with all, and with each feature alone.
#[test]
fn every_group_of_a_mid_size_spec_compiles_alone() {
    if common::skip_nested_builds() {
        return;
    }
    let Some(shared) = common::shared_specs() else {
        return;
    };
    let workspace = common::scratch("compile-groups");
    let crate_dir = workspace.join("nexus");
    let spec = shared.join("corpus/oxide.computer__nexus.json");
    let generated = common::generate_fixture(&spec, &crate_dir);
    sdkgen::output::write(&crate_dir, &generated.files).expect("crate written");
    common::write_workspace(&workspace, &["nexus".to_owned()]);
    let check = |args: &[&str]| {
        let mut command = common::nested_cargo(&workspace);
        common::run_ok(command.args(["check", "--quiet"]).args(args));
    };
    check(&[]);
    check(&["--no-default-features"]);
    check(&["--all-features"]);
    // The README's examples compile with the default features, which do not include the
    // groups they call.
    let mut docs = common::nested_cargo(&workspace);
    common::run_ok(docs.args(["test", "--doc", "--quiet"]));
    let features = common::crate_features(&crate_dir);
    assert!(features.len() >= 30, "{features:?}");
    for feature in &features {
        check(&["--no-default-features", "--features", feature]);
    }
}
