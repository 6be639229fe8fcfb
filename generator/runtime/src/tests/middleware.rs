//! Middleware against a server on 127.0.0.1: it awaits, signs, runs in the order added, may send
//! again, sees each retry, never follows a redirect off the API's origin, and its failure is
//! the call's.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::{
    BoxFuture, Call, Client, Credential, Error, Middleware, Next, Request, RetryPolicy, Sent,
    TransportError, decode_json,
};

async fn get(client: &Client, to: &str) -> Result<serde_json::Value, Error<serde_json::Value>> {
    let mut request = Request::new(Method::GET, to.to_owned());
    request.security(&[&["bearer"]]);
    request.operation("get_thing");
    let call: Call<'_, serde_json::Value, serde_json::Value> =
        Call::new(client, request, decode_json, decode_json);
    call.await.map(|response| response.into_body())
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true}))
}

/// Signs each request with a key it has to wait for, over what the request says and carries.
struct Signing {
    key: Arc<tokio::sync::RwLock<String>>,
}

impl Middleware for Signing {
    fn handle<'a>(&'a self, mut request: reqwest::Request, next: Next<'a>) -> BoxFuture<'a, Sent> {
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(10)).await;
            let key = self.key.read().await.clone();
            // The credentials are in place when a middleware sees the request.
            let authorization = request
                .headers()
                .get("authorization")
                .map(|v| v.to_str().unwrap_or_default().to_owned())
                .unwrap_or_default();
            let signature = format!(
                "{} {} {} {key}",
                request.method(),
                request.url().path(),
                authorization
            );
            request.headers_mut().insert(
                HeaderName::from_static("x-signature"),
                HeaderValue::from_str(&signature).unwrap(),
            );
            next.run(request).await
        })
    }
}

#[tokio::test]
async fn a_signing_middleware_awaits_its_key_and_signs_what_goes_out() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .and(header("x-signature", "GET /things Bearer tok-1 key-2024"))
        .respond_with(ok())
        .mount(&server)
        .await;
    let key = Arc::new(tokio::sync::RwLock::new("key-2024".to_owned()));
    let client = Client::builder(server.uri())
        .credential("bearer", Credential::bearer("tok-1"))
        .middleware(Signing { key: key.clone() })
        .build()
        .unwrap();
    assert_eq!(
        get(&client, "/things").await.unwrap(),
        serde_json::json!({"ok": true})
    );
    // The key rotates: the next request is signed with the new one.
    *key.write().await = "key-2025".to_owned();
    let error = get(&client, "/things").await.unwrap_err();
    assert_eq!(error.status(), Some(reqwest::StatusCode::NOT_FOUND));
    let received = server.received_requests().await.unwrap();
    assert_eq!(
        received[1].headers.get("x-signature").unwrap(),
        "GET /things Bearer tok-1 key-2025"
    );
}

/// Records when it sees the request and the response.
struct Recording {
    name: &'static str,
    seen: Arc<Mutex<Vec<String>>>,
}

impl Middleware for Recording {
    fn handle<'a>(&'a self, request: reqwest::Request, next: Next<'a>) -> BoxFuture<'a, Sent> {
        Box::pin(async move {
            let attempt = next.attempt().number;
            self.seen.lock().unwrap().push(format!(
                "{} in {} #{attempt}",
                self.name,
                request.url().path()
            ));
            let sent = next.run(request).await;
            let status = sent.as_ref().map(|r| r.status().as_u16()).unwrap_or(0);
            self.seen
                .lock()
                .unwrap()
                .push(format!("{} out {status}", self.name));
            sent
        })
    }
}

