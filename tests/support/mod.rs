//! Helpers for the loopback tests of the generated SDK: a client pointed at a mock server, and
//! Stytch-shaped error bodies.

#![allow(dead_code)]

use serde_json::json;
use stytch_magic_links::Client;
use wiremock::{MockServer, ResponseTemplate};

/// A client for `server` with HTTP Basic credentials.
pub fn client(server: &MockServer, project_id: &str, secret: &str) -> Client {
    Client::builder(server.uri())
        .basic_auth(project_id, secret)
        .build()
        .expect("client")
}

/// A response with Stytch's error body.
pub fn stytch_error(status: u16, error_type: &str, message: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(json!({
        "status_code": status,
        "request_id": "request-id-test-b05c992f-ebdc-489d-a754-c7e70ba13141",
        "error_type": error_type,
        "error_message": message,
        "error_url": format!("https://stytch.com/docs/api/errors/{status}")
    }))
}
