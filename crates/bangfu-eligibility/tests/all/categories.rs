//! Categories and tiers at their boundaries, under both strictness settings.

use bangfu_core::{ArchiveTier, Dated, Timeline};
use bangfu_eligibility::*;

use crate::common::*;

/// The policy with band `i` of every scheme set to `cmp`.
fn with_comparison(p: &EligibilityPolicy, i: usize, cmp: Comparison) -> EligibilityPolicy {
    let mut p = p.clone();
    let entries: Vec<Dated<Scheme>> = p
        .schemes
        .entries()
        .iter()
        .cloned()
        .map(|mut e| {
            if let Some(b) = e.value.bands.get_mut(i) {
                if let Some(l) = b.income_line.as_mut() {
                    l.comparison = cmp;
                }
                if let Some(c) = b.cost_share.as_mut() {
                    c.comparison = cmp;
                }
            }
            e
        })
        .collect();
    p.schemes = Timeline::new(entries).unwrap();
    p.validate().unwrap();
    p
}

fn outcome(
    p: &EligibilityPolicy,
    h: &Household,
    date: chrono::NaiveDate,
) -> Option<(HardshipCategory, ArchiveTier)> {
    match assess(p, h, date).unwrap().outcome {
        Outcome::Eligible { category, tier } => Some((category, tier)),
        Outcome::NotEligible => None,
        other => panic!("{other:?}"),
    }
}

/// A one-person household with this annual income (monthly per capita = income ÷ 12).
fn single(income: &str) -> Household {
    household(1, yuan(income), 0)
}

const D2018: (i32, u32, u32) = (2018, 6, 1);

fn on2018() -> chrono::NaiveDate {
    d(D2018.0, D2018.1, D2018.2)
}

use HardshipCategory as C;

#[test]
fn subsistence_line_below_l_strict_and_inclusive() {
    let p = hainan(); // L = 500: 1 × L = 6000.00 a year for one person
    let strict = |s| outcome(&p, &single(s), on2018());
    assert_eq!(
        strict("5999.99"),
        Some((C::Subsistence, ArchiveTier::National))
    );
    assert_eq!(
        strict("6000.00"),
        Some((C::NearSubsistence, ArchiveTier::National))
    );
    assert_eq!(
        strict("6000.01"),
        Some((C::NearSubsistence, ArchiveTier::National))
    );
    let le = with_comparison(&p, 0, Comparison::Le);
    let incl = |s| outcome(&le, &single(s), on2018());
    assert_eq!(
        incl("5999.99"),
        Some((C::Subsistence, ArchiveTier::National))
    );
    assert_eq!(
        incl("6000.00"),
        Some((C::Subsistence, ArchiveTier::National))
    );
    assert_eq!(
        incl("6000.01"),
        Some((C::NearSubsistence, ArchiveTier::National))
    );
}

#[test]
fn near_subsistence_line_at_one_and_a_half() {
    let p = hainan(); // 1.5 × 500 × 12 = 9000.00
    let incl = |s| outcome(&p, &single(s), on2018());
    assert_eq!(
        incl("8999.99"),
        Some((C::NearSubsistence, ArchiveTier::National))
    );
    assert_eq!(
        incl("9000.00"),
        Some((C::NearSubsistence, ArchiveTier::National))
    );
    assert_eq!(incl("9000.01"), Some((C::Local, ArchiveTier::Provincial)));
    let lt = with_comparison(&p, 1, Comparison::Lt);
    let strict = |s| outcome(&lt, &single(s), on2018());
    assert_eq!(
        strict("8999.99"),
        Some((C::NearSubsistence, ArchiveTier::National))
    );
    assert_eq!(strict("9000.00"), Some((C::Local, ArchiveTier::Provincial)));
    assert_eq!(strict("9000.01"), Some((C::Local, ArchiveTier::Provincial)));
    // Without a special reason the near-subsistence band is not met.
    let mut h = single("7000");
    h.causes.clear();
    assert_eq!(outcome(&p, &h, on2018()), None);
}

