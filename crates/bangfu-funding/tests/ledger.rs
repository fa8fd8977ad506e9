//! Ledger behaviour: each refusal with its code and no change, and property tests of the
//! ledger's invariants over random sequences of operations.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu_core::{
    AidCategory, AidKind, ArchiveTier, Coded, HouseholdId, Money, NaiveDate, PaymentChannel, Year,
};
use bangfu_funding::{
    Budget, CarryoverApproval, CarryoverStatus, Disbursement, FundSource, FundingPolicy, Income,
    IncomeKind, Ledger, PostOutcome, Posting, PostingId, Reversal, ReversedPosting, Statement,
};
use proptest::prelude::*;

fn policy() -> FundingPolicy {
    toml::from_str(bangfu_funding::EXAMPLE_POLICY).unwrap()
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, m, d).unwrap()
}

fn yuan(y: i64) -> Money {
    Money::from_yuan(y).unwrap()
}

fn income(id: &str, source: FundSource, amount: Money) -> Posting {
    Income::new(
        PostingId::new(id).unwrap(),
        day(1, 5),
        source,
        IncomeKind::Allocation,
        amount,
    )
    .into()
}

fn pay(id: &str, amount: Money) -> Disbursement {
    Disbursement {
        id: PostingId::new(id).unwrap(),
        date: day(3, 1),
        source: FundSource::CentralFiscal,
        category: AidCategory::Living,
        kind: AidKind::Regular,
        household: HouseholdId::new("HK-0001").unwrap(),
        tier: ArchiveTier::National,
        channel: PaymentChannel::UnionMemberCard,
        amount,
        unit: None,
        entered: None,
        order: None,
        claim: None,
        campaign: None,
    }
}

/// A ledger with 1,000 yuan of central funds and one payment of 100.
fn funded() -> Ledger {
    let mut l = Ledger::new(Year::new(2018).unwrap(), policy());
    l.post(income("inc-1", FundSource::CentralFiscal, yuan(1000)))
        .unwrap();
    l.post(pay("pay-1", yuan(100)).into()).unwrap();
    l
}

/// What must stay identical when an operation is refused.
fn snapshot(l: &Ledger) -> (Vec<Posting>, Vec<Money>) {
    (
        l.postings().to_vec(),
        FundSource::ALL.iter().map(|s| l.balance(*s)).collect(),
    )
}

fn refused(posting: Posting, code: &str) {
    let mut l = funded();
    let before = snapshot(&l);
    let err = l.post(posting).unwrap_err();
    assert_eq!(err.code(), code, "{err}");
    assert_eq!(snapshot(&l), before, "a refused posting changed the ledger");
}

#[test]
fn cash_is_refused() {
    refused(
        Disbursement {
            channel: PaymentChannel::Cash,
            ..pay("p2", yuan(1))
        }
        .into(),
        "funding.channel_refused",
    );
}

#[test]
fn overdraft_is_refused() {
    refused(pay("p2", yuan(901)).into(), "funding.overdraft");
    // Exactly the balance is fine.
    let mut l = funded();
    l.post(pay("p2", yuan(900)).into()).unwrap();
    assert_eq!(l.balance(FundSource::CentralFiscal), Money::ZERO);
}

#[test]
fn earmarks_are_enforced() {
    refused(
        Disbursement {
            category: AidCategory::VocationalTraining,
            ..pay("p2", yuan(1))
        }
        .into(),
        "funding.earmark_category",
    );
    refused(
        Disbursement {
            tier: ArchiveTier::Provincial,
            ..pay("p2", yuan(1))
        }
        .into(),
        "funding.earmark_tier",
    );
}

#[test]
fn unknown_source_is_refused() {
    refused(
        income("inc-2", FundSource::Donation, yuan(5)),
        "funding.unknown_source",
    );
    refused(
        Disbursement {
            source: FundSource::LocalFiscal,
            ..pay("p2", yuan(1))
        }
        .into(),
        "funding.unknown_source",
    );
}

#[test]
fn same_id_with_other_content_is_refused() {
    refused(pay("pay-1", yuan(101)).into(), "funding.id_conflict");
    refused(
        income("pay-1", FundSource::CentralFiscal, yuan(5)),
        "funding.id_conflict",
    );
}

#[test]
fn same_id_same_content_returns_the_first_result() {
    let mut l = funded();
    let first = l.post(pay("pay-2", yuan(50)).into()).unwrap();
    let again = l.post(pay("pay-2", yuan(50)).into()).unwrap();
    assert!(matches!(first, PostOutcome::Posted(_)));
    assert_eq!(again, PostOutcome::AlreadyPosted(first.receipt()));
    assert_eq!(l.balance(FundSource::CentralFiscal), yuan(850));
}

