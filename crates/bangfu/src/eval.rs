//! The JSON Lines interface (`bangfu eval`): one request object a line in, one decision or
//! error object a line out, so that union systems not written in Rust can ask bangfu for a
//! decision. The format, with an example per request kind, is `docs/json-interface.md`.
//!
//! Every request carries the history it needs (the year's earlier claims and payments, the
//! file's status or status events), so each line is decided on its own: the output of a line
//! depends only on its text, its line number and the policy, never on the other lines or
//! their order. A line that cannot be decided gets an error line with its line number and a
//! stable code, and the run goes on.
//!
//! Request kinds: `eligibility` (a household and a date, decided by the eligibility crate)
//! and the aid kinds of [`bangfu_aid::Request`] (`medical`, `living`, `sending_warmth`,
//! `education`, `remaining_entitlement`). A request may carry a caller's `"id"` (a string),
//! echoed on its output line with the line number.
//!
//! ```
//! use bangfu::eval::{Evaluator, OutputLine};
//! use bangfu::aid::Explain;
//! let policy = bangfu::hainan2018::policy()?;
//! let eval = Evaluator::new(&policy)?;
//! let input = concat!(
//!     r#"{"kind":"sending_warmth","id":"a","file":{"case":"HK-3/1","household":"HK-3","tier":"national","degree":"subsistence","household_size":4,"status":"active"},"claim":{"id":"w-1","date":"2018-02-01"}}"#, "\n",
//!     r#"{"kind":"lottery"}"#, "\n",
//! );
//! let out = eval.eval_str(input, Explain::Off);
//! assert!(matches!(&out[0], OutputLine::Decision(d) if d.line == 1 && d.id.as_deref() == Some("a")));
//! let OutputLine::Error(e) = &out[1] else { unreachable!() };
//! assert_eq!((e.line, e.error.as_str()), (2, "aid.request.unknown_kind"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! This module also lists what a policy file has in force on a date ([`in_force`]), for
//! `bangfu policy check`.

use bangfu_aid::{
    AidError, Calculator, DegreeCode, Explain, FileFacts, Request, SevereFlags, StatusEvent,
    Student,
};
use bangfu_core::read::{self, ReadError, ReadProblem};
use bangfu_core::{
    ArchiveTier, CaseId, Citation, CitationId, Coded, Explanation, HouseholdId, Labelled,
    NaiveDate, ParameterUse,
};
use bangfu_eligibility::{
    BandCheck, EligibilityError, HardshipCategory, HealthCondition, Household, MissingDocument,
    Outcome, PerCapita, Reason, SchemeKind,
};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::input::InputError;
use crate::{Policy, PolicyMeta};

/// The request kinds, as in the `"kind"` field.
pub const KINDS: &[&str] = &[
    "eligibility",
    "medical",
    "living",
    "sending_warmth",
    "education",
    "remaining_entitlement",
];

/// An eligibility request (认定请求): may this household be filed on this date?
///
/// # Example
/// ```
/// let h = bangfu::eligibility::Household::example()?;
/// let r = bangfu::eval::EligibilityRequest { household: h, date: bangfu::core::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap() };
/// let json = serde_json::to_value(&r)?;
/// assert_eq!(json["date"], "2018-03-01");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityRequest {
    /// The household as declared and verified.
    pub household: Household,
    /// The date decided for (the application date).
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
}

/// One request of the JSON Lines interface, tagged by `"kind"`.
///
/// # Example
/// ```
/// use bangfu::eval::{EvalRequest, RequestLine};
/// let line = RequestLine::from_json(r#"{"kind":"sending_warmth","id":"x-1","file":{"case":"c","household":"h","tier":"national","degree":"subsistence","household_size":1,"status":"active"},"claim":{"id":"w","date":"2018-01-20"}}"#)?;
/// assert_eq!(line.request.kind(), "sending_warmth");
/// assert_eq!(line.id.as_deref(), Some("x-1"));
/// assert_eq!(RequestLine::from_json(&line.to_json())?, line);
/// # Ok::<(), bangfu::eval::EvalError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalRequest {
    /// Eligibility (困难职工家庭认定).
    Eligibility(Box<EligibilityRequest>),
    /// One of the aid kinds (救助).
    Aid(Box<Request>),
}

impl EvalRequest {
    /// The request's kind, as in the `"kind"` field.
    pub fn kind(&self) -> &'static str {
        match self {
            EvalRequest::Eligibility(_) => "eligibility",
            EvalRequest::Aid(r) => r.kind(),
        }
    }
}

/// The eligibility request serialized with its tag.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum TaggedRequest<'a> {
    Eligibility(&'a EligibilityRequest),
}

/// The eligibility outcome serialized with its tag.
#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum TaggedOutcome<'a> {
    Eligibility(&'a EligibilityOutcome),
}

impl Serialize for EvalRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            EvalRequest::Eligibility(r) => TaggedRequest::Eligibility(r.as_ref()).serialize(s),
            EvalRequest::Aid(r) => r.serialize(s),
        }
    }
}

/// A request line: the request and the caller's optional `"id"`, echoed on the output.
///
/// # Example
/// See [`EvalRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestLine {
    /// The caller's id for the line, any string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The request.
    #[serde(flatten)]
    pub request: EvalRequest,
}

/// What could be read of a line even when the request could not: its id and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Envelope {
    id: Option<String>,
    kind: Option<String>,
}

/// A reading problem of a line, without caller text in its message.
fn malformed(problem: ReadProblem, message: &str) -> EvalError {
    EvalError::Read(ReadError::new(problem, message))
}

