//! The document level of the fuzzing model: info, servers, paths with operations, parameters,
//! bodies, responses and security, around the schemas of `model.rs`.

use arbitrary::Arbitrary;
use serde_json::{Value, json};

use crate::model::{Json, Name, Schema, Text, escape, object};

#[derive(Arbitrary, Debug)]
pub struct Document {
    title: Text,
    version: Option<Text>,
    description: Option<Text>,
    servers: Vec<Server>,
    schemas: Vec<(Name, Schema)>,
    paths: Vec<Path>,
    security_schemes: Vec<(Name, SecurityScheme)>,
    security: Vec<u8>,
    yaml: bool,
    /// Read as OpenAPI 3.1 (through its front end) instead of 3.0.
    openapi31: bool,
}

#[derive(Arbitrary, Debug)]
struct Server {
    url: Text,
    variables: Vec<(Name, Text)>,
}

#[derive(Arbitrary, Debug)]
struct Path {
    segments: Vec<Segment>,
    operations: Vec<Operation>,
    shared_parameters: Vec<Parameter>,
}

#[derive(Arbitrary, Debug)]
enum Segment {
    Literal(Name),
    Parameter(Name),
}

#[derive(Arbitrary, Debug)]
enum Method {
    Get,
    Put,
    Post,
    Delete,
    Patch,
    Head,
    Options,
    Trace,
}

#[derive(Arbitrary, Debug)]
struct Operation {
    method: Method,
    operation_id: Option<Name>,
    summary: Option<Text>,
    tags: Vec<Name>,
    parameters: Vec<Parameter>,
    body: Option<Body>,
    responses: Vec<Response>,
    deprecated: bool,
    security: Option<Vec<u8>>,
    extension: Option<Extension>,
}

#[derive(Arbitrary, Debug)]
enum Extension {
    Idempotent(Json),
    Dropshot(Json),
    Cursor {
        param: Name,
        next: Text,
        items: Text,
    },
    Raw(Name, Json),
}

#[derive(Arbitrary, Debug)]
struct Parameter {
    name: Name,
    location: Location,
    required: bool,
    schema: Option<Schema>,
    style: Option<Style>,
    explode: Option<bool>,
    example: Option<Json>,
}

#[derive(Arbitrary, Debug)]
enum Location {
    Path,
    Query,
    Header,
    Cookie,
    Other(Text),
}

#[derive(Arbitrary, Debug)]
enum Style {
    Form,
    Simple,
    DeepObject,
    PipeDelimited,
    SpaceDelimited,
    Label,
    Matrix,
}

#[derive(Arbitrary, Debug)]
struct Body {
    media: Vec<(Media, Schema)>,
    required: bool,
}

#[derive(Arbitrary, Debug)]
enum Media {
    Json,
    Form,
    Multipart,
    Text,
    Binary,
    Any,
    Raw(Text),
}

#[derive(Arbitrary, Debug)]
struct Response {
    status: Status,
    description: Option<Text>,
    media: Vec<(Media, Schema)>,
    headers: Vec<(Name, Schema)>,
}

#[derive(Arbitrary, Debug)]
enum Status {
    Ok,
    Created,
    NoContent,
    Found,
    BadRequest,
    NotFound,
    Default,
    Range(u8),
    Raw(u16),
}

#[derive(Arbitrary, Debug)]
enum SecurityScheme {
    Basic,
    Bearer(Option<Text>),
    ApiKey(Location, Name),
    OAuth2,
    Raw(Json),
}

impl Document {
    /// The document as a file: its name (which says JSON or YAML) and its bytes.
    pub fn to_file(&self) -> (String, Vec<u8>) {
        let value = self.value();
        if self.yaml {
            let text = serde_yaml::to_string(&value).unwrap_or_default();
            ("spec.yaml".to_owned(), text.into_bytes())
        } else {
            let text = serde_json::to_vec(&value).unwrap_or_default();
            ("spec.json".to_owned(), text)
        }
    }

