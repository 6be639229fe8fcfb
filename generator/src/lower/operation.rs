//! Lowering paths and operations: parameters, request bodies, responses and security.

use indexmap::IndexMap;
use openapiv3::{MediaType, Parameter, ParameterSchemaOrContent, SecurityRequirement};
use serde::Deserialize;
use serde_json::Value;

use super::Lowerer;
use super::schema::{constraints, docs, is_sensitive};
use crate::ir::{
    Body, Constraints, Docs, HttpMethod, NameHint, Operation, Outcome, Param, ParamLocation,
    ParamStyle, Parent, Response, Shape, StatusMatch,
};
use crate::pointer::Pointer;

/// The parts of an operation read directly; parameters, body and responses are read one by one.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct OperationHead {
    operation_id: Option<String>,
    summary: Option<String>,
    description: Option<String>,
    #[serde(default)]
    deprecated: bool,
    security: Option<Vec<SecurityRequirement>>,
}

/// A parameter with the pointer of its definition.
struct ParamAt {
    param: Parameter,
    at: Pointer,
}

impl<'a> Lowerer<'a> {
    pub(crate) fn paths(&mut self) {
        let at = Pointer::root().push("paths");
        let Some(paths) = self.object_at(&at, "map of paths") else {
            return;
        };
        let global_security = self.security_requirements(&Pointer::root().push("security"));
        for (path, item) in paths {
            let item_at = at.push(path);
            if !path.starts_with('/') {
                self.diags.error(&item_at, "a path must start with `/`");
                continue;
            }
            let Some((item, item_target)) = self.resolve(item, &item_at) else {
                continue;
            };
            let Some(item) = self.expect_object(item, &item_target, "path item") else {
                continue;
            };
            let shared =
                self.parameter_list(item.get("parameters"), &item_target.push("parameters"));
            for method in HttpMethod::ALL {
                if let Some(value) = item.get(method.as_str()) {
                    let site = OperationSite {
                        path,
                        method,
                        id: item_at.push(method.as_str()),
                        at: item_target.push(method.as_str()),
                    };
                    self.operation(site, value, &shared, global_security.as_deref());
                }
            }
        }
    }

    fn operation(
        &mut self,
        site: OperationSite<'_>,
        value: &'a Value,
        shared: &[ParamAt],
        global_security: Option<&[Vec<String>]>,
    ) {
        let Some(head) = self.decode::<OperationHead>(value, &site.at, "operation") else {
            return;
        };
        let own = self.parameter_list(value.get("parameters"), &site.at.push("parameters"));
        let params = self.params(&site, shared, own);
        let body = match value.get("requestBody") {
            Some(body) => match self.request_body(body, &site) {
                Some(body) => Some(body),
                None => return,
            },
            None => None,
        };
        let responses = self.responses(value.get("responses"), &site);
        let security = match head.security {
            Some(_) => self
                .security_requirements(&site.at.push("security"))
                .unwrap_or_default(),
            None => global_security.map(<[_]>::to_vec).unwrap_or_default(),
        };
        let operation = Operation {
            operation_id: head.operation_id,
            name: String::new(),
            module: String::new(),
            params_module: String::new(),
            method: site.method,
            path: site.path.to_owned(),
            doc: Docs {
                summary: head.summary,
                description: head.description,
                deprecated: head.deprecated,
            },
            params,
            body,
            responses,
            security,
            params_type: String::new(),
            success: Outcome::Nothing,
            error: Outcome::Nothing,
        };
        self.api.operations.insert(site.id, operation);
    }

