//! Every Magic Links operation of the generated SDK against a real HTTP server on 127.0.0.1:
//! authenticate (success with a realistic user and session, 401 and 404), and the four email
//! operations.

use serde_json::{Value, json};
use stytch_magic_links::types::{
    ApiMagicV1AuthenticateRequest, ApiMagicV1MagicLinksEmailInviteRequest,
    ApiMagicV1MagicLinksEmailLoginOrCreateRequest, ApiMagicV1MagicLinksEmailRevokeInviteRequest,
    ApiMagicV1MagicLinksEmailSendRequest, ApiMagicV1SendRequestLocale,
    ApiSessionV1AuthenticationFactorDeliveryMethod, ApiSessionV1AuthenticationFactorType,
    ApiUserV1Name, ErrorType,
};
use stytch_magic_links::{Client, Error};
use wiremock::matchers::{body_json, header, method, path};
mod support;

use support::stytch_error;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Sandbox tokens from Stytch's documentation: success, 401 and 404.
const TOKEN_OK: &str = "DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94=";
const TOKEN_UNAUTHORIZED: &str = "3pzjQpgksDlGKWEwUq2Up--hCHC_0oamfLHyfspKDFU=";
const TOKEN_NOT_FOUND: &str = "CprTtwhnRNiMBiUS2jSLcWYrfuO2POeBNdo5HhW6qTM=";
/// base64("project-test-1:secret-test-1").
const BASIC: &str = "Basic cHJvamVjdC10ZXN0LTE6c2VjcmV0LXRlc3QtMQ==";
const USER_ID: &str = "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6";

fn authenticate_success() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/authenticate-success.json"
    ))
    .expect("test data");
    serde_json::from_str(&text).expect("test data is JSON")
}

/// A server answering authenticate like Stytch's sandbox does for its three test tokens.
async fn sandbox() -> MockServer {
    let server = MockServer::start().await;
    let authenticate = || {
        Mock::given(method("POST"))
            .and(path("/v1/magic_links/authenticate"))
            .and(header("authorization", BASIC))
    };
    authenticate()
        .and(body_json(
            json!({"token": TOKEN_OK, "session_duration_minutes": 60}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(authenticate_success()))
        .mount(&server)
        .await;
    authenticate()
        .and(body_json(json!({"token": TOKEN_UNAUTHORIZED})))
        .respond_with(stytch_error(
            401,
            "unable_to_auth_magic_link",
            "Magic link could not be authenticated.",
        ))
        .mount(&server)
        .await;
    authenticate()
        .and(body_json(json!({"token": TOKEN_NOT_FOUND})))
        .respond_with(stytch_error(
            404,
            "magic_link_not_found",
            "Magic link could not be found.",
        ))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn authenticate_decodes_the_user_and_the_session() {
    let server = sandbox().await;
    let request = ApiMagicV1AuthenticateRequest::new(TOKEN_OK).with_session_duration_minutes(60);
    let response = client(&server)
        .magic()
        .authenticate(&request)
        .await
        .expect("authenticated");

    assert_eq!(response.user_id, USER_ID);
    assert_eq!(
        response.method_id,
        "email-test-81bf03a8-86e1-4d95-bd44-bb3495224953"
    );
    assert_eq!(
        response.session_token,
        "mZAYn5aLEqKUlZ_Ad9U_fWr38GaAQ1oFAhT8ds245v7Q"
    );
    assert!(!response.reset_sessions);

    let user = &response.user;
    assert_eq!(user.status, "active");
    assert_eq!(user.emails[0].email, "sandbox@stytch.com");
    assert!(user.emails[0].verified);
    assert_eq!(
        user.name.as_ref().and_then(|n| n.first_name.as_deref()),
        Some("Jane")
    );
    assert_eq!(user.password, None);
    assert_eq!(
        user.trusted_metadata.as_ref().unwrap()["billing_address"]["city"],
        "San Francisco"
    );
    assert_eq!(user.roles, ["stytch_user"]);

    let session = response.session.as_ref().expect("a session was started");
    assert_eq!(
        session.session_id,
        "session-test-fe6c042b-6286-479f-8a4f-b046a6c46509"
    );
    assert_eq!(session.custom_claims.as_ref().unwrap()["plan"], "pro");
    let factor = &session.authentication_factors[0];
    assert_eq!(
        factor.r#type,
        ApiSessionV1AuthenticationFactorType::MagicLink
    );
    assert_eq!(
        factor.delivery_method,
        ApiSessionV1AuthenticationFactorDeliveryMethod::Email
    );
    assert_eq!(
        factor.email_factor.as_ref().unwrap().email_address,
        "sandbox@stytch.com"
    );
    assert_eq!(response.user_device, None);

    // The session secrets and the token sent are hidden from Debug.
    let debug = format!("{response:?}");
    assert!(!debug.contains("mZAYn5aLEqKUlZ"), "{debug}");
    assert!(!debug.contains("eyJhbGciOiJSUzI1NiIs"), "{debug}");
    assert!(debug.contains(USER_ID), "{debug}");
    assert!(!format!("{request:?}").contains(TOKEN_OK));
}

#[tokio::test]
async fn authenticate_with_a_spent_token_is_a_401_unable_to_auth_magic_link() {
    let server = sandbox().await;
    let err = client(&server)
        .magic()
        .authenticate(&ApiMagicV1AuthenticateRequest::new(TOKEN_UNAUTHORIZED))
        .await
        .expect_err("401");
    let Error::Api(api) = err else {
        panic!("expected an API error, got {err:?}");
    };
    assert_eq!(api.status, 401);
    assert_eq!(api.body.error_type, ErrorType::UnableToAuthMagicLink);
    assert_eq!(
        api.body.error_message,
        "Magic link could not be authenticated."
    );
}

#[tokio::test]
async fn authenticate_with_an_unknown_token_is_a_404_magic_link_not_found() {
    let server = sandbox().await;
    let err = client(&server)
        .magic()
        .authenticate(&ApiMagicV1AuthenticateRequest::new(TOKEN_NOT_FOUND))
        .await
        .expect_err("404");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404));
    assert_eq!(
        err.api_error().map(|e| &e.error_type),
        Some(&ErrorType::MagicLinkNotFound)
    );
}

#[tokio::test]
async fn email_send() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/magic_links/email/send"))
        .and(header("authorization", BASIC))
        .and(body_json(json!({
            "email": "sandbox@stytch.com",
            "login_magic_link_url": "https://example.com/authenticate",
            "locale": "pt-br"
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status_code": 200,
            "request_id": "request-id-test-1",
            "user_id": USER_ID,
            "email_id": "email-test-1"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let request = ApiMagicV1MagicLinksEmailSendRequest::new("sandbox@stytch.com")
        .with_login_magic_link_url("https://example.com/authenticate")
        .with_locale(ApiMagicV1SendRequestLocale::PtBr);
    let response = client(&server)
        .magic_links()
        .email_send(&request)
        .await
        .expect("sent");
    assert_eq!(response.email_id, "email-test-1");
    assert_eq!(response.user_id, USER_ID);
}

#[tokio::test]
async fn email_login_or_create() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/magic_links/email/login_or_create"))
        .and(body_json(json!({"email": "new@example.com", "create_user_as_pending": true, "signup_expiration_minutes": 120})))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status_code": 201,
            "request_id": "request-id-test-2",
            "user_id": USER_ID,
            "email_id": "email-test-2",
            "user_created": true
        })))
        .expect(1)
        .mount(&server)
        .await;
    let request = ApiMagicV1MagicLinksEmailLoginOrCreateRequest::new("new@example.com")
        .with_create_user_as_pending(true)
        .with_signup_expiration_minutes(120);
    let response = client(&server)
        .magic_links()
        .email_login_or_create(&request)
        .await
        .expect("created");
    assert_eq!(response.status(), 201);
    assert!(response.user_created);
    assert_eq!(response.status_code, 201);
}

