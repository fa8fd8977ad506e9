//! Property tests: legal states only, refused events change nothing, closed files are never
//! payable after their effective date, every reason and flag is labelled.

use bangfu_core::{Labelled, Money};
use bangfu_eligibility::*;
use proptest::prelude::*;

use crate::case_file::event;
use crate::common::*;

/// One step of a random script: which event, whether to use an allowed role, which other
/// role, how many days later, and a variant for payloads and actors.
type Op = (usize, bool, usize, u64, u8);

fn op() -> impl Strategy<Value = Op> {
    (
        0..EventKind::ALL.len(),
        prop::bool::weighted(0.8),
        0..Role::ALL.len(),
        0u64..9,
        0u8..8,
    )
}

/// The kind an op asks for: with an allowed role it picks among the events the stage
/// allows, so scripts go deep; otherwise any kind.
fn kind_of(op: &Op, stage: Stage) -> EventKind {
    let allowed: Vec<EventKind> = EventKind::ALL
        .iter()
        .copied()
        .filter(|k| !allowed_roles(*k, stage).is_empty())
        .collect();
    if op.1 && !allowed.is_empty() {
        allowed[op.0 % allowed.len()]
    } else {
        EventKind::ALL[op.0]
    }
}

fn make(kind: EventKind, stage: Stage, op: &Op, date: chrono::NaiveDate) -> CaseEvent {
    let (_, right, other, _, variant) = *op;
    let role = if right {
        allowed_roles(kind, stage)
            .first()
            .copied()
            .unwrap_or(Role::ALL[other])
    } else {
        Role::ALL[other]
    };
    // Sometimes the preliminary reviewer "g1" tries to approve.
    let person = match (kind, variant % 3) {
        (EventKind::Approve, 0) | (EventKind::PassReview, _) => "g1",
        (EventKind::Approve, _) => "c1",
        _ => "x1",
    };
    let by = actor(person, role);
    match (kind, variant) {
        (EventKind::Object, v) if v % 2 == 1 => CaseEvent::Object {
            by,
            date,
            outcome: ObjectionOutcome::Reject,
            note: "objection".into(),
        },
        (EventKind::Exit, 7) => CaseEvent::Exit {
            by,
            date,
            effective: date,
            reason: ExitReason::Other,
            note: None,
        },
        (EventKind::Cancel, v) => CaseEvent::Cancel {
            by,
            date,
            effective: date + chrono::Days::new(u64::from(v)),
            reason: CancelReason::ALL[usize::from(v) % CancelReason::ALL.len()],
            note: Some("note".into()),
        },
        (EventKind::Withdraw, v) => CaseEvent::Withdraw {
            by,
            date,
            effective: date - chrono::Days::new(u64::from(v)),
            reason: WithdrawReason::DishonestApplication,
            note: None,
            paid: Money::from_yuan(i64::from(v) * 1000).unwrap(),
        },
        (EventKind::RecordUpdated, v) => CaseEvent::RecordUpdated {
            by,
            date,
            record: if v % 2 == 0 {
                RecordKind::Paper
            } else {
                RecordKind::Electronic
            },
        },
        _ => event(kind, by, date),
    }
}

