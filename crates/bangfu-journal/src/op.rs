//! Operations (业务操作): what a union does during the year, one JSON object a line.
//!
//! ```text
//! {"v":1,"id":"op-7","actor":"finance-1","date":"2018-06-01","op":"pay","body":{…a Payment…}}
//! ```
//!
//! `v` is the protocol version ([`PROTOCOL`]); `id` the caller's operation id (the same id
//! with the same content returns the first result; with other content it is refused);
//! `actor` the account that does it; `date` the day it is done; `op` the kind
//! ([`OpKind`]) and `body` the record of that kind, exactly as the year directory's files
//! hold it (`docs/year-directory.md`).

use bangfu_core::read::{self, ReadError, ReadProblem};
use bangfu_core::{NaiveDate, define_id};
use bangfu_funding::{Income, Posting, Reversal};
use bangfu_year::Payment;
use bangfu_year::oversight::{AllocationFile, CheckRecord, InspectionRecord};
use bangfu_year::records::{
    ApplicantRecord, CaseEventRecord, ClaimRecord, HouseholdRecord, SurveyRecord,
};
use bangfu_year::temporary::TemporaryAidRecord;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

/// The protocol version every operation and result line carries (`"v"`).
pub const PROTOCOL: u32 = 1;

define_id! {
    /// The caller's id of an operation (操作编号): unique in the store.
    ///
    /// ```
    /// assert!(bangfu_journal::OpId::new("op-2018-0001").is_ok());
    /// ```
    pub struct OpId("operation");
}

define_id! {
    /// An account (账户): who does an operation.
    ///
    /// ```
    /// assert!(bangfu_journal::AccountId::new("finance-1").is_ok());
    /// ```
    pub struct AccountId("account");
}

bangfu_core::coded_enum! {
    /// The kind of an operation (操作类型), as in the `"op"` field.
    ///
    /// ```
    /// assert_eq!(bangfu_journal::OpKind::Pay.code(), "pay");
    /// assert_eq!(bangfu_journal::OpKind::from_code("claim"), Some(bangfu_journal::OpKind::Claim));
    /// ```
    #[non_exhaustive]
    pub enum OpKind {
        /// File a household through the procedure (建档).
        FileHousehold = ("file_household", "建档", "file a household"),
        /// Refuse an applicant at preliminary review (初审不予受理).
        RefuseApplicant = ("refuse_applicant", "初审不予受理", "refuse an applicant"),
        /// A case-file event: exit, cancellation, withdrawal, a corrected fact (档案变更).
        CaseEvent = ("case_event", "档案变更", "case-file event"),
        /// A claim, decided by the calculators (救助申请).
        Claim = ("claim", "救助申请", "claim"),
        /// Pay a decided claim (发放).
        Pay = ("pay", "发放", "payment"),
        /// Income received: allocation, transfer, interest, recovery (资金收入).
        Income = ("income", "资金收入", "income"),
        /// A posting of the union's own records (its history) (历史台账记录).
        Record = ("record", "历史台账记录", "recorded posting"),
        /// A home visit (入户走访).
        Visit = ("visit", "入户走访", "home visit"),
        /// A file of the report: `stated.toml`, `judgements.toml` or `report.toml` (报告文件).
        ReportFile = ("report_file", "报告文件", "report file"),
        /// Close the year: nothing is recorded after it (年度结账).
        Close = ("close", "年度结账", "year close"),
        /// Order a payment of a decided claim, to be approved by a second person (发放申请):
        /// its amount is reserved against its source at once.
        Order = ("order", "发放申请", "payment order"),
        /// Approve an order: the payment is made (发放审批).
        Approve = ("approve", "发放审批", "approval of a payment order"),
        /// Reject an order: its reservation is released (发放驳回).
        Reject = ("reject", "发放驳回", "rejection of a payment order"),
        /// Reverse an income or payment entered in error (冲正): the body is a
        /// [`bangfu_funding::Reversal`].
        Reverse = ("reverse", "冲正", "reversal"),
        /// Record the collective decision on the allocation plan (分配方案审批): the body is
        /// a [`bangfu_year::oversight::AllocationFile`] (`allocation.toml` as JSON).
        Allocation = ("allocation", "分配方案审批", "approval of the allocation plan"),
        /// A payment check (发放核查): a card on file, a bank's return with its SMS notice,
        /// the call-back sample or a call ([`bangfu_year::oversight::CheckRecord`], a line of
        /// `payment-checks.jsonl`).
        PaymentCheck = ("payment_check", "发放核查", "payment check"),
        /// Self-inspection (自查自纠): an item or its fix
        /// ([`bangfu_year::oversight::InspectionRecord`], a line of `self-inspection.jsonl`).
        Inspection = ("inspection", "自查自纠", "self-inspection"),
        /// Temporary aid for a worker who is not filed (临时救助): a claim, decided by the
        /// calculator, or a recorded payment of one
        /// ([`bangfu_year::temporary::TemporaryAidRecord`], a line of `temporary-aid.jsonl`).
        Temporary = ("temporary", "临时救助", "temporary aid"),
    }
}

