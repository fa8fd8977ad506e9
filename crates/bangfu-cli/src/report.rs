//! `bangfu report`: the 2018 self-evaluation report, every figure computed from the embedded
//! records, in Chinese (default) or English Markdown.

use bangfu::evaluation::FrameworkChoice;

use crate::{Args, Failure};

/// `bangfu report [DIR] [--lang zh|en] [--framework self|reference]`.
pub(crate) fn run(mut args: Args) -> Result<String, Failure> {
    let output = crate::Output::of(&mut args, &["md", "html", "docx"])?;
    let lang = crate::lang(&mut args)?;
    let framework = match args.value("--framework")? {
        None => FrameworkChoice::SelfEvaluation,
        Some(f) => FrameworkChoice::from_code(&f).ok_or_else(|| {
            Failure::Usage(format!(
                "unknown framework {f:?} (expected self or reference)"
            ))
        })?,
    };
    let dir = args.positional();
    args.finish()?;
    if let Some(dir) = dir {
        return crate::year_dir::report(&dir, framework, lang, &output);
    }
    let evaluation = bangfu::hainan2018::evaluation(framework)?;
    let statement = bangfu::hainan2018::run()?.statement;
    render(&evaluation, &statement, lang, &output)
}

/// The report in the output's format: Markdown as the evaluation renders it, or HTML and
/// `.docx` with the statement's table and charts.
pub(crate) fn render(
    evaluation: &bangfu::evaluation::Evaluation,
    statement: &bangfu::funding::Statement,
    lang: bangfu::core::Lang,
    output: &crate::Output,
) -> Result<String, Failure> {
    let bytes = match output.format {
        bangfu_office::Format::Md => evaluation.render(lang)?.into_bytes(),
        other => bangfu_office::report::report(evaluation, statement, lang, other)?,
    };
    output.emit(bytes)
}
