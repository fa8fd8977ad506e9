//! The year's tables as CSV or `.xlsx` (导出): one entry point per table, each taking the
//! computed type, the language and the [`Format`].
//!
//! | table | entry point | sheet (zh) |
//! |---|---|---|
//! | the statement (资金收支情况表), with native charts in `.xlsx` | [`statement`] | 资金收支 |
//! | the scoring table (附件2评分表) | [`scorecard`] | 附件2评分表 |
//! | the payment roster (发放花名册) | [`roster`] | 发放花名册 |
//! | the findings (核对发现): consistency findings and payment defects | [`findings`] | 核对发现 |
//! | the decisions of `bangfu eval` (决定) | [`decisions`] | 决定 |
//! | the allocation plan (分配方案) and its lines against the payments (方案执行) | [`allocation`] | 分配方案, 方案执行 |
//! | the self-inspection items (自查整改) | [`inspection`] | 自查整改 |
//! | a what-if of `bangfu whatif` (政策模拟) | [`whatif`] | 政策模拟 |
//! | all of them in one workbook | [`workbook`] | |
//!
//! Markdown and JSON stay with the domain crates ([`bangfu_funding::Statement::render_text`],
//! `serde_json`); asked here, they are [`OfficeError::Unsupported`].

use bangfu_aid::Decision as AidDecision;
use bangfu_core::{AidCategory, Labelled, Lang, Money};
use bangfu_funding::{IncomeKind, Posting, RateFigure, Statement};
use bangfu_scoring::{Finding, Scorecard};
use bangfu_year::Defect;
use bangfu_year::jsonl::{Answer, OutputLine};
use bangfu_year::oversight::{AllocationPlan, ItemState, LineUse, OversightReport};
use bangfu_year::whatif::{Delta, Totals, WhatIf};
use rust_decimal::Decimal;

use crate::chart::{ChartKind, ChartSpec};
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Format, OfficeError};

/// `zh` or `en` by `lang`.
pub(crate) fn t(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn rate(r: Option<RateFigure>) -> Cell {
    r.map_or(Cell::Empty, |r| Cell::Percent(r.percent.value()))
}

fn wan_header(lang: Lang, label: &str) -> String {
    match lang {
        Lang::Zh => format!("{label}（万元）"),
        Lang::En => format!("{label} (10k yuan)"),
    }
}

/// The categories of the statement's columns: those the totals list (living, medical and
/// education always, any other with payments).
fn statement_categories(st: &Statement) -> Vec<AidCategory> {
    st.totals.spending.iter().map(|l| l.category).collect()
}

/// The income kinds any source received.
fn statement_income_kinds(st: &Statement) -> Vec<IncomeKind> {
    IncomeKind::ALL
        .iter()
        .copied()
        .filter(|k| st.sources.iter().any(|s| s.component(*k).is_some()))
        .collect()
}

/// The statement (资金收支情况表) as one table in 万元: a row per source and the total, with
/// the budget, the income and its kinds, spending and person-times per aid category, the
/// balance, the arrival and execution rates and the carry-over; and the three charts over it
/// (income by source, spending by source and category, person-times by source and
/// category).
///
/// # Errors
/// [`OfficeError::Core`] if a total of an income kind overflows.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// let run = bangfu_data::hainan2018::run()?;
/// let (table, charts) = bangfu_office::export::statement_table(&run.statement, Lang::Zh)?;
/// assert_eq!(table.columns[0].header, "资金来源");
/// assert_eq!(charts.len(), 3);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn statement_table(st: &Statement, lang: Lang) -> Result<(Table, Vec<ChartSpec>), OfficeError> {
    let shape = StatementShape::of(st);
    let (columns, first_category) = statement_columns(&shape, lang);
    let title = match lang {
        Lang::Zh => format!("{}年度帮扶资金收支情况表（单位：万元）", st.year),
        Lang::En => format!(
            "Aid fund income and spending, {} (unit: 10,000 yuan)",
            st.year
        ),
    };
    let mut table = Table::new(t(lang, "资金收支", "Statement"), title, columns);
    for line in &st.sources {
        table.push(source_row(line, &shape, lang));
    }
    table.push_footer(total_row(st, &shape, lang)?);
    // A campaign counted in no category has its two columns right after the categories'.
    let spending_columns = shape.categories.len() + shape.own_lines.len();
    let charts = statement_charts(spending_columns, first_category, lang);
    Ok((table, charts))
}

/// Which income kinds and aid categories the statement's table has columns for.
struct StatementShape {
    categories: Vec<AidCategory>,
    /// The campaigns counted in no category (female-worker care): a line of their own, each
    /// with its name in the statement's language.
    own_lines: Vec<bangfu_funding::CampaignLine>,
    kinds: Vec<IncomeKind>,
    recovered: bool,
}

impl StatementShape {
    /// The shape of `st`'s table.
    fn of(st: &Statement) -> StatementShape {
        StatementShape {
            categories: statement_categories(st),
            own_lines: st
                .totals
                .campaigns
                .iter()
                .filter(|c| c.counted_in.is_none())
                .cloned()
                .collect(),
            kinds: statement_income_kinds(st),
            recovered: st.sources.iter().any(|s| {
                s.component(IncomeKind::Recovery)
                    .is_some_and(|c| c.households > 0)
            }),
        }
    }
}

