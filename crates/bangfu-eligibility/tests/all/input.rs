//! Bad household input: typed errors with codes (and lines when parsed from text).

use bangfu_core::Coded;
use bangfu_eligibility::*;

use crate::common::*;

#[derive(Debug, serde::Deserialize)]
struct Record {
    household: Household,
}

fn record_toml() -> String {
    let w = id_for(7, 0, d(1975, 5, 20));
    let m1 = id_for(7, 1, d(1981, 1, 15));
    let m2 = id_for(7, 2, d(1982, 1, 15));
    format!(
        r#"[household]
id = "H7"
annual_income = "6000.00"
causes = ["laid_off"]
documents = [
    {{ kind = "commitment_letter" }},
    {{ kind = "authorisation_letter" }},
    {{ kind = "unemployment_proof" }},
]

[household.assets]
homes = 1

[household.worker]
union_member = true
employer = "employer-1"
union_unit = "union-1"

[household.worker.person]
id = "H7-p0"
name = "person 0"
id_number = "{w}"
birth_date = "1975-05-20"
sex = "male"
annual_income = "6000.00"

[[household.members]]
relation = "spouse"

[household.members.person]
id = "H7-p1"
name = "person 1"
id_number = "{m1}"
birth_date = "1981-01-15"
sex = "female"
employed = true
annual_income = "0"

[[household.members]]
relation = "child"

[household.members.person]
id = "H7-p2"
name = "person 2"
id_number = "{m2}"
birth_date = "1982-01-15"
sex = "female"
employed = true
annual_income = "0"
"#,
        w = w.expose(),
        m1 = m1.expose(),
        m2 = m2.expose(),
    )
}

#[test]
fn unknown_relation_is_typed() {
    let src = record_toml().replace("relation = \"child\"", "relation = \"uncle\"");
    let line = src.lines().position(|l| l.contains("uncle")).unwrap() + 1;
    let err = parse_toml::<Record>(&src).unwrap_err();
    assert_eq!(err.code(), "eligibility.unknown_relation");
    assert_eq!(
        err,
        EligibilityError::UnknownCode {
            kind: CodeKind::Relation,
            value: "uncle".into(),
            line: Some(line)
        }
    );
    // Through JSON the typed reader gives the same code, from the type.
    let json = serde_json::to_string(&poor(7))
        .unwrap()
        .replace("\"child\"", "\"uncle\"");
    let err = bangfu_core::read::from_json_str::<Household>(&json).unwrap_err();
    assert_eq!(err.code(), "eligibility.unknown_relation");
    assert_eq!(err.detail(), Some("uncle"));
}

#[test]
fn unknown_school_stage_is_typed() {
    let src = record_toml().replacen(
        "sex = \"female\"\nemployed = true",
        "sex = \"female\"\nschool = { stage = \"kindergarten\" }\nemployed = true",
        1,
    );
    assert!(src.contains("kindergarten"));
    let err = parse_toml::<Record>(&src).unwrap_err();
    assert_eq!(err.code(), "eligibility.unknown_school_stage");
    assert!(
        matches!(err, EligibilityError::UnknownCode { kind: CodeKind::SchoolStage, ref value, line: Some(_) } if value == "kindergarten")
    );
}

#[test]
fn negative_income_is_typed() {
    let src = record_toml().replacen(
        "annual_income = \"6000.00\"",
        "annual_income = \"-6000.00\"",
        1,
    );
    assert!(src.contains("-6000.00"));
    let err = parse_toml::<Record>(&src).unwrap_err();
    assert_eq!(err.code(), "eligibility.negative_income");
    let line = src.lines().position(|l| l.contains("-6000.00")).unwrap() + 1;
    assert_eq!(err.line(), Some(line));
    assert!(err.to_string().contains("-6000.00"), "{err}");
    // Integers are read as yuan; negative ones are refused the same way.
    let src = record_toml().replacen("annual_income = \"6000.00\"", "annual_income = -1", 1);
    assert_eq!(
        parse_toml::<Record>(&src).unwrap_err().code(),
        "eligibility.negative_income"
    );
    let src = record_toml().replacen("annual_income = \"6000.00\"", "annual_income = 6000", 1);
    assert_eq!(
        parse_toml::<Record>(&src).unwrap().household.annual_income,
        yuan("6000")
    );
}

