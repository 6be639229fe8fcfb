//! The OpenAPI 3.1 front end: 3.1 schemas are JSON Schema 2020-12, which says some things in
//! other words than 3.0. Each schema node is rewritten where it stands (so every pointer still
//! names the same place in the user's file) into the words lowering reads: `type` lists
//! (`[string, "null"]` is nullable, `[string, integer]` a union), `const` (a one-value enum),
//! `examples`, numeric `exclusiveMinimum`/`exclusiveMaximum`, `$ref` beside other keywords
//! (an `allOf` of the reference and the rest), and `contentEncoding`/`contentMediaType` for
//! binary strings. `prefixItems` is kept for lowering, which makes it a tuple. Keywords with no
//! meaning for a client are dropped with a warning where they would change the data's shape.

use serde_json::{Map, Value, json};

use super::keywords::{self, Holds};
use super::origins::Origins;
use crate::diagnostics::Diagnostics;
use crate::pointer::Pointer;

/// What a rewrite reports: warnings, and where rewritten pieces came from.
struct Context<'d> {
    diags: &'d mut Diagnostics,
    origins: Origins,
    /// References from schemas into other files (bundled under `EXTERNAL`), whose targets are
    /// schemas to rewrite too.
    external: Vec<String>,
}

/// Where a rewritten schema keeps its `prefixItems` for lowering (the `openapiv3` types keep
/// extensions, and nothing else they do not know).
pub(super) const PREFIX_ITEMS: &str = "x-sdkgen-prefix-items";
/// Marks a `prefixItems` schema that allows no further items (`items: false`).
pub(super) const CLOSED_ITEMS: &str = "x-sdkgen-closed-items";

/// The dialect OpenAPI 3.1 documents use unless they say otherwise.
const OAS_DIALECT: &str = "https://spec.openapis.org/oas/3.1/dialect/base";

