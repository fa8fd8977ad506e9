//! The seed's section 二 (项目资金使用及管理情况), computed from the embedded records.
//!
//! Every expected value below is a figure printed in the seed (or derived from them, as
//! `../shared/docs/domain.md` section 2 shows); every actual value is computed from the
//! 8,268 records of `crates/bangfu/data/hainan-2018/ledger.jsonl`.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::{BTreeMap, BTreeSet};

use bangfu::core::{AidCategory, AidKind, ArchiveTier, Money};
use bangfu::funding::{CarryoverStatus, FundSource, IncomeKind, Posting};
use bangfu::hainan2018;

fn wan(s: &str) -> Money {
    Money::parse_wan(s).unwrap()
}

#[test]
fn income_by_source_and_component() {
    let run = hainan2018::run().unwrap();
    let st = &run.statement;
    assert_eq!(st.totals.income, wan("1125.074864"));
    let income = |s| st.source(s).unwrap().income;
    assert_eq!(income(FundSource::CentralFiscal), wan("271.1267"));
    assert_eq!(income(FundSource::ProvincialFiscal), wan("230.4177"));
    assert_eq!(income(FundSource::AcftuFunds), wan("32"));
    assert_eq!(income(FundSource::ProvincialUnionFunds), wan("591.530464"));

    let union = st.source(FundSource::ProvincialUnionFunds).unwrap();
    let part = |k| union.component(k).unwrap();
    assert_eq!(part(IncomeKind::Allocation).amount, wan("576.2913"));
    assert_eq!(part(IncomeKind::TransferIn).amount, wan("3.50884"));
    assert_eq!(part(IncomeKind::Recovery).amount, wan("5.4098"));
    assert_eq!(part(IncomeKind::Recovery).households, 17);
    assert_eq!(part(IncomeKind::Interest).amount, wan("1.482551"));
    assert_eq!(part(IncomeKind::OpeningBalance).amount, wan("4.837973"));
}

#[test]
fn spending_by_source_and_category_with_person_times() {
    let run = hainan2018::run().unwrap();
    let st = &run.statement;
    let expect = [
        (
            FundSource::CentralFiscal,
            [("207.4784", 2165), ("62.4483", 63), ("1.2", 6)],
            ("271.1267", 2234),
        ),
        (
            FundSource::AcftuFunds,
            [("4.8721", 33), ("17.5279", 27), ("9.6", 36)],
            ("32", 96),
        ),
        (
            FundSource::ProvincialFiscal,
            [("168.0265", 1581), ("51.4912", 59), ("10.9", 32)],
            ("230.4177", 1672),
        ),
        (
            FundSource::ProvincialUnionFunds,
            [("331.211039", 3677), ("61.0287", 88), ("158", 469)],
            ("550.239739", 4234),
        ),
    ];
    let cats = [
        AidCategory::Living,
        AidCategory::Medical,
        AidCategory::Education,
    ];
    for (source, lines, (spent, times)) in expect {
        let line = st.source(source).unwrap();
        for (cat, (amount, pt)) in cats.iter().zip(lines) {
            let got = line.category(*cat);
            assert_eq!(got.amount, wan(amount), "{source} {cat}");
            assert_eq!(got.person_times, pt, "{source} {cat}");
        }
        assert_eq!(line.spent, wan(spent), "{source}");
        assert_eq!(line.person_times, times, "{source}");
    }
    assert_eq!(st.totals.spent, wan("1083.784139"));
    assert_eq!(st.totals.person_times, 8236);
    let total_times: Vec<u64> = [
        FundSource::CentralFiscal,
        FundSource::AcftuFunds,
        FundSource::ProvincialFiscal,
    ]
    .iter()
    .map(|s| st.source(*s).unwrap().person_times)
    .collect();
    assert_eq!(total_times, vec![2234, 96, 1672]);
    assert_eq!(
        st.source(FundSource::ProvincialUnionFunds)
            .unwrap()
            .person_times,
        4234
    );
    assert_eq!(
        st.totals.category(AidCategory::Living).amount,
        wan("711.588039")
    );
    assert_eq!(
        st.totals.category(AidCategory::Medical).amount,
        wan("192.4961")
    );
    assert_eq!(
        st.totals.category(AidCategory::Education).amount,
        wan("179.7")
    );
}

#[test]
fn balance_carried_forward_with_its_approval() {
    let run = hainan2018::run().unwrap();
    let st = &run.statement;
    assert_eq!(st.totals.balance, wan("41.290725"));
    let union = st.source(FundSource::ProvincialUnionFunds).unwrap();
    assert_eq!(union.balance, wan("41.290725"));
    assert!(matches!(
        union.carryover,
        Some(CarryoverStatus::Approved { .. })
    ));
    for s in [
        FundSource::CentralFiscal,
        FundSource::ProvincialFiscal,
        FundSource::AcftuFunds,
    ] {
        assert_eq!(
            st.source(s).unwrap().balance,
            Money::ZERO,
            "{s} is fully spent"
        );
    }
    assert_eq!(run.close.unapproved().count(), 0);
    // Without the approval the same balance is reported as unapproved.
    let close = run.ledger.close(&[]).unwrap();
    assert!(
        close
            .source(FundSource::ProvincialUnionFunds)
            .unwrap()
            .carryover
            .is_unapproved()
    );
}

