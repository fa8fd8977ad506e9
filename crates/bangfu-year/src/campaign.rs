//! Campaigns as data (专项活动): the female-worker care action (女职工关爱行动), the
//! two-festivals sending warmth (两节送温暖) and the like, each written in the policy file
//! as a `[[campaigns]]` table: its window, the persons eligible (rules on the household
//! facts), the most one payment may be, its budget and the fund sources it may draw on.
//!
//! ```toml
//! [[campaigns]]
//! kind = "female_worker_care"        # the payments' kind (sending_warmth, female_worker_care)
//! name_zh = "女职工关爱行动"
//! name_en = "Female-worker care action"
//! from = "2018-03-01"                # the window, both days included
//! until = "2018-03-31"
//! eligible = ["female_worker"]       # any of: female_worker, single_parent_mother, filed_household
//! max_amount = "500.00"              # per payment (optional)
//! per_household = "500.00"           # per household over the window (optional)
//! budget = "20000.00"                # over the window (optional)
//! sources = ["provincial_union_funds"]
//! cite = "seed.1.2"
//! ```
//!
//! A policy adds a campaign of its own (金秋助学 golden-autumn education aid, a city's 关爱农民工
//! action) by giving it an `id` (its payments' `kind` is then optional, `regular` by default):
//!
//! ```toml
//! [[campaigns]]
//! id = "golden-autumn"
//! name_zh = "金秋助学"
//! name_en = "Golden-autumn education aid"
//! from = "2018-08-01"
//! until = "2018-09-30"
//! eligible = ["filed_household"]
//! max_amount = "2000.00"
//! sources = ["provincial_union_funds"]
//! cite = "seed.1.2"
//! ```
//!
//! and a payment names it with `"campaign": "golden-autumn"` on its posting
//! ([`bangfu_funding::Disbursement::campaign`]); a posting naming an id the policy does not
//! have is refused (`campaign.unknown`), through the path and in a union's history alike.
//!
//! A payment is checked against the campaign whose window holds its date: the campaign it
//! names, or, naming none, a campaign of its kind when its kind is a campaign's (a policy
//! without one checks nothing): outside every window (`campaign.outside_window`), to a household no rule makes
//! eligible (`campaign.not_eligible`), above the most a payment may be
//! (`campaign.over_amount`), beyond what one household may receive in the window
//! (`campaign.over_household`), beyond the budget with the campaign's payments standing
//! (`campaign.over_budget`), from a source the campaign may not draw on
//! (`campaign.source_refused`). Through the path ([`ProgrammeYear::pay`]) the payment is
//! refused and nothing changes; in a union's recorded history ([`ProgrammeYear::record`])
//! it is kept and each rule it breaks is a finding ([`crate::DefectKind::Campaign`]).
//!
//! The statement gives each campaign a line of its own (`bangfu_funding::CampaignLine`, a line
//! per id for the campaigns a policy adds, named from the policy); a female-worker care
//! payment is never counted inside living aid, nor checked against the living-aid standard
//! or counted in its year-to-date: its standard is its campaign's. A payment naming a
//! campaign by id counts in no category either (a line of its own named by the campaign, in
//! the statement, this module's report section, the part reports and the evaluation's facts:
//! never inside living aid or another campaign), and its standard is its campaign's too (it
//! is not checked against the category's standard nor counted in the year-to-date).

use std::collections::HashMap;

use bangfu_core::{AidKind, CitationId, Coded, HouseholdId, Labelled, Money, NaiveDate};
use bangfu_eligibility::{Household, Relation, Sex};
use bangfu_funding::{CampaignId, Disbursement, FundSource, Posting};

use crate::ProgrammeYear;

