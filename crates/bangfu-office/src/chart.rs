//! The charts (图表): what they show is columns of a table, so that the `.xlsx` charts refer
//! to the cells of their sheet, and the SVG and PNG charts draw the same numbers.

use rust_decimal::Decimal;

use crate::table::{Cell, Table};

/// How the series of a chart stand (柱形图).
///
/// ```
/// assert_ne!(bangfu_office::ChartKind::Column, bangfu_office::ChartKind::Stacked);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Columns side by side.
    Column,
    /// Stacked columns.
    Stacked,
}

/// A chart over a table: the categories are a text column of the data rows, each series a
/// number column.
///
/// ```
/// use bangfu_core::Lang;
/// let run = bangfu_data::hainan2018::run()?;
/// let (table, charts) = bangfu_office::export::statement_table(&run.statement, Lang::Zh)?;
/// let income = charts[0].data(&table);
/// assert_eq!(income.series[0].values.len(), income.categories.len());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartSpec {
    /// The title.
    pub title: String,
    /// The unit of the values (万元, 人次).
    pub unit: String,
    /// Side by side or stacked.
    pub kind: ChartKind,
    /// The column of the categories.
    pub categories: usize,
    /// The columns of the series.
    pub series: Vec<usize>,
}

/// One series of a chart's data: its name and a value per category.
///
/// ```
/// let s = bangfu_office::Series { name: "生活救助".into(), values: vec![rust_decimal::Decimal::ONE] };
/// assert_eq!(s.values.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Series {
    /// The name (the column's header).
    pub name: String,
    /// The values, exact, in the column's unit.
    pub values: Vec<Decimal>,
}

/// A chart's numbers, read from its table.
///
/// ```
/// use bangfu_core::Lang;
/// let run = bangfu_data::hainan2018::run()?;
/// let (table, charts) = bangfu_office::export::statement_table(&run.statement, Lang::Zh)?;
/// let data = charts[0].data(&table);
/// assert!(data.categories.contains(&"中央财政".to_owned()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChartData {
    /// The title.
    pub title: String,
    /// The unit.
    pub unit: String,
    /// Side by side or stacked.
    pub kind: ChartKind,
    /// The categories.
    pub categories: Vec<String>,
    /// The series.
    pub series: Vec<Series>,
}

impl ChartSpec {
    /// The chart's numbers from the data rows of `table`.
    pub fn data(&self, table: &Table) -> ChartData {
        let rows = table.rows.iter().take(table.body);
        let categories = rows
            .clone()
            .map(|r| match r.get(self.categories) {
                Some(Cell::Text(s)) => s.clone(),
                Some(c) => c.text(crate::table::ColumnKind::Text),
                None => String::new(),
            })
            .collect();
        let series = self
            .series
            .iter()
            .filter_map(|&col| {
                let column = table.columns.get(col)?;
                let values = rows
                    .clone()
                    .map(|r| {
                        r.get(col)
                            .and_then(|c| c.decimal(column.kind))
                            .unwrap_or(Decimal::ZERO)
                    })
                    .collect();
                Some(Series {
                    name: column.header.clone(),
                    values,
                })
            })
            .collect();
        ChartData {
            title: self.title.clone(),
            unit: self.unit.clone(),
            kind: self.kind,
            categories,
            series,
        }
    }
}

impl ChartData {
    /// The total of each category over the series (the height of a stacked column).
    pub fn totals(&self) -> Vec<Decimal> {
        (0..self.categories.len())
            .map(|i| {
                self.series
                    .iter()
                    .filter_map(|s| s.values.get(i))
                    .fold(Decimal::ZERO, |acc, v| acc.saturating_add(*v))
            })
            .collect()
    }
}

/// The palette shared by the three renderings (RGB).
pub(crate) const PALETTE: [u32; 8] = [
    0x2F5597, 0xC55A11, 0x548235, 0x7030A0, 0xBF9000, 0x2E75B6, 0x843C0C, 0x385723,
];

/// The colour of series `i`.
pub(crate) fn colour(i: usize) -> u32 {
    PALETTE.get(i % PALETTE.len()).copied().unwrap_or(0x2F5597)
}

/// The geometry of a chart in pixels (floats: pixels only, never money), shared by the SVG
/// and the PNG renderings.
#[allow(clippy::float_arithmetic)]
pub(crate) mod geometry {
    use rust_decimal::Decimal;
    use rust_decimal::prelude::ToPrimitive;

