//! The annual review (年度复核): proposed exits and cancellations, overdue reviews, paper and
//! electronic records out of sync, and file-quality flags (the national system's orange mark).

use std::collections::BTreeMap;

use bangfu_core::{CaseId, Money, WorkingCalendar};
use chrono::{Datelike, Months, NaiveDate};

use crate::EligibilityError;
use crate::case::{CancelReason, CaseFile, ExitReason, Stage};
use crate::decision::{Detail, Outcome, ReasonKind, assess_with};
use crate::household::{HealthCondition, Household, Sex};
use crate::policy::EligibilityPolicy;
use crate::registry::Registry;

bangfu_core::coded_enum! {
    /// A file-quality flag (档案质量问题); any flag marks the electronic file unqualified
    /// (orange in the national system).
    pub enum QualityFlag {
        /// No members besides the worker are listed (无家庭成员信息).
        NoMembers = ("quality.no_members", "无家庭成员信息", "no household members listed"),
        /// Personal incomes plus other income do not add up to the household income (成员收入与家庭收入不符).
        IncomeMismatch = ("quality.income_mismatch", "成员收入之和与家庭收入不符", "member incomes do not add up to the household income"),
        /// A person's age is outside the plausible ages of their school stage (年龄与就学阶段不符).
        SchoolAgeMismatch = ("quality.school_age_mismatch", "年龄与就学阶段不符", "age does not fit the school stage"),
        /// The file's category or tier differs from the computed one (困难类别或档案层级有误).
        TierMismatch = ("quality.tier_mismatch", "困难类别或档案层级与认定标准不符", "category or tier does not match the computed one"),
        /// A claimed cause lacks its document (致困原因缺少证明材料).
        CauseWithoutDocument = ("quality.cause_without_document", "致困原因缺少证明材料", "claimed cause without its document"),
        /// A required document is missing (缺少必要材料).
        MissingDocument = ("quality.missing_document", "缺少必要材料", "required document missing"),
    }
}

bangfu_core::coded_enum! {
    /// Why the review proposes closing a file (复核建议理由).
    pub enum ProposalBasis {
        /// A child left school and is employed (子女毕业实现就业).
        ChildGraduatedEmployed = ("review.child_graduated_employed", "子女毕业并已就业", "a child graduated and is employed"),
        /// A major illness is no longer recorded (疾病治愈).
        IllnessCured = ("review.illness_cured", "重大疾病已治愈", "a major illness is cured"),
        /// The worker is employed again (再就业).
        Reemployed = ("review.reemployed", "职工已再就业", "the worker is re-employed"),
        /// The worker reached retirement age (达到退休年龄).
        RetirementAge = ("review.retirement_age", "职工达到退休年龄", "the worker reached retirement age"),
        /// The household meets no standard any more (收入超过认定标准).
        IncomeAboveLine = ("review.income_above_line", "人均收入超过认定标准", "per-capita income above every line"),
        /// An exclusion now applies (属于不予建档情形).
        ExclusionApplies = ("review.exclusion_applies", "属于不予建档情形", "an exclusion applies"),
        /// Per-capita income above every line for the policy's consecutive months (连续数月收入超过认定标准).
        IncomeAboveLineMonths = ("review.income_above_line_months", "人均收入连续数月超过认定标准", "per-capita income above every line for consecutive months"),
    }
}

/// What the review proposes for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum ProposedAction {
    /// Exit hardship (脱困) with this reason.
    Exit(ExitReason),
    /// Cancel (注销) with this reason.
    Cancel(CancelReason),
    /// Withdraw (退档) with this reason.
    Withdraw(crate::case::WithdrawReason),
}

/// A proposal to close a file; the caller records it as an event if it agrees.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Proposal {
    /// The file.
    pub case: CaseId,
    /// The action.
    pub action: ProposedAction,
    /// Why.
    pub basis: ProposalBasis,
    /// The facts.
    pub detail: String,
}

