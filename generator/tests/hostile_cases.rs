//! Hostile specs, each built here: troublesome names (keywords, std names, names that collide
//! after case conversion, non-ASCII, empty), alias cycles, deep nesting, huge enums, numbers
//! beyond 64 bits, YAML alias bombs, duplicated keys, empty and binary files, and references to
//! URLs, absolute paths, `..`, percent-encoded paths and symbolic links. Each must give a crate
//! that compiles or a located error: never a panic, a hang, or a file outside the crate's
//! folder. The crates are compiled together in one nested workspace.

mod common;

use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use sdkgen::diagnostics::{Diagnostic, Severity};
use serde_json::{Value, json};

/// What a case must give.
enum Expect {
    /// A crate, which must compile.
    Crate,
    /// A crate, which must compile, and a warning whose text contains this.
    CrateWarning(&'static str),
    /// Failure, with an error whose text (location and message) contains this.
    Error(&'static str),
}

struct Case {
    name: &'static str,
    file: &'static str,
    bytes: Vec<u8>,
    expect: Expect,
}

fn document(schemas: Value, paths: Value) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": { "title": "Hostile", "version": "1" },
        "paths": paths,
        "components": { "schemas": schemas },
    })
}

fn operation(id: &str, schema: &str, parameters: Value) -> Value {
    json!({
        "operationId": id,
        "parameters": parameters,
        "responses": { "200": { "description": "ok", "content": { "application/json": {
            "schema": { "$ref": format!("#/components/schemas/{schema}") }
        } } } }
    })
}

fn case(name: &'static str, value: &Value, expect: Expect) -> Case {
    Case {
        name,
        file: "spec.json",
        bytes: serde_json::to_vec_pretty(value).unwrap(),
        expect,
    }
}

fn text_case(name: &'static str, file: &'static str, text: &[u8], expect: Expect) -> Case {
    Case {
        name,
        file,
        bytes: text.to_vec(),
        expect,
    }
}

const KEYWORDS: &[&str] = &[
    "type",
    "Self",
    "self",
    "crate",
    "super",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Default",
    "Client",
    "Error",
    "std",
    "core",
    "Some",
    "None",
    "Ok",
    "Err",
    "async",
    "gen",
    "match",
    "fn",
    "u8",
    "str",
    "Send",
    "Clone",
    "Debug",
    "Serialize",
    "serde",
    "types",
    "operations",
    "runtime",
    "servers",
    "credentials",
];

fn keywords() -> Value {
    let fields: serde_json::Map<String, Value> = [
        "type", "self", "Self", "r#type", "match", "async", "crate", "super", "gen", "try", "_",
        "__", "0",
    ]
    .iter()
    .map(|p| (p.to_string(), json!({ "type": "string" })))
    .collect();
    let mut schemas: serde_json::Map<String, Value> = KEYWORDS
        .iter()
        .map(|k| {
            let schema =
                json!({ "type": "object", "properties": fields, "required": ["type", "self"] });
            (k.to_string(), schema)
        })
        .collect();
    schemas.insert(
        "Enum".into(),
        json!({ "type": "string", "enum": ["Self", "None", "Some", "type", "self", "_", "0", "1a", ""] }),
    );
    let parameters: Vec<Value> = ["type", "self", "Self", "client", "request", "options"]
        .iter()
        .map(|p| json!({ "name": p, "in": "query", "schema": { "type": "string" } }))
        .collect();
    let paths: serde_json::Map<String, Value> = KEYWORDS
        .iter()
        .map(|k| {
            (
                format!("/{k}"),
                json!({ "get": operation(k, k, json!(parameters)) }),
            )
        })
        .collect();
    document(Value::Object(schemas), Value::Object(paths))
}

