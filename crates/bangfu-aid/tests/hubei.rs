//! The third example policy, Hubei's hardship-worker aid standards (湖北, citations
//! `aid.hb.*`): caps in months of the local urban minimum living standard (Wuhan 940), worked
//! through the calculator with the explanations that cite the scheme.

use bangfu_aid::{
    AidPolicy, AmountClaim, Calculator, Explain, FileFacts, MedicalClaim, Reason, Relation,
    TemporaryClaim, TemporaryEvent, YearToDate,
};
use bangfu_core::{Coded, Explanation, PersonId};

use crate::common::{day, yuan};

fn hubei() -> AidPolicy {
    AidPolicy::hubei_2023().unwrap()
}

/// A Wuhan household of `size` of `degree` (no city: the policy's own, Wuhan), with an
/// undergraduate, a senior secondary pupil and a primary pupil.
fn household(degree: &str, extra: &str) -> FileFacts {
    serde_json::from_str(&format!(
        r#"{{"case":"WH-1/1","household":"WH-1","tier":"national","degree":"{degree}",
            "household_size":4,"status":"active",
            "students":[{{"person":"u","stage":"undergraduate"}},
                        {{"person":"s","stage":"senior_secondary"}},
                        {{"person":"p","stage":"primary"}}]{extra}}}"#
    ))
    .unwrap()
}

/// The parameter `name` of an explanation: its value and cite.
fn param(ex: &Explanation, name: &str) -> (String, String) {
    let p = ex
        .parameters
        .iter()
        .find(|p| p.name == name)
        .unwrap_or_else(|| panic!("{name} not in {:?}", ex.parameters));
    (p.value.clone(), p.cite.as_str().to_owned())
}

/// Living aid asked in 2023 after `paid` earlier in the year: the decision's amount, reasons
/// and explanation.
fn living(p: &AidPolicy, f: &FileFacts, asked: &str, paid: &str) -> Decided {
    let calc = Calculator::new(p).unwrap();
    let claim = AmountClaim {
        date: day(2023, 9, 1),
        requested: Some(yuan(asked)),
    };
    let so_far = YearToDate {
        paid: yuan(paid),
        ..YearToDate::default()
    };
    let d = calc.living(f, claim, so_far, Explain::On).unwrap();
    Decided {
        amount: d.amount,
        reasons: d.reasons,
        explanation: d.explanation().unwrap(),
    }
}

struct Decided {
    amount: bangfu_core::Money,
    reasons: bangfu_aid::ReasonSet,
    explanation: Explanation,
}

#[test]
fn deep_hardship_living_aid_is_at_most_12_months_of_the_standard_per_household() {
    let p = hubei();
    // 12 × 940 = 11,280 a year, per household (not per member); 9,000 paid: 2,280 left.
    let d = living(&p, &household("deep", ""), "3000.00", "9000.00");
    assert_eq!(d.amount, yuan("2280.00"));
    assert!(d.reasons.contains(Reason::LivingYearlyCap));
    let ex = &d.explanation;
    assert_eq!(
        param(ex, "aid.living.yearly_cap.months_by_degree"),
        ("12".into(), "aid.hb.scheme.living".into())
    );
    assert_eq!(
        param(ex, "minimum_living_standard"),
        ("940.00".into(), "mls.hb.wuhan".into())
    );
    assert!(
        ex.steps.iter().any(|s| s.result == "11280.00"),
        "{:?}",
        ex.steps
    );
    // Below the cap the amount asked is paid in full.
    let d = living(&p, &household("deep", ""), "2280.00", "9000.00");
    assert_eq!(d.amount, yuan("2280.00"));
    let d = living(&p, &household("deep", ""), "2280.01", "9000.00");
    assert_eq!(d.amount, yuan("2280.00"));
}

