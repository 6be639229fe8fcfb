//! Wire-level differences of schemas: each named type is compared with the type at the same
//! place in the other spec (fields, enum values, union alternatives, what an alias stands for),
//! and each value (a field, a parameter, a body) by type, nullability and constraints. Whether a
//! change breaks clients depends on the direction the schema travels in: a new required field
//! breaks requests, a removed one breaks responses. A type's directions come from the operations
//! that use it, in either spec.

use std::collections::{BTreeMap, BTreeSet};

use super::items::{ItemPath, Touch};
use super::keyed::{Entry, keyed};
use super::matching::{equivalent, renames, usage};
use super::values::{free_form, value_changes};
use super::{Category, Place, Verdict, WireChange};
use crate::ir::{Api, Constraints, Field, Shape, Struct, TypeDef, TypeKind};
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
    pub(super) fn verdict(self, request: Verdict, response: Verdict) -> Verdict {
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

/// The constraints of a value that has none of its own.
static UNCONSTRAINED: std::sync::LazyLock<Constraints> =
    std::sync::LazyLock::new(Constraints::default);

impl<'a> Value<'a> {
    /// A value without constraints of its own (a body, a response, a header, a stream item):
    /// `a` in `old`, `b` in `new`.
    pub fn shapes(old: &'a Api, a: &'a Shape, new: &'a Api, b: &'a Shape) -> Value<'a> {
        Value {
            old: (old, a, &UNCONSTRAINED),
            new: (new, b, &UNCONSTRAINED),
        }
    }
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

    /// The type in the new crate.
    fn rust(&self) -> ItemPath {
        ItemPath::ty(&self.after.name)
    }

    /// The type in the new crate, with its members.
    fn whole(&self) -> Vec<Touch> {
        vec![Touch::WithMembers(self.rust())]
    }

    fn compare(&self, out: &mut Vec<WireChange>) {
        match (&self.before.kind, &self.after.kind) {
            (TypeKind::Struct(a), TypeKind::Struct(b)) => {
                self.fields(&a.fields, &b.fields, out);
                self.additional(a, b, out);
            }
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
                if a.discriminator != b.discriminator {
                    let show = |d: &Option<String>| {
                        d.as_deref().map_or("none".to_owned(), |d| format!("`{d}`"))
                    };
                    let what = format!(
                        "discriminator changed from {} to {}",
                        show(&a.discriminator),
                        show(&b.discriminator)
                    );
                    let subject = self.subject();
                    out.push(Place::new(&subject, "discriminator").change(
                        Category::DiscriminatorChanged,
                        self.sides.verdict(Verdict::Breaking, Verdict::Breaking),
                        what,
                        self.whole(),
                    ));
                }
            }
            (TypeKind::Alias(a), TypeKind::Alias(b)) => {
                let value = Value {
                    old: (self.old, a, &self.before.constraints),
                    new: (self.new, b, &self.after.constraints),
                };
                let items = vec![Touch::Item(self.rust())];
                let subject = self.subject();
                value_changes(&value, self.sides, Place::whole(&subject), &items, out);
            }
            (before, after) => {
                let (what, verdict) = kind_change(self.old, before, self.new, after, self.sides);
                let subject = self.subject();
                out.push(Place::whole(&subject).change(
                    Category::SchemaTypeChanged,
                    verdict,
                    what,
                    self.whole(),
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
        for (value, entry) in keyed(old, new) {
            let (rust, category, verdict, done) = match entry {
                Entry::Removed(rust) => (
                    rust,
                    Category::EnumValueRemoved,
                    self.sides.verdict(Verdict::Breaking, Verdict::Compatible),
                    "removed",
                ),
                Entry::Kept(..) => continue,
                Entry::Added(rust) => (
                    rust,
                    Category::EnumValueAdded,
                    self.sides.verdict(Verdict::Compatible, Verdict::Breaking),
                    "added",
                ),
            };
            let at = format!("{word} `{value}`");
            let items = vec![Touch::Item(self.rust().assoc(rust))];
            out.push(Place::new(&subject, &at).change(
                category,
                verdict,
                format!("{word} {done}"),
                items,
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
            let (subject, at) = (self.subject(), format!("property `{from}`"));
            out.push(Place::new(&subject, &at).change(
                Category::PropertyRenamed,
                self.sides.verdict(Verdict::Breaking, Verdict::Breaking),
                format!("property renamed to `{to}`"),
                items,
            ));
        }
    }

    /// The Rust items of a field: itself, its setter (and the one that sends `null`), the
    /// constructor when the field is required, and the types defined inline in its schema (in
    /// either spec).
    fn field_items(&self, field: &Field, constructor: bool) -> Vec<Touch> {
        let ty = self.rust();
        let mut items: Vec<Touch> = vec![
            ty.field(&field.name).into(),
            ty.assoc(&crate::ident::setter_name(&field.name)).into(),
            ty.assoc(&crate::ident::clearer_name(&field.name)).into(),
        ];
        if constructor {
            // A required field changes the constructor, and a struct with one has no `Default`.
            items.extend([ty.assoc("new").into(), ty.implements("Default").into()]);
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
                    items.push(Touch::whole_type(&def.name));
                }
            }
        }
        items
    }

    /// Properties beyond the declared ones (`additionalProperties` next to `properties`): a
    /// request may send fewer of them without harm, a client reading responses keeps whatever
    /// comes.
    fn additional(&self, a: &Struct, b: &Struct, out: &mut Vec<WireChange>) {
        let subject = self.subject();
        let place = Place::new(&subject, "additional properties");
        let items = vec![
            Touch::Item(self.rust().field(&b.additional_name)),
            Touch::Item(self.rust().field(&a.additional_name)),
        ];
        let (what, category, verdict) = match (&a.additional, &b.additional) {
            (None, None) => return,
            (None, Some(_)) => (
                "now allowed",
                Category::AdditionalPropertiesAllowed,
                Verdict::Compatible,
            ),
            (Some(_), None) => (
                "no longer allowed",
                Category::AdditionalPropertiesRemoved,
                self.sides
                    .verdict(Verdict::PotentiallyBreaking, Verdict::Compatible),
            ),
            (Some(x), Some(y)) => {
                let value = Value::shapes(self.old, x, self.new, y);
                value_changes(&value, self.sides, place, &items, out);
                return;
            }
        };
        out.push(place.change(category, verdict, what, items));
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
        for (wire, entry) in keyed(&olds, &news) {
            let at = format!("property `{wire}`");
            let place = Place::new(&subject, &at);
            match entry {
                Entry::Removed(a) => out.push(self.field_removed(place, a)),
                Entry::Kept(a, b) => self.field_changes(place, a, b, out),
                Entry::Added(b) => out.push(self.field_added(place, b)),
            }
        }
    }

    fn field_removed(&self, place: Place<'_>, a: &Field) -> WireChange {
        let (category, response) = if a.required {
            (Category::ResponseRequiredPropertyRemoved, Verdict::Breaking)
        } else {
            (
                Category::ResponseOptionalPropertyRemoved,
                Verdict::PotentiallyBreaking,
            )
        };
        let verdict = self
            .field_sides(a)
            .verdict(Verdict::PotentiallyBreaking, response);
        let category = if self.field_sides(a).response {
            category
        } else {
            Category::RequestPropertyRemoved
        };
        let items = self.field_items(a, a.required);
        place.change(category, verdict, "property removed", items)
    }

    fn field_changes(&self, place: Place<'_>, a: &Field, b: &Field, out: &mut Vec<WireChange>) {
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
            let category = Category::PropertyRequiredChanged;
            out.push(place.change(category, verdict, what, items.clone()));
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
            let category = Category::PropertyDefaultChanged;
            out.push(place.change(category, verdict, what, items.clone()));
        }
        if !a.doc.deprecated && b.doc.deprecated {
            out.push(place.change(
                Category::PropertyDeprecated,
                Verdict::Compatible,
                "property deprecated",
                items.clone(),
            ));
        }
        let value = Value {
            old: (self.old, &a.shape, &a.constraints),
            new: (self.new, &b.shape, &b.constraints),
        };
        value_changes(&value, self.field_sides(b), place, &items, out);
    }

    fn field_added(&self, place: Place<'_>, b: &Field) -> WireChange {
        let (category, request) = match (b.required, self.field_sides(b).request) {
            (true, true) => (Category::NewRequiredRequestProperty, Verdict::Breaking),
            (true, false) => (Category::NewRequiredResponseProperty, Verdict::Breaking),
            (false, _) => (Category::NewOptionalProperty, Verdict::Compatible),
        };
        let verdict = self.field_sides(b).verdict(request, Verdict::Compatible);
        let items = self.field_items(b, b.required);
        place.change(category, verdict, "property added", items)
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

/// The name a schema has in the spec: its key for a component, its Rust name for an inline one.
pub(super) fn spec_name(at: &Pointer, def: &TypeDef) -> String {
    let component = at.depth() == 3 && at.as_str().starts_with("/components/schemas/");
    match at.last() {
        Some(key) if component => key,
        _ => def.name.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
