//! The registry: one open file per household, no person in two open files, episodes.

use bangfu_core::{ArchiveStatus, Coded, HouseholdId};
use bangfu_eligibility::*;

use crate::common::*;

fn filing_actors() -> FilingActors {
    let s = staff();
    FilingActors {
        applicant: s.applicant,
        grassroots: s.grassroots,
        industrial: s.industrial,
        aid_center: s.center,
    }
}

#[test]
fn one_open_file_per_household() {
    let mut reg = Registry::default();
    let s = staff();
    reg.open(case_id("H1/1"), poor(1), d(2018, 3, 5), s.applicant.clone())
        .unwrap();
    let before = reg.clone();
    let err = reg
        .open(case_id("H1/2"), poor(1), d(2018, 3, 6), s.applicant.clone())
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.registry.household_has_open_file");
    let err = reg
        .open(case_id("H1/1"), poor(2), d(2018, 3, 6), s.applicant.clone())
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.registry.duplicate_case");
    assert_eq!(reg, before);
    assert_eq!(reg.len(), 1);
}

#[test]
fn no_person_in_two_open_files() {
    let mut reg = Registry::default();
    let s = staff();
    reg.open(case_id("H1/1"), poor(1), d(2018, 3, 5), s.applicant.clone())
        .unwrap();
    // Household 2 lists household 1's spouse.
    let mut h2 = poor(2);
    h2.members.push(poor(1).members[0].clone());
    let before = reg.clone();
    let err = reg
        .open(case_id("H2/1"), h2, d(2018, 3, 6), s.applicant.clone())
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.registry.person_in_other_file");
    match &err {
        EligibilityError::PersonInOtherFile { masked, case } => {
            assert!(masked.contains('*'));
            assert_eq!(case.as_str(), "H1/1");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(reg, before);
    // A facts update that adds them is refused the same way.
    let p = hainan();
    let c = cal();
    let fa = filing_actors();
    let mut reg = Registry::default();
    file_through_procedure(
        &mut reg,
        &p,
        &c,
        case_id("H1/1"),
        poor(1),
        d(2018, 3, 5),
        &fa,
    )
    .unwrap();
    file_through_procedure(
        &mut reg,
        &p,
        &c,
        case_id("H2/1"),
        poor(2),
        d(2018, 3, 5),
        &fa,
    )
    .unwrap();
    let mut h2 = poor(2);
    h2.members.push(poor(1).members[0].clone());
    let before = reg.clone();
    let err = reg
        .apply(
            &case_id("H2/1"),
            CaseEvent::UpdateFacts {
                by: s.center.clone(),
                date: d(2018, 6, 1),
                household: Box::new(h2),
            },
            &p,
            &c,
        )
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.registry.person_in_other_file");
    assert_eq!(reg, before);
    let err = reg
        .apply(
            &case_id("H9/1"),
            CaseEvent::Review {
                by: s.center,
                date: d(2018, 6, 1),
            },
            &p,
            &c,
        )
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.registry.unknown_case");
}

#[test]
fn a_relapse_opens_a_new_episode_and_history_stays() {
    let p = hainan();
    let c = cal();
    let fa = filing_actors();
    let s = staff();
    let hh = HouseholdId::new("H1").unwrap();
    let mut reg = Registry::default();
    let active = file_through_procedure(
        &mut reg,
        &p,
        &c,
        case_id("H1/1"),
        poor(1),
        d(2018, 3, 5),
        &fa,
    )
    .unwrap();
    assert!(reg.is_payable_on(&hh, active));
    reg.apply(
        &case_id("H1/1"),
        CaseEvent::Exit {
            by: s.center.clone(),
            date: d(2018, 7, 2),
            effective: d(2018, 7, 1),
            reason: ExitReason::Reemployed,
            note: None,
        },
        &p,
        &c,
    )
    .unwrap();
    let first = reg.get(&case_id("H1/1")).unwrap().clone();
    assert!(!reg.is_payable_on(&hh, d(2018, 7, 1)));
    // The person of the closed file may be in a new file now.
    let second_active = file_through_procedure(
        &mut reg,
        &p,
        &c,
        case_id("H1/2"),
        poor(1),
        d(2018, 10, 8),
        &fa,
    )
    .unwrap();
    assert_eq!(reg.episodes_of(&hh).len(), 2);
    assert_eq!(reg.get(&case_id("H1/1")).unwrap(), &first);
    assert_eq!(
        reg.status_on(&hh, d(2018, 6, 1)),
        Some(ArchiveStatus::Active)
    );
    assert_eq!(
        reg.status_on(&hh, d(2018, 8, 1)),
        Some(ArchiveStatus::ExitedHardship)
    );
    assert_eq!(
        reg.status_on(&hh, d(2018, 10, 9)),
        Some(ArchiveStatus::Pending)
    );
    assert!(reg.is_payable_on(&hh, second_active));
    assert_eq!(reg.open_file_of(&hh).unwrap().id().as_str(), "H1/2");
    assert_eq!(reg.status_on(&hh, d(2018, 1, 1)), None);
}

#[test]
fn many_households_file_through_the_procedure() {
    let p = hainan();
    let c = cal();
    let fa = filing_actors();
    let mut reg = Registry::default();
    for n in 1..=40 {
        let h = household(n, yuan(&format!("{}", 3000 + n * 100)), n % 4);
        file_through_procedure(
            &mut reg,
            &p,
            &c,
            case_id(&format!("H{n}/1")),
            h,
            d(2018, 1, 2),
            &fa,
        )
        .unwrap();
    }
    assert_eq!(reg.len(), 40);
    assert!(
        reg.files()
            .all(|f| f.stage() == Stage::Active && f.is_consistent())
    );
    assert!(!reg.is_empty());
}
