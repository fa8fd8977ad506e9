//! The year's one path: claims decided once, payments posted with the file's payability
//! checked on the payment date, a union's recorded payments checked by the same rules.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bangfu_core::{
    AidCategory, AidKind, ArchiveTier, Coded, Money, NaiveDate, PaymentChannel, PersonId,
};
use bangfu_data::hainan2018 as hn;
use bangfu_eligibility::{Actor, CancelReason, CaseEvent, Role};
use bangfu_funding::{Disbursement, FundSource, Income, IncomeKind, Posting, Reversal};
use bangfu_year::records::{ClaimDetail, ClaimRecord, HouseholdRecord};
use bangfu_year::{DefectKind, Payment, Policy, ProgrammeYear};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, m, d).unwrap()
}

fn yuan(n: i64) -> Money {
    Money::from_yuan(n).unwrap()
}

/// The Hainan policy, with the medical cap counted per `scope` (`applicant` or `household`).
fn policy(scope: &str) -> Policy {
    let text = hn::POLICY_TOML.replace(
        "[[aid.medical.cap_scope]]\nfrom = \"2018-01-01\"\nvalue = \"applicant\"",
        &format!("[[aid.medical.cap_scope]]\nfrom = \"2018-01-01\"\nvalue = \"{scope}\""),
    );
    assert!(text.contains(&format!("value = \"{scope}\"")));
    Policy::from_toml(&text).unwrap()
}

/// HK-0001 (a national-tier household of four, filed in October 2017) in a year with money.
fn year(policy: Policy) -> (ProgrammeYear, HouseholdRecord) {
    let mut year = ProgrammeYear::new(policy, hn::budget().unwrap()).unwrap();
    let record = hn::households()
        .unwrap()
        .into_iter()
        .find(|r| r.id().as_str() == "HK-0001")
        .unwrap();
    assert_eq!(record.tier, ArchiveTier::National);
    assert!(record.household.members.len() >= 2);
    year.file_household(record.clone()).unwrap();
    let grant = Income::new(
        "in-1".parse().unwrap(),
        day(1, 10),
        FundSource::CentralFiscal,
        IncomeKind::Allocation,
        yuan(100_000),
    );
    year.income(grant).unwrap();
    (year, record)
}

fn medical(id: &str, r: &HouseholdRecord, applicant: &PersonId, date: NaiveDate) -> ClaimRecord {
    ClaimRecord {
        id: id.parse().unwrap(),
        case: r.case.clone(),
        household: r.id().clone(),
        date,
        detail: ClaimDetail::Medical {
            applicant: applicant.clone(),
            out_of_pocket: yuan(40_000),
        },
    }
}

/// A payment of 15,000 medical aid on `claim` as a union's own records hold it.
fn recorded(id: &str, r: &HouseholdRecord, claim: &str, date: NaiveDate) -> Posting {
    Disbursement {
        id: id.parse().unwrap(),
        date,
        source: FundSource::CentralFiscal,
        category: AidCategory::Medical,
        kind: AidKind::Regular,
        household: r.id().clone(),
        tier: r.tier,
        channel: PaymentChannel::UnionMemberCard,
        amount: yuan(15_000),
        unit: None,
        entered: Some(date),
        order: None,
        claim: Some(claim.parse().unwrap()),
        campaign: None,
    }
    .into()
}

/// A payment of `claim` from central fiscal money to the member card, entered the same day.
fn payment(id: &str, claim: &str, date: NaiveDate) -> Payment {
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

#[test]
fn two_members_each_get_the_cap_per_applicant_and_one_cap_per_household() {
    // Per applicant: each member's claim decides the full cap, and the payments are lawful.
    let (mut y, r) = year(policy("applicant"));
    let (a, b) = (
        &r.household.members[0].person.id,
        &r.household.members[1].person.id,
    );
    assert_eq!(
        y.claim(medical("c-1", &r, a, day(3, 1))).unwrap().amount,
        yuan(15_000)
    );
    assert_eq!(
        y.claim(medical("c-2", &r, b, day(3, 2))).unwrap().amount,
        yuan(15_000)
    );
    assert!(
        y.record(recorded("p-1", &r, "c-1", day(3, 5)))
            .unwrap()
            .is_empty()
    );
    assert!(
        y.record(recorded("p-2", &r, "c-2", day(3, 6)))
            .unwrap()
            .is_empty()
    );
    let p = y.payments();
    assert_eq!(p.payments.count, 2);
    assert_eq!(p.compliance.total(), 0, "{:?}", p.defects);

    // Per household: the second claim decides 0, and a recorded 15,000 for it is named as an
    // over-standard payment.
    let (mut y, r) = year(policy("household"));
    assert_eq!(
        y.claim(medical("c-1", &r, a, day(3, 1))).unwrap().amount,
        yuan(15_000)
    );
    let second = y.claim(medical("c-2", &r, b, day(3, 2))).unwrap();
    assert_eq!(second.amount, Money::ZERO);
    assert!(second.order.is_none());
    assert!(
        y.record(recorded("p-1", &r, "c-1", day(3, 5)))
            .unwrap()
            .is_empty()
    );
    let found = y.record(recorded("p-2", &r, "c-2", day(3, 6))).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, DefectKind::OverStandard);
    assert_eq!(found[0].posting, "p-2");
    assert_eq!(found[0].code, "year.over_standard");
    assert!(
        found[0].detail.contains("15000.00 above the standard 0.00"),
        "{}",
        found[0].detail
    );
    let p = y.payments();
    assert_eq!(p.compliance.over_standard_payments.count, 1);
    assert_eq!(
        p.compliance.over_standard_payments.records[0].as_str(),
        "p-2"
    );
    // In operation the same payment cannot be made: there is nothing to pay on the claim.
    let pay = payment("p-3", "c-2", day(3, 7));
    assert_eq!(y.pay(pay).unwrap_err().code(), "year.nothing_to_pay");
}