#[test]
fn a_payment_order_is_paid_once_whatever_the_posting_id() {
    let mut l = funded();
    let ordered = Disbursement {
        order: Some("aid|HK-0001/1|medical|regular|2018|c-1".into()),
        category: AidCategory::Medical,
        ..pay("pay-2", yuan(50))
    };
    let first = l.post(ordered.clone().into()).unwrap();
    // A retry of the same order under a new posting id pays nothing.
    let retry = Disbursement {
        id: PostingId::new("pay-2-retry").unwrap(),
        ..ordered.clone()
    };
    assert_eq!(
        l.post(retry.into()).unwrap(),
        PostOutcome::AlreadyPosted(first.receipt())
    );
    assert_eq!(l.balance(FundSource::CentralFiscal), yuan(850));
    // The same order with another amount is refused, and changes nothing.
    let before = snapshot(&l);
    let other = Disbursement {
        id: PostingId::new("pay-3").unwrap(),
        amount: yuan(60),
        ..ordered
    };
    assert_eq!(
        l.post(other.into()).unwrap_err().code(),
        "funding.order_conflict"
    );
    assert_eq!(snapshot(&l), before);
}

#[test]
fn dates_outside_the_year_are_refused() {
    refused(
        Disbursement {
            date: NaiveDate::from_ymd_opt(2019, 1, 1).unwrap(),
            ..pay("p2", yuan(1))
        }
        .into(),
        "funding.date_outside_year",
    );
    refused(
        Disbursement {
            date: NaiveDate::from_ymd_opt(2017, 12, 31).unwrap(),
            ..pay("p2", yuan(1))
        }
        .into(),
        "funding.date_outside_year",
    );
}

#[test]
fn zero_amounts_are_refused() {
    refused(pay("p2", Money::ZERO).into(), "funding.zero_amount");
}

#[test]
fn overflowing_income_is_refused() {
    let mut l = funded();
    let before = snapshot(&l);
    let err = l
        .post(income("huge", FundSource::CentralFiscal, Money::MAX))
        .unwrap_err();
    assert_eq!(err.code(), "core.money.overflow");
    assert_eq!(snapshot(&l), before);
}

#[test]
fn recoveries_name_the_household_and_match_what_they_reverse() {
    let recovery =
        |id: &str, household: Option<&str>, reverses: Option<&str>, amount: i64| -> Posting {
            let mut i = Income::new(
                PostingId::new(id).unwrap(),
                day(6, 1),
                FundSource::CentralFiscal,
                IncomeKind::Recovery,
                yuan(amount),
            );
            i.household = household.map(|h| HouseholdId::new(h).unwrap());
            i.reverses = reverses.map(|r| PostingId::new(r).unwrap());
            i.into()
        };
    refused(
        recovery("r1", None, None, 10),
        "funding.recovery_without_household",
    );
    refused(
        recovery("r1", Some("HK-0002"), Some("pay-1"), 10),
        "funding.recovery_mismatch",
    );
    // More than the payment: refused since the recovery limit (it was
    // `funding.recovery_mismatch` before).
    refused(
        recovery("r1", Some("HK-0001"), Some("pay-1"), 101),
        "funding.recovery_exceeds_payment",
    );
    // An income of this ledger is not a payment.
    refused(
        recovery("r1", Some("HK-0001"), Some("inc-1"), 10),
        "funding.recovery_mismatch",
    );
    let mut l = funded();
    l.post(recovery("r1", Some("HK-0001"), Some("pay-1"), 100))
        .unwrap();
    // A payment of an earlier year is not in this ledger and is taken as given.
    l.post(recovery("r2", Some("HK-0009"), Some("pay-2017-77"), 30))
        .unwrap();
    assert_eq!(l.balance(FundSource::CentralFiscal), yuan(1030));
}

fn recovery(id: &str, date: NaiveDate, reverses: &str, amount: Money) -> Posting {
    let mut i = Income::new(
        PostingId::new(id).unwrap(),
        date,
        FundSource::ProvincialUnionFunds,
        IncomeKind::Recovery,
        amount,
    );
    i.household = Some(HouseholdId::new("HK-0001").unwrap());
    i.reverses = Some(PostingId::new(reverses).unwrap());
    i.into()
}

