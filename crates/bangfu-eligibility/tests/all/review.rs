//! The annual review: proposals, overdue files, records out of sync, quality flags.

use std::collections::BTreeMap;

use bangfu_core::{ArchiveTier, CaseId, WorkingCalendar};
use bangfu_eligibility::*;

use crate::common::*;

fn registry_with(files: Vec<CaseFile>) -> Registry {
    // Rebuild through the public API: replay each file's history.
    let p = hainan();
    let c = cal();
    let mut reg = Registry::default();
    for f in files {
        reg.open(
            f.id().clone(),
            f.household().clone(),
            f.applied_on(),
            f.applicant().clone(),
        )
        .unwrap();
        for e in f.history() {
            reg.apply(f.id(), e.clone(), &p, &c).unwrap();
        }
    }
    reg
}

fn review(
    reg: &Registry,
    as_of: chrono::NaiveDate,
    updated: BTreeMap<CaseId, Household>,
) -> ReviewReport {
    annual_review(reg, &hainan(), &cal(), as_of, &updated).unwrap()
}

fn bases(r: &ReviewReport) -> Vec<ProposalBasis> {
    r.proposals.iter().map(|p| p.basis).collect()
}

#[test]
fn a_clean_file_has_nothing_to_report() {
    let (f, _) = active_file(1);
    let reg = registry_with(vec![f]);
    let r = review(&reg, d(2018, 12, 31), BTreeMap::new());
    assert!(r.proposals.is_empty(), "{:?}", r.proposals);
    assert!(r.flags.is_empty(), "{:?}", r.flags);
    assert!(r.overdue.is_empty());
    assert!(r.out_of_sync.is_empty());
    assert!(!r.is_orange(&case_id("H1/1")));
}

#[test]
fn proposals_from_updated_facts() {
    let (mut f, _) = active_file(1);
    // Give the child a school place at filing time.
    let mut with_school = poor(1);
    with_school.members[1].person.school = Some(Schooling {
        stage: SchoolStage::Undergraduate,
        fee: SchoolFee::Ordinary,
    });
    with_school.members[1].person.employed = false;
    with_school
        .worker
        .person
        .health
        .insert(HealthCondition::MajorIllness);
    with_school.documents.push(Document {
        kind: DocumentKind::Diagnosis,
        person: Some(with_school.worker.person.id.clone()),
    });
    let s = staff();
    f.apply(
        CaseEvent::UpdateFacts {
            by: s.center.clone(),
            date: d(2018, 4, 2),
            household: Box::new(with_school.clone()),
        },
        &hainan(),
        &cal(),
    )
    .unwrap();
    let reg = registry_with(vec![f]);
    let mut now = with_school.clone();
    now.members[1].person.school = None;
    now.members[1].person.employed = true;
    now.worker.person.health.clear();
    now.worker.person.employed = true;
    now.annual_income = yuan("60000");
    now.worker.person.annual_income = yuan("60000");
    let updated = BTreeMap::from([(case_id("H1/1"), now)]);
    let r = review(&reg, d(2018, 12, 31), updated);
    assert_eq!(
        bases(&r),
        [
            ProposalBasis::ChildGraduatedEmployed,
            ProposalBasis::IllnessCured,
            ProposalBasis::Reemployed,
            ProposalBasis::IncomeAboveLine,
        ]
    );
    assert_eq!(
        r.proposals[0].action,
        ProposedAction::Exit(ExitReason::ChildGraduatedEmployed)
    );
    assert_eq!(
        r.proposals[3].action,
        ProposedAction::Exit(ExitReason::IncomeAboveStandard)
    );
    assert!(
        r.proposals[3].detail.contains("1666.67"),
        "{}",
        r.proposals[3].detail
    );
}

#[test]
fn retirement_age_from_policy_data() {
    let (f, _) = active_file(1); // worker born 1975-05-20, male: 60 in 2035
    let reg = registry_with(vec![f]);
    let just_before = review(&reg, d(2035, 5, 19), BTreeMap::new());
    assert!(!bases(&just_before).contains(&ProposalBasis::RetirementAge));
    let on = review(&reg, d(2035, 5, 20), BTreeMap::new());
    let p = on
        .proposals
        .iter()
        .find(|p| p.basis == ProposalBasis::RetirementAge)
        .unwrap();
    assert_eq!(p.action, ProposedAction::Cancel(CancelReason::Retired));
    assert_eq!(p.detail, "age 60 ≥ 60");
    // A woman worker retires at the policy's female age.
    let mut woman = poor(1);
    woman.worker.person.sex = Sex::Female;
    let updated = BTreeMap::from([(case_id("H1/1"), woman)]);
    let r = review(&reg, d(2025, 5, 20), updated);
    assert!(bases(&r).contains(&ProposalBasis::RetirementAge));
}

