//! The case file: the seven steps, notices, objections, roles, separation of duties,
//! dynamic management; every forbidden transition and role refused with no change.

use bangfu_core::{ArchiveStatus, Coded, Money, WorkingCalendar};
use bangfu_eligibility::*;
use chrono::NaiveDate;

use crate::common::*;

/// An event of `kind` by `by` on `date`, with ordinary payload.
pub fn event(kind: EventKind, by: Actor, date: NaiveDate) -> CaseEvent {
    match kind {
        EventKind::Apply | EventKind::PassReview => CaseEvent::PassReview { by, date },
        EventKind::RejectAtReview => CaseEvent::RejectAtReview {
            by,
            date,
            note: "income above the line".into(),
        },
        EventKind::StartNotice => CaseEvent::StartNotice { by, date },
        EventKind::Object => CaseEvent::Object {
            by,
            date,
            outcome: ObjectionOutcome::ReturnToReview,
            note: "neighbour says the household owns a shop".into(),
        },
        EventKind::CloseNotice => CaseEvent::CloseNotice { by, date },
        EventKind::File => CaseEvent::File { by, date },
        EventKind::Approve => CaseEvent::Approve { by, date },
        EventKind::StartReNotice => CaseEvent::StartReNotice { by, date },
        EventKind::Activate => CaseEvent::Activate { by, date },
        EventKind::Exit => CaseEvent::Exit {
            by,
            date,
            effective: date,
            reason: ExitReason::Reemployed,
            note: None,
        },
        EventKind::Cancel => CaseEvent::Cancel {
            by,
            date,
            effective: date,
            reason: CancelReason::Retired,
            note: None,
        },
        EventKind::Withdraw => CaseEvent::Withdraw {
            by,
            date,
            effective: date,
            reason: WithdrawReason::DishonestApplication,
            note: None,
            paid: Money::from_yuan(3200).unwrap(),
        },
        EventKind::Review => CaseEvent::Review { by, date },
        EventKind::RecordUpdated => CaseEvent::RecordUpdated {
            by,
            date,
            record: RecordKind::Paper,
        },
        EventKind::UpdateFacts => CaseEvent::UpdateFacts {
            by,
            date,
            household: Box::new(poor(1)),
        },
        EventKind::RecoveryCollected => CaseEvent::RecoveryCollected { by, date },
    }
}

/// A file of household 1 in every stage.
pub fn files_in_every_stage() -> Vec<CaseFile> {
    let p = hainan();
    let c = cal();
    let s = staff();
    let steps = seven_steps(&s, d(2018, 3, 5));
    let mut out = Vec::new();
    let mut f =
        CaseFile::open(case_id("H1/1"), poor(1), d(2018, 3, 5), s.applicant.clone()).unwrap();
    out.push(f.clone());
    for e in steps {
        f.apply(e, &p, &c).unwrap();
        out.push(f.clone());
    }
    let active = f.clone();
    for kind in [EventKind::Exit, EventKind::Cancel, EventKind::Withdraw] {
        let mut g = active.clone();
        g.apply(event(kind, s.center.clone(), d(2018, 5, 2)), &p, &c)
            .unwrap();
        out.push(g);
    }
    let mut r = out[0].clone();
    r.apply(
        event(
            EventKind::RejectAtReview,
            s.grassroots.clone(),
            d(2018, 3, 6),
        ),
        &p,
        &c,
    )
    .unwrap();
    out.push(r);
    let stages: Vec<Stage> = out.iter().map(CaseFile::stage).collect();
    for st in Stage::ALL {
        assert!(stages.contains(st), "no file in {st}");
    }
    out
}

#[test]
fn the_seven_steps_make_a_file_active() {
    let (f, from) = active_file(1);
    assert_eq!(f.stage(), Stage::Active);
    assert_eq!(from, d(2018, 3, 26));
    assert_eq!(f.status_on(d(2018, 3, 4)), None);
    assert_eq!(f.status_on(d(2018, 3, 5)), Some(ArchiveStatus::Pending));
    assert_eq!(f.status_on(d(2018, 3, 25)), Some(ArchiveStatus::Pending));
    assert_eq!(f.status_on(d(2018, 3, 26)), Some(ArchiveStatus::Active));
    assert!(!f.is_payable_on(d(2018, 3, 25)));
    assert!(f.is_payable_on(d(2030, 1, 1)));
    assert_eq!(
        f.proposal(),
        Some((
            HardshipCategory::Subsistence,
            bangfu_core::ArchiveTier::National
        ))
    );
    assert_eq!(f.history().len(), 7);
    assert!(f.is_consistent());
    // Replaying the history gives the same file.
    let s = staff();
    let again = CaseFile::replay(
        case_id("H1/1"),
        poor(1),
        d(2018, 3, 5),
        s.applicant,
        f.history().to_vec(),
        &hainan(),
        &cal(),
    )
    .unwrap();
    assert_eq!(again, f);
    // Events serialise.
    let json = serde_json::to_string(f.history()).unwrap();
    let back: Vec<CaseEvent> = serde_json::from_str(&json).unwrap();
    assert_eq!(back, f.history());
}

