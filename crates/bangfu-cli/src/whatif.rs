//! `bangfu whatif`: a year's claims decided again under another policy file (政策模拟), and
//! the difference per household, unit, fund source, aid category and in total, with the
//! stamps of both policies (`bangfu_year::whatif`).

use bangfu::core::Lang;
use bangfu::year::whatif::{WhatIf, WhatIfError};
use bangfu_office::Format;
use clap::{ArgMatches, Command};

use crate::cli::{self, Subcommand, value};
use crate::failure::{CodedError, Failure};
use crate::io::{Output, read};

/// `bangfu whatif`.
pub(crate) const COMMAND: Subcommand = Subcommand {
    name: "whatif",
    usage: USAGE,
    command,
    run,
};

const USAGE: &[&str] = &[
    "bangfu whatif [DIR] --policy OTHER.toml [--format md|json|csv|xlsx] [--json] [--out FILE] [--lang zh|en]",
];

const FORMATS: &[&str] = &["md", "json", "csv", "xlsx"];

fn command(lang: Lang) -> Command {
    cli::command(
        "whatif",
        USAGE,
        lang,
        (
            "政策模拟：用另一份政策文件重新决定本年度的全部救助申请，列出每户、每个单位、\
             每个资金来源和合计的差额，并注明两份政策的编号和 SHA-256。已记录的发放不变。",
            "What-if: decides the year's claims again under another policy file and shows the \
             difference per household, unit, fund source and in total, naming both policies \
             (id and SHA-256). The recorded payments stay as they were made.",
        ),
        (
            "示例：\n  bangfu policy show hainan-2018 > 模拟.toml   （编辑后）\n  \
             bangfu whatif --policy 模拟.toml                 内置海南省2018年度\n  \
             bangfu whatif 年度目录 --policy 模拟.toml --json\n  \
             bangfu whatif --policy 模拟.toml --format xlsx --out 模拟.xlsx",
            "Examples:\n  bangfu policy show hainan-2018 > reform.toml   (then edit it)\n  \
             bangfu whatif --policy reform.toml               the embedded Hainan 2018 year\n  \
             bangfu whatif DIR --policy reform.toml --json\n  \
             bangfu whatif --policy reform.toml --format xlsx --out whatif.xlsx",
        ),
    )
    .arg(cli::dir(lang))
    .arg(
        cli::option(
            lang,
            "policy",
            "OTHER.toml",
            (
                "对比的政策文件（TOML）",
                "the other policy file (TOML) to decide the claims under",
            ),
        )
        .required(true),
    )
    .arg(cli::format(lang, FORMATS, "md|json|csv|xlsx"))
    .arg(cli::out(lang))
    .arg(cli::json(lang))
}

fn run(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let output = Output::of(m, lang, cli::json_or_md(m), USAGE)?;
    let policy_path = value(m, "policy").unwrap_or_default();
    let reform = read(policy_path)?;
    let files = match value(m, "dir") {
        Some(dir) => crate::year_dir::files(dir)?,
        None => bangfu::hainan2018::files(),
    };
    let dir = value(m, "dir");
    let whatif = WhatIf::of_files(&files, &reform).map_err(|e| failure(e, dir, policy_path))?;
    let bytes = match output.format {
        Format::Json => Output::json(&whatif)?,
        Format::Md => whatif.render_text(lang).into_bytes(),
        other => bangfu_office::export::whatif(&whatif, lang, other)?,
    };
    output.emit(bytes)
}

/// A what-if's failure: the directory's problems, named with it (those under the other
/// policy say so), or the other policy file's error, named with its path.
fn failure(e: WhatIfError, dir: Option<&str>, policy: &str) -> Failure {
    let named = |mut problems: Vec<bangfu::year::dir::Problem>, suffix: String| {
        for p in &mut problems {
            p.file.push_str(&suffix);
        }
        match dir {
            Some(dir) => crate::year_dir::in_dir(dir, problems),
            None => Failure::Problems(problems),
        }
    };
    match e {
        WhatIfError::Baseline(problems) => named(problems, String::new()),
        WhatIfError::Reform(problems) => named(problems, format!(" (under {policy})")),
        WhatIfError::Input(e) => {
            Failure::Coded(CodedError::with_message(&e, format!("{policy}: {e}")))
        }
        other => Failure::from(other),
    }
}
