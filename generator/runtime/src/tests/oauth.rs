//! Credentials that change: OAuth 2 tokens from a token endpoint on 127.0.0.1 (fetched once for
//! many calls, honouring their expiry, refreshed once after a 401) and the application's own
//! credential providers.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use reqwest::Method;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::runtime::{
    Call, Client, ClientAuthentication, ClientCredentials, Credential, CredentialError,
    CredentialProvider, CredentialRequest, Error, RefreshToken, Request, RetryPolicy, decode_json,
};

const CLIENT_ID: &str = "client-7f3a";
const CLIENT_SECRET: &str = "client-secret-c0de";

/// A token endpoint that hands out `token-1`, `token-2`, ... (each valid for `lifetime`
/// seconds), after `delay`; it counts what it was asked.
async fn token_endpoint(server: &MockServer, lifetime: u64, delay: Duration) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200)
                .set_delay(delay)
                .set_body_json(serde_json::json!({
                    "access_token": format!("token-{n}"),
                    "token_type": "Bearer",
                    "expires_in": lifetime,
                }))
        })
        .mount(server)
        .await;
    issued
}

/// An API whose `/things` accepts only the bearer token `accepted` (401 otherwise).
async fn api_accepting(server: &MockServer, accepted: &str) {
    Mock::given(path("/things"))
        .and(header(
            "authorization",
            format!("Bearer {accepted}").as_str(),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({"error": "no"})))
        .with_priority(2)
        .mount(server)
        .await;
}

fn client(server: &MockServer, grant: impl Into<crate::runtime::TokenGrant>) -> Client {
    Client::builder(server.uri())
        .token_endpoint("oauth", "/oauth/token", grant)
        .retry(RetryPolicy::none())
        .build()
        .unwrap()
}

async fn call(
    client: &Client,
    method: Method,
    scopes: &'static [(&'static str, &'static [&'static str])],
) -> Result<serde_json::Value, Error<serde_json::Value>> {
    let mut request = Request::new(method.clone(), "/things".to_owned());
    request.security(&[&["oauth"]]);
    request.scopes(scopes);
    if method == Method::POST {
        request.json(&serde_json::json!({"name": "x"}));
    }
    let call: Call<'_, serde_json::Value, serde_json::Value> =
        Call::new(client, request, decode_json, decode_json);
    call.await.map(|response| response.into_body())
}

async fn requests_to(server: &MockServer, to: &str) -> Vec<wiremock::Request> {
    let all = server.received_requests().await.unwrap();
    all.into_iter().filter(|r| r.url.path() == to).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_calls_fetch_one_token() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::from_millis(200)).await;
    api_accepting(&server, "token-1").await;
    let client = client(&server, ClientCredentials::new(CLIENT_ID, CLIENT_SECRET));
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { call(&client, Method::GET, &[("oauth", &["read"])]).await })
        })
        .collect();
    for handle in calls {
        handle
            .await
            .unwrap()
            .expect("each call succeeds with the one token");
    }
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    let asked = requests_to(&server, "/oauth/token").await;
    let form = String::from_utf8(asked[0].body.clone()).unwrap();
    assert_eq!(form, "grant_type=client_credentials&scope=read");
    // RFC 6749 section 2.3.1: Basic authentication with the client id and secret.
    use base64::Engine as _;
    let basic =
        base64::engine::general_purpose::STANDARD.encode(format!("{CLIENT_ID}:{CLIENT_SECRET}"));
    assert_eq!(
        asked[0].headers.get("authorization").unwrap(),
        format!("Basic {basic}").as_str()
    );
    assert_eq!(
        asked[0].headers.get("content-type").unwrap(),
        "application/x-www-form-urlencoded"
    );
    assert_eq!(requests_to(&server, "/things").await.len(), 100);
}