/// The statement table's columns, and the index of the first category's amount column.
fn statement_columns(shape: &StatementShape, lang: Lang) -> (Vec<Column>, usize) {
    let mut columns = vec![
        Column::new(t(lang, "资金来源", "Source"), ColumnKind::Text),
        Column::new(wan_header(lang, t(lang, "预算", "Budget")), ColumnKind::Wan),
        Column::new(wan_header(lang, t(lang, "收入", "Income")), ColumnKind::Wan),
    ];
    for k in &shape.kinds {
        columns.push(Column::new(
            wan_header(lang, k.label(lang)),
            ColumnKind::Wan,
        ));
    }
    if shape.recovered {
        columns.push(Column::new(
            t(lang, "追缴户数", "Households recovered from"),
            ColumnKind::Count,
        ));
    }
    let first_category = columns.len();
    // Each category, then each campaign counted in none: its amount and its person-times.
    let labels: Vec<&str> = shape
        .categories
        .iter()
        .map(|c| c.label(lang))
        .chain(shape.own_lines.iter().map(|l| l.name(lang)))
        .collect();
    for l in labels {
        columns.push(Column::new(wan_header(lang, l), ColumnKind::Wan));
        columns.push(Column::new(
            match lang {
                Lang::Zh => format!("{l}人次"),
                Lang::En => format!("{l} (person-times)"),
            },
            ColumnKind::Count,
        ));
    }
    columns.extend([
        Column::new(
            wan_header(lang, t(lang, "支出合计", "Spent")),
            ColumnKind::Wan,
        ),
        Column::new(t(lang, "人次合计", "Person-times"), ColumnKind::Count),
        Column::new(
            wan_header(lang, t(lang, "结余", "Balance")),
            ColumnKind::Wan,
        ),
        Column::new(t(lang, "资金到位率", "Arrival rate"), ColumnKind::Percent),
        Column::new(
            t(
                lang,
                "资金到位率（按100%封顶）",
                "Arrival rate (capped at 100%)",
            ),
            ColumnKind::Percent,
        ),
        Column::new(t(lang, "预算执行率", "Execution rate"), ColumnKind::Percent),
        Column::new(t(lang, "结余处理", "Carry-over"), ColumnKind::Text),
    ]);
    (columns, first_category)
}

/// One source's row of the statement table.
fn source_row(line: &bangfu_funding::SourceLine, shape: &StatementShape, lang: Lang) -> Vec<Cell> {
    let mut row = vec![
        Cell::text_of(line.source.label(lang)),
        line.budget.map_or(Cell::Empty, Cell::Money),
        Cell::Money(line.income),
    ];
    for k in &shape.kinds {
        row.push(
            line.component(*k)
                .map_or(Cell::Empty, |c| Cell::Money(c.amount)),
        );
    }
    if shape.recovered {
        row.push(Cell::Count(
            line.component(IncomeKind::Recovery)
                .map_or(0, |c| c.households),
        ));
    }
    for c in &shape.categories {
        let l = line.category(*c);
        row.extend([Cell::Money(l.amount), Cell::Count(l.person_times)]);
    }
    row.extend(own_line_cells(&line.campaigns, shape));
    row.extend([
        Cell::Money(line.spent),
        Cell::Count(line.person_times),
        Cell::Money(line.balance),
        rate(line.arrival_rate),
        Cell::Empty,
        rate(line.execution_rate),
        line.carryover
            .as_ref()
            .map_or(Cell::Empty, |c| Cell::text_of(carryover(c, lang))),
    ]);
    row
}

/// The cells of the campaigns counted in no category, from `lines` (zero where a source paid
/// none).
fn own_line_cells(lines: &[bangfu_funding::CampaignLine], shape: &StatementShape) -> Vec<Cell> {
    shape
        .own_lines
        .iter()
        .flat_map(|own| {
            let l = lines
                .iter()
                .find(|l| l.kind == own.kind && l.campaign == own.campaign);
            [
                Cell::Money(l.map_or(Money::ZERO, |l| l.amount)),
                Cell::Count(l.map_or(0, |l| l.person_times)),
            ]
        })
        .collect()
}

/// The statement table's total row.
fn total_row(st: &Statement, shape: &StatementShape, lang: Lang) -> Result<Vec<Cell>, OfficeError> {
    let tot = &st.totals;
    let mut row = vec![
        Cell::text_of(t(lang, "合计", "Total")),
        Cell::Money(tot.budget),
        Cell::Money(tot.income),
    ];
    for k in &shape.kinds {
        let sum = Money::sum(
            st.sources
                .iter()
                .filter_map(|s| s.component(*k).map(|c| c.amount)),
        )?;
        row.push(Cell::Money(sum));
    }
    if shape.recovered {
        let households = st
            .sources
            .iter()
            .filter_map(|s| s.component(IncomeKind::Recovery))
            .fold(0u64, |acc, c| acc.saturating_add(c.households));
        row.push(Cell::Count(households));
    }
    for c in &shape.categories {
        let l = tot.category(*c);
        row.extend([Cell::Money(l.amount), Cell::Count(l.person_times)]);
    }
    row.extend(own_line_cells(&tot.campaigns, shape));
    row.extend([
        Cell::Money(tot.spent),
        Cell::Count(tot.person_times),
        Cell::Money(tot.balance),
        rate(tot.arrival_rate),
        rate(tot.arrival_rate_capped),
        rate(tot.execution_rate),
        Cell::Empty,
    ]);
    Ok(row)
}

/// The three charts over the statement table: income by source, spending and person-times
/// by source and category.
fn statement_charts(categories: usize, first_category: usize, lang: Lang) -> Vec<ChartSpec> {
    let amounts: Vec<usize> = (0..categories)
        .map(|i| first_category.saturating_add(i.saturating_mul(2)))
        .collect();
    let counts: Vec<usize> = amounts.iter().map(|c| c.saturating_add(1)).collect();
    vec![
        ChartSpec {
            title: t(lang, "资金收入（按来源）", "Income by source").to_owned(),
            unit: t(lang, "万元", "10k yuan").to_owned(),
            kind: ChartKind::Column,
            categories: 0,
            series: vec![2],
        },
        ChartSpec {
            title: t(
                lang,
                "资金支出（按来源和救助类别）",
                "Spending by source and aid category",
            )
            .to_owned(),
            unit: t(lang, "万元", "10k yuan").to_owned(),
            kind: ChartKind::Stacked,
            categories: 0,
            series: amounts,
        },
        ChartSpec {
            title: t(
                lang,
                "帮扶人次（按来源和救助类别）",
                "Person-times by source and aid category",
            )
            .to_owned(),
            unit: t(lang, "人次", "person-times").to_owned(),
            kind: ChartKind::Stacked,
            categories: 0,
            series: counts,
        },
    ]
}

