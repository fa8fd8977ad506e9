//! Tables as an `.xlsx` workbook: one sheet per table, a bold frozen header row, numbers as
//! numbers in the column's format, widths from the content, and each table's charts as
//! native Excel charts below it, referring to its cells.

use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    Chart, ChartLegendPosition, ChartSolidFill, ChartType, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Workbook, Worksheet,
};

use crate::OfficeError;
use crate::chart::{ChartKind, ChartSpec, colour};
use crate::table::{Cell, ColumnKind, Table};

/// Rows a chart takes on the sheet (320 px at 20 px a row), with a gap.
const CHART_ROWS: u32 = 17;

/// The workbook of `sheets`, each a table with its charts.
pub(crate) fn write(sheets: &[(&Table, &[ChartSpec])]) -> Result<Vec<u8>, OfficeError> {
    let mut book = Workbook::new();
    // The creation time is fixed, so that the same tables give the same bytes (and no clock
    // shows in the file).
    let created = ExcelDateTime::from_ymd(2000, 1, 1)?;
    let title = sheets.first().map_or("", |(t, _)| t.title.as_str());
    book.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_creation_datetime(&created),
    );
    for (table, charts) in sheets {
        let sheet = book.add_worksheet();
        write_sheet(sheet, table)?;
        let mut row = u32::try_from(table.rows.len())
            .unwrap_or(u32::MAX)
            .saturating_add(3);
        for spec in *charts {
            sheet.insert_chart(row, 0, &chart(table, spec))?;
            row = row.saturating_add(CHART_ROWS);
        }
    }
    Ok(book.save_to_buffer()?)
}

/// The display width of a text in Excel's character units (a CJK character is two).
fn width(s: &str) -> usize {
    s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum()
}

fn write_sheet(sheet: &mut Worksheet, table: &Table) -> Result<(), OfficeError> {
    sheet.set_name(table.sheet.as_str())?;
    let header = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(0xDDEBF7)
        .set_border(FormatBorder::Thin);
    let formats: Vec<Format> = table
        .columns
        .iter()
        .map(|c| {
            Format::new()
                .set_num_format(c.kind.xlsx_format())
                .set_border(FormatBorder::Thin)
        })
        .collect();
    let footer: Vec<Format> = formats.iter().map(|f| f.clone().set_bold()).collect();
    for (col, column) in table.columns.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, &column.header, &header)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    let mut widths: Vec<usize> = table.columns.iter().map(|c| width(&c.header)).collect();
    for (r, cells) in table.rows.iter().enumerate() {
        let row = u32::try_from(r).unwrap_or(u32::MAX).saturating_add(1);
        let formats = if r < table.body { &formats } else { &footer };
        for (c, (column, format)) in table.columns.iter().zip(formats).enumerate() {
            let Some(cell) = cells.get(c) else { continue };
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            write_cell(sheet, row, col, cell, column.kind, format)?;
            if let Some(w) = widths.get_mut(c) {
                *w = (*w).max(width(&cell.text(column.kind)));
            }
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        let chars = u32::try_from((*w).clamp(6, 60)).unwrap_or(60);
        sheet.set_column_width(col, chars.saturating_add(2))?;
    }
    Ok(())
}

/// A number for a cell: the exact decimal's nearest double (the file format's number).
fn number(d: rust_decimal::Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    kind: ColumnKind,
    format: &Format,
) -> Result<(), OfficeError> {
    match cell {
        Cell::Empty => {
            sheet.write_blank(row, col, format)?;
        }
        Cell::Text(s) => {
            sheet.write_string_with_format(row, col, s, format)?;
        }
        Cell::Date(d) => {
            use chrono::Datelike;
            let y = u16::try_from(d.year()).unwrap_or(1900);
            let m = u8::try_from(d.month()).unwrap_or(1);
            let day = u8::try_from(d.day()).unwrap_or(1);
            let date = ExcelDateTime::from_ymd(y, m, day)?;
            sheet.write_datetime_with_format(row, col, &date, format)?;
        }
        Cell::Percent(p) => {
            // The percentage as stated (96.33), shown by 0.00% from its ratio (0.9633).
            let ratio = p
                .checked_div(rust_decimal::Decimal::ONE_HUNDRED)
                .unwrap_or_default();
            sheet.write_number_with_format(row, col, number(ratio), format)?;
        }
        other => {
            let value = other.decimal(kind).map_or(0.0, number);
            sheet.write_number_with_format(row, col, value, format)?;
        }
    }
    Ok(())
}

/// A native chart over the data rows of `table`.
fn chart(table: &Table, spec: &ChartSpec) -> Chart {
    let mut chart = Chart::new(match spec.kind {
        ChartKind::Column => ChartType::Column,
        ChartKind::Stacked => ChartType::ColumnStacked,
    });
    let last = u32::try_from(table.body).unwrap_or(1).max(1);
    let sheet = table.sheet.as_str();
    let cat = u16::try_from(spec.categories).unwrap_or(0);
    for (i, col) in spec.series.iter().enumerate() {
        let col = u16::try_from(*col).unwrap_or(0);
        chart
            .add_series()
            .set_name((sheet, 0, col))
            .set_categories((sheet, 1, cat, last, cat))
            .set_values((sheet, 1, col, last, col))
            .set_format(ChartSolidFill::new().set_color(colour(i)));
    }
    chart.title().set_name(spec.title.as_str());
    chart.y_axis().set_name(spec.unit.as_str());
    if spec.series.len() > 1 {
        chart.legend().set_position(ChartLegendPosition::Bottom);
    } else {
        chart.legend().set_hidden();
    }
    chart.set_width(640).set_height(320);
    chart
}
