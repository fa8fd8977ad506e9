//! The store (业务库): `bangfu init`, `apply`, `verify` and `export`, and a store read by
//! `statement`, `report`, `table` and `check` in place of a year directory.
//!
//! A store is one SQLite file (`bangfu-journal`): the year's operations in a durable journal,
//! each checked by the rules. A path that is a file is a store; a directory is a year
//! directory.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::path::Path;

use bangfu::core::Lang;
use bangfu_journal::{
    AccountId, Journal, LineError, OpLine, Outcome, ReadReceipt, Setup, SqliteStorage, Storage,
};
use clap::{ArgMatches, Command};

use crate::cli::{self, Subcommand, value};
use crate::failure::{CliError, Failure};
use crate::io::read;

/// Whether `path` names a store (a file), not a year directory.
pub(crate) fn is_store(path: &str) -> bool {
    Path::new(path).is_file()
}

/// The store at `path`, its journal replayed.
pub(crate) fn open(path: &str) -> Result<Journal<SqliteStorage>, Failure> {
    let storage = SqliteStorage::open(Path::new(path)).map_err(|e| in_store(path, &e))?;
    Journal::open(storage).map_err(|e| in_store(path, &e))
}

/// An error of the store at `path`, named with it.
fn in_store(path: &str, e: &bangfu_journal::JournalError) -> Failure {
    Failure::Coded(crate::failure::CodedError::with_message(
        e,
        format!("{path}: {e}"),
    ))
}

/// The receipt as the last line of a text output.
pub(crate) fn receipt_line(receipt: &ReadReceipt, lang: Lang) -> String {
    let word = cli::tr(lang, "回执", "receipt");
    format!("\n{word}: {}\n", receipt.line())
}

const STORE_HELP: (&str, &str) = (
    "业务库文件（SQLite，由 bangfu init 创建）",
    "a store file (SQLite, made by bangfu init)",
);

fn store_arg(lang: Lang) -> clap::Arg {
    cli::positional(lang, "store", "STORE", STORE_HELP).required(true)
}

/// `bangfu init`.
pub(crate) const INIT: Subcommand = Subcommand {
    name: "init",
    usage: INIT_USAGE,
    command: init_command,
    run: init,
};

const INIT_USAGE: &[&str] = &[
    "bangfu init STORE [--from DIR]",
    "bangfu init STORE --policy FILE --budget FILE [--units FILE]",
];

fn init_command(lang: Lang) -> Command {
    cli::command(
        "init",
        INIT_USAGE,
        lang,
        (
            "创建业务库：用政策文件和预算文件建一个空的年度，或导入一个年度目录（每条记录作为一项操作，\
             经规则检查后写入）。不给文件时用内置的海南省2018年政策和预算。",
            "Create a store: an empty year under a policy and a budget file, or a year \
             directory imported (each record applied as an operation, checked by the rules). \
             Without files, the embedded Hainan 2018 policy and budget.",
        ),
        (
            "示例：\n  bangfu init 2018.db --from 年度目录\n  \
             bangfu init 2019.db --policy policy.toml --budget budget.toml",
            "Examples:\n  bangfu init 2018.db --from DIR\n  \
             bangfu init 2019.db --policy policy.toml --budget budget.toml",
        ),
    )
    .arg(store_arg(lang))
    .arg(
        cli::option(
            lang,
            "from",
            "DIR",
            ("导入的年度目录", "a year directory to import"),
        )
        .conflicts_with_all(["policy", "budget"]),
    )
    .arg(cli::policy(lang).requires("budget"))
    .arg(
        cli::option(lang, "budget", "FILE", ("预算文件（TOML）", "a budget file (TOML)"))
            .requires("policy"),
    )
    .arg(
        cli::option(
            lang,
            "units",
            "FILE",
            (
                "工会组织体系（units.toml，账户的管辖范围）；年度目录中的 units.toml 随目录导入",
                "the union organisation tree (units.toml, the scopes of accounts); a year \
                 directory's units.toml comes with it",
            ),
        )
        .requires("policy"),
    )
}

