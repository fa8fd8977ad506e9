//! `bangfu-datagen`: writes a generated year's records into a directory.
//!
//! ```text
//! cargo run -p bangfu-datagen -- --out DIR [--config FILE] [--policy FILE]
//! cargo run --release -p bangfu-datagen -- national --out DIR [--households N] [--seed S] [--variants V]
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
    if args.first().map(String::as_str) == Some("national") {
        return national(args);
    }
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

fn number<T: std::str::FromStr>(args: &[String], flag: &str, default: T) -> Result<T, String> {
    match value(args, flag) {
        None => Ok(default),
        Some(v) => v
            .replace('_', "")
            .parse()
            .map_err(|_| format!("{flag}: not a number: {v}")),
    }
}

/// The national year (docs/performance.md, issue 15): Hainan 2018's variants copied into a
/// year of at least `--households` households under the 31 provinces, written line by line,
/// with a progress bar on standard error when it is a terminal.
fn national(args: &[String]) -> Result<String, String> {
    use bangfu_datagen::national::{self, Base, NationalConfig};
    let usage =
        "usage: bangfu-datagen national --out DIR [--households N] [--seed S] [--variants V]";
    let out = value(args, "--out").ok_or(usage)?;
    let config = NationalConfig {
        seed: number(args, "--seed", 2020)?,
        households: number(args, "--households", 5_500_000)?,
        variants: number(args, "--variants", 8)?,
    };
    let (generator, policy, budget, units) = national::hainan().map_err(|e| e.to_string())?;
    let base = Base {
        config: &generator,
        policy: &policy,
        policy_toml: bangfu_data::hainan2018::POLICY_TOML,
        budget: Some(&budget),
        units: &units,
        texts: national::hainan_texts(),
    };
    std::fs::create_dir_all(out).map_err(|e| format!("{out}: {e}"))?;
    let bar = indicatif::ProgressBar::new(u64::from(config.variants));
    bar.set_style(style("variants"));
    let mut variants = Vec::new();
    for v in national::variants(&config, &generator, &policy).map_err(|e| e.to_string())? {
        variants.push(v);
        bar.inc(1);
    }
    bar.finish_and_clear();
    let per_copy = variants
        .first()
        .map_or(1, |d| d.households.len().max(1) as u64);
    let copies = config.households.div_ceil(per_copy);
    let total: u64 = (0..copies)
        .map(|k| {
            variants
                .get((k % variants.len().max(1) as u64) as usize)
                .map_or(0, national::records_per_copy)
        })
        .sum();
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(style("records"));
    let written = national::write(
        &config,
        &base,
        &variants,
        std::path::Path::new(out),
        &mut |n| bar.inc(n),
    )
    .map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    Ok(format!(
        "wrote {} copies: {} households, {} records, {} MB to {out}\n",
        written.copies,
        written.households,
        written.records,
        written.bytes / 1_000_000
    ))
}

/// A bar with its rate and the time left (drawn only on a terminal).
fn style(what: &str) -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(&format!(
        "{{elapsed_precise}} [{{bar:40}}] {{human_pos}}/{{human_len}} {what} {{per_sec}} eta {{eta}}"
    ))
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
}
