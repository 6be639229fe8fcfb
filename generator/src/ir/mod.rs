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

/// The Cargo feature of a generated crate that gives every type both serde traits. Without it,
/// a type implements `Serialize` only if requests carry it and `Deserialize` only if responses
/// do (directions pass).
pub const FULL_SERDE: &str = "full-serde";
/// The Cargo feature that compiles the payloads of the spec's webhooks.
pub const WEBHOOKS: &str = "webhooks";
/// The Cargo feature that compiles the schemas no operation and no webhook uses.
pub const UNUSED: &str = "unused-schemas";
/// The Cargo features that choose the TLS stack of the default HTTP client, each with what it
/// enables, the default first. `rustls` (with aws-lc-rs) and `native-tls` give reqwest a
/// complete TLS setup (its own crypto provider), so a host crate whose reqwest is unified with
/// the generated crate's keeps working. `rustls-ring` gives reqwest rustls without a provider
/// (`rustls-no-provider`) and the runtime hands its own client a ring configuration; only a
/// host reqwest client built with no TLS feature of its own would then need a provider
/// installed process-wide (the README's TLS section says so).
pub const TLS_FEATURES: [(&str, &[&str]); 3] = [
    ("rustls", &["reqwest/rustls"]),
    ("native-tls", &["reqwest/native-tls"]),
    (
        "rustls-ring",
        &[
            "reqwest/rustls-no-provider",
            "dep:rustls",
            "dep:rustls-platform-verifier",
        ],
    ),
];

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
    /// The tags the document declares at its top level, in its order.
    pub tags: Vec<Tag>,
    /// The groups operations are sorted into (groups pass), parents before their children.
    pub groups: Vec<Group>,
    /// The payloads of the spec's webhooks (`webhooks`, or `x-webhooks` in OpenAPI 3.0).
    pub webhooks: Vec<Shape>,
    /// The Cargo features of the crate beyond `full-serde` and the groups' (features pass).
    pub features: Features,
}

/// A tag the document declares: its name, description and (OpenAPI 3.2) parent.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tag {
    pub name: String,
    pub description: Option<String>,
    pub parent: Option<String>,
}

/// A group of operations: a module of the crate, a handle reached from `Client` (or from its
/// parent group's handle), and a Cargo feature.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Group {
    /// The group's levels, outermost first, as first written: a tag split at its dots
    /// (`users.user`) or following its `parent`s, or a segment of the path.
    pub path: Vec<String>,
    /// The tag the group was made from, if it was made from one.
    pub tag: Option<String>,
    /// The enclosing group (an index into `Api::groups`), for a nested group.
    pub parent: Option<usize>,
    /// The groups directly inside it, by index, in order.
    pub children: Vec<usize>,
    /// The tag's description: the module's documentation.
    pub description: Option<String>,
    /// The module name in its parent's folder, which is also the accessor method's name
    /// (naming pass).
    pub module: String,
    /// The handle type's name (naming pass).
    pub type_name: String,
    /// The Cargo feature that compiles its operations and those of the groups inside it
    /// (naming pass).
    pub feature: String,
}

/// The crate's Cargo features beyond `full-serde` and the groups': one for webhook payloads,
/// one for the schemas nothing uses, and what `default` enables (features pass).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Features {
    /// The feature that compiles the payloads of webhooks no group needs, if there are any.
    pub webhooks: Option<String>,
    /// The feature that compiles the schemas no operation and no webhook reaches, if any.
    pub unused: Option<String>,
    /// The features `default` enables.
    pub default: Vec<String>,
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
    /// The pagination pass's decisions, in pointer order.
    pub pagination: Vec<PaginationDecision>,
}

impl Api {
    /// The groups from the outermost to `group`.
    pub fn group_chain(&self, group: usize) -> Vec<&Group> {
        let mut chain = Vec::new();
        let mut next = Some(group);
        // Parents come before their children, so the walk ends; the bound guards bad input.
        while let Some(i) = next.filter(|_| chain.len() <= self.groups.len()) {
            let Some(g) = self.groups.get(i) else { break };
            chain.push(g);
            next = g.parent;
        }
        chain.reverse();
        chain
    }

