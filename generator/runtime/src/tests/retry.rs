//! Retries, timeouts, redirects and hooks against a real HTTP server on 127.0.0.1.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use reqwest::Method;
use reqwest::header::HeaderMap;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::retry::retry_after;
use crate::runtime::{
    ApiKeyLocation, Attempt, AttemptOutcome, Call, Client, Credential, Error, Hook, Request,
    RetryPolicy, decode_json, decode_nothing,
};

/// Retries quickly, so that tests do not wait.
fn fast() -> RetryPolicy {
    RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(5))
        .with_max_backoff(Duration::from_millis(20))
}

fn call(client: &Client, method: Method, path: &str) -> Call<'static, (), serde_json::Value> {
    // The client outlives every call in these tests.
    let client: &'static Client = Box::leak(Box::new(client.clone()));
    Call::new(
        client,
        Request::new(method, path.to_owned()),
        decode_nothing,
        decode_json,
    )
}

async fn received(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn a_429_with_retry_after_is_retried_after_the_wait() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "1"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).retry(fast()).build().unwrap();
    let started = Instant::now();
    call(&client, Method::GET, "/").await.unwrap();
    assert_eq!(received(&server).await, 2);
    // The wait is what the server asked for, not the (much shorter) backoff.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn server_errors_are_retried_until_success() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).retry(fast()).build().unwrap();
    let response = call(&client, Method::GET, "/").await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(received(&server).await, 3);
}

#[tokio::test]
async fn attempts_stop_at_the_bound_and_the_last_response_is_returned() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .retry(fast().with_max_attempts(4))
        .build()
        .unwrap();
    let err = call(&client, Method::GET, "/").await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(received(&server).await, 4);
    // A call can override the client's policy.
    let err = call(&client, Method::GET, "/")
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(502));
    assert_eq!(received(&server).await, 5);
}

#[tokio::test]
async fn a_post_is_not_retried_unless_marked_idempotent() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).retry(fast()).build().unwrap();
    call(&client, Method::POST, "/").await.unwrap_err();
    assert_eq!(received(&server).await, 1);
    call(&client, Method::POST, "/")
        .idempotent(true)
        .await
        .unwrap_err();
    assert_eq!(received(&server).await, 4);
    // Marked by the API description.
    let mut request = Request::new(Method::POST, "/".to_owned());
    request.idempotent(true);
    let marked: Call<'_, (), serde_json::Value> =
        Call::new(&client, request, decode_nothing, decode_json);
    marked.await.unwrap_err();
    assert_eq!(received(&server).await, 7);
}

#[tokio::test]
async fn a_post_that_never_connected_is_retried_but_one_that_timed_out_is_not() {
    // Nothing listens: the request cannot have reached a server, so sending it again is safe.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let recorder = Arc::new(Recorder::default());
    let client = Client::builder(format!("http://127.0.0.1:{port}"))
        .retry(fast())
        .hook(recorder.clone())
        .build()
        .unwrap();
    let err = call(&client, Method::POST, "/").await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_connect()),
        "{err:?}"
    );
    assert_eq!(recorder.attempts.load(Ordering::SeqCst), 3);

    // The server got this one and may be acting on it: a second send could do the work twice.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(1500)))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .timeout(Duration::from_millis(100))
        .retry(fast())
        .build()
        .unwrap();
    let err = call(&client, Method::POST, "/").await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
    assert_eq!(received(&server).await, 1);
}

#[tokio::test]
async fn client_errors_other_than_408_and_429_are_not_retried() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri()).retry(fast()).build().unwrap();
    call(&client, Method::GET, "/").await.unwrap_err();
    assert_eq!(received(&server).await, 1);
}

/// Counts attempts and remembers their outcomes.
#[derive(Default)]
struct Recorder {
    attempts: AtomicU32,
    outcomes: Mutex<Vec<String>>,
}

impl Hook for Arc<Recorder> {
    fn before_send(&self, request: &mut reqwest::Request, _attempt: &Attempt) {
        request
            .headers_mut()
            .insert("x-traced", "yes".parse().unwrap());
    }

    fn after_attempt(&self, attempt: &Attempt, outcome: &AttemptOutcome<'_>) {
        self.attempts.fetch_add(1, Ordering::SeqCst);
        let text = match outcome {
            AttemptOutcome::Response { status, .. } => {
                format!("{}#{} {status}", attempt.operation, attempt.number)
            }
            AttemptOutcome::Failed { .. } => {
                format!("{}#{} failed", attempt.operation, attempt.number)
            }
        };
        self.outcomes.lock().unwrap().push(text);
    }
}

#[tokio::test]
async fn refused_connections_are_retried_and_hooks_see_each_attempt() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let recorder = Arc::new(Recorder::default());
    let client = Client::builder(format!("http://127.0.0.1:{port}"))
        .retry(fast())
        .hook(recorder.clone())
        .build()
        .unwrap();
    let mut request = Request::new(Method::GET, "/".to_owned());
    request.operation("list_things");
    let call: Call<'_, (), serde_json::Value> =
        Call::new(&client, request, decode_nothing, decode_json);
    let err = call.await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_connect()),
        "{err:?}"
    );
    assert_eq!(recorder.attempts.load(Ordering::SeqCst), 3);
    assert_eq!(
        *recorder.outcomes.lock().unwrap(),
        [
            "list_things#1 failed",
            "list_things#2 failed",
            "list_things#3 failed"
        ]
    );
}