    fn value(&self) -> Value {
        let names: Vec<String> = self.schemas.iter().map(|(n, _)| n.text()).collect();
        let schemes: Vec<String> = self
            .security_schemes
            .iter()
            .map(|(n, _)| n.text())
            .collect();
        let info = object([
            ("title".into(), json!(self.title.text())),
            (
                "version".into(),
                json!(self.version.as_ref().map_or("1".to_owned(), Text::text)),
            ),
            (
                "description".into(),
                self.description
                    .as_ref()
                    .map_or(Value::Null, |t| json!(t.text())),
            ),
        ]);
        let paths = object(
            self.paths
                .iter()
                .map(|p| (p.template(), p.value(&names, &schemes))),
        );
        let components = object([
            (
                "schemas".into(),
                object(
                    self.schemas
                        .iter()
                        .map(|(n, s)| (n.text(), s.value(&names))),
                ),
            ),
            (
                "securitySchemes".into(),
                object(
                    self.security_schemes
                        .iter()
                        .map(|(n, s)| (n.text(), s.value())),
                ),
            ),
        ]);
        object([
            (
                "openapi".into(),
                json!(if self.openapi31 { "3.1.0" } else { "3.0.3" }),
            ),
            ("info".into(), info),
            (
                "servers".into(),
                Value::Array(self.servers.iter().map(Server::value).collect()),
            ),
            ("paths".into(), paths),
            ("components".into(), components),
            ("security".into(), requirements(&self.security, &schemes)),
        ])
    }
}

impl Server {
    fn value(&self) -> Value {
        let variables = object(
            self.variables
                .iter()
                .map(|(n, t)| (n.text(), json!({ "default": t.text() }))),
        );
        json!({ "url": self.url.text(), "variables": variables })
    }
}

impl Path {
    fn template(&self) -> String {
        let mut template = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Literal(n) => template.push_str(&format!("/{}", n.text())),
                Segment::Parameter(n) => template.push_str(&format!("/{{{}}}", n.text())),
            }
        }
        if template.is_empty() {
            template.push('/');
        }
        template
    }

    fn value(&self, names: &[String], schemes: &[String]) -> Value {
        let mut item = serde_json::Map::new();
        for operation in &self.operations {
            item.insert(
                operation.method.key().to_owned(),
                operation.value(names, schemes),
            );
        }
        if !self.shared_parameters.is_empty() {
            let parameters = self.shared_parameters.iter().map(|p| p.value(names));
            item.insert("parameters".into(), Value::Array(parameters.collect()));
        }
        Value::Object(item)
    }
}

impl Method {
    fn key(&self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Patch => "patch",
            Method::Head => "head",
            Method::Options => "options",
            Method::Trace => "trace",
        }
    }
}

impl Operation {
    fn value(&self, names: &[String], schemes: &[String]) -> Value {
        let responses = object(
            self.responses
                .iter()
                .map(|r| (r.status.key(), r.value(names))),
        );
        let mut value = object([
            (
                "operationId".into(),
                self.operation_id
                    .as_ref()
                    .map_or(Value::Null, |n| json!(n.text())),
            ),
            (
                "summary".into(),
                self.summary
                    .as_ref()
                    .map_or(Value::Null, |t| json!(t.text())),
            ),
            (
                "tags".into(),
                Value::Array(self.tags.iter().map(|t| json!(t.text())).collect()),
            ),
            (
                "parameters".into(),
                Value::Array(self.parameters.iter().map(|p| p.value(names)).collect()),
            ),
            (
                "requestBody".into(),
                self.body.as_ref().map_or(Value::Null, |b| b.value(names)),
            ),
            ("responses".into(), responses),
            (
                "deprecated".into(),
                if self.deprecated {
                    json!(true)
                } else {
                    Value::Null
                },
            ),
            (
                "security".into(),
                self.security
                    .as_ref()
                    .map_or(Value::Null, |s| requirements(s, schemes)),
            ),
        ]);
        if let (Some(extension), Value::Object(map)) = (&self.extension, &mut value) {
            let (key, ext) = extension.entry();
            map.insert(key, ext);
        }
        value
    }
}

impl Extension {
    fn entry(&self) -> (String, Value) {
        match self {
            Extension::Idempotent(v) => ("x-idempotent".into(), v.value()),
            Extension::Dropshot(v) => ("x-dropshot-pagination".into(), v.value()),
            Extension::Cursor { param, next, items } => (
                "x-sdkgen-pagination".into(),
                json!({ "cursor-param": param.text(), "next-cursor": next.text(), "items": items.text() }),
            ),
            Extension::Raw(name, v) => (format!("x-{}", name.text()), v.value()),
        }
    }
}

