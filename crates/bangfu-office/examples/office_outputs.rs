//! Writes the Hainan 2018 year's office outputs into a directory, for `tools/render-office.sh`:
//! `report.zh.html`, `report.zh.docx`, `report.en.html`, `year.zh.xlsx`, `statement.zh.csv`,
//! and `figures.txt` (the title, every figure of the statement as the report writes it, and
//! the score, one a line) for the script's checks.
//!
//! `cargo run -p bangfu-office --example office_outputs -- DIR`
#![allow(clippy::unwrap_used, clippy::expect_used)]

use bangfu_core::Lang;
use bangfu_office::{Format, export, report};
use bangfu_year::evaluation::FrameworkChoice;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).ok_or("usage: office_outputs DIR")?);
    std::fs::create_dir_all(&dir)?;
    let year = bangfu_data::hainan2018::programme_year()?;
    let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
    let statement = year.closed_statement()?.1;
    for lang in [Lang::Zh, Lang::En] {
        let code = if lang == Lang::Zh { "zh" } else { "en" };
        for format in [Format::Html, Format::Docx] {
            let bytes = report::report(&eval, &statement, lang, format)?;
            std::fs::write(
                dir.join(format!("report.{code}.{}", format.extension())),
                bytes,
            )?;
        }
        let parts = export::YearTables {
            statement: &statement,
            scorecard: Some(&eval.scorecard),
            postings: year.ledger().postings(),
            findings: &eval.findings,
            defects: &eval.payments.defects,
            oversight: Some(&eval.oversight),
        };
        std::fs::write(
            dir.join(format!("year.{code}.xlsx")),
            export::workbook(&parts, lang)?,
        )?;
        std::fs::write(
            dir.join(format!("statement.{code}.csv")),
            export::statement(&statement, lang, Format::Csv)?,
        )?;
    }
    // What the script looks for in the rendered pages: the title, the statement's figures
    // (万元 as the seed writes them, counts, rates), the score.
    let mut lines = vec![format!(
        "{}2018年度帮扶资金绩效自评报告",
        eval.report.meta.unit.zh
    )];
    let (table, _) = export::statement_table(&statement, Lang::Zh)?;
    for row in &table.rows {
        for (cell, column) in row.iter().zip(&table.columns).skip(1) {
            let text = cell.display(column.kind);
            if !text.is_empty() && column.kind != bangfu_office::table::ColumnKind::Text {
                lines.push(text);
            }
        }
    }
    lines.push(format!("{}分", eval.scorecard.total));
    lines.dedup();
    std::fs::write(dir.join("figures.txt"), lines.join("\n") + "\n")?;
    println!("wrote {}", dir.display());
    Ok(())
}
