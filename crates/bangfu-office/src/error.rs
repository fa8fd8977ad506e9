//! Why an output could not be made.

use bangfu_core::{Coded, CoreError, Labelled};
use bangfu_year::evaluation::EvaluationError;

use crate::Format;

/// Why an export or a report could not be written (导出失败). Codes are stable and chosen by
/// the type: `office.*` here, the wrapped crate's own code for a wrapped error.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, Lang};
/// use bangfu_office::{Format, export};
/// let run = bangfu_data::hainan2018::run()?;
/// let err = export::statement(&run.statement, Lang::Zh, Format::Docx).unwrap_err();
/// assert_eq!(err.code(), "office.unsupported_format");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OfficeError {
    /// This output is not made in this format here (Markdown and JSON stay with the domain
    /// crates; tables are CSV or `.xlsx`; the report is HTML or `.docx`).
    #[error("{what} is not written as {} here", .format.code())]
    Unsupported {
        /// What was asked for.
        what: &'static str,
        /// The format.
        format: Format,
    },
    /// The workbook writer refused (a sheet name, a cell out of range).
    #[error("xlsx: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The `.docx` package could not be written.
    #[error("docx: {0}")]
    Zip(#[from] zip::result::ZipError),
    /// A chart picture could not be encoded.
    #[error("png: {0}")]
    Png(#[from] png::EncodingError),
    /// Writing to memory failed (never in practice).
    #[error("write: {0}")]
    Io(#[from] std::io::Error),
    /// A CSV record could not be written (never in practice).
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    /// The report could not be rendered.
    #[error(transparent)]
    Evaluation(#[from] EvaluationError),
    /// Checked arithmetic.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl Coded for OfficeError {
    fn code(&self) -> &'static str {
        match self {
            OfficeError::Unsupported { .. } => "office.unsupported_format",
            OfficeError::Xlsx(_) => "office.xlsx",
            OfficeError::Zip(_) => "office.docx",
            OfficeError::Png(_) => "office.png",
            OfficeError::Io(_) => "office.io",
            OfficeError::Csv(_) => "office.csv",
            OfficeError::Evaluation(e) => e.code(),
            OfficeError::Core(e) => e.code(),
        }
    }
}

impl Labelled for OfficeError {
    fn zh(&self) -> &'static str {
        match self {
            OfficeError::Unsupported { .. } => "不支持该输出格式",
            OfficeError::Xlsx(_) => "Excel文件写入失败",
            OfficeError::Zip(_) => "Word文档写入失败",
            OfficeError::Png(_) => "图表图片生成失败",
            OfficeError::Io(_) => "写入失败",
            OfficeError::Csv(_) => "CSV写入失败",
            OfficeError::Evaluation(e) => e.zh(),
            OfficeError::Core(e) => e.zh(),
        }
    }

    fn en(&self) -> &'static str {
        match self {
            OfficeError::Unsupported { .. } => "format not supported for this output",
            OfficeError::Xlsx(_) => "workbook not written",
            OfficeError::Zip(_) => "Word document not written",
            OfficeError::Png(_) => "chart picture not encoded",
            OfficeError::Io(_) => "write failed",
            OfficeError::Csv(_) => "CSV not written",
            OfficeError::Evaluation(e) => e.en(),
            OfficeError::Core(e) => e.en(),
        }
    }
}
