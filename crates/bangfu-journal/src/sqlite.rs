//! The SQLite store (SQLite 存储): the embedded default. One file; the journal and the state
//! in plain SQL tables (`docs/journal.md` documents the schema); write-ahead logging with
//! `synchronous = FULL`, so that a transaction is on disk when its commit returns; one
//! writer at a time across processes (`BEGIN IMMEDIATE`, waiting up to the busy timeout).

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use bangfu_core::NaiveDate;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::op::{AccountId, OpId, OpKind};
use crate::storage::{
    ClaimRow, Entry, FileRow, OrderRow, PostingRow, Projection, Refusal, Rows, Storage,
};
use crate::{JournalError, Setup};

/// The schema version this bangfu writes (`PRAGMA user_version`).
pub const SCHEMA_VERSION: i64 = 5;

/// The migrations, in order: `MIGRATIONS[n]` takes a store from version `n` to `n + 1`.
const MIGRATIONS: &[&str] = &[
    // Version 1: the setup, the journal, the state and the refusals.
    "CREATE TABLE setup (
         id INTEGER PRIMARY KEY CHECK (id = 1),
         policy_toml TEXT NOT NULL,
         budget_toml TEXT NOT NULL,
         policy_id TEXT NOT NULL,
         policy_sha256 TEXT NOT NULL
     );
     CREATE TABLE journal (
         position INTEGER PRIMARY KEY,
         op_id TEXT NOT NULL UNIQUE,
         actor TEXT NOT NULL,
         date TEXT NOT NULL,
         kind TEXT NOT NULL,
         body TEXT NOT NULL,
         result TEXT NOT NULL
     );
     CREATE TABLE postings (
         id TEXT PRIMARY KEY,
         sequence INTEGER NOT NULL UNIQUE,
         kind TEXT NOT NULL CHECK (kind IN ('income', 'payment')),
         date TEXT NOT NULL,
         source TEXT NOT NULL,
         amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
         household TEXT,
         claim TEXT,
         reverses TEXT
     );
     CREATE TABLE balances (
         source TEXT PRIMARY KEY,
         balance_fen INTEGER NOT NULL
     );
     CREATE TABLE claims (
         id TEXT PRIMARY KEY,
         household TEXT NOT NULL,
         amount_fen INTEGER NOT NULL,
         paid_fen INTEGER NOT NULL
     );
     CREATE TABLE files (
         case_id TEXT PRIMARY KEY,
         household TEXT NOT NULL,
         stage TEXT NOT NULL
     );
     CREATE TABLE refusals (
         seq INTEGER PRIMARY KEY,
         op_id TEXT,
         actor TEXT,
         date TEXT,
         kind TEXT,
         code TEXT NOT NULL,
         message TEXT NOT NULL
     );",
    // Version 2: payment orders waiting for a second person's approval.
    "CREATE TABLE orders (
         payment TEXT PRIMARY KEY,
         source TEXT NOT NULL,
         amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
         maker TEXT NOT NULL,
         claim TEXT NOT NULL
     );",
    // Version 3: the union organisation tree, accounts (token hashes only), the log of reads.
    "ALTER TABLE setup ADD COLUMN units_toml TEXT;
     CREATE TABLE accounts (
         id TEXT PRIMARY KEY,
         roles TEXT NOT NULL,
         unit TEXT NOT NULL,
         token_sha256 TEXT NOT NULL UNIQUE
     );
     CREATE TABLE reads (
         seq INTEGER PRIMARY KEY,
         account TEXT NOT NULL,
         what TEXT NOT NULL,
         subject TEXT NOT NULL,
         position INTEGER NOT NULL
     );",
    // Version 4: reversals (冲正) in the postings: SQLite changes a CHECK only by rebuilding
    // the table, the rows copied as they are.
    "CREATE TABLE postings_v4 (
         id TEXT PRIMARY KEY,
         sequence INTEGER NOT NULL UNIQUE,
         kind TEXT NOT NULL
             CHECK (kind IN ('income', 'payment', 'income_reversal', 'payment_reversal')),
         date TEXT NOT NULL,
         source TEXT NOT NULL,
         amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
         household TEXT,
         claim TEXT,
         reverses TEXT
     );
     INSERT INTO postings_v4 (id, sequence, kind, date, source, amount_fen, household, claim,
                              reverses)
         SELECT id, sequence, kind, date, source, amount_fen, household, claim, reverses
         FROM postings;
     DROP TABLE postings;
     ALTER TABLE postings_v4 RENAME TO postings;",
    // Version 5: a payment's campaign (专项活动, `Disbursement::campaign`) in its row and in
    // the row of a reversal of it. The rows of a store written before are filled from the
    // journal: a campaign is named only by a recorded payment (`record`, whose body is the
    // posting), and a reversal's row takes the campaign of the payment it reverses.
    "ALTER TABLE postings ADD COLUMN campaign TEXT;
     UPDATE postings SET campaign = (
         SELECT json_extract(j.body, '$.campaign') FROM journal j
         WHERE j.kind = 'record' AND json_extract(j.body, '$.type') = 'disbursement'
           AND json_extract(j.body, '$.id') = postings.id)
     WHERE kind = 'payment';
     UPDATE postings SET campaign = (
         SELECT p.campaign FROM postings p WHERE p.id = postings.reverses)
     WHERE kind = 'payment_reversal';",
];

