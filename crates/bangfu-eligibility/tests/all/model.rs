//! An independent reference model of the case file, written from `docs/eligibility.md`
//! ("The case file", "Who takes each step") and the doc comments, compared with the library
//! event by event over random scripts.
//!
//! The model has its own stages, its own role table written out by hand, its own separation
//! of duties, its own notice-window arithmetic (it counts working days itself on the
//! calendar the script draws), its own "reason other needs a note" and its own dated status
//! history. The scripts are drawn from the model's state only, never from the library's
//! tables: any actor (role and person, persons repeated across roles), dates in and out of
//! order and on either side of a notice's last day, any reason and note (missing, empty,
//! blank, or text). After every event both must accept, or both refuse with the same error;
//! after an accepted event the stage, status and everything the file records must agree,
//! and after a refused one the library's file must be unchanged.
//!
//! `PROPTEST_CASES` sets the number of scripts (256 when unset). The mutation check,
//! `tests/mutants.sh`, removes one rule at a time from the library and expects
//! `model::the_library_follows_the_model` to fail.

use std::collections::{BTreeMap, BTreeSet};

use bangfu_core::{ArchiveStatus, CitationId, Coded, Dated, Money, PersonId, Timeline};
use bangfu_core::{CaseId, HouseholdId, WorkingCalendar};
use bangfu_eligibility::*;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{TestCaseError, TestRunner};

use crate::common::*;

// ---------------------------------------------------------------------------------------
// The model's own vocabulary.

/// Where a file stands (the docs' diagram).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum St {
    Applied,
    Reviewed,
    InNotice,
    NoticeCompleted,
    Filed,
    Approved,
    InReNotice,
    Active,
    Exited,
    Cancelled,
    Withdrawn,
    Rejected,
}

const EVERY_STAGE: [St; 12] = [
    St::Applied,
    St::Reviewed,
    St::InNotice,
    St::NoticeCompleted,
    St::Filed,
    St::Approved,
    St::InReNotice,
    St::Active,
    St::Exited,
    St::Cancelled,
    St::Withdrawn,
    St::Rejected,
];

/// Who acts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Applicant,
    Grassroots,
    Industrial,
    Center,
    Finance,
}

const EVERYONE: [Who; 5] = [
    Who::Applicant,
    Who::Grassroots,
    Who::Industrial,
    Who::Center,
    Who::Finance,
];

/// The steps after opening.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Step {
    PassReview,
    RejectAtReview,
    StartNotice,
    Object,
    CloseNotice,
    File,
    Approve,
    StartReNotice,
    Activate,
    Exit,
    Cancel,
    Withdraw,
    Review,
    RecordUpdated,
    UpdateFacts,
    RecoveryCollected,
}

const EVERY_STEP: [Step; 16] = [
    Step::PassReview,
    Step::RejectAtReview,
    Step::StartNotice,
    Step::Object,
    Step::CloseNotice,
    Step::File,
    Step::Approve,
    Step::StartReNotice,
    Step::Activate,
    Step::Exit,
    Step::Cancel,
    Step::Withdraw,
    Step::Review,
    Step::RecordUpdated,
    Step::UpdateFacts,
    Step::RecoveryCollected,
];

/// The role table, written out by hand from the docs ("Who takes each step"): each step,
/// the stages it is allowed in, and who may take it there. Nothing else is allowed.
const TABLE: &[(Step, &[St], &[Who])] = {
    use St::*;
    use Who::*;
    &[
        (Step::PassReview, &[Applied], &[Grassroots]),
        (Step::RejectAtReview, &[Applied], &[Grassroots]),
        (Step::StartNotice, &[Reviewed], &[Grassroots]),
        (Step::Object, &[InNotice], &[Grassroots]),
        (Step::CloseNotice, &[InNotice], &[Grassroots]),
        (Step::File, &[NoticeCompleted], &[Industrial]),
        (Step::Approve, &[Filed], &[Center]),
        (Step::StartReNotice, &[Approved], &[Center]),
        (Step::Object, &[InReNotice], &[Center]),
        (Step::Activate, &[InReNotice], &[Center]),
        (Step::Exit, &[Active], &[Industrial, Center]),
        (Step::Cancel, &[Active], &[Industrial, Center]),
        (Step::Withdraw, &[Active], &[Center]),
        (Step::Review, &[Active], &[Grassroots, Industrial, Center]),
        (
            Step::UpdateFacts,
            &[Active],
            &[Grassroots, Industrial, Center],
        ),
        (
            Step::RecordUpdated,
            &[
                Filed, Approved, InReNotice, Active, Exited, Cancelled, Withdrawn,
            ],
            &[Industrial, Center],
        ),
        (Step::RecoveryCollected, &[Withdrawn], &[Finance]),
    ]
};

