//! The client: its configuration, its credentials, and the one non-generic path every request
//! takes to the network.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{
    ACCEPT, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue, USER_AGENT,
};
use reqwest::{StatusCode, Url};

use super::auth::Credential;
use super::error::{Error, InvalidRequest, TransportError};
use super::request::{Body, Multipart, Part, Request};

/// The `User-Agent` sent by default: this crate's name and version.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// A client for the API. Cloning it is cheap: clones share the connection pool and configuration.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base_url: String,
    credentials: Vec<(&'static str, Credential)>,
    user_agent: HeaderValue,
    timeout: Option<Duration>,
}

impl Client {
    /// Starts configuring a client for the API at `base_url` (for example one of the constants in
    /// `servers`, or the URL of a gateway).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            http: None,
            credentials: Vec::new(),
            user_agent: None,
            timeout: None,
        }
    }

    /// A client for the API at `base_url` with no credentials and default settings.
    pub fn new(base_url: impl Into<String>) -> Result<Self, BuildError> {
        Self::builder(base_url).build()
    }

    /// The base URL requests are sent to.
    pub fn base_url(&self) -> &str {
        &self.inner.base_url
    }

    /// Sends a request and reads the whole response. This is the only place that touches the
    /// network, and it is not generic, so it is compiled once for all operations.
    pub(crate) async fn execute(&self, request: Request) -> Result<RawResponse, Failure> {
        if let Some(invalid) = request.invalid {
            return Err(Failure::Invalid(invalid));
        }
        let builder = self.prepare(request).map_err(Failure::Invalid)?;
        let response = builder.send().await.map_err(Failure::transport)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response.bytes().await.map_err(Failure::transport)?;
        Ok(RawResponse {
            status,
            headers,
            body,
        })
    }

    fn prepare(&self, request: Request) -> Result<reqwest::RequestBuilder, InvalidRequest> {
        let mut url = Url::parse(&format!("{}{}", self.inner.base_url, request.path))
            .map_err(|e| InvalidRequest::new(format!("the request URL is not valid: {e}")))?;
        let mut headers = HeaderMap::new();
        let mut credential_query = Vec::new();
        for credential in self.credentials_for(request.security) {
            credential
                .apply(&mut headers, &mut credential_query)
                .map_err(InvalidRequest::new)?;
        }
        if !request.query.is_empty() || !credential_query.is_empty() {
            let mut pairs = url.query_pairs_mut();
            for (name, value) in request.query.iter().chain(&credential_query) {
                pairs.append_pair(name, value);
            }
        }
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
            let mut cookie = cookies.join("; ");
            if let Some(existing) = headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                cookie = format!("{existing}; {cookie}");
            }
            let mut value = HeaderValue::from_str(&cookie).map_err(|_| {
                InvalidRequest::new("a cookie parameter is not a valid header value")
            })?;
            value.set_sensitive(true);
            headers.insert(COOKIE, value);
        }
        headers.insert(USER_AGENT, self.inner.user_agent.clone());
        if let Some(accept) = request.accept {
            let value = HeaderValue::from_str(accept).map_err(|_| {
                InvalidRequest::new("the Accept media type is not a valid header value")
            })?;
            headers.insert(ACCEPT, value);
        }
        let mut builder = self.inner.http.request(request.method, url);
        match request.body {
            Some(Body::Bytes {
                content_type,
                bytes,
            }) => {
                headers.insert(CONTENT_TYPE, content_type_value(&content_type)?);
                builder = builder.body(bytes);
            }
            Some(Body::Binary {
                content_type,
                binary,
            }) => {
                headers.insert(CONTENT_TYPE, content_type_value(&content_type)?);
                builder = builder.body(binary.take_body().map_err(InvalidRequest::new)?);
            }
            Some(Body::Multipart(form)) => builder = builder.multipart(multipart_form(form)?),
            None => {}
        }
        if let Some(timeout) = self.inner.timeout {
            builder = builder.timeout(timeout);
        }
        Ok(builder.headers(headers))
    }

    /// The credentials of the first security alternative that is fully configured; none when no
    /// alternative is (a gateway may add credentials itself).
    fn credentials_for(&self, requirements: &[&[&str]]) -> Vec<&Credential> {
        // An empty alternative means "no credentials needed"; it is the fallback below.
        for alternative in requirements.iter().filter(|a| !a.is_empty()) {
            let found: Vec<&Credential> = alternative
                .iter()
                .filter_map(|scheme| self.credential(scheme))
                .collect();
            if found.len() == alternative.len() {
                return found;
            }
        }
        Vec::new()
    }

    fn credential(&self, scheme: &str) -> Option<&Credential> {
        self.inner
            .credentials
            .iter()
            .find(|(name, _)| *name == scheme)
            .map(|(_, credential)| credential)
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&str> = self
            .inner
            .credentials
            .iter()
            .map(|(name, _)| *name)
            .collect();
        f.debug_struct("Client")
            .field("base_url", &without_userinfo(&self.inner.base_url))
            .field("credentials_for", &schemes)
            .field("timeout", &self.inner.timeout)
            .finish()
    }
}

