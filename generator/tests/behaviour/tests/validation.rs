//! Constraints of the API description, checked before a request leaves: a request that breaks
//! one fails at once with every violation named, and the server never sees it.

use validation::types::{Courier, Delivery, Line, Order, PlaceOrderParams};
use validation::{Client, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"total": 9.5})))
        .mount(&server)
        .await;
    server
}

fn valid_order() -> Order {
    Order::new(3, vec![Line::new("SKU-12", 2.5)])
        .with_note("leave it")
        .with_tags(vec!["ab".to_owned()])
        .with_delivery(Delivery::Courier(Courier::new(2)))
}

fn violations<T: std::fmt::Debug>(result: Result<T, Error<serde_json::Value>>) -> Vec<String> {
    match result {
        Err(Error::InvalidRequest(invalid)) => invalid
            .violations()
            .iter()
            .map(ToString::to_string)
            .collect(),
        other => panic!("expected an invalid request, got {other:?}"),
    }
}

#[tokio::test]
async fn a_valid_request_is_sent() {
    let server = server().await;
    let client = Client::new(server.uri()).unwrap();
    let params = PlaceOrderParams::new().with_limit(100).with_ids(vec![0, 7]);
    let receipt = client
        .orders()
        .place_order("ABC", &valid_order())
        .params(params)
        .await
        .unwrap();
    assert_eq!(receipt.total, Some(9.5));
}

#[tokio::test]
async fn constructors_and_bodies_follow_the_order_of_the_schema() {
    let server = server().await;
    let client = Client::new(server.uri()).unwrap();
    // `Order` lists `quantity` before `lines`, and `Line` lists `sku` before `price`: the
    // arguments come in that order, not the alphabet's, and so do the keys on the wire.
    let order = Order::new(2, vec![Line::new("SKU-7", 1.5)]);
    client.orders().place_order("ABC", &order).await.unwrap();
    let requests = server.received_requests().await.unwrap();
    let body = String::from_utf8(requests[0].body.clone()).unwrap();
    assert_eq!(
        body,
        r#"{"quantity":2,"lines":[{"sku":"SKU-7","price":1.5}]}"#
    );
}

#[tokio::test]
async fn every_violation_is_reported_and_nothing_is_sent() {
    let server = server().await;
    let client = Client::new(server.uri()).unwrap();
    let mut extras = std::collections::BTreeMap::new();
    extras.insert("gift".to_owned(), Line::new("SKU-1", 0.0));
    let order = Order::new(100, vec![Line::new("sku-1", 1.0)])
        .with_note("far too long")
        .with_discount(75.0)
        .with_tags(vec![
            "ok".to_owned(),
            "x".to_owned(),
            "yz".to_owned(),
            "w".to_owned(),
        ])
        .with_delivery(Delivery::Courier(Courier::new(0)))
        .with_extras(extras);
    let params = PlaceOrderParams::new()
        .with_limit(0)
        .with_ids(vec![1, -1, 2])
        .with_x_trace("short");
    let found = violations(
        client
            .orders()
            .place_order("abcd", &order)
            .params(params)
            .await,
    );
    assert_eq!(
        found,
        [
            "code must be at most 3 characters long",
            "code must match the pattern `^[A-Z]{3}$`",
            // The body's in the order in which its schema lists the properties.
            "body.quantity must be less than 100",
            "body.note must be at most 10 characters long",
            "body.discount must be at most 50",
            "body.tags must have at most 3 items",
            "body.tags[1] must be at least 2 characters long",
            "body.tags[3] must be at least 2 characters long",
            "body.lines[0].sku must match the pattern `^SKU-[0-9]+$`",
            "body.delivery.eta_days must be at least 1",
            r#"body.extras["gift"].price must be greater than 0"#,
            // Optional parameters are checked when the call is sent, after the body.
            "params.ids must have at most 2 items",
            "params.ids[1] must be at least 0",
            "params.limit must be at least 1",
            "params.X-Trace must be at least 8 characters long",
        ]
    );
    assert!(server.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn unchecked_patterns_and_read_only_fields_do_not_block_a_request() {
    let server = server().await;
    let client = Client::new(server.uri()).unwrap();
    // `nickname`'s pattern uses look-ahead, which the client does not check.
    let order = valid_order().with_nickname("admin");
    client.orders().place_order("XYZ", &order).await.unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn a_call_can_send_a_request_the_description_would_reject() {
    let server = server().await;
    let client = Client::new(server.uri()).unwrap();
    let order = valid_order().with_note("longer than ten");
    client
        .orders()
        .place_order("ABC", &order)
        .without_validation()
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}
