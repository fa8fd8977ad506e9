//! The embedded 2018 registry joined to the 2018 ledger: every household paid is filed,
//! active and eligible on each payment date; the withdrawn households' recovery orders are
//! the ledger's recoveries; each refused applicant shows its exclusion; every medical and
//! education payment is what the calculators decide on its claim, and every living and
//! sending-warmth payment is inside the policy's limits.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::BTreeMap;

use bangfu::aid::{AmountClaim, Calculator, Explain, MedicalClaim, PaymentOrder, YearToDate};
use bangfu::core::{AidCategory, AidKind, ArchiveStatus, HouseholdId, Money, NaiveDate};
use bangfu::eligibility::{Outcome, assess};
use bangfu::funding::{IncomeKind, Posting};
use bangfu::hainan2018;
use bangfu::records::{ClaimDetail, HouseholdRecord};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, m, d).unwrap()
}

#[test]
fn every_paid_household_is_filed_active_and_eligible_on_its_payment_dates() {
    let policy = hainan2018::policy().unwrap();
    let registry = hainan2018::registry().unwrap();
    let records = hainan2018::households().unwrap();
    let by_id: BTreeMap<&HouseholdId, &HouseholdRecord> =
        records.iter().map(|r| (r.id(), r)).collect();
    let mut checked = 0;
    for p in hainan2018::ledger_records().unwrap() {
        let Posting::Disbursement(d) = p else {
            continue;
        };
        let record = by_id[&d.household];
        assert!(
            registry.is_payable_on(&d.household, d.date),
            "{} not payable on {}",
            d.household,
            d.date
        );
        assert_eq!(
            registry.status_on(&d.household, d.date),
            Some(ArchiveStatus::Active)
        );
        let decision = assess(&policy.eligibility, &record.household, d.date).unwrap();
        assert_eq!(
            decision.outcome,
            Outcome::Eligible {
                category: record.category,
                tier: record.tier
            },
            "{} on {}: {:?}",
            d.household,
            d.date,
            decision.reasons
        );
        checked += 1;
    }
    assert_eq!(checked, 8236);
    // Each of the 966 went through the seven steps and is active all year.
    let filed: Vec<_> = records.iter().filter(|r| r.withdrawal.is_none()).collect();
    assert_eq!(filed.len(), 966);
    for r in &filed {
        let file = registry.get(&r.case).unwrap();
        assert!(r.applied.format("%Y").to_string() == "2017");
        assert!(
            registry.is_payable_on(r.id(), day(1, 1))
                && registry.is_payable_on(r.id(), day(12, 31))
        );
        assert_eq!(file.proposal(), Some((r.category, r.tier)));
    }
    let dependants: usize = filed.iter().map(|r| r.household.members.len()).sum();
    assert!(
        (3100..3200).contains(&dependants),
        "供养人口3100余人: {dependants} members besides the workers"
    );
}

#[test]
fn the_withdrawn_households_recovery_orders_are_the_ledgers_recoveries() {
    let registry = hainan2018::registry().unwrap();
    let records = hainan2018::households().unwrap();
    let withdrawn: Vec<_> = records.iter().filter(|r| r.withdrawal.is_some()).collect();
    assert_eq!(withdrawn.len(), 17);
    let mut ordered = Money::ZERO;
    let recoveries: BTreeMap<HouseholdId, (NaiveDate, Money)> = hainan2018::ledger_records()
        .unwrap()
        .into_iter()
        .filter_map(|p| match p {
            Posting::Income(i) if i.kind == IncomeKind::Recovery => {
                Some((i.household.clone().unwrap(), (i.date, i.amount)))
            }
            _ => None,
        })
        .collect();
    for r in withdrawn {
        let file = registry.get(&r.case).unwrap();
        let order = file
            .recovery_order()
            .expect("a withdrawal issues a recovery order");
        ordered = ordered.checked_add(order.amount).unwrap();
        let (recovered_on, amount) = recoveries[r.id()];
        assert_eq!(order.amount, amount, "{}", r.id());
        let effective = r.withdrawal.as_ref().unwrap().effective;
        assert!(effective <= recovered_on);
        assert!(!registry.is_payable_on(r.id(), effective));
        assert!(!registry.is_payable_on(r.id(), day(12, 31)));
        assert_eq!(
            registry.status_on(r.id(), day(12, 31)),
            Some(ArchiveStatus::Withdrawn)
        );
    }
    assert_eq!(ordered, Money::parse_wan("5.4098").unwrap());
    let run = hainan2018::run().unwrap();
    let union = run
        .statement
        .source(bangfu::funding::FundSource::ProvincialUnionFunds)
        .unwrap();
    assert_eq!(
        union.component(IncomeKind::Recovery).unwrap().amount,
        ordered
    );
}

#[test]
fn each_refused_applicant_shows_its_exclusion() {
    let policy = hainan2018::policy().unwrap();
    let registry = hainan2018::registry().unwrap();
    let applicants = hainan2018::applicants().unwrap();
    let mut shown: Vec<&str> = applicants.iter().map(|a| a.exclusion.as_str()).collect();
    shown.sort_unstable();
    let mut all: Vec<&str> = policy
        .eligibility
        .exclusions
        .iter()
        .map(|e| e.id.as_str())
        .collect();
    all.sort_unstable();
    assert_eq!(
        shown, all,
        "one refused applicant per exclusion of the policy"
    );
    for a in &applicants {
        let decision = assess(&policy.eligibility, &a.household, a.applied).unwrap();
        assert_eq!(decision.outcome, Outcome::NotEligible);
        let codes: Vec<&str> = decision.reasons.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(
            codes,
            vec![format!("exclusion.{}", a.exclusion).as_str()],
            "only its exclusion"
        );
        assert_eq!(
            registry.status_on(&a.household.id, a.applied),
            Some(ArchiveStatus::Pending)
        );
        assert_eq!(
            registry.status_on(&a.household.id, day(12, 31)),
            Some(ArchiveStatus::Rejected)
        );
        assert!(!registry.is_payable_on(&a.household.id, day(12, 31)));
    }
}