/// Reads a request line with typed problems (see [`bangfu::core::read`](bangfu_core::read)):
/// the code of every problem comes from the serde call or the type that found it.
fn read_request(text: &str) -> (Envelope, Result<EvalRequest, EvalError>) {
    let mut envelope = Envelope::default();
    let value = match read::json_value(text) {
        Ok(v) => v,
        Err(e) => return (envelope, Err(EvalError::Read(e))),
    };
    let Value::Object(mut map) = value else {
        let err = malformed(
            ReadProblem::InvalidType,
            "a request line must be one JSON object",
        );
        return (envelope, Err(err));
    };
    envelope.kind = map.get("kind").and_then(Value::as_str).map(str::to_owned);
    match map.remove("id") {
        None => {}
        Some(Value::String(id)) => envelope.id = Some(id),
        Some(_) => {
            let err = malformed(ReadProblem::InvalidType, "`id` must be a string");
            return (envelope, Err(err));
        }
    }
    let request = match envelope.kind.as_deref() {
        Some("eligibility") => {
            map.remove("kind");
            read::from_json_value::<EligibilityRequest>(&Value::Object(map))
                .map(|r| EvalRequest::Eligibility(Box::new(r)))
                .map_err(EvalError::Read)
        }
        Some(kind) if !KINDS.contains(&kind) => Err(EvalError::UnknownKind {
            kind: kind.to_owned(),
        }),
        _ => Request::from_value(&Value::Object(map))
            .map(|r| EvalRequest::Aid(Box::new(r)))
            .map_err(EvalError::from),
    };
    (envelope, request)
}

impl RequestLine {
    /// Reads one request line (a JSON object).
    ///
    /// # Errors
    /// An [`EvalError`] with the code of what is wrong: malformed JSON, not an object, an
    /// `id` that is not a string, an unknown kind or field, a missing field, a negative,
    /// over-precise, overflowing or malformed amount, an unknown code.
    ///
    /// # Example
    /// ```
    /// use bangfu::core::Coded;
    /// let err = bangfu::eval::RequestLine::from_json(r#"{"kind":"eligibility","colour":1}"#).unwrap_err();
    /// assert_eq!(err.code(), "read.unknown_field");
    /// ```
    pub fn from_json(text: &str) -> Result<RequestLine, EvalError> {
        let (envelope, request) = read_request(text);
        Ok(RequestLine {
            id: envelope.id,
            request: request?,
        })
    }

    /// The line as compact JSON (one line).
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

bangfu_core::coded_enum! {
    /// The outcome of an eligibility decision, as one code (认定结论).
    pub enum Verdict {
        /// Eligible (符合条件).
        Eligible = ("eligible", "符合条件", "eligible"),
        /// Not eligible; the reasons say why (不符合条件).
        NotEligible = ("not_eligible", "不符合条件", "not eligible"),
        /// Nothing rules the household out, but documents are missing (材料不全).
        Incomplete = ("incomplete", "材料不全", "incomplete"),
    }
}

/// The answer to an eligibility request: the outcome with every reason, the category and
/// tier, the per-capita computation, each band's test, and every parameter used with its
/// value, effective date and citation; the full explanation (inputs and steps) when asked.
///
/// # Example
/// See [`Evaluator::decide`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EligibilityOutcome {
    /// The household.
    pub household: HouseholdId,
    /// The date decided for.
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The scheme in force on the date.
    pub scheme: SchemeKind,
    /// The outcome.
    pub outcome: Verdict,
    /// The category, when eligible or only incomplete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<HardshipCategory>,
    /// The archive tier, when eligible or only incomplete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tier: Option<ArchiveTier>,
    /// The documents missing, when incomplete.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missing: Vec<MissingDocument>,
    /// Every reason against, or for incompleteness; empty when eligible.
    pub reasons: Vec<Reason>,
    /// The per-capita computation.
    pub per_capita: PerCapita,
    /// Each band's test, in order.
    pub bands: Vec<BandCheck>,
    /// Every parameter used, with its value, effective date and citation.
    pub parameters: Vec<ParameterUse>,
    /// The full explanation (inputs, parameters, steps), when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

impl EligibilityOutcome {
    fn new(decision: bangfu_eligibility::Decision, explain: Explain) -> EligibilityOutcome {
        let (outcome, category, tier, missing) = match decision.outcome {
            Outcome::Eligible { category, tier } => {
                (Verdict::Eligible, Some(category), Some(tier), Vec::new())
            }
            Outcome::NotEligible => (Verdict::NotEligible, None, None, Vec::new()),
            Outcome::Incomplete {
                missing,
                category,
                tier,
            } => (Verdict::Incomplete, Some(category), Some(tier), missing),
        };
        let parameters = decision.explanation.parameters.clone();
        EligibilityOutcome {
            household: decision.household,
            date: decision.date,
            scheme: decision.scheme,
            outcome,
            category,
            tier,
            missing,
            reasons: decision.reasons,
            per_capita: decision.per_capita,
            bands: decision.bands,
            parameters,
            explanation: (explain == Explain::On).then_some(decision.explanation),
        }
    }
}

/// One decision: eligibility, or an aid decision exactly as [`bangfu_aid::Decision`]
/// serializes it. Both are tagged by `"kind"` like their request.
///
/// # Example
/// See [`Evaluator::decide`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum EvalDecision {
    /// An eligibility decision.
    Eligibility(Box<EligibilityOutcome>),
    /// An aid decision.
    Aid(Box<bangfu_aid::Decision>),
}

impl EvalDecision {
    /// The eligibility outcome, if this is one.
    pub fn eligibility(&self) -> Option<&EligibilityOutcome> {
        match self {
            EvalDecision::Eligibility(e) => Some(e),
            EvalDecision::Aid(_) => None,
        }
    }

    /// The aid decision, if this is one.
    pub fn aid(&self) -> Option<&bangfu_aid::Decision> {
        match self {
            EvalDecision::Eligibility(_) => None,
            EvalDecision::Aid(d) => Some(d),
        }
    }
}

impl Serialize for EvalDecision {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            EvalDecision::Eligibility(e) => TaggedOutcome::Eligibility(e.as_ref()).serialize(s),
            EvalDecision::Aid(d) => d.serialize(s),
        }
    }
}

fn decision_from_map(mut map: Map<String, Value>) -> Result<EvalDecision, serde_json::Error> {
    if map.get("kind").and_then(Value::as_str) == Some("eligibility") {
        map.remove("kind");
        let e = serde_json::from_value::<EligibilityOutcome>(Value::Object(map))?;
        Ok(EvalDecision::Eligibility(Box::new(e)))
    } else {
        serde_json::from_value::<bangfu_aid::Decision>(Value::Object(map))
            .map(|d| EvalDecision::Aid(Box::new(d)))
    }
}

