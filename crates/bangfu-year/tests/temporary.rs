//! Temporary aid (临时救助) as a record of the year (issue 14): claims of workers who are not
//! filed, decided once with the worker's year-to-date, paid through `ProgrammeYear::pay` or
//! recorded as history, read from `temporary-aid.jsonl`; each refusal with its code and
//! nothing changed; the findings of a recorded history.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::BTreeMap;

use bangfu_core::{Coded, Money, NaiveDate, PaymentChannel};
use bangfu_data::hubei2023 as hb;
use bangfu_funding::FundSource;
use bangfu_year::dir::{YearDir, YearRecord};
use bangfu_year::temporary::{TemporaryAidClaim, TemporaryAidRecord, TemporaryPaymentRecord};
use bangfu_year::{Payment, ProgrammeYear};

fn d(m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, m, day).unwrap()
}

fn yuan(s: &str) -> Money {
    s.parse().unwrap()
}

/// The full ID number of the filed worker (never written to a temporary-aid record).
fn filed_id_number() -> String {
    bangfu_eligibility::IdNumber::with_check_digit("42010619800505001")
        .unwrap()
        .expose()
        .to_owned()
}

/// One household filed in Wuhan from 2023-01-05, deep hardship, its worker `HB-0001-w`.
fn household_line() -> String {
    let mut v: serde_json::Value = serde_json::from_str(
        bangfu_data::guinan2019::HOUSEHOLDS_JSONL
            .lines()
            .next()
            .unwrap(),
    )
    .unwrap();
    v["case"] = "HB-0001/1".into();
    v["applied"] = "2023-01-05".into();
    v["category"] = "deep".into();
    let h = &mut v["household"];
    h["id"] = "HB-0001".into();
    h["members"] = serde_json::json!([]);
    h["annual_income"] = "6000.00".into();
    let w = &mut h["worker"];
    w["union_unit"] = "wuhan".into();
    w["person"]["id"] = "HB-0001-w".into();
    w["person"]["id_number"] = filed_id_number().into();
    w["person"]["birth_date"] = "1980-05-05".into();
    w["person"]["sex"] = "male".into();
    w["person"]["annual_income"] = "6000.00".into();
    serde_json::to_string(&v).unwrap()
}

const BUDGET: &str = "year = 2023\n[lines]\ncentral_fiscal = \"100000.00\"\nprovincial_union_funds = \"100000.00\"\n";

const INCOME: &str = concat!(
    r#"{"type":"income","id":"I-1","date":"2023-01-03","source":"central_fiscal","kind":"allocation","amount":"100000.00"}"#,
    "\n",
    r#"{"type":"income","id":"I-2","date":"2023-01-03","source":"provincial_union_funds","kind":"allocation","amount":"100000.00"}"#,
    "\n"
);

fn claim(
    id: &str,
    worker: &str,
    id_number: &str,
    date: NaiveDate,
    asked: &str,
) -> TemporaryAidClaim {
    serde_json::from_value(serde_json::json!({
        "id": id, "worker": worker, "id_number": id_number, "unit": "wuhan",
        "date": date.to_string(), "event": "major_illness", "relation": "parent",
        "requested": asked,
    }))
    .unwrap()
}

fn files(temporary: &str) -> BTreeMap<String, Vec<u8>> {
    let mut f = BTreeMap::new();
    f.insert(
        "policy.toml".to_owned(),
        hb::POLICY_TOML.as_bytes().to_vec(),
    );
    f.insert("budget.toml".to_owned(), BUDGET.as_bytes().to_vec());
    f.insert("households.jsonl".to_owned(), household_line().into_bytes());
    f.insert("ledger.jsonl".to_owned(), INCOME.as_bytes().to_vec());
    f.insert(
        "temporary-aid.jsonl".to_owned(),
        temporary.as_bytes().to_vec(),
    );
    f
}

/// The Hubei year with its household filed and its income, no temporary aid yet.
fn year() -> ProgrammeYear {
    YearDir::read(&files("")).unwrap().build().unwrap().year
}

