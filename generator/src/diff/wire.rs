//! Wire-level differences between two APIs, read from their named IR: operations, parameters,
//! bodies, responses, security and servers. Each change gets a verdict for existing clients in
//! the categories oasdiff uses (breaking, potentially breaking, compatible) and the Rust items
//! it touches, so the Rust verdict can be joined to it. Schema changes are in `schemas`.

use std::collections::{BTreeMap, BTreeSet};

use super::matching;
use super::schemas::{self, Sides};
use super::values;
use super::{Verdict, WireChange};
use crate::ir::{Api, HttpMethod, Operation, Param, ParamLocation, StatusMatch};
use crate::pointer::Pointer;

/// Every wire change from `old` to `new`, operations first, then schemas, then servers.
pub fn compare(old: &Api, new: &Api) -> Vec<WireChange> {
    let mut out = Vec::new();
    let old_ops = by_route(old);
    let new_ops = by_route(new);
    let mut renamed = Vec::new();
    for (route, before) in &old_ops {
        match new_ops.get(route) {
            Some(after) => {
                renamed.extend(replaced_types(before, after));
                operation(old, before, new, after, &mut out);
            }
            None => out.push(WireChange::new(
                &label(before),
                "",
                "operation removed",
                "endpoint-removed",
                Verdict::Breaking,
                own_items(old, before, new),
            )),
        }
    }
    for (route, after) in &new_ops {
        if !old_ops.contains_key(route) {
            out.push(WireChange::new(
                &label(after),
                "",
                "operation added",
                "endpoint-added",
                Verdict::Compatible,
                own_items(new, after, old),
            ));
        }
    }
    schemas::compare(old, new, renamed, &mut out);
    servers(old, new, &mut out);
    out
}

