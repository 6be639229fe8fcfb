//! Parameter styles: the strings each style writes for single values, lists and objects.

use serde_json::json;

use crate::runtime::Style;
use crate::runtime::params::{pairs, single};

fn pairs_of(value: serde_json::Value, style: Style) -> Vec<(String, String)> {
    pairs("p", &value, style).unwrap()
}

fn p(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn single_values() {
    assert_eq!(
        pairs_of(json!("a b"), Style::Form { explode: true }),
        p(&[("p", "a b")])
    );
    assert_eq!(
        pairs_of(json!(5), Style::Form { explode: true }),
        p(&[("p", "5")])
    );
    assert_eq!(
        pairs_of(json!(true), Style::Form { explode: false }),
        p(&[("p", "true")])
    );
    assert_eq!(pairs_of(json!(null), Style::Form { explode: true }), p(&[]));
}

#[test]
fn lists_by_style() {
    let list = json!(["a", "b", 3]);
    assert_eq!(
        pairs_of(list.clone(), Style::Form { explode: true }),
        p(&[("p", "a"), ("p", "b"), ("p", "3")])
    );
    assert_eq!(
        pairs_of(list.clone(), Style::Form { explode: false }),
        p(&[("p", "a,b,3")])
    );
    assert_eq!(
        pairs_of(list.clone(), Style::SpaceDelimited),
        p(&[("p", "a b 3")])
    );
    assert_eq!(
        pairs_of(list.clone(), Style::PipeDelimited),
        p(&[("p", "a|b|3")])
    );
    assert_eq!(
        single("p", &list, Style::Simple { explode: false }).unwrap(),
        "a,b,3"
    );
}

#[test]
fn objects_by_style() {
    let object = json!({"role": "admin", "first": "Alex"});
    assert_eq!(
        pairs_of(object.clone(), Style::Form { explode: true }),
        p(&[("first", "Alex"), ("role", "admin")])
    );
    assert_eq!(
        pairs_of(object.clone(), Style::Form { explode: false }),
        p(&[("p", "first,Alex,role,admin")])
    );
    assert_eq!(
        pairs_of(object.clone(), Style::DeepObject),
        p(&[("p[first]", "Alex"), ("p[role]", "admin")])
    );
    assert_eq!(
        single("p", &object, Style::Simple { explode: true }).unwrap(),
        "first=Alex,role=admin"
    );
    assert_eq!(
        single("p", &object, Style::Simple { explode: false }).unwrap(),
        "first,Alex,role,admin"
    );
    let nested = json!({"a": {"b": 1}, "c": [1, 2]});
    assert_eq!(
        pairs_of(nested, Style::DeepObject),
        p(&[("p[a][b]", "1"), ("p[c][]", "1"), ("p[c][]", "2")])
    );
}

#[test]
fn json_style_writes_json_text() {
    assert_eq!(
        pairs_of(json!({"a": [1]}), Style::Json),
        p(&[("p", r#"{"a":[1]}"#)])
    );
    assert_eq!(pairs_of(json!("s"), Style::Json), p(&[("p", r#""s""#)]));
}
