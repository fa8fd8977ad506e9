//! The service (服务): the store's journal behind one mutex, the routes and their handlers.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Extension, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use bangfu_aid::Explain;
use bangfu_core::{CaseId, HouseholdId, Lang, NaiveDate};
use bangfu_journal::{Journal, OpLine, Outcome, PROTOCOL, Storage};
use bangfu_year::Policy;
use bangfu_year::evaluation::FrameworkChoice;
use bangfu_year::jsonl::{Decider, OutputLine};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::access::{Caller, authenticate, mask_for};
use crate::error::ApiError;
use crate::schema::{
    CaseFileRead, EntitlementRead, ReportRead, StatementRead, VerifyRead, openapi, schema_named,
};

/// The service's state (服务状态): the store's journal (one writer: every read and write
/// takes its mutex) and the decider of the store's policy for the stateless decisions.
#[derive(Debug)]
pub struct Service<S: Storage> {
    journal: Mutex<Journal<S>>,
    decider: Decider<'static>,
}

impl<S: Storage + Send + 'static> Service<S> {
    /// The service of a journal.
    ///
    /// The decider borrows the store's policy for as long as the service runs: the policy
    /// is copied once and kept for the life of the process (a service is made once).
    ///
    /// # Errors
    /// `aid.invalid_policy` when the policy's aid section cannot decide (a store's policy
    /// was checked when it was created, so this does not happen for a store).
    ///
    /// # Example
    /// ```
    /// use bangfu_journal::{Journal, MemoryStorage, Setup};
    /// use bangfu_data::hainan2018 as hn;
    /// let journal = Journal::create(MemoryStorage::default(), Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?)?;
    /// let service = bangfu_serve::Service::new(journal)?;
    /// let _router = bangfu_serve::router(std::sync::Arc::new(service));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(journal: Journal<S>) -> Result<Service<S>, ApiError> {
        let policy: &'static Policy = Box::leak(Box::new(journal.setup().policy().clone()));
        let decider = Decider::new(policy).map_err(|e| ApiError::of(&e))?;
        Ok(Service {
            journal: Mutex::new(journal),
            decider,
        })
    }

    /// Runs `f` on the journal, holding its lock, on the runtime's blocking pool (SQLite
    /// waits on the disk).
    async fn with_journal<T: Send + 'static>(
        self: &Arc<Self>,
        f: impl FnOnce(&mut Journal<S>) -> Result<T, ApiError> + Send + 'static,
    ) -> Result<T, ApiError> {
        let me = Arc::clone(self);
        tokio::task::spawn_blocking(move || {
            let mut journal = me
                .journal
                .lock()
                .map_err(|_| ApiError::new("serve.internal", "the journal's lock is poisoned"))?;
            f(&mut journal)
        })
        .await
        .map_err(|e| ApiError::new("serve.internal", e.to_string()))?
    }
}

/// The routes of the service (路由), every one behind [`authenticate`].
///
/// # Example
/// See [`Service::new`].
pub fn router<S: Storage + Send + 'static>(service: Arc<Service<S>>) -> Router {
    Router::new()
        .route("/v1/decisions", post(decisions::<S>))
        .route("/v1/operations", post(operations::<S>))
        .route("/v1/statement", get(statement::<S>))
        .route("/v1/report", get(report::<S>))
        .route("/v1/verify", get(verify::<S>))
        .route("/v1/files/{case}", get(file::<S>))
        .route("/v1/households/{id}/entitlement", get(entitlement::<S>))
        .route("/v1/schema/{name}", get(schema))
        .route("/v1/openapi.json", get(openapi_doc))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(
            Arc::clone(&service),
            admit::<S>,
        ))
        .with_state(service)
}

