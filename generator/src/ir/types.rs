//! Named types and shapes: what values look like.

use crate::pointer::Pointer;

use super::Docs;

/// A named Rust type: a struct, an enum, a union or an alias.
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
    /// Requests carry it and it holds values to check: it implements `Validate` (validation
    /// pass).
    pub validated: bool,
    /// For an alias, the validation keywords of its own schema (uses of it check them where
    /// they are; example values follow them).
    pub constraints: Constraints,
    /// Which ways its values travel (directions pass).
    pub directions: Directions,
    /// The Cargo features that compile it, any one of them enough; empty when it is always
    /// compiled (features pass).
    pub features: Vec<String>,
    /// The operations whose body, response or error it is, directly (uses pass).
    pub uses: Vec<TypeUse>,
    /// The struct fields that hold it (alone, in a list or in a map): the struct's key and the
    /// field's index (uses pass).
    pub held_by: Vec<(Pointer, usize)>,
    /// What the user's configuration asks of it (customize pass).
    pub custom: CustomType,
}

/// A type's name, derives and attributes as the user's configuration sets them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CustomType {
    /// The name to give it, exactly.
    pub name: Option<String>,
    /// Derives beyond the generated ones (paths, such as `Hash` or `schemars::JsonSchema`).
    pub derives: Vec<String>,
    /// Outer attributes, each `#[...]`.
    pub attributes: Vec<String>,
}

/// An operation that sends or receives a type as a whole body.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TypeUse {
    pub role: UseRole,
    /// The operation's key in `Api::operations`.
    pub operation: Pointer,
}

/// How an operation uses a type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum UseRole {
    Body,
    Response,
    Error,
}

/// Which ways a type's values travel: sent in requests, received in responses. It decides which
/// serde traits the type implements without the crate's `full-serde` feature.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Directions {
    pub sent: bool,
    pub received: bool,
}

/// Where a type's name comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameHint {
    /// A schema under `components.schemas` (or another named place): its key.
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
    Union(Union),
    /// `pub type Name = Shape;`
    Alias(Shape),
}

impl TypeKind {
    /// The shapes the type holds directly: fields (and extra properties), alternatives, or what
    /// an alias stands for.
    pub fn shapes(&self) -> Vec<&Shape> {
        match self {
            TypeKind::Struct(s) => s
                .fields
                .iter()
                .map(|f| &f.shape)
                .chain(&s.additional)
                .collect(),
            TypeKind::Union(u) => u.variants.iter().map(|v| &v.shape).collect(),
            TypeKind::Alias(shape) => vec![shape],
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    /// Calls `f` on every shape of the type, children first.
    pub fn visit_shapes_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        match self {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.shape.visit_mut(f);
                }
                if let Some(additional) = &mut s.additional {
                    additional.visit_mut(f);
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    variant.shape.visit_mut(f);
                }
            }
            TypeKind::Alias(shape) => shape.visit_mut(f),
            TypeKind::Enum(_) => {}
        }
    }
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
    /// Sent by the server only: never serialized, never required from users.
    pub read_only: bool,
    /// Sent by the client only: may be missing from responses.
    pub write_only: bool,
    pub doc: Docs,
    pub default: Option<serde_json::Value>,
    pub constraints: Constraints,
    /// The constraints checked before a request is sent: those that apply to the field's type
    /// (validation pass).
    pub checks: Constraints,
    /// The one value a required field can hold, which its constructor fills in: the only value
    /// of its enum, or the discriminator value that every union holding the struct gives it
    /// (fixed-values pass).
    pub fixed: Option<String>,
    /// The Rust name the user's configuration gives it, exactly (customize pass).
    pub rename: Option<String>,
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
    /// Strings and integers.
    Mixed,
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

impl EnumValue {
    /// The value as text (for names and docs).
    pub fn text(&self) -> String {
        match self {
            EnumValue::String(s) => s.clone(),
            EnumValue::Integer(i) => i.to_string(),
        }
    }
}

