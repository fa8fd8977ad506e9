//! The oversight records through the one path (issue 14, items 1, 2 and 5): the collective
//! decision on the allocation plan, the payment checks and the self-inspection. Each rule at
//! its boundary; each bad record refused with its code and nothing changed; the plan's
//! property (never more than the funds, never against an earmark).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use bangfu_core::{AidCategory, Coded, Money, NaiveDate, UnitId};
use bangfu_data::guinan2019 as gn;
use bangfu_funding::{Disbursement, PostingId};
use bangfu_year::ProgrammeYear;
use bangfu_year::dir::{OversightFiles, YearDir, YearRecord};
use bangfu_year::oversight::{
    AllocationFile, CallOutcome, Callback, CardOnFile, CheckRecord, InspectionFix, InspectionItem,
    InspectionRecord, ItemStatus, MaskedCard, Notice, NoticeResult, PaymentCheck, SampleDraw,
};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// The Guinan 2019 year without its oversight files, and those files.
fn parts() -> &'static (ProgrammeYear, OversightFiles) {
    static PARTS: OnceLock<(ProgrammeYear, OversightFiles)> = OnceLock::new();
    PARTS.get_or_init(|| {
        let mut dir = gn::year_dir().unwrap();
        let files = std::mem::take(&mut dir.oversight);
        (dir.build().unwrap().year, files)
    })
}

fn base() -> ProgrammeYear {
    parts().0.clone()
}

fn allocation() -> AllocationFile {
    parts().1.allocation.clone().unwrap()
}

/// Takes `record`, which must be refused: returns its code, and checks nothing changed.
fn refused(year: &mut ProgrammeYear, record: YearRecord) -> String {
    let before = year.clone();
    let err = year.take(record).unwrap_err();
    assert!(*year == before, "a refused record changed the year");
    err.code().to_owned()
}

fn payments(year: &ProgrammeYear) -> Vec<Disbursement> {
    let mut out: Vec<Disbursement> = bangfu_funding::standing_payments(year.ledger().postings())
        .cloned()
        .collect();
    out.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    out
}

fn issue<'a>(r: &'a bangfu_year::oversight::OversightReport, code: &str) -> Vec<&'a str> {
    r.issues
        .iter()
        .filter(|i| i.code == code)
        .flat_map(|i| i.records.iter().map(String::as_str))
        .collect()
}

// ---------------------------------------------------------------------------------------
// The allocation plan and its decision

#[test]
fn the_meeting_needs_its_quorum_at_the_boundary() {
    let mut at = allocation();
    at.meeting.present.truncate(3); // the Guinan quorum is 3
    let mut below = at.clone();
    below.meeting.present.truncate(2);
    let mut year = base();
    assert_eq!(
        refused(&mut year, YearRecord::Allocation(below)),
        "allocation.quorum"
    );
    year.take(YearRecord::Allocation(at)).unwrap();
    assert!(year.oversight().allocation().is_some());
}

#[test]
fn a_second_decision_blank_text_and_a_member_named_twice_are_refused() {
    let mut year = base();
    let mut blank = allocation();
    blank.meeting.resolution = " ".into();
    assert_eq!(
        refused(&mut year, YearRecord::Allocation(blank)),
        "oversight.blank"
    );
    let mut twice = allocation();
    let first = twice.meeting.present[0].clone();
    twice.meeting.present[1] = first;
    assert_eq!(
        refused(&mut year, YearRecord::Allocation(twice)),
        "allocation.duplicate_member"
    );
    year.take(YearRecord::Allocation(allocation())).unwrap();
    assert_eq!(
        refused(&mut year, YearRecord::Allocation(allocation())),
        "allocation.already_approved"
    );
}

#[test]
fn the_files_are_counted_no_later_than_the_meeting() {
    let year = base();
    let mut on = allocation();
    on.basis = on.meeting.date;
    on.total = year.allocation_plan(on.basis).unwrap().total().unwrap();
    let mut after = on.clone();
    after.basis = on.meeting.date.succ_opt().unwrap();
    after.total = year.allocation_plan(after.basis).unwrap().total().unwrap();
    let mut y = year.clone();
    assert_eq!(
        refused(&mut y, YearRecord::Allocation(after)),
        "allocation.basis_after_meeting"
    );
    y.take(YearRecord::Allocation(on)).unwrap();
}

