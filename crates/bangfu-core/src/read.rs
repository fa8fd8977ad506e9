//! Reading caller data (读取) with typed problems: the code of a bad value is chosen by the
//! type that refused it, never by the text of a message, and caller text in a message is cut
//! and its digit runs masked, so that no ID number leaves in an error.
//!
//! Three pieces work together:
//! - A type that refuses a value while it is deserialized calls [`refuse`]: the refusal's
//!   code and labels go into a per-thread slot, and the deserializer's error gets a masked
//!   message. The readers below clear the slot before they read and take it after a
//!   failure, so the code comes from the refusing type whatever the message says.
//! - [`from_json_str`] and [`from_json_value`] read JSON through a deserializer of this
//!   module whose error is [`ReadError`]: a structural problem (an unknown or missing field,
//!   a duplicate key, a wrong type, an unknown code) is a variant of [`ReadProblem`], set by
//!   the serde call that found it, not recognised from a message.
//! - [`from_toml_str`] reads TOML the same way and names the line.
//!
//! A UTF-8 byte order mark at the start of a text is accepted everywhere ([`strip_bom`]).
//!
//! ```
//! use bangfu_core::{Coded, Money, read};
//! #[derive(serde::Deserialize, Debug)]
//! #[serde(deny_unknown_fields)]
//! struct Claim { amount: Money }
//! let err = read::from_json_str::<Claim>(r#"{"amount":"-5"}"#).unwrap_err();
//! assert_eq!(err.code(), "core.money.negative");
//! // A caller's key that looks like a code cannot choose the code.
//! let err = read::from_json_str::<Claim>(r#"{"amount":"5","core.money.negative":1}"#).unwrap_err();
//! assert_eq!(err.code(), "read.unknown_field");
//! // A caller's number never comes back unmasked.
//! let err = read::from_json_str::<Claim>(r#"{"amount":460100198205120020}"#).unwrap_err();
//! assert!(!err.to_string().contains("460100198205120020"));
//! ```

use core::fmt;

use serde::de::{self, DeserializeOwned, DeserializeSeed, IntoDeserializer, Visitor};
use serde_json::{Map, Number, Value};

use crate::{Coded, Labelled};

mod direct;

/// The longest caller text a message quotes, in characters; longer text is cut.
pub const QUOTE_MAX_CHARS: usize = 48;

/// The shortest run of digits that is masked in a quoted caller text.
pub const MASK_DIGIT_RUN: usize = 6;

/// Quotes caller text for a message (引用来文): cut to [`QUOTE_MAX_CHARS`] characters (with
/// `…`), every run of [`MASK_DIGIT_RUN`] or more ASCII digits (with a trailing `X`/`x`, as an
/// ID number ends) replaced by `*`, and control characters shown as `?`.
///
/// # Example
/// ```
/// use bangfu_core::read::quote;
/// assert_eq!(quote("460100198205120020"), "******************");
/// assert_eq!(quote("id 46010019820512002X ok"), "id ****************** ok");
/// assert_eq!(quote("1234.50"), "1234.50");
/// assert_eq!(quote(&"a".repeat(60)).chars().count(), 49);
/// ```
pub fn quote(text: &str) -> String {
    quote_within(text, QUOTE_MAX_CHARS)
}

/// [`quote`] with another cut: a message of a deserializer holds quoted text already and is
/// masked again within a longer bound.
fn quote_within(text: &str, max_chars: usize) -> String {
    // Enough beyond the cut to see whether a digit run at the cut is long.
    let limit = max_chars.saturating_add(MASK_DIGIT_RUN);
    let mut chars: Vec<char> = text.chars().take(limit.saturating_add(1)).collect();
    let cut_input = chars.len() > limit;
    chars.truncate(limit);
    let mut masked = vec![false; chars.len()];
    let mut i = 0;
    while i < chars.len() {
        if !chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
            continue;
        }
        let start = i;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
        if chars.get(i).is_some_and(|c| *c == 'X' || *c == 'x') {
            i += 1;
        }
        // A run that reaches the end of what was taken may go on: masked too.
        if i - start >= MASK_DIGIT_RUN || (i == chars.len() && cut_input) {
            for m in masked.iter_mut().skip(start).take(i - start) {
                *m = true;
            }
        }
    }
    let mut out: String = chars
        .iter()
        .zip(&masked)
        .take(max_chars)
        .map(|(c, m)| match (c, m) {
            (_, true) => '*',
            (c, false) if c.is_control() => '?',
            (c, false) => *c,
        })
        .collect();
    if chars.len() > max_chars || cut_input {
        out.push('…');
    }
    out
}

