//! Spec text never becomes code. A spec whose every string (titles, descriptions, summaries,
//! names, operationIds, enum values, patterns, examples, defaults, server URLs, path segments,
//! security scheme names) carries a marker after characters that try to break out of doc
//! comments, string literals and identifiers is generated; then the output is read back: Rust
//! with `proc_macro2`/`syn`, `Cargo.toml` with `toml`, the README as Markdown. The marker
//! (`<~>`) may occur only inside string literals (doc comments are literals too), inside doc
//! and README text outside compiled code blocks, and in TOML string values. `~` is not Rust
//! punctuation any generated code uses, so a marker outside a literal is a breakout.
//! The crate must also compile, doc tests included.

mod common;

use proc_macro2::{TokenStream, TokenTree};
use serde_json::{Value, json};

const MARKER: &str = "<~>";

/// Text that tries to leave every context it may be put in, then the marker.
fn hostile(n: usize) -> String {
    format!(
        "x\"}}]) */ //! `\u{202e}\\ \n```rust\nfn evil() {{}}\n```\n#[doc = \"{n}\"] <script> {MARKER}{n}"
    )
}

/// A spec with a marker in every string it has.
fn spec() -> Value {
    let h = hostile;
    let schema = |n: usize| {
        json!({
            "type": "object",
            "title": h(n),
            "description": h(n + 1),
            "required": [h(n + 2)],
            "properties": {
                h(n + 2): {"type": "string", "description": h(n + 3), "pattern": h(n + 4),
                           "default": h(n + 5), "example": h(n + 6), "maxLength": 40},
                h(n + 7): {"type": "string", "enum": [h(n + 8), h(n + 9)]},
                "plain": {"type": "integer", "description": h(n + 10), "example": 3}
            }
        })
    };
    json!({
        "openapi": "3.0.3",
        "info": {"title": h(1), "description": h(2), "version": h(3)},
        "tags": [{"name": h(11), "description": h(2)}],
        "servers": [{"url": format!("https://api.example.com/{}", h(4)), "description": h(5)}],
        "security": [{h(6): []}],
        "paths": {
            format!("/items/{{id}}/{}", h(7)): {
                "post": {
                    "operationId": h(8),
                    "summary": h(9),
                    "description": h(10),
                    "tags": [h(11)],
                    "parameters": [
                        {"name": "id", "in": "path", "required": true, "description": h(12),
                         "schema": {"type": "string", "pattern": h(13)}},
                        {"name": h(14), "in": "query", "description": h(15),
                         "schema": {"type": "string", "enum": [h(16)], "default": h(16)}},
                        {"name": h(17), "in": "header", "schema": {"type": "string"}}
                    ],
                    "requestBody": {"required": true, "description": h(18),
                        "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{}", "Item")},
                                                          "example": {"plain": 1}}}},
                    "responses": {
                        "200": {"description": h(19),
                                "headers": {h(20): {"description": h(21), "schema": {"type": "string"}}},
                                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Other"}}}},
                        "default": {"description": h(22)}
                    }
                }
            }
        },
        "components": {
            "securitySchemes": {h(6): {"type": "apiKey", "in": "header", "name": h(23), "description": h(24)}},
            "schemas": {
                "Item": schema(30),
                "Other": schema(50),
                h(70): {"type": "string", "enum": [h(71), h(72)], "description": h(73)}
            }
        }
    })
}

/// Places where the marker occurs in Rust source outside a literal.
fn rust_breakouts(path: &str, source: &str) -> Vec<String> {
    let tokens: TokenStream = source
        .parse()
        .unwrap_or_else(|e| panic!("{path} does not lex: {e}"));
    syn::parse_file(source).unwrap_or_else(|e| panic!("{path} does not parse: {e}"));
    let mut out = Vec::new();
    walk(tokens, path, &mut out);
    out
}

fn walk(tokens: TokenStream, path: &str, out: &mut Vec<String>) {
    for token in tokens {
        match token {
            TokenTree::Group(group) => walk(group.stream(), path, out),
            TokenTree::Punct(p) if p.as_char() == '~' => {
                out.push(format!("{path}: `~` outside a literal at {:?}", p.span()))
            }
            // Names become identifiers through the identifier policy (`x_rustfn_evil_...`); the
            // payload's own `fn evil` only appears as a lone identifier if it broke out.
            TokenTree::Ident(ident) if ident == "evil" => {
                out.push(format!("{path}: identifier `{ident}`"))
            }
            _ => {}
        }
    }
}

