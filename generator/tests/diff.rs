//! `sdkgen diff`: a fixture pair for every kind of change, each asserting its wire verdict and
//! what it does to the Rust API; the Stytch examples of the README; and exit codes and formats
//! through the real command.

mod common;

use std::path::Path;
use std::process::Command;

use common::diff::{stytch_spec, with_response_note, without_expiration};
use sdkgen::diff::{self, Bump, Category, Change, Report, Verdict};

/// A small API with a request-only and a response-only schema, an enum in each direction, and
/// a parameter struct.
const BASE: &str = r#"openapi: 3.0.3
info: {title: Pets, version: '1'}
servers: [{url: 'https://api.example.com', description: production}]
paths:
  /pets/{id}:
    get:
      operationId: getPet
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: limit, in: query, schema: {type: integer, maximum: 100}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /pets:
    post:
      operationId: createPet
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
components:
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
        tag: {type: string}
        kind: {$ref: '#/components/schemas/Kind'}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 50}
        tag: {type: string}
        age: {type: integer, nullable: true}
        size: {$ref: '#/components/schemas/Size'}
    Kind: {type: string, enum: [cat, dog]}
    Size: {type: string, enum: [small, large]}
"#;

fn generate(spec: &str) -> sdkgen::Generated {
    common::diff::generate_text("pets", "api.yaml", spec.as_bytes())
}

/// The base spec with `old` replaced by `new` (which must be there once).
fn edited(old: &str, new: &str) -> String {
    assert_eq!(
        BASE.matches(old).count(),
        1,
        "`{old}` is not in the base spec once"
    );
    BASE.replace(old, new)
}

fn compare(new: &str) -> Report {
    compare_specs(BASE, new)
}

fn compare_specs(old: &str, new: &str) -> Report {
    diff::compare(&generate(old), &generate(new))
}

/// The one change of `category` whose location mentions `at`.
fn find<'r>(report: &'r Report, category: &str, at: &str) -> &'r Change {
    let found: Vec<&Change> = report
        .changes
        .iter()
        .filter(|c| c.category.map(Category::as_str) == Some(category) && c.location.contains(at))
        .collect();
    assert_eq!(found.len(), 1, "{category} at {at}: {:#?}", report.changes);
    found[0]
}

fn verdicts(report: &Report, category: &str, at: &str) -> (Verdict, Bump) {
    let change = find(report, category, at);
    (change.wire.expect("a wire change"), change.rust)
}

#[test]
fn an_unchanged_spec_has_no_changes() {
    let report = compare(BASE);
    assert!(report.changes.is_empty(), "{:#?}", report.changes);
    assert_eq!(report.bump, Bump::Patch);
}

#[test]
fn parameters() {
    let limit = "        - {name: limit, in: query, schema: {type: integer, maximum: 100}}\n";
    let required = compare(&edited(
        limit,
        &format!(
            "{limit}        - {{name: owner, in: query, required: true, schema: {{type: string}}}}\n"
        ),
    ));
    assert_eq!(
        verdicts(&required, "new-required-request-parameter", "owner"),
        (Verdict::Breaking, Bump::Major)
    );
    let optional = compare(&edited(
        limit,
        &format!("{limit}        - {{name: owner, in: query, schema: {{type: string}}}}\n"),
    ));
    assert_eq!(
        verdicts(&optional, "new-optional-request-parameter", "owner"),
        (Verdict::Compatible, Bump::Minor)
    );
    let removed = compare(&edited(limit, ""));
    assert_eq!(
        verdicts(&removed, "request-parameter-removed", "limit"),
        (Verdict::PotentiallyBreaking, Bump::Major)
    );
    let now_required = compare(&edited(
        limit,
        "        - {name: limit, in: query, required: true, schema: {type: integer, maximum: 100}}\n",
    ));
    assert_eq!(
        verdicts(&now_required, "request-parameter-became-required", "limit"),
        (Verdict::Breaking, Bump::Major)
    );
    let tighter = compare(&edited("maximum: 100", "maximum: 10"));
    assert_eq!(
        verdicts(&tighter, "constraint-tightened", "limit"),
        (Verdict::Breaking, Bump::Patch)
    );
}