fn init(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let path = value(m, "store").unwrap_or_default();
    if Path::new(path).exists() {
        return Err(Failure::from(CliError::Unwritable {
            path: path.to_owned(),
            message: "exists already: a store is created once".to_owned(),
        }));
    }
    let create = || SqliteStorage::create(Path::new(path)).map_err(|e| in_store(path, &e));
    let journal = match (value(m, "from"), value(m, "policy"), value(m, "budget")) {
        (Some(dir), _, _) => import_dir(path, dir, create)?,
        (None, Some(policy), Some(budget)) => {
            let mut setup = Setup::new(&read(policy)?, &read(budget)?)
                .map_err(|e| in_store(&format!("{policy}, {budget}"), &e))?;
            if let Some(units) = value(m, "units") {
                setup = setup
                    .with_units(&read(units)?)
                    .map_err(|e| in_store(units, &e))?;
            }
            Journal::create(create()?, setup).map_err(|e| in_store(path, &e))?
        }
        _ => {
            let setup = Setup::new(
                bangfu::hainan2018::POLICY_TOML,
                bangfu::hainan2018::BUDGET_TOML,
            )
            .map_err(|e| in_store(path, &e))?;
            Journal::create(create()?, setup).map_err(|e| in_store(path, &e))?
        }
    };
    let r = journal.receipt();
    Ok(match lang {
        Lang::Zh => format!(
            "已创建业务库 {path}：政策 {}，已记录 {} 项操作{}",
            r.policy.id,
            r.position,
            receipt_line(&r, lang)
        ),
        Lang::En => format!(
            "created the store {path}: policy {}, {} operations recorded{}",
            r.policy.id,
            r.position,
            receipt_line(&r, lang)
        ),
    })
}

/// Operations a transaction of `bangfu init --from DIR` holds at most: large enough that the
/// commit's fsync is rare, small enough that the write-ahead log stays a fraction of the
/// store.
const PER_TRANSACTION: usize = 100_000;

/// `bangfu init STORE --from DIR`: the directory's records applied once each through the
/// rules, read line by line and committed in transactions of [`PER_TRANSACTION`]; a
/// directory whose dated files are not in date order is read whole and applied in one
/// transaction. A progress bar on standard error when it is a terminal. On any problem the
/// store file is removed.
fn import_dir(
    path: &str,
    dir: &str,
    create: impl Fn() -> Result<SqliteStorage, Failure>,
) -> Result<Journal<SqliteStorage>, Failure> {
    let root = crate::year_dir::directory(dir)?;
    let total = crate::year_dir::count_records(root);
    let bar = crate::progress::bar(total, "records");
    let mut shown = |p: bangfu_journal::Progress| bar.set_position(p.done);
    let failed = |problems| {
        remove_store(path);
        crate::year_dir::in_dir(dir, problems)
    };
    let streamed = Journal::ingest(
        create()?,
        &crate::year_dir::DirOnDisk(root.to_path_buf()),
        &importer()?,
        PER_TRANSACTION,
        total,
        &mut shown,
    );
    let journal = match streamed {
        Ok(j) => j,
        Err(bangfu_journal::IngestFailure::Problems(p)) => return Err(failed(p)),
        Err(bangfu_journal::IngestFailure::NotInDateOrder(_)) => {
            // Read whole and sorted by date, as `bangfu report DIR` reads it.
            remove_store(path);
            bar.set_position(0);
            let files = crate::year_dir::files(dir)?;
            let ops = bangfu_journal::DirOperations::read(&files, &importer()?)
                .map_err(|p| crate::year_dir::in_dir(dir, p))?;
            drop(files);
            bar.set_length(ops.lines.len() as u64);
            Journal::from_operations_with(create()?, ops, &mut shown).map_err(failed)?
        }
    };
    bar.finish_and_clear();
    Ok(journal)
}

