//! The funding crate's error type.

use bangfu_core::{
    AidCategory, ArchiveTier, Coded, CoreError, Labelled, Money, NaiveDate, PaymentChannel,
};

use crate::{FundSource, IncomeKind, PostingId};

/// Why the funding model refused an operation. A refused operation changes nothing.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// use bangfu_funding::{FundingError, FundSource};
/// let err = FundingError::UnknownSource { fund: FundSource::Donation };
/// assert_eq!(err.code(), "funding.unknown_source");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FundingError {
    /// The id was posted before with different content.
    #[error("posting {id} was already posted with different content")]
    IdConflict {
        /// The id.
        id: PostingId,
    },
    /// The payment order was already carried out by a payment to another household,
    /// category, kind or amount.
    #[error("payment order {order} was already carried out with different content")]
    OrderConflict {
        /// The order's idempotency key.
        order: String,
    },
    /// The posting's date is outside the ledger's year.
    #[error("date {date} is outside the ledger year {year}")]
    DateOutsideYear {
        /// The date.
        date: NaiveDate,
        /// The ledger's year.
        year: i32,
    },
    /// The policy defines no such fund source on the date.
    #[error("the policy has no fund source {fund}")]
    UnknownSource {
        /// The source.
        fund: FundSource,
    },
    /// The source may not pay this aid category (earmark).
    #[error("{fund} may not pay {category}")]
    CategoryNotAllowed {
        /// The source.
        fund: FundSource,
        /// The category.
        category: AidCategory,
    },
    /// The source may not pay files of this archive tier (earmark).
    #[error("{fund} may not pay {tier}-tier files")]
    TierNotAllowed {
        /// The source.
        fund: FundSource,
        /// The tier.
        tier: ArchiveTier,
    },
    /// The payment channel is not allowed (the default policy refuses cash).
    #[error("payment channel {channel} is not allowed")]
    ChannelRefused {
        /// The channel.
        channel: PaymentChannel,
    },
    /// The payment would overdraw its source.
    #[error("{fund} has {balance} yuan, cannot pay {amount}")]
    Overdraft {
        /// The source.
        fund: FundSource,
        /// Its balance before the payment.
        balance: Money,
        /// The payment.
        amount: Money,
    },
    /// A posting of zero yuan.
    #[error("a posting must move a positive amount")]
    ZeroAmount,
    /// A recovery that names no household.
    #[error("a recovery must name the household it recovers from")]
    RecoveryWithoutHousehold,
    /// A recovery that reverses a posting of this ledger which is not a payment to the same
    /// household.
    #[error("recovery does not match the payment {reverses} it reverses")]
    RecoveryMismatch {
        /// The posting it names.
        reverses: PostingId,
    },
    /// A recovery (追缴) that would bring the total recovered against one payment of this
    /// ledger above the payment's amount: money is never recovered twice.
    #[error(
        "payment {reverses} of {paid} yuan has {recovered} yuan recovered already, cannot recover {amount} more"
    )]
    RecoveryExceedsPayment {
        /// The payment it names.
        reverses: PostingId,
        /// The payment's amount.
        paid: Money,
        /// The amount already recovered against it.
        recovered: Money,
        /// The recovery refused.
        amount: Money,
    },
    /// A recovery dated before the payment of this ledger that it reverses.
    #[error("recovery dated {date} is before the payment {reverses} of {paid_on}")]
    RecoveryBeforePayment {
        /// The payment it names.
        reverses: PostingId,
        /// The recovery's date.
        date: NaiveDate,
        /// The payment's date.
        paid_on: NaiveDate,
    },
    /// An income other than a recovery that names a payment it reverses: only a recovery
    /// (追缴) reverses a payment.
    #[error("only a recovery may reverse a payment; a {kind} names {reverses}")]
    ReversalNotRecovery {
        /// The income's kind.
        kind: IncomeKind,
        /// The posting it names.
        reverses: PostingId,
    },
    /// A reversal (冲正) that names no posting of this ledger.
    #[error("reversal names {reverses}, which is not in this ledger")]
    ReversalUnknown {
        /// The posting it names.
        reverses: PostingId,
    },
    /// A reversal that names another reversal: a reversal is not reversed (post the
    /// original again under a new id).
    #[error("{reverses} is a reversal and cannot be reversed")]
    ReversalOfReversal {
        /// The reversal it names.
        reverses: PostingId,
    },
    /// A posting reversed already.
    #[error("{reverses} was already reversed by {by}")]
    AlreadyReversed {
        /// The posting it names.
        reverses: PostingId,
        /// The reversal that reversed it.
        by: PostingId,
    },
    /// A reversal dated before the posting it reverses.
    #[error("reversal dated {date} is before {reverses} of {posted_on}")]
    ReversalBeforePosting {
        /// The posting it names.
        reverses: PostingId,
        /// The reversal's date.
        date: NaiveDate,
        /// The reversed posting's date.
        posted_on: NaiveDate,
    },
    /// A reversal whose source or amount is not the reversed posting's.
    #[error(
        "reversal of {reverses} states {amount} from {fund}; the posting is {posted} from {posted_fund}"
    )]
    ReversalMismatch {
        /// The posting it names.
        reverses: PostingId,
        /// The source the reversal states.
        fund: FundSource,
        /// The amount the reversal states.
        amount: Money,
        /// The reversed posting's source.
        posted_fund: FundSource,
        /// The reversed posting's amount.
        posted: Money,
    },
    /// A reversal without a reason.
    #[error("a reversal must give its reason")]
    ReversalWithoutReason,
    /// The reversal of a payment that was partly or wholly recovered: reverse its recoveries
    /// first.
    #[error(
        "payment {reverses} has {recovered} recovered against it; reverse the recoveries first"
    )]
    ReversalRecovered {
        /// The payment it names.
        reverses: PostingId,
        /// What was recovered against it.
        recovered: Money,
    },
    /// A ledger that reads postings again from their source ([`crate::Recalled`]) could
    /// not read one (the source changed or failed), or was given a posting without its
    /// locator: it decides nothing from then on.
    #[error("a posting could not be read again from its source")]
    RecallFailed {
        /// The locator that could not be read (`None`: a posting posted without one).
        at: Option<u64>,
    },
    /// The ledger holds as many postings as it can index (4,294,967,295).
    #[error("the ledger holds as many postings as it can index")]
    LedgerFull,
    /// Two budget lines for one source.
    #[error("the budget has two lines for {fund}")]
    DuplicateBudgetLine {
        /// The source.
        fund: FundSource,
    },
    /// A budget line for a source the policy does not have in the budget's year: a
    /// statement would compare it with income the ledger can never receive.
    #[error("the budget has a line for {fund}, which the policy does not have in {year}")]
    BudgetUnknownSource {
        /// The source.
        fund: FundSource,
        /// The budget's year.
        year: i32,
    },
    /// A carry-over approval for a year, or a source, the close does not have.
    #[error("carry-over approval {reference} does not fit the year close")]
    ApprovalMismatch {
        /// The approval's reference.
        reference: String,
    },
    /// An error of the core vocabulary (money, dates, parameters).
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl Coded for FundingError {
    fn code(&self) -> &'static str {
        match self {
            FundingError::IdConflict { .. } => "funding.id_conflict",
            FundingError::OrderConflict { .. } => "funding.order_conflict",
            FundingError::DateOutsideYear { .. } => "funding.date_outside_year",
            FundingError::UnknownSource { .. } => "funding.unknown_source",
            FundingError::CategoryNotAllowed { .. } => "funding.earmark_category",
            FundingError::TierNotAllowed { .. } => "funding.earmark_tier",
            FundingError::ChannelRefused { .. } => "funding.channel_refused",
            FundingError::Overdraft { .. } => "funding.overdraft",
            FundingError::ZeroAmount => "funding.zero_amount",
            FundingError::RecoveryWithoutHousehold => "funding.recovery_without_household",
            FundingError::RecoveryMismatch { .. } => "funding.recovery_mismatch",
            FundingError::RecoveryExceedsPayment { .. } => "funding.recovery_exceeds_payment",
            FundingError::RecoveryBeforePayment { .. } => "funding.recovery_before_payment",
            FundingError::ReversalNotRecovery { .. } => "funding.reversal_not_recovery",
            FundingError::ReversalUnknown { .. } => "funding.reversal_unknown",
            FundingError::ReversalOfReversal { .. } => "funding.reversal_of_reversal",
            FundingError::AlreadyReversed { .. } => "funding.already_reversed",
            FundingError::ReversalBeforePosting { .. } => "funding.reversal_before_posting",
            FundingError::ReversalMismatch { .. } => "funding.reversal_mismatch",
            FundingError::ReversalWithoutReason => "funding.reversal_without_reason",
            FundingError::ReversalRecovered { .. } => "funding.reversal_recovered",
            FundingError::RecallFailed { .. } => "funding.recall_failed",
            FundingError::LedgerFull => "funding.ledger_full",
            FundingError::DuplicateBudgetLine { .. } => "funding.duplicate_budget_line",
            FundingError::BudgetUnknownSource { .. } => "funding.budget_unknown_source",
            FundingError::ApprovalMismatch { .. } => "funding.approval_mismatch",
            FundingError::Core(e) => e.code(),
        }
    }
}