/// A file-quality flag on a file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct FileFlag {
    /// The file.
    pub case: CaseId,
    /// The flag.
    pub flag: QualityFlag,
    /// The facts.
    pub detail: String,
}

/// Paper and electronic records that disagree past the sync window.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SyncGap {
    /// The file.
    pub case: CaseId,
    /// Last paper update.
    #[cfg_attr(feature = "schema", schemars(with = "Option<NaiveDate>"))]
    #[serde(with = "bangfu_core::iso_date::option")]
    pub paper: Option<NaiveDate>,
    /// Last electronic update.
    #[cfg_attr(feature = "schema", schemars(with = "Option<NaiveDate>"))]
    #[serde(with = "bangfu_core::iso_date::option")]
    pub electronic: Option<NaiveDate>,
    /// The last day the lagging record should have followed.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub deadline: NaiveDate,
}

/// The annual review's report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ReviewReport {
    /// The as-of date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub as_of: NaiveDate,
    /// Proposed exits and cancellations.
    pub proposals: Vec<Proposal>,
    /// Active files whose last review (or activation) is older than the review interval.
    pub overdue: Vec<CaseId>,
    /// Files whose records disagree past the sync window.
    pub out_of_sync: Vec<SyncGap>,
    /// File-quality flags.
    pub flags: Vec<FileFlag>,
}

impl ReviewReport {
    /// Whether a file carries any quality flag (orange: unqualified).
    pub fn is_orange(&self, case: &CaseId) -> bool {
        self.flags.iter().any(|f| &f.case == case)
    }
}

/// Reviews every active file on `as_of`, using `updated` facts where given (by case id)
/// and the file's own facts otherwise.
///
/// # Errors
/// A parameter not in force on `as_of`, or invalid updated facts.
///
/// # Example
/// ```
/// use bangfu_eligibility::*;
/// let policy = EligibilityPolicy::hainan_2018()?;
/// let report = annual_review(&Registry::default(), &policy, &bangfu_core::WorkingCalendar::china()?,
///     chrono::NaiveDate::from_ymd_opt(2018, 12, 31).unwrap(), &Default::default())?;
/// assert!(report.proposals.is_empty());
/// # Ok::<(), bangfu_eligibility::EligibilityError>(())
/// ```
pub fn annual_review(
    registry: &Registry,
    policy: &EligibilityPolicy,
    calendar: &WorkingCalendar,
    as_of: NaiveDate,
    updated: &BTreeMap<CaseId, Household>,
) -> Result<ReviewReport, EligibilityError> {
    let mut report = ReviewReport {
        as_of,
        proposals: Vec::new(),
        overdue: Vec::new(),
        out_of_sync: Vec::new(),
        flags: Vec::new(),
    };
    let interval = policy
        .review_interval_months
        .at("eligibility.review_interval_months", as_of)?
        .value;
    let window = policy
        .sync_window_working_days
        .at("eligibility.sync_window_working_days", as_of)?
        .value;
    for file in registry.files() {
        if let Some(gap) = sync_gap(file, calendar, window, as_of)? {
            report.out_of_sync.push(gap);
        }
        if file.stage() != Stage::Active {
            continue;
        }
        let facts = updated.get(file.id()).unwrap_or(file.household());
        facts.validate(as_of)?;
        if let Some(since) = file.last_review().or(file.active_from()) {
            let due = since
                .checked_add_months(Months::new(interval))
                .unwrap_or(NaiveDate::MAX);
            if due < as_of {
                report.overdue.push(file.id().clone());
            }
        }
        propose(file, facts, policy, as_of, &mut report)?;
        flag(file, facts, policy, as_of, &mut report)?;
    }
    Ok(report)
}

