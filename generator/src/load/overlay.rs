//! OpenAPI Overlays (the OAI Overlay Specification 1.0, and 1.1's `copy`): ordered actions,
//! each selecting nodes of the spec by an RFC 9535 JSONPath `target` and updating them (objects
//! merged recursively, arrays appended to) or removing them. Overlays apply to the loaded
//! document, before lowering, so everything after sees the amended spec. Problems are located
//! in the overlay file (`fix.yaml#/actions/2/target`).

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::diagnostics::{Diagnostic, Diagnostics, Location, Severity};
use crate::pointer::Pointer;

/// An overlay file: its name for messages and its text.
#[derive(Clone, Debug)]
pub struct Overlay {
    pub label: String,
    pub text: Vec<u8>,
}

/// Applies `overlay` to `document`, action by action.
pub fn apply(document: &mut Value, overlay: &Overlay, diags: &mut Diagnostics) {
    let here = |pointer: &Pointer| Location::InputPointer {
        file: overlay.label.clone(),
        pointer: pointer.clone(),
    };
    let report = |diags: &mut Diagnostics, severity, at: &Pointer, message: String| {
        diags.push(Diagnostic::in_input(severity, here(at), message));
    };
    let parsed = match super::parse(&overlay.label, &overlay.text) {
        Ok(parsed) => parsed,
        Err(error) => {
            let location = match error.location {
                Location::Text { line, column } => Location::Input {
                    file: overlay.label.clone(),
                    line,
                    column,
                },
                _ => here(&Pointer::root()),
            };
            diags.push(Diagnostic::in_input(
                Severity::Error,
                location,
                error.message,
            ));
            return;
        }
    };
    let root = Pointer::root();
    match parsed.get("overlay").and_then(Value::as_str) {
        Some(version) if version.starts_with("1.") => {}
        Some(version) => {
            let message = format!("overlay version `{version}` is not 1.x, which is what is read");
            report(diags, Severity::Error, &root.push("overlay"), message);
            return;
        }
        None => {
            let message = "not an overlay: there is no `overlay` version".to_owned();
            report(diags, Severity::Error, &root, message);
            return;
        }
    }
    let Some(actions) = parsed.get("actions").and_then(Value::as_array) else {
        let message = "`actions` is missing or not a list".to_owned();
        report(diags, Severity::Error, &root.push("actions"), message);
        return;
    };
    for (i, action) in actions.iter().enumerate() {
        let at = root.push("actions").push(&i.to_string());
        let mut problems = Vec::new();
        run_action(document, action, &mut problems);
        for (severity, key, message) in problems {
            let place = match key {
                Some(key) => at.push(key),
                None => at.clone(),
            };
            report(diags, severity, &place, message);
        }
    }
}

