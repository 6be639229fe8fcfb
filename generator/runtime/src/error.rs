//! The one error type of every operation, generic over the error body the API declares for it.
//!
//! Nothing here prints a credential, a URL, a header value that may be secret, or a response body:
//! the bodies stay reachable through fields and accessors, never through `Debug`. `Display` of an
//! API error shows only the few fields of its body that the generator chose from the error schema
//! for saying what went wrong (a code, a message, a request id; never a sensitive field), each
//! cut to a bounded length.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::redact::RedactedHeaders;
use super::validate::{Violation, Violations};

/// Why an operation failed.
///
/// `E` is the error body the API declares for the operation. One rule sorts the answers that
/// are not a success: a response is [`Error::Api`] exactly when its body decodes as `E`, and
/// [`Error::UnexpectedResponse`] otherwise. So a status the description does not list (a 429
/// from a gateway, say) whose body fits the operation's error schema is usable as an API error;
/// where `E` is an enum with a variant per declared status and no `default`, a status it has no
/// variant for cannot decode as `E` and is unexpected.
#[non_exhaustive]
pub enum Error<E> {
    /// The API answered with an error status and a body that decoded as the operation's error
    /// type.
    Api(Box<ApiError<E>>),
    /// The API answered, but the response does not match the API description: a body that does
    /// not decode (an HTML page from a proxy, say), or a status the error type has no place for.
    UnexpectedResponse(Box<UnexpectedResponse>),
    /// No response: the request could not be sent or the response could not be read.
    Transport(TransportError),
    /// The request could not be built, or it breaks a constraint of the API description
    /// (nothing was sent).
    InvalidRequest(InvalidRequest),
    /// A credential could not be had: a token endpoint refused or failed, or a credential
    /// provider gave an error (nothing was sent to the API).
    Credential(CredentialError),
}

impl<E> Error<E> {
    pub(crate) fn with_summary(self, summary: ErrorSummary) -> Self {
        match self {
            Error::Api(mut e) => {
                e.summary = summary;
                Error::Api(e)
            }
            other => other,
        }
    }

    /// The HTTP status of the response, if there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Api(e) => Some(e.status),
            Error::UnexpectedResponse(e) => Some(e.status),
            Error::Transport(_) | Error::InvalidRequest(_) | Error::Credential(_) => None,
        }
    }

    /// The headers of the response, if there was one.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Api(e) => Some(&e.headers),
            Error::UnexpectedResponse(e) => Some(&e.headers),
            Error::Transport(_) | Error::InvalidRequest(_) | Error::Credential(_) => None,
        }
    }

    /// The decoded error body, when the API answered with a declared error.
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api(e) => Some(&e.body),
            _ => None,
        }
    }
}

impl<E> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => {
                write!(f, "the API answered with an error: {}", e.status)?;
                match e.summary() {
                    Some(summary) => write!(f, ": {summary}"),
                    None => Ok(()),
                }
            }
            Error::UnexpectedResponse(e) => fmt::Display::fmt(e, f),
            Error::Transport(e) => fmt::Display::fmt(e, f),
            Error::InvalidRequest(e) => fmt::Display::fmt(e, f),
            Error::Credential(e) => fmt::Display::fmt(e, f),
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Api(e) => f.debug_tuple("Api").field(e).finish(),
            Error::UnexpectedResponse(e) => f.debug_tuple("UnexpectedResponse").field(e).finish(),
            Error::Transport(e) => f.debug_tuple("Transport").field(e).finish(),
            Error::InvalidRequest(e) => f.debug_tuple("InvalidRequest").field(e).finish(),
            Error::Credential(e) => f.debug_tuple("Credential").field(e).finish(),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::UnexpectedResponse(e) => Some(e.as_ref()),
            Error::InvalidRequest(e) => Some(e),
            Error::Credential(e) => Some(e),
            Error::Api(_) => None,
        }
    }
}

/// An error the API answered with, as it declares it.
///
/// `raw_body` keeps the bytes the server sent: when the declared error schema does not say
/// what a server puts in its error bodies (every field optional, say), [`ApiError::text`] and
/// [`ApiError::json`] still give the server's reason.
#[non_exhaustive]
pub struct ApiError<E> {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The decoded error body.
    pub body: E,
    /// The body as the server sent it (within the client's response size limit). It may hold
    /// sensitive values, so `Debug` shows only its length.
    pub raw_body: bytes::Bytes,
    summary: ErrorSummary,
}

