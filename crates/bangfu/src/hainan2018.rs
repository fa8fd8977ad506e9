//! The embedded Hainan 2018 data: the policy, the budget, and the record-level ledger of the
//! seed (the Hainan Province Workers' Service (Aid) Center's 2018 self-evaluation).
//!
//! The records were produced by [`crate::generate`] from `data/hainan-2018/generator.toml`;
//! a test regenerates them and compares the bytes. See `docs/data.md`.

use bangfu_core::Year;
use bangfu_funding::{Budget, Posting};

use crate::generate::HouseholdRecord;
use crate::input::{self, InputError};
use crate::{Policy, YearRun};

/// The policy file (TOML): the header and the sections each crate keeps with its
/// parameters, as one file.
pub const POLICY_TOML: &str = concat!(
    include_str!("../data/hainan-2018/meta.toml"),
    "\n",
    include_str!("../../bangfu-funding/data/hainan-2018.toml"),
    "\n",
    include_str!("../../bangfu-eligibility/data/hainan-2018.toml"),
    "\n",
    include_str!("../../bangfu-aid/data/hainan-2018.toml"),
    "\n",
    include_str!("../../bangfu-scoring/data/policy.toml"),
);
/// The budget file (TOML).
pub const BUDGET_TOML: &str = include_str!("../data/hainan-2018/budget.toml");
/// The generator's configuration (TOML).
pub const GENERATOR_TOML: &str = include_str!("../data/hainan-2018/generator.toml");
/// The ledger: 8,236 payments and the year's income, one JSON posting per line.
pub const LEDGER_JSONL: &str = include_str!("../data/hainan-2018/ledger.jsonl");
/// The 966 filed households, one JSON object per line.
pub const HOUSEHOLDS_JSONL: &str = include_str!("../data/hainan-2018/households.jsonl");

/// The programme year, 2018.
///
/// ```
/// assert_eq!(bangfu::hainan2018::year().number(), 2018);
/// ```
pub fn year() -> Year {
    // 2018 is inside Year's range; the fallback is never taken.
    Year::new(2018).unwrap_or_else(|_| Year::of(chrono::NaiveDate::MIN))
}

/// The Hainan 2018 policy.
///
/// # Errors
/// Only if the embedded file were broken (a test guards it).
///
/// ```
/// let p = bangfu::hainan2018::policy()?;
/// assert_eq!(p.meta.version, "2018.1");
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn policy() -> Result<Policy, InputError> {
    Policy::from_toml(POLICY_TOML)
}

/// The 2018 budget, with the approval of the carry-over.
///
/// # Errors
/// Only if the embedded file were broken.
///
/// ```
/// let b = bangfu::hainan2018::budget()?;
/// assert_eq!(b.total().unwrap().wan().to_string(), "1100");
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn budget() -> Result<Budget, InputError> {
    input::parse_budget_toml(BUDGET_TOML)
}

/// The 2018 ledger records.
///
/// # Errors
/// Only if the embedded file were broken.
///
/// ```
/// let records = bangfu::hainan2018::ledger_records()?;
/// assert!(records.len() > 8_236);
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn ledger_records() -> Result<Vec<Posting>, InputError> {
    input::parse_ledger_jsonl(LEDGER_JSONL)
}

/// The 966 households.
///
/// # Errors
/// Only if the embedded file were broken.
///
/// ```
/// assert_eq!(bangfu::hainan2018::households()?.len(), 966);
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn households() -> Result<Vec<HouseholdRecord>, InputError> {
    let mut out = Vec::new();
    for (i, line) in HOUSEHOLDS_JSONL.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(serde_json::from_str(line).map_err(|e| InputError::from_json(i + 1, &e))?);
    }
    Ok(out)
}

/// The whole 2018 year: every record posted, the year closed, the statement computed.
///
/// # Errors
/// Only if the embedded data were broken.
///
/// ```
/// let run = bangfu::hainan2018::run()?;
/// assert_eq!(run.statement.totals.person_times, 8_236);
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
pub fn run() -> Result<YearRun, InputError> {
    YearRun::new(&policy()?, &budget()?, ledger_records()?)
}