#[test]
fn every_forbidden_transition_is_refused_unchanged() {
    let p = hainan();
    let c = cal();
    let mut refused = 0;
    for f in files_in_every_stage() {
        for kind in EventKind::ALL
            .iter()
            .copied()
            .filter(|k| *k != EventKind::Apply)
        {
            if !allowed_roles(kind, f.stage()).is_empty() {
                continue;
            }
            for role in Role::ALL {
                let mut g = f.clone();
                let err = g
                    .apply(event(kind, actor("x", *role), d(2018, 6, 1)), &p, &c)
                    .unwrap_err();
                assert_eq!(
                    err.code(),
                    "eligibility.case.wrong_stage",
                    "{kind} in {}",
                    f.stage()
                );
                assert_eq!(
                    err,
                    EligibilityError::WrongStage {
                        event: kind,
                        stage: f.stage()
                    }
                );
                assert_eq!(g, f, "{kind} changed a {} file", f.stage());
                refused += 1;
            }
        }
    }
    assert!(refused > 500, "{refused}");
}

#[test]
fn every_wrong_role_is_refused_unchanged() {
    let p = hainan();
    let c = cal();
    let mut refused = 0;
    for f in files_in_every_stage() {
        for kind in EventKind::ALL.iter().copied() {
            let allowed = allowed_roles(kind, f.stage());
            if allowed.is_empty() {
                continue;
            }
            for role in Role::ALL.iter().filter(|r| !allowed.contains(r)) {
                let mut g = f.clone();
                let err = g
                    .apply(event(kind, actor("x", *role), d(2018, 6, 1)), &p, &c)
                    .unwrap_err();
                assert_eq!(
                    err.code(),
                    "eligibility.case.role_not_allowed",
                    "{kind} by {role} in {}",
                    f.stage()
                );
                assert_eq!(g, f);
                refused += 1;
            }
        }
    }
    assert!(refused > 40, "{refused}");
    // Opening needs the applicant.
    let err = CaseFile::open(
        case_id("H1/1"),
        poor(1),
        d(2018, 3, 5),
        actor("g", Role::GrassrootsUnion),
    )
    .unwrap_err();
    assert_eq!(err.code(), "eligibility.case.role_not_allowed");
}

#[test]
fn the_roles_of_each_step() {
    use EventKind as E;
    use Role as R;
    assert_eq!(
        allowed_roles(E::PassReview, Stage::Applied),
        [R::GrassrootsUnion]
    );
    assert_eq!(
        allowed_roles(E::File, Stage::NoticeCompleted),
        [R::IndustrialUnion]
    );
    assert_eq!(allowed_roles(E::Approve, Stage::Filed), [R::AidCenter]);
    assert_eq!(
        allowed_roles(E::Activate, Stage::InReNotice),
        [R::AidCenter]
    );
    assert_eq!(
        allowed_roles(E::RecoveryCollected, Stage::Withdrawn),
        [R::Finance]
    );
    assert!(allowed_roles(E::Exit, Stage::Active).contains(&R::AidCenter));
    assert!(!allowed_roles(E::Exit, Stage::Active).contains(&R::Applicant));
}

#[test]
fn the_preliminary_reviewer_cannot_approve() {
    let p = hainan();
    let c = cal();
    let s = staff();
    let mut f =
        CaseFile::open(case_id("H1/1"), poor(1), d(2018, 3, 5), s.applicant.clone()).unwrap();
    let steps = seven_steps(&s, d(2018, 3, 5));
    for e in steps.iter().take(4) {
        f.apply(e.clone(), &p, &c).unwrap();
    }
    assert_eq!(f.stage(), Stage::Filed);
    // The same person id as the reviewer, now acting for the aid center.
    let same = actor("g1", Role::AidCenter);
    let before = f.clone();
    let err = f
        .apply(
            CaseEvent::Approve {
                by: same,
                date: d(2018, 3, 16),
            },
            &p,
            &c,
        )
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.case.separation_of_duties");
    assert_eq!(f, before);
    f.apply(
        CaseEvent::Approve {
            by: s.center.clone(),
            date: d(2018, 3, 16),
        },
        &p,
        &c,
    )
    .unwrap();
    assert_eq!(f.stage(), Stage::Approved);
}

