//! YAML into JSON values, directly (through the tree builder in `json_tree.rs`), with merge keys
//! (`<<`) applied.

use serde::de::Deserializer;
use serde_json::Value;

use super::json_tree::JsonVisitor;

/// Parses YAML text into a JSON value.
pub(super) fn parse(text: &str) -> Result<Value, serde_yaml::Error> {
    let deserializer = serde_yaml::Deserializer::from_str(text);
    let mut value = deserializer.deserialize_any(JsonVisitor)?;
    apply_merge_keys(&mut value);
    Ok(value)
}

/// Applies YAML merge keys: `<<: *base` (or a list of them) adds the entries the mapping does not
/// have itself.
fn apply_merge_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            if let Some(merged) = map.remove("<<") {
                let sources = match merged {
                    Value::Array(items) => items,
                    other => vec![other],
                };
                for source in sources {
                    if let Value::Object(source) = source {
                        for (key, value) in source {
                            map.entry(key).or_insert(value);
                        }
                    }
                }
            }
            map.values_mut().for_each(apply_merge_keys);
        }
        Value::Array(items) => items.iter_mut().for_each(apply_merge_keys),
        _ => {}
    }
}
