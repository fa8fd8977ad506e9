//! Ledger and statement benches on the embedded Hainan 2018 records.
//!
//! `cargo bench -p bangfu-benches --bench funding`. Each bench checks its result inside the
//! loop, so a wrong answer cannot be fast.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use bangfu::funding::{Ledger, Statement, StatementOptions};
use bangfu::hainan2018;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn ledger(c: &mut Criterion) {
    let policy = hainan2018::policy().unwrap();
    let budget = hainan2018::budget().unwrap();
    let records = hainan2018::ledger_records().unwrap();
    let expected = bangfu::core::Money::parse_wan("41.290725").unwrap();

    let mut group = c.benchmark_group("funding/ledger");
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function("post-all-checks/hainan-2018", |b| {
        b.iter_batched(
            || records.clone(),
            |records| {
                let mut ledger = Ledger::new(hainan2018::year(), policy.funding.clone());
                ledger.reserve(records.len());
                for p in records {
                    ledger.post(p).unwrap();
                }
                assert_eq!(ledger.total_balance().unwrap(), expected);
                ledger
            },
            criterion::BatchSize::LargeInput,
        );
    });
    group.finish();

    let mut group = c.benchmark_group("funding/statement");
    group.throughput(Throughput::Elements(records.len() as u64));
    group.bench_function("hainan-2018", |b| {
        b.iter(|| {
            let s = Statement::from_postings(
                hainan2018::year(),
                black_box(&records),
                &budget,
                None,
                StatementOptions::default(),
            )
            .unwrap();
            assert_eq!(s.totals.person_times, 8236);
            s
        });
    });
    group.finish();
}

criterion_group!(benches, ledger);
criterion_main!(benches);
