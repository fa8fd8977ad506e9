//! The storage behind the journal (存储): a small trait in plain terms (entries appended in
//! order, the state's rows upserted with them, one writer's transaction at a time), so that
//! SQLite holds it by default ([`crate::SqliteStorage`]) and another database can later,
//! without touching the rules. [`MemoryStorage`] holds it in memory (tests, one-off runs).

use std::collections::BTreeMap;

use bangfu_core::NaiveDate;
use bangfu_funding::Posting;
use bangfu_year::ProgrammeYear;

use crate::op::{AccountId, OpId, OpKind};
use crate::{JournalError, Setup};

/// One accepted operation as stored (日志条目): its position (from 1), envelope, body (the
/// canonical JSON of its record) and result (the JSON of its [`crate::Effect`]).
///
/// # Example
/// See [`MemoryStorage`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The position in the journal, from 1, without gaps.
    pub position: u64,
    /// The operation id.
    pub id: OpId,
    /// Who did it.
    pub actor: AccountId,
    /// The day it was done.
    pub date: NaiveDate,
    /// Its kind.
    pub kind: OpKind,
    /// Its record as canonical JSON.
    pub body: String,
    /// Its result as JSON.
    pub result: String,
}

/// A refused operation, kept in the log of refusals (拒绝记录) with its code and reason.
///
/// # Example
/// See [`MemoryStorage`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Refusal {
    /// The operation id, when the line named one that could be read.
    pub id: Option<OpId>,
    /// Who, when known.
    pub actor: Option<AccountId>,
    /// The day, when known.
    #[serde(with = "bangfu_core::iso_date::option")]
    pub date: Option<NaiveDate>,
    /// The kind, when known.
    pub kind: Option<OpKind>,
    /// The code of the refusal.
    pub code: String,
    /// Why (caller text cut and masked).
    pub message: String,
}

/// A read of personal data, as the audit log keeps it (查阅记录).
///
/// # Example
/// ```
/// let r = bangfu_journal::ReadLog { account: "auditor-1".parse()?, what: "file".into(), subject: "HK-0001/1".into(), position: 7 };
/// assert_eq!(r.position, 7);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReadLog {
    /// Who read.
    pub account: AccountId,
    /// What was read (`file`, `entitlement`, `report`, …).
    pub what: String,
    /// About whom (a case, a household).
    pub subject: String,
    /// The journal position it was read at.
    pub position: u64,
}

/// A posting as the state holds it (入账记录): amounts in fen.
///
/// # Example
/// See [`Projection`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PostingRow {
    /// Its position in the ledger, from 0.
    pub sequence: u64,
    /// `income`, `payment`, or a reversal of one: `income_reversal` (taken from its source)
    /// or `payment_reversal` (given back to it).
    pub kind: &'static str,
    /// Its date.
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The fund source's code.
    pub source: String,
    /// The amount in fen.
    pub amount_fen: i64,
    /// The household, for a payment or a recovery.
    pub household: Option<String>,
    /// The claim a payment carries out.
    pub claim: Option<String>,
    /// The payment a recovery names, or the posting a reversal reverses.
    pub reverses: Option<String>,
    /// The campaign of the policy a payment names (专项活动, `Disbursement::campaign`), and
    /// the reversal of such a payment.
    pub campaign: Option<String>,
}

/// The kind of a stored posting row whose amount adds to its source's balance (the others
/// take from it).
pub(crate) const ADDS: [&str; 2] = ["income", "payment_reversal"];

/// A stored posting row's kind, read back (`None` for a kind no version writes).
pub(crate) fn row_kind(kind: &str) -> Option<&'static str> {
    ["income", "payment", "income_reversal", "payment_reversal"]
        .into_iter()
        .find(|k| *k == kind)
}

/// A decided claim as the state holds it: amounts in fen.
///
/// # Example
/// See [`Projection`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimRow {
    /// The household.
    pub household: String,
    /// The decided amount in fen.
    pub amount_fen: i64,
    /// What was paid on it, in fen.
    pub paid_fen: i64,
}

/// A case file as the state holds it.
///
/// # Example
/// See [`Projection`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileRow {
    /// The household.
    pub household: String,
    /// Where the file stands (its stage's code).
    pub stage: String,
}

