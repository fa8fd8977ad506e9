//! `bangfu statement|report|check DIR` on year directories written as files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::path::{Path, PathBuf};

use bangfu::hainan2018 as hn;

mod common;
use common::bangfu;

/// The Hainan 2018 year written out as a year directory named `name`.
fn hainan_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("bangfu-year-dir-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for (file, text) in [
        ("policy.toml", hn::POLICY_TOML),
        ("budget.toml", hn::BUDGET_TOML),
        ("households.jsonl", hn::HOUSEHOLDS_JSONL),
        ("applicants.jsonl", hn::APPLICANTS_JSONL),
        ("claims.jsonl", hn::CLAIMS_JSONL),
        ("ledger.jsonl", hn::LEDGER_JSONL),
        ("survey.jsonl", hn::SURVEY_JSONL),
        ("stated.toml", hn::STATED_TOML),
        ("judgements.toml", hn::JUDGEMENTS_TOML),
        ("report.toml", hn::REPORT_TOML),
    ] {
        std::fs::write(dir.join(file), text).unwrap();
    }
    dir
}

/// Replaces line `n` (from 1) of `file` in `dir` with `f(line)`.
fn edit_line(dir: &Path, file: &str, n: usize, f: impl Fn(&str) -> String) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    lines[n - 1] = f(&lines[n - 1]);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
}

/// Every file of `dir` with its bytes, to show that nothing was written.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut all: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    all.sort();
    all
}

#[test]
fn the_hainan_year_as_a_directory_is_the_embedded_year() {
    let dir = hainan_dir("same");
    let d = dir.to_str().unwrap();
    let (code, out, err) = bangfu(&["check", d]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("没有问题（已记录发放 8236 笔，发现 0 项）"),
        "{out}"
    );
    let (code, out, err) = bangfu(&["check", d, "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("no problems (8236 payments recorded, 0 findings)"),
        "{out}"
    );
    let (code, from_dir, err) = bangfu(&["report", d]);
    assert_eq!(code, 0, "{err}");
    let (_, embedded, _) = bangfu(&["report"]);
    assert_eq!(from_dir, embedded);
    let (code, out, _) = bangfu(&["statement", d, "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("Execution rate: 96.33 %"), "{out}");
}

#[test]
fn check_reports_five_bad_records_in_three_files_and_writes_nothing() {
    let dir = hainan_dir("five");
    edit_line(&dir, "households.jsonl", 3, |l| l[..l.len() / 2].to_owned());
    edit_line(&dir, "households.jsonl", 10, |l| {
        l.replacen("{\"case\"", "{\"colour\":\"red\",\"case\"", 1)
    });
    edit_line(&dir, "claims.jsonl", 5, |l| {
        let at = l.find("\"date\":\"").unwrap() + 8;
        format!("{}2018-02-30{}", &l[..at], &l[at + 10..])
    });
    edit_line(&dir, "ledger.jsonl", 7, |l| {
        l.replacen("\"amount\":\"", "\"amount\":\"-", 1)
    });
    edit_line(&dir, "ledger.jsonl", 20, |l| {
        l.replacen("{\"type\"", "{\"id\":\"x\",\"type\"", 1)
    });
    let before = snapshot(&dir);
    let (code, out, err) = bangfu(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    let problems: Vec<&str> = err.lines().filter(|l| l.contains(": [")).collect();
    assert_eq!(problems.len(), 5, "{err}");
    let expect = [
        ("households.jsonl:3:", "[read.syntax]"),
        ("households.jsonl:10:", "[read.unknown_field]"),
        ("claims.jsonl:5:", "[core.date.malformed]"),
        ("ledger.jsonl:7:", "[core.money.negative]"),
        ("ledger.jsonl:20:", "[read.duplicate_key]"),
    ];
    for (place, code) in expect {
        assert!(
            problems
                .iter()
                .any(|p| p.contains(place) && p.contains(code)),
            "no {place} {code} in:\n{err}"
        );
    }
    assert!(err.contains("bangfu: 共 5 个问题"), "{err}");
    let (_, _, err) = bangfu(&["check", dir.to_str().unwrap(), "--lang", "en"]);
    assert!(err.contains("bangfu: 5 problems"), "{err}");
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn check_reports_what_the_path_refuses_with_file_and_line() {
    let dir = hainan_dir("path");
    // A claim for a household never filed, and a posting id used twice with other content.
    edit_line(&dir, "claims.jsonl", 2, |l| {
        let at = l.find("\"household\":\"").unwrap() + 13;
        let end = at + l[at..].find('"').unwrap();
        format!("{}XX-9999{}", &l[..at], &l[end..])
    });
    let text = std::fs::read_to_string(dir.join("ledger.jsonl")).unwrap();
    let last = text.lines().rfind(|l| l.contains("disbursement")).unwrap();
    let first_id = {
        let l = text.lines().find(|l| l.contains("disbursement")).unwrap();
        let at = l.find("\"id\":\"").unwrap() + 6;
        l[at..at + l[at..].find('"').unwrap()].to_owned()
    };
    let at = last.find("\"id\":\"").unwrap() + 6;
    let end = at + last[at..].find('"').unwrap();
    let twin = format!("{}{first_id}{}", &last[..at], &last[end..]);
    let n = text.lines().count();
    std::fs::write(dir.join("ledger.jsonl"), format!("{text}{twin}\n")).unwrap();
    let (code, _, err) = bangfu(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("claims.jsonl:2: [year.unknown_household]"),
        "{err}"
    );
    assert!(
        err.contains(&format!("ledger.jsonl:{}: [funding.id_conflict]", n + 1)),
        "{err}"
    );
}

#[test]
fn a_report_without_its_files_says_what_is_missing() {
    let dir = hainan_dir("missing");
    std::fs::remove_file(dir.join("judgements.toml")).unwrap();
    std::fs::remove_file(dir.join("stated.toml")).unwrap();
    let (code, out, err) = bangfu(&["report", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(err.contains("[dir.missing_file]"), "{err}");
    assert!(out.contains("`judgements.toml`"), "{out}");
    assert!(out.contains("`stated.toml`"), "{out}");
    assert!(!out.contains("`report.toml`"), "{out}");
    assert!(out.contains("预算执行率：96.33 %"), "{out}");
    assert!(!out.contains("附件2"), "{out}");
}

#[test]
fn a_bom_is_accepted_in_every_file() {
    let dir = hainan_dir("bom");
    for e in std::fs::read_dir(&dir).unwrap() {
        let p = e.unwrap().path();
        let mut bytes = b"\xef\xbb\xbf".to_vec();
        bytes.extend(std::fs::read(&p).unwrap());
        std::fs::write(&p, bytes).unwrap();
    }
    let (code, out, err) = bangfu(&["check", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("没有问题"), "{out}");
}
