//! JSON Schema of the core types (接口模式), for the HTTP service's schemas (feature `schema`):
//! each matches the type's serde form. Ids are strings of 1–64 letters, digits and
//! `. _ : / -`; money is a yuan amount as a string with at most two decimals; dates are
//! `format: date` (chrono's schema); coded enums are strings of their codes.

/// The JSON Schema of an id type (used by `define_id!`): a string by the id rule.
#[cfg(feature = "schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __schema_id {
    ($name:ident, $kind:literal) => {
        impl $crate::__schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }
            // Unique by module: two types of one name (the aid crate's and the eligibility
            // crate's `Relation`) are two schemas, not one taken for both.
            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(concat!(module_path!(), "::", stringify!($name)))
            }
            fn json_schema(
                _: &mut $crate::__schemars::SchemaGenerator,
            ) -> $crate::__schemars::Schema {
                $crate::__schemars::json_schema!({
                    "type": "string",
                    "description": concat!("an id (", $kind, "): 1-64 of letters, digits and . _ : / -"),
                    "pattern": "^[A-Za-z0-9._:/-]{1,64}$"
                })
            }
        }
    };
}

/// Without the feature `schema`: nothing.
#[cfg(not(feature = "schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __schema_id {
    ($($t:tt)*) => {};
}

/// The JSON Schema of a coded enum (used by `coded_enum!`): a string, one of its codes.
#[cfg(feature = "schema")]
#[doc(hidden)]
#[macro_export]
macro_rules! __schema_codes {
    ($name:ident, $($code:literal),+) => {
        impl $crate::__schemars::JsonSchema for $name {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(stringify!($name))
            }
            // Unique by module: two types of one name (the aid crate's and the eligibility
            // crate's `Relation`) are two schemas, not one taken for both.
            fn schema_id() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed(concat!(module_path!(), "::", stringify!($name)))
            }
            fn json_schema(
                _: &mut $crate::__schemars::SchemaGenerator,
            ) -> $crate::__schemars::Schema {
                $crate::__schemars::json_schema!({"type": "string", "enum": [$($code),+]})
            }
        }
    };
}

/// Without the feature `schema`: nothing.
#[cfg(not(feature = "schema"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __schema_codes {
    ($($t:tt)*) => {};
}

#[cfg(feature = "schema")]
mod impls {
    use std::borrow::Cow;

    use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

    use crate::{Money, Percent, Rate};

    /// A type that serializes as a string of a pattern.
    macro_rules! string_schema {
        ($ty:ty, $name:literal, $description:literal, $pattern:literal) => {
            impl JsonSchema for $ty {
                fn schema_name() -> Cow<'static, str> {
                    Cow::Borrowed($name)
                }
                fn json_schema(_: &mut SchemaGenerator) -> Schema {
                    json_schema!({"type": "string", "description": $description, "pattern": $pattern})
                }
            }
        };
    }

    string_schema!(
        Money,
        "Money",
        "yuan, exact to the fen, as a string (\"800.00\")",
        "^\\d+(\\.\\d{1,2})?$"
    );
    string_schema!(
        Rate,
        "Rate",
        "a ratio as an exact decimal string (\"0.5\")",
        "^-?\\d+(\\.\\d+)?$"
    );
    string_schema!(
        Percent,
        "Percent",
        "a number of percent as a decimal string (\"96.33\")",
        "^-?\\d+(\\.\\d+)?$"
    );
}
