//! Repairs of nodes whose defect leaves their meaning clear: each gives the node as a careful
//! reader would read it, with a located warning saying what was assumed, before the node is
//! decoded. What would make the output wrong stays an error (in `decode`).

use serde_json::Value;

use crate::diagnostics::Diagnostics;
use crate::pointer::Pointer;

/// A response without `description` (required before OpenAPI 3.2): read as empty.
pub(super) fn response(value: &mut Value, at: &Pointer, diags: &mut Diagnostics) {
    if let Some(object) = value.as_object_mut()
        && !object.contains_key("description")
    {
        diags.warning(
            at,
            "response has no `description` (required before OpenAPI 3.2); read as empty",
        );
        object.insert("description".to_owned(), Value::String(String::new()));
    }
}

/// The styles each parameter location allows, the first being its default.
const STYLES: &[(&str, &[&str])] = &[
    ("path", &["simple", "label", "matrix"]),
    (
        "query",
        &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
    ),
    ("header", &["simple"]),
    ("cookie", &["form"]),
];

/// A parameter: a `style` its location cannot have is read as the location's default (a header
/// with `style: form` is `simple`), and `required` written as a string as the boolean it says.
pub(super) fn parameter(value: &mut Value, at: &Pointer, diags: &mut Diagnostics) {
    let Some(object) = value.as_object_mut() else {
        return;
    };
    let location = object.get("in").and_then(Value::as_str).unwrap_or_default();
    if let Some((_, allowed)) = STYLES.iter().find(|(l, _)| *l == location)
        && let Some(style) = object.get("style").and_then(Value::as_str)
        && !allowed.contains(&style)
    {
        let default = allowed[0];
        diags.warning(
            &at.push("style"),
            format!(
                "a {location} parameter cannot have style `{style}`; read as `{default}`, the \
                 style of {location} parameters"
            ),
        );
        object.insert("style".to_owned(), Value::String(default.to_owned()));
    }
    required(object, at, diags);
}

/// A request body or a header object: `required` written as a string.
pub(super) fn required_flag(value: &mut Value, at: &Pointer, diags: &mut Diagnostics) {
    if let Some(object) = value.as_object_mut() {
        required(object, at, diags);
    }
}

/// `required: "true"`, `"optional"` and the like, read as the boolean they say; any other
/// text is left for decoding to refuse.
fn required(object: &mut serde_json::Map<String, Value>, at: &Pointer, diags: &mut Diagnostics) {
    let Some(Value::String(text)) = object.get("required") else {
        return;
    };
    let meaning = match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "required" => true,
        "false" | "no" | "optional" => false,
        _ => return,
    };
    diags.warning(
        &at.push("required"),
        format!(
            "`required` should be `true` or `false`, not the text \"{text}\"; read as `{meaning}`"
        ),
    );
    object.insert("required".to_owned(), Value::Bool(meaning));
}

/// Server variables whose `default` or `enum` values are numbers or booleans (`default: 80`,
/// as YAML writes them unquoted): read as the text they are written as.
pub(super) fn servers(value: &mut Value, at: &Pointer, diags: &mut Diagnostics) {
    let Some(servers) = value.as_array_mut() else {
        return;
    };
    for (i, server) in servers.iter_mut().enumerate() {
        let Some(Value::Object(variables)) = server.get_mut("variables") else {
            continue;
        };
        for (name, variable) in variables.iter_mut() {
            let here = at.push(&i.to_string()).push("variables").push(name);
            let Some(variable) = variable.as_object_mut() else {
                continue;
            };
            if let Some(value) = variable.get_mut("default") {
                as_text(value, &here.push("default"), diags);
            }
            if let Some(Value::Array(values)) = variable.get_mut("enum") {
                for (j, value) in values.iter_mut().enumerate() {
                    as_text(value, &here.push("enum").push(&j.to_string()), diags);
                }
            }
        }
    }
}

fn as_text(value: &mut Value, at: &Pointer, diags: &mut Diagnostics) {
    if let Value::Number(_) | Value::Bool(_) = value {
        let text = value.to_string();
        diags.warning(
            at,
            format!("a server variable's values are strings; read `{text}` as \"{text}\""),
        );
        *value = Value::String(text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn warnings(diags: Diagnostics) -> Vec<String> {
        diags.into_sorted().iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn a_header_with_form_style_is_simple_and_required_text_is_a_boolean() {
        let mut diags = Diagnostics::default();
        let mut value =
            json!({"name": "X-A", "in": "header", "style": "form", "required": "optional"});
        parameter(&mut value, &Pointer::root().push("p"), &mut diags);
        assert_eq!(value["style"], "simple");
        assert_eq!(value["required"], false);
        let shown = warnings(diags);
        assert_eq!(shown.len(), 2, "{shown:?}");
        assert!(shown.iter().any(|w| w.contains("#/p/style")), "{shown:?}");
    }

    #[test]
    fn styles_a_location_allows_are_left_alone() {
        let mut diags = Diagnostics::default();
        let mut value =
            json!({"name": "a", "in": "query", "style": "deepObject", "required": "maybe"});
        let before = value.clone();
        parameter(&mut value, &Pointer::root(), &mut diags);
        assert_eq!(value, before);
        assert!(warnings(diags).is_empty());
    }

    #[test]
    fn server_variables_written_as_numbers_are_text() {
        let mut diags = Diagnostics::default();
        let mut value = json!([{"url": "http://h:{port}", "variables": {"port": {"default": 80, "enum": [80, "8080"]}}}]);
        servers(&mut value, &Pointer::root().push("servers"), &mut diags);
        assert_eq!(value[0]["variables"]["port"]["default"], "80");
        assert_eq!(value[0]["variables"]["port"]["enum"], json!(["80", "8080"]));
        assert_eq!(warnings(diags).len(), 2);
    }
}