/// The account of an import.
fn importer() -> Result<AccountId, Failure> {
    Ok(AccountId::new("import")?)
}

/// Removes a store file and its SQLite companions (a failed `init`).
fn remove_store(path: &str) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{path}{suffix}"));
    }
}

/// `bangfu apply`.
pub(crate) const APPLY: Subcommand = Subcommand {
    name: "apply",
    usage: APPLY_USAGE,
    command: apply_command,
    run: apply,
};

const APPLY_USAGE: &[&str] = &["bangfu apply STORE [FILE] [--batch N] [--token TOKEN]"];

fn apply_command(lang: Lang) -> Command {
    cli::command(
        "apply",
        APPLY_USAGE,
        lang,
        (
            "向业务库逐行提交操作（JSON Lines，见 docs/journal.md）：每行输出一行结果\
             （accepted、duplicate，或 refused 并附错误代码）。每批操作在一个事务内写入，\
             提交后才输出该批结果。同一操作编号重复提交只返回第一次的结果。",
            "Apply operation lines (JSON Lines, docs/journal.md) to a store: one result line \
             each (accepted, duplicate, or refused with its code). Each batch is written in \
             one transaction and its results are printed after the commit. The same \
             operation id again returns its first result.",
        ),
        (
            "示例：\n  bangfu apply 2018.db operations.jsonl\n  \
             cat ops.jsonl | bangfu apply 2018.db --batch 1      每行单独提交\n\
             退出状态：0 全部已记录（含重复）；1 有操作被拒绝或业务库出错。",
            "Examples:\n  bangfu apply 2018.db operations.jsonl\n  \
             cat ops.jsonl | bangfu apply 2018.db --batch 1      commit each line\n\
             Exit status: 0 every line recorded (duplicates included); 1 a line refused or \
             the store failed.",
        ),
    )
    .arg(store_arg(lang))
    .arg(cli::positional(
        lang,
        "file",
        "FILE",
        (
            "操作文件（JSON Lines）；省略时读标准输入",
            "a file of operations (JSON Lines); standard input without it",
        ),
    ))
    .arg(
        cli::option(
            lang,
            "batch",
            "N",
            (
                "每个事务的操作行数（默认1000）",
                "operation lines per transaction (default 1000)",
            ),
        )
        .value_parser(clap::value_parser!(u32).range(1..=100_000)),
    )
    .arg(cli::option(
        lang,
        "token",
        "TOKEN",
        (
            "账户令牌（业务库有账户时必须提供；每行操作须以该账户名义，并在其角色和管辖范围之内）",
            "an account's token (required when the store has accounts; every line must be in \
             the account's name and within its roles and scope)",
        ),
    ))
}

