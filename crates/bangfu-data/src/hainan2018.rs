//! The embedded Hainan 2018 data: the policy, the budget, and the record-level ledger of the
//! seed (the Hainan Province Workers' Service (Aid) Center's 2018 self-evaluation).
//!
//! The records were produced by the generator (`tools/datagen`) from `data/hainan-2018/generator.toml`;
//! a test regenerates them and compares the bytes. See `docs/data.md`.

use bangfu_core::Year;
use bangfu_eligibility::Registry;
use bangfu_funding::{Budget, Posting};
use bangfu_year::evaluation::{
    Evaluation, EvaluationError, FrameworkChoice, JudgementsFile, Records, ReportFile, StatedFile,
};

use bangfu_year::input::{self, InputError, parse_jsonl};
use bangfu_year::records::{ApplicantRecord, ClaimRecord, HouseholdRecord, SurveyRecord};
use bangfu_year::{Policy, ProgrammeYear, YearError, YearRun};

/// The policy file (TOML): the header and the sections each crate keeps with its
/// parameters, as one file.
pub const POLICY_TOML: &str = crate::embed::join_sections!(
    include_str!("../data/hainan-2018/meta.toml"),
    bangfu_core::MINIMUM_STANDARD_HAINAN_2018_TOML,
    bangfu_funding::HAINAN_2018_POLICY_TOML,
    bangfu_eligibility::HAINAN_2018_POLICY_TOML,
    bangfu_aid::HAINAN_2018_POLICY_TOML,
    bangfu_scoring::POLICY,
);
/// The budget file (TOML).
pub const BUDGET_TOML: &str = include_str!("../data/hainan-2018/budget.toml");
/// The generator's configuration (TOML).
pub const GENERATOR_TOML: &str = include_str!("../data/hainan-2018/generator.toml");
/// The ledger: 8,236 payments and the year's income, one JSON posting per line.
pub const LEDGER_JSONL: &str = include_str!("../data/hainan-2018/ledger.jsonl");
/// The filed households (the 966 of 2018, then the 17 withdrawn), one JSON object per line.
pub const HOUSEHOLDS_JSONL: &str = include_str!("../data/hainan-2018/households.jsonl");
/// The applicants refused for an exclusion.
pub const APPLICANTS_JSONL: &str = include_str!("../data/hainan-2018/applicants.jsonl");
/// The claims behind the medical and education payments.
pub const CLAIMS_JSONL: &str = include_str!("../data/hainan-2018/claims.jsonl");
/// The home visits of May–June 2018.
pub const SURVEY_JSONL: &str = include_str!("../data/hainan-2018/survey.jsonl");

/// The programme year, 2018.
///
/// ```
/// assert_eq!(bangfu_data::hainan2018::year().number(), 2018);
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
/// let p = bangfu_data::hainan2018::policy()?;
/// assert_eq!(p.meta.version, "2018.1");
/// # Ok::<(), bangfu_year::input::InputError>(())
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
/// let b = bangfu_data::hainan2018::budget()?;
/// assert_eq!(b.total().unwrap().wan().to_string(), "1100");
/// # Ok::<(), bangfu_year::input::InputError>(())
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
/// let records = bangfu_data::hainan2018::ledger_records()?;
/// assert!(records.len() > 8_236);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn ledger_records() -> Result<Vec<Posting>, InputError> {
    input::parse_ledger_jsonl(LEDGER_JSONL)
}

/// The filed households: the 966 of 2018, then the 17 withdrawn after dishonest
/// applications.
///
/// # Errors
/// Only if the embedded file were broken.
///
/// ```
/// let all = bangfu_data::hainan2018::households()?;
/// assert_eq!(all.len(), 966 + 17);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn households() -> Result<Vec<HouseholdRecord>, InputError> {
    parse_jsonl(HOUSEHOLDS_JSONL)
}

/// The applicants refused at preliminary review, one per exclusion.
///
/// # Errors
/// Only if the embedded file were broken.
///
/// ```
/// assert_eq!(bangfu_data::hainan2018::applicants()?.len(), 4);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn applicants() -> Result<Vec<ApplicantRecord>, InputError> {
    parse_jsonl(APPLICANTS_JSONL)
}

/// The claims behind the 2018 medical and education payments.
///
/// # Errors
/// Only if the embedded file were broken.
///
/// ```
/// assert_eq!(bangfu_data::hainan2018::claims()?.len(), 237 + 543);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn claims() -> Result<Vec<ClaimRecord>, InputError> {
    parse_jsonl(CLAIMS_JSONL)
}

/// The home visits of May–June 2018 (82 households, 80 satisfied).
///
/// # Errors
/// Only if the embedded file were broken.
///
/// ```
/// let visits = bangfu_data::hainan2018::survey()?;
/// assert_eq!(visits.len(), 82);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn survey() -> Result<Vec<SurveyRecord>, InputError> {
    parse_jsonl(SURVEY_JSONL)
}

