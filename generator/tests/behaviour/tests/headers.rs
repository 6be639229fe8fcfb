//! Response headers the API description declares, read into typed structs from real responses
//! of a server on 127.0.0.1, next to the raw headers.

use headers::types::{ListItemsHeaders, ListItemsXModeHeader};
use headers::{Client, Error};
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_success_carries_its_declared_headers_typed() {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(["a", "b"])
                .insert_header("x-rate-limit-remaining", "17")
                .insert_header("X-Request-Id", "req-1")
                .insert_header("x-expires", "2030-01-02T03:04:05Z")
                .insert_header("x-flags", "new, hot")
                .insert_header("x-mode", "turbo")
                .insert_header("x-session-token", "s3cr3t-token")
                .insert_header("trace", "not-a-number-but-a-string"),
        )
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    let response = client.items().list().await.unwrap();
    let typed: &ListItemsHeaders = response.typed_headers();
    assert_eq!(typed.x_rate_limit_remaining, Some(17));
    assert_eq!(typed.x_request_id.as_deref(), Some("req-1"));
    assert_eq!(
        typed.x_expires.map(|d| d.to_rfc3339()),
        Some("2030-01-02T03:04:05+00:00".to_owned())
    );
    assert_eq!(
        typed.x_flags.as_deref(),
        Some(&["new".to_owned(), "hot".to_owned()][..])
    );
    // An enum value this crate does not know is kept.
    assert_eq!(
        typed.x_mode,
        Some(ListItemsXModeHeader::Unknown("turbo".to_owned()))
    );
    assert_eq!(typed.trace.as_deref(), Some("not-a-number-but-a-string"));
    assert_eq!(typed.retry_after, None);
    // The raw headers stay available, and secrets stay out of `Debug`.
    assert_eq!(response.headers()["x-mode"], "turbo");
    assert!(!format!("{typed:?}").contains("s3cr3t"));
    assert_eq!(typed.x_session_token.as_deref(), Some("s3cr3t-token"));
    assert_eq!(*response, ["a", "b"]);
}

#[tokio::test]
async fn an_error_reads_them_from_its_headers() {
    let server = MockServer::start().await;
    Mock::given(path("/items"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "30")
                .insert_header("x-rate-limit-remaining", "soon"),
        )
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .retry(headers::runtime::RetryPolicy::none())
        .build()
        .unwrap();
    let err = client.items().list().await.unwrap_err();
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.status, 429);
    let typed = ListItemsHeaders::from_headers(&api.headers);
    assert_eq!(typed.retry_after, Some(30));
    // Declared as an integer by the first response: a value that is not one is `None`.
    assert_eq!(typed.x_rate_limit_remaining, None);
}
