//! The docs of named types, fields and parameters: the spec's own text, or, where it says
//! nothing, what is true of the item (its shape, the operations and fields that use it, whether
//! it is required, its wire name), and the constraints and default a value must respect.

use super::types::Presence;
use crate::ident;
use crate::ir::{
    Api, Constraints, Docs, Field, NameHint, ParamLocation, TypeDef, TypeKind, UseRole,
};

/// Paragraphs for a named type: its docs, or a line saying where it comes from.
pub(crate) fn item_doc(api: &Api, def: &TypeDef) -> Vec<String> {
    let mut doc = type_doc(&def.doc);
    let uses = uses_doc(api, def);
    if doc.is_empty() && uses.is_none() {
        doc.push(shape_doc(def));
    }
    doc.extend(uses);
    doc
}

/// What a type the API description says nothing about is made of: its properties, values or
/// alternatives.
fn shape_doc(def: &TypeDef) -> String {
    let quoted = |items: Vec<String>| {
        let items: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
        first_few(&items)
    };
    match &def.kind {
        TypeKind::Struct(s) if !s.fields.is_empty() => format!(
            "An object with {}.",
            quoted(s.fields.iter().map(|f| f.wire.clone()).collect())
        ),
        TypeKind::Struct(_) => "An object with properties of its own.".to_owned(),
        TypeKind::Enum(e) => format!(
            "One of {}, or a value this version does not know.",
            quoted(e.variants.iter().map(|v| v.value.text()).collect())
        ),
        TypeKind::Union(u) => format!(
            "One of {}.",
            quoted(u.variants.iter().map(|v| v.name.clone()).collect())
        ),
        TypeKind::Alias(_) => match &def.hint {
            NameHint::Component(raw) => format!("The `{raw}` schema."),
            NameHint::Child { suffix, .. } => format!("The type of `{suffix}`."),
        },
    }
}

/// The operations a type is the body, response or error of: `The response of
/// `client.pets().get()`.`, at most three of each.
fn uses_doc(api: &Api, def: &TypeDef) -> Option<String> {
    let mut sentences = Vec::new();
    for (role, what) in [
        (UseRole::Body, "The request body of"),
        (UseRole::Response, "The response of"),
        (UseRole::Error, "The error body of"),
    ] {
        let calls: Vec<String> = def
            .uses
            .iter()
            .filter(|u| u.role == role)
            .filter_map(|u| api.operations.get(&u.operation))
            .map(|op| format!("`{}`", super::call_text(api, op)))
            .collect();
        if !calls.is_empty() {
            sentences.push(format!("{what} {}.", first_few(&calls)));
        }
    }
    let holders: Vec<String> = def
        .held_by
        .iter()
        .filter_map(|(owner, index)| {
            let holder = api.types.get(owner)?;
            let TypeKind::Struct(s) = &holder.kind else {
                return None;
            };
            Some(format!("`{}.{}`", holder.name, s.fields.get(*index)?.name))
        })
        .collect();
    if !holders.is_empty() {
        sentences.push(format!("Held by {}.", first_few(&holders)));
    }
    (!sentences.is_empty()).then(|| sentences.join(" "))
}

/// The first three items, then how many more: `a, b and c`, `a, b, c and 2 more`.
fn first_few(items: &[String]) -> String {
    const MOST: usize = 3;
    match items {
        [] => String::new(),
        [only] => only.clone(),
        _ if items.len() <= MOST => {
            let (last, rest) = items.split_last().unwrap_or((&items[0], &[]));
            format!("{} and {last}", rest.join(", "))
        }
        _ => format!(
            "{} and {} more",
            items[..MOST].join(", "),
            items.len() - MOST
        ),
    }
}

