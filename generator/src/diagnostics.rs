//! Errors and warnings about a spec, each located by a JSON pointer or a line and column, and
//! collected rather than returned at the first problem.

use std::fmt;

use crate::pointer::Pointer;

/// How serious a diagnostic is. Errors sort before warnings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Nothing is generated.
    Error,
    /// Generation goes on; the message says what was done instead.
    Warning,
}

/// Where in the input a diagnostic points.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Location {
    /// The input as a whole (it could not be read, say).
    File,
    /// A line and column (1-based) in the input text, for syntax errors.
    Text { line: usize, column: usize },
    /// A location in the parsed document.
    Pointer(Pointer),
    /// A line and column (1-based) in another input: a configuration or overlay file.
    Input {
        file: String,
        line: usize,
        column: usize,
    },
    /// A location in another parsed input (an overlay file).
    InputPointer { file: String, pointer: Pointer },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => Ok(()),
            Location::Text { line, column } => write!(f, ":{line}:{column}"),
            Location::Pointer(p) => write!(f, "{p}"),
            // Line 0: a value set by a builder method, which `file` names.
            Location::Input { file, line: 0, .. } => write!(f, "{file}"),
            Location::Input { file, line, column } => write!(f, "{file}:{line}:{column}"),
            Location::InputPointer { file, pointer } if *pointer == Pointer::root() => {
                write!(f, "{file}")
            }
            Location::InputPointer { file, pointer } => write!(f, "{file}{pointer}"),
        }
    }
}

/// One located error or warning.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Diagnostic {
    pub severity: Severity,
    pub location: Location,
    pub message: String,
}

impl Diagnostic {
    /// An error at a pointer.
    pub fn error(at: &Pointer, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: Location::Pointer(at.clone()),
            message: message.into(),
        }
    }

    /// A warning at a pointer.
    pub fn warning(at: &Pointer, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            location: Location::Pointer(at.clone()),
            message: message.into(),
        }
    }

    /// An error about the input as a whole.
    pub fn file_error(message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            location: Location::File,
            message: message.into(),
        }
    }

    /// A diagnostic about another input file, at `location` (an `Input` or `InputPointer`).
    pub fn in_input(severity: Severity, location: Location, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            location,
            message: message.into(),
        }
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// Formats the diagnostic with the input's name in front of its location, as the CLI prints
    /// it: `error: spec.yaml#/paths/~1pets/get: message`.
    pub fn display_in<'a>(&'a self, source: &'a str) -> impl fmt::Display + 'a {
        DisplayIn {
            diagnostic: self,
            source,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.display_in("").fmt(f)
    }
}

struct DisplayIn<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a str,
}

impl fmt::Display for DisplayIn<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.diagnostic;
        let severity = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let location = match &d.location {
            Location::Pointer(p) => match crate::pointer::split_external(p) {
                Some((file, inner)) => format!("{file}{inner}"),
                None => format!("{}{p}", self.source),
            },
            other @ (Location::Input { .. } | Location::InputPointer { .. }) => other.to_string(),
            other => format!("{}{other}", self.source),
        };
        if location.is_empty() {
            write!(f, "{severity}: {}", d.message)
        } else {
            write!(f, "{severity}: {location}: {}", d.message)
        }
    }
}

/// Diagnostics collected while working on one spec.
#[derive(Debug, Default)]
pub struct Diagnostics {
    items: Vec<Diagnostic>,
}

impl Diagnostics {
    /// Records a diagnostic.
    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.items.push(diagnostic);
    }

    /// Records an error at a pointer.
    pub fn error(&mut self, at: &Pointer, message: impl Into<String>) {
        self.push(Diagnostic::error(at, message));
    }

    /// Records a warning at a pointer.
    pub fn warning(&mut self, at: &Pointer, message: impl Into<String>) {
        self.push(Diagnostic::warning(at, message));
    }

    /// Adds the diagnostics of another collection.
    pub fn extend(&mut self, other: Diagnostics) {
        self.items.extend(other.items);
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Rewrites every pointer and message (a front end that rewrote the document maps them back
    /// to the user's file and words).
    pub fn map(&mut self, pointer: impl Fn(&Pointer) -> Pointer, message: impl Fn(&str) -> String) {
        for item in &mut self.items {
            if let Location::Pointer(at) = &item.location {
                item.location = Location::Pointer(pointer(at));
            }
            item.message = message(&item.message);
        }
    }

    /// All diagnostics, errors first, then by location and message, without duplicates.
    pub fn into_sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort();
        self.items.dedup();
        self.items
    }
}