#[test]
fn a_notice_lasts_its_working_days_and_cannot_end_early() {
    let p = hainan();
    let s = staff();
    // National Day week: holidays push the end out.
    let c = WorkingCalendar::new(
        (1..=5).map(|day| d(2018, 10, day)),
        [d(2018, 9, 29), d(2018, 9, 30)],
    )
    .covering([2018]);
    let mut f = CaseFile::open(
        case_id("H1/1"),
        poor(1),
        d(2018, 9, 25),
        s.applicant.clone(),
    )
    .unwrap();
    f.apply(
        CaseEvent::PassReview {
            by: s.grassroots.clone(),
            date: d(2018, 9, 26),
        },
        &p,
        &c,
    )
    .unwrap();
    f.apply(
        CaseEvent::StartNotice {
            by: s.grassroots.clone(),
            date: d(2018, 9, 27),
        },
        &p,
        &c,
    )
    .unwrap();
    // 27 Sep + 5 working days: 28, 29 (make-up), 30 (make-up), 8, 9 October.
    assert_eq!(f.notice().unwrap().until, d(2018, 10, 9));
    for early in [d(2018, 9, 27), d(2018, 10, 1), d(2018, 10, 8)] {
        let before = f.clone();
        let err = f
            .apply(
                CaseEvent::CloseNotice {
                    by: s.grassroots.clone(),
                    date: early,
                },
                &p,
                &c,
            )
            .unwrap_err();
        assert_eq!(
            err,
            EligibilityError::NoticeNotOver {
                date: early,
                until: d(2018, 10, 9)
            }
        );
        assert_eq!(f, before);
    }
    f.apply(
        CaseEvent::CloseNotice {
            by: s.grassroots.clone(),
            date: d(2018, 10, 9),
        },
        &p,
        &c,
    )
    .unwrap();
    assert_eq!(f.stage(), Stage::NoticeCompleted);
    // The policy's number: the example file's 7 days from 2023.
    let p7 = example2020();
    let mut g =
        CaseFile::open(case_id("H2/1"), poor(2), d(2023, 3, 6), s.applicant.clone()).unwrap();
    g.apply(
        CaseEvent::PassReview {
            by: s.grassroots.clone(),
            date: d(2023, 3, 6),
        },
        &p7,
        &cal(),
    )
    .unwrap();
    g.apply(
        CaseEvent::StartNotice {
            by: s.grassroots.clone(),
            date: d(2023, 3, 6),
        },
        &p7,
        &cal(),
    )
    .unwrap();
    assert_eq!(g.notice().unwrap().until, d(2023, 3, 15));
}

#[test]
fn objections_during_the_notice() {
    let p = hainan();
    let c = cal();
    let s = staff();
    let mut f =
        CaseFile::open(case_id("H1/1"), poor(1), d(2018, 3, 5), s.applicant.clone()).unwrap();
    let steps = seven_steps(&s, d(2018, 3, 5));
    f.apply(steps[0].clone(), &p, &c).unwrap();
    f.apply(steps[1].clone(), &p, &c).unwrap();
    let in_notice = f.clone();
    // Back to review.
    f.apply(
        event(EventKind::Object, s.grassroots.clone(), d(2018, 3, 8)),
        &p,
        &c,
    )
    .unwrap();
    assert_eq!(f.stage(), Stage::Applied);
    assert_eq!(f.proposal(), None);
    assert!(f.is_consistent());
    // A second reviewer passes it; neither reviewer may approve.
    f.apply(
        CaseEvent::PassReview {
            by: s.grassroots2.clone(),
            date: d(2018, 3, 9),
        },
        &p,
        &c,
    )
    .unwrap();
    assert_eq!(f.reviewers().len(), 2);
    // Rejected by an objection.
    let mut g = in_notice.clone();
    g.apply(
        CaseEvent::Object {
            by: s.grassroots.clone(),
            date: d(2018, 3, 14),
            outcome: ObjectionOutcome::Reject,
            note: "owns a shop".into(),
        },
        &p,
        &c,
    )
    .unwrap();
    assert_eq!(g.stage(), Stage::Rejected);
    assert_eq!(g.status_on(d(2018, 3, 14)), Some(ArchiveStatus::Rejected));
    assert_eq!(g.status_on(d(2018, 3, 13)), Some(ArchiveStatus::Pending));
    // After the notice's last day an objection is out of time.
    let mut h = in_notice.clone();
    let err = h
        .apply(
            event(EventKind::Object, s.grassroots.clone(), d(2018, 3, 15)),
            &p,
            &c,
        )
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.case.outside_notice");
    assert_eq!(h, in_notice);
    // Objection during the second notice, by the aid center.
    let (active, _) = active_file(2);
    let mut k =
        CaseFile::open(case_id("H2/1"), poor(2), d(2018, 3, 5), s.applicant.clone()).unwrap();
    for e in steps.iter().take(6) {
        k.apply(e.clone(), &p, &c).unwrap();
    }
    assert_eq!(k.stage(), Stage::InReNotice);
    k.apply(
        event(EventKind::Object, s.center.clone(), d(2018, 3, 20)),
        &p,
        &c,
    )
    .unwrap();
    assert_eq!(k.stage(), Stage::Applied);
    assert_ne!(k, active);
}