#[test]
fn every_payment_is_what_the_policy_pays() {
    let policy = hainan2018::policy().unwrap();
    let calc = Calculator::new(&policy.aid).unwrap();
    let records = hainan2018::households().unwrap();
    let by_id: BTreeMap<&HouseholdId, &HouseholdRecord> =
        records.iter().map(|r| (r.id(), r)).collect();
    let claims = hainan2018::claims().unwrap();
    let by_claim: BTreeMap<(HouseholdId, NaiveDate, AidCategory), Vec<_>> =
        claims.iter().fold(BTreeMap::new(), |mut m, c| {
            let cat = c.detail.category();
            m.entry((c.household.clone(), c.date, cat))
                .or_insert_with(Vec::new)
                .push(c);
            m
        });
    let mut living_so_far: BTreeMap<HouseholdId, Money> = BTreeMap::new();
    let (mut medical, mut education, mut living, mut warmth) = (0, 0, 0, 0);
    for p in hainan2018::ledger_records().unwrap() {
        let Posting::Disbursement(d) = p else {
            continue;
        };
        let record = by_id[&d.household];
        let file = record
            .file_facts(Some(ArchiveStatus::Active), Vec::new())
            .unwrap();
        match (d.category, d.kind) {
            (AidCategory::Medical | AidCategory::Education, _) => {
                let candidates = &by_claim[&(d.household.clone(), d.date, d.category)];
                let found = candidates.iter().any(|c| {
                    let decision = match &c.detail {
                        ClaimDetail::Medical { out_of_pocket, .. } => calc
                            .medical(
                                &file,
                                MedicalClaim {
                                    date: c.date,
                                    out_of_pocket: *out_of_pocket,
                                },
                                YearToDate::default(),
                                Explain::Off,
                            )
                            .unwrap(),
                        ClaimDetail::Education { student } => calc
                            .education(&file, c.date, student, false, Explain::Off)
                            .unwrap(),
                        other => panic!("the Hainan claims are medical or education: {other:?}"),
                    };
                    let order = PaymentOrder::for_decision(&file, &c.id, &decision)
                        .unwrap()
                        .unwrap();
                    decision.amount == d.amount
                        && d.order.as_deref() == Some(order.key.as_str())
                        && d.claim.as_ref() == Some(&c.id)
                });
                assert!(
                    found,
                    "payment {} is not the calculators' decision on its claim",
                    d.id
                );
                if d.category == AidCategory::Medical {
                    medical += 1;
                } else {
                    education += 1;
                }
            }
            (AidCategory::Living, AidKind::SendingWarmth) => {
                let decision = calc
                    .sending_warmth(
                        &file,
                        AmountClaim {
                            date: d.date,
                            requested: Some(d.amount),
                        },
                        Explain::Off,
                    )
                    .unwrap();
                assert_eq!(decision.amount, d.amount, "{}", d.id);
                warmth += 1;
            }
            (AidCategory::Living, _) => {
                let so_far = living_so_far
                    .entry(d.household.clone())
                    .or_insert(Money::ZERO);
                let decision = calc
                    .living(
                        &file,
                        AmountClaim {
                            date: d.date,
                            requested: Some(d.amount),
                        },
                        bangfu::aid::YearToDate {
                            paid: *so_far,
                            ..Default::default()
                        },
                        Explain::Off,
                    )
                    .unwrap();
                assert_eq!(
                    decision.amount, d.amount,
                    "{}: the policy would pay {} ({:?})",
                    d.id, decision.amount, decision.reasons
                );
                *so_far = so_far.checked_add(d.amount).unwrap();
                living += 1;
            }
            (other, _) => panic!("unexpected category {other}"),
        }
    }
    assert_eq!((medical, education, living + warmth), (237, 543, 7456));
    assert_eq!(claims.len(), 237 + 543);
}

#[test]
fn the_survey_is_82_households_of_three_unions_80_satisfied() {
    let survey = hainan2018::survey().unwrap();
    assert_eq!(survey.len(), 82);
    assert_eq!(survey.iter().filter(|v| v.satisfied).count(), 80);
    let units: std::collections::BTreeSet<_> = survey.iter().map(|v| v.unit.as_str()).collect();
    assert_eq!(units.len(), 3);
    assert!(!units.contains("hainan-reclamation"));
    let mut households: Vec<_> = survey.iter().map(|v| &v.household).collect();
    households.sort();
    households.dedup();
    assert_eq!(households.len(), 82, "no household visited twice");
    assert!(
        survey
            .iter()
            .all(|v| v.date >= day(5, 1) && v.date <= day(6, 30))
    );
}

#[test]
fn the_annual_review_of_2018_flags_no_file_of_the_966() {
    let policy = hainan2018::policy().unwrap();
    let registry = hainan2018::registry().unwrap();
    let report = bangfu::eligibility::annual_review(
        &registry,
        &policy.eligibility,
        &bangfu::core::WorkingCalendar::china().unwrap(),
        day(12, 31),
        &BTreeMap::new(),
    )
    .unwrap();
    let flagged: Vec<_> = report
        .flags
        .iter()
        .map(|f| format!("{} {}", f.case, f.flag))
        .collect();
    assert!(flagged.is_empty(), "{flagged:?}");
}
