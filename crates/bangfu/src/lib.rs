//! # bangfu (帮扶)
//!
//! How Chinese trade unions run hardship-worker aid (困难职工帮扶), as a library: where the
//! money comes from and where it goes ([`funding`]), who may be filed as a hardship
//! household ([`eligibility`]), how much each kind of aid pays ([`aid`]), and how the year's
//! use of the fund is scored ([`scoring`]), on the exact vocabulary of [`core`].
//!
//! This facade only re-exports and documents (as ICU4X's `icu` meta-crate does): the domain
//! crates above, the year's path ([`year`]: [`Policy`], [`input`], [`records`], [`orders`],
//! [`YearRun`], [`evaluation`], [`jsonl`]) and the embedded years ([`hainan2018`], the
//! default of the `bangfu` command; [`guinan2019`], a generated second union's year;
//! [`example2020`]).
//!
//! Filing a household, deciding one medical claim (医疗救助), paying it and reading the
//! statement, through the year's one path ([`ProgrammeYear`]: a refused record changes
//! nothing):
//!
//! ```
//! use bangfu::core::{Money, NaiveDate, PaymentChannel};
//! use bangfu::funding::{FundSource, Income, IncomeKind};
//! use bangfu::records::{ClaimDetail, ClaimRecord};
//! use bangfu::{Payment, ProgrammeYear, hainan2018 as hn};
//!
//! let mut year = ProgrammeYear::new(hn::policy()?, hn::budget()?)?; // or Policy::from_toml(text)?
//! let record = hn::households()?.remove(0);                      // a household's facts
//! let (household, case) = (record.id().clone(), record.case.clone());
//! let applicant = record.household.worker.person.id.clone();
//! year.file_household(record)?;                 // 申请 → 初审 → 公示 → 建档 → 审批 → 再公示 → 在档
//! let day = NaiveDate::from_ymd_opt(2018, 6, 1).ok_or("date")?;
//! let source = FundSource::CentralFiscal;
//! year.income(Income::new("in-1".parse()?, day, source, IncomeKind::Allocation, Money::from_yuan(50_000)?))?;
//! let cost = Money::from_yuan(40_000)?;
//! let claim = ClaimRecord { id: "claim-1".parse()?, case, household, date: day,
//!     detail: ClaimDetail::Medical { applicant, out_of_pocket: cost } };
//! let decided = year.claim_explained(claim)?;   // decided once, by the calculators
//! println!("{}", decided.explanation.ok_or("asked for")?); // Chinese; `{:#}` is English
//! year.pay(Payment { id: "pay-1".parse()?, claim: "claim-1".parse()?, date: day, source,
//!     channel: PaymentChannel::UnionMemberCard, unit: None, entered: Some(day) })?; // payable? checked
//! assert_eq!(year.statement()?.totals.spent, Money::from_yuan(15_000)?); // the yearly cap
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Or the whole year at once:
//!
//! ```
//! let run = bangfu::hainan2018::run()?;
//! let totals = &run.statement.totals;
//! assert_eq!(totals.income.wan().to_string(), "1125.074864");
//! assert_eq!(totals.spent.wan().to_string(), "1083.784139");
//! assert_eq!(totals.execution_rate.unwrap().percent.to_string(), "96.33 %");
//! # Ok::<(), bangfu::YearError>(())
//! ```

/// Why an embedded year could not be built (re-export of `bangfu_data::DataError`).
pub use bangfu_data::DataError;
/// The example 2020+ policy (re-export of `bangfu_data::example2020`).
pub use bangfu_data::example2020;
/// The generated Guinan City 2019 year (re-export of `bangfu_data::guinan2019`).
pub use bangfu_data::guinan2019;
/// The embedded Hainan 2018 year (re-export of `bangfu_data::hainan2018`).
pub use bangfu_data::hainan2018;
/// The third example policy, Hubei's hardship-worker aid standards: caps in months of the
/// local minimum living standard (re-export of `bangfu_data::hubei2023`).
pub use bangfu_data::hubei2023;
/// The programme year's path (re-export of `bangfu-year`).
pub use bangfu_year as year;
/// The performance evaluation of a year (re-export of `bangfu_year::evaluation`).
pub use bangfu_year::evaluation;
/// What a policy file has in force on a date (re-export of `bangfu_year::in_force`).
pub use bangfu_year::in_force;
/// Reading and writing the year's files (re-export of `bangfu_year::input`).
pub use bangfu_year::input;
/// The JSON Lines decision interface (re-export of `bangfu_year::jsonl`).
pub use bangfu_year::jsonl;
/// From a decision's payment order to a ledger posting (re-export of `bangfu_year::orders`).
pub use bangfu_year::orders;
/// The records a union keeps (re-export of `bangfu_year::records`).
pub use bangfu_year::records;
pub use bangfu_year::{
    ClaimOutcome, Defect, DefectKind, Payment, PaymentFigures, Policy, PolicyMeta, PolicyStamp,
    ProgrammeYear, ReplayError, YearError, YearRun,
};

/// Aid calculators (re-export of `bangfu-aid`).
pub use bangfu_aid as aid;
/// The core vocabulary (re-export of `bangfu-core`).
pub use bangfu_core as core;
/// Eligibility and case files (re-export of `bangfu-eligibility`).
pub use bangfu_eligibility as eligibility;
/// Funding: sources, ledger, statement (re-export of `bangfu-funding`).
pub use bangfu_funding as funding;
/// Performance scoring (re-export of `bangfu-scoring`).
pub use bangfu_scoring as scoring;

/// The README (the crates.io page), whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;
