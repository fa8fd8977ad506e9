//! The eligibility policy: every threshold, multiplier, list and duration as effective-dated
//! data with citations.

use std::collections::BTreeSet;

use bangfu_core::{
    ArchiveTier, CitationId, Dated, MinimumLivingStandard, Rate, RoundingRule, Timeline,
};
use chrono::NaiveDate;

use crate::EligibilityError;
use crate::household::{DocumentKind, HardshipCause, HealthCondition, SchoolStage, VehicleKind};
use crate::id_number::IdMask;
use crate::serde_codes;

bangfu_core::coded_enum! {
    /// Which category scheme is in force (认定标准体系).
    pub enum SchemeKind {
        /// The 2018-era scheme: 低保户 / 低保边缘户 / 意外致困户.
        Legacy2018 = ("legacy_2018", "低保户/低保边缘户/意外致困户", "2018-era subsistence scheme"),
        /// The 2020+ scheme: 深度困难 / 相对困难 / 意外致困.
        Graded2020 = ("graded_2020", "深度困难/相对困难/意外致困", "2020+ graded scheme"),
    }
}

bangfu_core::coded_enum! {
    /// A hardship category (困难类别).
    pub enum HardshipCategory {
        /// Subsistence household (低保户), 2018 scheme.
        Subsistence = ("subsistence", "低保户", "subsistence household"),
        /// Near-subsistence household (低保边缘户), 2018 scheme.
        NearSubsistence = ("near_subsistence", "低保边缘户", "near-subsistence household"),
        /// Accident-caused hardship household (意外致困户), 2018 scheme.
        Accident = ("accident", "意外致困户", "accident-caused hardship household"),
        /// Deep hardship (深度困难), 2020+ scheme.
        Deep = ("deep", "深度困难", "deep hardship"),
        /// Relative hardship (相对困难), 2020+ scheme.
        Relative = ("relative", "相对困难", "relative hardship"),
        /// Accident hardship (意外致困), 2020+ scheme.
        Accidental = ("accidental", "意外致困", "accident hardship"),
        /// Hardship by a local tier's own standard (地方标准困难), filed below national tier.
        Local = ("local", "地方标准困难", "local-standard hardship"),
    }
}

impl HardshipCategory {
    /// Whether the category belongs to `scheme` (`Local` belongs to both).
    pub const fn belongs_to(self, scheme: SchemeKind) -> bool {
        match self {
            HardshipCategory::Subsistence
            | HardshipCategory::NearSubsistence
            | HardshipCategory::Accident => {
                matches!(scheme, SchemeKind::Legacy2018)
            }
            HardshipCategory::Deep | HardshipCategory::Relative | HardshipCategory::Accidental => {
                matches!(scheme, SchemeKind::Graded2020)
            }
            HardshipCategory::Local => true,
        }
    }
}

bangfu_core::coded_enum! {
    /// A comparison against a threshold, `value OP threshold`; strictness is data.
    pub enum Comparison {
        /// `<` (低于).
        Lt = ("lt", "低于", "below"),
        /// `≤` (不高于).
        Le = ("le", "不高于", "at or below"),
        /// `>` (高于).
        Gt = ("gt", "高于", "above"),
        /// `≥` (不低于).
        Ge = ("ge", "不低于", "at or above"),
    }
}

impl Comparison {
    /// Whether `value OP threshold` holds.
    ///
    /// # Example
    /// ```
    /// use bangfu_eligibility::Comparison;
    /// assert!(Comparison::Le.holds(&5, &5));
    /// assert!(!Comparison::Lt.holds(&5, &5));
    /// ```
    pub fn holds<T: PartialOrd>(self, value: &T, threshold: &T) -> bool {
        match self {
            Comparison::Lt => value < threshold,
            Comparison::Le => value <= threshold,
            Comparison::Gt => value > threshold,
            Comparison::Ge => value >= threshold,
        }
    }

    /// The operator symbol.
    pub const fn symbol(self) -> &'static str {
        match self {
            Comparison::Lt => "<",
            Comparison::Le => "≤",
            Comparison::Gt => ">",
            Comparison::Ge => "≥",
        }
    }
}

