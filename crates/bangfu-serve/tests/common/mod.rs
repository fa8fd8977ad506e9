//! What the service tests share: a plain HTTP/1.1 client over TCP, the examples of
//! `docs/service.md`, a service on a free loopback port, and JSON Schema validation.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    dead_code,
    unreachable_pub
)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::PathBuf;

use serde_json::Value;

/// The service's documentation, read from the repository (it is not in the crate's package).
pub static DOC: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../docs/service.md"
    ))
    .unwrap()
});

/// One request over a new connection (`Connection: close`): the status and the body.
pub fn request(addr: SocketAddr, method: &str, path: &str, body: Option<&str>) -> (u16, String) {
    request_as(addr, method, path, None, body)
}

/// [`request`] with an account's token (`Authorization: Bearer TOKEN`), when given.
pub fn request_as(
    addr: SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, String) {
    let mut s = TcpStream::connect(addr).unwrap();
    let body = body.unwrap_or("");
    let auth = token
        .map(|t| format!("Authorization: Bearer {t}\r\n"))
        .unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n{auth}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body.as_bytes()).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let chunked = head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked");
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_owned()
    };
    (status, body)
}

/// A chunked body put back together.
fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    loop {
        let (size, after) = rest.split_once("\r\n").unwrap();
        let n = usize::from_str_radix(size.trim(), 16).unwrap();
        if n == 0 {
            return out;
        }
        out.push_str(&after[..n]);
        rest = &after[n + 2..];
    }
}

/// One curl example of the doc: method, path, body, the status shown and the answer shown.
#[derive(Debug, Clone)]
pub struct Example {
    pub method: String,
    pub path: String,
    pub body: Option<String>,
    pub status: u16,
    pub answer: Value,
}

/// Every curl example of `docs/service.md`, in order.
pub fn examples() -> Vec<Example> {
    let blocks = fenced_blocks(DOC.as_str());
    let mut out = Vec::new();
    for (i, (lang, text)) in blocks.iter().enumerate() {
        if lang != "sh" || !text.trim_start().starts_with("curl ") {
            continue;
        }
        let mut lines = text.lines();
        let words = shell_words(lines.next().unwrap());
        let status: u16 = lines
            .find_map(|l| l.strip_prefix("# → "))
            .expect("a curl example shows its status")
            .trim()
            .parse()
            .unwrap();
        let (lang, answer) = &blocks[i + 1];
        assert_eq!(lang, "json", "the answer of {words:?} follows it");
        let mut method = "GET".to_owned();
        let mut url = None;
        let mut body = None;
        let mut w = words.iter().skip(1);
        while let Some(word) = w.next() {
            match word.as_str() {
                "-s" => {}
                "-X" => method = w.next().unwrap().clone(),
                "-d" => body = Some(w.next().unwrap().clone()),
                u if u.starts_with("http://") => url = Some(u.to_owned()),
                other => panic!("unknown curl word {other}"),
            }
        }
        if body.is_some() && method == "GET" {
            method = "POST".to_owned();
        }
        let url = url.expect("a URL");
        let path = url
            .strip_prefix("http://127.0.0.1:8080")
            .expect("the examples' address")
            .to_owned();
        let answer: Value = serde_json::from_str(answer)
            .unwrap_or_else(|e| panic!("the answer of {path} is JSON: {e}"));
        out.push(Example {
            method,
            path,
            body,
            status,
            answer,
        });
    }
    out
}

/// The budget of the examples (the doc's first TOML block).
pub fn budget() -> String {
    fenced_blocks(DOC.as_str())
        .into_iter()
        .find(|(l, _)| l == "toml")
        .unwrap()
        .1
}

/// The fenced blocks of a Markdown text: language and text.
fn fenced_blocks(doc: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut current: Option<(String, String)> = None;
    for line in doc.lines() {
        match (&mut current, line.strip_prefix("```")) {
            (None, Some(lang)) => current = Some((lang.trim().to_owned(), String::new())),
            (Some(_), Some("")) => out.push(current.take().unwrap()),
            (Some((_, text)), _) => {
                text.push_str(line);
                text.push('\n');
            }
            (None, None) => {}
        }
    }
    out
}

/// Words of a shell line: spaces separate, single quotes quote.
fn shell_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    let mut any = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            ' ' if !quoted => {
                if any {
                    words.push(std::mem::take(&mut word));
                    any = false;
                }
            }
            c => {
                word.push(c);
                any = true;
            }
        }
    }
    if any {
        words.push(word);
    }
    words
}

