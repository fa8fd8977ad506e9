//! A year directory into a store (导入): its records applied as operations through the
//! journal, once each, in large transactions, with the caller told how far it got.
//!
//! Two ways in, one loop ([`Journal::apply_placed`]):
//! - [`Journal::import`] and [`Journal::from_operations`] take a directory held in memory
//!   ([`crate::DirOperations`]): its files in any order, all in one transaction, nothing
//!   written when a record is refused;
//! - [`Journal::ingest`] reads the directory's files line by line ([`DirFiles`]) and never
//!   holds their text: each file in date order (as the generator and `export` write them),
//!   the dated files merged as the year takes them ([`bangfu_year::dir::merge_by_date`]),
//!   committed every `per_transaction` operations.

use std::cell::RefCell;

use bangfu_core::{Coded, NaiveDate};
use bangfu_year::dir::{DirFiles, PerFile, Placed, Problem, RecordStream, YearRecord};

use crate::journal::record_date;
use crate::op::{AccountId, OpId, OpLine, Operation, ReportText};
use crate::storage::Storage;
use crate::{Journal, JournalError, Outcome, Setup};

/// How far an import is (导入进度): the records applied, of how many when the caller knows.
///
/// # Example
/// ```
/// let p = bangfu_journal::Progress { done: 4096, total: Some(10_000) };
/// assert!(p.done <= p.total.unwrap_or(u64::MAX));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    /// Records applied so far (refused ones included).
    pub done: u64,
    /// Records in all, when known.
    pub total: Option<u64>,
}

/// Why an ingest did not make a store.
///
/// # Example
/// ```
/// let p = bangfu_year::dir::Problem::new("claims.jsonl", 7, "dir.not_in_date_order", "…");
/// let f = bangfu_journal::IngestFailure::NotInDateOrder(p);
/// assert!(matches!(f, bangfu_journal::IngestFailure::NotInDateOrder(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IngestFailure {
    /// Records that do not read or that the rules refuse, each with its file and line (up
    /// to [`PROBLEMS_PER_FILE`](bangfu_year::dir::PROBLEMS_PER_FILE) a file); a storage error is a problem of file `store`.
    Problems(Vec<Problem>),
    /// A file whose records are not in date order: it cannot be streamed; read the
    /// directory whole ([`Journal::import`]) instead. The store holds what was committed
    /// before: start again with a new one.
    NotInDateOrder(Problem),
}

/// Where an operation of a directory comes from: its file and line (0 for a whole file).
pub(crate) type Place = (&'static str, usize);

/// A storage error as a problem of the store.
pub(crate) fn store_problem(e: JournalError) -> Vec<Problem> {
    vec![Problem::new("store", 0, e.code(), e.to_string())]
}

/// The operation of a directory's record (`None` for a record of no operation).
pub(crate) fn operation_of(record: YearRecord) -> Option<Operation> {
    Some(match record {
        YearRecord::Household(h) => Operation::FileHousehold(Box::new(h)),
        YearRecord::Applicant(a) => Operation::RefuseApplicant(Box::new(a)),
        YearRecord::CaseEvent(e) => Operation::CaseEvent(Box::new(e)),
        YearRecord::Claim(c) => Operation::Claim(Box::new(c)),
        YearRecord::Posting(p) => Operation::Record(Box::new(p)),
        YearRecord::Payment(p) => Operation::Pay(Box::new(p)),
        YearRecord::Visit(v) => Operation::Visit(Box::new(v)),
        YearRecord::Allocation(a) => Operation::Allocation(Box::new(a)),
        YearRecord::Check(c) => Operation::PaymentCheck(Box::new(c)),
        YearRecord::Inspection(i) => Operation::Inspection(Box::new(i)),
        YearRecord::Temporary(t) => Operation::Temporary(Box::new(t)),
        _ => return None,
    })
}

/// The directory's records as operation lines, each with its file and line: the id
/// `FILE:LINE`, dated with its record's date (or the last date before it; a record before
/// any date is skipped), by `actor`. The last date is kept in `last`.
pub(crate) fn placed_lines<'a>(
    records: impl Iterator<Item = Placed> + 'a,
    actor: &'a AccountId,
    last: &'a RefCell<Option<NaiveDate>>,
) -> impl Iterator<Item = (Place, Result<OpLine, Problem>)> + 'a {
    records.filter_map(move |placed| {
        let date = record_date(&placed.record).or(*last.borrow())?;
        *last.borrow_mut() = Some(date);
        let op = operation_of(placed.record)?;
        let place = (placed.file, placed.line);
        let line = OpId::new(format!("{}:{}", placed.file, placed.line))
            .map(|id| OpLine {
                id,
                actor: actor.clone(),
                date,
                op,
            })
            .map_err(|e| Problem::new(placed.file, placed.line, e.code(), e.to_string()));
        Some((place, line))
    })
}

