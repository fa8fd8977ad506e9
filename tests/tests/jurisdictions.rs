//! Two jurisdictions, one household, no code change: the same household and the same
//! requests are decided under the Hainan 2018 policy file and under the example 2020+ file
//! by the same function. Every expected value is read from the policy being applied, so the
//! differences between the two answers are shown to come from the data.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu::Policy;
use bangfu::aid::{DegreeTable, Explain, StatusEvent};
use bangfu::core::{ArchiveStatus, CaseId, Money, NaiveDate, SchoolStage};
use bangfu::eligibility::{HardshipCategory, Household, SchemeKind};
use bangfu::jsonl::{Decider, EligibilityOutcome, OutputLine, Verdict, file_facts};
use serde_json::{Value, json};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// What one policy decides for the household on a date.
#[derive(Debug)]
struct Answers {
    eligibility: EligibilityOutcome,
    /// Amounts of the medical, living, sending-warmth and education requests, or the error
    /// code of each.
    aid: Vec<Result<Money, String>>,
}

const OUT_OF_POCKET: &str = "30000.00";
const LIVING_ASKED: &str = "3000.00";

/// The one function used for both policies: eligibility, then four aid requests for the
/// file the household would get, all as JSON Lines through `bangfu::jsonl`.
fn decide(policy: &Policy, household: &Household, date: NaiveDate) -> Answers {
    let eval = Decider::new(policy).unwrap();
    let request = json!({"kind": "eligibility", "household": household, "date": date});
    let OutputLine::Decision(d) = eval.decide_line(1, &request.to_string(), Explain::Off) else {
        panic!("eligibility refused")
    };
    let eligibility = d.decision.eligibility().unwrap().clone();
    let (category, tier) = (eligibility.category.unwrap(), eligibility.tier.unwrap());
    let events = vec![StatusEvent {
        date: day(2017, 1, 1),
        status: ArchiveStatus::Active,
    }];
    let file = file_facts(
        CaseId::new("HK-0001/1").unwrap(),
        household,
        category,
        tier,
        events,
    )
    .unwrap();
    let student = household.students().next().unwrap().0.clone();
    let lines = [
        json!({"kind": "medical", "file": file, "claim": {"id": "m-1", "applicant": "HK-0001-w", "date": date, "out_of_pocket": OUT_OF_POCKET}}),
        json!({"kind": "living", "file": file, "claim": {"id": "l-1", "date": date, "requested": LIVING_ASKED}}),
        json!({"kind": "sending_warmth", "file": file, "claim": {"id": "w-1", "date": date}}),
        json!({"kind": "education", "file": file, "claim": {"id": "e-1", "date": date, "student": student}}),
    ];
    let text = lines
        .iter()
        .map(Value::to_string)
        .collect::<Vec<_>>()
        .join("\n");
    let aid = eval
        .decide_str(&text, Explain::Off)
        .into_iter()
        .map(|o| {
            let v: Value = serde_json::from_str(&o.to_json()).unwrap();
            match &o {
                OutputLine::Decision(_) => {
                    Ok(Money::parse_yuan(v["amount"].as_str().unwrap()).unwrap())
                }
                OutputLine::Error(e) => Err(e.error.clone()),
                _ => panic!("unexpected output line"),
            }
        })
        .collect();
    Answers { eligibility, aid }
}

/// Look-up order of a degree table, as docs/policy-files.md states it: severe, the degree,
/// the default.
fn pick<T: Clone>(t: &DegreeTable<T>, degree: &str, severe: bool, date: NaiveDate) -> T {
    let timeline = t
        .severe
        .as_ref()
        .filter(|_| severe)
        .or_else(|| {
            t.by_degree
                .iter()
                .find(|(k, _)| k.as_str() == degree)
                .map(|(_, v)| v)
        })
        .or(t.default.as_ref())
        .unwrap();
    timeline.at("table", date).unwrap().value.clone()
}

