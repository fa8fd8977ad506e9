//! Policy files: parsing, citations, typed errors with lines, validation, the scheme switch.

use bangfu_core::Coded;
use bangfu_eligibility::*;

use crate::common::*;

#[test]
fn both_files_parse_and_every_cite_is_defined() {
    for src in [HAINAN_2018_POLICY_TOML, EXAMPLE_POLICY_TOML] {
        let file = load(src);
        let ids = file.eligibility.citation_ids();
        assert!(ids.len() >= 10);
        for id in ids {
            // The minimum living standard is the policy's own table, cited from its own.
            if id.as_str().starts_with("mls.") {
                continue;
            }
            assert!(id.as_str().starts_with("elig."), "{id}");
            assert!(
                file.citations.contains(id),
                "{id} missing from the citation table"
            );
        }
        // Every citation in the file is used (no stray ids).
        for (id, _) in file.citations.iter() {
            assert!(file.eligibility.citation_ids().contains(&id), "{id} unused");
        }
        // The library's own parser agrees.
        let own = EligibilityPolicyFile::from_toml(src).unwrap();
        assert_eq!(own.eligibility.minimum_living_standard, None);
        assert_eq!(
            own.eligibility
                .with_minimum_standard(Some(standard_for(src))),
            file.eligibility
        );
        // Serialising and reading back gives the same policy.
        // (The minimum living standard is the file's top-level table, not the section's.)
        let json = serde_json::to_string(&file.eligibility).unwrap();
        assert_eq!(
            serde_json::from_str::<EligibilityPolicy>(&json)
                .unwrap()
                .with_minimum_standard(Some(standard_for(src))),
            file.eligibility
        );
    }
}

#[test]
fn assumed_values_are_marked() {
    let file = load(HAINAN_2018_POLICY_TOML);
    for (id, c) in file.citations.iter() {
        assert_eq!(id.as_str().starts_with("elig.assumed."), c.assumed, "{id}");
    }
    let notice = &file.eligibility.notice_working_days.entries()[0];
    assert_eq!(notice.value, 5);
    assert!(file.citations.get(&notice.cite).unwrap().assumed);
}

#[test]
fn the_scheme_switches_by_date() {
    let p = example2020();
    let on = |date| p.schemes.at("s", date).unwrap().value.kind;
    assert_eq!(on(d(2018, 1, 1)), SchemeKind::Legacy2018);
    assert_eq!(on(d(2019, 12, 31)), SchemeKind::Legacy2018);
    assert_eq!(on(d(2020, 1, 1)), SchemeKind::Graded2020);
    // The same household, decided either side of the switch.
    let h = household(1, yuan("14000"), 1); // 583.33 a month each
    let before = assess(&p, &h, d(2019, 12, 31)).unwrap();
    let after = assess(&p, &h, d(2020, 1, 1)).unwrap();
    assert_eq!(before.scheme, SchemeKind::Legacy2018);
    assert_eq!(after.scheme, SchemeKind::Graded2020);
    assert!(matches!(
        before.outcome,
        Outcome::Eligible {
            category: HardshipCategory::NearSubsistence,
            ..
        }
    ));
    // 2020: L = 600, 583.33 < 600: deep hardship.
    assert!(matches!(
        after.outcome,
        Outcome::Eligible {
            category: HardshipCategory::Deep,
            ..
        }
    ));
    assert_eq!(after.per_capita.standard, yuan("600"));
    // Before the first value: an error, not a default.
    let err = assess(&p, &h, d(2017, 12, 31)).unwrap_err();
    assert_eq!(err.code(), "core.parameter.not_in_force");
    // Hainan 2018 alone never switches.
    assert_eq!(
        hainan().schemes.at("s", d(2030, 1, 1)).unwrap().value.kind,
        SchemeKind::Legacy2018
    );
}

