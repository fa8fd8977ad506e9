//! Aid policy data (救助政策参数): every amount, rate, cap and setting, effective-dated and
//! cited, deserialized from the `[aid]` section of a policy file.

use std::collections::BTreeMap;

use bangfu_core::{
    CitationId, Citations, Dated, MinimumLivingStandard, Money, NaiveDate, Rate, RoundingRule,
    Timeline,
};

use crate::{AidError, SchoolStage};

bangfu_core::define_id! {
    /// A hardship degree code (困难类别), as a policy defines them: `subsistence` (低保户),
    /// `deep` (深度困难)… Each scheme has its own list, so this is an id checked against the
    /// policy's `degrees` table, not a closed enum.
    ///
    /// ```
    /// let deep = bangfu_aid::DegreeCode::new("deep")?;
    /// assert_eq!(deep.as_str(), "deep");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub struct DegreeCode("degree");
}

bangfu_core::coded_enum! {
    /// Whose claims share one medical yearly cap (封顶口径).
    ///
    /// ```
    /// assert_eq!(bangfu_aid::CapScope::Applicant.code(), "applicant");
    /// ```
    pub enum CapScope {
        /// Each applicant has their own cap (按申请人).
        Applicant = ("applicant", "按申请人", "per applicant"),
        /// The whole household shares one cap (按户).
        Household = ("household", "按户", "per household"),
    }
}

bangfu_core::coded_enum! {
    /// What a living-aid standard amount counts (标准口径).
    ///
    /// ```
    /// assert_eq!(bangfu_aid::StandardUnit::Member.code(), "member");
    /// ```
    pub enum StandardUnit {
        /// The amount is per household per time (每户每次).
        Household = ("household", "每户每次", "per household per time"),
        /// The amount is per member per time, times the household size (每人每次).
        Member = ("member", "每人每次", "per member per time"),
    }
}

bangfu_core::coded_enum! {
    /// What a sending-warmth amount outside its range gets (超出区间的处理): a policy's
    /// choice, not the code's.
    ///
    /// ```
    /// assert_eq!(bangfu_aid::OutOfRange::Refuse.code(), "refuse");
    /// ```
    pub enum OutOfRange {
        /// Brought to the nearer end of the range (调整至区间端点) and paid, with a reason.
        Clamp = ("clamp", "调整至区间端点", "brought to the nearer end of the range"),
        /// Refused (不予发放): the claim is an error `aid.sending_warmth.out_of_range`.
        Refuse = ("refuse", "超出区间不予发放", "refused"),
    }
}

/// A hardship degree's labels and source.
///
/// # Example
/// ```
/// let info: bangfu_aid::DegreeInfo =
///     serde_json::from_str(r#"{"zh":"深度困难","en":"deep hardship","cite":"aid.x"}"#)?;
/// assert_eq!(info.zh, "深度困难");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct DegreeInfo {
    /// The Chinese name.
    pub zh: String,
    /// The English name.
    pub en: String,
    /// Where the degree is defined.
    pub cite: CitationId,
}

/// An amount range (金额区间), both ends included.
///
/// # Example
/// ```
/// use bangfu_aid::AmountRange;
/// use bangfu_core::Money;
/// let r = AmountRange { min: Money::from_yuan(8)?, max: Money::from_yuan(10)? };
/// assert_eq!(r.to_string(), "8.00–10.00");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AmountRange {
    /// The smallest amount.
    pub min: Money,
    /// The largest amount.
    pub max: Money,
}

impl core::fmt::Display for AmountRange {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}–{}", self.min, self.max)
    }
}

/// Which entry of a [`DegreeTable`] a look-up used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TableKey {
    Severe,
    Degree,
    Default,
}

impl TableKey {
    pub(crate) fn suffix(self) -> &'static str {
        match self {
            TableKey::Severe => "severe",
            TableKey::Degree => "by_degree",
            TableKey::Default => "default",
        }
    }
}

