//! Responses: decides what each operation's success and error results decode into.
//!
//! 2xx responses (codes and `2XX`) make the success result; every other declared response, and
//! `default`, makes the error result. Without any declared success, `default` describes both.

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, Operation, Outcome, Response, Shape};
use crate::pointer::Pointer;

pub fn run(api: &mut Api, diags: &mut Diagnostics) {
    for (at, op) in api.operations.iter_mut() {
        decide(op, at, diags);
    }
}

fn decide(op: &mut Operation, at: &Pointer, diags: &mut Diagnostics) {
    let (success, error): (Vec<&Response>, Vec<&Response>) =
        op.responses.iter().partition(|r| r.status.is_success());
    let success_outcome = if success.is_empty() {
        // `default` (or nothing) describes every response.
        outcome(&error, at, "responses", diags, true)
    } else {
        outcome(&success, at, "success responses", diags, false)
    };
    let error_outcome = outcome(&error, at, "error responses", diags, true);
    op.success = success_outcome;
    op.error = error_outcome;
}

/// One outcome for a group of responses: nothing if none has a body, their shape if they share
/// one (optional if some have no body), untyped JSON if they differ.
fn outcome(
    responses: &[&Response],
    at: &Pointer,
    what: &str,
    diags: &mut Diagnostics,
    untyped_when_empty: bool,
) -> Outcome {
    let mut shapes: Vec<&Shape> = Vec::new();
    let mut some_without_body = false;
    for response in responses {
        match &response.body {
            Some(shape) if !shapes.contains(&shape) => shapes.push(shape),
            Some(_) => {}
            None => some_without_body = true,
        }
    }
    match shapes.as_slice() {
        [] if untyped_when_empty => Outcome::Json(Shape::Any),
        [] => Outcome::Nothing,
        [shape] if some_without_body && !matches!(shape, Shape::Nullable(_) | Shape::Any) => {
            Outcome::Json(Shape::Nullable(Box::new((*shape).clone())))
        }
        [shape] => Outcome::Json((*shape).clone()),
        _ => {
            let message = format!(
                "the {what} declare {} different bodies; they are decoded as untyped JSON (`serde_json::Value`)",
                shapes.len()
            );
            diags.warning(&at.push("responses"), message);
            Outcome::Json(Shape::Any)
        }
    }
}
