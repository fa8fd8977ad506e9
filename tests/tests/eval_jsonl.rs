//! The JSON Lines interface end to end: the examples of `docs/json-interface.md` are real,
//! every error code of its tables comes from a request line, and a run goes on after a bad
//! line.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::{BTreeMap, BTreeSet};

use bangfu::Policy;
use bangfu::aid::Explain;
use bangfu::jsonl::{Decider, OutputLine, RequestLine};
use serde_json::{Value, json};

const DOC: &str = include_str!("../../docs/json-interface.md");

/// The fenced blocks of the doc: (info string, body).
fn blocks() -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in DOC.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(info)) => current = Some((info.trim().to_owned(), String::new())),
            (Some(_), Some("")) => out.push(current.take().unwrap()),
            (Some((_, body)), _) => {
                body.push_str(line);
                body.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

fn hainan() -> Policy {
    bangfu::hainan2018::policy().unwrap()
}

fn as_value(o: &OutputLine) -> Value {
    serde_json::from_str(&o.to_json()).unwrap()
}

/// The doc with the bodies of some blocks (by index) replaced.
fn doc_with(replacements: &BTreeMap<usize, String>) -> String {
    let mut out = String::new();
    let (mut index, mut inside) = (0, false);
    for line in DOC.lines() {
        let fence = line.starts_with("```");
        if inside && fence && line.trim() == "```" {
            if let Some(body) = replacements.get(&index) {
                out.push_str(body);
            }
            inside = false;
            index += 1;
        } else if !inside && fence {
            inside = true;
        } else if inside && replacements.contains_key(&index) {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// Checks the doc's outputs; with `BANGFU_BLESS_DOCS=1` in the environment, rewrites them
/// from what eval gives instead (after a deliberate change of the data or the format).
#[test]
fn every_example_of_the_doc_is_what_eval_gives() {
    let bless = std::env::var_os("BANGFU_BLESS_DOCS").is_some();
    let mut replacements = BTreeMap::new();
    let policy = hainan();
    let eval = Decider::new(&policy).unwrap();
    // A request block may name another embedded policy: `json request --policy hubei-2023`.
    let hubei_policy = bangfu::hubei2023::policy().unwrap();
    let hubei = Decider::new(&hubei_policy).unwrap();
    let blocks = blocks();
    let mut checked = BTreeSet::new();
    for (i, (info, body)) in blocks.iter().enumerate() {
        let words: Vec<&str> = info.split_whitespace().collect();
        match words.as_slice() {
            ["json", "request", flags @ ..] => {
                let explain = if flags.contains(&"--explain") {
                    Explain::On
                } else {
                    Explain::Off
                };
                let request: Value = serde_json::from_str(body).unwrap();
                let (next_info, expected) = &blocks[i + 1];
                assert_eq!(
                    next_info, "json output",
                    "block {i}: no output after the request"
                );
                let eval = match flags {
                    [.., "--policy", "hubei-2023"] | ["--policy", "hubei-2023", ..] => &hubei,
                    _ => &eval,
                };
                let out = eval.decide_line(1, &request.to_string(), explain);
                replacements.insert(i + 1, serde_json::to_string_pretty(&out).unwrap() + "\n");
                let expected: Value = serde_json::from_str(expected).unwrap();
                if !bless {
                    assert_eq!(
                        as_value(&out),
                        expected,
                        "the doc's output for {request} is not eval's"
                    );
                }
                checked.insert(request["kind"].as_str().unwrap().to_owned());
            }
            ["jsonl", "input"] => {
                let (next_info, expected) = &blocks[i + 1];
                assert_eq!(next_info, "jsonl output");
                let out = eval.decide_str(body, Explain::Off);
                replacements.insert(i + 1, bangfu::jsonl::to_jsonl(&out));
                let got: Vec<Value> = out.iter().map(as_value).collect();
                let expected: Vec<Value> = expected
                    .lines()
                    .map(|l| serde_json::from_str(l).unwrap())
                    .collect();
                if !bless {
                    assert_eq!(got, expected);
                }
                checked.insert("errors".to_owned());
            }
            _ => {}
        }
    }
    let want: BTreeSet<String> = bangfu::jsonl::KINDS
        .iter()
        .map(|k| (*k).to_owned())
        .chain(["errors".to_owned()])
        .collect();
    assert_eq!(checked, want, "every kind has an example");
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/json-interface.md");
    if bless {
        std::fs::write(path, doc_with(&replacements)).unwrap();
    } else {
        // The outputs are written as eval writes them (pretty-printed), not only equal.
        assert_eq!(
            doc_with(&replacements),
            DOC,
            "run with BANGFU_BLESS_DOCS=1 to see the change"
        );
    }
}

/// The codes in the doc's error-code tables.
fn documented_codes() -> BTreeSet<String> {
    let tables = DOC.split("## Error codes").nth(1).unwrap();
    tables
        .lines()
        .filter_map(|l| l.strip_prefix("| `"))
        .filter_map(|l| l.split('`').next())
        .map(str::to_owned)
        .collect()
}

fn warmth() -> Value {
    json!({"kind": "sending_warmth", "id": "w",
        "file": {"case": "HK-3/1", "household": "HK-3", "tier": "national", "degree": "subsistence",
                 "household_size": 3, "status": "active"},
        "claim": {"id": "w-1", "date": "2018-02-01"}})
}

fn medical() -> Value {
    json!({"kind": "medical", "id": "m",
        "file": {"case": "HK-1/1", "household": "HK-1", "tier": "national", "degree": "subsistence",
                 "household_size": 3, "status": "active"},
        "claim": {"id": "m-2", "applicant": "p1", "date": "2018-09-01", "out_of_pocket": "30000.00"},
        "earlier_claims": [{"id": "m-1", "applicant": "p1", "date": "2018-03-01", "out_of_pocket": "10000.00"}],
        "earlier_payments": [{"claim": "m-1", "date": "2018-03-05", "category": "medical", "person": "p1", "amount": "5000.00"}]})
}

fn eligibility() -> Value {
    let h = serde_json::to_value(bangfu::eligibility::Household::example().unwrap()).unwrap();
    json!({"kind": "eligibility", "id": "e", "household": h, "date": "2018-03-01"})
}

fn with(mut v: Value, path: &[&str], x: Value) -> Value {
    let mut at = &mut v;
    for p in &path[..path.len() - 1] {
        at = match p.parse::<usize>() {
            Ok(i) => &mut at[i],
            Err(_) => &mut at[*p],
        };
    }
    let last = path[path.len() - 1];
    match at {
        Value::Object(m) if x.is_null() => {
            m.remove(last);
        }
        _ => at[last] = x,
    }
    v
}

/// One bad line per code (several for some), with the policy to run it under.
fn bad_lines() -> Vec<(&'static str, bool, String)> {
    let s = |v: Value| v.to_string();
    let example = true;
    let person = |p: &str| -> Vec<&str> {
        match p {
            "worker" => vec!["household", "worker", "person"],
            _ => vec!["household", "members", "0", "person"],
        }
    };
    let path = |base: Vec<&'static str>, more: &[&'static str]| -> Vec<&'static str> {
        base.into_iter().chain(more.iter().copied()).collect()
    };
    let worker_birth = eligibility()["household"]["worker"]["person"]["birth_date"].clone();
    let worker_number = eligibility()["household"]["worker"]["person"]["id_number"].clone();
    let duplicate = with(
        with(
            eligibility(),
            &path(person("spouse"), &["id_number"]),
            worker_number,
        ),
        &path(person("spouse"), &["birth_date"]),
        worker_birth,
    );
    vec![
        ("read.syntax", false, "{oops".into()),
        ("read.invalid_type", false, "[1, 2]".into()),
        (
            "read.invalid_type",
            false,
            s(with(warmth(), &["id"], json!(7))),
        ),
        (
            "core.date.malformed",
            false,
            s(with(warmth(), &["claim", "date"], json!("2018-02-30"))),
        ),
        (
            "read.duplicate_key",
            false,
            r#"{"kind":"lottery","kind":"lottery"}"#.into(),
        ),
        (
            "read.unknown_code",
            false,
            s(with(warmth(), &["file", "tier"], json!("galactic"))),
        ),
        (
            "aid.request.unknown_kind",
            false,
            r#"{"kind":"lottery"}"#.into(),
        ),
        (
            "read.unknown_field",
            false,
            s(with(warmth(), &["claim", "colour"], json!("red"))),
        ),
        (
            "read.unknown_field",
            false,
            s(with(eligibility(), &["colour"], json!("red"))),
        ),
        (
            "read.missing_field",
            false,
            s(with(warmth(), &["claim"], Value::Null)),
        ),
        ("read.missing_field", false, r#"{"id":"x"}"#.into()),
        (
            "core.money.negative",
            false,
            s(with(warmth(), &["claim", "requested"], json!("-800.00"))),
        ),
        (
            "eligibility.negative_income",
            false,
            s(with(
                eligibility(),
                &["household", "annual_income"],
                json!("-1.00"),
            )),
        ),
        (
            "core.money.too_precise",
            false,
            s(with(warmth(), &["claim", "requested"], json!("800.001"))),
        ),
        (
            "core.money.overflow",
            false,
            s(with(
                warmth(),
                &["claim", "requested"],
                json!("99999999999999999999.00"),
            )),
        ),
        (
            "aid.amount.overflow",
            false,
            s(with(
                with(
                    medical(),
                    &["earlier_claims", "0", "out_of_pocket"],
                    json!("90000000000000000.00"),
                ),
                &["claim", "out_of_pocket"],
                json!("90000000000000000.00"),
            )),
        ),
        (
            "core.money.malformed",
            false,
            s(with(warmth(), &["claim", "requested"], json!("lots"))),
        ),
        (
            "eligibility.invalid_id_number",
            false,
            s(with(
                eligibility(),
                &path(person("worker"), &["id_number"]),
                json!("123"),
            )),
        ),
        (
            "eligibility.unknown_relation",
            false,
            s(with(
                eligibility(),
                &["household", "members", "0", "relation"],
                json!("cousin"),
            )),
        ),
        (
            "eligibility.unknown_school_stage",
            false,
            s(with(
                eligibility(),
                &["household", "members", "1", "person", "school", "stage"],
                json!("cram_school"),
            )),
        ),
        (
            "eligibility.unknown_vehicle_kind",
            false,
            s(with(
                eligibility(),
                &["household", "assets", "vehicles"],
                json!([{"kind": "tank", "regular_use": true}]),
            )),
        ),
        (
            "aid.file.not_payable",
            false,
            s(with(warmth(), &["file", "status"], json!("exited"))),
        ),
        (
            "aid.file.not_payable",
            false,
            s(with(
                with(warmth(), &["file", "status"], Value::Null),
                &["file", "status_events"],
                json!([{"date": "2017-05-01", "status": "active"}, {"date": "2018-01-31", "status": "cancelled"}]),
            )),
        ),
        (
            "aid.file.status_missing",
            false,
            s(with(warmth(), &["file", "status"], Value::Null)),
        ),
        (
            "aid.file.status_conflict",
            false,
            s(with(
                warmth(),
                &["file", "status_events"],
                json!([{"date": "2018-01-01", "status": "exited"}]),
            )),
        ),
        (
            "aid.file.status_events_order",
            false,
            s(with(
                with(warmth(), &["file", "status"], Value::Null),
                &["file", "status_events"],
                json!([{"date": "2018-01-01", "status": "active"}, {"date": "2017-01-01", "status": "pending"}]),
            )),
        ),
        (
            "aid.file.unknown_degree",
            false,
            s(with(warmth(), &["file", "degree"], json!("deep"))),
        ),
        (
            "aid.file.zero_household_size",
            false,
            s(with(warmth(), &["file", "household_size"], json!(0))),
        ),
        (
            "aid.education.unknown_student",
            false,
            s(json!({"kind": "education", "file": warmth()["file"],
            "claim": {"id": "e-1", "date": "2018-09-01", "student": "nobody"}})),
        ),
        (
            "aid.parameter.not_in_force",
            false,
            s(with(warmth(), &["claim", "date"], json!("2017-02-01"))),
        ),
        (
            "aid.parameter.no_value_for_degree",
            example,
            s(with(
                with(warmth(), &["file", "degree"], json!("local")),
                &["claim", "date"],
                json!("2021-02-01"),
            )),
        ),
        (
            "aid.amount.required",
            example,
            s(json!({"kind": "living",
            "file": with(warmth(), &["file", "degree"], json!("local"))["file"],
            "claim": {"id": "l-1", "date": "2021-04-01"}})),
        ),
        (
            "aid.history.after_claim",
            false,
            s(with(
                medical(),
                &["earlier_claims", "0", "date"],
                json!("2018-12-01"),
            )),
        ),
        (
            "aid.history.missing_person",
            false,
            s(with(
                medical(),
                &["earlier_payments", "0", "person"],
                Value::Null,
            )),
        ),
        (
            "aid.request.applicant_required",
            false,
            s(
                json!({"kind": "remaining_entitlement", "file": warmth()["file"], "date": "2018-10-01"}),
            ),
        ),
        (
            "eligibility.birth_after_application",
            false,
            s(with(eligibility(), &["date"], json!("2001-01-01"))),
        ),
        (
            "eligibility.id_birth_mismatch",
            false,
            s(with(
                eligibility(),
                &path(person("worker"), &["birth_date"]),
                json!("1975-03-02"),
            )),
        ),
        ("eligibility.duplicate_person", false, s(duplicate)),
        (
            "core.parameter.not_in_force",
            false,
            s(with(eligibility(), &["date"], json!("2016-03-01"))),
        ),
    ]
}

#[test]
fn each_bad_line_gets_its_code_and_every_documented_code_is_produced() {
    let (hainan, example) = (hainan(), bangfu::example2020::policy().unwrap());
    let (h, e) = (
        Decider::new(&hainan).unwrap(),
        Decider::new(&example).unwrap(),
    );
    let mut produced = BTreeSet::new();
    for (i, (code, use_example, line)) in bad_lines().into_iter().enumerate() {
        let eval = if use_example { &e } else { &h };
        let n = i as u64 + 10;
        let out = eval.decide_line(n, &line, Explain::Off);
        let OutputLine::Error(err) = &out else {
            panic!("{code}: decided instead: {}\n{line}", out.to_json())
        };
        assert_eq!(err.error, code, "{line}\n{}", out.to_json());
        assert_eq!(err.line, n);
        assert!(!err.zh.is_empty() && !err.en.is_empty() && !err.message.is_empty());
        // A readable id is echoed even on an error line.
        if let Ok(v) = serde_json::from_str::<Value>(&line)
            && let Some(id) = v.get("id").and_then(Value::as_str)
        {
            assert_eq!(err.id.as_deref(), Some(id), "{code}");
        }
        produced.insert(code.to_owned());
    }
    assert_eq!(produced, documented_codes());
}

#[test]
fn a_run_goes_on_after_bad_lines() {
    let policy = hainan();
    let eval = Decider::new(&policy).unwrap();
    let good = warmth().to_string();
    let text = format!(
        "{good}\n{{oops\n\n{good}\n{}\n{good}",
        r#"{"kind":"lottery"}"#
    );
    let out = eval.decide_str(&text, Explain::Off);
    let lines: Vec<(u64, bool)> = out
        .iter()
        .map(|o| (o.line(), matches!(o, OutputLine::Decision(_))))
        .collect();
    assert_eq!(
        lines,
        [(1, true), (2, false), (4, true), (5, false), (6, true)]
    );
    // The good lines are decided alike wherever they stand.
    let strip = |o: &OutputLine| {
        let mut v = as_value(o);
        v.as_object_mut().unwrap().remove("line");
        v
    };
    assert_eq!(strip(&out[0]), strip(&out[2]));
    assert_eq!(strip(&out[0]), strip(&out[4]));
}

#[test]
fn the_policy_decides_the_amounts() {
    let (hainan, example) = (hainan(), bangfu::example2020::policy().unwrap());
    let line = with(
        with(warmth(), &["file", "degree"], json!("deep")),
        &["claim", "date"],
        json!("2021-02-01"),
    )
    .to_string();
    let under =
        |p: &Policy| as_value(&Decider::new(p).unwrap().decide_line(1, &line, Explain::Off));
    let standard = &example
        .aid
        .sending_warmth
        .standard
        .by_degree
        .iter()
        .find(|(k, _)| k.as_str() == "deep")
        .unwrap()
        .1;
    let expected = standard
        .at(
            "x",
            bangfu::core::NaiveDate::from_ymd_opt(2021, 2, 1).unwrap(),
        )
        .unwrap()
        .value;
    assert_eq!(under(&example)["amount"], expected.to_string());
    assert_eq!(under(&hainan)["error"], "aid.file.unknown_degree");
}

#[test]
fn request_and_output_lines_round_trip() {
    let policy = hainan();
    let eval = Decider::new(&policy).unwrap();
    for line in [warmth(), medical(), eligibility()] {
        let r = RequestLine::from_json(&line.to_string()).unwrap();
        assert_eq!(RequestLine::from_json(&r.to_json()).unwrap(), r);
        for explain in [Explain::Off, Explain::On] {
            let o = eval.decide_line(3, &line.to_string(), explain);
            assert!(matches!(o, OutputLine::Decision(_)));
            assert_eq!(OutputLine::from_json(&o.to_json()).unwrap(), o);
        }
    }
}
