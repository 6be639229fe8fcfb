//! The front door for a build script: [`Config`] says where the spec is and where its crate
//! (or module) goes, and what to change of it, and [`Config::generate`] writes the crate, or
//! under CI only checks it. The command reads its configuration through the same [`Config`].
//! Everything it reports is an [`Error`] or a `cargo:warning`.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostic;
use crate::output::Difference;
use crate::settings::{Customize, Setting, Settings};

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
///
/// A configuration file (`sdkgen.toml` beside the spec, or the one [`Config::config_file`]
/// names) is read first; the methods below that take the same keys add to it, and a crate
/// name or version set here wins over the file's.
#[derive(Clone, Debug)]
pub struct Config {
    spec: PathBuf,
    out: PathBuf,
    crate_name: Option<String>,
    crate_version: Option<String>,
    allowed: Vec<PathBuf>,
    check_only: Option<bool>,
    regenerate: Option<String>,
    config_file: ConfigFile,
    module: Option<Vec<String>>,
    overlays: Vec<PathBuf>,
    customize: Customize,
    dependencies: toml::Table,
}

/// Which configuration file is read.
#[derive(Clone, Debug)]
enum ConfigFile {
    /// `sdkgen.toml` in the spec's folder, if there is one.
    BesideSpec,
    Path(PathBuf),
    None,
}

/// The name of the configuration file looked for beside the spec.
pub const CONFIG_FILE: &str = "sdkgen.toml";

/// What [`Config::generate`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// Files written (relative to the output folder); empty when only checked.
    pub written: Vec<String>,
    /// Generated files removed because the crate no longer has them.
    pub removed: Vec<String>,
    /// The warnings about the spec, each with its location.
    pub warnings: Vec<String>,
    /// Every file read: the spec, the files its references named, the configuration file and
    /// the overlays.
    pub inputs: Vec<PathBuf>,
}