#[test]
fn a_payment_to_a_file_cancelled_before_its_date_is_refused_and_changes_nothing() {
    let (mut y, r) = year(policy("applicant"));
    let a = r.household.members[0].person.id.clone();
    y.claim(medical("c-1", &r, &a, day(3, 1))).unwrap();
    let center = Actor::new("center".parse().unwrap(), Role::AidCenter);
    y.case_event(
        &r.case,
        CaseEvent::Cancel {
            by: center,
            date: day(3, 2),
            effective: day(3, 2),
            reason: CancelReason::Deceased,
            note: None,
        },
    )
    .unwrap();
    let (ledger, registry, statement) = (
        y.ledger().clone(),
        y.registry().clone(),
        y.statement().unwrap(),
    );
    let pay = payment("p-1", "c-1", day(3, 5));
    let before = y.clone();
    let err = y.pay(pay.clone()).unwrap_err();
    assert_eq!(err.code(), "year.not_payable");
    assert_eq!(y, before, "the whole year is as it was");
    assert_eq!(y.ledger(), &ledger);
    assert_eq!(y.registry(), &registry);
    assert_eq!(y.statement().unwrap(), statement);
    assert_eq!(y.payments().payments.count, 0);

    // Recorded in a union's history, the same payment is kept and named.
    let claim = y.claim(medical("c-1", &r, &a, day(3, 1))).unwrap();
    let order = claim.order.unwrap();
    let posting = bangfu_year::orders::Payout::new(pay.source, pay.channel)
        .disbursement(&order, "p-1".parse().unwrap());
    let mut posting = posting;
    posting.date = day(3, 5);
    let found = y.record(posting.into()).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].kind, DefectKind::NotPayable);
    assert_eq!(y.payments().compliance.unpayable_payments.count, 1);
}

#[test]
fn the_same_payment_twice_is_one_payment_and_a_claim_cannot_change() {
    let (mut y, r) = year(policy("applicant"));
    let a = r.household.members[0].person.id.clone();
    let c = medical("c-1", &r, &a, day(3, 1));
    y.claim(c.clone()).unwrap();
    assert_eq!(y.claim(c.clone()).unwrap().amount, yuan(15_000));
    let mut other = c;
    other.date = day(3, 3);
    assert_eq!(y.claim(other).unwrap_err().code(), "year.claim_conflict");
    let pay = payment("p-1", "c-1", day(3, 5));
    let first = y.pay(pay.clone()).unwrap();
    assert_eq!(y.pay(pay).unwrap(), first);
    assert_eq!(y.payments().payments.count, 1);
    assert_eq!(y.statement().unwrap().totals.spent, yuan(15_000));
}

fn reversal(id: &str, of: &str, amount: Money, date: NaiveDate) -> Reversal {
    Reversal {
        id: id.parse().unwrap(),
        date,
        reverses: of.parse().unwrap(),
        source: FundSource::CentralFiscal,
        amount,
        reason: "录入错误".to_owned(),
    }
}

