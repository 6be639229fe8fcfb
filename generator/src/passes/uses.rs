//! Uses: which operations send or receive each type as a whole body, and which struct fields
//! hold it, for the type's docs (a schema the spec says nothing about is still "the response of
//! `client.pets().get()`").

use std::collections::BTreeSet;

use crate::ir::{Api, Shape, TypeKind, TypeUse, UseRole};
use crate::pointer::Pointer;

pub fn run(api: &mut Api) {
    let mut found: BTreeSet<(Pointer, TypeUse)> = BTreeSet::new();
    for (key, op) in &api.operations {
        let mut record = |shape: &Shape, role: UseRole| {
            if let Some(target) = direct_target(shape) {
                let operation = key.clone();
                found.insert((target.clone(), TypeUse { role, operation }));
            }
        };
        if let Some(body) = &op.body {
            record(&body.shape, UseRole::Body);
        }
        for shape in op.success.json_shapes() {
            record(shape, UseRole::Response);
        }
        for shape in op.error.json_shapes() {
            record(shape, UseRole::Error);
        }
    }
    for (target, type_use) in found {
        if let Some(def) = api.types.get_mut(&target) {
            def.uses.push(type_use);
        }
    }
    let mut held: BTreeSet<(Pointer, Pointer, usize)> = BTreeSet::new();
    for (owner, def) in &api.types {
        if let TypeKind::Struct(s) = &def.kind {
            for (index, field) in s.fields.iter().enumerate() {
                if let Some(target) = held_target(&field.shape)
                    && target != owner
                {
                    held.insert((target.clone(), owner.clone(), index));
                }
            }
        }
    }
    for (target, owner, index) in held {
        if let Some(def) = api.types.get_mut(&target) {
            def.held_by.push((owner, index));
        }
    }
}

/// The type a field holds, alone or as the items of a list or map.
fn held_target(shape: &Shape) -> Option<&Pointer> {
    match shape {
        Shape::Array(inner) | Shape::Map(inner) => held_target(inner),
        other => direct_target(other),
    }
}

/// The type a body is, through `null` and boxes (a list of it is not it).
fn direct_target(shape: &Shape) -> Option<&Pointer> {
    match shape {
        Shape::Ref(target) => Some(target),
        Shape::Nullable(inner) | Shape::Boxed(inner) => direct_target(inner),
        _ => None,
    }
}
