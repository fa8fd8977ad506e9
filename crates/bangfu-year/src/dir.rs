//! The year as data (年度目录): one directory a union writes without code, read into a
//! [`ProgrammeYear`] through the one path.
//!
//! | file | what | required |
//! |---|---|---|
//! | `policy.toml` | the policy ([`Policy`]) | yes |
//! | `budget.toml` | the budget and carry-over approvals | yes |
//! | `households.jsonl` | filed households ([`HouseholdRecord`]), filed through the seven steps from their application date | yes |
//! | `applicants.jsonl` | applicants refused at preliminary review ([`ApplicantRecord`]) | no |
//! | `case-events.jsonl` | case-file events: exits, cancellations, withdrawals, objections, corrected facts ([`CaseEventRecord`]) | no |
//! | `claims.jsonl` | claims ([`ClaimRecord`]), decided once by the calculators | no |
//! | `ledger.jsonl` | the union's recorded postings: income, payments, reversals (its history) | no |
//! | `payments.jsonl` | payments of decided claims made through the path ([`Payment`]) | no |
//! | `survey.jsonl` | home visits ([`SurveyRecord`]) | no |
//! | `stated.toml` | what the union's own report states, and its plan ([`StatedFile`]) | for the report |
//! | `judgements.toml` | the evaluator's judgements with notes ([`JudgementsFile`]) | for the report |
//! | `report.toml` | the report's names, dates and narrative, the units' names ([`ReportFile`]) | for the report |
//! | `units.toml` | the union organisation tree ([`UnitTree`]): the roll-ups by unit, the units' names, the scopes of a store's accounts | no |
//! | `allocation.toml` | the collective decision on the allocation plan ([`crate::oversight::AllocationFile`]) | no |
//! | `payment-checks.jsonl` | cards on file, the bank's returns, SMS notices, the call-back sample and calls ([`crate::oversight::CheckRecord`]) | no |
//! | `self-inspection.jsonl` | self-inspection items and their fixes ([`crate::oversight::InspectionRecord`]) | no |
//! | `temporary-aid.jsonl` | temporary-aid claims of workers not filed and their recorded payments ([`crate::temporary::TemporaryAidRecord`]) | no |
//!
//! Every file may start with a UTF-8 byte-order mark. Reading reports **every** bad record of
//! each file (up to a limit per file), each with its file, line and code, and builds nothing
//! when there is one ([`YearDir::read`], [`YearDir::build`]). The format of each file is in
//! `docs/year-directory.md`.

use std::collections::BTreeMap;

use bangfu_core::Coded;
use bangfu_core::read;
use bangfu_funding::{Budget, Posting};

use crate::evaluation::{
    Evaluation, EvaluationError, FrameworkChoice, JudgementsFile, Records, ReportFile, StatedFile,
};
use crate::input::{self, InputError};
use crate::oversight::{AllocationFile, CheckRecord, InspectionRecord};
use crate::records::{
    ApplicantRecord, CaseEventRecord, ClaimRecord, HouseholdRecord, SurveyRecord,
};
use crate::temporary::TemporaryAidRecord;
use crate::tree::UnitTree;
use crate::{Payment, Policy, ProgrammeYear, YearError};

mod stream;
pub(crate) use stream::tree_unit;
pub use stream::{DirFiles, RecordStream, StreamState};

/// The files a year directory may hold, in the order they are read.
pub const FILE_NAMES: &[&str] = &[
    "policy.toml",
    "budget.toml",
    "households.jsonl",
    "applicants.jsonl",
    "case-events.jsonl",
    "claims.jsonl",
    "ledger.jsonl",
    "payments.jsonl",
    "survey.jsonl",
    "stated.toml",
    "judgements.toml",
    "report.toml",
    "units.toml",
    "allocation.toml",
    "payment-checks.jsonl",
    "self-inspection.jsonl",
    "temporary-aid.jsonl",
];

/// How many problems of one file are reported at most ([`YearDir::read`]'s default).
pub const PROBLEMS_PER_FILE: usize = 100;

/// One problem of a year directory (问题): the file, the line (from 1; 0 for the file as a
/// whole), the stable code of the refusal and its message (caller text cut and masked).
///
/// ```
/// let p = bangfu_year::dir::Problem::new("claims.jsonl", 3, "read.syntax", "expected value");
/// assert_eq!(p.to_string(), "claims.jsonl:3: [read.syntax] expected value");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Problem {
    /// The file's name in the directory.
    pub file: String,
    /// The line, from 1; 0 when the problem is the file's as a whole.
    pub line: usize,
    /// The code of the refusal.
    pub code: String,
    /// What is wrong.
    pub message: String,
}

