//! Files in and out: reading a text file (UTF-8, a byte order mark dropped), and where an
//! output goes and in which format (`--format`, `--out`).

use bangfu::core::Lang;
use bangfu::input::{self, InputError};
use bangfu_office::Format;
use clap::ArgMatches;

use crate::cli::value;
use crate::failure::{CliError, CodedError, Failure};

/// The bytes of a file.
pub(crate) fn read_bytes(path: &str) -> Result<Vec<u8>, Failure> {
    std::fs::read(path).map_err(|e| {
        Failure::from(CliError::Unreadable {
            path: path.to_owned(),
            message: e.to_string(),
        })
    })
}

/// Reads a file as UTF-8 text (a byte order mark is dropped); text that is not UTF-8 is an
/// error with the file, line and column.
pub(crate) fn read(path: &str) -> Result<String, Failure> {
    let bytes = read_bytes(path)?;
    input::decode_utf8(&bytes)
        .map(str::to_owned)
        .map_err(in_file(path))
}

/// An input error in the file `path` (its message names the line).
pub(crate) fn in_file(path: &str) -> impl Fn(InputError) -> Failure + '_ {
    move |e| Failure::Coded(CodedError::with_message(&e, format!("{path}: {e}")))
}

/// Writes `bytes` to `path`.
pub(crate) fn write(path: &str, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| {
        Failure::from(CliError::Unwritable {
            path: path.to_owned(),
            message: e.to_string(),
        })
    })
}

/// The line saying a file was written: `已写入 FILE（N 字节）` / `wrote FILE (N bytes)`.
pub(crate) fn wrote(lang: Lang, path: &str, bytes: usize) -> String {
    match lang {
        Lang::Zh => format!("已写入 {path}（{bytes} 字节）\n"),
        Lang::En => format!("wrote {path} ({bytes} bytes)\n"),
    }
}

/// Where an output goes and in which format: `--format` and `--out FILE`.
#[derive(Debug)]
pub(crate) struct Output {
    /// The format.
    pub(crate) format: Format,
    out: Option<String>,
    lang: Lang,
}

impl Output {
    /// `--format` (`default` without it; the parser allowed only the command's formats) and
    /// `--out`; a binary format without `--out` is bad usage.
    pub(crate) fn of(
        m: &ArgMatches,
        lang: Lang,
        default: Format,
        usage: &'static [&'static str],
    ) -> Result<Output, Failure> {
        let format = value(m, "format")
            .and_then(Format::from_code)
            .unwrap_or(default);
        let out = value(m, "out").map(str::to_owned);
        if format.is_binary() && out.is_none() {
            let ext = format.extension();
            return Err(Failure::usage(
                lang,
                format!("--format {ext} 写入文件：请用 --out 文件.{ext}"),
                format!("--format {ext} writes a file: give --out FILE.{ext}"),
                usage,
            ));
        }
        Ok(Output { format, out, lang })
    }

    /// The bytes written to `--out` (the text for standard output says so), or as text to
    /// standard output.
    pub(crate) fn emit(&self, bytes: Vec<u8>) -> Result<String, Failure> {
        match &self.out {
            Some(path) => {
                write(path, &bytes)?;
                Ok(wrote(self.lang, path, bytes.len()))
            }
            None => String::from_utf8(bytes)
                .map_err(|e| Failure::from(CliError::NotText(e.to_string()))),
        }
    }

    /// `value` as pretty JSON, with a final newline.
    pub(crate) fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<Vec<u8>, Failure> {
        serde_json::to_string_pretty(value)
            .map(|s| (s + "\n").into_bytes())
            .map_err(|e| Failure::from(CliError::Json(e.to_string())))
    }
}
