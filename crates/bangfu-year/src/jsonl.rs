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
//! DecisionRequest kinds: `eligibility` (a household and a date, decided by the eligibility crate)
//! and the aid kinds of [`bangfu_aid::Request`] (`medical`, `living`, `sending_warmth`,
//! `education`, `remaining_entitlement`, `temporary`). A request may carry a caller's `"id"` (a string),
//! echoed on its output line with the line number.
//!
//! ```
//! use bangfu_year::jsonl::{Decider, OutputLine};
//! use bangfu_aid::Explain;
//! let policy = bangfu_data::hainan2018::policy()?;
//! let eval = Decider::new(&policy)?;
//! let input = concat!(
//!     r#"{"kind":"sending_warmth","id":"a","file":{"case":"HK-3/1","household":"HK-3","tier":"national","degree":"subsistence","household_size":4,"status":"active"},"claim":{"id":"w-1","date":"2018-02-01"}}"#, "\n",
//!     r#"{"kind":"lottery"}"#, "\n",
//! );
//! let out = eval.decide_str(input, Explain::Off);
//! assert!(matches!(&out[0], OutputLine::Decision(d) if d.line == 1 && d.id.as_deref() == Some("a")));
//! let OutputLine::Error(e) = &out[1] else { unreachable!() };
//! assert_eq!((e.line, e.error.as_str()), (2, "aid.request.unknown_kind"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! What a policy file has in force on a date, for `bangfu policy check`, is
//! [`crate::in_force`].

use bangfu_aid::{AidError, Calculator, Explain, Request as AidRequest};
use bangfu_core::read::{self, ReadError, ReadProblem};
use bangfu_core::{
    ArchiveTier, Coded, Explanation, HouseholdId, Labelled, NaiveDate, ParameterUse,
};
use bangfu_eligibility::{
    BandCheck, Detail, EligibilityError, HardshipCategory, Household, MissingDocument, Outcome,
    PerCapita, Reason, SchemeKind,
};
use std::borrow::Cow;

use bangfu_aid::DecisionRef;
use bangfu_core::json::Object;
use serde::{Deserialize, Serialize, de};
use serde_json::{Map, Value};

use crate::Policy;

/// The request kinds, as in the `"kind"` field.
pub const KINDS: &[&str] = &[
    "eligibility",
    "medical",
    "living",
    "sending_warmth",
    "education",
    "remaining_entitlement",
    "temporary",
];

/// An eligibility request (认定请求): may this household be filed on this date?
///
/// # Example
/// ```
/// let h = bangfu_eligibility::Household::example()?;
/// let r = bangfu_year::jsonl::EligibilityRequest { household: h, date: bangfu_core::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap() };
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
/// use bangfu_year::jsonl::{DecisionRequest, RequestLine};
/// let line = RequestLine::from_json(r#"{"kind":"sending_warmth","id":"x-1","file":{"case":"c","household":"h","tier":"national","degree":"subsistence","household_size":1,"status":"active"},"claim":{"id":"w","date":"2018-01-20"}}"#)?;
/// assert_eq!(line.request.kind(), "sending_warmth");
/// assert_eq!(line.id.as_deref(), Some("x-1"));
/// assert_eq!(RequestLine::from_json(&line.to_json())?, line);
/// # Ok::<(), bangfu_year::jsonl::RequestError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecisionRequest {
    /// Eligibility (困难职工家庭认定).
    Eligibility(Box<EligibilityRequest>),
    /// One of the aid kinds (救助).
    Aid(Box<AidRequest>),
}

impl DecisionRequest {
    /// The request's kind, as in the `"kind"` field.
    pub fn kind(&self) -> &'static str {
        match self {
            DecisionRequest::Eligibility(_) => "eligibility",
            DecisionRequest::Aid(r) => r.kind(),
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

impl Serialize for DecisionRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            DecisionRequest::Eligibility(r) => TaggedRequest::Eligibility(r.as_ref()).serialize(s),
            DecisionRequest::Aid(r) => r.serialize(s),
        }
    }
}

/// A request line: the request and the caller's optional `"id"`, echoed on the output.
///
/// # Example
/// See [`DecisionRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestLine {
    /// The caller's id for the line, any string.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The request.
    #[serde(flatten)]
    pub request: DecisionRequest,
}