/// The report's files as operations, dated `day`.
pub(crate) fn report_lines(
    files: &dyn DirFiles,
    actor: &AccountId,
    day: NaiveDate,
) -> Result<Vec<(Place, OpLine)>, Vec<Problem>> {
    let mut out = Vec::new();
    for name in ["stated.toml", "judgements.toml", "report.toml"] {
        let Some(text) = whole(files, name)? else {
            continue;
        };
        let id =
            OpId::new(name).map_err(|e| vec![Problem::new(name, 0, e.code(), e.to_string())])?;
        out.push((
            (name, 0),
            OpLine {
                id,
                actor: actor.clone(),
                date: day,
                op: Operation::ReportFile(Box::new(ReportText {
                    file: name.to_owned(),
                    text,
                })),
            },
        ));
    }
    Ok(out)
}

/// A small file's text (a TOML file), `None` when the directory does not have it.
fn whole(files: &dyn DirFiles, name: &str) -> Result<Option<String>, Vec<Problem>> {
    let Some(bytes) = files.read_whole(name).map_err(|p| vec![p])? else {
        return Ok(None);
    };
    bangfu_core::read::utf8(&bytes)
        .map(|t| Some(t.to_owned()))
        .map_err(|e| {
            vec![Problem::new(
                name,
                e.line().unwrap_or(0),
                e.code(),
                e.to_string(),
            )]
        })
}

/// Operations applied between two calls of the progress callback.
const CHUNK: usize = 4096;

impl<S: Storage> Journal<S> {
    /// Applies a directory's operations in order through the rules, once each: committed
    /// every `per_transaction` operations (`usize::MAX`: one transaction), `progress` told
    /// after every few thousand. Each refusal is a problem with its file and line (up to
    /// [`PROBLEMS_PER_FILE`](bangfu_year::dir::PROBLEMS_PER_FILE) a file); once `halted` says so (a record did not read), the
    /// records left are not applied. With a problem, the open transaction is rolled back
    /// (with one transaction: nothing written).
    ///
    /// # Errors
    /// The storage's errors (the open transaction rolled back).
    pub(crate) fn apply_placed(
        &mut self,
        lines: impl Iterator<Item = (Place, Result<OpLine, Problem>)>,
        per_transaction: usize,
        total: Option<u64>,
        progress: &mut dyn FnMut(Progress),
        halted: &dyn Fn() -> bool,
    ) -> Result<Vec<Problem>, JournalError> {
        let mut found = PerFile::default();
        let mut refused = |(file, line): Place, code: &str, message: String| {
            found.push(file, Problem::new(file, line, code, message));
        };
        self.storage.begin()?;
        let mut done = 0u64;
        let mut since_commit = 0usize;
        let mut places = Vec::with_capacity(CHUNK);
        let mut chunk = Vec::with_capacity(CHUNK);
        let mut lines = lines.peekable();
        let result = (|| -> Result<(), JournalError> {
            loop {
                let stop = halted();
                if !stop && let Some((place, line)) = lines.next() {
                    match line {
                        Ok(line) => {
                            places.push(place);
                            chunk.push(Ok(line));
                        }
                        Err(p) => refused(place, &p.code, p.message),
                    }
                    if chunk.len() < CHUNK {
                        continue;
                    }
                }
                if chunk.is_empty() {
                    break;
                }
                let n = chunk.len();
                let outcomes = self.apply_in_transaction(None, std::mem::take(&mut chunk))?;
                for (place, o) in places.drain(..).zip(&outcomes) {
                    if let Outcome::Refused { code, message, .. } = o {
                        refused(place, code, message.clone());
                    }
                }
                done = done.saturating_add(n as u64);
                progress(Progress { done, total });
                since_commit = since_commit.saturating_add(n);
                if since_commit >= per_transaction && lines.peek().is_some() {
                    self.storage.commit()?;
                    self.storage.begin()?;
                    since_commit = 0;
                }
                if stop {
                    break;
                }
            }
            Ok(())
        })();
        // A record that did not read: the records after it are read (their problems
        // reported) and not applied.
        lines.for_each(|(place, line)| {
            if let Err(p) = line {
                refused(place, &p.code, p.message);
            }
        });
        let problems = found.into_vec();
        let result = result.and_then(|()| {
            if problems.is_empty() {
                self.storage.commit()
            } else {
                Err(JournalError::Storage {
                    code: "journal.import_refused",
                    message: String::new(),
                })
            }
        });
        if let Err(e) = result {
            let _ = self.storage.rollback();
            self.reload()?;
            if problems.is_empty() {
                return Err(e);
            }
        }
        Ok(problems)
    }

