//! Requests as generated code builds them, and [`Call`], the awaitable handle an operation returns.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use std::time::Duration;

use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use serde::Serialize;

use super::binary::Binary;
use super::client::{Client, RawResponse};
use super::error::{
    ApiError, DecodeError, Error, ErrorSummary, InvalidRequest, UnexpectedResponse,
};
use super::params::{self, Style};
use super::response::{Decoder, FromHeaders, Response};
use super::retry::RetryPolicy;
use super::stream::{ByteStream, EventStream, Reopen, StreamedBody};
use super::validate::{Path, Validate, Violations};

/// Characters escaped in a path segment: everything but RFC 3986 unreserved characters and the
/// sub-delimiters that are safe inside a segment.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Percent-encodes a path parameter so that it stays one segment (`/` becomes `%2F`).
pub fn encode_path_segment(value: &(impl fmt::Display + ?Sized)) -> String {
    utf8_percent_encode(&value.to_string(), PATH_SEGMENT).to_string()
}

/// OAuth 2 scopes by security scheme.
pub(crate) type Scopes = &'static [(&'static str, &'static [&'static str])];

/// An HTTP request described by generated code: method, path, parameters, body and the security
/// requirements of its operation.
#[derive(Clone)]
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(String, String)>,
    pub(crate) body: Option<Body>,
    pub(crate) accept: Option<&'static str>,
    pub(crate) security: &'static [&'static [&'static str]],
    /// The OAuth 2 scopes the security requirements ask for, by scheme.
    pub(crate) scopes: Scopes,
    pub(crate) operation: &'static str,
    /// Safe to send more than once (and so to retry).
    pub(crate) idempotent: bool,
    /// Redirects are followed (unless the API declares them as responses of the operation).
    pub(crate) follow_redirects: bool,
    pub(crate) invalid: Option<InvalidRequest>,
    /// The constraints the request's values break.
    pub(crate) violations: Violations,
    /// Where an error body says what went wrong (see [`Request::error_summary`]).
    pub(crate) error_summary: ErrorSummary,
    /// The header that carries an idempotency key (see [`Request::idempotency_key`]).
    pub(crate) idempotency_key: Option<&'static str>,
}

/// A request body, encoded or ready to be.
#[derive(Clone)]
pub(crate) enum Body {
    Bytes {
        content_type: &'static str,
        bytes: bytes::Bytes,
    },
    Binary {
        content_type: String,
        binary: Binary,
    },
    Multipart(Multipart),
}

impl Request {
    /// A request for `path`: a path template whose `{name}` placeholders `path_param` fills.
    pub fn new(method: Method, path: String) -> Self {
        Request {
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: None,
            security: &[],
            scopes: &[],
            operation: "",
            idempotent: matches!(
                method,
                Method::GET
                    | Method::HEAD
                    | Method::OPTIONS
                    | Method::PUT
                    | Method::DELETE
                    | Method::TRACE
            ) || method.as_str() == "QUERY",
            method,
            follow_redirects: true,
            invalid: None,
            violations: Violations::new(),
            error_summary: &[],
            idempotency_key: None,
        }
    }

    /// Where checks of the request's values record what they find; a request that breaks a
    /// constraint is not sent (unless the call opts out of checking).
    pub fn violations(&mut self) -> &mut Violations {
        &mut self.violations
    }

    /// Checks `value` (the body or the parameter struct) against the API description's
    /// constraints; `root` names it in messages.
    pub fn validate<T: Validate + ?Sized>(&mut self, value: &T, root: &'static str) {
        value.validate(&Path::root(root), &mut self.violations);
    }

    /// Where the operation's error bodies say what went wrong, for the `Display` of an API
    /// error: JSON pointers to its code, message and request id, chosen from the error schema
    /// (never a sensitive field).
    pub fn error_summary(&mut self, fields: ErrorSummary) {
        self.error_summary = fields;
    }

    /// Declares that the operation takes an idempotency key in `header`: unless the caller
    /// sets one, the call sends a new random key, the same on every attempt, and the call may
    /// be retried (the server answers a repeated key once).
    pub fn idempotency_key(&mut self, header: &'static str) {
        self.idempotency_key = Some(header);
    }