impl<'de> Deserialize<'de> for EvalDecision {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let map = Map::<String, Value>::deserialize(d)?;
        decision_from_map(map).map_err(serde::de::Error::custom)
    }
}

/// The output line of a decided request: the line number, the caller's id, the decision.
///
/// # Example
/// See the [module](self) example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecisionLine {
    /// The 1-based line number of the request.
    pub line: u64,
    /// The request's `"id"`, when it had one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The decision, with its `"kind"`.
    #[serde(flatten)]
    pub decision: EvalDecision,
}

/// The output line of a request that could not be decided: its line number, the caller's
/// id and the kind when they could be read, the error's stable code, zh/en labels and the
/// message. Nothing was decided or recorded for it.
///
/// # Example
/// See the [module](self) example.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorLine {
    /// The 1-based line number of the request.
    pub line: u64,
    /// The request's `"id"`, when it could be read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The request's `"kind"` as written, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The error's stable code.
    pub error: String,
    /// The Chinese label of the code.
    pub zh: String,
    /// The English label of the code.
    pub en: String,
    /// The detailed message.
    pub message: String,
}

/// One output line: a decision or an error.
///
/// # Example
/// ```
/// use bangfu::eval::{Evaluator, OutputLine};
/// let policy = bangfu::hainan2018::policy()?;
/// let out = Evaluator::new(&policy)?.eval_line(4, "{oops", bangfu::aid::Explain::Off);
/// assert_eq!(out.to_json(), r#"{"line":4,"error":"read.syntax","zh":"格式错误","en":"malformed input","message":"invalid request: line 1 column 2: malformed JSON"}"#);
/// assert_eq!(OutputLine::from_json(&out.to_json())?, out);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
#[non_exhaustive]
pub enum OutputLine {
    /// A decision.
    Decision(Box<DecisionLine>),
    /// An error.
    Error(ErrorLine),
}

impl OutputLine {
    /// The error line for `error` at `line`.
    pub fn error(line: u64, id: Option<String>, kind: Option<String>, error: &EvalError) -> Self {
        OutputLine::Error(ErrorLine {
            line,
            id,
            kind,
            error: error.code().to_owned(),
            zh: error.zh().to_owned(),
            en: error.en().to_owned(),
            message: error.to_string(),
        })
    }

    /// The request's line number.
    pub fn line(&self) -> u64 {
        match self {
            OutputLine::Decision(d) => d.line,
            OutputLine::Error(e) => e.line,
        }
    }

    /// The request's id, when it had one.
    pub fn id(&self) -> Option<&str> {
        match self {
            OutputLine::Decision(d) => d.id.as_deref(),
            OutputLine::Error(e) => e.id.as_deref(),
        }
    }

    /// The line as compact JSON (one line, without the newline).
    pub fn to_json(&self) -> String {
        // Every field serializes to a string, number, list or map with string keys.
        serde_json::to_string(self).unwrap_or_default()
    }

    /// Reads an output line back (for callers in Rust and for tests).
    ///
    /// # Errors
    /// A JSON error when the text is neither a decision line nor an error line.
    pub fn from_json(text: &str) -> Result<OutputLine, serde_json::Error> {
        serde_json::from_str(text)
    }
}

impl<'de> Deserialize<'de> for OutputLine {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let mut map = Map::<String, Value>::deserialize(d)?;
        if map.contains_key("error") {
            return serde_json::from_value(Value::Object(map))
                .map(OutputLine::Error)
                .map_err(D::Error::custom);
        }
        let line = map
            .remove("line")
            .ok_or_else(|| D::Error::missing_field("line"))?;
        let line = serde_json::from_value::<u64>(line).map_err(D::Error::custom)?;
        let id = match map.remove("id") {
            None => None,
            Some(v) => Some(serde_json::from_value::<String>(v).map_err(D::Error::custom)?),
        };
        let decision = decision_from_map(map).map_err(D::Error::custom)?;
        Ok(OutputLine::Decision(Box::new(DecisionLine {
            line,
            id,
            decision,
        })))
    }
}

/// An error of the evaluator: a request that could not be read or decided. Codes are chosen
/// by type: reading problems are `read.*` ([`ReadProblem`]), a value refused by its type has
/// that type's code (a negative amount `core.money.negative`, an unknown relation
/// `eligibility.unknown_relation`, an invalid ID number `eligibility.invalid_id_number`), as
/// it has in Rust; an unknown `kind` is `aid.request.unknown_kind`; refusals of the crates
/// that decide have their codes (`aid.*`, `eligibility.*`).
///
/// # Example
/// ```
/// use bangfu::core::Coded;
/// let err = bangfu::eval::RequestLine::from_json("[1]").unwrap_err();
/// assert_eq!(err.code(), "read.invalid_type");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// Refused by the aid crate.
    #[error(transparent)]
    Aid(AidError),
    /// Refused by the eligibility crate.
    #[error(transparent)]
    Eligibility(EligibilityError),
    /// A line that could not be read: its syntax, its structure or a value refused by its
    /// type.
    #[error("invalid request: {0}")]
    Read(ReadError),
    /// A `kind` that names no request kind.
    #[error("unknown request kind `{}`, expected one of {}", read::quote(.kind), KINDS.join(", "))]
    UnknownKind {
        /// The kind given.
        kind: String,
    },
}

impl From<AidError> for EvalError {
    fn from(e: AidError) -> Self {
        match e {
            AidError::Read(r) => EvalError::Read(r),
            AidError::UnknownKind { kind } => EvalError::UnknownKind { kind },
            other => EvalError::Aid(other),
        }
    }
}

impl From<EligibilityError> for EvalError {
    fn from(e: EligibilityError) -> Self {
        EvalError::Eligibility(e)
    }
}

/// The code of an unknown request kind, shared with the aid crate's reader.
const UNKNOWN_KIND: &str = "aid.request.unknown_kind";

impl Coded for EvalError {
    fn code(&self) -> &'static str {
        match self {
            EvalError::Aid(e) => e.code(),
            EvalError::Eligibility(e) => e.code(),
            EvalError::Read(e) => e.code(),
            EvalError::UnknownKind { .. } => UNKNOWN_KIND,
        }
    }
}