/// What could be read of a line even when the request could not: its id and kind.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Envelope {
    id: Option<String>,
    kind: Option<String>,
}

/// A reading problem of a line, without caller text in its message.
fn malformed(problem: ReadProblem, message: &str) -> RequestError {
    RequestError::Read(ReadError::new(problem, message))
}

/// Reads a request line with typed problems (see [`bangfu_core::read`](bangfu_core::read)):
/// the code of every problem comes from the serde call or the type that found it.
fn read_request(text: &str) -> (Envelope, Result<DecisionRequest, RequestError>) {
    let mut envelope = Envelope::default();
    let value = match read::json_value(text) {
        Ok(v) => v,
        Err(e) => return (envelope, Err(RequestError::Read(e))),
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
                .map(|r| DecisionRequest::Eligibility(Box::new(r)))
                .map_err(RequestError::Read)
        }
        Some(kind) if !KINDS.contains(&kind) => Err(RequestError::UnknownKind {
            kind: kind.to_owned(),
        }),
        _ => AidRequest::from_value(&Value::Object(map))
            .map(|r| DecisionRequest::Aid(Box::new(r)))
            .map_err(RequestError::from),
    };
    (envelope, request)
}

// ---------------------------------------------------------------------------------------
// The direct reading of a request line (no intermediate value)

/// The request kinds, as read from `"kind"` on the direct path.
#[derive(Clone, Copy, Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindTag {
    Eligibility,
    Medical,
    Living,
    SendingWarmth,
    Education,
    RemainingEntitlement,
    Temporary,
}

/// A key of the envelope read before the kind: `kind`, `id`, or another.
enum Head {
    Kind,
    Id,
    Other,
}

impl<'de> Deserialize<'de> for Head {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl de::Visitor<'_> for V {
            type Value = Head;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a key")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Head, E> {
                Ok(match v {
                    "kind" => Head::Kind,
                    "id" => Head::Id,
                    _ => Head::Other,
                })
            }
        }
        d.deserialize_str(V)
    }
}

/// Reads a request line straight from its text, as [`read_request`] reads it: the caller's
/// `id` and the request. `None` when this reading refuses the line, which
/// [`read_request`] then reads for its error; also `None` for a line whose `kind` comes
/// after another field than `id` (read by [`read_request`] too: every writer of the format
/// puts the kind first).
fn read_direct(text: &str) -> Option<(Option<Cow<'_, str>>, DecisionRequest)> {
    read::json_seed(text, LineSeed)
}

/// The caller's `id`, borrowed from the line when it has no escape (it is only echoed).
struct IdText;

impl<'de> de::DeserializeSeed<'de> for IdText {
    type Value = Cow<'de, str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_string(self)
    }
}

impl<'de> de::Visitor<'de> for IdText {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a string")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// The seed of [`read_direct`].
struct LineSeed;

impl<'de> de::DeserializeSeed<'de> for LineSeed {
    type Value = (Option<Cow<'de, str>>, DecisionRequest);
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> de::Visitor<'de> for LineSeed {
    type Value = (Option<Cow<'de, str>>, DecisionRequest);

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a request object")
    }

    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut id = None;
        loop {
            match map.next_key::<Head>()? {
                Some(Head::Kind) => break,
                Some(Head::Id) => id = Some(map.next_value_seed(IdText)?),
                Some(Head::Other) | None => return Err(de::Error::custom("the kind first")),
            }
        }
        let kind = map.next_value::<KindTag>()?;
        let mut rest = Rest { map, id };
        let request = match kind {
            KindTag::Eligibility => {
                DecisionRequest::Eligibility(Box::new(EligibilityRequest::deserialize(&mut rest)?))
            }
            KindTag::Medical => aid(AidRequest::Medical(Deserialize::deserialize(&mut rest)?)),
            KindTag::Living => aid(AidRequest::Living(Deserialize::deserialize(&mut rest)?)),
            KindTag::SendingWarmth => aid(AidRequest::SendingWarmth(Deserialize::deserialize(
                &mut rest,
            )?)),
            KindTag::Education => aid(AidRequest::Education(Deserialize::deserialize(&mut rest)?)),
            KindTag::RemainingEntitlement => aid(AidRequest::RemainingEntitlement(
                Deserialize::deserialize(&mut rest)?,
            )),
            KindTag::Temporary => aid(AidRequest::Temporary(Deserialize::deserialize(&mut rest)?)),
        };
        Ok((rest.id, request))
    }
}

fn aid(request: AidRequest) -> DecisionRequest {
    DecisionRequest::Aid(Box::new(request))
}

/// The fields of a request line after its kind, as the request's type reads them: without
/// the caller's `id`, taken aside wherever it comes (the kind is read already; a second one
/// is a duplicate key, refused by the reader).
struct Rest<'de, A> {
    map: A,
    id: Option<Cow<'de, str>>,
}

