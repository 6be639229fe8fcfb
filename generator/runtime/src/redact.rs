//! `Debug` helpers that hide sensitive values: fields the API marks sensitive and header values
//! that may carry credentials.

use std::fmt;

use reqwest::header::{HeaderMap, HeaderName};

/// Prints `[redacted]` in place of a value.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[redacted]")
    }
}

/// Stands in for a sensitive field in a `Debug` implementation, whatever its type.
pub fn redacted<T: ?Sized>(_value: &T) -> Redacted {
    Redacted
}

/// A header map whose `Debug` shows every name but hides values that may be secret.
pub(crate) struct RedactedHeaders<'a>(pub(crate) &'a HeaderMap);

impl fmt::Debug for RedactedHeaders<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (name, value) in self.0 {
            if value.is_sensitive() || is_sensitive_name(name) {
                map.entry(&name.as_str(), &Redacted);
            } else {
                map.entry(&name.as_str(), &value);
            }
        }
        map.finish()
    }
}

/// Header names whose values are treated as secrets: credentials, cookies, and anything named
/// like a key, token, secret or session.
pub(crate) fn is_sensitive_name(name: &HeaderName) -> bool {
    const PARTS: [&str; 8] = [
        "auth",
        "cookie",
        "token",
        "secret",
        "key",
        "session",
        "password",
        "signature",
    ];
    let name = name.as_str();
    PARTS.iter().any(|part| name.contains(part))
}