/// How long a writer waits for another before `journal.busy`.
const BUSY_TIMEOUT: Duration = Duration::from_secs(60);

/// The write-ahead log's pages that start a checkpoint (`PRAGMA wal_autocheckpoint`) in a
/// store's connection.
///
/// ```
/// assert_eq!(bangfu_journal::WAL_AUTOCHECKPOINT_PAGES, 10_000);
/// ```
pub const WAL_AUTOCHECKPOINT_PAGES: i64 = 10_000;

/// A store connection's page cache, in KiB, as SQLite writes it (a negative
/// `PRAGMA cache_size`).
///
/// ```
/// assert_eq!(bangfu_journal::CACHE_KIB, -65_536);
/// ```
pub const CACHE_KIB: i64 = -65_536;

/// A store in an SQLite database file (SQLite 存储).
///
/// # Example
/// ```
/// use bangfu_journal::{Journal, OpLine, Outcome, Setup, SqliteStorage};
/// use bangfu_data::hainan2018 as hn;
/// let dir = std::env::temp_dir().join(format!("bangfu-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let path = dir.join("year.db");
/// # let _ = std::fs::remove_file(&path);
/// let setup = Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?;
/// let mut journal = Journal::create(SqliteStorage::create(&path)?, setup)?;
/// let line = OpLine::from_json(r#"{"v":1,"id":"in-1","actor":"finance-1","date":"2018-03-01","op":"income","body":{"id":"in-1","date":"2018-03-01","source":"central_fiscal","kind":"allocation","amount":"100000.00"}}"#)?;
/// assert!(matches!(journal.apply(line)?, Outcome::Accepted { position: 1, .. }));
/// drop(journal);
/// let mut again = Journal::open(SqliteStorage::open(&path)?)?;
/// assert_eq!(again.position(), 1);
/// assert!(again.verify()?.differences.is_empty());
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct SqliteStorage {
    conn: Connection,
    /// The balances, claims, files and orders a transaction changed, merged (the last value
    /// of each row), written at its commit: a source's balance is written once a batch, not
    /// once a posting.
    changed: Projection,
    /// The posting rows a transaction appended, inserted at its commit ([`MULTI_ROWS`] a
    /// statement).
    postings: Vec<(String, PostingRow)>,
}

fn schema(message: impl Into<String>) -> JournalError {
    JournalError::Storage {
        code: "journal.schema",
        message: message.into(),
    }
}

fn bad_row(message: impl Into<String>) -> JournalError {
    JournalError::Storage {
        code: "journal.storage",
        message: message.into(),
    }
}

/// `YYYY-MM-DD`, digit by digit (chrono's formatter, a parser of its pattern each time, was
/// 7 % of the writer thread). A year outside 0–9999, which a record's date never is, is
/// written by chrono.
fn date_text(d: NaiveDate) -> String {
    use chrono::Datelike;
    let (y, m, day) = (d.year(), d.month(), d.day());
    let Ok(y) = u32::try_from(y) else {
        return d.format("%Y-%m-%d").to_string();
    };
    if y > 9999 {
        return d.format("%Y-%m-%d").to_string();
    }
    let digit = |n: u32| char::from_digit(n % 10, 10).unwrap_or('0');
    let mut out = String::with_capacity(10);
    for n in [y / 1000, y / 100, y / 10, y] {
        out.push(digit(n));
    }
    out.push('-');
    out.push(digit(m / 10));
    out.push(digit(m));
    out.push('-');
    out.push(digit(day / 10));
    out.push(digit(day));
    out
}

