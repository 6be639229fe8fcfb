//! The call check: an example program, generated on request, that calls every operation once
//! with example arguments against a server (a mock server such as Prism, which validates each
//! request against the spec and answers from its schemas) and reports which calls failed.

use proc_macro2::TokenStream;
use quote::quote;

use super::sample;
use crate::ident;
use crate::ir::{Api, SchemeKind};

/// `examples/call_every_operation.rs` for the crate named `crate_name`.
pub(crate) fn call_check(api: &Api, crate_name: &str) -> TokenStream {
    let krate = ident::ident(&crate_name.replace('-', "_"));
    let credentials = api.security_schemes.values().map(|scheme| {
        let method = ident::ident(&scheme.method);
        match scheme.kind {
            SchemeKind::Basic => quote!(.#method("user", "password")),
            _ => quote!(.#method("secret")),
        }
    });
    let calls = api.operations.values().map(|op| {
        let name = &op.name;
        let method = ident::ident(&op.name);
        match sample::arguments(api, op) {
            Some(sample::Arguments { setup, args }) => quote! {
                {
                    #setup
                    let result = client.#method(#args).await;
                    report.record(#name, check(result));
                }
            },
            None => quote!(report.skip(#name);),
        }
    });
    quote! {
        //! Calls every operation once with example arguments against the server whose URL is the
        //! first argument, and fails if any call does not get a 2xx that decodes, or gets an
        //! `sl-violations` header (the Prism mock server's report of a request that breaks the
        //! API description).

        #![allow(dead_code, unused_imports)]

        use #krate::{runtime, types};

        #[derive(Default)]
        struct Report {
            passed: usize,
            failed: Vec<String>,
            skipped: Vec<&'static str>,
        }

        impl Report {
            fn record(&mut self, operation: &str, outcome: Result<(), String>) {
                match outcome {
                    Ok(()) => self.passed += 1,
                    Err(why) => self.failed.push(format!("{operation}: {why}")),
                }
            }

            fn skip(&mut self, operation: &'static str) {
                self.skipped.push(operation);
            }
        }

        fn check<T, E: std::fmt::Debug, H>(
            result: Result<runtime::Response<T, H>, #krate::Error<E>>,
        ) -> Result<(), String> {
            match result {
                Ok(response) => match response.headers().get("sl-violations") {
                    Some(violations) => Err(format!("violations: {violations:?}")),
                    None => Ok(()),
                },
                Err(error) => Err(format!("{error}: {error:?}")),
            }
        }

        fn main() {
            let base_url = std::env::args().nth(1).expect("the server's URL as the first argument");
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("a Tokio runtime");
            let report = runtime.block_on(call_everything(base_url));
            for failure in &report.failed {
                println!("failed {failure}");
            }
            for operation in &report.skipped {
                println!("skipped {operation}: no example arguments");
            }
            println!(
                "{} passed, {} failed, {} skipped",
                report.passed,
                report.failed.len(),
                report.skipped.len()
            );
            if !report.failed.is_empty() {
                std::process::exit(1);
            }
        }

        async fn call_everything(base_url: String) -> Report {
            let client = #krate::Client::builder(base_url)
                #(#credentials)*
                .retry(runtime::RetryPolicy::none())
                .build()
                .expect("a client");
            let mut report = Report::default();
            #(#calls)*
            report
        }
    }
}
