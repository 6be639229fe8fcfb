//! The same API written as Swagger 2.0, OpenAPI 3.0 and OpenAPI 3.1 generates the same Rust
//! API. Compared with `sdkgen diff`'s own reading of the two generated crates:
//! - the real twins in the corpus (the petstore and petstore-expanded examples in 2.0 and 3.0),
//!   whose few differences are differences of the files themselves, each stated here;
//! - every 2.0 spec of the corpus against its 3.0 twin made by `swagger2openapi`: no difference;
//! - every 3.1 spec of the corpus against its 3.0 twin made by `@apiture/openapi-down-convert`:
//!   no difference except where 3.0 cannot say what the 3.1 file says (each checked against the
//!   files).
//!
//! The converters are pinned in `tests/converters/` (`npm ci --prefix tests/converters`); without
//! them the converter twins are skipped, except under CI.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::diff::generate_text;
use sdkgen::diff::{Change, Report};
use serde_json::Value;

fn corpus() -> Option<PathBuf> {
    common::shared_specs().map(|s| s.join("corpus"))
}

fn generate(path: &Path) -> sdkgen::Generated {
    let text = std::fs::read(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    generate_text("twin", &name, &text)
}

fn compare(old: &Path, new: &Path) -> Report {
    sdkgen::diff::compare(&generate(old), &generate(new))
}

fn describe(change: &Change) -> String {
    format!("{} | {} | {}", change.subject, change.location, change.what)
}

#[test]
fn the_real_twins_differ_only_where_their_files_do() {
    let Some(corpus) = corpus() else {
        return;
    };
    let report = compare(
        &corpus.join("openapis.org__petstore-v2.0.json"),
        &corpus.join("openapis.org__petstore-v3.0.json"),
    );
    let found: BTreeSet<String> = report.changes.iter().map(describe).collect();
    // Each is a difference of the two files, not of how they are read:
    let expected: BTreeSet<String> = [
        // 3.0 adds `maximum: 100` to `limit` and `maxItems: 100` to `Pets`;
        "GET /pets | query parameter `limit` | maximum 100 added",
        "schema `Pets` (in responses) |  | maxItems 100 added",
        // 3.0's showPetById answers with a `Pet`, 2.0's with `Pets`;
        "GET /pets/{petId} | response 200 | type changed from `Pets` to `Pet`",
        // 3.0's createPets takes a `Pet` body, 2.0's none;
        "POST /pets | request body | new required request body",
        // and the new maximum is checked before sending;
        "Rust API | `types::ListPetsParams impl Validate` | trait implementation added",
        // `Pet`, now sent, implements `Serialize` (without the `full-serde` feature, a type
        // only received implements only `Deserialize`).
        "Rust API | `types::Pet impl Serialize` | trait implementation added",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(found, expected, "{found:#?}");

    let report = compare(
        &corpus.join("openapis.org__petstore-expanded-v2.0.yaml"),
        &corpus.join("openapis.org__petstore-expanded-v3.0.json"),
    );
    let found: BTreeSet<String> = report.changes.iter().map(describe).collect();
    // 2.0: host petstore.swagger.io, basePath /api, schemes [http]; 3.0: one server,
    // https://petstore.swagger.io/v2. Nothing else differs.
    let expected: BTreeSet<String> = [
        "servers | http://petstore.swagger.io/api | server removed",
        "servers | https://petstore.swagger.io/v2 | server added",
    ]
    .map(str::to_owned)
    .into();
    assert_eq!(found, expected, "{found:#?}");
}

/// A request body that comes from a `body` parameter of the path item (shared by its
/// operations), which swagger2openapi drops.
fn body_at_path_level(original: &Value, change: &Change) -> bool {
    let Some((_, path)) = change.subject.split_once(' ') else {
        return false;
    };
    change.what == "request body removed"
        && original["paths"][path]["parameters"]
            .as_array()
            .is_some_and(|params| params.iter().any(|p| p["in"] == "body"))
}

/// A type only a dropped body sent is used by nothing in the twin, so it gains `Deserialize`:
/// sent only in the original, both ways (unused) in the twin.
fn only_the_dropped_body_sent(
    old: &sdkgen::Generated,
    new: &sdkgen::Generated,
    change: &Change,
) -> bool {
    let Some(name) = change
        .location
        .strip_prefix("`types::")
        .and_then(|rest| rest.split_once(" impl Deserialize"))
        .map(|(name, _)| name)
    else {
        return false;
    };
    let directions = |generated: &sdkgen::Generated| {
        generated
            .api
            .types
            .values()
            .find(|def| def.name == name)
            .map(|def| (def.directions.sent, def.directions.received))
    };
    change.what == "trait implementation added"
        && directions(old) == Some((true, false))
        && directions(new) == Some((true, true))
}

/// The pinned converters, if installed.
fn converter(name: &str) -> Option<PathBuf> {
    let path = common::repo_root()
        .join("tests/converters/node_modules/.bin")
        .join(name);
    if path.exists() {
        return Some(path);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "the converters are not installed: run `npm ci --prefix tests/converters` (as .ci/run does)"
    );
    eprintln!("skipping: the converters are not installed (npm ci --prefix tests/converters)");
    None
}

/// The corpus specs of one version, by the index.
fn corpus_specs(corpus: &Path, version_prefix: &str) -> Vec<PathBuf> {
    let index = std::fs::read_to_string(corpus.join("index.tsv")).unwrap();
    let specs: Vec<PathBuf> = index
        .lines()
        .skip(1)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split('\t').collect();
            (fields.get(3)?.starts_with(version_prefix)).then(|| corpus.join(fields[0]))
        })
        .collect();
    assert!(
        !specs.is_empty(),
        "no {version_prefix} specs in the corpus index"
    );
    specs
}

