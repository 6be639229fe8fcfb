//! Streaming methods: for an operation the pagination pass accepted, a method that returns every
//! item of every page as a `runtime::Paginated`, calling the operation once per page.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::operations::{outcome_type, path_argument_type};
use super::shape::{Scope, rust_type};
use super::types::{Presence, field_presence};
use crate::ident;
use crate::ir::{
    Api, CursorSource, FieldStep, Operation, PageNext, Pagination, ParamLocation, TypeKind,
};

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
    // The parameters come as an argument when some are required, or are set on the listing
    // (which hands them to each page's call) when all are optional.
    // Named only when the operation has a parameter struct (a name is never empty).
    let params_ty = op
        .has_params_struct()
        .then(|| ident::ident(&op.params_type));
    let (params_arg, params_clone, listing_params, call) = if op.params_argument() {
        (
            quote!(params: &types::#params_ty),
            quote!(let params = params.clone();),
            quote!(()),
            quote!(handle.#operation(#(#path_names,)* &params)),
        )
    } else if op.has_params_struct() {
        (
            TokenStream::new(),
            TokenStream::new(),
            quote!(types::#params_ty),
            quote!(handle.#operation(#(#path_names,)*).params(params)),
        )
    } else {
        let call = quote!(handle.#operation(#(#path_names,)*));
        (TokenStream::new(), TokenStream::new(), quote!(()), call)
    };
    let listing_type = if op.params_on_call() {
        quote!(, types::#params_ty)
    } else {
        TokenStream::new()
    };
    let fetch = fetch_closure(op, pagination, &listing_params, &call);
    let next = match &pagination.next {
        PageNext::Cursor { from, more, .. } => next_cursor(api, &pagination.items, from, more),
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
    let doc = docs::attrs(&stream_doc(api, op, pagination));
    Some(quote! {
        #doc
        #[inline]
        pub fn #name(&self, #(#path_args)* #params_arg) -> runtime::Paginated<'a, #item, #err #listing_type> {
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

fn stream_doc(api: &Api, op: &Operation, pagination: &Pagination) -> Vec<String> {
    let method = &op.method_name;
    let how = match &pagination.next {
        PageNext::Cursor {
            param,
            reset,
            from,
            more,
            ..
        } => {
            let wire = &op.params[*param].wire;
            let what = match from {
                CursorSource::Body(path) if !pagination.stated => {
                    format!("the page's `{}`", wire_path(api, path))
                }
                CursorSource::Body(_) => "the cursor".to_owned(),
                CursorSource::LastItem(path) => {
                    format!("the last item's `{}`", wire_path(api, path))
                }
            };
            let mut how = format!("Each later page is asked for with {what} in `{wire}`");
            if !more.is_empty() {
                how.push_str(&format!(
                    ", while the page's `{}` is true",
                    wire_path(api, more)
                ));
            }
            if *reset {
                how.push_str(", which stands for the other parameters (Dropshot's convention)");
            }
            how.push('.');
            how
        }
        PageNext::Link => {
            "Each later page is the `rel=\"next\"` link of the `Link` response header.".to_owned()
        }
    };
    let mut doc = vec![
        format!(
            "Every item of [`{method}`](Self::{method}), page after page: a page is fetched when the items before it have been read."
        ),
        how,
    ];
    if !pagination.stated {
        doc.push(
            "The API description does not say how its pages work: this reading comes from the shapes of the operation's parameters and response (the generator's report lists it).".to_owned(),
        );
    }
    if op.params_on_call() {
        let ty = &op.params_type;
        doc.push(format!(
            "Set the parameters of every page with [`params`](runtime::Paginated::params) and a [`{ty}`](crate::types::{ty})."
        ));
    }
    doc
}

/// The closure that calls the operation for a page: the first with `params` as given, later
/// ones with the cursor (or at the `Link` URL).
fn fetch_closure(
    op: &Operation,
    pagination: &Pagination,
    listing_params: &TokenStream,
    call: &TokenStream,
) -> TokenStream {
    let (given, own) = if op.params_on_call() {
        (quote!(params), quote!(let params = params.clone();))
    } else {
        (quote!(_), TokenStream::new())
    };
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
                move |#given: &#listing_params, cursor: Option<String>| {
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
            move |#given: &#listing_params, url: Option<String>| {
                #own
                let call = #call;
                match url {
                    Some(url) => call.at_url(url),
                    None => call,
                }
            }
        },
    }
}

/// The wire names along `path`, joined with `.`.
fn wire_path(api: &Api, path: &[FieldStep]) -> String {
    let wire = |step: &FieldStep| match api.types.get(&step.owner).map(|d| &d.kind) {
        Some(TypeKind::Struct(s)) => s.fields[step.index].wire.as_str(),
        _ => "",
    };
    path.iter().map(wire).collect::<Vec<_>>().join(".")
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

/// The next cursor (`Option<String>`) from `response`: read from the body or the last item,
/// and only while the body's `more` flag (if any) says another page follows.
fn next_cursor(
    api: &Api,
    items: &[FieldStep],
    from: &CursorSource,
    more: &[FieldStep],
) -> TokenStream {
    let body = || Held::There(quote!(response.body()));
    let cursor = match from {
        CursorSource::Body(path) => borrowed(api, body(), path),
        CursorSource::LastItem(path) => {
            let last = match borrowed(api, body(), items) {
                Held::There(e) => quote!(#e.last()),
                Held::Maybe(e) => quote!(#e.and_then(|items| items.last())),
            };
            borrowed(api, Held::Maybe(last), path)
        }
    };
    let cursor = match cursor {
        Held::There(e) => quote!(Some(#e.clone())),
        Held::Maybe(e) => quote!(#e.cloned()),
    };
    if more.is_empty() {
        return cursor;
    }
    let more = match borrowed(api, body(), more) {
        Held::There(e) => e,
        // A page that leaves an optional flag out says nothing: its cursor decides.
        Held::Maybe(e) => quote!(#e.copied().unwrap_or(true)),
    };
    quote!(if #more { #cursor } else { None })
}

/// What `path` reaches from `start`, borrowing along the way: a place, or an `Option` of a
/// reference.
fn borrowed(api: &Api, start: Held, path: &[FieldStep]) -> Held {
    let mut held = start;
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
    held
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
