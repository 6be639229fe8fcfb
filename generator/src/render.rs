//! Rendering: the one place that turns token streams into formatted source text, with
//! `prettyplease`, and puts the generated-file header on every file.

use std::time::{Duration, Instant};

use proc_macro2::TokenStream;
use rayon::prelude::*;

use crate::codegen::{self, Unit};
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
) -> Rendered {
    let start = Instant::now();
    let one = |(path, unit): (String, Unit<'_>)| {
        let begin = Instant::now();
        let tokens = codegen::emit(api, crate_name, &unit);
        let emitted = Instant::now();
        let text = rust_file(&path, tokens, spec_label);
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
fn rust_file(path: &str, tokens: TokenStream, spec_label: &str) -> Result<String, Diagnostic> {
    let file: syn::File = syn::parse2(tokens).map_err(|e| {
        Diagnostic::file_error(format!(
            "internal error: generated `{path}` is not valid Rust ({e}); please report this"
        ))
    })?;
    let text = space_items(&prettyplease::unparse(&file));
    Ok(format!("{}\n{text}", header_line("//", spec_label)))
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
        space_items(&prettyplease::unparse(&file))
            .trim_end()
            .to_owned(),
    )
}

/// A hand-written runtime file, copied verbatim under the header.
pub fn runtime_file(source: &str, spec_label: &str) -> String {
    format!("{}\n{source}", header_line("//", spec_label))
}

/// Puts a blank line between items, as rustfmt-formatted code has: after a closing brace, after
/// a group of `use` or `mod` lines, and after the module's doc and attributes.
///
/// Generated code has no multi-line string literals (spec text is escaped into one line), so
/// looking at lines is exact.
fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    let mut in_inner_attribute = false;
    for (i, line) in lines.iter().enumerate() {
        let after_inner_attribute = in_inner_attribute && lines[i - 1] == ")]";
        if after_inner_attribute {
            in_inner_attribute = false;
        }
        if i > 0
            && (wants_blank_line(lines[i - 1], line)
                || (after_inner_attribute && !line.starts_with("#![")))
        {
            out.push('\n');
        }
        if line.starts_with("#![") && !line.ends_with(']') {
            in_inner_attribute = true;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn wants_blank_line(prev: &str, line: &str) -> bool {
    let indent = |s: &str| s.len() - s.trim_start().len();
    // Items sit at the top level or in an `impl` (indent 4); deeper braces close expressions.
    if line.trim().is_empty()
        || prev.trim().is_empty()
        || indent(prev) != indent(line)
        || indent(line) > 4
    {
        return false;
    }
    let top_level = indent(prev) == 0;
    let (prev, line) = (prev.trim(), line.trim());
    let closes = |s: &str| {
        s.starts_with('}') || s.starts_with(')') || s.starts_with(']') || s.starts_with('.')
    };
    if closes(line) || line.starts_with("else") {
        return false;
    }
    let kind = |s: &str| {
        let s = s.strip_prefix("pub ").unwrap_or(s);
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
    };
    match (prev, kind(prev)) {
        ("}" | "};" | ");", _) => true,
        // A one-line macro invocation item (not a statement in a function body).
        (p, _) if top_level && !p.starts_with("//") && p.ends_with(");") && p.contains("!(") => {
            true
        }
        (_, "use" | "mod" | "inner doc" | "inner attribute") => kind(line) != kind(prev),
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
        assert_eq!(space_items(text), expected);
    }
}
