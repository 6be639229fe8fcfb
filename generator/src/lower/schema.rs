//! Lowering schemas: each becomes a `Shape`, and objects with properties, enums and unions become
//! named types identified by the JSON pointer of their definition. Composition (`allOf`, `oneOf`,
//! `anyOf`) is in `compose.rs`.

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
    Constraints, Directions, Docs, Enum, EnumRepr, EnumValue, Example, Field, FloatWidth, IntWidth,
    NameHint, Parent, Shape, Struct, TypeDef, TypeKind, Variant,
};
use crate::pointer::Pointer;

/// How deep `$ref`s to schemas outside `components.schemas` may nest while being lowered.
const MAX_DEFINITION_DEPTH: usize = 64;

/// The extension that marks a value as sensitive (hidden in `Debug`), next to `format: password`.
pub const SENSITIVE_EXTENSION: &str = "x-sensitive";

/// The object keywords of a schema, gathered from one schema or merged from `allOf` parts. Each
/// property keeps the pointer of its own definition.
#[derive(Clone, Default)]
pub(crate) struct ObjectParts {
    pub(crate) properties: Vec<(String, ReferenceOr<Box<Schema>>, Pointer)>,
    pub(crate) required: BTreeSet<String>,
    pub(crate) additional: Option<(AdditionalProperties, Pointer)>,
    /// Whether any part said it is an object (even without properties).
    pub(crate) is_object: bool,
}

impl ObjectParts {
    /// Adds one schema's object keywords; a property already present keeps its first definition.
    pub(crate) fn add(
        &mut self,
        properties: &indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
        required: &[String],
        additional: Option<&AdditionalProperties>,
        at: &Pointer,
    ) {
        self.is_object = true;
        for (name, property) in properties {
            if !self.properties.iter().any(|(n, _, _)| n == name) {
                let location = at.push("properties").push(name);
                self.properties
                    .push((name.clone(), property.clone(), location));
            }
        }
        self.required.extend(required.iter().cloned());
        if let Some(additional) = additional {
            self.additional = Some((additional.clone(), at.push("additionalProperties")));
        }
    }
}

impl<'a> Lowerer<'a> {
    /// Lowers the schema under `components.schemas` at `at` into a named type.
    pub(crate) fn component_schema(&mut self, name: &str, value: &Value, at: &Pointer) {
        self.definition(value, at, NameHint::Component(name.to_owned()));
    }

    /// Makes sure a named type exists at `at`: a struct, enum or union when the schema calls for
    /// one, an alias otherwise. Returns a reference to it.
    pub(crate) fn definition(&mut self, value: &Value, at: &Pointer, hint: NameHint) -> Shape {
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
        // A schema that is only a reference to itself (`A: {$ref: A}`) is an alias of itself
        // too; the cycles pass reports it and makes it untyped.
        if !self.api.types.contains_key(at) {
            let doc = schema_docs_from_value(value);
            self.define(at, hint, doc, TypeKind::Alias(shape));
            if let Some(def) = self.api.types.get_mut(at) {
                def.constraints = super::constraints::constraints_of(self.doc, value);
            }
        }
        Shape::Ref(at.clone())
    }

