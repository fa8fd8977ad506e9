//! The issue's worked examples, as table tests.

use bangfu_aid::{
    AmountClaim, Calculator, ClaimId, Explain, MedicalClaim, PaymentOrder, Reason, SchoolStage,
    YearToDate,
};
use bangfu_core::{Money, PersonId, RoundingRule, RoundingStrategy};

use crate::common::*;

fn ytd(cost: &str, paid: &str) -> YearToDate {
    YearToDate {
        cost: yuan(cost),
        paid: yuan(paid),
    }
}

#[test]
fn medical_table() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let f = file("subsistence", 3);
    // (out-of-pocket now, earlier cost this year, paid this year, expected, reason)
    let rows: &[(&str, &str, &str, &str, Option<Reason>)] = &[
        (
            "40000.00",
            "0",
            "0",
            "15000.00",
            Some(Reason::MedicalCapped),
        ),
        ("10000.00", "0", "0", "5000.00", None),
        (
            "30000.00",
            "10000.00",
            "5000.00",
            "10000.00",
            Some(Reason::MedicalCapped),
        ),
        (
            "5000.00",
            "40000.00",
            "15000.00",
            "0.00",
            Some(Reason::MedicalCapReached),
        ),
        ("30000.00", "0", "0", "15000.00", None), // exactly at the cap: not "capped"
        ("0.01", "0", "0", "0.01", None),         // 0.005 rounded half up, once
        ("1000.01", "0", "0", "500.01", None),
        (
            "0.00",
            "100.00",
            "50.00",
            "0.00",
            Some(Reason::MedicalNothingMore),
        ),
    ];
    for (i, &(oop, cost, paid, want, reason)) in rows.iter().enumerate() {
        let claim = MedicalClaim {
            date: day(2018, 9, 1),
            out_of_pocket: yuan(oop),
        };
        let d = calc
            .medical(&f, claim, ytd(cost, paid), Explain::Off)
            .unwrap();
        assert_eq!(d.amount, yuan(want), "row {i}: {oop} after {cost}/{paid}");
        match reason {
            Some(r) => assert!(d.reasons.contains(r), "row {i}: {:?}", d.reasons),
            None => assert!(d.reasons.is_empty(), "row {i}: {:?}", d.reasons),
        }
    }
}

#[test]
fn ten_thousand_then_thirty_thousand() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let f = file("subsistence", 3);
    let first = calc
        .medical(
            &f,
            MedicalClaim {
                date: day(2018, 3, 1),
                out_of_pocket: yuan("10000"),
            },
            YearToDate::default(),
            Explain::Off,
        )
        .unwrap();
    assert_eq!(first.amount, yuan("5000"));
    let so_far = YearToDate {
        cost: yuan("10000"),
        paid: first.amount,
    };
    let second = calc
        .medical(
            &f,
            MedicalClaim {
                date: day(2018, 9, 1),
                out_of_pocket: yuan("30000"),
            },
            so_far,
            Explain::Off,
        )
        .unwrap();
    assert_eq!(second.amount, yuan("10000"));
    let so_far = YearToDate {
        cost: yuan("40000"),
        paid: yuan("15000"),
    };
    let third = calc
        .medical(
            &f,
            MedicalClaim {
                date: day(2018, 11, 1),
                out_of_pocket: yuan("100"),
            },
            so_far,
            Explain::On,
        )
        .unwrap();
    assert_eq!(third.amount, Money::ZERO);
    assert!(third.reasons.contains(Reason::MedicalCapReached));
    let why = third.explanation().unwrap();
    assert!(why.steps.iter().any(|s| s.en.contains("already paid")));
}

