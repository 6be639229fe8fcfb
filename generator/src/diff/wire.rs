//! Wire-level differences between two APIs, read from their named IR: operations, parameters,
//! bodies, responses, security and servers. Each change gets a verdict for existing clients in
//! the categories oasdiff uses (breaking, potentially breaking, compatible) and the Rust items
//! it touches, so the Rust verdict can be joined to it. Schema changes are in `schemas`.

use std::collections::{BTreeMap, BTreeSet};

use super::items::{ItemPath, Touch};
use super::keyed::{Entry, keyed};
use super::matching;
use super::schemas::{self, Sides};
use super::values;
use super::{Category, Place, Verdict, WireChange};
use crate::ir::{
    Api, Content, HttpMethod, Operation, Outcome, Param, ParamLocation, Response, ResponseHeader,
    Shape, StatusMatch,
};
use crate::pointer::Pointer;

/// Every wire change from `old` to `new`, operations first, then schemas, then servers.
pub fn compare(old: &Api, new: &Api) -> Vec<WireChange> {
    let mut out = Vec::new();
    let (old_ops, new_ops) = (by_route(old), by_route(new));
    let mut renamed = Vec::new();
    for (_, entry) in keyed(&old_ops, &new_ops) {
        match entry {
            Entry::Removed(before) => out.push(Place::whole(&label(before)).change(
                Category::EndpointRemoved,
                Verdict::Breaking,
                "operation removed",
                own_items(old, before, new),
            )),
            Entry::Kept(before, after) => {
                renamed.extend(replaced_types(before, after));
                operation(old, before, new, after, &mut out);
            }
            Entry::Added(after) => out.push(Place::whole(&label(after)).change(
                Category::EndpointAdded,
                Verdict::Compatible,
                "operation added",
                own_items(new, after, old),
            )),
        }
    }
    schemas::compare(old, new, renamed, &mut out);
    servers(old, new, &mut out);
    out
}