#[tokio::test]
async fn hooks_can_add_headers() {
    let server = MockServer::start().await;
    Mock::given(header("x-traced", "yes"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .hook(Arc::new(Recorder::default()))
        .build()
        .unwrap();
    call(&client, Method::GET, "/").await.unwrap();
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout_and_a_call_can_change_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(1500)))
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let err = call(&client, Method::GET, "/").await.unwrap_err();
    assert!(
        matches!(&err, Error::Transport(e) if e.is_timeout()),
        "{err:?}"
    );
    call(&client, Method::GET, "/")
        .timeout(Duration::from_secs(10))
        .await
        .unwrap();
}

#[tokio::test]
async fn a_redirect_to_another_origin_carries_no_credentials() {
    let elsewhere = MockServer::start().await;
    Mock::given(path("/landing"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&elsewhere)
        .await;
    let api = MockServer::start().await;
    Mock::given(path("/moved"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/landing", elsewhere.uri())),
        )
        .mount(&api)
        .await;
    Mock::given(path("/same"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/landing"))
        .mount(&api)
        .await;
    Mock::given(path("/landing"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&api)
        .await;
    let client = Client::builder(api.uri())
        .credential(
            "key",
            Credential::api_key(ApiKeyLocation::Header, "X-Api-Key", "header-secret"),
        )
        .credential(
            "query",
            Credential::api_key(ApiKeyLocation::Query, "api_key", "query-secret"),
        )
        .credential("basic", Credential::basic("user", "basic-secret"))
        .build()
        .unwrap();
    for target in ["/moved", "/same"] {
        let mut request = Request::new(Method::GET, target.to_owned());
        request.security(&[&["key", "query", "basic"]]);
        let call: Call<'_, (), serde_json::Value> =
            Call::new(&client, request, decode_nothing, decode_json);
        call.await.unwrap();
    }
    let foreign = &elsewhere.received_requests().await.unwrap()[0];
    assert!(foreign.headers.get("x-api-key").is_none());
    assert!(foreign.headers.get("authorization").is_none());
    assert_eq!(foreign.url.query(), None);
    // A redirect within the API's origin keeps them.
    let local = api.received_requests().await.unwrap();
    let landing = local.iter().find(|r| r.url.path() == "/landing").unwrap();
    assert_eq!(landing.headers.get("x-api-key").unwrap(), "header-secret");
    assert!(landing.headers.get("authorization").is_some());
}

#[tokio::test]
async fn a_redirect_the_operation_declares_is_its_answer() {
    let api = MockServer::start().await;
    Mock::given(path("/login"))
        .respond_with(ResponseTemplate::new(303).insert_header("location", "/landing"))
        .mount(&api)
        .await;
    let client = Client::builder(api.uri()).build().unwrap();
    let mut request = Request::new(Method::POST, "/login".to_owned());
    request.keep_redirects();
    let call: Call<'_, (), serde_json::Value> =
        Call::new(&client, request, decode_nothing, decode_json);
    let response = call.await.unwrap();
    assert_eq!(response.status(), 303);
    assert_eq!(response.headers()["location"], "/landing");
    assert_eq!(api.received_requests().await.unwrap().len(), 1);

    // Without the declaration, the redirect is followed (and its target's 404 is an error).
    let request = Request::new(Method::POST, "/login".to_owned());
    let call: Call<'_, (), serde_json::Value> =
        Call::new(&client, request, decode_nothing, decode_json);
    assert_eq!(call.await.unwrap_err().status().unwrap(), 404);
}

#[test]
fn retry_after_reads_seconds_and_http_dates() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", "7".parse().unwrap());
    assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(7)));
    let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
    headers.insert("retry-after", later.parse().unwrap());
    assert_eq!(retry_after(&headers, now), Some(Duration::from_secs(30)));
    headers.insert("retry-after", "soon".parse().unwrap());
    assert_eq!(retry_after(&headers, now), None);
}

#[test]
fn a_retry_after_beyond_the_cap_is_not_waited_for() {
    let policy = RetryPolicy::default().with_max_retry_after(Duration::from_secs(5));
    let mut headers = HeaderMap::new();
    headers.insert("retry-after", "120".parse().unwrap());
    assert_eq!(
        policy.after_response(reqwest::StatusCode::TOO_MANY_REQUESTS, &headers, 1),
        None
    );
    headers.insert("retry-after", "2".parse().unwrap());
    assert_eq!(
        policy.after_response(reqwest::StatusCode::TOO_MANY_REQUESTS, &headers, 1),
        Some(Duration::from_secs(2))
    );
}

#[test]
fn backoff_grows_and_stays_within_bounds() {
    let policy = RetryPolicy::default()
        .with_initial_backoff(Duration::from_millis(100))
        .with_max_backoff(Duration::from_millis(300));
    let headers = HeaderMap::new();
    for attempt in 1..3 {
        let wait = policy
            .after_response(reqwest::StatusCode::SERVICE_UNAVAILABLE, &headers, attempt)
            .unwrap();
        let full =
            Duration::from_millis(100 * 2u64.pow(attempt - 1)).min(Duration::from_millis(300));
        assert!(
            wait >= full / 2 && wait <= full,
            "attempt {attempt}: {wait:?}"
        );
    }
    assert_eq!(
        policy.after_response(reqwest::StatusCode::SERVICE_UNAVAILABLE, &headers, 3),
        None
    );
}
