//! The self-evaluation report (绩效自评报告) in Markdown, in the seed's structure, with every
//! figure taken from the facts and the scorecard.

use core::fmt::Write as _;

use bangfu_core::{AidCategory, Labelled, Lang, Money, Period, Rate};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

use crate::{FactKey, Facts, Finding, Name, Satisfaction, Scorecard, ScoringError, VisitCoverage};

bangfu_core::coded_enum! {
    /// The type of evaluation (评价类型).
    pub enum EvaluationType {
        /// Evaluation during implementation (实施过程评价).
        ImplementationProcess = ("implementation_process", "实施过程评价", "evaluation of implementation"),
        /// Evaluation of the completed result (完成结果评价).
        CompletionResult = ("completion_result", "完成结果评价", "evaluation of the completed result"),
    }
}

bangfu_core::coded_enum! {
    /// Who organises the evaluation (组织方式).
    pub enum Organiser {
        /// The finance department (财政部门).
        FinanceDept = ("finance_dept", "财政部门", "finance department"),
        /// The supervising department (主管部门).
        SupervisingDept = ("supervising_dept", "主管部门", "supervising department"),
        /// The project unit (项目单位).
        ProjectUnit = ("project_unit", "项目单位", "project unit"),
    }
}

bangfu_core::coded_enum! {
    /// Who evaluates (评价机构).
    pub enum Evaluator {
        /// An intermediary (中介机构).
        Intermediary = ("intermediary", "中介机构", "intermediary"),
        /// An expert panel (专家组).
        ExpertPanel = ("expert_panel", "专家组", "expert panel"),
        /// The project unit's evaluation group (项目单位评价组).
        UnitEvaluationGroup = ("unit_evaluation_group", "项目单位评价组", "project unit evaluation group"),
    }
}

/// What the report says that is not a figure: names, dates, the evaluation's kind, and the
/// narrative of experience, problems and suggestions (文字部分). Figures never go here.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportMeta {
    /// The project (项目名称), e.g. 2018年专项帮扶资金.
    pub project: Name,
    /// The project unit (项目单位).
    pub unit: Name,
    /// The supervising department (主管部门).
    pub supervisor: Name,
    /// To whom the report is addressed (主送), e.g. 省总工会法律保障部.
    pub addressee: Name,
    /// The notice the report answers (依据), e.g. the federation's notice with its number.
    #[serde(default)]
    pub basis: Option<Name>,
    /// The evaluated period (评价时间).
    pub period: Period,
    /// The date of submission (上报时间).
    #[serde(with = "bangfu_core::iso_date")]
    pub submitted: NaiveDate,
    /// The evaluation type.
    pub evaluation_type: EvaluationType,
    /// The organiser.
    pub organiser: Organiser,
    /// The evaluator.
    pub evaluator: Evaluator,
    /// Background of the unit, without figures (项目单位基本情况).
    #[serde(default)]
    pub background: Vec<Name>,
    /// How the funds are managed: rules and supervision, without figures (资金管理情况).
    #[serde(default)]
    pub management: Vec<Name>,
    /// Experience and practice (经验做法).
    #[serde(default)]
    pub experiences: Vec<Name>,
    /// Problems (存在的问题).
    #[serde(default)]
    pub problems: Vec<Name>,
    /// Suggestions (建议).
    #[serde(default)]
    pub suggestions: Vec<Name>,
}

/// A problem found in the year's records (记录核查发现的问题), named with its records: the
/// payments above the standard or to files not payable, entered late, the exits and
/// cancellations made late, the recoveries, a balance carried over without approval.
///
/// # Example
/// ```
/// use bangfu_scoring::{Name, RecordIssue};
/// let issue = RecordIssue {
///     code: "defect.over_standard".into(),
///     name: Name::new("超标准发放", "above the standard"),
///     records: vec!["P-00785".into()],
/// };
/// assert_eq!(issue.records.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RecordIssue {
    /// The issue's code (`defect.over_standard`, `issue.late_entry`, …).
    pub code: String,
    /// What it is, with its count or amount.
    pub name: Name,
    /// The records it names: posting ids, case ids, household ids, fund sources.
    pub records: Vec<String>,
}

/// Everything the report is rendered from.
#[derive(Debug, Clone, Copy)]
pub struct ReportInput<'a> {
    /// Names, dates and narrative.
    pub meta: &'a ReportMeta,
    /// The computed figures.
    pub facts: &'a Facts,
    /// The scorecard.
    pub scorecard: &'a Scorecard,
    /// Satisfaction with its interval, if a survey was held.
    pub satisfaction: Option<&'a Satisfaction>,
    /// The consistency findings.
    pub findings: &'a [Finding],
    /// The total score the report under evaluation states (自评得分), if any, shown next to
    /// the computed one.
    pub stated_total: Option<Decimal>,
    /// How the home visits compare with the sampling design, if known.
    pub visits: Option<&'a VisitCoverage>,
    /// The problems found in the records, each with its records.
    pub issues: &'a [RecordIssue],
}

struct W {
    out: String,
    lang: Lang,
}

