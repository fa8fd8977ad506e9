//! The performance evaluation of a programme year (绩效评价), computed from the records.
//!
//! `bangfu-scoring` scores [`Facts`]; this module computes those facts from the records of
//! the year, never from figures typed in:
//!
//! | fact | record |
//! |---|---|
//! | budget, received, spent, by source and category | the year's closed statement ([`ProgrammeYear::closed_statement`]) |
//! | person-times, payments per household | the payments the year recorded ([`ProgrammeYear::payments`]) |
//! | payments entered within the entry window | each payment's `entered` date, checked as it was recorded (`FundingPolicy::entered_in_time`) |
//! | earmark violations, cash payments, over-standard payments, payments to files not payable | the defects found as each payment was recorded, by the same rules that refuse a payment in operation ([`crate::Defect`]) |
//! | active households, units, dependants, coverage | the case files payable at the end of the period, with their facts |
//! | planned person-times | the plan's `min_aids_per_household` × active households ([`Plan`]) |
//! | recoveries | the ledger's recovery incomes |
//! | temporary aid (spent, person-times, persons) | the standing temporary-aid payments ([`ProgrammeYear::temporary_figures`]), a part of living aid kept apart |
//! | survey | the home-visit forms ([`SurveyRecord`], [`survey_figures`]) |
//! | notices, file quality, exits and cancellations | the case files ([`CaseFigures::from_registry`]) |
//!
//! What only a person can judge is an explicit input: the evaluator's [`Judgements`], read
//! from a data file where each note quotes the seed ([`JudgementsFile`]). What the report
//! under evaluation states is a data file too ([`StatedFile`]), checked against the computed
//! figures.
//!
//! ```
//! use bangfu_year::evaluation::{self, FrameworkChoice};
//! let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
//! let exec = eval.facts.read(bangfu_scoring::FactKey::ExecutionRate)?;
//! assert_eq!(exec.display(bangfu_core::Lang::Zh), "96.33 %");
//! assert_eq!(eval.facts.person_times.count, 8_236);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::{BTreeMap, BTreeSet};

use bangfu_aid::AidError;
use bangfu_core::{
    ArchiveStatus, CaseId, CitationId, Citations, Coded, CoreError, Decimal, HouseholdId, Labelled,
    Lang, Money, NaiveDate, Period, Rate, Timeline, UnitId, WorkingCalendar,
};
use bangfu_eligibility::{
    CaseEvent, EligibilityError, EligibilityPolicy, ProposedAction, Registry, annual_review,
};
use bangfu_funding::{Statement, YearClose};
use bangfu_scoring::{
    CampaignFigures, CategoryFigures, Facts, Finding, FrameEntry, Framework, Judgement, Judgements,
    Name, NamedAmount, RecordId, RecordIssue, ReportInput, ReportMeta, SampleDesign, Satisfaction,
    Scorecard, ScoringError, SourceFigures, StatedFigures, SurveyDesign, SurveyFigures, Tally,
    TemporaryAidFacts, Tolerances, UnitFigures, VisitCoverage,
};

use crate::input::InputError;
use crate::records::SurveyRecord;
use crate::{DefectKind, PaymentFigures, ProgrammeYear, YearError};

// ---------------------------------------------------------------------------------------
// Errors

