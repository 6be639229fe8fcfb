//! Secrets never print: every kind of credential, and a secret a response carries, is absent
//! from every `Debug` and `Display` the crate offers (clients, credentials, responses, hooks'
//! views, every error kind) and from every log line at the most verbose level, this crate's
//! and its HTTP stack's.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use reqwest::Method;
use wiremock::matchers::path;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::{
    ApiKeyLocation, Attempt, AttemptOutcome, Call, Client, ClientCredentials, Credential, Error,
    Hook, RefreshToken, Request, RetryPolicy, decode_json,
};

const USER: &str = "user-5cf0";
const PASSWORD: &str = "basic-secret-81d2";
const BEARER: &str = "bearer-secret-6a1e";
const HEADER_KEY: &str = "header-key-secret-0b77";
const QUERY_KEY: &str = "query-key-secret-f3c9";
const COOKIE_KEY: &str = "cookie-key-secret-9d40";
const EVERY_REQUEST: &str = "gateway-secret-2e85";
const SESSION: &str = "session-cookie-secret-77aa";
const CLIENT_SECRET: &str = "oauth-client-secret-4b19";
const ACCESS_TOKEN: &str = "oauth-access-token-e5d2";
const REFRESH_TOKEN: &str = "oauth-refresh-token-a830";

/// Every secret, and the forms it travels in (Basic credentials are base64-encoded).
fn secrets() -> Vec<String> {
    use base64::Engine as _;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{PASSWORD}"));
    let mut all: Vec<String> = [
        PASSWORD,
        BEARER,
        HEADER_KEY,
        QUERY_KEY,
        COOKIE_KEY,
        EVERY_REQUEST,
        SESSION,
        CLIENT_SECRET,
        ACCESS_TOKEN,
        REFRESH_TOKEN,
    ]
    .map(str::to_owned)
    .to_vec();
    all.push(basic);
    let oauth = base64::engine::general_purpose::STANDARD.encode(format!("{USER}:{CLIENT_SECRET}"));
    all.push(oauth);
    all
}

/// Log output of the whole test binary, at the most verbose level, `log` records included.
fn logs() -> &'static Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = Capture(buffer.clone());
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::FULL)
            .with_writer(move || writer.clone())
            .finish();
        // Fails only if another test installed a subscriber first; none does.
        let _ = tracing::subscriber::set_global_default(subscriber);
        let _ = tracing_log::LogTracer::init();
        buffer
    })
}

#[derive(Clone)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Records what hooks are shown of each attempt, as a user's logging hook would.
#[derive(Clone, Default)]
struct Recorder(Arc<Mutex<String>>);

impl Hook for Recorder {
    fn before_send(&self, request: &mut reqwest::Request, attempt: &Attempt) {
        let _ = (request, attempt);
    }

    fn after_attempt(&self, attempt: &Attempt, outcome: &AttemptOutcome<'_>) {
        let mut seen = self.0.lock().unwrap();
        seen.push_str(&format!("{attempt:?} {outcome:?}\n"));
        if let AttemptOutcome::Failed { error, .. } = outcome {
            seen.push_str(&format!("{error}\n"));
        }
    }
}

const SCHEMES: &[&[&str]] = &[&["basic", "header", "query", "cookie"], &["bearer"]];
const BEARER_ONLY: &[&[&str]] = &[&["bearer"]];

fn client(base: &str, recorder: &Recorder) -> Client {
    let builder = Client::builder(base)
        .credential("basic", Credential::basic(USER, PASSWORD))
        .credential("bearer", Credential::bearer(BEARER))
        .credential(
            "header",
            Credential::api_key(ApiKeyLocation::Header, "X-Api-Key", HEADER_KEY),
        )
        .credential(
            "query",
            Credential::api_key(ApiKeyLocation::Query, "api_key", QUERY_KEY),
        )
        .credential(
            "cookie",
            Credential::api_key(ApiKeyLocation::Cookie, "key", COOKIE_KEY),
        )
        .credential_for_every_request(Credential::api_key(
            ApiKeyLocation::Header,
            "X-Gateway",
            EVERY_REQUEST,
        ))
        .retry(RetryPolicy::none())
        .hook(recorder.clone());
    let mut printed = format!("{builder:?}");
    let client = builder.build().unwrap();
    printed.push_str(&format!("{client:?}"));
    assert_no_secret("the client and its builder", &printed);
    client
}

