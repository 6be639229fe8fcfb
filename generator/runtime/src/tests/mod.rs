//! Unit tests of the runtime, including requests sent to a real HTTP server on 127.0.0.1.

mod auth;
mod client;
mod decode;
