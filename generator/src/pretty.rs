//! Formatting: the one place that calls `prettyplease`, and the blank lines between items that
//! rustfmt would put there. A leaf: codegen formats doc examples with it, render whole files.

use proc_macro2::TokenStream;

/// Formats a file's syntax tree, appended to `out` (the file's header, say). The tree is freed
/// before the spaced text is built.
pub fn file(out: String, file: syn::File) -> String {
    let text = prettyplease::unparse(&file);
    drop(file);
    space_items(out, &text)
}

/// Formats the statements of an example as they would sit in a function body, without
/// indentation.
pub fn snippet(statements: &TokenStream) -> String {
    let file = example_file(quote::quote!(fn example() { #statements }));
    let text = prettyplease::unparse(&file);
    let lines: Vec<&str> = text.lines().collect();
    let inner = lines
        .get(1..lines.len().saturating_sub(1))
        .unwrap_or_default();
    inner
        .iter()
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Formats items (`use` lines and functions) as a block of example code.
pub fn example_items(items: TokenStream) -> String {
    let file = example_file(items);
    space_items(String::new(), &prettyplease::unparse(&file))
        .trim_end()
        .to_owned()
}

/// An example's syntax tree. Codegen builds examples from the IR, never from spec text, so
/// tokens that do not parse are a generator bug: generation stops with an internal error
/// rather than leave the example out unnoticed.
fn example_file(tokens: TokenStream) -> syn::File {
    syn::parse2(tokens)
        .unwrap_or_else(|e| panic!("internal error: a generated doc example is not Rust: {e}"))
}

/// Appends `text` to `out` with a blank line between items, as rustfmt-formatted code has: after a closing brace, after
/// a group of `use` or `mod` lines, and after the module's doc and attributes.
///
/// Generated code has no multi-line string literals (spec text is escaped into one line), so
/// looking at lines is exact.
fn space_items(mut out: String, text: &str) -> String {
    out.reserve(text.len() + text.len() / 16);
    let mut in_inner_attribute = false;
    let mut prev: Option<Line<'_>> = None;
    for line in text.lines().map(Line::new) {
        let after_inner_attribute =
            in_inner_attribute && prev.as_ref().is_some_and(|p| p.text == ")]");
        if after_inner_attribute {
            in_inner_attribute = false;
        }
        if let Some(prev) = &prev
            && (wants_blank_line(prev, &line)
                || (after_inner_attribute && !line.text.starts_with("#![")))
        {
            out.push('\n');
        }
        if line.text.starts_with("#![") && !line.text.ends_with(']') {
            in_inner_attribute = true;
        }
        out.push_str(line.text);
        out.push('\n');
        prev = Some(line);
    }
    out
}

/// A line of formatted code, with what `space_items` looks at worked out once.
struct Line<'a> {
    text: &'a str,
    indent: usize,
    /// The text without leading and trailing whitespace.
    body: &'a str,
}

impl<'a> Line<'a> {
    fn new(text: &'a str) -> Self {
        Line {
            text,
            indent: text.len() - text.trim_start().len(),
            body: text.trim(),
        }
    }

    /// What kind of line opens a group that ends with a blank line.
    fn kind(&self) -> &'static str {
        let s = self.body.strip_prefix("pub ").unwrap_or(self.body);
        if s.starts_with("use ") {
            "use"
        } else if s.starts_with("mod ") {
            "mod"
        } else if s.starts_with("//!") {
            "inner doc"
        } else if s.starts_with("#![") {
            "inner attribute"
        } else {
            "other"
        }
    }
}

fn wants_blank_line(prev: &Line<'_>, line: &Line<'_>) -> bool {
    // Items sit at the top level or in an `impl` (indent 4); deeper braces close expressions.
    if line.body.is_empty() || prev.body.is_empty() || prev.indent != line.indent || line.indent > 4
    {
        return false;
    }
    let top_level = prev.indent == 0;
    let closes = |s: &str| {
        s.starts_with('}') || s.starts_with(')') || s.starts_with(']') || s.starts_with('.')
    };
    if closes(line.body) || line.body.starts_with("else") {
        return false;
    }
    match (prev.body, prev.kind()) {
        ("}" | "};" | ");", _) => true,
        // A one-line macro invocation item (not a statement in a function body).
        (p, _) if top_level && !p.starts_with("//") && p.ends_with(");") && p.contains("!(") => {
            true
        }
        (_, kind @ ("use" | "mod" | "inner doc" | "inner attribute")) => line.kind() != kind,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::{example_items, snippet, space_items};

    #[test]
    fn items_get_blank_lines_and_expressions_do_not() {
        let text = "//! Doc.\n#![allow(\n    x\n)]\n#![allow(y)]\n#![allow(\n    z\n)]\n#[skip]\nuse a;\nuse b;\nmod c;\npub struct A {\n    #[serde(\n        a,\n    )]\n    x: u8,\n}\nimpl A {\n    fn f() {\n        g(\n            1,\n        )\n        .h();\n    }\n    fn i() {}\n}\n";
        let expected = "//! Doc.\n\n#![allow(\n    x\n)]\n#![allow(y)]\n#![allow(\n    z\n)]\n\n#[skip]\nuse a;\nuse b;\n\nmod c;\n\npub struct A {\n    #[serde(\n        a,\n    )]\n    x: u8,\n}\n\nimpl A {\n    fn f() {\n        g(\n            1,\n        )\n        .h();\n    }\n\n    fn i() {}\n}\n";
        assert_eq!(space_items(String::new(), text), expected);
    }

    #[test]
    fn examples_are_formatted() {
        let statements = quote::quote!(let x = f(1); g(x).await?;);
        assert_eq!(snippet(&statements), "let x = f(1);\ng(x).await?;");
        assert_eq!(snippet(&quote::quote!()), "");
        let items = quote::quote!(
            use a::b;
            fn main() {}
        );
        assert_eq!(example_items(items), "use a::b;\n\nfn main() {}");
    }

    #[test]
    #[should_panic(expected = "internal error")]
    fn an_example_that_is_not_rust_stops_generation() {
        example_items(quote::quote!(fn));
    }
}