/// Every request: authenticated first; the caller rides with the request.
async fn admit<S: Storage + Send + 'static>(
    State(service): State<Arc<Service<S>>>,
    mut request: Request,
    next: Next,
) -> Response {
    let headers = request.headers().clone();
    let caller = service
        .with_journal(move |j| {
            let has = j.has_accounts().map_err(|e| ApiError::of(&e))?;
            authenticate(&headers, has, |token| j.authenticate(token))
        })
        .await;
    match caller {
        Ok(caller) => {
            request.extensions_mut().insert(caller);
            next.run(request).await
        }
        Err(e) => e.into_response(),
    }
}

/// A path or query that does not read: `serve.bad_request` (axum's own answer is text).
fn bad_request(e: &dyn std::fmt::Display) -> Response {
    ApiError::new("serve.bad_request", e.to_string()).into_response()
}

/// A JSON response, masked for the caller.
fn respond(caller: &Caller, status: StatusCode, mut body: Value) -> Response {
    mask_for(caller, &mut body);
    (status, axum::Json(body)).into_response()
}

/// A read of the journal (under its lock) answered as JSON, masked for the caller.
async fn read<S: Storage + Send + 'static, T: serde::Serialize + Send + 'static>(
    service: &Arc<Service<S>>,
    caller: &Caller,
    f: impl FnOnce(&mut Journal<S>) -> Result<T, ApiError> + Send + 'static,
) -> Response {
    // A read sees what other writers (another `bangfu apply`) appended: caught up first.
    let body = service
        .with_journal(move |j| {
            j.refresh().map_err(|e| ApiError::of(&e))?;
            f(j)
        })
        .await
        .and_then(|r| {
            serde_json::to_value(&r).map_err(|e| ApiError::new("serve.internal", e.to_string()))
        });
    match body {
        Ok(v) => respond(caller, StatusCode::OK, v),
        Err(e) => e.into_response(),
    }
}

/// The request body as one JSON object or an array of them.
fn one_or_many(body: &[u8]) -> Result<(Vec<Value>, bool), ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::new("read.syntax", "the body is not UTF-8"))?;
    let value = bangfu_core::read::json_value(text).map_err(|e| ApiError::of(&e))?;
    Ok(match value {
        Value::Array(items) => (items, true),
        one => (vec![one], false),
    })
}

/// `?explain=true` on the decisions.
#[derive(Debug, Deserialize)]
struct DecisionsQuery {
    #[serde(default)]
    explain: bool,
}

async fn decisions<S: Storage + Send + 'static>(
    State(service): State<Arc<Service<S>>>,
    q: Result<Query<DecisionsQuery>, QueryRejection>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let q = match q {
        Ok(Query(q)) => q,
        Err(e) => return bad_request(&e),
    };
    let (items, many) = match one_or_many(&body) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let explain = if q.explain { Explain::On } else { Explain::Off };
    let answers: Vec<OutputLine> = items
        .iter()
        .zip(1u64..)
        .map(|(item, n)| service.decider.decide_line(n, &item.to_string(), explain))
        .collect();
    let line = |a: &OutputLine| {
        let mut v = serde_json::to_value(a).unwrap_or(Value::Null);
        if let Some(map) = v.as_object_mut() {
            map.insert("v".to_owned(), Value::from(PROTOCOL));
        }
        v
    };
    if many {
        let list: Vec<Value> = answers.iter().map(line).collect();
        return respond(
            &caller,
            StatusCode::OK,
            json!({"v": PROTOCOL, "answers": list}),
        );
    }
    let status = match answers.first() {
        Some(OutputLine::Error(e)) if crate::error::status_of(&e.error).is_client_error() => {
            let s = crate::error::status_of(&e.error);
            if s == StatusCode::CONFLICT {
                StatusCode::UNPROCESSABLE_ENTITY
            } else {
                s
            }
        }
        _ => StatusCode::OK,
    };
    let one = answers.first().map(line).unwrap_or(Value::Null);
    respond(&caller, status, one)
}

