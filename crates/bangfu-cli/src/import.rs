//! `bangfu import FILE`: a payment roster, households or claims kept in Excel or CSV (UTF-8
//! with or without a BOM, GBK/GB18030) turned into the JSON Lines file of a year directory
//! (`ledger.jsonl`, `households.jsonl`, `claims.jsonl`), by a mapping file or by the Chinese
//! headers the roster export writes.
//!
//! Every bad cell of every row is printed with its sheet, row, column and code, all in one
//! run, and then nothing is written (exit 1).

use bangfu::core::{Labelled, Lang};
use bangfu_office::import::{self, ImportError, Mapping, RecordKind};
use clap::{ArgMatches, Command};

use crate::cli::{self, Subcommand, value};
use crate::failure::{CodedError, Failure};
use crate::io::{read, read_bytes, write};

/// `bangfu import`.
pub(crate) const COMMAND: Subcommand = Subcommand {
    name: "import",
    usage: USAGE,
    command,
    run,
};

const USAGE: &[&str] = &[
    "bangfu import FILE --kind roster|households|claims [--out FILE.jsonl]",
    "bangfu import FILE --mapping MAP.toml [--out FILE.jsonl]",
];

fn command(lang: Lang) -> Command {
    cli::command(
        "import",
        USAGE,
        lang,
        (
            "把 Excel 或 CSV（UTF-8、带 BOM 或 GBK）中的发放花名册、困难职工家庭或救助申请\
             转为年度目录的 JSON Lines 文件；有任何错误行时逐一列出（工作表、行、列、代码），\
             不写入任何内容。",
            "Turn a payment roster, households or claims kept in Excel or CSV (UTF-8, with a \
             BOM, or GBK) into a year directory's JSON Lines file; with any bad row, every \
             problem is listed (sheet, row, column, code) and nothing is written.",
        ),
        (
            "不给 --mapping 时，各列按中文表头识别（即 bangfu table roster 导出的表头）；\
             映射文件的写法见 docs/office.md。\n\n\
             示例：\n  bangfu import 花名册.xlsx --kind roster --out 年度目录/ledger.jsonl\n  \
             bangfu import 花名册.csv --mapping 映射.toml --out 年度目录/ledger.jsonl",
            "Without --mapping, the columns are found by their Chinese headers (those bangfu \
             table roster writes); docs/office.md describes the mapping file.\n\n\
             Examples:\n  bangfu import roster.xlsx --kind roster --out DIR/ledger.jsonl\n  \
             bangfu import roster.csv --mapping map.toml --out DIR/ledger.jsonl",
        ),
    )
    .arg(
        cli::positional(
            lang,
            "file",
            "FILE",
            (
                "要导入的 .xlsx 或 .csv 文件",
                "the .xlsx or .csv file to import",
            ),
        )
        .required(true),
    )
    .arg(
        cli::option(
            lang,
            "kind",
            "roster|households|claims",
            (
                "文件内容：roster 发放花名册，households 困难职工家庭，claims 救助申请\
                 （有 --mapping 时取映射文件中的 kind）",
                "what the file holds: roster, households or claims (with --mapping, the \
                 mapping's kind)",
            ),
        )
        .value_parser(["roster", "households", "claims"]),
    )
    .arg(cli::option(
        lang,
        "mapping",
        "MAP.toml",
        (
            "映射文件（TOML）：工作表、表头行、编码、日期格式、各字段对应的列和默认值",
            "the mapping file (TOML): the sheet, the header row, the encoding, the date \
             formats, each field's column and defaults",
        ),
    ))
    .arg(cli::option(
        lang,
        "out",
        "FILE.jsonl",
        (
            "写入该 JSON Lines 文件（默认输出到标准输出）",
            "write this JSON Lines file (standard output without it)",
        ),
    ))
}

/// The mapping: the file's, or the default of `--kind`; both given must agree.
fn mapping(m: &ArgMatches, lang: Lang) -> Result<Mapping, Failure> {
    let kind = value(m, "kind").and_then(RecordKind::from_code);
    let Some(path) = value(m, "mapping") else {
        return match kind {
            Some(kind) => Ok(Mapping::default_for(kind)),
            None => Err(Failure::usage(
                lang,
                "需要 --kind 或 --mapping".into(),
                "give --kind or --mapping".into(),
                USAGE,
            )),
        };
    };
    let mapping = Mapping::from_toml(&read(path)?)
        .map_err(|e| Failure::Coded(CodedError::with_message(&e, format!("{path}: {e}"))))?;
    match kind {
        Some(kind) if kind != mapping.kind => Err(Failure::usage(
            lang,
            format!(
                "--kind {} 与映射文件的 kind = \"{}\" 不一致",
                kind.code(),
                mapping.kind.code()
            ),
            format!(
                "--kind {} disagrees with the mapping's kind = \"{}\"",
                kind.code(),
                mapping.kind.code()
            ),
            USAGE,
        )),
        _ => Ok(mapping),
    }
}

fn run(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let mapping = mapping(m, lang)?;
    let file = value(m, "file").unwrap_or_default();
    let bytes = read_bytes(file)?;
    let imported = import::import(file, &bytes, &mapping).map_err(|e| bad_rows(&e, lang))?;
    let text = imported.to_jsonl();
    match value(m, "out") {
        None => Ok(text),
        Some(out) => {
            write(out, text.as_bytes())?;
            let (n, name) = (imported.len(), imported.file_name());
            Ok(match lang {
                Lang::Zh => format!("已写入 {out}（{n} 条记录，即年度目录的 {name}）\n"),
                Lang::En => format!("wrote {out} ({n} records, the year directory's {name})\n"),
            })
        }
    }
}

/// An import refused: every problem on its own line (in Chinese with the problem's label),
/// then the error with its code.
fn bad_rows(e: &ImportError, lang: Lang) -> Failure {
    let details = e
        .problems()
        .iter()
        .map(|p| match lang {
            Lang::Zh => format!("{p}（{}）", p.error.zh()),
            Lang::En => p.to_string(),
        })
        .collect();
    Failure::Coded(CodedError::of(e).with_details(details))
}
