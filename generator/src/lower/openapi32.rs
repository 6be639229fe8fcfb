//! The OpenAPI 3.2 front end: rewrites what 3.2 adds into the words of 3.1, where it stands,
//! before the 3.1 front end runs. A media type's `itemSchema` (the schema of each item of a
//! streamed body) becomes its `schema`, an event stream's event object giving way to its
//! `data`'s `contentSchema`; `additionalOperations.QUERY` becomes the path item's `query`; a
//! response without `description` (optional from 3.2) gets an empty one. What cannot be
//! followed (`$self`, other additional methods) is a located warning. Tags' `parent` and
//! `kind` need no rewriting: groups read `parent`, and `kind` does not change the code.

use serde_json::{Map, Value};

use super::origins::Origins;
use crate::diagnostics::Diagnostics;
use crate::pointer::Pointer;

/// The 3.1 form of a 3.2 document, and where its rewritten pieces came from.
pub fn normalize(doc: &Value, diags: &mut Diagnostics) -> (Value, Origins) {
    let mut out = doc.clone();
    let mut origins = Origins::default();
    let root = Pointer::root();
    if doc.get("$self").is_some() {
        diags.warning(
            &root.push("$self"),
            "`$self` is not followed: references are resolved from the file's own location",
        );
    }
    if let Some(version) = out.get_mut("openapi") {
        *version = Value::String("3.1.1".to_owned());
    }
    if let Some(paths) = out.get_mut("paths").and_then(Value::as_object_mut) {
        for (path, item) in paths.iter_mut() {
            let at = root.push("paths").push(path);
            path_item(item, &at, &mut origins, diags);
        }
    }
    if let Some(webhooks) = out.get_mut("webhooks").and_then(Value::as_object_mut) {
        for (name, item) in webhooks.iter_mut() {
            let at = root.push("webhooks").push(name);
            path_item(item, &at, &mut origins, diags);
        }
    }
    let components = root.push("components");
    for (section, each) in [
        ("responses", response as Visit),
        ("requestBodies", content_holder),
        ("pathItems", path_item_visit),
    ] {
        if let Some(map) = out
            .pointer_mut(&format!("/components/{section}"))
            .and_then(Value::as_object_mut)
        {
            for (name, value) in map.iter_mut() {
                each(
                    value,
                    &components.push(section).push(name),
                    &mut origins,
                    diags,
                );
            }
        }
    }
    (out, origins)
}

type Visit = fn(&mut Value, &Pointer, &mut Origins, &mut Diagnostics);

fn path_item_visit(item: &mut Value, at: &Pointer, origins: &mut Origins, diags: &mut Diagnostics) {
    path_item(item, at, origins, diags);
}

/// The operations of a path item, `additionalOperations` included.
fn path_item(item: &mut Value, at: &Pointer, origins: &mut Origins, diags: &mut Diagnostics) {
    let Some(item) = item.as_object_mut() else {
        return;
    };
    if let Some(Value::Object(additional)) = item.remove("additionalOperations") {
        let additional_at = at.push("additionalOperations");
        for (method, operation) in additional {
            if method.eq_ignore_ascii_case("query") && !item.contains_key("query") {
                origins.record(at.push("query"), additional_at.push(&method));
                item.insert("query".to_owned(), operation);
            } else {
                diags.warning(
                    &additional_at.push(&method),
                    format!("operations of the `{method}` method are not generated"),
                );
            }
        }
    }
    for method in [
        "get", "put", "post", "delete", "options", "head", "patch", "trace", "query",
    ] {
        if let Some(operation) = item.get_mut(method) {
            operation_value(operation, &at.push(method), origins, diags);
        }
    }
}

fn operation_value(op: &mut Value, at: &Pointer, origins: &mut Origins, diags: &mut Diagnostics) {
    if let Some(body) = op.get_mut("requestBody") {
        content_holder(body, &at.push("requestBody"), origins, diags);
    }
    if let Some(responses) = op.get_mut("responses").and_then(Value::as_object_mut) {
        for (status, value) in responses.iter_mut() {
            response(value, &at.push("responses").push(status), origins, diags);
        }
    }
}

/// A response: an empty `description` where it has none (it may be left out from 3.2), then its
/// content.
fn response(value: &mut Value, at: &Pointer, origins: &mut Origins, diags: &mut Diagnostics) {
    if let Some(map) = value.as_object_mut()
        && !map.contains_key("$ref")
        && !map.contains_key("description")
    {
        map.insert("description".to_owned(), Value::String(String::new()));
    }
    content_holder(value, at, origins, diags);
}

/// The media types of a request body or response.
fn content_holder(value: &mut Value, at: &Pointer, origins: &mut Origins, _: &mut Diagnostics) {
    let Some(content) = value.get_mut("content").and_then(Value::as_object_mut) else {
        return;
    };
    for (media_type, media) in content.iter_mut() {
        if let Some(media) = media.as_object_mut() {
            item_schema(media, &at.push("content").push(media_type), origins);
        }
    }
}

/// `itemSchema` as the media type's `schema` (each item's), unless it has one. For an event
/// stream, an item is an event; the data's own schema (`contentSchema` of its `data`) is
/// what the events decode into.
fn item_schema(media: &mut Map<String, Value>, at: &Pointer, origins: &mut Origins) {
    if media.contains_key("schema") {
        return;
    }
    let Some(item) = media.remove("itemSchema") else {
        return;
    };
    let data = item
        .pointer("/properties/data/contentSchema")
        .cloned()
        .filter(|_| item.pointer("/properties/data").is_some());
    match data {
        Some(schema) => {
            origins.record(
                at.push("schema"),
                at.push("itemSchema")
                    .push("properties")
                    .push("data")
                    .push("contentSchema"),
            );
            media.insert("schema".to_owned(), schema);
        }
        None => {
            origins.record(at.push("schema"), at.push("itemSchema"));
            media.insert("schema".to_owned(), item);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn what_3_2_adds_is_read_in_3_1_words() {
        let doc = json!({
            "openapi": "3.2.0",
            "$self": "https://example.com/api.yaml",
            "paths": {"/search": {
                "additionalOperations": {
                    "QUERY": {"responses": {"200": {"content": {"application/jsonl": {
                        "itemSchema": {"type": "string"}
                    }}}}},
                    "LINK": {"responses": {}}
                },
                "get": {"responses": {"200": {"content": {"text/event-stream": {
                    "itemSchema": {"type": "object", "properties": {
                        "event": {"type": "string"},
                        "data": {"type": "string", "contentMediaType": "application/json",
                                 "contentSchema": {"type": "integer"}}
                    }}
                }}}}}
            }}
        });
        let mut diags = Diagnostics::default();
        let (out, origins) = normalize(&doc, &mut diags);
        let search = &out["paths"]["/search"];
        assert_eq!(out["openapi"], "3.1.1");
        let query = &search["query"]["responses"]["200"];
        assert_eq!(query["description"], "");
        assert_eq!(
            query["content"]["application/jsonl"]["schema"],
            json!({"type": "string"})
        );
        let events = &search["get"]["responses"]["200"]["content"]["text/event-stream"];
        assert_eq!(events["schema"], json!({"type": "integer"}));
        let warnings: Vec<String> = diags.into_sorted().iter().map(|d| d.to_string()).collect();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("#/$self"), "{warnings:?}");
        assert!(
            warnings[1].contains("additionalOperations/LINK"),
            "{warnings:?}"
        );
        let moved = Pointer::from_escaped("/paths/~1search/query/responses");
        assert_eq!(
            origins.original(&moved).as_str(),
            "/paths/~1search/additionalOperations/QUERY/responses"
        );
    }
}
