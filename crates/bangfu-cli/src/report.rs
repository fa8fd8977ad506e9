//! `bangfu report`: the self-evaluation report (绩效自评报告) of a year directory or of the
//! embedded Hainan 2018 year, every figure computed from the records, as Chinese (default)
//! or English Markdown, one HTML page, or a Word document.

use bangfu::core::Lang;
use bangfu_office::Format;
use clap::{ArgMatches, Command};

use crate::cli::{self, Subcommand, value};
use crate::failure::Failure;
use crate::io::Output;

/// `bangfu report`.
pub(crate) const COMMAND: Subcommand = Subcommand {
    name: "report",
    usage: USAGE,
    command,
    run,
};

const USAGE: &[&str] = &[
    "bangfu report [DIR] [--lang zh|en] [--framework self|reference] [--format md|html|docx] [--out FILE]",
    "bangfu report [DIR] --unit ID [--except ID]... [--lang zh|en] [--format md|html|docx] [--out FILE]",
];

fn command(lang: Lang) -> Command {
    cli::command(
        "report",
        USAGE,
        lang,
        (
            "绩效自评报告：一至六部分与附件2评分表，每个数字都由记录算出；\
             可输出 Markdown、网页（含图表，可打印为A4）或 Word 文档。",
            "The performance self-evaluation report: parts 1 to 6 and the scoring table \
             (附件2), every figure computed from the records; as Markdown, one web page \
             (charts, A4 print) or a Word document.",
        ),
        (
            "示例：\n  bangfu report                                  内置海南省2018年度\n  \
             bangfu report 年度目录 --format html --out 报告.html\n  \
             bangfu report 年度目录 --format docx --out 报告.docx\n  \
             bangfu report --framework reference --lang en",
            "Examples:\n  bangfu report                                  the embedded Hainan 2018 year\n  \
             bangfu report DIR --format html --out report.html\n  \
             bangfu report DIR --format docx --out report.docx\n  \
             bangfu report --framework reference --lang en",
        ),
    )
    .arg(cli::dir(lang))
    .args(crate::part::args(lang))
    .arg(cli::framework(lang))
    .arg(cli::format(lang, &["md", "html", "docx"], "md|html|docx"))
    .arg(cli::out(lang))
}

fn run(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let output = Output::of(m, lang, Format::Md, USAGE)?;
    let framework = cli::framework_of(m);
    if let Some(scope) = crate::part::scope_of(m)? {
        return crate::part::run(value(m, "dir"), &scope, &output, lang, true, USAGE);
    }
    if let Some(dir) = value(m, "dir") {
        return crate::year_dir::report(dir, framework, lang, &output);
    }
    let evaluation = bangfu::hainan2018::evaluation(framework)?;
    let year = bangfu::hainan2018::programme_year()?;
    let statement = year.closed_statement()?.1;
    let campaigns = bangfu::year::campaign::report_section(&year, lang)?;
    render(&evaluation, &statement, &campaigns, lang, &output)
}

/// The report in the output's format, the campaigns' section (`campaigns`, Markdown) at its
/// end: Markdown as the evaluation renders it, or HTML and `.docx` with the statement's table
/// and charts.
pub(crate) fn render(
    evaluation: &bangfu::evaluation::Evaluation,
    statement: &bangfu::funding::Statement,
    campaigns: &str,
    lang: Lang,
    output: &Output,
) -> Result<String, Failure> {
    let bytes =
        bangfu_office::report::report_with(evaluation, statement, campaigns, lang, output.format)?;
    output.emit(bytes)
}
