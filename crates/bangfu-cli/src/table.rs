//! `bangfu table TABLE [DIR]`: one table of a year in the office formats: the statement
//! (资金收支情况表), the scoring table (附件2评分表), the payment roster (发放花名册) or the
//! findings (核对发现), the allocation plan (分配方案) or the self-inspection (自查整改), as
//! Markdown, JSON, CSV or `.xlsx`; `all` is them in one workbook.
//!
//! Markdown and JSON: the statement as `bangfu statement` prints it; the other tables in
//! Markdown as the office crate's table (the headers and figures of the CSV), in JSON as the
//! records serialize (the scorecard, the roster's disbursements as ledger postings, the
//! findings and the payment defects), so a program reads the same names in both languages.

use bangfu::core::Lang;
use bangfu_office::Format;
use bangfu_office::table::{ColumnKind, Table};
use clap::{ArgMatches, Command};

use crate::cli::{self, Subcommand, value};
use crate::failure::Failure;
use crate::io::Output;
use crate::year_dir::Year;

/// `bangfu table`.
pub(crate) const COMMAND: Subcommand = Subcommand {
    name: "table",
    usage: USAGE,
    command,
    run,
};

const USAGE: &[&str] = &[
    "bangfu table statement|scores|roster|findings|plan|inspection [DIR] [--format md|json|csv|xlsx] [--out FILE] [--framework self|reference]",
    "bangfu table all [DIR] --format xlsx --out FILE",
];

const TABLES: &[&str] = &[
    "statement",
    "scores",
    "roster",
    "findings",
    "plan",
    "inspection",
    "all",
];

fn command(lang: Lang) -> Command {
    cli::command(
        "table",
        USAGE,
        lang,
        (
            "输出年度的一张表：statement 资金收支情况表，scores 附件2评分表，roster 发放花名册，\
             findings 核对发现，plan 分配方案，inspection 自查整改台账；all 为各表合成的一个 \
             Excel 工作簿。",
            "One table of the year: statement (the fund statement), scores (the scoring \
             table, 附件2), roster (the payment roster), findings (the checks' findings), plan \
             (the allocation plan), inspection (the self-inspection items); all is them in one \
             Excel workbook.",
        ),
        (
            "Excel 文件中数字为数字格式，表头冻结，收支表带可编辑的图表；CSV 为带 BOM 的 UTF-8。\n\n\
             示例：\n  bangfu table scores 年度目录 --format csv > 评分表.csv\n  \
             bangfu table roster --format xlsx --out 花名册.xlsx\n  \
             bangfu table findings 年度目录 --format json\n  \
             bangfu table all 年度目录 --format xlsx --out 年度.xlsx",
            "In the .xlsx, numbers are numbers, headers frozen, the statement has native \
             charts; CSV is UTF-8 with a BOM.\n\n\
             Examples:\n  bangfu table scores DIR --format csv > scores.csv\n  \
             bangfu table roster --format xlsx --out roster.xlsx\n  \
             bangfu table findings DIR --format json\n  \
             bangfu table all DIR --format xlsx --out year.xlsx",
        ),
    )
    .arg(
        cli::positional(
            lang,
            "table",
            "TABLE",
            (
                "表：statement、scores、roster、findings、plan、inspection 或 all",
                "the table: statement, scores, roster, findings, plan, inspection or all",
            ),
        )
        .required(true)
        .value_parser(TABLES.to_vec()),
    )
    .arg(cli::dir(lang))
    .arg(cli::format(lang, &["md", "json", "csv", "xlsx"], "md|json|csv|xlsx"))
    .arg(cli::out(lang))
    .arg(cli::framework(lang))
}