#[test]
fn overdue_reviews() {
    let (mut f, from) = active_file(1);
    assert_eq!(from, d(2018, 3, 26));
    let reg = registry_with(vec![f.clone()]);
    assert!(
        review(&reg, d(2019, 3, 26), BTreeMap::new())
            .overdue
            .is_empty()
    );
    assert_eq!(
        review(&reg, d(2019, 3, 27), BTreeMap::new()).overdue,
        [case_id("H1/1")]
    );
    let s = staff();
    f.apply(
        CaseEvent::Review {
            by: s.grassroots,
            date: d(2019, 1, 10),
        },
        &hainan(),
        &cal(),
    )
    .unwrap();
    let reg = registry_with(vec![f]);
    assert!(
        review(&reg, d(2019, 12, 31), BTreeMap::new())
            .overdue
            .is_empty()
    );
    assert_eq!(
        review(&reg, d(2020, 1, 11), BTreeMap::new()).overdue,
        [case_id("H1/1")]
    );
}

#[test]
fn paper_and_electronic_records_out_of_sync() {
    let (mut f, _) = active_file(1);
    let s = staff();
    let p = hainan();
    let c = WorkingCalendar::weekdays_only(); // about record dates, not holidays
    f.apply(
        CaseEvent::RecordUpdated {
            by: s.center.clone(),
            date: d(2018, 4, 2),
            record: RecordKind::Paper,
        },
        &p,
        &c,
    )
    .unwrap();
    let reg = registry_with(vec![f.clone()]);
    // 30 working days after Monday 2 April 2018 is Monday 14 May.
    assert!(
        review(&reg, d(2018, 5, 14), BTreeMap::new())
            .out_of_sync
            .is_empty()
    );
    let gaps = review(&reg, d(2018, 5, 15), BTreeMap::new()).out_of_sync;
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0].deadline, d(2018, 5, 14));
    assert_eq!(gaps[0].electronic, None);
    f.apply(
        CaseEvent::RecordUpdated {
            by: s.center.clone(),
            date: d(2018, 4, 2),
            record: RecordKind::Electronic,
        },
        &p,
        &c,
    )
    .unwrap();
    let reg = registry_with(vec![f]);
    assert!(
        review(&reg, d(2018, 12, 31), BTreeMap::new())
            .out_of_sync
            .is_empty()
    );
}

#[test]
fn file_quality_flags() {
    let (f, _) = active_file(1);
    let reg = registry_with(vec![f]);
    let flags = |h: Household| -> Vec<QualityFlag> {
        let r = review(
            &reg,
            d(2018, 12, 31),
            BTreeMap::from([(case_id("H1/1"), h)]),
        );
        r.flags.iter().map(|f| f.flag).collect()
    };
    // No members.
    let mut h = poor(1);
    h.members.clear();
    h.annual_income = yuan("2000"); // keep the category: 166.67 a month
    h.worker.person.annual_income = yuan("2000");
    assert_eq!(flags(h), [QualityFlag::NoMembers]);
    // Incomes that do not add up.
    let mut h = poor(1);
    h.members[0].person.annual_income = yuan("100");
    assert_eq!(flags(h), [QualityFlag::IncomeMismatch]);
    // A university student aged 12.
    let mut h = poor(1);
    h.members[1].person = person(1, 2, d(2006, 3, 1), Sex::Male, bangfu_core::Money::ZERO);
    h.members[1].person.school = Some(Schooling {
        stage: SchoolStage::Undergraduate,
        fee: SchoolFee::Ordinary,
    });
    assert_eq!(flags(h.clone()), [QualityFlag::SchoolAgeMismatch]);
    let r = review(
        &reg,
        d(2018, 12, 31),
        BTreeMap::from([(case_id("H1/1"), h)]),
    );
    assert!(
        r.flags[0].detail.contains("undergraduate at age 12"),
        "{}",
        r.flags[0].detail
    );
    assert!(r.is_orange(&case_id("H1/1")));
    // A tier that does not match the computed category: income now at near-subsistence.
    let mut h = poor(1);
    h.annual_income = yuan("20000");
    h.worker.person.annual_income = yuan("20000");
    assert_eq!(flags(h), [QualityFlag::TierMismatch]);
    // A claimed cause without its document.
    let mut h = poor(1);
    h.causes.push(HardshipCause::ChildSchooling);
    assert_eq!(flags(h), [QualityFlag::CauseWithoutDocument]);
    // A claimed illness without its diagnosis.
    let mut h = poor(1);
    h.members[0]
        .person
        .health
        .insert(HealthCondition::MajorIllness);
    assert_eq!(flags(h), [QualityFlag::MissingDocument]);
    let (f, _) = active_file(1);
    assert_eq!(
        f.proposal(),
        Some((HardshipCategory::Subsistence, ArchiveTier::National))
    );
}

