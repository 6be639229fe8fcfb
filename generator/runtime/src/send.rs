//! The one non-generic path every request takes to the network: prepare the request once, then
//! for each attempt ask the credential providers, and send it (following redirects, with
//! credentials and middleware only for the API's own origin), retrying when the policy and the
//! method allow, and once more after a 401 to a provider's credential; hooks and `tracing` see
//! every attempt.

use std::time::{Duration, Instant};

use reqwest::header::{
    ACCEPT, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue, LOCATION, USER_AGENT,
};
use reqwest::{Method, StatusCode, Url};
use tracing::Instrument as _;

use super::client::{Client, Failure, RawResponse};
use super::error::{InvalidRequest, TransportError};
use super::hook::{Attempt, AttemptOutcome};
use super::middleware::Next;
use super::provider::{CredentialRequest, Given, Provided, Source};
use super::request::{Body, CallOptions, Part, Request, Scopes};

/// How many redirects one attempt follows.
const MAX_REDIRECTS: usize = 10;

/// A request ready to be sent any number of times.
struct Prepared {
    method: Method,
    /// Base URL, path and query parameters; credentials are added per attempt.
    url: Url,
    headers: HeaderMap,
    body: Option<Body>,
    security: &'static [&'static [&'static str]],
    scopes: Scopes,
    operation: &'static str,
    follow_redirects: bool,
    /// A successful response's body is left unread, to be streamed.
    streamed: bool,
}

impl Prepared {
    /// Whether the body can be sent again (it is not a stream).
    fn replayable(&self) -> bool {
        match &self.body {
            None | Some(Body::Bytes { .. }) => true,
            Some(Body::Binary { binary, .. }) => binary.bytes().is_some(),
            Some(Body::Multipart(form)) => form.parts.iter().all(|(_, part)| match part {
                Part::Text(_) => true,
                Part::File(file) => file.bytes().is_some(),
            }),
        }
    }
}

impl Client {
    /// Sends a request and reads the whole response, retrying when allowed.
    pub(crate) async fn execute(
        &self,
        mut request: Request,
        options: CallOptions,
    ) -> Result<RawResponse, Failure> {
        if let Some(invalid) = request.invalid.take() {
            return Err(Failure::Invalid(invalid));
        }
        if let Some(invalid) = options.invalid {
            return Err(Failure::Invalid(invalid));
        }
        if !options.unchecked && !request.violations.is_empty() {
            let violations = std::mem::take(&mut request.violations);
            return Err(Failure::Invalid(InvalidRequest::violated(violations)));
        }
        if let Some(header) = request.idempotency_key {
            let given = request
                .headers
                .iter()
                .any(|(name, _)| name.eq_ignore_ascii_case(header))
                || options
                    .headers
                    .iter()
                    .any(|(name, _)| name.as_str().eq_ignore_ascii_case(header));
            if !given {
                request.headers.push((header, new_idempotency_key()));
            }
            request.idempotent = true;
        }
        let idempotent = options.idempotent.unwrap_or(request.idempotent);
        let prepared = self.prepare(request, &options).map_err(Failure::Invalid)?;
        let policy = options.retry.as_ref().unwrap_or(&self.inner.retry);
        let safe = idempotent && prepared.replayable();
        let timeout = options.timeout.or(self.inner.timeout);
        let span = tracing::info_span!(
            "http.client.request",
            otel.kind = "client",
            operation = prepared.operation,
            http.request.method = %prepared.method,
            url.path = prepared.url.path(),
            http.response.status_code = tracing::field::Empty,
            attempts = tracing::field::Empty,
        );
        let recorder = span.clone();
        let work = async {
            let mut number = 1;
            // Providers are told of a 401 once per call.
            let mut rejected = false;
            loop {
                let attempt = Attempt {
                    operation: prepared.operation,
                    number,
                };
                let provided = if self.inner.provided {
                    self.provide_credentials(&prepared).await?
                } else {
                    Provided::default()
                };
                // Only hooks read the time an attempt took.
                let started = (!self.inner.hooks.is_empty()).then(Instant::now);
                let result = self.attempt(&prepared, &provided, timeout, &attempt).await;
                if let Some(started) = started {
                    self.notify(&attempt, &result, started.elapsed());
                }
                // The API refused a provider's credential: the provider is told, and the
                // request, which the server did not act on, is sent once more with a new one.
                let unauthorized =
                    matches!(&result, Ok(raw) if raw.status == StatusCode::UNAUTHORIZED);
                if unauthorized && !rejected && !provided.given.is_empty() {
                    rejected = true;
                    provided.reject();
                    if prepared.replayable() {
                        tracing::debug!(attempt = number, "credential rejected; sending again");
                        number += 1;
                        continue;
                    }
                }
                // A request that may have reached the server is repeated only when that is safe;
                // one that surely did not (no connection) only needs a body that can be resent.
                let (wait, allowed) = match &result {
                    Ok(raw) => (
                        policy.after_response(raw.status, &raw.headers, number),
                        safe,
                    ),
                    // Trying again would only read the same oversized body or loop again.
                    Err(Failure::Transport(e)) if e.is_too_large() || e.is_too_many_redirects() => {
                        (None, false)
                    }
                    // A middleware gave up; it retries itself if it wants to.
                    Err(Failure::Transport(e)) if e.is_middleware() => (None, false),
                    Err(Failure::Transport(_)) => (policy.after_failure(number), safe),
                    Err(Failure::NotSent(_)) => {
                        (policy.after_failure(number), prepared.replayable())
                    }
                    Err(Failure::Invalid(_) | Failure::Credential(_)) => (None, false),
                };
                match wait {
                    Some(wait) if allowed => {
                        tracing::debug!(
                            attempt = number,
                            wait_ms = wait.as_millis() as u64,
                            "retrying"
                        );
                        tokio::time::sleep(wait).await;
                        number += 1;
                    }
                    _ => {
                        recorder.record("attempts", number);
                        if let Ok(raw) = &result {
                            recorder.record("http.response.status_code", raw.status.as_u16());
                        }
                        return result;
                    }
                }
            }
        };
        // Without a subscriber that wants the span, entering it on every poll is wasted work.
        if span.is_disabled() {
            work.await
        } else {
            work.instrument(span).await
        }
    }

