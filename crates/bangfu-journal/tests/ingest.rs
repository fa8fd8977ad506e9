//! A year directory into a store, once through the rules (issue 11's import, issue 15's
//! ingest): reading a directory applies no rule, the journal applies each record once and
//! reports a refused one with its file and line (nothing written), progress is told as the
//! records are applied, and a directory read line by line in transactions of any size gives
//! the store a directory read whole gives.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use bangfu_data::{guinan2019, hainan2018 as hn};
use bangfu_journal::{
    AccountId, DirOperations, IngestFailure, Journal, MemoryStorage, Progress, SqliteStorage,
};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journal-ingest");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn importer() -> AccountId {
    AccountId::new("import").unwrap()
}

/// Hainan's files with a payment the rules refuse: its claim is unknown.
fn with_a_refused_payment() -> BTreeMap<String, Vec<u8>> {
    let mut files = hn::files();
    files.insert(
        "payments.jsonl".to_owned(),
        br#"{"id":"p-x","claim":"no-such-claim","date":"2018-06-01","source":"central_fiscal","channel":"union_member_card"}
"#
        .to_vec(),
    );
    files
}

#[test]
fn reading_a_directory_applies_no_rule_the_journal_applies_each_record_once() {
    // Before: `DirOperations::read` built the whole year through the rules to find refused
    // records, then `from_operations` applied every record through them a second time; the
    // refusal came from the read. Now the read is only a read, and the one pass of the
    // rules (the journal's) refuses the record, with its file and line.
    let ops = DirOperations::read(&with_a_refused_payment(), &importer())
        .expect("reading applies no rule");
    let path = scratch("refused");
    let problems = Journal::from_operations(SqliteStorage::create(&path).unwrap(), ops)
        .expect_err("the rules refuse the payment");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(
        (
            problems[0].file.as_str(),
            problems[0].line,
            problems[0].code.as_str()
        ),
        ("payments.jsonl", 1, "year.unknown_claim")
    );
    // One transaction: nothing of the year was written.
    let conn = rusqlite::Connection::open(&path).unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*) FROM journal", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn progress_is_told_as_the_records_are_applied_once_each() {
    let ops = DirOperations::read(&hn::files(), &importer()).unwrap();
    let n = ops.lines.len() as u64;
    let mut seen: Vec<Progress> = Vec::new();
    let journal =
        Journal::from_operations_with(MemoryStorage::default(), ops, &mut |p| seen.push(p))
            .unwrap();
    assert!(seen.len() > 1, "{seen:?}");
    assert!(seen.windows(2).all(|w| w[0].done < w[1].done));
    assert!(seen.iter().all(|p| p.total == Some(n)));
    // Each operation counted once: the last count is every operation, the journal's length.
    assert_eq!(seen.last().unwrap().done, n);
    assert_eq!(journal.position(), n);
}

/// The directory exported from the imported seed year: every dated file in date order.
fn exported(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, Vec<u8>> {
    let mut j = Journal::import(MemoryStorage::default(), files, &importer()).unwrap();
    let mut out = j.export().unwrap();
    out.remove("receipt.json");
    out
}

#[test]
fn a_directory_read_line_by_line_gives_the_store_read_whole() {
    for (name, files) in [("hainan", hn::files()), ("guinan", guinan2019::files())] {
        let dir = exported(&files);
        let mut whole = Journal::import(MemoryStorage::default(), &dir, &importer()).unwrap();
        for per_transaction in [1_000, usize::MAX] {
            let path = scratch(&format!("{name}-{per_transaction}"));
            let mut last = Progress {
                done: 0,
                total: None,
            };
            let mut streamed = Journal::ingest(
                SqliteStorage::create(&path).unwrap(),
                &dir,
                &importer(),
                per_transaction,
                Some(7),
                &mut |p| last = p,
            )
            .unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(streamed.position(), whole.position(), "{name}");
            assert_eq!(last.total, Some(7));
            assert_eq!(
                streamed.entries().unwrap(),
                whole.entries().unwrap(),
                "{name}"
            );
            assert_eq!(
                streamed.year().statement().unwrap(),
                whole.year().statement().unwrap()
            );
            let v = streamed.verify().unwrap();
            assert!(v.differences.is_empty(), "{name}: {:?}", v.differences);
        }
    }
}

/// Why the directory does not ingest (it must not).
fn failure(dir: &BTreeMap<String, Vec<u8>>) -> IngestFailure {
    let out = Journal::ingest(
        MemoryStorage::default(),
        dir,
        &importer(),
        1_000,
        None,
        &mut |_| {},
    );
    match out {
        Err(f) => f,
        Ok(j) => panic!("ingested, position {}", j.position()),
    }
}

#[test]
fn a_file_out_of_date_order_is_not_streamed() {
    let mut dir = exported(&hn::files());
    let ledger = String::from_utf8(dir["ledger.jsonl"].clone()).unwrap();
    let mut lines: Vec<&str> = ledger.lines().collect();
    lines.reverse();
    dir.insert(
        "ledger.jsonl".to_owned(),
        (lines.join("\n") + "\n").into_bytes(),
    );
    match failure(&dir) {
        IngestFailure::NotInDateOrder(p) => {
            assert_eq!(
                (p.file.as_str(), p.code.as_str()),
                ("ledger.jsonl", "dir.not_in_date_order")
            );
        }
        other => panic!("{other:?}"),
    }
    // Read whole, the same directory imports.
    assert!(Journal::import(MemoryStorage::default(), &dir, &importer()).is_ok());
}

#[test]
fn a_line_that_does_not_read_is_a_problem_and_nothing_after_it_is_applied() {
    let mut dir = exported(&hn::files());
    let mut claims = dir["claims.jsonl"].clone();
    claims.extend_from_slice(b"{\"id\": oops}\n");
    let bad_line = claims.iter().filter(|&&b| b == b'\n').count();
    dir.insert("claims.jsonl".to_owned(), claims);
    match failure(&dir) {
        IngestFailure::Problems(p) => {
            assert_eq!(p.len(), 1, "{p:?}");
            assert_eq!((p[0].file.as_str(), p[0].line), ("claims.jsonl", bad_line));
            assert!(p[0].code.starts_with("read."), "{p:?}");
        }
        other => panic!("{other:?}"),
    }
}