#[test]
fn the_meeting_may_be_on_the_years_last_day_not_after() {
    let mut last = allocation();
    last.meeting.date = d(2019, 12, 31);
    let mut after = allocation();
    after.meeting.date = d(2020, 1, 1);
    let mut year = base();
    assert_eq!(
        refused(&mut year, YearRecord::Allocation(after)),
        "allocation.meeting_after_year"
    );
    year.take(YearRecord::Allocation(last)).unwrap();
}

#[test]
fn the_approved_total_must_be_the_plans_to_the_fen() {
    let fen = Money::from_fen(1).unwrap();
    let mut year = base();
    for total in [
        allocation().total.checked_add(fen).unwrap(),
        allocation().total.checked_sub(fen).unwrap(),
    ] {
        let mut file = allocation();
        file.total = total;
        assert_eq!(
            refused(&mut year, YearRecord::Allocation(file)),
            "allocation.total_mismatch"
        );
    }
    year.take(YearRecord::Allocation(allocation())).unwrap();
}

#[test]
fn a_policy_without_allocation_or_check_rules_refuses_them_and_its_report_invents_nothing() {
    let mut year = bangfu_data::hainan2018::programme_year().unwrap();
    let mut file = allocation();
    file.meeting.date = d(2018, 1, 11);
    file.basis = d(2018, 1, 4);
    assert_eq!(
        refused(&mut year, YearRecord::Allocation(file)),
        "allocation.no_policy"
    );
    let sample = SampleDraw {
        date: d(2018, 12, 1),
        by: "x".into(),
        seed: 1,
    };
    assert_eq!(
        refused(&mut year, YearRecord::Check(CheckRecord::Sample(sample))),
        "checks.no_policy"
    );
    let r = year.oversight_report(d(2019, 6, 24)).unwrap();
    assert!(r.plan.is_none() && r.checks.is_none() && r.items.is_empty());
    assert!(r.issues.is_empty(), "{:?}", r.issues);
    let text = r.render(bangfu_core::Lang::En);
    assert!(
        text.contains("no allocation plan (allocation.toml)"),
        "{text}"
    );
    assert!(text.contains("no payment checks (payment-checks.jsonl)"));
    assert!(text.contains("no self-inspection records"));
}

#[test]
fn payments_before_the_meeting_are_findings_those_on_its_day_are_not() {
    let mut year = base();
    let all = payments(&year);
    let meeting = all[all.len() / 3].date;
    let mut file = allocation();
    file.meeting.date = meeting;
    year.take(YearRecord::Allocation(file)).unwrap();
    let r = year.oversight_report(d(2019, 12, 31)).unwrap();
    let early: Vec<String> = all
        .iter()
        .filter(|p| p.date < meeting)
        .map(|p| p.id.to_string())
        .collect();
    assert!(all.iter().any(|p| p.date == meeting));
    assert_eq!(issue(&r, "allocation.paid_before_approval"), early);
}

#[test]
fn a_line_is_over_plan_from_the_payment_that_takes_it_past_the_plan() {
    let mut year = base();
    year.take(YearRecord::Allocation(allocation())).unwrap();
    let r = year.oversight_report(d(2019, 12, 31)).unwrap();
    let (_, plan) = r.plan.as_ref().unwrap();
    let lines = plan.lines().unwrap();
    // An independent count: each line's payments in date order, those whose running sum is
    // above the line's plan (a sum equal to the plan is within it).
    let mut sums: BTreeMap<(UnitId, AidCategory), Money> = BTreeMap::new();
    let mut beyond = Vec::new();
    for p in payments(&year) {
        let key = (p.unit.clone().unwrap(), p.category);
        let sum = sums.entry(key.clone()).or_insert(Money::ZERO);
        *sum = sum.checked_add(p.amount).unwrap();
        if *sum > lines.get(&key).copied().unwrap_or(Money::ZERO) {
            beyond.push(p.id.to_string());
        }
    }
    assert!(!beyond.is_empty());
    assert_eq!(issue(&r, "allocation.over_plan_line"), beyond);
    for l in &r.lines {
        assert_eq!(Some(&l.paid), sums.get(&(l.unit.clone(), l.category)));
    }
}

