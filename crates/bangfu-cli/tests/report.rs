//! `bangfu report`: the 2018 self-evaluation from the embedded records.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod common;
use common::bangfu;

#[test]
fn report_in_chinese_by_default() {
    let (code, out, err) = bangfu(&["report"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# 海南省职工服务（帮扶）中心2018年度帮扶资金绩效自评报告"));
    for s in [
        "## 一、项目概况",
        "## 六、主要经验及做法、存在的问题和建议",
        "## 附件2：绩效评价指标评分表",
        "预算执行率（实际支出 ÷ 实际到位）为96.33 %",
        "[finding.arrival_rate]",
        "[finding.sample_ratio]",
        "[finding.satisfaction_rate]",
        "[finding.average_living_aid]",
        "评价等级：优",
    ] {
        assert!(out.contains(s), "missing {s}");
    }
}

#[test]
fn report_in_english_and_by_the_reference_tree() {
    let (code, out, _) = bangfu(&["report", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(out.contains("## 1. Overview of the project"));
    assert!(
        out.contains("| Level | Indicator | Weight | Target | Actual | Method | Score | Reason |")
    );
    let (code, reference, _) = bangfu(&["report", "--framework", "reference"]);
    assert_eq!(code, 0);
    assert!(reference.contains("按《项目支出绩效评价共性指标体系"));
    let (_, default, _) = bangfu(&["report"]);
    assert_ne!(reference, default);
}

#[test]
fn report_refuses_bad_options() {
    let (code, _, err) = bangfu(&["report", "--framework", "mine"]);
    assert_eq!(code, 2);
    assert!(err.contains("--framework 的值“mine”无效"), "{err}");
    let (code, _, err) = bangfu(&["report", "--framework", "mine", "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("--framework takes self|reference, not 'mine'"),
        "{err}"
    );
    let (code, _, _) = bangfu(&["report", "--lang"]);
    assert_eq!(code, 2);
    let (code, _, err) = bangfu(&["report", "--extra"]);
    assert_eq!(code, 2, "{err}");
    let (code, out, _) = bangfu(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("bangfu report [DIR] [--lang zh|en] [--framework self|reference]"));
}