#[test]
fn accident_band_at_three_times() {
    let p = hainan(); // 3 × 500 × 12 = 18000.00, with a sudden event
    let with_accident = |s: &str| {
        let mut h = single(s);
        h.causes = vec![HardshipCause::Accident];
        h.accident = Some(AccidentClaim {
            date: d(2018, 2, 1),
            cost: yuan("5000"),
        });
        h.documents.push(Document {
            kind: DocumentKind::AccidentProof,
            person: None,
        });
        h
    };
    let incl = |s| outcome(&p, &with_accident(s), on2018());
    assert_eq!(incl("17999.99"), Some((C::Accident, ArchiveTier::National)));
    assert_eq!(incl("18000.00"), Some((C::Accident, ArchiveTier::National)));
    assert_eq!(incl("18000.01"), None);
    let lt = with_comparison(&p, 2, Comparison::Lt);
    let strict = |s| outcome(&lt, &with_accident(s), on2018());
    assert_eq!(
        strict("17999.99"),
        Some((C::Accident, ArchiveTier::National))
    );
    // At 3 × L a strict accident line fails; the grassroots tier (≤ 3 × L, with a cause) takes it.
    assert_eq!(
        strict("18000.00"),
        Some((C::Local, ArchiveTier::Grassroots))
    );
    assert_eq!(strict("18000.01"), None);
}

#[test]
fn local_tiers_from_the_standard_met() {
    let p = hainan();
    let tier = |s| outcome(&p, &single(s), on2018());
    assert_eq!(tier("11999.99"), Some((C::Local, ArchiveTier::Provincial)));
    assert_eq!(tier("12000.00"), Some((C::Local, ArchiveTier::Provincial)));
    assert_eq!(tier("12000.01"), Some((C::Local, ArchiveTier::Grassroots)));
    assert_eq!(tier("18000.00"), Some((C::Local, ArchiveTier::Grassroots)));
    assert_eq!(tier("18000.01"), None);
    let lt = with_comparison(&p, 3, Comparison::Lt);
    assert_eq!(
        outcome(&lt, &single("12000.00"), on2018()),
        Some((C::Local, ArchiveTier::Grassroots))
    );
    let lt = with_comparison(&p, 4, Comparison::Lt);
    assert_eq!(outcome(&lt, &single("18000.00"), on2018()), None);
}

#[test]
fn graded_2020_deep_and_relative_lines() {
    let p = example2020(); // L = 600 from 2020: 1 × = 7200.00, 2 × = 14400.00 a year
    let on = d(2020, 6, 1);
    let strict = |s| outcome(&p, &single(s), on);
    assert_eq!(strict("7199.99"), Some((C::Deep, ArchiveTier::National)));
    assert_eq!(
        strict("7200.00"),
        Some((C::Relative, ArchiveTier::National))
    );
    assert_eq!(
        strict("7200.01"),
        Some((C::Relative, ArchiveTier::National))
    );
    assert_eq!(
        strict("14399.99"),
        Some((C::Relative, ArchiveTier::National))
    );
    assert_eq!(strict("14400.00"), None);
    assert_eq!(strict("14400.01"), None);
    let le0 = with_comparison(&p, 0, Comparison::Le);
    assert_eq!(
        outcome(&le0, &single("7200.00"), on),
        Some((C::Deep, ArchiveTier::National))
    );
    assert_eq!(
        outcome(&le0, &single("7200.01"), on),
        Some((C::Relative, ArchiveTier::National))
    );
    let le1 = with_comparison(&p, 1, Comparison::Le);
    assert_eq!(
        outcome(&le1, &single("14400.00"), on),
        Some((C::Relative, ArchiveTier::National))
    );
    assert_eq!(outcome(&le1, &single("14400.01"), on), None);
}

#[test]
fn graded_2020_deducts_rigid_expenditure() {
    let p = example2020();
    let on = d(2020, 6, 1);
    let mut h = single("20000");
    assert_eq!(outcome(&p, &h, on), None);
    h.rigid_expenditure = yuan("6000"); // net 14000 < 14400
    assert_eq!(
        outcome(&p, &h, on),
        Some((C::Relative, ArchiveTier::National))
    );
    let decision = assess(&p, &h, on).unwrap();
    assert_eq!(decision.per_capita.net_annual.to_string(), "14000.00");
    assert_eq!(decision.per_capita.monthly_display.to_string(), "1166.67");
    // The 2018 scheme divides gross income: the deduction does not count there.
    let legacy = assess(&p, &h, d(2019, 6, 1)).unwrap();
    assert_eq!(
        legacy.per_capita.rigid_expenditure,
        bangfu_core::Money::ZERO
    );
    assert_eq!(legacy.per_capita.net_annual.to_string(), "20000.00");
}

