//! The command line on clap: the language chosen before parsing, every command built with
//! clap's builder API in Chinese or English, and the dispatch to each subcommand's module.
//!
//! A subcommand is one module with a [`Subcommand`] constant (its name, its usage lines, its
//! clap command in a language, and the function that runs it) and one line in
//! [`SUBCOMMANDS`]; the root command, the top-level usage and the dispatch follow from that
//! table.

use std::ffi::OsString;

use bangfu::core::Lang;
use clap::error::ErrorKind;
use clap::{Arg, ArgAction, ArgMatches, Command};

use crate::failure::Failure;

/// One subcommand of `bangfu`.
pub(crate) struct Subcommand {
    /// Its name (`statement`).
    pub(crate) name: &'static str,
    /// Its usage lines, the same in both languages (`bangfu statement [DIR] …`).
    pub(crate) usage: &'static [&'static str],
    /// Its clap command, help in `lang`.
    pub(crate) command: fn(Lang) -> Command,
    /// Runs it on its matches: the text for standard output, or the failure.
    pub(crate) run: fn(&ArgMatches, Lang) -> Result<String, Failure>,
}

/// Every subcommand, in the order the help lists them.
pub(crate) const SUBCOMMANDS: &[&Subcommand] = &[
    &crate::statement::COMMAND,
    &crate::report::COMMAND,
    &crate::table::COMMAND,
    &crate::check::COMMAND,
    &crate::eval::COMMAND,
    &crate::import::COMMAND,
    &crate::policy_cmd::COMMAND,
    &crate::whatif::COMMAND,
    &crate::remaining::COMMAND,
    &crate::store::INIT,
    &crate::store::APPLY,
    &crate::store::ACCOUNT,
    &crate::store::VERIFY,
    &crate::store::EXPORT,
    #[cfg(feature = "serve")]
    &crate::serve::COMMAND,
];

/// The usage line of `--version`.
const VERSION_USAGE: &str = "bangfu --version [--policy FILE]";

/// `zh` or `en` by `lang`.
pub(crate) fn tr(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// The language of the help and the messages, read from the arguments before they are
/// parsed (`--lang en`, `--lang=en`; the last one counts): Chinese unless English is asked
/// for. A value that is neither is left to the parser, which refuses it (exit 2).
pub(crate) fn lang_of(argv: &[OsString]) -> Lang {
    let mut lang = Lang::Zh;
    let mut args = argv.iter().skip(1).map(|a| a.to_str());
    while let Some(arg) = args.next() {
        let value = match arg {
            Some("--") => break,
            Some("--lang") => args.next().flatten(),
            Some(a) => a.strip_prefix("--lang="),
            None => None,
        };
        if let Some(l) = value.and_then(|v| v.parse().ok()) {
            lang = l;
        }
    }
    lang
}

/// The help template: the description, the usage, the arguments, the examples.
fn template(lang: Lang) -> &'static str {
    tr(
        lang,
        "{about-with-newline}\n用法:{usage}\n\n{all-args}{after-help}\n",
        "{about-with-newline}\nUsage:{usage}\n\n{all-args}{after-help}\n",
    )
}

/// The usage lines as clap shows them after "用法:" / "Usage:", one an indented line.
fn usage_text(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("\n  {l}")).collect()
}

/// A command with the house style: the help template, the usage lines, `about` and the
/// examples after the options, and no help or version flag of clap's (English) making:
/// [`with_help`] adds the help flag in the language once the tree is built.
pub(crate) fn command(
    name: &'static str,
    usage: &[&str],
    lang: Lang,
    about: (&'static str, &'static str),
    examples: (&'static str, &'static str),
) -> Command {
    Command::new(name)
        .about(tr(lang, about.0, about.1))
        .after_help(tr(lang, examples.0, examples.1))
        .override_usage(usage_text(usage))
        .help_template(template(lang))
        .disable_help_flag(true)
        .disable_version_flag(true)
        .disable_help_subcommand(true)
        .hide_possible_values(true)
        .subcommand_help_heading(tr(lang, "命令", "Commands"))
}

/// `cmd` and each of its subcommands with `-h, --help` in `lang`, added after the command's
/// own arguments so that the help lists the arguments before the options.
fn with_help(mut cmd: Command, lang: Lang) -> Command {
    let names: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_owned())
        .collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |s| with_help(s, lang));
    }
    cmd.arg(
        switch(lang, "help", "显示本帮助", "Print this help")
            .short('h')
            .action(ArgAction::Help),
    )
}

/// An optional positional argument.
pub(crate) fn positional(
    lang: Lang,
    id: &'static str,
    value_name: &'static str,
    help: (&'static str, &'static str),
) -> Arg {
    Arg::new(id)
        .value_name(value_name)
        .help(tr(lang, help.0, help.1))
        .help_heading(tr(lang, "参数", "Arguments"))
}