proptest! {
    #![proptest_config(proptest_config(256))]

    #[test]
    fn no_sequence_of_events_produces_an_illegal_state(ops in prop::collection::vec(op(), 1..60)) {
        let p = hainan();
        let c = cal();
        let s = staff();
        let mut f = CaseFile::open(case_id("H1/1"), poor(1), d(2018, 3, 5), s.applicant).unwrap();
        let mut date = d(2018, 3, 5);
        let mut accepted = 0usize;
        for o in &ops {
            date = date + chrono::Days::new(o.3);
            let kind = kind_of(o, f.stage());
            let e = make(kind, f.stage(), o, date);
            let before = f.clone();
            match f.apply(e, &p, &c) {
                Ok(()) => {
                    accepted += 1;
                    prop_assert!(f.is_consistent(), "{:?}", f);
                    prop_assert_eq!(f.history().len(), accepted);
                    // A closed or rejected file never reopens.
                    if !before.stage().is_open() {
                        prop_assert_eq!(before.stage(), f.stage());
                    }
                    if kind == EventKind::Approve {
                        let approver = &f.history().last().unwrap().actor().person;
                        prop_assert!(!f.reviewers().contains(approver));
                    }
                }
                Err(err) => {
                    // A refused event changes nothing, and its error has a code and labels.
                    prop_assert_eq!(&f, &before);
                    prop_assert!(bangfu_core::Coded::code(&err).starts_with("eligibility.") || bangfu_core::Coded::code(&err).starts_with("core."));
                    prop_assert!(!err.zh().is_empty() && !err.en().is_empty());
                }
            }
        }
    }

    #[test]
    fn closed_files_are_never_payable_after_their_effective_date(
        kind in 0usize..3, offset in 0u64..400, later in prop::collection::vec(op(), 0..20), probe in 0u64..2000,
    ) {
        let p = hainan();
        let c = cal();
        let s = staff();
        let (mut f, from) = active_file(1);
        let date = from + chrono::Days::new(offset);
        let close = [EventKind::Exit, EventKind::Cancel, EventKind::Withdraw][kind];
        let mut e = event(close, s.center.clone(), date);
        if let CaseEvent::Exit { effective, .. } | CaseEvent::Cancel { effective, .. } | CaseEvent::Withdraw { effective, .. } = &mut e {
            *effective = from + chrono::Days::new(offset / 2);
        }
        f.apply(e, &p, &c).unwrap();
        let effective = f.closure().unwrap().effective;
        // Whatever comes after, nothing pays after the effective date.
        let mut d2 = date;
        for o in &later {
            d2 = d2 + chrono::Days::new(o.3);
            let _ = f.apply(make(kind_of(o, f.stage()), f.stage(), o, d2), &p, &c);
        }
        prop_assert!(!f.is_payable_on(effective + chrono::Days::new(probe)));
        prop_assert!(!f.is_payable_on(effective));
        if effective > from {
            prop_assert!(f.is_payable_on(effective.pred_opt().unwrap()));
        }
    }

    #[test]
    fn every_reason_of_any_household_is_labelled(
        income in 0i64..60_000, homes in 0u32..4, shops in 0u32..2, employees in 0u32..3,
        fee in 0usize..3, vehicle in prop::option::of(0usize..5), regular in any::<bool>(),
        drop_docs in 0usize..4, ill in any::<bool>(), migrant in any::<bool>(), member in any::<bool>(),
        months in 0u32..24, members in 0u32..4,
    ) {
        let p = hainan();
        let mut h = household(1, Money::from_yuan(income).unwrap(), members.max(1));
        h.assets.homes = homes;
        h.assets.shops = shops;
        h.assets.employees = employees;
        if let Some(m) = h.members.last_mut() {
            m.person.school = Some(Schooling { stage: SchoolStage::SeniorSecondary, fee: SchoolFee::ALL[fee] });
        }
        if let Some(v) = vehicle {
            h.assets.vehicles.push(Vehicle { kind: VehicleKind::ALL[v], regular_use: regular, as_employee: false });
        }
        h.documents.truncate(3 - drop_docs.min(3));
        if ill {
            h.worker.person.health.insert(HealthCondition::MentalIllness);
        }
        h.worker.migrant = migrant;
        h.worker.union_member = member;
        h.worker.contract_months = months;
        let decision = assess(&p, &h, d(2018, 6, 1)).unwrap();
        for r in &decision.reasons {
            prop_assert!(!r.zh.trim().is_empty() && !r.en.trim().is_empty(), "{:?}", r);
            prop_assert!(!r.code.is_empty());
        }
        let substantive = decision.reasons.iter().any(|r| r.kind != ReasonKind::MissingDocument);
        match &decision.outcome {
            Outcome::Eligible { .. } => prop_assert!(decision.reasons.is_empty()),
            Outcome::NotEligible => prop_assert!(substantive),
            Outcome::Incomplete { missing, .. } => {
                prop_assert!(!substantive);
                prop_assert_eq!(missing.len(), decision.reasons.len());
            }
        }
        // More income never makes a household eligible that was not (monotone in income).
        let mut richer = h.clone();
        richer.annual_income = richer.annual_income.checked_add(Money::from_yuan(5000).unwrap()).unwrap();
        let richer_decision = assess(&p, &richer, d(2018, 6, 1)).unwrap();
        if decision.outcome == Outcome::NotEligible {
            prop_assert_eq!(richer_decision.outcome, Outcome::NotEligible);
        }
    }
}

