//! Lowering schemas: each becomes a `Shape`, and objects with properties and enums become named
//! types identified by the JSON pointer of their definition.

use std::borrow::Borrow;
use std::collections::BTreeSet;

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaData,
    SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::Lowerer;
use super::decode::reference_of;
use crate::ir::{
    Constraints, Docs, Enum, EnumRepr, EnumValue, Field, FloatWidth, IntWidth, NameHint, Parent,
    Shape, Struct, TypeDef, TypeKind, Variant,
};
use crate::pointer::Pointer;

/// How deep `$ref`s to schemas outside `components.schemas` may nest while being lowered.
const MAX_DEFINITION_DEPTH: usize = 64;

/// The extension that marks a value as sensitive (hidden in `Debug`), next to `format: password`.
pub const SENSITIVE_EXTENSION: &str = "x-sensitive";

impl<'a> Lowerer<'a> {
    /// Lowers the schema under `components.schemas` at `at` into a named type.
    pub(crate) fn component_schema(&mut self, name: &str, value: &'a Value, at: &Pointer) {
        self.definition(value, at, NameHint::Component(name.to_owned()));
    }

    /// Makes sure a named type exists at `at`: a struct or enum when the schema calls for one,
    /// an alias otherwise. Returns a reference to it.
    fn definition(&mut self, value: &'a Value, at: &Pointer, hint: NameHint) -> Shape {
        if self.api.types.contains_key(at) || self.resolving.contains(at) {
            return Shape::Ref(at.clone());
        }
        if self.resolving.len() >= MAX_DEFINITION_DEPTH {
            self.diags.error(at, "schema references nest too deeply");
            return Shape::Any;
        }
        self.resolving.insert(at.clone());
        let shape = self.schema_value(value, at, hint.clone());
        self.resolving.remove(at);
        let defined_here = matches!(&shape, Shape::Ref(p) if p == at);
        if !defined_here && !self.api.types.contains_key(at) {
            let doc = schema_docs_from_value(value);
            self.define(at, hint, doc, TypeKind::Alias(shape));
        }
        Shape::Ref(at.clone())
    }

    /// Lowers a schema given as a JSON value (a `$ref` or an inline schema).
    pub(crate) fn schema_value(&mut self, value: &'a Value, at: &Pointer, hint: NameHint) -> Shape {
        if let Some(reference) = reference_of(value) {
            return self.schema_ref(reference, at);
        }
        match self.decode::<Schema>(value, at, "schema") {
            Some(schema) => self.schema(&schema, at, hint),
            None => Shape::Any,
        }
    }

    /// Lowers an already decoded schema or reference.
    pub(crate) fn schema_or_ref<S: Borrow<Schema>>(
        &mut self,
        schema: &ReferenceOr<S>,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        match schema {
            ReferenceOr::Reference { reference } => self.schema_ref(reference, at),
            ReferenceOr::Item(schema) => self.schema(schema.borrow(), at, hint),
        }
    }

    /// A `$ref` to a schema: a reference to the named type defined where it points.
    fn schema_ref(&mut self, reference: &str, at: &Pointer) -> Shape {
        let Some(target) = self.ref_target(reference, at) else {
            return Shape::Any;
        };
        let Some(value) = target.resolve(self.doc) else {
            self.diags
                .error(&at.push("$ref"), format!("`{reference}` does not resolve"));
            return Shape::Any;
        };
        let components = Pointer::root().push("components").push("schemas");
        let is_component = target.depth() == 3 && target.as_str().starts_with(components.as_str());
        if is_component {
            // Every component schema is lowered on its own; refer to it.
            return Shape::Ref(target);
        }
        let name = target.last().unwrap_or_default();
        self.definition(value, &target, NameHint::Component(name))
    }

