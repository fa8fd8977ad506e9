//! Requests and decisions for the JSON Lines interface: each request carries the history it
//! needs, so every line is decided on its own.

use bangfu_core::{
    AidCategory, AidKind, CaseId, CitationId, Explanation, HouseholdId, Money, NaiveDate, PersonId,
};
use chrono::Datelike;

use crate::{
    AidBook, AidError, Calculator, ClaimId, Entitlement, Explain, FileFacts, PaymentOrder,
    ReasonSet,
};

/// An earlier medical claim, or the claim to decide (医疗救助申请记录).
///
/// # Example
/// See [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MedicalClaimRecord {
    /// The claim id.
    pub id: ClaimId,
    /// The applicant (申请人).
    pub applicant: PersonId,
    /// The claim date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The out-of-pocket cost of the claim (自付费用).
    pub out_of_pocket: Money,
}

/// A claim for an amount: living aid or sending warmth.
///
/// # Example
/// See [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AmountClaimRecord {
    /// The claim id.
    pub id: ClaimId,
    /// The claim date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The amount asked; none for the policy's standard amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requested: Option<Money>,
}

/// An education claim for one student.
///
/// # Example
/// See [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EducationClaimRecord {
    /// The claim id.
    pub id: ClaimId,
    /// The claim date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The student, a member of the file with a school stage.
    pub student: PersonId,
}

/// A payment made earlier (已发放记录), part of a request's history.
///
/// # Example
/// ```
/// let p: bangfu_aid::PaymentRecord = serde_json::from_str(
///     r#"{"claim":"m-1","date":"2018-03-01","category":"medical","person":"p1","amount":"5000.00"}"#)?;
/// assert_eq!(p.aid_kind, bangfu_core::AidKind::Regular);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PaymentRecord {
    /// The claim it paid.
    pub claim: ClaimId,
    /// The payment date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The aid category.
    pub category: AidCategory,
    /// The kind inside the category (default `regular`).
    #[serde(default = "regular")]
    pub aid_kind: AidKind,
    /// The applicant (medical) or student (education).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// The amount paid.
    pub amount: Money,
}

fn regular() -> AidKind {
    AidKind::Regular
}

/// A medical aid request: the claim, with the year's earlier claims and payments.
///
/// # Example
/// See [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MedicalRequest {
    /// The file.
    pub file: FileFacts,
    /// The claim to decide.
    pub claim: MedicalClaimRecord,
    /// Earlier claims (any year; only the claim's year counts).
    #[serde(default)]
    pub earlier_claims: Vec<MedicalClaimRecord>,
    /// Earlier payments (any category and year; only medical ones of the claim's year count).
    #[serde(default)]
    pub earlier_payments: Vec<PaymentRecord>,
}

/// A living aid request.
///
/// # Example
/// See [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LivingRequest {
    /// The file.
    pub file: FileFacts,
    /// The claim to decide.
    pub claim: AmountClaimRecord,
    /// Earlier payments (regular living aid of the claim's year counts).
    #[serde(default)]
    pub earlier_payments: Vec<PaymentRecord>,
}

/// A sending-warmth request.
///
/// # Example
/// See [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WarmthRequest {
    /// The file.
    pub file: FileFacts,
    /// The claim to decide.
    pub claim: AmountClaimRecord,
}

/// An education aid request.
///
/// # Example
/// See [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EducationRequest {
    /// The file, with its students.
    pub file: FileFacts,
    /// The claim to decide.
    pub claim: EducationClaimRecord,
    /// Earlier payments (education payments to the student in the claim's year count).
    #[serde(default)]
    pub earlier_payments: Vec<PaymentRecord>,
}

/// A remaining-entitlement query.
///
/// # Example
/// See [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RemainingRequest {
    /// The file.
    pub file: FileFacts,
    /// The date asked about.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The applicant, needed when the medical cap is per applicant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant: Option<PersonId>,
    /// Earlier payments.
    #[serde(default)]
    pub earlier_payments: Vec<PaymentRecord>,
}

/// One request of the JSON Lines interface, tagged by `"kind"` (`medical`, `living`,
/// `sending_warmth`, `education`, `remaining_entitlement`, `temporary`). Unknown kinds and unknown
/// fields are refused.
///
/// # Example
/// ```
/// use bangfu_aid::{Calculator, Decision, Explain, Request};
/// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
/// let line = r#"{"kind":"medical",
///   "file":{"case":"HK-1/1","household":"HK-1","tier":"national","degree":"subsistence",
///           "household_size":3,"status":"active"},
///   "claim":{"id":"m-2","applicant":"p1","date":"2018-09-01","out_of_pocket":"30000.00"},
///   "earlier_claims":[{"id":"m-1","applicant":"p1","date":"2018-03-01","out_of_pocket":"10000.00"}],
///   "earlier_payments":[{"claim":"m-1","date":"2018-03-05","category":"medical","person":"p1","amount":"5000.00"}]}"#;
/// let request = Request::from_json(line)?;
/// let calc = Calculator::new(&policy)?;
/// let Decision::Medical(outcome) = calc.decide(&request, Explain::Off)? else { unreachable!() };
/// assert_eq!(outcome.amount.to_string(), "10000.00");
/// assert!(outcome.order.is_some());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Request {
    /// Medical aid (医疗救助).
    Medical(MedicalRequest),
    /// Living aid (生活救助).
    Living(LivingRequest),
    /// Sending warmth (两节送温暖).
    SendingWarmth(WarmthRequest),
    /// Education aid (助学).
    Education(EducationRequest),
    /// Remaining entitlement (剩余额度).
    RemainingEntitlement(RemainingRequest),
    /// Temporary aid for a worker who is not filed (临时救助).
    Temporary(crate::TemporaryRequest),
}