fn pay(id: &str, claim: &str, date: NaiveDate, source: FundSource) -> Payment {
    Payment {
        id: id.parse().unwrap(),
        claim: claim.parse().unwrap(),
        date,
        source,
        channel: PaymentChannel::UnionMemberCard,
        unit: None,
        entered: Some(date),
    }
}

/// Takes `record`, which must be refused: its code, with nothing changed.
fn refused(year: &mut ProgrammeYear, record: YearRecord) -> String {
    let before = year.clone();
    let err = year.take(record).unwrap_err();
    assert!(*year == before, "a refused record changed the year");
    err.code().to_owned()
}

#[test]
fn the_yearly_cap_per_person_counts_every_claim_decided_before() {
    let mut y = year();
    let masked = "420106********1234";
    // 2,000 asked, nothing before: 2,000.
    let a = y
        .temporary_claim(claim("T-1", "W-1", masked, d(3, 1), "2000.00"))
        .unwrap();
    assert_eq!(a.amount, yuan("2000.00"));
    // Decided, not paid yet: it counts. 1,500 asked, 1,000 left.
    let b = y
        .temporary_claim(claim("T-2", "W-1", masked, d(4, 1), "1500.00"))
        .unwrap();
    assert_eq!(
        (b.amount, b.paid_this_year),
        (yuan("1000.00"), yuan("2000.00"))
    );
    assert_eq!(
        b.reasons.iter().next().unwrap().code(),
        "aid.temporary.yearly_cap"
    );
    // The cap is used up: nothing, with its reason.
    let c = y
        .temporary_claim(claim("T-3", "W-1", masked, d(5, 1), "1.00"))
        .unwrap();
    assert!(c.amount.is_zero());
    assert_eq!(
        c.reasons.iter().next().unwrap().code(),
        "aid.temporary.yearly_cap_reached"
    );
    // Another worker has the whole cap, to the fen.
    let other = y.temporary_claim(claim(
        "T-4",
        "W-2",
        "420106********5678",
        d(5, 1),
        "3000.00",
    ));
    assert_eq!(other.unwrap().amount, yuan("3000.00"));
    // The same claim again is the same decision; with other content it is refused.
    assert_eq!(
        y.temporary_claim(claim("T-1", "W-1", masked, d(3, 1), "2000.00"))
            .unwrap()
            .amount,
        yuan("2000.00")
    );
    let conflict = claim("T-1", "W-1", masked, d(3, 1), "2100.00");
    assert_eq!(
        refused(
            &mut y,
            YearRecord::Temporary(TemporaryAidRecord::Claim(conflict))
        ),
        "year.claim_conflict"
    );
    // The key with another ID number: refused.
    let twin = claim("T-5", "W-1", "420106********9999", d(6, 1), "10.00");
    assert_eq!(
        refused(
            &mut y,
            YearRecord::Temporary(TemporaryAidRecord::Claim(twin))
        ),
        "temporary.worker_conflict"
    );
    let f = y.temporary_figures().unwrap();
    assert_eq!((f.claims, f.refused, f.decided), (4, 1, yuan("6000.00")));
    assert_eq!(f.payments.count, 0);
}