#[tokio::test]
async fn a_token_is_used_until_shortly_before_it_expires() {
    let server = MockServer::start().await;
    // Usable for 0.9 s: a tenth of its lifetime early.
    let issued = token_endpoint(&server, 1, Duration::ZERO).await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let client = client(&server, ClientCredentials::new(CLIENT_ID, CLIENT_SECRET));
    call(&client, Method::GET, &[]).await.unwrap();
    call(&client, Method::GET, &[]).await.unwrap();
    assert_eq!(
        issued.load(Ordering::SeqCst),
        1,
        "the cached token is reused"
    );
    tokio::time::sleep(Duration::from_millis(950)).await;
    call(&client, Method::GET, &[]).await.unwrap();
    assert_eq!(
        issued.load(Ordering::SeqCst),
        2,
        "an expired token is fetched anew"
    );
    let sent: Vec<String> = requests_to(&server, "/things")
        .await
        .iter()
        .map(|r| {
            r.headers
                .get("authorization")
                .unwrap()
                .to_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(sent, ["Bearer token-1", "Bearer token-1", "Bearer token-2"]);
}

#[tokio::test]
async fn a_rejected_token_is_refreshed_once_and_the_call_sent_again() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::ZERO).await;
    api_accepting(&server, "token-2").await;
    let client = client(&server, ClientCredentials::new(CLIENT_ID, CLIENT_SECRET));
    // A POST whose body is bytes: the server did not act on the 401, so it is sent again.
    let body = call(&client, Method::POST, &[]).await.unwrap();
    assert_eq!(body, serde_json::json!({"ok": true}));
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    let sent = requests_to(&server, "/things").await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].body, br#"{"name":"x"}"#);
    // The new token stays in use.
    call(&client, Method::GET, &[]).await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_token_rejected_again_is_not_refreshed_in_a_loop() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::ZERO).await;
    api_accepting(&server, "never").await;
    let client = client(&server, ClientCredentials::new(CLIENT_ID, CLIENT_SECRET));
    let error = call(&client, Method::GET, &[]).await.unwrap_err();
    assert_eq!(error.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(issued.load(Ordering::SeqCst), 2, "one refresh, no more");
    assert_eq!(requests_to(&server, "/things").await.len(), 2);
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_credential_error_without_the_secret() {
    let server = MockServer::start().await;
    Mock::given(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(serde_json::json!({
            "error": "invalid_client",
            "error_description": format!("client secret {CLIENT_SECRET} is wrong"),
        })))
        .mount(&server)
        .await;
    api_accepting(&server, "token-1").await;
    let client = client(&server, ClientCredentials::new(CLIENT_ID, CLIENT_SECRET));
    let error = call(&client, Method::GET, &[]).await.unwrap_err();
    let Error::Credential(credential) = &error else {
        panic!("not a credential error: {error}");
    };
    assert_eq!(credential.scheme(), "oauth");
    assert_eq!(credential.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(credential.code(), Some("invalid_client"));
    let shown = format!("{error} {error:?}");
    assert!(shown.contains("invalid_client"), "{shown}");
    assert!(!shown.contains(CLIENT_SECRET), "{shown}");
    assert!(
        requests_to(&server, "/things").await.is_empty(),
        "nothing sent to the API"
    );

    // A token endpoint that cannot be reached.
    let unreachable = Client::builder(server.uri())
        .token_endpoint(
            "oauth",
            "http://127.0.0.1:9/token",
            ClientCredentials::new(CLIENT_ID, CLIENT_SECRET),
        )
        .build()
        .unwrap();
    let error = call(&unreachable, Method::GET, &[]).await.unwrap_err();
    let Error::Credential(credential) = &error else {
        panic!("not a credential error: {error}");
    };
    assert!(credential.is_transport());
    assert!(!format!("{error} {error:?}").contains(CLIENT_SECRET));
}

#[tokio::test]
async fn client_secrets_can_go_in_the_body_and_scopes_follow_the_operation() {
    let server = MockServer::start().await;
    let issued = token_endpoint(&server, 3600, Duration::ZERO).await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let grant = ClientCredentials::new(CLIENT_ID, "s&cret")
        .authentication(ClientAuthentication::RequestBody);
    let client = client(&server, grant);
    call(&client, Method::GET, &[("oauth", &["write", "read"])])
        .await
        .unwrap();
    call(&client, Method::GET, &[("oauth", &["read", "write"])])
        .await
        .unwrap();
    call(&client, Method::GET, &[("oauth", &["admin"])])
        .await
        .unwrap();
    // One token per set of scopes.
    assert_eq!(issued.load(Ordering::SeqCst), 2);
    let asked = requests_to(&server, "/oauth/token").await;
    let forms: Vec<String> = asked
        .iter()
        .map(|r| String::from_utf8(r.body.clone()).unwrap())
        .collect();
    assert_eq!(
        forms,
        [
            "grant_type=client_credentials&scope=read+write&client_id=client-7f3a&client_secret=s%26cret",
            "grant_type=client_credentials&scope=admin&client_id=client-7f3a&client_secret=s%26cret",
        ]
    );
    assert!(asked[0].headers.get("authorization").is_none());

    // Scopes the grant names replace the operation's.
    let server = MockServer::start().await;
    token_endpoint(&server, 3600, Duration::ZERO).await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let grant = ClientCredentials::new(CLIENT_ID, CLIENT_SECRET).scopes(["all"]);
    call(
        &client_at(&server, grant),
        Method::GET,
        &[("oauth", &["read"])],
    )
    .await
    .unwrap();
    let asked = requests_to(&server, "/oauth/token").await;
    assert_eq!(asked[0].body, b"grant_type=client_credentials&scope=all");
}

fn client_at(server: &MockServer, grant: ClientCredentials) -> Client {
    client(server, grant)
}

#[tokio::test]
async fn a_refresh_token_is_exchanged_and_rotated() {
    let server = MockServer::start().await;
    let rounds = Arc::new(AtomicUsize::new(0));
    let counter = rounds.clone();
    Mock::given(path("/oauth/token"))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": format!("user-token-{n}"),
                "token_type": "bearer",
                "expires_in": "3600",
                "refresh_token": format!("refresh-{}", n + 1),
            }))
        })
        .mount(&server)
        .await;
    api_accepting(&server, "user-token-2").await;
    let grant = RefreshToken::new(CLIENT_ID, "refresh-1")
        .client_secret(CLIENT_SECRET)
        .access_token("stale-token");
    let client = client(&server, grant);
    // The token the application had is used first; the API rejects it.
    call(&client, Method::GET, &[]).await.unwrap_err();
    // Refreshed with refresh-1 (giving user-token-1 and refresh-2), rejected, and no more
    // this call.
    assert_eq!(rounds.load(Ordering::SeqCst), 1);
    // The next call refreshes with the rotated refresh token.
    call(&client, Method::GET, &[]).await.unwrap();
    let forms: Vec<String> = requests_to(&server, "/oauth/token")
        .await
        .iter()
        .map(|r| String::from_utf8(r.body.clone()).unwrap())
        .collect();
    assert_eq!(
        forms,
        [
            "grant_type=refresh_token&refresh_token=refresh-1",
            "grant_type=refresh_token&refresh_token=refresh-2",
        ]
    );
}

