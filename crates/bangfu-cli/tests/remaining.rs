//! `bangfu remaining [DIR] --household ID [--date DATE]`: the year's remaining entitlement
//! as the library reads it (the HTTP service and JSON Lines read the same function).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu::core::NaiveDate;
use bangfu::hainan2018 as hn;

mod common;
use common::bangfu;

#[test]
fn the_command_prints_what_the_library_reads() {
    let year = hn::programme_year().unwrap();
    // A household with an education claim: a line for its student.
    let id = "JG-0025".parse().unwrap();
    for date in ["2018-08-14", "2018-12-31"] {
        let d: NaiveDate = date.parse().unwrap();
        let expected = serde_json::to_value(year.remaining(&id, d).unwrap()).unwrap();
        let (code, out, err) = bangfu(&[
            "remaining",
            "--household",
            "JG-0025",
            "--date",
            date,
            "--json",
        ]);
        assert_eq!(code, 0, "{err}");
        let got: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(got, expected);
        assert!(!got["education"].as_array().unwrap().is_empty(), "{got}");
    }
    // Without a date: the year's last day.
    let (_, out, _) = bangfu(&["remaining", "--household", "JG-0025", "--json"]);
    let got: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(got["date"], "2018-12-31");
    let (code, text, err) = bangfu(&["remaining", "--household", "JG-0025", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    for s in [
        "# Remaining entitlement JG-0025 2018-12-31",
        "| medical aid | 15000.00 |",
        "| sending warmth |",
        "| education JG-0025-m2 |",
    ] {
        assert!(text.contains(s), "no {s:?} in:\n{text}");
    }
}

#[test]
fn an_unknown_household_is_refused_with_its_code() {
    let (code, out, err) = bangfu(&["remaining", "--household", "NO-0001"]);
    assert_eq!(code, 1, "{out}");
    assert!(err.contains("[year.unknown_household]"), "{err}");
    let (code, _, err) = bangfu(&["remaining"]);
    assert_eq!(code, 2, "{err}");
}