impl Labelled for EvalError {
    fn zh(&self) -> &'static str {
        match self {
            EvalError::Aid(e) => e.zh(),
            EvalError::Eligibility(e) => e.zh(),
            EvalError::Read(e) => e.zh(),
            EvalError::UnknownKind { .. } => "未知请求类型",
        }
    }
    fn en(&self) -> &'static str {
        match self {
            EvalError::Aid(e) => e.en(),
            EvalError::Eligibility(e) => e.en(),
            EvalError::Read(e) => e.en(),
            EvalError::UnknownKind { .. } => "unknown request kind",
        }
    }
}

/// Decides request lines under one policy. `Send + Sync`: one evaluator can serve threads.
///
/// # Example
/// ```
/// use bangfu::aid::Explain;
/// use bangfu::eval::{EvalRequest, Evaluator, RequestLine, Verdict};
/// let policy = bangfu::hainan2018::policy()?;
/// let eval = Evaluator::new(&policy)?;
/// let household = serde_json::to_string(&bangfu::eligibility::Household::example()?)?;
/// let line = format!(r#"{{"kind":"eligibility","household":{household},"date":"2018-03-01"}}"#);
/// let request = RequestLine::from_json(&line)?.request;
/// let decision = eval.decide(&request, Explain::Off)?;
/// let e = decision.eligibility().unwrap();
/// assert_eq!(e.outcome, Verdict::Eligible);
/// assert_eq!(e.category.unwrap().code(), "near_subsistence");
/// assert!(e.parameters.iter().all(|p| p.citation.is_some()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Evaluator<'p> {
    policy: &'p Policy,
    calc: Calculator<'p>,
}

impl<'p> Evaluator<'p> {
    /// An evaluator over `policy` (already validated by [`Policy::from_toml`]).
    ///
    /// # Errors
    /// [`AidError::InvalidPolicy`] if the aid section cannot be used.
    pub fn new(policy: &'p Policy) -> Result<Evaluator<'p>, EvalError> {
        let calc = Calculator::new(&policy.aid)?.with_citations(&policy.citations);
        Ok(Evaluator { policy, calc })
    }

    /// The policy.
    pub fn policy(&self) -> &'p Policy {
        self.policy
    }

    /// Decides one request on its own.
    ///
    /// # Errors
    /// The aid or eligibility crate's error: file not payable on the date, no parameter in
    /// force, overflow, bad history, bad household facts…
    pub fn decide(
        &self,
        request: &EvalRequest,
        explain: Explain,
    ) -> Result<EvalDecision, EvalError> {
        match request {
            EvalRequest::Eligibility(r) => {
                let mut d =
                    bangfu_eligibility::assess(&self.policy.eligibility, &r.household, r.date)?;
                // Policy::from_toml has checked every cite exists, so nothing is missing.
                let _missing = d.fill_citations(&self.policy.citations);
                Ok(EvalDecision::Eligibility(Box::new(
                    EligibilityOutcome::new(d, explain),
                )))
            }
            EvalRequest::Aid(r) => Ok(EvalDecision::Aid(Box::new(self.calc.decide(r, explain)?))),
        }
    }

    /// Decides the request on line `line` (1-based): a decision line or an error line.
    pub fn eval_line(&self, line: u64, text: &str, explain: Explain) -> OutputLine {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (envelope, request) = read_request(text);
        match request.and_then(|r| self.decide(&r, explain)) {
            Ok(decision) => OutputLine::Decision(Box::new(DecisionLine {
                line,
                id: envelope.id,
                decision,
            })),
            // The kind is echoed only when it is one of ours: a caller's text never returns
            // unmasked except the caller's own `id`, echoed verbatim to match its lines.
            Err(e) => {
                let kind = envelope.kind.filter(|k| KINDS.contains(&k.as_str()));
                OutputLine::error(line, envelope.id, kind, &e)
            }
        }
    }

    /// Decides a line given as bytes (as read from a file): `None` for a blank line, an
    /// error line (`read.syntax`) for bytes that are not UTF-8.
    pub fn eval_bytes(&self, line: u64, bytes: &[u8], explain: Explain) -> Option<OutputLine> {
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) if text.trim().is_empty() => None,
            Ok(text) => Some(self.eval_line(line, text, explain)),
            Err(e) => {
                let message = format!(
                    "the line is not valid UTF-8 (after byte {})",
                    e.valid_up_to()
                );
                let err = malformed(ReadProblem::Syntax, &message);
                Some(OutputLine::error(line, None, None, &err))
            }
        }
    }

    /// Decides every non-blank line of `text`, numbering lines from 1 (blank lines count
    /// but give no output).
    pub fn eval_str(&self, text: &str, explain: Explain) -> Vec<OutputLine> {
        text.lines()
            .zip(1u64..)
            .filter(|(l, _)| !l.trim().is_empty())
            .map(|(l, n)| self.eval_line(n, l, explain))
            .collect()
    }
}

/// Output lines as JSON Lines text, each line ending in `\n`.
///
/// # Example
/// ```
/// let policy = bangfu::hainan2018::policy()?;
/// let eval = bangfu::eval::Evaluator::new(&policy)?;
/// let out = bangfu::eval::to_jsonl(&eval.eval_str("1\n\n2\n", bangfu::aid::Explain::Off));
/// assert_eq!(out.lines().count(), 2);
/// assert!(out.lines().nth(1).unwrap().starts_with(r#"{"line":3,"#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn to_jsonl(lines: &[OutputLine]) -> String {
    let mut out = String::new();
    for l in lines {
        out.push_str(&l.to_json());
        out.push('\n');
    }
    out
}

