//! sdkgen generates a Rust SDK crate from an OpenAPI description (3.0, 3.1, 3.2 or Swagger 2.0).
//!
//! A build script uses [`Config`]: it generates the crate of a checked-in spec, or under CI
//! only checks it. [`generate`] is the whole pipeline in memory, in order: load the text into a
//! JSON value, lower it into the IR (the only step that reads OpenAPI), run the passes, turn
//! the IR into code (token streams and syntax trees), and render it; [`output`] writes or
//! checks a folder. With the `diff` feature, [`diff`] compares the crates of two specs.
//! `ARCHITECTURE.md` has the map.
//!
//! The API is what this page documents. The modules marked hidden (`bundle`, `ident`, `ir`,
//! `load`, `lower`, `manifest`, `passes`, `pointer`, `settings`) are the pipeline's stages, public only
//! for the generator's own tests and benchmarks: they change without notice.

#[doc(hidden)]
pub mod bundle;
mod codegen;
mod config;
pub mod diagnostics;
#[cfg(feature = "diff")]
pub mod diff;
#[doc(hidden)]
pub mod ident;
#[doc(hidden)]
pub mod ir;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod lower;
#[doc(hidden)]
pub mod manifest;
pub mod output;
#[doc(hidden)]
pub mod passes;
#[doc(hidden)]
pub mod pointer;
mod pretty;
mod render;
mod runtime_files;
#[doc(hidden)]
pub mod settings;

use std::path::{Component, Path, PathBuf};

use crate::diagnostics::{Diagnostic, Diagnostics};

pub use config::{Config, Error, Outcome};

/// How to generate.
#[derive(Clone, Debug)]
pub struct Options {
    /// The crate name; derived from the spec's title when `None`.
    pub crate_name: Option<String>,
    /// The crate version (the spec's `info.version` is the API's version, not the crate's).
    pub crate_version: String,
    /// The spec's path as recorded in the output: relative to the crate's folder, with `/`.
    pub spec_label: String,
    /// Where references to other files are resolved from (the spec's folder) and may lead; with
    /// `None`, a reference to another file is an error.
    pub folders: Option<bundle::Folders>,
    /// Also write `examples/decode_examples.rs`, which decodes the spec's own examples into
    /// their generated types (a conformance check, not part of a normal crate).
    pub example_check: bool,
    /// Also write `examples/call_every_operation.rs`, which calls every operation once against
    /// a server given on its command line (a mock server), with Tokio as a dev-dependency.
    pub call_check: bool,
    /// Module mode: the files are a module to `include!` at this path of another crate
    /// (`["api"]` for `crate::api`), with no `Cargo.toml` (see [`output::MODULE_ROOT`]).
    pub module: Option<Vec<String>>,
    /// Overlays, applied in order to the spec before it is read.
    pub overlays: Vec<load::overlay::Overlay>,
    /// Selection, renames, type mapping, derives (the configuration's).
    pub customize: settings::Customize,
    /// Extra dependencies of the generated crate (the configuration's `[dependencies]`).
    pub dependencies: toml::Table,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            crate_name: None,
            crate_version: "0.1.0".to_owned(),
            spec_label: String::new(),
            folders: None,
            example_check: false,
            call_check: false,
            module: None,
            overlays: Vec::new(),
            customize: settings::Customize::default(),
            dependencies: toml::Table::new(),
        }
    }
}

/// A generated crate, in memory, and the warnings about the spec.
#[derive(Debug)]
pub struct Generated {
    pub files: output::Files,
    pub warnings: Vec<Diagnostic>,
    pub report: Report,
    /// The named IR the files were generated from (not part of the API).
    #[doc(hidden)]
    pub api: ir::Api,
    /// The files the spec's references named, which were read beside it.
    pub inputs: Vec<PathBuf>,
}

