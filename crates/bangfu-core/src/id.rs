//! Validated string ids.

/// Declares a validated id type: a non-empty string of at most 64 characters from
/// `[A-Za-z0-9._:/-]`, serialized as the string.
///
/// # Example
/// ```
/// bangfu_core::define_id! {
///     /// A visit id (走访编号).
///     pub struct VisitId("visit");
/// }
/// assert!(VisitId::new("V-2018-001").is_ok());
/// assert!(VisitId::new("").is_err());
/// assert!(VisitId::new("has space").is_err());
/// ```
#[macro_export]
macro_rules! define_id {
    ($(#[$meta:meta])* $vis:vis struct $name:ident($kind:literal);) => {
        $(#[$meta])*
        ///
        /// The text is shared (`Arc<str>`): a copy of the id is a count, not a new string, so
        /// a year that names a household, unit or payment in many records keeps its text once
        /// per reading of it.
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis struct $name(std::sync::Arc<str>);

        impl<'de> serde::Deserialize<'de> for $name {
            /// An id from a string (as `try_from = "String"` would read it, without the
            /// intermediate `String`).
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Text;
                impl serde::de::Visitor<'_> for Text {
                    type Value = $name;
                    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::read(v).map_err(E::custom)
                    }
                }
                d.deserialize_str(Text)
            }
        }

        impl serde::Serialize for $name {
            /// The id as a string (as `into = "String"` would write it, without the copy).
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }

        $crate::__schema_id!($name, $kind);

        impl $name {
            /// A validated id.
            ///
            /// # Errors
            /// [`CoreError::InvalidId`]($crate::CoreError::InvalidId) for an empty or too
            /// long id, or one with other characters.
            pub fn new(id: impl Into<String>) -> Result<Self, $crate::CoreError> {
                let id = id.into();
                if $crate::id_is_valid(&id) {
                    Ok($name(std::sync::Arc::from(id)))
                } else {
                    Err($crate::CoreError::InvalidId { kind: $kind, input: id })
                }
            }

            /// An id read from caller text: [`Self::new`], with the refusal noted for the
            /// reader's typed error (what `TryFrom<String>` does).
            fn read(s: &str) -> Result<Self, $crate::CoreError> {
                if $crate::id_is_valid(s) {
                    Ok($name(std::sync::Arc::from(s)))
                } else {
                    let err = $crate::CoreError::InvalidId { kind: $kind, input: s.to_owned() };
                    Err($crate::read::noted(err, s))
                }
            }

            /// The id as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }

            /// This kind of id with the text of another (every id has one syntax): no check
            /// and no copy, the text is shared.
            pub fn of_id(other: &impl $crate::SharedId) -> Self {
                $name(std::sync::Arc::clone($crate::SharedId::shared_text(other)))
            }
        }

        impl $crate::SharedId for $name {
            fn shared_text(&self) -> &std::sync::Arc<str> {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = $crate::CoreError;
            fn try_from(s: String) -> Result<Self, Self::Error> {
                $name::read(&s)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0.as_ref().to_owned()
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl core::str::FromStr for $name {
            type Err = $crate::CoreError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::new(s)
            }
        }
    };
}

/// An id of [`define_id!`] (编号), whose text is shared: one kind of id becomes another with
/// `of_id`, without a check (every id has one syntax) and without a copy of the text.
///
/// # Example
/// ```
/// use bangfu_core::{HouseholdId, SharedId};
/// bangfu_core::define_id! {
///     /// A record named by the household it is about.
///     pub struct AboutId("about");
/// }
/// let h: HouseholdId = "HK-0001".parse()?;
/// let about = AboutId::of_id(&h);
/// assert_eq!(about.as_str(), "HK-0001");
/// assert!(std::sync::Arc::ptr_eq(about.shared_text(), h.shared_text()));
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
pub trait SharedId {
    /// The id's text, shared.
    fn shared_text(&self) -> &std::sync::Arc<str>;
}

/// Whether `id` is a valid id: 1 to 64 characters from `[A-Za-z0-9._:/-]`.
///
/// # Example
/// ```
/// assert!(bangfu_core::id_is_valid("hn-2018/pay:0001"));
/// assert!(!bangfu_core::id_is_valid("困难"));
/// ```
pub fn id_is_valid(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b':' | b'/' | b'-'))
}

define_id! {
    /// A household id (户编号): one hardship household, the unit of a file (一户一档).
    ///
    /// ```
    /// let h = bangfu_core::HouseholdId::new("HK-0001")?;
    /// assert_eq!(h.as_str(), "HK-0001");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub struct HouseholdId("household");
}

define_id! {
    /// A union unit id (工会单位编号): the aid center, an industrial union, a grassroots union.
    ///
    /// ```
    /// assert!(bangfu_core::UnitId::new("hainan-reclamation").is_ok());
    /// ```
    pub struct UnitId("unit");
}

define_id! {
    /// A citation id (引用编号), naming an entry of a policy file's citation table.
    ///
    /// ```
    /// assert!(bangfu_core::CitationId::new("seed.6.1.3").is_ok());
    /// ```
    pub struct CitationId("citation");
}

define_id! {
    /// A claim id (申请编号): one application for one payment, the link from a payment to
    /// the claim it carries out. Part of the payment order's idempotency key.
    ///
    /// ```
    /// assert!(bangfu_core::ClaimId::new("2018-med-0001").is_ok());
    /// ```
    pub struct ClaimId("claim");
}

define_id! {
    /// A case file id (档案编号): one episode of a household's hardship file.
    ///
    /// ```
    /// assert!(bangfu_core::CaseId::new("HK-0001/1").is_ok());
    /// ```
    pub struct CaseId("case");
}

define_id! {
    /// A person id (人员编号) used inside bangfu, distinct from the national ID number.
    ///
    /// ```
    /// assert!(bangfu_core::PersonId::new("HK-0001-m2").is_ok());
    /// ```
    pub struct PersonId("person");
}
