//! Rendering the statement as a text table in 万元, the way the seed reports it.

use core::fmt::Write;

use bangfu_core::{AidCategory, Labelled, Lang, Money};

use crate::statement::line_of;
use crate::{
    CarryoverStatus, CategoryLine, IncomeComponent, IncomeKind, RateFigure, ReversedPosting,
    Statement,
};

fn pct(r: Option<RateFigure>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| r.percent.to_string())
}

fn wan(m: Money) -> String {
    m.wan().to_string()
}

/// The figures of one row of the table: a source or the totals.
struct RowFigures<'a> {
    budget: Option<Money>,
    income: Money,
    spending: &'a [CategoryLine],
    spent: Money,
    person_times: u64,
    balance: Money,
    arrival: Option<RateFigure>,
    execution: Option<RateFigure>,
}

impl RowFigures<'_> {
    /// The Markdown row, amounts in 万元.
    fn row(&self, label: &str, categories: &[AidCategory]) -> String {
        let mut cells = vec![
            label.to_owned(),
            self.budget.map_or_else(|| "—".to_owned(), wan),
            wan(self.income),
        ];
        for &c in categories {
            let line = line_of(self.spending, c);
            cells.push(wan(line.amount));
            cells.push(line.person_times.to_string());
        }
        cells.extend([
            wan(self.spent),
            self.person_times.to_string(),
            wan(self.balance),
            pct(self.arrival),
            pct(self.execution),
        ]);
        format!("| {} |", cells.join(" | "))
    }
}

/// One income component in the text: kind, amount in 万元, the households of a recovery and
/// what reversals took back.
fn component_text(c: &IncomeComponent, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    let households = match (c.kind == IncomeKind::Recovery && c.households > 0, zh) {
        (false, _) => String::new(),
        (true, true) => format!("（{}户）", c.households),
        (true, false) => format!(" ({} households)", c.households),
    };
    let reversed = match (c.reversed.is_none(), zh) {
        (true, _) => String::new(),
        (false, true) => format!(
            "（已冲正{}笔 {}）",
            c.reversed.postings,
            wan(c.reversed.amount)
        ),
        (false, false) => format!(
            " ({} reversed: {})",
            c.reversed.postings,
            wan(c.reversed.amount)
        ),
    };
    format!(
        "{} {}{}{}",
        c.kind.label(lang),
        wan(c.amount),
        households,
        reversed
    )
}

impl Statement {
    /// The statement as a Markdown text table with amounts in 万元, in Chinese or English.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Lang, Money, Year};
    /// use bangfu_funding::{Budget, FundSource, Statement};
    /// let year = Year::new(2018)?;
    /// let budget = Budget::new(year, [(FundSource::CentralFiscal, Money::parse_wan("270")?)])?;
    /// let s = Statement::from_postings(year, &[], &budget, None, Default::default())?;
    /// assert!(s.render_text(Lang::Zh).contains("中央财政"));
    /// assert!(s.render_text(Lang::En).contains("central fiscal funds"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render_text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = |z: &'static str, e: &'static str| if zh { z } else { e };
        let mut out = String::new();
        let cats = [
            AidCategory::Living,
            AidCategory::Medical,
            AidCategory::Education,
        ];
        let _ = writeln!(
            out,
            "{}",
            if zh {
                format!("# {}年度帮扶资金收支情况（单位：万元）", self.year)
            } else {
                format!(
                    "# Aid fund income and spending, {} (unit: 10,000 yuan)",
                    self.year
                )
            }
        );
        let _ = writeln!(out);
        let mut header = vec![
            t("资金来源", "Source"),
            t("预算", "Budget"),
            t("收入", "Income"),
        ];
        for c in cats {
            header.push(c.label(lang));
            header.push(t("人次", "times"));
        }
        header.extend([
            t("支出合计", "Spent"),
            t("人次合计", "Person-times"),
            t("结余", "Balance"),
            t("到位率", "Arrival"),
            t("执行率", "Execution"),
        ]);
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
        for l in &self.sources {
            let figures = RowFigures {
                budget: l.budget,
                income: l.income,
                spending: &l.spending,
                spent: l.spent,
                person_times: l.person_times,
                balance: l.balance,
                arrival: l.arrival_rate,
                execution: l.execution_rate,
            };
            let _ = writeln!(out, "{}", figures.row(l.source.label(lang), &cats));
        }
        let tot = &self.totals;
        let figures = RowFigures {
            budget: Some(tot.budget),
            income: tot.income,
            spending: &tot.spending,
            spent: tot.spent,
            person_times: tot.person_times,
            balance: tot.balance,
            arrival: tot.arrival_rate,
            execution: tot.execution_rate,
        };
        let _ = writeln!(out, "{}", figures.row(t("合计", "Total"), &cats));
        let _ = writeln!(out);
        self.render_campaigns(&mut out, lang);