#[test]
fn a_review_refuses_an_ineligible_household() {
    let p = hainan();
    let c = cal();
    let s = staff();
    let mut h = poor(1);
    h.assets.homes = 2;
    let mut f = CaseFile::open(case_id("H1/1"), h, d(2018, 3, 5), s.applicant.clone()).unwrap();
    let before = f.clone();
    let err = f
        .apply(
            CaseEvent::PassReview {
                by: s.grassroots.clone(),
                date: d(2018, 3, 6),
            },
            &p,
            &c,
        )
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.case.not_eligible");
    assert_eq!(f, before);
    let mut g = CaseFile::open(
        case_id("H2/1"),
        {
            let mut h = poor(2);
            h.documents.clear();
            h
        },
        d(2018, 3, 5),
        s.applicant,
    )
    .unwrap();
    let err = g
        .apply(
            CaseEvent::PassReview {
                by: s.grassroots,
                date: d(2018, 3, 6),
            },
            &p,
            &c,
        )
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.case.not_eligible");
}

#[test]
fn events_out_of_date_order_are_refused() {
    let p = hainan();
    let c = cal();
    let s = staff();
    let mut f =
        CaseFile::open(case_id("H1/1"), poor(1), d(2018, 3, 5), s.applicant.clone()).unwrap();
    let before = f.clone();
    let err = f
        .apply(
            CaseEvent::PassReview {
                by: s.grassroots.clone(),
                date: d(2018, 3, 4),
            },
            &p,
            &c,
        )
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.case.date_out_of_order");
    assert_eq!(f, before);
}

#[test]
fn exit_cancel_withdraw_with_reasons_and_dates() {
    let p = hainan();
    let c = cal();
    let s = staff();
    let (active, from) = active_file(1);
    // Exit, effective earlier than recorded.
    let mut f = active.clone();
    f.apply(
        CaseEvent::Exit {
            by: s.center.clone(),
            date: d(2018, 9, 3),
            effective: d(2018, 8, 1),
            reason: ExitReason::ChildGraduatedEmployed,
            note: None,
        },
        &p,
        &c,
    )
    .unwrap();
    assert_eq!(f.stage(), Stage::Exited);
    assert!(f.is_payable_on(d(2018, 7, 31)));
    assert!(!f.is_payable_on(d(2018, 8, 1)));
    assert_eq!(
        f.status_on(d(2018, 8, 1)),
        Some(ArchiveStatus::ExitedHardship)
    );
    assert_eq!(f.closure().unwrap().reason, "exit.child_graduated_employed");
    // Effective before the file was active: refused.
    let mut g = active.clone();
    let err = g
        .apply(
            CaseEvent::Cancel {
                by: s.center.clone(),
                date: d(2018, 9, 3),
                effective: from.pred_opt().unwrap(),
                reason: CancelReason::Deceased,
                note: None,
            },
            &p,
            &c,
        )
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.case.date_out_of_order");
    assert_eq!(g, active);
    // Withdrawal yields a recovery order for what was paid; finance records its collection.
    let mut w = active.clone();
    w.apply(
        CaseEvent::Withdraw {
            by: s.center.clone(),
            date: d(2018, 10, 8),
            effective: d(2018, 4, 1),
            reason: WithdrawReason::DishonestApplication,
            note: None,
            paid: yuan("3182.24"),
        },
        &p,
        &c,
    )
    .unwrap();
    let order = w.recovery_order().unwrap();
    assert_eq!(order.amount, yuan("3182.24"));
    assert_eq!(order.household.as_str(), "H1");
    assert_eq!(order.collected, None);
    assert!(!w.is_payable_on(d(2018, 4, 1)));
    w.apply(
        CaseEvent::RecoveryCollected {
            by: s.finance.clone(),
            date: d(2018, 11, 1),
        },
        &p,
        &c,
    )
    .unwrap();
    assert_eq!(w.recovery_order().unwrap().collected, Some(d(2018, 11, 1)));
    let before = w.clone();
    let err = w
        .apply(
            CaseEvent::RecoveryCollected {
                by: s.finance.clone(),
                date: d(2018, 11, 2),
            },
            &p,
            &c,
        )
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.case.wrong_stage");
    assert_eq!(w, before);
}

