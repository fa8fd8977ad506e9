//! Reading input files: policy TOML, budget TOML, ledger JSON Lines. Errors name the line.

use bangfu_core::read::{self, ReadError};
use bangfu_core::{Coded, Labelled};
use bangfu_funding::{Budget, FundingError, FundingPolicy, Posting};

/// A problem with an input file or line, with the line number where it is known. Reading
/// problems carry the typed [`ReadError`] (code `read.*`, or the code of the type that refused
/// a value, such as `core.money.negative` or `core.date.malformed`).
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// let text = "{\"type\":\"income\",\"id\":\"i\",\"date\":\"2018-01-01\"}\n{oops";
/// let err = bangfu_year::input::parse_ledger_jsonl(text).unwrap_err();
/// assert_eq!(err.code(), "read.missing_field");
/// assert_eq!(err.line(), Some(1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// A line or file that could not be read: syntax, structure, or a value refused by its
    /// type.
    #[error("line {line}: {}", .error.message())]
    Read {
        /// The line (from 1).
        line: usize,
        /// The typed problem.
        error: ReadError,
    },
    /// A policy section that parses but breaks one of its section's rules (an undefined
    /// degree, an exclusion without a test, ...), with that section's code and the line of
    /// the section (or of the parameter named, where the rule names one).
    #[error("line {line}: invalid policy: {message}")]
    InvalidPolicy {
        /// The line (from 1).
        line: usize,
        /// The section's error code.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A policy value cites an id that the citation table does not define, at the first line
    /// that cites it.
    #[error("line {line}: unknown citation `{}`", read::quote(.id))]
    UnknownCitation {
        /// The line (from 1).
        line: usize,
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
            InputError::Read { line, .. }
            | InputError::Refused { line, .. }
            | InputError::UnknownCitation { line, .. }
            | InputError::InvalidPolicy { line, .. } => Some(*line),
        }
    }

    /// A reading error of a whole text (TOML, or a file as a whole), at its own line.
    pub fn read(error: ReadError) -> InputError {
        InputError::Read {
            line: error.line().unwrap_or(1),
            error,
        }
    }
}

impl From<ReadError> for InputError {
    fn from(error: ReadError) -> Self {
        InputError::read(error)
    }
}

impl Coded for InputError {
    fn code(&self) -> &'static str {
        match self {
            InputError::Read { error, .. } => error.code(),
            InputError::UnknownCitation { .. } => "policy.unknown_citation",
            InputError::InvalidPolicy { code, .. } => code,
            InputError::Refused { error, .. } => error.code(),
        }
    }
}

impl Labelled for InputError {
    fn zh(&self) -> &'static str {
        match self {
            InputError::Read { error, .. } => error.zh(),
            InputError::UnknownCitation { .. } => "未定义的引用",
            InputError::InvalidPolicy { .. } => "政策参数无效",
            InputError::Refused { error, .. } => error.zh(),
        }
    }
    fn en(&self) -> &'static str {
        match self {
            InputError::Read { error, .. } => error.en(),
            InputError::UnknownCitation { .. } => "undefined citation",
            InputError::InvalidPolicy { .. } => "invalid policy",
            InputError::Refused { error, .. } => error.en(),
        }
    }
}

/// Reads a whole TOML text into `T` with typed problems and the line (see
/// [`bangfu_core::read::from_toml_str`]).
///
/// # Errors
/// [`InputError::Read`] with the line.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// let err = bangfu_year::input::parse_toml::<bangfu_funding::Budget>("year = 2018\nyear = 2019\n").unwrap_err();
/// assert_eq!((err.code(), err.line()), ("read.syntax", Some(2)));
/// ```
pub fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, InputError> {
    read::from_toml_str(text).map_err(InputError::read)
}

/// Decodes a file's bytes as UTF-8 (a byte order mark is accepted and dropped).
///
/// # Errors
/// [`InputError::Read`] (`read.syntax`) with the line and column of the first byte that is not
/// UTF-8.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// assert_eq!(bangfu_year::input::decode_utf8(b"\xef\xbb\xbfa\n")?, "a\n");
/// let err = bangfu_year::input::decode_utf8(b"a\nb\xff").unwrap_err();
/// assert_eq!((err.code(), err.line()), ("read.syntax", Some(2)));
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn decode_utf8(bytes: &[u8]) -> Result<&str, InputError> {
    read::utf8(bytes).map_err(InputError::read)
}

/// Parses a ledger file: one [`Posting`] as JSON per line; blank lines are skipped.
///
/// # Errors
/// The first bad line, as an [`InputError`] with its line number.
///
/// # Example
/// ```
/// let text = r#"{"type":"income","id":"i-1","date":"2018-01-05","source":"central_fiscal","kind":"allocation","amount":"100.00"}"#;
/// let postings = bangfu_year::input::parse_ledger_jsonl(text)?;
/// assert_eq!(postings.len(), 1);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn parse_ledger_jsonl(text: &str) -> Result<Vec<Posting>, InputError> {
    parse_jsonl(text)
}

