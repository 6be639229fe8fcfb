//! Lowering paths and operations: parameters, request bodies, responses and security.

use std::collections::BTreeMap;

use openapiv3::{Parameter, ParameterSchemaOrContent, SecurityRequirement};
use serde::Deserialize;
use serde_json::Value;

use super::schema::{docs, is_sensitive};
use super::{Lowerer, repair};
use crate::ir::{
    Constraints, Docs, HttpMethod, NameHint, Operation, Outcome, Param, ParamLocation, ParamStyle,
    Parent, Shape,
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

/// A parameter, its JSON, and the pointer of its definition.
struct ParamAt<'a> {
    param: Parameter,
    raw: &'a Value,
    at: Pointer,
}

impl<'a> Lowerer<'a> {
    /// Lowers the operations of one entry of `paths`; `security` is the API's own requirement,
    /// for operations that set none.
    pub(crate) fn path_item(
        &mut self,
        path: &'a str,
        item: &'a Value,
        security: Option<&Requirements>,
    ) {
        let item_at = Pointer::root().push("paths").push(path);
        if !path.starts_with('/') {
            self.diags.error(&item_at, "a path must start with `/`");
            return;
        }
        let Some((item, item_target)) = self.resolve(item, &item_at) else {
            return;
        };
        let Some(item) = self.expect_object(item, &item_target, "path item") else {
            return;
        };
        let shared = self.parameter_list(item.get("parameters"), &item_target.push("parameters"));
        for method in HttpMethod::ALL {
            if let Some(value) = item.get(method.as_str()) {
                let site = OperationSite {
                    path,
                    method,
                    id: item_at.push(method.as_str()),
                    at: item_target.push(method.as_str()),
                };
                self.operation(site, value, &shared, security);
            }
        }
    }

