//! The journal through its public API: the seed's year imported and exported, operations
//! applied, refused, repeated, replayed and verified, on SQLite and in memory.
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
    AccountId, Journal, MemoryStorage, OpLine, Outcome, Setup, SqliteStorage, Storage,
};
use bangfu_year::dir::YearDir;

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journal-tests");
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

fn line(text: &str) -> OpLine {
    OpLine::from_json(text).unwrap()
}

fn hainan_store(name: &str) -> (PathBuf, Journal<SqliteStorage>) {
    let path = scratch(name);
    let journal = Journal::import(
        SqliteStorage::create(&path).unwrap(),
        &hn::files(),
        &importer(),
    )
    .unwrap();
    (path, journal)
}

#[test]
fn the_seed_year_imported_gives_the_seed_figures_and_verifies() {
    let (path, mut journal) = hainan_store("seed");
    let direct = hn::programme_year().unwrap();
    // The figures of the seed, computed from the store's records.
    let figures = journal.year().payments();
    assert_eq!(figures.payments.count, 8_236);
    assert_eq!(figures.compliance.total(), 0);
    assert_eq!(
        journal.year().statement().unwrap(),
        direct.statement().unwrap()
    );
    assert_eq!(figures, direct.payments());
    let v = journal.verify().unwrap();
    assert!(v.differences.is_empty(), "{:?}", v.differences);
    assert_eq!(v.postings, direct.ledger().postings().len());
    drop(journal);
    // Opened again: the replay gives the same year.
    let mut again = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap();
    assert_eq!(
        again.year().statement().unwrap(),
        direct.statement().unwrap()
    );
    assert!(again.verify().unwrap().differences.is_empty());
    // The report reads from the store as from the directory.
    let built = again.built();
    assert!(built.missing_for_report().is_empty());
}

#[test]
fn a_store_round_trips_to_a_year_directory_and_back() {
    for (name, files) in [
        ("rt-hainan", hn::files()),
        ("rt-guinan", guinan2019::files()),
    ] {
        let path = scratch(name);
        let mut journal =
            Journal::import(SqliteStorage::create(&path).unwrap(), &files, &importer()).unwrap();
        let exported = journal.export().unwrap();
        // Every file of the directory comes back with the same records (the directory's
        // own files may order lines otherwise: compare the records read).
        let original = YearDir::read(&files).unwrap().build().unwrap();
        let back = YearDir::read(&exported).unwrap().build().unwrap();
        assert_eq!(
            back.year.statement().unwrap(),
            original.year.statement().unwrap()
        );
        assert_eq!(back.year.payments(), original.year.payments());
        // The oversight records (the allocation decision, the payment checks, the
        // self-inspection) are operations of the store and come back whole.
        let (o, e) = (
            YearDir::read(&files).unwrap().oversight,
            YearDir::read(&exported).unwrap().oversight,
        );
        assert_eq!(e.allocation, o.allocation, "{name}");
        let checks = |v: &[bangfu_year::dir::Lined<bangfu_year::oversight::CheckRecord>]| {
            v.iter().map(|l| l.record.clone()).collect::<Vec<_>>()
        };
        let items = |v: &[bangfu_year::dir::Lined<bangfu_year::oversight::InspectionRecord>]| {
            v.iter().map(|l| l.record.clone()).collect::<Vec<_>>()
        };
        assert_eq!(checks(&e.checks), checks(&o.checks), "{name}");
        assert_eq!(items(&e.inspection), items(&o.inspection), "{name}");
        if name == "rt-guinan" {
            assert!(o.allocation.is_some() && !o.checks.is_empty() && !o.inspection.is_empty());
        }
        assert_eq!(exported["policy.toml"], files["policy.toml"]);
        for report in ["stated.toml", "judgements.toml", "report.toml"] {
            assert_eq!(
                String::from_utf8(exported[report].clone()).unwrap(),
                String::from_utf8(files[report].clone()).unwrap()
            );
        }
        // Export → import → export is a fixed point, byte for byte (but the receipt).
        let path2 = scratch(&format!("{name}-2"));
        let mut second = Journal::import(
            SqliteStorage::create(&path2).unwrap(),
            &exported,
            &importer(),
        )
        .unwrap();
        let mut again = second.export().unwrap();
        let mut first = exported.clone();
        first.remove("receipt.json");
        again.remove("receipt.json");
        assert_eq!(
            first.keys().collect::<Vec<_>>(),
            again.keys().collect::<Vec<_>>()
        );
        for (k, v) in &first {
            assert!(again[k] == *v, "{name}: {k} differs after a round trip");
        }
    }
}

