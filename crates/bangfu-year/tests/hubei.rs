//! The Hubei policy (issue 14): the embedded file loads, and an eligibility decision under it
//! carries a citation for every parameter it used. Hubei's own filing rules were searched for
//! and not found, so the decision's lines are the example scheme's (`elig.*`) and only the
//! local minimum standard is Hubei's (`docs/aid.md`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bangfu_core::NaiveDate;
use bangfu_data::hubei2023 as hb;
use bangfu_eligibility::{Household, Outcome, assess};

/// A Wuhan household of one worker, 6,000 a year (500 a month, below 940): deep hardship.
fn household() -> Household {
    let mut v: serde_json::Value = serde_json::from_str(
        bangfu_data::guinan2019::HOUSEHOLDS_JSONL
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    let h = &mut v["household"];
    h["id"] = "HB-0001".into();
    h["members"] = serde_json::json!([]);
    h["annual_income"] = "6000.00".into();
    h["city"] = "420100".into();
    let w = &mut h["worker"];
    w["union_unit"] = "wuhan".into();
    w["person"]["id"] = "HB-0001-w".into();
    w["person"]["annual_income"] = "6000.00".into();
    serde_json::from_value(h.clone()).unwrap()
}

#[test]
fn the_hubei_policy_loads_and_decides_a_wuhan_household_with_its_citations() {
    let policy = hb::policy().unwrap();
    assert_eq!(policy.meta.jurisdiction, "CN-HB");
    let date = NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
    let mut d = assess(&policy.eligibility, &household(), date).unwrap();
    let missing = d.fill_citations(&policy.citations);
    assert!(missing.is_empty(), "{missing:?}");
    assert_ne!(d.outcome, Outcome::NotEligible, "{:?}", d.reasons);
    // Wuhan's standard, 940 a month, is the one the lines read.
    assert_eq!(d.per_capita.standard.to_string(), "940.00");
    let cites: Vec<(&str, &str)> = d
        .explanation
        .parameters
        .iter()
        .map(|p| (p.name.as_str(), p.cite.as_str()))
        .collect();
    // Every parameter is cited, and each citation is in the policy's table.
    assert!(!cites.is_empty());
    for p in &d.explanation.parameters {
        assert!(p.citation.is_some(), "{} ({}) not filled", p.name, p.cite);
    }
    // What is Hubei's: the standard. The rest is the example scheme's, said so in the file:
    // no Hubei filing rule was found, and none is cited as if it were.
    let standard = cites
        .iter()
        .find(|(name, _)| name.contains("minimum"))
        .unwrap();
    assert!(
        standard.1.contains("hb") || standard.1.contains("hubei"),
        "{standard:?}"
    );
    assert!(
        cites
            .iter()
            .filter(|(name, _)| !name.contains("minimum"))
            .all(|(_, cite)| cite.starts_with("elig.")),
        "{cites:?}"
    );
    assert!(
        hb::POLICY_TOML.contains("Hubei's own funding, eligibility and scoring rules: NOT FOUND")
    );
}
