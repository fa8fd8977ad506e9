//! The decision: missing documents as their own outcome, base conditions, precedence.

use bangfu_core::{ArchiveTier, PersonId};
use bangfu_eligibility::*;

use crate::common::*;

fn on() -> chrono::NaiveDate {
    d(2018, 6, 1)
}

#[test]
fn no_signed_commitment_is_incomplete_not_an_error() {
    let p = hainan();
    let mut h = poor(1);
    h.documents
        .retain(|doc| doc.kind != DocumentKind::CommitmentLetter);
    let decision = assess(&p, &h, on()).unwrap();
    assert_eq!(
        decision.outcome,
        Outcome::Incomplete {
            missing: vec![MissingDocument {
                kind: DocumentKind::CommitmentLetter,
                person: None
            }],
            category: HardshipCategory::Subsistence,
            tier: ArchiveTier::National,
        }
    );
    assert_eq!(codes(&decision), ["missing.commitment_letter"]);
    assert_eq!(decision.reasons[0].kind, ReasonKind::MissingDocument);
    assert_eq!(
        decision.reasons[0].cite.as_ref().unwrap().as_str(),
        "elig.seed.letters"
    );
    assert!(!decision.is_eligible());
}

#[test]
fn a_claimed_illness_needs_its_diagnosis_for_that_person() {
    let p = hainan();
    let mut h = poor(1);
    h.members[0]
        .person
        .health
        .insert(HealthCondition::MajorIllness);
    h.members[1]
        .person
        .health
        .insert(HealthCondition::PhysicalDisability);
    let decision = assess(&p, &h, on()).unwrap();
    let Outcome::Incomplete { missing, .. } = &decision.outcome else {
        panic!("{:?}", decision.outcome)
    };
    assert_eq!(
        missing,
        &vec![
            MissingDocument {
                kind: DocumentKind::Diagnosis,
                person: Some(PersonId::new("H1-p1").unwrap())
            },
            MissingDocument {
                kind: DocumentKind::DisabilityCertificate,
                person: Some(PersonId::new("H1-p2").unwrap())
            },
        ]
    );
    let cites: Vec<&str> = decision
        .reasons
        .iter()
        .map(|r| r.cite.as_ref().unwrap().as_str())
        .collect();
    assert_eq!(cites, ["elig.yy2018.materials", "elig.yy2018.materials"]);
    // A diagnosis about someone else does not count.
    h.documents.push(Document {
        kind: DocumentKind::Diagnosis,
        person: Some(PersonId::new("H1-p0").unwrap()),
    });
    assert!(matches!(
        assess(&p, &h, on()).unwrap().outcome,
        Outcome::Incomplete { .. }
    ));
    h.documents.push(Document {
        kind: DocumentKind::Diagnosis,
        person: Some(PersonId::new("H1-p1").unwrap()),
    });
    h.documents.push(Document {
        kind: DocumentKind::DisabilityCertificate,
        person: Some(PersonId::new("H1-p2").unwrap()),
    });
    assert!(assess(&p, &h, on()).unwrap().is_eligible());
}

#[test]
fn not_eligible_takes_precedence_over_incomplete() {
    let p = hainan();
    let mut h = poor(1);
    h.assets.homes = 2;
    h.documents.clear();
    let decision = assess(&p, &h, on()).unwrap();
    assert_eq!(decision.outcome, Outcome::NotEligible);
    assert_eq!(
        codes(&decision),
        [
            "exclusion.multiple_homes",
            "missing.commitment_letter",
            "missing.authorisation_letter"
        ]
    );
}

#[test]
fn migrant_workers_must_be_members_with_a_long_enough_contract() {
    let p = hainan();
    let mut h = poor(1);
    h.worker.union_member = false;
    // Hainan 2018 requires membership of migrant workers only.
    assert!(assess(&p, &h, on()).unwrap().is_eligible());
    h.worker.migrant = true;
    h.worker.contract_months = 11;
    let decision = assess(&p, &h, on()).unwrap();
    assert_eq!(decision.outcome, Outcome::NotEligible);
    assert_eq!(
        codes(&decision),
        [
            "eligibility.reason.not_union_member",
            "eligibility.reason.contract_too_short"
        ]
    );
    assert!(decision.reasons[1].detail.contains("11 < 12"));
    h.worker.union_member = true;
    h.worker.contract_months = 12;
    assert!(assess(&p, &h, on()).unwrap().is_eligible());
    // A policy requiring every worker to be a member.
    let src =
        HAINAN_2018_POLICY_TOML.replace("value = \"migrant_workers\"", "value = \"all_workers\"");
    let all = section(&src);
    let mut h = poor(1);
    h.worker.union_member = false;
    assert_eq!(
        codes(&assess(&all, &h, on()).unwrap()),
        ["eligibility.reason.not_union_member"]
    );
}

#[test]
fn decisions_serialise_with_every_reason_labelled() {
    let p = hainan();
    let mut h = poor(1);
    h.assets.homes = 2;
    h.worker.migrant = true;
    h.worker.union_member = false;
    let decision = assess(&p, &h, on()).unwrap();
    for r in &decision.reasons {
        assert!(!r.zh.trim().is_empty() && !r.en.trim().is_empty(), "{r:?}");
        assert!(r.cite.is_some());
    }
    let json = serde_json::to_string(&decision).unwrap();
    assert_eq!(serde_json::from_str::<Decision>(&json).unwrap(), decision);
}
