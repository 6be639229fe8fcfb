//! sdkgen in a user's own project, as the README's "Use sdkgen in your project" says: a fresh
//! cargo project in a temporary folder outside this workspace, with its own spec, a first
//! `sdkgen generate` (which reads the `sdkgen.toml` beside the spec), the dependencies of the
//! generated `Cargo.toml` copied into its manifest,
//! and a three-line `build.rs` using `sdkgen::Config` through a path dependency. It builds, its
//! program calls a loopback server through the SDK; then the spec gains a property, and the
//! next `cargo run` regenerates the SDK and compiles a program that uses it. Under `CI`, the
//! same build only checks, and fails with the command that regenerates.
//!
//! The second project does the same in module mode (the SDK generated into `OUT_DIR` and
//! included into the project's own library); the third, in `own_project_config.rs`, shows a
//! configuration file at work.

mod common;
#[path = "common/project.rs"]
mod project;

use std::path::Path;

use project::{Server, cargo, cargo_run, sdkgen};

const SPEC: &str = r#"openapi: 3.0.3
info: {title: Greetings, version: '1'}
paths:
  /greetings/{name}:
    get:
      operationId: getGreeting
      tags: [greetings]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: a greeting
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Greeting'}
components:
  schemas:
    Greeting:
      type: object
      required: [message]
      properties:
        message: {type: string}
"#;

/// The spec after the edit: `Greeting` gains a property.
fn with_language(spec: &str) -> String {
    spec.replace(
        "        message: {type: string}\n",
        "        message: {type: string}\n        language: {type: string}\n",
    )
}

const BUILD_RS: &str = r#"fn main() -> Result<(), sdkgen::Error> {
    sdkgen::Config::new("spec/greetings.yaml", "generated").generate()?;
    Ok(())
}
"#;

const CALL: &str = r#"#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).expect("a base URL");
    let client = greetings::Client::new(base).expect("a client");
    let greeting = client.greetings().get_greeting("ann").await.expect("a greeting");
    println!("message: {}", greeting.message);
}
"#;

/// The program after the edit: it reads the new property, so it compiles only if the build
/// regenerated the SDK before compiling it.
const CALL_AFTER_EDIT: &str = r#"#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).expect("a base URL");
    let client = greetings::Client::new(base).expect("a client");
    let greeting = client.greetings().get_greeting("ann").await.expect("a greeting");
    println!("message: {} ({:?})", greeting.message, greeting.language);
}
"#;

#[test]
fn a_build_script_generates_checks_and_regenerates_the_sdk() {
    if common::skip_nested_builds() {
        return;
    }
    let project = tempfile::tempdir().expect("a temporary folder");
    let root = project.path();
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::create_dir_all(root.join("src/bin")).unwrap();
    std::fs::write(root.join("spec/greetings.yaml"), SPEC).unwrap();
    // The configuration beside the spec, which the command and the build script both read.
    std::fs::write(
        root.join("spec/sdkgen.toml"),
        "[crate]\nname = \"greetings\"\n",
    )
    .unwrap();

    // Step 1 of the README: generate once with the command, to get the crate's dependencies.
    sdkgen(
        root,
        &["generate", "spec/greetings.yaml", "--out", "generated"],
    );
    write_manifest(root);
    std::fs::write(root.join("build.rs"), BUILD_RS).unwrap();
    std::fs::write(root.join("src/bin/call.rs"), CALL).unwrap();

    let server = Server::start(greet);
    let out = cargo_run(root, &server.url);
    assert!(out.contains("message: hello ann"), "{out}");

    // The spec gains a property: the next build regenerates, and the program using it compiles.
    std::fs::write(root.join("spec/greetings.yaml"), with_language(SPEC)).unwrap();
    std::fs::write(root.join("src/bin/call.rs"), CALL_AFTER_EDIT).unwrap();
    let out = cargo_run(root, &server.url);
    assert!(out.contains("message: hello ann (Some(\"en\"))"), "{out}");
    let greeting = std::fs::read_to_string(root.join("generated/src/types/greeting.rs")).unwrap();
    assert!(
        greeting.contains("pub language: Option<String>"),
        "{greeting}"
    );

    // Under CI, a spec that changed without regenerating fails the build with the command.
    std::fs::write(root.join("spec/greetings.yaml"), SPEC).unwrap();
    let failed = cargo(root)
        .args(["build", "--bin", "call"])
        .env("CI", "true")
        .output()
        .expect("cargo runs");
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(!failed.status.success(), "{stderr}");
    assert!(
        stderr.contains("regenerate with `sdkgen generate spec/greetings.yaml --out generated`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("differs: src/types/greeting.rs"),
        "{stderr}"
    );
}

/// The package manifest a user writes: the library is the generated crate's source, its
/// `[dependencies]` and `[features]` are those of the generated `Cargo.toml`, and sdkgen is a
/// build dependency without the command's features.
fn write_manifest(root: &Path) {
    let generated: toml::Table = std::fs::read_to_string(root.join("generated/Cargo.toml"))
        .unwrap()
        .parse()
        .unwrap();
    let rest = format!(
        "[lib]\npath = \"generated/src/lib.rs\"\n\n{}",
        project::tables(&generated, &["dependencies", "features"])
    );
    project::write_manifest(root, "greetings", &rest);
}

/// The server's answers: a greeting for `ann`, and a farewell.
fn greet(request: &str) -> String {
    if request.starts_with("GET /greetings/ann ") {
        r#"{"message":"hello ann","language":"en"}"#.to_owned()
    } else if request.starts_with("GET /farewells/ann ") {
        r#"{"message":"bye ann"}"#.to_owned()
    } else {
        r#"{"message":"wrong request"}"#.to_owned()
    }
}

const MODULE_BUILD_RS: &str = r#"fn main() -> Result<(), sdkgen::Error> {
    let out = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).join("greetings");
    sdkgen::Config::new("spec/greetings.yaml", out).module("greetings").generate()?;
    Ok(())
}
"#;

