//! Postings: the immutable entries of the ledger.

use bangfu_core::{
    AidCategory, AidKind, ArchiveTier, ClaimId, HouseholdId, Money, NaiveDate, PaymentChannel,
    UnitId,
};

use crate::{FundSource, IncomeKind};

bangfu_core::define_id! {
    /// A posting id (记账编号), chosen by the caller. Posting the same id twice with the same
    /// content is a no-op that returns the first result; with other content it is refused.
    ///
    /// ```
    /// assert!(bangfu_funding::PostingId::new("pay-2018-000001").is_ok());
    /// ```
    pub struct PostingId("posting");
}

/// Money received by a fund source (资金收入).
///
/// # Example
/// ```
/// use bangfu_funding::{FundSource, Income, IncomeKind, PostingId};
/// use bangfu_core::Money;
/// let income = Income::new(
///     PostingId::new("inc-1")?,
///     chrono::NaiveDate::from_ymd_opt(2018, 1, 10).unwrap(),
///     FundSource::CentralFiscal,
///     IncomeKind::Allocation,
///     Money::parse_wan("271.1267")?,
/// );
/// assert_eq!(income.amount.wan().to_string(), "271.1267");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Income {
    /// The caller's id.
    pub id: PostingId,
    /// The date received.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The source credited.
    pub source: FundSource,
    /// What kind of income.
    pub kind: IncomeKind,
    /// The amount.
    pub amount: Money,
    /// For a recovery (追缴): the household recovered from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<HouseholdId>,
    /// For a recovery: the earlier payment it reverses, where known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverses: Option<PostingId>,
    /// A note, such as the document of an allocation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Income {
    /// An income with no household, reversal or note.
    pub fn new(
        id: PostingId,
        date: NaiveDate,
        source: FundSource,
        kind: IncomeKind,
        amount: Money,
    ) -> Income {
        Income {
            id,
            date,
            source,
            kind,
            amount,
            household: None,
            reverses: None,
            note: None,
        }
    }
}

/// A payment of aid to a household (救助发放). Each disbursement is one person-time (人次).
///
/// # Example
/// ```
/// use bangfu_core::{AidCategory, AidKind, ArchiveTier, HouseholdId, Money, PaymentChannel};
/// use bangfu_funding::{Disbursement, FundSource, PostingId};
/// let pay = Disbursement {
///     id: PostingId::new("pay-1")?,
///     date: chrono::NaiveDate::from_ymd_opt(2018, 2, 1).unwrap(),
///     source: FundSource::CentralFiscal,
///     category: AidCategory::Living,
///     kind: AidKind::SendingWarmth,
///     household: HouseholdId::new("HK-0001")?,
///     tier: ArchiveTier::National,
///     channel: PaymentChannel::UnionMemberCard,
///     amount: Money::from_yuan(800)?,
///     unit: None,
///     entered: None,
///     order: None,
///     claim: None,
/// };
/// assert_eq!(pay.amount.to_string(), "800.00");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Disbursement {
    /// The caller's id.
    pub id: PostingId,
    /// The payment date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The source debited.
    pub source: FundSource,
    /// The aid category.
    pub category: AidCategory,
    /// The kind of payment inside the category.
    #[serde(default = "regular")]
    pub kind: AidKind,
    /// The household paid.
    pub household: HouseholdId,
    /// The household's archive tier on the date.
    pub tier: ArchiveTier,
    /// How the money was paid.
    pub channel: PaymentChannel,
    /// The amount.
    pub amount: Money,
    /// The union unit that filed the household (建档单位).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    /// When the payment was entered in the aid system (录入日期).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<NaiveDate>"))]
    #[serde(with = "bangfu_core::iso_date::option")]
    pub entered: Option<NaiveDate>,
    /// The idempotency key of the payment order it carries out, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub order: Option<String>,
    /// The claim the payment carries out (申请编号), when it carries one out: the typed link
    /// the year's checks follow (never read back from the order key).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub claim: Option<ClaimId>,
}

fn regular() -> AidKind {
    AidKind::Regular
}

/// One entry of the ledger: money in or money out. In JSON it is an object with
/// `"type": "income"` or `"type": "disbursement"` and the fields of [`Income`] or
/// [`Disbursement`].
///
/// # Example
/// ```
/// use bangfu_funding::Posting;
/// let line = r#"{"type":"income","id":"inc-1","date":"2018-01-10","source":"central_fiscal","kind":"allocation","amount":"2711267.00"}"#;
/// let posting: Posting = serde_json::from_str(line)?;
/// assert_eq!(posting.id().as_str(), "inc-1");
/// assert_eq!(serde_json::to_string(&posting)?, line);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Posting {
    /// Money received.
    Income(Income),
    /// Aid paid.
    Disbursement(Disbursement),
}

impl Posting {
    /// The posting's id.
    pub fn id(&self) -> &PostingId {
        match self {
            Posting::Income(i) => &i.id,
            Posting::Disbursement(d) => &d.id,
        }
    }

    /// The posting's date.
    pub fn date(&self) -> NaiveDate {
        match self {
            Posting::Income(i) => i.date,
            Posting::Disbursement(d) => d.date,
        }
    }

    /// The source the posting touches.
    pub fn source(&self) -> FundSource {
        match self {
            Posting::Income(i) => i.source,
            Posting::Disbursement(d) => d.source,
        }
    }

    /// The amount moved.
    pub fn amount(&self) -> Money {
        match self {
            Posting::Income(i) => i.amount,
            Posting::Disbursement(d) => d.amount,
        }
    }
}

impl From<Income> for Posting {
    fn from(i: Income) -> Posting {
        Posting::Income(i)
    }
}

impl From<Disbursement> for Posting {
    fn from(d: Disbursement) -> Posting {
        Posting::Disbursement(d)
    }
}