const INCOME: &str = r#"{"v":1,"id":"in-1","actor":"finance-1","date":"2018-03-01","op":"income","body":{"id":"in-1","date":"2018-03-01","source":"central_fiscal","kind":"allocation","amount":"100000.00"}}"#;

fn empty_store(name: &str) -> Journal<SqliteStorage> {
    let setup = Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML).unwrap();
    Journal::create(SqliteStorage::create(&scratch(name)).unwrap(), setup).unwrap()
}

#[test]
fn the_same_operation_again_returns_the_first_result_and_other_content_is_refused() {
    let mut journal = empty_store("idem");
    let first = journal.apply(line(INCOME)).unwrap();
    let Outcome::Accepted {
        position: 1,
        result,
        ..
    } = &first
    else {
        panic!("{first:?}")
    };
    let again = journal.apply(line(INCOME)).unwrap();
    assert_eq!(
        again,
        Outcome::Duplicate {
            id: "in-1".parse().unwrap(),
            position: 1,
            result: result.clone()
        }
    );
    let state = journal.storage_mut().projection().unwrap();
    let other = INCOME.replace("100000.00", "100001.00");
    let refused = journal.apply(line(&other)).unwrap();
    assert!(matches!(
        refused,
        Outcome::Refused {
            code: "journal.id_conflict",
            ..
        }
    ));
    // Another actor or date is other content too.
    let other_actor = INCOME.replace("finance-1", "finance-2");
    assert!(matches!(
        journal.apply(line(&other_actor)).unwrap(),
        Outcome::Refused {
            code: "journal.id_conflict",
            ..
        }
    ));
    assert_eq!(journal.position(), 1);
    assert_eq!(journal.storage_mut().projection().unwrap(), state);
    let refusals = journal.storage_mut().refusals().unwrap();
    assert_eq!(refusals.len(), 2);
    assert_eq!(refusals[0].code, "journal.id_conflict");
}