impl Problem {
    /// A problem.
    pub fn new(file: &str, line: usize, code: &str, message: impl Into<String>) -> Problem {
        Problem {
            file: file.to_owned(),
            line,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    fn of(file: &str, line: usize, error: &(impl Coded + std::fmt::Display)) -> Problem {
        Problem::new(file, line, error.code(), error.to_string())
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: [{}] {}",
            self.file, self.line, self.code, self.message
        )
    }
}

/// Problems kept up to [`PROBLEMS_PER_FILE`] a file (问题清单): the rest are counted, not
/// kept, so that a file of a million bad lines reports its first hundred.
///
/// # Example
/// ```
/// use bangfu_year::dir::{PROBLEMS_PER_FILE, PerFile, Problem};
/// let mut list = PerFile::default();
/// for line in 1..=PROBLEMS_PER_FILE + 5 {
///     list.push("claims.jsonl", Problem::new("claims.jsonl", line, "read.syntax", "…"));
/// }
/// assert_eq!(list.into_vec().len(), PROBLEMS_PER_FILE);
/// ```
#[derive(Debug, Clone, Default)]
pub struct PerFile {
    problems: Vec<Problem>,
    counts: BTreeMap<&'static str, usize>,
}

impl PerFile {
    /// Keeps `p` when `file` has fewer than [`PROBLEMS_PER_FILE`] kept.
    pub fn push(&mut self, file: &'static str, p: Problem) {
        let n = self.counts.entry(file).or_insert(0);
        *n = n.saturating_add(1);
        if *n <= PROBLEMS_PER_FILE {
            self.problems.push(p);
        }
    }

    /// Whether no problem was pushed.
    pub fn is_empty(&self) -> bool {
        self.problems.is_empty()
    }

    /// Forgets the problems of `file` (and its count).
    pub(crate) fn forget(&mut self, file: &str) {
        self.problems.retain(|q| q.file != file);
        self.counts.remove(file);
    }

    /// The problems kept, in the order pushed.
    pub fn as_slice(&self) -> &[Problem] {
        &self.problems
    }

    /// The problems kept, in the order pushed.
    pub fn into_vec(self) -> Vec<Problem> {
        self.problems
    }
}

/// A record with the line it was read from (行号).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lined<T> {
    /// The line, from 1.
    pub line: usize,
    /// The record.
    pub record: T,
}

/// A year directory read and checked line by line (年度目录): its policy, budget and records,
/// each record with its line.
///
/// # Example
/// ```
/// use std::collections::BTreeMap;
/// use bangfu_data::hainan2018 as hn;
/// let mut files = BTreeMap::new();
/// files.insert("policy.toml".to_owned(), hn::POLICY_TOML.as_bytes().to_vec());
/// files.insert("budget.toml".to_owned(), hn::BUDGET_TOML.as_bytes().to_vec());
/// files.insert("households.jsonl".to_owned(), hn::HOUSEHOLDS_JSONL.as_bytes().to_vec());
/// files.insert("ledger.jsonl".to_owned(), b"{\"type\":\"income\"}\nnot json\n".to_vec());
/// let problems = bangfu_year::dir::YearDir::read(&files).unwrap_err();
/// assert_eq!(problems.len(), 2);
/// assert_eq!((problems[1].file.as_str(), problems[1].line), ("ledger.jsonl", 2));
/// ```
#[derive(Debug, Clone)]
pub struct YearDir {
    /// `policy.toml`.
    pub policy: Policy,
    /// `budget.toml`.
    pub budget: Budget,
    /// `households.jsonl`.
    pub households: Vec<Lined<HouseholdRecord>>,
    /// `applicants.jsonl`.
    pub applicants: Vec<Lined<ApplicantRecord>>,
    /// `case-events.jsonl`.
    pub case_events: Vec<Lined<CaseEventRecord>>,
    /// `claims.jsonl`.
    pub claims: Vec<Lined<ClaimRecord>>,
    /// `ledger.jsonl`.
    pub ledger: Vec<Lined<Posting>>,
    /// `payments.jsonl`.
    pub payments: Vec<Lined<Payment>>,
    /// `survey.jsonl`.
    pub survey: Vec<Lined<SurveyRecord>>,
    /// `stated.toml`, if present.
    pub stated: Option<StatedFile>,
    /// `judgements.toml`, if present.
    pub judgements: Option<JudgementsFile>,
    /// `report.toml`, if present.
    pub report: Option<ReportFile>,
    /// `units.toml`, if present.
    pub units: Option<UnitTree>,
    /// `allocation.toml`, `payment-checks.jsonl`, `self-inspection.jsonl`.
    pub oversight: OversightFiles,
    /// `temporary-aid.jsonl`: temporary-aid claims and their recorded payments.
    pub temporary: Vec<Lined<TemporaryAidRecord>>,
}

/// The oversight files of a year directory (监督检查记录): the decision on the allocation plan,
/// the payment checks and the self-inspection, each record with its line.
///
/// # Example
/// ```
/// let dir = bangfu_data::guinan2019::year_dir()?;
/// assert!(dir.oversight.allocation.is_some());
/// assert!(!dir.oversight.checks.is_empty());
/// # Ok::<(), bangfu_data::DataError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct OversightFiles {
    /// `allocation.toml`, if present.
    pub allocation: Option<AllocationFile>,
    /// `payment-checks.jsonl`.
    pub checks: Vec<Lined<CheckRecord>>,
    /// `self-inspection.jsonl`.
    pub inspection: Vec<Lined<InspectionRecord>>,
}

