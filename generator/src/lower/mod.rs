//! Lowering: the one place that reads OpenAPI. It walks the parsed document as a JSON value,
//! deserializes it piece by piece into `openapiv3` types (so a bad node costs only itself and every
//! problem is located by its JSON pointer), and builds the IR.

mod compose;
mod constraints;
mod content;
mod decode;
mod headers;
mod operation;
mod paging;
mod schema;

pub(crate) use operation::path_template_names;

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::diagnostics::Diagnostics;
use crate::ir::{Api, ParamLocation, SchemeKind, SecurityScheme, Server, Shape};
use crate::pointer::Pointer;

/// Lowers a parsed document into the IR, collecting every problem found on the way.
pub fn lower(doc: &Value) -> (Api, Diagnostics) {
    let mut lowerer = Lowerer {
        doc,
        api: Api::default(),
        diags: Diagnostics::default(),
        resolving: BTreeSet::new(),
        patterns: Default::default(),
    };
    if lowerer.check_version() {
        lowerer.info();
        lowerer.servers();
        lowerer.security_schemes();
        lowerer.component_schemas();
        lowerer.paths();
        lowerer.propagate_nullable_definitions();
    }
    (lowerer.api, lowerer.diags)
}

/// The state of one lowering run.
pub(crate) struct Lowerer<'a> {
    pub(crate) doc: &'a Value,
    pub(crate) api: Api,
    pub(crate) diags: Diagnostics,
    /// Schemas outside `components.schemas` reached through `$ref` and being lowered now.
    resolving: BTreeSet<Pointer>,
    /// Patterns seen so far, and whether the generated client can check each.
    patterns: std::collections::BTreeMap<String, bool>,
}

impl<'a> Lowerer<'a> {
    /// Accepts OpenAPI 3.0.x; says clearly what anything else is.
    fn check_version(&mut self) -> bool {
        let root = Pointer::root();
        let Some(doc) = self.doc.as_object() else {
            self.diags.error(
                &root,
                "not an OpenAPI document: the top level is not an object",
            );
            return false;
        };
        if let Some(v) = doc.get("swagger") {
            let version = v.as_str().unwrap_or("?");
            self.diags.error(
                &root.push("swagger"),
                format!("Swagger {version} is not supported yet; OpenAPI 3.0.x is"),
            );
            return false;
        }
        match doc.get("openapi").map(|v| (v, v.as_str())) {
            Some((_, Some(v))) if v.starts_with("3.0.") || v == "3.0" => true,
            Some((_, Some(v))) if v.starts_with("3.1") => {
                let message = format!("OpenAPI {v} is not supported yet; OpenAPI 3.0.x is");
                self.diags.error(&root.push("openapi"), message);
                false
            }
            Some((v, _)) => {
                let message = format!("unknown OpenAPI version {v}; OpenAPI 3.0.x is supported");
                self.diags.error(&root.push("openapi"), message);
                false
            }
            None => {
                self.diags.error(
                    &root,
                    "not an OpenAPI document: it has no `openapi` field (OpenAPI 3.0.x is supported)",
                );
                false
            }
        }
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

    fn servers(&mut self) {
        let at = Pointer::root().push("servers");
        let Some(value) = at.resolve(self.doc) else {
            return;
        };
        let Some(servers) = self.decode::<Vec<openapiv3::Server>>(value, &at, "list of servers")
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
            S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                (SchemeKind::Bearer, description)
            }
        };
        Some(SecurityScheme {
            kind,
            description,
            method: String::new(),
        })
    }

    /// Every schema under `components.schemas` becomes a named type, used or not.
    fn component_schemas(&mut self) {
        let at = Pointer::root().push("components").push("schemas");
        let Some(schemas) = self.optional_object_at(&at, "map of schemas") else {
            return;
        };
        for (name, value) in schemas {
            self.component_schema(name, value, &at.push(name));
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
