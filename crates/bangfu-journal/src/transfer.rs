//! A store to a year directory and back (导出与导入): `export` writes the files of
//! `docs/year-directory.md` from the journal; `import` applies a year directory's records
//! as operations, in the order the year takes them.

use std::collections::BTreeMap;

use bangfu_funding::{Income, Posting, Reversal};
use bangfu_year::dir::{Problem, YearDir};

use crate::ingest::{Progress, placed_lines, report_lines, store_problem};
use crate::op::{AccountId, OpKind, OpLine};
use crate::storage::Storage;
use crate::{Journal, JournalError, Setup};

/// The file of the year directory an operation's record goes to.
fn file_of(kind: OpKind) -> Option<&'static str> {
    Some(match kind {
        OpKind::FileHousehold => "households.jsonl",
        OpKind::RefuseApplicant => "applicants.jsonl",
        OpKind::CaseEvent => "case-events.jsonl",
        OpKind::Claim => "claims.jsonl",
        OpKind::Pay => "payments.jsonl",
        OpKind::Income | OpKind::Record | OpKind::Reverse => "ledger.jsonl",
        OpKind::Visit => "survey.jsonl",
        OpKind::PaymentCheck => "payment-checks.jsonl",
        OpKind::Inspection => "self-inspection.jsonl",
        OpKind::Temporary => "temporary-aid.jsonl",
        _ => return None,
    })
}

/// A year directory as operations (目录转操作): the setup of its policy and budget, and its
/// records as operation lines in the order the year takes them ([`YearDir::into_records`]),
/// each with the id `FILE:LINE`, by the given actor, dated with its record's own date; the
/// report's files follow, dated with the last record's date.
///
/// # Example
/// ```
/// use bangfu_journal::{AccountId, DirOperations};
/// let ops = DirOperations::read(&bangfu_data::hainan2018::files(), &AccountId::new("import")?).unwrap();
/// assert_eq!(ops.lines[0].id.as_str(), "households.jsonl:1");
/// assert_eq!(ops.places.len(), ops.lines.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct DirOperations {
    /// The policy and budget, as the directory's files give them.
    pub setup: Setup,
    /// The file and line of each operation (line 0 for a report file).
    pub places: Vec<(&'static str, usize)>,
    /// The operations.
    pub lines: Vec<OpLine>,
}

impl DirOperations {
    /// Reads the directory (every problem of reading reported when there is one), and gives
    /// its operations. The rules are not applied here: [`Journal::from_operations`] applies
    /// each operation once, and a refused one is a problem of its file and line there.
    ///
    /// # Errors
    /// Every problem found, as [`YearDir::read`] gives them.
    pub fn read(
        files: &BTreeMap<String, Vec<u8>>,
        actor: &AccountId,
    ) -> Result<DirOperations, Vec<Problem>> {
        let dir = YearDir::read(files)?;
        let text = |name: &str| {
            files
                .get(name)
                .and_then(|b| bangfu_core::read::utf8(b).ok())
                .unwrap_or_default()
        };
        let setup = Setup::new(text("policy.toml"), text("budget.toml")).map_err(store_problem)?;
        let setup = match files.get("units.toml") {
            Some(_) => setup.with_units(text("units.toml")).map_err(|e| {
                vec![Problem::new(
                    "units.toml",
                    0,
                    bangfu_core::Coded::code(&e),
                    e.to_string(),
                )]
            })?,
            None => setup,
        };
        let year_start = setup.year_start();
        let (_, records) = dir.into_records();
        let last = std::cell::RefCell::new(None);
        let mut lines = Vec::with_capacity(records.len().saturating_add(3));
        let mut places = Vec::with_capacity(lines.capacity());
        for (place, line) in placed_lines(records.into_iter(), actor, &last) {
            places.push(place);
            lines.push(line.map_err(|p| vec![p])?);
        }
        let report_day = last.take().unwrap_or(year_start);
        for (place, line) in report_lines(files, actor, report_day)? {
            places.push(place);
            lines.push(line);
        }
        Ok(DirOperations {
            setup,
            places,
            lines,
        })
    }
}

