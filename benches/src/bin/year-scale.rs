//! One run of the whole path on the Hainan year repeated `COPIES` times (argument, default 10),
//! printing each stage's time and the year's figures: `tools/year-scale.sh` runs it under
//! `/usr/bin/time -v` for the peak memory.

use std::time::Instant;

use bangfu::core::Lang;
use bangfu::evaluation::FrameworkChoice;
use bangfu::year::dir::YearDir;

#[allow(clippy::expect_used, clippy::print_stdout)]
fn main() {
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