#[test]
fn a_filed_worker_is_decided_at_nothing_and_a_key_of_a_household_is_refused() {
    let mut y = year();
    let full = filed_id_number();
    let masked = format!("{}********{}", &full[..6], &full[14..]);
    // Same masked ID number as the filed worker (active from late January).
    let filed = y
        .temporary_claim(claim("T-1", "W-9", &masked, d(3, 1), "500.00"))
        .unwrap();
    assert!(filed.amount.is_zero());
    assert_eq!(
        filed.reasons.iter().next().unwrap().code(),
        "aid.temporary.worker_filed"
    );
    // The worker's person key alone is enough too.
    let by_key = y
        .temporary_claim(claim(
            "T-2",
            "HB-0001-w",
            "420106********0000",
            d(3, 2),
            "500.00",
        ))
        .unwrap();
    assert!(by_key.amount.is_zero());
    // Nothing to pay on a claim decided at nothing.
    assert_eq!(
        refused(
            &mut y,
            YearRecord::Payment(pay("P-1", "T-1", d(3, 3), FundSource::ProvincialUnionFunds))
        ),
        "year.nothing_to_pay"
    );
    // A key that is a household of the files: refused.
    let key = claim("T-3", "HB-0001", "420106********1111", d(3, 4), "500.00");
    assert_eq!(
        refused(
            &mut y,
            YearRecord::Temporary(TemporaryAidRecord::Claim(key))
        ),
        "temporary.key_is_household"
    );
    // A full ID number is never read.
    let line = format!(
        r#"{{"type":"claim","id":"T-9","worker":"W-9","id_number":"{full}","unit":"wuhan","date":"2023-03-01","event":"accident","relation":"worker","requested":"1.00"}}"#
    );
    let problems = YearDir::read(&files(&line)).unwrap_err();
    assert_eq!(problems.len(), 1);
    assert_eq!(
        (
            problems[0].file.as_str(),
            problems[0].line,
            problems[0].code.as_str()
        ),
        ("temporary-aid.jsonl", 1, "temporary.id_number_unmasked")
    );
    assert!(!problems[0].message.contains(&full));
}

#[test]
fn pay_refuses_a_second_payment_a_filed_worker_and_fiscal_money_and_changes_nothing() {
    let mut y = year();
    let masked = "420106********1234";
    y.temporary_claim(claim("T-1", "W-1", masked, d(3, 1), "2000.00"))
        .unwrap();
    // Central fiscal money is earmarked for national-tier files; temporary aid is grassroots.
    assert_eq!(
        refused(
            &mut y,
            YearRecord::Payment(pay("P-1", "T-1", d(3, 2), FundSource::CentralFiscal))
        ),
        "funding.earmark_tier"
    );
    let p = pay("P-1", "T-1", d(3, 2), FundSource::ProvincialUnionFunds);
    let checked = y.check_pay(&p).unwrap();
    assert_eq!(
        (checked.amount, checked.household.as_str()),
        (yuan("2000.00"), "W-1")
    );
    y.pay(p.clone()).unwrap();
    // The same payment again is the first receipt; another payment of the claim is above
    // what it left.
    y.pay(p).unwrap();
    assert_eq!(
        refused(
            &mut y,
            YearRecord::Payment(pay("P-2", "T-1", d(3, 3), FundSource::ProvincialUnionFunds))
        ),
        "year.over_standard"
    );
    let f = y.temporary_figures().unwrap();
    assert_eq!(
        (f.payments.count, f.amount, f.persons.count),
        (1, yuan("2000.00"), 1)
    );
    // The statement counts it inside living aid; the person-time is the year's.
    let s = y.statement().unwrap();
    assert_eq!(
        s.totals.category(bangfu_core::AidCategory::Living).amount,
        yuan("2000.00")
    );
    assert_eq!(y.payments().payments.count, 1);
    // A worker who becomes filed (same key) after the claim: the payment is refused.
    let mut y = year();
    y.temporary_claim(claim("T-1", "HB-0001-w", masked, d(1, 5), "300.00"))
        .unwrap();
    assert_eq!(
        refused(
            &mut y,
            YearRecord::Payment(pay("P-1", "T-1", d(6, 1), FundSource::ProvincialUnionFunds))
        ),
        "temporary.worker_filed"
    );
}

