//! Issue 10, item 4: a second embedded year that is not Hainan's, the generated Guinan City
//! 2019 year (`bangfu::guinan2019`, a fictional union), read and built as a year directory
//! through the one path. Each finding planted by its generator is found from the records and
//! named: the late exits, the late entries, the over-standard payment, the recovery and the
//! unapproved balance; the report is in the union's own names; its score is below Hainan's.
//! Every expectation is read from the year's own files and policy, not typed in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::BTreeSet;

use bangfu::core::{AidCategory, ArchiveStatus, Lang, NaiveDate, WorkingCalendar};
use bangfu::eligibility::CaseEvent;
use bangfu::evaluation::{Evaluation, FrameworkChoice};
use bangfu::funding::{Disbursement, FundSource, IncomeKind, Posting};
use bangfu::guinan2019 as gn;
use bangfu::year::dir::YearDir;
use bangfu::{DefectKind, ProgrammeYear};

fn year() -> ProgrammeYear {
    gn::programme_year().unwrap()
}

fn evaluation(framework: FrameworkChoice) -> Evaluation {
    gn::evaluation(framework).unwrap()
}

fn ids(records: &[bangfu::scoring::RecordId]) -> BTreeSet<String> {
    records.iter().map(|r| r.as_str().to_owned()).collect()
}

fn disbursement(id: &str) -> Disbursement {
    let year = year();
    let found = year.ledger().postings().iter().find_map(|p| match p {
        Posting::Disbursement(d) if d.id.as_str() == id => Some(d.clone()),
        _ => None,
    });
    found.unwrap_or_else(|| panic!("no payment {id}"))
}

#[test]
fn the_directory_builds_with_no_problems_and_is_not_hainans() {
    let dir = YearDir::read(&gn::files()).unwrap();
    let built = dir.clone().build().unwrap();
    assert!(built.missing_for_report().is_empty());
    let year = built.year;
    let policy = year.policy();
    assert_eq!(policy.meta.jurisdiction, "CN-GX");
    assert_ne!(
        policy.meta.jurisdiction,
        bangfu::hainan2018::policy().unwrap().meta.jurisdiction
    );
    assert_eq!(year.ledger().year().number(), 2019);
    // Case events of every kind the issue names, in the directory's own file.
    let kinds: BTreeSet<&str> = dir
        .case_events
        .iter()
        .map(|e| match e.record.change {
            CaseEvent::Exit { .. } => "exit",
            CaseEvent::Cancel { .. } => "cancel",
            CaseEvent::Withdraw { .. } => "withdraw",
            _ => "other",
        })
        .collect();
    assert!(
        ["exit", "cancel", "withdraw"]
            .iter()
            .all(|k| kinds.contains(k))
    );
    // Another mix of sources than Hainan's: city fiscal money and donations, no ACFTU funds.
    let sources: BTreeSet<FundSource> = policy.funding.sources.keys().copied().collect();
    assert!(sources.contains(&FundSource::LocalFiscal) && sources.contains(&FundSource::Donation));
    assert!(!sources.contains(&FundSource::AcftuFunds));
}

#[test]
fn the_late_exits_are_found() {
    let dir = gn::year_dir().unwrap();
    let calendar = WorkingCalendar::china().unwrap();
    let eligibility = &dir.policy.eligibility;
    // Late by the records: recorded beyond the policy's sync window after the effective date.
    let mut late = BTreeSet::new();
    for e in &dir.case_events {
        let (CaseEvent::Exit {
            date, effective, ..
        }
        | CaseEvent::Cancel {
            date, effective, ..
        }) = e.record.change
        else {
            continue;
        };
        let window = eligibility
            .sync_window_working_days
            .at("window", effective)
            .unwrap()
            .value;
        if date > calendar.add_working_days(effective, window).unwrap() {
            late.insert(e.record.case.as_str().to_owned());
        }
    }
    assert!(!late.is_empty());
    let facts = evaluation(FrameworkChoice::SelfEvaluation).facts;
    let due = &facts.exits_and_cancellations;
    let on_time = &facts.exits_and_cancellations_on_time;
    assert!(
        on_time.count < due.count,
        "{} of {}",
        on_time.count,
        due.count
    );
    let missed: BTreeSet<String> = ids(&due.records)
        .difference(&ids(&on_time.records))
        .cloned()
        .collect();
    assert_eq!(missed, late);
}

