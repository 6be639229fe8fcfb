//! Responses: decides what each operation's success and error results decode into.
//!
//! 2xx responses (codes and `2XX`) make the success result; an operation that declares no 2xx but
//! redirects (`3XX`: a `303` after a login, a `302` to a download) answers with those, which the
//! client returns instead of following. Every other declared response, and `default`, makes the
//! error result. Without any declared success, `default` describes both.
//! One kind of body on a side gives that type; several give an enum with a variant per status.
//! A success response that can be read as a stream (events, JSON Lines) gives the operation a
//! streamed method too: its own, when the stream is the only success body.

use crate::ir::{Api, Content, Operation, Outcome, Response, Shape, StatusVariant, StreamMethod};

pub fn run(api: &mut Api) {
    for op in api.operations.values_mut() {
        decide(op);
    }
}

fn decide(op: &mut Operation) {
    let (success, error): (Vec<&Response>, Vec<&Response>) = op
        .responses
        .iter()
        .partition(|r| r.status.is_success() || (op.redirects_answer() && r.status.is_redirect()));
    let success_outcome = if success.is_empty() {
        // `default` (or nothing) describes every response.
        outcome(&error, "response", true)
    } else {
        outcome(&success, "response", false)
    };
    let stream = success.iter().find_map(|r| r.stream.clone());
    op.error = outcome(&error, "error", true);
    op.success = success_outcome;
    op.stream = stream.map(|body| StreamMethod {
        body,
        method: String::new(),
        separate: !matches!(op.success, Outcome::Nothing),
    });
}

/// The outcome of one side. Without any body: `()` for success, untyped JSON for errors (so an
/// undeclared error body still shows).
fn outcome(responses: &[&Response], word: &'static str, untyped_when_empty: bool) -> Outcome {
    let mut contents: Vec<&Content> = Vec::new();
    let mut some_without_body = false;
    for response in responses {
        match &response.content {
            Some(content) if !contents.contains(&content) => contents.push(content),
            Some(_) => {}
            None => some_without_body = true,
        }
    }
    match contents.as_slice() {
        [] if untyped_when_empty => Outcome::Single {
            content: Content::Json(Shape::Any),
            optional: false,
        },
        [] => Outcome::Nothing,
        [content] => Outcome::Single {
            content: (*content).clone(),
            // Text and bytes are empty without a body; JSON needs an `Option`.
            optional: some_without_body
                && matches!(content, Content::Json(shape) if !matches!(shape, Shape::Any | Shape::Nullable(_))),
        },
        _ => Outcome::ByStatus {
            name: String::new(),
            module: String::new(),
            word,
            variants: responses
                .iter()
                .map(|r| StatusVariant {
                    status: r.status,
                    name: String::new(),
                    content: r.content.clone(),
                    doc: r.doc.clone(),
                })
                .collect(),
        },
    }
}