#[test]
fn rounding_follows_the_policys_rule() {
    // (rule, out-of-pocket, expected): 1000.01 × 0.5 = 500.005; 1000.03 × 0.5 = 500.015
    let rows = [
        (RoundingStrategy::HalfUp, "1000.01", "500.01"),
        (RoundingStrategy::HalfEven, "1000.01", "500.00"),
        (RoundingStrategy::HalfEven, "1000.03", "500.02"),
        (RoundingStrategy::Down, "1000.03", "500.01"),
        (RoundingStrategy::Up, "1000.01", "500.01"),
        (RoundingStrategy::Down, "0.01", "0.00"),
    ];
    for (strategy, oop, want) in rows {
        let mut p = hainan();
        let mut entries: Vec<_> = p.aid.medical.rounding.entries().to_vec();
        entries[0].value = RoundingRule::new(strategy, 2);
        p.aid.medical.rounding = bangfu_core::Timeline::new(entries).unwrap();
        let calc = Calculator::new(&p.aid).unwrap();
        let claim = MedicalClaim {
            date: day(2018, 5, 5),
            out_of_pocket: yuan(oop),
        };
        let d = calc
            .medical(
                &file("subsistence", 1),
                claim,
                YearToDate::default(),
                Explain::Off,
            )
            .unwrap();
        assert_eq!(d.amount, yuan(want), "{strategy:?} {oop}");
    }
}

#[test]
fn living_table() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    // (severe, size, asked, paid this year, expected, reason)
    let rows: &[(bool, u32, &str, &str, &str, Option<Reason>)] = &[
        (
            true,
            3,
            "2000.00",
            "0",
            "1600.00",
            Some(Reason::LivingPerTimeMax),
        ),
        (true, 3, "1600.00", "0", "1600.00", None), // exactly at the maximum
        (
            false,
            3,
            "2000.00",
            "0",
            "1200.00",
            Some(Reason::LivingPerTimeMax),
        ),
        (false, 3, "900.00", "0", "900.00", None),
        // yearly standard 12 × 500 × 1 = 6000
        (
            false,
            1,
            "1000.00",
            "5640.00",
            "360.00",
            Some(Reason::LivingYearlyCap),
        ),
        (
            false,
            1,
            "1000.00",
            "6000.00",
            "0.00",
            Some(Reason::LivingYearlyCapReached),
        ),
        (
            true,
            1,
            "2000.00",
            "5000.00",
            "1000.00",
            Some(Reason::LivingYearlyCap),
        ),
    ];
    for (i, &(sev, size, asked, paid, want, reason)) in rows.iter().enumerate() {
        let mut f = file("near_subsistence", size);
        if sev {
            f = severe(f);
        }
        let claim = AmountClaim {
            date: day(2018, 4, 1),
            requested: Some(yuan(asked)),
        };
        let d = calc
            .living(
                &f,
                claim,
                YearToDate {
                    paid: yuan(paid),
                    ..YearToDate::default()
                },
                Explain::Off,
            )
            .unwrap();
        assert_eq!(d.amount, yuan(want), "row {i}");
        match reason {
            Some(r) => assert!(d.reasons.contains(r), "row {i}: {:?}", d.reasons),
            None => assert!(d.reasons.is_empty(), "row {i}: {:?}", d.reasons),
        }
    }
    // The seed gives no standard amounts: a claim naming none is refused.
    let err = calc
        .living(
            &file("subsistence", 3),
            AmountClaim {
                date: day(2018, 4, 1),
                requested: None,
            },
            YearToDate::default(),
            Explain::Off,
        )
        .unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&err), "aid.amount.required");
}

#[test]
fn sending_warmth_table() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let rows: &[(bool, Option<&str>, &str, Option<Reason>)] = &[
        (false, None, "800.00", None),
        (true, None, "1000.00", None),
        (false, Some("900.00"), "900.00", None),
        (
            false,
            Some("700.00"),
            "800.00",
            Some(Reason::WarmthRaisedToMin),
        ),
        (
            true,
            Some("1200.00"),
            "1000.00",
            Some(Reason::WarmthLoweredToMax),
        ),
    ];
    for (i, &(sev, asked, want, reason)) in rows.iter().enumerate() {
        let mut f = file("accident", 2);
        if sev {
            f = severe(f);
        }
        let claim = AmountClaim {
            date: day(2018, 2, 10),
            requested: asked.map(yuan),
        };
        let d = calc.sending_warmth(&f, claim, Explain::Off).unwrap();
        assert_eq!(d.amount, yuan(want), "row {i}");
        assert_eq!(d.kind, bangfu_core::AidKind::SendingWarmth);
        match reason {
            Some(r) => assert!(d.reasons.contains(r), "row {i}"),
            None => assert!(d.reasons.is_empty(), "row {i}"),
        }
    }
}

