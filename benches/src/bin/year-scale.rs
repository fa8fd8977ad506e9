//! One run of the whole path on the Hainan year repeated `COPIES` times (argument, default 10),
//! printing each stage's time and the year's figures: `tools/year-scale.sh` runs it under
//! `/usr/bin/time -v` for the peak memory. `year-scale --dir DIR` runs it on a year directory
//! on disk read line by line (`YearDir::stream`, as `bangfu report DIR` reads it): built with
//! the system's allocator, so that `heaptrack` sees every allocation (the command's mimalloc
//! hides them).

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
    if args.next().as_deref() == Some("--dir") {
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
