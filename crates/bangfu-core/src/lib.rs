//! # bangfu-core
//!
//! The shared vocabulary of bangfu (帮扶): exact [`Money`] in fen, exact [`Rate`]s with named
//! [`RoundingRule`]s, calendar [`Year`]s, [`Period`]s and a [`WorkingCalendar`], validated
//! ids, [`Citation`]s, effective-dated parameter [`Timeline`]s, [`Explanation`]s, and the
//! [`Coded`] / [`Labelled`] traits that give every error and enumeration a stable code and
//! zh/en labels.
//!
//! Nothing here reads the clock, the environment, files or the network, and nothing uses
//! floating point.
//!
//! ```
//! use bangfu_core::{Money, Rate};
//! let received = Money::parse_wan("1125.074864")?;
//! let budget = Money::parse_wan("1100")?;
//! let arrival = Rate::ratio(received, budget)?;
//! assert_eq!(arrival.percent_display(2).to_string(), "102.28 %");
//! assert_eq!(arrival.min(Rate::ONE).percent_display(0).to_string(), "100 %");
//! # Ok::<(), bangfu_core::CoreError>(())
//! ```
//!
//! The design note is the crate's `DESIGN.md`, rendered as [`_design`].

mod calendar;
mod citation;
mod date;
mod error;
mod explain;
mod id;
pub mod json;
mod label;
mod money;
mod rate;
pub mod read;
mod rng;
mod schema;
mod standard;
mod timeline;
mod vocab;

pub use calendar::{CN_HOLIDAYS_TOML, Festival, HolidayFile, HolidayYear, WorkingCalendar};
pub use citation::{Citation, CitationRef, Citations};
pub use date::{Period, Year, iso_date, parse_date};
pub use error::{CoreError, MoneyParseProblem};
pub use explain::{Explanation, ExplanationText, ParameterUse, Step};
pub use id::{CaseId, CitationId, ClaimId, HouseholdId, PersonId, SharedId, UnitId, id_is_valid};
pub use label::{Coded, Labelled, Lang};
pub use money::{Money, Wan};
pub use rate::{Percent, Rate, RoundingRule, RoundingStrategy};
pub use rng::SplitMix64;
pub use standard::{
    CityCode, MINIMUM_STANDARD_EXAMPLE_2020_TOML, MINIMUM_STANDARD_HAINAN_2018_TOML,
    MINIMUM_STANDARD_HUBEI_2023_TOML, MINIMUM_STANDARD_PARAMETER, MinimumLivingStandard,
};
pub use timeline::{Dated, Timeline};
pub use vocab::{AidCategory, AidKind, ArchiveStatus, ArchiveTier, PaymentChannel, SchoolStage};

/// Re-exported so that callers and sibling crates name one version.
pub use chrono::NaiveDate;

pub use rust_decimal::Decimal;
/// schemars, for the JSON Schema impls of `define_id!` and `coded_enum!` (feature `schema`).
#[cfg(feature = "schema")]
#[doc(hidden)]
pub use schemars as __schemars;

#[doc = include_str!("../DESIGN.md")]
pub mod _design {}

/// The README (the crates.io page), whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;
