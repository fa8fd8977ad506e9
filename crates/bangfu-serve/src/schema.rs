//! The JSON Schema of every request and response (接口模式), generated from the Rust types by
//! `schemars`, and the OpenAPI 3.1 document that gathers them.
//!
//! The response bodies are the types below, serialized as they are: their schema is theirs.
//! The requests are read by the journal's and the decider's own readers (typed errors with
//! codes); the types here describe what those readers take.

use std::borrow::Cow;

use bangfu_aid::Entitlement;
use bangfu_core::{CaseId, HouseholdId};
use bangfu_eligibility::{CaseEvent, Stage};
use bangfu_funding::{Income, Posting, Reversal, Statement};
use bangfu_journal::ReadReceipt;
use bangfu_journal::{OrderDecision, ReportText};
use bangfu_year::Payment;
use bangfu_year::oversight::{AllocationFile, CheckRecord, InspectionRecord};
use bangfu_year::records::{
    ApplicantRecord, CaseEventRecord, ClaimRecord, HouseholdRecord, SurveyRecord,
};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Serialize;
use serde_json::{Value, json};

/// A schema given as JSON text, for the types whose serde form is written by hand.
macro_rules! fixed_schema {
    ($(#[$m:meta])* $name:ident, $title:literal, $schema:tt) => {
        $(#[$m])*
        #[derive(Debug)]
        pub struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($title)
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

fixed_schema!(
    /// The protocol version: always 1.
    Protocol, "Protocol", {"type": "integer", "const": 1, "description": "the protocol version"}
);

fixed_schema!(
    /// An id of the records (`OpId`, `AccountId`, `CaseId`, …): 1–64 of letters, digits and
    /// `- _ . / :`.
    IdText, "Id", {"type": "string", "pattern": "^[A-Za-z0-9_./:-]{1,64}$"}
);

fixed_schema!(
    /// A date, `YYYY-MM-DD`.
    DateText, "Date", {"type": "string", "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$"}
);

fixed_schema!(
    /// An amount of money in yuan, exact to the fen, as a string.
    MoneyText, "Money", {"type": "string", "pattern": "^-?\\d+(\\.\\d{1,2})?$"}
);

/// The policy's stamp in a receipt.
#[derive(Debug, JsonSchema)]
#[schemars(rename = "PolicyStamp")]
pub struct PolicyStampSchema {
    /// `jurisdiction@version`.
    pub id: String,
    /// The SHA-256 of the policy file's text, 64 hex digits.
    #[schemars(regex(pattern = r"^[0-9a-f]{64}$"))]
    pub sha256: String,
}

/// The receipt of a read ([`ReadReceipt`]).
#[derive(Debug, JsonSchema)]
#[schemars(rename = "Receipt")]
pub struct ReceiptSchema {
    /// The bangfu version.
    pub bangfu: String,
    /// The policy's stamp.
    pub policy: PolicyStampSchema,
    /// The journal position read at.
    pub position: u64,
}

/// One operation line (操作行): `{v, id, actor, date, op, body}`, the body by `op`
/// (`docs/journal.md`); a `close` has no body.
#[derive(Debug)]
pub struct OperationLine;

/// The schema of one kind of operation: `op` is the kind, `body` its record.
fn kind_schema<T: JsonSchema>(generator: &mut SchemaGenerator, kind: &str) -> Value {
    let body = generator.subschema_for::<T>();
    json!({
        "properties": {"op": {"const": kind}, "body": body},
        "required": ["body"]
    })
}

impl JsonSchema for OperationLine {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("OperationLine")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let v = generator.subschema_for::<Protocol>();
        let id = generator.subschema_for::<IdText>();
        let date = generator.subschema_for::<DateText>();
        let g = generator;
        let kinds = vec![
            kind_schema::<HouseholdRecord>(g, "file_household"),
            kind_schema::<ApplicantRecord>(g, "refuse_applicant"),
            kind_schema::<CaseEventRecord>(g, "case_event"),
            kind_schema::<ClaimRecord>(g, "claim"),
            kind_schema::<Payment>(g, "pay"),
            kind_schema::<Income>(g, "income"),
            kind_schema::<Posting>(g, "record"),
            kind_schema::<SurveyRecord>(g, "visit"),
            kind_schema::<ReportText>(g, "report_file"),
            kind_schema::<Payment>(g, "order"),
            kind_schema::<OrderDecision>(g, "approve"),
            kind_schema::<OrderDecision>(g, "reject"),
            kind_schema::<Reversal>(g, "reverse"),
            kind_schema::<AllocationFile>(g, "allocation"),
            kind_schema::<CheckRecord>(g, "payment_check"),
            kind_schema::<InspectionRecord>(g, "inspection"),
            kind_schema::<bangfu_year::temporary::TemporaryAidRecord>(g, "temporary"),
            json!({"properties": {"op": {"const": "close"}, "body": {"type": "null"}}}),
        ];
        json_schema!({
            "type": "object",
            "description": "one operation: the caller's id, the actor, the date, the kind and its record (docs/journal.md); the body is the record of the kind, as the year directory's file holds it, none for a close",
            "required": ["v", "id", "actor", "date", "op"],
            "properties": {
                "v": v, "id": id, "actor": id, "date": date,
                "op": {"type": "string"},
                "body": {}
            },
            "additionalProperties": false,
            "oneOf": kinds
        })
    }
}

/// The body of `POST /v1/operations`: one operation line or a list of them (one batch).
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum OperationsRequest {
    /// One operation.
    One(OperationLine),
    /// A batch, applied in one transaction.
    Many(Vec<OperationLine>),
}

/// The result line of one operation, as `bangfu apply` prints it.
#[derive(Debug, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum OperationResult {
    /// Applied now.
    Accepted {
        /// The protocol version.
        v: Protocol,
        /// The operation id.
        id: IdText,
        /// Its journal position.
        position: u64,
        /// What it did.
        result: bangfu_journal::Effect,
    },
    /// Applied before: the first result.
    Duplicate {
        /// The protocol version.
        v: Protocol,
        /// The operation id.
        id: IdText,
        /// Its journal position.
        position: u64,
        /// What it did.
        result: bangfu_journal::Effect,
    },
    /// Refused: nothing applied.
    Refused {
        /// The protocol version.
        v: Protocol,
        /// The operation id, or null when it could not be read.
        id: Option<IdText>,
        /// The stable code.
        code: String,
        /// Why.
        message: String,
    },
}

/// The answer of `POST /v1/operations` with a list: a result line each, in order.
#[derive(Debug, JsonSchema)]
pub struct OperationsBatch {
    /// The protocol version.
    pub v: Protocol,
    /// One result line per operation.
    pub results: Vec<OperationResult>,
}

/// The answer of `POST /v1/operations`.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum OperationsResponse {
    /// The result line of one operation.
    One(OperationResult),
    /// The result lines of a list.
    Many(OperationsBatch),
}

/// A refused request (拒绝): the same coded JSON as a refused result line.
#[derive(Debug, JsonSchema)]
pub struct Refusal {
    /// The protocol version.
    pub v: Protocol,
    /// Always `refused`.
    #[schemars(extend("const" = "refused"))]
    pub status: String,
    /// The stable code (`docs/service.md` gives its HTTP status).
    pub code: String,
    /// Why.
    pub message: String,
}

/// One decision request, as `bangfu eval` reads a line (`docs/json-interface.md`): an
/// eligibility request (`kind: eligibility`, the household and the date) or one of the aid
/// kinds (the aid crate's `Request`), with the caller's optional `id`.
#[derive(Debug)]
pub struct DecisionRequest;

impl JsonSchema for DecisionRequest {
    fn schema_name() -> Cow<'static, str> {
        Cow::Borrowed("DecisionRequest")
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let id = json!({"type": "string", "description": "the caller's id, echoed on the answer"});
        let household = generator.subschema_for::<bangfu_eligibility::Household>();
        let date = generator.subschema_for::<DateText>();
        let mut branches = vec![json!({
            "type": "object",
            "description": "eligibility (困难职工家庭认定)",
            "properties": {"kind": {"const": "eligibility"}, "id": id, "household": household, "date": date},
            "required": ["kind", "household", "date"],
            "additionalProperties": false
        })];
        let aid = <bangfu_aid::Request as JsonSchema>::json_schema(generator).to_value();
        for mut branch in aid
            .get("oneOf")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
        {
            if let Some(props) = branch.get_mut("properties").and_then(Value::as_object_mut) {
                props.insert("id".to_owned(), id.clone());
            }
            branches.push(branch);
        }
        json_schema!({
            "description": "one decision request: eligibility or an aid kind, tagged by kind",
            "oneOf": branches
        })
    }
}