impl W {
    fn line(&mut self, zh: &str, en: &str) {
        let s = match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        };
        self.out.push_str(s);
        self.out.push('\n');
    }

    fn blank(&mut self) {
        self.out.push('\n');
    }

    fn pick<'b>(&self, zh: &'b str, en: &'b str) -> &'b str {
        match self.lang {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

fn date(d: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}年{}月{}日", d.year(), d.month(), d.day()),
        Lang::En => d.format("%Y-%m-%d").to_string(),
    }
}

fn pct(r: Rate) -> String {
    r.percent_display(2).to_string()
}

fn wan(m: Money) -> String {
    m.wan().to_string()
}

fn reading(facts: &Facts, key: FactKey) -> Option<String> {
    facts.read(key).ok().map(|r| r.display(Lang::Zh))
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Renders the self-evaluation report in Markdown, in the seed's structure (一、项目概况 …
/// 六、主要经验及做法、存在的问题和建议) and an annex in the shape of 附件2 (indicator,
/// weight, target, actual, method, score, reason). Money is shown in 万元.
///
/// # Errors
/// [`ScoringError::Core`] on a money overflow while summing.
///
/// # Example
/// ```
/// use bangfu_core::{Lang, Money, Period};
/// use bangfu_scoring::*;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let fw = Framework::from_toml(MOF2020_SELF)?;
/// let mut facts = Facts::default();
/// facts.budget = Money::parse_wan("1100")?;
/// facts.received = Money::parse_wan("1125.074864")?;
/// facts.spent = Money::parse_wan("1083.784139")?;
/// for t in [&mut facts.person_times, &mut facts.payments, &mut facts.payments_entered_within_month] { *t = Tally::count(8236); }
/// facts.planned_person_times = 1932;
/// facts.households_active = Tally::count(966);
/// facts.households_helped_twice = Tally::count(966);
/// for t in [&mut facts.notices, &mut facts.notices_respected, &mut facts.files, &mut facts.exits_and_cancellations, &mut facts.exits_and_cancellations_on_time] { *t = Tally::count(10); }
/// facts.survey = SurveyFigures { visited: Tally::count(82), surveyed: Tally::count(82), satisfied: Tally::count(80) };
/// let mut j = Judgements::new();
/// j.insert("benefits.social", Judgement::new(Band::Achieved, "14", "困难得到缓解", "hardship relieved")?);
/// j.insert("benefits.sustainability", Judgement::new(Band::Achieved, "14", "社会反响好", "good response")?);
/// let card = score(&fw, &facts, &j)?;
/// let d = |m, d| chrono::NaiveDate::from_ymd_opt(2018, m, d).unwrap();
/// let meta = ReportMeta {
///     project: Name::new("2018年专项帮扶资金", "special aid funds 2018"),
///     unit: Name::new("海南省职工服务（帮扶）中心", "Hainan Workers' Service (Aid) Center"),
///     supervisor: Name::new("海南省职工服务（帮扶）中心", "Hainan Workers' Service (Aid) Center"),
///     addressee: Name::new("省总工会法律保障部", "Legal Protection Department"),
///     basis: None,
///     period: Period::new(d(1, 1), d(12, 31))?,
///     submitted: chrono::NaiveDate::from_ymd_opt(2019, 6, 24).unwrap(),
///     evaluation_type: EvaluationType::CompletionResult,
///     organiser: Organiser::ProjectUnit,
///     evaluator: Evaluator::UnitEvaluationGroup,
///     background: vec![], management: vec![], experiences: vec![], problems: vec![], suggestions: vec![],
/// };
/// let input = ReportInput { meta: &meta, facts: &facts, scorecard: &card, satisfaction: None, findings: &[], stated_total: None, visits: None, issues: &[] };
/// let zh = render_report(&input, Lang::Zh)?;
/// assert!(zh.contains("## 一、项目概况"));
/// assert!(zh.contains("1083.784139万元"));
/// let en = render_report(&input, Lang::En)?;
/// assert!(en.contains("96.33 %"));
/// # Ok(()) }
/// ```
pub fn render_report(input: &ReportInput<'_>, lang: Lang) -> Result<String, ScoringError> {
    let mut w = W {
        out: String::new(),
        lang,
    };
    cover(&mut w, input.meta);
    overview(&mut w, input.meta, input.facts);
    funds(&mut w, input.meta, input.facts);
    implementation(&mut w, input.facts);
    performance(&mut w, input);
    conclusion(&mut w, input);
    experience(&mut w, input.meta);
    annex(&mut w, input.scorecard);
    Ok(w.out)
}

/// The cover (封面) and the opening paragraph to the addressee.
fn cover(w: &mut W, meta: &ReportMeta) {
    let lang = w.lang;
    let year = meta.period.end().year();
    let unit = meta.unit.get(lang).to_owned();

    match lang {
        Lang::Zh => {
            let _ = writeln!(w.out, "# {unit}{year}年度帮扶资金绩效自评报告\n");
            let _ = writeln!(w.out, "- 评价类型：{}", meta.evaluation_type.zh());
            let _ = writeln!(w.out, "- 项目名称：{}", meta.project.zh);
            let _ = writeln!(w.out, "- 项目单位：{unit}");
            let _ = writeln!(w.out, "- 主管部门：{}", meta.supervisor.zh);
            let _ = writeln!(
                w.out,
                "- 评价时间：{}至{}",
                date(meta.period.start(), lang),
                date(meta.period.end(), lang)
            );
            let _ = writeln!(w.out, "- 组织方式：{}", meta.organiser.zh());
            let _ = writeln!(w.out, "- 评价机构：{}", meta.evaluator.zh());
            let _ = writeln!(w.out, "- 上报时间：{}\n", date(meta.submitted, lang));
            let _ = writeln!(w.out, "{}：\n", meta.addressee.zh);
            let basis = meta
                .basis
                .as_ref()
                .map_or_else(String::new, |b| format!("根据{}要求，", b.zh));
            let _ = writeln!(
                w.out,
                "{basis}{unit}对{year}年度帮扶资金管理使用情况进行自评。现将有关情况报告如下。\n"
            );
        }
        Lang::En => {
            let _ = writeln!(
                w.out,
                "# {unit}: performance self-evaluation of aid funds, {year}\n"
            );
            let _ = writeln!(w.out, "- Type: {}", meta.evaluation_type.en());
            let _ = writeln!(w.out, "- Project: {}", meta.project.en);
            let _ = writeln!(w.out, "- Project unit: {unit}");
            let _ = writeln!(w.out, "- Supervising department: {}", meta.supervisor.en);
            let _ = writeln!(
                w.out,
                "- Period: {} to {}",
                date(meta.period.start(), lang),
                date(meta.period.end(), lang)
            );
            let _ = writeln!(w.out, "- Organised by: {}", meta.organiser.en());
            let _ = writeln!(w.out, "- Evaluated by: {}", meta.evaluator.en());
            let _ = writeln!(w.out, "- Submitted: {}\n", date(meta.submitted, lang));
            let _ = writeln!(w.out, "To: {}\n", meta.addressee.en);
            let basis = meta
                .basis
                .as_ref()
                .map_or_else(String::new, |b| format!("As required by {}, ", b.en));
            let _ = writeln!(
                w.out,
                "{basis}{unit} has evaluated its management and use of aid funds in {year}. The report follows.\n"
            );
        }
    }
}

/// 一、项目概况: the unit, the project's nature and scope, its targets.
fn overview(w: &mut W, meta: &ReportMeta, f: &Facts) {
    w.line("## 一、项目概况", "## 1. Overview of the project");
    w.blank();
    overview_unit(w, meta, f);
    overview_scope(w, f);
    overview_targets(w, f);
}

/// （一）项目单位基本情况: the background, the active files and their units.
fn overview_unit(w: &mut W, meta: &ReportMeta, f: &Facts) {
    let lang = w.lang;
    w.line("### （一）项目单位基本情况", "### 1.1 The project unit");
    w.blank();
    for p in &meta.background {
        w.line(&p.zh, &p.en);
        w.blank();
    }
    let end = date(meta.period.end(), lang);
    let households = f.households_active.count;
    let mut s = match lang {
        Lang::Zh => format!("截止{end}，在档困难职工档案{households}户"),
        Lang::En => format!("On {end} there were {households} active hardship files"),
    };
    if let Some(d) = f.dependants {
        s.push_str(&match lang {
            Lang::Zh => format!("，涉及供养人口{d}人"),
            Lang::En => format!(", with {d} dependants"),
        });
    }
    if !f.units.is_empty() {
        let parts: Vec<String> = f
            .units
            .iter()
            .map(|u| match lang {
                Lang::Zh => format!("{}困难职工档案{}户", u.name.zh, u.households.count),
                Lang::En => format!("{} {}", u.name.en, u.households.count),
            })
            .collect();
        s.push_str(&match lang {
            Lang::Zh => format!("。其中{}。", parts.join("，")),
            Lang::En => format!(": {}.", parts.join(", ")),
        });
    } else {
        s.push_str(w.pick("。", "."));
    }
    w.line(&s, &s);
    w.blank();
}

/// The aid categories paid, in the order the sources first list them.
fn categories(f: &Facts) -> Vec<AidCategory> {
    let mut categories: Vec<AidCategory> = Vec::new();
    for c in f.sources.iter().flat_map(|s| s.categories.iter()) {
        if !categories.contains(&c.category) {
            categories.push(c.category);
        }
    }
    categories
}

/// （二）项目基本性质、用途和主要内容、涉及范围: the aid categories paid.
fn overview_scope(w: &mut W, f: &Facts) {
    let lang = w.lang;
    w.line(
        "### （二）项目基本性质、用途和主要内容、涉及范围",
        "### 1.2 Nature, uses and scope",
    );
    w.blank();
    let categories = categories(f);
    let cats: Vec<&str> = categories.iter().map(|c| c.label(lang)).collect();
    let cats_zh = cats.join("、");
    let cats_en = cats.join(", ");
    w.line(
        &format!("帮扶资金用于在档困难职工的{cats_zh}等帮扶救助。"),
        &format!("The funds pay {cats_en} to households with an active hardship file."),
    );
    w.blank();
}

/// （三）项目预期目标: the budget by source and the planned person-times.
fn overview_targets(w: &mut W, f: &Facts) {
    let lang = w.lang;
    w.line("### （三）项目预期目标", "### 1.3 Targets");
    w.blank();
    let budgets: Vec<String> = f
        .sources
        .iter()
        .filter(|s| !s.budget.is_zero())
        .map(|s| match lang {
            Lang::Zh => format!("{}{}万元", s.name.zh, wan(s.budget)),
            Lang::En => format!("{} {}", s.name.en, wan(s.budget)),
        })
        .collect();
    let detail = if budgets.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("，其中{}", budgets.join("，")),
            Lang::En => format!(" ({})", budgets.join(", ")),
        }
    };
    let planned = f.planned_person_times;
    w.line(
        &format!("全年帮扶资金预算为{}万元{detail}；计划帮扶{planned}人次。", wan(f.budget)),
        &format!(
            "The budget for the year was {} (10k yuan){detail}; {planned} person-times of aid were planned.",
            wan(f.budget)
        ),
    );
    w.blank();
}

