//! Lowering: the one place that reads OpenAPI. It walks the parsed document as a JSON value,
//! deserializes it piece by piece into `openapiv3` types (so a bad node costs only itself and every
//! problem is located by its JSON pointer), and builds the IR.

mod compose;
mod constraints;
mod content;
mod decode;
mod headers;
mod keywords;
mod openapi31;
mod openapi32;
mod operation;
mod origins;
mod pagination;
mod repair;
mod schema;
mod swagger2;

use std::collections::BTreeSet;

use rayon::prelude::*;
use serde_json::{Map, Value};

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, Grant, ParamLocation, SchemeKind, SecurityScheme, Server, Shape, TokenFlow};
use crate::pointer::Pointer;

/// The kinds of document lowering reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Version {
    OpenApi30,
    OpenApi31,
    OpenApi32,
    Swagger20,
}

/// Lowers a parsed document into the IR, collecting every problem found on the way. OpenAPI
/// 3.2, 3.1 and Swagger 2.0 documents go through their front ends first (3.2's, then 3.1's); diagnostics always point
/// into the document as the user wrote it. With a `pool`, pieces of the document are lowered on
/// its threads (the result does not depend on it).
pub fn lower(doc: &Value, pool: Option<&rayon::ThreadPool>) -> (Api, Diagnostics) {
    let mut diags = Diagnostics::default();
    match version(doc, &mut diags) {
        Some(Version::OpenApi30) => lower_document(doc, diags, pool),
        Some(Version::OpenApi31) => {
            // The front end's own warnings already point into the file.
            let (normalized, origins) = openapi31::normalize(doc, &mut diags);
            let (api, mut lowered) = lower_document(&normalized, Diagnostics::default(), pool);
            lowered.map(|p| origins.original(p), str::to_owned);
            diags.extend(lowered);
            (api, diags)
        }
        Some(Version::OpenApi32) => {
            let (as_31, from_32) = openapi32::normalize(doc, &mut diags);
            let mut front = Diagnostics::default();
            let (normalized, origins) = openapi31::normalize(&as_31, &mut front);
            front.map(|p| from_32.original(p), str::to_owned);
            diags.extend(front);
            let (api, mut lowered) = lower_document(&normalized, Diagnostics::default(), pool);
            lowered.map(|p| from_32.original(&origins.original(p)), str::to_owned);
            diags.extend(lowered);
            (api, diags)
        }
        Some(Version::Swagger20) => {
            let (translated, origins) = swagger2::translate(doc, &mut diags);
            let (api, mut lowered) = lower_document(&translated, Diagnostics::default(), pool);
            lowered.map(|p| origins.original(p), origins::swagger2_message);
            diags.extend(lowered);
            (api, diags)
        }
        None => (Api::default(), diags),
    }
}

/// How many pieces of the document one task lowers. Fixed, so that the output does not depend
/// on the number of threads.
const PIECES_PER_CHUNK: usize = 32;

/// A piece of the document that lowers on its own: a component schema, the webhooks, or a path
/// item. Pieces share nothing but the document they read (a reference to a component schema
/// is only a reference), so chunks of them are lowered in parallel and merged in order.
enum Piece<'a> {
    Component(&'a str, &'a Value),
    Webhooks,
    Path(&'a str, &'a Value),
}

