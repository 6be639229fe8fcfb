//! The intermediate representation between an OpenAPI document and Rust code: named types and
//! operations, with everything codegen needs decided and nothing about OpenAPI's syntax left.
//!
//! `lower` builds it, the passes in `passes` fill in Rust names and break cycles, and `codegen`
//! reads it. Every type and operation is identified by the JSON pointer of where it is defined,
//! and every collection is ordered, so the same spec always gives the same IR.

mod operation;
mod types;

use std::collections::BTreeMap;

pub use operation::*;
pub use types::*;

use crate::pointer::Pointer;

/// A whole API.
#[derive(Clone, Debug, Default)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.description`.
    pub description: Option<String>,
    /// `info.version`: the API's version, shown in docs only.
    pub api_version: String,
    pub servers: Vec<Server>,
    /// Security schemes by their name in `components.securitySchemes`.
    pub security_schemes: BTreeMap<String, SecurityScheme>,
    /// Named types by the pointer of their definition.
    pub types: BTreeMap<Pointer, TypeDef>,
    /// Operations by the pointer of their definition (`/paths/~1pets/get`).
    pub operations: BTreeMap<Pointer, Operation>,
    /// Example values from the spec (one per location), with the shape they should decode into.
    pub examples: Vec<Example>,
    /// Counts of what was generated and what fell back.
    pub stats: Stats,
    /// Every `pattern` that requests check, sorted (validation pass).
    pub patterns: Vec<String>,
    /// The `recursion_limit` the crate needs when its types nest deeper than rustc's default
    /// allows (nesting pass).
    pub recursion_limit: Option<u32>,
}

/// One `example` of the spec and the shape its schema lowered to.
#[derive(Clone, Debug, PartialEq)]
pub struct Example {
    pub at: Pointer,
    pub shape: Shape,
    pub value: serde_json::Value,
}

/// What lowering and the passes did, for reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Schema nodes lowered. A node is counted each time it is lowered: a shared parameter's
    /// schema once per use, and a definition outside `components.schemas` once per chunk of the
    /// spec that reaches it.
    pub schemas: usize,
    /// Schema nodes that could not be typed and became untyped JSON, counted the same way.
    pub untyped: usize,
    /// Operations left out, each with a warning.
    pub operations_skipped: usize,
}

impl Api {
    /// Calls `f` on every shape of every type and operation, children before their parent, so
    /// that `f` may replace a shape without seeing its replacement.
    pub fn visit_shapes_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        for def in self.types.values_mut() {
            def.kind.visit_shapes_mut(f);
        }
        for op in self.operations.values_mut() {
            op.visit_shapes_mut(f);
        }
        for example in &mut self.examples {
            example.shape.visit_mut(f);
        }
    }

    /// Whether any shape of the API's types and operations, at any depth, satisfies `f`.
    pub fn any_shape(&self, f: impl Fn(&Shape) -> bool) -> bool {
        let mut top: Vec<&Shape> = Vec::new();
        for def in self.types.values() {
            match &def.kind {
                TypeKind::Struct(s) => {
                    top.extend(s.fields.iter().map(|f| &f.shape));
                    top.extend(&s.additional);
                }
                TypeKind::Union(u) => top.extend(u.variants.iter().map(|v| &v.shape)),
                TypeKind::Alias(shape) => top.push(shape),
                TypeKind::Enum(_) => {}
            }
        }
        for op in self.operations.values() {
            top.extend(op.params.iter().map(|p| &p.shape));
            top.extend(op.body.iter().map(|b| &b.shape));
            top.extend(op.headers.iter().map(|h| &h.shape));
            for response in &op.responses {
                if let Some(Content::Json(shape)) = &response.content {
                    top.push(shape);
                }
            }
        }
        top.into_iter().any(|shape| shape.any(&mut |s| f(s)))
    }

    /// Whether a value of `shape` holds a value of a type that implements `Validate`
    /// (validation pass). The items of a tuple are not checked (a tuple does not implement
    /// `Validate`).
    pub fn needs_validation(&self, shape: &Shape) -> bool {
        match shape {
            Shape::Ref(at) => self.types.get(at).is_some_and(|d| d.validated),
            other => other
                .inner()
                .is_some_and(|inner| self.needs_validation(inner)),
        }
    }

    /// The shape with aliases, `Option` and `Box` seen through.
    pub fn resolve_alias<'a>(&'a self, shape: &'a Shape) -> &'a Shape {
        let mut shape = shape;
        // Alias chains are acyclic after the cycles pass; the bound guards against bad input.
        for _ in 0..=self.types.len() {
            match shape {
                Shape::Nullable(inner) | Shape::Boxed(inner) => shape = inner,
                Shape::Ref(target) => match self.types.get(target).map(|d| &d.kind) {
                    Some(TypeKind::Alias(inner)) => shape = inner,
                    _ => return shape,
                },
                _ => return shape,
            }
        }
        shape
    }
}

/// One entry of `servers`, with variables replaced by their defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct Server {
    pub url: String,
    pub description: Option<String>,
    /// The Rust constant name (naming pass).
    pub name: String,
}

/// A security scheme from `components.securitySchemes`.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityScheme {
    pub kind: SchemeKind,
    pub description: Option<String>,
    /// The Rust name of the client builder method that sets its credential (naming pass).
    pub method: String,
}

/// What kind of credential a security scheme takes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SchemeKind {
    /// HTTP Basic: user name and password.
    Basic,
    /// A bearer token: HTTP Bearer, OAuth 2 or OpenID Connect access tokens.
    Bearer,
    /// An API key in a header, query parameter or cookie.
    ApiKey {
        location: ParamLocation,
        name: String,
    },
}

/// Documentation taken from the spec. All of it is untrusted text: it only ever becomes doc
/// comments, with code blocks neutralised.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
}
