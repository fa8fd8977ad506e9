//! Why a record of the allocation plan, the payment checks or the self-inspection was refused.

use bangfu_core::{Coded, Labelled, NaiveDate};

/// Why the year refused a record of its oversight files (分配方案、发放核查、自查自纠): the
/// record is malformed for its rule, or does not fit what the year holds. Nothing changed.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// use bangfu_year::oversight::OversightError;
/// assert_eq!(OversightError::CardUnmasked.code(), "checks.card_unmasked");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OversightError {
    /// The policy has no `[allocation]` section, so no plan can be made.
    #[error("the policy has no [allocation] section: no allocation plan can be made")]
    NoAllocationPolicy,
    /// The policy has no `[payment_checks]` section, so no call-back sample can be drawn.
    #[error("the policy has no [payment_checks] section: no call-back sample can be drawn")]
    NoChecksPolicy,
    /// A reserve share above one.
    #[error("the reserve share {0} is above 1")]
    InvalidReserve(String),
    /// A call-back ratio above one.
    #[error("the call-back ratio {0} is above 1")]
    InvalidRatio(String),
    /// A quorum of no one.
    #[error("a collective decision needs at least one member present (quorum 0)")]
    InvalidQuorum,
    /// Two standards for one tier, degree and category in force together.
    #[error("two per-household standards for {0}")]
    DuplicateStandard(String),
    /// The year's plan was approved already.
    #[error("the allocation plan was approved already (one decision a year)")]
    AlreadyApproved,
    /// The resolution, a member's name or the minutes' reference is blank.
    #[error("{0} is blank")]
    Blank(&'static str),
    /// A member named twice among those present.
    #[error("member {0} is named twice among those present")]
    DuplicateMember(String),
    /// Fewer members present than the policy's quorum.
    #[error("{present} members present, the quorum is {quorum}")]
    Quorum {
        /// Present.
        present: usize,
        /// The quorum in force.
        quorum: u32,
    },
    /// The files are counted after the meeting that decided on them.
    #[error("the files are counted on {basis}, after the meeting of {meeting}")]
    BasisAfterMeeting {
        /// The counting date.
        basis: NaiveDate,
        /// The meeting.
        meeting: NaiveDate,
    },
    /// The meeting is after the year it plans.
    #[error("the meeting of {0} is after the year it plans")]
    MeetingAfterYear(NaiveDate),
    /// The total the meeting approved is not the plan's total under the policy.
    #[error("the meeting approved {stated}, the plan under the policy allocates {computed}")]
    TotalMismatch {
        /// The total in the minutes.
        stated: String,
        /// The plan's total.
        computed: String,
    },
    /// A full card number: only a masked one is kept.
    #[error("a full card number: write it masked (first 4–6 and last 4 digits, `*` between)")]
    CardUnmasked,
    /// A card number that is not a masked card number.
    #[error("not a masked card number (first 4–6 digits, at least four `*`, last 4 digits)")]
    CardMalformed,
    /// A check of a payment the ledger does not hold (or holds reversed).
    #[error("{0} is not a standing payment of the year")]
    UnknownPayment(String),
    /// The same record given twice.
    #[error("{0} is recorded twice")]
    Duplicate(String),
    /// More credited than paid.
    #[error("credited {credited} to the card, more than the payment's {amount}")]
    CreditedAboveAmount {
        /// Credited.
        credited: String,
        /// Paid.
        amount: String,
    },
    /// A notice or a call dated before the payment it is about.
    #[error("{what} of {date} is before the payment of {payment}")]
    BeforePayment {
        /// Which record.
        what: &'static str,
        /// Its date.
        date: NaiveDate,
        /// The payment's date.
        payment: NaiveDate,
    },
    /// A call-back before the sample was drawn, or no sample at all.
    #[error("call-back of {0} without a sample drawn before it")]
    CallbackWithoutSample(NaiveDate),
    /// A self-inspection item due before it was found.
    #[error("item due {due}, before it was found on {found}")]
    DueBeforeFound {
        /// Found.
        found: NaiveDate,
        /// Due.
        due: NaiveDate,
    },
    /// A fix of an item not recorded before it in the file.
    #[error("fix of item {0}, which the file has not recorded before it")]
    UnknownItem(String),
    /// A fix dated before its item was found.
    #[error("fix of {fix} before the item was found on {found}")]
    FixBeforeFound {
        /// The fix's date.
        fix: NaiveDate,
        /// The item's date.
        found: NaiveDate,
    },
    /// A fix of an item already closed.
    #[error("item {0} was closed already")]
    AlreadyClosed(String),
    /// A date or amount could not be computed.
    #[error(transparent)]
    Core(#[from] bangfu_core::CoreError),
    /// The funding policy refused a look-up (a source unknown, an earmark not in force).
    #[error(transparent)]
    Funding(#[from] bangfu_funding::FundingError),
    /// The sampler refused the design.
    #[error(transparent)]
    Scoring(#[from] bangfu_scoring::ScoringError),
}

impl Coded for OversightError {
    fn code(&self) -> &'static str {
        match self {
            OversightError::NoAllocationPolicy => "allocation.no_policy",
            OversightError::NoChecksPolicy => "checks.no_policy",
            OversightError::InvalidReserve(_) => "allocation.invalid_reserve",
            OversightError::InvalidRatio(_) => "checks.invalid_ratio",
            OversightError::InvalidQuorum => "allocation.invalid_quorum",
            OversightError::DuplicateStandard(_) => "allocation.duplicate_standard",
            OversightError::AlreadyApproved => "allocation.already_approved",
            OversightError::Blank(_) => "oversight.blank",
            OversightError::DuplicateMember(_) => "allocation.duplicate_member",
            OversightError::Quorum { .. } => "allocation.quorum",
            OversightError::BasisAfterMeeting { .. } => "allocation.basis_after_meeting",
            OversightError::MeetingAfterYear(_) => "allocation.meeting_after_year",
            OversightError::TotalMismatch { .. } => "allocation.total_mismatch",
            OversightError::CardUnmasked => "checks.card_unmasked",
            OversightError::CardMalformed => "checks.card_malformed",
            OversightError::UnknownPayment(_) => "checks.unknown_payment",
            OversightError::Duplicate(_) => "oversight.duplicate",
            OversightError::CreditedAboveAmount { .. } => "checks.credited_above_amount",
            OversightError::BeforePayment { .. } => "checks.before_payment",
            OversightError::CallbackWithoutSample(_) => "checks.callback_without_sample",
            OversightError::DueBeforeFound { .. } => "inspection.due_before_found",
            OversightError::UnknownItem(_) => "inspection.unknown_item",
            OversightError::FixBeforeFound { .. } => "inspection.fix_before_found",
            OversightError::AlreadyClosed(_) => "inspection.already_closed",
            OversightError::Core(e) => e.code(),
            OversightError::Funding(e) => e.code(),
            OversightError::Scoring(e) => e.code(),
        }
    }
}

impl Labelled for OversightError {
    fn zh(&self) -> &'static str {
        match self {
            OversightError::NoAllocationPolicy => "政策未规定分配规则",
            OversightError::NoChecksPolicy => "政策未规定发放核查规则",
            OversightError::InvalidReserve(_) => "预留比例无效",
            OversightError::InvalidRatio(_) => "回访比例无效",
            OversightError::InvalidQuorum => "到会人数要求无效",
            OversightError::DuplicateStandard(_) => "户均标准重复",
            OversightError::AlreadyApproved => "分配方案已经审定",
            OversightError::Blank(_) => "内容为空",
            OversightError::DuplicateMember(_) => "参会人员重复",
            OversightError::Quorum { .. } => "参会人数不足",
            OversightError::BasisAfterMeeting { .. } => "统计日期晚于会议",
            OversightError::MeetingAfterYear(_) => "会议晚于方案年度",
            OversightError::TotalMismatch { .. } => "审定总额与方案不符",
            OversightError::CardUnmasked => "卡号未脱敏",
            OversightError::CardMalformed => "卡号格式有误",
            OversightError::UnknownPayment(_) => "无此发放记录",
            OversightError::Duplicate(_) => "记录重复",
            OversightError::CreditedAboveAmount { .. } => "到账金额大于发放金额",
            OversightError::BeforePayment { .. } => "日期早于发放",
            OversightError::CallbackWithoutSample(_) => "回访前未抽样",
            OversightError::DueBeforeFound { .. } => "整改期限早于发现日期",
            OversightError::UnknownItem(_) => "无此自查问题",
            OversightError::FixBeforeFound { .. } => "整改早于发现",
            OversightError::AlreadyClosed(_) => "问题已整改完毕",
            OversightError::Core(e) => e.zh(),
            OversightError::Funding(e) => e.zh(),
            OversightError::Scoring(e) => e.zh(),
        }
    }

    fn en(&self) -> &'static str {
        match self {
            OversightError::NoAllocationPolicy => "no allocation rules in the policy",
            OversightError::NoChecksPolicy => "no payment-check rules in the policy",
            OversightError::InvalidReserve(_) => "invalid reserve share",
            OversightError::InvalidRatio(_) => "invalid call-back ratio",
            OversightError::InvalidQuorum => "invalid quorum",
            OversightError::DuplicateStandard(_) => "standard given twice",
            OversightError::AlreadyApproved => "plan approved already",
            OversightError::Blank(_) => "blank",
            OversightError::DuplicateMember(_) => "member named twice",
            OversightError::Quorum { .. } => "below the quorum",
            OversightError::BasisAfterMeeting { .. } => "files counted after the meeting",
            OversightError::MeetingAfterYear(_) => "meeting after the year",
            OversightError::TotalMismatch { .. } => "approved total is not the plan's",
            OversightError::CardUnmasked => "card number not masked",
            OversightError::CardMalformed => "malformed card number",
            OversightError::UnknownPayment(_) => "unknown payment",
            OversightError::Duplicate(_) => "recorded twice",
            OversightError::CreditedAboveAmount { .. } => "credited above the amount",
            OversightError::BeforePayment { .. } => "before the payment",
            OversightError::CallbackWithoutSample(_) => "call-back without a sample",
            OversightError::DueBeforeFound { .. } => "due before found",
            OversightError::UnknownItem(_) => "unknown item",
            OversightError::FixBeforeFound { .. } => "fix before found",
            OversightError::AlreadyClosed(_) => "item closed already",
            OversightError::Core(e) => e.en(),
            OversightError::Funding(e) => e.en(),
            OversightError::Scoring(e) => e.en(),
        }
    }
}