/// Who may take `step` in `st`; `None` when the step is not allowed there at all.
fn who_may(step: Step, st: St) -> Option<&'static [Who]> {
    TABLE
        .iter()
        .find(|(s, stages, _)| *s == step && stages.contains(&st))
        .map(|(_, _, who)| *who)
}

/// The archive status of each stage, by hand.
fn status_of(st: St) -> ArchiveStatus {
    match st {
        St::Active => ArchiveStatus::Active,
        St::Exited => ArchiveStatus::ExitedHardship,
        St::Cancelled => ArchiveStatus::Cancelled,
        St::Withdrawn => ArchiveStatus::Withdrawn,
        St::Rejected => ArchiveStatus::Rejected,
        _ => ArchiveStatus::Pending,
    }
}

// Translations of the model's names into the library's (names only, no rules).

fn lib_stage(st: St) -> Stage {
    match st {
        St::Applied => Stage::Applied,
        St::Reviewed => Stage::Reviewed,
        St::InNotice => Stage::InNotice,
        St::NoticeCompleted => Stage::NoticeCompleted,
        St::Filed => Stage::Filed,
        St::Approved => Stage::Approved,
        St::InReNotice => Stage::InReNotice,
        St::Active => Stage::Active,
        St::Exited => Stage::Exited,
        St::Cancelled => Stage::Cancelled,
        St::Withdrawn => Stage::Withdrawn,
        St::Rejected => Stage::Rejected,
    }
}

fn lib_role(who: Who) -> Role {
    match who {
        Who::Applicant => Role::Applicant,
        Who::Grassroots => Role::GrassrootsUnion,
        Who::Industrial => Role::IndustrialUnion,
        Who::Center => Role::AidCenter,
        Who::Finance => Role::Finance,
    }
}

fn lib_kind(step: Step) -> EventKind {
    match step {
        Step::PassReview => EventKind::PassReview,
        Step::RejectAtReview => EventKind::RejectAtReview,
        Step::StartNotice => EventKind::StartNotice,
        Step::Object => EventKind::Object,
        Step::CloseNotice => EventKind::CloseNotice,
        Step::File => EventKind::File,
        Step::Approve => EventKind::Approve,
        Step::StartReNotice => EventKind::StartReNotice,
        Step::Activate => EventKind::Activate,
        Step::Exit => EventKind::Exit,
        Step::Cancel => EventKind::Cancel,
        Step::Withdraw => EventKind::Withdraw,
        Step::Review => EventKind::Review,
        Step::RecordUpdated => EventKind::RecordUpdated,
        Step::UpdateFacts => EventKind::UpdateFacts,
        Step::RecoveryCollected => EventKind::RecoveryCollected,
    }
}

// ---------------------------------------------------------------------------------------
// Households whose standing under the Hainan 2018 policy is known by construction.