#[test]
fn the_guinan_plan_keeps_the_earmarks_and_the_funds() {
    let year = base();
    let plan = year.allocation_plan(allocation().basis).unwrap();
    let funding = &year.policy().funding;
    for a in &plan.allocations {
        let e = funding.earmark(a.source, plan.basis).unwrap();
        assert!(e.categories.contains(&a.category) && e.tiers.contains(&a.tier));
    }
    for s in &plan.sources {
        let parts = Money::sum([s.reserve, s.allocated, s.unallocated]).unwrap();
        assert_eq!(parts, s.funds);
        assert_eq!(Some(s.funds), year.budget().line(s.source));
    }
    assert_eq!(plan.total().unwrap(), allocation().total);
}

#[test]
fn a_policy_with_a_reserve_or_ratio_above_one_or_a_quorum_of_none_is_refused_at_its_line() {
    let cases = [
        (
            r#"reserve = [{ from = "2018-01-01", value = "0.03""#,
            r#"reserve = [{ from = "2018-01-01", value = "1.01""#,
            "allocation.invalid_reserve",
            "[allocation]",
        ),
        (
            r#"quorum = [{ from = "2018-01-01", value = 3"#,
            r#"quorum = [{ from = "2018-01-01", value = 0"#,
            "allocation.invalid_quorum",
            "[allocation]",
        ),
        (
            r#"callback_ratio = [{ from = "2018-01-01", value = "0.02""#,
            r#"callback_ratio = [{ from = "2018-01-01", value = "1.0001""#,
            "checks.invalid_ratio",
            "[payment_checks]",
        ),
        (
            r#"{ tier = "national", degree = "accident", category = "education", amount = "500.00" }"#,
            r#"{ tier = "national", degree = "accident", category = "medical", amount = "500.00" }"#,
            "allocation.duplicate_standard",
            "[allocation]",
        ),
    ];
    for (old, new, code, section) in cases {
        assert!(gn::POLICY_TOML.contains(old), "{old}");
        let text = gn::POLICY_TOML.replace(old, new);
        let err = bangfu_year::Policy::from_toml(&text).unwrap_err();
        assert_eq!(err.code(), code);
        let line = err.line().unwrap();
        assert_eq!(text.lines().nth(line - 1), Some(section), "{code}");
    }
    // At the boundary: a reserve of the whole and a ratio of 1 are policies.
    let whole = gn::POLICY_TOML
        .replace(
            cases[0].0,
            r#"reserve = [{ from = "2018-01-01", value = "1""#,
        )
        .replace(
            cases[2].0,
            r#"callback_ratio = [{ from = "2018-01-01", value = "1""#,
        );
    let policy = bangfu_year::Policy::from_toml(&whole).unwrap();
    assert!(policy.allocation.is_some() && policy.payment_checks.is_some());
}

// ---------------------------------------------------------------------------------------
// Payment checks

fn first_payment(year: &ProgrammeYear) -> Disbursement {
    payments(year).into_iter().next().unwrap()
}

fn bank_return(p: &Disbursement, card: &str) -> PaymentCheck {
    PaymentCheck {
        payment: p.id.clone(),
        card: MaskedCard::new(card).unwrap(),
        credited: p.amount,
        notice: Some(Notice {
            date: p.date,
            result: NoticeResult::Delivered,
        }),
    }
}

#[test]
fn card_numbers_are_kept_masked_at_the_boundaries() {
    for ok in ["6217****1234", "621700*********1234", "6217********1234"] {
        assert!(MaskedCard::new(ok).is_ok(), "{ok}");
    }
    for (bad, code) in [
        ("6217***1234", "checks.card_malformed"), // 11 characters
        ("6217000***********1234", "checks.card_malformed"), // 22
        ("621***1234ab", "checks.card_malformed"),
        ("6217001********1234", "checks.card_malformed"), // 7 leading digits
        ("6217000****1234", "checks.card_malformed"),     // 7 leading digits, too
        ("62170012***1234", "checks.card_malformed"),     // 3 stars
        ("621700123456789012", "checks.card_unmasked"),
        ("621700123456", "checks.card_unmasked"),
    ] {
        assert_eq!(MaskedCard::new(bad).unwrap_err().code(), code, "{bad}");
    }
    let line =
        r#"{"type":"card","household":"TY-0001","card":"6217001234567890","from":"2018-03-01"}"#;
    let err = bangfu_year::input::parse_json_line::<CheckRecord>(line).unwrap_err();
    assert_eq!(err.code(), "checks.card_unmasked");
    assert!(!err.to_string().contains("6217001234567890"));
}