async fn call(
    client: &Client,
    target: &str,
    security: &'static [&'static [&'static str]],
) -> String {
    let mut request = Request::new(Method::GET, target.to_owned());
    request.security(security);
    let call: Call<'_, serde_json::Value, serde_json::Value> =
        Call::new(client, request, decode_json, decode_json);
    match call.await {
        Ok(response) => format!("{response:?}"),
        Err(error) => describe(&error),
    }
}

/// Everything an error shows: `Display`, `Debug` and the chain of sources.
fn describe(error: &Error<serde_json::Value>) -> String {
    let mut shown = format!("{error} {error:?}");
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    shown
}

fn assert_no_secret(what: &str, text: &str) {
    for secret in secrets() {
        assert!(!text.contains(&secret), "{what} shows `{secret}`:\n{text}");
    }
}

#[tokio::test]
async fn no_credential_or_session_secret_reaches_debug_display_errors_or_logs() {
    let logs = logs();
    let elsewhere = MockServer::start().await;
    Mock::given(path("/landing"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&elsewhere)
        .await;
    let api = MockServer::start().await;
    let session = format!("session={SESSION}; HttpOnly");
    Mock::given(path("/ok"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("set-cookie", session.as_str())
                .set_body_json(serde_json::json!({"ok": true})),
        )
        .mount(&api)
        .await;
    Mock::given(path("/denied"))
        .respond_with(
            ResponseTemplate::new(401)
                .insert_header("set-cookie", session.as_str())
                .insert_header("www-authenticate", "Bearer")
                .set_body_json(serde_json::json!({"error": "denied"})),
        )
        .mount(&api)
        .await;
    Mock::given(path("/html"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("set-cookie", session.as_str())
                .set_body_raw("<html>bad gateway</html>", "text/html"),
        )
        .mount(&api)
        .await;
    Mock::given(path("/away"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/landing", elsewhere.uri())),
        )
        .mount(&api)
        .await;

    let recorder = Recorder::default();
    let client = client(&api.uri(), &recorder);
    let mut shown = String::new();
    for target in ["/ok", "/denied", "/html", "/away"] {
        shown.push_str(&call(&client, target, SCHEMES).await);
        shown.push_str(&call(&client, target, BEARER_ONLY).await);
    }
    // A transport error after the credentials were added (the query key is in the URL).
    let closed = Client::builder("http://127.0.0.1:9")
        .credential(
            "query",
            Credential::api_key(ApiKeyLocation::Query, "api_key", QUERY_KEY),
        )
        .retry(RetryPolicy::none())
        .hook(recorder.clone())
        .build()
        .unwrap();
    shown.push_str(&call(&closed, "/ok", &[&["query"]]).await);
    // The server did receive the credentials: the test would notice a call that sent none.
    let received = api.received_requests().await.unwrap();
    let first = &received[0];
    assert!(first.url.query().unwrap_or_default().contains(QUERY_KEY));
    assert!(first.headers.get("x-api-key").is_some());

    assert_no_secret("responses and errors", &shown);
    assert_no_secret("what hooks see", &recorder.0.lock().unwrap());
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(
        logged.contains("http.client.request"),
        "logs were captured: {logged}"
    );
    assert_no_secret("the logs", &logged);
}

#[tokio::test]
async fn no_oauth_secret_or_token_reaches_debug_display_errors_or_logs() {
    let logs = logs();
    let server = MockServer::start().await;
    // The token endpoint grants to the right secret; its refusals echo what they were sent, as
    // a careless server's might.
    Mock::given(path("/token"))
        .and(wiremock::matchers::body_string_contains(REFRESH_TOKEN))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
            "access_token": ACCESS_TOKEN, "token_type": "bearer", "expires_in": 3600,
            "refresh_token": REFRESH_TOKEN,
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/token"))
        .respond_with(|request: &wiremock::Request| {
            let sent = String::from_utf8_lossy(&request.body).into_owned();
            let authorization = request
                .headers
                .get("authorization")
                .map(|v| v.to_str().unwrap_or_default().to_owned())
                .unwrap_or_default();
            ResponseTemplate::new(400).set_body_json(serde_json::json!({
                "error": "invalid_client",
                "error_description": format!("{sent} {authorization} {CLIENT_SECRET}"),
            }))
        })
        .with_priority(2)
        .mount(&server)
        .await;
    Mock::given(path("/ok"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;

    let recorder = Recorder::default();
    let mut shown = String::new();
    let refused = Client::builder(server.uri())
        .token_endpoint(
            "oauth",
            "/token",
            ClientCredentials::new(USER, CLIENT_SECRET),
        )
        .hook(recorder.clone());
    shown.push_str(&format!("{refused:?}"));
    let refused = refused.build().unwrap();
    shown.push_str(&format!("{refused:?}"));
    shown.push_str(&call(&refused, "/ok", &[&["oauth"]]).await);
    // A refresh token the API keeps rejecting the access tokens of (401, refresh, 401).
    let grant = RefreshToken::new(USER, REFRESH_TOKEN)
        .client_secret(CLIENT_SECRET)
        .access_token(ACCESS_TOKEN);
    shown.push_str(&format!("{grant:?}"));
    let granted = Client::builder(server.uri())
        .token_endpoint("oauth", "/token", grant)
        .retry(RetryPolicy::none())
        .hook(recorder.clone())
        .build()
        .unwrap();
    shown.push_str(&call(&granted, "/ok", &[&["oauth"]]).await);
    // The secrets did travel: the test would notice a flow that sent none.
    let received = server.received_requests().await.unwrap();
    let to_api = received.iter().find(|r| r.url.path() == "/ok").unwrap();
    assert_eq!(
        to_api.headers.get("authorization").unwrap(),
        format!("Bearer {ACCESS_TOKEN}").as_str()
    );
    assert!(shown.contains("invalid_client"), "{shown}");

    assert_no_secret("OAuth 2 clients, grants, responses and errors", &shown);
    assert_no_secret("what hooks see", &recorder.0.lock().unwrap());
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert_no_secret("the logs", &logged);
}