/// A parameter that may differ by hardship degree and for severe households
/// (困难程度重: mental illness, physical disability, major illness).
///
/// Look-up order: `severe` (for a severe household, when given), then `by_degree` for the
/// household's degree, then `default`.
///
/// In TOML: `[[aid.living.max_per_time.severe]]`, `[[aid.living.max_per_time.default]]`,
/// `[[aid.living.standard.by_degree.deep]]`, each a list of dated values.
///
/// # Example
/// ```
/// use bangfu_aid::DegreeTable;
/// use bangfu_core::Money;
/// let t: DegreeTable<Money> = serde_json::from_str(
///     r#"{"default":[{"from":"2018-01-01","value":"1200.00","cite":"a"}],
///         "severe":[{"from":"2018-01-01","value":"1600.00","cite":"b"}]}"#)?;
/// assert!(t.severe.is_some());
/// assert!(t.by_degree.is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(bound(
    serialize = "T: serde::Serialize + Clone",
    deserialize = "T: serde::Deserialize<'de>"
))]
pub struct DegreeTable<T> {
    /// The value for any degree without its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Timeline<T>>,
    /// The value for severe households, whatever their degree.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severe: Option<Timeline<T>>,
    /// Values by degree.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub by_degree: BTreeMap<DegreeCode, Timeline<T>>,
}

impl<T> Default for DegreeTable<T> {
    fn default() -> Self {
        DegreeTable {
            default: None,
            severe: None,
            by_degree: BTreeMap::new(),
        }
    }
}

impl<T> DegreeTable<T> {
    /// The timeline that applies, if any.
    pub(crate) fn pick(
        &self,
        degree: &DegreeCode,
        severe: bool,
    ) -> Option<(TableKey, &Timeline<T>)> {
        if severe && let Some(t) = &self.severe {
            return Some((TableKey::Severe, t));
        }
        if let Some(t) = self.by_degree.get(degree) {
            return Some((TableKey::Degree, t));
        }
        self.default.as_ref().map(|t| (TableKey::Default, t))
    }

    /// The value in force on `date` for the household, if the table has one.
    ///
    /// # Errors
    /// [`AidError::NotInForce`] when the entry that applies starts after `date`.
    pub(crate) fn lookup(
        &self,
        name: &'static str,
        degree: &DegreeCode,
        severe: bool,
        date: NaiveDate,
    ) -> Result<Option<(TableKey, &Dated<T>)>, AidError> {
        match self.pick(degree, severe) {
            None => Ok(None),
            Some((key, t)) => Ok(Some((key, t.at(name, date)?))),
        }
    }

    fn timelines(&self) -> impl Iterator<Item = &Timeline<T>> {
        self.default
            .iter()
            .chain(self.severe.iter())
            .chain(self.by_degree.values())
    }
}

/// Medical aid parameters (医疗救助): aid = rate × the year's cumulative out-of-pocket cost,
/// rounded once, capped per year, never above the cost.
///
/// # Example
/// See [`AidPolicy`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MedicalPolicy {
    /// The share of the out-of-pocket (自付) cost paid (救助比例).
    pub rate: Timeline<Rate>,
    /// The most paid in a calendar year (年度封顶线).
    pub yearly_cap: Timeline<Money>,
    /// Whether the cap is per applicant or per household.
    pub cap_scope: Timeline<CapScope>,
    /// How rate × cost is rounded (applied once, to the year's total).
    pub rounding: Timeline<RoundingRule>,
}

/// The yearly living-aid standard (生活救助年度标准): multiplier × the local monthly minimum
/// living standard (低保标准), times the household size when `per_member` is true. The
/// standard itself is the policy's one `[minimum_living_standard]` table
/// ([`AidPolicy::minimum_living_standard`]), the one the eligibility income line reads.
///
/// # Example
/// See [`AidPolicy`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct YearlyCap {
    /// The multiplier (e.g. months in a year): the number of months of the local minimum
    /// living standard a household may receive in a year, for a degree not listed in
    /// `months_by_degree`.
    pub multiplier: Timeline<Rate>,
    /// Months of the local minimum living standard by hardship degree (按困难类别的月数), for
    /// the 2020+ schemes that give each degree its own (e.g. deep hardship 12 months,
    /// relative hardship 10); a listed degree's months replace `multiplier`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub months_by_degree: BTreeMap<DegreeCode, Timeline<Rate>>,
    /// Whether the standard is multiplied by the household size.
    pub per_member: Timeline<bool>,
}

