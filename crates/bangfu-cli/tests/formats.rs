//! `--format` and `--out`: the statement and the report in the office formats.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::path::Path;
use std::process::Command;

fn bangfu(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bangfu"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn out(name: &str) -> String {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("bangfu-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name).display().to_string()
}

/// The second example year's directory, in the repository.
fn guinan() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../bangfu-data/data/guinan-2019")
        .display()
        .to_string()
}

#[test]
fn the_statement_as_csv_and_xlsx() {
    let (code, csv, err) = bangfu(&["statement", "--format", "csv"]);
    assert_eq!(code, 0, "{err}");
    assert!(csv.contains("1083.784139"), "{csv}");
    assert!(csv.lines().count() > 3);
    let path = out("statement.xlsx");
    let (code, said, err) = bangfu(&["statement", "--format", "xlsx", "--out", &path]);
    assert_eq!(code, 0, "{err}");
    assert!(said.starts_with("已写入 "), "{said}");
    let (code, said, _) = bangfu(&[
        "statement",
        "--format",
        "xlsx",
        "--out",
        &path,
        "--lang",
        "en",
    ]);
    assert_eq!(code, 0);
    assert!(said.starts_with("wrote "), "{said}");
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(&bytes[..2], b"PK", "an .xlsx is a zip file");
    // A binary format needs a file.
    let (code, _, err) = bangfu(&["statement", "--format", "xlsx"]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--out"), "{err}");
    let (code, _, _) = bangfu(&["statement", "--format", "pdf"]);
    assert_eq!(code, 2);
    // `--json` is `--format json`.
    let (_, a, _) = bangfu(&["statement", "--json"]);
    let (_, b, _) = bangfu(&["statement", "--format", "json"]);
    assert_eq!(a, b);
}

#[test]
fn the_second_years_report_as_html_and_docx() {
    let dir = guinan();
    let (code, html, err) = bangfu(&["report", &dir, "--format", "html"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        html.contains("<html") && html.contains("桂南市"),
        "{}",
        &html[..200.min(html.len())]
    );
    assert!(
        html.contains("GN2019-P-00785"),
        "the over-standard payment is named"
    );
    let path = out("report.docx");
    let (code, _, err) = bangfu(&[
        "report", &dir, "--lang", "en", "--format", "docx", "--out", &path,
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(&std::fs::read(&path).unwrap()[..2], b"PK");
    let (code, md, _) = bangfu(&["report", &dir, "--format", "md"]);
    assert_eq!(code, 0);
    assert!(md.starts_with("# 桂南市"), "{}", &md[..100.min(md.len())]);
}
