//! An OpenAPI 3.0 document made of small pieces that `arbitrary` can choose from the fuzzer's
//! bytes: names and texts come from a pool of troublesome ones (keywords, std names, case
//! collisions, breakouts, non-ASCII, empty) or are arbitrary strings; schemas, parameters,
//! bodies, responses, security schemes and extensions are built from their parts.

use arbitrary::Arbitrary;
use serde_json::{Map, Value, json};

/// Names that have caused, or could cause, trouble in identifiers.
const NAMES: &[&str] = &[
    "type",
    "Self",
    "self",
    "crate",
    "super",
    "r#type",
    "async",
    "await",
    "dyn",
    "gen",
    "try",
    "union",
    "macro_rules",
    "Option",
    "Result",
    "String",
    "Vec",
    "Box",
    "Some",
    "None",
    "Ok",
    "Err",
    "Default",
    "Client",
    "Error",
    "Request",
    "Response",
    "std",
    "core",
    "serde",
    "types",
    "operations",
    "runtime",
    "a-b",
    "a_b",
    "aB",
    "AB",
    "ab",
    "A B",
    "a.b",
    "a/b",
    "a{b}",
    "",
    "_",
    "__",
    "0",
    "1abc",
    "$ref",
    "@type",
    "+1",
    "-1",
    "é",
    "日本",
    "Ǆ",
    "ß",
    "ﬁ",
    "\u{200b}",
    "a\"b",
    "a\\b",
    "*/x",
    "x\n",
    "value",
    "items",
    "next_page",
    "page_token",
    "id",
];

/// Texts that try to leave doc comments, string literals and Markdown code.
const TEXTS: &[&str] = &[
    "",
    "plain",
    "*/ fn injected() {} /*",
    "\"); fn injected() { (\"",
    "\n```rust\nfn injected() {}\n```\n",
    "#[doc = \"x\"] fn injected() {}",
    "\u{0}\u{7f}\u{1b}[31m",
    "\r\n//! x",
    "`` ` ``",
    "${x} {x} {{x}}",
    "^[a-z]+(?=x)$",
    "[",
    "https://example.com/v1",
    "http://{host}:{port}/{base}",
    "/",
];

#[derive(Arbitrary, Debug)]
pub enum Name {
    Pool(u8),
    Raw(String),
}

impl Name {
    pub fn text(&self) -> String {
        match self {
            Name::Pool(i) => NAMES[usize::from(*i) % NAMES.len()].to_owned(),
            Name::Raw(s) => s.clone(),
        }
    }
}

#[derive(Arbitrary, Debug)]
pub enum Text {
    Pool(u8),
    Raw(String),
}

impl Text {
    pub fn text(&self) -> String {
        match self {
            Text::Pool(i) => TEXTS[usize::from(*i) % TEXTS.len()].to_owned(),
            Text::Raw(s) => s.clone(),
        }
    }
}

/// A JSON value for examples, defaults, enum values and extensions.
#[derive(Arbitrary, Debug)]
pub enum Json {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Huge(bool),
    Str(Text),
    Array(Vec<Json>),
    Object(Vec<(Name, Json)>),
}

impl Json {
    pub fn value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => json!(b),
            Json::Int(i) => json!(i),
            Json::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
            // Beyond 64 bits: serde_json keeps these as floats.
            Json::Huge(negative) => {
                let big: f64 = if *negative { -1e30 } else { 3.4e38 };
                json!(big)
            }
            Json::Str(t) => json!(t.text()),
            Json::Array(items) => Value::Array(items.iter().map(Json::value).collect()),
            Json::Object(entries) => object(entries.iter().map(|(k, v)| (k.text(), v.value()))),
        }
    }
}

#[derive(Arbitrary, Debug)]
pub enum Format {
    Int32,
    Int64,
    Uint8,
    Float,
    Double,
    Date,
    DateTime,
    Uuid,
    Binary,
    Byte,
    Password,
    Email,
    Other(Text),
}