/// 二、项目资金使用及管理情况: funds received, their use, their management.
fn funds(w: &mut W, meta: &ReportMeta, f: &Facts) {
    w.line(
        "## 二、项目资金使用及管理情况",
        "## 2. Use and management of the funds",
    );
    w.blank();
    funds_received(w, meta, f);
    funds_used(w, f);
    funds_management(w, meta, f);
}

/// （一）项目资金到位情况分析: received by source and the arrival rate.
fn funds_received(w: &mut W, meta: &ReportMeta, f: &Facts) {
    let lang = w.lang;
    let year = meta.period.end().year();
    w.line("### （一）项目资金到位情况分析", "### 2.1 Funds received");
    w.blank();
    let received: Vec<String> = f
        .sources
        .iter()
        .map(|s| match lang {
            Lang::Zh => format!("{}{}万元", s.name.zh, wan(s.received)),
            Lang::En => format!("{} {}", s.name.en, wan(s.received)),
        })
        .collect();
    let detail = if received.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("，其中：{}", received.join("，")),
            Lang::En => format!(": {}", received.join(", ")),
        }
    };
    let arrival = reading(f, FactKey::ArrivalRate).unwrap_or_else(|| "—".to_owned());
    w.line(
        &format!(
            "{year}年度实际到位帮扶资金共{}万元{detail}。资金到位率（实际到位资金 ÷ 预算资金）为{arrival}。",
            wan(f.received)
        ),
        &format!(
            "Funds received in {year}: {} (10k yuan){detail}. Arrival rate (received ÷ budget): {arrival}.",
            wan(f.received)
        ),
    );
    w.blank();
}

