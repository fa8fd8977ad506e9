//! `bangfu statement`: the fund statement (资金收支情况表) of a year directory, of bare
//! policy, budget and ledger files, or of the embedded Hainan 2018 year.

use bangfu::core::Lang;
use bangfu::input::{self, InputError};
use bangfu_office::Format;
use clap::{ArgMatches, Command};

use crate::cli::{self, Subcommand, value};
use crate::failure::{CodedError, Failure};
use crate::io::{Output, in_file, read};

/// `bangfu statement`.
pub(crate) const COMMAND: Subcommand = Subcommand {
    name: "statement",
    usage: USAGE,
    command,
    run,
};

const USAGE: &[&str] = &[
    "bangfu statement [DIR] [--format md|json|csv|xlsx] [--out FILE] [--lang zh|en]",
    "bangfu statement [DIR] --unit ID [--except ID]... [--format md|json|csv|xlsx] [--out FILE] [--lang zh|en]",
    "bangfu statement [--json] [--lang zh|en] [--policy FILE] [--budget FILE] [--ledger FILE]",
];

const FORMATS: &[&str] = &["md", "json", "csv", "xlsx"];

fn command(lang: Lang) -> Command {
    cli::command(
        "statement",
        USAGE,
        lang,
        (
            "资金收支情况表：各资金来源的预算、到位、支出（按救助类别）、人次、结余、到位率和执行率。",
            "The fund statement: each source's budget, income, spending by aid category, \
             person-times, balance, arrival and execution rates.",
        ),
        (
            "示例：\n  bangfu statement                         内置海南省2018年度\n  \
             bangfu statement 年度目录 --format xlsx --out 收支.xlsx\n  \
             bangfu statement --ledger ledger.jsonl --budget budget.toml --json",
            "Examples:\n  bangfu statement                         the embedded Hainan 2018 year\n  \
             bangfu statement DIR --format xlsx --out statement.xlsx\n  \
             bangfu statement --ledger ledger.jsonl --budget budget.toml --json",
        ),
    )
    .arg(cli::dir(lang))
    .args(crate::part::args(lang))
    .arg(cli::format(lang, FORMATS, "md|json|csv|xlsx"))
    .arg(cli::out(lang))
    .arg(cli::json(lang))
    .arg(cli::policy(lang))
    .arg(cli::option(
        lang,
        "budget",
        "FILE",
        (
            "预算文件（TOML）",
            "a budget file (TOML)",
        ),
    ))
    .arg(cli::option(
        lang,
        "ledger",
        "FILE",
        (
            "收支流水文件（JSON Lines）",
            "a ledger file (JSON Lines)",
        ),
    ))
}

/// The statement in the output's format (`md` and `json` as the statement renders and
/// serializes; `csv` and `xlsx` by the office crate).
pub(crate) fn render(
    statement: &bangfu::funding::Statement,
    output: &Output,
    lang: Lang,
) -> Result<String, Failure> {
    let bytes = match output.format {
        Format::Md => statement.render_text(lang).into_bytes(),
        Format::Json => Output::json(statement)?,
        other => bangfu_office::export::statement(statement, lang, other)?,
    };
    output.emit(bytes)
}

