//! National ID numbers: validation, embedded birth date, masking.

use bangfu_core::Coded;
use bangfu_eligibility::*;
use proptest::prelude::*;

use crate::common::*;

#[test]
fn valid_numbers_and_their_parts() {
    // The GB 11643 worked example.
    let id = IdNumber::parse("11010519491231002X").unwrap();
    assert_eq!(id.birth_date(), d(1949, 12, 31));
    assert_eq!(id.sex(), Sex::Female);
    assert_eq!(id.expose(), "11010519491231002X");
    // Lowercase x is accepted and stored uppercase.
    assert_eq!(IdNumber::parse("11010519491231002x").unwrap(), id);
    let male = IdNumber::with_check_digit("46010019750520001").unwrap();
    assert_eq!(male.sex(), Sex::Male);
}

#[test]
fn each_problem_is_typed() {
    let problem = |s: &str| match IdNumber::parse(s).unwrap_err() {
        EligibilityError::InvalidIdNumber { problem, .. } => problem,
        other => panic!("{other:?}"),
    };
    assert_eq!(problem("1101051949123100"), IdProblem::Length);
    assert_eq!(problem("11010519491231002XX"), IdProblem::Length);
    assert_eq!(problem("11010519491231002Y"), IdProblem::Characters);
    assert_eq!(problem("1101051949123100X2"), IdProblem::Characters);
    assert_eq!(problem("110105194913310021"), IdProblem::BirthDate);
    assert_eq!(problem("110105194902300021"), IdProblem::BirthDate);
    assert_eq!(problem("110105194912310021"), IdProblem::CheckDigit);
    assert_eq!(
        problem("１１０１０５１９４９１２３１００２X"),
        IdProblem::Length
    );
    let err = IdNumber::parse("110105194912310021").unwrap_err();
    assert_eq!(err.code(), "eligibility.invalid_id_number");
}

#[test]
fn debug_display_and_errors_are_masked() {
    let id = IdNumber::parse("11010519491231002X").unwrap();
    assert_eq!(id.to_string(), "110105********002X");
    assert_eq!(format!("{id:?}"), "IdNumber(110105********002X)");
    let h = poor(1);
    let shown = format!("{h:?}");
    for p in h.persons() {
        assert!(
            !shown.contains(p.id_number.expose()),
            "Debug of a household leaks an ID number"
        );
    }
    let err = IdNumber::parse("110105194912310021").unwrap_err();
    assert!(!err.to_string().contains("110105194912310021"));
    assert!(!format!("{err:?}").contains("110105194912310021"));
    // A report mask from the policy.
    let mask = hainan().id_mask.entries()[0].value;
    assert_eq!(id.masked(&mask), "110105********002X");
    assert_eq!(
        id.masked(&IdMask {
            keep_first: 0,
            keep_last: 0
        }),
        "*".repeat(18)
    );
}

#[test]
fn serde_keeps_the_full_number_and_validates() {
    let id = IdNumber::parse("11010519491231002X").unwrap();
    let json = serde_json::to_string(&id).unwrap();
    assert_eq!(json, "\"11010519491231002X\"");
    assert_eq!(serde_json::from_str::<IdNumber>(&json).unwrap(), id);
    let err = serde_json::from_str::<IdNumber>("\"110105194912310021\"").unwrap_err();
    assert!(!err.to_string().contains("110105194912310021"));
    let err = bangfu_core::read::from_json_str::<IdNumber>("\"110105194912310021\"").unwrap_err();
    assert_eq!(
        bangfu_core::Coded::code(&err),
        "eligibility.invalid_id_number"
    );
    assert!(!err.to_string().contains("110105194912310021"), "{err}");
    assert!(
        !format!("{err:?}").contains("110105194912310021"),
        "{err:?}"
    );
}

proptest! {
    #[test]
    fn masking_never_shows_more_than_allowed(text in "[0-9X]{0,24}", first in 0usize..20, last in 0usize..20) {
        let mask = IdMask { keep_first: first, keep_last: last };
        let out = mask.mask_str(&text);
        prop_assert_eq!(out.chars().count(), text.chars().count());
        let shown = out.chars().zip(text.chars()).enumerate().filter(|(_, (o, _))| *o != '*').count();
        prop_assert!(shown <= first + last);
        prop_assert!(shown < text.chars().count() || text.is_empty() || shown == 0);
        for (i, (o, t)) in out.chars().zip(text.chars()).enumerate() {
            let n = text.chars().count();
            let allowed = first + last < n && (i < first || i >= n - last);
            if o != '*' {
                prop_assert!(allowed, "position {} shown", i);
                prop_assert_eq!(o, t);
            }
        }
    }

    #[test]
    fn displayed_ids_show_at_most_ten_characters(region in 110000u32..660000, days in 0i64..30000, seq in 0u32..1000) {
        let birth = d(1930, 1, 1) + chrono::Days::new(days as u64);
        let first17 = format!("{region:06}{}{seq:03}", birth.format("%Y%m%d"));
        let id = IdNumber::with_check_digit(&first17).unwrap();
        prop_assert_eq!(id.birth_date(), birth);
        let shown = id.to_string();
        prop_assert_eq!(shown.chars().filter(|c| *c != '*').count(), 10);
        prop_assert_eq!(&shown[..6], &id.expose()[..6]);
        prop_assert_eq!(&shown[14..], &id.expose()[14..]);
        // Re-parsing the full number gives the same id; changing the check digit breaks it.
        prop_assert_eq!(IdNumber::parse(id.expose()).unwrap(), id.clone());
        let last = id.expose().chars().last().unwrap();
        let wrong = if last == '0' { '1' } else { '0' };
        let broken = format!("{}{wrong}", &id.expose()[..17]);
        prop_assert!(IdNumber::parse(&broken).is_err());
    }
}
