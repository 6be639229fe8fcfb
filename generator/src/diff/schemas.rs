//! Wire-level differences of schemas: each named type is compared with the type at the same
//! place in the other spec (fields, enum values, union alternatives, what an alias stands for),
//! and each value (a field, a parameter, a body) by type, nullability and constraints. Whether a
//! change breaks clients depends on the direction the schema travels in: a new required field
//! breaks requests, a removed one breaks responses. A type's directions come from the operations
//! that use it, in either spec.

use std::collections::{BTreeMap, BTreeSet};

use super::matching::{equivalent, renames, usage};
use super::{Verdict, WireChange};
use crate::ir::{Api, Constraints, Field, Shape, TypeDef, TypeKind};
use crate::pointer::Pointer;

/// The directions a schema travels in.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Sides {
    pub request: bool,
    pub response: bool,
}

impl Sides {
    pub const REQUEST: Sides = Sides {
        request: true,
        response: false,
    };
    pub const RESPONSE: Sides = Sides {
        request: false,
        response: true,
    };

    pub(super) fn union(self, other: Sides) -> Sides {
        Sides {
            request: self.request || other.request,
            response: self.response || other.response,
        }
    }

    /// The worst verdict among the directions used; a schema no operation uses breaks nobody.
    fn verdict(self, request: Verdict, response: Verdict) -> Verdict {
        let mut worst = Verdict::Compatible;
        if self.request {
            worst = worst.max(request);
        }
        if self.response {
            worst = worst.max(response);
        }
        worst
    }

    fn words(self) -> &'static str {
        match (self.request, self.response) {
            (true, true) => "requests and responses",
            (true, false) => "requests",
            (false, true) => "responses",
            (false, false) => "no operation",
        }
    }
}

/// A value in both specs: the API it belongs to, its shape and its constraints.
pub struct Value<'a> {
    pub old: (&'a Api, &'a Shape, &'a Constraints),
    pub new: (&'a Api, &'a Shape, &'a Constraints),
}

/// Compares every type defined at the same place in both specs, and every type with the one
/// that took its place under another name (an operation or a field that referred to `A` now
/// refers to `B`). `seeds` are such pairs found in operations.
pub fn compare(old: &Api, new: &Api, seeds: Vec<(Pointer, Pointer)>, out: &mut Vec<WireChange>) {
    let sides = usage(old);
    let new_sides = usage(new);
    let same = old.types.keys().filter(|at| new.types.contains_key(*at));
    let mut pairs: BTreeSet<(Pointer, Pointer)> = same.map(|at| (at.clone(), at.clone())).collect();
    pairs.extend(renames(old, new, seeds, &pairs));
    for (was, at) in &pairs {
        let (Some(before), Some(after)) = (old.types.get(was), new.types.get(at)) else {
            continue;
        };
        let used = sides
            .get(was)
            .copied()
            .unwrap_or_default()
            .union(new_sides.get(at).copied().unwrap_or_default());
        let context = TypeContext {
            old,
            new,
            at,
            was: (was != at).then_some(was),
            before,
            after,
            sides: used,
        };
        context.compare(out);
    }
}

struct TypeContext<'a> {
    old: &'a Api,
    new: &'a Api,
    at: &'a Pointer,
    /// Where the old type was, if elsewhere.
    was: Option<&'a Pointer>,
    before: &'a TypeDef,
    after: &'a TypeDef,
    sides: Sides,
}