fn run(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let output = Output::of(m, lang, cli::json_or_md(m), USAGE)?;
    if let Some(scope) = crate::part::scope_of(m)? {
        return crate::part::run(value(m, "dir"), &scope, &output, lang, false, USAGE);
    }
    let (policy_path, budget_path, ledger_path) =
        (value(m, "policy"), value(m, "budget"), value(m, "ledger"));
    if let Some(dir) = value(m, "dir") {
        if policy_path.is_some() || budget_path.is_some() || ledger_path.is_some() {
            return Err(Failure::usage(
                lang,
                "年度目录自带政策、预算和流水文件，不能再给 --policy、--budget 或 --ledger".into(),
                "a year directory holds its own policy, budget and ledger".into(),
                USAGE,
            ));
        }
        let (built, receipt) = crate::year_dir::load_with_receipt(dir)?;
        let (_, statement) = built.year.closed_statement()?;
        // Temporary aid is inside living aid; its own figures follow the statement.
        let temporary = bangfu::year::temporary::statement_line(&built.year, lang)?;
        let Some(receipt) = receipt else {
            return match output.format {
                Format::Md => Ok(render(&statement, &output, lang)? + &temporary),
                _ => render(&statement, &output, lang),
            };
        };
        // Read from a store: the output carries the store's receipt.
        return match output.format {
            Format::Md => Ok(render(&statement, &output, lang)?
                + &temporary
                + &crate::store::receipt_line(&receipt, lang)),
            Format::Json => {
                let value = serde_json::json!({ "receipt": receipt, "statement": statement });
                output.emit(Output::json(&value)?)
            }
            _ => render(&statement, &output, lang),
        };
    }
    let policy = match policy_path {
        Some(p) => bangfu::Policy::from_toml(&read(p)?).map_err(in_file(p))?,
        None => bangfu::hainan2018::policy()?,
    };
    let budget_file = match budget_path {
        Some(p) => Some((read(p)?, p)),
        None => None,
    };
    let budget = match &budget_file {
        Some((text, p)) => {
            input::parse_budget_toml_for(text, &policy.funding).map_err(in_file(p))?
        }
        None => bangfu::hainan2018::budget()?,
    };
    // A ledger file is read line by line into a ledger that keeps only where each posting
    // is and reads one again when a rule needs it (`FoldedRun::from_path`: about 40 bytes a
    // posting). A file that fails is read again whole, by the path that names each problem
    // with its file and line as it always has.
    if let Some(p) = ledger_path
        && let Ok(run) =
            bangfu::year::FoldedRun::from_path(&policy, &budget, std::path::Path::new(p))
    {
        return render(&run.statement, &output, lang);
    }
    let ledger_file = match ledger_path {
        Some(p) => Some((read(p)?, p)),
        None => None,
    };
    let postings = match &ledger_file {
        Some((text, p)) => input::parse_ledger_jsonl(text).map_err(in_file(p))?,
        None => bangfu::hainan2018::ledger_records()?,
    };
    let run = bangfu::YearRun::new(&policy, &budget, postings)
        .map_err(|e| year_failure(e, named(&ledger_file), named(&budget_file)))?;
    render(&run.statement, &output, lang)
}

/// A file read as (text, path), as (path, text) for [`year_failure`].
fn named<'a>(file: &'a Option<(String, &'a str)>) -> Option<(&'a str, &'a str)> {
    file.as_ref().map(|(text, path)| (*path, text.as_str()))
}

/// A refusal of the year's run, named with the file and line it comes from: a posting by its
/// line in the ledger file, a carry-over approval by its line in the budget file.
fn year_failure(
    e: InputError,
    ledger: Option<(&str, &str)>,
    budget: Option<(&str, &str)>,
) -> Failure {
    let InputError::Refused { line, error } = &e else {
        return Failure::from(e);
    };
    let (file, line) = match (error, line) {
        (bangfu::funding::FundingError::ApprovalMismatch { reference }, _) => match budget {
            Some((path, text)) => {
                let quoted = format!("\"{reference}\"");
                let n = text
                    .lines()
                    .position(|l| l.contains(&quoted))
                    .map_or(1, |i| i + 1);
                (path, n)
            }
            None => ("(embedded budget)", 1),
        },
        (_, position) => match ledger {
            // The ledger's n-th posting is on its n-th non-blank line.
            Some((path, text)) => {
                let n = bangfu::core::read::strip_bom(text)
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| !l.trim().is_empty())
                    .nth(position.saturating_sub(1))
                    .map_or(*position, |(i, _)| i + 1);
                (path, n)
            }
            None => ("(embedded ledger)", *position),
        },
    };
    Failure::Coded(CodedError::with_message(
        &e,
        format!("{file}: line {line}: {error}"),
    ))
}
