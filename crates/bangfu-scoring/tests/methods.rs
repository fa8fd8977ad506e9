//! Each scoring method with worked values.

use bangfu_core::{Coded, Money};
use bangfu_scoring::*;
use rust_decimal::Decimal;

use crate::support::*;

fn dec(s: &str) -> Decimal {
    s.parse().unwrap()
}

fn only(fw: &Framework, facts: &Facts, j: &Judgements) -> (Decimal, String) {
    let card = score(fw, facts, j).unwrap();
    let row = card.indicator("x").unwrap();
    assert_eq!(card.total, row.score, "one leaf: the total is its score");
    (row.score, row.reason.zh.clone())
}

fn rates(received: &str, spent: &str) -> Facts {
    Facts {
        budget: wan("1100"),
        received: wan(received),
        spent: wan(spent),
        ..Facts::default()
    }
}

#[test]
fn proportional_worked_values() {
    let fw = one_leaf(
        "10",
        "execution_rate",
        Some("1"),
        r#"{ kind = "proportional" }"#,
    );
    // 1083.784139 ÷ 1125.074864 = 96.33 % → 10 × 0.9633 = 9.63.
    let (s, reason) = only(
        &fw,
        &rates("1125.074864", "1083.784139"),
        &Judgements::new(),
    );
    assert_eq!(s, dec("9.63"));
    assert!(reason.contains("96.33 %"), "{reason}");
    assert!(reason.contains("= 9.63"), "{reason}");
    // Half the money spent → 5.
    assert_eq!(
        only(&fw, &rates("100", "50"), &Judgements::new()).0,
        dec("5")
    );
    // A target of 80 %: 96.33 % is above it, capped at full points.
    let fw80 = one_leaf(
        "10",
        "execution_rate",
        Some("0.8"),
        r#"{ kind = "proportional" }"#,
    );
    assert_eq!(
        only(
            &fw80,
            &rates("1125.074864", "1083.784139"),
            &Judgements::new()
        )
        .0,
        dec("10")
    );
    // 60 % of an 80 % target is 75 % of the points.
    assert_eq!(
        only(&fw80, &rates("100", "60"), &Judgements::new()).0,
        dec("7.5")
    );
}

#[test]
fn proportional_reads_counts_against_a_plan() {
    let fw = one_leaf(
        "8",
        "person_times_rate",
        Some("1"),
        r#"{ kind = "proportional" }"#,
    );
    let mut f = Facts::default();
    f.person_times = Tally::count(1500);
    f.planned_person_times = 2000;
    // 1500 ÷ 2000 = 75 % → 8 × 0.75 = 6.
    assert_eq!(only(&fw, &f, &Judgements::new()).0, dec("6"));
}

#[test]
fn rounding_rule_is_named_in_the_framework() {
    // 35 of 40 exits on time: 5 × 0.875 = 4.375.
    let mut f = Facts::default();
    f.exits_and_cancellations = Tally::count(40);
    f.exits_and_cancellations_on_time = Tally::count(35);
    let body = leaf(
        "5",
        "exit_timeliness_rate",
        Some("1"),
        r#"{ kind = "proportional" }"#,
    );
    for (rule, expected) in [
        ("half_up", "4.38"),
        ("half_even", "4.38"),
        ("down", "4.37"),
        ("up", "4.38"),
    ] {
        let fw = Framework::from_toml(&mini("5", rule, &body)).unwrap();
        assert_eq!(only(&fw, &f, &Judgements::new()).0, dec(expected), "{rule}");
    }
}

#[test]
fn lower_is_better_worked_values() {
    let fw = one_leaf(
        "10",
        "file_flag_rate",
        Some("0.02"),
        r#"{ kind = "lower_is_better" }"#,
    );
    let flagged = |n| {
        let mut f = Facts::default();
        f.files = Tally::count(100);
        f.files_with_quality_flags = Tally::count(n);
        f
    };
    // 4 % flagged against a 2 % target: 10 × 2 ÷ 4 = 5.
    assert_eq!(only(&fw, &flagged(4), &Judgements::new()).0, dec("5"));
    // 3 %: 10 × 2 ÷ 3 = 6.666… → 6.67.
    assert_eq!(only(&fw, &flagged(3), &Judgements::new()).0, dec("6.67"));
    // At or below the target: full points.
    assert_eq!(only(&fw, &flagged(2), &Judgements::new()).0, dec("10"));
    assert_eq!(only(&fw, &flagged(0), &Judgements::new()).0, dec("10"));
    // A zero target: any defect share earns nothing... only none earns full points.
    let zero = one_leaf(
        "10",
        "file_flag_rate",
        Some("0"),
        r#"{ kind = "lower_is_better" }"#,
    );
    assert_eq!(only(&zero, &flagged(1), &Judgements::new()).0, dec("0"));
    assert_eq!(only(&zero, &flagged(0), &Judgements::new()).0, dec("10"));
}

