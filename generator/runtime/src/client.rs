//! The client: its configuration, its credentials, and the one non-generic path every request
//! takes to the network.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{StatusCode, Url};

use super::auth::{Credential, Ready};
use super::error::{CredentialError, Error, InvalidRequest, TransportError};
use super::hook::Hook;
use super::middleware::Middleware;
use super::oauth2::{TokenGrant, TokenSetup};
use super::provider::{CredentialProvider, Provided, Source};
use super::retry::RetryPolicy;

/// The `User-Agent` sent by default: this crate's name and version.
const DEFAULT_USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

/// The default limit on a response body: 100 MiB.
pub const DEFAULT_MAX_RESPONSE_SIZE: u64 = 100 * 1024 * 1024;

/// The default read timeout: the longest the client waits for the response's headers, or for
/// the next piece of its body.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(120);

/// A client for the API. Cloning it is cheap: clones share the connection pool and configuration.
#[derive(Clone)]
pub struct Client {
    pub(crate) inner: Arc<Inner>,
}

pub(crate) struct Inner {
    pub(crate) http: reqwest::Client,
    pub(crate) base_url: String,
    pub(crate) credentials: Vec<(&'static str, Source)>,
    /// Some credential comes from a provider (so each attempt asks for it).
    pub(crate) provided: bool,
    /// Sent with every request to the API's origin, whatever the operation's security says.
    pub(crate) always: Vec<Ready>,
    pub(crate) user_agent: HeaderValue,
    pub(crate) timeout: Option<Duration>,
    pub(crate) read_timeout: Duration,
    pub(crate) max_response_size: u64,
    pub(crate) retry: RetryPolicy,
    pub(crate) hooks: Vec<Arc<dyn Hook>>,
    /// Run around each request to the API's origin, the first outermost.
    pub(crate) middleware: Vec<Arc<dyn Middleware>>,
}

impl Client {
    /// Starts configuring a client for the API at `base_url` (for example one of the constants in
    /// `servers`, or the URL of a gateway).
    pub fn builder(base_url: impl Into<String>) -> ClientBuilder {
        ClientBuilder {
            base_url: base_url.into(),
            http: None,
            credentials: Vec::new(),
            always: Vec::new(),
            user_agent: None,
            timeout: None,
            read_timeout: DEFAULT_READ_TIMEOUT,
            max_response_size: DEFAULT_MAX_RESPONSE_SIZE,
            retry: RetryPolicy::default(),
            hooks: Vec::new(),
            middleware: Vec::new(),
            relative_to: None,
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

    /// The first security alternative that is fully configured (none when no alternative is:
    /// a gateway may add credentials itself). An empty alternative means "no credentials
    /// needed"; it is the fallback.
    pub(crate) fn chosen_alternative<'r>(
        &self,
        requirements: &'r [&'r [&'r str]],
    ) -> &'r [&'r str] {
        requirements
            .iter()
            .filter(|a| !a.is_empty())
            .find(|alternative| {
                alternative
                    .iter()
                    .all(|scheme| self.credential_source(scheme).is_some())
            })
            .copied()
            .unwrap_or(&[])
    }

    /// Adds the credentials of the chosen alternative (those of providers as `provided` holds
    /// them for this attempt), then those set with
    /// [`ClientBuilder::credential_for_every_request`].
    pub(crate) fn apply_credentials(
        &self,
        requirements: &[&[&str]],
        provided: &Provided,
        headers: &mut HeaderMap,
        query: &mut Vec<(String, String)>,
    ) -> Result<(), String> {
        for scheme in self.chosen_alternative(requirements) {
            let credential = match self.credential_source(scheme) {
                Some(Source::Fixed(ready)) => Some(ready),
                Some(Source::Provided(_)) => provided.get(scheme),
                None => None,
            };
            if let Some(credential) = credential {
                credential.apply(headers, query)?;
            }
        }
        for credential in &self.inner.always {
            credential.apply(headers, query)?;
        }
        Ok(())
    }

    pub(crate) fn credential_source(&self, scheme: &str) -> Option<&Source> {
        self.inner
            .credentials
            .iter()
            .find(|(name, _)| *name == scheme)
            .map(|(_, source)| source)
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
            .field("credentials_for_every_request", &self.inner.always.len())
            .field("timeout", &self.inner.timeout)
            .field("middleware", &self.inner.middleware.len())
            .finish()
    }
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
    /// A successful response of a streamed call, whose body is left to be read as it arrives
    /// (`body` is then empty).
    pub(crate) stream: Option<reqwest::Response>,
}

/// Why [`Client::execute`] produced no response.
pub(crate) enum Failure {
    Invalid(InvalidRequest),
    /// The request may have reached the server.
    Transport(TransportError),
    /// No connection to the API's server could be made: the request surely never reached it.
    NotSent(TransportError),
    /// A credential provider failed (nothing was sent).
    Credential(CredentialError),
}

impl<E> From<Failure> for Error<E> {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Invalid(e) => Error::InvalidRequest(e),
            Failure::Transport(e) | Failure::NotSent(e) => Error::Transport(e),
            Failure::Credential(e) => Error::Credential(e),
        }
    }
}

