//! Refusals of the service (拒绝): the same coded JSON as the JSON Lines result lines, with an
//! HTTP status chosen by the code.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use bangfu_core::Coded;
use bangfu_journal::PROTOCOL;

/// A refused request (请求被拒绝): its code, its message and the HTTP status the code
/// gives ([`status_of`]). Its body is `{"v":1,"status":"refused","code":…,"message":…}`,
/// as a refused JSON Lines result line.
///
/// # Example
/// ```
/// let e = bangfu_serve::ApiError::new("serve.not_found", "no route GET /v2");
/// assert_eq!(e.status().as_u16(), 404);
/// assert_eq!(e.body()["status"], "refused");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    code: &'static str,
    message: String,
}

impl ApiError {
    /// A refusal with `code` and `message`.
    pub fn new(code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// The refusal of a typed error, by its code and its message.
    pub fn of<E: Coded + std::fmt::Display>(e: &E) -> ApiError {
        ApiError::new(e.code(), e.to_string())
    }

    /// The code.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// The HTTP status ([`status_of`] the code).
    pub fn status(&self) -> StatusCode {
        status_of(self.code)
    }

    /// The body: the coded JSON of a refused result line.
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({
            "v": PROTOCOL, "status": "refused", "code": self.code, "message": self.message,
        })
    }
}

impl Coded for ApiError {
    fn code(&self) -> &'static str {
        self.code
    }
}

impl bangfu_core::Labelled for ApiError {
    fn zh(&self) -> &'static str {
        "服务请求被拒绝"
    }
    fn en(&self) -> &'static str {
        "request refused"
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status(), axum::Json(self.body())).into_response()
    }
}

/// The HTTP status of a refusal by its code (状态码):
///
/// | code | status |
/// |---|---|
/// | `read.*`, `core.*`, `journal.protocol`, `serve.bad_request` (the request does not read) | 400 |
/// | `serve.not_found`, `year.unknown_household`, `serve.unknown_case`, `serve.unknown_schema` | 404 |
/// | `serve.method_not_allowed` | 405 |
/// | `serve.undecided` (a request read but not decided) | 422 |
/// | `journal.busy` (another writer holds the store) | 503 |
/// | `journal.storage`, `journal.diverged`, `serve.internal` | 500 |
/// | any other: a rule refused it (`year.*`, `funding.*`, `aid.*`, `eligibility.*`, `journal.*`) | 409 |
///
/// # Example
/// ```
/// use bangfu_serve::status_of;
/// assert_eq!(status_of("read.syntax").as_u16(), 400);
/// assert_eq!(status_of("year.not_payable").as_u16(), 409);
/// ```
pub fn status_of(code: &str) -> StatusCode {
    match code {
        "serve.not_found"
        | "year.unknown_household"
        | "serve.unknown_case"
        | "serve.unknown_schema" => StatusCode::NOT_FOUND,
        "serve.method_not_allowed" => StatusCode::METHOD_NOT_ALLOWED,
        "serve.undecided" => StatusCode::UNPROCESSABLE_ENTITY,
        "journal.busy" => StatusCode::SERVICE_UNAVAILABLE,
        "journal.unauthenticated" => StatusCode::UNAUTHORIZED,
        "journal.forbidden" | "journal.out_of_scope" | "journal.actor_mismatch" => {
            StatusCode::FORBIDDEN
        }
        "journal.storage" | "journal.diverged" | "serve.internal" => {
            StatusCode::INTERNAL_SERVER_ERROR
        }
        "journal.protocol" | "serve.bad_request" => StatusCode::BAD_REQUEST,
        c if c.starts_with("read.") || c.starts_with("core.") => StatusCode::BAD_REQUEST,
        _ => StatusCode::CONFLICT,
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn statuses_by_code() {
        for (code, status) in [
            ("read.unknown_field", 400),
            ("core.date.malformed", 400),
            ("journal.protocol", 400),
            ("serve.not_found", 404),
            ("journal.id_conflict", 409),
            ("journal.overcommitted", 409),
            ("journal.busy", 503),
            ("journal.storage", 500),
            ("journal.unauthenticated", 401),
            ("journal.forbidden", 403),
            ("journal.out_of_scope", 403),
        ] {
            assert_eq!(status_of(code).as_u16(), status, "{code}");
        }
    }
}