    use super::ChartData;

    /// The logical size of a chart (CSS pixels).
    pub(crate) const WIDTH: f64 = 640.0;
    /// The logical height.
    pub(crate) const HEIGHT: f64 = 340.0;
    /// The plot area: left, top, right, bottom.
    pub(crate) const PLOT: (f64, f64, f64, f64) = (72.0, 40.0, 624.0, 280.0);

    /// One segment of a column: its series, top and height.
    #[derive(Debug, Clone, Copy, PartialEq)]
    pub(crate) struct Segment {
        pub(crate) series: usize,
        pub(crate) x: f64,
        pub(crate) y: f64,
        pub(crate) w: f64,
        pub(crate) h: f64,
    }

    /// A category: its centre, its segments, its total and the top of its columns.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct Group {
        pub(crate) centre: f64,
        pub(crate) segments: Vec<Segment>,
        /// The labels above the columns: (x, y, text).
        pub(crate) labels: Vec<(f64, f64, String)>,
    }

    /// The whole chart.
    #[derive(Debug, Clone, PartialEq)]
    pub(crate) struct Layout {
        /// Ticks of the value axis: y and label.
        pub(crate) ticks: Vec<(f64, String)>,
        pub(crate) groups: Vec<Group>,
    }

    /// The step of the value axis: 1, 2 or 5 × a power of ten, at most six intervals.
    fn step(max: Decimal) -> Decimal {
        for exp in -4i32..=15 {
            for m in [1i64, 2, 5] {
                let s = if exp < 0 {
                    Decimal::new(m, exp.unsigned_abs())
                } else {
                    let mut s = Decimal::from(m);
                    for _ in 0..exp {
                        s = s.saturating_mul(Decimal::TEN);
                    }
                    s
                };
                if s.saturating_mul(Decimal::from(6)) >= max {
                    return s;
                }
            }
        }
        max
    }

    fn f(d: Decimal) -> f64 {
        d.to_f64().unwrap_or(0.0)
    }

    /// Lays the chart out.
    pub(crate) fn layout(data: &ChartData) -> Layout {
        let (left, top, right, bottom) = PLOT;
        let stacked = data.kind == super::ChartKind::Stacked;
        let totals = data.totals();
        let peak = if stacked {
            totals.iter().copied().max()
        } else {
            data.series
                .iter()
                .flat_map(|s| s.values.iter().copied())
                .max()
        }
        .unwrap_or(Decimal::ZERO)
        .max(Decimal::ZERO);
        let step = step(peak.max(Decimal::ONE));
        let mut intervals = 1u32;
        while step.saturating_mul(Decimal::from(intervals)) < peak && intervals < 20 {
            intervals += 1;
        }
        let axis = step.saturating_mul(Decimal::from(intervals));
        let scale = (bottom - top) / f(axis).max(f64::MIN_POSITIVE);
        let ticks = (0..=intervals)
            .map(|i| {
                let v = step.saturating_mul(Decimal::from(i));
                (bottom - f(v) * scale, v.normalize().to_string())
            })
            .collect();
        let n = data.categories.len().max(1);
        let slot = (right - left) / n as f64;
        let series = data.series.len().max(1);
        let groups = (0..data.categories.len())
            .map(|i| {
                let centre = left + slot * (i as f64 + 0.5);
                let width = slot * 0.6;
                let mut segments = Vec::new();
                let mut labels = Vec::new();
                let mut base = bottom;
                for (k, s) in data.series.iter().enumerate() {
                    let v = s.values.get(i).copied().unwrap_or(Decimal::ZERO);
                    let h = f(v) * scale;
                    if stacked {
                        segments.push(Segment {
                            series: k,
                            x: centre - width / 2.0,
                            y: base - h,
                            w: width,
                            h,
                        });
                        base -= h;
                    } else {
                        let w = width / series as f64;
                        let x = centre - width / 2.0 + w * k as f64;
                        segments.push(Segment {
                            series: k,
                            x,
                            y: bottom - h,
                            w,
                            h,
                        });
                        labels.push((x + w / 2.0, bottom - h - 6.0, v.normalize().to_string()));
                    }
                }
                if stacked {
                    let total = totals.get(i).copied().unwrap_or(Decimal::ZERO);
                    labels.push((centre, base - 6.0, total.normalize().to_string()));
                }
                Group {
                    centre,
                    segments,
                    labels,
                }
            })
            .collect();
        Layout { ticks, groups }
    }
}
