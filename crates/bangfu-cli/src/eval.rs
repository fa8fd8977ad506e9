//! `bangfu eval [FILE]`: decide JSON Lines requests, one decision or error object a line
//! (see `docs/json-interface.md`), or the decisions as one table (CSV, `.xlsx`, Markdown).
//!
//! Reads FILE, or standard input without one (or with `-`). As JSON Lines (the default) it
//! writes each output line as soon as its request is decided, so another program can keep
//! the command open and talk to it line by line. Bad request lines are error lines (error
//! rows of the table) and the run goes on (exit 0); an unreadable file or a bad policy file
//! stops it (exit 1).

use std::io::{BufRead, Write};

use bangfu::aid::Explain;
use bangfu::core::Lang;
use bangfu::jsonl::{Decider, OutputLine};
use bangfu_office::Format;
use clap::{ArgMatches, Command};

use crate::blocks::Stopped;
use crate::cli::{self, Subcommand, value};
use crate::failure::{CliError, Failure};
use crate::io::{in_file, read};

/// `bangfu eval`.
pub(crate) const COMMAND: Subcommand = Subcommand {
    name: "eval",
    usage: USAGE,
    command,
    run,
};

const USAGE: &[&str] = &[
    "bangfu eval [FILE] [--policy FILE] [--explain] [--threads N] [--format jsonl|csv|xlsx|md] [--out FILE]",
];

fn command(lang: Lang) -> Command {
    cli::command(
        "eval",
        USAGE,
        lang,
        (
            "逐行决定 JSON Lines 帮扶申请（认定、医疗、生活、送温暖、助学、剩余额度、临时救助），\
             每行输出一个决定或错误；也可把全部决定输出为一张表（CSV、Excel、Markdown）。",
            "Decide JSON Lines aid requests (eligibility, medical, living, sending warmth, \
             education, remaining entitlement, temporary aid), one decision or error a line; or \
             all the decisions as one table (CSV, Excel, Markdown).",
        ),
        (
            "示例：\n  bangfu eval requests.jsonl\n  \
             cat requests.jsonl | bangfu eval --explain\n  \
             bangfu eval requests.jsonl --threads 2 --out 决定.jsonl\n  \
             bangfu eval requests.jsonl --format xlsx --out 决定.xlsx",
            "Examples:\n  bangfu eval requests.jsonl\n  \
             cat requests.jsonl | bangfu eval --explain\n  \
             bangfu eval requests.jsonl --threads 2 --out decisions.jsonl\n  \
             bangfu eval requests.jsonl --format xlsx --out decisions.xlsx",
        ),
    )
    .arg(cli::positional(
        lang,
        "file",
        "FILE",
        (
            "申请文件（JSON Lines）；省略或为 - 时读标准输入",
            "the requests (JSON Lines); standard input without it or with -",
        ),
    ))
    .arg(cli::policy(lang))
    .arg(cli::switch(
        lang,
        "explain",
        "每个决定附上计算过程、所用参数及其出处（仅 jsonl）",
        "add each decision's steps, parameters and citations (jsonl only)",
    ))
    .arg(cli::threads(
        lang,
        (
            "决定申请的线程数（默认每个处理器核一个）；输出顺序与输入相同，与单线程逐字节一致（仅 jsonl）",
            "threads deciding the requests (default one per core); the output keeps the input's \
             order, byte for byte what one thread writes (jsonl only)",
        ),
    ))
    .arg(cli::format(
        lang,
        &["jsonl", "csv", "xlsx", "md"],
        "jsonl|csv|xlsx|md",
    ))
    .arg(cli::out(lang))
}

fn unreadable(what: &str, e: &std::io::Error) -> Failure {
    Failure::from(CliError::Unreadable {
        path: what.to_owned(),
        message: e.to_string(),
    })
}

/// Decides every line of `input`, giving each output line to `sink` (which says whether to
/// go on) as soon as its non-blank request line is decided.
fn process(
    eval: &Decider<'_>,
    mut input: impl BufRead,
    explain: Explain,
    what: &str,
    mut sink: impl FnMut(OutputLine) -> bool,
) -> Result<(), Failure> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| unreadable(what, &e))?;
        if n == 0 {
            return Ok(());
        }
        line = line.saturating_add(1);
        if let Some(out) = eval.decide_bytes(line, &buf, explain)
            && !sink(out)
        {
            return Ok(());
        }
    }
}