/// A value that is one of several shapes (`oneOf`, `anyOf`): a Rust enum with a variant per
/// shape and one for values that match none.
#[derive(Clone, Debug, PartialEq)]
pub struct Union {
    pub variants: Vec<UnionVariant>,
    /// The property whose value says which variant a value is (`discriminator.propertyName`).
    /// Without one, variants are tried in order and the first that decodes wins.
    pub discriminator: Option<String>,
    /// The Rust name of the variant for other values (naming pass).
    pub other_name: String,
}

/// One alternative of a union.
#[derive(Clone, Debug, PartialEq)]
pub struct UnionVariant {
    /// The Rust variant name (naming pass), from the variant's type.
    pub name: String,
    pub shape: Shape,
    /// With a discriminator: the values of the discriminator property that select this variant.
    pub tags: Vec<String>,
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
    /// `format: date-time`.
    DateTime,
    /// `format: date`.
    Date,
    /// `format: uuid`.
    Uuid,
    /// `format: byte`: bytes, base64 in JSON.
    Base64,
    /// `format: binary`: raw bytes (a file in a body or a multipart part).
    Binary,
    Array(Box<Shape>),
    /// A JSON object with arbitrary keys.
    Map(Box<Shape>),
    /// A named type.
    Ref(Pointer),
    /// May be `null`.
    Nullable(Box<Shape>),
    /// Boxed to break a cycle of types that would otherwise have infinite size (cycles pass).
    Boxed(Box<Shape>),
    /// A list of a fixed length with a shape per position (`prefixItems`, OpenAPI 3.1).
    Tuple(Vec<Shape>),
    /// A Rust type of the user's, which the configuration maps a schema, property or format
    /// to (customize pass); checked to parse as a type when the configuration was read.
    External(String),
}

impl Shape {
    /// Calls `f` on this shape and every shape inside it, children first.
    pub fn visit_mut(&mut self, f: &mut impl FnMut(&mut Shape)) {
        if let Shape::Tuple(items) = self {
            for item in items {
                item.visit_mut(f);
            }
        } else if let Some(inner) = self.inner_mut() {
            inner.visit_mut(f);
        }
        f(self);
    }

    /// The shapes directly inside this one: what it wraps, or a tuple's items.
    pub fn children(&self) -> Vec<&Shape> {
        match self {
            Shape::Tuple(items) => items.iter().collect(),
            other => other.inner().into_iter().collect(),
        }
    }

    /// Whether `f` holds for this shape or any shape inside it.
    pub fn any(&self, f: &mut impl FnMut(&Shape) -> bool) -> bool {
        f(self) || self.children().into_iter().any(|child| child.any(f))
    }

    /// The shape this one wraps, if any.
    pub fn inner(&self) -> Option<&Shape> {
        match self {
            Shape::Array(inner)
            | Shape::Map(inner)
            | Shape::Nullable(inner)
            | Shape::Boxed(inner) => Some(inner),
            _ => None,
        }
    }

    fn inner_mut(&mut self) -> Option<&mut Shape> {
        match self {
            Shape::Array(inner)
            | Shape::Map(inner)
            | Shape::Nullable(inner)
            | Shape::Boxed(inner) => Some(inner),
            _ => None,
        }
    }

    /// Whether the shape mentions a named type anywhere inside.
    pub fn mentions(&self, mut f: impl FnMut(&Pointer) -> bool) -> bool {
        self.any(&mut |shape| matches!(shape, Shape::Ref(target) if f(target)))
    }
}

/// Integer widths (`format: int32`, `int64`, and the unsigned and narrow formats specs use).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IntWidth {
    I8,
    I16,
    I32,
    I64,
    U8,
    U16,
    U32,
    U64,
}

/// Float widths.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatWidth {
    F32,
    F64,
}

/// Validation keywords: shown in docs and checked before a request is sent.
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
    /// The constraints of an array's items.
    pub items: Option<Box<Constraints>>,
    /// `pattern` uses syntax the generated client cannot check (look-around, back-references).
    pub pattern_unsupported: bool,
    /// The `format` of a string that no Rust type stands for (`email`, `uri`, ...): used to
    /// write example values, not checked.
    pub format: Option<String>,
}

impl Constraints {
    /// Whether there is nothing to check.
    pub fn is_empty(&self) -> bool {
        *self == Constraints::default()
    }
}