fn carryover(c: &bangfu_funding::CarryoverStatus, lang: Lang) -> String {
    use bangfu_funding::CarryoverStatus as S;
    match c {
        S::Approved { approval } => match lang {
            Lang::Zh => format!("经批复结转（{}，{}）", approval.reference, approval.date),
            Lang::En => format!(
                "carried forward with approval ({}, {})",
                approval.reference, approval.date
            ),
        },
        S::Automatic => t(lang, "自动结转", "carried forward").to_owned(),
        S::Unapproved => t(lang, "未经批复", "NOT approved for carry-over").to_owned(),
        _ => t(lang, "无结余", "nothing to carry").to_owned(),
    }
}

/// The scoring table (附件2：绩效评价指标评分表): a row per indicator with its level, id,
/// name, weight, target, actual, method, score and reason, then the total and the grade.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let table = bangfu_office::export::scorecard_table(&eval.scorecard, Lang::Zh);
/// assert_eq!(table.rows.len(), eval.scorecard.indicators.len() + 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn scorecard_table(card: &Scorecard, lang: Lang) -> Table {
    let columns = vec![
        Column::new(t(lang, "层级", "Level"), ColumnKind::Count),
        Column::new(t(lang, "编号", "Id"), ColumnKind::Text),
        Column::new(t(lang, "指标", "Indicator"), ColumnKind::Text),
        Column::new(t(lang, "分值", "Weight"), ColumnKind::Number),
        Column::new(t(lang, "目标值", "Target"), ColumnKind::Text),
        Column::new(t(lang, "实际值", "Actual"), ColumnKind::Text),
        Column::new(t(lang, "评分方法", "Method"), ColumnKind::Text),
        Column::new(t(lang, "得分", "Score"), ColumnKind::Number),
        Column::new(t(lang, "评分理由", "Reason"), ColumnKind::Text),
    ];
    let title = match lang {
        Lang::Zh => format!("附件2：绩效评价指标评分表（{}）", card.framework_name.zh),
        Lang::En => format!("Annex 2: scoring table ({})", card.framework_name.en),
    };
    let mut table = Table::new(t(lang, "附件2评分表", "Scoring table"), title, columns);
    for r in &card.indicators {
        table.push(vec![
            Cell::Count(u64::from(r.level)),
            Cell::text_of(r.id.clone()),
            Cell::text_of(r.name.get(lang)),
            Cell::Number(r.weight),
            Cell::text_of(r.target_display(lang)),
            Cell::text_of(r.actual_display(lang)),
            Cell::text_of(r.method_display(lang)),
            Cell::Number(r.score),
            Cell::text_of(r.reason.get(lang)),
        ]);
    }
    table.push_footer(vec![
        Cell::Empty,
        Cell::Empty,
        Cell::text_of(t(lang, "合计", "Total")),
        Cell::Number(card.full),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Number(card.total),
        Cell::Text(match lang {
            Lang::Zh => format!("评价等级：{}", card.grade.zh()),
            Lang::En => format!("grade: {}", card.grade.en()),
        }),
    ]);
    table
}

/// The roster's English headers, in the order of the roster import's fields
/// ([`crate::import::RecordKind::fields`]), whose Chinese headers the roster writes.
const ROSTER_EN: [&str; 13] = [
    "Id",
    "Date",
    "Source",
    "Category",
    "Kind",
    "Household",
    "Tier",
    "Channel",
    "Amount (yuan)",
    "Unit",
    "Entered",
    "Claim",
    "Order",
];

/// The payment roster (发放花名册): one row per payment of `postings` that no reversal among
/// them reverses ([`bangfu_funding::standing_payments`]; income is not a payment), amounts in
/// yuan, with the columns the roster import reads by default.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// let ledger = bangfu_data::hainan2018::ledger_records()?;
/// let table = bangfu_office::export::roster_table(&ledger, Lang::Zh);
/// assert_eq!(table.rows.len(), 8_236);
/// assert_eq!(table.columns[8].header, "金额（元）");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn roster_table(postings: &[Posting], lang: Lang) -> Table {
    let columns = crate::import::RecordKind::Roster
        .fields()
        .iter()
        .zip(ROSTER_EN)
        .map(|((field, zh, _), en)| {
            let kind = match *field {
                "date" | "entered" => ColumnKind::Date,
                "amount" => ColumnKind::Yuan,
                _ => ColumnKind::Text,
            };
            Column::new(t(lang, zh, en), kind)
        })
        .collect();
    let mut table = Table::new(
        t(lang, "发放花名册", "Roster"),
        t(lang, "帮扶资金发放花名册", "Payment roster"),
        columns,
    );
    for d in bangfu_funding::standing_payments(postings) {
        let opt = |s: Option<String>| s.map_or(Cell::Empty, Cell::Text);
        table.push(vec![
            Cell::text_of(d.id.as_str()),
            Cell::Date(d.date),
            Cell::text_of(d.source.label(lang)),
            Cell::text_of(d.category.label(lang)),
            Cell::text_of(d.kind.label(lang)),
            Cell::text_of(d.household.as_str()),
            Cell::text_of(d.tier.label(lang)),
            Cell::text_of(d.channel.label(lang)),
            Cell::Money(d.amount),
            opt(d.unit.as_ref().map(|u| u.as_str().to_owned())),
            d.entered.map_or(Cell::Empty, Cell::Date),
            opt(d.claim.as_ref().map(|c| c.as_str().to_owned())),
            opt(d.order.clone()),
        ]);
    }
    table
}