/// Living aid parameters (生活救助).
///
/// # Example
/// See [`AidPolicy`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct LivingPolicy {
    /// Whether `standard` amounts are per household or per member.
    pub standard_unit: Timeline<StandardUnit>,
    /// The amount paid per time when a claim names none (标准金额), by degree.
    #[serde(default)]
    pub standard: DegreeTable<Money>,
    /// The most paid per time to one household (单次最高), by degree and for severe
    /// households.
    #[serde(default)]
    pub max_per_time: DegreeTable<Money>,
    /// The yearly standard, if the policy has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yearly_cap: Option<YearlyCap>,
    /// How the yearly standard's product is rounded.
    pub rounding: Timeline<RoundingRule>,
}

/// Sending-warmth parameters (两节送温暖). A policy without a range pays no sending
/// warmth (a claim is refused with [`AidError::NoValueForDegree`]).
///
/// # Example
/// See [`AidPolicy`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct WarmthPolicy {
    /// The allowed amount range per household, by degree.
    #[serde(default)]
    pub range: DegreeTable<AmountRange>,
    /// The amount paid when a claim names none, by degree.
    #[serde(default)]
    pub standard: DegreeTable<Money>,
    /// What an amount outside the range gets: brought into it, or refused. Required when
    /// the policy has a range (a policy that pays sending warmth says which).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub out_of_range: Option<Timeline<OutOfRange>>,
}

impl YearlyCap {
    /// The months of the standard that apply to `degree`, with the parameter's name: the
    /// degree's own (`months_by_degree`) or the common `multiplier`.
    pub(crate) fn months_for(&self, degree: &DegreeCode) -> (&'static str, &Timeline<Rate>) {
        match self.months_by_degree.get(degree) {
            Some(t) => ("aid.living.yearly_cap.months_by_degree", t),
            None => ("aid.living.yearly_cap.multiplier", &self.multiplier),
        }
    }
}

/// Education aid parameters (助学): an amount per student per year by school stage, paid
/// once a year; the amount is written in yuan (`amount`) or as months of the local minimum
/// living standard (`months`, the 2020+ schemes' shape).
///
/// # Example
/// See [`AidPolicy`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EducationPolicy {
    /// The amount per student per year, by stage. A stage listed neither here nor in
    /// `months` is not covered.
    #[serde(default)]
    pub amount: BTreeMap<SchoolStage, Timeline<Money>>,
    /// The amount per student per year as months of the local minimum living standard of
    /// the file's city (助学标准按低保标准月数), by stage, rounded by `aid.living.rounding`
    /// (e.g. undergraduates 10 months, senior secondary 6). A stage may be in `amount` or
    /// here, not both.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub months: BTreeMap<SchoolStage, Timeline<Rate>>,
}

