//! A programme year: the ledger of all records, the close and the statement.

use bangfu_funding::{Budget, Keep, Ledger, Posting, Statement, StatementOptions, YearClose};

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
        let mut ledger = Ledger::new(budget.year, policy.funding.clone());
        ledger.reserve(postings.len());
        let numbered = postings
            .into_iter()
            .enumerate()
            .map(|(i, p)| Ok((i + 1, p)));
        let (ledger, close, statement) = take(policy, budget, ledger, numbered)?;
        Ok(YearRun {
            ledger,
            close,
            statement,
        })
    }
}

/// Checks the budget against the policy, posts each `(line, posting)` into `ledger`, closes
/// the year and computes the statement: what [`YearRun::new`] and [`FoldedRun::new`] do, on
/// the ledger each keeps. A refusal names its `line`; the budget's, the close's and the
/// statement's errors line 0.
fn take<K: Keep>(
    policy: &Policy,
    budget: &Budget,
    mut ledger: Ledger<K>,
    postings: impl IntoIterator<Item = Result<(usize, Posting), InputError>>,
) -> Result<(Ledger<K>, YearClose, Statement), InputError> {
    budget
        .check(&policy.funding)
        .map_err(|error| InputError::Refused { line: 0, error })?;
    for item in postings {
        let (line, p) = item?;
        ledger
            .post(p)
            .map_err(|error| InputError::Refused { line, error })?;
    }
    let close = ledger
        .close(&budget.carryover_approvals)
        .map_err(|error| InputError::Refused { line: 0, error })?;
    let statement = ledger
        .statement_with(budget, Some(&close), StatementOptions::default())
        .map_err(|error| InputError::Refused { line: 0, error })?;
    Ok((ledger, close, statement))
}

/// A programme year's ledger taken as it streams (流式收支): every posting checked by the
/// ledger's rules as [`YearRun::new`] checks it, none kept ([`Ledger::folding`]), the year
/// closed and the statement computed. The same close and statement as [`YearRun::new`] on
/// the same postings, in memory that does not grow with the postings' text (about 60 bytes a
/// posting: `docs/performance.md`).
///
/// # Example
/// ```
/// use bangfu_data::hainan2018 as hn;
/// let text = bangfu_year::input::write_ledger_jsonl(&hn::ledger_records()?);
/// let lines = bangfu_year::input::ledger_lines(text.as_bytes());
/// let folded = bangfu_year::FoldedRun::new(&hn::policy()?, &hn::budget()?, lines)?;
/// let run = hn::run()?;
/// assert_eq!((folded.statement, folded.close), (run.statement, run.close));
/// assert_eq!(folded.postings, run.ledger.postings().len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FoldedRun {
    /// The year close.
    pub close: YearClose,
    /// The statement.
    pub statement: Statement,
    /// How many postings the ledger took (a repeated posting counts once).
    pub postings: usize,
}

impl FoldedRun {
    /// Posts each `(line, posting)` in order, closes the year and computes the statement.
    ///
    /// # Errors
    /// The first error of `postings` as it is (a line that does not read, with its line);
    /// [`InputError::Refused`] with the line of the first posting the ledger refused (the
    /// file's line, where [`YearRun::new`] gives the posting's position), or at line 0 for
    /// the budget's and the close's errors, as [`YearRun::new`].
    pub fn new(
        policy: &Policy,
        budget: &Budget,
        postings: impl IntoIterator<Item = Result<(usize, Posting), InputError>>,
    ) -> Result<FoldedRun, InputError> {
        let ledger = Ledger::folding(budget.year, policy.funding.clone());
        let (ledger, close, statement) = take(policy, budget, ledger, postings)?;
        Ok(FoldedRun {
            close,
            statement,
            postings: ledger.len(),
        })
    }
}
