//! `bangfu check [DIR]`: every problem of every file of a year directory, each with its file,
//! line and code, or a line saying there is none.

use bangfu::core::Lang;
use clap::{ArgMatches, Command};

use crate::cli::{self, Subcommand, value};
use crate::failure::Failure;

/// `bangfu check`.
pub(crate) const COMMAND: Subcommand = Subcommand {
    name: "check",
    usage: USAGE,
    command,
    run,
};

const USAGE: &[&str] = &["bangfu check [DIR]"];

fn command(lang: Lang) -> Command {
    cli::command(
        "check",
        USAGE,
        lang,
        (
            "检查年度目录：逐个文件、逐行列出所有问题（文件、行号、错误代码），不写入任何文件。",
            "Check a year directory: every problem of every file with its file, line and \
             code; nothing is written.",
        ),
        (
            "示例：\n  bangfu check 年度目录\n  bangfu check crates/bangfu-data/data/guinan-2019",
            "Examples:\n  bangfu check DIR\n  bangfu check crates/bangfu-data/data/guinan-2019",
        ),
    )
    .arg(cli::dir(lang))
}

fn run(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let (name, year, receipt) = match value(m, "dir") {
        Some(dir) => {
            let (built, receipt) = crate::year_dir::load_with_receipt(dir)?;
            (dir.to_owned(), built.year, receipt)
        }
        None => (
            cli::tr(lang, "（内置海南省2018年度）", "(embedded Hainan 2018)").to_owned(),
            bangfu::hainan2018::programme_year()?,
            None,
        ),
    };
    let p = year.payments();
    let (count, findings) = (p.payments.count, p.defects.len());
    let mut text = match lang {
        Lang::Zh => format!("{name}：没有问题（已记录发放 {count} 笔，发现 {findings} 项）\n"),
        Lang::En => {
            format!("{name}: no problems ({count} payments recorded, {findings} findings)\n")
        }
    };
    if let Some(r) = receipt {
        text.push_str(&crate::store::receipt_line(&r, lang));
    }
    Ok(text)
}
