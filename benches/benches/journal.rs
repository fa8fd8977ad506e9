//! The journal's write rates, each beside its limit:
//! - the Hainan year's dated stream (claims and the ledger's postings, the households filed
//!   before the clock starts), repeated `BANGFU_JOURNAL_COPIES` times (default 10; once in
//!   test mode), applied
//!   to a fresh SQLite store in batches of 1,000 operations per transaction, durable
//!   (WAL, `synchronous = FULL`), through `Journal::apply_batches`: pipelined on a writer
//!   thread (the default: the writer writes and commits a batch while the rules decide the
//!   next), and one batch at a time on the rules' thread;
//! - SQLite's own insert rate of the same rows (each journal entry and each posting row, as
//!   the journal wrote them) in transactions of 1,000, WAL and `synchronous = FULL`: the
//!   limit, with SQLite's default checkpoint interval and cache, and with the store's;
//! - one income per transaction (the durable single-operation rate).

use std::hint::black_box;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use bangfu_journal::{AccountId, DirOperations, Journal, OpKind, OpLine, Operation, SqliteStorage};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Operations per transaction: `BANGFU_JOURNAL_BATCH`, 1,000 by default.
fn batch() -> usize {
    std::env::var("BANGFU_JOURNAL_BATCH")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000)
}

/// A posting row as the journal stored it: id, sequence, kind, date, source, amount in fen,
/// household, claim.
type PostingRow = (
    String,
    i64,
    String,
    String,
    String,
    i64,
    Option<String>,
    Option<String>,
);

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("bangfu-bench-journal-{}", std::process::id()));
    #[allow(clippy::expect_used)]
    std::fs::create_dir_all(&dir).expect("scratch dir");
    let path = dir.join(name);
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

/// The operations of the scaled Hainan year: those before the clock (households,
/// applicants, case events) and the dated stream (claims, postings, payments, visits).
fn operations(copies: u32) -> (bangfu_journal::Setup, Vec<OpLine>, Vec<OpLine>) {
    let files = bangfu_benches::year_scale::files(copies);
    #[allow(clippy::expect_used)]
    let ops = DirOperations::read(&files, &AccountId::new("bench").expect("id"))
        .expect("the scaled year reads");
    let (before, stream): (Vec<OpLine>, Vec<OpLine>) = ops
        .lines
        .into_iter()
        .filter(|l| l.op.kind() != OpKind::ReportFile)
        .partition(|l| {
            matches!(
                l.op.kind(),
                OpKind::FileHousehold | OpKind::RefuseApplicant | OpKind::CaseEvent
            )
        });
    (ops.setup, before, stream)
}

/// The stream cut into the batches `apply_batch` takes (made before the clock starts).
fn batches_of(stream: &[OpLine]) -> Vec<Vec<Result<OpLine, bangfu_journal::LineError>>> {
    stream
        .chunks(batch())
        .map(|c| c.iter().cloned().map(Ok).collect())
        .collect()
}

/// The budget of a setup, read again from its text.
#[allow(clippy::expect_used)]
fn budget_of(setup: &bangfu_journal::Setup) -> bangfu::funding::Budget {
    bangfu::input::parse_budget_toml(setup.budget_toml()).expect("budget")
}

/// The year directory's record an operation carries.
#[allow(clippy::panic)]
fn record_of(op: &Operation) -> bangfu::year::dir::YearRecord {
    use bangfu::year::dir::YearRecord;
    match op {
        Operation::FileHousehold(h) => YearRecord::Household(h.as_ref().clone()),
        Operation::RefuseApplicant(a) => YearRecord::Applicant(a.as_ref().clone()),
        Operation::CaseEvent(e) => YearRecord::CaseEvent(e.as_ref().clone()),
        Operation::Claim(c) => YearRecord::Claim(c.as_ref().clone()),
        Operation::Record(p) => YearRecord::Posting(p.as_ref().clone()),
        Operation::Pay(p) => YearRecord::Payment(p.as_ref().clone()),
        Operation::Visit(v) => YearRecord::Visit(v.as_ref().clone()),
        other => panic!("not a record of the directory: {other:?}"),
    }
}

