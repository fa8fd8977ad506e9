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
/// let fiscal = Earmark {
///     categories: vec![AidCategory::Living],
///     tiers: vec![ArchiveTier::National],
///     tiers_cite: None,
/// };
/// assert!(fiscal.categories.contains(&AidCategory::Living));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Earmark {
    /// The aid categories the source may pay.
    pub categories: Vec<AidCategory>,
    /// The archive tiers the source may pay.
    pub tiers: Vec<ArchiveTier>,
    /// The source of the tier restriction (层级限制依据) when it is another document than the
    /// entry's `cite` (which then cites the categories only): e.g. Hainan's notice
    /// 琼工办发〔2016〕3号 restricts the fiscal money's categories, and the national-tier-only
    /// rule comes from the 依档帮扶 rules (PDS-FUND). Absent, `cite` covers both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tiers_cite: Option<CitationId>,
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
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
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
            ids.extend(
                t.entries()
                    .iter()
                    .filter_map(|e| e.value.tiers_cite.as_ref()),
            );
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

    /// The citation of `source`'s tier restriction on `date` (层级限制依据): the earmark's
    /// `tiers_cite`, or its `cite` when the earmark has none.
    ///
    /// # Errors
    /// As [`FundingPolicy::earmark`].
    ///
    /// # Example
    /// ```
    /// use bangfu_core::NaiveDate;
    /// use bangfu_funding::FundSource;
    /// #[derive(serde::Deserialize)]
    /// struct File { funding: bangfu_funding::FundingPolicy }
    /// let policy = toml::from_str::<File>(bangfu_funding::HAINAN_2018_POLICY_TOML)?.funding;
    /// let day = NaiveDate::from_ymd_opt(2018, 6, 1).unwrap();
    /// let cite = policy.tier_citation(FundSource::CentralFiscal, day)?;
    /// assert_eq!(cite.as_str(), "fund.pds-2019");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn tier_citation(
        &self,
        source: FundSource,
        date: NaiveDate,
    ) -> Result<&CitationId, FundingError> {
        let timeline = self
            .sources
            .get(&source)
            .ok_or(FundingError::UnknownSource { fund: source })?;
        let entry = timeline.at(source.code(), date)?;
        Ok(entry.value.tiers_cite.as_ref().unwrap_or(&entry.cite))
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

    /// Every funding rule a payment breaks (违反资金管理规定), in this order: a channel the
    /// policy does not allow on its date (cash included), no earmark for its source, a
    /// category or a file tier its source's earmark does not cover. Empty when the payment
    /// keeps every rule. The one implementation of these rules: [`crate::Ledger::post`]
    /// refuses a payment on the first, and the check of a year's recorded payments reports
    /// them all.
    ///
    /// # Errors
    /// `core.parameter.not_in_force` when the channels have no value on the payment's date.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{AidCategory, AidKind, ArchiveTier, Money, NaiveDate, PaymentChannel};
    /// use bangfu_funding::{Disbursement, FundSource, FundingPolicy};
    /// #[derive(serde::Deserialize)]
    /// struct File { funding: FundingPolicy }
    /// let policy = toml::from_str::<File>(bangfu_funding::HAINAN_2018_POLICY_TOML)?.funding;
    /// let mut pay = Disbursement {
    ///     id: "p-1".parse()?, date: NaiveDate::from_ymd_opt(2018, 3, 1).unwrap(),
    ///     source: FundSource::CentralFiscal, category: AidCategory::Living,
    ///     kind: AidKind::Regular, household: "HK-0001".parse()?, tier: ArchiveTier::National,
    ///     channel: PaymentChannel::UnionMemberCard, amount: Money::from_yuan(500)?,
    ///     unit: None, entered: None, order: None, claim: None, campaign: None,
    /// };
    /// assert!(policy.breaches(&pay)?.is_empty());
    /// pay.channel = PaymentChannel::Cash;
    /// pay.tier = ArchiveTier::Provincial;
    /// let codes: Vec<_> = policy.breaches(&pay)?.iter().map(bangfu_core::Coded::code).collect();
    /// assert_eq!(codes, ["funding.channel_refused", "funding.earmark_tier"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn breaches(&self, d: &crate::Disbursement) -> Result<Vec<FundingError>, FundingError> {
        let mut out = Vec::new();
        if !self.channel_allowed(d.channel, d.date)? {
            out.push(FundingError::ChannelRefused { channel: d.channel });
        }
        match self.earmark(d.source, d.date) {
            Ok(earmark) => {
                if !earmark.categories.contains(&d.category) {
                    out.push(FundingError::CategoryNotAllowed {
                        fund: d.source,
                        category: d.category,
                    });
                }
                if !earmark.tiers.contains(&d.tier) {
                    out.push(FundingError::TierNotAllowed {
                        fund: d.source,
                        tier: d.tier,
                    });
                }
            }
            Err(e @ FundingError::UnknownSource { .. }) => out.push(e),
            Err(e) => return Err(e),
        }
        Ok(out)
    }

    /// Whether a payment made on `paid` was entered in time (及时录入): entered no later than
    /// the policy's entry window (months) after the payment date. A payment without an entry
    /// date was not entered in time.
    ///
    /// # Errors
    /// `core.parameter.not_in_force` when the window has no value on `paid`.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::NaiveDate;
    /// #[derive(serde::Deserialize)]
    /// struct File { funding: bangfu_funding::FundingPolicy }
    /// let policy = toml::from_str::<File>(bangfu_funding::HAINAN_2018_POLICY_TOML)?.funding;
    /// let d = |m, day| NaiveDate::from_ymd_opt(2018, m, day).unwrap();
    /// assert!(policy.entered_in_time(d(3, 10), Some(d(4, 10)))?);
    /// assert!(!policy.entered_in_time(d(3, 10), Some(d(4, 11)))?);
    /// assert!(!policy.entered_in_time(d(3, 10), None)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entered_in_time(
        &self,
        paid: NaiveDate,
        entered: Option<NaiveDate>,
    ) -> Result<bool, FundingError> {
        let months = self
            .entry_window_months
            .at("funding.entry_window_months", paid)?
            .value;
        let deadline = paid
            .checked_add_months(chrono::Months::new(months))
            .unwrap_or(NaiveDate::MAX);
        Ok(entered.is_some_and(|e| e <= deadline))
    }
}