#[test]
fn unknown_fact_kind_is_typed_with_its_line() {
    let src = HAINAN_2018_POLICY_TOML.replace(
        "any = [{ fact = \"homes_owned\", at_least = 2 }]",
        "any = [{ fact = \"yacht_owned\", at_least = 1 }]",
    );
    let line = src.lines().position(|l| l.contains("yacht_owned")).unwrap() + 1;
    let err = EligibilityPolicyFile::from_toml(&src).unwrap_err();
    assert_eq!(err.code(), "eligibility.policy.unknown_fact_kind");
    assert_eq!(
        err,
        EligibilityError::UnknownCode {
            kind: CodeKind::FactKind,
            value: "yacht_owned".into(),
            line: Some(line),
        }
    );
    // The wrapper-free section parser says the same.
    assert_eq!(
        EligibilityPolicy::from_toml_section(&src)
            .unwrap_err()
            .code(),
        "eligibility.policy.unknown_fact_kind"
    );
    // An unknown vehicle kind in an exemption list too.
    let src = HAINAN_2018_POLICY_TOML.replace("\"motorcycle\"]", "\"hovercraft\"]");
    let err = EligibilityPolicyFile::from_toml(&src).unwrap_err();
    assert_eq!(err.code(), "eligibility.unknown_vehicle_kind");
}

#[test]
fn malformed_toml_reports_its_line() {
    let src = HAINAN_2018_POLICY_TOML.replacen("value = 5\n", "value = = 5\n", 1);
    let line = src.lines().position(|l| l.contains("value = = 5")).unwrap() + 1;
    let err = EligibilityPolicyFile::from_toml(&src).unwrap_err();
    assert_eq!((err.code(), err.line()), ("read.syntax", Some(line)));
    // An unknown field is refused (deny_unknown_fields), with its line.
    let src = HAINAN_2018_POLICY_TOML.replacen("value = 12\n", "value = 12\nextra = 1\n", 1);
    let line = src.lines().position(|l| l == "extra = 1").unwrap() + 1;
    let err = EligibilityPolicyFile::from_toml(&src).unwrap_err();
    assert_eq!((err.code(), err.line()), ("read.unknown_field", Some(line)));
    // A bad date.
    let src = HAINAN_2018_POLICY_TOML.replacen("from = \"2017-01-01\"", "from = \"2017-02-30\"", 1);
    let err = EligibilityPolicyFile::from_toml(&src).unwrap_err();
    assert_eq!(err.code(), "core.date.malformed");
    assert!(err.line().is_some());
}

#[test]
fn line_of_counts_lines() {
    let src = "a\nbb\n\nccc";
    assert_eq!(line_of(src, 0), 1);
    assert_eq!(line_of(src, 1), 1);
    assert_eq!(line_of(src, 2), 2);
    assert_eq!(line_of(src, 5), 3);
    assert_eq!(line_of(src, 6), 4);
    assert_eq!(line_of(src, 999), 4);
    assert_eq!(line_of("", 3), 1);
}

#[test]
fn validation_refuses_inconsistent_policies() {
    let base = hainan();
    let invalid = |p: &EligibilityPolicy| {
        let err = p.validate().unwrap_err();
        assert_eq!(err.code(), "eligibility.policy.invalid", "{err}");
    };
    let mut p = base.clone();
    let dup = p.exclusions[0].clone();
    p.exclusions.push(dup);
    invalid(&p);
    let mut p = base.clone();
    p.exclusions[0].zh = " ".into();
    invalid(&p);
    let mut p = base.clone();
    p.exclusions[0].any.clear();
    invalid(&p);
    let mut p = base.clone();
    p.exclusions[0].any[0].exempt_vehicle_kinds = vec![VehicleKind::Motorcycle];
    invalid(&p);
    let mut p = base.clone();
    p.exclusions[0].until = Some(d(2016, 12, 31));
    invalid(&p);
    let src = HAINAN_2018_POLICY_TOML.replace("category = \"subsistence\"", "category = \"deep\"");
    assert_eq!(
        EligibilityPolicyFile::from_toml(&src).unwrap_err().code(),
        "eligibility.policy.invalid"
    );
    let src = HAINAN_2018_POLICY_TOML.replace(
        "keep_first = 6, keep_last = 4",
        "keep_first = 10, keep_last = 8",
    );
    assert_eq!(
        EligibilityPolicyFile::from_toml(&src).unwrap_err().code(),
        "eligibility.policy.revealing_id_mask"
    );
    let src = HAINAN_2018_POLICY_TOML.replace(
        "{ stage = \"primary\", min_age = 5, max_age = 14 }",
        "{ stage = \"primary\", min_age = 15, max_age = 14 }",
    );
    assert_eq!(
        EligibilityPolicyFile::from_toml(&src).unwrap_err().code(),
        "eligibility.policy.invalid"
    );
    // A cite missing from the table.
    let src =
        HAINAN_2018_POLICY_TOML.replace("cite = \"elig.seed.letters\"", "cite = \"elig.nowhere\"");
    assert_eq!(
        EligibilityPolicyFile::from_toml(&src).unwrap_err().code(),
        "eligibility.policy.invalid"
    );
    base.validate().unwrap();
}

