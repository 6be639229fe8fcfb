//! The intermediate representation between an OpenAPI document and Rust code: named types and
//! operations, with everything codegen needs decided and nothing about OpenAPI's syntax left.
//!
//! `lower` builds it, the passes in `passes` fill in Rust names and break cycles, and `codegen`
//! reads it. Every type and operation is identified by the JSON pointer of where it is defined,
//! and every collection is ordered, so the same spec always gives the same IR.

use std::collections::BTreeMap;

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
}

impl Api {
    /// Calls `f` on every shape of every type and operation, children before their parent, so
    /// that `f` may replace a shape without seeing its replacement.
    pub fn visit_shapes_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        for def in self.types.values_mut() {
            match &mut def.kind {
                TypeKind::Struct(s) => {
                    for field in &mut s.fields {
                        field.shape.visit_mut(f);
                    }
                    if let Some(additional) = &mut s.additional {
                        additional.visit_mut(f);
                    }
                }
                TypeKind::Alias(shape) => shape.visit_mut(f),
                TypeKind::Enum(_) => {}
            }
        }
        for op in self.operations.values_mut() {
            for param in &mut op.params {
                param.shape.visit_mut(f);
            }
            if let Some(body) = &mut op.body {
                body.shape.visit_mut(f);
            }
            for response in &mut op.responses {
                if let Some(shape) = &mut response.body {
                    shape.visit_mut(f);
                }
            }
        }
    }
}

impl Api {
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

    /// Whether a value of this shape is written with `Display` as one value: a primitive, an
    /// enum, or an alias of one.
    pub fn is_scalar(&self, shape: &Shape) -> bool {
        match self.resolve_alias(shape) {
            Shape::Bool | Shape::Int(_) | Shape::Float(_) | Shape::String => true,
            Shape::Ref(target) => matches!(
                self.types.get(target).map(|d| &d.kind),
                Some(TypeKind::Enum(_))
            ),
            _ => false,
        }
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

/// A named Rust type: a struct, an enum or an alias.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeDef {
    /// How to name it; resolved into `name` by the naming pass.
    pub hint: NameHint,
    /// The Rust type name (naming pass).
    pub name: String,
    /// The Rust module (and file) name (naming pass).
    pub module: String,
    pub doc: Docs,
    pub kind: TypeKind,
    /// The definition is marked `nullable`: every use of it may be `null`.
    pub nullable: bool,
}

/// Where a type's name comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameHint {
    /// A schema under `components.schemas`: its key.
    Component(String),
    /// An inline schema: its parent's name followed by `suffix`.
    Child { parent: Parent, suffix: String },
}

/// What an inline schema's name is derived from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Parent {
    Type(Pointer),
    Operation(Pointer),
}

/// The shape of a named type.
#[derive(Clone, Debug, PartialEq)]
pub enum TypeKind {
    Struct(Struct),
    Enum(Enum),
    /// `pub type Name = Shape;`
    Alias(Shape),
}

/// An object with known properties.
#[derive(Clone, Debug, PartialEq)]
pub struct Struct {
    /// Fields in wire-name order.
    pub fields: Vec<Field>,
    /// Extra properties (`additionalProperties` next to `properties`), kept in a map field.
    pub additional: Option<Shape>,
    /// The Rust name of the extra-properties field (naming pass).
    pub additional_name: String,
}

/// A property of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The property name on the wire.
    pub wire: String,
    /// The Rust field name (naming pass).
    pub name: String,
    pub shape: Shape,
    pub required: bool,
    /// Marked sensitive in the spec (`format: password` or `x-sensitive: true`): hidden in `Debug`.
    pub sensitive: bool,
    pub read_only: bool,
    pub write_only: bool,
    pub doc: Docs,
    pub default: Option<serde_json::Value>,
    pub constraints: Constraints,
}

/// A closed list of values that stays open: unknown values are kept, not rejected.
#[derive(Clone, Debug, PartialEq)]
pub struct Enum {
    pub repr: EnumRepr,
    pub variants: Vec<Variant>,
    /// The Rust name of the variant holding unknown values (naming pass).
    pub other_name: String,
}

/// What an enum's values are on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EnumRepr {
    String,
    Integer,
}

/// One known value of an enum.
#[derive(Clone, Debug, PartialEq)]
pub struct Variant {
    pub value: EnumValue,
    /// The Rust variant name (naming pass).
    pub name: String,
}

/// A wire value of an enum.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum EnumValue {
    String(String),
    Integer(i64),
}

/// The Rust type of a value, as used in fields, parameters and bodies.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Any JSON value.
    Any,
    Bool,
    Int(IntWidth),
    Float(FloatWidth),
    String,
    Array(Box<Shape>),
    /// A JSON object with arbitrary keys.
    Map(Box<Shape>),
    /// A named type.
    Ref(Pointer),
    /// May be `null`.
    Nullable(Box<Shape>),
    /// Boxed to break a cycle of types that would otherwise have infinite size (cycles pass).
    Boxed(Box<Shape>),
}

