//! The example 2020+ jurisdiction: a second policy file, assembled like Hainan's, with the
//! 深度困难 / 相对困难 / 意外致困 scheme from 2020 and different amounts. It shows the same
//! household decided under two policies with no code change.

use bangfu_year::Policy;
use bangfu_year::input::InputError;

/// The policy file (TOML).
pub const POLICY_TOML: &str = crate::embed::join_sections!(
    include_str!("../data/example-2020/meta.toml"),
    bangfu_core::MINIMUM_STANDARD_EXAMPLE_2020_TOML,
    bangfu_funding::EXAMPLE_2020_POLICY_TOML,
    bangfu_eligibility::EXAMPLE_POLICY_TOML,
    bangfu_aid::EXAMPLE_2020_POLICY_TOML,
    bangfu_scoring::POLICY,
);

/// The example policy.
///
/// # Errors
/// Only if the embedded file were broken (a test guards it).
///
/// ```
/// let p = bangfu_data::example2020::policy()?;
/// assert_eq!(p.meta.jurisdiction, "EXAMPLE");
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
pub fn policy() -> Result<Policy, InputError> {
    Policy::from_toml(POLICY_TOML)
}