#[test]
fn the_late_entries_are_found() {
    let eval = evaluation(FrameworkChoice::SelfEvaluation);
    let pay = &eval.payments;
    assert!(pay.entered_within_window.count < pay.payments.count);
    let late: BTreeSet<String> = ids(&pay.payments.records)
        .difference(&ids(&pay.entered_within_window.records))
        .cloned()
        .collect();
    assert!(!late.is_empty());
    let months = year()
        .policy()
        .funding
        .entry_window_months
        .at("window", NaiveDate::from_ymd_opt(2019, 6, 1).unwrap())
        .unwrap()
        .value;
    for id in &late {
        // Later than the window's months of 31 days: late whatever the months' lengths.
        let d = disbursement(id);
        let days = (d.entered.unwrap() - d.date).num_days();
        assert!(
            days > 31 * i64::from(months),
            "{id} entered after {days} days"
        );
    }
}

#[test]
fn the_one_over_standard_payment_is_named_with_its_posting() {
    let eval = evaluation(FrameworkChoice::SelfEvaluation);
    let defects = &eval.payments.defects;
    assert_eq!(defects.len(), 1, "{defects:?}");
    let defect = &defects[0];
    assert_eq!(defect.kind, DefectKind::OverStandard);
    assert_eq!(defect.code, "year.over_standard");
    assert_eq!(
        ids(&eval.facts.compliance.over_standard_payments.records),
        BTreeSet::from([defect.posting.clone()])
    );
    // The posting: living aid without a claim, above the policy's per-time maximum for a
    // household that is not severe.
    let d = disbursement(&defect.posting);
    assert_eq!((d.category, d.claim.as_ref()), (AidCategory::Living, None));
    let year = year();
    let record = gn::year_dir()
        .unwrap()
        .households
        .into_iter()
        .map(|l| l.record)
        .find(|r| r.id() == &d.household)
        .unwrap();
    assert!(!record.severe());
    let max = year
        .policy()
        .aid
        .living
        .max_per_time
        .default
        .as_ref()
        .unwrap()
        .at("max", d.date)
        .unwrap()
        .value;
    assert!(d.amount > max, "{} ≤ {max}", d.amount);
    assert!(eval.payments.not_checked.is_empty());
}

#[test]
fn the_recovery_reverses_a_payment_to_a_withdrawn_household() {
    let eval = evaluation(FrameworkChoice::SelfEvaluation);
    assert!(eval.facts.recoveries.households.count >= 1);
    let year = year();
    let end = NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
    let reversing: Vec<_> = year
        .ledger()
        .postings()
        .iter()
        .filter_map(|p| match p {
            Posting::Income(i) if i.kind == IncomeKind::Recovery && i.reverses.is_some() => {
                Some(i.clone())
            }
            _ => None,
        })
        .collect();
    assert_eq!(reversing.len(), 1);
    let r = &reversing[0];
    let paid = disbursement(r.reverses.as_ref().unwrap().as_str());
    let household = r.household.clone().unwrap();
    assert_eq!(paid.household, household);
    assert!(paid.date < r.date && r.amount <= paid.amount);
    assert_eq!(
        year.registry().status_on(&household, end),
        Some(ArchiveStatus::Withdrawn)
    );
    assert!(year.registry().is_payable_on(&household, paid.date));
}

#[test]
fn the_union_funds_balance_is_carried_over_unapproved() {
    let run = gn::run().unwrap();
    let unapproved: Vec<_> = run.close.unapproved().collect();
    assert_eq!(unapproved.len(), 1);
    assert_eq!(unapproved[0].source, FundSource::ProvincialUnionFunds);
    assert!(!unapproved[0].balance.is_zero());
    // The other balances are approved: the close is not all unapproved.
    assert!(run.close.sources.iter().any(|s| matches!(
        s.carryover,
        bangfu::funding::CarryoverStatus::Approved { .. }
    )));
    let text = run.statement.render_text(Lang::Zh);
    assert!(
        text.lines()
            .any(|l| l.contains("省级工会经费") && l.contains("未经批复")),
        "{text}"
    );
    let en = run.statement.render_text(Lang::En);
    assert!(en.contains("NOT approved for carry-over"), "{en}");
}

