//! Response bodies read as they arrive: bytes ([`ByteStream`]), Server-Sent Events decoded
//! event by event ([`EventStream`]), and JSON Lines or JSON text sequences decoded item by
//! item ([`JsonLines`]). Memory holds one chunk and one unfinished item, never the body; the
//! read timeout applies to each wait for the next chunk, not to the whole stream.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll, ready};
use std::time::Duration;

use futures_util::stream::{BoxStream, Stream, StreamExt as _};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use reqwest::header::{HeaderName, HeaderValue};

use super::client::{Client, Failure};
use super::error::TransportError;
use super::request::{CallOptions, Request};

/// The most an unfinished event or line may hold before the stream fails: a server that never
/// ends an item must not fill memory.
pub const MAX_ITEM_SIZE: usize = 16 * 1024 * 1024;

/// Why a stream stopped early.
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed or stalled longer than the read timeout.
    Transport(TransportError),
    /// An event or line grew past [`MAX_ITEM_SIZE`] without ending.
    ItemTooLarge,
    /// Writing what was read failed ([`ByteStream::write_to`], [`ByteStream::save`]).
    Io(std::io::Error),
    /// An event stream could not be opened again (`Call::reconnect`).
    Reconnect(String),
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Transport(e) => write!(f, "the response stream failed: {e}"),
            StreamError::ItemTooLarge => write!(
                f,
                "an item of the response stream grew past {MAX_ITEM_SIZE} bytes without ending"
            ),
            StreamError::Io(e) => write!(f, "writing the response stream failed: {e}"),
            StreamError::Reconnect(why) => write!(f, "the event stream could not reconnect: {why}"),
        }
    }
}

impl fmt::Debug for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for StreamError {}

/// A successful response whose body is read as it arrives (for generated code: the input of a
/// streamed call's decoder).
#[doc(hidden)]
pub struct StreamedBody {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) chunks: BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    pub(crate) read_timeout: Duration,
    /// How an event stream opens itself again, when the call asked for that.
    pub(crate) reopen: Option<Reopen>,
}

/// The reconnection time when the server set none.
const DEFAULT_RECONNECT: Duration = Duration::from_secs(1);

/// What an event stream needs to open itself again: the request as it was first sent.
pub(crate) struct Reopen {
    client: Client,
    request: Request,
    options: CallOptions,
    /// Reconnections allowed in a row, and left.
    attempts: u32,
    left: u32,
}

/// A new connection being opened: its body, or `None` when the server said there is no more.
type Opening = Pin<Box<dyn Future<Output = Result<Option<StreamedBody>, StreamError>> + Send>>;

impl Reopen {
    pub(crate) fn new(client: Client, request: Request, options: CallOptions) -> Self {
        let attempts = options.reconnect;
        Reopen {
            client,
            request,
            options,
            attempts,
            left: attempts,
        }
    }

    /// Sends the request again, with `Last-Event-ID` when there is one.
    fn open(&self, last_id: Option<&str>) -> Opening {
        let client = self.client.clone();
        let request = self.request.clone();
        let mut options = self.options.clone();
        options.reconnect = self.attempts;
        if let Some(value) = last_id.and_then(|id| HeaderValue::from_str(id).ok()) {
            options
                .headers
                .push((HeaderName::from_static("last-event-id"), value));
        }
        let read_timeout = client.inner.read_timeout;
        Box::pin(async move {
            let raw = client
                .execute(request, options.clone())
                .await
                .map_err(|failure| match failure {
                    Failure::Transport(e) | Failure::NotSent(e) => StreamError::Transport(e),
                    Failure::Invalid(e) => StreamError::Reconnect(e.to_string()),
                    Failure::Credential(e) => StreamError::Reconnect(e.to_string()),
                })?;
            if raw.status == StatusCode::NO_CONTENT {
                return Ok(None);
            }
            let Some(stream) = raw.stream else {
                return Err(StreamError::Reconnect(format!(
                    "the server answered the reconnection with {}",
                    raw.status
                )));
            };
            Ok(Some(StreamedBody {
                status: raw.status,
                headers: raw.headers,
                chunks: Box::pin(stream.bytes_stream()),
                read_timeout,
                reopen: None,
            }))
        })
    }
}