/// Why an evaluation could not be made (评价失败).
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// let err = bangfu_year::evaluation::StatedFile::from_toml("plan = 1").unwrap_err();
/// assert_eq!(err.code(), "read.invalid_type");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EvaluationError {
    /// A data file cites an id its citation table does not define.
    #[error("{file}: unknown citation {id}")]
    UnknownCitation {
        /// Which file.
        file: &'static str,
        /// The id.
        id: String,
    },
    /// The framework's name is not `self` or `reference`.
    #[error("unknown framework {0:?} (expected self or reference)")]
    UnknownFramework(String),
    /// A data file or record is malformed, or the ledger refused a record.
    #[error(transparent)]
    Input(#[from] InputError),
    /// Scoring refused the facts or the judgements.
    #[error(transparent)]
    Scoring(#[from] ScoringError),
    /// The aid calculator refused a check.
    #[error(transparent)]
    Aid(#[from] AidError),
    /// A case-file check failed.
    #[error(transparent)]
    Eligibility(#[from] EligibilityError),
    /// A file the evaluation needs is not in the year directory.
    #[error("the year directory has no {0}")]
    MissingFile(&'static str),
    /// The year refused a record or could not be closed.
    #[error(transparent)]
    Year(#[from] YearError),
    /// Checked arithmetic or a parameter not in force.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl Coded for EvaluationError {
    fn code(&self) -> &'static str {
        match self {
            EvaluationError::UnknownCitation { .. } => "evaluation.unknown_citation",
            EvaluationError::UnknownFramework(_) => "evaluation.unknown_framework",
            EvaluationError::Input(e) => e.code(),
            EvaluationError::Scoring(e) => e.code(),
            EvaluationError::Aid(e) => e.code(),
            EvaluationError::Eligibility(e) => e.code(),
            EvaluationError::MissingFile(_) => "dir.missing_file",
            EvaluationError::Year(e) => e.code(),
            EvaluationError::Core(e) => e.code(),
        }
    }
}

impl Labelled for EvaluationError {
    fn zh(&self) -> &'static str {
        match self {
            EvaluationError::UnknownCitation { .. } => "引用未定义",
            EvaluationError::UnknownFramework(_) => "未知的评价指标体系",
            EvaluationError::Input(_) => "输入数据有误",
            EvaluationError::Scoring(_) => "评分失败",
            EvaluationError::Aid(_) => "救助标准核对失败",
            EvaluationError::Eligibility(_) => "档案核对失败",
            EvaluationError::MissingFile(_) => "缺少文件",
            EvaluationError::Year(_) => "年度记录有误",
            EvaluationError::Core(_) => "计算失败",
        }
    }

    fn en(&self) -> &'static str {
        match self {
            EvaluationError::UnknownCitation { .. } => "unknown citation",
            EvaluationError::UnknownFramework(_) => "unknown framework",
            EvaluationError::Input(_) => "bad input",
            EvaluationError::Scoring(_) => "scoring failed",
            EvaluationError::Aid(_) => "aid standard check failed",
            EvaluationError::Eligibility(_) => "case file check failed",
            EvaluationError::MissingFile(_) => "missing file",
            EvaluationError::Year(_) => "year record refused",
            EvaluationError::Core(_) => "computation failed",
        }
    }
}

fn record_id(s: &str) -> Result<RecordId, EvaluationError> {
    Ok(RecordId::new(s)?)
}

fn parse_toml<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, EvaluationError> {
    crate::input::parse_toml(text).map_err(EvaluationError::Input)
}

fn check_cites<'a>(
    file: &'static str,
    ids: impl IntoIterator<Item = &'a CitationId>,
    table: &Citations,
) -> Result<(), EvaluationError> {
    match ids.into_iter().find(|id| !table.contains(id)) {
        Some(id) => Err(EvaluationError::UnknownCitation {
            file,
            id: id.to_string(),
        }),
        None => Ok(()),
    }
}

// ---------------------------------------------------------------------------------------
// Stated figures and the plan

/// The plan the programme set itself (计划).
///
/// # Example
/// ```
/// let file = bangfu_year::evaluation::StatedFile::from_toml(bangfu_data::hainan2018::STATED_TOML)?;
/// let d = chrono::NaiveDate::from_ymd_opt(2018, 12, 31).unwrap();
/// assert_eq!(file.plan.min_aids_per_household.at("plan", d)?.value, 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    /// Aids each active filed household gets at least in a year (每户每年至少帮扶次数; the
    /// seed: 2). Planned person-times are this × the active households, and coverage counts
    /// households helped at least this many times.
    pub min_aids_per_household: Timeline<u32>,
}

/// A stated figure (报告所述): the value, where the report says it, and its words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stated<T> {
    /// The value.
    pub value: T,
    /// The section of the report (a citation id).
    pub cite: CitationId,
    /// The report's words.
    pub quote: String,
}

/// The figures a report states, each cited.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatedEntries {
    /// The arrival rate (资金到位率).
    #[serde(default)]
    pub arrival_rate: Option<Stated<Rate>>,
    /// The home-visit ratio (走访比例).
    #[serde(default)]
    pub sample_ratio: Option<Stated<Rate>>,
    /// Satisfaction (满意率).
    #[serde(default)]
    pub satisfaction_rate: Option<Stated<Rate>>,
    /// Average living aid per household (户均生活救助).
    #[serde(default)]
    pub average_living_aid_per_household: Option<Stated<Money>>,
    /// The self-score (自评得分).
    #[serde(default)]
    pub total_score: Option<Stated<Decimal>>,
}

/// A file of stated figures and the plan (`stated.toml`), with its citations.
///
/// # Example
/// ```
/// use bangfu_year::evaluation::StatedFile;
/// use bangfu_data::hainan2018::STATED_TOML;
/// let file = StatedFile::from_toml(STATED_TOML)?;
/// let stated = file.figures();
/// assert_eq!(stated.arrival_rate.unwrap().to_string(), "1");
/// # Ok::<(), bangfu_year::evaluation::EvaluationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatedFile {
    /// The plan.
    pub plan: Plan,
    /// The stated figures.
    #[serde(default)]
    pub stated: StatedEntries,
    /// The citations used.
    pub citations: Citations,
}

