//! 32 concurrent HTTP clients on one service: each sends its own operations and conflicting
//! payments of the same claims (other operation ids, other payment ids) and the same
//! operations again; exactly one payment of each claim is accepted, every other is refused
//! or a duplicate, and the store verifies (its balances are the replay's).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{examples, request, serve_fresh};
use serde_json::Value;

const CLIENTS: usize = 32;
const CLAIMS: usize = 4;

#[test]
fn thirty_two_clients_pay_each_claim_once() {
    let addr = serve_fresh("concurrency");
    // The documented income and household, then four claims of 1,000 out of pocket.
    for ex in examples()
        .iter()
        .filter(|e| e.path == "/v1/operations")
        .take(2)
    {
        let (status, body) = request(addr, "POST", "/v1/operations", ex.body.as_deref());
        assert_eq!(status, 201, "{body}");
    }
    for k in 0..CLAIMS {
        let claim = format!(
            r#"{{"v":1,"id":"claim-{k}","actor":"center-1","date":"2018-03-02","op":"claim","body":{{"id":"c-{k}","case":"DS-0012/1","household":"DS-0012","date":"2018-03-02","detail":{{"kind":"medical","applicant":"DS-0012-w","out_of_pocket":"1000.00"}}}}}}"#
        );
        let (status, body) = request(addr, "POST", "/v1/operations", Some(&claim));
        assert_eq!(status, 201, "{body}");
    }
    let threads: Vec<_> = (0..CLIENTS)
        .map(|t| {
            std::thread::spawn(move || {
                let mut accepted = Vec::new();
                // The second round sends the same lines again: duplicates, never a second
                // payment.
                for _round in 0..2 {
                    let batch: Vec<String> = (0..CLAIMS)
                        .map(|k| {
                            format!(
                                r#"{{"v":1,"id":"pay-{t}-{k}","actor":"finance-{t}","date":"2018-03-05","op":"pay","body":{{"id":"p-{t}-{k}","claim":"c-{k}","date":"2018-03-05","source":"provincial_union_funds","channel":"union_member_card"}}}}"#
                            )
                        })
                        .collect();
                    let body = format!("[{}]", batch.join(","));
                    let (status, text) = request(addr, "POST", "/v1/operations", Some(&body));
                    assert_eq!(status, 200, "{text}");
                    let v: Value = serde_json::from_str(&text).unwrap();
                    for r in v["results"].as_array().unwrap() {
                        match r["status"].as_str().unwrap() {
                            "accepted" => accepted.push(r["id"].as_str().unwrap().to_owned()),
                            "duplicate" | "refused" => {}
                            other => panic!("{other}: {r}"),
                        }
                    }
                }
                accepted
            })
        })
        .collect();
    let accepted: Vec<String> = threads
        .into_iter()
        .flat_map(|t| t.join().unwrap())
        .collect();
    assert_eq!(accepted.len(), CLAIMS, "one payment a claim: {accepted:?}");
    for k in 0..CLAIMS {
        let suffix = format!("-{k}");
        assert_eq!(
            accepted.iter().filter(|id| id.ends_with(&suffix)).count(),
            1,
            "claim c-{k}: {accepted:?}"
        );
    }
    let (_, text) = request(addr, "GET", "/v1/verify", None);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["verified"], true, "{text}");
    let (_, text) = request(addr, "GET", "/v1/statement", None);
    let v: Value = serde_json::from_str(&text).unwrap();
    // 50,000 in, four claims decided at 500 each (half of 1,000) paid once.
    assert_eq!(v["statement"]["totals"]["spent"], "2000.00", "{text}");
    assert_eq!(v["statement"]["totals"]["balance"], "48000.00", "{text}");
}
