//! `bangfu table`, `bangfu eval --format` and `bangfu import`: the year's tables in every
//! office format, the decisions as a table, a roster from CSV into the year directory.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    clippy::float_arithmetic,
    missing_docs
)]

use std::io::Cursor;
use std::path::Path;

use bangfu::evaluation::FrameworkChoice;
use calamine::{Data, Reader, Xlsx};

mod common;
use common::bangfu_bytes as bangfu;

/// The text standard output of `args`, which must succeed.
fn text(args: &[&str]) -> String {
    let (code, out, err) = bangfu(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    String::from_utf8(out).unwrap()
}

fn tmp(name: &str) -> String {
    common::scratch("tables").join(name).display().to_string()
}

/// `args` with `--format xlsx --out FILE`, read back: sheet name → rows.
fn xlsx(args: &[&str], name: &str) -> Vec<(String, Vec<Vec<Data>>)> {
    let path = tmp(name);
    let mut all = args.to_vec();
    all.extend(["--format", "xlsx", "--out", &path]);
    let said = text(&all);
    assert!(said.starts_with(&format!("已写入 {path}（")), "{said}");
    let bytes = std::fs::read(&path).unwrap();
    let mut book: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|s| {
            let range = book.worksheet_range(&s).unwrap();
            (s, range.rows().map(|r| r.to_vec()).collect())
        })
        .collect()
}

/// The records of a CSV (UTF-8 with a BOM), header first.
fn csv(text: &str) -> Vec<Vec<String>> {
    assert!(text.starts_with('\u{feff}'), "a BOM for Excel");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

fn guinan() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../bangfu-data/data/guinan-2019")
        .display()
        .to_string()
}

#[test]
fn the_statement_table_in_every_format() {
    // md and json: what `bangfu statement` prints.
    assert_eq!(text(&["table", "statement"]), text(&["statement"]));
    assert_eq!(
        text(&["table", "statement", "--format", "json"]),
        text(&["statement", "--json"])
    );
    let rows = csv(&text(&["table", "statement", "--format", "csv"]));
    let total = rows.iter().find(|r| r[0] == "合计").unwrap();
    assert!(total.contains(&"1125.074864".to_owned()), "{total:?}");
    assert!(total.contains(&"1083.784139".to_owned()), "{total:?}");
    let book = xlsx(&["table", "statement"], "statement.xlsx");
    assert_eq!(book.len(), 1);
    let (sheet, rows) = &book[0];
    assert_eq!(sheet, "资金收支");
    let total = rows.iter().find(|r| r[0] == "合计").unwrap();
    assert!(total.contains(&Data::Float(1125.074864)), "{total:?}");
    assert!(total.contains(&Data::Float(1083.784139)), "{total:?}");
}

#[test]
fn the_scoring_table_in_every_format() {
    let card = bangfu::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)
        .unwrap()
        .scorecard;
    let n = card.indicators.len();
    let md = text(&["table", "scores"]);
    assert!(md.starts_with("# "), "{md}");
    assert!(md.contains("| 评分理由 |"), "{md}");
    assert!(md.contains("| 96.63 | 评价等级：优 |"), "{md}");
    assert_eq!(md.lines().filter(|l| l.starts_with('|')).count(), n + 3);
    let en = text(&["table", "scores", "--lang", "en"]);
    assert!(
        en.contains("| Reason |") && !en.contains("评分理由"),
        "{en}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&text(&["table", "scores", "--format", "json"])).unwrap();
    assert_eq!(json["total"], "96.63");
    assert_eq!(json["indicators"].as_array().unwrap().len(), n);
    let rows = csv(&text(&["table", "scores", "--format", "csv"]));
    assert_eq!(rows.len(), n + 2);
    assert_eq!(rows[n + 1][7], "96.63");
    let book = xlsx(&["table", "scores"], "scores.xlsx");
    let (sheet, rows) = &book[0];
    assert_eq!(sheet, "附件2评分表");
    assert_eq!(rows.len(), n + 2);
    assert_eq!(rows[n + 1][7], Data::Float(96.63));
    // The reference framework scores otherwise.
    let reference = text(&[
        "table",
        "scores",
        "--framework",
        "reference",
        "--format",
        "json",
    ]);
    assert_ne!(
        serde_json::from_str::<serde_json::Value>(&reference).unwrap()["framework"],
        json["framework"]
    );
}