#[test]
fn a_refused_operation_changes_nothing_but_the_log_of_refusals() {
    let mut journal = empty_store("refused");
    journal.apply(line(INCOME)).unwrap();
    let year = journal.year().clone();
    let state = journal.storage_mut().projection().unwrap();
    let entries = journal.entries().unwrap();
    // An overdraft, an unknown claim, a bad line, a date outside the year.
    let lines = vec![
        Ok(line(
            r#"{"v":1,"id":"p-1","actor":"finance-1","date":"2018-03-02","op":"pay","body":{"id":"p-1","claim":"c-1","date":"2018-03-02","source":"central_fiscal","channel":"union_member_card"}}"#,
        )),
        OpLine::from_json(
            r#"{"v":1,"id":"x","actor":"a","date":"2018-03-02","op":"income","body":{"id":"x"}}"#,
        ),
        OpLine::from_json(r#"{"v":2,"id":"y","actor":"a","date":"2018-03-02","op":"close"}"#),
        Ok(line(
            &INCOME
                .replace("in-1", "in-2")
                .replace("2018-03-01\",\"source", "2019-03-01\",\"source"),
        )),
    ];
    let out = journal.apply_batch(lines).unwrap();
    let codes: Vec<&str> = out
        .iter()
        .map(|o| match o {
            Outcome::Refused { code, .. } => *code,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(
        codes,
        [
            "year.unknown_claim",
            "read.missing_field",
            "journal.protocol",
            "funding.date_outside_year"
        ]
    );
    assert_eq!(journal.year(), &year);
    assert_eq!(journal.storage_mut().projection().unwrap(), state);
    assert_eq!(journal.entries().unwrap(), entries);
    assert_eq!(journal.storage_mut().refusals().unwrap().len(), 4);
}

#[test]
fn after_the_close_nothing_more_is_recorded() {
    // The seed's carry-over approval fits the seed's year, not this one: a budget without it.
    let budget = hn::BUDGET_TOML.split("# Seed, 二(二)3").next().unwrap();
    let setup = Setup::new(hn::POLICY_TOML, budget).unwrap();
    let mut journal =
        Journal::create(SqliteStorage::create(&scratch("close")).unwrap(), setup).unwrap();
    let close_line = r#"{"v":1,"id":"close","actor":"center","date":"2018-12-31","op":"close"}"#;
    journal.apply(line(INCOME)).unwrap();
    let close = journal.apply(line(close_line)).unwrap();
    let Outcome::Accepted { result, .. } = close else {
        panic!("{close:?}")
    };
    assert_eq!(result.value()["effect"], "closed");
    let after = journal
        .apply(line(&INCOME.replace("in-1", "in-2")))
        .unwrap();
    assert!(matches!(
        after,
        Outcome::Refused {
            code: "journal.year_closed",
            ..
        }
    ));
    assert_eq!(
        journal.closed_by().map(ToString::to_string).as_deref(),
        Some("close")
    );
    // The close again is the same operation: its first result.
    assert!(matches!(
        journal.apply(line(close_line)).unwrap(),
        Outcome::Duplicate { .. }
    ));
    assert!(journal.verify().unwrap().differences.is_empty());
}

#[test]
fn verify_finds_a_stored_state_changed_outside_bangfu() {
    let (path, journal) = hainan_store("tamper");
    drop(journal);
    let tamper = |sql: &str| {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(sql).unwrap();
    };
    // One fen more on one payment.
    tamper(
        "UPDATE postings SET amount_fen = amount_fen + 1 WHERE id = (SELECT min(id) FROM postings WHERE kind = 'payment')",
    );
    let mut j = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap();
    let d = j.verify().unwrap().differences;
    assert!(d.iter().any(|l| l.starts_with("posting ")), "{d:?}");
    // The stored balance no longer is the sum of the stored postings either.
    assert!(
        d.iter().any(|l| l.contains("the stored postings sum to")),
        "{d:?}"
    );
    drop(j);
    // A stored result rewritten.
    tamper(
        "UPDATE postings SET amount_fen = amount_fen - 1 WHERE id = (SELECT min(id) FROM postings WHERE kind = 'payment')",
    );
    tamper("UPDATE journal SET result = '{}' WHERE position = 1");
    let mut j = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap();
    let d = j.verify().unwrap().differences;
    assert_eq!(d.len(), 1, "{d:?}");
    assert!(d[0].starts_with("result of operation"));
    drop(j);
    // A journal body rewritten so that it no longer replays: the store does not open.
    tamper("UPDATE journal SET body = '{}' WHERE position = 2");
    let err = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&err), "journal.diverged");
}

#[test]
fn memory_and_sqlite_storage_give_the_same_journal() {
    let mut mem =
        Journal::import(MemoryStorage::default(), &guinan2019::files(), &importer()).unwrap();
    let path = scratch("mem-vs-sqlite");
    let mut sql = Journal::import(
        SqliteStorage::create(&path).unwrap(),
        &guinan2019::files(),
        &importer(),
    )
    .unwrap();
    assert_eq!(mem.entries().unwrap(), sql.entries().unwrap());
    assert_eq!(
        mem.storage_mut().projection().unwrap(),
        sql.storage_mut().projection().unwrap()
    );
    assert_eq!(mem.year(), sql.year());
}

/// The Hainan year's operations, each line twice (a client re-sending), in one batch: through
/// the writer thread and on one thread, the same outcomes, journal and state.
#[test]
fn the_writer_thread_writes_what_one_thread_writes() {
    let ops = bangfu_journal::DirOperations::read(&hn::files(), &importer()).unwrap();
    let twice: Vec<_> = ops
        .lines
        .iter()
        .flat_map(|l| [l.clone(), l.clone()])
        .map(Ok)
        .collect();
    let run = |threaded: bool| {
        let path = scratch(if threaded { "writer-on" } else { "writer-off" });
        let mut j =
            Journal::create(SqliteStorage::create(&path).unwrap(), ops.setup.clone()).unwrap();
        j.set_writer_thread(threaded);
        let out: Vec<String> = j
            .apply_batch(twice.clone())
            .unwrap()
            .iter()
            .map(|o| o.to_line(None))
            .collect();
        let state = j.storage_mut().projection().unwrap();
        let refusals = j.storage_mut().refusals().unwrap();
        (out, j.entries().unwrap(), state, refusals, j.year().clone())
    };
    let (on, off) = (run(true), run(false));
    assert!(on.0.iter().any(|l| l.contains("\"duplicate\"")));
    assert_eq!(on.0, off.0);
    assert_eq!(on.1, off.1);
    assert_eq!(on.2, off.2);
    assert_eq!(on.3, off.3);
    assert_eq!(on.4, off.4);
}

#[test]
fn a_store_that_is_not_a_bangfu_store_or_is_newer_is_refused() {
    let path = scratch("foreign");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("CREATE TABLE t (x); PRAGMA user_version = 0;")
            .unwrap();
    }
    let e = SqliteStorage::open(&path).unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&e), "journal.schema");
    let (path, journal) = hainan_store("newer");
    drop(journal);
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch("PRAGMA user_version = 99;").unwrap();
    }
    let e = SqliteStorage::open(&path).unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&e), "journal.schema");
    assert!(
        SqliteStorage::create(&path).is_err(),
        "create refuses an existing file"
    );
}

