//! Why an embedded year could not be read, built or evaluated.

use bangfu_core::Coded;
use bangfu_year::YearError;
use bangfu_year::dir::Problem;
use bangfu_year::evaluation::EvaluationError;

/// Why an embedded year directory could not be read, built or evaluated (示例年度数据有误).
/// Only if the embedded files were broken: a test guards each year.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// let p = bangfu_year::dir::Problem::new("claims.jsonl", 3, "read.syntax", "expected value");
/// let e = bangfu_data::DataError::Problems(vec![p]);
/// assert_eq!(e.code(), "data.problems");
/// assert_eq!(e.to_string(), "1 problems in the embedded year directory, the first: claims.jsonl:3: [read.syntax] expected value");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DataError {
    /// The directory's problems, each with its file, line and code.
    #[error("{} problems in the embedded year directory, the first: {}", .0.len(), first(.0))]
    Problems(Vec<Problem>),
    /// The year could not be closed or its statement computed.
    #[error(transparent)]
    Year(#[from] YearError),
    /// The evaluation failed.
    #[error(transparent)]
    Evaluation(#[from] EvaluationError),
}

fn first(problems: &[Problem]) -> String {
    problems
        .first()
        .map(ToString::to_string)
        .unwrap_or_default()
}

impl Coded for DataError {
    fn code(&self) -> &'static str {
        match self {
            DataError::Problems(_) => "data.problems",
            DataError::Year(e) => e.code(),
            DataError::Evaluation(e) => e.code(),
        }
    }
}
