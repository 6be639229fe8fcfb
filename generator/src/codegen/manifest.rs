//! The generated crate's `Cargo.toml` (written with the `toml` crate) and module mode's
//! `dependencies.toml`: its dependencies and features.

use super::{header_line, one_line};
use crate::ir::{Api, Shape};

/// The dependencies of every generated crate. `generator/runtime/crate/Cargo.toml` must list the
/// same (a test below checks), since the runtime is compiled there with them.
const DEPENDENCIES: &str = r#"
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
pub(crate) struct CrateInfo<'a> {
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

/// Dependencies that only crates whose types need them get.
const OPTIONAL_DEPENDENCIES: &str = r#"
chrono = { version = "0.4", default-features = false, features = ["serde", "std"] }
jiff = { version = "0.2", default-features = false, features = ["serde", "std"] }
regex = "1"
uuid = { version = "1", default-features = false, features = ["serde", "std"] }
"#;

/// The dev-dependencies of a crate with the call check example.
const CALL_CHECK_DEPENDENCIES: &str = r#"
tokio = { version = "1", features = ["rt", "time"] }
"#;

/// The dependencies of every generated crate, as a TOML table.
fn dependencies() -> toml::Table {
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
fn features(api: &Api) -> toml::Table {
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
fn dependencies_for(api: &Api, extra: &toml::Table) -> toml::Table {
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
pub(crate) fn cargo_toml(api: &Api, info: &CrateInfo<'_>) -> String {
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
pub(crate) fn default_features(api: &Api) -> std::collections::BTreeSet<String> {
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
pub(crate) fn module_dependencies(api: &Api, info: &CrateInfo<'_>) -> String {
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
    fn the_runtime_is_tested_with_the_dependencies_generated_crates_get() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/runtime/crate/Cargo.toml");
        let manifest: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
        assert_eq!(
            manifest["dependencies"].as_table(),
            Some(&dependencies()),
            "{path} and DEPENDENCIES"
        );
    }

    #[test]
    #[should_panic(expected = "internal error")]
    fn a_broken_constant_stops_generation() {
        constant_table("reqwest = {");
    }
}