/// Keywords of a schema that apply to one JSON type only.
const STRING_KEYWORDS: &[&str] = &[
    "minLength",
    "maxLength",
    "pattern",
    "contentEncoding",
    "contentMediaType",
];
const NUMBER_KEYWORDS: &[&str] = &[
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const ARRAY_KEYWORDS: &[&str] = &[
    "items",
    "prefixItems",
    "minItems",
    "maxItems",
    "uniqueItems",
    "contains",
];
const OBJECT_KEYWORDS: &[&str] = &[
    "properties",
    "required",
    "additionalProperties",
    "patternProperties",
    "minProperties",
    "maxProperties",
    "propertyNames",
    "discriminator",
];

/// JSON Schema keywords that constrain data in ways a generated type does not follow; they are
/// reported once each where they appear.
const UNSUPPORTED: &[&str] = &[
    "if",
    "then",
    "else",
    "dependentSchemas",
    "dependentRequired",
    "unevaluatedProperties",
    "unevaluatedItems",
    "contains",
    "minContains",
    "maxContains",
    "patternProperties",
    "propertyNames",
    "$dynamicRef",
];

/// Rewrites a 3.1 document's schemas in place of a copy; the rest is kept as it is.
pub fn normalize(doc: &Value, diags: &mut Diagnostics) -> (Value, Origins) {
    let mut out = doc.clone();
    let root = Pointer::root();
    if let Some(dialect) = doc.get("jsonSchemaDialect").and_then(Value::as_str)
        && dialect != OAS_DIALECT
    {
        diags.warning(
            &root.push("jsonSchemaDialect"),
            format!(
                "schemas are read as OpenAPI 3.1's own dialect ({OAS_DIALECT}), not `{dialect}`"
            ),
        );
    }
    let mut cx = Context {
        diags,
        origins: Origins::default(),
        external: Vec::new(),
    };
    document(&mut out, &root, &mut cx);
    external_schemas(&mut out, &mut cx);
    // `paths` may be left out in 3.1 (a document of webhooks or components only).
    if let Value::Object(map) = &mut out {
        map.entry("paths").or_insert_with(|| json!({}));
    }
    (out, cx.origins)
}

/// Rewrites the schemas that schemas refer to in other files: the walk does not go into the
/// bundled files, whose layout is unknown, but a reference from a schema leads to a schema.
fn external_schemas(doc: &mut Value, cx: &mut Context) {
    let prefix = format!("#/{}/", crate::pointer::EXTERNAL);
    let mut done = std::collections::BTreeSet::new();
    while let Some(reference) = cx.external.pop() {
        let Some(pointer) = reference
            .strip_prefix('#')
            .filter(|_| reference.starts_with(&prefix))
        else {
            continue;
        };
        if !done.insert(pointer.to_owned()) {
            continue;
        }
        if let Some(target) = doc.pointer_mut(pointer) {
            schema(target, &Pointer::from_escaped(pointer), cx);
        }
    }
}

/// Walks the document outside schemas and rewrites every schema it finds.
fn document(value: &mut Value, at: &Pointer, cx: &mut Context) {
    match value {
        Value::Object(map) => {
            let in_schemas = at.as_str() == "/components/schemas";
            for (key, child) in map.iter_mut() {
                let child_at = at.push(key);
                if in_schemas || key == "schema" {
                    schema(child, &child_at, cx);
                } else if !key.starts_with("x-") && key != "example" && key != "examples" {
                    document(child, &child_at, cx);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                document(item, &at.push(&i.to_string()), cx);
            }
        }
        _ => {}
    }
}

/// Rewrites one schema and the schemas inside it.
fn schema(value: &mut Value, at: &Pointer, cx: &mut Context) {
    let Value::Object(map) = value else {
        // `true` and `false` are schemas in 3.1: anything, and nothing.
        if let Value::Bool(allowed) = value {
            *value = if *allowed {
                json!({})
            } else {
                json!({ "not": {} })
            };
        }
        return;
    };
    if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
        cx.external.push(reference.to_owned());
    }
    subschemas(map, at, cx);
    for keyword in UNSUPPORTED {
        if map.contains_key(*keyword) {
            cx.diags.warning(
                &at.push(keyword),
                format!(
                    "`{keyword}` is not followed by generated types; the data is read without it"
                ),
            );
        }
    }
    keywords(map);
    prefix_items(map);
    if let Some(types) = map.get("type").and_then(Value::as_array).cloned() {
        if map.contains_key("anyOf") && types.iter().filter(|t| *t != "null").count() > 1 {
            let message = "a list of types beside `anyOf` is not followed; the `anyOf` is";
            cx.diags.warning(&at.push("type"), message);
            let nullable = types.iter().any(|t| t == "null");
            map.remove("type");
            if nullable {
                map.insert("nullable".into(), json!(true));
            }
        } else {
            type_list(map, &types, at, &mut cx.origins);
        }
    }
    if let Some(Value::Array(items)) = map.get(PREFIX_ITEMS) {
        let min = map.get("minItems").and_then(Value::as_u64).unwrap_or(0);
        if min < items.len() as u64 {
            let message = "a `prefixItems` list is read as a tuple, which needs every position; a shorter list will not decode";
            cx.diags.warning(&at.push("prefixItems"), message);
        }
    }
    reference_with_siblings(map, at, &mut cx.origins);
}

/// Rewrites the schemas a schema holds.
fn subschemas(map: &mut Map<String, Value>, at: &Pointer, cx: &mut Context) {
    // A property whose schema is `false` may not be present: there is nothing to send or read.
    if let Some(Value::Object(properties)) = map.get_mut("properties") {
        properties.retain(|_, schema| *schema != Value::Bool(false));
    }
    for (keyword, holds) in keywords::all() {
        let Some(value) = map.get_mut(keyword) else {
            continue;
        };
        let base = at.push(keyword);
        match (holds, value) {
            // `additionalProperties` takes a boolean in 3.0 too.
            (Holds::One, Value::Bool(_)) if keyword == "additionalProperties" => {}
            (Holds::One, child) => schema(child, &base, cx),
            (Holds::List, Value::Array(children)) => {
                for (i, child) in children.iter_mut().enumerate() {
                    schema(child, &base.push(&i.to_string()), cx);
                }
            }
            (Holds::Map, Value::Object(children)) => {
                for (name, child) in children.iter_mut() {
                    schema(child, &base.push(name), cx);
                }
            }
            _ => {}
        }
    }
}

/// The keywords 3.0 spells differently.
fn keywords(map: &mut Map<String, Value>) {
    // `const` beside `enum` is the stricter of the two.
    if let Some(value) = map.remove("const") {
        map.insert("enum".into(), json!([value]));
    }
    if let Some(Value::Array(examples)) = map.get("examples")
        && !map.contains_key("example")
        && let Some(first) = examples.first().cloned()
    {
        map.insert("example".into(), first);
    }
    map.remove("examples");
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        let Some(limit) = map.get(exclusive).and_then(Value::as_f64) else {
            continue;
        };
        // With both bounds, the stricter one stays.
        let inclusive = map.get(bound).and_then(Value::as_f64);
        let stricter = match (bound, inclusive) {
            (_, None) => true,
            ("minimum", Some(min)) => limit >= min,
            (_, Some(max)) => limit <= max,
        };
        if stricter {
            let value = map[exclusive].clone();
            map.insert(bound.into(), value);
            map.insert(exclusive.into(), json!(true));
        } else {
            map.remove(exclusive);
        }
    }
    let encoding = map.get("contentEncoding").and_then(Value::as_str);
    let media_type = map.get("contentMediaType").and_then(Value::as_str);
    if !map.contains_key("format") {
        match (encoding, media_type) {
            (Some("base64" | "base64url"), _) => {
                map.insert("format".into(), json!("byte"));
            }
            (None, Some(media)) if !is_text(media) => {
                map.insert("format".into(), json!("binary"));
            }
            _ => {}
        }
    }
}

