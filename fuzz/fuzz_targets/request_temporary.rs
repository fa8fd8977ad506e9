//! Fuzz target `request_temporary`: the check `bangfu_tests::fuzz_checks::request_temporary` on any bytes (the known
//! bugs of `KNOWN_BUGS` skipped, so that fuzzing goes on past them).
#![no_main]

libfuzzer_sys::fuzz_target!(
    init: bangfu_tests::fuzz_checks::skip_known_bugs(),
    |data: &[u8]| bangfu_tests::fuzz_checks::request_temporary(data)
);