fn run(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let which = value(m, "table").unwrap_or_default();
    let output = Output::of(m, lang, Format::Md, USAGE)?;
    let framework = cli::framework_of(m);
    if which == "all" && output.format != Format::Xlsx {
        return Err(Failure::usage(
            lang,
            "table all 只输出 Excel 工作簿：--format xlsx --out 文件.xlsx".into(),
            "table all is one workbook: --format xlsx --out FILE.xlsx".into(),
            USAGE,
        ));
    }
    let year = Year::of(value(m, "dir"))?;
    use bangfu_office::export;
    let bytes = match which {
        "statement" => return crate::statement::render(&year.statement()?, &output, lang),
        "scores" => {
            let card = year.evaluation(framework)?.scorecard;
            match output.format {
                Format::Md => markdown(&export::scorecard_table(&card, lang)).into_bytes(),
                Format::Json => Output::json(&card)?,
                other => export::scorecard(&card, lang, other)?,
            }
        }
        "roster" => {
            let postings = year.postings()?;
            match output.format {
                Format::Md => markdown(&export::roster_table(&postings, lang)).into_bytes(),
                Format::Json => {
                    let paid: Vec<bangfu::funding::Posting> =
                        bangfu::funding::standing_payments(&postings)
                            .map(|d| d.clone().into())
                            .collect();
                    Output::json(&paid)?
                }
                other => export::roster(&postings, lang, other)?,
            }
        }
        "findings" => {
            let e = year.evaluation(framework)?;
            let defects = &e.payments.defects;
            match output.format {
                Format::Md => {
                    markdown(&export::findings_table(&e.findings, defects, lang)).into_bytes()
                }
                Format::Json => Output::json(&serde_json::json!({
                    "findings": e.findings,
                    "defects": defects,
                }))?,
                other => export::findings(&e.findings, defects, lang, other)?,
            }
        }
        "plan" => {
            let o = year.evaluation(framework)?.oversight;
            let Some((_, plan)) = &o.plan else {
                return Err(Failure::usage(
                    lang,
                    "该年度无经集体研究审定的分配方案（allocation.toml）".into(),
                    "the year has no allocation plan approved by a collective decision \
                     (allocation.toml)"
                        .into(),
                    USAGE,
                ));
            };
            match output.format {
                Format::Md => markdown(&export::allocation_table(plan, lang)).into_bytes(),
                Format::Json => Output::json(&serde_json::json!({
                    "plan": plan,
                    "lines": o.lines,
                }))?,
                other => export::allocation(plan, &o.lines, lang, other)?,
            }
        }
        "inspection" => {
            let items = year.evaluation(framework)?.oversight.items;
            match output.format {
                Format::Md => markdown(&export::inspection_table(&items, lang)).into_bytes(),
                Format::Json => Output::json(&items)?,
                other => export::inspection(&items, lang, other)?,
            }
        }
        // `all` (the parser allows no other name).
        _ => {
            let statement = year.statement()?;
            let evaluation = year.evaluation(framework)?;
            let postings = year.postings()?;
            export::workbook(
                &export::YearTables {
                    statement: &statement,
                    scorecard: Some(&evaluation.scorecard),
                    postings: &postings,
                    findings: &evaluation.findings,
                    defects: &evaluation.payments.defects,
                    oversight: Some(&evaluation.oversight),
                },
                lang,
            )?
        }
    };
    output.emit(bytes)
}

/// A cell's text for a Markdown table: a `|` escaped, line breaks as spaces.
fn md_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// A table as Markdown: its title as a heading, the header row, numbers right-aligned, each
/// cell as a document shows it (万元 as the seed writes it, yuan with two decimals, `96.33 %`).
pub(crate) fn markdown(table: &Table) -> String {
    let mut out = format!("# {}\n\n|", md_cell(&table.title));
    for c in &table.columns {
        out.push_str(&format!(" {} |", md_cell(&c.header)));
    }
    out.push_str("\n|");
    for c in &table.columns {
        out.push_str(match c.kind {
            ColumnKind::Text | ColumnKind::Date => "---|",
            _ => "---:|",
        });
    }
    out.push('\n');
    for row in &table.rows {
        out.push('|');
        for (cell, c) in row.iter().zip(&table.columns) {
            out.push_str(&format!(" {} |", md_cell(&cell.display(c.kind))));
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use bangfu_office::table::{Cell, Column};

    #[test]
    fn a_table_as_markdown() {
        let mut t = Table::new(
            "s",
            "标题",
            vec![
                Column::new("名称", ColumnKind::Text),
                Column::new("人次", ColumnKind::Count),
            ],
        );
        t.push(vec![Cell::text_of("a|b\nc"), Cell::Count(3)]);
        assert_eq!(
            markdown(&t),
            "# 标题\n\n| 名称 | 人次 |\n|---|---:|\n| a\\|b c | 3 |\n"
        );
    }
}
