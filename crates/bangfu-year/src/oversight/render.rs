//! The report's annex of the oversight records (附件3), in Markdown.

use core::fmt::Write;

use std::collections::BTreeMap;

use bangfu_core::{Labelled, Lang, Money, UnitId};
use bangfu_scoring::Name;

use super::{ItemStatus, OversightReport};

/// A Markdown text being written in one language.
pub(super) struct Doc {
    pub(super) out: String,
    lang: Lang,
}

impl Doc {
    pub(super) fn new(lang: Lang) -> Doc {
        Doc {
            out: String::new(),
            lang,
        }
    }

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

    fn row(&mut self, cells: &[String]) {
        self.out.push('|');
        for c in cells {
            let _ = write!(self.out, " {} |", cell(c));
        }
        self.out.push('\n');
    }

    fn header(&mut self, zh: &[&str], en: &[&str]) {
        let names: Vec<String> = match self.lang {
            Lang::Zh => zh.iter().map(|s| (*s).to_owned()).collect(),
            Lang::En => en.iter().map(|s| (*s).to_owned()).collect(),
        };
        let rule: Vec<String> = names.iter().map(|_| "---".to_owned()).collect();
        self.row(&names);
        self.row(&rule);
    }
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

fn yuan(m: Money) -> String {
    m.to_string()
}

/// The annex: the plan, the checks, the self-inspection.
pub(super) fn annex(w: &mut Doc, r: &OversightReport, names: &BTreeMap<UnitId, Name>) {
    w.line(
        "## 附件3：分配方案、发放核查与自查自纠",
        "## Annex 3: allocation plan, payment checks and self-inspection",
    );
    w.blank();
    plan(w, r, names);
    checks(w, r);
    inspection(w, r);
}

fn plan(w: &mut Doc, r: &OversightReport, names: &BTreeMap<UnitId, Name>) {
    w.line("### （一）帮扶资金分配方案", "### 1. The allocation plan");
    w.blank();
    let Some((file, plan)) = &r.plan else {
        if r.allocation_policy {
            w.line(
                "政策规定了分配规则，但本年度目录无经集体研究审定的分配方案（allocation.toml），见“记录核查发现的问题”。",
                "The policy has allocation rules, but the year directory has no plan approved by a collective decision (allocation.toml): see the problems found in the records.",
            );
        } else {
            w.line(
                "本年度目录无分配方案记录（allocation.toml），政策亦未规定分配规则：本报告不列分配方案，也不据此评价发放。",
                "The year directory has no allocation plan (allocation.toml) and the policy has no allocation rules: this report shows no plan and judges no payment against one.",
            );
        }
        w.blank();
        return;
    };
    let m = &file.meeting;
    let lang = w.lang;
    let total = plan
        .total()
        .map_or_else(|_| "-".to_owned(), |t| t.wan().to_string());
    w.line(
        &format!(
            "分配方案经{}于{}集体研究审定（主持：{}；到会{}人：{}；会议纪要：{}），决议：“{}”。方案按{}在档户数、户均标准和各来源资金制订，各来源预留{}，分配{}万元。",
            m.kind.zh(),
            m.date,
            m.chair,
            m.present.len(),
            m.present.join("、"),
            m.minutes,
            m.resolution,
            plan.basis,
            plan.reserve_rate.percent_display(2),
            total
        ),
        &format!(
            "The plan was approved collectively by the {} on {} (chair: {}; {} present: {}; minutes: {}), resolving: “{}”. It shares each source's funds by the files active on {}, the per-household standards and the earmarks, with {} of each source kept in reserve; {} (10k yuan) allocated.",
            m.kind.en(),
            m.date,
            m.chair,
            m.present.len(),
            m.present.join(", "),
            m.minutes,
            m.resolution,
            plan.basis,
            plan.reserve_rate.percent_display(2),
            total
        ),
    );
    w.blank();
    w.header(
        &[
            "资金来源",
            "资金（元）",
            "预留（元）",
            "分配（元）",
            "未分配（元）",
        ],
        &[
            "Source",
            "Funds (yuan)",
            "Reserve (yuan)",
            "Allocated (yuan)",
            "Unallocated (yuan)",
        ],
    );
    for s in &plan.sources {
        w.row(&[
            s.source.label(lang).to_owned(),
            yuan(s.funds),
            yuan(s.reserve),
            yuan(s.allocated),
            yuan(s.unallocated),
        ]);
    }
    w.blank();
    w.header(
        &["建档单位", "类别", "方案（元）", "实际发放（元）", "执行"],
        &["Unit", "Category", "Planned (yuan)", "Paid (yuan)", "Use"],
    );
    for l in &r.lines {
        let state = if l.paid > l.planned {
            w_pick(lang, "超出方案", "beyond the plan")
        } else {
            w_pick(lang, "方案内", "within the plan")
        };
        let unit = names
            .get(&l.unit)
            .map_or_else(|| l.unit.to_string(), |n| n.get(lang).to_owned());
        w.row(&[
            unit,
            l.category.label(lang).to_owned(),
            yuan(l.planned),
            yuan(l.paid),
            state.to_owned(),
        ]);
    }
    w.blank();
}

fn w_pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn checks(w: &mut Doc, r: &OversightReport) {
    w.line("### （二）发放核查", "### 2. Payment checks");
    w.blank();
    let Some(c) = &r.checks else {
        w.line(
            "本年度目录无发放核查记录（payment-checks.jsonl），政策亦未规定回访比例：本报告不列人款一致、足额、短信告知和电话回访情况。",
            "The year directory has no payment checks (payment-checks.jsonl) and the policy sets no call-back ratio: this report shows no card match, full payment, SMS notice or call-back.",
        );
        w.blank();
        return;
    };
    let (sample_zh, sample_en) = match &c.sample {
        Some(s) => (
            format!(
                "按政策比例抽取电话回访样本{}笔，回访{}笔，其中样本确认到账{}笔",
                s.len(),
                c.called,
                c.confirmed
            ),
            format!(
                "the call-back sample drawn at the policy's ratio holds {} payments; {} payments were called, {} of the sample confirmed",
                s.len(),
                c.called,
                c.confirmed
            ),
        ),
        None => (
            "未抽取电话回访样本".to_owned(),
            "no call-back sample was drawn".to_owned(),
        ),
    };
    w.line(
        &format!(
            "全年发放{}笔，银行回单核对{}笔，其中到账卡号与档案一致（人款一致）{}笔，短信告知送达{}笔；{}。核查发现的问题见“记录核查发现的问题”（check.*）。",
            c.payments, c.checked, c.card_matches, c.notified, sample_zh
        ),
        &format!(
            "{} payments in the year, {} checked against the bank's return: {} credited to the file's card, {} SMS notices delivered; {}. What the checks found is among the problems found in the records (check.*).",
            c.payments, c.checked, c.card_matches, c.notified, sample_en
        ),
    );
    w.blank();
    let found: Vec<&bangfu_scoring::RecordIssue> = r
        .issues
        .iter()
        .filter(|i| i.code.starts_with("check."))
        .collect();
    for i in found {
        w.line(
            &format!("- [{}] {}", i.code, i.name.zh),
            &format!("- [{}] {}", i.code, i.name.en),
        );
    }
    w.blank();
}

fn inspection(w: &mut Doc, r: &OversightReport) {
    w.line(
        "### （三）自查自纠问题整改",
        "### 3. Self-inspection and fixes",
    );
    w.blank();
    if r.items.is_empty() {
        w.line(
            "本年度目录无自查自纠记录（self-inspection.jsonl）。",
            "The year directory has no self-inspection records (self-inspection.jsonl).",
        );
        w.blank();
        return;
    }
    let closed = r
        .items
        .iter()
        .filter(|i| i.status == ItemStatus::Closed)
        .count();
    let open = r.items.len() - closed;
    w.line(
        &format!(
            "截至{}，自查发现问题{}项，已整改{}项，未整改{}项（逾期的标注“逾期未整改”）：",
            r.as_of,
            r.items.len(),
            closed,
            open
        ),
        &format!(
            "On {}, the self-inspection had found {} problems, {} fixed and {} open (overdue ones marked):",
            r.as_of,
            r.items.len(),
            closed,
            open
        ),
    );
    w.blank();
    if open == 0 {
        return;
    }
    w.header(
        &[
            "编号",
            "发现日期",
            "问题",
            "涉及记录",
            "责任人",
            "整改期限",
            "整改进展",
            "状态",
        ],
        &[
            "Item",
            "Found",
            "Problem",
            "Records",
            "Owner",
            "Due",
            "Steps taken",
            "Status",
        ],
    );
    let lang = w.lang;
    for s in r.items.iter().filter(|i| i.status != ItemStatus::Closed) {
        let steps: Vec<String> = s
            .fixes
            .iter()
            .map(|f| format!("{} {}", f.date, f.action))
            .collect();
        w.row(&[
            s.item.id.to_string(),
            s.item.date.to_string(),
            s.item.problem.clone(),
            s.item.records.join(", "),
            s.item.owner.clone(),
            s.item.due.to_string(),
            steps.join("; "),
            s.status.label(lang).to_owned(),
        ]);
    }
    w.blank();
}
