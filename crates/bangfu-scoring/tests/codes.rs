//! Every stable code, pinned in one table.

use bangfu_core::{Coded, CoreError, Labelled};
use bangfu_scoring::*;
use rust_decimal::Decimal;

#[test]
fn error_codes_are_pinned() {
    let s = || "x".to_owned();
    let d = Decimal::ONE;
    let table: Vec<(ScoringError, &str)> = vec![
        (
            ScoringError::Parse { message: s() },
            "scoring.framework.parse",
        ),
        (
            ScoringError::DuplicateIndicator { id: s() },
            "scoring.framework.duplicate_indicator",
        ),
        (
            ScoringError::UnknownParent {
                id: s(),
                parent: s(),
            },
            "scoring.framework.unknown_parent",
        ),
        (
            ScoringError::TooDeep { id: s(), level: 4 },
            "scoring.framework.too_deep",
        ),
        (
            ScoringError::WeightsDoNotAddUp {
                parent: s(),
                expected: d,
                actual: d,
            },
            "scoring.framework.weights_do_not_add_up",
        ),
        (
            ScoringError::WeightNotPositive { id: s(), weight: d },
            "scoring.framework.weight_not_positive",
        ),
        (
            ScoringError::WeightPrecision {
                id: s(),
                weight: d,
                places: 2,
            },
            "scoring.framework.weight_precision",
        ),
        (
            ScoringError::MethodPlacement { id: s() },
            "scoring.framework.method_placement",
        ),
        (
            ScoringError::MethodFact {
                id: s(),
                method: "deduction",
                fact: None,
            },
            "scoring.framework.method_fact",
        ),
        (
            ScoringError::InvalidTarget { id: s() },
            "scoring.framework.invalid_target",
        ),
        (
            ScoringError::InvalidSteps { id: s() },
            "scoring.framework.invalid_steps",
        ),
        (
            ScoringError::InvalidDeduction { id: s() },
            "scoring.framework.invalid_deduction",
        ),
        (
            ScoringError::InvalidTooLowRule { problem: s() },
            "scoring.framework.invalid_target_too_low",
        ),
        (
            ScoringError::InvalidBands,
            "scoring.framework.invalid_bands",
        ),
        (
            ScoringError::InvalidGradeBands,
            "scoring.framework.invalid_grade_bands",
        ),
        (
            ScoringError::UnknownCitation { cite: s() },
            "scoring.framework.unknown_citation",
        ),
        (
            ScoringError::MissingJudgement { indicator: s() },
            "scoring.judgement.missing",
        ),
        (
            ScoringError::UnexpectedJudgement { indicator: s() },
            "scoring.judgement.unexpected",
        ),
        (
            ScoringError::ScoreOutsideBand {
                indicator: s(),
                score: d,
                min: d,
                max: d,
            },
            "scoring.judgement.outside_band",
        ),
        (
            ScoringError::EmptyJustification { indicator: s() },
            "scoring.judgement.empty_justification",
        ),
        (
            ScoringError::ZeroDenominator {
                fact: FactKey::CoverageRate,
            },
            "scoring.facts.zero_denominator",
        ),
        (
            ScoringError::InconsistentFacts { field: "x" },
            "scoring.facts.inconsistent",
        ),
        (
            ScoringError::DuplicateHousehold { household: s() },
            "scoring.sampling.duplicate_household",
        ),
        (
            ScoringError::InvalidRatio { ratio: d },
            "scoring.sampling.invalid_ratio",
        ),
        (
            ScoringError::InvalidSurvey {
                satisfied: 2,
                surveyed: 1,
            },
            "scoring.survey.invalid_counts",
        ),
        (
            ScoringError::NegativeSquareRoot { value: d },
            "scoring.math.negative_sqrt",
        ),
        (ScoringError::Overflow, "scoring.math.overflow"),
        (
            ScoringError::Core(CoreError::DivisionByZero),
            "core.rate.division_by_zero",
        ),
    ];
    let mut zh = std::collections::BTreeSet::new();
    let mut en = std::collections::BTreeSet::new();
    for (err, code) in &table {
        assert_eq!(err.code(), *code, "{err:?}");
        assert!(!err.zh().is_empty() && !err.en().is_empty() && !err.to_string().is_empty());
        zh.insert(err.zh());
        en.insert(err.en());
    }
    // Every scoring code has its own labels.
    assert_eq!(zh.len(), table.len());
    assert_eq!(en.len(), table.len());
}

#[test]
fn enumeration_codes_are_pinned() {
    let codes = |all: &[&'static str]| all.to_vec();
    assert_eq!(
        codes(&FactKey::ALL.iter().map(|k| k.code()).collect::<Vec<_>>()),
        [
            "arrival_rate",
            "execution_rate",
            "person_times",
            "person_times_rate",
            "coverage_rate",
            "entry_timeliness_rate",
            "notice_compliance_rate",
            "file_quality_rate",
            "file_flag_rate",
            "exit_timeliness_rate",
            "satisfaction_rate",
            "sample_rate",
            "earmark_violations",
            "cash_payments",
            "over_standard_payments",
            "unpayable_payments",
            "compliance_defects",
        ]
    );
    assert_eq!(
        FindingCode::ALL
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>(),
        [
            "finding.arrival_rate",
            "finding.sample_ratio",
            "finding.satisfaction_rate",
            "finding.average_living_aid"
        ]
    );
    assert_eq!(
        FindingKind::ALL
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>(),
        ["capped", "rounded", "mismatch"]
    );
    assert_eq!(
        Grade::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
        ["excellent", "good", "fair", "poor"]
    );
    assert_eq!(
        Grade::ALL.iter().map(|c| c.zh()).collect::<Vec<_>>(),
        ["优", "良", "中", "差"]
    );
    assert_eq!(
        Band::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
        ["achieved", "partly", "not_achieved"]
    );
    assert_eq!(
        EvaluationType::ALL
            .iter()
            .map(|c| c.code())
            .collect::<Vec<_>>(),
        ["implementation_process", "completion_result"]
    );
    assert_eq!(
        Organiser::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
        ["finance_dept", "supervising_dept", "project_unit"]
    );
    assert_eq!(
        Evaluator::ALL.iter().map(|c| c.code()).collect::<Vec<_>>(),
        ["intermediary", "expert_panel", "unit_evaluation_group"]
    );
    let methods = [
        Method::Proportional,
        Method::LowerIsBetter,
        Method::Steps { steps: vec![] },
        Method::Deduction {
            per_defect: Decimal::ONE,
        },
        Method::Qualitative,
    ];
    assert_eq!(
        methods.iter().map(Method::code).collect::<Vec<_>>(),
        [
            "proportional",
            "lower_is_better",
            "steps",
            "deduction",
            "qualitative"
        ]
    );
    for k in FactKey::ALL {
        assert_eq!(FactKey::from_code(k.code()), Some(*k));
    }
}

#[test]
fn public_types_are_send_sync_clone_debug() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug>() {}
    check::<Framework>();
    check::<Facts>();
    check::<Judgements>();
    check::<Scorecard>();
    check::<Sample>();
    check::<Satisfaction>();
    check::<Finding>();
    check::<ReportMeta>();
    check::<ScoringPolicy>();
    check::<ScoringError>();
}