fn sync_gap(
    file: &CaseFile,
    calendar: &WorkingCalendar,
    window: u32,
    as_of: NaiveDate,
) -> Result<Option<SyncGap>, EligibilityError> {
    let (paper, electronic) = file.record_dates();
    let later = match (paper, electronic) {
        (None, None) => return Ok(None),
        (Some(p), Some(e)) if p == e => return Ok(None),
        (p, e) => p.max(e),
    };
    let Some(later) = later else { return Ok(None) };
    let deadline = calendar.add_working_days(later, window)?;
    Ok((as_of > deadline).then(|| SyncGap {
        case: file.id().clone(),
        paper,
        electronic,
        deadline,
    }))
}

fn propose(
    file: &CaseFile,
    facts: &Household,
    policy: &EligibilityPolicy,
    as_of: NaiveDate,
    report: &mut ReviewReport,
) -> Result<(), EligibilityError> {
    let before = file.household();
    let mut push = |action, basis, detail: String| {
        report.proposals.push(Proposal {
            case: file.id().clone(),
            action,
            basis,
            detail,
        });
    };
    for m in &facts.members {
        let was_in_school = before
            .members
            .iter()
            .find(|b| b.person.id == m.person.id)
            .is_some_and(|b| b.person.school.is_some());
        if was_in_school && m.person.school.is_none() && m.person.employed {
            push(
                ProposedAction::Exit(ExitReason::ChildGraduatedEmployed),
                ProposalBasis::ChildGraduatedEmployed,
                m.person.id.to_string(),
            );
        }
    }
    for p in facts.persons() {
        let was_ill = before
            .persons()
            .find(|b| b.id == p.id)
            .is_some_and(|b| b.health.contains(&HealthCondition::MajorIllness));
        if was_ill && !p.health.contains(&HealthCondition::MajorIllness) {
            push(
                ProposedAction::Exit(ExitReason::IllnessCured),
                ProposalBasis::IllnessCured,
                p.id.to_string(),
            );
        }
    }
    if !before.worker.person.employed && facts.worker.person.employed {
        push(
            ProposedAction::Exit(ExitReason::Reemployed),
            ProposalBasis::Reemployed,
            facts.worker.person.id.to_string(),
        );
    }
    let ages = policy
        .retirement_age
        .at("eligibility.retirement_age", as_of)?
        .value;
    let worker = &facts.worker.person;
    let limit = match worker.sex {
        Sex::Male => ages.male,
        Sex::Female => ages.female,
    };
    let age = worker.age_on(as_of);
    if age >= limit {
        push(
            ProposedAction::Cancel(CancelReason::Retired),
            ProposalBasis::RetirementAge,
            format!("age {age} ≥ {limit}"),
        );
    }
    let decision = assess_with(policy, facts, as_of, Detail::Outcome)?;
    for r in decision
        .reasons
        .iter()
        .filter(|r| r.kind == ReasonKind::Excluded)
    {
        push(
            ProposedAction::Withdraw(crate::case::WithdrawReason::FoundIneligible),
            ProposalBasis::ExclusionApplies,
            format!("{}: {}", r.code, r.detail),
        );
    }
    if decision
        .reasons
        .iter()
        .any(|r| r.kind == ReasonKind::AboveAllLines)
    {
        push(
            ProposedAction::Exit(ExitReason::IncomeAboveStandard),
            ProposalBasis::IncomeAboveLine,
            format!(
                "per-capita {} with L = {}",
                decision.per_capita.monthly_display, decision.per_capita.standard
            ),
        );
    }
    Ok(())
}

