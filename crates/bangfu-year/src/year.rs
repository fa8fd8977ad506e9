//! A programme year: the ledger of all records, the close and the statement.

use std::sync::Arc;

use bangfu_funding::{
    Budget, FundingError, Keep, Ledger, PostOutcome, Posting, Statement, StatementOptions,
    YearClose,
};

use crate::Policy;
use crate::input::{self, InputError};

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
        let (ledger, close, statement) = take(policy, budget, ledger, numbered, Ledger::post)?;
        Ok(YearRun {
            ledger,
            close,
            statement,
        })
    }
}

/// Checks the budget against the policy, posts each `(line, item)` into `ledger` by `post`,
/// closes the year and computes the statement: what [`YearRun::new`] and the [`FoldedRun`]s
/// do, on the ledger each keeps. A refusal names its `line`; the budget's, the close's and
/// the statement's errors line 0.
fn take<K: Keep, T>(
    policy: &Policy,
    budget: &Budget,
    mut ledger: Ledger<K>,
    items: impl IntoIterator<Item = Result<(usize, T), InputError>>,
    mut post: impl FnMut(&mut Ledger<K>, T) -> Result<PostOutcome, FundingError>,
) -> Result<(Ledger<K>, YearClose, Statement), InputError> {
    budget
        .check(&policy.funding)
        .map_err(|error| InputError::Refused { line: 0, error })?;
    for item in items {
        let (line, p) = item?;
        post(&mut ledger, p).map_err(|error| InputError::Refused { line, error })?;
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
        let (ledger, close, statement) = take(policy, budget, ledger, postings, Ledger::post)?;
        Ok(FoldedRun {
            close,
            statement,
            postings: ledger.len(),
        })
    }

    /// The run of the ledger file at `path`, read line by line ([`input::ledger_lines_at`])
    /// into a ledger that keeps only where each posting is in the file and reads a posting
    /// again when a rule needs it ([`Ledger::recalling`], [`input::LedgerFile`]): the same
    /// close and statement as [`FoldedRun::new`] on the file's lines, in about 40 bytes a
    /// posting. The file must not change while it is read.
    ///
    /// # Errors
    /// As [`FoldedRun::new`]; a file that cannot be opened is an [`InputError::Read`] at
    /// line 0; a posting that cannot be read again, `funding.recall_failed` at the line
    /// being posted.
    ///
    /// # Example
    /// ```
    /// use bangfu_data::hainan2018 as hn;
    /// let dir = std::env::temp_dir().join(format!("bangfu-folded-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let path = dir.join("ledger.jsonl");
    /// std::fs::write(&path, bangfu_year::input::write_ledger_jsonl(&hn::ledger_records()?))?;
    /// let run = bangfu_year::FoldedRun::from_path(&hn::policy()?, &hn::budget()?, &path)?;
    /// assert_eq!(run.statement, hn::run()?.statement);
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_path(
        policy: &Policy,
        budget: &Budget,
        path: &std::path::Path,
    ) -> Result<FoldedRun, InputError> {
        let opened =
            std::fs::File::open(path).and_then(|file| Ok((file, input::LedgerFile::open(path)?)));
        let (file, again) = opened.map_err(|e| InputError::Read {
            line: 0,
            error: input::unreadable(&e),
        })?;
        let ledger = Ledger::recalling(budget.year, policy.funding.clone(), Arc::new(again));
        let lines = input::ledger_lines_at(std::io::BufReader::with_capacity(1 << 20, file))
            .map(|r| r.map(|(line, at, p)| (line, (at, p))));
        let (ledger, close, statement) = take(policy, budget, ledger, lines, |l, (at, p)| {
            l.post_from(p, at)
        })?;
        Ok(FoldedRun {
            close,
            statement,
            postings: ledger.len(),
        })
    }
}
