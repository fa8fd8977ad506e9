//! The population screen tests exactly what `assess` tests for exclusions and bands.

use bangfu_core::Money;
use bangfu_eligibility::*;
use proptest::prelude::*;

use crate::common::*;

fn vehicle_kind() -> impl Strategy<Value = VehicleKind> {
    prop::sample::select(VehicleKind::ALL.to_vec())
}

prop_compose! {
    fn arb_household()(
        n in 0u32..1000,
        income_fen in 0i64..=20_000_000,
        rigid_fen in 0i64..=5_000_000,
        members in 0u32..=5,
        homes in 0u32..=3,
        shops in 0u32..=1,
        employees in 0u32..=1,
        shareholder: bool,
        high_consumption: bool,
        vehicles in prop::collection::vec((vehicle_kind(), any::<bool>(), any::<bool>()), 0..=2),
        no_cause: bool,
        accident_fen in proptest::option::of(0i64..=20_000_000),
    ) -> Household {
        let mut h = household(n, Money::from_fen(income_fen).unwrap(), members);
        h.rigid_expenditure = Money::from_fen(rigid_fen).unwrap();
        h.assets.homes = homes;
        h.assets.shops = shops;
        h.assets.employees = employees;
        h.worker.person.controlling_shareholder = shareholder;
        h.high_consumption = high_consumption;
        for (kind, regular_use, as_employee) in vehicles {
            h.assets.vehicles.push(Vehicle { kind, regular_use, as_employee });
        }
        if no_cause {
            h.causes.clear();
        }
        h.accident = accident_fen.map(|f| AccidentClaim { date: d(2018, 1, 10), cost: Money::from_fen(f).unwrap() });
        h
    }
}

proptest! {
    #![proptest_config(proptest_config(512))]

    #[test]
    fn screen_agrees_with_assess(h in arb_household(), later: bool) {
        let (policy, date) = if later { (example2020(), d(2022, 6, 1)) } else { (hainan(), d(2018, 6, 1)) };
        let screen = Screen::new(&policy, date).unwrap();
        let s = screen.test(&ScreenFacts::of(&h)).unwrap();
        let decision = assess(&policy, &h, date).unwrap();
        let first_excluded = decision
            .reasons
            .iter()
            .find(|r| r.kind == ReasonKind::Excluded)
            .map(|r| r.code.clone());
        prop_assert_eq!(s.exclusion.map(|e| format!("exclusion.{}", e.id)), first_excluded);
        let first_band = decision.bands.iter().find(|b| b.met).map(|b| (b.category, b.tier));
        prop_assert_eq!(s.band.map(|b| (b.category, b.tier)), first_band);
        if decision.is_eligible() {
            prop_assert!(s.passes());
        }
    }
}

#[test]
fn the_screen_refuses_an_empty_household_and_a_date_before_the_policy() {
    let p = hainan();
    let screen = Screen::new(&p, d(2018, 6, 1)).unwrap();
    assert_eq!(screen.date(), d(2018, 6, 1));
    assert_eq!(screen.standard(), yuan("500"));
    let err = screen.test(&ScreenFacts::new(0, Money::ZERO)).unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&err), "core.rate.division_by_zero");
    assert!(Screen::new(&p, d(2000, 1, 1)).is_err());
}

#[test]
fn the_per_capita_line_is_exact_at_the_boundary() {
    // Hainan 2018: subsistence is per capita < 1 × 500 a month, i.e. < 6000 × size a year.
    let p = hainan();
    let screen = Screen::new(&p, d(2018, 6, 1)).unwrap();
    let band = |fen: i64| {
        let f = ScreenFacts::new(3, Money::from_fen(fen).unwrap());
        screen.test(&f).unwrap().band.map(|b| b.category)
    };
    assert_eq!(band(1_799_999), Some(HardshipCategory::Subsistence));
    assert_ne!(band(1_800_000), Some(HardshipCategory::Subsistence));
}

proptest! {
    #![proptest_config(proptest_config(256))]

    /// Every detail of explanation gives the same decision: the outcome, reasons, per-capita
    /// computation and bands of `assess`; `Parameters` keeps its parameters, `Outcome` keeps
    /// only the rule; neither records an input or a step.
    #[test]
    fn every_detail_decides_the_same(h in arb_household(), later: bool) {
        let (policy, date) = if later { (example2020(), d(2022, 6, 1)) } else { (hainan(), d(2018, 6, 1)) };
        let full = assess(&policy, &h, date);
        for detail in [Detail::Full, Detail::Parameters, Detail::Outcome] {
            let (Ok(full), Ok(brief)) = (&full, assess_with(&policy, &h, date, detail)) else {
                let brief = assess_with(&policy, &h, date, detail);
                prop_assert_eq!(full.as_ref().err(), brief.as_ref().err());
                continue;
            };
            let mut expected = full.clone();
            match detail {
                Detail::Full => {}
                Detail::Parameters => {
                    expected.explanation.inputs.clear();
                    expected.explanation.steps.clear();
                }
                Detail::Outcome => {
                    expected.explanation = bangfu_core::Explanation::new(full.explanation.rule.clone());
                }
            }
            prop_assert_eq!(brief, expected);
        }
    }
}
