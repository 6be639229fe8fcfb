//! The `sdkgen` command: `generate` writes a crate from a spec, `check` compares a directory with
//! what `generate` would write, `diff` explains the change between two versions of a spec.

mod diff;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use sdkgen::diagnostics::Diagnostic;
use sdkgen::{Config, Error, Options, output};

/// Generation allocates many small short-lived values (token trees, syntax nodes, strings) from
/// several threads; mimalloc serves them faster than the system allocator.
#[cfg(feature = "fast-alloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "sdkgen",
    version,
    about = "Generates a Rust SDK crate from an OpenAPI description (3.0, 3.1, 3.2 or Swagger 2.0)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Writes the crate (Cargo.toml, README.md, src/) into the output folder.
    Generate(Args),
    /// Exits 0 if the output folder holds exactly what `generate` would write, 1 if not.
    Check(Args),
    /// Explains what changed between two versions of a spec: on the wire, in the generated
    /// crate's Rust API, and the semver bump. Exits 0 if nothing breaks, 1 if something does,
    /// 2 if the specs cannot be compared.
    Diff(diff::DiffArgs),
}

#[derive(clap::Args)]
struct Args {
    /// The OpenAPI description (JSON or YAML).
    spec: PathBuf,
    /// The crate's folder.
    #[arg(long)]
    out: PathBuf,
    /// The crate name (default: derived from the spec's title).
    #[arg(long)]
    name: Option<String>,
    /// The crate version (default: the configuration's, or 0.1.0).
    #[arg(long)]
    crate_version: Option<String>,
    /// The configuration file (default: `sdkgen.toml` beside the spec, if there is one).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Writes a module to `include!` at this path of another crate (`api` for `crate::api`)
    /// instead of a crate.
    #[arg(long, value_name = "PATH")]
    module: Option<String>,
    /// A folder outside the spec's own that references to other files may read (repeatable).
    #[arg(long = "allow-dir", value_name = "DIR")]
    allow_dirs: Vec<PathBuf>,
    /// Also write `examples/decode_examples.rs`, a program that decodes the spec's own examples
    /// into their generated types (a conformance check).
    #[arg(long)]
    example_check: bool,
    /// Also write `examples/call_every_operation.rs`, a program that calls every operation once
    /// against a (mock) server given on its command line.
    #[arg(long)]
    call_check: bool,
    /// Write what was generated (operations, types, untyped schemas, examples, pagination
    /// decisions) as JSON to this file.
    #[arg(long, value_name = "FILE")]
    report: Option<PathBuf>,
}

/// Exit code for a spec that cannot be generated, or a file that cannot be read or written.
const FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Generate(args) => run(&args, false),
        Command::Check(args) => run(&args, true),
        Command::Diff(args) => diff::run(&args),
    }
}

fn run(args: &Args, check_only: bool) -> ExitCode {
    let source = args.spec.display().to_string();
    let mut config = Config::new(&args.spec, &args.out);
    if let Some(name) = &args.name {
        config.crate_name(name);
    }
    if let Some(version) = &args.crate_version {
        config.crate_version(version);
    }
    if let Some(file) = &args.config {
        config.config_file(file);
    }
    if let Some(module) = &args.module {
        config.module(module);
    }
    for dir in &args.allow_dirs {
        config.allow_dir(dir);
    }
    let prepared = match config.prepare() {
        Ok(prepared) => prepared,
        Err(Error::Spec { diagnostics, .. }) => {
            report(&source, &diagnostics);
            eprintln!("error: the configuration has errors; nothing was written");
            return ExitCode::from(FAILURE);
        }
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(FAILURE);
        }
    };
    let options = Options {
        example_check: args.example_check,
        call_check: args.call_check,
        ..prepared.options
    };
    let generated = match sdkgen::generate(&source, &prepared.spec, &options) {
        Ok(generated) => generated,
        Err(failed) => {
            report(&source, &failed.diagnostics);
            let errors = failed.diagnostics.iter().filter(|d| d.is_error()).count();
            eprintln!("error: {errors} error(s) in {source}; nothing was written");
            return ExitCode::from(FAILURE);
        }
    };
    report(&source, &generated.warnings);
    if let Some(path) = &args.report {
        let mut json = serde_json::to_value(&generated.report).unwrap_or_default();
        json["warnings"] = generated.warnings.len().into();
        if let Err(e) = std::fs::write(path, format!("{json:#}\n")) {
            eprintln!("error: {}: cannot write the report: {e}", path.display());
            return ExitCode::from(FAILURE);
        }
    }
    if check_only {
        check(&args.out, &generated.files, &source)
    } else {
        write(&args.out, &generated.files)
    }
}

fn report(source: &str, diagnostics: &[Diagnostic]) {
    for diagnostic in diagnostics {
        eprintln!("{}", diagnostic.display_in(source));
    }
}

fn write(out: &Path, files: &output::Files) -> ExitCode {
    match output::write(out, files) {
        Ok(report) => {
            eprintln!(
                "{}: {} file(s) written, {} removed, {} unchanged",
                out.display(),
                report.written.len(),
                report.removed.len(),
                report.unchanged
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {}: cannot write the crate: {e}", out.display());
            ExitCode::from(FAILURE)
        }
    }
}

fn check(out: &Path, files: &output::Files, source: &str) -> ExitCode {
    match output::check(out, files) {
        Ok(differences) if differences.is_empty() => ExitCode::SUCCESS,
        Ok(differences) => {
            for difference in &differences {
                println!("{difference}");
            }
            eprintln!(
                "{}: {} file(s) differ from what {source} generates; regenerate with `sdkgen generate {source} --out {}`",
                out.display(),
                differences.len(),
                out.display()
            );
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {}: cannot read the crate: {e}", out.display());
            ExitCode::from(FAILURE)
        }
    }
}
