//! The conversions of string enums, written once: generated code invokes [`string_enum!`] (and
//! [`string_enum_serialize!`] and [`string_enum_deserialize!`], for the directions the type
//! travels) for each enum instead of spelling out the same impls every time.

/// Implements `From<&str>`, `From<String>`, `FromStr`, `Display` and the comparisons
/// (`PartialEq`, `Eq`, `Hash`, `PartialOrd`, `Ord`) for a string enum whose variant `$other`
/// holds values that were not known when the crate was generated. The enum has
/// `fn known(&str) -> Option<Self>` (the known values) and `fn as_str(&self) -> &str` (the wire
/// value).
///
/// Known values always become their own variant, whichever way a value is built. Values
/// compare, hash and sort as their wire values do.
// A crate whose API has no string enum does not use it.
#[allow(unused_macros)]
macro_rules! string_enum {
    ($name:ident, $other:ident) => {
        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::$other(value.to_owned()))
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                Self::known(&value).unwrap_or(Self::$other(value))
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                ::std::result::Result::Ok(Self::from(value))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, state: &mut H) {
                ::std::hash::Hash::hash(self.as_str(), state)
            }
        }

        impl ::std::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(self.cmp(other))
            }
        }

        impl ::std::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }
    };
}

/// Implements `Serialize` for a string enum: its wire value (`as_str`).
#[allow(unused_macros)]
macro_rules! string_enum_serialize {
    ($name:ident) => {
        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
    };
}

/// Implements `Deserialize` for a string enum: any string, known values as their variant.
#[allow(unused_macros)]
macro_rules! string_enum_deserialize {
    ($name:ident) => {
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as ::serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}

#[allow(unused_imports)]
pub(crate) use {string_enum, string_enum_deserialize, string_enum_serialize};