/// The newborn of [`Facts::Newborn`] is born on this day.
fn newborn_birth() -> NaiveDate {
    d(2018, 9, 3)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facts {
    /// 6,000 a year for three: below L = 500 a month, letters and proofs on file.
    Eligible,
    /// 7,000 a year: still below L.
    Richer,
    /// Two homes: the first 2018 exclusion.
    TwoHomes,
    /// The signed letters missing: incomplete, which a review refuses too.
    NoLetters,
    /// Another household's facts.
    Neighbour,
    /// Eligible, with a child born on [`newborn_birth`]: invalid on any earlier day.
    Newborn,
}

const EVERY_FACTS: [Facts; 6] = [
    Facts::Eligible,
    Facts::Richer,
    Facts::TwoHomes,
    Facts::NoLetters,
    Facts::Neighbour,
    Facts::Newborn,
];

impl Facts {
    fn household(self) -> Household {
        let mut h = poor(1);
        match self {
            Facts::Eligible => {}
            Facts::Richer => {
                h.annual_income = yuan("7000");
                h.worker.person.annual_income = yuan("7000");
            }
            Facts::TwoHomes => h.assets.homes = 2,
            Facts::NoLetters => h.documents.retain(|doc| {
                !matches!(
                    doc.kind,
                    DocumentKind::CommitmentLetter | DocumentKind::AuthorisationLetter
                )
            }),
            Facts::Neighbour => h = poor(2),
            Facts::Newborn => h.members.push(Member {
                person: person(1, 9, newborn_birth(), Sex::Male, Money::ZERO),
                relation: Relation::Child,
            }),
        }
        h
    }

    /// Whether a review finds it eligible (the model's own reading of the policy).
    fn eligible(self) -> bool {
        matches!(self, Facts::Eligible | Facts::Richer | Facts::Newborn)
    }

    fn household_id(self) -> &'static str {
        if self == Facts::Neighbour { "H2" } else { "H1" }
    }

    /// `Household::validate` on `date`, as the model reads it: nobody born after it.
    fn check(self, date: NaiveDate) -> Result<(), EligibilityError> {
        if self == Facts::Newborn && date < newborn_birth() {
            return Err(EligibilityError::BirthAfterApplication {
                person: PersonId::new("H1-p9").unwrap(),
                birth: newborn_birth(),
                application: date,
            });
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// The script's environment: its calendar and notice lengths, drawn at random.

#[derive(Debug, Clone)]
struct Env {
    applied: NaiveDate,
    opener: Who,
    facts: Facts,
    /// Non-working weekdays.
    holidays: BTreeSet<NaiveDate>,
    /// Worked weekend days.
    make_up: BTreeSet<NaiveDate>,
    /// The notice lengths: (first day in force, working days), sorted by day.
    notice_days: Vec<(NaiveDate, u32)>,
}

impl Env {
    /// The model's working day: a weekday not a holiday, or a weekend make-up day.
    fn working(&self, day: NaiveDate) -> bool {
        let weekend = matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
        if weekend {
            self.make_up.contains(&day)
        } else {
            !self.holidays.contains(&day)
        }
    }

    /// The notice posted on `from`: its length is the one in force on `from`; its last day is
    /// reached by counting that many working days after `from`, one day at a time.
    fn notice_until(&self, from: NaiveDate) -> NaiveDate {
        let n = self
            .notice_days
            .iter()
            .filter(|(start, _)| *start <= from)
            .map(|(_, n)| *n)
            .next_back()
            .expect("a notice length in force");
        let mut day = from;
        let mut counted = 0;
        while counted < n {
            day = day.succ_opt().unwrap();
            if self.working(day) {
                counted += 1;
            }
        }
        day
    }

    fn calendar(&self) -> WorkingCalendar {
        // The script's lists are complete for every year it can reach.
        WorkingCalendar::new(self.holidays.iter().copied(), self.make_up.iter().copied())
            .covering(2017..=2030)
    }

    fn policy(&self) -> EligibilityPolicy {
        let mut p = hainan();
        let cite = CitationId::new("elig.assumed.hn2018.notice_days").unwrap();
        p.notice_working_days = Timeline::new(
            self.notice_days
                .iter()
                .map(|(from, n)| Dated::new(*from, *n, cite.clone()))
                .collect(),
        )
        .unwrap();
        p.validate().unwrap();
        p
    }
}

fn env() -> impl Strategy<Value = Env> {
    (
        0u64..300,
        prop::bool::weighted(0.9),
        0usize..EVERYONE.len(),
        prop::sample::select(vec![
            Facts::Eligible,
            Facts::Eligible,
            Facts::Eligible,
            Facts::Eligible,
            Facts::Richer,
            Facts::TwoHomes,
            Facts::NoLetters,
            Facts::Newborn,
        ]),
        prop::collection::vec((0u64..700, 1u64..9), 0..8),
        prop::collection::vec((0u64..700, any::<bool>()), 0..8),
        0u32..9,
        prop::option::of((0u64..500, 0u32..9)),
    )
        .prop_map(
            |(applied, applicant, other, facts, runs, make_ups, n, second)| {
                let start = d(2018, 1, 2);
                let applied = start + Days::new(applied);
                let weekday =
                    |day: &NaiveDate| !matches!(day.weekday(), Weekday::Sat | Weekday::Sun);
                let holidays = runs
                    .iter()
                    .flat_map(|&(at, len)| (0..len).map(move |i| start + Days::new(at + i)))
                    .filter(weekday)
                    .collect();
                // The Saturday or Sunday of the week of `at`.
                let make_up = make_ups
                    .iter()
                    .map(|&(at, sunday)| {
                        let day = start + Days::new(at);
                        let to_sat = (Weekday::Sat.num_days_from_monday() + 7
                            - day.weekday().num_days_from_monday())
                            % 7;
                        day + Days::new(u64::from(to_sat) + u64::from(sunday))
                    })
                    .collect();
                let mut notice_days = vec![(d(2017, 1, 1), n)];
                if let Some((at, m)) = second {
                    notice_days.push((applied + Days::new(at), m));
                }
                Env {
                    applied,
                    opener: if applicant {
                        Who::Applicant
                    } else {
                        EVERYONE[other]
                    },
                    facts,
                    holidays,
                    make_up,
                    notice_days,
                }
            },
        )
}

// ---------------------------------------------------------------------------------------
// One raw step of a script, interpreted against the model's state.

#[derive(Debug, Clone)]
struct Raw {
    /// Take a step the model's table allows here (else any step).
    allowed_step: bool,
    step: usize,
    /// Take a role the model's table allows for it (else any role).
    allowed_role: bool,
    role: usize,
    person: usize,
    date_mode: u8,
    days: u64,
    variant: u8,
    note: usize,
    effective: i64,
    paid_fen: i64,
}

fn raw() -> impl Strategy<Value = Raw> {
    (
        (
            prop::bool::weighted(0.8),
            0usize..10_000,
            prop::bool::weighted(0.85),
            0usize..EVERYONE.len(),
            0usize..PERSONS.len(),
        ),
        (
            0u8..16,
            0u64..10,
            any::<u8>(),
            0usize..NOTES.len(),
            -40i64..12,
            0i64..2_000_000,
        ),
    )
        .prop_map(
            |(
                (allowed_step, step, allowed_role, role, person),
                (date_mode, days, variant, note, effective, paid_fen),
            )| Raw {
                allowed_step,
                step,
                allowed_role,
                role,
                person,
                date_mode,
                days,
                variant,
                note,
                effective,
                paid_fen,
            },
        )
}

/// Persons, each of whom may act in any role.
const PERSONS: [&str; 4] = ["p0", "p1", "p2", "p3"];

/// Notes: missing, empty, blank (ASCII and ideographic spaces), and real text.
const NOTES: [Option<&str>; 6] = [
    None,
    Some(""),
    Some("   "),
    Some("\u{3000}\t"),
    Some("moved abroad with family"),
    Some("其他：随子女迁居外省"),
];

/// A step as the model sees it, and the library event it becomes.
#[derive(Debug, Clone)]
struct Offer {
    step: Step,
    who: Who,
    person: &'static str,
    date: NaiveDate,
    event: CaseEvent,
}

fn pick<T: Copy>(items: &[T], n: usize) -> T {
    items[n % items.len()]
}

/// "Other" when `other`, else any reason.
fn reason<R: Copy>(all: &[R], other_reason: R, other: bool, v: usize) -> R {
    if other { other_reason } else { pick(all, v) }
}

/// Closing or sending-back steps weigh 1, the others 6, so scripts go deep and stay there
/// (with 256 scripts about a third of the files become active).
fn weight(step: Step) -> usize {
    match step {
        Step::RejectAtReview | Step::Object | Step::Exit | Step::Cancel | Step::Withdraw => 1,
        _ => 6,
    }
}

fn offer(m: &Model, r: &Raw) -> Offer {
    let allowed: Vec<Step> = EVERY_STEP
        .iter()
        .copied()
        .filter(|s| who_may(*s, m.st).is_some())
        .collect();
    let step = if r.allowed_step && !allowed.is_empty() {
        let total: usize = allowed.iter().map(|s| weight(*s)).sum();
        let mut k = r.step % total;
        let mut chosen = allowed[0];
        for s in &allowed {
            if k < weight(*s) {
                chosen = *s;
                break;
            }
            k -= weight(*s);
        }
        chosen
    } else {
        pick(&EVERY_STEP, r.step)
    };
    let who = match who_may(step, m.st) {
        Some(roles) if r.allowed_role => pick(roles, r.role),
        _ => EVERYONE[r.role],
    };
    let person = PERSONS[r.person];
    let last = m.last;
    let date = match (r.date_mode, m.notice) {
        (0..=7, _) => last + Days::new(r.days),
        (8, _) => last - Days::new(1 + r.days % 4),
        (9, Some((_, until))) => until.pred_opt().unwrap(),
        (10, Some((_, until))) => until,
        (11, Some((_, until))) => until + Days::new(1 + r.days % 3),
        (12, Some((from, _))) => from + Days::new(r.days),
        (13, _) => last + Days::new(30 * r.days),
        _ => last + Days::new(r.days % 3),
    };
    let by = Actor::new(PersonId::new(person).unwrap(), lib_role(who));
    let note = NOTES[r.note].map(str::to_owned);
    let text = note.clone().unwrap_or_default();
    let effective = if r.effective < 0 {
        date - Days::new(r.effective.unsigned_abs())
    } else {
        date + Days::new(r.effective.unsigned_abs())
    };
    let other = r.variant.is_multiple_of(3);
    let v = usize::from(r.variant);
    let event = match step {
        Step::PassReview => CaseEvent::PassReview { by, date },
        Step::RejectAtReview => CaseEvent::RejectAtReview {
            by,
            date,
            note: text,
        },
        Step::StartNotice => CaseEvent::StartNotice { by, date },
        Step::Object => CaseEvent::Object {
            by,
            date,
            outcome: pick(ObjectionOutcome::ALL, v),
            note: text,
        },
        Step::CloseNotice => CaseEvent::CloseNotice { by, date },
        Step::File => CaseEvent::File { by, date },
        Step::Approve => CaseEvent::Approve { by, date },
        Step::StartReNotice => CaseEvent::StartReNotice { by, date },
        Step::Activate => CaseEvent::Activate { by, date },
        Step::Exit => CaseEvent::Exit {
            by,
            date,
            effective,
            reason: reason(ExitReason::ALL, ExitReason::Other, other, v),
            note,
        },
        Step::Cancel => CaseEvent::Cancel {
            by,
            date,
            effective,
            reason: reason(CancelReason::ALL, CancelReason::Other, other, v),
            note,
        },
        Step::Withdraw => CaseEvent::Withdraw {
            by,
            date,
            effective,
            reason: reason(WithdrawReason::ALL, WithdrawReason::Other, other, v),
            note,
            paid: Money::from_fen(r.paid_fen).unwrap(),
        },
        Step::Review => CaseEvent::Review { by, date },
        Step::RecordUpdated => CaseEvent::RecordUpdated {
            by,
            date,
            record: pick(RecordKind::ALL, v),
        },
        Step::UpdateFacts => CaseEvent::UpdateFacts {
            by,
            date,
            household: Box::new(pick(&EVERY_FACTS, v).household()),
        },
        Step::RecoveryCollected => CaseEvent::RecoveryCollected { by, date },
    };
    Offer {
        step,
        who,
        person,
        date,
        event,
    }
}

// ---------------------------------------------------------------------------------------
// The model's state and rules.

#[derive(Debug, Clone, PartialEq)]
struct Closed {
    status: ArchiveStatus,
    reason: String,
    note: Option<String>,
    effective: NaiveDate,
    recorded: NaiveDate,
}

#[derive(Debug, Clone)]
struct Model {
    st: St,
    /// The date of the last accepted event (the application's at first).
    last: NaiveDate,
    facts: Facts,
    reviewers: BTreeSet<&'static str>,
    proposed: bool,
    notice: Option<(NaiveDate, NaiveDate)>,
    active_from: Option<NaiveDate>,
    closed: Option<Closed>,
    /// The recovery order's amount and collection date.
    recovery: Option<(Money, Option<NaiveDate>)>,
    last_review: Option<NaiveDate>,
    paper: Option<NaiveDate>,
    electronic: Option<NaiveDate>,
    /// Each status from the day it starts, in the order recorded.
    statuses: Vec<(NaiveDate, ArchiveStatus)>,
    accepted: usize,
}

impl Model {
    fn open(env: &Env) -> Result<Model, EligibilityError> {
        if env.opener != Who::Applicant {
            return Err(EligibilityError::RoleNotAllowed {
                event: EventKind::Apply,
                role: lib_role(env.opener),
            });
        }
        env.facts.check(env.applied)?;
        Ok(Model {
            st: St::Applied,
            last: env.applied,
            facts: env.facts,
            reviewers: BTreeSet::new(),
            proposed: false,
            notice: None,
            active_from: None,
            closed: None,
            recovery: None,
            last_review: None,
            paper: None,
            electronic: None,
            statuses: vec![(env.applied, ArchiveStatus::Pending)],
            accepted: 0,
        })
    }

    /// The status on `day`: the latest to start on or before it (the later recorded one
    /// when two start on the same day).
    fn status_on(&self, day: NaiveDate) -> Option<ArchiveStatus> {
        self.statuses
            .iter()
            .enumerate()
            .filter(|(_, (from, _))| *from <= day)
            .max_by_key(|(i, (from, _))| (*from, *i))
            .map(|(_, (_, s))| *s)
    }

    fn apply(&self, env: &Env, o: &Offer) -> Result<Model, EligibilityError> {
        let event = lib_kind(o.step);
        let stage = lib_stage(self.st);
        let Some(roles) = who_may(o.step, self.st) else {
            return Err(EligibilityError::WrongStage { event, stage });
        };
        if !roles.contains(&o.who) {
            return Err(EligibilityError::RoleNotAllowed {
                event,
                role: lib_role(o.who),
            });
        }
        if o.date < self.last {
            return Err(EligibilityError::DateOutOfOrder {
                date: o.date,
                earliest: self.last,
            });
        }
        let mut m = self.clone();
        m.last = o.date;
        m.accepted += 1;
        let date = o.date;
        match (o.step, &o.event) {
            (Step::PassReview, _) => {
                if !m.facts.eligible() {
                    return Err(EligibilityError::NotEligible);
                }
                m.reviewers.insert(o.person);
                m.proposed = true;
                m.st = St::Reviewed;
            }
            (Step::RejectAtReview, _) => m.reject(date),
            (Step::StartNotice | Step::StartReNotice, _) => {
                m.notice = Some((date, env.notice_until(date)));
                m.st = if o.step == Step::StartNotice {
                    St::InNotice
                } else {
                    St::InReNotice
                };
            }
            (Step::Object, CaseEvent::Object { outcome, .. }) => {
                let (from, until) = m.notice.expect("a notice runs");
                if date < from || date > until {
                    return Err(EligibilityError::OutsideNotice { date, from, until });
                }
                m.notice = None;
                if *outcome == ObjectionOutcome::Reject {
                    m.reject(date);
                } else {
                    m.st = St::Applied;
                    m.proposed = false;
                }
            }
            (Step::CloseNotice | Step::Activate, _) => {
                let (_, until) = m.notice.expect("a notice runs");
                if date < until {
                    return Err(EligibilityError::NoticeNotOver { date, until });
                }
                m.notice = None;
                if o.step == Step::CloseNotice {
                    m.st = St::NoticeCompleted;
                } else {
                    m.st = St::Active;
                    m.active_from = Some(date);
                    m.statuses.push((date, ArchiveStatus::Active));
                }
            }
            (Step::File, _) => m.st = St::Filed,
            (Step::Approve, _) => {
                if m.reviewers.contains(o.person) {
                    return Err(EligibilityError::SeparationOfDuties {
                        person: PersonId::new(o.person).unwrap(),
                    });
                }
                m.st = St::Approved;
            }
            (
                Step::Exit,
                CaseEvent::Exit {
                    effective,
                    reason,
                    note,
                    ..
                },
            ) => m.close(
                St::Exited,
                *reason == ExitReason::Other,
                format!("exit.{}", reason.code()),
                note,
                *effective,
                date,
            )?,
            (
                Step::Cancel,
                CaseEvent::Cancel {
                    effective,
                    reason,
                    note,
                    ..
                },
            ) => m.close(
                St::Cancelled,
                *reason == CancelReason::Other,
                format!("cancel.{}", reason.code()),
                note,
                *effective,
                date,
            )?,
            (
                Step::Withdraw,
                CaseEvent::Withdraw {
                    effective,
                    reason,
                    note,
                    paid,
                    ..
                },
            ) => {
                m.close(
                    St::Withdrawn,
                    *reason == WithdrawReason::Other,
                    format!("withdraw.{}", reason.code()),
                    note,
                    *effective,
                    date,
                )?;
                m.recovery = Some((*paid, None));
            }
            (Step::Review, _) => m.last_review = Some(date),
            (Step::RecordUpdated, CaseEvent::RecordUpdated { record, .. }) => {
                if *record == RecordKind::Paper {
                    m.paper = Some(date);
                } else {
                    m.electronic = Some(date);
                }
            }
            (Step::UpdateFacts, CaseEvent::UpdateFacts { household, .. }) => {
                let facts = EVERY_FACTS
                    .iter()
                    .copied()
                    .find(|f| f.household() == **household)
                    .expect("a known household");
                if facts.household_id() != m.facts.household_id() {
                    return Err(EligibilityError::HouseholdMismatch {
                        expected: HouseholdId::new(m.facts.household_id()).unwrap(),
                        given: HouseholdId::new(facts.household_id()).unwrap(),
                    });
                }
                facts.check(date)?;
                m.facts = facts;
            }
            (Step::RecoveryCollected, _) => match m.recovery {
                Some((amount, None)) => m.recovery = Some((amount, Some(date))),
                _ => return Err(EligibilityError::WrongStage { event, stage }),
            },
            (step, e) => panic!("{step:?} offered as {e:?}"),
        }
        Ok(m)
    }

    fn reject(&mut self, date: NaiveDate) {
        self.st = St::Rejected;
        self.statuses.push((date, ArchiveStatus::Rejected));
    }

    /// Exit, cancellation and withdrawal: "other" needs a non-blank note; the closure cannot
    /// take effect before the file became active.
    fn close(
        &mut self,
        to: St,
        other: bool,
        reason: String,
        note: &Option<String>,
        effective: NaiveDate,
        recorded: NaiveDate,
    ) -> Result<(), EligibilityError> {
        let blank = note
            .as_deref()
            .is_none_or(|n| n.chars().all(char::is_whitespace));
        if other && blank {
            return Err(EligibilityError::NoteRequired);
        }
        let active_from = self.active_from.expect("closed from active only");
        if effective < active_from {
            return Err(EligibilityError::DateOutOfOrder {
                date: effective,
                earliest: active_from,
            });
        }
        self.st = to;
        self.closed = Some(Closed {
            status: status_of(to),
            reason,
            note: note.clone(),
            effective,
            recorded,
        });
        self.statuses.push((effective, status_of(to)));
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------
// The comparison.

/// What a script exercised, for the coverage test.
#[derive(Debug, Default)]
struct Seen {
    /// (step, stage, role) accepted.
    accepted: BTreeSet<(Step, St, Who)>,
    /// Stages reached.
    stages: BTreeSet<St>,
    /// Refusals by code.
    refusals: BTreeMap<&'static str, usize>,
    /// Scripts run, scripts whose file became active, events accepted.
    scripts: usize,
    reached_active: usize,
    events_accepted: usize,
}

/// The library's file `f` and the model `m` after the same events (in a failure, `left` is
/// the library and `right` the model).
fn agree(f: &CaseFile, m: &Model, probes: &[NaiveDate]) -> Result<(), TestCaseError> {
    prop_assert_eq!(f.stage(), lib_stage(m.st));
    prop_assert_eq!(f.stage().status(), status_of(m.st));
    prop_assert_eq!(f.history().len(), m.accepted);
    prop_assert_eq!(f.notice().map(|w| (w.from, w.until)), m.notice);
    prop_assert_eq!(f.active_from(), m.active_from);
    prop_assert_eq!(f.proposal().is_some(), m.proposed);
    let reviewers: BTreeSet<&str> = f.reviewers().iter().map(PersonId::as_str).collect();
    prop_assert_eq!(&reviewers, &m.reviewers);
    prop_assert_eq!(f.reviewers().len(), m.reviewers.len(), "reviewers repeated");
    let closed = f.closure().map(|c| Closed {
        status: c.status,
        reason: c.reason.clone(),
        note: c.note.clone(),
        effective: c.effective,
        recorded: c.recorded,
    });
    prop_assert_eq!(closed, m.closed.clone());
    prop_assert_eq!(
        f.recovery_order().map(|r| (r.amount, r.collected)),
        m.recovery
    );
    prop_assert_eq!(f.last_review(), m.last_review);
    prop_assert_eq!(f.record_dates(), (m.paper, m.electronic));
    prop_assert_eq!(f.household(), &m.facts.household());
    for &day in probes {
        prop_assert_eq!(f.status_on(day), m.status_on(day), "status on {}", day);
        prop_assert_eq!(
            f.is_payable_on(day),
            m.status_on(day) == Some(ArchiveStatus::Active),
            "payable on {}",
            day
        );
    }
    Ok(())
}

fn verdict<T>(r: &Result<T, EligibilityError>) -> String {
    match r {
        Ok(_) => "accepts".to_owned(),
        Err(e) => format!("refuses ({e:?})"),
    }
}

/// Runs one script through the model and the library side by side.
fn compare(env: &Env, script: &[Raw], seen: &mut Seen) -> Result<(), TestCaseError> {
    seen.scripts += 1;
    let policy = env.policy();
    let calendar = env.calendar();
    let applicant = Actor::new(PersonId::new("p0").unwrap(), lib_role(env.opener));
    let opened = CaseFile::open(
        CaseId::new("H1/1").unwrap(),
        env.facts.household(),
        env.applied,
        applicant,
    );
    let mut m = match (Model::open(env), opened) {
        (Ok(m), Ok(f)) => (m, f),
        (Err(want), Err(got)) => {
            prop_assert_eq!(got, want);
            return Ok(());
        }
        (want, got) => {
            return Err(TestCaseError::fail(format!(
                "opening: model {}, library {}",
                verdict(&want),
                verdict(&got)
            )));
        }
    };
    let (ref mut model, ref mut file) = m;
    seen.stages.insert(model.st);
    agree(file, model, &[env.applied.pred_opt().unwrap(), env.applied])?;
    let mut reached_active = false;
    for (i, r) in script.iter().enumerate() {
        let o = offer(model, r);
        let before = file.clone();
        let want = model.apply(env, &o);
        let got = file.apply(o.event.clone(), &policy, &calendar);
        match (want, got) {
            (Ok(next), Ok(())) => {
                seen.accepted.insert((o.step, model.st, o.who));
                seen.events_accepted += 1;
                if next.st == St::Active {
                    reached_active = true;
                }
                *model = next;
                seen.stages.insert(model.st);
                let mut probes = vec![
                    o.date,
                    o.date.pred_opt().unwrap(),
                    o.date + Days::new(r.days * 7),
                ];
                probes.extend(model.active_from);
                probes.extend(model.active_from.and_then(|a| a.pred_opt()));
                probes.extend(model.closed.as_ref().map(|c| c.effective));
                probes.extend(model.closed.as_ref().and_then(|c| c.effective.pred_opt()));
                agree(file, model, &probes).map_err(|e| {
                    let why = match &e {
                        TestCaseError::Fail(reason) => reason.message().to_owned(),
                        other => other.to_string(),
                    };
                    TestCaseError::fail(format!("both accept, then {why}: step {i} {o:?}"))
                })?;
            }
            (Err(want), Err(got)) => {
                *seen.refusals.entry(want.code()).or_default() += 1;
                prop_assert!(
                    got == want,
                    "model refuses ({:?}), library refuses ({:?}): step {} {:?} in {:?}",
                    want,
                    got,
                    i,
                    o,
                    model.st
                );
                prop_assert!(
                    *file == before,
                    "a refused event changed the file: step {} {:?}",
                    i,
                    o
                );
            }
            (want, got) => {
                return Err(TestCaseError::fail(format!(
                    "model {}, library {}: step {i} {o:?} in {:?}",
                    verdict(&want),
                    verdict(&got),
                    model.st,
                )));
            }
        }
    }
    seen.reached_active += usize::from(reached_active);
    Ok(())
}

fn script() -> impl Strategy<Value = (Env, Vec<Raw>)> {
    (env(), prop::collection::vec(raw(), 1..80))
}

proptest! {
    #![proptest_config(proptest_config(256))]

    /// The library and the model accept and refuse the same events with the same errors,
    /// and agree on the file after every accepted one.
    #[test]
    fn the_library_follows_the_model((env, ops) in script()) {
        compare(&env, &ops, &mut Seen::default())?;
    }
}

/// The generator is not vacuous: 256 deterministic scripts accept every row of the model's
/// role table for every role it lists, reach every stage and hit every refusal the rules
/// give.
#[test]
fn the_scripts_cover_the_table_and_every_refusal() {
    let mut runner = TestRunner::deterministic();
    let strategy = script();
    let mut seen = Seen::default();
    for _ in 0..256 {
        let (env, ops) = strategy.new_tree(&mut runner).unwrap().current();
        compare(&env, &ops, &mut seen).unwrap();
    }
    let mut missing = Vec::new();
    for (step, stages, roles) in TABLE {
        for st in *stages {
            for who in *roles {
                if !seen.accepted.contains(&(*step, *st, *who)) {
                    missing.push(format!("{step:?} in {st:?} by {who:?}"));
                }
            }
        }
    }
    println!(
        "{} scripts, {} reached active, {} events accepted; refused: {:?}",
        seen.scripts, seen.reached_active, seen.events_accepted, seen.refusals
    );
    assert!(missing.is_empty(), "never accepted: {missing:?}");
    for st in EVERY_STAGE {
        assert!(seen.stages.contains(&st), "{st:?} never reached");
    }
    for code in [
        "eligibility.case.wrong_stage",
        "eligibility.case.role_not_allowed",
        "eligibility.case.date_out_of_order",
        "eligibility.case.separation_of_duties",
        "eligibility.case.notice_not_over",
        "eligibility.case.outside_notice",
        "eligibility.case.note_required",
        "eligibility.case.not_eligible",
        "eligibility.registry.household_mismatch",
        "eligibility.birth_after_application",
    ] {
        assert!(seen.refusals.contains_key(code), "{code} never refused");
    }
}

/// The library's role table, checked cell by cell against the model's hand-written one.
#[test]
fn the_role_table_is_the_documented_one() {
    let stages = EVERY_STAGE;
    assert_eq!(stages.len(), Stage::ALL.len());
    assert_eq!(EVERY_STEP.len() + 1, EventKind::ALL.len(), "all but apply");
    for step in EVERY_STEP {
        for st in stages {
            let want: BTreeSet<Role> = who_may(step, st)
                .unwrap_or(&[])
                .iter()
                .map(|w| lib_role(*w))
                .collect();
            let got: BTreeSet<Role> = allowed_roles(lib_kind(step), lib_stage(st))
                .iter()
                .copied()
                .collect();
            assert_eq!(got, want, "{step:?} in {st:?}");
        }
    }
    for st in stages {
        assert!(allowed_roles(EventKind::Apply, lib_stage(st)).is_empty());
    }
}

/// The model's day counting on a hand-checked case: Wednesday 26 September 2018 with the
/// National Day holidays and the two make-up Saturdays/Sundays before them.
#[test]
fn the_model_counts_working_days_like_the_calendar_documents() {
    let env = Env {
        applied: d(2018, 9, 25),
        opener: Who::Applicant,
        facts: Facts::Eligible,
        holidays: (1..=5).map(|day| d(2018, 10, day)).collect(),
        make_up: [d(2018, 9, 29), d(2018, 9, 30)].into_iter().collect(),
        notice_days: vec![(d(2017, 1, 1), 5)],
    };
    // 27 Sep + 5: 28, 29 (make-up), 30 (make-up), 8, 9 October.
    assert_eq!(env.notice_until(d(2018, 9, 27)), d(2018, 10, 9));
    let mut zero = env.clone();
    zero.notice_days = vec![(d(2017, 1, 1), 0)];
    assert_eq!(zero.notice_until(d(2018, 9, 29)), d(2018, 9, 29));
    assert_eq!(
        env.calendar().add_working_days(d(2018, 9, 27), 5).unwrap(),
        env.notice_until(d(2018, 9, 27))
    );
}
