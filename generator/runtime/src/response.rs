//! Successful responses, and the body decoders generated code picks for each operation.

use std::fmt;
use std::ops::Deref;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde::de::DeserializeOwned;

use super::error::DecodeError;
use super::redact::RedactedHeaders;

/// Turns a response body into a value. Generated code passes one for success and one for
/// errors; a decoder may look at the status (when the body's type depends on it).
pub type Decoder<T> = fn(StatusCode, &bytes::Bytes) -> Result<T, DecodeError>;

/// Decodes a JSON body. An empty body decodes as JSON `null`, so that `()` and `Option<T>` accept
/// it.
pub fn decode_json<T: DeserializeOwned>(
    _status: StatusCode,
    body: &bytes::Bytes,
) -> Result<T, DecodeError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"null".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|e| DecodeError::from_json(&e))
}

/// Accepts any body and ignores it: for responses the API declares without content.
pub fn decode_nothing(_status: StatusCode, _body: &bytes::Bytes) -> Result<(), DecodeError> {
    Ok(())
}

/// Decodes a text body (UTF-8).
pub fn decode_text(_status: StatusCode, body: &bytes::Bytes) -> Result<String, DecodeError> {
    String::from_utf8(body.to_vec()).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        DecodeError::new(
            format!("text that is not UTF-8 (at byte {at})"),
            e.to_string(),
        )
    })
}

/// Keeps a body as bytes.
pub fn decode_bytes(_status: StatusCode, body: &bytes::Bytes) -> Result<bytes::Bytes, DecodeError> {
    Ok(body.clone())
}

/// The error for a status the operation does not declare.
pub fn undeclared_status(status: StatusCode) -> DecodeError {
    DecodeError::new(
        format!("status {status} is not declared for this operation"),
        String::new(),
    )
}

/// The headers an operation's responses declare, read into a struct.
pub trait FromHeaders: Sized {
    /// Reads the declared headers; each is `None` when missing or when its value does not parse.
    fn from_headers(headers: &HeaderMap) -> Self;
}

/// Operations whose responses declare no headers.
impl FromHeaders for () {
    fn from_headers(_headers: &HeaderMap) -> Self {}
}

/// Reads header `name` as a `T`, or `None` if it is missing or does not parse. The value (its
/// lines joined with `, ` when it is repeated) is tried as a string, then as JSON text (numbers,
/// booleans), then as a comma-separated list (OpenAPI's `simple` style).
pub fn header_value<T: DeserializeOwned>(headers: &HeaderMap, name: &str) -> Option<T> {
    let lines: Vec<&str> = headers
        .get_all(name)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if lines.is_empty() {
        return None;
    }
    let text = lines.join(", ");
    let as_text = || serde_json::from_value(serde_json::Value::String(text.clone())).ok();
    let as_json = || serde_json::from_str(text.trim()).ok();
    let as_list = || {
        let items: Vec<&str> = text.split(',').map(str::trim).collect();
        let strings = items
            .iter()
            .map(|i| serde_json::Value::String((*i).to_owned()));
        serde_json::from_value(serde_json::Value::Array(strings.collect()))
            .ok()
            .or_else(|| {
                let scalars: Option<Vec<serde_json::Value>> =
                    items.iter().map(|i| serde_json::from_str(i).ok()).collect();
                serde_json::from_value(serde_json::Value::Array(scalars?)).ok()
            })
    };
    as_text().or_else(as_json).or_else(as_list)
}

/// A successful response: its status, its headers (raw, and as declared by the API description)
/// and its decoded body.
///
/// It dereferences to the body, so `response.field` reads a field of the body.
///
/// The bytes the server sent stay reachable too ([`Response::raw_body`], [`Response::text`],
/// [`Response::json`]): for an operation whose description declares no schema, or to read what a
/// server sends beyond what its schema describes.
pub struct Response<T, H = ()> {
    status: StatusCode,
    headers: HeaderMap,
    typed_headers: H,
    raw_body: bytes::Bytes,
    body: T,
}

impl<T, H: FromHeaders> Response<T, H> {
    /// A response as the client would have decoded it: for tests of code that calls the API,
    /// without a network. The declared headers are parsed from `headers`.
    pub fn new(status: StatusCode, headers: HeaderMap, raw_body: bytes::Bytes, body: T) -> Self {
        Response {
            status,
            typed_headers: H::from_headers(&headers),
            headers,
            raw_body,
            body,
        }
    }
}

impl<T, H> Response<T, H> {
    /// The headers the API description declares for this operation, parsed.
    pub fn typed_headers(&self) -> &H {
        &self.typed_headers
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The body as the server sent it (within the client's response size limit).
    pub fn raw_body(&self) -> &bytes::Bytes {
        &self.raw_body
    }

    /// The body as text, if it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.raw_body).ok()
    }

    /// The body as JSON of any shape, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.raw_body).ok()
    }

    /// Takes the decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Splits the response into status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

impl<T, H> Deref for Response<T, H> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

/// A streamed body is read through the response: `response.next().await`.
impl<T, H> std::ops::DerefMut for Response<T, H> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.body
    }
}

impl<T: fmt::Debug, H> fmt::Debug for Response<T, H> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .field("raw_body_len", &self.raw_body.len())
            .finish()
    }
}
