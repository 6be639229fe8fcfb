//! The generated crate's `Cargo.toml` (written with the `toml` crate) and `README.md`, and the
//! crate name policy.

use crate::diagnostics::Diagnostic;
use crate::ir::{Api, Shape};

/// The dependencies of every generated crate. `generator/runtime/crate/Cargo.toml` must list the same
/// (a test checks), since the runtime is compiled there with them.
pub const DEPENDENCIES: &str = r#"
base64 = "0.23"
bytes = "1"
fastrand = "2"
form_urlencoded = "1"
futures-util = { version = "0.3", default-features = false }
httpdate = "1"
percent-encoding = "2"
reqwest = { version = "0.13", default-features = false, features = ["multipart", "stream"] }
rustls = { version = "0.23", default-features = false, features = ["ring", "std", "tls12"], optional = true }
rustls-platform-verifier = { version = "0.7", optional = true }
serde = "1"
serde_json = "1"
tokio = { version = "1", default-features = false, features = ["fs", "io-util", "sync", "time"] }
tracing = { version = "0.1", default-features = false, features = ["std"] }
"#;

/// What the manifest and README say about the crate.
pub struct CrateInfo<'a> {
    pub name: &'a str,
    pub version: &'a str,
    /// The spec's path relative to the crate, as recorded in the output.
    pub spec_label: &'a str,
    /// SHA-256 of the spec's content (canonical JSON), the only place the output records it.
    pub spec_sha256: &'a str,
    /// The crate has the call check example, which needs Tokio.
    pub call_check: bool,
    /// The crate has the example check, which decodes request examples too and so needs the
    /// `full-serde` feature.
    pub example_check: bool,
    /// Dependencies the configuration adds (for the types it maps fields to).
    pub extra_dependencies: &'a toml::Table,
}

/// The crate name: `--name` if given (validated), else derived from the spec's title.
pub fn crate_name(explicit: Option<&str>, api: &Api) -> Result<String, Diagnostic> {
    match explicit {
        Some(name) => validate_crate_name(name).map(|()| name.to_owned()),
        None => Ok(derived_crate_name(&api.title)),
    }
}

fn derived_crate_name(title: &str) -> String {
    let mut name = crate::ident::words(title).join("-").to_ascii_lowercase();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, if name.is_empty() { "api" } else { "api-" });
    }
    name.truncate(64);
    let name = name.trim_end_matches('-').to_owned();
    if validate_crate_name(&name).is_ok() {
        name
    } else {
        format!("{name}-api")
    }
}

/// Names Cargo accepts and that do not shadow a standard crate.
pub fn validate_crate_name(name: &str) -> Result<(), Diagnostic> {
    const RESERVED: &[&str] = &[
        "alloc",
        "core",
        "proc_macro",
        "std",
        "test",
        "build",
        "deps",
        "examples",
        "incremental",
    ];
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let starts_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
    let as_ident = name.replace('-', "_");
    if name.is_empty() || name.len() > 64 || !valid_chars || !starts_with_letter {
        return Err(Diagnostic::file_error(format!(
            "`{name}` is not a valid crate name: use 1 to 64 ASCII letters, digits, `-` or `_`, starting with a letter"
        )));
    }
    if RESERVED.contains(&as_ident.as_str()) || crate::ident::is_keyword(&as_ident) {
        return Err(Diagnostic::file_error(format!(
            "`{name}` is reserved and cannot name a crate"
        )));
    }
    Ok(())
}

/// Dependencies that only crates whose types need them get.
pub const OPTIONAL_DEPENDENCIES: &str = r#"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
jiff = { version = "0.2", default-features = false, features = ["serde", "std"] }
regex = "1"
uuid = { version = "1", default-features = false, features = ["serde", "std"] }
"#;

/// The dev-dependencies of a crate with the call check example.
pub const CALL_CHECK_DEPENDENCIES: &str = r#"
tokio = { version = "1", features = ["rt", "time"] }
"#;

/// The dependencies of every generated crate, as a TOML table.
pub fn dependencies() -> toml::Table {
    constant_table(DEPENDENCIES)
}

/// One of the TOML constants above, parsed. They are the generator's own text, checked by a
/// test, so a failure is a bug in this file: it stops generation rather than write a manifest
/// without the dependencies.
fn constant_table(text: &str) -> toml::Table {
    text.parse()
        .unwrap_or_else(|e| panic!("internal error: a TOML constant of manifest.rs: {e}"))
}

/// A manifest table as TOML text. A table of strings, arrays and tables always serializes; a
/// failure is a bug, which stops generation rather than write an empty file.
fn toml_text(root: &toml::Table) -> String {
    toml::to_string(root)
        .unwrap_or_else(|e| panic!("internal error: a generated manifest as TOML: {e}"))
}