/// Where an operation's error bodies say what went wrong: `(role, JSON pointer)` pairs, the
/// role one of `code`, `message` and `request id`.
pub type ErrorSummary = &'static [(&'static str, &'static str)];

/// The longest piece of an error body that `Display` shows, in characters.
const SUMMARY_PIECE: usize = 200;

impl<E> ApiError<E> {
    /// An API error as the client would have decoded it: for tests of code that handles
    /// errors, without a network (`Error::Api(Box::new(ApiError::new(...)))`).
    pub fn new(status: StatusCode, headers: HeaderMap, raw_body: bytes::Bytes, body: E) -> Self {
        ApiError {
            status,
            headers,
            body,
            raw_body,
            summary: &[],
        }
    }

    /// What the body says went wrong, as `Display` shows it: its code, its message and the
    /// request id, where the error schema has them and the body holds them
    /// (`invalid_email: The email is not valid. (request id: r-1)`).
    pub fn summary(&self) -> Option<String> {
        if self.summary.is_empty() {
            return None;
        }
        let json: serde_json::Value = serde_json::from_slice(&self.raw_body).ok()?;
        let piece = |role: &str| {
            self.summary
                .iter()
                .filter(|(r, _)| *r == role)
                .find_map(|(_, pointer)| summary_piece(json.pointer(pointer)?))
        };
        let mut out = String::new();
        for text in [piece("code"), piece("message")].into_iter().flatten() {
            if !out.is_empty() {
                out.push_str(": ");
            }
            out.push_str(&text);
        }
        if let Some(id) = piece("request id") {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(&format!("(request id: {id})"));
        }
        (!out.is_empty()).then_some(out)
    }

    /// The body as text, if it is UTF-8.
    pub fn text(&self) -> Option<&str> {
        std::str::from_utf8(&self.raw_body).ok()
    }

    /// The body as JSON of any shape, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.raw_body).ok()
    }
}

/// A string or number of an error body, on one line and at most `SUMMARY_PIECE` characters.
fn summary_piece(value: &serde_json::Value) -> Option<String> {
    let text = match value {
        serde_json::Value::String(text) => text.clone(),
        serde_json::Value::Number(number) => number.to_string(),
        _ => return None,
    };
    let mut piece: String = text
        .trim()
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(SUMMARY_PIECE)
        .collect();
    if text.trim().chars().count() > SUMMARY_PIECE {
        piece.push('…');
    }
    (!piece.is_empty()).then_some(piece)
}

impl<E: fmt::Debug> fmt::Debug for ApiError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body", &self.body)
            .field("raw_body_len", &self.raw_body.len())
            .finish()
    }
}

/// A response that does not match the API description.
#[non_exhaustive]
pub struct UnexpectedResponse {
    /// The HTTP status.
    pub status: StatusCode,
    /// The response headers.
    pub headers: HeaderMap,
    /// The raw response body. It may hold sensitive values, so `Debug` shows only its length.
    pub body: bytes::Bytes,
    /// Why the body was not accepted.
    pub reason: DecodeError,
}

impl UnexpectedResponse {
    /// The media type the response declared (its `Content-Type` without parameters), if any:
    /// an HTML page where JSON was expected usually comes from a proxy or a gateway.
    pub fn content_type(&self) -> Option<&str> {
        let value = self
            .headers
            .get(reqwest::header::CONTENT_TYPE)?
            .to_str()
            .ok()?;
        let media_type = value.split(';').next().unwrap_or_default().trim();
        (!media_type.is_empty()).then_some(media_type)
    }
}

impl fmt::Debug for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UnexpectedResponse")
            .field("status", &self.status)
            .field("headers", &RedactedHeaders(&self.headers))
            .field("body_len", &self.body.len())
            .field("reason", &self.reason)
            .finish()
    }
}

impl fmt::Display for UnexpectedResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unexpected response ({}", self.status)?;
        if let Some(media_type) = self.content_type() {
            write!(f, ", {media_type}")?;
        }
        write!(f, ", {} bytes): {}", self.body.len(), self.reason)
    }
}

impl std::error::Error for UnexpectedResponse {}

