//! The store through the command: `init`, `apply`, `verify`, `export` and the readers, and
//! the crash and concurrency checks of the system of record.
//!
//! The crash test kills `bangfu apply` (SIGKILL) at spread points (after 5 % to 95 % of the
//! operations are acknowledged, in the middle of the next batch) while it applies a stream
//! of incomes, medical claims and their payments to a new store, each run its own, and checks
//! after every kill: every acknowledged operation is in the store at the position it was
//! acknowledged with and `bangfu verify` passes; then it restarts the apply on the whole
//! input, and the store ends as one that applied the input without a kill (the same journal
//! length, each payment made once, `verify`). Its size comes from
//! `BANGFU_CRASH_RUNS` and `BANGFU_CRASH_OPS` (defaults 5 and 3,000; `tools/crash-test.sh`
//! runs 50 kills of 100,000 operations).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use std::collections::HashMap;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use bangfu::core::ArchiveTier;
use bangfu_journal::{Journal, OpId, SqliteStorage, Storage};
use common::{bangfu, scratch};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A year directory with the Hainan policy, budget and households only.
fn households_dir(root: &Path) -> PathBuf {
    let dir = root.join("households-only");
    std::fs::create_dir_all(&dir).unwrap();
    let files = bangfu::hainan2018::files();
    for name in ["policy.toml", "households.jsonl"] {
        std::fs::write(dir.join(name), &files[name]).unwrap();
    }
    // The seed's carry-over approval fits the seed's year only: the budget without it.
    let budget = bangfu::hainan2018::BUDGET_TOML
        .split("# Seed, 二(二)3")
        .next()
        .unwrap();
    std::fs::write(dir.join("budget.toml"), budget).unwrap();
    dir
}

/// `n` operations (about): per step an income to the ACFTU funds, a medical claim of a
/// provincial household and its payment, in date order over the year.
fn operations(n: usize) -> String {
    operations_over(n, 360)
}

/// [`operations`] over `days` days from 2 January.
fn operations_over(n: usize, days: usize) -> String {
    let households: Vec<_> = bangfu::hainan2018::households()
        .unwrap()
        .into_iter()
        .filter(|h| h.tier == ArchiveTier::Provincial && h.withdrawal.is_none())
        .collect();
    assert!(!households.is_empty());
    let steps = n / 3;
    let mut out = String::new();
    for k in 0..steps {
        let day = chrono::NaiveDate::from_ymd_opt(2018, 1, 2).unwrap()
            + chrono::Days::new((k * days / steps.max(1)) as u64);
        let d = day.format("%Y-%m-%d");
        let h = &households[k % households.len()];
        let (case, id, person) = (&h.case, h.id(), &h.household.worker.person.id);
        out.push_str(&format!(
            r#"{{"v":1,"id":"op-in-{k}","actor":"finance-1","date":"{d}","op":"income","body":{{"id":"in-{k}","date":"{d}","source":"acftu_funds","kind":"allocation","amount":"100.00"}}}}"#
        ));
        out.push('\n');
        out.push_str(&format!(
            r#"{{"v":1,"id":"op-c-{k}","actor":"center-1","date":"{d}","op":"claim","body":{{"id":"c-{k}","case":"{case}","household":"{id}","date":"{d}","detail":{{"kind":"medical","applicant":"{person}","out_of_pocket":"20.00"}}}}}}"#
        ));
        out.push('\n');
        out.push_str(&format!(
            r#"{{"v":1,"id":"op-p-{k}","actor":"finance-1","date":"{d}","op":"pay","body":{{"id":"p-{k}","claim":"c-{k}","date":"{d}","source":"acftu_funds","channel":"union_member_card","entered":"{d}"}}}}"#
        ));
        out.push('\n');
    }
    out
}

