//! The OpenFisca peer's rules evaluated in memory over population columns: bangfu's fast
//! path (the eligibility `Screen` and the aid `Resolved` rules from the peer policy file)
//! against the limit, a hand-written loop over the same columns with the same integer-fen
//! arithmetic and no library types — one criterion group, both, at 10k, 100k and 1M
//! households (one core).
//!
//! `cargo bench -p bangfu-benches --bench peer`. With `OFPEER_WORK` pointing at the peer's
//! folder (`data.csv`, `data_1m.csv`), the peer's own populations are benched too, and the
//! checksums are checked against the exact reference. Under `cargo test --benches` only the
//! 10k generated population runs.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use bangfu::core::Money;
use bangfu_benches::limit::{self, Params};
use bangfu_benches::peer::{self, Population, Rules};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The exact checksums of the peer's files (RESULTS.md, reference.py).
const EXACT: [(&str, &str); 2] = [
    ("data.csv", "199610009.08"),
    ("data_1m.csv", "1985313799.52"),
];

fn populations() -> Vec<(String, Population, Option<Money>)> {
    let full = bangfu_benches::measuring();
    let mut out = Vec::new();
    for n in [10_000usize, 100_000, 1_000_000] {
        if n == 10_000 || full {
            out.push((format!("generated-{n}"), Population::generate(n, 7), None));
        }
    }
    if full && let Some(dir) = std::env::var_os("OFPEER_WORK") {
        for (name, exact) in EXACT {
            let path = std::path::Path::new(&dir).join(name);
            if let Ok(f) = std::fs::File::open(&path) {
                let p = Population::from_csv(std::io::BufReader::new(f)).unwrap();
                let label = format!("peer-{}", p.households());
                out.push((label, p, Some(Money::parse_yuan(exact).unwrap())));
            }
        }
    }
    out
}

fn in_memory(c: &mut Criterion) {
    let policy = peer::policy().unwrap();
    let rules = Rules::new(&policy).unwrap();
    let params = Params::from_policy(&policy).unwrap();
    let mut g = c.benchmark_group("peer/in-memory");
    g.sample_size(20);
    for (name, pop, exact) in populations() {
        let expected = rules.evaluate(&pop).unwrap();
        let (m, l, e) = limit::evaluate(&pop, &params);
        // The two evaluations agree, and with the exact reference where there is one.
        assert_eq!(
            (
                expected.medical.fen(),
                expected.living.fen(),
                expected.eligible
            ),
            (m, l, e)
        );
        if let Some(exact) = exact {
            assert_eq!(expected.checksum().unwrap(), exact);
        }
        g.throughput(Throughput::Elements(pop.households() as u64));
        g.bench_function(format!("bangfu-fast-path/{name}"), |b| {
            b.iter(|| {
                let t = rules.evaluate(black_box(&pop)).unwrap();
                assert_eq!(t, expected);
                t
            })
        });
        g.bench_function(format!("hand-written/{name}"), |b| {
            b.iter(|| {
                let r = limit::evaluate(black_box(&pop), &params);
                assert_eq!(r, (m, l, e));
                r
            })
        });
    }
    g.finish();
}

criterion_group!(benches, in_memory);
criterion_main!(benches);