/// The text of a file: UTF-8, without a leading byte-order mark.
fn text<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, Problem> {
    input::decode_utf8(bytes)
        .map_err(|e| Problem::new(name, e.line().unwrap_or(0), e.code(), e.to_string()))
}

/// Every record of a JSON Lines file, or up to `limit` problems, each with its line.
fn jsonl<T: serde::de::DeserializeOwned>(
    name: &str,
    bytes: Option<&[u8]>,
    limit: usize,
    problems: &mut Vec<Problem>,
) -> Vec<Lined<T>> {
    let Some(bytes) = bytes else {
        return Vec::new();
    };
    let text = match read::utf8(bytes) {
        Ok(t) => t,
        Err(e) => {
            problems.push(Problem::of(name, e.line().unwrap_or(0), &e));
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    let mut found = 0usize;
    for (i, l) in text.lines().enumerate() {
        let line = i + 1;
        if l.trim().is_empty() {
            continue;
        }
        match input::parse_json_line::<T>(l) {
            Ok(record) => out.push(Lined { line, record }),
            Err(e) => {
                found += 1;
                if found <= limit {
                    problems.push(Problem::of(name, line, &e));
                }
            }
        }
    }
    out
}

/// A TOML file read by `parse`, or its problem with its line.
fn toml_file<T>(
    name: &str,
    bytes: Option<&[u8]>,
    parse: impl Fn(&str) -> Result<T, Problem>,
    problems: &mut Vec<Problem>,
) -> Option<T> {
    let bytes = bytes?;
    match text(name, bytes).and_then(parse) {
        Ok(v) => Some(v),
        Err(p) => {
            problems.push(p);
            None
        }
    }
}

fn input_problem(name: &str) -> impl Fn(InputError) -> Problem + '_ {
    move |e| Problem::new(name, e.line().unwrap_or(0), e.code(), e.to_string())
}

fn evaluation_problem(name: &str) -> impl Fn(EvaluationError) -> Problem + '_ {
    move |e| {
        let line = match &e {
            EvaluationError::Input(i) => i.line().unwrap_or(0),
            _ => 0,
        };
        Problem::new(name, line, e.code(), e.to_string())
    }
}

/// The files in the order their problems are reported ([`YearDir::read`]): the policy and
/// the budget, the record files, the report's files, the oversight files, the tree.
const READ_ORDER: &[&str] = &[
    "policy.toml",
    "budget.toml",
    "households.jsonl",
    "applicants.jsonl",
    "case-events.jsonl",
    "claims.jsonl",
    "ledger.jsonl",
    "payments.jsonl",
    "survey.jsonl",
    "stated.toml",
    "judgements.toml",
    "report.toml",
    "allocation.toml",
    "payment-checks.jsonl",
    "self-inspection.jsonl",
    "temporary-aid.jsonl",
    "units.toml",
];

/// Where a file's problems come in [`READ_ORDER`] (a name not in it last).
fn read_rank(file: &str) -> usize {
    READ_ORDER
        .iter()
        .position(|f| *f == file)
        .unwrap_or(READ_ORDER.len())
}

/// The required files that `exists` does not find (`dir.missing_file`).
fn missing_files(exists: impl Fn(&str) -> bool) -> Vec<Problem> {
    ["policy.toml", "budget.toml", "households.jsonl"]
        .into_iter()
        .filter(|f| !exists(f))
        .map(|f| {
            Problem::new(
                f,
                0,
                "dir.missing_file",
                format!("the year directory has no {f}"),
            )
        })
        .collect()
}

/// The small files of a directory, read whole: the policy, the budget, the report's files,
/// the allocation decision and the tree.
struct Heads {
    policy: Option<Policy>,
    budget: Option<Budget>,
    stated: Option<StatedFile>,
    judgements: Option<JudgementsFile>,
    report: Option<ReportFile>,
    allocation: Option<AllocationFile>,
    units: Option<UnitTree>,
}

impl Heads {
    /// The small files `get` gives; each problem pushed to `problems`.
    fn read<'a>(get: &dyn Fn(&str) -> Option<&'a [u8]>, problems: &mut Vec<Problem>) -> Heads {
        let policy = toml_file(
            "policy.toml",
            get("policy.toml"),
            |t| Policy::from_toml(t).map_err(input_problem("policy.toml")),
            problems,
        );
        let budget = toml_file(
            "budget.toml",
            get("budget.toml"),
            |t| {
                match &policy {
                    Some(p) => input::parse_budget_toml_for(t, &p.funding),
                    None => input::parse_budget_toml(t),
                }
                .map_err(input_problem("budget.toml"))
            },
            problems,
        );
        let stated = toml_file(
            "stated.toml",
            get("stated.toml"),
            |t| StatedFile::from_toml(t).map_err(evaluation_problem("stated.toml")),
            problems,
        );
        let judgements = toml_file(
            "judgements.toml",
            get("judgements.toml"),
            |t| JudgementsFile::from_toml(t).map_err(evaluation_problem("judgements.toml")),
            problems,
        );
        let report = toml_file(
            "report.toml",
            get("report.toml"),
            |t| ReportFile::from_toml(t).map_err(evaluation_problem("report.toml")),
            problems,
        );
        let allocation = toml_file(
            "allocation.toml",
            get("allocation.toml"),
            |t| AllocationFile::from_toml(t).map_err(input_problem("allocation.toml")),
            problems,
        );
        let units = toml_file(
            "units.toml",
            get("units.toml"),
            |t| {
                UnitTree::from_toml(t)
                    .map_err(|e| Problem::new("units.toml", e.line(), e.code(), e.to_string()))
            },
            problems,
        );
        Heads {
            policy,
            budget,
            stated,
            judgements,
            report,
            allocation,
            units,
        }
    }
}

