//! Enums: closed lists of values that keep unknown ones (string, integer or mixed), and unions
//! of alternatives (`oneOf`, `anyOf`) that keep values matching none.

use proc_macro2::{Ident, Literal, TokenStream};
use quote::{ToTokens, quote};

use super::shape::{Scope, rust_type};
use super::type_docs::item_doc;
use super::{Fragment, docs, syntax};
use crate::ident;
use crate::ir::{Api, Enum, EnumRepr, EnumValue, Shape, TypeDef, Union};

/// An enum of values, built as a syntax tree (a large spec has thousands, some with thousands of
/// values), then its conversions.
pub(crate) fn enum_item(api: &Api, def: &TypeDef, e: &Enum) -> Vec<Fragment> {
    let (payload, derives) = match e.repr {
        // Comparisons are the runtime's `string_enum!`, on the wire value.
        EnumRepr::String => (syntax::named("String"), quote!(Clone, Debug)),
        EnumRepr::Integer => (
            syntax::named("i64"),
            quote!(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord),
        ),
        EnumRepr::Mixed => (
            syntax::absolute(&["serde_json", "Value"], Vec::new()),
            quote!(Clone, Debug, PartialEq),
        ),
    };
    let mut attrs = docs::attr_trees(&item_doc(api, def));
    attrs.push(syntax::list_attr("derive", derives));
    attrs.push(syntax::word_attr("non_exhaustive"));
    attrs.extend(super::custom_attrs(def));
    let name = ident::ident(&def.name);
    let mut items = vec![syntax::enum_item(attrs, name, variants(e, payload))];
    let conversions = match e.repr {
        EnumRepr::String => {
            items.push(string_enum_methods(def, e));
            string_enum_impls(def, e)
        }
        EnumRepr::Integer => integer_enum_impls(def, e),
        EnumRepr::Mixed => mixed_enum_impls(def, e),
    };
    vec![Fragment::Items(items), Fragment::Tokens(conversions)]
}

/// A variant per known value, then the one that keeps unknown values in a `payload`.
fn variants(e: &Enum, payload: syn::Type) -> Vec<syn::Variant> {
    let mut variants: Vec<syn::Variant> = e
        .variants
        .iter()
        .map(|v| {
            let text = v.value.text();
            let doc = if text.is_empty() {
                docs::attr_trees(&["The empty string."])
            } else {
                docs::attr_trees(&[format!("`{text}`")])
            };
            syntax::variant(doc, ident::ident(&v.name), None)
        })
        .collect();
    let other_doc = syntax::doc_attrs([
        " A value that was not known when this crate was generated.",
        "",
        " Build values with `From` rather than with this variant, so that known values",
        " get their own variant.",
    ]);
    variants.push(syntax::variant(
        other_doc,
        ident::ident(&e.other_name),
        Some(payload),
    ));
    variants
}

/// `as_str` and `known`: the wire value of each variant, and back.
fn string_enum_methods(def: &TypeDef, e: &Enum) -> syn::Item {
    let other = ident::ident(&e.other_name);
    let value = || syntax::word("value");
    let mut to_text: Vec<(syn::Pat, syn::Expr)> = Vec::with_capacity(e.variants.len() + 1);
    let mut from_text: Vec<(syn::Pat, syn::Expr)> = Vec::with_capacity(e.variants.len() + 1);
    for v in &e.variants {
        let variant = || syntax::self_variant(ident::ident(&v.name));
        let text = syntax::string(&v.value.text());
        to_text.push((syntax::pat_path(variant()), syn::Expr::Lit(text.clone())));
        from_text.push((
            syn::Pat::Lit(text),
            syntax::call("Some", syntax::path_value(variant())),
        ));
    }
    to_text.push((
        syntax::pat_tuple_struct(syntax::self_variant(other), value()),
        syntax::variable("value"),
    ));
    from_text.push((syntax::pat_wild(), syntax::variable("None")));
    let as_str = syntax::function(
        syntax::doc_attrs([" The value as it is sent on the wire."]),
        true,
        syntax::word("as_str"),
        vec![syntax::ref_self()],
        syntax::reference(syntax::named("str")),
        vec![syntax::match_stmt(syntax::variable("self"), to_text)],
    );
    let known = syntax::function(
        Vec::new(),
        false,
        syntax::word("known"),
        vec![syntax::argument(
            value(),
            syntax::reference(syntax::named("str")),
        )],
        syntax::generic("Option", syntax::named("Self")),
        vec![syntax::match_stmt(syntax::variable("value"), from_text)],
    );
    syntax::inherent_impl(ident::ident(&def.name), vec![as_str, known])
}

