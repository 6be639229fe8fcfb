//! Pagination read from the shapes alone, for a `GET` the spec says nothing about: one list in
//! the page, one optional string query parameter named as cursors are named, and one place the
//! next cursor comes from (a field of the page such as `next_cursor`, or, beside a `has_more`,
//! the last item's `id`). Where two readings fit, none is taken; every reading says why.

use super::{field_plain, page_shape, plain};
use crate::ir::{
    Api, CursorSource, Field, FieldStep, HttpMethod, Operation, PageNext, Pagination,
    ParamLocation, Shape, Struct, TypeKind,
};
use crate::pointer::Pointer;

/// Query parameters that take a cursor, compared without case or separators (`pageToken`).
const CURSOR_PARAMS: &[&str] = &[
    "starting_after",
    "after",
    "cursor",
    "page_token",
    "next_token",
];

/// Fields of a page, or of an object in it, that hold the cursor of the next page.
const NEXT_FIELDS: &[&str] = &["next_cursor", "next_page_token", "next_token", "last_id"];

/// Cursor parameters that continue after the item they name: a page's last `id` is one.
const AFTER_PARAMS: &[&str] = &["starting_after", "after"];

/// The boolean field of a page that says another page follows.
const MORE_FIELD: &str = "has_more";

/// The field of an item that names it.
const ITEM_ID: &str = "id";

/// The operation's pagination as its shapes show it, with what was read; `Err` says why the
/// shapes give no single reading; `None` when nothing suggests pages (no cursor parameter).
pub(super) fn read(api: &Api, op: &Operation) -> Option<Result<(Pagination, String), String>> {
    let param = match cursor_param(op)? {
        Ok(param) => param,
        Err(why) => return Some(Err(why)),
    };
    Some(read_page(api, op, param))
}

/// The one query parameter named as a cursor; `None` when there is none.
fn cursor_param(op: &Operation) -> Option<Result<usize, String>> {
    let found: Vec<usize> = op
        .params
        .iter()
        .enumerate()
        .filter(|(_, p)| p.location == ParamLocation::Query && named(&p.wire, CURSOR_PARAMS))
        .map(|(i, _)| i)
        .collect();
    match found[..] {
        [] => None,
        [one] => Some(Ok(one)),
        [a, b, ..] => Some(Err(format!(
            "query parameters `{}` and `{}` could both take the cursor",
            op.params[a].wire, op.params[b].wire
        ))),
    }
}

fn read_page(api: &Api, op: &Operation, param: usize) -> Result<(Pagination, String), String> {
    let wire = &op.params[param].wire;
    if op.method != HttpMethod::Get {
        return Err(format!(
            "query parameter `{wire}` looks like a cursor, but only a GET is read as a listing"
        ));
    }
    if op.params[param].required || !is_string(api, &op.params[param].shape) {
        return Err(format!(
            "query parameter `{wire}` looks like a cursor, but is not an optional string"
        ));
    }
    let page = page_shape(api, op)?;
    let (owner, page) = struct_of(api, page).ok_or("the response is not an object")?;
    let list = one_list(api, page)?;
    let items = vec![step(owner, list)];
    let item = match field_plain(api, &page.fields[list].shape) {
        Some(Shape::Array(item)) => item.as_ref().clone(),
        _ => return Err("the response's list has no items".to_owned()),
    };
    let more = more_field(api, page).map(|index| vec![step(owner, index)]);
    let (from, source) = next_cursor(api, owner, page, &item, wire, more.is_some())?;
    let list_wire = &page.fields[list].wire;
    let mut reading = format!("streams `{list_wire}`, sending {source} as `{wire}`");
    if more.is_some() {
        reading.push_str(&format!(" while `{MORE_FIELD}` is true"));
    }
    let pagination = Pagination {
        next: PageNext::Cursor {
            param,
            from,
            more: more.unwrap_or_default(),
            reset: false,
            keep: Vec::new(),
        },
        stated: false,
        items,
        item,
        method: String::new(),
    };
    Ok((pagination, reading))
}

/// The page's one list field.
fn one_list(api: &Api, page: &Struct) -> Result<usize, String> {
    let lists: Vec<usize> = indices(page, |f| {
        matches!(field_plain(api, &f.shape), Some(Shape::Array(_)))
    });
    match lists[..] {
        [] => Err("the response has no list".to_owned()),
        [one] => Ok(one),
        [a, b, ..] => Err(format!(
            "`{}` and `{}` in the response could both be the items",
            page.fields[a].wire, page.fields[b].wire
        )),
    }
}

