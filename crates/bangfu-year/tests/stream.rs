//! A year directory read line by line (`YearDir::stream`) gives the year, or the problems,
//! of the whole reading (`YearDir::read` then `build`): on the embedded years, on a file out
//! of date order (read whole instead), and on random damage to the files.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use bangfu_year::dir::{BuiltYear, Problem, RecordStream, YearDir};
use bangfu_year::evaluation::FrameworkChoice;
use proptest::prelude::*;

type Files = BTreeMap<String, Vec<u8>>;

/// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn whole(files: &Files) -> Result<BuiltYear, Vec<Problem>> {
    YearDir::read(files)?.build()
}

/// What a built year shows: its postings, its closed statement, the payments' figures and,
/// when the report's files are there, the whole evaluation.
fn shown(built: &BuiltYear) -> String {
    let statement = built.year.closed_statement().map(|(_, s)| s);
    let evaluation = built
        .missing_for_report()
        .is_empty()
        .then(|| built.evaluate(FrameworkChoice::SelfEvaluation));
    format!(
        "{:?}\n{statement:?}\n{:?}\n{evaluation:?}",
        built.year.ledger().postings(),
        built.year.payments()
    )
}

/// Both ways of reading `files`, as text: the year shown, or the problems.
fn both(files: &Files) -> (String, String) {
    let show = |r: Result<BuiltYear, Vec<Problem>>| match r {
        Ok(b) => shown(&b),
        Err(p) => format!("{p:#?}"),
    };
    let mut taken = 0;
    let streamed = YearDir::stream(files, &mut |n| taken += n);
    let stream = RecordStream::open(files, None, None);
    let state = stream.state();
    stream.for_each(drop);
    // Progress adds up to every record taken (counted again when a file out of date order
    // makes the directory read whole).
    if let (Ok(dir), Ok(_), None) = (YearDir::read(files), &streamed, state.not_in_date_order()) {
        assert_eq!(taken, dir.records(), "progress adds up to every record");
    }
    (show(streamed), show(whole(files)))
}

#[test]
fn the_embedded_years_stream_as_they_read_whole() {
    for files in [
        bangfu_data::hainan2018::files(),
        bangfu_data::guinan2019::files(),
    ] {
        let (streamed, read) = both(&files);
        assert!(!streamed.starts_with("[\n    Problem"), "{streamed}");
        assert_eq!(streamed, read);
    }
}

#[test]
fn the_record_stream_takes_the_years_order() {
    let files = bangfu_data::guinan2019::files();
    let dir = YearDir::read(&files).unwrap();
    let allocation = dir.oversight.allocation.clone();
    let (_, whole) = dir.into_records();
    let stream = RecordStream::open(&files, allocation, None);
    let state = stream.state();
    let streamed: Vec<_> = stream.collect();
    assert!(!state.failed());
    assert_eq!(streamed, whole);
}

/// The lines of a file, each with its ending.
fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|b| *b == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

#[test]
fn a_file_out_of_date_order_is_read_whole() {
    let mut files = bangfu_data::guinan2019::files();
    let claims = files.get_mut("claims.jsonl").unwrap();
    let mut l = lines(claims);
    let last = l.pop().unwrap();
    l.insert(0, last);
    *claims = l.concat();
    let stream = RecordStream::open(&files, None, None);
    let state = stream.state();
    stream.for_each(drop);
    let unordered = state.not_in_date_order().expect("found out of order");
    assert_eq!(unordered.file, "claims.jsonl");
    let (streamed, read) = both(&files);
    assert_eq!(streamed, read);
}

#[test]
fn problems_come_in_the_whole_readings_order() {
    let mut files = bangfu_data::hainan2018::files();
    let mut survey = lines(&files["survey.jsonl"]);
    survey[3] = b"{\"not\": \"a visit\"}\n".to_vec();
    files.insert("survey.jsonl".into(), survey.concat());
    let mut households = lines(&files["households.jsonl"]);
    households[5] = b"not json\n".to_vec();
    let unit = String::from_utf8(households[7].clone()).unwrap();
    let unit = unit.replacen("\"union_unit\":\"", "\"union_unit\":\"NOWHERE-", 1);
    households[7] = unit.into_bytes();
    files.insert("households.jsonl".into(), households.concat());
    files.insert("stated.toml".into(), b"x = ".to_vec());
    let mut ledger = lines(&files["ledger.jsonl"]);
    ledger[10].insert(1, 0xff);
    files.insert("ledger.jsonl".into(), ledger.concat());
    let streamed = YearDir::stream(&files, &mut |_| {}).unwrap_err();
    let read = whole(&files).unwrap_err();
    assert_eq!(streamed, read);
    let at: Vec<_> = read.iter().map(|p| (p.file.as_str(), p.line)).collect();
    assert_eq!(
        at,
        [
            ("households.jsonl", 6),
            ("ledger.jsonl", 11),
            ("survey.jsonl", 4),
            ("stated.toml", 1),
            ("households.jsonl", 8),
        ]
    );
}

