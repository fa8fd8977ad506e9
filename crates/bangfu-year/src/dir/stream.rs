//! A year directory read line by line (流式读取): its JSON Lines files are never held whole,
//! each record is read, checked against the union tree and taken by the year as it comes.
//!
//! The one order of the year ([`super::YearDir::into_records`]) is kept without sorting when
//! each dated file (`case-events.jsonl`, `claims.jsonl`, `ledger.jsonl`, `payments.jsonl`,
//! `temporary-aid.jsonl`) is in date order, as the generator and a store's export write
//! them; a file out of date order cannot be streamed and is read whole instead
//! ([`super::YearDir::stream`] does so itself). The problems found are the whole reading's,
//! in its order: the same directory gives the same year or the same problems either way.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::rc::Rc;

use bangfu_core::{Coded, NaiveDate, read};
use bangfu_funding::Posting;
use serde::de::DeserializeOwned;

use super::{
    BuiltYear, FILE_NAMES, Heads, Lined, PerFile, Placed, Problem, YearDir, YearOrder,
    missing_files, read_rank,
};
use crate::oversight::AllocationFile;
use crate::records::{ApplicantRecord, CaseEventRecord, ClaimRecord, HouseholdRecord};
use crate::temporary::TemporaryAidRecord;
use crate::tree::UnitTree;
use crate::{Payment, input};

/// The files of a year directory, opened one at a time (目录文件): a directory on disk (the
/// caller's: this library opens no file itself), or the files held in memory
/// (`BTreeMap<String, Vec<u8>>`).
///
/// # Example
/// ```
/// use bangfu_year::dir::DirFiles;
/// let files = bangfu_data::hainan2018::files();
/// assert!(files.open("policy.toml")?.is_some());
/// assert!(files.open("payments.jsonl")?.is_none());
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait DirFiles {
    /// The file `name` as a reader, `None` when the directory does not have it.
    ///
    /// # Errors
    /// The file exists and cannot be read.
    fn open(&self, name: &str) -> std::io::Result<Option<Box<dyn BufRead + '_>>>;

    /// The whole file `name` (a small TOML file), `None` when the directory does not have it.
    ///
    /// # Errors
    /// `dir.unreadable`, with the file's name.
    ///
    /// # Example
    /// ```
    /// use bangfu_year::dir::DirFiles;
    /// let files = bangfu_data::hainan2018::files();
    /// assert!(files.read_whole("policy.toml")?.is_some_and(|b| !b.is_empty()));
    /// # Ok::<(), bangfu_year::dir::Problem>(())
    /// ```
    fn read_whole(&self, name: &str) -> Result<Option<Vec<u8>>, Problem> {
        let unreadable = |e: std::io::Error| Problem::new(name, 0, "dir.unreadable", e.to_string());
        let Some(mut reader) = self.open(name).map_err(unreadable)? else {
            return Ok(None);
        };
        let mut bytes = Vec::new();
        reader.read_to_end(&mut bytes).map_err(unreadable)?;
        Ok(Some(bytes))
    }
}

impl DirFiles for BTreeMap<String, Vec<u8>> {
    fn open(&self, name: &str) -> std::io::Result<Option<Box<dyn BufRead + '_>>> {
        Ok(self
            .get(name)
            .map(|b| Box::new(b.as_slice()) as Box<dyn BufRead + '_>))
    }
}

/// What the line readers found: the problems of reading and the records outside the union
/// tree (each up to [`PROBLEMS_PER_FILE`](super::PROBLEMS_PER_FILE) a file), and a file out of date order.
#[derive(Debug, Default)]
struct Found {
    problems: PerFile,
    tree: PerFile,
    unordered: Option<Problem>,
}

/// How far a [`RecordStream`] got (读取状态): shared with the stream, read while and after it
/// runs.
///
/// # Example
/// See [`RecordStream`].
#[derive(Debug, Clone, Default)]
pub struct StreamState(Rc<RefCell<Found>>);

impl StreamState {
    /// Whether a record did not read, named a unit outside the tree, or a file was found out
    /// of date order: the records from then on are not to be taken.
    pub fn failed(&self) -> bool {
        let f = self.0.borrow();
        !f.problems.is_empty() || !f.tree.is_empty() || f.unordered.is_some()
    }

    /// The dated file found out of date order, with the first line before the one above it.
    pub fn not_in_date_order(&self) -> Option<Problem> {
        self.0.borrow().unordered.clone()
    }