fn labelled<T: Labelled + std::fmt::Debug>(all: &[T]) {
    for v in all {
        assert!(
            !v.zh().trim().is_empty() && !v.en().trim().is_empty(),
            "{v:?}"
        );
    }
}

#[test]
fn every_enumeration_reason_and_flag_has_labels() {
    labelled(ReasonKind::ALL);
    labelled(QualityFlag::ALL);
    labelled(ProposalBasis::ALL);
    labelled(Stage::ALL);
    labelled(EventKind::ALL);
    labelled(Role::ALL);
    labelled(ExitReason::ALL);
    labelled(CancelReason::ALL);
    labelled(WithdrawReason::ALL);
    labelled(ObjectionOutcome::ALL);
    labelled(RecordKind::ALL);
    labelled(CodeKind::ALL);
    labelled(IdProblem::ALL);
    labelled(Relation::ALL);
    labelled(SchoolStage::ALL);
    labelled(SchoolFee::ALL);
    labelled(HealthCondition::ALL);
    labelled(VehicleKind::ALL);
    labelled(HardshipCause::ALL);
    labelled(DocumentKind::ALL);
    labelled(SchemeKind::ALL);
    labelled(HardshipCategory::ALL);
    labelled(Comparison::ALL);
    labelled(PerCapitaBasis::ALL);
    labelled(MembershipRule::ALL);
    labelled(FactKind::ALL);
    labelled(Sex::ALL);
    for (code, zh, en) in ERROR_CODES {
        assert!(!code.is_empty() && !zh.is_empty() && !en.is_empty());
    }
    // Exclusion labels come from data and are checked on load.
    for p in [hainan(), example2020()] {
        for e in &p.exclusions {
            assert!(!e.zh.trim().is_empty() && !e.en.trim().is_empty());
        }
    }
}

/// The random scripts above reach every stage: a deterministic sweep with the same
/// generator shape, so the property is not vacuous.
#[test]
fn random_scripts_reach_every_stage() {
    let p = hainan();
    let c = cal();
    let mut seed: u64 = 0x2018_0624;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((seed >> 33) as usize) % n
    };
    let mut reached = std::collections::BTreeSet::new();
    for _ in 0..400 {
        let mut f =
            CaseFile::open(case_id("H1/1"), poor(1), d(2018, 3, 5), staff().applicant).unwrap();
        let mut date = d(2018, 3, 5);
        for _ in 0..60 {
            // Prefer an event the stage allows, as the weighted generator does.
            let allowed: Vec<usize> = (0..EventKind::ALL.len())
                .filter(|&k| !allowed_roles(EventKind::ALL[k], f.stage()).is_empty())
                .collect();
            let kind = if !allowed.is_empty() && next(10) < 8 {
                allowed[next(allowed.len())]
            } else {
                next(EventKind::ALL.len())
            };
            let o: Op = (
                kind,
                next(10) < 9,
                next(Role::ALL.len()),
                next(9) as u64,
                next(8) as u8,
            );
            date = date + chrono::Days::new(o.3);
            let before = f.clone();
            if f.apply(make(EventKind::ALL[kind], f.stage(), &o, date), &p, &c)
                .is_err()
            {
                assert_eq!(f, before);
            }
            assert!(f.is_consistent());
            reached.insert(f.stage());
        }
    }
    for st in Stage::ALL {
        assert!(reached.contains(st), "{st} never reached");
    }
}
