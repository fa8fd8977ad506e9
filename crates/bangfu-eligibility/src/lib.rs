//! Placeholder: this crate is built under its issue.
