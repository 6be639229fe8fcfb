//! Identifier policy: the one place that turns spec strings into Rust identifiers (casing,
//! transliteration, keywords, reserved names, leading digits) and makes `Ident`s for codegen.
//!
//! Every function is total: any string, including the empty one, gives a valid identifier.

use heck::ToSnakeCase;
use proc_macro2::{Ident, Span};

/// Strict and reserved keywords of Rust 2024 (including `gen`, which must never name a module).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NOT_RAW: &[&str] = &["crate", "self", "Self", "super"];

/// Names generated type modules use unqualified (the prelude and what derives expand to); a
/// schema with one of these names gets the suffix `Model`.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "AsMut",
    "AsRef",
    "Box",
    "Clone",
    "Copy",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Into",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Self",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// The words of a spec string: transliterated to ASCII, split at punctuation and case changes.
pub fn words(raw: &str) -> Vec<String> {
    let ascii = if raw.is_ascii() {
        raw.to_owned()
    } else {
        deunicode::deunicode(raw)
    };
    let mut words = Vec::new();
    for chunk in ascii.split(|c: char| !c.is_ascii_alphanumeric()) {
        for word in chunk.to_snake_case().split('_') {
            if !word.is_empty() {
                words.push(word.to_owned());
            }
        }
    }
    if words.is_empty() {
        words = spelled_symbols(&ascii);
    }
    words
}

/// Names for strings made only of punctuation (`+`, `<=`), so that they stay distinguishable.
fn spelled_symbols(text: &str) -> Vec<String> {
    text.chars()
        .filter_map(|c| {
            let word = match c {
                '+' => "plus",
                '-' => "minus",
                '*' => "star",
                '/' => "slash",
                '\\' => "backslash",
                '<' => "lt",
                '>' => "gt",
                '=' => "eq",
                '!' => "bang",
                '.' => "dot",
                ',' => "comma",
                ':' => "colon",
                ';' => "semicolon",
                '@' => "at",
                '#' => "hash",
                '$' => "dollar",
                '%' => "percent",
                '&' => "and",
                '|' => "pipe",
                '^' => "caret",
                '~' => "tilde",
                '?' => "question",
                '_' => "underscore",
                '\'' => "quote",
                '"' => "double_quote",
                '(' | ')' => "paren",
                '[' | ']' => "bracket",
                '{' | '}' => "brace",
                _ => return None,
            };
            Some(word.to_owned())
        })
        .collect()
}

/// `UpperCamelCase` from words; digits that would touch are kept apart with `_` (`1.0` → `1_0`).
fn camel(words: &[String]) -> String {
    let mut out = String::new();
    for word in words {
        let touching_digits = out.ends_with(|c: char| c.is_ascii_digit())
            && word.starts_with(|c: char| c.is_ascii_digit());
        if touching_digits {
            out.push('_');
        }
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    out
}

fn snake(words: &[String]) -> String {
    words.join("_").to_ascii_lowercase()
}

/// A type name: `UpperCamelCase`, never a prelude name (those get `Model` appended), never
/// starting with a digit. `fallback` names a string with no usable characters.
/// Whether generated code uses `name` for a type of its own (`String`, `Option`, `Vec`, ...), so
/// that no generated type may have it.
pub fn is_reserved_type_name(name: &str) -> bool {
    RESERVED_TYPE_NAMES.contains(&name)
}

pub fn type_name(raw: &str, fallback: &str) -> String {
    let mut name = camel(&words(raw));
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, "Type");
    }
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) {
        name.push_str("Model");
    }
    name
}

/// An enum variant name: `UpperCamelCase`; values starting with a digit get a `V` (`V200`), a
/// leading minus sign becomes `Minus`.
pub fn variant_name(raw: &str) -> String {
    let mut words = words(raw);
    if raw.starts_with('-') && raw[1..].starts_with(|c: char| c.is_ascii_digit()) {
        words.insert(0, "minus".to_owned());
    }
    let name = camel(&words);
    if name.is_empty() {
        "Empty".to_owned()
    } else if name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("V{name}")
    } else if name == "Self" {
        "SelfValue".to_owned()
    } else {
        name
    }
}

/// A field, parameter or method name: `snake_case`. Keywords stay as they are (they become raw
/// identifiers), except those that cannot be raw, which get `_` appended; a leading digit gets
/// `_` in front.
pub fn value_name(raw: &str, fallback: &str) -> String {
    let mut name = snake(&words(raw));
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if NOT_RAW.contains(&name.as_str()) {
        name.push('_');
    }
    name
}

/// A module (and file) name: like [`value_name`], but keywords get `_` appended (a module is
/// never a raw identifier, and never `gen`).
pub fn module_name(type_name: &str) -> String {
    let mut name = value_name(type_name, "model");
    if KEYWORDS.contains(&name.as_str()) {
        name.push('_');
    }
    // A file name must stay well within what file systems allow (255 bytes): a long name is
    // cut and made unique again by a hash of the whole of it.
    if name.len() > MAX_MODULE_NAME {
        let hash = fnv1a(name.as_bytes());
        name.truncate(MAX_MODULE_NAME - 9);
        name = format!("{}_{hash:08x}", name.trim_end_matches('_'));
    }
    name
}

