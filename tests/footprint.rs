//! The generated crate as a guest: a host crate whose own reqwest has its default features off
//! (plain HTTP, as internal services often have it) depends on the flagship SDK beside it. Cargo
//! unifies the two reqwests into one; the host's own client must keep working, and so must the
//! SDK's, both against a server on 127.0.0.1.

#[path = "../generator/tests/common/mod.rs"]
mod common;

/// The host's program: a one-request-per-connection HTTP server on a loopback port, a request
/// through the host's reqwest, then one through the SDK.
const HOST_MAIN: &str = r##"
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

const CREATED: &str = r#"{"request_id":"request-1","user_id":"user-1","token":"token-1","status_code":200}"#;

fn serve(listener: TcpListener) {
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { return };
        let mut reader = BufReader::new(stream.try_clone().expect("clone"));
        let mut length = 0;
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                break;
            }
            let lower = line.to_ascii_lowercase();
            if let Some(value) = lower.strip_prefix("content-length:") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).expect("request body");
        let answer = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{CREATED}",
            CREATED.len()
        );
        stream.write_all(answer.as_bytes()).expect("answer written");
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("loopback port");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    std::thread::spawn(move || serve(listener));

    let host = reqwest::get(format!("{base}/health")).await.expect("the host's own request");
    let text = host.text().await.expect("the host's response body");
    assert!(text.contains("request-1"), "{text}");

    let client = stytch_magic_links::Client::builder(&base)
        .basic_auth("project-1", "secret-1")
        .build()
        .expect("the SDK's client");
    let body = stytch_magic_links::types::ApiMagicV1CreateRequest::new("user-1");
    let created = client.magic().create(&body).await.expect("the SDK's request");
    assert_eq!(created.token, "token-1");
    println!("host and SDK both answered");
}
"##;

#[test]
fn a_host_with_plain_http_reqwest_keeps_working_beside_the_sdk() {
    if common::skip_nested_builds() {
        return;
    }
    let root = common::repo_root();
    let host = common::scratch("footprint-host");
    let generated = root.join("generated");
    let manifest = format!(
        "[package]\nname = \"host\"\nversion = \"0.1.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n\
         reqwest = {{ version = \"0.13\", default-features = false }}\n\
         stytch-magic-links = {{ path = {:?} }}\n\
         tokio = {{ version = \"1\", features = [\"macros\", \"rt\"] }}\n\n\
         [workspace]\n",
        generated.display().to_string()
    );
    std::fs::write(host.join("Cargo.toml"), manifest).expect("host manifest");
    std::fs::copy(root.join("Cargo.lock"), host.join("Cargo.lock")).expect("lockfile");
    std::fs::create_dir_all(host.join("src")).expect("src");
    std::fs::write(host.join("src/main.rs"), HOST_MAIN.trim_start()).expect("host main");
    let mut run = common::nested_cargo(&host);
    run.args(["run", "--quiet"]);
    let output = common::run_ok(&mut run);
    assert!(output.contains("host and SDK both answered"), "{output}");
}