/// Strips a UTF-8 byte order mark from the start of a text (as Excel and Notepad write it).
///
/// # Example
/// ```
/// assert_eq!(bangfu_core::read::strip_bom("\u{feff}a = 1"), "a = 1");
/// assert_eq!(bangfu_core::read::strip_bom("a = 1"), "a = 1");
/// ```
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Decodes bytes as UTF-8 text, dropping a byte order mark.
///
/// # Errors
/// [`ReadProblem::Syntax`] with the line and column (in bytes, from 1) of the first byte that
/// is not UTF-8.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, read};
/// assert_eq!(read::utf8(b"\xef\xbb\xbfok")?, "ok");
/// let err = read::utf8(b"ok\nx\xfe").unwrap_err();
/// assert_eq!((err.code(), err.line(), err.column()), ("read.syntax", Some(2), Some(2)));
/// # Ok::<(), bangfu_core::read::ReadError>(())
/// ```
pub fn utf8(bytes: &[u8]) -> Result<&str, ReadError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let good = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = good
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            .saturating_add(1);
        let start = good
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i.saturating_add(1));
        let column = e.valid_up_to().saturating_sub(start).saturating_add(1);
        ReadError::new(ReadProblem::Syntax, "the text is not valid UTF-8").at(line, Some(column))
    })
}

/// A value refused by the type that read it: that type's error code and labels.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, CoreError, Money, read::Refusal};
/// let err = Money::parse_yuan("-1").unwrap_err();
/// let r = Refusal::of(&err);
/// assert_eq!(r.code(), "core.money.negative");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    code: &'static str,
    zh: &'static str,
    en: &'static str,
}

impl Refusal {
    /// The refusal of a typed error.
    pub fn of<E: Coded + Labelled + ?Sized>(error: &E) -> Refusal {
        Refusal {
            code: error.code(),
            zh: error.zh(),
            en: error.en(),
        }
    }
}

impl Coded for Refusal {
    fn code(&self) -> &'static str {
        self.code
    }
}

impl Labelled for Refusal {
    fn zh(&self) -> &'static str {
        self.zh
    }
    fn en(&self) -> &'static str {
        self.en
    }
}

/// A refusal recorded while a value was read, with the caller's text quoted (see [`quote`]).
///
/// # Example
/// See [`capture`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    /// The refusing type's code and labels.
    pub refusal: Refusal,
    /// The refused text, quoted (cut and masked).
    pub detail: String,
}

thread_local! {
    static REFUSED: core::cell::RefCell<Option<Refused>> = const { core::cell::RefCell::new(None) };
}

/// Refuses a value inside a `Deserialize` impl: records `error`'s code for the reader of this
/// module that is reading, and returns the deserializer's error with a message of `error`'s
/// English label and the caller's text quoted (cut and masked, see [`quote`]).
///
/// # Example
/// ```
/// use bangfu_core::{Coded, CoreError, read};
/// #[derive(Debug)]
/// struct Even(u32);
/// impl<'de> serde::Deserialize<'de> for Even {
///     fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
///         let n = u32::deserialize(d)?;
///         if n % 2 == 0 { Ok(Even(n)) } else {
///             Err(read::refuse(&CoreError::InvalidPeriod, &n.to_string()))
///         }
///     }
/// }
/// let err = read::from_json_str::<Even>("3").unwrap_err();
/// assert_eq!(err.code(), "core.date.invalid_period");
/// ```
pub fn refuse<E: de::Error, C: Coded + Labelled + ?Sized>(error: &C, caller_text: &str) -> E {
    let refusal = Refusal::of(error);
    let detail = quote(caller_text);
    let err = E::custom(format_args!("{}: `{detail}`", refusal.en));
    REFUSED.with(|slot| *slot.borrow_mut() = Some(Refused { refusal, detail }));
    err
}

