//! Composition: `allOf` merged into one struct; `oneOf` and `anyOf` lowered into unions, tagged
//! by a `discriminator` when every alternative is a named schema.

use std::collections::BTreeSet;

use openapiv3::{AnySchema, ReferenceOr, Schema, SchemaData, SchemaKind, Type};

use super::Lowerer;
use super::schema::{ObjectParts, docs};
use crate::ir::{NameHint, Parent, Shape, TypeKind, Union, UnionVariant};
use crate::pointer::Pointer;

/// How many schemas an `allOf` may pull in through references before it is cut off.
const MAX_ALL_OF_REFS: usize = 64;

impl<'a> Lowerer<'a> {
    /// `allOf`: the object parts are merged into one struct (with the schema's own properties);
    /// parts that only annotate are skipped. A single non-object part is that part's shape.
    pub(crate) fn all_of(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        own: ObjectParts,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let mut merged = own;
        let mut others = Vec::new();
        let mut seen = BTreeSet::new();
        for (i, part) in parts.iter().enumerate() {
            let part_at = at.push("allOf").push(&i.to_string());
            self.collect_part(part, &part_at, &mut merged, &mut others, &mut seen);
        }
        match (merged.is_object, others.as_slice()) {
            (true, []) => {
                // While the merged parts are lowered, a reference back to one of them (through
                // a property) names its type instead of merging it again, without end.
                let depth = self.merging.len();
                self.merging.extend(seen);
                let shape = self.object(merged, data, at, hint);
                self.merging.truncate(depth);
                shape
            }
            (false, []) => Shape::Any,
            (false, [(part, part_at)]) => self.schema_or_ref(part, part_at, hint),
            _ => self.untyped(at, "`allOf` combining an object with other kinds of schema"),
        }
    }

