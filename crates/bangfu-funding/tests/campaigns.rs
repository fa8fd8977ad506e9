//! Campaigns (专项活动) in the statement: a female-worker care payment (女职工关爱行动) is never
//! counted inside living aid, even when its posting names the living category; it is a line
//! of its own that adds to its source's spending. Sending warmth (两节送温暖) stays inside
//! its category, as the seed counts it, with a line of its own beside.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu_core::{AidCategory, AidKind, ArchiveTier, Money, PaymentChannel, Year};
use bangfu_funding::{
    Budget, Disbursement, FundSource, Income, IncomeKind, Posting, Reversal, Statement,
};

fn day() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2018, 3, 8).unwrap()
}

fn pay(id: &str, kind: AidKind, yuan: i64) -> Posting {
    Disbursement {
        id: id.parse().unwrap(),
        date: day(),
        source: FundSource::ProvincialUnionFunds,
        category: AidCategory::Living,
        kind,
        household: "HK-1".parse().unwrap(),
        tier: ArchiveTier::National,
        channel: PaymentChannel::UnionMemberCard,
        amount: Money::from_yuan(yuan).unwrap(),
        unit: None,
        entered: None,
        order: None,
        claim: None,
        campaign: None,
    }
    .into()
}

fn statement(postings: &[Posting]) -> Statement {
    let year = Year::new(2018).unwrap();
    let mut all = vec![
        Income::new(
            "i".parse().unwrap(),
            day(),
            FundSource::ProvincialUnionFunds,
            IncomeKind::Allocation,
            Money::from_yuan(10_000).unwrap(),
        )
        .into(),
    ];
    all.extend_from_slice(postings);
    Statement::from_postings(
        year,
        &all,
        &Budget::new(year, []).unwrap(),
        None,
        Default::default(),
    )
    .unwrap()
}

/// Failed before campaigns had their own line: living aid was 1,300.00 yuan and 3
/// person-times, the care payment inside it.
#[test]
fn a_female_worker_care_payment_is_never_counted_inside_living_aid() {
    let s = statement(&[
        pay("p-1", AidKind::Regular, 800),
        pay("p-2", AidKind::FemaleWorkerCare, 300),
        pay("p-3", AidKind::SendingWarmth, 200),
    ]);
    let living = s.totals.category(AidCategory::Living);
    assert_eq!(
        (living.amount, living.person_times),
        (Money::from_yuan(1000).unwrap(), 2)
    );
    let source = s.source(FundSource::ProvincialUnionFunds).unwrap();
    assert_eq!(
        source.category(AidCategory::Living).amount,
        Money::from_yuan(1000).unwrap()
    );
    // The spending and person-times of the source and the totals still hold every payment.
    assert_eq!(
        (source.spent, source.person_times),
        (Money::from_yuan(1300).unwrap(), 3)
    );
    assert_eq!(
        (s.totals.spent, s.totals.person_times),
        (Money::from_yuan(1300).unwrap(), 3)
    );
    assert_eq!(s.totals.balance, Money::from_yuan(8700).unwrap());
}

#[test]
fn each_campaign_has_its_own_line_net_of_reversals() {
    let reversal: Posting = Reversal {
        id: "r-1".parse().unwrap(),
        date: day(),
        reverses: "p-4".parse().unwrap(),
        source: FundSource::ProvincialUnionFunds,
        amount: Money::from_yuan(300).unwrap(),
        reason: "录入重复".into(),
    }
    .into();
    let s = statement(&[
        pay("p-1", AidKind::Regular, 800),
        pay("p-2", AidKind::FemaleWorkerCare, 300),
        pay("p-3", AidKind::SendingWarmth, 200),
        pay("p-4", AidKind::FemaleWorkerCare, 300),
        reversal,
    ]);
    let lines: Vec<_> = s
        .totals
        .campaigns
        .iter()
        .map(|c| {
            (
                c.kind,
                c.counted_in,
                c.amount,
                c.person_times,
                c.reversed.postings,
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            (
                AidKind::SendingWarmth,
                Some(AidCategory::Living),
                Money::from_yuan(200).unwrap(),
                1,
                0
            ),
            (
                AidKind::FemaleWorkerCare,
                None,
                Money::from_yuan(300).unwrap(),
                1,
                1
            ),
        ]
    );
    let source = s.source(FundSource::ProvincialUnionFunds).unwrap();
    assert_eq!(source.campaigns, s.totals.campaigns);
    assert_eq!(source.spent, Money::from_yuan(1300).unwrap());
    let text = s.render_text(bangfu_core::Lang::Zh);
    assert!(
        text.contains("女职工关爱行动（单列，不含在任何救助类别中）"),
        "{text}"
    );
    let json = serde_json::to_value(&s).unwrap();
    assert_eq!(json["totals"]["campaigns"][1]["kind"], "female_worker_care");
}

#[test]
fn a_payment_naming_a_campaign_reads_and_writes_its_id_and_has_a_line_per_id() {
    // Written with its campaign; a line without one reads as before and writes without it.
    let named = r#"{"type":"disbursement","id":"g-1","date":"2018-03-08","source":"provincial_union_funds","category":"education","kind":"regular","household":"HK-1","tier":"national","channel":"union_member_card","amount":"800.00","campaign":"golden-autumn"}"#;
    let posting: Posting = serde_json::from_str(named).unwrap();
    assert_eq!(serde_json::to_string(&posting).unwrap(), named);
    let plain = named.replace(r#","campaign":"golden-autumn""#, "");
    let Posting::Disbursement(d) = serde_json::from_str::<Posting>(&plain).unwrap() else {
        panic!("not a payment")
    };
    assert!(d.campaign.is_none());
    assert_eq!(
        serde_json::to_string(&Posting::from(d.clone())).unwrap(),
        plain
    );
    // A line per id, counted in no category (a line of its own, never inside education or
    // living aid); the same kind without an id is no campaign.
    let mut other = d.clone();
    other.id = "g-2".parse().unwrap();
    other.campaign = Some("migrant-care".parse().unwrap());
    let s = statement(&[posting.clone(), other.into(), d.into()]);
    let ids: Vec<Option<&str>> = s
        .totals
        .campaigns
        .iter()
        .map(|l| l.campaign.as_ref().map(|c| c.as_str()))
        .collect();
    assert_eq!(ids, [Some("golden-autumn"), Some("migrant-care")]);
    assert!(s.totals.campaigns.iter().all(|l| l.counted_in.is_none()));
    assert_eq!(s.totals.category(AidCategory::Education).person_times, 1);
    assert_eq!(s.totals.spent, Money::from_yuan(2400).unwrap());
    assert_eq!(
        s.totals.campaigns[0].name(bangfu_core::Lang::En),
        "golden-autumn"
    );
}