/// Records `error` as the refusal of the value being read and returns it, for a `TryFrom`
/// impl that serde calls through `#[serde(try_from = "…")]` (serde passes on only the
/// error's text; the code comes from here).
///
/// # Example
/// ```
/// use bangfu_core::{Coded, HouseholdId, read};
/// #[derive(serde::Deserialize, Debug)]
/// struct H { id: HouseholdId }
/// let err = read::from_json_str::<H>(r#"{"id":"has space"}"#).unwrap_err();
/// assert_eq!(err.code(), "core.id.invalid");
/// ```
pub fn noted<C: Coded + Labelled>(error: C, caller_text: &str) -> C {
    let refused = Refused {
        refusal: Refusal::of(&error),
        detail: quote(caller_text),
    };
    REFUSED.with(|slot| *slot.borrow_mut() = Some(refused));
    error
}

/// Runs `read` with a cleared refusal slot and returns its result with the refusal a type
/// recorded while it ran (for readers of other formats than this module's).
///
/// # Example
/// ```
/// use bangfu_core::{Coded, Money, read};
/// let (result, refused) = read::capture(|| serde_json::from_str::<Money>("\"-1\""));
/// assert!(result.is_err());
/// let refused = refused.unwrap();
/// assert_eq!((refused.refusal.code(), refused.detail.as_str()), ("core.money.negative", "-1"));
/// ```
pub fn capture<T>(read: impl FnOnce() -> T) -> (T, Option<Refused>) {
    REFUSED.with(|slot| *slot.borrow_mut() = None);
    let out = read();
    (out, REFUSED.with(|slot| slot.borrow_mut().take()))
}

/// What is wrong with what was read: structural problems found by serde, and values refused
/// by their type.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, read::ReadProblem};
/// assert_eq!(ReadProblem::UnknownField.code(), "read.unknown_field");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReadProblem {
    /// Not well-formed JSON or TOML, or not UTF-8.
    Syntax,
    /// A field that the format does not have.
    UnknownField,
    /// A required field is missing.
    MissingField,
    /// The same key twice in one object or table.
    DuplicateKey,
    /// A value of the wrong type (a number where text is expected, …).
    InvalidType,
    /// A code that names no known value of an enumeration.
    UnknownCode,
    /// A value out of range or of the wrong length.
    InvalidValue,
    /// A value refused by its type, with that type's code.
    Refused(Refusal),
}

impl Coded for ReadProblem {
    fn code(&self) -> &'static str {
        match self {
            ReadProblem::Syntax => "read.syntax",
            ReadProblem::UnknownField => "read.unknown_field",
            ReadProblem::MissingField => "read.missing_field",
            ReadProblem::DuplicateKey => "read.duplicate_key",
            ReadProblem::InvalidType => "read.invalid_type",
            ReadProblem::UnknownCode => "read.unknown_code",
            ReadProblem::InvalidValue => "read.invalid_value",
            ReadProblem::Refused(r) => r.code,
        }
    }
}

impl Labelled for ReadProblem {
    fn zh(&self) -> &'static str {
        match self {
            ReadProblem::Syntax => "格式错误",
            ReadProblem::UnknownField => "未知字段",
            ReadProblem::MissingField => "缺少字段",
            ReadProblem::DuplicateKey => "字段重复",
            ReadProblem::InvalidType => "字段类型错误",
            ReadProblem::UnknownCode => "未知代码",
            ReadProblem::InvalidValue => "字段值无效",
            ReadProblem::Refused(r) => r.zh,
        }
    }
    fn en(&self) -> &'static str {
        match self {
            ReadProblem::Syntax => "malformed input",
            ReadProblem::UnknownField => "unknown field",
            ReadProblem::MissingField => "missing field",
            ReadProblem::DuplicateKey => "duplicate key",
            ReadProblem::InvalidType => "value of the wrong type",
            ReadProblem::UnknownCode => "unknown code",
            ReadProblem::InvalidValue => "invalid value",
            ReadProblem::Refused(r) => r.en,
        }
    }
}

