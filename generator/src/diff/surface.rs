//! The public Rust API of a generated crate, read back from its sources with `syn`, and how two
//! of them differ under the semver rules cargo-semver-checks applies: removing or changing
//! anything public breaks users, adding does not, and adding a field or a variant breaks only
//! where users could build the type with a literal or match it exhaustively.

use std::collections::BTreeMap;

use quote::ToTokens;

use super::items::ItemPath;
use super::keyed::{Entry, keyed};
use crate::output::Files;

/// Every public item of a crate, by path (`types::Pet`, `types::Pet::new`,
/// `operations::pets::Pets::get`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Surface {
    pub items: BTreeMap<ItemPath, Item>,
}

/// A public item, reduced to what users depend on.
#[derive(Clone, Debug, PartialEq)]
pub enum Item {
    /// Public fields by name, with their types.
    Struct {
        non_exhaustive: bool,
        fields: BTreeMap<String, String>,
    },
    /// Variants by name, with their payload types (empty for unit variants).
    Enum {
        non_exhaustive: bool,
        variants: BTreeMap<String, String>,
    },
    Alias(String),
    /// A trait the type implements (derived or written out); the path is `<type> impl <trait>`.
    Impl,
    /// The signature: argument types and the return type (argument names do not matter), how
    /// many arguments it takes, and the names of its arguments in order (two arguments of one
    /// type trading places compile, and mean something else).
    Fn(String, usize, Vec<String>),
    Const(String),
}

impl Item {
    fn kind(&self) -> &'static str {
        match self {
            Item::Struct { .. } => "struct",
            Item::Enum { .. } => "enum",
            Item::Alias(_) => "type alias",
            Item::Impl => "trait implementation",
            Item::Fn(..) => "function",
            Item::Const(_) => "constant",
        }
    }
}

/// How far a change reaches, in semver terms; ordered from least to most.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Bump {
    Patch,
    Minor,
    Major,
}

impl Bump {
    pub fn as_str(self) -> &'static str {
        match self {
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }
}

/// One difference between two public APIs.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct RustChange {
    /// The item's path (`types::Pet`), or a member's (`types::Pet.name` for a field,
    /// `types::Pet::new` for a function, `types::Kind::Dog` for a variant).
    pub item: ItemPath,
    pub what: String,
    pub bump: Bump,
}

/// Reads the public API of a generated crate from its files. The runtime module is the same in
/// every crate and is left out.
pub fn read(files: &Files) -> Surface {
    let mut surface = Surface::default();
    for (path, bytes) in files {
        let Some(module) = module_of(path) else {
            continue;
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            continue;
        };
        // Generated files always parse; a file that does not adds nothing.
        if let Ok(file) = syn::parse_file(text) {
            let in_mod_rs = path.ends_with("/mod.rs");
            for item in &file.items {
                add_item(&mut surface, &module, in_mod_rs, item);
            }
        }
    }
    surface
}

/// The path prefix of the public items of a generated file, if it has any of interest.
fn module_of(path: &str) -> Option<String> {
    if !path.ends_with(".rs") || path.starts_with("src/runtime/") || !path.starts_with("src/") {
        return None;
    }
    if path.starts_with("src/types/") {
        // Every type is re-exported from `types`.
        Some("types::".to_owned())
    } else if path == "src/servers.rs" {
        Some("servers::".to_owned())
    } else if let Some(rest) = path.strip_prefix("src/operations/") {
        // A group's `mod.rs` is its module; an operation's file is private, and its methods
        // belong to the handle of the folder it is in.
        let folder = rest.rsplit_once('/').map_or("", |(folder, _)| folder);
        let mut module = "operations::".to_owned();
        for part in folder.split('/').filter(|p| !p.is_empty()) {
            module.push_str(part);
            module.push_str("::");
        }
        Some(module)
    } else {
        // `lib.rs` and `credentials.rs`: methods of `Client` and `ClientBuilder`, at the root.
        Some(String::new())
    }
}

/// The module an impl's methods are public in: the root for `crate::Client` (a group's
/// accessor), the enclosing module for `super::Handle` in a group's `mod.rs`, else the file's.
fn impl_module<'m>(module: &'m str, path: &syn::Path, in_mod_rs: bool) -> &'m str {
    if path.segments.first().is_some_and(|s| s.ident == "crate") {
        return "";
    }
    let is_super = path.segments.first().is_some_and(|s| s.ident == "super");
    if is_super && in_mod_rs {
        // `operations::a::b::` → `operations::a::`.
        let trimmed = module.trim_end_matches("::");
        return match trimmed.rfind("::") {
            Some(i) => &module[..i + 2],
            None => module,
        };
    }
    module
}