impl Parameter {
    fn value(&self, names: &[String]) -> Value {
        object([
            ("name".into(), json!(self.name.text())),
            ("in".into(), json!(self.location.key())),
            ("required".into(), json!(self.required)),
            (
                "schema".into(),
                self.schema.as_ref().map_or(Value::Null, |s| s.value(names)),
            ),
            (
                "style".into(),
                self.style.as_ref().map_or(Value::Null, |s| json!(s.key())),
            ),
            (
                "explode".into(),
                self.explode.map_or(Value::Null, Value::Bool),
            ),
            (
                "example".into(),
                self.example.as_ref().map_or(Value::Null, Json::value),
            ),
        ])
    }
}

impl Location {
    fn key(&self) -> String {
        match self {
            Location::Path => "path".into(),
            Location::Query => "query".into(),
            Location::Header => "header".into(),
            Location::Cookie => "cookie".into(),
            Location::Other(t) => t.text(),
        }
    }
}

impl Style {
    fn key(&self) -> &'static str {
        match self {
            Style::Form => "form",
            Style::Simple => "simple",
            Style::DeepObject => "deepObject",
            Style::PipeDelimited => "pipeDelimited",
            Style::SpaceDelimited => "spaceDelimited",
            Style::Label => "label",
            Style::Matrix => "matrix",
        }
    }
}

impl Body {
    fn value(&self, names: &[String]) -> Value {
        json!({ "required": self.required, "content": content(&self.media, names) })
    }
}

impl Media {
    fn key(&self) -> String {
        match self {
            Media::Json => "application/json".into(),
            Media::Form => "application/x-www-form-urlencoded".into(),
            Media::Multipart => "multipart/form-data".into(),
            Media::Text => "text/plain".into(),
            Media::Binary => "application/octet-stream".into(),
            Media::Any => "*/*".into(),
            Media::Raw(t) => t.text(),
        }
    }
}

fn content(media: &[(Media, Schema)], names: &[String]) -> Value {
    object(
        media
            .iter()
            .map(|(m, s)| (m.key(), json!({ "schema": s.value(names) }))),
    )
}

impl Response {
    fn value(&self, names: &[String]) -> Value {
        let headers = object(
            self.headers
                .iter()
                .map(|(n, s)| (n.text(), json!({ "schema": s.value(names) }))),
        );
        object([
            (
                "description".into(),
                json!(
                    self.description
                        .as_ref()
                        .map_or("ok".to_owned(), Text::text)
                ),
            ),
            ("content".into(), content(&self.media, names)),
            ("headers".into(), headers),
        ])
    }
}

impl Status {
    fn key(&self) -> String {
        match self {
            Status::Ok => "200".into(),
            Status::Created => "201".into(),
            Status::NoContent => "204".into(),
            Status::Found => "302".into(),
            Status::BadRequest => "400".into(),
            Status::NotFound => "404".into(),
            Status::Default => "default".into(),
            Status::Range(n) => format!("{}XX", n % 6),
            Status::Raw(n) => n.to_string(),
        }
    }
}

impl SecurityScheme {
    fn value(&self) -> Value {
        match self {
            SecurityScheme::Basic => json!({ "type": "http", "scheme": "basic" }),
            SecurityScheme::Bearer(format) => object([
                ("type".into(), json!("http")),
                ("scheme".into(), json!("bearer")),
                (
                    "bearerFormat".into(),
                    format.as_ref().map_or(Value::Null, |t| json!(t.text())),
                ),
            ]),
            SecurityScheme::ApiKey(location, name) => {
                json!({ "type": "apiKey", "in": location.key(), "name": name.text() })
            }
            SecurityScheme::OAuth2 => json!({
                "type": "oauth2",
                "flows": { "clientCredentials": { "tokenUrl": "https://example.com/token", "scopes": {} } }
            }),
            SecurityScheme::Raw(json) => json.value(),
        }
    }
}

/// Security requirements naming schemes by index (past the end: a scheme that does not exist).
fn requirements(indices: &[u8], schemes: &[String]) -> Value {
    Value::Array(
        indices
            .iter()
            .map(|i| {
                let name = schemes
                    .get(usize::from(*i))
                    .cloned()
                    .unwrap_or_else(|| escape("undeclared"));
                json!({ name: [] })
            })
            .collect(),
    )
}
