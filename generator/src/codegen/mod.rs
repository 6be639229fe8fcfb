//! Codegen: turns the named IR into token streams, one per file of the generated crate. It
//! cannot fail: lowering and the passes made every decision that could.

mod calls;
mod docs;
mod enums;
mod examples;
mod operations;
mod paginate;
mod readme;
mod root;
mod sample;
mod shape;
mod types;
mod validate;

use proc_macro2::TokenStream;

use crate::ir::{Api, Outcome};

pub(crate) use calls::call_check;
pub(crate) use docs::sanitize as sanitize_markdown;
pub(crate) use examples::example_check;
pub(crate) use readme::usage as readme_usage;

/// The Rust source files of a generated crate, by path relative to the crate root.
/// `crate_name` is the crate's package name, which documentation examples use.
pub(crate) fn emit(api: &Api, crate_name: &str) -> Vec<(String, TokenStream)> {
    let krate = crate_name.replace('-', "_");
    let mut files = vec![
        ("src/lib.rs".to_owned(), root::lib_rs(api)),
        ("src/types/mod.rs".to_owned(), root::types_mod(api)),
        (
            "src/operations/mod.rs".to_owned(),
            root::operations_mod(api),
        ),
    ];
    if !api.servers.is_empty() {
        files.push(("src/servers.rs".to_owned(), root::servers_rs(api)));
    }
    if !api.patterns.is_empty() {
        files.push(("src/patterns.rs".to_owned(), validate::patterns_file(api)));
    }
    if !api.security_schemes.is_empty() {
        files.push(("src/credentials.rs".to_owned(), root::credentials_rs(api)));
    }
    for (at, def) in &api.types {
        files.push((
            format!("src/types/{}.rs", def.module),
            types::type_file(api, at, def),
        ));
    }
    for op in api.operations.values() {
        files.push((
            format!("src/operations/{}.rs", op.module),
            operations::operation_file(api, op, &krate),
        ));
        if op.has_params_struct() {
            files.push((
                format!("src/types/{}.rs", op.params_module),
                types::params_file(api, op),
            ));
        }
        if op.has_headers_struct() {
            files.push((
                format!("src/types/{}.rs", op.headers_module),
                types::headers_file(api, op),
            ));
        }
        for outcome in [&op.success, &op.error] {
            if let Outcome::ByStatus { module, .. } = outcome {
                files.push((
                    format!("src/types/{module}.rs"),
                    operations::outcome_file(api, op, outcome),
                ));
            }
        }
    }
    files
}
