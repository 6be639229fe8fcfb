//! Groups: `operations/mod.rs` and one `mod.rs` per group, holding the group's handle (a
//! borrowed `Client`, `Copy`), the accessor that reaches it from `Client` or from the
//! enclosing group's handle, and the modules of its operations and of the groups inside it,
//! each behind the Cargo features that compile it.

use proc_macro2::TokenStream;
use quote::quote;

use super::{docs, feature_gate};
use crate::ident;
use crate::ir::{Api, Group};

/// `operations/mod.rs`: the top-level groups.
pub(crate) fn operations_mod(api: &Api) -> TokenStream {
    let modules = child_modules(api, None);
    quote! {
        //! The API's operations, in groups: each group is a module with a handle type, reached
        //! from [`Client`](crate::Client) by a method of the group's name, and a Cargo feature
        //! that compiles it (the crate's README lists them).
        #modules
    }
}

/// The `mod.rs` of group `index`.
pub(crate) fn group_mod(api: &Api, index: usize) -> TokenStream {
    let group = &api.groups[index];
    let module_doc = docs::inner_attrs(&module_doc(group));
    let children = child_modules(api, Some(index));
    let own_gate = feature_gate(std::slice::from_ref(&group.feature));
    let mut operations: Vec<&str> = api
        .operations
        .values()
        .filter(|op| op.group == index)
        .map(|op| op.module.as_str())
        .collect();
    operations.sort_unstable();
    let operations = operations.into_iter().map(|module| {
        let module = ident::ident(module);
        quote!(#own_gate mod #module;)
    });
    let handle = ident::ident(&group.type_name);
    let accessor = ident::ident(&group.module);
    let handle_doc = docs::attrs(&handle_doc(api, index));
    let accessor_doc = docs::attrs(&accessor_doc(api, index));
    let accessor_impl = match group.parent {
        None => quote! {
            impl crate::Client {
                #accessor_doc
                #[inline]
                pub fn #accessor(&self) -> #handle<'_> {
                    #handle { client: self }
                }
            }
        },
        Some(parent) => {
            let parent = ident::ident(&api.groups[parent].type_name);
            quote! {
                impl<'a> super::#parent<'a> {
                    #accessor_doc
                    #[inline]
                    pub fn #accessor(&self) -> #handle<'a> {
                        #handle { client: self.client }
                    }
                }
            }
        }
    };
    quote! {
        #module_doc
        #children
        #(#operations)*

        #handle_doc
        #[derive(Clone, Copy, Debug)]
        pub struct #handle<'a> {
            client: &'a crate::Client,
        }

        #accessor_impl
    }
}

/// The declarations of the groups inside `parent` (the top level for `None`), each behind the
/// features that compile it or a group inside it.
fn child_modules(api: &Api, parent: Option<usize>) -> TokenStream {
    let mut children: Vec<(&str, usize)> = api
        .child_groups(parent)
        .into_iter()
        .map(|g| (api.groups[g].module.as_str(), g))
        .collect();
    children.sort_unstable();
    let declarations = children.into_iter().map(|(module, g)| {
        let gate = feature_gate(&api.subtree_features(g));
        let module = ident::ident(module);
        quote!(#gate pub mod #module;)
    });
    quote!(#(#declarations)*)
}

/// The group's module documentation: its tag's description, or what it holds.
fn module_doc(group: &Group) -> Vec<String> {
    let mut doc = vec![format!(
        "The `{}` group of operations.",
        group.path.join(".")
    )];
    doc.extend(group.description.clone());
    doc
}

/// The name of a group in documentation, with the tag it comes from when it has one:
/// ``the `users.keys` group (tag `users.keys`)``.
fn label(group: &Group) -> String {
    let name = format!("the `{}` group", group.path.join("."));
    match &group.tag {
        Some(tag) => format!("{name} (tag `{tag}`)"),
        None => name,
    }
}

fn handle_doc(api: &Api, index: usize) -> Vec<String> {
    let group = &api.groups[index];
    let reached = match group.parent {
        None => format!("[`Client::{0}`](crate::Client::{0})", group.module),
        Some(parent) => format!(
            "[`{0}::{1}`](super::{0}::{1})",
            api.groups[parent].type_name, group.module
        ),
    };
    vec![
        format!(
            "The operations of {}: a borrowed client, cheap to copy, returned by {reached}.",
            label(group)
        ),
        compiled_with(&api.subtree_features(index)),
    ]
}

/// Which features compile a group's handle: its own, and those of the groups inside it.
fn compiled_with(features: &[String]) -> String {
    match features {
        [one] => format!("Compiled with the `{one}` feature."),
        many => {
            let list: Vec<String> = many.iter().map(|f| format!("`{f}`")).collect();
            format!("Compiled with any of the features {}.", list.join(", "))
        }
    }
}

fn accessor_doc(api: &Api, index: usize) -> Vec<String> {
    let group = &api.groups[index];
    let mut doc = vec![format!("The operations of {}.", label(group))];
    doc.extend(group.description.clone());
    doc
}
