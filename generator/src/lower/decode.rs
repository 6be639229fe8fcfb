//! Deserializing one piece of the document into an `openapiv3` type, with errors located by the
//! JSON pointer of the offending node, and following local `$ref`s between document pieces.

use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::Lowerer;
use super::keywords::{self, Holds};
use crate::pointer::Pointer;

/// How many `$ref` hops a chain may take before it is treated as a loop.
const MAX_REF_HOPS: usize = 32;

/// How many bad keywords are dropped from one schema before giving up on it.
const MAX_REPAIRS: usize = 16;

impl<'a> Lowerer<'a> {
    /// Deserializes `value` (found at `at`) as a `what`; on failure records an error at the
    /// deepest location the deserializer reached and returns `None`.
    pub(crate) fn decode<T: DeserializeOwned>(
        &mut self,
        value: &Value,
        at: &Pointer,
        what: &str,
    ) -> Option<T> {
        match serde_path_to_error::deserialize::<_, T>(value) {
            Ok(decoded) => Some(decoded),
            Err(error) => {
                let mut location = at.clone();
                for segment in error.path().iter() {
                    match segment {
                        serde_path_to_error::Segment::Seq { index } => {
                            location = location.push(&index.to_string());
                        }
                        serde_path_to_error::Segment::Map { key } => location = location.push(key),
                        serde_path_to_error::Segment::Enum { .. } => {}
                        serde_path_to_error::Segment::Unknown => break,
                    }
                }
                let inner = error.into_inner().to_string();
                let mut message = match spec_words(&inner) {
                    Some(problem) => format!("not a valid {what}: {problem}"),
                    None => format!("not a valid {what}"),
                };
                // Schemas nest, and the deserializer loses track inside them: look for the
                // deepest schema node that is wrong.
                if let Some((deeper, problem)) = enclosing_schema(self.doc, &location)
                    .and_then(|(schema_at, schema)| locate_schema_problem(schema, &schema_at))
                {
                    location = deeper;
                    message = format!("not a valid schema: {problem}");
                }
                self.diags.error(&location, message);
                None
            }
        }
    }

    /// Deserializes a schema, tolerating what real specs get wrong: a keyword with a value of
    /// the wrong kind (`required: true`, say) is dropped with a warning and decoding is tried
    /// again. `None`, with a warning, when the schema still cannot be read.
    pub(crate) fn decode_schema(
        &mut self,
        value: &Value,
        at: &Pointer,
    ) -> Option<openapiv3::Schema> {
        // Structural problems first, in one walk each (see `decode`), then `openapiv3`.
        let mut repaired = std::borrow::Cow::Borrowed(value);
        let mut repairs = 0;
        while let Some((bad, problem)) = locate_schema_problem(&repaired, at) {
            repairs += 1;
            if bad == *at || repairs > MAX_REPAIRS || !remove_at(repaired.to_mut(), at, &bad) {
                self.diags.warning(
                    &bad,
                    format!("not a valid schema: {problem}; generated as untyped JSON"),
                );
                return None;
            }
            self.diags
                .warning(&bad, format!("not a valid schema: {problem}; ignored"));
        }
        match openapiv3::Schema::deserialize(&*repaired) {
            Ok(schema) => Some(schema),
            Err(error) => {
                let message = match spec_words(&error.to_string()) {
                    Some(problem) => {
                        format!("not a valid schema ({problem}); generated as untyped JSON")
                    }
                    None => "not a valid schema; generated as untyped JSON".to_owned(),
                };
                self.diags.warning(at, message);
                None
            }
        }
    }

    /// Follows `$ref` (possibly several hops) from `value` at `at`; returns the target and where
    /// it is. Reports an error for references that are not local or do not resolve.
    pub(crate) fn resolve(
        &mut self,
        value: &'a Value,
        at: &Pointer,
    ) -> Option<(&'a Value, Pointer)> {
        let mut value = value;
        let mut location = at.clone();
        for _ in 0..MAX_REF_HOPS {
            let Some(reference) = reference_of(value) else {
                return Some((value, location));
            };
            let target = self.ref_target(reference, &location)?;
            value = target.resolve(self.doc).or_else(|| {
                self.diags.error(
                    &location.push("$ref"),
                    format!("`{reference}` does not resolve"),
                );
                None
            })?;
            location = target;
        }
        self.diags
            .error(&at.push("$ref"), "the `$ref` chain loops or is too long");
        None
    }

