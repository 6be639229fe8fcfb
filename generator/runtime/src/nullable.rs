//! Serde support for optional fields that may also be `null`, kept apart as `Option<Option<T>>`:
//! `None` is absent (not sent), `Some(None)` is an explicit `null`, `Some(Some(v))` is a value.
//!
//! Use with `#[serde(default, skip_serializing_if = "Option::is_none", with = "...nullable")]`.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Writes `Some(None)` as `null` and `Some(Some(v))` as `v`; `None` is skipped by the field's
/// `skip_serializing_if` and never reaches this function.
pub fn serialize<T, S>(value: &Option<Option<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    T: Serialize,
    S: Serializer,
{
    match value {
        Some(inner) => inner.serialize(serializer),
        None => serializer.serialize_none(),
    }
}

/// Reads a present field: `null` becomes `Some(None)`, a value `Some(Some(v))`. An absent field
/// never reaches this function; the field's `default` makes it `None`.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
