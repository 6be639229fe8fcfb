//! Constraint checks: paths, messages, and requests that break constraints never leaving.

use std::collections::BTreeMap;

use reqwest::Method;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::{
    Call, Client, Error, Path, Request, Validate, Violations, decode_json, decode_nothing,
};

/// A type as generated code writes one: a bounded number and a list of bounded strings.
struct Order {
    quantity: i64,
    note: Option<String>,
    tags: Vec<String>,
}

impl Validate for Order {
    fn validate(&self, path: &Path<'_>, out: &mut Violations) {
        out.at_least(&path.field("quantity"), self.quantity as f64, 1.0);
        out.less_than(&path.field("quantity"), self.quantity as f64, 100.0);
        if let Some(note) = &self.note {
            out.max_length(&path.field("note"), note, 5);
        }
        let tags = path.field("tags");
        out.max_items(&tags, self.tags.len(), 2);
        for (index, tag) in self.tags.iter().enumerate() {
            out.min_length(&tags.index(index), tag, 2);
        }
    }
}

fn check<T: Validate + ?Sized>(value: &T) -> Vec<String> {
    let mut out = Violations::new();
    value.validate(&Path::root("body"), &mut out);
    out.list().iter().map(ToString::to_string).collect()
}

#[test]
fn every_broken_constraint_is_reported_with_its_path() {
    let order = Order {
        quantity: 0,
        note: Some("héllo!".to_owned()),
        tags: vec!["ok".to_owned(), "x".to_owned(), "abc".to_owned()],
    };
    assert_eq!(
        check(&order),
        [
            "body.quantity must be at least 1",
            "body.note must be at most 5 characters long",
            "body.tags must have at most 2 items",
            "body.tags[1] must be at least 2 characters long",
        ]
    );
    let fine = Order {
        quantity: 99,
        note: Some("héllo".to_owned()),
        tags: vec![],
    };
    assert!(check(&fine).is_empty());
}

#[test]
fn bounds_are_inclusive_or_exclusive_and_nan_always_fails() {
    let root = Path::root("x");
    let mut out = Violations::new();
    out.at_least(&root, 5.0, 5.0);
    out.at_most(&root, 5.0, 5.0);
    assert!(out.is_empty());
    out.greater_than(&root, 5.0, 5.0);
    out.less_than(&root, 5.0, 5.0);
    out.at_most(&root, f64::NAN, 5.0);
    out.at_least(&root, 0.25, 0.5);
    let messages: Vec<&str> = out.list().iter().map(|v| v.message()).collect();
    assert_eq!(
        messages,
        [
            "must be greater than 5",
            "must be less than 5",
            "must be at most 5",
            "must be at least 0.5",
        ]
    );
}

#[test]
fn lengths_count_characters_not_bytes() {
    let root = Path::root("name");
    let mut out = Violations::new();
    // Four characters, eight bytes.
    out.max_length(&root, "ééèè", 4);
    out.min_length(&root, "ééèè", 4);
    assert!(out.is_empty());
    out.min_length(&root, "ééè", 4);
    out.max_length(&root, "ééèèe", 4);
    assert_eq!(out.list().len(), 2);
}

#[test]
fn containers_validate_their_contents_with_paths() {
    let mut map = BTreeMap::new();
    map.insert(
        "first".to_owned(),
        Order {
            quantity: 500,
            note: None,
            tags: vec![],
        },
    );
    assert_eq!(
        check(&map),
        [r#"body["first"].quantity must be less than 100"#]
    );
    let list = vec![Some(Box::new(Order {
        quantity: 1,
        note: None,
        tags: vec!["a".to_owned()],
    }))];
    assert_eq!(
        check(&list),
        ["body[0].tags[0] must be at least 2 characters long"]
    );
}

#[test]
fn patterns_report_the_pattern_but_never_the_value() {
    let mut out = Violations::new();
    out.pattern(&Path::root("password"), false, "^[a-z]+$");
    let text = out.list()[0].to_string();
    assert_eq!(text, "password must match the pattern `^[a-z]+$`");
}

#[tokio::test]
async fn a_request_that_breaks_a_constraint_is_not_sent_unless_the_call_opts_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).build().unwrap();
    let order = Order {
        quantity: 3,
        note: Some("far too long".to_owned()),
        tags: vec![],
    };
    let request = || {
        let mut request = Request::new(Method::POST, "/orders".to_owned());
        request.json(&serde_json::json!({}));
        request.validate(&order, "body");
        request
    };
    let call: Call<'_, (), serde_json::Value> =
        Call::new(&client, request(), decode_nothing, decode_json);
    let err = call.await.unwrap_err();
    let Error::InvalidRequest(invalid) = &err else {
        panic!("expected an invalid request, got {err:?}");
    };
    assert_eq!(invalid.violations().len(), 1);
    assert_eq!(invalid.violations()[0].path(), "body.note");
    assert_eq!(
        err.to_string(),
        "invalid request: body.note must be at most 5 characters long"
    );
    assert!(server.received_requests().await.unwrap().is_empty());

    let call: Call<'_, (), serde_json::Value> =
        Call::new(&client, request(), decode_nothing, decode_json);
    call.without_validation().await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