#[test]
fn recorded_history_keeps_the_payment_and_finds_what_pay_refuses() {
    let lines = [
        r#"{"type":"claim","id":"T-1","worker":"W-1","id_number":"420106********1234","unit":"wuhan","date":"2023-03-01","event":"disaster","relation":"worker","requested":"1000.00"}"#,
        r#"{"type":"payment","id":"TP-1","claim":"T-1","date":"2023-03-05","source":"provincial_union_funds","channel":"union_member_card","amount":"1200.00","entered":"2023-03-05"}"#,
        r#"{"type":"claim","id":"T-2","worker":"HB-0001-w","id_number":"420106********2222","unit":"wuhan","date":"2023-01-04","event":"accident","relation":"child","requested":"800.00"}"#,
        r#"{"type":"payment","id":"TP-2","claim":"T-2","date":"2023-04-01","source":"provincial_union_funds","channel":"union_member_card","amount":"800.00"}"#,
    ];
    let built = YearDir::read(&files(&lines.join("\n")))
        .unwrap()
        .build()
        .unwrap();
    let y = &built.year;
    let defects = y.payments().defects;
    let codes: Vec<(&str, &str)> = defects
        .iter()
        .map(|d| (d.posting.as_str(), d.code.as_str()))
        .collect();
    assert_eq!(
        codes,
        [
            ("TP-1", "year.over_standard"),
            ("TP-2", "temporary.worker_filed")
        ]
    );
    let f = y.temporary_figures().unwrap();
    assert_eq!(
        (f.payments.count, f.amount, f.persons.count),
        (2, yuan("2000.00"), 2)
    );
    // A payment of a claim the year has not decided is a problem of the file.
    let bad = r#"{"type":"payment","id":"TP-9","claim":"T-9","date":"2023-03-05","source":"provincial_union_funds","channel":"union_member_card","amount":"1.00"}"#;
    let problems = YearDir::read(&files(bad)).unwrap().build().unwrap_err();
    assert_eq!(
        (
            problems[0].file.as_str(),
            problems[0].line,
            problems[0].code.as_str()
        ),
        ("temporary-aid.jsonl", 1, "year.unknown_claim")
    );
    // The report section names each claim by key and masked number, and the findings.
    let text = bangfu_year::temporary::report_section(y, bangfu_core::Lang::En).unwrap();
    assert!(
        text.contains("2 payments to 2 persons, 2000.00 yuan"),
        "{text}"
    );
    assert!(text.contains("420106********1234"));
    assert!(text.contains("[temporary.worker_filed] TP-2"));
}

#[test]
fn a_temporary_record_reads_back_as_written() {
    let lines = [
        TemporaryAidRecord::Claim(claim("T-1", "W-1", "420106********123X", d(3, 1), "10.00")),
        TemporaryAidRecord::Payment(TemporaryPaymentRecord {
            id: "TP-1".parse().unwrap(),
            claim: "T-1".parse().unwrap(),
            date: d(3, 2),
            source: FundSource::ProvincialUnionFunds,
            channel: PaymentChannel::BankCard,
            amount: yuan("10.00"),
            entered: None,
        }),
    ];
    for r in lines {
        let text = serde_json::to_string(&r).unwrap();
        assert_eq!(
            serde_json::from_str::<TemporaryAidRecord>(&text).unwrap(),
            r
        );
    }
}

#[test]
fn a_reversed_temporary_payment_leaves_its_claim_due_again() {
    let mut y = year();
    y.temporary_claim(claim("T-1", "W-1", "420106********1234", d(3, 1), "700.00"))
        .unwrap();
    y.pay(pay("P-1", "T-1", d(3, 2), FundSource::ProvincialUnionFunds))
        .unwrap();
    let reversal: bangfu_funding::Reversal = serde_json::from_str(
        r#"{"id":"V-1","date":"2023-03-03","reverses":"P-1","source":"provincial_union_funds","amount":"700.00","reason":"录入重复"}"#,
    )
    .unwrap();
    y.reverse(reversal).unwrap();
    let f = y.temporary_figures().unwrap();
    assert_eq!((f.payments.count, f.amount), (0, Money::ZERO));
    y.pay(pay("P-2", "T-1", d(3, 4), FundSource::ProvincialUnionFunds))
        .unwrap();
    let f = y.temporary_figures().unwrap();
    assert_eq!((f.payments.count, f.amount), (1, yuan("700.00")));
    // The claim's decided amount still counts in the worker's year: 2,300 left.
    let next = y
        .temporary_claim(claim(
            "T-2",
            "W-1",
            "420106********1234",
            d(4, 1),
            "3000.00",
        ))
        .unwrap();
    assert_eq!(next.amount, yuan("2300.00"));
}

/// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One step of a random temporary-aid sequence.
#[derive(Debug, Clone)]
enum Step {
    /// A claim of worker `w` (of three) for `yuan`.
    Claim { w: usize, yuan: u32 },
    /// Paying claim `n` (of those made) in operation.
    Pay { n: usize },
    /// Recording a payment of claim `n` for `yuan` (history: above what is left is kept).
    Record { n: usize, yuan: u32 },
    /// Reversing the `n`-th payment made, if it stands.
    Reverse { n: usize },
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    prop_oneof![
        (0usize..3, 1u32..2500).prop_map(|(w, yuan)| Step::Claim { w, yuan }),
        (0usize..8).prop_map(|n| Step::Pay { n }),
        (0usize..8, 1u32..2500).prop_map(|(n, yuan)| Step::Record { n, yuan }),
        (0usize..8).prop_map(|n| Step::Reverse { n }),
    ]
}

/// What each claim was paid, read the slow way: the ledger's standing temporary-aid payments
/// summed by claim (what the year computed before its running totals).
fn scanned(y: &ProgrammeYear) -> BTreeMap<String, Money> {
    let mut out: BTreeMap<String, Money> = BTreeMap::new();
    for d in bangfu_funding::standing_payments(y.ledger().postings()) {
        if d.kind != bangfu_core::AidKind::Temporary {
            continue;
        }
        let Some(c) = &d.claim else { continue };
        let sum = out.entry(c.to_string()).or_insert(Money::ZERO);
        *sum = sum.checked_add(d.amount).unwrap();
    }
    out
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(64)))]

    /// Over random claims, payments (in operation and recorded), and reversals, what the
    /// year says each temporary-aid claim was paid is the scan of the ledger's standing
    /// payments; each new claim's year-to-date and each refusal follow from it.
    #[test]
    fn paid_per_claim_is_the_ledger_scan(steps in proptest::collection::vec(step(), 1..40)) {
        let mut y = year();
        let numbers = ["420106********1234", "420106********2345", "420106********3456"];
        let (mut claims, mut payments): (Vec<String>, Vec<(String, Money)>) = (Vec::new(), Vec::new());
        let mut day = d(2, 1);
        for (i, s) in steps.into_iter().enumerate() {
            day = day.succ_opt().unwrap();
            match s {
                Step::Claim { w, yuan } => {
                    let id = format!("T-{i}");
                    let c = claim(&id, &format!("W-{w}"), numbers[w], day, &format!("{yuan}.00"));
                    if y.temporary_claim(c).is_ok() {
                        claims.push(id);
                    }
                }
                Step::Pay { n } => {
                    let Some(c) = claims.get(n % claims.len().max(1)) else { continue };
                    let id = format!("P-{i}");
                    if y.pay(pay(&id, c, day, FundSource::ProvincialUnionFunds)).is_ok() {
                        let amount = y.ledger().postings().iter().rev().find_map(|p| match p {
                            bangfu_funding::Posting::Disbursement(d) if d.id.as_str() == id => Some(d.amount),
                            _ => None,
                        }).unwrap();
                        payments.push((id, amount));
                    }
                }
                Step::Record { n, yuan: y_amount } => {
                    let Some(c) = claims.get(n % claims.len().max(1)) else { continue };
                    let id = format!("P-{i}");
                    let p = TemporaryPaymentRecord {
                        id: id.parse().unwrap(),
                        claim: c.parse().unwrap(),
                        date: day,
                        source: FundSource::ProvincialUnionFunds,
                        channel: PaymentChannel::UnionMemberCard,
                        amount: yuan(&format!("{y_amount}.00")),
                        entered: Some(day),
                    };
                    if y.record_temporary(p).is_ok() {
                        payments.push((id, yuan(&format!("{y_amount}.00"))));
                    }
                }
                Step::Reverse { n } => {
                    let Some((p, amount)) = payments.get(n % payments.len().max(1)).cloned() else { continue };
                    let reversal = bangfu_funding::Reversal {
                        id: format!("V-{i}").parse().unwrap(),
                        date: day,
                        reverses: p.parse().unwrap(),
                        source: FundSource::ProvincialUnionFunds,
                        amount,
                        reason: "录入重复".into(),
                    };
                    let _ = y.reverse(reversal);
                }
            }
            let scan = scanned(&y);
            for c in y.temporary_claims() {
                let expected = scan.get(c.record.id.as_str()).copied().unwrap_or(Money::ZERO);
                proptest::prop_assert_eq!(c.paid, expected, "claim {}", c.record.id);
            }
        }
    }
}