    /// Resolves and decodes a `parameters` list.
    fn parameter_list(&mut self, value: Option<&'a Value>, at: &Pointer) -> Vec<ParamAt> {
        let Some(value) = value else {
            return Vec::new();
        };
        let Some(items) = value.as_array() else {
            self.diags.error(at, "expected a list of parameters");
            return Vec::new();
        };
        let mut out = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some((item, target)) = self.resolve(item, &at.push(&i.to_string())) else {
                continue;
            };
            if let Some(param) = self.decode::<Parameter>(item, &target, "parameter") {
                out.push(ParamAt { param, at: target });
            }
        }
        out
    }

    /// Merges path-level and operation-level parameters (the operation's win) and checks the
    /// path template against the path parameters.
    fn params(
        &mut self,
        site: &OperationSite<'_>,
        shared: &[ParamAt],
        own: Vec<ParamAt>,
    ) -> Vec<Param> {
        let mut merged: Vec<&ParamAt> = Vec::new();
        for p in own.iter().chain(shared) {
            let key = (location(&p.param), &p.param.parameter_data_ref().name);
            if !merged
                .iter()
                .any(|m| (location(&m.param), &m.param.parameter_data_ref().name) == key)
            {
                merged.push(p);
            }
        }
        let template = path_template_names(site.path);
        let mut params = Vec::new();
        for p in merged {
            let name = &p.param.parameter_data_ref().name;
            if location(&p.param) == ParamLocation::Path && !template.contains(name) {
                let message =
                    format!("path parameter `{name}` does not appear in the path; ignored");
                self.diags.warning(&p.at, message);
                continue;
            }
            params.push(self.param(p, site));
        }
        for name in template.clone() {
            let declared = params
                .iter()
                .any(|p| p.location == ParamLocation::Path && p.wire == name);
            if !declared {
                let message =
                    format!("path parameter `{name}` is not declared; it is taken as a string");
                self.diags.warning(&site.at, message);
                params.push(undeclared_path_param(name));
            }
        }
        // Path parameters in the order of the template (the order of the method's arguments),
        // the others by location and name.
        let position = |p: &Param| match p.location {
            ParamLocation::Path => template
                .iter()
                .position(|n| *n == p.wire)
                .unwrap_or(usize::MAX),
            _ => 0,
        };
        params.sort_by(|a, b| {
            (a.location, position(a), &a.wire).cmp(&(b.location, position(b), &b.wire))
        });
        params
    }

    fn param(&mut self, p: &ParamAt, site: &OperationSite<'_>) -> Param {
        let data = p.param.parameter_data_ref();
        let hint = match component_name(&p.at, "parameters") {
            Some(component) => NameHint::Component(component),
            None => NameHint::Child {
                parent: Parent::Operation(site.id.clone()),
                suffix: data.name.clone(),
            },
        };
        let mut param = Param {
            wire: data.name.clone(),
            name: String::new(),
            location: location(&p.param),
            required: data.required,
            shape: Shape::String,
            explode: data.explode.unwrap_or(true),
            sensitive: false,
            doc: Docs {
                summary: None,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
            },
            constraints: Constraints::default(),
            style: ParamStyle::Scalar,
        };
        match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                param.shape = self.schema_or_ref(schema, &p.at.push("schema"), hint);
                if let openapiv3::ReferenceOr::Item(schema) = schema {
                    param.sensitive = is_sensitive(schema);
                    param.constraints = constraints(&schema.schema_kind);
                    if param.doc.description.is_none() {
                        param.doc = docs(&schema.schema_data);
                    }
                }
            }
            ParameterSchemaOrContent::Content(_) => {
                let message = "a parameter described by `content` is sent as a plain string";
                self.diags.warning(&p.at.push("content"), message);
            }
        }
        if param.location == ParamLocation::Path {
            param.required = true;
        }
        param
    }

    fn request_body(&mut self, value: &'a Value, site: &OperationSite<'_>) -> Option<Body> {
        let at = site.at.push("requestBody");
        let (value, target) = self.resolve(value, &at)?;
        let body = self.decode::<openapiv3::RequestBody>(value, &target, "request body")?;
        let Some((media_type, media)) = pick_json(&body.content) else {
            let types: Vec<&str> = body.content.keys().map(String::as_str).collect();
            let message = format!(
                "request bodies of type {} are not supported yet; the operation is skipped",
                types.join(", ")
            );
            self.diags.warning(&target.push("content"), message);
            return None;
        };
        let hint = match component_name(&target, "requestBodies") {
            Some(component) => NameHint::Component(component),
            None => NameHint::Child {
                parent: Parent::Operation(site.id.clone()),
                suffix: "request".to_owned(),
            },
        };
        let schema_at = target.push("content").push(media_type).push("schema");
        let shape = match &media.schema {
            Some(schema) => self.schema_or_ref(schema, &schema_at, hint),
            None => Shape::Any,
        };
        Some(Body {
            media_type: media_type.clone(),
            shape,
            required: body.required,
            doc: Docs {
                summary: None,
                description: body.description,
                deprecated: false,
            },
        })
    }

    fn responses(&mut self, value: Option<&'a Value>, site: &OperationSite<'_>) -> Vec<Response> {
        let at = site.at.push("responses");
        let Some(value) = value else {
            self.diags.warning(&at, "no responses declared");
            return Vec::new();
        };
        let Some(map) = self.expect_object(value, &at, "map of responses") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in map {
            if key.starts_with("x-") {
                continue;
            }
            let Some(status) = parse_status(key) else {
                self.diags.warning(
                    &at.push(key),
                    format!("`{key}` is not a status code; ignored"),
                );
                continue;
            };
            if let Some(response) = self.response(status, value, &at.push(key), site) {
                out.push(response);
            }
        }
        out.sort_by_key(|r| r.status);
        out
    }

    fn response(
        &mut self,
        status: StatusMatch,
        value: &'a Value,
        at: &Pointer,
        site: &OperationSite<'_>,
    ) -> Option<Response> {
        let (value, target) = self.resolve(value, at)?;
        let response = self.decode::<openapiv3::Response>(value, &target, "response")?;
        let doc = Docs {
            summary: None,
            description: Some(response.description.clone()).filter(|d| !d.is_empty()),
            deprecated: false,
        };
        let mut out = Response {
            status,
            doc,
            body: None,
            media_type: response.content.keys().next().cloned(),
        };
        let Some((media_type, media)) = pick_json(&response.content) else {
            if let Some(media_type) = &out.media_type {
                let message = format!(
                    "response bodies of type `{media_type}` are not decoded yet; the body is ignored"
                );
                self.diags.warning(&target.push("content"), message);
            }
            return Some(out);
        };
        let hint = match component_name(&target, "responses") {
            Some(component) => NameHint::Component(component),
            None => NameHint::Child {
                parent: Parent::Operation(site.id.clone()),
                suffix: response_suffix(status),
            },
        };
        out.media_type = Some(media_type.clone());
        let schema_at = target.push("content").push(media_type).push("schema");
        out.body = Some(match &media.schema {
            Some(schema) => self.schema_or_ref(schema, &schema_at, hint),
            None => Shape::Any,
        });
        Some(out)
    }

    /// Reads a `security` list into alternatives of scheme names. `None` if there is no list.
    fn security_requirements(&mut self, at: &Pointer) -> Option<Vec<Vec<String>>> {
        let value = at.resolve(self.doc)?;
        let requirements =
            self.decode::<Vec<SecurityRequirement>>(value, at, "security requirement list")?;
        let declared = at_keys(
            self.doc,
            &Pointer::root().push("components").push("securitySchemes"),
        );
        let mut alternatives = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let mut names: Vec<String> = Vec::new();
            let mut usable = true;
            for name in requirement.keys() {
                if !declared.contains(name) {
                    let message = format!(
                        "security scheme `{name}` is not declared in `components.securitySchemes`"
                    );
                    self.diags
                        .error(&at.push(&i.to_string()).push(name), message);
                    usable = false;
                } else if !self.api.security_schemes.contains_key(name) {
                    usable = false;
                }
                names.push(name.clone());
            }
            if usable {
                names.sort();
                alternatives.push(names);
            }
        }
        Some(alternatives)
    }
}

