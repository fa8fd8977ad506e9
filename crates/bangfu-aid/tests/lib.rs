//! Integration tests of bangfu-aid: one binary, one module per topic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
// Table tests spell their rows out as tuples.
#![allow(clippy::type_complexity)]

mod common;

mod batch;
mod caps;
mod codes;
mod entitlement;
mod fast;
mod hubei;
mod jurisdictions;
mod props;
mod requests;
mod worked;
