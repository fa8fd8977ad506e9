//! Every error and reason code, pinned; every kind of bad input triggers its typed error.

use bangfu_aid::{
    AidError, AmountClaim, Calculator, Explain, MedicalClaim, Reason, Request, YearToDate,
};
use bangfu_core::{ArchiveStatus, Coded, CoreError, Labelled, Money};

use crate::common::*;

#[test]
fn error_codes_are_pinned() {
    let d = day(2018, 1, 1);
    let table: Vec<(AidError, &str)> = vec![
        (
            AidError::NotPayable {
                status: ArchiveStatus::Pending,
                date: d,
            },
            "aid.file.not_payable",
        ),
        (
            AidError::StatusMissing { date: d },
            "aid.file.status_missing",
        ),
        (
            AidError::StatusConflict {
                given: ArchiveStatus::Active,
                derived: ArchiveStatus::Cancelled,
                date: d,
            },
            "aid.file.status_conflict",
        ),
        (AidError::StatusEventsOrder, "aid.file.status_events_order"),
        (
            AidError::UnknownDegree { degree: "x".into() },
            "aid.file.unknown_degree",
        ),
        (AidError::ZeroHouseholdSize, "aid.file.zero_household_size"),
        (
            AidError::UnknownStudent {
                student: "s".into(),
            },
            "aid.education.unknown_student",
        ),
        (
            AidError::NotInForce {
                parameter: "p".into(),
                date: d,
            },
            "aid.parameter.not_in_force",
        ),
        (
            AidError::NoValueForDegree {
                parameter: "p",
                degree: "x".into(),
            },
            "aid.parameter.no_value_for_degree",
        ),
        (
            AidError::AmountRequired { parameter: "p" },
            "aid.amount.required",
        ),
        (
            AidError::WarmthOutOfRange {
                amount: Money::ZERO,
                range: bangfu_aid::AmountRange {
                    min: Money::ZERO,
                    max: Money::ZERO,
                },
            },
            "aid.sending_warmth.out_of_range",
        ),
        (AidError::Overflow, "aid.amount.overflow"),
        (
            AidError::HistoryAfterClaim { entry: d, claim: d },
            "aid.history.after_claim",
        ),
        (
            AidError::HistoryMissingPerson {
                category: "medical",
            },
            "aid.history.missing_person",
        ),
        (
            AidError::ApplicantRequired,
            "aid.request.applicant_required",
        ),
        (
            AidError::ClaimsOutOfOrder { date: d },
            "aid.batch.claims_out_of_order",
        ),
        (
            AidError::InvalidPolicy {
                parameter: "p".into(),
                problem: "x",
            },
            "aid.policy.invalid",
        ),
        (
            AidError::UnknownKind {
                kind: "lottery".into(),
            },
            "aid.request.unknown_kind",
        ),
        (
            AidError::Core(CoreError::DivisionByZero),
            "core.rate.division_by_zero",
        ),
    ];
    for (err, code) in &table {
        assert_eq!(err.code(), *code, "{err:?}");
        assert!(!err.zh().is_empty() && !err.en().is_empty());
        assert_ne!(
            err.en(),
            "aid calculation error",
            "{code} has its own label"
        );
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn reason_codes_are_pinned() {
    let table = [
        (Reason::MedicalCapped, "aid.medical.capped"),
        (Reason::MedicalCapReached, "aid.medical.cap_reached"),
        (Reason::MedicalLimitedToCost, "aid.medical.limited_to_cost"),
        (Reason::MedicalNothingMore, "aid.medical.nothing_more"),
        (Reason::LivingPerTimeMax, "aid.living.per_time_max"),
        (Reason::LivingYearlyCap, "aid.living.yearly_cap"),
        (
            Reason::LivingYearlyCapReached,
            "aid.living.yearly_cap_reached",
        ),
        (
            Reason::WarmthRaisedToMin,
            "aid.sending_warmth.raised_to_min",
        ),
        (
            Reason::WarmthLoweredToMax,
            "aid.sending_warmth.lowered_to_max",
        ),
        (
            Reason::EducationAlreadyPaid,
            "aid.education.already_paid_this_year",
        ),
        (
            Reason::EducationStageNotCovered,
            "aid.education.stage_not_covered",
        ),
        (Reason::FileNotPayable, "aid.remaining.file_not_payable"),
        (Reason::TemporaryCapped, "aid.temporary.yearly_cap"),
        (
            Reason::TemporaryCapReached,
            "aid.temporary.yearly_cap_reached",
        ),
        (Reason::TemporaryWorkerFiled, "aid.temporary.worker_filed"),
        (
            Reason::TemporaryNotQualifying,
            "aid.temporary.not_qualifying",
        ),
    ];
    assert_eq!(table.len(), Reason::ALL.len());
    for (r, code) in table {
        assert_eq!(r.code(), code);
        assert_eq!(Reason::from_code(code), Some(r));
    }
}

const FILE: &str = r#"{"case":"HK-1/1","household":"HK-1","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#;

fn medical_line(oop: &str) -> String {
    format!(
        r#"{{"kind":"medical","file":{FILE},"claim":{{"id":"m-1","applicant":"p1","date":"2018-05-01","out_of_pocket":{oop}}}}}"#
    )
}

#[test]
fn bad_request_lines_get_their_codes() {
    // Values refused by their type carry the type's code (as in Rust); structure is read.*.
    let rows = [
        (medical_line("\"-5.00\""), "core.money.negative"),
        (medical_line("\"5.001\""), "core.money.too_precise"),
        (
            medical_line("\"99999999999999999999\""),
            "core.money.overflow",
        ),
        (medical_line("\"5,00\""), "core.money.malformed"),
        (medical_line("\"0005.00\""), "core.money.malformed"),
        (medical_line("5.5"), "read.invalid_type"),
        (
            r#"{"kind":"lottery","file":{}}"#.to_owned(),
            "aid.request.unknown_kind",
        ),
        (r#"{"file":{}}"#.to_owned(), "read.missing_field"),
        (
            medical_line("\"5.00\"").replace("\"claim\"", "\"surprise\":1,\"claim\""),
            "read.unknown_field",
        ),
        (
            medical_line("\"5.00\"").replace("\"applicant\"", "\"colour\":\"red\",\"applicant\""),
            "read.unknown_field",
        ),
        (
            medical_line("\"5.00\"").replace(
                "\"tier\":\"national\",",
                "\"tier\":\"national\",\"extra\":true,",
            ),
            "read.unknown_field",
        ),
        (
            medical_line("\"5.00\"").replace(",\"applicant\":\"p1\"", ""),
            "read.missing_field",
        ),
        (
            medical_line("\"5.00\"").replace("2018-05-01", "2018-02-30"),
            "core.date.malformed",
        ),
        (
            medical_line("\"5.00\"").replace("2018-05-01", "2018-5-1"),
            "core.date.malformed",
        ),
        (
            medical_line("\"5.00\"").replace("2018-05-01", "+2018-05-01"),
            "core.date.malformed",
        ),
        ("not json".to_owned(), "read.syntax"),
        (
            medical_line("\"5.00\"").replace("\"kind\":\"medical\"", "\"kind\":\"medical\",\"kind\":\"living\""),
            "read.duplicate_key",
        ),
        // An unknown code inside a request is an unknown code, not an unknown request kind.
        (medical_line("\"5.00\"").replace("}}", "},\"earlier_payments\":[{\"claim\":\"m\",\"date\":\"2018-01-01\",\"category\":\"lottery\",\"amount\":\"1.00\"}]}"), "read.unknown_code"),
        (medical_line("\"5.00\"").replace("\"tier\":\"national\"", "\"tier\":\"galactic\""), "read.unknown_code"),
    ];
    for (line, code) in rows {
        let err = Request::from_json(&line).unwrap_err();
        assert_eq!(err.code(), code, "{line}\n{err}");
        if line.contains("galactic") || line.contains("\"category\":\"lottery\"") {
            assert!(err.to_string().contains("unknown code"), "{err}");
        }
    }
    assert!(Request::from_json(&medical_line("\"5.00\"")).is_ok());
}

#[test]
fn bad_calculator_input_gets_its_code_and_records_nothing() {
    let p = hainan();
    let calc = Calculator::new(&p.aid).unwrap();
    let f = file("subsistence", 3);
    let code = |r: Result<bangfu_aid::AidDecision<'_>, AidError>| r.unwrap_err().code();
    // Overflow: the year's cost does not fit.
    let claim = MedicalClaim {
        date: day(2018, 5, 1),
        out_of_pocket: Money::MAX,
    };
    assert_eq!(
        code(calc.medical(
            &f,
            claim,
            YearToDate {
                cost: yuan("1"),
                paid: Money::ZERO
            },
            Explain::Off
        )),
        "aid.amount.overflow"
    );
    // A date with no parameter in force.
    let early = MedicalClaim {
        date: day(2017, 12, 31),
        out_of_pocket: yuan("100"),
    };
    assert_eq!(
        code(calc.medical(&f, early, YearToDate::default(), Explain::Off)),
        "aid.parameter.not_in_force"
    );
    // Not payable on the date, for every status but active.
    for status in ArchiveStatus::ALL
        .iter()
        .copied()
        .filter(|s| !s.is_payable())
    {
        let mut g = f.clone();
        g.status = Some(status);
        let claim = AmountClaim {
            date: day(2018, 5, 1),
            requested: Some(yuan("100")),
        };
        assert_eq!(
            code(calc.living(&g, claim, YearToDate::default(), Explain::Off)),
            "aid.file.not_payable"
        );
        assert_eq!(
            code(calc.sending_warmth(&g, claim, Explain::Off)),
            "aid.file.not_payable"
        );
    }
    // Unknown degree, zero household, unknown student, unknown status.
    assert_eq!(
        code(calc.medical(&file("deep", 3), early, YearToDate::default(), Explain::Off)),
        "aid.file.unknown_degree"
    );
    let claim = MedicalClaim {
        date: day(2018, 5, 1),
        out_of_pocket: yuan("100"),
    };
    assert_eq!(
        code(calc.medical(
            &file("subsistence", 0),
            claim,
            YearToDate::default(),
            Explain::Off
        )),
        "aid.file.zero_household_size"
    );
    let kid = bangfu_core::PersonId::new("nobody").unwrap();
    assert_eq!(
        code(calc.education(&f, day(2018, 9, 1), &kid, false, Explain::Off)),
        "aid.education.unknown_student"
    );
    let mut unknown = f.clone();
    unknown.status = None;
    assert_eq!(
        code(calc.medical(&unknown, claim, YearToDate::default(), Explain::Off)),
        "aid.file.status_missing"
    );
    unknown.status_events = vec![
        bangfu_aid::StatusEvent {
            date: day(2018, 3, 1),
            status: ArchiveStatus::Active,
        },
        bangfu_aid::StatusEvent {
            date: day(2018, 2, 1),
            status: ArchiveStatus::Pending,
        },
    ];
    assert_eq!(
        code(calc.medical(&unknown, claim, YearToDate::default(), Explain::Off)),
        "aid.file.status_events_order"
    );
    unknown.status_events.truncate(1);
    unknown.status = Some(ArchiveStatus::Cancelled);
    assert_eq!(
        code(calc.medical(&unknown, claim, YearToDate::default(), Explain::Off)),
        "aid.file.status_conflict"
    );
}
