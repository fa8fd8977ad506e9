//! A union's own year directory (`bangfu statement|report|table|check DIR`) through the one
//! path, and the year a command runs on: a directory, or the embedded Hainan 2018 year.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::BufRead;
use std::path::Path;

use bangfu::core::Lang;
use bangfu::evaluation::FrameworkChoice;
use bangfu::year::dir::{BuiltYear, FILE_NAMES, Problem, YearDir};

use crate::failure::{CliError, CodedError, Failure};
use crate::io::Output;

/// `dir` as a path, when it is a directory (`Unreadable` "not a directory" otherwise).
pub(crate) fn directory(dir: &str) -> Result<&Path, Failure> {
    let root = Path::new(dir);
    if root.is_dir() {
        Ok(root)
    } else {
        Err(Failure::from(CliError::Unreadable {
            path: dir.to_owned(),
            message: "not a directory".to_owned(),
        }))
    }
}

/// The files of `dir` that a year directory may hold, by name.
pub(crate) fn files(dir: &str) -> Result<BTreeMap<String, Vec<u8>>, Failure> {
    let root = directory(dir)?;
    let mut out = BTreeMap::new();
    for name in FILE_NAMES {
        let path = root.join(name);
        match std::fs::read(&path) {
            Ok(bytes) => {
                out.insert((*name).to_owned(), bytes);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => {
                return Err(Failure::from(CliError::Unreadable {
                    path: path.display().to_string(),
                    message: e.to_string(),
                }));
            }
        }
    }
    Ok(out)
}

/// A year directory on disk, its files opened one at a time and read line by line.
pub(crate) struct DirOnDisk(pub(crate) std::path::PathBuf);

impl bangfu::year::dir::DirFiles for DirOnDisk {
    fn open(&self, name: &str) -> std::io::Result<Option<Box<dyn BufRead + '_>>> {
        match std::fs::File::open(self.0.join(name)) {
            Ok(f) => Ok(Some(Box::new(std::io::BufReader::with_capacity(
                1 << 20,
                f,
            )))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// The lines of the directory's JSON Lines files (the records, and a few blank lines): the
/// length of the progress bar, counted only when it is drawn.
pub(crate) fn count_records(dir: &Path) -> Option<u64> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let mut n = 0u64;
    for name in bangfu::year::dir::FILE_NAMES
        .iter()
        .filter(|f| f.ends_with(".jsonl"))
    {
        let Ok(mut f) = std::fs::File::open(dir.join(name)) else {
            continue;
        };
        let mut buf = vec![0u8; 1 << 20];
        loop {
            match std::io::Read::read(&mut f, &mut buf) {
                Ok(0) | Err(_) => break,
                Ok(k) => {
                    n += memchr::memchr_iter(b'\n', buf.get(..k).unwrap_or_default()).count() as u64
                }
            }
        }
    }
    Some(n)
}

/// The problems of `dir`, each named with the directory.
pub(crate) fn in_dir(dir: &str, problems: Vec<Problem>) -> Failure {
    Failure::Problems(
        problems
            .into_iter()
            .map(|mut p| {
                p.file = Path::new(dir).join(&p.file).display().to_string();
                p
            })
            .collect(),
    )
}

/// Reads and builds the year of `path`: a year directory, or a store (a file) read at its
/// last position.
pub(crate) fn load(path: &str) -> Result<BuiltYear, Failure> {
    load_with_receipt(path).map(|(built, _)| built)
}

/// [`load`], with the store's receipt when `path` is a store.
pub(crate) fn load_with_receipt(
    path: &str,
) -> Result<(BuiltYear, Option<bangfu_journal::ReadReceipt>), Failure> {
    if crate::store::is_store(path) {
        let journal = crate::store::open(path)?;
        let receipt = journal.receipt();
        return Ok((journal.into_built(), Some(receipt)));
    }
    let root = directory(path)?;
    // Read line by line: neither the files nor their records are held, only the year.
    let bar = crate::progress::bar(count_records(root), "records");
    let built = YearDir::stream(&DirOnDisk(root.to_path_buf()), &mut |n| bar.inc(n));
    bar.finish_and_clear();
    Ok((built.map_err(|p| in_dir(path, p))?, None))
}

/// `bangfu report DIR`: the report of the directory's year in its own names, or, when a file
/// the report needs is missing, a page that says what is missing.
pub(crate) fn report(
    dir: &str,
    framework: FrameworkChoice,
    lang: Lang,
    output: &Output,
) -> Result<String, Failure> {
    let (built, receipt) = load_with_receipt(dir)?;
    let missing = built.missing_for_report();
    if missing.is_empty() {
        let evaluation = built.evaluate(framework)?;
        let (_, statement) = built.year.closed_statement()?;
        // The campaigns' section, then temporary aid's (both Markdown after the report).
        let campaigns = bangfu::year::campaign::report_section(&built.year, lang)?
            + &bangfu::year::temporary::report_section(&built.year, lang)?;
        let mut text = crate::report::render(&evaluation, &statement, &campaigns, lang, output)?;
        if let Some(r) = receipt.filter(|_| output.format == bangfu_office::Format::Md) {
            text.push_str(&crate::store::receipt_line(&r, lang));
        }
        return Ok(text);
    }
    let (_, statement) = built.year.closed_statement()?;
    let mut out = String::new();
    let (title, intro) = match lang {
        Lang::Zh => (
            "# 绩效自评报告（未完成）",
            "本年度目录缺少以下文件，报告不能评分，也不编造其内容：",
        ),
        Lang::En => (
            "# Performance self-evaluation report (incomplete)",
            "The year directory lacks these files; the report cannot be scored and does not invent them:",
        ),
    };
    out.push_str(&format!("{title}\n\n{intro}\n\n"));
    for (file, zh, en) in &missing {
        let what = if lang == Lang::Zh { zh } else { en };
        out.push_str(&format!("- `{file}`: {what}\n"));
    }
    out.push('\n');
    out.push_str(&statement.render_text(lang));
    let error = CliError::MissingFiles {
        dir: dir.to_owned(),
        what: "report",
        files: missing.iter().map(|m| m.0).collect::<Vec<_>>().join(", "),
    };
    Err(Failure::Incomplete {
        output: out,
        error: CodedError::of(&error),
    })
}

/// The year a command runs on: a year directory, or the embedded Hainan 2018 year.
#[derive(Debug)]
pub(crate) enum Year {
    /// The embedded Hainan 2018 year.
    Embedded,
    /// A year directory, built.
    Dir(Box<BuiltYear>),
}

impl Year {
    /// The year of `dir`, or the embedded one without a directory.
    pub(crate) fn of(dir: Option<&str>) -> Result<Year, Failure> {
        Ok(match dir {
            Some(dir) => Year::Dir(Box::new(load(dir)?)),
            None => Year::Embedded,
        })
    }

    /// The closed year's statement.
    pub(crate) fn statement(&self) -> Result<bangfu::funding::Statement, Failure> {
        Ok(match self {
            Year::Embedded => bangfu::hainan2018::run()?.statement,
            Year::Dir(built) => built.year.closed_statement()?.1,
        })
    }

    /// The evaluation under `framework` (a directory needs the report's files).
    pub(crate) fn evaluation(
        &self,
        framework: FrameworkChoice,
    ) -> Result<bangfu::evaluation::Evaluation, Failure> {
        Ok(match self {
            Year::Embedded => bangfu::hainan2018::evaluation(framework)?,
            Year::Dir(built) => built.evaluate(framework)?,
        })
    }

    /// The ledger's postings.
    pub(crate) fn postings(&self) -> Result<Cow<'_, [bangfu::funding::Posting]>, Failure> {
        Ok(match self {
            Year::Embedded => Cow::Owned(bangfu::hainan2018::ledger_records()?),
            Year::Dir(built) => Cow::Borrowed(built.year.ledger().postings()),
        })
    }
}