#[test]
fn a_reversed_payment_is_taken_back_from_the_claim_the_book_and_the_figures() {
    let (mut y, r) = year(policy("applicant"));
    let a = r.household.members[0].person.id.clone();
    y.claim(medical("c-1", &r, &a, day(3, 1))).unwrap();
    y.pay(payment("p-1", "c-1", day(3, 5))).unwrap();
    // A reversal refused changes nothing: dated before what the year recorded last, or not
    // stating the payment's amount.
    let before = y.clone();
    for (refused, code) in [
        (
            reversal("rev-0", "p-1", yuan(15_000), day(3, 4)),
            "year.out_of_order",
        ),
        (
            reversal("rev-0", "p-1", yuan(1_500), day(3, 6)),
            "funding.reversal_mismatch",
        ),
    ] {
        assert_eq!(y.reverse(refused).unwrap_err().code(), code);
        assert_eq!(y, before);
    }
    y.reverse(reversal("rev-1", "p-1", yuan(15_000), day(3, 6)))
        .unwrap();
    let p = y.payments();
    assert_eq!((p.payments.count, p.reversed.count), (0, 1));
    assert!(p.per_household.is_empty(), "{:?}", p.per_household);
    assert_eq!(y.statement().unwrap().totals.spent, Money::ZERO);
    // The same reversal again is its first receipt and takes nothing back twice.
    let again = y.clone();
    y.reverse(reversal("rev-1", "p-1", yuan(15_000), day(3, 6)))
        .unwrap();
    assert_eq!(y, again);
    // The claim is due again, once, under a new payment id.
    assert_eq!(
        y.pay(payment("p-1", "c-1", day(3, 7))).unwrap_err().code(),
        "funding.id_conflict"
    );
    y.pay(payment("p-2", "c-1", day(3, 7))).unwrap();
    assert_eq!(y.statement().unwrap().totals.spent, yuan(15_000));
    assert_eq!(y.payments().payments.count, 1);

    // A payment without a claim commits living aid to the year-to-date; reversed, the room
    // under the yearly limit comes back.
    let (mut y, r) = year(policy("applicant"));
    let living = |id: &str, date: NaiveDate, amount: Money| -> Posting {
        Disbursement {
            id: id.parse().unwrap(),
            date,
            source: FundSource::CentralFiscal,
            category: AidCategory::Living,
            kind: AidKind::Regular,
            household: r.id().clone(),
            tier: r.tier,
            channel: PaymentChannel::UnionMemberCard,
            amount,
            unit: None,
            entered: Some(date),
            order: None,
            claim: None,
            campaign: None,
        }
        .into()
    };
    // 1,600 is above this household's standard of 1,200: a defect of the recorded payment.
    let found = y.record(living("l-1", day(4, 1), yuan(1_600))).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(y.payments().compliance.over_standard_payments.count, 1);
    let paid = |y: &ProgrammeYear| y.remaining(r.id(), day(4, 3)).unwrap().living_paid;
    assert_eq!(paid(&y), yuan(1_600));
    // Reversed (entered in error), it counts nowhere: not in the year-to-date, not as a
    // defect.
    y.reverse(reversal("rev-l", "l-1", yuan(1_600), day(4, 2)))
        .unwrap();
    assert_eq!(paid(&y), Money::ZERO);
    let p = y.payments();
    assert!(p.defects.is_empty(), "{:?}", p.defects);
    assert_eq!(p.compliance.over_standard_payments.count, 0);
    assert_eq!(p.reversed.records[0].as_str(), "l-1");
}

/// A household whose every step is recorded in `case-events.jsonl` (procedure `recorded`)
/// gives the same case file as the standard procedure the events were taken from.
#[test]
fn a_procedure_recorded_step_by_step_is_the_standard_one_written_out() {
    use bangfu_year::dir::YearDir;
    use bangfu_year::records::{CaseEventRecord, Procedure};
    let record = hn::households()
        .unwrap()
        .into_iter()
        .find(|r| r.id().as_str() == "HK-0001")
        .unwrap();
    let files = |households: &str, events: &str| {
        let mut f = std::collections::BTreeMap::new();
        f.insert(
            "policy.toml".to_owned(),
            hn::POLICY_TOML.as_bytes().to_vec(),
        );
        f.insert(
            "budget.toml".to_owned(),
            hn::BUDGET_TOML.as_bytes().to_vec(),
        );
        f.insert(
            "households.jsonl".to_owned(),
            households.as_bytes().to_vec(),
        );
        f.insert("case-events.jsonl".to_owned(), events.as_bytes().to_vec());
        f
    };
    let standard = YearDir::read(&files(&serde_json::to_string(&record).unwrap(), ""))
        .unwrap()
        .build()
        .unwrap()
        .year;
    let file = standard.registry().get(&record.case).unwrap();
    let events: String = file
        .history()
        .iter()
        .map(|e| {
            let r = CaseEventRecord {
                case: record.case.clone(),
                change: e.clone(),
            };
            serde_json::to_string(&r).unwrap() + "\n"
        })
        .collect();
    assert!(events.lines().count() >= 7, "{events}");
    let mut recorded = record.clone();
    recorded.procedure = Procedure::Recorded;
    let line = serde_json::to_string(&recorded).unwrap();
    assert!(line.contains("\"procedure\":\"recorded\""));
    let built = YearDir::read(&files(&line, &events))
        .unwrap()
        .build()
        .unwrap()
        .year;
    assert_eq!(built.registry(), standard.registry());
    // Without its events the file stays open, pending: not payable.
    let bare = YearDir::read(&files(&line, ""))
        .unwrap()
        .build()
        .unwrap()
        .year;
    assert!(!bare.registry().is_payable_on(record.id(), day(6, 1)));
    assert!(standard.registry().is_payable_on(record.id(), day(6, 1)));
}

