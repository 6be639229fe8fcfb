//! Differences of one value (a field, a parameter, a body, an alias): its type, whether it may
//! be null, and its constraints, with the verdict for the directions it travels in. Two named
//! types are the same value when they are the same schema, or the same on the wire under
//! another name.

use std::collections::BTreeSet;

use super::items::{ItemPath, Touch};
use super::matching::equivalent;
use super::schemas::{Sides, Value, spec_name};
use super::{Category, Place, Verdict, WireChange};
use crate::ir::{Api, Constraints, Shape, TypeKind};

/// Any JSON value, or an object with any properties.
pub(super) fn free_form(api: &Api, shape: &Shape) -> bool {
    match bare(api.resolve_alias(shape)) {
        Shape::Any => true,
        Shape::Map(value) => matches!(bare(value), Shape::Any),
        _ => false,
    }
}

/// Changes of one value: its type, whether it may be null, its constraints.
pub fn value_changes(
    value: &Value<'_>,
    sides: Sides,
    place: Place<'_>,
    items: &[Touch],
    out: &mut Vec<WireChange>,
) {
    let (old_api, a, c) = value.old;
    let (new_api, b, d) = value.new;
    let (ra, rb) = peel(a, b);
    if let (Shape::Ref(p), Shape::Ref(q)) = (bare(ra), bare(rb))
        && p != q
        && let (Some(x), Some(y)) = (old_api.types.get(p), new_api.types.get(q))
        && equivalent(old_api, a, new_api, b, &mut BTreeSet::new())
    {
        // The same schema under another name: nothing changes on the wire.
        let what = format!(
            "schema `{}` renamed to `{}`",
            spec_name(p, x),
            spec_name(q, y)
        );
        let items = vec![Touch::whole_type(&x.name), Touch::whole_type(&y.name)];
        out.push(place.change(Category::SchemaRenamed, Verdict::Compatible, what, items));
        return;
    }
    if let (Shape::Ref(p), Shape::Ref(q)) = (bare(ra), bare(rb))
        && p != q
        && !old_api.types.contains_key(q)
        && nullable(old_api, a) == nullable(new_api, b)
        && let (Some(x), Some(y)) = (old_api.types.get(p), new_api.types.get(q))
        && std::mem::discriminant(&x.kind) == std::mem::discriminant(&y.kind)
    {
        // Another name and some changes, which are listed under the new schema.
        let what = format!(
            "schema `{}` replaced by `{}` (its changes are listed under it)",
            spec_name(p, x),
            spec_name(q, y)
        );
        let items = vec![
            Touch::Item(ItemPath::ty(&x.name)),
            Touch::Item(ItemPath::ty(&y.name)),
        ];
        out.push(place.change(Category::SchemaReplaced, Verdict::Compatible, what, items));
        return;
    }
    let mut push = |what: String, category: Category, verdict: Verdict| {
        out.push(place.change(category, verdict, what, items.to_vec()));
    };
    if key(old_api, a) != key(new_api, b) && (free_form(old_api, a) || free_form(new_api, b)) {
        let (what, verdict) = if free_form(new_api, b) {
            (
                "now any object (was a typed schema)",
                sides.verdict(Verdict::Compatible, Verdict::Breaking),
            )
        } else {
            (
                "now a typed schema (was any object)",
                sides.verdict(Verdict::Breaking, Verdict::Compatible),
            )
        };
        push(what.to_owned(), Category::TypeChanged, verdict);
        return;
    }
    if key(old_api, a) != key(new_api, b) {
        let what = format!(
            "type changed from {} to {}",
            describe(old_api, a),
            describe(new_api, b)
        );
        push(
            what,
            Category::TypeChanged,
            sides.verdict(Verdict::Breaking, Verdict::Breaking),
        );
        return;
    }
    match (nullable(old_api, a), nullable(new_api, b)) {
        (false, true) => push(
            "may now be null".to_owned(),
            Category::BecameNullable,
            sides.verdict(Verdict::Compatible, Verdict::Breaking),
        ),
        (true, false) => push(
            "may no longer be null".to_owned(),
            Category::BecameNotNullable,
            sides.verdict(Verdict::Breaking, Verdict::Compatible),
        ),
        _ => {}
    }
    for (what, tightened) in constraint_changes(c, d) {
        let verdict = if tightened {
            sides.verdict(Verdict::Breaking, Verdict::Compatible)
        } else {
            sides.verdict(Verdict::Compatible, Verdict::PotentiallyBreaking)
        };
        let category = if tightened {
            Category::ConstraintTightened
        } else {
            Category::ConstraintLoosened
        };
        push(what, category, verdict);
    }
}

/// Two shapes with the lists and maps they both are taken off: what their items are.
fn peel<'s>(a: &'s Shape, b: &'s Shape) -> (&'s Shape, &'s Shape) {
    match (bare(a), bare(b)) {
        (Shape::Array(x), Shape::Array(y)) | (Shape::Map(x), Shape::Map(y)) => peel(x, y),
        _ => (a, b),
    }
}

/// A shape without the wrappers that do not change what is on the wire.
pub(super) fn bare(shape: &Shape) -> &Shape {
    match shape {
        Shape::Nullable(inner) | Shape::Boxed(inner) => bare(inner),
        other => other,
    }
}

