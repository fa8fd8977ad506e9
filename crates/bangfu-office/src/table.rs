//! The tables of the exports (表格): a sheet name, columns with their kind of number, and
//! rows of typed cells. The CSV and `.xlsx` writers render any table the same way; the
//! builders in [`crate::export`] make the tables of the statement, the scoring table, the
//! roster, the findings and the decisions.

use bangfu_core::{Money, NaiveDate};
use rust_decimal::Decimal;

/// What a column holds, which decides its number format (数字格式).
///
/// ```
/// use bangfu_office::table::ColumnKind;
/// assert_eq!(ColumnKind::Wan.xlsx_format(), "General");
/// assert_eq!(ColumnKind::Yuan.xlsx_format(), "0.00");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Text.
    Text,
    /// Money in yuan (元), two decimals (`800.00`).
    Yuan,
    /// Money in 万元, written as the seed writes it, without trailing zeros (`1125.074864`,
    /// `32`): Excel's `General` format shows exactly that.
    Wan,
    /// A count (笔数, 人次, 户数).
    Count,
    /// A percentage, rounded as the statement states it (`96.33 %`).
    Percent,
    /// A decimal number (a weight, a score).
    Number,
    /// A date.
    Date,
    /// Figures of different kinds already written as a document shows them (a transposed
    /// table's columns), right-aligned.
    Figures,
}

impl ColumnKind {
    /// The Excel number format of the column.
    pub const fn xlsx_format(self) -> &'static str {
        match self {
            ColumnKind::Text | ColumnKind::Figures => "@",
            ColumnKind::Yuan => "0.00",
            ColumnKind::Wan | ColumnKind::Number => "General",
            ColumnKind::Count => "0",
            ColumnKind::Percent => "0.00%",
            ColumnKind::Date => "yyyy-mm-dd",
        }
    }
}

/// A column: its header and what it holds.
///
/// ```
/// use bangfu_office::table::{Column, ColumnKind};
/// let c = Column::new("收入（万元）", ColumnKind::Wan);
/// assert_eq!(c.header, "收入（万元）");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The header.
    pub header: String,
    /// The kind.
    pub kind: ColumnKind,
}

impl Column {
    /// A column.
    pub fn new(header: impl Into<String>, kind: ColumnKind) -> Column {
        Column {
            header: header.into(),
            kind,
        }
    }
}

/// One cell. Money is exact; how it is shown (万元 or yuan) is the column's kind.
///
/// ```
/// use bangfu_office::table::{Cell, ColumnKind};
/// let c = Cell::Money(bangfu_core::Money::parse_wan("32")?);
/// assert_eq!(c.text(ColumnKind::Wan), "32");
/// assert_eq!(c.text(ColumnKind::Yuan), "320000.00");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// Money.
    Money(Money),
    /// A count.
    Count(u64),
    /// A percentage (the number of percent: `96.33`).
    Percent(Decimal),
    /// A decimal number.
    Number(Decimal),
    /// A date.
    Date(NaiveDate),
}

impl Cell {
    /// A text cell.
    pub fn text_of(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }

    /// The cell as text, the way CSV writes it: money in the column's unit, exact;
    /// percentages as the number of percent.
    pub fn text(&self, kind: ColumnKind) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Money(m) if kind == ColumnKind::Wan => m.wan().to_string(),
            Cell::Money(m) => m.to_string(),
            Cell::Count(n) => n.to_string(),
            Cell::Percent(p) => p.to_string(),
            Cell::Number(d) => d.normalize().to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }

    /// The cell as a document shows it (the report's HTML and Word tables): as
    /// [`Cell::text`], with a percentage written as the statement writes it (`96.33 %`).
    pub fn display(&self, kind: ColumnKind) -> String {
        match self {
            Cell::Percent(p) => format!("{p} %"),
            other => other.text(kind),
        }
    }

    /// The cell as an exact decimal in the column's unit (万元 or yuan for money, the
    /// number of percent for a percentage), when it is a number.
    pub fn decimal(&self, kind: ColumnKind) -> Option<Decimal> {
        match self {
            Cell::Money(m) if kind == ColumnKind::Wan => Some(Decimal::new(m.fen(), 6)),
            Cell::Money(m) => Some(Decimal::new(m.fen(), 2)),
            Cell::Count(n) => Some(Decimal::from(*n)),
            Cell::Percent(p) | Cell::Number(p) => Some(*p),
            _ => None,
        }
    }
}

