//! The self-evaluation report (绩效自评报告) as a web page or a Word document.
//!
//! Both are the report's own text ([`Evaluation::render`], the seed's structure 一 … 六 with
//! 附件2), with three additions in their places: the statement table (资金收支情况表) and
//! its charts at the end of 二 (the use of the funds), and the checks of the payment records
//! (发放记录核对: the findings table, consistency and payment defects) at the end of 五. A
//! report without those headings gets the additions at its end.
//!
//! - [`html`]: one self-contained file (no network: styles inline, charts as inline SVG), an
//!   A4 print stylesheet.
//! - [`docx`]: headings in Word's heading styles, 附件2 and the statement as real Word
//!   tables, the charts as PNG pictures with their names and figures in a Word table beside
//!   each; editable.

use bangfu_core::{Labelled, Lang};
use bangfu_funding::Statement;
use bangfu_year::evaluation::Evaluation;
use pulldown_cmark::Event;

use crate::chart::ChartData;
use crate::export::{findings_table, statement_table, t};
use crate::markdown;
use crate::table::Table;
use crate::{Format, OfficeError};

/// One part of the composed report.
pub(crate) enum Part<'a> {
    /// The report's own text.
    Markdown(Vec<Event<'a>>),
    /// A heading of level 3 added here.
    Heading(String),
    /// A paragraph added here.
    Paragraph(String),
    /// A table added here.
    Table(Table),
    /// The charts.
    Charts(Vec<ChartData>),
}

/// The report with its additions, in order.
pub(crate) struct Composed<'a> {
    /// The title (the report's first heading).
    pub(crate) title: String,
    /// The language.
    pub(crate) lang: Lang,
    /// The parts.
    pub(crate) parts: Vec<Part<'a>>,
}

/// The checks of the payment records: the numbers in words.
fn checks_text(evaluation: &Evaluation, lang: Lang) -> String {
    let pay = &evaluation.payments;
    let n = pay.payments.count;
    let defects = pay.defects.len();
    let unchecked = pay.not_checked.len();
    let mut kinds: Vec<String> = Vec::new();
    for d in &pay.defects {
        let label = d.kind.label(lang).to_owned();
        if !kinds.contains(&label) {
            kinds.push(label);
        }
    }
    match lang {
        Lang::Zh => {
            let mut s = format!("经逐笔核对全年{n}笔发放记录，");
            if defects == 0 {
                s.push_str("未发现违规发放");
            } else {
                s.push_str(&format!("发现违规{defects}项（{}）", kinds.join("、")));
            }
            if unchecked > 0 {
                s.push_str(&format!("；{unchecked}笔无法核对发放标准"));
            }
            s.push_str(&format!(
                "。数据一致性核对发现{}项。",
                evaluation.findings.len()
            ));
            s
        }
        Lang::En => {
            let mut s = format!("Each of the year's {n} payment records was checked: ");
            if defects == 0 {
                s.push_str("no defect was found");
            } else {
                s.push_str(&format!("{defects} defects ({})", kinds.join(", ")));
            }
            if unchecked > 0 {
                s.push_str(&format!(
                    "; the standard of {unchecked} could not be checked"
                ));
            }
            s.push_str(&format!(
                ". The consistency check found {} differences.",
                evaluation.findings.len()
            ));
            s
        }
    }
}

/// Composes the report: its Markdown, split at its level-2 headings, with the statement and
/// charts before 三 and the checks before 六.
pub(crate) fn compose<'a>(
    md: &'a str,
    evaluation: &Evaluation,
    statement: &Statement,
    lang: Lang,
) -> Result<Composed<'a>, OfficeError> {
    let mut events = markdown::parse(md);
    let title = markdown::title(&events);
    let h2 = markdown::h2_starts(&events);
    let (table, specs) = statement_table(statement, lang)?;
    let charts: Vec<ChartData> = specs.iter().map(|s| s.data(&table)).collect();
    let mut funds = vec![
        Part::Heading(table.title.clone()),
        Part::Table(table),
        Part::Charts(charts),
    ];
    let mut checks = vec![
        Part::Heading(t(lang, "发放记录核对", "Checks of the payment records").to_owned()),
        Part::Paragraph(checks_text(evaluation, lang)),
    ];
    let found = findings_table(&evaluation.findings, &evaluation.payments.defects, lang);
    if !found.rows.is_empty() {
        checks.push(Part::Table(found));
    }
    let mut parts = Vec::new();
    // 三 is the third level-2 heading, 六 the sixth.
    let (third, sixth) = (h2.get(2).copied(), h2.get(5).copied());
    match (third, sixth) {
        (Some(a), Some(b)) if a < b => {
            let tail = events.split_off(b);
            let middle = events.split_off(a);
            parts.push(Part::Markdown(events));
            parts.append(&mut funds);
            parts.push(Part::Markdown(middle));
            parts.append(&mut checks);
            parts.push(Part::Markdown(tail));
        }
        _ => {
            parts.push(Part::Markdown(events));
            parts.append(&mut funds);
            parts.append(&mut checks);
        }
    }
    Ok(Composed { title, lang, parts })
}