/// （二）项目资金实际使用情况分析: income, spending and balance.
fn funds_used(w: &mut W, f: &Facts) {
    w.line(
        "### （二）项目资金实际使用情况分析",
        "### 2.2 Use of the funds",
    );
    w.blank();
    used_income(w, f);
    used_spending(w, f);
    used_balance(w, f);
}

/// 1.收入: income by source and kind.
fn used_income(w: &mut W, f: &Facts) {
    let lang = w.lang;
    let mut s = match lang {
        Lang::Zh => format!("1.收入：共筹{}万元帮扶资金", wan(f.received)),
        Lang::En => format!("1. Income: {} (10k yuan) in all", wan(f.received)),
    };
    let parts: Vec<String> = f
        .sources
        .iter()
        .map(|src| {
            let inc: Vec<String> = src
                .income
                .iter()
                .map(|i| match lang {
                    Lang::Zh => format!("{}{}万元", i.name.zh, wan(i.amount)),
                    Lang::En => format!("{} {}", i.name.en, wan(i.amount)),
                })
                .collect();
            let inc = if inc.is_empty() {
                String::new()
            } else {
                match lang {
                    Lang::Zh => format!("（含{}）", inc.join("，")),
                    Lang::En => format!(" (of which {})", inc.join(", ")),
                }
            };
            match lang {
                Lang::Zh => format!("{}{}万元{inc}", src.name.zh, wan(src.received)),
                Lang::En => format!("{} {}{inc}", src.name.en, wan(src.received)),
            }
        })
        .collect();
    if !parts.is_empty() {
        s.push_str(&match lang {
            Lang::Zh => format!("，其中{}", parts.join("，")),
            Lang::En => format!(": {}", parts.join("; ")),
        });
    }
    s.push_str(w.pick("。", "."));
    w.line(&s, &s);
    w.blank();
}