    /// Names the operation, for hooks and traces.
    pub fn operation(&mut self, name: &'static str) {
        self.operation = name;
    }

    /// Marks the request as safe (or not) to send more than once, overriding what its method
    /// says (from the API description's `x-idempotent`).
    pub fn idempotent(&mut self, idempotent: bool) {
        self.idempotent = idempotent;
    }

    /// Returns redirects as responses instead of following them: for operations whose API
    /// description declares a redirect (a `303` after a login, say) as an answer of its own.
    pub fn keep_redirects(&mut self) {
        self.follow_redirects = false;
    }

    /// Puts a path parameter, written in `style` and percent-encoded as one segment, in place of
    /// `{name}` in the path template.
    pub fn path_param<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: Style) {
        match params::single(name, value, style) {
            // The encoded value cannot hold a `{` (it is escaped), so it never forms a placeholder.
            Ok(text) => {
                self.path =
                    self.path
                        .replacen(&format!("{{{name}}}"), &encode_path_segment(&text), 1)
            }
            Err(e) => self.fail(e),
        }
    }

    /// Adds a query parameter, written in `style`.
    pub fn query_param<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: Style,
    ) {
        match params::pairs(name, value, style) {
            Ok(pairs) => self.query.extend(pairs),
            Err(e) => self.fail(e),
        }
    }

    /// Sets a header parameter (`simple` style).
    pub fn header_param<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: Style,
    ) {
        match params::single(name, value, style) {
            Ok(text) => self.headers.push((name, text)),
            Err(e) => self.fail(e),
        }
    }

    /// Adds a cookie parameter (`form` style).
    pub fn cookie_param<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
        style: Style,
    ) {
        match params::pairs(name, value, style) {
            Ok(pairs) => self.cookies.extend(pairs),
            Err(e) => self.fail(e),
        }
    }

    /// Sets a JSON body, sent as `Content-Type: application/json`.
    pub fn json<B: Serialize + ?Sized>(&mut self, body: &B) {
        self.json_as(body, "application/json");
    }

    /// Sets a JSON body sent with another JSON media type (`application/merge-patch+json`, say).
    pub fn json_as<B: Serialize + ?Sized>(&mut self, body: &B, media_type: &'static str) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.set_bytes(media_type, bytes),
            Err(e) => self.fail(format!("the body could not be serialized: {e}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body: one field per property (lists repeat
    /// the name, nested values are JSON text).
    pub fn form<B: Serialize + ?Sized>(&mut self, body: &B) {
        let fields = match serde_json::to_value(body) {
            Ok(serde_json::Value::Object(map)) => map,
            Ok(_) => return self.fail("a form body must be an object"),
            Err(e) => return self.fail(format!("the body could not be serialized: {e}")),
        };
        let mut encoded = form_urlencoded::Serializer::new(String::new());
        for (name, value) in &fields {
            for (key, text) in params::expand(name, value, Style::Form { explode: true }) {
                encoded.append_pair(&key, &text);
            }
        }
        self.set_bytes(
            "application/x-www-form-urlencoded",
            encoded.finish().into_bytes(),
        );
    }

    /// Sets a `multipart/form-data` body.
    pub fn multipart(&mut self, form: Multipart) {
        if let Some(error) = form.error.clone() {
            return self.fail(error);
        }
        self.body = Some(Body::Multipart(form));
    }

    /// Sets a text body of the given media type.
    pub fn text(&mut self, body: &str, media_type: &'static str) {
        self.set_bytes(media_type, body.as_bytes().to_vec());
    }

    /// Sets a raw body, sent with the binary's own media type if it has one, else `media_type`.
    pub fn binary(&mut self, body: &Binary, media_type: &'static str) {
        let content_type = body.content_type().unwrap_or(media_type).to_owned();
        self.body = Some(Body::Binary {
            content_type,
            binary: body.clone(),
        });
    }

    fn set_bytes(&mut self, content_type: &'static str, bytes: Vec<u8>) {
        self.body = Some(Body::Bytes {
            content_type,
            bytes: bytes.into(),
        });
    }

    /// Sets the `Accept` header.
    pub fn accept(&mut self, media_type: &'static str) {
        self.accept = Some(media_type);
    }

    /// Sets the security requirements: a list of alternatives, each a list of scheme names that
    /// must all be satisfied. The first alternative whose credentials are all configured is used;
    /// if none is, the request is sent without credentials (for a gateway that adds them).
    pub fn security(&mut self, requirements: &'static [&'static [&'static str]]) {
        self.security = requirements;
    }

    /// Sets the OAuth 2 scopes the security requirements ask for, by scheme: a credential
    /// provider (an OAuth 2 token endpoint) is asked for a token with them.
    pub fn scopes(&mut self, scopes: Scopes) {
        self.scopes = scopes;
    }

    /// Marks the request as not sendable; the call will fail with [`Error::InvalidRequest`].
    pub fn fail(&mut self, message: impl Into<String>) {
        if self.invalid.is_none() {
            self.invalid = Some(InvalidRequest::new(message));
        }
    }
}

/// The parts of a `multipart/form-data` body.
#[derive(Clone, Default)]
pub struct Multipart {
    pub(crate) parts: Vec<(String, Part)>,
    error: Option<String>,
}

/// One part of a multipart body.
#[derive(Clone)]
pub(crate) enum Part {
    Text(String),
    File(Binary),
}

impl Multipart {
    /// An empty form.
    pub fn new() -> Self {
        Multipart::default()
    }

    /// Adds a field: strings as they are, other values as JSON text.
    pub fn field<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match serde_json::to_value(value) {
            Ok(value) => self
                .parts
                .push((name.to_owned(), Part::Text(params::scalar(&value)))),
            Err(e) => {
                self.error = Some(format!(
                    "multipart field `{name}` could not be serialized: {e}"
                ))
            }
        }
    }

    /// Adds a file part.
    pub fn file(&mut self, name: &str, file: &Binary) {
        self.parts.push((name.to_owned(), Part::File(file.clone())));
    }

    /// A form with one field per property of `value` (an object).
    pub fn from_value<T: Serialize + ?Sized>(value: &T) -> Self {
        let mut form = Multipart::new();
        match serde_json::to_value(value) {
            Ok(serde_json::Value::Object(map)) => {
                for (name, value) in &map {
                    form.field(name, value);
                }
            }
            Ok(_) => form.error = Some("a multipart body must be an object".to_owned()),
            Err(e) => form.error = Some(format!("the body could not be serialized: {e}")),
        }
        form
    }
}

/// The `QUERY` method (a safe request with a body), which `http` has no constant for (for
/// generated code).
#[doc(hidden)]
pub fn query_method() -> Method {
    // A method name that is a valid token always parses; POST stands in, never reached.
    Method::from_bytes(b"QUERY").unwrap_or(Method::POST)
}

/// A prepared call to one operation. Await it (or call [`Call::send`]) to send the request.
///
/// `T` is the success body, `E` the error body, `H` the response headers the operation
/// declares and `P` its optional parameters (query, header and cookie parameters of an
/// operation that requires none), set with [`Call::params`].
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T, E, H = (), P = ()> {
    client: &'a Client,
    request: Request,
    options: CallOptions,
    ok: Success<T>,
    err: Decoder<E>,
    headers: PhantomData<fn() -> H>,
    params: P,
    apply: fn(&P, &mut Request),
}

/// What one call changes from the client's settings.
#[derive(Clone, Default)]
pub(crate) struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) idempotent: Option<bool>,
    /// Send the request even if it breaks the API description's constraints.
    pub(crate) unchecked: bool,
    pub(crate) headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) invalid: Option<InvalidRequest>,
    /// A URL the API gave for this request (the next page), replacing path and query.
    pub(crate) url: Option<String>,
    /// A successful response's body is streamed, not read whole.
    pub(crate) streamed: bool,
    /// How many times in a row an event stream may open itself again (`Call::reconnect`).
    pub(crate) reconnect: u32,
}

