//! Credential providers: credentials that the application (or the runtime's OAuth 2 token
//! client) gives when a request needs them, rather than once when the client is built.

use std::fmt;
use std::sync::Arc;

use super::auth::{Credential, Ready};
use super::error::CredentialError;
use super::middleware::BoxFuture;

/// Gives the credential of one security scheme when a request needs it.
///
/// [`CredentialProvider::credential`] is called for every attempt of every call that uses the
/// scheme, so a provider that fetches its credential should cache it (and fetch it once for
/// many concurrent calls). When the API answers 401 Unauthorized to a request that carried it,
/// [`CredentialProvider::rejected`] is called once per call, and the call is sent once more
/// (when its body can be sent again) with the credential asked for anew.
pub trait CredentialProvider: Send + Sync + 'static {
    /// The credential for a request. An error fails the call with `Error::Credential`, and
    /// nothing is sent.
    fn credential<'a>(
        &'a self,
        request: &'a CredentialRequest<'a>,
    ) -> BoxFuture<'a, Result<Credential, CredentialError>>;

    /// The API answered 401 Unauthorized to a request that carried `credential`: it should not
    /// be given again. Called at most once per call; by default it does nothing.
    fn rejected(&self, _credential: &Credential) {}
}

/// What a request needs a credential for.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct CredentialRequest<'a> {
    /// The security scheme's name in the API description.
    pub scheme: &'a str,
    /// The OAuth 2 scopes the operation's security requirement asks for (often none).
    pub scopes: &'a [&'a str],
    /// The operation's method name in this crate.
    pub operation: &'a str,
}

/// Where a client gets the credential of a scheme.
#[derive(Clone)]
pub(crate) enum Source {
    /// Set when the client was built.
    Fixed(Ready),
    /// Asked for each attempt.
    Provided(Arc<dyn CredentialProvider>),
}

impl fmt::Debug for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Source::Fixed(_) => "fixed",
            Source::Provided(_) => "provider",
        })
    }
}

/// The credentials providers gave for one attempt, with the providers to tell on a 401.
#[derive(Default)]
pub(crate) struct Provided {
    pub(crate) given: Vec<Given>,
}

pub(crate) struct Given {
    pub(crate) scheme: &'static str,
    pub(crate) provider: Arc<dyn CredentialProvider>,
    pub(crate) ready: Ready,
}

impl Provided {
    pub(crate) fn get(&self, scheme: &str) -> Option<&Ready> {
        self.given
            .iter()
            .find(|given| given.scheme == scheme)
            .map(|given| &given.ready)
    }

    /// Tells each provider that the API rejected what it gave.
    pub(crate) fn reject(&self) {
        for given in &self.given {
            given.provider.rejected(given.ready.credential());
        }
    }
}
