//! Household facts for the generator: the worker, the members, incomes consistent with the
//! hardship category the file is in, documents, and valid (synthetic) ID numbers.

use std::collections::{BTreeSet, HashSet};

use bangfu_core::{HouseholdId, Money, NaiveDate, PersonId, SchoolStage, UnitId};
use bangfu_eligibility::{
    AccidentClaim, Assets, Document, DocumentKind, HardshipCategory, HardshipCause,
    HealthCondition, Household, IdNumber, Member, Person, Relation, SchoolFee, Schooling, Sex,
    Vehicle, VehicleKind, Worker,
};

use crate::{GenerateError, Rng, infeasible};

const SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "吴", "林", "符", "王", "陈", "周", "郑", "许", "羊",
];

/// What the generator decided about a household before its facts are drawn.
pub(crate) struct Plan<'a> {
    /// The six-digit region code of the ID numbers.
    pub(crate) region: &'a str,
    pub(crate) id: &'a HouseholdId,
    pub(crate) unit: &'a UnitId,
    pub(crate) size: u32,
    pub(crate) severe: bool,
    pub(crate) category: HardshipCategory,
    pub(crate) students: &'a [SchoolStage],
    /// Per-capita monthly income as a percentage of the minimum living standard.
    pub(crate) income_percent: u32,
    pub(crate) standard: Money,
    pub(crate) applied: NaiveDate,
}

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, GenerateError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| infeasible("bad date"))
}

/// The persons' serials (顺序码): a counter, and the ID numbers drawn so far, so that no two
/// persons of a year share one.
#[derive(Debug, Default)]
pub(crate) struct Serials {
    next: u32,
    used: HashSet<String>,
}

fn person(
    region: &str,
    id: String,
    name: String,
    birth: NaiveDate,
    sex: Sex,
    serial: u32,
    used: &mut HashSet<String>,
) -> Result<Person, GenerateError> {
    // GB 11643: 6-digit region (460100 is Haikou), birth date, 3-digit serial (odd for men),
    // check digit. A serial that would repeat an ID number already drawn (same birth date,
    // the counter wrapped) takes the next one.
    let first17 = (serial..serial + 500)
        .map(|s| {
            let s = match sex {
                Sex::Male => s * 2 + 1,
                Sex::Female => s * 2,
            } % 1000;
            format!("{region}{}{s:03}", birth.format("%Y%m%d"))
        })
        .find(|first17| used.insert(first17.clone()))
        .ok_or_else(|| infeasible("no serial left for an ID number of that birth date"))?;
    Ok(Person {
        id: PersonId::new(id)?,
        name,
        id_number: IdNumber::with_check_digit(&first17).map_err(|e| infeasible(e.to_string()))?,
        birth_date: birth,
        sex,
        health: BTreeSet::new(),
        school: None,
        employed: false,
        controlling_shareholder: false,
        runs_business: false,
        annual_income: Money::ZERO,
    })
}

fn born(
    rng: &mut Rng,
    on: NaiveDate,
    min_age: i64,
    max_age: i64,
) -> Result<NaiveDate, GenerateError> {
    let age_days = rng.between(min_age * 365 + 10, max_age * 365 + 300);
    on.checked_sub_days(chrono::Days::new(age_days as u64))
        .ok_or_else(|| infeasible("birth date"))
}