/// The features of the crate generated for `api`: `default` first, then one per group (a
/// group's feature enables those of the groups inside it), `webhooks` and `unused-schemas` when
/// the crate has such types, and `full-serde`, which gives every type both serde traits.
pub fn features(api: &Api) -> toml::Table {
    let list = |features: &[String]| {
        toml::Value::Array(features.iter().map(|f| f.as_str().into()).collect())
    };
    let mut entries: Vec<(String, toml::Value)> = Vec::new();
    for (i, group) in api.groups.iter().enumerate() {
        let mut children: Vec<String> = api
            .child_groups(Some(i))
            .into_iter()
            .map(|g| api.groups[g].feature.clone())
            .collect();
        children.sort();
        entries.push((group.feature.clone(), list(&children)));
    }
    for feature in [&api.features.webhooks, &api.features.unused]
        .into_iter()
        .flatten()
    {
        entries.push((feature.clone(), list(&[])));
    }
    entries.push((crate::ir::FULL_SERDE.to_owned(), list(&[])));
    for (feature, enables) in crate::ir::TLS_FEATURES {
        let enables: Vec<String> = enables.iter().map(|e| (*e).to_owned()).collect();
        entries.push((feature.to_owned(), list(&enables)));
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    let mut default = vec![crate::ir::TLS_FEATURES[0].0.to_owned()];
    default.extend(api.features.default.iter().cloned());
    default.sort();
    let mut table = toml::Table::new();
    table.insert("default".into(), list(&default));
    table.extend(entries);
    table
}

/// The dependencies of the crate generated for `api`: the common ones, plus `chrono` for dates,
/// `uuid` for UUIDs and `regex` for patterns, when it uses them, the library a mapped type's
/// path starts with (`jiff::Timestamp`), and those the configuration adds.
pub fn dependencies_for(api: &Api, extra: &toml::Table) -> toml::Table {
    let mut table = dependencies();
    let optional = constant_table(OPTIONAL_DEPENDENCIES);
    let mapped = |library: &str| {
        api.any_shape(|s| match s {
            Shape::External(path) => path.trim_start().split("::").next() == Some(library),
            _ => false,
        })
    };
    let needs = [
        (
            "chrono",
            api.any_shape(|s| matches!(s, Shape::DateTime | Shape::Date)) || mapped("chrono"),
        ),
        ("jiff", mapped("jiff")),
        (
            "uuid",
            api.any_shape(|s| matches!(s, Shape::Uuid)) || mapped("uuid"),
        ),
        ("regex", !api.patterns.is_empty()),
    ];
    for (name, needed) in needs {
        if let (true, Some(spec)) = (needed, optional.get(name)) {
            table.insert(name.to_owned(), spec.clone());
        }
    }
    table.extend(extra.iter().map(|(k, v)| (k.clone(), v.clone())));
    let mut entries: Vec<(String, toml::Value)> = table.into_iter().collect();
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    entries.into_iter().collect()
}

/// `Cargo.toml` of the generated crate.
pub fn cargo_toml(api: &Api, info: &CrateInfo<'_>) -> String {
    let mut package = toml::Table::new();
    package.insert("name".into(), info.name.into());
    package.insert("version".into(), info.version.into());
    package.insert("edition".into(), "2024".into());
    package.insert("rust-version".into(), "1.88".into());
    package.insert("publish".into(), false.into());
    package.insert(
        "description".into(),
        format!(
            "Rust client for the {} API, generated from its OpenAPI description.",
            one_line(&api.title)
        )
        .into(),
    );
    package.insert("readme".into(), "README.md".into());
    let mut sdkgen = toml::Table::new();
    sdkgen.insert("spec".into(), info.spec_label.into());
    sdkgen.insert("spec-content-sha256".into(), info.spec_sha256.into());
    sdkgen.insert("generator-version".into(), env!("CARGO_PKG_VERSION").into());
    let mut metadata = toml::Table::new();
    metadata.insert("sdkgen".into(), sdkgen.into());
    package.insert("metadata".into(), metadata.into());
    let mut root = toml::Table::new();
    root.insert("package".into(), package.into());
    root.insert(
        "dependencies".into(),
        dependencies_for(api, info.extra_dependencies).into(),
    );
    root.insert("features".into(), features(api).into());
    // The conformance programs use every type and operation: they need every feature.
    let mut examples = Vec::new();
    let needs = |extra: Option<&str>| {
        let mut features = api.api_features();
        features.extend(extra.map(str::to_owned));
        features.sort();
        toml::Value::Array(features.into_iter().map(toml::Value::from).collect())
    };
    if info.example_check {
        let mut example = toml::Table::new();
        example.insert("name".into(), "decode_examples".into());
        example.insert(
            "required-features".into(),
            needs(Some(crate::ir::FULL_SERDE)),
        );
        examples.push(toml::Value::Table(example));
    }
    if info.call_check {
        let mut example = toml::Table::new();
        example.insert("name".into(), "call_every_operation".into());
        example.insert("required-features".into(), needs(None));
        examples.push(toml::Value::Table(example));
    }
    if !examples.is_empty() {
        root.insert("example".into(), toml::Value::Array(examples));
    }
    if info.call_check {
        let dev = constant_table(CALL_CHECK_DEPENDENCIES);
        root.insert("dev-dependencies".into(), dev.into());
    }
    let body = toml_text(&root);
    format!("{}\n{body}", header_line("#", info.spec_label))
}

/// The features whose code a module-mode crate compiles: what `default` enables, followed
/// through the features each enables.
pub fn default_features(api: &Api) -> std::collections::BTreeSet<String> {
    let table = features(api);
    let mut enabled = std::collections::BTreeSet::new();
    let mut stack = vec!["default".to_owned()];
    while let Some(feature) = stack.pop() {
        let Some(toml::Value::Array(enables)) = table.get(&feature) else {
            continue;
        };
        for next in enables.iter().filter_map(toml::Value::as_str) {
            if enabled.insert(next.to_owned()) {
                stack.push(next.to_owned());
            }
        }
    }
    enabled
}

/// Module mode's `dependencies.toml`: the `[dependencies]` a host crate needs for the module,
/// reqwest with the default TLS stack (a crate would get it from its `default` feature).
pub fn module_dependencies(api: &Api, info: &CrateInfo<'_>) -> String {
    let mut dependencies = dependencies_for(api, info.extra_dependencies);
    // What only a crate's other TLS features use.
    dependencies
        .retain(|_, spec| spec.get("optional").and_then(toml::Value::as_bool) != Some(true));
    if let Some(toml::Value::Table(reqwest)) = dependencies.get_mut("reqwest")
        && let Some(toml::Value::Array(features)) = reqwest.get_mut("features")
    {
        for tls in crate::ir::TLS_FEATURES[0].1 {
            features.push(tls.trim_start_matches("reqwest/").into());
        }
    }
    let mut root = toml::Table::new();
    root.insert("dependencies".into(), dependencies.into());
    let body = toml_text(&root);
    format!(
        "{}
{body}",
        header_line("#", info.spec_label)
    )
}

/// `README.md` of the generated crate.
pub fn readme(api: &Api, info: &CrateInfo<'_>) -> String {
    let mut out = format!("<!-- {} -->\n\n", header_text(info.spec_label));
    out.push_str(&format!("# {}\n\n", info.name));
    out.push_str(&format!(
        "A Rust client for the **{}** API{}, generated from its OpenAPI description.\n\n",
        crate::codegen::sanitize_markdown(&one_line(&api.title)),
        if api.api_version.is_empty() {
            String::new()
        } else {
            format!(
                " (version `{}`)",
                one_line(&api.api_version).replace('`', "'")
            )
        },
    ));
    if let Some(description) = &api.description {
        out.push_str(&crate::codegen::sanitize_markdown(description));
        out.push_str("\n\n");
    }
    out.push_str(&crate::codegen::readme_usage(
        api,
        &info.name.replace('-', "_"),
    ));
    out.push_str(&features_section(api, info.name));
    out.push_str(TLS_SECTION);
    out.push_str(&operations_section(api));
    out
}

fn operations_section(api: &Api) -> String {
    if api.operations.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "## Operations\n\n| Method | Feature | Request | Summary |\n|---|---|---|---|\n",
    );
    let mut ops: Vec<(String, &crate::ir::Operation)> = api
        .operations
        .values()
        .map(|op| (call_text(api, op), op))
        .collect();
    ops.sort_by(|a, b| a.0.cmp(&b.0));
    for (call, op) in ops {
        let summary = op
            .doc
            .summary
            .as_deref()
            .map(table_cell)
            .unwrap_or_default();
        let request = table_cell(&format!(
            "{} {}",
            op.method.as_str().to_ascii_uppercase(),
            op.path
        ));
        let feature = api.groups.get(op.group).map_or("", |g| g.feature.as_str());
        out.push_str(&format!(
            "| `{call}` | `{feature}` | {request} | {summary} |\n"
        ));
    }
    out.push('\n');
    out
}