fn lower_document<'a>(
    doc: &'a Value,
    diags: Diagnostics,
    pool: Option<&rayon::ThreadPool>,
) -> (Api, Diagnostics) {
    let mut lowerer = Lowerer::new(doc, Api::default(), diags);
    lowerer.info();
    lowerer.tags();
    lowerer.servers();
    lowerer.security_schemes();
    let (pieces, security) = lowerer.pieces();
    let schemes = &lowerer.api.security_schemes;
    let lower_chunk = |chunk: &[Piece<'a>]| -> Lowerer<'a> {
        let start = Api {
            security_schemes: schemes.clone(),
            ..Api::default()
        };
        let mut part = Lowerer::new(doc, start, Diagnostics::default());
        for piece in chunk {
            part.piece(piece, security.as_ref());
        }
        part
    };
    let chunks: Vec<&[Piece<'a>]> = pieces.chunks(PIECES_PER_CHUNK).collect();
    let parts: Vec<Lowerer<'a>> = match pool {
        Some(pool) => pool.install(|| chunks.into_par_iter().map(lower_chunk).collect()),
        None => chunks.into_iter().map(lower_chunk).collect(),
    };
    for part in parts {
        lowerer.merge(part);
    }
    lowerer.report_unsupported_patterns();
    lowerer.propagate_nullable_definitions();
    lowerer.unique_examples();
    (lowerer.api, lowerer.diags)
}

/// Which kind of document this is; says clearly what anything else is.
fn version(doc: &Value, diags: &mut Diagnostics) -> Option<Version> {
    const SUPPORTED: &str = "OpenAPI 3.0, 3.1 and 3.2 and Swagger 2.0 are supported";
    let root = Pointer::root();
    let Some(doc) = doc.as_object() else {
        diags.error(
            &root,
            "not an OpenAPI document: the top level is not an object",
        );
        return None;
    };
    if let Some(v) = doc.get("swagger") {
        // `swagger: 2.0` without quotes is a number in YAML.
        if v.as_f64() == Some(2.0) {
            diags.warning(
                &root.push("swagger"),
                "the version should be the string \"2.0\"; read as Swagger 2.0",
            );
            return Some(Version::Swagger20);
        }
        return match v.as_str() {
            Some("2.0") => Some(Version::Swagger20),
            _ => {
                diags.error(
                    &root.push("swagger"),
                    format!("unknown Swagger version {v}; {SUPPORTED}"),
                );
                None
            }
        };
    }
    if let Some(number) = doc.get("openapi").and_then(Value::as_f64) {
        // `openapi: 3.0` without quotes is a number in YAML.
        let version = match number {
            3.0 => Version::OpenApi30,
            3.1 => Version::OpenApi31,
            3.2 => Version::OpenApi32,
            _ => {
                diags.error(
                    &root.push("openapi"),
                    format!("unknown OpenAPI version {number}; {SUPPORTED}"),
                );
                return None;
            }
        };
        diags.warning(&root.push("openapi"), format!("the version should be a string such as \"{number:.1}.0\"; read as OpenAPI {number:.1}"));
        return Some(version);
    }
    match doc.get("openapi").map(|v| (v, v.as_str())) {
        Some((_, Some(v))) if v.starts_with("3.0.") || v == "3.0" => Some(Version::OpenApi30),
        Some((_, Some(v))) if v.starts_with("3.1.") || v == "3.1" => Some(Version::OpenApi31),
        Some((_, Some(v))) if v.starts_with("3.2.") || v == "3.2" => Some(Version::OpenApi32),
        Some((v, _)) => {
            diags.error(
                &root.push("openapi"),
                format!("unknown OpenAPI version {v}; {SUPPORTED}"),
            );
            None
        }
        None if doc.contains_key("swaggerVersion") => {
            let v = &doc["swaggerVersion"];
            diags.error(
                &root.push("swaggerVersion"),
                format!("this is a Swagger {v} resource listing; {SUPPORTED}"),
            );
            None
        }
        None if doc.contains_key("asyncapi") => {
            diags.error(
                &root,
                format!("this is an AsyncAPI document, not OpenAPI; {SUPPORTED}"),
            );
            None
        }
        None if doc.contains_key("$schema") || doc.contains_key("$defs") => {
            diags.error(
                &root,
                format!("this is a JSON Schema, not an OpenAPI document; {SUPPORTED}"),
            );
            None
        }
        None => {
            diags.error(
                &root,
                format!(
                    "not an OpenAPI document: it has no `openapi` or `swagger` field; {SUPPORTED}"
                ),
            );
            None
        }
    }
}

/// The state of one lowering run.
pub(crate) struct Lowerer<'a> {
    pub(crate) doc: &'a Value,
    pub(crate) api: Api,
    pub(crate) diags: Diagnostics,
    /// Schemas outside `components.schemas` reached through `$ref` and being lowered now.
    resolving: BTreeSet<Pointer>,
    /// Schemas whose properties an `allOf` further out is merging now.
    merging: Vec<Pointer>,
    /// Patterns seen so far, and whether the generated client can check each.
    patterns: std::collections::BTreeMap<String, bool>,
    /// The patterns the generated client cannot check, and where each was first met.
    unsupported_patterns: std::collections::BTreeMap<String, Pointer>,
}