/// Doc and README text: the marker may not be inside a code block that rustdoc or a reader
/// would take for code (only ```text blocks hold spec text).
fn markdown_breakouts(path: &str, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fence: Option<String> = None;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let ticks = trimmed.chars().take_while(|c| *c == '`').count();
        if ticks >= 3 {
            fence = match fence {
                Some(_) => None,
                None => Some(trimmed[ticks..].trim().to_owned()),
            };
            continue;
        }
        // Markdown punctuation in spec text is escaped (`\<\~>`); the marker is still there.
        if let Some(info) = &fence
            && info != "text"
            && line.replace('\\', "").contains(MARKER)
        {
            out.push(format!("{path}: spec text in a ```{info} block: {line}"));
        }
    }
    out
}

/// The doc text of a Rust file: the contents of its `#[doc = "..."]` attributes, in order.
fn doc_text(source: &str) -> String {
    let file = syn::parse_file(source).expect("parses");
    let mut lines = Vec::new();
    collect_docs(&quote::ToTokens::to_token_stream(&file), &mut lines);
    lines.join("\n")
}

fn collect_docs(tokens: &TokenStream, lines: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.clone().into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        if let TokenTree::Group(group) = tree {
            let inner: Vec<TokenTree> = group.stream().into_iter().collect();
            if let [
                TokenTree::Ident(doc),
                TokenTree::Punct(eq),
                TokenTree::Literal(text),
            ] = inner.as_slice()
                && doc == "doc"
                && eq.as_char() == '='
                && i > 0
            {
                let parsed: syn::LitStr = syn::parse_str(&text.to_string()).expect("a doc string");
                lines.push(parsed.value());
            } else {
                collect_docs(&group.stream(), lines);
            }
        }
    }
}

/// TOML: the marker only in string values.
fn toml_breakouts(text: &str) -> Vec<String> {
    let value: toml::Table = toml::from_str(text).expect("Cargo.toml parses");
    let mut out = Vec::new();
    check_toml(&toml::Value::Table(value), "", &mut out);
    out
}

fn check_toml(value: &toml::Value, at: &str, out: &mut Vec<String>) {
    match value {
        toml::Value::Table(table) => {
            for (key, child) in table {
                if key.contains(MARKER) {
                    out.push(format!("Cargo.toml: key {key:?} at {at}"));
                }
                check_toml(child, &format!("{at}.{key}"), out);
            }
        }
        toml::Value::Array(items) => items.iter().for_each(|v| check_toml(v, at, out)),
        _ => {}
    }
}

#[test]
fn no_spec_text_becomes_code() {
    let dir = common::scratch("hostile-markers");
    let spec_path = dir.join("hostile.json");
    std::fs::write(&spec_path, serde_json::to_vec_pretty(&spec()).unwrap()).unwrap();
    let crate_dir = dir.join("crate");
    let generated = common::generate(&spec_path, &crate_dir, false);
    let mut breakouts = Vec::new();
    let mut markers_seen = 0;
    for (path, bytes) in &generated.files {
        let text = String::from_utf8(bytes.clone()).expect("UTF-8 output");
        markers_seen += text.replace('\\', "").matches(MARKER).count();
        if path.ends_with(".rs") {
            breakouts.extend(rust_breakouts(path, &text));
            breakouts.extend(markdown_breakouts(path, &doc_text(&text)));
        } else if path == "Cargo.toml" {
            breakouts.extend(toml_breakouts(&text));
        } else if path.ends_with(".md") {
            breakouts.extend(markdown_breakouts(path, &text));
        }
    }
    assert!(
        markers_seen > 20,
        "the spec's text did not reach the output: {markers_seen}"
    );
    assert!(breakouts.is_empty(), "{}", breakouts.join("\n"));

    // And the crate compiles, its doc tests included (none of them is spec text).
    if common::skip_nested_builds() {
        return;
    }
    sdkgen::output::write(&crate_dir, &generated.files).unwrap();
    common::write_workspace(&dir, &["crate".to_owned()]);
    common::run_ok(common::nested_cargo(&dir).args(["test", "--quiet", "--doc"]));
}

#[test]
fn the_oracle_sees_a_breakout() {
    assert!(rust_breakouts("ok.rs", "fn a() -> &'static str { \"<~> fn evil() {}\" }").is_empty());
    assert_eq!(rust_breakouts("bad.rs", "fn a() {} fn evil() {}").len(), 1);
    assert!(markdown_breakouts("ok.md", "````text\n\\<\\~>1\n````\n\\<\\~>2").is_empty());
    assert_eq!(
        markdown_breakouts("bad.md", "```rust\n\\<\\~>1\n```").len(),
        1
    );
    assert_eq!(toml_breakouts("[package]\n\"<~>\" = \"x\"\n").len(), 1);
    assert!(toml_breakouts("[package]\nname = \"<~>\"\n").is_empty());
}