/// Groups (tags) and operations named after every method the runtime's `Client` and a group's
/// handle have, taken from the lists the generator itself reserves (which a unit test checks
/// against the runtime's source): each group and each method in it.
fn runtime_names() -> Value {
    use sdkgen::passes::{HANDLE_METHODS, client_methods};
    let names: std::collections::BTreeSet<&str> = client_methods()
        .chain(HANDLE_METHODS.iter().copied())
        .collect();
    let mut paths = serde_json::Map::new();
    for name in &names {
        let mut tagged = operation(name, "Thing", json!([]));
        tagged["tags"] = json!([name]);
        let mut shared = operation(&format!("{name}_in_shared"), "Thing", json!([]));
        shared["tags"] = json!(["shared"]);
        shared["operationId"] = json!(name);
        paths.insert(format!("/{name}"), json!({ "get": tagged }));
        paths.insert(format!("/shared/{name}"), json!({ "get": shared }));
    }
    let schemas =
        json!({ "Thing": { "type": "object", "properties": { "id": { "type": "string" } } } });
    document(schemas, Value::Object(paths))
}

fn collisions() -> Value {
    let names = [
        "Pet", "pet", "PET", "pet_", "Pet-", "pet name", "PetName", "pet_name", "pet-name",
        "Pet_Name", "petName", "PetNAME",
    ];
    let fields: serde_json::Map<String, Value> = ["a_b", "aB", "a-b", "A_B", "a b", "AB", "ab"]
        .iter()
        .map(|p| (p.to_string(), json!({ "type": "integer" })))
        .collect();
    let mut schemas: serde_json::Map<String, Value> = names
        .iter()
        .map(|n| {
            (
                n.to_string(),
                json!({ "type": "object", "properties": fields }),
            )
        })
        .collect();
    schemas.insert(
        "E".into(),
        json!({ "type": "string", "enum": ["a-b", "a_b", "A B", "ab", "AB", "a__b", "a--b"] }),
    );
    let paths = json!({ "/a": {
        "get": operation("getPet", "Pet", json!([])),
        "post": operation("get_pet", "pet", json!([])),
        "put": operation("GetPet", "E", json!([])),
    } });
    document(Value::Object(schemas), paths)
}

fn non_ascii() -> Value {
    let names = [
        "Ünïcode",
        "日本語",
        "emoji😀",
        "Ǆ",
        "ß",
        "ﬁ",
        "İ",
        "\u{200b}",
        "Ωmega",
        "ωmega",
    ];
    let fields: serde_json::Map<String, Value> = ["名前", "ß", "😀", "Ä", "ä"]
        .iter()
        .map(|p| (p.to_string(), json!({ "type": "string" })))
        .collect();
    let mut schemas: serde_json::Map<String, Value> = names
        .iter()
        .map(|n| {
            (
                n.to_string(),
                json!({ "type": "object", "properties": fields }),
            )
        })
        .collect();
    schemas.insert(
        "E".into(),
        json!({ "type": "string", "enum": ["ä", "ö", "日本", "😀", "Ä", "\u{200b}"] }),
    );
    let parameter =
        json!([{ "name": "名前", "in": "path", "required": true, "schema": { "type": "string" } }]);
    let paths = json!({ "/日本/{名前}": { "get": operation("取得", "E", parameter) } });
    document(Value::Object(schemas), paths)
}

fn empty_names() -> Value {
    let schemas = json!({
        "": { "type": "object", "properties": {
            "": { "type": "string" },
            "x": { "$ref": "#/components/schemas/" },
        } },
        "E": { "type": "string", "enum": ["", " "] },
    });
    let parameters = json!([
        { "name": "", "in": "query", "schema": { "type": "string" } },
        { "name": "", "in": "header", "schema": { "type": "string" } },
    ]);
    document(
        schemas,
        json!({ "/": { "get": operation("", "", parameters) } }),
    )
}