#[test]
fn a_bank_return_may_credit_the_amount_not_more_and_only_once() {
    let mut year = base();
    let p = first_payment(&year);
    let mut above = bank_return(&p, "621700******1234");
    above.credited = p.amount.checked_add(Money::from_fen(1).unwrap()).unwrap();
    assert_eq!(
        refused(&mut year, YearRecord::Check(CheckRecord::Payment(above))),
        "checks.credited_above_amount"
    );
    let mut unknown = bank_return(&p, "621700******1234");
    unknown.payment = PostingId::new("GN2019-P-99999").unwrap();
    assert_eq!(
        refused(&mut year, YearRecord::Check(CheckRecord::Payment(unknown))),
        "checks.unknown_payment"
    );
    let income = year.ledger().postings()[0].id().clone();
    let mut not_a_payment = bank_return(&p, "621700******1234");
    not_a_payment.payment = income;
    assert_eq!(
        refused(
            &mut year,
            YearRecord::Check(CheckRecord::Payment(not_a_payment))
        ),
        "checks.unknown_payment"
    );
    let ok = bank_return(&p, "621700******1234");
    year.take(YearRecord::Check(CheckRecord::Payment(ok.clone())))
        .unwrap();
    assert_eq!(
        refused(&mut year, YearRecord::Check(CheckRecord::Payment(ok))),
        "oversight.duplicate"
    );
}

#[test]
fn a_notice_on_the_payment_day_is_accepted_the_day_before_is_not() {
    let mut year = base();
    let p = first_payment(&year);
    let mut early = bank_return(&p, "621700******1234");
    early.notice.as_mut().unwrap().date = p.date.pred_opt().unwrap();
    assert_eq!(
        refused(&mut year, YearRecord::Check(CheckRecord::Payment(early))),
        "checks.before_payment"
    );
    year.take(YearRecord::Check(CheckRecord::Payment(bank_return(
        &p,
        "621700******1234",
    ))))
    .unwrap();
}

/// A year whose first payment has its bank return, with the household's card on file from
/// `from`, and the findings of the checks.
fn checked_first(
    from: NaiveDate,
    change: impl FnOnce(&mut PaymentCheck),
) -> (Disbursement, bangfu_year::oversight::OversightReport) {
    let mut year = base();
    let p = first_payment(&year);
    let card = "621700******1234";
    year.take(YearRecord::Check(CheckRecord::Card(CardOnFile {
        household: p.household.clone(),
        card: MaskedCard::new(card).unwrap(),
        from,
    })))
    .unwrap();
    let mut check = bank_return(&p, card);
    change(&mut check);
    year.take(YearRecord::Check(CheckRecord::Payment(check)))
        .unwrap();
    (p, year.oversight_report(d(2019, 12, 31)).unwrap())
}

#[test]
fn a_card_registered_on_the_payment_day_counts_one_from_the_next_day_does_not() {
    let p = first_payment(&base());
    let (_, on) = checked_first(p.date, |_| {});
    assert!(issue(&on, "check.no_card_on_file").is_empty());
    assert!(issue(&on, "check.card_mismatch").is_empty());
    let (_, next) = checked_first(p.date.succ_opt().unwrap(), |_| {});
    assert_eq!(issue(&next, "check.no_card_on_file"), [p.id.as_str()]);
    let (_, other) = checked_first(p.date, |c| {
        c.card = MaskedCard::new("621700******4321").unwrap();
    });
    assert_eq!(issue(&other, "check.card_mismatch"), [p.id.as_str()]);
}

