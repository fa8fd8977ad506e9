//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/*`) through the checks the
//! fuzz targets run (`bangfu_tests::fuzz_checks`), on stable Rust: whatever a fuzzing run
//! found and kept stays a test. Known failures (bugs found, their fix made elsewhere) are
//! listed in [`KNOWN`]: they must still fail, so the mark comes off when the fix lands.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::BTreeSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use bangfu_tests::fuzz_checks::TARGETS;

/// Corpus files that fail their check because of a known bug: (target, file, the issue).
/// Empty now: the three bugs fuzzing found (an ID number written as a JSON number echoed in
/// full, a rate whose percentage overflowed, an inverted period read from a file) are fixed,
/// and their reproducers stay in the corpus as `fixed-<bug id>`.
/// When the fix lands the file passes and this test fails until its line is removed here
/// (and the bug from `fuzz_checks::KNOWN_BUGS`, which the fuzz targets skip). Their files are
/// named `known-<bug id>`.
const KNOWN: &[(&str, &str, &str)] = &[];

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files of a target's corpus, sorted by name.
fn corpus(target: &str) -> Vec<PathBuf> {
    let dir = fuzz_dir().join("corpus").join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs a check, quietly: the panic's message, if it panicked.
fn run(check: fn(&[u8]), data: &[u8]) -> Option<String> {
    catch_unwind(AssertUnwindSafe(|| check(data)))
        .err()
        .map(|p| {
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| (*s).to_owned()))
                .unwrap_or_else(|| "(a panic without a message)".to_owned())
        })
}

#[test]
fn every_corpus_file_passes_its_check() {
    // The checks' panics are the failures collected below; keep their output short.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failures = Vec::new();
    let mut known_seen = BTreeSet::new();
    let mut files = 0;
    for (target, check) in TARGETS {
        for path in corpus(target) {
            files += 1;
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let data = std::fs::read(&path).unwrap();
            let known = KNOWN.iter().find(|(t, f, _)| t == target && *f == name);
            if name.starts_with("known-") && known.is_none() {
                failures.push(format!("{target}/{name} is not listed in KNOWN"));
            }
            match (run(*check, &data), known) {
                (None, None) => {}
                (Some(message), None) => {
                    let short: String = message.chars().take(400).collect();
                    failures.push(format!("{target}/{name}: {short}"));
                }
                (Some(_), Some(_)) => {
                    known_seen.insert((*target, name));
                }
                (None, Some((_, _, issue))) => failures.push(format!(
                    "{target}/{name} passes now: remove it from KNOWN (fixed: {issue})"
                )),
            }
        }
    }
    std::panic::set_hook(hook);
    for (target, file, _) in KNOWN {
        assert!(
            file.starts_with("known-"),
            "{target}/{file}: name it known-<bug id>"
        );
        if !known_seen.contains(&(*target, (*file).to_owned()))
            && !failures
                .iter()
                .any(|f| f.starts_with(&format!("{target}/{file} ")))
        {
            failures.push(format!("KNOWN lists {target}/{file}, not in the corpus"));
        }
    }
    assert!(files > 0, "no corpus");
    println!(
        "{files} corpus files of {} targets replayed, {} known failures",
        TARGETS.len(),
        known_seen.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {files} corpus files fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Every target has a corpus directory and a fuzz target, and nothing else is there.
#[test]
fn targets_corpus_and_fuzz_targets_agree() {
    let names: BTreeSet<String> = TARGETS.iter().map(|(n, _)| (*n).to_owned()).collect();
    let listed = |dir: &str, strip: &str| -> BTreeSet<String> {
        std::fs::read_dir(fuzz_dir().join(dir))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter_map(|n| n.strip_suffix(strip).map(str::to_owned))
            .collect()
    };
    assert_eq!(listed("corpus", ""), names, "fuzz/corpus/ directories");
    assert_eq!(
        listed("fuzz_targets", ".rs"),
        names,
        "fuzz/fuzz_targets/*.rs"
    );
    let manifest = std::fs::read_to_string(fuzz_dir().join("Cargo.toml")).unwrap();
    for name in &names {
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "fuzz/Cargo.toml has no [[bin]] {name}"
        );
    }
}
