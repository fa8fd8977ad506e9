//! Payments by maker and checker: an order reserves its amount against its source at once,
//! a second person approves it, the maker cannot; a source never approves more than it
//! holds. And the schema's migration from version 1.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::PathBuf;

use bangfu_core::ArchiveTier;
use bangfu_data::hainan2018 as hn;
use bangfu_journal::{Journal, OpLine, Outcome, SCHEMA_VERSION, Setup, SqliteStorage, Storage};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journal-orders");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn line(text: &str) -> OpLine {
    OpLine::from_json(text).unwrap()
}

fn code(o: &Outcome) -> &'static str {
    match o {
        Outcome::Refused { code, .. } => code,
        Outcome::Accepted { .. } => "accepted",
        Outcome::Duplicate { .. } => "duplicate",
        other => panic!("{other:?}"),
    }
}

/// A store with one provincial household, 5,000 yuan of ACFTU funds and six medical claims
/// decided at 1,000 each.
fn store(path: &std::path::Path) -> Journal<SqliteStorage> {
    let budget = hn::BUDGET_TOML.split("# Seed, 二(二)3").next().unwrap();
    let setup = Setup::new(hn::POLICY_TOML, budget).unwrap();
    let mut j = Journal::create(SqliteStorage::create(path).unwrap(), setup).unwrap();
    let h = hn::households()
        .unwrap()
        .into_iter()
        .find(|h| h.tier == ArchiveTier::Provincial && h.withdrawal.is_none())
        .unwrap();
    let file = OpLine {
        id: "file".parse().unwrap(),
        actor: "center-1".parse().unwrap(),
        date: h.applied,
        op: bangfu_journal::Operation::FileHousehold(Box::new(h.clone())),
    };
    let mut lines = vec![Ok(file)];
    lines.push(Ok(line(
        r#"{"v":1,"id":"grant","actor":"finance-1","date":"2018-03-01","op":"income","body":{"id":"grant","date":"2018-03-01","source":"acftu_funds","kind":"allocation","amount":"5000.00"}}"#,
    )));
    for k in 1..=6 {
        lines.push(Ok(line(&format!(
            r#"{{"v":1,"id":"claim-{k}","actor":"center-1","date":"2018-03-02","op":"claim","body":{{"id":"c-{k}","case":"{}","household":"{}","date":"2018-03-02","detail":{{"kind":"medical","applicant":"{}","out_of_pocket":"2000.00"}}}}}}"#,
            h.case,
            h.id(),
            h.household.worker.person.id
        ))));
    }
    let out = j.apply_batch(lines).unwrap();
    assert!(out.iter().all(Outcome::is_applied), "{out:?}");
    j
}

fn order(k: u32, actor: &str) -> OpLine {
    order_on(k, actor, "2018-03-03")
}

fn order_on(k: u32, actor: &str, day: &str) -> OpLine {
    line(&format!(
        r#"{{"v":1,"id":"order-{k}-{actor}","actor":"{actor}","date":"{day}","op":"order","body":{{"id":"p-{k}","claim":"c-{k}","date":"{day}","source":"acftu_funds","channel":"union_member_card"}}}}"#
    ))
}

fn decide(kind: &str, k: u32, actor: &str) -> OpLine {
    line(&format!(
        r#"{{"v":1,"id":"{kind}-{k}-{actor}","actor":"{actor}","date":"2018-03-04","op":"{kind}","body":{{"payment":"p-{k}"}}}}"#
    ))
}

#[test]
fn six_orders_of_1000_on_a_source_of_5000_the_sixth_is_refused_at_once() {
    let path = scratch("six");
    let mut j = store(&path);
    for k in 1..=5 {
        let o = j.apply(order(k, "finance-1")).unwrap();
        assert_eq!(code(&o), "accepted", "{o:?}");
        if k == 5 {
            let Outcome::Accepted { result, .. } = &o else {
                panic!()
            };
            assert_eq!(result.value()["effect"], "ordered");
            assert_eq!(result.value()["available_after"], "0.00");
        }
    }
    // Nothing is paid yet, and the sixth does not fit what the five reserve.
    assert_eq!(j.year().payments().payments.count, 0);
    let sixth = j.apply(order(6, "finance-1")).unwrap();
    assert_eq!(code(&sixth), "journal.overcommitted");
    // Nor can a direct payment take the reserved money.
    let direct = line(
        r#"{"v":1,"id":"direct-6","actor":"finance-2","date":"2018-03-03","op":"pay","body":{"id":"p-6","claim":"c-6","date":"2018-03-03","source":"acftu_funds","channel":"union_member_card"}}"#,
    );
    assert_eq!(code(&j.apply(direct).unwrap()), "journal.overcommitted");
    // The maker cannot approve; a second person can; an order is approved once.
    assert_eq!(
        code(&j.apply(decide("approve", 1, "finance-1")).unwrap()),
        "journal.same_person"
    );
    assert_eq!(
        code(&j.apply(decide("approve", 1, "finance-2")).unwrap()),
        "accepted"
    );
    assert_eq!(
        code(&j.apply(decide("approve", 1, "finance-3")).unwrap()),
        "journal.unknown_order"
    );
    assert_eq!(j.year().payments().payments.count, 1);
    // The same order again is refused while it waits.
    assert_eq!(
        code(&j.apply(order(2, "finance-4")).unwrap()),
        "journal.order_pending"
    );
    // A rejection releases the reservation: the sixth now fits.
    assert_eq!(
        code(&j.apply(decide("reject", 2, "finance-2")).unwrap()),
        "accepted"
    );
    // (A payment was made on the 4th: an order dated before it is out of date order.)
    assert_eq!(
        code(&j.apply(order(6, "finance-3")).unwrap()),
        "year.out_of_order"
    );
    assert_eq!(
        code(&j.apply(order_on(6, "finance-5", "2018-03-04")).unwrap()),
        "accepted"
    );
    assert!(j.verify().unwrap().differences.is_empty());
    // The waiting orders survive a restart (the journal is replayed).
    drop(j);
    let mut j = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap();
    assert_eq!(j.storage_mut().projection().unwrap().orders.len(), 4);
    for k in [3, 4, 5, 6] {
        assert_eq!(
            code(&j.apply(decide("approve", k, "finance-2")).unwrap()),
            "accepted"
        );
    }
    assert!(j.storage_mut().projection().unwrap().orders.is_empty());
    assert_eq!(j.year().payments().payments.count, 5);
    assert_eq!(
        j.year()
            .ledger()
            .balance(bangfu_funding::FundSource::AcftuFunds),
        bangfu_core::Money::ZERO
    );
    assert!(j.verify().unwrap().differences.is_empty());
}

#[test]
fn a_store_of_schema_version_1_is_migrated_when_opened() {
    let path = scratch("migrate");
    drop(store(&path));
    // Back to version 1: what versions 2 and 3 added is not there.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE orders; DROP TABLE accounts; DROP TABLE reads;
         ALTER TABLE setup DROP COLUMN units_toml; PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let storage = SqliteStorage::open(&path).unwrap();
    assert_eq!(storage.schema_version().unwrap(), SCHEMA_VERSION);
    let mut j = Journal::open(storage).unwrap();
    assert_eq!(code(&j.apply(order(1, "finance-1")).unwrap()), "accepted");
    assert!(j.verify().unwrap().differences.is_empty());
}
