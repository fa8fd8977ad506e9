//! Shared helpers: the two shipped policies, households, actors and dates.

use std::collections::BTreeSet;

use bangfu_core::{Citations, HouseholdId, Money, PersonId, UnitId, WorkingCalendar};
use bangfu_eligibility::*;
use chrono::NaiveDate;
use proptest::test_runner::Config as ProptestConfig;

/// The wrapper a policy file is parsed with in these tests.
#[derive(Debug, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    pub eligibility: EligibilityPolicy,
    pub citations: Citations,
}

/// A section's text parsed, with the minimum living standard its whole policy file would
/// hand it (the example's for the 2020+ example section, Hainan's otherwise: the standard is
/// the policy's top-level table, shipped in bangfu-core).
pub fn load(src: &str) -> PolicyFile {
    let mut file: PolicyFile = toml::from_str(src).expect("policy parses");
    file.eligibility.validate().expect("policy valid");
    file.eligibility.minimum_living_standard = Some(standard_for(src));
    file
}

/// The minimum living standard the whole policy file of section `src` has.
pub fn standard_for(src: &str) -> bangfu_core::MinimumLivingStandard {
    let table = if src.contains("2020+ example policy") {
        bangfu_core::MINIMUM_STANDARD_EXAMPLE_2020_TOML
    } else {
        bangfu_core::MINIMUM_STANDARD_HAINAN_2018_TOML
    };
    bangfu_core::MinimumLivingStandard::from_policy_toml(table)
        .expect("the shipped table parses")
        .expect("the shipped text has the table")
}

/// A proptest configuration running `default` cases, or `PROPTEST_CASES` when it is set
/// (proptest's own default reads the other `PROPTEST_*` variables).
pub fn proptest_config(default: u32) -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = default;
    }
    config
}

pub fn hainan() -> EligibilityPolicy {
    load(include_str!("../../data/hainan-2018.toml")).eligibility
}

