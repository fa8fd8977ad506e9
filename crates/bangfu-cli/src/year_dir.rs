//! `bangfu statement|report|check DIR`: a union's own year directory through the one path.

use std::collections::BTreeMap;
use std::path::Path;

use bangfu::core::Lang;
use bangfu::evaluation::FrameworkChoice;
use bangfu::year::dir::{BuiltYear, FILE_NAMES, Problem, YearDir};

use crate::Failure;

/// The files of `dir` that a year directory may hold, by name.
fn files(dir: &str) -> Result<BTreeMap<String, Vec<u8>>, Failure> {
    let root = Path::new(dir);
    if !root.is_dir() {
        return Err(Failure::Coded {
            code: "input.unreadable",
            message: format!("{dir}: not a directory"),
        });
    }
    let mut out = BTreeMap::new();
    for name in FILE_NAMES {
        let path = root.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                out.insert((*name).to_owned(), bytes);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Failure::Coded {
                    code: "input.unreadable",
                    message: format!("{}: {e}", path.display()),
                });
            }
        }
    }
    Ok(out)
}

/// The problems of `dir`, each named with the directory.
fn in_dir(dir: &str, problems: Vec<Problem>) -> Failure {
    Failure::Problems(
        problems
            .into_iter()
            .map(|mut p| {
                p.file = Path::new(dir).join(&p.file).display().to_string();
                p
            })
            .collect(),
    )
}

/// Reads and builds the year of `dir`.
pub(crate) fn load(dir: &str) -> Result<BuiltYear, Failure> {
    let files = files(dir)?;
    let year_dir = YearDir::read(&files).map_err(|p| in_dir(dir, p))?;
    year_dir.build().map_err(|p| in_dir(dir, p))
}

/// `bangfu check DIR`: every problem of every file, or a line saying there is none.
pub(crate) fn check(dir: &str) -> Result<String, Failure> {
    let built = load(dir)?;
    let p = built.year.payments();
    Ok(format!(
        "{dir}: no problems ({} payments recorded, {} findings)\n",
        p.payments.count,
        p.defects.len()
    ))
}

/// `bangfu statement DIR`.
pub(crate) fn statement(dir: &str, output: &crate::Output, lang: Lang) -> Result<String, Failure> {
    let (_, statement) = load(dir)?.year.closed_statement()?;
    crate::render_statement(&statement, output, lang)
}

/// `bangfu report DIR`: the report of the directory's year in its own names, or, when a file
/// the report needs is missing, a page that says what is missing.
pub(crate) fn report(
    dir: &str,
    framework: FrameworkChoice,
    lang: Lang,
    output: &crate::Output,
) -> Result<String, Failure> {
    let built = load(dir)?;
    let missing = built.missing_for_report();
    if missing.is_empty() {
        let evaluation = built.evaluate(framework)?;
        let (_, statement) = built.year.closed_statement()?;
        return crate::report::render(&evaluation, &statement, lang, output);
    }
    let (_, statement) = built.year.closed_statement()?;
    let mut out = String::new();
    let (title, intro) = match lang {
        Lang::Zh => (
            "# 绩效自评报告（未完成）",
            "本年度目录缺少以下文件，报告不能评分，也不编造其内容：",
        ),
        Lang::En => (
            "# Performance self-evaluation report (incomplete)",
            "The year directory lacks these files; the report cannot be scored and does not invent them:",
        ),
    };
    out.push_str(&format!("{title}\n\n{intro}\n\n"));
    for (file, zh, en) in &missing {
        let what = if lang == Lang::Zh { zh } else { en };
        out.push_str(&format!("- `{file}`: {what}\n"));
    }
    out.push('\n');
    out.push_str(&statement.render_text(lang));
    Err(Failure::Incomplete {
        output: out,
        code: "dir.missing_file",
        message: format!(
            "{dir}: the report needs {}",
            missing.iter().map(|m| m.0).collect::<Vec<_>>().join(", ")
        ),
    })
}
