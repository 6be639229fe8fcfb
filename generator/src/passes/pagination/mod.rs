//! Pagination: decides which operations get a method that streams every item. What the spec
//! states comes first (`x-dropshot-pagination`, `x-sdkgen-pagination`, or a `Link` response
//! header on a `GET` that returns a list); a statement the operation does not fit gives a
//! warning and no helper. An operation the spec says nothing about is read from its shapes
//! (`shapes`), never from parameter names alone. Every decision goes into the report.

mod shapes;

use crate::diagnostics::Diagnostics;
use crate::ir::{
    Api, Content, CursorSource, FieldStep, HttpMethod, Operation, Outcome, PageNext, Pagination,
    PaginationDecision, PaginationHint, ParamLocation, Shape, TypeKind,
};
use crate::pointer::Pointer;

pub fn run(api: &mut Api, diags: &mut Diagnostics) {
    let mut decisions = Vec::new();
    let decided: Vec<(Pointer, Pagination)> = api
        .operations
        .iter()
        .filter_map(|(at, op)| {
            let (pagination, reading) = decide(api, op, diags);
            if let Some(reading) = reading {
                decisions.push(PaginationDecision {
                    operation: at.clone(),
                    streams: pagination.is_some(),
                    reading,
                });
            }
            pagination.map(|p| (at.clone(), p))
        })
        .collect();
    for (at, pagination) in decided {
        if let Some(op) = api.operations.get_mut(&at) {
            op.pagination = Some(pagination);
        }
    }
    decisions.sort();
    api.stats.pagination = decisions;
}

/// The operation's pagination, and what was read (`None`: nothing suggests pages).
fn decide(
    api: &Api,
    op: &Operation,
    diags: &mut Diagnostics,
) -> (Option<Pagination>, Option<String>) {
    let stated = match &op.pagination_hint {
        Some(PaginationHint::Dropshot { at }) => {
            let keep = op
                .params
                .iter()
                .position(|p| p.wire == "limit" && p.location == ParamLocation::Query);
            let found = cursor(api, op, "page_token", "/next_page", "/items", true, keep);
            (report(found, at, diags), "`x-dropshot-pagination`")
        }
        Some(PaginationHint::Cursor {
            at,
            param,
            next,
            items,
        }) => {
            let found = cursor(api, op, param, next, items, false, None);
            (report(found, at, diags), "`x-sdkgen-pagination`")
        }
        None => match link(api, op) {
            Some(found) => (Some(found), "the `Link` response header"),
            None => return from_shapes(api, op),
        },
    };
    let reading = match &stated.0 {
        Some(_) => format!("as stated by {}", stated.1),
        None => format!("{} does not fit the operation (see its warning)", stated.1),
    };
    (stated.0, Some(reading))
}

fn from_shapes(api: &Api, op: &Operation) -> (Option<Pagination>, Option<String>) {
    match shapes::read(api, op) {
        None => (None, None),
        Some(Ok((pagination, reading))) => (Some(pagination), Some(reading)),
        Some(Err(why)) => (None, Some(format!("not paginated: {why}"))),
    }
}

fn report(
    found: Result<Pagination, String>,
    at: &Pointer,
    diags: &mut Diagnostics,
) -> Option<Pagination> {
    found
        .map_err(|why| diags.warning(at, format!("{why}; no pagination helper")))
        .ok()
}

/// A cursor read from the body at `next` and sent back in query parameter `param`.
fn cursor(
    api: &Api,
    op: &Operation,
    param: &str,
    next: &str,
    items: &str,
    reset: bool,
    keep: Option<usize>,
) -> Result<Pagination, String> {
    let page = page_shape(api, op)?;
    let index = op
        .params
        .iter()
        .position(|p| p.wire == param && p.location == ParamLocation::Query)
        .ok_or_else(|| format!("the operation has no query parameter `{param}`"))?;
    let cursor = &op.params[index];
    if cursor.required || !matches!(field_plain(api, &cursor.shape), Some(Shape::String)) {
        return Err(format!(
            "query parameter `{param}` must be an optional string to take a cursor"
        ));
    }
    let (path, cursor_shape) = walk(api, page, next)?;
    if !matches!(field_plain(api, cursor_shape), Some(Shape::String)) {
        return Err(format!("`{next}` in the response is not a string"));
    }
    let (items, item) = list_at(api, page, items)?;
    Ok(Pagination {
        next: PageNext::Cursor {
            param: index,
            from: CursorSource::Body(path),
            more: Vec::new(),
            reset,
            keep: keep.into_iter().collect(),
        },
        stated: true,
        items,
        item,
        method: String::new(),
    })
}