#[test]
fn request_properties() {
    let name = "        name: {type: string, maxLength: 50}\n";
    let added_required = compare(
        &edited(name, &format!("{name}        color: {{type: string}}\n"))
            .replace("required: [name]", "required: [name, color]"),
    );
    assert_eq!(
        verdicts(&added_required, "new-required-request-property", "color"),
        (Verdict::Breaking, Bump::Major)
    );
    let added_optional = compare(&edited(
        name,
        &format!("{name}        color: {{type: string}}\n"),
    ));
    assert_eq!(
        verdicts(&added_optional, "new-optional-property", "color"),
        (Verdict::Compatible, Bump::Minor)
    );
    let removed = compare(&edited(
        "        tag: {type: string}\n        age:",
        "        age:",
    ));
    assert_eq!(
        verdicts(&removed, "request-property-removed", "tag"),
        (Verdict::PotentiallyBreaking, Bump::Major)
    );
    let retyped = compare(&edited(
        "age: {type: integer, nullable: true}",
        "age: {type: string, nullable: true}",
    ));
    assert_eq!(
        verdicts(&retyped, "type-changed", "age"),
        (Verdict::Breaking, Bump::Major)
    );
    let not_null = compare(&edited(
        "age: {type: integer, nullable: true}",
        "age: {type: integer}",
    ));
    assert_eq!(
        verdicts(&not_null, "became-not-nullable", "age"),
        (Verdict::Breaking, Bump::Major)
    );
    let looser = compare(&edited("maxLength: 50", "maxLength: 80"));
    assert_eq!(
        verdicts(&looser, "constraint-loosened", "name"),
        (Verdict::Compatible, Bump::Patch)
    );
    let tighter = compare(&edited("maxLength: 50", "maxLength: 20"));
    assert_eq!(
        verdicts(&tighter, "constraint-tightened", "name"),
        (Verdict::Breaking, Bump::Patch)
    );
    let default = compare(&edited(
        "        tag: {type: string}\n        age:",
        "        tag: {type: string, default: none}\n        age:",
    ));
    assert_eq!(
        verdicts(&default, "property-default-changed", "tag"),
        (Verdict::PotentiallyBreaking, Bump::Patch)
    );
}

#[test]
fn response_properties() {
    let removed = compare(
        &edited(
            "        id: {type: string}\n        name: {type: string}\n",
            "        id: {type: string}\n",
        )
        .replace("required: [id, name]", "required: [id]"),
    );
    assert_eq!(
        verdicts(&removed, "response-required-property-removed", "name"),
        (Verdict::Breaking, Bump::Major)
    );
    let optional = compare(&edited("required: [id, name]", "required: [id]"));
    assert_eq!(
        verdicts(&optional, "property-required-changed", "name"),
        (Verdict::Breaking, Bump::Major)
    );
    let added = compare(&edited(
        "        kind: {$ref: '#/components/schemas/Kind'}\n",
        "        kind: {$ref: '#/components/schemas/Kind'}\n        color: {type: string}\n",
    ));
    assert_eq!(
        verdicts(&added, "new-optional-property", "color"),
        (Verdict::Compatible, Bump::Minor)
    );
}

#[test]
fn a_schema_renamed_inside_a_list_is_still_a_rename() {
    let old = edited(
        "        kind: {$ref: '#/components/schemas/Kind'}\n",
        "        kinds: {type: array, items: {$ref: '#/components/schemas/Kind'}}\n",
    );
    let new = old
        .replace("schemas/Kind'", "schemas/Species'")
        .replace("    Kind: {", "    Species: {");
    let report = compare_specs(&old, &new);
    let change = find(&report, "schema-renamed", "kinds");
    assert_eq!(change.wire, Some(Verdict::Compatible));
    assert_eq!(report.wire_breaking, 0, "{:#?}", report.changes);
}