/// The decision on a claim request: the amount, reasons, the payment order when something
/// is paid, and the explanation when asked.
///
/// # Example
/// See [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AidOutcome {
    /// The case file.
    pub case: CaseId,
    /// The household.
    pub household: HouseholdId,
    /// The claim decided.
    pub claim: ClaimId,
    /// The applicant or student, when the claim names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person: Option<PersonId>,
    /// The aid category.
    pub category: AidCategory,
    /// The kind inside the category.
    pub aid_kind: AidKind,
    /// The claim date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The amount paid now.
    pub amount: Money,
    /// The reasons (limits that bit, why nothing is paid).
    pub reasons: ReasonSet,
    /// The citation of the parameter that decided the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<CitationId>,
    /// The payment order, when something is paid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<PaymentOrder>,
    /// The explanation, when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

/// The answer to a remaining-entitlement query.
///
/// # Example
/// See [`Calculator::decide`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EntitlementOutcome {
    /// The case file.
    pub case: CaseId,
    /// The household.
    pub household: HouseholdId,
    /// The applicant asked about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applicant: Option<PersonId>,
    /// What remains.
    pub entitlement: Entitlement,
}

/// One decision of the JSON Lines interface, tagged by `"kind"` like its request.
///
/// # Example
/// See [`Request`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Decision {
    /// Medical aid.
    Medical(AidOutcome),
    /// Living aid.
    Living(AidOutcome),
    /// Sending warmth.
    SendingWarmth(AidOutcome),
    /// Education aid.
    Education(AidOutcome),
    /// Remaining entitlement.
    RemainingEntitlement(EntitlementOutcome),
    /// Temporary aid.
    Temporary(crate::TemporaryOutcome),
}

impl Request {
    /// Reads one request line (JSON).
    ///
    /// # Errors
    /// [`AidError::UnknownKind`] when `kind` names no request kind; [`AidError::Read`] with
    /// the typed problem otherwise: malformed JSON, a duplicate key, an unknown or missing
    /// field, a value of the wrong type, or a value refused by its type with that type's code
    /// (a negative amount is `core.money.negative`, as in Rust).
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::Request;
    /// use bangfu_core::Coded;
    /// let err = Request::from_json(r#"{"kind":"medical","extra":1}"#).unwrap_err();
    /// assert_eq!(err.code(), "read.unknown_field");
    /// let err = Request::from_json(r#"{"kind":"lottery"}"#).unwrap_err();
    /// assert_eq!(err.code(), "aid.request.unknown_kind");
    /// ```
    pub fn from_json(line: &str) -> Result<Request, AidError> {
        let value = bangfu_core::read::json_value(line).map_err(AidError::Read)?;
        Request::from_value(&value)
    }

    /// Reads a request from a JSON value already parsed (see [`Request::from_json`]).
    ///
    /// # Errors
    /// As [`Request::from_json`].
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Coded;
    /// let v = serde_json::json!({"kind": "medical", "file": 1});
    /// assert_eq!(bangfu_aid::Request::from_value(&v).unwrap_err().code(), "read.invalid_type");
    /// ```
    pub fn from_value(value: &serde_json::Value) -> Result<Request, AidError> {
        if let Some(kind) = value.get("kind").and_then(serde_json::Value::as_str)
            && !Request::KINDS.contains(&kind)
        {
            return Err(AidError::UnknownKind {
                kind: kind.to_owned(),
            });
        }
        bangfu_core::read::from_json_value(value).map_err(AidError::Read)
    }

    /// The request kinds of this crate, as in the `"kind"` field.
    pub const KINDS: &'static [&'static str] = &[
        "medical",
        "living",
        "sending_warmth",
        "education",
        "remaining_entitlement",
        "temporary",
    ];

    /// The request's kind, as in the `"kind"` field.
    ///
    /// # Example
    /// ```
    /// # use bangfu_aid::Request;
    /// # let r = Request::from_json(r#"{"kind":"sending_warmth","file":{"case":"c","household":"h","tier":"national","degree":"d","household_size":1,"status":"active"},"claim":{"id":"w","date":"2018-01-20"}}"#)?;
    /// assert_eq!(r.kind(), "sending_warmth");
    /// # Ok::<(), bangfu_aid::AidError>(())
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Request::Medical(_) => "medical",
            Request::Living(_) => "living",
            Request::SendingWarmth(_) => "sending_warmth",
            Request::Education(_) => "education",
            Request::RemainingEntitlement(_) => "remaining_entitlement",
            Request::Temporary(_) => "temporary",
        }
    }
}

