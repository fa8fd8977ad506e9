//! Property tests of the documented invariants.

use bangfu_aid::{
    AidDecision, AidError, AmountClaim, AmountClaimRecord, BatchEducationClaim, BatchMedicalClaim,
    Calculator, ClaimId, ClaimList, Decision, EducationClaimRecord, EducationRequest, Explain,
    FileFacts, HouseholdClaims, LivingRequest, MedicalClaim, MedicalClaimRecord, MedicalRequest,
    PaymentRecord, RemainingRequest, Request, SchoolStage, WarmthRequest, YearToDate,
};
use bangfu_core::{AidCategory, AidKind, Coded, Money, NaiveDate, PersonId};
use proptest::prelude::*;

use crate::common::*;

/// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn policies() -> [PolicyFile; 3] {
    [load(HAINAN), load(EXAMPLE), load(OPENFISCA)]
}

/// A file valid under policy `i` of [`policies`], and a date in force there.
fn setup(i: usize) -> (FileFacts, i32) {
    match i {
        0 => (file("subsistence", 3), 2018),
        1 => (file("deep", 3), 2020),
        _ => (file("eligible", 3), 2025),
    }
}

fn money(max_yuan: i64) -> impl Strategy<Value = Money> {
    (0i64..=max_yuan * 100).prop_map(|f| Money::from_fen(f).unwrap())
}

fn date_in(year: i32, ordinal: u32) -> NaiveDate {
    NaiveDate::from_yo_opt(year, ordinal.clamp(1, 365)).unwrap()
}

fn medical_amount(
    calc: &Calculator<'_>,
    f: &FileFacts,
    date: NaiveDate,
    oop: Money,
    so_far: YearToDate,
) -> Money {
    calc.medical(
        f,
        MedicalClaim {
            date,
            out_of_pocket: oop,
        },
        so_far,
        Explain::Off,
    )
    .unwrap()
    .amount
}

