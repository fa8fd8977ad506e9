//! The command line on clap: help per subcommand in Chinese and English, suggestions for
//! misspelt names, `--version`, errors in the chosen language with their code.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

mod common;
use common::bangfu;

/// The help of `args`, which must exit 0 with nothing on standard error.
fn help(args: &[&str]) -> String {
    let (code, out, err) = bangfu(args);
    assert_eq!(code, 0, "{args:?}: {err}");
    assert!(err.is_empty(), "{err}");
    out
}

#[test]
fn the_top_level_help_in_chinese_and_english() {
    let zh = help(&["--help"]);
    for s in [
        "用法:",
        "命令:",
        "选项:",
        "statement  资金收支情况表",
        "report     绩效自评报告",
        "table ",
        "import ",
        "bangfu report [DIR] [--lang zh|en]",
        "--version",
        "退出状态：0 成功；1 输入有误",
    ] {
        assert!(zh.contains(s), "no {s:?} in:\n{zh}");
    }
    assert!(!zh.contains("Usage") && !zh.contains("Options"), "{zh}");
    let en = help(&["--help", "--lang", "en"]);
    for s in [
        "Usage:",
        "Commands:",
        "Options:",
        "statement  The fund statement",
        "report     The performance self-evaluation report",
        "Exit status: 0 success; 1 bad input",
    ] {
        assert!(en.contains(s), "no {s:?} in:\n{en}");
    }
    assert!(
        !en.contains("用法") && !en.contains("资金收支情况表"),
        "{en}"
    );
    // `--lang=en` anywhere, `-h`, and no arguments at all.
    assert_eq!(help(&["--lang=en", "-h"]), en);
    assert_eq!(help(&[]), zh);
}

#[test]
fn each_subcommand_has_its_own_help() {
    let report = help(&["report", "--help"]);
    assert!(report.starts_with("绩效自评报告"), "{report}");
    for s in [
        "bangfu report [DIR]",
        "--framework <self|reference>",
        "--format <md|html|docx>",
        "参数:",
        "[DIR]  年度目录",
        "示例：",
    ] {
        assert!(report.contains(s), "no {s:?} in:\n{report}");
    }
    // Not the global usage, nor another command's options.
    assert!(!report.contains("bangfu statement") && !report.contains("--ledger"));
    let en = help(&["report", "--help", "--lang", "en"]);
    assert!(
        en.starts_with("The performance self-evaluation report"),
        "{en}"
    );
    assert!(en.contains("Arguments:") && en.contains("the indicator framework"));
    assert!(!en.contains("评分指标体系"));
    // `bangfu help report` is `bangfu report --help`.
    assert_eq!(help(&["help", "report"]), report);

    let statement = help(&["statement", "--help"]);
    assert!(statement.starts_with("资金收支情况表"), "{statement}");
    assert!(statement.contains("--ledger <FILE>") && !statement.contains("--framework"));
    for (args, starts) in [
        (&["table", "-h"][..], "输出年度的一张表"),
        (&["import", "-h"][..], "把 Excel 或 CSV"),
        (&["eval", "-h"][..], "逐行决定 JSON Lines"),
        (&["check", "-h"][..], "检查年度目录"),
        (&["policy", "show", "-h"][..], "输出一个内置的政策文件"),
        (
            &["policy", "check", "-h", "--lang", "en"][..],
            "Check a policy file",
        ),
    ] {
        let h = help(args);
        assert!(h.starts_with(starts), "{args:?}:\n{h}");
    }
}

