//! The generated structs' `Serialize` (the `ser` module) writes what serde's derive writes: each
//! case serializes a hand-written impl, as generated code writes it, and a derived twin.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::runtime::ser;

/// Like generated code, it leaves the read-only `made` out.
struct Pet {
    id: i64,
    tag: Option<String>,
    note: Option<Option<String>>,
    #[allow(dead_code)]
    made: Option<String>,
}

impl Serialize for Pet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = ser::start(
            serializer,
            "Pet",
            1,
            &[self.tag.is_some(), self.note.is_some()],
        )?;
        fields.field("id", &self.id);
        fields.optional("tag", &self.tag);
        fields.nullable("note", &self.note);
        fields.end()
    }
}

#[derive(Serialize)]
struct Derived {
    id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<Option<String>>,
    #[serde(skip_serializing)]
    #[allow(dead_code)]
    made: Option<String>,
}

#[test]
fn writes_what_the_derive_writes() {
    let notes = [None, Some(None), Some(Some("n".to_owned()))];
    for tag in [None, Some("t".to_owned())] {
        for note in notes.clone() {
            let made = Some("server".to_owned());
            let ours = Pet {
                id: 7,
                tag: tag.clone(),
                note: note.clone(),
                made: made.clone(),
            };
            let derived = Derived {
                id: 7,
                tag: tag.clone(),
                note,
                made,
            };
            let ours = serde_json::to_string(&ours).unwrap();
            assert_eq!(ours, serde_json::to_string(&derived).unwrap());
            assert!(!ours.contains("server"), "{ours}");
        }
    }
}

struct Bag {
    id: i64,
    rest: BTreeMap<String, i64>,
}

impl Serialize for Bag {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut fields = ser::start_map(serializer)?;
        fields.field("id", &self.id);
        fields.extra(&self.rest);
        fields.end()
    }
}

#[derive(Serialize)]
struct DerivedBag {
    id: i64,
    #[serde(flatten)]
    rest: BTreeMap<String, i64>,
}

#[test]
fn extra_properties_follow_the_fields_as_flatten_writes_them() {
    let rest = BTreeMap::from([("b".to_owned(), 2), ("a".to_owned(), 1)]);
    let ours = serde_json::to_string(&Bag {
        id: 0,
        rest: rest.clone(),
    })
    .unwrap();
    let derived = serde_json::to_string(&DerivedBag { id: 0, rest }).unwrap();
    assert_eq!(ours, derived);
    assert_eq!(ours, r#"{"id":0,"a":1,"b":2}"#);
}

#[test]
fn the_first_failed_write_is_the_result() {
    let mut rest = BTreeMap::new();
    rest.insert("a".to_owned(), f64::NAN);
    struct Keys(BTreeMap<String, f64>);
    impl Serialize for Keys {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            let mut fields = ser::start_map(serializer)?;
            fields.field("bad", &Unwritable);
            fields.extra(&self.0);
            fields.end()
        }
    }
    struct Unwritable;
    impl Serialize for Unwritable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("cannot be written"))
        }
    }
    let error = serde_json::to_string(&Keys(rest)).unwrap_err();
    assert_eq!(error.to_string(), "cannot be written");
}
