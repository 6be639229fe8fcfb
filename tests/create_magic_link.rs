//! The generated Stytch SDK's create call against a real HTTP server on 127.0.0.1: what goes on
//! the wire, how responses and errors decode, and what `Debug` shows.

use serde_json::json;
use stytch_magic_links::types::{
    ApiAttributeV1Attributes, ApiMagicV1CreateRequest, ApiMagicV1CreateResponse, ErrorType,
};
use stytch_magic_links::{Client, Error, servers};
use wiremock::matchers::{body_json, header, method, path};
mod support;

use support::stytch_error;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PROJECT_ID: &str = "project-test-6c20cd16-73d5-44f7-852c-9a7e7b2ccf62";
const SECRET: &str = "secret-test-Yy5vD0o1jHd9hlf4c1NXbJ5xvO1Nq2wLc2M=";
/// base64("project-test-6c20cd16-73d5-44f7-852c-9a7e7b2ccf62:secret-test-Yy5vD0o1jHd9hlf4c1NXbJ5xvO1Nq2wLc2M="),
/// computed independently of the SDK.
const BASIC: &str = "Basic cHJvamVjdC10ZXN0LTZjMjBjZDE2LTczZDUtNDRmNy04NTJjLTlhN2U3YjJjY2Y2MjpzZWNyZXQtdGVzdC1ZeTV2RDBvMWpIZDlobGY0YzFOWGJKNXh2TzFOcTJ3TGMyTT0=";
const TOKEN: &str = "DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94=";

fn created() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "request_id": "request-id-test-55c1f5ea-2b6e-4b2b-8b0c-000000000001",
        "user_id": "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6",
        "token": TOKEN,
        "status_code": 200
    }))
}

fn header_value<'a>(request: &'a Request, name: &str) -> &'a str {
    request
        .headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
}

#[tokio::test]
async fn create_sends_the_exact_request_and_decodes_the_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/magic_links"))
        .and(header("authorization", BASIC))
        .and(body_json(json!({
            "user_id": "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6",
            "expiration_minutes": 60,
            "attributes": {"ip_address": "203.0.113.7"}
        })))
        .respond_with(created())
        .expect(1)
        .mount(&server)
        .await;

    let request = ApiMagicV1CreateRequest::new("user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6")
        .with_expiration_minutes(60)
        .with_attributes(ApiAttributeV1Attributes::new().with_ip_address("203.0.113.7"));
    let response = client(&server)
        .magic()
        .create(&request)
        .await
        .expect("created");

    assert_eq!(response.status(), 200);
    assert_eq!(
        response.user_id,
        "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6"
    );
    assert_eq!(response.token, TOKEN);
    assert_eq!(response.status_code, 200);
    assert_eq!(
        response.request_id,
        "request-id-test-55c1f5ea-2b6e-4b2b-8b0c-000000000001"
    );

    let received = &server.received_requests().await.expect("recorded")[0];
    assert_eq!(header_value(received, "content-type"), "application/json");
    assert_eq!(
        header_value(received, "user-agent"),
        "stytch-magic-links/0.1.0"
    );
    // Unset optional fields are omitted, never sent as null.
    let body: serde_json::Value = serde_json::from_slice(&received.body).expect("JSON body");
    assert_eq!(body["attributes"], json!({"ip_address": "203.0.113.7"}));
}

#[tokio::test]
async fn unset_optional_fields_are_not_sent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(created())
        .mount(&server)
        .await;
    let request = ApiMagicV1CreateRequest::new("user-1");
    client(&server)
        .magic()
        .create(&request)
        .await
        .expect("created");
    let received = &server.received_requests().await.expect("recorded")[0];
    assert_eq!(
        std::str::from_utf8(&received.body).unwrap(),
        r#"{"user_id":"user-1"}"#
    );
}

#[tokio::test]
async fn a_stytch_error_becomes_the_typed_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(stytch_error(
            401,
            "unauthorized_credentials",
            "Unauthorized credentials.",
        ))
        .mount(&server)
        .await;
    let err = client(&server)
        .magic()
        .create(&ApiMagicV1CreateRequest::new("user-1"))
        .await
        .expect_err("401");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.status, 401);
    assert_eq!(api.body.error_type, ErrorType::UnauthorizedCredentials);
    assert_eq!(api.body.error_message, "Unauthorized credentials.");
    assert_eq!(api.body.status_code, 401);
    assert_eq!(
        api.body.request_id,
        "request-id-test-b05c992f-ebdc-489d-a754-c7e70ba13141"
    );
    assert_eq!(api.body.error_url, "https://stytch.com/docs/api/errors/401");
    assert_eq!(api.body.error_details, None);
    assert!(err.to_string().contains("401"), "{err}");
}

