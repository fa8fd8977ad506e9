//! End-to-end tests of bangfu live in `tests/`; this library is empty.

/// The repository's README, whose embedding example runs as a doctest (each crate's own
/// README is a doctest of that crate).
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctest;