        let _ = writeln!(out, "{}", t("收入构成：", "Income by kind:"));
        for l in &self.sources {
            let parts: Vec<String> = l
                .income_components
                .iter()
                .map(|c| component_text(c, lang))
                .collect();
            let _ = writeln!(
                out,
                "- {} {}: {}",
                l.source.label(lang),
                wan(l.income),
                parts.join(t("；", "; "))
            );
        }
        let _ = writeln!(out);
        self.render_reversals(&mut out, lang);
        let _ = writeln!(
            out,
            "{}{}{}{}{}",
            t("资金到位率：", "Arrival rate: "),
            pct(tot.arrival_rate),
            t("（按100 %封顶：", " (capped at 100 %: "),
            pct(tot.arrival_rate_capped),
            t("）", ")")
        );
        let _ = writeln!(
            out,
            "{}{}",
            t("预算执行率：", "Execution rate: "),
            pct(tot.execution_rate)
        );
        for l in &self.sources {
            if l.balance.is_zero() {
                continue;
            }
            let status = match &l.carryover {
                Some(CarryoverStatus::Approved { approval }) => {
                    if zh {
                        format!("经批复结转（{}，{}）", approval.reference, approval.date)
                    } else {
                        format!(
                            "carried forward with approval ({}, {})",
                            approval.reference, approval.date
                        )
                    }
                }
                Some(CarryoverStatus::Automatic) => t("自动结转", "carried forward").to_owned(),
                Some(CarryoverStatus::Unapproved) => {
                    t("未经批复", "NOT approved for carry-over").to_owned()
                }
                Some(CarryoverStatus::Nothing) | None => t("未结算", "not closed").to_owned(),
            };
            let _ = writeln!(
                out,
                "{}{} {} {}，{}",
                t("结余：", "Balance: "),
                l.source.label(lang),
                wan(l.balance),
                t("万元", "(10,000 yuan)"),
                status
            );
        }
        out
    }

    /// The campaigns' lines (专项活动), each with the category it also counts in or as a line
    /// of its own; nothing when there are none.
    fn render_campaigns(&self, out: &mut String, lang: Lang) {
        if self.totals.campaigns.is_empty() {
            return;
        }
        let zh = lang == Lang::Zh;
        let t = |z: &'static str, e: &'static str| if zh { z } else { e };
        let _ = writeln!(out, "{}", t("专项活动：", "Campaigns:"));
        for c in &self.totals.campaigns {
            let place = match c.counted_in {
                Some(cat) => format!(
                    "{}{}{}",
                    t("（含在", " (inside "),
                    cat.label(lang),
                    t("中）", ")")
                ),
                None => t(
                    "（单列，不含在任何救助类别中）",
                    " (a line of its own, in no category)",
                )
                .to_owned(),
            };
            let _ = writeln!(
                out,
                "- {}{place}: {} {}, {} {}",
                c.name(lang),
                wan(c.amount),
                t("万元", "10,000 yuan"),
                c.person_times,
                t("人次", "person-times"),
            );
        }
        let _ = writeln!(out);
    }

    /// The reversals (冲正明细), each beside the posting it reverses; nothing when there are
    /// none. The figures of the table above are net of them.
    fn render_reversals(&self, out: &mut String, lang: Lang) {
        if self.reversals.is_empty() {
            return;
        }
        let zh = lang == Lang::Zh;
        let t = |z: &'static str, e: &'static str| if zh { z } else { e };
        let _ = writeln!(
            out,
            "{}",
            t(
                "冲正明细（上表金额与人次已扣除）：",
                "Reversals (the figures above are net of them):"
            )
        );
        let _ = writeln!(out);
        let header = [
            t("冲正编号", "Reversal"),
            t("日期", "Date"),
            t("原记录", "Reverses"),
            t("原日期", "Of"),
            t("资金来源", "Source"),
            t("类别", "Kind"),
            t("金额（元）", "Amount (yuan)"),
            t("原因", "Reason"),
        ];
        let _ = writeln!(out, "| {} |", header.join(" | "));
        let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
        for r in &self.reversals {
            let what = match r.reversed {
                ReversedPosting::Income { kind } => kind.label(lang),
                ReversedPosting::Disbursement { category } => category.label(lang),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                r.id,
                r.date,
                r.reverses,
                r.reversed_date,
                r.source.label(lang),
                what,
                r.amount,
                r.reason.replace('|', "/")
            );
        }
        let _ = writeln!(out);
    }
}
