//! The generated structs' `Deserialize` (the `de` module) reads what serde's derive reads, with
//! the same errors: each case decodes a hand-written `Object` and a derived twin side by side.

use std::collections::BTreeMap;

use serde::de::MapAccess;

use crate::runtime::de::{self, Object};

/// What generated code writes for `{ id: i64 (required), name: Option<String>, note:
/// Option<Option<String>> (optional, may be null) }` with extra properties kept.
#[derive(Debug, PartialEq)]
struct Pet {
    id: i64,
    name: Option<String>,
    note: Option<Option<String>>,
    rest: BTreeMap<String, serde_json::Value>,
}

impl<'de> serde::Deserialize<'de> for Pet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::object(deserializer)
    }
}

impl Object for Pet {
    const EXPECTING: &'static str = "struct Pet";

    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut f0 = None;
        let mut f1 = None;
        let mut f2 = None;
        let mut extra = BTreeMap::new();
        while let Some(key) = de::key(&mut map)? {
            match key.as_str() {
                "id" => de::field(&mut map, &mut f0, "id"),
                "name" => de::field(&mut map, &mut f1, "name"),
                "note" => de::field(&mut map, &mut f2, "note"),
                _ => de::extra(&mut map, &mut extra, key),
            }?;
        }
        Ok(Self {
            id: de::take(f0, "id")?,
            name: f1.flatten(),
            note: f2,
            rest: extra,
        })
    }
}

/// The same struct as serde's derive reads it (without extra properties, which the derive
/// can only flatten), under the same name so that errors can be compared.
mod derived {
    #[derive(Debug, PartialEq, serde::Deserialize)]
    pub struct Pet {
        pub id: i64,
        pub name: Option<String>,
    }
}
use derived::Pet as Derived;

/// A struct that skips unknown keys.
#[derive(Debug, PartialEq)]
struct Lean {
    id: i64,
    name: Option<String>,
}

impl<'de> serde::Deserialize<'de> for Lean {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::object(deserializer)
    }
}

impl Object for Lean {
    const EXPECTING: &'static str = "struct Pet";

    fn from_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        let mut f0 = None;
        let mut f1 = None;
        while let Some(key) = de::key(&mut map)? {
            match key.as_str() {
                "id" => de::field(&mut map, &mut f0, "id"),
                "name" => de::field(&mut map, &mut f1, "name"),
                _ => de::skip(&mut map),
            }?;
        }
        Ok(Self {
            id: de::take(f0, "id")?,
            name: de::take(f1, "name")?,
        })
    }
}

fn both(text: &str) -> (Result<Lean, String>, Result<Derived, String>) {
    (
        serde_json::from_str::<Lean>(text).map_err(|e| e.to_string()),
        serde_json::from_str::<Derived>(text).map_err(|e| e.to_string()),
    )
}

#[test]
fn reads_and_fails_like_the_derive() {
    let cases = [
        r#"{"id": 1, "name": "Rex"}"#,
        r#"{"id": 1}"#,
        r#"{"name": "Rex", "other": [1, {"a": null}]}"#,
        r#"{"id": 1, "id": 2}"#,
        r#"{"id": "one"}"#,
        r#"{"id": 1, "name": null}"#,
        r#"{"id": 1, "na\u006de": "escaped key"}"#,
        r#""text""#,
        r#"{"id": 1"#,
    ];
    for case in cases {
        let (lean, derived) = both(case);
        match (&lean, &derived) {
            (Ok(a), Ok(b)) => assert_eq!((a.id, &a.name), (b.id, &b.name), "{case}"),
            (Err(a), Err(b)) => assert_eq!(a, b, "{case}"),
            _ => panic!("{case}: {lean:?} against {derived:?}"),
        }
    }
}

#[test]
fn a_nullable_optional_field_keeps_null_apart_from_absent() {
    let read = |text: &str| serde_json::from_str::<Pet>(text).unwrap().note;
    assert_eq!(read(r#"{"id": 1}"#), None);
    assert_eq!(read(r#"{"id": 1, "note": null}"#), Some(None));
    assert_eq!(
        read(r#"{"id": 1, "note": "x"}"#),
        Some(Some("x".to_owned()))
    );
    let twice = serde_json::from_str::<Pet>(r#"{"id": 1, "note": null, "note": "x"}"#);
    assert!(
        twice
            .unwrap_err()
            .to_string()
            .contains("duplicate field `note`")
    );
}

#[test]
fn keys_not_listed_are_kept_as_extra_properties() {
    let pet: Pet = serde_json::from_str(r#"{"a": 1, "id": 2, "b": {"c": true}}"#).unwrap();
    assert_eq!(pet.id, 2);
    assert_eq!(
        pet.rest,
        BTreeMap::from([
            ("a".to_owned(), serde_json::json!(1)),
            ("b".to_owned(), serde_json::json!({"c": true})),
        ])
    );
}

#[test]
fn reads_from_a_json_value_as_unions_do() {
    let value = serde_json::json!({"id": 3, "name": "Rex", "x": 1});
    let pet: Pet = serde_json::from_value(value).unwrap();
    assert_eq!((pet.id, pet.name.as_deref()), (3, Some("Rex")));
    let missing = serde_json::from_value::<Pet>(serde_json::json!({})).unwrap_err();
    assert_eq!(missing.to_string(), "missing field `id`");
}

#[test]
fn an_array_is_not_a_struct() {
    let error = serde_json::from_str::<Lean>("[1, \"Rex\"]").unwrap_err();
    assert!(error.to_string().contains("expected struct Pet"), "{error}");
}