/// How the default HTTP client speaks TLS, and how to choose (`ir::TLS_FEATURES`).
const TLS_SECTION: &str = "## TLS\n\nThe default HTTP client speaks HTTPS with rustls (and its \
    `aws-lc-rs` crypto provider) and checks certificates with the platform's verifier: the \
    `rustls` feature, on by default. `rustls-ring` uses rustls with the `ring` crypto provider \
    instead, given to this crate's client only (nothing is installed process-wide; a reqwest \
    client elsewhere in your program that has no TLS feature of its own would then need a \
    provider installed with `rustls::crypto::CryptoProvider::install_default`). The \
    `native-tls` feature uses the platform's TLS library (OpenSSL on Linux; with several, as \
    under `--all-features`, rustls is used and the platform library must still be there to \
    link). With `default-features = false`, name one of them, or the client speaks plain HTTP \
    only. `rustls` and `native-tls` give reqwest a complete TLS setup, so a reqwest your own \
    crate shares with this one keeps working as it did. To configure TLS yourself (client \
    certificates, another crypto provider, a proxy), build a `reqwest::Client` and pass it to \
    `ClientBuilder::http_client`.\n\n";

/// What each Cargo feature compiles, what `default` holds, and how to choose.
fn features_section(api: &Api, name: &str) -> String {
    if api.groups.is_empty() {
        return String::new();
    }
    let mut out = String::from(
        "## Groups and features\n\nEach group of operations is a Cargo feature; a type is \
         compiled when a feature that uses it is enabled. A group's feature also enables the \
         groups inside it.",
    );
    let count = api.operations.len();
    let example = api
        .groups
        .iter()
        .find(|g| g.parent.is_none())
        .map_or("", |g| g.feature.as_str());
    if api.features.default.is_empty() {
        out.push_str(&format!(
            " This API has {count} operations, too many to compile all of them by default: \
             `default` enables no group (only the TLS stack, below), and a build compiles \
             only the client and the features you name. Name the groups you call (`--all-features` compiles the whole \
             API):\n\n```toml\n[dependencies]\n{name} = {{ path = \"...\", features = [\"{example}\"] }}\n```\n\n"
        ));
    } else {
        out.push_str(&format!(
            " `default` enables every group: the API has {count} operations, few enough to \
             compile all of them. To compile only the groups you call, turn the default off and \
             name them:\n\n```toml\n\
             [dependencies]\n{name} = {{ path = \"...\", default-features = false, features = [\"rustls\", \"{example}\"] }}\n```\n\n"
        ));
    }
    out.push_str(
        "What a build costs grows with the operations it enables. For scale, measured on 2 \
         cores for a public API of 1,223 operations: `cargo check` of its crate alone takes \
         about 1 s with no group, 10 s with a group of 204 operations and 2 minutes \
         with every feature.\n\n",
    );
    out.push_str("| Feature | Group | Operations |\n|---|---|---|\n");
    for (i, group) in api.groups.iter().enumerate() {
        let operations = api.operations.values().filter(|op| op.group == i).count();
        let call = api
            .group_chain(i)
            .iter()
            .map(|g| format!(".{}()", g.module))
            .collect::<String>();
        out.push_str(&format!(
            "| `{}` | `client{call}` | {operations} |\n",
            group.feature
        ));
    }
    if let Some(webhooks) = &api.features.webhooks {
        out.push_str(&format!(
            "| `{webhooks}` | the payloads of the API's webhooks | |\n"
        ));
    }
    if let Some(unused) = &api.features.unused {
        out.push_str(&format!(
            "| `{unused}` | the schemas no operation uses | |\n"
        ));
    }
    out.push('\n');
    out
}

