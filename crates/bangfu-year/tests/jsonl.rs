//! The JSON Lines interface: each example line decided or refused, explanations, the policy listing.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use bangfu_aid::Explain;
use bangfu_core::NaiveDate;
use bangfu_eligibility::{HardshipCategory, Household};
use bangfu_year::Policy;
use bangfu_year::in_force::*;
use bangfu_year::jsonl::*;
use serde_json::Value;

/// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}
use proptest::prelude::*;

fn policy() -> Policy {
    bangfu_data::hainan2018::policy().unwrap()
}

const EXAMPLES: &str = bangfu_aid::EXAMPLE_REQUESTS_JSONL;

fn eligibility_line(id: &str, date: &str) -> String {
    let h = serde_json::to_string(&Household::example().unwrap()).unwrap();
    format!(r#"{{"kind":"eligibility","id":"{id}","household":{h},"date":"{date}"}}"#)
}

/// Request lines with ids: the example requests and eligibility lines, good and bad.
fn lines() -> Vec<String> {
    let mut out: Vec<String> = EXAMPLES
        .lines()
        .enumerate()
        .map(|(i, l)| {
            let mut v: Value = serde_json::from_str(l).unwrap();
            v["id"] = Value::String(format!("ex-{i}"));
            v.to_string()
        })
        .collect();
    out.push(eligibility_line("el-1", "2018-03-01"));
    out.push(eligibility_line("el-2", "2016-03-01"));
    out.push(r#"{"id":"bad-1","kind":"medical","oops":1}"#.into());
    out
}

#[test]
fn each_example_line_is_decided_or_refused_with_its_code() {
    let p = policy();
    let eval = Decider::new(&p).unwrap();
    let out = eval.decide_str(EXAMPLES, Explain::Off);
    assert_eq!(out.len(), EXAMPLES.lines().count());
    let codes: Vec<Option<String>> = out
        .iter()
        .map(|o| match o {
            OutputLine::Error(e) => Some(e.error.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(codes[..6], [None, None, None, None, None, None]);
    assert_eq!(codes[6].as_deref(), Some("aid.file.not_payable"));
    assert_eq!(codes[7].as_deref(), Some("aid.request.unknown_kind"));
    for (i, o) in out.iter().enumerate() {
        assert_eq!(o.line(), i as u64 + 1);
        assert_eq!(OutputLine::from_json(&o.to_json()).unwrap(), *o);
    }
}

#[test]
fn eligibility_gives_category_reasons_and_cited_parameters() {
    let p = policy();
    let eval = Decider::new(&p).unwrap();
    let out = eval.decide_line(3, &eligibility_line("x", "2018-03-01"), Explain::Off);
    let OutputLine::Decision(d) = &out else {
        panic!("{out:?}")
    };
    assert_eq!((d.line, d.id.as_deref()), (3, Some("x")));
    let e = d.decision.eligibility().unwrap();
    assert_eq!(e.outcome, Verdict::Eligible);
    assert_eq!(e.category, Some(HardshipCategory::NearSubsistence));
    assert!(e.explanation.is_none());
    assert!(!e.parameters.is_empty());
    assert!(e.parameters.iter().all(|p| p.citation.is_some()));
    let json: Value = serde_json::from_str(&out.to_json()).unwrap();
    assert_eq!(json["kind"], "eligibility");
    assert_eq!(json["per_capita"]["monthly_display"], "500.00");
    let explained = eval.decide_line(3, &eligibility_line("x", "2018-03-01"), Explain::On);
    let OutputLine::Decision(x) = &explained else {
        panic!()
    };
    let xe = x.decision.eligibility().unwrap();
    assert!(!xe.explanation.as_ref().unwrap().steps.is_empty());
    assert_eq!(
        (xe.outcome, xe.category, &xe.reasons),
        (e.outcome, e.category, &e.reasons)
    );
}

#[test]
fn a_not_eligible_household_lists_every_reason() {
    let mut h = Household::example().unwrap();
    h.assets.homes = 2;
    h.documents.clear();
    let line = format!(
        r#"{{"kind":"eligibility","household":{},"date":"2018-03-01"}}"#,
        serde_json::to_string(&h).unwrap()
    );
    let p = policy();
    let out = Decider::new(&p)
        .unwrap()
        .decide_line(1, &line, Explain::Off);
    let OutputLine::Decision(d) = out else {
        panic!()
    };
    let e = d.decision.eligibility().unwrap();
    assert_eq!(e.outcome, Verdict::NotEligible);
    let codes: Vec<&str> = e.reasons.iter().map(|r| r.code.as_str()).collect();
    assert!(codes.contains(&"exclusion.multiple_homes"), "{codes:?}");
    assert!(codes.contains(&"missing.commitment_letter"), "{codes:?}");
    assert!(e.category.is_none());
}

#[test]
fn explain_never_changes_an_amount() {
    let p = policy();
    let eval = Decider::new(&p).unwrap();
    for (i, l) in EXAMPLES.lines().enumerate() {
        let off = eval.decide_line(i as u64 + 1, l, Explain::Off);
        let on = eval.decide_line(i as u64 + 1, l, Explain::On);
        let strip = |o: &OutputLine| {
            let mut v: Value = serde_json::from_str(&o.to_json()).unwrap();
            if let Some(m) = v.as_object_mut() {
                m.remove("explanation");
                if let Some(e) = m.get_mut("entitlement").and_then(Value::as_object_mut) {
                    e.remove("explanation");
                }
            }
            v
        };
        assert_eq!(strip(&off), strip(&on), "line {}", i + 1);
    }
}

#[test]
fn blank_and_non_utf8_lines() {
    let p = policy();
    let eval = Decider::new(&p).unwrap();
    assert!(eval.decide_bytes(1, b"  \r\n", Explain::Off).is_none());
    let bad = eval
        .decide_bytes(2, b"{\"kind\":\"\xff\"}\n", Explain::Off)
        .unwrap();
    let OutputLine::Error(e) = bad else { panic!() };
    assert_eq!((e.line, e.error.as_str()), (2, "read.syntax"));
}

#[test]
fn in_force_lists_dated_lists_and_bands() {
    let d = NaiveDate::from_ymd_opt(2021, 6, 1);
    let t = in_force(bangfu_data::example2020::POLICY_TOML, d).unwrap();
    let has = |p: &str| t.rows.iter().any(|r| r.parameter == p);
    assert!(has("eligibility.exclusions[multiple_homes]"));
    assert!(!has("eligibility.exclusions[controlling_shareholder]"));
    assert!(has("eligibility.schemes.bands[0]"));
    assert!(has("eligibility.school_age_bands[0]"));
    assert!(t.render_text().contains("[assumed: "));
    let scheme = t
        .rows
        .iter()
        .find(|r| r.parameter == "eligibility.schemes")
        .unwrap();
    assert!(scheme.value.contains("graded_2020"), "{}", scheme.value);
    assert!(t.citations.iter().any(|(_, c)| c.assumed));
    let text = bangfu_data::example2020::POLICY_TOML.replacen(
        "id = \"business\"\n",
        "id = \"business\"\nuntil = \"2020-12-31\"\n",
        1,
    );
    let t = in_force(&text, d).unwrap();
    assert!(
        !t.rows
            .iter()
            .any(|r| r.parameter == "eligibility.exclusions[business]")
    );
    let t = in_force(&text, NaiveDate::from_ymd_opt(2020, 12, 31)).unwrap();
    assert!(
        t.rows
            .iter()
            .any(|r| r.parameter == "eligibility.exclusions[business]")
    );
    let early = in_force(
        bangfu_data::example2020::POLICY_TOML,
        NaiveDate::from_ymd_opt(2017, 1, 1),
    )
    .unwrap();
    assert!(
        early
            .rows
            .iter()
            .any(|r| !r.in_force && r.parameter == "aid.medical.yearly_cap")
    );
}

#[test]
fn evaluator_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Decider<'_>>();
    check::<OutputLine>();
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(24)))]

    /// The output of a line does not depend on the other lines or their order: shuffled
    /// input gives, per id, the same output (less the line number).
    #[test]
    fn order_of_lines_does_not_matter(shuffled in Just(lines()).prop_shuffle()) {
        let p = policy();
        let eval = Decider::new(&p).unwrap();
        let by_id = |ls: &[String]| {
            let mut m = std::collections::BTreeMap::new();
            for o in eval.decide_str(&ls.join("\n"), Explain::Off) {
                let mut v: Value = serde_json::from_str(&o.to_json()).unwrap();
                let id = v["id"].as_str().unwrap().to_owned();
                v.as_object_mut().unwrap().remove("line");
                m.insert(id, v);
            }
            m
        };
        let original = by_id(&lines());
        prop_assert_eq!(original.len(), lines().len());
        prop_assert_eq!(by_id(&shuffled), original);
    }

    /// Generated medical requests (any cost in fen, any earlier claims of the year, any
    /// caller id): the request and its output line round-trip through JSON, the output
    /// echoes the line number and id, asking for an explanation changes nothing else, and
    /// the amount stays within the cap and the year's cost.
    #[test]
    fn generated_medical_lines_round_trip_and_explain_changes_nothing(
        cost in 0i64..5_000_000_000,
        earlier in proptest::collection::vec((0i64..3_000_000_000, 1u32..=28), 0..4),
        day in 1u32..=28,
        line in 1u64..1_000_000,
        id in "[a-z0-9-]{1,12}",
    ) {
        let fen = |f: i64| bangfu_core::Money::from_fen(f).unwrap().to_string();
        let earlier_claims: Vec<Value> = earlier
            .iter()
            .enumerate()
            .map(|(i, (c, d))| serde_json::json!({"id": format!("m-{i}"), "applicant": "p1",
                "date": format!("2018-01-{d:02}"), "out_of_pocket": fen(*c)}))
            .collect();
        let request = serde_json::json!({"kind": "medical", "id": id,
            "file": {"case": "HK-1/1", "household": "HK-1", "tier": "national",
                     "degree": "subsistence", "household_size": 3, "status": "active"},
            "claim": {"id": "m-x", "applicant": "p1", "date": format!("2018-06-{day:02}"),
                      "out_of_pocket": fen(cost)},
            "earlier_claims": earlier_claims});
        let text = request.to_string();
        let parsed = RequestLine::from_json(&text).unwrap();
        prop_assert_eq!(RequestLine::from_json(&parsed.to_json()).unwrap(), parsed.clone());
        prop_assert_eq!(parsed.id.as_deref(), Some(id.as_str()));

        let p = policy();
        let eval = Decider::new(&p).unwrap();
        let off = eval.decide_line(line, &text, Explain::Off);
        let on = eval.decide_line(line, &text, Explain::On);
        prop_assert_eq!(OutputLine::from_json(&off.to_json()).unwrap(), off.clone());
        prop_assert_eq!(OutputLine::from_json(&on.to_json()).unwrap(), on.clone());
        prop_assert_eq!((off.line(), off.id()), (line, Some(id.as_str())));
        let (OutputLine::Decision(a), OutputLine::Decision(b)) = (&off, &on) else {
            return Err(TestCaseError::fail(format!("refused: {}", off.to_json())));
        };
        let (Some(bangfu_aid::Decision::Medical(a)), Some(bangfu_aid::Decision::Medical(b))) =
            (a.decision.aid(), b.decision.aid())
        else {
            return Err(TestCaseError::fail("not a medical decision"));
        };
        prop_assert!(a.explanation.is_none() && b.explanation.is_some());
        prop_assert_eq!((a.amount, a.reasons, &a.order), (b.amount, b.reasons, &b.order));
        let cap = p.aid.medical.yearly_cap.at("cap", a.date).unwrap().value;
        prop_assert!(a.amount <= cap);
        // The earlier claims carry no payments, so this claim may pay for them too: the
        // bound is the year's cost, not this claim's.
        prop_assert!(a.amount.fen() <= cost + earlier.iter().map(|(c, _)| c).sum::<i64>());
    }
}

/// The fuzz corpus of request lines and the example requests, each file's lines.
fn corpus_lines() -> Vec<String> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../fuzz/corpus");
    let mut out: Vec<String> = lines();
    for dir in std::fs::read_dir(root).unwrap().flatten() {
        if !dir.file_name().to_string_lossy().starts_with("request_") {
            continue;
        }
        for f in std::fs::read_dir(dir.path()).unwrap().flatten() {
            let bytes = std::fs::read(f.path()).unwrap();
            out.extend(String::from_utf8_lossy(&bytes).lines().map(str::to_owned));
        }
    }
    out
}

