//! Loading frameworks: the two built-ins, and every way a framework file is refused.

use bangfu_core::Coded;
use bangfu_scoring::*;
use rust_decimal::Decimal;

use crate::support::*;

fn weights(fw: &Framework) -> Vec<(String, String)> {
    fw.roots()
        .map(|r| (r.id.clone(), r.weight.to_string()))
        .collect()
}

#[test]
fn the_self_evaluation_shape_is_10_50_30_10() {
    let fw = Framework::from_toml(MOF2020_SELF).unwrap();
    assert_eq!(
        weights(&fw),
        [
            ("budget_execution", "10"),
            ("outputs", "50"),
            ("benefits", "30"),
            ("satisfaction", "10")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    assert_eq!(fw.id(), "mof2020.self");
    assert!(fw.indicators().iter().all(|i| (1..=3).contains(&i.level)));
    assert_eq!(fw.indicator("outputs.compliance.cash").unwrap().level, 3);
    // Indicators the issue asks for, by the fact each reads.
    let facts: Vec<FactKey> = fw.indicators().iter().filter_map(|i| i.fact).collect();
    for k in [
        FactKey::ExecutionRate,
        FactKey::PersonTimesRate,
        FactKey::CoverageRate,
        FactKey::EarmarkViolations,
        FactKey::CashPayments,
        FactKey::OverStandardPayments,
        FactKey::UnpayablePayments,
        FactKey::EntryTimelinessRate,
        FactKey::NoticeComplianceRate,
        FactKey::FileFlagRate,
        FactKey::ExitTimelinessRate,
        FactKey::SatisfactionRate,
    ] {
        assert!(facts.contains(&k), "{k}");
    }
    assert!(fw.indicator("benefits.sustainability").is_some());
    // Every method is used.
    let methods: std::collections::BTreeSet<&str> = fw
        .indicators()
        .iter()
        .filter_map(|i| i.method.as_ref().map(Method::code))
        .collect();
    assert_eq!(methods.len(), 5, "{methods:?}");
}

#[test]
fn the_reference_tree_is_decision_process_output_benefit() {
    let fw = Framework::from_toml(MOF2020_REFERENCE).unwrap();
    let ids: Vec<String> = weights(&fw).into_iter().map(|(id, _)| id).collect();
    assert_eq!(ids, ["decision", "process", "output", "benefit"]);
    assert!(
        fw.indicators()
            .iter()
            .any(|i| i.fact == Some(FactKey::ArrivalRate))
    );
    assert!(
        fw.indicators()
            .iter()
            .any(|i| i.fact == Some(FactKey::ComplianceDefects))
    );
    let children: Vec<&str> = fw.children("process").map(|c| c.id.as_str()).collect();
    assert_eq!(children, ["process.funds", "process.organisation"]);
}

#[test]
fn every_citation_is_in_the_table_and_prefixed_score() {
    for text in [MOF2020_SELF, MOF2020_REFERENCE] {
        let fw = Framework::from_toml(text).unwrap();
        for id in fw.citation_ids() {
            assert!(id.as_str().starts_with("score."), "{id}");
            assert!(fw.citations().contains(id), "{id}");
        }
        // The assumed ones say so.
        for (id, c) in fw.citations().iter() {
            if id.as_str().starts_with("score.assumed.") {
                assert!(c.assumed, "{id}");
            }
        }
    }
    let policy = ScoringPolicyFile::from_toml(POLICY).unwrap();
    for id in policy.scoring.citation_ids() {
        assert!(id.as_str().starts_with("score."), "{id}");
        assert!(policy.citations.contains(id));
    }
}

#[test]
fn a_framework_round_trips_through_serde() {
    let fw = Framework::from_toml(MOF2020_SELF).unwrap();
    let json = serde_json::to_string(&fw).unwrap();
    let back: Framework = serde_json::from_str(&json).unwrap();
    assert_eq!(back, fw);
    // Deserializing checks, too.
    let broken = json.replacen(r#""weight":"10""#, r#""weight":"12""#, 1);
    assert!(serde_json::from_str::<Framework>(&broken).is_err());
}

fn refused(text: &str) -> ScoringError {
    Framework::from_toml(text).unwrap_err()
}

#[test]
fn weights_that_do_not_add_up_are_refused_with_their_code() {
    // The roots add up to 101.
    let broken = MOF2020_SELF.replacen(r#"weight = "10""#, r#"weight = "11""#, 1);
    let err = refused(&broken);
    assert_eq!(err.code(), "scoring.framework.weights_do_not_add_up");
    assert_eq!(
        err,
        ScoringError::WeightsDoNotAddUp {
            parent: "(total)".into(),
            expected: Decimal::from(100),
            actual: Decimal::from(101),
        }
    );
    // A level-2 parent whose children add up to 16 of 15.
    let broken = MOF2020_SELF.replacen(
        "id = \"outputs.quantity.coverage\"\nparent = \"outputs.quantity\"\nname = { zh = \"在档户年内帮扶两次以上比例\", en = \"active households helped twice or more\" }\nweight = \"7\"",
        "id = \"outputs.quantity.coverage\"\nparent = \"outputs.quantity\"\nname = { zh = \"在档户年内帮扶两次以上比例\", en = \"active households helped twice or more\" }\nweight = \"8\"",
        1,
    );
    assert_ne!(broken, MOF2020_SELF);
    match refused(&broken) {
        ScoringError::WeightsDoNotAddUp { parent, .. } => assert_eq!(parent, "outputs.quantity"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_frameworks_are_refused_with_their_codes() {
    let ind = |id: &str, parent: Option<&str>, weight: &str, rest: &str| {
        let parent = parent.map_or_else(String::new, |p| format!("parent = \"{p}\"\n"));
        format!(
            "[[indicators]]\nid = \"{id}\"\n{parent}name = {{ zh = \"z\", en = \"e\" }}\nweight = \"{weight}\"\ncite = \"score.t\"\n{rest}\n"
        )
    };
    let prop = "fact = \"execution_rate\"\ntarget = \"1\"\nmethod = { kind = \"proportional\" }";
    let cases: Vec<(String, &str)> = vec![
        ("id = ".to_owned(), "read.syntax"),
        (
            mini(
                "10",
                "half_up",
                &format!("{}\nunknown = 1", ind("x", None, "10", prop)),
            ),
            "read.unknown_field",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"execution_rate\"\ntarget = 1\nmethod = { kind = \"proportional\" }",
                ),
            ),
            "read.invalid_type",
        ),
        (
            mini(
                "20",
                "half_up",
                &(ind("x", None, "10", prop) + &ind("x", None, "10", prop)),
            ),
            "scoring.framework.duplicate_indicator",
        ),
        (
            mini("10", "half_up", &ind("x", Some("nope"), "10", prop)),
            "scoring.framework.unknown_parent",
        ),
        (
            mini(
                "10",
                "half_up",
                &(ind("a", None, "10", "")
                    + &ind("b", Some("a"), "10", "")
                    + &ind("c", Some("b"), "10", "")
                    + &ind("d", Some("c"), "10", prop)),
            ),
            "scoring.framework.too_deep",
        ),
        (
            mini("10", "half_up", &ind("x", None, "9", prop)),
            "scoring.framework.weights_do_not_add_up",
        ),
        (
            mini("0", "half_up", &ind("x", None, "0", prop)),
            "scoring.framework.weight_not_positive",
        ),
        (
            mini("10", "half_up", &(ind("x", None, "10.001", prop))),
            "scoring.framework.weight_precision",
        ),
        (
            mini("10", "half_up", &ind("x", None, "10", "")),
            "scoring.framework.method_placement",
        ),
        (
            mini(
                "10",
                "half_up",
                &(ind("a", None, "10", prop) + &ind("b", Some("a"), "10", prop)),
            ),
            "scoring.framework.method_placement",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "method = { kind = \"proportional\" }\ntarget = \"1\"",
                ),
            ),
            "scoring.framework.method_fact",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"execution_rate\"\nmethod = { kind = \"deduction\", per_defect = \"1\" }",
                ),
            ),
            "scoring.framework.method_fact",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"execution_rate\"\nmethod = { kind = \"proportional\" }",
                ),
            ),
            "scoring.framework.invalid_target",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"execution_rate\"\ntarget = \"0\"\nmethod = { kind = \"proportional\" }",
                ),
            ),
            "scoring.framework.invalid_target",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"file_flag_rate\"\nmethod = { kind = \"lower_is_better\" }",
                ),
            ),
            "scoring.framework.invalid_target",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"execution_rate\"\ntarget = \"-1\"\nmethod = { kind = \"steps\", steps = [{ at_least = \"1\", share = \"1\" }] }",
                ),
            ),
            "scoring.framework.invalid_target",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"execution_rate\"\nmethod = { kind = \"steps\", steps = [] }",
                ),
            ),
            "scoring.framework.invalid_steps",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"execution_rate\"\nmethod = { kind = \"steps\", steps = [{ at_least = \"1\", share = \"1.5\" }] }",
                ),
            ),
            "scoring.framework.invalid_steps",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"execution_rate\"\nmethod = { kind = \"steps\", steps = [{ at_least = \"1\", share = \"1\" }, { at_least = \"0.9\", share = \"0.5\" }] }",
                ),
            ),
            "scoring.framework.invalid_steps",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"execution_rate\"\nmethod = { kind = \"steps\", steps = [{ at_least = \"0.9\", share = \"1\" }, { at_least = \"1\", share = \"0.5\" }] }",
                ),
            ),
            "scoring.framework.invalid_steps",
        ),
        (
            mini(
                "10",
                "half_up",
                &ind(
                    "x",
                    None,
                    "10",
                    "fact = \"cash_payments\"\nmethod = { kind = \"deduction\", per_defect = \"0\" }",
                ),
            ),
            "scoring.framework.invalid_deduction",
        ),
        (
            mini("10", "half_up", &ind("x", None, "10", prop)).replacen(
                "achieved = { min = \"0.8\"",
                "achieved = { min = \"0.85\"",
                1,
            ),
            "scoring.framework.invalid_bands",
        ),
        (
            mini("10", "half_up", &ind("x", None, "10", prop)).replacen(
                "max = \"1\" }",
                "max = \"0.9\" }",
                1,
            ),
            "scoring.framework.invalid_bands",
        ),
        (
            mini("10", "half_up", &ind("x", None, "10", prop)).replacen(
                "min = \"0\", cite",
                "min = \"10\", cite",
                1,
            ),
            "scoring.framework.invalid_grade_bands",
        ),
        (
            mini("100", "half_up", &ind("x", None, "100", prop)).replacen(
                "min = \"80\"",
                "min = \"90\"",
                1,
            ),
            "scoring.framework.invalid_grade_bands",
        ),
        (
            mini("10", "half_up", &ind("x", None, "10", prop)).replacen(
                "min = \"9\"",
                "min = \"11\"",
                1,
            ),
            "scoring.framework.invalid_grade_bands",
        ),
        (
            mini("10", "half_up", &ind("x", None, "10", prop))
                .replace("cite = \"score.t\"\nfact", "cite = \"score.nope\"\nfact"),
            "scoring.framework.unknown_citation",
        ),
    ];
    for (text, code) in &cases {
        let err = Framework::from_toml(text).map(|_| ()).unwrap_err();
        assert_eq!(err.code(), *code, "{err}\n---\n{text}");
    }
    // Sanity: the base of the cases is a valid framework.
    assert!(Framework::from_toml(&mini("10", "half_up", &ind("x", None, "10", prop))).is_ok());
}
