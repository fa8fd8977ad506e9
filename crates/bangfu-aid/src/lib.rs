//! # bangfu-aid
//!
//! The aid calculators of bangfu (帮扶): medical aid (医疗救助) with a running yearly cap,
//! living aid (生活救助) with per-time maxima and a yearly standard, sending warmth
//! (两节送温暖) within a range, and education aid (助学) once per student per year; the
//! remaining entitlement on a date; payment orders with idempotency keys; explanations;
//! batch evaluation; and the request and decision types of the JSON Lines interface.
//!
//! Every number comes from the policy data ([`AidPolicy`], the `[aid]` section of a policy
//! file); nothing here hard-codes an amount, rate or cap.
//!
//! ```
//! use bangfu_aid::{AidPolicy, Calculator, Explain, FileFacts, MedicalClaim, Reason, YearToDate};
//! use bangfu_core::{Money, NaiveDate};
//!
//! #[derive(serde::Deserialize)]
//! struct PolicyFile { aid: AidPolicy, citations: bangfu_core::Citations }
//! let file: PolicyFile = toml::from_str(include_str!("../data/hainan-2018.toml"))?;
//! let calc = Calculator::new(&file.aid)?.with_citations(&file.citations);
//!
//! let household: FileFacts = serde_json::from_str(r#"{"case":"HK-1/1","household":"HK-1",
//!     "tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
//! let claim = MedicalClaim {
//!     date: NaiveDate::from_ymd_opt(2018, 6, 1).unwrap(),
//!     out_of_pocket: Money::from_yuan(40_000)?,
//! };
//! let d = calc.medical(&household, claim, YearToDate::default(), Explain::On)?;
//! assert_eq!(d.amount, Money::from_yuan(15_000)?);          // 50 %, capped
//! assert!(d.reasons.contains(Reason::MedicalCapped));
//! let why = d.explanation().unwrap();
//! assert!(why.parameters.iter().any(|p| p.name == "aid.medical.yearly_cap"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Overview
//!
//! - [`Calculator`] over an [`AidPolicy`]: [`medical`](Calculator::medical),
//!   [`living`](Calculator::living), [`sending_warmth`](Calculator::sending_warmth),
//!   [`education`](Calculator::education), [`remaining`](Calculator::remaining),
//!   [`decide`](Calculator::decide) (one [`Request`]), [`evaluate`](Calculator::evaluate)
//!   (a population), [`resolve`](Calculator::resolve) (the fast path: [`Resolved`], the
//!   parameters of one degree on one date, looked up once).
//! - Inputs about a file are plain ([`FileFacts`]): status on the date or status events,
//!   tier, hardship degree ([`DegreeCode`]), severe flags, household size, students.
//! - [`AidDecision`]: amount, [`ReasonSet`] (which limit bit), citation, and when asked a
//!   [`Trace`]: the inputs, the dated parameters (by reference) and every intermediate
//!   amount, recorded without formatting or allocating, rendered to an
//!   [`Explanation`](bangfu_core::Explanation) when shown.
//! - [`PaymentOrder`]: only for a payable file, keyed by [`IdempotencyKey`].
//! - Errors: [`AidError`], each with a stable code.
//!
//! Not here: eligibility (the facade wires the eligibility crate's decisions into
//! [`FileFacts`]), the ledger, and the `bangfu eval` command itself.
//!
//! The design note is the crate's `DESIGN.md`, rendered as [`_design`].

mod batch;
mod book;
mod calc;
mod error;
mod fast;
mod input;
mod order;
mod outcome;
mod policy;
mod reason;
mod request;
mod temporary;
mod trace;

pub use batch::{
    BatchDecision, BatchEducationClaim, BatchMedicalClaim, BatchResult, BatchTotals, ClaimList,
    HouseholdClaims, Tally,
};
pub use book::AidBook;
pub use calc::{AidDecision, Calculator, Entitlement, KindEntitlement, StudentEntitlement};
pub use error::AidError;
pub use fast::Resolved;
pub use input::{
    AmountClaim, ClaimId, FileFacts, FileFactsBuilder, MedicalClaim, SchoolStage, SevereFlags,
    StatusEvent, Student, YearToDate,
};
pub use order::{IdempotencyKey, PaymentOrder};
pub use outcome::{DecisionRef, OutcomeRef};
pub use policy::{
    AidPolicy, AmountRange, CapScope, DegreeCode, DegreeInfo, DegreeTable, EducationPolicy,
    LivingPolicy, MedicalPolicy, OutOfRange, StandardUnit, WarmthPolicy, YearlyCap,
};
pub use reason::{Reason, ReasonSet};
pub use request::{
    AidOutcome, AmountClaimRecord, Decision, EducationClaimRecord, EducationRequest,
    EntitlementOutcome, ErrorLine, LivingRequest, MedicalClaimRecord, MedicalRequest,
    PaymentRecord, RemainingRequest, Request, WarmthRequest,
};
pub use temporary::{
    Relation, TemporaryClaim, TemporaryClaimRecord, TemporaryEvent, TemporaryOutcome,
    TemporaryPolicy, TemporaryRequest, TemporaryWorker, temporary_paid,
};
pub use trace::{Explain, Trace};

/// The crate's error type.
#[doc(no_inline)]
pub use AidError as Error;

/// The Hainan 2018 `[aid]` section and its `[citations]`, as shipped in
/// `data/hainan-2018.toml` (the facade joins it with the other crates' sections into one
/// policy file).
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct File { aid: bangfu_aid::AidPolicy }
/// let file: File = toml::from_str(bangfu_aid::HAINAN_2018_POLICY_TOML)?;
/// assert!(bangfu_aid::Calculator::new(&file.aid).is_ok());
/// # Ok::<(), toml::de::Error>(())
/// ```
pub const HAINAN_2018_POLICY_TOML: &str = include_str!("../data/hainan-2018.toml");

/// The `[aid]` section and its `[citations]` of the example 2020+ jurisdiction, as shipped in
/// `data/example-2020.toml`.
///
/// ```
/// #[derive(serde::Deserialize)]
/// struct File { aid: bangfu_aid::AidPolicy }
/// let file: File = toml::from_str(bangfu_aid::EXAMPLE_2020_POLICY_TOML)?;
/// assert!(bangfu_aid::Calculator::new(&file.aid).is_ok());
/// # Ok::<(), toml::de::Error>(())
/// ```
pub const EXAMPLE_2020_POLICY_TOML: &str = include_str!("../data/example-2020.toml");

/// The `[aid]` section and its `[citations]` of the third example policy, Hubei's
/// hardship-worker aid standards (湖北): living aid and education aid capped in months of the
/// local minimum living standard, as shipped in `data/hubei-2023.toml`
/// ([`AidPolicy::hubei_2023`] joins it with its standard).
///
/// ```
/// assert!(bangfu_aid::HUBEI_2023_POLICY_TOML.contains("months_by_degree"));
/// ```
pub const HUBEI_2023_POLICY_TOML: &str = include_str!("../data/hubei-2023.toml");

/// Example requests of the JSON Lines interface (`bangfu eval`), one line per kind and two
/// bad lines, as shipped in `data/example-requests.jsonl`.
///
/// ```
/// let lines: Vec<&str> = bangfu_aid::EXAMPLE_REQUESTS_JSONL.lines().collect();
/// assert!(bangfu_aid::Request::from_json(lines[0]).is_ok());
/// ```
pub const EXAMPLE_REQUESTS_JSONL: &str = include_str!("../data/example-requests.jsonl");

#[doc = include_str!("../DESIGN.md")]
pub mod _design {}

/// The README (the crates.io page), whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;
