//! The same household under two jurisdictions' files, and the OpenFisca peer as data.

use bangfu_aid::{
    AmountClaim, Calculator, DegreeCode, Explain, MedicalClaim, SchoolStage, YearToDate,
};
use bangfu_core::{Money, PersonId};

use crate::common::*;

/// One household, decided under each policy with no code change. The degree is the one
/// each scheme's classification gives (the eligibility crate decides it).
#[test]
fn same_household_under_both_files() {
    let hainan = load(HAINAN);
    let example = load(EXAMPLE);
    // (policy, degree, claim date, medical, living standard, warmth, university)
    let rows = [
        (
            &hainan,
            "subsistence",
            day(2018, 6, 1),
            "15000.00",
            None,
            "800.00",
            "4000.00",
        ),
        (
            &example,
            "deep",
            day(2020, 6, 1),
            "20000.00",
            Some("1800.00"),
            "4500.00",
            "5000.00",
        ),
        (
            &example,
            "relative",
            day(2020, 6, 1),
            "20000.00",
            Some("1200.00"),
            "4000.00",
            "5000.00",
        ),
    ];
    for (policy, degree, date, medical, living, warmth, university) in rows {
        let calc = Calculator::new(&policy.aid).unwrap();
        let mut f = with_student(file(degree, 3), "kid", SchoolStage::Undergraduate);
        f.degree = DegreeCode::new(degree).unwrap();
        let m = calc
            .medical(
                &f,
                MedicalClaim {
                    date,
                    out_of_pocket: yuan("40000"),
                },
                YearToDate::default(),
                Explain::Off,
            )
            .unwrap();
        assert_eq!(m.amount, yuan(medical), "{degree}");
        let l = calc.living(
            &f,
            AmountClaim {
                date,
                requested: None,
            },
            YearToDate::default(),
            Explain::Off,
        );
        match living {
            Some(want) => assert_eq!(l.unwrap().amount, yuan(want), "{degree}"),
            None => assert_eq!(
                bangfu_core::Coded::code(&l.unwrap_err()),
                "aid.amount.required"
            ),
        }
        let w = calc
            .sending_warmth(
                &f,
                AmountClaim {
                    date,
                    requested: None,
                },
                Explain::Off,
            )
            .unwrap();
        assert_eq!(w.amount, yuan(warmth), "{degree}");
        let e = calc
            .education(
                &f,
                date,
                &PersonId::new("kid").unwrap(),
                false,
                Explain::Off,
            )
            .unwrap();
        assert_eq!(e.amount, yuan(university), "{degree}");
    }
}

#[test]
fn each_file_refuses_the_others_degrees_and_dates() {
    let example = load(EXAMPLE);
    let calc = Calculator::new(&example.aid).unwrap();
    let claim = MedicalClaim {
        date: day(2020, 6, 1),
        out_of_pocket: yuan("100"),
    };
    let err = calc
        .medical(
            &file("subsistence", 3),
            claim,
            YearToDate::default(),
            Explain::Off,
        )
        .unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&err), "aid.file.unknown_degree");
    let early = MedicalClaim {
        date: day(2018, 6, 1),
        out_of_pocket: yuan("100"),
    };
    let err = calc
        .medical(&file("deep", 3), early, YearToDate::default(), Explain::Off)
        .unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&err), "aid.parameter.not_in_force");
}

#[test]
fn example_file_changes_values_over_time() {
    let example = load(EXAMPLE);
    let calc = Calculator::new(&example.aid).unwrap();
    let f = file("deep", 2);
    for (date, cap) in [
        (day(2021, 12, 31), "20000.00"),
        (day(2022, 1, 1), "30000.00"),
    ] {
        let d = calc
            .medical(
                &f,
                MedicalClaim {
                    date,
                    out_of_pocket: yuan("100000"),
                },
                YearToDate::default(),
                Explain::Off,
            )
            .unwrap();
        assert_eq!(d.amount, yuan(cap));
    }
    // Minimum living standard 600 from 2020 (the eligibility section's: the two copies may
    // not differ), × 12, not per member.
    for (date, cap) in [(day(2020, 5, 1), "7200.00"), (day(2021, 5, 1), "7200.00")] {
        let e = calc
            .remaining(&f, date, Money::ZERO, Money::ZERO, Explain::Off)
            .unwrap();
        assert_eq!(e.living_cap, Some(yuan(cap)));
    }
}