    fn schema(&mut self, schema: &Schema, at: &Pointer, hint: NameHint) -> Shape {
        let data = &schema.schema_data;
        let shape = match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                if t.enumeration.is_empty() {
                    string_shape(&t.format)
                } else {
                    self.string_enum(t.enumeration.iter().map(Option::as_deref), data, at, hint)
                }
            }
            SchemaKind::Type(Type::Integer(t)) => {
                if t.enumeration.is_empty() {
                    Shape::Int(int_width(&t.format))
                } else {
                    self.integer_enum(&t.enumeration, data, at, hint)
                }
            }
            SchemaKind::Type(Type::Number(t)) => Shape::Float(float_width(&t.format)),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Bool,
            SchemaKind::Type(Type::Object(o)) => {
                let object = ObjectParts {
                    properties: &o.properties,
                    required: &o.required,
                    additional: o.additional_properties.as_ref(),
                };
                self.object(object, data, at, hint)
            }
            SchemaKind::Type(Type::Array(a)) => self.array(a.items.as_ref(), at, hint),
            SchemaKind::AllOf { all_of } if all_of.len() == 1 => {
                self.schema_or_ref(&all_of[0], &at.push("allOf").push("0"), hint)
            }
            SchemaKind::OneOf { .. } => self.untyped(at, "`oneOf`"),
            SchemaKind::AnyOf { .. } => self.untyped(at, "`anyOf`"),
            SchemaKind::AllOf { .. } => self.untyped(at, "`allOf` with several schemas"),
            SchemaKind::Not { .. } => self.untyped(at, "`not`"),
            SchemaKind::Any(any) => self.any_schema(any, data, at, hint),
        };
        if data.nullable {
            self.nullable(shape, at)
        } else {
            shape
        }
    }

    /// A schema that `openapiv3` could not classify (no `type`, or keywords of several types).
    fn any_schema(
        &mut self,
        any: &AnySchema,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        if !any.one_of.is_empty() || !any.any_of.is_empty() || !any.all_of.is_empty() {
            return self.untyped(
                at,
                "a schema combining `oneOf`, `anyOf` or `allOf` with other keywords",
            );
        }
        let is_object = !any.properties.is_empty() || any.additional_properties.is_some();
        match any.typ.as_deref() {
            Some("object") | None if is_object => {
                let object = ObjectParts {
                    properties: &any.properties,
                    required: &any.required,
                    additional: any.additional_properties.as_ref(),
                };
                self.object(object, data, at, hint)
            }
            Some("array") | None if any.items.is_some() => self.array(any.items.as_ref(), at, hint),
            Some("string")
                if any.enumeration.iter().all(Value::is_string) && !any.enumeration.is_empty() =>
            {
                let values = any.enumeration.iter().map(Value::as_str);
                self.string_enum(values, data, at, hint)
            }
            Some("string") => Shape::String,
            Some("integer") => Shape::Int(match any.format.as_deref() {
                Some("int32") => IntWidth::I32,
                _ => IntWidth::I64,
            }),
            Some("number") => Shape::Float(match any.format.as_deref() {
                Some("float") => FloatWidth::F32,
                _ => FloatWidth::F64,
            }),
            Some("boolean") => Shape::Bool,
            Some("object") => Shape::Map(Box::new(Shape::Any)),
            Some("array") => Shape::Array(Box::new(Shape::Any)),
            Some(other) => {
                let message = format!("unknown type `{other}`; generated as untyped JSON");
                self.diags.warning(&at.push("type"), message);
                Shape::Any
            }
            None => Shape::Any,
        }
    }

    fn untyped(&mut self, at: &Pointer, what: &str) -> Shape {
        let message =
            format!("{what} is not supported yet; generated as untyped JSON (`serde_json::Value`)");
        self.diags.warning(at, message);
        Shape::Any
    }

    fn nullable(&mut self, shape: Shape, at: &Pointer) -> Shape {
        match shape {
            Shape::Ref(p) if &p == at => {
                if let Some(def) = self.api.types.get_mut(at) {
                    def.nullable = true;
                }
                Shape::Ref(p)
            }
            Shape::Any | Shape::Nullable(_) => shape,
            other => Shape::Nullable(Box::new(other)),
        }
    }

    fn array<S: Borrow<Schema>>(
        &mut self,
        items: Option<&ReferenceOr<S>>,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let item = match items {
            Some(items) => {
                self.schema_or_ref(items, &at.push("items"), child_hint(hint, at, "item"))
            }
            None => Shape::Any,
        };
        Shape::Array(Box::new(item))
    }

    fn object(
        &mut self,
        object: ObjectParts<'_>,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let additional = match object.additional {
            None | Some(AdditionalProperties::Any(false)) => None,
            Some(AdditionalProperties::Any(true)) => Some(Shape::Any),
            Some(AdditionalProperties::Schema(schema)) => {
                let value_hint = child_hint(hint.clone(), at, "value");
                Some(self.schema_or_ref(
                    schema.as_ref(),
                    &at.push("additionalProperties"),
                    value_hint,
                ))
            }
        };
        if object.properties.is_empty() {
            return Shape::Map(Box::new(additional.unwrap_or(Shape::Any)));
        }
        if self.api.types.contains_key(at) {
            return Shape::Ref(at.clone());
        }
        let required: BTreeSet<&str> = object.required.iter().map(String::as_str).collect();
        for name in &required {
            if !object.properties.contains_key(*name) {
                let message =
                    format!("required property `{name}` is not declared in `properties`; ignored");
                self.diags.warning(&at.push("required"), message);
            }
        }
        let mut fields = Vec::with_capacity(object.properties.len());
        for (name, property) in object.properties {
            fields.push(self.field(name, property, required.contains(name.as_str()), at));
        }
        fields.sort_by(|a, b| a.wire.cmp(&b.wire));
        let kind = TypeKind::Struct(Struct {
            fields,
            additional,
            additional_name: String::new(),
        });
        self.define(at, hint, docs(data), kind);
        Shape::Ref(at.clone())
    }

    fn field(
        &mut self,
        name: &str,
        property: &ReferenceOr<Box<Schema>>,
        required: bool,
        owner: &Pointer,
    ) -> Field {
        let at = owner.push("properties").push(name);
        let hint = NameHint::Child {
            parent: Parent::Type(owner.clone()),
            suffix: name.to_owned(),
        };
        let shape = self.schema_or_ref(property, &at, hint);
        let mut field = Field {
            wire: name.to_owned(),
            name: String::new(),
            shape,
            required,
            sensitive: false,
            read_only: false,
            write_only: false,
            doc: Docs::default(),
            default: None,
            constraints: Constraints::default(),
        };
        match property {
            ReferenceOr::Item(schema) => {
                let data = &schema.schema_data;
                field.sensitive = is_sensitive(schema);
                field.read_only = data.read_only;
                field.write_only = data.write_only;
                field.doc = docs(data);
                field.default = data.default.clone();
                field.constraints = constraints(&schema.schema_kind);
            }
            ReferenceOr::Reference { .. } => {
                // OpenAPI 3.0 ignores the siblings of `$ref`, but specs put real documentation
                // there; keep it as docs, and honour a sibling sensitivity marker.
                if let Some(siblings) = at.resolve(self.doc) {
                    field.doc = schema_docs_from_value(siblings);
                    field.sensitive = siblings.get(SENSITIVE_EXTENSION) == Some(&Value::Bool(true));
                }
            }
        }
        field
    }

    fn string_enum<'v>(
        &mut self,
        values: impl Iterator<Item = Option<&'v str>>,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let values = values.map(|v| v.map(|s| EnumValue::String(s.to_owned())));
        self.enumeration(values, EnumRepr::String, data, at, hint)
    }

    fn integer_enum(
        &mut self,
        values: &[Option<i64>],
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let values = values.iter().map(|v| v.map(EnumValue::Integer));
        self.enumeration(values, EnumRepr::Integer, data, at, hint)
    }

    /// An enum type at `at`; `None` among the values is `null`, which makes the type nullable.
    fn enumeration(
        &mut self,
        values: impl Iterator<Item = Option<EnumValue>>,
        repr: EnumRepr,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let mut variants: Vec<Variant> = Vec::new();
        let mut has_null = false;
        for value in values {
            let Some(value) = value else {
                has_null = true;
                continue;
            };
            if variants.iter().any(|v| v.value == value) {
                let message = format!("duplicate enum value {}; ignored", show_value(&value));
                self.diags.warning(&at.push("enum"), message);
                continue;
            }
            variants.push(Variant {
                value,
                name: String::new(),
            });
        }
        let shape = if variants.is_empty() {
            match repr {
                EnumRepr::String => Shape::String,
                EnumRepr::Integer => Shape::Int(IntWidth::I64),
            }
        } else {
            if !self.api.types.contains_key(at) {
                let kind = TypeKind::Enum(Enum {
                    repr,
                    variants,
                    other_name: String::new(),
                });
                self.define(at, hint, docs(data), kind);
            }
            Shape::Ref(at.clone())
        };
        if has_null {
            self.nullable(shape, at)
        } else {
            shape
        }
    }

    pub(crate) fn define(&mut self, at: &Pointer, hint: NameHint, doc: Docs, kind: TypeKind) {
        let def = TypeDef {
            hint,
            name: String::new(),
            module: String::new(),
            doc,
            kind,
            nullable: false,
        };
        self.api.types.insert(at.clone(), def);
    }
}