/// The body of a response as chunks of bytes, as they arrive.
///
/// ```text
/// let mut body = client.files().download(id).bytes_stream().await?.into_body();
/// body.save("report.pdf").await?;
/// ```
pub struct ByteStream {
    status: StatusCode,
    headers: HeaderMap,
    chunks: BoxStream<'static, reqwest::Result<bytes::Bytes>>,
    read_timeout: Duration,
    timer: Option<Pin<Box<tokio::time::Sleep>>>,
    finished: bool,
}

impl ByteStream {
    /// The stream of a response (for generated code).
    #[doc(hidden)]
    pub fn new(body: StreamedBody) -> Self {
        ByteStream {
            status: body.status,
            headers: body.headers,
            chunks: body.chunks,
            read_timeout: body.read_timeout,
            timer: None,
            finished: false,
        }
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// Writes the rest of the body to `out`; the number of bytes written.
    pub async fn write_to<W>(mut self, out: &mut W) -> Result<u64, StreamError>
    where
        W: tokio::io::AsyncWrite + Unpin + ?Sized,
    {
        use tokio::io::AsyncWriteExt as _;
        let mut written = 0u64;
        while let Some(chunk) = self.next().await {
            let chunk = chunk?;
            out.write_all(&chunk).await.map_err(StreamError::Io)?;
            written += chunk.len() as u64;
        }
        out.flush().await.map_err(StreamError::Io)?;
        Ok(written)
    }

    /// Writes the rest of the body into the file at `path` (created, or truncated); the number
    /// of bytes written.
    pub async fn save(self, path: impl AsRef<std::path::Path>) -> Result<u64, StreamError> {
        let mut file = tokio::fs::File::create(path)
            .await
            .map_err(StreamError::Io)?;
        self.write_to(&mut file).await
    }
}

impl Stream for ByteStream {
    type Item = Result<bytes::Bytes, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        if this.finished {
            return Poll::Ready(None);
        }
        if let Poll::Ready(next) = this.chunks.poll_next_unpin(cx) {
            this.timer = None;
            return Poll::Ready(match next {
                Some(Ok(chunk)) => Some(Ok(chunk)),
                Some(Err(error)) => {
                    this.finished = true;
                    Some(Err(StreamError::Transport(TransportError::new(error))))
                }
                None => {
                    this.finished = true;
                    None
                }
            });
        }
        let limit = this.read_timeout;
        let timer = this
            .timer
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        ready!(timer.as_mut().poll(cx));
        this.finished = true;
        Poll::Ready(Some(Err(StreamError::Transport(TransportError::stalled(
            limit,
        )))))
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

/// Splits bytes into lines ending with LF, CRLF or CR (a CR at the end of a chunk waits for
/// the next one, which may start with its LF).
#[derive(Default)]
struct Lines {
    buffer: Vec<u8>,
    /// The last line ended with CR: an LF that starts the next chunk belongs to it.
    after_cr: bool,
}

impl Lines {
    /// Appends `chunk`; the complete lines it finishes, without their ends.
    fn push(&mut self, chunk: &[u8], out: &mut Vec<Vec<u8>>) -> Result<(), StreamError> {
        let mut rest = chunk;
        if rest.is_empty() {
            return Ok(());
        }
        if self.after_cr {
            self.after_cr = false;
            if let Some(b'\n') = rest.first() {
                rest = &rest[1..];
            }
        }
        while let Some(end) = rest.iter().position(|b| *b == b'\n' || *b == b'\r') {
            self.buffer.extend_from_slice(&rest[..end]);
            out.push(std::mem::take(&mut self.buffer));
            if rest[end] == b'\r' {
                match rest.get(end + 1) {
                    Some(b'\n') => rest = &rest[end + 2..],
                    Some(_) => rest = &rest[end + 1..],
                    None => {
                        self.after_cr = true;
                        rest = &[];
                    }
                }
            } else {
                rest = &rest[end + 1..];
            }
        }
        self.buffer.extend_from_slice(rest);
        if self.buffer.len() > MAX_ITEM_SIZE {
            return Err(StreamError::ItemTooLarge);
        }
        Ok(())
    }
}

/// One Server-Sent Event.
#[derive(Clone, Debug, PartialEq)]
pub struct Event<T> {
    /// The event's type: its `event` field, or `message`.
    pub event: String,
    /// The last event ID the server set (its `id` field, here or before), if any.
    pub id: Option<String>,
    /// The reconnection time the server asked for with this event's `retry` field.
    pub retry: Option<Duration>,
    /// The event's data, decoded as JSON into the type the API describes, or, when it does not
    /// decode (a final `[DONE]`, say), the text as it came.
    pub data: Result<T, Undecoded>,
}

/// Data of an event or a line that did not decode into its type.
#[derive(Clone, PartialEq, Eq)]
pub struct Undecoded {
    /// The text as it came.
    pub text: String,
    /// Why it did not decode.
    pub reason: String,
}

impl fmt::Debug for Undecoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Undecoded")
            .field("text", &self.text)
            .field("reason", &self.reason)
            .finish()
    }
}