/// The findings (核对发现): the consistency findings between stated and computed figures,
/// then the defects of the recorded payments ([`bangfu_year::PaymentFigures::defects`]).
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let table = bangfu_office::export::findings_table(&eval.findings, &eval.payments.defects, Lang::Zh);
/// assert_eq!(table.rows.len(), eval.findings.len() + eval.payments.defects.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn findings_table(findings: &[Finding], defects: &[Defect], lang: Lang) -> Table {
    let columns = vec![
        Column::new(t(lang, "类别", "Kind"), ColumnKind::Text),
        Column::new(t(lang, "代码", "Code"), ColumnKind::Text),
        Column::new(t(lang, "记录", "Record"), ColumnKind::Text),
        Column::new(t(lang, "报告所述", "Stated"), ColumnKind::Text),
        Column::new(t(lang, "记录计算", "Computed"), ColumnKind::Text),
        Column::new(t(lang, "说明", "Detail"), ColumnKind::Text),
    ];
    let mut table = Table::new(
        t(lang, "核对发现", "Findings"),
        t(
            lang,
            "数据一致性核对与发放记录核对",
            "Consistency and payment checks",
        ),
        columns,
    );
    for f in findings {
        table.push(vec![
            Cell::text_of(t(lang, "数据一致性", "consistency")),
            Cell::text_of(f.code.code()),
            Cell::text_of(f.code.label(lang)),
            Cell::text_of(f.stated_display.clone()),
            Cell::text_of(f.computed_display.clone()),
            Cell::text_of(match lang {
                Lang::Zh => f.text.zh.clone(),
                Lang::En => f.text.en.clone(),
            }),
        ]);
    }
    for d in defects {
        table.push(vec![
            Cell::text_of(d.kind.label(lang)),
            Cell::text_of(d.code.clone()),
            Cell::text_of(d.posting.clone()),
            Cell::Empty,
            Cell::Empty,
            Cell::text_of(d.detail.clone()),
        ]);
    }
    table
}

/// The decisions of the JSON Lines interface (决定): one row per output line, with the
/// request's line and id, the kind, the outcome, the household, the claim, the date, the
/// amount in yuan, and the error code and message of a line that could not be decided.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// let policy = bangfu_data::hainan2018::policy()?;
/// let decider = bangfu_year::jsonl::Decider::new(&policy)?;
/// let out = decider.decide_str("{oops\n", bangfu_aid::Explain::Off);
/// let table = bangfu_office::export::decisions_table(&out, Lang::Zh);
/// assert_eq!(table.rows[0][8], bangfu_office::table::Cell::text_of("read.syntax"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decisions_table(lines: &[OutputLine], lang: Lang) -> Table {
    let columns = vec![
        Column::new(t(lang, "行号", "Line"), ColumnKind::Count),
        Column::new(t(lang, "编号", "Id"), ColumnKind::Text),
        Column::new(t(lang, "类型", "Kind"), ColumnKind::Text),
        Column::new(t(lang, "结论", "Outcome"), ColumnKind::Text),
        Column::new(t(lang, "户号", "Household"), ColumnKind::Text),
        Column::new(t(lang, "申请编号", "Claim"), ColumnKind::Text),
        Column::new(t(lang, "日期", "Date"), ColumnKind::Date),
        Column::new(t(lang, "金额（元）", "Amount (yuan)"), ColumnKind::Yuan),
        Column::new(t(lang, "错误代码", "Error"), ColumnKind::Text),
        Column::new(t(lang, "说明", "Detail"), ColumnKind::Text),
    ];
    let mut table = Table::new(
        t(lang, "决定", "Decisions"),
        t(lang, "审核决定", "Decisions"),
        columns,
    );
    for l in lines {
        let id = l.id().map_or(Cell::Empty, Cell::text_of);
        let line = Cell::Count(l.line());
        let row = match l {
            OutputLine::Decision(d) => decision_row(line, id, &d.decision, lang),
            OutputLine::Error(e) => vec![
                line,
                id,
                e.kind.clone().map_or(Cell::Empty, Cell::Text),
                Cell::text_of(t(lang, "无法决定", "not decided")),
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::Empty,
                Cell::text_of(e.error.clone()),
                Cell::text_of(match lang {
                    Lang::Zh => format!("{}：{}", e.zh, e.message),
                    Lang::En => format!("{}: {}", e.en, e.message),
                }),
            ],
            _ => vec![line, id],
        };
        table.push(row);
    }
    for row in &mut table.rows {
        row.resize(10, Cell::Empty);
    }
    table
}

/// An aid decision's row: the household (or, for temporary aid, the worker) paid.
struct AidRow<'a> {
    category: bangfu_core::AidCategory,
    kind: bangfu_core::AidKind,
    payee: &'a str,
    claim: &'a str,
    date: bangfu_core::NaiveDate,
    amount: bangfu_core::Money,
    reasons: bangfu_aid::ReasonSet,
}

impl AidRow<'_> {
    fn cells(&self, line: Cell, id: Cell, lang: Lang) -> Vec<Cell> {
        let reasons: Vec<&str> = self.reasons.iter().map(|r| r.label(lang)).collect();
        vec![
            line,
            id,
            Cell::text_of(self.category.code()),
            Cell::text_of(self.kind.label(lang)),
            Cell::text_of(self.payee),
            Cell::text_of(self.claim),
            Cell::Date(self.date),
            Cell::Money(self.amount),
            Cell::Empty,
            Cell::Text(reasons.join(t(lang, "；", "; "))),
        ]
    }
}