/// A `GET` whose success declares a `Link` header and whose body is the list.
fn link(api: &Api, op: &Operation) -> Option<Pagination> {
    let declares_link = op
        .headers
        .iter()
        .any(|h| h.wire.eq_ignore_ascii_case("link"));
    if op.method != HttpMethod::Get || !declares_link {
        return None;
    }
    let page = page_shape(api, op).ok()?;
    let (items, item) = list_at(api, page, "").ok()?;
    Some(Pagination {
        next: PageNext::Link,
        stated: true,
        items,
        item,
        method: String::new(),
    })
}

/// What a value of `shape` is in Rust once aliases and boxes are seen through, when no alias
/// on the way adds an `Option` (codegen reads a page through plain field accesses); `None` when
/// one does.
fn plain<'a>(api: &'a Api, shape: &'a Shape) -> Option<&'a Shape> {
    let mut shape = shape;
    // Alias chains are acyclic after the cycles pass; the bound guards against bad input.
    for _ in 0..=api.types.len() {
        match shape {
            Shape::Boxed(inner) => shape = inner,
            Shape::Nullable(_) => return None,
            Shape::Ref(target) => match api.types.get(target).map(|d| &d.kind) {
                Some(TypeKind::Alias(inner)) => shape = inner,
                _ => return Some(shape),
            },
            _ => return Some(shape),
        }
    }
    None
}

/// [`plain`] for a field or parameter: its own `nullable` is part of its presence, which
/// codegen reads as an `Option`; one an alias adds is not.
fn field_plain<'a>(api: &'a Api, shape: &'a Shape) -> Option<&'a Shape> {
    match shape {
        Shape::Nullable(inner) => plain(api, inner),
        other => plain(api, other),
    }
}

/// The body of a successful response, which must be one JSON shape that is never `null`, of an
/// operation without a request body.
fn page_shape<'a>(api: &'a Api, op: &'a Operation) -> Result<&'a Shape, String> {
    if op.body.is_some() {
        return Err("the operation has a request body".to_owned());
    }
    match &op.success {
        Outcome::Single {
            content: Content::Json(shape),
            optional: false,
        } if plain(api, shape).is_some() => Ok(shape),
        _ => Err("the operation's success is not one JSON body".to_owned()),
    }
}

/// The list at `pointer` in a page, and the shape of its items.
fn list_at(api: &Api, page: &Shape, pointer: &str) -> Result<(Vec<FieldStep>, Shape), String> {
    let (path, shape) = walk(api, page, pointer)?;
    match field_plain(api, shape) {
        Some(Shape::Array(item)) => Ok((path, item.as_ref().clone())),
        _ => Err(format!("`{pointer}` in the response is not a list")),
    }
}

/// Follows a JSON pointer through the fields of the structs of a response body.
fn walk<'a>(
    api: &'a Api,
    shape: &'a Shape,
    pointer: &str,
) -> Result<(Vec<FieldStep>, &'a Shape), String> {
    let mut shape = shape;
    let mut steps = Vec::new();
    let target = Pointer::from_escaped(pointer);
    for segment in target.segments() {
        let missing = || format!("the response has no property `{pointer}`");
        let Some(Shape::Ref(owner)) = field_plain(api, shape) else {
            return Err(missing());
        };
        let Some(TypeKind::Struct(s)) = api.types.get(owner).map(|d| &d.kind) else {
            return Err(missing());
        };
        let index = s
            .fields
            .iter()
            .position(|f| f.wire == segment)
            .ok_or_else(missing)?;
        steps.push(FieldStep {
            owner: owner.clone(),
            index,
        });
        shape = &s.fields[index].shape;
    }
    Ok((steps, shape))
}