impl<'de, A: de::MapAccess<'de>> serde::Deserializer<'de> for &mut Rest<'de, A> {
    type Error = A::Error;

    fn deserialize_any<V: de::Visitor<'de>>(self, v: V) -> Result<V::Value, A::Error> {
        v.visit_map(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct newtype_struct seq tuple tuple_struct map struct enum
        identifier ignored_any
    }
}

impl<'de, A: de::MapAccess<'de>> de::MapAccess<'de> for &mut Rest<'de, A> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        let mut seed = seed;
        loop {
            match self.map.next_key_seed(IdOr(seed))? {
                None => return Ok(None),
                Some(IdOr(Ok(key))) => return Ok(Some(key)),
                Some(IdOr(Err(back))) => {
                    seed = back;
                    self.id = Some(self.map.next_value_seed(IdText)?);
                }
            }
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

/// A key seed that sets the key `id` aside: `Err(seed)` for `id` (the seed given back),
/// `Ok` with what the seed read of any other key.
struct IdOr<T>(T);

impl<'de, K: de::DeserializeSeed<'de>> de::DeserializeSeed<'de> for IdOr<K> {
    type Value = IdOr<Result<K::Value, K>>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de, K: de::DeserializeSeed<'de>> de::Visitor<'de> for IdOr<K> {
    type Value = IdOr<Result<K::Value, K>>;

    fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("a key")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        if v == "id" {
            return Ok(IdOr(Err(self.0)));
        }
        let key = self
            .0
            .deserialize(de::value::BorrowedStrDeserializer::new(v))?;
        Ok(IdOr(Ok(key)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        if v == "id" {
            return Ok(IdOr(Err(self.0)));
        }
        let key = self.0.deserialize(de::value::StrDeserializer::new(v))?;
        Ok(IdOr(Ok(key)))
    }
}

impl RequestLine {
    /// Reads one request line (a JSON object).
    ///
    /// # Errors
    /// An [`RequestError`] with the code of what is wrong: malformed JSON, not an object, an
    /// `id` that is not a string, an unknown kind or field, a missing field, a negative,
    /// over-precise, overflowing or malformed amount, an unknown code.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Coded;
    /// let err = bangfu_year::jsonl::RequestLine::from_json(r#"{"kind":"eligibility","colour":1}"#).unwrap_err();
    /// assert_eq!(err.code(), "read.unknown_field");
    /// ```
    pub fn from_json(text: &str) -> Result<RequestLine, RequestError> {
        if let Some((id, request)) = read_direct(text) {
            return Ok(RequestLine {
                id: id.map(Cow::into_owned),
                request,
            });
        }
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
/// See [`Decider::decide`].
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
/// See [`Decider::decide`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// An eligibility decision.
    Eligibility(Box<EligibilityOutcome>),
    /// An aid decision.
    Aid(Box<bangfu_aid::Decision>),
}

impl Answer {
    /// The eligibility outcome, if this is one.
    pub fn eligibility(&self) -> Option<&EligibilityOutcome> {
        match self {
            Answer::Eligibility(e) => Some(e),
            Answer::Aid(_) => None,
        }
    }

    /// The aid decision, if this is one.
    pub fn aid(&self) -> Option<&bangfu_aid::Decision> {
        match self {
            Answer::Eligibility(_) => None,
            Answer::Aid(d) => Some(d),
        }
    }
}

/// An answer borrowing its request (see [`Decider::decide_ref`]).
// It lives on the stack for one line; boxing the aid decision would allocate on every line.
#[allow(clippy::large_enum_variant)]
enum AnswerRef<'a> {
    Eligibility(Box<EligibilityOutcome>),
    Aid(DecisionRef<'a>),
}

impl AnswerRef<'_> {
    fn into_owned(self) -> Answer {
        match self {
            AnswerRef::Eligibility(e) => Answer::Eligibility(e),
            AnswerRef::Aid(d) => Answer::Aid(Box::new(d.into_owned())),
        }
    }

    /// The answer's fields, its kind first, as [`Answer`] serializes.
    fn write_fields(&self, o: &mut Object<'_>) {
        match self {
            AnswerRef::Eligibility(e) => {
                o.str("kind", "eligibility");
                o.serde_fields(e.as_ref());
            }
            AnswerRef::Aid(d) => d.write_fields(o),
        }
    }
}

impl Serialize for Answer {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Answer::Eligibility(e) => TaggedOutcome::Eligibility(e.as_ref()).serialize(s),
            Answer::Aid(d) => d.serialize(s),
        }
    }
}

