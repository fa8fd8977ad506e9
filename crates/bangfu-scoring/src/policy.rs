//! The scoring policy: sampling, survey and consistency parameters as effective-dated data.

use bangfu_core::{CitationId, Citations, Rate, RoundingRule, Timeline};

use crate::ScoringError;

/// Home-visit sampling parameters (入户走访抽样).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SamplingParams {
    /// Share of filed households visited (seed: 10 %).
    pub visit_ratio: Timeline<Rate>,
    /// How each stratum's `ratio × size` becomes whole households.
    pub stratum_rounding: Timeline<RoundingRule>,
    /// The least households visited in a non-empty stratum.
    pub min_per_stratum: Timeline<u32>,
}

/// Survey parameters (满意度调查).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyParams {
    /// The normal quantile of the interval (1.96 for 95 %).
    pub z: Timeline<Rate>,
    /// Decimal places of the square root.
    pub sqrt_places: Timeline<u32>,
    /// Rounding of the interval's bounds (as ratios).
    pub interval_rounding: Timeline<RoundingRule>,
}

/// Tolerances of the consistency check between stated and computed figures (数据一致性).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyParams {
    /// Largest difference between a stated and a computed rate that is not a finding
    /// (absolute, as a ratio: 0.001 = 0.1 percentage points).
    pub rate_tolerance: Timeline<Rate>,
    /// Largest relative difference between a stated and a computed amount that is not a
    /// finding (0.1 = 10 %).
    pub money_tolerance: Timeline<Rate>,
    /// Rounding of computed averages (money, in yuan places).
    pub average_rounding: Timeline<RoundingRule>,
}

/// The scoring policy (the `[scoring]` section of a policy file).
///
/// # Example
/// ```
/// use bangfu_scoring::{ScoringPolicyFile, POLICY};
/// let file = ScoringPolicyFile::from_toml(POLICY)?;
/// let d = chrono::NaiveDate::from_ymd_opt(2018, 12, 31).unwrap();
/// assert_eq!(file.scoring.sampling.visit_ratio.at("visit_ratio", d)?.value.to_string(), "0.1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringPolicy {
    /// Sampling.
    pub sampling: SamplingParams,
    /// Surveys.
    pub survey: SurveyParams,
    /// Consistency tolerances.
    pub consistency: ConsistencyParams,
}

impl ScoringPolicy {
    /// Every citation id the policy uses.
    pub fn citation_ids(&self) -> Vec<&CitationId> {
        fn cites<T>(t: &Timeline<T>) -> impl Iterator<Item = &CitationId> {
            t.entries().iter().map(|d| &d.cite)
        }
        let s = &self.sampling;
        let v = &self.survey;
        let c = &self.consistency;
        cites(&s.visit_ratio)
            .chain(cites(&s.stratum_rounding))
            .chain(cites(&s.min_per_stratum))
            .chain(cites(&v.z))
            .chain(cites(&v.sqrt_places))
            .chain(cites(&v.interval_rounding))
            .chain(cites(&c.rate_tolerance))
            .chain(cites(&c.money_tolerance))
            .chain(cites(&c.average_rounding))
            .collect()
    }
}

/// A policy file holding the `[scoring]` section and its citations (`data/policy.toml`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringPolicyFile {
    /// The scoring section.
    pub scoring: ScoringPolicy,
    /// The citations it uses.
    pub citations: Citations,
}

impl ScoringPolicyFile {
    /// Loads a policy file and checks that every citation it uses is in its table.
    ///
    /// # Errors
    /// [`ScoringError::Parse`]; [`ScoringError::UnknownCitation`].
    pub fn from_toml(text: &str) -> Result<ScoringPolicyFile, ScoringError> {
        let file: ScoringPolicyFile = bangfu_core::read::from_toml_str(text)?;
        for cite in file.scoring.citation_ids() {
            if !file.citations.contains(cite) {
                return Err(ScoringError::UnknownCitation {
                    cite: cite.to_string(),
                });
            }
        }
        Ok(file)
    }
}
