//! Codegen: turns the named IR into code (token streams and syntax trees), one per file of the
//! generated crate. It cannot fail: lowering and the passes made every decision that could.

mod calls;
mod docs;
mod enums;
mod examples;
mod expr;
mod groups;
mod objects;
mod operations;
mod paginate;
mod readme;
mod root;
mod sample;
mod shape;
mod summary;
mod tree;
mod type_docs;
mod types;
mod validate;

use proc_macro2::TokenStream;
use quote::quote;

use crate::ident;
use crate::ir::{Api, Directions, Operation, Outcome, TypeDef};
use crate::pointer::Pointer;

pub(crate) use docs::sanitize as sanitize_markdown;
pub(crate) use readme::usage as readme_usage;

/// The code of one file, in file order: fragments of tokens, which rendering parses, and items
/// built directly as syntax trees (see `tree`). Only the first fragment may hold inner
/// attributes (the module's doc).
pub(crate) struct Code(pub(crate) Vec<Fragment>);

pub(crate) enum Fragment {
    Tokens(TokenStream),
    Items(Vec<syn::Item>),
}

impl From<TokenStream> for Code {
    fn from(tokens: TokenStream) -> Self {
        Code(vec![Fragment::Tokens(tokens)])
    }
}

/// One file of the generated crate. Files depend only on the IR, never on each other, so the
/// render stage emits and formats them in parallel.
pub(crate) enum Unit<'a> {
    LibRs,
    TypesMod,
    OperationsMod,
    Group(usize),
    Servers,
    Patterns,
    Credentials,
    Type(&'a Pointer, &'a TypeDef),
    Operation(&'a Operation),
    Params(&'a Operation),
    Headers(&'a Operation),
    Outcome(&'a Operation, &'a Outcome),
    ExampleCheck,
    CallCheck,
}

/// The derives and attributes the configuration adds to a type (checked to parse when it was
/// read, so none is dropped here).
fn custom_attrs(def: &TypeDef) -> Vec<syn::Attribute> {
    let mut attrs = Vec::new();
    let derives: Vec<syn::Path> = def
        .custom
        .derives
        .iter()
        .filter_map(|d| syn::parse_str(d).ok())
        .collect();
    if !derives.is_empty() {
        attrs.push(syn::parse_quote!(#[derive(#(#derives),*)]));
    }
    for text in &def.custom.attributes {
        if let Ok(parsed) = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, text) {
            attrs.extend(parsed);
        }
    }
    attrs
}

/// The crate's root file.
pub(crate) const ROOT_FILE: &str = "src/lib.rs";

/// The Rust source files of a generated crate, by path relative to the crate root, in a fixed
/// order; the two conformance programs only when asked for.
pub(crate) fn plan(api: &Api, example_check: bool, call_check: bool) -> Vec<(String, Unit<'_>)> {
    let mut files = vec![
        (ROOT_FILE.to_owned(), Unit::LibRs),
        ("src/types/mod.rs".to_owned(), Unit::TypesMod),
        ("src/operations/mod.rs".to_owned(), Unit::OperationsMod),
    ];
    if !api.servers.is_empty() {
        files.push(("src/servers.rs".to_owned(), Unit::Servers));
    }
    if !api.patterns.is_empty() {
        files.push(("src/patterns.rs".to_owned(), Unit::Patterns));
    }
    if !api.security_schemes.is_empty() {
        files.push(("src/credentials.rs".to_owned(), Unit::Credentials));
    }
    for (at, def) in &api.types {
        files.push((format!("src/types/{}.rs", def.module), Unit::Type(at, def)));
    }
    let folders: Vec<String> = (0..api.groups.len())
        .map(|g| group_folder(api, g))
        .collect();
    for (g, folder) in folders.iter().enumerate() {
        files.push((format!("{folder}/mod.rs"), Unit::Group(g)));
    }
    for op in api.operations.values() {
        let folder = folders
            .get(op.group)
            .map_or("src/operations", String::as_str);
        files.push((format!("{folder}/{}.rs", op.module), Unit::Operation(op)));
        if op.has_params_struct() {
            files.push((
                format!("src/types/{}.rs", op.params_module),
                Unit::Params(op),
            ));
        }
        if op.has_headers_struct() {
            files.push((
                format!("src/types/{}.rs", op.headers_module),
                Unit::Headers(op),
            ));
        }
        for outcome in [&op.success, &op.error] {
            if let Outcome::ByStatus { module, .. } = outcome {
                files.push((format!("src/types/{module}.rs"), Unit::Outcome(op, outcome)));
            }
        }
    }
    if example_check {
        files.push(("examples/decode_examples.rs".to_owned(), Unit::ExampleCheck));
    }
    if call_check {
        files.push((
            "examples/call_every_operation.rs".to_owned(),
            Unit::CallCheck,
        ));
    }
    files
}

/// The code of one file. `crate_name` is the crate's package name, which documentation
/// examples use.
pub(crate) fn emit(api: &Api, crate_name: &str, unit: &Unit<'_>) -> Code {
    let krate = crate_name.replace('-', "_");
    match *unit {
        Unit::LibRs => root::lib_rs(api).into(),
        Unit::TypesMod => root::types_mod(api).into(),
        Unit::OperationsMod => groups::operations_mod(api).into(),
        Unit::Group(g) => groups::group_mod(api, g).into(),
        Unit::Servers => root::servers_rs(api).into(),
        Unit::Patterns => validate::patterns_file(api).into(),
        Unit::Credentials => root::credentials_rs(api).into(),
        Unit::Type(at, def) => types::type_file(api, at, def),
        Unit::Operation(op) => operations::operation_file(api, op, &krate).into(),
        Unit::Params(op) => types::params_file(api, op),
        Unit::Headers(op) => types::headers_file(api, op),
        Unit::Outcome(op, outcome) => operations::outcome_file(api, op, outcome).into(),
        Unit::ExampleCheck => examples::example_check(api, crate_name).into(),
        Unit::CallCheck => calls::call_check(api, crate_name).into(),
    }
}

use crate::ir::FULL_SERDE;

/// The folder of a group's files: `src/operations/<module>/...`, nested as the groups nest.
fn group_folder(api: &Api, group: usize) -> String {
    let mut folder = "src/operations".to_owned();
    for g in api.group_chain(group) {
        folder.push('/');
        folder.push_str(&g.module);
    }
    folder
}

/// `#[cfg(...)]` for code that any of `features` compiles; nothing for code always compiled.
pub(crate) fn feature_gate(features: &[String]) -> TokenStream {
    match features {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// The features that compile the code of an operation: its group's.
fn operation_features(api: &Api, op: &Operation) -> Vec<String> {
    api.groups
        .get(op.group)
        .map(|g| vec![g.feature.clone()])
        .unwrap_or_default()
}

/// How documentation links to an operation's method:
/// ``[`Pets::list`](crate::operations::pets::Pets::list)``.
fn method_link(api: &Api, op: &Operation) -> String {
    let type_name = api
        .groups
        .get(op.group)
        .map_or("", |g| g.type_name.as_str());
    format!(
        "[`{type_name}::{}`](crate::{})",
        op.method_name,
        op.method_path()
    )
}

/// How an operation is called, as text for docs: `client.pets().list()`.
fn call_text(api: &Api, op: &Operation) -> String {
    let mut call = "client".to_owned();
    for group in api.group_chain(op.group) {
        call.push_str(&format!(".{}()", group.module));
    }
    call.push_str(&format!(".{}()", op.method_name));
    call
}

/// The expression that reaches an operation's method from `client`:
/// `client.pets().list`.
fn method_call(api: &Api, op: &Operation, method: &str) -> TokenStream {
    let accessors = api
        .group_chain(op.group)
        .into_iter()
        .map(|g| ident::ident(&g.module));
    let method = ident::ident(method);
    quote!(client #(.#accessors())* .#method)
}

/// What goes before a type's `Serialize` and its `Deserialize` impl: nothing for a direction
/// the type travels, the `full-serde` feature gate for one it does not.
fn serde_cfgs(directions: Directions) -> (TokenStream, TokenStream) {
    let (sent, received) = serde_cfg_attrs(directions);
    let tokens = |attrs: Vec<syn::Attribute>| quote!(#(#attrs)*);
    (tokens(sent), tokens(received))
}

/// `serde_cfgs` as attributes, for impls built as syntax trees.
fn serde_cfg_attrs(directions: Directions) -> (Vec<syn::Attribute>, Vec<syn::Attribute>) {
    let gate = |needed: bool| {
        if needed {
            Vec::new()
        } else {
            vec![tree::list_attr("cfg", quote!(feature = #FULL_SERDE))]
        }
    };
    (gate(directions.sent), gate(directions.received))
}