impl StatedFile {
    /// Parses the file and checks every cite.
    ///
    /// # Errors
    /// [`EvaluationError::Input`] for malformed TOML (with the line);
    /// [`EvaluationError::UnknownCitation`].
    pub fn from_toml(text: &str) -> Result<StatedFile, EvaluationError> {
        let file: StatedFile = parse_toml(text)?;
        check_cites("stated.toml", file.citation_ids(), &file.citations)?;
        Ok(file)
    }

    /// Every citation id the file uses.
    pub fn citation_ids(&self) -> Vec<&CitationId> {
        let s = &self.stated;
        let mut ids: Vec<&CitationId> = self
            .plan
            .min_aids_per_household
            .entries()
            .iter()
            .map(|d| &d.cite)
            .collect();
        ids.extend(s.arrival_rate.iter().map(|x| &x.cite));
        ids.extend(s.sample_ratio.iter().map(|x| &x.cite));
        ids.extend(s.satisfaction_rate.iter().map(|x| &x.cite));
        ids.extend(s.average_living_aid_per_household.iter().map(|x| &x.cite));
        ids.extend(s.total_score.iter().map(|x| &x.cite));
        ids
    }

    /// The figures for the consistency check.
    pub fn figures(&self) -> StatedFigures {
        let s = &self.stated;
        StatedFigures {
            arrival_rate: s.arrival_rate.as_ref().map(|x| x.value),
            sample_ratio: s.sample_ratio.as_ref().map(|x| x.value),
            satisfaction_rate: s.satisfaction_rate.as_ref().map(|x| x.value),
            average_living_aid_per_household: s
                .average_living_aid_per_household
                .as_ref()
                .map(|x| x.value),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Judgements

/// Who made a judgement: always the evaluator, said explicitly in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JudgedBy {
    /// The evaluation group (评价组判断).
    Evaluator,
}

/// One judgement as written in the judgements file: band, score, the seed's words it
/// rests on, and the evaluator's note.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgementEntry {
    /// Always `evaluator`.
    pub judged_by: JudgedBy,
    /// The band chosen.
    pub band: bangfu_scoring::Band,
    /// The score given, inside the band's range.
    pub score: Decimal,
    /// The seed's section quoted.
    pub section: String,
    /// The seed's words.
    pub quote: String,
    /// The evaluator's note.
    pub note: Name,
}

impl JudgementEntry {
    /// The judgement for scoring: the note, marked as the evaluator's, with the quote.
    pub fn judgement(&self) -> Judgement {
        Judgement {
            band: self.band,
            score: self.score,
            justification: Name::new(
                format!(
                    "评价组判断：{}（依据自评报告{}：“{}”）",
                    self.note.zh, self.section, self.quote
                ),
                format!(
                    "evaluator's judgement: {} (on the report's section {}: “{}”)",
                    self.note.en, self.section, self.quote
                ),
            ),
        }
    }
}

/// The judgements file (`judgements.toml`): one table per framework.
///
/// # Example
/// ```
/// use bangfu_year::evaluation::{FrameworkChoice, JudgementsFile};
/// use bangfu_data::hainan2018::JUDGEMENTS_TOML;
/// let file = JudgementsFile::from_toml(JUDGEMENTS_TOML)?;
/// let j = file.for_framework(FrameworkChoice::SelfEvaluation);
/// assert!(j.get("benefits.social").unwrap().justification.zh.starts_with("评价组判断"));
/// # Ok::<(), bangfu_year::evaluation::EvaluationError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgementsFile {
    /// For the MOF 2020 self-evaluation framework.
    #[serde(default, rename = "self")]
    pub self_evaluation: BTreeMap<String, JudgementEntry>,
    /// For the reference tree.
    #[serde(default)]
    pub reference: BTreeMap<String, JudgementEntry>,
}

impl JudgementsFile {
    /// Parses the file.
    ///
    /// # Errors
    /// [`EvaluationError::Input`] for malformed TOML, with the line.
    pub fn from_toml(text: &str) -> Result<JudgementsFile, EvaluationError> {
        parse_toml(text)
    }

    /// The judgements for one framework.
    pub fn for_framework(&self, framework: FrameworkChoice) -> Judgements {
        let table = match framework {
            FrameworkChoice::SelfEvaluation => &self.self_evaluation,
            FrameworkChoice::Reference => &self.reference,
        };
        let mut out = Judgements::new();
        for (id, e) in table {
            out.insert(id.clone(), e.judgement());
        }
        out
    }
}