impl Shape {
    /// Calls `f` on this shape and every shape inside it, children first.
    pub fn visit_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        match self {
            Shape::Array(inner)
            | Shape::Map(inner)
            | Shape::Nullable(inner)
            | Shape::Boxed(inner) => {
                inner.visit_mut(f);
            }
            Shape::Any
            | Shape::Bool
            | Shape::Int(_)
            | Shape::Float(_)
            | Shape::String
            | Shape::Ref(_) => {}
        }
        f(self);
    }
}

/// Integer widths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntWidth {
    I32,
    I64,
}

/// Float widths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatWidth {
    F32,
    F64,
}

/// Documentation taken from the spec. All of it is untrusted text: it only ever becomes doc
/// comments, with code blocks neutralised.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Docs {
    pub summary: Option<String>,
    pub description: Option<String>,
    pub deprecated: bool,
}

/// Validation keywords, shown in docs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Constraints {
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub exclusive_minimum: bool,
    pub exclusive_maximum: bool,
    pub min_length: Option<usize>,
    pub max_length: Option<usize>,
    pub pattern: Option<String>,
    pub min_items: Option<usize>,
    pub max_items: Option<usize>,
}

/// An HTTP operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Operation {
    pub operation_id: Option<String>,
    /// The Rust method name (naming pass).
    pub name: String,
    /// The module (and file) of the method (naming pass).
    pub module: String,
    /// The module (and file) of the parameter struct, if there is one (naming pass).
    pub params_module: String,
    pub method: HttpMethod,
    /// The path template, such as `/pets/{petId}`.
    pub path: String,
    pub doc: Docs,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    pub responses: Vec<Response>,
    /// Alternatives, each a set of scheme names that must all be satisfied. Empty: no auth.
    pub security: Vec<Vec<String>>,
    /// The Rust name of the struct holding query, header and cookie parameters (naming pass).
    pub params_type: String,
    /// What a 2xx response decodes into (responses pass).
    pub success: Outcome,
    /// What any other response decodes into (responses pass).
    pub error: Outcome,
}

/// How a response body is decoded.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Outcome {
    /// No body is declared: any body is ignored and the value is `()`.
    #[default]
    Nothing,
    /// A JSON body of this shape.
    Json(Shape),
}

/// HTTP methods OpenAPI allows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
}

impl HttpMethod {
    /// The method's name as in a path item (`get`).
    pub fn as_str(self) -> &'static str {
        match self {
            HttpMethod::Get => "get",
            HttpMethod::Put => "put",
            HttpMethod::Post => "post",
            HttpMethod::Delete => "delete",
            HttpMethod::Options => "options",
            HttpMethod::Head => "head",
            HttpMethod::Patch => "patch",
            HttpMethod::Trace => "trace",
        }
    }

    /// All methods, in the order a path item lists them.
    pub const ALL: [HttpMethod; 8] = [
        HttpMethod::Get,
        HttpMethod::Put,
        HttpMethod::Post,
        HttpMethod::Delete,
        HttpMethod::Options,
        HttpMethod::Head,
        HttpMethod::Patch,
        HttpMethod::Trace,
    ];
}

/// A parameter of an operation.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// The name on the wire.
    pub wire: String,
    /// The Rust name (naming pass).
    pub name: String,
    pub location: ParamLocation,
    pub required: bool,
    pub shape: Shape,
    /// For arrays in the query: repeat the name per value (`explode`), or join with commas.
    pub explode: bool,
    pub sensitive: bool,
    pub doc: Docs,
    pub constraints: Constraints,
    /// How the value is written (params pass).
    pub style: ParamStyle,
}

/// How a parameter value is written into the request.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ParamStyle {
    /// A single value, written with `Display`.
    #[default]
    Scalar,
    /// A list of single values: repeated (`explode`) or joined with commas.
    List,
    /// Anything else, written as JSON text.
    Json,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamLocation {
    Path,
    Query,
    Header,
    Cookie,
}

/// A request body.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    pub media_type: String,
    pub shape: Shape,
    pub required: bool,
    pub doc: Docs,
}

/// One declared response.
#[derive(Clone, Debug, PartialEq)]
pub struct Response {
    pub status: StatusMatch,
    pub doc: Docs,
    /// The decoded body, if the response declares JSON content with a schema.
    pub body: Option<Shape>,
    /// The media type of the declared content, if any.
    pub media_type: Option<String>,
}

/// Which statuses a response applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StatusMatch {
    Code(u16),
    /// `2XX` and friends: the first digit.
    Range(u8),
    Default,
}

impl StatusMatch {
    /// Whether the status is a success (2xx).
    pub fn is_success(self) -> bool {
        match self {
            StatusMatch::Code(code) => (200..300).contains(&code),
            StatusMatch::Range(digit) => digit == 2,
            StatusMatch::Default => false,
        }
    }
}
