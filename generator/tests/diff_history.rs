//! `sdkgen diff` on the real history of Stytch's spec (`../shared/specs/stytch/history/`), each
//! consecutive pair a real change. The expected facts were read from the two files of each pair
//! (which schemas gained which properties, whether the spec lists them as required), not taken
//! from the tool's own report.

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;

use sdkgen::diff::{self, Bump, Category, Report, Verdict};

const VERSIONS: [&str; 6] = common::diff::STYTCH_HISTORY;

fn history() -> Option<PathBuf> {
    common::shared_specs().map(|s| s.join("stytch/history"))
}

fn compare(dir: &std::path::Path, old: &str, new: &str) -> Report {
    let generate = |file: &str| {
        let text = std::fs::read(dir.join(file)).unwrap();
        common::diff::generate_text("stytch", file, &text)
    };
    diff::compare(&generate(old), &generate(new))
}

/// Every wire change as (schema or operation, location, category, wire verdict, Rust bump).
fn wire_changes(report: &Report) -> BTreeSet<(String, String, String, Verdict, Bump)> {
    report
        .changes
        .iter()
        .filter_map(|c| {
            let subject = c
                .subject
                .strip_prefix("schema `")
                .map_or(c.subject.as_str(), |s| s.split('`').next().unwrap_or(s));
            Some((
                subject.to_owned(),
                c.location.clone(),
                c.category?.as_str().to_owned(),
                c.wire?,
                c.rust,
            ))
        })
        .collect()
}

fn set(
    items: &[(&str, &str, &str, Verdict, Bump)],
) -> BTreeSet<(String, String, String, Verdict, Bump)> {
    items
        .iter()
        .map(|(s, l, c, v, b)| (s.to_string(), l.to_string(), c.to_string(), *v, *b))
        .collect()
}

use Bump::{Major, Minor};
use Verdict::{Breaking, Compatible};

#[test]
fn raw_signals_release_adds_an_endpoint_and_fields() {
    let Some(dir) = history() else { return };
    let report = compare(&dir, VERSIONS[0], VERSIONS[1]);
    // New response fields the spec marks required change the response types' constructors:
    // a major change of the Rust API, though no client breaks on the wire.
    let expected = set(&[
        (
            "GET /v1/debug/whoami",
            "",
            "endpoint-added",
            Compatible,
            Minor,
        ),
        (
            "api_connectedapps_v1_ConnectedApp",
            "property `client_id_metadata_url`",
            "new-optional-property",
            Compatible,
            Minor,
        ),
        (
            "api_connectedapps_v1_ConnectedAppWithClientSecret",
            "property `client_id_metadata_url`",
            "new-optional-property",
            Compatible,
            Minor,
        ),
        (
            "api_connectedapps_v1_ConnectedAppWithNextClientSecret",
            "property `client_id_metadata_url`",
            "new-optional-property",
            Compatible,
            Minor,
        ),
        (
            "api_fraud_v1_LookupResponse",
            "property `raw_signals`",
            "new-optional-property",
            Compatible,
            Minor,
        ),
        (
            "api_sso_v1_SAMLConnection",
            "property `allow_gateway_callback`",
            "new-required-response-property",
            Compatible,
            Major,
        ),
        (
            "api_user_v1_CreateRequest",
            "property `roles`",
            "new-optional-property",
            Compatible,
            Minor,
        ),
        (
            "api_user_v1_GetResponse",
            "property `roles`",
            "new-required-response-property",
            Compatible,
            Major,
        ),
        (
            "api_user_v1_UpdateRequest",
            "property `roles`",
            "new-optional-property",
            Compatible,
            Minor,
        ),
        (
            "api_user_v1_User",
            "property `roles`",
            "new-required-response-property",
            Compatible,
            Major,
        ),
    ]);
    assert_eq!(wire_changes(&report), expected);
    assert_eq!(report.wire_breaking, 0);
    assert_eq!(report.bump, Major);
}