fn alias_cycles() -> Value {
    let schemas = json!({
        "A": { "$ref": "#/components/schemas/B" },
        "B": { "$ref": "#/components/schemas/A" },
        "C": { "$ref": "#/components/schemas/C" },
        "D": { "allOf": [{ "$ref": "#/components/schemas/D" }] },
        "E": { "oneOf": [{ "$ref": "#/components/schemas/E" }] },
        "F": { "type": "array", "items": { "$ref": "#/components/schemas/F" } },
        "G": { "type": "object", "required": ["g"], "properties": { "g": { "$ref": "#/components/schemas/G" } } },
    });
    document(
        schemas,
        json!({ "/a": { "get": operation("a", "A", json!([])) } }),
    )
}

/// Nesting as deep as the parsers allow inline, and a long chain of references.
fn deep() -> Value {
    let mut inline = json!({ "type": "string" });
    for _ in 0..40 {
        inline = json!({ "type": "object", "properties": { "n": inline } });
    }
    let mut schemas = serde_json::Map::new();
    schemas.insert("Deep".into(), inline);
    for i in 0..400 {
        let next = format!("#/components/schemas/S{}", i + 1);
        schemas.insert(
            format!("S{i}"),
            json!({ "type": "object", "properties": { "next": { "$ref": next } } }),
        );
    }
    schemas.insert("S400".into(), json!({ "type": "string" }));
    document(
        Value::Object(schemas),
        json!({ "/a": { "get": operation("a", "S0", json!([])) } }),
    )
}

/// Nesting past the parser's limit: refused with its position, before any recursion of ours.
fn too_deep() -> Vec<u8> {
    let depth = 5000;
    format!(
        r#"{{"openapi":"3.0.3","info":{{"title":"D","version":"1"}},"paths":{{}},"components":{{"schemas":{{"T":{}{{}}{}}}}}}}"#,
        r#"{"type":"array","items":"#.repeat(depth),
        "}".repeat(depth)
    )
    .into_bytes()
}

fn big_enum() -> Value {
    let mut values: Vec<Value> = (0..20_000).map(|i| json!(format!("value-{i}"))).collect();
    values.extend((0..5_000).map(|i| json!(format!("Value_{i}"))));
    let schemas = json!({
        "Big": { "type": "string", "enum": values },
        "BigInt": { "type": "integer", "enum": (0..20_000).collect::<Vec<u32>>() },
    });
    document(
        schemas,
        json!({ "/a": { "get": operation("a", "Big", json!([])) } }),
    )
}

const HUGE_NUMBERS: &str = r#"{"openapi":"3.0.3","info":{"title":"N","version":"1"},"paths":{},
"components":{"schemas":{"N":{"type":"object","properties":{
 "a":{"type":"integer","minimum":18446744073709551616,"maximum":1e300,"default":-9223372036854775809,
      "example":340282366920938463463374607431768211456},
 "b":{"type":"integer","format":"int32","minimum":5000000000,"enum":[18446744073709551616,1]},
 "c":{"type":"number","multipleOf":1e-300,"maximum":1e308,"default":1e308},
 "d":{"type":"integer","minimum":10,"maximum":1},
 "e":{"type":"integer","format":"int64","default":1.5,"example":"text"}}}}}}"#;

fn alias_bomb() -> Vec<u8> {
    let mut text = String::from(
        "openapi: 3.0.3\ninfo: {title: B, version: '1'}\npaths: {}\nx-bomb:\n  a: &a [x,x,x,x,x,x,x,x,x,x]\n",
    );
    for level in 1..10u8 {
        let (name, previous) = ((b'a' + level) as char, (b'a' + level - 1) as char);
        let items = vec![format!("*{previous}"); 10].join(",");
        text.push_str(&format!("  {name}: &{name} [{items}]\n"));
    }
    text.into_bytes()
}

