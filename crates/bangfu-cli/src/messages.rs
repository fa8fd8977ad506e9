//! clap's errors in the chosen language: clap writes its messages in English only, so the
//! command writes its own from the error's kind and context (the unknown subcommand or
//! option and clap's "did you mean" suggestion, the missing or invalid value and the values
//! allowed); [`usage_block`] gives the usage of the command and where its help is. A kind
//! without a translation keeps clap's English sentence.
//!
//! Echoed values pass through [`bangfu::core::read::quote`]: cut, ID numbers masked.

use bangfu::core::Lang;
use bangfu::core::read::quote;
use clap::error::{ContextKind, ContextValue, ErrorKind};

use crate::cli::tr;

/// A context value as strings (none when absent).
fn strings(e: &clap::Error, kind: ContextKind) -> Vec<String> {
    match e.get(kind) {
        Some(ContextValue::String(s)) => vec![s.clone()],
        Some(ContextValue::Strings(v)) => v.clone(),
        Some(ContextValue::StyledStr(s)) => vec![s.to_string()],
        Some(ContextValue::StyledStrs(v)) => v.iter().map(ToString::to_string).collect(),
        _ => Vec::new(),
    }
}

/// The first string of a context value, or empty.
fn first(e: &clap::Error, kind: ContextKind) -> String {
    strings(e, kind).into_iter().next().unwrap_or_default()
}

/// An option as the user types it: `--lang` for clap's `--lang <zh|en>`.
fn flag(arg: &str) -> &str {
    arg.split(' ').next().unwrap_or(arg)
}

/// The options of a context value as the user types them, separated by commas.
fn flags(e: &clap::Error, kind: ContextKind) -> String {
    strings(e, kind)
        .iter()
        .map(|a| flag(a))
        .collect::<Vec<_>>()
        .join(", ")
}

/// "Did you mean …?" for each suggestion, in `lang`.
fn did_you_mean(lang: Lang, suggestions: &[String]) -> String {
    suggestions
        .iter()
        .map(|s| match lang {
            Lang::Zh => format!("；您是否要用“{s}”？"),
            Lang::En => format!("; did you mean '{s}'?"),
        })
        .collect()
}