fn run(command: &mut Command) {
    let output = command.output().expect("the converter runs");
    assert!(output.status.success(), "{command:?}: {output:?}");
}

#[test]
fn swagger_2_specs_and_their_converted_twins_give_the_same_rust_api() {
    let (Some(corpus), Some(convert)) = (corpus(), converter("swagger2openapi")) else {
        return;
    };
    let scratch = common::scratch("twins-swagger2");
    for spec in corpus_specs(&corpus, "2") {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        // The converter writes YAML for YAML.
        let yaml = name.ends_with(".yaml");
        let twin = scratch.join(format!("{name}.v3.{}", if yaml { "yaml" } else { "json" }));
        let mut command = Command::new(&convert);
        command.arg(&spec).arg("-o").arg(&twin);
        if yaml {
            command.arg("--yaml");
        }
        run(&mut command);
        let original = sdkgen::load::parse(&name, &std::fs::read(&spec).unwrap()).unwrap();
        let (old, new) = (generate(&spec), generate(&twin));
        let report = sdkgen::diff::compare(&old, &new);
        let dropped = report
            .changes
            .iter()
            .any(|change| body_at_path_level(&original, change));
        let changes: Vec<String> = report
            .changes
            .iter()
            .filter(|change| !body_at_path_level(&original, change))
            .filter(|change| !(dropped && only_the_dropped_body_sent(&old, &new, change)))
            .map(describe)
            .collect();
        assert!(changes.is_empty(), "{name}: {changes:#?}");
    }
}

#[test]
fn openapi_3_1_specs_and_their_down_converted_twins_differ_only_where_3_0_cannot_follow() {
    let (Some(corpus), Some(convert)) = (corpus(), converter("openapi-down-convert")) else {
        return;
    };
    let scratch = common::scratch("twins-openapi31");
    let mut compared = 0;
    let mut explained = 0;
    for spec in corpus_specs(&corpus, "3.1") {
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let twin = scratch.join(format!("30-{name}"));
        run(Command::new(&convert)
            .arg("-i")
            .arg(&spec)
            .arg("-o")
            .arg(&twin));
        let original = sdkgen::load::parse(&name, &std::fs::read(&spec).unwrap()).unwrap();
        let converted = sdkgen::load::parse(&name, &std::fs::read(&twin).unwrap()).unwrap();
        if converted.get("paths").is_none() {
            // 3.0 requires `paths`; the converter leaves a document of webhooks without any.
            assert!(original.get("paths").is_none() && original.get("webhooks").is_some());
            continue;
        }
        compared += 1;
        let generated = generate(&spec);
        let mut facts = Facts::of(&original, &converted);
        // Types made for webhooks' payloads, which the converter drops.
        facts.webhook_types = generated
            .api
            .types
            .iter()
            .filter(|(at, _)| at.as_str().starts_with("/webhooks/"))
            .map(|(_, def)| def.name.clone())
            .collect();
        for change in sdkgen::diff::compare(&generated, &generate(&twin)).changes {
            match facts.explain(&change) {
                Some(_) => explained += 1,
                None => panic!("{name}: unexplained: {}\n{change:#?}", describe(&change)),
            }
        }
    }
    eprintln!(
        "{compared} 3.1 specs compared with their 3.0 twins; {explained} differences, each explained"
    );
    assert!(compared >= 12, "{compared}");
}

