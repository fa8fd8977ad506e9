//! A ledger file read line by line and folded (`FoldedRun`, `input::ledger_lines`) gives the
//! close and the statement of the whole reading (`parse_ledger_jsonl` then `YearRun::new`),
//! or refuses the same posting with the same code: on the Hainan ledger, and on random
//! damage to it (repeated, swapped, changed and broken lines, blank lines, CRLF, a BOM).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bangfu_core::Coded;
use bangfu_data::hainan2018 as hn;
use bangfu_year::input::{self, InputError};
use bangfu_year::{FoldedRun, YearRun};
use proptest::prelude::*;

/// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The code and the file line of an error; for the whole reading, a refusal's position is
/// turned into the line of that posting (its n-th non-blank line), as the command does.
fn located(e: &InputError, text: Option<&str>) -> (String, Option<usize>) {
    let line = match (e, text) {
        (InputError::Refused { line, .. }, Some(text)) if *line > 0 => text
            .strip_prefix('\u{feff}')
            .unwrap_or(text)
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .nth(line - 1)
            .map(|(i, _)| i + 1),
        _ => e.line(),
    };
    let code = match e {
        InputError::Refused { error, .. } => error.code().to_owned(),
        other => other.code().to_owned(),
    };
    (code, line)
}

/// The run of `text` written to a file and read from it by [`FoldedRun::from_path`] (the
/// ledger that reads postings again from the file).
fn from_file(text: &str) -> Result<FoldedRun, InputError> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "bangfu-folded-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("ledger.jsonl");
    std::fs::write(&path, text).unwrap();
    let run = FoldedRun::from_path(&hn::policy().unwrap(), &hn::budget().unwrap(), &path);
    std::fs::remove_dir_all(&dir).unwrap();
    run
}

/// The three readings of `text`, compared: whole, folded, and read again from the file.
fn compare(text: &str) -> Result<(), TestCaseError> {
    let (policy, budget) = (hn::policy().unwrap(), hn::budget().unwrap());
    let whole = input::parse_ledger_jsonl(text)
        .and_then(|postings| YearRun::new(&policy, &budget, postings));
    let folded = FoldedRun::new(&policy, &budget, input::ledger_lines(text.as_bytes()));
    // The ledger that reads its postings again from the file decides as the fold, line by
    // line: the same run, or the same code at the same line.
    match (&folded, from_file(text)) {
        (Ok(f), Ok(r)) => prop_assert_eq!(f, &r),
        (Err(f), Err(r)) => prop_assert_eq!(located(f, None), located(&r, None)),
        (f, r) => prop_assert!(
            false,
            "folded {:?}, from the file {:?}",
            f.is_ok(),
            r.is_ok()
        ),
    }
    match (whole, folded) {
        (Ok(w), Ok(f)) => {
            prop_assert_eq!(&f.statement, &w.statement);
            prop_assert_eq!(&f.close, &w.close);
            prop_assert_eq!(f.postings, w.ledger.postings().len());
        }
        (Err(w), Err(f)) => {
            // The first problem of the file in line order: the whole reading parses every
            // line before it posts, the fold posts each line as it reads it, so a line that
            // does not read after a refused posting is found by the whole reading only.
            let (wc, wl) = located(&w, Some(text));
            let (fc, fl) = located(&f, None);
            if matches!(w, InputError::Read { .. }) && matches!(f, InputError::Refused { .. }) {
                prop_assert!(
                    fl < wl,
                    "the fold refused line {:?} before line {:?} that does not read",
                    fl,
                    wl
                );
            } else {
                prop_assert_eq!((wc, wl), (fc, fl));
            }
        }
        (w, f) => prop_assert!(
            false,
            "whole {:?}, folded {:?}",
            w.map(|r| r.statement.totals.spent),
            f.map(|r| r.statement.totals.spent)
        ),
    }
    Ok(())
}

#[test]
fn the_hainan_ledger_folds_to_the_whole_years_statement_and_close() {
    let text = input::write_ledger_jsonl(&hn::ledger_records().unwrap());
    compare(&text).unwrap();
    let folded = FoldedRun::new(
        &hn::policy().unwrap(),
        &hn::budget().unwrap(),
        input::ledger_lines(text.as_bytes()),
    )
    .unwrap();
    // The seed's figure, computed from the records.
    assert_eq!(folded.statement.totals.spent.to_string(), "10837841.39");
}

#[test]
fn a_line_that_is_not_utf8_is_refused_with_its_line_and_column() {
    let mut bytes = b"\n".to_vec();
    bytes.extend_from_slice(b"{\"type\":\"income\",\"id\":\"\xff\"}\n");
    let e = FoldedRun::new(
        &hn::policy().unwrap(),
        &hn::budget().unwrap(),
        input::ledger_lines(bytes.as_slice()),
    )
    .unwrap_err();
    assert_eq!(e.line(), Some(2));
    assert_eq!(e.code(), "read.syntax");
}

/// One change to the ledger's lines.
#[derive(Debug, Clone)]
enum Damage {
    /// A line written twice (a repeat: taken once).
    Repeat(usize),
    /// Two lines swapped (a reversal or a payment may then come too early).
    Swap(usize, usize),
    /// A line's amount changed (an overdraft, a conflict with a repeat).
    Amount(usize, u32),
    /// A line cut short (does not read).
    Cut(usize, usize),
    /// A blank line inserted.
    Blank(usize),
}

fn damage() -> impl Strategy<Value = Damage> {
    let at = 0usize..8268;
    prop_oneof![
        at.clone().prop_map(Damage::Repeat),
        (at.clone(), at.clone()).prop_map(|(a, b)| Damage::Swap(a, b)),
        (at.clone(), 1u32..100_000_000).prop_map(|(a, f)| Damage::Amount(a, f)),
        (at.clone(), 0usize..200).prop_map(|(a, n)| Damage::Cut(a, n)),
        at.prop_map(Damage::Blank),
    ]
}

fn apply(lines: &mut Vec<String>, d: &Damage) {
    let n = lines.len();
    match *d {
        Damage::Repeat(a) => {
            let l = lines[a % n].clone();
            lines.insert(a % n, l);
        }
        Damage::Swap(a, b) => lines.swap(a % n, b % n),
        Damage::Amount(a, fen) => {
            let l = &mut lines[a % n];
            if let Some(i) = l.find("\"amount\":\"") {
                let start = i + "\"amount\":\"".len();
                if let Some(len) = l[start..].find('"') {
                    let amount = format!("{}.{:02}", fen / 100, fen % 100);
                    l.replace_range(start..start + len, &amount);
                }
            }
        }
        Damage::Cut(a, keep) => {
            let l = &mut lines[a % n];
            let mut k = keep.min(l.len());
            while !l.is_char_boundary(k) {
                k -= 1;
            }
            l.truncate(k);
        }
        Damage::Blank(a) => lines.insert(a % n, "   ".to_owned()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(24)))]

    #[test]
    fn a_damaged_ledger_folds_as_it_reads_whole(
        damages in proptest::collection::vec(damage(), 0..4),
        crlf in any::<bool>(),
        bom in any::<bool>(),
    ) {
        let text = input::write_ledger_jsonl(&hn::ledger_records().unwrap());
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        for d in &damages {
            apply(&mut lines, d);
        }
        let mut text = lines.join(if crlf { "\r\n" } else { "\n" });
        if bom {
            text.insert(0, '\u{feff}');
        }
        compare(&text)?;
    }
}