bangfu_core::coded_enum! {
    /// A rule on the household facts that makes a household eligible for a campaign
    /// (活动对象).
    ///
    /// ```
    /// assert_eq!(bangfu_year::campaign::Eligible::FemaleWorker.code(), "female_worker");
    /// ```
    #[non_exhaustive]
    pub enum Eligible {
        /// The worker is a woman (女职工).
        FemaleWorker = ("female_worker", "女职工", "woman worker"),
        /// The worker is a woman without a spouse in the household who supports a child
        /// (单亲困难女职工).
        SingleParentMother = ("single_parent_mother", "单亲母亲", "single-parent mother"),
        /// Any filed household (在档困难职工家庭).
        FiledHousehold = ("filed_household", "在档困难职工家庭", "filed household"),
    }
}

impl Eligible {
    /// Whether the rule holds for `household`.
    ///
    /// # Example
    /// ```
    /// use bangfu_year::campaign::Eligible;
    /// let h = bangfu_eligibility::Household::example()?;
    /// assert!(Eligible::FiledHousehold.holds(&h));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn holds(self, household: &Household) -> bool {
        let woman = household.worker.person.sex == Sex::Female;
        let has = |r: Relation| household.members.iter().any(|m| m.relation == r);
        match self {
            Eligible::FemaleWorker => woman,
            Eligible::SingleParentMother => woman && !has(Relation::Spouse) && has(Relation::Child),
            Eligible::FiledHousehold => true,
        }
    }
}

/// One campaign of a policy (专项活动): see the module.
///
/// # Example
/// ```
/// let c: bangfu_year::campaign::Campaign = toml::from_str(r#"
/// kind = "female_worker_care"
/// name_zh = "女职工关爱行动"
/// name_en = "Female-worker care action"
/// from = "2018-03-01"
/// until = "2018-03-31"
/// eligible = ["female_worker"]
/// max_amount = "500.00"
/// sources = ["provincial_union_funds"]
/// cite = "seed.1.2"
/// "#)?;
/// assert!(c.holds_date(chrono::NaiveDate::from_ymd_opt(2018, 3, 31).unwrap()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Campaign {
    /// The id of a campaign the policy adds, which its payments name; none for a campaign
    /// of a built-in kind (`sending_warmth`, `female_worker_care`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<CampaignId>,
    /// The kind of its payments (`regular` when omitted, for a campaign with an id).
    #[serde(default = "regular")]
    pub kind: AidKind,
    /// Its name in Chinese.
    pub name_zh: String,
    /// Its name in English.
    pub name_en: String,
    /// The first day of its window.
    #[serde(with = "bangfu_core::iso_date")]
    pub from: NaiveDate,
    /// The last day of its window.
    #[serde(with = "bangfu_core::iso_date")]
    pub until: NaiveDate,
    /// The rules of which one must hold for a household to be eligible.
    pub eligible: Vec<Eligible>,
    /// The most one payment may be.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_amount: Option<Money>,
    /// The most one household may receive from it, over the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_household: Option<Money>,
    /// The most its payments may be together, over the window.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<Money>,
    /// The fund sources it may draw on.
    pub sources: Vec<FundSource>,
    /// The citation of the document that sets it up.
    pub cite: CitationId,
}

fn regular() -> AidKind {
    AidKind::Regular
}

/// Which campaign an error is about: a built-in campaign kind, or a campaign a policy adds,
/// by its id. Written as the kind's code or the id.
///
/// ```
/// use bangfu_year::campaign::CampaignRef;
/// assert_eq!(CampaignRef::Kind(bangfu_core::AidKind::SendingWarmth).to_string(), "sending_warmth");
/// assert_eq!(CampaignRef::Id("golden-autumn".parse()?).to_string(), "golden-autumn");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CampaignRef {
    /// A built-in campaign kind.
    Kind(AidKind),
    /// A campaign a policy adds.
    Id(CampaignId),
}

impl CampaignRef {
    /// The campaign `d` counts in: the one it names, else its kind.
    pub fn of(d: &Disbursement) -> CampaignRef {
        match &d.campaign {
            Some(id) => CampaignRef::Id(id.clone()),
            None => CampaignRef::Kind(d.kind),
        }
    }

    /// The campaign `c` is: its id, else its kind.
    pub fn of_campaign(c: &Campaign) -> CampaignRef {
        match &c.id {
            Some(id) => CampaignRef::Id(id.clone()),
            None => CampaignRef::Kind(c.kind),
        }
    }
}

