//! Policy files: one TOML file per jurisdiction, every value dated and cited.

use bangfu_aid::AidPolicy;
use bangfu_core::{CitationId, Citations, Coded};
use bangfu_eligibility::EligibilityPolicy;
use bangfu_funding::FundingPolicy;
use bangfu_scoring::ScoringPolicy;

use crate::input::InputError;

/// What a policy file says about itself.
///
/// # Example
/// ```
/// let p = bangfu::hainan2018::policy()?;
/// assert_eq!(p.meta.jurisdiction, "CN-HI");
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyMeta {
    /// The jurisdiction's code, such as `CN-HI` for Hainan.
    pub jurisdiction: String,
    /// The policy's name in Chinese.
    pub name_zh: String,
    /// The policy's name in English.
    pub name_en: String,
    /// The file's own version.
    pub version: String,
}

/// A jurisdiction's policy (帮扶政策参数): the citation table and one section per crate.
///
/// # Example
/// ```
/// let p = bangfu::hainan2018::policy()?;
/// assert!(p.funding.sources.len() >= 4);
/// # Ok::<(), bangfu::input::InputError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// About the file.
    pub meta: PolicyMeta,
    /// Every source a value cites, by id.
    pub citations: Citations,
    /// Fund sources, earmarks, channels, carry-over.
    pub funding: FundingPolicy,
    /// Categories and tiers, exclusions, documents, the procedure's durations, review rules.
    pub eligibility: EligibilityPolicy,
    /// Medical, living, sending-warmth and education aid.
    pub aid: AidPolicy,
    /// Sampling, the survey interval, consistency tolerances.
    pub scoring: ScoringPolicy,
}

impl Policy {
    /// Parses and validates a policy file.
    ///
    /// # Errors
    /// An [`InputError`] with the line for malformed TOML, a missing or unknown field or a bad
    /// value; `policy.unknown_citation` for a value citing an undefined id.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Coded;
    /// let err = bangfu::Policy::from_toml("[meta]\njurisdiction = \"x\"\n").unwrap_err();
    /// assert_eq!(err.code(), "input.missing_field");
    /// ```
    pub fn from_toml(text: &str) -> Result<Policy, InputError> {
        let policy: Policy = toml::from_str(text).map_err(|e| InputError::from_toml(text, &e))?;
        let invalid =
            |code: &'static str, message: String| InputError::InvalidPolicy { code, message };
        policy
            .eligibility
            .validate()
            .map_err(|e| invalid(e.code(), e.to_string()))?;
        policy
            .aid
            .validate()
            .map_err(|e| invalid(e.code(), e.to_string()))?;
        if let Some(missing) = policy
            .citation_ids()
            .into_iter()
            .find(|id| !policy.citations.contains(id))
        {
            return Err(InputError::UnknownCitation {
                id: missing.to_string(),
            });
        }
        Ok(policy)
    }

    /// Every citation id the policy's values use.
    pub fn citation_ids(&self) -> Vec<&CitationId> {
        let mut ids = self.funding.citation_ids();
        ids.extend(self.eligibility.citation_ids());
        ids.extend(self.aid.citation_ids());
        ids.extend(self.scoring.citation_ids());
        ids
    }
}
