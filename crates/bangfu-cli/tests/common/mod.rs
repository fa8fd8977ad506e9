//! What the tests of the command share: running it, and a scratch directory.
#![allow(dead_code, clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;
use std::process::Command;

/// Runs `bangfu ARGS`: (exit code, standard output as bytes, standard error).
pub(crate) fn bangfu_bytes(args: &[&str]) -> (i32, Vec<u8>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_bangfu"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        out.stdout,
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// Runs `bangfu ARGS`: (exit code, standard output, standard error), both UTF-8.
pub(crate) fn bangfu(args: &[&str]) -> (i32, String, String) {
    let (code, out, err) = bangfu_bytes(args);
    (code, String::from_utf8(out).unwrap(), err)
}

/// A scratch directory of this test binary's run, named `what`, created.
pub(crate) fn scratch(what: &str) -> PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("bangfu-cli-{what}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
