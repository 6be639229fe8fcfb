//! Spec diff: what changed between two versions of an API description, whether it breaks
//! existing clients on the wire, what it does to the public Rust API of the generated crate, and
//! the semver bump that follows.
//!
//! [`compare`] is the table of contents: both crates are generated in memory; their IRs are
//! compared on the wire (`wire`, `schemas`); their public Rust APIs, read back from the
//! generated sources, are compared under cargo-semver-checks' rules (`surface`); then each Rust
//! change is joined to the wire changes it comes from. `print` prints the result.

mod matching;
pub mod print;
mod schemas;
pub mod surface;
mod values;
mod wire;

use serde::Serialize;

pub use surface::{Bump, RustChange};

use crate::Generated;

/// What a change does to existing clients, in oasdiff's levels; ordered from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Compatible,
    PotentiallyBreaking,
    Breaking,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Compatible => "compatible",
            Verdict::PotentiallyBreaking => "potentially breaking",
            Verdict::Breaking => "breaking",
        }
    }
}

/// A difference on the wire.
#[derive(Clone, Debug, PartialEq)]
pub struct WireChange {
    /// The operation (`POST /v1/magic_links`), schema or `servers`.
    pub subject: String,
    /// Where in it (`property \`token\``, `query parameter \`limit\``), if anywhere in particular.
    pub location: String,
    pub what: String,
    /// A stable identifier of the kind of change (`request-parameter-removed`).
    pub category: &'static str,
    pub verdict: Verdict,
    /// The Rust items the change touches; an entry ending in `*` covers every item it starts.
    pub items: Vec<String>,
}

impl WireChange {
    pub(crate) fn new(
        subject: &str,
        location: &str,
        what: &str,
        category: &'static str,
        verdict: Verdict,
        items: Vec<String>,
    ) -> Self {
        WireChange {
            subject: subject.to_owned(),
            location: location.to_owned(),
            what: what.to_owned(),
            category,
            verdict,
            items,
        }
    }

    fn touches(&self, rust: &RustChange) -> bool {
        self.items.iter().any(|item| match item.strip_suffix('*') {
            // A type and its members (`types::Pet.name`, `types::Pet::new`), not `types::PetList`.
            Some(prefix) => {
                rust.item == prefix
                    || rust.item.starts_with(&format!("{prefix}."))
                    || rust.item.starts_with(&format!("{prefix}::"))
                    || rust.item.starts_with(&format!("{prefix} impl "))
            }
            None => *item == rust.item,
        })
    }
}

/// One entry of the report: a wire change with what it does to the Rust API, or a Rust API
/// change that no wire change explains (a method renamed with its operationId, say).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Change {
    pub subject: String,
    pub location: String,
    pub what: String,
    /// `None` for a change of the Rust API alone.
    pub wire: Option<Verdict>,
    pub category: Option<&'static str>,
    /// The largest bump among `rust_changes`; `patch` when there are none.
    pub rust: Bump,
    pub rust_changes: Vec<RustChange>,
}

/// The whole comparison.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub changes: Vec<Change>,
    /// The semver bump the generated crate needs.
    pub bump: Bump,
    /// How many changes break existing clients on the wire.
    pub wire_breaking: usize,
    /// How many changes of the Rust API break code written against the old generated crate.
    pub rust_breaking: usize,
}

impl Report {
    /// Whether the change breaks anything on the axes asked about.
    pub fn breaks(&self, wire: bool, rust: bool) -> bool {
        (wire && self.wire_breaking > 0) || (rust && self.rust_breaking > 0)
    }
}

/// Compares the crates generated from an old and a new spec.
pub fn compare(old: &Generated, new: &Generated) -> Report {
    let wire_changes = wire::compare(&old.api, &new.api);
    let rust_changes = surface::compare(&surface::read(&old.files), &surface::read(&new.files));
    join(wire_changes, rust_changes)
}

fn join(wire_changes: Vec<WireChange>, rust_changes: Vec<RustChange>) -> Report {
    let mut explained = vec![false; rust_changes.len()];
    let mut changes: Vec<Change> = wire_changes
        .into_iter()
        .map(|w| {
            let linked: Vec<RustChange> = rust_changes
                .iter()
                .enumerate()
                .filter(|(_, r)| w.touches(r))
                .map(|(i, r)| {
                    explained[i] = true;
                    r.clone()
                })
                .collect();
            Change {
                rust: linked.iter().map(|r| r.bump).max().unwrap_or(Bump::Patch),
                subject: w.subject,
                location: w.location,
                what: w.what,
                wire: Some(w.verdict),
                category: Some(w.category),
                rust_changes: linked,
            }
        })
        .collect();
    for (rust, _) in rust_changes.iter().zip(&explained).filter(|(_, e)| !**e) {
        changes.push(Change {
            subject: "Rust API".to_owned(),
            location: format!("`{}`", rust.item),
            what: rust.what.clone(),
            wire: None,
            category: None,
            rust: rust.bump,
            rust_changes: vec![rust.clone()],
        });
    }
    Report {
        bump: rust_changes
            .iter()
            .map(|r| r.bump)
            .max()
            .unwrap_or(Bump::Patch),
        wire_breaking: changes
            .iter()
            .filter(|c| c.wire == Some(Verdict::Breaking))
            .count(),
        rust_breaking: rust_changes
            .iter()
            .filter(|r| r.bump == Bump::Major)
            .count(),
        changes,
    }
}