/// The body of `POST /v1/decisions`: one request or a list.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum DecisionsRequest {
    /// One request.
    One(DecisionRequest),
    /// Requests decided in order.
    Many(Vec<DecisionRequest>),
}

/// One answer, as `bangfu eval` prints it, with the protocol version: a decision (with its
/// `kind`) or an error line (with its `error` code).
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum DecisionAnswer {
    /// A decision.
    Decision {
        /// The protocol version.
        v: Protocol,
        /// The request's place in the list, from 1.
        line: u64,
        /// The caller's id.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// The kind decided.
        kind: String,
    },
    /// A request that could not be decided.
    Error {
        /// The protocol version.
        v: Protocol,
        /// The request's place in the list, from 1.
        line: u64,
        /// The caller's id, when it could be read.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        id: Option<String>,
        /// The kind as written, when it is one of the decider's.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        /// The stable code.
        error: String,
        /// The code's Chinese label.
        zh: String,
        /// The code's English label.
        en: String,
        /// Why.
        message: String,
    },
}

/// The answer of `POST /v1/decisions` with a list.
#[derive(Debug, JsonSchema)]
pub struct DecisionsBatch {
    /// The protocol version.
    pub v: Protocol,
    /// One answer per request, in order.
    pub answers: Vec<DecisionAnswer>,
}

