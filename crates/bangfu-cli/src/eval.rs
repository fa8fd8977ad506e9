//! `bangfu eval [FILE] [--policy FILE] [--explain]`: decide JSON Lines requests, one
//! decision or error object a line (see `docs/json-interface.md`).
//!
//! Reads FILE, or standard input without one (or with `-`), and writes each output line as
//! soon as its request is decided, so another program can keep the command open and talk to
//! it line by line. Bad request lines are error lines and the run goes on (exit 0); an
//! unreadable file or a bad policy file stops it (exit 1).

use std::io::{BufRead, Write};

use bangfu::aid::Explain;
use bangfu::jsonl::Decider;

use crate::{Args, Failure, in_file, read};

fn unreadable(what: &str, e: &std::io::Error) -> Failure {
    Failure::Coded {
        code: "input.unreadable",
        message: format!("{what}: {e}"),
    }
}

/// Decides every line of `input`, writing one output line per non-blank request line.
fn process(
    eval: &Decider<'_>,
    mut input: impl BufRead,
    mut output: impl Write,
    explain: Explain,
    what: &str,
) -> Result<(), Failure> {
    let mut buf = Vec::new();
    let mut line = 0u64;
    loop {
        buf.clear();
        let n = input
            .read_until(b'\n', &mut buf)
            .map_err(|e| unreadable(what, &e))?;
        if n == 0 {
            break;
        }
        line = line.saturating_add(1);
        let Some(out) = eval.decide_bytes(line, &buf, explain) else {
            continue;
        };
        // A reader that went away (`bangfu eval | head`) ends the run quietly.
        if writeln!(output, "{}", out.to_json()).is_err() {
            return Ok(());
        }
    }
    let _ = output.flush();
    Ok(())
}

pub(crate) fn eval(mut args: Args) -> Result<String, Failure> {
    let explain = if args.flag("--explain") {
        Explain::On
    } else {
        Explain::Off
    };
    let policy = match args.value("--policy")? {
        Some(p) => bangfu::Policy::from_toml(&read(&p)?).map_err(in_file(&p))?,
        None => bangfu::hainan2018::policy()?,
    };
    let file = match args.rest.first() {
        Some(f) if !f.starts_with("--") || f == "-" => Some(args.rest.remove(0)),
        _ => None,
    };
    args.finish()?;
    let evaluator = Decider::new(&policy)?;
    match file.as_deref() {
        Some(path) if path != "-" => {
            let f = std::fs::File::open(path).map_err(|e| unreadable(path, &e))?;
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            process(&evaluator, std::io::BufReader::new(f), out, explain, path)?;
        }
        _ => {
            // Standard output is line-buffered: each decision goes out as it is made.
            let out = std::io::stdout().lock();
            process(
                &evaluator,
                std::io::stdin().lock(),
                out,
                explain,
                "standard input",
            )?;
        }
    }
    Ok(String::new())
}