impl std::fmt::Display for CampaignRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CampaignRef::Kind(k) => f.write_str(k.code()),
            CampaignRef::Id(id) => f.write_str(id.as_str()),
        }
    }
}

impl Campaign {
    /// Whether `date` is in the window.
    pub fn holds_date(&self, date: NaiveDate) -> bool {
        self.from <= date && date <= self.until
    }

    /// The campaign's name in `lang`.
    pub fn name(&self, lang: bangfu_core::Lang) -> &str {
        match lang {
            bangfu_core::Lang::Zh => &self.name_zh,
            bangfu_core::Lang::En => &self.name_en,
        }
    }
}

/// Why a campaign payment breaks its campaign's rules, or a policy's campaigns do not hold
/// together (专项活动违规).
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// use bangfu_year::campaign::{CampaignError, CampaignRef};
/// let e = CampaignError::NotEligible { campaign: CampaignRef::Kind(bangfu_core::AidKind::FemaleWorkerCare), household: "HK-1".parse()? };
/// assert_eq!(e.code(), "campaign.not_eligible");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CampaignError {
    /// No campaign of the kind holds the date in its window.
    #[error("no {} campaign of the policy holds {date} in its window", .campaign)]
    OutsideWindow {
        /// The payment's campaign.
        campaign: CampaignRef,
        /// The payment's date.
        date: NaiveDate,
    },
    /// The household is not eligible.
    #[error("household {household} is not eligible for the {} campaign", .campaign)]
    NotEligible {
        /// The payment's campaign.
        campaign: CampaignRef,
        /// The household.
        household: bangfu_core::HouseholdId,
    },
    /// A payment above the most one may be.
    #[error("{amount} above the {} campaign's {max} a payment", .campaign)]
    OverAmount {
        /// The payment's campaign.
        campaign: CampaignRef,
        /// The amount.
        amount: Money,
        /// The most.
        max: Money,
    },
    /// A payment beyond what one household may receive from the campaign.
    #[error("{amount} with {received} received before goes beyond the {} campaign's {most} a household", .campaign)]
    OverHousehold {
        /// The payment's campaign.
        campaign: CampaignRef,
        /// The amount.
        amount: Money,
        /// What the household's payments of the campaign standing came to before.
        received: Money,
        /// The most a household may receive.
        most: Money,
    },
    /// A payment beyond the campaign's budget.
    #[error("{amount} with {spent} paid before goes beyond the {} campaign's budget {budget}", .campaign)]
    OverBudget {
        /// The payment's campaign.
        campaign: CampaignRef,
        /// The amount.
        amount: Money,
        /// What the campaign's payments standing came to before.
        spent: Money,
        /// The budget.
        budget: Money,
    },
    /// A source the campaign may not draw on.
    #[error("the {} campaign may not draw on {}", .campaign, .fund_source.code())]
    SourceRefused {
        /// The payment's campaign.
        campaign: CampaignRef,
        /// The fund source.
        fund_source: FundSource,
    },
    /// A payment names a campaign the policy does not have.
    #[error("the policy has no campaign {campaign}")]
    Unknown {
        /// The id named.
        campaign: CampaignId,
    },
    /// A policy's campaign that does not hold together: without an id, a kind that is not a
    /// campaign's; a window that ends before it starts, two windows of one campaign kind or
    /// of one id that overlap, no eligibility rule, no source, or a source the policy does
    /// not have.
    #[error("campaign {index}: {message}")]
    Invalid {
        /// The campaign's position in the file (from 1).
        index: usize,
        /// What is wrong.
        message: String,
    },
}

impl Coded for CampaignError {
    fn code(&self) -> &'static str {
        match self {
            CampaignError::OutsideWindow { .. } => "campaign.outside_window",
            CampaignError::NotEligible { .. } => "campaign.not_eligible",
            CampaignError::OverAmount { .. } => "campaign.over_amount",
            CampaignError::OverHousehold { .. } => "campaign.over_household",
            CampaignError::OverBudget { .. } => "campaign.over_budget",
            CampaignError::SourceRefused { .. } => "campaign.source_refused",
            CampaignError::Unknown { .. } => "campaign.unknown",
            CampaignError::Invalid { .. } => "campaign.invalid",
        }
    }
}