fn content_type_value(content_type: &str) -> Result<HeaderValue, InvalidRequest> {
    HeaderValue::from_str(content_type)
        .map_err(|_| InvalidRequest::new("the body's media type is not a valid header value"))
}

/// The `reqwest` form for a multipart body.
fn multipart_form(form: Multipart) -> Result<reqwest::multipart::Form, InvalidRequest> {
    let mut out = reqwest::multipart::Form::new();
    for (name, part) in form.parts {
        let part = match part {
            Part::Text(text) => reqwest::multipart::Part::text(text),
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
        out = out.part(name, part);
    }
    Ok(out)
}

/// A URL for display, with any user name and password in it replaced by `redacted`.
fn without_userinfo(url: &str) -> String {
    match Url::parse(url) {
        Ok(mut parsed) if !parsed.username().is_empty() || parsed.password().is_some() => {
            // Neither call can fail on a URL that already has user information.
            let _ = parsed.set_username("redacted");
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Ok(_) => url.to_owned(),
        Err(_) => "[not a URL]".to_owned(),
    }
}

/// A response read in full, before it is sorted into success or error.
pub(crate) struct RawResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: bytes::Bytes,
}

/// Why [`Client::execute`] produced no response.
pub(crate) enum Failure {
    Invalid(InvalidRequest),
    Transport(TransportError),
}

impl Failure {
    fn transport(error: reqwest::Error) -> Self {
        Failure::Transport(TransportError::new(error))
    }
}

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Invalid(e) => Error::InvalidRequest(e),
            Failure::Transport(e) => Error::Transport(e),
        }
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    http: Option<reqwest::Client>,
    credentials: Vec<(&'static str, Credential)>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
}

impl ClientBuilder {
    /// Sets the credential for the security scheme named `scheme` in the API description,
    /// replacing any earlier one. Generated code offers a typed method for each scheme.
    pub fn credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.credentials.retain(|(name, _)| *name != scheme);
        self.credentials.push((scheme, credential));
        self
    }

    /// Uses this `reqwest` client (for proxies, custom root certificates, connection limits).
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Replaces the default `User-Agent` (the crate's name and version).
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = Some(user_agent.into());
        self
    }

    /// Sets a timeout for each request, from sending it to reading the whole response.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = self.base_url.trim_end_matches('/').to_owned();
        match Url::parse(&base_url) {
            Ok(url) if url.cannot_be_a_base() => {
                return Err(BuildError::new("the base URL cannot be a base URL"));
            }
            Ok(_) => {}
            Err(e) => {
                return Err(BuildError::new(format!(
                    "the base URL is not an absolute URL ({e}); relative server URLs in the API \
                     description must be joined to a scheme and host"
                )));
            }
        }
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| BuildError::new("the user agent is not a valid header value"))?;
        let http = match self.http {
            Some(http) => http,
            None => default_http_client()?,
        };
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials: self.credentials,
                user_agent,
                timeout: self.timeout,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes: Vec<&str> = self.credentials.iter().map(|(name, _)| *name).collect();
        f.debug_struct("ClientBuilder")
            .field("base_url", &without_userinfo(&self.base_url))
            .field("credentials_for", &schemes)
            .field("timeout", &self.timeout)
            .finish()
    }
}

/// The default HTTP client: rustls with the `ring` provider and the platform's certificate
/// verifier. The provider is given to this client only; nothing is installed process-wide.
fn default_http_client() -> Result<reqwest::Client, BuildError> {
    use rustls_platform_verifier::BuilderVerifierExt;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| BuildError::new(format!("TLS setup failed: {e}")))?
        .with_platform_verifier()
        .map_err(|e| BuildError::new(format!("TLS setup failed: {e}")))?
        .with_no_client_auth();
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls)
        .build()
        .map_err(|e| BuildError::new(format!("the HTTP client could not be built: {e}")))
}

/// The client could not be built.
#[derive(Clone, Debug)]
pub struct BuildError {
    message: String,
}

impl BuildError {
    fn new(message: impl Into<String>) -> Self {
        BuildError {
            message: message.into(),
        }
    }
}

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for BuildError {}