#[test]
fn the_report_is_in_the_unions_own_names_and_shows_the_findings() {
    let eval = evaluation(FrameworkChoice::SelfEvaluation);
    let f = &eval.facts;
    let zh = eval.render(Lang::Zh).unwrap();
    let en = eval.render(Lang::En).unwrap();
    let unit = &eval.report.meta.unit;
    assert!(zh.starts_with(&format!("# {}2019年度帮扶资金绩效自评报告", unit.zh)));
    assert!(
        en.starts_with(&format!("# {}:", unit.en)) && en.lines().next().unwrap().ends_with("2019")
    );
    assert!(unit.zh.contains("桂南市") && unit.en.contains("Guinan"));
    for report in [&zh, &en] {
        assert!(!report.contains("海南") && !report.contains("Hainan"));
    }
    let (due, on_time) = (
        f.exits_and_cancellations.count,
        f.exits_and_cancellations_on_time.count,
    );
    let (payments, entered) = (f.payments.count, f.payments_entered_within_month.count);
    for needle in [
        format!("应脱困、注销{due}户，按时办理{on_time}户"),
        format!("全年发放救助记录{payments}笔，其中救助后一个月内录入系统{entered}笔"),
        "超标准发放1笔".to_owned(),
        format!("追缴帮扶资金{}户", f.recoveries.households.count),
    ] {
        assert!(zh.contains(&needle), "missing {needle:?}");
    }
    for needle in [
        format!("{due} exits and cancellations due, {on_time} made on time"),
        format!("{payments} payment records in the year, {entered} entered"),
        "1 over-standard payments".to_owned(),
        format!(
            "Aid recovered from {} households",
            f.recoveries.households.count
        ),
    ] {
        assert!(en.contains(&needle), "missing {needle:?}");
    }
}

/// Each planted finding is named in the report, in both languages, with its records: the
/// late exits (case ids), the late entries and the over-standard payment (posting ids), the
/// recovery (household), the unapproved balance (source).
#[test]
fn the_report_names_each_finding_with_its_records() {
    let eval = evaluation(FrameworkChoice::SelfEvaluation);
    let zh = eval.render(Lang::Zh).unwrap();
    let en = eval.render(Lang::En).unwrap();
    let line = |report: &str, code: &str| -> String {
        report
            .lines()
            .find(|l| l.contains(&format!("[{code}]")))
            .unwrap_or_else(|| panic!("no [{code}] in the report"))
            .to_owned()
    };
    for report in [&zh, &en] {
        assert!(
            report.contains("### 记录核查发现的问题")
                || report.contains("### Problems found in the records")
        );
        let over = line(report, "defect.over_standard");
        assert!(over.contains("GN2019-P-00785"), "{over}");
        let late = line(report, "issue.late_entry");
        assert!(
            late.contains("GN2019-P-00348") && late.contains("GN2019-P-00419"),
            "{late}"
        );
        let exits = line(report, "issue.late_exit");
        assert!(
            exits.contains("JT-0015/1") && exits.contains("KW-0008/1"),
            "{exits}"
        );
        let recovery = line(report, "issue.recovery");
        assert!(recovery.contains("WL-0021"), "{recovery}");
        let balance = line(report, "issue.unapproved_balance");
        assert!(
            balance.contains("provincial_union_funds 19856.00"),
            "{balance}"
        );
    }
    assert!(line(&zh, "defect.over_standard").contains("超标准发放1笔"));
    assert!(line(&zh, "issue.unapproved_balance").contains("结余未经批复结转1项"));
    // Nothing else is named: one issue of each kind, then the oversight records' findings
    // (tests/oversight_report.rs).
    let oversight: Vec<&str> = eval
        .oversight
        .issues
        .iter()
        .map(|i| i.code.as_str())
        .collect();
    let codes: Vec<&str> = eval
        .issues
        .iter()
        .map(|i| i.code.as_str())
        .filter(|c| !oversight.contains(c))
        .collect();
    assert_eq!(
        codes,
        [
            "defect.over_standard",
            "issue.late_entry",
            "issue.late_exit",
            "issue.recovery",
            "issue.unapproved_balance"
        ]
    );
}

#[test]
fn the_score_is_below_hainans_and_the_on_time_exit_indicator_below_full() {
    for (framework, exits) in [
        (FrameworkChoice::SelfEvaluation, "outputs.accuracy.exits"),
        (FrameworkChoice::Reference, "output.quality.exits"),
    ] {
        let card = evaluation(framework).scorecard;
        let hainan = bangfu::hainan2018::evaluation(framework).unwrap().scorecard;
        assert!(
            card.total < hainan.total,
            "{framework:?}: {} ≥ {}",
            card.total,
            hainan.total
        );
        let row = card.indicator(exits).unwrap();
        assert!(
            row.score < row.weight,
            "{exits}: {} of {}",
            row.score,
            row.weight
        );
        // Hainan had no exit due: full points there.
        let full = hainan.indicator(exits).unwrap();
        assert_eq!(full.score, full.weight);
    }
}
