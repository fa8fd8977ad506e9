//! Bad input files: each gives its error code (and line) and changes nothing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu::core::Coded;
use bangfu::hainan2018;
use bangfu::input::{self, InputError};

fn ledger_error(text: &str) -> InputError {
    input::parse_ledger_jsonl(text).unwrap_err()
}

const GOOD: &str = r#"{"type":"income","id":"i-1","date":"2018-01-05","source":"central_fiscal","kind":"allocation","amount":"100.00"}"#;

#[test]
fn malformed_json_names_its_line() {
    let err = ledger_error(&format!("{GOOD}\n\n{{\"type\": \"income\",\n"));
    assert_eq!(err.code(), "read.syntax");
    assert_eq!(err.line(), Some(3));
}

#[test]
fn a_missing_field_names_its_line() {
    let err = ledger_error(&format!(
        "{GOOD}\n{}",
        GOOD.replace(",\"amount\":\"100.00\"", "")
    ));
    assert_eq!(err.code(), "read.missing_field");
    assert_eq!(err.line(), Some(2));
    assert!(err.to_string().contains("amount"), "{err}");
}

#[test]
fn an_unknown_field_or_source_is_refused() {
    let err = ledger_error(&GOOD.replace("\"kind\"", "\"colour\":\"red\",\"kind\""));
    assert_eq!(err.code(), "read.unknown_field");
    let err = ledger_error(&GOOD.replace("central_fiscal", "martian_fund"));
    assert_eq!(err.code(), "read.unknown_code");
    assert!(err.to_string().contains("martian_fund"));
}

#[test]
fn bad_amounts_in_files_are_refused() {
    for (amount, code) in [
        ("-5.00", "core.money.negative"),
        ("1.234", "core.money.too_precise"),
        ("92233720368547758.08", "core.money.overflow"),
    ] {
        let err = ledger_error(&GOOD.replace("100.00", amount));
        assert_eq!(err.code(), code, "{amount}");
        assert_eq!(err.line(), Some(1));
    }
    // Amounts must be strings, never JSON numbers, so they cannot lose precision.
    let err = ledger_error(&GOOD.replace("\"100.00\"", "100.0"));
    assert_eq!(err.code(), "read.invalid_type");
}

#[test]
fn a_refused_posting_in_a_ledger_file_names_its_line() {
    let policy = hainan2018::policy().unwrap();
    let budget = hainan2018::budget().unwrap();
    let cash = r#"{"type":"disbursement","id":"p-1","date":"2018-02-01","source":"central_fiscal","category":"living","household":"HK-0001","tier":"national","channel":"cash","amount":"50.00"}"#;
    let postings = input::parse_ledger_jsonl(&format!("{GOOD}\n{cash}\n")).unwrap();
    let err = bangfu::YearRun::new(&policy, &budget, postings).unwrap_err();
    assert_eq!(err.code(), "funding.channel_refused");
    assert_eq!(err.line(), Some(2));
}

#[test]
fn malformed_policy_toml_names_its_line() {
    let broken = hainan2018::POLICY_TOML.replacen("value = true", "value = tru", 1);
    let line = broken
        .lines()
        .position(|l| l.contains("value = tru"))
        .unwrap()
        + 1;
    let err = bangfu::Policy::from_toml(&broken).unwrap_err();
    assert_eq!(err.code(), "read.syntax");
    assert_eq!(err.line(), Some(line));
}

#[test]
fn policy_values_are_typed_and_cited() {
    let wrong_type = hainan2018::POLICY_TOML.replacen("value = true", "value = \"yes\"", 1);
    let err = bangfu::Policy::from_toml(&wrong_type).unwrap_err();
    assert_eq!(err.code(), "read.invalid_type");
    let line = wrong_type
        .lines()
        .position(|l| l.contains("value = \"yes\""))
        .unwrap()
        + 1;
    assert_eq!(err.line(), Some(line));

    let uncited =
        hainan2018::POLICY_TOML.replacen("cite = \"fund.seed.3.1\"", "cite = \"fund.nowhere\"", 1);
    let err = bangfu::Policy::from_toml(&uncited).unwrap_err();
    assert_eq!(err.code(), "policy.unknown_citation");

    let unknown = hainan2018::POLICY_TOML.replacen("[meta]", "[meta]\ncolour = \"red\"", 1);
    assert_eq!(
        bangfu::Policy::from_toml(&unknown).unwrap_err().code(),
        "read.unknown_field"
    );

    let bad_channel = hainan2018::POLICY_TOML.replacen(
        "value = [\"union_member_card\"]",
        "value = [\"carrier_pigeon\"]",
        1,
    );
    assert_eq!(
        bangfu::Policy::from_toml(&bad_channel).unwrap_err().code(),
        "read.unknown_code"
    );

    let unordered = hainan2018::POLICY_TOML.replacen(
        "[[funding.entry_window_months]]\nfrom = \"2018-01-01\"\ncite = \"fund.seed.6.1.5\"\nvalue = 1",
        "[[funding.entry_window_months]]\nfrom = \"2018-01-01\"\ncite = \"fund.seed.6.1.5\"\nvalue = 1\n[[funding.entry_window_months]]\nfrom = \"2017-01-01\"\ncite = \"fund.seed.6.1.5\"\nvalue = 2",
        1,
    );
    assert_eq!(
        bangfu::Policy::from_toml(&unordered).unwrap_err().code(),
        "core.parameter.timeline_order"
    );
}

#[test]
fn budget_file_errors() {
    let err = input::parse_budget_toml("year = 2018\n[lines]\ncentral_fiscal = \"270.001\"\n")
        .unwrap_err();
    assert_eq!(err.code(), "core.money.too_precise");
    assert_eq!(err.line(), Some(3));
    let err = input::parse_budget_toml("[lines]\ncentral_fiscal = \"270.00\"\n").unwrap_err();
    assert_eq!(err.code(), "read.missing_field");
}

#[test]
fn a_budget_for_a_source_the_policy_does_not_have_is_refused() {
    let policy = hainan2018::policy().unwrap();
    // Well-formed on its own: the file does not know the policy.
    let budget = input::parse_budget_toml(
        "year = 2018\n[lines]\ncentral_fiscal = \"2700000.00\"\nlocal_fiscal = \"195.85\"\n",
    )
    .unwrap();
    let postings = hainan2018::ledger_records().unwrap();
    let err = bangfu::YearRun::new(&policy, &budget, postings).unwrap_err();
    assert_eq!(err.code(), "funding.budget_unknown_source");
}