const MODULE_LIB_RS: &str = r#"//! A library with the SDK as one of its modules.

pub mod greetings {
    include!(concat!(env!("OUT_DIR"), "/greetings/mod.rs"));
}
"#;

/// The second project's program, through the module (`host::greetings`).
const MODULE_CALL: &str = r#"#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).expect("a base URL");
    let client = host::greetings::Client::new(base).expect("a client");
    let greeting = client.greetings().get_greeting("ann").await.expect("a greeting");
    let farewell = client.farewells().get_farewell("ann").await.expect("a farewell");
    println!("message: {}; {}", greeting.message, farewell.message);
}
"#;

const FAREWELLS: &str = r#"  /farewells/{name}:
    get:
      operationId: getFarewell
      tags: [farewells]
      parameters:
        - {name: name, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: a farewell
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Greeting'}
"#;

#[test]
fn a_build_script_generates_the_sdk_as_a_module_of_the_project() {
    if common::skip_nested_builds() {
        return;
    }
    let project = tempfile::tempdir().expect("a temporary folder");
    let root = project.path();
    std::fs::create_dir_all(root.join("spec")).unwrap();
    std::fs::create_dir_all(root.join("src/bin")).unwrap();
    // Two groups: both are compiled into the module (there are no features to pick them).
    let spec = SPEC.replace("components:\n", &format!("{FAREWELLS}components:\n"));
    std::fs::write(root.join("spec/greetings.yaml"), &spec).unwrap();

    // Once, by hand: the dependencies the module needs, to copy into the manifest.
    sdkgen(
        root,
        &[
            "generate",
            "spec/greetings.yaml",
            "--out",
            "first",
            "--module",
            "greetings",
        ],
    );
    let dependencies: toml::Table = std::fs::read_to_string(root.join("first/dependencies.toml"))
        .unwrap()
        .parse()
        .unwrap();
    assert!(root.join("first/mod.rs").is_file());
    assert!(!root.join("first/Cargo.toml").exists());
    project::write_manifest(
        root,
        "host",
        &project::tables(&dependencies, &["dependencies"]),
    );
    std::fs::remove_dir_all(root.join("first")).unwrap();
    std::fs::write(root.join("build.rs"), MODULE_BUILD_RS).unwrap();
    std::fs::write(root.join("src/lib.rs"), MODULE_LIB_RS).unwrap();
    std::fs::write(root.join("src/bin/call.rs"), MODULE_CALL).unwrap();

    let server = Server::start(greet);
    let out = cargo_run(root, &server.url);
    assert!(out.contains("message: hello ann; bye ann"), "{out}");

    // The spec gains a property: the next build regenerates the module, also under CI (the
    // module is built output, not checked-in code).
    std::fs::write(root.join("spec/greetings.yaml"), with_language(&spec)).unwrap();
    let call = MODULE_CALL.replace(
        "greeting.message, farewell.message",
        "greeting.message, farewell.message); println!(\"{:?}\", greeting.language",
    );
    std::fs::write(root.join("src/bin/call.rs"), call).unwrap();
    let out = crate::common::run_ok(
        cargo(root)
            .args(["run", "--quiet", "--bin", "call", "--"])
            .arg(&server.url)
            .env("CI", "true"),
    );
    assert!(out.contains("Some(\"en\")"), "{out}");
}
