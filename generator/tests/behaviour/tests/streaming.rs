//! Streamed responses against a real HTTP server on 127.0.0.1 that writes its body in pieces,
//! with pauses: Server-Sent Events split across reads (comments, multi-line data, `id` and
//! `retry`, a final `[DONE]`, an event cut off by the close), the read timeout between events
//! rather than over the stream, JSON Lines and JSON text sequences with a line that does not
//! decode, an error status on a streamed call, and a download read as bytes into a file.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::Duration;

use futures_util::StreamExt as _;
use streaming::Client;
use streaming::runtime::Error;
use streaming::types::CompletionRequest;

/// A server that answers each connection once: the head, then each of `pieces` after a pause
/// of `pause`, then closes. Each request's first line goes back through the channel.
fn serve(
    status: &'static str,
    content_type: &'static str,
    pieces: Vec<&'static [u8]>,
    pause: Duration,
) -> (String, std::sync::mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut request = [0u8; 8192];
            let read = stream.read(&mut request).unwrap_or(0);
            let head = String::from_utf8_lossy(&request[..read]).into_owned();
            let _ = send.send(head);
            let head = format!(
                "HTTP/1.1 {status}\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            );
            if stream.write_all(head.as_bytes()).is_err() {
                continue;
            }
            for piece in &pieces {
                std::thread::sleep(pause);
                let chunk = format!("{:x}\r\n", piece.len());
                let sent = stream
                    .write_all(chunk.as_bytes())
                    .and_then(|()| stream.write_all(piece))
                    .and_then(|()| stream.write_all(b"\r\n"))
                    .and_then(|()| stream.flush());
                if sent.is_err() {
                    break;
                }
            }
            let _ = stream.write_all(b"0\r\n\r\n");
        }
    });
    (url, receive)
}

#[tokio::test]
async fn events_split_across_reads_decode_one_by_one() {
    let pieces: Vec<&'static [u8]> = vec![
        b"\xef\xbb\xbf: a comment, then a keep-alive\r\n\r\n",
        b"id: 1\r\nretry: 2500\r\ndata: {\"n\": 1,",
        b" \"label\": \"one\"}\r\n\r",
        b"\nevent: tick\ndata: {\"n\":\ndata: 2}\n\n",
        b"data: [DONE]\n\n",
        b"data: {\"n\": 3}",
    ];
    let (url, requests) = serve(
        "200 OK",
        "text/event-stream",
        pieces,
        Duration::from_millis(30),
    );
    let client = Client::new(url).unwrap();
    let mut events = client.ticks().watch().await.unwrap().into_body();
    let first = events.next().await.unwrap().unwrap();
    assert_eq!(first.event, "message");
    assert_eq!(first.id.as_deref(), Some("1"));
    assert_eq!(first.retry, Some(Duration::from_millis(2500)));
    let tick = first.data.unwrap();
    assert_eq!((tick.n, tick.label.as_deref()), (1, Some("one")));
    let second = events.next().await.unwrap().unwrap();
    assert_eq!(second.event, "tick");
    assert_eq!(
        second.id.as_deref(),
        Some("1"),
        "the last event ID carries over"
    );
    assert_eq!(
        second.data.unwrap().n,
        2,
        "data lines join with a line feed"
    );
    let done = events.next().await.unwrap().unwrap();
    let undecoded = done.data.unwrap_err();
    assert_eq!(undecoded.text, "[DONE]");
    // The last event has no blank line before the close: it is not dispatched.
    assert!(events.next().await.is_none());
    assert_eq!(events.last_event_id(), Some("1"));
    assert_eq!(events.reconnect_after(), Some(Duration::from_millis(2500)));
    let head = requests.recv().unwrap();
    assert!(head.starts_with("GET /ticks "), "{head}");
    assert!(
        head.to_ascii_lowercase()
            .contains("accept: text/event-stream"),
        "{head}"
    );
}

