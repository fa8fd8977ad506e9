//! The `bangfu` command: the statement and the self-evaluation report of a programme year,
//! its tables in the office formats, JSON Lines decisions, imports from Excel and CSV,
//! policy checks, and the data behind them.
//!
//! ```text
//! bangfu statement [DIR] [--format md|json|csv|xlsx] [--out FILE] [--lang zh|en]
//! bangfu statement [--json] [--lang zh|en] [--policy FILE] [--budget FILE] [--ledger FILE]
//! bangfu report [DIR] [--lang zh|en] [--framework self|reference] [--format md|html|docx] [--out FILE]
//! bangfu table statement|scores|roster|findings [DIR] [--format md|json|csv|xlsx] [--out FILE] [--framework self|reference]
//! bangfu table all [DIR] --format xlsx --out FILE
//! bangfu check [DIR]
//! bangfu eval [FILE] [--policy FILE] [--explain] [--threads N] [--format jsonl|csv|xlsx|md] [--out FILE]
//! bangfu import FILE --kind roster|households|claims [--out FILE.jsonl]
//! bangfu import FILE --mapping MAP.toml [--out FILE.jsonl]
//! bangfu policy check FILE [--on DATE]
//! bangfu policy show hainan-2018|example-2020
//! bangfu remaining [DIR] --household ID [--date YYYY-MM-DD] [--format md|json] [--json] [--out FILE] [--lang zh|en]
//! bangfu whatif [DIR] --policy OTHER.toml [--format md|json|csv|xlsx] [--json] [--out FILE] [--lang zh|en]
//! bangfu init STORE [--from DIR] | --policy FILE --budget FILE
//! bangfu apply STORE [FILE] [--batch N] [--token TOKEN]
//! bangfu account add STORE --id ID --role ROLE[,ROLE] --unit UNIT | list STORE
//! bangfu verify STORE
//! bangfu export STORE DIR
//! bangfu serve STORE [--listen 127.0.0.1:8080] [--threads N]
//! bangfu --version [--policy FILE]
//! ```
//!
//! `bangfu --help` and `bangfu COMMAND --help` (or `bangfu help COMMAND`) print the help in
//! Chinese, with `--lang en` in English; `--lang` also chooses the language of the messages
//! and of the outputs. Without DIR or files the commands run on the embedded Hainan 2018
//! year. Where a command takes DIR, a store file (made by `bangfu init`) may stand instead:
//! the output is read at the store's last position and carries its receipt. A misspelt command or option gets a suggestion. Errors go to standard error with
//! their code (`bangfu: 错误 [code]: 中文标签: message`, in English
//! `bangfu: error [code]: message`); the exit status is 0 on success, 1 for bad input, 2
//! for bad usage.
//!
//! Each subcommand is a module with its clap command and its handler, listed once in
//! `cli::SUBCOMMANDS`.

use std::io::Write;
use std::process::ExitCode;

mod blocks;
mod check;
mod cli;
mod eval;
mod failure;
mod import;
mod io;
mod messages;
mod part;
mod policy_cmd;
mod progress;
mod remaining;
mod report;
#[cfg(feature = "serve")]
mod serve;
mod statement;
mod store;
mod table;
mod version;
mod whatif;
mod year_dir;

/// mimalloc: the year's millions of small records are allocated and freed faster than by the
/// system's allocator (docs/performance.md, "The national year").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = cli::lang_of(&argv);
    match cli::run(argv, lang) {
        Ok(text) => {
            // A closed pipe (`bangfu statement | head`) is not an error worth a panic.
            let _ = std::io::stdout().lock().write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(failure) => failure.report(lang),
    }
}
