//! # bangfu-year (帮扶年度)
//!
//! A union's programme year of hardship-worker aid (困难职工帮扶) through one path: the
//! records a union keeps ([`records`]), the policy file that wires the domain crates together
//! ([`Policy`]), the readers of its files ([`input`]), the step from a decision to a payment
//! ([`orders`]), the year's ledger, close and statement ([`YearRun`]), the performance
//! evaluation computed from the records ([`evaluation`]), the JSON Lines decision interface
//! other systems embed ([`jsonl`]), the listing of what a policy file has in force
//! ([`in_force`]) and a year's claims decided again under another policy file ([`whatif`]).
//!
//! The domain crates (`bangfu-funding`, `bangfu-eligibility`, `bangfu-aid`, `bangfu-scoring`)
//! know only `bangfu-core`; this crate wires them; nothing flows back up.
//!
//! ```
//! let policy = bangfu_year::Policy::from_toml(bangfu_data::hainan2018::POLICY_TOML)?;
//! assert_eq!(policy.meta.jurisdiction, "CN-HI");
//! # Ok::<(), bangfu_year::input::InputError>(())
//! ```
//!
//! The design note is the crate's `DESIGN.md`, rendered as [`_design`].

pub mod campaign;
pub mod dir;
pub mod evaluation;
pub mod in_force;
pub mod input;
pub mod jsonl;
pub mod orders;
pub mod oversight;
mod policy;
mod programme;
pub mod records;
pub mod rollup;
pub mod temporary;
pub mod tree;
pub mod whatif;
mod year;

pub use policy::{
    LEGACY_CITY, MINIMUM_STANDARD_CONFLICT, MINIMUM_STANDARD_MOVED, Policy, PolicyMeta,
    PolicyStamp, sha256_hex,
};
pub use programme::{
    ClaimOutcome, DecidedClaim, Defect, DefectKind, Payment, PaymentFigures, ProgrammeYear,
    ReplayError, YearError,
};
pub use year::{FoldedRun, YearRun};

/// The README (the crates.io page), whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;

/// The design note (`DESIGN.md`).
#[doc = include_str!("../DESIGN.md")]
pub mod _design {}
