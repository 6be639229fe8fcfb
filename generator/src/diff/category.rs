//! The kinds of wire change, each with its stable name (`request-parameter-removed`), written
//! once: reports, JSON output and tools that read it use the name.

/// Declares [`Category`] and its names from one list.
macro_rules! categories {
    ($($(#[doc = $doc:literal])* $variant:ident => $name:literal,)*) => {
        /// A kind of wire change.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
        pub enum Category {
            $($(#[doc = $doc])* $variant,)*
        }

        impl Category {
            /// Every category, in declaration order.
            pub const ALL: &[Category] = &[$(Category::$variant,)*];

            /// The category's stable name.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Category::$variant => $name,)*
                }
            }
        }
    };
}

categories! {
    // Operations.
    EndpointAdded => "endpoint-added",
    EndpointRemoved => "endpoint-removed",
    EndpointDeprecated => "endpoint-deprecated",
    /// The operationId changed, and with it the method's name.
    OperationIdChanged => "operation-id-changed",
    /// Tags (or the path's first segment) put the operation in another group.
    OperationGroupChanged => "operation-group-changed",
    /// Another method of its group took the operation's short name.
    OperationMethodRenamed => "operation-method-renamed",
    // Security and servers.
    SecurityAdded => "security-added",
    SecurityRemoved => "security-removed",
    SecurityAlternativeAdded => "security-alternative-added",
    SecurityChanged => "security-changed",
    ServerAdded => "server-added",
    ServerRemoved => "server-removed",
    // Parameters.
    NewRequiredRequestParameter => "new-required-request-parameter",
    NewOptionalRequestParameter => "new-optional-request-parameter",
    RequestParameterRemoved => "request-parameter-removed",
    RequestParameterBecameRequired => "request-parameter-became-required",
    RequestParameterBecameOptional => "request-parameter-became-optional",
    // Request bodies.
    RequestBodyAdded => "request-body-added",
    RequestBodyAddedRequired => "request-body-added-required",
    RequestBodyRemoved => "request-body-removed",
    RequestBodyBecameRequired => "request-body-became-required",
    RequestBodyBecameOptional => "request-body-became-optional",
    RequestBodyMediaTypeChanged => "request-body-media-type-changed",
    // Responses.
    ResponseSuccessStatusAdded => "response-success-status-added",
    ResponseSuccessStatusRemoved => "response-success-status-removed",
    ResponseNonSuccessStatusAdded => "response-non-success-status-added",
    ResponseNonSuccessStatusRemoved => "response-non-success-status-removed",
    ResponseMediaTypeChanged => "response-media-type-changed",
    ResponseHeaderAdded => "response-header-added",
    ResponseHeaderRemoved => "response-header-removed",
    ResponseStreamAdded => "response-stream-added",
    ResponseStreamRemoved => "response-stream-removed",
    ResponseStreamMediaTypeChanged => "response-stream-media-type-changed",
    // Schemas.
    SchemaTypeChanged => "schema-type-changed",
    SchemaRenamed => "schema-renamed",
    /// A value refers to another schema, whose own changes are listed under it.
    SchemaReplaced => "schema-replaced",
    DiscriminatorChanged => "discriminator-changed",
    EnumValueAdded => "enum-value-added",
    EnumValueRemoved => "enum-value-removed",
    NewOptionalProperty => "new-optional-property",
    NewRequiredRequestProperty => "new-required-request-property",
    NewRequiredResponseProperty => "new-required-response-property",
    RequestPropertyRemoved => "request-property-removed",
    ResponseRequiredPropertyRemoved => "response-required-property-removed",
    ResponseOptionalPropertyRemoved => "response-optional-property-removed",
    PropertyRenamed => "property-renamed",
    PropertyRequiredChanged => "property-required-changed",
    PropertyDefaultChanged => "property-default-changed",
    PropertyDeprecated => "property-deprecated",
    AdditionalPropertiesAllowed => "additional-properties-allowed",
    AdditionalPropertiesRemoved => "additional-properties-removed",
    // Values (a field, a parameter, a body).
    TypeChanged => "type-changed",
    BecameNullable => "became-nullable",
    BecameNotNullable => "became-not-nullable",
    ConstraintTightened => "constraint-tightened",
    ConstraintLoosened => "constraint-loosened",
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for Category {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_name_is_its_variant_in_kebab_case() {
        use heck::ToKebabCase;
        let mut names = std::collections::BTreeSet::new();
        for category in Category::ALL {
            let variant = format!("{category:?}").to_kebab_case();
            assert_eq!(category.as_str(), variant);
            assert!(names.insert(category.as_str()), "{category:?} twice");
        }
    }
}