#[test]
fn an_exclusion_found_at_review_proposes_withdrawal() {
    let (f, _) = active_file(1);
    let reg = registry_with(vec![f]);
    let mut h = poor(1);
    h.assets.homes = 2;
    let r = review(
        &reg,
        d(2018, 12, 31),
        BTreeMap::from([(case_id("H1/1"), h)]),
    );
    assert_eq!(bases(&r), [ProposalBasis::ExclusionApplies]);
    assert_eq!(
        r.proposals[0].action,
        ProposedAction::Withdraw(WithdrawReason::FoundIneligible)
    );
    assert!(
        r.proposals[0]
            .detail
            .starts_with("exclusion.multiple_homes")
    );
    // The computed category is gone, so the tier no longer matches either.
    assert!(r.flags.iter().any(|f| f.flag == QualityFlag::TierMismatch));
}

/// The consecutive-months exit rule at its boundaries: the run must be long enough, unbroken,
/// every month strictly above the highest line of the scheme in force.
mod consecutive_months {
    use bangfu_core::{CitationId, Money, Timeline};
    use bangfu_eligibility::*;

    use crate::common::*;

    /// Hainan with the rule at 3 months; the highest line in 2018 (in fen × the scale).
    fn policy() -> (EligibilityPolicy, Money) {
        let mut p = hainan();
        p.exit_after_months_above_line = Some(Timeline::single(
            d(2017, 1, 1),
            3,
            CitationId::new("elig.test").unwrap(),
        ));
        let scheme = &p.schemes.at("s", d(2018, 6, 1)).unwrap().value;
        let l = p
            .minimum_living_standard
            .as_ref()
            .unwrap()
            .at(None, d(2018, 6, 1))
            .unwrap()
            .value;
        let top = scheme
            .bands
            .iter()
            .filter_map(|b| b.income_line.as_ref())
            .map(|line| {
                let r = line.multiplier.as_decimal();
                let fen = i128::from(l.fen()) * r.mantissa() / 10i128.pow(r.scale());
                Money::from_fen(i64::try_from(fen).unwrap()).unwrap()
            })
            .max()
            .unwrap();
        (p, top)
    }

    fn months(amounts: &[(u32, Money)]) -> Vec<MonthlyIncome> {
        amounts
            .iter()
            .map(|&(m, per_capita)| MonthlyIncome {
                month: d(2018, m, 15),
                per_capita,
            })
            .collect()
    }

    #[test]
    fn three_months_strictly_above_the_highest_line_propose_an_exit() {
        let (p, top) = policy();
        let (file, _) = active_file(1);
        let above = top.checked_add(yuan("0.01")).unwrap();
        let as_of = d(2018, 9, 30);
        let run = months(&[(7, above), (8, above), (9, above)]);
        let proposal = consecutive_months_exit(&file, &p, &run, as_of)
            .unwrap()
            .unwrap();
        assert_eq!(proposal.basis, ProposalBasis::IncomeAboveLineMonths);
        assert_eq!(
            proposal.action,
            ProposedAction::Exit(ExitReason::IncomeAboveStandard)
        );
        assert!(
            proposal.detail.contains("3 consecutive months"),
            "{}",
            proposal.detail
        );
        // At the line is not above it: one month at the line breaks the run.
        let at_line = months(&[(7, top), (8, above), (9, above)]);
        assert_eq!(
            consecutive_months_exit(&file, &p, &at_line, as_of).unwrap(),
            None
        );
        // Two months are too few; a missing month breaks the run.
        let short = months(&[(8, above), (9, above)]);
        assert_eq!(
            consecutive_months_exit(&file, &p, &short, as_of).unwrap(),
            None
        );
        let gap = months(&[(6, above), (7, above), (9, above)]);
        assert_eq!(
            consecutive_months_exit(&file, &p, &gap, as_of).unwrap(),
            None
        );
        // Months after the as-of date do not count.
        assert_eq!(
            consecutive_months_exit(&file, &p, &run, d(2018, 8, 31)).unwrap(),
            None
        );
        // A policy without the rule proposes nothing; months out of order are refused.
        assert_eq!(
            consecutive_months_exit(&file, &hainan(), &run, as_of).unwrap(),
            None
        );
        let unordered = months(&[(8, above), (7, above), (9, above)]);
        let err = consecutive_months_exit(&file, &p, &unordered, as_of).unwrap_err();
        assert_eq!(
            bangfu_core::Coded::code(&err),
            "eligibility.case.date_out_of_order"
        );
    }
}