/// The facts of a year with temporary aid (issue 14): the temporary aid is in the facts on
/// its own (spent, person-times, persons), inside living aid and the person-times; what is
/// counted per filed household (the plan's person-times, the average living aid per
/// household) does not count it.
#[test]
fn the_facts_keep_temporary_aid_apart_from_the_filed_households_aid() {
    use bangfu_core::AidCategory;
    use bangfu_scoring::FactKey;
    use bangfu_year::evaluation::{Records, ReportFile, StatedFile, compute_facts};
    let temporary = [
        r#"{"type":"claim","id":"T-1","worker":"W-1","id_number":"420106********1234","unit":"wuhan","date":"2023-03-01","event":"disaster","relation":"worker","requested":"3000.00"}"#,
        r#"{"type":"payment","id":"TP-1","claim":"T-1","date":"2023-03-05","source":"provincial_union_funds","channel":"union_member_card","amount":"3000.00","entered":"2023-03-05"}"#,
    ];
    let mut f = files(&temporary.join("\n"));
    // One living-aid payment to the filed household.
    let living = r#"{"type":"disbursement","id":"P-1","date":"2023-02-01","source":"provincial_union_funds","category":"living","kind":"regular","household":"HB-0001","tier":"national","channel":"union_member_card","amount":"500.00","unit":"wuhan","entered":"2023-02-01"}"#;
    f.insert(
        "ledger.jsonl".to_owned(),
        format!("{INCOME}{living}\n").into_bytes(),
    );
    let y = YearDir::read(&f).unwrap().build().unwrap().year;
    // The Guinan plan (three aids per file a year) and report names serve this year.
    let stated = StatedFile::from_toml(bangfu_data::guinan2019::STATED_TOML).unwrap();
    let report = ReportFile::from_toml(bangfu_data::guinan2019::REPORT_TOML).unwrap();
    let (facts, _) = compute_facts(&Records {
        year: &y,
        plan: &stated.plan,
        report: &report,
    })
    .unwrap();
    // Apart: 3,000 yuan, one person-time, one worker, inside living aid and the total.
    let t = &facts.temporary_aid;
    assert_eq!(
        (t.spent, t.person_times.count, t.persons.count),
        (yuan("3000.00"), 1, 1)
    );
    assert_eq!(t.person_times.records[0].as_str(), "TP-1");
    assert_eq!(
        facts.spent_on(AidCategory::Living).unwrap(),
        yuan("3500.00")
    );
    assert_eq!(facts.person_times.count, 2);
    assert_eq!(facts.filed_person_times(), 1);
    assert_eq!(facts.filed_living_aid().unwrap(), yuan("500.00"));
    // Person-times against the plan: the one filed household's one aid of the three
    // planned, never the temporary payment.
    assert_eq!(facts.households_active.count, 1);
    assert_eq!(facts.planned_person_times, 3);
    let rate = facts.read(FactKey::PersonTimesRate).unwrap();
    assert_eq!(
        rate.how(bangfu_core::Lang::En),
        "person-times of filed households (temporary aid apart) 1 ÷ planned 3"
    );
    assert_eq!(rate.records.len(), 1);
    assert_eq!(rate.records[0].as_str(), "P-1");
    // The total person-times still counts all aid.
    let all = facts.read(FactKey::PersonTimes).unwrap();
    assert_eq!(all.display(bangfu_core::Lang::En), "2");
    // The average living aid per household: 500 ÷ 1, not 3,500 ÷ 1.
    let findings = bangfu_scoring::check_consistency(
        &facts,
        &bangfu_scoring::StatedFigures {
            average_living_aid_per_household: stated.figures().average_living_aid_per_household,
            ..Default::default()
        },
        &bangfu_scoring::Tolerances::from_policy(&y.policy().scoring, d(12, 31)).unwrap(),
    )
    .unwrap();
    let avg = findings
        .iter()
        .find(|x| x.code == bangfu_scoring::FindingCode::AverageLivingAid)
        .unwrap();
    assert_eq!(avg.computed_display, "500.00");
    assert!(
        avg.text.zh.contains("不含临时救助3000.00元"),
        "{}",
        avg.text.zh
    );
    // The Hainan seed has none: nothing apart, and its figures as asserted elsewhere.
    let hainan = bangfu_data::hainan2018::evaluation(
        bangfu_year::evaluation::FrameworkChoice::SelfEvaluation,
    )
    .unwrap();
    assert!(hainan.facts.temporary_aid.is_empty());
    assert_eq!(hainan.facts.filed_person_times(), 8_236);
}

