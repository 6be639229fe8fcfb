//! The example check: an example program, generated on request, that decodes each `example`
//! of the spec into the type generated for its schema and counts how many decode.

use proc_macro2::TokenStream;
use quote::quote;

use super::shape::{Scope, rust_type};
use crate::ir::{Api, Shape, TypeKind};

/// The example as JSON text. Specs often write an example of an object or a list as a string of
/// JSON (`example: '{"id": 1}'`); for a schema that is not a string, such a string is read as
/// the JSON it holds.
fn example_json(api: &Api, shape: &Shape, value: &serde_json::Value) -> String {
    let stringly = matches!(
        api.resolve_alias(shape),
        Shape::String
            | Shape::DateTime
            | Shape::Date
            | Shape::Uuid
            | Shape::Base64
            | Shape::Binary
            | Shape::Any
    ) || matches!(api.resolve_alias(shape), Shape::Ref(target) if matches!(
        api.types.get(target).map(|d| &d.kind),
        Some(TypeKind::Enum(_) | TypeKind::Union(_))
    ));
    match value {
        serde_json::Value::String(text) if !stringly => {
            match serde_json::from_str::<serde_json::Value>(text) {
                Ok(inner) if inner.is_object() || inner.is_array() => inner.to_string(),
                _ => value.to_string(),
            }
        }
        _ => value.to_string(),
    }
}

/// `examples/decode_examples.rs` for the crate named `crate_name`.
pub(crate) fn example_check(api: &Api, crate_name: &str) -> TokenStream {
    let krate = proc_macro2::Ident::new(
        &crate::ident::crate_ident(crate_name),
        proc_macro2::Span::call_site(),
    );
    let checks = api.examples.iter().map(|example| {
        let ty = rust_type(api, &example.shape, Scope::External);
        let at = example.at.to_string();
        let json = example_json(api, &example.shape, &example.value);
        quote!(check::<#ty>(#at, #json, &mut report);)
    });
    quote! {
        //! Decodes the spec's own examples into their generated types and prints how many decode.

        use #krate as api;

        struct Report {
            total: usize,
            failures: Vec<String>,
        }

        fn check<T: ::serde::de::DeserializeOwned>(at: &str, json: &str, report: &mut Report) {
            report.total += 1;
            if let Err(error) = ::serde_json::from_str::<T>(json) {
                report.failures.push(format!("{at}: {error}"));
            }
        }

        fn main() {
            let mut report = Report { total: 0, failures: Vec::new() };
            #(#checks)*
            println!("decoded {} of {}", report.total - report.failures.len(), report.total);
            for failure in &report.failures {
                println!("failed {failure}");
            }
        }
    }
}
