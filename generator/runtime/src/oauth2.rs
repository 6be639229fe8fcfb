//! OAuth 2 token grants (RFC 6749): client credentials (section 4.4) and refresh tokens
//! (section 6), fetched from a token endpoint, cached until shortly before they expire, fetched
//! once for many concurrent calls, and dropped when the API rejects them.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{StatusCode, Url};
use tokio::time::Instant;

use super::auth::{Credential, Secret};
use super::error::{CredentialError, TransportError};
use super::middleware::BoxFuture;
use super::provider::{CredentialProvider, CredentialRequest};

/// The most of a token endpoint's answer that is read.
const MAX_TOKEN_RESPONSE: usize = 1024 * 1024;

/// The longest description of a token endpoint's error that an error message shows.
const MAX_DESCRIPTION: usize = 200;

/// How a client proves who it is to the token endpoint (RFC 6749 section 2.3.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAuthentication {
    /// HTTP Basic authentication with the client id and secret (`client_secret_basic`, the
    /// default, which every authorization server supports).
    #[default]
    BasicHeader,
    /// The client id and secret as fields of the form sent (`client_secret_post`).
    RequestBody,
}

/// OAuth 2 client credentials: the client's own id and secret, exchanged for access tokens.
#[derive(Clone)]
pub struct ClientCredentials {
    client_id: String,
    client_secret: Secret,
    settings: Settings,
}

/// A refresh token the application already has (from a user's authorization), exchanged for
/// access tokens as they expire.
#[derive(Clone)]
pub struct RefreshToken {
    client_id: String,
    client_secret: Option<Secret>,
    refresh_token: Secret,
    access_token: Option<Secret>,
    settings: Settings,
}

/// What both grants can set.
#[derive(Clone, Debug, Default)]
struct Settings {
    scopes: Option<Vec<String>>,
    authentication: ClientAuthentication,
    token_url: Option<String>,
}

impl ClientCredentials {
    /// The client's id and secret. Scopes default to what each operation's security
    /// requirement asks for.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<Secret>) -> Self {
        ClientCredentials {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            settings: Settings::default(),
        }
    }

    /// Asks for these scopes for every operation, instead of the ones each operation asks for.
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.settings.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// How the client id and secret are sent (by default in a Basic `Authorization` header).
    pub fn authentication(mut self, authentication: ClientAuthentication) -> Self {
        self.settings.authentication = authentication;
        self
    }

    /// Fetches tokens from `url` instead of the token URL the API description gives.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.settings.token_url = Some(url.into());
        self
    }
}

impl RefreshToken {
    /// A public client's id and the refresh token it holds.
    pub fn new(client_id: impl Into<String>, refresh_token: impl Into<Secret>) -> Self {
        RefreshToken {
            client_id: client_id.into(),
            client_secret: None,
            refresh_token: refresh_token.into(),
            access_token: None,
            settings: Settings::default(),
        }
    }

    /// The client's secret, for a confidential client.
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.client_secret = Some(secret.into());
        self
    }

    /// An access token the application already has: it is used until the API rejects it.
    pub fn access_token(mut self, token: impl Into<Secret>) -> Self {
        self.access_token = Some(token.into());
        self
    }

    /// Asks for these scopes when refreshing (by default the scopes of the refresh token).
    pub fn scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.settings.scopes = Some(scopes.into_iter().map(Into::into).collect());
        self
    }

    /// How the client id and secret are sent, when there is a secret (by default in a Basic
    /// `Authorization` header).
    pub fn authentication(mut self, authentication: ClientAuthentication) -> Self {
        self.settings.authentication = authentication;
        self
    }

    /// Refreshes at `url` instead of the token URL the API description gives.
    pub fn token_url(mut self, url: impl Into<String>) -> Self {
        self.settings.token_url = Some(url.into());
        self
    }
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("settings", &self.settings)
            .finish()
    }
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshToken")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("refresh_token", &self.refresh_token)
            .field("access_token", &self.access_token)
            .field("settings", &self.settings)
            .finish()
    }
}

/// An OAuth 2 grant the client fetches tokens with.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum TokenGrant {
    /// The client credentials grant.
    ClientCredentials(ClientCredentials),
    /// The refresh token grant.
    RefreshToken(RefreshToken),
}

