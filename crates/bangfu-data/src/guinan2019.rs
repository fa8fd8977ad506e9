//! The generated Guinan City 2019 year (桂南市总工会, Guangxi, `CN-GX`): a **generated
//! example**, not a real union's year. 桂南市 is fictional, and so are its center, units,
//! people and figures. It is the second embedded year, made to differ from Hainan's: another
//! jurisdiction and year, its own policy (other living-aid maxima, medical aid of 60 % capped
//! at 20,000 a household, a sync window of 20 working days, city fiscal money and donations
//! among its sources), and a year in which things happen: exits and cancellations (two of six
//! recorded late), a household withdrawn and its last payment recovered, two payments entered
//! late, one living payment above the standard, and a balance carried over without approval.
//! Its oversight records show the allocation plan approved by the director's office meeting,
//! payment checks with planted failures (cards that do not match the file, a payment not in
//! full, notices missing or not delivered, call-backs missing or failed) and self-inspection
//! items, some still open.
//!
//! The directory `data/guinan-2019/` is a year directory (`docs/year-directory.md`): the
//! policy written whole, the records made by the generator (`tools/datagen`) from
//! `data/guinan-2019/generator.toml` (a test regenerates them and compares the bytes), and
//! the report's files. The year is read and built by [`YearDir`], as `bangfu report DIR`
//! does. See `docs/data.md`.
//!
//! ```
//! use bangfu_year::evaluation::FrameworkChoice;
//! let eval = bangfu_data::guinan2019::evaluation(FrameworkChoice::SelfEvaluation)?;
//! assert_eq!(eval.facts.compliance.over_standard_payments.count, 1);
//! # Ok::<(), bangfu_data::DataError>(())
//! ```

use std::collections::BTreeMap;

use bangfu_core::Year;
use bangfu_funding::Budget;
use bangfu_year::dir::YearDir;
use bangfu_year::evaluation::{Evaluation, FrameworkChoice};
use bangfu_year::input::{self, InputError};
use bangfu_year::{Policy, ProgrammeYear, YearRun};

use crate::DataError;

/// The policy file (TOML), written whole.
pub const POLICY_TOML: &str = include_str!("../data/guinan-2019/policy.toml");
/// The budget file (TOML), written by the generator with its carry-over approvals.
pub const BUDGET_TOML: &str = include_str!("../data/guinan-2019/budget.toml");
/// The generator's configuration (TOML).
pub const GENERATOR_TOML: &str = include_str!("../data/guinan-2019/generator.toml");
/// The filed households (the 250, then the 2 withdrawn of earlier years), one per line.
pub const HOUSEHOLDS_JSONL: &str = include_str!("../data/guinan-2019/households.jsonl");
/// The applicants refused at preliminary review.
pub const APPLICANTS_JSONL: &str = include_str!("../data/guinan-2019/applicants.jsonl");
/// The case-file events of 2019: exits, cancellations, a withdrawal and its recovery.
pub const CASE_EVENTS_JSONL: &str = include_str!("../data/guinan-2019/case-events.jsonl");
/// The claims behind the medical and education payments.
pub const CLAIMS_JSONL: &str = include_str!("../data/guinan-2019/claims.jsonl");
/// The ledger: the year's income and 1,357 payments, one JSON posting per line.
pub const LEDGER_JSONL: &str = include_str!("../data/guinan-2019/ledger.jsonl");
/// The home visits of June–July 2019.
pub const SURVEY_JSONL: &str = include_str!("../data/guinan-2019/survey.jsonl");
/// What the center's report states, and its plan.
pub const STATED_TOML: &str = include_str!("../data/guinan-2019/stated.toml");
/// The evaluator's judgements.
pub const JUDGEMENTS_TOML: &str = include_str!("../data/guinan-2019/judgements.toml");
/// The report's names, dates and narrative, and the units' names.
pub const REPORT_TOML: &str = include_str!("../data/guinan-2019/report.toml");
/// The collective decision on the allocation plan (分配方案), written by the generator.
pub const ALLOCATION_TOML: &str = include_str!("../data/guinan-2019/allocation.toml");
/// The payment checks: a card on each file, the bank's return and SMS notice of each
/// payment, the call-back sample and the calls, written by the generator.
pub const PAYMENT_CHECKS_JSONL: &str = include_str!("../data/guinan-2019/payment-checks.jsonl");
/// The self-inspection items and their fixes (自查自纠、整改), written by the generator.
pub const SELF_INSPECTION_JSONL: &str = include_str!("../data/guinan-2019/self-inspection.jsonl");