/// Paragraphs for a type: title, description, deprecation.
pub(crate) fn type_doc(doc: &Docs) -> Vec<String> {
    let mut out: Vec<String> = doc
        .summary
        .iter()
        .chain(&doc.description)
        .cloned()
        .collect();
    if doc.deprecated {
        out.push("**Deprecated** in the API description.".to_owned());
    }
    out
}

/// Docs for a member the API description says nothing about: what is true of it.
pub(super) fn or_facts(doc: Vec<String>, facts: impl FnOnce() -> String) -> Vec<String> {
    if doc.is_empty() { vec![facts()] } else { doc }
}

/// Whether a field must be there, who sends it, and its wire name where the Rust name differs.
pub(super) fn field_facts(field: &Field, presence: Presence, sent: bool) -> String {
    let mut facts = match presence {
        _ if field.read_only => "Set by the API, never sent.".to_owned(),
        Presence::Required => "Required.".to_owned(),
        Presence::RequiredNullable => "Required; may be `null`.".to_owned(),
        Presence::RequiredWriteOnly => "Required in requests; responses leave it out.".to_owned(),
        Presence::Optional if sent => "Optional: left out when unset.".to_owned(),
        Presence::Optional => "Optional: the API may leave it out.".to_owned(),
        Presence::OptionalNullable => format!(
            "Optional; may be `null`, which `{}` sends.",
            ident::clearer_name(&field.name)
        ),
    };
    if field.name.trim_start_matches("r#") != field.wire {
        facts.push_str(&format!(" `{}` on the wire.", field.wire));
    }
    facts
}

/// Where a parameter goes, under which name, and whether it must be given.
pub(super) fn param_facts(param: &crate::ir::Param) -> String {
    let place = match param.location {
        ParamLocation::Query => "query parameter",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::Path => "path parameter",
    };
    let need = if param.required {
        "required"
    } else {
        "optional"
    };
    format!("The `{}` {place}, {need}.", param.wire)
}

/// Paragraphs for a field or parameter: its docs, then its constraints and default.
pub(super) fn field_doc(
    doc: &Docs,
    constraints: &Constraints,
    default: Option<&serde_json::Value>,
    sensitive: bool,
) -> Vec<String> {
    let mut out = type_doc(doc);
    let mut facts = constraint_facts(constraints);
    if let Some(default) = default {
        facts.push(format!(
            "Default (applied by the server when omitted): `{default}`."
        ));
    }
    if sensitive {
        facts.push("Sensitive: hidden in `Debug` output.".to_owned());
    }
    if !facts.is_empty() {
        out.push(facts.join(" "));
    }
    out
}

fn constraint_facts(c: &Constraints) -> Vec<String> {
    let mut facts = Vec::new();
    let number = |v: f64| {
        if v.fract() == 0.0 && v.abs() < 9.0e15 {
            format!("{}", v as i64)
        } else {
            v.to_string()
        }
    };
    if let Some(min) = c.minimum {
        let kind = if c.exclusive_minimum {
            "Greater than"
        } else {
            "Minimum:"
        };
        facts.push(format!("{kind} `{}`.", number(min)));
    }
    if let Some(max) = c.maximum {
        let kind = if c.exclusive_maximum {
            "Less than"
        } else {
            "Maximum:"
        };
        facts.push(format!("{kind} `{}`.", number(max)));
    }
    if let Some(n) = c.min_length {
        facts.push(format!("Minimum length: {n}."));
    }
    if let Some(n) = c.max_length {
        facts.push(format!("Maximum length: {n}."));
    }
    if let Some(p) = &c.pattern {
        facts.push(format!("Pattern: `{p}`."));
    }
    if let Some(n) = c.min_items {
        facts.push(format!("Minimum items: {n}."));
    }
    if let Some(n) = c.max_items {
        facts.push(format!("Maximum items: {n}."));
    }
    if let Some(items) = &c.items {
        let each = constraint_facts(items);
        if !each.is_empty() {
            facts.push(format!("Each item: {}", each.join(" ")));
        }
    }
    facts
}