/// 2.支出: spending by source, then each source by aid category.
fn used_spending(w: &mut W, f: &Facts) {
    let lang = w.lang;
    let spent_parts: Vec<String> = f
        .sources
        .iter()
        .map(|s| match lang {
            Lang::Zh => format!("{}{}万元", s.name.zh, wan(s.spent)),
            Lang::En => format!("{} {}", s.name.en, wan(s.spent)),
        })
        .collect();
    let detail = if spent_parts.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("，其中{}", spent_parts.join("，")),
            Lang::En => format!(": {}", spent_parts.join(", ")),
        }
    };
    w.line(
        &format!(
            "2.支出：共支出{}万元帮扶资金{detail}。具体情况为：",
            wan(f.spent)
        ),
        &format!(
            "2. Spending: {} (10k yuan){detail}. In detail:",
            wan(f.spent)
        ),
    );
    w.blank();
    for (i, src) in f.sources.iter().enumerate() {
        let n = i + 1;
        let cats: Vec<String> = src
            .categories
            .iter()
            .map(|c| match lang {
                Lang::Zh => format!(
                    "{}{}万元，帮扶{}人次",
                    c.category.zh(),
                    wan(c.amount),
                    c.person_times
                ),
                Lang::En => format!(
                    "{} {} for {} person-times",
                    c.category.en(),
                    wan(c.amount),
                    c.person_times
                ),
            })
            // The campaigns counted in no category: each on its own, by its name.
            .chain(src.campaigns.iter().map(|c| match lang {
                Lang::Zh => format!(
                    "{}（单列）{}万元，帮扶{}人次",
                    c.name.zh,
                    wan(c.amount),
                    c.person_times
                ),
                Lang::En => format!(
                    "{} (a line of its own) {} for {} person-times",
                    c.name.en,
                    wan(c.amount),
                    c.person_times
                ),
            }))
            .collect();
        let line = match lang {
            Lang::Zh => format!(
                "（{n}）{}{}万元，共救助{}人次。其中{}。",
                src.name.zh,
                wan(src.spent),
                src.person_times(),
                cats.join("；")
            ),
            Lang::En => format!(
                "({n}) {}: {} (10k yuan), {} person-times: {}.",
                src.name.en,
                wan(src.spent),
                src.person_times(),
                cats.join("; ")
            ),
        };
        w.line(&line, &line);
        w.blank();
    }
}

/// 3.结余: the balance by source and the execution rate.
fn used_balance(w: &mut W, f: &Facts) {
    let lang = w.lang;
    let balance = f.received.saturating_sub(f.spent);
    let by_source: Vec<String> = f
        .sources
        .iter()
        .filter(|s| s.received > s.spent)
        .map(|s| match lang {
            Lang::Zh => format!(
                "{}{}万元",
                s.name.zh,
                wan(s.received.saturating_sub(s.spent))
            ),
            Lang::En => format!("{} {}", s.name.en, wan(s.received.saturating_sub(s.spent))),
        })
        .collect();
    let detail = if by_source.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("，其中{}", by_source.join("，")),
            Lang::En => format!(" ({})", by_source.join(", ")),
        }
    };
    let execution = reading(f, FactKey::ExecutionRate).unwrap_or_else(|| "—".to_owned());
    w.line(
        &format!("3.结余：结余{}万元{detail}。预算执行率（实际支出 ÷ 实际到位）为{execution}。", wan(balance)),
        &format!(
            "3. Balance: {} (10k yuan){detail}. Budget execution rate (spent ÷ received): {execution}.",
            wan(balance)
        ),
    );
    w.blank();
}

/// （三）项目资金管理情况分析: the management text, compliance counts, recoveries.
fn funds_management(w: &mut W, meta: &ReportMeta, f: &Facts) {
    w.line(
        "### （三）项目资金管理情况分析",
        "### 2.3 Management of the funds",
    );
    w.blank();
    for p in &meta.management {
        w.line(&p.zh, &p.en);
        w.blank();
    }
    let c = &f.compliance;
    w.line(
        &format!(
            "经核对记录：违反专款专用{}笔，现金发放{}笔，超标准发放{}笔，向非在档档案发放{}笔。",
            c.earmark_violations.count,
            c.cash_payments.count,
            c.over_standard_payments.count,
            c.unpayable_payments.count
        ),
        &format!(
            "From the records: {} earmark violations, {} cash payments, {} over-standard payments, {} payments to files not payable.",
            c.earmark_violations.count,
            c.cash_payments.count,
            c.over_standard_payments.count,
            c.unpayable_payments.count
        ),
    );
    if f.recoveries.households.count > 0 {
        let r = &f.recoveries;
        w.blank();
        w.line(
            &format!(
                "追缴帮扶资金{}户{}万元。",
                r.households.count,
                wan(r.amount)
            ),
            &format!(
                "Aid recovered from {} households: {} (10k yuan).",
                r.households.count,
                wan(r.amount)
            ),
        );
    }
    w.blank();
}