#[test]
fn education_table() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let rows: &[(SchoolStage, bool, &str, Option<Reason>)] = &[
        (SchoolStage::SeniorSecondary, false, "2000.00", None),
        (SchoolStage::HigherVocational, false, "3000.00", None),
        (SchoolStage::Undergraduate, false, "4000.00", None),
        (
            SchoolStage::Undergraduate,
            true,
            "0.00",
            Some(Reason::EducationAlreadyPaid),
        ),
        (
            SchoolStage::Primary,
            false,
            "0.00",
            Some(Reason::EducationStageNotCovered),
        ),
    ];
    for (i, &(stage, already, want, reason)) in rows.iter().enumerate() {
        let f = with_student(file("subsistence", 4), "kid", stage);
        let kid = PersonId::new("kid").unwrap();
        let d = calc
            .education(&f, day(2018, 9, 1), &kid, already, Explain::Off)
            .unwrap();
        assert_eq!(d.amount, yuan(want), "row {i}");
        match reason {
            Some(r) => assert!(d.reasons.contains(r), "row {i}"),
            None => assert!(d.reasons.is_empty(), "row {i}"),
        }
    }
}

#[test]
fn remaining_entitlement() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let f = file("subsistence", 2);
    let e = calc
        .remaining(&f, day(2018, 7, 1), yuan("5000"), yuan("3000"), Explain::On)
        .unwrap();
    assert_eq!(e.medical_cap, yuan("15000"));
    assert_eq!(e.medical_remaining, yuan("10000"));
    assert_eq!(e.living_cap, Some(yuan("12000"))); // 12 × 500 × 2
    assert_eq!(e.living_remaining, Some(yuan("9000")));
    assert!(e.explanation.is_some());
    let mut gone = f.clone();
    gone.status = Some(bangfu_core::ArchiveStatus::ExitedHardship);
    let e = calc
        .remaining(
            &gone,
            day(2018, 7, 1),
            yuan("5000"),
            Money::ZERO,
            Explain::Off,
        )
        .unwrap();
    assert!(!e.payable);
    assert_eq!(e.medical_remaining, Money::ZERO);
    assert!(e.reasons.contains(Reason::FileNotPayable));
}

#[test]
fn payment_orders_are_idempotent_and_only_for_payable_files() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let f = file("subsistence", 3);
    let claim = ClaimId::new("2018-med-0001").unwrap();
    let d = calc
        .medical(
            &f,
            MedicalClaim {
                date: day(2018, 3, 1),
                out_of_pocket: yuan("40000"),
            },
            YearToDate::default(),
            Explain::Off,
        )
        .unwrap();
    let a = PaymentOrder::for_decision(&f, &claim, &d).unwrap().unwrap();
    let b = PaymentOrder::for_decision(&f, &claim, &d).unwrap().unwrap();
    assert_eq!(a.key, b.key);
    assert_eq!(
        a.key.as_str(),
        "aid|HK-0001/1|medical|regular|2018|2018-med-0001"
    );
    assert_eq!(a.amount, yuan("15000"));
    assert_eq!(a.tier, bangfu_core::ArchiveTier::National);
    assert_eq!(
        a.cite.as_ref().map(|c| c.as_str()),
        Some("aid.seed.medical")
    );
    let other = PaymentOrder::for_decision(&f, &ClaimId::new("2018-med-0002").unwrap(), &d)
        .unwrap()
        .unwrap();
    assert_ne!(a.key, other.key);
    // Posting twice to a ledger keyed by the idempotency key pays once.
    let mut ledger = std::collections::BTreeMap::new();
    for o in [&a, &b] {
        ledger.entry(o.key.clone()).or_insert(o.amount);
    }
    assert_eq!(Money::sum(ledger.values().copied()).unwrap(), yuan("15000"));
    // Nothing to pay: no order.
    let zero = calc
        .medical(
            &f,
            MedicalClaim {
                date: day(2018, 4, 1),
                out_of_pocket: yuan("1"),
            },
            YearToDate {
                cost: yuan("40000"),
                paid: yuan("15000"),
            },
            Explain::Off,
        )
        .unwrap();
    assert!(
        PaymentOrder::for_decision(&f, &claim, &zero)
            .unwrap()
            .is_none()
    );
    // A file that exited before the date: a typed refusal.
    let mut gone = f.clone();
    gone.status = None;
    gone.status_events = vec![
        bangfu_aid::StatusEvent {
            date: day(2018, 1, 1),
            status: bangfu_core::ArchiveStatus::Active,
        },
        bangfu_aid::StatusEvent {
            date: day(2018, 2, 1),
            status: bangfu_core::ArchiveStatus::ExitedHardship,
        },
    ];
    let err = PaymentOrder::for_decision(&gone, &claim, &d).unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&err), "aid.file.not_payable");
}