/// The aid section of a policy file (救助政策): the hardship degrees of the scheme and the
/// parameters of each calculator. Every value has its effective date and a citation id.
///
/// In a policy file every table is under the `aid` key (`[aid.medical]`,
/// `[[aid.medical.rate]]`…), and citations under `[citations."aid.xxx"]`.
///
/// # Example
/// ```
/// use bangfu_aid::AidPolicy;
/// let policy: AidPolicy = serde_json::from_str(r#"{
///   "degrees": {"deep": {"zh": "深度困难", "en": "deep hardship", "cite": "aid.c"}},
///   "medical": {
///     "rate": [{"from": "2020-01-01", "value": "0.5", "cite": "aid.c"}],
///     "yearly_cap": [{"from": "2020-01-01", "value": "10000.00", "cite": "aid.c"}],
///     "cap_scope": [{"from": "2020-01-01", "value": "applicant", "cite": "aid.c"}],
///     "rounding": [{"from": "2020-01-01", "value": {"strategy": "half_up", "places": 2}, "cite": "aid.c"}]
///   },
///   "living": {
///     "standard_unit": [{"from": "2020-01-01", "value": "household", "cite": "aid.c"}],
///     "rounding": [{"from": "2020-01-01", "value": {"strategy": "half_up", "places": 2}, "cite": "aid.c"}]
///   },
///   "sending_warmth": {
///     "range": {"default": [{"from": "2020-01-01", "value": {"min": "500.00", "max": "900.00"}, "cite": "aid.c"}]},
///     "out_of_range": [{"from": "2020-01-01", "value": "refuse", "cite": "aid.c"}]
///   },
///   "education": {}
/// }"#)?;
/// policy.validate()?;
/// assert_eq!(policy.citation_ids().len(), 9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AidPolicy {
    /// The hardship degrees of the scheme (困难类别).
    pub degrees: BTreeMap<DegreeCode, DegreeInfo>,
    /// Medical aid.
    pub medical: MedicalPolicy,
    /// Living aid.
    pub living: LivingPolicy,
    /// Sending warmth.
    #[serde(default)]
    pub sending_warmth: WarmthPolicy,
    /// Education aid.
    #[serde(default)]
    pub education: EducationPolicy,
    /// Temporary aid for workers who are not filed (临时救助), if the policy pays it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary: Option<crate::TemporaryPolicy>,
    /// The local urban minimum living standard (城市居民最低生活保障标准), per city, which the
    /// living-aid yearly cap multiplies. Not a key of the `[aid]` section: the policy file
    /// writes it once as the top-level `[minimum_living_standard]` table, which the
    /// eligibility income line reads too; [`AidPolicy::from_toml_section`] and the facade's
    /// loader hand it here. `None` (a section read alone without it) makes a yearly cap fail
    /// with `core.minimum_standard.missing`.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub minimum_living_standard: Option<MinimumLivingStandard>,
}

fn cites<T>(t: &Timeline<T>) -> impl Iterator<Item = &CitationId> {
    t.entries().iter().map(|d| &d.cite)
}

fn invalid(parameter: impl Into<String>, problem: &'static str) -> AidError {
    AidError::InvalidPolicy {
        parameter: parameter.into(),
        problem,
    }
}

impl AidPolicy {
    /// Parses the `[aid]` section of a policy file's text (other keys are ignored) with the
    /// text's top-level `[minimum_living_standard]` table when it has one, and validates it.
    ///
    /// # Errors
    /// [`AidError::Read`] for a malformed text or table; [`AidError::InvalidPolicy`] as
    /// [`validate`](Self::validate).
    ///
    /// # Example
    /// ```
    /// let text = format!("{}\n{}", bangfu_aid::HAINAN_2018_POLICY_TOML,
    ///     bangfu_core::MINIMUM_STANDARD_HAINAN_2018_TOML);
    /// let policy = bangfu_aid::AidPolicy::from_toml_section(&text)?;
    /// assert!(policy.minimum_living_standard.is_some());
    /// # Ok::<(), bangfu_aid::AidError>(())
    /// ```
    pub fn from_toml_section(text: &str) -> Result<AidPolicy, AidError> {
        #[derive(serde::Deserialize)]
        struct Section {
            aid: AidPolicy,
            #[serde(default)]
            minimum_living_standard: Option<MinimumLivingStandard>,
        }
        let s: Section = bangfu_core::read::from_toml_str(text).map_err(AidError::Read)?;
        let mut policy = s.aid;
        if let Some(m) = &s.minimum_living_standard {
            m.validate()?;
        }
        policy.minimum_living_standard = s.minimum_living_standard;
        policy.validate()?;
        Ok(policy)
    }

    /// The Hainan 2018 `[aid]` section ([`HAINAN_2018_POLICY_TOML`](crate::HAINAN_2018_POLICY_TOML))
    /// with the Hainan 2018 minimum living standard that bangfu-core ships, as the whole
    /// policy file hands it.
    ///
    /// # Errors
    /// As [`from_toml_section`](Self::from_toml_section) (none for the shipped data).
    ///
    /// # Example
    /// ```
    /// assert!(bangfu_aid::AidPolicy::hainan_2018()?.minimum_living_standard.is_some());
    /// # Ok::<(), bangfu_aid::AidError>(())
    /// ```
    pub fn hainan_2018() -> Result<AidPolicy, AidError> {
        AidPolicy::with_standard(
            crate::HAINAN_2018_POLICY_TOML,
            bangfu_core::MINIMUM_STANDARD_HAINAN_2018_TOML,
        )
    }