/// The aid crate's facts about a file, from a household, the category and tier it was filed
/// under (an eligibility decision) and the file's status events: the degree is the
/// category's code, the severe flags come from the members' health, the students from their
/// schooling.
///
/// # Errors
/// [`AidError::Core`] only if a category code were not a valid degree id.
///
/// # Example
/// ```
/// use bangfu::core::{ArchiveStatus, ArchiveTier, CaseId, NaiveDate};
/// use bangfu::eligibility::{HardshipCategory, Household};
/// let h = Household::example()?;
/// let events = vec![bangfu::aid::StatusEvent { date: NaiveDate::from_ymd_opt(2018, 3, 1).unwrap(), status: ArchiveStatus::Active }];
/// let f = bangfu::eval::file_facts(CaseId::new("HK-0001/1")?, &h, HardshipCategory::NearSubsistence, ArchiveTier::National, events)?;
/// assert_eq!((f.degree.as_str(), f.household_size, f.severe.major_illness), ("near_subsistence", 3, true));
/// assert_eq!(f.students.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn file_facts(
    case: CaseId,
    household: &Household,
    category: HardshipCategory,
    tier: ArchiveTier,
    status_events: Vec<StatusEvent>,
) -> Result<FileFacts, EvalError> {
    Ok(FileFacts {
        case,
        household: household.id.clone(),
        tier,
        degree: DegreeCode::new(category.code()).map_err(AidError::from)?,
        severe: SevereFlags {
            mental_illness: household.anyone_has(HealthCondition::MentalIllness),
            physical_disability: household.anyone_has(HealthCondition::PhysicalDisability),
            major_illness: household.anyone_has(HealthCondition::MajorIllness),
        },
        household_size: household.size(),
        status: None,
        status_events,
        students: household
            .students()
            .map(|(person, stage)| Student {
                person: person.clone(),
                stage,
            })
            .collect(),
    })
}

// ---------------------------------------------------------------------------------------
// What a policy file has in force on a date (`bangfu policy check`).

/// One parameter in force on a date: its path in the file, its value, the date it came into
/// force and its citation.
///
/// # Example
/// See [`in_force`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InForceRow {
    /// The parameter's path, such as `aid.medical.yearly_cap` or
    /// `eligibility.exclusions[multiple_homes]`.
    pub parameter: String,
    /// The value, written as in the file (strings without quotes).
    pub value: String,
    /// The day the value came into force; none for undated entries (degree tables).
    #[serde(with = "bangfu_core::iso_date::option")]
    pub from: Option<NaiveDate>,
    /// The citation id; none for values without one.
    pub cite: Option<String>,
    /// False when the parameter has no value in force on the date (its first value is later).
    pub in_force: bool,
}

/// What a policy file has in force on a date: every parameter's value, effective date and
/// citation, and the citations they use.
///
/// # Example
/// See [`in_force`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InForce {
    /// The file's header.
    pub meta: PolicyMeta,
    /// The date.
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// Whether the date was chosen by default (the newest `from` in the file).
    pub default_date: bool,
    /// Every parameter, by path (a dated list keeps its file order).
    pub rows: Vec<InForceRow>,
    /// The citations the rows in force use, by id.
    pub citations: Vec<(CitationId, Citation)>,
}

fn date_of(v: &toml::Value) -> Option<NaiveDate> {
    match v {
        toml::Value::String(s) => s.parse().ok(),
        toml::Value::Datetime(d) => d.to_string().parse().ok(),
        _ => None,
    }
}

fn render(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(a) => {
            format!("[{}]", a.iter().map(render).collect::<Vec<_>>().join(", "))
        }
        toml::Value::Table(t) => format!("{{ {} }}", render_fields(t, &[])),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
    }
}

