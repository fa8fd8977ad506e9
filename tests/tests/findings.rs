//! Issue 13, part 1: one test per finding of the hostile-input review, each of which failed
//! before its fix. Codes come from types, never from caller text; no ID number leaves an error
//! unmasked; duplicate keys are refused everywhere; one date and money syntax; a byte order
//! mark is accepted in every file; every file error has its line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use bangfu::aid::Explain;
use bangfu::core::Coded;
use bangfu::jsonl::{Decider, OutputLine};
use serde_json::Value;

/// A valid eligibility request line, taken from the JSON interface's own example.
fn eligibility_line() -> Value {
    let doc = include_str!("../../docs/json-interface.md");
    let start = doc.find("```json request\n").unwrap() + "```json request\n".len();
    let end = start + doc[start..].find("\n```").unwrap();
    serde_json::from_str(&doc[start..end]).unwrap()
}

fn eval_one(line: &str) -> OutputLine {
    let policy = bangfu::hainan2018::policy().unwrap();
    let eval = Decider::new(&policy).unwrap();
    eval.decide_line(1, line, Explain::On)
}

fn error_of(line: &str) -> (String, String) {
    match eval_one(line) {
        OutputLine::Error(e) => (e.error.clone(), serde_json::to_string(&e).unwrap()),
        OutputLine::Decision(d) => panic!("decided: {d:?}"),
        _ => panic!("unknown output"),
    }
}

/// Every run of six or more digits in `text`.
fn digit_runs(text: &str) -> Vec<String> {
    let mut runs = Vec::new();
    let mut run = String::new();
    for c in text.chars().chain([' ']) {
        if c.is_ascii_digit() {
            run.push(c);
        } else {
            if run.len() >= 6 {
                runs.push(run.clone());
            }
            run.clear();
        }
    }
    runs
}

#[test]
fn an_id_number_written_as_a_json_number_never_comes_back() {
    let mut v = eligibility_line();
    v["household"]["worker"]["person"]["id_number"] = serde_json::json!(460100198205120020u64);
    let line = serde_json::to_string(&v).unwrap();
    assert!(line.contains("460100198205120020"));
    let (code, out) = error_of(&line);
    assert_eq!(code, "read.invalid_type");
    assert!(!out.contains("460100198205120020"), "{out}");
    assert!(!out.contains("198205120020"), "{out}");
}