/// An error reading caller data: the typed problem, a message with caller text quoted (see
/// [`quote`]), and the 1-based line and column where they are known.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, read};
/// let err = read::from_json_str::<u32>("{\n  oops").unwrap_err();
/// assert_eq!((err.code(), err.line()), ("read.syntax", Some(2)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError(Box<Inner>);

/// What a [`ReadError`] holds (boxed: errors stay one pointer wide on the happy path).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Inner {
    problem: ReadProblem,
    message: String,
    detail: Option<String>,
    line: Option<usize>,
    column: Option<usize>,
}

impl ReadError {
    /// An error of `problem` with a message (already quoted where it holds caller text).
    pub fn new(problem: ReadProblem, message: impl Into<String>) -> ReadError {
        ReadError(Box::new(Inner {
            problem,
            message: message.into(),
            detail: None,
            line: None,
            column: None,
        }))
    }

    /// The same error at a 1-based line (and column, where known).
    #[must_use]
    pub fn at(mut self, line: usize, column: Option<usize>) -> ReadError {
        self.0.line = Some(line);
        self.0.column = column;
        self
    }

    /// The typed problem.
    pub fn problem(&self) -> ReadProblem {
        self.0.problem
    }

    /// The message (caller text in it is quoted).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// For a value refused by its type, the refused text as quoted (cut and masked).
    pub fn detail(&self) -> Option<&str> {
        self.0.detail.as_deref()
    }

    /// The same error refused by a type, with the refused text.
    fn refused(refused: Refused, message: String) -> ReadError {
        let mut e = ReadError::new(ReadProblem::Refused(refused.refusal), message);
        e.0.detail = Some(refused.detail);
        e
    }

    /// The 1-based line, where known.
    pub fn line(&self) -> Option<usize> {
        self.0.line
    }

    /// The 1-based column, where known.
    pub fn column(&self) -> Option<usize> {
        self.0.column
    }

    /// Takes a refusal a type recorded as the problem (a custom error of a type that called
    /// [`refuse`]); anything else custom stays an invalid value.
    fn with_refusal(mut self, refused: Option<Refused>) -> ReadError {
        if let (ReadProblem::InvalidValue, Some(r)) = (self.0.problem, refused) {
            self.0.problem = ReadProblem::Refused(r.refusal);
            self.0.detail = Some(r.detail);
        }
        self
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(line) = self.0.line {
            write!(f, "line {line}")?;
            if let Some(column) = self.0.column {
                write!(f, " column {column}")?;
            }
            f.write_str(": ")?;
        }
        f.write_str(&self.0.message)
    }
}

impl std::error::Error for ReadError {}

impl Coded for ReadError {
    fn code(&self) -> &'static str {
        self.0.problem.code()
    }
}

impl Labelled for ReadError {
    fn zh(&self) -> &'static str {
        self.0.problem.zh()
    }
    fn en(&self) -> &'static str {
        self.0.problem.en()
    }
}

/// What an unexpected value was, without its content (which may be an ID number).
fn kind_of(unexp: &de::Unexpected<'_>) -> &'static str {
    use de::Unexpected as U;
    match unexp {
        U::Bool(_) => "a boolean",
        U::Unsigned(_) | U::Signed(_) => "an integer",
        U::Float(_) => "a decimal number",
        U::Char(_) | U::Str(_) => "a string",
        U::Bytes(_) => "bytes",
        U::Unit | U::Option => "null",
        U::NewtypeStruct | U::NewtypeVariant | U::StructVariant => "an object",
        U::Seq | U::TupleVariant => "a list",
        U::Map => "an object",
        U::Enum | U::UnitVariant => "a code",
        U::Other(_) => "another value",
    }
}

impl de::Error for ReadError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        // Messages of `refuse` are quoted already; any message is masked again here.
        ReadError::new(
            ReadProblem::InvalidValue,
            quote_within(&msg.to_string(), 200),
        )
    }
    fn invalid_type(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        ReadError::new(
            ReadProblem::InvalidType,
            format!("found {}, expected {exp}", kind_of(&unexp)),
        )
    }
    fn invalid_value(unexp: de::Unexpected<'_>, exp: &dyn de::Expected) -> Self {
        ReadError::new(
            ReadProblem::InvalidValue,
            format!("invalid {}, expected {exp}", kind_of(&unexp)),
        )
    }
    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        ReadError::new(
            ReadProblem::InvalidValue,
            format!("{len} items, expected {exp}"),
        )
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        ReadError::new(
            ReadProblem::UnknownCode,
            format!(
                "unknown code `{}`, expected one of {}",
                quote(variant),
                expected.join(", ")
            ),
        )
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        ReadError::new(
            ReadProblem::UnknownField,
            format!(
                "unknown field `{}`, expected one of {}",
                quote(field),
                expected.join(", ")
            ),
        )
    }
    fn missing_field(field: &'static str) -> Self {
        ReadError::new(
            ReadProblem::MissingField,
            format!("missing field `{field}`"),
        )
    }
    fn duplicate_field(field: &'static str) -> Self {
        ReadError::new(
            ReadProblem::DuplicateKey,
            format!("duplicate field `{field}`"),
        )
    }
}

