//! Temporary aid (临时救助) end to end under the Hubei example policy (3,000 a person a year
//! after a major illness, disaster or accident of the worker, spouse, parents or children):
//! a year directory with `temporary-aid.jsonl` read and built, each decision explained with
//! the scheme's citation, the statement, figures and report, the JSON Lines request deciding
//! as the year decides, and the directory read back after a store exports it.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::collections::BTreeMap;

use bangfu::aid::Explain;
use bangfu::core::{AidCategory, Lang, Money};
use bangfu::jsonl::{Answer, Decider, OutputLine};
use bangfu::year::dir::YearDir;
use bangfu::year::temporary::TemporaryAidRecord;

const BUDGET: &str = "year = 2023\n[lines]\nprovincial_union_funds = \"60000.00\"\n";

const LEDGER: &str = r#"{"type":"income","id":"I-1","date":"2023-01-03","source":"provincial_union_funds","kind":"allocation","amount":"60000.00"}
"#;

/// Three workers: W-1 twice (the second claim limited by the cap), W-2 once paid above its
/// decision in the union's history (a finding), W-3 for an event the scheme does not list
/// (a sibling's illness: nothing).
const TEMPORARY: &str = r#"{"type":"claim","id":"T-1","worker":"W-1","id_number":"420106********1234","unit":"wuhan","date":"2023-02-01","event":"major_illness","relation":"parent","requested":"2000.00"}
{"type":"claim","id":"T-2","worker":"W-2","id_number":"420111********0021","unit":"wuhan","date":"2023-03-01","event":"disaster","relation":"worker","requested":"1500.00"}
{"type":"payment","id":"TP-2","claim":"T-2","date":"2023-03-10","source":"provincial_union_funds","channel":"union_member_card","amount":"1600.00","entered":"2023-03-10"}
{"type":"claim","id":"T-3","worker":"W-1","id_number":"420106********1234","unit":"wuhan","date":"2023-08-01","event":"accident","relation":"child","requested":"1800.00"}
"#;

const PAYMENTS: &str = r#"{"id":"TP-1","claim":"T-1","date":"2023-02-05","source":"provincial_union_funds","channel":"union_member_card","entered":"2023-02-05"}
{"id":"TP-3","claim":"T-3","date":"2023-08-05","source":"provincial_union_funds","channel":"union_member_card","entered":"2023-08-05"}
"#;

fn files() -> BTreeMap<String, Vec<u8>> {
    let mut f = BTreeMap::new();
    f.insert(
        "policy.toml".to_owned(),
        bangfu::hubei2023::POLICY_TOML.as_bytes().to_vec(),
    );
    f.insert("budget.toml".to_owned(), BUDGET.as_bytes().to_vec());
    f.insert("households.jsonl".to_owned(), Vec::new());
    f.insert("ledger.jsonl".to_owned(), LEDGER.as_bytes().to_vec());
    f.insert(
        "temporary-aid.jsonl".to_owned(),
        TEMPORARY.as_bytes().to_vec(),
    );
    f.insert("payments.jsonl".to_owned(), PAYMENTS.as_bytes().to_vec());
    f
}

fn yuan(s: &str) -> Money {
    s.parse().unwrap()
}

