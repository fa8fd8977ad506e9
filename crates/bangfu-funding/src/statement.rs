//! The statement (资金收支情况): income, spending, balances and rates per source.

use std::collections::{BTreeMap, HashMap, HashSet};

use bangfu_core::{
    AidCategory, AidKind, HouseholdId, Money, NaiveDate, Percent, Rate, RoundingRule,
    RoundingStrategy, Year,
};

use crate::source::{CATEGORIES, INCOME_KINDS, SOURCES, category_index};
use crate::{
    Budget, CampaignId, CarryoverStatus, FundSource, FundingError, IncomeKind, Posting, PostingId,
    Reversal, YearClose,
};

/// A rate with its percentage rounded for reporting.
///
/// # Example
/// ```
/// use bangfu_core::{Rate, RoundingRule, RoundingStrategy};
/// use bangfu_funding::RateFigure;
/// let f = RateFigure::new(Rate::parse("0.96329")?, RoundingRule::new(RoundingStrategy::HalfUp, 2));
/// assert_eq!(f.percent.to_string(), "96.33 %");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RateFigure {
    /// The exact ratio.
    pub ratio: Rate,
    /// The percentage, rounded by the statement's rule.
    pub percent: Percent,
}

impl RateFigure {
    /// A figure from a ratio and a rounding rule for its percentage.
    pub fn new(ratio: Rate, rounding: RoundingRule) -> RateFigure {
        RateFigure {
            ratio,
            percent: ratio.percent_rounded(rounding),
        }
    }
}

/// One kind of income of a source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct IncomeComponent {
    /// The kind.
    pub kind: IncomeKind,
    /// The amount, net of reversals.
    pub amount: Money,
    /// How many postings, reversed ones not counted.
    pub postings: u64,
    /// How many distinct households (for recoveries; zero for other kinds).
    pub households: u64,
    /// What reversals (冲正) took back from this kind: shown beside the amount, never in
    /// it. Absent from JSON when nothing was reversed.
    #[serde(default, skip_serializing_if = "Reversed::is_none")]
    pub reversed: Reversed,
}

/// What reversals took back from a line of the statement (冲正): the amount and how many
/// postings. The line's own figures are net of it.
///
/// # Example
/// ```
/// let r = bangfu_funding::Reversed::default();
/// assert!(r.is_none() && r.amount.is_zero());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reversed {
    /// The amount reversed.
    pub amount: Money,
    /// The postings reversed (for spending, the person-times taken back).
    pub postings: u64,
}

impl Reversed {
    /// Whether nothing was reversed.
    pub fn is_none(&self) -> bool {
        self.postings == 0
    }
}

/// Spending of one aid category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CategoryLine {
    /// The category.
    pub category: AidCategory,
    /// The amount spent, net of reversals.
    pub amount: Money,
    /// Person-times (人次): the number of payments, reversed ones not counted.
    pub person_times: u64,
    /// What reversals (冲正) took back from this category, beside the figures above. Absent
    /// from JSON when nothing was reversed.
    #[serde(default, skip_serializing_if = "Reversed::is_none")]
    pub reversed: Reversed,
}

/// The position of `kind` in [`AidKind::ALL`].
fn kind_index(kind: AidKind) -> usize {
    AidKind::ALL.iter().position(|k| *k == kind).unwrap_or(0)
}

/// Whether payments of `kind` are a campaign's (专项活动), each with its own statement line:
/// two-festivals sending warmth (两节送温暖) and female-worker care (女职工关爱行动). A payment
/// of another kind is a campaign's when it names one ([`crate::Disbursement::campaign`]).
pub fn is_campaign(kind: AidKind) -> bool {
    matches!(kind, AidKind::SendingWarmth | AidKind::FemaleWorkerCare)
}

/// The category a campaign's payments count in, beside the campaign's own line: sending
/// warmth in its payment's category (the seed counts it inside living aid), female-worker
/// care in none (it is never living aid: a line of its own, added to the spending of its
/// source).
///
/// ```
/// use bangfu_core::{AidCategory, AidKind};
/// use bangfu_funding::counted_in;
/// assert_eq!(counted_in(AidKind::SendingWarmth, AidCategory::Living), Some(AidCategory::Living));
/// assert_eq!(counted_in(AidKind::FemaleWorkerCare, AidCategory::Living), None);
/// ```
pub fn counted_in(kind: AidKind, category: AidCategory) -> Option<AidCategory> {
    match kind {
        AidKind::FemaleWorkerCare => None,
        _ => Some(category),
    }
}

