//! Retries: which failures are worth another attempt, and how long to wait before it
//! (exponential backoff with jitter, or what `Retry-After` asks, within a cap).

use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, RETRY_AFTER};

/// How a call is retried. Only requests that are safe to repeat are retried: `GET`, `HEAD`,
/// `OPTIONS`, `PUT`, `DELETE` and `TRACE`, and others the API description or the caller marks
/// idempotent. A `POST` is never sent twice by default: it could, for example, create something
/// twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// Up to 3 attempts, waiting 250 ms and then 500 ms (each with jitter), and honouring a
    /// `Retry-After` of up to 60 s.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries: one attempt.
    pub fn none() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// At most `attempts` attempts in all (the first one included); at least one.
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; it doubles for each further one.
    pub fn with_initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest wait between attempts without a `Retry-After`.
    pub fn with_max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The longest `Retry-After` honoured; a response asking for a longer wait is returned as
    /// it is.
    pub fn with_max_retry_after(mut self, wait: Duration) -> Self {
        self.max_retry_after = wait;
        self
    }

    /// The number of attempts in all.
    pub fn max_attempts(&self) -> u32 {
        self.max_attempts
    }

    /// How long to wait before retrying a response, if it is worth retrying: 408, 429 and 5xx.
    pub(crate) fn after_response(
        &self,
        status: StatusCode,
        headers: &HeaderMap,
        attempt: u32,
    ) -> Option<Duration> {
        let retryable = status == StatusCode::REQUEST_TIMEOUT
            || status == StatusCode::TOO_MANY_REQUESTS
            || status.is_server_error();
        if !retryable || attempt >= self.max_attempts {
            return None;
        }
        match retry_after(headers, SystemTime::now()) {
            Some(wait) if wait <= self.max_retry_after => Some(wait),
            Some(_) => None,
            None => Some(self.backoff(attempt)),
        }
    }

    /// How long to wait before retrying after a failure to get a response (connection refused or
    /// reset, timeout).
    pub(crate) fn after_failure(&self, attempt: u32) -> Option<Duration> {
        (attempt < self.max_attempts).then(|| self.backoff(attempt))
    }

    /// Exponential backoff for the retry after attempt `attempt`, with "equal jitter": half the
    /// delay, plus a random part of the other half.
    fn backoff(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        let delay = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let half = delay / 2;
        half + half.mul_f64(fastrand::f64())
    }
}

/// The wait a `Retry-After` header asks for: a number of seconds, or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or(Duration::ZERO))
}