fn init(store: &Path, dir: &Path) {
    let (code, _, err) = bangfu(&[
        "init",
        store.to_str().unwrap(),
        "--from",
        dir.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
}

fn verify(store: &Path) {
    let (code, out, err) = bangfu(&["verify", store.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains(" 0 differences"), "{out}");
}

/// The result lines of `bangfu apply` run to the end.
fn apply_all(store: &Path, input: &Path, batch: &str) -> Vec<serde_json::Value> {
    let out = Command::new(env!("CARGO_BIN_EXE_bangfu"))
        .args([
            "apply",
            store.to_str().unwrap(),
            input.to_str().unwrap(),
            "--batch",
            batch,
        ])
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn statement_json(store: &Path) -> serde_json::Value {
    let (code, out, err) = bangfu(&["statement", store.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let mut v: serde_json::Value = serde_json::from_str(&out).unwrap();
    v.as_object_mut().unwrap().remove("receipt");
    v
}

#[test]
fn init_apply_verify_export_and_back() {
    let root = scratch("store-cycle");
    let store = root.join("guinan.db");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../bangfu-data/data/guinan-2019");
    init(&store, &dir);
    // A store cannot be created twice.
    let (code, _, err) = bangfu(&["init", store.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    verify(&store);
    // The readers take the store where they take a directory, with the receipt.
    let (code, out, _) = bangfu(&["statement", store.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("receipt: bangfu "), "{out}");
    assert!(out.contains("policy CN-GX@2019.1-example sha256:"));
    let (_, from_dir, _) = bangfu(&["statement", dir.to_str().unwrap(), "--lang", "en"]);
    assert!(
        out.starts_with(from_dir.trim_end()),
        "the store's statement is the directory's"
    );
    let (code, report, _) = bangfu(&["report", store.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(report.contains("回执: bangfu "));
    // Exported, and imported again: the same statement.
    let out_dir = root.join("exported");
    let (code, _, err) = bangfu(&["export", store.to_str().unwrap(), out_dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out_dir.join("receipt.json").is_file());
    let (code, _, _) = bangfu(&["export", store.to_str().unwrap(), out_dir.to_str().unwrap()]);
    assert_eq!(code, 1, "export refuses a directory that is not empty");
    let copy = root.join("copy.db");
    init(&copy, &out_dir);
    assert_eq!(statement_json(&copy), statement_json(&store));
    // Refused and repeated lines through apply: exit 1 when a line is refused.
    let ops = root.join("ops.jsonl");
    std::fs::write(
        &ops,
        "{\"v\":1,\"id\":\"x-1\",\"actor\":\"fin\",\"date\":\"2019-12-30\",\"op\":\"income\",\"body\":{\"id\":\"x-1\",\"date\":\"2019-12-30\",\"source\":\"central_fiscal\",\"kind\":\"interest\",\"amount\":\"10.00\"}}\nnot json\n",
    )
    .unwrap();
    let (code, out, _) = bangfu(&["apply", store.to_str().unwrap(), ops.to_str().unwrap()]);
    assert_eq!(code, 1);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["status"], "accepted");
    assert_eq!(
        (
            lines[1]["status"].as_str(),
            lines[1]["code"].as_str(),
            lines[1]["line"].as_u64()
        ),
        (Some("refused"), Some("read.syntax"), Some(2))
    );
    std::fs::write(
        &ops,
        std::fs::read_to_string(&ops)
            .unwrap()
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let (code, out, _) = bangfu(&["apply", store.to_str().unwrap(), ops.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(out.contains("\"status\":\"duplicate\""));
    verify(&store);
    // A file that is not a store.
    let (code, _, err) = bangfu(&["verify", ops.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("[journal."), "{err}");
}

#[test]
fn verify_exits_1_on_a_store_changed_outside_bangfu() {
    let root = scratch("store-tamper");
    let store = root.join("t.db");
    init(&store, &households_dir(&root));
    let ops = root.join("ops.jsonl");
    std::fs::write(&ops, operations(30)).unwrap();
    apply_all(&store, &ops, "1000");
    verify(&store);
    let conn = rusqlite::Connection::open(&store).unwrap();
    conn.execute_batch("UPDATE balances SET balance_fen = balance_fen + 1")
        .unwrap();
    drop(conn);
    let (code, out, err) = bangfu(&["verify", store.to_str().unwrap(), "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(out.contains("balance acftu_funds"), "{out}");
    assert!(err.contains("[journal.not_verified]"), "{err}");
}

/// A small deterministic sequence of percentages in [5, 95] for the kill points (of the
/// operations acknowledged).
fn spread(i: usize) -> u32 {
    5 + u32::try_from((i * 7919 + 13) % 91).unwrap()
}

#[test]
fn a_killed_apply_loses_no_acknowledged_operation_and_pays_nothing_twice() {
    let runs = env_or("BANGFU_CRASH_RUNS", 5);
    let n = env_or("BANGFU_CRASH_OPS", 3_000);
    let root = scratch("crash");
    let dir = households_dir(&root);
    let input = root.join("ops.jsonl");
    std::fs::write(&input, operations(n)).unwrap();
    // The reference: the whole input without a kill (and how long it takes).
    let reference = root.join("reference.db");
    init(&reference, &dir);
    let start = Instant::now();
    let results = apply_all(&reference, &input, "100");
    let full = start.elapsed();
    let paid = results
        .iter()
        .filter(|r| r["status"] == "accepted" && r["id"].as_str().unwrap().starts_with("op-p-"))
        .count();
    assert!(paid > n / 6, "most payments pass: {paid} of {}", n / 3);
    let fresh = root.join("fresh.db");
    init(&fresh, &dir);
    let reference_position = Journal::open(SqliteStorage::open(&reference).unwrap())
        .unwrap()
        .position();
    let store = root.join("crashed.db");
    let mut killed_mid = 0;
    let mut acknowledged_total = 0;
    for run in 0..runs {
        // Each run on a new store: killed once at its own point, then restarted.
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", store.display()));
        }
        std::fs::copy(&fresh, &store).unwrap();
        let after = n * usize::try_from(spread(run)).unwrap() / 100;
        let (finished, acknowledged) = apply_killed(&store, &input, after);
        if !finished {
            killed_mid += 1;
        }
        acknowledged_total += acknowledged.len();
        // After the restart: every acknowledged operation is there, at its position, and
        // nothing is half applied.
        let mut j = Journal::open(SqliteStorage::open(&store).unwrap()).unwrap();
        for (id, position) in &acknowledged {
            let e = j
                .storage_mut()
                .find(&OpId::new(id.as_str()).unwrap())
                .unwrap();
            assert_eq!(
                e.map(|e| e.position),
                Some(*position),
                "{id} lost after run {run}"
            );
        }
        drop(j);
        verify(&store);
        // The whole input again, to the end: the reference's journal, nothing paid twice.
        apply_all(&store, &input, "100");
        let j = Journal::open(SqliteStorage::open(&store).unwrap()).unwrap();
        assert_eq!(j.position(), reference_position, "run {run}");
        assert_eq!(
            j.year().payments().payments.count as usize,
            paid,
            "run {run}"
        );
        drop(j);
        verify(&store);
    }
    eprintln!(
        "crash test: {runs} runs, {killed_mid} killed mid-way, {acknowledged_total} operations acknowledged before the kills in all, {n} in the input, the full run {full:?}"
    );
    assert!(
        killed_mid * 2 >= runs,
        "only {killed_mid} of {runs} runs were killed before they finished"
    );
    // The last store is the reference, to the statement.
    assert_eq!(statement_json(&store), statement_json(&reference));
    let a = Journal::open(SqliteStorage::open(&store).unwrap()).unwrap();
    let b = Journal::open(SqliteStorage::open(&reference).unwrap()).unwrap();
    assert_eq!(a.year().payments(), b.year().payments());
}

/// Runs `bangfu apply` on `store` and kills it (SIGKILL) once it has acknowledged `after`
/// operations, while it goes on with the next batch: whether it had finished first, and the
/// operations it acknowledged (whole result lines) with their positions.
fn apply_killed(store: &Path, input: &Path, after: usize) -> (bool, HashMap<String, u64>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bangfu"))
        .args([
            "apply",
            store.to_str().unwrap(),
            input.to_str().unwrap(),
            "--batch",
            "100",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (send, receive) = std::sync::mpsc::channel::<String>();
    let reader = std::thread::spawn(move || {
        let mut r = std::io::BufReader::new(stdout);
        let mut buf = Vec::new();
        // Only whole lines are acknowledged.
        while r.read_until(b'\n', &mut buf).unwrap_or(0) > 0 {
            if buf.ends_with(b"\n") && send.send(String::from_utf8(buf.clone()).unwrap()).is_err() {
                break;
            }
            buf.clear();
        }
    });
    let mut lines = Vec::new();
    while lines.len() < after {
        match receive.recv() {
            Ok(line) => lines.push(line),
            Err(_) => break,
        }
    }
    let finished = child.try_wait().unwrap().is_some();
    let _ = child.kill(); // SIGKILL, in the middle of the next batch
    child.wait().unwrap();
    reader.join().unwrap();
    lines.extend(receive.try_iter());
    let mut acknowledged = HashMap::new();
    for line in lines {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        if let Some(p) = v["position"].as_u64() {
            let id = v["id"].as_str().unwrap().to_owned();
            if let Some(first) = acknowledged.insert(id.clone(), p) {
                assert_eq!(first, p, "{id} acknowledged at two positions");
            }
        }
    }
    (finished, acknowledged)
}

#[test]
fn two_processes_paying_the_same_claims_pay_each_once() {
    let root = scratch("concurrent");
    let store = root.join("c.db");
    init(&store, &households_dir(&root));
    // The incomes and claims first; then two processes race to pay every claim under
    // their own posting ids (conflicting payments of one claim), and each other's lines.
    // All on one day, so that the payments may follow the claims.
    let all = operations_over(600, 0);
    let (setup, pays): (Vec<&str>, Vec<&str>) =
        all.lines().partition(|l| !l.contains("\"op\":\"pay\""));
    let setup_file = root.join("setup.jsonl");
    std::fs::write(&setup_file, setup.join("\n")).unwrap();
    apply_all(&store, &setup_file, "1000");
    let mine = root.join("a.jsonl");
    let theirs = root.join("b.jsonl");
    let mut a = std::fs::File::create(&mine).unwrap();
    let mut b = std::fs::File::create(&theirs).unwrap();
    for l in &pays {
        writeln!(
            a,
            "{}",
            l.replace("\"op-p-", "\"op-a-")
                .replace("\"id\":\"p-", "\"id\":\"pa-")
        )
        .unwrap();
        writeln!(
            b,
            "{}",
            l.replace("\"op-p-", "\"op-b-")
                .replace("\"id\":\"p-", "\"id\":\"pb-")
        )
        .unwrap();
    }
    // And the same lines, shared: overlapping operations.
    for l in pays.iter().take(50) {
        writeln!(a, "{l}").unwrap();
        writeln!(b, "{l}").unwrap();
    }
    drop((a, b));
    let spawn = |file: &Path| {
        Command::new(env!("CARGO_BIN_EXE_bangfu"))
            .args([
                "apply",
                store.to_str().unwrap(),
                file.to_str().unwrap(),
                "--batch",
                "7",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap()
    };
    let (pa, pb) = (spawn(&mine), spawn(&theirs));
    let (oa, ob) = (
        pa.wait_with_output().unwrap(),
        pb.wait_with_output().unwrap(),
    );
    let accepted = |o: &std::process::Output| {
        String::from_utf8_lossy(&o.stdout)
            .lines()
            .filter(|l| {
                l.contains("\"status\":\"accepted\"") && l.contains("\"effect\":\"posted\"")
            })
            .count()
    };
    let j = Journal::open(SqliteStorage::open(&store).unwrap()).unwrap();
    let claims = pays.len();
    // Each claim was paid exactly once, by one of the two.
    assert_eq!(accepted(&oa) + accepted(&ob), claims);
    assert_eq!(j.year().payments().payments.count as usize, claims);
    for c in j.year().decided_claims() {
        assert_eq!(c.paid, c.amount, "claim {} paid once", c.record.id);
    }
    drop(j);
    verify(&store);
}

#[test]
fn a_store_with_accounts_applies_only_with_a_token_and_within_the_roles() {
    let root = scratch("accounts");
    let dir = households_dir(&root);
    // The whole tree: every household's unit must be one of its units (tree.unknown_unit).
    std::fs::write(dir.join("units.toml"), bangfu::hainan2018::UNITS_TOML).unwrap();
    let store = root.join("a.db");
    init(&store, &dir);
    let s = store.to_str().unwrap();
    let (code, out, err) = bangfu(&[
        "account",
        "add",
        s,
        "--id",
        "finance-1",
        "--role",
        "finance",
        "--unit",
        "center",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    let token = out.lines().last().unwrap().to_owned();
    assert_eq!(token.len(), 64);
    let (code, out, _) = bangfu(&["account", "list", s]);
    assert_eq!((code, out.as_str()), (0, "finance-1\tfinance\tcenter\n"));
    let ops = root.join("ops.jsonl");
    std::fs::write(
        &ops,
        "{\"v\":1,\"id\":\"i1\",\"actor\":\"finance-1\",\"date\":\"2018-03-01\",\"op\":\"income\",\"body\":{\"id\":\"i1\",\"date\":\"2018-03-01\",\"source\":\"central_fiscal\",\"kind\":\"allocation\",\"amount\":\"10.00\"}}\n\
         {\"v\":1,\"id\":\"v1\",\"actor\":\"finance-1\",\"date\":\"2018-03-01\",\"op\":\"close\"}\n\
         {\"v\":1,\"id\":\"i2\",\"actor\":\"center-1\",\"date\":\"2018-03-01\",\"op\":\"income\",\"body\":{\"id\":\"i2\",\"date\":\"2018-03-01\",\"source\":\"central_fiscal\",\"kind\":\"allocation\",\"amount\":\"10.00\"}}\n",
    )
    .unwrap();
    // Without a token, or with a wrong one: nothing is applied.
    let (code, _, err) = bangfu(&["apply", s, ops.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("[journal.unauthenticated]"), "{err}");
    let (code, _, _) = bangfu(&["apply", s, ops.to_str().unwrap(), "--token", "0000"]);
    assert_eq!(code, 1);
    let (code, out, _) = bangfu(&["apply", s, ops.to_str().unwrap(), "--token", &token]);
    assert_eq!(code, 1, "the third line is in another's name");
    let status: Vec<String> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!(
                "{}{}",
                v["status"].as_str().unwrap(),
                v["code"]
                    .as_str()
                    .map(|c| format!(":{c}"))
                    .unwrap_or_default()
            )
        })
        .collect();
    assert_eq!(
        status,
        ["accepted", "accepted", "refused:journal.actor_mismatch"]
    );
    verify(&store);
}