#[test]
fn a_payment_is_recovered_at_most_once_in_total() {
    // A 1,000-yuan payment and five recoveries of 1,000 that each name it: only the first is
    // accepted; the other four are refused and change nothing.
    let mut l = Ledger::new(Year::new(2018).unwrap(), policy());
    l.post(income("inc-1", FundSource::CentralFiscal, yuan(5000)))
        .unwrap();
    l.post(pay("pay-1", yuan(1000)).into()).unwrap();
    l.post(recovery("r-1", day(6, 1), "pay-1", yuan(1000)))
        .unwrap();
    for n in 2..=5 {
        let before = snapshot(&l);
        let err = l
            .post(recovery(&format!("r-{n}"), day(6, 1), "pay-1", yuan(1000)))
            .unwrap_err();
        assert_eq!(err.code(), "funding.recovery_exceeds_payment", "{err}");
        assert_eq!(
            snapshot(&l),
            before,
            "a refused recovery changed the ledger"
        );
    }
    assert_eq!(l.balance(FundSource::ProvincialUnionFunds), yuan(1000));
    // The first recovery again is a replay, not a second recovery.
    assert!(matches!(
        l.post(recovery("r-1", day(6, 1), "pay-1", yuan(1000))),
        Ok(PostOutcome::AlreadyPosted(_))
    ));

    // Partial recoveries add up to the payment and no further, to the fen.
    l.post(pay("pay-2", yuan(1000)).into()).unwrap();
    l.post(recovery("r-6", day(6, 2), "pay-2", yuan(400)))
        .unwrap();
    l.post(recovery("r-7", day(6, 3), "pay-2", yuan(600)))
        .unwrap();
    let err = l
        .post(recovery(
            "r-8",
            day(6, 4),
            "pay-2",
            Money::from_fen(1).unwrap(),
        ))
        .unwrap_err();
    assert_eq!(err.code(), "funding.recovery_exceeds_payment");
    // A refused recovery has not used up any of the limit: the rest of a payment can still
    // be recovered after a refusal.
    l.post(pay("pay-3", yuan(1000)).into()).unwrap();
    assert_eq!(
        l.post(recovery("r-9", day(6, 5), "pay-3", yuan(1001)))
            .unwrap_err()
            .code(),
        "funding.recovery_exceeds_payment"
    );
    l.post(recovery("r-10", day(6, 5), "pay-3", yuan(1000)))
        .unwrap();
}

#[test]
fn a_recovery_dated_before_the_payment_it_reverses_is_refused() {
    // pay-1 of `funded()` is dated 1 March.
    refused(
        recovery("r-1", day(2, 28), "pay-1", yuan(10)),
        "funding.recovery_before_payment",
    );
    // The same day is fine.
    let mut l = funded();
    l.post(recovery("r-1", day(3, 1), "pay-1", yuan(10)))
        .unwrap();
}

#[test]
fn only_a_recovery_may_name_a_payment_it_reverses() {
    for &kind in IncomeKind::ALL.iter() {
        if kind == IncomeKind::Recovery {
            continue;
        }
        let mut i = Income::new(
            PostingId::new("i-2").unwrap(),
            day(6, 1),
            FundSource::CentralFiscal,
            kind,
            yuan(10),
        );
        i.reverses = Some(PostingId::new("pay-1").unwrap());
        refused(i.into(), "funding.reversal_not_recovery");
    }
}

#[test]
fn a_policy_not_yet_in_force_is_an_error() {
    let mut l = Ledger::new(Year::new(2017).unwrap(), policy());
    let i = Income::new(
        PostingId::new("i").unwrap(),
        NaiveDate::from_ymd_opt(2017, 5, 1).unwrap(),
        FundSource::CentralFiscal,
        IncomeKind::Allocation,
        yuan(1),
    );
    assert_eq!(
        l.post(i.into()).unwrap_err().code(),
        "core.parameter.not_in_force"
    );
    assert!(l.postings().is_empty());
}

#[test]
fn a_budget_names_only_sources_the_policy_has_in_its_year() {
    let budget = |year: i32, source: FundSource| {
        Budget::new(Year::new(year).unwrap(), [(source, yuan(100))]).unwrap()
    };
    assert!(
        budget(2018, FundSource::CentralFiscal)
            .check(&policy())
            .is_ok()
    );
    let err = budget(2018, FundSource::Donation)
        .check(&policy())
        .unwrap_err();
    assert_eq!(err.code(), "funding.budget_unknown_source");
    assert!(err.to_string().contains("donation"), "{err}");
    // Listed, but not yet in force in the budget's year (the example policy starts in 2018).
    assert_eq!(
        budget(2017, FundSource::CentralFiscal)
            .check(&policy())
            .unwrap_err()
            .code(),
        "funding.budget_unknown_source"
    );
}

#[test]
fn close_reports_unapproved_and_approved_carryover() {
    let l = funded();
    let close = l.close(&[]).unwrap();
    assert!(
        close
            .source(FundSource::CentralFiscal)
            .unwrap()
            .carryover
            .is_unapproved()
    );
    let approval = CarryoverApproval {
        source: FundSource::CentralFiscal,
        amount: yuan(900),
        reference: "批复".into(),
        date: NaiveDate::from_ymd_opt(2019, 1, 10).unwrap(),
        note: None,
    };
    let close = l.close(std::slice::from_ref(&approval)).unwrap();
    assert!(matches!(
        close.source(FundSource::CentralFiscal).unwrap().carryover,
        CarryoverStatus::Approved { .. }
    ));
    let wrong = CarryoverApproval {
        amount: yuan(899),
        ..approval
    };
    assert_eq!(
        l.close(&[wrong]).unwrap_err().code(),
        "funding.approval_mismatch"
    );
}