#[test]
fn relative_and_accident_hardship_get_10_months() {
    let p = hubei();
    // 10 × 940 = 9,400: with 9,000 paid, 400 left.
    for (degree, cite) in [
        ("relative", "aid.hb.scheme.living"),
        ("accidental", "aid.hb.assumed.accidental_months"),
    ] {
        let d = living(&p, &household(degree, ""), "3000.00", "9000.00");
        assert_eq!(d.amount, yuan("400.00"), "{degree}");
        let ex = &d.explanation;
        let name = if degree == "relative" {
            "aid.living.yearly_cap.months_by_degree"
        } else {
            "aid.living.yearly_cap.multiplier"
        };
        assert_eq!(param(ex, name), ("10".into(), cite.into()), "{degree}");
    }
}

#[test]
fn education_is_months_of_the_standard_by_school_stage() {
    let p = hubei();
    let calc = Calculator::new(&p).unwrap();
    let f = household("deep", "");
    let date = day(2023, 9, 1);
    let kid = |s: &str| PersonId::new(s).unwrap();
    // Undergraduate: 10 × 940 = 9,400; senior secondary: 6 × 940 = 5,640.
    let u = calc
        .education(&f, date, &kid("u"), false, Explain::On)
        .unwrap();
    assert_eq!(u.amount, yuan("9400.00"));
    assert_eq!(u.cite.map(|c| c.as_str()), Some("aid.hb.scheme.education"));
    let ex = u.explanation().unwrap();
    assert_eq!(
        param(&ex, "aid.education.months"),
        ("undergraduate: 10".into(), "aid.hb.scheme.education".into())
    );
    assert_eq!(
        param(&ex, "minimum_living_standard"),
        ("940.00".into(), "mls.hb.wuhan".into())
    );
    let s = calc
        .education(&f, date, &kid("s"), false, Explain::Off)
        .unwrap();
    assert_eq!(s.amount, yuan("5640.00"));
    // Once per student per year; primary school is not covered by the scheme.
    let again = calc
        .education(&f, date, &kid("u"), true, Explain::Off)
        .unwrap();
    assert_eq!(again.amount, yuan("0.00"));
    assert!(again.reasons.contains(Reason::EducationAlreadyPaid));
    let primary = calc
        .education(&f, date, &kid("p"), false, Explain::Off)
        .unwrap();
    assert_eq!(primary.amount, yuan("0.00"));
    assert!(primary.reasons.contains(Reason::EducationStageNotCovered));
}

#[test]
fn medical_aid_is_the_own_share_at_most_20000_per_household() {
    let p = hubei();
    let calc = Calculator::new(&p).unwrap();
    let f = household("relative", "");
    let claim = |oop: &str| MedicalClaim {
        date: day(2023, 5, 1),
        out_of_pocket: yuan(oop),
    };
    // Rate 1: the own share, never more.
    let d = calc
        .medical(&f, claim("5000.00"), YearToDate::default(), Explain::On)
        .unwrap();
    assert_eq!(d.amount, yuan("5000.00"));
    assert_eq!(d.cite.map(|c| c.as_str()), Some("aid.hb.scheme.medical"));
    // 30,000 of own share: capped at 20,000.
    let d = calc
        .medical(&f, claim("30000.00"), YearToDate::default(), Explain::Off)
        .unwrap();
    assert_eq!(d.amount, yuan("20000.00"));
    assert!(d.reasons.contains(Reason::MedicalCapped));
    // The household shares one cap: 15,000 paid on another member's claims leaves 5,000.
    let so_far = YearToDate {
        cost: yuan("15000.00"),
        paid: yuan("15000.00"),
    };
    let d = calc
        .medical(&f, claim("8000.00"), so_far, Explain::Off)
        .unwrap();
    assert_eq!(d.amount, yuan("5000.00"));
}

