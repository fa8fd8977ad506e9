//! Reading input files: policy TOML, budget TOML, ledger JSON Lines. Errors name the line.

use bangfu_core::{Coded, Labelled};
use bangfu_funding::{Budget, FundingError, FundingPolicy, Posting};

/// A problem with an input file or line, with the line number where it is known.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// let text = "{\"type\":\"income\",\"id\":\"i\",\"date\":\"2018-01-01\"}\n{oops";
/// let err = bangfu::input::parse_ledger_jsonl(text).unwrap_err();
/// assert_eq!(err.code(), "input.missing_field");
/// assert_eq!(err.line(), Some(1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// Not well-formed JSON or TOML.
    #[error("line {line}: malformed input: {message}")]
    Syntax {
        /// The line (from 1).
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A required field is missing.
    #[error("line {line}: {message}")]
    MissingField {
        /// The line (from 1).
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A field that the format does not have.
    #[error("line {line}: {message}")]
    UnknownField {
        /// The line (from 1).
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A value of the wrong type or out of range: a bad amount, an unknown code, a bad date.
    #[error("line {line}: {message}")]
    InvalidValue {
        /// The line (from 1).
        line: usize,
        /// The parser's message.
        message: String,
    },
    /// A policy section that parses but breaks one of its section's rules (an undefined
    /// degree, an exclusion without a test, ...), with that section's code.
    #[error("invalid policy: {message}")]
    InvalidPolicy {
        /// The section's error code.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A policy value cites an id that the citation table does not define.
    #[error("unknown citation {id:?}")]
    UnknownCitation {
        /// The id.
        id: String,
    },
    /// A well-formed posting that the ledger refused, or a budget line that the funding
    /// policy refuses (`funding.budget_unknown_source`).
    #[error("line {line}: {error}")]
    Refused {
        /// The line (from 1).
        line: usize,
        /// Why it was refused.
        error: FundingError,
    },
}

impl InputError {
    /// The line of the problem, where known.
    pub fn line(&self) -> Option<usize> {
        match self {
            InputError::Syntax { line, .. }
            | InputError::MissingField { line, .. }
            | InputError::UnknownField { line, .. }
            | InputError::InvalidValue { line, .. }
            | InputError::Refused { line, .. } => Some(*line),
            InputError::UnknownCitation { .. } | InputError::InvalidPolicy { .. } => None,
        }
    }

    fn from_message(line: usize, message: String, syntax: bool) -> InputError {
        if syntax {
            InputError::Syntax { line, message }
        } else if message.starts_with("missing field") {
            InputError::MissingField { line, message }
        } else if message.starts_with("unknown field") {
            InputError::UnknownField { line, message }
        } else {
            InputError::InvalidValue { line, message }
        }
    }

    /// Maps a JSON error on line `line` of a JSON Lines file.
    pub fn from_json(line: usize, err: &serde_json::Error) -> InputError {
        let syntax = matches!(
            err.classify(),
            serde_json::error::Category::Syntax
                | serde_json::error::Category::Eof
                | serde_json::error::Category::Io
        );
        // serde_json appends " at line L column C"; the line is ours, so drop it.
        let text = err.to_string();
        let message = match text.rfind(" at line ") {
            Some(i) => text.get(..i).unwrap_or(&text).to_owned(),
            None => text,
        };
        InputError::from_message(line, message, syntax)
    }

    /// Maps a TOML error in `source` to the line it points at.
    pub fn from_toml(source: &str, err: &toml::de::Error) -> InputError {
        let line = err.span().map_or(1, |span| line_of(source, span.start));
        let message = err.message().to_owned();
        // Malformed TOML fails to parse as a plain table too; a data error does not.
        let syntax = toml::from_str::<toml::Table>(source).is_err();
        InputError::from_message(line, message, syntax)
    }
}

/// The line (from 1) of a byte offset.
fn line_of(source: &str, offset: usize) -> usize {
    source
        .as_bytes()
        .iter()
        .take(offset)
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

impl Coded for InputError {
    fn code(&self) -> &'static str {
        match self {
            InputError::Syntax { .. } => "input.syntax",
            InputError::MissingField { .. } => "input.missing_field",
            InputError::UnknownField { .. } => "input.unknown_field",
            InputError::InvalidValue { .. } => "input.invalid_value",
            InputError::UnknownCitation { .. } => "policy.unknown_citation",
            InputError::InvalidPolicy { code, .. } => code,
            InputError::Refused { error, .. } => error.code(),
        }
    }
}

impl Labelled for InputError {
    fn zh(&self) -> &'static str {
        match self {
            InputError::Syntax { .. } => "输入格式错误",
            InputError::MissingField { .. } => "缺少字段",
            InputError::UnknownField { .. } => "未知字段",
            InputError::InvalidValue { .. } => "字段值无效",
            InputError::UnknownCitation { .. } => "未定义的引用",
            InputError::InvalidPolicy { .. } => "政策参数无效",
            InputError::Refused { error, .. } => error.zh(),
        }
    }
    fn en(&self) -> &'static str {
        match self {
            InputError::Syntax { .. } => "malformed input",
            InputError::MissingField { .. } => "missing field",
            InputError::UnknownField { .. } => "unknown field",
            InputError::InvalidValue { .. } => "invalid value",
            InputError::UnknownCitation { .. } => "undefined citation",
            InputError::InvalidPolicy { .. } => "invalid policy",
            InputError::Refused { error, .. } => error.en(),
        }
    }
}

/// Parses a ledger file: one [`Posting`] as JSON per line; blank lines are skipped.
///
/// # Errors
/// The first bad line, as an [`InputError`] with its line number.
///
/// # Example
/// ```
/// let text = r#"{"type":"income","id":"i-1","date":"2018-01-05","source":"central_fiscal","kind":"allocation","amount":"100.00"}"#;
/// let postings = bangfu::input::parse_ledger_jsonl(text)?;
/// assert_eq!(postings.len(), 1);
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn parse_ledger_jsonl(text: &str) -> Result<Vec<Posting>, InputError> {
    parse_jsonl(text)
}

/// Writes postings as JSON Lines, one per line, each line ending in `\n`.
///
/// # Example
/// ```
/// let text = r#"{"type":"income","id":"i-1","date":"2018-01-05","source":"central_fiscal","kind":"allocation","amount":"100.00"}"#;
/// let postings = bangfu::input::parse_ledger_jsonl(text)?;
/// assert_eq!(bangfu::input::write_ledger_jsonl(&postings), format!("{text}\n"));
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn write_ledger_jsonl(postings: &[Posting]) -> String {
    write_jsonl(postings)
}

/// Parses JSON Lines: one `T` per line, blank lines skipped.
///
/// # Errors
/// The first bad line, as an [`InputError`] with its line number.
///
/// # Example
/// ```
/// let v: Vec<u32> = bangfu::input::parse_jsonl("1\n\n3\n")?;
/// assert_eq!(v, vec![1, 3]);
/// assert_eq!(bangfu::input::parse_jsonl::<u32>("1\nx").unwrap_err().line(), Some(2));
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn parse_jsonl<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>, InputError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(line).map_err(|e| InputError::from_json(i + 1, &e))?);
    }
    Ok(out)
}