/// What was generated, for reports.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Report {
    /// Operations generated.
    pub operations: usize,
    /// Operations left out (each with a warning).
    pub operations_skipped: usize,
    /// Named types generated.
    pub types: usize,
    /// Schema nodes lowered (a node lowered in several places counts in each).
    pub schemas: usize,
    /// Schema nodes that fell back to untyped JSON (counted the same way).
    pub untyped: usize,
    /// The spec's `example` values, one per location, all checked by the example check.
    pub examples: usize,
    /// How the pagination pass read each operation that has a pagination statement or a query
    /// parameter named as a cursor, in pointer order.
    pub pagination: Vec<PagingReport>,
    /// Seconds spent in each stage.
    pub seconds: Timings,
}

/// One decision of the pagination pass.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct PagingReport {
    /// The operation's JSON pointer.
    pub operation: String,
    /// Whether it got a streaming method.
    pub streams: bool,
    /// What was read, or why no streaming method was made.
    pub reading: String,
}

/// Generation failed; the diagnostics (errors first, then warnings) say why and where.
#[derive(Debug)]
pub struct Failed {
    pub diagnostics: Vec<Diagnostic>,
}

/// Stack for the generation thread: deeply nested specs recurse deeply.
const STACK_SIZE: usize = 256 * 1024 * 1024;

/// Generates a crate from the spec text `spec`; `source_name` (a file name) helps detect JSON or
/// YAML.
pub fn generate(source_name: &str, spec: &[u8], options: &Options) -> Result<Generated, Failed> {
    generate_observed(source_name, spec, options, &|_| {})
}

/// A stage of the pipeline, as [`generate_observed`] reports it when it ends. Codegen and
/// rendering run interleaved, file by file, so they end together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Load,
    Lower,
    Passes,
    CodegenAndRender,
}

/// [`generate`], calling `observer` at the end of each stage (benchmarks read memory there).
pub fn generate_observed(
    source_name: &str,
    spec: &[u8],
    options: &Options,
    observer: &(dyn Fn(Stage) + Sync),
) -> Result<Generated, Failed> {
    std::thread::scope(|scope| {
        let worker = std::thread::Builder::new()
            .name("sdkgen".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, || pipeline(source_name, spec, options, observer));
        match worker {
            Ok(handle) => handle.join().unwrap_or_else(|_| {
                Err(Failed {
                    diagnostics: vec![Diagnostic::file_error(
                        "internal error: the generator panicked; please report this with the spec",
                    )],
                })
            }),
            Err(_) => pipeline(source_name, spec, options, observer),
        }
    })
}

/// The threads that lower chunks of the spec, name members, and emit and format files: one per
/// core (or `RAYON_NUM_THREADS`), with the same deep stack as the pipeline's own thread. `None`
/// if no thread can be started: the calling thread then does the work.
fn worker_pool() -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .thread_name(|i| format!("sdkgen-worker-{i}"))
        .stack_size(STACK_SIZE)
        .build()
        .ok()
}

fn pipeline(
    source_name: &str,
    spec: &[u8],
    options: &Options,
    observer: &(dyn Fn(Stage) + Sync),
) -> Result<Generated, Failed> {
    let mut clock = Clock::start();
    let mut document = load::parse(source_name, spec).map_err(|d| Failed {
        diagnostics: vec![d],
    })?;
    let mut diags = Diagnostics::default();
    bundle::bundle(&mut document, options.folders.as_ref(), &mut diags);
    let inputs = bundle::files_read(&document, options.folders.as_ref());
    for overlay in &options.overlays {
        load::overlay::apply(&mut document, overlay, &mut diags);
    }
    clock.lap(|t| &mut t.load);
    observer(Stage::Load);
    let pool = worker_pool();
    let lowered = lower::lower(&document, pool.as_ref());
    // After lowering, only the digest reads the document: a thread of its own computes it and
    // then drops the document, beside the passes and codegen.
    std::thread::scope(|scope| {
        let (send, receive) = std::sync::mpsc::channel::<serde_json::Value>();
        let worker = std::thread::Builder::new()
            .name("sdkgen-digest".to_owned())
            .stack_size(STACK_SIZE)
            .spawn_scoped(scope, move || receive.recv().ok().map(digest_and_drop));
        let digest: Box<dyn FnOnce() -> Option<String>> = match worker {
            Ok(handle) => match send.send(document) {
                Ok(()) => Box::new(move || handle.join().ok().flatten()),
                Err(unsent) => {
                    let digest = digest_and_drop(unsent.0);
                    Box::new(move || Some(digest))
                }
            },
            Err(_) => {
                let digest = digest_and_drop(document);
                Box::new(move || Some(digest))
            }
        };
        build(
            lowered,
            diags,
            clock,
            options,
            observer,
            digest,
            pool.as_ref(),
        )
        .map(|generated| Generated {
            inputs,
            ..generated
        })
    })
}

