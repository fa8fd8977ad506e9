//! The statement's table with a campaign counted in no category (female-worker care): its
//! own columns after the categories', so that the spending columns add up to the spent
//! column; sending warmth, counted in living aid, has none (the Hainan table is unchanged).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bangfu_core::{AidCategory, AidKind, ArchiveTier, Lang, Money, PaymentChannel, Year};
use bangfu_funding::{Budget, Disbursement, FundSource, Income, IncomeKind, Posting, Statement};
use bangfu_office::export;
use bangfu_office::table::Cell;

fn pay(id: &str, kind: AidKind, yuan: i64) -> Posting {
    Disbursement {
        id: id.parse().unwrap(),
        date: chrono::NaiveDate::from_ymd_opt(2018, 3, 8).unwrap(),
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

#[test]
fn female_worker_care_has_its_own_columns_in_the_statement_table() {
    let year = Year::new(2018).unwrap();
    let income = Income::new(
        "i".parse().unwrap(),
        chrono::NaiveDate::from_ymd_opt(2018, 1, 5).unwrap(),
        FundSource::ProvincialUnionFunds,
        IncomeKind::Allocation,
        Money::from_yuan(10_000).unwrap(),
    );
    let postings = vec![
        income.into(),
        pay("p-1", AidKind::Regular, 800),
        pay("p-2", AidKind::FemaleWorkerCare, 300),
        pay("p-3", AidKind::SendingWarmth, 200),
    ];
    let st = Statement::from_postings(
        year,
        &postings,
        &Budget::new(year, []).unwrap(),
        None,
        Default::default(),
    )
    .unwrap();
    let (table, charts) = export::statement_table(&st, Lang::En).unwrap();
    let col = |header: &str| {
        table
            .columns
            .iter()
            .position(|c| c.header.starts_with(header))
            .unwrap_or_else(|| panic!("no column {header}"))
    };
    let total = table.rows.last().unwrap();
    let money = |yuan: i64| Cell::Money(Money::from_yuan(yuan).unwrap());
    assert_eq!(total[col("living aid")], money(1000));
    assert_eq!(total[col("female worker care")], money(300));
    assert_eq!(
        total[col("female worker care (person-times)")],
        Cell::Count(1)
    );
    assert_eq!(total[col("Spent")], money(1300));
    assert!(
        !table
            .columns
            .iter()
            .any(|c| c.header.starts_with("sending warmth"))
    );
    // The spending chart stacks the campaign's column with the categories'.
    assert!(charts[1].series.contains(&col("female worker care")));

    let hainan = bangfu_data::hainan2018::run().unwrap().statement;
    let (table, _) = export::statement_table(&hainan, Lang::En).unwrap();
    assert!(!table.columns.iter().any(|c| c.header.contains("female")));
}
