//! Fixed values: finds the required fields that can hold one value only, so that constructors
//! fill them in instead of asking for them. A field is fixed when its enum has a single string
//! value (`const` in OpenAPI 3.1), or when it is the discriminator property of the unions that
//! hold its struct and they all select the struct by the same one value.

use std::collections::BTreeMap;

use crate::ir::{Api, EnumValue, Shape, TypeKind};
use crate::pointer::Pointer;

pub fn run(api: &mut Api) {
    let tags = union_tags(api);
    let mut found: Vec<(Pointer, usize, String)> = Vec::new();
    for (at, def) in &api.types {
        let TypeKind::Struct(s) = &def.kind else {
            continue;
        };
        for (index, field) in s.fields.iter().enumerate() {
            if !field.required || field.read_only {
                continue;
            }
            let tag = tags.get(&(at.clone(), field.wire.clone()));
            if let Some(value) = fixed_value(api, &field.shape, tag) {
                found.push((at.clone(), index, value));
            }
        }
    }
    for (at, index, value) in found {
        if let Some(TypeKind::Struct(s)) = api.types.get_mut(&at).map(|d| &mut d.kind) {
            s.fields[index].fixed = Some(value);
        }
    }
}

/// What the unions say of a struct's discriminator property, by struct and property: the one
/// value they all select it by, or `None` when they give it several.
fn union_tags(api: &Api) -> BTreeMap<(Pointer, String), Option<String>> {
    let mut tags: BTreeMap<(Pointer, String), Option<String>> = BTreeMap::new();
    for def in api.types.values() {
        let TypeKind::Union(u) = &def.kind else {
            continue;
        };
        let Some(property) = &u.discriminator else {
            continue;
        };
        for variant in &u.variants {
            let Shape::Ref(target) = &variant.shape else {
                continue;
            };
            let one = match variant.tags.as_slice() {
                [tag] => Some(tag.clone()),
                _ => None,
            };
            tags.entry((target.clone(), property.clone()))
                .and_modify(|seen| {
                    if *seen != one {
                        *seen = None;
                    }
                })
                .or_insert(one);
        }
    }
    tags
}

/// The one value a field of `shape` can take: its enum's only value, or else the unions' tag
/// when the field can hold it (a string, or an enum that lists it).
fn fixed_value(api: &Api, shape: &Shape, tag: Option<&Option<String>>) -> Option<String> {
    let values = match api.resolve_alias(shape) {
        Shape::Ref(target) => match &api.types.get(target)?.kind {
            TypeKind::Enum(e) => Some(&e.variants),
            _ => return None,
        },
        Shape::String => None,
        _ => return None,
    };
    match (values.map(Vec::as_slice), tag) {
        (Some([only]), _) => match &only.value {
            EnumValue::String(value) => Some(value.clone()),
            EnumValue::Integer(_) => None,
        },
        (Some(values), Some(Some(tag))) => values
            .iter()
            .any(|v| v.value == EnumValue::String(tag.clone()))
            .then(|| tag.clone()),
        (None, Some(Some(tag))) => Some(tag.clone()),
        _ => None,
    }
}
