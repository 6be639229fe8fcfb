//! Diagnostics speak the spec's words: no error or warning that a fixture produces (the golden
//! fixtures, which generate, and the broken specs in `tests/errors/`) names the types the spec
//! is decoded into or the decoder's own terms (`untagged enum ReferenceOr`, `flattened data`,
//! `expected struct Server`). Text in backticks or quotes is the spec's own and is not scanned.

mod common;

use std::path::PathBuf;

/// Phrases only a decoder's message would use about its own types.
const DECODER_WORDS: &[&str] = &[
    "untagged",
    "flattened",
    "variant of",
    "struct ",
    "tuple struct",
];

/// Names the spec's own words include that look like Rust type names.
const SPEC_NAMES: &[&str] = &["OpenAPI", "AsyncAPI"];

/// What a message says outside `quoted` and "quoted" parts.
fn unquoted(message: &str) -> String {
    let mut out = String::new();
    let mut closing = None;
    for c in message.chars() {
        match closing {
            Some(end) if c == end => closing = None,
            Some(_) => {}
            None if c == '`' || c == '"' => closing = Some(c),
            None => out.push(c),
        }
    }
    out
}

/// Why `message` reads as the decoder's rather than the spec's, if it does: a decoder phrase,
/// or a Rust type name (mixed case with two capitals or more, such as `ReferenceOr`).
fn leak(message: &str) -> Option<String> {
    let text = unquoted(message);
    if let Some(word) = DECODER_WORDS.iter().find(|w| text.contains(*w)) {
        return Some(format!("says `{word}`"));
    }
    text.split(|c: char| !c.is_ascii_alphanumeric())
        .find(|w| {
            let capitals = w.chars().filter(char::is_ascii_uppercase).count();
            capitals >= 2 && w.chars().any(|c| c.is_ascii_lowercase()) && !SPEC_NAMES.contains(w)
        })
        .map(|w| format!("names `{w}`"))
}

fn specs_in(folder: &str) -> Vec<PathBuf> {
    let dir = common::generator_dir().join(folder);
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    specs
}

#[test]
fn no_diagnostic_names_the_decoders_types() {
    let mut seen = 0;
    let mut leaks = Vec::new();
    let specs = specs_in("tests/fixtures")
        .into_iter()
        .chain(specs_in("tests/errors"));
    for spec in specs {
        let bytes = std::fs::read(&spec).expect("spec");
        let name = spec.file_name().unwrap().to_string_lossy().into_owned();
        let options = sdkgen::Options {
            crate_name: None,
            crate_version: "0.1.0".to_owned(),
            spec_label: name.clone(),
            folders: sdkgen::bundle::Folders::for_spec(&spec),
            example_check: false,
            call_check: false,
            ..Default::default()
        };
        let diagnostics = match sdkgen::generate(&name, &bytes, &options) {
            Ok(generated) => generated.warnings,
            Err(failed) => failed.diagnostics,
        };
        for diagnostic in diagnostics {
            seen += 1;
            // The location is a pointer into the spec, in its own names.
            if let Some(why) = leak(&diagnostic.message) {
                leaks.push(format!("{name}: {diagnostic} ({why})"));
            }
        }
    }
    assert!(seen > 20, "only {seen} diagnostics: the fixtures moved?");
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}

#[test]
fn the_scan_finds_what_it_looks_for() {
    let serde = "not a valid parameter: no variant of enum ParameterSchemaOrContent found in flattened data";
    assert!(leak(serde).is_some());
    assert!(leak("not a valid server: expected struct Server").is_some());
    assert!(
        leak("security scheme `MyScheme` is not declared; requests are sent without it").is_none()
    );
    assert!(leak("invalid type: string \"ParamEnum\", expected a boolean").is_none());
    assert!(leak("duplicate enum value `en`; ignored").is_none());
    assert!(leak("not a valid security scheme: data did not match any variant of untagged enum ReferenceOr").is_some());
}
