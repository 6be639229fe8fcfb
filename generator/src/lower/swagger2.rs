//! The Swagger 2.0 front end: rewrites a 2.0 document into the 3.0 layout that lowering reads,
//! piece by piece, and records where each piece came from, so that every diagnostic points
//! into the user's 2.0 file. `definitions`, global `parameters` and `responses`, body and
//! `formData` parameters (with `type: file`), `consumes`/`produces`, `securityDefinitions`,
//! `host`/`basePath`/`schemes` and `x-nullable` are translated; anything else is kept as is.

use serde_json::{Map, Value, json};

use super::keywords::{self, Holds};
use super::origins::Origins;
use crate::diagnostics::Diagnostics;
use crate::ir::HttpMethod;
use crate::pointer::Pointer;

/// The media types a 2.0 operation reads and writes.
struct Media {
    consumes: Vec<String>,
    produces: Vec<String>,
}

/// Rewrites a Swagger 2.0 document in the 3.0 layout.
pub fn translate(doc: &Value, diags: &mut Diagnostics) -> (Value, Origins) {
    let mut origins = Origins::default();
    let root = Pointer::root();
    let mut out = Map::new();
    out.insert("openapi".into(), json!("3.0.3"));
    origins.record(root.push("openapi"), root.push("swagger"));
    for key in ["info", "tags", "externalDocs", "security"] {
        if let Some(value) = doc.get(key) {
            out.insert(key.into(), value.clone());
        }
    }
    for (key, value) in doc.as_object().into_iter().flatten() {
        if key.starts_with("x-") {
            out.insert(key.clone(), value.clone());
        }
    }
    if let Some(servers) = servers(doc) {
        out.insert("servers".into(), servers);
        origins.record(root.push("servers"), root.push("host"));
    }
    let media = Media {
        consumes: strings(doc.get("consumes")),
        produces: strings(doc.get("produces")),
    };
    let mut components = Map::new();
    if let Some(Value::Object(definitions)) = doc.get("definitions") {
        let schemas = definitions
            .iter()
            .map(|(name, schema)| (name.clone(), schema_of(schema)))
            .collect();
        components.insert("schemas".into(), Value::Object(schemas));
        origins.record(
            root.push("components").push("schemas"),
            root.push("definitions"),
        );
    }
    if let Some(Value::Object(responses)) = doc.get("responses") {
        let at = root.push("responses");
        let translated = responses
            .iter()
            .map(|(name, r)| {
                let new_at = root.push("components").push("responses").push(name);
                record_response(r, &new_at, &at.push(name), &media.produces, &mut origins);
                (name.clone(), response(r, &media.produces))
            })
            .collect();
        components.insert("responses".into(), Value::Object(translated));
        origins.record(root.push("components").push("responses"), at);
    }
    if let Some(Value::Object(parameters)) = doc.get("parameters") {
        // Body and form parameters become part of each operation's request body instead.
        let shared: Map<String, Value> = parameters
            .iter()
            .filter(|(_, p)| !is_body_or_form(p))
            .map(|(name, p)| {
                let at = root.push("parameters").push(name);
                origins.record(
                    root.push("components")
                        .push("parameters")
                        .push(name)
                        .push("schema"),
                    at.clone(),
                );
                (name.clone(), parameter(p, &at, diags))
            })
            .collect();
        components.insert("parameters".into(), Value::Object(shared));
        origins.record(
            root.push("components").push("parameters"),
            root.push("parameters"),
        );
    }
    if let Some(Value::Object(schemes)) = doc.get("securityDefinitions") {
        let translated = schemes
            .iter()
            .map(|(name, s)| (name.clone(), security_scheme(s)))
            .collect();
        components.insert("securitySchemes".into(), Value::Object(translated));
        origins.record(
            root.push("components").push("securitySchemes"),
            root.push("securityDefinitions"),
        );
    }
    if !components.is_empty() {
        out.insert("components".into(), Value::Object(components));
    }
    if doc.get(crate::pointer::EXTERNAL).is_some() {
        diags.warning(
            &root,
            "schemas in the other files this spec refers to are read as OpenAPI 3.0 schemas (`x-nullable` and `type: file` there are not rewritten)",
        );
    }
    let mut paths = Map::new();
    if let Some(Value::Object(items)) = doc.get("paths") {
        for (template, item) in items {
            let at = root.push("paths").push(template);
            paths.insert(
                template.clone(),
                path_item(doc, item, &at, &media, &mut origins, diags),
            );
        }
    }
    out.insert("paths".into(), Value::Object(paths));
    (Value::Object(out), origins)
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// `schemes`, `host` and `basePath` as servers (relative to where the spec is served when there
/// is no host).
fn servers(doc: &Value) -> Option<Value> {
    let host = doc.get("host").and_then(Value::as_str);
    let base = doc.get("basePath").and_then(Value::as_str).unwrap_or("");
    let base = base.trim_end_matches('/');
    let Some(host) = host else {
        return (!base.is_empty()).then(|| json!([{ "url": base }]));
    };
    let mut schemes = strings(doc.get("schemes"));
    if schemes.is_empty() {
        schemes.push("https".to_owned());
    }
    // HTTPS first: it is the one to use when both are offered.
    schemes.sort_by_key(|s| s != "https");
    let urls: Vec<Value> = schemes
        .iter()
        .filter(|s| matches!(s.as_str(), "http" | "https"))
        .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
        .collect();
    (!urls.is_empty()).then_some(Value::Array(urls))
}

/// A 2.0 schema in 3.0 form: references to `definitions` point to `components/schemas`,
/// `x-nullable` is `nullable`, `type: file` is binary, a discriminator names its property.
fn schema_of(schema: &Value) -> Value {
    match schema {
        // A reference that may be null: the referenced type or null (3.0 ignores what stands
        // beside a `$ref`).
        Value::Object(map)
            if map.contains_key("$ref") && map.get("x-nullable") == Some(&Value::Bool(true)) =>
        {
            let mut rest = map.clone();
            rest.remove("x-nullable");
            let reference = rest.remove("$ref").unwrap_or_default();
            let mut out = schema_of(&Value::Object(rest));
            if let Value::Object(out) = &mut out {
                out.insert(
                    "anyOf".into(),
                    json!([schema_of(&json!({ "$ref": reference })), { "type": "null" }]),
                );
            }
            out
        }
        Value::Object(map) => {
            let mut out = Map::new();
            for (key, value) in map {
                let value = match key.as_str() {
                    "$ref" => json!(reference(value.as_str().unwrap_or_default())),
                    "x-nullable" => {
                        out.insert("nullable".into(), value.clone());
                        continue;
                    }
                    "discriminator" if value.is_string() => json!({ "propertyName": value }),
                    "type" if value == "file" => {
                        out.insert("format".into(), json!("binary"));
                        json!("string")
                    }
                    keyword => subschemas_of(keyword, value),
                };
                out.insert(key.clone(), value);
            }
            Value::Object(out)
        }
        other => other.clone(),
    }
}

/// The value of `keyword` with the schemas it holds in 3.0 form.
fn subschemas_of(keyword: &str, value: &Value) -> Value {
    match (keywords::holds(keyword), value) {
        (Some(Holds::One), child) => schema_of(child),
        (Some(Holds::List), Value::Array(parts)) => {
            Value::Array(parts.iter().map(schema_of).collect())
        }
        (Some(Holds::Map), Value::Object(children)) => Value::Object(
            children
                .iter()
                .map(|(k, v)| (k.clone(), schema_of(v)))
                .collect(),
        ),
        _ => value.clone(),
    }
}

/// A local reference in the 3.0 layout.
fn reference(reference: &str) -> String {
    for (old, new) in [
        ("#/definitions/", "#/components/schemas/"),
        ("#/responses/", "#/components/responses/"),
        ("#/parameters/", "#/components/parameters/"),
    ] {
        if let Some(rest) = reference.strip_prefix(old) {
            return format!("{new}{rest}");
        }
    }
    reference.to_owned()
}

/// The schema keywords a 2.0 non-body parameter or header carries beside its own.
const SCHEMA_KEYWORDS: &[&str] = &[
    "type",
    "format",
    "items",
    "collectionFormat",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
];

/// The schema of a non-body parameter, a header or an array's items: its schema keywords.
fn simple_schema(value: &Value) -> Value {
    let mut schema = Map::new();
    for key in SCHEMA_KEYWORDS {
        if *key == "collectionFormat" {
            continue;
        }
        if let Some(v) = value.get(*key) {
            let v = if *key == "items" {
                simple_schema(v)
            } else {
                v.clone()
            };
            schema.insert((*key).to_owned(), v);
        }
    }
    schema_of(&Value::Object(schema))
}

fn response(value: &Value, produces: &[String]) -> Value {
    let Some(map) = value.as_object() else {
        return value.clone();
    };
    if let Some(reference_text) = map.get("$ref").and_then(Value::as_str) {
        return json!({ "$ref": reference(reference_text) });
    }
    let mut out = Map::new();
    for (key, v) in map {
        match key.as_str() {
            "schema" => {
                let schema = schema_of(v);
                let content: Map<String, Value> = media_types(produces, "application/json")
                    .into_iter()
                    .map(|m| (m, json!({ "schema": schema })))
                    .collect();
                out.insert("content".into(), Value::Object(content));
            }
            "headers" => {
                let headers: Map<String, Value> = v
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(name, h)| {
                        let mut header = json!({ "schema": simple_schema(h) });
                        if let Some(d) = h.get("description") {
                            header["description"] = d.clone();
                        }
                        (name.clone(), header)
                    })
                    .collect();
                out.insert("headers".into(), Value::Object(headers));
            }
            // Examples by media type go with the content of that type (below).
            "examples" => {}
            _ => {
                out.insert(key.clone(), v.clone());
            }
        }
    }
    if let (Some(Value::Object(examples)), Some(Value::Object(content))) =
        (map.get("examples"), out.get_mut("content"))
    {
        for (media_type, example) in examples {
            if let Some(Value::Object(media)) = content.get_mut(media_type) {
                media.insert("example".into(), example.clone());
            }
        }
    }
    if !out.contains_key("description") {
        out.insert("description".into(), json!(""));
    }
    Value::Object(out)
}