fn flag(
    file: &CaseFile,
    facts: &Household,
    policy: &EligibilityPolicy,
    as_of: NaiveDate,
    report: &mut ReviewReport,
) -> Result<(), EligibilityError> {
    let mut push = |flag, detail: String| {
        report.flags.push(FileFlag {
            case: file.id().clone(),
            flag,
            detail,
        });
    };
    if facts.members.is_empty() {
        push(QualityFlag::NoMembers, String::new());
    }
    let sum = Money::sum(
        facts
            .persons()
            .map(|p| p.annual_income)
            .chain([facts.other_income]),
    )?;
    if sum != facts.annual_income {
        push(
            QualityFlag::IncomeMismatch,
            format!("{sum} ≠ {}", facts.annual_income),
        );
    }
    let bands = &policy
        .school_age_bands
        .at("eligibility.school_age_bands", as_of)?
        .value;
    for p in facts.persons() {
        if let Some(s) = &p.school {
            let age = p.age_on(as_of);
            if let Some(b) = bands.iter().find(|b| b.stage == s.stage)
                && (age < b.min_age || age > b.max_age)
            {
                push(
                    QualityFlag::SchoolAgeMismatch,
                    format!(
                        "{}: {} at age {age} ({}–{})",
                        p.id, s.stage, b.min_age, b.max_age
                    ),
                );
            }
        }
    }
    let decision = assess_with(policy, facts, as_of, Detail::Outcome)?;
    let computed = match decision.outcome {
        Outcome::Eligible { category, tier } | Outcome::Incomplete { category, tier, .. } => {
            Some((category, tier))
        }
        Outcome::NotEligible => None,
    };
    if computed != file.proposal() {
        let show = |v: Option<(crate::HardshipCategory, bangfu_core::ArchiveTier)>| {
            v.map_or("none".to_owned(), |(c, t)| format!("{c}/{t}"))
        };
        push(
            QualityFlag::TierMismatch,
            format!(
                "file {} vs computed {}",
                show(file.proposal()),
                show(computed)
            ),
        );
    }
    let by_cause = &policy
        .cause_documents
        .at("eligibility.cause_documents", as_of)?
        .value;
    for cause in &facts.causes {
        for rule in by_cause.iter().filter(|r| r.cause == *cause) {
            if !facts.has_document(rule.document, None) {
                push(
                    QualityFlag::CauseWithoutDocument,
                    format!("{cause}: {}", rule.document),
                );
            }
        }
    }
    for m in crate::decision::missing_documents(policy, facts, as_of)? {
        push(
            QualityFlag::MissingDocument,
            format!(
                "{}{}",
                m.kind,
                m.person.map(|p| format!(" ({p})")).unwrap_or_default()
            ),
        );
    }
    Ok(())
}

/// One month's per-capita income of a household (月人均收入), as recorded by a follow-up.
///
/// # Example
/// See [`consecutive_months_exit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MonthlyIncome {
    /// Any day of the month.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub month: NaiveDate,
    /// The per-capita income of that month (人均月收入), yuan.
    #[cfg_attr(feature = "schema", schemars(with = "Money"))]
    pub per_capita: Money,
}