/// A payment order waiting for its approval, as the state holds it.
///
/// # Example
/// See [`Projection`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OrderRow {
    /// The fund source's code.
    pub source: String,
    /// The amount reserved, in fen.
    pub amount_fen: i64,
    /// Who ordered it.
    pub maker: String,
    /// The claim it pays.
    pub claim: String,
}

/// The stored state (存储状态): the postings, each source's balance, the decided claims and
/// the case files, as rows keyed by their ids: the whole state (read back to verify), and a
/// SQLite transaction's rows to upsert at its commit. The rows one operation changes are
/// [`Rows`].
///
/// # Example
/// ```
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let state = bangfu_journal::Projection::of(&year)?;
/// assert_eq!(state.postings.len(), year.ledger().postings().len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Projection {
    /// Postings by id.
    pub postings: BTreeMap<String, PostingRow>,
    /// Balances in fen by source code (sources with postings).
    pub balances: BTreeMap<String, i64>,
    /// Decided claims by id.
    pub claims: BTreeMap<String, ClaimRow>,
    /// Case files by case id.
    pub files: BTreeMap<String, FileRow>,
    /// Payment orders waiting for approval, by payment id.
    pub orders: BTreeMap<String, OrderRow>,
    /// Orders approved or rejected by the operation (rows removed; empty in a whole state).
    #[serde(skip)]
    pub orders_closed: Vec<String>,
}

/// The rows one operation changes (一次操作改变的状态行), appended with its entry: a posting
/// made, its source's balance after it, a claim decided or paid, a case file's stage, an
/// order waiting or closed. Lists, in the order the operation changed them (a row given
/// twice: the last counts), so that an operation's few rows cost no map of their own.
///
/// # Example
/// ```
/// let mut state = bangfu_journal::Projection::default();
/// let mut rows = bangfu_journal::Rows::default();
/// rows.balances.push(("central_fiscal".into(), 100));
/// rows.balances.push(("central_fiscal".into(), 80));
/// state.apply(rows);
/// assert_eq!(state.balances["central_fiscal"], 80);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows {
    /// Postings made, by id.
    pub postings: Vec<(String, PostingRow)>,
    /// Balances in fen after the operation, by source code.
    pub balances: Vec<(String, i64)>,
    /// Claims decided or paid, by id.
    pub claims: Vec<(String, ClaimRow)>,
    /// Case files, by case id.
    pub files: Vec<(String, FileRow)>,
    /// Payment orders now waiting, by payment id.
    pub orders: Vec<(String, OrderRow)>,
    /// Orders approved or rejected (rows removed).
    pub orders_closed: Vec<String>,
}

/// Where the rows read from a year are put: one operation's [`Rows`] or a whole
/// [`Projection`]. The rows are computed once, in the provided methods.
pub(crate) trait PutRow {
    fn put_posting(&mut self, id: String, row: PostingRow);
    fn put_balance(&mut self, source: String, fen: i64);
    fn put_claim(&mut self, id: String, row: ClaimRow);
    fn put_file(&mut self, case: String, row: FileRow);