fn apply(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let path = value(m, "store").unwrap_or_default();
    let batch = m.get_one::<u32>("batch").copied().unwrap_or(1000) as usize;
    let mut journal = open(path)?;
    let account = match value(m, "token") {
        Some(token) => Some(
            journal
                .authenticate(token)
                .map_err(|e| in_store(path, &e))?,
        ),
        None if journal.has_accounts().map_err(|e| in_store(path, &e))? => {
            return Err(in_store(
                path,
                &bangfu_journal::JournalError::Unauthenticated,
            ));
        }
        None => None,
    };
    let unreadable = |f: &str, e: std::io::Error| {
        Failure::from(CliError::Unreadable {
            path: f.to_owned(),
            message: e.to_string(),
        })
    };
    let (input, len): (Box<dyn BufRead>, Option<u64>) = match value(m, "file") {
        Some(f) => {
            let file = std::fs::File::open(f).map_err(|e| unreadable(f, e))?;
            let len = file.metadata().map(|m| m.len()).ok();
            (Box::new(std::io::BufReader::new(file)), len)
        }
        None => (Box::new(std::io::stdin().lock()), None),
    };
    let bar = crate::progress::bar(len, "bytes");
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut refused = 0usize;
    // The input read lazily, a batch at a time, each line with its number; a line that
    // cannot be read ends the input (the batches before it are applied).
    let mut unread = None;
    let mut lines = input.lines().enumerate();
    let batches = std::iter::from_fn(|| {
        let mut pending: Vec<(usize, Result<OpLine, LineError>)> = Vec::with_capacity(batch);
        while pending.len() < batch {
            let Some((i, line)) = lines.next() else { break };
            let line = match line {
                Ok(line) => line,
                Err(e) => {
                    unread = Some(CliError::Unreadable {
                        path: value(m, "file").unwrap_or("-").to_owned(),
                        message: format!("line {}: {e}", i + 1),
                    });
                    return None;
                }
            };
            bar.inc(line.len() as u64 + 1);
            if line.trim().is_empty() {
                continue;
            }
            pending.push((i + 1, OpLine::from_json(&line)));
        }
        (!pending.is_empty()).then(|| pending.into_iter().unzip::<_, _, Vec<_>, Vec<_>>())
    });
    // Each batch acknowledged only once it is committed (the next one is decided meanwhile).
    let acknowledge = |numbers: Vec<usize>, outcomes: Vec<Outcome>| {
        for (n, o) in numbers.into_iter().zip(outcomes) {
            if matches!(o, Outcome::Refused { .. }) {
                refused += 1;
            }
            let _ = writeln!(out, "{}", o.to_line(Some(n)));
        }
        let _ = out.flush();
    };
    match &account {
        Some(a) => journal.apply_batches_as(a, batches, acknowledge),
        None => journal.apply_batches(batches, acknowledge),
    }
    .map_err(|e| in_store(path, &e))?;
    if let Some(e) = unread {
        return Err(Failure::from(e));
    }
    bar.finish_and_clear();
    if refused > 0 {
        let error = ApplyRefused { refused };
        return Err(Failure::Coded(crate::failure::CodedError::of(&error)));
    }
    let _ = lang;
    Ok(String::new())
}

/// Some lines were refused (their result lines say why).
#[derive(Debug, thiserror::Error)]
#[error("{refused} operation lines refused (see their result lines)")]
struct ApplyRefused {
    refused: usize,
}

impl bangfu::core::Coded for ApplyRefused {
    fn code(&self) -> &'static str {
        "journal.refused"
    }
}

impl bangfu::core::Labelled for ApplyRefused {
    fn zh(&self) -> &'static str {
        "有操作被拒绝"
    }
    fn en(&self) -> &'static str {
        "operations refused"
    }
}

/// `bangfu account`.
pub(crate) const ACCOUNT: Subcommand = Subcommand {
    name: "account",
    usage: ACCOUNT_USAGE,
    command: account_command,
    run: account,
};

const ACCOUNT_USAGE: &[&str] = &[
    "bangfu account add STORE --id ID --role ROLE[,ROLE] --unit UNIT",
    "bangfu account list STORE",
];

fn account_command(lang: Lang) -> Command {
    let store = || store_arg(lang);
    cli::command(
        "account",
        ACCOUNT_USAGE,
        lang,
        (
            "账户：添加账户（角色：grassroots_union、industrial_union、aid_center、finance、\
             evaluator、auditor；管辖范围为 units.toml 中的一个单位），打印其令牌（只显示这一次，\
             业务库只存其 SHA-256）；列出账户。",
            "Accounts: add one (roles grassroots_union, industrial_union, aid_center, finance, \
             evaluator, auditor; the scope is a unit of units.toml) and print its token (shown \
             this once; the store keeps only its SHA-256); list them.",
        ),
        (
            "示例：\n  bangfu account add 2018.db --id finance-1 --role finance --unit center",
            "Examples:\n  bangfu account add 2018.db --id finance-1 --role finance --unit center",
        ),
    )
    .subcommand_required(true)
    .subcommand(
        cli::command(
            "add",
            ACCOUNT_USAGE,
            lang,
            ("添加账户并打印其令牌", "Add an account and print its token"),
            ("", ""),
        )
        .arg(store())
        .arg(cli::option(lang, "id", "ID", ("账户编号", "the account's id")).required(true))
        .arg(cli::option(lang, "role", "ROLE[,ROLE]", ("角色", "its roles")).required(true))
        .arg(
            cli::option(
                lang,
                "unit",
                "UNIT",
                ("管辖范围（单位）", "its scope (a unit)"),
            )
            .required(true),
        ),
    )
    .subcommand(
        cli::command(
            "list",
            ACCOUNT_USAGE,
            lang,
            ("列出账户", "List the accounts"),
            ("", ""),
        )
        .arg(store()),
    )
}