/// The consecutive-months exit rule (连续N个月人均收入超过认定标准的予以脱困), where the policy
/// has one (`eligibility.exit_after_months_above_line`, the number in force on `as_of`): a
/// proposal to exit the file (脱困, [`ProposalBasis::IncomeAboveLineMonths`]) when the
/// household's per-capita income was strictly above every income line of the scheme (the
/// highest multiple of the minimum living standard of its city, each month's own) in each of
/// the last that many calendar months up to `as_of`, with no month missing. A proposal only:
/// the caller records the exit as an event if it agrees. `None` for a file not active, a
/// policy without the rule, or a run too short.
///
/// # Errors
/// [`EligibilityError::DateOutOfOrder`] for months not in strictly increasing order;
/// a parameter not in force in a month.
///
/// # Example
/// ```
/// use bangfu_core::{Money, PersonId, WorkingCalendar};
/// use bangfu_eligibility::*;
/// let policy = EligibilityPolicy::example_2020()?; // 6 months; lines up to 3 × 600
/// let who = |p: &str, r| Ok::<_, bangfu_core::CoreError>(Actor::new(PersonId::new(p)?, r));
/// let actors = FilingActors {
///     applicant: who("w", Role::Applicant)?,
///     grassroots: who("g", Role::GrassrootsUnion)?,
///     industrial: who("i", Role::IndustrialUnion)?,
///     aid_center: who("c", Role::AidCenter)?,
/// };
/// let mut reg = Registry::default();
/// let start = chrono::NaiveDate::from_ymd_opt(2020, 6, 1).unwrap();
/// file_through_procedure(&mut reg, &policy, &WorkingCalendar::china()?,
///     "HK-0001/1".parse()?, Household::example()?, start, &actors)?;
/// let file = reg.episodes_of(&"HK-0001".parse()?)[0];
/// let month = |m| MonthlyIncome {
///     month: chrono::NaiveDate::from_ymd_opt(2021, m, 1).unwrap(),
///     per_capita: Money::from_yuan(2_000).unwrap(),
/// };
/// let as_of = chrono::NaiveDate::from_ymd_opt(2021, 6, 30).unwrap();
/// let six: Vec<_> = (1..=6).map(month).collect();
/// let p = consecutive_months_exit(file, &policy, &six, as_of)?.unwrap();
/// assert_eq!(p.basis, ProposalBasis::IncomeAboveLineMonths);
/// assert!(consecutive_months_exit(file, &policy, &six[1..], as_of)?.is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn consecutive_months_exit(
    file: &CaseFile,
    policy: &EligibilityPolicy,
    months: &[MonthlyIncome],
    as_of: NaiveDate,
) -> Result<Option<Proposal>, EligibilityError> {
    let Some(rule) = &policy.exit_after_months_above_line else {
        return Ok(None);
    };
    let needed = rule
        .at("eligibility.exit_after_months_above_line", as_of)?
        .value;
    let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    for w in months.windows(2) {
        if let [a, b] = w
            && index(b.month) <= index(a.month)
        {
            return Err(EligibilityError::DateOutOfOrder {
                date: b.month,
                earliest: a.month,
            });
        }
    }
    if file.stage() != Stage::Active {
        return Ok(None);
    }
    let mut run: u32 = 0;
    let mut next: Option<i64> = None;
    for m in months
        .iter()
        .rev()
        .filter(|m| index(m.month) <= index(as_of))
    {
        if next.is_some_and(|n| index(m.month) != n - 1)
            || !above_every_line(policy, file.household(), *m)?
        {
            break;
        }
        run = run.saturating_add(1);
        next = Some(index(m.month));
    }
    if run < needed || needed == 0 {
        return Ok(None);
    }
    let last = months
        .iter()
        .rev()
        .find(|m| index(m.month) <= index(as_of))
        .map_or(as_of, |m| m.month);
    Ok(Some(Proposal {
        case: file.id().clone(),
        action: ProposedAction::Exit(ExitReason::IncomeAboveStandard),
        basis: ProposalBasis::IncomeAboveLineMonths,
        detail: format!(
            "{run} consecutive months above every line up to {} (rule: {needed})",
            last.format("%Y-%m")
        ),
    }))
}

/// Whether a month's per-capita income is strictly above every income line of the scheme in
/// force on the month's first day (exact: compared in fen × the multiplier's scale).
fn above_every_line(
    policy: &EligibilityPolicy,
    household: &Household,
    m: MonthlyIncome,
) -> Result<bool, EligibilityError> {
    let day = m.month.with_day(1).unwrap_or(m.month);
    let scheme = &policy.schemes.at("eligibility.schemes", day)?.value;
    let standard = bangfu_core::MinimumLivingStandard::in_force(
        policy.minimum_living_standard.as_ref(),
        household.city.as_ref(),
        day,
    )?
    .value;
    let overflow = || EligibilityError::Core(bangfu_core::CoreError::Overflow { operation: "mul" });
    for line in scheme.bands.iter().filter_map(|b| b.income_line.as_ref()) {
        let r = line.multiplier.as_decimal();
        let scale = 10i128.checked_pow(r.scale()).ok_or_else(overflow)?;
        let income = i128::from(m.per_capita.fen())
            .checked_mul(scale)
            .ok_or_else(overflow)?;
        let limit = i128::from(standard.fen())
            .checked_mul(r.mantissa())
            .ok_or_else(overflow)?;
        if income <= limit {
            return Ok(false);
        }
    }
    Ok(true)
}