#[test]
fn steps_worked_values() {
    let method = r#"{ kind = "steps", steps = [{ at_least = "0.85", share = "0.4" }, { at_least = "0.9", share = "0.6" }, { at_least = "0.95", share = "0.8" }, { at_least = "1", share = "1" }] }"#;
    let fw = one_leaf("5", "arrival_rate", None, method);
    let arrival = |received: &str| Facts {
        budget: wan("100"),
        received: wan(received),
        ..Facts::default()
    };
    for (received, expected) in [
        ("102.28", "5"), // above 100 %: the top step
        ("100", "5"),    // exactly 100 %
        ("97", "4"),     // 95–100 %: 0.8 × 5
        ("95", "4"),     // the step's lower bound is inclusive
        ("90", "3"),     // 90–95 %: 0.6 × 5
        ("89.99", "2"),  // 85–90 %: 0.4 × 5
        ("84.99", "0"),  // below every step
    ] {
        assert_eq!(
            only(&fw, &arrival(received), &Judgements::new()).0,
            dec(expected),
            "{received}"
        );
    }
    let row = score(&fw, &arrival("97"), &Judgements::new()).unwrap();
    assert_eq!(
        row.indicators[0].target_display(bangfu_core::Lang::Zh),
        "≥ 100.00 %"
    );
}

#[test]
fn deduction_worked_values() {
    let fw = one_leaf(
        "4",
        "cash_payments",
        Some("0"),
        r#"{ kind = "deduction", per_defect = "0.5" }"#,
    );
    let cash = |n| {
        let mut f = Facts::default();
        f.compliance.cash_payments = Tally::count(n);
        f
    };
    assert_eq!(only(&fw, &cash(0), &Judgements::new()).0, dec("4"));
    assert_eq!(only(&fw, &cash(3), &Judgements::new()).0, dec("2.5"));
    // Floored at zero.
    assert_eq!(only(&fw, &cash(8), &Judgements::new()).0, dec("0"));
    assert_eq!(only(&fw, &cash(1000), &Judgements::new()).0, dec("0"));
    // The combined compliance fact adds the four kinds, with their records.
    let all = one_leaf(
        "5",
        "compliance_defects",
        Some("0"),
        r#"{ kind = "deduction", per_defect = "1" }"#,
    );
    let mut f = Facts::default();
    f.compliance.earmark_violations = Tally::of(vec![RecordId::new("pay:1").unwrap()]);
    f.compliance.cash_payments = Tally::count(1);
    f.compliance.unpayable_payments = Tally::count(1);
    let card = score(&all, &f, &Judgements::new()).unwrap();
    assert_eq!(card.total, dec("2"));
    assert_eq!(
        card.indicators[0].reading.as_ref().unwrap().records.len(),
        1
    );
}

#[test]
fn qualitative_worked_values_and_errors() {
    let fw = one_leaf(
        "15",
        "satisfaction_rate",
        None,
        r#"{ kind = "qualitative" }"#,
    );
    let mut f = Facts::default();
    f.survey = SurveyFigures {
        visited: Tally::count(82),
        surveyed: Tally::count(82),
        satisfied: Tally::count(80),
    };
    let with = |band, s: &str| {
        let mut j = Judgements::new();
        j.insert("x", judgement(band, s));
        score(&fw, &f, &j)
    };
    // Achieved: 12 to 15 points.
    let card = with(Band::Achieved, "14").unwrap();
    assert_eq!(card.total, dec("14"));
    let row = &card.indicators[0];
    assert!(
        row.reason.zh.contains("困难得到缓解"),
        "the evaluator's note is the reason"
    );
    assert!(row.reason.zh.contains("12–15"), "{}", row.reason.zh);
    assert_eq!(
        row.actual_display(bangfu_core::Lang::Zh),
        "97.56 %",
        "the fact is shown as context"
    );
    assert_eq!(with(Band::Achieved, "12").unwrap().total, dec("12"));
    assert_eq!(with(Band::Partly, "10.5").unwrap().total, dec("10.5"));
    assert_eq!(with(Band::NotAchieved, "0").unwrap().total, dec("0"));
    // Outside the band's range.
    let err = with(Band::Achieved, "11").unwrap_err();
    assert_eq!(err.code(), "scoring.judgement.outside_band");
    assert_eq!(
        with(Band::Partly, "12.5").unwrap_err().code(),
        "scoring.judgement.outside_band"
    );
    // Missing.
    assert_eq!(
        score(&fw, &f, &Judgements::new()).unwrap_err().code(),
        "scoring.judgement.missing"
    );
    // Without a justification.
    let mut j = Judgements::new();
    j.insert("x", Judgement::new(Band::Achieved, "13", "  ", "").unwrap());
    assert_eq!(
        score(&fw, &f, &j).unwrap_err().code(),
        "scoring.judgement.empty_justification"
    );
    // For an indicator that is not qualitative, or does not exist.
    let mut j = Judgements::new();
    j.insert("x", judgement(Band::Achieved, "14"));
    j.insert("nope", judgement(Band::Achieved, "14"));
    assert_eq!(
        score(&fw, &f, &j).unwrap_err().code(),
        "scoring.judgement.unexpected"
    );
    // Judgements read from TOML.
    let j = Judgements::from_toml("[x]\nband = \"partly\"\nscore = \"10\"\njustification = { zh = \"部分达成\", en = \"partly\" }\n").unwrap();
    assert_eq!(score(&fw, &f, &j).unwrap().total, dec("10"));
}