pub(super) fn nullable(api: &Api, shape: &Shape) -> bool {
    match shape {
        Shape::Nullable(_) => true,
        Shape::Boxed(inner) => nullable(api, inner),
        Shape::Ref(at) => api.types.get(at).is_some_and(|d| d.nullable),
        _ => false,
    }
}

/// What a shape is on the wire, for comparing: named types by where they are defined.
pub(super) fn key(api: &Api, shape: &Shape) -> String {
    match bare(shape) {
        Shape::Ref(at) => match api.types.get(at).map(|d| &d.kind) {
            // An alias is what it stands for: `$ref: Name` to a string is a string.
            Some(TypeKind::Alias(inner)) if !matches!(bare(inner), Shape::Ref(_)) => {
                key(api, inner)
            }
            _ => format!("ref {}", at.as_str()),
        },
        Shape::Array(item) => format!("array of {}", key(api, item)),
        Shape::Map(item) => format!("map of {}", key(api, item)),
        other => describe(api, other),
    }
}

/// What a shape is, in words.
fn describe(api: &Api, shape: &Shape) -> String {
    match bare(shape) {
        Shape::Any => "any value".to_owned(),
        Shape::Bool => "boolean".to_owned(),
        Shape::Int(width) => format!("integer ({})", format!("{width:?}").to_ascii_lowercase()),
        Shape::Float(width) => format!("number ({})", format!("{width:?}").to_ascii_lowercase()),
        Shape::String => "string".to_owned(),
        Shape::DateTime => "string (date-time)".to_owned(),
        Shape::Date => "string (date)".to_owned(),
        Shape::Uuid => "string (uuid)".to_owned(),
        Shape::Base64 => "string (byte)".to_owned(),
        Shape::Binary => "binary".to_owned(),
        Shape::External(path) => format!("`{path}`"),
        Shape::Array(item) => format!("array of {}", describe(api, item)),
        Shape::Map(item) => format!("map of {}", describe(api, item)),
        Shape::Tuple(items) => {
            let items: Vec<String> = items.iter().map(|i| describe(api, i)).collect();
            format!("tuple of ({})", items.join(", "))
        }
        Shape::Ref(at) => match api.types.get(at) {
            Some(def) => format!("`{}`", spec_name(at, def)),
            None => "an unknown schema".to_owned(),
        },
        Shape::Nullable(_) | Shape::Boxed(_) => unreachable!("bare removes wrappers"),
    }
}

/// Each constraint that changed, and whether it now accepts less (tightened) or more.
fn constraint_changes(old: &Constraints, new: &Constraints) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let bounds: [(&str, Option<f64>, Option<f64>, bool); 6] = [
        ("minimum", old.minimum, new.minimum, true),
        ("maximum", old.maximum, new.maximum, false),
        (
            "minLength",
            as_f64(old.min_length),
            as_f64(new.min_length),
            true,
        ),
        (
            "maxLength",
            as_f64(old.max_length),
            as_f64(new.max_length),
            false,
        ),
        (
            "minItems",
            as_f64(old.min_items),
            as_f64(new.min_items),
            true,
        ),
        (
            "maxItems",
            as_f64(old.max_items),
            as_f64(new.max_items),
            false,
        ),
    ];
    for (name, a, b, lower) in bounds {
        let change = match (a, b) {
            (None, None) => continue,
            (Some(a), Some(b)) if a == b => continue,
            (None, Some(b)) => (format!("{name} {b} added"), true),
            (Some(a), None) => (format!("{name} {a} removed"), false),
            (Some(a), Some(b)) => (format!("{name} changed from {a} to {b}"), (b > a) == lower),
        };
        out.push(change);
    }
    for (name, a, b) in [
        ("minimum", old.exclusive_minimum, new.exclusive_minimum),
        ("maximum", old.exclusive_maximum, new.exclusive_maximum),
    ] {
        if a != b {
            let now = if b { "exclusive" } else { "inclusive" };
            out.push((format!("{name} is now {now}"), b));
        }
    }
    match (&old.pattern, &new.pattern) {
        (a, b) if a == b => {}
        (_, Some(b)) => out.push((format!("pattern is now `{b}`"), true)),
        (Some(a), None) => out.push((format!("pattern `{a}` removed"), false)),
        (None, None) => {}
    }
    // The constraints of a list's items, whichever side has them.
    let none = Constraints::default();
    if old.items.is_some() || new.items.is_some() {
        let (a, b) = (
            old.items.as_deref().unwrap_or(&none),
            new.items.as_deref().unwrap_or(&none),
        );
        out.extend(
            constraint_changes(a, b)
                .into_iter()
                .map(|(what, tightened)| (format!("items: {what}"), tightened)),
        );
    }
    out
}

fn as_f64(n: Option<usize>) -> Option<f64> {
    n.map(|n| n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_know_which_way_is_tighter() {
        let old = Constraints {
            minimum: Some(5.0),
            maximum: Some(10080.0),
            ..Constraints::default()
        };
        let new = Constraints {
            minimum: Some(1.0),
            maximum: Some(1440.0),
            pattern: Some("^a".to_owned()),
            ..Constraints::default()
        };
        let changes = constraint_changes(&old, &new);
        assert_eq!(
            changes,
            [
                ("minimum changed from 5 to 1".to_owned(), false),
                ("maximum changed from 10080 to 1440".to_owned(), true),
                ("pattern is now `^a`".to_owned(), true),
            ]
        );
    }
}