impl Labelled for CampaignError {
    fn zh(&self) -> &'static str {
        match self {
            CampaignError::OutsideWindow { .. } => "不在活动期内",
            CampaignError::NotEligible { .. } => "不是活动对象",
            CampaignError::OverAmount { .. } => "超过活动标准",
            CampaignError::OverHousehold { .. } => "超过每户活动标准",
            CampaignError::OverBudget { .. } => "超过活动预算",
            CampaignError::SourceRefused { .. } => "活动不得动用该资金",
            CampaignError::Unknown { .. } => "政策中没有该活动",
            CampaignError::Invalid { .. } => "活动设置有误",
        }
    }

    fn en(&self) -> &'static str {
        match self {
            CampaignError::OutsideWindow { .. } => "outside the campaign's window",
            CampaignError::NotEligible { .. } => "not eligible for the campaign",
            CampaignError::OverAmount { .. } => "above the campaign's amount",
            CampaignError::OverHousehold { .. } => "beyond the campaign's amount a household",
            CampaignError::OverBudget { .. } => "beyond the campaign's budget",
            CampaignError::SourceRefused { .. } => "source not allowed for the campaign",
            CampaignError::Unknown { .. } => "no such campaign in the policy",
            CampaignError::Invalid { .. } => "invalid campaign",
        }
    }
}

/// Checks a policy's campaigns: each with an id or of a campaign kind, its window in order, at
/// least one rule and one source, its sources the policy's, and no two windows of one
/// campaign kind (whatever their ids) or of one id overlapping.
///
/// # Errors
/// `campaign.invalid` naming the campaign.
pub fn validate(
    campaigns: &[Campaign],
    funding: &bangfu_funding::FundingPolicy,
) -> Result<(), CampaignError> {
    for (i, c) in campaigns.iter().enumerate() {
        let index = i.saturating_add(1);
        let bad = |message: String| CampaignError::Invalid { index, message };
        if c.id.is_none() && !bangfu_funding::is_campaign(c.kind) {
            return Err(bad(format!(
                "{} is not a campaign's kind (a campaign the policy adds needs an id)",
                c.kind.code()
            )));
        }
        if c.until < c.from {
            return Err(bad(format!(
                "its window ends ({}) before it starts ({})",
                c.until, c.from
            )));
        }
        if c.eligible.is_empty() {
            return Err(bad("it names no eligibility rule".to_owned()));
        }
        if c.sources.is_empty() {
            return Err(bad("it names no fund source".to_owned()));
        }
        if let Some(s) = c.sources.iter().find(|s| !funding.sources.contains_key(s)) {
            return Err(bad(format!("{} is not a source of the policy", s.code())));
        }
        let same = |o: &Campaign| {
            (c.id.is_some() && o.id == c.id)
                || (bangfu_funding::is_campaign(c.kind) && o.kind == c.kind)
        };
        let overlap = campaigns
            .iter()
            .take(i)
            .any(|o| same(o) && o.from <= c.until && c.from <= o.until);
        if overlap {
            return Err(bad(format!(
                "its window overlaps another {} campaign's",
                CampaignRef::of_campaign(c)
            )));
        }
    }
    Ok(())
}

/// Whether `d` is a payment of campaign `c`, whatever its date: the campaign it names, or,
/// naming none, one of its kind when its kind is a campaign's.
fn names(c: &Campaign, d: &Disbursement) -> bool {
    match &d.campaign {
        Some(id) => c.id.as_ref() == Some(id),
        None => bangfu_funding::is_campaign(d.kind) && c.kind == d.kind,
    }
}