/// Two workers' temporary aid paid, and a third claim of the first worker after the cap.
const PAID: [&str; 5] = [
    r#"{"type":"claim","id":"T-1","worker":"W-1","id_number":"420106********1234","unit":"wuhan","date":"2023-03-01","event":"disaster","relation":"worker","requested":"3000.00"}"#,
    r#"{"type":"payment","id":"TP-1","claim":"T-1","date":"2023-03-05","source":"provincial_union_funds","channel":"union_member_card","amount":"3000.00","entered":"2023-03-05"}"#,
    r#"{"type":"claim","id":"T-2","worker":"W-2","id_number":"420106********5678","unit":"wuhan","date":"2023-04-01","event":"accident","relation":"child","requested":"1500.00"}"#,
    r#"{"type":"payment","id":"TP-2","claim":"T-2","date":"2023-04-03","source":"provincial_union_funds","channel":"union_member_card","amount":"1500.00","entered":"2023-04-03"}"#,
    r#"{"type":"claim","id":"T-3","worker":"W-1","id_number":"420106********1234","unit":"wuhan","date":"2023-05-01","event":"major_illness","relation":"spouse","requested":"500.00"}"#,
];

/// What-if of temporary aid (issue 14): Hubei with its yearly cap per person at 2,000
/// instead of 3,000. Each claim decided again; the differences per worker (key and masked
/// ID, never a full number), per unit, per source and in total; the total moves by exactly
/// the sum of the workers' differences; the recorded 3,000 above the new decision is a
/// finding under the reform.
#[test]
fn what_if_decides_temporary_aid_again_under_the_other_cap() {
    use bangfu_year::whatif::WhatIf;
    let files = files(&PAID.join("\n"));
    let cap = "value = \"3000.00\"\ncite = \"aid.hb.scheme.temporary\"";
    assert_eq!(hb::POLICY_TOML.matches(cap).count(), 1);
    let reform = hb::POLICY_TOML.replace(
        cap,
        "value = \"2000.00\"\ncite = \"aid.hb.scheme.temporary\"",
    );
    let w = WhatIf::of_files(&files, &reform).unwrap();
    assert_ne!(w.receipt.baseline.sha256, w.receipt.reform.sha256);
    let changes: Vec<(&str, &str, String, String)> = w
        .temporary
        .iter()
        .map(|c| {
            (
                c.claim.as_str(),
                c.worker.as_str(),
                c.amounts.baseline.to_string(),
                c.amounts.difference.to_string(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            ("T-1", "W-1", "3000.00".to_owned(), "-1000.00".to_owned()),
            ("T-2", "W-2", "1500.00".to_owned(), "0.00".to_owned()),
            // Nothing left under either cap: W-1 was paid 3,000 (kept as history).
            ("T-3", "W-1", "0.00".to_owned(), "0.00".to_owned()),
        ]
    );
    // The total moves by exactly the sum of the workers' differences (no household claims).
    let workers: i64 = w
        .workers
        .iter()
        .map(|l| l.totals.amounts.difference.fen())
        .sum();
    assert_eq!(workers, -100_000);
    assert_eq!(w.total.amounts.difference.fen(), workers);
    assert_eq!((w.total.claims, w.total.changed), (3, 1));
    assert!(w.households.is_empty());
    let unit: Vec<(&str, i64)> = w
        .units
        .iter()
        .map(|l| (l.key.as_str(), l.totals.amounts.difference.fen()))
        .collect();
    assert_eq!(unit, [("wuhan", -100_000)]);
    assert_eq!(w.sources.len(), 2); // paid from the union's funds; T-3 not paid
    assert_eq!(w.sources[0].key, Some(FundSource::ProvincialUnionFunds));
    assert_eq!(w.sources[0].totals.amounts.difference.fen(), -100_000);
    assert_eq!(w.sources[1].key, None);
    assert_eq!(w.categories.len(), 1);
    assert_eq!(w.categories[0].key, bangfu_core::AidCategory::Living);
    // The recorded 3,000 is above the 2,000 decided under the reform.
    assert_eq!((w.findings.baseline, w.findings.reform), (0, 1));
    // The text names the worker by key and masked ID number; never a full number.
    let text = w.render_text(bangfu_core::Lang::En);
    assert!(
        text.contains("| W-1 (420106********1234) | 2 | 1 | 3000.00 | 2000.00 | -1000.00 |"),
        "{text}"
    );
    assert!(
        !text.contains("W-2 ("),
        "only the workers whose amount changed: {text}"
    );
    let json = serde_json::to_string(&w).unwrap();
    assert!(json.contains(r#""id_number":"420106********1234""#));
}

/// Temporary aid in the part reports (issue 14): paid through a unit (the one that handled
/// the claim), it rolls up to the unit's ancestors, apart from the filed households' living
/// aid; the part and the rest of the entity add up to the whole to the fen and the
/// person-time.
#[test]
fn temporary_aid_rolls_up_to_the_units_ancestors() {
    use bangfu_year::rollup::{PartStatement, Scope};
    use bangfu_year::tree::UnitTree;
    let y = YearDir::read(&files(&PAID.join("\n")))
        .unwrap()
        .build()
        .unwrap()
        .year;
    let tree = UnitTree::from_toml(
        "[[unit]]\nid = \"hubei\"\n[[unit]]\nid = \"wuhan\"\nparent = \"hubei\"\n[[unit]]\nid = \"yichang\"\nparent = \"hubei\"\n",
    )
    .unwrap();
    let scope = |unit: &str, except: &[&str]| Scope {
        unit: unit.parse().unwrap(),
        except: except.iter().map(|u| u.parse().unwrap()).collect(),
    };
    let root = PartStatement::new(&y, &tree, &scope("hubei", &[])).unwrap();
    let wuhan = PartStatement::new(&y, &tree, &scope("wuhan", &[])).unwrap();
    let rest = PartStatement::new(&y, &tree, &scope("hubei", &["wuhan"])).unwrap();
    for part in [&root, &wuhan] {
        let f = &part.figures;
        assert_eq!(
            (f.temporary, f.temporary_person_times),
            (yuan("4500.00"), 2)
        );
        assert_eq!(
            f.category(bangfu_core::AidCategory::Living).unwrap(),
            (yuan("4500.00"), 2)
        );
    }
    assert_eq!(root.figures, root.whole);
    assert_eq!(rest.figures.temporary_person_times, 0);
    assert_eq!(
        wuhan.figures.checked_add(&rest.figures).unwrap(),
        root.figures
    );
    let row = &root.units[0];
    assert_eq!(
        (row.unit.as_str(), row.figures.temporary_person_times),
        ("wuhan", 2)
    );
    let text = root.render_text(bangfu_core::Lang::En);
    assert!(
        text.contains("Of which temporary aid (inside living aid, workers not filed): 4500.00 · person-times: 2"),
        "{text}"
    );
}
