//! Each exclusion and exemption, evaluated from data; new ones added by a policy file alone.

use bangfu_eligibility::*;

use crate::common::*;

fn excluded(p: &EligibilityPolicy, h: &Household, date: chrono::NaiveDate) -> Vec<String> {
    let decision = assess(p, h, date).unwrap();
    let codes: Vec<String> = codes(&decision)
        .into_iter()
        .filter(|c| c.starts_with("exclusion."))
        .collect();
    if !codes.is_empty() {
        assert_eq!(decision.outcome, Outcome::NotEligible);
    }
    codes
}

fn on() -> chrono::NaiveDate {
    d(2018, 6, 1)
}

#[test]
fn a_plain_household_is_not_excluded() {
    assert!(excluded(&hainan(), &poor(1), on()).is_empty());
    assert!(assess(&hainan(), &poor(1), on()).unwrap().is_eligible());
}

#[test]
fn multiple_homes() {
    let p = hainan();
    let mut h = poor(1);
    h.assets.homes = 1;
    assert!(excluded(&p, &h, on()).is_empty());
    h.assets.homes = 2;
    assert_eq!(excluded(&p, &h, on()), ["exclusion.multiple_homes"]);
    h.assets.homes = 3;
    assert_eq!(excluded(&p, &h, on()), ["exclusion.multiple_homes"]);
}

#[test]
fn shops_or_employing_others() {
    let p = hainan();
    let mut h = poor(1);
    h.assets.shops = 1;
    assert_eq!(excluded(&p, &h, on()), ["exclusion.business"]);
    let mut h = poor(1);
    h.assets.employees = 1;
    assert_eq!(excluded(&p, &h, on()), ["exclusion.business"]);
    let decision = assess(&p, &h, on()).unwrap();
    let r = decision
        .reasons
        .iter()
        .find(|r| r.code == "exclusion.business")
        .unwrap();
    assert_eq!(r.detail, "employees = 1 ≥ 1");
    assert_eq!(
        r.cite.as_ref().unwrap().as_str(),
        "elig.zzrv2018.exclusions"
    );
    assert_eq!(r.zh, "拥有商业店铺或雇佣他人从事经营活动");
}

#[test]
fn high_fee_school_or_self_funded_study_abroad() {
    let p = hainan();
    for fee in [SchoolFee::HighFeePrivate, SchoolFee::SelfFundedAbroad] {
        let mut h = poor(1);
        h.members[1].person.school = Some(Schooling {
            stage: SchoolStage::Undergraduate,
            fee,
        });
        assert_eq!(
            excluded(&p, &h, on()),
            ["exclusion.high_fee_schooling"],
            "{fee}"
        );
    }
    let mut h = poor(1);
    h.members[1].person.school = Some(Schooling {
        stage: SchoolStage::Undergraduate,
        fee: SchoolFee::Ordinary,
    });
    assert!(excluded(&p, &h, on()).is_empty());
}

#[test]
fn vehicles_and_their_exemptions() {
    let p = hainan();
    let with = |kind, regular_use, as_employee| {
        let mut h = poor(1);
        h.assets.vehicles.push(Vehicle {
            kind,
            regular_use,
            as_employee,
        });
        h
    };
    let hit = ["exclusion.non_employee_vehicle"];
    assert_eq!(
        excluded(&p, &with(VehicleKind::Car, true, false), on()),
        hit
    );
    assert_eq!(
        excluded(&p, &with(VehicleKind::Truck, true, false), on()),
        hit
    );
    // Used as someone's employee, or not regularly: no exclusion.
    assert!(excluded(&p, &with(VehicleKind::Car, true, true), on()).is_empty());
    assert!(excluded(&p, &with(VehicleKind::Car, false, false), on()).is_empty());
    // Exempt kinds.
    assert!(
        excluded(
            &p,
            &with(VehicleKind::DisabledFunctional, true, false),
            on()
        )
        .is_empty()
    );
    assert!(excluded(&p, &with(VehicleKind::Motorcycle, true, false), on()).is_empty());
    // Motorcycles are exempt only because the data says so.
    let src = HAINAN_2018_POLICY_TOML.replace(
        "exempt_vehicle_kinds = [\"disabled_functional\", \"motorcycle\"]",
        "exempt_vehicle_kinds = [\"disabled_functional\"]",
    );
    let strict = section(&src);
    assert_eq!(
        excluded(&strict, &with(VehicleKind::Motorcycle, true, false), on()),
        hit
    );
    assert!(
        excluded(
            &strict,
            &with(VehicleKind::DisabledFunctional, true, false),
            on()
        )
        .is_empty()
    );
}