#[test]
fn no_error_line_repeats_a_long_digit_run_of_the_caller() {
    // An ID number in every place a caller can put text: a key, a code, an id, an amount.
    let id = "460100198205120020";
    let mut lines = Vec::new();
    let mut v = eligibility_line();
    v["household"]["members"][0]["relation"] = Value::String(id.into());
    lines.push(serde_json::to_string(&v).unwrap());
    let mut v = eligibility_line();
    v["household"]["worker"]["person"][id] = Value::Bool(true);
    lines.push(serde_json::to_string(&v).unwrap());
    let mut v = eligibility_line();
    v["household"]["worker"]["person"]["annual_income"] = Value::String(format!("{id}.001"));
    lines.push(serde_json::to_string(&v).unwrap());
    let mut v = eligibility_line();
    v["household"]["id"] = Value::String(format!("{id} x"));
    lines.push(serde_json::to_string(&v).unwrap());
    lines.push(format!(r#"{{"kind":"{id}"}}"#));
    lines.push(format!(r#"{{"kind":"medical","{id}":1}}"#));
    lines.push(format!(r#"{{"kind":"medical" {id}"#));
    for line in lines {
        let (_, out) = error_of(&line);
        assert!(digit_runs(&out).is_empty(), "{out}");
    }
}

#[test]
fn a_caller_text_that_looks_like_a_code_never_chooses_the_code() {
    // A relation written as another error's code.
    let mut v = eligibility_line();
    v["household"]["members"][0]["relation"] = Value::String("eligibility.negative_income".into());
    let (code, _) = error_of(&serde_json::to_string(&v).unwrap());
    assert_eq!(code, "eligibility.unknown_relation");
    // A tier written as a money error's message.
    let mut v = eligibility_line();
    v["household"]["worker"]["person"]["health"] =
        serde_json::json!(["invalid money amount Negative"]);
    let (code, _) = error_of(&serde_json::to_string(&v).unwrap());
    assert_eq!(code, "read.unknown_code");
    // An unknown key named as an error code.
    let mut v = eligibility_line();
    v["household"]["eligibility.duplicate_person"] = Value::Bool(true);
    let (code, _) = error_of(&serde_json::to_string(&v).unwrap());
    assert_eq!(code, "read.unknown_field");
    // The same through an aid request.
    let line = r#"{"kind":"sending_warmth","file":{"case":"c","household":"h","tier":"aid.amount.negative","degree":"subsistence","household_size":1,"status":"active"},"claim":{"id":"w","date":"2018-02-01"}}"#;
    assert_eq!(error_of(line).0, "read.unknown_code");
    let line = r#"{"kind":"sending_warmth","core.money.negative":1,"file":{"case":"c","household":"h","tier":"national","degree":"subsistence","household_size":1,"status":"active"},"claim":{"id":"w","date":"2018-02-01"}}"#;
    assert_eq!(error_of(line).0, "read.unknown_field");
}

#[test]
fn duplicate_keys_are_refused_by_eval() {
    let line = r#"{"kind":"sending_warmth","file":{"case":"c","household":"h","tier":"national","degree":"subsistence","household_size":1,"status":"active"},"claim":{"id":"w","date":"2018-02-01","date":"2018-02-02"}}"#;
    assert_eq!(error_of(line).0, "read.duplicate_key");
    let line = r#"{"kind":"sending_warmth","kind":"medical","file":{"case":"c","household":"h","tier":"national","degree":"subsistence","household_size":1,"status":"active"},"claim":{"id":"w","date":"2018-02-01"}}"#;
    assert_eq!(error_of(line).0, "read.duplicate_key");
    let mut text = serde_json::to_string(&eligibility_line()).unwrap();
    text = text.replacen(r#""date":"#, r#""date":"2018-01-01","date":"#, 1);
    assert_eq!(error_of(&text).0, "read.duplicate_key");
}

#[test]
fn one_date_syntax_everywhere() {
    let warm = |date: &str| {
        format!(
            r#"{{"kind":"sending_warmth","file":{{"case":"c","household":"h","tier":"national","degree":"subsistence","household_size":1,"status":"active"}},"claim":{{"id":"w","date":"{date}"}}}}"#
        )
    };
    assert!(matches!(
        eval_one(&warm("2018-02-01")),
        OutputLine::Decision(_)
    ));
    for bad in [
        "2018-2-1",
        "+2018-02-01",
        "2018-02-01T00:00:00",
        "18-02-01",
        "2018-02-30",
    ] {
        assert_eq!(error_of(&warm(bad)).0, "core.date.malformed", "{bad}");
    }
    // The same in a ledger file.
    let posting = |date: &str| {
        format!(
            r#"{{"type":"income","id":"i-1","date":"{date}","source":"central_fiscal","kind":"allocation","amount":"100.00"}}"#
        )
    };
    assert!(bangfu::input::parse_ledger_jsonl(&posting("2018-01-05")).is_ok());
    for bad in ["2018-1-5", "+2018-01-05"] {
        let err = bangfu::input::parse_ledger_jsonl(&posting(bad)).unwrap_err();
        assert_eq!(
            (err.code(), err.line()),
            ("core.date.malformed", Some(1)),
            "{bad}"
        );
    }
}

#[test]
fn one_money_syntax_everywhere() {
    let posting = |amount: &str| {
        format!(
            r#"{{"type":"income","id":"i-1","date":"2018-01-05","source":"central_fiscal","kind":"allocation","amount":"{amount}"}}"#
        )
    };
    for bad in ["0005.00", "05", "+5", "5.", " 5"] {
        let err = bangfu::input::parse_ledger_jsonl(&posting(bad)).unwrap_err();
        assert_eq!(err.code(), "core.money.malformed", "{bad}");
    }
    assert!(bangfu::input::parse_ledger_jsonl(&posting("0.50")).is_ok());
}

#[test]
fn a_negative_amount_has_one_code_in_rust_and_in_json() {
    let rust = bangfu::core::Money::parse_yuan("-800.00").unwrap_err();
    let line = r#"{"kind":"sending_warmth","file":{"case":"c","household":"h","tier":"national","degree":"subsistence","household_size":1,"status":"active"},"claim":{"id":"w","date":"2018-02-01","requested":"-800.00"}}"#;
    assert_eq!(error_of(line).0, rust.code());
    assert_eq!(rust.code(), "core.money.negative");
    let request = bangfu::aid::Request::from_json(line).unwrap_err();
    assert_eq!(request.code(), rust.code());
}

#[test]
fn a_byte_order_mark_is_accepted_in_every_file() {
    let bom = |t: &str| format!("\u{feff}{t}");
    let policy = bangfu::hainan2018::POLICY_TOML;
    assert!(bangfu::Policy::from_toml(&bom(policy)).is_ok());
    assert!(bangfu::input::parse_budget_toml(&bom(bangfu::hainan2018::BUDGET_TOML)).is_ok());
    let ledger = bangfu::hainan2018::LEDGER_JSONL;
    assert_eq!(
        bangfu::input::parse_ledger_jsonl(&bom(ledger))
            .unwrap()
            .len(),
        bangfu::input::parse_ledger_jsonl(ledger).unwrap().len()
    );
    assert!(bangfu::in_force::in_force(&bom(policy), None).is_ok());
    let bytes = format!("\u{feff}{}", &ledger[..200]).into_bytes();
    assert!(bangfu::input::decode_utf8(&bytes).is_ok());
}

#[test]
fn every_file_error_has_its_line() {
    // Text that is not UTF-8: the line of the first bad byte.
    let err = bangfu::input::decode_utf8(b"a = 1\nb = 2\nc = \"\xff\"\n").unwrap_err();
    assert_eq!((err.code(), err.line()), ("read.syntax", Some(3)));
    // A policy rule error: the line of the section it is found in.
    let policy = bangfu::hainan2018::POLICY_TOML;
    let bad = policy.replacen("[eligibility]", "[eligibility]\n\n", 1);
    assert!(bangfu::Policy::from_toml(&bad).is_ok());
    let undefined = policy.replacen("cite = \"", "cite = \"no-such-", 1);
    let err = bangfu::Policy::from_toml(&undefined).unwrap_err();
    let line = undefined
        .lines()
        .position(|l| l.contains("no-such-"))
        .unwrap()
        + 1;
    assert_eq!(
        (err.code(), err.line()),
        ("policy.unknown_citation", Some(line))
    );
}

#[test]
fn a_policy_rule_error_names_its_line() {
    // A sending-warmth range whose minimum is above its maximum: the line of its table.
    let policy = bangfu::hainan2018::POLICY_TOML;
    let bad = policy.replacen("min = \"800.00\"", "min = \"1800.00\"", 1);
    assert_ne!(bad, policy);
    let err = bangfu::Policy::from_toml(&bad).unwrap_err();
    let table = bad
        .lines()
        .position(|l| l.trim() == "[[aid.sending_warmth.range.default]]")
        .unwrap()
        + 1;
    assert_eq!(
        (err.code(), err.line()),
        ("aid.policy.invalid", Some(table))
    );
}
