//! Integration tests of bangfu-eligibility, one binary.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
// Helpers are `pub` inside this one test binary.
#![allow(unreachable_pub)]

mod common;

mod case_file;
mod categories;
mod codes;
mod decision;
mod exclusions;
mod ids;
mod input;
mod model;
mod policy;
mod properties;
mod registry;
mod retention;
mod review;
mod screen;