    /// The pointer a `$ref` string names, or an error if it is not a local reference.
    pub(crate) fn ref_target(&mut self, reference: &str, at: &Pointer) -> Option<Pointer> {
        let target = Pointer::from_ref(reference);
        if target.is_none() {
            let message = if reference.starts_with('#') {
                format!("`{reference}` is not a valid JSON pointer")
            } else {
                format!(
                    "`{reference}` is not a local reference; only references within the document (`#/...`) are supported"
                )
            };
            self.diags.error(&at.push("$ref"), message);
        }
        target
    }
}

/// What a deserializer's message says about the spec, or `None` when it speaks of the types it
/// decodes into (`data did not match any variant of untagged enum ReferenceOr`, `no variant of
/// enum ParameterSchemaOrContent found in flattened data`, `expected struct Server`): those are
/// the decoder's words, not the spec's. The messages kept name fields and values (`missing
/// field \`description\``, `invalid type: string "x", expected a boolean`).
pub(crate) fn spec_words(message: &str) -> Option<&str> {
    const DECODER_WORDS: &[&str] = &["enum ", "struct ", "variant of", "flattened", "tuple"];
    (!DECODER_WORDS.iter().any(|w| message.contains(w))).then_some(message)
}

/// The `$ref` of a reference object, if `value` is one.
pub(crate) fn reference_of(value: &Value) -> Option<&str> {
    value.as_object()?.get("$ref")?.as_str()
}

/// Removes the node at `target` from `value`, which sits at `root`. False if it is not there.
fn remove_at(value: &mut Value, root: &Pointer, target: &Pointer) -> bool {
    let Some(relative) = target.as_str().strip_prefix(root.as_str()) else {
        return false;
    };
    let segments: Vec<String> = Pointer::from_escaped(relative).segments().collect();
    let Some((last, parents)) = segments.split_last() else {
        return false;
    };
    let mut node = value;
    for segment in parents {
        node = match node {
            Value::Object(map) => match map.get_mut(segment) {
                Some(child) => child,
                None => return false,
            },
            Value::Array(items) => {
                match segment.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                    Some(child) => child,
                    None => return false,
                }
            }
            _ => return false,
        };
    }
    match node {
        Value::Object(map) => map.shift_remove(last).is_some(),
        _ => false,
    }
}

/// The innermost schema that contains `location`: the value under the last `schema` segment, or
/// a component schema.
fn enclosing_schema<'v>(doc: &'v Value, location: &Pointer) -> Option<(Pointer, &'v Value)> {
    let segments: Vec<String> = location.segments().collect();
    let mut root = None;
    for (i, segment) in segments.iter().enumerate() {
        let is_component = i == 2 && segments[0] == "components" && segments[1] == "schemas";
        if segment == "schema" {
            root = Some(i + 1);
        } else if is_component {
            root = Some(3);
        }
    }
    let depth = root?.min(segments.len());
    let mut at = Pointer::root();
    for segment in &segments[..depth] {
        at = at.push(segment);
    }
    at.resolve(doc).map(|value| (at, value))
}

/// A schema's own keywords (its format, notes and extensions), without the schemas inside it:
/// reading those with `openapiv3` can take time exponential in their depth when one is bad,
/// and lowering reads them on their own.
pub(crate) fn shallow_schema(value: &Value) -> Option<openapiv3::Schema> {
    let mut own = value.as_object()?.clone();
    own.retain(|key, _| !keywords::openapi30().any(|(nested, _)| nested == key));
    openapiv3::Schema::deserialize(&Value::Object(own)).ok()
}

/// Finds the first node of a schema that is not valid, looking at a node's own keywords before
/// its subschemas: a keyword with a value of the wrong kind, a discriminator without its
/// property, a subschema that is not an object. One walk, without deserializing.
pub(crate) fn locate_schema_problem(value: &Value, at: &Pointer) -> Option<(Pointer, String)> {
    let Some(object) = value.as_object() else {
        return Some((at.clone(), "a schema must be an object".to_owned()));
    };
    for (keyword, expected) in KEYWORD_KINDS {
        if let Some(v) = object.get(*keyword)
            && !expected.admits(v)
        {
            return Some((
                at.push(keyword),
                format!("`{keyword}` must be {}", expected.describe()),
            ));
        }
    }
    if let Some(discriminator) = object.get("discriminator")
        && !discriminator
            .get("propertyName")
            .is_some_and(Value::is_string)
    {
        let message = "`discriminator` must have a `propertyName` string".to_owned();
        return Some((at.push("discriminator"), message));
    }
    if let Some(problem) = nested_keyword_problem(object, at) {
        return Some(problem);
    }
    subschemas(object, at)
        .into_iter()
        .filter(|(child, _)| reference_of(child).is_none())
        .find_map(|(child, child_at)| locate_schema_problem(child, &child_at))
}

