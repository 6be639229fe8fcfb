//! Where an operation's error bodies say what went wrong: the fields of the error schema that
//! the `Display` of an API error shows (a code, a message, a request id), chosen by their wire
//! names, at the top level or inside an `error` object. Sensitive fields are never chosen.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ir::{Api, EnumRepr, Outcome, Shape, TypeKind};

/// The roles, each with the wire names that fill it, best first. Names are compared without
/// case, `_` or `-`.
const ROLES: [(&str, &[&str]); 3] = [
    (
        "code",
        &[
            "error_type",
            "error_code",
            "code",
            "type",
            "error",
            "reason",
        ],
    ),
    (
        "message",
        &[
            "error_message",
            "message",
            "detail",
            "error_description",
            "title",
            "description",
            "msg",
        ],
    ),
    (
        "request id",
        &["request_id", "trace_id", "correlation_id", "error_id"],
    ),
];

/// At most this many `(role, pointer)` pairs per operation.
const MOST: usize = 6;

/// `request.error_summary(&[(role, pointer), ...]);` for `outcome`, if its schemas have any of
/// the roles.
pub(super) fn statement(api: &Api, outcome: &Outcome) -> Option<TokenStream> {
    let pairs = pairs(api, outcome);
    if pairs.is_empty() {
        return None;
    }
    let pairs = pairs
        .iter()
        .map(|(role, pointer)| quote!((#role, #pointer)));
    Some(quote!(request.error_summary(&[#(#pairs),*]);))
}

/// The Rust name of the top-level field of the error body that says what went wrong (its
/// message, else its code), for an example that matches a typed error.
pub(super) fn telling_field<'a>(api: &'a Api, outcome: &Outcome) -> Option<&'a str> {
    let Outcome::Single {
        content: crate::ir::Content::Json(shape),
        optional: false,
    } = outcome
    else {
        return None;
    };
    let fields = struct_fields(api, shape)?;
    let [code, message, _] = &ROLES;
    let wire = pick(api, fields, message.1).or_else(|| pick(api, fields, code.1))?;
    fields
        .iter()
        .find(|f| f.wire == wire)
        .map(|f| f.name.as_str())
}

/// The `(role, pointer)` pairs of every JSON schema the outcome decodes, without repeats.
fn pairs(api: &Api, outcome: &Outcome) -> Vec<(&'static str, String)> {
    let shapes = outcome.json_shapes();
    let mut out: Vec<(&'static str, String)> = Vec::new();
    for shape in shapes {
        for pair in schema_pairs(api, shape) {
            if !out.contains(&pair) && out.len() < MOST {
                out.push(pair);
            }
        }
    }
    out
}

/// The pairs of one schema: each role from its own fields, else from an `error` object's.
fn schema_pairs(api: &Api, shape: &Shape) -> Vec<(&'static str, String)> {
    let Some(fields) = struct_fields(api, shape) else {
        return Vec::new();
    };
    let nested = fields
        .iter()
        .find(|f| normalized(&f.wire) == "error" && !f.sensitive)
        .and_then(|f| Some((pointer_piece(&f.wire), struct_fields(api, &f.shape)?)));
    ROLES
        .iter()
        .filter_map(|(role, names)| {
            let own = pick(api, fields, names).map(|wire| format!("/{}", pointer_piece(wire)));
            let inner = || {
                let (prefix, inner) = nested.as_ref()?;
                let wire = pick(api, inner, names)?;
                Some(format!("/{prefix}/{}", pointer_piece(wire)))
            };
            Some((*role, own.or_else(inner)?))
        })
        .collect()
}

/// The wire name of the best field for a role: the first name of `names` that a field of a
/// shown kind (text, a number, a string enum) has, sensitive fields left out.
fn pick<'f>(api: &Api, fields: &'f [crate::ir::Field], names: &[&str]) -> Option<&'f str> {
    names.iter().find_map(|name| {
        let wanted = normalized(name);
        fields
            .iter()
            .find(|f| !f.sensitive && normalized(&f.wire) == wanted && shown(api, &f.shape))
            .map(|f| f.wire.as_str())
    })
}

/// The fields of the struct a shape is (through references, boxes and nulls).
fn struct_fields<'a>(api: &'a Api, shape: &Shape) -> Option<&'a [crate::ir::Field]> {
    match shape {
        Shape::Ref(target) => match &api.types.get(target)?.kind {
            TypeKind::Struct(s) => Some(&s.fields),
            TypeKind::Alias(inner) => struct_fields(api, inner),
            _ => None,
        },
        Shape::Nullable(inner) | Shape::Boxed(inner) => struct_fields(api, inner),
        _ => None,
    }
}

/// Whether a value of the shape prints as one short piece of text.
fn shown(api: &Api, shape: &Shape) -> bool {
    match shape {
        Shape::String | Shape::Int(_) | Shape::Uuid => true,
        Shape::Nullable(inner) | Shape::Boxed(inner) => shown(api, inner),
        Shape::Ref(target) => match api.types.get(target).map(|d| &d.kind) {
            Some(TypeKind::Enum(e)) => e.repr != EnumRepr::Mixed,
            Some(TypeKind::Alias(inner)) => shown(api, inner),
            _ => false,
        },
        _ => false,
    }
}

fn normalized(name: &str) -> String {
    name.chars()
        .filter(|c| *c != '_' && *c != '-')
        .flat_map(char::to_lowercase)
        .collect()
}

/// A wire name as one JSON pointer segment.
fn pointer_piece(wire: &str) -> String {
    wire.replace('~', "~0").replace('/', "~1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_compare_without_case_or_separators() {
        assert_eq!(normalized("Error-Message"), "errormessage");
        assert_eq!(normalized("requestId"), "requestid");
        assert_eq!(pointer_piece("a/b~c"), "a~1b~0c");
    }
}