fn security_scheme(value: &Value) -> Value {
    match value.get("type").and_then(Value::as_str) {
        Some("basic") => {
            let mut scheme = json!({ "type": "http", "scheme": "basic" });
            if let Some(d) = value.get("description") {
                scheme["description"] = d.clone();
            }
            scheme
        }
        Some("oauth2") => {
            let flow = match value.get("flow").and_then(Value::as_str) {
                Some("accessCode") => "authorizationCode",
                Some("application") => "clientCredentials",
                Some(other) => other,
                None => "implicit",
            };
            let mut details = Map::new();
            for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                if let Some(v) = value.get(key) {
                    details.insert(key.into(), v.clone());
                }
            }
            details.entry("scopes").or_insert(json!({}));
            json!({ "type": "oauth2", "flows": { flow: details } })
        }
        _ => value.clone(),
    }
}

fn path_item(
    doc: &Value,
    item: &Value,
    at: &Pointer,
    media: &Media,
    origins: &mut Origins,
    diags: &mut Diagnostics,
) -> Value {
    let Some(map) = item.as_object() else {
        return item.clone();
    };
    let shared = map.get("parameters");
    let mut out = Map::new();
    for (key, value) in map {
        let method = HttpMethod::ALL.iter().any(|m| m.as_str() == key);
        if method {
            let site = Site {
                item: at.clone(),
                at: at.push(key),
            };
            out.insert(
                key.clone(),
                operation(doc, value, shared, &site, media, origins, diags),
            );
        } else if key != "parameters" {
            out.insert(key.clone(), value.clone());
        }
    }
    // Parameters shared by the operations stay shared (one type for every use); body and form
    // parameters go into each operation's request body instead.
    let mut kept = Vec::new();
    for (i, param) in shared
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let (resolved, resolved_at) =
            resolve_parameter(doc, param, at.push("parameters").push(&i.to_string()));
        if !is_body_or_form(resolved) {
            let index = kept.len().to_string();
            kept.push(translated_parameter(resolved, &resolved_at, diags));
            let new_at = at.push("parameters").push(&index);
            origins.record(new_at.push("schema"), resolved_at.clone());
            origins.record(new_at, resolved_at);
        }
    }
    if !kept.is_empty() {
        out.insert("parameters".into(), Value::Array(kept));
    }
    Value::Object(out)
}

