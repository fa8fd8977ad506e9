//! Property tests of the documented invariants.

use bangfu_core::{HouseholdId, Money, Rate, RoundingRule, RoundingStrategy, UnitId};
use bangfu_scoring::*;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::support::*;

/// Facts from 24 random numbers: every part at most its whole.
fn facts_from(v: &[u64]) -> Facts {
    let part = |x: u64, whole: u64| x % (whole + 1);
    let budget = v[0] % 10_000_000_000 + 1;
    let received = v[1] % 10_000_000_000 + 1;
    let spent = part(v[2], received);
    let active = v[3] % 2000 + 1;
    let payments = v[4] % 20_000 + 1;
    let notices = v[5] % 500 + 1;
    let files = v[6] % 2000 + 1;
    let exits = v[7] % 100 + 1;
    let surveyed = v[8] % 200 + 1;
    let mut f = Facts {
        budget: Money::from_fen(budget as i64).unwrap(),
        received: Money::from_fen(received as i64).unwrap(),
        spent: Money::from_fen(spent as i64).unwrap(),
        person_times: Tally::count(v[9] % 30_000),
        planned_person_times: v[10] % 30_000 + 1,
        households_active: Tally::count(active),
        households_helped_twice: Tally::count(part(v[11], active)),
        payments: Tally::count(payments),
        payments_entered_within_month: Tally::count(part(v[12], payments)),
        notices: Tally::count(notices),
        notices_respected: Tally::count(part(v[13], notices)),
        files: Tally::count(files),
        files_with_quality_flags: Tally::count(part(v[14], files)),
        exits_and_cancellations: Tally::count(exits),
        exits_and_cancellations_on_time: Tally::count(part(v[15], exits)),
        ..Facts::default()
    };
    f.survey = SurveyFigures {
        visited: Tally::count(surveyed),
        surveyed: Tally::count(surveyed),
        satisfied: Tally::count(part(v[16], surveyed)),
    };
    f.compliance = Compliance {
        earmark_violations: Tally::count(v[17] % 20),
        cash_payments: Tally::count(v[18] % 20),
        over_standard_payments: Tally::count(v[19] % 20),
        unpayable_payments: Tally::count(v[20] % 20),
    };
    f
}

/// Judgements for every qualitative leaf: a random band and a score inside its range.
fn judgements_for(fw: &Framework, v: &[u64]) -> Judgements {
    let mut j = Judgements::new();
    for (i, ind) in fw
        .indicators()
        .iter()
        .filter(|i| matches!(i.method, Some(Method::Qualitative)))
        .enumerate()
    {
        let x = v.get(i + 21).copied().unwrap_or(0);
        let band = Band::ALL[(x % 3) as usize];
        let range = fw.qualitative().range(band);
        let (lo, hi) = (range.min * ind.weight, range.max * ind.weight);
        let frac = Decimal::from(x % 101) / Decimal::from(100);
        let s = (lo + (hi - lo) * frac)
            .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
            .max(lo);
        j.insert(
            ind.id.clone(),
            Judgement::new(band, &s.to_string(), "评价理由", "reason").unwrap(),
        );
    }
    j
}