/// Problems inside keywords whose values have parts: names in `required`, the targets of a
/// discriminator's `mapping`, the `url` of `externalDocs`.
fn nested_keyword_problem(
    object: &serde_json::Map<String, Value>,
    at: &Pointer,
) -> Option<(Pointer, String)> {
    if let Some(Value::Array(names)) = object.get("required")
        && let Some(i) = names.iter().position(|n| !n.is_string())
    {
        let message = format!("the names in `required` must be strings (item {i} is not)");
        return Some((at.push("required"), message));
    }
    if let Some(mapping) = object.get("discriminator").and_then(|d| d.get("mapping")) {
        let at = at.push("discriminator").push("mapping");
        let Some(mapping) = mapping.as_object() else {
            return Some((at, "`mapping` must be an object".to_owned()));
        };
        if let Some((key, _)) = mapping.iter().find(|(_, v)| !v.is_string()) {
            return Some((
                at,
                format!("the `mapping` target of `{key}` must be a string"),
            ));
        }
    }
    if let Some(docs) = object.get("externalDocs")
        && !docs.get("url").is_some_and(Value::is_string)
    {
        let message = "`externalDocs` must have a `url` string".to_owned();
        return Some((at.push("externalDocs"), message));
    }
    None
}

/// The kind of value a schema keyword takes.
#[derive(Clone, Copy)]
enum Kind {
    Object,
    Array,
    String,
    Boolean,
    Number,
    /// A non-negative integer.
    Count,
    /// `additionalProperties`: a boolean or a schema.
    BooleanOrObject,
}

impl Kind {
    fn admits(self, value: &Value) -> bool {
        match self {
            Kind::Object => value.is_object(),
            Kind::Array => value.is_array(),
            Kind::String => value.is_string(),
            Kind::Boolean => value.is_boolean(),
            Kind::Number => value.is_number(),
            Kind::Count => value.is_u64(),
            Kind::BooleanOrObject => value.is_boolean() || value.is_object(),
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Kind::Object => "an object",
            Kind::Array => "an array",
            Kind::String => "a string",
            Kind::Boolean => "a boolean",
            Kind::Number => "a number",
            Kind::Count => "a non-negative integer",
            Kind::BooleanOrObject => "a boolean or a schema",
        }
    }
}

/// The keywords of an OpenAPI 3.0 schema whose values have a fixed kind.
const KEYWORD_KINDS: &[(&str, Kind)] = &[
    ("properties", Kind::Object),
    ("required", Kind::Array),
    ("items", Kind::Object),
    ("allOf", Kind::Array),
    ("oneOf", Kind::Array),
    ("anyOf", Kind::Array),
    ("not", Kind::Object),
    ("enum", Kind::Array),
    ("type", Kind::String),
    ("format", Kind::String),
    ("title", Kind::String),
    ("description", Kind::String),
    ("pattern", Kind::String),
    ("nullable", Kind::Boolean),
    ("readOnly", Kind::Boolean),
    ("writeOnly", Kind::Boolean),
    ("deprecated", Kind::Boolean),
    ("uniqueItems", Kind::Boolean),
    ("exclusiveMinimum", Kind::Boolean),
    ("exclusiveMaximum", Kind::Boolean),
    ("minimum", Kind::Number),
    ("maximum", Kind::Number),
    ("multipleOf", Kind::Number),
    ("minLength", Kind::Count),
    ("maxLength", Kind::Count),
    ("minItems", Kind::Count),
    ("maxItems", Kind::Count),
    ("minProperties", Kind::Count),
    ("maxProperties", Kind::Count),
    ("additionalProperties", Kind::BooleanOrObject),
    ("discriminator", Kind::Object),
    ("externalDocs", Kind::Object),
    ("xml", Kind::Object),
];

/// The schemas directly inside a schema object, with their locations.
fn subschemas<'v>(
    object: &'v serde_json::Map<String, Value>,
    at: &Pointer,
) -> Vec<(&'v Value, Pointer)> {
    let mut out = Vec::new();
    for (keyword, holds) in keywords::openapi30() {
        let Some(value) = object.get(keyword) else {
            continue;
        };
        let base = at.push(keyword);
        match (holds, value) {
            (Holds::One, v) if v.is_object() => out.push((v, base)),
            (Holds::List, Value::Array(list)) => out.extend(
                list.iter()
                    .enumerate()
                    .map(|(i, v)| (v, base.push(&i.to_string()))),
            ),
            (Holds::Map, Value::Object(map)) => {
                out.extend(map.iter().map(|(name, v)| (v, base.push(name))));
            }
            _ => {}
        }
    }
    out
}
