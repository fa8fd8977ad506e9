//! Stable machine-readable codes and bilingual (zh/en) labels.

/// Something with a stable machine-readable code, such as `"funding.overdraft"`.
///
/// Codes are part of the public contract: they are never renamed or reused. Each crate pins
/// its codes in a table test.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, CoreError};
/// let err = CoreError::DivisionByZero;
/// assert_eq!(err.code(), "core.rate.division_by_zero");
/// ```
pub trait Coded {
    /// The stable code.
    fn code(&self) -> &'static str;
}

/// Something with a Chinese and an English label.
///
/// # Example
/// ```
/// use bangfu_core::{AidCategory, Labelled, Lang};
/// assert_eq!(AidCategory::Medical.zh(), "医疗救助");
/// assert_eq!(AidCategory::Medical.label(Lang::En), "medical aid");
/// ```
pub trait Labelled {
    /// The Chinese label (中文标签).
    fn zh(&self) -> &'static str;
    /// The English label.
    fn en(&self) -> &'static str;
    /// The label in `lang`.
    fn label(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

/// A language for labels and reports.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// assert_eq!("zh".parse::<Lang>(), Ok(Lang::Zh));
/// assert!("fr".parse::<Lang>().is_err());
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// Chinese (中文), the default.
    #[default]
    Zh,
    /// English.
    En,
}

impl core::str::FromStr for Lang {
    type Err = crate::CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "zh" => Ok(Lang::Zh),
            "en" => Ok(Lang::En),
            other => Err(crate::CoreError::UnknownCode {
                kind: "lang",
                code: other.to_owned(),
            }),
        }
    }
}

/// Declares a closed enumeration whose every variant has a stable code (also its serde name),
/// a Chinese label and an English label.
///
/// The enum gets `ALL`, `code()`, `from_code()`, [`Labelled`](crate::Labelled),
/// [`Coded`](crate::Coded) and `Display` (the code). The calling crate needs `serde` with
/// `derive`.
///
/// # Example
/// ```
/// bangfu_core::coded_enum! {
///     /// A colour (颜色).
///     pub enum Colour {
///         /// Red (红).
///         Red = ("red", "红", "red"),
///         /// Orange (橙).
///         Orange = ("orange", "橙", "orange"),
///     }
/// }
/// use bangfu_core::Labelled;
/// assert_eq!(Colour::from_code("orange"), Some(Colour::Orange));
/// assert_eq!(Colour::Orange.zh(), "橙");
/// assert_eq!(Colour::ALL.len(), 2);
/// ```
#[macro_export]
macro_rules! coded_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = ($code:literal, $zh:literal, $en:literal) ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        $vis enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        $crate::__schema_codes!($name, $($code),+);

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[ $($name::$variant),+ ];

            /// The stable code (also the serde name).
            pub const fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The variant with this code, if any.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl $crate::Labelled for $name {
            fn zh(&self) -> &'static str {
                match self { $($name::$variant => $zh),+ }
            }
            fn en(&self) -> &'static str {
                match self { $($name::$variant => $en),+ }
            }
        }

        impl $crate::Coded for $name {
            fn code(&self) -> &'static str {
                $name::code(*self)
            }
        }

        impl core::fmt::Display for $name {
            fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
