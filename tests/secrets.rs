//! The generated Stytch SDK never shows a secret: the project secret (and its Basic encoding),
//! the magic link token it creates and sends back, and the session token and JWT it receives are
//! absent from every `Debug` and `Display` of requests, responses and errors, and from every log
//! line at the most verbose level (the SDK's spans and its HTTP stack's records).

use std::io::Write;
use std::sync::{Arc, Mutex};

use serde_json::json;
use stytch_magic_links::Error;
use stytch_magic_links::types::{ApiMagicV1AuthenticateRequest, ApiMagicV1CreateRequest};
use wiremock::matchers::{body_partial_json, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
mod support;

const PROJECT_ID: &str = "project-test-2b1c0b1e-4a52-4c0e-9d73-0c9c3f4d1a10";
const SECRET: &str = "secret-test-sA3Nn5mW8yQ1pL0dK7vR2tX9cB4eF6gH1jU=";
/// base64("project-test-2b1c0b1e-4a52-4c0e-9d73-0c9c3f4d1a10:secret-test-sA3Nn5mW8yQ1pL0dK7vR2tX9cB4eF6gH1jU="),
/// computed independently of the SDK.
const BASIC: &str = "cHJvamVjdC10ZXN0LTJiMWMwYjFlLTRhNTItNGMwZS05ZDczLTBjOWMzZjRkMWExMDpzZWNyZXQtdGVzdC1zQTNObjVtVzh5UTFwTDBkSzd2UjJ0WDljQjRlRjZnSDFqVT0=";
const TOKEN: &str = "magic-link-token-6PzGx1Q0vY4kR8sT2uW5yZ7bD9fH3jL=";
const REJECTED_TOKEN: &str = "rejected-token-Wq2Er4Ty6Ui8Op0As1Df3Gh5Jk7Lz9X=";

#[derive(Clone)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends every log line of this test binary, `log` records included, to a buffer.
fn capture_logs() -> Arc<Mutex<Vec<u8>>> {
    let buffer = Arc::new(Mutex::new(Vec::new()));
    let writer = Capture(buffer.clone());
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
        .with_writer(move || writer.clone())
        .finish();
    tracing::subscriber::set_global_default(subscriber).expect("the only test here");
    tracing_log::LogTracer::init().expect("the only logger");
    buffer
}

fn session() -> serde_json::Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/authenticate-success.json"
    ))
    .expect("test data");
    serde_json::from_str(&text).expect("test data is JSON")
}

/// Everything an error shows: `Display`, `Debug` and its chain of sources.
fn describe<E: std::fmt::Debug>(error: &Error<E>) -> String {
    let mut shown = format!("{error} {error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    shown
}

#[tokio::test]
async fn no_secret_token_or_session_is_printed_or_logged() {
    let logs = capture_logs();
    let session = session();
    let session_token = session["session_token"].as_str().expect("a session token");
    let session_jwt = session["session_jwt"].as_str().expect("a session JWT");
    let server = MockServer::start().await;
    Mock::given(path("/v1/magic_links"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "request_id": "request-id-1", "user_id": "user-1", "token": TOKEN, "status_code": 200
        })))
        .mount(&server)
        .await;
    Mock::given(path("/v1/magic_links/authenticate"))
        .and(body_partial_json(json!({ "token": TOKEN })))
        .respond_with(ResponseTemplate::new(200).set_body_json(session.clone()))
        .mount(&server)
        .await;
    Mock::given(path("/v1/magic_links/authenticate"))
        .and(body_partial_json(json!({ "token": REJECTED_TOKEN })))
        .respond_with(support::stytch_error(
            401,
            "unable_to_auth_magic_link",
            "Magic link could not be authenticated.",
        ))
        .mount(&server)
        .await;
    let client = support::client(&server, PROJECT_ID, SECRET);
    let mut shown = format!("{client:?}");

    let created = client
        .magic()
        .create(&ApiMagicV1CreateRequest::new("user-1"))
        .await
        .expect("created");
    shown.push_str(&format!("{created:?}"));
    let token = created.into_body().token;
    assert_eq!(token, TOKEN);

    let request = ApiMagicV1AuthenticateRequest::new(token).with_session_duration_minutes(60);
    shown.push_str(&format!("{request:?}"));
    let authenticated = client
        .magic()
        .authenticate(&request)
        .await
        .expect("authenticated");
    shown.push_str(&format!("{authenticated:?}"));
    let body = authenticated.into_body();
    assert_eq!(body.session_token, session_token);
    assert_eq!(body.session_jwt, session_jwt);
    shown.push_str(&format!("{body:?}"));

    let rejected = client
        .magic()
        .authenticate(&ApiMagicV1AuthenticateRequest::new(REJECTED_TOKEN))
        .await
        .expect_err("401");
    assert_eq!(rejected.status().map(|s| s.as_u16()), Some(401));
    shown.push_str(&describe(&rejected));

    let logged = String::from_utf8_lossy(&logs.lock().expect("log buffer")).into_owned();
    assert!(
        logged.contains("/v1/magic_links/authenticate"),
        "logs were captured: {logged}"
    );
    for secret in [
        SECRET,
        BASIC,
        TOKEN,
        REJECTED_TOKEN,
        session_token,
        session_jwt,
    ] {
        assert!(!shown.contains(secret), "`{secret}` is shown:\n{shown}");
        assert!(!logged.contains(secret), "`{secret}` is logged:\n{logged}");
    }
}
