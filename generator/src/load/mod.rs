//! Reads a spec's text, JSON or YAML, into one JSON value tree, the only form later stages see.
//!
//! JSON goes through `serde_json` (large specs are JSON, and it is fast); YAML through
//! `serde_yaml`, straight into JSON values (see `yaml.rs`). Syntax errors carry a line and
//! column.

mod json_tree;
pub mod overlay;
mod yaml;

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Location, Severity};

/// The syntax of a spec file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Syntax {
    Json,
    Yaml,
}

impl Syntax {
    /// Picks the syntax from the file name, then from the first non-blank byte.
    pub fn detect(name: &str, text: &[u8]) -> Syntax {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".json") {
            return Syntax::Json;
        }
        if lower.ends_with(".yaml") || lower.ends_with(".yml") {
            return Syntax::Yaml;
        }
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => Syntax::Json,
            _ => Syntax::Yaml,
        }
    }
}

/// Parses a spec's bytes. `name` (a file name) only helps to pick the syntax.
pub fn parse(name: &str, text: &[u8]) -> Result<Value, Diagnostic> {
    if text.iter().all(u8::is_ascii_whitespace) {
        return Err(Diagnostic::file_error("the file is empty"));
    }
    match Syntax::detect(name, text) {
        Syntax::Json => parse_json(text),
        Syntax::Yaml => parse_yaml(text),
    }
}

fn parse_json(text: &[u8]) -> Result<Value, Diagnostic> {
    use serde::Deserializer as _;
    let mut deserializer = serde_json::Deserializer::from_slice(text);
    deserializer
        .deserialize_any(json_tree::JsonVisitor)
        .and_then(|value| deserializer.end().map(|()| value))
        .map_err(|e| {
            let message = format!("not valid JSON: {}", strip_position(&e.to_string()));
            syntax_error(e.line(), e.column(), message)
        })
}

fn parse_yaml(text: &[u8]) -> Result<Value, Diagnostic> {
    let text = std::str::from_utf8(text).map_err(|e| {
        Diagnostic::file_error(format!("not UTF-8 text (at byte {})", e.valid_up_to()))
    })?;
    yaml::parse(text).map_err(|e| {
        let message = format!("not valid YAML: {}", strip_position(&e.to_string()));
        match e.location() {
            Some(at) => syntax_error(at.line(), at.column(), message),
            None => Diagnostic::file_error(message),
        }
    })
}

fn syntax_error(line: usize, column: usize, message: String) -> Diagnostic {
    Diagnostic {
        severity: Severity::Error,
        location: Location::Text { line, column },
        message,
    }
}

/// Drops the " at line X column Y" suffix that parsers append; the location is reported apart.
fn strip_position(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(i) => &message[..i],
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_integer_keys_become_strings() {
        let v = parse("x.yaml", b"responses:\n  200:\n    description: ok\n").unwrap();
        assert_eq!(v["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn syntax_is_detected_from_name_then_content() {
        assert_eq!(Syntax::detect("a.JSON", b"x: 1"), Syntax::Json);
        assert_eq!(Syntax::detect("a", b"  {\"a\":1}"), Syntax::Json);
        assert_eq!(Syntax::detect("a", b"openapi: 3.0.0"), Syntax::Yaml);
    }

    #[test]
    fn syntax_errors_have_line_and_column() {
        let e = parse("x.json", b"{\n  \"a\": ,\n}").unwrap_err();
        assert_eq!(e.location, Location::Text { line: 2, column: 8 });
        assert!(e.message.starts_with("not valid JSON"), "{}", e.message);
        let e = parse("x.yaml", b"a: [1, 2\nb: 3\n").unwrap_err();
        assert!(matches!(e.location, Location::Text { .. }), "{e:?}");
    }

    #[test]
    fn empty_files_and_duplicate_keys_are_errors() {
        assert_eq!(
            parse("x.yaml", b"  \n").unwrap_err().message,
            "the file is empty"
        );
        let e = parse("x.json", b"{\"a\": {\"b\": 1,\n \"b\": 2}}").unwrap_err();
        assert_eq!(e.message, "not valid JSON: duplicate key `b`");
        assert_eq!(e.location, Location::Text { line: 2, column: 8 });
        let e = parse("x.yaml", b"a:\n  1: x\n  '1': y\n").unwrap_err();
        assert!(e.message.contains("duplicate key `1`"), "{}", e.message);
        assert!(
            matches!(e.location, Location::Text { line: 2, .. }),
            "{e:?}"
        );
    }

    #[test]
    fn big_integers_tags_and_infinities_are_read() {
        let v = parse("x.yaml", b"big: 18446744073709551616\nsmall: -9223372036854775809\ntagged: !custom 5\ninf: .inf\n").unwrap();
        assert_eq!(v["big"].as_f64(), Some(18446744073709551616.0));
        assert_eq!(v["small"].as_f64(), Some(-9223372036854775809.0));
        assert_eq!(v["tagged"], 5);
        assert!(v["inf"].is_null());
    }

    #[test]
    fn merge_keys_are_applied() {
        let v = parse("x.yaml", b"base: &b {x: 1}\nderived:\n  <<: *b\n  y: 2\n").unwrap();
        assert_eq!(v["derived"], serde_json::json!({"x": 1, "y": 2}));
    }
}