/// The Rust items that come and go with an operation: its methods, and the types it uses that
/// the `other` API does not have (its parameter and response types, and what only they use).
fn own_items(api: &Api, op: &Operation, other: &Api) -> Vec<Touch> {
    let mut items = vec![method(op)];
    items.extend(stream_method(op));
    for name in [&op.params_type, &op.headers_type] {
        if !name.is_empty() {
            items.push(Touch::whole_type(name));
        }
    }
    for outcome in [&op.success, &op.error] {
        if let Outcome::ByStatus { name, .. } = outcome {
            items.push(Touch::whole_type(name));
        }
    }
    let mut stack: Vec<&Shape> = op.params.iter().map(|p| &p.shape).collect();
    stack.extend(op.body.iter().map(|b| &b.shape));
    for response in &op.responses {
        if let Some(Content::Json(shape)) = &response.content {
            stack.push(shape);
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(shape) = stack.pop() {
        if let Some(inner) = shape.inner() {
            stack.push(inner);
            continue;
        }
        let Shape::Ref(at) = shape else {
            continue;
        };
        if other.types.contains_key(at) || !seen.insert(at.clone()) {
            continue;
        }
        if let Some(def) = api.types.get(at) {
            items.push(Touch::whole_type(&def.name));
            stack.extend(def.kind.shapes());
        }
    }
    items
}

/// The method `name` on the handle of an operation's group.
fn on_handle(op: &Operation, name: &str) -> ItemPath {
    ItemPath::new(&op.handle_path).assoc(name)
}

/// The path of an operation's method.
fn method_path(op: &Operation) -> ItemPath {
    on_handle(op, &op.method_name)
}

/// An operation's method.
fn method(op: &Operation) -> Touch {
    Touch::Item(method_path(op))
}

/// An operation's method that streams its pages, if it has one.
fn stream_method(op: &Operation) -> Option<Touch> {
    let pagination = op.pagination.as_ref()?;
    Some(Touch::Item(on_handle(op, &pagination.method)))
}

/// The named types an operation's parameters, body and responses refer to in the old spec and,
/// at the same place, in the new one, where they differ.
fn replaced_types(before: &Operation, after: &Operation) -> Vec<(Pointer, Pointer)> {
    let mut pairs = Vec::new();
    for p in &before.params {
        let key = param_key(before, p);
        if let Some(q) = after.params.iter().find(|q| param_key(after, q) == key) {
            pairs.extend(matching::ref_pair(&p.shape, &q.shape));
        }
    }
    if let (Some(a), Some(b)) = (&before.body, &after.body) {
        pairs.extend(matching::ref_pair(&a.shape, &b.shape));
    }
    for r in &before.responses {
        let Some(s) = after.responses.iter().find(|s| s.status == r.status) else {
            continue;
        };
        if let (Some(Content::Json(x)), Some(Content::Json(y))) = (&r.content, &s.content) {
            pairs.extend(matching::ref_pair(x, y));
        }
    }
    pairs
}

/// Operations by method and path, with path parameter names left out (`/pets/{}`): renaming a
/// path parameter does not make another operation.
fn by_route(api: &Api) -> BTreeMap<String, &Operation> {
    api.operations
        .values()
        .map(|op| (format!("{} {}", verb(op.method), route(&op.path)), op))
        .collect()
}

fn route(path: &str) -> String {
    let mut out = String::new();
    let mut in_param = false;
    for c in path.chars() {
        match c {
            '{' => {
                in_param = true;
                out.push_str("{}");
            }
            '}' => in_param = false,
            _ if in_param => {}
            _ => out.push(c),
        }
    }
    out
}

fn verb(method: HttpMethod) -> String {
    method.as_str().to_ascii_uppercase()
}

/// `POST /v1/magic_links`.
pub fn label(op: &Operation) -> String {
    format!("{} {}", verb(op.method), op.path)
}

fn operation(
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
    out: &mut Vec<WireChange>,
) {
    let subject = label(after);
    let whole = Place::whole(&subject);
    if before.name != after.name {
        let what = format!(
            "operationId changed, so the method `{}` is now `{}`",
            method_path(before),
            method_path(after)
        );
        let items = vec![method(before), method(after)];
        out.push(whole.change(
            Category::OperationIdChanged,
            Verdict::Compatible,
            what,
            items,
        ));
    } else if method_path(before) != method_path(after) {
        // Its tags (or its path's first segment) put it in another group, or another method of
        // its group took its short name.
        let (what, category) = if before.handle_path != after.handle_path {
            (
                "the operation moved to another group",
                Category::OperationGroupChanged,
            )
        } else {
            (
                "the operation's method was renamed",
                Category::OperationMethodRenamed,
            )
        };
        let what = format!(
            "{what}, so the method `{}` is now `{}`",
            method_path(before),
            method_path(after)
        );
        let mut items = vec![method(before), method(after)];
        items.extend(stream_method(before));
        items.extend(stream_method(after));
        out.push(whole.change(category, Verdict::Compatible, what, items));
    }
    if !before.doc.deprecated && after.doc.deprecated {
        out.push(whole.change(
            Category::EndpointDeprecated,
            Verdict::Compatible,
            "operation deprecated",
            vec![method(after)],
        ));
    }
    security(&subject, before, after, out);
    parameters(old, before, new, after, &subject, out);
    body(old, before, new, after, &subject, out);
    responses(old, before, new, after, &subject, out);
    headers(old, before, new, after, &subject, out);
}

fn headers_by_name(op: &Operation) -> BTreeMap<String, &ResponseHeader> {
    op.headers
        .iter()
        .map(|h| (h.wire.to_ascii_lowercase(), h))
        .collect()
}

/// The headers responses declare, read into the operation's header struct.
fn headers(
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
    subject: &str,
    out: &mut Vec<WireChange>,
) {
    let (olds, news) = (headers_by_name(before), headers_by_name(after));
    let items = |op: &Operation, header: &ResponseHeader| {
        let ty = ItemPath::ty(&op.headers_type);
        let mut items = vec![Touch::Item(ty.field(&header.name))];
        if before.has_headers_struct() != after.has_headers_struct() {
            items.extend([Touch::WithMembers(ty), method(op)]);
        }
        items
    };
    let at = |h: &ResponseHeader| format!("response header `{}`", h.wire);
    for (_, entry) in keyed(&olds, &news) {
        match entry {
            Entry::Removed(a) => out.push(Place::new(subject, &at(a)).change(
                Category::ResponseHeaderRemoved,
                Verdict::PotentiallyBreaking,
                "response header no longer declared",
                items(before, a),
            )),
            Entry::Kept(a, b) => {
                let value = schemas::Value::shapes(old, &a.shape, new, &b.shape);
                let at = at(b);
                let place = Place::new(subject, &at);
                values::value_changes(&value, Sides::RESPONSE, place, &items(after, b), out);
            }
            Entry::Added(b) => out.push(Place::new(subject, &at(b)).change(
                Category::ResponseHeaderAdded,
                Verdict::Compatible,
                "response header declared",
                items(after, b),
            )),
        }
    }
}

fn security(subject: &str, before: &Operation, after: &Operation, out: &mut Vec<WireChange>) {
    let set = |op: &Operation| -> BTreeSet<Vec<String>> {
        op.security
            .iter()
            .map(|alternative| {
                let mut schemes = alternative.clone();
                schemes.sort();
                schemes
            })
            .collect()
    };
    let (old, new) = (set(before), set(after));
    if old == new {
        return;
    }
    let anonymous = |s: &BTreeSet<Vec<String>>| s.is_empty() || s.contains(&Vec::new());
    let (what, category, verdict) = if anonymous(&new) {
        (
            "authentication no longer required",
            Category::SecurityRemoved,
            Verdict::Compatible,
        )
    } else if anonymous(&old) {
        (
            "authentication now required",
            Category::SecurityAdded,
            Verdict::Breaking,
        )
    } else if new.is_superset(&old) {
        (
            "another way to authenticate accepted",
            Category::SecurityAlternativeAdded,
            Verdict::Compatible,
        )
    } else {
        (
            "security requirements changed",
            Category::SecurityChanged,
            Verdict::Breaking,
        )
    };
    let place = Place::new(subject, "security");
    out.push(place.change(category, verdict, what, vec![method(after)]));
}

fn location(param: &Param) -> &'static str {
    match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The Rust items a parameter is part of: the method's arguments (a path parameter), or its
/// field and setter in the parameter struct, the constructor when it is required, and the
/// method when the struct itself comes or goes (`struct_changes`).
fn param_items(op: &Operation, param: &Param, struct_changes: bool) -> Vec<Touch> {
    if param.location == ParamLocation::Path {
        return vec![method(op)];
    }
    let ty = ItemPath::ty(&op.params_type);
    let mut items: Vec<Touch> = vec![
        ty.field(&param.name).into(),
        ty.assoc(&crate::ident::setter_name(&param.name)).into(),
    ];
    if param.required {
        items.extend([ty.assoc("new").into(), ty.implements("Default").into()]);
    }
    if struct_changes {
        items.extend([Touch::WithMembers(ty), method(op)]);
    }
    items
}

/// What identifies a parameter across versions: a path parameter by its place in the path
/// (renaming it changes nothing on the wire), a header by its name in any case, others by name.
fn param_key(op: &Operation, param: &Param) -> (ParamLocation, String) {
    let name = match param.location {
        ParamLocation::Path => {
            let names = op.path_template_names();
            let place = names.iter().position(|n| *n == param.wire);
            place.map_or_else(|| param.wire.clone(), |i| format!("#{i}"))
        }
        ParamLocation::Header => param.wire.to_ascii_lowercase(),
        ParamLocation::Query | ParamLocation::Cookie => param.wire.clone(),
    };
    (param.location, name)
}

fn parameters(
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
    subject: &str,
    out: &mut Vec<WireChange>,
) {
    let olds: BTreeMap<_, &Param> = (before.params.iter())
        .map(|p| (param_key(before, p), p))
        .collect();
    let news: BTreeMap<_, &Param> = (after.params.iter())
        .map(|p| (param_key(after, p), p))
        .collect();
    // The struct appearing or going, or moving between argument and call, changes the method.
    let struct_changes = before.has_params_struct() != after.has_params_struct()
        || before.params_argument() != after.params_argument();
    let at = |p: &Param| format!("{} parameter `{}`", location(p), p.wire);
    for (_, entry) in keyed(&olds, &news) {
        match entry {
            Entry::Removed(p) => out.push(Place::new(subject, &at(p)).change(
                Category::RequestParameterRemoved,
                Verdict::PotentiallyBreaking,
                "request parameter removed",
                param_items(before, p, struct_changes),
            )),
            Entry::Kept(p, q) => {
                let at = at(q);
                let place = Place::new(subject, &at);
                let items = param_items(after, q, struct_changes || p.required != q.required);
                if !p.required && q.required {
                    out.push(place.change(
                        Category::RequestParameterBecameRequired,
                        Verdict::Breaking,
                        "request parameter became required",
                        items.clone(),
                    ));
                } else if p.required && !q.required {
                    out.push(place.change(
                        Category::RequestParameterBecameOptional,
                        Verdict::Compatible,
                        "request parameter became optional",
                        items.clone(),
                    ));
                }
                let value = schemas::Value {
                    old: (old, &p.shape, &p.constraints),
                    new: (new, &q.shape, &q.constraints),
                };
                values::value_changes(&value, Sides::REQUEST, place, &items, out);
            }
            Entry::Added(q) => {
                let (what, category, verdict) = if q.required {
                    (
                        "new required request parameter",
                        Category::NewRequiredRequestParameter,
                        Verdict::Breaking,
                    )
                } else {
                    (
                        "new optional request parameter",
                        Category::NewOptionalRequestParameter,
                        Verdict::Compatible,
                    )
                };
                let items = param_items(after, q, struct_changes);
                out.push(Place::new(subject, &at(q)).change(category, verdict, what, items));
            }
        }
    }
}

fn body(
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
    subject: &str,
    out: &mut Vec<WireChange>,
) {
    let items = vec![method(after)];
    let place = Place::new(subject, "request body");
    let mut push = |what: &str, category: Category, verdict: Verdict| {
        out.push(place.change(category, verdict, what, items.clone()));
    };
    match (&before.body, &after.body) {
        (None, None) => {}
        (None, Some(b)) if b.required => push(
            "new required request body",
            Category::RequestBodyAddedRequired,
            Verdict::Breaking,
        ),
        (None, Some(_)) => push(
            "new optional request body",
            Category::RequestBodyAdded,
            Verdict::Compatible,
        ),
        (Some(_), None) => push(
            "request body removed",
            Category::RequestBodyRemoved,
            Verdict::PotentiallyBreaking,
        ),
        (Some(a), Some(b)) => {
            if a.media_type != b.media_type {
                let what = format!(
                    "media type changed from `{}` to `{}`",
                    a.media_type, b.media_type
                );
                push(
                    &what,
                    Category::RequestBodyMediaTypeChanged,
                    Verdict::Breaking,
                );
            }
            if !a.required && b.required {
                push(
                    "request body became required",
                    Category::RequestBodyBecameRequired,
                    Verdict::Breaking,
                );
            } else if a.required && !b.required {
                push(
                    "request body became optional",
                    Category::RequestBodyBecameOptional,
                    Verdict::Compatible,
                );
            }
            let value = schemas::Value::shapes(old, &a.shape, new, &b.shape);
            values::value_changes(&value, Sides::REQUEST, place, &items, out);
        }
    }
}

fn status_text(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) => code.to_string(),
        StatusMatch::Range(digit) => format!("{digit}XX"),
        StatusMatch::Default => "default".to_owned(),
    }
}

