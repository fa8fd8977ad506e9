//! The `bangfu` command.

fn main() {}