bangfu_core::coded_enum! {
    /// What the per-capita income test divides (人均收入口径).
    pub enum PerCapitaBasis {
        /// Annual income ÷ 12 ÷ household size (家庭人均月收入).
        Gross = ("gross", "家庭人均月收入", "gross income per capita"),
        /// (Annual income − rigid expenditure) ÷ 12 ÷ household size (扣除刚性支出后).
        NetOfRigidExpenditure = ("net_of_rigid_expenditure", "扣除刚性支出后人均月收入", "income net of rigid expenditure per capita"),
    }
}

bangfu_core::coded_enum! {
    /// Whose union membership is required (会员身份要求).
    pub enum MembershipRule {
        /// Every applicant must be a union member (均须为工会会员).
        AllWorkers = ("all_workers", "均须为工会会员", "all workers"),
        /// Only migrant workers must be (农民工须为工会会员).
        MigrantWorkers = ("migrant_workers", "农民工须为工会会员", "migrant workers only"),
    }
}

bangfu_core::coded_enum! {
    /// A household fact an exclusion can test (排除条件事实): a closed set, each a count.
    pub enum FactKind {
        /// Homes owned (住房套数).
        HomesOwned = ("homes_owned", "住房套数", "homes owned"),
        /// Commercial shops owned (商业店铺数).
        ShopsOwned = ("shops_owned", "商业店铺数", "shops owned"),
        /// Persons employed in the household's business (雇工人数).
        Employees = ("employees", "雇工人数", "employees"),
        /// Members at a high-fee private school (就读高收费私立学校人数).
        HighFeePrivateSchool = ("high_fee_private_school", "就读高收费私立学校人数", "members at a high-fee private school"),
        /// Members studying abroad at own expense (自费出国留学人数).
        SelfFundedStudyAbroad = ("self_funded_study_abroad", "自费出国留学人数", "members studying abroad at own expense"),
        /// Vehicles in regular use other than as an employee, less exempt kinds (非受雇佣经常使用机动车数).
        NonEmployeeVehicleUse = ("non_employee_vehicle_use", "非受雇佣经常使用机动车数", "vehicles in regular non-employee use"),
        /// Persons who are a controlling shareholder or actual controller (控股股东或实际控制人数).
        ControllingShareholders = ("controlling_shareholders", "控股股东或实际控制人数", "controlling shareholders"),
        /// Persons running a business of their own (从事经营活动人数).
        PersonsRunningBusiness = ("persons_running_business", "从事经营活动人数", "persons running a business"),
        /// High-consumption behaviour, 1 or 0 (高消费行为).
        HighConsumption = ("high_consumption", "高消费行为", "high consumption"),
        /// Refused verification, 1 or 0 (拒不配合核查).
        RefusedVerification = ("refused_verification", "拒不配合核查", "refused verification"),
    }
}

/// One test of an exclusion: `fact ≥ at_least`, counting only what is not exempt.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Predicate {
    /// The fact tested.
    #[cfg_attr(feature = "schema", schemars(with = "FactKind"))]
    #[serde(with = "serde_codes::fact_kind")]
    pub fact: FactKind,
    /// The threshold: the exclusion applies when the fact is at least this.
    pub at_least: u32,
    /// Vehicle kinds not counted (only for [`FactKind::NonEmployeeVehicleUse`]).
    #[cfg_attr(feature = "schema", schemars(with = "Vec<VehicleKind>"))]
    #[serde(
        default,
        with = "serde_codes::vehicle_kinds",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub exempt_vehicle_kinds: Vec<VehicleKind>,
}

/// An exclusion (不予建档情形): the household is excluded when any of its predicates holds.
/// New exclusions are added by a policy file alone.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// A stable id, such as `multiple_homes`; the reason code is `exclusion.<id>`.
    pub id: String,
    /// First day in force.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub from: NaiveDate,
    /// Last day in force, if it was repealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<NaiveDate>"))]
    #[serde(with = "bangfu_core::iso_date::option")]
    pub until: Option<NaiveDate>,
    /// Chinese label.
    pub zh: String,
    /// English label.
    pub en: String,
    /// Source.
    pub cite: CitationId,
    /// The tests; any one holding excludes.
    pub any: Vec<Predicate>,
}

impl Exclusion {
    /// Whether the exclusion is in force on `date`.
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.from <= date && self.until.is_none_or(|u| date <= u)
    }
}

