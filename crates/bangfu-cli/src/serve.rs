//! `bangfu serve STORE [--listen ADDR] [--threads N]`: the store's HTTP service
//! (`bangfu-serve`, `docs/service.md`) until the process is stopped.

use std::io::Write;
use std::path::Path;

use bangfu::core::Lang;
use clap::{ArgMatches, Command};

use crate::cli::{self, Subcommand, value};
use crate::failure::{CodedError, Failure};

/// `bangfu serve`.
pub(crate) const COMMAND: Subcommand = Subcommand {
    name: "serve",
    usage: USAGE,
    command,
    run,
};

const USAGE: &[&str] = &["bangfu serve STORE [--listen 127.0.0.1:8080] [--threads N]"];

fn command(lang: Lang) -> Command {
    cli::command(
        "serve",
        USAGE,
        lang,
        (
            "以 HTTP 提供业务库服务（见 docs/service.md）：无状态决定、提交操作、读取收支表、\
             报告、核对、档案和剩余额度，每个读取附回执；JSON Schema 与 OpenAPI 文档在 /v1/openapi.json。\
             启动后在标准输出打印一行监听地址，直到进程被终止。",
            "Serve a store over HTTP (docs/service.md): stateless decisions, operations, and \
             reads of the statement, report, verification, case files and entitlements, each \
             with its receipt; the JSON Schemas and the OpenAPI document at /v1/openapi.json. \
             Prints the address listened on as one line on standard output, then serves \
             until the process is stopped.",
        ),
        (
            "示例：\n  bangfu serve 2018.db\n  bangfu serve 2018.db --listen 127.0.0.1:0   任选空闲端口",
            "Examples:\n  bangfu serve 2018.db\n  bangfu serve 2018.db --listen 127.0.0.1:0   any free port",
        ),
    )
    .arg(
        cli::positional(
            lang,
            "store",
            "STORE",
            (
                "业务库文件（SQLite，由 bangfu init 创建）",
                "a store file (SQLite, made by bangfu init)",
            ),
        )
        .required(true),
    )
    .arg(
        cli::option(
            lang,
            "listen",
            "ADDR",
            (
                "监听地址（默认 127.0.0.1:8080；端口 0 任选空闲端口）",
                "the address to listen on (default 127.0.0.1:8080; port 0: any free port)",
            ),
        )
        .value_parser(clap::value_parser!(std::net::SocketAddr)),
    )
    .arg(cli::threads(
        lang,
        (
            "工作线程数（默认每个处理器核一个）",
            "worker threads (default one per core)",
        ),
    ))
}

fn run(m: &ArgMatches, lang: Lang) -> Result<String, Failure> {
    let path = value(m, "store").unwrap_or_default();
    let listen = m
        .get_one::<std::net::SocketAddr>("listen")
        .copied()
        .unwrap_or_else(|| std::net::SocketAddr::from(([127, 0, 0, 1], 8080)));
    let threads = m.get_one::<u16>("threads").copied().unwrap_or(0);
    if !Path::new(path).is_file() {
        return Err(Failure::from(crate::failure::CliError::Unreadable {
            path: path.to_owned(),
            message: "not a store file (make one with bangfu init)".to_owned(),
        }));
    }
    let journal = crate::store::open(path)?;
    let failed = |e: bangfu_serve::ApiError| Failure::Coded(CodedError::of(&e));
    let bound = bangfu_serve::bind(journal, listen, usize::from(threads)).map_err(failed)?;
    let addr = bound.local_addr().map_err(failed)?;
    let line = match lang {
        Lang::Zh => format!("bangfu serve：正在监听 http://{addr}/v1/（{path}）"),
        Lang::En => format!("bangfu serve: listening on http://{addr}/v1/ ({path})"),
    };
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
    drop(out);
    bound.run().map_err(failed)?;
    Ok(String::new())
}