    /// The problems found so far, in the whole reading's order: those of reading by file
    /// (the order of [`YearDir::read`]), each file's in line order, then the records outside
    /// the tree, by file.
    pub fn problems(&self) -> Vec<Problem> {
        let mut read = self.read_problems();
        read.extend(self.tree_problems());
        read
    }

    /// The problems of reading, by file ([`read_rank`]) and line.
    fn read_problems(&self) -> Vec<Problem> {
        let mut read = self.0.borrow().problems.as_slice().to_vec();
        read.sort_by_key(|p| read_rank(&p.file));
        read
    }

    /// The records outside the tree, by file and line.
    fn tree_problems(&self) -> Vec<Problem> {
        let mut tree = self.0.borrow().tree.as_slice().to_vec();
        tree.sort_by_key(|p| read_rank(&p.file));
        tree
    }

    fn push(&self, file: &'static str, p: Problem) {
        self.0.borrow_mut().problems.push(file, p);
    }

    /// The file is not UTF-8: as the whole reading, which reads none of its records, this is
    /// the file's one problem (those of its lines above are dropped).
    fn not_utf8(&self, file: &'static str, p: Problem) {
        let mut f = self.0.borrow_mut();
        f.problems.forget(file);
        f.tree.forget(file);
        f.problems.push(file, p);
    }

    fn push_tree(&self, file: &'static str, p: Problem) {
        self.0.borrow_mut().tree.push(file, p);
    }
}

/// The records of one JSON Lines file, read line by line as [`YearDir::read`] reads the whole
/// file: a byte-order mark only at its start, blank lines skipped; a line that does not read
/// is a problem (and skipped), text that is not UTF-8 a problem that ends the file; with a
/// `date`, a record dated before the one above it ends the stream (the file is not in date
/// order).
struct Lines<'r, T> {
    file: &'static str,
    reader: Option<Box<dyn BufRead + 'r>>,
    line: usize,
    buf: Vec<u8>,
    date: Option<fn(&T) -> NaiveDate>,
    last: Option<NaiveDate>,
    state: StreamState,
}

impl<'r, T: DeserializeOwned> Lines<'r, T> {
    fn open(
        files: &'r dyn DirFiles,
        file: &'static str,
        date: Option<fn(&T) -> NaiveDate>,
        state: &StreamState,
    ) -> Lines<'r, T> {
        let reader = files.open(file).unwrap_or_else(|e| {
            state.push(file, Problem::new(file, 0, "dir.unreadable", e.to_string()));
            None
        });
        Lines {
            file,
            reader,
            line: 0,
            buf: Vec::new(),
            date,
            last: None,
            state: state.clone(),
        }
    }

    fn problem(&mut self, error: &(impl Coded + std::fmt::Display)) {
        let p = Problem::new(self.file, self.line, error.code(), error.to_string());
        self.state.push(self.file, p);
    }
}

impl<T: DeserializeOwned> Iterator for Lines<'_, T> {
    type Item = Lined<T>;

    fn next(&mut self) -> Option<Lined<T>> {
        loop {
            let reader = self.reader.as_mut()?;
            self.buf.clear();
            match reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.reader = None;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.reader = None;
                    let p = Problem::new(self.file, self.line, "dir.unreadable", e.to_string());
                    self.state.push(self.file, p);
                    return None;
                }
            }
            self.line = self.line.saturating_add(1);
            // The whole file's reading strips a byte-order mark at its start only.
            let bytes = if self.line == 1 {
                self.buf.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&self.buf)
            } else {
                &self.buf
            };
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(_) => {
                    // The same error, line and column as the whole file's; the file ends.
                    let e = read::utf8(bytes).err().map(|e| {
                        let column = e.column();
                        e.at(self.line, column)
                    });
                    self.reader = None;
                    if let Some(e) = e {
                        let p = Problem::new(self.file, self.line, e.code(), e.to_string());
                        self.state.not_utf8(self.file, p);
                    }
                    return None;
                }
            };
            let text = text.strip_suffix('\n').unwrap_or(text);
            let text = text.strip_suffix('\r').unwrap_or(text);
            if text.trim().is_empty() {
                continue;
            }
            let record: T = match input::parse_json_line(text) {
                Ok(r) => r,
                Err(e) => {
                    self.problem(&e);
                    continue;
                }
            };
            if let Some(date) = self.date {
                let d = date(&record);
                if self.last.is_some_and(|last| d < last) {
                    let p = Problem::new(
                        self.file,
                        self.line,
                        "dir.not_in_date_order",
                        format!("dated {d}, before the line above: the file is not in date order"),
                    );
                    self.state.0.borrow_mut().unordered.get_or_insert(p);
                    self.reader = None;
                    return None;
                }
                self.last = Some(d);
            }
            return Some(Lined {
                line: self.line,
                record,
            });
        }
    }
}

