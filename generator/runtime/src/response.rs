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

/// A successful response: its status, its headers and its decoded body.
///
/// It dereferences to the body, so `response.field` reads a field of the body.
pub struct Response<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> Response<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        Response {
            status,
            headers,
            body,
        }
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

    /// Takes the decoded body, dropping status and headers.
    pub fn into_body(self) -> T {
        self.body
    }

    /// Splits the response into status, headers and body.
    pub fn into_parts(self) -> (StatusCode, HeaderMap, T) {
        (self.status, self.headers, self.body)
    }
}

impl<T> Deref for Response<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T: fmt::Debug> fmt::Debug for Response<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .finish()
    }
}
