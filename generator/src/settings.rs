//! What a user asks of the generated crate beyond the spec: the configuration file
//! (`sdkgen.toml`) and the same keys set on [`crate::Config`]. Values are checked here, where
//! they are read (a Rust type must parse as one, a name must be an identifier); what they name
//! in the spec (an operation, a schema) is looked up by the customize pass. Every problem is
//! located: a line and column of the file, or the builder method that set it.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::diagnostics::{Diagnostic, Location, Severity};

/// Everything the configuration asks for.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    pub crate_name: Option<String>,
    pub crate_version: Option<String>,
    /// Overlay files, as written (relative to the configuration file's folder).
    pub overlays: Vec<Setting>,
    /// Extra `[dependencies]` of the generated crate (for mapped types).
    pub dependencies: toml::Table,
    pub customize: Customize,
}

/// One value and where it was set.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setting {
    pub value: String,
    pub at: Location,
}

impl Setting {
    /// A value set by a builder method (`method`).
    pub fn from_builder(value: impl Into<String>, method: &str) -> Setting {
        Setting {
            value: value.into(),
            at: Location::Input {
                file: format!("Config::{method}"),
                line: 0,
                column: 0,
            },
        }
    }

    /// An error about this value.
    pub fn error(&self, message: impl Into<String>) -> Diagnostic {
        Diagnostic::in_input(Severity::Error, self.at.clone(), message)
    }
}

/// What the customize pass changes in the IR, each entry with where it was set.
#[derive(Clone, Debug, Default)]
pub struct Customize {
    /// Operations to keep, by operationId or pointer (empty: all).
    pub include_operations: Vec<Setting>,
    /// Groups to keep, by tag (empty: all).
    pub include_groups: Vec<Setting>,
    pub exclude_operations: Vec<Setting>,
    pub exclude_groups: Vec<Setting>,
    /// Tag → the group it goes in (a new name, or another tag's, which merges them).
    pub groups: Vec<(Setting, Setting)>,
    /// Operation (operationId or pointer) → method name.
    pub rename_operations: Vec<(Setting, Setting)>,
    /// Schema (component name or pointer) → type name.
    pub rename_types: Vec<(Setting, Setting)>,
    /// Property (`Schema.property` or pointer) → field name.
    pub rename_fields: Vec<(Setting, Setting)>,
    /// Schema or property → a Rust type of the user's.
    pub types: Vec<(Setting, Setting)>,
    /// `format` (`date-time`, `date`, `uuid`) → a Rust type.
    pub formats: Vec<(Setting, Setting)>,
    /// Schema → extra derives.
    pub derives: Vec<(Setting, Setting)>,
    /// Schema → extra attributes (`#[...]`).
    pub attributes: Vec<(Setting, Setting)>,
}

/// The formats a setting can map, with the shape each one has by default.
pub const FORMATS: &[(&str, &str)] = &[
    ("date", "chrono::NaiveDate"),
    ("date-time", "chrono::DateTime<chrono::FixedOffset>"),
    ("uuid", "uuid::Uuid"),
];

/// The short names a format's Rust type can be given, per format, with what they stand for.
/// The generated crate depends on the library a type's path starts with (see `manifest`).
pub const FORMAT_LIBRARIES: &[(&str, &str, &str)] = &[
    ("date-time", "String", "String"),
    (
        "date-time",
        "chrono",
        "chrono::DateTime<chrono::FixedOffset>",
    ),
    ("date-time", "jiff", "jiff::Timestamp"),
    ("date", "String", "String"),
    ("date", "chrono", "chrono::NaiveDate"),
    ("date", "jiff", "jiff::civil::Date"),
    ("uuid", "String", "String"),
    ("uuid", "uuid", "uuid::Uuid"),
];

