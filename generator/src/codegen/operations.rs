//! Operations: one method per operation on its group's handle, building a `runtime::Request`
//! and returning a `runtime::Call` that decodes the declared success and error bodies; and the
//! enums of operations whose responses have different bodies by status.
//!
//! Methods and their decoders are `#[inline]`: nothing in the generated crate calls them, so
//! rustc compiles each one, with the response decoding it instantiates, only in a crate that
//! calls it. A crate for a large API then compiles quickly, and its users pay only for the
//! operations they use.

use proc_macro2::{Literal, TokenStream};
use quote::{ToTokens, quote};

use super::shape::{Scope, mentions_types, rust_type, type_imports};
use super::type_docs::type_doc;
use super::{docs, pagination, sample, validate};
use crate::ident;
use crate::ir::{
    Api, BodyKind, Content, HttpMethod, Operation, Outcome, Param, ParamLocation, ParamStyle,
    Shape, StatusMatch, StatusVariant, StreamBody, StreamKind, StreamMethod, TypeKind,
};

/// The file of one operation.
pub(crate) fn operation_file(api: &Api, op: &Operation, krate: &str) -> TokenStream {
    let uses_types = op_mentions_types(op);
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
    let own = match &op.stream {
        Some(stream) if !stream.separate => Answer::Streamed(stream),
        _ => Answer::Decoded,
    };
    let method = method(api, op, krate, own);
    let streamed = op
        .stream
        .as_ref()
        .filter(|s| s.separate)
        .map(|s| self::method(api, op, krate, Answer::Streamed(s)));
    let stream = pagination::stream_method(api, op);
    let decoders = [("decode_success", &op.success), ("decode_error", &op.error)]
        .into_iter()
        .filter_map(|(name, outcome)| by_status_decoder(name, outcome));
    let handle = ident::ident(
        api.groups
            .get(op.group)
            .map_or("", |g| g.type_name.as_str()),
    );
    quote! {
        #module_doc
        #imports

        impl<'a> super::#handle<'a> {
            #method
            #streamed
            #stream
        }

        #(#decoders)*
    }
}

fn op_mentions_types(op: &Operation) -> bool {
    let outcome = |o: &Outcome| match o {
        Outcome::Single {
            content: Content::Json(shape),
            ..
        } => mentions_types(shape),
        Outcome::ByStatus { .. } => true,
        _ => false,
    };
    op.has_params_struct()
        || op.has_headers_struct()
        || op.params.iter().any(|p| mentions_types(&p.shape))
        || op.body.as_ref().is_some_and(|b| mentions_types(&b.shape))
        || outcome(&op.success)
        || outcome(&op.error)
        || op
            .stream
            .as_ref()
            .is_some_and(|s| mentions_types(&s.body.shape))
}

/// What a method's call gives: the decoded body, or the stream of a streamed response.
#[derive(Clone, Copy)]
enum Answer<'a> {
    Decoded,
    Streamed(&'a StreamMethod),
}

