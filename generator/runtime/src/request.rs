//! Requests as generated code builds them, and [`Call`], the awaitable handle an operation returns.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use reqwest::Method;
use serde::Serialize;

use super::client::{Client, RawResponse};
use super::error::{ApiError, Error, InvalidRequest, UnexpectedResponse};
use super::response::{Decoder, Response};

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

/// Joins values with a separator, for parameters that are lists written in one value.
pub fn join<T: fmt::Display>(values: &[T], separator: &str) -> String {
    let mut out = String::new();
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            out.push_str(separator);
        }
        out.push_str(&value.to_string());
    }
    out
}

/// A value as compact JSON text, for parameters that are neither single values nor lists.
pub fn json_text<T: Serialize + ?Sized>(value: &T) -> String {
    // Serializing generated types to a string cannot fail: their maps have string keys.
    serde_json::to_string(value).unwrap_or_default()
}

/// An HTTP request described by generated code: method, path, parameters, body and the security
/// requirements of its operation.
pub struct Request {
    pub(crate) method: Method,
    pub(crate) path: String,
    pub(crate) query: Vec<(&'static str, String)>,
    pub(crate) headers: Vec<(&'static str, String)>,
    pub(crate) cookies: Vec<(&'static str, String)>,
    pub(crate) body: Option<(&'static str, Vec<u8>)>,
    pub(crate) accept: Option<&'static str>,
    pub(crate) security: &'static [&'static [&'static str]],
    pub(crate) invalid: Option<InvalidRequest>,
}

impl Request {
    /// A request for `path`, which must already be percent-encoded.
    pub fn new(method: Method, path: String) -> Self {
        Request {
            method,
            path,
            query: Vec::new(),
            headers: Vec::new(),
            cookies: Vec::new(),
            body: None,
            accept: None,
            security: &[],
            invalid: None,
        }
    }

    /// Appends a query parameter.
    pub fn query(&mut self, name: &'static str, value: impl fmt::Display) {
        self.query.push((name, value.to_string()));
    }

    /// Sets a header parameter.
    pub fn header(&mut self, name: &'static str, value: impl fmt::Display) {
        self.headers.push((name, value.to_string()));
    }

    /// Adds a cookie parameter.
    pub fn cookie(&mut self, name: &'static str, value: impl fmt::Display) {
        self.cookies.push((name, value.to_string()));
    }

    /// Sets a JSON body, sent as `Content-Type: application/json`.
    pub fn json<B: Serialize + ?Sized>(&mut self, body: &B) {
        self.json_as(body, "application/json");
    }

    /// Sets a JSON body sent with another JSON media type (`application/merge-patch+json`, say).
    pub fn json_as<B: Serialize + ?Sized>(&mut self, body: &B, media_type: &'static str) {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body = Some((media_type, bytes)),
            Err(e) => self.fail(format!("the body could not be serialized: {e}")),
        }
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

    /// Marks the request as not sendable; the call will fail with [`Error::InvalidRequest`].
    pub fn fail(&mut self, message: impl Into<String>) {
        if self.invalid.is_none() {
            self.invalid = Some(InvalidRequest::new(message));
        }
    }
}

/// A prepared call to one operation. Await it (or call [`Call::send`]) to send the request.
#[must_use = "a call does nothing until it is awaited"]
pub struct Call<'a, T, E> {
    client: &'a Client,
    request: Request,
    ok: Decoder<T>,
    err: Decoder<E>,
}

impl<'a, T, E> Call<'a, T, E> {
    /// A call that decodes 2xx bodies with `ok` and other bodies with `err`.
    pub fn new(client: &'a Client, request: Request, ok: Decoder<T>, err: Decoder<E>) -> Self {
        Call {
            client,
            request,
            ok,
            err,
        }
    }

    /// Sends the request and decodes the response.
    pub async fn send(self) -> Result<Response<T>, Error<E>> {
        let raw = self.client.execute(self.request).await?;
        decode(raw, self.ok, self.err)
    }
}

impl<'a, T: Send + 'a, E: Send + 'a> IntoFuture for Call<'a, T, E> {
    type Output = Result<Response<T>, Error<E>>;
    type IntoFuture = Pin<Box<dyn Future<Output = Self::Output> + Send + 'a>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// Sorts a response into success, declared error or unexpected response.
fn decode<T, E>(
    raw: RawResponse,
    ok: Decoder<T>,
    err: Decoder<E>,
) -> Result<Response<T>, Error<E>> {
    let RawResponse {
        status,
        headers,
        body,
    } = raw;
    if status.is_success() {
        match ok(&body) {
            Ok(value) => Ok(Response::new(status, headers, value)),
            Err(reason) => Err(Error::UnexpectedResponse(Box::new(UnexpectedResponse {
                status,
                headers,
                body,
                reason,
            }))),
        }
    } else {
        match err(&body) {
            Ok(value) => Err(Error::Api(Box::new(ApiError {
                status,
                headers,
                body: value,
            }))),
            Err(reason) => Err(Error::UnexpectedResponse(Box::new(UnexpectedResponse {
                status,
                headers,
                body,
                reason,
            }))),
        }
    }
}