#[tokio::test]
async fn middleware_runs_in_the_order_added_and_sees_each_retry() {
    let server = MockServer::start().await;
    Mock::given(path("/flaky"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/flaky"))
        .respond_with(ok())
        .with_priority(2)
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let client = Client::builder(server.uri())
        .middleware(Recording {
            name: "outer",
            seen: seen.clone(),
        })
        .middleware(Recording {
            name: "inner",
            seen: seen.clone(),
        })
        .retry(RetryPolicy::default().with_initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    get(&client, "/flaky").await.unwrap();
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "outer in /flaky #1",
            "inner in /flaky #1",
            "inner out 503",
            "outer out 503",
            "outer in /flaky #2",
            "inner in /flaky #2",
            "inner out 200",
            "outer out 200",
        ]
    );
}

/// Sends with the key it has; on a 401 it takes a fresh one and sends once more.
struct Refreshing {
    key: Arc<Mutex<&'static str>>,
}

impl Middleware for Refreshing {
    fn handle<'a>(&'a self, mut request: reqwest::Request, next: Next<'a>) -> BoxFuture<'a, Sent> {
        Box::pin(async move {
            let key = *self.key.lock().unwrap();
            request
                .headers_mut()
                .insert("x-key", HeaderValue::from_static(key));
            let again = request.try_clone();
            let response = next.run(request).await?;
            match again {
                Some(mut again) if response.status() == reqwest::StatusCode::UNAUTHORIZED => {
                    *self.key.lock().unwrap() = "fresh";
                    again
                        .headers_mut()
                        .insert("x-key", HeaderValue::from_static("fresh"));
                    next.run(again).await
                }
                _ => Ok(response),
            }
        })
    }
}

#[tokio::test]
async fn a_middleware_may_send_again_after_refreshing() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .and(header("x-key", "fresh"))
        .respond_with(ok())
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(2)
        .mount(&server)
        .await;
    let client = Client::builder(server.uri())
        .middleware(Refreshing {
            key: Arc::new(Mutex::new("stale")),
        })
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    get(&client, "/things").await.unwrap();
    get(&client, "/things").await.unwrap();
    let keys: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| r.headers.get("x-key").unwrap().to_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys, ["stale", "fresh", "fresh"]);
}

#[tokio::test]
async fn a_redirect_off_the_api_origin_is_followed_without_middleware() {
    let elsewhere = MockServer::start().await;
    Mock::given(path("/landing"))
        .respond_with(ok())
        .mount(&elsewhere)
        .await;
    let api = MockServer::start().await;
    Mock::given(path("/away"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/landing", elsewhere.uri())),
        )
        .mount(&api)
        .await;
    let key = Arc::new(tokio::sync::RwLock::new("key-secret".to_owned()));
    let client = Client::builder(api.uri())
        .credential("bearer", Credential::bearer("tok-1"))
        .middleware(Signing { key })
        .build()
        .unwrap();
    get(&client, "/away").await.unwrap();
    let at_api = &api.received_requests().await.unwrap()[0];
    assert!(at_api.headers.get("x-signature").is_some());
    let landed = &elsewhere.received_requests().await.unwrap()[0];
    assert!(landed.headers.get("x-signature").is_none());
    assert!(landed.headers.get("authorization").is_none());
}

/// Fails every request, as a middleware whose key store is down would.
struct Failing {
    calls: Arc<Mutex<u32>>,
}

impl Middleware for Failing {
    fn handle<'a>(&'a self, _request: reqwest::Request, _next: Next<'a>) -> BoxFuture<'a, Sent> {
        Box::pin(async move {
            *self.calls.lock().unwrap() += 1;
            Err(TransportError::middleware("the key store is unavailable"))
        })
    }
}

#[tokio::test]
async fn a_middleware_failure_is_the_calls_and_is_not_retried() {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ok())
        .mount(&server)
        .await;
    let calls = Arc::new(Mutex::new(0));
    let client = Client::builder(server.uri())
        .middleware(Failing {
            calls: calls.clone(),
        })
        .build()
        .unwrap();
    let error = get(&client, "/things").await.unwrap_err();
    let Error::Transport(transport) = &error else {
        panic!("not a transport error: {error}");
    };
    assert!(transport.is_middleware());
    assert!(
        error.to_string().contains("the key store is unavailable"),
        "{error}"
    );
    assert_eq!(*calls.lock().unwrap(), 1);
    assert!(server.received_requests().await.unwrap().is_empty());
}
