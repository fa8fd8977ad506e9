//! The third example policy: Hubei's hardship-worker aid standards (湖北), whose caps are
//! months of the local urban minimum living standard (Wuhan 940): living aid 12 months for
//! deep hardship and 10 for relative hardship per household per year, education 10 months
//! per student in higher education and 6 in senior secondary, medical aid up to the own
//! share and at most 20,000 per household per year. The other sections (funding,
//! eligibility, scoring) are the example jurisdiction's: Hubei's own published rules for them
//! were searched for and not found, so they keep the example's values and citations (the
//! data file's comments list what was searched; `docs/aid.md`).

/// The policy file (TOML).
pub const POLICY_TOML: &str = crate::embed::join_sections!(
    include_str!("../data/hubei-2023/meta.toml"),
    bangfu_core::MINIMUM_STANDARD_HUBEI_2023_TOML,
    bangfu_funding::EXAMPLE_2020_POLICY_TOML,
    bangfu_eligibility::EXAMPLE_POLICY_TOML,
    bangfu_aid::HUBEI_2023_POLICY_TOML,
    bangfu_scoring::POLICY,
);

/// The Hubei policy.
///
/// # Errors
/// Only if the embedded file were broken (a test guards it).
///
/// ```
/// let p = bangfu_data::hubei2023::policy()?;
/// assert_eq!(p.meta.jurisdiction, "CN-HB");
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn policy() -> Result<bangfu_year::Policy, bangfu_year::input::InputError> {
    bangfu_year::Policy::from_toml(POLICY_TOML)
}