    /// A new store from a year directory read line by line (流式导入): its files are never
    /// held whole, each record is applied once through the rules as an operation (the id
    /// `FILE:LINE`, by `actor`, dated with its record's date), committed every
    /// `per_transaction` operations; `progress` is told how many were applied, of `total`
    /// when the caller knows it. Each JSON Lines file must be in date order where the year
    /// takes its records by date (`case-events.jsonl`, `claims.jsonl`, `ledger.jsonl`,
    /// `payments.jsonl`, `temporary-aid.jsonl`), as the generator and [`Journal::export`]
    /// write them; a directory of another order is read whole by [`Journal::import`].
    ///
    /// # Errors
    /// [`IngestFailure::Problems`]: every record that does not read or is refused (the
    /// records after the first that does not read are not applied), with its file and line;
    /// what was committed before stays in the store: discard it.
    /// [`IngestFailure::NotInDateOrder`]: a file to read whole instead.
    ///
    /// # Example
    /// ```
    /// use bangfu_journal::{AccountId, Journal, MemoryStorage};
    /// let files = bangfu_data::guinan2019::files();
    /// let mut seen = 0;
    /// let journal = Journal::ingest(MemoryStorage::default(), &files, &AccountId::new("import")?, 1000, None, &mut |p| seen = p.done);
    /// # let journal = match journal { Ok(j) => j, Err(bangfu_journal::IngestFailure::NotInDateOrder(_)) => return Ok(()), Err(e) => panic!("{e:?}") };
    /// assert_eq!(journal.position(), seen + 3); // and the report's three files
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn ingest(
        storage: S,
        files: &dyn DirFiles,
        actor: &AccountId,
        per_transaction: usize,
        total: Option<u64>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Journal<S>, IngestFailure> {
        let problems = IngestFailure::Problems;
        let text = |name: &str| whole(files, name).map_err(problems);
        let mut missing = Vec::new();
        for required in ["policy.toml", "budget.toml", "households.jsonl"] {
            if files
                .open(required)
                .map_err(|e| {
                    problems(vec![Problem::new(
                        required,
                        0,
                        "dir.unreadable",
                        e.to_string(),
                    )])
                })?
                .is_none()
            {
                missing.push(Problem::new(
                    required,
                    0,
                    "dir.missing_file",
                    format!("the year directory has no {required}"),
                ));
            }
        }
        if !missing.is_empty() {
            return Err(problems(missing));
        }
        let (policy, budget) = (text("policy.toml")?, text("budget.toml")?);
        let setup = Setup::new(
            policy.as_deref().unwrap_or_default(),
            budget.as_deref().unwrap_or_default(),
        )
        .map_err(|e| problems(store_problem(e)))?;
        let setup = match text("units.toml")? {
            Some(units) => setup.with_units(&units).map_err(|e| {
                problems(vec![Problem::new("units.toml", 0, e.code(), e.to_string())])
            })?,
            None => setup,
        };
        let allocation = match text("allocation.toml")? {
            Some(t) => Some(
                bangfu_year::oversight::AllocationFile::from_toml(&t).map_err(|e| {
                    problems(vec![Problem::new(
                        "allocation.toml",
                        e.line().unwrap_or(0),
                        e.code(),
                        e.to_string(),
                    )])
                })?,
            ),
            None => None,
        };
        let year_start = setup.year_start();
        let mut journal =
            Journal::create(storage, setup).map_err(|e| problems(store_problem(e)))?;
        let last = RefCell::new(None);
        // The units are the store's to check (its setup has the tree).
        let records = RecordStream::open(files, allocation, None);
        let state = records.state();
        let lines = placed_lines(records, actor, &last);
        let halted = || state.failed();
        let mut refused = journal
            .apply_placed(lines, per_transaction, total, progress, &halted)
            .map_err(|e| problems(store_problem(e)))?;
        if let Some(p) = state.not_in_date_order() {
            return Err(IngestFailure::NotInDateOrder(p));
        }
        let mut all = state.problems();
        all.append(&mut refused);
        if !all.is_empty() {
            return Err(problems(all));
        }
        let day = last.take().unwrap_or(year_start);
        let reports = report_lines(files, actor, day).map_err(problems)?;
        let places: Vec<_> = reports.iter().map(|(p, _)| *p).collect();
        let outcomes = journal
            .apply_batch(reports.into_iter().map(|(_, l)| Ok(l)).collect())
            .map_err(|e| problems(store_problem(e)))?;
        let refused: Vec<Problem> = places
            .into_iter()
            .zip(outcomes)
            .filter_map(|((file, line), o)| match o {
                Outcome::Refused { code, message, .. } => {
                    Some(Problem::new(file, line, code, message))
                }
                _ => None,
            })
            .collect();
        if refused.is_empty() {
            Ok(journal)
        } else {
            Err(problems(refused))
        }
    }
}
