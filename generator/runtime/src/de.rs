//! Deserialization of generated structs, written once. A generated struct implements [`Object`]
//! (one loop over the keys of a JSON object, one line per field) and its `Deserialize` calls
//! [`object`]; everything the fields share (the visitor, the key type, duplicate and missing
//! fields) is here instead of in every struct.
//!
//! It reads what `#[derive(Deserialize)]` reads, with the same errors (`missing field`,
//! `duplicate field`, `invalid type: ..., expected struct Name`): unknown keys are skipped, an
//! absent `Option` field is `None`, and a struct with extra properties keeps the unknown keys.
//! Unlike the derive, it takes a struct from a JSON object only, never from an array.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

/// A struct read from the entries of a map, as generated code writes it.
pub trait Object: Sized {
    /// What an error says was expected: `struct Name`.
    const EXPECTING: &'static str;

    /// Reads the struct from the entries of `map`.
    fn from_map<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Deserializes an [`Object`] from a map.
pub fn object<'de, T: Object, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

struct ObjectVisitor<T>(PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(T::EXPECTING)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::from_map(map)
    }
}

/// A key of a map, borrowed from the input when the input allows it.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("field identifier")
    }

    fn visit_borrowed_str<E: de::Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(value)))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value)))
    }

    fn visit_bytes<E: de::Error>(self, value: &[u8]) -> Result<Key<'de>, E> {
        Ok(Key(String::from_utf8_lossy(value).into_owned().into()))
    }
}

/// The next key of `map`, or `None` after the last entry.
pub fn key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
    map.next_key()
}

/// Reads the value of field `name` into `slot`, refusing a second value for it. For a field
/// that may be `null` and may be absent (`Option<Option<T>>`), `null` is read as `Some(None)`,
/// apart from absence (`None`), and the slot is the field's value as it is.
pub fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(de::Error::duplicate_field(name));
    }
    *slot = Some(map.next_value()?);
    Ok(())
}

/// Keeps the entry at `key`, which is not a listed field, among the extra properties.
pub fn extra<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
    extra: &mut BTreeMap<String, T>,
    key: Key<'de>,
) -> Result<(), A::Error> {
    extra.insert(key.0.into_owned(), map.next_value()?);
    Ok(())
}

/// Skips the value of a key the struct does not have.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(drop)
}

/// The value of field `name` once the map has ended: what was read, or what an absent field
/// means for its type (`None` for an `Option`; for any other type, a `missing field` error).
pub fn take<'de, T: Deserialize<'de>, E: de::Error>(
    slot: Option<T>,
    name: &'static str,
) -> Result<T, E> {
    match slot {
        Some(value) => Ok(value),
        None => T::deserialize(Missing(name, PhantomData)),
    }
}

/// The deserializer of an absent field: `None` to a type that accepts it, `missing field` to
/// any other.
struct Missing<E>(&'static str, PhantomData<E>);

impl<'de, E: de::Error> Deserializer<'de> for Missing<E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, E> {
        Err(de::Error::missing_field(self.0))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        visitor.visit_none()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}