/// Where an operation is: its identity is `paths` key plus method, even when the path item is a
/// `$ref` (then `at` is where its content is).
struct OperationSite<'p> {
    path: &'p str,
    method: HttpMethod,
    id: Pointer,
    at: Pointer,
}

fn location(param: &Parameter) -> ParamLocation {
    match param {
        Parameter::Query { .. } => ParamLocation::Query,
        Parameter::Header { .. } => ParamLocation::Header,
        Parameter::Path { .. } => ParamLocation::Path,
        Parameter::Cookie { .. } => ParamLocation::Cookie,
    }
}

fn undeclared_path_param(name: String) -> Param {
    Param {
        wire: name,
        name: String::new(),
        location: ParamLocation::Path,
        required: true,
        shape: Shape::String,
        explode: false,
        sensitive: false,
        doc: Docs::default(),
        constraints: Constraints::default(),
        style: ParamStyle::Scalar,
    }
}

/// The names of the `{parameters}` in a path template, in order, without duplicates.
pub(crate) fn path_template_names(path: &str) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + close];
        if !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
        rest = &rest[open + close + 1..];
    }
    names
}

/// The JSON media type of a body, if it has one: `application/json`, `*/*+json`, `text/json` or
/// `*/*` (which servers in practice answer with JSON).
fn pick_json(content: &IndexMap<String, MediaType>) -> Option<(&String, &MediaType)> {
    let rank = |media_type: &str| {
        let essence = media_type
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        match essence.as_str() {
            "application/json" => Some(0),
            e if e.ends_with("+json") || e == "text/json" => Some(1),
            "*/*" | "application/*" => Some(2),
            _ => None,
        }
    };
    content
        .iter()
        .filter_map(|(k, v)| rank(k).map(|r| (r, k, v)))
        .min_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)))
        .map(|(_, k, v)| (k, v))
}

fn parse_status(key: &str) -> Option<StatusMatch> {
    if key == "default" {
        return Some(StatusMatch::Default);
    }
    let bytes = key.as_bytes();
    if bytes.len() != 3 || !(b'1'..=b'5').contains(&bytes[0]) {
        return None;
    }
    if key[1..].eq_ignore_ascii_case("xx") {
        return Some(StatusMatch::Range(bytes[0] - b'0'));
    }
    key.parse().ok().map(StatusMatch::Code)
}

fn response_suffix(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) if (200..300).contains(&code) => format!("response {code}"),
        StatusMatch::Code(code) => format!("error {code}"),
        StatusMatch::Range(digit) => format!("response {digit}XX"),
        StatusMatch::Default => "default response".to_owned(),
    }
}

/// The key of a `components.<kind>` entry when `at` is exactly such an entry.
fn component_name(at: &Pointer, kind: &str) -> Option<String> {
    let segments: Vec<String> = at.segments().collect();
    match segments.as_slice() {
        [components, k, name] if components == "components" && k == kind => Some(name.clone()),
        _ => None,
    }
}

/// The keys of the object at `at`, if there is one.
fn at_keys(doc: &Value, at: &Pointer) -> Vec<String> {
    at.resolve(doc)
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}
