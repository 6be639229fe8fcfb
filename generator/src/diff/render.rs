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
            let _ = write!(out, "\n{}\n", change.subject);
            subject = Some(&change.subject);
        }
        let location = if change.location.is_empty() {
            String::new()
        } else {
            format!("{}: ", change.location)
        };
        let _ = writeln!(out, "  {location}{}", change.what);
        let _ = writeln!(out, "    wire: {}", wire_text(change));
        let _ = writeln!(out, "    rust: {}", rust_text(change));
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

/// Text safe inside a Markdown table cell. Spec text (names, values) is untrusted: pipes and
/// line breaks would break the table, and HTML would render.
fn cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace(['\n', '\r'], " ")
}

/// JSON, for tools.
pub fn json(report: &Report) -> String {
    serde_json::to_string_pretty(report).unwrap_or_else(|_| "{}".to_owned()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::cell;

    #[test]
    fn table_cells_cannot_break_out() {
        assert_eq!(cell("a|b\n<script>"), "a\\|b &lt;script&gt;");
    }
}