impl<'a> Lowerer<'a> {
    fn new(doc: &'a Value, api: Api, diags: Diagnostics) -> Self {
        Lowerer {
            doc,
            api,
            diags,
            resolving: BTreeSet::new(),
            merging: Vec::new(),
            patterns: Default::default(),
            unsupported_patterns: Default::default(),
        }
    }

    /// The pieces to lower, in document order, and the security requirement of the whole API
    /// (read only when there are paths).
    fn pieces(&mut self) -> (Vec<Piece<'a>>, Option<operation::Requirements>) {
        let mut pieces = Vec::new();
        let at = Pointer::root().push("components").push("schemas");
        if let Some(schemas) = self.optional_object_at(&at, "map of schemas") {
            pieces.extend(schemas.iter().map(|(n, v)| Piece::Component(n, v)));
        }
        pieces.push(Piece::Webhooks);
        let mut security = None;
        let paths_at = Pointer::root().push("paths");
        let types_only = paths_at.resolve(self.doc).is_none()
            && ["components", "webhooks"]
                .iter()
                .any(|k| self.doc.get(*k).is_some());
        if types_only {
            // A document of components (or webhooks) alone is valid from OpenAPI 3.1 on.
            self.diags.warning(
                &paths_at,
                "the document has no `paths`: the crate has its types and no operations",
            );
        } else if let Some(paths) = self.object_at(&paths_at, "map of paths") {
            security = self.security_requirements(&Pointer::root().push("security"));
            pieces.extend(paths.iter().map(|(p, v)| Piece::Path(p, v)));
        }
        (pieces, security)
    }

    fn piece(&mut self, piece: &Piece<'a>, security: Option<&operation::Requirements>) {
        match piece {
            Piece::Component(name, value) => {
                let at = Pointer::root()
                    .push("components")
                    .push("schemas")
                    .push(name);
                self.component_schema(name, value, &at);
            }
            Piece::Webhooks => self.webhooks(),
            Piece::Path(path, item) => self.path_item(path, item, security),
        }
    }

    /// Adds what a chunk lowered. A definition outside `components.schemas` that two chunks
    /// both reached is the same in each; the first is kept, as is the first place a pattern
    /// was met.
    fn merge(&mut self, part: Lowerer<'_>) {
        self.diags.extend(part.diags);
        for (pattern, at) in part.unsupported_patterns {
            self.unsupported_patterns.entry(pattern).or_insert(at);
        }
        let part = part.api;
        for (at, def) in part.types {
            self.api.types.entry(at).or_insert(def);
        }
        self.api.operations.extend(part.operations);
        self.api.webhooks.extend(part.webhooks);
        self.api.examples.extend(part.examples);
        self.api.stats.schemas += part.stats.schemas;
        self.api.stats.untyped += part.stats.untyped;
        self.api.stats.operations_skipped += part.stats.operations_skipped;
    }

    /// Keeps the first example of each location: a schema used in several places (a shared
    /// parameter's, say) is lowered at each, but its example needs checking once.
    fn unique_examples(&mut self) {
        let mut seen = BTreeSet::new();
        self.api.examples.retain(|e| seen.insert(e.at.clone()));
    }