/// `prefixItems` moves where lowering finds it; `items: false` (no more items) is recorded, and
/// `items` beside `prefixItems` (the type of later items) is dropped: a tuple cannot hold them,
/// which lowering reports.
fn prefix_items(map: &mut Map<String, Value>) {
    let Some(items) = map.remove("prefixItems") else {
        return;
    };
    // `items: false` has become `{not: {}}` (nothing) by now.
    let closed = map.remove("items");
    if closed == Some(Value::Bool(false)) || closed == Some(json!({ "not": {} })) {
        map.insert(CLOSED_ITEMS.into(), json!(true));
    }
    map.entry("type").or_insert(json!("array"));
    map.insert(PREFIX_ITEMS.into(), items);
}

/// Whether a media type is text (a string of it is text, not bytes).
fn is_text(media_type: &str) -> bool {
    media_type.starts_with("text/")
        || media_type.ends_with("json")
        || media_type.ends_with("xml")
        || media_type == "application/x-www-form-urlencoded"
}

/// `type: [..]`: `"null"` makes the schema nullable; one other type is that type; several are
/// a union of one schema per type, each with the keywords that apply to it.
fn type_list(map: &mut Map<String, Value>, types: &[Value], at: &Pointer, origins: &mut Origins) {
    let names: Vec<&str> = types.iter().filter_map(Value::as_str).collect();
    let nullable = names.contains(&"null");
    let others: Vec<&str> = names.iter().copied().filter(|t| *t != "null").collect();
    map.remove("type");
    if nullable {
        map.insert("nullable".into(), json!(true));
    }
    match others.as_slice() {
        [] if nullable => {
            map.insert("type".into(), json!("null"));
            map.remove("nullable");
        }
        [] => {}
        [single] => {
            map.insert("type".into(), json!(single));
        }
        several => {
            let values = map.remove("enum");
            let format = map.remove("format");
            let branches: Vec<Value> = several
                .iter()
                .map(|t| branch(map, t, values.as_ref(), format.as_ref()))
                .collect();
            for keyword in STRING_KEYWORDS
                .iter()
                .chain(NUMBER_KEYWORDS)
                .chain(ARRAY_KEYWORDS)
                .chain(OBJECT_KEYWORDS)
            {
                map.remove(*keyword);
            }
            for i in 0..branches.len() {
                origins.record(at.push("anyOf").push(&i.to_string()), at.clone());
            }
            map.insert("anyOf".into(), Value::Array(branches));
        }
    }
}