/// The category a payment counts in: none for a payment naming a campaign a policy adds (a
/// line of its own, never inside living aid or another category), else [`counted_in`].
fn place_category(
    kind: AidKind,
    campaign: Option<&CampaignId>,
    category: AidCategory,
) -> Option<AidCategory> {
    match campaign {
        Some(_) => None,
        None => counted_in(kind, category),
    }
}

/// The line of one campaign (专项活动), per source and over all sources: its payments'
/// amount and person-times, and the category they also count in (`None`: a line of its own,
/// outside every category, added to the spending of its source). A campaign a policy adds
/// has a line per id ([`CampaignLine::campaign`]), its payments counted in no category (a
/// line of its own, as female-worker care's); the year names it from its policy
/// ([`CampaignLine::name_zh`], [`CampaignLine::name_en`]).
///
/// # Example
/// ```
/// use bangfu_core::{AidCategory, AidKind, ArchiveTier, Money, PaymentChannel, Year};
/// use bangfu_funding::{Budget, Disbursement, FundSource, Income, IncomeKind, Posting, Statement};
/// let day = chrono::NaiveDate::from_ymd_opt(2018, 3, 8).unwrap();
/// let pay = |id: &str, kind: AidKind| -> Result<Posting, Box<dyn std::error::Error>> { Ok(Disbursement {
///     id: id.parse()?, date: day, source: FundSource::CentralFiscal, category: AidCategory::Living,
///     kind, household: "HK-1".parse()?, tier: ArchiveTier::National,
///     channel: PaymentChannel::UnionMemberCard, amount: Money::from_yuan(500)?,
///     unit: None, entered: None, order: None, claim: None, campaign: None }.into()) };
/// let income = Income::new("i".parse()?, day, FundSource::CentralFiscal, IncomeKind::Allocation, Money::from_yuan(5000)?);
/// let postings = vec![income.into(), pay("p-1", AidKind::Regular)?, pay("p-2", AidKind::FemaleWorkerCare)?];
/// let s = Statement::from_postings(Year::new(2018)?, &postings, &Budget::new(Year::new(2018)?, [])?, None, Default::default())?;
/// let care = &s.totals.campaigns[0];
/// assert_eq!((care.kind, care.counted_in, care.person_times), (AidKind::FemaleWorkerCare, None, 1));
/// assert_eq!(s.totals.category(AidCategory::Living).amount, Money::from_yuan(500)?);
/// assert_eq!(s.totals.spent, Money::from_yuan(1000)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CampaignLine {
    /// The campaign's kind (for a campaign a policy adds, its payments' kind).
    pub kind: AidKind,
    /// The campaign a policy adds, by its id; absent for a built-in kind's payments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub campaign: Option<CampaignId>,
    /// Its name in Chinese, from the policy (the year fills it for a campaign with an id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_zh: Option<String>,
    /// Its name in English, from the policy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name_en: Option<String>,
    /// The category its payments also count in; `None` when they count in none.
    pub counted_in: Option<AidCategory>,
    /// The amount paid, net of reversals.
    pub amount: Money,
    /// Person-times (人次).
    pub person_times: u64,
    /// What reversals took back. Absent from JSON when nothing was reversed.
    #[serde(default, skip_serializing_if = "Reversed::is_none")]
    pub reversed: Reversed,
}

