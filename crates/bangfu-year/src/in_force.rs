//! What a policy file has in force on a date (`bangfu policy check`): every parameter with its
//! value, effective date and citation (现行参数一览).

use bangfu_core::{Citation, CitationId, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::input::InputError;
use crate::{Policy, PolicyMeta};

/// One parameter in force on a date: its path in the file, its value, the date it came into
/// force and its citation.
///
/// # Example
/// See [`in_force`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InForceRow {
    /// The parameter's path, such as `aid.medical.yearly_cap` or
    /// `eligibility.exclusions[multiple_homes]`.
    pub parameter: String,
    /// The value, written as in the file (strings without quotes).
    pub value: String,
    /// The day the value came into force; none for undated entries (degree tables).
    #[serde(with = "bangfu_core::iso_date::option")]
    pub from: Option<NaiveDate>,
    /// The citation id; none for values without one.
    pub cite: Option<String>,
    /// False when the parameter has no value in force on the date (its first value is later).
    pub in_force: bool,
}

/// What a policy file has in force on a date: every parameter's value, effective date and
/// citation, and the citations they use.
///
/// # Example
/// See [`in_force`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InForce {
    /// The file's header.
    pub meta: PolicyMeta,
    /// The date.
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// Whether the date was chosen by default (the newest `from` in the file).
    pub default_date: bool,
    /// Every parameter, by path (a dated list keeps its file order).
    pub rows: Vec<InForceRow>,
    /// The citations the rows in force use, by id.
    pub citations: Vec<(CitationId, Citation)>,
}

fn date_of(v: &toml::Value) -> Option<NaiveDate> {
    match v {
        toml::Value::String(s) => s.parse().ok(),
        toml::Value::Datetime(d) => d.to_string().parse().ok(),
        _ => None,
    }
}

fn render(v: &toml::Value) -> String {
    match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Array(a) => {
            format!("[{}]", a.iter().map(render).collect::<Vec<_>>().join(", "))
        }
        toml::Value::Table(t) => format!("{{ {} }}", render_fields(t, &[])),
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
    }
}