fn decision_from_map(mut map: Map<String, Value>) -> Result<Answer, serde_json::Error> {
    if map.get("kind").and_then(Value::as_str) == Some("eligibility") {
        map.remove("kind");
        let e = serde_json::from_value::<EligibilityOutcome>(Value::Object(map))?;
        Ok(Answer::Eligibility(Box::new(e)))
    } else {
        serde_json::from_value::<bangfu_aid::Decision>(Value::Object(map))
            .map(|d| Answer::Aid(Box::new(d)))
    }
}

impl<'de> Deserialize<'de> for Answer {
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
    pub decision: Answer,
}

impl DecisionLine {
    /// Appends the line as its derived `Serialize` writes it (the line, the id, then the
    /// decision's fields flattened), without serde's flattening, which goes through a map
    /// serializer field by field: the line and the id, then the decision's own object with
    /// its `{` turned into `,` (or dropped before an empty object's `}`). Whether it wrote.
    fn write_flat(&self, out: &mut Vec<u8>) -> bool {
        out.extend_from_slice(b"{\"line\":");
        if serde_json::to_writer(&mut *out, &self.line).is_err() {
            return false;
        }
        if let Some(id) = &self.id {
            out.extend_from_slice(b",\"id\":");
            if serde_json::to_writer(&mut *out, id).is_err() {
                return false;
            }
        }
        let at = out.len();
        if serde_json::to_writer(&mut *out, &self.decision).is_err() {
            return false;
        }
        match (out.get(at), out.get(at.saturating_add(1))) {
            (Some(b'{'), Some(b'}')) => {
                out.remove(at);
            }
            (Some(b'{'), _) => {
                if let Some(b) = out.get_mut(at) {
                    *b = b',';
                }
            }
            _ => return false,
        }
        true
    }
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

impl ErrorLine {
    /// Appends the line as `serde_json` writes it, by hand.
    fn write_json(&self, out: &mut Vec<u8>) -> bool {
        let mut o = Object::open(out);
        o.unsigned("line", self.line);
        if let Some(id) = &self.id {
            o.str("id", id);
        }
        if let Some(kind) = &self.kind {
            o.str("kind", kind);
        }
        o.str("error", &self.error);
        o.str("zh", &self.zh);
        o.str("en", &self.en);
        o.str("message", &self.message);
        o.close()
    }
}

/// Appends the output line of a decided request: `{"line":…,"id":…` then the decision's
/// fields, as the derived `Serialize` of [`DecisionLine`] writes them. Whether it wrote.
fn write_decision(line: u64, id: Option<&str>, answer: &AnswerRef<'_>, out: &mut Vec<u8>) -> bool {
    let mut o = Object::open(out);
    o.unsigned("line", line);
    if let Some(id) = id {
        o.str("id", id);
    }
    answer.write_fields(&mut o);
    o.close()
}

/// One output line: a decision or an error.
///
/// # Example
/// ```
/// use bangfu_year::jsonl::{Decider, OutputLine};
/// let policy = bangfu_data::hainan2018::policy()?;
/// let out = Decider::new(&policy)?.decide_line(4, "{oops", bangfu_aid::Explain::Off);
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
    pub fn error(
        line: u64,
        id: Option<String>,
        kind: Option<String>,
        error: &RequestError,
    ) -> Self {
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

    /// Appends the line as compact JSON and a newline to `out`: the bytes of
    /// [`OutputLine::to_json`] and `\n`, with no string of its own.
    ///
    /// # Example
    /// ```
    /// use bangfu_year::jsonl::Decider;
    /// let policy = bangfu_data::hainan2018::policy()?;
    /// let line = Decider::new(&policy)?.decide_line(4, "{oops", bangfu_aid::Explain::Off);
    /// let mut out = b"earlier\n".to_vec();
    /// line.write_json(&mut out);
    /// assert_eq!(out, format!("earlier\n{}\n", line.to_json()).into_bytes());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_json(&self, out: &mut Vec<u8>) {
        let start = out.len();
        let written = match self {
            OutputLine::Decision(d) => d.write_flat(out),
            OutputLine::Error(e) => e.write_json(out),
        };
        // Writing to a vector fails only where `to_json` gives an empty line: the same.
        if !written {
            out.truncate(start);
        }
        out.push(b'\n');
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
/// use bangfu_core::Coded;
/// let err = bangfu_year::jsonl::RequestLine::from_json("[1]").unwrap_err();
/// assert_eq!(err.code(), "read.invalid_type");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RequestError {
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

impl From<AidError> for RequestError {
    fn from(e: AidError) -> Self {
        match e {
            AidError::Read(r) => RequestError::Read(r),
            AidError::UnknownKind { kind } => RequestError::UnknownKind { kind },
            other => RequestError::Aid(other),
        }
    }
}

impl From<EligibilityError> for RequestError {
    fn from(e: EligibilityError) -> Self {
        RequestError::Eligibility(e)
    }
}

/// The code of an unknown request kind, shared with the aid crate's reader.
const UNKNOWN_KIND: &str = "aid.request.unknown_kind";

impl Coded for RequestError {
    fn code(&self) -> &'static str {
        match self {
            RequestError::Aid(e) => e.code(),
            RequestError::Eligibility(e) => e.code(),
            RequestError::Read(e) => e.code(),
            RequestError::UnknownKind { .. } => UNKNOWN_KIND,
        }
    }
}

impl Labelled for RequestError {
    fn zh(&self) -> &'static str {
        match self {
            RequestError::Aid(e) => e.zh(),
            RequestError::Eligibility(e) => e.zh(),
            RequestError::Read(e) => e.zh(),
            RequestError::UnknownKind { .. } => "未知请求类型",
        }
    }
    fn en(&self) -> &'static str {
        match self {
            RequestError::Aid(e) => e.en(),
            RequestError::Eligibility(e) => e.en(),
            RequestError::Read(e) => e.en(),
            RequestError::UnknownKind { .. } => "unknown request kind",
        }
    }
}

