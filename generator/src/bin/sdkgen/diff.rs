//! `sdkgen diff OLD NEW`: reads two versions of a spec (files, or `git:<rev>:<path>`), generates
//! both crates in memory and prints what changed, on the wire and in the Rust API.

use std::process::{Command, ExitCode};

use sdkgen::diff::{self, print};
use sdkgen::{Generated, Options};

/// How to print the report.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum Format {
    Text,
    Markdown,
    Json,
}

/// Which breaking changes make the command exit 1.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum FailOn {
    /// Changes that break existing clients on the wire.
    Wire,
    /// Changes that break code written against the old generated crate.
    Rust,
}

#[derive(clap::Args)]
pub struct DiffArgs {
    /// The old spec: a path, or `git:<rev>:<path>` to read it from a revision of this repository.
    old: String,
    /// The new spec, in the same forms.
    new: String,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Only these breaking changes make the exit code 1 (default: either kind).
    #[arg(long, value_enum)]
    fail_on: Option<FailOn>,
}

/// Exit codes: 0 nothing breaks, 1 something breaks, 2 the inputs could not be compared.
pub fn run(args: &DiffArgs) -> ExitCode {
    let (Some(old), Some(new)) = (generate(&args.old), generate(&args.new)) else {
        return ExitCode::from(2);
    };
    let report = diff::compare(&old, &new);
    let text = match args.format {
        Format::Text => print::text(&report),
        Format::Markdown => print::markdown(&report),
        Format::Json => print::json(&report),
    };
    print!("{text}");
    let (wire, rust) = match args.fail_on {
        None => (true, true),
        Some(FailOn::Wire) => (true, false),
        Some(FailOn::Rust) => (false, true),
    };
    if report.breaks(wire, rust) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// The spec's bytes: a file, or a file at a git revision.
fn read(source: &str) -> Result<Vec<u8>, String> {
    let Some(rest) = source.strip_prefix("git:") else {
        return std::fs::read(source).map_err(|e| format!("cannot read the spec: {e}"));
    };
    let Some((rev, path)) = rest.split_once(':') else {
        return Err("a git source is written `git:<rev>:<path>`".to_owned());
    };
    if rev.starts_with('-') {
        return Err("a revision cannot start with `-`".to_owned());
    }
    let output = Command::new("git")
        .args(["show", &format!("{rev}:{path}")])
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !output.status.success() {
        let why = String::from_utf8_lossy(&output.stderr);
        return Err(format!("git cannot show it: {}", why.trim()));
    }
    Ok(output.stdout)
}

/// Generates the crate of one side in memory, printing located errors when it cannot.
fn generate(source: &str) -> Option<Generated> {
    let bytes = match read(source) {
        Ok(bytes) => bytes,
        Err(why) => {
            eprintln!("error: {source}: {why}");
            return None;
        }
    };
    let folders = match source.starts_with("git:") {
        true => None,
        false => sdkgen::bundle::Folders::for_spec(std::path::Path::new(source)),
    };
    let options = Options {
        crate_name: None,
        crate_version: "0.1.0".to_owned(),
        spec_label: source.to_owned(),
        folders,
        example_check: false,
        call_check: false,
        ..Default::default()
    };
    match sdkgen::generate(source, &bytes, &options) {
        Ok(generated) => Some(generated),
        Err(failed) => {
            for diagnostic in &failed.diagnostics {
                eprintln!("{}", diagnostic.display_in(source));
            }
            eprintln!("error: {source} cannot be compared");
            None
        }
    }
}
