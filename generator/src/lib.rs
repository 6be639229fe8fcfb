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
//! `load`, `lower`, `passes`, `pointer`, `settings`) are the pipeline's stages, public only
//! for the generator's own tests and benchmarks: they change without notice.

#[doc(hidden)]
pub mod bundle;
mod codegen;
mod config;
pub mod diagnostics;
#[cfg(feature = "diff")]
pub mod diff;
mod digest;
#[doc(hidden)]
pub mod ident;
#[doc(hidden)]
pub mod ir;
#[doc(hidden)]
pub mod load;
#[doc(hidden)]
pub mod lower;
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
mod threads;

use std::path::PathBuf;

use crate::diagnostics::{Diagnostic, Diagnostics};

pub use config::{Config, Error, Outcome};
pub use output::spec_label;

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
    pub pagination: Vec<PaginationReport>,
    /// Seconds spent in each stage.
    pub seconds: Timings,
}

/// One decision of the pagination pass.
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct PaginationReport {
    /// The operation's JSON pointer.
    pub operation: String,
    /// Whether it got a streaming method.
    pub streams: bool,
    /// What was read, or why no streaming method was made.
    pub reading: String,
}

/// The former name of [`PaginationReport`].
#[deprecated(note = "renamed `PaginationReport`")]
pub type PagingReport = PaginationReport;

/// Generation failed; the diagnostics (errors first, then warnings) say why and where.
#[derive(Debug)]
pub struct Failed {
    pub diagnostics: Vec<Diagnostic>,
}

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
    threads::on_deep_stack(|| pipeline(source_name, spec, options, observer)).unwrap_or_else(|| {
        Err(Failed {
            diagnostics: vec![Diagnostic::file_error(
                "internal error: the generator panicked; please report this with the spec",
            )],
        })
    })
}

/// The pipeline, stage by stage. Each stage's diagnostics are collected; errors stop it at the
/// end of the stage that found them.
fn pipeline(
    source_name: &str,
    spec: &[u8],
    options: &Options,
    observer: &(dyn Fn(Stage) + Sync),
) -> Result<Generated, Failed> {
    let mut clock = Clock::start(observer);
    let mut diags = Diagnostics::default();
    let (document, inputs) = load_document(source_name, spec, options, &mut diags)?;
    clock.end(Stage::Load);

    let pool = threads::worker_pool();
    let (mut api, lowered) = lower::lower(&document, pool.as_ref());
    diags.extend(lowered);
    // From here on only the digest reads the document: a thread of its own computes it and
    // then drops the document, beside the passes and codegen.
    let digest = threads::beside(document, |document| digest::content_digest(&document));
    stop_on_errors(&mut diags)?;
    clock.end(Stage::Lower);

    passes::run(&mut api, &mut diags, pool.as_ref(), &options.customize);
    stop_on_errors(&mut diags)?;
    clock.end(Stage::Passes);

    let crate_name = ident::package_name(options.crate_name.as_deref(), &api.title)
        .map_err(|error| failed(&mut diags, Diagnostic::file_error(error)))?;
    let plan = codegen::plan(&api, options.example_check, options.call_check);
    let module = module_mode(options, &api, &plan).map_err(|error| failed(&mut diags, error))?;
    let rendered = render::rust_files(
        pool.as_ref(),
        &api,
        &crate_name,
        plan,
        &options.spec_label,
        module.as_ref(),
    );
    clock.end_rendering(rendered.codegen, rendered.render);

    let mut files = source_files(rendered.files, module.as_ref(), &options.spec_label)
        .map_err(|error| failed(&mut diags, error))?;
    let digest = digest.wait().ok_or_else(|| {
        let error = "internal error: the spec's digest could not be computed; please report this";
        failed(&mut diags, Diagnostic::file_error(error))
    })?;
    files.extend(crate_files(
        &api,
        options,
        &crate_name,
        &digest,
        module.is_some(),
    ));
    clock.lap(|t| &mut t.render);

    Ok(Generated {
        files,
        warnings: diags.into_sorted(),
        report: Report::of(&api, clock.timings),
        api,
        inputs,
    })
}

/// The spec as one JSON value: parsed, its references to other files bundled in, its overlays
/// applied; and the files that were read beside it.
fn load_document(
    source_name: &str,
    spec: &[u8],
    options: &Options,
    diags: &mut Diagnostics,
) -> Result<(serde_json::Value, Vec<PathBuf>), Failed> {
    let mut document = load::parse(source_name, spec).map_err(|d| Failed {
        diagnostics: vec![d],
    })?;
    bundle::bundle(&mut document, options.folders.as_ref(), diags);
    let inputs = bundle::files_read(&document, options.folders.as_ref());
    for overlay in &options.overlays {
        load::overlay::apply(&mut document, overlay, diags);
    }
    Ok((document, inputs))
}