fn add_item(surface: &mut Surface, module: &str, in_mod_rs: bool, item: &syn::Item) {
    match item {
        syn::Item::Struct(s) if public(&s.vis) => {
            let fields = s
                .fields
                .iter()
                .filter(|f| public(&f.vis))
                .filter_map(|f| Some((f.ident.as_ref()?.to_string(), text(&f.ty))))
                .collect();
            let item = Item::Struct {
                non_exhaustive: non_exhaustive(&s.attrs),
                fields,
            };
            let path = ItemPath::new(format!("{module}{}", s.ident));
            derives(surface, &path, &s.attrs);
            surface.items.insert(path, item);
        }
        syn::Item::Enum(e) if public(&e.vis) => {
            let variants = e
                .variants
                .iter()
                .map(|v| (v.ident.to_string(), text(&v.fields)))
                .collect();
            let item = Item::Enum {
                non_exhaustive: non_exhaustive(&e.attrs),
                variants,
            };
            let path = ItemPath::new(format!("{module}{}", e.ident));
            derives(surface, &path, &e.attrs);
            surface.items.insert(path, item);
        }
        syn::Item::Type(t) if public(&t.vis) => {
            let item = Item::Alias(text(&t.ty));
            let path = ItemPath::new(format!("{module}{}", t.ident));
            surface.items.insert(path, item);
        }
        syn::Item::Const(c) if public(&c.vis) => {
            let item = Item::Const(text(&c.ty));
            let path = ItemPath::new(format!("{module}{}", c.ident));
            surface.items.insert(path, item);
        }
        // An impl behind a feature (`full-serde`) is not part of the default API.
        syn::Item::Impl(i) if !i.attrs.iter().any(|a| a.path().is_ident("cfg")) => {
            // `impl crate::Client` is `Client`'s, wherever the path starts.
            let (owner, module) = match &*i.self_ty {
                syn::Type::Path(p) => (
                    p.path
                        .segments
                        .last()
                        .map_or_else(|| text(&i.self_ty), |s| s.ident.to_string()),
                    impl_module(module, &p.path, in_mod_rs),
                ),
                other => (text(other), module),
            };
            let owner = ItemPath::new(format!("{module}{owner}"));
            if let Some((trait_path, _)) = &i.trait_ {
                // The runtime's own traits (`crate::runtime::de::Object`) are not users' to call.
                if let Some(name) = trait_path.segments.last()
                    && !runtime_internal(trait_path)
                {
                    let path = owner.implements(&trait_name(name));
                    surface.items.insert(path, Item::Impl);
                }
                return;
            }
            for member in &i.items {
                if let syn::ImplItem::Fn(f) = member
                    && public(&f.vis)
                {
                    let item = Item::Fn(signature(&f.sig), f.sig.inputs.len(), arg_names(&f.sig));
                    let path = owner.assoc(&f.sig.ident.to_string());
                    surface.items.insert(path, item);
                }
            }
        }
        // The runtime's macros that write a string enum's impls; behind a feature, they are not
        // part of the default API.
        syn::Item::Macro(m) if !m.attrs.iter().any(|a| a.path().is_ident("cfg")) => {
            for item in macro_impls(&m.mac) {
                add_item(surface, module, in_mod_rs, &item);
            }
        }
        _ => {}
    }
}

