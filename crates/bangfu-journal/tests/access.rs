//! Who may do what: every (role, scope, operation) pair enumerated against the table of
//! `docs/journal.md`, written again here; a forbidden pair is refused with its code and
//! changes nothing. Tokens are kept only as their SHA-256; reads of personal data are logged.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use bangfu_core::{Coded, UnitId};
use bangfu_data::hainan2018 as hn;
use bangfu_journal::{
    Account, AccountRole, Journal, MemoryStorage, OpLine, Outcome, Setup, Storage,
};

const UNITS: &str = r#"
[[unit]]
id = "center"
name = "海南省职工服务（帮扶）中心"
[[unit]]
id = "hainan-reclamation"
parent = "center"
[[unit]]
id = "finance-trade-tourism-tobacco"
parent = "center"
[[unit]]
id = "agri-forestry-water-transport"
parent = "center"
[[unit]]
id = "machinery-energy-petrochem-pharma"
parent = "center"
[[unit]]
id = "provincial-organs"
parent = "center"
[[unit]]
id = "former-industry-commerce"
parent = "center"
[[unit]]
id = "former-local-tax"
parent = "center"
"#;

const ROLES: [AccountRole; 6] = [
    AccountRole::GrassrootsUnion,
    AccountRole::IndustrialUnion,
    AccountRole::AidCenter,
    AccountRole::Finance,
    AccountRole::Evaluator,
    AccountRole::Auditor,
];

/// The test's own copy of the table: which roles may apply which kind.
fn may(role: AccountRole, kind: &str) -> bool {
    use AccountRole::*;
    match kind {
        "file_household" | "claim" | "visit" | "case_event" => {
            matches!(role, GrassrootsUnion | IndustrialUnion | AidCenter)
        }
        "income" | "order" | "approve" | "reject" | "record" | "reverse" | "close" => {
            role == Finance
        }
        "report_file:judgements" => role == Evaluator,
        "report_file:report" | "allocation" | "inspection" => role == AidCenter,
        "payment_check" => matches!(role, Finance | AidCenter),
        "temporary:claim" => matches!(role, GrassrootsUnion | IndustrialUnion | AidCenter),
        "temporary:payment" => role == Finance,
        "pay" => false,
        other => panic!("{other}"),
    }
}

fn line(text: &str) -> OpLine {
    OpLine::from_json(text).unwrap()
}

/// A store with two households filed (one of the reclamation union, one of another unit),
/// income, a claim for each and an order waiting.
fn store() -> (
    Journal<MemoryStorage>,
    Vec<bangfu_year::records::HouseholdRecord>,
) {
    let budget = hn::BUDGET_TOML.split("# Seed, 二(二)3").next().unwrap();
    let setup = Setup::new(hn::POLICY_TOML, budget)
        .unwrap()
        .with_units(UNITS)
        .unwrap();
    let mut j = Journal::create(MemoryStorage::default(), setup).unwrap();
    let all = hn::households().unwrap();
    let pick = |unit: &str, nth: usize| {
        all.iter()
            .filter(|h| h.unit().as_str() == unit && h.withdrawal.is_none())
            .nth(nth)
            .unwrap()
            .clone()
    };
    let hs = vec![
        pick("hainan-reclamation", 0),
        pick("finance-trade-tourism-tobacco", 0),
        pick("hainan-reclamation", 1),
        pick("finance-trade-tourism-tobacco", 1),
    ];
    let mut lines = Vec::new();
    for h in hs.iter().take(2) {
        lines.push(Ok(OpLine {
            id: format!("file-{}", h.id()).parse().unwrap(),
            actor: "setup".parse().unwrap(),
            date: h.applied,
            op: bangfu_journal::Operation::FileHousehold(Box::new(h.clone())),
        }));
    }
    lines.push(Ok(line(
        r#"{"v":1,"id":"grant","actor":"setup","date":"2018-03-01","op":"income","body":{"id":"grant","date":"2018-03-01","source":"central_fiscal","kind":"allocation","amount":"100000.00"}}"#,
    )));
    for (k, h) in hs.iter().take(2).enumerate() {
        lines.push(Ok(line(&claim_line(
            &format!("setup-claim-{k}"),
            "setup",
            &format!("c-{k}"),
            h,
        ))));
    }
    lines.push(Ok(line(
        r#"{"v":1,"id":"setup-order","actor":"setup","date":"2018-03-02","op":"order","body":{"id":"p-0","claim":"c-0","date":"2018-03-02","source":"central_fiscal","channel":"union_member_card"}}"#,
    )));
    let out = j.apply_batch(lines).unwrap();
    assert!(out.iter().all(Outcome::is_applied), "{out:?}");
    (j, hs)
}