fn method(api: &Api, op: &Operation, krate: &str, answer: Answer<'_>) -> TokenStream {
    let name = ident::ident(match answer {
        Answer::Decoded => &op.method_name,
        Answer::Streamed(stream) => &stream.method,
    });
    let doc = docs::attrs(&method_doc(api, op, answer));
    let example = match answer {
        Answer::Decoded => sample::operation_call(api, op)
            .map(|statements| crate::pretty::snippet(&statements))
            .map(|code| docs::example_attrs(krate, &code)),
        Answer::Streamed(_) => None,
    };
    let deprecated = op.doc.deprecated.then(|| quote!(#[deprecated]));
    let path_params: Vec<&Param> = op
        .params
        .iter()
        .filter(|p| p.location == ParamLocation::Path)
        .collect();
    let path_args = path_params.iter().map(|p| {
        let name = ident::ident(&p.name);
        let ty = path_argument_type(api, &p.shape, &TokenStream::new());
        quote!(#name: #ty)
    });
    let params_arg = op.params_argument().then(|| {
        let ty = ident::ident(&op.params_type);
        quote!(params: &types::#ty,)
    });
    let body_arg = op.body.as_ref().map(|body| {
        let ty = match body.kind {
            BodyKind::Text => quote!(str),
            BodyKind::Binary => quote!(runtime::Binary),
            BodyKind::Json | BodyKind::Form | BodyKind::Multipart => {
                rust_type(api, &body.shape, Scope::Outside).into_token_stream()
            }
        };
        if body.required {
            quote!(body: &#ty,)
        } else {
            quote!(body: Option<&#ty>,)
        }
    });
    let ok = match answer {
        Answer::Decoded => outcome_type(api, &op.success),
        Answer::Streamed(stream) => stream_type(api, &stream.body),
    };
    let err = outcome_type(api, &op.error);
    let (headers, with_headers) = if op.has_headers_struct() {
        let ty = ident::ident(&op.headers_type);
        (quote!(, types::#ty), quote!(.with_headers()))
    } else if op.params_on_call() {
        (quote!(, ()), TokenStream::new())
    } else {
        (TokenStream::new(), TokenStream::new())
    };
    let (params_type, on_call) = optional_params(api, op);
    let path = &op.path;
    let method = http_method(op.method);
    let mut statements: Vec<TokenStream> = path_params.iter().map(|p| path_statement(p)).collect();
    if op.params_argument() {
        statements.extend(params_statements(op));
    }
    statements.extend(
        op.body.as_ref().map(|body| {
            body_statement(api, body.kind, &body.media_type, &body.shape, body.required)
        }),
    );
    statements.extend(validate::operation_checks(api, op));
    let accept = match answer {
        Answer::Decoded => accept(op),
        Answer::Streamed(stream) => Some(stream.body.media_type.clone()),
    };
    statements.extend(accept.map(|accept| quote!(request.accept(#accept);)));
    statements.extend(security_statement(&op.security));
    statements.extend(scopes_statement(op));
    if op.redirects_answer() {
        statements.push(quote!(request.keep_redirects();));
    }
    let operation_name = &op.name;
    statements.push(quote!(request.operation(#operation_name);));
    statements.extend(super::summary::statement(api, &op.error));
    statements.extend(idempotency_key(op));
    statements.extend(
        op.idempotent
            .map(|idempotent| quote!(request.idempotent(#idempotent);)),
    );
    let decode_err = decoder(&op.error, "decode_error");
    let call = match answer {
        Answer::Decoded => {
            let decode_ok = decoder(&op.success, "decode_success");
            quote!(runtime::Call::new(self.client, request, #decode_ok, #decode_err))
        }
        Answer::Streamed(stream) => {
            let open = match stream.body.kind {
                StreamKind::Events => quote!(runtime::EventStream::new),
                StreamKind::JsonLines => quote!(runtime::JsonLines::new),
                StreamKind::JsonSeq => quote!(runtime::JsonLines::sequence),
            };
            quote!(runtime::Call::streamed(self.client, request, #open, #decode_err))
        }
    };
    quote! {
        #doc
        #example
        #deprecated
        #[inline]
        pub fn #name(&self, #(#path_args,)* #params_arg #body_arg) -> runtime::Call<'a, #ok, #err #headers #params_type> {
            let mut request = runtime::Request::new(#method, #path.to_owned());
            #(#statements)*
            #call #on_call #with_headers
        }
    }
}

/// The Rust type of a streamed response: events or lines of its items' type.
fn stream_type(api: &Api, stream: &StreamBody) -> TokenStream {
    let item = rust_type(api, &stream.shape, Scope::Outside);
    match stream.kind {
        StreamKind::Events => quote!(runtime::EventStream<#item>),
        StreamKind::JsonLines | StreamKind::JsonSeq => quote!(runtime::JsonLines<#item>),
    }
}

fn method_doc(api: &Api, op: &Operation, answer: Answer<'_>) -> Vec<String> {
    let mut doc = type_doc(&op.doc);
    doc.push(format!(
        "`{} {}`",
        op.method.as_str().to_ascii_uppercase(),
        op.path
    ));
    if let Answer::Streamed(stream) = answer {
        doc.push(stream_doc(api, op, stream));
    }
    if op.params_on_call() {
        let ty = &op.params_type;
        doc.push(format!(
            "Its query, header and cookie parameters are all optional: set them on the call with [`params`](runtime::Call::params) and a [`{ty}`](crate::types::{ty}), or leave them unset."
        ));
    }
    doc
}

/// What a streamed method gives, and how it relates to the operation's decoding method.
fn stream_doc(api: &Api, op: &Operation, stream: &StreamMethod) -> String {
    let what = match stream.body.kind {
        StreamKind::Events => {
            "Server-Sent Events (`text/event-stream`), each one's data decoded as JSON"
        }
        StreamKind::JsonLines => "JSON Lines, each line decoded",
        StreamKind::JsonSeq => "a JSON text sequence (`application/json-seq`), each record decoded",
    };
    let item = match &stream.body.shape {
        Shape::Ref(at) => api
            .types
            .get(at)
            .map(|d| format!(" into [`{0}`](crate::types::{0})", d.name))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let mut text = format!(
        "Reads the response as it arrives: {what}{item}. The call gives the stream once the response's headers are in; the read timeout applies to each wait for more of it, not to the whole stream."
    );
    if stream.separate {
        text.push_str(&format!(
            " [`{0}`](Self::{0}) decodes a whole response instead; the server streams when the request asks it to, as the operation's description says.",
            op.method_name
        ));
    }
    text
}

/// Path parameters are taken by value when they are numbers or booleans, by reference (with
/// `lifetime`, if not empty) otherwise. Either way the argument is `Copy`.
pub(super) fn path_argument_type(api: &Api, shape: &Shape, lifetime: &TokenStream) -> TokenStream {
    match api.resolve_alias(shape) {
        Shape::String => quote!(&#lifetime str),
        scalar @ (Shape::Bool | Shape::Int(_) | Shape::Float(_)) => {
            rust_type(api, scalar, Scope::Outside).into_token_stream()
        }
        Shape::Array(item) => {
            let item = rust_type(api, item, Scope::Outside);
            quote!(&#lifetime [#item])
        }
        _ => {
            let ty = rust_type(api, shape, Scope::Outside);
            quote!(&#lifetime #ty)
        }
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
        // No constant names it: the runtime makes it from its name.
        HttpMethod::Query => return quote!(runtime::query_method()),
    };
    quote!(runtime::Method::#name)
}

fn style_tokens(style: ParamStyle) -> TokenStream {
    match style {
        ParamStyle::Form { explode } => quote!(runtime::Style::form(#explode)),
        ParamStyle::Simple { explode } => quote!(runtime::Style::simple(#explode)),
        ParamStyle::SpaceDelimited => quote!(runtime::Style::SpaceDelimited),
        ParamStyle::PipeDelimited => quote!(runtime::Style::PipeDelimited),
        ParamStyle::DeepObject => quote!(runtime::Style::DeepObject),
        ParamStyle::Json => quote!(runtime::Style::Json),
    }
}

/// Puts a path parameter into the path template.
fn path_statement(param: &Param) -> TokenStream {
    let name = ident::ident(&param.name);
    let wire = &param.wire;
    let style = style_tokens(param.style);
    quote!(request.path_param(#wire, &#name, #style);)
}

/// The statements that write the query, header and cookie parameters from `params`, and check
/// them.
fn params_statements(op: &Operation) -> impl Iterator<Item = TokenStream> + '_ {
    op.params
        .iter()
        .filter(|p| p.location != ParamLocation::Path)
        .map(param_statement)
}

/// For an operation whose parameters are all optional: the parameter type of its `Call`, and the
/// call that gives it them, written into the request when it is sent.
fn optional_params(api: &Api, op: &Operation) -> (TokenStream, TokenStream) {
    if !op.params_on_call() {
        return (TokenStream::new(), TokenStream::new());
    }
    let ty = ident::ident(&op.params_type);
    let statements = params_statements(op);
    let check =
        validate::params_validated(api, op).then(|| quote!(request.validate(params, "params");));
    (
        quote!(, types::#ty),
        quote! {
            .optional_params(|params: &types::#ty, request: &mut runtime::Request| {
                #(#statements)*
                #check
            })
        },
    )
}

/// Writes one query, header or cookie parameter from the parameter struct.
fn param_statement(param: &Param) -> TokenStream {
    let field = ident::ident(&param.name);
    let wire = &param.wire;
    let style = style_tokens(param.style);
    let add = match param.location {
        ParamLocation::Query | ParamLocation::Path => quote!(query_param),
        ParamLocation::Header => quote!(header_param),
        ParamLocation::Cookie => quote!(cookie_param),
    };
    if param.required {
        quote!(request.#add(#wire, &params.#field, #style);)
    } else {
        quote!(if let Some(value) = &params.#field { request.#add(#wire, value, #style); })
    }
}

fn body_statement(
    api: &Api,
    kind: BodyKind,
    media_type: &str,
    shape: &Shape,
    required: bool,
) -> TokenStream {
    let write = match kind {
        BodyKind::Json if media_type == "application/json" => quote!(request.json(body);),
        BodyKind::Json => quote!(request.json_as(body, #media_type);),
        BodyKind::Form => quote!(request.form(body);),
        BodyKind::Multipart => multipart_statements(api, shape),
        BodyKind::Text => quote!(request.text(body, #media_type);),
        BodyKind::Binary => quote!(request.binary(body, #media_type);),
    };
    if required {
        write
    } else {
        quote!(if let Some(body) = body { #write })
    }
}

/// A multipart body: a part per field of the body's struct, binary fields as file parts; a body
/// that is not a struct gives a part per property of its JSON.
fn multipart_statements(api: &Api, shape: &Shape) -> TokenStream {
    let fields = match api.resolve_alias(shape) {
        Shape::Ref(target) => match api.types.get(target).map(|d| &d.kind) {
            Some(TypeKind::Struct(s)) => Some(&s.fields),
            _ => None,
        },
        _ => None,
    };
    let Some(fields) = fields else {
        return quote!(request.multipart(runtime::Multipart::from_value(body)););
    };
    // Read-only fields are never sent (as in a JSON body, where serde skips them).
    let parts = fields.iter().filter(|field| !field.read_only).map(|field| {
        let name = ident::ident(&field.name);
        let wire = &field.wire;
        let required = field.required && !field.read_only && !field.write_only;
        let add = |value: TokenStream| match api.resolve_alias(&field.shape) {
            Shape::Binary => quote!(form.file(#wire, #value);),
            Shape::Array(item) if matches!(api.resolve_alias(item), Shape::Binary) => {
                quote!(for file in #value { form.file(#wire, file); })
            }
            _ => quote!(form.field(#wire, #value);),
        };
        if required {
            add(quote!(&body.#name))
        } else {
            let add = add(quote!(value));
            quote!(if let Some(value) = &body.#name { #add })
        }
    });
    quote! {
        let mut form = runtime::Multipart::new();
        #(#parts)*
        request.multipart(form);
    }
}

/// The OAuth 2 scopes the operation's requirements ask for, for its credential providers.
fn scopes_statement(op: &Operation) -> Option<TokenStream> {
    if op.scopes.is_empty() || op.security.is_empty() {
        return None;
    }
    let entries = op
        .scopes
        .iter()
        .map(|(scheme, scopes)| quote!((#scheme, &[#(#scopes),*])));
    Some(quote!(request.scopes(&[#(#entries),*]);))
}

fn security_statement(security: &[Vec<String>]) -> Option<TokenStream> {
    if security.is_empty() {
        return None;
    }
    let alternatives = security.iter().map(|schemes| quote!(&[#(#schemes),*]));
    Some(quote!(request.security(&[#(#alternatives),*]);))
}

/// The `Accept` header: every media type the operation's responses declare, each once, in
/// order. Types that cannot be a header value are left out.
fn accept(op: &Operation) -> Option<String> {
    let mut types: Vec<&str> = Vec::new();
    for media_type in op.responses.iter().filter_map(|r| r.media_type.as_deref()) {
        let usable =
            !media_type.is_empty() && media_type.bytes().all(|b| (b' '..=b'~').contains(&b));
        if usable && !types.contains(&media_type) {
            types.push(media_type);
        }
    }
    (!types.is_empty()).then(|| types.join(", "))
}

fn content_type(api: &Api, content: &Content) -> TokenStream {
    match content {
        Content::Json(shape) => rust_type(api, shape, Scope::Outside).into_token_stream(),
        Content::Text => quote!(String),
        Content::Binary => quote!(runtime::Bytes),
    }
}

/// The header names that carry an idempotency key, compared without case.
const IDEMPOTENCY_HEADERS: [&str; 2] = ["idempotency-key", "x-idempotency-key"];

/// `request.idempotency_key(header);` for an operation with an idempotency-key header
/// parameter: the runtime fills it once per call unless the caller does, and may then retry.
fn idempotency_key(op: &Operation) -> Option<TokenStream> {
    let header = op.params.iter().find(|p| {
        p.location == ParamLocation::Header
            && IDEMPOTENCY_HEADERS
                .iter()
                .any(|name| p.wire.eq_ignore_ascii_case(name))
    })?;
    let wire = &header.wire;
    Some(quote!(request.idempotency_key(#wire);))
}

pub(super) fn outcome_type(api: &Api, outcome: &Outcome) -> TokenStream {
    match outcome {
        Outcome::Nothing => quote!(()),
        Outcome::Single {
            content,
            optional: true,
        } => {
            let ty = content_type(api, content);
            quote!(Option<#ty>)
        }
        Outcome::Single {
            content,
            optional: false,
        } => content_type(api, content),
        Outcome::ByStatus { name, .. } => {
            let name = ident::ident(name);
            quote!(types::#name)
        }
    }
}

fn content_decoder(content: &Content) -> TokenStream {
    match content {
        Content::Json(_) => quote!(runtime::decode_json),
        Content::Text => quote!(runtime::decode_text),
        Content::Binary => quote!(runtime::decode_bytes),
    }
}

fn decoder(outcome: &Outcome, by_status: &str) -> TokenStream {
    match outcome {
        Outcome::Nothing => quote!(runtime::decode_nothing),
        Outcome::Single { content, .. } => content_decoder(content),
        Outcome::ByStatus { .. } => {
            let name = ident::ident(by_status);
            quote!(#name)
        }
    }
}

/// The decoder of a by-status outcome: exact codes first, then ranges, then `default`.
fn by_status_decoder(name: &str, outcome: &Outcome) -> Option<TokenStream> {
    let Outcome::ByStatus {
        name: type_name,
        variants,
        ..
    } = outcome
    else {
        return None;
    };
    let type_name = ident::ident(type_name);
    let function = ident::ident(name);
    let mut ordered: Vec<&StatusVariant> = variants.iter().collect();
    ordered.sort_by_key(|v| match v.status {
        StatusMatch::Code(_) => 0,
        StatusMatch::Range(_) => 1,
        StatusMatch::Default => 2,
    });
    let arms = ordered.iter().map(|v| {
        let variant = ident::ident(&v.name);
        let pattern = match v.status {
            StatusMatch::Code(code) => {
                let code = Literal::u16_unsuffixed(code);
                quote!(#code)
            }
            StatusMatch::Range(digit) => {
                let low = Literal::u16_unsuffixed(u16::from(digit) * 100);
                let high = Literal::u16_unsuffixed(u16::from(digit) * 100 + 99);
                quote!(#low..=#high)
            }
            StatusMatch::Default => quote!(_),
        };
        let value = match &v.content {
            Some(content) => {
                let decode = content_decoder(content);
                quote!(#decode(status, body).map(types::#type_name::#variant))
            }
            None => quote!(Ok(types::#type_name::#variant)),
        };
        quote!(#pattern => #value,)
    });
    let fallback = (!variants.iter().any(|v| v.status == StatusMatch::Default))
        .then(|| quote!(_ => Err(runtime::undeclared_status(status)),));
    Some(quote! {
        #[inline]
        fn #function(status: runtime::StatusCode, body: &runtime::Bytes) -> Result<types::#type_name, runtime::DecodeError> {
            match status.as_u16() {
                #(#arms)*
                #fallback
            }
        }
    })
}

/// The file of an operation's response or error enum (different bodies by status).
pub(crate) fn outcome_file(api: &Api, op: &Operation, outcome: &Outcome) -> TokenStream {
    let Outcome::ByStatus {
        name,
        word,
        variants,
        ..
    } = outcome
    else {
        return TokenStream::new();
    };
    let method = &op.name;
    let module_doc = docs::inner_attrs(&[format!("The {word}s of `{method}`, by status.")]);
    let doc = docs::attrs(&[format!(
        "The {word}s of {}: one variant per declared status.",
        super::method_link(api, op)
    )]);
    let type_name = ident::ident(name);
    let shapes = variants.iter().filter_map(|v| match &v.content {
        Some(Content::Json(shape)) => Some(shape),
        _ => None,
    });
    let glob = type_imports(api, shapes, None);
    let items = variants.iter().map(|v| {
        let variant = ident::ident(&v.name);
        let status = match v.status {
            StatusMatch::Code(code) => format!("`{code}`"),
            StatusMatch::Range(digit) => format!("`{digit}XX`"),
            StatusMatch::Default => "Any other status".to_owned(),
        };
        let mut paragraphs = vec![status];
        paragraphs.extend(v.doc.description.clone());
        let doc = docs::attrs(&[paragraphs.join(": ")]);
        match &v.content {
            Some(Content::Json(shape)) => {
                let ty = rust_type(api, shape, Scope::Types);
                quote!(#doc #variant(#ty),)
            }
            Some(Content::Text) => quote!(#doc #variant(String),),
            Some(Content::Binary) => quote!(#doc #variant(crate::runtime::Bytes),),
            None => quote!(#doc #variant,),
        }
    });
    quote! {
        #module_doc
        #glob

        #doc
        #[derive(Clone, Debug, PartialEq)]
        #[non_exhaustive]
        pub enum #type_name {
            #(#items)*
        }
    }
}
