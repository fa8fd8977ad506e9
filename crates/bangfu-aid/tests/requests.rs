//! Requests decided on their own from the history they carry.

use bangfu_aid::{Calculator, Decision, Explain, Reason, Request};
use bangfu_core::Coded;

use crate::common::*;

const FILE: &str = r#"{"case":"HK-1/1","household":"HK-1","tier":"national","degree":"subsistence","household_size":3,"status":"active","students":[{"person":"kid","stage":"undergraduate"}]}"#;

fn decide(line: &str) -> Result<Decision, bangfu_aid::AidError> {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    calc.decide(&Request::from_json(line)?, Explain::Off)
}

fn amount(d: &Decision) -> String {
    match d {
        Decision::Medical(o)
        | Decision::Living(o)
        | Decision::SendingWarmth(o)
        | Decision::Education(o) => o.amount.to_string(),
        other => panic!("not a claim decision: {other:?}"),
    }
}

#[test]
fn one_example_per_request_kind() {
    let rows = [
        (
            format!(
                r#"{{"kind":"medical","file":{FILE},"claim":{{"id":"m-1","applicant":"p1","date":"2018-05-01","out_of_pocket":"40000.00"}}}}"#
            ),
            "15000.00",
        ),
        (
            format!(
                r#"{{"kind":"living","file":{FILE},"claim":{{"id":"l-1","date":"2018-05-01","requested":"1000.00"}}}}"#
            ),
            "1000.00",
        ),
        (
            format!(
                r#"{{"kind":"sending_warmth","file":{FILE},"claim":{{"id":"w-1","date":"2018-02-01"}}}}"#
            ),
            "800.00",
        ),
        (
            format!(
                r#"{{"kind":"education","file":{FILE},"claim":{{"id":"e-1","date":"2018-09-01","student":"kid"}}}}"#
            ),
            "4000.00",
        ),
    ];
    for (line, want) in rows {
        let d = decide(&line).unwrap();
        assert_eq!(amount(&d), want, "{line}");
    }
    let line = format!(
        r#"{{"kind":"remaining_entitlement","file":{FILE},"date":"2018-06-01","applicant":"p1"}}"#
    );
    let Decision::RemainingEntitlement(e) = decide(&line).unwrap() else {
        panic!()
    };
    assert_eq!(e.entitlement.medical_remaining, yuan("15000"));
}

#[test]
fn december_and_next_january_are_capped_separately() {
    let dec = format!(
        r#"{{"kind":"medical","file":{FILE},"claim":{{"id":"m-12","applicant":"p1","date":"2018-12-20","out_of_pocket":"40000.00"}}}}"#
    );
    assert_eq!(amount(&decide(&dec).unwrap()), "15000.00");
    let jan = format!(
        r#"{{"kind":"medical","file":{FILE},"claim":{{"id":"m-13","applicant":"p1","date":"2019-01-05","out_of_pocket":"40000.00"}},
        "earlier_claims":[{{"id":"m-12","applicant":"p1","date":"2018-12-20","out_of_pocket":"40000.00"}}],
        "earlier_payments":[{{"claim":"m-12","date":"2018-12-28","category":"medical","person":"p1","amount":"15000.00"}}]}}"#
    );
    assert_eq!(amount(&decide(&jan).unwrap()), "15000.00");
    // The same history inside one year: nothing more, the cap was reached.
    let same_year = jan.replace("2019-01-05", "2018-12-30");
    let Decision::Medical(o) = decide(&same_year).unwrap() else {
        panic!()
    };
    assert_eq!(o.amount, bangfu_core::Money::ZERO);
    assert!(o.reasons.contains(Reason::MedicalCapReached));
    assert!(o.order.is_none());
}

#[test]
fn cap_per_applicant_ignores_other_members_history() {
    let line = format!(
        r#"{{"kind":"medical","file":{FILE},"claim":{{"id":"m-2","applicant":"p2","date":"2018-06-01","out_of_pocket":"10000.00"}},
        "earlier_claims":[{{"id":"m-1","applicant":"p1","date":"2018-03-01","out_of_pocket":"40000.00"}}],
        "earlier_payments":[{{"claim":"m-1","date":"2018-03-05","category":"medical","person":"p1","amount":"15000.00"}},
                            {{"claim":"l-1","date":"2018-03-05","category":"living","amount":"1000.00"}}]}}"#
    );
    assert_eq!(amount(&decide(&line).unwrap()), "5000.00");
    // Per household (the example file's setting) the other member's claims count.
    let example = load(EXAMPLE);
    let calc = Calculator::new(&example.aid).unwrap();
    let line = line
        .replace("2018-", "2020-")
        .replace("subsistence", "deep")
        .replace("\"15000.00\"", "\"20000.00\"");
    let d = calc
        .decide(&Request::from_json(&line).unwrap(), Explain::Off)
        .unwrap();
    assert_eq!(amount(&d), "0.00");
}

#[test]
fn education_once_a_year_from_history() {
    let line = format!(
        r#"{{"kind":"education","file":{FILE},"claim":{{"id":"e-2","date":"2018-10-01","student":"kid"}},
        "earlier_payments":[{{"claim":"e-1","date":"2018-09-01","category":"education","person":"kid","amount":"4000.00"}}]}}"#
    );
    let Decision::Education(o) = decide(&line).unwrap() else {
        panic!()
    };
    assert_eq!(o.amount.to_string(), "0.00");
    assert!(o.reasons.contains(Reason::EducationAlreadyPaid));
    // Next year pays again.
    let next = line.replace("2018-10-01", "2019-09-01");
    assert_eq!(amount(&decide(&next).unwrap()), "4000.00");
}