/// How an operation is called, from `client`: `client.pets().list()`.
fn call_text(api: &Api, op: &crate::ir::Operation) -> String {
    let mut call = "client".to_owned();
    for group in api.group_chain(op.group) {
        call.push_str(&format!(".{}()", group.module));
    }
    format!("{call}.{}()", op.method_name)
}

/// Spec text made safe for one Markdown table cell.
fn table_cell(text: &str) -> String {
    let text = crate::codegen::sanitize_markdown(&one_line(text));
    text.replace('|', "\\|")
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first line of every generated file, after the comment marker.
pub fn header_text(spec_label: &str) -> String {
    let spec: String = spec_label.chars().filter(|c| !c.is_control()).collect();
    format!(
        "@generated by `sdkgen generate {spec} --out .` (run in this crate's folder). Do not edit."
    )
}

/// The header as a line comment with the given marker (`//` or `#`).
pub fn header_line(marker: &str, spec_label: &str) -> String {
    format!("{marker} {}", header_text(spec_label))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_toml_constants_parse() {
        for (name, text) in [
            ("DEPENDENCIES", DEPENDENCIES),
            ("OPTIONAL_DEPENDENCIES", OPTIONAL_DEPENDENCIES),
            ("CALL_CHECK_DEPENDENCIES", CALL_CHECK_DEPENDENCIES),
        ] {
            let table: Result<toml::Table, _> = text.parse();
            assert!(
                table.is_ok_and(|t| !t.is_empty()),
                "{name} is not a TOML table"
            );
        }
    }

    #[test]
    #[should_panic(expected = "internal error")]
    fn a_broken_constant_stops_generation() {
        constant_table("reqwest = {");
    }
}