/// Configures a [`Client`].
pub struct ClientBuilder {
    base_url: String,
    http: Option<reqwest::Client>,
    credentials: Vec<(&'static str, Pending)>,
    always: Vec<Credential>,
    user_agent: Option<String>,
    timeout: Option<Duration>,
    read_timeout: Duration,
    max_response_size: u64,
    retry: RetryPolicy,
    hooks: Vec<Arc<dyn Hook>>,
    middleware: Vec<Arc<dyn Middleware>>,
    relative_to: Option<String>,
}

/// A scheme's credential as the builder holds it.
enum Pending {
    Fixed(Credential),
    Provided(Arc<dyn CredentialProvider>),
    /// Fetched from a token endpoint with the client's HTTP client, once it is built.
    Tokens(TokenSetup),
}

/// The base URL as an absolute URL: as given, or resolved against `relative_to`.
fn absolute_base(base_url: &str, relative_to: Option<&str>) -> Result<String, BuildError> {
    let url = match (Url::parse(base_url), relative_to) {
        (Ok(url), _) => url,
        (Err(_), Some(against)) => Url::parse(against)
            .and_then(|against| against.join(base_url))
            .map_err(|e| {
                BuildError::new(format!(
                    "the URL a relative base URL is resolved against is not an absolute URL ({e})"
                ))
            })?,
        (Err(e), _) => {
            return Err(BuildError::new(format!(
                "the base URL is not an absolute URL ({e}); a relative server URL of the API \
                 description needs `.relative_to(origin)` on the builder"
            )));
        }
    };
    if url.cannot_be_a_base() {
        return Err(BuildError::new("the base URL cannot be a base URL"));
    }
    Ok(url.as_str().to_owned())
}

impl ClientBuilder {
    /// Resolves a relative base URL (a server such as `/api/v2`, which the API description
    /// gives relative to where it is served) against `url`: the API's origin
    /// (`https://example.com`) or the address of the description itself. An absolute base URL
    /// is used as it is.
    pub fn relative_to(mut self, url: impl Into<String>) -> Self {
        self.relative_to = Some(url.into());
        self
    }

    /// Sets the credential for the security scheme named `scheme` in the API description,
    /// replacing any earlier one. Generated code offers a typed method for each scheme.
    pub fn credential(self, scheme: &'static str, credential: Credential) -> Self {
        self.with_source(scheme, Pending::Fixed(credential))
    }

    /// Asks `provider` for the credential of security scheme `scheme` whenever a request needs
    /// it (see [`CredentialProvider`]), replacing any earlier credential of the scheme.
    /// Generated code offers a typed method for each scheme.
    pub fn credential_provider(
        self,
        scheme: &'static str,
        provider: impl CredentialProvider,
    ) -> Self {
        self.with_source(scheme, Pending::Provided(Arc::new(provider)))
    }

    /// Fetches OAuth 2 access tokens for security scheme `scheme` from `token_url` (resolved
    /// against the base URL) with `grant`, replacing any earlier credential of the scheme.
    /// Tokens are cached until shortly before they expire, fetched once for many concurrent
    /// calls, and fetched anew when the API rejects one (401). Generated code offers a typed
    /// method, with the token URL of the API description, for each scheme that has such a flow.
    pub fn token_endpoint(
        self,
        scheme: &'static str,
        token_url: &'static str,
        grant: impl Into<TokenGrant>,
    ) -> Self {
        let setup = TokenSetup {
            token_url,
            grant: grant.into(),
        };
        self.with_source(scheme, Pending::Tokens(setup))
    }

    fn with_source(mut self, scheme: &'static str, pending: Pending) -> Self {
        self.credentials.retain(|(name, _)| *name != scheme);
        self.credentials.push((scheme, pending));
        self
    }

    /// Sends `credential` with every request to the API's origin, whatever security the
    /// operation declares: for an API whose description leaves authentication to its prose
    /// (declaring no security scheme), or a header a gateway requires. Like the declared
    /// credentials it never prints, and it is dropped when a redirect leaves the API's origin.
    pub fn credential_for_every_request(mut self, credential: Credential) -> Self {
        self.always.push(credential);
        self
    }

    /// Uses this `reqwest` client (for proxies, custom root certificates, connection limits).
    ///
    /// Build it with `redirect(reqwest::redirect::Policy::none())`: this client then follows
    /// redirects itself, and drops every credential (API-key headers included) when a redirect
    /// leaves the API's origin. A `reqwest` client that follows redirects on its own only drops
    /// the standard credential headers.
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

    /// Sets the read timeout (by default [`DEFAULT_READ_TIMEOUT`]): the longest the client
    /// waits for the response's headers or for the next piece of its body before it gives up
    /// with a timeout error. Unlike [`ClientBuilder::timeout`], it does not limit a long upload
    /// or download that keeps moving. `Duration::MAX` turns it off. With a client of your own
    /// ([`ClientBuilder::http_client`]), the wait for the headers is bounded by that client's
    /// read timeout instead.
    pub fn read_timeout(mut self, timeout: Duration) -> Self {
        self.read_timeout = timeout;
        self
    }

