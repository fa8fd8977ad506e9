//! End-to-end tests of bangfu live in `tests/`; this library is empty.