pub fn example2020() -> EligibilityPolicy {
    load(include_str!("../../data/example-2020.toml")).eligibility
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// Weekdays only, every year: the tests that use it are about the case file's steps and roles,
/// not about holidays (the national calendar's notices are tested in `case_file` and in
/// bangfu-core).
pub fn cal() -> WorkingCalendar {
    WorkingCalendar::weekdays_only()
}

pub fn yuan(s: &str) -> Money {
    Money::parse_yuan(s).unwrap()
}

pub fn actor(p: &str, role: Role) -> Actor {
    Actor::new(PersonId::new(p).unwrap(), role)
}

/// An ID number for household `n`, person `seq`, born on `birth`.
pub fn id_for(n: u32, seq: u32, birth: NaiveDate) -> IdNumber {
    let first17 = format!("{:06}{}{:03}", 460_000 + n, birth.format("%Y%m%d"), seq);
    IdNumber::with_check_digit(&first17).unwrap()
}

pub fn person(n: u32, seq: u32, birth: NaiveDate, sex: Sex, income: Money) -> Person {
    Person {
        id: PersonId::new(format!("H{n}-p{seq}")).unwrap(),
        name: format!("person {seq}"),
        id_number: id_for(n, seq, birth),
        birth_date: birth,
        sex,
        health: BTreeSet::new(),
        school: None,
        employed: true,
        controlling_shareholder: false,
        runs_business: false,
        annual_income: income,
    }
}

/// Household `n`: a worker born 1975 earning everything, `members` spouses/children with no
/// income, both letters signed, one claimed cause (laid off) with its proof, one home.
pub fn household(n: u32, annual_income: Money, members: u32) -> Household {
    let mut worker = person(n, 0, d(1975, 5, 20), Sex::Male, annual_income);
    worker.employed = false;
    let members = (1..=members)
        .map(|i| Member {
            person: person(n, i, d(1980 + i as i32, 1, 15), Sex::Female, Money::ZERO),
            relation: if i == 1 {
                Relation::Spouse
            } else {
                Relation::Child
            },
        })
        .collect();
    Household {
        id: HouseholdId::new(format!("H{n}")).unwrap(),
        worker: Worker {
            person: worker,
            union_member: true,
            employer: UnitId::new("employer-1").unwrap(),
            union_unit: UnitId::new("union-1").unwrap(),
            migrant: false,
            contract_months: 0,
        },
        members,
        annual_income,
        other_income: Money::ZERO,
        rigid_expenditure: Money::ZERO,
        assets: Assets {
            homes: 1,
            ..Assets::default()
        },
        causes: vec![HardshipCause::LaidOff],
        accident: None,
        high_consumption: false,
        refused_verification: false,
        documents: vec![
            Document {
                kind: DocumentKind::CommitmentLetter,
                person: None,
            },
            Document {
                kind: DocumentKind::AuthorisationLetter,
                person: None,
            },
            Document {
                kind: DocumentKind::UnemploymentProof,
                person: None,
            },
        ],
        city: None,
    }
}

/// A plainly eligible household (subsistence under Hainan 2018).
pub fn poor(n: u32) -> Household {
    household(n, yuan("6000"), 2)
}

pub fn codes(decision: &Decision) -> Vec<String> {
    decision.reasons.iter().map(|r| r.code.clone()).collect()
}

pub struct Staff {
    pub applicant: Actor,
    pub grassroots: Actor,
    pub grassroots2: Actor,
    pub industrial: Actor,
    pub center: Actor,
    pub finance: Actor,
}

pub fn staff() -> Staff {
    Staff {
        applicant: actor("applicant", Role::Applicant),
        grassroots: actor("g1", Role::GrassrootsUnion),
        grassroots2: actor("g2", Role::GrassrootsUnion),
        industrial: actor("i1", Role::IndustrialUnion),
        center: actor("c1", Role::AidCenter),
        finance: actor("f1", Role::Finance),
    }
}

pub fn case_id(s: &str) -> bangfu_core::CaseId {
    bangfu_core::CaseId::new(s).unwrap()
}

/// A file for household `n` taken through the seven steps starting Monday 2018-03-05;
/// returns the file, active from its returned date.
pub fn active_file(n: u32) -> (CaseFile, NaiveDate) {
    let p = hainan();
    let s = staff();
    let c = cal();
    let mut f = CaseFile::open(
        case_id(&format!("H{n}/1")),
        poor(n),
        d(2018, 3, 5),
        s.applicant.clone(),
    )
    .unwrap();
    let steps = seven_steps(&s, d(2018, 3, 5));
    for e in steps {
        f.apply(e, &p, &c).unwrap();
    }
    let from = f.active_from().unwrap();
    (f, from)
}

/// The seven steps for a file applied on Monday `start` (default calendar, 5-day notices).
pub fn seven_steps(s: &Staff, start: NaiveDate) -> Vec<CaseEvent> {
    let day = |n: u64| start + chrono::Days::new(n);
    vec![
        CaseEvent::PassReview {
            by: s.grassroots.clone(),
            date: day(1),
        },
        CaseEvent::StartNotice {
            by: s.grassroots.clone(),
            date: day(2),
        },
        // Wednesday + 5 working days = next Wednesday.
        CaseEvent::CloseNotice {
            by: s.grassroots.clone(),
            date: day(9),
        },
        CaseEvent::File {
            by: s.industrial.clone(),
            date: day(10),
        },
        CaseEvent::Approve {
            by: s.center.clone(),
            date: day(11),
        },
        CaseEvent::StartReNotice {
            by: s.center.clone(),
            date: day(14),
        },
        CaseEvent::Activate {
            by: s.center.clone(),
            date: day(21),
        },
    ]
}

/// A section's text read alone, then handed its whole policy's minimum living standard.
pub fn section(src: &str) -> EligibilityPolicy {
    EligibilityPolicy::from_toml_section(src)
        .expect("section parses")
        .with_minimum_standard(Some(standard_for(src)))
}