/// 三、项目组织实施情况: entry timeliness, notices, file quality, exits.
fn implementation(w: &mut W, f: &Facts) {
    w.line(
        "## 三、项目组织实施情况",
        "## 3. Organisation and implementation",
    );
    w.blank();
    w.line("### （一）项目组织情况", "### 3.1 Organisation");
    w.blank();
    let entry = reading(f, FactKey::EntryTimelinessRate).unwrap_or_else(|| "—".to_owned());
    w.line(
        &format!(
            "全年发放救助记录{}笔，其中救助后一个月内录入系统{}笔，录入及时率{entry}。",
            f.payments.count, f.payments_entered_within_month.count
        ),
        &format!(
            "{} payment records in the year, {} entered in the system within one month of payment ({entry}).",
            f.payments.count, f.payments_entered_within_month.count
        ),
    );
    w.blank();
    w.line("### （二）项目管理情况", "### 3.2 Management");
    w.blank();
    let notice = reading(f, FactKey::NoticeComplianceRate).unwrap_or_else(|| "—".to_owned());
    let files_ok = reading(f, FactKey::FileQualityRate).unwrap_or_else(|| "—".to_owned());
    let (exits_zh, exits_en) = if f.exits_and_cancellations.count == 0 {
        (
            "本期无应脱困、注销档案".to_owned(),
            "no exit or cancellation was due".to_owned(),
        )
    } else {
        let rate = reading(f, FactKey::ExitTimelinessRate).unwrap_or_else(|| "—".to_owned());
        (
            format!(
                "应脱困、注销{}户，按时办理{}户（{rate}）",
                f.exits_and_cancellations.count, f.exits_and_cancellations_on_time.count
            ),
            format!(
                "{} exits and cancellations due, {} made on time ({rate})",
                f.exits_and_cancellations.count, f.exits_and_cancellations_on_time.count
            ),
        )
    };
    w.line(
        &format!(
            "公示{}次，公示期执行到位{}次（{notice}）；检查档案{}份，其中存在质量问题{}份，档案合格率{files_ok}；{exits_zh}。",
            f.notices.count,
            f.notices_respected.count,
            f.files.count,
            f.files_with_quality_flags.count,
        ),
        &format!(
            "{} public notices, {} with the full period ({notice}); {} files checked, {} with quality flags ({files_ok} without); {exits_en}.",
            f.notices.count,
            f.notices_respected.count,
            f.files.count,
            f.files_with_quality_flags.count,
        ),
    );
    w.blank();
}

/// 四、项目绩效情况: economy, efficiency, effectiveness, sustainability.
fn performance(w: &mut W, input: &ReportInput<'_>) {
    w.line("## 四、项目绩效情况", "## 4. Performance");
    w.blank();
    economy(w, input.facts);
    efficiency(w, input.facts);
    effectiveness(w, input.facts, input.satisfaction, input.visits);
    sustainability(w, input.scorecard);
}

/// （一）项目的经济性: spending against the budget, compliance defects.
fn economy(w: &mut W, f: &Facts) {
    let c = &f.compliance;
    w.line("### （一）项目的经济性", "### 4.1 Economy");
    w.blank();
    let defects = c.total();
    w.line(
        &format!(
            "全年支出{}万元，占预算{}万元的{}；资金使用违规合计{defects}笔。",
            wan(f.spent),
            wan(f.budget),
            Rate::ratio(f.spent, f.budget).map_or_else(|_| "—".to_owned(), pct)
        ),
        &format!(
            "Spending of {} (10k yuan) is {} of the budget of {}; {defects} compliance defects in all.",
            wan(f.spent),
            Rate::ratio(f.spent, f.budget).map_or_else(|_| "—".to_owned(), pct),
            wan(f.budget)
        ),
    );
    w.blank();
}

/// （二）项目的效率性: person-times against the plan, per household, coverage.
fn efficiency(w: &mut W, f: &Facts) {
    let lang = w.lang;
    let households = f.households_active.count;
    let planned = f.planned_person_times;
    let categories = categories(f);
    w.line("### （二）项目的效率性", "### 4.2 Efficiency");
    w.blank();
    let pt = f.person_times.count;
    // Per household and against the plan: the filed households' person-times only.
    let per_household = crate::facts::ratio_u64(f.filed_person_times(), households)
        .map_or_else(|| "—".to_owned(), |d| d.round_dp(2).to_string());
    let coverage = reading(f, FactKey::CoverageRate).unwrap_or_else(|| "—".to_owned());
    let pt_rate = reading(f, FactKey::PersonTimesRate).unwrap_or_else(|| "—".to_owned());
    let cat_pt: Vec<String> = categories
        .iter()
        .map(|c| match lang {
            Lang::Zh => format!("{}{}人次", c.zh(), f.person_times_of(*c)),
            Lang::En => format!("{} {}", c.en(), f.person_times_of(*c)),
        })
        .collect();
    let t = &f.temporary_aid;
    let temporary = if t.person_times.count == 0 {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!(
                "，其中未建档职工临时救助{}人次、{}人、{}万元（不计入在档户人次）",
                t.person_times.count,
                t.persons.count,
                wan(t.spent)
            ),
            Lang::En => format!(
                "; of which temporary aid to workers not filed {} person-times, {} persons, {} (10k yuan), not counted as filed households' person-times",
                t.person_times.count,
                t.persons.count,
                wan(t.spent)
            ),
        }
    };
    let cat_pt = if cat_pt.is_empty() && temporary.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("（{}{temporary}）", cat_pt.join("、")),
            Lang::En => format!(" ({}{temporary})", cat_pt.join(", ")),
        }
    };
    w.line(
        &format!(
            "全部帮扶资金{}万元，全年帮扶{pt}人次{cat_pt}，为计划{planned}人次的{pt_rate}；户均{per_household}人次。在档{households}户中年内帮扶两次以上{}户，占{coverage}。",
            wan(f.spent),
            f.households_helped_twice.count
        ),
        &format!(
            "Spending of {} (10k yuan) paid {pt} person-times{cat_pt}, {pt_rate} of the {planned} planned; {per_household} per household. Of {households} active households, {} were helped twice or more ({coverage}).",
            wan(f.spent),
            f.households_helped_twice.count
        ),
    );
    w.blank();
}