/// A problem with an action: how serious, the action's field it is about, and what it is.
type Problem = (Severity, Option<&'static str>, String);

fn run_action(document: &mut Value, action: &Value, problems: &mut Vec<Problem>) {
    let Some(action) = action.as_object() else {
        problems.push((Severity::Error, None, "an action is an object".to_owned()));
        return;
    };
    for key in action.keys() {
        let known = ["target", "description", "update", "remove", "copy"];
        if !known.contains(&key.as_str()) && !key.starts_with("x-") {
            let message = format!("`{key}` is not a field of an action; it is ignored");
            problems.push((Severity::Warning, None, message));
        }
    }
    let Some(target) = action.get("target").and_then(Value::as_str) else {
        let message = "`target` (a JSONPath) is missing".to_owned();
        problems.push((Severity::Error, Some("target"), message));
        return;
    };
    let Some(targets) = select(document, target, "target", problems) else {
        return;
    };
    if targets.is_empty() {
        let message = format!("`{target}` selects nothing; the action does nothing");
        problems.push((Severity::Warning, Some("target"), message));
        return;
    }
    if action.get("remove").and_then(Value::as_bool) == Some(true) {
        remove(document, targets, problems);
        return;
    }
    let update = match (action.get("update"), action.get("copy")) {
        (Some(update), _) => update.clone(),
        (None, Some(Value::String(from))) => {
            match select(document, from, "copy", problems).as_deref() {
                Some([one]) => document.pointer(one).cloned().unwrap_or(Value::Null),
                Some(found) => {
                    let message = format!(
                        "`{from}` selects {} nodes; `copy` takes exactly one",
                        found.len()
                    );
                    problems.push((Severity::Error, Some("copy"), message));
                    return;
                }
                None => return,
            }
        }
        _ => {
            let message = "the action neither updates, copies nor removes".to_owned();
            problems.push((Severity::Warning, None, message));
            return;
        }
    };
    for pointer in targets {
        if let Some(node) = document.pointer_mut(&pointer) {
            update_node(node, &update, &pointer, problems);
        }
    }
}

/// The JSON pointers of the nodes `path` selects, or `None` (with an error) if it is not a
/// JSONPath.
fn select(
    document: &Value,
    path: &str,
    field: &'static str,
    problems: &mut Vec<Problem>,
) -> Option<Vec<String>> {
    match JsonPath::parse(path) {
        Ok(parsed) => {
            // A node a query selects twice (`$.l[0,0]`) is acted on once.
            let mut seen = std::collections::BTreeSet::new();
            Some(
                parsed
                    .query_located(document)
                    .locations()
                    .map(|location| location.to_json_pointer())
                    .filter(|pointer| seen.insert(pointer.clone()))
                    .collect(),
            )
        }
        Err(error) => {
            let message = format!("`{path}` is not a JSONPath: {error}");
            problems.push((Severity::Error, Some(field), message));
            None
        }
    }
}

fn update_node(node: &mut Value, update: &Value, pointer: &str, problems: &mut Vec<Problem>) {
    match (node, update) {
        (Value::Object(node), Value::Object(update)) => merge(node, update),
        (Value::Array(items), entry) => items.push(entry.clone()),
        (node, _) => {
            let message = format!(
                "`{}` is {}: an update applies to objects and lists",
                Pointer::from_escaped(pointer),
                kind(node)
            );
            problems.push((Severity::Error, Some("update"), message));
        }
    }
}

/// Merges `update` into `node`: objects recursively, lists appended to, anything else replaced.
fn merge(node: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match (node.get_mut(key), value) {
            (Some(Value::Object(inner)), Value::Object(value)) => merge(inner, value),
            (Some(Value::Array(items)), Value::Array(more)) => items.extend(more.iter().cloned()),
            (Some(slot), value) => *slot = value.clone(),
            (None, value) => {
                node.insert(key.clone(), value.clone());
            }
        }
    }
}

/// Removes the nodes at `targets` from their parents, later list entries (and nodes inside
/// them) first, so that the positions of the others hold.
fn remove(document: &mut Value, mut targets: Vec<String>, problems: &mut Vec<Problem>) {
    targets.sort_by_key(|t| std::cmp::Reverse(position(t)));
    for target in targets {
        let Some((parent, key)) = target.rsplit_once('/') else {
            let message = "the whole document cannot be removed".to_owned();
            problems.push((Severity::Error, Some("target"), message));
            continue;
        };
        let key = key.replace("~1", "/").replace("~0", "~");
        match document.pointer_mut(parent) {
            Some(Value::Object(map)) => {
                map.shift_remove(&key);
            }
            Some(Value::Array(items)) => {
                if let Ok(index) = key.parse::<usize>()
                    && index < items.len()
                {
                    items.remove(index);
                }
            }
            _ => {}
        }
    }
}

