//! # bangfu-funding
//!
//! The money side of hardship-worker aid (帮扶资金): [`FundSource`]s and their kinds of
//! income, the year's [`Budget`], the [`Ledger`] of immutable postings with caller-supplied
//! ids (replaying an id never pays twice), earmark rules from the policy (which source may
//! pay which aid category and archive tier; which payment channels are allowed), no
//! overdraft, the [year close](Ledger::close) with approved carry-over, and the
//! [`Statement`] with arrival and execution rates, as JSON (serde) or a text table in 万元.
//!
//! Every refused operation is a [`FundingError`] with a stable code and changes nothing.
//!
//! ```
//! use bangfu_core::{Coded, Money, Year};
//! use bangfu_funding::{FundSource, FundingPolicy, Income, IncomeKind, Ledger, PostingId};
//! # let policy: FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
//! let mut ledger = Ledger::new(Year::new(2018)?, policy);
//! let late = Income::new(PostingId::new("i-1")?, chrono::NaiveDate::from_ymd_opt(2019, 1, 2).unwrap(),
//!     FundSource::CentralFiscal, IncomeKind::Allocation, Money::from_yuan(5)?);
//! assert_eq!(ledger.post(late.into()).unwrap_err().code(), "funding.date_outside_year");
//! assert!(ledger.postings().is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The design note is the crate's `DESIGN.md`, rendered as [`_design`].

mod budget;
mod close;
mod error;
mod keep;
mod ledger;
mod policy;
mod posting;
mod render;
mod source;
mod statement;

pub use budget::{Budget, CarryoverApproval};
pub use close::{CarryoverStatus, SourceClose, YearClose};
pub use error::FundingError;
pub use keep::{Folded, Keep, Postings, Recall, Recalled};
pub use ledger::{Ledger, PostOutcome, Receipt};
pub use policy::{Earmark, FundingPolicy};
pub use posting::{
    CampaignId, Disbursement, Income, Posting, PostingId, Reversal, standing_payments,
};
pub use source::{FundSource, IncomeKind};
pub use statement::{
    CampaignLine, CategoryLine, IncomeComponent, RateFigure, ReversalLine, Reversed,
    ReversedPosting, SourceLine, Statement, StatementOptions, Totals, counted_in, is_campaign,
};

/// The error type of this crate.
pub type Error = FundingError;

/// A small funding section for examples and tests (not a real jurisdiction's rules): central
/// fiscal funds for living, medical and education aid of national-tier files, provincial
/// union funds for any category and tier, payment by union member card only, carry-over by
/// approval.
///
/// ```
/// let p: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
/// assert_eq!(p.sources.len(), 2);
/// # Ok::<(), toml::de::Error>(())
/// ```
pub const EXAMPLE_POLICY: &str = r#"
[[sources.central_fiscal]]
from = "2018-01-01"
cite = "example"
value = { categories = ["living", "medical", "education"], tiers = ["national"] }

[[sources.provincial_union_funds]]
from = "2018-01-01"
cite = "example"
value = { categories = ["living", "medical", "education", "legal_aid", "vocational_training", "job_referral"], tiers = ["national", "provincial", "municipal", "grassroots"] }

[[allowed_channels]]
from = "2018-01-01"
cite = "example"
value = ["union_member_card"]

[[carryover_requires_approval]]
from = "2018-01-01"
cite = "example"
value = true

[[entry_window_months]]
from = "2018-01-01"
cite = "example"
value = 1
"#;

/// The Hainan 2018 `[funding]` section and its `[citations]`, as shipped in
/// `data/hainan-2018.toml` (the facade joins it with the other crates' sections into one
/// policy file).
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct File { funding: bangfu_funding::FundingPolicy }
/// let file: File = toml::from_str(bangfu_funding::HAINAN_2018_POLICY_TOML)?;
/// assert_eq!(file.funding.sources.len(), 4);
/// # Ok::<(), toml::de::Error>(())
/// ```
pub const HAINAN_2018_POLICY_TOML: &str = include_str!("../data/hainan-2018.toml");

/// The `[funding]` section and its `[citations]` of the example 2020+ jurisdiction, as
/// shipped in `data/example-2020.toml`.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct File { funding: bangfu_funding::FundingPolicy }
/// let file: File = toml::from_str(bangfu_funding::EXAMPLE_2020_POLICY_TOML)?;
/// assert_eq!(file.funding.sources.len(), 3);
/// # Ok::<(), toml::de::Error>(())
/// ```
pub const EXAMPLE_2020_POLICY_TOML: &str = include_str!("../data/example-2020.toml");

#[doc = include_str!("../DESIGN.md")]
pub mod _design {}

/// The README (the crates.io page), whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;
