//! Directions: which way each type's values travel, sent in requests or received in responses,
//! so that a type derives only the serde traits it needs (the crate's `full-serde` feature adds
//! the others). A type no operation reaches, such as a schema kept for users or a webhook
//! payload, travels both ways, and so does everything it holds.

use super::graph::Numbering;
use crate::ir::{Api, Content, Directions, Outcome, Shape, TypeDef, TypeKind};

pub fn run(api: &mut Api) {
    let (sent, received) = {
        let walk = Walk::new(api);
        let mut sent = walk.reachable(walk.sent_roots(api, true), Side::Sent, true);
        let mut received = walk.reachable(walk.received_roots(api), Side::Received, true);
        let unreached: Vec<usize> = (0..sent.len())
            .filter(|&i| !sent[i] && !received[i])
            .collect();
        let also_sent = walk.reachable(unreached.clone(), Side::Sent, true);
        let also_received = walk.reachable(unreached, Side::Received, true);
        for i in 0..sent.len() {
            sent[i] |= also_sent[i];
            received[i] |= also_received[i];
        }
        (sent, received)
    };
    for ((def, sent), received) in api.types.values_mut().zip(sent).zip(received) {
        def.directions = Directions { sent, received };
    }
}

/// Which way a walk goes: a sent value never carries its read-only fields.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Sent,
    Received,
}

/// Walks over the types of an `Api`, by number.
pub(super) struct Walk<'a> {
    pub numbers: Numbering<'a>,
    pub types: Vec<&'a TypeDef>,
}

impl<'a> Walk<'a> {
    pub fn new(api: &'a Api) -> Self {
        Walk {
            numbers: Numbering::new(api),
            types: api.types.values().collect(),
        }
    }

    /// The types in request parameters and bodies (through tuples' items only with `tuples`).
    pub fn sent_roots(&self, api: &Api, tuples: bool) -> Vec<usize> {
        let mut roots = Vec::new();
        for op in api.operations.values() {
            let shapes = op
                .params
                .iter()
                .map(|p| &p.shape)
                .chain(op.body.as_ref().map(|b| &b.shape));
            for shape in shapes {
                self.refs(shape, &mut roots, tuples);
            }
        }
        roots
    }

    /// The types in response bodies (whole or streamed), response headers and pages.
    fn received_roots(&self, api: &Api) -> Vec<usize> {
        let mut roots = Vec::new();
        for op in api.operations.values() {
            for response in &op.responses {
                if let Some(Content::Json(shape)) = &response.content {
                    self.refs(shape, &mut roots, true);
                }
            }
            for outcome in [&op.success, &op.error] {
                match outcome {
                    Outcome::Single {
                        content: Content::Json(shape),
                        ..
                    } => self.refs(shape, &mut roots, true),
                    Outcome::ByStatus { variants, .. } => {
                        for variant in variants {
                            if let Some(Content::Json(shape)) = &variant.content {
                                self.refs(shape, &mut roots, true);
                            }
                        }
                    }
                    _ => {}
                }
            }
            for header in &op.headers {
                self.refs(&header.shape, &mut roots, true);
            }
            if let Some(stream) = &op.stream {
                self.refs(&stream.body.shape, &mut roots, true);
            }
            if let Some(pagination) = &op.pagination {
                self.refs(&pagination.item, &mut roots, true);
            }
        }
        roots
    }

    /// Which types (by number) are reachable from `roots` through the shapes types are made
    /// of (through tuples' items only with `tuples`: validation does not check inside tuples).
    pub fn reachable(&self, mut stack: Vec<usize>, side: Side, tuples: bool) -> Vec<bool> {
        let mut seen = vec![false; self.types.len()];
        while let Some(at) = stack.pop() {
            if std::mem::replace(&mut seen[at], true) {
                continue;
            }
            for shape in parts(&self.types[at].kind, side) {
                self.refs(shape, &mut stack, tuples);
            }
        }
        seen
    }

    /// The named types a shape mentions (inside tuples only with `tuples`).
    fn refs(&self, shape: &Shape, out: &mut Vec<usize>, tuples: bool) {
        match shape {
            Shape::Ref(at) => out.extend(self.numbers.of(at)),
            Shape::Tuple(_) if !tuples => {}
            other => {
                for child in other.children() {
                    self.refs(child, out, tuples);
                }
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