fn decision_row(line: Cell, id: Cell, answer: &Answer, lang: Lang) -> Vec<Cell> {
    match answer {
        Answer::Eligibility(e) => {
            let reasons: Vec<String> = e.reasons.iter().map(|r| r.code.clone()).collect();
            vec![
                line,
                id,
                Cell::text_of("eligibility"),
                Cell::text_of(e.outcome.label(lang)),
                Cell::text_of(e.household.as_str()),
                Cell::Empty,
                Cell::Date(e.date),
                Cell::Empty,
                Cell::Empty,
                Cell::Text(
                    e.category
                        .map(|c| c.label(lang).to_owned())
                        .into_iter()
                        .chain(e.tier.map(|x| x.label(lang).to_owned()))
                        .chain(reasons)
                        .collect::<Vec<_>>()
                        .join(t(lang, "；", "; ")),
                ),
            ]
        }
        Answer::Aid(d) => match d.as_ref() {
            AidDecision::Medical(o)
            | AidDecision::Living(o)
            | AidDecision::SendingWarmth(o)
            | AidDecision::Education(o) => {
                let row = AidRow {
                    category: o.category,
                    kind: o.aid_kind,
                    payee: o.household.as_str(),
                    claim: o.claim.as_str(),
                    date: o.date,
                    amount: o.amount,
                    reasons: o.reasons,
                };
                row.cells(line, id, lang)
            }
            AidDecision::RemainingEntitlement(e) => {
                let n = &e.entitlement;
                vec![
                    line,
                    id,
                    Cell::text_of("remaining_entitlement"),
                    Cell::text_of(t(lang, "医疗救助剩余额度", "medical aid remaining")),
                    Cell::text_of(e.household.as_str()),
                    Cell::Empty,
                    Cell::Date(n.date),
                    Cell::Money(n.medical_remaining),
                    Cell::Empty,
                    Cell::Empty,
                ]
            }
            AidDecision::Temporary(o) => {
                let row = AidRow {
                    category: o.category,
                    kind: o.aid_kind,
                    payee: o.worker.as_str(),
                    claim: o.claim.as_str(),
                    date: o.date,
                    amount: o.amount,
                    reasons: o.reasons,
                };
                row.cells(line, id, lang)
            }
            _ => vec![line, id],
        },
        _ => vec![line, id],
    }
}

/// The statement as CSV or `.xlsx` (with its three native charts).
///
/// # Errors
/// [`OfficeError::Unsupported`] for another format; the writers' errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// let run = bangfu_data::hainan2018::run()?;
/// let csv = bangfu_office::export::statement(&run.statement, Lang::En, bangfu_office::Format::Csv)?;
/// assert!(String::from_utf8(csv)?.contains("1083.784139"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn statement(st: &Statement, lang: Lang, format: Format) -> Result<Vec<u8>, OfficeError> {
    let (table, charts) = statement_table(st, lang)?;
    one_table("the statement", &table, &charts, format)
}

/// The scoring table as CSV or `.xlsx`.
///
/// # Errors
/// [`OfficeError::Unsupported`] for another format; the writers' errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let csv = bangfu_office::export::scorecard(&eval.scorecard, Lang::Zh, bangfu_office::Format::Csv)?;
/// assert!(String::from_utf8(csv)?.contains("评分理由"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn scorecard(card: &Scorecard, lang: Lang, format: Format) -> Result<Vec<u8>, OfficeError> {
    one_table(
        "the scoring table",
        &scorecard_table(card, lang),
        &[],
        format,
    )
}

/// The payment roster (the disbursements of `postings`) as CSV or `.xlsx`.
///
/// # Errors
/// [`OfficeError::Unsupported`] for another format; the writers' errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let csv = bangfu_office::export::roster(year.ledger().postings(), Lang::Zh, bangfu_office::Format::Csv)?;
/// assert_eq!(String::from_utf8(csv)?.lines().count(), 8_236 + 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn roster(postings: &[Posting], lang: Lang, format: Format) -> Result<Vec<u8>, OfficeError> {
    one_table("the roster", &roster_table(postings, lang), &[], format)
}

/// The findings (consistency findings and payment defects) as CSV or `.xlsx`.
///
/// # Errors
/// [`OfficeError::Unsupported`] for another format; the writers' errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// let csv = bangfu_office::export::findings(&[], &[], Lang::Zh, bangfu_office::Format::Csv)?;
/// assert_eq!(String::from_utf8(csv)?.trim_start_matches('\u{feff}'), "类别,代码,记录,报告所述,记录计算,说明\n");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn findings(
    findings: &[Finding],
    defects: &[Defect],
    lang: Lang,
    format: Format,
) -> Result<Vec<u8>, OfficeError> {
    one_table(
        "the findings",
        &findings_table(findings, defects, lang),
        &[],
        format,
    )
}

/// The decisions of the JSON Lines interface as CSV or `.xlsx`.
///
/// # Errors
/// [`OfficeError::Unsupported`] for another format; the writers' errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// let xlsx = bangfu_office::export::decisions(&[], Lang::Zh, bangfu_office::Format::Xlsx)?;
/// assert!(xlsx.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decisions(lines: &[OutputLine], lang: Lang, format: Format) -> Result<Vec<u8>, OfficeError> {
    one_table("the decisions", &decisions_table(lines, lang), &[], format)
}

