//! Credentials for the security schemes an API declares, held so that they never show in `Debug`
//! output, error messages or logs.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use reqwest::header::{AUTHORIZATION, COOKIE, HeaderName, HeaderValue};

/// A secret string (password, token, API key).
///
/// Its `Debug` output is `[redacted]` and it has no `Display`, so it cannot end up in a log line
/// by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// Returns the secret value. Call this only where the value is really needed.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

/// Where an API key is sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiKeyLocation {
    /// In a request header.
    Header,
    /// In a query parameter.
    Query,
    /// In a cookie.
    Cookie,
}

/// A credential for one security scheme.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum Credential {
    /// HTTP Basic authentication.
    Basic {
        /// The user name (not secret: it is shown by `Debug`).
        username: String,
        /// The password.
        password: Secret,
    },
    /// HTTP Bearer authentication.
    Bearer {
        /// The token.
        token: Secret,
    },
    /// An API key sent in a header, query parameter or cookie.
    ApiKey {
        /// Where the key is sent.
        location: ApiKeyLocation,
        /// The header, query parameter or cookie name.
        name: String,
        /// The key.
        key: Secret,
    },
}

impl Credential {
    /// HTTP Basic credentials.
    pub fn basic(username: impl Into<String>, password: impl Into<Secret>) -> Self {
        Credential::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// An HTTP Bearer token.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Credential::Bearer {
            token: token.into(),
        }
    }

    /// An API key sent at `location` under `name`.
    pub fn api_key(
        location: ApiKeyLocation,
        name: impl Into<String>,
        key: impl Into<Secret>,
    ) -> Self {
        Credential::ApiKey {
            location,
            name: name.into(),
            key: key.into(),
        }
    }

    /// Adds this credential to a request: headers are marked sensitive, query keys are appended to
    /// `query`.
    pub(crate) fn apply(
        &self,
        headers: &mut reqwest::header::HeaderMap,
        query: &mut Vec<(String, String)>,
    ) -> Result<(), String> {
        match self {
            Credential::Basic { username, password } => {
                let raw = format!("{username}:{}", password.expose());
                let value = format!("Basic {}", BASE64.encode(raw));
                headers.insert(AUTHORIZATION, sensitive_value(&value)?);
            }
            Credential::Bearer { token } => {
                let value = format!("Bearer {}", token.expose());
                headers.insert(AUTHORIZATION, sensitive_value(&value)?);
            }
            Credential::ApiKey {
                location: ApiKeyLocation::Header,
                name,
                key,
            } => {
                let name = HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| format!("`{name}` is not a valid header name"))?;
                headers.insert(name, sensitive_value(key.expose())?);
            }
            Credential::ApiKey {
                location: ApiKeyLocation::Query,
                name,
                key,
            } => query.push((name.clone(), key.expose().to_owned())),
            Credential::ApiKey {
                location: ApiKeyLocation::Cookie,
                name,
                key,
            } => {
                let cookie = format!("{name}={}", key.expose());
                let value = match headers.get(COOKIE).and_then(|v| v.to_str().ok()) {
                    Some(existing) => format!("{existing}; {cookie}"),
                    None => cookie,
                };
                headers.insert(COOKIE, sensitive_value(&value)?);
            }
        }
        Ok(())
    }
}

/// A credential as a client holds it: with its header, when it is sent in one, encoded once
/// when the client is built rather than for every request.
#[derive(Clone)]
pub(crate) struct Ready {
    credential: Credential,
    header: Option<Result<(HeaderName, HeaderValue), String>>,
}

impl Ready {
    pub(crate) fn new(credential: Credential) -> Self {
        let header = match &credential {
            Credential::Basic { .. }
            | Credential::Bearer { .. }
            | Credential::ApiKey {
                location: ApiKeyLocation::Header,
                ..
            } => {
                let mut headers = reqwest::header::HeaderMap::new();
                Some(
                    credential
                        .apply(&mut headers, &mut Vec::new())
                        .and_then(|()| {
                            headers
                                .into_iter()
                                .find_map(|(name, value)| Some((name?, value)))
                                .ok_or_else(|| "a credential gave no header".to_owned())
                        }),
                )
            }
            Credential::ApiKey { .. } => None,
        };
        Ready { credential, header }
    }

    /// The credential itself.
    pub(crate) fn credential(&self) -> &Credential {
        &self.credential
    }

    /// Adds the credential to a request's headers or query, like [`Credential::apply`].
    pub(crate) fn apply(
        &self,
        headers: &mut reqwest::header::HeaderMap,
        query: &mut Vec<(String, String)>,
    ) -> Result<(), String> {
        match &self.header {
            Some(Ok((name, value))) => {
                headers.insert(name.clone(), value.clone());
                Ok(())
            }
            Some(Err(message)) => Err(message.clone()),
            None => self.credential.apply(headers, query),
        }
    }
}

/// A header value marked sensitive, so that `http`'s own `Debug` hides it too. The error message
/// never contains the value.
fn sensitive_value(value: &str) -> Result<HeaderValue, String> {
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| "a credential contains characters not allowed in a header".to_owned())?;
    value.set_sensitive(true);
    Ok(value)
}