impl TypeContext<'_> {
    fn subject(&self) -> String {
        let name = spec_name(self.at, self.after);
        match self.was {
            Some(was) => format!(
                "schema `{name}` (was `{}`; in {})",
                spec_name(was, self.before),
                self.sides.words()
            ),
            None => format!("schema `{name}` (in {})", self.sides.words()),
        }
    }

    fn rust(&self) -> String {
        format!("types::{}", self.after.name)
    }

    fn compare(&self, out: &mut Vec<WireChange>) {
        match (&self.before.kind, &self.after.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => self.fields(&a.fields, &b.fields, out),
            (TypeKind::Enum(a), TypeKind::Enum(b)) => {
                let values = |e: &crate::ir::Enum| -> BTreeMap<String, String> {
                    e.variants
                        .iter()
                        .map(|v| (v.value.text(), v.name.clone()))
                        .collect()
                };
                self.alternatives("enum value", &values(a), &values(b), out);
            }
            (TypeKind::Union(a), TypeKind::Union(b)) => {
                let names = |u: &crate::ir::Union| -> BTreeMap<String, String> {
                    u.variants
                        .iter()
                        .map(|v| (v.name.clone(), v.name.clone()))
                        .collect()
                };
                self.alternatives("alternative", &names(a), &names(b), out);
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                let value = Value {
                    old: (self.old, a, &self.before.constraints),
                    new: (self.new, b, &self.after.constraints),
                };
                let items = vec![self.rust()];
                value_changes(&value, self.sides, &self.subject(), "", &items, out);
            }
            (before, after) => {
                let (what, verdict) = kind_change(self.old, before, self.new, after, self.sides);
                out.push(WireChange::new(
                    &self.subject(),
                    "",
                    what,
                    "schema-type-changed",
                    verdict,
                    vec![format!("{}*", self.rust())],
                ));
            }
        }
    }

    /// Enum values or union alternatives: a new one breaks clients that read it, a removed one
    /// clients that send it.
    fn alternatives(
        &self,
        word: &str,
        old: &BTreeMap<String, String>,
        new: &BTreeMap<String, String>,
        out: &mut Vec<WireChange>,
    ) {
        let subject = self.subject();
        for (value, rust) in old.iter().filter(|(v, _)| !new.contains_key(*v)) {
            out.push(WireChange::new(
                &subject,
                &format!("{word} `{value}`"),
                &format!("{word} removed"),
                "enum-value-removed",
                self.sides.verdict(Verdict::Breaking, Verdict::Compatible),
                vec![format!("{}::{rust}", self.rust())],
            ));
        }
        for (value, rust) in new.iter().filter(|(v, _)| !old.contains_key(*v)) {
            out.push(WireChange::new(
                &subject,
                &format!("{word} `{value}`"),
                &format!("{word} added"),
                "enum-value-added",
                self.sides.verdict(Verdict::Compatible, Verdict::Breaking),
                vec![format!("{}::{rust}", self.rust())],
            ));
        }
    }

    /// A property removed and another added that is the same on the wire in all but its name,
    /// with related names, when that pairing is the only one possible: reported as a rename (and taken out of
    /// `olds` and `news`). A client that uses the old name breaks all the same.
    fn renamed_fields(
        &self,
        olds: &mut BTreeMap<String, Field>,
        news: &mut BTreeMap<String, Field>,
        out: &mut Vec<WireChange>,
    ) {
        let removed: Vec<&Field> = olds
            .values()
            .filter(|f| !news.contains_key(&f.wire))
            .collect();
        let added: Vec<&Field> = news
            .values()
            .filter(|f| !olds.contains_key(&f.wire))
            .collect();
        // Two names of which one contains the other (`discovery_token`, `token`): unrelated
        // properties of the same type are not taken for a rename.
        let related = |a: &str, b: &str| a.contains(b) || b.contains(a);
        let same = |a: &Field, b: &Field| {
            related(&a.wire, &b.wire)
                && a.required == b.required
                && a.constraints == b.constraints
                && equivalent(self.old, &a.shape, self.new, &b.shape, &mut BTreeSet::new())
        };
        let mut pairs = Vec::new();
        for a in &removed {
            let matches: Vec<&&Field> = added.iter().filter(|b| same(a, b)).collect();
            let unique =
                matches.len() == 1 && removed.iter().filter(|r| same(r, matches[0])).count() == 1;
            if unique {
                pairs.push((a.wire.clone(), matches[0].wire.clone()));
            }
        }
        for (from, to) in pairs {
            let (Some(a), Some(b)) = (olds.remove(&from), news.remove(&to)) else {
                continue;
            };
            let mut items = self.field_items(&a, a.required);
            items.extend(self.field_items(&b, b.required));
            out.push(WireChange::new(
                &self.subject(),
                &format!("property `{from}`"),
                &format!("property renamed to `{to}`"),
                "property-renamed",
                self.sides.verdict(Verdict::Breaking, Verdict::Breaking),
                items,
            ));
        }
    }

    /// The Rust items of a field: itself, its setter, the constructor when the field is
    /// required, and the types defined inline in its schema (in either spec).
    fn field_items(&self, field: &Field, constructor: bool) -> Vec<String> {
        let ty = self.rust();
        let mut items = vec![
            format!("{ty}.{}", field.name),
            format!("{ty}::with_{}", field.name),
        ];
        if constructor {
            items.push(format!("{ty}::new"));
        }
        let mut shape = &field.shape;
        while let Some(inner) = shape.inner() {
            shape = inner;
        }
        if let Shape::Ref(target) = shape {
            let inline = target
                .as_str()
                .starts_with(&format!("{}/", self.at.as_str()));
            for (api, other) in [(self.old, self.new), (self.new, self.old)] {
                let only_here = !other.types.contains_key(target);
                if let Some(def) = api.types.get(target)
                    && (inline || only_here)
                {
                    items.push(format!("types::{}*", def.name));
                }
            }
        }
        items
    }

    /// The directions a field travels in: a read-only one only in responses, a write-only one
    /// only in requests (generated clients never send the first nor expect the second).
    fn field_sides(&self, field: &Field) -> Sides {
        Sides {
            request: self.sides.request && !field.read_only,
            response: self.sides.response && !field.write_only,
        }
    }

    fn fields(&self, old: &[Field], new: &[Field], out: &mut Vec<WireChange>) {
        let subject = self.subject();
        let by_wire = |fields: &[Field]| -> BTreeMap<String, Field> {
            fields.iter().map(|f| (f.wire.clone(), f.clone())).collect()
        };
        let (mut olds, mut news) = (by_wire(old), by_wire(new));
        self.renamed_fields(&mut olds, &mut news, out);
        let at = |f: &Field| format!("property `{}`", f.wire);
        for (wire, a) in &olds {
            let Some(b) = news.get(wire) else {
                let (category, response) = if a.required {
                    ("response-required-property-removed", Verdict::Breaking)
                } else {
                    (
                        "response-optional-property-removed",
                        Verdict::PotentiallyBreaking,
                    )
                };
                let verdict = self
                    .field_sides(a)
                    .verdict(Verdict::PotentiallyBreaking, response);
                let category = if self.field_sides(a).response {
                    category
                } else {
                    "request-property-removed"
                };
                let items = self.field_items(a, a.required);
                out.push(WireChange::new(
                    &subject,
                    &at(a),
                    "property removed",
                    category,
                    verdict,
                    items,
                ));
                continue;
            };
            let items = self.field_items(b, a.required || b.required);
            if a.required != b.required {
                let (what, verdict) = if b.required {
                    (
                        "property became required",
                        self.field_sides(b)
                            .verdict(Verdict::Breaking, Verdict::Compatible),
                    )
                } else {
                    (
                        "property became optional",
                        self.field_sides(b)
                            .verdict(Verdict::Compatible, Verdict::Breaking),
                    )
                };
                out.push(WireChange::new(
                    &subject,
                    &at(b),
                    what,
                    "property-required-changed",
                    verdict,
                    items.clone(),
                ));
            }
            if a.default != b.default {
                let show = |v: &Option<serde_json::Value>| {
                    v.as_ref().map_or("none".to_owned(), |v| v.to_string())
                };
                let what = format!(
                    "default changed from {} to {}",
                    show(&a.default),
                    show(&b.default)
                );
                let verdict = self
                    .sides
                    .verdict(Verdict::PotentiallyBreaking, Verdict::Compatible);
                out.push(WireChange::new(
                    &subject,
                    &at(b),
                    &what,
                    "property-default-changed",
                    verdict,
                    items.clone(),
                ));
            }
            if !a.doc.deprecated && b.doc.deprecated {
                out.push(WireChange::new(
                    &subject,
                    &at(b),
                    "property deprecated",
                    "property-deprecated",
                    Verdict::Compatible,
                    items.clone(),
                ));
            }
            let value = Value {
                old: (self.old, &a.shape, &a.constraints),
                new: (self.new, &b.shape, &b.constraints),
            };
            value_changes(&value, self.field_sides(b), &subject, &at(b), &items, out);
        }
        for (wire, b) in &news {
            if olds.contains_key(wire) {
                continue;
            }
            let (category, request) = match (b.required, self.field_sides(b).request) {
                (true, true) => ("new-required-request-property", Verdict::Breaking),
                (true, false) => ("new-required-response-property", Verdict::Breaking),
                (false, _) => ("new-optional-property", Verdict::Compatible),
            };
            let verdict = self.field_sides(b).verdict(request, Verdict::Compatible);
            let items = self.field_items(b, b.required);
            out.push(WireChange::new(
                &subject,
                &at(b),
                "property added",
                category,
                verdict,
                items,
            ));
        }
    }
}

