//! The service as `docs/service.md` shows it: every curl example run in order against a fresh
//! store on a free loopback port, each answer checked against the one shown and against its
//! schema; every example's request and shown answer validated against the generated schemas;
//! the OpenAPI document's references resolve.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;

use common::{examples, is_elided, request, schemas_of, serve_fresh, shown_in, validate};
use serde_json::Value;

/// Whether the answer says a request (or a line of a list) did not read: 400, or a result
/// or answer line with a reading code.
fn unreadable(status: u16, answer: &Value) -> bool {
    let reading =
        |c: &str| c.starts_with("read.") || c.starts_with("core.") || c == "journal.protocol";
    let lines = answer["results"]
        .as_array()
        .or(answer["answers"].as_array())
        .cloned()
        .unwrap_or_else(|| vec![answer.clone()]);
    status == 400
        || lines.iter().any(|l| {
            l["code"].as_str().is_some_and(reading) || l["error"].as_str().is_some_and(reading)
        })
}

/// A request the service reads validates against its schema; one it refuses as unreadable
/// (400, or a line of a list answered with a reading code) does not.
fn check_request(name: &str, body: &str, status: u16, answer: &Value) {
    let v: Value = serde_json::from_str(body).unwrap();
    match (validate(name, &v), unreadable(status, answer)) {
        (Ok(()), true) => panic!("{body}: refused as unreadable but valid under {name}"),
        (Err(e), false) => panic!("{body}: {e}"),
        _ => {}
    }
}

#[test]
fn the_documented_examples_answer_as_shown() {
    let addr = serve_fresh("doc");
    let examples = examples();
    assert!(examples.len() >= 15, "{} examples", examples.len());
    for ex in &examples {
        let (status, body) = request(addr, &ex.method, &ex.path, ex.body.as_deref());
        let what = format!("{} {}", ex.method, ex.path);
        assert_eq!(status, ex.status, "{what}: {body}");
        let actual: Value = serde_json::from_str(&body).unwrap();
        if let Err(e) = shown_in(&ex.answer, &actual) {
            panic!("{what}: the answer differs from the doc: {e}\n{body}");
        }
        let (req, answer) = schemas_of(&ex.method, &ex.path, status);
        if let (Some(name), Some(b)) = (req, &ex.body) {
            check_request(name, b, status, &actual);
        }
        if let Some(name) = answer {
            validate(name, &actual).unwrap_or_else(|e| panic!("{what}: {e}\n{body}"));
        }
        if status < 300 && ex.path != "/v1/openapi.json" && !ex.path.starts_with("/v1/schema/") {
            assert_eq!(actual["v"], 1, "{what}: every body carries v");
        }
    }
}

#[test]
fn every_documented_request_and_answer_validates() {
    let mut checked = 0;
    for ex in examples() {
        let (req, answer) = schemas_of(&ex.method, &ex.path, ex.status);
        if let (Some(name), Some(b)) = (req, &ex.body) {
            check_request(name, b, ex.status, &ex.answer);
            checked += 1;
        }
        // An answer the doc shortens ("…") is validated whole by the test above.
        if let Some(name) = answer.filter(|_| !is_elided(&ex.answer)) {
            validate(name, &ex.answer).unwrap_or_else(|e| panic!("{} answer: {e}", ex.path));
            checked += 1;
        }
    }
    assert!(checked >= 20, "{checked} documents checked");
}

#[test]
fn the_schemas_refuse_what_the_service_refuses() {
    // A line without its op, an unknown envelope field, a body for a close it does not take.
    for bad in [
        r#"{"v":1,"id":"x","actor":"a","date":"2018-01-01"}"#,
        r#"{"v":1,"id":"x","actor":"a","date":"2018-01-01","op":"close","colour":1}"#,
        r#"{"v":2,"id":"x","actor":"a","date":"2018-01-01","op":"close"}"#,
        r#"{"v":1,"id":"x","actor":"a","date":"2018-01-01","op":"pay"}"#,
        // The bodies are checked by the records' own schemas: money, dates, codes, fields.
        r#"{"v":1,"id":"x","actor":"a","date":"2018-01-01","op":"income","body":{"id":"i","date":"2018-01-01","source":"central_fiscal","kind":"allocation","amount":"5.001"}}"#,
        r#"{"v":1,"id":"x","actor":"a","date":"2018-01-01","op":"income","body":{"id":"i","date":"2018-01-01","source":"central_fiscal","kind":"allocation","amount":"-5.00"}}"#,
        r#"{"v":1,"id":"x","actor":"a","date":"2018-01-01","op":"income","body":{"id":"i","date":"2018-01-01","source":"the_moon","kind":"allocation","amount":"5.00"}}"#,
        r#"{"v":1,"id":"x","actor":"a","date":"2018-01-01","op":"pay","body":{"id":"p","claim":"c","date":"2018-01-01","source":"central_fiscal","channel":"union_member_card","colour":1}}"#,
        r#"{"v":1,"id":"x","actor":"a","date":"2018-01-01","op":"pay","body":{"id":"p p","claim":"c","date":"2018-01-01","source":"central_fiscal","channel":"union_member_card"}}"#,
        r#"{"v":1,"id":"x","actor":"a","date":"2018-01-01","op":"claim","body":{"id":"c","case":"k","household":"h","date":"2018-01-01","detail":{"kind":"medical","applicant":"a"}}}"#,
    ] {
        let v: Value = serde_json::from_str(bad).unwrap();
        assert!(validate("operations_request", &v).is_err(), "{bad}");
        // And the service refuses each as unreadable.
        let line = bangfu_journal::OpLine::from_json(bad);
        assert!(line.is_err(), "{bad} reads");
    }
    let refusal = serde_json::json!({"v": 1, "status": "accepted", "code": "x", "message": "y"});
    assert!(validate("refusal", &refusal).is_err());
}