/// Records taken between two calls of a build's progress callback.
const PROGRESS_EVERY: u64 = 4096;

impl YearDir {
    /// Reads a directory's files, given by name (the names of [`FILE_NAMES`]; others are
    /// ignored), reporting every bad record of each file up to [`PROBLEMS_PER_FILE`].
    ///
    /// # Errors
    /// Every problem found, in file order; `dir.missing_file` for a missing required file.
    pub fn read(files: &BTreeMap<String, Vec<u8>>) -> Result<YearDir, Vec<Problem>> {
        YearDir::read_with_limit(files, PROBLEMS_PER_FILE)
    }

    /// [`YearDir::read`] with another limit of problems per file.
    ///
    /// # Errors
    /// As [`YearDir::read`].
    pub fn read_with_limit(
        files: &BTreeMap<String, Vec<u8>>,
        limit: usize,
    ) -> Result<YearDir, Vec<Problem>> {
        let missing = missing_files(|n| files.contains_key(n));
        let get = |n: &str| files.get(n).map(Vec::as_slice);
        let mut problems = Vec::new();
        let heads = Heads::read(&get, &mut problems);
        let households = jsonl(
            "households.jsonl",
            get("households.jsonl"),
            limit,
            &mut problems,
        );
        let applicants = jsonl(
            "applicants.jsonl",
            get("applicants.jsonl"),
            limit,
            &mut problems,
        );
        let case_events = jsonl(
            "case-events.jsonl",
            get("case-events.jsonl"),
            limit,
            &mut problems,
        );
        let claims = jsonl("claims.jsonl", get("claims.jsonl"), limit, &mut problems);
        let ledger = jsonl("ledger.jsonl", get("ledger.jsonl"), limit, &mut problems);
        let payments = jsonl(
            "payments.jsonl",
            get("payments.jsonl"),
            limit,
            &mut problems,
        );
        let survey = jsonl("survey.jsonl", get("survey.jsonl"), limit, &mut problems);
        let checks = jsonl(
            "payment-checks.jsonl",
            get("payment-checks.jsonl"),
            limit,
            &mut problems,
        );
        let inspection = jsonl(
            "self-inspection.jsonl",
            get("self-inspection.jsonl"),
            limit,
            &mut problems,
        );
        let temporary = jsonl(
            "temporary-aid.jsonl",
            get("temporary-aid.jsonl"),
            limit,
            &mut problems,
        );
        // Every problem of reading by file, in the order of `READ_ORDER`.
        problems.sort_by_key(|p| read_rank(&p.file));
        let mut all = missing;
        all.append(&mut problems);
        let Heads {
            policy,
            budget,
            stated,
            judgements,
            report,
            allocation,
            units,
        } = heads;
        if let Some(tree) = &units {
            outside_tree(tree, &households, &ledger, &survey, limit, &mut all);
            temporary_outside_tree(tree, &temporary, limit, &mut all);
        }
        match (policy, budget) {
            (Some(policy), Some(budget)) if all.is_empty() => Ok(YearDir {
                policy,
                budget,
                households,
                applicants,
                case_events,
                claims,
                ledger,
                payments,
                survey,
                stated,
                judgements,
                report,
                oversight: OversightFiles {
                    allocation,
                    checks,
                    inspection,
                },
                units,
                temporary,
            }),
            _ => Err(all),
        }
    }

    /// The directory's records in the order the year takes them, each with its file and
    /// line: the households, the refused applicants, the case-file events in date order,
    /// then the claims, the recorded postings and the payments in date order (on one day:
    /// claims, then postings, then payments, each in file order), then the oversight records
    /// (the decision on the allocation plan, the payment checks and the self-inspection, each
    /// in file order: they look back on the year), then the home visits. The
    /// policy, budget and report files come apart ([`DirParts`]).
    ///
    /// # Example
    /// ```
    /// # use std::collections::BTreeMap;
    /// # use bangfu_data::hainan2018 as hn;
    /// # let mut files = BTreeMap::new();
    /// # files.insert("policy.toml".to_owned(), hn::POLICY_TOML.as_bytes().to_vec());
    /// # files.insert("budget.toml".to_owned(), hn::BUDGET_TOML.as_bytes().to_vec());
    /// # files.insert("households.jsonl".to_owned(), hn::HOUSEHOLDS_JSONL.as_bytes().to_vec());
    /// let (_, records) = bangfu_year::dir::YearDir::read(&files).unwrap().into_records();
    /// assert_eq!(records[0].file, "households.jsonl");
    /// assert_eq!(records[0].line, 1);
    /// ```
    pub fn into_records(self) -> (DirParts, Vec<Placed>) {
        let (parts, records) = self.into_placed();
        (parts, records.collect())
    }