    /// Adds a posting of the year's ledger, its source's balance and, for a payment of a
    /// claim, the claim.
    fn add_posting(&mut self, year: &ProgrammeYear, posting: &Posting) {
        let receipt = year.ledger().posted(posting.id()).map(|(_, r)| r);
        let sequence = receipt.map_or(0, |r| r.sequence as u64);
        let row = match posting {
            Posting::Income(i) => PostingRow {
                sequence,
                kind: "income",
                date: i.date,
                source: i.source.code().to_owned(),
                amount_fen: i.amount.fen(),
                household: i.household.as_ref().map(ToString::to_string),
                claim: None,
                reverses: i.reverses.as_ref().map(ToString::to_string),
                campaign: None,
            },
            Posting::Disbursement(d) => PostingRow {
                sequence,
                kind: "payment",
                date: d.date,
                source: d.source.code().to_owned(),
                amount_fen: d.amount.fen(),
                household: Some(d.household.to_string()),
                claim: d.claim.as_ref().map(ToString::to_string),
                reverses: None,
                campaign: d.campaign.as_ref().map(ToString::to_string),
            },
            Posting::Reversal(r) => {
                let target = year.ledger().posted(&r.reverses).map(|(p, _)| p);
                let (kind, household, claim, campaign) = match target {
                    Some(Posting::Disbursement(d)) => {
                        // The claim it paid is due again.
                        if let Some(c) = d.claim.as_ref().and_then(|id| year.decided_claim(id)) {
                            self.add_claim(c);
                        }
                        let (h, c) = (Some(&d.household), d.claim.as_ref());
                        ("payment_reversal", h, c, d.campaign.as_ref())
                    }
                    Some(Posting::Income(i)) => {
                        ("income_reversal", i.household.as_ref(), None, None)
                    }
                    _ => ("income_reversal", None, None, None),
                };
                PostingRow {
                    sequence,
                    kind,
                    date: r.date,
                    source: r.source.code().to_owned(),
                    amount_fen: r.amount.fen(),
                    household: household.map(ToString::to_string),
                    claim: claim.map(ToString::to_string),
                    reverses: Some(r.reverses.to_string()),
                    campaign: campaign.map(ToString::to_string),
                }
            }
        };
        let source = posting.source();
        self.put_balance(
            source.code().to_owned(),
            year.ledger().balance(source).fen(),
        );
        if let Posting::Disbursement(d) = posting
            && let Some(c) = d.claim.as_ref().and_then(|id| year.decided_claim(id))
        {
            self.add_claim(c);
        }
        self.put_posting(posting.id().to_string(), row);
    }

    /// Adds a decided claim.
    fn add_claim(&mut self, c: bangfu_year::DecidedClaim<'_>) {
        self.put_claim(
            c.record.id.to_string(),
            ClaimRow {
                household: c.record.household.to_string(),
                amount_fen: c.amount.fen(),
                paid_fen: c.paid.fen(),
            },
        );
    }

    /// Adds a case file of the year's registry, where it has one.
    fn add_file(&mut self, year: &ProgrammeYear, case: &bangfu_core::CaseId) {
        if let Some(f) = year.registry().get(case) {
            self.put_file(
                case.to_string(),
                FileRow {
                    household: f.household().id.to_string(),
                    stage: f.stage().code().to_owned(),
                },
            );
        }
    }
}

impl PutRow for Rows {
    fn put_posting(&mut self, id: String, row: PostingRow) {
        self.postings.push((id, row));
    }
    fn put_balance(&mut self, source: String, fen: i64) {
        self.balances.push((source, fen));
    }
    fn put_claim(&mut self, id: String, row: ClaimRow) {
        self.claims.push((id, row));
    }
    fn put_file(&mut self, case: String, row: FileRow) {
        self.files.push((case, row));
    }
}

impl PutRow for Projection {
    fn put_posting(&mut self, id: String, row: PostingRow) {
        self.postings.insert(id, row);
    }
    fn put_balance(&mut self, source: String, fen: i64) {
        self.balances.insert(source, fen);
    }
    fn put_claim(&mut self, id: String, row: ClaimRow) {
        self.claims.insert(id, row);
    }
    fn put_file(&mut self, case: String, row: FileRow) {
        self.files.insert(case, row);
    }
}

impl Projection {
    /// Applies one operation's rows: each row upserted (the last of an id counts), the
    /// closed orders removed and listed in `orders_closed` (for a store that deletes their
    /// rows), then the waiting orders upserted.
    ///
    /// # Example
    /// See [`Rows`].
    pub fn apply(&mut self, rows: Rows) {
        self.postings.extend(rows.postings);
        self.balances.extend(rows.balances);
        self.claims.extend(rows.claims);
        self.files.extend(rows.files);
        for closed in rows.orders_closed {
            self.orders.remove(&closed);
            self.orders_closed.push(closed);
        }
        self.orders.extend(rows.orders);
    }

    /// The whole state of a year.
    ///
    /// # Errors
    /// None today (the signature leaves room for a state that can fail to read).
    pub fn of(year: &ProgrammeYear) -> Result<Projection, JournalError> {
        let mut p = Projection::default();
        for posting in year.ledger().postings() {
            p.add_posting(year, posting);
        }
        for c in year.decided_claims() {
            p.add_claim(c);
        }
        for f in year.registry().files() {
            p.add_file(year, f.id());
        }
        Ok(p)
    }