#[test]
fn every_exclusion_is_listed_not_only_the_first() {
    let p = hainan();
    let mut h = poor(1);
    h.assets.homes = 2;
    h.assets.shops = 1;
    h.members[1].person.school = Some(Schooling {
        stage: SchoolStage::SeniorSecondary,
        fee: SchoolFee::HighFeePrivate,
    });
    h.assets.vehicles.push(Vehicle {
        kind: VehicleKind::Car,
        regular_use: true,
        as_employee: false,
    });
    h.documents.clear();
    h.annual_income = yuan("100000");
    h.worker.person.annual_income = yuan("100000");
    let decision = assess(&p, &h, on()).unwrap();
    assert_eq!(decision.outcome, Outcome::NotEligible);
    let got = codes(&decision);
    for want in [
        "exclusion.multiple_homes",
        "exclusion.business",
        "exclusion.high_fee_schooling",
        "exclusion.non_employee_vehicle",
        "eligibility.reason.above_all_lines",
        "missing.commitment_letter",
        "missing.authorisation_letter",
    ] {
        assert!(got.iter().any(|c| c == want), "{want} missing from {got:?}");
    }
    assert_eq!(got.len(), 7);
}

#[test]
fn hainan_2022_exclusions_come_from_data_alone() {
    let p = example2020();
    type Setter = fn(&mut Household);
    let cases: [(&str, Setter); 3] = [
        ("exclusion.controlling_shareholder", |h| {
            h.members[0].person.controlling_shareholder = true
        }),
        ("exclusion.high_consumption", |h| h.high_consumption = true),
        ("exclusion.refused_verification", |h| {
            h.refused_verification = true
        }),
    ];
    for (code, set) in cases {
        let mut h = poor(1);
        set(&mut h);
        // In force from 2022-12-01 in the example file.
        assert!(excluded(&p, &h, d(2022, 11, 30)).is_empty(), "{code}");
        assert_eq!(excluded(&p, &h, d(2022, 12, 1)), [code]);
        // Hainan 2018 has no such exclusion.
        assert!(excluded(&hainan(), &h, d(2022, 12, 1)).is_empty(), "{code}");
    }
}

#[test]
fn an_exclusion_ends_on_its_until_date() {
    let mut p = hainan();
    p.exclusions[0].until = Some(d(2018, 12, 31));
    let mut h = poor(1);
    h.assets.homes = 2;
    assert_eq!(
        excluded(&p, &h, d(2018, 12, 31)),
        ["exclusion.multiple_homes"]
    );
    assert!(excluded(&p, &h, d(2019, 1, 1)).is_empty());
}

#[test]
fn fact_values_count_what_is_not_exempt() {
    let mut h = poor(1);
    h.assets.vehicles = vec![
        Vehicle {
            kind: VehicleKind::Car,
            regular_use: true,
            as_employee: false,
        },
        Vehicle {
            kind: VehicleKind::Motorcycle,
            regular_use: true,
            as_employee: false,
        },
    ];
    assert_eq!(fact_value(&h, FactKind::NonEmployeeVehicleUse, &[]), 2);
    assert_eq!(
        fact_value(
            &h,
            FactKind::NonEmployeeVehicleUse,
            &[VehicleKind::Motorcycle]
        ),
        1
    );
    assert_eq!(fact_value(&h, FactKind::PersonsRunningBusiness, &[]), 0);
    let mut runner = h.clone();
    runner.worker.person.runs_business = true;
    assert_eq!(
        fact_value(&runner, FactKind::PersonsRunningBusiness, &[]),
        1
    );
    assert_eq!(fact_value(&h, FactKind::HighConsumption, &[]), 0);
    h.high_consumption = true;
    assert_eq!(fact_value(&h, FactKind::HighConsumption, &[]), 1);
}