/// A pointer's segments for ordering: list positions as numbers, so `/l/10` follows `/l/9`
/// and `/l/1/0` follows `/l/0`.
fn position(pointer: &str) -> Vec<(Option<usize>, String)> {
    pointer
        .split('/')
        .map(|segment| (segment.parse().ok(), segment.to_owned()))
        .collect()
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn applied(document: Value, overlay: &str) -> (Value, Vec<String>) {
        let mut document = document;
        let mut diags = Diagnostics::default();
        let overlay = Overlay {
            label: "fix.yaml".to_owned(),
            text: overlay.as_bytes().to_vec(),
        };
        apply(&mut document, &overlay, &mut diags);
        let messages = diags
            .into_sorted()
            .iter()
            .map(|d| d.display_in("spec.yaml").to_string())
            .collect();
        (document, messages)
    }

    #[test]
    fn updates_merge_objects_and_append_to_lists() {
        let spec = json!({"info": {"title": "A", "x": {"k": 1}}, "tags": [{"name": "a"}]});
        let (out, messages) = applied(
            spec,
            "overlay: 1.0.0\ninfo: {title: t, version: '1'}\nactions:\n- target: $.info\n  update: {title: B, x: {j: 2}}\n- target: $.tags\n  update: {name: b}\n",
        );
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(
            out,
            json!({"info": {"title": "B", "x": {"k": 1, "j": 2}}, "tags": [{"name": "a"}, {"name": "b"}]})
        );
    }

    #[test]
    fn removes_every_selected_node() {
        let spec =
            json!({"paths": {"/a": {"get": {}, "post": {}}, "/b": {"get": {}}}, "l": [1, 2, 3]});
        let (out, messages) = applied(
            spec,
            "overlay: 1.0.0\nactions:\n- target: $.paths.*.get\n  remove: true\n- target: $.l[0,2]\n  remove: true\n",
        );
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(
            out,
            json!({"paths": {"/a": {"post": {}}, "/b": {}}, "l": [2]})
        );
    }

    #[test]
    fn removals_keep_the_positions_of_the_others() {
        let spec = json!({"l": ["x", ["x"], ["y"]], "t": [1, 2, 3]});
        let (out, messages) = applied(
            spec,
            "overlay: 1.0.0\nactions:\n- target: \"$..[?@=='x']\"\n  remove: true\n- target: $.t[0,0]\n  remove: true\n",
        );
        assert!(messages.is_empty(), "{messages:?}");
        assert_eq!(out, json!({"l": [[], ["y"]], "t": [2, 3]}));
    }

    #[test]
    fn copies_a_node_into_targets() {
        let spec = json!({"a": {"x": 1}, "b": {}});
        let (out, _) = applied(
            spec,
            "overlay: 1.1.0\nactions:\n- target: $.b\n  copy: $.a\n",
        );
        assert_eq!(out, json!({"a": {"x": 1}, "b": {"x": 1}}));
    }

    #[test]
    fn problems_are_located_in_the_overlay() {
        let (_, messages) = applied(
            json!({"info": {"title": "A"}}),
            "overlay: 1.0.0\nactions:\n- target: $.nothing\n  update: {}\n- target: '$['\n  remove: true\n- target: $.info.title\n  update: {}\n",
        );
        assert_eq!(messages.len(), 3, "{messages:?}");
        assert!(
            messages[0].starts_with("error: fix.yaml#/actions/1/target: `$[` is not a JSONPath"),
            "{messages:?}"
        );
        assert!(
            messages[1]
                .starts_with("error: fix.yaml#/actions/2/update: `#/info/title` is a string"),
            "{messages:?}"
        );
        assert!(
            messages[2]
                .starts_with("warning: fix.yaml#/actions/0/target: `$.nothing` selects nothing"),
            "{messages:?}"
        );
        let (_, messages) = applied(json!({}), "actions: []\n");
        assert_eq!(
            messages,
            ["error: fix.yaml: not an overlay: there is no `overlay` version"]
        );
        let (_, messages) = applied(json!({}), "overlay: 1.0.0\nactions: [\n");
        assert!(messages[0].starts_with("error: fix.yaml:"), "{messages:?}");
    }
}
