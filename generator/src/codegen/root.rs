//! The crate root (`lib.rs`), the module lists of `types` and `operations`, and `servers.rs`.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs;
use crate::ident;
use crate::ir::{Api, Grant, Outcome, SchemeKind, TokenFlow};

pub(crate) fn lib_rs(api: &Api) -> TokenStream {
    // The README is the crate's documentation, so that its examples compile as doctests.
    let doc = quote!(#![doc = include_str!("../README.md")]);
    // Generated modules are skipped by rustfmt (`cargo fmt` must not rewrite them); this file
    // is laid out as rustfmt would lay it out.
    let credentials =
        (!api.security_schemes.is_empty()).then(|| quote! { #[rustfmt::skip] mod credentials; });
    let servers = (!api.servers.is_empty()).then(|| quote! { #[rustfmt::skip] pub mod servers; });
    let patterns = (!api.patterns.is_empty()).then(|| quote! { #[rustfmt::skip] mod patterns; });
    let recursion_limit = api.recursion_limit.map(|limit| {
        let limit = limit.to_string();
        quote!(#![recursion_limit = #limit])
    });
    quote! {
        #doc
        #recursion_limit
        #![allow(
            deprecated,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::empty_docs,
            clippy::large_enum_variant,
            clippy::tabs_in_doc_comments,
            clippy::too_long_first_doc_paragraph,
            clippy::too_many_arguments
        )]
        #![allow(rustdoc::bare_urls, rustdoc::broken_intra_doc_links, rustdoc::invalid_html_tags)]
        #![warn(missing_docs)]

        #credentials
        #[rustfmt::skip]
        pub mod operations;
        #patterns
        #[rustfmt::skip]
        pub mod runtime;
        #servers
        #[rustfmt::skip]
        pub mod types;

        pub use runtime::{ApiError, BuildError, Call, Client, ClientBuilder, Error, Response};
    }
}

/// `credentials.rs`: one method on `ClientBuilder` per security scheme.
pub(crate) fn credentials_rs(api: &Api) -> TokenStream {
    let methods = credential_methods(api);
    quote! {
        //! Credentials for the API's security schemes: one method on
        //! [`ClientBuilder`](crate::ClientBuilder) per scheme.

        use crate::{ClientBuilder, runtime};

        #methods
    }
}

/// One method on `ClientBuilder` per security scheme.
fn credential_methods(api: &Api) -> TokenStream {
    let methods = api.security_schemes.iter().map(|(scheme, s)| {
        let method = ident::ident(&s.method);
        let (what, signature, credential) = match &s.kind {
            SchemeKind::Basic => (
                "HTTP Basic authentication".to_owned(),
                quote!(username: impl Into<String>, password: impl Into<runtime::Secret>),
                quote!(runtime::Credential::basic(username, password)),
            ),
            SchemeKind::Bearer => (
                "a bearer token".to_owned(),
                quote!(token: impl Into<runtime::Secret>),
                quote!(runtime::Credential::bearer(token)),
            ),
            SchemeKind::ApiKey { location, name } => {
                let place = match location {
                    crate::ir::ParamLocation::Header => quote!(Header),
                    crate::ir::ParamLocation::Query => quote!(Query),
                    crate::ir::ParamLocation::Cookie | crate::ir::ParamLocation::Path => quote!(Cookie),
                };
                (
                    format!("an API key sent as `{name}`"),
                    quote!(key: impl Into<runtime::Secret>),
                    quote!(runtime::Credential::api_key(runtime::ApiKeyLocation::#place, #name, key)),
                )
            }
        };
        let mut paragraphs = vec![format!("Sets the credentials of security scheme `{scheme}`: {what}.")];
        paragraphs.extend(s.description.clone());
        let doc = docs::attrs(&paragraphs);
        let provider = ident::ident(&s.provider_method);
        let provider_doc = docs::attrs(&[format!(
            "Asks `provider` for the credential of security scheme `{scheme}` whenever a request \
             needs it (a token it fetches, caches and refreshes); it is told when the API \
             rejects one. See [`runtime::CredentialProvider`]."
        )]);
        let flows = s.token_flows.iter().map(|flow| token_flow_method(scheme, flow));
        quote! {
            #doc
            pub fn #method(self, #signature) -> Self {
                self.credential(#scheme, #credential)
            }

            #provider_doc
            pub fn #provider(self, provider: impl runtime::CredentialProvider) -> Self {
                self.credential_provider(#scheme, provider)
            }

            #(#flows)*
        }
    });
    quote! {
        impl ClientBuilder {
            #(#methods)*
        }
    }
}

/// The builder method that fetches the tokens of an OAuth 2 grant from the flow's token URL.
fn token_flow_method(scheme: &str, flow: &TokenFlow) -> TokenStream {
    let method = ident::ident(&flow.method);
    let url = &flow.token_url;
    let (what, scopes, ty) = match flow.grant {
        Grant::ClientCredentials => (
            "with the client credentials grant (the client's id and secret)",
            "Scopes default to what each operation's security requirement asks for.",
            quote!(runtime::ClientCredentials),
        ),
        Grant::RefreshToken => (
            "with a refresh token the application holds",
            "Tokens have the refresh token's scopes unless the grant names others.",
            quote!(runtime::RefreshToken),
        ),
    };
    let doc = docs::attrs(&[
        format!(
            "Fetches OAuth 2 access tokens for security scheme `{scheme}` {what}, from the token \
             URL its flow gives, `{}`.",
            url.replace('`', "'")
        ),
        format!(
            "Tokens are cached until shortly before they expire, fetched once for many \
             concurrent calls, and fetched anew (the call sent once more) when the API rejects \
             one. {scopes} Neither a secret nor a token ever appears in `Debug` output, errors \
             or logs."
        ),
    ]);
    quote! {
        #doc
        pub fn #method(self, grant: #ty) -> Self {
            self.token_endpoint(#scheme, #url, grant)
        }
    }
}

pub(crate) fn types_mod(api: &Api) -> TokenStream {
    let mut entries: Vec<(&str, &str, Vec<String>)> = api
        .types
        .values()
        .map(|d| (d.module.as_str(), d.name.as_str(), d.features.clone()))
        .collect();
    for op in api.operations.values() {
        let features = super::operation_features(api, op);
        if op.has_params_struct() {
            entries.push((
                op.params_module.as_str(),
                op.params_type.as_str(),
                features.clone(),
            ));
        }
        if op.has_headers_struct() {
            entries.push((
                op.headers_module.as_str(),
                op.headers_type.as_str(),
                features.clone(),
            ));
        }
        for outcome in [&op.success, &op.error] {
            if let Outcome::ByStatus { name, module, .. } = outcome {
                entries.push((module.as_str(), name.as_str(), features.clone()));
            }
        }
    }
    entries.sort();
    let modules = entries.iter().map(|(module, _, features)| {
        let gate = super::feature_gate(features);
        let module = ident::ident(module);
        quote!(#gate mod #module;)
    });
    let exports = entries.iter().map(|(module, name, features)| {
        let gate = super::feature_gate(features);
        let module = ident::ident(module);
        let name = ident::ident(name);
        quote!(#gate pub use self::#module::#name;)
    });
    quote! {
        //! The API's types: one module per schema, one per operation with query, header or
        //! cookie parameters, and one per operation whose responses declare headers. A type
        //! that only some groups of operations use is compiled with their features.
        #(#modules)*
        #(#exports)*
    }
}

pub(crate) fn servers_rs(api: &Api) -> TokenStream {
    let constants = api.servers.iter().map(|server| {
        let name = ident::ident(&server.name);
        let url = &server.url;
        let mut paragraphs: Vec<String> = server.description.iter().cloned().collect();
        paragraphs.push(format!("`{url}`"));
        if server.is_relative() {
            paragraphs.push(
                "Relative to where the API is served: resolve it with \
                 [`ClientBuilder::relative_to`](crate::ClientBuilder::relative_to)."
                    .to_owned(),
            );
        }
        let doc = docs::attrs(&paragraphs);
        quote! {
            #doc
            pub const #name: &str = #url;
        }
    });
    quote! {
        //! The servers listed in the API description, for [`Client::builder`](crate::Client::builder).
        #(#constants)*
    }
}
