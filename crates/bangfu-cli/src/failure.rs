//! How the command fails, and how a failure is printed in the chosen language.
//!
//! - Bad usage (exit 2): clap's errors, translated ([`crate::messages`]), or a combination
//!   of options refused after parsing; each followed by the command's usage.
//! - An error with a code (exit 1), one line on standard error:
//!   `bangfu: 错误 [code]: <中文标签>: <message>` in Chinese, `bangfu: error [code]: <message>`
//!   in English. The label is the error type's [`Labelled::zh`]; the message is the error's
//!   own text (English, with the file and line where it has them), so the code and the
//!   message read the same in both languages and only the label is added.
//! - Every problem of a year directory, one line each, then their count (exit 1).

use std::io::Write;
use std::process::ExitCode;

use bangfu::core::{Coded, Labelled, Lang};

/// A failure of the command.
#[derive(Debug)]
pub(crate) enum Failure {
    /// Bad usage found by the parser, with the usage lines of the command it was parsing.
    Clap {
        /// The parser's error.
        error: clap::Error,
        /// The usage lines.
        usage: Vec<&'static str>,
    },
    /// Bad usage found after parsing, in the chosen language, with the command's usage lines.
    Usage {
        /// What is wrong.
        message: String,
        /// The usage lines of the command.
        usage: &'static [&'static str],
    },
    /// An error with a code.
    Coded(CodedError),
    /// Every problem of a year directory, each with its file, line and code.
    Problems(Vec<bangfu::year::dir::Problem>),
    /// An output that is printed, but incomplete: exit 1 with the code.
    Incomplete {
        /// What is printed.
        output: String,
        /// Why it is incomplete.
        error: CodedError,
    },
}

impl Failure {
    /// Bad usage: `zh` or `en` by `lang`, with the usage lines of the command.
    pub(crate) fn usage(
        lang: Lang,
        zh: String,
        en: String,
        usage: &'static [&'static str],
    ) -> Failure {
        Failure::Usage {
            message: match lang {
                Lang::Zh => zh,
                Lang::En => en,
            },
            usage,
        }
    }

    /// Prints the failure on standard error and gives the exit status.
    pub(crate) fn report(self, lang: Lang) -> ExitCode {
        match self {
            Failure::Clap { error, usage } => {
                eprint!(
                    "bangfu: {}\n{}",
                    crate::messages::clap_error(&error, lang),
                    crate::messages::usage_block(lang, &usage)
                );
                ExitCode::from(2)
            }
            Failure::Usage { message, usage } => {
                eprint!(
                    "bangfu: {message}\n{}",
                    crate::messages::usage_block(lang, usage)
                );
                ExitCode::from(2)
            }
            Failure::Coded(e) => {
                e.print(lang);
                ExitCode::from(1)
            }
            Failure::Problems(problems) => {
                for p in &problems {
                    eprintln!("{p}");
                }
                match lang {
                    Lang::Zh => eprintln!("bangfu: 共 {} 个问题", problems.len()),
                    Lang::En => eprintln!("bangfu: {} problems", problems.len()),
                }
                ExitCode::from(1)
            }
            Failure::Incomplete { output, error } => {
                let _ = std::io::stdout().lock().write_all(output.as_bytes());
                error.print(lang);
                ExitCode::from(1)
            }
        }
    }
}

/// An error with its stable code, its labels and its message; `details` are printed one a
/// line before it (the bad rows of an imported file).
#[derive(Debug)]
pub(crate) struct CodedError {
    code: &'static str,
    zh: &'static str,
    message: String,
    details: Vec<String>,
}

impl CodedError {
    /// `e` with its code, its Chinese label and its message.
    pub(crate) fn of<E: Coded + Labelled + std::fmt::Display + ?Sized>(e: &E) -> CodedError {
        CodedError::with_message(e, e.to_string())
    }

    /// `e` with its code and label, and another message (the file and line added).
    pub(crate) fn with_message<E: Coded + Labelled + ?Sized>(e: &E, message: String) -> CodedError {
        CodedError {
            code: e.code(),
            zh: e.zh(),
            message,
            details: Vec::new(),
        }
    }

    /// The same error with lines printed before it.
    pub(crate) fn with_details(mut self, details: Vec<String>) -> CodedError {
        self.details = details;
        self
    }

    /// The line on standard error.
    fn line(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => format!(
                "bangfu: 错误 [{}]: {}: {}",
                self.code, self.zh, self.message
            ),
            Lang::En => format!("bangfu: error [{}]: {}", self.code, self.message),
        }
    }

    fn print(&self, lang: Lang) {
        for d in &self.details {
            eprintln!("{d}");
        }
        eprintln!("{}", self.line(lang));
    }
}

impl<E: Coded + Labelled + std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Failure {
        Failure::Coded(CodedError::of(&e))
    }
}

/// The command's own errors: files it cannot read or write, outputs it cannot make.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CliError {
    /// A file that cannot be read.
    #[error("{path}: {message}")]
    Unreadable {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
    /// A file that cannot be written.
    #[error("{path}: {message}")]
    Unwritable {
        /// The path.
        path: String,
        /// Why.
        message: String,
    },
    /// A text output that is not UTF-8 (never in practice).
    #[error("{0}")]
    NotText(String),
    /// JSON that cannot be written (never in practice).
    #[error("{0}")]
    Json(String),
    /// A year directory without the files an output needs.
    #[error("{dir}: the {what} needs {files}")]
    MissingFiles {
        /// The directory.
        dir: String,
        /// The output (`report`).
        what: &'static str,
        /// The files missing, separated by commas.
        files: String,
    },
}

impl Coded for CliError {
    fn code(&self) -> &'static str {
        match self {
            CliError::Unreadable { .. } => "input.unreadable",
            CliError::Unwritable { .. } => "output.unwritable",
            CliError::NotText(_) => "output.not_text",
            CliError::Json(_) => "output.json",
            CliError::MissingFiles { .. } => "dir.missing_file",
        }
    }
}

impl Labelled for CliError {
    fn zh(&self) -> &'static str {
        match self {
            CliError::Unreadable { .. } => "无法读取文件",
            CliError::Unwritable { .. } => "无法写入文件",
            CliError::NotText(_) => "输出不是文本",
            CliError::Json(_) => "无法生成JSON",
            CliError::MissingFiles { .. } => "年度目录缺少文件",
        }
    }

    fn en(&self) -> &'static str {
        match self {
            CliError::Unreadable { .. } => "file cannot be read",
            CliError::Unwritable { .. } => "file cannot be written",
            CliError::NotText(_) => "output is not text",
            CliError::Json(_) => "JSON not written",
            CliError::MissingFiles { .. } => "year directory lacks files",
        }
    }
}