/// A file of the report an operation stores (报告文件): its name and its TOML text.
///
/// # Example
/// ```
/// let f = bangfu_journal::ReportText { file: "report.toml".into(), text: "[report]\n".into() };
/// assert_eq!(f.file, "report.toml");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportText {
    /// `stated.toml`, `judgements.toml` or `report.toml`.
    pub file: String,
    /// The file's text.
    pub text: String,
}

/// An approval or a rejection of a payment order (审批意见): the order's payment id and a
/// note.
///
/// # Example
/// ```
/// let d: bangfu_journal::OrderDecision = serde_json::from_str(r#"{"payment":"p-1"}"#)?;
/// assert_eq!(d.payment.as_str(), "p-1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct OrderDecision {
    /// The payment id of the order.
    pub payment: bangfu_funding::PostingId,
    /// Why (a rejection's reason, an approval's remark).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// An operation (业务操作): its kind and its record.
///
/// # Example
/// ```
/// use bangfu_journal::{OpKind, Operation};
/// assert_eq!(Operation::Close.kind(), OpKind::Close);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Operation {
    /// File a household.
    FileHousehold(Box<HouseholdRecord>),
    /// Refuse an applicant at preliminary review.
    RefuseApplicant(Box<ApplicantRecord>),
    /// A case-file event.
    CaseEvent(Box<CaseEventRecord>),
    /// A claim.
    Claim(Box<ClaimRecord>),
    /// Pay a decided claim.
    Pay(Box<Payment>),
    /// Income received.
    Income(Box<Income>),
    /// A posting of the union's history.
    Record(Box<Posting>),
    /// A home visit.
    Visit(Box<SurveyRecord>),
    /// A file of the report.
    ReportFile(Box<ReportText>),
    /// Close the year.
    Close,
    /// Order a payment (maker).
    Order(Box<Payment>),
    /// Approve an order (checker: not the maker).
    Approve(Box<OrderDecision>),
    /// Reject an order.
    Reject(Box<OrderDecision>),
    /// Reverse an earlier income or payment (冲正).
    Reverse(Box<Reversal>),
    /// The collective decision on the allocation plan (分配方案审批).
    Allocation(Box<AllocationFile>),
    /// A payment check (发放核查).
    PaymentCheck(Box<CheckRecord>),
    /// A self-inspection item or fix (自查自纠).
    Inspection(Box<InspectionRecord>),
    /// A temporary-aid claim or its recorded payment (临时救助).
    Temporary(Box<TemporaryAidRecord>),
}

impl Operation {
    /// The operation's kind.
    pub fn kind(&self) -> OpKind {
        match self {
            Operation::FileHousehold(_) => OpKind::FileHousehold,
            Operation::RefuseApplicant(_) => OpKind::RefuseApplicant,
            Operation::CaseEvent(_) => OpKind::CaseEvent,
            Operation::Claim(_) => OpKind::Claim,
            Operation::Pay(_) => OpKind::Pay,
            Operation::Income(_) => OpKind::Income,
            Operation::Record(_) => OpKind::Record,
            Operation::Visit(_) => OpKind::Visit,
            Operation::ReportFile(_) => OpKind::ReportFile,
            Operation::Close => OpKind::Close,
            Operation::Order(_) => OpKind::Order,
            Operation::Approve(_) => OpKind::Approve,
            Operation::Reject(_) => OpKind::Reject,
            Operation::Reverse(_) => OpKind::Reverse,
            Operation::Allocation(_) => OpKind::Allocation,
            Operation::PaymentCheck(_) => OpKind::PaymentCheck,
            Operation::Inspection(_) => OpKind::Inspection,
            Operation::Temporary(_) => OpKind::Temporary,
        }
    }