bangfu_core::coded_enum! {
    /// Which built-in framework scores the year (评价指标体系).
    ///
    /// ```
    /// use bangfu_year::evaluation::FrameworkChoice;
    /// assert_eq!(FrameworkChoice::from_code("reference"), Some(FrameworkChoice::Reference));
    /// ```
    pub enum FrameworkChoice {
        /// The MOF 2020 self-evaluation shape ([`bangfu_scoring::MOF2020_SELF`]).
        SelfEvaluation = ("self", "单位自评指标体系", "self-evaluation framework"),
        /// The decision/process/output/benefit tree ([`bangfu_scoring::MOF2020_REFERENCE`]).
        Reference = ("reference", "共性指标框架", "reference framework"),
    }
}

impl FrameworkChoice {
    /// The framework.
    ///
    /// # Errors
    /// Only if a built-in framework file were broken.
    pub fn framework(self) -> Result<Framework, EvaluationError> {
        Ok(Framework::from_toml(match self {
            FrameworkChoice::SelfEvaluation => bangfu_scoring::MOF2020_SELF,
            FrameworkChoice::Reference => bangfu_scoring::MOF2020_REFERENCE,
        })?)
    }
}

// ---------------------------------------------------------------------------------------
// The report's words

/// A filing unit's names (建档单位名称).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitName {
    /// The unit id of the records.
    pub id: UnitId,
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

/// The report file (`report.toml`): the report's names, dates and narrative, and the units'
/// names.
///
/// # Example
/// ```
/// let r = bangfu_year::evaluation::ReportFile::from_toml(bangfu_data::hainan2018::REPORT_TOML)?;
/// assert_eq!(r.meta.submitted.to_string(), "2019-06-24");
/// assert_eq!(r.units.len(), 7);
/// # Ok::<(), bangfu_year::evaluation::EvaluationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportFile {
    /// Names, dates, narrative.
    pub meta: ReportMeta,
    /// The units' names.
    #[serde(default)]
    pub units: Vec<UnitName>,
}

impl ReportFile {
    /// Parses the file.
    ///
    /// # Errors
    /// [`EvaluationError::Input`] for malformed TOML, with the line.
    pub fn from_toml(text: &str) -> Result<ReportFile, EvaluationError> {
        parse_toml(text)
    }

    /// The name of a unit (its id when the file does not name it).
    pub fn unit_name(&self, unit: &UnitId) -> Name {
        self.units.iter().find(|u| &u.id == unit).map_or_else(
            || Name::new(unit.as_str(), unit.as_str()),
            |u| Name::new(u.zh.clone(), u.en.clone()),
        )
    }
}

// ---------------------------------------------------------------------------------------
// The filed households as the evaluation sees them

/// A household active on a date (在档): its id, its filing unit and the people its worker
/// supports (供养人口: the members besides the worker).
struct Active {
    household: HouseholdId,
    unit: UnitId,
    dependants: u64,
}

