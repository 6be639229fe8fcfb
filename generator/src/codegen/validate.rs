//! Validation code: `Validate` implementations for the types requests carry, the checks an
//! operation runs on its arguments, and the table of compiled patterns.
//!
//! The validation pass decided what to check; this module only writes it down. Checks bind the
//! checked value to `value` (a reference), its location to `path` and the findings to `out`.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::types::{Presence, field_presence};
use crate::ident;
use crate::ir::{
    Api, Constraints, FloatWidth, Operation, ParamLocation, Shape, Struct, TypeDef, Union,
};

/// `impl Validate` for a struct the validation pass marked.
pub(super) fn struct_impl(api: &Api, def: &TypeDef, s: &Struct) -> Option<TokenStream> {
    if !def.validated {
        return None;
    }
    let fields = s.fields.iter().filter(|f| !f.read_only).map(|field| {
        let (presence, shape) = field_presence(field, def.directions);
        let name = ident::ident(&field.name);
        member_checks(
            api,
            quote!(self.#name),
            presence,
            &field.wire,
            shape,
            &field.checks,
        )
    });
    let additional = s
        .additional
        .as_ref()
        .filter(|shape| api.needs_validation(shape))
        .map(|_| {
            let name = ident::ident(&s.additional_name);
            quote!(crate::runtime::Validate::validate(&self.#name, path, out);)
        });
    Some(validate_impl(&def.name, quote!(#(#fields)* #additional)))
}

/// `impl Validate` for a union the validation pass marked: each variant checks its value.
pub(super) fn union_impl(api: &Api, def: &TypeDef, u: &Union) -> Option<TokenStream> {
    if !def.validated {
        return None;
    }
    let variants: Vec<_> = u
        .variants
        .iter()
        .filter(|v| api.needs_validation(&v.shape))
        .map(|v| ident::ident(&v.name))
        .collect();
    let check = quote!(crate::runtime::Validate::validate(value, path, out));
    let body = match variants.as_slice() {
        [variant] => quote! {
            if let Self::#variant(value) = self {
                #check;
            }
        },
        _ => quote! {
            match self {
                #(Self::#variants(value) => #check,)*
                _ => {}
            }
        },
    };
    Some(validate_impl(&def.name, body))
}

/// `impl Validate` for an operation's parameter struct, if a parameter has something to check.
pub(super) fn params_impl(api: &Api, op: &Operation) -> Option<TokenStream> {
    let checks: Vec<TokenStream> = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .filter(|p| !p.checks.is_empty() || api.needs_validation(&p.shape))
        .map(|p| {
            let presence = if p.required {
                Presence::Required
            } else {
                Presence::Optional
            };
            let shape = match &p.shape {
                Shape::Nullable(inner) => inner,
                other => other,
            };
            let name = ident::ident(&p.name);
            member_checks(api, quote!(self.#name), presence, &p.wire, shape, &p.checks)
        })
        .collect();
    (!checks.is_empty()).then(|| validate_impl(&op.params_type, quote!(#(#checks)*)))
}

/// Whether the parameter struct of `op` implements `Validate`.
pub(super) fn params_validated(api: &Api, op: &Operation) -> bool {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .any(|p| !p.checks.is_empty() || api.needs_validation(&p.shape))
}

/// The statements of an operation method that check its path parameters, parameter struct and
/// body, recording what they find on `request`.
pub(super) fn operation_checks(api: &Api, op: &Operation) -> Vec<TokenStream> {
    let mut statements = Vec::new();
    for param in op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
    {
        if param.checks.is_empty() && !api.needs_validation(&param.shape) {
            continue;
        }
        let name = ident::ident(&param.name);
        let wire = &param.wire;
        let checks = value_checks(api, &param.shape, &param.checks, true);
        statements.push(quote! {
            {
                let out = request.violations();
                let path = runtime::Path::root(#wire);
                let value = &#name;
                #checks
            }
        });
    }
    if op.params_argument() && params_validated(api, op) {
        statements.push(quote!(request.validate(params, "params");));
    }
    if let Some(body) = op.body.as_ref().filter(|b| api.needs_validation(&b.shape)) {
        statements.push(if body.required {
            quote!(request.validate(body, "body");)
        } else {
            quote!(request.validate(&body, "body");)
        });
    }
    statements
}

fn validate_impl(type_name: &str, body: TokenStream) -> TokenStream {
    let name = ident::ident(type_name);
    quote! {
        impl crate::runtime::Validate for #name {
            fn validate(&self, path: &crate::runtime::Path<'_>, out: &mut crate::runtime::Violations) {
                #body
            }
        }
    }
}

/// The checks of one field or parameter (`member`, held as `presence` says), if any.
fn member_checks(
    api: &Api,
    member: TokenStream,
    presence: Presence,
    wire: &str,
    shape: &Shape,
    checks: &Constraints,
) -> TokenStream {
    if checks.is_empty() && !api.needs_validation(shape) {
        return TokenStream::new();
    }
    let body = value_checks(api, shape, checks, true);
    let bound = match presence {
        Presence::Required => quote! {
            let value = &#member;
            #body
        },
        Presence::RequiredNullable | Presence::Optional | Presence::RequiredWriteOnly => quote! {
            if let Some(value) = &#member {
                #body
            }
        },
        Presence::OptionalNullable => quote! {
            if let Some(Some(value)) = &#member {
                #body
            }
        },
    };
    quote! {
        {
            let path = path.field(#wire);
            #bound
        }
    }
}

/// Checks of `value` (a reference to a value of `shape`) at `path`: its constraints, then the
/// types inside it, unless `nested` is false (for array items: validating the array as a whole
/// already validates them).
fn value_checks(api: &Api, shape: &Shape, checks: &Constraints, nested: bool) -> TokenStream {
    let mut out = Vec::new();
    let number = match api.resolve_alias(shape) {
        Shape::Float(FloatWidth::F64) => quote!(*value),
        _ => quote!(*value as f64),
    };
    out.extend(bound_check(
        &number,
        checks.minimum,
        checks.exclusive_minimum,
        "at_least",
        "greater_than",
    ));
    out.extend(bound_check(
        &number,
        checks.maximum,
        checks.exclusive_maximum,
        "at_most",
        "less_than",
    ));
    for (limit, method) in [
        (checks.min_length, "min_length"),
        (checks.max_length, "max_length"),
    ] {
        if let Some(limit) = limit {
            let method = ident::ident(method);
            let limit = Literal::usize_unsuffixed(limit);
            out.push(quote!(out.#method(&path, value, #limit);));
        }
    }
    if let Some(pattern) = &checks.pattern
        && let Ok(index) = api.patterns.binary_search(pattern)
    {
        let index = Literal::usize_unsuffixed(index);
        out.push(quote!(out.pattern(&path, crate::patterns::is_match(#index, value), #pattern);));
    }
    for (limit, method) in [
        (checks.min_items, "min_items"),
        (checks.max_items, "max_items"),
    ] {
        if let Some(limit) = limit {
            let method = ident::ident(method);
            let limit = Literal::usize_unsuffixed(limit);
            out.push(quote!(out.#method(&path, value.len(), #limit);));
        }
    }
    if let (Some(items), Shape::Array(item)) = (&checks.items, api.resolve_alias(shape)) {
        let inner = value_checks(api, item, items, false);
        out.push(quote! {
            for (index, value) in value.iter().enumerate() {
                let path = path.index(index);
                #inner
            }
        });
    }
    if nested && api.needs_validation(shape) {
        out.push(quote!(crate::runtime::Validate::validate(value, &path, out);));
    }
    quote!(#(#out)*)
}

/// A `minimum` or `maximum` check. Bounds read from JSON are finite.
fn bound_check(
    number: &TokenStream,
    bound: Option<f64>,
    exclusive: bool,
    inclusive_method: &str,
    exclusive_method: &str,
) -> Option<TokenStream> {
    let bound = bound.filter(|b| b.is_finite())?;
    let method = ident::ident(if exclusive {
        exclusive_method
    } else {
        inclusive_method
    });
    let bound = Literal::f64_unsuffixed(bound);
    Some(quote!(out.#method(&path, #number, #bound);))
}

/// `src/patterns.rs`: the patterns requests check, compiled on first use.
pub(super) fn patterns_file(api: &Api) -> TokenStream {
    let count = Literal::usize_unsuffixed(api.patterns.len());
    let patterns = &api.patterns;
    quote! {
        //! The `pattern`s of the API description that requests are checked against, each compiled
        //! the first time it is needed. With only some groups' features on, the others' patterns
        //! (and possibly all of them) go unused.
        #![allow(dead_code)]

        use std::sync::OnceLock;

        const SOURCES: [&str; #count] = [#(#patterns),*];

        static COMPILED: [OnceLock<Option<regex::Regex>>; #count] = [const { OnceLock::new() }; #count];

        /// Whether `text` matches pattern `index`. A pattern that does not compile (the generator
        /// checked that each does) accepts everything rather than fail a request.
        pub(crate) fn is_match(index: usize, text: &str) -> bool {
            let compiled = COMPILED[index].get_or_init(|| {
                regex::RegexBuilder::new(SOURCES[index])
                    .size_limit(1 << 20)
                    .build()
                    .ok()
            });
            compiled.as_ref().is_none_or(|regex| regex.is_match(text))
        }
    }
}