/// How a call makes its success value: from the whole body, or from the body as it arrives.
enum Success<T> {
    Whole(Decoder<T>),
    Streamed(fn(StreamedBody) -> T),
}

impl<'a, T, E> Call<'a, T, E> {
    /// A call that decodes 2xx bodies with `ok` and other bodies with `err` (for generated
    /// code only).
    #[doc(hidden)]
    pub fn new(client: &'a Client, request: Request, ok: Decoder<T>, err: Decoder<E>) -> Self {
        Call {
            client,
            request,
            options: CallOptions::default(),
            ok: Success::Whole(ok),
            err,
            headers: PhantomData,
            params: (),
            apply: |(), _| {},
        }
    }
}

impl<'a, T, E> Call<'a, T, E> {
    /// A call whose success is read as it arrives, by `open` (for generated code only); other
    /// responses are read whole and decoded with `err`.
    #[doc(hidden)]
    pub fn streamed(
        client: &'a Client,
        request: Request,
        open: fn(StreamedBody) -> T,
        err: Decoder<E>,
    ) -> Self {
        Call {
            client,
            request,
            options: CallOptions {
                streamed: true,
                ..CallOptions::default()
            },
            ok: Success::Streamed(open),
            err,
            headers: PhantomData,
            params: (),
            apply: |(), _| {},
        }
    }
}

