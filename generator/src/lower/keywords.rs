//! The schema keywords that hold schemas: one table, read by every walk over the schemas inside
//! a schema (the 2.0 and 3.1 front ends, and locating a bad node).

/// How a keyword holds its schemas.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Holds {
    /// One schema (`items`).
    One,
    /// A list of schemas (`allOf`).
    List,
    /// Schemas by name (`properties`).
    Map,
}

/// Which schema objects have a keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dialect {
    /// OpenAPI 3.0's schema object, which `openapiv3` reads (and 2.0's, which has fewer).
    OpenApi30,
    /// JSON Schema 2020-12 (OpenAPI 3.1) and earlier drafts only.
    JsonSchema,
}

/// Every keyword that holds schemas, in the order walks visit them.
const SUBSCHEMA_KEYWORDS: &[(&str, Holds, Dialect)] = &[
    ("properties", Holds::Map, Dialect::OpenApi30),
    ("items", Holds::One, Dialect::OpenApi30),
    ("not", Holds::One, Dialect::OpenApi30),
    ("additionalProperties", Holds::One, Dialect::OpenApi30),
    ("allOf", Holds::List, Dialect::OpenApi30),
    ("oneOf", Holds::List, Dialect::OpenApi30),
    ("anyOf", Holds::List, Dialect::OpenApi30),
    ("contains", Holds::One, Dialect::JsonSchema),
    ("propertyNames", Holds::One, Dialect::JsonSchema),
    ("if", Holds::One, Dialect::JsonSchema),
    ("then", Holds::One, Dialect::JsonSchema),
    ("else", Holds::One, Dialect::JsonSchema),
    ("prefixItems", Holds::List, Dialect::JsonSchema),
    ("$defs", Holds::Map, Dialect::JsonSchema),
    ("definitions", Holds::Map, Dialect::JsonSchema),
    ("patternProperties", Holds::Map, Dialect::JsonSchema),
    ("dependentSchemas", Holds::Map, Dialect::JsonSchema),
];

/// Every keyword that holds schemas, and how.
pub(super) fn all() -> impl Iterator<Item = (&'static str, Holds)> {
    SUBSCHEMA_KEYWORDS
        .iter()
        .map(|&(keyword, holds, _)| (keyword, holds))
}

/// The keywords of OpenAPI 3.0's schema object that hold schemas, and how.
pub(super) fn openapi30() -> impl Iterator<Item = (&'static str, Holds)> {
    SUBSCHEMA_KEYWORDS
        .iter()
        .filter(|&&(_, _, dialect)| dialect == Dialect::OpenApi30)
        .map(|&(keyword, holds, _)| (keyword, holds))
}

/// How `keyword` holds schemas, if it does.
pub(super) fn holds(keyword: &str) -> Option<Holds> {
    all().find(|&(k, _)| k == keyword).map(|(_, holds)| holds)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_keyword_is_listed_once() {
        let keywords: std::collections::BTreeSet<&str> = all().map(|(k, _)| k).collect();
        assert_eq!(keywords.len(), SUBSCHEMA_KEYWORDS.len());
    }

    #[test]
    fn the_openapi30_keywords_are_those_openapiv3_reads_as_schemas() {
        // A bad schema under a keyword: `openapiv3` rejects it where it reads the keyword's
        // schemas, and ignores it under the keywords it does not know.
        for &(keyword, holds, dialect) in SUBSCHEMA_KEYWORDS {
            let bad = serde_json::json!({ "type": 7 });
            let value = match holds {
                Holds::One => bad,
                Holds::List => serde_json::json!([bad]),
                Holds::Map => serde_json::json!({ "x": bad }),
            };
            let schema = serde_json::json!({ keyword: value });
            let read = serde_json::from_value::<openapiv3::Schema>(schema).is_err();
            assert_eq!(read, dialect == Dialect::OpenApi30, "{keyword}");
        }
        assert_eq!(holds("prefixItems"), Some(Holds::List));
        assert_eq!(holds("required"), None);
    }
}
