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
            let (generated, golden) = (expected.get(path), actual.get(path));
            if generated != golden {
                mismatches.push(mismatch(&format!("{name}/{path}"), golden, generated));
            }
        }
    }
    assert!(
        mismatches.is_empty(),
        "generated output differs from the goldens (- golden, + generated):\n{}\nIf the change is intended, run `UPDATE_GOLDEN=1 cargo test -p sdkgen --test golden` and review the diff.",
        mismatches.join("\n")
    );
}

/// How many lines of diff a mismatched file shows.
const DIFF_LINES: usize = 60;

/// One mismatched file: its path and a unified diff from the golden to the generated text, cut
/// at [`DIFF_LINES`] lines.
fn mismatch(path: &str, golden: Option<&Vec<u8>>, generated: Option<&Vec<u8>>) -> String {
    let text = |bytes: Option<&Vec<u8>>| {
        String::from_utf8_lossy(bytes.map_or(&[][..], |b| b)).into_owned()
    };
    let (old, new) = (text(golden), text(generated));
    let diff = similar::TextDiff::from_lines(&old, &new)
        .unified_diff()
        .context_radius(2)
        .header(
            &format!(
                "golden/{path}{}",
                if golden.is_none() { " (missing)" } else { "" }
            ),
            &format!(
                "generated/{path}{}",
                if generated.is_none() {
                    " (not generated)"
                } else {
                    ""
                }
            ),
        )
        .to_string();
    let lines: Vec<&str> = diff.lines().collect();
    let mut out = lines[..lines.len().min(DIFF_LINES)].join("\n");
    if lines.len() > DIFF_LINES {
        out.push_str(&format!(
            "\n... {} more lines of diff",
            lines.len() - DIFF_LINES
        ));
    }
    out
}

#[test]
fn a_mismatch_shows_the_lines_that_differ() {
    let golden = b"a\nb\nc\n".to_vec();
    let generated = b"a\nB\nc\n".to_vec();
    let shown = mismatch("x/src/lib.rs", Some(&golden), Some(&generated));
    assert!(shown.contains("-b\n+B"), "{shown}");
    assert!(shown.contains("golden/x/src/lib.rs"), "{shown}");
    let missing = mismatch("x/new.rs", None, Some(&generated));
    assert!(
        missing.contains("(missing)") && missing.contains("+B"),
        "{missing}"
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