#[test]
fn renaming_a_path_parameter_changes_nothing_on_the_wire() {
    let new = edited("/pets/{id}:", "/pets/{petId}:").replace(
        "{name: id, in: path, required: true",
        "{name: petId, in: path, required: true",
    );
    let report = compare(&new);
    assert!(
        report.changes.iter().all(|c| c.wire.is_none()),
        "{:#?}",
        report.changes
    );
}

#[test]
fn a_read_only_property_is_not_asked_of_requests() {
    let report = compare(
        &edited(
            "        name: {type: string, maxLength: 50}\n",
            "        name: {type: string, maxLength: 50}\n        id: {type: string, readOnly: true}\n",
        )
        .replace("required: [name]", "required: [name, id]"),
    );
    let change = report
        .changes
        .iter()
        .find(|c| c.location.contains("`id`"))
        .expect("the new property");
    assert_eq!(change.wire, Some(Verdict::Compatible), "{change:#?}");
}

#[test]
fn a_property_renamed_alone_is_found() {
    let report = compare(&edited(
        "        age: {type: integer, nullable: true}",
        "        pet_age: {type: integer, nullable: true}",
    ));
    let change = find(&report, "property-renamed", "age");
    assert_eq!(change.what, "property renamed to `pet_age`");
    assert_eq!(
        (change.wire, change.rust),
        (Some(Verdict::Breaking), Bump::Major)
    );
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
}

#[test]
fn response_headers_list_constraints_and_extra_properties() {
    let header = compare(&edited(
        "'200': {description: ok, content:",
        "'200': {description: ok, headers: {X-Rate-Limit: {schema: {type: integer}}}, content:",
    ));
    let change = find(&header, "response-header-added", "X-Rate-Limit");
    // The operation's first declared header gives its method a typed-headers return type.
    assert_eq!(
        (change.wire, change.rust),
        (Some(Verdict::Compatible), Bump::Major)
    );
    assert!(
        change
            .rust_changes
            .iter()
            .any(|r| r.item == "operations::pets::Pets::get_pet")
    );

    let with_list = edited(
        "        tag: {type: string}\n        age:",
        "        tag: {type: string}\n        tags: {type: array, items: {type: string, maxLength: 10}}\n        age:",
    );
    let items = compare_specs(
        &with_list,
        &with_list.replace("maxLength: 10}", "maxLength: 5}"),
    );
    let change = find(&items, "constraint-tightened", "tags");
    assert_eq!(change.what, "items: maxLength changed from 10 to 5");
    assert_eq!(change.wire, Some(Verdict::Breaking));

    let extra = compare(&edited(
        "      required: [name]\n",
        "      required: [name]\n      additionalProperties: {type: string}\n",
    ));
    let change = find(&extra, "additional-properties-allowed", "additional");
    assert_eq!(
        (change.wire, change.rust),
        (Some(Verdict::Compatible), Bump::Minor)
    );
}

#[test]
fn nullability_and_media_types() {
    let nullable = compare(&edited(
        "        tag: {type: string}\n        kind:",
        "        tag: {type: string, nullable: true}\n        kind:",
    ));
    // A response value that may now be null breaks clients that read it on the wire; only
    // responses carry this type, so its Rust type stays `Option<String>` (`null` reads as
    // `None`).
    assert_eq!(
        verdicts(&nullable, "became-nullable", "tag"),
        (Verdict::Breaking, Bump::Patch)
    );
    let form = compare(&edited(
        "requestBody: {required: true, content: {application/json:",
        "requestBody: {required: true, content: {application/x-www-form-urlencoded:",
    ));
    assert_eq!(
        find(&form, "request-body-media-type-changed", "request body").wire,
        Some(Verdict::Breaking)
    );
}