/// An income line `per-capita OP multiplier × L`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct IncomeLine {
    /// The multiple of the minimum living standard.
    pub multiplier: Rate,
    /// Strictness.
    pub comparison: Comparison,
}

/// The accident test `hardship cost OP share × annual income`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CostShare {
    /// The share of annual household income.
    pub share: Rate,
    /// Strictness.
    pub comparison: Comparison,
}

/// One band of a scheme: the category and archive tier a household gets when every test the
/// band sets holds. Bands are tried in order; the first met wins.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// The category.
    pub category: HardshipCategory,
    /// The archive tier.
    pub tier: ArchiveTier,
    /// Source of the band's parameters.
    pub cite: CitationId,
    /// The per-capita income test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income_line: Option<IncomeLine>,
    /// The hardship cost test; it fails when no accident is claimed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_share: Option<CostShare>,
    /// At least one hardship cause must be claimed (特殊原因).
    #[serde(default)]
    pub requires_cause: bool,
    /// A sudden event must be claimed (突发事件).
    #[serde(default)]
    pub requires_accident: bool,
    /// A per-capita basis for this band's income line other than the scheme's (e.g. a
    /// near-subsistence test net of cause-related spending).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_capita: Option<PerCapitaBasis>,
}

/// A category scheme in force from a date.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Scheme {
    /// Which scheme.
    pub kind: SchemeKind,
    /// What the per-capita test divides.
    pub per_capita: PerCapitaBasis,
    /// The bands, deepest first.
    pub bands: Vec<Band>,
}

/// Which document a health condition requires.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ConditionDocument {
    /// The condition.
    pub condition: HealthCondition,
    /// The document required for each person who has it.
    pub document: DocumentKind,
}

/// Which document a claimed hardship cause requires.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CauseDocument {
    /// The cause.
    pub cause: HardshipCause,
    /// The document required (about anyone in the household).
    pub document: DocumentKind,
}

/// Retirement ages by sex (退休年龄).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RetirementAge {
    /// Men.
    pub male: u32,
    /// Women.
    pub female: u32,
}

/// The plausible ages of a school stage (就学阶段年龄范围), inclusive.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AgeBand {
    /// The stage.
    #[cfg_attr(feature = "schema", schemars(with = "SchoolStage"))]
    #[serde(with = "serde_codes::school_stage")]
    pub stage: SchoolStage,
    /// Youngest plausible age.
    pub min_age: u32,
    /// Oldest plausible age.
    pub max_age: u32,
}

/// The eligibility policy of one jurisdiction (困难职工认定及档案管理政策参数).
///
/// Every number and list is a [`Timeline`] (or carries its own `from` and `cite`), so a
/// decision names each value it used with its effective date and citation. In a policy file
/// the section is `[eligibility]`; dates are quoted strings (`from = "2018-01-01"`).
///
/// # Example
/// ```
/// let policy = bangfu_eligibility::EligibilityPolicy::from_toml_section(
///     bangfu_eligibility::EXAMPLE_POLICY_TOML,
/// )?;
/// assert!(!policy.citation_ids().is_empty());
/// # Ok::<(), bangfu_eligibility::EligibilityError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EligibilityPolicy {
    /// The local minimum living standard L (城市居民最低生活保障标准), yuan per person per
    /// month, per city. Not a key of the `[eligibility]` section: the policy file writes it
    /// once, as the top-level `[minimum_living_standard]` table, which the living-aid cap
    /// reads too; [`from_toml_section`](Self::from_toml_section), [`EligibilityPolicyFile`]
    /// and the facade's loader hand it here. `None` (a section read alone without the table)
    /// makes every income test fail with `core.minimum_standard.missing`.
    #[serde(skip)]
    #[cfg_attr(feature = "schema", schemars(skip))]
    pub minimum_living_standard: Option<MinimumLivingStandard>,
    /// The category scheme in force by date.
    pub schemes: Timeline<Scheme>,
    /// Exclusions, each with its own dates and citation.
    #[serde(default)]
    pub exclusions: Vec<Exclusion>,
    /// Documents every file needs (承诺书, 授权书).
    pub required_documents: Timeline<Vec<DocumentKind>>,
    /// Documents each person with a condition needs (e.g. a diagnosis for a major illness).
    pub condition_documents: Timeline<Vec<ConditionDocument>>,
    /// Documents a claimed cause needs (checked in the file-quality review).
    pub cause_documents: Timeline<Vec<CauseDocument>>,
    /// Whose union membership is required.
    pub membership: Timeline<MembershipRule>,
    /// The shortest labour contract of a migrant worker, months.
    pub migrant_min_contract_months: Timeline<u32>,
    /// Working days a public notice lasts (公示期).
    pub notice_working_days: Timeline<u32>,
    /// Working days paper and electronic records may disagree (纸质与电子档案同步时限).
    pub sync_window_working_days: Timeline<u32>,
    /// Months between reviews of a file (复核周期).
    pub review_interval_months: Timeline<u32>,
    /// Retirement ages.
    pub retirement_age: Timeline<RetirementAge>,
    /// Plausible ages per school stage.
    pub school_age_bands: Timeline<Vec<AgeBand>>,
    /// How the per-capita income is rounded for display (comparisons are exact).
    pub per_capita_rounding: Timeline<RoundingRule>,
    /// How ID numbers are masked in reports.
    pub id_mask: Timeline<IdMask>,
    /// Years a closed file is kept after it closes (档案保管期限: ARCH-2016 art. 15, at least
    /// 10 years after 撤档), the value in force on the day the file closed. Optional: a policy
    /// without it cannot list or purge files ([`EligibilityError::NoRetentionPeriod`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention_years: Option<Timeline<u32>>,
    /// The consecutive-months exit rule (连续N个月收入超标退出): a file whose household's
    /// per-capita income stays above every line for this many consecutive months is proposed
    /// for exit ([`consecutive_months_exit`](crate::consecutive_months_exit)). Optional: a
    /// policy without it proposes no such exit; 0 is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_after_months_above_line: Option<Timeline<u32>>,
}