fn strip(d: AidDecision<'_>) -> AidDecision<'_> {
    AidDecision { trace: None, ..d }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(128)))]

    /// 0 ≤ aid ≤ cap; the year's aid never exceeds the year's out-of-pocket cost.
    #[test]
    fn prop_medical_bounds(i in 0usize..3, before in money(100_000), oop in money(100_000), day in 1u32..365) {
        let ps = policies();
        let p = &ps[i];
        let calc = Calculator::new(&p.aid).unwrap();
        let (f, year) = setup(i);
        let date = date_in(year, day);
        let cap = p.aid.medical.yearly_cap.at("cap", date).unwrap().value;
        let first = medical_amount(&calc, &f, date, before, YearToDate::default());
        prop_assert!(first <= cap);
        prop_assert!(first <= before);
        let so_far = YearToDate { cost: before, paid: first };
        let second = medical_amount(&calc, &f, date, oop, so_far);
        let year_total = first.checked_add(second).unwrap();
        prop_assert!(year_total <= cap);
        prop_assert!(year_total <= before.checked_add(oop).unwrap());
    }

    /// Aid never falls when the cost rises.
    #[test]
    fn prop_medical_monotone(i in 0usize..3, before in money(50_000), a in money(100_000), b in money(100_000)) {
        let ps = policies();
        let calc = Calculator::new(&ps[i].aid).unwrap();
        let (f, year) = setup(i);
        let date = date_in(year, 200);
        let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
        let paid = medical_amount(&calc, &f, date, before, YearToDate::default());
        let so_far = YearToDate { cost: before, paid };
        prop_assert!(medical_amount(&calc, &f, date, lo, so_far) <= medical_amount(&calc, &f, date, hi, so_far));
        prop_assert!(medical_amount(&calc, &f, date, lo, YearToDate::default()) <= medical_amount(&calc, &f, date, hi, YearToDate::default()));
    }

    /// The increments over any split and order of a year's claims add up to the aid on the
    /// total.
    #[test]
    fn prop_increments_add_up(i in 0usize..3, parts in proptest::collection::vec(money(20_000), 1..8), seed in any::<u64>()) {
        let ps = policies();
        let calc = Calculator::new(&ps[i].aid).unwrap();
        let (f, year) = setup(i);
        let mut parts = parts;
        // a deterministic shuffle from the seed: the order of the claims
        let n = parts.len();
        for k in (1..n).rev() {
            let j = (seed.rotate_left(k as u32) % (k as u64 + 1)) as usize;
            parts.swap(k, j);
        }
        let total = Money::sum(parts.iter().copied()).unwrap();
        let mut so_far = YearToDate::default();
        for (k, part) in parts.iter().enumerate() {
            let date = date_in(year, 10 + 40 * k as u32);
            let paid = medical_amount(&calc, &f, date, *part, so_far);
            so_far = YearToDate { cost: so_far.cost.checked_add(*part).unwrap(), paid: so_far.paid.checked_add(paid).unwrap() };
        }
        let at_once = medical_amount(&calc, &f, date_in(year, 360), total, YearToDate::default());
        prop_assert_eq!(so_far.paid, at_once);
    }

    /// Living aid: never above the amount asked or the per-time maximum; a year's payments
    /// never above the yearly standard.
    #[test]
    fn prop_living_bounds(asks in proptest::collection::vec(money(5_000), 1..20), severe_hh in any::<bool>(), size in 1u32..6) {
        let p = hainan();
        let calc = Calculator::new(&p.aid).unwrap();
        let mut f = file("near_subsistence", size);
        if severe_hh { f = severe(f); }
        let date = day(2018, 6, 1);
        let cap = calc.remaining(&f, date, Money::ZERO, Money::ZERO, Explain::Off).unwrap().living_cap.unwrap();
        let mut paid = Money::ZERO;
        for ask in asks {
            let d = calc.living(&f, AmountClaim { date, requested: Some(ask) }, YearToDate { paid, ..YearToDate::default() }, Explain::Off).unwrap();
            prop_assert!(d.amount <= ask);
            let key = if severe_hh { "severe" } else { "default" };
            let max = if key == "severe" { &p.aid.living.max_per_time.severe } else { &p.aid.living.max_per_time.default };
            prop_assert!(d.amount <= max.as_ref().unwrap().at("max", date).unwrap().value);
            paid = paid.checked_add(d.amount).unwrap();
            prop_assert!(paid <= cap);
        }
    }

    /// Asking for an explanation never changes the decision.
    #[test]
    fn prop_explanation_changes_nothing(i in 0usize..3, before in money(50_000), oop in money(50_000), ask in proptest::option::of(money(6_000)), paid in money(20_000), day in 1u32..365, sev in any::<bool>()) {
        let ps = policies();
        let calc = Calculator::new(&ps[i].aid).unwrap().with_citations(&ps[i].citations);
        let (mut f, year) = setup(i);
        f.severe.mental_illness = sev;
        f = with_student(f, "kid", SchoolStage::Undergraduate);
        let date = date_in(year, day);
        let so_far = YearToDate { cost: before, paid };
        let m = |e| calc.medical(&f, MedicalClaim { date, out_of_pocket: oop }, so_far, e);
        let on = m(Explain::On).unwrap();
        prop_assert!(on.trace.is_some());
        prop_assert_eq!(strip(on), m(Explain::Off).unwrap());
        let claim = AmountClaim { date, requested: ask };
        let l = |e| calc.living(&f, claim, YearToDate { paid, ..YearToDate::default() }, e).map(strip);
        prop_assert_eq!(l(Explain::On), l(Explain::Off));
        let w = |e| calc.sending_warmth(&f, claim, e).map(strip);
        prop_assert_eq!(w(Explain::On), w(Explain::Off));
        let kid = PersonId::new("kid").unwrap();
        let ed = |e| calc.education(&f, date, &kid, sev, e).map(strip);
        prop_assert_eq!(ed(Explain::On), ed(Explain::Off));
        let r = |e| calc.remaining(&f, date, paid, before, e).map(|x| bangfu_aid::Entitlement { explanation: None, ..x });
        prop_assert_eq!(r(Explain::On), r(Explain::Off));
    }
}

// ---------------------------------------------------------------- batch = one by one ----

#[derive(Debug, Clone)]
struct GenHousehold {
    degree_ok: bool,
    active: bool,
    size: u32,
    severe: bool,
    medical: Vec<(u8, u32, Money)>, // applicant, day of year, cost
    living: Vec<(u32, Option<Money>)>,
    warmth: Vec<(u32, Option<Money>)>,
    education: Vec<(u32, bool)>, // day, student known
}