fn string_enum_impls(def: &TypeDef, e: &Enum) -> TokenStream {
    let (serialize_cfg, deserialize_cfg) = super::serde_cfgs(def.directions);
    let name = ident::ident(&def.name);
    let other = ident::ident(&e.other_name);
    quote! {
        crate::runtime::string_enum!(#name, #other);
        #serialize_cfg
        crate::runtime::string_enum_serialize!(#name);
        #deserialize_cfg
        crate::runtime::string_enum_deserialize!(#name);
    }
}

fn integer_enum_impls(def: &TypeDef, e: &Enum) -> TokenStream {
    let (serialize_cfg, deserialize_cfg) = super::serde_cfgs(def.directions);
    let name = ident::ident(&def.name);
    let other = ident::ident(&e.other_name);
    let (variants, values): (Vec<_>, Vec<_>) = e
        .variants
        .iter()
        .map(|v| {
            let value = match v.value {
                EnumValue::Integer(i) => i,
                EnumValue::String(_) => 0,
            };
            (
                ident::ident(&v.name),
                proc_macro2::Literal::i64_unsuffixed(value),
            )
        })
        .unzip();
    quote! {
        impl #name {
            /// The value as it is sent on the wire.
            pub fn value(&self) -> i64 {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#other(value) => *value,
                }
            }
        }

        impl From<i64> for #name {
            fn from(value: i64) -> Self {
                match value {
                    #(#values => Self::#variants,)*
                    other => Self::#other(other),
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.value(), f)
            }
        }

        #serialize_cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_i64(self.value())
            }
        }

        #deserialize_cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <i64 as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

fn mixed_enum_impls(def: &TypeDef, e: &Enum) -> TokenStream {
    let (serialize_cfg, deserialize_cfg) = super::serde_cfgs(def.directions);
    let name = ident::ident(&def.name);
    let other = ident::ident(&e.other_name);
    let variants: Vec<_> = e.variants.iter().map(|v| ident::ident(&v.name)).collect();
    let (values, patterns): (Vec<_>, Vec<_>) = e
        .variants
        .iter()
        .map(|v| match &v.value {
            EnumValue::String(s) => (
                quote!(::serde_json::Value::from(#s)),
                quote!(::serde_json::Value::String(text) if text == #s),
            ),
            EnumValue::Integer(i) => {
                let i = Literal::i64_suffixed(*i);
                (
                    quote!(::serde_json::Value::from(#i)),
                    quote!(::serde_json::Value::Number(number) if number.as_i64() == Some(#i)),
                )
            }
        })
        .unzip();
    quote! {
        impl #name {
            /// The value as it is sent on the wire.
            pub fn value(&self) -> ::serde_json::Value {
                match self {
                    #(Self::#variants => #values,)*
                    Self::#other(value) => value.clone(),
                }
            }

            fn known(value: &::serde_json::Value) -> Option<Self> {
                match value {
                    #(#patterns => Some(Self::#variants),)*
                    _ => None,
                }
            }
        }

        impl From<::serde_json::Value> for #name {
            fn from(value: ::serde_json::Value) -> Self {
                Self::known(&value).unwrap_or(Self::#other(value))
            }
        }

        #serialize_cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                ::serde::Serialize::serialize(&self.value(), serializer)
            }
        }

        #deserialize_cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}

/// A union: a variant per alternative and one for values that match none. Without a
/// discriminator, decoding tries the alternatives in the order the spec lists them and keeps
/// the first that decodes.
pub(crate) fn union_item(api: &Api, def: &TypeDef, u: &Union) -> TokenStream {
    let (serialize_cfg, deserialize_cfg) = super::serde_cfgs(def.directions);
    let name = ident::ident(&def.name);
    let mut paragraphs = item_doc(api, def);
    paragraphs.push(match &u.discriminator {
        Some(property) => format!("The variant is chosen by the `{property}` property."),
        None => "Decoding tries the variants in order and keeps the first that matches.".to_owned(),
    });
    let doc = docs::attrs(&paragraphs);
    let other = ident::ident(&u.other_name);
    let names: Vec<_> = u.variants.iter().map(|v| ident::ident(&v.name)).collect();
    let variants = u.variants.iter().zip(&names).map(|(v, variant)| {
        let ty = rust_type(api, &v.shape, Scope::Types);
        let doc = if v.tags.is_empty() {
            docs::attrs(&[format!("The `{}` alternative.", v.name)])
        } else {
            let tags: Vec<String> = v.tags.iter().map(|t| format!("`{t}`")).collect();
            docs::attrs(&[format!(
                "Chosen when the discriminator is {}.",
                tags.join(" or ")
            )])
        };
        quote!(#doc #variant(#ty),)
    });
    let (serialize, deserialize) = match &u.discriminator {
        Some(property) => tagged_union_bodies(u, &names, &other, property),
        None => untagged_union_bodies(&names, &other),
    };
    let conversions = union_conversions(api, &name, u, &names);
    let custom = super::custom_attrs(def);
    quote! {
        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        #(#custom)*
        pub enum #name {
            #(#variants)*
            /// A value that matches none of the variants, kept as JSON.
            #other(::serde_json::Value),
        }

        #serialize_cfg
        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                #serialize
            }
        }

        #deserialize_cfg
        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <::serde_json::Value as ::serde::Deserialize>::deserialize(deserializer)?;
                #deserialize
            }
        }

        #conversions
    }
}

/// `From` each variant's type whose type no other variant has (`Model::from(value)`), and from
/// `&str` for a text variant, so `"gpt-4o".into()` makes one. Types are compared through
/// aliases, which name the same Rust type; variants that are lists, maps, tuples or boxes get
/// none.
fn union_conversions(api: &Api, name: &Ident, u: &Union, names: &[Ident]) -> TokenStream {
    let types: Vec<syn::Type> = u
        .variants
        .iter()
        .map(|v| rust_type(api, &v.shape, Scope::Types))
        .collect();
    let texts: Vec<String> = u
        .variants
        .iter()
        .map(|v| {
            rust_type(api, through_aliases(api, &v.shape), Scope::Types)
                .to_token_stream()
                .to_string()
        })
        .collect();
    // Containers are left out: their element types may be aliases of one another.
    let plain = |i: usize| {
        !matches!(
            through_aliases(api, &u.variants[i].shape),
            Shape::Array(_)
                | Shape::Map(_)
                | Shape::Tuple(_)
                | Shape::Nullable(_)
                | Shape::Boxed(_)
        )
    };
    let unique = |i: usize| plain(i) && texts.iter().filter(|t| **t == texts[i]).count() == 1;
    let mut out = TokenStream::new();
    for (i, (ty, variant)) in types.iter().zip(names).enumerate() {
        if !unique(i) {
            continue;
        }
        out.extend(quote! {
            impl From<#ty> for #name {
                fn from(value: #ty) -> Self {
                    Self::#variant(value)
                }
            }
        });
        if *through_aliases(api, &u.variants[i].shape) == Shape::String {
            out.extend(quote! {
                impl From<&str> for #name {
                    fn from(value: &str) -> Self {
                        Self::#variant(value.to_owned())
                    }
                }
            });
        }
    }
    out
}