/// Every record of a directory read line by line, in the order the year takes them
/// ([`YearDir::into_records`]), the decision on the allocation plan given (流式记录). With a
/// union tree, a record naming a unit outside it is a problem (`tree.unknown_unit`), and is
/// still given: the caller stops taking records once [`StreamState::failed`] says so.
///
/// # Example
/// ```
/// use bangfu_year::dir::RecordStream;
/// let files = bangfu_data::hainan2018::files();
/// let stream = RecordStream::open(&files, None, None);
/// let state = stream.state();
/// assert_eq!(stream.count(), 10_117);
/// assert!(!state.failed());
/// ```
pub struct RecordStream<'r> {
    records: Box<dyn Iterator<Item = Placed> + 'r>,
    state: StreamState,
}

impl std::fmt::Debug for RecordStream<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordStream")
            .field("state", &self.state)
            .finish_non_exhaustive()
    }
}

impl<'r> RecordStream<'r> {
    /// The records of `files`, with the allocation decision (read by the caller from
    /// `allocation.toml`) and the tree to check the units against, if any.
    pub fn open(
        files: &'r dyn DirFiles,
        allocation: Option<AllocationFile>,
        units: Option<&'r UnitTree>,
    ) -> RecordStream<'r> {
        let state = StreamState::default();
        let s = &state;
        let order = YearOrder {
            households: Lines::<HouseholdRecord>::open(files, "households.jsonl", None, s),
            applicants: Lines::<ApplicantRecord>::open(files, "applicants.jsonl", None, s),
            events: Lines::open(
                files,
                "case-events.jsonl",
                Some(|e: &CaseEventRecord| e.date()),
                s,
            ),
            dated: super::merge_by_date(
                Lines::open(files, "claims.jsonl", Some(|c: &ClaimRecord| c.date), s),
                Lines::open(files, "ledger.jsonl", Some(|p: &Posting| p.date()), s),
                Lines::open(files, "payments.jsonl", Some(|p: &Payment| p.date), s),
                Lines::open(
                    files,
                    "temporary-aid.jsonl",
                    Some(|t: &TemporaryAidRecord| t.date()),
                    s,
                ),
            ),
            allocation,
            checks: Lines::open(files, "payment-checks.jsonl", None, s),
            inspection: Lines::open(files, "self-inspection.jsonl", None, s),
            survey: Lines::open(files, "survey.jsonl", None, s),
        };
        let records = order.records();
        let records: Box<dyn Iterator<Item = Placed> + 'r> = match units {
            None => Box::new(records),
            Some(tree) => {
                let state = state.clone();
                Box::new(records.inspect(move |placed| {
                    if let Some(unit) = tree_unit::of(&placed.record)
                        && let Err(e) = tree.check(unit)
                    {
                        let p = Problem::new(placed.file, placed.line, e.code(), e.to_string());
                        state.push_tree(placed.file, p);
                    }
                }))
            }
        };
        RecordStream { records, state }
    }

    /// The stream's state, to read while and after the records are taken.
    pub fn state(&self) -> StreamState {
        self.state.clone()
    }
}

impl Iterator for RecordStream<'_> {
    type Item = Placed;

    fn next(&mut self) -> Option<Placed> {
        self.records.next()
    }
}

/// The unit a record names that the tree must have (one rule for both readings): a
/// household's worker's unit, a recorded disbursement's unit, a visit's unit, a temporary-aid
/// claim's unit.
pub(crate) mod tree_unit {
    use bangfu_core::UnitId;
    use bangfu_funding::Posting;

    use crate::dir::YearRecord;
    use crate::records::HouseholdRecord;
    use crate::temporary::TemporaryAidRecord;

    /// A household's: its worker's unit.
    pub(crate) fn household(h: &HouseholdRecord) -> Option<&UnitId> {
        Some(h.unit())
    }

    /// A recorded disbursement's unit, when it names one.
    pub(crate) fn posting(p: &Posting) -> Option<&UnitId> {
        match p {
            Posting::Disbursement(d) => d.unit.as_ref(),
            _ => None,
        }
    }

    /// A temporary-aid claim's unit (its recorded payment names none).
    pub(crate) fn temporary(t: &TemporaryAidRecord) -> Option<&UnitId> {
        match t {
            TemporaryAidRecord::Claim(c) => Some(&c.unit),
            _ => None,
        }
    }