    /// The body as canonical JSON (the typed record serialized; `null` for a close): what
    /// the journal stores and compares when an operation id comes again.
    ///
    /// # Example
    /// ```
    /// assert_eq!(bangfu_journal::Operation::Close.body_json(), "null");
    /// ```
    pub fn body_json(&self) -> String {
        // Room for a record's JSON at once (a few hundred bytes), rather than
        // serde_json's 128 bytes grown as it writes.
        let mut out = Vec::with_capacity(512);
        let w = &mut out;
        let written = match self {
            Operation::FileHousehold(r) => serde_json::to_writer(&mut *w, r),
            Operation::RefuseApplicant(r) => serde_json::to_writer(&mut *w, r),
            Operation::CaseEvent(r) => serde_json::to_writer(&mut *w, r),
            Operation::Claim(r) => serde_json::to_writer(&mut *w, r),
            Operation::Pay(r) => serde_json::to_writer(&mut *w, r),
            Operation::Income(r) => serde_json::to_writer(&mut *w, r),
            Operation::Record(r) => serde_json::to_writer(&mut *w, r),
            Operation::Visit(r) => serde_json::to_writer(&mut *w, r),
            Operation::ReportFile(r) => serde_json::to_writer(&mut *w, r),
            Operation::Close => {
                w.extend_from_slice(b"null");
                Ok(())
            }
            Operation::Order(r) => serde_json::to_writer(&mut *w, r),
            Operation::Approve(r) | Operation::Reject(r) => serde_json::to_writer(&mut *w, r),
            Operation::Reverse(r) => serde_json::to_writer(&mut *w, r),
            Operation::Allocation(r) => serde_json::to_writer(&mut *w, r),
            Operation::PaymentCheck(r) => serde_json::to_writer(&mut *w, r),
            Operation::Inspection(r) => serde_json::to_writer(&mut *w, r),
            Operation::Temporary(r) => serde_json::to_writer(&mut *w, r),
        };
        // The records serialize to JSON without fail (strings, numbers as text, maps with
        // string keys); "null" stands for the impossible case.
        match written {
            Ok(()) => String::from_utf8(out).unwrap_or_else(|_| "null".to_owned()),
            Err(_) => "null".to_owned(),
        }
    }

    /// The operation of `kind` read from its body's JSON text (`None` for no body).
    ///
    /// # Errors
    /// A [`ReadError`] with the body's problem, typed (`read.missing_field` for a kind that
    /// needs a body and has none).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Coded;
    /// use bangfu_journal::{OpKind, Operation};
    /// let e = Operation::from_body(OpKind::Claim, Some("{}")).unwrap_err();
    /// assert_eq!(e.code(), "read.missing_field");
    /// assert_eq!(Operation::from_body(OpKind::Close, None)?, Operation::Close);
    /// # Ok::<(), bangfu_core::read::ReadError>(())
    /// ```
    pub fn from_body(kind: OpKind, body: Option<&str>) -> Result<Operation, ReadError> {
        fn typed<T: serde::de::DeserializeOwned>(body: Option<&str>) -> Result<Box<T>, ReadError> {
            let text = body.ok_or_else(|| {
                ReadError::new(ReadProblem::MissingField, "the operation has no `body`")
            })?;
            bangfu_year::input::parse_json_line(text).map(Box::new)
        }
        Ok(match kind {
            OpKind::FileHousehold => Operation::FileHousehold(typed(body)?),
            OpKind::RefuseApplicant => Operation::RefuseApplicant(typed(body)?),
            OpKind::CaseEvent => Operation::CaseEvent(typed(body)?),
            OpKind::Claim => Operation::Claim(typed(body)?),
            OpKind::Pay => Operation::Pay(typed(body)?),
            OpKind::Income => Operation::Income(typed(body)?),
            OpKind::Record => Operation::Record(typed(body)?),
            OpKind::Visit => Operation::Visit(typed(body)?),
            OpKind::ReportFile => Operation::ReportFile(typed(body)?),
            OpKind::Order => Operation::Order(typed(body)?),
            OpKind::Approve => Operation::Approve(typed(body)?),
            OpKind::Reject => Operation::Reject(typed(body)?),
            OpKind::Reverse => Operation::Reverse(typed(body)?),
            OpKind::Allocation => Operation::Allocation(typed(body)?),
            OpKind::PaymentCheck => Operation::PaymentCheck(typed(body)?),
            OpKind::Inspection => Operation::Inspection(typed(body)?),
            OpKind::Temporary => Operation::Temporary(typed(body)?),
            OpKind::Close => match body.map(str::trim) {
                None | Some("null") => Operation::Close,
                Some(_) => {
                    return Err(ReadError::new(
                        ReadProblem::InvalidValue,
                        "a close has no body",
                    ));
                }
            },
        })
    }
}

/// One operation line (操作行): the envelope and the operation.
///
/// # Example
/// ```
/// use bangfu_journal::{OpKind, OpLine};
/// let line = OpLine::from_json(r#"{"v":1,"id":"op-1","actor":"center","date":"2018-12-31","op":"close"}"#)?;
/// assert_eq!(line.op.kind(), OpKind::Close);
/// assert_eq!(OpLine::from_json(&line.to_json())?, line);
/// # Ok::<(), bangfu_journal::LineError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpLine {
    /// The operation id.
    pub id: OpId,
    /// Who does it.
    pub actor: AccountId,
    /// The day it is done.
    pub date: NaiveDate,
    /// What is done.
    pub op: Operation,
}

