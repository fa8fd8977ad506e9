//! # bangfu-scoring
//!
//! Performance scoring of trade-union aid funds (帮扶资金绩效评价): an indicator framework
//! that is data, facts computed from the records, sampling and surveys, consistency
//! findings, and the self-evaluation report (绩效自评报告) in Chinese and English.
//!
//! ```
//! use bangfu_core::Money;
//! use bangfu_scoring::{Framework, MOF2020_SELF, FactKey, Facts};
//! let fw = Framework::from_toml(MOF2020_SELF)?;
//! assert_eq!(fw.total().to_string(), "100");
//! let mut facts = Facts::default();
//! facts.received = Money::parse_wan("1125.074864")?;
//! facts.spent = Money::parse_wan("1083.784139")?;
//! assert_eq!(facts.read(FactKey::ExecutionRate)?.display(bangfu_core::Lang::Zh), "96.33 %");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Overview
//!
//! - [`Framework`]: a tree of indicators (levels 1–3) with weights checked on load, each
//!   leaf with a [`Method`] and the [`FactKey`] it reads; grade bands and qualitative bands
//!   are data. Two are built in: [`MOF2020_SELF`] and [`MOF2020_REFERENCE`].
//! - [`Facts`]: the computed figures of a year, each count a [`Tally`] with its records.
//! - [`score`]: framework + facts + [`Judgements`] → [`Scorecard`] with every indicator's
//!   actual, target, method, score and reason, the total and the [`Grade`].
//! - [`draw_sample`] and [`satisfaction`]: a reproducible stratified home-visit sample and a
//!   Wilson interval computed with an exact decimal [`sqrt`].
//! - [`check_consistency`]: stated figures against computed ones, as [`Finding`]s.
//! - [`render_report`]: the self-evaluation report in Markdown, in the seed's structure.
//!
//! No floating point, no clock, no files: data comes in as text or structs.
//!
//! The design note is the crate's `DESIGN.md`, rendered as [`_design`].

mod consistency;
mod dec;
mod error;
mod facts;
mod framework;
mod math;
mod policy;
mod report;
mod sampling;
mod score;

pub use consistency::{
    Finding, FindingCode, FindingKind, StatedFigures, Tolerances, check_consistency,
};
pub use error::ScoringError;
pub use facts::{
    CampaignFigures, CategoryFigures, Compliance, FactKey, FactKind, Facts, Name, NamedAmount,
    Reading, RecordId, Recoveries, SourceFigures, SurveyFigures, Tally, TemporaryAidFacts,
    UnitFigures,
};
pub use framework::{
    Band, BandRange, Framework, FrameworkFile, Grade, GradeBand, Indicator, Method,
    QualitativeBands, Step, TargetTooLow, TooLowExempt, WhenNone,
};
pub use math::sqrt;
pub use policy::{
    ConsistencyParams, SamplingParams, ScoringPolicy, ScoringPolicyFile, SurveyParams,
};
pub use report::{
    EvaluationType, Evaluator, Organiser, RecordIssue, ReportInput, ReportMeta, render_report,
};
pub use sampling::{
    FrameEntry, Sample, SampleDesign, Satisfaction, SplitMix64, StratumSample, SurveyDesign,
    VisitCoverage, draw_sample, satisfaction,
};
pub use score::{IndicatorScore, Judgement, Judgements, Scorecard, score};

#[doc(no_inline)]
pub use ScoringError as Error;

/// The MOF 2020 self-evaluation framework (budget execution 10, outputs 50, benefits 30,
/// satisfaction 10), adapted to aid funds: `data/mof2020-self.toml`.
pub const MOF2020_SELF: &str = include_str!("../data/mof2020-self.toml");

/// The MOF 2020 reference tree (decision, process, output, benefit) adapted to aid funds:
/// `data/mof2020-reference.toml`.
pub const MOF2020_REFERENCE: &str = include_str!("../data/mof2020-reference.toml");

/// The scoring policy (sampling, survey, consistency tolerances) of the Hainan 2018 data:
/// `data/policy.toml`, the `[scoring]` section of a policy file with its citations.
pub const POLICY: &str = include_str!("../data/policy.toml");

#[doc = include_str!("../DESIGN.md")]
pub mod _design {}

/// The README (the crates.io page), whose example runs as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctest;