#[test]
fn two_writers_on_one_store_each_see_the_other() {
    let path = scratch("two-writers");
    let setup = Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML).unwrap();
    drop(Journal::create(SqliteStorage::create(&path).unwrap(), setup).unwrap());
    let mut a = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap();
    let mut b = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap();
    assert!(a.apply(line(INCOME)).unwrap().is_applied());
    // b has not read a's income: it catches up inside its own transaction.
    let dup = b.apply(line(INCOME)).unwrap();
    assert!(matches!(dup, Outcome::Duplicate { position: 1, .. }));
    let second = INCOME.replace("in-1", "in-2");
    assert!(matches!(
        b.apply(line(&second)).unwrap(),
        Outcome::Accepted { position: 2, .. }
    ));
    assert!(matches!(
        a.apply(line(&second)).unwrap(),
        Outcome::Duplicate { position: 2, .. }
    ));
    assert_eq!(a.year(), b.year());
    assert!(a.verify().unwrap().differences.is_empty());
}

#[test]
fn import_reports_every_problem_of_the_directory_and_builds_nothing() {
    let mut files: BTreeMap<String, Vec<u8>> = hn::files();
    files.insert("claims.jsonl".into(), b"{\"id\":1}\nnot json\n".to_vec());
    let problems = Journal::import(MemoryStorage::default(), &files, &importer()).unwrap_err();
    assert_eq!(problems.len(), 2);
    assert_eq!(
        (problems[0].file.as_str(), problems[0].line),
        ("claims.jsonl", 1)
    );
}

/// A Hubei year with temporary aid (临时救助): one claim paid through `pay`, one paid as
/// history above its decision (a finding), one refused at nothing.
fn hubei_temporary_files() -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut files = std::collections::BTreeMap::new();
    files.insert(
        "policy.toml".to_owned(),
        bangfu_data::hubei2023::POLICY_TOML.as_bytes().to_vec(),
    );
    files.insert(
        "budget.toml".to_owned(),
        b"year = 2023\n[lines]\nprovincial_union_funds = \"50000.00\"\n".to_vec(),
    );
    files.insert("households.jsonl".to_owned(), Vec::new());
    files.insert(
        "ledger.jsonl".to_owned(),
        br#"{"type":"income","id":"I-1","date":"2023-01-03","source":"provincial_union_funds","kind":"allocation","amount":"50000.00"}
"#
        .to_vec(),
    );
    let lines = [
        r#"{"type":"claim","id":"T-1","worker":"W-1","id_number":"420106********1234","unit":"wuhan","date":"2023-03-01","event":"major_illness","relation":"parent","requested":"2000.00"}"#,
        r#"{"type":"claim","id":"T-2","worker":"W-2","id_number":"420106********5678","unit":"wuhan","date":"2023-03-02","event":"disaster","relation":"worker","requested":"1000.00"}"#,
        r#"{"type":"payment","id":"TP-2","claim":"T-2","date":"2023-03-06","source":"provincial_union_funds","channel":"union_member_card","amount":"1100.00"}"#,
        r#"{"type":"claim","id":"T-3","worker":"W-1","id_number":"420106********1234","unit":"wuhan","date":"2023-04-01","event":"accident","relation":"child","requested":"1500.00"}"#,
        r#"{"type":"claim","id":"T-4","worker":"W-1","id_number":"420106********1234","unit":"wuhan","date":"2023-05-01","event":"accident","relation":"child","requested":"10.00"}"#,
    ];
    files.insert(
        "temporary-aid.jsonl".to_owned(),
        format!("{}\n", lines.join("\n")).into_bytes(),
    );
    files.insert(
        "payments.jsonl".to_owned(),
        br#"{"id":"TP-1","claim":"T-1","date":"2023-03-05","source":"provincial_union_funds","channel":"union_member_card"}
"#
        .to_vec(),
    );
    files
}

