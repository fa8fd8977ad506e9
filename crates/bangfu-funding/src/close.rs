//! Year close (年终结算): balances and carry-over.

use bangfu_core::{Money, Year};

use crate::{CarryoverApproval, FundSource, FundingError, Ledger};

/// What happens to a source's balance at year end.
///
/// # Example
/// ```
/// use bangfu_funding::CarryoverStatus;
/// assert!(CarryoverStatus::Unapproved.is_unapproved());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum CarryoverStatus {
    /// Nothing is left.
    Nothing,
    /// The balance is carried forward under an approval (经批复结转).
    Approved {
        /// The approval.
        approval: CarryoverApproval,
    },
    /// The policy carries balances forward without an approval.
    Automatic,
    /// A positive balance with no approval, where the policy requires one (未经批复).
    Unapproved,
}

impl CarryoverStatus {
    /// Whether a positive balance lacks the approval the policy requires.
    pub fn is_unapproved(&self) -> bool {
        matches!(self, CarryoverStatus::Unapproved)
    }
}

/// The close of one source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SourceClose {
    /// The source.
    pub source: FundSource,
    /// Its balance at year end.
    pub balance: Money,
    /// What happens to the balance.
    pub carryover: CarryoverStatus,
}

/// The year close: the balance of every source that had any activity, and its carry-over.
///
/// # Example
/// ```
/// # use bangfu_funding::YearClose;
/// # fn f(c: &YearClose) -> bool {
/// c.unapproved().next().is_none()
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct YearClose {
    /// The year closed.
    pub year: Year,
    /// One entry per source with postings, in source order.
    pub sources: Vec<SourceClose>,
}

impl YearClose {
    /// The sources whose positive balance lacks a required approval.
    pub fn unapproved(&self) -> impl Iterator<Item = &SourceClose> {
        self.sources.iter().filter(|s| s.carryover.is_unapproved())
    }

    /// The close of one source.
    pub fn source(&self, source: FundSource) -> Option<&SourceClose> {
        self.sources.iter().find(|s| s.source == source)
    }
}

impl<K: crate::Keep> Ledger<K> {
    /// Closes the year: each source's balance, carried forward under `approvals` where the
    /// policy requires one. A positive balance without its approval is reported as
    /// [`CarryoverStatus::Unapproved`], not refused.
    ///
    /// # Errors
    /// [`FundingError::ApprovalMismatch`] for an approval whose source has no balance or whose
    /// amount differs from the balance; `core.parameter.not_in_force` when the policy has no
    /// carry-over rule on the last day of the year.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Money, Year};
    /// use bangfu_funding::{FundSource, FundingPolicy, Income, IncomeKind, Ledger, PostingId};
    /// # let policy: FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
    /// let mut ledger = Ledger::new(Year::new(2018)?, policy);
    /// ledger.post(Income::new(PostingId::new("i")?, chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap(),
    ///     FundSource::ProvincialUnionFunds, IncomeKind::Interest, Money::from_yuan(10)?).into())?;
    /// let close = ledger.close(&[])?;
    /// assert_eq!(close.unapproved().count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn close(&self, approvals: &[CarryoverApproval]) -> Result<YearClose, FundingError> {
        let last_day = self.year().period().end();
        let requires = self
            .policy()
            .carryover_requires_approval
            .at("funding.carryover_requires_approval", last_day)?
            .value;
        for a in approvals {
            if a.amount != self.balance(a.source) || a.amount.is_zero() {
                return Err(FundingError::ApprovalMismatch {
                    reference: a.reference.clone(),
                });
            }
        }
        let touched = self.touched()?;
        let sources = FundSource::ALL
            .iter()
            .zip(touched)
            .filter(|&(_, t)| t)
            .map(|(&source, _)| {
                let balance = self.balance(source);
                let carryover = if balance.is_zero() {
                    CarryoverStatus::Nothing
                } else if let Some(a) = approvals.iter().find(|a| a.source == source) {
                    CarryoverStatus::Approved {
                        approval: a.clone(),
                    }
                } else if requires {
                    CarryoverStatus::Unapproved
                } else {
                    CarryoverStatus::Automatic
                };
                SourceClose {
                    source,
                    balance,
                    carryover,
                }
            })
            .collect();
        Ok(YearClose {
            year: self.year(),
            sources,
        })
    }
}