/// A bad node (`[]` where a schema belongs) under `depth` levels of `wrap`: a reader that
/// retries alternatives at every level takes time exponential in the depth.
fn bad_leaf(depth: usize, wrap: fn(Value) -> Value) -> Value {
    let mut schema = json!([]);
    for _ in 0..depth {
        schema = wrap(schema);
    }
    // The same schema as a component, a parameter's and a response header's: each is read
    // in its own place.
    let parameter = json!([{ "name": "q", "in": "query", "schema": schema }]);
    document(
        json!({ "A": schema }),
        json!({ "/a": { "get": {
            "operationId": "a",
            "parameters": parameter,
            "responses": { "200": {
                "description": "ok",
                "headers": { "X-Deep": { "schema": schema } },
                "content": { "application/json": {
                    "schema": { "$ref": "#/components/schemas/A" }
                } }
            } }
        } } }),
    )
}

/// The input the fuzzer found taking more than 30 s: 22 nested single-alternative `anyOf`s
/// around an array.
const FUZZ_NESTED_ANY_OF: &str = r#"{"components":{"schemas":{"":{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[{"anyOf":[[]]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]}]},"\u200b":""},"securitySchemes":{}},"info":{"title":"","version":"1"},"openapi":"3.0.3","paths":{},"security":[],"servers":[]}"#;

/// The input the fuzzer found overflowing the generator's stack: an `allOf` that merges a
/// schema whose property refers back, through another `allOf`, to the schema being merged.
const FUZZ_ALL_OF_SELF_REFERENCE: &str = r##"{"components":{"schemas":{"":{"allOf":[{"allOf":[{"allOf":[{"allOf":[{"allOf":[{"allOf":[{"properties":{"":{"allOf":[{"allOf":[{"format":"int32","type":"number"}]}]},"type":{"allOf":[{"allOf":[{"allOf":[{"allOf":[{"allOf":[{"$ref":"#/components/schemas/"}]}]}]}]}]}},"required":["type"],"type":"object"}]}]}]}]}]}]}},"securitySchemes":{}},"info":{"title":"","version":"1"},"openapi":"3.0.3","paths":{},"security":[],"servers":[]}"##;

/// The input the fuzzer found taking 25 s and 1.5 GB: parameters that are lists of lists, five
/// deep, each with `minItems` near 100, whose example values multiplied.
const FUZZ_NESTED_MIN_ITEMS: &str = r##"{"components":{"schemas":{},"securitySchemes":{}},"info":{"title":"[","version":"1"},"openapi":"3.0.3","paths":{"/":{"delete":{"parameters":[{"example":9033479083154824541,"explode":false,"in":"query","name":"serde","required":true,"schema":{"items":{"items":{"items":{"items":{"minItems":93,"type":"array","uniqueItems":true},"maxItems":93,"minItems":93,"type":"array","uniqueItems":true},"maxItems":0,"minItems":93,"type":"array"},"maxItems":93,"minItems":93,"type":"array","uniqueItems":true},"maxItems":93,"minItems":93,"type":"array","uniqueItems":true},"style":"deepObject"},{"example":6727636074092125533,"explode":true,"in":"query","name":"]]","required":true,"schema":{"$ref":"#/paths"},"style":"deepObject"},{"example":-1e+30,"explode":true,"in":"query","name":"é","required":true,"schema":{"items":{"items":{"items":{"items":{"items":{"not":{"$ref":"#/components/schemas/Missing"}},"type":"array"},"type":"array","uniqueItems":true},"maxItems":133,"minItems":191,"type":"array","uniqueItems":true},"maxItems":133,"minItems":133,"type":"array","uniqueItems":true},"maxItems":133,"minItems":133,"type":"array","uniqueItems":true},"style":"pipeDelimited"},{"in":"header","name":"","required":true,"schema":{"allOf":[{"allOf":[{"items":{"items":{"allOf":[{"allOf":[{"allOf":[{"allOf":[{"allOf":[{"allOf":[{"default":-1e+30,"deprecated":true,"enum":[null],"example":-1e+30,"format":"uint8","maximum":false,"minimum":true,"nullable":true,"readOnly":true,"title":"","type":"integer","x-sensitive":true},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"$ref":"#/paths"},{"additionalProperties":{"multipleOf":3.4e+38,"nullable":true,"type":"number"},"properties":{"é":{"additionalProperties":{"$ref":"#/components/schemas/Missing","deprecated":true,"writeOnly":true,"x-sensitive":true},"properties":{},"type":"object"}},"required":["é"],"type":"object"}]}]}]}]}]}]},"type":"array"},"type":"array"}]}]}}],"responses":{},"tags":[]},"put":{"deprecated":true,"parameters":[],"responses":{"302":{"content":{},"description":"`` ` ``","headers":{"-1":{"schema":{"items":{"enum":[null,null,null,null,null,null,null,null,null,null,null,null,null,null,{"next_page":false}],"exclusiveMinimum":true,"type":"integer"},"maxItems":43,"type":"array","uniqueItems":true}}}},"39376":{"content":{"^[a-z]+(?=x)$":{"schema":{"type":"array"}},"application/json":{"schema":{"multipleOf":false,"type":"number"}}},"description":"ok","headers":{}}},"tags":[],"x-idempotent":null}}},"security":[],"servers":[]}"##;