/// A change of what kind of schema a type is. A schema that becomes a free-form object accepts
/// every request it accepted before, but tells clients nothing about responses any more; the
/// other way round, requests must now have a shape.
fn kind_change(
    old: &Api,
    before: &TypeKind,
    new: &Api,
    after: &TypeKind,
    sides: Sides,
) -> (&'static str, Verdict) {
    let free = |api: &Api, kind: &TypeKind| match kind {
        TypeKind::Alias(shape) => free_form(api, shape),
        _ => false,
    };
    match (free(old, before), free(new, after)) {
        (false, true) => (
            "schema became a free-form object",
            sides.verdict(Verdict::Compatible, Verdict::Breaking),
        ),
        (true, false) => (
            "free-form object got a shape",
            sides.verdict(Verdict::Breaking, Verdict::Compatible),
        ),
        _ => (
            "schema changed kind (object, enum, union or plain value)",
            sides.verdict(Verdict::Breaking, Verdict::Breaking),
        ),
    }
}

/// Any JSON value, or an object with any properties.
fn free_form(api: &Api, shape: &Shape) -> bool {
    match bare(api.resolve_alias(shape)) {
        Shape::Any => true,
        Shape::Map(value) => matches!(bare(value), Shape::Any),
        _ => false,
    }
}