    /// Adds an `allOf` part's properties to `merged`, following references and nested `allOf`;
    /// a part that is not an object goes to `others`.
    fn collect_part(
        &mut self,
        part: &ReferenceOr<Schema>,
        part_at: &Pointer,
        merged: &mut ObjectParts,
        others: &mut Vec<(ReferenceOr<Schema>, Pointer)>,
        seen: &mut BTreeSet<Pointer>,
    ) {
        let (schema, location) = match part {
            ReferenceOr::Reference { reference } => {
                let Some(target) = self.ref_target(reference, part_at) else {
                    return;
                };
                // A reference seen before (a cycle, or a diamond) adds nothing new.
                if seen.len() >= MAX_ALL_OF_REFS || !seen.insert(target.clone()) {
                    return;
                }
                // A schema being lowered or merged further out is referred to by its name.
                if self.resolving.contains(&target) || self.merging.contains(&target) {
                    others.push((part.clone(), part_at.clone()));
                    return;
                }
                let Some(value) = target.resolve(self.doc) else {
                    self.diags.error(
                        &part_at.push("$ref"),
                        format!("`{reference}` does not resolve"),
                    );
                    return;
                };
                let Some(schema) = self.decode_schema(value, &target) else {
                    return;
                };
                if !is_object_like(&schema) {
                    others.push((part.clone(), part_at.clone()));
                    return;
                }
                (schema, target)
            }
            ReferenceOr::Item(schema) => (schema.clone(), part_at.clone()),
        };
        match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => {
                merged.add(
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    &location,
                );
            }
            SchemaKind::AllOf { all_of } => {
                for (i, inner) in all_of.iter().enumerate() {
                    self.collect_part(
                        inner,
                        &location.push("allOf").push(&i.to_string()),
                        merged,
                        others,
                        seen,
                    );
                }
            }
            SchemaKind::Any(any) if is_object_any(any) => {
                if has_object_keywords(any) {
                    merged.add(
                        &any.properties,
                        &any.required,
                        any.additional_properties.as_ref(),
                        &location,
                    );
                }
                for (i, inner) in any.all_of.iter().enumerate() {
                    self.collect_part(
                        inner,
                        &location.push("allOf").push(&i.to_string()),
                        merged,
                        others,
                        seen,
                    );
                }
            }
            SchemaKind::Any(any) if is_annotation_only(any) => {
                merged.required.extend(any.required.iter().cloned())
            }
            _ => others.push((part.clone(), part_at.clone())),
        }
    }

    /// `oneOf` or `anyOf`: a union of the alternatives, tried in order (or chosen by the
    /// discriminator). Alternatives that only state constraints are dropped, and a `null`
    /// alternative makes the union nullable.
    pub(crate) fn union(
        &mut self,
        parts: &[ReferenceOr<Schema>],
        keyword: &str,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let mut shapes: Vec<Shape> = Vec::new();
        let mut nullable = false;
        let real = |part: &ReferenceOr<Schema>| match part {
            ReferenceOr::Item(schema) => !is_null_only(schema) && !is_constraint_only(schema),
            ReferenceOr::Reference { .. } => true,
        };
        // `anyOf: [X, {type: null}]` is a nullable X: an inline X is named as the union would
        // have been, as if it stood here alone (there is no union to be a variant of).
        let alone = parts.iter().filter(|p| real(p)).count() == 1;
        for (i, part) in parts.iter().enumerate() {
            let part_at = at.push(keyword).push(&i.to_string());
            if let ReferenceOr::Item(schema) = part {
                if is_null_only(schema) {
                    nullable = true;
                    continue;
                }
                if is_constraint_only(schema) {
                    continue;
                }
            }
            let part_hint = if alone {
                hint.clone()
            } else {
                variant_hint(part, at, i)
            };
            let shape = self.schema_or_ref(part, &part_at, part_hint);
            if !shapes.contains(&shape) {
                shapes.push(shape);
            }
        }
        let shape = self.union_of(shapes, data, at, hint);
        if nullable {
            self.nullable(shape, at)
        } else {
            shape
        }
    }

    /// A union type at `at` for these alternatives (or the one alternative itself).
    fn union_of(
        &mut self,
        shapes: Vec<Shape>,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        if shapes.len() < 2 {
            return shapes.into_iter().next().unwrap_or(Shape::Any);
        }
        let mut variants: Vec<UnionVariant> = shapes
            .into_iter()
            .map(|shape| UnionVariant {
                name: String::new(),
                shape,
                tags: Vec::new(),
            })
            .collect();
        let discriminator = self.discriminator(data, &mut variants, at);
        if !self.api.types.contains_key(at) {
            let kind = TypeKind::Union(Union {
                variants,
                discriminator,
                other_name: String::new(),
            });
            self.define(at, hint, docs(data), kind);
        }
        Shape::Ref(at.clone())
    }

    /// Alternatives next to the schema's own properties: each alternative is merged with them
    /// (as if each were `allOf: [own, alternative]`).
    pub(crate) fn alternatives_with_own(
        &mut self,
        alternatives: &[ReferenceOr<Schema>],
        keyword: &str,
        own: ObjectParts,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let real = alternatives.iter().any(|a| match a {
            ReferenceOr::Item(s) => !is_constraint_only(s) && !is_null_only(s),
            ReferenceOr::Reference { .. } => true,
        });
        if !real {
            return if own.is_object {
                self.object(own, data, at, hint)
            } else {
                Shape::Any
            };
        }
        if own.properties.is_empty() {
            return self.union(alternatives, keyword, data, at, hint);
        }
        let mut shapes = Vec::new();
        for (i, alternative) in alternatives.iter().enumerate() {
            let part_at = at.push(keyword).push(&i.to_string());
            let mut merged = own.clone();
            let mut others = Vec::new();
            self.collect_part(
                alternative,
                &part_at,
                &mut merged,
                &mut others,
                &mut BTreeSet::new(),
            );
            if !others.is_empty() {
                return self.untyped(
                    at,
                    &format!("properties next to `{keyword}` alternatives that are not objects"),
                );
            }
            let shape = self.object(
                merged,
                &SchemaData::default(),
                &part_at,
                variant_hint(alternative, at, i),
            );
            if !shapes.contains(&shape) {
                shapes.push(shape);
            }
        }
        self.union_of(shapes, data, at, hint)
    }

    /// The discriminator property, when every variant is a named schema; fills in each
    /// variant's tags from `mapping`, or from the schema's name.
    fn discriminator(
        &mut self,
        data: &SchemaData,
        variants: &mut [UnionVariant],
        at: &Pointer,
    ) -> Option<String> {
        let discriminator = data.discriminator.as_ref()?;
        let mut mapped: Vec<(String, Pointer)> = Vec::new();
        for (tag, target) in &discriminator.mapping {
            let pointer = if target.starts_with('#') {
                Pointer::from_ref(target)
            } else if !target.contains('/') {
                Some(
                    Pointer::root()
                        .push("components")
                        .push("schemas")
                        .push(target),
                )
            } else {
                None
            };
            match pointer {
                Some(pointer) => mapped.push((tag.clone(), pointer)),
                None => {
                    let message = format!(
                        "discriminator mapping `{target}` is not a local reference; ignored"
                    );
                    self.diags
                        .warning(&at.push("discriminator").push("mapping").push(tag), message);
                }
            }
        }
        for variant in variants.iter_mut() {
            let Shape::Ref(target) = &variant.shape else {
                return None;
            };
            variant.tags = mapped
                .iter()
                .filter(|(_, p)| p == target)
                .map(|(t, _)| t.clone())
                .collect();
            if variant.tags.is_empty() {
                variant.tags.push(target.last().unwrap_or_default());
            }
        }
        Some(discriminator.property_name.clone())
    }
}