    /// The example 2020+ `[aid]` section ([`EXAMPLE_2020_POLICY_TOML`](crate::EXAMPLE_2020_POLICY_TOML))
    /// with the example's minimum living standard that bangfu-core ships.
    ///
    /// # Errors
    /// As [`from_toml_section`](Self::from_toml_section) (none for the shipped data).
    ///
    /// # Example
    /// ```
    /// assert!(bangfu_aid::AidPolicy::example_2020()?.minimum_living_standard.is_some());
    /// # Ok::<(), bangfu_aid::AidError>(())
    /// ```
    pub fn example_2020() -> Result<AidPolicy, AidError> {
        AidPolicy::with_standard(
            crate::EXAMPLE_2020_POLICY_TOML,
            bangfu_core::MINIMUM_STANDARD_EXAMPLE_2020_TOML,
        )
    }

    /// The Hubei `[aid]` section ([`HUBEI_2023_POLICY_TOML`](crate::HUBEI_2023_POLICY_TOML),
    /// the third example policy) with Wuhan's minimum living standard that bangfu-core ships.
    ///
    /// # Errors
    /// As [`from_toml_section`](Self::from_toml_section) (none for the shipped data).
    ///
    /// # Example
    /// ```
    /// assert!(bangfu_aid::AidPolicy::hubei_2023()?.minimum_living_standard.is_some());
    /// # Ok::<(), bangfu_aid::AidError>(())
    /// ```
    pub fn hubei_2023() -> Result<AidPolicy, AidError> {
        AidPolicy::with_standard(
            crate::HUBEI_2023_POLICY_TOML,
            bangfu_core::MINIMUM_STANDARD_HUBEI_2023_TOML,
        )
    }

    /// A section's text read with a separate minimum-standard text (table and citations).
    fn with_standard(section: &str, standard: &str) -> Result<AidPolicy, AidError> {
        AidPolicy::from_toml_section(&format!("{section}\n{standard}"))
    }

    /// Every citation id the section uses (with repeats), so that the caller can check each
    /// one exists in the policy's citation table.
    ///
    /// # Example
    /// See [`AidPolicy`].
    pub fn citation_ids(&self) -> Vec<&CitationId> {
        let mut out: Vec<&CitationId> = self.degrees.values().map(|d| &d.cite).collect();
        let m = &self.medical;
        out.extend(cites(&m.rate).chain(cites(&m.yearly_cap)));
        out.extend(cites(&m.cap_scope).chain(cites(&m.rounding)));
        let l = &self.living;
        out.extend(cites(&l.standard_unit).chain(cites(&l.rounding)));
        out.extend(l.standard.timelines().flat_map(cites));
        out.extend(l.max_per_time.timelines().flat_map(cites));
        if let Some(y) = &l.yearly_cap {
            out.extend(cites(&y.multiplier).chain(cites(&y.per_member)));
            out.extend(y.months_by_degree.values().flat_map(cites));
        }
        out.extend(
            self.minimum_living_standard
                .iter()
                .flat_map(MinimumLivingStandard::citation_ids),
        );
        out.extend(self.sending_warmth.range.timelines().flat_map(cites));
        out.extend(self.sending_warmth.standard.timelines().flat_map(cites));
        out.extend(self.sending_warmth.out_of_range.iter().flat_map(cites));
        out.extend(self.education.amount.values().flat_map(cites));
        out.extend(self.education.months.values().flat_map(cites));
        if let Some(t) = &self.temporary {
            out.extend(cites(&t.yearly_cap_per_person));
            out.extend(cites(&t.events).chain(cites(&t.relations)));
        }
        out
    }

