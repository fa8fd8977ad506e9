//! `bangfu whatif [DIR] --policy OTHER.toml`: the year's claims decided under another policy
//! file, as text and JSON, with both policies' stamps; its refusals.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu::hainan2018 as hn;

mod common;
use common::{bangfu, scratch};

/// The Hainan policy with medical aid at 60 %, capped at 20,000, written to a file.
fn reform_file(what: &str) -> String {
    let text = hn::POLICY_TOML
        .replace(
            "[[aid.medical.rate]]\nfrom = \"2018-01-01\"\nvalue = \"0.5\"",
            "[[aid.medical.rate]]\nfrom = \"2018-01-01\"\nvalue = \"0.6\"",
        )
        .replace(
            "[[aid.medical.yearly_cap]]\nfrom = \"2018-01-01\"\nvalue = \"15000.00\"",
            "[[aid.medical.yearly_cap]]\nfrom = \"2018-01-01\"\nvalue = \"20000.00\"",
        )
        .replace("version = \"2018.1\"", "version = \"2018.1-whatif\"");
    let path = scratch(what).join("reform.toml");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn text_and_json_name_both_policies_and_add_up() {
    let policy = reform_file("whatif-out");
    let (code, text, err) = bangfu(&["whatif", "--policy", &policy, "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    for s in [
        "# What-if",
        "CN-HI@2018.1 (sha256 0149a572",
        "CN-HI@2018.1-whatif (sha256 ",
        "## By fund source",
        "## By unit",
        "## By household",
        "| medical aid | 237 | 237 |",
    ] {
        assert!(text.contains(s), "no {s:?} in:\n{text}");
    }
    let (code, json, err) = bangfu(&["whatif", "--policy", &policy, "--json"]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["receipt"]["reform"]["id"], "CN-HI@2018.1-whatif");
    assert_eq!(v["receipt"]["baseline"]["id"], "CN-HI@2018.1");
    // Differences are signed yuan with two decimals; the households add up to the total.
    let fen = |s: &serde_json::Value| -> i64 {
        let s = s.as_str().unwrap();
        let (yuan, cents) = s.trim_start_matches('+').split_once('.').unwrap();
        let (neg, yuan) = yuan.strip_prefix('-').map_or((false, yuan), |y| (true, y));
        let n = yuan.parse::<i64>().unwrap() * 100 + cents.parse::<i64>().unwrap();
        if neg { -n } else { n }
    };
    let households: i64 = v["households"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| fen(&h["difference"]))
        .sum();
    assert!(households > 0);
    assert_eq!(households, fen(&v["total"]["difference"]));
    assert!(v["total"]["difference"].as_str().unwrap().starts_with('+'));
    // CSV: both policies on the first rows, then a row per group and per claim.
    let (code, csv, err) = bangfu(&[
        "whatif", "--policy", &policy, "--format", "csv", "--lang", "en",
    ]);
    assert_eq!(code, 0, "{err}");
    let rows: Vec<&str> = csv.trim_start_matches('\u{feff}').lines().collect();
    assert!(
        rows[1].starts_with("baseline policy,CN-HI@2018.1 sha256 0149a572"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].starts_with("reform policy,CN-HI@2018.1-whatif sha256 "),
        "{}",
        rows[2]
    );
    assert!(
        rows[3].starts_with("total,,780,237,3721961.00,"),
        "{}",
        rows[3]
    );
    assert_eq!(rows.iter().filter(|r| r.starts_with("claim,")).count(), 780);
}

#[test]
fn a_year_directory_gives_what_the_embedded_year_gives() {
    let dir = scratch("whatif-dir").join("year");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, bytes) in hn::files() {
        std::fs::write(dir.join(name), bytes).unwrap();
    }
    let policy = reform_file("whatif-dir");
    let (code, from_dir, err) = bangfu(&["whatif", dir.to_str().unwrap(), "--policy", &policy]);
    assert_eq!(code, 0, "{err}");
    let (_, embedded, _) = bangfu(&["whatif", "--policy", &policy]);
    assert_eq!(from_dir, embedded);
    assert!(from_dir.starts_with("# 政策模拟"), "{from_dir}");
}

#[test]
fn refusals() {
    // Without --policy: bad usage.
    let (code, _, err) = bangfu(&["whatif"]);
    assert_eq!(code, 2, "{err}");
    // A broken policy file: bad input, named with its path and code, nothing printed.
    let path = scratch("whatif-bad").join("bad.toml");
    std::fs::write(&path, "[meta\n").unwrap();
    let (code, out, err) = bangfu(&["whatif", "--policy", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("bad.toml") && err.contains("[read."), "{err}");
}
