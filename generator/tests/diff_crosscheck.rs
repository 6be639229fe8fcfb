//! The wire verdicts of `sdkgen diff` cross-checked with an independent differ, api-smart-diff
//! (pinned in `tests/differ/package-lock.json`, installed by `.ci/run`), on every consecutive
//! pair of Stytch's spec history. Both are compared property by property on component schemas
//! (where these releases change things) and on operations added or removed: where one calls a
//! change breaking and the other does not, the disagreement must have a known reason, and every
//! disagreement is printed with it. Without Node.js or the package the test is skipped, except
//! under `CI`, where it fails.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use sdkgen::diff::{self, Report, Verdict};

const VERSIONS: [&str; 6] = common::diff::STYTCH_HISTORY;

fn differ_dir() -> PathBuf {
    common::repo_root().join("tests/differ")
}

fn available() -> bool {
    let installed = differ_dir().join("node_modules/api-smart-diff").is_dir();
    let node = Command::new("node").arg("--version").output().is_ok();
    if installed && node {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "api-smart-diff is not installed: run `npm ci --prefix tests/differ` (as .ci/run does)"
    );
    eprintln!("skipping: api-smart-diff is not installed (npm ci --prefix tests/differ)");
    false
}

/// A change as both tools can name it: an operation, or a property of a component schema.
type Key = (String, String);

/// The spec as JSON, for api-smart-diff.
fn to_json(spec: &Path, dir: &Path) -> PathBuf {
    let text = std::fs::read(spec).unwrap();
    let value = sdkgen::load::parse(&spec.display().to_string(), &text).expect("the spec loads");
    let out = dir.join(format!(
        "{}.json",
        spec.file_stem().unwrap().to_string_lossy()
    ));
    std::fs::write(&out, serde_json::to_vec(&value).unwrap()).unwrap();
    out
}

/// api-smart-diff's verdict for each key: whether any of its changes there is breaking.
fn theirs(old: &Path, new: &Path) -> BTreeMap<Key, bool> {
    let output = Command::new("node")
        .arg(differ_dir().join("crosscheck.mjs"))
        .arg(old)
        .arg(new)
        .output()
        .expect("node runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let diffs: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    let mut out: BTreeMap<Key, bool> = BTreeMap::new();
    for d in &diffs {
        let path: Vec<String> = d["path"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_owned))
            .collect();
        let key = match path
            .iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .as_slice()
        {
            ["components", "schemas", schema, "properties", property] => {
                ((*schema).to_owned(), (*property).to_owned())
            }
            ["components", "schemas", schema, "required", _] => {
                let property = d["after"].as_str().or(d["before"].as_str()).unwrap_or("");
                ((*schema).to_owned(), property.to_owned())
            }
            ["paths", route, method] => (
                format!("{} {route}", method.to_ascii_uppercase()),
                String::new(),
            ),
            _ => continue,
        };
        *out.entry(key).or_default() |= d["type"] == "breaking";
    }
    out
}

/// Our verdict for each key, and the change it comes from.
fn ours(report: &Report) -> BTreeMap<Key, (bool, String)> {
    let mut out: BTreeMap<Key, (bool, String)> = BTreeMap::new();
    for change in &report.changes {
        let (Some(verdict), Some(category)) = (change.wire, change.category) else {
            continue;
        };
        let key = if let Some(rest) = change.subject.strip_prefix("schema `") {
            let schema = rest.split('`').next().unwrap_or(rest).to_owned();
            let Some(property) = change.location.strip_prefix("property `") else {
                continue;
            };
            (schema, property.trim_end_matches('`').to_owned())
        } else if category.as_str().starts_with("endpoint-") {
            (change.subject.clone(), String::new())
        } else {
            continue;
        };
        let entry = out.entry(key).or_insert((false, String::new()));
        entry.0 |= verdict == Verdict::Breaking;
        if !entry.1.is_empty() {
            entry.1.push_str("; ");
        }
        entry
            .1
            .push_str(&format!("{category} in {}", change.subject));
    }
    out
}

/// Why the two tools may disagree on a key; `None` if one of our changes there (`what` lists
/// them, separated by `; `) has no known reason.
fn reason(ours_breaking: bool, theirs_breaking: bool, what: &str) -> Option<&'static str> {
    let reasons: Option<Vec<&'static str>> = what
        .split("; ")
        .map(|one| reason_for(ours_breaking, theirs_breaking, one))
        .collect();
    reasons.and_then(|r| r.first().copied())
}

fn reason_for(ours_breaking: bool, theirs_breaking: bool, what: &str) -> Option<&'static str> {
    match (ours_breaking, theirs_breaking) {
        (false, true)
            if what.contains("(in responses)")
                && what.starts_with("new-required-response-property") =>
        {
            Some(
                "a property the spec requires was added to a schema that only travels in responses: no client breaks; api-smart-diff judges component schemas without the direction they travel in",
            )
        }
        (false, true)
            if what.contains("(in responses)") && what.starts_with("property-required-changed") =>
        {
            Some(
                "an optional response property became required: clients that read responses get it more often, none breaks; api-smart-diff judges the new `required` entry without the direction",
            )
        }
        (true, false)
            if what.contains("(in responses)")
                && what.starts_with("response-required-property-removed") =>
        {
            Some(
                "a property the spec promised in responses was removed: clients that read it break; api-smart-diff judges component schemas as if they were request bodies, where a removed property breaks nobody",
            )
        }
        (true, false) if what.starts_with("property-renamed") => Some(
            "a property renamed: sdkgen reports the rename, which breaks clients that use the old name; api-smart-diff sees a removal and an addition, each harmless in a request body",
        ),
        _ => None,
    }
}

#[test]
fn wire_verdicts_agree_with_api_smart_diff_or_disagree_for_a_known_reason() {
    if !available() {
        return;
    }
    let Some(shared) = common::shared_specs() else {
        return;
    };
    let history = shared.join("stytch/history");
    let scratch = common::scratch("diff-crosscheck");
    let mut unexplained = Vec::new();
    let mut compared = 0;
    for pair in VERSIONS.windows(2) {
        let (old, new) = (history.join(pair[0]), history.join(pair[1]));
        let report = diff::compare(&generate(&old), &generate(&new));
        let ours = ours(&report);
        let theirs = theirs(&to_json(&old, &scratch), &to_json(&new, &scratch));
        for key in ours.keys().filter(|k| theirs.contains_key(*k)) {
            compared += 1;
            let (ours_breaking, what) = &ours[key];
            let theirs_breaking = theirs[key];
            if *ours_breaking == theirs_breaking {
                continue;
            }
            let line = format!(
                "{} → {}: {} {}: sdkgen says {}, api-smart-diff says {}",
                pair[0],
                pair[1],
                key.0,
                key.1,
                if *ours_breaking {
                    "breaking"
                } else {
                    "not breaking"
                },
                if theirs_breaking {
                    "breaking"
                } else {
                    "not breaking"
                },
            );
            match reason(*ours_breaking, theirs_breaking, what) {
                Some(why) => println!("{line} ({what}); reason: {why}"),
                None => unexplained.push(format!("{line} ({what})")),
            }
        }
    }
    println!("{compared} changes compared");
    assert!(
        compared > 20,
        "too few changes found by both tools: {compared}"
    );
    assert!(
        unexplained.is_empty(),
        "disagreements without a known reason:\n{}",
        unexplained.join("\n")
    );
}

fn generate(spec: &Path) -> sdkgen::Generated {
    let name = spec.file_name().unwrap().to_string_lossy().into_owned();
    common::diff::generate_text("stytch", &name, &std::fs::read(spec).unwrap())
}