#[test]
fn explanation_lists_inputs_parameters_steps_rounding_and_cap() {
    let p = hainan();
    let calc = Calculator::new(&p.aid)
        .unwrap()
        .with_citations(&p.citations);
    let d = calc
        .medical(
            &file("subsistence", 3),
            MedicalClaim {
                date: day(2018, 3, 1),
                out_of_pocket: yuan("40000.01"),
            },
            YearToDate::default(),
            Explain::On,
        )
        .unwrap();
    let e = d.explanation().unwrap();
    assert_eq!(e.rule, "aid.medical");
    assert!(
        e.inputs
            .iter()
            .any(|(k, v)| k == "out_of_pocket" && v == "40000.01")
    );
    let cap = e
        .parameters
        .iter()
        .find(|u| u.name == "aid.medical.yearly_cap")
        .unwrap();
    assert_eq!(cap.value, "15000.00");
    assert_eq!(cap.from, day(2018, 1, 1));
    assert_eq!(cap.cite.as_str(), "aid.seed.medical");
    assert!(cap.citation.as_ref().unwrap().document.contains("海南"));
    let rounding = e
        .parameters
        .iter()
        .find(|u| u.name == "aid.medical.rounding")
        .unwrap();
    assert!(rounding.citation.as_ref().unwrap().assumed);
    assert!(
        e.steps
            .iter()
            .any(|s| s.en.contains("20000.005") && s.en.contains("half_up@2"))
    );
    assert!(
        e.steps
            .iter()
            .any(|s| s.zh.contains("封顶") && s.result == "15000.00")
    );
    assert!(d.reasons.contains(Reason::MedicalCapped));
}

/// The explanation of a capped medical claim with earlier claims this year.
fn capped_medical_explanation() -> bangfu_core::Explanation {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let so_far = YearToDate {
        cost: yuan("10000"),
        paid: yuan("5000"),
    };
    let d = calc
        .medical(
            &file("subsistence", 3),
            MedicalClaim {
                date: day(2018, 9, 1),
                out_of_pocket: yuan("30000.01"),
            },
            so_far,
            Explain::On,
        )
        .unwrap();
    d.explanation().unwrap()
}

/// The explanation's wording, pinned: a change shows up in review.
#[test]
fn explanation_snapshot() {
    let e = capped_medical_explanation();
    let params: Vec<String> = e
        .parameters
        .iter()
        .map(|u| format!("{} = {} (from {}, {})", u.name, u.value, u.from, u.cite))
        .collect();
    let steps: Vec<String> = e
        .steps
        .iter()
        .map(|s| format!("{} | {} | {}", s.zh, s.en, s.result))
        .collect();
    let got = format!(
        "{}\n{}\n{}",
        e.inputs
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect::<Vec<_>>()
            .join("\n"),
        params.join("\n"),
        steps.join("\n")
    );
    let want = "\
date = 2018-09-01
out_of_pocket = 30000.01
earlier_out_of_pocket_this_year = 10000.00
paid_this_year = 5000.00
aid.medical.rate = 0.5 (from 2018-01-01, aid.seed.medical)
aid.medical.yearly_cap = 15000.00 (from 2018-01-01, aid.seed.medical)
aid.medical.cap_scope = applicant (from 2018-01-01, aid.seed.medical)
aid.medical.rounding = half_up@2 (from 2018-01-01, aid.assumed.rounding)
2018年累计自付费用 = 10000.00 + 30000.01 = 40000.01 | out-of-pocket cost in 2018 so far = 10000.00 + 30000.01 = 40000.01 | 40000.01
0.5 × 40000.01 = 20000.005，按half_up@2舍入一次 = 20000.01 | 0.5 × 40000.01 = 20000.005, rounded once by half_up@2 = 20000.01 | 20000.01
min(20000.01, 封顶 15000.00, 自付 40000.01) = 15000.00 | min(20000.01, cap 15000.00, out-of-pocket 40000.01) = 15000.00 | 15000.00
本次救助 = 15000.00 − 已救助 5000.00 = 10000.00 | paid now = 15000.00 − already paid 5000.00 = 10000.00 | 10000.00
起作用的限额：达到年度封顶线 | limits that bit: limited by the yearly cap | 10000.00";
    assert_eq!(got, want);
}