fn gen_household() -> impl Strategy<Value = GenHousehold> {
    (
        prop::bool::weighted(0.95),
        prop::bool::weighted(0.9),
        1u32..6,
        any::<bool>(),
        prop::collection::vec((0u8..2, 1u32..400, money(30_000)), 0..5),
        prop::collection::vec((1u32..400, prop::option::of(money(3_000))), 0..5),
        prop::collection::vec((1u32..400, prop::option::of(money(1_500))), 0..2),
        prop::collection::vec((1u32..400, prop::bool::weighted(0.9)), 0..3),
    )
        .prop_map(
            |(degree_ok, active, size, severe, mut medical, mut living, warmth, mut education)| {
                // mostly in date order, so most claims are accepted; a few are not
                if size % 2 == 0 {
                    medical.sort_by_key(|c| c.1);
                    living.sort_by_key(|c| c.0);
                    education.sort_by_key(|c| c.0);
                }
                GenHousehold {
                    degree_ok,
                    active,
                    size,
                    severe,
                    medical,
                    living,
                    warmth,
                    education,
                }
            },
        )
}

/// Day `n` counted from 2018-01-01 (so some claims fall in 2019).
fn nth(n: u32) -> NaiveDate {
    day(2018, 1, 1) + chrono::Days::new(u64::from(n))
}

fn build(h: &GenHousehold, k: usize) -> HouseholdClaims {
    let mut f = file(if h.degree_ok { "subsistence" } else { "deep" }, h.size);
    f.case = bangfu_core::CaseId::new(format!("HK-{k}/1")).unwrap();
    f.household = bangfu_core::HouseholdId::new(format!("HK-{k}")).unwrap();
    f.severe.physical_disability = h.severe;
    if !h.active {
        f.status = None;
        f.status_events = vec![
            bangfu_aid::StatusEvent {
                date: day(2018, 1, 1),
                status: bangfu_core::ArchiveStatus::Active,
            },
            bangfu_aid::StatusEvent {
                date: day(2018, 7, 1),
                status: bangfu_core::ArchiveStatus::ExitedHardship,
            },
        ];
    }
    f = with_student(f, "kid", SchoolStage::SeniorSecondary);
    let person = |a: u8| PersonId::new(format!("p{a}")).unwrap();
    HouseholdClaims {
        file: f,
        medical: h
            .medical
            .iter()
            .map(|&(a, d, m)| BatchMedicalClaim {
                applicant: person(a),
                claim: MedicalClaim {
                    date: nth(d),
                    out_of_pocket: m,
                },
            })
            .collect(),
        living: h
            .living
            .iter()
            .map(|&(d, r)| AmountClaim {
                date: nth(d),
                requested: r,
            })
            .collect(),
        sending_warmth: h
            .warmth
            .iter()
            .map(|&(d, r)| AmountClaim {
                date: nth(d),
                requested: r,
            })
            .collect(),
        education: h
            .education
            .iter()
            .map(|&(d, known)| BatchEducationClaim {
                student: PersonId::new(if known { "kid" } else { "stranger" }).unwrap(),
                date: nth(d),
            })
            .collect(),
    }
}

fn claim_id(list: &str, i: usize) -> ClaimId {
    ClaimId::new(format!("{list}-{i}")).unwrap()
}