#[test]
fn the_progress_of_a_build_adds_up_to_every_record_of_the_directory() {
    let dir = bangfu_year::dir::YearDir::read(&hn::files()).unwrap();
    let records = dir.records();
    let (_, placed) = bangfu_year::dir::YearDir::read(&hn::files())
        .unwrap()
        .into_records();
    assert_eq!(records, placed.len() as u64);
    let mut calls = Vec::new();
    let built = dir.build_with(&mut |n| calls.push(n)).unwrap();
    assert_eq!(calls.iter().sum::<u64>(), records);
    assert!(calls.iter().all(|&n| n <= 4096) && calls.len() as u64 == records / 4096 + 1);
    assert_eq!(
        built.year.closed_statement().unwrap().1,
        hn::programme_year().unwrap().closed_statement().unwrap().1
    );
}

/// The dated records (claims, postings, payments) of a directory in the order the year takes
/// them: by day, on one day claims before postings before payments, each file in its order.
fn dated_order(files: &std::collections::BTreeMap<String, Vec<u8>>) -> Vec<(NaiveDate, u8, usize)> {
    use bangfu_year::dir::YearRecord;
    let (_, placed) = bangfu_year::dir::YearDir::read(files)
        .unwrap()
        .into_records();
    placed
        .iter()
        .filter_map(|p| match &p.record {
            YearRecord::Claim(c) => Some((c.date, 0, p.line)),
            YearRecord::Posting(x) => Some((x.date(), 1, p.line)),
            YearRecord::Payment(x) => Some((x.date, 2, p.line)),
            _ => None,
        })
        .collect()
}

#[test]
fn claims_and_postings_are_taken_by_day_whatever_the_order_of_their_files() {
    let mut files = hn::files();
    let in_order = dated_order(&files);
    let mut sorted = in_order.clone();
    sorted.sort();
    assert_eq!(in_order, sorted);
    assert_eq!(
        in_order.len(),
        hn::claims().unwrap().len() + hn::ledger_records().unwrap().len()
    );
    // The claims and the ledger written backwards: still taken by day, and on one day in
    // the order of their lines.
    for name in ["claims.jsonl", "ledger.jsonl"] {
        let text = String::from_utf8(files[name].clone()).unwrap();
        let mut lines: Vec<&str> = text.lines().collect();
        lines.reverse();
        files.insert(name.to_owned(), (lines.join("\n") + "\n").into_bytes());
    }
    let backwards = dated_order(&files);
    let mut keys: Vec<(NaiveDate, u8)> = backwards.iter().map(|k| (k.0, k.1)).collect();
    keys.dedup();
    let mut days = keys.clone();
    days.sort();
    days.dedup();
    assert_eq!(keys, days, "one run per day and file, in order");
    for w in backwards.windows(2) {
        if (w[0].0, w[0].1) == (w[1].0, w[1].1) {
            assert!(w[0].2 < w[1].2, "file order within a day");
        }
    }
}

#[test]
fn a_recorded_payment_twice_is_one_payment_with_its_first_findings() {
    let (mut y, r) = year(policy("applicant"));
    let a = r.household.members[0].person.id.clone();
    y.claim(medical("c-1", &r, &a, day(3, 1))).unwrap();
    // Paid twice over the decision: the second is over the standard.
    let first = y.record(recorded("p-1", &r, "c-1", day(3, 5))).unwrap();
    assert!(first.is_empty());
    let over = y.record(recorded("p-2", &r, "c-1", day(3, 6))).unwrap();
    assert_eq!(over.len(), 1);
    let remaining = y.remaining(r.id(), day(12, 31)).unwrap();
    let payments = y.payments();
    let statement = y.statement().unwrap();
    // Each recorded again, also after a later posting: its first result, nothing changes.
    assert_eq!(
        y.record(recorded("p-1", &r, "c-1", day(3, 5))).unwrap(),
        first
    );
    assert_eq!(
        y.record(recorded("p-2", &r, "c-1", day(3, 6))).unwrap(),
        over
    );
    assert_eq!(y.remaining(r.id(), day(12, 31)).unwrap(), remaining);
    assert_eq!(y.payments(), payments);
    assert_eq!(y.statement().unwrap(), statement);
    // The same id with other content is still refused.
    let mut other = recorded("p-1", &r, "c-1", day(3, 7));
    if let Posting::Disbursement(d) = &mut other {
        d.amount = yuan(10);
    }
    assert!(y.record(other).is_err());
}