/// The digest of the document, which is then dropped (by the thread that computed it).
fn digest_and_drop(document: serde_json::Value) -> String {
    content_digest(&document)
}

/// Everything after lowering: the passes, codegen and render, and the manifest files.
fn build(
    (mut api, lowered): (ir::Api, Diagnostics),
    mut diags: Diagnostics,
    mut clock: Clock,
    options: &Options,
    observer: &(dyn Fn(Stage) + Sync),
    digest: impl FnOnce() -> Option<String>,
    pool: Option<&rayon::ThreadPool>,
) -> Result<Generated, Failed> {
    diags.extend(lowered);
    stop_on_errors(&mut diags)?;
    clock.lap(|t| &mut t.lower);
    observer(Stage::Lower);
    passes::run(&mut api, &mut diags, pool, &options.customize);
    stop_on_errors(&mut diags)?;
    clock.lap(|t| &mut t.passes);
    observer(Stage::Passes);
    let crate_name = match manifest::crate_name(options.crate_name.as_deref(), &api) {
        Ok(name) => name,
        Err(error) => return Err(failed(diags, error)),
    };
    let module = options.module.as_ref().map(|path| render::module::Module {
        path: path.clone(),
        features: manifest::default_features(&api),
        foreign: foreign_roots(&api),
    });
    let plan = codegen::plan(&api, options.example_check, options.call_check);
    if let Some(module) = &module {
        // A mapped type in a host module named like one of the crate's own cannot be told
        // from it.
        let own: std::collections::BTreeSet<&str> = plan
            .iter()
            .filter_map(|(path, _)| path.strip_prefix("src/"))
            .map(|rest| rest.split(['/', '.']).next().unwrap_or(rest))
            .chain(["runtime"])
            .collect();
        if let Some(clash) = module
            .foreign
            .iter()
            .find(|root| own.contains(root.as_str()))
        {
            let error = Diagnostic::file_error(format!(
                "a mapped type is in the host crate's `crate::{clash}`, which module mode cannot tell from the module's own `{clash}`; move the type or name it by another path"
            ));
            return Err(failed(diags, error));
        }
    }
    let rendered = render::rust_files(
        pool,
        &api,
        &crate_name,
        plan,
        &options.spec_label,
        module.as_ref(),
    );
    clock.add(rendered.codegen, |t| &mut t.codegen);
    clock.add(rendered.render, |t| &mut t.render);
    observer(Stage::CodegenAndRender);
    let mut files = output::Files::new();
    let place = |path: &str| match &module {
        Some(_) => output::module_path(path),
        None => path.to_owned(),
    };
    for (path, text) in rendered.files {
        match text {
            Ok(text) => files.insert(place(&path), text.into_bytes()),
            Err(error) => return Err(failed(diags, error)),
        };
    }
    for (name, source) in runtime_files::FILES {
        let text = render::runtime_file(source, &options.spec_label);
        files.insert(place(&format!("src/runtime/{name}")), text.into_bytes());
    }
    let Some(digest) = digest() else {
        let error = Diagnostic::file_error(
            "internal error: the spec's digest could not be computed; please report this",
        );
        return Err(failed(diags, error));
    };
    let info = manifest::CrateInfo {
        call_check: options.call_check,
        example_check: options.example_check,
        name: &crate_name,
        version: &options.crate_version,
        spec_label: &options.spec_label,
        spec_sha256: &digest,
        extra_dependencies: &options.dependencies,
    };
    if module.is_some() {
        files.insert(
            output::MODULE_DEPENDENCIES.to_owned(),
            manifest::module_dependencies(&api, &info).into_bytes(),
        );
    } else {
        files.insert(
            "Cargo.toml".to_owned(),
            manifest::cargo_toml(&api, &info).into_bytes(),
        );
        files.insert(
            "README.md".to_owned(),
            manifest::readme(&api, &info).into_bytes(),
        );
    }
    clock.lap(|t| &mut t.render);
    let report = Report {
        operations: api.operations.len(),
        operations_skipped: api.stats.operations_skipped,
        types: api.types.len(),
        schemas: api.stats.schemas,
        untyped: api.stats.untyped,
        examples: api.examples.len(),
        pagination: api
            .stats
            .paging
            .iter()
            .map(|d| PagingReport {
                operation: d.operation.to_string(),
                streams: d.streams,
                reading: d.reading.clone(),
            })
            .collect(),
        seconds: clock.timings,
    };
    Ok(Generated {
        files,
        warnings: diags.into_sorted(),
        report,
        api,
        inputs: Vec::new(),
    })
}

