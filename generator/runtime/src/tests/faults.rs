//! Network faults against a scripted HTTP server on 127.0.0.1: connections reset mid-body,
//! truncated and oversized bodies, stalls, invalid UTF-8, wrong media types, redirect loops and
//! bodies that do not match their schema. Each ends in a typed error, without a panic or a hang.

use std::time::Duration;

use reqwest::Method;
use serde::Deserialize;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::runtime::{
    Call, Client, DecodeError, Error, Request, RetryPolicy, StatusCode, TransportError,
    decode_json, decode_text,
};

/// What the scripted server does on each connection, after reading the request's head.
#[derive(Clone)]
enum Step {
    Write(Vec<u8>),
    /// Waits far longer than any test's timeout.
    Stall,
    /// Closes the connection with a TCP reset.
    Reset,
}

fn write(text: impl Into<Vec<u8>>) -> Step {
    Step::Write(text.into())
}

/// The head of a response with a status, headers and a `Content-Length`.
fn head(status: &str, content_type: &str, length: usize) -> Step {
    write(format!(
        "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ncontent-length: {length}\r\n\r\n"
    ))
}

/// Starts a server that answers every connection with `script`; returns its base URL.
async fn serve(script: Vec<Step>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(answer(stream, script.clone()));
        }
    });
    format!("http://{address}")
}

async fn answer(mut stream: TcpStream, script: Vec<Step>) {
    let mut request = Vec::new();
    let mut buffer = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buffer[..n]),
        }
    }
    for step in script {
        match step {
            Step::Write(bytes) => {
                if stream.write_all(&bytes).await.is_err() {
                    return;
                }
                let _ = stream.flush().await;
            }
            Step::Stall => tokio::time::sleep(Duration::from_secs(600)).await,
            Step::Reset => {
                let _ = stream.set_zero_linger();
                return;
            }
        }
    }
}

#[derive(Debug, Deserialize)]
struct Token {
    #[allow(dead_code)]
    token: String,
}

fn client(base: &str) -> Client {
    Client::builder(base)
        .retry(RetryPolicy::none())
        .read_timeout(Duration::from_millis(300))
        .max_response_size(64 * 1024)
        .build()
        .unwrap()
}

async fn get_token(client: &Client) -> Result<Token, Error<serde_json::Value>> {
    let request = Request::new(Method::GET, "/token".to_owned());
    let call: Call<'_, Token, serde_json::Value> =
        Call::new(client, request, decode_json, decode_json);
    // A hang fails the test instead of stopping the suite.
    tokio::time::timeout(Duration::from_secs(20), call)
        .await
        .expect("the call hung")
        .map(|response| response.into_body())
}

fn transport(error: Error<serde_json::Value>) -> TransportError {
    match error {
        Error::Transport(e) => e,
        other => panic!("expected a transport error, got {other:?}"),
    }
}

