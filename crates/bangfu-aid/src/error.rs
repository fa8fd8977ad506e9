//! The aid crate's error type: bad input or bad policy data, each with a stable code.

use bangfu_core::read::ReadError;
use bangfu_core::{ArchiveStatus, Coded, CoreError, Labelled, NaiveDate};

/// An error of the aid calculators: bad input or bad policy data. A refused call records
/// nothing. Every variant has a stable [`code`](Coded::code) and zh/en labels.
///
/// "Over the cap" or "already paid this year" are not errors: they are decisions with a
/// [`Reason`](crate::Reason).
///
/// # Example
/// ```
/// use bangfu_aid::AidError;
/// use bangfu_core::{ArchiveStatus, Coded, Labelled, NaiveDate};
/// let err = AidError::NotPayable {
///     status: ArchiveStatus::ExitedHardship,
///     date: NaiveDate::from_ymd_opt(2018, 6, 1).unwrap(),
/// };
/// assert_eq!(err.code(), "aid.file.not_payable");
/// assert_eq!(err.zh(), "档案当日不可发放");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AidError {
    /// The file is not payable on the date ("先建档、后帮扶": only active files are paid).
    #[error("file is {status} on {date}, not payable")]
    NotPayable {
        /// The status on the date.
        status: ArchiveStatus,
        /// The date.
        date: NaiveDate,
    },
    /// The file's status on the date is not known: no `status` and no status event on or
    /// before the date.
    #[error("file status on {date} is not known")]
    StatusMissing {
        /// The date.
        date: NaiveDate,
    },
    /// The `status` given disagrees with the status events on the date.
    #[error("file status {given} disagrees with the status events ({derived}) on {date}")]
    StatusConflict {
        /// The status given.
        given: ArchiveStatus,
        /// The status the events give.
        derived: ArchiveStatus,
        /// The date.
        date: NaiveDate,
    },
    /// Status events are not in strictly increasing date order.
    #[error("status events are not in strictly increasing date order")]
    StatusEventsOrder,
    /// The file's hardship degree is not one of the policy's degrees.
    #[error("hardship degree {degree:?} is not defined by the policy")]
    UnknownDegree {
        /// The degree given.
        degree: String,
    },
    /// A household of zero members.
    #[error("household size must be at least 1")]
    ZeroHouseholdSize,
    /// An education claim names a student who is not a member with a school stage.
    #[error("student {student:?} is not a member of the file with a school stage")]
    UnknownStudent {
        /// The student's id.
        student: String,
    },
    /// No parameter value is in force on the date.
    #[error("parameter {parameter} has no value in force on {date}")]
    NotInForce {
        /// The parameter's name.
        parameter: String,
        /// The date.
        date: NaiveDate,
    },
    /// The policy has no value of a parameter for the household's degree (and no default).
    #[error("parameter {parameter} has no value for degree {degree:?}")]
    NoValueForDegree {
        /// The parameter's name.
        parameter: &'static str,
        /// The degree.
        degree: String,
    },
    /// A claim asked for no amount and the policy has no standard amount for it.
    #[error("the claim names no amount and the policy has no standard amount ({parameter})")]
    AmountRequired {
        /// The parameter that would have given the amount.
        parameter: &'static str,
    },
    /// A sending-warmth amount outside the range for the household, where the policy's
    /// `aid.sending_warmth.out_of_range` is `refuse` (超出区间不予发放).
    #[error("sending-warmth amount {amount} is outside {range}, which the policy refuses")]
    WarmthOutOfRange {
        /// The amount asked (or the standard amount).
        amount: bangfu_core::Money,
        /// The range.
        range: crate::AmountRange,
    },
    /// Money arithmetic overflowed (amounts too large).
    #[error("amount overflows")]
    Overflow,
    /// A history entry is dated after the claim it is history for, or in another order
    /// than its claims.
    #[error("history entry dated {entry} is after the claim date {claim}")]
    HistoryAfterClaim {
        /// The entry's date.
        entry: NaiveDate,
        /// The claim's date.
        claim: NaiveDate,
    },
    /// A medical or education payment in the history names no person, but the policy's
    /// scope needs one.
    #[error("a {category} payment in the history names no person")]
    HistoryMissingPerson {
        /// The payment's category code.
        category: &'static str,
    },
    /// The request needs an applicant (the medical cap is per applicant).
    #[error("the request needs an applicant: the medical cap is per applicant")]
    ApplicantRequired,
    /// A batch household's claims of one category are not in date order.
    #[error("claims are not in date order ({date} after a later claim)")]
    ClaimsOutOfOrder {
        /// The claim date that is out of order.
        date: NaiveDate,
    },
    /// Policy data that cannot be used (a range whose minimum is above its maximum, a
    /// table keyed by an undefined degree, an unknown citation).
    #[error("invalid aid policy: {problem} ({parameter})")]
    InvalidPolicy {
        /// The parameter.
        parameter: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// A request line could not be read: its syntax, its structure or a value refused by its
    /// type, with the code of [`ReadError`] (`read.*`, or the refusing type's own code such as
    /// `core.money.negative`).
    #[error("invalid request: {0}")]
    Read(ReadError),
    /// A request whose `kind` names no request kind.
    #[error("unknown request kind `{}`", bangfu_core::read::quote(.kind))]
    UnknownKind {
        /// The kind given.
        kind: String,
    },
    /// Another core error.
    #[error(transparent)]
    Core(CoreError),
}