impl Labelled for FundingError {
    fn zh(&self) -> &'static str {
        match self {
            FundingError::IdConflict { .. } => "编号重复且内容不同",
            FundingError::OrderConflict { .. } => "支付指令已按不同内容执行",
            FundingError::DateOutsideYear { .. } => "日期不在本年度内",
            FundingError::UnknownSource { .. } => "未知资金来源",
            FundingError::CategoryNotAllowed { .. } => "该资金不得用于此救助类别",
            FundingError::TierNotAllowed { .. } => "该资金不得用于此层级档案",
            FundingError::ChannelRefused { .. } => "发放方式不允许",
            FundingError::Overdraft { .. } => "资金余额不足",
            FundingError::ZeroAmount => "金额须大于零",
            FundingError::RecoveryWithoutHousehold => "追缴须注明户",
            FundingError::RecoveryMismatch { .. } => "追缴与原发放记录不符",
            FundingError::RecoveryExceedsPayment { .. } => "追缴累计金额超过原发放金额",
            FundingError::RecoveryBeforePayment { .. } => "追缴日期早于原发放日期",
            FundingError::ReversalNotRecovery { .. } => "仅追缴可冲回发放记录",
            FundingError::ReversalUnknown { .. } => "冲正所指记录不在本账",
            FundingError::ReversalOfReversal { .. } => "冲正记录不得再冲正",
            FundingError::AlreadyReversed { .. } => "该记录已冲正",
            FundingError::ReversalBeforePosting { .. } => "冲正日期早于原记录日期",
            FundingError::ReversalMismatch { .. } => "冲正的来源或金额与原记录不符",
            FundingError::ReversalWithoutReason => "冲正须说明原因",
            FundingError::ReversalRecovered { .. } => "已有追缴的发放须先冲正追缴",
            FundingError::RecallFailed { .. } => "无法回查已记账目",
            FundingError::LedgerFull => "账目条数已达上限",
            FundingError::DuplicateBudgetLine { .. } => "预算来源重复",
            FundingError::BudgetUnknownSource { .. } => "预算列有政策未设的资金来源",
            FundingError::ApprovalMismatch { .. } => "结转批复与年终结算不符",
            FundingError::Core(e) => e.zh(),
        }
    }
    fn en(&self) -> &'static str {
        match self {
            FundingError::IdConflict { .. } => "same id posted with different content",
            FundingError::OrderConflict { .. } => "payment order already carried out differently",
            FundingError::DateOutsideYear { .. } => "date outside the ledger year",
            FundingError::UnknownSource { .. } => "unknown fund source",
            FundingError::CategoryNotAllowed { .. } => "source may not pay this aid category",
            FundingError::TierNotAllowed { .. } => "source may not pay this archive tier",
            FundingError::ChannelRefused { .. } => "payment channel not allowed",
            FundingError::Overdraft { .. } => "payment would overdraw the source",
            FundingError::ZeroAmount => "amount must be positive",
            FundingError::RecoveryWithoutHousehold => "recovery must name the household",
            FundingError::RecoveryMismatch { .. } => {
                "recovery does not match the payment it reverses"
            }
            FundingError::RecoveryExceedsPayment { .. } => {
                "total recovered would exceed the payment"
            }
            FundingError::RecoveryBeforePayment { .. } => {
                "recovery dated before the payment it reverses"
            }
            FundingError::ReversalNotRecovery { .. } => "only a recovery may reverse a payment",
            FundingError::ReversalUnknown { .. } => "reversal names no posting of this ledger",
            FundingError::ReversalOfReversal { .. } => "a reversal cannot be reversed",
            FundingError::AlreadyReversed { .. } => "posting already reversed",
            FundingError::ReversalBeforePosting { .. } => {
                "reversal dated before the posting it reverses"
            }
            FundingError::ReversalMismatch { .. } => {
                "reversal's source or amount differs from the posting"
            }
            FundingError::ReversalWithoutReason => "a reversal must give its reason",
            FundingError::ReversalRecovered { .. } => "payment has recoveries: reverse them first",
            FundingError::RecallFailed { .. } => "a posting could not be read again",
            FundingError::LedgerFull => "the ledger is full",
            FundingError::DuplicateBudgetLine { .. } => "duplicate budget line",
            FundingError::BudgetUnknownSource { .. } => "budget line for a source the policy lacks",
            FundingError::ApprovalMismatch { .. } => "carry-over approval does not fit the close",
            FundingError::Core(e) => e.en(),
        }
    }
}