    fn notify(&self, attempt: &Attempt, result: &Result<RawResponse, Failure>, elapsed: Duration) {
        let outcome = match result {
            Ok(raw) => AttemptOutcome::Response {
                status: raw.status,
                headers: &raw.headers,
                elapsed,
            },
            Err(Failure::Transport(error) | Failure::NotSent(error)) => {
                AttemptOutcome::Failed { error, elapsed }
            }
            Err(Failure::Invalid(_) | Failure::Credential(_)) => return,
        };
        for hook in &self.inner.hooks {
            hook.after_attempt(attempt, &outcome);
        }
    }

    /// Asks the providers of the chosen security alternative for their credentials.
    async fn provide_credentials(&self, prepared: &Prepared) -> Result<Provided, Failure> {
        let mut provided = Provided::default();
        for &scheme in self.chosen_alternative(prepared.security) {
            let Some(Source::Provided(provider)) = self.credential_source(scheme) else {
                continue;
            };
            let scopes = prepared
                .scopes
                .iter()
                .find(|(name, _)| *name == scheme)
                .map_or(&[][..], |(_, scopes)| scopes);
            let request = CredentialRequest {
                scheme,
                scopes,
                operation: prepared.operation,
            };
            let credential = provider
                .credential(&request)
                .await
                .map_err(|e| Failure::Credential(e.for_scheme(scheme)))?;
            provided.given.push(Given {
                scheme,
                provider: provider.clone(),
                ready: super::auth::Ready::new(credential),
            });
        }
        Ok(provided)
    }

