//! Streamed bodies fed chunk by chunk: Server-Sent Events per the WHATWG rules, split at every
//! byte; JSON Lines and JSON text sequences likewise; the read timeout; the item size limit.

use std::time::Duration;

use futures_util::stream::{self, StreamExt as _};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::Deserialize;

use crate::runtime::{Event, EventStream, JsonLines, MAX_ITEM_SIZE, StreamError, StreamedBody};

#[derive(Debug, Deserialize, PartialEq)]
struct Tick {
    n: i64,
}

fn body(chunks: Vec<Vec<u8>>) -> StreamedBody {
    let chunks = stream::iter(chunks.into_iter().map(|c| Ok(bytes::Bytes::from(c))));
    StreamedBody {
        status: StatusCode::OK,
        headers: HeaderMap::new(),
        chunks: Box::pin(chunks),
        read_timeout: Duration::from_secs(5),
        reopen: None,
    }
}

/// The text split into chunks of `size` bytes.
fn split(text: &[u8], size: usize) -> Vec<Vec<u8>> {
    text.chunks(size).map(<[u8]>::to_vec).collect()
}

async fn events(chunks: Vec<Vec<u8>>) -> Vec<Event<Tick>> {
    EventStream::<Tick>::new(body(chunks))
        .map(|e| e.unwrap())
        .collect()
        .await
}

const EVENTS: &[u8] = b"\xef\xbb\xbf: comment\r\n\r\nretry: 1500\nid: a\ndata: {\"n\":\rdata: 1}\r\n\r\nevent: named\ndata:{\"n\": 2}\n\nevent: lonely\n\nid: b\x00c\ndata: {\"n\": 3}\nretry: soon\nunknown: field\nid\n\ndata\n\ndata: {\"n\": 4}";

#[tokio::test]
async fn events_follow_the_whatwg_rules() {
    let all = events(vec![EVENTS.to_vec()]).await;
    assert_eq!(all.len(), 4, "{all:?}");
    assert_eq!(all[0].event, "message");
    assert_eq!(all[0].id.as_deref(), Some("a"));
    assert_eq!(all[0].retry, Some(Duration::from_millis(1500)));
    assert_eq!(
        all[0].data,
        Ok(Tick { n: 1 }),
        "CR ends a line; data lines join"
    );
    assert_eq!(all[1].event, "named");
    assert_eq!(all[1].data, Ok(Tick { n: 2 }), "no space after the colon");
    assert_eq!(all[1].retry, None);
    // `event: lonely` has no data: nothing is dispatched. An id with NUL is ignored, a retry
    // that is not digits too; a bare `id` clears the last event ID.
    assert_eq!(all[2].data, Ok(Tick { n: 3 }));
    assert_eq!(all[2].event, "message");
    assert_eq!(all[2].id, None);
    // A bare `data` line is empty data: an event whose data does not decode.
    assert_eq!(all[3].data.as_ref().unwrap_err().text, "");
    // The last event is cut off by the end of the body: not dispatched.
}

#[tokio::test]
async fn events_are_the_same_wherever_the_body_is_split() {
    let whole = events(vec![EVENTS.to_vec()]).await;
    for size in 1..EVENTS.len() {
        assert_eq!(events(split(EVENTS, size)).await, whole, "chunks of {size}");
    }
}

#[tokio::test]
async fn an_event_that_never_ends_fails_the_stream() {
    let mut chunks = vec![b"data: ".to_vec()];
    chunks.extend(std::iter::repeat_n(
        vec![b'x'; 1 << 20],
        MAX_ITEM_SIZE / (1 << 20) + 1,
    ));
    let mut stream = EventStream::<Tick>::new(body(chunks));
    match stream.next().await {
        Some(Err(StreamError::ItemTooLarge)) => {}
        other => panic!("{other:?}"),
    }
    assert!(stream.next().await.is_none());
}

#[tokio::test]
async fn a_server_that_stops_sending_times_out() {
    let started = std::time::Instant::now();
    let pending = stream::iter([Ok(bytes::Bytes::from_static(b"data: {\"n\": 1}\n\n"))])
        .chain(stream::pending());
    let mut stream = EventStream::<Tick>::new(StreamedBody {
        status: StatusCode::OK,
        headers: HeaderMap::new(),
        chunks: Box::pin(pending),
        read_timeout: Duration::from_millis(100),
        reopen: None,
    });
    assert_eq!(
        stream.next().await.unwrap().unwrap().data,
        Ok(Tick { n: 1 })
    );
    match stream.next().await {
        Some(Err(StreamError::Transport(e))) => assert!(e.is_timeout(), "{e}"),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() >= Duration::from_millis(100));
    assert!(stream.next().await.is_none());
}

const LINES: &[u8] = b"{\"n\": 1}\r\n\n  \n{\"n\": 2}\nnope\n{\"n\": 3}";