impl Format {
    pub fn text(&self) -> String {
        let known = match self {
            Format::Int32 => "int32",
            Format::Int64 => "int64",
            Format::Uint8 => "uint8",
            Format::Float => "float",
            Format::Double => "double",
            Format::Date => "date",
            Format::DateTime => "date-time",
            Format::Uuid => "uuid",
            Format::Binary => "binary",
            Format::Byte => "byte",
            Format::Password => "password",
            Format::Email => "email",
            Format::Other(t) => return t.text(),
        };
        known.to_owned()
    }
}

/// Keywords that may sit beside any schema.
#[derive(Arbitrary, Debug)]
pub struct Common {
    nullable: bool,
    description: Option<Text>,
    title: Option<Text>,
    default: Option<Json>,
    example: Option<Json>,
    read_only: bool,
    write_only: bool,
    deprecated: bool,
    sensitive: bool,
}

#[derive(Arbitrary, Debug)]
pub enum Schema {
    /// A reference to the n-th component schema (or a dangling one).
    Ref(u8),
    String {
        format: Option<Format>,
        pattern: Option<Text>,
        values: Vec<Json>,
        min_length: Option<u8>,
        max_length: Option<u8>,
    },
    Integer {
        format: Option<Format>,
        minimum: Option<Json>,
        maximum: Option<Json>,
        exclusive: bool,
        values: Vec<Json>,
    },
    Number {
        format: Option<Format>,
        multiple_of: Option<Json>,
    },
    Boolean,
    Array {
        items: Option<Box<Schema>>,
        min_items: Option<u8>,
        max_items: Option<u8>,
        unique: bool,
    },
    Object {
        properties: Vec<Property>,
        additional: Additional,
        min_properties: Option<u8>,
    },
    AllOf(Vec<Schema>),
    OneOf(Vec<Schema>, Option<Discriminator>),
    AnyOf(Vec<Schema>),
    Not(Box<Schema>),
    Empty,
    /// Anything at all where a schema should be.
    Raw(Json),
    /// Keywords beside another schema.
    With(Box<Schema>, Common),
}

#[derive(Arbitrary, Debug)]
pub struct Property {
    name: Name,
    schema: Schema,
    required: bool,
}

#[derive(Arbitrary, Debug)]
pub enum Additional {
    Absent,
    Bool(bool),
    Schema(Box<Schema>),
}

#[derive(Arbitrary, Debug)]
pub struct Discriminator {
    property: Name,
    mapping: Vec<(Text, u8)>,
}

impl Schema {
    pub fn value(&self, names: &[String]) -> Value {
        match self {
            Schema::Ref(i) => json!({ "$ref": reference(names, *i) }),
            Schema::String {
                format,
                pattern,
                values,
                min_length,
                max_length,
            } => object([
                ("type".into(), json!("string")),
                ("format".into(), opt(format.as_ref().map(Format::text))),
                ("pattern".into(), opt(pattern.as_ref().map(Text::text))),
                ("enum".into(), list(values)),
                ("minLength".into(), opt(*min_length)),
                ("maxLength".into(), opt(*max_length)),
            ]),
            Schema::Integer {
                format,
                minimum,
                maximum,
                exclusive,
                values,
            } => object([
                ("type".into(), json!("integer")),
                ("format".into(), opt(format.as_ref().map(Format::text))),
                ("minimum".into(), opt(minimum.as_ref().map(Json::value))),
                ("maximum".into(), opt(maximum.as_ref().map(Json::value))),
                ("exclusiveMinimum".into(), flag(*exclusive)),
                ("enum".into(), list(values)),
            ]),
            Schema::Number {
                format,
                multiple_of,
            } => object([
                ("type".into(), json!("number")),
                ("format".into(), opt(format.as_ref().map(Format::text))),
                (
                    "multipleOf".into(),
                    opt(multiple_of.as_ref().map(Json::value)),
                ),
            ]),
            Schema::Boolean => json!({ "type": "boolean" }),
            Schema::Array {
                items,
                min_items,
                max_items,
                unique,
            } => object([
                ("type".into(), json!("array")),
                ("items".into(), opt(items.as_ref().map(|s| s.value(names)))),
                ("minItems".into(), opt(*min_items)),
                ("maxItems".into(), opt(*max_items)),
                ("uniqueItems".into(), flag(*unique)),
            ]),
            Schema::Object {
                properties,
                additional,
                min_properties,
            } => object_schema(properties, additional, *min_properties, names),
            Schema::AllOf(parts) => json!({ "allOf": schemas(parts, names) }),
            Schema::AnyOf(parts) => json!({ "anyOf": schemas(parts, names) }),
            Schema::OneOf(parts, discriminator) => {
                let mut value = json!({ "oneOf": schemas(parts, names) });
                if let Some(d) = discriminator {
                    let mapping = object(
                        d.mapping
                            .iter()
                            .map(|(k, i)| (k.text(), json!(reference(names, *i)))),
                    );
                    value["discriminator"] =
                        json!({ "propertyName": d.property.text(), "mapping": mapping });
                }
                value
            }
            Schema::Not(inner) => json!({ "not": inner.value(names) }),
            Schema::Empty => json!({}),
            Schema::Raw(json) => json.value(),
            Schema::With(inner, common) => {
                let mut value = inner.value(names);
                if let Value::Object(map) = &mut value {
                    common.apply(map);
                }
                value
            }
        }
    }
}

