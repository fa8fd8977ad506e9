//! The `bangfu` command, run as a newcomer would.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod common;
use common::bangfu;

fn temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("bangfu-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn statement_on_the_embedded_data() {
    let (code, out, _) = bangfu(&["statement"]);
    assert_eq!(code, 0);
    assert!(out.contains("| 合计 | 1100 | 1125.074864 |"), "{out}");
    assert!(out.contains("预算执行率：96.33 %"));
    let (code, out, _) = bangfu(&["statement", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("Execution rate: 96.33 %"), "{out}");
}

#[test]
fn statement_as_json() {
    let (code, out, _) = bangfu(&["statement", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["totals"]["spent"], "10837841.39");
    assert_eq!(v["totals"]["arrival_rate"]["percent"], "102.28");
}

#[test]
fn statement_on_files() {
    let ledger = temp("ledger.jsonl", bangfu::hainan2018::LEDGER_JSONL);
    let budget = temp("budget.toml", bangfu::hainan2018::BUDGET_TOML);
    let policy = temp("policy.toml", bangfu::hainan2018::POLICY_TOML);
    let (code, out, err) = bangfu(&[
        "statement",
        "--ledger",
        ledger.to_str().unwrap(),
        "--budget",
        budget.to_str().unwrap(),
        "--policy",
        policy.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("1083.784139"));
}

#[test]
fn a_bad_ledger_file_gives_its_code_and_line() {
    let ledger = temp("bad.jsonl", "{\"type\":\"income\"}\n");
    let (code, _, err) = bangfu(&["statement", "--ledger", ledger.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(
        err.contains("[read.missing_field]") && err.contains("line 1"),
        "{err}"
    );
}

#[test]
fn bad_usage_exits_2() {
    let (code, _, err) = bangfu(&["statement", "--lang"]);
    assert_eq!(code, 2);
    assert!(err.contains("用法") && err.contains("--lang"), "{err}");
    let (code, _, err) = bangfu(&["statement", "--lang", "en", "--out"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("Usage") && err.contains("--out needs a value"),
        "{err}"
    );
    let (code, _, _) = bangfu(&["frobnicate"]);
    assert_eq!(code, 2);
    // An unknown language is bad usage too (it was exit 1 before issue 13).
    for command in ["statement", "report"] {
        let (code, _, err) = bangfu(&[command, "--lang", "fr"]);
        assert_eq!(code, 2, "{command}");
        assert!(err.contains("--lang"), "{err}");
    }
}

/// Issue 13: every file error names its file and line.
#[test]
fn refusals_of_the_year_name_their_file_and_line() {
    let ledger_text = bangfu::hainan2018::LEDGER_JSONL;
    // A posting the ledger refuses (cash is not a channel), after a blank line: its line in
    // the file, not its position among the postings.
    let cash = r#"{"type":"disbursement","id":"p-cash","date":"2018-02-01","source":"central_fiscal","category":"living","household":"HK-0001","tier":"national","channel":"cash","amount":"50.00"}"#;
    let first = ledger_text.lines().next().unwrap();
    let ledger = temp("refused.jsonl", &format!("{first}\n\n{cash}\n"));
    let (code, _, err) = bangfu(&["statement", "--ledger", ledger.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("refused.jsonl: line 3:"), "{err}");
    assert!(err.contains("[funding.channel_refused]"), "{err}");
    // A carry-over approval that does not match the balance: its line in the budget file.
    let budget_text = bangfu::hainan2018::BUDGET_TOML.replace("412907.25", "412907.26");
    assert_ne!(budget_text, bangfu::hainan2018::BUDGET_TOML);
    let budget = temp("budget.toml", &budget_text);
    let (code, _, err) = bangfu(&["statement", "--budget", budget.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let line = budget_text
        .lines()
        .position(|l| l.starts_with("reference"))
        .unwrap()
        + 1;
    assert!(err.contains(&format!("budget.toml: line {line}:")), "{err}");
    assert!(err.contains("[funding.approval_mismatch]"), "{err}");
    // A file that is not UTF-8: its line; a byte order mark is fine.
    let mut bytes = b"\xef\xbb\xbf".to_vec();
    bytes.extend_from_slice(first.as_bytes());
    bytes.extend_from_slice(b"\n{\"type\":\"income\",\"id\":\"\xff\"}\n");
    let dir = temp("placeholder", "");
    let bad = dir.with_file_name("latin1.jsonl");
    std::fs::write(&bad, bytes).unwrap();
    let (code, _, err) = bangfu(&["statement", "--ledger", bad.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("latin1.jsonl: line 2"), "{err}");
    assert!(err.contains("[read.syntax]"), "{err}");
}

#[test]
fn a_budget_line_for_a_source_the_policy_does_not_have_gives_its_code_and_line() {
    // The Hainan policy has no donation source; before, this budget was accepted and gave an
    // arrival rate of millions of per cent.
    let budget = temp(
        "unknown-source-budget.toml",
        "year = 2018\n\n[lines]\ncentral_fiscal = \"2700000.00\"\ndonation = \"195.85\"\n",
    );
    let (code, out, err) = bangfu(&["statement", "--budget", budget.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(
        err.contains("[funding.budget_unknown_source]") && err.contains("line 5"),
        "{err}"
    );
}

/// A Hubei year directory with temporary aid (临时救助): the statement shows its line after
/// the statement, `check` reads the file, and a full ID number is a problem with its line.
#[test]
fn statement_of_a_directory_shows_temporary_aid_and_check_refuses_a_full_id_number() {
    let dir = temp("hubei-policy.toml", "")
        .parent()
        .unwrap()
        .join("hubei-temporary");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("policy.toml"), bangfu::hubei2023::POLICY_TOML).unwrap();
    std::fs::write(
        dir.join("budget.toml"),
        "year = 2023\n[lines]\nprovincial_union_funds = \"10000.00\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("households.jsonl"), "").unwrap();
    std::fs::write(
        dir.join("ledger.jsonl"),
        r#"{"type":"income","id":"I-1","date":"2023-01-03","source":"provincial_union_funds","kind":"allocation","amount":"10000.00"}
"#,
    )
    .unwrap();
    let claim = r#"{"type":"claim","id":"T-1","worker":"W-1","id_number":"420106********1234","unit":"wuhan","date":"2023-02-01","event":"major_illness","relation":"parent","requested":"2000.00"}"#;
    std::fs::write(dir.join("temporary-aid.jsonl"), format!("{claim}\n")).unwrap();
    std::fs::write(
        dir.join("payments.jsonl"),
        r#"{"id":"TP-1","claim":"T-1","date":"2023-02-05","source":"provincial_union_funds","channel":"union_member_card"}
"#,
    )
    .unwrap();
    let d = dir.to_str().unwrap();
    let (code, out, err) = bangfu(&["statement", d]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("其中临时救助（含在生活救助中，未建档职工）：2000.00 元，1 人次，1 人"),
        "{out}"
    );
    let full = claim.replace("420106********1234", "42010619800505001X");
    std::fs::write(dir.join("temporary-aid.jsonl"), format!("{full}\n")).unwrap();
    let (code, out, err) = bangfu(&["check", d]);
    assert_eq!(code, 1, "{out}{err}");
    let all = format!("{out}{err}");
    assert!(
        all.contains("temporary-aid.jsonl:1: [temporary.id_number_unmasked]"),
        "{all}"
    );
    assert!(!all.contains("42010619800505001X"), "{all}");
}
