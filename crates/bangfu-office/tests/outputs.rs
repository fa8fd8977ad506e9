//! Every output format on the Hainan 2018 year: the `.xlsx` read back gives every figure of
//! the statement as a number, the CSV parses and gives them exactly, the HTML page and the
//! Word document contain every figure, the title and the score.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
#![allow(clippy::float_arithmetic)]

use std::io::{Cursor, Read};

use bangfu_core::{Labelled, Lang, Money};
use bangfu_funding::{RateFigure, Statement};
use bangfu_office::{Format, export, report};
use bangfu_year::evaluation::{Evaluation, FrameworkChoice};
use calamine::{Data, Reader, Xlsx};

fn hainan() -> (Evaluation, Statement) {
    let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation).unwrap();
    let statement = bangfu_data::hainan2018::run().unwrap().statement;
    (eval, statement)
}

/// One expected cell: the row's label, the column's header, and the figure.
#[derive(Debug)]
enum Figure {
    Wan(Money),
    Count(u64),
    Percent(RateFigure),
}

impl Figure {
    /// As the report and the statement write it.
    fn text(&self) -> String {
        match self {
            Figure::Wan(m) => m.wan().to_string(),
            Figure::Count(n) => n.to_string(),
            Figure::Percent(r) => r.percent.to_string(),
        }
    }
}

/// Every figure of the statement with its row label and column header (zh).
fn figures(st: &Statement) -> Vec<(String, String, Figure)> {
    let mut out = Vec::new();
    let wan = |s: &str| format!("{s}（万元）");
    for l in &st.sources {
        let row = l.source.zh().to_owned();
        let mut push = |col: String, f: Figure| out.push((row.clone(), col, f));
        if let Some(b) = l.budget {
            push(wan("预算"), Figure::Wan(b));
        }
        push(wan("收入"), Figure::Wan(l.income));
        for c in &l.income_components {
            push(wan(c.kind.zh()), Figure::Wan(c.amount));
        }
        for c in &st.totals.spending {
            let line = l.category(c.category);
            push(wan(c.category.zh()), Figure::Wan(line.amount));
            push(
                format!("{}人次", c.category.zh()),
                Figure::Count(line.person_times),
            );
        }
        push(wan("支出合计"), Figure::Wan(l.spent));
        push("人次合计".into(), Figure::Count(l.person_times));
        push(wan("结余"), Figure::Wan(l.balance));
        if let Some(r) = l.arrival_rate {
            push("资金到位率".into(), Figure::Percent(r));
        }
        if let Some(r) = l.execution_rate {
            push("预算执行率".into(), Figure::Percent(r));
        }
    }
    let t = &st.totals;
    let row = "合计".to_owned();
    let mut push = |col: String, f: Figure| out.push((row.clone(), col, f));
    push(wan("预算"), Figure::Wan(t.budget));
    push(wan("收入"), Figure::Wan(t.income));
    for c in &t.spending {
        push(wan(c.category.zh()), Figure::Wan(c.amount));
        push(
            format!("{}人次", c.category.zh()),
            Figure::Count(c.person_times),
        );
    }
    push(wan("支出合计"), Figure::Wan(t.spent));
    push("人次合计".into(), Figure::Count(t.person_times));
    push(wan("结余"), Figure::Wan(t.balance));
    push(
        "资金到位率".into(),
        Figure::Percent(t.arrival_rate.unwrap()),
    );
    push(
        "资金到位率（按100%封顶）".into(),
        Figure::Percent(t.arrival_rate_capped.unwrap()),
    );
    push(
        "预算执行率".into(),
        Figure::Percent(t.execution_rate.unwrap()),
    );
    out
}

#[test]
fn the_hainan_statement_has_the_figures_the_tests_check() {
    let (_, st) = hainan();
    let figures = figures(&st);
    assert!(figures.len() > 60, "{}", figures.len());
    let texts: Vec<String> = figures.iter().map(|f| f.2.text()).collect();
    for known in [
        "1125.074864",
        "1083.784139",
        "41.290725",
        "8236",
        "96.33 %",
        "102.28 %",
    ] {
        assert!(texts.iter().any(|t| t == known), "{known}");
    }
}