/// The page's `has_more` boolean, if it has one.
fn more_field(api: &Api, page: &Struct) -> Option<usize> {
    page.fields.iter().position(|f| {
        named(&f.wire, &[MORE_FIELD]) && matches!(field_plain(api, &f.shape), Some(Shape::Bool))
    })
}

/// Where the next cursor comes from, and how the reading names it.
fn next_cursor(
    api: &Api,
    owner: &Pointer,
    page: &Struct,
    item: &Shape,
    param: &str,
    has_more: bool,
) -> Result<(CursorSource, String), String> {
    let found = next_fields(api, owner, page);
    match &found[..] {
        [(path, name)] => return Ok((CursorSource::Body(path.clone()), format!("`{name}`"))),
        [(_, a), (_, b), ..] => {
            return Err(format!(
                "`{a}` and `{b}` in the response could both be the next cursor"
            ));
        }
        [] => {}
    }
    if !has_more || !named(param, AFTER_PARAMS) {
        return Err("no field of the response holds the next cursor".to_owned());
    }
    // The items themselves must never be `null`: the last one is read as a struct.
    let item = plain(api, item);
    let id = item
        .and_then(|item| struct_of(api, item))
        .and_then(|(owner, s)| {
            let index = s
                .fields
                .iter()
                .position(|f| f.wire == ITEM_ID && is_string(api, &f.shape))?;
            Some(vec![step(owner, index)])
        });
    match id {
        Some(path) => Ok((
            CursorSource::LastItem(path),
            format!("the last item's `{ITEM_ID}`"),
        )),
        None => Err(format!(
            "the items have no string `{ITEM_ID}` to continue after, and no field of the response holds the next cursor"
        )),
    }
}

/// String fields named as next cursors, in the page or in an object field of it, with their
/// JSON pointers into the body.
fn next_fields(api: &Api, owner: &Pointer, page: &Struct) -> Vec<(Vec<FieldStep>, String)> {
    let mut found = Vec::new();
    for (index, field) in page.fields.iter().enumerate() {
        let here = step(owner, index);
        if named(&field.wire, NEXT_FIELDS) && is_string(api, &field.shape) {
            found.push((vec![here], format!("/{}", field.wire)));
        } else if let Some((inner_owner, inner)) = struct_of(api, &field.shape) {
            for i in indices(inner, |f| {
                named(&f.wire, NEXT_FIELDS) && is_string(api, &f.shape)
            }) {
                let path = vec![here.clone(), step(inner_owner, i)];
                found.push((path, format!("/{}/{}", field.wire, inner.fields[i].wire)));
            }
        }
    }
    found
}

/// The struct a field holds (perhaps `null`: a field's own `Option` is read by codegen).
fn struct_of<'a>(api: &'a Api, shape: &'a Shape) -> Option<(&'a Pointer, &'a Struct)> {
    let Some(Shape::Ref(owner)) = field_plain(api, shape) else {
        return None;
    };
    match &api.types.get(owner)?.kind {
        TypeKind::Struct(s) => Some((owner, s)),
        _ => None,
    }
}

fn indices(page: &Struct, keep: impl Fn(&Field) -> bool) -> Vec<usize> {
    (0..page.fields.len())
        .filter(|&i| keep(&page.fields[i]))
        .collect()
}

fn step(owner: &Pointer, index: usize) -> FieldStep {
    FieldStep {
        owner: owner.clone(),
        index,
    }
}

fn is_string(api: &Api, shape: &Shape) -> bool {
    matches!(field_plain(api, shape), Some(Shape::String))
}

/// Whether `wire` is one of `names`, compared without case, `_` or `-` (`pageToken` is
/// `page_token`).
fn named(wire: &str, names: &[&str]) -> bool {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let wire = squash(wire);
    names.iter().any(|name| squash(name) == wire)
}

#[cfg(test)]
mod tests {
    use super::named;

    #[test]
    fn names_match_across_casings() {
        assert!(named("pageToken", &["page_token"]));
        assert!(named("starting-after", &["starting_after"]));
        assert!(named("HAS_MORE", &["has_more"]));
        assert!(!named("page", &["page_token"]));
    }
}