impl From<ClientCredentials> for TokenGrant {
    fn from(grant: ClientCredentials) -> Self {
        TokenGrant::ClientCredentials(grant)
    }
}

impl From<RefreshToken> for TokenGrant {
    fn from(grant: RefreshToken) -> Self {
        TokenGrant::RefreshToken(grant)
    }
}

impl TokenGrant {
    fn settings(&self) -> &Settings {
        match self {
            TokenGrant::ClientCredentials(grant) => &grant.settings,
            TokenGrant::RefreshToken(grant) => &grant.settings,
        }
    }
}

/// A grant as a client builder holds it, until the HTTP client exists.
#[derive(Clone, Debug)]
pub(crate) struct TokenSetup {
    pub(crate) token_url: &'static str,
    pub(crate) grant: TokenGrant,
}

impl TokenSetup {
    /// The provider that fetches the tokens, its token URL resolved against the base URL.
    pub(crate) fn provider(
        self,
        http: reqwest::Client,
        base_url: &str,
        timeout: Option<Duration>,
    ) -> Result<Arc<dyn CredentialProvider>, String> {
        let given = self.grant.settings().token_url.as_deref();
        let url = given.unwrap_or(self.token_url);
        let token_url = Url::parse(base_url)
            .and_then(|base| base.join(url))
            .map_err(|e| format!("the token URL is not a valid URL ({e})"))?;
        if !matches!(token_url.scheme(), "http" | "https") {
            return Err("the token URL is not an HTTP URL".to_owned());
        }
        let (refresh, cached) = match &self.grant {
            TokenGrant::RefreshToken(grant) => (
                Some(grant.refresh_token.clone()),
                grant.access_token.clone(),
            ),
            TokenGrant::ClientCredentials(_) => (None, None),
        };
        let client = TokenClient {
            token_url,
            http,
            timeout,
            grant: self.grant,
            refresh: Mutex::new(refresh),
            cache: Mutex::new(BTreeMap::new()),
            fetching: tokio::sync::Mutex::new(()),
        };
        if let Some(access) = cached {
            let key = client.scopes(&[]).join(" ");
            let token = Token {
                access,
                expires: None,
            };
            lock(&client.cache).insert(key, token);
        }
        Ok(Arc::new(client))
    }
}

/// An access token and when to stop using it (`None`: until it is rejected).
#[derive(Clone)]
struct Token {
    access: Secret,
    expires: Option<Instant>,
}

/// Fetches and caches the tokens of one grant.
struct TokenClient {
    token_url: Url,
    http: reqwest::Client,
    timeout: Option<Duration>,
    grant: TokenGrant,
    /// The refresh token, replaced when the endpoint rotates it.
    refresh: Mutex<Option<Secret>>,
    /// Tokens by the scopes they were asked for (space-separated, sorted).
    cache: Mutex<BTreeMap<String, Token>>,
    /// Held while a token is fetched: concurrent calls wait for it rather than fetch too.
    fetching: tokio::sync::Mutex<()>,
}

