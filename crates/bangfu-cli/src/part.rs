//! `--unit ID [--except ID]…` of `bangfu statement` and `bangfu report`: the statement and
//! the report of a part of the entity (组织范围), a unit of the union organisation tree
//! (`units.toml`) with the units below it, less the subtrees left out. The Hainan center's own
//! files are `--unit center --except hainan-reclamation`; the reclamation group's are
//! `--unit hainan-reclamation`.

use bangfu::core::Lang;
use bangfu::year::dir::{BuiltYear, YearDir};
use bangfu::year::rollup::{PartStatement, Scope};
use bangfu_office::Format;
use clap::{Arg, ArgAction, ArgMatches};

use crate::cli;
use crate::failure::{CliError, Failure};
use crate::io::Output;

/// `--unit ID` and `--except ID` (repeatable).
pub(crate) fn args(lang: Lang) -> [Arg; 2] {
    [
        cli::option(
            lang,
            "unit",
            "ID",
            (
                "只看组织体系（units.toml）中这个组织及其下级组织的部分",
                "only the part of this unit of the tree (units.toml) and the units below it",
            ),
        ),
        cli::option(
            lang,
            "except",
            "ID",
            (
                "从 --unit 的范围中除去这个下级组织（可重复）",
                "leave this unit below --unit out of the part (repeatable)",
            ),
        )
        .action(ArgAction::Append)
        .requires("unit"),
    ]
}

/// The part `--unit` and `--except` name, if any.
pub(crate) fn scope_of(m: &ArgMatches) -> Result<Option<Scope>, Failure> {
    let Some(unit) = cli::value(m, "unit") else {
        return Ok(None);
    };
    let id = |s: &str| s.parse::<bangfu::core::UnitId>().map_err(Failure::from);
    let except = m
        .get_many::<String>("except")
        .into_iter()
        .flatten()
        .map(|s| id(s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Scope {
        unit: id(unit)?,
        except,
    }))
}

/// The year of `dir`, or the embedded Hainan 2018 directory.
fn built(dir: Option<&str>) -> Result<BuiltYear, Failure> {
    match dir {
        Some(d) => crate::year_dir::load(d),
        None => YearDir::read(&bangfu::hainan2018::files())
            .and_then(YearDir::build)
            .map_err(Failure::Problems),
    }
}

/// The statement of `scope` (Markdown, JSON, CSV of its spending, `.xlsx` of its spending and
/// its units), or, with `report`, the report of the part (its heading, the statement and the
/// findings of its payments; Markdown, one web page or a Word document).
pub(crate) fn run(
    dir: Option<&str>,
    scope: &Scope,
    output: &Output,
    lang: Lang,
    report: bool,
    usage: &'static [&'static str],
) -> Result<String, Failure> {
    if report && !matches!(output.format, Format::Md | Format::Html | Format::Docx) {
        return Err(Failure::usage(
            lang,
            "组织范围的报告（--unit）可输出 Markdown、网页或 Word 文档".into(),
            "the report of a part (--unit) is given as Markdown, HTML or .docx".into(),
            usage,
        ));
    }
    let built = built(dir)?;
    let Some(tree) = &built.units else {
        return Err(Failure::from(CliError::MissingFiles {
            dir: dir.unwrap_or("(embedded)").to_owned(),
            what: "--unit",
            files: "units.toml".to_owned(),
        }));
    };
    let part = PartStatement::new(&built.year, tree, scope)?;
    let bytes = match output.format {
        Format::Json => Output::json(&part)?,
        Format::Csv | Format::Xlsx => bangfu_office::part::part(&part, lang, output.format)?,
        _ => {
            let mut text = String::new();
            if report {
                text.push_str(&report_head(&built, &part, lang));
            }
            text.push_str(&part.render_text(lang));
            if report {
                text.push_str(&findings(&part, lang));
                bangfu_office::report::markdown_document(&text, lang, output.format)?
            } else {
                text.into_bytes()
            }
        }
    };
    output.emit(bytes)
}

/// The head of a part's report: the report's project and unit, and the part.
fn report_head(built: &BuiltYear, part: &PartStatement, lang: Lang) -> String {
    let (title, of) = match lang {
        Lang::Zh => ("# 绩效自评报告：组织范围", "报告单位"),
        Lang::En => (
            "# Performance self-evaluation report: a part of the entity",
            "Reporting unit",
        ),
    };
    let unit = built
        .report
        .as_ref()
        .map(|r| match lang {
            Lang::Zh => r.meta.unit.zh.clone(),
            Lang::En => r.meta.unit.en.clone(),
        })
        .unwrap_or_default();
    let name = if lang == Lang::Zh { &part.zh } else { &part.en };
    format!("{title}\n\n{of}: {unit}\n\n{name}\n\n")
}

/// The findings of the part's payments, one line each.
fn findings(part: &PartStatement, lang: Lang) -> String {
    use bangfu::core::Labelled;
    let head = match lang {
        Lang::Zh => "## 发现的问题",
        Lang::En => "## Findings",
    };
    let mut out = format!("{head}\n\n");
    if part.findings.is_empty() {
        out.push_str(if lang == Lang::Zh {
            "无。\n"
        } else {
            "None.\n"
        });
    }
    for d in &part.findings {
        out.push_str(&format!(
            "- {} [{}] {}: {}\n",
            d.posting,
            d.code,
            d.kind.label(lang),
            d.detail
        ));
    }
    out
}
