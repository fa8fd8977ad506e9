//! The campaigns' running totals (专项活动累计) against the ledger scan: over random sequences
//! of payments and reversals, a campaign payment's checks read from the totals give the same
//! findings and the same overflow errors as summing the ledger's payments standing.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bangfu_core::{AidCategory, AidKind, ArchiveTier, Money, NaiveDate, PaymentChannel};
use bangfu_funding::{Disbursement, FundSource, Posting, Reversal};
use bangfu_year::campaign::{Campaign, CampaignTotals, breaches};
use proptest::prelude::*;

/// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Two sending-warmth windows (one with a budget and a household cap, one with a budget
/// only), a female-worker care campaign with both, and a campaign the policy adds (by id)
/// with both.
fn campaigns() -> Vec<Campaign> {
    let text = r#"
[[c]]
kind = "sending_warmth"
name_zh = "两节送温暖"
name_en = "Sending warmth"
from = "2018-01-01"
until = "2018-02-28"
eligible = ["filed_household"]
per_household = "1500.00"
budget = "4000.00"
sources = ["central_fiscal"]
cite = "seed.1.2"

[[c]]
kind = "sending_warmth"
name_zh = "两节送温暖"
name_en = "Sending warmth"
from = "2018-12-01"
until = "2018-12-31"
eligible = ["filed_household"]
budget = "3000.00"
sources = ["central_fiscal"]
cite = "seed.1.2"

[[c]]
kind = "female_worker_care"
name_zh = "女职工关爱行动"
name_en = "Female-worker care"
from = "2018-03-01"
until = "2018-03-31"
eligible = ["female_worker"]
per_household = "600.00"
budget = "1000.00"
sources = ["provincial_union_funds"]
cite = "seed.1.2"

[[c]]
id = "golden-autumn"
name_zh = "金秋助学"
name_en = "Golden-autumn education aid"
from = "2018-08-01"
until = "2018-09-30"
eligible = ["filed_household"]
per_household = "1000.00"
budget = "2500.00"
sources = ["central_fiscal"]
cite = "seed.1.2"
"#;
    #[derive(serde::Deserialize)]
    struct File {
        c: Vec<Campaign>,
    }
    toml::from_str::<File>(text).unwrap().c
}

/// One step: a payment (kind, the fourth naming the campaign by id; month, day, household, amount in yuan, huge) or the reversal
/// of the n-th payment standing.
#[derive(Debug, Clone)]
enum Step {
    Pay {
        kind: u8,
        month: u32,
        day: u32,
        household: u8,
        yuan: i64,
        huge: bool,
    },
    Reverse(usize),
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        4 => (0u8..4, prop_oneof![1u32..=3, 12u32..=12, 4u32..=11], 1u32..=28, 0u8..3, 1i64..=900, proptest::bool::weighted(0.05))
            .prop_map(|(kind, month, day, household, yuan, huge)| Step::Pay { kind, month, day, household, yuan, huge }),
        1 => (0usize..64).prop_map(Step::Reverse),
    ]
}

fn payment(n: usize, kind: u8, month: u32, day: u32, household: u8, amount: Money) -> Disbursement {
    Disbursement {
        id: format!("p-{n}").parse().unwrap(),
        date: NaiveDate::from_ymd_opt(2018, month, day).unwrap(),
        source: if n.is_multiple_of(5) {
            FundSource::ProvincialUnionFunds
        } else {
            FundSource::CentralFiscal
        },
        category: AidCategory::Living,
        kind: [
            AidKind::Regular,
            AidKind::SendingWarmth,
            AidKind::FemaleWorkerCare,
            AidKind::Regular,
        ][usize::from(kind)],
        household: format!("HK-{household}").parse().unwrap(),
        tier: ArchiveTier::National,
        channel: PaymentChannel::UnionMemberCard,
        amount,
        unit: None,
        entered: None,
        order: None,
        claim: None,
        campaign: (kind == 3).then(|| "golden-autumn".parse().unwrap()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    /// Each payment is checked both ways before it is posted; the totals then count it, and a
    /// reversal gives it back.
    #[test]
    fn running_totals_check_as_the_ledger_scan_does(steps in proptest::collection::vec(step(), 1..60)) {
        let campaigns = campaigns();
        let household = bangfu_eligibility::Household::example().unwrap();
        let mut postings: Vec<Posting> = Vec::new();
        let mut standing: Vec<Disbursement> = Vec::new();
        let mut totals = CampaignTotals::default();
        for (n, s) in steps.into_iter().enumerate() {
            match s {
                Step::Pay { kind, month, day, household: h, yuan, huge } => {
                    // A huge amount makes the next sums overflow, as they would on the ledger.
                    let amount = if huge { Money::from_fen(i64::MAX / 2).unwrap() } else { Money::from_yuan(yuan).unwrap() };
                    let d = payment(n, kind, month, day, h, amount);
                    let scanned = breaches(&campaigns, &d, Some(&household), &postings);
                    let running = totals.breaches(&campaigns, &d, Some(&household));
                    prop_assert_eq!(&running, &scanned);
                    totals.add(&campaigns, &d);
                    postings.push(d.clone().into());
                    standing.push(d);
                }
                Step::Reverse(i) if !standing.is_empty() => {
                    let d = standing.remove(i % standing.len());
                    totals.release(&campaigns, &d);
                    postings.push(Reversal {
                        id: format!("r-{n}").parse().unwrap(),
                        date: d.date,
                        reverses: d.id.clone(),
                        source: d.source,
                        amount: d.amount,
                        reason: "entered in error".to_owned(),
                    }.into());
                }
                Step::Reverse(_) => {}
            }
        }
    }
}
