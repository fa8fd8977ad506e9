//! Ledger and statement benches on the embedded Hainan 2018 records.
//!
//! `cargo bench -p bangfu-benches --bench funding`. Each bench checks its result inside the
//! loop, so a wrong answer cannot be fast. The statement also runs over 10k, 1M and 10M
//! postings (the 8,268 records repeated; each size built only when its bench starts and
//! dropped after). Under `cargo test --benches` (criterion's test mode) only 10k runs.
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

    let sizes: &[usize] = if bangfu_benches::measuring() {
        &[10_000, 1_000_000, 10_000_000]
    } else {
        &[10_000]
    };
    let base = Statement::from_postings(
        hainan2018::year(),
        &records,
        &budget,
        None,
        StatementOptions::default(),
    )
    .unwrap();
    let mut group = c.benchmark_group("funding/statement");
    group.sample_size(10);
    for &n in sizes {
        let postings: Vec<_> = records.iter().cycle().take(n).cloned().collect();
        // Whole copies of the records multiply every amount; the check below is exact.
        let copies = (n / records.len()) as u32;
        let expected = Statement::from_postings(
            hainan2018::year(),
            &postings,
            &budget,
            None,
            StatementOptions::default(),
        )
        .unwrap();
        assert!(expected.totals.spent >= base.totals.spent.checked_mul_int(copies).unwrap());
        group.throughput(Throughput::Elements(n as u64));
        group.bench_function(format!("postings/{n}"), |b| {
            b.iter(|| {
                let s = Statement::from_postings(
                    hainan2018::year(),
                    black_box(&postings),
                    &budget,
                    None,
                    StatementOptions::default(),
                )
                .unwrap();
                assert_eq!(s.totals, expected.totals);
                s
            });
        });
        drop(postings);
    }
    group.finish();
}

criterion_group!(benches, ledger);
criterion_main!(benches);