/// （三）项目的有效性: the home visits and satisfaction survey.
fn effectiveness(
    w: &mut W,
    f: &Facts,
    satisfaction: Option<&Satisfaction>,
    visits: Option<&VisitCoverage>,
) {
    let lang = w.lang;
    w.line("### （三）项目的有效性", "### 4.3 Effectiveness");
    w.blank();
    let sv = &f.survey;
    let sample = reading(f, FactKey::SampleRate).unwrap_or_else(|| "—".to_owned());
    let sat = reading(f, FactKey::SatisfactionRate).unwrap_or_else(|| "—".to_owned());
    let interval = satisfaction.map_or_else(String::new, |s| match lang {
        Lang::Zh => format!(
            "，95 %置信区间（Wilson）为{}至{}",
            pct(s.lower),
            pct(s.upper)
        ),
        Lang::En => format!(
            ", 95 % Wilson interval {} to {}",
            pct(s.lower),
            pct(s.upper)
        ),
    });
    w.line(
        &format!(
            "随机抽样入户走访{}户，占在档户数的{sample}；收回有效调查{}份，满意{}户，满意率{sat}{interval}。",
            sv.visited.count, sv.surveyed.count, sv.satisfied.count
        ),
        &format!(
            "{} households were visited at random ({sample} of active households); {} answered, {} satisfied: {sat}{interval}.",
            sv.visited.count, sv.surveyed.count, sv.satisfied.count
        ),
    );
    w.blank();
    if let Some(v) = visits {
        let ratio = pct(v.ratio);
        w.line(
            &format!(
                "按抽样设计（在档户数的{ratio}，按建档单位分层）应走访{}户；实际走访覆盖{}个建档单位（共{}个）。",
                v.planned, v.units_visited, v.units
            ),
            &format!(
                "The sampling design ({ratio} of active households, stratified by union unit) asks for {} visits; the visits reached {} of the {} union units.",
                v.planned, v.units_visited, v.units
            ),
        );
        w.blank();
    }
}

/// （四）项目的可持续性: the evaluation group's qualitative judgements.
fn sustainability(w: &mut W, card: &Scorecard) {
    w.line("### （四）项目的可持续性", "### 4.4 Sustainability");
    w.blank();
    let mut any = false;
    if card.indicators.iter().any(|r| r.judgement.is_some()) {
        w.line(
            "评价组定性评价意见：",
            "The evaluation group's qualitative judgements:",
        );
        w.blank();
    }
    for row in card.indicators.iter().filter(|r| r.judgement.is_some()) {
        if let Some(j) = &row.judgement {
            any = true;
            let en = if j.justification.en.is_empty() {
                &j.justification.zh
            } else {
                &j.justification.en
            };
            w.line(
                &format!(
                    "{}：{}（{}，{}分）。",
                    row.name.zh,
                    j.justification.zh,
                    j.band.zh(),
                    row.score
                ),
                &format!(
                    "{}: {en} ({}, {} points).",
                    row.name.en,
                    j.band.en(),
                    row.score
                ),
            );
            w.blank();
        }
    }
    if !any {
        w.line("无定性评价意见。", "No qualitative judgements.");
        w.blank();
    }
}

/// 五、综合评价情况及评价结论: the total and grade, the stated total, the findings.
fn conclusion(w: &mut W, input: &ReportInput<'_>) {
    let card = input.scorecard;
    let year = input.meta.period.end().year();
    let unit = input.meta.unit.get(w.lang).to_owned();
    w.line(
        "## 五、综合评价情况及评价结论",
        "## 5. Overall evaluation and conclusion",
    );
    w.blank();
    w.line(
        &format!(
            "按《{}》评分，{unit}{year}年度帮扶资金使用绩效自评{}分（满分{}分），总体评价{}（详见附件2）。",
            card.framework_name.zh,
            card.total,
            card.full,
            card.grade.zh()
        ),
        &format!(
            "Scored by the {}, the self-evaluation gives {} of {} points, grade {} (see annex 2).",
            card.framework_name.en,
            card.total,
            card.full,
            card.grade.en()
        ),
    );
    w.blank();
    stated_total(w, card, input.stated_total);
    consistency(w, input.findings);
    record_issues(w, input.issues);
}

/// How many records an issue names in the report; the rest are counted.
const ISSUE_RECORDS_SHOWN: usize = 20;

/// 记录核查发现的问题: each problem found in the records, with the records it names.
fn record_issues(w: &mut W, issues: &[RecordIssue]) {
    if issues.is_empty() {
        return;
    }
    w.line(
        "### 记录核查发现的问题",
        "### Problems found in the records",
    );
    w.blank();
    for (i, issue) in issues.iter().enumerate() {
        let n = i + 1;
        let shown: Vec<&str> = issue
            .records
            .iter()
            .take(ISSUE_RECORDS_SHOWN)
            .map(String::as_str)
            .collect();
        let more = issue.records.len().saturating_sub(ISSUE_RECORDS_SHOWN);
        let (more_zh, more_en) = if more > 0 {
            (format!("等（另{more}条）"), format!(" and {more} more"))
        } else {
            (String::new(), String::new())
        };
        w.line(
            &format!(
                "{n}. [{}] {}：{}{more_zh}",
                issue.code,
                issue.name.zh,
                shown.join("、")
            ),
            &format!(
                "{n}. [{}] {}: {}{more_en}.",
                issue.code,
                issue.name.en,
                shown.join(", ")
            ),
        );
    }
    w.blank();
}

