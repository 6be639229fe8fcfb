//! Rust types for IR shapes.

use proc_macro2::TokenStream;
use quote::quote;

use super::syntax;
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

/// `crate::runtime::name` or, from outside the crate, `api::runtime::name`.
fn runtime_type(scope: Scope, name: &str) -> syn::Type {
    let root = match scope {
        Scope::Types | Scope::Outside => "crate",
        Scope::External => "api",
    };
    syntax::path_type(syntax::path(
        [root, "runtime", name].map(syntax::word).to_vec(),
        Vec::new(),
    ))
}

/// The Rust type of a shape, as a syntax tree: the struct builder uses it as it is, and `quote!`
/// takes it as tokens.
pub(crate) fn rust_type(api: &Api, shape: &Shape, scope: Scope) -> syn::Type {
    match shape {
        Shape::Any => syntax::absolute(&["serde_json", "Value"], Vec::new()),
        Shape::Bool => syntax::named("bool"),
        Shape::Int(width) => syntax::named(match width {
            IntWidth::I8 => "i8",
            IntWidth::I16 => "i16",
            IntWidth::I32 => "i32",
            IntWidth::I64 => "i64",
            IntWidth::U8 => "u8",
            IntWidth::U16 => "u16",
            IntWidth::U32 => "u32",
            IntWidth::U64 => "u64",
        }),
        Shape::Float(FloatWidth::F32) => syntax::named("f32"),
        Shape::Float(FloatWidth::F64) => syntax::named("f64"),
        Shape::String => syntax::named("String"),
        Shape::DateTime => syntax::absolute(
            &["chrono", "DateTime"],
            vec![syntax::absolute(&["chrono", "FixedOffset"], Vec::new())],
        ),
        Shape::Date => syntax::absolute(&["chrono", "NaiveDate"], Vec::new()),
        Shape::Uuid => syntax::absolute(&["uuid", "Uuid"], Vec::new()),
        Shape::Base64 => runtime_type(scope, "Base64"),
        Shape::Binary => runtime_type(scope, "Binary"),
        // Checked to parse when the configuration was read.
        Shape::External(path) => syn::parse_str(path)
            .unwrap_or_else(|_| syntax::absolute(&["serde_json", "Value"], Vec::new())),
        Shape::Array(item) => syntax::generic("Vec", rust_type(api, item, scope)),
        Shape::Map(value) => syntax::absolute(
            &["std", "collections", "BTreeMap"],
            vec![syntax::named("String"), rust_type(api, value, scope)],
        ),
        Shape::Ref(target) => match api.types.get(target) {
            Some(def) => {
                let name = ident::ident(&def.name);
                let segments = match scope {
                    Scope::Types => vec![name],
                    Scope::Outside => vec![syntax::word("types"), name],
                    Scope::External => vec![syntax::word("api"), syntax::word("types"), name],
                };
                syntax::path_type(syntax::path(segments, Vec::new()))
            }
            // Lowering reports every dangling reference as an error, so codegen never sees one.
            None => syntax::absolute(&["serde_json", "Value"], Vec::new()),
        },
        Shape::Nullable(inner) => syntax::generic("Option", rust_type(api, inner, scope)),
        Shape::Boxed(inner) => syntax::generic("Box", rust_type(api, inner, scope)),
        Shape::Tuple(items) => syntax::tuple(
            items
                .iter()
                .map(|item| rust_type(api, item, scope))
                .collect(),
        ),
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