/// The households active on `date` (payable then), in id order.
fn active_on(year: &ProgrammeYear, date: NaiveDate) -> Vec<Active> {
    year.households()
        .into_iter()
        .filter(|(id, _)| year.registry().is_payable_on(id, date))
        .map(|(id, h)| Active {
            household: id.clone(),
            unit: h.worker.union_unit.clone(),
            dependants: h.members.len() as u64,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Survey

/// The survey's counts from the home-visit forms (《困难职工入户走访登记表》) in `period`:
/// households visited (the first form of a household counts; a second visit to the same
/// household does not), households that answered (every form records the answer), and
/// households satisfied. Each tally lists its forms as `visit:<household>:<date>`.
///
/// # Errors
/// [`EvaluationError::Core`] if a form's id cannot be made (an absurd household id).
///
/// # Example
/// ```
/// use bangfu_year::evaluation::survey_figures;
/// let s = survey_figures(&bangfu_data::hainan2018::survey()?, bangfu_data::hainan2018::year().period())?;
/// assert_eq!((s.visited.count, s.surveyed.count, s.satisfied.count), (82, 82, 80));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn survey_figures(
    visits: &[SurveyRecord],
    period: Period,
) -> Result<SurveyFigures, EvaluationError> {
    let mut seen: BTreeSet<&HouseholdId> = BTreeSet::new();
    let (mut visited, mut satisfied) = (Vec::new(), Vec::new());
    let mut sorted: Vec<&SurveyRecord> =
        visits.iter().filter(|v| period.contains(v.date)).collect();
    sorted.sort_by(|a, b| (a.date, &a.household).cmp(&(b.date, &b.household)));
    for v in sorted {
        if !seen.insert(&v.household) {
            continue;
        }
        let form = record_id(&format!("visit:{}:{}", v.household, v.date))?;
        if v.satisfied {
            satisfied.push(form.clone());
        }
        visited.push(form);
    }
    Ok(SurveyFigures {
        surveyed: Tally::of(visited.clone()),
        visited: Tally::of(visited),
        satisfied: Tally::of(satisfied),
    })
}

// ---------------------------------------------------------------------------------------
// Case files

/// What the case files give (档案取数): notices and whether their period was respected,
/// files and their quality flags, exits and cancellations due and made on time.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseFigures {
    /// Public notices (公示, 再公示) of the files active in the period, closed by its end.
    pub notices: Tally,
    /// Those closed no earlier than their last day.
    pub notices_respected: Tally,
    /// Active files at the end of the period.
    pub files: Tally,
    /// Those with a quality flag of the annual review (orange).
    pub files_with_quality_flags: Tally,
    /// Exits and cancellations due: made in the period, or proposed by the review at its
    /// end and not made.
    pub exits_and_cancellations: Tally,
    /// Those recorded within the sync window (working days) of their effective date.
    pub exits_and_cancellations_on_time: Tally,
}

impl CaseFigures {
    /// Computes the figures from the registry: notices from the history of each file active
    /// in the period, whenever held (the window recomputed from the policy's notice days and
    /// the calendar; respected when closed no earlier than its last day), files and flags from the
    /// [`annual_review`] at the period's end, exits and cancellations from the closures in
    /// the period (on time when recorded within the policy's sync window of working days)
    /// and the review's proposals still open.
    ///
    /// # Errors
    /// [`EvaluationError::Eligibility`] from the review; [`EvaluationError::Core`] for a
    /// parameter not in force or a date out of range.
    ///
    /// # Example
    /// ```
    /// use bangfu_year::evaluation::CaseFigures;
    /// use bangfu_eligibility::{EligibilityPolicy, Registry, HAINAN_2018_POLICY_TOML};
    /// let policy = EligibilityPolicy::hainan_2018()?;
    /// let c = CaseFigures::from_registry(&Registry::default(), &policy,
    ///     &bangfu_core::WorkingCalendar::china()?, bangfu_data::hainan2018::year().period())?;
    /// assert_eq!(c.notices.count, 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn from_registry(
        registry: &Registry,
        policy: &EligibilityPolicy,
        calendar: &WorkingCalendar,
        period: Period,
    ) -> Result<CaseFigures, EvaluationError> {
        let end = period.end();
        let mut notices = Vec::new();
        let mut respected = Vec::new();
        let mut files = Vec::new();
        let mut due = Vec::new();
        let mut on_time = Vec::new();
        for file in registry.files() {
            // The notices behind the files the year's aid relied on: those of every file
            // active on some day of the period, whenever they were held.
            let active_in_period = file.status_on(period.start()) == Some(ArchiveStatus::Active)
                || file
                    .status_history()
                    .iter()
                    .any(|(d, s)| *s == ArchiveStatus::Active && period.contains(*d));
            let mut open: Option<NaiveDate> = None;
            for (n, event) in file.history().iter().enumerate() {
                match event {
                    CaseEvent::StartNotice { date, .. } | CaseEvent::StartReNotice { date, .. } => {
                        let days = policy
                            .notice_working_days
                            .at("eligibility.notice_working_days", *date)?
                            .value;
                        open = Some(calendar.add_working_days(*date, days)?);
                    }
                    CaseEvent::CloseNotice { date, .. } | CaseEvent::Activate { date, .. } => {
                        if let Some(until) = open.take()
                            && active_in_period
                            && *date <= end
                        {
                            let id = record_id(&format!("{}:{}", file.id(), n + 1))?;
                            if *date >= until {
                                respected.push(id.clone());
                            }
                            notices.push(id);
                        }
                    }
                    CaseEvent::Object { .. } => open = None,
                    _ => {}
                }
            }
            if file.status_on(end) == Some(ArchiveStatus::Active) {
                files.push(record_id(file.id().as_str())?);
            }
            if let Some(c) = file.closure()
                && matches!(
                    c.status,
                    ArchiveStatus::ExitedHardship | ArchiveStatus::Cancelled
                )
                && period.contains(c.effective)
            {
                let window = policy
                    .sync_window_working_days
                    .at("eligibility.sync_window_working_days", c.effective)?
                    .value;
                let id = record_id(file.id().as_str())?;
                if c.recorded <= calendar.add_working_days(c.effective, window)? {
                    on_time.push(id.clone());
                }
                due.push(id);
            }
        }
        let review = annual_review(registry, policy, calendar, end, &BTreeMap::new())?;
        let flagged: BTreeSet<&CaseId> = review.flags.iter().map(|f| &f.case).collect();
        let flagged: Vec<RecordId> = files
            .iter()
            .filter(|id| flagged.iter().any(|c| c.as_str() == id.as_str()))
            .cloned()
            .collect();
        let proposed: BTreeSet<&CaseId> = review
            .proposals
            .iter()
            .filter(|p| {
                matches!(
                    p.action,
                    ProposedAction::Exit(_) | ProposedAction::Cancel(_)
                )
            })
            .map(|p| &p.case)
            .collect();
        for case in proposed {
            due.push(record_id(case.as_str())?);
        }
        Ok(CaseFigures {
            notices: Tally::of(notices),
            notices_respected: Tally::of(respected),
            files: Tally::of(files),
            files_with_quality_flags: Tally::of(flagged),
            exits_and_cancellations: Tally::of(due),
            exits_and_cancellations_on_time: Tally::of(on_time),
        })
    }
}