/// A text made at run time, for an expectation.
fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

fn cases() -> Vec<Case> {
    vec![
        case("keywords", &keywords(), Expect::Crate),
        case("collisions", &collisions(), Expect::Crate),
        case("runtime_names", &runtime_names(), Expect::Crate),
        case("non_ascii", &non_ascii(), Expect::Crate),
        case("empty_names", &empty_names(), Expect::Crate),
        case("alias_cycles", &alias_cycles(), Expect::Crate),
        case("deep", &deep(), Expect::Crate),
        case("big_enum", &big_enum(), Expect::Crate),
        case(
            "bad_leaf_any_of",
            &bad_leaf(40, |inner| json!({ "anyOf": [inner] })),
            Expect::CrateWarning(leak(format!(
                "/headers/X-Deep/schema{}: not a valid schema: a schema must be an object",
                "/anyOf/0".repeat(40)
            ))),
        ),
        case(
            "bad_leaf_properties",
            &bad_leaf(
                40,
                |inner| json!({ "type": "object", "properties": { "a": inner } }),
            ),
            Expect::CrateWarning(leak(format!(
                "/parameters/0/schema{}: not a valid schema: a schema must be an object; ignored",
                "/properties/a".repeat(40)
            ))),
        ),
        // Inline schemas nested 60 deep get names that grow with the depth; their file names
        // must still fit a file system (255 bytes).
        case(
            "long_names",
            &document(
                json!({ "A": (0..60).fold(json!({ "type": "string" }), |inner, _| {
                    json!({ "anyOf": [inner, { "type": "integer" }], "nullable": true })
                }) }),
                json!({}),
            ),
            Expect::Crate,
        ),
        // Bad parts inside keywords cost only those keywords, not the schema around them.
        text_case(
            "bad_nested_keywords",
            "spec.yaml",
            b"openapi: 3.0.3\ninfo: {title: N, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        a: {type: object, required: [1], properties: {x: {type: string}}}\n        b: {type: string, externalDocs: {description: no url}}\n        c: {type: integer}\n",
            Expect::CrateWarning(
                "#/components/schemas/Pet/properties/a/required: not a valid schema: the names in `required` must be strings (item 0 is not); ignored",
            ),
        ),
        text_case(
            "fuzz_all_of_self_reference",
            "spec.json",
            FUZZ_ALL_OF_SELF_REFERENCE.as_bytes(),
            Expect::Crate,
        ),
        case(
            "all_of_self_reference",
            &document(
                json!({ "Node": { "allOf": [{ "type": "object", "properties": {
                    "name": { "type": "string" },
                    "parent": { "allOf": [{ "$ref": "#/components/schemas/Node" }] },
                } }] } }),
                json!({}),
            ),
            Expect::Crate,
        ),
        text_case(
            "fuzz_nested_min_items",
            "spec.json",
            FUZZ_NESTED_MIN_ITEMS.as_bytes(),
            Expect::Crate,
        ),
        text_case(
            "fuzz_nested_any_of",
            "spec.json",
            FUZZ_NESTED_ANY_OF.as_bytes(),
            Expect::Crate,
        ),
        text_case(
            "huge_numbers",
            "spec.json",
            HUGE_NUMBERS.as_bytes(),
            Expect::Crate,
        ),
        text_case(
            "too_deep",
            "spec.json",
            &too_deep(),
            Expect::Error(":1:3071: not valid JSON: recursion limit exceeded"),
        ),
        text_case(
            "number_out_of_range",
            "spec.json",
            br#"{"openapi":"3.0.3","info":{"title":"N","version":"1"},"paths":{},"x":1e400}"#,
            Expect::Error(":1:74: not valid JSON: number out of range"),
        ),
        text_case(
            "alias_bomb",
            "spec.yaml",
            &alias_bomb(),
            Expect::Error("not valid YAML: repetition limit exceeded"),
        ),
        text_case(
            "duplicate_keys_json",
            "spec.json",
            b"{\"openapi\": \"3.0.3\",\n \"paths\": {},\n \"paths\": {\"/a\": {}}}",
            Expect::Error(":3:21: not valid JSON: duplicate key `paths`"),
        ),
        text_case(
            "duplicate_keys_yaml",
            "spec.yaml",
            b"openapi: 3.0.3\npaths: {}\npaths: {}\n",
            Expect::Error("not valid YAML: duplicate key `paths`"),
        ),
        text_case(
            "empty_file",
            "spec.yaml",
            b"",
            Expect::Error("the file is empty"),
        ),
        text_case(
            "blank_file",
            "spec.json",
            b" \n\t\n",
            Expect::Error("the file is empty"),
        ),
        text_case(
            "null_document",
            "spec.yaml",
            b"null\n",
            Expect::Error("#: not an OpenAPI document"),
        ),
        text_case(
            "list_document",
            "spec.json",
            b"[1, 2]",
            Expect::Error("#: not an OpenAPI document"),
        ),
        text_case(
            "binary_garbage",
            "spec.bin",
            &garbage(),
            Expect::Error("not UTF-8 text (at byte 0)"),
        ),
        text_case(
            "nul_bytes",
            "spec.json",
            b"{\"openapi\": \"3.0.3\0\"}\0",
            Expect::Error(":1:19: not valid JSON"),
        ),
    ]
}