#[tokio::test]
async fn the_read_timeout_applies_between_events_not_to_the_stream() {
    // Ten events, 120 ms apart: 1.2 s in all, each wait far under the read timeout of 600 ms.
    let pieces: Vec<&'static [u8]> = vec![b"data: {\"n\": 0}\n\n"; 10];
    let (url, _) = serve(
        "200 OK",
        "text/event-stream",
        pieces,
        Duration::from_millis(120),
    );
    let client = Client::builder(url)
        .read_timeout(Duration::from_millis(600))
        .build()
        .unwrap();
    let events: Vec<_> = client
        .ticks()
        .watch()
        .timeout(Duration::from_millis(500))
        .await
        .unwrap()
        .into_body()
        .collect()
        .await;
    assert_eq!(events.len(), 10);
    assert!(events.iter().all(|e| e.is_ok()));

    // A server that stops sending for longer than the read timeout fails the stream.
    let pieces: Vec<&'static [u8]> = vec![b"data: {\"n\": 0}\n\n", b"data: {\"n\": 1}\n\n"];
    let (url, _) = serve(
        "200 OK",
        "text/event-stream",
        pieces,
        Duration::from_millis(700),
    );
    let client = Client::builder(url)
        .read_timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    let mut events = client.ticks().watch().await.unwrap().into_body();
    let stalled = events.next().await.unwrap().unwrap_err();
    assert!(stalled.to_string().contains("failed"), "{stalled}");
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn an_operation_that_also_answers_json_has_both_methods() {
    let pieces: Vec<&'static [u8]> = vec![
        b"data: {\"delta\": \"Hel\"}\n\n",
        b"data: {\"delta\": \"lo\"}\n\n",
        b"data: [DONE]\n\n",
    ];
    let (url, requests) = serve(
        "200 OK",
        "text/event-stream",
        pieces,
        Duration::from_millis(10),
    );
    let client = Client::new(url).unwrap();
    let body = CompletionRequest::new("Say hello").with_stream(true);
    let mut events = client
        .completions()
        .create_completion_events(&body)
        .await
        .unwrap();
    let mut text = String::new();
    while let Some(event) = events.next().await {
        match event.unwrap().data {
            Ok(chunk) => text.push_str(&chunk.delta),
            Err(other) if other.text == "[DONE]" => break,
            Err(other) => panic!("{other}"),
        }
    }
    assert_eq!(text, "Hello");
    let head = requests.recv().unwrap();
    assert!(head.starts_with("POST /completions "), "{head}");
    assert!(head.contains("\"stream\":true"), "{head}");
}

#[tokio::test]
async fn an_error_status_is_read_whole_and_decoded() {
    let pieces: Vec<&'static [u8]> = vec![b"{\"message\": \"slow down\"}"];
    let (url, _) = serve(
        "429 Too Many Requests",
        "application/json",
        pieces,
        Duration::ZERO,
    );
    let client = Client::builder(url)
        .retry(streaming::runtime::RetryPolicy::none())
        .build()
        .unwrap();
    match client.ticks().watch().await {
        Err(Error::Api(error)) => {
            assert_eq!(error.status.as_u16(), 429);
            assert_eq!(error.body.message.as_deref(), Some("slow down"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn json_lines_and_sequences_decode_each_item() {
    let pieces: Vec<&'static [u8]> = vec![
        b"{\"n\": 1}\n{\"n\"",
        b": 2}\r\n\nnot json\n",
        b"{\"n\": 3}",
    ];
    let (url, _) = serve(
        "200 OK",
        "application/x-ndjson",
        pieces,
        Duration::from_millis(10),
    );
    let client = Client::new(url).unwrap();
    let lines: Vec<_> = client
        .ticks()
        .tick_lines()
        .await
        .unwrap()
        .into_body()
        .collect()
        .await;
    let lines: Vec<_> = lines.into_iter().map(|l| l.unwrap()).collect();
    assert_eq!(lines.len(), 4);
    assert_eq!(lines[0].as_ref().unwrap().n, 1);
    assert_eq!(lines[1].as_ref().unwrap().n, 2);
    assert_eq!(lines[2].as_ref().unwrap_err().text, "not json");
    assert_eq!(
        lines[3].as_ref().unwrap().n,
        3,
        "a last line needs no line feed"
    );

    let pieces: Vec<&'static [u8]> = vec![b"\x1e{\"n\": 1}\n\x1e{\"n\"", b": 2}\n"];
    let (url, _) = serve(
        "200 OK",
        "application/json-seq",
        pieces,
        Duration::from_millis(10),
    );
    let client = Client::new(url).unwrap();
    let records: Vec<i64> = client
        .ticks()
        .tick_sequence()
        .await
        .unwrap()
        .into_body()
        .map(|r| r.unwrap().unwrap().n)
        .collect()
        .await;
    assert_eq!(records, [1, 2]);
}

#[tokio::test]
async fn a_download_streams_into_a_file() {
    let pieces: Vec<&'static [u8]> = vec![b"first part, ", b"second part, ", b"the end"];
    let (url, _) = serve(
        "200 OK",
        "application/octet-stream",
        pieces,
        Duration::from_millis(10),
    );
    let client = Client::new(url).unwrap();
    let dir = std::env::temp_dir().join(format!("streaming-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("archive.bin");
    let body = client
        .files()
        .download_archive()
        .bytes_stream()
        .await
        .unwrap()
        .into_body();
    assert_eq!(body.status().as_u16(), 200);
    let written = body.save(&file).await.unwrap();
    assert_eq!(written, 32);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "first part, second part, the end"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