fn render_fields(t: &toml::Table, skip: &[&str]) -> String {
    t.iter()
        .filter(|(k, _)| !skip.contains(&k.as_str()))
        .map(|(k, v)| format!("{k} = {}", render(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn is_table_list(v: &toml::Value) -> bool {
    matches!(v, toml::Value::Array(a) if !a.is_empty() && a.iter().all(toml::Value::is_table))
}

fn cite_of(t: &toml::Table) -> Option<String> {
    t.get("cite")
        .and_then(toml::Value::as_str)
        .map(str::to_owned)
}

struct Walk {
    date: NaiveDate,
    rows: Vec<InForceRow>,
}

impl Walk {
    fn row(
        &mut self,
        parameter: String,
        value: String,
        from: Option<NaiveDate>,
        cite: Option<String>,
        in_force: bool,
    ) {
        self.rows.push(InForceRow {
            parameter,
            value,
            from,
            cite,
            in_force,
        });
    }

    /// A value in force: scalars on one row, lists of tables (a scheme's bands) one row each.
    fn value(
        &mut self,
        path: &str,
        v: &toml::Value,
        from: Option<NaiveDate>,
        cite: Option<String>,
    ) {
        match v {
            toml::Value::Table(t) if t.values().any(is_table_list) => {
                let plain: toml::Table = t
                    .iter()
                    .filter(|(_, v)| !is_table_list(v))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect();
                self.row(
                    path.to_owned(),
                    render_fields(&plain, &["cite"]),
                    from,
                    cite.clone(),
                    true,
                );
                for (k, list) in t.iter().filter(|(_, v)| is_table_list(v)) {
                    for (i, el) in list.as_array().into_iter().flatten().enumerate() {
                        let own = el.as_table().and_then(cite_of).or_else(|| cite.clone());
                        let sub = match el {
                            toml::Value::Table(et) => {
                                let mut et = et.clone();
                                et.remove("cite");
                                toml::Value::Table(et)
                            }
                            other => other.clone(),
                        };
                        self.value(&format!("{path}.{k}[{i}]"), &sub, from, own);
                    }
                }
            }
            toml::Value::Table(t) => {
                self.row(
                    path.to_owned(),
                    render_fields(t, &["cite"]),
                    from,
                    cite,
                    true,
                );
            }
            // A list of tables (school age bands, documents by condition): one row each.
            toml::Value::Array(list) if is_table_list(v) => {
                for (i, el) in list.iter().enumerate() {
                    self.value(&format!("{path}[{i}]"), el, from, cite.clone());
                }
            }
            other => self.row(path.to_owned(), render(other), from, cite, true),
        }
    }

    fn walk(&mut self, path: &str, v: &toml::Value) {
        match v {
            toml::Value::Table(t) if t.contains_key("cite") && !t.contains_key("from") => {
                // An undated, cited table: a degree of the aid section.
                self.row(
                    path.to_owned(),
                    render_fields(t, &["cite"]),
                    None,
                    cite_of(t),
                    true,
                );
            }
            toml::Value::Table(t) => {
                for (k, child) in t {
                    let sub = if path.is_empty() {
                        k.clone()
                    } else {
                        format!("{path}.{k}")
                    };
                    self.walk(&sub, child);
                }
            }
            toml::Value::Array(a)
                if is_table_list(v)
                    && a.iter()
                        .all(|e| e.as_table().is_some_and(|t| t.contains_key("from"))) =>
            {
                let entries: Vec<&toml::Table> =
                    a.iter().filter_map(toml::Value::as_table).collect();
                let timeline = entries.iter().all(|t| t.contains_key("value"));
                if timeline {
                    let current = entries
                        .iter()
                        .filter_map(|t| t.get("from").and_then(date_of).map(|d| (d, *t)))
                        .filter(|(d, _)| *d <= self.date)
                        .max_by_key(|(d, _)| *d);
                    match (current, entries.first()) {
                        (Some((from, t)), _) => {
                            if let Some(value) = t.get("value") {
                                self.value(path, value, Some(from), cite_of(t));
                            }
                        }
                        (None, Some(first)) => {
                            let from = first.get("from").and_then(date_of);
                            self.row(
                                path.to_owned(),
                                "(not yet in force)".into(),
                                from,
                                cite_of(first),
                                false,
                            );
                        }
                        (None, None) => {}
                    }
                } else {
                    // A dated list (exclusions): each entry in force from its own date.
                    for (i, t) in entries.iter().enumerate() {
                        let Some(from) = t.get("from").and_then(date_of) else {
                            continue;
                        };
                        let ended = t
                            .get("until")
                            .and_then(date_of)
                            .is_some_and(|u| u < self.date);
                        if from > self.date || ended {
                            continue;
                        }
                        let label = t
                            .get("id")
                            .and_then(toml::Value::as_str)
                            .map_or_else(|| i.to_string(), str::to_owned);
                        self.row(
                            format!("{path}[{label}]"),
                            render_fields(t, &["from", "until", "cite", "id"]),
                            Some(from),
                            cite_of(t),
                            true,
                        );
                    }
                }
            }
            other => self.row(path.to_owned(), render(other), None, None, true),
        }
    }
}

fn newest_from(v: &toml::Value, newest: &mut Option<NaiveDate>) {
    match v {
        toml::Value::Table(t) => {
            if let Some(d) = t.get("from").and_then(date_of) {
                *newest = Some(newest.map_or(d, |n| n.max(d)));
            }
            t.values().for_each(|c| newest_from(c, newest));
        }
        toml::Value::Array(a) => a.iter().for_each(|c| newest_from(c, newest)),
        _ => {}
    }
}

/// Validates a policy file and lists what it has in force on `on`; without a date, on the
/// newest `from` date in the file (the day its latest value takes effect, so every newest
/// value shows).
///
/// # Errors
/// The [`InputError`] of [`Policy::from_toml`], with the line of the problem.
///
/// # Example
/// ```
/// let t = bangfu_year::in_force::in_force(bangfu_data::example2020::POLICY_TOML, bangfu_core::NaiveDate::from_ymd_opt(2021, 6, 1))?;
/// let cap = t.rows.iter().find(|r| r.parameter == "aid.medical.yearly_cap").unwrap();
/// assert_eq!((cap.value.as_str(), cap.from.unwrap().to_string().as_str()), ("20000.00", "2020-01-01"));
/// assert!(t.render_text().contains("| aid.medical.yearly_cap | 20000.00 | 2020-01-01 | aid.assumed.example.medical |"));
/// let newest = bangfu_year::in_force::in_force(bangfu_data::example2020::POLICY_TOML, None)?;
/// assert!(newest.default_date);
/// assert!(newest.rows.iter().any(|r| r.parameter == "aid.medical.yearly_cap" && r.value == "30000.00"));
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn in_force(text: &str, on: Option<NaiveDate>) -> Result<InForce, InputError> {
    let policy = Policy::from_toml(text)?;
    let table: toml::Table = crate::input::parse_toml(text)?;
    let root = toml::Value::Table(table);
    let mut newest = None;
    newest_from(&root, &mut newest);
    let default_date = on.is_none();
    let date = on.or(newest).unwrap_or_default();
    let mut walk = Walk {
        date,
        rows: Vec::new(),
    };
    if let toml::Value::Table(t) = &root {
        for (k, v) in t
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "meta" | "citations"))
        {
            walk.walk(k, v);
        }
    }
    let mut citations: Vec<(CitationId, Citation)> = Vec::new();
    for cite in walk
        .rows
        .iter()
        .filter(|r| r.in_force)
        .filter_map(|r| r.cite.as_deref())
    {
        if citations.iter().any(|(id, _)| id.as_str() == cite) {
            continue;
        }
        if let Some((id, c)) = policy.citations.iter().find(|(id, _)| id.as_str() == cite) {
            citations.push((id.clone(), c.clone()));
        }
    }
    citations.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(InForce {
        meta: policy.meta,
        date,
        default_date,
        rows: walk.rows,
        citations,
    })
}

impl InForce {
    /// A readable report: the header, a table of every parameter (path, value, in force
    /// from, citation), then the citations used.
    pub fn render_text(&self) -> String {
        use std::fmt::Write;
        let mut out = String::new();
        let m = &self.meta;
        let _ = writeln!(
            out,
            "policy {} {}: {}",
            m.jurisdiction, m.version, m.name_zh
        );
        let _ = writeln!(out, "  {}", m.name_en);
        let _ = writeln!(out, "valid: every value read, dated and cited");
        let how = if self.default_date {
            " (default: the newest `from` in the file; choose another with --on DATE)"
        } else {
            ""
        };
        let _ = writeln!(out, "in force on {}{how}:\n", self.date);
        let _ = writeln!(out, "| parameter | value | from | cite |");
        let _ = writeln!(out, "|---|---|---|---|");
        for r in &self.rows {
            let from = r.from.map_or_else(|| "—".to_owned(), |d| d.to_string());
            let cite = r.cite.as_deref().unwrap_or("—");
            let value = r.value.replace('|', "\\|");
            let _ = writeln!(out, "| {} | {value} | {from} | {cite} |", r.parameter);
        }
        let _ = writeln!(out, "\ncitations:");
        for (id, c) in &self.citations {
            let section = c
                .section
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default();
            // An assumed value's note says why it was chosen: show it.
            let assumed = match (&c.note, c.assumed) {
                (Some(note), true) => format!(" [assumed: {note}]"),
                (None, true) => " [assumed]".to_owned(),
                _ => String::new(),
            };
            let _ = writeln!(out, "  {id}: {}{section}{assumed}", c.document);
        }
        out
    }
}

/// The sections of the parameter table, in order, each with its Chinese and English title: a
/// row goes under the first section whose path it is under.
const SECTIONS: &[(&str, &str, &str)] = &[
    ("meta", "政策信息", "Policy"),
    ("funding", "资金来源与使用规则", "Funding"),
    ("eligibility", "建档条件", "Eligibility"),
    (
        "aid.medical",
        "医疗救助（封顶范围：按人或按户）",
        "Medical aid (cap scope: per person or per household)",
    ),
    ("aid.living", "生活救助", "Living aid"),
    ("aid.education", "助学救助", "Education aid"),
    ("aid.sending_warmth", "两节送温暖", "Sending warmth"),
    ("aid.temporary", "临时救助", "Temporary aid"),
    ("aid", "其他救助参数", "Other aid parameters"),
    ("allocation", "分配方案", "Allocation plan"),
    ("payment_checks", "发放核查", "Payment checks"),
    ("scoring", "绩效评价", "Performance evaluation"),
];

/// Whether `path` is `section` or under it.
fn under(path: &str, section: &str) -> bool {
    path.strip_prefix(section)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('.') || rest.starts_with('['))
}

/// A policy file's sections in `lang` (政策分项一览), as `bangfu policy show NAME --sections`
/// lists them, in Markdown: the minimum living standard per city with every dated value, then
/// the parameters in force on the file's newest date, section by section (funding,
/// eligibility, each aid kind — medical with its cap's scope, temporary aid —, the allocation
/// plan, the payment checks, scoring), then each campaign with its id or kind, window, rules,
/// amounts and sources. Each row's path, value, date and citation are the file's own.
///
/// # Errors
/// The [`InputError`] of [`Policy::from_toml`], with the line of the problem.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// let zh = bangfu_year::in_force::sections(bangfu_data::hubei2023::POLICY_TOML, Lang::Zh)?;
/// assert!(zh.contains("## 临时救助") && zh.contains("| 420100（本政策城市） | 2023-01-01 | 940.00 |"));
/// let en = bangfu_year::in_force::sections(bangfu_data::hubei2023::POLICY_TOML, Lang::En)?;
/// assert!(en.contains("## Temporary aid"));
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn sections(text: &str, lang: bangfu_core::Lang) -> Result<String, InputError> {
    use bangfu_core::Labelled;
    use std::fmt::Write;
    let policy = Policy::from_toml(text)?;
    let table = in_force(text, None)?;
    let zh = lang == bangfu_core::Lang::Zh;
    let t = |z: &'static str, e: &'static str| if zh { z } else { e };
    let m = &policy.meta;
    let mut out = String::new();
    let name = if zh { &m.name_zh } else { &m.name_en };
    let _ = writeln!(out, "# {name}\n");
    let _ = writeln!(
        out,
        "{}: {} {} · {}: {}\n",
        t("政策", "Policy"),
        m.jurisdiction,
        m.version,
        t("参数现行日期", "Parameters in force on"),
        table.date
    );
    let _ = writeln!(
        out,
        "## {}\n\n| {} | {} | {} | {} |\n|---|---|---|---|",
        t(
            "最低生活保障标准（按城市、按日期）",
            "Local minimum living standard (per city, dated)"
        ),
        t("城市", "City"),
        t("起始日期", "From"),
        t("标准（元/月）", "Standard (yuan a month)"),
        t("出处", "Cite"),
    );
    let standard = &policy.minimum_living_standard;
    for (city, timeline) in &standard.cities {
        let own = if *city == standard.city {
            t("（本政策城市）", " (the policy's city)")
        } else {
            ""
        };
        for d in timeline.entries() {
            let _ = writeln!(
                out,
                "| {city}{own} | {} | {} | {} |",
                d.from, d.value, d.cite
            );
        }
    }
    out.push('\n');
    let mut done = vec![false; table.rows.len()];
    for (section, title_zh, title_en) in SECTIONS {
        let rows: Vec<usize> = table
            .rows
            .iter()
            .enumerate()
            .filter(|(i, r)| {
                !done.get(*i).copied().unwrap_or(true)
                    && under(&r.parameter, section)
                    && !under(&r.parameter, "campaigns")
                    && !under(&r.parameter, "minimum_living_standard")
            })
            .map(|(i, _)| i)
            .collect();
        if rows.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "## {}\n\n| {} | {} | {} | {} |\n|---|---|---|---|",
            if zh { title_zh } else { title_en },
            t("参数", "Parameter"),
            t("取值", "Value"),
            t("起始日期", "From"),
            t("出处", "Cite"),
        );
        for i in rows {
            if let (Some(r), Some(seen)) = (table.rows.get(i), done.get_mut(i)) {
                *seen = true;
                let from = r.from.map_or_else(|| "—".to_owned(), |d| d.to_string());
                let _ = writeln!(
                    out,
                    "| {} | {} | {from} | {} |",
                    r.parameter,
                    r.value.replace('|', "\\|"),
                    r.cite.as_deref().unwrap_or("—")
                );
            }
        }
        out.push('\n');
    }
    if !policy.campaigns.is_empty() {
        let _ = writeln!(
            out,
            "## {}\n\n| {} | {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|---|",
            t("专项活动", "Campaigns"),
            t("活动", "Campaign"),
            t("编号或类型", "Id or kind"),
            t("活动期", "Window"),
            t("对象", "Eligible"),
            t("每笔最高（元）", "Most a payment (yuan)"),
            t("每户最高（元）", "Most a household (yuan)"),
            t("预算（元）", "Budget (yuan)"),
            t("资金来源", "Sources"),
        );
        let money =
            |m: Option<bangfu_core::Money>| m.map_or_else(|| "—".to_owned(), |m| m.to_string());
        for c in &policy.campaigns {
            let eligible: Vec<&str> = c.eligible.iter().map(|e| e.label(lang)).collect();
            let sources: Vec<&str> = c.sources.iter().map(|s| s.label(lang)).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} – {} | {} | {} | {} | {} | {} |",
                c.name(lang),
                crate::campaign::CampaignRef::of_campaign(c),
                c.from,
                c.until,
                eligible.join("、"),
                money(c.max_amount),
                money(c.per_household),
                money(c.budget),
                sources.join("、"),
            );
        }
        out.push('\n');
    }
    Ok(out)
}