/// The campaign a payment is checked against: the one it names or of its kind, holding its
/// date in its window (`Ok(None)` when the payment is no campaign's, `Err` when no window
/// holds the date or the id named is not the policy's), with its position in `campaigns`.
fn campaign_of<'c>(
    campaigns: &'c [Campaign],
    d: &Disbursement,
) -> Result<Option<(usize, &'c Campaign)>, CampaignError> {
    let mut named = campaigns
        .iter()
        .enumerate()
        .filter(|(_, c)| names(c, d))
        .peekable();
    if named.peek().is_none() {
        return match &d.campaign {
            Some(id) => Err(CampaignError::Unknown {
                campaign: id.clone(),
            }),
            None => Ok(None),
        };
    }
    match named.find(|(_, c)| c.holds_date(d.date)) {
        Some(found) => Ok(Some(found)),
        None => Err(CampaignError::OutsideWindow {
            campaign: CampaignRef::of(d),
            date: d.date,
        }),
    }
}

/// Whether a payment standing counts in campaign `c`'s totals: its payment, in its window.
fn counts_in(c: &Campaign, d: &Disbursement) -> bool {
    names(c, d) && c.holds_date(d.date)
}

/// What `d` breaks of campaign `c`, with `received` what the household's payments of the
/// campaign standing came to before and `spent` what all of them came to (each read only
/// when the campaign has the rule that needs it).
fn judge(
    c: &Campaign,
    d: &Disbursement,
    household: Option<&Household>,
    received: impl FnOnce() -> Result<Money, bangfu_core::CoreError>,
    spent: impl FnOnce() -> Result<Money, bangfu_core::CoreError>,
) -> Result<Vec<CampaignError>, bangfu_core::CoreError> {
    let mut out = Vec::new();
    if !household.is_some_and(|h| c.eligible.iter().any(|r| r.holds(h))) {
        out.push(CampaignError::NotEligible {
            campaign: CampaignRef::of(d),
            household: d.household.clone(),
        });
    }
    if let Some(max) = c.max_amount.filter(|m| d.amount > *m) {
        out.push(CampaignError::OverAmount {
            campaign: CampaignRef::of(d),
            amount: d.amount,
            max,
        });
    }
    if let Some(most) = c.per_household {
        let received = received()?;
        if received.checked_add(d.amount)? > most {
            out.push(CampaignError::OverHousehold {
                campaign: CampaignRef::of(d),
                amount: d.amount,
                received,
                most,
            });
        }
    }
    if let Some(budget) = c.budget {
        let spent = spent()?;
        if spent.checked_add(d.amount)? > budget {
            out.push(CampaignError::OverBudget {
                campaign: CampaignRef::of(d),
                amount: d.amount,
                spent,
                budget,
            });
        }
    }
    if !c.sources.contains(&d.source) {
        out.push(CampaignError::SourceRefused {
            campaign: CampaignRef::of(d),
            fund_source: d.source,
        });
    }
    Ok(out)
}

/// What a payment breaks of its campaign's rules, in the order of the module (none when
/// it is no campaign's payment; `campaign.unknown` alone when it names an id the policy does
/// not have, which the year refuses), read from the
/// ledger: the household's and the budget's totals sum the campaign's payments standing in
/// `postings`, dated in its window, the payment itself not counted. The year keeps these
/// totals as it goes ([`CampaignTotals`]) and gives the same answer without the scan.
///
/// # Errors
/// `core.money.overflow` when the sum of the campaign's payments does not fit.
pub fn breaches(
    campaigns: &[Campaign],
    d: &Disbursement,
    household: Option<&Household>,
    postings: &[Posting],
) -> Result<Vec<CampaignError>, bangfu_core::CoreError> {
    let c = match campaign_of(campaigns, d) {
        Ok(Some((_, c))) => c,
        Ok(None) => return Ok(Vec::new()),
        Err(e) => return Ok(vec![e]),
    };
    let standing =
        || bangfu_funding::standing_payments(postings).filter(|p| counts_in(c, p) && p.id != d.id);
    judge(
        c,
        d,
        household,
        || {
            Money::sum(
                standing()
                    .filter(|p| p.household == d.household)
                    .map(|p| p.amount),
            )
        },
        || Money::sum(standing().map(|p| p.amount)),
    )
}