#[test]
fn enum_values_break_the_direction_they_travel_in() {
    let response = compare(&edited("enum: [cat, dog]", "enum: [cat, dog, bird]"));
    // Open enums keep unknown values, so the Rust API only grows.
    assert_eq!(
        verdicts(&response, "enum-value-added", "bird"),
        (Verdict::Breaking, Bump::Minor)
    );
    let request = compare(&edited("enum: [small, large]", "enum: [small]"));
    assert_eq!(
        verdicts(&request, "enum-value-removed", "large"),
        (Verdict::Breaking, Bump::Major)
    );
    let request_added = compare(&edited(
        "enum: [small, large]",
        "enum: [small, large, huge]",
    ));
    assert_eq!(
        verdicts(&request_added, "enum-value-added", "huge"),
        (Verdict::Compatible, Bump::Minor)
    );
}

#[test]
fn an_operation_moved_to_another_group_breaks_the_rust_api_only() {
    let moved = compare(&edited(
        "      operationId: getPet\n",
        "      operationId: getPet\n      tags: [store]\n",
    ));
    let change = find(&moved, "operation-group-changed", "");
    assert_eq!(change.wire, Some(Verdict::Compatible));
    assert_eq!(change.rust, Bump::Major, "{change:#?}");
    let items: Vec<(&str, Bump)> = change
        .rust_changes
        .iter()
        .map(|r| (r.item.as_str(), r.bump))
        .collect();
    assert!(
        items.contains(&("operations::pets::Pets::get_pet", Bump::Major)),
        "{items:?}"
    );
    assert!(
        items.contains(&("operations::store::Store::get_pet", Bump::Minor)),
        "{items:?}"
    );
    assert_eq!(moved.bump, Bump::Major);
}

#[test]
fn operations_security_and_servers() {
    let renamed = compare(&edited("operationId: getPet", "operationId: fetchPet"));
    let change = find(&renamed, "operation-id-changed", "");
    assert_eq!(change.wire, Some(Verdict::Compatible));
    assert_eq!(change.rust, Bump::Major, "the method `get_pet` is gone");
    assert!(
        change
            .rust_changes
            .iter()
            .any(|r| r.item == "operations::pets::Pets::fetch_pet")
    );

    let start = "  /pets:\n    post:";
    let end = "components:";
    let (head, tail) = BASE.split_at(BASE.find(start).unwrap());
    let removed = compare(&format!("{head}{}", &tail[tail.find(end).unwrap()..]));
    assert_eq!(
        verdicts(&removed, "endpoint-removed", ""),
        (Verdict::Breaking, Bump::Major)
    );

    let deprecated = compare(&edited(
        "operationId: getPet",
        "operationId: getPet\n      deprecated: true",
    ));
    assert_eq!(
        verdicts(&deprecated, "endpoint-deprecated", ""),
        (Verdict::Compatible, Bump::Patch)
    );

    let secured = compare(
        &edited(
            "operationId: createPet",
            "operationId: createPet\n      security: [{token: []}]",
        )
        .replace(
            "components:\n",
            "components:\n  securitySchemes:\n    token: {type: http, scheme: bearer}\n",
        ),
    );
    assert_eq!(
        verdicts(&secured, "security-added", "security"),
        (Verdict::Breaking, Bump::Patch)
    );

    let moved = compare(&edited(
        "https://api.example.com",
        "https://api2.example.com",
    ));
    assert_eq!(
        find(&moved, "server-removed", "api.example.com").wire,
        Some(Verdict::PotentiallyBreaking)
    );
    assert_eq!(
        find(&moved, "server-added", "api2.example.com").wire,
        Some(Verdict::Compatible)
    );

    let status = compare(&edited(
        "'201': {description: created",
        "'200': {description: created",
    ));
    assert_eq!(
        find(&status, "response-success-status-removed", "201").wire,
        Some(Verdict::Breaking)
    );
}