/// Whether `shown` (the doc's answer) is part of `actual`: every key shown has its value
/// (a key `"…"` stands for those left out; a string ending in `…` is a prefix), lists of
/// the same length.
pub fn shown_in(shown: &Value, actual: &Value) -> Result<(), String> {
    match (shown, actual) {
        (Value::Object(s), Value::Object(a)) => {
            for (k, v) in s {
                if k == "…" {
                    continue;
                }
                let Some(av) = a.get(k) else {
                    return Err(format!("key {k} missing"));
                };
                shown_in(v, av).map_err(|e| format!("{k}: {e}"))?;
            }
            if !s.contains_key("…") && s.len() != a.len() {
                let extra: Vec<_> = a.keys().filter(|k| !s.contains_key(*k)).collect();
                return Err(format!("keys not shown: {extra:?}"));
            }
            Ok(())
        }
        (Value::Array(s), Value::Array(a)) => {
            if s.len() != a.len() {
                return Err(format!("{} items shown, {} answered", s.len(), a.len()));
            }
            for (i, (x, y)) in s.iter().zip(a).enumerate() {
                shown_in(x, y).map_err(|e| format!("[{i}]: {e}"))?;
            }
            Ok(())
        }
        (Value::String(s), Value::String(a)) if s.ends_with('…') => {
            if a.starts_with(s.trim_end_matches('…')) {
                Ok(())
            } else {
                Err(format!("{a:?} does not start with {s:?}"))
            }
        }
        (s, a) if s == a => Ok(()),
        (s, a) => Err(format!("shown {s}, answered {a}")),
    }
}

/// Whether a shown answer leaves anything out.
pub fn is_elided(v: &Value) -> bool {
    match v {
        Value::Object(m) => m.contains_key("…") || m.values().any(is_elided),
        Value::Array(a) => a.iter().any(is_elided),
        Value::String(s) => s.ends_with('…'),
        _ => false,
    }
}

/// The schema names of an example's request and answer, by its method, path and status.
pub fn schemas_of(
    method: &str,
    path: &str,
    status: u16,
) -> (Option<&'static str>, Option<&'static str>) {
    let path = path.split('?').next().unwrap();
    let answer = match (method, path) {
        ("POST", "/v1/decisions") => Some("decisions_response"),
        ("POST", "/v1/operations") => Some("operations_response"),
        _ if status >= 400 => Some("refusal"),
        ("GET", "/v1/statement") => Some("statement"),
        ("GET", "/v1/report") => Some("report"),
        ("GET", "/v1/verify") => Some("verify"),
        ("GET", p) if p.starts_with("/v1/files/") => Some("case_file"),
        ("GET", p) if p.ends_with("/entitlement") => Some("entitlement"),
        _ => None,
    };
    let request = match path {
        "/v1/decisions" => Some("decisions_request"),
        "/v1/operations" => Some("operations_request"),
        _ => None,
    };
    (request, answer)
}

/// Validates `value` against the service's schema `name`, every error listed.
pub fn validate(name: &str, value: &Value) -> Result<(), String> {
    let schema = bangfu_serve::schema_named(name).expect("a schema of that name");
    let validator = jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema)
        .map_err(|e| format!("schema {name} does not compile: {e}"))?;
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("{name}: {}", errors.join("; ")))
    }
}

/// A fresh store in the test's scratch directory, served on a free loopback port.
pub fn serve_fresh(name: &str) -> SocketAddr {
    serve_fresh_with(name, bangfu_data::hainan2018::POLICY_TOML, &budget())
}

/// [`serve_fresh`] with another policy and budget.
pub fn serve_fresh_with(name: &str, policy: &str, budget: &str) -> SocketAddr {
    use bangfu_journal::{Journal, Setup, SqliteStorage};
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("serve");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}-{}.db", std::process::id()));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let setup = Setup::new(policy, budget).unwrap();
    let journal = Journal::create(SqliteStorage::create(&path).unwrap(), setup).unwrap();
    let bound = bangfu_serve::bind(journal, "127.0.0.1:0".parse().unwrap(), 2).unwrap();
    let addr = bound.local_addr().unwrap();
    std::thread::spawn(move || bound.run());
    addr
}
