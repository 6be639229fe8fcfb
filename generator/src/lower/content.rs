//! Lowering request bodies and responses: which media type is used, how it is encoded, and the
//! shape of its schema.

use serde_json::Value;

use super::operation::{OperationSite, component_name, without_schemas};
use super::{Lowerer, repair};
use crate::ir::{
    Body, BodyKind, Content, Docs, Example, NameHint, Parent, Response, Shape, StatusMatch,
    StreamBody, StreamKind,
};
use crate::pointer::Pointer;

/// How a media type's content is encoded, from its essence (`type/subtype`, lower case).
fn kind_of(media_type: &str) -> BodyKind {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if essence.contains("json") || essence == "*/*" || essence == "application/*" {
        BodyKind::Json
    } else if essence == "application/x-www-form-urlencoded" {
        BodyKind::Form
    } else if essence.starts_with("multipart/") {
        BodyKind::Multipart
    } else if essence.starts_with("text/") || essence.ends_with("xml") || essence.ends_with("yaml")
    {
        BodyKind::Text
    } else {
        BodyKind::Binary
    }
}

/// The preferred media type of a content map: JSON, then forms, then text, then bytes; among
/// equals, the first by name.
fn preferred(content: &serde_json::Map<String, Value>) -> Option<(&String, BodyKind)> {
    preferred_of(content, false)
}

/// [`preferred`] for a response, whose streamed media types (events, JSON Lines) are read as
/// streams instead.
fn preferred_answer(content: &serde_json::Map<String, Value>) -> Option<(&String, BodyKind)> {
    preferred_of(content, true)
}

fn preferred_of(
    content: &serde_json::Map<String, Value>,
    without_streams: bool,
) -> Option<(&String, BodyKind)> {
    let rank = |kind: BodyKind| match kind {
        BodyKind::Json => 0,
        BodyKind::Form => 1,
        BodyKind::Multipart => 2,
        BodyKind::Text => 3,
        BodyKind::Binary => 4,
    };
    content
        .keys()
        .filter(|media_type| !without_streams || StreamKind::of(media_type).is_none())
        .map(|media_type| (media_type, kind_of(media_type)))
        .min_by(|a, b| (rank(a.1), a.0).cmp(&(rank(b.1), b.0)))
}

impl<'a> Lowerer<'a> {
    /// The operation's request body: `Some(None)` when it sends none (no media type, or a body
    /// that can only be `{}`), `None` when the body cannot be read (reported).
    pub(crate) fn request_body(
        &mut self,
        value: &'a Value,
        site: &OperationSite<'_>,
    ) -> Option<Option<Body>> {
        let at = site.at.push("requestBody");
        let (value, target) = self.resolve(value, &at)?;
        let mut plain = without_schemas(value);
        repair::required_flag(&mut plain, &target, &mut self.diags);
        let body = self.decode::<openapiv3::RequestBody>(&plain, &target, "request body")?;
        let Some(content) = value.get("content").and_then(Value::as_object) else {
            return Some(None);
        };
        let Some((media_type, kind)) = preferred(content) else {
            self.diags.warning(
                &target.push("content"),
                "the request body declares no media type; it is left out",
            );
            return Some(None);
        };
        let hint = match component_name(&target, "requestBodies") {
            Some(component) => NameHint::Component(component),
            None => NameHint::Child {
                parent: Parent::Operation(site.id.clone()),
                suffix: "request".to_owned(),
            },
        };
        if !body.required
            && content[media_type]
                .get("schema")
                .is_some_and(admits_nothing)
        {
            // An optional body that can only be `{}` carries nothing: no argument for it.
            return Some(None);
        }
        let media_at = target.push("content").push(media_type);
        let shape = match kind {
            BodyKind::Text => Shape::String,
            BodyKind::Binary => Shape::Binary,
            BodyKind::Json => self.media_shape(&content[media_type], &media_at, hint),
            BodyKind::Form | BodyKind::Multipart => {
                let shape = self.media_shape(&content[media_type], &media_at, hint);
                self.form_fields(shape, &media_at)
            }
        };
        Some(Some(Body {
            media_type: if media_type.trim().is_empty() {
                "application/octet-stream".to_owned()
            } else {
                media_type.clone()
            },
            kind,
            shape,
            required: body.required,
            doc: Docs {
                summary: None,
                description: body.description,
                deprecated: false,
            },
        }))
    }