/// The hint for a type made for an alternative: its title, the name of the schema it refers
/// to, or its position.
fn variant_hint(part: &ReferenceOr<Schema>, union_at: &Pointer, index: usize) -> NameHint {
    let suffix = match part {
        ReferenceOr::Item(schema) => schema.schema_data.title.clone(),
        ReferenceOr::Reference { reference } => reference.rsplit('/').next().map(str::to_owned),
    };
    NameHint::Child {
        parent: Parent::Type(union_at.clone()),
        suffix: suffix.unwrap_or_else(|| format!("variant {}", index + 1)),
    }
}

/// Whether a decoded schema is an object (or merges into one).
fn is_object_like(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::Object(_)) | SchemaKind::AllOf { .. } => true,
        SchemaKind::Any(any) => is_object_any(any),
        _ => false,
    }
}

fn is_object_any(any: &AnySchema) -> bool {
    any.one_of.is_empty()
        && any.any_of.is_empty()
        && (has_object_keywords(any) || !any.all_of.is_empty())
}

fn has_object_keywords(any: &AnySchema) -> bool {
    !any.properties.is_empty()
        || any.additional_properties.is_some()
        || any.typ.as_deref() == Some("object")
}

/// A schema that says nothing about the value's type: only docs or constraints.
fn is_annotation_only(any: &AnySchema) -> bool {
    any.typ.is_none()
        && any.properties.is_empty()
        && any.additional_properties.is_none()
        && any.items.is_none()
        && any.enumeration.is_empty()
        && any.format.is_none()
        && any.one_of.is_empty()
        && any.any_of.is_empty()
        && any.all_of.is_empty()
        && any.not.is_none()
}

/// An alternative that only lists constraints (`required: [a]`), used to say "one of these
/// property sets must be present"; it adds no type.
fn is_constraint_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => is_annotation_only(any),
        SchemaKind::Not { .. } => true,
        _ => false,
    }
}

/// An alternative that only admits `null`.
fn is_null_only(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(any) => {
            any.typ.as_deref() == Some("null")
                || (!any.enumeration.is_empty()
                    && any.enumeration.iter().all(serde_json::Value::is_null))
        }
        SchemaKind::Type(Type::String(t)) => {
            !t.enumeration.is_empty() && t.enumeration.iter().all(Option::is_none)
        }
        _ => false,
    }
}
