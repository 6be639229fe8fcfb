//! Spec diff: what changed between two versions of an API description, whether it breaks
//! existing clients on the wire, what it does to the public Rust API of the generated crate, and
//! the semver bump that follows.
//!
//! [`compare`] is the table of contents: both crates are generated in memory; their IRs are
//! compared on the wire (`wire`, `schemas`); their public Rust APIs, read back from the
//! generated sources, are compared under cargo-semver-checks' rules (`surface`); then each Rust
//! change is joined to the wire changes it comes from. `print` prints the result.

mod category;
mod items;
mod keyed;
mod matching;
pub mod print;
mod schemas;
pub mod surface;
mod values;
mod wire;

use serde::Serialize;

pub use category::Category;
pub use items::ItemPath;
pub use surface::{Bump, RustChange};

use items::Touch;

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
pub(crate) struct WireChange {
    /// The operation (`POST /v1/magic_links`), schema or `servers`.
    pub subject: String,
    /// Where in it (`property \`token\``, `query parameter \`limit\``), if anywhere in particular.
    pub location: String,
    pub what: String,
    pub category: Category,
    pub verdict: Verdict,
    /// The Rust items the change touches.
    pub items: Vec<Touch>,
}

impl WireChange {
    fn touches(&self, rust: &RustChange) -> bool {
        self.items.iter().any(|touch| touch.reaches(&rust.item))
    }
}

/// Where a wire change is: its subject (an operation, a schema, `servers`) and the place in it
/// (empty for the subject as a whole).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Place<'a> {
    pub subject: &'a str,
    pub location: &'a str,
}

impl<'a> Place<'a> {
    pub(crate) fn new(subject: &'a str, location: &'a str) -> Place<'a> {
        Place { subject, location }
    }

    /// The subject as a whole.
    pub(crate) fn whole(subject: &'a str) -> Place<'a> {
        Place::new(subject, "")
    }

    /// A change here.
    pub(crate) fn change(
        self,
        category: Category,
        verdict: Verdict,
        what: impl Into<String>,
        items: Vec<Touch>,
    ) -> WireChange {
        WireChange {
            subject: self.subject.to_owned(),
            location: self.location.to_owned(),
            what: what.into(),
            category,
            verdict,
            items,
        }
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
    pub category: Option<Category>,
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