#[test]
fn the_roster_in_every_format() {
    let md = text(&["table", "roster"]);
    assert_eq!(md.lines().filter(|l| l.starts_with('|')).count(), 8_236 + 2);
    assert!(md.contains("| HN2018-P-00001 |"), "{}", &md[..400]);
    let json: serde_json::Value =
        serde_json::from_str(&text(&["table", "roster", "--format", "json"])).unwrap();
    let paid = json.as_array().unwrap();
    assert_eq!(paid.len(), 8_236);
    assert!(paid.iter().all(|p| p["type"] == "disbursement"));
    let rows = csv(&text(&["table", "roster", "--format", "csv"]));
    assert_eq!(rows.len(), 8_236 + 1);
    assert_eq!(rows[0][8], "金额（元）");
    let book = xlsx(&["table", "roster"], "roster.xlsx");
    let (sheet, rows) = &book[0];
    assert_eq!(sheet, "发放花名册");
    assert_eq!(rows.len(), 8_236 + 1);
    // Yuan as numbers: the sum of the column is the year's spending.
    let fen: i64 = rows[1..]
        .iter()
        .map(|r| match r[8] {
            Data::Float(v) => (v * 100.0).round() as i64,
            ref other => panic!("{other:?} is not a number"),
        })
        .sum();
    assert_eq!(fen, 1_083_784_139);
}

