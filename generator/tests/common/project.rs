//! A user's own project for the tests that follow the README: a loopback server to call, and
//! the manifest a user writes around a generated crate or module.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;

/// A loopback HTTP server that answers each request with what `answer` gives for its request
/// line (`GET /path HTTP/1.1`): a body (JSON, unless it says otherwise), with status 200.
pub struct Server {
    pub url: String,
}

impl Server {
    pub fn start(answer: fn(&str) -> String) -> Server {
        Self::serve(move |line| ("application/json", answer(line)))
    }

    /// A server whose answers say their content type too.
    pub fn start_typed(answer: fn(&str) -> (&'static str, String)) -> Server {
        Self::serve(answer)
    }

    fn serve(answer: impl Fn(&str) -> (&'static str, String) + Send + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = [0u8; 8192];
                let read = stream.read(&mut request).unwrap_or(0);
                let head = String::from_utf8_lossy(&request[..read]);
                let line = head.lines().next().unwrap_or("").to_owned();
                let (content_type, body) = answer(&line);
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes());
            }
        });
        Server { url }
    }
}

/// The `[dependencies]` (and `[features]`, when `features` is given) of a user's package around
/// generated code, from the generated manifest's tables, less `tokio`, which the program adds
/// with what its own `main` needs.
pub fn tables(generated: &toml::Table, keys: &[&str]) -> String {
    let mut out = String::new();
    for key in keys {
        let mut inner = generated[*key].as_table().unwrap().clone();
        inner.remove("tokio");
        let mut table = toml::Table::new();
        table.insert((*key).to_owned(), toml::Value::Table(inner));
        out.push_str(&table.to_string());
        out.push('\n');
    }
    out
}

/// A package manifest: `[package]` named `name`, then `rest`, the program's tokio, sdkgen as a
/// build dependency without the command's features, and an empty `[workspace]` (a project of
/// its own). The repository's lock file comes along, so versions match the tested ones.
pub fn write_manifest(root: &Path, name: &str, rest: &str) {
    let manifest = format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2024"
build = "build.rs"

{rest}
# The SDK's tokio, with what the program's own `main` needs.
[dependencies.tokio]
version = "1"
features = ["macros", "rt-multi-thread", "time"]

[build-dependencies]
sdkgen = {{ path = {sdkgen:?}, default-features = false }}

[workspace]
"#,
        sdkgen = crate::common::generator_dir().display().to_string(),
    );
    std::fs::write(root.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(
        crate::common::repo_root().join("Cargo.lock"),
        root.join("Cargo.lock"),
    )
    .unwrap();
}

/// Cargo in the project, with `CI` unset (tests set it where they mean to).
pub fn cargo(root: &Path) -> Command {
    let mut command = crate::common::nested_cargo(root);
    command.env_remove("CI");
    command
}

/// `cargo run --bin call -- url`, which must succeed; its output.
pub fn cargo_run(root: &Path, url: &str) -> String {
    crate::common::run_ok(
        cargo(root)
            .args(["run", "--quiet", "--bin", "call"])
            .arg("--")
            .arg(url),
    )
}

/// The `sdkgen` command in `root`, which must succeed.
pub fn sdkgen(root: &Path, args: &[&str]) {
    let status = Command::new(env!("CARGO_BIN_EXE_sdkgen"))
        .args(args)
        .current_dir(root)
        .status()
        .expect("sdkgen runs");
    assert!(status.success(), "sdkgen {args:?}");
}