/// A clap error as one sentence in `lang` (the caller adds the usage).
pub(crate) fn clap_error(e: &clap::Error, lang: Lang) -> String {
    let arg = first(e, ContextKind::InvalidArg);
    let arg = flag(&arg);
    let value = quote(&first(e, ContextKind::InvalidValue));
    let valid = strings(e, ContextKind::ValidValue).join("|");
    let zh = lang == Lang::Zh;
    // An option (`--lang`) or a positional argument (`<NAME>`).
    let what = if arg.starts_with('-') {
        "选项"
    } else {
        "参数"
    };
    match e.kind() {
        ErrorKind::InvalidSubcommand => {
            let sub = quote(&first(e, ContextKind::InvalidSubcommand));
            let head = if zh {
                format!("没有命令“{sub}”")
            } else {
                format!("unknown command '{sub}'")
            };
            head + &did_you_mean(lang, &strings(e, ContextKind::SuggestedSubcommand))
        }
        ErrorKind::UnknownArgument => {
            let shown = quote(arg);
            let head = match (arg.starts_with('-'), zh) {
                (true, true) => format!("未知选项“{shown}”"),
                (true, false) => format!("unknown option '{shown}'"),
                (false, true) => format!("多余的参数“{shown}”"),
                (false, false) => format!("unexpected argument '{shown}'"),
            };
            let mut suggested = strings(e, ContextKind::SuggestedArg);
            // clap's tip "'SUB --flag' exists": the option belongs to a subcommand.
            suggested.extend(
                strings(e, ContextKind::Suggested)
                    .iter()
                    .filter_map(|t| t.strip_suffix("' exists")?.strip_prefix('\''))
                    .map(str::to_owned),
            );
            head + &did_you_mean(lang, &suggested)
        }
        ErrorKind::InvalidValue if value.is_empty() => match (zh, valid.is_empty()) {
            (true, true) => format!("{what} {arg} 需要一个值"),
            (true, false) => format!("{what} {arg} 需要一个值：{valid}"),
            (false, true) => format!("{arg} needs a value"),
            (false, false) => format!("{arg} needs a value: {valid}"),
        },
        ErrorKind::InvalidValue => {
            let head = if zh {
                format!("{what} {arg} 的值“{value}”无效，可用的值：{valid}")
            } else {
                format!("{arg} takes {valid}, not '{value}'")
            };
            head + &did_you_mean(lang, &strings(e, ContextKind::SuggestedValue))
        }
        ErrorKind::ValueValidation => {
            let why = std::error::Error::source(e)
                .map(|s| s.to_string())
                .unwrap_or_default();
            if zh {
                format!("{what} {arg} 的值“{value}”无效：{why}")
            } else {
                format!("invalid value '{value}' for {arg}: {why}")
            }
        }
        ErrorKind::MissingRequiredArgument => {
            let missing = flags(e, ContextKind::InvalidArg);
            if zh {
                format!("缺少参数：{missing}")
            } else {
                format!("missing argument: {missing}")
            }
        }
        ErrorKind::MissingSubcommand => {
            let parent = first(e, ContextKind::InvalidSubcommand);
            let subs = strings(e, ContextKind::ValidSubcommand).join("|");
            if zh {
                format!("“{parent}”需要一个子命令：{subs}")
            } else {
                format!("'{parent}' needs a subcommand: {subs}")
            }
        }
        ErrorKind::ArgumentConflict => {
            let prior = flags(e, ContextKind::PriorArg);
            match (zh, prior.is_empty()) {
                (true, true) => format!("选项 {arg} 只能给一次"),
                (true, false) => format!("选项 {arg} 不能与 {prior} 同用"),
                (false, true) => format!("{arg} can be given once only"),
                (false, false) => format!("{arg} cannot be used with {prior}"),
            }
        }
        ErrorKind::InvalidUtf8 => tr(
            lang,
            "参数不是有效的 UTF-8 文本",
            "an argument is not UTF-8 text",
        )
        .to_owned(),
        _ => {
            // clap's own sentence (English): its first line, without "error: ".
            let text = e.to_string();
            let line = text.lines().next().unwrap_or_default();
            line.strip_prefix("error: ").unwrap_or(line).to_owned()
        }
    }
}

/// The command path of usage lines: the words all of them begin with (`bangfu policy` for
/// `bangfu policy check …` and `bangfu policy show …`).
fn command_path(lines: &[&str]) -> String {
    let words = |l: &str| -> Vec<String> {
        l.split_whitespace()
            .take_while(|w| w.chars().all(|c| c.is_ascii_lowercase()))
            .map(str::to_owned)
            .collect()
    };
    let mut path = lines.first().map(|l| words(l)).unwrap_or_default();
    for l in lines.iter().skip(1) {
        let other = words(l);
        let same = path.iter().zip(&other).take_while(|(a, b)| a == b).count();
        path.truncate(same);
    }
    if path.is_empty() {
        "bangfu".to_owned()
    } else {
        path.join(" ")
    }
}

/// The usage lines and where the help is, in `lang`.
pub(crate) fn usage_block(lang: Lang, lines: &[&str]) -> String {
    let mut out = String::from(tr(lang, "\n用法:\n", "\nUsage:\n"));
    for l in lines {
        out.push_str(&format!("  {l}\n"));
    }
    let path = command_path(lines);
    out.push_str(&match lang {
        Lang::Zh => format!("\n运行“{path} --help”查看帮助。\n"),
        Lang::En => format!("\nFor more information, run '{path} --help'.\n"),
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_path_is_what_every_usage_line_begins_with() {
        assert_eq!(
            command_path(&["bangfu policy check FILE", "bangfu policy show hainan-2018"]),
            "bangfu policy"
        );
        assert_eq!(
            command_path(&["bangfu statement [DIR]", "bangfu report [DIR]"]),
            "bangfu"
        );
        assert_eq!(command_path(&["bangfu check [DIR]"]), "bangfu check");
    }
}
