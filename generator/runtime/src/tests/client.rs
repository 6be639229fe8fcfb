//! The send path against a real HTTP server on 127.0.0.1.

use reqwest::Method;
use wiremock::matchers::{body_bytes, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::{
    ApiKeyLocation, Call, Client, Credential, Error, Request, Style, decode_json,
};

const BASIC: &[&[&str]] = &[&["basic"]];

fn post(path: &str) -> Request {
    let mut request = Request::new(Method::POST, path.to_owned());
    request.security(BASIC);
    request
}

fn call(client: &Client, request: Request) -> Call<'_, serde_json::Value, serde_json::Value> {
    Call::new(client, request, decode_json, decode_json)
}

#[tokio::test]
async fn sends_method_path_query_headers_credentials_and_json() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/things/a%2Fb"))
        .and(query_param("limit", "10"))
        .and(header("authorization", "Basic dXNlcjpwYXNz"))
        .and(header("content-type", "application/json"))
        .and(header("x-trace", "t-1"))
        .and(header(
            "user-agent",
            concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
        ))
        .and(body_bytes(br#"{"a":1}"#.to_vec()))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"ok":true}"#, "application/json"))
        .expect(1)
        .mount(&server)
        .await;

    let client = Client::builder(format!("{}/", server.uri()))
        .credential("basic", Credential::basic("user", "pass"))
        .build()
        .unwrap();
    let mut request = post(&format!(
        "/v1/things/{}",
        crate::runtime::encode_path_segment("a/b")
    ));
    request.query_param("limit", &10, Style::Form { explode: true });
    request.header_param("x-trace", "t-1", Style::Simple { explode: false });
    request.json(&serde_json::json!({"a": 1}));
    let response = call(&client, request).await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.body(), &serde_json::json!({"ok": true}));
}

#[tokio::test]
async fn without_credentials_the_request_goes_out_bare() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();
    call(&client, post("/x")).await.unwrap();
    let received = server.received_requests().await.unwrap();
    assert!(received[0].headers.get("authorization").is_none());
}

#[tokio::test]
async fn a_credential_for_every_request_goes_with_undeclared_security_too() {
    let elsewhere = MockServer::start().await;
    Mock::given(path("/landing"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(path("/away"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/landing", elsewhere.uri())),
        )
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .credential_for_every_request(Credential::bearer("every-token"))
        .build()
        .unwrap();
    assert!(!format!("{client:?}").contains("every-token"));
    // An operation that declares no security still gets it.
    call(&client, Request::new(Method::GET, "/open".to_owned()))
        .await
        .unwrap();
    let received = server.received_requests().await.unwrap();
    assert_eq!(received[0].headers["authorization"], "Bearer every-token");
    // A redirect to another origin drops it.
    call(&client, Request::new(Method::GET, "/away".to_owned()))
        .await
        .unwrap();
    let foreign = &elsewhere.received_requests().await.unwrap()[0];
    assert!(foreign.headers.get("authorization").is_none());
}

#[tokio::test]
async fn error_statuses_decode_the_error_body_or_keep_the_raw_one() {
    let server = MockServer::start().await;
    Mock::given(path("/json"))
        .respond_with(
            ResponseTemplate::new(429).set_body_raw(r#"{"e":"slow"}"#, "application/json"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/html"))
        .respond_with(
            ResponseTemplate::new(502).set_body_raw("<html>bad gateway</html>", "text/html"),
        )
        .mount(&server)
        .await;
    let client = Client::new(server.uri()).unwrap();

    match call(&client, post("/json")).await {
        Err(Error::Api(e)) => {
            assert_eq!(e.status, 429);
            assert_eq!(e.body, serde_json::json!({"e": "slow"}));
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    match call(&client, post("/html")).await {
        Err(Error::UnexpectedResponse(e)) => {
            assert_eq!(e.status, 502);
            assert_eq!(&e.body[..], b"<html>bad gateway</html>");
            assert!(!format!("{e:?}").contains("bad gateway"));
        }
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}

#[tokio::test]
async fn transport_errors_do_not_reveal_the_url_or_query_credentials() {
    // Bind and drop a listener to get a port where nothing listens.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let client = Client::builder(format!("http://127.0.0.1:{port}"))
        .credential(
            "key",
            Credential::api_key(ApiKeyLocation::Query, "api_key", "query-secret"),
        )
        .build()
        .unwrap();
    let mut request = Request::new(Method::GET, "/x".to_owned());
    request.security(&[&["key"]]);
    let err = call(&client, request).await.unwrap_err();
    let Error::Transport(transport) = &err else {
        panic!("expected a transport error, got {err:?}");
    };
    assert!(transport.is_connect());
    for text in [err.to_string(), format!("{err:?}")] {
        assert!(!text.contains("query-secret"), "{text}");
        assert!(!text.contains("api_key"), "{text}");
    }
}

#[tokio::test]
async fn an_unbuildable_request_fails_before_sending() {
    let client = Client::new("http://127.0.0.1:9").unwrap();
    let mut request = post("/x");
    request.header_param("bad header", "v", Style::Simple { explode: false });
    assert!(matches!(
        call(&client, request).await,
        Err(Error::InvalidRequest(_))
    ));
}

#[test]
fn base_urls_must_be_absolute_and_are_not_echoed_with_credentials() {
    let err = Client::new("/api/v3").unwrap_err();
    assert!(err.to_string().contains("absolute"), "{err}");
    assert!(err.to_string().contains("relative_to"), "{err}");

    let client = Client::builder("https://user:url-secret@example.com/")
        .credential("basic", Credential::basic("project", "basic-secret"))
        .build()
        .unwrap();
    let debug = format!("{client:?}");
    assert!(!debug.contains("url-secret"), "{debug}");
    assert!(!debug.contains("basic-secret"), "{debug}");
    assert!(debug.contains("example.com"), "{debug}");
}

#[tokio::test]
async fn a_relative_server_is_resolved_against_the_given_origin() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v3/things"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder("/api/v3")
        .relative_to(server.uri())
        .build()
        .unwrap();
    assert_eq!(client.base_url(), format!("{}/api/v3", server.uri()));
    call(&client, Request::new(Method::GET, "/things".to_owned()))
        .await
        .unwrap();
    // Relative to the address of the description itself, as OpenAPI has it.
    let beside = Client::builder("v2")
        .relative_to("https://example.com/docs/openapi.yaml")
        .build()
        .unwrap();
    assert_eq!(beside.base_url(), "https://example.com/docs/v2");
    // An absolute base URL is used as it is.
    let absolute = Client::builder("https://api.example.com/v1")
        .relative_to("https://elsewhere.example.com")
        .build()
        .unwrap();
    assert_eq!(absolute.base_url(), "https://api.example.com/v1");
    let err = Client::builder("/api")
        .relative_to("not a url")
        .build()
        .unwrap_err();
    assert!(err.to_string().contains("resolved against"), "{err}");
}
