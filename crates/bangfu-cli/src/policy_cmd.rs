//! `bangfu policy check FILE [--on DATE]` and `bangfu policy show NAME`.
//!
//! `check` validates a policy file (errors name the line and the code) and prints what is in
//! force on DATE: every parameter's value, the date it came into force and its citation.
//! Without `--on`, the date is the newest `from` in the file, so every newest value shows.
//! `show` prints an embedded policy file (`hainan-2018`, `example-2020`) as one file, to copy
//! and edit.

use crate::{Args, Failure, in_file, read};

/// The embedded policy files, by name.
const EMBEDDED: &[(&str, &str)] = &[
    ("hainan-2018", bangfu::hainan2018::POLICY_TOML),
    ("example-2020", bangfu::example2020::POLICY_TOML),
];

fn names() -> String {
    EMBEDDED
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join("|")
}

pub(crate) fn policy(mut args: Args) -> Result<String, Failure> {
    if args.rest.is_empty() {
        return Err(Failure::Usage(
            "expected `policy check` or `policy show`".into(),
        ));
    }
    let sub = args.rest.remove(0);
    match sub.as_str() {
        "check" => {
            let on = match args.value("--on")? {
                Some(d) => Some(bangfu::core::parse_date(&d).map_err(|e| {
                    Failure::Usage(format!("--on needs a date like 2021-06-01 ({e})"))
                })?),
                None => None,
            };
            if args.rest.is_empty() {
                return Err(Failure::Usage("policy check needs a FILE".into()));
            }
            let file = args.rest.remove(0);
            args.finish()?;
            let text = read(&file)?;
            let table = bangfu::in_force::in_force(&text, on).map_err(in_file(&file))?;
            Ok(format!("{file}: ok\n{}", table.render_text()))
        }
        "show" => {
            if args.rest.is_empty() {
                return Err(Failure::Usage(format!(
                    "policy show needs a name: {}",
                    names()
                )));
            }
            let name = args.rest.remove(0);
            args.finish()?;
            match EMBEDDED.iter().find(|(n, _)| *n == name) {
                Some((_, text)) => Ok((*text).to_owned()),
                None => Err(Failure::Usage(format!(
                    "unknown policy {name:?}, expected one of {}",
                    names()
                ))),
            }
        }
        other => Err(Failure::Usage(format!(
            "unknown policy command {other:?}, expected check or show"
        ))),
    }
}