impl Customize {
    /// Checks the values that need no spec to check: names are identifiers, types parse as
    /// Rust types, derives as paths, attributes as outer attributes, formats are known.
    pub fn check(&mut self) -> Vec<Diagnostic> {
        let mut errors = Vec::new();
        for (_, to) in self
            .rename_operations
            .iter()
            .chain(&self.rename_types)
            .chain(&self.rename_fields)
        {
            if syn::parse_str::<syn::Ident>(&to.value).is_err() || to.value.starts_with("r#") {
                errors.push(to.error(format!(
                    "`{}` is not a Rust identifier (a keyword cannot be one)",
                    to.value
                )));
            }
        }
        for (_, to) in &self.types {
            check_type(to, &mut errors);
        }
        for (format, to) in &mut self.formats {
            check_format(format, to, &mut errors);
        }
        for (_, derive) in &self.derives {
            if syn::parse_str::<syn::Path>(&derive.value).is_err() {
                errors.push(derive.error(format!("`{}` is not a derive's path", derive.value)));
            }
        }
        for (_, attribute) in &self.attributes {
            let parsed =
                syn::parse::Parser::parse_str(syn::Attribute::parse_outer, &attribute.value);
            if !matches!(parsed.as_deref(), Ok([_])) {
                errors.push(attribute.error(format!(
                    "`{}` is not one outer attribute, such as `#[non_exhaustive]`",
                    attribute.value
                )));
            }
        }
        errors
    }
}

fn check_type(to: &Setting, errors: &mut Vec<Diagnostic>) {
    if syn::parse_str::<syn::Type>(&to.value).is_err() {
        errors.push(to.error(format!("`{}` is not a Rust type", to.value)));
    }
}

/// A format's value: a short name (`jiff`) becomes its type; `time` is refused with why.
fn check_format(format: &Setting, to: &mut Setting, errors: &mut Vec<Diagnostic>) {
    if !FORMATS.iter().any(|(f, _)| *f == format.value) {
        let known: Vec<&str> = FORMATS.iter().map(|(f, _)| *f).collect();
        errors.push(format.error(format!(
            "`{}` is not a format that can be mapped; these can: {}",
            format.value,
            known.join(", ")
        )));
        return;
    }
    if to.value == "time" {
        errors.push(to.error(
            "`time` cannot be used: its serde form is not RFC 3339, so values would not decode; use `chrono`, `jiff` or `String`",
        ));
        return;
    }
    let library = FORMAT_LIBRARIES
        .iter()
        .find(|(f, short, ..)| *f == format.value && *short == to.value);
    match library {
        Some((_, _, path)) => to.value = (*path).to_owned(),
        None => check_type(to, errors),
    }
}

/// The configuration file's form.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct File {
    #[serde(rename = "crate")]
    krate: Option<CrateSection>,
    spec: Option<SpecSection>,
    include: Option<Selection>,
    exclude: Option<Selection>,
    groups: Option<Names>,
    rename: Option<RenameSection>,
    types: Option<Names>,
    formats: Option<Names>,
    derives: Option<Lists>,
    attributes: Option<Lists>,
    dependencies: Option<toml::Table>,
}