/// What serde_json writes of each output line of `text` (the derived serialization of
/// [`OutputLine`]), each with its newline.
fn serde_lines(eval: &Decider<'_>, text: &str, explain: Explain) -> String {
    eval.decide_str(text, explain)
        .iter()
        .map(|o| serde_json::to_string(o).unwrap() + "\n")
        .collect()
}

/// The hand-written writer of `decide_lines` writes byte for byte what serde_json writes of
/// the same output lines, on the fuzz corpus's request lines (every kind, refused lines
/// too), explanations on and off.
#[test]
fn written_lines_are_serde_json_on_the_corpus() {
    let p = policy();
    let eval = Decider::new(&p).unwrap();
    let text = corpus_lines().join("\n");
    for explain in [Explain::Off, Explain::On] {
        let mut out = Vec::new();
        eval.decide_lines(1, text.as_bytes(), explain, &mut out);
        let expected = serde_lines(&eval, &text, explain);
        let written = String::from_utf8(out).unwrap();
        assert_eq!(written.lines().count(), expected.lines().count());
        for (w, e) in written.lines().zip(expected.lines()) {
            assert_eq!(w, e);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    /// Over generated lines of every kind (the example and corpus lines with any caller id,
    /// escapes and non-ASCII included, some made invalid), the hand-written writer writes
    /// byte for byte what serde_json writes of the same output lines.
    #[test]
    fn written_lines_are_serde_json(
        picks in proptest::collection::vec((any::<proptest::sample::Index>(), proptest::option::of(any::<String>()), any::<bool>()), 1..8),
        explain in any::<bool>(),
    ) {
        let pool = corpus_lines();
        let mut text = String::new();
        for (index, id, spoil) in &picks {
            let line = index.get(&pool);
            let line = match (serde_json::from_str::<Value>(line), id) {
                (Ok(Value::Object(mut m)), Some(id)) => {
                    m.insert("id".into(), Value::String(id.clone()));
                    if *spoil {
                        m.insert("colour".into(), Value::from(1));
                    }
                    Value::Object(m).to_string()
                }
                _ => line.clone(),
            };
            text.push_str(&line);
            text.push('\n');
        }
        let p = policy();
        let eval = Decider::new(&p).unwrap();
        let explain = if explain { Explain::On } else { Explain::Off };
        let mut out = Vec::new();
        eval.decide_lines(1, text.as_bytes(), explain, &mut out);
        prop_assert_eq!(String::from_utf8(out).unwrap(), serde_lines(&eval, &text, explain));
    }
}