#[test]
fn other_without_a_note_cannot_be_recorded() {
    let p = hainan();
    let c = cal();
    let s = staff();
    let (active, _) = active_file(1);
    let date = d(2018, 6, 1);
    let by = s.center.clone();
    let tries = |note: Option<String>| {
        vec![
            CaseEvent::Exit {
                by: by.clone(),
                date,
                effective: date,
                reason: ExitReason::Other,
                note: note.clone(),
            },
            CaseEvent::Cancel {
                by: by.clone(),
                date,
                effective: date,
                reason: CancelReason::Other,
                note: note.clone(),
            },
            CaseEvent::Withdraw {
                by: by.clone(),
                date,
                effective: date,
                reason: WithdrawReason::Other,
                note,
                paid: Money::ZERO,
            },
        ]
    };
    for note in [None, Some(String::new()), Some("   ".into())] {
        for e in tries(note) {
            let mut f = active.clone();
            let err = f.apply(e, &p, &c).unwrap_err();
            assert_eq!(err.code(), "eligibility.case.note_required");
            assert_eq!(f, active);
        }
    }
    for e in tries(Some("moved abroad with family".into())) {
        let mut f = active.clone();
        f.apply(e, &p, &c).unwrap();
        assert_eq!(
            f.closure().unwrap().note.as_deref(),
            Some("moved abroad with family")
        );
    }
}

#[test]
fn facts_updates_keep_the_household() {
    let p = hainan();
    let c = cal();
    let s = staff();
    let (active, _) = active_file(1);
    let mut f = active.clone();
    let err = f
        .apply(
            CaseEvent::UpdateFacts {
                by: s.center.clone(),
                date: d(2018, 6, 1),
                household: Box::new(poor(2)),
            },
            &p,
            &c,
        )
        .unwrap_err();
    assert_eq!(err.code(), "eligibility.registry.household_mismatch");
    assert_eq!(f, active);
    let mut newer = poor(1);
    newer.annual_income = yuan("7000");
    f.apply(
        CaseEvent::UpdateFacts {
            by: s.center.clone(),
            date: d(2018, 6, 1),
            household: Box::new(newer.clone()),
        },
        &p,
        &c,
    )
    .unwrap();
    assert_eq!(f.household(), &newer);
    f.apply(
        CaseEvent::Review {
            by: s.grassroots.clone(),
            date: d(2018, 6, 2),
        },
        &p,
        &c,
    )
    .unwrap();
    assert_eq!(f.last_review(), Some(d(2018, 6, 2)));
}

#[test]
fn status_history_is_strictly_increasing() {
    let p = hainan();
    let c = cal();
    let s = staff();
    let (mut f, from) = active_file(1);
    assert_eq!(
        f.status_history(),
        vec![
            (d(2018, 3, 5), ArchiveStatus::Pending),
            (from, ArchiveStatus::Active)
        ]
    );
    // A closure effective on the activation day replaces Active on that day.
    f.apply(
        CaseEvent::Cancel {
            by: s.center,
            date: d(2018, 4, 2),
            effective: from,
            reason: CancelReason::Deceased,
            note: None,
        },
        &p,
        &c,
    )
    .unwrap();
    let h = f.status_history();
    assert_eq!(
        h,
        vec![
            (d(2018, 3, 5), ArchiveStatus::Pending),
            (from, ArchiveStatus::Cancelled)
        ]
    );
    assert!(h.windows(2).all(|w| w[0].0 < w[1].0));
    for (date, status) in h {
        assert_eq!(f.status_on(date), Some(status));
    }
}