    fn info(&mut self) {
        let at = Pointer::root().push("info");
        let Some(info) = self.object_at(&at, "info") else {
            self.api.title = "api".to_owned();
            return;
        };
        match info.get("title").and_then(Value::as_str) {
            Some(title) if !title.trim().is_empty() => self.api.title = title.to_owned(),
            _ => {
                self.diags
                    .warning(&at.push("title"), "no title; the crate is named `api`");
                self.api.title = "api".to_owned();
            }
        }
        self.api.description = info
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_owned);
        self.api.api_version = info
            .get("version")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned();
    }

    /// The top-level `tags`: each one's name, description and (OpenAPI 3.2) `parent`. An entry
    /// without a name is left out with a warning.
    fn tags(&mut self) {
        let at = Pointer::root().push("tags");
        let Some(value) = at.resolve(self.doc) else {
            return;
        };
        let Some(items) = value.as_array() else {
            self.diags.warning(&at, "expected a list of tags; ignored");
            return;
        };
        for (i, item) in items.iter().enumerate() {
            let name = item.get("name").and_then(Value::as_str);
            let Some(name) = name else {
                let message = "a tag without a `name` (a string); ignored";
                self.diags.warning(&at.push(&i.to_string()), message);
                continue;
            };
            let text = |key: &str| item.get(key).and_then(Value::as_str).map(str::to_owned);
            self.api.tags.push(crate::ir::Tag {
                name: name.to_owned(),
                description: text("description"),
                parent: text("parent"),
            });
        }
    }

    fn servers(&mut self) {
        let at = Pointer::root().push("servers");
        let Some(value) = at.resolve(self.doc) else {
            return;
        };
        let mut value = value.clone();
        repair::servers(&mut value, &at, &mut self.diags);
        let Some(servers) = self.decode::<Vec<openapiv3::Server>>(&value, &at, "list of servers")
        else {
            return;
        };
        for server in servers {
            let mut url = server.url.clone();
            for (name, variable) in server.variables.iter().flatten() {
                url = url.replace(&format!("{{{name}}}"), &variable.default);
            }
            self.api.servers.push(Server {
                url,
                description: server.description,
                name: String::new(),
            });
        }
    }

    fn security_schemes(&mut self) {
        let at = Pointer::root().push("components").push("securitySchemes");
        let Some(schemes) = self.optional_object_at(&at, "map of security schemes") else {
            return;
        };
        for (name, value) in schemes {
            let here = at.push(name);
            let Some((value, target)) = self.resolve(value, &here) else {
                continue;
            };
            if value.get("type").and_then(Value::as_str) == Some("mutualTLS") {
                // Valid OpenAPI 3.1; the certificate belongs to the connection, not the request.
                self.diags.warning(
                    &target,
                    "a `mutualTLS` scheme: give the client's certificate to the reqwest client \
                     you pass to the builder's `http_client`; requests send nothing for it",
                );
                continue;
            }
            let Some(scheme) =
                self.decode::<openapiv3::SecurityScheme>(value, &target, "security scheme")
            else {
                continue;
            };
            if let Some(scheme) = self.security_scheme(scheme, &target) {
                self.api.security_schemes.insert(name.clone(), scheme);
            }
        }
    }

    fn security_scheme(
        &mut self,
        scheme: openapiv3::SecurityScheme,
        at: &Pointer,
    ) -> Option<SecurityScheme> {
        use openapiv3::SecurityScheme as S;
        let (kind, description) = match scheme {
            S::HTTP {
                scheme,
                description,
                ..
            } => match scheme.to_ascii_lowercase().as_str() {
                "basic" => (SchemeKind::Basic, description),
                "bearer" => (SchemeKind::Bearer, description),
                other => {
                    let message = format!(
                        "HTTP authentication scheme `{other}` is not supported (basic and bearer are); \
                         operations that require it are sent without its credentials"
                    );
                    self.diags.warning(&at.push("scheme"), message);
                    return None;
                }
            },
            S::APIKey {
                location,
                name,
                description,
                ..
            } => {
                let location = match location {
                    openapiv3::APIKeyLocation::Header => ParamLocation::Header,
                    openapiv3::APIKeyLocation::Query => ParamLocation::Query,
                    openapiv3::APIKeyLocation::Cookie => ParamLocation::Cookie,
                };
                (SchemeKind::ApiKey { location, name }, description)
            }
            S::OAuth2 {
                description, flows, ..
            } => {
                let token_flows = token_flows(&flows, at);
                return Some(SecurityScheme {
                    kind: SchemeKind::Bearer,
                    description,
                    method: String::new(),
                    provider_method: String::new(),
                    token_flows,
                });
            }
            S::OpenIDConnect { description, .. } => (SchemeKind::Bearer, description),
        };
        Some(SecurityScheme {
            kind,
            description,
            method: String::new(),
            provider_method: String::new(),
            token_flows: Vec::new(),
        })
    }

    /// Webhooks (OpenAPI 3.1, or the `x-webhooks` extension of 3.0 documents): requests the
    /// API sends to the user's server. There is nothing to call, but the payloads are types a
    /// receiver decodes: each inline payload schema becomes a type named after its webhook (a
    /// payload given by `$ref` is its component's type). Every payload is recorded, so that
    /// webhook payloads get a Cargo feature of their own.
    fn webhooks(&mut self) {
        let mut at = Pointer::root().push("webhooks");
        if at.resolve(self.doc).is_none() {
            at = Pointer::root().push("x-webhooks");
        }
        let Some(webhooks) = self.optional_object_at(&at, "map of webhooks") else {
            return;
        };
        for (name, item) in webhooks {
            let Some((item, item_at)) = self.resolve(item, &at.push(name)) else {
                continue;
            };
            let Some(item) = self.expect_object(item, &item_at, "path item") else {
                continue;
            };
            for (method, operation) in item {
                let Some(body) = operation.get("requestBody") else {
                    continue;
                };
                let body_at = item_at.push(method).push("requestBody");
                let Some((body, body_at)) = self.resolve(body, &body_at) else {
                    continue;
                };
                let Some(content) = body.get("content").and_then(Value::as_object) else {
                    continue;
                };
                for (media_type, media) in content {
                    let Some(schema) = media.get("schema") else {
                        continue;
                    };
                    let schema_at = body_at.push("content").push(media_type).push("schema");
                    let type_name = match content.len() {
                        1 => format!("{name} payload"),
                        _ => format!("{name} {media_type} payload"),
                    };
                    let hint = crate::ir::NameHint::Component(type_name);
                    let payload = if decode::reference_of(schema).is_some() {
                        self.schema_value(schema, &schema_at, hint)
                    } else {
                        self.definition(schema, &schema_at, hint)
                    };
                    self.api.webhooks.push(payload);
                }
            }
        }
    }

    /// After lowering, a reference to a definition marked `nullable` may be `null` wherever it is
    /// used; the definition itself stays a plain struct or enum.
    fn propagate_nullable_definitions(&mut self) {
        let nullable: BTreeSet<Pointer> = self
            .api
            .types
            .iter()
            .filter(|(_, t)| t.nullable)
            .map(|(p, _)| p.clone())
            .collect();
        if nullable.is_empty() {
            return;
        }
        self.api.visit_shapes_mut(&mut |shape| {
            if let Shape::Ref(target) = shape
                && nullable.contains(target)
            {
                *shape = Shape::Nullable(Box::new(shape.clone()));
            }
        });
    }

    /// The object at `at`, reporting an error if something else is there or nothing is.
    fn object_at(&mut self, at: &Pointer, what: &str) -> Option<&'a Map<String, Value>> {
        match at.resolve(self.doc) {
            Some(value) => self.expect_object(value, at, what),
            None => {
                self.diags.error(at, format!("missing {what}"));
                None
            }
        }
    }

    /// The object at `at`, or `None` without complaint if nothing is there.
    fn optional_object_at(&mut self, at: &Pointer, what: &str) -> Option<&'a Map<String, Value>> {
        let value = at.resolve(self.doc)?;
        self.expect_object(value, at, what)
    }

    fn expect_object(
        &mut self,
        value: &'a Value,
        at: &Pointer,
        what: &str,
    ) -> Option<&'a Map<String, Value>> {
        match value {
            Value::Object(map) => Some(map),
            Value::Null => None,
            _ => {
                self.diags
                    .error(at, format!("expected a {what} (an object)"));
                None
            }
        }
    }
}