/// Draws the facts of a household consistent with its plan.
pub(crate) fn household(
    rng: &mut Rng,
    plan: &Plan<'_>,
    serials: &mut Serials,
) -> Result<Household, GenerateError> {
    let surname = SURNAMES
        .get(rng.below(SURNAMES.len() as u64) as usize)
        .copied()
        .unwrap_or("王");
    let on = plan.applied;
    let Serials { next, used } = serials;
    let mut next_serial = || {
        *next += 1;
        *next
    };
    let worker_sex = if rng.percent(60) {
        Sex::Male
    } else {
        Sex::Female
    };
    // Women retire at 50 and men at 60 in the policy: keep workers well inside.
    let (min_age, max_age) = match worker_sex {
        Sex::Male => (30, 52),
        Sex::Female => (28, 44),
    };
    let birth = born(rng, on, min_age, max_age)?;
    let mut worker = person(
        plan.region,
        format!("{}-w", plan.id),
        format!("{surname}某"),
        birth,
        worker_sex,
        next_serial(),
        used,
    )?;
    worker.employed = true;

    let mut members: Vec<Member> = Vec::new();
    let slots = plan.size.saturating_sub(1);
    let mut k = 0u32;
    let mut member = |birth: NaiveDate, sex: Sex, s: u32| -> Result<Person, GenerateError> {
        k += 1;
        person(
            plan.region,
            format!("{}-m{k}", plan.id),
            format!("{surname}某{k}"),
            birth,
            sex,
            s,
            used,
        )
    };
    if slots as usize > plan.students.len() {
        let sex = if worker_sex == Sex::Male {
            Sex::Female
        } else {
            Sex::Male
        };
        let birth = born(rng, on, min_age, max_age)?;
        let mut spouse = member(birth, sex, next_serial())?;
        spouse.employed = rng.percent(50);
        members.push(Member {
            person: spouse,
            relation: Relation::Spouse,
        });
    }
    for stage in plan.students {
        if members.len() as u32 >= slots {
            return Err(infeasible(format!(
                "{}: more students than members",
                plan.id
            )));
        }
        let (lo, hi) = match stage {
            SchoolStage::SeniorSecondary => (15, 17),
            SchoolStage::HigherVocational => (18, 20),
            _ => (18, 21),
        };
        let sex = if rng.percent(50) {
            Sex::Male
        } else {
            Sex::Female
        };
        let birth = born(rng, on, lo, hi)?;
        let mut child = member(birth, sex, next_serial())?;
        child.school = Some(Schooling {
            stage: *stage,
            fee: SchoolFee::Ordinary,
        });
        members.push(Member {
            person: child,
            relation: Relation::Child,
        });
    }
    while (members.len() as u32) < slots {
        let sex = if rng.percent(50) {
            Sex::Male
        } else {
            Sex::Female
        };
        if rng.percent(50) {
            let birth = born(rng, on, 1, 5)?;
            let child = member(birth, sex, next_serial())?;
            members.push(Member {
                person: child,
                relation: Relation::Child,
            });
        } else {
            let birth = born(rng, on, 66, 84)?;
            let parent = member(birth, sex, next_serial())?;
            members.push(Member {
                person: parent,
                relation: Relation::Parent,
            });
        }
    }

    // Health, causes and documents.
    let mut documents = vec![
        Document {
            kind: DocumentKind::CommitmentLetter,
            person: None,
        },
        Document {
            kind: DocumentKind::AuthorisationLetter,
            person: None,
        },
    ];
    let mut causes = Vec::new();
    if plan.severe {
        let condition = match rng.below(10) {
            0..=5 => HealthCondition::MajorIllness,
            6..=8 => HealthCondition::PhysicalDisability,
            _ => HealthCondition::MentalIllness,
        };
        let pick = rng.below(u64::from(plan.size)) as usize;
        let who: &mut Person = match pick.checked_sub(1).and_then(|i| members.get_mut(i)) {
            Some(m) => &mut m.person,
            None => &mut worker,
        };
        who.health.insert(condition);
        let doc = if condition == HealthCondition::PhysicalDisability {
            DocumentKind::DisabilityCertificate
        } else {
            DocumentKind::Diagnosis
        };
        documents.push(Document {
            kind: doc,
            person: Some(who.id.clone()),
        });
        if condition == HealthCondition::PhysicalDisability {
            causes.push(HardshipCause::NoWorkCapacity);
        } else {
            causes.push(HardshipCause::SeriousIllness);
            documents.push(Document {
                kind: DocumentKind::Diagnosis,
                person: None,
            });
        }
    }
    let mut accident = None;
    match plan.category {
        HardshipCategory::Accident => {
            causes.insert(0, HardshipCause::Accident);
            documents.push(Document {
                kind: DocumentKind::AccidentProof,
                person: None,
            });
        }
        HardshipCategory::Subsistence => {
            if causes.is_empty() {
                causes.push(HardshipCause::NoSocialInsurance);
            }
        }
        _ => {
            if causes.is_empty() {
                if plan.students.is_empty() {
                    causes.push(HardshipCause::LaidOff);
                    documents.push(Document {
                        kind: DocumentKind::UnemploymentProof,
                        person: None,
                    });
                } else {
                    causes.push(HardshipCause::ChildSchooling);
                    documents.push(Document {
                        kind: DocumentKind::EnrolmentProof,
                        person: None,
                    });
                }
            }
        }
    }

    // Income: per-capita monthly = percent × L, earned by the worker and the spouse.
    let annual = plan
        .standard
        .fen()
        .checked_mul(i64::from(plan.income_percent) * 12 * i64::from(plan.size))
        .ok_or_else(|| infeasible("income overflow"))?
        / 100
        / 100
        * 100; // whole yuan, rounded down so the household stays under its line
    if plan.category == HardshipCategory::Accident {
        accident = Some(AccidentClaim {
            date: date(2017, 1 + rng.below(6) as u32, 1 + rng.below(28) as u32)?,
            cost: Money::from_fen(annual * 9 / 10 / 100 * 100)?,
        });
    }
    let spouse_share = match members.first() {
        Some(m) if m.relation == Relation::Spouse && m.person.employed => {
            annual * rng.between(20, 45) / 100 / 100 * 100
        }
        _ => 0,
    };
    worker.annual_income = Money::from_fen(annual - spouse_share)?;
    if let Some(m) = members.first_mut()
        && spouse_share > 0
    {
        m.person.annual_income = Money::from_fen(spouse_share)?;
    }

    let mut vehicles = Vec::new();
    if rng.percent(10) {
        vehicles.push(Vehicle {
            kind: VehicleKind::Motorcycle,
            regular_use: true,
            as_employee: false,
        });
    }
    Ok(Household {
        id: plan.id.clone(),
        worker: Worker {
            person: worker,
            union_member: true,
            employer: UnitId::new(format!("{}-employer-{}", plan.unit, 1 + rng.below(12)))?,
            union_unit: plan.unit.clone(),
            migrant: false,
            contract_months: 0,
        },
        members,
        annual_income: Money::from_fen(annual)?,
        other_income: Money::ZERO,
        rigid_expenditure: Money::ZERO,
        assets: Assets {
            homes: u32::from(rng.percent(85)),
            vehicles,
            ..Assets::default()
        },
        causes,
        accident,
        high_consumption: false,
        refused_verification: false,
        documents,
        // Generated households live in the policy's own city.
        city: None,
    })
}