/// A parameter in 3.0 form; one of the global `parameters` stays a reference to it.
fn translated_parameter(param: &Value, at: &Pointer, diags: &mut Diagnostics) -> Value {
    match global_name(at) {
        Some(name) => json!({ "$ref": format!("#/components/parameters/{name}") }),
        None => parameter(param, at, diags),
    }
}

/// Where an operation is: its path item, and itself.
struct Site {
    item: Pointer,
    at: Pointer,
}

/// One operation: body and form parameters become its request body, the others get a
/// `schema`, and responses get content of the media types it produces.
fn operation(
    doc: &Value,
    value: &Value,
    shared: Option<&Value>,
    site: &Site,
    media: &Media,
    origins: &mut Origins,
    diags: &mut Diagnostics,
) -> Value {
    let at = &site.at;
    let Some(map) = value.as_object() else {
        return value.clone();
    };
    let consumes = map
        .get("consumes")
        .map(|v| strings(Some(v)))
        .unwrap_or_else(|| media.consumes.clone());
    let produces = map
        .get("produces")
        .map(|v| strings(Some(v)))
        .unwrap_or_else(|| media.produces.clone());
    let mut parameters = Vec::new();
    let mut body = None;
    let mut form = Vec::new();
    // Of the path item's parameters, only body and form ones (the rest stay on the path item).
    let path_params = shared
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| (p, site.item.push("parameters").push(&i.to_string())))
        .filter(|(p, at)| is_body_or_form(resolve_parameter(doc, p, at.clone()).0));
    let own_params = map
        .get("parameters")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, p)| (p, at.push("parameters").push(&i.to_string())));
    let mut all: Vec<(&Value, Pointer)> = Vec::new();
    for (param, param_at) in path_params.chain(own_params) {
        if let Some(text) = param.get("$ref").and_then(Value::as_str)
            && resolve_parameter(doc, param, param_at.clone()).0 == param
        {
            // Left for lowering to report, where it stands.
            let index = parameters.len();
            parameters.push(json!({ "$ref": reference(text) }));
            origins.record(at.push("parameters").push(&index.to_string()), param_at);
            continue;
        }
        let (param, param_at) = resolve_parameter(doc, param, param_at);
        let key = (param.get("name").cloned(), param.get("in").cloned());
        all.retain(|(p, _)| (p.get("name").cloned(), p.get("in").cloned()) != key);
        all.push((param, param_at));
    }
    for (param, param_at) in all {
        match param.get("in").and_then(Value::as_str) {
            Some("body") => body = Some((param, param_at)),
            Some("formData") => form.push((param, param_at)),
            _ => {
                let index = parameters.len();
                parameters.push(translated_parameter(param, &param_at, diags));
                let new_at = at.push("parameters").push(&index.to_string());
                origins.record(new_at.push("schema"), param_at.clone());
                origins.record(new_at, param_at);
            }
        }
    }
    let mut out = Map::new();
    for (key, v) in map {
        match key.as_str() {
            "parameters" | "consumes" | "produces" => {}
            "responses" => {
                let responses: Map<String, Value> = v
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(status, r)| {
                        let response_at = at.push("responses").push(status);
                        // A shared response is written for the global `produces`; with other
                        // media types of its own, the operation gets a copy for them.
                        let (r, r_at) = match shared_response(doc, r) {
                            Some((target, target_at)) if produces != media.produces => {
                                origins.record(response_at.clone(), target_at.clone());
                                (target, target_at)
                            }
                            _ => (r, response_at.clone()),
                        };
                        record_response(r, &response_at, &r_at, &produces, origins);
                        origins.record(response_at.clone(), r_at);
                        (status.clone(), response(r, &produces))
                    })
                    .collect();
                out.insert(key.clone(), Value::Object(responses));
            }
            _ => {
                out.insert(key.clone(), v.clone());
            }
        }
    }
    if !parameters.is_empty() {
        out.insert("parameters".into(), Value::Array(parameters));
    }
    let body_at = at.push("requestBody");
    if let Some((param, param_at)) = body {
        out.insert("requestBody".into(), body_of(param, &consumes));
        for media_type in media_types(&consumes, "application/json") {
            let schema_at = body_at.push("content").push(&media_type).push("schema");
            origins.record(schema_at, param_at.push("schema"));
        }
        origins.record(body_at, param_at);
    } else if !form.is_empty() {
        out.insert(
            "requestBody".into(),
            form_body(&form, &consumes, &body_at, origins, diags),
        );
        if form
            .iter()
            .any(|(p, _)| p.get("type").and_then(Value::as_str) == Some("file"))
            && !consumes.iter().any(|c| c.starts_with("multipart/"))
        {
            diags.warning(at, "a `file` parameter is sent as `multipart/form-data` though the operation does not list it in `consumes`");
        }
        origins.record(body_at, form[0].1.clone());
    }
    Value::Object(out)
}