    /// The features that compile code of `group` or of a group inside it, sorted.
    pub fn subtree_features(&self, group: usize) -> Vec<String> {
        let mut features = Vec::new();
        let mut stack = vec![group];
        while let Some(g) = stack.pop() {
            if let Some(g) = self.groups.get(g) {
                features.push(g.feature.clone());
                stack.extend(&g.children);
            }
        }
        features.sort();
        features
    }

    /// Every feature that compiles part of the API (what `--all-features` enables, less
    /// `full-serde`): the top-level groups', `webhooks` and `unused-schemas`, sorted.
    pub fn api_features(&self) -> Vec<String> {
        let mut all: Vec<String> = self
            .groups
            .iter()
            .filter(|g| g.parent.is_none())
            .map(|g| g.feature.clone())
            .collect();
        all.extend(self.features.webhooks.clone());
        all.extend(self.features.unused.clone());
        all.sort();
        all
    }

    /// The groups directly inside `group` (`None`: the top-level groups), by index.
    pub fn child_groups(&self, group: Option<usize>) -> Vec<usize> {
        match group {
            Some(g) => self
                .groups
                .get(g)
                .map(|g| g.children.clone())
                .unwrap_or_default(),
            None => (0..self.groups.len())
                .filter(|&g| self.groups[g].parent.is_none())
                .collect(),
        }
    }

    /// The Rust path of the module of `group`, from the crate root (`operations::users::user`).
    pub fn group_module_path(&self, group: usize) -> String {
        let mut path = "operations".to_owned();
        for g in self.group_chain(group) {
            path.push_str("::");
            path.push_str(&g.module);
        }
        path
    }

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
    pub fn any_shape(&self, mut f: impl FnMut(&Shape) -> bool) -> bool {
        self.top_shapes()
            .into_iter()
            .any(|shape| shape.any(&mut |s| f(s)))
    }

    /// The shapes of the API's types and operations, outermost (what fields, parameters,
    /// bodies and responses hold).
    pub fn top_shapes(&self) -> Vec<&Shape> {
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
                top.extend(response.stream.as_ref().map(|s| &s.shape));
            }
        }
        top
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

impl Server {
    /// Whether the URL is relative to where the API is served (`/api/v2`): it has no scheme.
    pub fn is_relative(&self) -> bool {
        let scheme = self.url.split_once("://").map(|(scheme, _)| scheme);
        !scheme.is_some_and(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
    }
}

/// A security scheme from `components.securitySchemes`.
#[derive(Clone, Debug, PartialEq)]
pub struct SecurityScheme {
    pub kind: SchemeKind,
    pub description: Option<String>,
    /// The Rust name of the client builder method that sets its credential (naming pass).
    pub method: String,
    /// The Rust name of the builder method that takes a credential provider (naming pass).
    pub provider_method: String,
    /// The OAuth 2 grants whose tokens the runtime fetches itself, from the flows' token URLs.
    pub token_flows: Vec<TokenFlow>,
}

/// An OAuth 2 grant a client can get tokens with, from a token URL of the scheme's flows.
#[derive(Clone, Debug, PartialEq)]
pub struct TokenFlow {
    pub grant: Grant,
    /// As the spec gives it: absolute, or relative to the server.
    pub token_url: String,
    /// Where in the spec the flow is.
    pub at: String,
    /// The Rust name of the builder method (naming pass).
    pub method: String,
}

/// An OAuth 2 grant the runtime implements.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Grant {
    /// RFC 6749 section 4.4: the client's own id and secret.
    ClientCredentials,
    /// RFC 6749 section 6: a refresh token the application holds (from the authorization
    /// code or password flow).
    RefreshToken,
}

impl Grant {
    /// The suffix of its builder method's name.
    pub fn suffix(self) -> &'static str {
        match self {
            Grant::ClientCredentials => "client_credentials",
            Grant::RefreshToken => "refresh_token",
        }
    }
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