fn account(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    match m.subcommand() {
        Some(("add", m)) => account_add(m, lang),
        Some(("list", m)) => {
            let path = value(m, "store").unwrap_or_default();
            let mut journal = open(path)?;
            let accounts = journal
                .storage_mut()
                .accounts()
                .map_err(|e| in_store(path, &e))?;
            Ok(accounts
                .iter()
                .map(|(a, _)| {
                    let roles: Vec<&str> = a.roles.iter().map(|r| r.code()).collect();
                    format!("{}\t{}\t{}\n", a.id, roles.join(","), a.unit)
                })
                .collect())
        }
        _ => Err(Failure::usage(
            lang,
            "请给出 add 或 list".into(),
            "give add or list".into(),
            ACCOUNT_USAGE,
        )),
    }
}

fn account_add(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let path = value(m, "store").unwrap_or_default();
    let mut roles = Vec::new();
    for code in value(m, "role").unwrap_or_default().split(',') {
        let role = bangfu_journal::AccountRole::from_code(code.trim()).ok_or_else(|| {
            Failure::usage(
                lang,
                format!("未知角色“{}”", bangfu::core::read::quote(code)),
                format!("unknown role `{}`", bangfu::core::read::quote(code)),
                ACCOUNT_USAGE,
            )
        })?;
        roles.push(role);
    }
    let account = bangfu_journal::Account {
        id: AccountId::new(value(m, "id").unwrap_or_default())?,
        roles,
        unit: bangfu::core::UnitId::new(value(m, "unit").unwrap_or_default())?,
    };
    let token = new_token()?;
    let mut journal = open(path)?;
    journal
        .add_account(&account, &token)
        .map_err(|e| in_store(path, &e))?;
    Ok(match lang {
        Lang::Zh => format!(
            "已添加账户 {}；令牌（只显示这一次）：\n{token}\n",
            account.id
        ),
        Lang::En => format!(
            "added the account {}; its token (shown this once):\n{token}\n",
            account.id
        ),
    })
}

/// A new token: 32 bytes from the operating system's random source, in hex.
fn new_token() -> Result<String, Failure> {
    use std::io::Read;
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| {
            Failure::from(CliError::Unreadable {
                path: "/dev/urandom".to_owned(),
                message: e.to_string(),
            })
        })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// `bangfu verify`.
pub(crate) const VERIFY: Subcommand = Subcommand {
    name: "verify",
    usage: VERIFY_USAGE,
    command: verify_command,
    run: verify,
};

const VERIFY_USAGE: &[&str] = &["bangfu verify STORE"];

fn verify_command(lang: Lang) -> Command {
    cli::command(
        "verify",
        VERIFY_USAGE,
        lang,
        (
            "核对业务库：从头重放日志，逐项比对存储的结果、存储的状态（精确到分）和各资金来源余额与已存收支之和。",
            "Verify a store: the journal replayed from the start, each stored result, the \
             stored state (to the fen) and each source's balance against the sum of the \
             stored postings compared with the replay.",
        ),
        (
            "示例：\n  bangfu verify 2018.db\n退出状态：0 一致；1 有差异。",
            "Examples:\n  bangfu verify 2018.db\nExit status: 0 the store is the replay; 1 it differs.",
        ),
    )
    .arg(store_arg(lang))
}