// ---------------------------------------------------------------------------------------
// The facts

/// Everything the facts are computed from: the year as recorded, the plan and the report's
/// names.
#[derive(Clone, Copy)]
pub struct Records<'a> {
    /// The year: case files, claims, ledger, visits.
    pub year: &'a ProgrammeYear,
    /// The plan.
    pub plan: &'a Plan,
    /// The units' names.
    pub report: &'a ReportFile,
}

impl core::fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Records")
            .field("year", &self.year.ledger().year())
            .field("visits", &self.year.visits().len())
            .finish_non_exhaustive()
    }
}

fn sources_of(statement: &Statement) -> Vec<SourceFigures> {
    statement
        .sources
        .iter()
        .map(|line| SourceFigures {
            code: line.source.code().to_owned(),
            name: Name::new(line.source.zh(), line.source.en()),
            budget: line.budget.unwrap_or(Money::ZERO),
            received: line.income,
            spent: line.spent,
            income: line
                .income_components
                .iter()
                .map(|c| NamedAmount {
                    name: Name::new(c.kind.zh(), c.kind.en()),
                    amount: c.amount,
                    records: Vec::new(),
                })
                .collect(),
            categories: line
                .spending
                .iter()
                .filter(|c| c.person_times > 0 || !c.amount.is_zero())
                .map(|c| CategoryFigures {
                    category: c.category,
                    amount: c.amount,
                    person_times: c.person_times,
                })
                .collect(),
            // The campaigns counted in no category (female-worker care, a campaign the
            // policy adds): lines of their own, part of the source's spending.
            campaigns: line
                .campaigns
                .iter()
                .filter(|c| c.counted_in.is_none())
                .map(|c| CampaignFigures {
                    name: Name::new(c.name(Lang::Zh), c.name(Lang::En)),
                    amount: c.amount,
                    person_times: c.person_times,
                })
                .collect(),
            records: Vec::new(),
        })
        .collect()
}

/// Computes the year's [`Facts`] from what the year recorded, with the payment figures
/// behind them: the statement of its ledger, the checks made as each payment was recorded,
/// the case files, the active households and the home visits. Nothing is decided again.
///
/// # Errors
/// [`EvaluationError::Year`] from the close or the statement; [`EvaluationError::Core`] when
/// the plan has no value at the period's end or on overflow.
pub fn compute_facts(r: &Records<'_>) -> Result<(Facts, PaymentFigures), EvaluationError> {
    let active = active_on(r.year, r.year.ledger().year().period().end());
    facts_of(r, &active)
}

/// [`compute_facts`] with the households active at the period's end, found once.
fn facts_of(
    r: &Records<'_>,
    active: &[Active],
) -> Result<(Facts, PaymentFigures), EvaluationError> {
    let year = r.year;
    let (_, st) = year.closed_statement()?;
    let period = year.ledger().year().period();
    let end = period.end();
    let pay = year.payments();
    let temporary = year.temporary_figures()?;
    let cases = CaseFigures::from_registry(
        year.registry(),
        &year.policy().eligibility,
        year.calendar(),
        period,
    )?;
    let min_aids = r
        .plan
        .min_aids_per_household
        .at("plan.min_aids_per_household", end)?
        .value;
    let mut helped = Vec::new();
    let mut households = Vec::new();
    let mut by_unit: BTreeMap<&UnitId, Vec<RecordId>> = BTreeMap::new();
    for Active {
        household: h, unit, ..
    } in active
    {
        let id = record_id(h.as_str())?;
        if pay.per_household.get(h).copied().unwrap_or(0) >= u64::from(min_aids) {
            helped.push(id.clone());
        }
        by_unit.entry(unit).or_default().push(id.clone());
        households.push(id);
    }
    let planned = u64::from(min_aids).saturating_mul(households.len() as u64);
    // Units in the report file's order, then any the file does not name.
    let mut ordered: Vec<(UnitId, Vec<RecordId>)> = Vec::new();
    for u in &r.report.units {
        if let Some(ids) = by_unit.remove(&u.id) {
            ordered.push((u.id.clone(), ids));
        }
    }
    ordered.extend(by_unit.into_iter().map(|(u, ids)| (u.clone(), ids)));
    let units = ordered
        .into_iter()
        .map(|(unit, ids)| UnitFigures {
            name: r.report.unit_name(&unit),
            unit,
            households: Tally::of(ids),
        })
        .collect();
    let facts = Facts {
        budget: st.totals.budget,
        received: st.totals.income,
        spent: st.totals.spent,
        sources: sources_of(&st),
        person_times: pay.payments.clone(),
        planned_person_times: planned,
        households_active: Tally::of(households),
        dependants: Some(
            active
                .iter()
                .fold(0u64, |acc, a| acc.saturating_add(a.dependants)),
        ),
        households_helped_twice: Tally::of(helped),
        units,
        payments: pay.payments.clone(),
        payments_entered_within_month: pay.entered_within_window.clone(),
        notices: cases.notices,
        notices_respected: cases.notices_respected,
        compliance: pay.compliance.clone(),
        files: cases.files,
        files_with_quality_flags: cases.files_with_quality_flags,
        exits_and_cancellations: cases.exits_and_cancellations,
        exits_and_cancellations_on_time: cases.exits_and_cancellations_on_time,
        survey: survey_figures(year.visits(), period)?,
        recoveries: pay.recoveries.clone(),
        temporary_aid: TemporaryAidFacts {
            spent: temporary.amount,
            person_times: temporary.payments,
            persons: temporary.persons,
        },
    };
    facts.validate()?;
    Ok((facts, pay))
}