#[test]
fn error_codes_are_pinned() {
    use bangfu_core::Labelled;
    let id = PostingId::new("x").unwrap();
    let all: Vec<(bangfu_funding::FundingError, &str)> = vec![
        (
            bangfu_funding::FundingError::IdConflict { id: id.clone() },
            "funding.id_conflict",
        ),
        (
            bangfu_funding::FundingError::DateOutsideYear {
                date: day(1, 1),
                year: 2018,
            },
            "funding.date_outside_year",
        ),
        (
            bangfu_funding::FundingError::UnknownSource {
                fund: FundSource::Other,
            },
            "funding.unknown_source",
        ),
        (
            bangfu_funding::FundingError::CategoryNotAllowed {
                fund: FundSource::Other,
                category: AidCategory::Living,
            },
            "funding.earmark_category",
        ),
        (
            bangfu_funding::FundingError::TierNotAllowed {
                fund: FundSource::Other,
                tier: ArchiveTier::National,
            },
            "funding.earmark_tier",
        ),
        (
            bangfu_funding::FundingError::ChannelRefused {
                channel: PaymentChannel::Cash,
            },
            "funding.channel_refused",
        ),
        (
            bangfu_funding::FundingError::Overdraft {
                fund: FundSource::Other,
                balance: Money::ZERO,
                amount: Money::ZERO,
            },
            "funding.overdraft",
        ),
        (
            bangfu_funding::FundingError::ZeroAmount,
            "funding.zero_amount",
        ),
        (
            bangfu_funding::FundingError::RecoveryWithoutHousehold,
            "funding.recovery_without_household",
        ),
        (
            bangfu_funding::FundingError::RecoveryMismatch {
                reverses: id.clone(),
            },
            "funding.recovery_mismatch",
        ),
        (
            bangfu_funding::FundingError::RecoveryExceedsPayment {
                reverses: id.clone(),
                paid: yuan(1000),
                recovered: yuan(1000),
                amount: yuan(1000),
            },
            "funding.recovery_exceeds_payment",
        ),
        (
            bangfu_funding::FundingError::RecoveryBeforePayment {
                reverses: id.clone(),
                date: day(2, 1),
                paid_on: day(3, 1),
            },
            "funding.recovery_before_payment",
        ),
        (
            bangfu_funding::FundingError::ReversalNotRecovery {
                kind: IncomeKind::Allocation,
                reverses: id.clone(),
            },
            "funding.reversal_not_recovery",
        ),
        (
            bangfu_funding::FundingError::DuplicateBudgetLine {
                fund: FundSource::Other,
            },
            "funding.duplicate_budget_line",
        ),
        (
            bangfu_funding::FundingError::BudgetUnknownSource {
                fund: FundSource::Donation,
                year: 2018,
            },
            "funding.budget_unknown_source",
        ),
        (
            bangfu_funding::FundingError::ApprovalMismatch {
                reference: "r".into(),
            },
            "funding.approval_mismatch",
        ),
        (
            bangfu_funding::FundingError::ReversalUnknown {
                reverses: id.clone(),
            },
            "funding.reversal_unknown",
        ),
        (
            bangfu_funding::FundingError::ReversalOfReversal {
                reverses: id.clone(),
            },
            "funding.reversal_of_reversal",
        ),
        (
            bangfu_funding::FundingError::AlreadyReversed {
                reverses: id.clone(),
                by: id.clone(),
            },
            "funding.already_reversed",
        ),
        (
            bangfu_funding::FundingError::ReversalBeforePosting {
                reverses: id.clone(),
                date: day(1, 1),
                posted_on: day(1, 2),
            },
            "funding.reversal_before_posting",
        ),
        (
            bangfu_funding::FundingError::ReversalMismatch {
                reverses: id.clone(),
                fund: FundSource::Other,
                amount: yuan(1),
                posted_fund: FundSource::Other,
                posted: yuan(2),
            },
            "funding.reversal_mismatch",
        ),
        (
            bangfu_funding::FundingError::ReversalWithoutReason,
            "funding.reversal_without_reason",
        ),
        (
            bangfu_funding::FundingError::ReversalRecovered {
                reverses: id.clone(),
                recovered: yuan(1),
            },
            "funding.reversal_recovered",
        ),
    ];
    for (err, code) in all {
        assert_eq!(err.code(), code);
        assert!(!err.zh().is_empty() && !err.en().is_empty());
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn postings_round_trip_through_json_and_refuse_unknown_fields() {
    let p: Posting = pay("p", yuan(3)).into();
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<Posting>(&json).unwrap(), p);
    let extra = json.replace("\"amount\"", "\"bogus\":1,\"amount\"");
    assert!(serde_json::from_str::<Posting>(&extra).is_err());
    let missing = json.replace("\"household\":\"HK-0001\",", "");
    let err = serde_json::from_str::<Posting>(&missing).unwrap_err();
    assert!(err.to_string().contains("missing field"), "{err}");
}

fn reversal(id: &str, date: NaiveDate, reverses: &str, amount: Money) -> Posting {
    Reversal {
        id: PostingId::new(id).unwrap(),
        date,
        reverses: PostingId::new(reverses).unwrap(),
        source: FundSource::CentralFiscal,
        amount,
        reason: "录入错误，身份证 460100198205120020".to_owned(),
    }
    .into()
}

fn statement(l: &Ledger) -> Statement {
    l.statement(&Budget::new(l.year(), []).unwrap()).unwrap()
}

#[test]
fn a_reversed_payment_is_taken_back_and_shown_beside_it() {
    let mut l = funded();
    l.post(pay("pay-2", yuan(300)).into()).unwrap();
    assert_eq!(l.balance(FundSource::CentralFiscal), yuan(600));
    l.post(reversal("rev-1", day(3, 2), "pay-2", yuan(300)))
        .unwrap();
    // The money is back; the payment stays in the ledger, reversed.
    assert_eq!(l.balance(FundSource::CentralFiscal), yuan(900));
    assert_eq!(l.postings().len(), 4);
    assert_eq!(
        l.reversal_of(&"pay-2".parse().unwrap())
            .map(|r| r.id.as_str()),
        Some("rev-1")
    );
    let st = statement(&l);
    let living = st.totals.category(AidCategory::Living);
    assert_eq!((living.amount, living.person_times), (yuan(100), 1));
    assert_eq!(
        (living.reversed.amount, living.reversed.postings),
        (yuan(300), 1)
    );
    assert_eq!(st.totals.spent, yuan(100));
    assert_eq!(st.totals.balance, yuan(900));
    let [line] = st.reversals.as_slice() else {
        panic!("one reversal line: {:?}", st.reversals)
    };
    assert_eq!(line.reverses.as_str(), "pay-2");
    assert_eq!(line.reversed_date, day(3, 1));
    assert_eq!(
        line.reversed,
        ReversedPosting::Disbursement {
            category: AidCategory::Living
        }
    );
    // The reason is caller text: the ID number in it is masked everywhere it is shown.
    let json = serde_json::to_string(&st).unwrap();
    let text = st.render_text(bangfu_core::Lang::Zh);
    for out in [&json, &text] {
        assert!(!out.contains("460100198205120020"), "{out}");
        assert!(out.contains("rev-1") && out.contains("录入错误"), "{out}");
    }
    assert!(text.contains("冲正明细"), "{text}");
    // Without reversals the statement's JSON has no reversal fields at all.
    let plain = serde_json::to_string(&statement(&funded())).unwrap();
    assert!(
        !plain.contains("reversed") && !plain.contains("reversals"),
        "{plain}"
    );
    assert!(
        !statement(&funded())
            .render_text(bangfu_core::Lang::En)
            .contains("Reversals")
    );
}

#[test]
fn a_reversed_income_is_taken_back_unless_it_was_spent() {
    let mut l = funded();
    // 900 is left of the 1,000 received: the income cannot be reversed whole.
    let before = snapshot(&l);
    let err = l
        .post(reversal("rev-1", day(3, 2), "inc-1", yuan(1000)))
        .unwrap_err();
    assert_eq!(err.code(), "funding.overdraft");
    assert_eq!(snapshot(&l), before);
    l.post(reversal("rev-2", day(3, 2), "pay-1", yuan(100)))
        .unwrap();
    l.post(reversal("rev-1", day(3, 2), "inc-1", yuan(1000)))
        .unwrap();
    assert!(l.balance(FundSource::CentralFiscal).is_zero());
    let st = statement(&l);
    let line = st.source(FundSource::CentralFiscal).unwrap();
    let component = line.component(IncomeKind::Allocation).unwrap();
    assert_eq!((component.amount, component.postings), (Money::ZERO, 0));
    assert_eq!(component.reversed.amount, yuan(1000));
    assert_eq!(st.reversals.len(), 2);
}

#[test]
fn reversals_are_refused_with_their_codes_and_change_nothing() {
    let cases: Vec<(Posting, &str)> = vec![
        (
            reversal("rev-x", day(3, 2), "no-such", yuan(100)),
            "funding.reversal_unknown",
        ),
        (
            reversal("rev-x", day(2, 28), "pay-1", yuan(100)),
            "funding.reversal_before_posting",
        ),
        (
            reversal("rev-x", day(3, 2), "pay-1", yuan(99)),
            "funding.reversal_mismatch",
        ),
        (
            Reversal {
                source: FundSource::ProvincialUnionFunds,
                ..reversal_of("pay-1")
            }
            .into(),
            "funding.reversal_mismatch",
        ),
        (
            Reversal {
                reason: " ".into(),
                ..reversal_of("pay-1")
            }
            .into(),
            "funding.reversal_without_reason",
        ),
        (
            reversal(
                "rev-x",
                NaiveDate::from_ymd_opt(2019, 1, 2).unwrap(),
                "pay-1",
                yuan(100),
            ),
            "funding.date_outside_year",
        ),
    ];
    for (posting, code) in cases {
        refused(posting, code);
    }
    // Twice, and a reversal of a reversal.
    let mut l = funded();
    l.post(reversal("rev-1", day(3, 2), "pay-1", yuan(100)))
        .unwrap();
    for (posting, code) in [
        (
            reversal("rev-2", day(3, 3), "pay-1", yuan(100)),
            "funding.already_reversed",
        ),
        (
            reversal("rev-3", day(3, 3), "rev-1", yuan(100)),
            "funding.reversal_of_reversal",
        ),
    ] {
        let before = snapshot(&l);
        assert_eq!(l.post(posting).unwrap_err().code(), code);
        assert_eq!(snapshot(&l), before);
    }
    // The same reversal again is a replay.
    assert!(matches!(
        l.post(reversal("rev-1", day(3, 2), "pay-1", yuan(100))),
        Ok(PostOutcome::AlreadyPosted(_))
    ));
}

fn reversal_of(id: &str) -> Reversal {
    match reversal("rev-x", day(3, 2), id, yuan(100)) {
        Posting::Reversal(r) => r,
        _ => unreachable!(),
    }
}

#[test]
fn a_recovered_payment_is_reversed_only_after_its_recoveries() {
    let mut l = Ledger::new(Year::new(2018).unwrap(), policy());
    l.post(income("inc-1", FundSource::CentralFiscal, yuan(5000)))
        .unwrap();
    l.post(pay("pay-1", yuan(1000)).into()).unwrap();
    l.post(recovery("r-1", day(6, 1), "pay-1", yuan(400)))
        .unwrap();
    let err = l
        .post(reversal("rev-1", day(6, 2), "pay-1", yuan(1000)))
        .unwrap_err();
    assert_eq!(err.code(), "funding.reversal_recovered");
    // The recovery reversed (it was entered in error): the payment's limit is whole again.
    l.post(
        Reversal {
            source: FundSource::ProvincialUnionFunds,
            amount: yuan(400),
            date: day(6, 2),
            ..reversal_of("r-1")
        }
        .into(),
    )
    .unwrap();
    l.post(recovery("r-2", day(6, 3), "pay-1", yuan(1000)))
        .unwrap();
    let st = statement(&l);
    let recovered = st
        .source(FundSource::ProvincialUnionFunds)
        .unwrap()
        .component(IncomeKind::Recovery)
        .unwrap();
    assert_eq!(
        (recovered.amount, recovered.postings, recovered.households),
        (yuan(1000), 1, 1)
    );
}

#[test]
fn the_order_of_a_reversed_payment_can_be_carried_out_again() {
    let mut l = funded();
    let ordered = Disbursement {
        order: Some("order-7".into()),
        ..pay("pay-2", yuan(200))
    };
    l.post(ordered.clone().into()).unwrap();
    // The same order under another id is the first payment, not a second one.
    let again = Disbursement {
        id: "pay-3".parse().unwrap(),
        ..ordered.clone()
    };
    assert!(matches!(
        l.post(again.clone().into()),
        Ok(PostOutcome::AlreadyPosted(_))
    ));
    l.post(reversal("rev-1", day(3, 2), "pay-2", yuan(200)))
        .unwrap();
    // Reversed, the order is paid again once, and the first payment replayed stays as it was.
    assert!(matches!(
        l.post(again.clone().into()),
        Ok(PostOutcome::Posted(_))
    ));
    assert!(matches!(
        l.post(ordered.into()),
        Ok(PostOutcome::AlreadyPosted(_))
    ));
    assert_eq!(l.balance(FundSource::CentralFiscal), yuan(700));
}

#[test]
fn a_reversal_round_trips_through_json() {
    let p = reversal("rev-1", day(3, 2), "pay-1", yuan(100));
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(serde_json::from_str::<Posting>(&json).unwrap(), p);
    let without_reason = json.replace(",\"reason\":\"录入错误，身份证 460100198205120020\"", "");
    assert!(
        serde_json::from_str::<Posting>(&without_reason).is_err(),
        "{without_reason}"
    );
}

// ---------------------------------------------------------------------------------------
// Property tests

#[derive(Debug, Clone)]
enum Op {
    In {
        id: u8,
        source: usize,
        kind: usize,
        fen: i64,
        month: u32,
    },
    Out {
        id: u8,
        source: usize,
        category: usize,
        tier: usize,
        channel: usize,
        fen: i64,
        month: u32,
    },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u8..40, 0usize..7, 0usize..5, 0i64..5_000_000, 1u32..14).prop_map(
            |(id, source, kind, fen, month)| Op::In {
                id,
                source,
                kind,
                fen,
                month
            }
        ),
        (
            0u8..40,
            0usize..7,
            0usize..6,
            0usize..4,
            0usize..3,
            0i64..2_000_000,
            1u32..14
        )
            .prop_map(
                |(id, source, category, tier, channel, fen, month)| Op::Out {
                    id,
                    source,
                    category,
                    tier,
                    channel,
                    fen,
                    month
                }
            ),
    ]
}