/// The Rust items that come and go with an operation: its methods, and the types it uses that
/// the `other` API does not have (its parameter and response types, and what only they use).
fn own_items(api: &Api, op: &Operation, other: &Api) -> Vec<String> {
    let mut items = vec![op.method_path()];
    items.extend(op.stream_method_path());
    for name in [&op.params_type, &op.headers_type] {
        if !name.is_empty() {
            items.push(format!("types::{name}*"));
        }
    }
    for outcome in [&op.success, &op.error] {
        if let crate::ir::Outcome::ByStatus { name, .. } = outcome {
            items.push(format!("types::{name}*"));
        }
    }
    let mut stack: Vec<&crate::ir::Shape> = op.params.iter().map(|p| &p.shape).collect();
    stack.extend(op.body.iter().map(|b| &b.shape));
    for response in &op.responses {
        if let Some(crate::ir::Content::Json(shape)) = &response.content {
            stack.push(shape);
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(shape) = stack.pop() {
        if let Some(inner) = shape.inner() {
            stack.push(inner);
            continue;
        }
        let crate::ir::Shape::Ref(at) = shape else {
            continue;
        };
        if other.types.contains_key(at) || !seen.insert(at.clone()) {
            continue;
        }
        if let Some(def) = api.types.get(at) {
            items.push(format!("types::{}*", def.name));
            stack.extend(def.kind.shapes());
        }
    }
    items
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
        if let (Some(crate::ir::Content::Json(x)), Some(crate::ir::Content::Json(y))) =
            (&r.content, &s.content)
        {
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
        .map(|op| (format!("{} {}", method(op.method), route(&op.path)), op))
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

fn method(method: HttpMethod) -> String {
    method.as_str().to_ascii_uppercase()
}

/// `POST /v1/magic_links`.
pub fn label(op: &Operation) -> String {
    format!("{} {}", method(op.method), op.path)
}

fn operation(
    old: &Api,
    before: &Operation,
    new: &Api,
    after: &Operation,
    out: &mut Vec<WireChange>,
) {
    let subject = label(after);
    let client = |op: &Operation| op.method_path();
    if before.name != after.name {
        let what = format!(
            "operationId changed, so the method `{}` is now `{}`",
            before.method_path(),
            after.method_path()
        );
        out.push(WireChange::new(
            &subject,
            "",
            &what,
            "operation-id-changed",
            Verdict::Compatible,
            vec![client(before), client(after)],
        ));
    } else if before.method_path() != after.method_path() {
        // Its tags (or its path's first segment) put it in another group, or another method of
        // its group took its short name.
        let (what, category) = if before.handle_path != after.handle_path {
            (
                "the operation moved to another group",
                "operation-group-changed",
            )
        } else {
            (
                "the operation's method was renamed",
                "operation-method-renamed",
            )
        };
        let what = format!(
            "{what}, so the method `{}` is now `{}`",
            before.method_path(),
            after.method_path()
        );
        let mut items = vec![client(before), client(after)];
        items.extend(before.stream_method_path());
        items.extend(after.stream_method_path());
        out.push(WireChange::new(
            &subject,
            "",
            &what,
            category,
            Verdict::Compatible,
            items,
        ));
    }
    if !before.doc.deprecated && after.doc.deprecated {
        out.push(WireChange::new(
            &subject,
            "",
            "operation deprecated",
            "endpoint-deprecated",
            Verdict::Compatible,
            vec![client(after)],
        ));
    }
    security(&subject, before, after, out);
    parameters(old, before, new, after, &subject, out);
    body(old, before, new, after, &subject, out);
    responses(old, before, new, after, &subject, out);
    headers(old, before, new, after, &subject, out);
}

fn headers_by_name(op: &Operation) -> BTreeMap<String, &crate::ir::ResponseHeader> {
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
    let items = |op: &Operation, header: &crate::ir::ResponseHeader| {
        let ty = format!("types::{}", op.headers_type);
        let mut items = vec![format!("{ty}.{}", header.name)];
        if before.has_headers_struct() != after.has_headers_struct() {
            items.extend([format!("{ty}*"), op.method_path()]);
        }
        items
    };
    let at = |h: &crate::ir::ResponseHeader| format!("response header `{}`", h.wire);
    for (name, a) in &olds {
        match news.get(name) {
            None => out.push(WireChange::new(
                subject,
                &at(a),
                "response header no longer declared",
                "response-header-removed",
                Verdict::PotentiallyBreaking,
                items(before, a),
            )),
            Some(b) => {
                let none = crate::ir::Constraints::default();
                let value = schemas::Value {
                    old: (old, &a.shape, &none),
                    new: (new, &b.shape, &none),
                };
                let items = items(after, b);
                values::value_changes(&value, Sides::RESPONSE, subject, &at(b), &items, out);
            }
        }
    }
    for (name, b) in &news {
        if !olds.contains_key(name) {
            out.push(WireChange::new(
                subject,
                &at(b),
                "response header declared",
                "response-header-added",
                Verdict::Compatible,
                items(after, b),
            ));
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
            "security-removed",
            Verdict::Compatible,
        )
    } else if anonymous(&old) {
        (
            "authentication now required",
            "security-added",
            Verdict::Breaking,
        )
    } else if new.is_superset(&old) {
        (
            "another way to authenticate accepted",
            "security-alternative-added",
            Verdict::Compatible,
        )
    } else {
        (
            "security requirements changed",
            "security-changed",
            Verdict::Breaking,
        )
    };
    out.push(WireChange::new(
        subject,
        "security",
        what,
        category,
        verdict,
        vec![after.method_path()],
    ));
}

fn location(param: &Param) -> &'static str {
    match param.location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

/// The Rust items a parameter is part of: the method (path parameters) or the parameter struct.
/// The Rust items a parameter is part of: the method's arguments (a path parameter), or its
/// field and setter in the parameter struct, the constructor when it is required, and the
/// method when the struct itself comes or goes (`struct_changes`).
fn param_items(op: &Operation, param: &Param, struct_changes: bool) -> Vec<String> {
    let method = op.method_path();
    if param.location == ParamLocation::Path {
        return vec![method];
    }
    let ty = format!("types::{}", op.params_type);
    let mut items = vec![
        format!("{ty}.{}", param.name),
        format!("{ty}::{}", crate::ident::setter_name(&param.name)),
    ];
    if param.required {
        items.extend([format!("{ty}::new"), format!("{ty} impl Default")]);
    }
    if struct_changes {
        items.extend([format!("{ty}*"), method]);
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
    for (k, p) in &olds {
        let Some(q) = news.get(k) else {
            out.push(WireChange::new(
                subject,
                &at(p),
                "request parameter removed",
                "request-parameter-removed",
                Verdict::PotentiallyBreaking,
                param_items(before, p, struct_changes),
            ));
            continue;
        };
        let items = param_items(after, q, struct_changes || p.required != q.required);
        if !p.required && q.required {
            out.push(WireChange::new(
                subject,
                &at(q),
                "request parameter became required",
                "request-parameter-became-required",
                Verdict::Breaking,
                items.clone(),
            ));
        } else if p.required && !q.required {
            out.push(WireChange::new(
                subject,
                &at(q),
                "request parameter became optional",
                "request-parameter-became-optional",
                Verdict::Compatible,
                items.clone(),
            ));
        }
        let value = schemas::Value {
            old: (old, &p.shape, &p.constraints),
            new: (new, &q.shape, &q.constraints),
        };
        values::value_changes(&value, Sides::REQUEST, subject, &at(q), &items, out);
    }
    for (k, q) in &news {
        if olds.contains_key(k) {
            continue;
        }
        let (what, category, verdict) = if q.required {
            (
                "new required request parameter",
                "new-required-request-parameter",
                Verdict::Breaking,
            )
        } else {
            (
                "new optional request parameter",
                "new-optional-request-parameter",
                Verdict::Compatible,
            )
        };
        out.push(WireChange::new(
            subject,
            &at(q),
            what,
            category,
            verdict,
            param_items(after, q, struct_changes),
        ));
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
    let items = vec![after.method_path()];
    let mut push = |what: &str, category: &'static str, verdict: Verdict| {
        out.push(WireChange::new(
            subject,
            "request body",
            what,
            category,
            verdict,
            items.clone(),
        ));
    };
    match (&before.body, &after.body) {
        (None, None) => {}
        (None, Some(b)) if b.required => push(
            "new required request body",
            "request-body-added-required",
            Verdict::Breaking,
        ),
        (None, Some(_)) => push(
            "new optional request body",
            "request-body-added",
            Verdict::Compatible,
        ),
        (Some(_), None) => push(
            "request body removed",
            "request-body-removed",
            Verdict::PotentiallyBreaking,
        ),
        (Some(a), Some(b)) => {
            if a.media_type != b.media_type {
                let what = format!(
                    "media type changed from `{}` to `{}`",
                    a.media_type, b.media_type
                );
                push(&what, "request-body-media-type-changed", Verdict::Breaking);
            }
            if !a.required && b.required {
                push(
                    "request body became required",
                    "request-body-became-required",
                    Verdict::Breaking,
                );
            } else if a.required && !b.required {
                push(
                    "request body became optional",
                    "request-body-became-optional",
                    Verdict::Compatible,
                );
            }
            let none = crate::ir::Constraints::default();
            let value = schemas::Value {
                old: (old, &a.shape, &none),
                new: (new, &b.shape, &none),
            };
            values::value_changes(&value, Sides::REQUEST, subject, "request body", &items, out);
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
    let mut items = vec![after.method_path()];
    for outcome in [&after.success, &after.error, &before.success, &before.error] {
        if let crate::ir::Outcome::ByStatus { name, .. } = outcome {
            items.push(format!("types::{name}"));
        }
    }
    let olds: BTreeMap<StatusMatch, _> = before.responses.iter().map(|r| (r.status, r)).collect();
    let news: BTreeMap<StatusMatch, _> = after.responses.iter().map(|r| (r.status, r)).collect();
    for (status, a) in &olds {
        let at = format!("response {}", status_text(*status));
        let Some(b) = news.get(status) else {
            let (category, verdict) = if status.is_success() {
                ("response-success-status-removed", Verdict::Breaking)
            } else {
                ("response-non-success-status-removed", Verdict::Compatible)
            };
            out.push(WireChange::new(
                subject,
                &at,
                "response removed",
                category,
                verdict,
                items.clone(),
            ));
            continue;
        };
        // A response only streamed has its stream's media type.
        let media_type = |r: &crate::ir::Response| {
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
            out.push(WireChange::new(
                subject,
                &at,
                &what,
                "response-media-type-changed",
                Verdict::Breaking,
                items.clone(),
            ));
        }
        if let (Some(crate::ir::Content::Json(x)), Some(crate::ir::Content::Json(y))) =
            (&a.content, &b.content)
        {
            let none = crate::ir::Constraints::default();
            let value = schemas::Value {
                old: (old, x, &none),
                new: (new, y, &none),
            };
            values::value_changes(&value, Sides::RESPONSE, subject, &at, &items, out);
        }
        streams(old, (a, before), new, (b, after), subject, &at, out);
    }
    for status in news.keys().filter(|s| !olds.contains_key(*s)) {
        let at = format!("response {}", status_text(*status));
        let (category, verdict) = if status.is_success() {
            (
                "response-success-status-added",
                Verdict::PotentiallyBreaking,
            )
        } else {
            ("response-non-success-status-added", Verdict::Compatible)
        };
        out.push(WireChange::new(
            subject,
            &at,
            "response added",
            category,
            verdict,
            items.clone(),
        ));
    }
}

/// A response's streamed form: added beside a whole body (a new method), removed, framed
/// otherwise, or with items that changed. A response that only streamed, or only streams now,
/// changed its media type, which the caller reports.
fn streams(
    old: &Api,
    (a, before): (&crate::ir::Response, &Operation),
    new: &Api,
    (b, after): (&crate::ir::Response, &Operation),
    subject: &str,
    at: &str,
    out: &mut Vec<WireChange>,
) {
    let method = |op: &Operation| {
        op.stream
            .as_ref()
            .map(|s| format!("{}::{}", op.handle_path, s.method))
    };
    let items: Vec<String> = [method(before), method(after)]
        .into_iter()
        .flatten()
        .collect();
    let (category, verdict, what) = match (&a.stream, &b.stream) {
        (None, None) => return,
        (None, Some(s)) if a.content.is_some() => (
            "response-stream-added",
            Verdict::Compatible,
            format!("can now be streamed as `{}`", s.media_type),
        ),
        (Some(s), None) if b.content.is_some() => (
            "response-stream-removed",
            Verdict::Breaking,
            format!("can no longer be streamed as `{}`", s.media_type),
        ),
        (Some(x), Some(y)) if x.kind != y.kind || x.media_type != y.media_type => (
            "response-stream-media-type-changed",
            Verdict::Breaking,
            format!(
                "stream media type changed from `{}` to `{}`",
                x.media_type, y.media_type
            ),
        ),
        (Some(x), Some(y)) => {
            let none = crate::ir::Constraints::default();
            let value = schemas::Value {
                old: (old, &x.shape, &none),
                new: (new, &y.shape, &none),
            };
            let at = format!("{at} stream item");
            values::value_changes(&value, Sides::RESPONSE, subject, &at, &items, out);
            return;
        }
        _ => return,
    };
    out.push(WireChange::new(
        subject, at, &what, category, verdict, items,
    ));
}

fn servers(old: &Api, new: &Api, out: &mut Vec<WireChange>) {
    let olds: BTreeMap<&str, &str> = old
        .servers
        .iter()
        .map(|s| (s.url.as_str(), s.name.as_str()))
        .collect();
    let news: BTreeMap<&str, &str> = new
        .servers
        .iter()
        .map(|s| (s.url.as_str(), s.name.as_str()))
        .collect();
    for (url, name) in &olds {
        if !news.contains_key(url) {
            out.push(WireChange::new(
                "servers",
                url,
                "server removed",
                "server-removed",
                Verdict::PotentiallyBreaking,
                vec![format!("servers::{name}")],
            ));
        }
    }
    for (url, name) in &news {
        if !olds.contains_key(url) {
            out.push(WireChange::new(
                "servers",
                url,
                "server added",
                "server-added",
                Verdict::Compatible,
                vec![format!("servers::{name}")],
            ));
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