/// The Hainan 2018 `[eligibility]` section and its `[citations]`, as shipped in
/// `data/hainan-2018.toml`.
pub const HAINAN_2018_POLICY_TOML: &str = include_str!("../data/hainan-2018.toml");

/// A 2020+ example (Hainan 2022 style) `[eligibility]` section and its `[citations]`, as
/// shipped in `data/example-2020.toml`.
pub const EXAMPLE_POLICY_TOML: &str = include_str!("../data/example-2020.toml");

/// A section's text read with a separate minimum-standard text (the table and its citations).
fn with_standard(section: &str, standard: &str) -> Result<EligibilityPolicy, EligibilityError> {
    Ok(EligibilityPolicy::from_toml_section(section)?
        .with_minimum_standard(minimum_standard(standard)?))
}

/// The top-level `[minimum_living_standard]` table of a policy text, if it has one.
fn minimum_standard(source: &str) -> Result<Option<MinimumLivingStandard>, EligibilityError> {
    MinimumLivingStandard::from_policy_toml(source).map_err(crate::parse::typed)
}

/// A policy file holding an `[eligibility]` section and a `[citations]` table (and the
/// top-level `[minimum_living_standard]` table when it has one), the shape the data files
/// have. Other sections are refused (`deny_unknown_fields`); the facade parses
/// combined files with its own wrapper.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct EligibilityPolicyFile {
    /// The section.
    pub eligibility: EligibilityPolicy,
    /// The citations it uses.
    pub citations: bangfu_core::Citations,
    /// The policy's local minimum living standard, when the file has the top-level table
    /// (handed to the section by [`from_toml`](Self::from_toml)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub minimum_living_standard: Option<MinimumLivingStandard>,
}

impl EligibilityPolicyFile {
    /// Parses and validates a file, and checks every cite is in its citation table.
    ///
    /// # Errors
    /// [`EligibilityError::Read`] with the line, a typed unknown-code error, or
    /// [`EligibilityError::InvalidPolicy`].
    pub fn from_toml(source: &str) -> Result<EligibilityPolicyFile, EligibilityError> {
        let mut file: EligibilityPolicyFile = crate::parse_toml(source)?;
        if let Some(s) = &file.minimum_living_standard {
            s.validate()?;
        }
        file.eligibility.minimum_living_standard = file.minimum_living_standard.clone();
        file.eligibility.validate()?;
        for id in file.eligibility.citation_ids() {
            if !file.citations.contains(id) {
                return Err(EligibilityError::InvalidPolicy(format!(
                    "citation {id} is not defined"
                )));
            }
        }
        Ok(file)
    }
}