    /// One attempt: the request and its redirects. Credentials and middleware are for the
    /// API's own origin only; once a redirect leaves it, neither is used again.
    async fn attempt(
        &self,
        prepared: &Prepared,
        provided: &Provided,
        timeout: Option<Duration>,
        attempt: &Attempt,
    ) -> Result<RawResponse, Failure> {
        let origin = prepared.url.origin();
        // The URL of a redirect; the first hop goes to the prepared URL.
        let mut redirected: Option<Url> = None;
        let mut method = prepared.method.clone();
        let mut with_body = true;
        let mut trusted = true;
        for hop in 0..=MAX_REDIRECTS {
            let url = redirected.as_ref().unwrap_or(&prepared.url);
            let mut request = self
                .build(prepared, provided, url, &method, with_body, trusted)
                .map_err(Failure::Invalid)?;
            // A stream has no end to wait for: its timeout bounds the wait for the headers, and
            // the read timeout each wait for more of the body.
            if !prepared.streamed {
                *request.timeout_mut() = timeout;
            }
            for hook in &self.inner.hooks {
                hook.before_send(&mut request, attempt);
            }
            // The wait for the response's headers is bounded by the HTTP client's own read
            // timeout (the default client's is the read timeout): a timer here would also run
            // while a large body is being uploaded.
            let response = if self.inner.middleware.is_empty() || !trusted {
                let sent = self.inner.http.execute(request);
                let response = match (prepared.streamed, timeout) {
                    (true, Some(limit)) => within(limit, sent).await?,
                    _ => sent.await,
                };
                response.map_err(TransportError::new)
            } else {
                let next = Next::new(&self.inner.middleware, &self.inner.http, attempt);
                let sent = next.run(request);
                match (prepared.streamed, timeout) {
                    (true, Some(limit)) => within(limit, sent).await?,
                    _ => sent.await,
                }
            };
            let response = response.map_err(|error| {
                if hop == 0 && error.is_connect() {
                    Failure::NotSent(error)
                } else {
                    Failure::Transport(error)
                }
            })?;
            let status = response.status();
            let next = redirect_target(status, response.headers(), url)
                .filter(|_| prepared.follow_redirects);
            if let Some(next) = next {
                if hop == MAX_REDIRECTS {
                    return Err(Failure::Transport(TransportError::too_many_redirects(
                        MAX_REDIRECTS,
                    )));
                }
                let keeps_body = matches!(
                    status,
                    StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
                );
                if !keeps_body {
                    // 303, and 301/302 as clients treat them: the next request is a GET.
                    if method != Method::HEAD {
                        method = Method::GET;
                    }
                    with_body = false;
                } else if !prepared.replayable() {
                    return self.read(response).await;
                }
                trusted = trusted && next.origin() == origin;
                redirected = Some(next);
                continue;
            }
            if prepared.streamed && status.is_success() {
                let headers = response.headers().clone();
                return Ok(RawResponse {
                    status,
                    headers,
                    body: bytes::Bytes::new(),
                    stream: Some(response),
                });
            }
            return self.read(response).await;
        }
        unreachable!("the last hop returns")
    }

    /// Validates and assembles what does not change between attempts.
    fn prepare(&self, request: Request, options: &CallOptions) -> Result<Prepared, InvalidRequest> {
        let extra = &options.headers;
        let url = match &options.url {
            Some(next) => self.page_url(next)?,
            None => {
                let base = &self.inner.base_url;
                let mut text = String::with_capacity(base.len() + request.path.len());
                text.push_str(base);
                text.push_str(&request.path);
                let mut url = Url::parse(&text).map_err(|e| {
                    InvalidRequest::new(format!("the request URL is not valid: {e}"))
                })?;
                if !request.query.is_empty() {
                    url.query_pairs_mut().extend_pairs(&request.query);
                }
                url
            }
        };
        let mut headers = HeaderMap::with_capacity(request.headers.len() + extra.len() + 5);
        for (name, value) in &request.headers {
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| InvalidRequest::new(format!("`{name}` is not a valid header name")))?;
            let value = HeaderValue::from_str(value).map_err(|_| {
                InvalidRequest::new(format!(
                    "the value of header `{name}` is not a valid header value"
                ))
            })?;
            headers.append(name, value);
        }
        if !request.cookies.is_empty() {
            let cookies: Vec<String> = request
                .cookies
                .iter()
                .map(|(name, value)| format!("{name}={value}"))
                .collect();
            let mut value = HeaderValue::from_str(&cookies.join("; ")).map_err(|_| {
                InvalidRequest::new("a cookie parameter is not a valid header value")
            })?;
            value.set_sensitive(true);
            headers.insert(COOKIE, value);
        }
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        if let Some(accept) = request.accept {
            let value = static_value(accept).ok_or_else(|| {
                InvalidRequest::new("the Accept media type is not a valid header value")
            })?;
            headers.insert(ACCEPT, value);
        }
        match &request.body {
            Some(Body::Bytes { content_type, .. }) => {
                let value = static_value(content_type).ok_or_else(|| {
                    InvalidRequest::new("the body's media type is not a valid header value")
                })?;
                headers.insert(CONTENT_TYPE, value);
            }
            Some(Body::Binary { content_type, .. }) => {
                let value = HeaderValue::from_str(content_type).map_err(|_| {
                    InvalidRequest::new("the body's media type is not a valid header value")
                })?;
                headers.insert(CONTENT_TYPE, value);
            }
            Some(Body::Multipart(_)) | None => {}
        }
        for (name, value) in extra {
            headers.insert(name.clone(), value.clone());
        }
        Ok(Prepared {
            method: request.method,
            url,
            headers,
            body: request.body,
            security: request.security,
            scopes: request.scopes,
            operation: request.operation,
            follow_redirects: request.follow_redirects,
            streamed: options.streamed,
        })
    }