fn object_schema(
    properties: &[Property],
    additional: &Additional,
    min_properties: Option<u8>,
    names: &[String],
) -> Value {
    let required: Vec<Value> = properties
        .iter()
        .filter(|p| p.required)
        .map(|p| json!(p.name.text()))
        .collect();
    let additional = match additional {
        Additional::Absent => Value::Null,
        Additional::Bool(b) => json!(b),
        Additional::Schema(s) => s.value(names),
    };
    object([
        ("type".into(), json!("object")),
        (
            "properties".into(),
            object(
                properties
                    .iter()
                    .map(|p| (p.name.text(), p.schema.value(names))),
            ),
        ),
        (
            "required".into(),
            if required.is_empty() {
                Value::Null
            } else {
                Value::Array(required)
            },
        ),
        ("additionalProperties".into(), additional),
        ("minProperties".into(), opt(min_properties)),
    ])
}

impl Common {
    fn apply(&self, map: &mut Map<String, Value>) {
        let entries = [
            ("nullable", flag(self.nullable)),
            (
                "description",
                opt(self.description.as_ref().map(Text::text)),
            ),
            ("title", opt(self.title.as_ref().map(Text::text))),
            ("default", opt(self.default.as_ref().map(Json::value))),
            ("example", opt(self.example.as_ref().map(Json::value))),
            ("readOnly", flag(self.read_only)),
            ("writeOnly", flag(self.write_only)),
            ("deprecated", flag(self.deprecated)),
            ("x-sensitive", flag(self.sensitive)),
        ];
        for (key, value) in entries {
            if !value.is_null() {
                map.insert(key.to_owned(), value);
            }
        }
    }
}

/// A reference to the n-th component schema; past the end, one that leads nowhere.
fn reference(names: &[String], i: u8) -> String {
    match names.get(usize::from(i)) {
        Some(name) => format!("#/components/schemas/{}", escape(name)),
        None if i.is_multiple_of(2) => "#/components/schemas/Missing".to_owned(),
        None => "#/paths".to_owned(),
    }
}

/// Escapes a name for a JSON pointer.
pub fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

fn schemas(parts: &[Schema], names: &[String]) -> Value {
    Value::Array(parts.iter().map(|s| s.value(names)).collect())
}

fn list(values: &[Json]) -> Value {
    if values.is_empty() {
        Value::Null
    } else {
        Value::Array(values.iter().map(Json::value).collect())
    }
}

fn opt<T: Into<Value>>(value: Option<T>) -> Value {
    value.map_or(Value::Null, Into::into)
}

fn flag(set: bool) -> Value {
    if set { Value::Bool(true) } else { Value::Null }
}

/// An object of the entries whose value is not null.
pub fn object(entries: impl IntoIterator<Item = (String, Value)>) -> Value {
    Value::Object(entries.into_iter().filter(|(_, v)| !v.is_null()).collect())
}

pub use crate::document::Document;