#[tokio::test]
async fn email_invite() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/magic_links/email/invite"))
        .and(body_json(json!({
            "email": "invitee@example.com",
            "name": {"first_name": "Ada", "last_name": "Lovelace"},
            "untrusted_metadata": {"team": "blue"}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "status_code": 200,
            "request_id": "request-id-test-3",
            "user_id": USER_ID,
            "email_id": "email-test-3"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut metadata = std::collections::BTreeMap::new();
    metadata.insert("team".to_owned(), json!("blue"));
    let request = ApiMagicV1MagicLinksEmailInviteRequest::new("invitee@example.com")
        .with_name(
            ApiUserV1Name::new()
                .with_first_name("Ada")
                .with_last_name("Lovelace"),
        )
        .with_untrusted_metadata(metadata);
    let response = client(&server)
        .magic_links()
        .email_invite(&request)
        .await
        .expect("invited");
    assert_eq!(response.email_id, "email-test-3");
}

#[tokio::test]
async fn email_revoke_invite() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/magic_links/email/revoke_invite"))
        .and(body_json(json!({"email": "invitee@example.com"})))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status_code": 200, "request_id": "request-id-test-4"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let request = ApiMagicV1MagicLinksEmailRevokeInviteRequest::new("invitee@example.com");
    let response = client(&server)
        .magic_links()
        .email_revoke_invite(&request)
        .await
        .expect("revoked");
    assert_eq!(response.request_id, "request-id-test-4");
}

#[tokio::test]
async fn a_rate_limit_is_a_typed_429() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(stytch_error(
            429,
            "too_many_requests",
            "Too many requests have been made.",
        ))
        .mount(&server)
        .await;
    let err = client(&server)
        .magic_links()
        .email_send(&ApiMagicV1MagicLinksEmailSendRequest::new("a@example.com"))
        .await
        .expect_err("429");
    assert_eq!(
        err.api_error().map(|e| &e.error_type),
        Some(&ErrorType::TooManyRequests)
    );
}

fn client(server: &MockServer) -> Client {
    support::client(server, "project-test-1", "secret-test-1")
}