proptest! {
    #[test]
    fn prop_scores_lie_within_weights_and_total_within_100(v in proptest::collection::vec(any::<u64>(), 28)) {
        for text in [MOF2020_SELF, MOF2020_REFERENCE] {
            let fw = Framework::from_toml(text).unwrap();
            let facts = facts_from(&v);
            let card = score(&fw, &facts, &judgements_for(&fw, &v)).unwrap();
            for r in &card.indicators {
                prop_assert!(r.score >= Decimal::ZERO && r.score <= r.weight, "{} {} of {}", r.id, r.score, r.weight);
            }
            prop_assert!(card.total >= Decimal::ZERO && card.total <= Decimal::from(100));
            prop_assert_eq!(card.grade, fw.grade_of(card.total));
            // The same data give the same score.
            prop_assert_eq!(&score(&fw, &facts, &judgements_for(&fw, &v)).unwrap(), &card);
        }
    }

    #[test]
    fn prop_proportional_never_falls_when_the_actual_rises(
        weight in 1u32..=5000, target in 1u64..50_000, a in 0u64..100_000, b in 0u64..100_000, places in 0u32..=2,
    ) {
        let w = Decimal::new(i64::from(weight), places);
        let body = leaf(&w.to_string(), "person_times", Some(&target.to_string()), r#"{ kind = "proportional" }"#);
        let fw = Framework::from_toml(&mini(&w.to_string(), "half_up", &body)).unwrap();
        let at = |n| {
            let f = Facts { person_times: Tally::count(n), ..Facts::default() };
            score(&fw, &f, &Judgements::new()).unwrap().total
        };
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(at(lo) <= at(hi), "{} → {}, {} → {}", lo, at(lo), hi, at(hi));
        prop_assert!(at(hi) <= w);
    }

    #[test]
    fn prop_deduction_never_rises_with_defects(a in 0u64..100, b in 0u64..100) {
        let fw = one_leaf("4", "cash_payments", Some("0"), r#"{ kind = "deduction", per_defect = "0.5" }"#);
        let at = |n| {
            let mut f = Facts::default();
            f.compliance.cash_payments = Tally::count(n);
            score(&fw, &f, &Judgements::new()).unwrap().total
        };
        let (lo, hi) = (a.min(b), a.max(b));
        prop_assert!(at(hi) <= at(lo));
        prop_assert!(at(hi) >= Decimal::ZERO);
    }

    #[test]
    fn prop_same_frame_and_seed_give_the_same_sample(
        units in proptest::collection::vec(0u8..5, 0..300), seed in any::<u64>(), ratio in 0u32..=100, up in any::<bool>(),
    ) {
        let frame: Vec<FrameEntry> = units.iter().enumerate().map(|(i, u)| FrameEntry {
            household: HouseholdId::new(format!("H{i}")).unwrap(),
            unit: UnitId::new(format!("u{u}")).unwrap(),
        }).collect();
        let strategy = if up { RoundingStrategy::Up } else { RoundingStrategy::HalfUp };
        let design = SampleDesign {
            ratio: Rate::from_decimal(Decimal::new(i64::from(ratio), 2)).unwrap(),
            rounding: RoundingRule::new(strategy, 0),
            min_per_stratum: 1,
        };
        let s = draw_sample(&frame, &design, seed).unwrap();
        prop_assert_eq!(&draw_sample(&frame, &design, seed).unwrap(), &s);
        let mut reversed = frame.clone();
        reversed.reverse();
        prop_assert_eq!(&draw_sample(&reversed, &design, seed).unwrap(), &s);
        for st in &s.strata {
            prop_assert_eq!(st.households.len() as u64, design.stratum_size(st.frame_size).unwrap());
            let members: std::collections::BTreeSet<&HouseholdId> =
                frame.iter().filter(|e| e.unit == st.unit).map(|e| &e.household).collect();
            prop_assert_eq!(members.len() as u64, st.frame_size);
            let drawn: std::collections::BTreeSet<&HouseholdId> = st.households.iter().collect();
            prop_assert_eq!(drawn.len(), st.households.len(), "no household twice");
            prop_assert!(drawn.is_subset(&members));
        }
    }

    #[test]
    fn prop_sqrt_is_the_exact_floor(mantissa in 0i64..10_000_000_000, scale in 6u32..=10, places in 0u32..=12) {
        // Values below 10 000 with up to 12 places: exact by the documented bound.
        let v = Decimal::new(mantissa, scale);
        let r = sqrt(v, places).unwrap();
        let unit = Decimal::new(1, places);
        prop_assert!(r * r <= v, "{}² > {}", r, v);
        prop_assert!((r + unit) * (r + unit) > v, "({} + {})² ≤ {}", r, unit, v);
        prop_assert_eq!(r.scale(), places);
    }

    #[test]
    fn prop_wilson_interval_contains_the_rate(surveyed in 1u64..5000, satisfied in 0u64..5000) {
        let satisfied = satisfied % (surveyed + 1);
        let design = SurveyDesign {
            z: Rate::parse("1.96").unwrap(),
            sqrt_places: 12,
            interval_rounding: RoundingRule::new(RoundingStrategy::HalfUp, 6),
        };
        let s = satisfaction(satisfied, surveyed, &design).unwrap();
        let slack = Decimal::new(1, 6);
        prop_assert!(s.lower.as_decimal() <= s.rate.as_decimal() + slack);
        prop_assert!(s.rate.as_decimal() <= s.upper.as_decimal() + slack);
        prop_assert!(s.upper <= Rate::ONE);
    }

    #[test]
    fn prop_facts_round_trip_through_serde(v in proptest::collection::vec(any::<u64>(), 28)) {
        let f = facts_from(&v);
        let json = serde_json::to_string(&f).unwrap();
        prop_assert_eq!(serde_json::from_str::<Facts>(&json).unwrap(), f);
    }
}

proptest! {
    #[test]
    fn prop_a_framework_loads_iff_its_weights_add_up(
        children in proptest::collection::vec(1u32..=2000, 1..6),
        other in 1u32..=6000,
        exact in any::<bool>(),
    ) {
        // One root of weight `parent` (hundredths) with leaf children; the total is the parent.
        // Half the cases use the children's sum, the others a random weight.
        let parent = if exact { children.iter().sum() } else { other };
        let w = |x: u32| Decimal::new(i64::from(x), 2).to_string();
        let mut body = format!(
            "[[indicators]]\nid = \"p\"\nname = {{ zh = \"z\", en = \"e\" }}\nweight = \"{}\"\ncite = \"score.t\"\n",
            w(parent)
        );
        for (i, c) in children.iter().enumerate() {
            body.push_str(&format!(
                "[[indicators]]\nid = \"c{i}\"\nparent = \"p\"\nname = {{ zh = \"z\", en = \"e\" }}\nweight = \"{}\"\nfact = \"execution_rate\"\ntarget = \"1\"\nmethod = {{ kind = \"proportional\" }}\ncite = \"score.t\"\n",
                w(*c)
            ));
        }
        let loaded = Framework::from_toml(&mini(&w(parent), "half_up", &body));
        let sum: u32 = children.iter().sum();
        if sum == parent {
            prop_assert!(loaded.is_ok(), "{:?}", loaded);
        } else {
            let err = loaded.unwrap_err();
            prop_assert_eq!(bangfu_core::Coded::code(&err), "scoring.framework.weights_do_not_add_up");
        }
    }
}
