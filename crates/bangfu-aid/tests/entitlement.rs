//! What remains on a date, read from the payments recorded (issue 14 item 7): every kind
//! (medical, living, sending warmth, education, temporary), a payment on the date counting
//! and one the day after not, through the function and through a JSON Lines request.

use bangfu_aid::{AidPolicy, Calculator, Decision, Explain, FileFacts, PaymentRecord, Request};
use bangfu_core::{Money, NaiveDate, PersonId};

use crate::common::{day, yuan};

fn file() -> FileFacts {
    serde_json::from_str(
        r#"{"case":"HK-1/1","household":"HK-1","tier":"national","degree":"subsistence",
            "household_size":3,"status":"active",
            "students":[{"person":"kid","stage":"undergraduate"},{"person":"small","stage":"primary"}]}"#,
    )
    .unwrap()
}

/// One payment of each kind, on the given day of 2018.
fn payments(on: NaiveDate) -> Vec<PaymentRecord> {
    let d = on.format("%Y-%m-%d");
    serde_json::from_str(&format!(
        r#"[{{"claim":"m-1","date":"{d}","category":"medical","person":"w","amount":"5000.00"}},
            {{"claim":"l-1","date":"{d}","category":"living","amount":"1200.00"}},
            {{"claim":"w-1","date":"{d}","category":"living","aid_kind":"sending_warmth","amount":"800.00"}},
            {{"claim":"e-1","date":"{d}","category":"education","person":"kid","amount":"4000.00"}},
            {{"claim":"t-1","date":"{d}","category":"living","aid_kind":"temporary","person":"w","amount":"1000.00"}}]"#
    ))
    .unwrap()
}

#[test]
fn a_payment_counts_from_its_day_and_not_before() {
    let policy = AidPolicy::hainan_2018().unwrap();
    let calc = Calculator::new(&policy).unwrap();
    let w = PersonId::new("w").unwrap();
    let paid = payments(day(2018, 6, 1));
    let before = calc
        .entitlement(&file(), day(2018, 5, 31), Some(&w), &paid, Explain::Off)
        .unwrap();
    let on = calc
        .entitlement(&file(), day(2018, 6, 1), Some(&w), &paid, Explain::Off)
        .unwrap();
    // The day before: nothing paid yet.
    assert_eq!(
        (before.medical_paid, before.living_paid),
        (Money::ZERO, Money::ZERO)
    );
    assert_eq!(before.medical_remaining, yuan("15000"));
    let warmth = before.sending_warmth.unwrap();
    assert_eq!(
        (warmth.cap, warmth.paid, warmth.remaining),
        (yuan("1000"), Money::ZERO, yuan("1000"))
    );
    assert_eq!(before.education[0].remaining, yuan("4000"));
    // On the day: every kind counts its payment.
    assert_eq!(on.medical_paid, yuan("5000"));
    assert_eq!(on.medical_remaining, yuan("10000"));
    assert_eq!(on.living_paid, yuan("1200"));
    assert_eq!(
        on.living_remaining,
        on.living_cap.map(|c| c.checked_sub(yuan("1200")).unwrap())
    );
    let warmth = on.sending_warmth.unwrap();
    assert_eq!((warmth.paid, warmth.remaining), (yuan("800"), yuan("200")));
    let kid = &on.education[0];
    assert_eq!(
        (kid.student.as_str(), kid.paid, kid.remaining),
        ("kid", yuan("4000"), Money::ZERO)
    );
    // A stage the policy does not cover has nothing, paid or not.
    let small = &on.education[1];
    assert_eq!((small.amount, small.remaining), (None, Money::ZERO));
    // Hainan has no temporary aid: no line for it.
    assert!(on.temporary.is_none());
}

#[test]
fn temporary_aid_remains_per_person_under_hubei() {
    let policy = AidPolicy::hubei_2023().unwrap();
    let calc = Calculator::new(&policy).unwrap();
    let file: FileFacts = serde_json::from_str(
        r#"{"case":"WH-1/1","household":"WH-1","tier":"national","degree":"deep",
            "household_size":4,"status":"active"}"#,
    )
    .unwrap();
    let paid = payments(day(2023, 6, 1));
    let w = PersonId::new("w").unwrap();
    let other = PersonId::new("other").unwrap();
    let at = |p: &PersonId, d| {
        calc.entitlement(&file, d, Some(p), &paid, Explain::Off)
            .unwrap()
    };
    let t = at(&w, day(2023, 6, 1)).temporary.unwrap();
    assert_eq!(
        (t.cap, t.paid, t.remaining),
        (yuan("3000"), yuan("1000"), yuan("2000"))
    );
    assert_eq!(
        at(&w, day(2023, 5, 31)).temporary.unwrap().remaining,
        yuan("3000")
    );
    assert_eq!(
        at(&other, day(2023, 6, 1)).temporary.unwrap().paid,
        Money::ZERO
    );
    // Payments of another year count nowhere.
    assert_eq!(at(&w, day(2024, 1, 2)).temporary.unwrap().paid, Money::ZERO);
}

/// JSON Lines reads the same function: a payment after the date asked is ignored, not
/// refused, and one on the date counts.
#[test]
fn the_json_lines_query_reads_payments_as_of_its_date() {
    let policy = AidPolicy::hainan_2018().unwrap();
    let calc = Calculator::new(&policy).unwrap();
    let f = serde_json::to_string(&file()).unwrap();
    let line = |date: &str| {
        format!(
            r#"{{"kind":"remaining_entitlement","file":{f},"date":"{date}","applicant":"w",
               "earlier_payments":{}}}"#,
            serde_json::to_string(&payments(day(2018, 6, 1))).unwrap()
        )
    };
    let answer = |date: &str| {
        let Decision::RemainingEntitlement(e) = calc
            .decide(&Request::from_json(&line(date)).unwrap(), Explain::Off)
            .unwrap()
        else {
            panic!()
        };
        e.entitlement
    };
    let w = PersonId::new("w").unwrap();
    for date in [day(2018, 5, 31), day(2018, 6, 1)] {
        let direct = calc
            .entitlement(
                &file(),
                date,
                Some(&w),
                &payments(day(2018, 6, 1)),
                Explain::Off,
            )
            .unwrap();
        assert_eq!(answer(&date.format("%Y-%m-%d").to_string()), direct);
    }
    assert_eq!(answer("2018-05-31").medical_paid, Money::ZERO);
    assert_eq!(answer("2018-06-01").medical_paid, yuan("5000"));
}
