//! Hooks: code of the application's that sees every attempt (to add headers, record metrics or
//! trace), set once on the client, without making the client generic.

use std::fmt;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::error::TransportError;
use super::redact::RedactedHeaders;

/// Called around every attempt of every call. Both methods do nothing by default.
///
/// The request passed to [`Hook::before_send`] carries the credentials; a hook that logs it must
/// not log its headers or its query string.
pub trait Hook: Send + Sync + 'static {
    /// Called just before an attempt is sent; the hook may change the request (add a header).
    fn before_send(&self, _request: &mut reqwest::Request, _attempt: &Attempt) {}

    /// Called when an attempt ends, with a response or a failure.
    fn after_attempt(&self, _attempt: &Attempt, _outcome: &AttemptOutcome<'_>) {}
}

/// Which attempt of which operation.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Attempt {
    /// The operation's method name in this crate.
    pub operation: &'static str,
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub number: u32,
}

/// How an attempt ended. `Debug` hides header values that may be secret (cookies,
/// credentials).
#[non_exhaustive]
pub enum AttemptOutcome<'a> {
    /// A response (after any redirects).
    Response {
        /// The HTTP status.
        status: StatusCode,
        /// The response headers (they may carry secrets, such as cookies).
        headers: &'a HeaderMap,
        /// How long the attempt took, redirects included.
        elapsed: Duration,
    },
    /// No response.
    Failed {
        /// Why there was none.
        error: &'a TransportError,
        /// How long the attempt took.
        elapsed: Duration,
    },
}

impl fmt::Debug for AttemptOutcome<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttemptOutcome::Response {
                status,
                headers,
                elapsed,
            } => f
                .debug_struct("Response")
                .field("status", status)
                .field("headers", &RedactedHeaders(headers))
                .field("elapsed", elapsed)
                .finish(),
            AttemptOutcome::Failed { error, elapsed } => f
                .debug_struct("Failed")
                .field("error", error)
                .field("elapsed", elapsed)
                .finish(),
        }
    }
}