impl CampaignLine {
    /// The campaign's name in `lang`: the policy's, else its id, else its kind's.
    ///
    /// ```
    /// use bangfu_core::{AidKind, Lang, Money};
    /// let line = bangfu_funding::CampaignLine { kind: AidKind::SendingWarmth, campaign: None,
    ///     name_zh: None, name_en: None, counted_in: None, amount: Money::ZERO, person_times: 0,
    ///     reversed: Default::default() };
    /// assert_eq!(line.name(Lang::Zh), "两节送温暖");
    /// ```
    pub fn name(&self, lang: bangfu_core::Lang) -> &str {
        use bangfu_core::Labelled;
        let named = match lang {
            bangfu_core::Lang::Zh => self.name_zh.as_deref(),
            bangfu_core::Lang::En => self.name_en.as_deref(),
        };
        named
            .or(self.campaign.as_ref().map(CampaignId::as_str))
            .unwrap_or_else(|| self.kind.label(lang))
    }
}

/// A campaign line's key: its kind's position and, for a campaign a policy adds, its id
/// (lines in kind order, a kind's own payments before the ids').
type CampaignKey = (usize, Option<CampaignId>);

/// The campaign lines of `cells` (one per campaign) with payments, in key order.
fn campaign_lines(
    cells: &BTreeMap<CampaignKey, Cell>,
    category: &BTreeMap<CampaignKey, Option<AidCategory>>,
) -> Result<Vec<CampaignLine>, FundingError> {
    let mut out = Vec::new();
    for (key, cell) in cells {
        if !cell.used() {
            continue;
        }
        let (k, campaign) = key;
        out.push(CampaignLine {
            kind: AidKind::ALL.get(*k).copied().unwrap_or(AidKind::Regular),
            campaign: campaign.clone(),
            name_zh: None,
            name_en: None,
            counted_in: category.get(key).copied().flatten(),
            amount: cell.net()?,
            person_times: cell.count,
            reversed: cell.reversed()?,
        });
    }
    Ok(out)
}

/// What a reversal reversed: an income of a kind or a payment of a category.
///
/// # Example
/// ```
/// use bangfu_funding::{IncomeKind, ReversedPosting};
/// let r = ReversedPosting::Income { kind: IncomeKind::Allocation };
/// assert_eq!(serde_json::to_string(&r)?, r#"{"type":"income","kind":"allocation"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReversedPosting {
    /// An income of this kind.
    Income {
        /// The income's kind.
        kind: IncomeKind,
    },
    /// A payment of this category.
    Disbursement {
        /// The payment's category.
        category: AidCategory,
    },
}

/// One reversal in the statement (冲正明细), beside the posting it reverses.
///
/// # Example
/// See [`Statement`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReversalLine {
    /// The reversal's id.
    pub id: PostingId,
    /// The reversal's date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(serialize_with = "bangfu_core::iso_date::serialize")]
    pub date: NaiveDate,
    /// The posting it reverses.
    pub reverses: PostingId,
    /// That posting's date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(serialize_with = "bangfu_core::iso_date::serialize")]
    pub reversed_date: NaiveDate,
    /// The source.
    pub source: FundSource,
    /// What the reversed posting was.
    pub reversed: ReversedPosting,
    /// The amount taken back.
    pub amount: Money,
    /// The reason, quoted as caller text ([`bangfu_core::read::quote`]: cut, digit runs
    /// masked).
    pub reason: String,
}

/// The statement line of one fund source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SourceLine {
    /// The source.
    pub source: FundSource,
    /// Its budget line, if any.
    pub budget: Option<Money>,
    /// Income received (到位资金).
    pub income: Money,
    /// Income by kind, only kinds with postings.
    pub income_components: Vec<IncomeComponent>,
    /// Spending by category: living, medical and education always, other categories when
    /// they have payments.
    pub spending: Vec<CategoryLine>,
    /// The campaigns' lines (两节送温暖, 女职工关爱行动), when the source paid any. A campaign
    /// counted in no category adds to `spent` and `person_times` beside the categories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub campaigns: Vec<CampaignLine>,
    /// Total spent.
    pub spent: Money,
    /// Total person-times.
    pub person_times: u64,
    /// Income − spending.
    pub balance: Money,
    /// Received ÷ budget, when there is a budget line.
    pub arrival_rate: Option<RateFigure>,
    /// Spent ÷ received, when anything was received.
    pub execution_rate: Option<RateFigure>,
    /// What happens to the balance, when the statement was given a close.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub carryover: Option<CarryoverStatus>,
}

