//! `string_enum!`: known values get their variant whichever way they are built.

use crate::runtime::enums::{string_enum, string_enum_deserialize, string_enum_serialize};

#[derive(Clone, Debug)]
enum Color {
    Red,
    Empty,
    Other(String),
}

impl Color {
    fn as_str(&self) -> &str {
        match self {
            Self::Red => "red",
            Self::Empty => "",
            Self::Other(value) => value,
        }
    }

    fn known(value: &str) -> Option<Self> {
        match value {
            "red" => Some(Self::Red),
            "" => Some(Self::Empty),
            _ => None,
        }
    }
}

string_enum!(Color, Other);
string_enum_serialize!(Color);
string_enum_deserialize!(Color);

#[test]
fn known_values_become_their_variant_and_others_are_kept() {
    assert_eq!(Color::from("red"), Color::Red);
    assert_eq!(Color::from(String::from("red")), Color::Red);
    assert_eq!("".parse::<Color>(), Ok(Color::Empty));
    assert_eq!(Color::from("blue"), Color::Other("blue".to_owned()));
    assert_eq!(
        Color::from(String::from("Red")),
        Color::Other("Red".to_owned())
    );
}

#[test]
fn display_gives_the_wire_value() {
    assert_eq!(Color::Red.to_string(), "red");
    assert_eq!(Color::Empty.to_string(), "");
    assert_eq!(Color::Other("blue".to_owned()).to_string(), "blue");
}

#[test]
fn serde_uses_the_wire_value() {
    assert_eq!(serde_json::to_string(&Color::Red).unwrap(), r#""red""#);
    assert_eq!(
        serde_json::from_str::<Color>(r#""red""#).unwrap(),
        Color::Red
    );
    assert_eq!(
        serde_json::from_str::<Color>(r#""blue""#).unwrap(),
        Color::Other("blue".to_owned())
    );
    assert!(serde_json::from_str::<Color>("1").is_err());
}

#[test]
fn values_compare_hash_and_sort_as_their_wire_values() {
    use std::collections::BTreeSet;
    use std::hash::{BuildHasher, RandomState};
    assert_eq!(Color::Other("red".to_owned()), Color::Red);
    assert_ne!(Color::Other("blue".to_owned()), Color::Red);
    let hasher = RandomState::new();
    assert_eq!(
        hasher.hash_one(Color::Other("red".to_owned())),
        hasher.hash_one(Color::Red)
    );
    let sorted: Vec<String> = [Color::Red, Color::Other("blue".to_owned()), Color::Empty]
        .into_iter()
        .collect::<BTreeSet<_>>()
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(sorted, ["", "blue", "red"]);
}
