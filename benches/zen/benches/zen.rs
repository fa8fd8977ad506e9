//! Per decision: zen-engine evaluating the JDM decision against bangfu's calculator on the
//! same rule (explanations on and off), in one criterion run.
//!
//! `cd benches/zen && CARGO_TARGET_DIR=/work/target-zen cargo bench -j2`. Each bench checks
//! its amount inside the loop.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use bangfu_aid::{AidDecision, AmountClaim, Calculator, DegreeCode, Explain, FileFacts, MedicalClaim, SevereFlags, YearToDate};
use bangfu_core::{ArchiveStatus, ArchiveTier, CaseId, HouseholdId, Money, NaiveDate};
use bangfu_zen_bench::{AidFile, LIVING_JDM, MEDICAL_JDM, PEER_AID_TOML, block_on};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde_json::json;
use zen_engine::model::DecisionContent;
use zen_engine::{Decision, EvaluationOptions, Variable};

fn decision(jdm: &str) -> Decision {
    let content: DecisionContent = serde_json::from_str(jdm).unwrap();
    let graph = content.as_graph().unwrap().clone();
    let mut d = Decision::from(graph);
    d.compile();
    d
}

fn amount(d: &Decision, context: &Variable) -> String {
    let r = block_on(d.evaluate(context.clone())).unwrap();
    let v = r.result.to_value();
    v["amount"].to_string()
}

/// zen with its trace on (`EvaluationOptions { trace: true }`): the nodes' inputs and outputs.
fn amount_traced(d: &Decision, context: &Variable) -> String {
    let opts = EvaluationOptions { trace: true, ..EvaluationOptions::default() };
    let r = block_on(d.evaluate_with_opts(context.clone(), opts)).unwrap();
    assert!(r.trace.is_some());
    let v = r.result.to_value();
    v["amount"].to_string()
}

/// bangfu's three modes: no explanation; the decision with its trace recorded; the trace
/// also rendered to the full bilingual explanation.
const MODES: [(&str, Explain, bool); 3] = [
    ("bangfu/explain-off", Explain::Off, false),
    ("bangfu/explain-on", Explain::On, false),
    ("bangfu/explain-rendered", Explain::On, true),
];

fn check(d: &AidDecision<'_>, expected: Money, explain: Explain, render: bool) {
    assert_eq!(d.amount, expected);
    assert_eq!(d.trace.is_some(), explain == Explain::On);
    if render {
        let e = d.explanation().unwrap();
        assert_eq!(e.steps.last().unwrap().result, expected.to_string());
        black_box(e);
    }
}

fn bench(c: &mut Criterion) {
    let file: AidFile = toml::from_str(PEER_AID_TOML).unwrap();
    let calc = Calculator::new(&file.aid).unwrap().with_citations(&file.citations);
    let date = NaiveDate::from_ymd_opt(2025, 3, 1).unwrap();
    let facts = |size, severe| FileFacts {
        case: CaseId::new("P-1/1").unwrap(),
        household: HouseholdId::new("P-1").unwrap(),
        tier: ArchiveTier::National,
        degree: DegreeCode::new("eligible").unwrap(),
        severe: SevereFlags { major_illness: severe, ..SevereFlags::default() },
        household_size: size,
        status: Some(ArchiveStatus::Active),
        status_events: vec![],
        students: vec![],
        city: None,
    };

    // Medical: 1234.53 after 20000.00 earlier this year with 10000.00 paid: 50 % of
    // 21234.53 = 10617.265 → 10617.27, then 617.27 now.
    let f = facts(3, false);
    let claim = MedicalClaim { date, out_of_pocket: Money::parse_yuan("1234.53").unwrap() };
    let so_far = YearToDate {
        cost: Money::from_yuan(20_000).unwrap(),
        paid: Money::from_yuan(10_000).unwrap(),
    };
    let expected = calc.medical(&f, claim, so_far, Explain::Off).unwrap().amount;
    assert_eq!(expected.to_string(), "617.27");
    let zen = decision(MEDICAL_JDM);
    let ctx: Variable = json!({ "out_of_pocket": 1234.53, "earlier": 20000, "paid": 10000 }).into();
    assert_eq!(amount(&zen, &ctx), "617.27");

    let mut g = c.benchmark_group("zen/medical");
    g.throughput(Throughput::Elements(1));
    g.bench_function("zen-engine", |b| {
        b.iter(|| {
            let a = amount(black_box(&zen), black_box(&ctx));
            assert_eq!(a, "617.27");
            a
        })
    });
    g.bench_function("zen-engine/trace", |b| {
        b.iter(|| {
            let a = amount_traced(black_box(&zen), black_box(&ctx));
            assert_eq!(a, "617.27");
            a
        })
    });
    for (name, explain, render) in MODES {
        g.bench_function(name, |b| {
            b.iter(|| {
                let d = calc.medical(black_box(&f), black_box(claim), so_far, explain).unwrap();
                check(&d, expected, explain, render);
                d
            })
        });
    }
    g.finish();

    // Living: a severe household of 2: 600 × 2 = 1200.
    let f = facts(2, true);
    let claim = AmountClaim { date, requested: None };
    let expected = calc.living(&f, claim, YearToDate::default(), Explain::Off).unwrap().amount;
    assert_eq!(expected.to_string(), "1200.00");
    let zen = decision(LIVING_JDM);
    let ctx: Variable = json!({ "severe": true, "household_size": 2 }).into();
    assert_eq!(amount(&zen, &ctx), "1200");

    let mut g = c.benchmark_group("zen/living");
    g.throughput(Throughput::Elements(1));
    g.bench_function("zen-engine", |b| {
        b.iter(|| {
            let a = amount(black_box(&zen), black_box(&ctx));
            assert_eq!(a, "1200");
            a
        })
    });
    g.bench_function("zen-engine/trace", |b| {
        b.iter(|| {
            let a = amount_traced(black_box(&zen), black_box(&ctx));
            assert_eq!(a, "1200");
            a
        })
    });
    for (name, explain, render) in MODES {
        g.bench_function(name, |b| {
            b.iter(|| {
                let d = calc.living(black_box(&f), black_box(claim), YearToDate::default(), explain).unwrap();
                check(&d, expected, explain, render);
                d
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