    fn operation(
        &mut self,
        site: OperationSite<'_>,
        value: &'a Value,
        shared: &[ParamAt<'a>],
        global_security: Option<&Requirements>,
    ) {
        let Some(head) = self.decode::<OperationHead>(value, &site.at, "operation") else {
            return;
        };
        let own = self.parameter_list(value.get("parameters"), &site.at.push("parameters"));
        let params = self.params(&site, shared, own);
        let body = match value.get("requestBody") {
            Some(body) => match self.request_body(body, &site) {
                Some(body) => body,
                None => return,
            },
            None => None,
        };
        let responses = self.responses(value.get("responses"), &site);
        let headers = self.response_headers(value.get("responses"), &site);
        let security = match head.security {
            Some(_) => self
                .security_requirements(&site.at.push("security"))
                .unwrap_or_default(),
            None => global_security.cloned().unwrap_or_default(),
        };
        let operation = Operation {
            operation_id: head.operation_id,
            rename: None,
            name: String::new(),
            method_name: String::new(),
            tags: self.operation_tags(value, &site.at),
            group: 0,
            handle_path: String::new(),
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
            security: security.alternatives,
            scopes: security.scopes,
            params_type: String::new(),
            success: Outcome::Nothing,
            error: Outcome::Nothing,
            idempotent: self.idempotent(value, &site.at),
            headers,
            headers_type: String::new(),
            headers_module: String::new(),
            pagination_hint: self.pagination_hint(value, &site.at),
            pagination: None,
            stream: None,
        };
        self.api.operations.insert(site.id, operation);
    }

    /// An operation's `tags`: a tag that is not a string is left out, with a warning (the
    /// operation is then grouped by its other tags, or by its path).
    fn operation_tags(&mut self, operation: &Value, at: &Pointer) -> Vec<String> {
        let Some(value) = operation.get("tags") else {
            return Vec::new();
        };
        let at = at.push("tags");
        let Some(items) = value.as_array() else {
            if !value.is_null() {
                self.diags
                    .warning(&at, "expected a list of tag names; ignored");
            }
            return Vec::new();
        };
        let mut tags = Vec::new();
        for (i, item) in items.iter().enumerate() {
            match item.as_str() {
                Some(tag) => tags.push(tag.to_owned()),
                None => self.diags.warning(
                    &at.push(&i.to_string()),
                    "expected a tag name (a string); ignored",
                ),
            }
        }
        tags
    }

    /// The `x-idempotent` extension: `true` lets the client retry an operation whose method
    /// alone is not safe to repeat, `false` stops it retrying one that is.
    fn idempotent(&mut self, operation: &Value, at: &Pointer) -> Option<bool> {
        let value = operation.get("x-idempotent")?;
        let flag = value.as_bool();
        if flag.is_none() {
            self.diags.warning(
                &at.push("x-idempotent"),
                "expected `true` or `false`; ignored",
            );
        }
        flag
    }

    /// Resolves and decodes a `parameters` list. Schemas are lowered from the raw JSON later, so
    /// a bad schema costs only itself.
    fn parameter_list(&mut self, value: Option<&'a Value>, at: &Pointer) -> Vec<ParamAt<'a>> {
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
            let mut plain = without_schemas(item);
            repair::parameter(&mut plain, &target, &mut self.diags);
            if let Some(param) = self.decode::<Parameter>(&plain, &target, "parameter") {
                out.push(ParamAt {
                    param,
                    raw: item,
                    at: target,
                });
            }
        }
        out
    }

    /// Merges path-level and operation-level parameters (the operation's win) and checks the
    /// path template against the path parameters.
    fn params(
        &mut self,
        site: &OperationSite<'_>,
        shared: &[ParamAt<'a>],
        own: Vec<ParamAt<'a>>,
    ) -> Vec<Param> {
        let mut merged: Vec<&ParamAt<'a>> = Vec::new();
        for p in own.iter().chain(shared) {
            let key = (location(&p.param), &p.param.parameter_data_ref().name);
            if !merged
                .iter()
                .any(|m| (location(&m.param), &m.param.parameter_data_ref().name) == key)
            {
                merged.push(p);
            }
        }
        let template = crate::ir::path_template_names(site.path);
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

    fn param(&mut self, p: &ParamAt<'a>, site: &OperationSite<'_>) -> Param {
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
            style: style(&p.param),
            sensitive: false,
            doc: Docs {
                summary: None,
                description: data.description.clone(),
                deprecated: data.deprecated.unwrap_or(false),
            },
            constraints: Constraints::default(),
            checks: Constraints::default(),
        };
        match &data.format {
            ParameterSchemaOrContent::Schema(_) => {
                let schema = p.raw.get("schema").unwrap_or(&Value::Null);
                param.shape = self.schema_value(schema, &p.at.push("schema"), hint);
                param.constraints = self.constraints(schema, &p.at.push("schema"));
                if let Some(decoded) = super::decode::shallow_schema(schema) {
                    param.sensitive = is_sensitive(&decoded);
                    if param.doc.description.is_none() {
                        param.doc = docs(&decoded.schema_data);
                    }
                }
            }
            ParameterSchemaOrContent::Content(content) => {
                // A value sent as a document of the given media type: JSON text.
                param.style = ParamStyle::Json;
                if let Some(media_type) = content.keys().next() {
                    let at = p.at.push("content").push(media_type).push("schema");
                    let schema = at.resolve(self.doc).unwrap_or(&Value::Null);
                    param.shape = self.schema_value(schema, &at, hint);
                }
            }
        }
        if param.location == ParamLocation::Path {
            param.required = true;
        }
        param
    }

    /// Reads a `security` list into alternatives of scheme names, and the scopes each scheme is
    /// asked for. `None` if there is no list.
    pub(crate) fn security_requirements(&mut self, at: &Pointer) -> Option<Requirements> {
        let value = at.resolve(self.doc)?;
        let requirements =
            self.decode::<Vec<SecurityRequirement>>(value, at, "security requirement list")?;
        let declared = at_keys(
            self.doc,
            &Pointer::root().push("components").push("securitySchemes"),
        );
        let mut alternatives = Vec::new();
        let mut scopes: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let mut names: Vec<String> = Vec::new();
            let mut usable = true;
            for name in requirement.keys() {
                if !declared.contains(name) {
                    let message = format!(
                        "security scheme `{name}` is not declared in `components.securitySchemes`; \
                         requests are sent without it"
                    );
                    self.diags
                        .warning(&at.push(&i.to_string()).push(name), message);
                    usable = false;
                } else if !self.api.security_schemes.contains_key(name) {
                    usable = false;
                }
                names.push(name.clone());
            }
            if usable {
                names.sort();
                alternatives.push(names);
                for (name, asked) in requirement.iter().filter(|(_, asked)| !asked.is_empty()) {
                    let listed = scopes.entry(name.clone()).or_default();
                    listed.extend(asked.iter().cloned());
                    listed.sort();
                    listed.dedup();
                }
            }
        }
        Some(Requirements {
            alternatives,
            scopes,
        })
    }
}

/// A `security` list, read.
#[derive(Clone, Debug, Default)]
pub(crate) struct Requirements {
    /// Alternatives, each the scheme names that must all be satisfied.
    pub(crate) alternatives: Vec<Vec<String>>,
    /// The OAuth 2 scopes (or roles) asked for, by scheme, over all alternatives.
    pub(crate) scopes: BTreeMap<String, Vec<String>>,
}

/// Where an operation is: its identity is `paths` key plus method, even when the path item is a
/// `$ref` (then `at` is where its content is).
pub(crate) struct OperationSite<'p> {
    pub(crate) path: &'p str,
    pub(crate) method: HttpMethod,
    pub(crate) id: Pointer,
    pub(crate) at: Pointer,
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
        style: ParamStyle::Simple { explode: false },
        sensitive: false,
        doc: Docs::default(),
        constraints: Constraints::default(),
        checks: Constraints::default(),
    }
}