#[test]
fn xlsx_read_back_gives_every_statement_figure_as_a_number() {
    let (_, st) = hainan();
    let bytes = export::statement(&st, Lang::Zh, Format::Xlsx).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(book.sheet_names(), vec!["资金收支".to_owned()]);
    let range = book.worksheet_range("资金收支").unwrap();
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header: Vec<String> = rows[0].iter().map(|c| c.to_string()).collect();
    let mut checked = 0;
    for (row, col, figure) in figures(&st) {
        let r = rows
            .iter()
            .position(|x| x[0].to_string() == row)
            .unwrap_or_else(|| panic!("no row {row}"));
        let c = header
            .iter()
            .position(|h| *h == col)
            .unwrap_or_else(|| panic!("no column {col}"));
        let Data::Float(v) = rows[r][c] else {
            panic!("{row} / {col}: {:?} is not a number", rows[r][c]);
        };
        match &figure {
            Figure::Wan(m) => assert_eq!(Money::parse_wan(&format!("{v:.6}")).unwrap(), *m),
            Figure::Count(n) => assert_eq!(v, *n as f64, "{row} / {col}"),
            Figure::Percent(p) => {
                assert_eq!(
                    format!("{:.2} %", v * 100.0),
                    p.percent.to_string(),
                    "{row} / {col}"
                )
            }
        }
        checked += 1;
    }
    assert!(checked > 60);
}

