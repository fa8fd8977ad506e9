//! End-to-end tests of bangfu live in `tests/`; this library holds what they share with the
//! fuzz targets of `fuzz/`: the checks each target runs on its input ([`fuzz_checks`]).

pub mod fuzz_checks;

/// The repository's README, whose embedding example runs as a doctest (each crate's own
/// README is a doctest of that crate).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctest;
