//! One run of the whole path on the Hainan year repeated `COPIES` times (argument, default 10),
//! printing each stage's time and the year's figures: `tools/year-scale.sh` runs it under
//! `/usr/bin/time -v` for the peak memory. `year-scale --dir DIR` runs it on a year directory
//! on disk read line by line (`YearDir::stream`, as `bangfu report DIR` reads it): built with
//! the system's allocator, so that `heaptrack` sees every allocation (the command's mimalloc
//! hides them). `year-scale --parse-ledger FILE` only parses a ledger file's lines into typed
//! postings, one line at a time (the limit of `bangfu statement --ledger`:
//! `tools/statement-scale.sh`); `--fold-ledger DIR` folds the directory's ledger file as it
//! streams (`FoldedRun::new`), `--recall-ledger DIR` reads it into the ledger that reads
//! postings again from the file (`FoldedRun::from_path`, what `bangfu statement --ledger`
//! does).

use std::time::Instant;

use bangfu::core::Lang;
use bangfu::evaluation::FrameworkChoice;
use bangfu::year::dir::YearDir;

/// A year directory on disk, its files opened one at a time.
struct OnDisk(std::path::PathBuf);

impl bangfu::year::dir::DirFiles for OnDisk {
    fn open(&self, name: &str) -> std::io::Result<Option<Box<dyn std::io::BufRead + '_>>> {
        match std::fs::File::open(self.0.join(name)) {
            Ok(f) => Ok(Some(Box::new(std::io::BufReader::with_capacity(
                1 << 20,
                f,
            )))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[allow(clippy::expect_used, clippy::print_stdout)]
fn main() {
    let mut args = std::env::args().skip(1);
    let first = args.next();
    if first.as_deref() == Some("--fold-ledger") {
        let dir = args.next().expect("year-scale --fold-ledger DIR");
        return fold_ledger(std::path::Path::new(&dir));
    }
    if first.as_deref() == Some("--recall-ledger") {
        let dir = args.next().expect("year-scale --recall-ledger DIR");
        return recall_ledger(std::path::Path::new(&dir));
    }
    if first.as_deref() == Some("--parse-ledger") {
        let file = args.next().expect("year-scale --parse-ledger FILE");
        return parse_ledger(&file);
    }
    if first.as_deref() == Some("--dir") {
        let dir = args.next().expect("year-scale --dir DIR");
        let t = Instant::now();
        let built = YearDir::stream(&OnDisk(dir.into()), &mut |_| {}).expect("builds");
        println!("stream:   {:.2?} (read, file, decide, post)", t.elapsed());
        return evaluate(built);
    }
    let copies: u32 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10);
    let t = Instant::now();
    let files = bangfu_benches::year_scale::files(copies);
    let bytes: usize = files.values().map(Vec::len).sum();
    println!(
        "generate: {:.2?} ({copies} copies, {} MB of files)",
        t.elapsed(),
        bytes / 1_000_000
    );
    let t = Instant::now();
    let dir = YearDir::read(&files).expect("reads");
    let records = dir.households.len()
        + dir.applicants.len()
        + dir.claims.len()
        + dir.ledger.len()
        + dir.survey.len();
    println!(
        "read:     {:.2?} ({} households, {records} records)",
        t.elapsed(),
        dir.households.len()
    );
    drop(files);
    let t = Instant::now();
    let built = dir.build().expect("builds");
    println!("build:    {:.2?} (file, decide, post)", t.elapsed());
    evaluate(built);
}

/// Parses every line of a ledger file into a typed posting and drops it: the time a reader of
/// the file cannot go below.
#[allow(clippy::expect_used, clippy::print_stdout)]
fn parse_ledger(file: &str) {
    use std::io::BufRead;
    let t = Instant::now();
    let f = std::fs::File::open(file).expect("opens");
    let mut reader = std::io::BufReader::with_capacity(1 << 20, f);
    let mut line = String::new();
    let (mut postings, mut fen) = (0u64, 0i128);
    while reader.read_line(&mut line).expect("reads") > 0 {
        if !line.trim().is_empty() {
            let p: bangfu::funding::Posting = serde_json::from_str(&line).expect("a posting");
            postings += 1;
            fen += i128::from(p.amount().fen());
        }
        line.clear();
    }
    println!(
        "parse:    {:.2?} ({postings} postings, {fen} fen in all)",
        t.elapsed()
    );
}

/// The statement of a directory's ledger file read line by line and folded
/// (`bangfu::year::FoldedRun`, as `bangfu statement --ledger` reads it).
#[allow(clippy::expect_used, clippy::print_stdout)]
fn fold_ledger(dir: &std::path::Path) {
    let text = |name: &str| std::fs::read_to_string(dir.join(name)).expect("reads");
    let policy = bangfu::Policy::from_toml(&text("policy.toml")).expect("a policy");
    let budget = bangfu::year::input::parse_budget_toml_for(&text("budget.toml"), &policy.funding)
        .expect("a budget");
    let t = Instant::now();
    let file = std::fs::File::open(dir.join("ledger.jsonl")).expect("opens");
    let lines = bangfu::year::input::ledger_lines(std::io::BufReader::with_capacity(1 << 20, file));
    let run = bangfu::year::FoldedRun::new(&policy, &budget, lines).expect("folds");
    println!(
        "fold:     {:.2?} ({} postings, spent {} 万元)",
        t.elapsed(),
        run.postings,
        run.statement.totals.spent.wan()
    );
}

/// The statement of a directory's ledger file read line by line into a ledger that keeps
/// only where each posting is and reads it again when a rule needs it
/// (`bangfu::year::FoldedRun::from_path`, as `bangfu statement --ledger` reads it).
#[allow(clippy::expect_used, clippy::print_stdout)]
fn recall_ledger(dir: &std::path::Path) {
    let text = |name: &str| std::fs::read_to_string(dir.join(name)).expect("reads");
    let policy = bangfu::Policy::from_toml(&text("policy.toml")).expect("a policy");
    let budget = bangfu::year::input::parse_budget_toml_for(&text("budget.toml"), &policy.funding)
        .expect("a budget");
    let t = Instant::now();
    let run = bangfu::year::FoldedRun::from_path(&policy, &budget, &dir.join("ledger.jsonl"))
        .expect("reads");
    println!(
        "recall:   {:.2?} ({} postings, spent {} 万元)",
        t.elapsed(),
        run.postings,
        run.statement.totals.spent.wan()
    );
}

/// The statement, the evaluation and the report of a built year, each timed.
#[allow(clippy::expect_used, clippy::print_stdout)]
fn evaluate(built: bangfu::year::dir::BuiltYear) {
    let t = Instant::now();
    let (_, statement) = built.year.closed_statement().expect("statement");
    println!(
        "statement:{:.2?} (spent {} 万元, execution {})",
        t.elapsed(),
        statement.totals.spent.wan(),
        statement
            .totals
            .execution_rate
            .map(|r| r.percent.to_string())
            .unwrap_or_default()
    );
    let t = Instant::now();
    let evaluation = built
        .evaluate(FrameworkChoice::SelfEvaluation)
        .expect("evaluation");
    println!(
        "evaluate: {:.2?} (facts and score: {})",
        t.elapsed(),
        evaluation.scorecard.total
    );
    let t = Instant::now();
    let report = evaluation.render(Lang::Zh).expect("report");
    println!("report:   {:.2?} ({} bytes)", t.elapsed(), report.len());
    let t = Instant::now();
    drop(built);
    println!("drop:     {:.2?}", t.elapsed());
}
