//! Integration tests of bangfu-scoring: one binary, one module per topic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]
// Tests build facts field by field from Default: the figure under test stands out.
#![allow(clippy::field_reassign_with_default)]

mod codes;
mod framework;
mod methods;
mod props;
mod sampling;
mod seed;
mod support;