fn check_before(entry: NaiveDate, claim: NaiveDate) -> Result<(), AidError> {
    if entry > claim {
        Err(AidError::HistoryAfterClaim { entry, claim })
    } else {
        Ok(())
    }
}

/// The year-to-date of `date`'s year from a request's history, as an [`AidBook`]: the earlier
/// payments of `category` (and, for medical aid, the earlier claims' costs), each dated no
/// later than the claim and naming its person where the book needs one (`person_required`).
pub(crate) fn history_book(
    household: &HouseholdId,
    date: NaiveDate,
    category: AidCategory,
    earlier_claims: &[MedicalClaimRecord],
    payments: &[PaymentRecord],
    person_required: bool,
) -> Result<AidBook, AidError> {
    let mut book = AidBook::default();
    for c in earlier_claims {
        check_before(c.date, date)?;
        if c.date.year() == date.year() {
            book.add_medical(household, &c.applicant, c.out_of_pocket, Money::ZERO)?;
        }
    }
    for p in payments.iter().filter(|p| p.category == category) {
        check_before(p.date, date)?;
        let person = match (&p.person, person_required) {
            (Some(person), _) => Some(person),
            (None, true) => {
                return Err(AidError::HistoryMissingPerson {
                    category: category.code(),
                });
            }
            (None, false) => None,
        };
        if p.date.year() != date.year() {
            continue;
        }
        match (category, person) {
            (AidCategory::Medical, Some(person)) => {
                book.add_medical(household, person, Money::ZERO, p.amount)?
            }
            // Per household, a payment without its person counts for the whole household.
            (AidCategory::Medical, None) => {
                book.add_medical(household, &unnamed(), Money::ZERO, p.amount)?
            }
            (AidCategory::Living, _) => {
                book.add_living(household, p.amount, p.aid_kind != AidKind::Regular)?
            }
            (AidCategory::Education, Some(student)) if !p.amount.is_zero() => {
                book.add_student(household, student)
            }
            _ => {}
        }
    }
    Ok(book)
}

/// The person a medical payment without one is counted under (only per household).
fn unnamed() -> PersonId {
    PersonId::new("unnamed").unwrap_or_else(|_| unreachable_person())
}

#[allow(clippy::expect_used)]
fn unreachable_person() -> PersonId {
    PersonId::new("x").expect("a one-letter id is valid")
}

impl Calculator<'_> {
    /// Decides one request on its own, from the history it carries.
    ///
    /// # Errors
    /// The calculator's errors, and history errors: [`AidError::HistoryAfterClaim`],
    /// [`AidError::HistoryMissingPerson`], [`AidError::ApplicantRequired`].
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{Calculator, Decision, Explain, Request};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// let line = r#"{"kind":"remaining_entitlement","date":"2018-10-01","applicant":"p1",
    ///   "file":{"case":"HK-1/1","household":"HK-1","tier":"national","degree":"subsistence",
    ///           "household_size":3,"status":"active"},
    ///   "earlier_payments":[{"claim":"m-1","date":"2018-03-05","category":"medical","person":"p1","amount":"5000.00"}]}"#;
    /// let calc = Calculator::new(&policy)?;
    /// let Decision::RemainingEntitlement(e) = calc.decide(&Request::from_json(line)?, Explain::Off)? else { unreachable!() };
    /// assert_eq!(e.entitlement.medical_paid.to_string(), "5000.00");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide(&self, request: &Request, explain: Explain) -> Result<Decision, AidError> {
        self.decide_ref(request, explain)
            .map(crate::DecisionRef::into_owned)
    }
}

/// The output line for a request line that could not be decided: its line number, the
/// error's stable code, zh/en labels and message. The run goes on after it.
///
/// # Example
/// ```
/// use bangfu_aid::{ErrorLine, Request};
/// let err = Request::from_json(r#"{"kind":"lottery"}"#).unwrap_err();
/// let line = ErrorLine::new(7, &err);
/// assert_eq!(line.code, "aid.request.unknown_kind");
/// let json = serde_json::to_string(&line)?;
/// assert!(json.starts_with(r#"{"line":7,"error":"aid.request.unknown_kind""#));
/// assert_eq!(serde_json::from_str::<ErrorLine>(&json)?, line);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ErrorLine {
    /// The 1-based line number of the request.
    pub line: u64,
    /// The error's stable code.
    #[serde(rename = "error")]
    pub code: String,
    /// The Chinese label.
    pub zh: String,
    /// The English label.
    pub en: String,
    /// The detailed message.
    pub message: String,
}

impl ErrorLine {
    /// The error line for `error` at line `line`.
    pub fn new(line: u64, error: &AidError) -> ErrorLine {
        use bangfu_core::{Coded, Labelled};
        ErrorLine {
            line,
            code: error.code().to_owned(),
            zh: error.zh().to_owned(),
            en: error.en().to_owned(),
            message: error.to_string(),
        }
    }
}
