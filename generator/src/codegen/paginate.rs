//! Streaming methods: for an operation the pagination pass accepted, a method that returns every
//! item of every page as a `runtime::Paginated`, calling the operation once per page.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::operations::{outcome_type, path_argument_type};
use super::shape::{Scope, rust_type};
use super::types::{Presence, field_presence};
use crate::ident;
use crate::ir::{Api, FieldStep, Operation, PageNext, Pagination, ParamLocation, TypeKind};

/// The streaming method of `op`, if it is paginated.
pub(super) fn stream_method(api: &Api, op: &Operation) -> Option<TokenStream> {
    let pagination = op.pagination.as_ref()?;
    let name = ident::ident(&pagination.method);
    let operation = ident::ident(&op.method_name);
    let lifetime = quote!('a);
    let path_params: Vec<_> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    let path_args = path_params.iter().map(|p| {
        let name = ident::ident(&p.name);
        let ty = path_argument_type(api, &p.shape, &lifetime);
        quote!(#name: #ty,)
    });
    let path_names: Vec<_> = path_params.iter().map(|p| ident::ident(&p.name)).collect();
    let (params_arg, params_clone, params_ref) = if op.has_params_struct() {
        let ty = ident::ident(&op.params_type);
        (
            quote!(params: &types::#ty),
            quote!(let params = params.clone();),
            quote!(&params),
        )
    } else {
        (TokenStream::new(), TokenStream::new(), TokenStream::new())
    };
    let call = quote!(handle.#operation(#(#path_names,)* #params_ref));
    let fetch = fetch_closure(op, pagination, &call);
    let next = match &pagination.next {
        PageNext::Cursor { path, .. } => cursor_expression(api, path),
        PageNext::Link => quote!(runtime::next_link(response.headers())),
    };
    let items = items_expression(api, &pagination.items);
    let item = rust_type(api, &pagination.item, Scope::Outside);
    let page = outcome_type(api, &op.success);
    let err = outcome_type(api, &op.error);
    let headers = op.has_headers_struct().then(|| {
        let ty = ident::ident(&op.headers_type);
        quote!(, types::#ty)
    });
    let doc = docs::attrs(&stream_doc(op, pagination));
    Some(quote! {
        #doc
        #[inline]
        pub fn #name(&self, #(#path_args)* #params_arg) -> runtime::Paginated<'a, #item, #err> {
            let handle = *self;
            #params_clone
            runtime::Paginated::new(
                #fetch,
                |response: &runtime::Response<#page #headers>| #next,
                |page: #page| #items,
            )
        }
    })
}

fn stream_doc(op: &Operation, pagination: &Pagination) -> Vec<String> {
    let method = &op.method_name;
    let how = match &pagination.next {
        PageNext::Cursor { param, reset, .. } => {
            let wire = &op.params[*param].wire;
            if *reset {
                format!(
                    "Each later page is asked for with the cursor in `{wire}`, which stands for the other parameters (Dropshot's convention)."
                )
            } else {
                format!("Each later page is asked for with the cursor in `{wire}`.")
            }
        }
        PageNext::Link => {
            "Each later page is the `rel=\"next\"` link of the `Link` response header.".to_owned()
        }
    };
    vec![
        format!(
            "Every item of [`{method}`](Self::{method}), page after page: a page is fetched when the items before it have been read."
        ),
        how,
    ]
}

/// The closure that calls the operation for a page: the first with `params` as given, later
/// ones with the cursor (or at the `Link` URL).
fn fetch_closure(op: &Operation, pagination: &Pagination, call: &TokenStream) -> TokenStream {
    match &pagination.next {
        PageNext::Cursor {
            param, reset, keep, ..
        } => {
            let field = ident::ident(&op.params[*param].name);
            let resets = op
                .params
                .iter()
                .enumerate()
                .filter(|(i, p)| {
                    *reset
                        && p.location != ParamLocation::Path
                        && !p.required
                        && *i != *param
                        && !keep.contains(i)
                })
                .map(|(_, p)| {
                    let field = ident::ident(&p.name);
                    quote!(params.#field = None;)
                });
            quote! {
                move |cursor: Option<String>| {
                    let mut params = params.clone();
                    if let Some(cursor) = cursor {
                        #(#resets)*
                        params.#field = Some(cursor);
                    }
                    #call
                }
            }
        }
        PageNext::Link => quote! {
            move |url: Option<String>| {
                let call = #call;
                match url {
                    Some(url) => call.at_url(url),
                    None => call,
                }
            }
        },
    }
}

/// A value reached from a page, and whether it may be missing.
enum Held {
    /// Always there: a place (`x.f`) or a value.
    There(TokenStream),
    /// An `Option`: of a reference (cursors) or of a value (items).
    Maybe(TokenStream),
}

/// The field of one step, and how it is held.
fn step_field(api: &Api, step: &FieldStep) -> (proc_macro2::Ident, Presence) {
    match api.types.get(&step.owner).map(|d| (&d.kind, d.directions)) {
        Some((TypeKind::Struct(s), directions)) => {
            let field = &s.fields[step.index];
            (
                ident::ident(&field.name),
                field_presence(field, directions).0,
            )
        }
        // The pagination pass only records steps through struct fields.
        _ => (ident::ident("missing"), Presence::Required),
    }
}

/// The next cursor (`Option<String>`) from `response`, borrowing along the way.
fn cursor_expression(api: &Api, path: &[FieldStep]) -> TokenStream {
    let mut held = Held::There(quote!(response.body()));
    for step in path {
        let (f, presence) = step_field(api, step);
        held = match (held, presence) {
            (Held::There(e), Presence::Required) => Held::There(quote!(#e.#f)),
            (Held::There(e), Presence::OptionalNullable) => {
                Held::Maybe(quote!(#e.#f.as_ref().and_then(Option::as_ref)))
            }
            (Held::There(e), _) => Held::Maybe(quote!(#e.#f.as_ref())),
            (Held::Maybe(e), Presence::Required) => Held::Maybe(quote!(#e.map(|v| &v.#f))),
            (Held::Maybe(e), Presence::OptionalNullable) => {
                Held::Maybe(quote!(#e.and_then(|v| v.#f.as_ref().and_then(Option::as_ref))))
            }
            (Held::Maybe(e), _) => Held::Maybe(quote!(#e.and_then(|v| v.#f.as_ref()))),
        };
    }
    match held {
        Held::There(e) => quote!(Some(#e.clone())),
        Held::Maybe(e) => quote!(#e.cloned()),
    }
}

/// The items (`Vec<Item>`) taken out of `page`.
fn items_expression(api: &Api, path: &[FieldStep]) -> TokenStream {
    let mut held = Held::There(quote!(page));
    for step in path {
        let (f, presence) = step_field(api, step);
        held = match (held, presence) {
            (Held::There(e), Presence::Required) => Held::There(quote!(#e.#f)),
            (Held::There(e), Presence::OptionalNullable) => Held::Maybe(quote!(#e.#f.flatten())),
            (Held::There(e), _) => Held::Maybe(quote!(#e.#f)),
            (Held::Maybe(e), Presence::Required) => Held::Maybe(quote!(#e.map(|v| v.#f))),
            (Held::Maybe(e), Presence::OptionalNullable) => {
                Held::Maybe(quote!(#e.and_then(|v| v.#f.flatten())))
            }
            (Held::Maybe(e), _) => Held::Maybe(quote!(#e.and_then(|v| v.#f))),
        };
    }
    match held {
        Held::There(e) => e,
        Held::Maybe(e) => quote!(#e.unwrap_or_default()),
    }
}