    /// Any record's.
    pub(crate) fn of(record: &YearRecord) -> Option<&UnitId> {
        match record {
            YearRecord::Household(h) => household(h),
            YearRecord::Posting(p) => posting(p),
            YearRecord::Visit(v) => Some(&v.unit),
            YearRecord::Temporary(t) => temporary(t),
            _ => None,
        }
    }
}

impl YearDir {
    /// Builds the year of a directory read line by line (流式构建): the same year, or the same
    /// problems, as [`YearDir::read`] and [`YearDir::build`] on the whole files, without
    /// holding the files or their records (only the year). The small files (policy, budget,
    /// tree, the report's files, the allocation decision) are read whole first; the records
    /// are taken as they are read, until a record does not read (the rest are only read, for
    /// their problems). A directory whose dated files are not in date order is read whole
    /// instead, as [`YearDir::read`] reads it. `progress` is told how many records were
    /// taken since its last call, as [`YearDir::build_with`] does.
    ///
    /// # Errors
    /// Every problem, with its file, line and code: those of reading when there is one (in
    /// [`YearDir::read`]'s order), else every record the year refused.
    ///
    /// # Example
    /// ```
    /// let files = bangfu_data::hainan2018::files();
    /// let streamed = bangfu_year::dir::YearDir::stream(&files, &mut |_| {}).unwrap();
    /// let whole = bangfu_year::dir::YearDir::read(&files).unwrap().build().unwrap();
    /// assert_eq!(streamed.year.closed_statement()?.1, whole.year.closed_statement()?.1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn stream(
        files: &dyn DirFiles,
        progress: &mut dyn FnMut(u64),
    ) -> Result<BuiltYear, Vec<Problem>> {
        let mut problems = Vec::new();
        let mut present = BTreeMap::new();
        for name in FILE_NAMES {
            if name.ends_with(".toml") {
                match files.read_whole(name) {
                    Ok(Some(bytes)) => {
                        present.insert(*name, bytes);
                    }
                    Ok(None) => {}
                    Err(p) => problems.push(p),
                }
            }
        }
        let exists =
            |name: &str| present.contains_key(name) || files.open(name).is_ok_and(|f| f.is_some());
        let missing = missing_files(exists);
        let heads = Heads::read(&|n| present.get(n).map(Vec::as_slice), &mut problems);
        drop(present);
        let Heads {
            policy,
            budget,
            stated,
            judgements,
            report,
            allocation,
            units,
        } = heads;
        let clean = missing.is_empty() && problems.is_empty();
        let mut year = match (policy, budget) {
            (Some(policy), Some(budget)) if clean => {
                Some(crate::ProgrammeYear::new(policy, budget))
            }
            _ => None,
        };
        let stream = RecordStream::open(files, allocation, units.as_ref());
        let state = stream.state();
        let mut refused = PerFile::default();
        let mut since = 0;
        for placed in stream {
            if state.failed() {
                year = None;
            }
            let Some(Ok(y)) = year.as_mut() else {
                continue;
            };
            since += 1;
            if since == super::PROGRESS_EVERY {
                progress(since);
                since = 0;
            }
            if let Err(e) = y.take(placed.record) {
                let p = Problem::of(placed.file, placed.line, &e);
                refused.push(placed.file, p);
            }
        }
        progress(since);
        if state.not_in_date_order().is_some() {
            let mut bytes = BTreeMap::new();
            for name in FILE_NAMES {
                if let Some(b) = files.read_whole(name).map_err(|p| vec![p])? {
                    bytes.insert((*name).to_owned(), b);
                }
            }
            let dir = YearDir::read(&bytes)?;
            drop(bytes);
            return dir.build_with(progress);
        }
        // Missing files, then every problem of reading in the whole reading's order, then
        // the records outside the tree.
        problems.extend(state.read_problems());
        problems.sort_by_key(|p| read_rank(&p.file));
        let mut all = missing;
        all.append(&mut problems);
        all.extend(state.tree_problems());
        if !all.is_empty() {
            return Err(all);
        }
        let year = match year {
            Some(Ok(year)) => year,
            Some(Err(e)) => return Err(vec![Problem::of("budget.toml", 0, &e)]),
            None => return Err(all),
        };
        if !refused.is_empty() {
            return Err(refused.into_vec());
        }
        Ok(BuiltYear {
            year,
            stated,
            judgements,
            report,
            units,
        })
    }
}