#[test]
fn temporary_aid_imports_exports_and_reads_back_with_its_decisions_payments_and_findings() {
    let files = hubei_temporary_files();
    let mut journal = Journal::import(MemoryStorage::default(), &files, &importer()).unwrap();
    let t = journal.year().temporary_figures().unwrap();
    // T-1 2,000; T-2 1,000; T-3 1,000 (3,000 − 2,000); T-4 nothing (the cap used up).
    assert_eq!(
        (t.claims, t.refused, t.decided.to_string()),
        (4, 1, "4000.00".to_owned())
    );
    assert_eq!(
        (t.payments.count, t.amount.to_string()),
        (2, "3100.00".to_owned())
    );
    let defects = journal.year().payments().defects;
    assert_eq!(defects.len(), 1);
    assert_eq!(
        (defects[0].posting.as_str(), defects[0].code.as_str()),
        ("TP-2", "year.over_standard")
    );
    assert!(journal.verify().unwrap().differences.is_empty());
    let exported = journal.export().unwrap();
    assert_eq!(
        exported["temporary-aid.jsonl"],
        files["temporary-aid.jsonl"]
    );
    assert_eq!(exported["payments.jsonl"], files["payments.jsonl"]);
    let back = YearDir::read(&exported).unwrap().build().unwrap().year;
    assert_eq!(back.temporary_figures().unwrap(), t);
    assert_eq!(back.payments().defects, journal.year().payments().defects);
    assert_eq!(
        back.statement().unwrap(),
        journal.year().statement().unwrap()
    );
    // The operation's result carries the decision; the same claim with other content is refused.
    let out = journal
        .apply_batch(vec![Ok(line(
            r#"{"v":1,"id":"op-t5","actor":"center","date":"2023-06-01","op":"temporary","body":{"type":"claim","id":"T-5","worker":"W-3","id_number":"420106********0001","unit":"wuhan","date":"2023-06-01","event":"accident","relation":"spouse","requested":"800.00"}}"#,
        ))])
        .unwrap();
    assert!(out[0].is_applied(), "{out:?}");
    let out = journal
        .apply_batch(vec![Ok(line(
            r#"{"v":1,"id":"op-t5b","actor":"center","date":"2023-06-01","op":"temporary","body":{"type":"claim","id":"T-5","worker":"W-3","id_number":"420106********0001","unit":"wuhan","date":"2023-06-01","event":"accident","relation":"spouse","requested":"900.00"}}"#,
        ))])
        .unwrap();
    assert!(
        matches!(
            out[0],
            Outcome::Refused {
                code: "year.claim_conflict",
                ..
            }
        ),
        "{out:?}"
    );
    assert!(journal.verify().unwrap().differences.is_empty());
}

/// The batches of `lines`, `size` lines each, tagged with their number.
fn batches_of(
    lines: &[Result<OpLine, bangfu_journal::LineError>],
    size: usize,
) -> Vec<(usize, Vec<Result<OpLine, bangfu_journal::LineError>>)> {
    lines.chunks(size).map(<[_]>::to_vec).enumerate().collect()
}

