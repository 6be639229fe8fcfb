//! The Rust verdicts of `sdkgen diff` agree with the compiler: code written against the crate
//! generated from the old Stytch spec still compiles against the crate of a change classified
//! minor (a new response field), and stops compiling against one classified major (a request
//! field removed).

mod common;

use common::diff::{generate_text, stytch_spec, with_response_note, without_expiration};
use sdkgen::diff::{self, Bump};

/// Code a user wrote against the old crate: it sets the field the major change removes and
/// reads the response the minor change extends.
const USER_CODE: &str = r#"
pub async fn create(client: &sdk::Client) -> Result<String, sdk::Error<sdk::types::ErrorResponse>> {
    let request = sdk::types::ApiMagicV1CreateRequest::new("user-1").with_expiration_minutes(60);
    let response = client.magic().create(&request).await?;
    Ok(response.into_body().token)
}
"#;

#[test]
fn minor_changes_keep_user_code_compiling_and_major_ones_do_not() {
    if common::skip_nested_builds() {
        return;
    }
    let spec = stytch_spec();
    let major_spec = without_expiration(&spec);
    let minor_spec = with_response_note(&spec);

    let old = generate_text("sdk-old", "spec.yaml", spec.as_bytes());
    let versions = [("minor", minor_spec), ("major", major_spec)];
    let workspace = common::scratch("diff-semver");
    let mut members = Vec::new();
    sdkgen::output::write(&workspace.join("sdk-old"), &old.files).unwrap();
    members.push("sdk-old".to_owned());
    for sdk in ["old", "minor", "major"] {
        let user = workspace.join(format!("user-{sdk}"));
        std::fs::create_dir_all(user.join("src")).unwrap();
        let manifest = format!(
            "[package]\nname = \"user-{sdk}\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\nsdk = {{ package = \"sdk-{sdk}\", path = \"../sdk-{sdk}\" }}\n"
        );
        std::fs::write(user.join("Cargo.toml"), manifest).unwrap();
        std::fs::write(user.join("src/lib.rs"), USER_CODE).unwrap();
        members.push(format!("user-{sdk}"));
    }
    for (kind, new_spec) in &versions {
        let new = generate_text(&format!("sdk-{kind}"), "spec.yaml", new_spec.as_bytes());
        let report = diff::compare(&old, &new);
        let expected = if *kind == "minor" {
            Bump::Minor
        } else {
            Bump::Major
        };
        assert_eq!(report.bump, expected, "{kind}: {:#?}", report.changes);
        sdkgen::output::write(&workspace.join(format!("sdk-{kind}")), &new.files).unwrap();
        members.push(format!("sdk-{kind}"));
    }
    common::write_workspace(&workspace, &members);

    let check = |user: &str| {
        common::nested_cargo(&workspace)
            .args(["check", "--quiet", "-p", user])
            .output()
            .expect("cargo runs")
    };
    for user in ["user-old", "user-minor"] {
        let output = check(user);
        assert!(
            output.status.success(),
            "{user} does not compile:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let output = check("user-major");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "the major change did not break the user's code"
    );
    assert!(stderr.contains("with_expiration_minutes"), "{stderr}");
}