#[test]
fn one_fen_short_is_not_in_full_and_a_missing_or_failed_notice_is_a_finding() {
    let p = first_payment(&base());
    let (_, full) = checked_first(p.date, |_| {});
    assert!(issue(&full, "check.not_in_full").is_empty());
    assert!(issue(&full, "check.no_notice").is_empty());
    let (_, short) = checked_first(p.date, |c| {
        c.credited = c.credited.checked_sub(Money::from_fen(1).unwrap()).unwrap();
    });
    assert_eq!(issue(&short, "check.not_in_full"), [p.id.as_str()]);
    let (_, silent) = checked_first(p.date, |c| c.notice = None);
    assert_eq!(issue(&silent, "check.no_notice"), [p.id.as_str()]);
    let (_, failed) = checked_first(p.date, |c| {
        c.notice.as_mut().unwrap().result = NoticeResult::Failed;
    });
    assert_eq!(issue(&failed, "check.notice_failed"), [p.id.as_str()]);
    // Every other payment of the year has no bank return.
    assert_eq!(
        issue(&full, "check.unchecked").len(),
        payments(&base()).len() - 1
    );
}

#[test]
fn call_backs_need_the_sample_drawn_first_and_one_sample_a_year() {
    let mut year = base();
    let p = first_payment(&year);
    let sample = SampleDraw {
        date: d(2020, 1, 6),
        by: "黄某".into(),
        seed: 7,
    };
    let call = |date| Callback {
        payment: p.id.clone(),
        date,
        by: "李某".into(),
        outcome: CallOutcome::Confirmed,
        note: None,
    };
    assert_eq!(
        refused(
            &mut year,
            YearRecord::Check(CheckRecord::Callback(call(d(2020, 1, 6))))
        ),
        "checks.callback_without_sample"
    );
    year.take(YearRecord::Check(CheckRecord::Sample(sample.clone())))
        .unwrap();
    assert_eq!(
        refused(&mut year, YearRecord::Check(CheckRecord::Sample(sample))),
        "oversight.duplicate"
    );
    assert_eq!(
        refused(
            &mut year,
            YearRecord::Check(CheckRecord::Callback(call(d(2020, 1, 5))))
        ),
        "checks.callback_without_sample"
    );
    year.take(YearRecord::Check(CheckRecord::Callback(call(d(
        2020, 1, 6,
    )))))
    .unwrap();
}

#[test]
fn the_sample_is_drawn_again_the_same_at_the_policys_ratio_per_unit() {
    let mut year = base();
    let draw = SampleDraw {
        date: d(2020, 1, 6),
        by: "黄某".into(),
        seed: 20_200_106,
    };
    year.take(YearRecord::Check(CheckRecord::Sample(draw.clone())))
        .unwrap();
    let sample = year.callback_sample().unwrap().unwrap();
    assert_eq!(Some(sample.clone()), year.callback_sample().unwrap());
    let design = year
        .policy()
        .payment_checks
        .as_ref()
        .unwrap()
        .design(draw.date)
        .unwrap();
    let mut per_unit: BTreeMap<UnitId, u64> = BTreeMap::new();
    let mut unit_of: BTreeMap<PostingId, UnitId> = BTreeMap::new();
    for p in payments(&year) {
        *per_unit.entry(p.unit.clone().unwrap()).or_default() += 1;
        unit_of.insert(p.id.clone(), p.unit.clone().unwrap());
    }
    let mut drawn: BTreeMap<UnitId, u64> = BTreeMap::new();
    for id in &sample {
        *drawn.entry(unit_of[id].clone()).or_default() += 1;
    }
    for (unit, n) in per_unit {
        // 2 % rounded up: e.g. 480 payments give 10 calls.
        assert_eq!(drawn[&unit], design.stratum_size(n).unwrap(), "{unit}");
    }
    let mut other = base();
    other
        .take(YearRecord::Check(CheckRecord::Sample(SampleDraw {
            seed: 1,
            ..draw
        })))
        .unwrap();
    assert_ne!(other.callback_sample().unwrap().unwrap(), sample);
}