/// The running totals of the campaigns' payments standing (专项活动累计), kept as payments
/// are posted and given back when one is reversed, as the year-to-date of the aid book is:
/// per campaign (by its position in the policy) what its payments came to, and per campaign
/// and household what the household received. A campaign payment's checks read them instead
/// of summing the ledger, so that a year's campaign checks cost one look-up a payment.
///
/// The sums run in `i128` fen: adding never fails; a total that does not fit in money is the
/// overflow error of the check that reads it, as the ledger's sum would be.
///
/// # Example
/// ```
/// use bangfu_core::{AidCategory, AidKind, ArchiveTier, Money, PaymentChannel};
/// use bangfu_funding::{Disbursement, FundSource};
/// use bangfu_year::campaign::{Campaign, CampaignTotals};
/// let c: Campaign = toml::from_str(r#"
/// kind = "sending_warmth"
/// name_zh = "两节送温暖"
/// name_en = "Sending warmth"
/// from = "2018-01-01"
/// until = "2018-02-28"
/// eligible = ["filed_household"]
/// budget = "1000.00"
/// sources = ["central_fiscal"]
/// cite = "seed.1.2"
/// "#)?;
/// let pay = |id: &str| -> Result<Disbursement, Box<dyn std::error::Error>> { Ok(Disbursement {
///     id: id.parse()?, date: chrono::NaiveDate::from_ymd_opt(2018, 2, 1).unwrap(),
///     source: FundSource::CentralFiscal, category: AidCategory::Living, kind: AidKind::SendingWarmth,
///     household: "HK-1".parse()?, tier: ArchiveTier::National, channel: PaymentChannel::UnionMemberCard,
///     amount: Money::from_yuan(600)?, unit: None, entered: None, order: None, claim: None, campaign: None }) };
/// let (campaigns, h) = (vec![c], bangfu_eligibility::Household::example()?);
/// let mut totals = CampaignTotals::default();
/// let first = pay("p-1")?;
/// assert!(totals.breaches(&campaigns, &first, Some(&h))?.is_empty());
/// totals.add(&campaigns, &first);
/// assert_eq!(bangfu_core::Coded::code(&totals.breaches(&campaigns, &pay("p-2")?, Some(&h))?[0]), "campaign.over_budget");
/// totals.release(&campaigns, &first); // reversed: its amount given back
/// assert!(totals.breaches(&campaigns, &pay("p-2")?, Some(&h))?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CampaignTotals {
    /// Per campaign, what its payments standing came to, in fen.
    spent: HashMap<usize, i128>,
    /// Per campaign and household, what the household's payments standing came to, in fen.
    received: HashMap<(usize, HouseholdId), i128>,
}

impl CampaignTotals {
    /// Counts a payment posted (and standing) in the totals of every campaign it counts in.
    pub fn add(&mut self, campaigns: &[Campaign], d: &Disbursement) {
        self.move_by(campaigns, d, i128::from(d.amount.fen()));
    }

    /// Gives back a payment reversed: the opposite of [`CampaignTotals::add`].
    pub fn release(&mut self, campaigns: &[Campaign], d: &Disbursement) {
        self.move_by(campaigns, d, -i128::from(d.amount.fen()));
    }

    fn move_by(&mut self, campaigns: &[Campaign], d: &Disbursement, fen: i128) {
        for (i, _) in campaigns
            .iter()
            .enumerate()
            .filter(|(_, c)| counts_in(c, d))
        {
            let spent = self.spent.entry(i).or_insert(0);
            *spent = spent.saturating_add(fen);
            let received = self.received.entry((i, d.household.clone())).or_insert(0);
            *received = received.saturating_add(fen);
        }
    }

    /// What campaign `index`'s payments standing came to, in fen.
    pub fn spent(&self, index: usize) -> i128 {
        self.spent.get(&index).copied().unwrap_or(0)
    }

    /// What `household` received from campaign `index`, in fen.
    pub fn received(&self, index: usize, household: &HouseholdId) -> i128 {
        self.received
            .get(&(index, household.clone()))
            .copied()
            .unwrap_or(0)
    }