/// The answer of `POST /v1/decisions`.
#[derive(Debug, JsonSchema)]
#[serde(untagged)]
pub enum DecisionsResponse {
    /// The answer to one request.
    One(DecisionAnswer),
    /// The answers to a list.
    Many(DecisionsBatch),
}

/// `GET /v1/statement`: the statement of the store's year.
#[derive(Debug, Serialize, JsonSchema)]
pub struct StatementRead {
    /// The protocol version.
    #[schemars(with = "Protocol")]
    pub v: u32,
    /// The receipt of the read.
    #[schemars(with = "ReceiptSchema")]
    pub receipt: ReadReceipt,
    /// The statement.
    pub statement: Statement,
}

/// `GET /v1/report`: the self-evaluation report, or what it still needs.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ReportRead {
    /// The protocol version.
    #[schemars(with = "Protocol")]
    pub v: u32,
    /// The receipt of the read.
    #[schemars(with = "ReceiptSchema")]
    pub receipt: ReadReceipt,
    /// `md` or `html`.
    #[schemars(extend("enum" = ["md", "html"]))]
    pub format: String,
    /// Whether the report is scored: the store holds the report's files.
    pub complete: bool,
    /// The report's files the store lacks (`stated.toml`, `judgements.toml`, `report.toml`).
    pub missing: Vec<String>,
    /// The report (Markdown or HTML); when incomplete, the statement as text.
    pub report: String,
}

/// `GET /v1/verify`: the store against the replay of its journal.
#[derive(Debug, Serialize, JsonSchema)]
pub struct VerifyRead {
    /// The protocol version.
    #[schemars(with = "Protocol")]
    pub v: u32,
    /// The receipt of the journal verified.
    #[schemars(with = "ReceiptSchema")]
    pub receipt: ReadReceipt,
    /// Whether the store is its replay, to the fen.
    pub verified: bool,
    /// Operations replayed.
    pub operations: u64,
    /// Postings in the state.
    pub postings: u64,
    /// Every difference found.
    pub differences: Vec<String>,
}

/// `GET /v1/files/{case}`: a case file with its history.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CaseFileRead {
    /// The protocol version.
    #[schemars(with = "Protocol")]
    pub v: u32,
    /// The receipt of the read.
    #[schemars(with = "ReceiptSchema")]
    pub receipt: ReadReceipt,
    /// The case.
    pub case: CaseId,
    /// Its household.
    pub household: HouseholdId,
    /// Where the file stands.
    pub stage: Stage,
    /// The accepted events, in order.
    pub history: Vec<CaseEvent>,
}

/// `GET /v1/households/{id}/entitlement`: what remains of a household's yearly entitlement.
#[derive(Debug, Serialize, JsonSchema)]
pub struct EntitlementRead {
    /// The protocol version.
    #[schemars(with = "Protocol")]
    pub v: u32,
    /// The receipt of the read.
    #[schemars(with = "ReceiptSchema")]
    pub receipt: ReadReceipt,
    /// The household.
    pub household: HouseholdId,
    /// The entitlement on the date asked.
    pub entitlement: Entitlement,
}

