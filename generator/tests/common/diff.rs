//! Helpers shared by the tests of `sdkgen diff`: generating a crate from spec text in memory,
//! the real history of Stytch's spec, and the two edits of the flagship spec the README uses.

use sdkgen::{Generated, Options};

/// The versions of Stytch's spec in `../shared/specs/stytch/history/`, oldest first.
pub const STYTCH_HISTORY: [&str; 6] = [
    "openapi-2025-09-10-4a6501b.yml",
    "openapi-2025-09-24-9557f47.yml",
    "openapi-2025-09-26-5441c70.yml",
    "openapi-2025-10-07-7064567.yml",
    "openapi-2026-01-15-2b0385b.yml",
    "openapi-2026-01-21-1fcf2f8.yml",
];

/// Generates the crate `crate_name` from spec text in memory (`file_name` tells JSON from YAML).
pub fn generate_text(crate_name: &str, file_name: &str, text: &[u8]) -> Generated {
    let options = Options {
        crate_name: Some(crate_name.to_owned()),
        crate_version: "0.1.0".to_owned(),
        spec_label: file_name.to_owned(),
        folders: None,
        example_check: false,
        call_check: false,
        ..Default::default()
    };
    sdkgen::generate(file_name, text, &options)
        .unwrap_or_else(|f| panic!("{file_name} does not generate: {:#?}", f.diagnostics))
}

/// The checked-in flagship spec.
pub fn stytch_spec() -> String {
    std::fs::read_to_string(super::repo_root().join("spec/stytch-magic-links.yaml")).unwrap()
}

/// The flagship spec without `expiration_minutes` in the create request.
pub fn without_expiration(spec: &str) -> String {
    let start = spec
        .find("        expiration_minutes:\n          type: integer")
        .expect("expiration_minutes in the create request");
    let end_marker = "          default: 60\n";
    let end = start + spec[start..].find(end_marker).unwrap() + end_marker.len();
    format!("{}{}", &spec[..start], &spec[end..])
}

/// The flagship spec with an optional `note` in the create response.
pub fn with_response_note(spec: &str) -> String {
    let anchor = "    api_magic_v1_CreateResponse:\n      type: object\n      properties:\n";
    assert!(spec.contains(anchor), "the create response schema moved");
    spec.replace(
        anchor,
        &format!("{anchor}        note:\n          type: string\n"),
    )
}