#[test]
fn invalid_id_number_in_a_record_is_typed() {
    let h = poor(7);
    let full = h.worker.person.id_number.expose().to_owned();
    let last = full.chars().last().unwrap();
    let wrong = format!("{}{}", &full[..17], if last == '0' { '1' } else { '0' });
    let src = record_toml().replace(&full, &wrong);
    let err = parse_toml::<Record>(&src).unwrap_err();
    assert_eq!(err.code(), "eligibility.invalid_id_number");
    let line = src.lines().position(|l| l.contains(&wrong)).unwrap() + 1;
    assert_eq!(err.line(), Some(line));
    assert!(!err.to_string().contains(&wrong));
    assert!(!format!("{err:?}").contains(&wrong));
    // The Rust API names the problem.
    assert!(matches!(
        IdNumber::parse(&wrong),
        Err(EligibilityError::InvalidIdNumber {
            problem: IdProblem::CheckDigit,
            ..
        })
    ));
}

#[test]
fn birth_after_application_and_id_mismatch() {
    let h = poor(7);
    let err = h.validate(d(1980, 1, 1)).unwrap_err();
    assert_eq!(err.code(), "eligibility.birth_after_application");
    assert_eq!(
        assess(&hainan(), &h, d(1980, 1, 1)).unwrap_err().code(),
        "eligibility.birth_after_application"
    );
    let s = staff();
    let opened = CaseFile::open(
        case_id("H7/1"),
        h.clone(),
        d(1980, 1, 1),
        s.applicant.clone(),
    );
    assert_eq!(
        opened.unwrap_err().code(),
        "eligibility.birth_after_application"
    );
    let mut h2 = h.clone();
    h2.members[0].person.birth_date = d(1981, 1, 16);
    assert_eq!(
        h2.validate(d(2018, 1, 1)).unwrap_err().code(),
        "eligibility.id_birth_mismatch"
    );
    let mut h3 = h;
    h3.members[1].person.id_number = h3.members[0].person.id_number.clone();
    h3.members[1].person.birth_date = h3.members[0].person.birth_date;
    assert_eq!(
        h3.validate(d(2018, 1, 1)).unwrap_err().code(),
        "eligibility.duplicate_person"
    );
}

#[test]
fn signed_decimal_amounts() {
    use rust_decimal::Decimal;
    assert_eq!(
        amount_from_yuan("x", Decimal::new(123_456, 2)).unwrap(),
        yuan("1234.56")
    );
    assert_eq!(
        amount_from_yuan("x", Decimal::ZERO).unwrap(),
        bangfu_core::Money::ZERO
    );
    let err = amount_from_yuan("rigid_expenditure", Decimal::new(-1, 2)).unwrap_err();
    assert_eq!(
        err,
        EligibilityError::NegativeIncome {
            field: "rigid_expenditure".into(),
            value: "-0.01".into()
        }
    );
    assert_eq!(
        amount_from_yuan("x", Decimal::new(1, 3))
            .unwrap_err()
            .code(),
        "core.money.too_precise"
    );
}

#[test]
fn main_types_are_send_sync_clone() {
    fn ok<T: Send + Sync + Clone + std::fmt::Debug>() {}
    ok::<Household>();
    ok::<EligibilityPolicy>();
    ok::<Decision>();
    ok::<CaseFile>();
    ok::<CaseEvent>();
    ok::<Registry>();
    ok::<ReviewReport>();
    ok::<EligibilityError>();
}
