//! Operations: one method on `Client` per operation, building a `runtime::Request` and returning
//! a `runtime::Call` that decodes the declared success and error bodies.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use super::shape::{Scope, mentions_types, rust_type};
use super::types::type_doc;
use crate::ident;
use crate::ir::{Api, HttpMethod, Operation, Outcome, Param, ParamLocation, ParamStyle, Shape};

/// The file of one operation.
pub(crate) fn operation_file(api: &Api, op: &Operation) -> TokenStream {
    let uses_types = has_params_struct(op) || op_mentions_types(op);
    let imports = if uses_types {
        quote!(
            use crate::{runtime, types};
        )
    } else {
        quote!(
            use crate::runtime;
        )
    };
    let module_doc = docs::inner_attrs(&[format!(
        "`{} {}`",
        op.method.as_str().to_ascii_uppercase(),
        op.path
    )]);
    let method = method(api, op);
    quote! {
        #module_doc
        #imports

        impl crate::Client {
            #method
        }
    }
}

pub(crate) fn has_params_struct(op: &Operation) -> bool {
    op.params.iter().any(|p| p.location != ParamLocation::Path)
}

fn op_mentions_types(op: &Operation) -> bool {
    let outcome = |o: &Outcome| matches!(o, Outcome::Json(shape) if mentions_types(shape));
    op.params
        .iter()
        .any(|p| p.location == ParamLocation::Path && mentions_types(&p.shape))
        || op.body.as_ref().is_some_and(|b| mentions_types(&b.shape))
        || outcome(&op.success)
        || outcome(&op.error)
}