type Names = BTreeMap<Spanned<String>, Spanned<String>>;
type Lists = BTreeMap<Spanned<String>, Vec<Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CrateSection {
    name: Option<String>,
    version: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecSection {
    #[serde(default)]
    overlays: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Selection {
    #[serde(default)]
    operations: Vec<Spanned<String>>,
    #[serde(default)]
    groups: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RenameSection {
    #[serde(default)]
    operations: Names,
    #[serde(default)]
    types: Names,
    #[serde(default)]
    fields: Names,
}

/// Reads a configuration file's text; `label` names it in messages.
pub fn read(label: &str, text: &str) -> Result<Settings, Vec<Diagnostic>> {
    let file: File = toml::from_str(text).map_err(|error| {
        let at = at_offset(label, text, error.span().map_or(0, |s| s.start));
        vec![Diagnostic::in_input(
            Severity::Error,
            at,
            error.message().trim().to_owned(),
        )]
    })?;
    let here = |value: Spanned<String>| Setting {
        at: at_offset(label, text, value.span().start),
        value: value.into_inner(),
    };
    let names = |names: Option<Names>| -> Vec<(Setting, Setting)> {
        names
            .unwrap_or_default()
            .into_iter()
            .map(|(k, v)| (here(k), here(v)))
            .collect()
    };
    let lists = |lists: Option<Lists>| -> Vec<(Setting, Setting)> {
        let mut out = Vec::new();
        for (key, values) in lists.unwrap_or_default() {
            let key = here(key);
            out.extend(values.into_iter().map(|v| (key.clone(), here(v))));
        }
        out
    };
    let (include, exclude) = (file.include, file.exclude);
    let list = |s: &Option<Selection>, pick: fn(&Selection) -> &Vec<Spanned<String>>| {
        s.as_ref()
            .map(|s| pick(s).iter().cloned().map(here).collect())
            .unwrap_or_default()
    };
    let rename = file.rename;
    let (rename_operations, rename_types, rename_fields) = match rename {
        Some(r) => (
            names(Some(r.operations)),
            names(Some(r.types)),
            names(Some(r.fields)),
        ),
        None => Default::default(),
    };
    let mut customize = Customize {
        include_operations: list(&include, |s| &s.operations),
        include_groups: list(&include, |s| &s.groups),
        exclude_operations: list(&exclude, |s| &s.operations),
        exclude_groups: list(&exclude, |s| &s.groups),
        groups: names(file.groups),
        rename_operations,
        rename_types,
        rename_fields,
        types: names(file.types),
        formats: names(file.formats),
        derives: lists(file.derives),
        attributes: lists(file.attributes),
    };
    let errors = customize.check();
    if !errors.is_empty() {
        return Err(errors);
    }
    let (crate_name, crate_version) = match file.krate {
        Some(c) => (c.name, c.version),
        None => (None, None),
    };
    Ok(Settings {
        crate_name,
        crate_version,
        overlays: file
            .spec
            .map(|s| s.overlays.into_iter().map(here).collect())
            .unwrap_or_default(),
        dependencies: file.dependencies.unwrap_or_default(),
        customize,
    })
}

/// The line and column (1-based, in characters) of a byte offset.
fn at_offset(label: &str, text: &str, offset: usize) -> Location {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Location::Input {
        file: label.to_owned(),
        line,
        column,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn errors(text: &str) -> Vec<String> {
        match read("sdkgen.toml", text) {
            Ok(_) => Vec::new(),
            Err(errors) => errors
                .iter()
                .map(|e| e.display_in("").to_string())
                .collect(),
        }
    }

    #[test]
    fn every_key_is_read_with_its_place() {
        let text = "[crate]\nname = \"pets\"\n\n[include]\noperations = [\"listPets\"]\n\n[rename.types]\nPet = \"Animal\"\n\n[formats]\ndate-time = \"jiff\"\n\n[derives]\nPet = [\"Hash\", \"Eq\"]\n";
        let settings = read("sdkgen.toml", text).unwrap();
        assert_eq!(settings.crate_name.as_deref(), Some("pets"));
        let c = &settings.customize;
        assert_eq!(c.include_operations[0].value, "listPets");
        assert_eq!(
            c.include_operations[0].at,
            Location::Input {
                file: "sdkgen.toml".into(),
                line: 5,
                column: 15
            }
        );
        assert_eq!(c.rename_types[0].1.value, "Animal");
        assert_eq!(c.formats[0].1.value, "jiff::Timestamp");
        assert_eq!(c.derives.len(), 2);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_located() {
        let unknown = errors("[crate]\nname = \"x\"\nedition = \"2024\"\n");
        assert_eq!(unknown.len(), 1);
        assert!(
            unknown[0].starts_with("error: sdkgen.toml:3:1: unknown field `edition`"),
            "{unknown:?}"
        );
        let section = errors("[renames]\n");
        assert!(
            section[0].starts_with("error: sdkgen.toml:1:"),
            "{section:?}"
        );
        let values = errors(
            "[rename.operations]\nlistPets = \"list pets\"\n[formats]\nduration = \"String\"\ndate-time = \"time\"\n[attributes]\nPet = [\"derive(Hash)\"]\n[types]\nMoney = \"my crate::Money\"\n",
        );
        assert_eq!(values.len(), 5, "{values:?}");
        assert!(
            values
                .iter()
                .any(|v| v
                    .starts_with("error: sdkgen.toml:2:12: `list pets` is not a Rust identifier")),
            "{values:?}"
        );
        assert!(
            values.iter().any(|v| v.contains("`time` cannot be used")),
            "{values:?}"
        );
        assert!(
            values
                .iter()
                .any(|v| v.contains("`duration` is not a format")),
            "{values:?}"
        );
    }
}
