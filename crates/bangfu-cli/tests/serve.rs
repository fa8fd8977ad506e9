//! `bangfu serve` driven through a whole small year by `tests/service_year.py` (Python's
//! standard library only), when `python3` is on the PATH; without it the test says so and
//! passes.
#![cfg(feature = "serve")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

#[test]
fn a_python_client_drives_a_whole_year() {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/service_year.py");
    let python = Command::new("python3").arg("--version").output();
    if !python.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: python3 is not on the PATH; tests/service_year.py not run");
        return;
    }
    let out = Command::new("python3")
        .arg(script)
        .arg(env!("CARGO_BIN_EXE_bangfu"))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" passed, 0 failed"), "{stdout}");
}