/// Bytes that are neither UTF-8 nor JSON, from a fixed generator (the test is repeatable).
fn garbage() -> Vec<u8> {
    let mut state: u32 = 0x9e37_79b9;
    let mut bytes = vec![0xff];
    bytes.extend((0..4096).map(|_| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        (state >> 24) as u8
    }));
    bytes
}

/// Generates on another thread, so that a hang fails the test instead of stopping it.
fn generate_watched(
    file: &str,
    bytes: &[u8],
    folders: Option<sdkgen::bundle::Folders>,
) -> Result<sdkgen::Generated, Vec<Diagnostic>> {
    generate_named(file, bytes, folders, None)
}

fn generate_named(
    file: &str,
    bytes: &[u8],
    folders: Option<sdkgen::bundle::Folders>,
    crate_name: Option<String>,
) -> Result<sdkgen::Generated, Vec<Diagnostic>> {
    let (sender, receiver) = mpsc::channel();
    let (file, bytes) = (file.to_owned(), bytes.to_vec());
    std::thread::spawn(move || {
        let options = sdkgen::Options {
            crate_name,
            crate_version: "0.1.0".to_owned(),
            spec_label: format!("../{file}"),
            folders,
            example_check: false,
            call_check: false,
            ..Default::default()
        };
        let _ = sender.send(sdkgen::generate(&file, &bytes, &options).map_err(|f| f.diagnostics));
    });
    receiver
        .recv_timeout(Duration::from_secs(120))
        .expect("generation hung (or panicked outside its own thread)")
}

