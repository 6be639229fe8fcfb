//! The generator's stages call only downward: every `crate::` path in `src/` (in `use` items,
//! expressions and types; not inside macros such as `quote!`, whose paths are generated code)
//! goes from a module to one on a lower layer of the table below. So the import graph has no
//! cycles and no upward edges, and a new module has to take a place in the table.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use syn::visit_mut::VisitMut;

/// The top-level modules of `generator/src`, lowest layer first. A module may use modules of
/// lower layers only; modules on one layer do not use each other. `lib` stands for the items
/// `lib.rs` defines itself (the pipeline); `config` (the `build.rs` front door) and `diff` (which
/// compares two generated crates) are above it. The crate root's `pub use` items are its public
/// face, not uses, and are not counted. The command (`src/bin/`) is a crate of its own, which
/// uses the library's public API only.
const LAYERS: &[&[&str]] = &[
    &["pointer", "ident", "digest", "threads"],
    &["diagnostics", "ir", "runtime_files", "pretty"],
    &["settings"],
    &["load"],
    &["bundle"],
    &["lower"],
    &["passes"],
    &["codegen"],
    &["render"],
    &["output"],
    &["lib"],
    &["config", "diff"],
];

fn layer(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

/// One use of a module by another: where, and the path as written.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Edge {
    from: String,
    to: String,
    file: String,
    path: String,
}

#[test]
fn stages_use_only_lower_layers() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let top: BTreeSet<String> = top_level_modules(&src);
    let unplaced: Vec<&String> = top.iter().filter(|m| layer(m).is_none()).collect();
    assert!(
        unplaced.is_empty(),
        "modules without a layer in LAYERS: {unplaced:?}"
    );
    let edges = edges(&src, &top);
    assert!(
        edges.len() > 50,
        "the check found only {} uses; is it reading the sources?",
        edges.len()
    );
    let upward: Vec<String> = edges
        .iter()
        .filter(|e| e.from != e.to)
        .filter(|e| layer(&e.to) >= layer(&e.from))
        .map(|e| format!("{} uses {} ({}: `{}`)", e.from, e.to, e.file, e.path))
        .collect();
    assert!(
        upward.is_empty(),
        "uses of a module on the same or a higher layer:\n{}",
        upward.join("\n")
    );
}

/// A use on the same or a higher layer is found (the check can fail).
#[test]
fn an_upward_use_is_caught() {
    let top: BTreeSet<String> = ["codegen", "render"].map(String::from).into();
    let file: syn::File = syn::parse_quote! {
        fn f() -> String { crate::render::rust_files(); quote!(crate::lower::x) }
    };
    let found = paths_in(file, "codegen", &[], &top);
    assert_eq!(
        found,
        vec![("render".to_owned(), "crate::render::rust_files".to_owned())]
    );
    assert!(layer("render") > layer("codegen"));
}

fn top_level_modules(src: &Path) -> BTreeSet<String> {
    std::fs::read_dir(src)
        .expect("generator/src is readable")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| library(path))
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_owned();
            (path.is_dir() || path.extension()? == "rs").then_some(name)
        })
        .collect()
}

/// The library's sources: everything under `src/` but the command's crate, `src/bin/`.
fn library(path: &Path) -> bool {
    path.file_name().is_none_or(|name| name != "bin")
}

/// Every use of a top-level module by a file of another, read from the sources.
fn edges(src: &Path, top: &BTreeSet<String>) -> BTreeSet<Edge> {
    let mut out = BTreeSet::new();
    for file in rust_files(src) {
        let relative = file.strip_prefix(src).expect("under src");
        let parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
            .collect();
        // The file's module path from the crate root (`codegen/mod.rs` is `codegen`).
        let mut module: Vec<String> = parts.clone();
        if module.last().is_some_and(|l| l == "mod") || module == ["lib"] {
            module.pop();
        }
        let from = module
            .first()
            .map_or_else(|| "lib".to_owned(), Clone::clone);
        let text = std::fs::read_to_string(&file).expect("a readable source file");
        let syntax = syn::parse_file(&text)
            .unwrap_or_else(|e| panic!("{} does not parse: {e}", relative.display()));
        for (to, path) in paths_in(syntax, &from, &module, top) {
            out.insert(Edge {
                from: from.clone(),
                to,
                file: relative.display().to_string(),
                path,
            });
        }
    }
    out
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("a readable directory")
        .map(|e| e.expect("a directory entry").path())
        .collect();
    entries.sort();
    for path in entries.into_iter().filter(|path| library(path)) {
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The top-level modules a file's paths reach, with each path as written. `module` is the file's
/// module path, to resolve `super::`; a path to an item of the crate root counts as `lib`.
fn paths_in(
    mut file: syn::File,
    from: &str,
    module: &[String],
    top: &BTreeSet<String>,
) -> Vec<(String, String)> {
    let mut collector = Collector {
        module: module.to_vec(),
        top,
        from,
        found: Vec::new(),
    };
    collector.visit_file_mut(&mut file);
    collector.found
}

struct Collector<'a> {
    /// The module the visitor is in (inline `mod`s included).
    module: Vec<String>,
    top: &'a BTreeSet<String>,
    from: &'a str,
    found: Vec<(String, String)>,
}

impl Collector<'_> {
    /// Resolves a path's leading segments to a top-level module.
    fn reach(&mut self, segments: &[String]) {
        let rest: Vec<String> = match segments.first().map(String::as_str) {
            Some("crate") => segments[1..].to_vec(),
            Some("super") => {
                let ups = segments.iter().take_while(|s| *s == "super").count();
                let Some(base) = self.module.len().checked_sub(ups) else {
                    return;
                };
                let mut resolved = self.module[..base].to_vec();
                resolved.extend(segments[ups..].iter().cloned());
                resolved
            }
            // In the crate root, a path may start with a module's name.
            Some(first) if self.module.is_empty() && self.top.contains(first) => segments.to_vec(),
            _ => return,
        };
        let Some(first) = rest.first() else { return };
        let to = if self.top.contains(first) && first != "lib" {
            first.clone()
        } else {
            "lib".to_owned()
        };
        if to != self.from {
            self.found.push((to, segments.join("::")));
        }
    }
}

impl VisitMut for Collector<'_> {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        self.reach(&segments);
        syn::visit_mut::visit_path_mut(self, path);
    }

    fn visit_item_use_mut(&mut self, item: &mut syn::ItemUse) {
        let root = self.module.is_empty();
        if root && matches!(item.vis, syn::Visibility::Public(_)) {
            return;
        }
        let mut prefixes = Vec::new();
        use_paths(&item.tree, &mut Vec::new(), &mut prefixes);
        for segments in prefixes {
            self.reach(&segments);
        }
    }

    // A `mod` declaration is not a use; the module declares its own uses.
    fn visit_item_mod_mut(&mut self, item: &mut syn::ItemMod) {
        if item.content.is_some() {
            self.module.push(item.ident.to_string());
            syn::visit_mut::visit_item_mod_mut(self, item);
            self.module.pop();
        }
    }
}

/// The paths a `use` tree names, down to each leaf.
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push(path);
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push(path);
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_paths(tree, prefix, out);
            }
        }
    }
}