/// A table: the sheet's name, a title, the columns, the rows; `body` rows are data and the
/// rows after them (a total) are not charted.
///
/// ```
/// use bangfu_office::table::{Cell, Column, ColumnKind, Table};
/// let mut t = Table::new("表", "标题", vec![Column::new("人次", ColumnKind::Count)]);
/// t.push(vec![Cell::Count(3)]);
/// assert_eq!((t.rows.len(), t.body), (1, 1));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The sheet's name (at most 31 characters, none of `[]:*?/\`).
    pub sheet: String,
    /// The title (the CSV writes none; the report shows it).
    pub title: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, each as long as the columns.
    pub rows: Vec<Vec<Cell>>,
    /// How many rows are data (the rest, such as a total, follow them).
    pub body: usize,
}

impl Table {
    /// An empty table.
    pub fn new(sheet: impl Into<String>, title: impl Into<String>, columns: Vec<Column>) -> Table {
        Table {
            sheet: sheet.into(),
            title: title.into(),
            columns,
            rows: Vec::new(),
            body: 0,
        }
    }

    /// Adds a data row.
    pub fn push(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
        self.body = self.rows.len();
    }

    /// Adds a row after the data (a total).
    pub fn push_footer(&mut self, row: Vec<Cell>) {
        self.rows.push(row);
    }

    /// The table turned a quarter for a page: a row per column (after the first), a column
    /// per row, each cell written as a document shows it. A table wider than it is long
    /// (the statement: a column per figure, a row per source) is read best this way on A4.
    ///
    /// ```
    /// use bangfu_office::table::{Cell, Column, ColumnKind, Table};
    /// let mut t = Table::new("s", "t", vec![Column::new("来源", ColumnKind::Text), Column::new("率", ColumnKind::Percent)]);
    /// t.push(vec![Cell::text_of("甲"), Cell::Percent(rust_decimal::Decimal::new(9633, 2))]);
    /// let q = t.transposed();
    /// assert_eq!(q.columns[1].header, "甲");
    /// assert_eq!(q.rows[0][1], Cell::text_of("96.33 %"));
    /// ```
    pub fn transposed(&self) -> Table {
        let first = self
            .columns
            .first()
            .map_or_else(String::new, |c| c.header.clone());
        let mut columns = vec![Column::new(first, ColumnKind::Text)];
        for row in &self.rows {
            let name = row
                .first()
                .map_or_else(String::new, |c| c.display(ColumnKind::Text));
            columns.push(Column::new(name, ColumnKind::Figures));
        }
        let mut out = Table::new(self.sheet.clone(), self.title.clone(), columns);
        for (i, column) in self.columns.iter().enumerate().skip(1) {
            let mut row = vec![Cell::Text(column.header.clone())];
            for r in &self.rows {
                row.push(Cell::Text(
                    r.get(i)
                        .map_or_else(String::new, |c| c.display(column.kind)),
                ));
            }
            out.push(row);
        }
        out
    }

    /// The table as a page shows it: transposed when it has more columns than rows.
    pub fn for_documents(&self) -> Table {
        if self.columns.len() > 10 && self.columns.len() > self.rows.len() {
            self.transposed()
        } else {
            self.clone()
        }
    }

    /// The index of the column with this header.
    pub fn column(&self, header: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.header == header)
    }
}
