//! Serde helpers that put a stable error code at the front of their messages, so
//! [`parse_toml`](crate::parse_toml) can turn a deserializer error into a typed
//! [`EligibilityError`](crate::EligibilityError).

use core::fmt;

use bangfu_core::Money;
use serde::de::Error as _;

use crate::error::CodeKind;

/// The message of an unknown code: `"<error code> `<value>`"`.
fn unknown(kind: CodeKind, value: &str) -> String {
    format!("{} `{value}`", kind.error_code())
}

macro_rules! coded_field {
    ($module:ident, $ty:ty, $kind:expr) => {
        pub(crate) mod $module {
            use super::*;

            pub(crate) fn serialize<S: serde::Serializer>(
                v: &$ty,
                s: S,
            ) -> Result<S::Ok, S::Error> {
                s.serialize_str(v.code())
            }

            pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
                d: D,
            ) -> Result<$ty, D::Error> {
                let text = <String as serde::Deserialize>::deserialize(d)?;
                <$ty>::from_code(&text).ok_or_else(|| D::Error::custom(unknown($kind, &text)))
            }
        }
    };
}

coded_field!(relation, crate::Relation, CodeKind::Relation);
coded_field!(school_stage, crate::SchoolStage, CodeKind::SchoolStage);
coded_field!(vehicle_kind, crate::VehicleKind, CodeKind::VehicleKind);
coded_field!(fact_kind, crate::FactKind, CodeKind::FactKind);

/// A list of vehicle kinds with typed unknown codes.
pub(crate) mod vehicle_kinds {
    use super::*;

    pub(crate) fn serialize<S: serde::Serializer>(
        v: &[crate::VehicleKind],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(v.iter().map(|k| k.code()))
    }

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<crate::VehicleKind>, D::Error> {
        let texts = <Vec<String> as serde::Deserialize>::deserialize(d)?;
        texts
            .iter()
            .map(|t| {
                crate::VehicleKind::from_code(t)
                    .ok_or_else(|| D::Error::custom(unknown(CodeKind::VehicleKind, t)))
            })
            .collect()
    }
}

/// A yuan amount that must not be negative: a string (`"1234.50"`) or an integer; a
/// negative value is `eligibility.negative_income`.
pub(crate) mod amount {
    use super::*;

    pub(crate) const NEGATIVE: &str = "eligibility.negative_income";

    pub(crate) fn serialize<S: serde::Serializer>(v: &Money, s: S) -> Result<S::Ok, S::Error> {
        serde::Serialize::serialize(v, s)
    }

    pub(crate) fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
        d.deserialize_any(AmountVisitor)
    }

    struct AmountVisitor;

    impl serde::de::Visitor<'_> for AmountVisitor {
        type Value = Money;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a non-negative yuan amount such as \"1234.50\" or 1234")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
            if v.trim_start().starts_with('-') {
                return Err(E::custom(format!("{NEGATIVE} `{v}`")));
            }
            Money::parse_yuan(v).map_err(E::custom)
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Money, E> {
            if v < 0 {
                return Err(E::custom(format!("{NEGATIVE} `{v}`")));
            }
            Money::from_yuan(v).map_err(E::custom)
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
            let v = i64::try_from(v).map_err(E::custom)?;
            Money::from_yuan(v).map_err(E::custom)
        }
    }
}
