//! A payment's campaign (专项活动, issue 14) in the store: the `postings` row of a payment
//! naming a campaign of the policy, and of its reversal, holds the campaign's id; `verify`
//! compares it with the replay; a store of schema version 4 (no campaign column) is migrated
//! when opened and its rows filled from the journal.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use bangfu_core::{AidCategory, AidKind, ArchiveTier, Money, NaiveDate, PaymentChannel};
use bangfu_data::hainan2018 as hn;
use bangfu_funding::{Disbursement, FundSource, Income, IncomeKind, Posting, Reversal};
use bangfu_journal::{Journal, OpLine, Operation, Outcome, SCHEMA_VERSION, Setup, SqliteStorage};

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journal-campaign");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, m, d).unwrap()
}

/// The Hainan policy with a campaign of its own, 金秋助学, named by its id.
fn policy() -> String {
    format!(
        "{}\n{}",
        hn::POLICY_TOML,
        r#"
[[campaigns]]
id = "golden-autumn"
name_zh = "金秋助学"
name_en = "Golden-autumn education aid"
from = "2018-08-01"
until = "2018-09-30"
eligible = ["filed_household"]
max_amount = "2000.00"
budget = "3000.00"
sources = ["provincial_union_funds"]
cite = "aid.seed.sending_warmth"
"#
    )
}

fn op(id: &str, date: NaiveDate, op: Operation) -> OpLine {
    OpLine {
        id: id.parse().unwrap(),
        actor: "finance-1".parse().unwrap(),
        date,
        op,
    }
}

fn accepted(o: &Outcome) {
    assert!(matches!(o, Outcome::Accepted { .. }), "{o:?}");
}

/// A store with a household filed, money in provincial union funds, a golden-autumn
/// payment recorded (`g-1`) and reversed (`rev-1`), and a payment of no campaign (`g-2`).
fn store(path: &Path) -> Journal<SqliteStorage> {
    let setup = Setup::new(&policy(), hn::BUDGET_TOML).unwrap();
    let mut j = Journal::create(SqliteStorage::create(path).unwrap(), setup).unwrap();
    let h = hn::households()
        .unwrap()
        .into_iter()
        .find(|h| h.tier == ArchiveTier::National && h.withdrawal.is_none())
        .unwrap();
    let household = h.id().clone();
    accepted(
        &j.apply(op("file", h.applied, Operation::FileHousehold(Box::new(h))))
            .unwrap(),
    );
    let grant = Income::new(
        "in-1".parse().unwrap(),
        day(1, 2),
        FundSource::ProvincialUnionFunds,
        IncomeKind::Allocation,
        Money::from_yuan(100_000).unwrap(),
    );
    accepted(
        &j.apply(op("in-1", day(1, 2), Operation::Income(Box::new(grant))))
            .unwrap(),
    );
    let pay = |id: &str, campaign: Option<&str>| Disbursement {
        id: id.parse().unwrap(),
        date: day(8, 20),
        source: FundSource::ProvincialUnionFunds,
        category: AidCategory::Education,
        kind: AidKind::Regular,
        household: household.clone(),
        tier: ArchiveTier::National,
        channel: PaymentChannel::UnionMemberCard,
        amount: Money::from_yuan(500).unwrap(),
        unit: None,
        entered: Some(day(8, 20)),
        order: None,
        claim: None,
        campaign: campaign.map(|c| c.parse().unwrap()),
    };
    for (id, campaign) in [("g-1", Some("golden-autumn")), ("g-2", None)] {
        let posting = Posting::Disbursement(pay(id, campaign));
        accepted(
            &j.apply(op(id, day(8, 20), Operation::Record(Box::new(posting))))
                .unwrap(),
        );
    }
    let reversal = Reversal {
        id: "rev-1".parse().unwrap(),
        date: day(8, 21),
        reverses: "g-1".parse().unwrap(),
        source: FundSource::ProvincialUnionFunds,
        amount: Money::from_yuan(500).unwrap(),
        reason: "entered twice".to_owned(),
    };
    accepted(
        &j.apply(op(
            "rev-1",
            day(8, 21),
            Operation::Reverse(Box::new(reversal)),
        ))
        .unwrap(),
    );
    j
}

/// Each posting's campaign as the `postings` table holds it, by id.
fn campaigns(path: &Path) -> Vec<(String, Option<String>)> {
    let conn = rusqlite::Connection::open(path).unwrap();
    let mut stmt = conn
        .prepare("SELECT id, campaign FROM postings ORDER BY id")
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn expected() -> Vec<(String, Option<String>)> {
    let autumn = Some("golden-autumn".to_owned());
    vec![
        ("g-1".to_owned(), autumn.clone()),
        ("g-2".to_owned(), None),
        ("in-1".to_owned(), None),
        ("rev-1".to_owned(), autumn),
    ]
}

#[test]
fn a_payments_campaign_is_in_its_row_and_in_its_reversals() {
    let path = scratch("rows");
    let mut j = store(&path);
    assert_eq!(campaigns(&path), expected());
    let state = bangfu_journal::Storage::projection(j.storage_mut()).unwrap();
    assert_eq!(
        state.postings["g-1"].campaign.as_deref(),
        Some("golden-autumn")
    );
    assert!(j.verify().unwrap().differences.is_empty());
}

#[test]
fn verify_finds_a_campaign_changed_behind_the_journal() {
    let path = scratch("tamper");
    let mut j = store(&path);
    j.storage()
        .connection()
        .execute("UPDATE postings SET campaign = NULL WHERE id = 'g-1'", [])
        .unwrap();
    let differences = j.verify().unwrap().differences;
    assert_eq!(differences.len(), 1, "{differences:?}");
    assert!(
        differences[0].starts_with("posting g-1:"),
        "{differences:?}"
    );
}

#[test]
fn a_store_of_schema_version_4_is_migrated_and_its_campaigns_filled_from_the_journal() {
    let path = scratch("migrate");
    drop(store(&path));
    // Back to version 4: the postings without their campaign.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch("ALTER TABLE postings DROP COLUMN campaign; PRAGMA user_version = 4;")
        .unwrap();
    drop(conn);
    let storage = SqliteStorage::open(&path).unwrap();
    assert_eq!(storage.schema_version().unwrap(), SCHEMA_VERSION);
    let mut j = Journal::open(storage).unwrap();
    assert_eq!(campaigns(&path), expected());
    assert!(j.verify().unwrap().differences.is_empty());
}