impl SourceLine {
    /// The spending line of a category (zero if the category had no payments).
    pub fn category(&self, category: AidCategory) -> CategoryLine {
        line_of(&self.spending, category)
    }

    /// The income component of a kind, if the source had any.
    pub fn component(&self, kind: IncomeKind) -> Option<&IncomeComponent> {
        self.income_components.iter().find(|c| c.kind == kind)
    }
}

/// The line of `category` in `lines`, or a zero line.
pub(crate) fn line_of(lines: &[CategoryLine], category: AidCategory) -> CategoryLine {
    lines
        .iter()
        .find(|l| l.category == category)
        .copied()
        .unwrap_or(CategoryLine {
            category,
            amount: Money::ZERO,
            person_times: 0,
            reversed: Reversed::default(),
        })
}

/// Totals over all sources.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Totals {
    /// Total budget.
    pub budget: Money,
    /// Total received.
    pub income: Money,
    /// Total spent.
    pub spent: Money,
    /// Total balance.
    pub balance: Money,
    /// Total person-times.
    pub person_times: u64,
    /// Spending by category over all sources.
    pub spending: Vec<CategoryLine>,
    /// The campaigns' lines over all sources.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub campaigns: Vec<CampaignLine>,
    /// Received ÷ budget, unrounded and uncapped (102.28 % for Hainan 2018).
    pub arrival_rate: Option<RateFigure>,
    /// The arrival rate capped at 100 %, as reports usually state it.
    pub arrival_rate_capped: Option<RateFigure>,
    /// Spent ÷ received (预算执行率).
    pub execution_rate: Option<RateFigure>,
}

impl Totals {
    /// The spending line of a category over all sources.
    pub fn category(&self, category: AidCategory) -> CategoryLine {
        line_of(&self.spending, category)
    }

    /// The totals of the source `lines`, with `total_spend` their spending per category.
    fn of(
        lines: &[SourceLine],
        budget: &Budget,
        total_spend: [Cell; CATEGORIES],
        campaigns: Vec<CampaignLine>,
        rounding: RoundingRule,
    ) -> Result<Totals, FundingError> {
        let budget_total = budget.total()?;
        let income_total = Money::sum(lines.iter().map(|l| l.income))?;
        let spent_total = Money::sum(lines.iter().map(|l| l.spent))?;
        let mut spending = Vec::new();
        for (category, cell) in AidCategory::ALL.iter().zip(total_spend) {
            if !cell.used() && !is_main(category) {
                continue;
            }
            spending.push(cell.line(*category)?);
        }
        let arrival = rate(income_total, budget_total, rounding);
        Ok(Totals {
            budget: budget_total,
            income: income_total,
            spent: spent_total,
            balance: income_total.checked_sub(spent_total)?,
            person_times: lines.iter().map(|l| l.person_times).sum(),
            spending,
            campaigns,
            arrival_rate: arrival,
            arrival_rate_capped: arrival.map(|a| RateFigure::new(a.ratio.min(Rate::ONE), rounding)),
            execution_rate: rate(spent_total, income_total, rounding),
        })
    }
}

/// Options of a statement.
///
/// # Example
/// ```
/// let o = bangfu_funding::StatementOptions::default();
/// assert_eq!(o.percent_rounding.places, 2);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct StatementOptions {
    /// How reported percentages are rounded: half up to two decimals by default
    /// (`96.33 %`). The exact ratios are kept beside them.
    pub percent_rounding: RoundingRule,
}

impl Default for StatementOptions {
    fn default() -> Self {
        StatementOptions {
            percent_rounding: RoundingRule::new(RoundingStrategy::HalfUp, 2),
        }
    }
}

