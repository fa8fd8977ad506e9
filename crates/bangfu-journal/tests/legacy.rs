//! A store written before the local minimum living standard became one top-level table
//! (commit 16ab0de): its stored policy text writes the standard twice, under
//! `eligibility.minimum_living_standard` and `aid.living.yearly_cap.minimum_living_standard`.
//! It opens, replays and verifies when the two copies agree, with the decisions of today's
//! file and the stored text's SHA-256 in its receipts; a disagreeing pair is refused with
//! `policy.minimum_living_standard.conflict` and nothing changes; a policy file given by a
//! caller with the old keys is still refused.
//!
//! `data/hainan-2018-policy-old-keys.toml` is the Hainan policy as the embedded file was at
//! `63602cc^` (its sections joined as `bangfu_data::hainan2018::POLICY_TOML` joins them): the
//! text a store created then holds.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::path::{Path, PathBuf};

use bangfu_core::{Coded, NaiveDate};
use bangfu_data::hainan2018 as hn;
use bangfu_journal::{AccountId, Journal, Setup, SqliteStorage};

const OLD_KEYS: &str = include_str!("data/hainan-2018-policy-old-keys.toml");

fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journal-legacy");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    path
}

/// Replaces the store's policy text (and its stamp's SHA-256) as a store created with
/// `text` holds it.
fn store_policy_text(path: &Path, text: &str) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.execute(
        "UPDATE setup SET policy_toml = ?1, policy_sha256 = ?2 WHERE id = 1",
        (text, bangfu_year::sha256_hex(text.as_bytes())),
    )
    .unwrap();
}

/// The store's setup row and journal length, to see that nothing changed.
fn stored(path: &Path) -> (String, String, i64) {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row(
        "SELECT policy_toml, policy_sha256, (SELECT count(*) FROM journal) FROM setup WHERE id = 1",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .unwrap()
}

#[test]
fn the_fixture_is_the_old_format_of_todays_hainan_file() {
    // A caller's policy file with the old keys is refused, as before.
    let err = Setup::new(OLD_KEYS, hn::BUDGET_TOML).unwrap_err();
    assert_eq!(err.code(), "policy.minimum_living_standard.moved");
    // Read as stored: the old keys as one table, the same standard on every day of both
    // copies (eligibility's from 2017, the cap's from 2018: the one table from 2017, as today).
    let legacy = bangfu_year::Policy::from_stored_toml(OLD_KEYS).unwrap();
    let today = hn::policy().unwrap();
    assert_eq!(legacy.minimum_living_standard.city.as_str(), "legacy");
    let entries = |p: &bangfu_year::Policy| -> Vec<(NaiveDate, bangfu_core::Money)> {
        let city = &p.minimum_living_standard.city;
        p.minimum_living_standard.cities[city]
            .entries()
            .iter()
            .map(|d| (d.from, d.value))
            .collect()
    };
    let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    assert_eq!(
        entries(&legacy),
        vec![
            (d(2017, 1, 1), "500.00".parse().unwrap()),
            (d(2018, 1, 1), "500.00".parse().unwrap())
        ]
    );
    for day in [d(2017, 1, 1), d(2018, 1, 1), d(2018, 12, 31)] {
        assert_eq!(
            legacy.minimum_living_standard.at(None, day).unwrap().value,
            today.minimum_living_standard.at(None, day).unwrap().value
        );
    }
    // Every other section as today's file has it.
    assert_eq!(legacy.funding, today.funding);
    assert_eq!(legacy.scoring, today.scoring);
    assert_eq!(legacy.meta, today.meta);
}

#[test]
fn a_store_written_before_the_one_table_opens_replays_and_verifies() {
    let path = scratch("agree");
    let importer = AccountId::new("import").unwrap();
    let journal = Journal::import(
        SqliteStorage::create(&path).unwrap(),
        &hn::files(),
        &importer,
    )
    .unwrap();
    let position = journal.receipt().position;
    drop(journal);
    store_policy_text(&path, OLD_KEYS);

    let mut journal = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap();
    // The decisions of today's file: every stored result (decided under today's file) is
    // what the replay under the old text gives, and so is the stored state.
    let v = journal.verify().unwrap();
    assert!(v.differences.is_empty(), "{:?}", v.differences);
    let direct = hn::programme_year().unwrap();
    assert_eq!(
        journal.year().statement().unwrap(),
        direct.statement().unwrap()
    );
    assert_eq!(journal.year().payments(), direct.payments());
    // The receipt names the stored text, which is kept as it was.
    let receipt = journal.receipt();
    assert_eq!(receipt.position, position);
    assert_eq!(receipt.policy.id, "CN-HI@2018.1");
    assert_eq!(
        receipt.policy.sha256,
        bangfu_year::sha256_hex(OLD_KEYS.as_bytes())
    );
    drop(journal);
    let (text, sha, _) = stored(&path);
    assert_eq!(text, OLD_KEYS);
    assert_eq!(sha, bangfu_year::sha256_hex(OLD_KEYS.as_bytes()));
}

#[test]
fn a_stored_policy_whose_two_copies_disagree_is_refused_and_nothing_changes() {
    // The cap's copy at 600 in 2018; the eligibility copy alone raised to 550 from 2019
    // (a day both copies are in force).
    let cap = "[[aid.living.yearly_cap.minimum_living_standard]]\nfrom = \"2018-01-01\"\nvalue = \"500.00\"";
    assert!(OLD_KEYS.contains(cap));
    let eligibility = "cite = \"elig.assumed.hn2018.minimum_living_standard\"\n";
    assert_eq!(OLD_KEYS.matches(eligibility).count(), 1);
    let disagreeing = [
        OLD_KEYS.replace(cap, &cap.replace("500.00", "600.00")),
        OLD_KEYS.replace(
            eligibility,
            &format!(
                "{eligibility}\n[[eligibility.minimum_living_standard]]\nfrom = \"2019-01-01\"\n\
                 value = \"550.00\"\n{eligibility}"
            ),
        ),
    ];
    for (i, text) in disagreeing.iter().enumerate() {
        let err = bangfu_year::Policy::from_stored_toml(text).unwrap_err();
        assert_eq!(err.code(), "policy.minimum_living_standard.conflict");
        let cap_line = text
            .lines()
            .position(|l| l.contains(cap.lines().next().unwrap()));
        assert_eq!(err.line(), cap_line.map(|i| i + 1), "{err}");

        let path = scratch(&format!("disagree-{i}"));
        let setup = Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML).unwrap();
        let mut journal = Journal::create(SqliteStorage::create(&path).unwrap(), setup).unwrap();
        let income = r#"{"v":1,"id":"op-1","actor":"finance-1","date":"2018-01-05","op":"income","body":{"id":"in-1","kind":"allocation","date":"2018-01-05","source":"central_fiscal","amount":"1000.00"}}"#;
        let out = journal
            .apply_batch(vec![Ok(bangfu_journal::OpLine::from_json(income).unwrap())])
            .unwrap();
        assert!(
            matches!(out[0], bangfu_journal::Outcome::Accepted { .. }),
            "{out:?}"
        );
        drop(journal);
        store_policy_text(&path, text);
        let before = stored(&path);
        let err = Journal::open(SqliteStorage::open(&path).unwrap())
            .err()
            .unwrap();
        assert_eq!(err.code(), "policy.minimum_living_standard.conflict");
        assert_eq!(stored(&path), before);
        assert_eq!(before.2, 1);
    }
}