#[test]
fn a_ratio_over_zero_is_a_typed_error() {
    let fw = one_leaf(
        "10",
        "coverage_rate",
        Some("1"),
        r#"{ kind = "proportional" }"#,
    );
    let err = score(&fw, &Facts::default(), &Judgements::new()).unwrap_err();
    assert_eq!(err.code(), "scoring.facts.zero_denominator");
    assert_eq!(
        err,
        ScoringError::ZeroDenominator {
            fact: FactKey::CoverageRate
        }
    );
}

#[test]
fn inconsistent_facts_are_refused_before_scoring() {
    let fw = Framework::from_toml(MOF2020_SELF).unwrap();
    let mut f = seed_facts();
    f.spent = f.received.checked_add(Money::from_fen(1).unwrap()).unwrap();
    assert_eq!(
        score(&fw, &f, &self_judgements()).unwrap_err().code(),
        "scoring.facts.inconsistent"
    );
    let mut f = seed_facts();
    f.person_times = Tally::count(8235);
    assert_eq!(
        score(&fw, &f, &self_judgements()).unwrap_err(),
        ScoringError::InconsistentFacts {
            field: "sources.categories.person_times"
        }
    );
    let mut f = seed_facts();
    f.survey.satisfied = Tally::of(vec![RecordId::new("v1").unwrap()]);
    f.survey.satisfied.count = 2;
    assert_eq!(
        score(&fw, &f, &self_judgements()).unwrap_err().code(),
        "scoring.facts.inconsistent"
    );
    let mut f = seed_facts();
    f.units[0].households = Tally::count(679);
    assert_eq!(
        f.validate().unwrap_err(),
        ScoringError::InconsistentFacts {
            field: "units.households"
        }
    );
}

#[test]
fn grade_boundaries() {
    for text in [MOF2020_SELF, MOF2020_REFERENCE] {
        let fw = Framework::from_toml(text).unwrap();
        for (total, grade) in [
            ("100", Grade::Excellent),
            ("90", Grade::Excellent),
            ("89.99", Grade::Good),
            ("80", Grade::Good),
            ("79.99", Grade::Fair),
            ("60", Grade::Fair),
            ("59.99", Grade::Poor),
            ("0", Grade::Poor),
        ] {
            assert_eq!(fw.grade_of(dec(total)), grade, "{} {total}", fw.id());
        }
    }
}

#[test]
fn when_none_full_scores_a_ratio_over_nothing_and_only_that() {
    let text = mini(
        "5",
        "half_up",
        &leaf(
            "5",
            "exit_timeliness_rate",
            Some("1"),
            r#"{ kind = "proportional" }"#,
        )
        .replace(
            "cite = \"score.t\"\n",
            "when_none = \"full\"\ncite = \"score.t\"\n",
        ),
    );
    let fw = Framework::from_toml(&text).unwrap();
    // Nothing due: full points, said so, no reading.
    let card = score(&fw, &Facts::default(), &Judgements::new()).unwrap();
    let row = card.indicator("x").unwrap();
    assert_eq!(row.score, dec("5"));
    assert!(row.reading.is_none());
    assert!(
        row.reason.zh.contains("本期无应办事项"),
        "{}",
        row.reason.zh
    );
    // Something due: scored as usual (3 of 4 on time → 3.75).
    let mut f = Facts::default();
    f.exits_and_cancellations = Tally::count(4);
    f.exits_and_cancellations_on_time = Tally::count(3);
    assert_eq!(only(&fw, &f, &Judgements::new()).0, dec("3.75"));
    // Without when_none the same facts are an error.
    let plain = one_leaf(
        "5",
        "exit_timeliness_rate",
        Some("1"),
        r#"{ kind = "proportional" }"#,
    );
    assert_eq!(
        score(&plain, &Facts::default(), &Judgements::new())
            .unwrap_err()
            .code(),
        "scoring.facts.zero_denominator"
    );
    // A count cannot have when_none.
    let count = mini(
        "5",
        "half_up",
        &leaf(
            "5",
            "cash_payments",
            Some("0"),
            r#"{ kind = "deduction", per_defect = "1" }"#,
        )
        .replace(
            "cite = \"score.t\"\n",
            "when_none = \"full\"\ncite = \"score.t\"\n",
        ),
    );
    assert_eq!(
        Framework::from_toml(&count).unwrap_err().code(),
        "scoring.framework.method_fact"
    );
}

