//! Requests and responses of generated operations against a real HTTP server on 127.0.0.1:
//! parameter styles, body encodings, and responses that differ by status.

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn parameters_are_written_in_their_styles() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = params::Client::new(server.uri()).unwrap();
    let since = chrono::DateTime::parse_from_rfc3339("2024-01-02T03:04:05Z").unwrap();
    let query = params::types::SearchQuery::new().with_q("a&b");
    let query_params = params::types::SearchParams::new(since)
        .with_filter(
            params::types::SearchFilter::new()
                .with_color("red")
                .with_size(3),
        )
        .with_point(params::types::SearchPoint::new().with_x(1.5).with_y(2.0))
        .with_spaced(vec!["a".to_owned(), "b".to_owned()])
        .with_piped(vec!["c".to_owned(), "d".to_owned()])
        .with_x_tags(vec!["t1".to_owned(), "t2".to_owned()])
        .with_prefs("dark")
        .with_query(query);
    client.items().search(&[1, 2], &query_params).await.unwrap();

    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.url.path(), "/items/1,2");
    let pairs: Vec<(String, String)> = request
        .url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let expected: Vec<(String, String)> = [
        ("filter[color]", "red"),
        ("filter[size]", "3"),
        ("piped", "c|d"),
        ("point", "x,1.5,y,2.0"),
        ("query", r#"{"q":"a&b"}"#),
        ("since", "2024-01-02T03:04:05Z"),
        ("spaced", "a b"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    assert_eq!(pairs, expected);
    assert_eq!(request.headers.get("x-tags").unwrap(), "t1,t2");
    assert_eq!(request.headers.get("cookie").unwrap(), "prefs=dark");
}

#[tokio::test]
async fn bodies_are_encoded_as_declared() {
    let server = MockServer::start().await;
    Mock::given(path("/login"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(path("/upload"))
        .respond_with(ResponseTemplate::new(201).set_body_string("stored as 7"))
        .mount(&server)
        .await;
    let client = bodies::Client::new(server.uri()).unwrap();

    client
        .login()
        .login(&bodies::types::LoginRequest::new("ann").with_remember(true))
        .await
        .unwrap();
    let file = bodies::runtime::Binary::new(b"DATA".to_vec()).with_file_name("d.bin");
    let stored = client
        .upload()
        .upload(&bodies::types::UploadRequest::new(file).with_title("doc"))
        .await
        .unwrap();
    assert_eq!(stored.body(), "stored as 7");

    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(
        std::str::from_utf8(&requests[0].body).unwrap(),
        "remember=true&user=ann"
    );
    let upload = String::from_utf8_lossy(&requests[1].body);
    assert!(
        upload.contains("name=\"file\"; filename=\"d.bin\""),
        "{upload}"
    );
    assert!(upload.contains("name=\"title\"\r\n\r\ndoc"), "{upload}");
}

#[tokio::test]
async fn responses_decode_by_status() {
    use bodies::types::{PostNoteError, PostNoteRequest, PostNoteResponse};
    let server = MockServer::start().await;
    let reply = |status: u16, body: &str, kind: &str| {
        ResponseTemplate::new(status).set_body_raw(body.to_owned(), kind)
    };
    Mock::given(path("/note"))
        .respond_with(reply(202, r#"{"ticket": 7}"#, "application/json"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/note"))
        .respond_with(reply(404, "no such note", "text/plain"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/note"))
        .respond_with(reply(503, "<html>busy</html>", "text/html"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/note"))
        .respond_with(reply(418, r#"{"message": "teapot"}"#, "application/json"))
        .mount(&server)
        .await;
    let client = bodies::Client::new(server.uri()).unwrap();
    let note = PostNoteRequest::new().with_text("hi");

    let accepted = client.note().post(&note).await.unwrap().into_body();
    assert!(
        matches!(accepted, PostNoteResponse::Status202(ref r) if r.ticket == Some(7)),
        "{accepted:?}"
    );
    let not_found = client.note().post(&note).await.unwrap_err();
    assert!(
        matches!(not_found.api_error(), Some(PostNoteError::Status404(text)) if text == "no such note")
    );
    let busy = client.note().post(&note).await.unwrap_err();
    assert!(matches!(busy.api_error(), Some(PostNoteError::Status5xx)));
    let other = client.note().post(&note).await.unwrap_err();
    match other.api_error() {
        Some(PostNoteError::Default(body)) => assert_eq!(body.message.as_deref(), Some("teapot")),
        unexpected => panic!("{unexpected:?}"),
    }
    assert_eq!(other.status().map(|s| s.as_u16()), Some(418));
}

/// An operation with an idempotency-key header: the client sends a new key unless the caller
/// gives one, the same key on every attempt, and retries the POST it would otherwise not.
#[tokio::test]
async fn an_idempotency_key_is_filled_once_per_call_and_allows_retries() {
    let server = MockServer::start().await;
    Mock::given(path("/orders"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(path("/orders"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = params::Client::new(server.uri()).unwrap();
    client.orders().place_order().await.unwrap();
    let given = params::types::PlaceOrderParams::new().with_idempotency_key("mine-1");
    client.orders().place_order().params(given).await.unwrap();

    let requests = server.received_requests().await.unwrap();
    let keys: Vec<&str> = requests
        .iter()
        .map(|r| r.headers.get("idempotency-key").unwrap().to_str().unwrap())
        .collect();
    assert_eq!(keys.len(), 3, "one retry after the 503: {keys:?}");
    assert_eq!(keys[0], keys[1], "the same key on both attempts");
    assert_eq!(keys[0].len(), 36, "{}", keys[0]);
    assert_eq!(keys[2], "mine-1");
}
