//! The whole year through the one path: read the year directory, decide the claims, post the
//! payments, the statement, the facts, the score and the report. The Hainan 2018 year as
//! embedded, and the Hainan year repeated (`bangfu_benches::year_scale`) up to a million
//! filed households and about ten million records (`BANGFU_YEAR_COPIES`, default 10; 1035 for
//! the million, run by `tools/year-scale.sh`).

use std::hint::black_box;

use bangfu::core::Lang;
use bangfu::evaluation::FrameworkChoice;
use bangfu::year::dir::YearDir;
use criterion::{Criterion, criterion_group, criterion_main};

fn whole_path(files: &std::collections::BTreeMap<String, Vec<u8>>) -> usize {
    #[allow(clippy::expect_used)]
    let dir = YearDir::read(files).expect("the scaled year reads");
    #[allow(clippy::expect_used)]
    let built = dir.build().expect("the scaled year builds");
    #[allow(clippy::expect_used)]
    let (_, statement) = built.year.closed_statement().expect("statement");
    #[allow(clippy::expect_used)]
    let evaluation = built
        .evaluate(FrameworkChoice::SelfEvaluation)
        .expect("evaluation");
    #[allow(clippy::expect_used)]
    let report = evaluation.render(Lang::Zh).expect("report");
    black_box(&statement);
    report.len()
}

fn hainan_report(c: &mut Criterion) {
    c.bench_function("year/hainan 2018 report (embedded, whole path)", |b| {
        b.iter(|| {
            #[allow(clippy::expect_used)]
            let e = bangfu::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)
                .expect("evaluation");
            #[allow(clippy::expect_used)]
            black_box(e.render(Lang::Zh).expect("report"))
        });
    });
}

fn scaled(c: &mut Criterion) {
    let copies: u32 = std::env::var("BANGFU_YEAR_COPIES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let files = bangfu_benches::year_scale::files(copies);
    let mut g = c.benchmark_group("year");
    g.sample_size(10);
    g.bench_function(format!("whole path, Hainan x{copies}"), |b| {
        b.iter(|| whole_path(black_box(&files)));
    });
    g.finish();
}

criterion_group!(benches, hainan_report, scaled);
criterion_main!(benches);