/// Decides FILE (or standard input), giving each output line to `sink`.
fn each_line(
    evaluator: &Decider<'_>,
    file: Option<&str>,
    explain: Explain,
    sink: impl FnMut(OutputLine) -> bool,
) -> Result<(), Failure> {
    match file {
        Some(path) if path != "-" => {
            let f = std::fs::File::open(path).map_err(|e| unreadable(path, &e))?;
            process(evaluator, std::io::BufReader::new(f), explain, path, sink)
        }
        _ => process(
            evaluator,
            std::io::stdin().lock(),
            explain,
            "standard input",
            sink,
        ),
    }
}

fn run(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let explain = if m.get_flag("explain") {
        Explain::On
    } else {
        Explain::Off
    };
    let format = value(m, "format").unwrap_or("jsonl");
    if explain == Explain::On && format != "jsonl" {
        return Err(Failure::usage(
            lang,
            format!("--explain 只用于 jsonl 输出，不用于 --format {format}"),
            format!("--explain goes with jsonl output, not --format {format}"),
            USAGE,
        ));
    }
    let policy = match value(m, "policy") {
        Some(p) => bangfu::Policy::from_toml(&read(p)?).map_err(in_file(p))?,
        None => bangfu::hainan2018::policy()?,
    };
    let evaluator = Decider::new(&policy)?;
    let file = value(m, "file");
    let threads = cli::threads_of(m);
    if format == "jsonl" {
        return jsonl(&evaluator, file, explain, threads, value(m, "out"), lang);
    }
    let output = crate::io::Output::of(m, lang, Format::Csv, USAGE)?;
    let mut lines = Vec::new();
    each_line(&evaluator, file, explain, |l| {
        lines.push(l);
        true
    })?;
    let bytes = match output.format {
        Format::Md => crate::table::markdown(&bangfu_office::export::decisions_table(&lines, lang))
            .into_bytes(),
        other => bangfu_office::export::decisions(&lines, lang, other)?,
    };
    output.emit(bytes)
}

/// The decisions as JSON Lines, decided on `threads` threads in blocks of whole lines (see
/// [`crate::blocks`]) and written in the input's order as soon as their block is decided: to
/// standard output (line-buffered when reading standard input, so that each answer goes out
/// before the next request comes), or to `--out`.
fn jsonl(
    evaluator: &Decider<'_>,
    file: Option<&str>,
    explain: Explain,
    threads: usize,
    out: Option<&str>,
    lang: Lang,
) -> Result<String, Failure> {
    let unwritable = |path: &str, e: &std::io::Error| {
        Failure::from(CliError::Unwritable {
            path: path.to_owned(),
            message: e.to_string(),
        })
    };
    // Written by whichever thread decided the block (see `crate::blocks`).
    let mut writer: Box<dyn Write + Send> = match (out, file) {
        (Some(path), _) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(path).map_err(|e| unwritable(path, &e))?,
        )),
        (None, Some(f)) if f != "-" => Box::new(std::io::BufWriter::new(std::io::stdout())),
        (None, _) => Box::new(std::io::stdout()),
    };
    let decide = |first: u64, block: &[u8], out: &mut Vec<u8>| {
        evaluator.decide_lines(first, block, explain, out);
    };
    let (result, what) = match file {
        Some(path) if path != "-" => {
            let f = std::fs::File::open(path).map_err(|e| unreadable(path, &e))?;
            (crate::blocks::run(f, &mut writer, threads, decide), path)
        }
        _ => (
            crate::blocks::run(std::io::stdin(), &mut writer, threads, decide),
            "standard input",
        ),
    };
    let flushed = writer.flush();
    let written = match result {
        Ok(n) => n,
        Err(Stopped::Read(e)) => return Err(unreadable(what, &e)),
        // A reader that went away (`bangfu eval | head`) ends the run quietly.
        Err(Stopped::Write(e)) => match out {
            None => return Ok(String::new()),
            Some(path) => return Err(unwritable(path, &e)),
        },
    };
    match out {
        None => Ok(String::new()),
        Some(path) => match flushed {
            Ok(()) => Ok(crate::io::wrote(lang, path, written)),
            Err(e) => Err(unwritable(path, &e)),
        },
    }
}
