//! Validation keywords (`minimum`, `maxLength`, `pattern`, ...) read from a schema's JSON, through
//! `$ref`s and into array items, so that generated clients can check values before sending them.

use serde_json::Value;

use super::Lowerer;
use super::decode::reference_of;
use crate::ir::Constraints;
use crate::pointer::Pointer;

impl Lowerer<'_> {
    /// The constraints of the schema (or reference) at `at`. A `pattern` the generated client
    /// cannot check is kept for the docs, marked, and reported.
    pub(crate) fn constraints(&mut self, schema: &Value, at: &Pointer) -> Constraints {
        let mut constraints = constraints_of(self.doc, schema);
        self.mark_unsupported_patterns(&mut constraints, at);
        constraints
    }

    fn mark_unsupported_patterns(&mut self, constraints: &mut Constraints, at: &Pointer) {
        if let Some(pattern) = &constraints.pattern {
            // Each pattern is compiled once, and reported where it is first met (see
            // `report_unsupported_patterns`).
            let supported = match self.patterns.get(pattern) {
                Some(supported) => *supported,
                None => {
                    let supported = pattern_is_supported(pattern);
                    self.patterns.insert(pattern.clone(), supported);
                    if !supported {
                        self.unsupported_patterns
                            .insert(pattern.clone(), at.clone());
                    }
                    supported
                }
            };
            constraints.pattern_unsupported = !supported;
        }
        if let Some(items) = &mut constraints.items {
            self.mark_unsupported_patterns(items, &at.push("items"));
        }
    }

    /// Warns once about each pattern the generated client cannot check, where it is first met.
    pub(crate) fn report_unsupported_patterns(&mut self) {
        for (pattern, at) in std::mem::take(&mut self.unsupported_patterns) {
            let message = format!(
                "the pattern `{pattern}` uses syntax the `regex` crate does not support (look-around or back-references, say); it is documented but not checked, here and wherever else it is used"
            );
            self.diags.warning(&at, message);
        }
    }
}

/// Whether the generated client can check `pattern`: the `regex` crate accepts it, within a
/// compiled size that keeps checking cheap.
pub(crate) fn pattern_is_supported(pattern: &str) -> bool {
    regex::RegexBuilder::new(pattern)
        .size_limit(1 << 20)
        .build()
        .is_ok()
}

/// How many `$ref` hops and nested `items` are followed; deeper schemas go unchecked.
const MAX_DEPTH: usize = 16;

/// The constraints of `schema` (a schema or a reference to one) in `doc`. References that do not
/// resolve give no constraints; lowering the schema itself reports them.
pub(crate) fn constraints_of(doc: &Value, schema: &Value) -> Constraints {
    constraints_at_depth(doc, schema, 0)
}

fn constraints_at_depth(doc: &Value, schema: &Value, depth: usize) -> Constraints {
    let Some(schema) = follow(doc, schema) else {
        return Constraints::default();
    };
    let mut c = Constraints::default();
    let (minimum, exclusive_minimum) = bound(schema, "minimum", "exclusiveMinimum");
    let (maximum, exclusive_maximum) = bound(schema, "maximum", "exclusiveMaximum");
    c.minimum = minimum;
    c.exclusive_minimum = exclusive_minimum;
    c.maximum = maximum;
    c.exclusive_maximum = exclusive_maximum;
    c.min_length = count(schema, "minLength");
    c.max_length = count(schema, "maxLength");
    c.pattern = schema
        .get("pattern")
        .and_then(Value::as_str)
        .map(str::to_owned);
    c.format = schema
        .get("format")
        .and_then(Value::as_str)
        .map(str::to_owned);
    c.min_items = count(schema, "minItems");
    c.max_items = count(schema, "maxItems");
    if depth < MAX_DEPTH
        && let Some(items) = schema.get("items").filter(|items| items.is_object())
    {
        let items = constraints_at_depth(doc, items, depth + 1);
        if !items.is_empty() {
            c.items = Some(Box::new(items));
        }
    }
    c
}

/// The schema a reference leads to (or the schema itself).
fn follow<'a>(doc: &'a Value, schema: &'a Value) -> Option<&'a Value> {
    let mut value = schema;
    for _ in 0..MAX_DEPTH {
        match reference_of(value) {
            Some(reference) => value = Pointer::from_ref(reference)?.resolve(doc)?,
            None => return value.is_object().then_some(value),
        }
    }
    None
}

/// A bound and whether it is exclusive, in OpenAPI 3.0's form (`exclusiveMinimum: true` beside
/// `minimum`) or JSON Schema's (`exclusiveMinimum: 5` on its own).
fn bound(schema: &Value, inclusive: &str, exclusive: &str) -> (Option<f64>, bool) {
    let value = schema.get(inclusive).and_then(Value::as_f64);
    match schema.get(exclusive) {
        Some(Value::Bool(flag)) => (value, *flag && value.is_some()),
        Some(Value::Number(n)) => match (n.as_f64(), value) {
            // Both given: the stricter one wins.
            (Some(e), Some(v)) if (inclusive == "minimum") == (v > e) => (Some(v), false),
            (Some(e), _) => (Some(e), true),
            (None, v) => (v, false),
        },
        _ => (value, false),
    }
}

/// A non-negative integer keyword.
fn count(schema: &Value, keyword: &str) -> Option<usize> {
    let value = schema.get(keyword)?;
    value
        .as_u64()
        .or_else(|| {
            value
                .as_f64()
                .filter(|v| v.fract() == 0.0 && *v >= 0.0)
                .map(|v| v as u64)
        })
        .and_then(|v| usize::try_from(v).ok())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::constraints_of;

    #[test]
    fn reads_bounds_in_both_styles() {
        let doc = json!({});
        let c = constraints_of(
            &doc,
            &json!({"type": "integer", "minimum": 5, "maximum": 10080}),
        );
        assert_eq!((c.minimum, c.maximum), (Some(5.0), Some(10080.0)));
        assert!(!c.exclusive_minimum && !c.exclusive_maximum);
        let c = constraints_of(&doc, &json!({"minimum": 0, "exclusiveMinimum": true}));
        assert_eq!((c.minimum, c.exclusive_minimum), (Some(0.0), true));
        let c = constraints_of(&doc, &json!({"exclusiveMaximum": 1.5}));
        assert_eq!((c.maximum, c.exclusive_maximum), (Some(1.5), true));
        // A lone `exclusiveMinimum: true` bounds nothing.
        let c = constraints_of(&doc, &json!({"exclusiveMinimum": true}));
        assert_eq!((c.minimum, c.exclusive_minimum), (None, false));
    }

    #[test]
    fn follows_references_and_items() {
        let doc = json!({"components": {"schemas": {
            "Code": {"type": "string", "minLength": 2, "maxLength": 8, "pattern": "^[A-Z]+$"},
            "Loop": {"$ref": "#/components/schemas/Loop"}
        }}});
        let c = constraints_of(&doc, &json!({"$ref": "#/components/schemas/Code"}));
        assert_eq!((c.min_length, c.max_length), (Some(2), Some(8)));
        assert_eq!(c.pattern.as_deref(), Some("^[A-Z]+$"));
        let c = constraints_of(
            &doc,
            &json!({"type": "array", "maxItems": 3, "items": {"$ref": "#/components/schemas/Code"}}),
        );
        assert_eq!(c.max_items, Some(3));
        assert_eq!(c.items.unwrap().max_length, Some(8));
        assert!(constraints_of(&doc, &json!({"$ref": "#/components/schemas/Loop"})).is_empty());
        assert!(constraints_of(&doc, &json!({"$ref": "#/nowhere"})).is_empty());
    }
}
