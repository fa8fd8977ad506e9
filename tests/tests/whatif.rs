//! What-if on the Hainan 2018 year (issue 14, item 7): the year's claims decided again with
//! the medical rate at 60 % and the yearly cap at 20,000 (the other policy written here from
//! the embedded one). The totals move by exactly the sum of the per-household differences,
//! every medical claim of an applicant's single claim is decided as the reform's rule says,
//! and the receipt names both policies by id and SHA-256.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::{BTreeMap, HashMap};

use bangfu::core::{AidCategory, Lang, Money, PersonId};
use bangfu::hainan2018 as hn;
use bangfu::records::ClaimDetail;
use bangfu::year::dir::YearDir;
use bangfu::year::whatif::WhatIf;
use bangfu::{Policy, PolicyStamp, ProgrammeYear};

/// Replaces `old` by `new` in `text`, which must hold it exactly once.
fn replace_once(text: &str, old: &str, new: &str) -> String {
    assert_eq!(text.matches(old).count(), 1, "{old}");
    text.replace(old, new)
}

/// The embedded Hainan policy with medical aid at 60 % of the year's cost, capped at 20,000
/// a year, under its own version.
fn reform_text() -> String {
    let text = replace_once(
        hn::POLICY_TOML,
        "[[aid.medical.rate]]\nfrom = \"2018-01-01\"\nvalue = \"0.5\"",
        "[[aid.medical.rate]]\nfrom = \"2018-01-01\"\nvalue = \"0.6\"",
    );
    let text = replace_once(
        &text,
        "[[aid.medical.yearly_cap]]\nfrom = \"2018-01-01\"\nvalue = \"15000.00\"",
        "[[aid.medical.yearly_cap]]\nfrom = \"2018-01-01\"\nvalue = \"20000.00\"",
    );
    replace_once(&text, "version = \"2018.1\"", "version = \"2018.1-whatif\"")
}

/// The year built from the embedded files with `policy.toml` replaced by `policy`.
fn year_under(policy: &str) -> ProgrammeYear {
    let mut files = hn::files();
    files.insert("policy.toml".to_owned(), policy.as_bytes().to_vec());
    YearDir::read(&files).unwrap().build().unwrap().year
}

fn decided_total(year: &ProgrammeYear) -> i64 {
    year.decided_claims().map(|c| c.amount.fen()).sum()
}

/// `round(rate × cost)` half up to the fen, in fen, for a rate in tenths.
fn share(cost: Money, tenths: i64) -> i64 {
    (cost.fen() * tenths + 5) / 10
}

#[test]
fn hainan_medical_at_60_percent_capped_at_20000() {
    let reform = reform_text();
    let w = WhatIf::of_files(&hn::files(), &reform).unwrap();

    // The receipt names both policies: the directory's own and the other file.
    let baseline_stamp = PolicyStamp::of(&hn::policy().unwrap(), hn::POLICY_TOML);
    let reform_stamp = PolicyStamp::of(&Policy::from_toml(&reform).unwrap(), &reform);
    assert_eq!(w.receipt.baseline, baseline_stamp);
    assert_eq!(w.receipt.reform, reform_stamp);
    assert_eq!(w.receipt.baseline.id, "CN-HI@2018.1");
    assert_eq!(w.receipt.reform.id, "CN-HI@2018.1-whatif");
    assert_ne!(w.receipt.baseline.sha256, w.receipt.reform.sha256);
    let text = w.render_text(Lang::En);
    for s in [&baseline_stamp, &reform_stamp] {
        assert!(text.contains(&s.id) && text.contains(&s.sha256), "{text}");
    }
    let json = serde_json::to_value(&w).unwrap();
    assert_eq!(
        json["receipt"]["reform"]["sha256"],
        reform_stamp.sha256.as_str()
    );
    assert_eq!(json["receipt"]["baseline"]["id"], "CN-HI@2018.1");

    // The totals, read from two years built here through the one path, not from the what-if.
    let (before, after) = (year_under(hn::POLICY_TOML), year_under(&reform));
    let moved = decided_total(&after) - decided_total(&before);
    assert_eq!(w.total.amounts.baseline.fen(), decided_total(&before));
    assert_eq!(w.total.amounts.reform.fen(), decided_total(&after));
    assert!(moved > 0, "a higher rate and cap pay more: {moved}");

    // They move by exactly the sum of the per-household differences (and of every grouping).
    let per_household: i64 = w
        .households
        .iter()
        .map(|h| h.totals.amounts.difference.fen())
        .sum();
    assert_eq!(per_household, moved);
    assert_eq!(w.total.amounts.difference.fen(), moved);
    for (name, sum) in [
        (
            "unit",
            w.units
                .iter()
                .map(|l| l.totals.amounts.difference.fen())
                .sum::<i64>(),
        ),
        (
            "source",
            w.sources
                .iter()
                .map(|l| l.totals.amounts.difference.fen())
                .sum(),
        ),
        (
            "category",
            w.categories
                .iter()
                .map(|l| l.totals.amounts.difference.fen())
                .sum(),
        ),
        (
            "claim",
            w.claims.iter().map(|c| c.amounts.difference.fen()).sum(),
        ),
    ] {
        assert_eq!(sum, moved, "by {name}");
    }
    // Each household's line is its claims' difference in the two years.
    let mut by_household: BTreeMap<String, i64> = BTreeMap::new();
    for c in before.decided_claims() {
        let other = after.decided_claim(&c.record.id).unwrap();
        *by_household
            .entry(c.record.household.to_string())
            .or_default() += other.amount.fen() - c.amount.fen();
    }
    let lines: BTreeMap<String, i64> = w
        .households
        .iter()
        .map(|h| (h.key.to_string(), h.totals.amounts.difference.fen()))
        .collect();
    assert_eq!(lines, by_household);

    // Only medical aid moves, and never down.
    for l in &w.categories {
        assert_eq!(
            l.totals.changed > 0,
            l.key == AidCategory::Medical,
            "{:?}",
            l.key
        );
    }
    assert_eq!(w.total.claims, 780);
    assert!(
        w.claims
            .iter()
            .all(|c| c.amounts.reform >= c.amounts.baseline)
    );
    assert_eq!((w.findings.baseline, w.findings.reform), (0, 0));

    // An applicant's only medical claim of the year: min(50 % of the cost, 15,000) before,
    // min(60 %, 20,000) after, rounded half up to the fen once.
    let mut claims_of: HashMap<PersonId, Vec<Money>> = HashMap::new();
    for c in before.decided_claims() {
        if let ClaimDetail::Medical {
            applicant,
            out_of_pocket,
        } = &c.record.detail
        {
            claims_of
                .entry(applicant.clone())
                .or_default()
                .push(*out_of_pocket);
        }
    }
    let mut checked = 0;
    for c in &w.claims {
        let Some(d) = before.decided_claim(&c.claim) else {
            panic!("{}", c.claim)
        };
        let ClaimDetail::Medical {
            applicant,
            out_of_pocket,
        } = &d.record.detail
        else {
            continue;
        };
        if claims_of[applicant].len() != 1 {
            continue;
        }
        assert_eq!(
            c.amounts.baseline.fen(),
            share(*out_of_pocket, 5).min(1_500_000)
        );
        assert_eq!(
            c.amounts.reform.fen(),
            share(*out_of_pocket, 6).min(2_000_000)
        );
        checked += 1;
    }
    assert!(checked > 100, "{checked}");
}
