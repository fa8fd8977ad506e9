//! Roll-ups always add up (property): for any tree and any records, each node's total is
//! its own records plus its children's totals, the root's total plus what is outside the
//! tree is every record, and any part and the rest of the entity add up to the whole.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu_core::{AidCategory, AidKind, ArchiveTier, Money, UnitId};
use bangfu_eligibility::HardshipCategory;
use bangfu_funding::FundSource;
use bangfu_year::rollup::{CampaignRef, Record, Rollup, Scope, UnitFigures, figures_of, whole};
use bangfu_year::tree::{Unit, UnitTree};
use proptest::prelude::*;

/// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn id(i: usize) -> UnitId {
    format!("u{i}").parse().unwrap()
}

/// A tree of `n` units: unit `i > 0` has a parent among the units before it.
fn tree_strategy() -> impl Strategy<Value = UnitTree> {
    (1usize..12)
        .prop_flat_map(|n| proptest::collection::vec(any::<prop::sample::Index>(), n))
        .prop_map(|parents| {
            let units = parents
                .iter()
                .enumerate()
                .map(|(i, p)| Unit {
                    id: id(i),
                    parent: (i > 0).then(|| id(p.index(i))),
                    level: None,
                    zh: None,
                    en: None,
                })
                .collect();
            UnitTree::new(units).unwrap()
        })
}

fn record_strategy() -> impl Strategy<Value = Record> {
    prop_oneof![
        (any::<bool>(), 0usize..2, 0usize..3).prop_map(|(active, t, c)| Record::File {
            tier: [ArchiveTier::National, ArchiveTier::Provincial][t],
            category: [
                HardshipCategory::Subsistence,
                HardshipCategory::NearSubsistence,
                HardshipCategory::Accident
            ][c],
            active,
        }),
        (0usize..4, 0usize..3, 1i64..100_000_000).prop_map(|(s, c, fen)| Record::Payment {
            source: FundSource::ALL[s],
            category: [
                AidCategory::Living,
                AidCategory::Medical,
                AidCategory::Education
            ][c],
            amount: Money::from_fen(fen).unwrap(),
        }),
        (0usize..4, 0usize..3, 1i64..10_000_000).prop_map(|(s, c, fen)| Record::CampaignPayment {
            source: FundSource::ALL[s],
            campaign: CampaignRef {
                kind: [
                    AidKind::FemaleWorkerCare,
                    AidKind::Regular,
                    AidKind::Regular
                ][c],
                campaign: [
                    None,
                    Some("golden-autumn".parse().unwrap()),
                    Some("migrant-care".parse().unwrap())
                ][c]
                    .clone(),
                zh: format!("c{c}"),
                en: format!("c{c}"),
            },
            amount: Money::from_fen(fen).unwrap(),
        }),
        (0usize..4, 1i64..10_000_000).prop_map(|(s, fen)| Record::TemporaryPayment {
            source: FundSource::ALL[s],
            amount: Money::from_fen(fen).unwrap(),
        }),
        (1i64..10_000_000).prop_map(|fen| Record::Recovery {
            amount: Money::from_fen(fen).unwrap()
        }),
        Just(Record::Finding),
    ]
}

fn sum(figures: impl IntoIterator<Item = UnitFigures>) -> UnitFigures {
    figures
        .into_iter()
        .try_fold(UnitFigures::default(), |acc, f| acc.checked_add(&f))
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    #[test]
    fn roll_ups_add_up_to_the_parent(
        tree in tree_strategy(),
        raw in proptest::collection::vec((0usize..14, record_strategy()), 0..80),
    ) {
        let n = tree.units().len();
        // Units 0..n are in the tree; n.. are outside it (an unknown unit, or none).
        let records: Vec<(Option<UnitId>, Record)> = raw
            .into_iter()
            .map(|(u, r)| ((u != 13).then(|| id(u)), r))
            .collect();
        let rollup = Rollup::new(&tree, &records).unwrap();
        for node in &rollup.nodes {
            let children = tree
                .children(&node.unit)
                .map(|c| rollup.node(c).unwrap().total.clone());
            let expected = sum(std::iter::once(node.own.clone()).chain(children));
            prop_assert_eq!(&node.total, &expected);
        }
        let root = tree.root().unwrap();
        let all = whole(&records).unwrap();
        // Temporary aid is inside living aid and the person-times, to the fen.
        let temporary: Vec<&Record> = records
            .iter()
            .map(|(_, r)| r)
            .filter(|r| matches!(r, Record::TemporaryPayment { .. }))
            .collect();
        prop_assert_eq!(all.temporary_person_times, temporary.len() as u64);
        prop_assert_eq!(
            all.temporary.fen(),
            temporary
                .iter()
                .map(|r| match r {
                    Record::TemporaryPayment { amount, .. } => amount.fen(),
                    _ => 0,
                })
                .sum::<i64>()
        );
        // Spending is its categories' and its own-line campaigns', to the fen.
        let lines: i64 = all.spending.iter().map(|l| l.amount.fen()).sum::<i64>()
            + all.campaigns.iter().map(|c| c.amount.fen()).sum::<i64>();
        prop_assert_eq!(lines, all.spent.fen());
        let (living, living_pt) = all.category(AidCategory::Living).unwrap();
        prop_assert!(all.temporary <= living && all.temporary_person_times <= living_pt);
        prop_assert_eq!(
            rollup.node(root).unwrap().total.checked_add(&rollup.outside).unwrap(),
            all.clone()
        );
        // Any part and the rest of the root's subtree add up to the root's total.
        for cut in 1..n {
            let part = Scope { unit: id(cut), except: vec![] };
            let rest = Scope { unit: root.clone(), except: vec![id(cut)] };
            let a = figures_of(&tree, &records, &part).unwrap();
            let b = figures_of(&tree, &records, &rest).unwrap();
            prop_assert_eq!(a.checked_add(&b).unwrap(), rollup.node(root).unwrap().total.clone());
            prop_assert_eq!(a, rollup.node(&id(cut)).unwrap().total.clone());
        }
    }
}
