//! The OAuth 2 methods a generated crate has for a scheme with token flows, used as a user
//! would: tokens from a token endpoint on 127.0.0.1 at the spec's relative token URL, with the
//! scopes each operation's security requirement asks for, refreshed once after a 401.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use security::Client;
use security::runtime::{ClientCredentials, RefreshToken};
use security::types::CreateReportRequest;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Hands out `token-1`, `token-2`, ... at `at`, counting them.
async fn tokens_at(server: &MockServer, at: &str) -> Arc<AtomicUsize> {
    let issued = Arc::new(AtomicUsize::new(0));
    let counter = issued.clone();
    Mock::given(method("POST"))
        .and(path(at))
        .respond_with(move |_: &wiremock::Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "access_token": format!("token-{n}"),
                "token_type": "Bearer",
                "expires_in": 3600,
            }))
        })
        .mount(server)
        .await;
    issued
}

async fn reports_accepting(server: &MockServer, token: &str) {
    let bearer = format!("Bearer {token}");
    Mock::given(path("/reports"))
        .and(method("GET"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(["q1", "q2"]))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path("/reports"))
        .and(method("POST"))
        .and(header("authorization", bearer.as_str()))
        .respond_with(ResponseTemplate::new(201))
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(path("/reports"))
        .respond_with(ResponseTemplate::new(401))
        .with_priority(2)
        .mount(server)
        .await;
}

async fn token_forms(server: &MockServer, at: &str) -> Vec<String> {
    let received = server.received_requests().await.unwrap();
    received
        .iter()
        .filter(|r| r.url.path() == at)
        .map(|r| String::from_utf8(r.body.clone()).unwrap())
        .collect()
}

#[tokio::test]
async fn client_credentials_fetch_tokens_with_each_operations_scopes() {
    let server = MockServer::start().await;
    let issued = tokens_at(&server, "/oauth/token").await;
    reports_accepting(&server, "token-1").await;
    let client = Client::builder(server.uri())
        .oauth_client_credentials(ClientCredentials::new("reporter", "reporter-secret"))
        .build()
        .unwrap();
    let reports = client.reports().list().await.unwrap();
    assert_eq!(reports.body(), &["q1", "q2"]);
    client.reports().list().await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1, "the token is cached");
    // Another operation asks for other scopes: it gets a token of its own (token-2, which
    // this API refuses: the call is sent once more with token-3, refused too).
    let error = client
        .reports()
        .create_report(&CreateReportRequest::new())
        .await
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401), "{error}");
    assert_eq!(
        token_forms(&server, "/oauth/token").await,
        [
            "grant_type=client_credentials&scope=reports%3Aread",
            "grant_type=client_credentials&scope=reports%3Aread+reports%3Awrite",
            "grant_type=client_credentials&scope=reports%3Aread+reports%3Awrite",
        ]
    );
    // The secret went in the Basic header, never in what the client prints.
    assert!(!format!("{client:?} {error} {error:?}").contains("reporter-secret"));
}

#[tokio::test]
async fn a_refresh_token_gets_a_new_access_token_after_a_401() {
    let server = MockServer::start().await;
    let issued = tokens_at(&server, "/oauth/refresh").await;
    reports_accepting(&server, "token-1").await;
    let client = Client::builder(server.uri())
        .oauth_refresh_token(RefreshToken::new("app", "refresh-1").access_token("expired"))
        .build()
        .unwrap();
    client.reports().list().await.unwrap();
    assert_eq!(issued.load(Ordering::SeqCst), 1);
    assert_eq!(
        token_forms(&server, "/oauth/refresh").await,
        ["grant_type=refresh_token&refresh_token=refresh-1&client_id=app"]
    );
}
