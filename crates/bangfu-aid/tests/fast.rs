//! The fast path ([`Calculator::resolve`]) gives the calculators' amounts.

use bangfu_aid::{AmountClaim, Calculator, DegreeCode, Explain, MedicalClaim, YearToDate};
use bangfu_core::{Money, NaiveDate};
use proptest::prelude::*;

use crate::common::*;

/// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
fn proptest_cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn cases() -> [(PolicyFile, &'static str, i32); 3] {
    [
        (load(HAINAN), "subsistence", 2018),
        (load(EXAMPLE), "deep", 2020),
        (load(OPENFISCA), "eligible", 2025),
    ]
}

fn fen(max_yuan: i64) -> impl Strategy<Value = Money> {
    (0i64..=max_yuan * 100).prop_map(|f| Money::from_fen(f).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(proptest_cases(256)))]

    #[test]
    fn resolved_medical_is_the_calculators(
        which in 0usize..3, ordinal in 1u32..=365, oop in fen(60_000),
        cost in fen(60_000), paid in fen(20_000),
    ) {
        let (policy, degree, year) = &cases()[which];
        let calc = Calculator::new(&policy.aid).unwrap();
        let date = NaiveDate::from_yo_opt(*year, ordinal).unwrap();
        let rules = calc.resolve(&DegreeCode::new(*degree).unwrap(), date).unwrap();
        let so_far = YearToDate { cost, paid };
        let full = calc
            .medical(&file(degree, 3), MedicalClaim { date, out_of_pocket: oop }, so_far, Explain::Off)
            .unwrap();
        prop_assert_eq!(rules.medical(oop, so_far).unwrap(), full.amount);
    }

    #[test]
    fn resolved_living_is_the_calculators(
        which in 0usize..3, ordinal in 1u32..=365, size in 1u32..=8, is_severe: bool,
        asked in proptest::option::of(fen(5_000)), paid in fen(30_000),
    ) {
        let (policy, degree, year) = &cases()[which];
        let calc = Calculator::new(&policy.aid).unwrap();
        let date = NaiveDate::from_yo_opt(*year, ordinal).unwrap();
        let rules = calc.resolve(&DegreeCode::new(*degree).unwrap(), date).unwrap();
        let f = if is_severe { severe(file(degree, size)) } else { file(degree, size) };
        let claim = AmountClaim { date, requested: asked };
        let full = calc.living(&f, claim, YearToDate { paid, ..YearToDate::default() }, Explain::Off).map(|d| d.amount);
        let fast = rules.living(is_severe, size, asked, paid);
        prop_assert_eq!(fast, full);
    }
}

#[test]
fn resolve_refuses_an_unknown_degree_and_a_date_before_the_policy() {
    let p = load(OPENFISCA);
    let calc = Calculator::new(&p.aid).unwrap();
    let date = day(2025, 1, 1);
    let err = calc
        .resolve(&DegreeCode::new("nope").unwrap(), date)
        .unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&err), "aid.file.unknown_degree");
    let err = calc
        .resolve(&DegreeCode::new("eligible").unwrap(), day(2019, 1, 1))
        .unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&err), "aid.parameter.not_in_force");
    let rules = calc
        .resolve(&DegreeCode::new("eligible").unwrap(), date)
        .unwrap();
    assert_eq!(rules.date(), date);
    assert!(rules.living(false, 0, None, Money::ZERO).is_err());
}