#[test]
fn a_sampled_payment_not_called_or_not_confirmed_is_a_finding() {
    let mut year = base();
    year.take(YearRecord::Check(CheckRecord::Sample(SampleDraw {
        date: d(2020, 1, 6),
        by: "黄某".into(),
        seed: 3,
    })))
    .unwrap();
    let sample = year.callback_sample().unwrap().unwrap();
    let (first, second) = (sample[0].clone(), sample[1].clone());
    for (id, outcome) in [
        (&first, CallOutcome::Unreachable),
        (&first, CallOutcome::Confirmed), // called again: confirmed
        (&second, CallOutcome::SomeoneElse),
    ] {
        year.take(YearRecord::Check(CheckRecord::Callback(Callback {
            payment: id.clone(),
            date: d(2020, 1, 8),
            by: "李某".into(),
            outcome,
            note: None,
        })))
        .unwrap();
    }
    let r = year.oversight_report(d(2020, 1, 31)).unwrap();
    assert_eq!(
        issue(&r, "check.callback_failed"),
        [format!("{second} (someone_else)").as_str()]
    );
    assert_eq!(issue(&r, "check.callback_missing").len(), sample.len() - 2);
    assert_eq!(r.checks.unwrap().confirmed, 1);
}

// ---------------------------------------------------------------------------------------
// Self-inspection

fn item(id: &str, date: NaiveDate, due: NaiveDate) -> InspectionRecord {
    InspectionRecord::Item(InspectionItem {
        id: id.parse().unwrap(),
        date,
        problem: "台账不全".into(),
        records: vec![],
        owner: "城东区总工会".into(),
        due,
    })
}

fn fix(id: &str, date: NaiveDate, closes: bool) -> InspectionRecord {
    InspectionRecord::Fix(InspectionFix {
        item: id.parse().unwrap(),
        date,
        by: "城东区总工会".into(),
        action: "补齐台账".into(),
        closes,
    })
}

#[test]
fn an_item_may_be_due_the_day_it_is_found_not_before() {
    let mut year = base();
    let found = d(2019, 11, 20);
    assert_eq!(
        refused(
            &mut year,
            YearRecord::Inspection(item("ZC-1", found, found.pred_opt().unwrap()))
        ),
        "inspection.due_before_found"
    );
    year.take(YearRecord::Inspection(item("ZC-1", found, found)))
        .unwrap();
    assert_eq!(
        refused(
            &mut year,
            YearRecord::Inspection(item("ZC-1", found, found))
        ),
        "oversight.duplicate"
    );
    let mut blank = item("ZC-2", found, found);
    if let InspectionRecord::Item(i) = &mut blank {
        i.owner = String::new();
    }
    assert_eq!(
        refused(&mut year, YearRecord::Inspection(blank)),
        "oversight.blank"
    );
}

#[test]
fn fixes_follow_their_item_and_stop_when_it_is_closed() {
    let mut year = base();
    let found = d(2019, 11, 20);
    assert_eq!(
        refused(&mut year, YearRecord::Inspection(fix("ZC-1", found, true))),
        "inspection.unknown_item"
    );
    year.take(YearRecord::Inspection(item("ZC-1", found, d(2019, 12, 31))))
        .unwrap();
    assert_eq!(
        refused(
            &mut year,
            YearRecord::Inspection(fix("ZC-1", found.pred_opt().unwrap(), false))
        ),
        "inspection.fix_before_found"
    );
    year.take(YearRecord::Inspection(fix("ZC-1", found, false)))
        .unwrap();
    year.take(YearRecord::Inspection(fix("ZC-1", d(2020, 1, 5), true)))
        .unwrap();
    assert_eq!(
        refused(
            &mut year,
            YearRecord::Inspection(fix("ZC-1", d(2020, 1, 6), false))
        ),
        "inspection.already_closed"
    );
}

#[test]
fn an_item_is_open_on_its_due_date_overdue_the_day_after_and_closed_by_its_fix() {
    let mut year = base();
    let due = d(2019, 12, 31);
    year.take(YearRecord::Inspection(item("ZC-1", d(2019, 11, 20), due)))
        .unwrap();
    year.take(YearRecord::Inspection(fix("ZC-1", d(2020, 1, 5), true)))
        .unwrap();
    let status = |as_of| year.oversight_report(as_of).unwrap().items[0].status;
    assert_eq!(status(due), ItemStatus::Open);
    assert_eq!(status(d(2020, 1, 1)), ItemStatus::Overdue);
    assert_eq!(status(d(2020, 1, 5)), ItemStatus::Closed);
    let r = year.oversight_report(d(2020, 1, 1)).unwrap();
    assert_eq!(issue(&r, "inspection.overdue"), ["ZC-1"]);
    assert!(r.render(bangfu_core::Lang::Zh).contains("逾期未整改"));
}