/// Why a response body could not be decoded.
///
/// `Display` and `Debug` give the kind and position of the problem only: a decoder's own message
/// may quote a piece of the body, which may be secret. [`DecodeError::detail`] returns it.
#[derive(Clone)]
pub struct DecodeError {
    summary: String,
    detail: String,
}

impl DecodeError {
    /// An error with a summary that is safe to show and a detail that may quote the body.
    pub fn new(summary: impl Into<String>, detail: impl Into<String>) -> Self {
        DecodeError {
            summary: summary.into(),
            detail: detail.into(),
        }
    }

    /// The decoder's full message; it may quote part of the response body.
    pub fn detail(&self) -> &str {
        &self.detail
    }

    pub(crate) fn from_json(err: &serde_json::Error) -> Self {
        let kind = match err.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "not valid JSON",
            serde_json::error::Category::Data => "JSON that does not match the declared schema",
            serde_json::error::Category::Eof => "truncated JSON",
        };
        DecodeError::new(
            format!("{kind} at line {} column {}", err.line(), err.column()),
            err.to_string(),
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("DecodeError").field(&self.summary).finish()
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary)
    }
}

/// The request was not sent, or its response could not be read.
pub struct TransportError {
    kind: TransportKind,
}

enum TransportKind {
    /// From the HTTP client (connection, TLS, timeout, a body cut short).
    Http(reqwest::Error),
    /// The response body is larger than the client accepts.
    TooLarge { limit: u64 },
    /// The server sent nothing for longer than the read timeout.
    Stalled { after: Duration },
    /// Redirects went on past the limit.
    TooManyRedirects { limit: usize },
    /// A middleware of the application's gave up on the request.
    Middleware(Box<dyn std::error::Error + Send + Sync>),
}

impl TransportError {
    /// Wraps a `reqwest` error, dropping its URL: a URL may carry credentials (an API key in the
    /// query string) and must not reach a log through an error message.
    pub(crate) fn new(source: reqwest::Error) -> Self {
        TransportError {
            kind: TransportKind::Http(source.without_url()),
        }
    }

    pub(crate) fn too_large(limit: u64) -> Self {
        TransportError {
            kind: TransportKind::TooLarge { limit },
        }
    }

    pub(crate) fn stalled(after: Duration) -> Self {
        TransportError {
            kind: TransportKind::Stalled { after },
        }
    }

    pub(crate) fn too_many_redirects(limit: usize) -> Self {
        TransportError {
            kind: TransportKind::TooManyRedirects { limit },
        }
    }

    /// The error of a [`Middleware`](super::Middleware) that could not send the request (a
    /// signing key it could not load, say). Its message is shown as it is: it must not hold a
    /// secret. The runtime does not retry such a failure.
    pub fn middleware(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        TransportError {
            kind: TransportKind::Middleware(error.into()),
        }
    }

    /// Whether a middleware gave up on the request ([`TransportError::middleware`]).
    pub fn is_middleware(&self) -> bool {
        matches!(self.kind, TransportKind::Middleware(_))
    }

    /// Whether the request timed out: the whole call took longer than its timeout, or the
    /// server sent nothing for longer than the read timeout.
    pub fn is_timeout(&self) -> bool {
        match &self.kind {
            TransportKind::Http(e) => e.is_timeout(),
            TransportKind::Stalled { .. } => true,
            TransportKind::TooLarge { .. }
            | TransportKind::TooManyRedirects { .. }
            | TransportKind::Middleware(_) => false,
        }
    }

    /// Whether the connection could not be established (the request never reached the server).
    pub fn is_connect(&self) -> bool {
        matches!(&self.kind, TransportKind::Http(e) if e.is_connect())
    }

    /// Whether the response body was cut short or could not be read (a connection reset while
    /// the body was arriving, say).
    pub fn is_body(&self) -> bool {
        matches!(&self.kind, TransportKind::Http(e) if e.is_body() || e.is_decode())
    }

    /// Whether the response body was larger than the client's limit
    /// (`ClientBuilder::max_response_size`).
    pub fn is_too_large(&self) -> bool {
        matches!(self.kind, TransportKind::TooLarge { .. })
    }