/// A what-if (政策模拟, `bangfu whatif`) as one table: the two policies (id and SHA-256) on
/// the first rows, then the total, by aid category, by fund source, by unit, by household
/// and by claim, each with its claims, those changed, and the amounts under both policies
/// and their difference (signed, in yuan).
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_data::hainan2018 as hn;
/// let w = bangfu_year::whatif::WhatIf::of_files(&hn::files(), hn::POLICY_TOML)?;
/// let table = bangfu_office::export::whatif_table(&w, Lang::En);
/// assert_eq!(table.rows.len(), 2 + 1 + w.categories.len() + w.sources.len()
///     + w.units.len() + w.households.len() + w.claims.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn whatif_table(w: &WhatIf, lang: Lang) -> Table {
    let columns = vec![
        Column::new(t(lang, "分组", "Group"), ColumnKind::Text),
        Column::new(t(lang, "名称", "Name"), ColumnKind::Text),
        Column::new(t(lang, "申请", "Claims"), ColumnKind::Count),
        Column::new(t(lang, "有变化", "Changed"), ColumnKind::Count),
        Column::new(t(lang, "基准（元）", "Baseline (yuan)"), ColumnKind::Yuan),
        Column::new(t(lang, "对比（元）", "Reform (yuan)"), ColumnKind::Yuan),
        Column::new(
            t(lang, "差额（元）", "Difference (yuan)"),
            ColumnKind::Number,
        ),
    ];
    let mut table = Table::new(
        t(lang, "政策模拟", "What-if"),
        t(lang, "政策模拟", "What-if"),
        columns,
    );
    let r = &w.receipt;
    for (group, stamp) in [
        (t(lang, "基准政策", "baseline policy"), &r.baseline),
        (t(lang, "对比政策", "reform policy"), &r.reform),
    ] {
        let mut row = vec![
            Cell::text_of(group),
            Cell::text_of(format!("{} sha256 {}", stamp.id, stamp.sha256)),
        ];
        row.resize(7, Cell::Empty);
        table.push(row);
    }
    let row = |group: &str, name: String, n: &Totals| {
        let a = &n.amounts;
        vec![
            Cell::text_of(group),
            Cell::text_of(name),
            Cell::Count(n.claims),
            Cell::Count(n.changed),
            Cell::Money(a.baseline),
            Cell::Money(a.reform),
            Cell::Number(Decimal::new(a.difference.fen(), 2)),
        ]
    };
    table.push(row(t(lang, "合计", "total"), String::new(), &w.total));
    let label = |l: &dyn Labelled| t(lang, l.zh(), l.en()).to_owned();
    for l in &w.categories {
        table.push(row(t(lang, "类别", "category"), label(&l.key), &l.totals));
    }
    for l in &w.sources {
        let name = l
            .key
            .as_ref()
            .map_or_else(|| t(lang, "未发放", "not paid").to_owned(), |s| label(s));
        table.push(row(t(lang, "资金来源", "source"), name, &l.totals));
    }
    for l in &w.units {
        table.push(row(t(lang, "单位", "unit"), l.key.to_string(), &l.totals));
    }
    for l in &w.households {
        table.push(row(
            t(lang, "户", "household"),
            l.key.to_string(),
            &l.totals,
        ));
    }
    // One claim as a line of its own.
    let one = |amounts: &bangfu_year::whatif::Amounts| Totals {
        claims: 1,
        changed: u64::from(amounts.difference != Delta::ZERO),
        amounts: *amounts,
    };
    for c in &w.claims {
        table.push(row(
            t(lang, "申请", "claim"),
            c.claim.to_string(),
            &one(&c.amounts),
        ));
    }
    // Temporary aid (临时救助): by worker (key and masked ID number), then each claim.
    for l in &w.workers {
        let masked = w
            .temporary
            .iter()
            .find(|c| c.worker == l.key)
            .map_or("", |c| c.id_number.as_str());
        table.push(row(
            t(lang, "临时救助职工", "temporary-aid worker"),
            format!("{} ({masked})", l.key),
            &l.totals,
        ));
    }
    for c in &w.temporary {
        table.push(row(
            t(lang, "临时救助申请", "temporary-aid claim"),
            c.claim.to_string(),
            &one(&c.amounts),
        ));
    }
    table
}

/// A what-if ([`whatif_table`]) as CSV or `.xlsx`.
///
/// # Errors
/// [`OfficeError::Unsupported`] for another format; the writers' errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_data::hainan2018 as hn;
/// let w = bangfu_year::whatif::WhatIf::of_files(&hn::files(), hn::POLICY_TOML)?;
/// let csv = bangfu_office::export::whatif(&w, Lang::En, bangfu_office::Format::Csv)?;
/// assert!(String::from_utf8(csv)?.contains(&w.receipt.reform.sha256));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn whatif(w: &WhatIf, lang: Lang, format: Format) -> Result<Vec<u8>, OfficeError> {
    one_table("the what-if", &whatif_table(w, lang), &[], format)
}

/// What goes into a whole-year workbook ([`workbook`]).
///
/// # Example
/// See [`workbook`].
#[derive(Debug, Clone, Copy)]
pub struct YearTables<'a> {
    /// The statement.
    pub statement: &'a Statement,
    /// The scorecard, if the year was evaluated.
    pub scorecard: Option<&'a Scorecard>,
    /// The ledger's postings (the roster is their disbursements).
    pub postings: &'a [Posting],
    /// The consistency findings.
    pub findings: &'a [Finding],
    /// The payment defects.
    pub defects: &'a [Defect],
    /// The allocation plan, the payment checks and the self-inspection, if the year was
    /// evaluated: the plan's two sheets when there is a plan, the self-inspection's when
    /// there are items.
    pub oversight: Option<&'a OversightReport>,
}

