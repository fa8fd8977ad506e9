//! A programme year: the ledger of all records, the close and the statement.

use bangfu_funding::{Budget, Ledger, Posting, Statement, StatementOptions, YearClose};

use crate::Policy;
use crate::input::InputError;

/// One programme year run from records: every posting accepted by the ledger under the
/// policy, the year closed with the budget's carry-over approvals, the statement computed.
///
/// Compared whole (ledger, close and statement) and serialised whole as
/// `{"ledger": …, "close": …, "statement": …}` (the ledger as [`Ledger`] writes itself).
///
/// # Example
/// ```
/// let run = bangfu_data::hainan2018::run()?;
/// assert!(run.close.unapproved().next().is_none());
/// assert_eq!(run, run.clone());
/// let text = serde_json::to_value(&run)?;
/// assert_eq!(text["ledger"]["postings"].as_array().map(Vec::len), Some(run.ledger.postings().len()));
/// assert_eq!(text["statement"]["totals"]["spent"], "10837841.39");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct YearRun {
    /// The ledger with every posting.
    pub ledger: Ledger,
    /// The year close.
    pub close: YearClose,
    /// The statement.
    pub statement: Statement,
}

impl YearRun {
    /// Posts `postings` in order, closes the year and computes the statement.
    ///
    /// # Errors
    /// [`InputError::Refused`] naming the position (from 1) of the first posting the ledger
    /// refused, or at line 0: a budget line for a source the policy does not have
    /// (`funding.budget_unknown_source`), the close's error (`funding.approval_mismatch`).
    pub fn new(
        policy: &Policy,
        budget: &Budget,
        postings: Vec<Posting>,
    ) -> Result<YearRun, InputError> {
        budget
            .check(&policy.funding)
            .map_err(|error| InputError::Refused { line: 0, error })?;
        let mut ledger = Ledger::new(budget.year, policy.funding.clone());
        ledger.reserve(postings.len());
        for (i, p) in postings.into_iter().enumerate() {
            ledger
                .post(p)
                .map_err(|error| InputError::Refused { line: i + 1, error })?;
        }
        let close = ledger
            .close(&budget.carryover_approvals)
            .map_err(|error| InputError::Refused { line: 0, error })?;
        let statement = Statement::from_postings(
            ledger.year(),
            ledger.postings(),
            budget,
            Some(&close),
            StatementOptions::default(),
        )
        .map_err(|error| InputError::Refused { line: 0, error })?;
        Ok(YearRun {
            ledger,
            close,
            statement,
        })
    }
}
