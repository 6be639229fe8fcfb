//! Rendering: the one place that turns codegen's tokens and syntax trees into formatted source
//! text, with `prettyplease`, and puts the generated-file header on every file. In module mode
//! ([`module`]), each file's tree is adapted before it is formatted.

pub mod module;

use std::time::{Duration, Instant};

use proc_macro2::TokenStream;
use rayon::prelude::*;

use crate::codegen::{self, Code, Fragment, Unit};
use crate::diagnostics::Diagnostic;
use crate::ir::Api;
use crate::manifest::header_line;

/// The formatted files of a plan, in the plan's order, and the time spent.
pub struct Rendered {
    pub files: Vec<(String, Result<String, Diagnostic>)>,
    /// Wall time of the whole stage, split between codegen and formatting in proportion to the
    /// CPU time the workers spent in each (they run interleaved, file by file).
    pub codegen: Duration,
    pub render: Duration,
}

/// Emits and formats every file of `plan`. Files are independent, so they are spread over the
/// worker threads of `pool`; each result lands at its file's index, so the output does not
/// depend on the number of threads or on which finished first. Without a pool, the calling
/// thread formats them one by one.
pub fn rust_files(
    pool: Option<&rayon::ThreadPool>,
    api: &Api,
    crate_name: &str,
    plan: Vec<(String, Unit<'_>)>,
    spec_label: &str,
    module: Option<&module::Module>,
) -> Rendered {
    let start = Instant::now();
    let one = |(path, unit): (String, Unit<'_>)| {
        let begin = Instant::now();
        let code = codegen::emit(api, crate_name, &unit);
        let emitted = Instant::now();
        let text = rust_file(&path, code, spec_label, module);
        (path, text, emitted - begin, emitted.elapsed())
    };
    let results: Vec<_> = match pool {
        Some(pool) => pool.install(|| plan.into_par_iter().map(one).collect()),
        None => plan.into_iter().map(one).collect(),
    };
    let wall = start.elapsed();
    let cpu_codegen: Duration = results.iter().map(|r| r.2).sum();
    let cpu_render: Duration = results.iter().map(|r| r.3).sum();
    let total = (cpu_codegen + cpu_render).as_secs_f64();
    let share = if total > 0.0 {
        cpu_codegen.as_secs_f64() / total
    } else {
        0.5
    };
    let codegen = wall.mul_f64(share);
    Rendered {
        files: results.into_iter().map(|(p, text, ..)| (p, text)).collect(),
        codegen,
        render: wall.saturating_sub(codegen),
    }
}

/// Formats one Rust file. Codegen only makes valid syntax, so an error here is a generator bug;
/// it is reported as a diagnostic rather than a panic.
fn rust_file(
    path: &str,
    code: Code,
    spec_label: &str,
    module: Option<&module::Module>,
) -> Result<String, Diagnostic> {
    let mut file = splice(code).map_err(|what| {
        Diagnostic::file_error(format!(
            "internal error: generated `{path}` {what}; please report this"
        ))
    })?;
    if let Some(module) = module {
        module::adapt(&mut file, module, path == codegen::ROOT_FILE);
    }
    let text = prettyplease::unparse(&file);
    drop(file);
    let mut out = header_line("//", spec_label);
    out.push('\n');
    Ok(space_items(out, &text))
}

/// One syntax tree from a file's fragments: token fragments parsed, tree fragments as they are.
fn splice(code: Code) -> Result<syn::File, String> {
    let mut file = syn::File {
        shebang: None,
        frontmatter: None,
        attrs: Vec::new(),
        items: Vec::new(),
    };
    for (i, fragment) in code.0.into_iter().enumerate() {
        match fragment {
            Fragment::Tokens(tokens) => {
                let part: syn::File =
                    syn::parse2(tokens).map_err(|e| format!("is not valid Rust ({e})"))?;
                if i > 0 && !part.attrs.is_empty() {
                    return Err("has inner attributes after its start".to_owned());
                }
                file.attrs.extend(part.attrs);
                file.items.extend(part.items);
            }
            Fragment::Items(items) => file.items.extend(items),
        }
    }
    Ok(file)
}

/// Formats the statements of an example as they would sit in a function body, without
/// indentation; `None` if they are not valid Rust (a generator bug: the example is left out).
pub fn snippet(statements: &TokenStream) -> Option<String> {
    let file: syn::File = syn::parse2(quote::quote!(fn example() { #statements })).ok()?;
    let text = prettyplease::unparse(&file);
    let body: Vec<&str> = text.lines().collect();
    let inner = body.get(1..body.len().checked_sub(1)?)?;
    Some(
        inner
            .iter()
            .map(|line| line.strip_prefix("    ").unwrap_or(line))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// Formats items (`use` lines and functions) as a block of example code.
pub fn example_items(items: TokenStream) -> Option<String> {
    let file: syn::File = syn::parse2(items).ok()?;
    Some(
        space_items(String::new(), &prettyplease::unparse(&file))
            .trim_end()
            .to_owned(),
    )
}

/// A hand-written runtime file, copied verbatim under the header.
pub fn runtime_file(source: &str, spec_label: &str) -> String {
    format!("{}\n{source}", header_line("//", spec_label))
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
    use super::space_items;

    #[test]
    fn items_get_blank_lines_and_expressions_do_not() {
        let text = "//! Doc.\n#![allow(\n    x\n)]\n#![allow(y)]\n#![allow(\n    z\n)]\n#[skip]\nuse a;\nuse b;\nmod c;\npub struct A {\n    #[serde(\n        a,\n    )]\n    x: u8,\n}\nimpl A {\n    fn f() {\n        g(\n            1,\n        )\n        .h();\n    }\n    fn i() {}\n}\n";
        let expected = "//! Doc.\n\n#![allow(\n    x\n)]\n#![allow(y)]\n#![allow(\n    z\n)]\n\n#[skip]\nuse a;\nuse b;\n\nmod c;\n\npub struct A {\n    #[serde(\n        a,\n    )]\n    x: u8,\n}\n\nimpl A {\n    fn f() {\n        g(\n            1,\n        )\n        .h();\n    }\n\n    fn i() {}\n}\n";
        assert_eq!(space_items(String::new(), text), expected);
    }
}