/// The statement of a fund for a year (帮扶资金收支情况), computed from postings.
///
/// # Example
/// ```
/// use bangfu_core::{Money, Year};
/// use bangfu_funding::{Budget, FundSource, Income, IncomeKind, PostingId, Statement};
/// let year = Year::new(2018)?;
/// let budget = Budget::new(year, [(FundSource::CentralFiscal, Money::parse_wan("270")?)])?;
/// let income = Income::new(PostingId::new("i")?, chrono::NaiveDate::from_ymd_opt(2018, 1, 5).unwrap(),
///     FundSource::CentralFiscal, IncomeKind::Allocation, Money::parse_wan("271.1267")?);
/// let s = Statement::from_postings(year, &[income.into()], &budget, None, Default::default())?;
/// assert_eq!(s.totals.arrival_rate.unwrap().percent.to_string(), "100.42 %");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Statement {
    /// The year.
    pub year: Year,
    /// One line per source with postings or a budget line, in source order.
    pub sources: Vec<SourceLine>,
    /// Totals.
    pub totals: Totals,
    /// The reversals (冲正) of the year, in posting order, each beside the posting it
    /// reverses. Absent from JSON when there are none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reversals: Vec<ReversalLine>,
}

/// The postings of one line: the net amount and count, and what reversals took back. The sums
/// run in `i128` fen, so that the order of the postings cannot make one overflow on the way
/// (an income reversed later may pass the largest amount first); only what is shown must fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cell {
    amount: i128,
    count: u64,
    reversed_amount: i128,
    reversed_count: u64,
}

const EMPTY: Cell = Cell {
    amount: 0,
    count: 0,
    reversed_amount: 0,
    reversed_count: 0,
};

/// An amount of `i128` fen as money, or the overflow error.
fn money(fen: i128) -> Result<Money, FundingError> {
    let fen = i64::try_from(fen).map_err(|_| add_overflow())?;
    Ok(Money::from_fen(fen)?)
}

impl Cell {
    /// Whether any posting touched the line, reversed or not.
    fn used(&self) -> bool {
        self.count > 0 || self.reversed_count > 0
    }

    /// Counts a posting of `fen`.
    fn post(&mut self, fen: i64) {
        self.amount += i128::from(fen);
        self.count += 1;
    }

    /// Takes back a reversed posting of `fen` (counted before in this cell).
    fn reverse(&mut self, fen: i64) {
        self.amount -= i128::from(fen);
        self.count = self.count.saturating_sub(1);
        self.reversed_amount += i128::from(fen);
        self.reversed_count += 1;
    }

    /// The net amount.
    fn net(&self) -> Result<Money, FundingError> {
        money(self.amount)
    }

    fn reversed(&self) -> Result<Reversed, FundingError> {
        Ok(Reversed {
            amount: money(self.reversed_amount)?,
            postings: self.reversed_count,
        })
    }

    /// The spending line of `category` from this cell.
    fn line(&self, category: AidCategory) -> Result<CategoryLine, FundingError> {
        Ok(CategoryLine {
            category,
            amount: self.net()?,
            person_times: self.count,
            reversed: self.reversed()?,
        })
    }

    /// Adds `other` to this cell.
    fn add(&mut self, other: &Cell) {
        self.amount += other.amount;
        self.reversed_amount += other.reversed_amount;
        self.count += other.count;
        self.reversed_count += other.reversed_count;
    }
}

/// Where a posting that a later reversal names was counted (owned: a folding ledger keeps it
/// for postings it no longer holds).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Place {
    pub(crate) date: NaiveDate,
    pub(crate) what: ReversedPosting,
    /// For a payment, its kind.
    pub(crate) kind: Option<AidKind>,
    /// For a payment, the campaign it names.
    pub(crate) campaign: Option<CampaignId>,
    /// For a recovery, the household it came from.
    pub(crate) household: Option<HouseholdId>,
}

/// The overflow error of a sum of fen.
fn add_overflow() -> FundingError {
    FundingError::Core(bangfu_core::CoreError::Overflow { operation: "add" })
}

/// `num / den` with its percentage rounded by `rounding`; `None` when `den` is zero.
fn rate(num: Money, den: Money, rounding: RoundingRule) -> Option<RateFigure> {
    Rate::ratio(num, den)
        .ok()
        .map(|r| RateFigure::new(r, rounding))
}

/// Whether `category` is one of the three main ones, listed even without spending.
fn is_main(category: &AidCategory) -> bool {
    matches!(
        category,
        AidCategory::Living | AidCategory::Medical | AidCategory::Education
    )
}