/// A JSON value read with duplicate keys refused (serde_json keeps the last one silently).
struct Strict(Value);

impl<'de> de::Deserialize<'de> for Strict {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StrictVisitor).map(Strict)
    }
}

struct StrictVisitor;

/// The refusal of a duplicate key.
struct DuplicateKey;

impl Coded for DuplicateKey {
    fn code(&self) -> &'static str {
        ReadProblem::DuplicateKey.code()
    }
}

impl Labelled for DuplicateKey {
    fn zh(&self) -> &'static str {
        ReadProblem::DuplicateKey.zh()
    }
    fn en(&self) -> &'static str {
        ReadProblem::DuplicateKey.en()
    }
}

impl<'de> Visitor<'de> for StrictVisitor {
    type Value = Value;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        // A decimal number is kept as it is; where money is expected, a type refuses it.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(StrictVisitor)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(Strict(v)) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(refuse(&DuplicateKey, &key));
            }
            let Strict(v) = map.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// The 1-based line and column of a serde_json error.
fn json_position(e: &serde_json::Error) -> (usize, Option<usize>) {
    (e.line().max(1), Some(e.column()).filter(|c| *c > 0))
}

/// Parses JSON text into a value, refusing duplicate keys and giving a syntax error without
/// caller text.
///
/// # Errors
/// [`ReadProblem::Syntax`] with its line and column, or [`ReadProblem::DuplicateKey`].
///
/// # Example
/// ```
/// use bangfu_core::{Coded, read};
/// assert_eq!(read::json_value(r#"{"a":1,"a":2}"#).unwrap_err().code(), "read.duplicate_key");
/// assert_eq!(read::json_value(r#"{"a":1}"#)?["a"], 1);
/// # Ok::<(), bangfu_core::read::ReadError>(())
/// ```
pub fn json_value(text: &str) -> Result<Value, ReadError> {
    let (result, refusal) = capture(|| serde_json::from_str::<Strict>(strip_bom(text)));
    match result {
        Ok(Strict(v)) => Ok(v),
        Err(e) => {
            let (line, column) = json_position(&e);
            let err = match refusal {
                Some(r) => ReadError::refused(r, quote(&e.to_string())),
                None => ReadError::new(ReadProblem::Syntax, syntax_message(&e)),
            };
            Err(err.at(line, column))
        }
    }
}

/// A syntax message of serde_json without any caller text.
fn syntax_message(e: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match e.classify() {
        Category::Eof => "malformed JSON: the text ends too early".to_owned(),
        Category::Syntax | Category::Io | Category::Data => "malformed JSON".to_owned(),
    }
}

/// Reads a `T` from JSON text: syntax, duplicate keys, structure and values with typed
/// problems (see the module documentation).
///
/// # Errors
/// A [`ReadError`]; the line is that of the text where the JSON parser knows it.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, read};
/// #[derive(serde::Deserialize, Debug)]
/// #[serde(deny_unknown_fields)]
/// struct P { n: u8 }
/// assert_eq!(read::from_json_str::<P>(r#"{"n":1}"#)?.n, 1);
/// assert_eq!(read::from_json_str::<P>(r#"{"n":1,"n":2}"#).unwrap_err().code(), "read.duplicate_key");
/// assert_eq!(read::from_json_str::<P>(r#"{}"#).unwrap_err().code(), "read.missing_field");
/// assert_eq!(read::from_json_str::<P>(r#"{"n":"1"}"#).unwrap_err().code(), "read.invalid_type");
/// # Ok::<(), bangfu_core::read::ReadError>(())
/// ```
pub fn from_json_str<T: DeserializeOwned>(text: &str) -> Result<T, ReadError> {
    if let Some(v) = json_seed(text, core::marker::PhantomData::<T>) {
        return Ok(v);
    }
    let value = json_value(text)?;
    from_json_value(&value)
}