/// What the two files of a 3.1 twin say, to explain differences with.
struct Facts {
    /// Properties (by name) whose schema is a `$ref` beside `nullable` or a `null` type: 3.1
    /// reads them as nullable, 3.0 ignores what stands beside a `$ref`.
    nullable_references: BTreeSet<String>,
    /// The Rust types of webhooks' payloads, which exist only in 3.1 (the converter drops
    /// `webhooks`).
    webhook_types: BTreeSet<String>,
    /// Properties the converter left out (it deletes keys named like `$schema`).
    dropped_properties: BTreeSet<String>,
    /// Parameters whose schema has a list of several types, which 3.0 cannot read.
    type_list_parameters: BTreeSet<String>,
}

impl Facts {
    fn of(original: &Value, converted: &Value) -> Facts {
        let mut facts = Facts {
            nullable_references: BTreeSet::new(),
            webhook_types: BTreeSet::new(),
            dropped_properties: BTreeSet::new(),
            type_list_parameters: BTreeSet::new(),
        };
        let mut original_properties = BTreeSet::new();
        walk(original, &mut |key, value| {
            if key == "properties"
                && let Some(properties) = value.as_object()
            {
                for (name, schema) in properties {
                    original_properties.insert(name.clone());
                    let null_type = schema
                        .get("type")
                        .and_then(Value::as_array)
                        .is_some_and(|types| types.iter().any(|t| t == "null"));
                    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
                    if schema.get("$ref").is_some() && (nullable || null_type) {
                        facts.nullable_references.insert(name.clone());
                    }
                }
            }
            if key == "parameters"
                && let Some(parameters) = value.as_array()
            {
                for parameter in parameters {
                    let several = parameter
                        .pointer("/schema/type")
                        .and_then(Value::as_array)
                        .is_some_and(|t| t.iter().filter(|t| *t != "null").count() > 1);
                    if let (true, Some(name)) =
                        (several, parameter.get("name").and_then(Value::as_str))
                    {
                        facts.type_list_parameters.insert(name.to_owned());
                    }
                }
            }
        });
        let mut converted_properties = BTreeSet::new();
        walk(converted, &mut |key, value| {
            if key == "properties"
                && let Some(properties) = value.as_object()
            {
                converted_properties.extend(properties.keys().cloned());
            }
        });
        facts.dropped_properties = original_properties
            .difference(&converted_properties)
            .cloned()
            .collect();
        facts
    }

    /// Why a difference is one of what 3.0 cannot say, if it is.
    fn explain(&self, change: &Change) -> Option<&'static str> {
        let property = quoted(&change.location);
        if change.what == "may no longer be null"
            && property.is_some_and(|p| self.nullable_references.contains(p))
        {
            return Some("a `$ref` beside `nullable`: 3.0 ignores what stands beside a `$ref`");
        }
        if change.what == "property removed"
            && property.is_some_and(|p| self.dropped_properties.contains(p))
        {
            return Some("the converter deleted a property named like a JSON Schema keyword");
        }
        if change.what.starts_with("now any ")
            && change.location.starts_with("query parameter")
            && property.is_some_and(|p| self.type_list_parameters.contains(p))
        {
            return Some("a list of several types, which 3.0 cannot read, so its twin is untyped");
        }
        if change.subject == "Rust API" {
            let item = quoted(&change.location).unwrap_or_default();
            let type_name = item
                .trim_start_matches("types::")
                .split([' ', '.', ':'])
                .next()?;
            if self.webhook_types.contains(type_name) {
                return Some("a webhook payload type: the converter drops webhooks");
            }
            if self
                .type_list_parameters
                .iter()
                .any(|p| type_name.to_lowercase().ends_with(&p.to_lowercase()))
            {
                return Some("the type of a parameter with several types, untyped in the 3.0 twin");
            }
        }
        None
    }
}

/// The first text between backticks.
fn quoted(text: &str) -> Option<&str> {
    let start = text.find('`')? + 1;
    let end = start + text[start..].find('`')?;
    Some(&text[start..end])
}

/// Calls `f` with every member of every object in `value`.
fn walk(value: &Value, f: &mut impl FnMut(&str, &Value)) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                f(key, child);
                walk(child, f);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| walk(item, f)),
        _ => {}
    }
}