impl<S: Storage> Journal<S> {
    /// The year directory of the store (导出), file name to bytes: the policy and budget
    /// files as the store was created with them, one record a line per file in journal
    /// order (income and reversals as ledger postings, an approved payment order as a payment
    /// dated the day it was approved; orders waiting or rejected are not in a year
    /// directory), the report's files last kept, and `receipt.json`
    /// (the receipt, and the close when the year is closed; a year directory reader ignores
    /// it). A year closed in the store is open again in the directory: the directory has no
    /// close.
    ///
    /// # Errors
    /// The storage's errors; `journal.diverged` for a stored body that does not read.
    ///
    /// # Example
    /// ```
    /// # use bangfu_journal::{Journal, MemoryStorage, Setup};
    /// # use bangfu_data::hainan2018 as hn;
    /// let mut journal = Journal::create(MemoryStorage::default(), Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?)?;
    /// let files = journal.export()?;
    /// assert_eq!(files["policy.toml"], hn::POLICY_TOML.as_bytes());
    /// assert!(files["households.jsonl"].is_empty());
    /// # Ok::<(), bangfu_journal::JournalError>(())
    /// ```
    pub fn export(&mut self) -> Result<BTreeMap<String, Vec<u8>>, JournalError> {
        let mut files: BTreeMap<String, Vec<u8>> = BTreeMap::new();
        files.insert(
            "policy.toml".to_owned(),
            self.setup().policy_toml().as_bytes().to_vec(),
        );
        files.insert(
            "budget.toml".to_owned(),
            self.setup().budget_toml().as_bytes().to_vec(),
        );
        files.insert("households.jsonl".to_owned(), Vec::new());
        if let Some(units) = self.setup().units_toml() {
            files.insert("units.toml".to_owned(), units.as_bytes().to_vec());
        }
        // The orders waiting, by payment id: an approved order is a payment of the directory,
        // dated the day it was approved (as the journal pays it).
        let mut orders: BTreeMap<String, bangfu_year::Payment> = BTreeMap::new();
        for entry in self.entries()? {
            let diverged = |e: serde_json::Error| JournalError::Diverged {
                position: entry.position,
                code: "read.syntax",
                message: e.to_string(),
            };
            let (name, body) = match entry.kind {
                OpKind::Order => {
                    let payment: bangfu_year::Payment =
                        serde_json::from_str(&entry.body).map_err(diverged)?;
                    orders.insert(payment.id.to_string(), payment);
                    continue;
                }
                OpKind::Allocation => {
                    let decision: bangfu_year::oversight::AllocationFile =
                        serde_json::from_str(&entry.body).map_err(diverged)?;
                    files.insert(
                        "allocation.toml".to_owned(),
                        decision.to_toml().into_bytes(),
                    );
                    continue;
                }
                OpKind::Approve | OpKind::Reject => {
                    let decision: crate::OrderDecision =
                        serde_json::from_str(&entry.body).map_err(diverged)?;
                    let order = orders.remove(decision.payment.as_str());
                    match (entry.kind, order) {
                        (OpKind::Approve, Some(mut payment)) => {
                            payment.date = entry.date;
                            let body = serde_json::to_string(&payment).map_err(diverged)?;
                            ("payments.jsonl", body)
                        }
                        _ => continue,
                    }
                }
                kind => match file_of(kind) {
                    Some(name) => (name, entry.body),
                    None => continue,
                },
            };
            // An income or a reversal is a posting of the ledger file, with its type.
            let line = match entry.kind {
                OpKind::Income => serde_json::to_string(&Posting::Income(
                    serde_json::from_str::<Income>(&body).map_err(diverged)?,
                ))
                .unwrap_or_default(),
                OpKind::Reverse => serde_json::to_string(&Posting::Reversal(
                    serde_json::from_str::<Reversal>(&body).map_err(diverged)?,
                ))
                .unwrap_or_default(),
                _ => body,
            };
            let file = files.entry(name.to_owned()).or_default();
            file.extend_from_slice(line.as_bytes());
            file.push(b'\n');
        }
        let texts: Vec<(String, Vec<u8>)> = self
            .report_texts()
            .into_iter()
            .map(|(name, text)| (name.to_owned(), text.as_bytes().to_vec()))
            .collect();
        files.extend(texts);
        let receipt = serde_json::json!({
            "receipt": self.receipt(),
            "closed_by": self.closed_by(),
        });
        let mut text = serde_json::to_string_pretty(&receipt).unwrap_or_default();
        text.push('\n');
        files.insert("receipt.json".to_owned(), text.into_bytes());
        Ok(files)
    }