#[test]
fn household_helpers_for_the_aid_crate() {
    let h = Household::example().unwrap();
    assert!(h.anyone_has(HealthCondition::MajorIllness));
    assert!(!h.anyone_has(HealthCondition::MentalIllness));
    let students: Vec<_> = h
        .students()
        .map(|(p, s)| (p.as_str().to_owned(), s))
        .collect();
    assert_eq!(
        students,
        [("HK-0001-c".to_owned(), SchoolStage::SeniorSecondary)]
    );
}

/// A notice started on `start` under the national calendar (the State Council's notices) ends
/// on `until`: the file's window says so, the calendar agrees, closing on each of `early` is
/// refused with that end and leaves the file as it was, and closing on `until` is accepted.
fn a_national_notice_ends_on(start: NaiveDate, until: NaiveDate, early: &[NaiveDate]) {
    let s = staff();
    let p = hainan();
    let cal = WorkingCalendar::china().unwrap();
    let mut f = CaseFile::open(case_id("H1/1"), poor(1), start, s.applicant.clone()).unwrap();
    let by = || s.grassroots.clone();
    f.apply(
        CaseEvent::PassReview {
            by: by(),
            date: start,
        },
        &p,
        &cal,
    )
    .unwrap();
    f.apply(
        CaseEvent::StartNotice {
            by: by(),
            date: start,
        },
        &p,
        &cal,
    )
    .unwrap();
    assert_eq!(f.notice().unwrap().until, until);
    assert_eq!(cal.add_working_days(start, 5).unwrap(), until);
    for date in early {
        let before = f.clone();
        let err = f
            .apply(
                CaseEvent::CloseNotice {
                    by: by(),
                    date: *date,
                },
                &p,
                &cal,
            )
            .unwrap_err();
        assert_eq!(err, EligibilityError::NoticeNotOver { date: *date, until });
        assert_eq!(f, before);
    }
    f.apply(
        CaseEvent::CloseNotice {
            by: by(),
            date: until,
        },
        &p,
        &cal,
    )
    .unwrap();
    assert_eq!(f.stage(), Stage::NoticeCompleted);
}

#[test]
fn a_notice_started_2018_02_12_ends_on_the_national_calendars_date() {
    // Spring Festival 2018 (国办发明电〔2017〕12号): 15–21 February off, Sunday 11 and Saturday
    // 24 February worked. Five working days from Monday 12 February: 13, 14, 22, 23, 24.
    // 19 February is the weekdays-only answer; 23 February is a day short.
    let early = [d(2018, 2, 19), d(2018, 2, 21), d(2018, 2, 23)];
    a_national_notice_ends_on(d(2018, 2, 12), d(2018, 2, 24), &early);
}

#[test]
fn a_notice_across_national_day_2019_ends_on_the_national_calendars_date() {
    // National Day 2019 (国办发明电〔2018〕15号): 1–7 October off, Sunday 29 September and
    // Saturday 12 October worked. Five working days from Friday 27 September: 29, 30 September,
    // 8, 9, 10 October. 4 October is the weekdays-only answer.
    let early = [d(2019, 10, 4), d(2019, 10, 7), d(2019, 10, 9)];
    a_national_notice_ends_on(d(2019, 9, 27), d(2019, 10, 10), &early);
}

#[test]
fn a_notice_into_a_year_without_calendar_data_is_refused() {
    // The national data ends with 2026: a notice from Monday 28 December 2026 would count days
    // of 2027, so it is refused rather than counted on weekdays only.
    let start = d(2026, 12, 28);
    let s = staff();
    let cal = WorkingCalendar::china().unwrap();
    let mut f = CaseFile::open(case_id("H1/1"), poor(1), start, s.applicant.clone()).unwrap();
    let by = s.grassroots.clone();
    f.apply(CaseEvent::PassReview { by, date: start }, &hainan(), &cal)
        .unwrap();
    let before = f.clone();
    let by = s.grassroots.clone();
    let err = f
        .apply(CaseEvent::StartNotice { by, date: start }, &hainan(), &cal)
        .unwrap_err();
    assert_eq!(err.code(), "core.calendar.no_data");
    assert_eq!(
        err,
        EligibilityError::Core(bangfu_core::CoreError::NoCalendarData { year: 2027 })
    );
    assert_eq!(f, before);
}