/// The amounts the policy's own data give for the household's file.
fn expected_aid(policy: &Policy, category: HardshipCategory, date: NaiveDate) -> Vec<Money> {
    let aid = &policy.aid;
    let degree = category.code();
    let m = &aid.medical;
    let rate = m.rate.at("rate", date).unwrap().value;
    let rounding = m.rounding.at("rounding", date).unwrap().value;
    let cap = m.yearly_cap.at("cap", date).unwrap().value;
    let medical = Money::parse_yuan(OUT_OF_POCKET)
        .unwrap()
        .mul_rate(rate, rounding)
        .unwrap()
        .min(cap);
    // The example household is severe (the worker has a major illness).
    let living_max = pick(&aid.living.max_per_time, degree, true, date);
    let living = Money::parse_yuan(LIVING_ASKED).unwrap().min(living_max);
    let warmth = pick(&aid.sending_warmth.standard, degree, true, date);
    let education = aid.education.amount[&SchoolStage::SeniorSecondary]
        .at("education", date)
        .unwrap()
        .value;
    vec![medical, living, warmth, education]
}

fn policies() -> (Policy, Policy) {
    (
        bangfu::hainan2018::policy().unwrap(),
        bangfu::example2020::policy().unwrap(),
    )
}

#[test]
fn the_same_household_is_filed_under_each_scheme() {
    let (hainan, example) = policies();
    let household = Household::example().unwrap();
    let date = day(2021, 6, 1);
    let h = decide(&hainan, &household, date).eligibility;
    let e = decide(&example, &household, date).eligibility;

    // Both eligible, under the scheme each file has in force on the date.
    for (p, d) in [(&hainan, &h), (&example, &e)] {
        assert_eq!(d.outcome, Verdict::Eligible, "{d:?}");
        let scheme = &p.eligibility.schemes.at("schemes", date).unwrap().value;
        assert_eq!(d.scheme, scheme.kind);
        assert!(d.category.unwrap().belongs_to(scheme.kind));
        let standard = p.minimum_living_standard.at(None, date).unwrap();
        assert_eq!(d.per_capita.standard, standard.value);
        let used = d
            .parameters
            .iter()
            .find(|u| u.name == "minimum_living_standard")
            .unwrap();
        assert_eq!((used.from, &used.cite), (standard.from, &standard.cite));
        assert!(used.citation.is_some());
    }
    assert_eq!(h.scheme, SchemeKind::Legacy2018);
    assert_eq!(e.scheme, SchemeKind::Graded2020);
    // 500.00 a month each: near-subsistence (≤ 1.5 × 500 with a cause) in Hainan, deep
    // (< 1 × 600) in the example's 2020+ scheme.
    assert_eq!(h.category, Some(HardshipCategory::NearSubsistence));
    assert_eq!(e.category, Some(HardshipCategory::Deep));
    assert_eq!(h.per_capita.monthly_display, e.per_capita.monthly_display);
    assert_ne!(h.per_capita.standard, e.per_capita.standard);
}

#[test]
fn the_example_file_uses_the_2018_era_scheme_before_2020() {
    let (_, example) = policies();
    let household = Household::example().unwrap();
    let before = decide(&example, &household, day(2019, 6, 1));
    assert_eq!(before.eligibility.scheme, SchemeKind::Legacy2018);
    assert_eq!(
        before.eligibility.category,
        Some(HardshipCategory::NearSubsistence)
    );
    // The example's aid section defines only the 2020+ degrees, from 2020: a 2018-era file
    // in 2019 is refused with a code (medical aid does not depend on the degree, so its
    // code is the missing parameter), never paid at some default.
    let codes: Vec<&str> = before
        .aid
        .iter()
        .map(|a| a.as_ref().unwrap_err().as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "aid.parameter.not_in_force",
            "aid.file.unknown_degree",
            "aid.file.unknown_degree",
            "aid.file.unknown_degree"
        ]
    );
    // And its values start in 2020: a deep-hardship claim dated 2019 has no parameter in
    // force.
    let deep = decide(&example, &household, day(2021, 6, 1)).eligibility;
    let file = file_facts(
        CaseId::new("HK-0001/1").unwrap(),
        &household,
        deep.category.unwrap(),
        deep.tier.unwrap(),
        vec![StatusEvent {
            date: day(2017, 1, 1),
            status: ArchiveStatus::Active,
        }],
    )
    .unwrap();
    let line = json!({"kind": "sending_warmth", "file": file, "claim": {"id": "w-0", "date": "2019-12-31"}});
    let out = Decider::new(&example)
        .unwrap()
        .decide_line(1, &line.to_string(), Explain::Off);
    let OutputLine::Error(e) = out else {
        panic!("{out:?}")
    };
    assert_eq!(e.error, "aid.parameter.not_in_force");
}