impl CredentialProvider for TokenClient {
    fn credential<'a>(
        &'a self,
        request: &'a CredentialRequest<'a>,
    ) -> BoxFuture<'a, Result<Credential, CredentialError>> {
        Box::pin(async move {
            let scopes = self.scopes(request.scopes);
            let key = scopes.join(" ");
            if let Some(token) = self.cached(&key) {
                return Ok(Credential::bearer(token));
            }
            let _fetching = self.fetching.lock().await;
            // Another call may have fetched it while this one waited.
            if let Some(token) = self.cached(&key) {
                return Ok(Credential::bearer(token));
            }
            let token = self.fetch(&scopes).await?;
            let access = token.access.clone();
            lock(&self.cache).insert(key, token);
            Ok(Credential::bearer(access))
        })
    }

    fn rejected(&self, credential: &Credential) {
        if let Credential::Bearer { token } = credential {
            lock(&self.cache).retain(|_, cached| cached.access != *token);
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // The data stays consistent whatever panicked while it was held (each change is one call).
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl TokenClient {
    /// The scopes to ask for: the grant's own, or the operation's; sorted, once each.
    fn scopes(&self, asked: &[&str]) -> Vec<String> {
        let mut scopes: Vec<String> = match (&self.grant.settings().scopes, &self.grant) {
            (Some(scopes), _) => scopes.clone(),
            // A refresh token carries its scopes; asking for others would be refused.
            (None, TokenGrant::RefreshToken(_)) => Vec::new(),
            (None, TokenGrant::ClientCredentials(_)) => {
                asked.iter().map(|s| (*s).to_owned()).collect()
            }
        };
        scopes.sort();
        scopes.dedup();
        scopes
    }

    fn cached(&self, key: &str) -> Option<Secret> {
        let cache = lock(&self.cache);
        let token = cache.get(key)?;
        match token.expires {
            Some(expires) if Instant::now() >= expires => None,
            _ => Some(token.access.clone()),
        }
    }

    /// Asks the token endpoint for a token.
    async fn fetch(&self, scopes: &[String]) -> Result<Token, CredentialError> {
        let (body, basic) = self.form(scopes);
        let mut request = self
            .http
            .post(self.token_url.clone())
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body(body);
        if let Some(basic) = basic {
            request = request.header(AUTHORIZATION, basic);
        }
        if let Some(timeout) = self.timeout {
            request = request.timeout(timeout);
        }
        tracing::debug!(
            token_url = self.token_url.path(),
            "fetching an OAuth 2 token"
        );
        let unreachable = |e| CredentialError::unreachable(TransportError::new(e));
        let mut response = request.send().await.map_err(unreachable)?;
        let status = response.status();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(unreachable)? {
            if body.len() + chunk.len() > MAX_TOKEN_RESPONSE {
                return Err(CredentialError::unreachable(TransportError::too_large(
                    MAX_TOKEN_RESPONSE as u64,
                )));
            }
            body.extend_from_slice(&chunk);
        }
        let answer: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
        if !status.is_success() {
            return Err(self.refused(status, answer.as_ref()));
        }
        let answer = answer.ok_or_else(|| {
            CredentialError::refused(
                status,
                None,
                "the token endpoint's answer is not JSON".to_owned(),
            )
        })?;
        self.token(status, &answer)
    }

    /// The form sent, and the Basic `Authorization` header when the client authenticates so.
    fn form(&self, scopes: &[String]) -> (String, Option<HeaderValue>) {
        let mut form = form_urlencoded::Serializer::new(String::new());
        let (client_id, secret) = match &self.grant {
            TokenGrant::ClientCredentials(grant) => {
                form.append_pair("grant_type", "client_credentials");
                (&grant.client_id, Some(&grant.client_secret))
            }
            TokenGrant::RefreshToken(grant) => {
                form.append_pair("grant_type", "refresh_token");
                if let Some(refresh) = lock(&self.refresh).as_ref() {
                    form.append_pair("refresh_token", refresh.expose());
                }
                (&grant.client_id, grant.client_secret.as_ref())
            }
        };
        if !scopes.is_empty() {
            form.append_pair("scope", &scopes.join(" "));
        }
        let authentication = self.grant.settings().authentication;
        let basic = match secret {
            Some(secret) if authentication == ClientAuthentication::BasicHeader => {
                // RFC 6749 section 2.3.1: both are form-encoded before they are joined.
                let pair = format!(
                    "{}:{}",
                    form_encode(client_id),
                    form_encode(secret.expose())
                );
                let mut value = HeaderValue::from_str(&format!("Basic {}", BASE64.encode(pair)))
                    .expect("base64 is a valid header value");
                value.set_sensitive(true);
                Some(value)
            }
            Some(secret) => {
                form.append_pair("client_id", client_id);
                form.append_pair("client_secret", secret.expose());
                None
            }
            None => {
                form.append_pair("client_id", client_id);
                None
            }
        };
        (form.finish(), basic)
    }

    /// The error for a refusal: the endpoint's `error` code and description, with every
    /// secret of the request cut out of the description.
    fn refused(&self, status: StatusCode, answer: Option<&serde_json::Value>) -> CredentialError {
        let text = |key: &str| {
            answer
                .and_then(|a| a.get(key))
                .and_then(serde_json::Value::as_str)
                .map(|s| self.without_secrets(s))
        };
        let code = text("error").map(|code| cut(&code, 64));
        let description = text("error_description")
            .map(|d| cut(&d, MAX_DESCRIPTION))
            .unwrap_or_default();
        CredentialError::refused(status, code, description)
    }

    /// `text` with every secret of the request cut out, in each form it was sent in: as it
    /// is, form-encoded, and inside the Basic `Authorization` header.
    fn without_secrets(&self, text: &str) -> String {
        let mut secrets: Vec<Secret> = Vec::new();
        match &self.grant {
            TokenGrant::ClientCredentials(grant) => secrets.push(grant.client_secret.clone()),
            TokenGrant::RefreshToken(grant) => {
                secrets.extend(grant.client_secret.clone());
                secrets.push(grant.refresh_token.clone());
            }
        }
        secrets.extend(lock(&self.refresh).clone());
        let mut forms: Vec<String> = Vec::new();
        for secret in secrets.iter().filter(|s| !s.expose().is_empty()) {
            forms.push(secret.expose().to_owned());
            forms.push(form_encode(secret.expose()));
        }
        if let (_, Some(basic)) = self.form(&[])
            && let Ok(value) = basic.to_str()
        {
            forms.push(value.trim_start_matches("Basic ").to_owned());
        }
        let mut out = text.to_owned();
        for form in &forms {
            out = out.replace(form.as_str(), "[redacted]");
        }
        out
    }

    /// Reads a successful answer (RFC 6749 section 5.1).
    fn token(
        &self,
        status: StatusCode,
        answer: &serde_json::Value,
    ) -> Result<Token, CredentialError> {
        let refused = |message: &str| CredentialError::refused(status, None, message.to_owned());
        let access = answer
            .get("access_token")
            .and_then(serde_json::Value::as_str)
            .filter(|token| !token.is_empty())
            .ok_or_else(|| refused("the token endpoint's answer has no `access_token`"))?;
        let kind = answer.get("token_type").and_then(serde_json::Value::as_str);
        if kind.is_some_and(|kind| !kind.eq_ignore_ascii_case("bearer")) {
            return Err(refused(
                "the token endpoint gave a token that is not a bearer token",
            ));
        }
        // Some servers send the lifetime as a string of digits.
        let lifetime = match answer.get("expires_in") {
            Some(serde_json::Value::Number(n)) => n.as_f64(),
            Some(serde_json::Value::String(s)) => s.trim().parse::<f64>().ok(),
            _ => None,
        };
        let expires = lifetime
            .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
            .map(|seconds| Instant::now() + usable_for(Duration::from_secs_f64(seconds.min(1e9))));
        if let Some(rotated) = answer
            .get("refresh_token")
            .and_then(serde_json::Value::as_str)
        {
            let mut refresh = lock(&self.refresh);
            if refresh.is_some() {
                *refresh = Some(Secret::new(rotated));
            }
        }
        Ok(Token {
            access: Secret::new(access),
            expires,
        })
    }
}

/// How long a token with `lifetime` is used: until shortly before it expires (a tenth of its
/// lifetime early, at most a minute), so that a request sent with it does not arrive too late.
fn usable_for(lifetime: Duration) -> Duration {
    lifetime - (lifetime / 10).min(Duration::from_secs(60))
}

/// `text` as `application/x-www-form-urlencoded` writes it.
fn form_encode(text: &str) -> String {
    form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// `text` cut to at most `limit` characters.
fn cut(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_used_until_shortly_before_they_expire() {
        assert_eq!(usable_for(Duration::from_secs(10)), Duration::from_secs(9));
        assert_eq!(
            usable_for(Duration::from_secs(3600)),
            Duration::from_secs(3540)
        );
        assert_eq!(usable_for(Duration::ZERO), Duration::ZERO);
    }

    #[test]
    fn long_descriptions_are_cut() {
        assert_eq!(cut("abcdef", 3), "abc...");
        assert_eq!(cut("abc", 3), "abc");
        assert_eq!(cut("ééé", 2), "éé...");
    }
}
