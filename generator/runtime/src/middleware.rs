//! Middleware: async code of the application's around each request the client sends to the
//! API's origin, able to await what it needs (a token, a signature) and to send again.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use super::error::TransportError;
use super::hook::Attempt;

/// A boxed future that can move between threads, as [`Middleware::handle`] returns.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a middleware gives back: the response, or why there is none.
pub type Sent = Result<reqwest::Response, TransportError>;

/// Async code around every request the client sends to the API's origin.
///
/// It gets the request as it will go out (credentials, headers and body in place, after the
/// hooks' `before_send`), may change it, await what it needs, and passes it on with
/// [`Next::run`]; it then sees the response or the failure. To send again (after refreshing
/// what the server rejected), it calls `run` once more with a new request: copy the first one
/// with `reqwest::Request::try_clone` before sending it; a body that streams cannot be copied,
/// and so is never sent twice.
///
/// Middleware added first runs first: it sees the request before the ones added after it and
/// the response after them. It runs inside the client's own steps, which keep their
/// guarantees: each retry the policy allows, and each redirect that stays on the API's origin,
/// goes through the middleware again; a redirect to another origin is followed without it (as
/// without credentials), so what a middleware adds never leaves the API's origin.
///
/// With no middleware, the client sends requests directly: it costs nothing.
pub trait Middleware: Send + Sync + 'static {
    /// Handles one request: change it, pass it on with `next.run(request)`, look at the result.
    fn handle<'a>(&'a self, request: reqwest::Request, next: Next<'a>) -> BoxFuture<'a, Sent>;
}

/// The rest of the way to the network: the middleware after this one, then the HTTP client.
#[derive(Clone, Copy)]
pub struct Next<'a> {
    chain: &'a [Arc<dyn Middleware>],
    http: &'a reqwest::Client,
    attempt: &'a Attempt,
}

impl<'a> Next<'a> {
    pub(crate) fn new(
        chain: &'a [Arc<dyn Middleware>],
        http: &'a reqwest::Client,
        attempt: &'a Attempt,
    ) -> Self {
        Next {
            chain,
            http,
            attempt,
        }
    }

    /// Which attempt of which operation the request belongs to.
    pub fn attempt(&self) -> &'a Attempt {
        self.attempt
    }

    /// Sends `request` through the rest of the chain. It may be called more than once (each
    /// call sends a request).
    pub fn run(self, request: reqwest::Request) -> BoxFuture<'a, Sent> {
        match self.chain.split_first() {
            Some((first, rest)) => first.handle(
                request,
                Next {
                    chain: rest,
                    ..self
                },
            ),
            None => Box::pin(async move {
                self.http
                    .execute(request)
                    .await
                    .map_err(TransportError::new)
            }),
        }
    }
}

impl std::fmt::Debug for Next<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Next")
            .field("middleware_left", &self.chain.len())
            .field("attempt", self.attempt)
            .finish()
    }
}
