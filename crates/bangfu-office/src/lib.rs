//! # bangfu-office (办公格式)
//!
//! The formats an aid center's finance and aid office works in, for any programme year of
//! hardship-worker aid (困难职工帮扶): what bangfu computes, out as CSV and Excel, the
//! self-evaluation report as a web page and a Word document, and the office's own
//! spreadsheets in.
//!
//! - **Out** ([`export`]): the statement (资金收支情况), the scoring table (附件2评分表), the
//!   payment roster (发放花名册), the findings (核对发现) and the decisions of the JSON Lines
//!   interface as CSV or `.xlsx`: one sheet per table, numbers as numbers in the seed's
//!   formats (万元 as the seed writes it, yuan with two decimals, percentages), frozen header
//!   rows, and native Excel charts (income by source, spending by source and category,
//!   person-times) that a clerk can edit in Excel or WPS.
//! - **The report** ([`report`]): the self-evaluation in the seed's structure (一 … 六, 附件2)
//!   as one self-contained HTML file with inline SVG charts and an A4 print stylesheet, or as
//!   a `.docx` with real Word tables and the charts as pictures.
//! - **In** ([`import`]): payment rosters, households and claims from `.xlsx` or CSV (UTF-8
//!   with or without a BOM, GBK/GB18030), with a mapping file naming which column is which
//!   field; every bad row is reported with its sheet, row, column and code, and a file with
//!   any bad row imports nothing.
//!
//! Everything is computed from the types the year's path gives ([`bangfu_funding::Statement`],
//! [`bangfu_year::evaluation::Evaluation`], [`bangfu_funding::Posting`],
//! [`bangfu_year::jsonl::OutputLine`]): nothing here knows a particular year. Money stays
//! exact ([`bangfu_core::Money`]); a number becomes a float only in the `.xlsx` cell (the file
//! format's own number) and in the pixels of a chart.
//!
//! ```
//! use bangfu_core::Lang;
//! use bangfu_office::{Format, export};
//! let run = bangfu_data::hainan2018::run()?;
//! let csv = export::statement(&run.statement, Lang::Zh, Format::Csv)?;
//! let text = String::from_utf8(csv)?;
//! assert!(text.contains("1125.074864"));
//! let xlsx = export::statement(&run.statement, Lang::Zh, Format::Xlsx)?;
//! assert!(xlsx.starts_with(b"PK"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The design note is the crate's `DESIGN.md`, rendered as [`_design`].

mod chart;
mod csv_out;
mod docx;
mod error;
pub mod export;
mod html;
pub mod import;
mod markdown;
pub mod part;
mod pixels;
pub mod report;
mod svg;
pub mod table;
mod xlsx;

pub use chart::{ChartData, ChartKind, ChartSpec, Series};
pub use error::OfficeError;

bangfu_core::coded_enum! {
    /// An output format (输出格式), as the command's `--format` names it.
    ///
    /// ```
    /// use bangfu_office::Format;
    /// assert_eq!(Format::from_code("xlsx"), Some(Format::Xlsx));
    /// assert_eq!(Format::Docx.extension(), "docx");
    /// assert!(Format::Xlsx.is_binary() && !Format::Csv.is_binary());
    /// ```
    pub enum Format {
        /// Markdown (the report and the statement as the domain crates render them).
        Md = ("md", "Markdown", "Markdown"),
        /// JSON (the types as they serialize).
        Json = ("json", "JSON", "JSON"),
        /// Comma-separated values, UTF-8 with a BOM (表格文本).
        Csv = ("csv", "CSV表格", "CSV"),
        /// An Excel workbook (Excel工作簿).
        Xlsx = ("xlsx", "Excel工作簿", "Excel workbook"),
        /// One self-contained web page (网页).
        Html = ("html", "网页", "web page"),
        /// A Word document (Word文档).
        Docx = ("docx", "Word文档", "Word document"),
    }
}

impl Format {
    /// The file extension, without the dot.
    ///
    /// ```
    /// assert_eq!(bangfu_office::Format::Md.extension(), "md");
    /// ```
    pub const fn extension(self) -> &'static str {
        self.code()
    }

    /// Whether the output is binary (a zip package) rather than text.
    ///
    /// ```
    /// assert!(bangfu_office::Format::Docx.is_binary());
    /// ```
    pub const fn is_binary(self) -> bool {
        matches!(self, Format::Xlsx | Format::Docx)
    }

    /// The media type of the output.
    ///
    /// ```
    /// assert_eq!(bangfu_office::Format::Csv.media_type(), "text/csv; charset=utf-8");
    /// ```
    pub const fn media_type(self) -> &'static str {
        match self {
            Format::Md => "text/markdown; charset=utf-8",
            Format::Json => "application/json",
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Html => "text/html; charset=utf-8",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        }
    }
}

#[doc = include_str!("../DESIGN.md")]
pub mod _design {}

/// The README (the crates.io page), whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;