/// A damage done to one line of one file.
#[derive(Debug, Clone)]
enum Damage {
    /// The line replaced by text that is not a record.
    Garbage,
    /// A byte-order mark at the line's start.
    Bom,
    /// A byte that is not UTF-8 in the line.
    NotUtf8,
    /// The line removed.
    Removed,
    /// The line moved to the file's start.
    MovedFirst,
    /// A blank line and a carriage return added.
    Blank,
    /// A unit the tree does not have.
    Unit,
    /// An amount doubled (the rules may refuse it).
    Amount,
}

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        Just(Damage::Garbage),
        Just(Damage::Bom),
        Just(Damage::NotUtf8),
        Just(Damage::Removed),
        Just(Damage::MovedFirst),
        Just(Damage::Blank),
        Just(Damage::Unit),
        Just(Damage::Amount),
    ]
}

fn apply(files: &mut Files, file: &str, at: usize, d: &Damage) {
    let Some(bytes) = files.get(file) else {
        return;
    };
    let mut l = lines(bytes);
    if l.is_empty() {
        return;
    }
    let i = at % l.len();
    match d {
        Damage::Garbage => l[i] = b"{\"id\": 1\n".to_vec(),
        Damage::Bom => {
            l[i].splice(0..0, *b"\xef\xbb\xbf");
        }
        Damage::NotUtf8 => {
            let mid = l[i].len() / 2;
            l[i].insert(mid, 0xfe);
        }
        Damage::Removed => {
            l.remove(i);
        }
        Damage::MovedFirst => {
            let x = l.remove(i);
            l.insert(0, x);
        }
        Damage::Blank => {
            l.insert(i, b"  \r\n".to_vec());
        }
        Damage::Unit => {
            let t = String::from_utf8_lossy(&l[i]).replace("\"unit\":\"", "\"unit\":\"X-");
            let t = t.replace("\"union_unit\":\"", "\"union_unit\":\"X-");
            l[i] = t.into_bytes();
        }
        Damage::Amount => {
            let t = String::from_utf8_lossy(&l[i]).replace("\"amount\":\"", "\"amount\":\"9");
            l[i] = t.into_bytes();
        }
    }
    files.insert(file.to_owned(), l.concat());
}

const FILES: &[&str] = &[
    "households.jsonl",
    "applicants.jsonl",
    "case-events.jsonl",
    "claims.jsonl",
    "ledger.jsonl",
    "survey.jsonl",
    "payment-checks.jsonl",
    "self-inspection.jsonl",
    "units.toml",
    "allocation.toml",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(16)))]

    /// Whatever the damage, the stream builds the same year or finds the same problems, in
    /// the same order, as the whole reading.
    #[test]
    fn damaged_directories_stream_as_they_read_whole(
        damages in prop::collection::vec(
            (prop::sample::select(FILES), any::<usize>(), damage()), 1..4)
    ) {
        let mut files = bangfu_data::guinan2019::files();
        for (file, at, d) in &damages {
            apply(&mut files, file, *at, d);
        }
        let (streamed, read) = both(&files);
        prop_assert_eq!(streamed, read);
    }

    /// The same on the Hainan year, whose union tree refuses units it does not have.
    #[test]
    fn damaged_hainan_directories_stream_as_they_read_whole(
        damages in prop::collection::vec(
            (prop::sample::select(FILES), any::<usize>(), damage()), 1..3)
    ) {
        let mut files = bangfu_data::hainan2018::files();
        for (file, at, d) in &damages {
            apply(&mut files, file, *at, d);
        }
        let (streamed, read) = both(&files);
        prop_assert_eq!(streamed, read);
    }
}
