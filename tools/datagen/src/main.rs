//! `bangfu-datagen`: writes a generated year's records into a directory.
//!
//! ```text
//! cargo run -p bangfu-datagen -- --out DIR [--config FILE] [--policy FILE]
//! ```
//!
//! Without `--config`, the Hainan 2018 configuration embedded in `bangfu-data`; without
//! `--policy`, the Hainan 2018 policy. A configuration with `[events]` also writes
//! `case-events.jsonl` and `budget.toml`; one with `[oversight]` also `allocation.toml`,
//! `payment-checks.jsonl` and `self-inspection.jsonl`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("bangfu-datagen: {message}");
            ExitCode::from(2)
        }
    }
}

fn value<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    let i = args.iter().position(|a| a == flag)?;
    args.get(i + 1).map(String::as_str)
}

fn run(args: &[String]) -> Result<String, String> {
    let out = value(args, "--out")
        .ok_or("usage: bangfu-datagen --out DIR [--config FILE] [--policy FILE]")?;
    let config_text = match value(args, "--config") {
        Some(p) => std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?,
        None => bangfu_data::hainan2018::GENERATOR_TOML.to_owned(),
    };
    let config =
        bangfu_datagen::GeneratorConfig::from_toml(&config_text).map_err(|e| e.to_string())?;
    let policy = match value(args, "--policy") {
        Some(p) => {
            let text = std::fs::read_to_string(p).map_err(|e| format!("{p}: {e}"))?;
            bangfu_year::Policy::from_toml(&text).map_err(|e| format!("{p}: {e}"))?
        }
        None => bangfu_data::hainan2018::policy().map_err(|e| e.to_string())?,
    };
    let data = bangfu_datagen::generate(&config, &policy).map_err(|e| e.to_string())?;
    let write = |name: &str, text: String| -> Result<(), String> {
        let path = std::path::Path::new(out).join(name);
        std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
    };
    write("households.jsonl", data.households_jsonl())?;
    write("applicants.jsonl", data.applicants_jsonl())?;
    write("claims.jsonl", data.claims_jsonl())?;
    write("survey.jsonl", data.survey_jsonl())?;
    write("ledger.jsonl", data.ledger_jsonl())?;
    if config.events.is_some() {
        write("case-events.jsonl", data.case_events_jsonl())?;
    }
    if let Some(budget) = data.budget_toml() {
        write("budget.toml", budget)?;
    }
    if let Some(allocation) = data.allocation_toml() {
        write("allocation.toml", allocation)?;
        write("payment-checks.jsonl", data.checks_jsonl())?;
        write("self-inspection.jsonl", data.inspection_jsonl())?;
    }
    Ok(format!(
        "wrote {} households and {} postings to {out}\n",
        data.households.len(),
        data.postings.len()
    ))
}