/// The longest module (and file) name.
const MAX_MODULE_NAME: usize = 80;

/// A constant name: `SCREAMING_SNAKE_CASE`.
pub fn const_name(raw: &str, fallback: &str) -> String {
    let mut name = snake(&words(raw)).to_ascii_uppercase();
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// A Cargo feature name: `kebab-case` ASCII words (Cargo allows letters, digits, `_`, `-` and
/// `+`, and no leading `-`), `group` for a string without words.
pub fn feature_name(raw: &str) -> String {
    let name = words(raw).join("-").to_ascii_lowercase();
    if name.is_empty() {
        "group".to_owned()
    } else {
        name
    }
}

/// Whether a word (of a name or a path segment) is a version: `v1`, `v2beta`, `1.0`,
/// `2024-06-01`. Method names leave them out; group names skip path segments that are.
pub fn is_version_word(word: &str) -> bool {
    let lower = word.to_ascii_lowercase();
    let rest = lower.strip_prefix('v').unwrap_or(&lower);
    let versioned = lower.starts_with('v') || rest.chars().all(|c| !c.is_ascii_alphabetic());
    rest.starts_with(|c: char| c.is_ascii_digit())
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
        && versioned
}

/// The case convention of a name, for [`disambiguated`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Case {
    /// `UpperCamelCase`: types and variants.
    Camel,
    /// `snake_case`: fields, parameters, methods and modules.
    Snake,
    /// `SCREAMING_SNAKE_CASE`: constants.
    Screaming,
    /// `kebab-case`: Cargo features.
    Kebab,
}

/// A name made unique by a short hash of where its owner sits in the spec (never a counter, so
/// an unrelated addition never renames it).
pub fn disambiguated(name: &str, location: &str, case: Case) -> String {
    let hash = fnv1a(location.as_bytes()) & 0xffff;
    match case {
        Case::Camel => format!("{name}X{hash:04X}"),
        Case::Snake => format!("{}_{hash:04x}", name.trim_end_matches('_')),
        Case::Screaming => format!("{}_{hash:04X}", name.trim_end_matches('_')),
        Case::Kebab => format!("{name}-{hash:04x}"),
    }
}

/// The name of the setter of a field: `with_` and the field name (`_2fa` gives `with_2fa`).
pub fn setter_name(field: &str) -> String {
    format!("with_{}", field.trim_start_matches('_'))
}

/// The name of the method that sends a nullable field as `null`: `clear_` and the field name.
/// No setter starts so, and neither does the constructor.
pub fn clearer_name(field: &str) -> String {
    format!("clear_{}", field.trim_start_matches('_'))
}

/// The name code uses for the crate whose package is `package` (`pet-store` is `pet_store`):
/// Cargo's own rule. Package names are checked before they get here.
pub fn crate_ident(package: &str) -> String {
    package.replace('-', "_")
}

/// The crate's package name: `explicit` if given (checked), else one derived from the spec's
/// title. The error says why an explicit name cannot name a crate.
pub fn package_name(explicit: Option<&str>, title: &str) -> Result<String, String> {
    match explicit {
        Some(name) => check_package_name(name).map(|()| name.to_owned()),
        None => Ok(derived_package_name(title)),
    }
}

fn derived_package_name(title: &str) -> String {
    let mut name = words(title).join("-").to_ascii_lowercase();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert_str(0, if name.is_empty() { "api" } else { "api-" });
    }
    name.truncate(64);
    let name = name.trim_end_matches('-').to_owned();
    if check_package_name(&name).is_ok() {
        name
    } else {
        format!("{name}-api")
    }
}

/// Names Cargo accepts and that do not shadow a standard crate or a folder of Cargo's.
fn check_package_name(name: &str) -> Result<(), String> {
    const RESERVED: &[&str] = &[
        "alloc",
        "core",
        "proc_macro",
        "std",
        "test",
        "build",
        "deps",
        "examples",
        "incremental",
    ];
    let valid_chars = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    let starts_with_letter = name.starts_with(|c: char| c.is_ascii_alphabetic());
    if name.is_empty() || name.len() > 64 || !valid_chars || !starts_with_letter {
        return Err(format!(
            "`{name}` is not a valid crate name: use 1 to 64 ASCII letters, digits, `-` or `_`, starting with a letter"
        ));
    }
    let as_ident = crate_ident(name);
    if RESERVED.contains(&as_ident.as_str()) || is_keyword(&as_ident) {
        return Err(format!("`{name}` is reserved and cannot name a crate"));
    }
    Ok(())
}

/// Whether `name` needs the `r#` prefix to be an identifier.
pub fn is_keyword(name: &str) -> bool {
    KEYWORDS.contains(&name)
}