fn shown(diagnostic: &Diagnostic) -> String {
    format!("{}: {}", diagnostic.location, diagnostic.message)
}

/// Every path of a generated crate is a plain relative path: nothing can land outside it.
fn assert_paths_stay_inside(name: &str, files: &sdkgen::output::Files) {
    for path in files.keys() {
        let plain = path
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != ".." && !part.contains('\\'));
        assert!(plain && !Path::new(path).has_root(), "{name}: `{path}`");
    }
}

#[test]
fn hostile_specs_give_a_compiling_crate_or_a_located_error() {
    let workspace = common::scratch("hostile-cases");
    let mut members = Vec::new();
    let mut failures = Vec::new();
    for case in cases() {
        let crate_name = format!("hostile-{}", case.name.replace('_', "-"));
        let result = generate_named(case.file, &case.bytes, None, Some(crate_name));
        match (&case.expect, result) {
            (Expect::Crate | Expect::CrateWarning(_), Ok(generated)) => {
                if let Expect::CrateWarning(expected) = case.expect
                    && !generated
                        .warnings
                        .iter()
                        .any(|w| shown(w).contains(expected))
                {
                    failures.push(format!("{}: no warning `{expected}`", case.name));
                }
                assert_paths_stay_inside(case.name, &generated.files);
                let dir = workspace.join(case.name);
                sdkgen::output::write(&dir, &generated.files).unwrap();
                members.push(case.name.to_owned());
            }
            (Expect::Crate | Expect::CrateWarning(_), Err(diagnostics)) => failures.push(format!(
                "{}: expected a crate, got {:?}",
                case.name,
                diagnostics.iter().map(shown).collect::<Vec<_>>()
            )),
            (Expect::Error(expected), Err(diagnostics)) => {
                let errors: Vec<String> = diagnostics
                    .iter()
                    .filter(|d| d.severity == Severity::Error)
                    .map(shown)
                    .collect();
                if !errors.iter().any(|e| e.contains(expected)) {
                    failures.push(format!(
                        "{}: expected `{expected}`, got {errors:?}",
                        case.name
                    ));
                }
            }
            (Expect::Error(expected), Ok(_)) => {
                failures.push(format!("{}: expected `{expected}`, got a crate", case.name))
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    if common::skip_nested_builds() {
        return;
    }
    common::write_workspace(&workspace, &members);
    common::run_ok(common::nested_cargo(&workspace).args(["check", "--workspace", "--quiet"]));
}

#[test]
fn names_keep_their_spec_spelling_on_the_wire() {
    let generated = generate_watched(
        "spec.json",
        &serde_json::to_vec(&collisions()).unwrap(),
        None,
    )
    .expect("a crate");
    let pet = String::from_utf8(generated.files["src/types/pet.rs"].clone()).unwrap();
    // Seven properties whose names collide after snake_case each keep their own wire name.
    // It is read from its own key and written under it.
    for wire in ["a_b", "aB", "a-b", "A_B", "a b", "AB", "ab"] {
        let read = format!("\"{wire}\" => de::field(");
        let written = format!("(\"{wire}\", &self.");
        assert!(
            pet.matches(&read).count() == 1 && pet.matches(&written).count() == 1,
            "{wire}:\n{pet}"
        );
    }
}

/// A spec folder with a file outside it, reached through `..`, percent-encoding, an absolute
/// path and a symbolic link; and a URL served on loopback, which must never be asked for.
#[test]
fn references_never_leave_the_spec_folder_or_reach_the_network() {
    let root = common::scratch("hostile-references");
    let (folder, outside) = (root.join("spec"), root.join("outside"));
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::create_dir_all(&outside).unwrap();
    let secret = outside.join("secret.yaml");
    std::fs::write(&secret, "type: string\n").unwrap();
    let link = folder.join("link.yaml");
    let _ = std::fs::remove_file(&link);
    std::os::unix::fs::symlink(&secret, &link).unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let address = listener.local_addr().unwrap();
    let references = [
        ("../outside/secret.yaml", "leads outside the spec's folder"),
        (
            "..%2Foutside%2Fsecret.yaml",
            "leads outside the spec's folder",
        ),
        (
            "%2E%2E/outside/secret.yaml",
            "leads outside the spec's folder",
        ),
        (secret.to_str().unwrap(), "leads outside the spec's folder"),
        ("link.yaml", "leads outside the spec's folder"),
        ("file:///etc/passwd", "is a URL"),
        ("//example.com/schemas.yaml", "is a URL"),
    ];
    let url = format!("http://{address}/schemas.yaml#/Pet");
    let mut schemas = serde_json::Map::new();
    for (i, (reference, _)) in references.iter().enumerate() {
        schemas.insert(format!("S{i}"), json!({ "$ref": reference }));
    }
    schemas.insert("Network".into(), json!({ "$ref": url }));
    let spec = folder.join("api.json");
    let bytes = serde_json::to_vec(&document(Value::Object(schemas), json!({}))).unwrap();
    let folders = sdkgen::bundle::Folders::for_spec(&spec);
    let diagnostics = generate_watched("api.json", &bytes, folders).expect_err("refused");
    let errors: Vec<String> = diagnostics.iter().map(shown).collect();
    for (i, (reference, message)) in references.iter().enumerate() {
        let at = format!("#/components/schemas/S{i}/$ref: `{reference}` {message}");
        assert!(errors.iter().any(|e| e.contains(&at)), "{at}\n{errors:#?}");
    }
    assert!(
        errors
            .iter()
            .any(|e| e.contains("/Network/$ref") && e.contains("is a URL"))
    );
    assert!(
        matches!(listener.accept(), Err(e) if e.kind() == std::io::ErrorKind::WouldBlock),
        "the generator connected to the URL"
    );

    // With the outside folder allowed explicitly, the same file is read.
    let allowed = sdkgen::bundle::Folders {
        root: folder.clone(),
        allowed: vec![outside.clone()],
    };
    let spec = json!({ "A": { "$ref": "../outside/secret.yaml" } });
    let bytes = serde_json::to_vec(&document(spec, json!({}))).unwrap();
    generate_watched("api.json", &bytes, Some(allowed)).expect("allowed folder");
}

/// Nothing the generator depends on, at any depth, can make an HTTP request or open a socket
/// for one: its dependency graph in `Cargo.lock` holds no HTTP client or TLS stack.
#[test]
fn the_generator_depends_on_no_network_client() {
    let lock = std::fs::read_to_string(common::repo_root().join("Cargo.lock")).unwrap();
    let lock: toml::Value = toml::from_str(&lock).unwrap();
    let packages = lock["package"].as_array().unwrap();
    let dependencies = |name: &str| -> Vec<String> {
        let package = packages
            .iter()
            .find(|p| p["name"].as_str() == Some(name))
            .unwrap_or_else(|| panic!("{name} is in Cargo.lock"));
        package
            .get("dependencies")
            .and_then(toml::Value::as_array)
            .map(|list| {
                // An entry is `name` or `name version` when several versions are locked.
                list.iter()
                    .filter_map(|d| d.as_str()?.split(' ').next().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec!["sdkgen".to_owned()];
    while let Some(name) = queue.pop() {
        if seen.insert(name.clone()) {
            queue.extend(dependencies(&name));
        }
    }
    assert!(
        seen.contains("serde_yaml") && seen.contains("openapiv3"),
        "{seen:?}"
    );
    let network = [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "isahc",
        "attohttpc",
        "rustls",
        "native-tls",
        "openssl",
        "h2",
        "mio",
    ];
    let found: Vec<&&str> = network.iter().filter(|n| seen.contains(**n)).collect();
    assert!(found.is_empty(), "the generator depends on {found:?}");
}