/// The shape an alias stands for, through any number of aliases.
fn through_aliases<'a>(api: &'a Api, shape: &'a Shape) -> &'a Shape {
    let mut shape = shape;
    for _ in 0..api.types.len() {
        match shape {
            Shape::Ref(target) => match api.types.get(target).map(|d| &d.kind) {
                Some(crate::ir::TypeKind::Alias(inner)) => shape = inner,
                _ => break,
            },
            _ => break,
        }
    }
    shape
}

fn untagged_union_bodies(names: &[Ident], other: &Ident) -> (TokenStream, TokenStream) {
    let serialize = quote! {
        match self {
            #(Self::#names(value) => ::serde::Serialize::serialize(value, serializer),)*
            Self::#other(value) => ::serde::Serialize::serialize(value, serializer),
        }
    };
    let deserialize = quote! {
        #(if let Some(decoded) = crate::runtime::try_decode(&value) {
            return Ok(Self::#names(decoded));
        })*
        Ok(Self::#other(value))
    };
    (serialize, deserialize)
}

fn tagged_union_bodies(
    u: &Union,
    names: &[Ident],
    other: &Ident,
    property: &str,
) -> (TokenStream, TokenStream) {
    let first_tags = u
        .variants
        .iter()
        .map(|v| v.tags.first().cloned().unwrap_or_default());
    let serialize = quote! {
        match self {
            #(Self::#names(value) => crate::runtime::serialize_tagged(value, #property, #first_tags, serializer),)*
            Self::#other(value) => ::serde::Serialize::serialize(value, serializer),
        }
    };
    let arms = u.variants.iter().zip(names).map(|(v, variant)| {
        let tags = &v.tags;
        quote! {
            Some(#(#tags)|*) => crate::runtime::decode_variant(&value)
                .map(Self::#variant)
                .map_err(::serde::de::Error::custom),
        }
    });
    let deserialize = quote! {
        match crate::runtime::discriminator(&value, #property) {
            #(#arms)*
            _ => Ok(Self::#other(value)),
        }
    };
    (serialize, deserialize)
}