impl<'a, T, E, H> Call<'a, T, E, H> {
    /// Gives the call optional parameters of type `P`, unset until [`Call::params`] sets them,
    /// which `apply` writes into the request when it is sent (for generated code only).
    #[doc(hidden)]
    pub fn optional_params<P: Default>(self, apply: fn(&P, &mut Request)) -> Call<'a, T, E, H, P> {
        Call {
            client: self.client,
            request: self.request,
            options: self.options,
            ok: self.ok,
            err: self.err,
            headers: PhantomData,
            params: P::default(),
            apply,
        }
    }
}

impl<'a, T, E, H, P> Call<'a, T, E, H, P> {
    /// Reads the headers of a successful response into `H2` as well.
    pub fn with_headers<H2: FromHeaders>(self) -> Call<'a, T, E, H2, P> {
        Call {
            client: self.client,
            request: self.request,
            options: self.options,
            ok: self.ok,
            err: self.err,
            headers: PhantomData,
            params: self.params,
            apply: self.apply,
        }
    }

    /// Reads a successful response's body as a stream of bytes as it arrives, instead of
    /// decoding it: for a large download, which then needs no more memory than a chunk (and
    /// has no size limit). Other responses are read and decoded as before.
    pub fn bytes_stream(self) -> Call<'a, ByteStream, E, H, P> {
        Call {
            client: self.client,
            request: self.request,
            options: CallOptions {
                streamed: true,
                ..self.options
            },
            ok: Success::Streamed(ByteStream::new),
            err: self.err,
            headers: PhantomData,
            params: self.params,
            apply: self.apply,
        }
    }

    /// Sets the operation's optional query, header and cookie parameters for this call (they
    /// start unset): `.params(types::ListPetsParams::new().with_limit(10))`.
    pub fn params(mut self, params: P) -> Self {
        self.params = params;
        self
    }

    /// Sets this call's timeout for each attempt, instead of the client's.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Sets how this call is retried, instead of the client's policy.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.options.retry = Some(policy);
        self
    }

    /// Declares this call safe (or not) to send more than once: a `POST` marked idempotent can
    /// be retried; a `GET` marked not idempotent is not.
    pub fn idempotent(mut self, idempotent: bool) -> Self {
        self.options.idempotent = Some(idempotent);
        self
    }

    /// Sends the request even if it breaks a constraint of the API description (`minimum`,
    /// `maxLength`, `pattern`, ...): for a server that accepts more than its description says.
    pub fn without_validation(mut self) -> Self {
        self.options.unchecked = true;
        self
    }

    /// Sends the request to `url`, a URL the API gave (the next page of a listing, from a `Link`
    /// header), instead of the operation's path and query. It may be relative to the base URL,
    /// and must be on the API's origin.
    pub fn at_url(mut self, url: impl Into<String>) -> Self {
        self.options.url = Some(url.into());
        self
    }

    /// Adds a header to this call (replacing one of the same name the call would send).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        match (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            (Ok(name), Ok(value)) => self.options.headers.push((name, value)),
            _ => {
                let message = format!("the extra header `{name}` is not a valid header");
                self.options
                    .invalid
                    .get_or_insert(InvalidRequest::new(message));
            }
        }
        self
    }
}