/// The name a schema has in the spec: its key for a component, its Rust name for an inline one.
fn spec_name(at: &Pointer, def: &TypeDef) -> String {
    let component = at.depth() == 3 && at.as_str().starts_with("/components/schemas/");
    match at.last() {
        Some(key) if component => key,
        _ => def.name.clone(),
    }
}

/// Changes of one value: its type, whether it may be null, its constraints.
pub fn value_changes(
    value: &Value<'_>,
    sides: Sides,
    subject: &str,
    at: &str,
    items: &[String],
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
        let items = vec![format!("types::{}*", x.name), format!("types::{}*", y.name)];
        out.push(WireChange::new(
            subject,
            at,
            &what,
            "schema-renamed",
            Verdict::Compatible,
            items,
        ));
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
        let items = vec![format!("types::{}", x.name), format!("types::{}", y.name)];
        out.push(WireChange::new(
            subject,
            at,
            &what,
            "schema-replaced",
            Verdict::Compatible,
            items,
        ));
        return;
    }
    let mut push = |what: String, category: &'static str, verdict: Verdict| {
        out.push(WireChange::new(
            subject,
            at,
            &what,
            category,
            verdict,
            items.to_vec(),
        ));
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
        push(what.to_owned(), "type-changed", verdict);
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
            "type-changed",
            sides.verdict(Verdict::Breaking, Verdict::Breaking),
        );
        return;
    }
    match (nullable(old_api, a), nullable(new_api, b)) {
        (false, true) => push(
            "may now be null".to_owned(),
            "became-nullable",
            sides.verdict(Verdict::Compatible, Verdict::Breaking),
        ),
        (true, false) => push(
            "may no longer be null".to_owned(),
            "became-not-nullable",
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
            "constraint-tightened"
        } else {
            "constraint-loosened"
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
        Shape::Array(item) => format!("array of {}", describe(api, item)),
        Shape::Map(item) => format!("map of {}", describe(api, item)),
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
    match (&old.pattern, &new.pattern) {
        (a, b) if a == b => {}
        (_, Some(b)) => out.push((format!("pattern is now `{b}`"), true)),
        (Some(a), None) => out.push((format!("pattern `{a}` removed"), false)),
        (None, None) => {}
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

    #[test]
    fn a_schema_used_nowhere_breaks_nobody() {
        let unused = Sides::default();
        assert_eq!(
            unused.verdict(Verdict::Breaking, Verdict::Breaking),
            Verdict::Compatible
        );
        let both = Sides::REQUEST.union(Sides::RESPONSE);
        assert_eq!(
            both.verdict(Verdict::Compatible, Verdict::Breaking),
            Verdict::Breaking
        );
    }
}
