//! Validation: decides what a generated client checks before sending a request. Each field and
//! parameter keeps the constraints that apply to its Rust type (bounds on numbers, lengths and
//! patterns on strings, item counts on lists), and the types that requests carry and that hold
//! something to check are marked to implement `Validate`.

use std::collections::BTreeSet;

use crate::ir::{Api, Constraints, Shape, TypeDef, TypeKind};

use super::directions::{self, Side, Walk};

pub fn run(api: &mut Api) {
    choose_checks(api);
    mark_validated_types(api);
    api.patterns = pattern_table(api);
}

/// Sets `checks` on every field and parameter. The checks are chosen reading the whole API, then
/// set in the same order the types and operations were read.
fn choose_checks(api: &mut Api) {
    let field_checks: Vec<Vec<Option<Constraints>>> = api
        .types
        .values()
        .map(|def| match &def.kind {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                // Read-only fields are never sent.
                .map(|f| (!f.read_only).then(|| applicable(api, &f.shape, &f.constraints)))
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let param_checks: Vec<Vec<Constraints>> = api
        .operations
        .values()
        .map(|op| {
            op.params
                .iter()
                .map(|p| applicable(api, &p.shape, &p.constraints))
                .collect()
        })
        .collect();
    for (def, checks) in api.types.values_mut().zip(field_checks) {
        if let TypeKind::Struct(s) = &mut def.kind {
            for (field, checks) in s.fields.iter_mut().zip(checks) {
                if let Some(checks) = checks {
                    field.checks = checks;
                }
            }
        }
    }
    for (op, checks) in api.operations.values_mut().zip(param_checks) {
        for (param, checks) in op.params.iter_mut().zip(checks) {
            param.checks = checks;
        }
    }
}

/// The constraints that apply to a value of `shape` (a `null` is never checked).
fn applicable(api: &Api, shape: &Shape, constraints: &Constraints) -> Constraints {
    let mut out = Constraints::default();
    let shape = match shape {
        Shape::Nullable(inner) => inner,
        other => other,
    };
    match plain(api, shape) {
        Some(Shape::Int(_) | Shape::Float(_)) => {
            out.minimum = constraints.minimum;
            out.maximum = constraints.maximum;
            out.exclusive_minimum = constraints.exclusive_minimum;
            out.exclusive_maximum = constraints.exclusive_maximum;
        }
        Some(Shape::String) => {
            out.min_length = constraints.min_length;
            out.max_length = constraints.max_length;
            if !constraints.pattern_unsupported {
                out.pattern = constraints.pattern.clone();
            }
        }
        Some(Shape::Array(item)) => {
            out.min_items = constraints.min_items;
            out.max_items = constraints.max_items;
            out.items = constraints
                .items
                .as_deref()
                .map(|items| applicable_to_item(api, item, items))
                .filter(|items| !items.is_empty())
                .map(Box::new);
        }
        _ => {}
    }
    out
}

/// Item constraints apply to items that cannot be `null`.
fn applicable_to_item(api: &Api, item: &Shape, constraints: &Constraints) -> Constraints {
    match item {
        Shape::Nullable(_) => Constraints::default(),
        item => applicable(api, item, constraints),
    }
}

/// The shape a value has in Rust, following aliases that are plain renamings (not ones that add
/// `Option` or `Box`).
fn plain<'a>(api: &'a Api, shape: &'a Shape) -> Option<&'a Shape> {
    let mut shape = shape;
    for _ in 0..=api.types.len() {
        match shape {
            Shape::Ref(target) => match api.types.get(target).map(|d| (&d.kind, d.nullable)) {
                Some((TypeKind::Alias(inner), false)) => shape = inner,
                _ => return Some(shape),
            },
            Shape::Nullable(_) | Shape::Boxed(_) => return None,
            other => return Some(other),
        }
    }
    None
}

/// Every pattern a check of a request uses, sorted and without duplicates.
fn pattern_table(api: &Api) -> Vec<String> {
    fn add<'a>(checks: &'a Constraints, out: &mut BTreeSet<&'a str>) {
        out.extend(checks.pattern.as_deref());
        if let Some(items) = &checks.items {
            add(items, out);
        }
    }
    let mut patterns = BTreeSet::new();
    for def in api.types.values().filter(|d| d.validated) {
        if let TypeKind::Struct(s) = &def.kind {
            for field in &s.fields {
                add(&field.checks, &mut patterns);
            }
        }
    }
    for op in api.operations.values() {
        for param in &op.params {
            add(&param.checks, &mut patterns);
        }
    }
    patterns.into_iter().map(str::to_owned).collect()
}

/// Marks the types that requests carry (directly or inside other types) and that hold a check.
fn mark_validated_types(api: &mut Api) {
    let validated = {
        let walk = Walk::new(api);
        let reachable = walk.reachable(walk.sent_roots(api, false), Side::Sent, false);
        let mut validated = vec![false; reachable.len()];
        loop {
            let mut changed = false;
            for at in 0..reachable.len() {
                if reachable[at]
                    && !validated[at]
                    && holds_checks(&walk, walk.types[at], &validated)
                {
                    validated[at] = true;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        validated
    };
    for (def, validated) in api.types.values_mut().zip(validated) {
        if validated {
            def.validated = true;
        }
    }
}

/// Whether a type has a check of its own, or holds a type already known to.
fn holds_checks(walk: &Walk, def: &TypeDef, validated: &[bool]) -> bool {
    let own = match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().any(|f| !f.checks.is_empty()),
        _ => false,
    };
    own || directions::parts(&def.kind, Side::Sent)
        .into_iter()
        .any(|shape| refers_to(walk, shape, validated))
}

/// Whether `shape` holds a value of a validated type.
fn refers_to(walk: &Walk, shape: &Shape, validated: &[bool]) -> bool {
    match shape {
        Shape::Ref(at) => walk.numbers.of(at).is_some_and(|t| validated[t]),
        other => other
            .inner()
            .is_some_and(|inner| refers_to(walk, inner, validated)),
    }
}
