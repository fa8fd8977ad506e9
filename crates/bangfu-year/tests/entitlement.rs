//! A household's remaining entitlement read from the year's recorded payments as of a date
//! (issue 14 item 7): a payment counts from its own day, not the day before; a claim decided
//! but not paid takes nothing; a reversal gives the amount back from its day; sending warmth
//! and each student's education aid too.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bangfu_core::{AidCategory, AidKind, Money, NaiveDate, PaymentChannel};
use bangfu_data::hainan2018 as hn;
use bangfu_funding::{Disbursement, FundSource, Income, IncomeKind, Reversal};
use bangfu_year::records::{ClaimDetail, ClaimRecord, HouseholdRecord};
use bangfu_year::{Payment, ProgrammeYear};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, m, d).unwrap()
}

fn household(id: &str) -> HouseholdRecord {
    hn::households()
        .unwrap()
        .into_iter()
        .find(|r| r.id().as_str() == id)
        .unwrap()
}

fn claim(id: &str, r: &HouseholdRecord, date: NaiveDate, detail: ClaimDetail) -> ClaimRecord {
    ClaimRecord {
        id: id.parse().unwrap(),
        case: r.case.clone(),
        household: r.id().clone(),
        date,
        detail,
    }
}

fn pay(id: &str, claim: &str, date: NaiveDate) -> Payment {
    Payment {
        id: id.parse().unwrap(),
        claim: claim.parse().unwrap(),
        date,
        source: FundSource::CentralFiscal,
        channel: PaymentChannel::UnionMemberCard,
        unit: None,
        entered: Some(date),
    }
}

/// HK-0001 (no student) and JG-0025 (a student, JG-0025-m2) in a year whose records run to
/// August: sending warmth on January 20, a medical claim on March 1 paid March 5 and
/// reversed March 10, an education claim on August 15 paid August 20.
fn year() -> (ProgrammeYear, HouseholdRecord, HouseholdRecord) {
    let mut y = ProgrammeYear::new(hn::policy().unwrap(), hn::budget().unwrap()).unwrap();
    let (hk, jg) = (household("HK-0001"), household("JG-0025"));
    y.file_household(hk.clone()).unwrap();
    y.file_household(jg.clone()).unwrap();
    let money = Money::from_yuan(100_000).unwrap();
    y.income(Income::new(
        "in-1".parse().unwrap(),
        day(1, 10),
        FundSource::CentralFiscal,
        IncomeKind::Allocation,
        money,
    ))
    .unwrap();
    let warmth = Disbursement {
        id: "w-1".parse().unwrap(),
        date: day(1, 20),
        source: FundSource::CentralFiscal,
        category: AidCategory::Living,
        kind: AidKind::SendingWarmth,
        household: hk.id().clone(),
        tier: hk.tier,
        channel: PaymentChannel::UnionMemberCard,
        amount: Money::from_yuan(800).unwrap(),
        unit: None,
        entered: Some(day(1, 20)),
        order: None,
        claim: None,
        campaign: None,
    };
    assert!(y.record(warmth.into()).unwrap().is_empty());
    let applicant = hk.household.worker.person.id.clone();
    let cost = Money::from_yuan(10_000).unwrap();
    let medical = ClaimDetail::Medical {
        applicant,
        out_of_pocket: cost,
    };
    y.claim(claim("m-1", &hk, day(3, 1), medical)).unwrap();
    y.pay(pay("p-1", "m-1", day(3, 5))).unwrap();
    y.reverse(Reversal {
        id: "rev-1".parse().unwrap(),
        date: day(3, 10),
        reverses: "p-1".parse().unwrap(),
        source: FundSource::CentralFiscal,
        amount: Money::from_yuan(5_000).unwrap(),
        reason: "entered twice".to_owned(),
    })
    .unwrap();
    let student = ClaimDetail::Education {
        student: "JG-0025-m2".parse().unwrap(),
    };
    y.claim(claim("e-1", &jg, day(8, 15), student)).unwrap();
    y.pay(pay("p-2", "e-1", day(8, 20))).unwrap();
    (y, hk, jg)
}

#[test]
fn medical_aid_counts_from_the_payment_day_until_its_reversal() {
    let (y, hk, _) = year();
    let paid = |d| y.remaining(hk.id(), d).unwrap().medical_paid;
    let yuan = |n| Money::from_yuan(n).unwrap();
    // Decided on March 1 but not paid: nothing is taken from the cap.
    assert_eq!(paid(day(3, 4)), Money::ZERO);
    // Paid on March 5: it counts on the day, and after.
    assert_eq!(paid(day(3, 5)), yuan(5_000));
    assert_eq!(paid(day(3, 9)), yuan(5_000));
    let e = y.remaining(hk.id(), day(3, 9)).unwrap();
    assert_eq!(e.medical_remaining, yuan(10_000));
    // Reversed on March 10: the amount comes back from that day.
    assert_eq!(paid(day(3, 10)), Money::ZERO);
    assert_eq!(
        y.remaining(hk.id(), day(3, 10)).unwrap().medical_remaining,
        yuan(15_000)
    );
}

#[test]
fn sending_warmth_and_education_read_the_same_way() {
    let (y, hk, jg) = year();
    let yuan = |n| Money::from_yuan(n).unwrap();
    let warmth = |d| y.remaining(hk.id(), d).unwrap().sending_warmth.unwrap();
    assert_eq!(
        (warmth(day(1, 19)).paid, warmth(day(1, 19)).remaining),
        (Money::ZERO, yuan(1_000))
    );
    assert_eq!(
        (warmth(day(1, 20)).paid, warmth(day(1, 20)).remaining),
        (yuan(800), yuan(200))
    );
    // Sending warmth is not regular living aid: the living standard is untouched.
    assert_eq!(
        y.remaining(hk.id(), day(12, 31)).unwrap().living_paid,
        Money::ZERO
    );
    // HK-0001 has no student; JG-0025's student is paid once, on August 20.
    assert!(
        y.remaining(hk.id(), day(12, 31))
            .unwrap()
            .education
            .is_empty()
    );
    let student = |d| {
        let e = y.remaining(jg.id(), d).unwrap();
        e.education
            .into_iter()
            .find(|s| s.student.as_str() == "JG-0025-m2")
            .unwrap()
    };
    let before = student(day(8, 19));
    let amount = before.amount.unwrap();
    assert!(amount > Money::ZERO);
    assert_eq!((before.paid, before.remaining), (Money::ZERO, amount));
    let on = student(day(8, 20));
    assert_eq!((on.paid, on.remaining), (amount, Money::ZERO));
}