    /// [`YearDir::into_records`] as an iterator: each record is moved out of the directory
    /// once, as it is taken, and no list of all the records is made (at the national scale
    /// that list alone was half a kilobyte a record).
    fn into_placed(self) -> (DirParts, impl Iterator<Item = Placed>) {
        let mut events = self.case_events;
        events.sort_by_key(|e| e.record.date());
        let order = YearOrder {
            households: self.households.into_iter(),
            applicants: self.applicants.into_iter(),
            events: events.into_iter(),
            dated: sorted_by_date(self.claims, self.ledger, self.payments, self.temporary),
            allocation: self.oversight.allocation,
            checks: self.oversight.checks.into_iter(),
            inspection: self.oversight.inspection.into_iter(),
            survey: self.survey.into_iter(),
        };
        let parts = DirParts {
            policy: self.policy,
            budget: self.budget,
            stated: self.stated,
            judgements: self.judgements,
            report: self.report,
            units: self.units,
        };
        (parts, order.records())
    }

    /// Builds the year through the one path, taking the records in the order of
    /// [`YearDir::into_records`]. Every record the path refuses is a problem (a refused
    /// record is skipped, so that one run reports them all, up to [`PROBLEMS_PER_FILE`] per
    /// file); a union's recorded payments that break a rule are not problems but findings
    /// ([`ProgrammeYear::payments`]). The records move into the year (none is copied).
    ///
    /// # Errors
    /// Every record refused, with its file, line and code; no year then.
    pub fn build(self) -> Result<BuiltYear, Vec<Problem>> {
        self.build_with(&mut |_| {})
    }

    /// How many records the year takes when built ([`YearDir::build_with`]'s whole count).
    ///
    /// # Example
    /// ```
    /// # use std::collections::BTreeMap;
    /// # use bangfu_data::hainan2018 as hn;
    /// # let mut files = BTreeMap::new();
    /// # files.insert("policy.toml".to_owned(), hn::POLICY_TOML.as_bytes().to_vec());
    /// # files.insert("budget.toml".to_owned(), hn::BUDGET_TOML.as_bytes().to_vec());
    /// # files.insert("households.jsonl".to_owned(), hn::HOUSEHOLDS_JSONL.as_bytes().to_vec());
    /// let dir = bangfu_year::dir::YearDir::read(&files).unwrap();
    /// assert_eq!(dir.records(), 983);
    /// ```
    pub fn records(&self) -> u64 {
        let o = &self.oversight;
        (self.households.len()
            + self.applicants.len()
            + self.case_events.len()
            + self.claims.len()
            + self.ledger.len()
            + self.payments.len()
            + self.temporary.len()
            + self.survey.len()
            + usize::from(o.allocation.is_some())
            + o.checks.len()
            + o.inspection.len()) as u64
    }

    /// [`YearDir::build`], telling `progress` how many records were taken since its last
    /// call (every 4,096 records and at the end): a caller's progress bar. The calls add up
    /// to [`YearDir::records`].
    ///
    /// # Example
    /// ```
    /// # use std::collections::BTreeMap;
    /// # use bangfu_data::hainan2018 as hn;
    /// # let mut files = BTreeMap::new();
    /// # files.insert("policy.toml".to_owned(), hn::POLICY_TOML.as_bytes().to_vec());
    /// # files.insert("budget.toml".to_owned(), hn::BUDGET_TOML.as_bytes().to_vec());
    /// # files.insert("households.jsonl".to_owned(), hn::HOUSEHOLDS_JSONL.as_bytes().to_vec());
    /// let dir = bangfu_year::dir::YearDir::read(&files).unwrap();
    /// let mut taken = 0;
    /// dir.build_with(&mut |n| taken += n).unwrap();
    /// assert_eq!(taken, 983);
    /// ```
    ///
    /// # Errors
    /// As [`YearDir::build`].
    pub fn build_with(self, progress: &mut dyn FnMut(u64)) -> Result<BuiltYear, Vec<Problem>> {
        let mut problems = PerFile::default();
        let (parts, records) = self.into_placed();
        let mut year = ProgrammeYear::new(parts.policy, parts.budget)
            .map_err(|e| vec![Problem::of("budget.toml", 0, &e)])?;
        let mut since = 0;
        for placed in records {
            since += 1;
            if since == PROGRESS_EVERY {
                progress(since);
                since = 0;
            }
            if let Err(e) = year.take(placed.record) {
                problems.push(placed.file, Problem::of(placed.file, placed.line, &e));
            }
        }
        progress(since);
        if problems.is_empty() {
            Ok(BuiltYear {
                year,
                stated: parts.stated,
                judgements: parts.judgements,
                report: parts.report,
                units: parts.units,
            })
        } else {
            Err(problems.into_vec())
        }
    }
}