/// The envelope as read: the body left as text, read by its kind.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLine<'a> {
    v: u32,
    id: OpId,
    actor: AccountId,
    #[serde(with = "bangfu_core::iso_date")]
    date: NaiveDate,
    op: OpKind,
    #[serde(borrow, default)]
    body: Option<&'a RawValue>,
}

/// The envelope as written.
#[derive(Serialize)]
struct LineOut<'a> {
    v: u32,
    id: &'a OpId,
    actor: &'a AccountId,
    date: String,
    op: OpKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    body: Option<&'a RawValue>,
}

/// A line that could not be read as an operation: the problem, and the operation id when the
/// line names one that could be read (to echo it on the result line).
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// let e = bangfu_journal::OpLine::from_json(r#"{"v":1,"id":"op-1","actor":"a","date":"2018-1-5","op":"close"}"#).unwrap_err();
/// assert_eq!(e.code(), "core.date.malformed");
/// assert_eq!(e.id.map(|i| i.to_string()).as_deref(), Some("op-1"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{error}")]
pub struct LineError {
    /// The operation id, when it could be read.
    pub id: Option<OpId>,
    /// What is wrong.
    pub error: crate::JournalError,
}

impl bangfu_core::Coded for LineError {
    fn code(&self) -> &'static str {
        self.error.code()
    }
}

impl OpLine {
    /// Reads an operation line (a UTF-8 byte-order mark is dropped).
    ///
    /// # Errors
    /// A [`LineError`]: the typed problem of the envelope or of the body
    /// (`read.syntax`, `read.unknown_field`, `read.duplicate_key`, `core.date.malformed`, …),
    /// or `journal.protocol` for a version other than [`PROTOCOL`].
    pub fn from_json(text: &str) -> Result<OpLine, LineError> {
        let text = read::strip_bom(text);
        let Ok(raw) = serde_json::from_str::<RawLine<'_>>(text) else {
            return Err(slow_error(text));
        };
        if raw.v != PROTOCOL {
            return Err(LineError {
                id: Some(raw.id),
                error: crate::JournalError::Protocol { v: raw.v },
            });
        }
        match Operation::from_body(raw.op, raw.body.map(RawValue::get)) {
            Ok(op) => Ok(OpLine {
                id: raw.id,
                actor: raw.actor,
                date: raw.date,
                op,
            }),
            Err(error) => Err(LineError {
                id: Some(raw.id),
                error: error.into(),
            }),
        }
    }

    /// The line as JSON text (without a newline): the canonical form.
    pub fn to_json(&self) -> String {
        let body = self.op.body_json();
        let raw = (self.op != Operation::Close)
            .then(|| RawValue::from_string(body).ok())
            .flatten();
        let out = LineOut {
            v: PROTOCOL,
            id: &self.id,
            actor: &self.actor,
            date: self.date.format("%Y-%m-%d").to_string(),
            op: self.op.kind(),
            body: raw.as_deref(),
        };
        serde_json::to_string(&out).unwrap_or_default()
    }
}

/// The envelope as the typed reader checks it, the body as a value.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // Read to check the envelope's fields by their types.
struct CheckedLine {
    v: u32,
    id: OpId,
    actor: AccountId,
    #[serde(with = "bangfu_core::iso_date")]
    date: NaiveDate,
    op: OpKind,
    #[serde(default)]
    body: Option<serde_json::Value>,
}

/// Why the fast reader refused a line, named by type: the typed reader reads it again.
fn slow_error(text: &str) -> LineError {
    let id = id_of(text);
    let error = match read::json_value(text) {
        Err(e) => e.into(),
        Ok(value) => match read::from_json_value::<CheckedLine>(&value) {
            Err(e) => e.into(),
            Ok(c) if c.v != PROTOCOL => crate::JournalError::Protocol { v: c.v },
            Ok(c) => {
                let body = c.body.map(|b| b.to_string());
                match Operation::from_body(c.op, body.as_deref()) {
                    Err(e) => e.into(),
                    Ok(_) => ReadError::new(ReadProblem::Syntax, "malformed operation").into(),
                }
            }
        },
    };
    LineError { id, error }
}

/// The `"id"` of a line that is otherwise bad, when it is a valid operation id.
fn id_of(text: &str) -> Option<OpId> {
    #[derive(Deserialize)]
    struct IdOnly {
        id: OpId,
    }
    serde_json::from_str::<IdOnly>(text).ok().map(|i| i.id)
}
