//! sdkgen in a user's own project, as the README's "Use sdkgen in your project" says: a fresh
//! cargo project in a temporary folder outside this workspace, with its own spec, a first
//! `sdkgen generate`, the dependencies of the generated `Cargo.toml` copied into its manifest,
//! and a three-line `build.rs` using `sdkgen::Config` through a path dependency. It builds, its
//! program calls a loopback server through the SDK; then the spec gains a property, and the
//! next `cargo run` regenerates the SDK and compiles a program that uses it. Under `CI`, the
//! same build only checks, and fails with the command that regenerates.

mod common;

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

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

/// The property the edit adds.
const ADDED: &str = "        language: {type: string}\n";

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

    // Step 1 of the README: generate once with the command, to get the crate's dependencies.
    let status = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .args(["generate", "spec/greetings.yaml", "--out", "generated"])
        .args(["--name", "greetings"])
        .current_dir(root)
        .status()
        .expect("sdkgen runs");
    assert!(status.success());
    write_manifest(root);
    std::fs::write(root.join("build.rs"), BUILD_RS).unwrap();
    std::fs::write(root.join("src/bin/call.rs"), CALL).unwrap();

    let server = Server::start();
    let out = cargo_run(root, &server.url);
    assert!(out.contains("message: hello ann"), "{out}");

    // The spec gains a property: the next build regenerates, and the program using it compiles.
    let spec = SPEC.replace(
        "        message: {type: string}\n",
        &format!("        message: {{type: string}}\n{ADDED}"),
    );
    std::fs::write(root.join("spec/greetings.yaml"), &spec).unwrap();
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
    let tables = |key: &str| {
        let mut inner = generated[key].as_table().unwrap().clone();
        // The program adds features to the SDK's tokio.
        inner.remove("tokio");
        let mut table = toml::Table::new();
        table.insert(key.to_owned(), toml::Value::Table(inner));
        table.to_string()
    };
    let manifest = format!(
        r#"[package]
name = "greetings"
version = "0.1.0"
edition = "2024"
build = "build.rs"

[lib]
path = "generated/src/lib.rs"

{dependencies}# The SDK's tokio, with what the program's own `main` needs.
[dependencies.tokio]
version = "1"
features = ["macros", "rt-multi-thread", "time"]

{features}
[build-dependencies]
sdkgen = {{ path = {sdkgen:?}, default-features = false }}

# A project of its own, not a member of a workspace above it.
[workspace]
"#,
        dependencies = tables("dependencies"),
        features = tables("features"),
        sdkgen = common::generator_dir().display().to_string(),
    );
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(
        common::repo_root().join("Cargo.lock"),
        root.join("Cargo.lock"),
    )
    .unwrap();
}

fn cargo(root: &Path) -> Command {
    let mut command = common::nested_cargo(root);
    command.env_remove("CI");
    command
}

fn cargo_run(root: &Path, url: &str) -> String {
    common::run_ok(
        cargo(root)
            .args(["run", "--quiet", "--bin", "call"])
            .arg("--")
            .arg(url),
    )
}

/// A loopback HTTP server answering every request with a greeting for `ann`.
struct Server {
    url: String,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = [0u8; 4096];
                let read = stream.read(&mut request).unwrap_or(0);
                let head = String::from_utf8_lossy(&request[..read]);
                let body = if head.starts_with("GET /greetings/ann ") {
                    r#"{"message":"hello ann","language":"en"}"#
                } else {
                    r#"{"message":"wrong request"}"#
                };
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes());
            }
        });
        Server { url }
    }
}
