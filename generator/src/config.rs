//! The front door for a build script: [`Config`] says where the spec is and where its crate
//! goes, and [`Config::generate`] writes the crate, or under CI only checks it. Everything it
//! reports is an [`Error`] or a `cargo:warning`.

use std::fmt;
use std::path::PathBuf;

use crate::diagnostics::Diagnostic;
use crate::output::Difference;

/// How to generate a crate from a spec, for a build script or a program.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), sdkgen::Error> {
///     sdkgen::Config::new("spec/api.yaml", "generated").generate()?;
///     Ok(())
/// }
/// ```
///
/// Relative paths are resolved from the current folder, which for a build script is the
/// package's own. Inside a build script, `generate` prints `cargo:rerun-if-changed` for every
/// file it read and each warning about the spec as `cargo:warning`.
#[derive(Clone, Debug)]
pub struct Config {
    spec: PathBuf,
    out: PathBuf,
    crate_name: Option<String>,
    crate_version: Option<String>,
    allowed: Vec<PathBuf>,
    check_only: Option<bool>,
    regenerate: Option<String>,
}

/// What [`Config::generate`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files written (relative to the output folder); empty when only checked.
    pub written: Vec<String>,
    /// Generated files removed because the crate no longer has them.
    pub removed: Vec<String>,
    /// The warnings about the spec, each with its location.
    pub warnings: Vec<String>,
    /// Every file read: the spec and the files its references named.
    pub inputs: Vec<PathBuf>,
}

impl Config {
    /// Generate the crate of the spec at `spec` into the folder `out`.
    pub fn new(spec: impl Into<PathBuf>, out: impl Into<PathBuf>) -> Config {
        Config {
            spec: spec.into(),
            out: out.into(),
            crate_name: None,
            crate_version: None,
            allowed: Vec::new(),
            check_only: None,
            regenerate: None,
        }
    }

    /// The crate's name (by default, derived from the spec's title).
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Config {
        self.crate_name = Some(name.into());
        self
    }

    /// The crate's version (by default `CARGO_PKG_VERSION` of the package being built, or
    /// `0.1.0`). The spec's `info.version` is the API's version, not the crate's.
    pub fn crate_version(&mut self, version: impl Into<String>) -> &mut Config {
        self.crate_version = Some(version.into());
        self
    }

    /// Lets references reach files in `dir`, outside the spec's own folder.
    pub fn allow_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Config {
        self.allowed.push(dir.into());
        self
    }

    /// Only compare the output folder with what the spec generates, and fail if they differ,
    /// instead of writing. By default, true when the `CI` environment variable is set (to
    /// anything but `false`, `0` or nothing).
    pub fn check_only(&mut self, check: bool) -> &mut Config {
        self.check_only = Some(check);
        self
    }

    /// The command a failed check tells the user to run (by default `sdkgen generate` with
    /// this spec and folder).
    pub fn regenerate_with(&mut self, command: impl Into<String>) -> &mut Config {
        self.regenerate = Some(command.into());
        self
    }

    /// Generates the crate: writes the files whose bytes change and removes generated files
    /// the crate no longer has, or in check mode fails if any of that would happen.
    pub fn generate(&self) -> Result<Outcome, Error> {
        let in_build_script = std::env::var_os("OUT_DIR").is_some();
        if in_build_script {
            println!("cargo:rerun-if-changed={}", self.spec.display());
            println!("cargo:rerun-if-env-changed=CI");
        }
        let outcome = self.run();
        if in_build_script {
            let inputs = match &outcome {
                Ok(outcome) => outcome.inputs.as_slice(),
                Err(Error::OutOfDate { inputs, .. }) => inputs.as_slice(),
                Err(_) => &[],
            };
            for input in inputs.iter().filter(|p| **p != self.spec) {
                println!("cargo:rerun-if-changed={}", input.display());
            }
            for warning in outcome.iter().flat_map(|o| &o.warnings) {
                println!("cargo:warning={warning}");
            }
        }
        outcome
    }

    fn run(&self) -> Result<Outcome, Error> {
        let label = self.spec.display().to_string();
        let bytes = std::fs::read(&self.spec).map_err(|source| Error::Io {
            path: self.spec.clone(),
            source,
        })?;
        let mut folders = crate::bundle::Folders::for_spec(&self.spec);
        if let Some(folders) = &mut folders {
            folders.allowed.extend(self.allowed.iter().cloned());
        }
        let options = crate::Options {
            crate_name: self.crate_name.clone(),
            crate_version: self.version(),
            spec_label: crate::spec_label(&self.out, &self.spec),
            folders,
            example_check: false,
            call_check: false,
        };
        let generated =
            crate::generate(&label, &bytes, &options).map_err(|failed| Error::Spec {
                spec: label.clone(),
                diagnostics: failed.diagnostics,
            })?;
        let mut outcome = Outcome {
            warnings: generated
                .warnings
                .iter()
                .map(|w| w.display_in(&label).to_string())
                .collect(),
            inputs: std::iter::once(self.spec.clone())
                .chain(generated.inputs.iter().cloned())
                .collect(),
            ..Outcome::default()
        };
        let io = |source| Error::Io {
            path: self.out.clone(),
            source,
        };
        if self.checking() {
            let differences = crate::output::check(&self.out, &generated.files).map_err(io)?;
            if !differences.is_empty() {
                return Err(Error::OutOfDate {
                    out: self.out.clone(),
                    differences,
                    regenerate: self.regenerate_command(),
                    inputs: outcome.inputs,
                });
            }
        } else {
            let report = crate::output::write(&self.out, &generated.files).map_err(io)?;
            outcome.written = report.written;
            outcome.removed = report.removed;
        }
        Ok(outcome)
    }

    fn version(&self) -> String {
        self.crate_version
            .clone()
            .or_else(|| std::env::var("CARGO_PKG_VERSION").ok())
            .unwrap_or_else(|| "0.1.0".to_owned())
    }

    fn checking(&self) -> bool {
        self.check_only.unwrap_or_else(|| {
            std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
        })
    }

    fn regenerate_command(&self) -> String {
        self.regenerate.clone().unwrap_or_else(|| {
            format!(
                "sdkgen generate {} --out {}",
                self.spec.display(),
                self.out.display()
            )
        })
    }
}

/// Why a crate could not be generated or checked. `Debug` shows the same text as `Display`,
/// so a build script's `main` can return it.
#[non_exhaustive]
pub enum Error {
    /// The spec has errors; every located diagnostic, errors first, then warnings.
    Spec {
        spec: String,
        diagnostics: Vec<Diagnostic>,
    },
    /// A file or folder could not be read or written.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Check mode: the output folder is not what the spec generates.
    OutOfDate {
        out: PathBuf,
        differences: Vec<Difference>,
        /// The command that regenerates the folder.
        regenerate: String,
        /// The files that were read.
        inputs: Vec<PathBuf>,
    },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Spec { spec, diagnostics } => {
                writeln!(f, "{spec} could not be generated:")?;
                for diagnostic in diagnostics {
                    writeln!(f, "{}", diagnostic.display_in(spec))?;
                }
                Ok(())
            }
            Error::Io { path, source } => write!(f, "{}: {source}", path.display()),
            Error::OutOfDate {
                out,
                differences,
                regenerate,
                ..
            } => {
                writeln!(f, "{} is not what the spec generates:", out.display())?;
                for difference in differences {
                    writeln!(f, "  {difference}")?;
                }
                write!(f, "regenerate with `{regenerate}` and commit the result")
            }
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}