#[test]
fn aid_amounts_differ_as_the_files_say() {
    let (hainan, example) = policies();
    let household = Household::example().unwrap();
    let date = day(2021, 6, 1);
    let h = decide(&hainan, &household, date);
    let e = decide(&example, &household, date);
    let got = |a: &Answers| -> Vec<Money> { a.aid.iter().map(|r| r.clone().unwrap()).collect() };
    let want_h = expected_aid(&hainan, h.eligibility.category.unwrap(), date);
    let want_e = expected_aid(&example, e.eligibility.category.unwrap(), date);
    assert_eq!(got(&h), want_h);
    assert_eq!(got(&e), want_e);
    // Each of the four kinds pays differently under the two files.
    for (i, (a, b)) in want_h.iter().zip(&want_e).enumerate() {
        assert_ne!(a, b, "request {i} pays the same under both files");
    }
    // The worked figures: medical 50 % capped at 15,000 vs 60 % under 20,000; the severe
    // per-time maximum 1,600 vs 2,500.
    assert_eq!(got(&h)[0], Money::from_yuan(15_000).unwrap());
    assert_eq!(got(&e)[0], Money::from_yuan(18_000).unwrap());
    assert_eq!(got(&h)[1], Money::from_yuan(1_600).unwrap());
    assert_eq!(got(&e)[1], Money::from_yuan(2_500).unwrap());
}

#[test]
fn a_hainan_degree_is_unknown_to_the_example_file() {
    // The aid request carries its degree: a 2018 degree sent to the 2020+ file is refused
    // with a code, not paid at some default.
    let (hainan, example) = policies();
    let household = Household::example().unwrap();
    let date = day(2021, 6, 1);
    let h = decide(&hainan, &household, date).eligibility;
    let file = file_facts(
        CaseId::new("HK-0001/1").unwrap(),
        &household,
        h.category.unwrap(),
        h.tier.unwrap(),
        vec![StatusEvent {
            date: day(2017, 1, 1),
            status: ArchiveStatus::Active,
        }],
    )
    .unwrap();
    let line =
        json!({"kind": "sending_warmth", "file": file, "claim": {"id": "w-1", "date": date}});
    let out = Decider::new(&example)
        .unwrap()
        .decide_line(1, &line.to_string(), Explain::Off);
    let OutputLine::Error(e) = out else {
        panic!("{out:?}")
    };
    assert_eq!(e.error, "aid.file.unknown_degree");
}

/// The keys that docs/policy-files.md documents are keys of the embedded files (as listed by
/// `bangfu policy check`), so the doc cannot drift from the data unnoticed.
#[test]
fn every_key_the_policy_doc_lists_is_in_an_embedded_file() {
    let doc = include_str!("../../docs/policy-files.md");
    let mut rows = Vec::new();
    for text in [
        bangfu::hainan2018::POLICY_TOML,
        bangfu::example2020::POLICY_TOML,
        bangfu::hubei2023::POLICY_TOML,
    ] {
        for on in [None, Some(day(2018, 6, 1)), Some(day(2023, 6, 1))] {
            rows.extend(
                bangfu::in_force::in_force(text, on)
                    .unwrap()
                    .rows
                    .into_iter()
                    .map(|r| r.parameter),
            );
        }
    }
    let mut keys = 0;
    for line in doc.lines() {
        let Some(key) = line.strip_prefix("| `").and_then(|l| l.split('`').next()) else {
            continue;
        };
        if !["funding.", "eligibility.", "aid.", "scoring."]
            .iter()
            .any(|p| key.starts_with(p))
        {
            continue;
        }
        let key = key.split(".<").next().unwrap().replace(".value.", ".");
        assert!(
            rows.iter().any(|r| r.starts_with(&key)),
            "{key} is documented but in no embedded file"
        );
        keys += 1;
    }
    assert!(keys > 40, "only {keys} keys found in the doc's tables");
}
