//! The year's budget (预算) per fund source.

use std::collections::BTreeMap;

use bangfu_core::{Money, NaiveDate, Year};

use crate::{FundSource, FundingError, FundingPolicy};

/// The budget (年度预算) of a year: the planned amount per fund source.
///
/// In a file (TOML) it is written with amounts in yuan:
///
/// ```toml
/// year = 2018
/// [lines]
/// central_fiscal = "2700000.00"
/// provincial_fiscal = "2300000.00"
/// provincial_union_funds = "6000000.00"
/// ```
///
/// # Example
/// ```
/// use bangfu_core::{Money, Year};
/// use bangfu_funding::{Budget, FundSource};
/// let budget = Budget::new(Year::new(2018)?, [
///     (FundSource::CentralFiscal, Money::parse_wan("270")?),
///     (FundSource::ProvincialFiscal, Money::parse_wan("230")?),
///     (FundSource::ProvincialUnionFunds, Money::parse_wan("600")?),
/// ])?;
/// assert_eq!(budget.total()?.wan().to_string(), "1100");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Budget {
    /// The year.
    pub year: Year,
    /// The planned amount per source.
    pub lines: BTreeMap<FundSource, Money>,
    /// Carry-over approvals of the year's close (结转批复), kept with the plan they amend.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub carryover_approvals: Vec<CarryoverApproval>,
}

impl Budget {
    /// A budget from its lines.
    ///
    /// # Errors
    /// [`FundingError::DuplicateBudgetLine`] when a source appears twice.
    pub fn new(
        year: Year,
        lines: impl IntoIterator<Item = (FundSource, Money)>,
    ) -> Result<Budget, FundingError> {
        let mut map = BTreeMap::new();
        for (source, amount) in lines {
            if map.insert(source, amount).is_some() {
                return Err(FundingError::DuplicateBudgetLine { fund: source });
            }
        }
        Ok(Budget {
            year,
            lines: map,
            carryover_approvals: Vec::new(),
        })
    }

    /// The planned amount of a source, if it has a line.
    pub fn line(&self, source: FundSource) -> Option<Money> {
        self.lines.get(&source).copied()
    }

    /// Checks the budget against the policy's funding section: every line must name a
    /// source the policy has in the budget's year (listed, with an earmark in force by the
    /// year's last day). A budget is read without the policy, so this is where a line for
    /// an unknown source is caught, before a statement divides by it.
    ///
    /// # Errors
    /// [`FundingError::BudgetUnknownSource`] for the first such line, in source order.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Coded, Money, Year};
    /// use bangfu_funding::{Budget, FundSource, FundingPolicy};
    /// # let policy: FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
    /// let year = Year::new(2018)?;
    /// let known = Budget::new(year, [(FundSource::CentralFiscal, Money::parse_wan("270")?)])?;
    /// assert!(known.check(&policy).is_ok());
    /// let unknown = Budget::new(year, [(FundSource::Donation, Money::parse_yuan("195.85")?)])?;
    /// assert_eq!(unknown.check(&policy).unwrap_err().code(), "funding.budget_unknown_source");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, policy: &FundingPolicy) -> Result<(), FundingError> {
        let last_day = self.year.period().end();
        match self
            .lines
            .keys()
            .find(|&&source| policy.earmark(source, last_day).is_err())
        {
            Some(&fund) => Err(FundingError::BudgetUnknownSource {
                fund,
                year: self.year.number(),
            }),
            None => Ok(()),
        }
    }

    /// The total planned.
    ///
    /// # Errors
    /// `core.money.overflow`.
    pub fn total(&self) -> Result<Money, FundingError> {
        Ok(Money::sum(self.lines.values().copied())?)
    }
}

/// A written approval to carry a source's positive balance into the next year (结转批复).
///
/// # Example
/// ```
/// use bangfu_core::Money;
/// use bangfu_funding::{CarryoverApproval, FundSource};
/// let a = CarryoverApproval {
///     source: FundSource::ProvincialUnionFunds,
///     amount: Money::parse_wan("41.290725")?,
///     reference: "省总批复".into(),
///     date: chrono::NaiveDate::from_ymd_opt(2019, 1, 15).unwrap(),
///     note: None,
/// };
/// assert_eq!(a.amount.wan().to_string(), "41.290725");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CarryoverApproval {
    /// The source whose balance is carried.
    pub source: FundSource,
    /// The amount approved; it must equal the balance at close.
    pub amount: Money,
    /// The approval's reference (批复文号 or description).
    pub reference: String,
    /// The approval's date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}