/// Records where a response's schema and headers came from: `schema` is now under each media
/// type, and a header's keywords under its `schema`.
fn record_response(
    value: &Value,
    new_at: &Pointer,
    at: &Pointer,
    produces: &[String],
    origins: &mut Origins,
) {
    if value.get("schema").is_some() {
        for media_type in media_types(produces, "application/json") {
            let new = new_at.push("content").push(&media_type).push("schema");
            origins.record(new, at.push("schema"));
        }
    }
    for name in value
        .get("headers")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(n, _)| n)
    {
        let header_at = at.push("headers").push(name);
        origins.record(new_at.push("headers").push(name).push("schema"), header_at);
    }
    for media_type in value
        .get("examples")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(m, _)| m)
    {
        let example_at = new_at.push("content").push(media_type).push("example");
        origins.record(example_at, at.push("examples").push(media_type));
    }
}

/// The global response a response refers to, and where it is.
fn shared_response<'d>(doc: &'d Value, response: &Value) -> Option<(&'d Value, Pointer)> {
    let target = Pointer::from_ref(response.get("$ref")?.as_str()?)?;
    (target.segments().next()? == "responses").then_some(())?;
    Some((target.resolve(doc)?, target))
}

fn is_body_or_form(param: &Value) -> bool {
    matches!(
        param.get("in").and_then(Value::as_str),
        Some("body" | "formData")
    )
}

