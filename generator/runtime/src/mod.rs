//! Runtime support shared by every generated client: the HTTP client, credentials, requests,
//! responses and errors.
//!
//! This module is written by hand, compiled and unit-tested on its own, and copied verbatim into
//! each generated crate; generated code calls into it and nothing here depends on a particular API.
//!
//! What users call is documented here. The items marked `#[doc(hidden)]` (building requests,
//! decoding bodies, reading unions) are for the crate's generated code only: they are not part of
//! its API and may change in any release, whatever the crate's version says.

pub(crate) mod auth;
pub(crate) mod binary;
pub(crate) mod client;
// Used by the structs a crate receives; a crate that receives none does not use it.
#[allow(dead_code)]
pub(crate) mod de;
pub(crate) mod enums;
pub(crate) mod error;
pub(crate) mod hook;
pub(crate) mod middleware;
pub(crate) mod oauth2;
pub(crate) mod paginate;
pub(crate) mod params;
pub(crate) mod provider;
pub(crate) mod redact;
pub(crate) mod request;
pub(crate) mod response;
pub(crate) mod retry;
pub(crate) mod send;
pub(crate) mod stream;
// Used by the structs a crate sends; a crate that sends none does not use it.
#[allow(dead_code)]
pub(crate) mod ser;
pub(crate) mod union;
pub(crate) mod validate;

pub use auth::{ApiKeyLocation, Credential, Secret};
pub use binary::{Base64, Binary};
pub use client::{
    BuildError, Client, ClientBuilder, DEFAULT_MAX_RESPONSE_SIZE, DEFAULT_READ_TIMEOUT,
};
#[allow(unused_imports)]
pub(crate) use enums::{string_enum, string_enum_deserialize, string_enum_serialize};
#[doc(hidden)]
pub use error::ErrorSummary;
pub use error::{
    ApiError, CredentialError, DecodeError, Error, InvalidRequest, TransportError,
    UnexpectedResponse,
};
pub use hook::{Attempt, AttemptOutcome, Hook};
pub use middleware::{BoxFuture, Middleware, Next, Sent};
pub use oauth2::{ClientAuthentication, ClientCredentials, RefreshToken, TokenGrant};
pub use paginate::Paginated;
#[doc(hidden)]
pub use paginate::next_link;
#[doc(hidden)]
pub use params::Style;
pub use provider::{CredentialProvider, CredentialRequest};
pub use redact::{Redacted, redacted};
pub use request::{Call, Multipart};
#[doc(hidden)]
pub use request::{Request, encode_path_segment, query_method};
#[doc(hidden)]
pub use response::{
    Decoder, decode_bytes, decode_json, decode_nothing, decode_text, header_value,
    undeclared_status,
};
pub use response::{FromHeaders, Response};
pub use retry::RetryPolicy;
#[doc(hidden)]
pub use stream::StreamedBody;
pub use stream::{
    ByteStream, Event, EventStream, JsonLines, Line, MAX_ITEM_SIZE, StreamError, Undecoded,
};
#[doc(hidden)]
pub use union::{decode_variant, discriminator, serialize_tagged, try_decode};
pub use validate::{Path, Validate, Violation, Violations};

/// The bytes type of binary response bodies.
pub use ::bytes::Bytes;

/// The HTTP method type used by requests.
pub use reqwest::Method;
/// The HTTP status code type used by responses and errors.
pub use reqwest::StatusCode;
/// The header map type used by responses and errors.
pub use reqwest::header::HeaderMap;
/// Header names and values, as middleware sets them.
pub use reqwest::header::{HeaderName, HeaderValue};
/// The HTTP request a middleware sees, and the response it gives back.
pub use reqwest::{Request as HttpRequest, Response as HttpResponse};