/// The reversals of the statement (冲正明细), one row each beside the posting it reverses:
/// the reversal, its date, the posting reversed and its date, the source, what it was (an
/// income kind or an aid category), the amount in yuan and the reason (quoted, digit runs
/// masked). The statement's own figures are net of them.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let table = bangfu_office::export::reversals_table(&year.statement()?, Lang::En);
/// assert!(table.rows.is_empty()); // the Hainan year reversed nothing
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn reversals_table(st: &Statement, lang: Lang) -> Table {
    let columns = [
        ("冲正编号", "Reversal", ColumnKind::Text),
        ("冲正日期", "Date", ColumnKind::Date),
        ("原记录", "Reverses", ColumnKind::Text),
        ("原记录日期", "Posted on", ColumnKind::Date),
        ("资金来源", "Source", ColumnKind::Text),
        ("类别", "Kind", ColumnKind::Text),
        ("金额（元）", "Amount (yuan)", ColumnKind::Yuan),
        ("原因", "Reason", ColumnKind::Text),
    ]
    .into_iter()
    .map(|(zh, en, kind)| Column::new(t(lang, zh, en), kind))
    .collect();
    let mut table = Table::new(
        t(lang, "冲正", "Reversals"),
        t(lang, "冲正明细", "Reversals"),
        columns,
    );
    for r in &st.reversals {
        let what = match r.reversed {
            bangfu_funding::ReversedPosting::Income { kind } => kind.label(lang),
            bangfu_funding::ReversedPosting::Disbursement { category } => category.label(lang),
        };
        table.push(vec![
            Cell::text_of(r.id.as_str()),
            Cell::Date(r.date),
            Cell::text_of(r.reverses.as_str()),
            Cell::Date(r.reversed_date),
            Cell::text_of(r.source.label(lang)),
            Cell::text_of(what),
            Cell::Money(r.amount),
            Cell::text_of(&r.reason),
        ]);
    }
    table
}

/// The year in one `.xlsx`: the statement with its charts, the reversals when there are any,
/// the scoring table, the roster and the findings, a sheet each, then the allocation plan and
/// its execution when the year has a plan, and the self-inspection when it has items.
///
/// # Errors
/// The writers' errors; [`OfficeError::Core`] on an overflowing total.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let statement = year.closed_statement()?.1;
/// let tables = bangfu_office::export::YearTables {
///     statement: &statement, scorecard: Some(&eval.scorecard), postings: year.ledger().postings(),
///     findings: &eval.findings, defects: &eval.payments.defects, oversight: Some(&eval.oversight),
/// };
/// let xlsx = bangfu_office::export::workbook(&tables, Lang::Zh)?;
/// assert!(xlsx.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn workbook(parts: &YearTables<'_>, lang: Lang) -> Result<Vec<u8>, OfficeError> {
    let (statement, charts) = statement_table(parts.statement, lang)?;
    let mut sheets: Vec<(Table, Vec<ChartSpec>)> = vec![(statement, charts)];
    if !parts.statement.reversals.is_empty() {
        sheets.push((reversals_table(parts.statement, lang), Vec::new()));
    }
    if let Some(card) = parts.scorecard {
        sheets.push((scorecard_table(card, lang), Vec::new()));
    }
    sheets.push((roster_table(parts.postings, lang), Vec::new()));
    sheets.push((
        findings_table(parts.findings, parts.defects, lang),
        Vec::new(),
    ));
    if let Some(o) = parts.oversight {
        if let Some((_, plan)) = &o.plan {
            sheets.push((allocation_table(plan, lang), Vec::new()));
            sheets.push((plan_lines_table(&o.lines, lang), Vec::new()));
        }
        if !o.items.is_empty() {
            sheets.push((inspection_table(&o.items, lang), Vec::new()));
        }
    }
    let refs: Vec<(&Table, &[ChartSpec])> = sheets.iter().map(|(t, c)| (t, c.as_slice())).collect();
    crate::xlsx::write(&refs)
}

/// The allocation plan (分配方案): a row per allocation (unit, tier, degree, aid category,
/// the cell's households, standard and demand, the source and the amount), then a row per
/// source with its funds, reserve and what it left unallocated. Amounts in yuan.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::guinan2019::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let (_, plan) = eval.oversight.plan.as_ref().ok_or("no plan")?;
/// let table = bangfu_office::export::allocation_table(plan, Lang::Zh);
/// assert_eq!(table.rows.len(), plan.allocations.len() + plan.sources.len());
/// assert_eq!(table.columns[8].header, "金额（元）");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn allocation_table(plan: &AllocationPlan, lang: Lang) -> Table {
    let columns = [
        ("建档单位", "Unit", ColumnKind::Text),
        ("档案层级", "Tier", ColumnKind::Text),
        ("困难类别", "Degree", ColumnKind::Text),
        ("救助类别", "Category", ColumnKind::Text),
        ("在档户数", "Households", ColumnKind::Count),
        ("户均标准（元）", "Standard (yuan)", ColumnKind::Yuan),
        ("需求（元）", "Demand (yuan)", ColumnKind::Yuan),
        ("资金来源", "Source", ColumnKind::Text),
        ("金额（元）", "Amount (yuan)", ColumnKind::Yuan),
    ]
    .into_iter()
    .map(|(zh, en, kind)| Column::new(t(lang, zh, en), kind))
    .collect();
    let title = match lang {
        Lang::Zh => format!("帮扶资金分配方案（按{}在档户数）", plan.basis),
        Lang::En => format!("Allocation plan (files active on {})", plan.basis),
    };
    let mut table = Table::new(t(lang, "分配方案", "Plan"), title, columns);
    for a in &plan.allocations {
        let cell = plan.cells.iter().find(|c| {
            c.unit == a.unit && c.tier == a.tier && c.degree == a.degree && c.category == a.category
        });
        table.push(vec![
            Cell::text_of(a.unit.as_str()),
            Cell::text_of(a.tier.label(lang)),
            Cell::text_of(a.degree.label(lang)),
            Cell::text_of(a.category.label(lang)),
            cell.map_or(Cell::Empty, |c| Cell::Count(c.households)),
            cell.map_or(Cell::Empty, |c| Cell::Money(c.standard)),
            cell.map_or(Cell::Empty, |c| Cell::Money(c.demand)),
            Cell::text_of(a.source.label(lang)),
            Cell::Money(a.amount),
        ]);
    }
    for s in &plan.sources {
        let note = match lang {
            Lang::Zh => format!(
                "资金{}元，预留{}元，未分配{}元",
                s.funds, s.reserve, s.unallocated
            ),
            Lang::En => format!(
                "funds {}, reserve {}, unallocated {} (yuan)",
                s.funds, s.reserve, s.unallocated
            ),
        };
        table.push_footer(vec![
            Cell::text_of(t(lang, "合计", "Total")),
            Cell::Empty,
            Cell::Empty,
            Cell::text_of(note),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::text_of(s.source.label(lang)),
            Cell::Money(s.allocated),
        ]);
    }
    table
}

