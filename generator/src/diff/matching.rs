//! Which types of the two specs correspond, and where each travels: types at the same place,
//! types that took another's place under a new name (found through the operations and fields
//! that refer to them), whether two schemas are the same on the wire whatever their names, and
//! the directions (requests, responses) each type is used in.

use std::collections::{BTreeMap, BTreeSet};

use super::schemas::Sides;
use super::values::{bare, key, nullable};
use crate::ir::{Api, Shape, TypeKind};
use crate::pointer::Pointer;

/// Pairs of differently placed types where one took the other's place, found from `seeds` and
/// from the fields of types compared with each other.
pub(super) fn renames(
    old: &Api,
    new: &Api,
    seeds: Vec<(Pointer, Pointer)>,
    same: &BTreeSet<(Pointer, Pointer)>,
) -> BTreeSet<(Pointer, Pointer)> {
    let mut found = BTreeSet::new();
    let mut stack = seeds;
    let expand = |p: &Pointer, q: &Pointer, stack: &mut Vec<(Pointer, Pointer)>| {
        if let (Some(x), Some(y)) = (old.types.get(p), new.types.get(q)) {
            for (a, b) in paired_shapes(&x.kind, &y.kind) {
                stack.extend(ref_pair(a, b));
            }
        }
    };
    for (p, q) in same {
        expand(p, q, &mut stack);
    }
    while let Some((p, q)) = stack.pop() {
        // A type that already existed is compared at its own place, not as a rename.
        if p == q || old.types.contains_key(&q) || !found.insert((p.clone(), q.clone())) {
            continue;
        }
        expand(&p, &q, &mut stack);
    }
    found
}

/// The shapes at the same places of two types: fields by wire name, alternatives by position.
fn paired_shapes<'a>(a: &'a TypeKind, b: &'a TypeKind) -> Vec<(&'a Shape, &'a Shape)> {
    match (a, b) {
        (TypeKind::Struct(x), TypeKind::Struct(y)) => x
            .fields
            .iter()
            .filter_map(|f| {
                let g = y.fields.iter().find(|g| g.wire == f.wire)?;
                Some((&f.shape, &g.shape))
            })
            .collect(),
        // Alternatives by name: reordering them pairs nothing wrongly.
        (TypeKind::Union(x), TypeKind::Union(y)) => x
            .variants
            .iter()
            .filter_map(|v| {
                let w = y.variants.iter().find(|w| w.name == v.name)?;
                Some((&v.shape, &w.shape))
            })
            .collect(),
        (TypeKind::Alias(x), TypeKind::Alias(y)) => vec![(x, y)],
        _ => Vec::new(),
    }
}

/// The two named types two values refer to, when they differ (through lists and maps alike).
pub(super) fn ref_pair(a: &Shape, b: &Shape) -> Option<(Pointer, Pointer)> {
    match (bare(a), bare(b)) {
        (Shape::Array(x), Shape::Array(y)) | (Shape::Map(x), Shape::Map(y)) => ref_pair(x, y),
        (Shape::Ref(p), Shape::Ref(q)) if p != q => Some((p.clone(), q.clone())),
        _ => None,
    }
}

/// Whether two values look the same on the wire: the same types, fields, requirements, values
/// and constraints, whatever their schemas are called. `seen` holds the pairs of named types
/// assumed equal while they are being compared (recursive schemas).
pub(super) fn equivalent(
    a_api: &Api,
    a: &Shape,
    b_api: &Api,
    b: &Shape,
    seen: &mut BTreeSet<(Pointer, Pointer)>,
) -> bool {
    if nullable(a_api, a) != nullable(b_api, b) {
        return false;
    }
    match (bare(a), bare(b)) {
        (Shape::Ref(p), Shape::Ref(q)) => {
            if !seen.insert((p.clone(), q.clone())) {
                return true;
            }
            match (a_api.types.get(p), b_api.types.get(q)) {
                (Some(x), Some(y)) => same_kind(a_api, &x.kind, b_api, &y.kind, seen),
                _ => false,
            }
        }
        (Shape::Array(x), Shape::Array(y)) | (Shape::Map(x), Shape::Map(y)) => {
            equivalent(a_api, x, b_api, y, seen)
        }
        (x, y) => key(a_api, x) == key(b_api, y),
    }
}

fn same_kind(
    a_api: &Api,
    a: &TypeKind,
    b_api: &Api,
    b: &TypeKind,
    seen: &mut BTreeSet<(Pointer, Pointer)>,
) -> bool {
    match (a, b) {
        (TypeKind::Struct(x), TypeKind::Struct(y)) => {
            let additional = match (&x.additional, &y.additional) {
                (None, None) => true,
                (Some(p), Some(q)) => equivalent(a_api, p, b_api, q, seen),
                _ => false,
            };
            additional
                && x.fields.len() == y.fields.len()
                && x.fields.iter().all(|f| {
                    y.fields.iter().any(|g| {
                        f.wire == g.wire
                            && f.required == g.required
                            && f.constraints == g.constraints
                            && equivalent(a_api, &f.shape, b_api, &g.shape, seen)
                    })
                })
        }
        (TypeKind::Enum(x), TypeKind::Enum(y)) => {
            let values = |e: &crate::ir::Enum| -> BTreeSet<String> {
                e.variants.iter().map(|v| v.value.text()).collect()
            };
            values(x) == values(y)
        }
        (TypeKind::Union(x), TypeKind::Union(y)) => {
            x.variants.len() == y.variants.len()
                && x.variants
                    .iter()
                    .zip(&y.variants)
                    .all(|(v, w)| equivalent(a_api, &v.shape, b_api, &w.shape, seen))
        }
        (TypeKind::Alias(x), TypeKind::Alias(y)) => equivalent(a_api, x, b_api, y, seen),
        _ => false,
    }
}

/// The directions each named type travels in: through parameters and bodies into requests,
/// through responses back, and on through fields, items and alternatives.
pub(super) fn usage(api: &Api) -> BTreeMap<Pointer, Sides> {
    let mut sides: BTreeMap<Pointer, Sides> = BTreeMap::new();
    for op in api.operations.values() {
        let mut request: Vec<&Shape> = op.params.iter().map(|p| &p.shape).collect();
        request.extend(op.body.iter().map(|b| &b.shape));
        let response: Vec<&Shape> = op
            .responses
            .iter()
            .filter_map(|r| match &r.content {
                Some(crate::ir::Content::Json(shape)) => Some(shape),
                _ => None,
            })
            .collect();
        for (shapes, side) in [(request, Sides::REQUEST), (response, Sides::RESPONSE)] {
            let mut stack: Vec<&Shape> = shapes;
            while let Some(shape) = stack.pop() {
                if let Some(inner) = shape.inner() {
                    stack.push(inner);
                    continue;
                }
                let Shape::Ref(at) = shape else { continue };
                let entry = sides.entry(at.clone()).or_default();
                if *entry == entry.union(side) {
                    continue;
                }
                *entry = entry.union(side);
                if let Some(def) = api.types.get(at) {
                    stack.extend(def.kind.shapes());
                }
            }
        }
    }
    sides
}