/// The total the report states, against the computed one.
fn stated_total(w: &mut W, card: &Scorecard, stated_total: Option<Decimal>) {
    if let Some(stated) = stated_total {
        let (zh, en) = match card.total.cmp(&stated) {
            core::cmp::Ordering::Equal => ("二者一致".to_owned(), "the same".to_owned()),
            core::cmp::Ordering::Less => {
                let d = stated.checked_sub(card.total).unwrap_or(Decimal::ZERO);
                (
                    format!("比所述低{}分", d.normalize()),
                    format!("{} lower", d.normalize()),
                )
            }
            core::cmp::Ordering::Greater => {
                let d = card.total.checked_sub(stated).unwrap_or(Decimal::ZERO);
                (
                    format!("比所述高{}分", d.normalize()),
                    format!("{} higher", d.normalize()),
                )
            }
        };
        w.line(
            &format!(
                "报告所述自评得分为{}分，按附件2评分表由记录计算为{}分，{zh}。",
                stated.normalize(),
                card.total
            ),
            &format!(
                "The report states a self-score of {}; computed from the records by the scoring table (annex 2) it is {}, {en}.",
                stated.normalize(),
                card.total
            ),
        );
        w.blank();
    }
}

/// 数据一致性核对: the consistency findings, if any.
fn consistency(w: &mut W, findings: &[Finding]) {
    if !findings.is_empty() {
        w.line(
            "### 数据一致性核对",
            "### Consistency of stated and computed figures",
        );
        w.blank();
        for (i, fd) in findings.iter().enumerate() {
            let n = i + 1;
            w.line(
                &format!("{n}. [{}] {}", fd.code.code(), fd.text.zh),
                &format!("{n}. [{}] {}.", fd.code.code(), fd.text.en),
            );
        }
        w.blank();
    }
}

/// 六、主要经验及做法、存在的问题和建议: the narrative lists.
fn experience(w: &mut W, meta: &ReportMeta) {
    w.line(
        "## 六、主要经验及做法、存在的问题和建议",
        "## 6. Experience, problems and suggestions",
    );
    w.blank();
    for (zh, en, items) in [
        (
            "### （一）经验做法",
            "### 6.1 Experience and practice",
            &meta.experiences,
        ),
        (
            "### （二）存在的问题及不足",
            "### 6.2 Problems",
            &meta.problems,
        ),
        (
            "### （三）建议意见",
            "### 6.3 Suggestions",
            &meta.suggestions,
        ),
    ] {
        w.line(zh, en);
        w.blank();
        for (i, p) in items.iter().enumerate() {
            let n = i + 1;
            w.line(&format!("{n}.{}", p.zh), &format!("{n}. {}", p.en));
        }
        if !items.is_empty() {
            w.blank();
        }
    }
}

/// 附件2：绩效评价指标评分表: the scoring table, one row per indicator, and the total.
fn annex(w: &mut W, card: &Scorecard) {
    let lang = w.lang;
    w.line("## 附件2：绩效评价指标评分表", "## Annex 2: scoring table");
    w.blank();
    w.line(
        "| 层级 | 指标 | 分值 | 目标值 | 实际值 | 评分方法 | 得分 | 评分理由 |",
        "| Level | Indicator | Weight | Target | Actual | Method | Score | Reason |",
    );
    w.line(
        "|---|---|---:|---:|---:|---|---:|---|",
        "|---|---|---:|---:|---:|---|---:|---|",
    );
    for r in &card.indicators {
        let pad = w.pick("　", "&emsp;");
        let indent = pad.repeat(usize::from(r.level.saturating_sub(1)));
        let name = if r.method.is_none() {
            format!("{indent}**{}**", cell(r.name.get(lang)))
        } else {
            format!("{indent}{}", cell(r.name.get(lang)))
        };
        let level = match lang {
            Lang::Zh => format!(
                "{}级",
                ["一", "二", "三"]
                    .get(usize::from(r.level.saturating_sub(1)))
                    .unwrap_or(&"三")
            ),
            Lang::En => format!("{}", r.level),
        };
        let row = format!(
            "| {level} | {name} | {} | {} | {} | {} | {} | {} |",
            r.weight,
            cell(&r.target_display(lang)),
            cell(&r.actual_display(lang)),
            r.method_display(lang),
            r.score,
            cell(r.reason.get(lang))
        );
        w.line(&row, &row);
    }
    let total = match lang {
        Lang::Zh => format!(
            "| | **合计** | {} | | | | **{}** | 评价等级：{} |",
            card.full,
            card.total,
            card.grade.zh()
        ),
        Lang::En => format!(
            "| | **Total** | {} | | | | **{}** | grade: {} |",
            card.full,
            card.total,
            card.grade.en()
        ),
    };
    w.line(&total, &total);
}