    /// Lowers a schema given as a JSON value (a `$ref` or an inline schema).
    pub(crate) fn schema_value(&mut self, value: &Value, at: &Pointer, hint: NameHint) -> Shape {
        if let Some(reference) = reference_of(value) {
            return self.schema_ref(reference, at);
        }
        match self.decode_schema(value, at) {
            Some(schema) => self.schema(&schema, at, hint),
            None => {
                self.api.stats.untyped += 1;
                Shape::Any
            }
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
    pub(crate) fn schema_ref(&mut self, reference: &str, at: &Pointer) -> Shape {
        let Some(target) = self.ref_target(reference, at) else {
            return Shape::Any;
        };
        let Some(value) = target.resolve(self.doc) else {
            self.diags
                .error(&at.push("$ref"), format!("`{reference}` does not resolve"));
            return Shape::Any;
        };
        if is_component_schema(&target) {
            // Every component schema is lowered on its own; refer to it.
            return Shape::Ref(target);
        }
        // A whole file used as a schema is named after the file.
        let name = match crate::pointer::split_external(&target) {
            Some((file, inner)) if inner == Pointer::root() => {
                let file_name = file.rsplit('/').next().unwrap_or(&file);
                file_name.split('.').next().unwrap_or(file_name).to_owned()
            }
            _ => target.last().unwrap_or_default(),
        };
        self.definition(value, &target, NameHint::Component(name))
    }

    pub(crate) fn schema(&mut self, schema: &Schema, at: &Pointer, hint: NameHint) -> Shape {
        self.api.stats.schemas += 1;
        let data = &schema.schema_data;
        let shape = match &schema.schema_kind {
            SchemaKind::Type(Type::String(t)) if t.enumeration.is_empty() => {
                string_shape(&t.format)
            }
            SchemaKind::Type(Type::String(t)) => {
                let values = t
                    .enumeration
                    .iter()
                    .map(|v| v.as_ref().map(|s| EnumValue::String(s.clone())));
                self.enumeration(values.collect(), EnumRepr::String, data, at, hint)
            }
            SchemaKind::Type(Type::Integer(t)) if t.enumeration.is_empty() => {
                Shape::Int(int_width(&t.format))
            }
            SchemaKind::Type(Type::Integer(t)) => {
                let values = t.enumeration.iter().map(|v| v.map(EnumValue::Integer));
                self.enumeration(values.collect(), EnumRepr::Integer, data, at, hint)
            }
            SchemaKind::Type(Type::Number(t)) => Shape::Float(float_width(&t.format)),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Bool,
            SchemaKind::Type(Type::Object(o)) => {
                let mut parts = ObjectParts::default();
                parts.add(
                    &o.properties,
                    &o.required,
                    o.additional_properties.as_ref(),
                    at,
                );
                self.object(parts, data, at, hint)
            }
            SchemaKind::Type(Type::Array(_))
                if data.extensions.contains_key(super::openapi31::PREFIX_ITEMS) =>
            {
                self.tuple(data, at, hint)
            }
            SchemaKind::Type(Type::Array(a)) => self.array(a.items.as_ref(), at, hint),
            SchemaKind::AllOf { all_of } => {
                self.all_of(all_of, ObjectParts::default(), data, at, hint)
            }
            SchemaKind::OneOf { one_of } => self.union(one_of, "oneOf", data, at, hint),
            SchemaKind::AnyOf { any_of } => self.union(any_of, "anyOf", data, at, hint),
            // "Anything but X" has no better Rust type than any value.
            SchemaKind::Not { .. } => Shape::Any,
            SchemaKind::Any(any) => self.any_schema(any, data, at, hint),
        };
        let shape = if data.nullable {
            self.nullable(shape, at)
        } else {
            shape
        };
        if let Some(example) = &data.example {
            self.api.examples.push(Example {
                at: at.push("example"),
                shape: shape.clone(),
                value: example.clone(),
            });
        }
        shape
    }

    /// A schema that `openapiv3` could not classify: no `type`, an unusual type, or keywords
    /// of several kinds (an object with `allOf`, an enum of mixed values).
    fn any_schema(
        &mut self,
        any: &AnySchema,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let mut own = ObjectParts::default();
        if !any.properties.is_empty()
            || any.additional_properties.is_some()
            || any.typ.as_deref() == Some("object")
        {
            own.add(
                &any.properties,
                &any.required,
                any.additional_properties.as_ref(),
                at,
            );
        }
        if !any.all_of.is_empty() {
            return self.all_of(&any.all_of, own, data, at, hint);
        }
        let (alternatives, keyword) = if any.one_of.is_empty() {
            (&any.any_of, "anyOf")
        } else {
            (&any.one_of, "oneOf")
        };
        if !alternatives.is_empty() {
            return self.alternatives_with_own(alternatives, keyword, own, data, at, hint);
        }
        if !any.enumeration.is_empty() {
            return self.enum_of_values(&any.enumeration, any.typ.as_deref(), data, at, hint);
        }
        match any.typ.as_deref() {
            Some("object") | None if own.is_object => self.object(own, data, at, hint),
            Some("array") | None if any.items.is_some() => self.array(any.items.as_ref(), at, hint),
            Some("string") => format_shape(any.format.as_deref()),
            Some("integer") => Shape::Int(int_width_of(any.format.as_deref())),
            Some("number") => Shape::Float(match any.format.as_deref() {
                Some("float") => FloatWidth::F32,
                _ => FloatWidth::F64,
            }),
            Some("boolean") => Shape::Bool,
            Some("array") => Shape::Array(Box::new(Shape::Any)),
            Some(other) => {
                let message = format!("unknown type `{other}`; generated as untyped JSON");
                self.diags.warning(&at.push("type"), message);
                self.api.stats.untyped += 1;
                Shape::Any
            }
            None => Shape::Any,
        }
    }

    /// Warns that a construct is not supported and gives untyped JSON.
    pub(crate) fn untyped(&mut self, at: &Pointer, what: &str) -> Shape {
        let message =
            format!("{what} is not supported; generated as untyped JSON (`serde_json::Value`)");
        self.diags.warning(at, message);
        self.api.stats.untyped += 1;
        Shape::Any
    }

    pub(crate) fn nullable(&mut self, shape: Shape, at: &Pointer) -> Shape {
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

    /// `prefixItems` (OpenAPI 3.1, carried by the 3.1 front end): a tuple with a shape per
    /// position. Items after the last position cannot be kept in a tuple; when the schema allows
    /// them, that is reported.
    fn tuple(&mut self, data: &SchemaData, at: &Pointer, hint: NameHint) -> Shape {
        use super::openapi31::{CLOSED_ITEMS, PREFIX_ITEMS};
        let items = match data.extensions.get(PREFIX_ITEMS) {
            Some(Value::Array(items)) => items.as_slice(),
            _ => &[],
        };
        let shapes: Vec<Shape> = items
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let item_at = at.push("prefixItems").push(&i.to_string());
                self.schema_value(
                    item,
                    &item_at,
                    child_hint(hint.clone(), at, &format!("item {i}")),
                )
            })
            .collect();
        if !data.extensions.contains_key(CLOSED_ITEMS) {
            self.diags.warning(
                at,
                "items after the `prefixItems` are not kept (a tuple has a fixed length); add `items: false` to say there are none",
            );
        }
        if shapes.is_empty() {
            return Shape::Array(Box::new(Shape::Any));
        }
        Shape::Tuple(shapes)
    }

    /// An object: a struct when it has properties, a map otherwise.
    pub(crate) fn object(
        &mut self,
        parts: ObjectParts,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let additional = match &parts.additional {
            None | Some((AdditionalProperties::Any(false), _)) => None,
            Some((AdditionalProperties::Any(true), _)) => Some(Shape::Any),
            Some((AdditionalProperties::Schema(schema), location)) => {
                let value_hint = child_hint(hint.clone(), at, "value");
                Some(self.schema_or_ref(schema.as_ref(), location, value_hint))
            }
        };
        if parts.properties.is_empty() {
            return Shape::Map(Box::new(additional.unwrap_or(Shape::Any)));
        }
        if self.api.types.contains_key(at) {
            return Shape::Ref(at.clone());
        }
        for name in &parts.required {
            if !parts.properties.iter().any(|(n, _, _)| n == name) {
                let message =
                    format!("required property `{name}` is not declared in `properties`; ignored");
                self.diags.warning(&at.push("required"), message);
            }
        }
        let mut fields = Vec::with_capacity(parts.properties.len());
        for (name, property, location) in &parts.properties {
            fields.push(self.field(name, property, location, parts.required.contains(name), at));
        }
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
        at: &Pointer,
        required: bool,
        owner: &Pointer,
    ) -> Field {
        let hint = NameHint::Child {
            parent: Parent::Type(owner.clone()),
            suffix: name.to_owned(),
        };
        let shape = self.schema_or_ref(property, at, hint);
        let mut field = Field {
            wire: name.to_owned(),
            name: String::new(),
            rename: None,
            shape,
            required,
            sensitive: false,
            read_only: false,
            write_only: false,
            doc: Docs::default(),
            default: None,
            constraints: Constraints::default(),
            checks: Constraints::default(),
            fixed: None,
        };
        match property {
            ReferenceOr::Item(schema) => {
                let data = &schema.schema_data;
                field.sensitive = is_sensitive(schema);
                field.read_only = data.read_only;
                field.write_only = data.write_only;
                field.doc = docs(data);
                field.default = data.default.clone();
            }
            ReferenceOr::Reference { .. } => {
                // OpenAPI 3.0 ignores the siblings of `$ref`, but specs put real documentation
                // (and markers) there; keep them.
                if let Some(siblings) = at.resolve(self.doc) {
                    field.doc = schema_docs_from_value(siblings);
                    field.sensitive = siblings.get(SENSITIVE_EXTENSION) == Some(&Value::Bool(true));
                    field.read_only = siblings.get("readOnly") == Some(&Value::Bool(true));
                    field.write_only = siblings.get("writeOnly") == Some(&Value::Bool(true));
                }
            }
        }
        if let Some(raw) = at.resolve(self.doc) {
            field.constraints = self.constraints(raw, at);
        }
        field
    }

    /// An enum from raw values (a schema `openapiv3` did not type): strings, integers or both.
    fn enum_of_values(
        &mut self,
        values: &[Value],
        typ: Option<&str>,
        data: &SchemaData,
        at: &Pointer,
        hint: NameHint,
    ) -> Shape {
        let as_string = typ == Some("string");
        let mut converted = Vec::new();
        let (mut strings, mut integers) = (false, false);
        for value in values {
            converted.push(match value {
                Value::Null => None,
                Value::String(s) => {
                    strings = true;
                    Some(EnumValue::String(s.clone()))
                }
                Value::Number(_) | Value::Bool(_) if as_string => {
                    strings = true;
                    Some(EnumValue::String(value.to_string()))
                }
                Value::Number(n) => match n.as_i64() {
                    Some(i) => {
                        integers = true;
                        Some(EnumValue::Integer(i))
                    }
                    // An enum of fractional numbers is just a number.
                    None => return Shape::Float(FloatWidth::F64),
                },
                Value::Bool(_) => return Shape::Bool,
                Value::Array(_) | Value::Object(_) => return Shape::Any,
            });
        }
        let repr = match (strings, integers) {
            (true, true) => EnumRepr::Mixed,
            (false, true) => EnumRepr::Integer,
            _ => EnumRepr::String,
        };
        self.enumeration(converted, repr, data, at, hint)
    }

    /// An enum type at `at`; `None` among the values is `null`, which makes the type nullable.
    fn enumeration(
        &mut self,
        values: Vec<Option<EnumValue>>,
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
                let message = format!("duplicate enum value `{}`; ignored", value.text());
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
                EnumRepr::Integer => Shape::Int(IntWidth::I64),
                EnumRepr::String | EnumRepr::Mixed => Shape::String,
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
            validated: false,
            constraints: Constraints::default(),
            directions: Directions::default(),
            features: Vec::new(),
            uses: Vec::new(),
            held_by: Vec::new(),
            custom: Default::default(),
        };
        self.api.types.insert(at.clone(), def);
    }
}

