//! The allocation plan and the self-inspection in the exports (issue 14, items 1 and 5): the
//! Guinan 2019 workbook has the plan, its execution and the self-inspection as sheets; the
//! Hainan 2018 workbook, which has none of them, has no such sheet.
#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::float_arithmetic,
    missing_docs
)]

use std::io::Cursor;

use bangfu_core::Lang;
use bangfu_office::Format;
use bangfu_office::export;
use bangfu_year::evaluation::FrameworkChoice;
use calamine::{Data, Reader, Xlsx};

#[test]
fn the_guinan_workbook_has_the_plan_its_execution_and_the_self_inspection() {
    let year = bangfu_data::guinan2019::programme_year().unwrap();
    let eval = bangfu_data::guinan2019::evaluation(FrameworkChoice::SelfEvaluation).unwrap();
    let statement = year.closed_statement().unwrap().1;
    let parts = export::YearTables {
        statement: &statement,
        scorecard: Some(&eval.scorecard),
        postings: year.ledger().postings(),
        findings: &eval.findings,
        defects: &eval.payments.defects,
        oversight: Some(&eval.oversight),
    };
    let bytes = export::workbook(&parts, Lang::Zh).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let names = book.sheet_names();
    for sheet in ["分配方案", "方案执行", "自查整改"] {
        assert!(names.iter().any(|n| n == sheet), "{names:?}");
    }
    let (_, plan) = eval.oversight.plan.as_ref().unwrap();
    let sheet = book.worksheet_range("分配方案").unwrap();
    // The header, an allocation per row, a total per source.
    assert_eq!(
        sheet.height(),
        1 + plan.allocations.len() + plan.sources.len()
    );
    // The amounts are numbers, and the allocations add up to the approved total.
    let sum: f64 = sheet
        .rows()
        .skip(1)
        .take(plan.allocations.len())
        .map(|r| match &r[8] {
            Data::Float(f) => *f,
            other => panic!("{other:?}"),
        })
        .sum();
    let total: f64 = plan.total().unwrap().to_string().parse().unwrap();
    assert!((sum - total).abs() < 0.005, "{sum} {total}");
    let items = book.worksheet_range("自查整改").unwrap();
    assert_eq!(items.height(), 1 + 4);
}

#[test]
fn the_plan_exports_as_csv_and_the_hainan_workbook_has_no_plan_sheet() {
    let eval = bangfu_data::guinan2019::evaluation(FrameworkChoice::SelfEvaluation).unwrap();
    let (_, plan) = eval.oversight.plan.as_ref().unwrap();
    let csv = export::allocation(plan, &eval.oversight.lines, Lang::En, Format::Csv).unwrap();
    let text = String::from_utf8(csv).unwrap();
    assert!(text.contains("Standard (yuan)") && text.contains("guinan-sugar"));
    let hn = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation).unwrap();
    assert!(hn.oversight.plan.is_none() && hn.oversight.items.is_empty());
}
