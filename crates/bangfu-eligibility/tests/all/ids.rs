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

/// Issue 13, part 1: a report mask showing 17 of the 18 characters reveals the number (the
/// check character gives back the one hidden digit, or is itself computed from the other
/// 17), and so does any mask that leaves fewer than four digits unknown; the policy is
/// refused when it loads, with a typed error. Masks that keep enough hidden still load.
#[test]
fn a_mask_that_reveals_the_number_is_refused_when_the_policy_loads() {
    let with_mask = |first: usize, last: usize| {
        let src = HAINAN_2018_POLICY_TOML.replace(
            "keep_first = 6, keep_last = 4",
            &format!("keep_first = {first}, keep_last = {last}"),
        );
        assert!(src.contains(&format!("keep_first = {first}, keep_last = {last}")));
        src
    };
    let seventeen = (0..=17).map(|first| (first, 17 - first));
    let weak = [
        (10, 4),
        (14, 0),
        (14, 1),
        (6, 6),
        (6, 7),
        (0, 8),
        (10, 8),
        (18, 0),
        (9, 9),
    ];
    for (first, last) in seventeen.chain(weak) {
        let src = with_mask(first, last);
        for err in [
            EligibilityPolicyFile::from_toml(&src).err(),
            EligibilityPolicy::from_toml_section(&src).err(),
        ] {
            let err = err.unwrap_or_else(|| panic!("mask {first}+{last} accepted"));
            assert_eq!(
                err.code(),
                "eligibility.policy.revealing_id_mask",
                "mask {first}+{last}: {err}"
            );
        }
    }
    for (first, last) in [
        (6, 4),
        (3, 4),
        (1, 1),
        (0, 0),
        (8, 4),
        (6, 5),
        (12, 1),
        (13, 0),
    ] {
        EligibilityPolicyFile::from_toml(&with_mask(first, last))
            .unwrap_or_else(|e| panic!("mask {first}+{last} refused: {e}"));
    }
}

/// The ID numbers a reader of `masked` (the mask of `id`) cannot tell apart from `id`: those
/// with `id`'s region and century (characters 1–8, which the reader is taken to know), a
/// valid birth date and the right check character, agreeing with every shown character.
/// Brute force over the hidden characters 9–18.
fn candidates(id: &IdNumber, masked: &str) -> usize {
    fn fill(buf: &mut [u8; 18], at: usize, count: &mut usize) {
        let Some(i) = (at..18).find(|&i| buf[i] == b'*') else {
            if IdNumber::parse(std::str::from_utf8(buf).unwrap()).is_ok() {
                *count += 1;
            }
            return;
        };
        let options: &[u8] = if i == 17 {
            b"0123456789X"
        } else {
            b"0123456789"
        };
        for &c in options {
            buf[i] = c;
            fill(buf, i + 1, count);
        }
        buf[i] = b'*';
    }
    let mut buf: [u8; 18] = masked.as_bytes().try_into().unwrap();
    buf[..8].copy_from_slice(&id.expose().as_bytes()[..8]);
    let mut count = 0;
    fill(&mut buf, 0, &mut count);
    count
}

/// ID numbers with awkward birthdays (month ends, leap days) for the brute-force checks.
fn sample_ids() -> Vec<IdNumber> {
    [
        "11010519491231002",
        "46010020000229001",
        "46010019750520001",
        "46010019881130002",
        "46010020190228003",
    ]
    .iter()
    .map(|s| IdNumber::with_check_digit(s).unwrap())
    .collect()
}

/// Why the bound exists: with 17 of the 18 characters shown, exactly one number fits.
#[test]
fn seventeen_characters_shown_give_the_number_back() {
    for id in sample_ids() {
        for first in 0..=17 {
            let mask = IdMask {
                keep_first: first,
                keep_last: 17 - first,
            };
            assert_eq!(
                candidates(&id, &mask.mask_str(id.expose())),
                1,
                "{first}+{}",
                17 - first
            );
            assert!(!mask.protects_id_numbers());
            assert_eq!(id.masked(&mask), "*".repeat(18));
        }
    }
}

/// What the bound buys: every mask a policy may hold leaves at least 300 numbers that fit
/// what it shows (brute force over the weakest ones, which hide five characters; every
/// allowed mask hides all that one of them hides, and hiding more only adds candidates).
#[test]
fn every_allowed_mask_leaves_hundreds_of_candidates() {
    let masks: Vec<IdMask> = (0..=18usize)
        .flat_map(|first| {
            (0..=18 - first).map(move |last| IdMask {
                keep_first: first,
                keep_last: last,
            })
        })
        .collect();
    let weakest: Vec<IdMask> = masks
        .iter()
        .copied()
        .filter(|m| m.protects_id_numbers() && m.keep_first + m.keep_last == 13)
        .collect();
    // Every allowed mask hides at least what one of the weakest hides.
    for m in masks.iter().filter(|m| m.protects_id_numbers()) {
        assert!(
            weakest
                .iter()
                .any(|w| w.keep_first >= m.keep_first && w.keep_last >= m.keep_last),
            "{m:?}"
        );
    }
    assert_eq!(weakest.len(), 6, "{weakest:?}");
    for id in sample_ids() {
        for m in &weakest {
            let n = candidates(&id, &m.mask_str(id.expose()));
            assert!(n >= 300, "{m:?} leaves {n} for {}", id.expose());
        }
    }
    // Masks just below the bound leave far fewer: month and day hidden, 32 at most.
    let month_day = IdMask {
        keep_first: 10,
        keep_last: 4,
    };
    assert!(!month_day.protects_id_numbers());
    assert!(
        sample_ids()
            .iter()
            .all(|id| candidates(id, &month_day.mask_str(id.expose())) <= 40)
    );
}

proptest! {
    /// Whatever mask is passed, the masked form of a number either follows a protecting mask
    /// or shows nothing: never 17 characters, never the check character with all of 9–17.
    #[test]
    fn a_masked_number_never_gives_itself_away(region in 110000u32..660000, days in 0i64..40000, seq in 0u32..1000, first in 0usize..24, last in 0usize..24) {
        let birth = d(1920, 1, 1) + chrono::Days::new(days as u64);
        let id = IdNumber::with_check_digit(&format!("{region:06}{}{seq:03}", birth.format("%Y%m%d"))).unwrap();
        let mask = IdMask { keep_first: first, keep_last: last };
        let shown = id.masked(&mask);
        prop_assert_eq!(shown.chars().count(), 18);
        if mask.protects_id_numbers() {
            prop_assert_eq!(&shown, &mask.mask_str(id.expose()));
        } else {
            prop_assert_eq!(&shown, &"*".repeat(18));
        }
        let visible: Vec<bool> = shown.chars().map(|c| c != '*').collect();
        prop_assert!(visible.iter().filter(|v| **v).count() <= 16);
        prop_assert!(!(visible[17] && visible[8..17].iter().all(|v| *v)));
    }
}