/// A spec read with its configuration, ready for [`crate::generate`] (for the command).
#[doc(hidden)]
pub struct Prepared {
    /// The spec's name in messages.
    pub label: String,
    pub spec: Vec<u8>,
    pub options: crate::Options,
    /// The spec, the configuration file and the overlays.
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
            config_file: ConfigFile::BesideSpec,
            module: None,
            overlays: Vec::new(),
            customize: Customize::default(),
            dependencies: toml::Table::new(),
        }
    }

    /// The crate's name (by default the configuration's, or derived from the spec's title).
    pub fn crate_name(&mut self, name: impl Into<String>) -> &mut Config {
        self.crate_name = Some(name.into());
        self
    }

    /// The crate's version (by default the configuration's, or inside a build script
    /// `CARGO_PKG_VERSION` of the package being built, or `0.1.0`). The spec's `info.version`
    /// is the API's version, not the crate's.
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
    /// anything but `false`, `0` or nothing), except in module mode.
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

    /// Reads this configuration file instead of `sdkgen.toml` beside the spec.
    pub fn config_file(&mut self, path: impl Into<PathBuf>) -> &mut Config {
        self.config_file = ConfigFile::Path(path.into());
        self
    }

    /// Reads no configuration file, not even `sdkgen.toml` beside the spec.
    pub fn no_config_file(&mut self) -> &mut Config {
        self.config_file = ConfigFile::None;
        self
    }

    /// Module mode: writes a module instead of a crate, to be included at `path` of the crate
    /// being built (`"api"` for `crate::api`, `"clients::pets"` for a nested one):
    ///
    /// ```ignore
    /// pub mod api {
    ///     include!(concat!(env!("OUT_DIR"), "/api/mod.rs"));
    /// }
    /// ```
    ///
    /// The output folder (usually under `OUT_DIR`) gets `mod.rs` and the module's files, and
    /// `dependencies.toml`, the `[dependencies]` the including crate needs. Every operation
    /// group is compiled (the crate's default features), and doc examples are not doctests.
    pub fn module(&mut self, path: &str) -> &mut Config {
        let path = path.trim().trim_start_matches("crate::");
        self.module = Some(path.split("::").map(|s| s.trim().to_owned()).collect());
        self
    }

    /// Applies an OpenAPI Overlay (1.x) file to the spec before it is read; several apply in
    /// order, after the configuration file's.
    pub fn overlay(&mut self, path: impl Into<PathBuf>) -> &mut Config {
        self.overlays.push(path.into());
        self
    }

    /// Keeps this operation (an operationId, or a pointer such as `#/paths/~1pets/get`); once
    /// any operation or group is included, only those are generated.
    pub fn include_operation(&mut self, operation: &str) -> &mut Config {
        let setting = Setting::from_builder(operation, "include_operation");
        self.customize.include_operations.push(setting);
        self
    }

    /// Keeps the operations of this group (their first tag).
    pub fn include_group(&mut self, group: &str) -> &mut Config {
        let setting = Setting::from_builder(group, "include_group");
        self.customize.include_groups.push(setting);
        self
    }

    /// Leaves this operation out.
    pub fn exclude_operation(&mut self, operation: &str) -> &mut Config {
        let setting = Setting::from_builder(operation, "exclude_operation");
        self.customize.exclude_operations.push(setting);
        self
    }

    /// Leaves the operations of this group out.
    pub fn exclude_group(&mut self, group: &str) -> &mut Config {
        let setting = Setting::from_builder(group, "exclude_group");
        self.customize.exclude_groups.push(setting);
        self
    }

    /// Puts the operations tagged `tag` in the group `group` (a new name, or another tag's,
    /// which merges the two).
    pub fn group(&mut self, tag: &str, group: &str) -> &mut Config {
        let pair = Self::pair(tag, group, "group");
        self.customize.groups.push(pair);
        self
    }

    /// Names an operation's method (and its types) `name`.
    pub fn rename_operation(&mut self, operation: &str, name: &str) -> &mut Config {
        let pair = Self::pair(operation, name, "rename_operation");
        self.customize.rename_operations.push(pair);
        self
    }

    /// Names the type of a schema (its name, or a pointer) `name`.
    pub fn rename_type(&mut self, schema: &str, name: &str) -> &mut Config {
        let pair = Self::pair(schema, name, "rename_type");
        self.customize.rename_types.push(pair);
        self
    }

    /// Names the field of a property (`Schema.property`, or a pointer) `name`.
    pub fn rename_field(&mut self, property: &str, name: &str) -> &mut Config {
        let pair = Self::pair(property, name, "rename_field");
        self.customize.rename_fields.push(pair);
        self
    }

    /// Uses the Rust type `rust` (`my_types::Money`) for a schema (its name, or a pointer) or a
    /// property (`Schema.property`, or a pointer) instead of generating one. It must implement
    /// serde's traits for the values the spec describes.
    pub fn map_type(&mut self, schema: &str, rust: &str) -> &mut Config {
        let pair = Self::pair(schema, rust, "map_type");
        self.customize.types.push(pair);
        self
    }

    /// Uses `rust` for every value of a `format`: `date-time` and `date` as `"String"`,
    /// `"chrono"` (the default) or `"jiff"`; `uuid` as `"String"` or `"uuid"`; or any Rust
    /// type.
    pub fn map_format(&mut self, format: &str, rust: &str) -> &mut Config {
        let pair = Self::pair(format, rust, "map_format");
        self.customize.formats.push(pair);
        self
    }

    /// Adds a derive (`Hash`, `schemars::JsonSchema`) to the type of a schema.
    pub fn derive(&mut self, schema: &str, derive: &str) -> &mut Config {
        let pair = Self::pair(schema, derive, "derive");
        self.customize.derives.push(pair);
        self
    }

    /// Adds an outer attribute (`#[non_exhaustive]`) to the type of a schema.
    pub fn attribute(&mut self, schema: &str, attribute: &str) -> &mut Config {
        let pair = Self::pair(schema, attribute, "attribute");
        self.customize.attributes.push(pair);
        self
    }

    /// Adds a dependency to the generated crate, as its `Cargo.toml` would write it
    /// (`"1"`, `{ path = "../my-types" }`), for the crates mapped types come from.
    pub fn dependency(&mut self, name: &str, spec: &str) -> Result<&mut Config, Error> {
        let value: toml::Value = format!("x = {spec}")
            .parse::<toml::Table>()
            .ok()
            .and_then(|mut t| t.remove("x"))
            .ok_or_else(|| Error::Spec {
                spec: self.spec.display().to_string(),
                diagnostics: vec![Setting::from_builder(spec, "dependency").error(format!(
                    "`{spec}` is not a dependency as Cargo.toml writes one"
                ))],
            })?;
        self.dependencies.insert(name.to_owned(), value);
        Ok(self)
    }

    fn pair(key: &str, value: &str, method: &str) -> (Setting, Setting) {
        (
            Setting::from_builder(key, method),
            Setting::from_builder(value, method),
        )
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

    fn beside_spec(&self) -> PathBuf {
        let folder = self.spec.parent().unwrap_or(Path::new(""));
        folder.join(CONFIG_FILE)
    }

    /// Reads the spec, the configuration file and the overlays into what generation needs.
    #[doc(hidden)]
    pub fn prepare(&self) -> Result<Prepared, Error> {
        let label = self.spec.display().to_string();
        if let Some(path) = &self.module {
            let valid = path.iter().all(|segment| {
                syn::parse_str::<syn::Ident>(segment).is_ok()
                    && !matches!(segment.as_str(), "crate" | "self" | "super" | "Self")
            });
            if !valid {
                let setting = Setting::from_builder(path.join("::"), "module");
                return Err(Error::Spec {
                    spec: label,
                    diagnostics: vec![setting.error(format!(
                        "`{}` is not a module path: write module names joined by `::`, such as `api` or `clients::pets`",
                        path.join("::")
                    ))],
                });
            }
        }
        let spec = read(&self.spec)?;
        let mut inputs = vec![self.spec.clone()];
        let settings = self.settings(&label, &mut inputs)?;
        let mut customize = settings.customize;
        let mut builder = self.customize.clone();
        let errors = builder.check();
        if !errors.is_empty() {
            return Err(Error::Spec {
                spec: label,
                diagnostics: errors,
            });
        }
        append(&mut customize, builder);
        let mut overlays = Vec::new();
        // The configuration file's overlays are relative to its folder.
        let folder = match inputs.get(1) {
            Some(file) => file.parent().unwrap_or(Path::new("")).to_path_buf(),
            None => PathBuf::new(),
        };
        let from_file = settings.overlays.iter().map(|o| folder.join(&o.value));
        for path in from_file.chain(self.overlays.iter().cloned()) {
            overlays.push(crate::load::overlay::Overlay {
                label: path.display().to_string(),
                text: read(&path)?,
            });
            inputs.push(path);
        }
        let mut folders = crate::bundle::Folders::for_spec(&self.spec);
        if let Some(folders) = &mut folders {
            folders.allowed.extend(self.allowed.iter().cloned());
        }
        let mut dependencies = settings.dependencies;
        dependencies.extend(self.dependencies.clone());
        let options = crate::Options {
            crate_name: self.crate_name.clone().or(settings.crate_name),
            crate_version: self.version(settings.crate_version),
            spec_label: crate::spec_label(&self.out, &self.spec),
            folders,
            module: self.module.clone(),
            overlays,
            customize,
            dependencies,
            ..crate::Options::default()
        };
        Ok(Prepared {
            label,
            spec,
            options,
            inputs,
        })
    }

    /// The configuration file's settings (none without one); records the file in `inputs`,
    /// right after the spec.
    fn settings(&self, label: &str, inputs: &mut Vec<PathBuf>) -> Result<Settings, Error> {
        let path = match &self.config_file {
            ConfigFile::Path(path) => path.clone(),
            ConfigFile::BesideSpec if self.beside_spec().is_file() => self.beside_spec(),
            _ => return Ok(Settings::default()),
        };
        let text = String::from_utf8(read(&path)?).map_err(|_| Error::Spec {
            spec: label.to_owned(),
            diagnostics: vec![crate::diagnostics::Diagnostic::in_input(
                crate::diagnostics::Severity::Error,
                crate::diagnostics::Location::Input {
                    file: path.display().to_string(),
                    line: 1,
                    column: 1,
                },
                "the configuration file is not UTF-8 text",
            )],
        })?;
        let settings =
            crate::settings::read(&path.display().to_string(), &text).map_err(|diagnostics| {
                Error::Spec {
                    spec: label.to_owned(),
                    diagnostics,
                }
            })?;
        inputs.push(path);
        Ok(settings)
    }

    fn run(&self) -> Result<Outcome, Error> {
        let prepared = self.prepare()?;
        let label = prepared.label;
        let generated =
            crate::generate(&label, &prepared.spec, &prepared.options).map_err(|failed| {
                Error::Spec {
                    spec: label.clone(),
                    diagnostics: failed.diagnostics,
                }
            })?;
        let mut outcome = Outcome {
            warnings: generated
                .warnings
                .iter()
                .map(|w| w.display_in(&label).to_string())
                .collect(),
            inputs: prepared
                .inputs
                .into_iter()
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

    fn version(&self, from_file: Option<String>) -> String {
        let in_build_script = std::env::var_os("OUT_DIR").is_some();
        self.crate_version
            .clone()
            .or(from_file)
            .or_else(|| {
                in_build_script
                    .then(|| std::env::var("CARGO_PKG_VERSION").ok())
                    .flatten()
            })
            .unwrap_or_else(|| "0.1.0".to_owned())
    }

    fn checking(&self) -> bool {
        self.check_only.unwrap_or_else(|| {
            self.module.is_none()
                && std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false" && v != "0")
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

fn read(path: &Path) -> Result<Vec<u8>, Error> {
    std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })
}

/// The builder's entries after the file's.
fn append(into: &mut Customize, more: Customize) {
    let Customize {
        include_operations,
        include_groups,
        exclude_operations,
        exclude_groups,
        groups,
        rename_operations,
        rename_types,
        rename_fields,
        types,
        formats,
        derives,
        attributes,
    } = more;
    into.include_operations.extend(include_operations);
    into.include_groups.extend(include_groups);
    into.exclude_operations.extend(exclude_operations);
    into.exclude_groups.extend(exclude_groups);
    into.groups.extend(groups);
    into.rename_operations.extend(rename_operations);
    into.rename_types.extend(rename_types);
    into.rename_fields.extend(rename_fields);
    into.types.extend(types);
    into.formats.extend(formats);
    into.derives.extend(derives);
    into.attributes.extend(attributes);
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