/// The name of a parameter defined in the global `parameters`, from where it is.
fn global_name(at: &Pointer) -> Option<String> {
    let mut segments = at.segments();
    (segments.next()? == "parameters").then_some(())?;
    let name = segments.next()?;
    segments.next().is_none().then_some(name)
}

/// A parameter given by reference to the global `parameters`: the definition, and where it is.
fn resolve_parameter<'d>(doc: &'d Value, param: &'d Value, at: Pointer) -> (&'d Value, Pointer) {
    let Some(reference_text) = param.get("$ref").and_then(Value::as_str) else {
        return (param, at);
    };
    match Pointer::from_ref(reference_text).and_then(|target| Some((target.resolve(doc)?, target)))
    {
        Some((value, target)) => (value, target),
        None => (param, at),
    }
}

fn parameter(param: &Value, at: &Pointer, diags: &mut Diagnostics) -> Value {
    let mut out = Map::new();
    for key in [
        "name",
        "in",
        "description",
        "required",
        "deprecated",
        "allowEmptyValue",
    ] {
        if let Some(v) = param.get(key) {
            out.insert(key.into(), v.clone());
        }
    }
    for (key, v) in param.as_object().into_iter().flatten() {
        if key.starts_with("x-") && key != "x-nullable" {
            out.insert(key.clone(), v.clone());
        }
    }
    out.insert("schema".into(), simple_schema(param));
    let location = param.get("in").and_then(Value::as_str).unwrap_or("query");
    let format = param
        .get("collectionFormat")
        .and_then(Value::as_str)
        .unwrap_or("csv");
    if param.get("type").and_then(Value::as_str) == Some("array") {
        let (style, explode) = match (format, location) {
            (_, "path" | "header") => {
                if format != "csv" {
                    let message = format!(
                        "`collectionFormat: {format}` in a {location} parameter is sent comma-separated (OpenAPI 3 has no other style there)"
                    );
                    diags.warning(&at.push("collectionFormat"), message);
                }
                ("simple", false)
            }
            ("multi", _) => ("form", true),
            ("pipes", _) => ("pipeDelimited", false),
            ("ssv", _) => ("spaceDelimited", false),
            ("csv", _) => ("form", false),
            (other, _) => {
                let message = format!(
                    "`collectionFormat: {other}` is not supported; the values are sent comma-separated"
                );
                diags.warning(&at.push("collectionFormat"), message);
                ("form", false)
            }
        };
        out.insert("style".into(), json!(style));
        out.insert("explode".into(), json!(explode));
    }
    Value::Object(out)
}