/// The programme year, 2019.
///
/// ```
/// assert_eq!(bangfu_data::guinan2019::year().number(), 2019);
/// ```
pub fn year() -> Year {
    // 2019 is inside Year's range; the fallback is never taken.
    Year::new(2019).unwrap_or_else(|_| Year::of(chrono::NaiveDate::MIN))
}

/// The Guinan 2019 policy.
///
/// # Errors
/// Only if the embedded file were broken (a test guards it).
///
/// ```
/// let p = bangfu_data::guinan2019::policy()?;
/// assert_eq!(p.meta.jurisdiction, "CN-GX");
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn policy() -> Result<Policy, InputError> {
    Policy::from_toml(POLICY_TOML)
}

/// The 2019 budget, with its carry-over approvals.
///
/// # Errors
/// Only if the embedded file were broken.
///
/// ```
/// let b = bangfu_data::guinan2019::budget()?;
/// assert_eq!(b.total().unwrap().wan().to_string(), "140");
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn budget() -> Result<Budget, InputError> {
    input::parse_budget_toml(BUDGET_TOML)
}

/// The year directory's files by name, as `bangfu check DIR` reads them from
/// `data/guinan-2019/` (the generator's configuration is not one of them).
///
/// ```
/// let files = bangfu_data::guinan2019::files();
/// assert_eq!(files.len(), 14);
/// assert!(files.contains_key("case-events.jsonl"));
/// ```
pub fn files() -> BTreeMap<String, Vec<u8>> {
    crate::embed::files(&[
        ("policy.toml", POLICY_TOML),
        ("budget.toml", BUDGET_TOML),
        ("households.jsonl", HOUSEHOLDS_JSONL),
        ("applicants.jsonl", APPLICANTS_JSONL),
        ("case-events.jsonl", CASE_EVENTS_JSONL),
        ("claims.jsonl", CLAIMS_JSONL),
        ("ledger.jsonl", LEDGER_JSONL),
        ("survey.jsonl", SURVEY_JSONL),
        ("stated.toml", STATED_TOML),
        ("judgements.toml", JUDGEMENTS_TOML),
        ("report.toml", REPORT_TOML),
        ("allocation.toml", ALLOCATION_TOML),
        ("payment-checks.jsonl", PAYMENT_CHECKS_JSONL),
        ("self-inspection.jsonl", SELF_INSPECTION_JSONL),
    ])
}

/// The year directory, read and checked line by line.
///
/// # Errors
/// Only if the embedded files were broken: [`DataError::Problems`].
///
/// ```
/// let dir = bangfu_data::guinan2019::year_dir()?;
/// assert_eq!(dir.case_events.len(), 8);
/// # Ok::<(), bangfu_data::DataError>(())
/// ```
pub fn year_dir() -> Result<YearDir, DataError> {
    YearDir::read(&files()).map_err(DataError::Problems)
}

/// The whole 2019 year through the year's one path, built from the directory as
/// [`YearDir::build`] builds it: every household filed through the seven steps, the refused
/// applicants, the case-file events, the claims decided and the ledger's postings recorded in
/// date order (what the rules would refuse kept as findings), the home visits.
///
/// # Errors
/// Only if the embedded data were broken (a test guards it).
///
/// ```
/// let year = bangfu_data::guinan2019::programme_year()?;
/// assert_eq!(year.payments().payments.count, 1_357);
/// assert_eq!(year.payments().defects.len(), 1);
/// # Ok::<(), bangfu_data::DataError>(())
/// ```
pub fn programme_year() -> Result<ProgrammeYear, DataError> {
    Ok(year_dir()?.build().map_err(DataError::Problems)?.year)
}

/// The whole 2019 year: every record posted, the year closed, the statement computed.
///
/// # Errors
/// Only if the embedded data were broken.
///
/// ```
/// let run = bangfu_data::guinan2019::run()?;
/// assert_eq!(run.close.unapproved().count(), 1);
/// # Ok::<(), bangfu_data::DataError>(())
/// ```
pub fn run() -> Result<YearRun, DataError> {
    Ok(programme_year()?.run()?)
}

/// The 2019 evaluation under one of the built-in frameworks, as `bangfu report DIR` makes
/// it.
///
/// # Errors
/// Only if the embedded data were broken.
///
/// ```
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::guinan2019::evaluation(FrameworkChoice::Reference)?;
/// assert_eq!(eval.facts.person_times.count, 1_357);
/// # Ok::<(), bangfu_data::DataError>(())
/// ```
pub fn evaluation(framework: FrameworkChoice) -> Result<Evaluation, DataError> {
    let built = year_dir()?.build().map_err(DataError::Problems)?;
    Ok(built.evaluate(framework)?)
}
