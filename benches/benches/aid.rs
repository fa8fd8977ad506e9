//! Aid calculators per call (explanations off and on) and batch evaluation over generated
//! populations, on the embedded Hainan 2018 policy.
//!
//! `cargo bench -p bangfu-benches --bench aid`. Each bench checks its result inside the
//! loop. Under `cargo test --benches` (criterion's test mode) the batch runs at 10k only.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use bangfu::aid::{
    AidDecision, AmountClaim, BatchMedicalClaim, Calculator, DegreeCode, Explain, FileFacts,
    HouseholdClaims, MedicalClaim, SchoolStage, SevereFlags, Student, YearToDate,
};
use bangfu::core::{ArchiveStatus, ArchiveTier, CaseId, HouseholdId, Money, NaiveDate, PersonId};
use bangfu::hainan2018;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, m, d).unwrap()
}

fn file(i: usize, size: u32, severe: bool) -> FileFacts {
    FileFacts {
        case: CaseId::new(format!("HK-{i:07}/1")).unwrap(),
        household: HouseholdId::new(format!("HK-{i:07}")).unwrap(),
        tier: ArchiveTier::National,
        degree: DegreeCode::new(if i.is_multiple_of(3) {
            "near_subsistence"
        } else {
            "subsistence"
        })
        .unwrap(),
        severe: SevereFlags {
            major_illness: severe,
            ..SevereFlags::default()
        },
        household_size: size,
        status: Some(ArchiveStatus::Active),
        status_events: vec![],
        students: vec![],
        city: None,
    }
}

fn per_call(c: &mut Criterion) {
    let policy = hainan2018::policy().unwrap();
    let calc = Calculator::new(&policy.aid)
        .unwrap()
        .with_citations(&policy.citations);
    let f = file(1, 3, false);
    let severe = file(2, 3, true);
    let kid = PersonId::new("kid").unwrap();
    let mut student = file(3, 3, false);
    student.students.push(Student {
        person: kid.clone(),
        stage: SchoolStage::Undergraduate,
    });
    let medical = MedicalClaim {
        date: day(9, 1),
        out_of_pocket: Money::from_yuan(30_000).unwrap(),
    };
    let so_far = YearToDate {
        cost: Money::from_yuan(10_000).unwrap(),
        paid: Money::from_yuan(5_000).unwrap(),
    };
    let living = AmountClaim {
        date: day(4, 1),
        requested: Some(Money::from_yuan(2_000).unwrap()),
    };
    let warmth = AmountClaim {
        date: day(2, 1),
        requested: Some(Money::from_yuan(1_200).unwrap()),
    };
    let expect_med = Money::from_yuan(10_000).unwrap();
    let expect_living = calc
        .living(&severe, living, YearToDate::default(), Explain::Off)
        .unwrap()
        .amount;
    let expect_warmth = calc
        .sending_warmth(&f, warmth, Explain::Off)
        .unwrap()
        .amount;
    let expect_edu = calc
        .education(&student, day(9, 1), &kid, false, Explain::Off)
        .unwrap()
        .amount;
    assert!(expect_edu > Money::ZERO && expect_living > Money::ZERO);

    // explain-off: no explanation; explain-on: the decision with its trace (every input,
    // parameter and intermediate amount recorded); explain-rendered: that trace also rendered
    // to the full bilingual explanation, as `bangfu eval --explain` shows it.
    for name in ["explain-off", "explain-on", "explain-rendered"] {
        let explain = if name == "explain-off" {
            Explain::Off
        } else {
            Explain::On
        };
        let render = name == "explain-rendered";
        let check = move |d: &AidDecision<'_>, expect: Money| {
            assert_eq!(d.amount, expect);
            assert_eq!(d.trace.is_some(), explain == Explain::On);
            if render {
                let e = d.explanation().unwrap();
                assert_eq!(e.steps.last().unwrap().result, expect.to_string());
                black_box(e);
            }
        };
        let mut g = c.benchmark_group("aid/medical");
        g.throughput(Throughput::Elements(1));
        g.bench_function(name, |b| {
            b.iter(|| {
                let d = calc
                    .medical(black_box(&f), black_box(medical), so_far, explain)
                    .unwrap();
                check(&d, expect_med);
                d
            })
        });
        g.finish();
        let mut g = c.benchmark_group("aid/living");
        g.throughput(Throughput::Elements(1));
        g.bench_function(name, |b| {
            b.iter(|| {
                let d = calc
                    .living(
                        black_box(&severe),
                        black_box(living),
                        YearToDate::default(),
                        explain,
                    )
                    .unwrap();
                check(&d, expect_living);
                d
            })
        });
        g.finish();
        let mut g = c.benchmark_group("aid/sending_warmth");
        g.throughput(Throughput::Elements(1));
        g.bench_function(name, |b| {
            b.iter(|| {
                let d = calc
                    .sending_warmth(black_box(&f), black_box(warmth), explain)
                    .unwrap();
                check(&d, expect_warmth);
                d
            })
        });
        g.finish();
        let mut g = c.benchmark_group("aid/education");
        g.throughput(Throughput::Elements(1));
        g.bench_function(name, |b| {
            b.iter(|| {
                let d = calc
                    .education(
                        black_box(&student),
                        day(9, 1),
                        black_box(&kid),
                        false,
                        explain,
                    )
                    .unwrap();
                check(&d, expect_edu);
                d
            })
        });
        g.finish();
    }

    // The fast path per call: parameters resolved once.
    let rules = calc.resolve(&f.degree, medical.date).unwrap();
    let mut g = c.benchmark_group("aid/medical");
    g.throughput(Throughput::Elements(1));
    g.bench_function("resolved", |b| {
        b.iter(|| {
            let a = rules
                .medical(black_box(medical.out_of_pocket), black_box(so_far))
                .unwrap();
            assert_eq!(a, expect_med);
            a
        })
    });
    g.finish();
}