#[test]
fn accident_test_cost_share_boundaries() {
    let p = example2020(); // hardship cost > 0.8 × annual income
    let on = d(2020, 6, 1);
    let h = |cost: &str| {
        let mut h = single("30000");
        h.accident = Some(AccidentClaim {
            date: d(2020, 3, 1),
            cost: yuan(cost),
        });
        h
    };
    assert_eq!(outcome(&p, &h("23999.99"), on), None);
    assert_eq!(outcome(&p, &h("24000.00"), on), None);
    assert_eq!(
        outcome(&p, &h("24000.01"), on),
        Some((C::Accidental, ArchiveTier::National))
    );
    let ge = with_comparison(&p, 2, Comparison::Ge);
    assert_eq!(outcome(&ge, &h("23999.99"), on), None);
    assert_eq!(
        outcome(&ge, &h("24000.00"), on),
        Some((C::Accidental, ArchiveTier::National))
    );
    // No accident claimed: the cost test fails.
    assert_eq!(outcome(&p, &single("30000"), on), None);
}

#[test]
fn the_computation_is_shown_exactly() {
    let p = hainan();
    let decision = assess(&p, &single("5999.99"), on2018()).unwrap();
    // 5999.99 ÷ 12 = 499.9991…, shown 500.00, yet still below the 500.00 line: compared exactly.
    assert_eq!(decision.per_capita.monthly_display.to_string(), "500.00");
    assert!(matches!(
        decision.outcome,
        Outcome::Eligible {
            category: C::Subsistence,
            ..
        }
    ));
    assert_eq!(decision.per_capita.size, 1);
    assert_eq!(decision.per_capita.standard, yuan("500"));
    let steps: Vec<&str> = decision
        .explanation
        .steps
        .iter()
        .map(|s| s.en.as_str())
        .collect();
    assert!(
        steps
            .iter()
            .any(|s| s.starts_with("(5999.99 − 0.00) ÷ 12 ÷ 1 = 500.00")),
        "{steps:?}"
    );
    let params = &decision.explanation.parameters;
    let l = params
        .iter()
        .find(|u| u.name == "minimum_living_standard")
        .unwrap();
    assert_eq!(l.value, "500.00");
    assert_eq!(l.cite.as_str(), "mls.assumed.hn2018");
    assert_eq!(l.from, d(2017, 1, 1));
    let m = params
        .iter()
        .find(|u| u.name == "eligibility.band.1.near_subsistence.multiplier")
        .unwrap();
    assert_eq!(m.value, "≤ 1.5");
    assert_eq!(m.cite.as_str(), "elig.arch2016.categories");
    assert!(decision.bands[0].met && !decision.bands[2].met);
    let homes = params
        .iter()
        .find(|u| u.name == "eligibility.exclusion.multiple_homes")
        .unwrap();
    assert_eq!(homes.value, "homes_owned ≥ 2");
    assert_eq!(homes.cite.as_str(), "elig.zzrv2018.exclusions");
    // A three-person household divides by three.
    let three = assess(&p, &household(2, yuan("18000"), 2), on2018()).unwrap();
    assert_eq!(three.per_capita.monthly_display.to_string(), "500.00");
    assert_eq!(three.per_capita.size, 3);
}

#[test]
fn a_band_may_use_its_own_per_capita_basis() {
    // JUDUO's near-subsistence variant: income net of rigid (cause-related) spending.
    let src = HAINAN_2018_POLICY_TOML.replacen(
        "income_line = { multiplier = \"1.5\", comparison = \"le\" }\nrequires_cause = true",
        "income_line = { multiplier = \"1.5\", comparison = \"le\" }\nrequires_cause = true\nper_capita = \"net_of_rigid_expenditure\"",
        1,
    );
    let p = section(&src);
    let mut h = single("10000");
    assert_eq!(
        outcome(&hainan(), &h, on2018()),
        Some((C::Local, ArchiveTier::Provincial))
    );
    h.rigid_expenditure = yuan("1000"); // net 9000 = 1.5 × L × 12
    assert_eq!(
        outcome(&p, &h, on2018()),
        Some((C::NearSubsistence, ArchiveTier::National))
    );
    // The other bands still divide gross income.
    assert_eq!(
        outcome(&hainan(), &h, on2018()),
        Some((C::Local, ArchiveTier::Provincial))
    );
    let decision = assess(&p, &h, on2018()).unwrap();
    assert_eq!(decision.per_capita.net_annual.to_string(), "10000.00");
    assert!(
        decision
            .explanation
            .steps
            .iter()
            .any(|s| s.result == "9000.00")
    );
}