// ---------------------------------------------------------------------------------------
// The directory: file, line and code

fn guinan_files_with(name: &str, text: String) -> BTreeMap<String, Vec<u8>> {
    let mut files = gn::files();
    files.insert(name.to_owned(), text.into_bytes());
    files
}

#[test]
fn a_malformed_line_is_reported_with_its_file_line_and_code() {
    let mut lines: Vec<String> = gn::PAYMENT_CHECKS_JSONL
        .lines()
        .map(str::to_owned)
        .collect();
    lines[4] = lines[4].replace("******", "123456");
    lines[9] = lines[9].replace("\"from\"", "\"since\"");
    let problems =
        YearDir::read(&guinan_files_with("payment-checks.jsonl", lines.join("\n"))).unwrap_err();
    let found: Vec<(&str, usize, &str)> = problems
        .iter()
        .map(|p| (p.file.as_str(), p.line, p.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("payment-checks.jsonl", 5, "checks.card_unmasked"),
            ("payment-checks.jsonl", 10, "read.unknown_field"),
        ]
    );
    assert!(problems.iter().all(|p| !p.message.contains("621700123456")));
}

#[test]
fn a_record_the_path_refuses_is_reported_with_its_file_line_and_code() {
    let mut text = gn::SELF_INSPECTION_JSONL.to_owned();
    text.push_str(
        r#"{"type":"fix","item":"ZC-9","date":"2020-01-02","by":"x","action":"y","closes":true}"#,
    );
    text.push('\n');
    let n = text.lines().count();
    let files = guinan_files_with("self-inspection.jsonl", text);
    let problems = YearDir::read(&files).unwrap().build().unwrap_err();
    let found: Vec<(&str, usize, &str)> = problems
        .iter()
        .map(|p| (p.file.as_str(), p.line, p.code.as_str()))
        .collect();
    assert_eq!(
        found,
        [("self-inspection.jsonl", n, "inspection.unknown_item")]
    );
    let broken = gn::ALLOCATION_TOML.replace("present = [", "present = [\"韦某（中心主任）\", ");
    let problems = YearDir::read(&guinan_files_with("allocation.toml", broken))
        .unwrap()
        .build()
        .unwrap_err();
    assert_eq!(
        (problems[0].file.as_str(), problems[0].code.as_str()),
        ("allocation.toml", "allocation.duplicate_member")
    );
}

#[test]
fn the_guinan_directory_builds_with_its_oversight_files() {
    let year = gn::programme_year().unwrap();
    let o = year.oversight();
    assert!(o.allocation().is_some());
    let ids: BTreeSet<String> = o.items().iter().map(|i| i.id.to_string()).collect();
    assert_eq!(ids.len(), 4);
}

// ---------------------------------------------------------------------------------------
// The plan's property

mod properties {
    use bangfu_core::{AidCategory, ArchiveTier, Money, NaiveDate, Rate, UnitId};
    use bangfu_eligibility::HardshipCategory;
    use bangfu_funding::{Earmark, FundSource};
    use bangfu_year::oversight::{FileCount, Fund, Standard, allocate};
    use proptest::prelude::*;

    /// The number of proptest cases: `PROPTEST_CASES` when set, else `default`.
    fn cases(default: u32) -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    const TIERS: [ArchiveTier; 2] = [ArchiveTier::National, ArchiveTier::Provincial];
    const DEGREES: [HardshipCategory; 3] = [
        HardshipCategory::Subsistence,
        HardshipCategory::NearSubsistence,
        HardshipCategory::Local,
    ];
    const CATEGORIES: [AidCategory; 3] = [
        AidCategory::Living,
        AidCategory::Medical,
        AidCategory::Education,
    ];
    const SOURCES: [FundSource; 4] = [
        FundSource::CentralFiscal,
        FundSource::ProvincialFiscal,
        FundSource::LocalFiscal,
        FundSource::ProvincialUnionFunds,
    ];