fn to_posting(op: &Op) -> Posting {
    let date = |m: u32| {
        if m <= 12 {
            day(m, 10)
        } else {
            NaiveDate::from_ymd_opt(2019, 1, 10).unwrap()
        }
    };
    match *op {
        Op::In {
            id,
            source,
            kind,
            fen,
            month,
        } => {
            let mut i = Income::new(
                PostingId::new(format!("op-{id}")).unwrap(),
                date(month),
                FundSource::ALL[source],
                IncomeKind::ALL[kind],
                Money::from_fen(fen).unwrap(),
            );
            if i.kind == IncomeKind::Recovery && fen % 2 == 0 {
                i.household = Some(HouseholdId::new("HK-9").unwrap());
            }
            i.into()
        }
        Op::Out {
            id,
            source,
            category,
            tier,
            channel,
            fen,
            month,
        } => Disbursement {
            id: PostingId::new(format!("op-{id}")).unwrap(),
            date: date(month),
            source: FundSource::ALL[source],
            category: AidCategory::ALL[category],
            kind: AidKind::Regular,
            household: HouseholdId::new(format!("HK-{}", fen % 7)).unwrap(),
            tier: ArchiveTier::ALL[tier],
            channel: PaymentChannel::ALL[channel],
            amount: Money::from_fen(fen).unwrap(),
            unit: None,
            entered: None,
            // Some payments carry out a payment order, a few of them the same order.
            order: (fen % 3 == 0).then(|| format!("order-{}", id % 8)),
            claim: None,
            campaign: None,
        }
        .into(),
    }
}