/// The parameter's `style` and `explode`, with OpenAPI's defaults (`form` and exploded in the
/// query and cookies, `simple` and not exploded in the path and headers).
fn style(param: &Parameter) -> ParamStyle {
    use openapiv3::{PathStyle, QueryStyle};
    let explode = param.parameter_data_ref().explode;
    match param {
        Parameter::Query { style, .. } => match style {
            QueryStyle::Form => ParamStyle::Form {
                explode: explode.unwrap_or(true),
            },
            QueryStyle::SpaceDelimited => ParamStyle::SpaceDelimited,
            QueryStyle::PipeDelimited => ParamStyle::PipeDelimited,
            QueryStyle::DeepObject => ParamStyle::DeepObject,
        },
        Parameter::Cookie { .. } => ParamStyle::Form {
            explode: explode.unwrap_or(true),
        },
        Parameter::Path {
            style: PathStyle::Simple,
            ..
        }
        | Parameter::Header { .. } => ParamStyle::Simple {
            explode: explode.unwrap_or(false),
        },
        // Label and matrix styles are rare; they are written like `simple`.
        Parameter::Path { .. } => ParamStyle::Simple {
            explode: explode.unwrap_or(false),
        },
    }
}

/// A copy of a parameter, body or response with every schema replaced by `{}`: it is decoded for
/// its other parts, and the schemas are lowered from the original JSON.
pub(crate) fn without_schemas(value: &Value) -> Value {
    let mut copy = value.clone();
    if let Some(object) = copy.as_object_mut() {
        if object.contains_key("schema") {
            object.insert("schema".to_owned(), Value::Object(Default::default()));
        }
        for key in ["content", "headers"] {
            if let Some(Value::Object(entries)) = object.get_mut(key) {
                for entry in entries.values_mut() {
                    if let Some(entry) = entry.as_object_mut().filter(|e| e.contains_key("schema"))
                    {
                        entry.insert("schema".to_owned(), Value::Object(Default::default()));
                    }
                }
            }
        }
    }
    copy
}

/// The key of a `components.<kind>` entry when `at` is exactly such an entry.
pub(crate) fn component_name(at: &Pointer, kind: &str) -> Option<String> {
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
