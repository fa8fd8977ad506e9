//! Temporary aid (临时救助) through the service: the decision route takes the `temporary`
//! request kind, its JSON Schema is in the OpenAPI document, and the operations route takes
//! the `temporary` operation of a store under the Hubei policy.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{request, serve_fresh_with, validate};
use serde_json::{Value, json};

const BUDGET: &str = "year = 2023\n[lines]\nprovincial_union_funds = \"50000.00\"\n";

fn ask() -> Value {
    json!({"kind": "temporary", "id": "q-1",
        "worker": {"key": "W-7"},
        "claim": {"id": "t-2", "date": "2023-09-01", "event": "accident", "relation": "worker", "requested": "2500.00"},
        "earlier_payments": [{"claim": "t-1", "date": "2023-03-05", "category": "living", "aid_kind": "temporary", "person": "W-7", "amount": "1000.00"}]})
}

#[test]
fn the_decision_route_decides_a_temporary_request_with_its_schema() {
    let addr = serve_fresh_with("temporary", bangfu_data::hubei2023::POLICY_TOML, BUDGET);
    let body = ask();
    validate("decisions_request", &body).unwrap();
    let (status, text) = request(
        addr,
        "POST",
        "/v1/decisions?explain=true",
        Some(&body.to_string()),
    );
    assert_eq!(status, 200, "{text}");
    let answer: Value = serde_json::from_str(&text).unwrap();
    validate("decisions_response", &answer).unwrap();
    assert_eq!(answer["kind"], "temporary");
    assert_eq!(answer["amount"], "2000.00");
    assert_eq!(answer["paid_this_year"], "1000.00");
    assert_eq!(answer["reasons"][0], "aid.temporary.yearly_cap");
    assert_eq!(answer["cite"], "aid.hb.scheme.temporary");
    assert!(
        answer["explanation"]["steps"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
    );
    // A field the type does not have: refused by the schema and by the service alike.
    let mut bad = ask();
    bad["worker"]["id_number"] = "42010619800505001X".into();
    assert!(validate("decisions_request", &bad).is_err());
    let (status, text) = request(addr, "POST", "/v1/decisions", Some(&bad.to_string()));
    let answer: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        (status, answer["error"].as_str()),
        (400, Some("read.unknown_field")),
        "{text}"
    );
    assert!(!text.contains("42010619800505001X"));
    // The OpenAPI document has the request's schema and the operation's.
    let (_, doc) = request(addr, "GET", "/v1/openapi.json", None);
    assert!(doc.contains("TemporaryWorker") && doc.contains("TemporaryClaimRecord"));
    assert!(doc.contains("TemporaryAidRecord"));
}

#[test]
fn the_operations_route_takes_a_temporary_claim_and_its_payment() {
    let addr = serve_fresh_with("temporary-ops", bangfu_data::hubei2023::POLICY_TOML, BUDGET);
    let lines = [
        json!({"v": 1, "id": "op-1", "actor": "finance", "date": "2023-01-03", "op": "income",
            "body": {"id": "I-1", "date": "2023-01-03", "source": "provincial_union_funds", "kind": "allocation", "amount": "50000.00"}}),
        json!({"v": 1, "id": "op-2", "actor": "center", "date": "2023-03-01", "op": "temporary",
            "body": {"type": "claim", "id": "T-1", "worker": "W-1", "id_number": "420106********1234", "unit": "wuhan", "date": "2023-03-01", "event": "major_illness", "relation": "parent", "requested": "4000.00"}}),
        json!({"v": 1, "id": "op-3", "actor": "finance", "date": "2023-03-05", "op": "temporary",
            "body": {"type": "payment", "id": "TP-1", "claim": "T-1", "date": "2023-03-05", "source": "provincial_union_funds", "channel": "union_member_card", "amount": "3000.00"}}),
    ];
    for line in &lines {
        validate("operations_request", line).unwrap();
        let (status, text) = request(addr, "POST", "/v1/operations", Some(&line.to_string()));
        assert!((200..300).contains(&status), "{text}");
    }
    // A full ID number is refused by the schema and by the service, and never echoed.
    let full = json!({"v": 1, "id": "op-4", "actor": "center", "date": "2023-03-06", "op": "temporary",
        "body": {"type": "claim", "id": "T-2", "worker": "W-2", "id_number": "42010619800505001X", "unit": "wuhan", "date": "2023-03-06", "event": "accident", "relation": "worker", "requested": "1.00"}});
    let (status, text) = request(addr, "POST", "/v1/operations", Some(&full.to_string()));
    assert!((400..500).contains(&status), "{text}");
    assert!(text.contains("temporary.id_number_unmasked"), "{text}");
    assert!(!text.contains("42010619800505001X"), "{text}");
}