#[test]
fn a_misspelt_subcommand_gets_a_suggestion_and_exit_2() {
    let (code, out, err) = bangfu(&["statment"]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.starts_with("bangfu: 没有命令“statment”；您是否要用“statement”？"),
        "{err}"
    );
    assert!(err.contains("用法:") && err.contains("运行“bangfu --help”查看帮助"));
    let (code, _, err) = bangfu(&["statment", "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("bangfu: unknown command 'statment'; did you mean 'statement'?"),
        "{err}"
    );
    // Nothing like any command: no suggestion, still exit 2.
    let (code, _, err) = bangfu(&["frobnicate"]);
    assert_eq!(code, 2);
    assert!(err.starts_with("bangfu: 没有命令“frobnicate”\n"), "{err}");
}

#[test]
fn a_misspelt_option_gets_a_suggestion_and_the_commands_usage() {
    let (code, _, err) = bangfu(&["report", "--fromat", "html"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("bangfu: 未知选项“--fromat”；您是否要用“--format”？"),
        "{err}"
    );
    assert!(err.contains("  bangfu report [DIR]"), "{err}");
    assert!(err.contains("运行“bangfu report --help”查看帮助"), "{err}");
    assert!(
        !err.contains("bangfu statement"),
        "only report's usage: {err}"
    );
    let (code, _, err) = bangfu(&["report", "--fromat", "html", "--lang", "en"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("bangfu: unknown option '--fromat'; did you mean '--format'?"),
        "{err}"
    );
    assert!(err.contains("run 'bangfu report --help'"), "{err}");
}

#[test]
fn missing_and_invalid_values_are_bad_usage_in_the_chosen_language() {
    for (args, zh, en) in [
        (
            &["statement", "--out"][..],
            "bangfu: 选项 --out 需要一个值",
            "bangfu: --out needs a value",
        ),
        (
            &["report", "--format", "pdf"][..],
            "bangfu: 选项 --format 的值“pdf”无效，可用的值：md|html|docx",
            "bangfu: --format takes md|html|docx, not 'pdf'",
        ),
        (
            &["table", "score"][..],
            "bangfu: 参数 <TABLE> 的值“score”无效，可用的值：statement|scores|roster|findings|plan|inspection|all；您是否要用“scores”？",
            "bangfu: <TABLE> takes statement|scores|roster|findings|plan|inspection|all, not 'score'; did you mean 'scores'?",
        ),
        (
            &["policy", "check", "x.toml", "--on", "June"][..],
            "bangfu: 选项 --on 的值“June”无效：",
            "bangfu: invalid value 'June' for --on: ",
        ),
        (
            &["policy", "check"][..],
            "bangfu: 缺少参数：<FILE>",
            "bangfu: missing argument: <FILE>",
        ),
        (
            &["policy"][..],
            "bangfu: “bangfu policy”需要一个子命令：check|show",
            "bangfu: 'bangfu policy' needs a subcommand: check|show",
        ),
        (
            &["statement", "--json", "--format", "csv"][..],
            "bangfu: 选项 --json 不能与 --format 同用",
            "bangfu: --json cannot be used with --format",
        ),
    ] {
        let (code, out, err) = bangfu(args);
        assert_eq!(code, 2, "{args:?}: {err}");
        assert!(out.is_empty());
        assert!(err.starts_with(zh), "{args:?}:\n{err}");
        let mut english = args.to_vec();
        english.extend(["--lang", "en"]);
        let (code, _, err) = bangfu(&english);
        assert_eq!(code, 2, "{english:?}: {err}");
        assert!(err.starts_with(en), "{english:?}:\n{err}");
    }
    // An unknown language is bad usage too, said in Chinese.
    let (code, _, err) = bangfu(&["report", "--lang", "fr"]);
    assert_eq!(code, 2);
    assert!(
        err.starts_with("bangfu: 选项 --lang 的值“fr”无效，可用的值：zh|en"),
        "{err}"
    );
}

#[test]
fn version_gives_the_embedded_policys_id_and_hash() {
    let (code, out, err) = bangfu(&["--version"]);
    assert_eq!(code, 0, "{err}");
    let stamp = bangfu::PolicyStamp::of(
        &bangfu::hainan2018::policy().unwrap(),
        bangfu::hainan2018::POLICY_TOML,
    );
    assert_eq!(stamp.id, "CN-HI@2018.1");
    assert_eq!(
        out,
        format!(
            "bangfu {}\n政策 CN-HI@2018.1 (内置：海南省2018年度)\nsha256 {}\n",
            env!("CARGO_PKG_VERSION"),
            stamp.sha256
        )
    );
    let hash = out.lines().nth(2).unwrap().strip_prefix("sha256 ").unwrap();
    assert_eq!(hash.len(), 64);
    assert!(
        hash.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(
        hash,
        bangfu::year::sha256_hex(bangfu::hainan2018::POLICY_TOML.as_bytes())
    );
    let (code, en, _) = bangfu(&["-V", "--lang", "en"]);
    assert_eq!(code, 0);
    assert!(
        en.contains("policy CN-HI@2018.1 (embedded: Hainan 2018)"),
        "{en}"
    );
    assert!(en.contains(hash));
}

#[test]
fn version_with_a_policy_file_gives_that_files_id_and_hash() {
    let dir = common::scratch("help");
    let path = dir.join("example-2020.toml");
    // With a byte order mark, as Notepad saves it: the hash is of the text after it.
    let text = bangfu::example2020::POLICY_TOML;
    std::fs::write(&path, format!("\u{feff}{text}")).unwrap();
    let p = path.to_str().unwrap();
    let (code, out, err) = bangfu(&["--version", "--policy", p]);
    assert_eq!(code, 0, "{err}");
    let stamp = bangfu::PolicyStamp::of(&bangfu::example2020::policy().unwrap(), text);
    assert!(out.contains(&format!("政策 {} ({p})", stamp.id)), "{out}");
    assert!(out.contains(&format!("sha256 {}\n", stamp.sha256)), "{out}");
    assert_ne!(stamp.id, "CN-HI@2018.1");
    // `--policy` alone at the top is bad usage; a broken file is bad input with its line.
    let (code, _, err) = bangfu(&["--policy", p]);
    assert_eq!(code, 2, "{err}");
    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "[meta\n").unwrap();
    let (code, _, err) = bangfu(&["--version", "--policy", broken.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("[read.syntax]") && err.contains("line 1"),
        "{err}"
    );
}

#[test]
fn errors_with_a_code_are_in_the_chosen_language() {
    let (code, _, err) = bangfu(&["eval", "/nonexistent/requests.jsonl"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "bangfu: 错误 [input.unreadable]: 无法读取文件: /nonexistent/requests.jsonl: No such file or directory (os error 2)\n"
    );
    let (code, _, err) = bangfu(&["eval", "/nonexistent/requests.jsonl", "--lang", "en"]);
    assert_eq!(code, 1);
    assert_eq!(
        err,
        "bangfu: error [input.unreadable]: /nonexistent/requests.jsonl: No such file or directory (os error 2)\n"
    );
}