impl From<CoreError> for AidError {
    fn from(e: CoreError) -> Self {
        match e {
            CoreError::Overflow { .. } => AidError::Overflow,
            CoreError::NotInForce {
                parameter, date, ..
            } => AidError::NotInForce { parameter, date },
            other => AidError::Core(other),
        }
    }
}

impl Coded for AidError {
    fn code(&self) -> &'static str {
        match self {
            AidError::NotPayable { .. } => "aid.file.not_payable",
            AidError::StatusMissing { .. } => "aid.file.status_missing",
            AidError::StatusConflict { .. } => "aid.file.status_conflict",
            AidError::StatusEventsOrder => "aid.file.status_events_order",
            AidError::UnknownDegree { .. } => "aid.file.unknown_degree",
            AidError::ZeroHouseholdSize => "aid.file.zero_household_size",
            AidError::UnknownStudent { .. } => "aid.education.unknown_student",
            AidError::NotInForce { .. } => "aid.parameter.not_in_force",
            AidError::NoValueForDegree { .. } => "aid.parameter.no_value_for_degree",
            AidError::AmountRequired { .. } => "aid.amount.required",
            AidError::WarmthOutOfRange { .. } => "aid.sending_warmth.out_of_range",
            AidError::Overflow => "aid.amount.overflow",
            AidError::HistoryAfterClaim { .. } => "aid.history.after_claim",
            AidError::HistoryMissingPerson { .. } => "aid.history.missing_person",
            AidError::ApplicantRequired => "aid.request.applicant_required",
            AidError::ClaimsOutOfOrder { .. } => "aid.batch.claims_out_of_order",
            AidError::InvalidPolicy { .. } => "aid.policy.invalid",
            AidError::Read(e) => e.code(),
            AidError::UnknownKind { .. } => "aid.request.unknown_kind",
            AidError::Core(e) => e.code(),
        }
    }
}

impl Labelled for AidError {
    fn zh(&self) -> &'static str {
        match self.code() {
            "aid.file.not_payable" => "档案当日不可发放",
            "aid.file.status_missing" => "档案当日状态未知",
            "aid.file.status_conflict" => "档案状态与状态记录不符",
            "aid.file.status_events_order" => "状态记录日期顺序错误",
            "aid.file.unknown_degree" => "困难类别未在政策中定义",
            "aid.file.zero_household_size" => "家庭人口不能为零",
            "aid.education.unknown_student" => "学生不是档案中的在学成员",
            "aid.parameter.not_in_force" => "该日期无生效参数",
            "aid.parameter.no_value_for_degree" => "该困难类别无参数值",
            "aid.amount.required" => "未申请金额且无标准金额",
            "aid.sending_warmth.out_of_range" => "送温暖金额超出区间，不予发放",
            "aid.amount.overflow" => "金额溢出",
            "aid.history.after_claim" => "历史记录晚于本次申请",
            "aid.history.missing_person" => "历史发放记录缺少人员",
            "aid.request.applicant_required" => "需要申请人",
            "aid.batch.claims_out_of_order" => "申请未按日期排序",
            "aid.policy.invalid" => "救助政策数据无效",
            "aid.request.unknown_kind" => "未知请求类型",
            _ => match self {
                AidError::Core(e) => e.zh(),
                AidError::Read(e) => e.zh(),
                _ => "救助计算错误",
            },
        }
    }
    fn en(&self) -> &'static str {
        match self.code() {
            "aid.file.not_payable" => "the file is not payable on the date",
            "aid.file.status_missing" => "the file's status on the date is not known",
            "aid.file.status_conflict" => "the file's status disagrees with its status events",
            "aid.file.status_events_order" => "status events out of date order",
            "aid.file.unknown_degree" => "hardship degree not defined by the policy",
            "aid.file.zero_household_size" => "household size must be at least 1",
            "aid.education.unknown_student" => "the student is not a member with a school stage",
            "aid.parameter.not_in_force" => "no parameter value in force on the date",
            "aid.parameter.no_value_for_degree" => "no parameter value for the hardship degree",
            "aid.amount.required" => "no amount asked and no standard amount",
            "aid.sending_warmth.out_of_range" => "sending-warmth amount outside its range, refused",
            "aid.amount.overflow" => "amount overflows",
            "aid.history.after_claim" => "a history entry is dated after the claim",
            "aid.history.missing_person" => "a payment in the history names no person",
            "aid.request.applicant_required" => "the request needs an applicant",
            "aid.batch.claims_out_of_order" => "claims not in date order",
            "aid.policy.invalid" => "invalid aid policy data",
            "aid.request.unknown_kind" => "unknown request kind",
            _ => match self {
                AidError::Core(e) => e.en(),
                AidError::Read(e) => e.en(),
                _ => "aid calculation error",
            },
        }
    }
}