/// A provider of the application's: counts what it is asked and told.
#[derive(Default)]
struct Counting {
    asked: AtomicUsize,
    rejected: std::sync::Mutex<Vec<String>>,
}

impl CredentialProvider for Arc<Counting> {
    fn credential<'a>(
        &'a self,
        request: &'a CredentialRequest<'a>,
    ) -> crate::runtime::BoxFuture<'a, Result<Credential, CredentialError>> {
        Box::pin(async move {
            assert_eq!(request.scheme, "oauth");
            assert_eq!(request.operation, "list_things");
            // A provider may await (a vault, a file).
            tokio::time::sleep(Duration::from_millis(5)).await;
            let n = self.asked.fetch_add(1, Ordering::SeqCst) + 1;
            if n > 4 {
                return Err(CredentialError::new("the vault is sealed"));
            }
            Ok(Credential::bearer(format!("token-{n}")))
        })
    }

    fn rejected(&self, credential: &Credential) {
        let Credential::Bearer { token } = credential else {
            panic!("not the bearer token given");
        };
        self.rejected
            .lock()
            .unwrap()
            .push(token.expose().to_owned());
    }
}

#[tokio::test]
async fn a_provider_is_asked_per_attempt_and_told_of_a_401_once_per_call() {
    let server = MockServer::start().await;
    api_accepting(&server, "token-2").await;
    let provider = Arc::new(Counting::default());
    let client = Client::builder(server.uri())
        .credential_provider("oauth", provider.clone())
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let mut request = Request::new(Method::GET, "/things".to_owned());
    request.security(&[&["oauth"]]);
    request.operation("list_things");
    let call: Call<'_, serde_json::Value, serde_json::Value> =
        Call::new(&client, request.clone(), decode_json, decode_json);
    call.await.unwrap();
    assert_eq!(provider.asked.load(Ordering::SeqCst), 2);
    assert_eq!(*provider.rejected.lock().unwrap(), ["token-1"]);
    // token-3 and token-4 are rejected too: told once, asked once more, then the 401 is the
    // answer.
    let call: Call<'_, serde_json::Value, serde_json::Value> =
        Call::new(&client, request.clone(), decode_json, decode_json);
    let error = call.await.unwrap_err();
    assert_eq!(error.status(), Some(reqwest::StatusCode::UNAUTHORIZED));
    assert_eq!(provider.asked.load(Ordering::SeqCst), 4);
    assert_eq!(*provider.rejected.lock().unwrap(), ["token-1", "token-3"]);
    // The provider's error is the call's.
    let call: Call<'_, serde_json::Value, serde_json::Value> =
        Call::new(&client, request, decode_json, decode_json);
    let error = call.await.unwrap_err();
    assert!(
        matches!(&error, Error::Credential(e) if e.scheme() == "oauth"),
        "{error}"
    );
    assert!(error.to_string().contains("the vault is sealed"), "{error}");
}