#[test]
fn the_findings_in_every_format_on_both_years() {
    let md = text(&["table", "findings"]);
    for code in [
        "finding.arrival_rate",
        "finding.sample_ratio",
        "finding.satisfaction_rate",
        "finding.average_living_aid",
    ] {
        assert!(md.contains(&format!("| {code} |")), "{code}: {md}");
    }
    // The second year has a payment over the standard, named by its posting.
    let dir = guinan();
    let md = text(&["table", "findings", &dir]);
    assert!(
        md.contains("| year.over_standard | GN2019-P-00785 |"),
        "{md}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&text(&["table", "findings", &dir, "--format", "json"])).unwrap();
    assert_eq!(json["defects"][0]["posting"], "GN2019-P-00785");
    assert!(!json["findings"].as_array().unwrap().is_empty());
    let rows = csv(&text(&["table", "findings", &dir, "--format", "csv"]));
    assert!(
        rows.iter()
            .any(|r| r.contains(&"GN2019-P-00785".to_owned()))
    );
    let book = xlsx(&["table", "findings", &dir], "findings.xlsx");
    assert_eq!(book[0].0, "核对发现");
    assert_eq!(book[0].1.len(), rows.len());
}

#[test]
fn all_tables_in_one_workbook() {
    let book = xlsx(&["table", "all"], "year.xlsx");
    let names: Vec<&str> = book.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(names, ["资金收支", "附件2评分表", "发放花名册", "核对发现"]);
    // Anything but one workbook is bad usage.
    let (code, _, err) = bangfu(&["table", "all", "--format", "csv"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--format xlsx"), "{err}");
}

#[test]
fn a_year_directory_without_the_reports_files_has_no_scores() {
    let dir = tmp("bare-year");
    std::fs::create_dir_all(&dir).unwrap();
    for (file, body) in [
        ("policy.toml", bangfu::hainan2018::POLICY_TOML),
        ("budget.toml", bangfu::hainan2018::BUDGET_TOML),
        ("households.jsonl", bangfu::hainan2018::HOUSEHOLDS_JSONL),
        ("applicants.jsonl", bangfu::hainan2018::APPLICANTS_JSONL),
        ("claims.jsonl", bangfu::hainan2018::CLAIMS_JSONL),
        ("ledger.jsonl", bangfu::hainan2018::LEDGER_JSONL),
    ] {
        std::fs::write(Path::new(&dir).join(file), body).unwrap();
    }
    let (code, out, err) = bangfu(&["table", "scores", &dir]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("[dir.missing_file]"), "{err}");
    // The roster needs no more than the ledger.
    let rows = csv(&text(&["table", "roster", &dir, "--format", "csv"]));
    assert_eq!(rows.len(), 8_236 + 1);
}

const REQUESTS: &str = bangfu::aid::EXAMPLE_REQUESTS_JSONL;

#[test]
fn the_decisions_of_eval_as_a_table() {
    let file = tmp("requests.jsonl");
    std::fs::write(&file, REQUESTS).unwrap();
    let n = REQUESTS.lines().filter(|l| !l.trim().is_empty()).count();
    let rows = csv(&text(&["eval", &file, "--format", "csv"]));
    assert_eq!(rows.len(), n + 1);
    assert!(
        rows.iter()
            .any(|r| r.contains(&"aid.file.not_payable".to_owned()))
    );
    let md = text(&["eval", &file, "--format", "md"]);
    assert_eq!(md.lines().filter(|l| l.starts_with('|')).count(), n + 2);
    let book = xlsx(&["eval", &file], "decisions.xlsx");
    let (sheet, rows) = &book[0];
    assert_eq!(sheet, "决定");
    assert_eq!(rows.len(), n + 1);
    // The first request's amount, a number: as the JSON Lines output says.
    let jsonl = text(&["eval", &file]);
    let first: serde_json::Value = serde_json::from_str(jsonl.lines().next().unwrap()).unwrap();
    assert_eq!(first["amount"], "5000.00");
    assert!(rows[1].contains(&Data::Float(5000.0)), "{:?}", rows[1]);
    // JSON Lines to a file, the same lines.
    let out = tmp("decisions.jsonl");
    let said = text(&["eval", &file, "--out", &out, "--lang", "en"]);
    assert!(said.starts_with(&format!("wrote {out} (")), "{said}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), jsonl);
    // The explanation is JSON Lines only.
    let (code, _, err) = bangfu(&["eval", &file, "--explain", "--format", "csv"]);
    assert_eq!(code, 2, "{err}");
}

const HEADER: &str = "编号,发放日期,资金来源,救助类别,救助项目,户号,档案层级,发放方式,金额（元）";

#[test]
fn import_a_csv_roster_into_the_ledger_file() {
    let csv_text = [
        HEADER,
        "p-1,2018-01-15,中央财政,生活救助,两节送温暖,HK-0001,全国级,工会会员服务卡,800.00",
        "p-2,2018-03-01,省财政,医疗救助,日常帮扶,HK-0003,省级,银行卡,1500",
    ]
    .join("\n")
        + "\n";
    let file = tmp("roster.csv");
    std::fs::write(&file, &csv_text).unwrap();
    let out = tmp("ledger.jsonl");
    let said = text(&["import", &file, "--kind", "roster", "--out", &out]);
    assert_eq!(
        said,
        format!("已写入 {out}（2 条记录，即年度目录的 ledger.jsonl）\n")
    );
    let written = std::fs::read_to_string(&out).unwrap();
    let expected = bangfu_office::import::import(
        &file,
        csv_text.as_bytes(),
        &bangfu_office::import::Mapping::default_for(bangfu_office::import::RecordKind::Roster),
    )
    .unwrap()
    .to_jsonl();
    assert_eq!(written, expected);
    let postings = bangfu::input::parse_ledger_jsonl(&written).unwrap();
    assert_eq!(postings.len(), 2);
    assert_eq!(postings[1].amount().to_string(), "1500.00");
    // Without --out, the lines on standard output.
    assert_eq!(text(&["import", &file, "--kind", "roster"]), written);

    // A mapping file naming other headers.
    let renamed = csv_text.replacen("金额（元）", "实发金额", 1);
    let other = tmp("roster-renamed.csv");
    std::fs::write(&other, renamed).unwrap();
    let map = tmp("map.toml");
    std::fs::write(
        &map,
        "kind = \"roster\"\n[columns]\namount = \"实发金额\"\n",
    )
    .unwrap();
    assert_eq!(text(&["import", &other, "--mapping", &map]), written);
    // --kind and the mapping's kind must agree; one of them is needed.
    let (code, _, err) = bangfu(&["import", &other, "--mapping", &map, "--kind", "claims"]);
    assert_eq!(code, 2, "{err}");
    let (code, _, _) = bangfu(&["import", &other]);
    assert_eq!(code, 2);
}

#[test]
fn import_reports_every_bad_row_and_writes_nothing() {
    let csv_text = [
        HEADER,
        "p-1,2018-01-15,中央财政,生活救助,两节送温暖,HK-0001,全国级,工会会员服务卡,800.00",
        "p-2,2018-02-30,中央财政,生活救助,日常帮扶,HK-0002,全国级,工会会员服务卡,800.00",
        "p-3,2018-03-02,慈善基金,生活救助,日常帮扶,HK-0004,全国级,工会会员服务卡,800.00",
        "p-4,2018-03-05,省财政,助学救助,日常帮扶,,全国级,银行卡,1000.00",
    ]
    .join("\n")
        + "\n";
    let file = tmp("bad-roster.csv");
    std::fs::write(&file, csv_text).unwrap();
    let out = tmp("never.jsonl");
    let (code, stdout, err) = bangfu(&["import", &file, "--kind", "roster", "--out", &out]);
    assert_eq!(code, 1, "{err}");
    assert!(stdout.is_empty());
    assert!(!Path::new(&out).exists(), "nothing written");
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(lines.len(), 4, "{err}");
    assert!(
        lines[0].starts_with(&format!(
            "{file}!B3 (发放日期): \"2018-02-30\" is not a date [import.date]（日期格式错误）"
        )),
        "{err}"
    );
    assert!(lines[1].contains("!C4 (资金来源)") && lines[1].contains("[import.unknown_code]"));
    assert!(lines[2].contains("!F5 (户号)") && lines[2].contains("[import.missing_value]"));
    assert!(
        lines[3].starts_with("bangfu: 错误 [import.rows]: 有错误行，未导入: 3 problems"),
        "{err}"
    );
    let (code, _, err) = bangfu(&["import", &file, "--kind", "roster", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(
        err.lines().next().unwrap().ends_with("[import.date]"),
        "{err}"
    );
    assert!(
        err.contains("bangfu: error [import.rows]: 3 problems"),
        "{err}"
    );
}

#[test]
fn the_allocation_plan_and_the_self_inspection_as_tables() {
    let dir = guinan();
    let md = text(&["table", "plan", &dir]);
    assert!(
        md.starts_with("# 帮扶资金分配方案（按2019-01-04在档户数）"),
        "{md}"
    );
    assert!(md.contains("户均标准（元）") && md.contains("guinan-sugar"));
    let json: serde_json::Value =
        serde_json::from_str(&text(&["table", "plan", &dir, "--format", "json"])).unwrap();
    let sources = json["plan"]["sources"].as_array().unwrap();
    let allocations = json["plan"]["allocations"].as_array().unwrap();
    assert_eq!(sources.len(), 4);
    let rows = csv(&text(&["table", "plan", &dir, "--format", "csv"]));
    assert_eq!(rows.len(), 1 + allocations.len() + sources.len());
    let book = xlsx(&["table", "plan", &dir], "plan.xlsx");
    let names: Vec<&str> = book.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(names, ["分配方案", "方案执行"]);
    let items = text(&["table", "inspection", &dir]);
    let overdue = items.lines().find(|l| l.contains("ZC-2019-02")).unwrap();
    assert!(overdue.contains("逾期未整改"), "{overdue}");
    // The Hainan year has no plan: said, not invented.
    let (code, _, err) = bangfu(&["table", "plan"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("allocation.toml"), "{err}");
    let book = xlsx(&["table", "all", &dir], "guinan.xlsx");
    let names: Vec<&str> = book.iter().map(|(s, _)| s.as_str()).collect();
    assert_eq!(
        names,
        [
            "资金收支",
            "附件2评分表",
            "发放花名册",
            "核对发现",
            "分配方案",
            "方案执行",
            "自查整改"
        ]
    );
}