/// Every schema served at `/v1/schema/{name}`, by name.
pub const NAMES: &[&str] = &[
    "operation",
    "operations_request",
    "operations_response",
    "decisions_request",
    "decisions_response",
    "statement",
    "report",
    "verify",
    "case_file",
    "entitlement",
    "refusal",
];

/// The generator of every schema: JSON Schema 2020-12, describing the serialized form.
fn generator(definitions_path: &'static str) -> SchemaGenerator {
    schemars::generate::SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = definitions_path.into())
        .into_generator()
}

/// Runs `f` with the schema generator for the type named `name`.
fn with_named<T>(
    name: &str,
    generator: &mut SchemaGenerator,
    f: impl FnOnce(&mut SchemaGenerator, fn(&mut SchemaGenerator) -> Schema) -> T,
) -> Option<T> {
    fn of<S: JsonSchema>(g: &mut SchemaGenerator) -> Schema {
        g.subschema_for::<S>()
    }
    let pick: fn(&mut SchemaGenerator) -> Schema = match name {
        "operation" => of::<OperationLine>,
        "operations_request" => of::<OperationsRequest>,
        "operations_response" => of::<OperationsResponse>,
        "decisions_request" => of::<DecisionsRequest>,
        "decisions_response" => of::<DecisionsResponse>,
        "statement" => of::<StatementRead>,
        "report" => of::<ReportRead>,
        "verify" => of::<VerifyRead>,
        "case_file" => of::<CaseFileRead>,
        "entitlement" => of::<EntitlementRead>,
        "refusal" => of::<Refusal>,
        _ => return None,
    };
    Some(f(generator, pick))
}

/// The JSON Schema (2020-12) of the request or response named `name` (one of [`NAMES`]),
/// standing alone: its definitions under `$defs`.
///
/// # Example
/// ```
/// let s = bangfu_serve::schema_named("refusal").unwrap();
/// assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
/// assert!(bangfu_serve::schema_named("nothing").is_none());
/// ```
pub fn schema_named(name: &str) -> Option<Value> {
    let mut g = generator("/$defs");
    let root = with_named(name, &mut g, |g, pick| pick(g))?;
    let defs = g.take_definitions(true);
    let mut root = root.to_value();
    // A root that is a reference stands for its definition.
    if let Some(Value::String(r)) = root.get("$ref").cloned() {
        let key = r.trim_start_matches("#/$defs/");
        if let Some(def) = defs.get(key) {
            root = def.clone();
        }
    }
    if let Value::Object(map) = &mut root {
        map.insert(
            "$schema".to_owned(),
            Value::from("https://json-schema.org/draft/2020-12/schema"),
        );
        map.insert("title".to_owned(), Value::from(name));
        if !defs.is_empty() {
            map.insert("$defs".to_owned(), Value::Object(defs));
        }
    }
    Some(root)
}