impl<T, E, H, P> Call<'_, EventStream<T>, E, H, P> {
    /// Opens the event stream again when the connection drops, stalls or ends, up to
    /// `attempts` times in a row (an event received starts the count again): after the
    /// reconnection time the server last asked for (`retry`, else one second), with
    /// `Last-Event-ID` set to the last event ID, and the rest of the request as it was. A
    /// `204 No Content` answer ends the stream; any other answer that is not a success fails
    /// it. Off by default.
    pub fn reconnect(mut self, attempts: u32) -> Self {
        self.options.reconnect = attempts;
        self
    }
}

impl<T, E, H: FromHeaders, P> Call<'_, T, E, H, P> {
    /// Sends the request and decodes the response.
    pub async fn send(self) -> Result<Response<T, H>, Error<E>> {
        let mut request = self.request;
        (self.apply)(&self.params, &mut request);
        let redirects_answer = !request.follow_redirects;
        let summary = request.error_summary;
        let reopen = (self.options.reconnect > 0)
            .then(|| Reopen::new(self.client.clone(), request.clone(), self.options.clone()));
        let raw = self.client.execute(request, self.options).await?;
        let read_timeout = self.client.inner.read_timeout;
        decode(
            raw,
            redirects_answer,
            self.ok,
            self.err,
            (read_timeout, reopen),
        )
        .map_err(|e| e.with_summary(summary))
    }
}

impl<'a, T: Send + 'a, E: Send + 'a, H: FromHeaders + 'a, P: Send + 'a> IntoFuture
    for Call<'a, T, E, H, P>
{
    type Output = Result<Response<T, H>, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Sorts a response into success, declared error or unexpected response. A 2xx is a success,
/// and so is a redirect the operation declares as its answer (`redirects_answer`).
fn decode<T, E, H: FromHeaders>(
    raw: RawResponse,
    redirects_answer: bool,
    ok: Success<T>,
    err: Decoder<E>,
    (read_timeout, reopen): (Duration, Option<Reopen>),
) -> Result<Response<T, H>, Error<E>> {
    let RawResponse {
        status,
        headers,
        body,
        stream,
    } = raw;
    if let (Some(stream), Success::Streamed(open)) = (stream, &ok) {
        let value = open(StreamedBody {
            status,
            headers: headers.clone(),
            chunks: Box::pin(stream.bytes_stream()),
            read_timeout,
            reopen,
        });
        return Ok(Response::new(status, headers, body, value));
    }
    if status.is_success() || (redirects_answer && status.is_redirection()) {
        let decoded = match ok {
            Success::Whole(decode) => decode(status, &body),
            // Only a success the client let through unread is streamed: a redirect answer is
            // not one.
            Success::Streamed(_) => Err(DecodeError::new(
                "the response could not be streamed",
                "a redirect answered a call that streams its response",
            )),
        };
        match decoded {
            Ok(value) => Ok(Response::new(status, headers, body, value)),
            Err(reason) => Err(Error::UnexpectedResponse(Box::new(UnexpectedResponse {
                status,
                headers,
                body,
                reason,
            }))),
        }
    } else {
        match err(status, &body) {
            Ok(value) => Err(Error::Api(Box::new(ApiError::new(
                status, headers, body, value,
            )))),
            Err(reason) => Err(Error::UnexpectedResponse(Box::new(UnexpectedResponse {
                status,
                headers,
                body,
                reason,
            }))),
        }
    }
}