async fn operations<S: Storage + Send + 'static>(
    State(service): State<Arc<Service<S>>>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Response {
    let (items, many) = match one_or_many(&body) {
        Ok(x) => x,
        Err(e) => return e.into_response(),
    };
    let lines: Vec<_> = items
        .iter()
        .map(|item| OpLine::from_json(&item.to_string()))
        .collect();
    let account = match &caller {
        Caller::Account(a) => Some(a.clone()),
        Caller::Open => None,
    };
    let applied = service
        .with_journal(move |j| {
            match &account {
                Some(a) => j.apply_batch_as(a, lines),
                None => j.apply_batch(lines),
            }
            .map_err(|e| ApiError::of(&e))
        })
        .await;
    let outcomes = match applied {
        Ok(o) => o,
        Err(e) => return e.into_response(),
    };
    if many {
        let list: Vec<Value> = outcomes.iter().map(Outcome::to_json).collect();
        return respond(
            &caller,
            StatusCode::OK,
            json!({"v": PROTOCOL, "results": list}),
        );
    }
    let status = match outcomes.first() {
        Some(Outcome::Refused { code, .. }) => crate::error::status_of(code),
        Some(Outcome::Accepted { .. }) => StatusCode::CREATED,
        _ => StatusCode::OK,
    };
    let one = outcomes
        .first()
        .map(Outcome::to_json)
        .unwrap_or(Value::Null);
    respond(&caller, status, one)
}

/// For an account: the household's unit in its scope, and the read logged (who read what,
/// about whom). Nothing for a store without accounts.
fn read_personal<S: Storage>(
    j: &mut Journal<S>,
    caller: &Caller,
    what: &str,
    subject: &str,
    unit: &bangfu_core::UnitId,
) -> Result<(), ApiError> {
    let Caller::Account(a) = caller else {
        return Ok(());
    };
    j.check_scope(a, unit).map_err(|e| ApiError::of(&e))?;
    j.log_read(a, what, subject).map_err(|e| ApiError::of(&e))
}

async fn statement<S: Storage + Send + 'static>(
    State(service): State<Arc<Service<S>>>,
    Extension(caller): Extension<Caller>,
) -> Response {
    read(&service, &caller, |j| {
        let statement = j.year().statement().map_err(|e| ApiError::of(&e))?;
        Ok(StatementRead {
            v: PROTOCOL,
            receipt: j.receipt(),
            statement,
        })
    })
    .await
}

/// `?format=md|html&lang=zh|en&framework=self|reference` of the report.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ReportQuery {
    #[serde(default)]
    format: Option<String>,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    framework: Option<String>,
}

async fn report<S: Storage + Send + 'static>(
    State(service): State<Arc<Service<S>>>,
    Extension(caller): Extension<Caller>,
    q: Result<Query<ReportQuery>, QueryRejection>,
) -> Response {
    let q = match q {
        Ok(Query(q)) => q,
        Err(e) => return bad_request(&e),
    };
    let bad = |what: &str, v: &str| ApiError::new("serve.bad_request", format!("{what} {v:?}"));
    let html = match q.format.as_deref() {
        None | Some("md") => false,
        Some("html") => true,
        Some(other) => return bad("unknown format (md or html):", other).into_response(),
    };
    let lang = match q.lang.as_deref().map(str::parse::<Lang>) {
        None => Lang::Zh,
        Some(Ok(l)) => l,
        Some(Err(_)) => return bad("unknown lang (zh or en):", "?").into_response(),
    };
    let framework = match q.framework.as_deref() {
        None | Some("self") => FrameworkChoice::SelfEvaluation,
        Some("reference") => FrameworkChoice::Reference,
        Some(other) => return bad("unknown framework (self or reference):", other).into_response(),
    };
    read(&service, &caller, move |j| {
        report_read(j, html, lang, framework)
    })
    .await
}

