//! Golden tests: each fixture in `tests/fixtures/` generates exactly the crate checked in under
//! `tests/golden/<fixture>/` (without the runtime copy, which every crate shares), and exactly the
//! warnings in its `warnings.txt`. Run with `UPDATE_GOLDEN=1` to rewrite them after an intended
//! change, then review the diff. `compile.rs` compiles the goldens.

mod common;

const WARNINGS: &str = "warnings.txt";

#[test]
fn every_fixture_matches_its_golden_crate() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut mismatches = Vec::new();
    for (name, spec) in common::fixtures() {
        let dir = common::golden_dir(&name);
        let generated = common::generate_fixture(&spec, &dir);
        let mut expected = common::without_runtime(&generated.files);
        let source = spec.file_name().unwrap().to_string_lossy().into_owned();
        expected.insert(
            WARNINGS.to_owned(),
            common::warnings_text(&source, &generated).into_bytes(),
        );
        if update {
            let _ = std::fs::remove_dir_all(&dir);
            sdkgen::output::write(&dir, &expected).expect("golden written");
            // `output::write` leaves files without the generated header alone: write warnings.
            std::fs::write(dir.join(WARNINGS), &expected[WARNINGS]).expect("warnings written");
            continue;
        }
        let actual = common::read_tree(&dir, &[]);
        for path in expected
            .keys()
            .chain(actual.keys())
            .collect::<std::collections::BTreeSet<_>>()
        {
            if expected.get(path) != actual.get(path) {
                mismatches.push(format!("{name}/{path}"));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "generated output differs from the goldens in:\n  {}\nIf the change is intended, run `UPDATE_GOLDEN=1 cargo test -p sdkgen --test golden` and review the diff.",
        mismatches.join("\n  ")
    );
}

#[test]
fn generating_twice_gives_the_same_bytes() {
    for (name, spec) in common::fixtures() {
        let dir = common::golden_dir(&name);
        let first = common::generate_fixture(&spec, &dir);
        let second = common::generate_fixture(&spec, &dir);
        assert_eq!(first.files, second.files, "{name}");
    }
}