/// The OpenAPI 3.1 document of the service (接口文档): every path with its request and
/// response schemas, the schemas under `components/schemas`.
///
/// # Example
/// ```
/// let doc = bangfu_serve::openapi();
/// assert_eq!(doc["openapi"], "3.1.0");
/// assert!(doc["paths"]["/v1/operations"]["post"].is_object());
/// ```
pub fn openapi() -> Value {
    let mut g = generator("/components/schemas");
    let mut refs = serde_json::Map::new();
    for name in NAMES {
        if let Some(s) = with_named(name, &mut g, |g, pick| pick(g)) {
            refs.insert((*name).to_owned(), s.to_value());
        }
    }
    let r = |name: &str| refs.get(name).cloned().unwrap_or(Value::Null);
    let json_of = |schema: Value| json!({"application/json": {"schema": schema}});
    let refusal = json!({"description": "refused: the coded JSON of a refused result line", "content": json_of(r("refusal"))});
    let read = |summary: &str, name: &str, params: Value| {
        json!({"get": {
            "summary": summary,
            "parameters": params,
            "responses": {
                "200": {"description": "the read, with the store's receipt", "content": json_of(r(name))},
                "400": refusal, "404": refusal, "500": refusal
            }
        }})
    };
    let path_param = |name: &str, what: &str| json!({"name": name, "in": "path", "required": true, "description": what, "schema": {"type": "string"}});
    let query = |name: &str, what: &str, schema: Value| json!({"name": name, "in": "query", "required": false, "description": what, "schema": schema});
    let mut schemas = serde_json::Map::new();
    for (k, v) in g.take_definitions(true) {
        schemas.insert(k, v);
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "bangfu service",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Hardship-worker aid (困难职工帮扶): the stateless decisions, the year's operations on a store, and reads with the store's receipt. Every body carries \"v\": 1; errors are {\"v\":1,\"status\":\"refused\",\"code\",\"message\"}. See docs/service.md."
        },
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "paths": {
            "/v1/decisions": {"post": {
                "summary": "the stateless decisions of bangfu eval (one request or a list)",
                "parameters": [query("explain", "add each decision's steps and citations", json!({"type": "boolean"}))],
                "requestBody": {"required": true, "content": json_of(r("decisions_request"))},
                "responses": {
                    "200": {"description": "the answers as bangfu eval prints them", "content": json_of(r("decisions_response"))},
                    "400": {"description": "the request does not read", "content": json_of(r("decisions_response"))},
                    "422": {"description": "one request read but not decided", "content": json_of(r("decisions_response"))}
                }
            }},
            "/v1/operations": {"post": {
                "summary": "one operation line or a list, applied as one batch",
                "requestBody": {"required": true, "content": json_of(r("operations_request"))},
                "responses": {
                    "200": {"description": "a list's result lines, or one operation applied before (duplicate)", "content": json_of(r("operations_response"))},
                    "201": {"description": "one operation accepted", "content": json_of(r("operations_response"))},
                    "400": {"description": "the line does not read", "content": json_of(r("operations_response"))},
                    "409": {"description": "refused by a rule; nothing written", "content": json_of(r("operations_response"))},
                    "503": refusal
                }
            }},
            "/v1/statement": read("the statement of the store's year", "statement", json!([])),
            "/v1/report": read("the self-evaluation report (Markdown, or HTML with ?format=html)", "report", json!([
                query("format", "md (default) or html", json!({"enum": ["md", "html"]})),
                query("lang", "zh (default) or en", json!({"enum": ["zh", "en"]})),
                query("framework", "self (default) or reference", json!({"enum": ["self", "reference"]}))
            ])),
            "/v1/verify": read("the store against the replay of its journal", "verify", json!([])),
            "/v1/files/{case}": read("a case file with its history", "case_file", json!([path_param("case", "the case id")])),
            "/v1/households/{id}/entitlement": read("a household's remaining entitlement from the recorded payments", "entitlement", json!([
                path_param("id", "the household id"),
                query("date", "the day asked about (default: December 31 of the year)", json!({"type": "string", "format": "date"}))
            ])),
            "/v1/schema/{name}": {"get": {
                "summary": "the JSON Schema of a request or response",
                "parameters": [path_param("name", "one of the schema names")],
                "responses": {"200": {"description": "a JSON Schema (2020-12)"}, "404": refusal}
            }},
            "/v1/openapi.json": {"get": {
                "summary": "this document",
                "responses": {"200": {"description": "OpenAPI 3.1"}}
            }}
        },
        "components": {"schemas": schemas}
    })
}

#[cfg(test)]
#[allow(clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The `op` of each kind the operation line's schema admits.
    fn kinds_in_schema() -> Vec<String> {
        let s = schema_named("operation").unwrap();
        s["oneOf"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["properties"]["op"]["const"].as_str().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn every_operation_kind_the_journal_applies_is_in_the_schema() {
        // The journal's own list of kinds (`OpKind::ALL`, the codes it reads): a kind added
        // there and not here fails this test, so the two cannot drift apart.
        let schema = kinds_in_schema();
        for kind in bangfu_journal::OpKind::ALL {
            assert!(
                schema.iter().any(|k| k == kind.code()),
                "the operation schema lacks `{}`",
                kind.code()
            );
        }
        assert_eq!(
            schema.len(),
            bangfu_journal::OpKind::ALL.len(),
            "{schema:?}"
        );
    }

    #[test]
    fn every_name_has_a_schema() {
        for name in NAMES {
            let s = schema_named(name).unwrap_or_default();
            assert!(s.is_object(), "{name}");
        }
    }
}