/// The plan's lines against the payments (方案执行): a row per unit and aid category with
/// what the plan gives, what was paid and whether it is beyond the plan.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::guinan2019::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let table = bangfu_office::export::plan_lines_table(&eval.oversight.lines, Lang::En);
/// assert_eq!(table.rows.len(), eval.oversight.lines.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn plan_lines_table(lines: &[LineUse], lang: Lang) -> Table {
    let columns = [
        ("建档单位", "Unit", ColumnKind::Text),
        ("救助类别", "Category", ColumnKind::Text),
        ("方案（元）", "Planned (yuan)", ColumnKind::Yuan),
        ("实际发放（元）", "Paid (yuan)", ColumnKind::Yuan),
        ("执行", "Use", ColumnKind::Text),
    ]
    .into_iter()
    .map(|(zh, en, kind)| Column::new(t(lang, zh, en), kind))
    .collect();
    let mut table = Table::new(
        t(lang, "方案执行", "Plan use"),
        t(lang, "分配方案执行情况", "The plan against the payments"),
        columns,
    );
    for l in lines {
        table.push(vec![
            Cell::text_of(l.unit.as_str()),
            Cell::text_of(l.category.label(lang)),
            Cell::Money(l.planned),
            Cell::Money(l.paid),
            Cell::text_of(if l.paid > l.planned {
                t(lang, "超出方案", "beyond the plan")
            } else {
                t(lang, "方案内", "within the plan")
            }),
        ]);
    }
    table
}

/// The self-inspection items (自查整改台账): each with the day found, the problem, the records
/// concerned, the owner, the due date, its fixes and where it stands.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::guinan2019::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let table = bangfu_office::export::inspection_table(&eval.oversight.items, Lang::Zh);
/// assert_eq!(table.rows.len(), 4);
/// assert!(table.rows.iter().any(|r| r[7] == bangfu_office::table::Cell::text_of("逾期未整改")));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn inspection_table(items: &[ItemState], lang: Lang) -> Table {
    let columns = [
        ("编号", "Item", ColumnKind::Text),
        ("发现日期", "Found", ColumnKind::Date),
        ("问题", "Problem", ColumnKind::Text),
        ("涉及记录", "Records", ColumnKind::Text),
        ("责任人", "Owner", ColumnKind::Text),
        ("整改期限", "Due", ColumnKind::Date),
        ("整改情况", "Fixes", ColumnKind::Text),
        ("状态", "Status", ColumnKind::Text),
    ]
    .into_iter()
    .map(|(zh, en, kind)| Column::new(t(lang, zh, en), kind))
    .collect();
    let mut table = Table::new(
        t(lang, "自查整改", "Self-inspection"),
        t(
            lang,
            "自查自纠问题整改台账",
            "Self-inspection items and fixes",
        ),
        columns,
    );
    for s in items {
        let fixes: Vec<String> = s
            .fixes
            .iter()
            .map(|f| format!("{} {}（{}）", f.date, f.action, f.by))
            .collect();
        table.push(vec![
            Cell::text_of(s.item.id.as_str()),
            Cell::Date(s.item.date),
            Cell::text_of(s.item.problem.clone()),
            Cell::text_of(s.item.records.join(", ")),
            Cell::text_of(s.item.owner.clone()),
            Cell::Date(s.item.due),
            Cell::text_of(fixes.join("; ")),
            Cell::text_of(s.status.label(lang)),
        ]);
    }
    table
}

/// The allocation plan and its execution as CSV (the plan) or `.xlsx` (both sheets).
///
/// # Errors
/// [`OfficeError::Unsupported`] for another format; the writers' errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::guinan2019::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let (_, plan) = eval.oversight.plan.as_ref().ok_or("no plan")?;
/// let csv = bangfu_office::export::allocation(plan, &eval.oversight.lines, Lang::Zh, bangfu_office::Format::Csv)?;
/// assert!(String::from_utf8(csv)?.contains("户均标准（元）"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn allocation(
    plan: &AllocationPlan,
    lines: &[LineUse],
    lang: Lang,
    format: Format,
) -> Result<Vec<u8>, OfficeError> {
    let table = allocation_table(plan, lang);
    match format {
        Format::Xlsx => {
            let used = plan_lines_table(lines, lang);
            crate::xlsx::write(&[(&table, &[]), (&used, &[])])
        }
        other => one_table("the allocation plan", &table, &[], other),
    }
}

/// The self-inspection items as CSV or `.xlsx`.
///
/// # Errors
/// [`OfficeError::Unsupported`] for another format; the writers' errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// let csv = bangfu_office::export::inspection(&[], Lang::En, bangfu_office::Format::Csv)?;
/// assert!(String::from_utf8(csv)?.contains("Owner"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn inspection(items: &[ItemState], lang: Lang, format: Format) -> Result<Vec<u8>, OfficeError> {
    one_table(
        "the self-inspection",
        &inspection_table(items, lang),
        &[],
        format,
    )
}

/// One table in `format`.
fn one_table(
    what: &'static str,
    table: &Table,
    charts: &[ChartSpec],
    format: Format,
) -> Result<Vec<u8>, OfficeError> {
    match format {
        Format::Csv => crate::csv_out::write(table),
        Format::Xlsx => crate::xlsx::write(&[(table, charts)]),
        _ => Err(OfficeError::Unsupported { what, format }),
    }
}