impl fmt::Display for Undecoded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` did not decode: {}", self.text, self.reason)
    }
}

impl std::error::Error for Undecoded {}

fn decode<T: DeserializeOwned>(text: String) -> Result<T, Undecoded> {
    serde_json::from_str(&text).map_err(|e| Undecoded {
        reason: e.to_string(),
        text,
    })
}

/// The fields of the event being read, per the WHATWG rules for `text/event-stream`.
#[derive(Default)]
struct EventParser {
    lines: Lines,
    event: String,
    data: String,
    /// The last event ID buffer: set by an `id` field, it carries over to later events.
    id: Option<String>,
    /// The last event ID of the last event dispatched: what a reconnection resumes from.
    dispatched_id: Option<String>,
    /// The reconnection time set since the last event.
    retry: Option<Duration>,
    /// The last reconnection time the server set.
    reconnect_after: Option<Duration>,
    started: bool,
}

/// An event's fields before its data is decoded.
struct RawEvent {
    event: String,
    id: Option<String>,
    retry: Option<Duration>,
    data: String,
}

impl EventParser {
    /// Reads `chunk`; the events it completes.
    fn push(&mut self, chunk: &[u8], out: &mut Vec<RawEvent>) -> Result<(), StreamError> {
        let mut chunk = chunk;
        if !self.started && !chunk.is_empty() {
            self.started = true;
            chunk = chunk.strip_prefix("\u{feff}".as_bytes()).unwrap_or(chunk);
        }
        let mut lines = Vec::new();
        self.lines.push(chunk, &mut lines)?;
        for line in lines {
            self.line(&String::from_utf8_lossy(&line), out);
        }
        if self.data.len() > MAX_ITEM_SIZE {
            return Err(StreamError::ItemTooLarge);
        }
        Ok(())
    }

    fn line(&mut self, line: &str, out: &mut Vec<RawEvent>) {
        if line.is_empty() {
            self.dispatch(out);
            return;
        }
        if line.starts_with(':') {
            return;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "event" => value.clone_into(&mut self.event),
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
            }
            "id" if !value.contains('\0') => self.id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry = value.parse().ok().map(Duration::from_millis);
                self.reconnect_after = self.retry.or(self.reconnect_after);
            }
            _ => {}
        }
    }

    /// Forgets an event the connection's end cut off; the last event ID and the reconnection
    /// time stay. A new connection may start with a BOM again.
    fn drop_unfinished(&mut self) {
        self.id.clone_from(&self.dispatched_id);
        self.lines = Lines::default();
        self.event.clear();
        self.data.clear();
        self.retry = None;
        self.started = false;
    }

    /// An empty line ends an event; one without data is not dispatched.
    fn dispatch(&mut self, out: &mut Vec<RawEvent>) {
        let event = std::mem::take(&mut self.event);
        if self.data.is_empty() {
            return;
        }
        let retry = self.retry.take();
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        out.push(RawEvent {
            event: if event.is_empty() {
                "message".to_owned()
            } else {
                event
            },
            id: {
                self.dispatched_id = self.id.clone().filter(|id| !id.is_empty());
                self.dispatched_id.clone()
            },
            retry,
            data,
        });
    }
}

/// A `text/event-stream` response: a stream of [`Event`]s whose data is decoded into `T`. It
/// ends when the server closes the connection (an event cut off by the close is dropped, as the
/// standard says).
///
/// ```text
/// use futures_util::StreamExt as _;
/// let mut events = client.chat().create_chat_completion_events(&body).await?.into_body();
/// while let Some(event) = events.next().await {
///     match event?.data {
///         Ok(chunk) => println!("{chunk:?}"),
///         Err(other) if other.text == "[DONE]" => break,
///         Err(other) => eprintln!("{other}"),
///     }
/// }
/// ```
pub struct EventStream<T> {
    body: ByteStream,
    parser: EventParser,
    ready: std::collections::VecDeque<RawEvent>,
    failed: bool,
    /// Set by `Call::reconnect`: how to open the stream again.
    reopen: Option<Reopen>,
    /// The wait before opening again, then the opening.
    waiting: Option<Pin<Box<tokio::time::Sleep>>>,
    opening: Option<Opening>,
    item: PhantomData<fn() -> T>,
}

