//! Sampling, the PRNG, the decimal square root and the Wilson interval.

use bangfu_core::{Coded, HouseholdId, Rate, RoundingRule, RoundingStrategy, UnitId};
use bangfu_scoring::*;
use chrono::NaiveDate;
use rust_decimal::Decimal;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 12, 31).unwrap()
}

fn policy() -> ScoringPolicy {
    ScoringPolicyFile::from_toml(POLICY).unwrap().scoring
}

/// The seed's frame: 680 households of the reclamation union, 286 of the center.
fn seed_frame() -> Vec<FrameEntry> {
    (0..966)
        .map(|i| FrameEntry {
            household: HouseholdId::new(format!("H{i:04}")).unwrap(),
            unit: UnitId::new(if i < 680 {
                "hainan-reclamation"
            } else {
                "center"
            })
            .unwrap(),
        })
        .collect()
}

#[test]
fn splitmix64_matches_the_reference_sequence() {
    // The reference implementation (Vigna's splitmix64.c) from state 0.
    let mut g = SplitMix64::new(0);
    assert_eq!(g.next_u64(), 0xE220_A839_7B1D_CDAF);
    assert_eq!(g.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    assert_eq!(g.next_u64(), 0x06C4_5D18_8009_454F);
    let mut g = SplitMix64::new(42);
    for _ in 0..1000 {
        assert!(g.below(7) < 7);
    }
    assert_eq!(g.below(0), 0);
}

#[test]
fn the_seed_frame_is_sampled_ten_percent_per_union_unit() {
    let design = SampleDesign::from_policy(&policy(), date()).unwrap();
    assert_eq!(design.ratio, Rate::parse("0.1").unwrap());
    let s = draw_sample(&seed_frame(), &design, 20180501).unwrap();
    // Strata in unit id order: center 286 → 28.6 → 29 (rounded up), reclamation 680 → 68.
    let sizes: Vec<(&str, u64, usize)> = s
        .strata
        .iter()
        .map(|x| (x.unit.as_str(), x.frame_size, x.households.len()))
        .collect();
    assert_eq!(
        sizes,
        [("center", 286, 29), ("hainan-reclamation", 680, 68)]
    );
    assert_eq!(s.size(), 97, "the seed visited 82: a finding");
    // Each household drawn belongs to its stratum, none twice.
    let frame = seed_frame();
    for st in &s.strata {
        let mut seen = std::collections::BTreeSet::new();
        for h in &st.households {
            assert!(seen.insert(h));
            assert!(frame.iter().any(|e| &e.household == h && e.unit == st.unit));
        }
    }
    // Same seed, same sample, whatever the frame's order; another seed, another sample.
    let mut reversed = seed_frame();
    reversed.reverse();
    assert_eq!(draw_sample(&reversed, &design, 20180501).unwrap(), s);
    assert_ne!(
        draw_sample(&seed_frame(), &design, 20180502)
            .unwrap()
            .strata,
        s.strata
    );
}

#[test]
fn stratum_rounding_is_a_named_rule() {
    let with = |strategy, min| SampleDesign {
        ratio: Rate::parse("0.1").unwrap(),
        rounding: RoundingRule::new(strategy, 0),
        min_per_stratum: min,
    };
    assert_eq!(with(RoundingStrategy::Up, 0).stratum_size(286).unwrap(), 29);
    assert_eq!(
        with(RoundingStrategy::Down, 0).stratum_size(286).unwrap(),
        28
    );
    assert_eq!(
        with(RoundingStrategy::HalfUp, 0).stratum_size(285).unwrap(),
        29
    );
    assert_eq!(
        with(RoundingStrategy::HalfEven, 0)
            .stratum_size(285)
            .unwrap(),
        28
    );
    // The minimum per stratum, capped at the stratum.
    assert_eq!(with(RoundingStrategy::Down, 3).stratum_size(5).unwrap(), 3);
    assert_eq!(with(RoundingStrategy::Down, 3).stratum_size(2).unwrap(), 2);
    assert_eq!(with(RoundingStrategy::Down, 3).stratum_size(0).unwrap(), 0);
    let too_much = SampleDesign {
        ratio: Rate::parse("1.5").unwrap(),
        ..with(RoundingStrategy::Up, 0)
    };
    assert_eq!(
        too_much.stratum_size(10).unwrap_err().code(),
        "scoring.sampling.invalid_ratio"
    );
}

#[test]
fn a_household_twice_in_the_frame_is_refused() {
    let mut frame = seed_frame();
    frame.push(frame[0].clone());
    let design = SampleDesign::from_policy(&policy(), date()).unwrap();
    assert_eq!(
        draw_sample(&frame, &design, 1).unwrap_err().code(),
        "scoring.sampling.duplicate_household"
    );
}

#[test]
fn sqrt_worked_values() {
    assert_eq!(sqrt(dec("2"), 12).unwrap(), dec("1.414213562373"));
    assert_eq!(sqrt(dec("2"), 12).unwrap().to_string(), "1.414213562373");
    assert_eq!(sqrt(dec("0"), 12).unwrap(), Decimal::ZERO);
    assert_eq!(sqrt(dec("1"), 0).unwrap(), Decimal::ONE);
    assert_eq!(sqrt(dec("0.25"), 12).unwrap(), dec("0.5"));
    assert_eq!(sqrt(dec("9801"), 2).unwrap(), dec("99"));
    assert_eq!(sqrt(dec("0.0001"), 12).unwrap(), dec("0.01"));
    // Truncated, not rounded: √3 = 1.7320508075688772…
    assert_eq!(sqrt(dec("3"), 15).unwrap(), dec("1.732050807568877"));
    assert_eq!(sqrt(dec("1e-10"), 12).unwrap(), dec("0.00001"));
    assert_eq!(
        sqrt(dec("-1"), 12).unwrap_err().code(),
        "scoring.math.negative_sqrt"
    );
    assert_eq!(
        sqrt(dec("2"), 21).unwrap_err().code(),
        "scoring.math.overflow"
    );
}

#[test]
fn wilson_interval_of_the_seed_survey() {
    let design = SurveyDesign::from_policy(&policy(), date()).unwrap();
    let s = satisfaction(80, 82, &design).unwrap();
    assert_eq!(s.rate.percent_display(2).to_string(), "97.56 %");
    // Wilson 95 %: 0.915365 … 0.993286.
    assert_eq!(s.lower, Rate::parse("0.9154").unwrap());
    assert_eq!(s.upper, Rate::parse("0.9933").unwrap());
    // All satisfied: the upper bound is 1, the lower bound below it.
    let all = satisfaction(82, 82, &design).unwrap();
    assert_eq!(all.upper, Rate::ONE);
    assert_eq!(all.lower, Rate::parse("0.9552").unwrap());
    // None satisfied: the lower bound is 0.
    assert_eq!(satisfaction(0, 82, &design).unwrap().lower, Rate::ZERO);
    assert_eq!(
        satisfaction(1, 0, &design).unwrap_err().code(),
        "scoring.survey.invalid_counts"
    );
    assert_eq!(
        satisfaction(3, 2, &design).unwrap_err().code(),
        "scoring.survey.invalid_counts"
    );
}

#[test]
fn a_parameter_before_its_first_date_is_an_error() {
    let early = NaiveDate::from_ymd_opt(2017, 12, 31).unwrap();
    let err = SampleDesign::from_policy(&policy(), early).unwrap_err();
    assert_eq!(err.code(), "core.parameter.not_in_force");
}
