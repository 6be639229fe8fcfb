//! Client-side checks of the constraints an API description states (`minimum`, `maxLength`,
//! `pattern`, `maxItems`, ...), run before a request is sent so that a bad value fails at once,
//! with a message naming the value, instead of costing a round trip.
//!
//! Messages name where the value is and what it must be, never the value itself: it may be a
//! secret.

use std::collections::BTreeMap;
use std::fmt;

/// Where a value sits in a request: `body.attributes.ip_address`, `tags[2]`, `metadata["k"]`.
///
/// Paths are built on the stack as validation descends, so checking a valid request allocates
/// nothing.
#[derive(Clone, Copy, Debug)]
pub enum Path<'a> {
    /// A parameter, or the body.
    Root(&'static str),
    /// A property of an object.
    Field(&'a Path<'a>, &'static str),
    /// An item of an array.
    Index(&'a Path<'a>, usize),
    /// A value of a map.
    Key(&'a Path<'a>, &'a str),
}

impl<'a> Path<'a> {
    /// The path of a parameter or of the body.
    pub fn root(name: &'static str) -> Self {
        Path::Root(name)
    }

    /// The path of property `name` of the object at this path.
    pub fn field(&'a self, name: &'static str) -> Path<'a> {
        Path::Field(self, name)
    }

    /// The path of item `index` of the array at this path.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path::Index(self, index)
    }

    /// The path of the map value at `key`.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path::Key(self, key)
    }
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Root(name) => f.write_str(name),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, index) => write!(f, "{parent}[{index}]"),
            Path::Key(parent, key) => write!(f, "{parent}[{key:?}]"),
        }
    }
}

/// One broken constraint: where, and what the value must be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    path: String,
    message: String,
}

impl Violation {
    /// Where the value is, such as `body.expiration_minutes`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// What the value must be, such as `must be at least 5`.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.path, self.message)
    }
}

/// The constraints a request breaks, in the order they were checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Violations {
    list: Vec<Violation>,
}

impl Violations {
    /// No violations yet.
    pub fn new() -> Self {
        Violations::default()
    }

    /// Whether every check passed.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// The violations found.
    pub fn list(&self) -> &[Violation] {
        &self.list
    }

    pub(crate) fn into_list(self) -> Vec<Violation> {
        self.list
    }

    fn push(&mut self, path: &Path<'_>, message: String) {
        self.list.push(Violation {
            path: path.to_string(),
            message,
        });
    }

    /// `minimum`.
    pub fn at_least(&mut self, path: &Path<'_>, value: f64, bound: f64) {
        if value < bound || value.is_nan() {
            self.push(path, format!("must be at least {}", number(bound)));
        }
    }

    /// `minimum` with `exclusiveMinimum`.
    pub fn greater_than(&mut self, path: &Path<'_>, value: f64, bound: f64) {
        if value <= bound || value.is_nan() {
            self.push(path, format!("must be greater than {}", number(bound)));
        }
    }

    /// `maximum`.
    pub fn at_most(&mut self, path: &Path<'_>, value: f64, bound: f64) {
        if value > bound || value.is_nan() {
            self.push(path, format!("must be at most {}", number(bound)));
        }
    }

    /// `maximum` with `exclusiveMaximum`.
    pub fn less_than(&mut self, path: &Path<'_>, value: f64, bound: f64) {
        if value >= bound || value.is_nan() {
            self.push(path, format!("must be less than {}", number(bound)));
        }
    }

    /// `minLength`, counted in characters as JSON Schema counts them.
    pub fn min_length(&mut self, path: &Path<'_>, value: &str, bound: usize) {
        // Each character is at most four bytes: only short strings need counting.
        if value.len() < bound.saturating_mul(4) && value.chars().count() < bound {
            self.push(path, format!("must be at least {bound} characters long"));
        }
    }

    /// `maxLength`, counted in characters.
    pub fn max_length(&mut self, path: &Path<'_>, value: &str, bound: usize) {
        if value.len() > bound && value.chars().count() > bound {
            self.push(path, format!("must be at most {bound} characters long"));
        }
    }

    /// `minItems`.
    pub fn min_items(&mut self, path: &Path<'_>, len: usize, bound: usize) {
        if len < bound {
            self.push(path, format!("must have at least {bound} items"));
        }
    }

    /// `maxItems`.
    pub fn max_items(&mut self, path: &Path<'_>, len: usize, bound: usize) {
        if len > bound {
            self.push(path, format!("must have at most {bound} items"));
        }
    }

    /// `pattern`: `matched` says whether the value matches `pattern`.
    pub fn pattern(&mut self, path: &Path<'_>, matched: bool, pattern: &str) {
        if !matched {
            self.push(path, format!("must match the pattern `{pattern}`"));
        }
    }
}

/// A bound as the API description writes it: `5`, not `5.0`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        value.to_string()
    }
}

/// A value whose constraints can be checked. Generated types implement it when they (or the
/// types inside them) carry constraints.
pub trait Validate {
    /// Checks the value at `path`, adding what it breaks to `out`.
    fn validate(&self, path: &Path<'_>, out: &mut Violations);
}

impl<T: Validate + ?Sized> Validate for &T {
    fn validate(&self, path: &Path<'_>, out: &mut Violations) {
        (**self).validate(path, out);
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate(&self, path: &Path<'_>, out: &mut Violations) {
        (**self).validate(path, out);
    }
}

impl<T: Validate> Validate for Option<T> {
    fn validate(&self, path: &Path<'_>, out: &mut Violations) {
        if let Some(value) = self {
            value.validate(path, out);
        }
    }
}

impl<T: Validate> Validate for [T] {
    fn validate(&self, path: &Path<'_>, out: &mut Violations) {
        for (index, item) in self.iter().enumerate() {
            item.validate(&path.index(index), out);
        }
    }
}

impl<T: Validate> Validate for Vec<T> {
    fn validate(&self, path: &Path<'_>, out: &mut Violations) {
        self.as_slice().validate(path, out);
    }
}

impl<T: Validate> Validate for BTreeMap<String, T> {
    fn validate(&self, path: &Path<'_>, out: &mut Violations) {
        for (key, value) in self {
            value.validate(&path.key(key), out);
        }
    }
}