#[allow(clippy::expect_used)]
fn store_with(
    setup: &bangfu_journal::Setup,
    before: &[OpLine],
    name: &str,
) -> Journal<SqliteStorage> {
    let path = scratch(name);
    let mut j = Journal::create(SqliteStorage::create(&path).expect("store"), setup.clone())
        .expect("create");
    for chunk in before.chunks(batch()) {
        j.apply_batch(chunk.iter().cloned().map(Ok).collect())
            .expect("apply");
    }
    j
}

#[allow(clippy::expect_used)]
fn apply_rate(c: &mut Criterion) {
    // Once in test mode (`cargo test --benches`, no `--bench`): the embedded year alone.
    let timing = std::env::args().any(|a| a == "--bench");
    let copies: u32 = std::env::var("BANGFU_JOURNAL_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(if timing { 10 } else { 1 });
    let (setup, before, stream) = operations(copies);
    let postings = stream
        .iter()
        .filter(|l| {
            matches!(
                l.op,
                Operation::Record(_) | Operation::Pay(_) | Operation::Income(_)
            )
        })
        .count();
    eprintln!(
        "journal bench: Hainan x{copies}: {} operations before the clock, {} in the stream, {postings} of them postings",
        before.len(),
        stream.len()
    );
    let mut g = c.benchmark_group("journal");
    g.sample_size(10);
    g.throughput(Throughput::Elements(stream.len() as u64));
    // The rules alone: the same stream through the year path, no journal.
    let year_before = {
        let mut y =
            bangfu::ProgrammeYear::new(setup.policy().clone(), budget_of(&setup)).expect("year");
        for l in &before {
            y.take(record_of(&l.op)).expect("take");
        }
        y
    };
    g.bench_function(
        format!("the year path alone, Hainan x{copies} stream"),
        |b| {
            b.iter_batched(
                || {
                    (
                        year_before.clone(),
                        stream.iter().map(|l| record_of(&l.op)).collect::<Vec<_>>(),
                    )
                },
                |(mut y, records)| {
                    for r in records {
                        let _ = black_box(y.take(r));
                    }
                    y
                },
                criterion::BatchSize::PerIteration,
            );
        },
    );
    // The journal without SQL: the same stream in memory.
    g.bench_function(
        format!(
            "apply Hainan x{copies} stream, batches of {}, in memory",
            batch()
        ),
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let mut j =
                        Journal::create(bangfu_journal::MemoryStorage::default(), setup.clone())
                            .expect("create");
                    for chunk in before.chunks(batch()) {
                        j.apply_batch(chunk.iter().cloned().map(Ok).collect())
                            .expect("apply");
                    }
                    let batches = batches_of(&stream);
                    let start = Instant::now();
                    j.apply_batches(batches.into_iter().map(|b| ((), b)), |(), o| {
                        black_box(o);
                    })
                    .expect("apply");
                    total += start.elapsed();
                }
                total
            });
        },
    );
    // Durable in SQLite: the writes on a writer thread (the default), and on one thread.
    for (threaded, how) in [(true, "writer thread"), (false, "one thread")] {
        g.bench_function(
            format!(
                "apply Hainan x{copies} stream, batches of {}, SQLite durable, {how}",
                batch()
            ),
            |b| {
                b.iter_custom(|iters| {
                    let mut total = Duration::ZERO;
                    for _ in 0..iters {
                        let mut j = store_with(&setup, &before, "apply.db");
                        j.set_writer_thread(threaded);
                        let batches = batches_of(&stream);
                        let start = Instant::now();
                        j.apply_batches(batches.into_iter().map(|b| ((), b)), |(), o| {
                            black_box(o);
                        })
                        .expect("apply");
                        total += start.elapsed();
                    }
                    total
                });
            },
        );
    }

    // The same rows, as the journal wrote them, inserted by SQLite alone.
    let mut j = store_with(&setup, &before, "rows.db");
    for batch in batches_of(&stream) {
        j.apply_batch(batch).expect("apply");
    }
    let conn = j.storage_mut().connection();
    let mut entries: Vec<(i64, String, String, String, String, String, String)> = Vec::new();
    {
        let mut s = conn
            .prepare("SELECT position, op_id, actor, date, kind, body, result FROM journal WHERE position > ?1 ORDER BY position")
            .expect("prepare");
        let first = i64::try_from(before.len()).expect("len");
        let rows = s
            .query_map([first], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .expect("query");
        entries.extend(rows.map(|r| r.expect("row")));
    }
    let mut posting_rows: Vec<PostingRow> = Vec::new();
    {
        let mut s = conn
            .prepare("SELECT id, sequence, kind, date, source, amount_fen, household, claim FROM postings ORDER BY sequence")
            .expect("prepare");
        let rows = s
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            })
            .expect("query");
        posting_rows.extend(rows.map(|r| r.expect("row")));
    }
    drop(j);
    // SQLite's defaults (a checkpoint every 1,000 pages, a 2 MiB cache), and the store's
    // own settings (`bangfu_journal::WAL_AUTOCHECKPOINT_PAGES`, `CACHE_KIB`).
    for (settings, tuned) in [("", false), (", the store's settings", true)] {
        g.bench_function(format!("SQLite alone: the same rows, transactions of {}{settings}", batch()), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let path = scratch("sqlite.db");
                let mut conn = rusqlite::Connection::open(&path).expect("open");
                conn.pragma_update(None, "journal_mode", "WAL").expect("wal");
                conn.pragma_update(None, "synchronous", "FULL").expect("sync");
                if tuned {
                    conn.pragma_update(None, "wal_autocheckpoint", bangfu_journal::WAL_AUTOCHECKPOINT_PAGES).expect("checkpoint");
                    conn.pragma_update(None, "cache_size", bangfu_journal::CACHE_KIB).expect("cache");
                }
                conn.execute_batch(
                    "CREATE TABLE journal (position INTEGER PRIMARY KEY, op_id TEXT NOT NULL UNIQUE, actor TEXT NOT NULL, date TEXT NOT NULL, kind TEXT NOT NULL, body TEXT NOT NULL, result TEXT NOT NULL);
                     CREATE TABLE postings (id TEXT PRIMARY KEY, sequence INTEGER NOT NULL UNIQUE, kind TEXT NOT NULL, date TEXT NOT NULL, source TEXT NOT NULL, amount_fen INTEGER NOT NULL, household TEXT, claim TEXT, reverses TEXT);",
                ).expect("schema");
                let start = Instant::now();
                let mut p = posting_rows.iter();
                for chunk in entries.chunks(batch()) {
                    let tx = conn.transaction().expect("tx");
                    {
                        let mut ins = tx.prepare_cached("INSERT INTO journal VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)").expect("prepare");
                        let mut post = tx.prepare_cached("INSERT INTO postings (id, sequence, kind, date, source, amount_fen, household, claim) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)").expect("prepare");
                        for e in chunk {
                            ins.execute(rusqlite::params![e.0, e.1, e.2, e.3, e.4, e.5, e.6]).expect("insert");
                            if e.4 != "claim" && e.4 != "visit"
                                && let Some(r) = p.next()
                            {
                                post.execute(rusqlite::params![r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7]).expect("insert");
                            }
                        }
                    }
                    tx.commit().expect("commit");
                }
                total += start.elapsed();
            }
            total
        });
    });
    }
    g.finish();
}

#[allow(clippy::expect_used)]
fn single_rate(c: &mut Criterion) {
    let (setup, _, _) = operations(1);
    let mut g = c.benchmark_group("journal");
    g.sample_size(10);
    let n = 200u64;
    g.throughput(Throughput::Elements(n));
    g.bench_function(format!("{n} incomes, one transaction each, SQLite durable"), |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let mut j = store_with(&setup, &[], "single.db");
                let lines: Vec<OpLine> = (0..n)
                    .map(|i| {
                        OpLine::from_json(&format!(
                            r#"{{"v":1,"id":"in-{i}","actor":"finance-1","date":"2018-03-01","op":"income","body":{{"id":"in-{i}","date":"2018-03-01","source":"central_fiscal","kind":"allocation","amount":"100.00"}}}}"#
                        ))
                        .expect("line")
                    })
                    .collect();
                let start = Instant::now();
                for l in lines {
                    black_box(j.apply(l).expect("apply"));
                }
                total += start.elapsed();
            }
            total
        });
    });
    g.finish();
}

criterion_group!(benches, apply_rate, single_rate);
criterion_main!(benches);