fn method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident::ident(&op.name);
    let doc = docs::attrs(&method_doc(op));
    let deprecated = op.doc.deprecated.then(|| quote!(#[deprecated]));
    let path_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    let path_args = path_params.iter().map(|p| {
        let name = ident::ident(&p.name);
        let ty = path_argument_type(api, &p.shape);
        quote!(#name: #ty)
    });
    let params_arg = has_params_struct(op).then(|| {
        let ty = ident::ident(&op.params_type);
        quote!(params: &types::#ty,)
    });
    let body_arg = op.body.as_ref().map(|body| {
        let ty = rust_type(api, &body.shape, Scope::Outside);
        if body.required {
            quote!(body: &#ty,)
        } else {
            quote!(body: Option<&#ty>,)
        }
    });
    let ok = outcome_type(api, &op.success);
    let err = outcome_type(api, &op.error);
    let path = path_expression(api, op);
    let method = http_method(op.method);
    let params = op
        .params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(param_statement);
    let body = op.body.as_ref().map(|body| {
        let write = if body.media_type == "application/json" {
            quote!(request.json(body);)
        } else {
            let media_type = &body.media_type;
            quote!(request.json_as(body, #media_type);)
        };
        if body.required {
            write
        } else {
            quote!(if let Some(body) = body { #write })
        }
    });
    let accept =
        matches!(op.success, Outcome::Json(_)).then(|| quote!(request.accept("application/json");));
    let security = security_statement(&op.security);
    let decode_ok = decoder(&op.success);
    let decode_err = decoder(&op.error);
    let statements: Vec<TokenStream> = params.chain(body).chain(accept).chain(security).collect();
    let binding = if statements.is_empty() {
        quote!(request)
    } else {
        quote!(mut request)
    };
    quote! {
        #doc
        #deprecated
        pub fn #name(&self, #(#path_args,)* #params_arg #body_arg) -> runtime::Call<'_, #ok, #err> {
            let #binding = runtime::Request::new(#method, #path);
            #(#statements)*
            runtime::Call::new(self, request, #decode_ok, #decode_err)
        }
    }
}

fn method_doc(op: &Operation) -> Vec<String> {
    let mut doc = type_doc(&op.doc);
    doc.push(format!(
        "`{} {}`",
        op.method.as_str().to_ascii_uppercase(),
        op.path
    ));
    doc
}

/// Path parameters are taken by value when they are numbers or booleans, by reference otherwise.
fn path_argument_type(api: &Api, shape: &Shape) -> TokenStream {
    match api.resolve_alias(shape) {
        Shape::String => quote!(&str),
        scalar @ (Shape::Bool | Shape::Int(_) | Shape::Float(_)) => {
            rust_type(api, scalar, Scope::Outside)
        }
        _ => {
            let ty = rust_type(api, shape, Scope::Outside);
            quote!(&#ty)
        }
    }
}

/// The request path: literal pieces of the template as string literals, parameters encoded.
fn path_expression(api: &Api, op: &Operation) -> TokenStream {
    let mut pieces: Vec<TokenStream> = Vec::new();
    let mut has_params = false;
    let mut rest = op.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        if open > 0 {
            let literal = &rest[..open];
            pieces.push(quote!(#literal));
        }
        let wire = &rest[open + 1..close];
        let param = op
            .params
            .iter()
            .find(|p| p.location == ParamLocation::Path && p.wire == wire);
        if let Some(param) = param {
            let name = ident::ident(&param.name);
            let encoded = if api.is_scalar(&param.shape) {
                quote!(runtime::encode_path_segment(&#name))
            } else {
                quote!(runtime::encode_path_segment(&runtime::json_text(#name)))
            };
            pieces.push(quote!(#encoded.as_str()));
            has_params = true;
        }
        rest = &rest[close + 1..];
    }
    if !rest.is_empty() {
        pieces.push(quote!(#rest));
    }
    if has_params {
        quote!([#(#pieces),*].concat())
    } else {
        let path = &op.path;
        quote!(#path.to_owned())
    }
}

fn http_method(method: HttpMethod) -> TokenStream {
    let name = match method {
        HttpMethod::Get => quote!(GET),
        HttpMethod::Put => quote!(PUT),
        HttpMethod::Post => quote!(POST),
        HttpMethod::Delete => quote!(DELETE),
        HttpMethod::Options => quote!(OPTIONS),
        HttpMethod::Head => quote!(HEAD),
        HttpMethod::Patch => quote!(PATCH),
        HttpMethod::Trace => quote!(TRACE),
    };
    quote!(runtime::Method::#name)
}

/// Writes one query, header or cookie parameter from the parameter struct.
fn param_statement(param: &Param) -> TokenStream {
    let field = ident::ident(&param.name);
    let wire = &param.wire;
    let add = match param.location {
        ParamLocation::Query | ParamLocation::Path => quote!(query),
        ParamLocation::Header => quote!(header),
        ParamLocation::Cookie => quote!(cookie),
    };
    let write = |value: TokenStream| match param.style {
        ParamStyle::Scalar => quote!(request.#add(#wire, #value);),
        ParamStyle::List if param.explode && param.location == ParamLocation::Query => {
            quote!(for item in #value { request.#add(#wire, item); })
        }
        ParamStyle::List => quote!(request.#add(#wire, runtime::join(#value, ","));),
        ParamStyle::Json => quote!(request.#add(#wire, runtime::json_text(#value));),
    };
    if param.required {
        write(quote!(&params.#field))
    } else {
        let statement = write(quote!(value));
        quote!(if let Some(value) = &params.#field { #statement })
    }
}

fn security_statement(security: &[Vec<String>]) -> Option<TokenStream> {
    if security.is_empty() {
        return None;
    }
    let alternatives = security.iter().map(|schemes| quote!(&[#(#schemes),*]));
    Some(quote!(request.security(&[#(#alternatives),*]);))
}

fn outcome_type(api: &Api, outcome: &Outcome) -> TokenStream {
    match outcome {
        Outcome::Nothing => quote!(()),
        Outcome::Json(shape) => rust_type(api, shape, Scope::Outside),
    }
}

fn decoder(outcome: &Outcome) -> TokenStream {
    match outcome {
        Outcome::Nothing => quote!(runtime::decode_nothing),
        Outcome::Json(_) => quote!(runtime::decode_json),
    }
}
