//! `bangfu statement|report --unit ID [--except ID]`: the statement and the report of a part
//! of the entity, from the union organisation tree (units.toml).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

mod common;

use common::{bangfu, scratch};

#[test]
fn the_two_parts_of_the_hainan_year_add_up_in_json() {
    let part = |args: &[&str]| -> serde_json::Value {
        let mut all = vec!["statement", "--json"];
        all.extend_from_slice(args);
        let (code, out, err) = bangfu(&all);
        assert_eq!(code, 0, "{err}");
        serde_json::from_str(&out).unwrap()
    };
    let own = part(&["--unit", "center", "--except", "hainan-reclamation"]);
    let group = part(&["--unit", "hainan-reclamation"]);
    assert_eq!(own["figures"]["active"], 286);
    assert_eq!(group["figures"]["active"], 680);
    assert_eq!(own["figures"]["spent"], "3371662.00");
    assert_eq!(group["figures"]["spent"], "7466179.39");
    assert_eq!(own["whole"]["spent"], "10837841.39");
    let times = |v: &serde_json::Value| v["figures"]["person_times"].as_u64().unwrap();
    assert_eq!(times(&own) + times(&group), 8_236);
    assert_eq!(own["units"].as_array().unwrap().len(), 6);
}

#[test]
fn a_part_is_a_spreadsheet_too() {
    let (code, out, err) = bangfu(&[
        "statement",
        "--unit",
        "hainan-reclamation",
        "--format",
        "csv",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("Total,,7466179.39,5801"), "{out}");
    let file = scratch("part-xlsx").join("part.xlsx");
    let (code, _, err) = bangfu(&[
        "statement",
        "--unit",
        "center",
        "--except",
        "hainan-reclamation",
        "--format",
        "xlsx",
        "--out",
        file.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(std::fs::metadata(&file).unwrap().len() > 0);
}

#[test]
fn a_part_report_names_the_part_and_lists_its_findings() {
    let (code, out, err) = bangfu(&["report", "--unit", "hainan-reclamation", "--lang", "en"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("Hainan Agricultural Reclamation group union"),
        "{out}"
    );
    assert!(out.contains("## Findings\n\nNone."), "{out}");
}

#[test]
fn bad_parts_are_refused_with_their_codes() {
    let (code, _, err) = bangfu(&["statement", "--unit", "farm-7", "--lang", "en"]);
    assert_eq!(code, 1);
    assert!(err.contains("[tree.unknown_unit]"), "{err}");
    // --except needs --unit; a part's report is not a spreadsheet.
    let (code, _, _) = bangfu(&["statement", "--except", "hainan-reclamation"]);
    assert_eq!(code, 2);
    let (code, _, _) = bangfu(&[
        "report", "--unit", "center", "--format", "xlsx", "--out", "x.xlsx",
    ]);
    assert_eq!(code, 2);
    // A directory without units.toml has no parts.
    let dir = scratch("no-tree");
    for (name, bytes) in bangfu::hainan2018::files() {
        if name != "units.toml" {
            std::fs::write(dir.join(&name), bytes).unwrap();
        }
    }
    let (code, _, err) = bangfu(&[
        "statement",
        dir.to_str().unwrap(),
        "--unit",
        "center",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("[dir.missing_file]"), "{err}");
}

/// The bytes `bangfu ARGS --out FILE` writes to a scratch file named `name`.
fn written(args: &str, name: &str) -> Vec<u8> {
    let file = scratch("part-report").join(name);
    let mut all: Vec<&str> = args.split(' ').collect();
    all.extend(["--out", file.to_str().unwrap()]);
    let (code, _, err) = bangfu(&all);
    assert_eq!(code, 0, "{err}");
    std::fs::read(&file).unwrap()
}

#[test]
fn a_part_report_is_a_web_page_and_a_word_document_with_the_parts_heading() {
    let page = written(
        "report --unit hainan-reclamation --lang en --format html",
        "part.html",
    );
    let page = String::from_utf8(page).unwrap();
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("a part of the entity"), "{page}");
    assert!(page.contains("Hainan Agricultural Reclamation group union"));
    assert!(page.contains("<h2>Findings</h2>"), "{page}");
    let doc = written(
        "report --unit center --except hainan-reclamation --format docx",
        "part.docx",
    );
    assert!(doc.starts_with(b"PK"));
}

#[test]
fn the_web_page_report_carries_the_campaigns_section() {
    let page = String::from_utf8(written("report --format html", "report.html")).unwrap();
    assert!(
        page.contains("<h2>专项活动情况</h2>"),
        "no campaigns section"
    );
    assert!(page.contains("<td>两节送温暖</td>"));
}
