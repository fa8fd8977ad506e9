//! `bangfu report`: the 2018 self-evaluation report, every figure computed from the embedded
//! records, in Chinese (default) or English Markdown.

use bangfu::evaluation::FrameworkChoice;

use crate::{Args, Failure};

/// `bangfu report [DIR] [--lang zh|en] [--framework self|reference]`.
pub(crate) fn run(mut args: Args) -> Result<String, Failure> {
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
        return crate::year_dir::report(&dir, framework, lang);
    }
    let evaluation = bangfu::hainan2018::evaluation(framework)?;
    Ok(evaluation.render(lang)?)
}
