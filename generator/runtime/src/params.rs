//! Parameters written as OpenAPI's styles say: a value is turned into JSON first, then into the
//! strings of a query string, a path segment, a header or cookies.

use serde::Serialize;
use serde_json::Value;

/// How a parameter value is written (OpenAPI's `style` and `explode`, or `content`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Style {
    /// Lists repeat the name (`explode`) or join with commas; objects give one parameter per
    /// property (`explode`) or `name=k,v,k,v`.
    Form {
        /// OpenAPI's `explode`.
        explode: bool,
    },
    /// Lists and objects joined with commas (`k=v` pairs when `explode`).
    Simple {
        /// OpenAPI's `explode`.
        explode: bool,
    },
    /// Lists joined with spaces.
    SpaceDelimited,
    /// Lists joined with `|`.
    PipeDelimited,
    /// Objects as `name[key]=value`.
    DeepObject,
    /// The value as JSON text.
    Json,
}

/// The `(name, value)` pairs a parameter contributes; empty for `null`.
pub(crate) fn pairs<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
) -> Result<Vec<(String, String)>, String> {
    let value = serde_json::to_value(value)
        .map_err(|e| format!("parameter `{name}` could not be serialized: {e}"))?;
    Ok(expand(name, &value, style))
}

/// One string for the whole value, for a path segment or a header.
pub(crate) fn single<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
) -> Result<String, String> {
    let value = serde_json::to_value(value)
        .map_err(|e| format!("parameter `{name}` could not be serialized: {e}"))?;
    let explode = matches!(
        style,
        Style::Simple { explode: true } | Style::Form { explode: true }
    );
    Ok(match (&value, style) {
        (_, Style::Json) => value.to_string(),
        (Value::Array(items), _) => join(items.iter().map(scalar), ","),
        (Value::Object(map), _) if explode => {
            join(entries(map).map(|(k, v)| format!("{k}={}", scalar(v))), ",")
        }
        (Value::Object(map), _) => {
            join(entries(map).flat_map(|(k, v)| [k.clone(), scalar(v)]), ",")
        }
        _ => scalar(&value),
    })
}

pub(crate) fn expand(name: &str, value: &Value, style: Style) -> Vec<(String, String)> {
    let one = |text: String| vec![(name.to_owned(), text)];
    match (value, style) {
        (Value::Null, _) => Vec::new(),
        (_, Style::Json) => one(value.to_string()),
        (Value::Array(items), Style::Form { explode: true } | Style::DeepObject) => items
            .iter()
            .map(|item| (name.to_owned(), scalar(item)))
            .collect(),
        (Value::Array(items), Style::SpaceDelimited) => one(join(items.iter().map(scalar), " ")),
        (Value::Array(items), Style::PipeDelimited) => one(join(items.iter().map(scalar), "|")),
        (Value::Array(items), _) => one(join(items.iter().map(scalar), ",")),
        (Value::Object(map), Style::Form { explode: true }) => entries(map)
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| (k.clone(), scalar(v)))
            .collect(),
        (Value::Object(map), Style::DeepObject) => deep_object(name, map),
        (Value::Object(map), Style::Simple { explode: true }) => one(join(
            entries(map).map(|(k, v)| format!("{k}={}", scalar(v))),
            ",",
        )),
        (Value::Object(map), _) => one(join(
            entries(map).flat_map(|(k, v)| [k.clone(), scalar(v)]),
            ",",
        )),
        _ => one(scalar(value)),
    }
}

/// An object's properties by name, whatever order `serde_json` keeps them in: the host may
/// enable its `preserve_order` feature, and the query string must not change with it.
fn entries(map: &serde_json::Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries.into_iter()
}

/// `name[key]=value`, nesting for objects inside objects and repeating `name[key][]` for lists.
fn deep_object(name: &str, map: &serde_json::Map<String, Value>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (key, value) in entries(map) {
        let key = format!("{name}[{key}]");
        match value {
            Value::Null => {}
            Value::Object(inner) => out.extend(deep_object(&key, inner)),
            Value::Array(items) => {
                out.extend(items.iter().map(|item| (format!("{key}[]"), scalar(item))))
            }
            other => out.push((key, scalar(other))),
        }
    }
    out
}

impl Style {
    /// `form`, exploded or not.
    pub const fn form(explode: bool) -> Style {
        Style::Form { explode }
    }

    /// `simple`, exploded or not.
    pub const fn simple(explode: bool) -> Style {
        Style::Simple { explode }
    }
}

/// A single value as text: strings as they are, other scalars as JSON, nested values as JSON.
pub(crate) fn scalar(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn join(items: impl Iterator<Item = String>, separator: &str) -> String {
    items.collect::<Vec<_>>().join(separator)
}