fn render_fields(t: &toml::Table, skip: &[&str]) -> String {
    t.iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| format!("{k} = {}", render(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_table_list(v: &toml::Value) -> bool {
    matches!(v, toml::Value::Array(a) if !a.is_empty() && a.iter().all(toml::Value::is_table))
}

fn cite_of(t: &toml::Table) -> Option<String> {
    t.get("cite")
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
}

struct Walk {
    date: NaiveDate,
    rows: Vec<InForceRow>,
}

impl Walk {
    fn row(
        &mut self,
        parameter: String,
        value: String,
        from: Option<NaiveDate>,
        cite: Option<String>,
        in_force: bool,
    ) {
        self.rows.push(InForceRow {
            parameter,
            value,
            from,
            cite,
            in_force,
        });
    }

    /// A value in force: scalars on one row, lists of tables (a scheme's bands) one row each.
    fn value(
        &mut self,
        path: &str,
        v: &toml::Value,
        from: Option<NaiveDate>,
        cite: Option<String>,
    ) {
        match v {
            toml::Value::Table(t) if t.values().any(is_table_list) => {
                let plain: toml::Table = t
                    .iter()
                    .filter(|(_, v)| !is_table_list(v))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                self.row(
                    path.to_owned(),
                    render_fields(&plain, &["cite"]),
                    from,
                    cite.clone(),
                    true,
                );
                for (k, list) in t.iter().filter(|(_, v)| is_table_list(v)) {
                    for (i, el) in list.as_array().into_iter().flatten().enumerate() {
                        let own = el.as_table().and_then(cite_of).or_else(|| cite.clone());
                        let sub = match el {
                            toml::Value::Table(et) => {
                                let mut et = et.clone();
                                et.remove("cite");
                                toml::Value::Table(et)
                            }
                            other => other.clone(),
                        };
                        self.value(&format!("{path}.{k}[{i}]"), &sub, from, own);
                    }
                }
            }
            toml::Value::Table(t) => {
                self.row(
                    path.to_owned(),
                    render_fields(t, &["cite"]),
                    from,
                    cite,
                    true,
                );
            }
            // A list of tables (school age bands, documents by condition): one row each.
            toml::Value::Array(list) if is_table_list(v) => {
                for (i, el) in list.iter().enumerate() {
                    self.value(&format!("{path}[{i}]"), el, from, cite.clone());
                }
            }
            other => self.row(path.to_owned(), render(other), from, cite, true),
        }
    }

    fn walk(&mut self, path: &str, v: &toml::Value) {
        match v {
            toml::Value::Table(t) if t.contains_key("cite") && !t.contains_key("from") => {
                // An undated, cited table: a degree of the aid section.
                self.row(
                    path.to_owned(),
                    render_fields(t, &["cite"]),
                    None,
                    cite_of(t),
                    true,
                );
            }
            toml::Value::Table(t) => {
                for (k, child) in t {
                    let sub = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    self.walk(&sub, child);
                }
            }
            toml::Value::Array(a)
                if is_table_list(v)
                    && a.iter()
                        .all(|e| e.as_table().is_some_and(|t| t.contains_key("from"))) =>
            {
                let entries: Vec<&toml::Table> =
                    a.iter().filter_map(toml::Value::as_table).collect();
                let timeline = entries.iter().all(|t| t.contains_key("value"));
                if timeline {
                    let current = entries
                        .iter()
                        .filter_map(|t| t.get("from").and_then(date_of).map(|d| (d, *t)))
                        .filter(|(d, _)| *d <= self.date)
                        .max_by_key(|(d, _)| *d);
                    match (current, entries.first()) {
                        (Some((from, t)), _) => {
                            if let Some(value) = t.get("value") {
                                self.value(path, value, Some(from), cite_of(t));
                            }
                        }
                        (None, Some(first)) => {
                            let from = first.get("from").and_then(date_of);
                            self.row(
                                path.to_owned(),
                                "(not yet in force)".into(),
                                from,
                                cite_of(first),
                                false,
                            );
                        }
                        (None, None) => {}
                    }
                } else {
                    // A dated list (exclusions): each entry in force from its own date.
                    for (i, t) in entries.iter().enumerate() {
                        let Some(from) = t.get("from").and_then(date_of) else {
                            continue;
                        };
                        let ended = t
                            .get("until")
                            .and_then(date_of)
                            .is_some_and(|u| u < self.date);
                        if from > self.date || ended {
                            continue;
                        }
                        let label = t
                            .get("id")
                            .and_then(toml::Value::as_str)
                            .map_or_else(|| i.to_string(), str::to_owned);
                        self.row(
                            format!("{path}[{label}]"),
                            render_fields(t, &["from", "until", "cite", "id"]),
                            Some(from),
                            cite_of(t),
                            true,
                        );
                    }
                }
            }
            other => self.row(path.to_owned(), render(other), None, None, true),
        }
    }
}

fn newest_from(v: &toml::Value, newest: &mut Option<NaiveDate>) {
    match v {
        toml::Value::Table(t) => {
            if let Some(d) = t.get("from").and_then(date_of) {
                *newest = Some(newest.map_or(d, |n| n.max(d)));
            }
            t.values().for_each(|c| newest_from(c, newest));
        }
        toml::Value::Array(a) => a.iter().for_each(|c| newest_from(c, newest)),
        _ => {}
    }
}

/// Validates a policy file and lists what it has in force on `on`; without a date, on the
/// newest `from` date in the file (the day its latest value takes effect, so every newest
/// value shows).
///
/// # Errors
/// The [`InputError`] of [`Policy::from_toml`], with the line of the problem.
///
/// # Example
/// ```
/// let t = bangfu::eval::in_force(bangfu::example2020::POLICY_TOML, bangfu::core::NaiveDate::from_ymd_opt(2021, 6, 1))?;
/// let cap = t.rows.iter().find(|r| r.parameter == "aid.medical.yearly_cap").unwrap();
/// assert_eq!((cap.value.as_str(), cap.from.unwrap().to_string().as_str()), ("20000.00", "2020-01-01"));
/// assert!(t.render_text().contains("| aid.medical.yearly_cap | 20000.00 | 2020-01-01 | aid.assumed.example.medical |"));
/// let newest = bangfu::eval::in_force(bangfu::example2020::POLICY_TOML, None)?;
/// assert!(newest.default_date);
/// assert!(newest.rows.iter().any(|r| r.parameter == "aid.medical.yearly_cap" && r.value == "30000.00"));
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn in_force(text: &str, on: Option<NaiveDate>) -> Result<InForce, InputError> {
    let policy = Policy::from_toml(text)?;
    let table: toml::Table = crate::input::parse_toml(text)?;
    let root = toml::Value::Table(table);
    let mut newest = None;
    newest_from(&root, &mut newest);
    let default_date = on.is_none();
    let date = on.or(newest).unwrap_or_default();
    let mut walk = Walk {
        date,
        rows: Vec::new(),
    };
    if let toml::Value::Table(t) = &root {
        for (k, v) in t
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "meta" | "citations"))
        {
            walk.walk(k, v);
        }
    }
    let mut citations: Vec<(CitationId, Citation)> = Vec::new();
    for cite in walk
        .rows
        .iter()
        .filter(|r| r.in_force)
        .filter_map(|r| r.cite.as_deref())
    {
        if citations.iter().any(|(id, _)| id.as_str() == cite) {
            continue;
        }
        if let Some((id, c)) = policy.citations.iter().find(|(id, _)| id.as_str() == cite) {
            citations.push((id.clone(), c.clone()));
        }
    }
    citations.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(InForce {
        meta: policy.meta,
        date,
        default_date,
        rows: walk.rows,
        citations,
    })
}

impl InForce {
    /// A readable report: the header, a table of every parameter (path, value, in force
    /// from, citation), then the citations used.
    pub fn render_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let m = &self.meta;
        let _ = writeln!(
            out,
            "policy {} {}: {}",
            m.jurisdiction, m.version, m.name_zh
        );
        let _ = writeln!(out, "  {}", m.name_en);
        let _ = writeln!(out, "valid: every value read, dated and cited");
        let how = if self.default_date {
            " (default: the newest `from` in the file; choose another with --on DATE)"
        } else {
            ""
        };
        let _ = writeln!(out, "in force on {}{how}:\n", self.date);
        let _ = writeln!(out, "| parameter | value | from | cite |");
        let _ = writeln!(out, "|---|---|---|---|");
        for r in &self.rows {
            let from = r.from.map_or_else(|| "—".to_owned(), |d| d.to_string());
            let cite = r.cite.as_deref().unwrap_or("—");
            let value = r.value.replace('|', "\\|");
            let _ = writeln!(out, "| {} | {value} | {from} | {cite} |", r.parameter);
        }
        let _ = writeln!(out, "\ncitations:");
        for (id, c) in &self.citations {
            let section = c
                .section
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default();
            // An assumed value's note says why it was chosen: show it.
            let assumed = match (&c.note, c.assumed) {
                (Some(note), true) => format!(" [assumed: {note}]"),
                (None, true) => " [assumed]".to_owned(),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {id}: {}{section}{assumed}", c.document);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]

    use super::*;

    /// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
    fn cases(default: u32) -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }
    use proptest::prelude::*;

    fn policy() -> Policy {
        crate::hainan2018::policy().unwrap()
    }

    const EXAMPLES: &str = bangfu_aid::EXAMPLE_REQUESTS_JSONL;

    fn eligibility_line(id: &str, date: &str) -> String {
        let h = serde_json::to_string(&Household::example().unwrap()).unwrap();
        format!(r#"{{"kind":"eligibility","id":"{id}","household":{h},"date":"{date}"}}"#)
    }

    /// Request lines with ids: the example requests and eligibility lines, good and bad.
    fn lines() -> Vec<String> {
        let mut out: Vec<String> = EXAMPLES
            .lines()
            .enumerate()
            .map(|(i, l)| {
                let mut v: Value = serde_json::from_str(l).unwrap();
                v["id"] = Value::String(format!("ex-{i}"));
                v.to_string()
            })
            .collect();
        out.push(eligibility_line("el-1", "2018-03-01"));
        out.push(eligibility_line("el-2", "2016-03-01"));
        out.push(r#"{"id":"bad-1","kind":"medical","oops":1}"#.into());
        out
    }

    #[test]
    fn each_example_line_is_decided_or_refused_with_its_code() {
        let p = policy();
        let eval = Evaluator::new(&p).unwrap();
        let out = eval.eval_str(EXAMPLES, Explain::Off);
        assert_eq!(out.len(), EXAMPLES.lines().count());
        let codes: Vec<Option<String>> = out
            .iter()
            .map(|o| match o {
                OutputLine::Error(e) => Some(e.error.clone()),
                OutputLine::Decision(_) => None,
            })
            .collect();
        assert_eq!(codes[..6], [None, None, None, None, None, None]);
        assert_eq!(codes[6].as_deref(), Some("aid.file.not_payable"));
        assert_eq!(codes[7].as_deref(), Some("aid.request.unknown_kind"));
        for (i, o) in out.iter().enumerate() {
            assert_eq!(o.line(), i as u64 + 1);
            assert_eq!(OutputLine::from_json(&o.to_json()).unwrap(), *o);
        }
    }

    #[test]
    fn eligibility_gives_category_reasons_and_cited_parameters() {
        let p = policy();
        let eval = Evaluator::new(&p).unwrap();
        let out = eval.eval_line(3, &eligibility_line("x", "2018-03-01"), Explain::Off);
        let OutputLine::Decision(d) = &out else {
            panic!("{out:?}")
        };
        assert_eq!((d.line, d.id.as_deref()), (3, Some("x")));
        let e = d.decision.eligibility().unwrap();
        assert_eq!(e.outcome, Verdict::Eligible);
        assert_eq!(e.category, Some(HardshipCategory::NearSubsistence));
        assert!(e.explanation.is_none());
        assert!(!e.parameters.is_empty());
        assert!(e.parameters.iter().all(|p| p.citation.is_some()));
        let json: Value = serde_json::from_str(&out.to_json()).unwrap();
        assert_eq!(json["kind"], "eligibility");
        assert_eq!(json["per_capita"]["monthly_display"], "500.00");
        let explained = eval.eval_line(3, &eligibility_line("x", "2018-03-01"), Explain::On);
        let OutputLine::Decision(x) = &explained else {
            panic!()
        };
        let xe = x.decision.eligibility().unwrap();
        assert!(!xe.explanation.as_ref().unwrap().steps.is_empty());
        assert_eq!(
            (xe.outcome, xe.category, &xe.reasons),
            (e.outcome, e.category, &e.reasons)
        );
    }

    #[test]
    fn a_not_eligible_household_lists_every_reason() {
        let mut h = Household::example().unwrap();
        h.assets.homes = 2;
        h.documents.clear();
        let line = format!(
            r#"{{"kind":"eligibility","household":{},"date":"2018-03-01"}}"#,
            serde_json::to_string(&h).unwrap()
        );
        let p = policy();
        let out = Evaluator::new(&p)
            .unwrap()
            .eval_line(1, &line, Explain::Off);
        let OutputLine::Decision(d) = out else {
            panic!()
        };
        let e = d.decision.eligibility().unwrap();
        assert_eq!(e.outcome, Verdict::NotEligible);
        let codes: Vec<&str> = e.reasons.iter().map(|r| r.code.as_str()).collect();
        assert!(codes.contains(&"exclusion.multiple_homes"), "{codes:?}");
        assert!(codes.contains(&"missing.commitment_letter"), "{codes:?}");
        assert!(e.category.is_none());
    }

    #[test]
    fn explain_never_changes_an_amount() {
        let p = policy();
        let eval = Evaluator::new(&p).unwrap();
        for (i, l) in EXAMPLES.lines().enumerate() {
            let off = eval.eval_line(i as u64 + 1, l, Explain::Off);
            let on = eval.eval_line(i as u64 + 1, l, Explain::On);
            let strip = |o: &OutputLine| {
                let mut v: Value = serde_json::from_str(&o.to_json()).unwrap();
                if let Some(m) = v.as_object_mut() {
                    m.remove("explanation");
                    if let Some(e) = m.get_mut("entitlement").and_then(Value::as_object_mut) {
                        e.remove("explanation");
                    }
                }
                v
            };
            assert_eq!(strip(&off), strip(&on), "line {}", i + 1);
        }
    }

    #[test]
    fn blank_and_non_utf8_lines() {
        let p = policy();
        let eval = Evaluator::new(&p).unwrap();
        assert!(eval.eval_bytes(1, b"  \r\n", Explain::Off).is_none());
        let bad = eval
            .eval_bytes(2, b"{\"kind\":\"\xff\"}\n", Explain::Off)
            .unwrap();
        let OutputLine::Error(e) = bad else { panic!() };
        assert_eq!((e.line, e.error.as_str()), (2, "read.syntax"));
    }

    #[test]
    fn in_force_lists_dated_lists_and_bands() {
        let d = NaiveDate::from_ymd_opt(2021, 6, 1);
        let t = in_force(crate::example2020::POLICY_TOML, d).unwrap();
        let has = |p: &str| t.rows.iter().any(|r| r.parameter == p);
        assert!(has("eligibility.exclusions[multiple_homes]"));
        assert!(!has("eligibility.exclusions[controlling_shareholder]"));
        assert!(has("eligibility.schemes.bands[0]"));
        assert!(has("eligibility.school_age_bands[0]"));
        assert!(t.render_text().contains("[assumed: "));
        let scheme = t
            .rows
            .iter()
            .find(|r| r.parameter == "eligibility.schemes")
            .unwrap();
        assert!(scheme.value.contains("graded_2020"), "{}", scheme.value);
        assert!(t.citations.iter().any(|(_, c)| c.assumed));
        let text = crate::example2020::POLICY_TOML.replacen(
            "id = \"business\"\n",
            "id = \"business\"\nuntil = \"2020-12-31\"\n",
            1,
        );
        let t = in_force(&text, d).unwrap();
        assert!(
            !t.rows
                .iter()
                .any(|r| r.parameter == "eligibility.exclusions[business]")
        );
        let t = in_force(&text, NaiveDate::from_ymd_opt(2020, 12, 31)).unwrap();
        assert!(
            t.rows
                .iter()
                .any(|r| r.parameter == "eligibility.exclusions[business]")
        );
        let early = in_force(
            crate::example2020::POLICY_TOML,
            NaiveDate::from_ymd_opt(2017, 1, 1),
        )
        .unwrap();
        assert!(
            early
                .rows
                .iter()
                .any(|r| !r.in_force && r.parameter == "aid.medical.yearly_cap")
        );
    }

    #[test]
    fn evaluator_is_send_and_sync() {
        fn check<T: Send + Sync>() {}
        check::<Evaluator<'_>>();
        check::<OutputLine>();
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(24)))]

        /// The output of a line does not depend on the other lines or their order: shuffled
        /// input gives, per id, the same output (less the line number).
        #[test]
        fn order_of_lines_does_not_matter(shuffled in Just(lines()).prop_shuffle()) {
            let p = policy();
            let eval = Evaluator::new(&p).unwrap();
            let by_id = |ls: &[String]| {
                let mut m = std::collections::BTreeMap::new();
                for o in eval.eval_str(&ls.join("\n"), Explain::Off) {
                    let mut v: Value = serde_json::from_str(&o.to_json()).unwrap();
                    let id = v["id"].as_str().unwrap().to_owned();
                    v.as_object_mut().unwrap().remove("line");
                    m.insert(id, v);
                }
                m
            };
            let original = by_id(&lines());
            prop_assert_eq!(original.len(), lines().len());
            prop_assert_eq!(by_id(&shuffled), original);
        }

        /// Generated medical requests (any cost in fen, any earlier claims of the year, any
        /// caller id): the request and its output line round-trip through JSON, the output
        /// echoes the line number and id, asking for an explanation changes nothing else, and
        /// the amount stays within the cap and the year's cost.
        #[test]
        fn generated_medical_lines_round_trip_and_explain_changes_nothing(
            cost in 0i64..5_000_000_000,
            earlier in proptest::collection::vec((0i64..3_000_000_000, 1u32..=28), 0..4),
            day in 1u32..=28,
            line in 1u64..1_000_000,
            id in "[a-z0-9-]{1,12}",
        ) {
            let fen = |f: i64| bangfu_core::Money::from_fen(f).unwrap().to_string();
            let earlier_claims: Vec<Value> = earlier
                .iter()
                .enumerate()
                .map(|(i, (c, d))| serde_json::json!({"id": format!("m-{i}"), "applicant": "p1",
                    "date": format!("2018-01-{d:02}"), "out_of_pocket": fen(*c)}))
                .collect();
            let request = serde_json::json!({"kind": "medical", "id": id,
                "file": {"case": "HK-1/1", "household": "HK-1", "tier": "national",
                         "degree": "subsistence", "household_size": 3, "status": "active"},
                "claim": {"id": "m-x", "applicant": "p1", "date": format!("2018-06-{day:02}"),
                          "out_of_pocket": fen(cost)},
                "earlier_claims": earlier_claims});
            let text = request.to_string();
            let parsed = RequestLine::from_json(&text).unwrap();
            prop_assert_eq!(RequestLine::from_json(&parsed.to_json()).unwrap(), parsed.clone());
            prop_assert_eq!(parsed.id.as_deref(), Some(id.as_str()));

            let p = policy();
            let eval = Evaluator::new(&p).unwrap();
            let off = eval.eval_line(line, &text, Explain::Off);
            let on = eval.eval_line(line, &text, Explain::On);
            prop_assert_eq!(OutputLine::from_json(&off.to_json()).unwrap(), off.clone());
            prop_assert_eq!(OutputLine::from_json(&on.to_json()).unwrap(), on.clone());
            prop_assert_eq!((off.line(), off.id()), (line, Some(id.as_str())));
            let (OutputLine::Decision(a), OutputLine::Decision(b)) = (&off, &on) else {
                return Err(TestCaseError::fail(format!("refused: {}", off.to_json())));
            };
            let (Some(bangfu_aid::Decision::Medical(a)), Some(bangfu_aid::Decision::Medical(b))) =
                (a.decision.aid(), b.decision.aid())
            else {
                return Err(TestCaseError::fail("not a medical decision"));
            };
            prop_assert!(a.explanation.is_none() && b.explanation.is_some());
            prop_assert_eq!((a.amount, a.reasons, &a.order), (b.amount, b.reasons, &b.order));
            let cap = p.aid.medical.yearly_cap.at("cap", a.date).unwrap().value;
            prop_assert!(a.amount <= cap);
            // The earlier claims carry no payments, so this claim may pay for them too: the
            // bound is the year's cost, not this claim's.
            prop_assert!(a.amount.fen() <= cost + earlier.iter().map(|(c, _)| c).sum::<i64>());
        }
    }
}