impl<T> EventStream<T> {
    /// The stream of a response (for generated code).
    #[doc(hidden)]
    pub fn new(mut body: StreamedBody) -> Self {
        EventStream {
            reopen: body.reopen.take(),
            body: ByteStream::new(body),
            parser: EventParser::default(),
            ready: Default::default(),
            failed: false,
            waiting: None,
            opening: None,
            item: PhantomData,
        }
    }

    /// After the connection ended (`error`, or none for a close): `true` when a reconnection
    /// is under way, with what was read of an unfinished event dropped.
    fn start_reconnecting(&mut self) -> bool {
        let Some(reopen) = &mut self.reopen else {
            return false;
        };
        if reopen.left == 0 {
            return false;
        }
        reopen.left -= 1;
        self.parser.drop_unfinished();
        let wait = self.parser.reconnect_after.unwrap_or(DEFAULT_RECONNECT);
        self.waiting = Some(Box::pin(tokio::time::sleep(wait)));
        true
    }

    /// Drives a reconnection: `Ready(Some(error))` if it failed, `Ready(None)` once the new
    /// body is in place or the server said there is no more (`failed` is then set).
    fn poll_reconnect(&mut self, cx: &mut Context<'_>) -> Poll<Option<StreamError>> {
        if let Some(wait) = &mut self.waiting {
            ready!(wait.as_mut().poll(cx));
            self.waiting = None;
            let last_id = self.last_event_id().map(str::to_owned);
            self.opening = self.reopen.as_ref().map(|r| r.open(last_id.as_deref()));
        }
        let Some(opening) = &mut self.opening else {
            return Poll::Ready(None);
        };
        let opened = ready!(opening.as_mut().poll(cx));
        self.opening = None;
        match opened {
            Ok(Some(body)) => {
                self.body = ByteStream::new(body);
                Poll::Ready(None)
            }
            Ok(None) => {
                self.failed = true;
                Poll::Ready(None)
            }
            Err(error) => {
                self.failed = true;
                Poll::Ready(Some(error))
            }
        }
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.body.status()
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        self.body.headers()
    }

    /// The last event ID the server set: what to send as `Last-Event-ID` when reconnecting
    /// (`call.header("Last-Event-ID", id)`).
    pub fn last_event_id(&self) -> Option<&str> {
        self.parser.dispatched_id.as_deref()
    }

    /// The reconnection time the server last asked for (its `retry` field), if it did.
    pub fn reconnect_after(&self) -> Option<Duration> {
        self.parser.reconnect_after
    }
}