fn verify(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let path = value(m, "store").unwrap_or_default();
    let mut journal = open(path)?;
    let v = journal.verify().map_err(|e| in_store(path, &e))?;
    let head = match lang {
        Lang::Zh => format!(
            "{path}：重放 {} 项操作，{} 笔收支，差异 {} 处",
            v.operations,
            v.postings,
            v.differences.len()
        ),
        Lang::En => format!(
            "{path}: {} operations replayed, {} postings, {} differences",
            v.operations,
            v.postings,
            v.differences.len()
        ),
    };
    let mut text = head;
    text.push('\n');
    for d in &v.differences {
        text.push_str(&format!("  {d}\n"));
    }
    text.push_str(&receipt_line(&v.receipt, lang));
    if v.differences.is_empty() {
        Ok(text)
    } else {
        Err(Failure::Incomplete {
            output: text,
            error: crate::failure::CodedError::of(&NotVerified {
                differences: v.differences.len(),
            }),
        })
    }
}

/// The store is not the replay of its journal.
#[derive(Debug, thiserror::Error)]
#[error("the store differs from the replay of its journal in {differences} places")]
struct NotVerified {
    differences: usize,
}

impl bangfu::core::Coded for NotVerified {
    fn code(&self) -> &'static str {
        "journal.not_verified"
    }
}

impl bangfu::core::Labelled for NotVerified {
    fn zh(&self) -> &'static str {
        "业务库与日志重放不一致"
    }
    fn en(&self) -> &'static str {
        "the store is not its replay"
    }
}

/// `bangfu export`.
pub(crate) const EXPORT: Subcommand = Subcommand {
    name: "export",
    usage: EXPORT_USAGE,
    command: export_command,
    run: export,
};

const EXPORT_USAGE: &[&str] = &["bangfu export STORE DIR"];

fn export_command(lang: Lang) -> Command {
    cli::command(
        "export",
        EXPORT_USAGE,
        lang,
        (
            "把业务库导出为年度目录（见 docs/year-directory.md），附 receipt.json 回执；目录须不存在或为空。",
            "Write the store as a year directory (docs/year-directory.md), with receipt.json; \
             DIR must not exist or be empty.",
        ),
        (
            "示例：\n  bangfu export 2018.db 年度目录-导出\n  bangfu init 副本.db --from 年度目录-导出",
            "Examples:\n  bangfu export 2018.db exported\n  bangfu init copy.db --from exported",
        ),
    )
    .arg(store_arg(lang))
    .arg(
        cli::positional(lang, "dir", "DIR", ("写入的年度目录", "the year directory to write"))
            .required(true),
    )
}

fn export(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let path = value(m, "store").unwrap_or_default();
    let dir = value(m, "dir").unwrap_or_default();
    let unwritable = |message: String| {
        Failure::from(CliError::Unwritable {
            path: dir.to_owned(),
            message,
        })
    };
    let root = Path::new(dir);
    if root.exists() {
        let empty = std::fs::read_dir(root)
            .map_err(|e| unwritable(e.to_string()))?
            .next()
            .is_none();
        if !empty {
            return Err(unwritable(
                "not empty: export writes a new directory".to_owned(),
            ));
        }
    }
    let mut journal = open(path)?;
    let files: BTreeMap<String, Vec<u8>> = journal.export().map_err(|e| in_store(path, &e))?;
    std::fs::create_dir_all(root).map_err(|e| unwritable(e.to_string()))?;
    for (name, bytes) in &files {
        crate::io::write(&root.join(name).display().to_string(), bytes)?;
    }
    let r = journal.receipt();
    Ok(match lang {
        Lang::Zh => format!(
            "已导出 {} 个文件到 {dir}{}",
            files.len(),
            receipt_line(&r, lang)
        ),
        Lang::En => format!(
            "wrote {} files to {dir}{}",
            files.len(),
            receipt_line(&r, lang)
        ),
    })
}
