//! Lowering the headers that responses declare: each operation gets one list, every header once,
//! for a struct that reads them from any response.

use serde_json::Value;

use super::Lowerer;
use super::content::parse_status;
use super::operation::{OperationSite, component_name};
use super::schema::is_sensitive;
use crate::ir::{Docs, NameHint, Parent, ResponseHeader, Shape, StatusMatch};
use crate::pointer::Pointer;

impl<'a> Lowerer<'a> {
    /// The headers declared by the responses of an operation: by case-insensitive name, the
    /// declaration of the response with the lowest status wins. `Content-Type` is left out, as
    /// OpenAPI says.
    pub(crate) fn response_headers(
        &mut self,
        responses: Option<&'a Value>,
        site: &OperationSite<'_>,
    ) -> Vec<ResponseHeader> {
        let Some(responses) = responses.and_then(Value::as_object) else {
            return Vec::new();
        };
        let at = site.at.push("responses");
        let mut ordered: Vec<(StatusMatch, &String, &'a Value)> = responses
            .iter()
            .filter_map(|(key, value)| parse_status(key).map(|status| (status, key, value)))
            .collect();
        ordered.sort_by_key(|(status, _, _)| *status);
        let mut out: Vec<ResponseHeader> = Vec::new();
        for (_, key, value) in ordered {
            let Some((response, target)) = self.resolve(value, &at.push(key)) else {
                continue;
            };
            let Some(headers) = response.get("headers").and_then(Value::as_object) else {
                continue;
            };
            for (name, header) in headers {
                let taken = out.iter().any(|h| h.wire.eq_ignore_ascii_case(name));
                if taken || name.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                let header_at = target.push("headers").push(name);
                if let Some(header) = self.response_header(name, header, &header_at, site) {
                    out.push(header);
                }
            }
        }
        out.sort_by(|a, b| {
            a.wire
                .to_ascii_lowercase()
                .cmp(&b.wire.to_ascii_lowercase())
        });
        out
    }

    fn response_header(
        &mut self,
        name: &str,
        value: &'a Value,
        at: &Pointer,
        site: &OperationSite<'_>,
    ) -> Option<ResponseHeader> {
        let (value, target) = self.resolve(value, at)?;
        let object = self.expect_object(value, &target, "header")?;
        let (schema, schema_at) = match object.get("schema") {
            Some(schema) => (schema, target.push("schema")),
            None => {
                // A header described by `content`: its one media type's schema.
                let content = object.get("content").and_then(Value::as_object);
                match content.and_then(|c| c.iter().next()) {
                    Some((media_type, media)) => (
                        media.get("schema").unwrap_or(&Value::Null),
                        target.push("content").push(media_type).push("schema"),
                    ),
                    None => (&Value::Null, target.push("schema")),
                }
            }
        };
        let hint = match component_name(&target, "headers") {
            Some(component) => NameHint::Component(component),
            None => NameHint::Child {
                parent: Parent::Operation(site.id.clone()),
                suffix: format!("{name} header"),
            },
        };
        let shape = match schema.is_null() {
            true => Shape::String,
            false => match self.schema_value(schema, &schema_at, hint) {
                // A header value is text, whatever its schema says.
                Shape::Binary => Shape::String,
                shape => shape,
            },
        };
        let text = |key: &str| object.get(key).and_then(Value::as_str).map(str::to_owned);
        let sensitive = super::decode::shallow_schema(schema).is_some_and(|s| is_sensitive(&s));
        Some(ResponseHeader {
            wire: name.to_owned(),
            name: String::new(),
            shape,
            doc: Docs {
                summary: None,
                description: text("description").filter(|d| !d.is_empty()),
                deprecated: object.get("deprecated") == Some(&Value::Bool(true)),
            },
            sensitive,
        })
    }
}