#[test]
fn the_openapi_document_refers_to_its_schemas() {
    let doc = bangfu_serve::openapi();
    let text = doc.to_string();
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    for part in text.split("\"#/components/schemas/").skip(1) {
        let name = part.split('"').next().unwrap();
        assert!(schemas.contains_key(name), "unresolved {name}");
    }
    for path in [
        "/v1/decisions",
        "/v1/operations",
        "/v1/statement",
        "/v1/report",
        "/v1/verify",
        "/v1/files/{case}",
        "/v1/households/{id}/entitlement",
        "/v1/schema/{name}",
        "/v1/openapi.json",
    ] {
        assert!(doc["paths"][path].is_object(), "{path}");
    }
    // The document is valid JSON Schema 2020-12 in each of its schemas.
    for (name, s) in schemas {
        let mut s = s.clone();
        if let Value::Object(m) = &mut s {
            m.insert("$defs".into(), Value::Object(schemas.clone()));
        }
        let text = s.to_string().replace("#/components/schemas/", "#/$defs/");
        let s: Value = serde_json::from_str(&text).unwrap();
        jsonschema::draft202012::new(&s).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn id_numbers_never_leave_unmasked() {
    let addr = serve_fresh("mask");
    // File the documented household, then read everything that could show it.
    for ex in examples().iter().take(6) {
        request(addr, &ex.method, &ex.path, ex.body.as_deref());
    }
    // An eligibility decision on the household's facts.
    let record: Value = examples()
        .iter()
        .find(|e| {
            e.body
                .as_deref()
                .is_some_and(|b| b.contains("file_household"))
        })
        .map(|e| serde_json::from_str::<Value>(e.body.as_deref().unwrap()).unwrap())
        .unwrap();
    let ask = serde_json::json!({"kind": "eligibility", "id": "e-1", "household": record["body"]["household"], "date": "2018-03-01"});
    validate("decisions_request", &ask).unwrap();
    let (status, body) = request(addr, "POST", "/v1/decisions", Some(&ask.to_string()));
    assert_eq!(status, 200, "{body}");
    for id in [
        "460100197110100778",
        "460100197310050787",
        "460100193504300811",
    ] {
        assert!(!body.contains(id), "the decision shows {id}");
    }
    for path in [
        "/v1/files/DS-0012%2F1",
        "/v1/households/DS-0012/entitlement",
        "/v1/statement",
        "/v1/report",
        "/v1/verify",
    ] {
        let (_, body) = request(addr, "GET", path, None);
        for id in [
            "460100197110100778",
            "460100197310050787",
            "460100193504300811",
        ] {
            assert!(!body.contains(id), "{path} shows {id}");
        }
    }
}

#[test]
fn every_refusal_is_coded_json() {
    let addr = serve_fresh("refusals");
    for (method, path, body, status, code) in [
        (
            "GET",
            "/v1/report?format=pdf",
            None,
            400,
            "serve.bad_request",
        ),
        ("GET", "/v1/report?colour=1", None, 400, "serve.bad_request"),
        (
            "POST",
            "/v1/decisions?explain=maybe",
            Some("{}"),
            400,
            "serve.bad_request",
        ),
        (
            "GET",
            "/v1/households/H-1/entitlement?date=2018-02-30",
            None,
            400,
            "core.date.malformed",
        ),
        (
            "GET",
            "/v1/households/H-1/entitlement",
            None,
            404,
            "year.unknown_household",
        ),
        ("GET", "/v1/files/nobody", None, 404, "serve.unknown_case"),
        ("GET", "/v1/files/bad%20id", None, 400, "core.id.invalid"),
        (
            "GET",
            "/v1/schema/nothing",
            None,
            404,
            "serve.unknown_schema",
        ),
        ("POST", "/v1/operations", Some("{oops"), 400, "read.syntax"),
        ("POST", "/v1/decisions", Some("[1"), 400, "read.syntax"),
        (
            "PUT",
            "/v1/operations",
            Some("{}"),
            405,
            "serve.method_not_allowed",
        ),
    ] {
        let (got, text) = request(addr, method, path, body);
        let v: Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}: {text}"));
        assert_eq!(
            (got, v["code"].as_str()),
            (status, Some(code)),
            "{method} {path}: {text}"
        );
        validate("refusal", &v).unwrap();
    }
}

#[test]
fn every_operation_of_the_embedded_years_validates_against_the_operation_schema() {
    // Guinan 2019 holds the allocation decision, payment checks and self-inspection; Hainan
    // 2018 the rest. Every kind the journal applies from them validates as sent.
    let actor = bangfu_journal::AccountId::new("import").unwrap();
    let mut kinds = std::collections::BTreeSet::new();
    let mut compiled: Option<jsonschema::Validator> = None;
    for files in [
        bangfu_data::guinan2019::files(),
        bangfu_data::hainan2018::files(),
    ] {
        let ops = bangfu_journal::DirOperations::read(&files, &actor).unwrap();
        for line in &ops.lines {
            let v: Value = serde_json::from_str(&line.to_json()).unwrap();
            let validator = compiled.get_or_insert_with(|| {
                let schema = bangfu_serve::schema_named("operation").unwrap();
                jsonschema::draft202012::options()
                    .should_validate_formats(true)
                    .build(&schema)
                    .unwrap()
            });
            let errors: Vec<String> = validator.iter_errors(&v).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", line.id);
            kinds.insert(line.op.kind().code());
        }
    }
    for kind in ["allocation", "payment_check", "inspection"] {
        assert!(kinds.contains(kind), "{kind} not among {kinds:?}");
    }
}