#[test]
fn timelines_in_the_example_change_values() {
    let p = example2020();
    assert_eq!(
        p.notice_working_days
            .at("n", d(2022, 12, 31))
            .unwrap()
            .value,
        5
    );
    assert_eq!(
        p.notice_working_days.at("n", d(2023, 1, 1)).unwrap().value,
        7
    );
    assert_eq!(
        p.minimum_living_standard
            .as_ref()
            .unwrap()
            .at(None, d(2019, 6, 1))
            .unwrap()
            .value,
        yuan("500")
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(proptest_config(128))]
        /// Cutting a piece out of a policy file never panics; an error names a real line.
        #[test]
        fn damaged_policy_files_give_typed_errors(start in 0usize..9000, len in 1usize..40) {
            let src = HAINAN_2018_POLICY_TOML;
            let start = start.min(src.len());
            let end = (start + len).min(src.len());
            if !src.is_char_boundary(start) || !src.is_char_boundary(end) {
                return Ok(());
            }
            let damaged = format!("{}{}", &src[..start], &src[end..]);
            match EligibilityPolicyFile::from_toml(&damaged) {
                Ok(file) => prop_assert!(file.eligibility.validate().is_ok()),
                Err(e) => {
                    let code = e.code();
                    prop_assert!(code.starts_with("eligibility.") || code.starts_with("core.") || code.starts_with("read."), "{}", code);
                    let lines = damaged.lines().count().max(1);
                    if let Some(line) = e.line() {
                        prop_assert!((1..=lines + 1).contains(&line), "line {} of {}", line, lines);
                    }
                }
            }
        }

        #[test]
        fn any_text_as_an_id_number_never_panics(text in "\\PC{0,30}") {
            match IdNumber::parse(&text) {
                Ok(id) => {
                    prop_assert_eq!(id.expose().len(), 18);
                    prop_assert!(id.to_string().contains('*'));
                }
                Err(e) => {
                    prop_assert_eq!(e.code(), "eligibility.invalid_id_number");
                    // The message never shows the text whole, unless the hidden middle
                    // (after the first 6, before the last 4 characters) was '*' already.
                    let chars: Vec<char> = text.chars().collect();
                    let hidden_all_stars = chars
                        .iter()
                        .take(chars.len().saturating_sub(4))
                        .skip(6)
                        .all(|&c| c == '*');
                    if chars.len() > 10 && !hidden_all_stars {
                        prop_assert!(!e.to_string().contains(&text));
                    }
                }
            }
        }
    }
}

#[test]
fn a_masked_id_number_hides_its_middle_even_when_it_was_stars() {
    // The case proptest found: the one hidden character was '*' already, so the masked text
    // equals the input; masking still shows no more than the first 6 and last 4 characters.
    let text = "កA0﹨ ꬠ*\u{c00}0𐦼0";
    let masked = bangfu_eligibility::IdMask::DISPLAY.mask_str(text);
    assert_eq!(masked.chars().filter(|&c| c != '*').count(), 10);
}
