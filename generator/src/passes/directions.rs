//! Directions: which way each type's values travel, sent in requests or received in responses,
//! so that a type derives only the serde traits it needs (the crate's `full-serde` feature adds
//! the others). A type no operation reaches, such as a schema kept for users or a webhook
//! payload, travels both ways, and so does everything it holds.

use std::collections::BTreeSet;

use crate::ir::{Api, Content, Directions, Outcome, Shape, TypeKind};
use crate::pointer::Pointer;

pub fn run(api: &mut Api) {
    let mut sent = reachable(api, sent_roots(api, true), Side::Sent, true);
    let mut received = reachable(api, received_roots(api), Side::Received, true);
    let unreached: Vec<Pointer> = api
        .types
        .keys()
        .filter(|at| !sent.contains(*at) && !received.contains(*at))
        .cloned()
        .collect();
    sent.extend(reachable(api, unreached.clone(), Side::Sent, true));
    received.extend(reachable(api, unreached, Side::Received, true));
    for (at, def) in &mut api.types {
        def.directions = Directions {
            sent: sent.contains(at),
            received: received.contains(at),
        };
    }
}

/// Which way a walk goes: a sent value never carries its read-only fields.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Sent,
    Received,
}

/// The types in request parameters and bodies (through tuples' items only with `tuples`).
pub(super) fn sent_roots(api: &Api, tuples: bool) -> Vec<Pointer> {
    let mut roots = Vec::new();
    for op in api.operations.values() {
        let shapes = op
            .params
            .iter()
            .map(|p| &p.shape)
            .chain(op.body.as_ref().map(|b| &b.shape));
        for shape in shapes {
            refs(shape, &mut roots, tuples);
        }
    }
    roots
}

/// The types in response bodies, response headers and pages.
fn received_roots(api: &Api) -> Vec<Pointer> {
    let mut roots = Vec::new();
    for op in api.operations.values() {
        for response in &op.responses {
            if let Some(Content::Json(shape)) = &response.content {
                refs(shape, &mut roots, true);
            }
        }
        for outcome in [&op.success, &op.error] {
            match outcome {
                Outcome::Single {
                    content: Content::Json(shape),
                    ..
                } => refs(shape, &mut roots, true),
                Outcome::ByStatus { variants, .. } => {
                    for variant in variants {
                        if let Some(Content::Json(shape)) = &variant.content {
                            refs(shape, &mut roots, true);
                        }
                    }
                }
                _ => {}
            }
        }
        for header in &op.headers {
            refs(&header.shape, &mut roots, true);
        }
        if let Some(pagination) = &op.pagination {
            refs(&pagination.item, &mut roots, true);
        }
    }
    roots
}

/// Every type reachable from `roots` through the shapes types are made of (through tuples'
/// items only with `tuples`: validation does not check inside tuples).
pub(super) fn reachable(
    api: &Api,
    mut stack: Vec<Pointer>,
    side: Side,
    tuples: bool,
) -> BTreeSet<Pointer> {
    let mut seen = BTreeSet::new();
    while let Some(at) = stack.pop() {
        if !seen.insert(at.clone()) {
            continue;
        }
        if let Some(def) = api.types.get(&at) {
            for shape in parts(&def.kind, side) {
                refs(shape, &mut stack, tuples);
            }
        }
    }
    seen
}

/// The named types a shape mentions (inside tuples only with `tuples`).
fn refs(shape: &Shape, out: &mut Vec<Pointer>, tuples: bool) {
    match shape {
        Shape::Ref(at) => out.push(at.clone()),
        Shape::Tuple(_) if !tuples => {}
        other => {
            for child in other.children() {
                refs(child, out, tuples);
            }
        }
    }
}

/// The shapes a value of a type is made of, on its way `side`: a sent struct leaves out its
/// read-only fields.
pub(super) fn parts(kind: &TypeKind, side: Side) -> Vec<&Shape> {
    match (kind, side) {
        (TypeKind::Struct(s), Side::Sent) => s
            .fields
            .iter()
            .filter(|f| !f.read_only)
            .map(|f| &f.shape)
            .chain(&s.additional)
            .collect(),
        _ => kind.shapes(),
    }
}
