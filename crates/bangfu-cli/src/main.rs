//! The `bangfu` command: the statement and the self-evaluation report of a programme year,
//! JSON Lines decisions, policy checks, and the data behind them.
//!
//! ```text
//! bangfu statement [--json] [--lang zh|en] [--policy FILE] [--budget FILE] [--ledger FILE]
//! bangfu report [--lang zh|en] [--framework self|reference]
//! bangfu eval [FILE] [--policy FILE] [--explain]
//! bangfu policy check FILE [--on DATE]
//! bangfu policy show hainan-2018|example-2020
//! ```
//!
//! Without files it runs on the embedded Hainan 2018 data. Errors go to standard error with
//! their code; the exit status is 0 on success, 1 for bad input, 2 for bad usage.

use std::io::Write;
use std::process::ExitCode;

use bangfu::core::{Coded, Lang};
use bangfu::input::{self, InputError};

mod eval;
mod policy_cmd;
mod report;
mod year_dir;

const USAGE: &str = "usage:
  bangfu statement [DIR] [--format md|json|csv|xlsx] [--out FILE] [--lang zh|en]
  bangfu statement [--json] [--lang zh|en] [--policy FILE] [--budget FILE] [--ledger FILE]
  bangfu check [DIR]
  bangfu eval [FILE] [--policy FILE] [--explain]
  bangfu policy check FILE [--on DATE]
  bangfu policy show hainan-2018|example-2020
  bangfu report [DIR] [--lang zh|en] [--framework self|reference]
                     [--format md|html|docx] [--out FILE]

DIR is a year directory (docs/year-directory.md); without DIR or files, the commands run on
the embedded Hainan 2018 year.";

/// A failure of the command: bad usage, or an error with a code.
enum Failure {
    Usage(String),
    Coded {
        code: &'static str,
        message: String,
    },
    /// Every problem of a year directory, each with its file, line and code.
    Problems(Vec<bangfu::year::dir::Problem>),
    /// An output that is printed, but incomplete: exit 1 with the code.
    Incomplete {
        output: String,
        code: &'static str,
        message: String,
    },
}

impl<E: Coded + std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure::Coded {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// Parsed `--flag value` options and bare flags.
struct Args {
    rest: Vec<String>,
}

impl Args {
    fn value(&mut self, flag: &str) -> Result<Option<String>, Failure> {
        match self.rest.iter().position(|a| a == flag) {
            None => Ok(None),
            Some(i) => {
                if i + 1 >= self.rest.len() {
                    return Err(Failure::Usage(format!("{flag} needs a value")));
                }
                let v = self.rest.remove(i + 1);
                self.rest.remove(i);
                Ok(Some(v))
            }
        }
    }

    fn flag(&mut self, flag: &str) -> bool {
        match self.rest.iter().position(|a| a == flag) {
            Some(i) => {
                self.rest.remove(i);
                true
            }
            None => false,
        }
    }

    /// The one argument that is not a flag (a directory), taken out.
    fn positional(&mut self) -> Option<String> {
        let i = self.rest.iter().position(|a| !a.starts_with('-'))?;
        Some(self.rest.remove(i))
    }

    fn finish(self) -> Result<(), Failure> {
        match self.rest.first() {
            Some(extra) => Err(Failure::Usage(format!("unexpected argument {extra:?}"))),
            None => Ok(()),
        }
    }
}

/// Reads a file as UTF-8 text (a byte order mark is dropped); text that is not UTF-8 is an
/// error with the file, line and column.
fn read(path: &str) -> Result<String, Failure> {
    let bytes = std::fs::read(path).map_err(|e| Failure::Coded {
        code: "input.unreadable",
        message: format!("{path}: {e}"),
    })?;
    input::decode_utf8(&bytes)
        .map(str::to_owned)
        .map_err(in_file(path))
}

/// An input error in the file `path` (its message names the line).
fn in_file(path: &str) -> impl Fn(InputError) -> Failure + '_ {
    move |e| Failure::Coded {
        code: e.code(),
        message: format!("{path}: {e}"),
    }
}

/// The `--lang` option: `zh` (default) or `en`; anything else is bad usage.
fn lang(args: &mut Args) -> Result<Lang, Failure> {
    match args.value("--lang")? {
        None => Ok(Lang::Zh),
        Some(l) => l.parse().map_err(|_| {
            Failure::Usage(format!(
                "--lang takes zh or en, not `{}`",
                bangfu::core::read::quote(&l)
            ))
        }),
    }
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
                let n = read_bom(text)
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
    Failure::Coded {
        code: e.code(),
        message: format!("{file}: line {line}: {error}"),
    }
}

/// A file read as (text, path), as (path, text) for [`year_failure`].
fn named(file: &Option<(String, String)>) -> Option<(&str, &str)> {
    file.as_ref()
        .map(|(text, path)| (path.as_str(), text.as_str()))
}

fn read_bom(text: &str) -> &str {
    bangfu::core::read::strip_bom(text)
}

/// Where an output goes and in which format: `--format` (or `--json`) and `--out FILE`.
pub(crate) struct Output {
    format: bangfu_office::Format,
    out: Option<String>,
}

impl Output {
    /// `--format` (default `md`; `--json` is `--format json`) and `--out`, among `allowed`.
    fn of(args: &mut Args, allowed: &[&str]) -> Result<Output, Failure> {
        let json = args.flag("--json");
        let code = match args.value("--format")? {
            Some(f) => f,
            None if json => "json".to_owned(),
            None => "md".to_owned(),
        };
        let format = bangfu_office::Format::from_code(&code)
            .filter(|f| allowed.contains(&f.code()))
            .ok_or_else(|| {
                Failure::Usage(format!(
                    "--format takes {}, not `{}`",
                    allowed.join("|"),
                    bangfu::core::read::quote(&code)
                ))
            })?;
        let out = args.value("--out")?;
        if format.is_binary() && out.is_none() {
            return Err(Failure::Usage(format!(
                "--format {code} writes a file: give --out FILE.{}",
                format.extension()
            )));
        }
        Ok(Output { format, out })
    }