/// The postings of a year summed per source: income per kind, spending per aid category,
/// and the reversals beside the lines of the postings they reverse. A fold: each posting is
/// added as it comes ([`Tally::add`]), so that a ledger that keeps no postings
/// ([`crate::Folded`]) sums them as it posts them, by the one implementation
/// [`Statement::from_postings`] uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Per source, per income kind.
    income: [[Cell; INCOME_KINDS]; SOURCES],
    /// Per source, per aid category.
    spend: [[Cell; CATEGORIES]; SOURCES],
    /// Per campaign, per source.
    campaigns: BTreeMap<CampaignKey, [Cell; SOURCES]>,
    /// Per campaign, the category its payments count in (the last payment's).
    campaign_category: BTreeMap<CampaignKey, Option<AidCategory>>,
    /// Per source, whether any posting names it.
    touched: [bool; SOURCES],
    /// Per source, the households that repaid (追回) money, with their recoveries not
    /// reversed.
    recovered: [BTreeMap<HouseholdId, u64>; SOURCES],
    /// The reversals, in order.
    reversals: Vec<ReversalLine>,
}

impl Default for Tally {
    fn default() -> Tally {
        Tally {
            income: [[EMPTY; INCOME_KINDS]; SOURCES],
            spend: [[EMPTY; CATEGORIES]; SOURCES],
            campaigns: BTreeMap::new(),
            campaign_category: BTreeMap::new(),
            touched: [false; SOURCES],
            recovered: Default::default(),
            reversals: Vec::new(),
        }
    }
}

/// Where an income or a payment is counted (a reversal is counted where the posting it
/// reverses was).
pub(crate) fn place_of(p: &Posting) -> Option<Place> {
    match p {
        Posting::Income(i) => Some(Place {
            date: i.date,
            what: ReversedPosting::Income { kind: i.kind },
            kind: None,
            campaign: None,
            household: match (i.kind, i.household.as_ref()) {
                (IncomeKind::Recovery, Some(h)) => Some(h.clone()),
                _ => None,
            },
        }),
        Posting::Disbursement(d) => Some(Place {
            date: d.date,
            what: ReversedPosting::Disbursement {
                category: d.category,
            },
            kind: Some(d.kind),
            campaign: d.campaign.clone(),
            household: None,
        }),
        Posting::Reversal(_) => None,
    }
}

impl Tally {
    /// Sums `postings` into their cells, in order.
    pub(crate) fn of(postings: &[Posting]) -> Result<Tally, FundingError> {
        let mut t = Tally::default();
        // The postings that a reversal names, and where each was counted: usually none.
        let named: HashSet<&PostingId> = postings
            .iter()
            .filter_map(|p| match p {
                Posting::Reversal(r) => Some(&r.reverses),
                _ => None,
            })
            .collect();
        let mut places: HashMap<&PostingId, Place> = HashMap::new();
        for p in postings {
            match p {
                Posting::Reversal(r) => {
                    let place =
                        places
                            .get(&r.reverses)
                            .ok_or_else(|| FundingError::ReversalUnknown {
                                reverses: r.reverses.clone(),
                            })?;
                    t.add_reversal(r, place);
                }
                _ => {
                    if let Some(place) = place_of(p) {
                        t.add(&place, p.source(), p.amount());
                        if named.contains(p.id()) {
                            places.insert(p.id(), place);
                        }
                    }
                }
            }
        }
        Ok(t)
    }

    /// The sources the postings name.
    pub(crate) fn touched(&self) -> [bool; SOURCES] {
        self.touched
    }

    /// Counts an income or a payment of `amount` from `source`, counted at `place`
    /// ([`place_of`]).
    pub(crate) fn add(&mut self, place: &Place, source: FundSource, amount: Money) {
        self.count(place, source, amount, None);
    }

    /// Counts reversal `r` of the posting counted at `place`.
    pub(crate) fn add_reversal(&mut self, r: &Reversal, place: &Place) {
        self.count(place, r.source, r.amount, Some(r));
    }