proptest! {
    // 256 sequences, or PROPTEST_CASES when set (proptest's default configuration reads it).
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn ledger_invariants_hold_after_any_sequence(ops in proptest::collection::vec(op(), 0..80)) {
        let mut l = Ledger::new(Year::new(2018).unwrap(), policy());
        for op in &ops {
            let posting = to_posting(op);
            let before = snapshot(&l);
            let replay_of_accepted = l.postings().iter().any(|p| p == &posting);
            match l.post(posting.clone()) {
                Ok(PostOutcome::Posted(_)) => prop_assert_eq!(l.postings().len(), before.0.len() + 1),
                Ok(PostOutcome::AlreadyPosted(_)) => {
                    prop_assert!(replay_of_accepted);
                    prop_assert_eq!(snapshot(&l), before, "a replay changed the ledger");
                }
                Err(_) => prop_assert_eq!(snapshot(&l), before, "a refused operation changed the ledger"),
            }
            // No id is ever in the ledger twice.
            let mut ids: Vec<&PostingId> = l.postings().iter().map(Posting::id).collect();
            ids.sort();
            let n = ids.len();
            ids.dedup();
            prop_assert_eq!(ids.len(), n);
            // No payment order is carried out twice (a reversed payment carried out nothing).
            let mut orders: Vec<&String> = l.postings().iter().filter_map(|p| match p {
                Posting::Disbursement(d) if l.reversal_of(&d.id).is_none() => d.order.as_ref(),
                _ => None,
            }).collect();
            orders.sort();
            let n = orders.len();
            orders.dedup();
            prop_assert_eq!(orders.len(), n);
        }
        // income − spending = the sum of balances, per source and in total, to the fen; no
        // source below zero at any point of the history.
        let mut running = [0i128; 7];
        for p in l.postings() {
            let s = p.source().index();
            match p {
                Posting::Income(i) => running[s] += i128::from(i.amount.fen()),
                Posting::Disbursement(d) => running[s] -= i128::from(d.amount.fen()),
                Posting::Reversal(r) => match l.posted(&r.reverses).map(|(p, _)| p) {
                    Some(Posting::Income(i)) => running[s] -= i128::from(i.amount.fen()),
                    Some(Posting::Disbursement(d)) => running[s] += i128::from(d.amount.fen()),
                    _ => prop_assert!(false, "a reversal of nothing was posted"),
                },
            }
            prop_assert!(running[s] >= 0, "source went below zero");
        }
        for (i, s) in FundSource::ALL.iter().enumerate() {
            prop_assert_eq!(running[i], i128::from(l.balance(*s).fen()));
        }
        let budget = Budget::new(Year::new(2018).unwrap(), []).unwrap();
        let st = Statement::from_postings(l.year(), l.postings(), &budget, None, Default::default()).unwrap();
        prop_assert_eq!(st.totals.income.checked_sub(st.totals.spent).unwrap(), l.total_balance().unwrap());
        prop_assert_eq!(st.totals.balance, l.total_balance().unwrap());
        for line in &st.sources {
            prop_assert_eq!(line.balance, l.balance(line.source));
        }
    }

    #[test]
    fn a_ledger_round_trips_through_json_whole(ops in proptest::collection::vec(op(), 0..60)) {
        let mut l = Ledger::new(Year::new(2018).unwrap(), policy());
        for op in &ops {
            let _ = l.post(to_posting(op));
        }
        let text = serde_json::to_string(&l).unwrap();
        let back: Ledger = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(snapshot(&back), snapshot(&l));
        prop_assert_eq!(&back, &l);
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }

    #[test]
    fn replaying_a_whole_history_pays_nothing_twice(ops in proptest::collection::vec(op(), 0..60)) {
        let mut l = Ledger::new(Year::new(2018).unwrap(), policy());
        for op in &ops {
            let _ = l.post(to_posting(op));
        }
        let once = snapshot(&l);
        let accepted: Vec<Posting> = l.postings().to_vec();
        for p in accepted {
            prop_assert!(matches!(l.post(p), Ok(PostOutcome::AlreadyPosted(_))));
        }
        prop_assert_eq!(snapshot(&l), once);
    }
}