/// What a year directory holds beside its records: the policy, the budget and the files of
/// the report ([`YearDir::into_records`]).
///
/// # Example
/// See [`YearDir::into_records`].
#[derive(Debug, Clone)]
pub struct DirParts {
    /// `policy.toml`.
    pub policy: Policy,
    /// `budget.toml`.
    pub budget: Budget,
    /// `stated.toml`, if present.
    pub stated: Option<StatedFile>,
    /// `judgements.toml`, if present.
    pub judgements: Option<JudgementsFile>,
    /// `report.toml`, if present.
    pub report: Option<ReportFile>,
    /// `units.toml`, if present.
    pub units: Option<UnitTree>,
}

/// One record of a year directory (年度记录), as the year takes it ([`ProgrammeYear::take`]).
///
/// # Example
/// See [`YearDir::into_records`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum YearRecord {
    /// A household filed (`households.jsonl`).
    Household(HouseholdRecord),
    /// An applicant refused at preliminary review (`applicants.jsonl`).
    Applicant(ApplicantRecord),
    /// A case-file event (`case-events.jsonl`).
    CaseEvent(CaseEventRecord),
    /// A claim (`claims.jsonl`).
    Claim(ClaimRecord),
    /// A recorded posting of the union's history (`ledger.jsonl`).
    Posting(Posting),
    /// A payment of a decided claim (`payments.jsonl`).
    Payment(Payment),
    /// A home visit (`survey.jsonl`).
    Visit(SurveyRecord),
    /// The collective decision on the allocation plan (`allocation.toml`).
    Allocation(AllocationFile),
    /// A payment check (`payment-checks.jsonl`).
    Check(CheckRecord),
    /// A self-inspection item or fix (`self-inspection.jsonl`).
    Inspection(InspectionRecord),
    /// A temporary-aid claim or its recorded payment (`temporary-aid.jsonl`).
    Temporary(TemporaryAidRecord),
}

/// A record with the file and line it was read from.
///
/// # Example
/// See [`YearDir::into_records`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Placed {
    /// The file's name in the directory.
    pub file: &'static str,
    /// The line, from 1.
    pub line: usize,
    /// The record.
    pub record: YearRecord,
}

impl ProgrammeYear {
    /// Takes one record of a year directory through the one path: a household filed, an
    /// applicant refused, a case-file event, a claim decided, a posting recorded, a payment
    /// made or a visit.
    ///
    /// # Errors
    /// The refusal of the path, as the record's own method gives it; nothing changes.
    ///
    /// # Example
    /// ```
    /// use bangfu_year::dir::YearRecord;
    /// use bangfu_data::hainan2018 as hn;
    /// let mut year = bangfu_year::ProgrammeYear::new(hn::policy()?, hn::budget()?)?;
    /// let household = hn::households()?.remove(0);
    /// year.take(YearRecord::Household(household.clone()))?;
    /// assert!(year.household(household.id()).is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn take(&mut self, record: YearRecord) -> Result<(), YearError> {
        match record {
            YearRecord::Household(h) => self.file_household(h),
            YearRecord::Applicant(a) => self.refuse_applicant(&a),
            YearRecord::CaseEvent(e) => self.case_event(&e.case, e.change),
            YearRecord::Claim(c) => self.claim(c).map(|_| ()),
            YearRecord::Posting(p) => self.record(p).map(|_| ()),
            YearRecord::Payment(p) => self.pay(p).map(|_| ()),
            YearRecord::Visit(v) => {
                self.visit(v);
                Ok(())
            }
            YearRecord::Allocation(a) => self.approve_allocation(a),
            YearRecord::Check(c) => self.check_record(c),
            YearRecord::Inspection(i) => self.inspection(i),
            YearRecord::Temporary(t) => self.temporary_aid(t).map(|_| ()),
        }
    }
}

/// A directory's records by kind, each stream in its file's order (the case-file events and
/// the dated files in date order): [`YearOrder::records`] gives them in the one order the
/// year takes them, whether they were read whole ([`YearDir::into_records`]) or line by line
/// ([`RecordStream`]).
struct YearOrder<H, A, E, D, K, I, S> {
    households: H,
    applicants: A,
    events: E,
    dated: D,
    allocation: Option<AllocationFile>,
    checks: K,
    inspection: I,
    survey: S,
}

impl<H, A, E, D, K, I, S> YearOrder<H, A, E, D, K, I, S>
where
    H: Iterator<Item = Lined<HouseholdRecord>>,
    A: Iterator<Item = Lined<ApplicantRecord>>,
    E: Iterator<Item = Lined<CaseEventRecord>>,
    D: Iterator<Item = Placed>,
    K: Iterator<Item = Lined<CheckRecord>>,
    I: Iterator<Item = Lined<InspectionRecord>>,
    S: Iterator<Item = Lined<SurveyRecord>>,
{
    /// The households, the refused applicants, the case-file events, the dated records
    /// merged by day, the allocation decision, the payment checks, the self-inspection and
    /// the home visits.
    fn records(self) -> impl Iterator<Item = Placed> {
        fn placed<T>(file: &'static str, wrap: fn(T) -> YearRecord) -> impl Fn(Lined<T>) -> Placed {
            move |l| Placed {
                file,
                line: l.line,
                record: wrap(l.record),
            }
        }
        let allocation = self.allocation.map(|a| Placed {
            file: "allocation.toml",
            line: 0,
            record: YearRecord::Allocation(a),
        });
        self.households
            .map(placed("households.jsonl", YearRecord::Household))
            .chain(
                self.applicants
                    .map(placed("applicants.jsonl", YearRecord::Applicant)),
            )
            .chain(
                self.events
                    .map(placed("case-events.jsonl", YearRecord::CaseEvent)),
            )
            .chain(self.dated)
            .chain(allocation)
            .chain(
                self.checks
                    .map(placed("payment-checks.jsonl", YearRecord::Check)),
            )
            .chain(
                self.inspection
                    .map(placed("self-inspection.jsonl", YearRecord::Inspection)),
            )
            .chain(self.survey.map(placed("survey.jsonl", YearRecord::Visit)))
    }
}