// ---------------------------------------------------------------------------------------
// The evaluation

/// The records of `all` that are not in `some`, in `all`'s order.
fn missing(all: &Tally, some: &Tally) -> Vec<String> {
    let some: BTreeSet<&RecordId> = some.records.iter().collect();
    all.records
        .iter()
        .filter(|r| !some.contains(r))
        .map(|r| r.as_str().to_owned())
        .collect()
}

/// The problems found in the records, each named with its records: the payments with a
/// defect, by kind; those entered late; the exits and cancellations made late; the
/// recoveries; the balances carried over without approval.
///
/// # Example
/// ```
/// use bangfu_year::evaluation::FrameworkChoice;
/// let e = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
/// // Hainan 2018: the 17 withdrawn households' aid recovered, nothing else.
/// assert_eq!(e.issues.len(), 1);
/// assert_eq!(e.issues[0].code, "issue.recovery");
/// assert_eq!(e.issues[0].records.len(), 17);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn record_issues(
    facts: &Facts,
    payments: &PaymentFigures,
    close: &YearClose,
) -> Vec<RecordIssue> {
    let mut out = Vec::new();
    for kind in DefectKind::ALL {
        let posts: BTreeSet<&str> = payments
            .defects
            .iter()
            .filter(|d| d.kind == *kind)
            .map(|d| d.posting.as_str())
            .collect();
        if !posts.is_empty() {
            let n = posts.len();
            out.push(RecordIssue {
                code: kind.code().to_owned(),
                name: Name::new(
                    format!("{}{n}笔", kind.zh()),
                    format!("{} ({n} payments)", kind.en()),
                ),
                records: posts.into_iter().map(str::to_owned).collect(),
            });
        }
    }
    let late_entries = missing(&payments.payments, &payments.entered_within_window);
    if !late_entries.is_empty() {
        let n = late_entries.len();
        out.push(RecordIssue {
            code: "issue.late_entry".to_owned(),
            name: Name::new(
                format!("未在规定时限内录入系统{n}笔"),
                format!("entered after the entry window ({n} payments)"),
            ),
            records: late_entries,
        });
    }
    let late_exits = missing(
        &facts.exits_and_cancellations,
        &facts.exits_and_cancellations_on_time,
    );
    if !late_exits.is_empty() {
        let n = late_exits.len();
        out.push(RecordIssue {
            code: "issue.late_exit".to_owned(),
            name: Name::new(
                format!("脱困、注销未按时办理{n}户"),
                format!("exits and cancellations not made on time ({n} files)"),
            ),
            records: late_exits,
        });
    }
    let r = &payments.recoveries;
    if r.households.count > 0 {
        let n = r.households.count;
        out.push(RecordIssue {
            code: "issue.recovery".to_owned(),
            name: Name::new(
                format!("追缴帮扶资金{n}户{}万元", r.amount.wan()),
                format!(
                    "aid recovered from {n} households, {} (10k yuan)",
                    r.amount.wan()
                ),
            ),
            records: r
                .households
                .records
                .iter()
                .map(|h| h.as_str().to_owned())
                .collect(),
        });
    }
    let unapproved: Vec<String> = close
        .unapproved()
        .map(|s| format!("{} {}", s.source.code(), s.balance))
        .collect();
    if !unapproved.is_empty() {
        let n = unapproved.len();
        out.push(RecordIssue {
            code: "issue.unapproved_balance".to_owned(),
            name: Name::new(
                format!("结余未经批复结转{n}项"),
                format!("balances carried over without approval ({n} sources)"),
            ),
            records: unapproved,
        });
    }
    out
}