/// Reads with `seed` straight from JSON text, with no intermediate value, under the rules of
/// [`json_value`] then [`from_json_value`]: a duplicate key at any depth, a decimal number
/// and trailing text are refused, a byte order mark is accepted. What it accepts, those two
/// accept, into the same value; it may refuse more (a decimal number in an ignored field, a
/// string with an escape: the text is read by a small parser of its own, which borrows every
/// string from the text). `None` on any refusal: read the text again with [`json_value`] and
/// [`from_json_value`] for the typed error (what [`from_json_str`] does).
///
/// # Example
/// ```
/// use std::marker::PhantomData;
/// use bangfu_core::{Money, read};
/// #[derive(serde::Deserialize, Debug, PartialEq)]
/// #[serde(deny_unknown_fields)]
/// struct Claim { amount: Money }
/// let claim = read::json_seed(r#"{"amount":"5.00"}"#, PhantomData::<Claim>).unwrap();
/// assert_eq!(claim.amount.to_string(), "5.00");
/// assert!(read::json_seed(r#"{"amount":"5","amount":"6"}"#, PhantomData::<Claim>).is_none());
/// assert!(read::json_seed(r#"{"amount":5.0}"#, PhantomData::<Claim>).is_none());
/// assert!(read::json_seed(r#"{"amount":"-5"}"#, PhantomData::<Claim>).is_none());
/// // Refused here, read by the value reader (the same claim).
/// assert!(read::json_seed(r#"{"amount":"\u0035.00"}"#, PhantomData::<Claim>).is_none());
/// assert_eq!(read::from_json_str::<Claim>(r#"{"amount":"\u0035.00"}"#).unwrap(), claim);
/// ```
pub fn json_seed<'de, S: DeserializeSeed<'de>>(text: &'de str, seed: S) -> Option<S::Value> {
    let text = strip_bom(text);
    // A refusal recorded on the way is of no use here: the slot is left clear.
    let (value, _refused) = capture(|| {
        let mut de = direct::Text::new(text);
        let value = seed.deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(value)
    });
    value
}

/// Reads a `T` from a JSON value with typed problems (see the module documentation).
///
/// # Errors
/// A [`ReadError`] without a line.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, read};
/// let v = serde_json::json!({"kind": "x"});
/// assert_eq!(read::from_json_value::<u32>(&v).unwrap_err().code(), "read.invalid_type");
/// ```
pub fn from_json_value<T: DeserializeOwned>(value: &Value) -> Result<T, ReadError> {
    let (result, refusal) = capture(|| T::deserialize(Node(value)));
    result.map_err(|e| e.with_refusal(refusal))
}

/// A TOML value as JSON for the typed deserializer (dates and times as their text).
fn toml_to_json(v: toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(i) => Value::Number(i.into()),
        toml::Value::Float(f) => Number::from_f64(f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.into_iter().map(toml_to_json).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.into_iter().map(|(k, v)| (k, toml_to_json(v))).collect())
        }
    }
}

/// The 1-based line of byte `offset` in `source`.
///
/// # Example
/// ```
/// assert_eq!(bangfu_core::read::line_of("a\nb\nc", 2), 2);
/// ```
pub fn line_of(source: &str, offset: usize) -> usize {
    source
        .as_bytes()
        .iter()
        .take(offset)
        .filter(|&&b| b == b'\n')
        .count()
        .saturating_add(1)
}