/// The report as one self-contained HTML page.
///
/// # Errors
/// The report's rendering errors ([`OfficeError::Evaluation`]); an overflowing total.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let statement = bangfu_data::hainan2018::run()?.statement;
/// let page = bangfu_office::report::html(&eval, &statement, Lang::Zh)?;
/// assert!(page.starts_with("<!DOCTYPE html>"));
/// assert!(page.contains("<svg") && !page.contains("http://www.w3.org/1999/xlink"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn html(
    evaluation: &Evaluation,
    statement: &Statement,
    lang: Lang,
) -> Result<String, OfficeError> {
    let md = evaluation.render(lang)?;
    let composed = compose(&md, evaluation, statement, lang)?;
    Ok(crate::html::render(&composed))
}

/// The report as a Word document (`.docx`).
///
/// # Errors
/// The report's rendering errors; the package's and the pictures' writing errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let statement = bangfu_data::hainan2018::run()?.statement;
/// let doc = bangfu_office::report::docx(&eval, &statement, Lang::Zh)?;
/// assert!(doc.starts_with(b"PK"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn docx(
    evaluation: &Evaluation,
    statement: &Statement,
    lang: Lang,
) -> Result<Vec<u8>, OfficeError> {
    let md = evaluation.render(lang)?;
    let composed = compose(&md, evaluation, statement, lang)?;
    crate::docx::render(&composed)
}

/// The report in `format`: Markdown (the report's own text), HTML or `.docx`, as bytes.
///
/// # Errors
/// [`OfficeError::Unsupported`] for JSON, CSV and `.xlsx` (the tables are in
/// [`crate::export`]); the renderers' errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_office::Format;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let statement = bangfu_data::hainan2018::run()?.statement;
/// let md = bangfu_office::report::report(&eval, &statement, Lang::Zh, Format::Md)?;
/// assert!(String::from_utf8(md)?.contains("## 一、项目概况"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn report(
    evaluation: &Evaluation,
    statement: &Statement,
    lang: Lang,
    format: Format,
) -> Result<Vec<u8>, OfficeError> {
    report_with(evaluation, statement, "", lang, format)
}

/// [`report`] with sections of Markdown added at its end (such as the campaigns' section,
/// 专项活动情况, [`bangfu_year::campaign::report_section`]), in every format: the web page
/// and the Word document carry their headings, paragraphs and tables as the report's own.
///
/// # Errors
/// As [`report`].
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_office::Format;
/// use bangfu_year::evaluation::FrameworkChoice;
/// let eval = bangfu_data::hainan2018::evaluation(FrameworkChoice::SelfEvaluation)?;
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let campaigns = bangfu_year::campaign::report_section(&year, Lang::Zh)?;
/// let statement = bangfu_data::hainan2018::run()?.statement;
/// let page = bangfu_office::report::report_with(&eval, &statement, &campaigns, Lang::Zh, Format::Html)?;
/// assert!(String::from_utf8(page)?.contains("专项活动情况"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn report_with(
    evaluation: &Evaluation,
    statement: &Statement,
    sections: &str,
    lang: Lang,
    format: Format,
) -> Result<Vec<u8>, OfficeError> {
    let mut md = evaluation.render(lang)?;
    if !sections.is_empty() {
        md.push('\n');
        md.push_str(sections);
    }
    match format {
        Format::Md => Ok(md.into_bytes()),
        Format::Html => {
            let composed = compose(&md, evaluation, statement, lang)?;
            Ok(crate::html::render(&composed).into_bytes())
        }
        Format::Docx => crate::docx::render(&compose(&md, evaluation, statement, lang)?),
        _ => Err(OfficeError::Unsupported {
            what: "the report",
            format,
        }),
    }
}

/// A document of Markdown alone (a part's report, 组织范围的报告: its heading, statement
/// and findings) as HTML or Word: its first level-1 heading is the title, its headings,
/// paragraphs, lists and tables carried as the report's are.
///
/// # Errors
/// [`OfficeError::Unsupported`] for a format other than Markdown, HTML and `.docx`; the
/// Word writer's errors.
///
/// # Example
/// ```
/// use bangfu_core::Lang;
/// use bangfu_office::Format;
/// let md = "# Report: a part\n\nThe reclamation group\n\n| a | b |\n|---|---|\n| 1 | 2 |\n";
/// let page = String::from_utf8(bangfu_office::report::markdown_document(md, Lang::En, Format::Html)?)?;
/// assert!(page.contains("The reclamation group") && page.contains("<table"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn markdown_document(md: &str, lang: Lang, format: Format) -> Result<Vec<u8>, OfficeError> {
    let events = markdown::parse(md);
    let composed = Composed {
        title: markdown::title(&events),
        lang,
        parts: vec![Part::Markdown(events)],
    };
    match format {
        Format::Md => Ok(md.as_bytes().to_vec()),
        Format::Html => Ok(crate::html::render(&composed).into_bytes()),
        Format::Docx => crate::docx::render(&composed),
        _ => Err(OfficeError::Unsupported {
            what: "a report",
            format,
        }),
    }
}
