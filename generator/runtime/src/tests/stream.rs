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