#[test]
fn a_schema_renamed_without_changes_is_not_a_wire_change() {
    let renamed = BASE
        .replace(
            "$ref: '#/components/schemas/NewPet'",
            "$ref: '#/components/schemas/PetInput'",
        )
        .replace("    NewPet:\n", "    PetInput:\n");
    let report = compare(&renamed);
    let change = find(&report, "schema-renamed", "request body");
    assert_eq!(change.wire, Some(Verdict::Compatible));
    assert_eq!(
        change.rust,
        Bump::Major,
        "`types::NewPet` is gone: {:#?}",
        change.rust_changes
    );
    assert_eq!(report.wire_breaking, 0);
}

// The Stytch checks of the README, through the real command.

fn sdkgen() -> Command {
    Command::new(env!("CARGO_BIN_EXE_sdkgen"))
}

fn run_diff(dir: &Path, new: &str, extra: &[&str]) -> (i32, String) {
    let path = dir.join("new.yaml");
    std::fs::write(&path, new).unwrap();
    let output = sdkgen()
        .arg("diff")
        .arg(common::repo_root().join("spec/stytch-magic-links.yaml"))
        .arg(&path)
        .args(extra)
        .output()
        .unwrap();
    let stdout = String::from_utf8(output.stdout).unwrap();
    (output.status.code().unwrap(), stdout)
}

#[test]
fn removing_expiration_minutes_breaks_and_adding_a_response_field_does_not() {
    let dir = common::scratch("diff-stytch");
    let spec = stytch_spec();

    let (code, text) = run_diff(&dir, &without_expiration(&spec), &[]);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains("property `expiration_minutes`: property removed"),
        "{text}"
    );
    assert!(
        text.contains("semver bump for the generated crate: major"),
        "{text}"
    );
    // On the wire alone, a removed request property is only potentially breaking.
    let (code, _) = run_diff(&dir, &without_expiration(&spec), &["--fail-on", "wire"]);
    assert_eq!(code, 0);

    let (code, text) = run_diff(&dir, &with_response_note(&spec), &[]);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("property `note`: property added"), "{text}");
    assert!(
        text.contains("wire: compatible (new-optional-property)"),
        "{text}"
    );
    assert!(
        text.contains("semver bump for the generated crate: minor"),
        "{text}"
    );
}

