//! Builds the runtime module on its own, at the same path (`crate::runtime`) it has inside a
//! generated crate, so that it is compiled and unit-tested in this workspace.

#![warn(missing_docs)]

#[path = "mod.rs"]
pub mod runtime;

#[cfg(test)]
mod tests;