#[test]
fn xlsx_has_frozen_headers_number_formats_and_three_native_charts() {
    let (_, st) = hainan();
    let bytes = export::statement(&st, Lang::Zh, Format::Xlsx).unwrap();
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut sheet = String::new();
    zip.by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    assert!(sheet.contains(r#"state="frozen""#), "frozen header row");
    let mut styles = String::new();
    zip.by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(styles.contains(r#"formatCode="0.00%""#));
    let charts = (1..=3)
        .filter(|i| zip.by_name(&format!("xl/charts/chart{i}.xml")).is_ok())
        .count();
    assert_eq!(charts, 3);
    let mut chart = String::new();
    zip.by_name("xl/charts/chart2.xml")
        .unwrap()
        .read_to_string(&mut chart)
        .unwrap();
    assert!(chart.contains("<c:grouping val=\"stacked\"/>"));
    assert!(
        chart.contains("资金收支!$A$2:$A$"),
        "categories refer to the sheet: {chart}"
    );
}

#[test]
fn csv_parses_and_gives_every_statement_figure_exactly() {
    let (_, st) = hainan();
    let bytes = export::statement(&st, Lang::Zh, Format::Csv).unwrap();
    assert!(bytes.starts_with("\u{feff}".as_bytes()), "BOM for Excel");
    let text = String::from_utf8(bytes).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), st.sources.len() + 1);
    for (row, col, figure) in figures(&st) {
        let r = rows.iter().find(|x| x[0] == row).unwrap();
        let c = header.iter().position(|h| *h == col).unwrap();
        let expected = match &figure {
            Figure::Percent(p) => p.percent.value().to_string(),
            other => other.text(),
        };
        assert_eq!(r[c], expected, "{row} / {col}");
    }
}

#[test]
fn every_table_exports_as_csv_and_xlsx_and_other_formats_are_refused() {
    let (eval, st) = hainan();
    let year = bangfu_data::hainan2018::programme_year().unwrap();
    let policy = bangfu_data::hainan2018::policy().unwrap();
    let decider = bangfu_year::jsonl::Decider::new(&policy).unwrap();
    let lines = decider.decide_str(
        concat!(
            r#"{"kind":"sending_warmth","id":"a","file":{"case":"HK-3/1","household":"HK-3","tier":"national","degree":"subsistence","household_size":4,"status":"active"},"claim":{"id":"w-1","date":"2018-02-01"}}"#,
            "\n{oops\n"
        ),
        bangfu_aid::Explain::Off,
    );
    for lang in [Lang::Zh, Lang::En] {
        for format in [Format::Csv, Format::Xlsx] {
            for out in [
                export::statement(&st, lang, format),
                export::scorecard(&eval.scorecard, lang, format),
                export::roster(year.ledger().postings(), lang, format),
                export::findings(&eval.findings, &eval.payments.defects, lang, format),
                export::decisions(&lines, lang, format),
            ] {
                assert!(!out.unwrap().is_empty());
            }
        }
        for format in [Format::Md, Format::Json, Format::Html, Format::Docx] {
            let err = export::roster(year.ledger().postings(), lang, format).unwrap_err();
            assert_eq!(bangfu_core::Coded::code(&err), "office.unsupported_format");
        }
    }
    let csv = String::from_utf8(export::decisions(&lines, Lang::Zh, Format::Csv).unwrap()).unwrap();
    assert!(csv.contains("800.00") || csv.contains("1000.00"), "{csv}");
    assert!(csv.contains("read.syntax"));
    let score =
        String::from_utf8(export::scorecard(&eval.scorecard, Lang::Zh, Format::Csv).unwrap())
            .unwrap();
    assert!(score.contains(&eval.scorecard.total.to_string()));
}

#[test]
fn the_year_workbook_has_a_sheet_per_table() {
    let (eval, st) = hainan();
    let year = bangfu_data::hainan2018::programme_year().unwrap();
    let parts = export::YearTables {
        statement: &st,
        scorecard: Some(&eval.scorecard),
        postings: year.ledger().postings(),
        findings: &eval.findings,
        defects: &eval.payments.defects,
        oversight: Some(&eval.oversight),
    };
    let bytes = export::workbook(&parts, Lang::Zh).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(
        book.sheet_names(),
        ["资金收支", "附件2评分表", "发放花名册", "核对发现"].map(str::to_owned)
    );
    let roster = book.worksheet_range("发放花名册").unwrap();
    assert_eq!(roster.height(), 8_236 + 1);
    let scores = book.worksheet_range("附件2评分表").unwrap();
    let last = scores.rows().next_back().unwrap();
    assert_eq!(
        last[7],
        Data::Float(eval.scorecard.total.to_string().parse().unwrap())
    );
}

/// The text of a `.docx`: the `w:t` runs of word/document.xml, joined.
fn docx_text(bytes: &[u8]) -> (String, String) {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut text = String::new();
    let mut rest = xml.as_str();
    while let Some(i) = rest.find("<w:t") {
        rest = &rest[i..];
        let open = rest.find('>').unwrap();
        let close = rest.find("</w:t>").unwrap();
        text.push_str(&rest[open + 1..close]);
        rest = &rest[close..];
        text.push('\u{1}');
    }
    let text = text
        .replace('\u{1}', "")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    (xml, text)
}

fn assert_has_every_figure(text: &str, st: &Statement, eval: &Evaluation, what: &str) {
    for (row, col, figure) in figures(st) {
        assert!(
            text.contains(&figure.text()),
            "{what}: {row} / {col} = {} missing",
            figure.text()
        );
    }
    let title = format!(
        "{}{}年度帮扶资金绩效自评报告",
        eval.report.meta.unit.zh, 2018
    );
    assert!(text.contains(&title), "{what}: title");
    let score = format!("自评{}分", eval.scorecard.total);
    assert!(text.contains(&score), "{what}: {score}");
    for h in [
        "一、项目概况",
        "二、项目资金使用及管理情况",
        "三、项目组织实施情况",
        "四、项目绩效情况",
        "五、综合评价情况及评价结论",
        "六、主要经验及做法",
        "附件2",
    ] {
        assert!(text.contains(h), "{what}: {h}");
    }
}

#[test]
fn html_report_is_self_contained_and_contains_every_figure() {
    let (eval, st) = hainan();
    let page =
        String::from_utf8(report::report(&eval, &st, Lang::Zh, Format::Html).unwrap()).unwrap();
    assert_has_every_figure(&page, &st, &eval, "html");
    assert_eq!(page.matches("<svg").count(), 3, "three inline charts");
    assert!(page.contains("@media print") && page.contains("size: A4"));
    for remote in [
        "src=\"http",
        "href=\"http",
        "@import",
        "url(",
        "<script",
        "<link",
    ] {
        assert!(!page.contains(remote), "{remote}");
    }
    // The scoring table and the statement table are tables; the findings section is there.
    assert!(page.matches("<table").count() >= 2);
    assert!(page.contains("发放记录核对"));
}

#[test]
fn docx_report_contains_every_figure_real_tables_and_pictures() {
    let (eval, st) = hainan();
    let bytes = report::report(&eval, &st, Lang::Zh, Format::Docx).unwrap();
    let (xml, text) = docx_text(&bytes);
    assert_has_every_figure(&text, &st, &eval, "docx");
    // 附件2 is a real table: a row per indicator in the table after its heading.
    let annex = xml.find("附件2").unwrap();
    let table = &xml[annex..];
    assert!(table.contains("<w:tbl>"));
    let rows = table.matches("<w:tr>").count();
    assert!(rows > eval.scorecard.indicators.len(), "{rows}");
    // Six sections, 附件2, and 附件3 (the allocation plan, payment checks and
    // self-inspection, which says the Hainan year has none of them).
    assert_eq!(xml.matches("<w:pStyle w:val=\"Heading2\"/>").count(), 8);
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    for i in 1..=3 {
        let mut png = Vec::new();
        zip.by_name(&format!("word/media/chart{i}.png"))
            .unwrap()
            .read_to_end(&mut png)
            .unwrap();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
    }
}

#[test]
fn the_reports_in_english_too() {
    let (eval, st) = hainan();
    let page = report::html(&eval, &st, Lang::En).unwrap();
    assert!(page.contains("1083.784139") && page.contains("<html lang=\"en\">"));
    let (_, text) = docx_text(&report::docx(&eval, &st, Lang::En).unwrap());
    assert!(text.contains("Annex 2") && text.contains("96.33 %"));
    let err = report::report(&eval, &st, Lang::Zh, Format::Xlsx).unwrap_err();
    assert_eq!(bangfu_core::Coded::code(&err), "office.unsupported_format");
}

#[test]
fn outputs_are_the_same_bytes_for_the_same_year() {
    let (eval, st) = hainan();
    let a = export::statement(&st, Lang::Zh, Format::Xlsx).unwrap();
    let b = export::statement(&st, Lang::Zh, Format::Xlsx).unwrap();
    assert_eq!(a, b, "no clock in the workbook");
    let a = report::docx(&eval, &st, Lang::Zh).unwrap();
    let b = report::docx(&eval, &st, Lang::Zh).unwrap();
    assert_eq!(a, b, "no clock in the document");
}

/// The campaigns' section of the Hainan year (两节送温暖), in `lang`.
fn campaigns(lang: Lang) -> String {
    let year = bangfu_data::hainan2018::programme_year().unwrap();
    bangfu_year::campaign::report_section(&year, lang).unwrap()
}

#[test]
fn the_html_report_carries_the_campaigns_section() {
    let (eval, st) = hainan();
    let section = campaigns(Lang::Zh);
    assert!(section.contains("两节送温暖"));
    let page = report::report_with(&eval, &st, &section, Lang::Zh, Format::Html).unwrap();
    let page = String::from_utf8(page).unwrap();
    assert!(
        page.contains("<h2>专项活动情况</h2>"),
        "no campaigns heading"
    );
    assert!(page.contains("<td>两节送温暖</td>"), "no campaign row");
    // Without the section, the page is the report as before.
    let plain = report::report_with(&eval, &st, "", Lang::Zh, Format::Html).unwrap();
    assert_eq!(
        plain,
        report::html(&eval, &st, Lang::Zh).unwrap().into_bytes()
    );
}

#[test]
fn the_word_report_carries_the_campaigns_section() {
    let (eval, st) = hainan();
    let section = campaigns(Lang::En);
    let doc = report::report_with(&eval, &st, &section, Lang::En, Format::Docx).unwrap();
    let (xml, text) = docx_text(&doc);
    assert!(text.contains("Campaigns"), "no campaigns heading");
    assert!(text.contains("sending warmth"), "no campaign row");
    assert!(
        xml.matches("<w:tbl>").count() > 2,
        "the section's table is a Word table"
    );
}

/// The Markdown report of the reclamation group's part, as `bangfu report --unit` writes it.
fn part_report(lang: Lang) -> String {
    use bangfu_year::rollup::{PartStatement, Scope};
    let year = bangfu_data::hainan2018::programme_year().unwrap();
    let tree = bangfu_year::tree::UnitTree::from_toml(bangfu_data::hainan2018::UNITS_TOML).unwrap();
    let scope = Scope {
        unit: "hainan-reclamation".parse().unwrap(),
        except: vec![],
    };
    let part = PartStatement::new(&year, &tree, &scope).unwrap();
    let name = if lang == Lang::Zh { &part.zh } else { &part.en };
    format!(
        "# Report: a part of the entity\n\n{name}\n\n{}",
        part.render_text(lang)
    )
}

#[test]
fn a_part_report_is_a_web_page_with_the_parts_heading() {
    let md = part_report(Lang::En);
    let page = report::markdown_document(&md, Lang::En, Format::Html).unwrap();
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("<title>Report: a part of the entity</title>"));
    assert!(page.contains("Hainan Agricultural Reclamation group union"));
    assert!(page.contains("<table>"), "the part's statement is a table");
}

#[test]
fn a_part_report_is_a_word_document_with_the_parts_heading() {
    let md = part_report(Lang::Zh);
    let doc = report::markdown_document(&md, Lang::Zh, Format::Docx).unwrap();
    let (xml, text) = docx_text(&doc);
    assert!(text.contains("Report: a part of the entity"));
    assert!(text.contains("海南省农垦"), "{text}");
    assert!(
        xml.contains("<w:tbl>"),
        "the part's statement is a Word table"
    );
    assert!(report::markdown_document(&md, Lang::Zh, Format::Csv).is_err());
}