/// A read ledger passed every rule again: text that breaks one is refused with its code.
#[test]
fn a_read_ledger_is_replayed_through_every_rule() {
    let l = funded();
    let text = serde_json::to_string(&l).unwrap();
    assert!(text.starts_with(r#"{"year":2018,"policy":{"#), "{text}");
    let back: Ledger = serde_json::from_str(&text).unwrap();
    assert_eq!(back, l);
    assert_eq!(back.balance(FundSource::CentralFiscal), yuan(900));
    // The payment grown past the income: an overdraft, refused with the ledger's code.
    let overdrawn = text.replace(r#""amount":"100.00""#, r#""amount":"1000.01""#);
    assert_ne!(overdrawn, text);
    let err = bangfu_core::read::from_json_str::<Ledger>(&overdrawn).unwrap_err();
    assert_eq!(err.code(), "funding.overdraft", "{err}");
    // The payment before the income: the same postings in another order are another ledger,
    // and this one overdraws.
    let mut other = Ledger::new(Year::new(2018).unwrap(), policy());
    other
        .post(income("inc-1", FundSource::CentralFiscal, yuan(1000)))
        .unwrap();
    assert_ne!(other, l);
    let swapped = serde_json::json!({
        "year": 2018,
        "policy": policy(),
        "postings": [l.postings()[1], l.postings()[0]],
    });
    let err = bangfu_core::read::from_json_str::<Ledger>(&swapped.to_string()).unwrap_err();
    assert_eq!(err.code(), "funding.overdraft", "{err}");
    // An unknown field is refused.
    let extra = text.replacen('{', r#"{"balances":[],"#, 1);
    let err = bangfu_core::read::from_json_str::<Ledger>(&extra).unwrap_err();
    assert_eq!(err.code(), "read.unknown_field", "{err}");
}

/// The fiscal money's national-tier-only earmark cites the rule that says it (the 依档帮扶
/// rules, PDS-FUND 2019, consistent with ACFTU-2015), not Hainan's notice 琼工办发〔2016〕3号,
/// which restricts the categories the money pays and says nothing of archive tiers.
#[test]
fn the_fiscal_tier_earmark_cites_the_tier_rule() {
    #[derive(serde::Deserialize)]
    struct File {
        funding: FundingPolicy,
        citations: bangfu_core::Citations,
    }
    let f: File = toml::from_str(bangfu_funding::HAINAN_2018_POLICY_TOML).unwrap();
    for source in [FundSource::CentralFiscal, FundSource::ProvincialFiscal] {
        let earmark = f.funding.earmark(source, day(6, 1)).unwrap();
        assert_eq!(earmark.tiers, [ArchiveTier::National], "{source}");
        let id = f.funding.tier_citation(source, day(6, 1)).unwrap();
        assert_eq!(id.as_str(), "fund.pds-2019", "{source}");
        let citation = f.citations.get(id).unwrap();
        assert!(
            citation.document.contains("平顶山"),
            "{source}: {citation:?}"
        );
        // The categories stay with the Hainan notice.
        let entry = f.funding.sources[&source].at("x", day(6, 1)).unwrap();
        assert_eq!(entry.cite.as_str(), "fund.hn-2016", "{source}");
    }
    for id in f.funding.citation_ids() {
        assert!(f.citations.contains(id), "{id}");
    }
}
