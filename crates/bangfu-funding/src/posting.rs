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

bangfu_core::define_id! {
    /// The id of a campaign a policy defines (专项活动编号, `[[campaigns]]`'s `id`), such as
    /// `golden-autumn` for 金秋助学: what a payment names to count in that campaign.
    ///
    /// ```
    /// assert!(bangfu_funding::CampaignId::new("golden-autumn").is_ok());
    /// ```
    pub struct CampaignId("campaign");
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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
///     campaign: None,
/// };
/// assert_eq!(pay.amount.to_string(), "800.00");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
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
    /// The campaign of the policy the payment counts in, named by its id (专项活动), when it
    /// is one of a campaign the policy adds; a payment of a built-in campaign kind
    /// (`sending_warmth`, `female_worker_care`) needs none. Absent from JSON when none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<CampaignId>,
}

/// A reversal (冲正): the correction of one earlier posting of the same year's ledger, income
/// or payment, entered in error. It undoes the whole posting it names (the source's balance,
/// and for a payment its person-time) and states the posting's source and amount again, as a
/// red-ink entry does; the ledger checks that they are the reversed posting's. History is never
/// rewritten: the reversed posting stays in the ledger, and the statement shows the reversal
/// beside it. A payment that was partly repaid is corrected by a recovery (追缴, an
/// [`Income`] of kind `recovery`), not a reversal.
///
/// # Example
/// ```
/// use bangfu_core::Money;
/// use bangfu_funding::{FundSource, Posting, PostingId, Reversal};
/// let r = Reversal {
///     id: PostingId::new("rev-1")?,
///     date: chrono::NaiveDate::from_ymd_opt(2018, 2, 3).unwrap(),
///     reverses: PostingId::new("pay-1")?,
///     source: FundSource::CentralFiscal,
///     amount: Money::from_yuan(800)?,
///     reason: "entered twice".to_owned(),
/// };
/// let line = serde_json::to_string(&Posting::from(r))?;
/// assert!(line.starts_with(r#"{"type":"reversal","id":"rev-1""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Reversal {
    /// The caller's id.
    pub id: PostingId,
    /// The date of the correction.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The posting reversed (原记录), of this ledger.
    pub reverses: PostingId,
    /// The reversed posting's source, stated again.
    pub source: FundSource,
    /// The reversed posting's amount, stated again.
    pub amount: Money,
    /// Why (冲正原因): required, never blank.
    pub reason: String,
}

fn regular() -> AidKind {
    AidKind::Regular
}

/// One entry of the ledger: money in, money out, or the reversal of one of those. In JSON it
/// is an object with `"type": "income"`, `"type": "disbursement"` or `"type": "reversal"` and
/// the fields of [`Income`], [`Disbursement`] or [`Reversal`].
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
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Posting {
    /// Money received.
    Income(Income),
    /// Aid paid.
    Disbursement(Disbursement),
    /// The correction of an earlier income or payment (冲正).
    Reversal(Reversal),
}

impl Posting {
    /// The posting's id.
    pub fn id(&self) -> &PostingId {
        match self {
            Posting::Income(i) => &i.id,
            Posting::Disbursement(d) => &d.id,
            Posting::Reversal(r) => &r.id,
        }
    }

    /// The posting's date.
    pub fn date(&self) -> NaiveDate {
        match self {
            Posting::Income(i) => i.date,
            Posting::Disbursement(d) => d.date,
            Posting::Reversal(r) => r.date,
        }
    }

    /// The source the posting touches.
    pub fn source(&self) -> FundSource {
        match self {
            Posting::Income(i) => i.source,
            Posting::Disbursement(d) => d.source,
            Posting::Reversal(r) => r.source,
        }
    }

    /// The amount moved (for a reversal, the amount of the posting it reverses, moved back).
    pub fn amount(&self) -> Money {
        match self {
            Posting::Income(i) => i.amount,
            Posting::Disbursement(d) => d.amount,
            Posting::Reversal(r) => r.amount,
        }
    }
}

/// The payments among `postings` that no reversal among them reverses (实际发放), in order:
/// what a payment roster lists.
///
/// # Example
/// ```
/// use bangfu_core::{AidCategory, AidKind, ArchiveTier, Money, PaymentChannel};
/// use bangfu_funding::{Disbursement, FundSource, Posting, Reversal, standing_payments};
/// let day = chrono::NaiveDate::from_ymd_opt(2018, 2, 1).unwrap();
/// let pay = |id: &str| -> Result<Posting, Box<dyn std::error::Error>> { Ok(Disbursement {
///     id: id.parse()?, date: day, source: FundSource::CentralFiscal, category: AidCategory::Living,
///     kind: AidKind::Regular, household: "HK-1".parse()?, tier: ArchiveTier::National,
///     channel: PaymentChannel::UnionMemberCard, amount: Money::from_yuan(100)?,
///     unit: None, entered: None, order: None, claim: None, campaign: None }.into()) };
/// let rev = Reversal { id: "r-1".parse()?, date: day, reverses: "p-1".parse()?,
///     source: FundSource::CentralFiscal, amount: Money::from_yuan(100)?, reason: "twice".into() };
/// let postings = vec![pay("p-1")?, pay("p-2")?, rev.into()];
/// let ids: Vec<&str> = standing_payments(&postings).map(|d| d.id.as_str()).collect();
/// assert_eq!(ids, ["p-2"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn standing_payments(postings: &[Posting]) -> impl Iterator<Item = &Disbursement> {
    let reversed: std::collections::HashSet<&PostingId> = postings
        .iter()
        .filter_map(|p| match p {
            Posting::Reversal(r) => Some(&r.reverses),
            _ => None,
        })
        .collect();
    postings.iter().filter_map(move |p| match p {
        Posting::Disbursement(d) if !reversed.contains(&d.id) => Some(d),
        _ => None,
    })
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

impl From<Reversal> for Posting {
    fn from(r: Reversal) -> Posting {
        Posting::Reversal(r)
    }
}