/// The object keywords shared by `ObjectType` and `AnySchema`.
struct ObjectParts<'s> {
    properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
}

/// The name hint for a schema nested in the one at `at` named by `hint`.
fn child_hint(hint: NameHint, at: &Pointer, word: &str) -> NameHint {
    match hint {
        NameHint::Component(_) => NameHint::Child {
            parent: Parent::Type(at.clone()),
            suffix: word.to_owned(),
        },
        NameHint::Child { parent, suffix } => NameHint::Child {
            parent,
            suffix: format!("{suffix} {word}"),
        },
    }
}

fn string_shape(_format: &VariantOrUnknownOrEmpty<StringFormat>) -> Shape {
    Shape::String
}

fn int_width(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> IntWidth {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntWidth::I32,
        _ => IntWidth::I64,
    }
}

fn float_width(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> FloatWidth {
    match format {
        VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => FloatWidth::F32,
        _ => FloatWidth::F64,
    }
}

/// Whether a schema marks its value as sensitive: `format: password` or `x-sensitive: true`.
pub(crate) fn is_sensitive(schema: &Schema) -> bool {
    let password = matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(t)) if t.format == VariantOrUnknownOrEmpty::Item(StringFormat::Password)
    ) || matches!(&schema.schema_kind, SchemaKind::Any(a) if a.format.as_deref() == Some("password"));
    password || schema.schema_data.extensions.get(SENSITIVE_EXTENSION) == Some(&Value::Bool(true))
}