impl EligibilityPolicy {
    /// Parses the `[eligibility]` section of a policy file (other sections are ignored) and
    /// validates it.
    ///
    /// # Errors
    /// As [`EligibilityPolicyFile::from_toml`], without the citation check.
    pub fn from_toml_section(source: &str) -> Result<EligibilityPolicy, EligibilityError> {
        #[derive(serde::Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        struct Section {
            eligibility: EligibilityPolicy,
        }
        let mut s: Section = crate::parse_toml(source)?;
        s.eligibility.minimum_living_standard = minimum_standard(source)?;
        s.eligibility.validate()?;
        Ok(s.eligibility)
    }

    /// The Hainan 2018 section ([`HAINAN_2018_POLICY_TOML`]) with the Hainan 2018 minimum
    /// living standard (bangfu-core's
    /// [`MINIMUM_STANDARD_HAINAN_2018_TOML`](bangfu_core::MINIMUM_STANDARD_HAINAN_2018_TOML)),
    /// as the whole Hainan policy file hands it.
    ///
    /// # Errors
    /// As [`from_toml_section`](Self::from_toml_section) (none for the shipped data).
    ///
    /// # Example
    /// ```
    /// let p = bangfu_eligibility::EligibilityPolicy::hainan_2018()?;
    /// assert!(p.minimum_living_standard.is_some());
    /// # Ok::<(), bangfu_eligibility::EligibilityError>(())
    /// ```
    pub fn hainan_2018() -> Result<EligibilityPolicy, EligibilityError> {
        with_standard(
            HAINAN_2018_POLICY_TOML,
            bangfu_core::MINIMUM_STANDARD_HAINAN_2018_TOML,
        )
    }

    /// The example 2020+ section ([`EXAMPLE_POLICY_TOML`]) with the example's minimum living
    /// standard (bangfu-core's
    /// [`MINIMUM_STANDARD_EXAMPLE_2020_TOML`](bangfu_core::MINIMUM_STANDARD_EXAMPLE_2020_TOML)).
    ///
    /// # Errors
    /// As [`from_toml_section`](Self::from_toml_section) (none for the shipped data).
    ///
    /// # Example
    /// ```
    /// let p = bangfu_eligibility::EligibilityPolicy::example_2020()?;
    /// assert!(p.minimum_living_standard.is_some());
    /// # Ok::<(), bangfu_eligibility::EligibilityError>(())
    /// ```
    pub fn example_2020() -> Result<EligibilityPolicy, EligibilityError> {
        with_standard(
            EXAMPLE_POLICY_TOML,
            bangfu_core::MINIMUM_STANDARD_EXAMPLE_2020_TOML,
        )
    }

    /// The section with the policy's minimum living standard handed to it (what the loaders
    /// do with the file's `[minimum_living_standard]` table).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{MinimumLivingStandard, MINIMUM_STANDARD_HAINAN_2018_TOML};
    /// use bangfu_eligibility::{EligibilityPolicy, HAINAN_2018_POLICY_TOML};
    /// let alone = EligibilityPolicy::from_toml_section(HAINAN_2018_POLICY_TOML)?;
    /// assert!(alone.minimum_living_standard.is_none());
    /// let standard = MinimumLivingStandard::from_policy_toml(MINIMUM_STANDARD_HAINAN_2018_TOML)?;
    /// let policy = alone.with_minimum_standard(standard);
    /// assert!(policy.minimum_living_standard.is_some());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn with_minimum_standard(
        mut self,
        standard: Option<MinimumLivingStandard>,
    ) -> EligibilityPolicy {
        self.minimum_living_standard = standard;
        self
    }

    /// Checks what serde cannot: unique non-empty exclusion ids with labels and tests,
    /// vehicle exemptions only on the vehicle fact, bands that test something and belong to
    /// their scheme, school age bands that are ordered, and ID masks that protect the number
    /// ([`IdMask::protects_id_numbers`]).
    ///
    /// # Errors
    /// [`EligibilityError::InvalidPolicy`] naming the problem;
    /// [`EligibilityError::RevealingIdMask`] for a mask that reveals ID numbers.
    pub fn validate(&self) -> Result<(), EligibilityError> {
        let bad = |m: String| Err(EligibilityError::InvalidPolicy(m));
        let mut ids = BTreeSet::new();
        for e in &self.exclusions {
            if e.id.trim().is_empty() || e.zh.trim().is_empty() || e.en.trim().is_empty() {
                return bad(format!(
                    "exclusion {:?} needs an id and zh and en labels",
                    e.id
                ));
            }
            if !ids.insert(e.id.as_str()) {
                return bad(format!("exclusion {:?} is defined twice", e.id));
            }
            if e.any.is_empty() {
                return bad(format!("exclusion {:?} has no test", e.id));
            }
            if e.until.is_some_and(|u| u < e.from) {
                return bad(format!("exclusion {:?} ends before it starts", e.id));
            }
            for p in &e.any {
                if !p.exempt_vehicle_kinds.is_empty() && p.fact != FactKind::NonEmployeeVehicleUse {
                    return bad(format!(
                        "exclusion {:?}: vehicle exemptions on fact {}",
                        e.id, p.fact
                    ));
                }
            }
        }
        for scheme in self.schemes.entries() {
            if scheme.value.bands.is_empty() {
                return bad(format!("scheme from {} has no bands", scheme.from));
            }
            for b in &scheme.value.bands {
                if b.income_line.is_none() && b.cost_share.is_none() && !b.requires_accident {
                    return bad(format!("band {} tests nothing", b.category));
                }
                if !b.category.belongs_to(scheme.value.kind) {
                    return bad(format!(
                        "category {} is not of scheme {}",
                        b.category, scheme.value.kind
                    ));
                }
            }
        }
        for bands in self.school_age_bands.entries() {
            if let Some(b) = bands.value.iter().find(|b| b.min_age > b.max_age) {
                return bad(format!("school age band {} has min above max", b.stage));
            }
        }
        // Counts that must not be zero: the retention period and the exit rule's months.
        for (what, counts) in [
            ("retention period", &self.retention_years),
            ("exit rule's months", &self.exit_after_months_above_line),
        ] {
            if let Some(r) = counts
                .iter()
                .flat_map(Timeline::entries)
                .find(|r| r.value == 0)
            {
                return bad(format!("{what} from {} is zero", r.from));
            }
        }
        if let Some(m) = self
            .id_mask
            .entries()
            .iter()
            .find(|m| !m.value.protects_id_numbers())
        {
            return Err(EligibilityError::RevealingIdMask {
                from: m.from,
                keep_first: m.value.keep_first,
                keep_last: m.value.keep_last,
                unknown_digits: m.value.unknown_digits(),
            });
        }
        Ok(())
    }

    /// Every citation id the policy uses, so the caller can check each is in its citation
    /// table.
    pub fn citation_ids(&self) -> Vec<&CitationId> {
        fn cites<T>(t: &Timeline<T>) -> impl Iterator<Item = &CitationId> {
            t.entries().iter().map(|d: &Dated<T>| &d.cite)
        }
        let mut out: Vec<&CitationId> = Vec::new();
        out.extend(
            self.minimum_living_standard
                .iter()
                .flat_map(MinimumLivingStandard::citation_ids),
        );
        out.extend(cites(&self.schemes));
        for s in self.schemes.entries() {
            out.extend(s.value.bands.iter().map(|b| &b.cite));
        }
        out.extend(self.exclusions.iter().map(|e| &e.cite));
        out.extend(cites(&self.required_documents));
        out.extend(cites(&self.condition_documents));
        out.extend(cites(&self.cause_documents));
        out.extend(cites(&self.membership));
        out.extend(cites(&self.migrant_min_contract_months));
        out.extend(cites(&self.notice_working_days));
        out.extend(cites(&self.sync_window_working_days));
        out.extend(cites(&self.review_interval_months));
        out.extend(cites(&self.retirement_age));
        out.extend(cites(&self.school_age_bands));
        out.extend(cites(&self.per_capita_rounding));
        out.extend(cites(&self.id_mask));
        out.extend(self.retention_years.iter().flat_map(cites));
        out.extend(self.exit_after_months_above_line.iter().flat_map(cites));
        out.sort();
        out.dedup();
        out
    }

    /// The exclusions in force on `date`.
    pub fn exclusions_on(&self, date: NaiveDate) -> impl Iterator<Item = &Exclusion> {
        self.exclusions.iter().filter(move |e| e.in_force(date))
    }
}