/// Reads a `T` from TOML text, with typed problems and the line of the problem.
///
/// The text is read by the TOML parser straight into `T`; on an error it is read again as a
/// plain table and through this module's deserializer, which names the problem by type.
/// Duplicate keys are a syntax error of TOML itself.
///
/// # Errors
/// A [`ReadError`] with the line the TOML parser points at.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, Money, read};
/// #[derive(serde::Deserialize, Debug)]
/// #[serde(deny_unknown_fields)]
/// struct B { amount: Money }
/// let err = read::from_toml_str::<B>("\n\namount = \"-1\"\n").err().unwrap();
/// assert_eq!((err.code(), err.line()), ("core.money.negative", Some(3)));
/// let err = read::from_toml_str::<B>("amount = \"1\"\n\"core.money.negative\" = 1\n").err().unwrap();
/// assert_eq!((err.code(), err.line()), ("read.unknown_field", Some(2)));
/// ```
pub fn from_toml_str<T: DeserializeOwned>(text: &str) -> Result<T, ReadError> {
    let text = strip_bom(text);
    let (result, refusal) = capture(|| toml::from_str::<T>(text));
    let err = match result {
        Ok(v) => return Ok(v),
        Err(e) => e,
    };
    let line = err.span().map_or(1, |s| line_of(text, s.start));
    let table = match toml::from_str::<toml::Table>(text) {
        Ok(t) => t,
        Err(_) => {
            let message = "malformed TOML".to_owned();
            return Err(ReadError::new(ReadProblem::Syntax, message).at(line, None));
        }
    };
    let typed = match refusal {
        Some(r) => ReadError::refused(r, quote_within(err.message(), 200)),
        None => match from_json_value::<T>(&toml_to_json(toml::Value::Table(table))) {
            Err(e) => e,
            // The plain reading accepted what TOML refused (a date written as a TOML date
            // where text is expected): a value of the wrong type.
            Ok(_) => ReadError::new(ReadProblem::InvalidType, quote(err.message())),
        },
    };
    Err(typed.at(line, None))
}

/// A JSON value as a deserializer whose error is [`ReadError`].
#[derive(Clone, Copy)]
struct Node<'a>(&'a Value);

struct Seq<'a>(core::slice::Iter<'a, Value>);

impl<'de, 'a> de::SeqAccess<'de> for Seq<'a> {
    type Error = ReadError;
    fn next_element_seed<S: DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, ReadError> {
        self.0.next().map(|v| seed.deserialize(Node(v))).transpose()
    }
    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Entries<'a> {
    iter: serde_json::map::Iter<'a>,
    value: Option<&'a Value>,
}

impl<'de, 'a> de::MapAccess<'de> for Entries<'a> {
    type Error = ReadError;
    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, ReadError> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                seed.deserialize(k.as_str().into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }
    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, ReadError> {
        match self.value.take() {
            Some(v) => seed.deserialize(Node(v)),
            None => Err(de::Error::custom("a value without its key")),
        }
    }
}

/// An enum written as `{"variant": value}`.
struct Variant<'a> {
    name: &'a str,
    value: &'a Value,
}

impl<'de, 'a> de::EnumAccess<'de> for Variant<'a> {
    type Error = ReadError;
    type Variant = Node<'a>;
    fn variant_seed<V: DeserializeSeed<'de>>(
        self,
        seed: V,
    ) -> Result<(V::Value, Node<'a>), ReadError> {
        let v = seed.deserialize(self.name.into_deserializer())?;
        Ok((v, Node(self.value)))
    }
}

impl<'de, 'a> de::VariantAccess<'de> for Node<'a> {
    type Error = ReadError;
    fn unit_variant(self) -> Result<(), ReadError> {
        match self.0 {
            Value::Null => Ok(()),
            _ => Err(de::Error::invalid_type(self.unexpected(), &"a code")),
        }
    }
    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, ReadError> {
        seed.deserialize(self)
    }
    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_any(self, v)
    }
    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ReadError> {
        de::Deserializer::deserialize_any(self, v)
    }
}

impl Node<'_> {
    fn unexpected(&self) -> de::Unexpected<'_> {
        match self.0 {
            Value::Null => de::Unexpected::Unit,
            Value::Bool(b) => de::Unexpected::Bool(*b),
            Value::Number(_) => de::Unexpected::Other("a number"),
            Value::String(_) => de::Unexpected::Other("a string"),
            Value::Array(_) => de::Unexpected::Seq,
            Value::Object(_) => de::Unexpected::Map,
        }
    }
}