    /// The bytes written to `--out`, or as text to standard output.
    fn emit(&self, bytes: Vec<u8>) -> Result<String, Failure> {
        match &self.out {
            Some(path) => {
                std::fs::write(path, &bytes).map_err(|e| Failure::Coded {
                    code: "output.unwritable",
                    message: format!("{path}: {e}"),
                })?;
                Ok(format!("wrote {path} ({} bytes)\n", bytes.len()))
            }
            None => String::from_utf8(bytes).map_err(|e| Failure::Coded {
                code: "output.not_text",
                message: e.to_string(),
            }),
        }
    }
}

/// The statement in the output's format.
fn render_statement(
    statement: &bangfu::funding::Statement,
    output: &Output,
    lang: Lang,
) -> Result<String, Failure> {
    use bangfu_office::Format;
    let bytes = match output.format {
        Format::Md => statement.render_text(lang).into_bytes(),
        Format::Json => serde_json::to_string_pretty(statement)
            .map(|s| s + "\n")
            .map_err(|e| Failure::Coded {
                code: "output.json",
                message: e.to_string(),
            })?
            .into_bytes(),
        other => bangfu_office::export::statement(statement, lang, other)?,
    };
    output.emit(bytes)
}

fn statement(mut args: Args) -> Result<String, Failure> {
    let output = Output::of(&mut args, &["md", "json", "csv", "xlsx"])?;
    let lang = lang(&mut args)?;
    let (policy_path, budget_path, ledger_path) = (
        args.value("--policy")?,
        args.value("--budget")?,
        args.value("--ledger")?,
    );
    if let Some(dir) = args.positional() {
        if policy_path.is_some() || budget_path.is_some() || ledger_path.is_some() {
            return Err(Failure::Usage(
                "a year directory holds its own policy, budget and ledger".into(),
            ));
        }
        args.finish()?;
        return year_dir::statement(&dir, &output, lang);
    }
    let policy = match policy_path {
        Some(p) => bangfu::Policy::from_toml(&read(&p)?).map_err(in_file(&p))?,
        None => bangfu::hainan2018::policy()?,
    };
    let budget_file = match budget_path {
        Some(p) => Some((read(&p)?, p)),
        None => None,
    };
    let budget = match &budget_file {
        Some((text, p)) => {
            input::parse_budget_toml_for(text, &policy.funding).map_err(in_file(p))?
        }
        None => bangfu::hainan2018::budget()?,
    };
    let ledger_file = match ledger_path {
        Some(p) => Some((read(&p)?, p)),
        None => None,
    };
    let postings = match &ledger_file {
        Some((text, p)) => input::parse_ledger_jsonl(text).map_err(in_file(p))?,
        None => bangfu::hainan2018::ledger_records()?,
    };
    args.finish()?;
    let run = bangfu::YearRun::new(&policy, &budget, postings)
        .map_err(|e| year_failure(e, named(&ledger_file), named(&budget_file)))?;
    render_statement(&run.statement, &output, lang)
}

/// `bangfu check [DIR]`: without DIR, the embedded Hainan 2018 year.
fn check(mut args: Args) -> Result<String, Failure> {
    let dir = args.positional();
    args.finish()?;
    match dir {
        Some(dir) => year_dir::check(&dir),
        None => {
            let year = bangfu::hainan2018::programme_year()?;
            let p = year.payments();
            Ok(format!(
                "(embedded Hainan 2018): no problems ({} payments recorded, {} findings)\n",
                p.payments.count,
                p.defects.len()
            ))
        }
    }
}

fn run(argv: Vec<String>) -> Result<String, Failure> {
    let mut rest = argv.into_iter().skip(1).collect::<Vec<_>>();
    if rest.is_empty() || rest.iter().any(|a| a == "--help" || a == "-h") {
        return Ok(format!("{USAGE}\n"));
    }
    let command = rest.remove(0);
    let args = Args { rest };
    match command.as_str() {
        "statement" => statement(args),
        "eval" => eval::eval(args),
        "policy" => policy_cmd::policy(args),
        "report" => report::run(args),
        "check" => check(args),
        other => Err(Failure::Usage(format!("unknown command {other:?}"))),
    }
}

fn main() -> ExitCode {
    match run(std::env::args().collect()) {
        Ok(text) => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (`bangfu statement | head`) is not an error worth a panic.
            let _ = out.write_all(text.as_bytes());
            ExitCode::SUCCESS
        }
        Err(Failure::Usage(msg)) => {
            eprintln!("bangfu: {msg}\n\n{USAGE}");
            ExitCode::from(2)
        }
        Err(Failure::Coded { code, message }) => {
            eprintln!("bangfu: error [{code}]: {message}");
            ExitCode::from(1)
        }
        Err(Failure::Problems(problems)) => {
            for p in &problems {
                eprintln!("{p}");
            }
            eprintln!("bangfu: {} problems", problems.len());
            ExitCode::from(1)
        }
        Err(Failure::Incomplete {
            output,
            code,
            message,
        }) => {
            let _ = std::io::stdout().lock().write_all(output.as_bytes());
            eprintln!("bangfu: error [{code}]: {message}");
            ExitCode::from(1)
        }
    }
}