fn unexpected(error: Error<serde_json::Value>) -> (StatusCode, Option<String>, DecodeError) {
    match error {
        Error::UnexpectedResponse(e) => (e.status, e.content_type().map(str::to_owned), e.reason),
        other => panic!("expected an unexpected response, got {other:?}"),
    }
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_body_error() {
    let base = serve(vec![
        head("200 OK", "application/json", 1000),
        write(r#"{"token": "abc"#),
        Step::Reset,
    ])
    .await;
    let error = transport(get_token(&client(&base)).await.unwrap_err());
    assert!(error.is_body(), "{error:?}");
    assert!(!error.is_timeout() && !error.is_too_large(), "{error:?}");
}

#[tokio::test]
async fn a_body_closed_before_its_length_is_a_body_error() {
    let base = serve(vec![
        head("200 OK", "application/json", 1000),
        write(r#"{"token": "#),
    ])
    .await;
    let error = transport(get_token(&client(&base)).await.unwrap_err());
    assert!(error.is_body(), "{error:?}");
}

#[tokio::test]
async fn truncated_json_is_an_unexpected_response() {
    let body = r#"{"token": "ab"#;
    let base = serve(vec![
        head("200 OK", "application/json", body.len()),
        write(body),
    ])
    .await;
    let (status, _, reason) = unexpected(get_token(&client(&base)).await.unwrap_err());
    assert_eq!(status, 200);
    assert!(reason.to_string().starts_with("truncated JSON"), "{reason}");
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_by_its_length_or_while_it_arrives() {
    let big = vec![b' '; 65 * 1024];
    // Declared up front: refused before reading.
    let base = serve(vec![
        head("200 OK", "application/json", big.len()),
        write(big.clone()),
    ])
    .await;
    let error = transport(get_token(&client(&base)).await.unwrap_err());
    assert!(error.is_too_large(), "{error:?}");
    assert!(error.to_string().contains("65536 bytes"), "{error}");
    // Chunked, with no length: refused once the limit is passed, while the server keeps sending.
    let chunk = format!("{:x}\r\n{}\r\n", 8192, " ".repeat(8192));
    let mut script = vec![write(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
    )];
    script.extend(std::iter::repeat_n(write(chunk), 1000));
    let base = serve(script).await;
    let error = transport(get_token(&client(&base)).await.unwrap_err());
    assert!(error.is_too_large(), "{error:?}");
    // Under the limit, the same client reads it.
    let body = format!(r#"{{"token": "{}"}}"#, "x".repeat(60 * 1024));
    let base = serve(vec![
        head("200 OK", "application/json", body.len()),
        write(body),
    ])
    .await;
    get_token(&client(&base)).await.unwrap();
}

#[tokio::test]
async fn a_server_that_stalls_after_the_headers_times_out() {
    let base = serve(vec![
        head("200 OK", "application/json", 100),
        write(r#"{"tok"#),
        Step::Stall,
    ])
    .await;
    let error = transport(get_token(&client(&base)).await.unwrap_err());
    assert!(error.is_timeout(), "{error:?}");
    // The HTTP client's read timeout or the runtime's own timer, whichever notices first.
    let shown = error.to_string();
    assert!(
        shown.contains("timed out") || shown.contains("read timeout"),
        "{shown}"
    );
}

#[tokio::test]
async fn a_server_that_never_answers_times_out() {
    let base = serve(vec![Step::Stall]).await;
    let error = transport(get_token(&client(&base)).await.unwrap_err());
    assert!(error.is_timeout(), "{error:?}");
}

#[tokio::test]
async fn invalid_utf8_is_an_unexpected_response_for_json_and_for_text() {
    let body = b"{\"token\": \"\xff\xfe\"}".to_vec();
    let base = serve(vec![
        head("200 OK", "application/json", body.len()),
        write(body),
    ])
    .await;
    let client = client(&base);
    let (_, _, reason) = unexpected(get_token(&client).await.unwrap_err());
    assert!(reason.to_string().starts_with("not valid JSON"), "{reason}");

    let request = Request::new(Method::GET, "/text".to_owned());
    let call: Call<'_, String, serde_json::Value> =
        Call::new(&client, request, decode_text, decode_json);
    let (_, _, reason) = unexpected(call.await.unwrap_err());
    assert!(
        reason.to_string().contains("not UTF-8 (at byte 11)"),
        "{reason}"
    );
}

#[tokio::test]
async fn an_html_page_where_json_was_expected_names_its_media_type() {
    let body = "<html><body>Bad gateway</body></html>";
    let base = serve(vec![
        head("200 OK", "text/html; charset=utf-8", body.len()),
        write(body),
    ])
    .await;
    let error = get_token(&client(&base)).await.unwrap_err();
    let shown = error.to_string();
    let (status, media_type, reason) = unexpected(error);
    assert_eq!(
        (status.as_u16(), media_type.as_deref()),
        (200, Some("text/html"))
    );
    assert!(reason.to_string().starts_with("not valid JSON"), "{reason}");
    assert!(shown.contains("(200 OK, text/html, 37 bytes)"), "{shown}");
    assert!(
        !shown.contains("Bad gateway"),
        "the body is not shown: {shown}"
    );
}

#[tokio::test]
async fn a_body_that_does_not_match_the_schema_is_an_unexpected_response() {
    let body = r#"{"token": 42, "secret": "do-not-print"}"#;
    let base = serve(vec![
        head("200 OK", "application/json", body.len()),
        write(body),
    ])
    .await;
    let error = get_token(&client(&base)).await.unwrap_err();
    let printed = format!("{error} {error:?}");
    let (_, _, reason) = unexpected(error);
    assert!(
        reason
            .to_string()
            .starts_with("JSON that does not match the declared schema"),
        "{reason}"
    );
    assert!(!printed.contains("do-not-print"), "{printed}");
}

#[tokio::test]
async fn a_redirect_loop_stops_at_the_limit() {
    let base = serve(vec![write(
        "HTTP/1.1 302 Found\r\nlocation: /token\r\ncontent-length: 0\r\n\r\n",
    )])
    .await;
    let error = transport(get_token(&client(&base)).await.unwrap_err());
    assert!(error.is_too_many_redirects(), "{error:?}");
    assert!(error.to_string().contains("more than 10 times"), "{error}");
}