/// The schema of one type of a type list.
fn branch(
    map: &Map<String, Value>,
    name: &str,
    values: Option<&Value>,
    format: Option<&Value>,
) -> Value {
    let own: &[&str] = match name {
        "string" => STRING_KEYWORDS,
        "number" | "integer" => NUMBER_KEYWORDS,
        "array" => ARRAY_KEYWORDS,
        "object" => OBJECT_KEYWORDS,
        _ => &[],
    };
    let mut out = Map::new();
    out.insert("type".into(), json!(name));
    for keyword in own {
        if let Some(value) = map.get(*keyword) {
            out.insert((*keyword).to_owned(), value.clone());
        }
    }
    let numeric_format = |f: &str| {
        matches!(
            f,
            "int32"
                | "int64"
                | "float"
                | "double"
                | "uint8"
                | "int8"
                | "int16"
                | "uint16"
                | "uint32"
                | "uint64"
        )
    };
    if let Some(format) = format.and_then(Value::as_str) {
        let fits = match name {
            "number" | "integer" => numeric_format(format),
            "string" => !numeric_format(format),
            _ => false,
        };
        if fits {
            out.insert("format".into(), json!(format));
        }
    }
    if let Some(Value::Array(values)) = values {
        let fitting: Vec<Value> = values
            .iter()
            .filter(|v| json_type_is(v, name))
            .cloned()
            .collect();
        if !fitting.is_empty() {
            out.insert("enum".into(), Value::Array(fitting));
        }
    }
    Value::Object(out)
}

