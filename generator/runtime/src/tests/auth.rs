//! Credentials: placement on the request and redaction in `Debug`.

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap};

use crate::runtime::{ApiKeyLocation, Credential, Secret};

fn apply(credential: &Credential) -> (HeaderMap, Vec<(String, String)>) {
    let mut headers = HeaderMap::new();
    let mut query = Vec::new();
    credential.apply(&mut headers, &mut query).unwrap();
    (headers, query)
}

#[test]
fn secret_debug_is_redacted() {
    let secret = Secret::new("hunter2");
    assert_eq!(format!("{secret:?}"), "[redacted]");
    assert_eq!(secret.expose(), "hunter2");
}

#[test]
fn basic_credentials_are_encoded_and_marked_sensitive() {
    let (headers, query) = apply(&Credential::basic("project-test-1", "secret-test-2"));
    let value = headers.get(AUTHORIZATION).unwrap();
    // base64("project-test-1:secret-test-2")
    assert_eq!(value, "Basic cHJvamVjdC10ZXN0LTE6c2VjcmV0LXRlc3QtMg==");
    assert!(value.is_sensitive());
    assert!(query.is_empty());
}

#[test]
fn bearer_and_api_keys_go_where_the_scheme_says() {
    let (headers, _) = apply(&Credential::bearer("tok"));
    assert_eq!(headers.get(AUTHORIZATION).unwrap(), "Bearer tok");

    let (headers, _) = apply(&Credential::api_key(
        ApiKeyLocation::Header,
        "X-Api-Key",
        "k1",
    ));
    assert_eq!(headers.get("x-api-key").unwrap(), "k1");
    assert!(headers.get("x-api-key").unwrap().is_sensitive());

    let (headers, query) = apply(&Credential::api_key(ApiKeyLocation::Query, "api_key", "k2"));
    assert!(headers.is_empty());
    assert_eq!(query, vec![("api_key".to_owned(), "k2".to_owned())]);

    let (headers, _) = apply(&Credential::api_key(ApiKeyLocation::Cookie, "sid", "k3"));
    assert_eq!(headers.get(COOKIE).unwrap(), "sid=k3");
}

#[test]
fn credential_debug_shows_no_secret() {
    let all = [
        Credential::basic("user-visible", "pw-hidden"),
        Credential::bearer("bearer-hidden"),
        Credential::api_key(ApiKeyLocation::Query, "api_key", "key-hidden"),
    ];
    let debug = format!("{all:?}");
    assert!(debug.contains("user-visible"), "{debug}");
    for hidden in ["pw-hidden", "bearer-hidden", "key-hidden"] {
        assert!(!debug.contains(hidden), "{debug}");
    }
}

#[test]
fn a_credential_that_cannot_be_a_header_is_an_error_without_the_value() {
    let mut headers = HeaderMap::new();
    let err = Credential::bearer("line\nbreak-secret")
        .apply(&mut headers, &mut Vec::new())
        .unwrap_err();
    assert!(!err.contains("break-secret"), "{err}");
}