/// Writes items as JSON Lines, each line ending in `\n`.
///
/// # Example
/// ```
/// assert_eq!(bangfu::input::write_jsonl(&[1, 2]), "1\n2\n");
/// ```
pub fn write_jsonl<T: serde::Serialize>(items: &[T]) -> String {
    let mut out = String::new();
    for item in items {
        // The types written here serialize to strings, numbers, enums and maps: it cannot fail.
        if let Ok(line) = serde_json::to_string(item) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// Parses a budget file (TOML), as described at [`Budget`].
///
/// # Errors
/// An [`InputError`] with the line of the problem.
///
/// # Example
/// ```
/// let b = bangfu::input::parse_budget_toml("year = 2018\n[lines]\ncentral_fiscal = \"2700000.00\"\n")?;
/// assert_eq!(b.total().unwrap().wan().to_string(), "270");
/// let err = bangfu::input::parse_budget_toml("year = 2018\n[lines]\ncentral_fiscal = 2700000\n").unwrap_err();
/// assert_eq!(err.line(), Some(3));
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn parse_budget_toml(text: &str) -> Result<Budget, InputError> {
    toml::from_str(text).map_err(|e| InputError::from_toml(text, &e))
}

/// Parses a budget file (TOML) and checks it against the policy's funding section
/// ([`Budget::check`]): a line for a source the policy does not have is refused with
/// `funding.budget_unknown_source` and the line of the file where it stands.
///
/// # Errors
/// The errors of [`parse_budget_toml`], then [`InputError::Refused`] with the budget line's
/// line number.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// let policy = bangfu::hainan2018::policy()?;
/// let text = "year = 2018\n[lines]\ncentral_fiscal = \"2700000.00\"\ndonation = \"195.85\"\n";
/// let err = bangfu::input::parse_budget_toml_for(text, &policy.funding).unwrap_err();
/// assert_eq!(err.code(), "funding.budget_unknown_source");
/// assert_eq!(err.line(), Some(4));
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn parse_budget_toml_for(text: &str, policy: &FundingPolicy) -> Result<Budget, InputError> {
    let budget = parse_budget_toml(text)?;
    budget.check(policy).map_err(|error| {
        let line = match &error {
            FundingError::BudgetUnknownSource { fund, .. } => budget_line_of(text, fund.code()),
            _ => None,
        };
        InputError::Refused {
            line: line.unwrap_or(0),
            error,
        }
    })?;
    Ok(budget)
}

/// The line (from 1) of the budget line `key` in a budget file that parsed.
fn budget_line_of(text: &str, key: &str) -> Option<usize> {
    #[derive(serde::Deserialize)]
    struct Lines {
        lines: std::collections::BTreeMap<toml::Spanned<String>, serde::de::IgnoredAny>,
    }
    let lines: Lines = toml::from_str(text).ok()?;
    lines
        .lines
        .keys()
        .find(|k| k.get_ref() == key)
        .map(|k| line_of(text, k.span().start))
}