#[test]
fn another_city_reads_its_own_standard_or_is_refused() {
    let p = hubei();
    // Yichang (420500) is not in the table: refused, by its code.
    let calc = Calculator::new(&p).unwrap();
    let f = household("deep", r#","city":"420500""#);
    let claim = AmountClaim {
        date: day(2023, 9, 1),
        requested: Some(yuan("100.00")),
    };
    let err = calc
        .living(&f, claim, YearToDate::default(), Explain::Off)
        .unwrap_err();
    assert_eq!(err.code(), "core.minimum_standard.unknown_city");
    // With Yichang's own line (an assumed 800): 12 × 800 = 9,600; 9,000 paid, 600 left.
    let text = format!(
        "{}\n{}\n[[minimum_living_standard.cities.420500]]\nfrom = \"2023-01-01\"\nvalue = \"800.00\"\ncite = \"mls.hb.wuhan\"\n",
        bangfu_aid::HUBEI_2023_POLICY_TOML,
        bangfu_core::MINIMUM_STANDARD_HUBEI_2023_TOML
    );
    let both = AidPolicy::from_toml_section(&text).unwrap();
    let d = living(&both, &f, "3000.00", "9000.00");
    assert_eq!(d.amount, yuan("600.00"));
}

#[test]
fn a_stage_in_amount_and_months_or_months_of_an_undefined_degree_is_refused() {
    let base = format!(
        "{}\n{}",
        bangfu_aid::HUBEI_2023_POLICY_TOML,
        bangfu_core::MINIMUM_STANDARD_HUBEI_2023_TOML
    );
    let both = format!(
        "{base}\n[[aid.education.amount.undergraduate]]\nfrom = \"2023-01-01\"\nvalue = \"5000.00\"\ncite = \"aid.hb.scheme.education\"\n"
    );
    let err = AidPolicy::from_toml_section(&both).unwrap_err();
    assert_eq!(err.code(), "aid.policy.invalid");
    assert!(
        err.to_string()
            .contains("aid.education.months.undergraduate"),
        "{err}"
    );
    let undefined = format!(
        "{base}\n[[aid.living.yearly_cap.months_by_degree.severe_poverty]]\nfrom = \"2023-01-01\"\nvalue = \"14\"\ncite = \"aid.hb.scheme.living\"\n"
    );
    let err = AidPolicy::from_toml_section(&undefined).unwrap_err();
    assert_eq!(err.code(), "aid.policy.invalid");
    assert!(
        err.to_string().contains("months_by_degree.severe_poverty"),
        "{err}"
    );
}

#[test]
fn the_fast_path_reads_the_degrees_months() {
    let p = hubei();
    let calc = Calculator::new(&p).unwrap();
    let degree = bangfu_aid::DegreeCode::new("deep").unwrap();
    let rules = calc.resolve(&degree, day(2023, 9, 1)).unwrap();
    let full = living(&p, &household("deep", ""), "3000.00", "9000.00");
    assert_eq!(
        rules
            .living(false, 4, Some(yuan("3000.00")), yuan("9000.00"))
            .unwrap(),
        full.amount
    );
}

/// The Hubei section with one value edited, and its standard.
fn hubei_with(from: &str, to: &str) -> AidPolicy {
    let section = bangfu_aid::HUBEI_2023_POLICY_TOML.replace(from, to);
    let text = format!(
        "{section}\n{}",
        bangfu_core::MINIMUM_STANDARD_HUBEI_2023_TOML
    );
    AidPolicy::from_toml_section(&text).unwrap()
}

/// A temporary-aid claim of a worker who is not filed, on 2023-06-01.
fn temporary(asked: &str, event: TemporaryEvent, relation: Relation) -> TemporaryClaim {
    TemporaryClaim {
        date: day(2023, 6, 1),
        requested: yuan(asked),
        event,
        relation,
        filed: false,
    }
}

#[test]
fn temporary_aid_is_at_most_3000_per_person_per_year_after_a_qualifying_event() {
    let p = hubei();
    let calc = Calculator::new(&p).unwrap();
    let ill_parent = temporary("2000.00", TemporaryEvent::MajorIllness, Relation::Parent);
    // Nothing paid yet: the 2,000 asked, citing the scheme.
    let d = calc
        .temporary(ill_parent, yuan("0.00"), Explain::On)
        .unwrap();
    assert_eq!(d.amount, yuan("2000.00"));
    assert!(d.reasons.is_empty());
    assert_eq!(d.kind.code(), "temporary");
    assert_eq!(d.cite.map(|c| c.as_str()), Some("aid.hb.scheme.temporary"));
    let ex = d.explanation().unwrap();
    assert_eq!(
        param(&ex, "aid.temporary.yearly_cap_per_person"),
        ("3000.00".into(), "aid.hb.scheme.temporary".into())
    );
    assert_eq!(
        param(&ex, "aid.temporary.relations").1,
        "aid.hb.scheme.temporary"
    );
    // At the boundary: 1,000 paid leaves exactly 2,000 (paid in full); 1,000.01 paid leaves
    // 1,999.99 (capped); 3,000 paid leaves nothing.
    let d = calc
        .temporary(ill_parent, yuan("1000.00"), Explain::Off)
        .unwrap();
    assert_eq!(d.amount, yuan("2000.00"));
    assert!(d.reasons.is_empty());
    let d = calc
        .temporary(ill_parent, yuan("1000.01"), Explain::Off)
        .unwrap();
    assert_eq!(d.amount, yuan("1999.99"));
    assert!(d.reasons.contains(Reason::TemporaryCapped));
    let d = calc
        .temporary(ill_parent, yuan("3000.00"), Explain::Off)
        .unwrap();
    assert_eq!(d.amount, yuan("0.00"));
    assert!(d.reasons.contains(Reason::TemporaryCapReached));
    // Every listed event and person qualifies.
    for event in [
        TemporaryEvent::MajorIllness,
        TemporaryEvent::Disaster,
        TemporaryEvent::Accident,
    ] {
        for relation in [
            Relation::Worker,
            Relation::Spouse,
            Relation::Parent,
            Relation::Child,
        ] {
            let d = calc
                .temporary(
                    temporary("100.00", event, relation),
                    yuan("0.00"),
                    Explain::Off,
                )
                .unwrap();
            assert_eq!(d.amount, yuan("100.00"), "{event} {relation}");
        }
    }
}

#[test]
fn temporary_aid_is_for_workers_not_filed_and_for_the_events_the_policy_lists() {
    let p = hubei();
    let calc = Calculator::new(&p).unwrap();
    let mut filed = temporary("500.00", TemporaryEvent::Accident, Relation::Worker);
    filed.filed = true;
    let d = calc.temporary(filed, yuan("0.00"), Explain::Off).unwrap();
    assert_eq!(d.amount, yuan("0.00"));
    assert!(d.reasons.contains(Reason::TemporaryWorkerFiled));
    // A province listing only the worker's own events: a spouse's accident does not qualify.
    let own = hubei_with(
        "value = [\"worker\", \"spouse\", \"parent\", \"child\"]",
        "value = [\"worker\"]",
    );
    let calc = Calculator::new(&own).unwrap();
    let spouse = temporary("500.00", TemporaryEvent::Accident, Relation::Spouse);
    let d = calc.temporary(spouse, yuan("0.00"), Explain::Off).unwrap();
    assert_eq!(d.amount, yuan("0.00"));
    assert!(d.reasons.contains(Reason::TemporaryNotQualifying));
    // A province listing only major illness: a disaster does not qualify.
    let illness_only = hubei_with(
        "value = [\"major_illness\", \"disaster\", \"accident\"]",
        "value = [\"major_illness\"]",
    );
    let calc = Calculator::new(&illness_only).unwrap();
    let disaster = temporary("500.00", TemporaryEvent::Disaster, Relation::Worker);
    let d = calc
        .temporary(disaster, yuan("0.00"), Explain::Off)
        .unwrap();
    assert_eq!(d.amount, yuan("0.00"));
    assert!(d.reasons.contains(Reason::TemporaryNotQualifying));
    // A policy without temporary aid refuses the claim by its code.
    let hainan = AidPolicy::hainan_2018().unwrap();
    let err = Calculator::new(&hainan)
        .unwrap()
        .temporary(spouse, yuan("0.00"), Explain::Off)
        .unwrap_err();
    assert_eq!(err.code(), "aid.parameter.not_in_force");
}
