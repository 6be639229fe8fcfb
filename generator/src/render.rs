//! Rendering: turns codegen's tokens and syntax trees into formatted source text (formatted by
//! [`crate::pretty`]), and puts the generated-file header on every file. In module mode
//! ([`module`]), each file's tree is adapted before it is formatted.

pub mod module;

use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::codegen::{self, Code, Fragment, Unit, header_line};
use crate::diagnostics::Diagnostic;
use crate::ir::Api;

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
    let mut out = header_line("//", spec_label);
    out.push('\n');
    Ok(crate::pretty::file(out, file))
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

/// A hand-written runtime file, copied verbatim under the header.
pub fn runtime_file(source: &str, spec_label: &str) -> String {
    format!("{}\n{source}", header_line("//", spec_label))
}
