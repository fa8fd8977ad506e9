//! `bangfu policy check FILE [--on DATE]` and `bangfu policy show NAME`.
//!
//! `check` validates a policy file (errors name the line and the code) and prints what is in
//! force on DATE: every parameter's value, the date it came into force and its citation.
//! Without `--on`, the date is the newest `from` in the file, so every newest value shows.
//! `show` prints an embedded policy file (`hainan-2018`, `example-2020`, `guinan-2019`,
//! `hubei-2023`) as one file, to copy and edit; with `--sections`, its sections in the
//! language of `--lang`: the minimum living standard per city and date, each section's
//! parameters (the aid kinds with the medical cap's scope and temporary aid, the allocation
//! plan, the payment checks) and the campaigns.

use bangfu::core::{Lang, NaiveDate};
use clap::{ArgMatches, Command};

use crate::cli::{self, Subcommand, value};
use crate::failure::Failure;
use crate::io::{in_file, read};

/// `bangfu policy`.
pub(crate) const COMMAND: Subcommand = Subcommand {
    name: "policy",
    usage: USAGE,
    command,
    run,
};

const USAGE: &[&str] = &[CHECK_USAGE, SHOW_USAGE];
const CHECK_USAGE: &str = "bangfu policy check FILE [--on DATE]";
const SHOW_USAGE: &str = "bangfu policy show hainan-2018|example-2020|guinan-2019|hubei-2023 [--sections] [--lang zh|en]";

/// The embedded policy files, by name.
const EMBEDDED: &[(&str, &str)] = &[
    ("hainan-2018", bangfu::hainan2018::POLICY_TOML),
    ("example-2020", bangfu::example2020::POLICY_TOML),
    ("guinan-2019", bangfu::guinan2019::POLICY_TOML),
    ("hubei-2023", bangfu::hubei2023::POLICY_TOML),
];

fn command(lang: Lang) -> Command {
    let check = cli::command(
        "check",
        &[CHECK_USAGE],
        lang,
        (
            "检查政策文件（错误带行号和代码），并列出某日有效的每个参数：取值、生效日期和出处。",
            "Check a policy file (errors name the line and the code) and list what is in \
             force on a date: each parameter's value, the date it came into force, its citation.",
        ),
        (
            "示例：\n  bangfu policy check 我的政策.toml --on 2018-06-01",
            "Example:\n  bangfu policy check my-policy.toml --on 2018-06-01",
        ),
    )
    .arg(
        cli::positional(
            lang,
            "file",
            "FILE",
            ("政策文件（TOML）", "the policy file (TOML)"),
        )
        .required(true),
    )
    .arg(
        cli::option(
            lang,
            "on",
            "DATE",
            (
                "日期，如 2021-06-01；默认为文件中最新的生效日期",
                "a date like 2021-06-01; the newest `from` in the file without it",
            ),
        )
        .value_parser(|s: &str| bangfu::core::parse_date(s).map_err(|e| e.to_string())),
    );
    let show = cli::command(
        "show",
        &[SHOW_USAGE],
        lang,
        (
            "输出一个内置的政策文件，供复制修改。",
            "Print an embedded policy file, to copy and edit.",
        ),
        (
            "示例：\n  bangfu policy show hainan-2018 > 我的政策.toml\n  \
             bangfu policy show hubei-2023 --sections",
            "Examples:\n  bangfu policy show hainan-2018 > my-policy.toml\n  \
             bangfu policy show hubei-2023 --sections --lang en",
        ),
    )
    .arg(
        cli::positional(
            lang,
            "name",
            "NAME",
            (
                "内置政策：hainan-2018、example-2020、guinan-2019 或 hubei-2023",
                "the embedded policy: hainan-2018, example-2020, guinan-2019 or hubei-2023",
            ),
        )
        .required(true)
        .value_parser(EMBEDDED.iter().map(|(n, _)| *n).collect::<Vec<_>>()),
    )
    .arg(cli::switch(
        lang,
        "sections",
        "按部分列出政策：各城市各日期的最低生活保障标准、各部分的现行参数（含医疗封顶范围、临时救助、分配方案、发放核查）和专项活动",
        "list the policy by section: the minimum living standard per city and date, each \
         section's parameters in force (the medical cap's scope, temporary aid, the allocation \
         plan, the payment checks) and the campaigns",
    ));
    cli::command(
        "policy",
        USAGE,
        lang,
        (
            "政策文件：检查文件并列出某日有效的参数，或输出内置的政策文件。",
            "Policy files: check one and list what is in force on a date, or print an \
             embedded one.",
        ),
        (
            "示例：\n  bangfu policy check 我的政策.toml --on 2018-06-01\n  \
             bangfu policy show hainan-2018",
            "Examples:\n  bangfu policy check my-policy.toml --on 2018-06-01\n  \
             bangfu policy show hainan-2018",
        ),
    )
    .subcommand_required(true)
    .subcommand(check)
    .subcommand(show)
}

fn run(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let embedded = |name: &str| EMBEDDED.iter().find(|(n, _)| *n == name);
    match m.subcommand() {
        Some(("check", m)) => {
            let file = value(m, "file").unwrap_or_default();
            let on = m.get_one::<NaiveDate>("on").copied();
            let text = read(file)?;
            let table = bangfu::in_force::in_force(&text, on).map_err(in_file(file))?;
            Ok(format!("{file}: ok\n{}", table.render_text()))
        }
        Some(("show", m)) => match value(m, "name").and_then(embedded) {
            Some((_, text)) if m.get_flag("sections") => {
                Ok(bangfu::in_force::sections(text, lang).map_err(Failure::from)?)
            }
            Some((_, text)) => Ok((*text).to_owned()),
            None => Err(Failure::usage(
                lang,
                "policy show 需要内置政策的名称".into(),
                "policy show needs the name of an embedded policy".into(),
                &[SHOW_USAGE],
            )),
        },
        // The parser requires one of the two.
        _ => Err(Failure::usage(
            lang,
            "需要 policy check 或 policy show".into(),
            "expected `policy check` or `policy show`".into(),
            USAGE,
        )),
    }
}
