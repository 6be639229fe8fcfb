//! An OpenAPI 3.2 description used as a user would: the `QUERY` method with a body, groups
//! nested by the tags' `parent`, and an event stream whose items the spec describes with
//! `itemSchema`, against a real HTTP server on 127.0.0.1.

use futures_util::StreamExt as _;
use search::Client;
use search::types::Search;
use serde_json::json;
use wiremock::matchers::{body_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_query_sends_its_body_with_the_query_method() {
    let server = MockServer::start().await;
    Mock::given(method("QUERY"))
        .and(path("/products/search"))
        .and(body_json(json!({"text": "tea", "limit": 2})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([
            {"id": "1", "name": "green tea"}
        ])))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let found = client
        .catalog()
        .products()
        .search(&Search::new("tea").with_limit(2))
        .await
        .unwrap();
    assert_eq!(found[0].name, "green tea");
}

#[tokio::test]
async fn item_schemas_type_the_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/products/feed"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "event: product\nid: 7\ndata: {\"id\": \"7\", \"name\": \"cup\"}\n\n",
            "text/event-stream",
        ))
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let mut events = client.catalog().products().product_feed().await.unwrap();
    let event = events.next().await.unwrap().unwrap();
    assert_eq!(event.event, "product");
    assert_eq!(event.data.unwrap().name, "cup");
    assert!(events.next().await.is_none());
}