/// The grants of a scheme's flows whose tokens the runtime fetches: client credentials from
/// that flow's token URL, and refresh tokens from the refresh (or token) URL of the first flow
/// that issues them (authorization code, then password, then implicit with a refresh URL).
fn token_flows(flows: &openapiv3::OAuth2Flows, at: &Pointer) -> Vec<TokenFlow> {
    let flows_at = at.push("flows");
    let mut out = Vec::new();
    let usable = |url: &str| !url.trim().is_empty();
    if let Some(flow) = &flows.client_credentials
        && usable(&flow.token_url)
    {
        out.push(TokenFlow {
            grant: Grant::ClientCredentials,
            token_url: flow.token_url.trim().to_owned(),
            at: flows_at.push("clientCredentials").to_string(),
            method: String::new(),
        });
    }
    let refresh = [
        flows.authorization_code.as_ref().map(|f| {
            (
                "authorizationCode",
                f.refresh_url.as_deref().unwrap_or(&f.token_url),
            )
        }),
        flows
            .password
            .as_ref()
            .map(|f| ("password", f.refresh_url.as_deref().unwrap_or(&f.token_url))),
        flows
            .implicit
            .as_ref()
            .and_then(|f| Some(("implicit", f.refresh_url.as_deref()?))),
    ];
    if let Some((name, url)) = refresh.into_iter().flatten().find(|(_, url)| usable(url)) {
        out.push(TokenFlow {
            grant: Grant::RefreshToken,
            token_url: url.trim().to_owned(),
            at: flows_at.push(name).to_string(),
            method: String::new(),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::{Value, json};

    use super::{PIECES_PER_CHUNK, lower};

    /// Many component schemas sharing a pattern the client cannot check, and many operations
    /// sharing a response defined outside `components.schemas`, with an example: enough pieces
    /// for several chunks.
    fn spec() -> Value {
        let mut schemas = serde_json::Map::new();
        for i in 0..3 * PIECES_PER_CHUNK {
            let schema = json!({
                "type": "object",
                "properties": {
                    "code": {"type": "string", "pattern": "^(?!x)[a-z]+$"},
                    "next": {"$ref": format!("#/components/schemas/S{:03}", (i + 1) % (3 * PIECES_PER_CHUNK))},
                    "tags": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}
                }
            });
            schemas.insert(format!("S{i:03}"), schema);
        }
        let mut paths = serde_json::Map::new();
        for i in 0..3 * PIECES_PER_CHUNK {
            let operation = json!({"get": {
                "operationId": format!("get{i}"),
                "responses": {"200": {"$ref": "#/components/responses/Shared"}}
            }});
            paths.insert(format!("/items{i}"), operation);
        }
        json!({
            "openapi": "3.0.3",
            "info": {"title": "t", "version": "1"},
            "paths": paths,
            "components": {
                "schemas": schemas,
                "responses": {"Shared": {"description": "ok", "content": {"application/json": {
                    "schema": {"type": "object", "properties": {"id": {"type": "string"}},
                               "example": {"id": "x"}}
                }}}}
            }
        })
    }

    #[test]
    fn lowering_on_a_pool_gives_what_lowering_alone_gives() {
        let doc = spec();
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(3)
            .build()
            .unwrap();
        let (alone, alone_diags) = lower(&doc, None);
        let (pooled, pooled_diags) = lower(&doc, Some(&pool));
        assert_eq!(format!("{alone:?}"), format!("{pooled:?}"));
        let (alone_diags, pooled_diags) = (alone_diags.into_sorted(), pooled_diags.into_sorted());
        assert_eq!(alone_diags, pooled_diags);
        // The pattern is reported once, where it is first met, though every chunk met it.
        let patterns: Vec<String> = pooled_diags.iter().map(|d| d.to_string()).collect();
        assert_eq!(patterns.len(), 1, "{patterns:?}");
        assert!(
            patterns[0].contains("#/components/schemas/S000/properties/code"),
            "{patterns:?}"
        );
        // The shared response's type is defined once, and its example is checked once.
        let shared = "/components/responses/Shared/content/application~1json/schema";
        assert!(pooled.types.keys().any(|at| at.as_str() == shared));
        let examples: Vec<&str> = pooled.examples.iter().map(|e| e.at.as_str()).collect();
        assert_eq!(examples.len(), 1, "{examples:?}");
        assert_eq!(pooled.operations.len(), 3 * PIECES_PER_CHUNK);
    }
}