    /// Counts `p` as a ledger takes it: a reversal where the posting it reverses was counted
    /// (`reversed`; not counted when unknown), any other posting at its own place.
    pub(crate) fn take(&mut self, p: &Posting, reversed: Option<Place>) {
        match p {
            Posting::Reversal(r) => {
                if let Some(place) = reversed {
                    self.add_reversal(r, &place);
                }
            }
            other => {
                if let Some(place) = place_of(other) {
                    self.add(&place, other.source(), other.amount());
                }
            }
        }
    }

    fn count(
        &mut self,
        place: &Place,
        source: FundSource,
        amount: Money,
        reversal: Option<&Reversal>,
    ) {
        let s = source.index();
        if let (Some(kind), ReversedPosting::Disbursement { category }) = (place.kind, place.what)
            && (is_campaign(kind) || place.campaign.is_some())
        {
            let key = (kind_index(kind), place.campaign.clone());
            let category = place_category(kind, place.campaign.as_ref(), category);
            let row = match self.campaigns.get_mut(&key) {
                Some(row) => row,
                None => self
                    .campaigns
                    .entry(key.clone())
                    .or_insert([EMPTY; SOURCES]),
            };
            if let Some(c) = row.get_mut(s) {
                match reversal {
                    None => c.post(amount.fen()),
                    Some(_) => c.reverse(amount.fen()),
                }
            }
            self.campaign_category.insert(key, category);
        }
        let cell = match place.what {
            ReversedPosting::Income { kind } => {
                self.income.get_mut(s).and_then(|r| r.get_mut(kind.index()))
            }
            ReversedPosting::Disbursement { category } => {
                match place.kind.map_or(Some(category), |k| {
                    place_category(k, place.campaign.as_ref(), category)
                }) {
                    Some(c) => self
                        .spend
                        .get_mut(s)
                        .and_then(|r| r.get_mut(category_index(c))),
                    // A campaign of its own line: counted above, in no category.
                    None => None,
                }
            }
        };
        match (cell, reversal) {
            (Some(c), None) => c.post(amount.fen()),
            (Some(c), Some(_)) => c.reverse(amount.fen()),
            (None, _) if place.kind.is_none() => return,
            (None, _) => {}
        }
        if let (Some(h), Some(set)) = (place.household.as_ref(), self.recovered.get_mut(s)) {
            match set.get_mut(h) {
                Some(n) if reversal.is_some() => *n = n.saturating_sub(1),
                Some(n) => *n += 1,
                None => {
                    set.insert(h.clone(), u64::from(reversal.is_none()));
                }
            }
        }
        if let Some(r) = reversal {
            self.reversals.push(ReversalLine {
                id: r.id.clone(),
                date: r.date,
                reverses: r.reverses.clone(),
                reversed_date: place.date,
                source: r.source,
                reversed: place.what,
                amount: r.amount,
                reason: bangfu_core::read::quote(&r.reason),
            });
        }
        if let Some(seen) = self.touched.get_mut(s) {
            *seen = true;
        }
    }

    /// The income components of the source at index `i`, and what it received in all.
    fn income_components(&self, i: usize) -> Result<(Vec<IncomeComponent>, Money), FundingError> {
        let inc_row = self.income.get(i).copied().unwrap_or([EMPTY; INCOME_KINDS]);
        let mut components = Vec::new();
        let mut received = Money::ZERO;
        for (kind, cell) in IncomeKind::ALL.iter().zip(inc_row) {
            if !cell.used() {
                continue;
            }
            let (amount, postings) = (cell.net()?, cell.count);
            received = received.checked_add(amount)?;
            let households = if *kind == IncomeKind::Recovery {
                self.recovered
                    .get(i)
                    .map_or(0, |s| s.values().filter(|n| **n > 0).count() as u64)
            } else {
                0
            };
            components.push(IncomeComponent {
                kind: *kind,
                amount,
                postings,
                households,
                reversed: cell.reversed()?,
            });
        }
        Ok((components, received))
    }