/// Rows a multi-row insert writes at once: a statement's own work (its start, its end and
/// its cursors) for 16 rows rather than each. 16 rows of the journal's 7 columns or the
/// postings' 10 bind at most 160 parameters.
const MULTI_ROWS: usize = 16;

/// A table the journal inserts into in groups.
#[derive(Clone, Copy)]
enum Table {
    Journal,
    Postings,
}

/// `INSERT INTO table (…) VALUES (…), …` of `rows` rows (1 to [`MULTI_ROWS`]), written once.
fn insert_sql(table: Table, rows: usize) -> &'static str {
    use std::sync::OnceLock;
    static JOURNAL: OnceLock<Vec<String>> = OnceLock::new();
    static POSTINGS: OnceLock<Vec<String>> = OnceLock::new();
    let (sql, head, row) = match table {
        Table::Journal => (
            &JOURNAL,
            "INSERT INTO journal (position, op_id, actor, date, kind, body, result) VALUES ",
            "(?, ?, ?, ?, ?, ?, ?)",
        ),
        Table::Postings => (
            &POSTINGS,
            "INSERT INTO postings (id, sequence, kind, date, source, amount_fen, household, \
             claim, reverses, campaign) VALUES ",
            "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ),
    };
    let all = sql.get_or_init(|| {
        (1..=MULTI_ROWS)
            .map(|n| format!("{head}{}", vec![row; n].join(", ")))
            .collect()
    });
    all.get(rows.clamp(1, MULTI_ROWS) - 1)
        .map_or("", String::as_str)
}

/// Binds an entry's journal row at parameters `n + 1` to `n + 7`.
fn bind_entry(
    insert: &mut rusqlite::CachedStatement<'_>,
    n: usize,
    entry: &Entry,
) -> Result<(), JournalError> {
    let position = i64::try_from(entry.position).map_err(|_| bad_row("position out of range"))?;
    insert.raw_bind_parameter(n + 1, position)?;
    insert.raw_bind_parameter(n + 2, entry.id.as_str())?;
    insert.raw_bind_parameter(n + 3, entry.actor.as_str())?;
    insert.raw_bind_parameter(n + 4, date_text(entry.date))?;
    insert.raw_bind_parameter(n + 5, entry.kind.code())?;
    insert.raw_bind_parameter(n + 6, entry.body.as_str())?;
    insert.raw_bind_parameter(n + 7, entry.result.as_str())?;
    Ok(())
}

fn parse_date(text: &str) -> Result<NaiveDate, JournalError> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| bad_row("a stored date does not read"))
}

impl SqliteStorage {
    /// A new store file at `path` (it must not exist yet).
    ///
    /// # Errors
    /// `journal.storage` when the file exists or cannot be created.
    pub fn create(path: &Path) -> Result<SqliteStorage, JournalError> {
        if path.exists() {
            return Err(bad_row(format!("{} exists already", path.display())));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        SqliteStorage::with(Connection::open_with_flags(path, flags)?)
    }

    /// An existing store file at `path`, migrated to [`SCHEMA_VERSION`] when it is older.
    ///
    /// # Errors
    /// `journal.schema` for a file that is not a bangfu store or is of a newer schema;
    /// `journal.storage` when it cannot be opened.
    pub fn open(path: &Path) -> Result<SqliteStorage, JournalError> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut s = SqliteStorage::with(Connection::open_with_flags(path, flags)?)?;
        s.migrate()?;
        Ok(s)
    }

    /// A store in memory (nothing kept after it is dropped).
    ///
    /// # Errors
    /// `journal.storage`.
    pub fn in_memory() -> Result<SqliteStorage, JournalError> {
        SqliteStorage::with(Connection::open_in_memory()?)
    }