pub(crate) fn docs(data: &SchemaData) -> Docs {
    Docs {
        summary: data.title.clone(),
        description: data.description.clone(),
        deprecated: data.deprecated,
    }
}

/// Docs read straight from a schema's JSON (for `$ref` siblings and aliases).
pub(crate) fn schema_docs_from_value(value: &Value) -> Docs {
    let text = |key: &str| value.get(key).and_then(Value::as_str).map(str::to_owned);
    Docs {
        summary: text("title"),
        description: text("description"),
        deprecated: value.get("deprecated") == Some(&Value::Bool(true)),
    }
}

pub(crate) fn constraints(kind: &SchemaKind) -> Constraints {
    let mut c = Constraints::default();
    match kind {
        SchemaKind::Type(Type::String(t)) => {
            c.min_length = t.min_length;
            c.max_length = t.max_length;
            c.pattern = t.pattern.clone();
        }
        SchemaKind::Type(Type::Integer(t)) => {
            c.minimum = t.minimum.map(|v| v as f64);
            c.maximum = t.maximum.map(|v| v as f64);
            c.exclusive_minimum = t.exclusive_minimum;
            c.exclusive_maximum = t.exclusive_maximum;
        }
        SchemaKind::Type(Type::Number(t)) => {
            c.minimum = t.minimum;
            c.maximum = t.maximum;
            c.exclusive_minimum = t.exclusive_minimum;
            c.exclusive_maximum = t.exclusive_maximum;
        }
        SchemaKind::Type(Type::Array(t)) => {
            c.min_items = t.min_items;
            c.max_items = t.max_items;
        }
        SchemaKind::Any(a) => {
            c.minimum = a.minimum;
            c.maximum = a.maximum;
            c.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
            c.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
            c.min_length = a.min_length;
            c.max_length = a.max_length;
            c.pattern = a.pattern.clone();
            c.min_items = a.min_items;
            c.max_items = a.max_items;
        }
        _ => {}
    }
    c
}

fn show_value(value: &EnumValue) -> String {
    match value {
        EnumValue::String(s) => format!("{s:?}"),
        EnumValue::Integer(i) => i.to_string(),
    }
}