/// The claims, the recorded postings, the payments and the temporary-aid records merged in
/// date order: on one day the claims, the temporary-aid claims, the postings, the recorded
/// temporary-aid payments, then the payments, each in file order (a file need not be in date
/// order: each is sorted by date first, keeping its order within a day).
struct Dated<C, L, P, T>
where
    C: Iterator<Item = Lined<ClaimRecord>>,
    L: Iterator<Item = Lined<Posting>>,
    P: Iterator<Item = Lined<Payment>>,
    T: Iterator<Item = Lined<TemporaryAidRecord>>,
{
    claims: std::iter::Peekable<C>,
    ledger: std::iter::Peekable<L>,
    payments: std::iter::Peekable<P>,
    temporary: std::iter::Peekable<T>,
}

/// The records of `claims.jsonl`, `ledger.jsonl`, `payments.jsonl` and `temporary-aid.jsonl`
/// merged in the order the year takes them ([`YearDir::into_records`]), each given in date
/// order (a stream of a file read line by line, a file already in date order): on one day
/// the claims, the temporary-aid claims, the postings, the recorded temporary-aid payments,
/// then the payments, each in the order given.
///
/// # Example
/// ```
/// use bangfu_year::dir::{Lined, merge_by_date};
/// let none = std::iter::empty::<Lined<bangfu_year::Payment>>();
/// let merged = merge_by_date(std::iter::empty(), std::iter::empty(), none, std::iter::empty());
/// assert_eq!(merged.count(), 0);
/// ```
pub fn merge_by_date<C, L, P, T>(
    claims: C,
    ledger: L,
    payments: P,
    temporary: T,
) -> impl Iterator<Item = Placed>
where
    C: Iterator<Item = Lined<ClaimRecord>>,
    L: Iterator<Item = Lined<Posting>>,
    P: Iterator<Item = Lined<Payment>>,
    T: Iterator<Item = Lined<TemporaryAidRecord>>,
{
    Dated {
        claims: claims.peekable(),
        ledger: ledger.peekable(),
        payments: payments.peekable(),
        temporary: temporary.peekable(),
    }
}

/// The dated files' records, each file sorted by date first (stable: the lines of one day
/// stay in file order), merged as [`merge_by_date`] does.
fn sorted_by_date(
    mut claims: Vec<Lined<ClaimRecord>>,
    mut ledger: Vec<Lined<Posting>>,
    mut payments: Vec<Lined<Payment>>,
    mut temporary: Vec<Lined<TemporaryAidRecord>>,
) -> impl Iterator<Item = Placed> {
    claims.sort_by_key(|c| c.record.date);
    ledger.sort_by_key(|p| p.record.date());
    payments.sort_by_key(|p| p.record.date);
    temporary.sort_by_key(|t| t.record.date());
    merge_by_date(
        claims.into_iter(),
        ledger.into_iter(),
        payments.into_iter(),
        temporary.into_iter(),
    )
}

impl<C, L, P, T> Iterator for Dated<C, L, P, T>
where
    C: Iterator<Item = Lined<ClaimRecord>>,
    L: Iterator<Item = Lined<Posting>>,
    P: Iterator<Item = Lined<Payment>>,
    T: Iterator<Item = Lined<TemporaryAidRecord>>,
{
    type Item = Placed;

    fn next(&mut self) -> Option<Placed> {
        let c = self.claims.peek().map(|c| (c.record.date, 0));
        let t = self.temporary.peek().map(|t| match &t.record {
            TemporaryAidRecord::Claim(_) => (t.record.date(), 1),
            _ => (t.record.date(), 3),
        });
        let l = self.ledger.peek().map(|p| (p.record.date(), 2));
        let p = self.payments.peek().map(|p| (p.record.date, 4));
        // The earliest day; on one day by rank (each stream has ranks of its own).
        let first = [c, t, l, p].into_iter().flatten().min()?;
        let place =
            |file: &'static str, line: usize, record: YearRecord| Placed { file, line, record };
        if c == Some(first) {
            let c = self.claims.next()?;
            Some(place("claims.jsonl", c.line, YearRecord::Claim(c.record)))
        } else if t == Some(first) {
            let t = self.temporary.next()?;
            Some(place(
                "temporary-aid.jsonl",
                t.line,
                YearRecord::Temporary(t.record),
            ))
        } else if l == Some(first) {
            let p = self.ledger.next()?;
            Some(place("ledger.jsonl", p.line, YearRecord::Posting(p.record)))
        } else {
            let p = self.payments.next()?;
            Some(place(
                "payments.jsonl",
                p.line,
                YearRecord::Payment(p.record),
            ))
        }
    }
}

