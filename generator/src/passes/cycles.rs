//! Cycles: boxes struct fields that would give a type infinite size, and replaces aliases that
//! refer to themselves (which Rust rejects) with untyped JSON.

use super::graph::{Numbering, strongly_connected};
use crate::diagnostics::Diagnostics;
use crate::ir::{Api, Shape, TypeKind};

pub fn run(api: &mut Api, diags: &mut Diagnostics) {
    break_alias_cycles(api, diags);
    box_recursive_fields(api);
}

/// `type A = Vec<A>;` and `type A = B; type B = A;` do not compile: such aliases become
/// `serde_json::Value`.
fn break_alias_cycles(api: &mut Api, diags: &mut Diagnostics) {
    let cyclic = {
        let numbers = Numbering::new(api);
        let is_alias: Vec<bool> = api
            .types
            .values()
            .map(|def| matches!(def.kind, TypeKind::Alias(_)))
            .collect();
        let edges: Vec<Vec<usize>> = api
            .types
            .values()
            .map(|def| {
                let mut targets = Vec::new();
                if let TypeKind::Alias(shape) = &def.kind {
                    numbers.refs_anywhere(shape, &mut targets);
                    targets.retain(|&t| is_alias[t]);
                }
                targets
            })
            .collect();
        let mut cyclic = vec![false; edges.len()];
        for component in strongly_connected(&edges) {
            if component.len() > 1 || edges[component[0]].contains(&component[0]) {
                for member in component {
                    cyclic[member] = true;
                }
            }
        }
        cyclic
    };
    for ((at, def), cyclic) in api.types.iter_mut().zip(cyclic) {
        if cyclic {
            diags.warning(at, "this schema refers to itself only through aliases, which Rust cannot express; generated as untyped JSON (`serde_json::Value`)");
            def.kind = TypeKind::Alias(Shape::Any);
            api.stats.untyped += 1;
        }
    }
}

/// A struct field (or union variant) whose type contains its own type by value (directly or
/// through other types and aliases) is boxed. Only edges that are not already behind an
/// indirection (`Vec`, map, `Box`) count.
fn box_recursive_fields(api: &mut Api) {
    // For each type, the positions of its fields (or variants) to box.
    let boxed: Vec<Vec<usize>> = {
        let numbers = Numbering::new(api);
        let direct: Vec<Vec<Vec<usize>>> = api
            .types
            .values()
            .map(|def| {
                by_value_shapes(&def.kind)
                    .into_iter()
                    .map(|shape| {
                        let mut targets = Vec::new();
                        direct_ref(&numbers, shape, &mut targets);
                        targets
                    })
                    .collect()
            })
            .collect();
        let edges: Vec<Vec<usize>> = direct.iter().map(|shapes| shapes.concat()).collect();
        let mut component_of = vec![0; edges.len()];
        for (c, component) in strongly_connected(&edges).into_iter().enumerate() {
            for member in component {
                component_of[member] = c;
            }
        }
        direct
            .iter()
            .enumerate()
            .map(|(i, shapes)| {
                let own = component_of[i];
                let recursive =
                    |targets: &Vec<usize>| targets.iter().any(|&t| component_of[t] == own);
                (0..shapes.len())
                    .filter(|&k| recursive(&shapes[k]))
                    .collect()
            })
            .collect()
    };
    for (def, positions) in api.types.values_mut().zip(boxed) {
        if positions.is_empty() {
            continue;
        }
        let shapes: Vec<&mut Shape> = match &mut def.kind {
            TypeKind::Struct(s) => s.fields.iter_mut().map(|f| &mut f.shape).collect(),
            TypeKind::Union(u) => u.variants.iter_mut().map(|v| &mut v.shape).collect(),
            TypeKind::Alias(_) | TypeKind::Enum(_) => Vec::new(),
        };
        for (k, shape) in shapes.into_iter().enumerate() {
            if positions.contains(&k) {
                box_shape(shape);
            }
        }
    }
}

/// The shapes a type holds by value: struct fields, union variants, an alias's target.
fn by_value_shapes(kind: &TypeKind) -> Vec<&Shape> {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().map(|f| &f.shape).collect(),
        TypeKind::Union(u) => u.variants.iter().map(|v| &v.shape).collect(),
        TypeKind::Alias(shape) => vec![shape],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The type a shape holds by value, seen through `Option`.
fn direct_ref(numbers: &Numbering, shape: &Shape, out: &mut Vec<usize>) {
    match shape {
        Shape::Ref(at) => out.extend(numbers.of(at)),
        Shape::Nullable(inner) => direct_ref(numbers, inner, out),
        // A tuple holds its items by value.
        Shape::Tuple(items) => items.iter().for_each(|item| direct_ref(numbers, item, out)),
        _ => {}
    }
}

/// Wraps the by-value reference in a `Box`, inside any `Option`.
fn box_shape(shape: &mut Shape) {
    match shape {
        Shape::Nullable(inner) => box_shape(inner),
        Shape::Ref(_) => *shape = Shape::Boxed(Box::new(shape.clone())),
        Shape::Tuple(items) => items.iter_mut().for_each(box_shape),
        _ => {}
    }
}