#[tokio::test]
async fn an_error_type_unknown_to_this_sdk_is_kept() {
    let server = MockServer::start().await;
    let template = ResponseTemplate::new(400).set_body_json(json!({
        "status_code": 400,
        "request_id": "r",
        "error_type": "some_future_error",
        "error_message": "New.",
        "error_url": "https://stytch.com/docs/api/errors/400",
        "error_details": {"field": "user_id"}
    }));
    Mock::given(method("POST"))
        .respond_with(template)
        .mount(&server)
        .await;
    let err = client(&server)
        .magic()
        .create(&ApiMagicV1CreateRequest::new("user-1"))
        .await
        .expect_err("400");
    let body = err.api_error().expect("typed body");
    assert_eq!(
        body.error_type,
        ErrorType::Unknown("some_future_error".to_owned())
    );
    assert_eq!(body.error_type.as_str(), "some_future_error");
    let details = body.error_details.as_ref().expect("details");
    assert_eq!(details["field"], "user_id");
}

#[tokio::test]
async fn a_502_with_an_html_body_is_an_unexpected_response() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(502)
                .set_body_raw("<html><body>Bad Gateway</body></html>", "text/html"),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .magic()
        .create(&ApiMagicV1CreateRequest::new("user-1"))
        .await
        .expect_err("502");
    let Error::UnexpectedResponse(unexpected) = &err else {
        panic!("expected an unexpected response, got {err:?}");
    };
    assert_eq!(unexpected.status, 502);
    assert_eq!(
        &unexpected.body[..],
        b"<html><body>Bad Gateway</body></html>"
    );
    assert_eq!(unexpected.headers.get("content-type").unwrap(), "text/html");
    assert!(err.to_string().contains("502"), "{err}");
}

#[tokio::test]
async fn a_success_body_that_does_not_match_is_an_error_not_a_panic() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"request_id": "r", "token": TOKEN})),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .magic()
        .create(&ApiMagicV1CreateRequest::new("user-1"))
        .await
        .expect_err("missing fields");
    assert!(matches!(err, Error::UnexpectedResponse(_)), "{err:?}");
    // The body holds the token; neither Display nor Debug may show it.
    assert!(!err.to_string().contains(TOKEN));
    assert!(!format!("{err:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_custom_base_url_is_used_and_credentials_are_optional() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/gateway/stytch/v1/magic_links"))
        .respond_with(created())
        .expect(1)
        .mount(&server)
        .await;
    // A gateway that injects credentials itself: no credentials configured here.
    let gateway = Client::new(format!("{}/gateway/stytch/", server.uri())).expect("client");
    let response = gateway
        .magic()
        .create(&ApiMagicV1CreateRequest::new("user-1"))
        .await
        .expect("created");
    assert_eq!(response.into_body().token, TOKEN);
    let received = &server.received_requests().await.expect("recorded")[0];
    assert!(received.headers.get("authorization").is_none());
}

#[test]
fn debug_redacts_the_token_and_shows_the_other_fields() {
    let response: ApiMagicV1CreateResponse = serde_json::from_value(json!({
        "request_id": "request-id-1",
        "user_id": "user-1",
        "token": TOKEN,
        "status_code": 200
    }))
    .expect("decodes");
    let debug = format!("{response:?}");
    assert!(!debug.contains(TOKEN), "{debug}");
    assert!(debug.contains("[redacted]"), "{debug}");
    assert!(
        debug.contains("request-id-1") && debug.contains("user-1") && debug.contains("200"),
        "{debug}"
    );
}

#[tokio::test]
async fn an_expiration_below_the_minimum_fails_before_any_request() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(created())
        .mount(&server)
        .await;
    let request = ApiMagicV1CreateRequest::new("user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6")
        .with_expiration_minutes(3);
    let err = client(&server)
        .magic()
        .create(&request)
        .await
        .expect_err("3 minutes is below the spec's minimum of 5");
    let Error::InvalidRequest(invalid) = &err else {
        panic!("expected an invalid request, got {err:?}");
    };
    assert_eq!(
        err.to_string(),
        "invalid request: body.expiration_minutes must be at least 5"
    );
    assert_eq!(invalid.violations()[0].path(), "body.expiration_minutes");
    assert!(
        server
            .received_requests()
            .await
            .expect("recorded")
            .is_empty()
    );

    // The maximum is checked too; the bounds themselves are accepted.
    for (minutes, accepted) in [(5, true), (10080, true), (10081, false)] {
        let request = request.clone().with_expiration_minutes(minutes);
        let result = client(&server).magic().create(&request).await;
        assert_eq!(result.is_ok(), accepted, "{minutes} minutes: {result:?}");
    }
    assert_eq!(server.received_requests().await.expect("recorded").len(), 2);
}

#[test]
fn client_debug_shows_no_secret() {
    let client = Client::builder(servers::TEST_SERVER)
        .basic_auth(PROJECT_ID, SECRET)
        .build()
        .expect("client");
    let debug = format!("{client:?}");
    assert!(!debug.contains(SECRET), "{debug}");
    assert!(debug.contains("https://test.stytch.com"), "{debug}");
}

#[test]
fn both_servers_are_named_constants() {
    assert_eq!(servers::PRODUCTION_SERVER, "https://api.stytch.com");
    assert_eq!(servers::TEST_SERVER, "https://test.stytch.com");
}

fn client(server: &MockServer) -> Client {
    support::client(server, PROJECT_ID, SECRET)
}