    pub(crate) fn responses(
        &mut self,
        value: Option<&'a Value>,
        site: &OperationSite<'_>,
    ) -> Vec<Response> {
        let at = site.at.push("responses");
        let Some(value) = value else {
            self.diags.warning(&at, "no responses declared");
            return Vec::new();
        };
        let Some(map) = self.expect_object(value, &at, "map of responses") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for (key, value) in map {
            if key.starts_with("x-") {
                continue;
            }
            let Some(status) = parse_status(key) else {
                self.diags.warning(
                    &at.push(key),
                    format!("`{key}` is not a status code; ignored"),
                );
                continue;
            };
            if let Some(response) = self.response(status, value, &at.push(key), site) {
                out.push(response);
            }
        }
        out.sort_by_key(|r| r.status);
        out
    }

    fn response(
        &mut self,
        status: StatusMatch,
        value: &'a Value,
        at: &Pointer,
        site: &OperationSite<'_>,
    ) -> Option<Response> {
        let (value, target) = self.resolve(value, at)?;
        let mut plain = without_schemas(value);
        repair::response(&mut plain, &target, &mut self.diags);
        let response = self.decode::<openapiv3::Response>(&plain, &target, "response")?;
        let doc = Docs {
            summary: None,
            description: Some(response.description.clone()).filter(|d| !d.is_empty()),
            deprecated: false,
        };
        let content = value.get("content").and_then(Value::as_object);
        let stream = content.and_then(|c| self.stream_body(c, status, &target, site));
        let Some((media_type, kind)) = content.and_then(preferred_answer) else {
            return Some(Response {
                status,
                doc,
                content: None,
                media_type: None,
                stream,
            });
        };
        let hint = match component_name(&target, "responses") {
            Some(component) => NameHint::Component(component),
            None => NameHint::Child {
                parent: Parent::Operation(site.id.clone()),
                suffix: response_suffix(status),
            },
        };
        let media = &content.expect("a preferred media type comes from the content")[media_type];
        let content = match kind {
            BodyKind::Json => Content::Json(self.media_shape(
                media,
                &target.push("content").push(media_type),
                hint,
            )),
            BodyKind::Text => Content::Text,
            BodyKind::Form | BodyKind::Multipart | BodyKind::Binary => Content::Binary,
        };
        Some(Response {
            status,
            doc,
            content: Some(content),
            media_type: Some(media_type.clone()),
            stream,
        })
    }

    /// The first streamed media type of a response's content (by name), and the shape of its
    /// items: an event's data, or a line's value.
    fn stream_body(
        &mut self,
        content: &'a serde_json::Map<String, Value>,
        status: StatusMatch,
        target: &Pointer,
        site: &OperationSite<'_>,
    ) -> Option<StreamBody> {
        let (media_type, kind) = content
            .keys()
            .filter_map(|m| Some((m, StreamKind::of(m)?)))
            .min_by(|a, b| a.0.cmp(b.0))?;
        let word = match kind {
            StreamKind::Events => "event",
            StreamKind::JsonLines | StreamKind::JsonSeq => "item",
        };
        let hint = NameHint::Child {
            parent: Parent::Operation(site.id.clone()),
            suffix: format!("{} {word}", response_suffix(status)),
        };
        let at = target.push("content").push(media_type);
        let shape = self.media_shape(&content[media_type], &at, hint);
        Some(StreamBody {
            kind,
            shape,
            media_type: media_type.clone(),
        })
    }

    /// A form (or multipart) body is a set of named fields. A schema that plainly is not an
    /// object (a string, a list) cannot say which: the body becomes a map of text fields.
    fn form_fields(&mut self, shape: Shape, media_at: &Pointer) -> Shape {
        let scalar_or_list = matches!(
            shape,
            Shape::Bool
                | Shape::Int(_)
                | Shape::Float(_)
                | Shape::String
                | Shape::DateTime
                | Shape::Date
                | Shape::Uuid
                | Shape::Base64
                | Shape::Binary
                | Shape::Array(_)
        );
        if !scalar_or_list {
            return shape;
        }
        self.diags.warning(
            &media_at.push("schema"),
            "a form body is a set of named fields, but this schema is not an object; the body is generated as a map of text fields",
        );
        Shape::Map(Box::new(Shape::String))
    }