    /// A new store from a year directory's files (导入): the directory is read (every
    /// problem of reading reported, nothing written when there is one), then its operations
    /// ([`DirOperations::read`]) are applied once each through the rules in one transaction
    /// ([`Journal::from_operations`]): a refused one is a problem, and nothing is written.
    ///
    /// # Errors
    /// Every problem of the directory, as [`YearDir::read`] gives them, or every record the
    /// rules refuse, with its file and line; a storage error as a problem of the store
    /// (file `store`, line 0).
    ///
    /// # Example
    /// ```
    /// # use std::collections::BTreeMap;
    /// use bangfu_journal::{AccountId, Journal, MemoryStorage};
    /// # use bangfu_data::hainan2018 as hn;
    /// let mut files = BTreeMap::new();
    /// files.insert("policy.toml".to_owned(), hn::POLICY_TOML.as_bytes().to_vec());
    /// files.insert("budget.toml".to_owned(), hn::BUDGET_TOML.as_bytes().to_vec());
    /// files.insert("households.jsonl".to_owned(), hn::HOUSEHOLDS_JSONL.as_bytes().to_vec());
    /// let journal = Journal::import(MemoryStorage::default(), &files, &AccountId::new("import")?).unwrap();
    /// assert_eq!(journal.year().registry().len(), hn::households()?.len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn import(
        storage: S,
        files: &BTreeMap<String, Vec<u8>>,
        actor: &AccountId,
    ) -> Result<Journal<S>, Vec<Problem>> {
        Journal::from_operations(storage, DirOperations::read(files, actor)?)
    }

    /// A new store from a year directory's operations ([`DirOperations::read`]), each
    /// applied once through the rules, all in one transaction: a refused one is a problem
    /// with its file and line, and then nothing is written.
    ///
    /// # Errors
    /// Every operation refused, with its file and line (up to
    /// [`bangfu_year::dir::PROBLEMS_PER_FILE`] a file); a storage error as a problem of the
    /// store (file `store`, line 0).
    ///
    /// # Example
    /// ```
    /// use bangfu_journal::{AccountId, DirOperations, Journal, MemoryStorage};
    /// let ops = DirOperations::read(&bangfu_data::guinan2019::files(), &AccountId::new("import")?).unwrap();
    /// let n = ops.lines.len() as u64;
    /// let journal = Journal::from_operations(MemoryStorage::default(), ops).unwrap();
    /// assert_eq!(journal.position(), n);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_operations(storage: S, ops: DirOperations) -> Result<Journal<S>, Vec<Problem>> {
        Journal::from_operations_with(storage, ops, &mut |_| {})
    }

    /// [`Journal::from_operations`], telling `progress` how many operations were applied
    /// (of all of them) every few thousand and at the end: a caller's progress bar. The
    /// library reads no clock; the caller's bar keeps the time.
    ///
    /// # Errors
    /// As [`Journal::from_operations`].
    ///
    /// # Example
    /// ```
    /// use bangfu_journal::{AccountId, DirOperations, Journal, MemoryStorage, Progress};
    /// let ops = DirOperations::read(&bangfu_data::guinan2019::files(), &AccountId::new("import")?).unwrap();
    /// let n = ops.lines.len() as u64;
    /// let mut last = Progress { done: 0, total: None };
    /// Journal::from_operations_with(MemoryStorage::default(), ops, &mut |p| last = p).unwrap();
    /// assert_eq!(last, Progress { done: n, total: Some(n) });
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_operations_with(
        storage: S,
        ops: DirOperations,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Journal<S>, Vec<Problem>> {
        let DirOperations {
            setup,
            places,
            lines,
        } = ops;
        let total = Some(lines.len() as u64);
        let mut journal = Journal::create(storage, setup).map_err(store_problem)?;
        let lines = places.into_iter().zip(lines.into_iter().map(Ok));
        let problems = journal
            .apply_placed(lines, usize::MAX, total, progress, &|| false)
            .map_err(store_problem)?;
        if problems.is_empty() {
            Ok(journal)
        } else {
            Err(problems)
        }
    }
}