    /// Every difference between this state (`stored`) and `replayed`, one line each.
    ///
    /// # Example
    /// ```
    /// let mut a = bangfu_journal::Projection::default();
    /// let b = a.clone();
    /// a.balances.insert("central_fiscal".into(), 100);
    /// assert_eq!(a.differences(&b).len(), 1);
    /// ```
    pub fn differences(&self, replayed: &Projection) -> Vec<String> {
        let mut out = Vec::new();
        diff("posting", &self.postings, &replayed.postings, &mut out);
        diff("balance", &self.balances, &replayed.balances, &mut out);
        diff("claim", &self.claims, &replayed.claims, &mut out);
        diff("file", &self.files, &replayed.files, &mut out);
        diff("order", &self.orders, &replayed.orders, &mut out);
        out
    }
}

/// The differences of two maps, as lines.
fn diff<V: PartialEq + std::fmt::Debug>(
    what: &str,
    stored: &BTreeMap<String, V>,
    replayed: &BTreeMap<String, V>,
    out: &mut Vec<String>,
) {
    for (k, v) in stored {
        match replayed.get(k) {
            None => out.push(format!("{what} {k}: stored, not in the replay")),
            Some(r) if r != v => out.push(format!("{what} {k}: stored {v:?}, replay {r:?}")),
            Some(_) => {}
        }
    }
    for k in replayed.keys().filter(|k| !stored.contains_key(*k)) {
        out.push(format!("{what} {k}: in the replay, not stored"));
    }
}

/// What the journal needs of a store (存储接口). A writer calls [`Storage::begin`] (which
/// waits for any other writer), reads what others appended since it last looked, appends
/// its entries with the rows they change, and commits; everything of a transaction is
/// written or nothing is.
///
/// A store is `Send`: in a batch of 64 lines or more, the journal hands it to a writer
/// thread between `begin` and `commit`, which appends and logs in the lines' order while the
/// rules decide the next lines; only `append` and `log_refusal` are called there.
///
/// # Example
/// See [`MemoryStorage`].
pub trait Storage: Send {
    /// Creates the store's schema and writes its setup; the store must be empty.
    ///
    /// # Errors
    /// `journal.schema` for a store that is not empty; the storage's errors.
    fn create(&mut self, setup: &Setup) -> Result<(), JournalError>;
    /// The setup written at creation.
    ///
    /// # Errors
    /// `journal.schema` for a store without one; the storage's errors.
    fn setup(&mut self) -> Result<Setup, JournalError>;
    /// Starts the writer's transaction, waiting for any other writer.
    ///
    /// # Errors
    /// `journal.busy` when another writer held the store too long.
    fn begin(&mut self) -> Result<(), JournalError>;
    /// Commits the transaction: everything since [`Storage::begin`] is durable.
    ///
    /// # Errors
    /// The storage's errors; nothing of the transaction is then written.
    fn commit(&mut self) -> Result<(), JournalError>;
    /// Drops the transaction: nothing since [`Storage::begin`] is written.
    ///
    /// # Errors
    /// The storage's errors.
    fn rollback(&mut self) -> Result<(), JournalError>;
    /// The last position (0 for an empty journal).
    ///
    /// # Errors
    /// The storage's errors.
    fn head(&mut self) -> Result<u64, JournalError>;
    /// Every entry after `after`, in order.
    ///
    /// # Errors
    /// The storage's errors, or the first error of `each` (reading stops there).
    fn entries_after(
        &mut self,
        after: u64,
        each: &mut dyn FnMut(Entry) -> Result<(), JournalError>,
    ) -> Result<(), JournalError>;
    /// The entry of an operation id.
    ///
    /// # Errors
    /// The storage's errors.
    fn find(&mut self, id: &OpId) -> Result<Option<Entry>, JournalError>;
    /// Appends an entry and upserts the rows it changes.
    ///
    /// # Errors
    /// The storage's errors (an id or position already there is one).
    fn append(&mut self, entry: &Entry, rows: Rows) -> Result<(), JournalError>;
    /// Appends entries in order, each with its rows, as [`Storage::append`] one by one (a
    /// storage may write them in fewer statements: SQLite, in multi-row inserts).
    ///
    /// # Errors
    /// As [`Storage::append`].
    fn append_all(&mut self, entries: Vec<(Entry, Rows)>) -> Result<(), JournalError> {
        for (entry, rows) in entries {
            self.append(&entry, rows)?;
        }
        Ok(())
    }
    /// Logs a refusal.
    ///
    /// # Errors
    /// The storage's errors.
    fn log_refusal(&mut self, refusal: &Refusal) -> Result<(), JournalError>;
    /// The refusals logged, in order.
    ///
    /// # Errors
    /// The storage's errors.
    fn refusals(&mut self) -> Result<Vec<Refusal>, JournalError>;
    /// The whole stored state.
    ///
    /// # Errors
    /// The storage's errors.
    fn projection(&mut self) -> Result<Projection, JournalError>;
    /// The accounts, each with the SHA-256 of its token.
    ///
    /// # Errors
    /// The storage's errors.
    fn accounts(&mut self) -> Result<Vec<(crate::Account, String)>, JournalError>;
    /// Adds an account with the SHA-256 of its token (durable when it returns).
    ///
    /// # Errors
    /// The storage's errors (an id or token hash already there is one).
    fn add_account(
        &mut self,
        account: &crate::Account,
        token_sha256: &str,
    ) -> Result<(), JournalError>;
    /// Logs a read of personal data (durable when it returns).
    ///
    /// # Errors
    /// The storage's errors.
    fn log_read(&mut self, read: &ReadLog) -> Result<(), JournalError>;
    /// The reads logged, in order.
    ///
    /// # Errors
    /// The storage's errors.
    fn reads(&mut self) -> Result<Vec<ReadLog>, JournalError>;
    /// Each source's income less its payments, in fen, summed by the storage itself from its
    /// posting rows (SQL's `SUM` for SQLite): an arithmetic check of the stored balances
    /// independent of the library's.
    ///
    /// # Errors
    /// The storage's errors (an overflowing sum is one).
    fn balance_sums(&mut self) -> Result<BTreeMap<String, i64>, JournalError>;
}

