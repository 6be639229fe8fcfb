//! OpenAI's own API description (the corpus copy, OpenAPI 3.1), generated with a
//! configuration that keeps only `createChatCompletion`, into a fresh project whose program
//! streams a chat completion from a loopback server answering with `text/event-stream`, as
//! OpenAI's API does: chunks of `CreateChatCompletionStreamResponse`, then `[DONE]`.

mod common;
#[path = "common/project.rs"]
mod project;

use project::{Server, sdkgen};

const CONFIG: &str = r#"[crate]
name = "openai"

[include]
operations = ["createChatCompletion"]
"#;

const APP: &str = r#"use futures_util::StreamExt as _;

#[tokio::main]
async fn main() {
    let base = std::env::args().nth(1).expect("a base URL");
    let client = openai::Client::new(base).expect("a client");
    let body: openai::types::CreateChatCompletionRequest = serde_json::from_value(serde_json::json!({
        "model": "gpt-4o",
        "stream": true,
        "messages": [{"role": "user", "content": "Say hello"}]
    }))
    .expect("a request");
    let mut events = client
        .chat()
        .create_completion_events(&body)
        .await
        .expect("a stream");
    let mut text = String::new();
    let mut chunks = 0;
    while let Some(event) = events.next().await {
        match event.expect("an event").data {
            Ok(chunk) => {
                chunks += 1;
                for choice in &chunk.choices {
                    text.push_str(choice.delta.content.as_deref().unwrap_or(""));
                }
            }
            Err(other) if other.text == "[DONE]" => break,
            Err(other) => panic!("{other}"),
        }
    }
    println!("{chunks} chunks: {text}");
}
"#;

fn answer(request: &str) -> (&'static str, String) {
    if !request.starts_with("POST /chat/completions ") {
        return ("application/json", r#"{"error": "unexpected"}"#.to_owned());
    }
    let chunk = |content: &str, finish: &str| {
        format!(
            r#"data: {{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1733000000,"model":"gpt-4o","choices":[{{"index":0,"delta":{{"content":"{content}"}},"finish_reason":{finish}}}]}}"#
        )
    };
    let body = format!(
        ": keep-alive\n\n{}\n\n{}\n\n{}\n\ndata: [DONE]\n\n",
        chunk("Hel", "null"),
        chunk("lo!", "null"),
        chunk("", "\"stop\"")
    );
    ("text/event-stream", body)
}

#[test]
fn the_openai_client_streams_a_chat_completion() {
    if common::skip_nested_builds() {
        return;
    }
    let Some(specs) = common::shared_specs() else {
        eprintln!("../shared/specs is not beside the repository; skipped");
        return;
    };
    let spec = specs.join("corpus/openai.com__openapi.yaml");
    let project = tempfile::tempdir().expect("a temporary folder");
    let root = project.path();
    std::fs::create_dir_all(root.join("app/src")).unwrap();
    std::fs::write(root.join("sdkgen.toml"), CONFIG).unwrap();
    let spec_arg = spec.display().to_string();
    sdkgen(
        root,
        &[
            "generate",
            &spec_arg,
            "--out",
            "openai",
            "--config",
            "sdkgen.toml",
        ],
    );
    std::fs::write(
        root.join("app/Cargo.toml"),
        "[package]\nname = \"app\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nopenai = { path = \"../openai\", features = [\"full-serde\"] }\nfutures-util = { version = \"0.3\", default-features = false }\nserde_json = \"1\"\ntokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    )
    .unwrap();
    std::fs::write(root.join("app/src/main.rs"), APP).unwrap();
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"app\", \"openai\"]\nresolver = \"3\"\n",
    )
    .unwrap();
    std::fs::copy(
        common::repo_root().join("Cargo.lock"),
        root.join("Cargo.lock"),
    )
    .unwrap();
    let server = Server::start_typed(answer);
    let out = common::run_ok(
        project::cargo(root)
            .args(["run", "--quiet", "-p", "app", "--"])
            .arg(&server.url),
    );
    assert!(out.contains("3 chunks: Hello!"), "{out}");
}
