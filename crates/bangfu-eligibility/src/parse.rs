//! Parsing policy and record text with typed errors that carry the line.

use crate::EligibilityError;
use crate::error::CodeKind;
use crate::id_number::IdProblem;

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

/// Parses TOML text into `T`, turning a parser error into a typed [`EligibilityError`]:
/// a code this crate's deserializers put in front of the message becomes its own variant
/// (unknown relation, school stage, fact kind or vehicle kind; negative income; invalid ID
/// number); anything else is [`EligibilityError::MalformedToml`]. Both carry the 1-based line.
///
/// # Errors
/// As above.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// #[derive(serde::Deserialize)]
/// struct T { n: u32 }
/// let err = bangfu_eligibility::parse_toml::<T>("\n\nn = \"x\"\n").err().unwrap();
/// assert_eq!(err.code(), "eligibility.policy.malformed");
/// assert!(matches!(err, bangfu_eligibility::EligibilityError::MalformedToml { line: 3, .. }));
/// ```
pub fn parse_toml<T: serde::de::DeserializeOwned>(source: &str) -> Result<T, EligibilityError> {
    toml::from_str(source).map_err(|e| {
        let line = e.span().map_or(1, |s| line_of(source, s.start));
        let key = source
            .lines()
            .nth(line.saturating_sub(1))
            .and_then(|l| l.split_once('='))
            .map(|(k, _)| k.trim().trim_start_matches('{').trim().to_owned())
            .unwrap_or_default();
        typed_error(e.message(), line, &key)
    })
}

/// Maps a deserializer message to a typed error, given the line it was found on.
fn typed_error(message: &str, line: usize, key: &str) -> EligibilityError {
    let quoted = |rest: &str| -> String {
        rest.trim()
            .trim_start_matches('`')
            .split('`')
            .next()
            .unwrap_or_default()
            .to_owned()
    };
    for kind in CodeKind::ALL {
        if let Some(rest) = message.strip_prefix(kind.error_code()) {
            return EligibilityError::UnknownCode {
                kind: *kind,
                value: quoted(rest),
                line: Some(line),
            };
        }
    }
    if let Some(rest) = message.strip_prefix(crate::serde_codes::amount::NEGATIVE) {
        return EligibilityError::NegativeIncome {
            field: format!("{key} (line {line})"),
            value: quoted(rest),
        };
    }
    if let Some(rest) = message.strip_prefix("eligibility.invalid_id_number") {
        let masked = quoted(rest);
        let problem = rest
            .rsplit(' ')
            .next()
            .and_then(IdProblem::from_code)
            .unwrap_or(IdProblem::Characters);
        return EligibilityError::InvalidIdNumber { masked, problem };
    }
    EligibilityError::MalformedToml {
        line,
        message: message.trim().to_owned(),
    }
}