    /// What `d` breaks of its campaign's rules: [`breaches`] read from the totals (which must
    /// not count `d` itself).
    ///
    /// # Errors
    /// `core.money.overflow` when a total the check reads does not fit in money.
    pub fn breaches(
        &self,
        campaigns: &[Campaign],
        d: &Disbursement,
        household: Option<&Household>,
    ) -> Result<Vec<CampaignError>, bangfu_core::CoreError> {
        self.breaches_without(campaigns, d, household, None)
    }

    /// [`CampaignTotals::breaches`], with `counted` (a payment the totals count that the check
    /// must not, such as an earlier posting of `d`'s id) taken out.
    fn breaches_without(
        &self,
        campaigns: &[Campaign],
        d: &Disbursement,
        household: Option<&Household>,
        counted: Option<&Disbursement>,
    ) -> Result<Vec<CampaignError>, bangfu_core::CoreError> {
        let (index, c) = match campaign_of(campaigns, d) {
            Ok(Some(found)) => found,
            Ok(None) => return Ok(Vec::new()),
            Err(e) => return Ok(vec![e]),
        };
        let out = counted
            .filter(|p| counts_in(c, p))
            .map_or(0, |p| i128::from(p.amount.fen()));
        let out_here = counted
            .filter(|p| counts_in(c, p) && p.household == d.household)
            .map_or(0, |p| i128::from(p.amount.fen()));
        judge(
            c,
            d,
            household,
            || fen_money(self.received(index, &d.household).saturating_sub(out_here)),
            || fen_money(self.spent(index).saturating_sub(out)),
        )
    }
}

/// A total of fen as money: the overflow error of the sum when it does not fit.
pub(crate) fn fen_money(fen: i128) -> Result<Money, bangfu_core::CoreError> {
    let fen =
        i64::try_from(fen).map_err(|_| bangfu_core::CoreError::Overflow { operation: "add" })?;
    Money::from_fen(fen)
}

impl ProgrammeYear {
    /// The campaign rules `d` breaks, as [`breaches`] finds them on the year's ledger, read
    /// from the year's running totals (a payment of the same id already posted, as a union's
    /// history may repeat one, not counted).
    ///
    /// # Errors
    /// `campaign.unknown` for a payment naming a campaign the policy does not have (refused,
    /// never a finding); `core.money.overflow`.
    pub(crate) fn campaign_breaches(
        &self,
        d: &Disbursement,
    ) -> Result<Vec<CampaignError>, crate::YearError> {
        let campaigns = &self.policy().campaigns;
        if let Some(id) = &d.campaign
            && !campaigns.iter().any(|c| c.id.as_ref() == Some(id))
        {
            return Err(CampaignError::Unknown {
                campaign: id.clone(),
            }
            .into());
        }
        if campaigns.is_empty() {
            // Nothing to check: not even the household is looked up.
            return Ok(Vec::new());
        }
        let ledger = self.ledger();
        let same = match ledger.posted(&d.id) {
            Some((Posting::Disbursement(p), _)) if ledger.reversal_of(&p.id).is_none() => Some(p),
            _ => None,
        };
        Ok(self.campaign_totals.breaches_without(
            campaigns,
            d,
            self.household(&d.household),
            same,
        )?)
    }

    /// `statement` with the lines of the campaigns the policy adds named from the policy
    /// (专项活动名称), per source and in the totals.
    pub(crate) fn name_campaigns(
        &self,
        mut statement: bangfu_funding::Statement,
    ) -> bangfu_funding::Statement {
        let campaigns = &self.policy().campaigns;
        let lines = statement
            .sources
            .iter_mut()
            .flat_map(|s| s.campaigns.iter_mut())
            .chain(statement.totals.campaigns.iter_mut());
        for line in lines {
            let Some(id) = &line.campaign else { continue };
            if let Some(c) = campaigns.iter().find(|c| c.id.as_ref() == Some(id)) {
                line.name_zh = Some(c.name_zh.clone());
                line.name_en = Some(c.name_en.clone());
            }
        }
        statement
    }
}