    /// The spending lines, spending and person-times of source `i`, added to `total_spend`.
    fn spending(
        &self,
        i: usize,
        total_spend: &mut [Cell; CATEGORIES],
    ) -> Result<(Vec<CategoryLine>, Money, u64), FundingError> {
        let spend_row = self.spend.get(i).copied().unwrap_or([EMPTY; CATEGORIES]);
        let mut spending = Vec::new();
        let mut spent = Money::ZERO;
        let mut person_times = 0u64;
        for ((category, cell), total) in AidCategory::ALL
            .iter()
            .zip(spend_row)
            .zip(total_spend.iter_mut())
        {
            if !cell.used() && !is_main(category) {
                continue;
            }
            let line = cell.line(*category)?;
            spent = spent.checked_add(line.amount)?;
            person_times += line.person_times;
            total.add(&cell);
            spending.push(line);
        }
        Ok((spending, spent, person_times))
    }

    /// The campaign lines of source `i`, and what its campaigns counted in no category add to
    /// its spending and person-times; `totals` gathers the cells over the sources.
    fn campaigns(
        &self,
        i: usize,
        totals: &mut BTreeMap<CampaignKey, Cell>,
    ) -> Result<(Vec<CampaignLine>, Money, u64), FundingError> {
        let mut row = BTreeMap::new();
        for (key, cells) in &self.campaigns {
            let cell = cells.get(i).copied().unwrap_or(EMPTY);
            totals.entry(key.clone()).or_insert(EMPTY).add(&cell);
            row.insert(key.clone(), cell);
        }
        let lines = campaign_lines(&row, &self.campaign_category)?;
        let mut own = Money::ZERO;
        let mut times = 0u64;
        for l in lines.iter().filter(|l| l.counted_in.is_none()) {
            own = own.checked_add(l.amount)?;
            times += l.person_times;
        }
        Ok((lines, own, times))
    }
}

impl Statement {
    /// Computes the statement of `postings` (which should all be of `year`).
    ///
    /// # Errors
    /// `core.money.overflow` if sums overflow; `core.money.negative` if the postings spend
    /// more than they receive for a source; `funding.reversal_unknown` for a reversal that
    /// names no earlier posting (postings accepted by a [`Ledger`](crate::Ledger) never do
    /// either).
    pub fn from_postings(
        year: Year,
        postings: &[Posting],
        budget: &Budget,
        close: Option<&YearClose>,
        options: StatementOptions,
    ) -> Result<Statement, FundingError> {
        Statement::from_tally(year, Tally::of(postings)?, budget, close, options)
    }

    /// The statement of the postings summed in `tally`.
    pub(crate) fn from_tally(
        year: Year,
        mut tally: Tally,
        budget: &Budget,
        close: Option<&YearClose>,
        options: StatementOptions,
    ) -> Result<Statement, FundingError> {
        let rounding = options.percent_rounding;
        let mut lines = Vec::new();
        let mut total_spend = [EMPTY; CATEGORIES];
        let mut total_campaigns = BTreeMap::new();
        for (i, &source) in FundSource::ALL.iter().enumerate() {
            let budget_line = budget.line(source);
            if !tally.touched.get(i).copied().unwrap_or(false) && budget_line.is_none() {
                continue;
            }
            let (components, received) = tally.income_components(i)?;
            let (spending, spent, person_times) = tally.spending(i, &mut total_spend)?;
            let (campaigns, own_spent, own_times) = tally.campaigns(i, &mut total_campaigns)?;
            let spent = spent.checked_add(own_spent)?;
            let person_times = person_times + own_times;
            let balance = received.checked_sub(spent)?;
            lines.push(SourceLine {
                source,
                budget: budget_line,
                income: received,
                income_components: components,
                spending,
                campaigns,
                spent,
                person_times,
                balance,
                arrival_rate: budget_line.and_then(|b| rate(received, b, rounding)),
                execution_rate: rate(spent, received, rounding),
                carryover: close
                    .and_then(|c| c.source(source))
                    .map(|c| c.carryover.clone()),
            });
        }
        let campaigns = campaign_lines(&total_campaigns, &tally.campaign_category)?;
        let totals = Totals::of(&lines, budget, total_spend, campaigns, rounding)?;
        Ok(Statement {
            year,
            sources: lines,
            totals,
            reversals: std::mem::take(&mut tally.reversals),
        })
    }

    /// The line of one source.
    pub fn source(&self, source: FundSource) -> Option<&SourceLine> {
        self.sources.iter().find(|l| l.source == source)
    }
}