    /// The URL of a next page that the API gave (a `Link` header, say), resolved against the base
    /// URL. It must be on the API's origin: credentials are not sent anywhere else.
    fn page_url(&self, next: &str) -> Result<Url, InvalidRequest> {
        let base = Url::parse(&self.inner.base_url)
            .map_err(|e| InvalidRequest::new(format!("the base URL is not valid: {e}")))?;
        let url = base
            .join(next)
            .map_err(|e| InvalidRequest::new(format!("the next page's URL is not valid: {e}")))?;
        if url.origin() != base.origin() {
            return Err(InvalidRequest::new(
                "the next page's URL is on another origin; it is not followed with this API's credentials",
            ));
        }
        Ok(url)
    }

    /// The request of one hop: credentials only when `trusted`, the body only when `with_body`.
    fn build(
        &self,
        prepared: &Prepared,
        provided: &Provided,
        url: &Url,
        method: &Method,
        with_body: bool,
        trusted: bool,
    ) -> Result<reqwest::Request, InvalidRequest> {
        let mut url = url.clone();
        let mut headers = prepared.headers.clone();
        if trusted {
            let mut query = Vec::new();
            self.apply_credentials(prepared.security, provided, &mut headers, &mut query)
                .map_err(InvalidRequest::new)?;
            if !query.is_empty() {
                url.query_pairs_mut().extend_pairs(&query);
            }
        }
        // A body of bytes (or none): the request is assembled directly, its headers moved in.
        // A URL with a user name goes through reqwest's builder, which turns it into Basic
        // authentication and takes it out of the URL.
        let userinfo = !url.username().is_empty() || url.password().is_some();
        let simple = match (&prepared.body, with_body) {
            _ if userinfo => None,
            (Some(Body::Bytes { bytes, .. }), true) => Some(Some(bytes.clone())),
            (Some(_), true) => None,
            (_, false) | (None, _) => Some(None),
        };
        if let Some(body) = simple {
            if body.is_none() {
                headers.remove(CONTENT_TYPE);
            }
            let mut request = reqwest::Request::new(method.clone(), url);
            *request.headers_mut() = headers;
            *request.body_mut() = body.map(reqwest::Body::from);
            return Ok(request);
        }
        let mut builder = self.inner.http.request(method.clone(), url);
        match (&prepared.body, with_body) {
            (Some(Body::Binary { binary, .. }), true) => {
                builder = builder
                    .headers(headers)
                    .body(binary.take_body().map_err(InvalidRequest::new)?);
            }
            // `multipart` sets the content type with the boundary, and the length.
            (Some(Body::Multipart(form)), true) => {
                builder = builder.headers(headers).multipart(multipart_form(form)?)
            }
            (_, _) => {
                headers.remove(CONTENT_TYPE);
                builder = builder.headers(headers);
            }
        }
        builder.build().map_err(|e| {
            InvalidRequest::new(format!(
                "the request could not be built: {}",
                e.without_url()
            ))
        })
    }
}