    /// Checks the data beyond what serde checks: every degree-keyed entry names a defined
    /// degree, every range has `min ≤ max`, every rounding keeps at most two decimals (the
    /// fen).
    ///
    /// # Errors
    /// [`AidError::InvalidPolicy`] naming the parameter.
    ///
    /// # Example
    /// ```
    /// # let text = include_str!("../data/hainan-2018.toml");
    /// # #[derive(serde::Deserialize)] struct File { aid: bangfu_aid::AidPolicy }
    /// # let mut policy = toml::from_str::<File>(text)?.aid;
    /// use bangfu_core::{CitationId, NaiveDate, RoundingRule, RoundingStrategy, Timeline};
    /// policy.validate()?;
    /// let from = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    /// let to_a_tenth_of_a_fen = RoundingRule::new(RoundingStrategy::HalfUp, 3);
    /// policy.living.rounding = Timeline::single(from, to_a_tenth_of_a_fen, CitationId::new("aid.x")?);
    /// assert!(policy.validate().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validate(&self) -> Result<(), AidError> {
        let tables: [(&str, &BTreeMap<DegreeCode, _>); 2] = [
            ("aid.living.standard", &self.living.standard.by_degree),
            (
                "aid.living.max_per_time",
                &self.living.max_per_time.by_degree,
            ),
        ];
        for (name, table) in tables {
            if let Some(d) = table.keys().find(|d| !self.degrees.contains_key(*d)) {
                return Err(invalid(format!("{name}.by_degree.{d}"), "undefined degree"));
            }
        }
        let w = &self.sending_warmth;
        for (name, keys) in [
            (
                "aid.sending_warmth.range",
                w.range.by_degree.keys().collect::<Vec<_>>(),
            ),
            (
                "aid.sending_warmth.standard",
                w.standard.by_degree.keys().collect(),
            ),
        ] {
            if let Some(d) = keys.into_iter().find(|d| !self.degrees.contains_key(*d)) {
                return Err(invalid(format!("{name}.by_degree.{d}"), "undefined degree"));
            }
        }
        if w.range
            .timelines()
            .flat_map(|t| t.entries())
            .any(|e| e.value.min > e.value.max)
        {
            return Err(invalid("aid.sending_warmth.range", "minimum above maximum"));
        }
        if w.range.timelines().next().is_some() && w.out_of_range.is_none() {
            return Err(invalid(
                "aid.sending_warmth.out_of_range",
                "a range needs its out_of_range rule (clamp or refuse)",
            ));
        }
        for (name, t) in [
            ("aid.medical.rounding", &self.medical.rounding),
            ("aid.living.rounding", &self.living.rounding),
        ] {
            if t.entries().iter().any(|e| e.value.places > 2) {
                return Err(invalid(name, "rounding finer than the fen"));
            }
        }
        if let Some(d) = self
            .living
            .yearly_cap
            .iter()
            .flat_map(|y| y.months_by_degree.keys())
            .find(|d| !self.degrees.contains_key(*d))
        {
            return Err(invalid(
                format!("aid.living.yearly_cap.months_by_degree.{d}"),
                "undefined degree",
            ));
        }
        let e = &self.education;
        if let Some(stage) = e.months.keys().find(|s| e.amount.contains_key(*s)) {
            return Err(invalid(
                format!("aid.education.months.{stage}"),
                "a stage has an amount and months: write one",
            ));
        }
        Ok(())
    }

    /// Checks that every citation id is defined in `citations`.
    ///
    /// # Errors
    /// [`AidError::InvalidPolicy`] naming the first unknown id.
    ///
    /// # Example
    /// ```
    /// # let text = include_str!("../data/hainan-2018.toml");
    /// # #[derive(serde::Deserialize)] struct File { aid: bangfu_aid::AidPolicy, citations: bangfu_core::Citations }
    /// let file: File = toml::from_str(text)?;
    /// file.aid.check_citations(&file.citations)?;
    /// assert!(file.aid.check_citations(&bangfu_core::Citations::default()).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_citations(&self, citations: &Citations) -> Result<(), AidError> {
        match self
            .citation_ids()
            .into_iter()
            .find(|c| !citations.contains(c))
        {
            Some(c) => Err(invalid(c.as_str(), "unknown citation")),
            None => Ok(()),
        }
    }
}