#[test]
fn delivery_method_release_is_a_minor_change() {
    let Some(dir) = history() else { return };
    let report = compare(&dir, VERSIONS[1], VERSIONS[2]);
    let expected = set(&[(
        "api_organization_v1_StartEmailUpdateRequest",
        "property `delivery_method`",
        "new-optional-property",
        Compatible,
        Minor,
    )]);
    assert_eq!(wire_changes(&report), expected);
    // The new enum type of `delivery_method` belongs to that change, not to a change of its own.
    assert_eq!(report.changes.len(), 1, "{:#?}", report.changes);
    assert_eq!(report.bump, Minor);
    assert!(!report.breaks(true, true));
}

#[test]
fn organization_external_id_release() {
    let Some(dir) = history() else { return };
    let report = compare(&dir, VERSIONS[2], VERSIONS[3]);
    let expected = set(&[
        (
            "api_discovery_v1_CreateRequest",
            "property `organization_external_id`",
            "new-optional-property",
            Compatible,
            Minor,
        ),
        (
            "api_session_v1_Session",
            "property `roles`",
            "new-required-response-property",
            Compatible,
            Major,
        ),
    ]);
    assert_eq!(wire_changes(&report), expected);
}

#[test]
fn three_months_of_changes_add_five_operations_and_remove_none() {
    let Some(dir) = history() else { return };
    let report = compare(&dir, VERSIONS[3], VERSIONS[4]);
    let endpoints = |category: &str| -> BTreeSet<String> {
        report
            .changes
            .iter()
            .filter(|c| c.category.map(Category::as_str) == Some(category))
            .map(|c| c.subject.clone())
            .collect()
    };
    let added: BTreeSet<String> = [
        "DELETE /v1/b2b/organizations/{organization_id}/external_id",
        "DELETE /v1/b2b/organizations/{organization_id}/members/{member_id}/external_id",
        "DELETE /v1/users/{user_id}/external_id",
        "GET /v1/b2b/rbac/organizations/{organization_id}",
        "PUT /v1/b2b/rbac/organizations/{organization_id}",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert_eq!(endpoints("endpoint-added"), added);
    assert!(endpoints("endpoint-removed").is_empty());
    // Many request and response schemas were split per endpoint under new names: the renames
    // are found and are not wire changes by themselves.
    assert!(endpoints("schema-renamed").len() > 10);
    assert!(
        report
            .changes
            .iter()
            .all(|c| c.category != Some(Category::SchemaRenamed) || c.wire == Some(Compatible))
    );
}

#[test]
fn email_risk_release_makes_org_policy_required() {
    let Some(dir) = history() else { return };
    let report = compare(&dir, VERSIONS[4], VERSIONS[5]);
    // Most of the lines this release removed are code samples (`x-code-samples`): not changes.
    let expected = set(&[
        (
            "POST /v1/email/risk",
            "",
            "endpoint-added",
            Compatible,
            Minor,
        ),
        (
            "api_b2b_rbac_v1_b2b_rbac_organizations_GetOrgPolicyResponse",
            "property `org_policy`",
            "property-required-changed",
            Compatible,
            Major,
        ),
        (
            "api_b2b_rbac_v1_b2b_rbac_organizations_SetOrgPolicyRequest",
            "property `org_policy`",
            "property-required-changed",
            Breaking,
            Major,
        ),
        (
            "api_b2b_rbac_v1_b2b_rbac_organizations_SetOrgPolicyResponse",
            "property `org_policy`",
            "property-required-changed",
            Compatible,
            Major,
        ),
        (
            "api_connectedapps_v1_ConnectedApp",
            "property `creation_method`",
            "new-required-response-property",
            Compatible,
            Major,
        ),
        (
            "api_webauthn_v1_AuthenticateStartRequest",
            "property `use_base64_url_encoding`",
            "new-optional-property",
            Compatible,
            Minor,
        ),
    ]);
    assert_eq!(wire_changes(&report), expected);
    assert_eq!(report.wire_breaking, 1);
    assert!(report.breaks(true, false));
}
