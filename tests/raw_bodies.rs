//! What the generated Stytch SDK keeps of a response beyond its decoded body, against a server
//! on 127.0.0.1: the raw bytes of successes and API errors, the one rule that sorts error
//! statuses into `Error::Api` and `Error::UnexpectedResponse`, and the constructors that let a
//! user's tests make both values without a network.

use serde_json::json;
use stytch_magic_links::runtime::{ApiError, Response};
use stytch_magic_links::types::{ApiMagicV1CreateRequest, ApiMagicV1CreateResponse, ErrorType};
use stytch_magic_links::{Client, Error};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
mod support;

use support::stytch_error;

fn client(server: &MockServer) -> Client {
    support::client(server, "project-1", "secret-1")
}

async fn create(
    server: &MockServer,
) -> Result<Response<ApiMagicV1CreateResponse>, Error<stytch_magic_links::types::ErrorResponse>> {
    client(server)
        .magic()
        .create(&ApiMagicV1CreateRequest::new("user-1"))
        .await
}

async fn answer(template: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(template)
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn a_success_keeps_what_the_schema_does_not_describe() {
    let server = answer(ResponseTemplate::new(200).set_body_json(json!({
        "request_id": "request-1",
        "user_id": "user-1",
        "token": "token-1",
        "status_code": 200,
        "added_later": {"region": "eu"}
    })))
    .await;
    let response = create(&server).await.expect("created");
    assert_eq!(response.token, "token-1");
    assert_eq!(
        response.json().expect("JSON")["added_later"]["region"],
        "eu"
    );
    assert!(response.text().expect("UTF-8").contains("added_later"));
    assert!(!format!("{response:?}").contains("added_later"));
}

#[tokio::test]
async fn an_api_error_keeps_the_servers_bytes_and_debug_shows_only_their_length() {
    let server = answer(
        stytch_error(400, "unauthorized_credentials", "The user_id is not valid.")
            .insert_header("x-extra", "1"),
    )
    .await;
    let err = create(&server).await.expect_err("400");
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.body.error_type, ErrorType::UnauthorizedCredentials);
    let raw = api.json().expect("JSON");
    assert_eq!(raw["error_message"], "The user_id is not valid.");
    assert!(
        api.text()
            .expect("UTF-8")
            .contains("unauthorized_credentials")
    );
    let debug = format!("{api:?}");
    assert!(
        debug.contains(&format!("raw_body_len: {}", api.raw_body.len())),
        "{debug}"
    );
}

/// The rule: an error status is `Error::Api` exactly when its body decodes as the operation's
/// error type, whether or not the description lists that status; otherwise the response is
/// unexpected.
#[tokio::test]
async fn an_undeclared_error_status_is_an_api_error_when_its_body_fits() {
    // The description lists 400, 401, 403, 404, 429 and 500 for this operation, not 418.
    let fits = answer(stytch_error(418, "too_many_requests", "Slow down.")).await;
    let err = create(&fits).await.expect_err("418");
    let Error::Api(api) = &err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.status, 418);
    assert_eq!(api.body.error_message, "Slow down.");

    let html = ResponseTemplate::new(418).set_body_raw("<html>teapot</html>", "text/html");
    let does_not_fit = answer(html).await;
    let err = create(&does_not_fit).await.expect_err("418");
    let Error::UnexpectedResponse(unexpected) = &err else {
        panic!("expected an unexpected response, got {err:?}");
    };
    assert_eq!(&unexpected.body[..], b"<html>teapot</html>");
}

#[test]
fn a_users_tests_can_make_responses_and_errors_without_a_network() {
    let body = json!({
        "request_id": "request-1", "user_id": "user-1", "token": "token-1", "status_code": 200
    });
    let raw = bytes::Bytes::from(body.to_string());
    let decoded: ApiMagicV1CreateResponse = serde_json::from_slice(&raw).expect("decodes");
    let response: Response<ApiMagicV1CreateResponse> =
        Response::new(200.try_into().unwrap(), Default::default(), raw, decoded);
    assert_eq!(response.status(), 200);
    assert_eq!(response.user_id, "user-1");

    let error_body = json!({
        "status_code": 404, "request_id": "request-2", "error_type": "magic_link_not_found",
        "error_message": "User not found.", "error_url": "https://stytch.com/docs/api/errors/404"
    });
    let raw = bytes::Bytes::from(error_body.to_string());
    let decoded = serde_json::from_slice(&raw).expect("decodes");
    let err: Error<stytch_magic_links::types::ErrorResponse> = Error::Api(Box::new(ApiError::new(
        404.try_into().unwrap(),
        Default::default(),
        raw,
        decoded,
    )));
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        err.api_error().map(|e| &e.error_type),
        Some(&ErrorType::MagicLinkNotFound)
    );
}

/// `Display` says what the error body says: its code, message and request id, as the error
/// schema names them, each on one line and bounded in length.
#[tokio::test]
async fn an_api_errors_display_says_what_the_server_said() {
    let server = answer(stytch_error(
        401,
        "unauthorized_credentials",
        "Unauthorized credentials.",
    ))
    .await;
    let err = create(&server).await.expect_err("401");
    assert_eq!(
        err.to_string(),
        "the API answered with an error: 401 Unauthorized: unauthorized_credentials: \
         Unauthorized credentials. (request id: request-id-test-b05c992f-ebdc-489d-a754-c7e70ba13141)"
    );

    let long = format!("first line\nsecond {}", "x".repeat(500));
    let server = answer(stytch_error(400, "bad_request", &long)).await;
    let shown = create(&server).await.expect_err("400").to_string();
    assert!(shown.contains("first line second xxx"), "{shown}");
    assert!(!shown.contains('\n'), "{shown}");
    assert!(shown.chars().count() < 400, "{shown}");

    // Where nothing says which fields tell (an error made by hand), only the status shows.
    let made: Error<serde_json::Value> = Error::Api(Box::new(ApiError::new(
        400.try_into().unwrap(),
        Default::default(),
        bytes::Bytes::from_static(br#"{"error_message":"hidden"}"#),
        json!({}),
    )));
    assert_eq!(
        made.to_string(),
        "the API answered with an error: 400 Bad Request"
    );
}