/// The root modules of the host crate that mapped types name (`money` of `crate::money::Money`):
/// module mode leaves their paths as they are.
fn foreign_roots(api: &ir::Api) -> std::collections::BTreeSet<String> {
    let mut roots = std::collections::BTreeSet::new();
    api.any_shape(|shape| {
        if let ir::Shape::External(path) = shape {
            // Every `crate::` in it, generic arguments too (`Vec<crate::money::Money>`).
            for (at, _) in path.match_indices("crate::") {
                let rest = &path[at + "crate::".len()..];
                let end = rest
                    .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .unwrap_or(rest.len());
                roots.insert(rest[..end].to_owned());
            }
        }
        false
    });
    roots
}

fn failed(mut diags: Diagnostics, error: Diagnostic) -> Failed {
    diags.push(error);
    Failed {
        diagnostics: diags.into_sorted(),
    }
}

/// Seconds spent in each stage of the pipeline (reported, never written into the crate).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Timings {
    pub load: f64,
    pub lower: f64,
    pub passes: f64,
    pub codegen: f64,
    pub render: f64,
}

struct Clock {
    last: std::time::Instant,
    timings: Timings,
}

impl Clock {
    fn start() -> Self {
        Clock {
            last: std::time::Instant::now(),
            timings: Timings::default(),
        }
    }

    /// Adds `time`, measured by the stage itself, to the stage `field` picks, and starts the next
    /// lap now.
    fn add(&mut self, time: std::time::Duration, field: impl FnOnce(&mut Timings) -> &mut f64) {
        *field(&mut self.timings) += time.as_secs_f64();
        self.last = std::time::Instant::now();
    }

    /// Adds the time since the last lap to the stage `field` picks.
    fn lap(&mut self, field: impl FnOnce(&mut Timings) -> &mut f64) {
        let now = std::time::Instant::now();
        *field(&mut self.timings) += (now - self.last).as_secs_f64();
        self.last = now;
    }
}

fn stop_on_errors(diags: &mut Diagnostics) -> Result<(), Failed> {
    if diags.has_errors() {
        Err(Failed {
            diagnostics: std::mem::take(diags).into_sorted(),
        })
    } else {
        Ok(())
    }
}

