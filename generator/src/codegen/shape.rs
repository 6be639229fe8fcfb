//! Rust types for IR shapes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident;
use crate::ir::{Api, FloatWidth, IntWidth, Shape};
use std::collections::BTreeSet;

use crate::pointer::Pointer;

/// Where a type is named from: inside the `types` module, from elsewhere in the crate, or from
/// outside the crate (which is then imported as `api`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Types,
    Outside,
    External,
}

fn runtime_path(scope: Scope) -> TokenStream {
    match scope {
        Scope::Types | Scope::Outside => quote!(crate::runtime),
        Scope::External => quote!(api::runtime),
    }
}

/// The Rust type of a shape.
pub(crate) fn rust_type(api: &Api, shape: &Shape, scope: Scope) -> TokenStream {
    match shape {
        Shape::Any => quote!(::serde_json::Value),
        Shape::Bool => quote!(bool),
        Shape::Int(width) => match width {
            IntWidth::I8 => quote!(i8),
            IntWidth::I16 => quote!(i16),
            IntWidth::I32 => quote!(i32),
            IntWidth::I64 => quote!(i64),
            IntWidth::U8 => quote!(u8),
            IntWidth::U16 => quote!(u16),
            IntWidth::U32 => quote!(u32),
            IntWidth::U64 => quote!(u64),
        },
        Shape::Float(FloatWidth::F32) => quote!(f32),
        Shape::Float(FloatWidth::F64) => quote!(f64),
        Shape::String => quote!(String),
        Shape::DateTime => quote!(::chrono::DateTime<::chrono::FixedOffset>),
        Shape::Date => quote!(::chrono::NaiveDate),
        Shape::Uuid => quote!(::uuid::Uuid),
        Shape::Base64 => {
            let runtime = runtime_path(scope);
            quote!(#runtime::Base64)
        }
        Shape::Binary => {
            let runtime = runtime_path(scope);
            quote!(#runtime::Binary)
        }
        Shape::Array(item) => {
            let item = rust_type(api, item, scope);
            quote!(Vec<#item>)
        }
        Shape::Map(value) => {
            let value = rust_type(api, value, scope);
            quote!(::std::collections::BTreeMap<String, #value>)
        }
        Shape::Ref(target) => match api.types.get(target) {
            Some(def) => {
                let name = ident::ident(&def.name);
                match scope {
                    Scope::Types => quote!(#name),
                    Scope::Outside => quote!(types::#name),
                    Scope::External => quote!(api::types::#name),
                }
            }
            // Lowering reports every dangling reference as an error, so codegen never sees one.
            None => quote!(::serde_json::Value),
        },
        Shape::Nullable(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(Option<#inner>)
        }
        Shape::Boxed(inner) => {
            let inner = rust_type(api, inner, scope);
            quote!(Box<#inner>)
        }
        Shape::Tuple(items) => {
            let items = items.iter().map(|item| rust_type(api, item, scope));
            quote!((#(#items,)*))
        }
    }
}

/// Whether a shape mentions a named type.
pub(crate) fn mentions_types(shape: &Shape) -> bool {
    shape.mentions(|_| true)
}

/// `use super::{...};` naming the types that `shapes` mention (other than `this`), for a file of
/// the `types` module; nothing if there are none. Explicit imports, not a glob: with thousands of
/// types, a glob in every module makes name resolution quadratic.
pub(crate) fn type_imports<'s>(
    api: &Api,
    shapes: impl IntoIterator<Item = &'s Shape>,
    this: Option<&Pointer>,
) -> TokenStream {
    let mut names = BTreeSet::new();
    for shape in shapes {
        shape.any(&mut |shape| {
            if let Shape::Ref(target) = shape
                && Some(target) != this
                && let Some(def) = api.types.get(target)
            {
                names.insert(def.name.clone());
            }
            false
        });
    }
    if names.is_empty() {
        return TokenStream::new();
    }
    let names = names.iter().map(|n| ident::ident(n));
    quote!(use super::{#(#names),*};)
}
