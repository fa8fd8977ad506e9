//! # bangfu-eligibility
//!
//! Who may be filed as a hardship worker household (困难职工家庭) and what happens to the file:
//! households and members with validated, masked ID numbers; hardship categories and archive
//! tiers chosen by an effective-dated scheme; exclusions as data; the filing [`Decision`] with
//! every reason; the [`CaseFile`] moved only by accepted events through the seven steps
//! (申请 → 初审 → 公示 → 建档 → 审批 → 再公示 → 在档); exit (脱困), cancellation (注销) and
//! withdrawal (退档); the [`annual_review`]; the [`Registry`] of files; and the population
//! [`Screen`] (the exclusion and income tests in force on one date, looked up once).
//!
//! Every number, list and duration comes from an [`EligibilityPolicy`] (TOML, each value with
//! its `from` date and citation); nothing reads the clock, files or the network.
//!
//! ```
//! use bangfu_eligibility::{assess, EligibilityPolicy, Household, Outcome};
//! let policy = EligibilityPolicy::hainan_2018()?;
//! let mut household = Household::example()?;
//! household.assets.homes = 2; // two homes: the first of the four 2018 exclusions
//! household.documents.clear(); // and no signed letters
//! let date = chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
//! let decision = assess(&policy, &household, date)?;
//! assert_eq!(decision.outcome, Outcome::NotEligible);
//! let codes: Vec<&str> = decision.reasons.iter().map(|r| r.code.as_str()).collect();
//! assert!(codes.contains(&"exclusion.multiple_homes"));
//! assert!(codes.contains(&"missing.commitment_letter"));
//! # Ok::<(), bangfu_eligibility::EligibilityError>(())
//! ```
//!
//! The design note is the crate's `DESIGN.md`, rendered as [`_design`].

mod case;
mod decision;
mod error;
mod household;
mod id_number;
mod parse;
mod policy;
mod registry;
mod retention;
mod review;
mod screen;
mod serde_codes;

pub use case::{
    Actor, CancelReason, CaseEvent, CaseFile, Closure, EventKind, ExitReason, NoticeWindow,
    ObjectionOutcome, RecordKind, RecoveryOrder, Role, Stage, WithdrawReason, allowed_roles,
};
pub use decision::{
    BandCheck, Decision, Detail, MissingDocument, Outcome, PerCapita, Reason, ReasonKind, assess,
    assess_with, fact_value, missing_documents,
};
pub use error::{CodeKind, ERROR_CODES, EligibilityError};
pub use household::{
    AccidentClaim, Assets, Document, DocumentKind, HardshipCause, HealthCondition, Household,
    Member, Person, Relation, SchoolFee, SchoolStage, Schooling, Sex, Vehicle, VehicleKind, Worker,
    age_on, amount_from_yuan,
};
pub use id_number::{IdMask, IdNumber, IdProblem};
pub use parse::{line_of, parse_toml};
pub use policy::{
    AgeBand, Band, CauseDocument, Comparison, ConditionDocument, CostShare, EXAMPLE_POLICY_TOML,
    EligibilityPolicy, EligibilityPolicyFile, Exclusion, FactKind, HAINAN_2018_POLICY_TOML,
    HardshipCategory, IncomeLine, MembershipRule, PerCapitaBasis, Predicate, RetirementAge, Scheme,
    SchemeKind,
};
pub use registry::{FilingActors, Registry, file_through_procedure};
pub use retention::{Retention, kept_until};
pub use review::{
    FileFlag, MonthlyIncome, Proposal, ProposalBasis, ProposedAction, QualityFlag, ReviewReport,
    SyncGap, annual_review, consecutive_months_exit,
};
pub use screen::{Screen, ScreenFacts, Screening};

/// The crate's error, under the short name.
#[doc(no_inline)]
pub use EligibilityError as Error;

#[doc = include_str!("../DESIGN.md")]
pub mod _design {}

/// The README (the crates.io page), whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;