/// An option taking a value: `--long VALUE`.
pub(crate) fn option(
    lang: Lang,
    long: &'static str,
    value_name: &'static str,
    help: (&'static str, &'static str),
) -> Arg {
    Arg::new(long)
        .long(long)
        .value_name(value_name)
        .action(ArgAction::Set)
        .help(tr(lang, help.0, help.1))
        .help_heading(tr(lang, "选项", "Options"))
}

/// A flag without a value: `--long`.
pub(crate) fn switch(lang: Lang, long: &'static str, zh: &'static str, en: &'static str) -> Arg {
    Arg::new(long)
        .long(long)
        .action(ArgAction::SetTrue)
        .help(tr(lang, zh, en))
        .help_heading(tr(lang, "选项", "Options"))
}

/// `--format` among `values` (the value name lists them; the default is the first).
pub(crate) fn format(lang: Lang, values: &'static [&'static str], value_name: &'static str) -> Arg {
    option(
        lang,
        "format",
        value_name,
        (
            "输出格式（默认为第一种）；xlsx 和 docx 须用 --out 指定文件",
            "the output format (the first is the default); xlsx and docx need --out FILE",
        ),
    )
    .value_parser(values.to_vec())
}

/// `--json`: the same as `--format json` (which it excludes).
pub(crate) fn json(lang: Lang) -> Arg {
    switch(
        lang,
        "json",
        "以 JSON 输出（即 --format json）",
        "print JSON (--format json)",
    )
    .conflicts_with("format")
}

/// The format without `--format`: JSON with `--json`, Markdown without.
pub(crate) fn json_or_md(m: &ArgMatches) -> bangfu_office::Format {
    if m.get_flag("json") {
        bangfu_office::Format::Json
    } else {
        bangfu_office::Format::Md
    }
}

/// `--out FILE`.
pub(crate) fn out(lang: Lang) -> Arg {
    option(
        lang,
        "out",
        "FILE",
        (
            "写入该文件（默认输出到标准输出）",
            "write to FILE (standard output without it)",
        ),
    )
}

/// `--threads N` (1 to 1024), with its help in both languages.
pub(crate) fn threads(lang: Lang, help: (&'static str, &'static str)) -> Arg {
    option(lang, "threads", "N", help).value_parser(clap::value_parser!(u16).range(1..=1024))
}

/// The `--threads` given, or one per core (the available parallelism).
pub(crate) fn threads_of(m: &ArgMatches) -> usize {
    match m.get_one::<u16>("threads") {
        Some(n) => usize::from(*n),
        None => std::thread::available_parallelism().map_or(1, usize::from),
    }
}

/// `[DIR]`: a year directory, the embedded Hainan 2018 year without it.
pub(crate) fn dir(lang: Lang) -> Arg {
    positional(
        lang,
        "dir",
        "DIR",
        (
            "年度目录（见 docs/year-directory.md）；省略时使用内置的海南省2018年度数据",
            "a year directory (docs/year-directory.md); without it, the embedded Hainan 2018 year",
        ),
    )
}

/// `--policy FILE`: a policy file instead of the embedded Hainan 2018 policy.
pub(crate) fn policy(lang: Lang) -> Arg {
    option(
        lang,
        "policy",
        "FILE",
        (
            "政策文件（TOML），默认为内置的海南省2018年政策",
            "a policy file (TOML); the embedded Hainan 2018 policy without it",
        ),
    )
}

/// `--framework self|reference`.
pub(crate) fn framework(lang: Lang) -> Arg {
    option(
        lang,
        "framework",
        "self|reference",
        (
            "评分指标体系：self 为中心自评指标（默认），reference 为财政部共性指标体系",
            "the indicator framework: self, the center's own (default), or reference, the \
             Ministry of Finance's common framework",
        ),
    )
    .value_parser(["self", "reference"])
}

/// The `--framework` chosen (the center's own by default).
pub(crate) fn framework_of(m: &ArgMatches) -> bangfu::evaluation::FrameworkChoice {
    m.get_one::<String>("framework")
        .and_then(|f| bangfu::evaluation::FrameworkChoice::from_code(f))
        .unwrap_or(bangfu::evaluation::FrameworkChoice::SelfEvaluation)
}

/// The value of an option, when given.
pub(crate) fn value<'a>(m: &'a ArgMatches, id: &str) -> Option<&'a str> {
    m.get_one::<String>(id).map(String::as_str)
}

