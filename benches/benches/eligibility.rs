//! One eligibility decision (`assess`, with its explanation and every reason) and the same
//! household through the population screen, on the embedded Hainan 2018 policy.
//!
//! `cargo bench -p bangfu-benches --bench eligibility`. Each bench checks its result inside
//! the loop.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use bangfu::eligibility::{
    FactKind, HardshipCategory, Household, Outcome, Screen, ScreenFacts, assess,
};
use bangfu::hainan2018;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn decision(c: &mut Criterion) {
    let policy = hainan2018::policy().unwrap();
    let date = chrono_date();
    let household = Household::example().unwrap();
    let mut excluded = household.clone();
    excluded.assets.homes = 2;

    let mut g = c.benchmark_group("eligibility/assess");
    g.throughput(Throughput::Elements(1));
    g.bench_function("eligible", |b| {
        b.iter(|| {
            let d = assess(&policy.eligibility, black_box(&household), date).unwrap();
            assert!(matches!(
                d.outcome,
                Outcome::Eligible {
                    category: HardshipCategory::NearSubsistence,
                    ..
                }
            ));
            d
        })
    });
    g.bench_function("excluded", |b| {
        b.iter(|| {
            let d = assess(&policy.eligibility, black_box(&excluded), date).unwrap();
            assert!(
                d.reasons
                    .iter()
                    .any(|r| r.code == "exclusion.multiple_homes")
            );
            d
        })
    });
    g.finish();

    let screen = Screen::new(&policy.eligibility, date).unwrap();
    let facts = ScreenFacts::of(&household);
    let mut two_homes = facts;
    two_homes.set(FactKind::HomesOwned, 2);
    let mut g = c.benchmark_group("eligibility/screen");
    g.throughput(Throughput::Elements(1));
    g.bench_function("eligible", |b| {
        b.iter(|| {
            let s = screen.test(black_box(&facts)).unwrap();
            assert!(s.passes());
            s.band.map(|b| b.category)
        })
    });
    g.bench_function("excluded", |b| {
        b.iter(|| {
            let s = screen.test(black_box(&two_homes)).unwrap();
            assert!(!s.passes());
            s.exclusion.map(|e| e.id.len())
        })
    });
    g.finish();
}

fn chrono_date() -> bangfu::core::NaiveDate {
    bangfu::core::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap()
}

criterion_group!(benches, decision);
criterion_main!(benches);