    /// Whether the server redirected more times than the client follows.
    pub fn is_too_many_redirects(&self) -> bool {
        matches!(self.kind, TransportKind::TooManyRedirects { .. })
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("timeout", &self.is_timeout())
            .field("connect", &self.is_connect())
            .field("message", &self.to_string())
            .finish()
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let source = match &self.kind {
            TransportKind::Http(source) => source,
            TransportKind::TooLarge { limit } => {
                return write!(
                    f,
                    "the response body is larger than the limit of {limit} bytes"
                );
            }
            TransportKind::Stalled { after } => {
                return write!(
                    f,
                    "the server sent nothing for {after:?} (the read timeout)"
                );
            }
            TransportKind::TooManyRedirects { limit } => {
                return write!(f, "the server redirected more than {limit} times");
            }
            TransportKind::Middleware(error) => return write!(f, "a middleware failed: {error}"),
        };
        write!(f, "the request failed: {source}")?;
        let mut cause = std::error::Error::source(source);
        while let Some(next) = cause {
            write!(f, ": {next}")?;
            cause = next.source();
        }
        Ok(())
    }
}

impl std::error::Error for TransportError {}

/// The request could not be built, or breaks the API description's constraints; nothing was
/// sent.
#[derive(Clone, Debug)]
pub struct InvalidRequest {
    message: String,
    violations: Vec<Violation>,
}

impl InvalidRequest {
    pub(crate) fn new(message: impl Into<String>) -> Self {
        InvalidRequest {
            message: message.into(),
            violations: Vec::new(),
        }
    }

    pub(crate) fn violated(violations: Violations) -> Self {
        let violations = violations.into_list();
        let listed: Vec<String> = violations.iter().map(Violation::to_string).collect();
        InvalidRequest {
            message: listed.join("; "),
            violations,
        }
    }

    /// The constraints the request breaks (empty if it failed for another reason).
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid request: {}", self.message)
    }
}

impl std::error::Error for InvalidRequest {}

/// A credential could not be had for a security scheme: its token endpoint answered with an
/// error or could not be reached, or the application's credential provider failed. Nothing was
/// sent to the API.
///
/// It never holds a secret: not the client secret, not a token, not the request sent to the
/// token endpoint (a description the endpoint gives is shown with any secret of the request cut
/// out).
pub struct CredentialError {
    scheme: &'static str,
    status: Option<StatusCode>,
    code: Option<String>,
    message: String,
    transport: Option<TransportError>,
}

impl CredentialError {
    /// An error of a credential provider: `message` says why (it must not hold a secret).
    pub fn new(message: impl Into<String>) -> Self {
        CredentialError {
            scheme: "",
            status: None,
            code: None,
            message: message.into(),
            transport: None,
        }
    }

    /// The answer of a token endpoint that refused: its status, its OAuth 2 `error` code and
    /// a description, already stripped of secrets.
    pub(crate) fn refused(status: StatusCode, code: Option<String>, message: String) -> Self {
        CredentialError {
            status: Some(status),
            code,
            ..CredentialError::new(message)
        }
    }

    /// A token endpoint that could not be reached or read.
    pub(crate) fn unreachable(error: TransportError) -> Self {
        CredentialError {
            transport: Some(error),
            ..CredentialError::new("the token endpoint could not be reached")
        }
    }

    pub(crate) fn for_scheme(mut self, scheme: &'static str) -> Self {
        self.scheme = scheme;
        self
    }

    /// The security scheme whose credential could not be had.
    pub fn scheme(&self) -> &str {
        self.scheme
    }

    /// The HTTP status the token endpoint answered with, if it answered.
    pub fn status(&self) -> Option<StatusCode> {
        self.status
    }

    /// The OAuth 2 error code the token endpoint gave (`invalid_client`, `invalid_grant`, ...).
    pub fn code(&self) -> Option<&str> {
        self.code.as_deref()
    }

    /// Whether the token endpoint could not be reached or its answer not read.
    pub fn is_transport(&self) -> bool {
        self.transport.is_some()
    }
}

impl fmt::Display for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "no credential for security scheme `{}`", self.scheme)?;
        if let Some(status) = self.status {
            write!(f, ": the token endpoint answered {status}")?;
        }
        if let Some(code) = &self.code {
            write!(f, ": {code}")?;
        }
        if !self.message.is_empty() {
            write!(f, ": {}", self.message)?;
        }
        if let Some(transport) = &self.transport {
            write!(f, ": {transport}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for CredentialError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CredentialError")
            .field("scheme", &self.scheme)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("transport", &self.transport)
            .finish()
    }
}

impl std::error::Error for CredentialError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.transport
            .as_ref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}