/// The impls one of the runtime's enum macros writes, as the items they stand for.
fn macro_impls(mac: &syn::Macro) -> Vec<syn::Item> {
    let Some(macro_name) = mac.path.segments.last().map(|s| s.ident.to_string()) else {
        return Vec::new();
    };
    let parser = syn::punctuated::Punctuated::<syn::Ident, syn::Token![,]>::parse_terminated;
    let Some(name) = mac
        .parse_body_with(parser)
        .ok()
        .and_then(|args| args.first().cloned())
    else {
        return Vec::new();
    };
    match macro_name.as_str() {
        "string_enum" => vec![
            syn::parse_quote!(impl ::std::convert::From<&str> for #name {}),
            syn::parse_quote!(impl ::std::convert::From<String> for #name {}),
            syn::parse_quote!(impl ::std::str::FromStr for #name {}),
            syn::parse_quote!(impl ::std::fmt::Display for #name {}),
        ],
        "string_enum_serialize" => vec![syn::parse_quote!(impl ::serde::Serialize for #name {})],
        "string_enum_deserialize" => {
            vec![syn::parse_quote!(impl<'de> ::serde::Deserialize<'de> for #name {})]
        }
        _ => Vec::new(),
    }
}

/// A trait as the surface names it: `From<&str>`, and `Deserialize` for `Deserialize<'de>` (as
/// its derive is named).
fn trait_name(segment: &syn::PathSegment) -> String {
    let lifetimes_only = match &segment.arguments {
        syn::PathArguments::AngleBracketed(args) => args
            .args
            .iter()
            .all(|a| matches!(a, syn::GenericArgument::Lifetime(_))),
        _ => false,
    };
    if lifetimes_only {
        segment.ident.to_string()
    } else {
        text(segment)
    }
}

/// Whether a trait path names one of the runtime's crate-private traits.
fn runtime_internal(path: &syn::Path) -> bool {
    let words: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
    words.starts_with(&["crate".into(), "runtime".into(), "de".into()])
}

/// The traits `#[derive(...)]` implements for the type at `path`.
fn derives(surface: &mut Surface, path: &ItemPath, attrs: &[syn::Attribute]) {
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        let _ = attr.parse_nested_meta(|meta| {
            if let Some(name) = meta.path.segments.last() {
                let path = path.implements(&name.ident.to_string());
                surface.items.insert(path, Item::Impl);
            }
            Ok(())
        });
    }
}

fn public(vis: &syn::Visibility) -> bool {
    matches!(vis, syn::Visibility::Public(_))
}

fn non_exhaustive(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("non_exhaustive"))
}

/// A function's signature without argument names: renaming an argument breaks nobody.
fn signature(sig: &syn::Signature) -> String {
    let args: Vec<String> = sig
        .inputs
        .iter()
        .map(|arg| match arg {
            syn::FnArg::Receiver(r) => text(r),
            syn::FnArg::Typed(t) => text(&t.ty),
        })
        .collect();
    let generics = if sig.generics.params.is_empty() {
        String::new()
    } else {
        text(&sig.generics)
    };
    let output = match &sig.output {
        syn::ReturnType::Default => String::new(),
        syn::ReturnType::Type(_, ty) => format!(" -> {}", text(ty)),
    };
    format!("fn{generics}({}){output}", args.join(", "))
}

/// The names of a function's typed arguments, in order (a pattern that is not a name counts as
/// `_`).
fn arg_names(sig: &syn::Signature) -> Vec<String> {
    let name = |t: &syn::PatType| match &*t.pat {
        syn::Pat::Ident(p) => p.ident.to_string(),
        _ => "_".to_owned(),
    };
    sig.inputs
        .iter()
        .filter_map(|arg| match arg {
            syn::FnArg::Typed(t) => Some(name(t)),
            syn::FnArg::Receiver(_) => None,
        })
        .collect()
}

/// Whether the same argument names now come in another order: a caller's arguments of one type
/// silently trade meanings. Renamed arguments are not a reordering.
fn reordered(old: &[String], new: &[String]) -> bool {
    let sorted = |names: &[String]| {
        let mut names = names.to_vec();
        names.sort();
        names
    };
    old != new && sorted(old) == sorted(new)
}

/// Tokens as compact text (`Option<Vec<types::Pet>>`).
fn text(tokens: &impl ToTokens) -> String {
    let raw = tokens.to_token_stream().to_string();
    let mut out = raw
        .replace(" :: ", "::")
        .replace(":: ", "::")
        .replace(" < ", "<")
        .replace("< ", "<")
        .replace(" >", ">")
        .replace(" ,", ",")
        .replace(",>", ">")
        .replace("& ", "&")
        .replace("( ", "(")
        .replace(" )", ")")
        .replace("' _", "'_");
    if out.starts_with("::") {
        out = out.trim_start_matches("::").to_owned();
    }
    out
}

/// The differences from `old` to `new`, in path order.
pub fn compare(old: &Surface, new: &Surface) -> Vec<RustChange> {
    let mut changes = Vec::new();
    for (path, entry) in keyed(&old.items, &new.items) {
        let mut push = |what: String, bump: Bump| {
            let item = path.clone();
            changes.push(RustChange { item, what, bump });
        };
        match entry {
            Entry::Removed(before) => push(format!("{} removed", before.kind()), Bump::Major),
            Entry::Kept(before, after) => compare_item(path, before, after, &mut changes),
            Entry::Added(after) => push(format!("{} added", after.kind()), Bump::Minor),
        }
    }
    changes.sort_by(|a, b| a.item.cmp(&b.item));
    changes
}

fn compare_item(path: &ItemPath, before: &Item, after: &Item, out: &mut Vec<RustChange>) {
    let mut push =
        |item: ItemPath, what: String, bump: Bump| out.push(RustChange { item, what, bump });
    match (before, after) {
        (
            Item::Struct {
                non_exhaustive: was,
                fields: old,
            },
            Item::Struct {
                non_exhaustive: is,
                fields: new,
            },
        ) => {
            exhaustiveness(path, *was, *is, &mut push);
            members(path, ItemPath::field, "field", old, new, *is, &mut push);
        }
        (
            Item::Enum {
                non_exhaustive: was,
                variants: old,
            },
            Item::Enum {
                non_exhaustive: is,
                variants: new,
            },
        ) => {
            exhaustiveness(path, *was, *is, &mut push);
            members(path, ItemPath::assoc, "variant", old, new, *is, &mut push);
        }
        (Item::Fn(a, _, old), Item::Fn(b, _, new)) if a == b && reordered(old, new) => {
            let what = format!(
                "arguments reordered from `({})` to `({})`",
                old.join(", "),
                new.join(", ")
            );
            push(path.clone(), what, Bump::Major);
        }
        (Item::Fn(a, m, _), Item::Fn(b, n, _)) if a != b => {
            // Long argument lists say more by their count than by their text.
            let what = if m != n {
                format!("function now takes {n} argument(s) instead of {m}")
            } else {
                format!("function changed from `{a}` to `{b}`")
            };
            push(path.clone(), what, Bump::Major);
        }
        (Item::Fn(..), Item::Fn(..)) | (Item::Impl, Item::Impl) => {}
        (Item::Alias(a), Item::Alias(b)) | (Item::Const(a), Item::Const(b)) => {
            if a != b {
                let what = format!("{} changed from `{a}` to `{b}`", before.kind());
                push(path.clone(), what, Bump::Major);
            }
        }
        _ => {
            let what = format!("{} became a {}", before.kind(), after.kind());
            push(path.clone(), what, Bump::Major);
        }
    }
}

fn exhaustiveness(
    path: &ItemPath,
    was: bool,
    is: bool,
    push: &mut impl FnMut(ItemPath, String, Bump),
) {
    if !was && is {
        push(
            path.clone(),
            "became #[non_exhaustive]".to_owned(),
            Bump::Major,
        );
    } else if was && !is {
        push(
            path.clone(),
            "is no longer #[non_exhaustive]".to_owned(),
            Bump::Minor,
        );
    }
}

/// Fields or variants: removing or retyping one breaks users; adding one breaks them only when
/// the type is exhaustive (a struct literal or an exhaustive `match` stops compiling).
fn members(
    path: &ItemPath,
    member: fn(&ItemPath, &str) -> ItemPath,
    word: &str,
    old: &BTreeMap<String, String>,
    new: &BTreeMap<String, String>,
    non_exhaustive: bool,
    push: &mut impl FnMut(ItemPath, String, Bump),
) {
    for (name, entry) in keyed(old, new) {
        let item = member(path, name);
        match entry {
            Entry::Removed(_) => push(item, format!("{word} removed"), Bump::Major),
            Entry::Kept(before, after) if after != before => push(
                item,
                format!("{word} changed from `{before}` to `{after}`"),
                Bump::Major,
            ),
            Entry::Kept(..) => {}
            Entry::Added(_) if non_exhaustive => push(item, format!("{word} added"), Bump::Minor),
            Entry::Added(_) => push(
                item,
                format!("{word} added to an exhaustive type"),
                Bump::Major,
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn surface(source: &str) -> Surface {
        let mut files = Files::new();
        files.insert("src/types/t.rs".to_owned(), source.as_bytes().to_vec());
        read(&files)
    }

    fn bumps(old: &str, new: &str) -> Vec<(String, Bump)> {
        compare(&surface(old), &surface(new))
            .into_iter()
            .map(|c| (c.item.to_string(), c.bump))
            .collect()
    }

    #[test]
    fn fields_follow_the_semver_rules() {
        let old = "#[non_exhaustive] pub struct A { pub x: i64, pub y: String }";
        let added = "#[non_exhaustive] pub struct A { pub x: i64, pub y: String, pub z: bool }";
        assert_eq!(bumps(old, added), [("types::A.z".to_owned(), Bump::Minor)]);
        let removed = "#[non_exhaustive] pub struct A { pub x: i64 }";
        assert_eq!(
            bumps(old, removed),
            [("types::A.y".to_owned(), Bump::Major)]
        );
        let retyped = "#[non_exhaustive] pub struct A { pub x: Option<i64>, pub y: String }";
        assert_eq!(
            bumps(old, retyped),
            [("types::A.x".to_owned(), Bump::Major)]
        );
        let exhaustive_old = "pub struct A { pub x: i64 }";
        let exhaustive_new = "pub struct A { pub x: i64, pub y: i64 }";
        assert_eq!(
            bumps(exhaustive_old, exhaustive_new),
            [("types::A.y".to_owned(), Bump::Major)]
        );
    }

    #[test]
    fn arguments_of_one_type_that_trade_places_break_callers() {
        let old = "pub struct A; impl A { pub fn new(a: impl Into<String>, b: impl Into<String>) -> Self { todo!() } }";
        let swapped = "pub struct A; impl A { pub fn new(b: impl Into<String>, a: impl Into<String>) -> Self { todo!() } }";
        let changes = compare(&surface(old), &surface(swapped));
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].item, "types::A::new");
        assert_eq!(changes[0].bump, Bump::Major);
        assert!(
            changes[0].what.contains("`(a, b)` to `(b, a)`"),
            "{}",
            changes[0].what
        );
    }

    #[test]
    fn signatures_ignore_argument_names() {
        let old = "pub struct A; impl A { pub fn new(x: impl Into<String>) -> Self { todo!() } }";
        let renamed =
            "pub struct A; impl A { pub fn new(y: impl Into<String>) -> Self { todo!() } }";
        assert!(bumps(old, renamed).is_empty());
        let more =
            "pub struct A; impl A { pub fn new(y: impl Into<String>, z: i64) -> Self { todo!() } }";
        assert_eq!(
            bumps(old, more),
            [("types::A::new".to_owned(), Bump::Major)]
        );
    }

    #[test]
    fn losing_a_trait_breaks_users() {
        let old = "#[derive(Clone, Default)] pub struct A { pub x: Option<i64> }";
        let new = "#[derive(Clone)] pub struct A { pub x: Option<i64> }";
        assert_eq!(
            bumps(old, new),
            [("types::A impl Default".to_owned(), Bump::Major)]
        );
        let written = "#[derive(Clone)] pub struct A { pub x: Option<i64> } impl Default for A { fn default() -> Self { todo!() } }";
        assert!(bumps(old, written).is_empty());
    }

    #[test]
    fn the_enum_macros_stand_for_the_impls_they_write() {
        let written = "pub enum K { A, Other(String) } \
            impl From<&str> for K { fn from(v: &str) -> Self { todo!() } } \
            impl From<String> for K { fn from(v: String) -> Self { todo!() } } \
            impl ::std::str::FromStr for K { type Err = (); fn from_str(v: &str) -> Result<Self, ()> { todo!() } } \
            impl ::std::fmt::Display for K { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { todo!() } } \
            impl ::serde::Serialize for K {} \
            impl<'de> ::serde::Deserialize<'de> for K {}";
        let by_macro = "pub enum K { A, Other(String) } \
            crate::runtime::string_enum!(K, Other); \
            crate::runtime::string_enum_serialize!(K); \
            crate::runtime::string_enum_deserialize!(K);";
        assert!(bumps(written, by_macro).is_empty());
        let gated = "pub enum K { A, Other(String) } \
            crate::runtime::string_enum!(K, Other); \
            #[cfg(feature = \"full-serde\")] crate::runtime::string_enum_serialize!(K); \
            crate::runtime::string_enum_deserialize!(K);";
        assert_eq!(
            bumps(by_macro, gated),
            [("types::K impl Serialize".to_owned(), Bump::Major)]
        );
    }

    #[test]
    fn variants_of_open_enums_may_be_added() {
        let old = "#[non_exhaustive] pub enum K { A, Other(String) }";
        let new = "#[non_exhaustive] pub enum K { A, B, Other(String) }";
        assert_eq!(bumps(old, new), [("types::K::B".to_owned(), Bump::Minor)]);
        assert_eq!(bumps(new, old), [("types::K::B".to_owned(), Bump::Major)]);
    }
}