/// Whether `at` names a schema directly under `components.schemas`.
pub(crate) fn is_component_schema(at: &Pointer) -> bool {
    let components = Pointer::root().push("components").push("schemas");
    at.depth() == 3 && at.as_str().starts_with(components.as_str())
}

/// The name hint for a schema nested in the one at `at` named by `hint`.
pub(crate) fn child_hint(hint: NameHint, at: &Pointer, word: &str) -> NameHint {
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

fn string_shape(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Shape {
    match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Shape::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Shape::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Shape::Base64,
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Shape::Binary,
        VariantOrUnknownOrEmpty::Item(StringFormat::Password) | VariantOrUnknownOrEmpty::Empty => {
            Shape::String
        }
        VariantOrUnknownOrEmpty::Unknown(other) => format_shape(Some(other)),
    }
}

/// The shape of a string with this `format`; unknown formats are plain strings.
fn format_shape(format: Option<&str>) -> Shape {
    match format {
        Some("date-time") => Shape::DateTime,
        Some("date") => Shape::Date,
        Some("uuid") => Shape::Uuid,
        Some("byte") => Shape::Base64,
        Some("binary") => Shape::Binary,
        _ => Shape::String,
    }
}

fn int_width(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> IntWidth {
    match format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => IntWidth::I32,
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) | VariantOrUnknownOrEmpty::Empty => {
            IntWidth::I64
        }
        VariantOrUnknownOrEmpty::Unknown(other) => int_width_of(Some(other)),
    }
}

/// Integer widths by format, including the unsigned and narrow ones specs use (`uint32`).
fn int_width_of(format: Option<&str>) -> IntWidth {
    match format {
        Some("int8") => IntWidth::I8,
        Some("int16") => IntWidth::I16,
        Some("int32") => IntWidth::I32,
        Some("uint8") => IntWidth::U8,
        Some("uint16") => IntWidth::U16,
        Some("uint32") => IntWidth::U32,
        Some("uint64" | "uint") => IntWidth::U64,
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