/// Decides each claim on its own through the request path, with the history of the
/// earlier accepted claims of its list: (amount, reasons) or the error code.
fn one_by_one(
    calc: &Calculator<'_>,
    h: &HouseholdClaims,
) -> Vec<Result<(Money, Vec<&'static str>), &'static str>> {
    let mut out = Vec::new();
    let outcome = |d: Result<Decision, AidError>| match d {
        Ok(
            Decision::Medical(o)
            | Decision::Living(o)
            | Decision::SendingWarmth(o)
            | Decision::Education(o),
        ) => Ok((
            o.amount,
            o.reasons.iter().map(|r| r.code()).collect::<Vec<_>>(),
        )),
        Ok(other) => panic!("{other:?}"),
        Err(e) => Err(e.code()),
    };
    let out_of_order = |last: Option<NaiveDate>, date: NaiveDate| last.is_some_and(|l| l > date);

    let mut claims: Vec<MedicalClaimRecord> = Vec::new();
    let mut payments: Vec<PaymentRecord> = Vec::new();
    for (i, c) in h.medical.iter().enumerate() {
        if out_of_order(claims.last().map(|c| c.date), c.claim.date) {
            out.push(Err("aid.batch.claims_out_of_order"));
            continue;
        }
        let record = MedicalClaimRecord {
            id: claim_id("m", i),
            applicant: c.applicant.clone(),
            date: c.claim.date,
            out_of_pocket: c.claim.out_of_pocket,
        };
        let req = Request::Medical(MedicalRequest {
            file: h.file.clone(),
            claim: record.clone(),
            earlier_claims: claims.clone(),
            earlier_payments: payments.clone(),
        });
        let r = outcome(calc.decide(&req, Explain::Off));
        if let Ok((amount, _)) = &r {
            claims.push(record);
            payments.push(PaymentRecord {
                claim: claim_id("m", i),
                date: c.claim.date,
                category: AidCategory::Medical,
                aid_kind: AidKind::Regular,
                person: Some(c.applicant.clone()),
                amount: *amount,
            });
        }
        out.push(r);
    }
    let mut payments: Vec<PaymentRecord> = Vec::new();
    for (i, c) in h.living.iter().enumerate() {
        if out_of_order(payments.last().map(|p| p.date), c.date) {
            out.push(Err("aid.batch.claims_out_of_order"));
            continue;
        }
        let req = Request::Living(LivingRequest {
            file: h.file.clone(),
            claim: AmountClaimRecord {
                id: claim_id("l", i),
                date: c.date,
                requested: c.requested,
            },
            earlier_payments: payments.clone(),
        });
        let r = outcome(calc.decide(&req, Explain::Off));
        if let Ok((amount, _)) = &r {
            payments.push(PaymentRecord {
                claim: claim_id("l", i),
                date: c.date,
                category: AidCategory::Living,
                aid_kind: AidKind::Regular,
                person: None,
                amount: *amount,
            });
        }
        out.push(r);
    }
    let mut last = None;
    for (i, c) in h.sending_warmth.iter().enumerate() {
        if out_of_order(last, c.date) {
            out.push(Err("aid.batch.claims_out_of_order"));
            continue;
        }
        let req = Request::SendingWarmth(WarmthRequest {
            file: h.file.clone(),
            claim: AmountClaimRecord {
                id: claim_id("w", i),
                date: c.date,
                requested: c.requested,
            },
        });
        let r = outcome(calc.decide(&req, Explain::Off));
        if r.is_ok() {
            last = Some(c.date);
        }
        out.push(r);
    }
    let mut payments: Vec<PaymentRecord> = Vec::new();
    for (i, c) in h.education.iter().enumerate() {
        if out_of_order(payments.last().map(|p| p.date), c.date) {
            out.push(Err("aid.batch.claims_out_of_order"));
            continue;
        }
        let req = Request::Education(EducationRequest {
            file: h.file.clone(),
            claim: EducationClaimRecord {
                id: claim_id("e", i),
                date: c.date,
                student: c.student.clone(),
            },
            earlier_payments: payments.clone(),
        });
        let r = outcome(calc.decide(&req, Explain::Off));
        if let Ok((amount, _)) = &r {
            payments.push(PaymentRecord {
                claim: claim_id("e", i),
                date: c.date,
                category: AidCategory::Education,
                aid_kind: AidKind::Regular,
                person: Some(c.student.clone()),
                amount: *amount,
            });
        }
        out.push(r);
    }
    out
}

/// One request of each kind for each claim of a household.
fn requests_of(h: &HouseholdClaims) -> Vec<Request> {
    let mut requests = Vec::new();
    for (i, c) in h.medical.iter().enumerate() {
        let record = MedicalClaimRecord {
            id: claim_id("m", i),
            applicant: c.applicant.clone(),
            date: c.claim.date,
            out_of_pocket: c.claim.out_of_pocket,
        };
        requests.push(Request::Medical(MedicalRequest {
            file: h.file.clone(),
            claim: record.clone(),
            earlier_claims: vec![record],
            earlier_payments: vec![],
        }));
    }
    for (i, c) in h.living.iter().enumerate() {
        let payment = PaymentRecord {
            claim: claim_id("x", i),
            date: c.date,
            category: AidCategory::Living,
            aid_kind: AidKind::FemaleWorkerCare,
            person: None,
            amount: c.requested.unwrap_or(Money::ZERO),
        };
        requests.push(Request::Living(LivingRequest {
            file: h.file.clone(),
            claim: AmountClaimRecord {
                id: claim_id("l", i),
                date: c.date,
                requested: c.requested,
            },
            earlier_payments: vec![payment],
        }));
        requests.push(Request::SendingWarmth(WarmthRequest {
            file: h.file.clone(),
            claim: AmountClaimRecord {
                id: claim_id("w", i),
                date: c.date,
                requested: c.requested,
            },
        }));
        requests.push(Request::RemainingEntitlement(RemainingRequest {
            file: h.file.clone(),
            date: c.date,
            applicant: Some(PersonId::new("p0").unwrap()),
            earlier_payments: vec![],
        }));
    }
    for (i, c) in h.education.iter().enumerate() {
        requests.push(Request::Education(EducationRequest {
            file: h.file.clone(),
            claim: EducationClaimRecord {
                id: claim_id("e", i),
                date: c.date,
                student: c.student.clone(),
            },
            earlier_payments: vec![],
        }));
    }
    requests
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]

    /// The hand-written writer of decisions writes byte for byte what serde_json writes of
    /// the owned decision, explanation on and off, with and without the citation table.
    #[test]
    fn prop_written_decision_is_serde_json(pop_gen in prop::collection::vec(gen_household(), 1..4), explain in any::<bool>(), cited in any::<bool>()) {
        let p = hainan();
        let calc = Calculator::new(&p.aid).unwrap();
        let calc = if cited { calc.with_citations(&p.citations) } else { calc };
        let explain = if explain { Explain::On } else { Explain::Off };
        for (k, g) in pop_gen.iter().enumerate() {
            for r in &requests_of(&build(g, k)) {
                let owned = calc.decide(r, explain);
                let borrowed = calc.decide_ref(r, explain);
                match (owned, borrowed) {
                    (Ok(d), Ok(b)) => {
                        let mut out = b"{\"line\":1".to_vec();
                        let mut o = bangfu_core::json::Object::resume(&mut out);
                        b.write_fields(&mut o);
                        prop_assert!(o.close());
                        let expected = serde_json::to_string(&d).unwrap().replacen('{', "{\"line\":1,", 1);
                        prop_assert_eq!(String::from_utf8(out).unwrap(), expected);
                        let mut out = Vec::new();
                        prop_assert!(b.write_json(&mut out));
                        prop_assert_eq!(&out, &serde_json::to_vec(&d).unwrap());
                        prop_assert_eq!(b.into_owned(), d);
                    }
                    (Err(e), Err(f)) => prop_assert_eq!(e, f),
                    (o, b) => prop_assert!(false, "decide {o:?} but decide_ref {b:?}"),
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(64)))]

    /// Batch = one by one: the same amounts, reasons and errors, and the totals add up.
    #[test]
    fn prop_batch_equals_one_by_one(pop_gen in prop::collection::vec(gen_household(), 0..12)) {
        let p = hainan();
        let calc = Calculator::new(&p.aid).unwrap();
        let pop: Vec<HouseholdClaims> = pop_gen.iter().enumerate().map(|(k, h)| build(h, k)).collect();
        let batch = calc.evaluate(&pop, Explain::Off).unwrap();
        let batch_results: Vec<_> = batch.decisions.iter().map(|d| {
            d.result.as_ref().map(|x| (x.amount, x.reasons.iter().map(|r| r.code()).collect::<Vec<_>>())).map_err(|e| e.code())
        }).collect();
        let single: Vec<_> = pop.iter().flat_map(|h| one_by_one(&calc, h)).collect();
        prop_assert_eq!(&batch_results, &single);
        let paid = Money::sum(single.iter().filter_map(|r| r.as_ref().ok().map(|x| x.0))).unwrap();
        prop_assert_eq!(batch.totals.total.amount, paid);
        let medical = Money::sum(batch.decisions.iter().filter(|d| d.list == ClaimList::Medical).filter_map(|d| d.result.as_ref().ok().map(|x| x.amount))).unwrap();
        prop_assert_eq!(batch.totals.medical.amount, medical);
        prop_assert_eq!(batch.totals.refused as usize, single.iter().filter(|r| r.is_err()).count());
    }

    /// Streaming = collecting: `evaluate_each` hands over exactly `evaluate`'s decisions, in
    /// its order, with the same totals, explanations on or off.
    #[test]
    fn prop_each_equals_evaluate(pop_gen in prop::collection::vec(gen_household(), 0..12), explain in any::<bool>()) {
        let p = hainan();
        let calc = Calculator::new(&p.aid).unwrap();
        let explain = if explain { Explain::On } else { Explain::Off };
        let pop: Vec<HouseholdClaims> = pop_gen.iter().enumerate().map(|(k, h)| build(h, k)).collect();
        let batch = calc.evaluate(&pop, explain).unwrap();
        let mut streamed = Vec::new();
        let totals = calc.evaluate_each(&pop, explain, |d| streamed.push(d)).unwrap();
        prop_assert_eq!(totals, batch.totals);
        prop_assert_eq!(streamed, batch.decisions);
    }

    /// Every request and every decision round-trips through JSON.
    #[test]
    fn prop_json_round_trip(pop_gen in prop::collection::vec(gen_household(), 1..4), explain in any::<bool>()) {
        let p = hainan();
        let calc = Calculator::new(&p.aid).unwrap().with_citations(&p.citations);
        let explain = if explain { Explain::On } else { Explain::Off };
        for (k, g) in pop_gen.iter().enumerate() {
            let requests = requests_of(&build(g, k));
            for r in &requests {
                let line = serde_json::to_string(r).unwrap();
                prop_assert_eq!(&Request::from_json(&line).unwrap(), r);
                if let Ok(d) = calc.decide(r, explain) {
                    let json = serde_json::to_string(&d).unwrap();
                    let back: Decision = serde_json::from_str(&json).unwrap();
                    prop_assert_eq!(back, d);
                }
            }
        }
    }

    /// The rendered explanation belongs to its decision: the rule of the calculator, the
    /// amount as its last step's result, the deciding parameter among those listed, every
    /// parameter with its citation, and rendering
    /// twice gives the same text.
    #[test]
    fn prop_trace_renders_its_decision(i in 0usize..3, before in money(50_000), oop in money(50_000), ask in proptest::option::of(money(6_000)), paid in money(20_000), day in 1u32..365, sev in any::<bool>()) {
        let ps = policies();
        let calc = Calculator::new(&ps[i].aid).unwrap().with_citations(&ps[i].citations);
        let (mut f, year) = setup(i);
        f.severe.major_illness = sev;
        f = with_student(f, "kid", SchoolStage::Undergraduate);
        let date = date_in(year, day);
        let claim = AmountClaim { date, requested: ask };
        let kid = PersonId::new("kid").unwrap();
        let decisions = [
            ("aid.medical", calc.medical(&f, MedicalClaim { date, out_of_pocket: oop }, YearToDate { cost: before, paid }, Explain::On)),
            ("aid.living", calc.living(&f, claim, YearToDate { paid, ..YearToDate::default() }, Explain::On)),
            ("aid.sending_warmth", calc.sending_warmth(&f, claim, Explain::On)),
            ("aid.education", calc.education(&f, date, &kid, sev, Explain::On)),
        ];
        for (rule, d) in decisions {
            let Ok(d) = d else { continue };
            let trace = d.trace.as_ref().unwrap();
            // Written straight from the record, the explanation is what serde_json writes
            // of the rendered one.
            let mut written = Vec::new();
            prop_assert!(trace.write_json(&mut written));
            prop_assert_eq!(&written, &serde_json::to_vec(&trace.render()).unwrap());
            prop_assert_eq!(trace.rule(), rule);
            let e = trace.render();
            prop_assert_eq!(&e.rule, rule);
            prop_assert_eq!(e.steps.last().map(|s| s.result.clone()), Some(d.amount.to_string()));
            if let Some(cite) = d.cite {
                prop_assert!(e.parameters.iter().any(|p| &p.cite == cite));
            }
            prop_assert!(e.parameters.iter().all(|p| p.citation.is_some()));
            prop_assert_eq!(Some(e), d.explanation());
        }
    }
}
