//! Support for unions (`oneOf`, `anyOf`): trying alternatives in order, and reading and writing
//! the discriminator property of tagged unions.

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The value as `T`, if it decodes as one.
pub fn try_decode<T: DeserializeOwned>(value: &Value) -> Option<T> {
    T::deserialize(value).ok()
}

/// The value as `T`, or why not.
pub fn decode_variant<T: DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(value)
}

/// The discriminator property of an object, if it is a string.
pub fn discriminator<'v>(value: &'v Value, property: &str) -> Option<&'v str> {
    value.as_object()?.get(property)?.as_str()
}

/// Writes `value` with the discriminator property set to `tag` when the value does not carry it.
pub fn serialize_tagged<T: Serialize, S: Serializer>(
    value: &T,
    property: &str,
    tag: &str,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let Some(object) = json.as_object_mut() {
        object
            .entry(property.to_owned())
            .or_insert_with(|| Value::String(tag.to_owned()));
    }
    json.serialize(serializer)
}
