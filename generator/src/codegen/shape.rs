//! Rust types for IR shapes.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident;
use crate::ir::{Api, FloatWidth, IntWidth, Shape};
use crate::pointer::Pointer;

/// Where a type is named from: inside the `types` module, or from elsewhere in the crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scope {
    Types,
    Outside,
}

/// The Rust type of a shape.
pub(crate) fn rust_type(api: &Api, shape: &Shape, scope: Scope) -> TokenStream {
    match shape {
        Shape::Any => quote!(::serde_json::Value),
        Shape::Bool => quote!(bool),
        Shape::Int(IntWidth::I32) => quote!(i32),
        Shape::Int(IntWidth::I64) => quote!(i64),
        Shape::Float(FloatWidth::F32) => quote!(f32),
        Shape::Float(FloatWidth::F64) => quote!(f64),
        Shape::String => quote!(String),
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
    }
}

/// Whether a shape mentions a named type.
pub(crate) fn mentions_types(shape: &Shape) -> bool {
    mentions_types_other_than(shape, None)
}

/// Whether a shape mentions a named type other than `this` one.
pub(crate) fn mentions_types_other_than(shape: &Shape, this: Option<&Pointer>) -> bool {
    match shape {
        Shape::Ref(target) => Some(target) != this,
        Shape::Array(inner) | Shape::Map(inner) | Shape::Nullable(inner) | Shape::Boxed(inner) => {
            mentions_types_other_than(inner, this)
        }
        Shape::Any | Shape::Bool | Shape::Int(_) | Shape::Float(_) | Shape::String => false,
    }
}