/// The report of the journal's year: complete, or the page that says which files are
/// missing with the statement.
fn report_read<S: Storage>(
    j: &Journal<S>,
    html: bool,
    lang: Lang,
    framework: FrameworkChoice,
) -> Result<ReportRead, ApiError> {
    let built = j.built();
    let (_, statement) = built
        .year
        .closed_statement()
        .map_err(|e| ApiError::of(&e))?;
    let missing: Vec<String> = built
        .missing_for_report()
        .iter()
        .map(|(f, _, _)| (*f).to_owned())
        .collect();
    let format = if html { "html" } else { "md" };
    let text = if missing.is_empty() {
        let evaluation = built.evaluate(framework).map_err(|e| ApiError::of(&e))?;
        let f = if html {
            bangfu_office::Format::Html
        } else {
            bangfu_office::Format::Md
        };
        let bytes = bangfu_office::report::report(&evaluation, &statement, lang, f)
            .map_err(|e| ApiError::of(&e))?;
        String::from_utf8_lossy(&bytes).into_owned()
    } else {
        // Nothing is invented: the statement, and what the report still needs.
        statement.render_text(lang)
    };
    Ok(ReportRead {
        v: PROTOCOL,
        receipt: j.receipt(),
        format: format.to_owned(),
        complete: missing.is_empty(),
        missing,
        report: text,
    })
}

async fn verify<S: Storage + Send + 'static>(
    State(service): State<Arc<Service<S>>>,
    Extension(caller): Extension<Caller>,
) -> Response {
    read(&service, &caller, |j| {
        let v = j.verify().map_err(|e| ApiError::of(&e))?;
        Ok(VerifyRead {
            v: PROTOCOL,
            verified: v.differences.is_empty(),
            receipt: v.receipt,
            operations: v.operations,
            postings: v.postings as u64,
            differences: v.differences,
        })
    })
    .await
}

async fn file<S: Storage + Send + 'static>(
    State(service): State<Arc<Service<S>>>,
    Extension(caller): Extension<Caller>,
    case: Result<Path<String>, PathRejection>,
) -> Response {
    let case = match case {
        Ok(Path(c)) => c,
        Err(e) => return bad_request(&e),
    };
    let case = match CaseId::new(&case) {
        Ok(c) => c,
        Err(e) => return ApiError::of(&e).into_response(),
    };
    let who = caller.clone();
    read(&service, &caller, move |j| {
        let unit = j
            .year()
            .registry()
            .get(&case)
            .map(|f| f.household().worker.union_unit.clone())
            .ok_or_else(|| ApiError::new("serve.unknown_case", format!("no case file {case}")))?;
        read_personal(j, &who, "file", case.as_str(), &unit)?;
        let f =
            j.year().registry().get(&case).ok_or_else(|| {
                ApiError::new("serve.unknown_case", format!("no case file {case}"))
            })?;
        Ok(CaseFileRead {
            v: PROTOCOL,
            receipt: j.receipt(),
            case: f.id().clone(),
            household: f.household().id.clone(),
            stage: f.stage(),
            history: f.history().to_vec(),
        })
    })
    .await
}

/// `?date=YYYY-MM-DD` of an entitlement.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EntitlementQuery {
    #[serde(default)]
    date: Option<String>,
}

async fn entitlement<S: Storage + Send + 'static>(
    State(service): State<Arc<Service<S>>>,
    Extension(caller): Extension<Caller>,
    id: Result<Path<String>, PathRejection>,
    q: Result<Query<EntitlementQuery>, QueryRejection>,
) -> Response {
    let (id, q) = match (id, q) {
        (Ok(Path(id)), Ok(Query(q))) => (id, q),
        (Err(e), _) => return bad_request(&e),
        (_, Err(e)) => return bad_request(&e),
    };
    let household = match HouseholdId::new(&id) {
        Ok(h) => h,
        Err(e) => return ApiError::of(&e).into_response(),
    };
    let date = match q.date.as_deref().map(bangfu_core::parse_date) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => return ApiError::of(&e).into_response(),
    };
    let who = caller.clone();
    read(&service, &caller, move |j| {
        if let Some(unit) = j
            .year()
            .household(&household)
            .map(|h| h.worker.union_unit.clone())
        {
            read_personal(j, &who, "entitlement", household.as_str(), &unit)?;
        }
        let year = j.year();
        let date = match date {
            Some(d) => d,
            None => last_day(year.ledger().year().number()),
        };
        let entitlement = year
            .remaining(&household, date)
            .map_err(|e| ApiError::of(&e))?;
        Ok(EntitlementRead {
            v: PROTOCOL,
            receipt: j.receipt(),
            household,
            entitlement,
        })
    })
    .await
}