/// Everything a [`MemoryStorage`] holds.
#[derive(Debug, Clone, Default)]
struct Held {
    setup: Option<Setup>,
    accounts: Vec<(crate::Account, String)>,
    reads: Vec<ReadLog>,
    entries: Vec<Entry>,
    index: std::collections::HashMap<OpId, usize>,
    state: Projection,
    refusals: Vec<Refusal>,
}

impl Held {
    /// Appends an entry and applies its rows.
    fn append(&mut self, entry: Entry, rows: Rows) {
        self.index.insert(entry.id.clone(), self.entries.len());
        self.entries.push(entry);
        self.state.apply(rows);
        // A whole state lists no closed orders.
        self.state.orders_closed.clear();
    }
}

/// A store in memory (内存存储): what [`crate::SqliteStorage`] does, in plain Rust, for
/// tests and runs that keep nothing. A transaction stages its entries and refusals and
/// applies them at [`Storage::commit`].
///
/// # Example
/// ```
/// use bangfu_journal::{Journal, MemoryStorage, OpLine, Outcome, Setup};
/// use bangfu_data::hainan2018 as hn;
/// let setup = Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?;
/// let mut journal = Journal::create(MemoryStorage::default(), setup)?;
/// let line = OpLine::from_json(r#"{"v":1,"id":"in-1","actor":"finance-1","date":"2018-03-01","op":"income","body":{"id":"in-1","date":"2018-03-01","source":"central_fiscal","kind":"allocation","amount":"100000.00"}}"#)?;
/// let out = journal.apply_batch(vec![Ok(line.clone()), Ok(line)])?;
/// assert!(matches!(out[0], Outcome::Accepted { position: 1, .. }));
/// assert!(matches!(out[1], Outcome::Duplicate { position: 1, .. }));
/// assert!(journal.verify()?.differences.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct MemoryStorage {
    held: Held,
    staged: Vec<(Entry, Rows)>,
    staged_index: std::collections::HashMap<OpId, usize>,
    staged_refusals: Vec<Refusal>,
}

fn schema_error(message: &str) -> JournalError {
    JournalError::Storage {
        code: "journal.schema",
        message: message.to_owned(),
    }
}