    fn with(conn: Connection) -> Result<SqliteStorage, JournalError> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        // WAL: readers do not block the writer; FULL: a commit is on disk when it returns.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        // Neither changes what a commit promises (the log is synced at each commit under
        // FULL; a checkpoint only copies committed pages into the file). A checkpoint runs
        // inside the commit that fills the log: every 10,000 pages (40 MB) rather than
        // SQLite's 1,000, so that the index pages a batch rewrites are copied once for many
        // batches; and a page cache of 64 MiB (SQLite's default is 2 MiB), so that the
        // indexes' pages are not read again for each insert.
        conn.pragma_update(None, "wal_autocheckpoint", WAL_AUTOCHECKPOINT_PAGES)?;
        conn.pragma_update(None, "cache_size", CACHE_KIB)?;
        // The journal's statements, with an insert of each group size (1 to 16 rows) of the
        // journal and of the postings.
        conn.set_prepared_statement_cache_capacity(64);
        Ok(SqliteStorage {
            conn,
            changed: Projection::default(),
            postings: Vec::new(),
        })
    }

    /// The store's schema version.
    ///
    /// # Errors
    /// `journal.storage`.
    pub fn schema_version(&self) -> Result<i64, JournalError> {
        Ok(self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    /// Applies the migrations from the store's version to [`SCHEMA_VERSION`], in one
    /// transaction.
    fn migrate(&mut self) -> Result<(), JournalError> {
        let version = self.schema_version()?;
        if version == 0 {
            return Err(schema("not a bangfu store (no schema)"));
        }
        if version > SCHEMA_VERSION {
            return Err(schema(format!(
                "the store's schema is version {version}; this bangfu reads up to {SCHEMA_VERSION}"
            )));
        }
        if version < SCHEMA_VERSION {
            let tx = self.conn.transaction()?;
            let from = usize::try_from(version).unwrap_or(0);
            for sql in MIGRATIONS.iter().skip(from) {
                tx.execute_batch(sql)?;
            }
            tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
            tx.commit()?;
        }
        Ok(())
    }

    /// Writes the rows a transaction changed: closed orders deleted first, then every row
    /// upserted.
    fn write_rows(&mut self, rows: &Projection) -> Result<(), JournalError> {
        for payment in &rows.orders_closed {
            self.conn
                .prepare_cached("DELETE FROM orders WHERE payment = ?1")?
                .execute(params![payment])?;
        }
        for (payment, o) in &rows.orders {
            self.conn
                .prepare_cached(
                    "INSERT INTO orders (payment, source, amount_fen, maker, claim)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (payment) DO UPDATE SET source = excluded.source,
                         amount_fen = excluded.amount_fen, maker = excluded.maker,
                         claim = excluded.claim",
                )?
                .execute(params![payment, o.source, o.amount_fen, o.maker, o.claim])?;
        }
        for (source, balance) in &rows.balances {
            self.conn
                .prepare_cached(
                    "INSERT INTO balances (source, balance_fen) VALUES (?1, ?2)
                     ON CONFLICT (source) DO UPDATE SET balance_fen = excluded.balance_fen",
                )?
                .execute(params![source, balance])?;
        }
        for (id, c) in &rows.claims {
            self.conn
                .prepare_cached(
                    "INSERT INTO claims (id, household, amount_fen, paid_fen) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (id) DO UPDATE SET household = excluded.household,
                         amount_fen = excluded.amount_fen, paid_fen = excluded.paid_fen",
                )?
                .execute(params![id, c.household, c.amount_fen, c.paid_fen])?;
        }
        for (case, f) in &rows.files {
            self.conn
                .prepare_cached(
                    "INSERT INTO files (case_id, household, stage) VALUES (?1, ?2, ?3)
                     ON CONFLICT (case_id) DO UPDATE SET household = excluded.household,
                         stage = excluded.stage",
                )?
                .execute(params![case, f.household, f.stage])?;
        }
        Ok(())
    }

    /// Inserts the transaction's posting rows, [`MULTI_ROWS`] a statement.
    fn insert_postings(&mut self) -> Result<(), JournalError> {
        let mut postings = std::mem::take(&mut self.postings).into_iter().peekable();
        while postings.peek().is_some() {
            let group: Vec<(String, PostingRow)> = postings.by_ref().take(MULTI_ROWS).collect();
            let mut insert = self
                .conn
                .prepare_cached(insert_sql(Table::Postings, group.len()))?;
            for (i, (id, p)) in group.into_iter().enumerate() {
                let n = i * 10;
                let sequence = i64::try_from(p.sequence).map_err(|_| bad_row("sequence"))?;
                insert.raw_bind_parameter(n + 1, id)?;
                insert.raw_bind_parameter(n + 2, sequence)?;
                insert.raw_bind_parameter(n + 3, p.kind)?;
                insert.raw_bind_parameter(n + 4, date_text(p.date))?;
                insert.raw_bind_parameter(n + 5, p.source)?;
                insert.raw_bind_parameter(n + 6, p.amount_fen)?;
                insert.raw_bind_parameter(n + 7, p.household)?;
                insert.raw_bind_parameter(n + 8, p.claim)?;
                insert.raw_bind_parameter(n + 9, p.reverses)?;
                insert.raw_bind_parameter(n + 10, p.campaign)?;
            }
            insert.raw_execute()?;
        }
        Ok(())
    }

    /// The connection, for reads a caller makes itself (reports in SQL, tests).
    pub fn connection(&self) -> &Connection {
        &self.conn
    }
}

impl Storage for SqliteStorage {
    fn create(&mut self, setup: &Setup) -> Result<(), JournalError> {
        if self.schema_version()? != 0 {
            return Err(schema("the store is not empty"));
        }
        let tx = self.conn.transaction()?;
        for sql in MIGRATIONS {
            tx.execute_batch(sql)?;
        }
        let stamp = setup.stamp();
        tx.execute(
            "INSERT INTO setup (id, policy_toml, budget_toml, policy_id, policy_sha256, units_toml)
             VALUES (1, ?1, ?2, ?3, ?4, ?5)",
            params![
                setup.policy_toml(),
                setup.budget_toml(),
                stamp.id,
                stamp.sha256,
                setup.units_toml()
            ],
        )?;
        tx.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        tx.commit()?;
        Ok(())
    }

    fn setup(&mut self) -> Result<Setup, JournalError> {
        let row: Option<(String, String, Option<String>)> = self
            .conn
            .query_row(
                "SELECT policy_toml, budget_toml, units_toml FROM setup WHERE id = 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .optional()?;
        let (policy, budget, units) = row.ok_or_else(|| schema("the store has no setup"))?;
        let setup = Setup::stored(&policy, &budget)?;
        match units {
            Some(units) => setup.with_units(&units),
            None => Ok(setup),
        }
    }

    fn begin(&mut self) -> Result<(), JournalError> {
        self.changed = Projection::default();
        self.postings.clear();
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    fn commit(&mut self) -> Result<(), JournalError> {
        self.insert_postings()?;
        let changed = std::mem::take(&mut self.changed);
        self.write_rows(&changed)?;
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }

    fn rollback(&mut self) -> Result<(), JournalError> {
        self.changed = Projection::default();
        self.postings.clear();
        if !self.conn.is_autocommit() {
            self.conn.execute_batch("ROLLBACK")?;
        }
        Ok(())
    }

    fn head(&mut self) -> Result<u64, JournalError> {
        let head: Option<i64> =
            self.conn
                .query_row("SELECT max(position) FROM journal", [], |r| r.get(0))?;
        Ok(head.and_then(|h| u64::try_from(h).ok()).unwrap_or(0))
    }

    fn entries_after(
        &mut self,
        after: u64,
        each: &mut dyn FnMut(Entry) -> Result<(), JournalError>,
    ) -> Result<(), JournalError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, op_id, actor, date, kind, body, result FROM journal
             WHERE position > ?1 ORDER BY position",
        )?;
        let after = i64::try_from(after).unwrap_or(i64::MAX);
        let mut rows = stmt.query(params![after])?;
        while let Some(row) = rows.next()? {
            each(entry_of(row)?)?;
        }
        Ok(())
    }

    fn find(&mut self, id: &OpId) -> Result<Option<Entry>, JournalError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT position, op_id, actor, date, kind, body, result FROM journal
             WHERE op_id = ?1",
        )?;
        let mut rows = stmt.query(params![id.as_str()])?;
        match rows.next()? {
            Some(row) => Ok(Some(entry_of(row)?)),
            None => Ok(None),
        }
    }

    fn append(&mut self, entry: &Entry, mut rows: Rows) -> Result<(), JournalError> {
        let mut insert = self.conn.prepare_cached(insert_sql(Table::Journal, 1))?;
        bind_entry(&mut insert, 0, entry)?;
        insert.raw_execute()?;
        // The posting rows are inserted at the commit, the other rows upserted then (the last
        // of each id counting).
        self.postings.append(&mut rows.postings);
        self.changed.apply(rows);
        Ok(())
    }

    fn append_all(&mut self, entries: Vec<(Entry, Rows)>) -> Result<(), JournalError> {
        let mut entries = entries.into_iter().peekable();
        while entries.peek().is_some() {
            let group: Vec<(Entry, Rows)> = entries.by_ref().take(MULTI_ROWS).collect();
            let rows = group.len();
            let mut insert = self.conn.prepare_cached(insert_sql(Table::Journal, rows))?;
            for (i, (entry, mut rows)) in group.into_iter().enumerate() {
                bind_entry(&mut insert, i * 7, &entry)?;
                self.postings.append(&mut rows.postings);
                // The other rows are upserted once a transaction, at its commit.
                self.changed.apply(rows);
            }
            insert.raw_execute()?;
        }
        Ok(())
    }

    fn log_refusal(&mut self, r: &Refusal) -> Result<(), JournalError> {
        self.conn
            .prepare_cached(
                "INSERT INTO refusals (op_id, actor, date, kind, code, message)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )?
            .execute(params![
                r.id.as_ref().map(OpId::as_str),
                r.actor.as_ref().map(AccountId::as_str),
                r.date.map(date_text),
                r.kind.map(OpKind::code),
                r.code,
                r.message
            ])?;
        Ok(())
    }

    fn refusals(&mut self) -> Result<Vec<Refusal>, JournalError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT op_id, actor, date, kind, code, message FROM refusals ORDER BY seq",
        )?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            let id: Option<String> = row.get(0)?;
            let actor: Option<String> = row.get(1)?;
            let date: Option<String> = row.get(2)?;
            let kind: Option<String> = row.get(3)?;
            out.push(Refusal {
                id: id.and_then(|i| OpId::new(i).ok()),
                actor: actor.and_then(|a| AccountId::new(a).ok()),
                date: date.and_then(|d| parse_date(&d).ok()),
                kind: kind.and_then(|k| OpKind::from_code(&k)),
                code: row.get(4)?,
                message: row.get(5)?,
            });
        }
        Ok(out)
    }

    fn projection(&mut self) -> Result<Projection, JournalError> {
        let mut p = Projection::default();
        {
            let mut stmt = self.conn.prepare(
                "SELECT id, sequence, kind, date, source, amount_fen, household, claim, reverses,
                        campaign
                 FROM postings",
            )?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                let kind: String = r.get(2)?;
                let date: String = r.get(3)?;
                let sequence: i64 = r.get(1)?;
                p.postings.insert(
                    r.get(0)?,
                    PostingRow {
                        sequence: u64::try_from(sequence).map_err(|_| bad_row("sequence"))?,
                        kind: crate::storage::row_kind(&kind).ok_or_else(|| bad_row("kind"))?,
                        date: parse_date(&date)?,
                        source: r.get(4)?,
                        amount_fen: r.get(5)?,
                        household: r.get(6)?,
                        claim: r.get(7)?,
                        reverses: r.get(8)?,
                        campaign: r.get(9)?,
                    },
                );
            }
        }
        {
            let mut stmt = self
                .conn
                .prepare("SELECT source, balance_fen FROM balances")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                p.balances.insert(r.get(0)?, r.get(1)?);
            }
        }
        {
            let mut stmt = self
                .conn
                .prepare("SELECT id, household, amount_fen, paid_fen FROM claims")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                p.claims.insert(
                    r.get(0)?,
                    ClaimRow {
                        household: r.get(1)?,
                        amount_fen: r.get(2)?,
                        paid_fen: r.get(3)?,
                    },
                );
            }
        }
        {
            let mut stmt = self
                .conn
                .prepare("SELECT case_id, household, stage FROM files")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                p.files.insert(
                    r.get(0)?,
                    FileRow {
                        household: r.get(1)?,
                        stage: r.get(2)?,
                    },
                );
            }
        }
        {
            let mut stmt = self
                .conn
                .prepare("SELECT payment, source, amount_fen, maker, claim FROM orders")?;
            let mut rows = stmt.query([])?;
            while let Some(r) = rows.next()? {
                p.orders.insert(
                    r.get(0)?,
                    OrderRow {
                        source: r.get(1)?,
                        amount_fen: r.get(2)?,
                        maker: r.get(3)?,
                        claim: r.get(4)?,
                    },
                );
            }
        }
        Ok(p)
    }

    fn accounts(&mut self) -> Result<Vec<(crate::Account, String)>, JournalError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, roles, unit, token_sha256 FROM accounts ORDER BY id")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (id, roles, unit, hash): (String, String, String, String) =
                (r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?);
            let roles = roles
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| crate::AccountRole::from_code(c).ok_or_else(|| bad_row("a stored role")))
                .collect::<Result<Vec<_>, _>>()?;
            out.push((
                crate::Account {
                    id: AccountId::new(id).map_err(|_| bad_row("a stored account id"))?,
                    roles,
                    unit: bangfu_core::UnitId::new(unit).map_err(|_| bad_row("a stored unit"))?,
                },
                hash,
            ));
        }
        Ok(out)
    }

    fn add_account(
        &mut self,
        account: &crate::Account,
        token_sha256: &str,
    ) -> Result<(), JournalError> {
        let roles: Vec<&str> = account.roles.iter().map(|r| r.code()).collect();
        self.conn.execute(
            "INSERT INTO accounts (id, roles, unit, token_sha256) VALUES (?1, ?2, ?3, ?4)",
            params![
                account.id.as_str(),
                roles.join(","),
                account.unit.as_str(),
                token_sha256
            ],
        )?;
        Ok(())
    }

    fn log_read(&mut self, read: &crate::ReadLog) -> Result<(), JournalError> {
        let position = i64::try_from(read.position).map_err(|_| bad_row("position"))?;
        self.conn
            .prepare_cached(
                "INSERT INTO reads (account, what, subject, position) VALUES (?1, ?2, ?3, ?4)",
            )?
            .execute(params![
                read.account.as_str(),
                read.what,
                read.subject,
                position
            ])?;
        Ok(())
    }

    fn reads(&mut self) -> Result<Vec<crate::ReadLog>, JournalError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT account, what, subject, position FROM reads ORDER BY seq")?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let account: String = r.get(0)?;
            let position: i64 = r.get(3)?;
            out.push(crate::ReadLog {
                account: AccountId::new(account).map_err(|_| bad_row("a stored account id"))?,
                what: r.get(1)?,
                subject: r.get(2)?,
                position: u64::try_from(position).map_err(|_| bad_row("position"))?,
            });
        }
        Ok(out)
    }

    fn balance_sums(&mut self) -> Result<BTreeMap<String, i64>, JournalError> {
        // The kinds that add to a balance, from the one list the memory store reads too.
        let adds: Vec<String> = crate::storage::ADDS
            .iter()
            .map(|k| format!("'{k}'"))
            .collect();
        let mut stmt = self.conn.prepare(&format!(
            "SELECT source, SUM(CASE WHEN kind IN ({}) THEN amount_fen ELSE -amount_fen END)
             FROM postings GROUP BY source",
            adds.join(", ")
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = BTreeMap::new();
        while let Some(r) = rows.next()? {
            out.insert(r.get(0)?, r.get(1)?);
        }
        Ok(out)
    }
}

/// An entry of a journal row.
fn entry_of(row: &rusqlite::Row<'_>) -> Result<Entry, JournalError> {
    let position: i64 = row.get(0)?;
    let id: String = row.get(1)?;
    let actor: String = row.get(2)?;
    let date: String = row.get(3)?;
    let kind: String = row.get(4)?;
    Ok(Entry {
        position: u64::try_from(position).map_err(|_| bad_row("position"))?,
        id: OpId::new(id).map_err(|_| bad_row("a stored operation id does not read"))?,
        actor: AccountId::new(actor).map_err(|_| bad_row("a stored actor does not read"))?,
        date: parse_date(&date)?,
        kind: OpKind::from_code(&kind).ok_or_else(|| bad_row("a stored kind does not read"))?,
        body: row.get(5)?,
        result: row.get(6)?,
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let mut d = bangfu_core::NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
        let last = bangfu_core::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
        while d <= last {
            assert_eq!(super::date_text(d), d.format("%Y-%m-%d").to_string());
            d = d + chrono::Days::new(13);
        }
        for d in [
            bangfu_core::NaiveDate::from_ymd_opt(-1, 3, 1).unwrap(),
            bangfu_core::NaiveDate::from_ymd_opt(10_000, 3, 1).unwrap(),
            bangfu_core::NaiveDate::from_ymd_opt(2018, 12, 31).unwrap(),
        ] {
            assert_eq!(super::date_text(d), d.format("%Y-%m-%d").to_string());
        }
    }
}