impl<T: DeserializeOwned> Stream for EventStream<T> {
    type Item = Result<Event<T>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(raw) = this.ready.pop_front() {
                if let Some(reopen) = &mut this.reopen {
                    reopen.left = reopen.attempts;
                }
                return Poll::Ready(Some(Ok(Event {
                    event: raw.event,
                    id: raw.id,
                    retry: raw.retry,
                    data: decode(raw.data),
                })));
            }
            if this.failed {
                return Poll::Ready(None);
            }
            if this.waiting.is_some() || this.opening.is_some() {
                if let Some(error) = ready!(this.poll_reconnect(cx)) {
                    return Poll::Ready(Some(Err(error)));
                }
                continue;
            }
            match ready!(this.body.poll_next_unpin(cx)) {
                Some(Ok(chunk)) => {
                    let mut out = Vec::new();
                    let pushed = this.parser.push(&chunk, &mut out);
                    this.ready.extend(out);
                    if let Err(error) = pushed {
                        this.failed = true;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                Some(Err(StreamError::Transport(_))) | None if this.start_reconnecting() => {}
                Some(Err(error)) => {
                    this.failed = true;
                    return Poll::Ready(Some(Err(error)));
                }
                None => {
                    this.failed = true;
                    return Poll::Ready(None);
                }
            }
        }
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}

/// A response of JSON Lines (`application/x-ndjson`, `application/jsonl`) or of JSON text
/// sequences (`application/json-seq`): a stream of values decoded into `T`, one per line (or
/// per record). Blank lines are skipped; a line that does not decode is an `Err(Undecoded)`
/// item, and the stream goes on.
pub struct JsonLines<T> {
    body: ByteStream,
    lines: Lines,
    /// Records are separated by the RS character (JSON text sequences), not by line ends.
    sequence: bool,
    record: Vec<u8>,
    ready: std::collections::VecDeque<Vec<u8>>,
    failed: bool,
    item: PhantomData<fn() -> T>,
}

/// One item of [`JsonLines`]: the value, or its text when it does not decode.
pub type Line<T> = Result<T, Undecoded>;

impl<T> JsonLines<T> {
    /// The stream of a JSON Lines response (for generated code).
    #[doc(hidden)]
    pub fn new(body: StreamedBody) -> Self {
        Self::with(body, false)
    }

    /// The stream of a JSON text sequence response (for generated code).
    #[doc(hidden)]
    pub fn sequence(body: StreamedBody) -> Self {
        Self::with(body, true)
    }

    fn with(body: StreamedBody, sequence: bool) -> Self {
        JsonLines {
            body: ByteStream::new(body),
            lines: Lines::default(),
            sequence,
            record: Vec::new(),
            ready: Default::default(),
            failed: false,
            item: PhantomData,
        }
    }

    /// The response's status.
    pub fn status(&self) -> StatusCode {
        self.body.status()
    }

    /// The response's headers.
    pub fn headers(&self) -> &HeaderMap {
        self.body.headers()
    }

    /// Splits a chunk into complete items.
    fn push(&mut self, chunk: &[u8]) -> Result<(), StreamError> {
        if self.sequence {
            for part in chunk.split_inclusive(|b| *b == 0x1e) {
                match part.strip_suffix(&[0x1e]) {
                    Some(before) => {
                        self.record.extend_from_slice(before);
                        self.ready.push_back(std::mem::take(&mut self.record));
                    }
                    None => self.record.extend_from_slice(part),
                }
            }
            if self.record.len() > MAX_ITEM_SIZE {
                return Err(StreamError::ItemTooLarge);
            }
            return Ok(());
        }
        let mut lines = Vec::new();
        let pushed = self.lines.push(chunk, &mut lines);
        self.ready.extend(lines);
        pushed
    }

    /// What is left when the body ends: a last line without its end, or the last record.
    fn finish(&mut self) {
        let rest = match self.sequence {
            true => std::mem::take(&mut self.record),
            false => std::mem::take(&mut self.lines.buffer),
        };
        self.ready.push_back(rest);
    }
}

impl<T: DeserializeOwned> Stream for JsonLines<T> {
    type Item = Result<Line<T>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            while let Some(item) = this.ready.pop_front() {
                let text = String::from_utf8_lossy(&item);
                if !text.trim().is_empty() {
                    return Poll::Ready(Some(Ok(decode(text.trim().to_owned()))));
                }
            }
            if this.failed {
                return Poll::Ready(None);
            }
            match ready!(this.body.poll_next_unpin(cx)) {
                Some(Ok(chunk)) => {
                    if let Err(error) = this.push(&chunk) {
                        this.failed = true;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
                Some(Err(error)) => {
                    this.failed = true;
                    return Poll::Ready(Some(Err(error)));
                }
                None => {
                    this.failed = true;
                    this.finish();
                }
            }
        }
    }
}

impl<T> fmt::Debug for JsonLines<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonLines")
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}