/// Decides request lines under one policy. `Send + Sync`: one evaluator can serve threads.
///
/// # Example
/// ```
/// use bangfu_aid::Explain;
/// use bangfu_year::jsonl::{DecisionRequest, Decider, RequestLine, Verdict};
/// let policy = bangfu_data::hainan2018::policy()?;
/// let eval = Decider::new(&policy)?;
/// let household = serde_json::to_string(&bangfu_eligibility::Household::example()?)?;
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
pub struct Decider<'p> {
    policy: &'p Policy,
    calc: Calculator<'p>,
}

impl<'p> Decider<'p> {
    /// An evaluator over `policy` (already validated by [`Policy::from_toml`]).
    ///
    /// # Errors
    /// [`AidError::InvalidPolicy`] if the aid section cannot be used.
    pub fn new(policy: &'p Policy) -> Result<Decider<'p>, RequestError> {
        let calc = Calculator::new(&policy.aid)?.with_citations(&policy.citations);
        Ok(Decider { policy, calc })
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
        request: &DecisionRequest,
        explain: Explain,
    ) -> Result<Answer, RequestError> {
        self.decide_ref(request, explain).map(AnswerRef::into_owned)
    }

    /// Decides one request, the answer borrowing the request and the policy (see
    /// [`bangfu_aid::Calculator::decide_ref`]).
    fn decide_ref<'a>(
        &'a self,
        request: &'a DecisionRequest,
        explain: Explain,
    ) -> Result<AnswerRef<'a>, RequestError> {
        match request {
            DecisionRequest::Eligibility(r) => {
                // The outcome lists the parameters used; the steps only when asked.
                let detail = match explain {
                    Explain::On => Detail::Full,
                    Explain::Off => Detail::Parameters,
                };
                let mut d = bangfu_eligibility::assess_with(
                    &self.policy.eligibility,
                    &r.household,
                    r.date,
                    detail,
                )?;
                // Policy::from_toml has checked every cite exists, so nothing is missing.
                let _missing = d.fill_citations(&self.policy.citations);
                Ok(AnswerRef::Eligibility(Box::new(EligibilityOutcome::new(
                    d, explain,
                ))))
            }
            DecisionRequest::Aid(r) => Ok(AnswerRef::Aid(self.calc.decide_ref(r, explain)?)),
        }
    }

    /// Reads and decides the request on line `line`, giving `decided` the caller's id and
    /// the answer (borrowing the request); the error line when it is refused.
    #[allow(clippy::result_large_err)] // As `text_of`.
    fn answer<R>(
        &self,
        line: u64,
        text: &str,
        explain: Explain,
        decided: impl FnOnce(Option<&str>, AnswerRef<'_>) -> R,
    ) -> Result<R, OutputLine> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (id, request) = match read_direct(text) {
            Some((id, request)) => (id, request),
            None => match read_request(text) {
                (envelope, Ok(request)) => (envelope.id.map(Cow::Owned), request),
                // The kind is echoed only when it is one of ours: a caller's text never
                // returns unmasked except the caller's own `id`, echoed verbatim to match its
                // lines.
                (envelope, Err(e)) => {
                    let kind = envelope.kind.filter(|k| KINDS.contains(&k.as_str()));
                    return Err(OutputLine::error(line, envelope.id, kind, &e));
                }
            },
        };
        match self.decide_ref(&request, explain) {
            Ok(answer) => Ok(decided(id.as_deref(), answer)),
            // A request read has the kind it was written with.
            Err(e) => Err(OutputLine::error(
                line,
                id.map(Cow::into_owned),
                Some(request.kind().to_owned()),
                &e,
            )),
        }
    }

    /// Decides the request on line `line` (1-based): a decision line or an error line.
    ///
    /// The line is read straight from its text into the request's type; a line that this
    /// reading refuses is read again through a JSON value, which names the problem by type
    /// (the output is the same either way: see [`read::json_seed`]).
    pub fn decide_line(&self, line: u64, text: &str, explain: Explain) -> OutputLine {
        self.answer(line, text, explain, |id, answer| {
            OutputLine::Decision(Box::new(DecisionLine {
                line,
                id: id.map(str::to_owned),
                decision: answer.into_owned(),
            }))
        })
        .unwrap_or_else(|refused| refused)
    }

    /// Decides the request on line `line` and appends its output line and a newline to
    /// `out`: the bytes of [`Decider::decide_line`]'s [`OutputLine::write_json`], written
    /// straight from the decision (which borrows the request: no id copied, no payment order
    /// or explanation built).
    ///
    /// # Example
    /// ```
    /// use bangfu_year::jsonl::Decider;
    /// use bangfu_aid::Explain;
    /// let policy = bangfu_data::hainan2018::policy()?;
    /// let eval = Decider::new(&policy)?;
    /// let line = r#"{"kind":"sending_warmth","id":"a","file":{"case":"HK-3/1","household":"HK-3","tier":"national","degree":"subsistence","household_size":4,"status":"active"},"claim":{"id":"w-1","date":"2018-02-01"}}"#;
    /// let mut out = Vec::new();
    /// eval.write_line(7, line, Explain::On, &mut out);
    /// let mut expected = Vec::new();
    /// eval.decide_line(7, line, Explain::On).write_json(&mut expected);
    /// assert_eq!(out, expected);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_line(&self, line: u64, text: &str, explain: Explain, out: &mut Vec<u8>) {
        let written = self.answer(line, text, explain, |id, answer| {
            let start = out.len();
            if write_decision(line, id, &answer, out) {
                out.push(b'\n');
            } else {
                // Only a value the writer does not know (none today): serde_json's bytes.
                out.truncate(start);
                let owned = OutputLine::Decision(Box::new(DecisionLine {
                    line,
                    id: id.map(str::to_owned),
                    decision: answer.into_owned(),
                }));
                owned.write_json(out);
            }
        });
        if let Err(refused) = written {
            refused.write_json(out);
        }
    }

    /// A line given as bytes: blank, text, or an error line for bytes that are not UTF-8.
    // The error line is the rare way out of a line, given back by value as the callers
    // write or return it.
    #[allow(clippy::result_large_err)]
    fn text_of(line: u64, bytes: &[u8]) -> Result<Option<&str>, OutputLine> {
        let bytes = bytes.strip_suffix(b"\n").unwrap_or(bytes);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        match std::str::from_utf8(bytes) {
            Ok(text) if text.trim().is_empty() => Ok(None),
            Ok(text) => Ok(Some(text)),
            Err(e) => {
                let message = format!(
                    "the line is not valid UTF-8 (after byte {})",
                    e.valid_up_to()
                );
                let err = malformed(ReadProblem::Syntax, &message);
                Err(OutputLine::error(line, None, None, &err))
            }
        }
    }

    /// Decides a line given as bytes (as read from a file): `None` for a blank line, an
    /// error line (`read.syntax`) for bytes that are not UTF-8.
    pub fn decide_bytes(&self, line: u64, bytes: &[u8], explain: Explain) -> Option<OutputLine> {
        match Self::text_of(line, bytes) {
            Ok(None) => None,
            Ok(Some(text)) => Some(self.decide_line(line, text, explain)),
            Err(refused) => Some(refused),
        }
    }

    /// Decides the lines of `bytes` (whole lines as read from a file, each ending in `\n`
    /// but perhaps the last), numbered from `first_line`, appending each output line and its
    /// newline to `out` as [`Decider::decide_bytes`] gives it, written by
    /// [`Decider::write_line`] (blank lines count but give no output). Returns how many lines there were: the number of the next line is
    /// `first_line` plus that.
    ///
    /// # Example
    /// ```
    /// use bangfu_year::jsonl::Decider;
    /// let policy = bangfu_data::hainan2018::policy()?;
    /// let eval = Decider::new(&policy)?;
    /// let mut out = Vec::new();
    /// let lines = eval.decide_lines(10, b"{oops\n\n[1]", bangfu_aid::Explain::Off, &mut out);
    /// assert_eq!(lines, 3);
    /// let text = String::from_utf8(out)?;
    /// assert!(text.starts_with(r#"{"line":10,"#) && text.contains(r#"{"line":12,"#));
    /// assert_eq!(text.lines().count(), 2);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_lines(
        &self,
        first_line: u64,
        bytes: &[u8],
        explain: Explain,
        out: &mut Vec<u8>,
    ) -> u64 {
        let mut line = first_line;
        let mut count = 0u64;
        let mut start = 0usize;
        let ends = memchr::memchr_iter(b'\n', bytes).map(|i| i.saturating_add(1));
        // Each line with its newline; a last line without one.
        let ends =
            ends.chain((bytes.last() != Some(&b'\n') && !bytes.is_empty()).then_some(bytes.len()));
        for end in ends {
            let text = bytes.get(start..end).unwrap_or_default();
            match Self::text_of(line, text) {
                Ok(None) => {}
                Ok(Some(text)) => self.write_line(line, text, explain, out),
                Err(refused) => refused.write_json(out),
            }
            start = end;
            line = line.saturating_add(1);
            count = count.saturating_add(1);
        }
        count
    }

    /// Decides every non-blank line of `text`, numbering lines from 1 (blank lines count
    /// but give no output).
    pub fn decide_str(&self, text: &str, explain: Explain) -> Vec<OutputLine> {
        text.lines()
            .zip(1u64..)
            .filter(|(l, _)| !l.trim().is_empty())
            .map(|(l, n)| self.decide_line(n, l, explain))
            .collect()
    }
}

/// Output lines as JSON Lines text, each line ending in `\n`.
///
/// # Example
/// ```
/// let policy = bangfu_data::hainan2018::policy()?;
/// let eval = bangfu_year::jsonl::Decider::new(&policy)?;
/// let out = bangfu_year::jsonl::to_jsonl(&eval.decide_str("1\n\n2\n", bangfu_aid::Explain::Off));
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

/// The household facts for the aid calculators (re-export of [`crate::records::file_facts`]).
pub use crate::records::file_facts;