/// The report's section on the campaigns (专项活动情况), in Markdown: each campaign of the
/// statement by its name in the policy (its kind's name when the policy has none), with its
/// window and budget where the policy gives them, what it paid, its person-times, the
/// category it counts in (or a line of its own) and the findings of its payments. Empty when
/// the year paid no campaign and the policy defines none.
///
/// # Example
/// ```
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let text = bangfu_year::campaign::report_section(&year, bangfu_core::Lang::Zh)?;
/// assert!(text.contains("两节送温暖"));
/// assert!(text.contains("966"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// The statement's errors (overflow).
pub fn report_section(
    year: &ProgrammeYear,
    lang: bangfu_core::Lang,
) -> Result<String, crate::YearError> {
    use std::fmt::Write;
    let statement = year.statement()?;
    let campaigns = &year.policy().campaigns;
    let line_ref = |l: &bangfu_funding::CampaignLine| match &l.campaign {
        Some(id) => CampaignRef::Id(id.clone()),
        None => CampaignRef::Kind(l.kind),
    };
    let mut refs: Vec<CampaignRef> = statement.totals.campaigns.iter().map(line_ref).collect();
    for c in campaigns {
        let r = CampaignRef::of_campaign(c);
        if !refs.contains(&r) {
            refs.push(r);
        }
    }
    if refs.is_empty() {
        return Ok(String::new());
    }
    let zh = lang == bangfu_core::Lang::Zh;
    let t = |z: &'static str, e: &'static str| if zh { z } else { e };
    let defects = year.payments().defects;
    let ledger = year.ledger();
    let ref_of = |posting: &str| {
        bangfu_funding::PostingId::new(posting)
            .ok()
            .and_then(|id| match ledger.posted(&id) {
                Some((Posting::Disbursement(d), _)) => Some(CampaignRef::of(d)),
                _ => None,
            })
    };
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", t("专项活动情况", "Campaigns"));
    let _ = writeln!(
        out,
        "| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|",
        t("活动", "Campaign"),
        t("活动期", "Window"),
        t("预算（元）", "Budget (yuan)"),
        t("支出（元）", "Paid (yuan)"),
        t("人次", "Person-times"),
        t("计入", "Counted in"),
        t("问题", "Findings"),
    );
    for r in refs {
        let lines: Vec<&bangfu_funding::CampaignLine> = statement
            .totals
            .campaigns
            .iter()
            .filter(|l| line_ref(l) == r)
            .collect();
        let defined: Vec<&Campaign> = campaigns
            .iter()
            .filter(|c| CampaignRef::of_campaign(c) == r)
            .collect();
        let name = match (defined.first(), &r) {
            (Some(c), _) => c.name(lang).to_owned(),
            (None, CampaignRef::Kind(k)) => k.label(lang).to_owned(),
            (None, CampaignRef::Id(id)) => id.to_string(),
        };
        let window: Vec<String> = defined
            .iter()
            .map(|c| format!("{} – {}", c.from, c.until))
            .collect();
        let budget: Vec<String> = defined
            .iter()
            .filter_map(|c| c.budget.map(|b| b.to_string()))
            .collect();
        let mut counted: Vec<String> = Vec::new();
        for l in &lines {
            let place = match l.counted_in {
                Some(c) => c.label(lang).to_owned(),
                None => t("单列", "its own line").to_owned(),
            };
            if !counted.contains(&place) {
                counted.push(place);
            }
        }
        let paid = Money::sum(lines.iter().map(|l| l.amount))?;
        let times: u64 = lines.iter().map(|l| l.person_times).sum();
        let findings = defects
            .iter()
            .filter(|d| {
                d.kind == crate::DefectKind::Campaign && ref_of(&d.posting).as_ref() == Some(&r)
            })
            .count();
        let _ = writeln!(
            out,
            "| {name} | {} | {} | {paid} | {times} | {} | {findings} |",
            window.join("; "),
            budget.join("; "),
            counted.join("; "),
        );
    }
    out.push('\n');
    Ok(out)
}