/// A year evaluated: the facts, the payment checks, satisfaction with its interval, the
/// consistency findings, the scorecard, and the report's words.
#[derive(Debug, Clone)]
pub struct Evaluation {
    /// The facts, computed from the records.
    pub facts: Facts,
    /// The payment checks behind the compliance and timeliness facts.
    pub payments: PaymentFigures,
    /// Satisfaction with its Wilson interval (none without answers).
    pub satisfaction: Option<Satisfaction>,
    /// The home visits against the policy's sampling design over the active households.
    pub visits: VisitCoverage,
    /// What the report states.
    pub stated: StatedFile,
    /// Where stated and computed figures disagree.
    pub findings: Vec<Finding>,
    /// The score.
    pub scorecard: Scorecard,
    /// The problems found in the records, each named with its records.
    pub issues: Vec<RecordIssue>,
    /// The report's names, dates and narrative.
    pub report: ReportFile,
    /// The allocation plan, the payment checks and the self-inspection on the report's
    /// submission date ([`crate::oversight`]); their findings are among `issues`.
    pub oversight: crate::oversight::OversightReport,
}

impl Evaluation {
    /// Evaluates the records: facts, satisfaction, findings (with the policy's tolerances)
    /// and the score under `framework` with the `judgements`.
    ///
    /// # Errors
    /// As [`compute_facts`]; [`EvaluationError::Scoring`] for a missing or invalid
    /// judgement or a ratio over zero.
    pub fn new(
        records: &Records<'_>,
        stated: StatedFile,
        framework: &Framework,
        judgements: &Judgements,
    ) -> Result<Evaluation, EvaluationError> {
        let year = records.year;
        let period = year.ledger().year().period();
        let end = period.end();
        let active = active_on(year, end);
        let (facts, payments) = facts_of(records, &active)?;
        let scoring = &year.policy().scoring;
        let sv = &facts.survey;
        let satisfaction = if sv.surveyed.count > 0 {
            let design = SurveyDesign::from_policy(scoring, end)?;
            Some(bangfu_scoring::satisfaction(
                sv.satisfied.count,
                sv.surveyed.count,
                &design,
            )?)
        } else {
            None
        };
        let frame: Vec<FrameEntry> = active
            .into_iter()
            .map(|a| FrameEntry {
                household: a.household,
                unit: a.unit,
            })
            .collect();
        let visited: Vec<HouseholdId> = year
            .visits()
            .iter()
            .filter(|v| period.contains(v.date))
            .map(|v| v.household.clone())
            .collect();
        let visits =
            VisitCoverage::new(&frame, &visited, &SampleDesign::from_policy(scoring, end)?)?;
        let tolerances = Tolerances::from_policy(scoring, end)?;
        let findings = bangfu_scoring::check_consistency(&facts, &stated.figures(), &tolerances)?;
        let scorecard = bangfu_scoring::score(framework, &facts, judgements)?;
        let mut issues = record_issues(&facts, &payments, &year.close()?);
        let oversight = year.oversight_report(records.report.meta.submitted)?;
        issues.extend(oversight.issues.iter().cloned());
        Ok(Evaluation {
            facts,
            payments,
            satisfaction,
            visits,
            stated,
            findings,
            scorecard,
            issues,
            report: records.report.clone(),
            oversight,
        })
    }

    /// The report in Markdown, in the seed's structure with the 附件2 table, then the annex of
    /// the allocation plan, the payment checks and the self-inspection (附件3,
    /// [`crate::oversight::OversightReport::render`]).
    ///
    /// # Errors
    /// [`EvaluationError::Scoring`] on a money overflow.
    pub fn render(&self, lang: Lang) -> Result<String, EvaluationError> {
        let input = ReportInput {
            meta: &self.report.meta,
            facts: &self.facts,
            scorecard: &self.scorecard,
            satisfaction: self.satisfaction.as_ref(),
            findings: &self.findings,
            stated_total: self.stated.stated.total_score.as_ref().map(|s| s.value),
            visits: Some(&self.visits),
            issues: &self.issues,
        };
        let mut out = bangfu_scoring::render_report(&input, lang)?;
        out.push('\n');
        let names = self
            .report
            .units
            .iter()
            .map(|u| (u.id.clone(), Name::new(u.zh.clone(), u.en.clone())))
            .collect();
        out.push_str(&self.oversight.render_named(lang, &names));
        Ok(out)
    }
}