impl<'de, 'a> de::Deserializer<'de> for Node<'a> {
    type Error = ReadError;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(*b),
            Value::Number(n) => {
                if let Some(u) = n.as_u64() {
                    v.visit_u64(u)
                } else if let Some(i) = n.as_i64() {
                    v.visit_i64(i)
                } else {
                    // A decimal number: no type of bangfu reads one, so it is refused by
                    // type without ever becoming a float here.
                    Err(de::Error::invalid_type(
                        de::Unexpected::Other("a decimal number"),
                        &v,
                    ))
                }
            }
            Value::String(s) => v.visit_str(s),
            Value::Array(a) => v.visit_seq(Seq(a.iter())),
            Value::Object(m) => v.visit_map(Entries {
                iter: m.iter(),
                value: None,
            }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::Null => v.visit_none(),
            _ => v.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, ReadError> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, ReadError> {
        match self.0 {
            Value::String(s) => v.visit_enum(s.as_str().into_deserializer()),
            Value::Object(m) if m.len() == 1 => match m.iter().next() {
                Some((name, value)) => v.visit_enum(Variant { name, value }),
                None => Err(de::Error::invalid_type(self.unexpected(), &v)),
            },
            _ => Err(de::Error::invalid_type(self.unexpected(), &v)),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, ReadError> {
        v.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct identifier
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn quote_masks_every_long_digit_run_and_cuts() {
        assert_eq!(quote("abc 12345 x"), "abc 12345 x");
        assert_eq!(quote("abc 123456 x"), "abc ****** x");
        assert_eq!(quote("a\u{1}b"), "a?b");
        let long = format!("{}4601001982", "a".repeat(44));
        assert_eq!(quote(&long), format!("{}****…", "a".repeat(44)));
    }

    /// JSON-like text: values of every kind, with the edge cases of numbers and strings,
    /// repeated keys and damage (a cut, a stray comma) now and then.
    fn json_like() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            Just("null".to_owned()),
            Just("true".to_owned()),
            Just("false".to_owned()),
            "-?(0|[1-9][0-9]{0,20})(\\.[0-9]{1,3})?([eE][+-]?[0-9]{1,2})?",
            "-?0[0-9]{1,3}",
            "\"([a-z é年]|\\\\[nt\"\\\\/]|\\\\u00[0-7][0-9a-f]|[\u{0}-\u{1f}])*\"",
        ];
        leaf.prop_recursive(4, 40, 5, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..5)
                    .prop_map(|v| format!("[{}]", v.join(","))),
                prop::collection::vec(("[a-c]{1,2}", inner), 0..5).prop_map(|v| {
                    let entries: Vec<String> =
                        v.into_iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
                    format!("{{{}}}", entries.join(","))
                }),
            ]
        })
    }

    proptest! {
        /// What the direct reading accepts, the value reader accepts into the same value.
        #[test]
        fn direct_reading_agrees_with_the_value_reader(
            text in json_like(),
            space in "[ \t\r\n]{0,2}",
            damage in 0usize..6,
            at in any::<prop::sample::Index>(),
        ) {
            let mut text = format!("{space}{text}{space}");
            let cut = at.index(text.len() + 1);
            match damage {
                0 if text.is_char_boundary(cut) => text.insert(cut, ','),
                1 if text.is_char_boundary(cut) => text.truncate(cut),
                _ => {}
            }
            let direct = json_seed(&text, core::marker::PhantomData::<Value>);
            let by_value = json_value(&text);
            if let Some(v) = direct {
                prop_assert_eq!(Ok(v), by_value.map_err(|e| e.to_string()), "{}", text);
            }
        }

        #[test]
        fn quote_never_shows_six_digits_in_a_row(s in "[0-9a-zX ]{0,80}") {
            let q = quote(&s);
            let mut run = 0;
            for c in q.chars() {
                run = if c.is_ascii_digit() { run + 1 } else { 0 };
                prop_assert!(run < MASK_DIGIT_RUN, "{q:?} from {s:?}");
            }
            prop_assert!(q.chars().count() <= QUOTE_MAX_CHARS + 1);
        }
    }
}