async fn lines(chunks: Vec<Vec<u8>>, sequence: bool) -> Vec<Result<Tick, String>> {
    let body = body(chunks);
    let stream = match sequence {
        true => JsonLines::<Tick>::sequence(body),
        false => JsonLines::<Tick>::new(body),
    };
    stream
        .map(|line| line.unwrap().map_err(|u| u.text))
        .collect()
        .await
}

#[tokio::test]
async fn json_lines_are_the_same_wherever_the_body_is_split() {
    let expected = vec![
        Ok(Tick { n: 1 }),
        Ok(Tick { n: 2 }),
        Err("nope".to_owned()),
        Ok(Tick { n: 3 }),
    ];
    for size in 1..=LINES.len() {
        assert_eq!(
            lines(split(LINES, size), false).await,
            expected,
            "chunks of {size}"
        );
    }
    let sequence = b"\x1e{\"n\": 1}\n\x1e\x1e{\"n\":\n 2}\n\x1e[";
    for size in 1..=sequence.len() {
        assert_eq!(
            lines(split(sequence, size), true).await,
            vec![Ok(Tick { n: 1 }), Ok(Tick { n: 2 }), Err("[".to_owned())],
            "chunks of {size}"
        );
    }
}

/// A server for three connections: the first sends an event and half of another, then drops;
/// the second sends an event and ends; the third answers `204 No Content`. The request heads
/// come back through the channel.
fn dropping_server() -> (String, std::sync::mpsc::Receiver<String>) {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n";
        let chunk = |text: &str| format!("{:x}\r\n{text}\r\n", text.len());
        for (i, stream) in listener.incoming().take(3).enumerate() {
            let mut stream = stream.unwrap();
            let mut request = [0u8; 4096];
            let read = stream.read(&mut request).unwrap();
            let _ = send.send(String::from_utf8_lossy(&request[..read]).to_lowercase());
            let answer = match i {
                0 => format!(
                    "{head}{}",
                    chunk("retry: 20\nid: 1\ndata: {\"n\": 1}\n\ndata: {\"n\": 99")
                ),
                1 => format!("{head}{}0\r\n\r\n", chunk("id: 2\ndata: {\"n\": 2}\n\n")),
                _ => "HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n".to_owned(),
            };
            stream.write_all(answer.as_bytes()).unwrap();
            // The first connection is dropped in the middle of its body.
        }
    });
    (url, receive)
}

#[tokio::test]
async fn a_reconnecting_stream_resumes_from_the_last_event_id() {
    use crate::runtime::{Call, Client, Method, Request, decode_json};
    let (url, heads) = dropping_server();
    let client = Client::new(url).unwrap();
    let request = Request::new(Method::GET, "/events".to_owned());
    let call: Call<'_, EventStream<Tick>, serde_json::Value> =
        Call::streamed(&client, request, EventStream::new, decode_json).reconnect(2);
    let ticks: Vec<i64> = call
        .await
        .unwrap()
        .into_body()
        .map(|event| event.unwrap().data.unwrap().n)
        .collect()
        .await;
    assert_eq!(
        ticks,
        [1, 2],
        "the event cut off by the drop is not dispatched"
    );
    let heads: Vec<String> = heads.try_iter().collect();
    assert_eq!(heads.len(), 3);
    assert!(!heads[0].contains("last-event-id"), "{}", heads[0]);
    assert!(heads[1].contains("last-event-id: 1"), "{}", heads[1]);
    assert!(heads[2].contains("last-event-id: 2"), "{}", heads[2]);
}

#[tokio::test]
async fn without_reconnect_a_dropped_stream_fails_once() {
    use crate::runtime::{Call, Client, Method, Request, decode_json};
    let (url, _) = dropping_server();
    let client = Client::new(url).unwrap();
    let request = Request::new(Method::GET, "/events".to_owned());
    let call: Call<'_, EventStream<Tick>, serde_json::Value> =
        Call::streamed(&client, request, EventStream::new, decode_json);
    let mut events = call.await.unwrap().into_body();
    assert_eq!(
        events.next().await.unwrap().unwrap().data,
        Ok(Tick { n: 1 })
    );
    assert!(matches!(
        events.next().await,
        Some(Err(StreamError::Transport(_)))
    ));
    assert!(events.next().await.is_none());
}

#[tokio::test]
async fn the_last_event_id_is_that_of_the_last_event_dispatched() {
    // The second event is cut off by the end: its `id` is not one to resume from.
    let text = b"id: 41\ndata: {\"n\": 1}\n\nid: 42\ndata: {\"n\": 2}\n".to_vec();
    let mut stream = EventStream::<Tick>::new(body(vec![text]));
    assert_eq!(
        stream.next().await.unwrap().unwrap().id.as_deref(),
        Some("41")
    );
    assert!(stream.next().await.is_none());
    assert_eq!(stream.last_event_id(), Some("41"));
}