fn responses(
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
    subject: &str,
    out: &mut Vec<WireChange>,
) {
    let mut items = vec![method(after)];
    for outcome in [&after.success, &after.error, &before.success, &before.error] {
        if let Outcome::ByStatus { name, .. } = outcome {
            items.push(Touch::Item(ItemPath::ty(name)));
        }
    }
    let olds: BTreeMap<StatusMatch, _> = before.responses.iter().map(|r| (r.status, r)).collect();
    let news: BTreeMap<StatusMatch, _> = after.responses.iter().map(|r| (r.status, r)).collect();
    for (status, entry) in keyed(&olds, &news) {
        let at = format!("response {}", status_text(*status));
        let place = Place::new(subject, &at);
        match entry {
            Entry::Removed(_) => {
                let (category, verdict) = if status.is_success() {
                    (Category::ResponseSuccessStatusRemoved, Verdict::Breaking)
                } else {
                    (
                        Category::ResponseNonSuccessStatusRemoved,
                        Verdict::Compatible,
                    )
                };
                out.push(place.change(category, verdict, "response removed", items.clone()));
            }
            Entry::Kept(a, b) => {
                response(old, (a, before), new, (b, after), place, &items, out);
            }
            Entry::Added(_) => {
                let (category, verdict) = if status.is_success() {
                    (
                        Category::ResponseSuccessStatusAdded,
                        Verdict::PotentiallyBreaking,
                    )
                } else {
                    (Category::ResponseNonSuccessStatusAdded, Verdict::Compatible)
                };
                out.push(place.change(category, verdict, "response added", items.clone()));
            }
        }
    }
}

