//! The committed Guinan 2019 files are byte for byte what the generator makes from
//! `crates/bangfu-data/data/guinan-2019/generator.toml` under the year's own policy.
#![allow(clippy::unwrap_used, missing_docs)]

use bangfu_data::guinan2019 as gn;

const REGENERATE: &str = "stale: run `cargo run -p bangfu-datagen -- --config crates/bangfu-data/data/guinan-2019/generator.toml --policy crates/bangfu-data/data/guinan-2019/policy.toml --out crates/bangfu-data/data/guinan-2019`";

#[test]
fn the_committed_guinan_files_are_what_the_generator_makes() {
    let config = bangfu_datagen::GeneratorConfig::from_toml(gn::GENERATOR_TOML).unwrap();
    let data = bangfu_datagen::generate(&config, &gn::policy().unwrap()).unwrap();
    let files = [
        (
            "households.jsonl",
            data.households_jsonl(),
            gn::HOUSEHOLDS_JSONL,
        ),
        (
            "applicants.jsonl",
            data.applicants_jsonl(),
            gn::APPLICANTS_JSONL,
        ),
        (
            "case-events.jsonl",
            data.case_events_jsonl(),
            gn::CASE_EVENTS_JSONL,
        ),
        ("claims.jsonl", data.claims_jsonl(), gn::CLAIMS_JSONL),
        ("ledger.jsonl", data.ledger_jsonl(), gn::LEDGER_JSONL),
        ("survey.jsonl", data.survey_jsonl(), gn::SURVEY_JSONL),
        ("budget.toml", data.budget_toml().unwrap(), gn::BUDGET_TOML),
        (
            "allocation.toml",
            data.allocation_toml().unwrap(),
            gn::ALLOCATION_TOML,
        ),
        (
            "payment-checks.jsonl",
            data.checks_jsonl(),
            gn::PAYMENT_CHECKS_JSONL,
        ),
        (
            "self-inspection.jsonl",
            data.inspection_jsonl(),
            gn::SELF_INSPECTION_JSONL,
        ),
    ];
    for (name, made, committed) in files {
        assert!(made == committed, "{name} is {REGENERATE}");
    }
}

#[test]
fn a_configuration_without_events_plants_nothing() {
    let mut config = bangfu_datagen::GeneratorConfig::from_toml(gn::GENERATOR_TOML).unwrap();
    config.events = None;
    config.oversight = None;
    let data = bangfu_datagen::generate(&config, &gn::policy().unwrap()).unwrap();
    assert!(data.case_events.is_empty() && data.budget.is_none());
    assert!(data.allocation.is_none() && data.checks.is_empty() && data.inspection.is_empty());
    // The base records are those the events were planted on: the same households.
    assert!(data.households_jsonl() == gn::HOUSEHOLDS_JSONL);
}

#[test]
fn events_without_a_budget_are_refused() {
    let mut config = bangfu_datagen::GeneratorConfig::from_toml(gn::GENERATOR_TOML).unwrap();
    config.budget = None;
    let err = bangfu_datagen::generate(&config, &gn::policy().unwrap()).unwrap_err();
    assert!(err.to_string().contains("[budget]"), "{err}");
}

#[test]
fn a_planted_finding_the_year_path_does_not_find_is_refused() {
    let mut config = bangfu_datagen::GeneratorConfig::from_toml(gn::GENERATOR_TOML).unwrap();
    // A living payment raised to 900 yuan is inside the per-time maximum: no finding.
    let events = config.events.as_mut().unwrap();
    events.over_standard.amount = "900.00".parse().unwrap();
    let err = bangfu_datagen::generate(&config, &gn::policy().unwrap()).unwrap_err();
    assert!(
        err.to_string()
            .contains("not the one over-standard payment planted"),
        "{err}"
    );
}

#[test]
fn oversight_without_events_is_refused() {
    let mut config = bangfu_datagen::GeneratorConfig::from_toml(gn::GENERATOR_TOML).unwrap();
    config.events = None;
    let err = bangfu_datagen::generate(&config, &gn::policy().unwrap()).unwrap_err();
    assert!(
        err.to_string().contains("[oversight] needs [events]"),
        "{err}"
    );
}

#[test]
fn a_configuration_without_oversight_keeps_the_other_files() {
    let mut config = bangfu_datagen::GeneratorConfig::from_toml(gn::GENERATOR_TOML).unwrap();
    config.oversight = None;
    let data = bangfu_datagen::generate(&config, &gn::policy().unwrap()).unwrap();
    assert!(data.allocation_toml().is_none() && data.checks.is_empty());
    // The oversight records come from a stream of their own: nothing else moves.
    assert!(data.ledger_jsonl() == gn::LEDGER_JSONL);
    assert!(data.case_events_jsonl() == gn::CASE_EVENTS_JSONL);
}

#[test]
fn more_planted_failures_than_payments_are_refused() {
    let mut config = bangfu_datagen::GeneratorConfig::from_toml(gn::GENERATOR_TOML).unwrap();
    config.oversight.as_mut().unwrap().checks.no_notice = 100_000;
    let err = bangfu_datagen::generate(&config, &gn::policy().unwrap()).unwrap_err();
    assert!(err.to_string().contains("not enough payments"), "{err}");
}