    fn pick<T: Copy>(all: &[T], mask: u8) -> Vec<T> {
        all.iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, t)| *t)
            .collect()
    }

    fn inputs() -> impl Strategy<Value = (Vec<FileCount>, Vec<Standard>, Vec<Fund>, Rate)> {
        let files = prop::collection::vec((0u8..3, 0usize..2, 0usize..3, 0u64..500), 0..12);
        let standards =
            prop::collection::vec((0usize..2, 0usize..3, 0usize..3, 0i64..5_000_000), 0..12);
        let funds = prop::collection::vec((0usize..4, 0i64..2_000_000_000, 0u8..8, 0u8..4), 0..4);
        (files, standards, funds, 0u32..=100).prop_map(|(f, s, m, r)| {
            let files = f
                .into_iter()
                .map(|(u, t, g, n)| FileCount {
                    unit: UnitId::new(format!("u{u}")).unwrap(),
                    tier: TIERS[t],
                    degree: DEGREES[g],
                    households: n,
                })
                .collect();
            let mut seen = std::collections::BTreeSet::new();
            let standards = s
                .into_iter()
                .filter(|(t, g, c, _)| seen.insert((*t, *g, *c)))
                .map(|(t, g, c, fen)| Standard {
                    tier: TIERS[t],
                    degree: DEGREES[g],
                    category: CATEGORIES[c],
                    amount: Money::from_fen(fen).unwrap(),
                })
                .collect();
            let mut sources = std::collections::BTreeSet::new();
            let funds = m
                .into_iter()
                .filter(|(s, ..)| sources.insert(*s))
                .map(|(s, fen, cats, tiers)| Fund {
                    source: SOURCES[s],
                    amount: Money::from_fen(fen).unwrap(),
                    earmark: Earmark {
                        categories: pick(&CATEGORIES, cats),
                        tiers: pick(&TIERS, tiers),
                        tiers_cite: None,
                    },
                })
                .collect();
            let reserve =
                Rate::parse(&format!("{}", bangfu_core::Decimal::new(i64::from(r), 2))).unwrap();
            (files, standards, funds, reserve)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(256)))]

        /// A plan never allocates more than a source's funds less its reserve, never gives a
        /// cell more than it asks, never pays a cell from a source whose earmark forbids it,
        /// and leaves money unallocated only when no cell the source may pay still asks.
        #[test]
        fn a_plan_never_allocates_more_than_the_funds_or_breaks_an_earmark(
            (files, standards, funds, reserve) in inputs()
        ) {
            let day = NaiveDate::from_ymd_opt(2019, 1, 4).unwrap();
            let plan = allocate(day, &files, &standards, &funds, reserve).unwrap();
            let mut given_total = 0i128;
            for s in &plan.sources {
                let fund = funds.iter().find(|f| f.source == s.source).unwrap();
                let given: i128 = plan.allocations.iter()
                    .filter(|a| a.source == s.source)
                    .map(|a| i128::from(a.amount.fen()))
                    .sum();
                prop_assert_eq!(given, i128::from(s.allocated.fen()));
                prop_assert!(s.reserve <= s.funds);
                prop_assert_eq!(
                    i128::from(s.reserve.fen()) + given + i128::from(s.unallocated.fen()),
                    i128::from(fund.amount.fen())
                );
                given_total += given;
                if !s.unallocated.is_zero() {
                    // Money left: every cell this source may pay got all it asked.
                    for c in &plan.cells {
                        if fund.earmark.categories.contains(&c.category) && fund.earmark.tiers.contains(&c.tier) {
                            prop_assert_eq!(c.allocated, c.demand);
                        }
                    }
                }
            }
            let funds_total: i128 = funds.iter().map(|f| i128::from(f.amount.fen())).sum();
            prop_assert!(given_total <= funds_total);
            for a in &plan.allocations {
                let fund = funds.iter().find(|f| f.source == a.source).unwrap();
                prop_assert!(fund.earmark.categories.contains(&a.category));
                prop_assert!(fund.earmark.tiers.contains(&a.tier));
                prop_assert!(a.amount.fen() > 0);
            }
            for c in &plan.cells {
                prop_assert!(c.allocated <= c.demand);
                let from_allocations: i128 = plan.allocations.iter()
                    .filter(|a| a.unit == c.unit && a.tier == c.tier && a.degree == c.degree && a.category == c.category)
                    .map(|a| i128::from(a.amount.fen()))
                    .sum();
                prop_assert_eq!(from_allocations, i128::from(c.allocated.fen()));
            }
        }
    }
}