/// A response both operations declare for one status: its media type, its body, its stream.
fn response(
    old: &Api,
    (a, before): (&Response, &Operation),
    new: &Api,
    (b, after): (&Response, &Operation),
    place: Place<'_>,
    items: &[Touch],
    out: &mut Vec<WireChange>,
) {
    // A response only streamed has its stream's media type.
    let media_type = |r: &Response| {
        r.media_type
            .clone()
            .or_else(|| r.stream.as_ref().map(|s| s.media_type.clone()))
    };
    if media_type(a) != media_type(b) {
        let what = format!(
            "media type changed from `{}` to `{}`",
            media_type(a).as_deref().unwrap_or("none"),
            media_type(b).as_deref().unwrap_or("none")
        );
        out.push(place.change(
            Category::ResponseMediaTypeChanged,
            Verdict::Breaking,
            what,
            items.to_vec(),
        ));
    }
    if let (Some(Content::Json(x)), Some(Content::Json(y))) = (&a.content, &b.content) {
        let value = schemas::Value::shapes(old, x, new, y);
        values::value_changes(&value, Sides::RESPONSE, place, items, out);
    }
    streams(old, (a, before), new, (b, after), place, out);
}

/// A response's streamed form: added beside a whole body (a new method), removed, framed
/// otherwise, or with items that changed. A response that only streamed, or only streams now,
/// changed its media type, which the caller reports.
fn streams(
    old: &Api,
    (a, before): (&Response, &Operation),
    new: &Api,
    (b, after): (&Response, &Operation),
    place: Place<'_>,
    out: &mut Vec<WireChange>,
) {
    let stream_method = |op: &Operation| {
        let stream = op.stream.as_ref()?;
        Some(Touch::Item(on_handle(op, &stream.method)))
    };
    let items: Vec<Touch> = [stream_method(before), stream_method(after)]
        .into_iter()
        .flatten()
        .collect();
    let (category, verdict, what) = match (&a.stream, &b.stream) {
        (None, None) => return,
        (None, Some(s)) if a.content.is_some() => (
            Category::ResponseStreamAdded,
            Verdict::Compatible,
            format!("can now be streamed as `{}`", s.media_type),
        ),
        (Some(s), None) if b.content.is_some() => (
            Category::ResponseStreamRemoved,
            Verdict::Breaking,
            format!("can no longer be streamed as `{}`", s.media_type),
        ),
        (Some(x), Some(y)) if x.kind != y.kind || x.media_type != y.media_type => (
            Category::ResponseStreamMediaTypeChanged,
            Verdict::Breaking,
            format!(
                "stream media type changed from `{}` to `{}`",
                x.media_type, y.media_type
            ),
        ),
        (Some(x), Some(y)) => {
            let value = schemas::Value::shapes(old, &x.shape, new, &y.shape);
            let at = format!("{} stream item", place.location);
            let place = Place::new(place.subject, &at);
            values::value_changes(&value, Sides::RESPONSE, place, &items, out);
            return;
        }
        _ => return,
    };
    out.push(place.change(category, verdict, what, items));
}

fn servers(old: &Api, new: &Api, out: &mut Vec<WireChange>) {
    let by_url = |api: &Api| -> BTreeMap<String, String> {
        (api.servers.iter())
            .map(|s| (s.url.clone(), s.name.clone()))
            .collect()
    };
    let (olds, news) = (by_url(old), by_url(new));
    for (url, entry) in keyed(&olds, &news) {
        let place = Place::new("servers", url);
        let item = |name: &str| vec![Touch::Item(ItemPath::new(format!("servers::{name}")))];
        match entry {
            Entry::Removed(name) => out.push(place.change(
                Category::ServerRemoved,
                Verdict::PotentiallyBreaking,
                "server removed",
                item(name),
            )),
            Entry::Kept(..) => {}
            Entry::Added(name) => out.push(place.change(
                Category::ServerAdded,
                Verdict::Compatible,
                "server added",
                item(name),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::route;

    #[test]
    fn routes_ignore_path_parameter_names() {
        assert_eq!(route("/pets/{petId}/toys/{id}"), "/pets/{}/toys/{}");
        assert_eq!(route("/pets"), "/pets");
    }
}
