//! Every error code string, pinned; each variant maps to a listed code with labels.

use bangfu_core::{Coded, CoreError, Labelled};
use bangfu_eligibility::*;

use crate::common::*;

#[test]
fn error_codes_are_pinned() {
    let pinned = [
        "eligibility.invalid_id_number",
        "eligibility.id_birth_mismatch",
        "eligibility.birth_after_application",
        "eligibility.negative_income",
        "eligibility.duplicate_person",
        "eligibility.unknown_relation",
        "eligibility.unknown_school_stage",
        "eligibility.policy.unknown_fact_kind",
        "eligibility.unknown_vehicle_kind",
        "eligibility.policy.invalid",
        "eligibility.case.wrong_stage",
        "eligibility.case.role_not_allowed",
        "eligibility.case.separation_of_duties",
        "eligibility.case.notice_not_over",
        "eligibility.case.outside_notice",
        "eligibility.case.date_out_of_order",
        "eligibility.case.note_required",
        "eligibility.case.not_eligible",
        "eligibility.registry.household_has_open_file",
        "eligibility.registry.person_in_other_file",
        "eligibility.registry.duplicate_case",
        "eligibility.registry.unknown_case",
        "eligibility.registry.household_mismatch",
        "eligibility.retention.file_not_closed",
        "eligibility.retention.not_over",
        "eligibility.retention.no_period",
        "eligibility.policy.revealing_id_mask",
    ];
    let listed: Vec<&str> = ERROR_CODES.iter().map(|(c, _, _)| *c).collect();
    assert_eq!(listed, pinned);
}

#[test]
fn every_variant_has_a_listed_code_and_its_labels() {
    let pid = || bangfu_core::PersonId::new("p").unwrap();
    let date = d(2018, 1, 1);
    let variants = vec![
        EligibilityError::InvalidIdNumber {
            masked: "x".into(),
            problem: IdProblem::Length,
        },
        EligibilityError::IdBirthMismatch {
            person: pid(),
            recorded: date,
            embedded: date,
        },
        EligibilityError::BirthAfterApplication {
            person: pid(),
            birth: date,
            application: date,
        },
        EligibilityError::NegativeIncome {
            field: "f".into(),
            value: "-1".into(),
        },
        EligibilityError::DuplicatePerson {
            household: "H1".parse().unwrap(),
        },
        EligibilityError::UnknownCode {
            kind: CodeKind::Relation,
            value: "x".into(),
            line: None,
        },
        EligibilityError::UnknownCode {
            kind: CodeKind::SchoolStage,
            value: "x".into(),
            line: Some(3),
        },
        EligibilityError::UnknownCode {
            kind: CodeKind::FactKind,
            value: "x".into(),
            line: None,
        },
        EligibilityError::UnknownCode {
            kind: CodeKind::VehicleKind,
            value: "x".into(),
            line: None,
        },
        EligibilityError::InvalidPolicy("m".into()),
        EligibilityError::WrongStage {
            event: EventKind::File,
            stage: Stage::Applied,
        },
        EligibilityError::RoleNotAllowed {
            event: EventKind::File,
            role: Role::Finance,
        },
        EligibilityError::SeparationOfDuties { person: pid() },
        EligibilityError::NoticeNotOver { date, until: date },
        EligibilityError::OutsideNotice {
            date,
            from: date,
            until: date,
        },
        EligibilityError::DateOutOfOrder {
            date,
            earliest: date,
        },
        EligibilityError::NoteRequired,
        EligibilityError::NotEligible,
        EligibilityError::HouseholdHasOpenFile {
            household: "H1".parse().unwrap(),
            case: case_id("H1/1"),
        },
        EligibilityError::PersonInOtherFile {
            masked: "x".into(),
            case: case_id("H1/1"),
        },
        EligibilityError::DuplicateCase(case_id("H1/1")),
        EligibilityError::UnknownCase(case_id("H1/1")),
        EligibilityError::HouseholdMismatch {
            expected: "H1".parse().unwrap(),
            given: "H2".parse().unwrap(),
        },
        EligibilityError::FileNotClosed("HK-1/1".parse().unwrap()),
        EligibilityError::RetentionNotOver {
            case: "HK-1/1".parse().unwrap(),
            until: date,
            date,
        },
        EligibilityError::NoRetentionPeriod { closed: date },
        EligibilityError::RevealingIdMask {
            from: date,
            keep_first: 17,
            keep_last: 0,
            unknown_digits: 0,
        },
    ];
    let mut seen = Vec::new();
    for v in &variants {
        let code = v.code();
        let row = ERROR_CODES
            .iter()
            .find(|(c, _, _)| *c == code)
            .unwrap_or_else(|| panic!("{code} not listed"));
        assert_eq!(v.zh(), row.1);
        assert_eq!(v.en(), row.2);
        assert!(!v.to_string().is_empty());
        seen.push(code);
    }
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len(),
        ERROR_CODES.len(),
        "every listed code is produced by a variant"
    );
    // Core errors keep their own codes and labels.
    let core = EligibilityError::from(CoreError::DivisionByZero);
    assert_eq!(core.code(), "core.rate.division_by_zero");
    assert_eq!(core.en(), "division by zero");
    assert_eq!(
        EligibilityError::UnknownCode {
            kind: CodeKind::SchoolStage,
            value: "x".into(),
            line: Some(3)
        }
        .to_string(),
        "unknown school_stage code \"x\" at line 3"
    );
}

#[test]
fn reason_and_flag_codes_are_pinned() {
    let reasons: Vec<&str> = ReasonKind::ALL.iter().map(|r| r.code()).collect();
    assert_eq!(
        reasons,
        [
            "eligibility.reason.excluded",
            "eligibility.reason.above_all_lines",
            "eligibility.reason.not_union_member",
            "eligibility.reason.contract_too_short",
            "eligibility.reason.missing_document",
        ]
    );
    let bases: Vec<&str> = ProposalBasis::ALL.iter().map(|b| b.code()).collect();
    assert_eq!(
        bases,
        [
            "review.child_graduated_employed",
            "review.illness_cured",
            "review.reemployed",
            "review.retirement_age",
            "review.income_above_line",
            "review.exclusion_applies",
            "review.income_above_line_months",
        ]
    );
    let flags: Vec<&str> = QualityFlag::ALL.iter().map(|f| f.code()).collect();
    assert_eq!(
        flags,
        [
            "quality.no_members",
            "quality.income_mismatch",
            "quality.school_age_mismatch",
            "quality.tier_mismatch",
            "quality.cause_without_document",
            "quality.missing_document",
        ]
    );
}