#[test]
fn budget_and_rates() {
    let run = hainan2018::run().unwrap();
    let st = &run.statement;
    assert_eq!(st.totals.budget, wan("1100"));
    assert_eq!(
        st.source(FundSource::CentralFiscal).unwrap().budget,
        Some(wan("270"))
    );
    assert_eq!(
        st.source(FundSource::ProvincialFiscal).unwrap().budget,
        Some(wan("230"))
    );
    assert_eq!(
        st.source(FundSource::ProvincialUnionFunds).unwrap().budget,
        Some(wan("600"))
    );
    assert_eq!(
        st.totals.execution_rate.unwrap().percent.to_string(),
        "96.33 %"
    );
    assert_eq!(
        st.totals.arrival_rate.unwrap().percent.to_string(),
        "102.28 %"
    );
    // As the seed states it: "资金到位率100%".
    assert_eq!(
        st.totals.arrival_rate_capped.unwrap().percent.value(),
        100.into()
    );
    assert_eq!(
        st.source(FundSource::ProvincialUnionFunds)
            .unwrap()
            .execution_rate
            .unwrap()
            .percent
            .to_string(),
        "93.02 %"
    );
}

#[test]
fn the_records_have_the_shape_the_seed_describes() {
    let postings = hainan2018::ledger_records().unwrap();
    let all = hainan2018::households().unwrap();
    let households: Vec<_> = all.iter().filter(|h| h.withdrawal.is_none()).collect();
    assert_eq!(households.len(), 966);
    let by_unit = |u: &str| households.iter().filter(|h| h.unit().as_str() == u).count();
    assert_eq!(by_unit("hainan-reclamation"), 680);
    assert_eq!(households.len() - by_unit("hainan-reclamation"), 286);
    let dependants: usize = households.iter().map(|h| h.household.members.len()).sum();
    assert!(
        (3100..3200).contains(&dependants),
        "供养人口3100余人: {dependants}"
    );

    let filed: BTreeMap<_, _> = households.iter().map(|h| (h.id().clone(), *h)).collect();
    let mut paid: BTreeMap<_, u32> = BTreeMap::new();
    let mut payments = 0;
    for p in &postings {
        if let Posting::Disbursement(d) = p {
            payments += 1;
            let h = filed
                .get(&d.household)
                .expect("every payment goes to a filed household");
            assert_eq!(d.tier, h.tier);
            if matches!(
                d.source,
                FundSource::CentralFiscal | FundSource::ProvincialFiscal
            ) {
                assert_eq!(
                    d.tier,
                    ArchiveTier::National,
                    "fiscal money only to national-tier files"
                );
            }
            *paid.entry(d.household.clone()).or_default() += 1;
            if d.kind == AidKind::SendingWarmth {
                assert!(["800.00", "900.00", "1000.00"].contains(&d.amount.to_string().as_str()));
            }
        }
    }
    assert_eq!(payments, 8236);
    assert_eq!(paid.len(), 966, "every filed household was helped");
    assert!(paid.values().all(|&n| n >= 2), "每人每年至少帮扶2次以上");
    let recovered: BTreeSet<_> = postings
        .iter()
        .filter_map(|p| match p {
            Posting::Income(i) if i.kind == IncomeKind::Recovery => i.household.clone(),
            _ => None,
        })
        .collect();
    assert_eq!(recovered.len(), 17);
    assert!(
        recovered.iter().all(|h| !filed.contains_key(h)),
        "the 17 withdrawn households are not among the 966"
    );
}

#[test]
fn the_text_table_and_json_show_the_figures() {
    let run = hainan2018::run().unwrap();
    let text = run.statement.render_text(bangfu::core::Lang::Zh);
    for needle in [
        "| 合计 | 1100 | 1125.074864 | 711.588039 | 7456 | 192.4961 | 237 | 179.7 | 543 | 1083.784139 | 8236 | 41.290725 | 102.28 % | 96.33 % |",
        "| 中央财政 | 270 | 271.1267 | 207.4784 | 2165 | 62.4483 | 63 | 1.2 | 6 | 271.1267 | 2234 | 0 |",
        "追缴 5.4098（17户）",
        "按100 %封顶：100.00 %",
        "经批复结转",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let json = serde_json::to_value(&run.statement).unwrap();
    assert_eq!(json["totals"]["income"], "11250748.64");
    assert_eq!(json["totals"]["person_times"], 8236);
    assert_eq!(json["totals"]["execution_rate"]["percent"], "96.33");
}

#[test]
fn the_committed_records_are_what_the_generator_makes() {
    let config = bangfu_datagen::GeneratorConfig::from_toml(hainan2018::GENERATOR_TOML).unwrap();
    let data = bangfu_datagen::generate(&config, &hainan2018::policy().unwrap()).unwrap();
    let regenerate =
        "run `cargo run -p bangfu-datagen -- --out crates/bangfu-data/data/hainan-2018`";
    for (name, made, committed) in [
        (
            "ledger.jsonl",
            data.ledger_jsonl(),
            hainan2018::LEDGER_JSONL,
        ),
        (
            "households.jsonl",
            data.households_jsonl(),
            hainan2018::HOUSEHOLDS_JSONL,
        ),
        (
            "applicants.jsonl",
            data.applicants_jsonl(),
            hainan2018::APPLICANTS_JSONL,
        ),
        (
            "claims.jsonl",
            data.claims_jsonl(),
            hainan2018::CLAIMS_JSONL,
        ),
        (
            "survey.jsonl",
            data.survey_jsonl(),
            hainan2018::SURVEY_JSONL,
        ),
    ] {
        assert!(made == committed, "{name} is stale: {regenerate}");
    }
}