    /// Sets the largest response body the client reads, in bytes (by default
    /// [`DEFAULT_MAX_RESPONSE_SIZE`]); a larger one fails with a transport error for which
    /// `is_too_large` is true, and the rest of it is not read.
    pub fn max_response_size(mut self, bytes: u64) -> Self {
        self.max_response_size = bytes;
        self
    }

    /// Sets how calls are retried (by default: up to 3 attempts for requests that are safe to
    /// repeat). A call can override it.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Adds a hook that sees every attempt of every call (for metrics, tracing or extra
    /// headers). Hooks run in the order they were added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    /// Adds a middleware around each request to the API's origin (see [`Middleware`]). The
    /// first one added runs first: it sees the request before the later ones, and the response
    /// after them.
    pub fn middleware(mut self, middleware: impl Middleware) -> Self {
        self.middleware.push(Arc::new(middleware));
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<Client, BuildError> {
        let base_url = absolute_base(&self.base_url, self.relative_to.as_deref())?;
        let base_url = base_url.trim_end_matches('/').to_owned();
        let user_agent = self.user_agent.as_deref().unwrap_or(DEFAULT_USER_AGENT);
        let user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| BuildError::new("the user agent is not a valid header value"))?;
        let http = match self.http {
            Some(http) => http,
            None => default_http_client(self.read_timeout)?,
        };
        let mut credentials = Vec::with_capacity(self.credentials.len());
        for (scheme, pending) in self.credentials {
            let source = match pending {
                Pending::Fixed(credential) => Source::Fixed(Ready::new(credential)),
                Pending::Provided(provider) => Source::Provided(provider),
                Pending::Tokens(setup) => Source::Provided(
                    setup
                        .provider(http.clone(), &base_url, self.timeout)
                        .map_err(|why| {
                            BuildError::new(format!("security scheme `{scheme}`: {why}"))
                        })?,
                ),
            };
            credentials.push((scheme, source));
        }
        let provided = credentials
            .iter()
            .any(|(_, source)| matches!(source, Source::Provided(_)));
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base_url,
                credentials,
                provided,
                always: self.always.into_iter().map(Ready::new).collect(),
                user_agent,
                timeout: self.timeout,
                read_timeout: self.read_timeout,
                max_response_size: self.max_response_size,
                retry: self.retry,
                hooks: self.hooks,
                middleware: self.middleware,
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
            .field("credentials_for_every_request", &self.always.len())
            .field("timeout", &self.timeout)
            .field("read_timeout", &self.read_timeout)
            .field("max_response_size", &self.max_response_size)
            .field("middleware", &self.middleware.len())
            .finish()
    }
}

/// The default HTTP client, with the TLS stack the crate's features choose (`rustls` with
/// `aws-lc-rs`, the default; `rustls-ring`; or `native-tls`) and the platform's certificate
/// verification; without any of them it speaks plain HTTP only. Nothing is installed
/// process-wide.
fn default_http_client(read_timeout: Duration) -> Result<reqwest::Client, BuildError> {
    // Redirects are followed by `send`, which drops credentials when one leaves the API's origin.
    let mut builder = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none());
    builder = with_tls(builder)?;
    // Bounds each wait on the connection, the response's headers included. (`Duration::MAX`
    // turns it off.)
    if read_timeout < Duration::from_secs(365 * 24 * 3600) {
        builder = builder.read_timeout(read_timeout);
    }
    builder
        .build()
        .map_err(|e| BuildError::new(format!("the HTTP client could not be built: {e}")))
}

/// The TLS setup of the default client. A runtime copied into a host crate (module mode) sees
/// the host's features, which need not declare `rustls-ring`: there the second definition
/// applies, and the lint about an undeclared feature is off.
#[allow(unexpected_cfgs)]
mod tls {
    use super::BuildError;
    #[cfg(feature = "rustls-ring")]
    use std::sync::Arc;

    /// With `rustls-ring`: rustls with the `ring` crypto provider, given to this client only (a
    /// provider installed process-wide, which other libraries would see, is neither used nor
    /// installed).
    #[cfg(feature = "rustls-ring")]
    pub(super) fn with_tls(
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, BuildError> {
        use rustls_platform_verifier::BuilderVerifierExt as _;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let tls = |e: rustls::Error| BuildError::new(format!("TLS could not be set up: {e}"));
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(tls)?
            .with_platform_verifier()
            .map_err(tls)?
            .with_no_client_auth();
        Ok(builder.tls_backend_preconfigured(config))
    }

    /// Without `rustls-ring`: reqwest's own TLS setup, as its features choose.
    #[cfg(not(feature = "rustls-ring"))]
    pub(super) fn with_tls(
        builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, BuildError> {
        Ok(builder)
    }
}
use tls::with_tls;

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
