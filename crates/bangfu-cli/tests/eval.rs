//! `bangfu eval` and `bangfu policy`, run as another program would run them.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic,
    missing_docs
)]

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

const REQUESTS: &str = bangfu::aid::EXAMPLE_REQUESTS_JSONL;

/// Runs `bangfu ARGS` with `stdin` as standard input: (exit code, stdout, stderr).
fn bangfu(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bangfu"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Written from another thread: a large input is read while the output is read here.
    // A command that stops early (a bad policy) closes its input: not a failure here.
    let mut input = child.stdin.take().unwrap();
    let stdin = stdin.to_owned();
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(stdin.as_bytes());
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn temp(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("bangfu-cli-eval-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn lines(out: &str) -> Vec<Value> {
    out.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn eval_on_standard_input() {
    let (code, out, err) = bangfu(&["eval"], REQUESTS);
    assert_eq!(code, 0, "{err}");
    let out = lines(&out);
    assert_eq!(out.len(), REQUESTS.lines().count());
    for (i, l) in out.iter().enumerate() {
        assert_eq!(l["line"], i + 1);
    }
    assert_eq!(out[0]["amount"], "5000.00");
    assert_eq!(out[1]["amount"], "10000.00");
    assert_eq!(out[2]["amount"], "1600.00");
    assert_eq!(out[6]["error"], "aid.file.not_payable");
    assert_eq!(out[7]["error"], "aid.request.unknown_kind");
    // `-` is standard input too.
    let (code, dash, _) = bangfu(&["eval", "-"], REQUESTS);
    assert_eq!(code, 0);
    assert_eq!(lines(&dash), out);
}

#[test]
fn eval_on_a_file_gives_what_standard_input_gives() {
    let file = temp("requests.jsonl", REQUESTS);
    let (code, from_file, err) = bangfu(&["eval", file.to_str().unwrap()], "");
    assert_eq!(code, 0, "{err}");
    let (_, from_stdin, _) = bangfu(&["eval"], REQUESTS);
    assert_eq!(from_file, from_stdin);
}

#[test]
fn eval_keeps_going_after_a_bad_line() {
    let good: Vec<&str> = REQUESTS.lines().take(2).collect();
    let input = format!("{}\n{{not json\n\n{}\n[1]\n", good[0], good[1]);
    let (code, out, _) = bangfu(&["eval"], &input);
    assert_eq!(code, 0);
    let out = lines(&out);
    let summary: Vec<(u64, Option<&str>)> = out
        .iter()
        .map(|l| (l["line"].as_u64().unwrap(), l["error"].as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (1, None),
            (2, Some("read.syntax")),
            (4, None),
            (5, Some("read.invalid_type")),
        ]
    );
    assert_eq!(out[2]["amount"], "10000.00");
}

#[test]
fn explain_adds_explanations_and_changes_no_amount() {
    let (_, plain, _) = bangfu(&["eval"], REQUESTS);
    let (code, explained, _) = bangfu(&["eval", "--explain"], REQUESTS);
    assert_eq!(code, 0);
    let (plain, explained) = (lines(&plain), lines(&explained));
    assert!(plain.iter().all(|l| l.get("explanation").is_none()));
    let first = &explained[0]["explanation"];
    assert!(
        first["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "aid.medical.yearly_cap" && p["citation"].is_object())
    );
    assert!(!first["steps"].as_array().unwrap().is_empty());
    for (p, e) in plain.iter().zip(&explained) {
        assert_eq!(p["amount"], e["amount"]);
        assert_eq!(p["reasons"], e["reasons"]);
        assert_eq!(p["error"], e["error"]);
    }
}

#[test]
fn eval_under_another_policy_file() {
    let policy = temp("example-2020.toml", bangfu::example2020::POLICY_TOML);
    let line = r#"{"kind":"sending_warmth","id":"w","file":{"case":"X-1/1","household":"X-1","tier":"national","degree":"deep","household_size":2,"status":"active"},"claim":{"id":"w-1","date":"2021-02-01"}}"#;
    let (code, out, err) = bangfu(&["eval", "--policy", policy.to_str().unwrap()], line);
    assert_eq!(code, 0, "{err}");
    assert_eq!(lines(&out)[0]["amount"], "4500.00");
    // Under the default (Hainan 2018) the 2020+ degree is unknown.
    let (_, out, _) = bangfu(&["eval"], line);
    assert_eq!(lines(&out)[0]["error"], "aid.file.unknown_degree");
}

#[test]
fn an_unreadable_file_or_a_bad_policy_stops_the_run() {
    let (code, out, err) = bangfu(&["eval", "/nonexistent/requests.jsonl"], "");
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("[input.unreadable]"), "{err}");
    let bad = temp(
        "bad-policy.toml",
        "[meta]\njurisdiction = \"X\"\nname_zh = 1\n",
    );
    let (code, out, err) = bangfu(&["eval", "--policy", bad.to_str().unwrap()], REQUESTS);
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("[read.invalid_type]"), "{err}");
}

#[test]
fn policy_check_of_a_good_file_prints_what_is_in_force() {
    let file = temp("hainan.toml", bangfu::hainan2018::POLICY_TOML);
    let (code, out, err) = bangfu(
        &[
            "policy",
            "check",
            file.to_str().unwrap(),
            "--on",
            "2018-06-01",
        ],
        "",
    );
    assert_eq!(code, 0, "{err}");
    assert!(out.contains(": ok"), "{out}");
    assert!(out.contains("in force on 2018-06-01:"), "{out}");
    assert!(
        out.contains("| aid.medical.yearly_cap | 15000.00 | 2018-01-01 | aid.seed.medical |"),
        "{out}"
    );
    assert!(out.contains("| aid.medical.rate | 0.5 | 2018-01-01 | aid.seed.medical |"));
    assert!(out.contains("citations:"));
    assert!(out.contains("[assumed: "), "{out}");
}

#[test]
fn policy_check_on_a_date() {
    let file = temp("example.toml", bangfu::example2020::POLICY_TOML);
    let path = file.to_str().unwrap();
    let cap = |out: &str| -> String {
        out.lines()
            .find(|l| l.starts_with("| aid.medical.yearly_cap |"))
            .unwrap()
            .to_owned()
    };
    let (_, y2021, _) = bangfu(&["policy", "check", path, "--on", "2021-06-01"], "");
    assert_eq!(
        cap(&y2021),
        "| aid.medical.yearly_cap | 20000.00 | 2020-01-01 | aid.assumed.example.medical |"
    );
    let (_, y2022, _) = bangfu(&["policy", "check", path, "--on", "2022-06-01"], "");
    assert_eq!(
        cap(&y2022),
        "| aid.medical.yearly_cap | 30000.00 | 2022-01-01 | aid.assumed.example.medical |"
    );
    let scheme = |out: &str| {
        out.lines()
            .any(|l| l.starts_with("| eligibility.schemes | kind = graded_2020"))
    };
    assert!(scheme(&y2021));
    let (_, y2019, _) = bangfu(&["policy", "check", path, "--on", "2019-06-01"], "");
    assert!(!scheme(&y2019));
    assert!(
        y2019.contains("| aid.medical.yearly_cap | (not yet in force) | 2020-01-01 |"),
        "{y2019}"
    );
    // Without --on: the newest `from` of the file, said so.
    let (code, newest, _) = bangfu(&["policy", "check", path], "");
    assert_eq!(code, 0);
    assert!(
        newest.contains("(default: the newest `from` in the file"),
        "{newest}"
    );
    assert!(cap(&newest).contains("30000.00"));
    let (code, _, err) = bangfu(&["policy", "check", path, "--on", "June"], "");
    assert_eq!(code, 2, "{err}");
}

#[test]
fn policy_check_of_a_malformed_file_names_the_line() {
    let text = bangfu::hainan2018::POLICY_TOML.replacen("value = \"0.5\"", "value = \"0.5", 1);
    let broken_line = text.lines().position(|l| l == "value = \"0.5").unwrap() + 1;
    let file = temp("broken.toml", &text);
    let (code, out, err) = bangfu(&["policy", "check", file.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(out.is_empty());
    assert!(err.contains("[read.syntax]"), "{err}");
    assert!(err.contains(&format!("line {broken_line}:")), "{err}");

    // A well-formed file with an unknown key: the key's line and its code.
    let text = bangfu::hainan2018::POLICY_TOML.replacen(
        "[[aid.medical.rate]]\n",
        "[[aid.medical.rate]]\ncolour = \"red\"\n",
        1,
    );
    let line = text.lines().position(|l| l == "colour = \"red\"").unwrap() + 1;
    let file = temp("unknown-key.toml", &text);
    let (code, _, err) = bangfu(&["policy", "check", file.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("[read.unknown_field]"), "{err}");
    assert!(err.contains(&format!("line {line}:")), "{err}");
}

#[test]
fn policy_check_names_the_line_of_an_undefined_citation() {
    let text = bangfu::hainan2018::POLICY_TOML.replacen(
        "cite = \"aid.seed.medical\"",
        "cite = \"aid.seed.medicl\"",
        1,
    );
    let line = text
        .lines()
        .position(|l| l.contains("aid.seed.medicl"))
        .unwrap()
        + 1;
    let file = temp("typo.toml", &text);
    let (code, _, err) = bangfu(&["policy", "check", file.to_str().unwrap()], "");
    assert_eq!(code, 1);
    assert!(err.contains("[policy.unknown_citation]"), "{err}");
    assert!(err.contains(&format!("line {line}:")), "{err}");
}

#[test]
fn policy_show_prints_the_embedded_files() {
    let (code, out, _) = bangfu(&["policy", "show", "hainan-2018"], "");
    assert_eq!(code, 0);
    assert_eq!(out, bangfu::hainan2018::POLICY_TOML);
    let (code, out, _) = bangfu(&["policy", "show", "example-2020"], "");
    assert_eq!(code, 0);
    assert_eq!(out, bangfu::example2020::POLICY_TOML);
    // What `show` prints is a file `check` accepts.
    let copy = temp("copy.toml", &out);
    let (code, checked, _) = bangfu(&["policy", "check", copy.to_str().unwrap()], "");
    assert_eq!(code, 0);
    assert!(checked.contains("policy EXAMPLE 2020.1"), "{checked}");
    let (code, _, err) = bangfu(&["policy", "show", "atlantis"], "");
    assert_eq!(code, 2);
    assert!(err.contains("hainan-2018|example-2020"), "{err}");
}

#[test]
fn usage_lists_the_new_commands() {
    let (code, out, _) = bangfu(&["--help"], "");
    assert_eq!(code, 0);
    assert!(out.contains("bangfu eval [FILE] [--policy FILE] [--explain]"));
    assert!(out.contains("bangfu policy check FILE [--on DATE]"));
    let (code, _, _) = bangfu(&["policy"], "");
    assert_eq!(code, 2);
}

/// Runs `bangfu ARGS` with its input kept open, sending the first `count` example requests
/// one at a time: each answer must come before the next request is sent.
fn answers_each_line_as_it_comes(args: &[&str], count: usize) {
    use std::io::BufRead;
    let mut child = Command::new(env!("CARGO_BIN_EXE_bangfu"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                break;
            }
        }
    });
    let wait = std::time::Duration::from_secs(20);
    for (i, request) in REQUESTS.lines().take(count).enumerate() {
        // The input stays open: the answer must come before the next request is sent.
        writeln!(stdin, "{request}").unwrap();
        stdin.flush().unwrap();
        let answer: Value = serde_json::from_str(&rx.recv_timeout(wait).unwrap()).unwrap();
        assert_eq!(answer["line"], i + 1);
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn eval_answers_each_line_as_it_comes() {
    answers_each_line_as_it_comes(&["eval"], 3);
}

/// A few thousand request lines: the example requests with their ids and amounts varied,
/// and every so often a line that cannot be decided (bad JSON, a duplicate key, an unknown
/// kind, digits as a number, a blank line, a byte order mark, kind after the other fields).
fn generated_requests(n: usize) -> String {
    let examples: Vec<&str> = REQUESTS.lines().collect();
    let mut out = String::new();
    for i in 0..n {
        let line = examples[i % examples.len()];
        let line = line.replacen(r#"{"kind""#, &format!(r#"{{"id":"g-{i}","kind""#), 1);
        let line = line.replacen("0.00\"", &format!("{}.{:02}\"", i % 977, i % 100), 1);
        let line = match i % 50 {
            7 => line[..line.len() / 2].to_owned(),
            11 => line.replacen(r#""kind""#, r#""kind":"medical","kind""#, 1),
            13 => line.replacen(r#""kind":""#, r#""kind":"x"#, 1),
            17 => line.replacen(r#""household_size":"#, r#""household_size":1.5,"x":"#, 1),
            19 => String::new(),
            23 => format!("\u{feff}{line}"),
            29 => {
                let v: Value = serde_json::from_str(&line).unwrap();
                let mut fields: Vec<(String, Value)> =
                    v.as_object().unwrap().clone().into_iter().collect();
                fields.rotate_left(1);
                let map: serde_json::Map<String, Value> = fields.into_iter().collect();
                serde_json::to_string(&map).unwrap()
            }
            31 => line
                .replacen(r#""id":"g-"#, r#""id":4601001982051200"#, 1)
                .replacen(&format!("{i}\""), "", 1),
            _ => line,
        };
        out.push_str(&line);
        out.push('\n');
    }
    out
}

#[test]
fn two_threads_write_byte_for_byte_what_one_writes() {
    let input = generated_requests(3_000);
    let file = temp("generated.jsonl", &input);
    let path = file.to_str().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2", "3"] {
        for explain in [false, true] {
            let mut args = vec!["eval", path, "--threads", threads];
            if explain {
                args.push("--explain");
            }
            let (code, out, err) = bangfu(&args, "");
            assert_eq!(code, 0, "{err}");
            outputs.push((threads, explain, out));
        }
    }
    // One thread gives what the library gives line by line.
    let policy = bangfu::hainan2018::policy().unwrap();
    let decider = bangfu::jsonl::Decider::new(&policy).unwrap();
    let plain = bangfu::jsonl::to_jsonl(&decider.decide_str(&input, bangfu::aid::Explain::Off));
    assert!(
        outputs[0].2 == plain,
        "--threads 1 differs from the library"
    );
    let errors = outputs[0]
        .2
        .lines()
        .filter(|l| l.contains(r#""error":"#))
        .count();
    let decided = outputs[0].2.lines().count() - errors;
    assert!(
        errors > 200 && decided > 1_500,
        "{errors} error lines, {decided} decisions"
    );
    for (threads, explain, out) in &outputs[2..] {
        let one = if *explain {
            &outputs[1].2
        } else {
            &outputs[0].2
        };
        assert!(
            out == one,
            "--threads {threads} (explain {explain}) differs from --threads 1"
        );
    }
    // Standard input, two threads: the same.
    let (_, from_stdin, _) = bangfu(&["eval", "--threads", "2"], &input);
    assert!(from_stdin == plain);
}

#[test]
fn two_threads_answer_each_line_as_it_comes() {
    answers_each_line_as_it_comes(&["eval", "--threads", "2"], 5);
}

#[test]
fn threads_must_be_a_count() {
    for bad in ["0", "x", "-1"] {
        let (code, _, err) = bangfu(&["eval", "--threads", bad], "");
        assert_eq!(code, 2, "--threads {bad}: {err}");
    }
    let (_, help, _) = bangfu(&["eval", "--help"], "");
    assert!(
        help.contains("--threads") && help.contains("线程"),
        "{help}"
    );
    let (_, help, _) = bangfu(&["--lang", "en", "eval", "--help"], "");
    assert!(
        help.contains("--threads") && help.contains("byte for byte"),
        "{help}"
    );
}

#[test]
fn policy_show_lists_the_newer_sections_of_the_hubei_and_guinan_policies() {
    // The embedded files themselves, to copy.
    let (code, out, _) = bangfu(&["policy", "show", "hubei-2023"], "");
    assert_eq!(code, 0);
    assert_eq!(out, bangfu::hubei2023::POLICY_TOML);
    // By section, in Chinese (the default) and English.
    let (code, zh, err) = bangfu(&["policy", "show", "hubei-2023", "--sections"], "");
    assert_eq!(code, 0, "{err}");
    for want in [
        "## 最低生活保障标准（按城市、按日期）",
        "| 420100（本政策城市） | 2023-01-01 | 940.00 | mls.hb.wuhan |",
        "## 医疗救助（封顶范围：按人或按户）",
        "| aid.medical.cap_scope | household | 2023-01-01 |",
        "## 临时救助",
        "| aid.temporary.yearly_cap_per_person | 3000.00 |",
    ] {
        assert!(zh.contains(want), "{want}\n{zh}");
    }
    let (code, en, err) = bangfu(
        &["policy", "show", "hubei-2023", "--sections", "--lang", "en"],
        "",
    );
    assert_eq!(code, 0, "{err}");
    for want in [
        "## Local minimum living standard (per city, dated)",
        "| 420100 (the policy's city) | 2023-01-01 | 940.00 |",
        "## Medical aid (cap scope: per person or per household)",
        "## Temporary aid",
    ] {
        assert!(en.contains(want), "{want}\n{en}");
    }
    // The allocation plan and the payment checks of the Guinan policy.
    let (code, zh, err) = bangfu(&["policy", "show", "guinan-2019", "--sections"], "");
    assert_eq!(code, 0, "{err}");
    assert!(
        zh.contains("## 分配方案\n") && zh.contains("| allocation.reserve | 0.03 |"),
        "{zh}"
    );
    assert!(
        zh.contains("## 发放核查\n") && zh.contains("| payment_checks.callback_ratio | 0.02 |"),
        "{zh}"
    );
}

#[test]
fn eval_decides_temporary_aid_under_the_hubei_policy_with_its_explanation() {
    let policy = temp("hubei-2023.toml", bangfu::hubei2023::POLICY_TOML);
    let policy = policy.to_str().unwrap();
    let input = concat!(
        r#"{"kind":"temporary","id":"t","worker":{"key":"W-7"},"claim":{"id":"t-2","date":"2023-09-01","event":"accident","relation":"worker","requested":"2500.00"},"earlier_payments":[{"claim":"t-1","date":"2023-03-05","category":"living","aid_kind":"temporary","person":"W-7","amount":"1000.00"}]}"#,
        "\n",
        r#"{"kind":"temporary","id":"f","worker":{"key":"W-8","filed":true},"claim":{"id":"t-3","date":"2023-09-01","event":"accident","relation":"worker","requested":"100.00"}}"#,
        "\n",
        r#"{"kind":"temporary","id":"x","worker":{"key":"W-9"},"claim":{"id":"t-4","date":"2023-09-01","event":"lottery","relation":"worker","requested":"100.00"}}"#,
        "\n",
    );
    let (code, out, err) = bangfu(&["eval", "--policy", policy, "--explain"], input);
    assert_eq!(code, 0, "{err}");
    let out = lines(&out);
    assert_eq!(
        (out[0]["kind"].as_str(), out[0]["amount"].as_str()),
        (Some("temporary"), Some("2000.00"))
    );
    assert_eq!(out[0]["reasons"][0], "aid.temporary.yearly_cap");
    let steps = out[0]["explanation"]["steps"].as_array().unwrap();
    assert!(
        steps.iter().any(|s| s["cite"] == "aid.hb.scheme.temporary"),
        "{steps:?}"
    );
    assert_eq!(
        (out[1]["amount"].as_str(), out[1]["reasons"][0].as_str()),
        (Some("0.00"), Some("aid.temporary.worker_filed"))
    );
    // An event the type does not know: an error line coded by the type.
    assert_eq!(
        (out[2]["line"].as_u64(), out[2]["error"].as_str()),
        (Some(3), Some("read.unknown_code"))
    );
    // Under Hainan's policy (no temporary aid) the kind is read and refused by its code.
    let (_, out, _) = bangfu(&["eval"], input.lines().next().unwrap());
    assert_eq!(lines(&out)[0]["error"], "aid.parameter.not_in_force");
}