/// A header value from text that lives as long as the program (a media type generated code
/// gives), without copying it; `None` if it is not a valid header value.
fn static_value(text: &'static str) -> Option<HeaderValue> {
    // One check of the bytes, and the text is kept where it is.
    HeaderValue::from_maybe_shared(bytes::Bytes::from_static(text.as_bytes())).ok()
}

/// The `reqwest` form for a multipart body.
fn multipart_form(
    form: &super::request::Multipart,
) -> Result<reqwest::multipart::Form, InvalidRequest> {
    let mut out = reqwest::multipart::Form::new();
    for (name, part) in &form.parts {
        let part = match part {
            Part::Text(text) => reqwest::multipart::Part::text(text.clone()),
            Part::File(file) => {
                let mut part = reqwest::multipart::Part::stream(
                    file.take_body().map_err(InvalidRequest::new)?,
                );
                if let Some(file_name) = file.file_name() {
                    part = part.file_name(file_name.to_owned());
                }
                let content_type = file.content_type().unwrap_or("application/octet-stream");
                part.mime_str(content_type)
                    .map_err(|_| InvalidRequest::new("a file part's media type is not valid"))?
            }
        };
        out = out.part(name.clone(), part);
    }
    Ok(out)
}

/// Where a redirect leads, if the response is one with a usable `Location`.
/// A random key in the form of a version 4 UUID: unique per call (keys need not be secret).
fn new_idempotency_key() -> String {
    let bits = fastrand::u128(..);
    let bits = (((bits & !(0xf << 76)) | (0x4 << 76)) & !(0x3 << 62)) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn redirect_target(status: StatusCode, headers: &HeaderMap, url: &Url) -> Option<Url> {
    let redirect = matches!(
        status,
        StatusCode::MOVED_PERMANENTLY
            | StatusCode::FOUND
            | StatusCode::SEE_OTHER
            | StatusCode::TEMPORARY_REDIRECT
            | StatusCode::PERMANENT_REDIRECT
    );
    if !redirect {
        return None;
    }
    let location = headers.get(LOCATION)?.to_str().ok()?;
    let next = url.join(location).ok()?;
    matches!(next.scheme(), "http" | "https").then_some(next)
}

impl Client {
    /// Reads the whole body, within the size limit and the read timeout.
    async fn read(&self, mut response: reqwest::Response) -> Result<RawResponse, Failure> {
        let limit = self.inner.max_response_size;
        let too_large = || Failure::Transport(TransportError::too_large(limit));
        if response
            .content_length()
            .is_some_and(|length| length > limit)
        {
            return Err(too_large());
        }
        let status = response.status();
        let headers = std::mem::take(response.headers_mut());
        // Most bodies arrive in one chunk, which is kept as it is; later chunks are joined.
        let mut first: Option<bytes::Bytes> = None;
        let mut joined: Option<bytes::BytesMut> = None;
        let mut length = 0u64;
        while let Some(chunk) = within(self.inner.read_timeout, response.chunk())
            .await?
            .map_err(Failure::transport)?
        {
            length += chunk.len() as u64;
            if length > limit {
                return Err(too_large());
            }
            match (&mut joined, first.take()) {
                (Some(joined), _) => joined.extend_from_slice(&chunk),
                (None, None) => first = Some(chunk),
                (None, Some(earlier)) => {
                    let mut buffer = bytes::BytesMut::with_capacity(earlier.len() + chunk.len());
                    buffer.extend_from_slice(&earlier);
                    buffer.extend_from_slice(&chunk);
                    joined = Some(buffer);
                }
            }
        }
        let body = match joined {
            Some(joined) => joined.freeze(),
            None => first.unwrap_or_default(),
        };
        Ok(RawResponse {
            status,
            headers,
            body,
            stream: None,
        })
    }
}

/// Runs `future`, failing with a timeout error if it does not finish within `limit`.
async fn within<F: std::future::Future>(limit: Duration, future: F) -> Result<F::Output, Failure> {
    tokio::time::timeout(limit, future)
        .await
        .map_err(|_| Failure::Transport(TransportError::stalled(limit)))
}

impl Failure {
    fn transport(error: reqwest::Error) -> Self {
        Failure::Transport(TransportError::new(error))
    }
}
