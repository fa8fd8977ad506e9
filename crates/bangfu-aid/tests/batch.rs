//! Batch evaluation.

use bangfu_aid::{
    AidDecision, BatchEducationClaim, BatchMedicalClaim, BatchResult, Calculator, ClaimList,
    Explain, HouseholdClaims, MedicalClaim, SchoolStage,
};
use bangfu_core::{Money, PersonId};

use crate::common::*;

fn assert_send_sync<T: Send + Sync>() {}

#[test]
fn types_are_send_and_sync() {
    assert_send_sync::<Calculator<'static>>();
    assert_send_sync::<AidDecision<'static>>();
    assert_send_sync::<BatchResult<'static>>();
    assert_send_sync::<HouseholdClaims>();
    assert_send_sync::<bangfu_aid::AidPolicy>();
    assert_send_sync::<bangfu_aid::Request>();
    assert_send_sync::<bangfu_aid::Decision>();
    assert_send_sync::<bangfu_aid::AidError>();
}

fn med(p: &str, y: i32, m: u32, oop: &str) -> BatchMedicalClaim {
    BatchMedicalClaim {
        applicant: PersonId::new(p).unwrap(),
        claim: MedicalClaim {
            date: day(y, m, 1),
            out_of_pocket: yuan(oop),
        },
    }
}

#[test]
fn totals_and_running_caps() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let h = HouseholdClaims {
        file: with_student(file("subsistence", 3), "kid", SchoolStage::Undergraduate),
        medical: vec![
            med("p1", 2018, 3, "10000"),
            med("p1", 2018, 9, "30000"),
            med("p1", 2018, 10, "5000"), // cap reached: 0
            med("p1", 2018, 8, "5000"),  // out of order: refused, records nothing
            med("p2", 2018, 11, "1000"), // another applicant: own cap
            med("p1", 2019, 1, "40000"), // next year: own cap
        ],
        living: vec![],
        sending_warmth: vec![bangfu_aid::AmountClaim {
            date: day(2018, 2, 1),
            requested: None,
        }],
        education: vec![
            BatchEducationClaim {
                student: PersonId::new("kid").unwrap(),
                date: day(2018, 9, 1),
            },
            BatchEducationClaim {
                student: PersonId::new("kid").unwrap(),
                date: day(2018, 10, 1),
            },
        ],
    };
    let r = calc.evaluate(&[h], Explain::Off).unwrap();
    let amounts: Vec<_> = r
        .decisions
        .iter()
        .map(|d| {
            d.result
                .as_ref()
                .map(|x| x.amount.to_string())
                .map_err(|e| bangfu_core::Coded::code(e))
        })
        .collect();
    let want: Vec<Result<String, &str>> = vec![
        Ok("5000.00".into()),
        Ok("10000.00".into()),
        Ok("0.00".into()),
        Err("aid.batch.claims_out_of_order"),
        Ok("500.00".into()),
        Ok("15000.00".into()),
        Ok("800.00".into()),
        Ok("4000.00".into()),
        Ok("0.00".into()),
    ];
    assert_eq!(amounts, want);
    assert_eq!(r.decisions[6].list, ClaimList::SendingWarmth);
    assert_eq!(r.totals.medical.count, 4);
    assert_eq!(r.totals.medical.amount, yuan("30500"));
    assert_eq!(r.totals.education.count, 1);
    assert_eq!(r.totals.total.amount, yuan("35300"));
    assert_eq!(r.totals.total.count, 6);
    assert_eq!(r.totals.refused, 1);
    // Explanations on: the same amounts.
    let h2 = HouseholdClaims {
        file: file("subsistence", 3),
        medical: vec![med("p1", 2018, 3, "40000")],
        living: vec![],
        sending_warmth: vec![],
        education: vec![],
    };
    let on = calc
        .evaluate(std::slice::from_ref(&h2), Explain::On)
        .unwrap();
    let off = calc.evaluate(&[h2], Explain::Off).unwrap();
    assert_eq!(on.totals, off.totals);
    assert!(on.decisions[0].result.as_ref().unwrap().trace.is_some());
    assert_eq!(Money::ZERO, Money::ZERO);
}

#[test]
fn batch_over_threads_equals_one_batch() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let pop: Vec<HouseholdClaims> = (0..40u32)
        .map(|i| HouseholdClaims {
            file: file("subsistence", 1 + i % 4),
            medical: vec![
                med("p1", 2018, 2, &format!("{}", 1000 * i)),
                med("p1", 2018, 6, "20000.01"),
            ],
            living: vec![bangfu_aid::AmountClaim {
                date: day(2018, 3, 1),
                requested: Some(yuan(&format!("{}", 100 * i))),
            }],
            sending_warmth: vec![],
            education: vec![],
        })
        .collect();
    let whole = calc.evaluate(&pop, Explain::Off).unwrap();
    let (a, b) = pop.split_at(17);
    let (ra, rb) = std::thread::scope(|s| {
        let ta = s.spawn(|| calc.evaluate(a, Explain::Off).unwrap());
        let tb = s.spawn(|| calc.evaluate(b, Explain::Off).unwrap());
        (ta.join().unwrap(), tb.join().unwrap())
    });
    let joined: Vec<_> = ra
        .decisions
        .iter()
        .chain(rb.decisions.iter())
        .map(|d| d.result.clone())
        .collect();
    let whole_results: Vec<_> = whole.decisions.iter().map(|d| d.result.clone()).collect();
    assert_eq!(joined, whole_results);
    assert_eq!(
        ra.totals
            .total
            .amount
            .checked_add(rb.totals.total.amount)
            .unwrap(),
        whole.totals.total.amount
    );
}

/// An explained decision keeps its trace inline (no allocation) and small: a guard on the
/// record's size, which every decision of a batch carries.
#[test]
fn decisions_stay_small() {
    let d = size_of::<bangfu_aid::AidDecision<'static>>();
    // 240 since education may be months × the minimum living standard (its record keeps the
    // months, the standard and the rounding it used): 232 before.
    assert!(d <= 240, "AidDecision is {d} bytes");
    assert!(size_of::<bangfu_aid::Trace<'static>>() < d);
}
