//! Conformance: every operation of the generated Stytch SDK against the Prism mock server, run on
//! 127.0.0.1 with the checked-in spec. Prism validates each request against the spec (an invalid
//! one gets 422 and an `sl-violations` header) and answers from the spec's schemas, so a call
//! passes only if the request conforms and the response decodes.

#[path = "../generator/tests/common/mod.rs"]
mod common;

use std::fmt::Debug;

use common::prism::{self, Prism};
use stytch_magic_links::types::{
    ApiAttributeV1Attributes, ApiMagicV1AuthenticateRequest, ApiMagicV1CreateRequest,
    ApiMagicV1MagicLinksEmailInviteRequest, ApiMagicV1MagicLinksEmailLoginOrCreateRequest,
    ApiMagicV1MagicLinksEmailRevokeInviteRequest, ApiMagicV1MagicLinksEmailSendRequest,
};
use stytch_magic_links::{Client, Error, Response};

const USER: &str = "user-test-16d9ba61-97a1-4ba4-9720-b03761dc50c6";
const EMAIL: &str = "sandbox@stytch.com";

/// Checks one call: a 2xx response that decoded, and no violation reported by Prism.
fn check<T: Debug, E: Debug>(
    name: &str,
    result: Result<Response<T>, Error<E>>,
    failures: &mut Vec<String>,
) {
    match result {
        Ok(response) => {
            if let Some(violations) = response.headers().get("sl-violations") {
                failures.push(format!("{name}: Prism reported {violations:?}"));
            }
        }
        Err(error) => failures.push(format!("{name}: {error} ({error:?})")),
    }
}

#[tokio::test]
async fn every_operation_conforms_to_the_spec() {
    if !prism::available() {
        return;
    }
    let spec = common::repo_root().join("spec/stytch-magic-links.yaml");
    let logs = common::repo_root().join("target/tmp/conformance");
    let prism = Prism::start(&spec, &logs);
    let client = Client::builder(prism.base_url())
        .basic_auth(
            "project-test-11111111-2222-3333-4444-555555555555",
            "secret-test",
        )
        .build()
        .unwrap();
    let mut failures = Vec::new();
    let mut calls = 0;

    let create = ApiMagicV1CreateRequest::new(USER)
        .with_expiration_minutes(60)
        .with_attributes(ApiAttributeV1Attributes::new().with_ip_address("203.0.113.7"));
    check(
        "create",
        client.magic().create(&create).await,
        &mut failures,
    );
    calls += 1;

    let authenticate =
        ApiMagicV1AuthenticateRequest::new("DOYoip3rvIMMW5lgItikFK-Ak1CfMsgjuiCyI7uuU94=")
            .with_session_duration_minutes(60);
    check(
        "authenticate",
        client.magic().authenticate(&authenticate).await,
        &mut failures,
    );
    calls += 1;

    let send = ApiMagicV1MagicLinksEmailSendRequest::new(EMAIL)
        .with_login_magic_link_url("https://example.com/authenticate");
    check(
        "send",
        client.magic_links().email_send(&send).await,
        &mut failures,
    );
    calls += 1;

    let login_or_create =
        ApiMagicV1MagicLinksEmailLoginOrCreateRequest::new(EMAIL).with_login_expiration_minutes(30);
    check(
        "login_or_create",
        client
            .magic_links()
            .email_login_or_create(&login_or_create)
            .await,
        &mut failures,
    );
    calls += 1;

    let invite = ApiMagicV1MagicLinksEmailInviteRequest::new(EMAIL);
    check(
        "invite",
        client.magic_links().email_invite(&invite).await,
        &mut failures,
    );
    calls += 1;

    let revoke = ApiMagicV1MagicLinksEmailRevokeInviteRequest::new(EMAIL);
    check(
        "revoke_invite",
        client.magic_links().email_revoke_invite(&revoke).await,
        &mut failures,
    );
    calls += 1;

    assert_eq!(calls, 6, "every operation of the spec is called");
    assert!(
        failures.is_empty(),
        "{} of {calls} calls failed:\n{}\n\nPrism's log:\n{}",
        failures.len(),
        failures.join("\n"),
        prism.log()
    );
}

#[tokio::test]
async fn an_invalid_request_counts_as_a_failure() {
    if !prism::available() {
        return;
    }
    let spec = common::repo_root().join("spec/stytch-magic-links.yaml");
    let logs = common::repo_root().join("target/tmp/conformance");
    let prism = Prism::start(&spec, &logs);
    let client = Client::builder(prism.base_url())
        .basic_auth(
            "project-test-11111111-2222-3333-4444-555555555555",
            "secret-test",
        )
        .build()
        .unwrap();
    // Below the spec's minimum of 5: the client refuses it unless told not to check, and then
    // Prism rejects it (422, or the spec's own 400) with the violation in `sl-violations`.
    let create = ApiMagicV1CreateRequest::new(USER).with_expiration_minutes(3);
    let result = client.magic().create(&create).without_validation().await;
    let Err(Error::Api(rejected)) = &result else {
        panic!("expected Prism to reject the request: {result:?}");
    };
    assert!(rejected.status.is_client_error(), "{result:?}");
    assert!(rejected.headers.contains_key("sl-violations"), "{result:?}");
    let mut failures = Vec::new();
    check("create", result, &mut failures);
    assert_eq!(failures.len(), 1, "{failures:?}");

    // Without credentials the request breaks the spec's security requirement.
    let client = Client::new(prism.base_url()).unwrap();
    let create = ApiMagicV1CreateRequest::new(USER);
    check(
        "create",
        client.magic().create(&create).await,
        &mut failures,
    );
    assert_eq!(failures.len(), 2, "{failures:?}");
}
