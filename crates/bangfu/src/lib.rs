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
//! Deciding one medical claim (医疗救助), paying it into the year's ledger and reading the
//! statement:
//!
//! ```
//! use bangfu::aid::{Calculator, Explain, FileFacts, MedicalClaim, PaymentOrder, YearToDate};
//! use bangfu::core::{ArchiveStatus, ArchiveTier, Money, NaiveDate, PaymentChannel};
//! use bangfu::funding::{FundSource, Income, IncomeKind, Ledger};
//! use bangfu::orders::Payout;
//!
//! let policy = bangfu::hainan2018::policy()?; // or bangfu::Policy::from_toml(text)?
//! let day = NaiveDate::from_ymd_opt(2018, 6, 1).ok_or("date")?;
//! let file = FileFacts::builder("HK-0001/1", "HK-0001", ArchiveTier::National, "subsistence", 3)
//!     .status(ArchiveStatus::Active)
//!     .build()?;
//! let claim = MedicalClaim { date: day, out_of_pocket: Money::from_yuan(40_000)? };
//! let calc = Calculator::new(&policy.aid)?;
//! let decision = calc.medical(&file, claim, YearToDate::default(), Explain::On)?;
//! println!("{}", decision.explanation().ok_or("asked for")?); // Chinese; `{:#}` is English
//! let order = PaymentOrder::for_decision(&file, &"claim-1".parse()?, &decision)?.ok_or("no pay")?;
//!
//! let mut ledger = Ledger::new(bangfu::hainan2018::year(), policy.funding);
//! let (source, channel) = (FundSource::CentralFiscal, PaymentChannel::UnionMemberCard);
//! let grant = Money::from_yuan(50_000)?;
//! ledger.post(Income::new("in-1".parse()?, day, source, IncomeKind::Allocation, grant).into())?;
//! ledger.post(Payout::new(source, channel).disbursement(&order, "pay-1".parse()?).into())?;
//! let statement = ledger.statement(&bangfu::hainan2018::budget()?)?;
//! assert_eq!(statement.totals.spent, Money::from_yuan(15_000)?); // the yearly cap
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
    ClaimOutcome, Defect, DefectKind, Payment, PaymentFigures, Policy, PolicyMeta, ProgrammeYear,
    ReplayError, YearError, YearRun,
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