impl Storage for MemoryStorage {
    fn create(&mut self, setup: &Setup) -> Result<(), JournalError> {
        if self.held.setup.is_some() {
            return Err(schema_error("the store is not empty"));
        }
        self.held.setup = Some(setup.clone());
        Ok(())
    }
    fn setup(&mut self) -> Result<Setup, JournalError> {
        self.held
            .setup
            .clone()
            .ok_or_else(|| schema_error("the store has no setup"))
    }
    fn begin(&mut self) -> Result<(), JournalError> {
        self.rollback()
    }
    fn commit(&mut self) -> Result<(), JournalError> {
        self.staged_index.clear();
        for (entry, rows) in std::mem::take(&mut self.staged) {
            self.held.append(entry, rows);
        }
        self.held.refusals.append(&mut self.staged_refusals);
        Ok(())
    }
    fn rollback(&mut self) -> Result<(), JournalError> {
        self.staged.clear();
        self.staged_index.clear();
        self.staged_refusals.clear();
        Ok(())
    }
    fn head(&mut self) -> Result<u64, JournalError> {
        let last = self
            .staged
            .last()
            .map(|(e, _)| e)
            .or(self.held.entries.last());
        Ok(last.map_or(0, |e| e.position))
    }
    fn entries_after(
        &mut self,
        after: u64,
        each: &mut dyn FnMut(Entry) -> Result<(), JournalError>,
    ) -> Result<(), JournalError> {
        // Positions run from 1 without gaps: the entries after `after` start at its index.
        let from = usize::try_from(after).unwrap_or(usize::MAX);
        let staged = self.staged.iter().map(|(e, _)| e);
        for e in self.held.entries.iter().chain(staged).skip(from) {
            each(e.clone())?;
        }
        Ok(())
    }
    fn find(&mut self, id: &OpId) -> Result<Option<Entry>, JournalError> {
        if let Some(e) = self
            .held
            .index
            .get(id)
            .and_then(|&i| self.held.entries.get(i))
        {
            return Ok(Some(e.clone()));
        }
        Ok(self
            .staged_index
            .get(id)
            .and_then(|&i| self.staged.get(i))
            .map(|(e, _)| e.clone()))
    }
    fn append(&mut self, entry: &Entry, rows: Rows) -> Result<(), JournalError> {
        let next = self.head()?.saturating_add(1);
        if entry.position != next || self.find(&entry.id)?.is_some() {
            return Err(JournalError::Storage {
                code: "journal.storage",
                message: format!("entry {} out of place", entry.position),
            });
        }
        self.staged_index
            .insert(entry.id.clone(), self.staged.len());
        self.staged.push((entry.clone(), rows));
        Ok(())
    }
    fn log_refusal(&mut self, refusal: &Refusal) -> Result<(), JournalError> {
        self.staged_refusals.push(refusal.clone());
        Ok(())
    }
    fn refusals(&mut self) -> Result<Vec<Refusal>, JournalError> {
        Ok(self.held.refusals.clone())
    }
    fn projection(&mut self) -> Result<Projection, JournalError> {
        Ok(self.held.state.clone())
    }
    fn accounts(&mut self) -> Result<Vec<(crate::Account, String)>, JournalError> {
        Ok(self.held.accounts.clone())
    }
    fn add_account(
        &mut self,
        account: &crate::Account,
        token_sha256: &str,
    ) -> Result<(), JournalError> {
        self.held
            .accounts
            .push((account.clone(), token_sha256.to_owned()));
        Ok(())
    }
    fn log_read(&mut self, read: &ReadLog) -> Result<(), JournalError> {
        self.held.reads.push(read.clone());
        Ok(())
    }
    fn reads(&mut self) -> Result<Vec<ReadLog>, JournalError> {
        Ok(self.held.reads.clone())
    }
    fn balance_sums(&mut self) -> Result<BTreeMap<String, i64>, JournalError> {
        let mut sums: BTreeMap<String, i64> = BTreeMap::new();
        for row in self.held.state.postings.values() {
            let signed = if ADDS.contains(&row.kind) {
                row.amount_fen
            } else {
                row.amount_fen.checked_neg().unwrap_or(i64::MIN)
            };
            let sum = sums.entry(row.source.clone()).or_insert(0);
            *sum = sum
                .checked_add(signed)
                .ok_or_else(|| JournalError::Storage {
                    code: "journal.storage",
                    message: "balance sum overflows".to_owned(),
                })?;
        }
        Ok(sums)
    }
}