/// The postings of a ledger file read line by line (逐行读取), each with its line number, as
/// [`parse_ledger_jsonl`] reads the whole text: a byte-order mark at the start, blank lines
/// skipped, `\r\n` taken as `\n`. A line that is not UTF-8 or does not read is an
/// [`InputError::Read`] with its line; reading stops after the first error.
///
/// # Example
/// ```
/// let text = "\u{feff}{\"type\":\"income\",\"id\":\"i-1\",\"date\":\"2018-01-05\",\"source\":\"central_fiscal\",\"kind\":\"allocation\",\"amount\":\"100.00\"}\r\n\nnot json\n";
/// let mut lines = bangfu_year::input::ledger_lines(text.as_bytes());
/// assert_eq!(lines.next().map(|r| r.map(|(line, _)| line)), Some(Ok(1)));
/// assert_eq!(lines.next().and_then(|r| r.err()).and_then(|e| e.line()), Some(3));
/// assert!(lines.next().is_none());
/// ```
pub fn ledger_lines<R: std::io::BufRead>(
    reader: R,
) -> impl Iterator<Item = Result<(usize, Posting), InputError>> {
    ledger_lines_at(reader).map(|r| r.map(|(line, _, p)| (line, p)))
}

/// The postings of a ledger file read line by line, as [`ledger_lines`], each with its line
/// number and the byte offset where its line starts (where [`LedgerFile`] reads it again).
///
/// # Example
/// ```
/// let text = "{\"type\":\"income\",\"id\":\"i-1\",\"date\":\"2018-01-05\",\"source\":\"central_fiscal\",\"kind\":\"allocation\",\"amount\":\"100.00\"}\n\n";
/// let twice = format!("{text}{text}");
/// let at: Vec<u64> = bangfu_year::input::ledger_lines_at(twice.as_bytes())
///     .map(|r| r.map(|(_, at, _)| at))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(at, [0, text.len() as u64]);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn ledger_lines_at<R: std::io::BufRead>(
    reader: R,
) -> impl Iterator<Item = Result<(usize, u64, Posting), InputError>> {
    let mut reader = Some(reader);
    let mut buf = Vec::new();
    let mut line = 0usize;
    let mut offset = 0u64;
    std::iter::from_fn(move || {
        loop {
            let r = reader.as_mut()?;
            buf.clear();
            line = line.saturating_add(1);
            let at = offset;
            let read = r.read_until(b'\n', &mut buf);
            let stop = |error: ReadError| Some(Err(InputError::Read { line, error }));
            match read {
                Ok(0) => {
                    reader = None;
                    return None;
                }
                Ok(n) => offset = offset.saturating_add(u64::try_from(n).unwrap_or(u64::MAX)),
                Err(e) => {
                    reader = None;
                    return stop(unreadable(&e));
                }
            }
            return match ledger_line(&buf, line) {
                Ok(None) => continue,
                Ok(Some(p)) => Some(Ok((line, at, p))),
                Err(error) => {
                    reader = None;
                    stop(error)
                }
            };
        }
    })
}

/// The problem of a file that could not be read (opened, or read on).
pub(crate) fn unreadable(e: &std::io::Error) -> ReadError {
    ReadError::new(
        read::ReadProblem::Syntax,
        format!("the file could not be read: {}", e.kind()),
    )
}

/// The posting on one line of a ledger file (`bytes`, with its line end), line `line` from 1
/// (the first may start with a byte-order mark); `None` for a blank line.
fn ledger_line(bytes: &[u8], line: usize) -> Result<Option<Posting>, ReadError> {
    let bytes = if line == 1 {
        bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes)
    } else {
        bytes
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            return Err(match read::utf8(bytes) {
                Err(e) => {
                    let column = e.column();
                    e.at(line, column)
                }
                Ok(_) => ReadError::new(read::ReadProblem::Syntax, "not UTF-8"),
            });
        }
    };
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    if text.trim().is_empty() {
        return Ok(None);
    }
    parse_json_line(text).map(Some)
}

/// A ledger file opened to read its postings again by their offsets ([`ledger_lines_at`]):
/// the source of a ledger that keeps only where each posting is
/// ([`bangfu_funding::Ledger::recalling`]). The file must not change while the ledger reads
/// it; a posting read back is checked by its id's hash (a changed file stops the ledger
/// with `funding.recall_failed`).
///
/// # Example
/// ```
/// use bangfu_funding::Recall;
/// let dir = std::env::temp_dir().join(format!("bangfu-ledger-file-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("ledger.jsonl");
/// let line = "{\"type\":\"income\",\"id\":\"i-1\",\"date\":\"2018-01-05\",\"source\":\"central_fiscal\",\"kind\":\"allocation\",\"amount\":\"100.00\"}\n";
/// std::fs::write(&path, format!("{line}{line}"))?;
/// let file = bangfu_year::input::LedgerFile::open(&path)?;
/// let first = file.recall(0).ok_or("recall")?;
/// assert_eq!(file.recall(line.len() as u64), Some(first));
/// assert_eq!(file.recall(1), None); // not the start of a posting
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct LedgerFile {
    file: std::sync::Mutex<std::fs::File>,
}

