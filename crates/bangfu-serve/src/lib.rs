//! # bangfu-serve (帮扶服务)
//!
//! The HTTP service of a store (业务库) of hardship-worker aid (困难职工帮扶), on axum:
//!
//! - `POST /v1/decisions`: the stateless decisions of `bangfu eval`;
//! - `POST /v1/operations`: operation lines applied to the store's journal as one batch;
//! - `GET /v1/statement`, `/v1/report`, `/v1/verify`, `/v1/files/{case}`,
//!   `/v1/households/{id}/entitlement`: reads, each with the store's receipt;
//! - `GET /v1/schema/{name}` and `/v1/openapi.json`: the JSON Schema of every request and
//!   response, generated from the Rust types ([`schemars`]), gathered in an OpenAPI 3.1
//!   document.
//!
//! Every body carries `"v": 1`; a refusal is the coded JSON of a refused result line,
//! `{"v":1,"status":"refused","code":…,"message":…}`, with the HTTP status of its code
//! ([`status_of`]). The journal is one writer: the service holds it behind one mutex.
//! Every request goes through [`authenticate`] and every body through [`mask_for`]: the
//! seams of accounts and roles (a store without accounts is open; ID numbers are masked).
//!
//! ```
//! use bangfu_journal::{Journal, MemoryStorage, Setup};
//! use bangfu_data::hainan2018 as hn;
//! let journal = Journal::create(MemoryStorage::default(), Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?)?;
//! let bound = bangfu_serve::bind(journal, "127.0.0.1:0".parse()?, 1)?;
//! assert!(bound.local_addr()?.port() > 0);
//! // bound.run() serves until the process ends.
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The endpoints with curl examples are in `docs/service.md`; the design note is the crate's
//! `DESIGN.md`, rendered as [`_design`].

mod access;
mod error;
mod schema;
mod service;

pub use access::{Caller, authenticate, mask_for};
pub use error::{ApiError, status_of};
pub use schema::{NAMES, openapi, schema_named};
pub use service::{Bound, Service, bind, router};

/// The schema types of the requests and responses (`/v1/schema/{name}`).
pub mod schemas {
    pub use crate::schema::{
        CaseFileRead, DateText, DecisionAnswer, DecisionRequest, DecisionsBatch, DecisionsRequest,
        DecisionsResponse, EntitlementRead, IdText, MoneyText, OperationLine, OperationResult,
        OperationsBatch, OperationsRequest, OperationsResponse, PolicyStampSchema, Protocol,
        ReceiptSchema, Refusal, ReportRead, StatementRead, VerifyRead,
    };
}

/// The README (the crates.io page), whose example is compiled as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;

/// The design note (`DESIGN.md`).
#[doc = include_str!("../DESIGN.md")]
pub mod _design {}
