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
    // Back to version 1: what versions 2 to 4 added is not there (the postings' kinds as
    // version 1 checked them).
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "DROP TABLE orders; DROP TABLE accounts; DROP TABLE reads;
         ALTER TABLE setup DROP COLUMN units_toml;
         CREATE TABLE postings_v1 (
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
         INSERT INTO postings_v1 SELECT id, sequence, kind, date, source, amount_fen,
             household, claim, reverses FROM postings;
         DROP TABLE postings;
         ALTER TABLE postings_v1 RENAME TO postings;
         PRAGMA user_version = 1;",
    )
    .unwrap();
    drop(conn);
    let storage = SqliteStorage::open(&path).unwrap();
    assert_eq!(storage.schema_version().unwrap(), SCHEMA_VERSION);
    let mut j = Journal::open(storage).unwrap();
    assert_eq!(code(&j.apply(order(1, "finance-1")).unwrap()), "accepted");
    assert!(j.verify().unwrap().differences.is_empty());
    // Version 4 holds reversals.
    assert_eq!(
        code(&j.apply(decide("approve", 1, "finance-2")).unwrap()),
        "accepted"
    );
    assert_eq!(
        code(&j.apply(reverse("rev-1", "p-1", "2018-03-05")).unwrap()),
        "accepted"
    );
    assert!(j.verify().unwrap().differences.is_empty());
}

fn reverse(id: &str, payment: &str, day: &str) -> OpLine {
    line(&format!(
        r#"{{"v":1,"id":"{id}","actor":"finance-3","date":"{day}","op":"reverse","body":{{"id":"{id}","date":"{day}","reverses":"{payment}","source":"acftu_funds","amount":"1000.00","reason":"录入错误"}}}}"#
    ))
}

#[test]
fn a_payment_reversed_gives_its_money_back_and_its_claim_is_due_again() {
    use bangfu_core::Money;
    use bangfu_funding::FundSource::AcftuFunds;
    let path = scratch("reverse");
    let mut j = store(&path);
    assert_eq!(code(&j.apply(order(1, "finance-1")).unwrap()), "accepted");
    assert_eq!(
        code(&j.apply(decide("approve", 1, "finance-2")).unwrap()),
        "accepted"
    );
    let held = |j: &Journal<SqliteStorage>| j.year().ledger().balance(AcftuFunds);
    assert_eq!(held(&j), Money::from_yuan(4_000).unwrap());
    // A reversal names the payment it reverses, with its reason.
    assert_eq!(
        code(&j.apply(reverse("rev-1", "p-1", "2018-03-05")).unwrap()),
        "accepted"
    );
    assert_eq!(held(&j), Money::from_yuan(5_000).unwrap());
    let payments = j.year().payments();
    assert_eq!((payments.payments.count, payments.reversed.count), (0, 1));
    let state = j.storage_mut().projection().unwrap();
    assert_eq!(state.claims["c-1"].paid_fen, 0);
    assert_eq!(state.postings["rev-1"].kind, "payment_reversal");
    assert_eq!(state.postings["rev-1"].reverses.as_deref(), Some("p-1"));
    // The same operation again is the first result; a second reversal is refused.
    assert_eq!(
        code(&j.apply(reverse("rev-1", "p-1", "2018-03-05")).unwrap()),
        "duplicate"
    );
    assert_eq!(
        code(&j.apply(reverse("rev-2", "p-1", "2018-03-05")).unwrap()),
        "funding.already_reversed"
    );
    // The claim is due again: ordered and approved once more (a new payment id: the
    // reversed payment keeps its own), it is paid once.
    let reorder = line(
        r#"{"v":1,"id":"reorder-1","actor":"finance-4","date":"2018-03-06","op":"order","body":{"id":"p-1b","claim":"c-1","date":"2018-03-06","source":"acftu_funds","channel":"union_member_card"}}"#,
    );
    assert_eq!(code(&j.apply(reorder).unwrap()), "accepted");
    let approve = line(
        r#"{"v":1,"id":"approve-1b","actor":"finance-5","date":"2018-03-06","op":"approve","body":{"payment":"p-1b"}}"#,
    );
    assert_eq!(code(&j.apply(approve).unwrap()), "accepted");
    assert_eq!(held(&j), Money::from_yuan(4_000).unwrap());
    assert_eq!(j.year().payments().payments.count, 1);
    // The statement shows the reversal beside the payment; the state is the replay, also
    // after a restart and through a year directory and back.
    let statement = j.year().statement().unwrap();
    assert_eq!(statement.reversals.len(), 1);
    assert_eq!(statement.totals.spent, Money::from_yuan(1_000).unwrap());
    assert!(j.verify().unwrap().differences.is_empty());
    drop(j);
    let mut j = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap();
    assert!(j.verify().unwrap().differences.is_empty());
    let files = j.export().unwrap();
    let ledger = String::from_utf8(files["ledger.jsonl"].clone()).unwrap();
    assert!(
        ledger.contains(r#""type":"reversal","id":"rev-1""#),
        "{ledger}"
    );
    let back = scratch("reverse-back");
    let mut again = Journal::import(
        SqliteStorage::create(&back).unwrap(),
        &files,
        &"import".parse().unwrap(),
    )
    .unwrap();
    assert_eq!(again.year().statement().unwrap(), statement);
    assert!(again.verify().unwrap().differences.is_empty());
}
