//! Doc comments from spec text. Spec text is untrusted: it becomes doc text only, with every
//! code block turned into a `text` block (so rustdoc never compiles it as a doctest), raw HTML
//! shown as text, and control and text-direction characters made visible.

use proc_macro2::TokenStream;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use quote::quote;

/// `#[doc]` attributes for paragraphs of Markdown, separated by blank lines.
pub(crate) fn attrs<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let lines = lines(paragraphs);
    quote!(#(#[doc = #lines])*)
}

/// `#[doc]` attributes for paragraphs of Markdown, as syntax trees.
pub(crate) fn attr_trees<S: AsRef<str>>(paragraphs: &[S]) -> Vec<syn::Attribute> {
    super::syntax::doc_attrs(lines(paragraphs))
}

/// `#![doc]` attributes, for the documentation of a module from inside it.
pub(crate) fn inner_attrs<S: AsRef<str>>(paragraphs: &[S]) -> TokenStream {
    let lines = lines(paragraphs);
    quote!(#(#![doc = #lines])*)
}

/// `#[doc]` attributes for an example call the generator wrote (never spec text, so it is not
/// sanitized): a `no_run` doctest whose hidden lines put `code` in an async function that has a
/// `client` and `runtime` and `types` in scope.
pub(crate) fn example_attrs(krate: &str, code: &str) -> TokenStream {
    let mut lines = vec![
        String::new(),
        " # Example".to_owned(),
        String::new(),
        " ```no_run".to_owned(),
        format!(
            " # async fn example(client: &{krate}::Client) -> Result<(), Box<dyn std::error::Error>> {{"
        ),
        format!(" # use {krate}::{{runtime, types}};"),
    ];
    lines.extend(code.lines().map(|line| format!(" {line}")));
    lines.extend([" # Ok(())".to_owned(), " # }".to_owned(), " ```".to_owned()]);
    quote!(#(#[doc = #lines])*)
}

/// The doc lines of sanitized paragraphs, each with the customary leading space.
fn lines<S: AsRef<str>>(paragraphs: &[S]) -> Vec<String> {
    let text = paragraphs
        .iter()
        .map(|p| sanitize(p.as_ref()))
        .filter(|p| !p.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n\n");
    text.lines()
        .map(|line| format!(" {}", line.trim_end()))
        .collect()
}

/// Makes Markdown safe to put in a doc comment.
pub(crate) fn sanitize(text: &str) -> String {
    let text = plain_characters(text);
    let text = if needs_markdown_rewrite(&text) {
        rewrite_markdown(&text)
    } else {
        text
    };
    text.trim_start_matches('\n').trim_end().to_owned()
}

/// Normalises line ends and replaces characters that must not reach a comment: control
/// characters (a bare carriage return ends a doc comment) and bidirectional-text controls (which
/// rustc rejects in comments, and which can hide text from a reader).
fn plain_characters(text: &str) -> String {
    let changes = |c: char| (c.is_control() && c != '\n' && c != '\t') || is_invisible_control(c);
    if !text.chars().any(changes) {
        return text.to_owned();
    }
    let text = text.replace("\r\n", "\n");
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            '\r' => out.push('\n'),
            c if c.is_control() || is_invisible_control(c) => {
                out.push_str(&format!("\\u{{{:04x}}}", c as u32));
            }
            c => out.push(c),
        }
    }
    out
}

/// Text-direction overrides and isolates, and other format characters that change how text reads.
fn is_invisible_control(c: char) -> bool {
    matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}')
}

/// Whether the text may hold a code block or HTML. Plain prose is left exactly as written.
fn needs_markdown_rewrite(text: &str) -> bool {
    text.contains("```")
        || text.contains("~~~")
        || text.contains('<')
        || text.starts_with("    ")
        || text.starts_with('\t')
        || text.contains("\n    ")
        || text.contains("\n\t")
}

/// Re-renders Markdown with every code block fenced as `text` and HTML turned into text.
fn rewrite_markdown(text: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let events = Parser::new_ext(text, options).map(|event| match event {
        Event::Start(Tag::CodeBlock(_)) => Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(
            CowStr::Borrowed("text"),
        ))),
        Event::Start(Tag::HtmlBlock) => Event::Start(Tag::Paragraph),
        Event::End(TagEnd::HtmlBlock) => Event::End(TagEnd::Paragraph),
        Event::Html(html) | Event::InlineHtml(html) => Event::Text(html),
        other => other,
    });
    let mut out = String::new();
    match pulldown_cmark_to_cmark::cmark(events, &mut out, options) {
        Ok(_) => out,
        // The event stream comes from pulldown-cmark itself, so this should not happen; if it
        // does, fall back to a form that cannot hold a code block or HTML.
        Err(_) => fallback(text),
    }
}

/// Every line as inline text: indentation removed, backticks, tildes and `<` escaped.
fn fallback(text: &str) -> String {
    text.lines()
        .map(|line| {
            line.trim_start()
                .replace('`', "\\`")
                .replace('~', "\\~")
                .replace('<', "&lt;")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The code blocks rustdoc would see in `text`, with their info strings.
    fn code_blocks(text: &str) -> Vec<String> {
        Parser::new(text)
            .filter_map(|e| match e {
                Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => Some(info.to_string()),
                Event::Start(Tag::CodeBlock(CodeBlockKind::Indented)) => {
                    Some("<indented>".to_owned())
                }
                _ => None,
            })
            .collect()
    }

    #[test]
    fn prose_is_kept_verbatim() {
        let text = "Create a *magic link*. See [the docs](https://example.com) and `token`.";
        assert_eq!(sanitize(text), text);
    }

    #[test]
    fn every_code_block_becomes_text() {
        let text = "Example:\n\n```rust\nfn main() { std::process::exit(1) }\n```\n\n```\nuntagged\n```\n\n    indented();\n\n- item\n\n      nested_indented();\n\n~~~should_panic\npanic!()\n~~~\n";
        let out = sanitize(text);
        let blocks = code_blocks(&out);
        assert_eq!(blocks.len(), 5, "{out}");
        assert!(blocks.iter().all(|b| b == "text"), "{blocks:?}\n{out}");
        assert!(out.contains("std::process::exit(1)"), "{out}");
    }

    #[test]
    fn html_is_shown_as_text() {
        let out = sanitize("Hello <script>alert(1)</script>\n\n<div>\nblock\n</div>\n");
        let has_html =
            Parser::new(&out).any(|e| matches!(e, Event::Html(_) | Event::InlineHtml(_)));
        assert!(!has_html, "{out}");
        assert!(out.contains("script"), "{out}");
    }

    #[test]
    fn control_and_direction_characters_are_made_visible() {
        let out = sanitize("a\rb\u{202e}c\u{7}d\r\ne");
        assert_eq!(out, "a\nb\\u{202e}c\\u{0007}d\ne");
    }

    #[test]
    fn attrs_make_one_doc_attribute_per_line() {
        let tokens = attrs(&["first line\nsecond", "", "third"]).to_string();
        assert_eq!(tokens.matches("doc").count(), 4, "{tokens}");
    }
}
