//! The JSON Lines interface per line (`bangfu eval`): reading a medical request the way it
//! was read before (a JSON value, then the typed request from it) and straight from the line,
//! and a block of 1,000 lines decided into one output buffer, the explanation off and on.
//!
//! `cargo bench -p bangfu-benches --bench eval`. Each bench checks its result inside the
//! loop. The whole command beside python's parser is `tools/eval-speed.sh`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use bangfu::aid::{Explain, Request};
use bangfu::core::read;
use bangfu::jsonl::{Decider, RequestLine};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// `n` medical request lines: the example requests' files and claims with ids, applicants
/// and amounts varied, one in six with an earlier claim and its payment.
fn requests(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let h = format!("HK-{:06}", i % 9_973);
            let file = format!(
                r#"{{"case":"{h}/1","household":"{h}","tier":"national","degree":"{}","household_size":{},"status":"active"}}"#,
                ["subsistence", "near_subsistence", "accident"][i % 3],
                1 + i % 5
            );
            let applicant = format!("{h}-m1");
            let claim = format!(
                r#"{{"id":"2018-med-{i:07}","applicant":"{applicant}","date":"2018-{:02}-{:02}","out_of_pocket":"{}.{:02}"}}"#,
                4 + i % 9,
                1 + i % 28,
                500 + (i * 7_919) % 60_000,
                i % 100
            );
            let history = if i % 6 == 0 {
                format!(
                    r#","earlier_claims":[{{"id":"e-{i}","applicant":"{applicant}","date":"2018-02-01","out_of_pocket":"3000.00"}}],"earlier_payments":[{{"claim":"e-{i}","date":"2018-03-01","category":"medical","person":"{applicant}","amount":"1500.00"}}]"#
                )
            } else {
                String::new()
            };
            format!(r#"{{"kind":"medical","id":"r{i}","file":{file},"claim":{claim}{history}}}"#)
        })
        .collect()
}

fn read_line(c: &mut Criterion) {
    let lines = requests(1_000);
    let mut g = c.benchmark_group("eval/read");
    g.throughput(Throughput::Elements(lines.len() as u64));
    g.bench_function("value-then-type", |b| {
        b.iter(|| {
            for l in &lines {
                // As the line was read before: the caller's id taken out of the value.
                let mut value = read::json_value(black_box(l)).unwrap();
                let id = value.as_object_mut().unwrap().remove("id");
                assert!(id.is_some());
                let request = Request::from_value(&value).unwrap();
                assert_eq!(request.kind(), "medical");
            }
        })
    });
    g.bench_function("direct", |b| {
        b.iter(|| {
            for l in &lines {
                let request = RequestLine::from_json(black_box(l)).unwrap();
                assert_eq!(request.request.kind(), "medical");
            }
        })
    });
    g.finish();
}

fn decide_block(c: &mut Criterion) {
    let policy = bangfu::hainan2018::policy().unwrap();
    let decider = Decider::new(&policy).unwrap();
    let block = requests(1_000).join("\n").into_bytes();
    let mut g = c.benchmark_group("eval/block");
    g.throughput(Throughput::Elements(1_000));
    for (name, explain) in [("explain-off", Explain::Off), ("explain-on", Explain::On)] {
        let mut out = Vec::new();
        g.bench_function(name, |b| {
            b.iter(|| {
                out.clear();
                let lines = decider.decide_lines(1, black_box(&block), explain, &mut out);
                assert_eq!(lines, 1_000);
                assert!(!out.windows(8).take(4_000).any(|w| w == b"\"error\":"));
            })
        });
    }
    g.finish();
}

criterion_group!(benches, read_line, decide_block);
criterion_main!(benches);
