//! Parsing policy and record text with typed errors that carry the line.

use crate::EligibilityError;
use crate::error::CodeKind;

/// The 1-based line of byte `offset` in `source` (an offset past the end counts as the last
/// line; an offset inside a multi-byte character counts the line it is on).
///
/// # Example
/// ```
/// let src = "a = 1\nb = 2\nc = ?\n";
/// assert_eq!(bangfu_eligibility::line_of(src, 0), 1);
/// assert_eq!(bangfu_eligibility::line_of(src, 6), 2);
/// assert_eq!(bangfu_eligibility::line_of(src, 16), 3);
/// ```
pub fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source
        .as_bytes()
        .get(..end)
        .map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
        .saturating_add(1)
}

/// Parses TOML text into `T` with [`bangfu_core::read::from_toml_str`]: every problem is
/// [`EligibilityError::Read`] with its line and the code of its type (an unknown relation is
/// [`EligibilityError::UnknownCode`] with its line, a negative income `eligibility.negative_income`, an
/// invalid ID number `eligibility.invalid_id_number`, an unknown key `read.unknown_field`),
/// never a code read from the message.
///
/// # Errors
/// As above.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// #[derive(serde::Deserialize, Debug)]
/// struct T { n: u32 }
/// let err = bangfu_eligibility::parse_toml::<T>("\n\nn = \"x\"\n").err().unwrap();
/// assert_eq!(err.code(), "read.invalid_type");
/// assert_eq!(err.line(), Some(3));
/// ```
pub fn parse_toml<T: serde::de::DeserializeOwned>(source: &str) -> Result<T, EligibilityError> {
    bangfu_core::read::from_toml_str(source).map_err(typed)
}

/// A reading error as this crate's error: an unknown code of one of the crate's closed
/// enumerations becomes [`EligibilityError::UnknownCode`] with its line (matched by the
/// refusing type's code, never by message text); anything else [`EligibilityError::Read`].
pub(crate) fn typed(e: bangfu_core::read::ReadError) -> EligibilityError {
    if let bangfu_core::read::ReadProblem::Refused(r) = e.problem() {
        let code = bangfu_core::Coded::code(&r);
        if let Some(kind) = CodeKind::ALL.iter().find(|k| k.error_code() == code) {
            return EligibilityError::UnknownCode {
                kind: *kind,
                value: e.detail().unwrap_or_default().to_owned(),
                line: e.line(),
            };
        }
    }
    EligibilityError::Read(e)
}