/// Module mode's settings, or `None` when a crate is generated. A mapped type in a host module
/// named like one of the module's own files cannot be told from it: an error.
fn module_mode(
    options: &Options,
    api: &ir::Api,
    plan: &[(String, codegen::Unit<'_>)],
) -> Result<Option<render::module::Module>, Diagnostic> {
    let Some(path) = &options.module else {
        return Ok(None);
    };
    let module = render::module::Module {
        path: path.clone(),
        features: codegen::default_features(api),
        foreign: foreign_roots(api),
    };
    let own: std::collections::BTreeSet<&str> = plan
        .iter()
        .filter_map(|(path, _)| path.strip_prefix("src/"))
        .map(|rest| rest.split(['/', '.']).next().unwrap_or(rest))
        .chain(["runtime"])
        .collect();
    match module
        .foreign
        .iter()
        .find(|root| own.contains(root.as_str()))
    {
        Some(clash) => Err(Diagnostic::file_error(format!(
            "a mapped type is in the host crate's `crate::{clash}`, which module mode cannot tell from the module's own `{clash}`; move the type or name it by another path"
        ))),
        None => Ok(Some(module)),
    }
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

/// The crate's Rust files, rendered and copied from the runtime, each where it goes (in module
/// mode, the module's layout); the first file that failed to render stops it.
fn source_files(
    rendered: Vec<(String, Result<String, Diagnostic>)>,
    module: Option<&render::module::Module>,
    spec_label: &str,
) -> Result<output::Files, Diagnostic> {
    let place = |path: &str| match module {
        Some(_) => output::module_path(path),
        None => path.to_owned(),
    };
    let mut files = output::Files::new();
    for (path, text) in rendered {
        files.insert(place(&path), text?.into_bytes());
    }
    for (name, source) in runtime_files::FILES {
        let text = render::runtime_file(source, spec_label);
        files.insert(place(&format!("src/runtime/{name}")), text.into_bytes());
    }
    Ok(files)
}

/// The files beside the Rust code: a crate's `Cargo.toml` and `README.md`, or module mode's
/// `dependencies.toml`.
fn crate_files(
    api: &ir::Api,
    options: &Options,
    crate_name: &str,
    digest: &str,
    module: bool,
) -> Vec<(String, Vec<u8>)> {
    let info = codegen::CrateInfo {
        call_check: options.call_check,
        example_check: options.example_check,
        name: crate_name,
        version: &options.crate_version,
        spec_label: &options.spec_label,
        spec_sha256: digest,
        extra_dependencies: &options.dependencies,
    };
    if module {
        let dependencies = codegen::module_dependencies(api, &info);
        vec![(
            output::MODULE_DEPENDENCIES.to_owned(),
            dependencies.into_bytes(),
        )]
    } else {
        vec![
            (
                "Cargo.toml".to_owned(),
                codegen::cargo_toml(api, &info).into_bytes(),
            ),
            (
                "README.md".to_owned(),
                codegen::readme(api, &info).into_bytes(),
            ),
        ]
    }
}

impl Report {
    fn of(api: &ir::Api, seconds: Timings) -> Report {
        Report {
            operations: api.operations.len(),
            operations_skipped: api.stats.operations_skipped,
            types: api.types.len(),
            schemas: api.stats.schemas,
            untyped: api.stats.untyped,
            examples: api.examples.len(),
            pagination: api
                .stats
                .pagination
                .iter()
                .map(|d| PaginationReport {
                    operation: d.operation.to_string(),
                    streams: d.streams,
                    reading: d.reading.clone(),
                })
                .collect(),
            seconds,
        }
    }
}

/// The error that stops generation, after the diagnostics collected so far.
fn failed(diags: &mut Diagnostics, error: Diagnostic) -> Failed {
    diags.push(error);
    Failed {
        diagnostics: std::mem::take(diags).into_sorted(),
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

/// Seconds spent in each stage of the pipeline (reported, never written into the crate).
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Timings {
    pub load: f64,
    pub lower: f64,
    pub passes: f64,
    pub codegen: f64,
    pub render: f64,
}

/// Times the stages and tells the observer when each ends.
struct Clock<'o> {
    last: std::time::Instant,
    timings: Timings,
    observer: &'o (dyn Fn(Stage) + Sync),
}

impl<'o> Clock<'o> {
    fn start(observer: &'o (dyn Fn(Stage) + Sync)) -> Self {
        Clock {
            last: std::time::Instant::now(),
            timings: Timings::default(),
            observer,
        }
    }

    /// Ends `stage`: the time since the last lap is its own (codegen and rendering, which
    /// measure their own, end with [`Clock::end_rendering`]).
    fn end(&mut self, stage: Stage) {
        match stage {
            Stage::Load => self.lap(|t| &mut t.load),
            Stage::Lower => self.lap(|t| &mut t.lower),
            Stage::Passes => self.lap(|t| &mut t.passes),
            Stage::CodegenAndRender => self.lap(|t| &mut t.render),
        }
        (self.observer)(stage);
    }

    /// Ends codegen and rendering, which measure their own times (they run interleaved).
    fn end_rendering(&mut self, codegen: std::time::Duration, render: std::time::Duration) {
        self.timings.codegen += codegen.as_secs_f64();
        self.timings.render += render.as_secs_f64();
        self.last = std::time::Instant::now();
        (self.observer)(Stage::CodegenAndRender);
    }

    /// Adds the time since the last lap to the stage `field` picks.
    fn lap(&mut self, field: impl FnOnce(&mut Timings) -> &mut f64) {
        let now = std::time::Instant::now();
        *field(&mut self.timings) += (now - self.last).as_secs_f64();
        self.last = now;
    }
}
