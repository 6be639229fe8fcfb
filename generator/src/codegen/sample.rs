//! Example calls for documentation: a call of an operation with arguments built from fixed
//! literals and the generated constructors. Nothing from the spec's text reaches an example; only
//! Rust names chosen by the identifier policy and numbers (bounds) do.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::types::{Presence, field_presence};
use crate::ident;
use crate::ir::{
    Api, BodyKind, Constraints, Content, FloatWidth, IntWidth, Operation, Outcome, ParamLocation,
    Shape, TypeKind,
};

/// How deep constructors may nest in one example.
const MAX_DEPTH: usize = 8;

/// The statements of an example that calls `op` on `client` and reads the response, with
/// `types` in scope; `None` if an argument cannot be built (a required value of a recursive
/// type, say).
pub(super) fn operation_call(api: &Api, op: &Operation) -> Option<TokenStream> {
    let Arguments { setup, args } = arguments(api, op)?;
    let method = super::method_call(api, op, &op.method_name);
    let read = read_response(api, op);
    Some(quote! {
        #setup
        let response = #method(#args).await?;
        #read
    })
}

/// A statement that reads what a successful response holds: a field of its body (the first
/// required one that is not sensitive), the length of a list, or else the status.
pub(super) fn read_response(api: &Api, op: &Operation) -> TokenStream {
    match readable(api, &op.success) {
        Some(Readable::Field(name)) => quote!(println!("{:?}", response.#name);),
        Some(Readable::List) => quote!(println!("{} items", response.len());),
        None => quote!(println!("{}", response.status());),
    }
}

/// What an example can read of a decoded body.
pub(super) enum Readable {
    /// A field of a struct: the first required one that is not sensitive, or the first such.
    Field(proc_macro2::Ident),
    /// A list, whose length it prints.
    List,
}

/// What an example can read of the body `outcome` decodes into, if it is always there.
pub(super) fn readable(api: &Api, outcome: &Outcome) -> Option<Readable> {
    let Outcome::Single {
        content: Content::Json(shape),
        optional: false,
    } = outcome
    else {
        return None;
    };
    match api.resolve_alias(shape) {
        Shape::Array(_) => Some(Readable::List),
        Shape::Ref(target) => {
            let TypeKind::Struct(s) = &api.types.get(target)?.kind else {
                return None;
            };
            let shown = |f: &&crate::ir::Field| !f.sensitive && !f.write_only;
            let field = (s.fields.iter().filter(shown).find(|f| f.required))
                .or_else(|| s.fields.iter().find(shown))?;
            Some(Readable::Field(ident::ident(&field.name)))
        }
        _ => None,
    }
}

/// The arguments of an example call, and the statements that build them.
pub(super) struct Arguments {
    /// `let params = ...; let body = ...;`
    pub(super) setup: TokenStream,
    /// The argument list, without parentheses.
    pub(super) args: TokenStream,
}

/// Example arguments for `op`; `None` if one cannot be built.
pub(super) fn arguments(api: &Api, op: &Operation) -> Option<Arguments> {
    let mut statements = Vec::new();
    let mut args = Vec::new();
    for param in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        args.push(path_argument(api, &param.shape, &param.constraints)?);
    }
    if op.params_argument() {
        let ty = ident::ident(&op.params_type);
        let required: Vec<TokenStream> = op
            .params
            .iter()
            .filter(|p| p.location != ParamLocation::Path && p.required)
            .map(|p| argument(api, strip_nullable(&p.shape), &p.constraints, 0))
            .collect::<Option<_>>()?;
        statements.push(quote!(let params = types::#ty::new(#(#required),*);));
        args.push(quote!(&params));
    }
    if let Some(body) = &op.body {
        let built = match body.kind {
            BodyKind::Text => quote!("text"),
            BodyKind::Binary => quote!(&runtime::Binary::from(b"bytes".to_vec())),
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
                let built = value(api, &body.shape, &Constraints::default(), 0)?;
                statements.push(quote!(let body = #built;));
                quote!(&body)
            }
        };
        args.push(if body.required {
            built
        } else {
            quote!(Some(#built))
        });
    }
    Some(Arguments {
        setup: quote!(#(#statements)*),
        args: quote!(#(#args),*),
    })
}

/// A path argument: strings and lists by reference, numbers and booleans by value.
fn path_argument(api: &Api, shape: &Shape, constraints: &Constraints) -> Option<TokenStream> {
    match api.resolve_alias(shape) {
        Shape::String => {
            let text = text(constraints);
            Some(quote!(#text))
        }
        Shape::Array(_) => Some(quote!(&[])),
        scalar @ (Shape::Bool | Shape::Int(_) | Shape::Float(_)) => {
            value(api, scalar, constraints, 0)
        }
        _ => {
            let built = value(api, shape, constraints, 0)?;
            Some(quote!(&#built))
        }
    }
}

/// An argument of type `impl Into<T>` for a value of `shape`: a string literal for a string.
fn argument(
    api: &Api,
    shape: &Shape,
    constraints: &Constraints,
    depth: usize,
) -> Option<TokenStream> {
    match api.resolve_alias(shape) {
        Shape::String => {
            let text = text(constraints);
            Some(quote!(#text))
        }
        _ => value(api, shape, constraints, depth),
    }
}

/// Example text that fits a string's format, pattern and lengths when one of a fixed set of
/// candidates does (spec text never becomes an example).
fn text(c: &Constraints) -> String {
    let by_format = match c.format.as_deref().unwrap_or("") {
        "email" | "idn-email" => "user@example.com",
        "uri" | "url" | "iri" | "uri-reference" => "https://example.com/",
        "hostname" | "idn-hostname" => "example.com",
        "ipv4" | "ip" => "192.0.2.1",
        "ipv6" => "2001:db8::1",
        "date-time" => "2024-01-01T00:00:00Z",
        "date" => "2024-01-01",
        "time" => "00:00:00Z",
        "uuid" => "00000000-0000-0000-0000-000000000000",
        "byte" => "ZXhhbXBsZQ==",
        _ => "example",
    };
    let fits_length = |t: &str| {
        let n = t.chars().count();
        c.min_length.is_none_or(|min| n >= min) && c.max_length.is_none_or(|max| n <= max)
    };
    let pattern = c
        .pattern
        .as_deref()
        .filter(|_| !c.pattern_unsupported)
        .and_then(|p| regex::Regex::new(p).ok());
    let fits = |t: &str| fits_length(t) && pattern.as_ref().is_none_or(|p| p.is_match(t));
    let candidates = [
        by_format,
        "example",
        "a",
        "A",
        "0",
        "1",
        "abc",
        "ABC",
        "a1",
        "example-1",
        "A1",
        "2024-01-01",
        "user@example.com",
        "https://example.com/",
        "192.0.2.1",
        "192.0.2.0/24",
        "2001:db8::1",
        "2001:db8::/32",
        "1.0.0",
        "example.com",
    ];
    if let Some(found) = candidates.iter().find(|t| fits(t)) {
        return (*found).to_owned();
    }
    // Lengths alone: pad or cut the format's text.
    let min = c.min_length.unwrap_or(0);
    let max = c.max_length.unwrap_or(usize::MAX).max(min);
    let mut text: String = by_format.chars().take(max).collect();
    while text.chars().count() < min.min(1024) {
        text.push('a');
    }
    text
}

/// The most tokens one example value may have.
const MAX_TOKENS: usize = 4096;

/// How many tokens a stream holds, groups included.
fn token_count(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|tree| match tree {
            proc_macro2::TokenTree::Group(group) => 1 + token_count(&group.stream()),
            _ => 1,
        })
        .sum()
}

/// An expression of the Rust type of `shape`.
fn value(api: &Api, shape: &Shape, constraints: &Constraints, depth: usize) -> Option<TokenStream> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match shape {
        Shape::Any => quote!(serde_json::Value::Object(serde_json::Map::new())),
        Shape::Bool => quote!(false),
        Shape::Int(width) => integer(*width, constraints),
        Shape::Float(width) => float(*width, constraints),
        Shape::String => {
            let text = text(constraints);
            quote!(#text.to_owned())
        }
        Shape::DateTime => quote!(chrono::DateTime::<chrono::FixedOffset>::default()),
        Shape::Date => quote!(chrono::NaiveDate::default()),
        Shape::Uuid => quote!(uuid::Uuid::nil()),
        // A user's type: nothing is known of how to make one.
        Shape::External(_) => return None,
        Shape::Base64 => quote!(runtime::Base64::from(b"bytes".to_vec())),
        Shape::Binary => quote!(runtime::Binary::from(b"bytes".to_vec())),
        Shape::Array(item) => match constraints.min_items {
            Some(min) if min > 0 => {
                let items = constraints.items.as_deref().cloned().unwrap_or_default();
                let item = value(api, item, &items, depth + 1)?;
                let count = min.min(16);
                // Nested lists with minimums multiply: no example rather than a huge one.
                if count.saturating_mul(token_count(&item)) > MAX_TOKENS {
                    return None;
                }
                let items = std::iter::repeat_n(item, count);
                quote!(vec![#(#items),*])
            }
            _ => quote!(Vec::new()),
        },
        Shape::Map(inner) => match value(api, inner, &Constraints::default(), depth + 1) {
            Some(inner) => quote!(std::collections::BTreeMap::from([("key".to_owned(), #inner)])),
            None => quote!(std::collections::BTreeMap::new()),
        },
        Shape::Nullable(_) => quote!(None),
        Shape::Boxed(inner) => {
            let inner = value(api, inner, constraints, depth)?;
            quote!(Box::new(#inner))
        }
        Shape::Tuple(items) => {
            let none = Constraints::default();
            let items = items
                .iter()
                .map(|item| value(api, item, &none, depth + 1))
                .collect::<Option<Vec<_>>>()?;
            quote!((#(#items,)*))
        }
        Shape::Ref(target) => {
            let def = api.types.get(target)?;
            let name = ident::ident(&def.name);
            match &def.kind {
                TypeKind::Struct(s) => {
                    let args: Vec<TokenStream> = s
                        .fields
                        .iter()
                        .filter_map(|f| constructor_argument(api, f, def.directions, depth))
                        .collect::<Option<_>>()?;
                    quote!(types::#name::new(#(#args),*))
                }
                TypeKind::Enum(e) => {
                    let variant = ident::ident(&e.variants.first()?.name);
                    quote!(types::#name::#variant)
                }
                TypeKind::Union(u) => {
                    let variant = u.variants.first()?;
                    let inner = value(api, &variant.shape, constraints, depth + 1)?;
                    let variant = ident::ident(&variant.name);
                    quote!(types::#name::#variant(#inner))
                }
                TypeKind::Alias(inner) => {
                    let own = if constraints.is_empty() {
                        &def.constraints
                    } else {
                        constraints
                    };
                    value(api, inner, own, depth + 1)?
                }
            }
        }
    })
}

/// The constructor argument for a field, if the constructor takes one: `Some(None)` when it
/// cannot be built.
fn constructor_argument(
    api: &Api,
    field: &crate::ir::Field,
    owner: crate::ir::Directions,
    depth: usize,
) -> Option<Option<TokenStream>> {
    let (presence, shape) = field_presence(field, owner);
    if super::types::filled_in(api, field, owner).is_some() {
        return None;
    }
    match presence {
        Presence::Required | Presence::RequiredWriteOnly => {
            Some(argument(api, shape, &field.constraints, depth + 1))
        }
        Presence::RequiredNullable => Some(Some(quote!(None))),
        Presence::Optional | Presence::OptionalNullable => None,
    }
}

/// An integer literal of the field's width, within its bounds when they say so.
fn integer(width: IntWidth, c: &Constraints) -> TokenStream {
    let mut n: i128 = 0;
    if let Some(min) = c.minimum.filter(|m| m.is_finite()) {
        n = min.ceil() as i128 + i128::from(c.exclusive_minimum && min.fract() == 0.0);
    } else if let Some(max) = c.maximum.filter(|m| m.is_finite() && *m < 0.0) {
        n = max.floor() as i128;
    }
    let (low, high) = match width {
        IntWidth::I8 => (i8::MIN.into(), i8::MAX.into()),
        IntWidth::I16 => (i16::MIN.into(), i16::MAX.into()),
        IntWidth::I32 => (i32::MIN.into(), i32::MAX.into()),
        IntWidth::I64 => (i64::MIN.into(), i64::MAX.into()),
        IntWidth::U8 => (0, u8::MAX.into()),
        IntWidth::U16 => (0, u16::MAX.into()),
        IntWidth::U32 => (0, u32::MAX.into()),
        IntWidth::U64 => (0, u64::MAX.into()),
    };
    let n = n.clamp(low, high);
    match width {
        IntWidth::I8 => Literal::i8_suffixed(n as i8),
        IntWidth::I16 => Literal::i16_suffixed(n as i16),
        IntWidth::I32 => Literal::i32_suffixed(n as i32),
        IntWidth::I64 => Literal::i64_suffixed(n as i64),
        IntWidth::U8 => Literal::u8_suffixed(n as u8),
        IntWidth::U16 => Literal::u16_suffixed(n as u16),
        IntWidth::U32 => Literal::u32_suffixed(n as u32),
        IntWidth::U64 => Literal::u64_suffixed(n as u64),
    }
    .into_token_stream()
}

/// A float literal of the field's width, at its minimum when it has one.
fn float(width: FloatWidth, c: &Constraints) -> TokenStream {
    let n = c
        .minimum
        .filter(|m| m.is_finite() && !c.exclusive_minimum)
        .unwrap_or(0.0);
    match width {
        FloatWidth::F32 => Literal::f32_suffixed(n as f32),
        FloatWidth::F64 => Literal::f64_suffixed(n),
    }
    .into_token_stream()
}

fn strip_nullable(shape: &Shape) -> &Shape {
    match shape {
        Shape::Nullable(inner) => inner,
        other => other,
    }
}
