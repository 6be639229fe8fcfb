//! Unit tests of the runtime, including requests sent to a real HTTP server on 127.0.0.1.

mod auth;
mod bodies;
mod client;
mod de;
mod decode;
mod enums;
mod faults;
mod middleware;
mod oauth;
mod paginate;
mod params;
mod retry;
mod secrets;
mod ser;
mod stream;
mod validate;
mod values;