/// The OpenFisca peer pays 400 per member a month, 600 in a severe household, at most 1600
/// a payment; medical 50 % capped at 15000 per person, half up to the fen.
#[test]
fn openfisca_peer_policy_as_data() {
    let peer = load(OPENFISCA);
    let calc = Calculator::new(&peer.aid).unwrap();
    let date = day(2025, 1, 1);
    let rows = [
        (false, 1, "400.00"),
        (false, 3, "1200.00"),
        (false, 4, "1600.00"),
        (false, 5, "1600.00"),
        (true, 2, "1200.00"),
        (true, 3, "1600.00"),
    ];
    for (sev, size, want) in rows {
        let mut f = file("eligible", size);
        if sev {
            f = severe(f);
        }
        let d = calc
            .living(
                &f,
                AmountClaim {
                    date,
                    requested: None,
                },
                YearToDate::default(),
                Explain::Off,
            )
            .unwrap();
        assert_eq!(d.amount, yuan(want), "severe {sev} size {size}");
    }
    // The peer's rounding cases: 0.005 → 0.01, 0.265 → 0.27, 1234.565 → 1234.57, 14999.995 → 15000.
    for (oop, want) in [
        ("0.01", "0.01"),
        ("0.53", "0.27"),
        ("2469.13", "1234.57"),
        ("29999.99", "15000.00"),
        ("83886.20", "15000.00"),
    ] {
        let d = calc
            .medical(
                &file("eligible", 3),
                MedicalClaim {
                    date,
                    out_of_pocket: yuan(oop),
                },
                YearToDate::default(),
                Explain::Off,
            )
            .unwrap();
        assert_eq!(d.amount, yuan(want), "{oop}");
    }
    // No sending warmth in the peer's policy: refused with a code, not paid.
    let err = calc
        .sending_warmth(
            &file("eligible", 3),
            AmountClaim {
                date,
                requested: None,
            },
            Explain::Off,
        )
        .unwrap_err();
    assert_eq!(
        bangfu_core::Coded::code(&err),
        "aid.parameter.no_value_for_degree"
    );
}

#[test]
fn citations_of_every_file_are_defined_and_assumed_ones_marked() {
    for text in [HAINAN, EXAMPLE, OPENFISCA] {
        let f = load(text);
        let ids = f.aid.citation_ids();
        assert!(!ids.is_empty());
        for id in ids {
            let c = f.citations.get(id).unwrap();
            // The minimum living standard is the policy's own table (mls.*), not the section's.
            if id.as_str().starts_with("mls.") {
                assert!(c.assumed, "{id} must be marked assumed");
                continue;
            }
            assert!(id.as_str().starts_with("aid."), "{id}");
            if id.as_str().starts_with("aid.assumed.") {
                assert!(c.assumed, "{id} must be marked assumed");
            }
        }
        // Every citation listed is used, and every id is prefixed so files concatenate.
        for (id, _) in f.citations.iter() {
            assert!(
                id.as_str().starts_with("aid.") || id.as_str().starts_with("mls."),
                "{id}"
            );
            assert!(f.aid.citation_ids().contains(&id), "{id} listed but unused");
        }
    }
}

#[test]
fn policy_files_refuse_unknown_keys_and_bad_values() {
    let bad = HAINAN.replace("[[aid.medical.rate]]", "[[aid.medical.rates]]");
    assert!(toml::from_str::<PolicyFile>(&bad).is_err());
    let bad = HAINAN.replace("value = \"15000.00\"", "value = \"15000.001\"");
    assert!(toml::from_str::<PolicyFile>(&bad).is_err());
    let bad = HAINAN.replace("min = \"800.00\"", "min = \"1800.00\"");
    let f: PolicyFile = toml::from_str(&bad).unwrap();
    assert_eq!(
        bangfu_core::Coded::code(&f.aid.validate().unwrap_err()),
        "aid.policy.invalid"
    );
    let bad = HAINAN.replace(
        "strategy = \"half_up\", places = 2",
        "strategy = \"half_up\", places = 3",
    );
    let f: PolicyFile = toml::from_str(&bad).unwrap();
    assert!(f.aid.validate().is_err());
    let bad = EXAMPLE.replace(
        "[[aid.living.standard.by_degree.deep]]",
        "[[aid.living.standard.by_degree.deeep]]",
    );
    let f: PolicyFile = toml::from_str(&bad).unwrap();
    assert!(Calculator::new(&f.aid).is_err());
    // Out-of-order dates in a timeline are refused when read.
    let bad = EXAMPLE.replace("from = \"2022-01-01\"", "from = \"2019-01-01\"");
    assert!(toml::from_str::<PolicyFile>(&bad).is_err());
}

#[test]
fn policies_round_trip_through_json() {
    for text in [HAINAN, EXAMPLE, OPENFISCA] {
        let f = load(text);
        let json = serde_json::to_string(&f.aid).unwrap();
        let mut back: bangfu_aid::AidPolicy = serde_json::from_str(&json).unwrap();
        // The minimum living standard is the file's top-level table, not the section's.
        assert_eq!(back.minimum_living_standard, None);
        back.minimum_living_standard = f.aid.minimum_living_standard.clone();
        assert_eq!(back, f.aid);
    }
}