#[test]
fn markdown_and_json_say_the_same() {
    let dir = common::scratch("diff-formats");
    let new = without_expiration(&stytch_spec());
    let (_, markdown) = run_diff(&dir, &new, &["--format", "markdown"]);
    assert!(markdown.starts_with("### API change\n"), "{markdown}");
    assert!(
        markdown.contains("| Where | Change | Wire | Rust API |"),
        "{markdown}"
    );
    // Names are escaped, so that nothing in them can become Markdown.
    assert!(
        markdown.contains("property \\`expiration\\_minutes\\`"),
        "{markdown}"
    );
    let (_, json) = run_diff(&dir, &new, &["--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rows = markdown.lines().filter(|l| l.starts_with("| ")).count() - 1;
    assert_eq!(
        rows,
        json["changes"].as_array().unwrap().len(),
        "one row per change"
    );
    assert_eq!(json["bump"], "major");
    assert_eq!(json["changes"][0]["category"], "request-property-removed");
    assert_eq!(json["changes"][0]["wire"], "potentially-breaking");
}

#[test]
fn inputs_that_cannot_be_compared_exit_2_with_a_located_error() {
    let dir = common::scratch("diff-errors");
    let (code, _) = run_diff(
        &dir,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      responses:\n        '200': {$ref: '#/components/responses/Missing'}\n",
        &[],
    );
    assert_eq!(code, 2);
    let output = sdkgen()
        .args(["diff", "no/such/old.yaml", "no/such/new.yaml"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("no/such/old.yaml: cannot read the spec")
    );
}

#[test]
fn a_spec_can_be_read_from_a_git_revision() {
    let root = common::repo_root();
    if !root.join(".git").exists() {
        // A copy of the repository without its history (the edit-loop test makes one).
        eprintln!("skipping: {} is not a git checkout", root.display());
        return;
    }
    let spec = "git:HEAD:spec/stytch-magic-links.yaml";
    let output = sdkgen()
        .current_dir(&root)
        .args(["diff", spec, spec])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.starts_with("0 change(s);"), "{stdout}");
    let bad = sdkgen()
        .current_dir(&root)
        .args([
            "diff",
            "git:no-such-revision:spec/stytch-magic-links.yaml",
            "spec/stytch-magic-links.yaml",
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn required_properties_that_trade_places_break_the_constructor() {
    let report = compare(&edited(
        "        id: {type: string}\n        name: {type: string}\n        tag",
        "        name: {type: string}\n        id: {type: string}\n        tag",
    ));
    // Nothing changed on the wire, but `Pet::new(id, name)` became `Pet::new(name, id)`: code
    // written against the old crate still compiles and sends the values swapped.
    let moved: Vec<&sdkgen::diff::RustChange> = report
        .changes
        .iter()
        .flat_map(|c| &c.rust_changes)
        .filter(|r| r.item == "types::Pet::new")
        .collect();
    assert_eq!(moved.len(), 1, "{:#?}", report.changes);
    assert_eq!(moved[0].bump, Bump::Major);
    assert!(
        moved[0].what.contains("`(id, name)` to `(name, id)`"),
        "{}",
        moved[0].what
    );
    assert_eq!(report.bump, Bump::Major);
    assert_eq!(report.wire_breaking, 0);
}

#[test]
fn path_parameters_that_trade_places_break_the_method() {
    // Path parameters are positional, in the order of the template: a template whose two
    // string parameters trade places keeps every wire shape but swaps what callers pass.
    let two = |template: &str| {
        edited(
            "  /pets/{id}:\n    get:\n      operationId: getPet\n      parameters:\n",
            &format!(
                "  {template}:\n    get:\n      operationId: getPet\n      parameters:\n        - {{name: owner, in: path, required: true, schema: {{type: string}}}}\n"
            ),
        )
    };
    let report = compare_specs(
        &two("/pets/{id}/owners/{owner}"),
        &two("/pets/{owner}/owners/{id}"),
    );
    let moved: Vec<&sdkgen::diff::RustChange> = report
        .changes
        .iter()
        .flat_map(|c| &c.rust_changes)
        .filter(|r| r.what.contains("reordered"))
        .collect();
    assert_eq!(moved.len(), 1, "{:#?}", report.changes);
    assert_eq!(moved[0].bump, Bump::Major);
    assert!(
        moved[0].what.contains("`(id, owner)` to `(owner, id)`"),
        "{}",
        moved[0].what
    );
    assert_eq!(report.bump, Bump::Major);
}

#[test]
fn streamed_responses() {
    let json = "'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}";
    let both = "'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}, text/event-stream: {schema: {$ref: '#/components/schemas/Pet'}}}}";
    let only = "'200': {description: ok, content: {text/event-stream: {schema: {$ref: '#/components/schemas/Pet'}}}}";
    let lines = "'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}, application/x-ndjson: {schema: {$ref: '#/components/schemas/Pet'}}}}";
    // A stream beside the whole body is a new method.
    let added = compare(&edited(json, both));
    assert_eq!(
        verdicts(&added, "response-stream-added", "response 200"),
        (Verdict::Compatible, Bump::Minor)
    );
    // A JSON response that becomes a stream breaks the wire and the Rust API.
    let became = compare(&edited(json, only));
    assert_eq!(
        verdicts(&became, "response-media-type-changed", "response 200"),
        (Verdict::Breaking, Bump::Major)
    );
    let removed = compare_specs(&edited(json, both), BASE);
    assert_eq!(
        verdicts(&removed, "response-stream-removed", "response 200"),
        (Verdict::Breaking, Bump::Major)
    );
    let reframed = compare_specs(&edited(json, both), &edited(json, lines));
    assert_eq!(
        find(
            &reframed,
            "response-stream-media-type-changed",
            "response 200"
        )
        .wire,
        Some(Verdict::Breaking)
    );
}
