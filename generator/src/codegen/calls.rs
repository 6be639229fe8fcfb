//! The call check: an example program, generated on request, that calls every operation once
//! with example arguments against a server (a mock server such as Prism, which validates each
//! request against the spec and answers from its schemas) and reports which calls failed.

use proc_macro2::TokenStream;
use quote::quote;

use super::sample;
use crate::ident;
use crate::ir::{Api, SchemeKind, StatusMatch};

/// `examples/call_every_operation.rs` for the crate named `crate_name`.
pub(crate) fn call_check(api: &Api, crate_name: &str) -> TokenStream {
    let krate = ident::ident(&ident::crate_ident(crate_name));
    let credentials = api.security_schemes.values().map(|scheme| {
        let method = ident::ident(&scheme.method);
        match scheme.kind {
            SchemeKind::Basic => quote!(.#method("user", "password")),
            _ => quote!(.#method("secret")),
        }
    });
    let calls = api.operations.values().map(|op| {
        let name = &op.name;
        let method = super::method_call(api, op, &op.method_name);
        if op
            .responses
            .iter()
            .any(|r| r.status == StatusMatch::Code(101))
        {
            let why = "it switches protocols (101), which one HTTP call cannot follow";
            return quote!(report.skip(#name, #why););
        }
        match sample::arguments(api, op) {
            Some(sample::Arguments { setup, args }) => quote! {
                {
                    #setup
                    let result = #method(#args).await;
                    report.record(#name, check(result));
                }
            },
            None => quote!(report.skip(#name, "no example arguments could be made");),
        }
    });
    quote! {
        //! Calls every operation once with example arguments against the server whose URL is the
        //! first argument, and fails if any call does not get a 2xx (or a redirect the operation
        //! declares) that decodes, or if the `sl-violations` header (the Prism mock server's
        //! report on the exchange) says that the request breaks the API description. Reports
        //! about the mock server's own response are listed, not failed.

        #![allow(dead_code, unused_imports)]

        use #krate::{runtime, types};

        #[derive(Default)]
        struct Report {
            passed: usize,
            mock_broke_spec: Vec<String>,
            failed: Vec<String>,
            skipped: Vec<(&'static str, &'static str)>,
        }

        impl Report {
            fn record(&mut self, operation: &str, outcome: Outcome) {
                match outcome {
                    Outcome::Passed => self.passed += 1,
                    Outcome::MockBrokeSpec(why) => {
                        self.passed += 1;
                        self.mock_broke_spec.push(format!("{operation}: {why}"));
                    }
                    Outcome::Failed(why) => self.failed.push(format!("{operation}: {why}")),
                }
            }

            fn skip(&mut self, operation: &'static str, why: &'static str) {
                self.skipped.push((operation, why));
            }
        }

        enum Outcome {
            Passed,
            /// The call passed, but the mock server's answer breaks the API description.
            MockBrokeSpec(String),
            Failed(String),
        }

        fn check<T, E: std::fmt::Debug, H>(
            result: Result<runtime::Response<T, H>, #krate::Error<E>>,
        ) -> Outcome {
            match result {
                Ok(response) => match response.headers().get("sl-violations") {
                    None => Outcome::Passed,
                    Some(violations) => {
                        let violations = violations.to_str().unwrap_or("(not text)").to_owned();
                        if about_the_response_only(&violations) {
                            Outcome::MockBrokeSpec(violations)
                        } else {
                            Outcome::Failed(format!("the request breaks the spec: {violations}"))
                        }
                    }
                },
                Err(error) => Outcome::Failed(format!("{error}: {error:?}")),
            }
        }

        /// Whether every violation Prism reports is located in its own response. A report that
        /// cannot be read counts against the request.
        fn about_the_response_only(violations: &str) -> bool {
            match serde_json::from_str::<Vec<serde_json::Value>>(violations) {
                Ok(list) => list.iter().all(|v| v["location"][0] == "response"),
                Err(_) => false,
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
            for note in &report.mock_broke_spec {
                println!("passed, but the mock's response breaks the spec: {note}");
            }
            for (operation, why) in &report.skipped {
                println!("skipped {operation}: {why}");
            }
            println!(
                "{} passed ({} with a mock response that breaks the spec), {} failed, {} skipped",
                report.passed,
                report.mock_broke_spec.len(),
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