/// The whole 2018 year through the year's one path ([`ProgrammeYear`]): every household
/// filed through the seven steps (申请 → 初审 → 公示 → 建档 → 审批 → 再公示 → 在档) from its
/// application date, the 17 withdrawn; each refused applicant's file rejected at preliminary
/// review; the claims decided and the ledger's postings recorded in date order; the home
/// visits.
///
/// # Errors
/// Only if the embedded data were broken (a test guards it).
///
/// ```
/// let year = bangfu_data::hainan2018::programme_year()?;
/// assert_eq!(year.payments().payments.count, 8_236);
/// assert_eq!(year.payments().compliance.total(), 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn programme_year() -> Result<ProgrammeYear, YearError> {
    let mut year = ProgrammeYear::new(policy()?, budget()?)?;
    for r in households()? {
        year.file_household(r)?;
    }
    for a in &applicants()? {
        year.refuse_applicant(a)?;
    }
    year.replay(claims()?, ledger_records()?)
        .map_err(|e| e.error().clone())?;
    for v in survey()? {
        year.visit(v);
    }
    Ok(year)
}

/// The year directory's files by name, as `crates/bangfu-data/data/hainan-2018/` holds
/// them with the policy assembled (the generator's configuration and `meta.toml` are not
/// among them).
///
/// ```
/// let files = bangfu_data::hainan2018::files();
/// assert_eq!(files.len(), 11);
/// let year = bangfu_year::dir::YearDir::read(&files).unwrap().build().unwrap();
/// assert_eq!(year.year.payments().payments.count, 8_236);
/// ```
pub fn files() -> std::collections::BTreeMap<String, Vec<u8>> {
    crate::embed::files(&[
        ("policy.toml", POLICY_TOML),
        ("budget.toml", BUDGET_TOML),
        ("households.jsonl", HOUSEHOLDS_JSONL),
        ("applicants.jsonl", APPLICANTS_JSONL),
        ("claims.jsonl", CLAIMS_JSONL),
        ("ledger.jsonl", LEDGER_JSONL),
        ("survey.jsonl", SURVEY_JSONL),
        ("stated.toml", STATED_TOML),
        ("judgements.toml", JUDGEMENTS_TOML),
        ("report.toml", REPORT_TOML),
        ("units.toml", UNITS_TOML),
    ])
}

/// The registry of 2018, as [`programme_year`] files it.
///
/// # Errors
/// Only if the embedded data were broken.
///
/// ```
/// let registry = bangfu_data::hainan2018::registry()?;
/// let day = chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
/// assert!(registry.is_payable_on(&"HK-0001".parse()?, day));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn registry() -> Result<Registry, YearError> {
    Ok(programme_year()?.registry().clone())
}

/// The whole 2018 year: every record posted, the year closed, the statement computed.
///
/// # Errors
/// Only if the embedded data were broken.
///
/// ```
/// let run = bangfu_data::hainan2018::run()?;
/// assert_eq!(run.statement.totals.person_times, 8_236);
/// # Ok::<(), bangfu_year::YearError>(())
/// ```
pub fn run() -> Result<YearRun, YearError> {
    programme_year()?.run()
}

/// What the seed states and its plan: `data/hainan-2018/stated.toml`.
pub const STATED_TOML: &str = include_str!("../data/hainan-2018/stated.toml");
/// The evaluator's judgements of 2018: `data/hainan-2018/judgements.toml`.
pub const JUDGEMENTS_TOML: &str = include_str!("../data/hainan-2018/judgements.toml");
/// The union organisation tree of 2018 (center → industrial and system unions):
/// `data/hainan-2018/units.toml`.
pub const UNITS_TOML: &str = include_str!("../data/hainan-2018/units.toml");
/// The 2018 report's names, dates and narrative: `data/hainan-2018/report.toml`.
pub const REPORT_TOML: &str = include_str!("../data/hainan-2018/report.toml");

/// The 2018 evaluation of the embedded Hainan data under one of the built-in frameworks.
///
/// # Errors
/// Only if the embedded data were broken.
///
/// ```
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
/// assert_eq!(eval.facts.person_times.count, 8_236);
/// # Ok::<(), bangfu_year::evaluation::EvaluationError>(())
/// ```
pub fn evaluation(framework: FrameworkChoice) -> Result<Evaluation, EvaluationError> {
    let year = programme_year()?;
    let stated = StatedFile::from_toml(STATED_TOML)?;
    let judgements = JudgementsFile::from_toml(JUDGEMENTS_TOML)?.for_framework(framework);
    // The units' names are the tree's (units.toml), the one definition of the units.
    let tree = bangfu_year::tree::UnitTree::from_toml(UNITS_TOML).map_err(|e| {
        EvaluationError::Input(bangfu_year::input::InputError::InvalidPolicy {
            line: e.line(),
            code: bangfu_core::Coded::code(&e),
            message: format!("units.toml: {e}"),
        })
    })?;
    let report = ReportFile::from_toml(REPORT_TOML)?.with_tree(&tree);
    let plan = stated.plan.clone();
    let records = Records {
        year: &year,
        plan: &plan,
        report: &report,
    };
    Evaluation::new(&records, stated, &framework.framework()?, &judgements)
}
