//! The statement (资金收支情况): income, spending, balances and rates per source.

use std::collections::BTreeSet;

use bangfu_core::{
    AidCategory, HouseholdId, Money, Percent, Rate, RoundingRule, RoundingStrategy, Year,
};

use crate::source::{CATEGORIES, INCOME_KINDS, SOURCES, category_index};
use crate::{Budget, CarryoverStatus, FundSource, FundingError, IncomeKind, Posting, YearClose};

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
    /// The amount.
    pub amount: Money,
    /// How many postings.
    pub postings: u64,
    /// How many distinct households (for recoveries; zero for other kinds).
    pub households: u64,
}

/// Spending of one aid category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CategoryLine {
    /// The category.
    pub category: AidCategory,
    /// The amount spent.
    pub amount: Money,
    /// Person-times (人次): the number of payments.
    pub person_times: u64,
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
        rounding: RoundingRule,
    ) -> Result<Totals, FundingError> {
        let budget_total = budget.total()?;
        let income_total = Money::sum(lines.iter().map(|l| l.income))?;
        let spent_total = Money::sum(lines.iter().map(|l| l.spent))?;
        let mut spending = Vec::new();
        for (category, cell) in AidCategory::ALL.iter().zip(total_spend) {
            if cell.count == 0 && !is_main(category) {
                continue;
            }
            spending.push(CategoryLine {
                category: *category,
                amount: Money::from_fen(cell.amount)?,
                person_times: cell.count,
            });
        }
        let arrival = rate(income_total, budget_total, rounding);
        Ok(Totals {
            budget: budget_total,
            income: income_total,
            spent: spent_total,
            balance: income_total.checked_sub(spent_total)?,
            person_times: lines.iter().map(|l| l.person_times).sum(),
            spending,
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
}

#[derive(Clone, Copy)]
struct Cell {
    amount: i64,
    count: u64,
}

const EMPTY: Cell = Cell {
    amount: 0,
    count: 0,
};

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

/// The postings of a year summed per source: income per kind, spending per aid category.
struct Tally<'p> {
    /// Per source, per income kind.
    income: [[Cell; INCOME_KINDS]; SOURCES],
    /// Per source, per aid category.
    spend: [[Cell; CATEGORIES]; SOURCES],
    /// Per source, whether any posting names it.
    touched: [bool; SOURCES],
    /// Per source, the households that repaid (追回) money.
    recovered: [BTreeSet<&'p HouseholdId>; SOURCES],
}

impl<'p> Tally<'p> {
    /// Sums `postings` into their cells, in order.
    fn of(postings: &'p [Posting]) -> Result<Tally<'p>, FundingError> {
        let mut t = Tally {
            income: [[EMPTY; INCOME_KINDS]; SOURCES],
            spend: [[EMPTY; CATEGORIES]; SOURCES],
            touched: [false; SOURCES],
            recovered: Default::default(),
        };
        for p in postings {
            let s = p.source().index();
            let (cell, amount) = match p {
                Posting::Income(i) => {
                    if let (IncomeKind::Recovery, Some(set), Some(h)) =
                        (i.kind, t.recovered.get_mut(s), i.household.as_ref())
                    {
                        set.insert(h);
                    }
                    (
                        t.income.get_mut(s).and_then(|r| r.get_mut(i.kind.index())),
                        i.amount,
                    )
                }
                Posting::Disbursement(d) => (
                    t.spend
                        .get_mut(s)
                        .and_then(|r| r.get_mut(category_index(d.category))),
                    d.amount,
                ),
            };
            if let Some(cell) = cell {
                cell.amount = cell
                    .amount
                    .checked_add(amount.fen())
                    .ok_or_else(add_overflow)?;
                cell.count += 1;
            }
            if let Some(seen) = t.touched.get_mut(s) {
                *seen = true;
            }
        }
        Ok(t)
    }

    /// The income components of the source at index `i`, and what it received in all.
    fn income_components(&self, i: usize) -> Result<(Vec<IncomeComponent>, Money), FundingError> {
        let inc_row = self.income.get(i).copied().unwrap_or([EMPTY; INCOME_KINDS]);
        let mut components = Vec::new();
        let mut received = Money::ZERO;
        for (kind, cell) in IncomeKind::ALL.iter().zip(inc_row) {
            if cell.count == 0 {
                continue;
            }
            let amount = Money::from_fen(cell.amount)?;
            received = received.checked_add(amount)?;
            let households = if *kind == IncomeKind::Recovery {
                self.recovered.get(i).map_or(0, |s| s.len() as u64)
            } else {
                0
            };
            components.push(IncomeComponent {
                kind: *kind,
                amount,
                postings: cell.count,
                households,
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
            if cell.count == 0 && !is_main(category) {
                continue;
            }
            let amount = Money::from_fen(cell.amount)?;
            spent = spent.checked_add(amount)?;
            person_times += cell.count;
            total.amount = total
                .amount
                .checked_add(cell.amount)
                .ok_or_else(add_overflow)?;
            total.count += cell.count;
            spending.push(CategoryLine {
                category: *category,
                amount,
                person_times: cell.count,
            });
        }
        Ok((spending, spent, person_times))
    }
}

impl Statement {
    /// Computes the statement of `postings` (which should all be of `year`).
    ///
    /// # Errors
    /// `core.money.overflow` if sums overflow; `core.money.negative` if the postings spend
    /// more than they receive for a source (postings accepted by a
    /// [`Ledger`](crate::Ledger) never do).
    pub fn from_postings(
        year: Year,
        postings: &[Posting],
        budget: &Budget,
        close: Option<&YearClose>,
        options: StatementOptions,
    ) -> Result<Statement, FundingError> {
        let tally = Tally::of(postings)?;
        let rounding = options.percent_rounding;
        let mut lines = Vec::new();
        let mut total_spend = [EMPTY; CATEGORIES];
        for (i, &source) in FundSource::ALL.iter().enumerate() {
            let budget_line = budget.line(source);
            if !tally.touched.get(i).copied().unwrap_or(false) && budget_line.is_none() {
                continue;
            }
            let (components, received) = tally.income_components(i)?;
            let (spending, spent, person_times) = tally.spending(i, &mut total_spend)?;
            let balance = received.checked_sub(spent)?;
            lines.push(SourceLine {
                source,
                budget: budget_line,
                income: received,
                income_components: components,
                spending,
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
        let totals = Totals::of(&lines, budget, total_spend, rounding)?;
        Ok(Statement {
            year,
            sources: lines,
            totals,
        })
    }

    /// The line of one source.
    pub fn source(&self, source: FundSource) -> Option<&SourceLine> {
        self.sources.iter().find(|l| l.source == source)
    }
}