    /// The shape of a media type's schema (untyped JSON without one), recording its examples.
    fn media_shape(&mut self, media: &Value, at: &Pointer, hint: NameHint) -> Shape {
        let shape = match media.get("schema") {
            Some(schema) => self.schema_value(schema, &at.push("schema"), hint),
            None => Shape::Any,
        };
        if let Some(example) = media.get("example") {
            self.api.examples.push(Example {
                at: at.push("example"),
                shape: shape.clone(),
                value: example.clone(),
            });
        }
        if let Some(examples) = media.get("examples").and_then(Value::as_object) {
            for (name, example) in examples {
                if let Some(value) = example.get("value") {
                    let at = at.push("examples").push(name).push("value");
                    self.api.examples.push(Example {
                        at,
                        shape: shape.clone(),
                        value: value.clone(),
                    });
                }
            }
        }
        shape
    }
}

/// Whether an inline schema is an object without properties that allows no others: a body of
/// that schema is always `{}`.
fn admits_nothing(schema: &Value) -> bool {
    let no_properties = schema
        .get("properties")
        .is_none_or(|p| p.as_object().is_some_and(|p| p.is_empty()));
    schema.get("type").and_then(Value::as_str) == Some("object")
        && no_properties
        && schema.get("additionalProperties") == Some(&Value::Bool(false))
        && ["allOf", "oneOf", "anyOf", "$ref"]
            .iter()
            .all(|k| schema.get(*k).is_none())
}

pub(crate) fn parse_status(key: &str) -> Option<StatusMatch> {
    if key == "default" {
        return Some(StatusMatch::Default);
    }
    let bytes = key.as_bytes();
    if bytes.len() != 3 || !(b'1'..=b'5').contains(&bytes[0]) {
        return None;
    }
    if key[1..].eq_ignore_ascii_case("xx") {
        return Some(StatusMatch::Range(bytes[0] - b'0'));
    }
    key.parse().ok().map(StatusMatch::Code)
}

fn response_suffix(status: StatusMatch) -> String {
    match status {
        StatusMatch::Code(code) if (200..300).contains(&code) => format!("response {code}"),
        StatusMatch::Code(code) => format!("error {code}"),
        StatusMatch::Range(digit) => format!("response {digit}XX"),
        StatusMatch::Default => "default response".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_are_sorted_into_encodings() {
        assert_eq!(kind_of("application/json; charset=utf-8"), BodyKind::Json);
        assert_eq!(kind_of("application/vnd.github+json"), BodyKind::Json);
        assert_eq!(kind_of("*/*"), BodyKind::Json);
        assert_eq!(kind_of("application/x-www-form-urlencoded"), BodyKind::Form);
        assert_eq!(kind_of("multipart/form-data"), BodyKind::Multipart);
        assert_eq!(kind_of("text/csv"), BodyKind::Text);
        assert_eq!(kind_of("application/xml"), BodyKind::Text);
        assert_eq!(kind_of("application/octet-stream"), BodyKind::Binary);
        assert_eq!(kind_of("image/png"), BodyKind::Binary);
    }

    #[test]
    fn json_is_preferred_then_forms() {
        let content: serde_json::Map<String, Value> = serde_json::from_str(
            r#"{"text/plain": {}, "multipart/form-data": {}, "application/json": {}}"#,
        )
        .unwrap();
        assert_eq!(
            preferred(&content).map(|(m, _)| m.as_str()),
            Some("application/json")
        );
        let streams: serde_json::Map<String, Value> =
            serde_json::from_str(r#"{"application/x-ndjson": {}, "text/event-stream": {}}"#)
                .unwrap();
        assert_eq!(preferred_answer(&streams), None);
        assert_eq!(
            preferred(&streams).map(|(m, _)| m.as_str()),
            Some("application/x-ndjson"),
            "a request body of JSON Lines is sent as JSON"
        );
    }
}