/// The root command: every subcommand, `--lang` for all of them, `--version`.
fn root(lang: Lang) -> Command {
    let root = command(
        "bangfu",
        &usage_of(&[]),
        lang,
        (
            "bangfu（帮扶）：工会困难职工帮扶资金的收支情况表、绩效自评报告、帮扶申请的决定与政策文件的检查。\n\
             不给年度目录或文件时，使用内置的海南省职工服务（帮扶）中心2018年度数据。",
            "bangfu: hardship-worker aid (困难职工帮扶) of Chinese trade unions: the fund \
             statement, the self-evaluation report, decisions on aid requests and policy checks.\n\
             Without a year directory or files, the commands run on the embedded Hainan 2018 year.",
        ),
        (
            "每个命令都有自己的帮助：bangfu 命令 --help（例如 bangfu report --help）。\n\
             退出状态：0 成功；1 输入有误（错误信息带代码，如 [read.syntax]）；2 用法有误。",
            "Each command has its own help: bangfu COMMAND --help (bangfu report --help).\n\
             Exit status: 0 success; 1 bad input (the error names its code, [read.syntax]); \
             2 bad usage.",
        ),
    )
    .subcommands(SUBCOMMANDS.iter().map(|s| (s.command)(lang)))
    .arg(
        option(
            lang,
            "lang",
            "zh|en",
            (
                "帮助、信息和输出的语言：zh 中文（默认）或 en 英文",
                "the language of the help, the messages and the output: zh Chinese (default) \
                 or en English",
            ),
        )
        .value_parser(["zh", "en"])
        .global(true),
    )
    .arg(
        switch(
            lang,
            "version",
            "显示版本、内置政策文件的编号和 SHA-256",
            "Print the version, the embedded policy's id and its SHA-256",
        )
        .short('V'),
    )
    .arg(
        option(
            lang,
            "policy",
            "FILE",
            (
                "与 --version 同用：显示该政策文件的编号和 SHA-256",
                "with --version: the id and SHA-256 of this policy file",
            ),
        )
        .requires("version"),
    );
    with_help(root, lang)
}

/// `bangfu help [COMMAND]` is `bangfu [COMMAND] --help`.
fn help_subcommand(mut argv: Vec<OsString>) -> Vec<OsString> {
    if argv.get(1).is_some_and(|a| a == "help") {
        argv.remove(1);
        argv.push("--help".into());
    }
    argv
}

/// The usage lines of the subcommand `argv` names (its first argument that is one), or of
/// all of them.
fn usage_of(argv: &[OsString]) -> Vec<&'static str> {
    let named = argv
        .iter()
        .skip(1)
        .find_map(|a| SUBCOMMANDS.iter().find(|s| a.to_str() == Some(s.name)));
    match named {
        Some(s) => s.usage.to_vec(),
        None => SUBCOMMANDS
            .iter()
            .flat_map(|s| s.usage.iter().copied())
            .chain([VERSION_USAGE])
            .collect(),
    }
}

/// Parses `argv` and runs the command: the text for standard output, or the failure.
pub(crate) fn run(argv: Vec<OsString>, lang: Lang) -> Result<String, Failure> {
    let argv = help_subcommand(argv);
    let usage = usage_of(&argv);
    let matches = match root(lang).try_get_matches_from(argv) {
        Ok(m) => m,
        Err(e) if e.kind() == ErrorKind::DisplayHelp => return Ok(e.to_string()),
        Err(error) => return Err(Failure::Clap { error, usage }),
    };
    if matches.get_flag("version") {
        return crate::version::run(value(&matches, "policy"), lang);
    }
    match matches.subcommand() {
        Some((name, m)) => match SUBCOMMANDS.iter().find(|s| s.name == name) {
            Some(s) => (s.run)(m, lang),
            None => Ok(root(lang).render_help().to_string()),
        },
        None => Ok(root(lang).render_help().to_string()),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]

    use super::*;

    fn argv(args: &[&str]) -> Vec<OsString> {
        std::iter::once("bangfu")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn the_language_is_read_before_parsing() {
        assert_eq!(lang_of(&argv(&["report"])), Lang::Zh);
        assert_eq!(lang_of(&argv(&["report", "--lang", "en"])), Lang::En);
        assert_eq!(lang_of(&argv(&["--lang=en", "report"])), Lang::En);
        assert_eq!(lang_of(&argv(&["report", "--lang", "fr"])), Lang::Zh);
        assert_eq!(lang_of(&argv(&["report", "--", "--lang", "en"])), Lang::Zh);
    }

    #[test]
    fn every_command_is_well_formed() {
        for lang in [Lang::Zh, Lang::En] {
            root(lang).debug_assert();
        }
    }

    #[test]
    fn help_as_a_subcommand() {
        assert_eq!(
            help_subcommand(argv(&["help", "report"])),
            argv(&["report", "--help"])
        );
    }
}
