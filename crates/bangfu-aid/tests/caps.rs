//! The calculators' limits, each with a test that fails when the limit is removed: medical
//! aid never above the person's own cost (a rate above 1), the sending-warmth range (clamped
//! or refused, as the policy says).

use bangfu_aid::{
    AidPolicy, AmountClaim, Calculator, DegreeCode, Explain, MedicalClaim, OutOfRange, Reason,
    YearToDate,
};
use bangfu_core::{CitationId, Coded, Money, Rate, Timeline};

use crate::common::*;

/// The Hainan policy with the medical rate set to `rate` from 2018.
fn with_rate(rate: &str) -> AidPolicy {
    let mut p = hainan().aid;
    p.medical.rate = Timeline::single(
        day(2018, 1, 1),
        Rate::parse(rate).unwrap(),
        CitationId::new("aid.seed.medical").unwrap(),
    );
    p.validate().unwrap();
    p
}

/// Rates above 1 are allowed (a policy may pay more than half, or all, of the cost; it says
/// so in data): then the person's own cost (自付费用) is what limits the aid. Each row: the
/// rate, the claim's out-of-pocket cost, the year's earlier cost and aid, the aid, the reason.
#[test]
fn medical_aid_is_never_above_the_own_cost() {
    let rows: &[(&str, &str, &str, &str, &str, Option<Reason>)] = &[
        // 1.5 × 1,000 = 1,500 > 1,000: the cost.
        (
            "1.5",
            "1000.00",
            "0",
            "0",
            "1000.00",
            Some(Reason::MedicalLimitedToCost),
        ),
        // Twice the cost, one fen.
        (
            "2",
            "0.01",
            "0",
            "0",
            "0.01",
            Some(Reason::MedicalLimitedToCost),
        ),
        // The cost over the year: 600 earlier (all paid) + 400 now; min(1.5 × 1,000, 1,000)
        // less the 600 paid.
        (
            "1.5",
            "400.00",
            "600.00",
            "600.00",
            "400.00",
            Some(Reason::MedicalLimitedToCost),
        ),
        // Exactly the cost at a rate of 1: not limited.
        ("1", "1000.00", "0", "0", "1000.00", None),
        // min(1.5 × 12,000, the cap 15,000, the cost 12,000) = the cost.
        (
            "1.5",
            "12000.00",
            "0",
            "0",
            "12000.00",
            Some(Reason::MedicalLimitedToCost),
        ),
        // min(1.5 × 20,000, 15,000, 20,000) = the cap.
        (
            "1.5",
            "20000.00",
            "0",
            "0",
            "15000.00",
            Some(Reason::MedicalCapped),
        ),
    ];
    let f = file("subsistence", 3);
    let degree = DegreeCode::new("subsistence").unwrap();
    for (i, &(rate, oop, cost, paid, want, reason)) in rows.iter().enumerate() {
        let p = with_rate(rate);
        let calc = Calculator::new(&p).unwrap();
        let so_far = YearToDate {
            cost: yuan(cost),
            paid: yuan(paid),
        };
        let claim = MedicalClaim {
            date: day(2018, 9, 1),
            out_of_pocket: yuan(oop),
        };
        let d = calc.medical(&f, claim, so_far, Explain::Off).unwrap();
        assert_eq!(d.amount, yuan(want), "row {i}");
        assert!(
            d.amount.checked_add(so_far.paid).unwrap()
                <= so_far.cost.checked_add(claim.out_of_pocket).unwrap(),
            "row {i}: the year's aid above the year's cost"
        );
        match reason {
            Some(r) => assert!(d.reasons.contains(r), "row {i}: {:?}", d.reasons),
            None => assert!(d.reasons.is_empty(), "row {i}: {:?}", d.reasons),
        }
        // The fast path and its column kernel apply the same limit.
        let fast = calc.resolve(&degree, day(2018, 9, 1)).unwrap();
        assert_eq!(
            fast.medical(claim.out_of_pocket, so_far).unwrap(),
            d.amount,
            "row {i} fast"
        );
        if so_far == YearToDate::default() {
            let column = [claim.out_of_pocket.fen(), claim.out_of_pocket.fen()];
            let twice = d.amount.checked_add(d.amount).unwrap();
            assert_eq!(
                fast.medical_sum_fen(&column).unwrap(),
                twice,
                "row {i} column"
            );
        }
    }
}

fn warmth(p: &AidPolicy, severe_household: bool, asked: &str) -> Result<Money, String> {
    let calc = Calculator::new(p).unwrap();
    let mut f = file("accident", 2);
    if severe_household {
        f = severe(f);
    }
    let claim = AmountClaim {
        date: day(2018, 2, 10),
        requested: Some(yuan(asked)),
    };
    calc.sending_warmth(&f, claim, Explain::Off)
        .map(|d| d.amount)
        .map_err(|e| e.code().to_owned())
}

fn with_out_of_range(handling: OutOfRange) -> AidPolicy {
    let mut p = hainan().aid;
    p.sending_warmth.out_of_range = Some(Timeline::single(
        day(2018, 1, 1),
        handling,
        CitationId::new("aid.assumed.warmth_out_of_range").unwrap(),
    ));
    p.validate().unwrap();
    p
}

/// Hainan's range is 800–1,000 per household. Outside it an amount is brought to the nearer
/// end or refused, as `aid.sending_warmth.out_of_range` says; at the ends it is paid as
/// asked in both.
#[test]
fn sending_warmth_outside_its_range_is_clamped_or_refused_as_the_policy_says() {
    let clamp = with_out_of_range(OutOfRange::Clamp);
    assert_eq!(clamp, hainan().aid, "the Hainan file clamps");
    let refuse = with_out_of_range(OutOfRange::Refuse);
    let out = || Err("aid.sending_warmth.out_of_range".to_owned());
    // (asked, clamped, refused)
    let rows: &[(&str, Result<Money, String>, Result<Money, String>)] = &[
        ("799.99", Ok(yuan("800.00")), out()),
        ("800.00", Ok(yuan("800.00")), Ok(yuan("800.00"))),
        ("900.00", Ok(yuan("900.00")), Ok(yuan("900.00"))),
        ("1000.00", Ok(yuan("1000.00")), Ok(yuan("1000.00"))),
        ("1000.01", Ok(yuan("1000.00")), out()),
        ("0.00", Ok(yuan("800.00")), out()),
    ];
    for (asked, clamped, refused) in rows {
        for sev in [false, true] {
            assert_eq!(&warmth(&clamp, sev, asked), clamped, "clamp {asked} {sev}");
            assert_eq!(
                &warmth(&refuse, sev, asked),
                refused,
                "refuse {asked} {sev}"
            );
        }
    }
    // The rule's value and citation are in the explanation.
    let calc = Calculator::new(&refuse).unwrap();
    let claim = AmountClaim {
        date: day(2018, 2, 10),
        requested: Some(yuan("900.00")),
    };
    let d = calc
        .sending_warmth(&file("accident", 2), claim, Explain::On)
        .unwrap();
    let ex = d.explanation().unwrap();
    let used = ex
        .parameters
        .iter()
        .find(|u| u.name == "aid.sending_warmth.out_of_range")
        .unwrap();
    assert_eq!(used.value, "refuse");
    // A policy with a range must say which: without the rule it is refused on load.
    let mut none = hainan().aid;
    none.sending_warmth.out_of_range = None;
    let err = none.validate().unwrap_err();
    assert_eq!(err.code(), "aid.policy.invalid");
    assert!(
        err.to_string().contains("aid.sending_warmth.out_of_range"),
        "{err}"
    );
}
