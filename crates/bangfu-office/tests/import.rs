//! Import: the same roster as UTF-8, UTF-8 with a BOM, GBK and `.xlsx` imports to the same
//! records; four bad rows give four problems with sheet, row, column and code, and nothing
//! is imported; households and claims come back as the records they were written from.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bangfu_core::{Coded, Labelled, Lang};
use bangfu_funding::Posting;
use bangfu_office::import::{self, Encoding, Imported, Mapping, RecordKind};
use bangfu_office::{Format, export};
use bangfu_year::records::{ClaimDetail, ClaimRecord, HouseholdRecord};

/// The first `n` disbursements of the Hainan ledger (every column used: units, entry dates,
/// claim links).
fn hainan_roster(n: usize) -> Vec<Posting> {
    bangfu_data::hainan2018::ledger_records()
        .unwrap()
        .into_iter()
        .filter(|p| matches!(p, Posting::Disbursement(_)))
        .step_by(20)
        .take(n)
        .collect()
}

fn roster_mapping() -> Mapping {
    Mapping::default_for(RecordKind::Roster)
}

#[test]
fn the_same_roster_as_utf8_bom_gbk_and_xlsx_imports_to_the_same_records() {
    let roster = hainan_roster(400);
    assert!(
        roster
            .iter()
            .any(|p| matches!(p, Posting::Disbursement(d) if d.claim.is_some()))
    );
    let with_bom = export::roster(&roster, Lang::Zh, Format::Csv).unwrap();
    assert!(with_bom.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(with_bom.clone()).unwrap();
    let without_bom = text.trim_start_matches('\u{feff}').as_bytes().to_vec();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(text.trim_start_matches('\u{feff}'));
    assert!(!unmappable);
    assert!(
        std::str::from_utf8(&gbk).is_err(),
        "GBK bytes are not UTF-8"
    );
    let xlsx = export::roster(&roster, Lang::Zh, Format::Xlsx).unwrap();
    for (what, bytes) in [
        ("utf-8 with BOM", with_bom),
        ("utf-8", without_bom),
        ("gbk", gbk.into_owned()),
        ("xlsx", xlsx),
    ] {
        let got = import::roster(what, &bytes, &roster_mapping())
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(got, roster, "{what}");
    }
    // As the year directory's file: the very lines of the ledger.
    let csv = export::roster(&roster, Lang::Zh, Format::Csv).unwrap();
    let got = import::import("r.csv", &csv, &roster_mapping()).unwrap();
    assert_eq!(got.file_name(), "ledger.jsonl");
    assert_eq!(got.to_jsonl(), bangfu_year::input::write_jsonl(&roster));
    // An English roster reads with a mapping of its headers.
    let en = export::roster(&roster, Lang::En, Format::Csv).unwrap();
    let mut mapping = roster_mapping();
    let table = export::roster_table(&[], Lang::En);
    for ((field, _, _), column) in RecordKind::Roster.fields().iter().zip(&table.columns) {
        mapping
            .columns
            .insert((*field).to_owned(), column.header.clone());
    }
    assert_eq!(import::roster("en.csv", &en, &mapping).unwrap(), roster);
}

const HEADER: &str = "编号,发放日期,资金来源,救助类别,救助项目,户号,档案层级,发放方式,金额（元）";

fn four_bad_rows() -> String {
    [
        HEADER,
        "p-1,2018-01-15,中央财政,生活救助,两节送温暖,HK-0001,全国级,工会会员服务卡,800.00",
        "p-2,2018-02-30,中央财政,生活救助,日常帮扶,HK-0002,全国级,工会会员服务卡,800.00",
        "p-3,2018-03-01,省财政,医疗救助,日常帮扶,HK-0003,省级,银行卡,1500",
        "p-4,2018-03-02,慈善基金,生活救助,日常帮扶,HK-0004,全国级,工会会员服务卡,800.00",
        "p-5,2018-03-03,省财政,生活救助,日常帮扶,HK-0005,全国级,工会会员服务卡,-50",
        "p-6,2018-03-04,省财政,助学救助,日常帮扶,HK-0006,全国级,银行卡,\"1,000.00\"",
        "p-7,2018-03-05,省财政,助学救助,日常帮扶,,全国级,银行卡,1000.00",
    ]
    .join("\n")
        + "\n"
}

#[test]
fn four_bad_rows_report_four_problems_and_import_nothing() {
    let err =
        import::roster("roster.csv", four_bad_rows().as_bytes(), &roster_mapping()).unwrap_err();
    assert_eq!(err.code(), "import.rows");
    let found: Vec<(String, u32, String, String, &str)> = err
        .problems()
        .iter()
        .map(|p| {
            let c = p.column.clone().unwrap();
            (p.sheet.clone(), p.row, c.letter, c.header, p.error.code())
        })
        .collect();
    let expected = [
        ("roster.csv", 3, "B", "发放日期", "import.date"),
        ("roster.csv", 5, "C", "资金来源", "import.unknown_code"),
        ("roster.csv", 6, "I", "金额（元）", "core.money.negative"),
        ("roster.csv", 8, "F", "户号", "import.missing_value"),
    ];
    assert_eq!(found.len(), 4, "{found:?}");
    for (got, want) in found.iter().zip(expected) {
        assert_eq!(
            (got.0.as_str(), got.1, got.2.as_str(), got.3.as_str(), got.4),
            want
        );
    }
    assert!(err.to_string().starts_with("4 problems, nothing imported"));
    assert_eq!(
        err.problems()[0].to_string(),
        "roster.csv!B3 (发放日期): \"2018-02-30\" is not a date [import.date]"
    );
    // Labels for the office, in both languages.
    assert_eq!(err.problems()[1].error.zh(), "无法识别的取值");
}

#[test]
fn four_bad_rows_in_a_workbook_name_the_sheet() {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("发放花名册").unwrap();
    for (r, line) in four_bad_rows().lines().enumerate() {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        let record = reader.records().next().unwrap().unwrap();
        for (c, value) in record.iter().enumerate() {
            let (r, c) = (r as u32, c as u16);
            if c == 8 && r > 0 {
                match value.replace(',', "").parse::<f64>() {
                    Ok(v) => sheet.write_number(r, c, v).unwrap(),
                    Err(_) => sheet.write_string(r, c, value).unwrap(),
                };
            } else if !value.is_empty() {
                sheet.write_string(r, c, value).unwrap();
            }
        }
    }
    let bytes = book.save_to_buffer().unwrap();
    let err = import::roster("roster.xlsx", &bytes, &roster_mapping()).unwrap_err();
    let found: Vec<(String, u32, String, &str)> = err
        .problems()
        .iter()
        .map(|p| {
            (
                p.sheet.clone(),
                p.row,
                p.column.clone().unwrap().letter,
                p.error.code(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            ("发放花名册".to_owned(), 3, "B".to_owned(), "import.date"),
            (
                "发放花名册".to_owned(),
                5,
                "C".to_owned(),
                "import.unknown_code"
            ),
            (
                "发放花名册".to_owned(),
                6,
                "I".to_owned(),
                "core.money.negative"
            ),
            (
                "发放花名册".to_owned(),
                8,
                "F".to_owned(),
                "import.missing_value"
            ),
        ]
    );
}

#[test]
fn a_mapping_file_names_columns_by_header_or_number_with_defaults() {
    let mapping = Mapping::from_toml(
        r#"
kind = "roster"
header_row = 2
encoding = "gbk"
date_formats = ["%Y年%m月%d日"]
[columns]
id = "流水号"
date = "%2"
amount = "实发金额"
[defaults]
channel = "bank_card"
tier = "national"
"#,
    )
    .unwrap();
    assert_eq!(mapping.encoding, Encoding::Gbk);
    let text = "2018年送温暖发放表\n\
                流水号,日期,资金来源,救助类别,户号,实发金额\n\
                w-1,2018年1月15日,中央财政,生活救助,HK-0001,\"1,000.00\"\n";
    let (gbk, _, _) = encoding_rs::GBK.encode(text);
    let got = import::roster("w.csv", &gbk, &mapping).unwrap();
    let Posting::Disbursement(d) = &got[0] else {
        panic!()
    };
    assert_eq!(d.amount.to_string(), "1000.00");
    assert_eq!(d.channel.code(), "bank_card");
    assert_eq!(d.date.to_string(), "2018-01-15");
    // Unknown fields and kinds are refused with a code.
    let err = Mapping::from_toml("kind = \"roster\"\n[columns]\nsalary = \"工资\"\n").unwrap_err();
    assert_eq!(err.code(), "import.mapping");
    let err = Mapping::from_toml("kind = 3\n").unwrap_err();
    assert!(err.code().starts_with("read."), "{}", err.code());
}

#[test]
fn bytes_in_no_encoding_are_a_problem_of_their_row() {
    let mut bytes = format!("{HEADER}\n").into_bytes();
    bytes.extend_from_slice(b"p-1,2018-01-15,\xff\xfe,living\n");
    let mut mapping = roster_mapping();
    mapping.encoding = Encoding::Utf8;
    let err = import::roster("bad.csv", &bytes, &mapping).unwrap_err();
    assert_eq!(err.problems().len(), 1);
    assert_eq!(err.problems()[0].row, 2);
    assert_eq!(err.problems()[0].error.code(), "import.encoding");
}

#[test]
fn a_posting_id_twice_is_refused_with_both_rows() {
    let text = [
        HEADER,
        "p-1,2018-01-15,中央财政,生活救助,两节送温暖,HK-0001,全国级,工会会员服务卡,800.00",
        "p-1,2018-01-16,中央财政,生活救助,两节送温暖,HK-0002,全国级,工会会员服务卡,800.00",
    ]
    .join("\n");
    let err = import::roster("d.csv", text.as_bytes(), &roster_mapping()).unwrap_err();
    assert_eq!(err.problems().len(), 1);
    let p = &err.problems()[0];
    assert_eq!((p.row, p.error.code()), (3, "import.duplicate_id"));
    assert!(p.to_string().contains("already on row 2"));
}

/// A CSV writer for the tests' records: a header and quoted cells.
fn csv_of(header: &[&str], rows: &[Vec<String>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .flexible(true)
        .from_writer(Vec::new());
    w.write_record(header).unwrap();
    for r in rows {
        w.write_record(r).unwrap();
    }
    w.into_inner().unwrap()
}

#[test]
fn claims_come_back_as_the_records_they_were_written_from() {
    let claims: Vec<ClaimRecord> = bangfu_data::hainan2018::claims().unwrap();
    let header: Vec<&str> = RecordKind::Claims.fields().iter().map(|f| f.1).collect();
    let rows: Vec<Vec<String>> = claims
        .iter()
        .map(|c| {
            let (kind, applicant, cost, student) = match &c.detail {
                ClaimDetail::Medical {
                    applicant,
                    out_of_pocket,
                } => (
                    "医疗救助",
                    applicant.to_string(),
                    out_of_pocket.to_string(),
                    String::new(),
                ),
                ClaimDetail::Education { student } => {
                    ("助学", String::new(), String::new(), student.to_string())
                }
                other => panic!("{other:?}"),
            };
            vec![
                c.id.to_string(),
                c.case.to_string(),
                c.household.to_string(),
                c.date.format("%Y/%m/%d").to_string(),
                kind.to_owned(),
                applicant,
                cost,
                student,
                String::new(),
            ]
        })
        .collect();
    let bytes = csv_of(&header, &rows);
    let got = import::claims(
        "claims.csv",
        &bytes,
        &Mapping::default_for(RecordKind::Claims),
    )
    .unwrap();
    assert_eq!(got, claims);
    let imported = import::import(
        "claims.csv",
        &bytes,
        &Mapping::default_for(RecordKind::Claims),
    )
    .unwrap();
    assert!(matches!(&imported, Imported::Claims(v) if v.len() == 780));
    assert_eq!(imported.to_jsonl(), bangfu_data::hainan2018::CLAIMS_JSONL);
}

fn codes<T: Coded>(items: impl IntoIterator<Item = T>) -> String {
    items
        .into_iter()
        .map(|t| t.code().to_owned())
        .collect::<Vec<_>>()
        .join("、")
}

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.to_owned()
}

/// The rows of a household, in the default columns' order.
fn household_rows(r: &HouseholdRecord) -> Vec<Vec<String>> {
    let h = &r.household;
    let person_docs = |id: &bangfu_core::PersonId| {
        codes(
            h.documents
                .iter()
                .filter(|d| d.person.as_ref() == Some(id))
                .map(|d| d.kind),
        )
    };
    let mut out = Vec::new();
    for (k, p) in h.persons().enumerate() {
        let relation = if k == 0 {
            "本人".to_owned()
        } else {
            h.members[k - 1].relation.zh().to_owned()
        };
        let mut row = vec![
            h.id.to_string(),
            relation,
            p.id.to_string(),
            p.name.clone(),
            p.id_number.expose().to_owned(),
            p.birth_date.to_string(),
            p.sex.zh().to_owned(),
            codes(p.health.iter().copied()),
            p.school
                .as_ref()
                .map_or(String::new(), |s| s.stage.zh().to_owned()),
            p.school
                .as_ref()
                .map_or(String::new(), |s| s.fee.zh().to_owned()),
            yes(p.employed),
            yes(p.controlling_shareholder),
            yes(p.runs_business),
            p.annual_income.to_string(),
            person_docs(&p.id),
        ];
        if k == 0 {
            let w = &h.worker;
            row.extend([
                r.case.to_string(),
                r.applied.to_string(),
                r.tier.zh().to_owned(),
                r.category.zh().to_owned(),
                h.annual_income.to_string(),
                h.other_income.to_string(),
                h.rigid_expenditure.to_string(),
                h.assets.homes.to_string(),
                codes(h.causes.iter().copied()),
                codes(
                    h.documents
                        .iter()
                        .filter(|d| d.person.is_none())
                        .map(|d| d.kind),
                ),
                yes(w.union_member),
                w.employer.to_string(),
                w.union_unit.to_string(),
                yes(w.migrant),
                w.contract_months.to_string(),
                h.accident
                    .as_ref()
                    .map_or(String::new(), |a| a.date.to_string()),
                h.accident
                    .as_ref()
                    .map_or(String::new(), |a| a.cost.to_string()),
                yes(h.high_consumption),
                yes(h.refused_verification),
            ]);
        }
        out.push(row);
    }
    out
}

#[test]
fn households_come_back_as_the_records_they_were_written_from() {
    // Vehicles and withdrawals are not read from a spreadsheet; the others round-trip.
    let records: Vec<HouseholdRecord> = bangfu_data::hainan2018::households()
        .unwrap()
        .into_iter()
        .filter(|r| r.withdrawal.is_none() && r.household.assets.vehicles.is_empty())
        .take(200)
        .collect();
    assert!(records.iter().any(|r| r.household.accident.is_some()));
    assert!(records.iter().any(|r| {
        r.household
            .members
            .iter()
            .any(|m| m.person.school.is_some())
    }));
    let header: Vec<&str> = RecordKind::Households
        .fields()
        .iter()
        .map(|f| f.1)
        .collect();
    let rows: Vec<Vec<String>> = records.iter().flat_map(household_rows).collect();
    let bytes = csv_of(&header, &rows);
    let got = import::households(
        "h.csv",
        &bytes,
        &Mapping::default_for(RecordKind::Households),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(got.len(), records.len());
    // The household's documents come first, then each person's: the same set in that order.
    let sorted = |r: &HouseholdRecord| {
        let mut r = r.clone();
        r.household
            .documents
            .sort_by_key(|d| (d.person.clone(), d.kind.code()));
        r
    };
    for (g, r) in got.iter().zip(&records) {
        assert_eq!(sorted(g), sorted(r), "{}", r.household.id);
    }
}

#[test]
fn a_household_without_its_worker_row_and_a_bad_id_number_are_reported() {
    let header: Vec<&str> = RecordKind::Households
        .fields()
        .iter()
        .map(|f| f.1)
        .collect();
    let record = bangfu_data::hainan2018::households().unwrap().remove(0);
    let mut rows = household_rows(&record);
    rows[0][1] = "配偶".to_owned(); // no worker row any more
    let mut other = household_rows(&bangfu_data::hainan2018::households().unwrap().remove(1));
    other[0][4] = "460100198205120021".to_owned(); // wrong check digit
    rows.extend(other);
    let err = import::households(
        "h.csv",
        &csv_of(&header, &rows),
        &Mapping::default_for(RecordKind::Households),
    )
    .unwrap_err();
    let codes: Vec<&str> = err.problems().iter().map(|p| p.error.code()).collect();
    assert!(
        codes.iter().any(|c| c.starts_with("eligibility.")),
        "{codes:?}"
    );
    assert!(codes.contains(&"import.household"), "{codes:?}");
    assert_eq!(
        err.problems()[0].row,
        2,
        "the household without its worker, on its first row"
    );
}
