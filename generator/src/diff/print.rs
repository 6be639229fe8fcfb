//! The diff report as text for a terminal, Markdown for a pull-request comment, or JSON for
//! tools. All three list the same changes in the same order.

use std::fmt::Write;

use super::{Change, Report, Verdict};

/// The summary line.
fn summary(report: &Report) -> String {
    let potentially = report
        .changes
        .iter()
        .filter(|c| c.wire == Some(Verdict::PotentiallyBreaking))
        .count();
    format!(
        "{} change(s); wire: {} breaking, {} potentially breaking; Rust API: {} breaking; semver bump for the generated crate: {}",
        report.changes.len(),
        report.wire_breaking,
        potentially,
        report.rust_breaking,
        report.bump.as_str()
    )
}

fn wire_text(change: &Change) -> String {
    match (change.wire, change.category) {
        (Some(verdict), Some(category)) => format!("{} ({category})", verdict.as_str()),
        _ => "no wire change".to_owned(),
    }
}

fn rust_text(change: &Change) -> String {
    if change.rust_changes.is_empty() {
        return "patch (the Rust API does not change)".to_owned();
    }
    let details: Vec<String> = change
        .rust_changes
        .iter()
        .map(|r| format!("`{}` {}", r.item, r.what))
        .collect();
    format!("{}: {}", change.rust.as_str(), details.join("; "))
}

/// Human-readable text, grouped by operation or schema.
pub fn text(report: &Report) -> String {
    let mut out = format!("{}\n", summary(report));
    let mut subject = None;
    for change in &report.changes {
        if subject != Some(&change.subject) {
            let _ = write!(out, "\n{}\n", plain(&change.subject));
            subject = Some(&change.subject);
        }
        let location = if change.location.is_empty() {
            String::new()
        } else {
            format!("{}: ", plain(&change.location))
        };
        let _ = writeln!(out, "  {location}{}", plain(&change.what));
        let _ = writeln!(out, "    wire: {}", wire_text(change));
        let _ = writeln!(out, "    rust: {}", plain(&rust_text(change)));
    }
    out
}

/// Markdown for a pull-request comment: the summary, then a table.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("### API change\n\n{}\n", summary(report));
    if report.changes.is_empty() {
        return out;
    }
    out.push_str("\n| Where | Change | Wire | Rust API |\n|---|---|---|---|\n");
    for change in &report.changes {
        let place = if change.location.is_empty() {
            change.subject.clone()
        } else {
            format!("{} › {}", change.subject, change.location)
        };
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            cell(&place),
            cell(&change.what),
            cell(&wire_text(change)),
            cell(&rust_text(change))
        );
    }
    out
}

/// Text shown as itself in a Markdown table cell. Spec text (names, values) is untrusted:
/// every ASCII punctuation character is escaped (so nothing becomes a code span, link, image,
/// emphasis or table border), HTML and mentions are written as entities, and control characters
/// (line breaks included) become spaces.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '@' => out.push_str("&#64;"),
            c if c.is_control() => out.push(' '),
            c if c.is_ascii_punctuation() => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Text for a terminal: control characters (escape sequences, line breaks that would forge
/// lines of the report) are shown escaped.
fn plain(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// JSON, for tools.
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_owned()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::{cell, plain};

    #[test]
    fn table_cells_cannot_break_out() {
        assert_eq!(cell("a|b\n<script>"), "a\\|b &lt;script&gt;");
        // A backtick in a name cannot end a code span and start an image or a mention.
        assert_eq!(
            cell("`x` ![](https://e/p) @team"),
            "\\`x\\` \\!\\[\\]\\(https\\:\\/\\/e\\/p\\) &#64;team"
        );
    }

    #[test]
    fn terminal_text_shows_control_characters_escaped() {
        assert_eq!(
            plain("a\n    wire: compatible\u{1b}[2J"),
            "a\\n    wire: compatible\\u{1b}[2J"
        );
    }
}