fn claim_line(
    id: &str,
    actor: &str,
    claim: &str,
    h: &bangfu_year::records::HouseholdRecord,
) -> String {
    format!(
        r#"{{"v":1,"id":"{id}","actor":"{actor}","date":"2018-03-02","op":"claim","body":{{"id":"{claim}","case":"{}","household":"{}","date":"2018-03-02","detail":{{"kind":"living","requested":"100.00"}}}}}}"#,
        h.case,
        h.id()
    )
}

/// One operation of each kind by `actor`, with the unit of the household it concerns.
fn samples(
    actor: &str,
    hs: &[bangfu_year::records::HouseholdRecord],
) -> Vec<(String, Option<UnitId>, OpLine)> {
    let mut out = Vec::new();
    for (k, h) in hs.iter().take(2).enumerate() {
        let unit = Some(h.unit().clone());
        let new = &hs[k + 2];
        out.push((
            "file_household".to_owned(),
            Some(new.unit().clone()),
            OpLine {
                id: format!("{actor}-file-{k}").parse().unwrap(),
                actor: actor.parse().unwrap(),
                date: new.applied,
                op: bangfu_journal::Operation::FileHousehold(Box::new(new.clone())),
            },
        ));
        out.push((
            "claim".to_owned(),
            unit.clone(),
            line(&claim_line(
                &format!("{actor}-claim-{k}"),
                actor,
                &format!("{actor}-c-{k}"),
                h,
            )),
        ));
        out.push((
            "visit".to_owned(),
            unit.clone(),
            line(&format!(
                r#"{{"v":1,"id":"{actor}-visit-{k}","actor":"{actor}","date":"2018-03-03","op":"visit","body":{{"household":"{}","unit":"{}","date":"2018-03-03","satisfied":true}}}}"#,
                h.id(),
                h.unit()
            )),
        ));
        out.push((
            "order".to_owned(),
            unit.clone(),
            line(&format!(
                r#"{{"v":1,"id":"{actor}-order-{k}","actor":"{actor}","date":"2018-03-03","op":"order","body":{{"id":"{actor}-p-{k}","claim":"c-{k}","date":"2018-03-03","source":"central_fiscal","channel":"union_member_card"}}}}"#
            )),
        ));
        out.push((
            "case_event".to_owned(),
            unit,
            line(&format!(
                r#"{{"v":1,"id":"{actor}-event-{k}","actor":"{actor}","date":"2018-03-04","op":"case_event","body":{{"case":"{}","change":{{"event":"review","by":{{"person":"{actor}","role":"aid_center"}},"date":"2018-03-04"}}}}}}"#,
                h.case
            )),
        ));
    }
    let plain = |kind: &str, op: &str, body: &str| {
        (
            kind.to_owned(),
            None,
            line(&format!(
                r#"{{"v":1,"id":"{actor}-{kind}","actor":"{actor}","date":"2018-03-05","op":"{op}","body":{body}}}"#
            )),
        )
    };
    out.push(plain("income", "income", &format!(r#"{{"id":"{actor}-in","date":"2018-03-05","source":"central_fiscal","kind":"interest","amount":"1.00"}}"#)));
    out.push(plain("reverse", "reverse", &format!(r#"{{"id":"{actor}-rev","date":"2018-03-05","reverses":"grant","source":"central_fiscal","amount":"100000.00","reason":"录入错误"}}"#)));
    out.push(plain("approve", "approve", r#"{"payment":"p-0"}"#));
    out.push(plain("reject", "reject", r#"{"payment":"p-0"}"#));
    out.push(plain("pay", "pay", &format!(r#"{{"id":"{actor}-pp","claim":"c-1","date":"2018-03-05","source":"central_fiscal","channel":"union_member_card"}}"#)));
    out.push(plain("record", "record", &format!(r#"{{"type":"income","id":"{actor}-rec","date":"2018-03-05","source":"central_fiscal","kind":"interest","amount":"1.00"}}"#)));
    out.push(plain("allocation", "allocation", r#"{"basis":"2018-01-04","total":"1.00","meeting":{"kind":"director_office","date":"2018-01-11","chair":"韦某","present":["韦某"],"resolution":"同意","minutes":"纪要〔2018〕1号"}}"#));
    out.push(plain(
        "payment_check",
        "payment_check",
        r#"{"type":"sample","date":"2018-03-05","by":"黄某","seed":7}"#,
    ));
    // A temporary-aid claim is scoped by the unit it names (Hainan has no temporary aid:
    // an allowed account is refused by the calculator, not by the access table).
    for (k, unit) in ["hainan-reclamation", "finance-trade-tourism-tobacco"]
        .into_iter()
        .enumerate()
    {
        out.push((
            "temporary:claim".to_owned(),
            Some(unit.parse().unwrap()),
            line(&format!(
                r#"{{"v":1,"id":"{actor}-tc-{k}","actor":"{actor}","date":"2018-03-05","op":"temporary","body":{{"type":"claim","id":"{actor}-t-{k}","worker":"W-1","id_number":"460100********1234","unit":"{unit}","date":"2018-03-05","event":"accident","relation":"worker","requested":"100.00"}}}}"#
            )),
        ));
    }
    out.push(plain("temporary:payment", "temporary", &format!(r#"{{"type":"payment","id":"{actor}-tp","claim":"t-0","date":"2018-03-05","source":"provincial_union_funds","channel":"union_member_card","amount":"1.00"}}"#)));
    out.push(plain("inspection", "inspection", &format!(r#"{{"type":"item","id":"{actor}-zc","date":"2018-03-05","problem":"台账不全","owner":"黄某","due":"2018-06-30"}}"#)));
    out.push(plain(
        "report_file:judgements",
        "report_file",
        &format!(
            r#"{{"file":"judgements.toml","text":{:?}}}"#,
            hn::JUDGEMENTS_TOML
        ),
    ));
    out.push(plain(
        "report_file:report",
        "report_file",
        &format!(r#"{{"file":"report.toml","text":{:?}}}"#, hn::REPORT_TOML),
    ));
    out
}

#[test]
fn every_forbidden_role_scope_and_operation_is_refused_and_changes_nothing() {
    let (base, hs) = store();
    let mut checked = 0;
    let mut refused = 0;
    for role in ROLES {
        for scope in ["center", "hainan-reclamation"] {
            let account = Account {
                id: format!("{}-{scope}", role.code()).parse().unwrap(),
                roles: vec![role],
                unit: scope.parse().unwrap(),
            };
            for (kind, unit, op) in samples(account.id.as_str(), &hs) {
                // Each pair on a fresh copy of the store.
                let mut j = clone_journal(&base);
                let before = (j.position(), j.storage_mut().projection().unwrap());
                let in_scope = unit
                    .as_ref()
                    .is_none_or(|u| scope == "center" || u.as_str() == scope);
                let out = j.apply_batch_as(&account, vec![Ok(op)]).unwrap();
                let code = match &out[0] {
                    Outcome::Refused { code, .. } => Some(*code),
                    _ => None,
                };
                checked += 1;
                if !may(role, &kind) {
                    assert_eq!(code, Some("journal.forbidden"), "{role:?} {scope} {kind}");
                } else if !in_scope {
                    assert_eq!(
                        code,
                        Some("journal.out_of_scope"),
                        "{role:?} {scope} {kind}"
                    );
                } else {
                    assert!(
                        !matches!(
                            code,
                            Some(
                                "journal.forbidden"
                                    | "journal.out_of_scope"
                                    | "journal.actor_mismatch"
                            )
                        ),
                        "{role:?} {scope} {kind}: {code:?}"
                    );
                    continue;
                }
                refused += 1;
                assert_eq!(
                    (j.position(), j.storage_mut().projection().unwrap()),
                    before
                );
                let log = j.storage_mut().refusals().unwrap();
                assert_eq!(log.last().map(|r| r.code.as_str()), code);
            }
        }
    }
    assert!(
        refused > 100 && checked > refused,
        "{refused} refused of {checked}"
    );
}

/// The same store again (the memory store clones).
fn clone_journal(j: &Journal<MemoryStorage>) -> Journal<MemoryStorage> {
    Journal::open(j.storage().clone()).unwrap()
}

#[test]
fn an_account_acts_only_in_its_own_name_and_the_maker_does_not_approve() {
    let (mut j, hs) = store();
    let center = Account {
        id: "center-1".parse().unwrap(),
        roles: vec![AccountRole::AidCenter],
        unit: "center".parse().unwrap(),
    };
    // A line in another's name.
    let other = line(&claim_line("x-1", "someone-else", "x-c-1", &hs[0]));
    let out = j.apply_batch_as(&center, vec![Ok(other)]).unwrap();
    assert!(matches!(
        out[0],
        Outcome::Refused {
            code: "journal.actor_mismatch",
            ..
        }
    ));
    // A case event by someone else, in the account's own line.
    let event = line(&format!(
        r#"{{"v":1,"id":"ev","actor":"center-1","date":"2018-03-04","op":"case_event","body":{{"case":"{}","change":{{"event":"review","by":{{"person":"another","role":"aid_center"}},"date":"2018-03-04"}}}}}}"#,
        hs[0].case
    ));
    let out = j.apply_batch_as(&center, vec![Ok(event)]).unwrap();
    assert!(matches!(
        out[0],
        Outcome::Refused {
            code: "journal.actor_mismatch",
            ..
        }
    ));
    // The maker of an order cannot approve it, the other finance officer can.
    let (f1, f2) = (finance("finance-1"), finance("finance-2"));
    let order = line(
        r#"{"v":1,"id":"o-1","actor":"finance-1","date":"2018-03-03","op":"order","body":{"id":"p-1","claim":"c-1","date":"2018-03-03","source":"central_fiscal","channel":"union_member_card"}}"#,
    );
    assert!(j.apply_batch_as(&f1, vec![Ok(order)]).unwrap()[0].is_applied());
    let approve = |who: &str| {
        line(&format!(
            r#"{{"v":1,"id":"a-{who}","actor":"{who}","date":"2018-03-04","op":"approve","body":{{"payment":"p-1"}}}}"#
        ))
    };
    let out = j
        .apply_batch_as(&f1, vec![Ok(approve("finance-1"))])
        .unwrap();
    assert!(matches!(
        out[0],
        Outcome::Refused {
            code: "journal.same_person",
            ..
        }
    ));
    assert!(
        j.apply_batch_as(&f2, vec![Ok(approve("finance-2"))])
            .unwrap()[0]
            .is_applied()
    );
}

fn finance(id: &str) -> Account {
    Account {
        id: id.parse().unwrap(),
        roles: vec![AccountRole::Finance],
        unit: "center".parse().unwrap(),
    }
}

#[test]
fn tokens_are_kept_hashed_and_reads_are_logged() {
    let (mut j, _) = store();
    let token = "0123456789abcdef0123456789abcdef";
    j.add_account(&finance("finance-1"), token).unwrap();
    assert_eq!(j.authenticate(token).unwrap().id.as_str(), "finance-1");
    let e = j.authenticate("not-a-token").unwrap_err();
    assert_eq!(e.code(), "journal.unauthenticated");
    let e = j.add_account(&finance("finance-1"), "another").unwrap_err();
    assert_eq!(e.code(), "journal.account_exists");
    let stored = j.storage_mut().accounts().unwrap();
    assert_eq!(stored[0].1, bangfu_year::sha256_hex(token.as_bytes()));
    assert!(!stored[0].1.contains(token));
    let auditor = Account {
        id: "auditor-1".parse().unwrap(),
        roles: vec![AccountRole::Auditor],
        unit: "center".parse().unwrap(),
    };
    assert!(auditor.sees_personal_data() && !finance("f").sees_personal_data());
    j.log_read(&auditor, "file", "HK-0001/1").unwrap();
    let reads = j.storage_mut().reads().unwrap();
    assert_eq!(
        (reads[0].account.as_str(), reads[0].subject.as_str()),
        ("auditor-1", "HK-0001/1")
    );
}

#[test]
fn a_store_without_accounts_refuses_a_unit_outside_the_tree_and_writes_nothing() {
    let (mut j, hs) = store();
    assert!(!j.has_accounts().unwrap());
    let (position, filed) = (j.position(), j.year().households().len());
    let mut outside = hs[2].clone();
    outside.household.worker.union_unit = "farm-7".parse().unwrap();
    let household = OpLine {
        id: "file-outside".parse().unwrap(),
        actor: "clerk".parse().unwrap(),
        date: outside.applied,
        op: bangfu_journal::Operation::FileHousehold(Box::new(outside)),
    };
    let visit = line(&format!(
        r#"{{"v":1,"id":"visit-outside","actor":"clerk","date":"2018-03-03","op":"visit","body":{{"household":"{}","unit":"farm-7","date":"2018-03-03","satisfied":true}}}}"#,
        hs[0].id()
    ));
    let payment = line(&format!(
        r#"{{"v":1,"id":"record-outside","actor":"clerk","date":"2018-03-03","op":"record","body":{{"type":"disbursement","id":"P-x","date":"2018-03-03","source":"central_fiscal","category":"living","household":"{}","tier":"national","channel":"union_member_card","amount":"10.00","unit":"farm-7"}}}}"#,
        hs[0].id()
    ));
    for op in [household, visit, payment] {
        match j.apply(op).unwrap() {
            Outcome::Refused { code, message, .. } => {
                assert_eq!(code, "tree.unknown_unit", "{message}");
                assert!(message.contains("farm-7"), "{message}");
            }
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        (j.position(), j.year().households().len()),
        (position, filed)
    );
    // A unit of the tree is filed as before.
    let inside = OpLine {
        id: "file-inside".parse().unwrap(),
        actor: "clerk".parse().unwrap(),
        date: hs[2].applied,
        op: bangfu_journal::Operation::FileHousehold(Box::new(hs[2].clone())),
    };
    assert!(j.apply(inside).unwrap().is_applied());
}
