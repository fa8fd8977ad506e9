//! The funding section of a policy file.

use std::collections::BTreeMap;

use bangfu_core::{AidCategory, ArchiveTier, CitationId, NaiveDate, PaymentChannel, Timeline};

use crate::{FundSource, FundingError};

/// The earmark of one fund source (专款专用): which aid categories and archive tiers it may
/// pay.
///
/// # Example
/// ```
/// use bangfu_core::{AidCategory, ArchiveTier};
/// use bangfu_funding::Earmark;
/// let fiscal = Earmark { categories: vec![AidCategory::Living], tiers: vec![ArchiveTier::National] };
/// assert!(fiscal.categories.contains(&AidCategory::Living));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Earmark {
    /// The aid categories the source may pay.
    pub categories: Vec<AidCategory>,
    /// The archive tiers the source may pay.
    pub tiers: Vec<ArchiveTier>,
}

/// The funding rules of a policy (资金管理规则), each effective-dated and cited.
///
/// In a policy file this is the `[funding]` section:
///
/// ```toml
/// [[funding.sources.central_fiscal]]
/// from = "2018-01-01"
/// cite = "fund.hn-2016"
/// value = { categories = ["living", "medical", "education"], tiers = ["national"] }
///
/// [[funding.allowed_channels]]
/// from = "2018-01-01"
/// cite = "fund.seed.3.1"
/// value = ["union_member_card"]
///
/// [[funding.carryover_requires_approval]]
/// from = "2018-01-01"
/// cite = "fund.seed.2.2.3"
/// value = true
///
/// [[funding.entry_window_months]]
/// from = "2018-01-01"
/// cite = "fund.seed.6.1.5"
/// value = 1
/// ```
///
/// # Example
/// ```
/// # let text = r#"
/// # [[sources.central_fiscal]]
/// # from = "2018-01-01"
/// # cite = "c"
/// # value = { categories = ["living"], tiers = ["national"] }
/// # [[allowed_channels]]
/// # from = "2018-01-01"
/// # cite = "c"
/// # value = ["union_member_card"]
/// # [[carryover_requires_approval]]
/// # from = "2018-01-01"
/// # cite = "c"
/// # value = true
/// # [[entry_window_months]]
/// # from = "2018-01-01"
/// # cite = "c"
/// # value = 1
/// # "#;
/// let policy: bangfu_funding::FundingPolicy = toml::from_str(text)?;
/// assert_eq!(policy.sources.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FundingPolicy {
    /// The fund sources the policy recognises, each with its earmark over time. A source
    /// not listed here is unknown and refused.
    pub sources: BTreeMap<FundSource, Timeline<Earmark>>,
    /// The payment channels allowed (发放方式); Hainan allows only the union member card.
    pub allowed_channels: Timeline<Vec<PaymentChannel>>,
    /// Whether a positive balance at year end is carried forward only with an approval
    /// record (结转须经批复).
    pub carryover_requires_approval: Timeline<bool>,
    /// Months after payment within which a payment must be entered in the aid system
    /// (录入时限: the seed's "救助后的一个月内").
    pub entry_window_months: Timeline<u32>,
}

impl FundingPolicy {
    /// Every citation id the section uses, for the policy loader to check.
    pub fn citation_ids(&self) -> Vec<&CitationId> {
        let mut ids: Vec<&CitationId> = Vec::new();
        for t in self.sources.values() {
            ids.extend(t.entries().iter().map(|e| &e.cite));
        }
        ids.extend(self.allowed_channels.entries().iter().map(|e| &e.cite));
        ids.extend(
            self.carryover_requires_approval
                .entries()
                .iter()
                .map(|e| &e.cite),
        );
        ids.extend(self.entry_window_months.entries().iter().map(|e| &e.cite));
        ids
    }

    /// The earmark of `source` on `date`.
    ///
    /// # Errors
    /// [`FundingError::UnknownSource`] when the policy does not list the source, or
    /// [`FundingError::Core`] with `core.parameter.not_in_force` before its first value.
    pub fn earmark(&self, source: FundSource, date: NaiveDate) -> Result<&Earmark, FundingError> {
        let timeline = self
            .sources
            .get(&source)
            .ok_or(FundingError::UnknownSource { fund: source })?;
        Ok(&timeline.at(source.code(), date)?.value)
    }

    /// Whether `channel` is allowed on `date`.
    ///
    /// # Errors
    /// `core.parameter.not_in_force` before the first value.
    pub fn channel_allowed(
        &self,
        channel: PaymentChannel,
        date: NaiveDate,
    ) -> Result<bool, FundingError> {
        Ok(self
            .allowed_channels
            .at("funding.allowed_channels", date)?
            .value
            .contains(&channel))
    }
}