#[test]
fn living_history_counts_regular_living_aid_of_the_year() {
    // size 1: yearly standard 6000; 5640 paid earlier, sending warmth does not count.
    let file = FILE.replace("\"household_size\":3", "\"household_size\":1");
    let line = format!(
        r#"{{"kind":"living","file":{file},"claim":{{"id":"l-9","date":"2018-11-01","requested":"1000.00"}},
        "earlier_payments":[{{"claim":"l-1","date":"2018-03-01","category":"living","amount":"5640.00"}},
                            {{"claim":"w-1","date":"2018-02-01","category":"living","aid_kind":"sending_warmth","amount":"800.00"}},
                            {{"claim":"l-0","date":"2017-11-01","category":"living","amount":"6000.00"}}]}}"#
    );
    let Decision::Living(o) = decide(&line).unwrap() else {
        panic!()
    };
    assert_eq!(o.amount.to_string(), "360.00");
    assert!(o.reasons.contains(Reason::LivingYearlyCap));
}

#[test]
fn history_errors() {
    let later = format!(
        r#"{{"kind":"medical","file":{FILE},"claim":{{"id":"m-2","applicant":"p1","date":"2018-06-01","out_of_pocket":"10.00"}},
        "earlier_claims":[{{"id":"m-3","applicant":"p1","date":"2018-07-01","out_of_pocket":"10.00"}}]}}"#
    );
    assert_eq!(
        decide(&later).unwrap_err().code(),
        "aid.history.after_claim"
    );
    let nobody = format!(
        r#"{{"kind":"medical","file":{FILE},"claim":{{"id":"m-2","applicant":"p1","date":"2018-06-01","out_of_pocket":"10.00"}},
        "earlier_payments":[{{"claim":"m-1","date":"2018-03-01","category":"medical","amount":"5.00"}}]}}"#
    );
    assert_eq!(
        decide(&nobody).unwrap_err().code(),
        "aid.history.missing_person"
    );
    let no_applicant =
        format!(r#"{{"kind":"remaining_entitlement","file":{FILE},"date":"2018-06-01"}}"#);
    assert_eq!(
        decide(&no_applicant).unwrap_err().code(),
        "aid.request.applicant_required"
    );
    let exited = FILE.replace("\"status\":\"active\"", "\"status\":\"exited\"");
    let line = format!(
        r#"{{"kind":"medical","file":{exited},"claim":{{"id":"m-1","applicant":"p1","date":"2018-05-01","out_of_pocket":"40000.00"}}}}"#
    );
    assert_eq!(decide(&line).unwrap_err().code(), "aid.file.not_payable");
}

#[test]
fn decisions_do_not_depend_on_the_order_of_lines() {
    let lines = [
        format!(
            r#"{{"kind":"medical","file":{FILE},"claim":{{"id":"m-1","applicant":"p1","date":"2018-05-01","out_of_pocket":"40000.00"}}}}"#
        ),
        format!(
            r#"{{"kind":"sending_warmth","file":{FILE},"claim":{{"id":"w-1","date":"2018-02-01","requested":"950.00"}}}}"#
        ),
        format!(
            r#"{{"kind":"remaining_entitlement","file":{FILE},"date":"2018-06-01","applicant":"p1"}}"#
        ),
    ];
    let forward: Vec<_> = lines.iter().map(|l| decide(l).unwrap()).collect();
    let mut backward: Vec<_> = lines.iter().rev().map(|l| decide(l).unwrap()).collect();
    backward.reverse();
    assert_eq!(forward, backward);
    // And a decision line reads back as itself.
    for d in &forward {
        let json = serde_json::to_string(d).unwrap();
        assert_eq!(&serde_json::from_str::<Decision>(&json).unwrap(), d);
        assert!(json.starts_with("{\"kind\":"));
    }
}

/// `data/example-requests.jsonl`: one line per kind and two bad lines, for the JSON Lines
/// interface's documentation. Each line is decided on its own.
#[test]
fn example_request_lines() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let text = include_str!("../data/example-requests.jsonl");
    let got: Vec<Result<String, String>> = text
        .lines()
        .enumerate()
        .map(|(i, line)| {
            let r = Request::from_json(line).and_then(|r| calc.decide(&r, Explain::Off));
            match r {
                Ok(Decision::RemainingEntitlement(e)) => Ok(format!(
                    "{}/{:?}",
                    e.entitlement.medical_remaining,
                    e.entitlement.living_remaining.map(|m| m.to_string())
                )),
                Ok(d) => Ok(amount(&d)),
                Err(e) => Err(bangfu_aid::ErrorLine::new(i as u64 + 1, &e).code),
            }
        })
        .collect();
    let want: Vec<Result<String, String>> = vec![
        Ok("5000.00".into()),
        Ok("10000.00".into()),
        Ok("1600.00".into()),
        Ok("800.00".into()),
        Ok("4000.00".into()),
        Ok("0.00/Some(\"16800.00\")".into()), // 12 × 500 × 3 − 1200
        Err("aid.file.not_payable".into()),
        Err("aid.request.unknown_kind".into()),
    ];
    assert_eq!(got, want);
}