impl LedgerFile {
    /// Opens the ledger file at `path` for reading postings again.
    ///
    /// # Errors
    /// The file cannot be opened.
    pub fn open(path: &std::path::Path) -> std::io::Result<LedgerFile> {
        Ok(LedgerFile {
            file: std::sync::Mutex::new(std::fs::File::open(path)?),
        })
    }
}

impl bangfu_funding::Recall for LedgerFile {
    fn recall(&self, at: u64) -> Option<Posting> {
        use std::io::{BufRead, Seek};
        let mut file = self.file.lock().ok()?;
        file.seek(std::io::SeekFrom::Start(at)).ok()?;
        let mut buf = Vec::new();
        std::io::BufReader::with_capacity(4096, &mut *file)
            .read_until(b'\n', &mut buf)
            .ok()?;
        // Line 1 is the only line that may carry a byte-order mark.
        let line = if at == 0 { 1 } else { 2 };
        ledger_line(&buf, line).ok().flatten()
    }
}

/// Writes postings as JSON Lines, one per line, each line ending in `\n`.
///
/// # Example
/// ```
/// let text = r#"{"type":"income","id":"i-1","date":"2018-01-05","source":"central_fiscal","kind":"allocation","amount":"100.00"}"#;
/// let postings = bangfu_year::input::parse_ledger_jsonl(text)?;
/// assert_eq!(bangfu_year::input::write_ledger_jsonl(&postings), format!("{text}\n"));
/// # Ok::<(), bangfu_year::input::InputError>(())
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
/// let v: Vec<u32> = bangfu_year::input::parse_jsonl("1\n\n3\n")?;
/// assert_eq!(v, vec![1, 3]);
/// assert_eq!(bangfu_year::input::parse_jsonl::<u32>("1\nx").unwrap_err().line(), Some(2));
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn parse_jsonl<T: serde::de::DeserializeOwned>(text: &str) -> Result<Vec<T>, InputError> {
    let mut out = Vec::new();
    for (i, line) in read::strip_bom(text).lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(parse_json_line(line).map_err(|error| InputError::Read { line: i + 1, error })?);
    }
    Ok(out)
}

/// Reads one JSON line: straight into `T` (the common case, fast), and on any error again
/// through the typed reader, which names the problem by type.
///
/// # Errors
/// The typed [`ReadError`] (without a line: the caller knows it).
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// assert_eq!(bangfu_year::input::parse_json_line::<u32>("7")?, 7);
/// assert_eq!(bangfu_year::input::parse_json_line::<u32>("\"7\"").unwrap_err().code(), "read.invalid_type");
/// # Ok::<(), bangfu_core::read::ReadError>(())
/// ```
pub fn parse_json_line<T: serde::de::DeserializeOwned>(line: &str) -> Result<T, ReadError> {
    match serde_json::from_str(line) {
        Ok(v) => Ok(v),
        Err(fast) => match read::from_json_str::<T>(line) {
            Err(e) => Err(e),
            // The typed reader accepted what serde_json refused: report serde_json's class.
            Ok(_) => Err(ReadError::new(
                read::ReadProblem::Syntax,
                read::quote(&fast.to_string()),
            )),
        },
    }
}

/// Writes items as JSON Lines, each line ending in `\n`.
///
/// # Example
/// ```
/// assert_eq!(bangfu_year::input::write_jsonl(&[1, 2]), "1\n2\n");
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
/// let b = bangfu_year::input::parse_budget_toml("year = 2018\n[lines]\ncentral_fiscal = \"2700000.00\"\n")?;
/// assert_eq!(b.total().unwrap().wan().to_string(), "270");
/// let err = bangfu_year::input::parse_budget_toml("year = 2018\n[lines]\ncentral_fiscal = 2700000\n").unwrap_err();
/// assert_eq!(err.line(), Some(3));
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn parse_budget_toml(text: &str) -> Result<Budget, InputError> {
    parse_toml(text)
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
/// let policy = bangfu_data::hainan2018::policy()?;
/// let text = "year = 2018\n[lines]\ncentral_fiscal = \"2700000.00\"\ndonation = \"195.85\"\n";
/// let err = bangfu_year::input::parse_budget_toml_for(text, &policy.funding).unwrap_err();
/// assert_eq!(err.code(), "funding.budget_unknown_source");
/// assert_eq!(err.line(), Some(4));
/// # Ok::<(), bangfu_year::input::InputError>(())
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
    let text = read::strip_bom(text);
    let lines: Lines = toml::from_str(text).ok()?;
    lines
        .lines
        .keys()
        .find(|k| k.get_ref() == key)
        .map(|k| read::line_of(text, k.span().start))
}
