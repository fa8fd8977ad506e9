//! What-if (政策模拟) on the embedded Hainan year, and the recorded payment of less than its
//! claim left, which a what-if that decides more than was paid depends on.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bangfu_core::{AidCategory, AidKind, Coded, Money, NaiveDate, PaymentChannel};
use bangfu_data::hainan2018 as hn;
use bangfu_funding::{Disbursement, FundSource, Income, IncomeKind};
use bangfu_year::ProgrammeYear;
use bangfu_year::records::{ClaimDetail, ClaimRecord};
use bangfu_year::whatif::{Delta, WhatIf};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, m, d).unwrap()
}

fn yuan(n: i64) -> Money {
    Money::from_yuan(n).unwrap()
}

/// The Hainan policy with the medical yearly cap at `cap` yuan.
fn with_cap(cap: &str) -> String {
    let text = hn::POLICY_TOML.replace(
        "[[aid.medical.yearly_cap]]\nfrom = \"2018-01-01\"\nvalue = \"15000.00\"",
        &format!("[[aid.medical.yearly_cap]]\nfrom = \"2018-01-01\"\nvalue = \"{cap}\""),
    );
    assert_ne!(text, hn::POLICY_TOML);
    text
}

/// A union's recorded payment of less than its claim was decided at is history the year
/// keeps: no excess, no defect, no refusal. (It was refused with `core.money.negative`: the
/// excess over the claim was computed with a subtraction that cannot go below zero.)
#[test]
fn a_recorded_payment_below_its_claim_is_kept() {
    let mut y = ProgrammeYear::new(hn::policy().unwrap(), hn::budget().unwrap()).unwrap();
    let r = hn::households()
        .unwrap()
        .into_iter()
        .find(|r| r.id().as_str() == "HK-0001")
        .unwrap();
    y.file_household(r.clone()).unwrap();
    y.income(Income::new(
        "in-1".parse().unwrap(),
        day(1, 10),
        FundSource::CentralFiscal,
        IncomeKind::Allocation,
        yuan(100_000),
    ))
    .unwrap();
    let applicant = r.household.worker.person.id.clone();
    let claim = ClaimRecord {
        id: "m-1".parse().unwrap(),
        case: r.case.clone(),
        household: r.id().clone(),
        date: day(3, 1),
        detail: ClaimDetail::Medical {
            applicant: applicant.clone(),
            out_of_pocket: yuan(10_000),
        },
    };
    assert_eq!(y.claim(claim).unwrap().amount, yuan(5_000));
    let paid = |id: &str, amount: Money, date| Disbursement {
        id: id.parse().unwrap(),
        date,
        source: FundSource::CentralFiscal,
        category: AidCategory::Medical,
        kind: AidKind::Regular,
        household: r.id().clone(),
        tier: r.tier,
        channel: PaymentChannel::UnionMemberCard,
        amount,
        unit: None,
        entered: Some(date),
        order: None,
        claim: Some("m-1".parse().unwrap()),
        campaign: None,
    };
    let defects = y
        .record(paid("p-1", yuan(3_000), day(3, 2)).into())
        .unwrap();
    assert!(defects.is_empty());
    assert_eq!(
        y.decided_claim(&"m-1".parse().unwrap()).unwrap().paid,
        yuan(3_000)
    );
    // The rest of the claim, then one yuan more: only that yuan is above the standard.
    assert!(
        y.record(paid("p-2", yuan(2_000), day(3, 3)).into())
            .unwrap()
            .is_empty()
    );
    let over = y.record(paid("p-3", yuan(1), day(3, 4)).into()).unwrap();
    assert_eq!(over.len(), 1);
    assert_eq!(over[0].code, "year.over_standard");
}

#[test]
fn the_same_policy_changes_nothing() {
    let w = WhatIf::of_files(&hn::files(), hn::POLICY_TOML).unwrap();
    assert_eq!(w.receipt.baseline, w.receipt.reform);
    assert_eq!((w.total.claims, w.total.changed), (780, 0));
    assert_eq!(w.total.amounts.difference, Delta::ZERO);
    assert_eq!(w.total.amounts.baseline, w.total.amounts.reform);
}

/// A lower cap decides less than the union paid: the difference is negative, every group
/// still adds up to the total, and the recorded payments above the new decisions are
/// findings under the reform.
#[test]
fn a_lower_cap_pays_less_and_finds_the_payments_above_it() {
    let w = WhatIf::of_files(&hn::files(), &with_cap("5000.00")).unwrap();
    let total = w.total.amounts.difference.fen();
    assert!(total < 0, "{total}");
    let groups: [Vec<i64>; 4] = [
        w.households
            .iter()
            .map(|l| l.totals.amounts.difference.fen())
            .collect(),
        w.units
            .iter()
            .map(|l| l.totals.amounts.difference.fen())
            .collect(),
        w.sources
            .iter()
            .map(|l| l.totals.amounts.difference.fen())
            .collect(),
        w.claims
            .iter()
            .map(|c| c.amounts.difference.fen())
            .collect(),
    ];
    for fens in groups {
        assert_eq!(fens.into_iter().sum::<i64>(), total);
    }
    assert!(
        w.claims
            .iter()
            .all(|c| c.amounts.reform <= yuan(5_000) || c.category != AidCategory::Medical)
    );
    assert_eq!(w.findings.baseline, 0);
    assert!(w.findings.reform > 0);
}

#[test]
fn a_bad_other_policy_is_refused_with_its_code() {
    let e = WhatIf::of_files(&hn::files(), "[meta]\njurisdiction = 1\n").unwrap_err();
    assert!(
        e.code().starts_with("read.") || e.code().starts_with("policy."),
        "{}",
        e.code()
    );
    // A directory that does not build is the baseline's problems, each with its file.
    let mut files = hn::files();
    files.insert("claims.jsonl".to_owned(), b"{\"id\":1}\n".to_vec());
    let e = WhatIf::of_files(&files, hn::POLICY_TOML).unwrap_err();
    assert_eq!(e.code(), "whatif.baseline_refused");
}
