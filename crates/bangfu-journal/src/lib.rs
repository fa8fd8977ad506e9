//! # bangfu-journal (帮扶业务日志)
//!
//! The system of record of a union's programme year of hardship-worker aid (困难职工帮扶):
//! what the union does during the year, kept as a durable journal of operations.
//!
//! - **Operations** ([`OpLine`], [`Operation`]): a household filed, a case-file event, a
//!   claim, a payment, income, a recorded posting, a home visit, a report file, the close;
//!   each with the caller's operation id, its actor and its date, one JSON object a line.
//! - **The journal** ([`Journal`]): each operation is checked by the year's one path
//!   ([`bangfu_year::ProgrammeYear`]) and written with what it changes in one transaction,
//!   or refused with its code and nothing written. The same operation id with the same
//!   content returns the first result; with other content it is refused. History is never
//!   rewritten: a correction is a new operation. The state is rebuilt by replaying the
//!   journal, and [`Journal::verify`] checks that the stored state is the replay, to the fen.
//! - **Storage** ([`Storage`]): a small trait in plain terms; [`SqliteStorage`] (SQLite,
//!   compiled in) is the embedded default, [`MemoryStorage`] keeps nothing.
//! - **Receipts** ([`ReadReceipt`]): what is read from a store carries the bangfu version,
//!   the policy's id and SHA-256 and the journal position.
//! - **Transfer**: [`Journal::export`] writes the year directory of the store
//!   (`docs/year-directory.md`), [`Journal::import`] makes a store of one.
//!
//! ```
//! use bangfu_journal::{Journal, MemoryStorage, OpLine, Outcome, Setup};
//! use bangfu_data::hainan2018 as hn;
//! let mut journal = Journal::create(MemoryStorage::default(), Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?)?;
//! let bad = OpLine::from_json(r#"{"v":1,"id":"p-1","actor":"finance-1","date":"2018-03-01","op":"pay","body":{"id":"p-1","claim":"c-404","date":"2018-03-01","source":"central_fiscal","channel":"union_member_card"}}"#)?;
//! let out = journal.apply(bad)?;
//! assert!(matches!(out, Outcome::Refused { code: "year.unknown_claim", .. }));
//! assert_eq!(journal.position(), 0); // nothing written
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The design note is `docs/journal.md`, rendered as [`_design`].

mod access;
mod error;
mod ingest;
mod journal;
mod op;
mod pipeline;
mod sqlite;
mod storage;
mod transfer;

pub use access::{Account, AccountRole, UnitTree};
pub use bangfu_year::dir::DirFiles;
pub use error::JournalError;
pub use ingest::{IngestFailure, Progress};
pub use journal::{Effect, Journal, Outcome, ReadReceipt, ResultJson, Setup, Verification};
pub use op::{
    AccountId, LineError, OpId, OpKind, OpLine, Operation, OrderDecision, PROTOCOL, ReportText,
};
pub use sqlite::{CACHE_KIB, SCHEMA_VERSION, SqliteStorage, WAL_AUTOCHECKPOINT_PAGES};
pub use storage::{
    ClaimRow, Entry, FileRow, MemoryStorage, OrderRow, PostingRow, Projection, ReadLog, Refusal,
    Rows, Storage,
};
pub use transfer::DirOperations;

/// The README (the crates.io page), whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;

/// The design note (`docs/journal.md`).
#[doc = include_str!("../DESIGN.md")]
pub mod _design {}