/// The temporary-aid claims that name a unit the tree does not have (`tree.unknown_unit`).
fn temporary_outside_tree(
    tree: &UnitTree,
    records: &[Lined<TemporaryAidRecord>],
    limit: usize,
    problems: &mut Vec<Problem>,
) {
    let outside = records.iter().filter_map(|r| {
        let e = tree.check(tree_unit::temporary(&r.record)?).err()?;
        Some(Problem::of("temporary-aid.jsonl", r.line, &e))
    });
    problems.extend(outside.take(limit));
}

/// A year directory built (年度): the year, and the files its report needs.
///
/// # Example
/// ```
/// # use std::collections::BTreeMap;
/// # use bangfu_data::hainan2018 as hn;
/// # let mut files = BTreeMap::new();
/// # files.insert("policy.toml".to_owned(), hn::POLICY_TOML.as_bytes().to_vec());
/// # files.insert("budget.toml".to_owned(), hn::BUDGET_TOML.as_bytes().to_vec());
/// # files.insert("households.jsonl".to_owned(), Vec::new());
/// let built = bangfu_year::dir::YearDir::read(&files).unwrap().build().unwrap();
/// assert_eq!(built.missing_for_report().len(), 3);
/// assert_eq!(built.year.payments().payments.count, 0);
/// ```
#[derive(Debug, Clone)]
pub struct BuiltYear {
    /// The year.
    pub year: ProgrammeYear,
    /// `stated.toml`, if present.
    pub stated: Option<StatedFile>,
    /// `judgements.toml`, if present.
    pub judgements: Option<JudgementsFile>,
    /// `report.toml`, if present.
    pub report: Option<ReportFile>,
    /// `units.toml`, if present.
    pub units: Option<UnitTree>,
}

impl BuiltYear {
    /// The files the report needs that the directory does not have, with what each gives
    /// (in Chinese and English).
    pub fn missing_for_report(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        let mut out = Vec::new();
        if self.stated.is_none() {
            out.push((
                "stated.toml",
                "计划（每户每年帮扶次数）与报告所述数字",
                "the plan (aids per household a year) and the figures the report states",
            ));
        }
        if self.judgements.is_none() {
            out.push((
                "judgements.toml",
                "评价组对定性指标的判断",
                "the evaluator's judgements of the qualitative indicators",
            ));
        }
        if self.report.is_none() {
            out.push((
                "report.toml",
                "报告的名称、日期、叙述与建档单位名称",
                "the report's names, dates, narrative and the units' names",
            ));
        }
        out
    }

    /// The evaluation of the year under `framework`, when the directory has the files the
    /// report needs ([`BuiltYear::missing_for_report`] is empty).
    ///
    /// # Errors
    /// `dir.missing_file` naming the first file missing; the evaluation's errors.
    pub fn evaluate(&self, framework: FrameworkChoice) -> Result<Evaluation, EvaluationError> {
        let (Some(stated), Some(judgements), Some(report)) =
            (&self.stated, &self.judgements, &self.report)
        else {
            let name = self.missing_for_report().first().map_or("", |m| m.0);
            return Err(EvaluationError::MissingFile(name));
        };
        let named = self.units.as_ref().map(|tree| report.with_tree(tree));
        let records = Records {
            year: &self.year,
            plan: &stated.plan,
            report: named.as_ref().unwrap_or(report),
        };
        Evaluation::new(
            &records,
            stated.clone(),
            &framework.framework()?,
            &judgements.for_framework(framework),
        )
    }
}

/// The records that name a unit the tree does not have (`tree.unknown_unit`, with file and
/// line): the units [`tree_unit`] names (a household's worker's, a recorded disbursement's, a
/// visit's).
fn outside_tree(
    tree: &UnitTree,
    households: &[Lined<HouseholdRecord>],
    ledger: &[Lined<Posting>],
    survey: &[Lined<SurveyRecord>],
    limit: usize,
    problems: &mut Vec<Problem>,
) {
    fn check<'a, T: 'a>(
        tree: &UnitTree,
        file: &str,
        records: &'a [Lined<T>],
        unit: impl Fn(&'a T) -> Option<&'a bangfu_core::UnitId>,
        limit: usize,
        problems: &mut Vec<Problem>,
    ) {
        let outside = records.iter().filter_map(|r| {
            let e = tree.check(unit(&r.record)?).err()?;
            Some(Problem::of(file, r.line, &e))
        });
        problems.extend(outside.take(limit));
    }
    check(
        tree,
        "households.jsonl",
        households,
        |h| tree_unit::household(h),
        limit,
        problems,
    );
    check(
        tree,
        "ledger.jsonl",
        ledger,
        tree_unit::posting,
        limit,
        problems,
    );
    check(
        tree,
        "survey.jsonl",
        survey,
        |v| Some(&v.unit),
        limit,
        problems,
    );
}