/// December 31 of `year`.
fn last_day(year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MIN)
}

async fn schema(Path(name): Path<String>) -> Response {
    match schema_named(&name) {
        Some(s) => (StatusCode::OK, axum::Json(s)).into_response(),
        None => ApiError::new(
            "serve.unknown_schema",
            format!(
                "no schema {name:?}: see /v1/openapi.json for the names ({})",
                crate::schema::NAMES.join(", ")
            ),
        )
        .into_response(),
    }
}

async fn openapi_doc() -> Response {
    (StatusCode::OK, axum::Json(openapi())).into_response()
}

async fn not_found(uri: axum::http::Uri) -> Response {
    ApiError::new("serve.not_found", format!("no resource {}", uri.path())).into_response()
}

async fn method_not_allowed(method: axum::http::Method, uri: axum::http::Uri) -> Response {
    ApiError::new(
        "serve.method_not_allowed",
        format!("{method} is not served at {}", uri.path()),
    )
    .into_response()
}

/// A service bound to its address, not yet serving (监听): [`Bound::run`] serves until the
/// process ends.
#[derive(Debug)]
pub struct Bound {
    runtime: tokio::runtime::Runtime,
    listener: tokio::net::TcpListener,
    router: Router,
}

/// Binds the service of `journal` to `addr` (port 0: a free port, see
/// [`Bound::local_addr`]) on a runtime of `threads` worker threads (0: one per core).
///
/// # Errors
/// `serve.bind` when the address cannot be listened on; the policy's error of
/// [`Service::new`].
///
/// # Example
/// ```no_run
/// use bangfu_journal::{Journal, SqliteStorage};
/// let journal = Journal::open(SqliteStorage::open(std::path::Path::new("2018.db"))?)?;
/// let bound = bangfu_serve::bind(journal, "127.0.0.1:8080".parse()?, 0)?;
/// println!("listening on {}", bound.local_addr()?);
/// bound.run()?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn bind<S: Storage + Send + 'static>(
    journal: Journal<S>,
    addr: SocketAddr,
    threads: usize,
) -> Result<Bound, ApiError> {
    let service = Arc::new(Service::new(journal)?);
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if threads > 0 {
        builder.worker_threads(threads);
    }
    let runtime = builder
        .enable_io()
        .build()
        .map_err(|e| ApiError::new("serve.internal", e.to_string()))?;
    let bind_error = |e: std::io::Error| ApiError::new("serve.bind", format!("{addr}: {e}"));
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(addr))
        .map_err(bind_error)?;
    Ok(Bound {
        runtime,
        listener,
        router: router(service),
    })
}

impl Bound {
    /// The address listened on.
    ///
    /// # Errors
    /// `serve.bind` when the socket cannot say.
    pub fn local_addr(&self) -> Result<SocketAddr, ApiError> {
        self.listener
            .local_addr()
            .map_err(|e| ApiError::new("serve.bind", e.to_string()))
    }

    /// Serves until the process ends.
    ///
    /// # Errors
    /// `serve.internal` when the server stops on an I/O error.
    pub fn run(self) -> Result<(), ApiError> {
        let Bound {
            runtime,
            listener,
            router,
        } = self;
        runtime
            .block_on(async move { axum::serve(listener, router).await })
            .map_err(|e| ApiError::new("serve.internal", e.to_string()))
    }
}
