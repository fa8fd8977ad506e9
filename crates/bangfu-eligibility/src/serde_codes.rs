//! Serde helpers that refuse a bad value with its typed [`EligibilityError`](crate::EligibilityError)
//! through [`bangfu_core::read::refuse`], so that readers get the code from the type, never
//! from the message.

use core::fmt;

use bangfu_core::Money;

use crate::error::CodeKind;

/// Refuses an unknown code of `kind`.
fn unknown<E: serde::de::Error>(kind: CodeKind, value: &str) -> E {
    let err = crate::EligibilityError::UnknownCode {
        kind,
        value: bangfu_core::read::quote(value),
        line: None,
    };
    bangfu_core::read::refuse(&err, value)
}

/// Refuses a negative amount.
fn negative<E: serde::de::Error>(value: &str) -> E {
    let err = crate::EligibilityError::NegativeIncome {
        field: String::new(),
        value: bangfu_core::read::quote(value),
    };
    bangfu_core::read::refuse(&err, value)
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
                <$ty>::from_code(&text).ok_or_else(|| unknown($kind, &text))
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
                crate::VehicleKind::from_code(t).ok_or_else(|| unknown(CodeKind::VehicleKind, t))
            })
            .collect()
    }
}

/// A yuan amount that must not be negative: a string (`"1234.50"`) or an integer; a
/// negative value is `eligibility.negative_income`.
pub(crate) mod amount {
    use super::*;

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
                return Err(negative(v));
            }
            Money::parse_yuan(v).map_err(|e| bangfu_core::read::refuse(&e, v))
        }
        fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Money, E> {
            if v < 0 {
                return Err(negative(&v.to_string()));
            }
            Money::from_yuan(v).map_err(|e| bangfu_core::read::refuse(&e, ""))
        }
        fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Money, E> {
            let overflow = bangfu_core::CoreError::Overflow { operation: "read" };
            let v = i64::try_from(v).map_err(|_| bangfu_core::read::refuse(&overflow, ""))?;
            Money::from_yuan(v).map_err(|e| bangfu_core::read::refuse(&e, ""))
        }
    }
}