fn media_types(consumes: &[String], default: &str) -> Vec<String> {
    if consumes.is_empty() {
        vec![default.to_owned()]
    } else {
        consumes.to_vec()
    }
}

fn body_of(param: &Value, consumes: &[String]) -> Value {
    let schema = schema_of(param.get("schema").unwrap_or(&json!({})));
    let content: Map<String, Value> = media_types(consumes, "application/json")
        .into_iter()
        .map(|m| (m, json!({ "schema": schema })))
        .collect();
    let mut body = json!({ "content": content, "required": param.get("required").cloned().unwrap_or(json!(false)) });
    if let Some(d) = param.get("description") {
        body["description"] = d.clone();
    }
    body
}

/// `formData` parameters as one object, sent as a form or, with a file, as multipart.
fn form_body(
    form: &[(&Value, Pointer)],
    consumes: &[String],
    body_at: &Pointer,
    origins: &mut Origins,
    diags: &mut Diagnostics,
) -> Value {
    let has_file = form
        .iter()
        .any(|(p, _)| p.get("type").and_then(Value::as_str) == Some("file"));
    let multipart = consumes
        .iter()
        .any(|c| c.starts_with("multipart/form-data"));
    let media_type = if has_file || multipart {
        "multipart/form-data"
    } else {
        "application/x-www-form-urlencoded"
    };
    let schema_at = body_at.push("content").push(media_type).push("schema");
    let mut properties = Map::new();
    let mut required = Vec::new();
    for (param, param_at) in form {
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        origins.record(schema_at.push("properties").push(name), param_at.clone());
        let format = param
            .get("collectionFormat")
            .and_then(Value::as_str)
            .unwrap_or("csv");
        if param.get("type").and_then(Value::as_str) == Some("array") && format != "multi" {
            let message = format!(
                "`collectionFormat: {format}` in a form is not supported; each value is sent as a field of its own (`multi`)"
            );
            diags.warning(&param_at.push("collectionFormat"), message);
        }
        let mut schema = simple_schema(param);
        if let (Some(d), Value::Object(map)) = (param.get("description"), &mut schema) {
            map.insert("description".into(), d.clone());
        }
        properties.insert(name.to_owned(), schema);
        if param.get("required") == Some(&Value::Bool(true)) {
            required.push(json!(name));
        }
    }
    let mut schema = json!({ "type": "object", "properties": properties });
    if !required.is_empty() {
        schema["required"] = Value::Array(required.clone());
    }
    json!({ "required": !required.is_empty(), "content": { media_type: { "schema": schema } } })
}