#[test]
fn the_hubei_year_decides_pays_and_reports_temporary_aid() {
    let year = YearDir::read(&files()).unwrap().build().unwrap().year;
    let decided: Vec<(String, Money, Money)> = year
        .temporary_claims()
        .map(|c| (c.record.id.to_string(), c.amount, c.paid))
        .collect();
    assert_eq!(
        decided,
        [
            ("T-1".to_owned(), yuan("2000.00"), yuan("2000.00")),
            ("T-2".to_owned(), yuan("1500.00"), yuan("1600.00")),
            // 3,000 a year less T-1's 2,000.
            ("T-3".to_owned(), yuan("1000.00"), yuan("1000.00")),
        ]
    );
    let f = year.temporary_figures().unwrap();
    assert_eq!((f.claims, f.payments.count, f.persons.count), (3, 3, 2));
    assert_eq!(f.amount, yuan("4600.00"));
    // Inside living aid in the statement; its own line after it.
    let st = year.statement().unwrap();
    assert_eq!(
        st.totals.category(AidCategory::Living).amount,
        yuan("4600.00")
    );
    assert_eq!(st.totals.spent, yuan("4600.00"));
    let line = bangfu::year::temporary::statement_line(&year, Lang::Zh).unwrap();
    assert_eq!(
        line,
        "其中临时救助（含在生活救助中，未建档职工）：4600.00 元，3 人次，2 人\n"
    );
    // The payment above its decision is a finding named with its posting.
    let defects = year.payments().defects;
    assert_eq!(defects.len(), 1);
    assert_eq!(
        (defects[0].posting.as_str(), defects[0].code.as_str()),
        ("TP-2", "year.over_standard")
    );
    let report = bangfu::year::temporary::report_section(&year, Lang::Zh).unwrap();
    assert!(report.contains("## 临时救助情况"), "{report}");
    assert!(report.contains("发放3人次、2人，金额4600.00元"), "{report}");
}

#[test]
fn each_decision_is_explained_with_the_scheme_and_json_lines_decides_the_same() {
    let mut dir = YearDir::read(&files()).unwrap();
    let records = std::mem::take(&mut dir.temporary);
    dir.payments.clear();
    let mut year = dir.build().unwrap().year;
    let decider_policy = bangfu::hubei2023::policy().unwrap();
    let decider = Decider::new(&decider_policy).unwrap();
    let mut paid: Vec<serde_json::Value> = Vec::new();
    for r in records {
        let TemporaryAidRecord::Claim(c) = r.record else {
            continue;
        };
        let d = year.temporary_claim_explained(c.clone()).unwrap();
        let ex = d.explanation.unwrap();
        assert!(
            ex.parameters
                .iter()
                .any(|p| p.cite.as_str() == "aid.hb.scheme.temporary"),
            "{ex:?}"
        );
        // The same claim as a JSON Lines request, with the year's temporary aid before it.
        let line = serde_json::json!({
            "kind": "temporary", "worker": {"key": c.worker},
            "claim": {"id": c.id, "date": c.date.to_string(), "event": c.event, "relation": c.relation, "requested": c.requested},
            "earlier_payments": paid,
        });
        let out = decider.decide_bytes(1, line.to_string().as_bytes(), Explain::Off);
        let Some(OutputLine::Decision(out)) = out else {
            panic!("{line}: {out:?}");
        };
        let Answer::Aid(a) = &out.decision else {
            panic!()
        };
        let bangfu::aid::Decision::Temporary(o) = a.as_ref() else {
            panic!()
        };
        assert_eq!(o.amount, d.amount, "{line}");
        assert_eq!(o.paid_this_year, d.paid_this_year, "{line}");
        paid.push(
            serde_json::json!({"claim": c.id, "date": c.date.to_string(), "category": "living",
            "aid_kind": "temporary", "person": c.worker, "amount": d.amount}),
        );
    }
    assert_eq!(paid.len(), 3);
}

#[test]
fn a_store_exports_the_directory_and_it_reads_back_the_same() {
    let files = files();
    let mut journal = bangfu_journal::Journal::import(
        bangfu_journal::MemoryStorage::default(),
        &files,
        &"import".parse().unwrap(),
    )
    .unwrap();
    let exported = journal.export().unwrap();
    assert_eq!(
        exported["temporary-aid.jsonl"],
        files["temporary-aid.jsonl"]
    );
    let back = YearDir::read(&exported).unwrap().build().unwrap().year;
    let year = YearDir::read(&files).unwrap().build().unwrap().year;
    assert_eq!(
        back.temporary_figures().unwrap(),
        year.temporary_figures().unwrap()
    );
    assert_eq!(back.statement().unwrap(), year.statement().unwrap());
    assert_eq!(back.payments(), year.payments());
}