/// The framework `mini` with one proportional person-times leaf `x` of weight 8 (target
/// 100 % of the plan) and the target-too-low rule `rule` (TOML lines of its table).
fn too_low_framework(rule: &str) -> Result<Framework, ScoringError> {
    let leaf = leaf(
        "8",
        "person_times_rate",
        Some("1"),
        r#"{ kind = "proportional" }"#,
    );
    Framework::from_toml(&mini(
        "8",
        "half_up",
        &format!("[target_too_low]\n{rule}cite = \"score.t\"\n\n{leaf}"),
    ))
}

/// MOF 2020 art. 23 (财预〔2020〕10号): a target set clearly too low loses points by the
/// deviation. At the threshold (120 % of the plan) full points; one person-time above it,
/// 8 × (1 − 0.201 × 0.5) = 7.196 → 7.20; far above, at most half the weight off.
#[test]
fn a_target_set_too_low_is_deducted_by_the_deviation() {
    let rule = "above = \"1.2\"\nper_deviation = \"0.5\"\nmax_share = \"0.5\"\n";
    let fw = too_low_framework(rule).unwrap();
    let mut f = Facts::default();
    f.planned_person_times = 1000;
    let mut at = |done: u64| {
        f.person_times = Tally::count(done);
        only(&fw, &f, &Judgements::new())
    };
    assert_eq!(at(1000).0, dec("8"));
    let (s, reason) = at(1200);
    assert_eq!(s, dec("8"), "at the threshold: {reason}");
    assert!(!reason.contains("偏低"), "{reason}");
    let (s, reason) = at(1201);
    assert_eq!(s, dec("7.20"), "{reason}");
    assert!(reason.contains("目标设定明显偏低"), "{reason}");
    assert!(
        reason.contains("8 × (1 − min(0.2 × 0.5, 0.5)) = 7.20"),
        "{reason}"
    );
    assert_eq!(at(3000).0, dec("4"), "deviation 2: half the weight at most");
    assert_eq!(
        at(900).0,
        dec("7.2"),
        "below the target: proportional, untouched"
    );
    // Exempt with a reason: full points, and the reason says why.
    let exempt = format!(
        "{rule}exempt = [{{ indicator = \"x\", reason = {{ zh = \"计划为下限\", en = \"the plan is a floor\" }} }}]\n"
    );
    let fw = too_low_framework(&exempt).unwrap();
    f.person_times = Tally::count(3000);
    let (s, reason) = only(&fw, &f, &Judgements::new());
    assert_eq!(s, dec("8"));
    assert!(reason.contains("计划为下限"), "{reason}");
    // A rule that cannot be used is refused on load.
    for bad in [
        "above = \"1\"\nper_deviation = \"0.5\"\nmax_share = \"0.5\"\n",
        "above = \"1.2\"\nper_deviation = \"0\"\nmax_share = \"0.5\"\n",
        "above = \"1.2\"\nper_deviation = \"0.5\"\nmax_share = \"1.5\"\n",
        "above = \"1.2\"\nper_deviation = \"0.5\"\nmax_share = \"0.5\"\nexempt = [{ indicator = \"nope\", reason = { zh = \"x\", en = \"x\" } }]\n",
    ] {
        let err = too_low_framework(bad).unwrap_err();
        assert_eq!(
            err.code(),
            "scoring.framework.invalid_target_too_low",
            "{bad}"
        );
    }
    // The shipped self-evaluation framework has the rule, cited to the provision.
    let fw = Framework::from_toml(MOF2020_SELF).unwrap();
    let rule = fw.target_too_low().unwrap();
    let c = fw.citations().get(&rule.cite).unwrap();
    assert!(c.document.contains("财预〔2020〕10号"), "{c:?}");
    assert!(
        c.section
            .as_deref()
            .unwrap_or_default()
            .contains("第二十三条"),
        "{c:?}"
    );
}
