//! End-to-end tests of bangfu live in `tests/`; this library holds what they share with the
//! fuzz targets of `fuzz/`: the checks each target runs on its input ([`fuzz_checks`]).

pub mod fuzz_checks;
