//! Validation: decides what a generated client checks before sending a request. Each field and
//! parameter keeps the constraints that apply to its Rust type (bounds on numbers, lengths and
//! patterns on strings, item counts on lists), and the types that requests carry and that hold
//! something to check are marked to implement `Validate`.

use std::collections::BTreeSet;

use crate::ir::{Api, Constraints, Shape, TypeKind};
use crate::pointer::Pointer;

use super::directions::{self, Side};

pub fn run(api: &mut Api) {
    choose_checks(api);
    mark_validated_types(api);
    api.patterns = pattern_table(api);
}

/// Sets `checks` on every field and parameter.
fn choose_checks(api: &mut Api) {
    let mut field_checks: Vec<(Pointer, usize, Constraints)> = Vec::new();
    for (at, def) in &api.types {
        if let TypeKind::Struct(s) = &def.kind {
            for (i, field) in s.fields.iter().enumerate() {
                // Read-only fields are never sent.
                if !field.read_only {
                    let checks = applicable(api, &field.shape, &field.constraints);
                    field_checks.push((at.clone(), i, checks));
                }
            }
        }
    }
    let mut param_checks: Vec<(Pointer, usize, Constraints)> = Vec::new();
    for (at, op) in &api.operations {
        for (i, param) in op.params.iter().enumerate() {
            let checks = applicable(api, &param.shape, &param.constraints);
            param_checks.push((at.clone(), i, checks));
        }
    }
    for (at, i, checks) in field_checks {
        if let Some(TypeKind::Struct(s)) = api.types.get_mut(&at).map(|d| &mut d.kind) {
            s.fields[i].checks = checks;
        }
    }
    for (at, i, checks) in param_checks {
        if let Some(op) = api.operations.get_mut(&at) {
            op.params[i].checks = checks;
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
    let reachable =
        directions::reachable(api, directions::sent_roots(api, false), Side::Sent, false);
    let mut validated: BTreeSet<Pointer> = BTreeSet::new();
    loop {
        let before = validated.len();
        for at in &reachable {
            if !validated.contains(at) && holds_checks(api, at, &validated) {
                validated.insert(at.clone());
            }
        }
        if validated.len() == before {
            break;
        }
    }
    for at in validated {
        if let Some(def) = api.types.get_mut(&at) {
            def.validated = true;
        }
    }
}

/// Whether the type at `at` has a check of its own, or holds a type already known to.
fn holds_checks(api: &Api, at: &Pointer, validated: &BTreeSet<Pointer>) -> bool {
    let Some(def) = api.types.get(at) else {
        return false;
    };
    let own = match &def.kind {
        TypeKind::Struct(s) => s.fields.iter().any(|f| !f.checks.is_empty()),
        _ => false,
    };
    own || directions::parts(&def.kind, Side::Sent)
        .into_iter()
        .any(|shape| refers_to(shape, validated))
}

/// Whether `shape` holds a value of a validated type.
fn refers_to(shape: &Shape, validated: &BTreeSet<Pointer>) -> bool {
    match shape {
        Shape::Ref(at) => validated.contains(at),
        other => other
            .inner()
            .is_some_and(|inner| refers_to(inner, validated)),
    }
}
