//! The report of the second example year shows its allocation plan, the payment-check
//! findings and the open self-inspection items (issue 14, items 1, 2 and 5); the Hainan 2018
//! year has none of these files, and its report says so without inventing them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu::core::Lang;
use bangfu::evaluation::{Evaluation, FrameworkChoice};
use bangfu::year::oversight::ItemStatus;

fn guinan() -> Evaluation {
    bangfu::guinan2019::evaluation(FrameworkChoice::SelfEvaluation).unwrap()
}

/// The line of the report naming the finding `code`.
fn line(report: &str, code: &str) -> String {
    report
        .lines()
        .find(|l| l.contains(&format!("[{code}]")))
        .unwrap_or_else(|| panic!("no [{code}] in the report"))
        .to_owned()
}

#[test]
fn the_guinan_report_shows_its_allocation_plan() {
    let e = guinan();
    let (file, plan) = e.oversight.plan.as_ref().unwrap();
    let zh = e.render(Lang::Zh).unwrap();
    let en = e.render(Lang::En).unwrap();
    assert!(zh.contains("## 附件3：分配方案、发放核查与自查自纠"));
    assert!(zh.contains("### （一）帮扶资金分配方案"));
    assert!(zh.contains(&format!(
        "分配方案经主任办公会议于{}集体研究审定",
        file.meeting.date
    )));
    assert!(zh.contains(&format!("到会{}人", file.meeting.present.len())));
    assert!(zh.contains(&format!("分配{}万元", plan.total().unwrap().wan())));
    assert!(en.contains("## Annex 3: allocation plan, payment checks and self-inspection"));
    assert!(en.contains("approved collectively by the director's office meeting on 2019-01-11"));
    // A row per source, with its funds, reserve, allocation and remainder, in yuan.
    for s in &plan.sources {
        let row = format!(
            "| {} | {} | {} | {} |",
            s.funds, s.reserve, s.allocated, s.unallocated
        );
        assert!(zh.contains(&row), "missing {row}");
    }
    // Every line planned against paid; the units beyond their plan are findings.
    assert!(!e.oversight.lines.is_empty());
    let over = line(&zh, "allocation.over_plan_unit");
    assert!(over.contains("guinan-transport"), "{over}");
}

#[test]
fn the_guinan_report_shows_the_payment_check_findings() {
    let e = guinan();
    let zh = e.render(Lang::Zh).unwrap();
    let en = e.render(Lang::En).unwrap();
    for (code, zh_name, en_name, n) in [
        (
            "check.card_mismatch",
            "人款不一致",
            "other than the file's",
            2,
        ),
        ("check.not_in_full", "未足额发放", "not credited in full", 1),
        ("check.no_notice", "未短信告知", "without an SMS notice", 2),
        ("check.notice_failed", "短信告知未送达", "not delivered", 3),
        ("check.callback_missing", "抽中未回访", "not called back", 1),
        (
            "check.callback_failed",
            "电话回访未确认到账",
            "did not confirm",
            2,
        ),
    ] {
        let issue = e.issues.iter().find(|i| i.code == code).unwrap();
        assert_eq!(issue.records.len(), n, "{code}");
        let zh_line = line(&zh, code);
        assert!(zh_line.contains(zh_name), "{zh_line}");
        assert!(zh_line.contains(&issue.records[0]), "{zh_line}");
        assert!(line(&en, code).contains(en_name));
    }
    assert!(!zh.contains("[check.unchecked]") && !zh.contains("[check.no_sample]"));
    let checks = e.oversight.checks.as_ref().unwrap();
    assert_eq!(checks.payments, e.facts.payments.count);
    assert!(zh.contains(&format!(
        "全年发放{}笔，银行回单核对{}笔",
        checks.payments, checks.checked
    )));
    assert!(zh.contains("抽取电话回访样本30笔"));
}

#[test]
fn the_guinan_report_lists_the_open_self_inspection_items_overdue_marked() {
    let e = guinan();
    let zh = e.render(Lang::Zh).unwrap();
    assert_eq!(e.oversight.as_of, e.report.meta.submitted);
    let status = |id: &str| {
        e.oversight
            .items
            .iter()
            .find(|i| i.item.id.as_str() == id)
            .unwrap()
            .status
    };
    assert_eq!(status("ZC-2019-01"), ItemStatus::Closed);
    assert_eq!(status("ZC-2019-02"), ItemStatus::Overdue);
    assert_eq!(status("ZC-2019-03"), ItemStatus::Open);
    assert_eq!(status("ZC-2019-04"), ItemStatus::Closed);
    assert!(zh.contains("自查发现问题4项，已整改2项，未整改2项"));
    let row = |id: &str| {
        zh.lines()
            .find(|l| l.starts_with(&format!("| {id} |")))
            .map(str::to_owned)
    };
    assert!(row("ZC-2019-02").unwrap().ends_with("| 逾期未整改 |"));
    assert!(row("ZC-2019-03").unwrap().ends_with("| 整改中 |"));
    assert!(row("ZC-2019-01").is_none() && row("ZC-2019-04").is_none());
    assert!(line(&zh, "inspection.overdue").contains("ZC-2019-02"));
    assert!(line(&zh, "inspection.open").contains("ZC-2019-03"));
}

#[test]
fn the_hainan_report_says_it_has_no_plan_checks_or_self_inspection() {
    let e = bangfu::hainan2018::evaluation(FrameworkChoice::SelfEvaluation).unwrap();
    assert!(e.oversight.plan.is_none() && e.oversight.checks.is_none());
    assert!(e.oversight.items.is_empty() && e.oversight.issues.is_empty());
    // Its problems are still the one recovery (the seed's figures are unchanged).
    assert_eq!(e.issues.len(), 1);
    let zh = e.render(Lang::Zh).unwrap();
    assert!(zh.contains("本年度目录无分配方案记录（allocation.toml），政策亦未规定分配规则"));
    assert!(zh.contains("本年度目录无发放核查记录（payment-checks.jsonl）"));
    assert!(zh.contains("本年度目录无自查自纠记录（self-inspection.jsonl）"));
    for code in ["[allocation.", "[check.", "[inspection."] {
        assert!(!zh.contains(code), "{code}");
    }
}