/// The Hainan year's operations with lines that come again in the same batch, from a batch
/// still in flight and from a committed one, an id sent again with other content, and a line
/// that does not read: pipelined (`apply_batches`, the writer thread writing and committing a
/// batch while the rules decide the next), the same outcomes, journal, state, refusals and
/// year as one batch at a time on one thread, each batch acknowledged once, in order.
#[test]
fn pipelined_batches_give_what_one_batch_at_a_time_gives() {
    let ops = bangfu_journal::DirOperations::read(&hn::files(), &importer()).unwrap();
    let mut lines: Vec<Result<OpLine, bangfu_journal::LineError>> = Vec::new();
    for (i, l) in ops.lines.iter().enumerate() {
        lines.push(Ok(l.clone()));
        match i % 97 {
            // Again at once (the same batch), or 150 lines later (another batch).
            3 => lines.push(Ok(l.clone())),
            5 if i >= 150 => lines.push(Ok(ops.lines[i - 150].clone())),
            7 if i >= 40 => {
                // An id of 40 lines before with other content: refused.
                let mut other = ops.lines[i - 40].clone();
                other.actor = AccountId::new("someone-else").unwrap();
                lines.push(Ok(other));
            }
            11 => lines.push(OpLine::from_json("{\"v\":1,\"id\":\"bad\"")),
            _ => {}
        }
    }
    for size in [7, 100, 1000] {
        let run = |threaded: bool| {
            let path = scratch(&format!("pipelined-{size}-{threaded}"));
            let mut j =
                Journal::create(SqliteStorage::create(&path).unwrap(), ops.setup.clone()).unwrap();
            j.set_writer_thread(threaded);
            let mut tags = Vec::new();
            let mut out = Vec::new();
            j.apply_batches(batches_of(&lines, size), |tag, outcomes| {
                tags.push(tag);
                out.extend(outcomes.iter().map(|o| o.to_line(None)));
            })
            .unwrap();
            assert_eq!(tags, (0..lines.len().div_ceil(size)).collect::<Vec<_>>());
            let state = j.storage_mut().projection().unwrap();
            let refusals = j.storage_mut().refusals().unwrap();
            assert!(j.verify().unwrap().differences.is_empty());
            (out, j.entries().unwrap(), state, refusals, j.year().clone())
        };
        let (on, off) = (run(true), run(false));
        assert_eq!(on.0.len(), lines.len());
        for status in ["\"duplicate\"", "journal.id_conflict", "read.syntax"] {
            assert!(on.0.iter().any(|l| l.contains(status)), "{status}");
        }
        assert_eq!(on.0, off.0, "batches of {size}");
        assert_eq!(on.1, off.1);
        assert_eq!(on.2, off.2);
        assert_eq!(on.3, off.3);
        assert_eq!(on.4, off.4);
    }
}

/// Another process appends between two pipelined batches (here: when the first batch is
/// acknowledged, which lands after the first batch or, when the writer already holds the
/// second batch's transaction, after the second): the batches decided on the store as it
/// was are not committed; they are decided again after the other's entry, and the outcomes,
/// journal and state are those of the batches applied one at a time with the other's
/// operation at the same place.
#[test]
fn pipelined_batches_decide_again_after_another_writer() {
    let ops = bangfu_journal::DirOperations::read(&hn::files(), &importer()).unwrap();
    let lines: Vec<_> = ops.lines.iter().take(700).cloned().map(Ok).collect();
    let theirs = line(&INCOME.replace("in-1", "theirs-1"));
    let run = |pipelined: bool, after: usize| {
        let path = scratch(&format!("pipelined-other-{pipelined}"));
        let mut j =
            Journal::create(SqliteStorage::create(&path).unwrap(), ops.setup.clone()).unwrap();
        let mut other = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap();
        j.set_writer_thread(pipelined);
        let mut out = Vec::new();
        j.apply_batches(batches_of(&lines, 100), |tag, outcomes| {
            out.extend(outcomes.iter().map(|o| o.to_line(None)));
            if tag == after {
                // Waits for the writer's transaction when one is open.
                assert!(other.apply(theirs.clone()).unwrap().is_applied());
            }
        })
        .unwrap();
        assert_eq!(j.position(), other.refresh().unwrap());
        assert!(j.verify().unwrap().differences.is_empty());
        let state = j.storage_mut().projection().unwrap();
        (out, j.entries().unwrap(), state, j.year().clone())
    };
    let on = run(true, 0);
    assert_eq!(on.1.len(), 701);
    // The batch the other's entry came after.
    let at = on.1.iter().position(|e| e.id == theirs.id).unwrap();
    let mut accepted = 0;
    let after =
        on.0.chunks(100)
            .position(|batch| {
                accepted += batch.iter().filter(|l| l.contains("accepted")).count();
                accepted == at
            })
            .unwrap();
    assert!(after <= 1, "after batch {after}");
    let off = run(false, after);
    assert_eq!(on.0, off.0);
    assert_eq!(on.1, off.1);
    assert_eq!(on.2, off.2);
    assert_eq!(on.3, off.3);
}
