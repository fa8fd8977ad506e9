//! Every step of every explanation carries the citation of the rule it applies (issue 14
//! item 7): the citation id, the date its value came into force and, where the explaining
//! code has the policy's table, the citation itself (document, section). Walked over every
//! claim and every household's eligibility of the Hainan 2018 year, and over the Hubei
//! example's decisions (living, education, medical, remaining entitlement, temporary aid).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu::aid::{Calculator, Explain, Relation, TemporaryClaim, TemporaryEvent};
use bangfu::core::{Explanation, Money, NaiveDate};
use bangfu::hainan2018 as hn;
use bangfu::jsonl::Decider;
use bangfu::year::dir::{YearDir, YearRecord};
use bangfu::{Policy, ProgrammeYear};
use serde_json::{Value, json};

/// Every step of `ex` cites its rule; with `resolved`, it carries the citation too.
fn all_cited(what: &str, ex: &Explanation, resolved: bool) {
    assert!(!ex.steps.is_empty(), "{what}: no steps");
    for (i, s) in ex.steps.iter().enumerate() {
        assert!(
            s.cite.is_some() && s.from.is_some(),
            "{what}: step {i} cites nothing: {s:?}"
        );
        assert!(
            !resolved || s.citation.is_some(),
            "{what}: step {i} without its citation"
        );
    }
}

/// Every `explanation` inside a JSON output line, each step with `cite`, `from` and `citation`.
fn walk(what: &str, v: &Value, found: &mut usize) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                if k == "explanation" {
                    let ex: Explanation = serde_json::from_value(v.clone()).unwrap();
                    all_cited(what, &ex, true);
                    *found += 1;
                } else {
                    walk(what, v, found);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| walk(what, v, found)),
        _ => {}
    }
}

#[test]
fn every_step_of_the_hainan_year_cites_its_rule() {
    let (parts, records) = YearDir::read(&hn::files()).unwrap().into_records();
    let policy = parts.policy.clone();
    let mut year = ProgrammeYear::new(parts.policy, parts.budget).unwrap();
    let decider = Decider::new(&policy).unwrap();
    let (mut claims, mut households) = (0, 0);
    for placed in records {
        match placed.record {
            YearRecord::Claim(c) => {
                let id = c.id.clone();
                let out = year.claim_explained(c).unwrap();
                let ex = out.explanation.unwrap();
                all_cited(id.as_str(), &ex, true);
                claims += 1;
            }
            YearRecord::Household(h) => {
                let line = json!({"kind": "eligibility", "household": h.household,
                                  "date": h.applied});
                let out = decider.decide_line(1, &line.to_string(), Explain::On);
                let v: Value = serde_json::from_str(&out.to_json()).unwrap();
                let mut found = 0;
                walk(h.id().as_str(), &v, &mut found);
                assert_eq!(found, 1, "{v}");
                households += 1;
                year.take(YearRecord::Household(h)).unwrap();
            }
            other => year.take(other).unwrap(),
        }
    }
    assert_eq!((claims, households), (780, 983));
}

#[test]
fn every_step_of_the_hubei_example_cites_its_rule() {
    let policy: Policy = bangfu::hubei2023::policy().unwrap();
    let decider = Decider::new(&policy).unwrap();
    let file = json!({"case": "WH-1/1", "household": "WH-1", "tier": "national", "degree": "deep",
        "household_size": 4, "status": "active",
        "students": [{"person": "u", "stage": "undergraduate"},
                     {"person": "s", "stage": "senior_secondary"}]});
    let lines = [
        json!({"kind": "living", "file": file, "claim": {"id": "l-1", "date": "2023-03-01", "requested": "12000.00"}}),
        json!({"kind": "education", "file": file, "claim": {"id": "e-1", "date": "2023-09-01", "student": "u"}}),
        json!({"kind": "education", "file": file, "claim": {"id": "e-2", "date": "2023-09-01", "student": "s"}}),
        json!({"kind": "medical", "file": file, "claim": {"id": "m-1", "applicant": "WH-1-w", "date": "2023-05-01", "out_of_pocket": "30000.00"}}),
        json!({"kind": "remaining_entitlement", "file": file, "date": "2023-06-30", "applicant": "WH-1-w"}),
    ];
    let mut found = 0;
    for (i, l) in lines.iter().enumerate() {
        let out = decider.decide_line(i as u64 + 1, &l.to_string(), Explain::On);
        let v: Value = serde_json::from_str(&out.to_json()).unwrap();
        assert!(v.get("error").is_none(), "{v}");
        walk(&format!("Hubei line {}", i + 1), &v, &mut found);
    }
    assert_eq!(found, lines.len());
    // Temporary aid, through the calculator with the policy's citation table.
    let calc = Calculator::new(&policy.aid)
        .unwrap()
        .with_citations(&policy.citations);
    let claim = TemporaryClaim {
        date: NaiveDate::from_ymd_opt(2023, 7, 1).unwrap(),
        requested: Money::from_yuan(2_000).unwrap(),
        event: TemporaryEvent::MajorIllness,
        relation: Relation::Spouse,
        filed: false,
    };
    let d = calc
        .temporary(claim, Money::from_yuan(1_500).unwrap(), Explain::On)
        .unwrap();
    all_cited("Hubei temporary aid", &d.explanation().unwrap(), true);
}
