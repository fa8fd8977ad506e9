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

#[test]
fn nine_hundred_sixty_six_households_file_quickly() {
    let p = hainan();
    let c = cal();
    let fa = filing_actors();
    let mut reg = Registry::default();
    let started = std::time::Instant::now();
    for n in 1..=966 {
        let h = household(n, yuan(&format!("{}", 2000 + (n % 50) * 100)), n % 5);
        file_through_procedure(
            &mut reg,
            &p,
            &c,
            case_id(&format!("H{n}/1")),
            h,
            d(2017, 12, 1),
            &fa,
        )
        .unwrap();
    }
    assert_eq!(reg.len(), 966);
    let persons: usize = reg.files().map(|f| f.household().size() as usize).sum();
    assert_eq!(
        persons,
        966 + (1..=966u32).map(|n| (n % 5) as usize).sum::<usize>()
    );
    for f in reg.files() {
        assert!(
            f.is_payable_on(d(2018, 1, 1)) && f.is_payable_on(d(2018, 12, 31)),
            "{}",
            f.id()
        );
    }
    assert!(started.elapsed().as_secs() < 60, "{:?}", started.elapsed());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Households 1–4; household 4 lists household 1's spouse, so the two can never both be open.
    fn the_household(n: u32) -> Household {
        let mut h = poor(n);
        if n == 4 {
            h.members.push(poor(1).members[0].clone());
        }
        h
    }

    #[derive(Debug, Clone)]
    enum Op {
        Open(u32),
        FileThrough(u32),
        Close(usize, u8),
    }

    fn op() -> impl Strategy<Value = Op> {
        prop_oneof![
            (1u32..5).prop_map(Op::Open),
            (1u32..5).prop_map(Op::FileThrough),
            (0usize..20, 0u8..3).prop_map(|(i, k)| Op::Close(i, k)),
        ]
    }

    fn invariants(reg: &Registry) -> Result<(), TestCaseError> {
        let open: Vec<&CaseFile> = reg.files().filter(|f| f.stage().is_open()).collect();
        for (i, a) in open.iter().enumerate() {
            for b in open.iter().skip(i + 1) {
                prop_assert_ne!(&a.household().id, &b.household().id);
                for p in a.household().persons() {
                    prop_assert!(b.household().persons().all(|q| q.id_number != p.id_number));
                }
            }
        }
        for f in reg.files() {
            prop_assert!(f.is_consistent());
        }
        Ok(())
    }

    /// The registry's look-ups by household (kept in indexes) agree with a scan of its
    /// files in id order, the reference.
    fn lookups_agree(reg: &Registry, dates: &[chrono::NaiveDate]) -> Result<(), TestCaseError> {
        for n in 1u32..6 {
            let h = the_household(n.min(4)).id;
            let h = if n == 5 {
                "H-unknown".parse().unwrap()
            } else {
                h
            };
            let scan: Vec<&CaseFile> = reg.files().filter(|f| f.household().id == h).collect();
            let open = scan.iter().find(|f| f.stage().is_open()).map(|f| f.id());
            prop_assert_eq!(reg.open_file_of(&h).map(|f| f.id()), open);
            let mut episodes = scan.clone();
            episodes.sort_by_key(|f| (f.applied_on(), f.id().clone()));
            let ids = |v: &[&CaseFile]| v.iter().map(|f| f.id().clone()).collect::<Vec<_>>();
            prop_assert_eq!(ids(&reg.episodes_of(&h)), ids(&episodes));
            for &day in dates {
                prop_assert_eq!(
                    reg.is_payable_on(&h, day),
                    scan.iter().any(|f| f.is_payable_on(day))
                );
                let status = episodes.iter().rev().find_map(|f| f.status_on(day));
                prop_assert_eq!(reg.status_on(&h, day), status);
            }
        }
        Ok(())
    }

    proptest! {
        #![proptest_config(proptest_config(64))]
        #[test]
        fn one_open_file_per_household_and_person(ops in prop::collection::vec(op(), 1..25)) {
            let p = hainan();
            let c = cal();
            let fa = filing_actors();
            let s = staff();
            let mut reg = Registry::default();
            let mut date = d(2018, 1, 1);
            let mut episode = 0u32;
            for o in ops {
                date = c.add_working_days(date, 20).unwrap();
                episode += 1;
                let before = reg.clone();
                let result = match o {
                    Op::Open(n) => reg
                        .open(case_id(&format!("H{n}/{episode}")), the_household(n), date, s.applicant.clone())
                        .map(|_| ()),
                    Op::FileThrough(n) => file_through_procedure(
                        &mut reg, &p, &c, case_id(&format!("H{n}/{episode}")), the_household(n), date, &fa,
                    )
                    .map(|_| ()),
                    Op::Close(i, k) => {
                        let ids: Vec<bangfu_core::CaseId> = reg.files().map(|f| f.id().clone()).collect();
                        match ids.get(i % ids.len().max(1)) {
                            Some(id) => {
                                let kind = [EventKind::Exit, EventKind::Cancel, EventKind::Withdraw][usize::from(k)];
                                reg.apply(id, crate::case_file::event(kind, s.center.clone(), date), &p, &c).map(|_| ())
                            }
                            None => Ok(()),
                        }
                    }
                };
                if let Err(e) = &result {
                    // Opening refusals change nothing (filing through may stop part-way by design).
                    if matches!(o, Op::Open(_) | Op::Close(..)) {
                        prop_assert_eq!(&reg, &before, "{}", e);
                    }
                }
                invariants(&reg)?;
                lookups_agree(&reg, &[d(2018, 1, 1), date, c.add_working_days(date, 30).unwrap()])?;
            }
        }
    }
}
