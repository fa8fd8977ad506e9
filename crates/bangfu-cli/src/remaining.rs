//! `bangfu remaining [DIR] --household ID [--date DATE]`: what remains of a household's
//! yearly entitlement on a date (剩余救助额度), read from the payments recorded on or before
//! it and not reversed by then: the year's `ProgrammeYear::remaining`, which the HTTP service
//! and JSON Lines (`bangfu_aid::Calculator::entitlement`) read too.

use bangfu::aid::{Entitlement, KindEntitlement};
use bangfu::core::{HouseholdId, Lang, Money, NaiveDate};
use bangfu_office::Format;
use clap::{ArgMatches, Command};

use crate::cli::{self, Subcommand, tr, value};
use crate::failure::Failure;
use crate::io::Output;

/// `bangfu remaining`.
pub(crate) const COMMAND: Subcommand = Subcommand {
    name: "remaining",
    usage: USAGE,
    command,
    run,
};

const USAGE: &[&str] = &[
    "bangfu remaining [DIR] --household ID [--date YYYY-MM-DD] [--format md|json] [--json] [--out FILE] [--lang zh|en]",
];

fn command(lang: Lang) -> Command {
    cli::command(
        "remaining",
        USAGE,
        lang,
        (
            "剩余救助额度：某户在某日（默认为年度最后一天）医疗救助、生活救助、送温暖和每名学生助学的\
             年度额度、已发放和剩余，按当日及以前已记录且未冲正的发放计算。",
            "Remaining entitlement: a household's yearly medical aid, living aid, sending \
             warmth and each student's education aid on a date (the year's last day without \
             one): the amount, what was paid and what remains, read from the payments \
             recorded on or before the date and not reversed by then.",
        ),
        (
            "示例：\n  bangfu remaining --household HK-0001 --date 2018-06-30\n  \
             bangfu remaining 年度目录 --household HK-0001 --json",
            "Examples:\n  bangfu remaining --household HK-0001 --date 2018-06-30\n  \
             bangfu remaining DIR --household HK-0001 --json",
        ),
    )
    .arg(cli::dir(lang))
    .arg(cli::option(lang, "household", "ID", ("户号", "the household id")).required(true))
    .arg(cli::option(
        lang,
        "date",
        "YYYY-MM-DD",
        (
            "查询日期（默认为年度最后一天）",
            "the date asked about (the year's last day without it)",
        ),
    ))
    .arg(cli::format(lang, &["md", "json"], "md|json"))
    .arg(cli::out(lang))
    .arg(cli::json(lang))
}

fn run(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let output = Output::of(m, lang, cli::json_or_md(m), USAGE)?;
    let household = HouseholdId::new(value(m, "household").unwrap_or_default())?;
    let year = match value(m, "dir") {
        Some(dir) => crate::year_dir::load(dir)?.year,
        None => bangfu::hainan2018::programme_year()?,
    };
    let date = match value(m, "date") {
        Some(d) => bangfu::core::parse_date(d)?,
        None => {
            let y = year.ledger().year().number();
            NaiveDate::from_ymd_opt(y, 12, 31).unwrap_or(NaiveDate::MIN)
        }
    };
    let e = year.remaining(&household, date)?;
    let bytes = match output.format {
        Format::Json => Output::json(&e)?,
        _ => render(&household, &e, lang).into_bytes(),
    };
    output.emit(bytes)
}

/// The entitlement as a Markdown table: a row per kind (and per student).
fn render(household: &HouseholdId, e: &Entitlement, lang: Lang) -> String {
    let t = |zh, en| tr(lang, zh, en);
    let mut out = format!(
        "# {} {household} {}\n\n| {} | {} | {} | {} |\n|---|---:|---:|---:|\n",
        t("剩余救助额度", "Remaining entitlement"),
        e.date,
        t("救助", "aid"),
        t("年度额度", "yearly amount"),
        t("已发放", "paid"),
        t("剩余", "remaining"),
    );
    let cell = |m: Option<Money>| m.map_or_else(|| "—".to_owned(), |m| m.to_string());
    let mut row = |name: String, cap: Option<Money>, paid: Money, left: Option<Money>| {
        out.push_str(&format!(
            "| {name} | {} | {paid} | {} |\n",
            cell(cap),
            cell(left)
        ));
    };
    row(
        t("医疗救助", "medical aid").to_owned(),
        Some(e.medical_cap),
        e.medical_paid,
        Some(e.medical_remaining),
    );
    row(
        t("生活救助", "living aid").to_owned(),
        e.living_cap,
        e.living_paid,
        e.living_remaining,
    );
    let kind = |k: &KindEntitlement| (Some(k.cap), k.paid, Some(k.remaining));
    if let Some((cap, paid, left)) = e.sending_warmth.as_ref().map(kind) {
        row(
            t("两节送温暖", "sending warmth").to_owned(),
            cap,
            paid,
            left,
        );
    }
    for s in &e.education {
        let name = format!("{} {}", t("助学", "education"), s.student);
        row(name, s.amount, s.paid, Some(s.remaining));
    }
    if let Some((cap, paid, left)) = e.temporary.as_ref().map(kind) {
        row(t("临时救助", "temporary aid").to_owned(), cap, paid, left);
    }
    if !e.payable {
        out.push_str(t(
            "\n档案在该日不在帮扶状态：没有剩余额度。\n",
            "\nThe file is not payable on the date: nothing remains.\n",
        ));
    }
    out
}