fn json_type_is(value: &Value, name: &str) -> bool {
    match name {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

/// A `$ref` beside keywords that change the data (3.1 allows it; 3.0 ignores them): the
/// reference becomes the one part of an `allOf`, and the other keywords stay. Notes
/// (`description`, `summary`, `title`, `deprecated`, ...) beside a `$ref` need no change.
fn reference_with_siblings(map: &mut Map<String, Value>, at: &Pointer, origins: &mut Origins) {
    const NOTES: &[&str] = &[
        "description",
        "summary",
        "title",
        "deprecated",
        "readOnly",
        "writeOnly",
        "example",
        "default",
        "$comment",
        "externalDocs",
    ];
    if !map.contains_key("$ref") {
        return;
    }
    let changes: Vec<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| *k != "$ref" && !NOTES.contains(k) && !k.starts_with("x-") && *k != "$defs")
        .collect();
    if changes.is_empty() {
        return;
    }
    // Only saying that it may be null (and repeating the type): the referenced type or null,
    // without a copy of the type.
    if changes.iter().all(|k| matches!(*k, "nullable" | "type")) {
        map.remove("type");
        if map.remove("nullable") == Some(Value::Bool(true)) {
            let reference = map.remove("$ref").unwrap_or_default();
            map.insert(
                "anyOf".into(),
                json!([{ "$ref": reference }, { "type": "null" }]),
            );
            origins.record(at.push("anyOf").push("0"), at.clone());
            origins.record(at.push("anyOf").push("1"), at.clone());
        }
        return;
    }
    let reference = map.remove("$ref").unwrap_or_default();
    let mut parts = vec![json!({ "$ref": reference })];
    origins.record(at.push("allOf").push("0"), at.clone());
    if let Some(Value::Array(existing)) = map.remove("allOf") {
        for i in 0..existing.len() {
            origins.record(
                at.push("allOf").push(&(i + 1).to_string()),
                at.push("allOf").push(&i.to_string()),
            );
        }
        parts.extend(existing);
    }
    map.insert("allOf".into(), Value::Array(parts));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(schema_value: Value) -> Value {
        let doc = json!({ "openapi": "3.1.0", "components": { "schemas": { "S": schema_value } } });
        let mut diags = Diagnostics::default();
        normalize(&doc, &mut diags).0["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn type_lists_become_nullable_types_or_unions() {
        assert_eq!(
            normalized(json!({ "type": ["string", "null"], "maxLength": 3 })),
            json!({ "type": "string", "nullable": true, "maxLength": 3 })
        );
        assert_eq!(
            normalized(
                json!({ "type": ["string", "integer"], "format": "int64", "minimum": 1, "maxLength": 3 })
            ),
            json!({ "anyOf": [
                { "type": "string", "maxLength": 3 },
                { "type": "integer", "minimum": 1, "format": "int64" },
            ] })
        );
        assert_eq!(
            normalized(json!({ "type": ["null"] })),
            json!({ "type": "null" })
        );
        assert_eq!(
            normalized(json!({ "type": "object", "additionalProperties": false })),
            json!({ "type": "object", "additionalProperties": false })
        );
    }

    #[test]
    fn const_examples_bounds_and_binary_strings_take_their_3_0_words() {
        assert_eq!(
            normalized(json!({ "const": "on" })),
            json!({ "enum": ["on"] })
        );
        assert_eq!(
            normalized(json!({ "type": "integer", "exclusiveMinimum": 0, "examples": [5, 6] })),
            json!({ "type": "integer", "minimum": 0, "exclusiveMinimum": true, "example": 5 })
        );
        // The stricter bound stays.
        assert_eq!(
            normalized(json!({ "type": "integer", "minimum": 5, "exclusiveMinimum": 0 })),
            json!({ "type": "integer", "minimum": 5 })
        );
        assert_eq!(
            normalized(json!({ "type": "integer", "maximum": 5, "exclusiveMaximum": 3 })),
            json!({ "type": "integer", "maximum": 3, "exclusiveMaximum": true })
        );
        assert_eq!(
            normalized(json!({ "enum": ["a", "b"], "const": "b" })),
            json!({ "enum": ["b"] })
        );
        assert_eq!(
            normalized(json!({ "type": "string", "contentMediaType": "image/png" }))["format"],
            "binary"
        );
        assert_eq!(
            normalized(json!({ "type": "string", "contentEncoding": "base64" }))["format"],
            "byte"
        );
    }

    #[test]
    fn references_keep_sibling_constraints_through_all_of() {
        assert_eq!(
            normalized(json!({ "$ref": "#/components/schemas/T", "description": "d" })),
            json!({ "$ref": "#/components/schemas/T", "description": "d" })
        );
        assert_eq!(
            normalized(json!({ "$ref": "#/components/schemas/T", "type": ["object", "null"] })),
            json!({ "anyOf": [{ "$ref": "#/components/schemas/T" }, { "type": "null" }] })
        );
        assert_eq!(
            normalized(json!({ "$ref": "#/components/schemas/T", "maxLength": 3 })),
            json!({ "allOf": [{ "$ref": "#/components/schemas/T" }], "maxLength": 3 })
        );
    }

    #[test]
    fn nested_schemas_and_schemas_in_operations_are_rewritten() {
        let doc = json!({ "openapi": "3.1.0", "paths": { "/a": { "get": { "parameters": [
            { "name": "q", "in": "query", "schema": { "type": "array", "items": { "const": 1 } } }
        ] } } } });
        let (out, _) = normalize(&doc, &mut Diagnostics::default());
        assert_eq!(
            out["paths"]["/a"]["get"]["parameters"][0]["schema"]["items"],
            json!({ "enum": [1] })
        );
    }
}
