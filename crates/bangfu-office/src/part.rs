//! A part of the entity (组织范围, `bangfu statement --unit ID`) as CSV or `.xlsx`: its spending
//! by source and category, and the units directly below it
//! ([`bangfu_year::rollup::PartStatement`]).

use bangfu_core::{AidCategory, Labelled, Lang};
use bangfu_year::rollup::PartStatement;

use crate::export::t;
use crate::table::{Cell, Column, ColumnKind, Table};
use crate::{Format, OfficeError};

/// The part's spending (支出): a row per source and category, the temporary aid inside
/// living aid on a row of its own when there is any (不计入合计), and the total.
///
/// # Example
/// ```
/// use bangfu_year::rollup::{PartStatement, Scope};
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let tree = bangfu_year::tree::UnitTree::from_toml(bangfu_data::hainan2018::UNITS_TOML)?;
/// let part = PartStatement::new(&year, &tree, &Scope { unit: "hainan-reclamation".parse()?, except: vec![] })?;
/// let table = bangfu_office::part::spending_table(&part, bangfu_core::Lang::En);
/// assert_eq!(table.rows.len(), part.figures.spending.len() + 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn spending_table(part: &PartStatement, lang: Lang) -> Table {
    let columns = vec![
        Column::new(t(lang, "资金来源", "Source"), ColumnKind::Text),
        Column::new(t(lang, "救助类别", "Category"), ColumnKind::Text),
        Column::new(t(lang, "支出（元）", "Spent (yuan)"), ColumnKind::Yuan),
        Column::new(t(lang, "人次", "Person-times"), ColumnKind::Count),
    ];
    let name = if lang == Lang::Zh { &part.zh } else { &part.en };
    let mut table = Table::new(t(lang, "支出", "Spending"), name.clone(), columns);
    for l in &part.figures.spending {
        table.push(vec![
            Cell::text_of(l.source.label(lang)),
            Cell::text_of(l.category.label(lang)),
            Cell::Money(l.amount),
            Cell::Count(l.person_times),
        ]);
    }
    // The campaigns counted in no category: each a row of its own, by its name.
    for c in &part.figures.campaigns {
        let name = if lang == Lang::Zh {
            &c.campaign.zh
        } else {
            &c.campaign.en
        };
        table.push(vec![
            Cell::text_of(c.source.label(lang)),
            Cell::text_of(format!(
                "{name}{}",
                t(lang, "（单列）", " (a line of its own)")
            )),
            Cell::Money(c.amount),
            Cell::Count(c.person_times),
        ]);
    }
    if part.figures.temporary_person_times > 0 {
        // Inside the living aid rows above: a line of its own, not added to the total.
        table.push(vec![
            Cell::text_of(t(
                lang,
                "其中：临时救助（未建档职工）",
                "of which: temporary aid (workers not filed)",
            )),
            Cell::text_of(AidCategory::Living.label(lang)),
            Cell::Money(part.figures.temporary),
            Cell::Count(part.figures.temporary_person_times),
        ]);
    }
    table.push_footer(vec![
        Cell::text_of(t(lang, "合计", "Total")),
        Cell::Empty,
        Cell::Money(part.figures.spent),
        Cell::Count(part.figures.person_times),
    ]);
    table
}

/// The units directly below the part (下级组织): level, files, active files, spent,
/// person-times, recoveries, findings.
pub fn units_table(part: &PartStatement, lang: Lang) -> Table {
    let columns = vec![
        Column::new(t(lang, "组织", "Unit"), ColumnKind::Text),
        Column::new(t(lang, "层级", "Level"), ColumnKind::Text),
        Column::new(t(lang, "建档", "Files"), ColumnKind::Count),
        Column::new(t(lang, "年末在档", "Active"), ColumnKind::Count),
        Column::new(t(lang, "支出（元）", "Spent (yuan)"), ColumnKind::Yuan),
        Column::new(t(lang, "人次", "Person-times"), ColumnKind::Count),
        Column::new(t(lang, "追缴（元）", "Recovered (yuan)"), ColumnKind::Yuan),
        Column::new(t(lang, "问题", "Findings"), ColumnKind::Count),
    ];
    let name = if lang == Lang::Zh { &part.zh } else { &part.en };
    let mut table = Table::new(t(lang, "下级组织", "Units"), name.clone(), columns);
    let row = |unit: String, level: &str, f: &bangfu_year::rollup::UnitFigures| {
        vec![
            Cell::text_of(unit),
            Cell::text_of(level),
            Cell::Count(f.files),
            Cell::Count(f.active),
            Cell::Money(f.spent),
            Cell::Count(f.person_times),
            Cell::Money(f.recovered),
            Cell::Count(f.findings),
        ]
    };
    for u in &part.units {
        let unit = if lang == Lang::Zh { &u.zh } else { &u.en };
        table.push(row(
            unit.clone(),
            u.level.map_or("", |l| l.label(lang)),
            &u.figures,
        ));
    }
    table.push_footer(row(t(lang, "合计", "Total").to_owned(), "", &part.figures));
    table
}

/// The part as CSV (its spending) or `.xlsx` (its spending and its units, two sheets).
///
/// # Errors
/// [`OfficeError::Unsupported`] for another format; the writers' errors.
///
/// # Example
/// ```
/// use bangfu_year::rollup::{PartStatement, Scope};
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let tree = bangfu_year::tree::UnitTree::from_toml(bangfu_data::hainan2018::UNITS_TOML)?;
/// let part = PartStatement::new(&year, &tree, &Scope { unit: "hainan-reclamation".parse()?, except: vec![] })?;
/// let csv = bangfu_office::part::part(&part, bangfu_core::Lang::En, bangfu_office::Format::Csv)?;
/// assert!(String::from_utf8(csv)?.contains("7466179.39"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn part(part: &PartStatement, lang: Lang, format: Format) -> Result<Vec<u8>, OfficeError> {
    match format {
        Format::Csv => crate::csv_out::write(&spending_table(part, lang)),
        Format::Xlsx => {
            let (spending, units) = (spending_table(part, lang), units_table(part, lang));
            crate::xlsx::write(&[(&spending, &[]), (&units, &[])])
        }
        _ => Err(OfficeError::Unsupported {
            what: "a part of the entity",
            format,
        }),
    }
}