/// The identifier for a name produced by this module.
pub fn ident(name: &str) -> Ident {
    if is_keyword(name) && !NOT_RAW.contains(&name) {
        Ident::new_raw(name, Span::call_site())
    } else {
        Ident::new(name, Span::call_site())
    }
}

/// 32-bit FNV-1a: a small, stable hash for name suffixes.
fn fnv1a(bytes: &[u8]) -> u32 {
    let mut hash: u32 = 0x811c_9dc5;
    for &b in bytes {
        hash ^= u32::from(b);
        hash = hash.wrapping_mul(0x0100_0193);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn package_names_are_checked_or_derived_from_the_title() {
        let derived = |title: &str| package_name(None, title).unwrap();
        assert_eq!(derived("Pet Store API"), "pet-store-api");
        assert_eq!(derived("2048 API"), "api-2048-api");
        assert_eq!(derived(""), "api");
        assert_eq!(derived("std"), "std-api");
        assert_eq!(package_name(Some("my_api"), "x").unwrap(), "my_api");
        let refused = |name: &str| package_name(Some(name), "x").unwrap_err();
        assert!(refused("std").contains("reserved"), "{}", refused("std"));
        assert!(refused("fn").contains("reserved"));
        assert!(refused("9lives").contains("not a valid crate name"));
        assert!(refused("a b").contains("not a valid crate name"));
    }

    #[test]
    fn type_names() {
        assert_eq!(
            type_name("api_magic_v1_CreateRequest", "T"),
            "ApiMagicV1CreateRequest"
        );
        assert_eq!(type_name("HTTPServer", "T"), "HttpServer");
        assert_eq!(type_name("3DSecure", "T"), "Type3dSecure");
        assert_eq!(type_name("String", "T"), "StringModel");
        assert_eq!(type_name("Self", "T"), "SelfModel");
        assert_eq!(type_name("", "Unnamed"), "Unnamed");
        assert_eq!(type_name("名前", "T"), "MingQian");
        assert_eq!(type_name("Ñandú", "T"), "Nandu");
        assert_eq!(type_name("v1.0", "T"), "V1_0");
    }

    #[test]
    fn variant_names() {
        assert_eq!(variant_name("pt-br"), "PtBr");
        assert_eq!(variant_name("200"), "V200");
        assert_eq!(variant_name("-1"), "Minus1");
        assert_eq!(variant_name(""), "Empty");
        assert_eq!(variant_name("+"), "Plus");
        assert_eq!(variant_name("<="), "LtEq");
        assert_eq!(variant_name("Self"), "SelfValue");
        assert_ne!(variant_name("1.0"), variant_name("10"));
    }

    #[test]
    fn value_names() {
        assert_eq!(value_name("userId", "f"), "user_id");
        assert_eq!(value_name("type", "f"), "type");
        assert_eq!(value_name("self", "f"), "self_");
        assert_eq!(value_name("2fa", "f"), "_2fa");
        assert_eq!(value_name("", "field"), "field");
        assert_eq!(value_name("$", "field"), "dollar");
        assert_eq!(module_name("Type"), "type_");
        assert_eq!(module_name("Gen"), "gen_");
        assert_eq!(module_name("Mod"), "mod_");
    }

    #[test]
    fn idents_are_valid_for_every_policy_output() {
        for raw in [
            "type", "self", "Self", "gen", "async", "", "9", "é", "crate", "super", "r#x",
        ] {
            for name in [
                type_name(raw, "T"),
                variant_name(raw),
                value_name(raw, "f"),
                module_name(raw),
                const_name(raw, "C"),
            ] {
                let ident = ident(&name);
                syn::parse_str::<syn::Ident>(&ident.to_string()).unwrap();
            }
        }
    }

    #[test]
    fn long_module_names_are_cut_and_stay_unique() {
        let long = "very long name ".repeat(20);
        let a = module_name(&format!("{long} a"));
        let b = module_name(&format!("{long} b"));
        assert!(a.len() <= 80 && b.len() <= 80, "{a} {b}");
        assert_ne!(a, b);
        assert_eq!(a, module_name(&format!("{long} a")));
        assert_eq!(module_name("short name"), "short_name");
    }

    #[test]
    fn disambiguated_names_are_stable_and_well_cased() {
        let a = disambiguated("User", "/components/schemas/user", Case::Camel);
        assert_eq!(
            a,
            disambiguated("User", "/components/schemas/user", Case::Camel)
        );
        assert_ne!(
            a,
            disambiguated("User", "/components/schemas/USER", Case::Camel)
        );
        assert!(a.starts_with("UserX") && a.len() == 9, "{a}");
        let b = disambiguated("user_id", "/x", Case::Snake);
        assert!(b.starts_with("user_id_") && b.len() == 12, "{b}");
        let c = disambiguated("self_", "/x", Case::Snake);
        assert!(c.starts_with("self_") && !c.contains("__"), "{c}");
        assert_eq!(setter_name("_2fa"), "with_2fa");
    }
}