/// `Explanation` as text (`Display`): Chinese with `{}`, English with `{:#}`, from the same
/// steps the calculator rendered.
#[test]
fn explanation_displays_as_text() {
    let e = capped_medical_explanation();
    let en = "\
rule aid.medical
inputs:
  date = 2018-09-01
  out_of_pocket = 30000.01
  earlier_out_of_pocket_this_year = 10000.00
  paid_this_year = 5000.00
parameters:
  aid.medical.rate = 0.5 (from 2018-01-01; aid.seed.medical)
  aid.medical.yearly_cap = 15000.00 (from 2018-01-01; aid.seed.medical)
  aid.medical.cap_scope = applicant (from 2018-01-01; aid.seed.medical)
  aid.medical.rounding = half_up@2 (from 2018-01-01; aid.assumed.rounding)
steps:
  1. out-of-pocket cost in 2018 so far = 10000.00 + 30000.01 = 40000.01
  2. 0.5 × 40000.01 = 20000.005, rounded once by half_up@2 = 20000.01
  3. min(20000.01, cap 15000.00, out-of-pocket 40000.01) = 15000.00
  4. paid now = 15000.00 − already paid 5000.00 = 10000.00
  5. limits that bit: limited by the yearly cap → 10000.00
";
    assert_eq!(format!("{e:#}"), en);
    let zh = e.to_string();
    assert!(
        zh.starts_with("规则 aid.medical\n输入：\n  date = 2018-09-01\n"),
        "{zh}"
    );
    assert!(zh.contains("  aid.medical.rate = 0.5 (自 2018-01-01; aid.seed.medical)\n"));
    assert!(
        zh.ends_with("  5. 起作用的限额：达到年度封顶线 → 10000.00\n"),
        "{zh}"
    );
}

/// The builder gives the same facts as the JSON form, and refuses what the calculators
/// would refuse anyway, with the same codes.
#[test]
fn file_facts_builder_matches_the_json_form() {
    use bangfu_aid::{FileFacts, SevereFlags};
    use bangfu_core::{ArchiveStatus, ArchiveTier, Coded};
    let built = FileFacts::builder("HK-0002/1", "HK-0002", ArchiveTier::National, "deep", 4)
        .severe(SevereFlags {
            mental_illness: true,
            ..SevereFlags::default()
        })
        .status_event(day(2018, 2, 1), ArchiveStatus::Active)
        .student("HK-0002-p3", SchoolStage::Undergraduate)
        .build()
        .unwrap();
    let json: FileFacts = serde_json::from_str(
        r#"{"case":"HK-0002/1","household":"HK-0002","tier":"national","degree":"deep",
            "household_size":4,"severe":{"mental_illness":true},
            "status_events":[{"date":"2018-02-01","status":"active"}],
            "students":[{"person":"HK-0002-p3","stage":"undergraduate"}]}"#,
    )
    .unwrap();
    assert_eq!(built, json);
    let code = |b: bangfu_aid::FileFactsBuilder| b.build().unwrap_err().code();
    let base = || FileFacts::builder("c/1", "h", ArchiveTier::National, "deep", 1);
    assert_eq!(
        code(FileFacts::builder(
            "c/1",
            "h",
            ArchiveTier::National,
            "deep",
            0
        )),
        "aid.file.zero_household_size"
    );
    assert_eq!(
        code(base().student("no space", SchoolStage::Primary)),
        "core.id.invalid"
    );
    assert_eq!(
        code(FileFacts::builder(
            "c/1",
            "",
            ArchiveTier::National,
            "deep",
            1
        )),
        "core.id.invalid"
    );
    assert_eq!(
        code(
            base()
                .status_event(day(2018, 5, 1), ArchiveStatus::Active)
                .status_event(day(2018, 5, 1), ArchiveStatus::Cancelled)
        ),
        "aid.file.status_events_order"
    );
}