/// SHA-256 of the spec's content: its JSON form with object keys sorted, so that formatting,
/// comments and the order of keys do not change it (and do not change the generated crate).
fn content_digest(document: &serde_json::Value) -> String {
    use sha2::Digest;
    let mut canonical = Canonical {
        hasher: sha2::Sha256::new(),
        buffer: Vec::with_capacity(Canonical::FLUSH_AT + 4096),
    };
    canonical.value(document);
    canonical.flush();
    canonical
        .hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Writes the canonical JSON form of a value into a hash, through a buffer.
struct Canonical {
    hasher: sha2::Sha256,
    buffer: Vec<u8>,
}

impl Canonical {
    const FLUSH_AT: usize = 64 * 1024;

    fn value(&mut self, value: &serde_json::Value) {
        use serde_json::Value;
        match value {
            Value::Object(map) => {
                let mut entries: Vec<_> = map.iter().collect();
                entries.sort_by(|a, b| a.0.cmp(b.0));
                self.buffer.push(b'{');
                for (i, (key, value)) in entries.into_iter().enumerate() {
                    if i > 0 {
                        self.buffer.push(b',');
                    }
                    self.scalar(key);
                    self.buffer.push(b':');
                    self.value(value);
                }
                self.buffer.push(b'}');
            }
            Value::Array(items) => {
                self.buffer.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.buffer.push(b',');
                    }
                    self.value(item);
                }
                self.buffer.push(b']');
            }
            scalar => self.scalar(scalar),
        }
        if self.buffer.len() >= Self::FLUSH_AT {
            self.flush();
        }
    }

    /// A string or other scalar as JSON (writing into a `Vec` cannot fail).
    fn scalar(&mut self, scalar: &(impl serde::Serialize + ?Sized)) {
        let _ = serde_json::to_writer(&mut self.buffer, scalar);
    }

    fn flush(&mut self) {
        use sha2::Digest;
        self.hasher.update(&self.buffer);
        self.buffer.clear();
    }
}

/// The path of `spec` relative to the folder `out` (which need not exist yet), with `/`
/// separators: what generated files record, so that output does not depend on where the
/// generator ran.
pub fn spec_label(out: &Path, spec: &Path) -> String {
    let spec_abs = absolute(spec);
    let out_abs = absolute(out);
    let spec_parts: Vec<Component> = spec_abs.components().collect();
    let out_parts: Vec<Component> = out_abs.components().collect();
    let common = spec_parts
        .iter()
        .zip(&out_parts)
        .take_while(|(a, b)| a == b)
        .count();
    if common == 0 {
        return spec
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
    }
    let mut parts: Vec<String> = vec!["..".to_owned(); out_parts.len() - common];
    parts.extend(
        spec_parts[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// An absolute, normalized path: symlinks resolved for the part that exists.
fn absolute(path: &Path) -> PathBuf {
    let mut existing = path.to_path_buf();
    let mut rest = Vec::new();
    loop {
        if let Ok(canonical) = existing.canonicalize() {
            let mut result = canonical;
            for part in rest.iter().rev() {
                result.push(part);
            }
            return result;
        }
        match (
            existing.file_name().map(|n| n.to_os_string()),
            existing.parent(),
        ) {
            (Some(name), Some(parent)) => {
                rest.push(name);
                existing = if parent.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    parent.to_path_buf()
                };
            }
            _ => {
                return std::env::current_dir()
                    .map(|d| d.join(path))
                    .unwrap_or_else(|_| path.to_path_buf());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_content_digest_ignores_key_order_and_formatting() {
        let a = load::parse("a.json", br#"{"b": [1, {"y": 2, "x": "s"}], "a": null}"#).unwrap();
        let b = load::parse("b.yaml", b"a: ~\nb:\n- 1\n- x: s\n  y: 2\n").unwrap();
        let c = load::parse("c.yaml", b"a: ~\nb:\n- 1\n- x: t\n  y: 2\n").unwrap();
        assert_eq!(content_digest(&a), content_digest(&b));
        assert_ne!(content_digest(&a), content_digest(&c));
        assert_eq!(content_digest(&a).len(), 64);
    }

    #[test]
    fn spec_labels_are_relative_to_the_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("spec")).unwrap();
        let spec = dir.path().join("spec/api.yaml");
        std::fs::write(&spec, "x").unwrap();
        assert_eq!(
            spec_label(&dir.path().join("generated"), &spec),
            "../spec/api.yaml"
        );
        assert_eq!(
            spec_label(&dir.path().join("a/b"), &spec),
            "../../spec/api.yaml"
        );
        assert_eq!(spec_label(dir.path(), &spec), "spec/api.yaml");
    }
}