/// A generated population: sizes 1–5, one in eight severe, two medical claims (March and
/// September) and one living-aid claim each.
fn population(n: usize) -> Vec<HouseholdClaims> {
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = |m: u64| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        x % m
    };
    (0..n)
        .map(|i| {
            let size = 1 + next(5) as u32;
            let f = file(i, size, next(8) == 0);
            let applicant = PersonId::new(format!("HK-{i:07}-w")).unwrap();
            let claim = |date, fen| BatchMedicalClaim {
                applicant: applicant.clone(),
                claim: MedicalClaim {
                    date,
                    out_of_pocket: Money::from_fen(fen).unwrap(),
                },
            };
            let a = next(2_000_000) as i64;
            let b = next(3_000_000) as i64;
            HouseholdClaims {
                file: f,
                medical: vec![claim(day(3, 1), a), claim(day(9, 1), b)],
                living: vec![AmountClaim {
                    date: day(5, 1),
                    requested: Some(Money::from_fen(100_000 + next(150_000) as i64).unwrap()),
                }],
                sending_warmth: vec![],
                education: vec![],
            }
        })
        .collect()
}

/// The batch's total amount computed claim by claim through the calculators.
fn one_by_one(calc: &Calculator<'_>, pop: &[HouseholdClaims]) -> Money {
    let mut total = Money::ZERO;
    for h in pop {
        let mut so_far = YearToDate::default();
        for m in &h.medical {
            let d = calc
                .medical(&h.file, m.claim, so_far, Explain::Off)
                .unwrap();
            so_far.cost = so_far.cost.checked_add(m.claim.out_of_pocket).unwrap();
            so_far.paid = so_far.paid.checked_add(d.amount).unwrap();
            total = total.checked_add(d.amount).unwrap();
        }
        for l in &h.living {
            let d = calc
                .living(&h.file, *l, YearToDate::default(), Explain::Off)
                .unwrap();
            total = total.checked_add(d.amount).unwrap();
        }
    }
    total
}

fn batch(c: &mut Criterion) {
    let policy = hainan2018::policy().unwrap();
    let calc = Calculator::new(&policy.aid).unwrap();
    let sizes: &[usize] = if bangfu_benches::measuring() {
        &[10_000, 100_000, 1_000_000]
    } else {
        &[10_000]
    };
    let mut g = c.benchmark_group("aid/batch");
    g.sample_size(10);
    for &n in sizes {
        let pop = population(n);
        let expected = one_by_one(&calc, &pop);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_function(format!("evaluate-explain-off/{n}"), |b| {
            b.iter_batched(
                || (),
                |()| {
                    let r = calc.evaluate(black_box(&pop), Explain::Off).unwrap();
                    assert_eq!(r.totals.total.amount, expected);
                    assert_eq!(r.totals.refused, 0);
                    r
                },
                BatchSize::PerIteration,
            )
        });
        // The same batch streamed: each decision handed over when its household is done,
        // only the totals kept.
        g.bench_function(format!("evaluate-each-explain-off/{n}"), |b| {
            b.iter(|| {
                let mut decisions = 0usize;
                let totals = calc
                    .evaluate_each(black_box(&pop), Explain::Off, |d| {
                        decisions += usize::from(d.result.is_ok());
                    })
                    .unwrap();
                assert_eq!(totals.total.amount, expected);
                assert_eq!((totals.refused, decisions), (0, 3 * n));
                totals
            })
        });
    }
    g.finish();
}

criterion_group!(benches, per_call, batch);
criterion_main!(benches);
