//! The indicator framework (绩效评价指标体系) as data: a tree of indicators with weights,
//! targets and scoring methods, qualitative bands and grade bands, loaded from TOML and
//! checked on load.

use std::collections::{BTreeMap, BTreeSet};

use bangfu_core::{CitationId, Citations, RoundingRule};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::{FactKey, FactKind, Name, ScoringError};

bangfu_core::coded_enum! {
    /// An evaluation grade (评价等级).
    ///
    /// ```
    /// use bangfu_core::Labelled;
    /// assert_eq!(bangfu_scoring::Grade::Excellent.zh(), "优");
    /// ```
    pub enum Grade {
        /// Excellent (优).
        Excellent = ("excellent", "优", "excellent"),
        /// Good (良).
        Good = ("good", "良", "good"),
        /// Fair (中).
        Fair = ("fair", "中", "fair"),
        /// Poor (差).
        Poor = ("poor", "差", "poor"),
    }
}

bangfu_core::coded_enum! {
    /// The evaluator's band for a qualitative indicator (定性评价档次).
    ///
    /// ```
    /// assert_eq!(bangfu_scoring::Band::from_code("partly"), Some(bangfu_scoring::Band::Partly));
    /// ```
    pub enum Band {
        /// Achieved (达成预期目标).
        Achieved = ("achieved", "达成预期目标", "achieved"),
        /// Partly achieved with some effect (部分达成并具有一定效果).
        Partly = ("partly", "部分达成", "partly achieved"),
        /// Not achieved or poor effect (未达成或效果较差).
        NotAchieved = ("not_achieved", "未达成", "not achieved"),
    }
}

/// One step of an interval method (档位): at or above `at_least`, the indicator earns
/// `share` of its weight.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    /// The lowest actual value of the step (a ratio such as `"0.95"`, or a count).
    #[serde(with = "crate::dec")]
    pub at_least: Decimal,
    /// The share of the weight earned, in `0..=1`.
    #[serde(with = "crate::dec")]
    pub share: Decimal,
}

/// A scoring method (评分方法).
///
/// # Example
/// ```
/// use bangfu_scoring::Method;
/// let m: Method = toml::from_str(r#"kind = "deduction"
/// per_defect = "0.5""#)?;
/// assert_eq!(m.code(), "deduction");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Method {
    /// Proportional (比例计分): `min(actual ÷ target, 1) × weight`.
    Proportional,
    /// Lower is better (越低越好): full points at or below the target, else
    /// `target ÷ actual × weight`.
    LowerIsBetter,
    /// Interval steps (档位计分): the highest step reached gives its share of the weight;
    /// below every step, zero.
    Steps {
        /// The steps, in increasing `at_least` with non-decreasing shares.
        steps: Vec<Step>,
    },
    /// Deduction (扣分法): full points minus `per_defect` for each defect, floored at zero.
    Deduction {
        /// Points deducted per defect.
        #[serde(with = "crate::dec")]
        per_defect: Decimal,
    },
    /// Qualitative three-band (定性三档): the evaluator's band and score with a written
    /// justification; the score must lie in the band's range.
    Qualitative,
}

impl Method {
    /// The method's stable code.
    pub const fn code(&self) -> &'static str {
        match self {
            Method::Proportional => "proportional",
            Method::LowerIsBetter => "lower_is_better",
            Method::Steps { .. } => "steps",
            Method::Deduction { .. } => "deduction",
            Method::Qualitative => "qualitative",
        }
    }

    /// The method's name in Chinese.
    pub const fn zh(&self) -> &'static str {
        match self {
            Method::Proportional => "比例计分",
            Method::LowerIsBetter => "越低越好",
            Method::Steps { .. } => "档位计分",
            Method::Deduction { .. } => "扣分法",
            Method::Qualitative => "定性评价",
        }
    }

    /// The method's name in English.
    pub const fn en(&self) -> &'static str {
        match self {
            Method::Proportional => "proportional",
            Method::LowerIsBetter => "lower is better",
            Method::Steps { .. } => "interval steps",
            Method::Deduction { .. } => "deduction",
            Method::Qualitative => "qualitative",
        }
    }
}

/// One indicator (指标) of a framework. Read it from a loaded [`Framework`]; its `level`
/// is derived from the tree.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// Its id, unique in the framework (`execution_rate`, `outputs.coverage`).
    pub id: String,
    /// The parent's id; none for a level-1 indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Level 1 to 3, derived on load (never read from or written to a file).
    #[serde(skip)]
    pub level: u8,
    /// Its name.
    pub name: Name,
    /// Its weight (分值).
    #[serde(with = "crate::dec")]
    pub weight: Decimal,
    /// Its target (指标值): a ratio (`"1"` = 100 %) or a count.
    #[serde(
        default,
        with = "crate::dec::opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub target: Option<Decimal>,
    /// The fact it reads; none only for a parent or a qualitative indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fact: Option<FactKey>,
    /// The scoring method of a leaf; none for a parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Method>,
    /// What a ratio over nothing scores (无应办事项时): by default a zero denominator is an
    /// error (`scoring.facts.zero_denominator`); `full` gives full points, for indicators
    /// of the kind "every X due was done on time" when no X was due. Only for ratio facts.
    #[serde(default, skip_serializing_if = "WhenNone::is_error")]
    pub when_none: WhenNone,
    /// The source of the indicator, its weight and target.
    pub cite: CitationId,
}

bangfu_core::coded_enum! {
    /// What an indicator reading a ratio scores when the ratio's denominator is zero
    /// (无应办事项时的计分).
    ///
    /// ```
    /// use bangfu_scoring::WhenNone;
    /// assert_eq!(WhenNone::from_code("full"), Some(WhenNone::Full));
    /// assert!(WhenNone::default().is_error());
    /// ```
    #[derive(Default)]
    pub enum WhenNone {
        /// The zero denominator is an error (无数据不予计分).
        #[default]
        Error = ("error", "无数据报错", "error"),
        /// Full points: nothing was due, so nothing was late (无应办事项按满分计).
        Full = ("full", "无应办事项按满分计", "full points when nothing was due"),
    }
}

impl WhenNone {
    /// Whether a zero denominator is an error.
    pub fn is_error(&self) -> bool {
        *self == WhenNone::Error
    }
}

impl Indicator {
    /// Whether the indicator has no children (it is scored by its own method).
    pub fn is_leaf(&self) -> bool {
        self.method.is_some()
    }
}

/// A grade band (等级分数段): totals at or above `min` (and below the next band) get `grade`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeBand {
    /// The grade.
    pub grade: Grade,
    /// The lowest total of the band (inclusive).
    #[serde(with = "crate::dec")]
    pub min: Decimal,
    /// The source.
    pub cite: CitationId,
}

/// The range of one qualitative band, as shares of the weight.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BandRange {
    /// Lowest share (inclusive).
    #[serde(with = "crate::dec")]
    pub min: Decimal,
    /// Highest share (inclusive).
    #[serde(with = "crate::dec")]
    pub max: Decimal,
}

/// The three qualitative bands (MOF 2020 practice: 80–100 %, 60–80 %, 0–60 % of the points).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QualitativeBands {
    /// Achieved.
    pub achieved: BandRange,
    /// Partly achieved.
    pub partly: BandRange,
    /// Not achieved.
    pub not_achieved: BandRange,
    /// The source.
    pub cite: CitationId,
}

impl QualitativeBands {
    /// The range of a band.
    pub fn range(&self, band: Band) -> &BandRange {
        match band {
            Band::Achieved => &self.achieved,
            Band::Partly => &self.partly,
            Band::NotAchieved => &self.not_achieved,
        }
    }
}

/// An indicator the target-too-low rule leaves alone, and why (不适用目标设定过低扣分的指标).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TooLowExempt {
    /// The indicator's id (a proportional leaf).
    pub indicator: String,
    /// Why its target is not one the rule judges (e.g. a floor, not a target set for the
    /// year).
    pub reason: Name,
}

/// The deduction for a target set too low (绩效目标设定过低扣分; MOF 2020, 财预〔2020〕10号,
/// 《项目支出绩效评价管理办法》 art. 23: a quantitative indicator that meets its target gets
/// full points, one far above its target because the target was set clearly too low
/// (年初指标值设定明显偏低) has points taken off by the deviation (按照偏离度适度调减分值)).
///
/// It applies to the framework's `proportional` leaves: when `actual ÷ target` is strictly
/// above `above`, the leaf scores `weight × (1 − min(deviation × per_deviation, max_share))`,
/// the deviation (偏离度) being `actual ÷ target − 1`. At `above` itself the leaf keeps full
/// points. The threshold, the rate and the limit are the framework author's (the provision
/// gives none); `exempt` lists the leaves whose target is not a target set for the year.
///
/// # Example
/// ```
/// use bangfu_scoring::{Framework, MOF2020_SELF};
/// let fw = Framework::from_toml(MOF2020_SELF)?;
/// let rule = fw.target_too_low().unwrap();
/// assert_eq!(rule.above.to_string(), "1.2");
/// # Ok::<(), bangfu_scoring::ScoringError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TargetTooLow {
    /// The completion ratio (`actual ÷ target`) above which a target counts as set clearly
    /// too low (strictly above; more than 1).
    #[serde(with = "crate::dec")]
    pub above: Decimal,
    /// The share of the weight taken off per unit of deviation (positive).
    #[serde(with = "crate::dec")]
    pub per_deviation: Decimal,
    /// The largest share of the weight taken off (in (0, 1]).
    #[serde(with = "crate::dec")]
    pub max_share: Decimal,
    /// Leaves the rule leaves alone, each with its reason.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exempt: Vec<TooLowExempt>,
    /// The source.
    pub cite: CitationId,
}

impl TargetTooLow {
    /// Checks the rule against the framework's leaves.
    fn check(&self, indicators: &[Indicator]) -> Result<(), ScoringError> {
        let bad = |problem: String| Err(ScoringError::InvalidTooLowRule { problem });
        if self.above <= Decimal::ONE {
            return bad(format!("threshold {} is not above 1", self.above));
        }
        if self.per_deviation <= Decimal::ZERO {
            return bad(format!("rate {} is not positive", self.per_deviation));
        }
        if self.max_share <= Decimal::ZERO || self.max_share > Decimal::ONE {
            return bad(format!(
                "largest share {} is outside (0, 1]",
                self.max_share
            ));
        }
        for e in &self.exempt {
            let proportional = indicators
                .iter()
                .any(|i| i.id == e.indicator && matches!(i.method, Some(Method::Proportional)));
            if !proportional {
                return bad(format!(
                    "exempt indicator {:?} is not a proportional leaf",
                    e.indicator
                ));
            }
        }
        Ok(())
    }

    /// The exemption of indicator `id`, if it has one.
    pub fn exemption(&self, id: &str) -> Option<&TooLowExempt> {
        self.exempt.iter().find(|e| e.indicator == id)
    }
}

/// A framework file as written (the schema of `data/*.toml`); [`Framework`] is the checked
/// form.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkFile {
    /// The framework's id (`mof2020.self`).
    pub id: String,
    /// Its name.
    pub name: Name,
    /// The first day it applies.
    #[serde(with = "bangfu_core::iso_date")]
    pub effective_from: NaiveDate,
    /// The source of its shape.
    pub cite: CitationId,
    /// The total of the roots' weights (normally 100).
    #[serde(with = "crate::dec")]
    pub total: Decimal,
    /// How each indicator's score is rounded (the total is the sum of rounded scores).
    pub rounding: RoundingRule,
    /// The grade bands.
    pub grades: Vec<GradeBand>,
    /// The qualitative bands.
    pub qualitative: QualitativeBands,
    /// The deduction for a target set too low, if the framework has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_too_low: Option<TargetTooLow>,
    /// The indicators, each after its parent.
    pub indicators: Vec<Indicator>,
    /// The citations the file uses.
    pub citations: Citations,
}

/// A checked indicator framework: weights add up, every leaf has a method that can read its
/// fact, grade and qualitative bands hold together, every citation is in the table.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// use bangfu_scoring::{Framework, MOF2020_SELF};
/// let fw = Framework::from_toml(MOF2020_SELF)?;
/// assert_eq!(fw.roots().count(), 4);
/// let broken = MOF2020_SELF.replacen(r#"weight = "10""#, r#"weight = "11""#, 1);
/// assert_eq!(Framework::from_toml(&broken).unwrap_err().code(), "scoring.framework.weights_do_not_add_up");
/// # Ok::<(), bangfu_scoring::ScoringError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "FrameworkFile", into = "FrameworkFile")]
pub struct Framework {
    file: FrameworkFile,
}

impl Framework {
    /// Loads and checks a framework file.
    ///
    /// # Errors
    /// [`ScoringError::Parse`] for bad TOML or schema; any `scoring.framework.*` error for a
    /// framework that does not hold together.
    pub fn from_toml(text: &str) -> Result<Framework, ScoringError> {
        let file: FrameworkFile = bangfu_core::read::from_toml_str(text)?;
        Framework::new(file)
    }

    /// Checks a framework file.
    ///
    /// # Errors
    /// As [`Framework::from_toml`], without the parse errors.
    pub fn new(mut file: FrameworkFile) -> Result<Framework, ScoringError> {
        check_positive("(total)", file.total)?;
        // Levels and the tree.
        let mut level_of: BTreeMap<String, u8> = BTreeMap::new();
        for ind in &mut file.indicators {
            if level_of.contains_key(&ind.id) {
                return Err(ScoringError::DuplicateIndicator { id: ind.id.clone() });
            }
            let level = match &ind.parent {
                None => 1,
                Some(p) => match level_of.get(p) {
                    Some(l) => l.saturating_add(1),
                    None => {
                        return Err(ScoringError::UnknownParent {
                            id: ind.id.clone(),
                            parent: p.clone(),
                        });
                    }
                },
            };
            if level > 3 {
                return Err(ScoringError::TooDeep {
                    id: ind.id.clone(),
                    level,
                });
            }
            ind.level = level;
            level_of.insert(ind.id.clone(), level);
        }
        let has_children: BTreeSet<&str> = file
            .indicators
            .iter()
            .filter_map(|i| i.parent.as_deref())
            .collect();
        for ind in &file.indicators {
            check_positive(&ind.id, ind.weight)?;
            if ind.weight.normalize().scale() > file.rounding.places {
                return Err(ScoringError::WeightPrecision {
                    id: ind.id.clone(),
                    weight: ind.weight,
                    places: file.rounding.places,
                });
            }
            let parent = has_children.contains(ind.id.as_str());
            if parent == ind.method.is_some() {
                return Err(ScoringError::MethodPlacement { id: ind.id.clone() });
            }
            if let Some(m) = &ind.method {
                check_method(ind, m)?;
            }
        }
        // Weights add up.
        let sum_children = |parent: Option<&str>| -> Result<Decimal, ScoringError> {
            file.indicators
                .iter()
                .filter(|i| i.parent.as_deref() == parent)
                .try_fold(Decimal::ZERO, |acc, i| {
                    acc.checked_add(i.weight).ok_or(ScoringError::Overflow)
                })
        };
        let roots = sum_children(None)?;
        if roots != file.total {
            return Err(ScoringError::WeightsDoNotAddUp {
                parent: "(total)".to_owned(),
                expected: file.total,
                actual: roots,
            });
        }
        for ind in file
            .indicators
            .iter()
            .filter(|i| has_children.contains(i.id.as_str()))
        {
            let sum = sum_children(Some(&ind.id))?;
            if sum != ind.weight {
                return Err(ScoringError::WeightsDoNotAddUp {
                    parent: ind.id.clone(),
                    expected: ind.weight,
                    actual: sum,
                });
            }
        }
        // Grade bands: sorted by min, from 0, strictly increasing, within the total.
        file.grades.sort_by_key(|g| g.min);
        let first_is_zero = file.grades.first().is_some_and(|g| g.min.is_zero());
        let increasing = file.grades.windows(2).all(|w| match w {
            [a, b] => a.min < b.min && a.grade != b.grade,
            _ => true,
        });
        let within = file.grades.last().is_some_and(|g| g.min <= file.total);
        if !(first_is_zero && increasing && within) {
            return Err(ScoringError::InvalidGradeBands);
        }
        // Qualitative bands: three contiguous ranges from 0 to 1.
        let q = &file.qualitative;
        let contiguous = q.not_achieved.min.is_zero()
            && q.not_achieved.max == q.partly.min
            && q.partly.max == q.achieved.min
            && q.achieved.max == Decimal::ONE
            && [&q.not_achieved, &q.partly, &q.achieved]
                .iter()
                .all(|r| r.min < r.max);
        if !contiguous {
            return Err(ScoringError::InvalidBands);
        }
        if let Some(rule) = &file.target_too_low {
            rule.check(&file.indicators)?;
        }
        let framework = Framework { file };
        for cite in framework.citation_ids() {
            if !framework.file.citations.contains(cite) {
                return Err(ScoringError::UnknownCitation {
                    cite: cite.to_string(),
                });
            }
        }
        Ok(framework)
    }

    /// The framework's id.
    pub fn id(&self) -> &str {
        &self.file.id
    }

    /// Its name.
    pub fn name(&self) -> &Name {
        &self.file.name
    }

    /// The first day it applies.
    pub fn effective_from(&self) -> NaiveDate {
        self.file.effective_from
    }

    /// The total of the weights.
    pub fn total(&self) -> Decimal {
        self.file.total
    }

    /// The rounding rule of each indicator's score.
    pub fn rounding(&self) -> RoundingRule {
        self.file.rounding
    }

    /// The grade bands, lowest first.
    pub fn grades(&self) -> &[GradeBand] {
        &self.file.grades
    }

    /// The qualitative bands.
    pub fn qualitative(&self) -> &QualitativeBands {
        &self.file.qualitative
    }

    /// The deduction for a target set too low, if the framework has one.
    pub fn target_too_low(&self) -> Option<&TargetTooLow> {
        self.file.target_too_low.as_ref()
    }

    /// Every indicator, each after its parent.
    pub fn indicators(&self) -> &[Indicator] {
        &self.file.indicators
    }

    /// The level-1 indicators.
    pub fn roots(&self) -> impl Iterator<Item = &Indicator> {
        self.file.indicators.iter().filter(|i| i.parent.is_none())
    }

    /// The children of an indicator.
    pub fn children<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.file
            .indicators
            .iter()
            .filter(move |i| i.parent.as_deref() == Some(id))
    }

    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.file.indicators.iter().find(|i| i.id == id)
    }

    /// The citation table of the file.
    pub fn citations(&self) -> &Citations {
        &self.file.citations
    }

    /// The grade of a total: the highest band whose minimum it reaches.
    ///
    /// # Example
    /// ```
    /// use bangfu_scoring::{Framework, Grade, MOF2020_SELF};
    /// use rust_decimal::Decimal;
    /// let fw = Framework::from_toml(MOF2020_SELF)?;
    /// assert_eq!(fw.grade_of(Decimal::new(8999, 2)), Grade::Good);
    /// assert_eq!(fw.grade_of(Decimal::from(90)), Grade::Excellent);
    /// # Ok::<(), bangfu_scoring::ScoringError>(())
    /// ```
    pub fn grade_of(&self, total: Decimal) -> Grade {
        self.file
            .grades
            .iter()
            .rev()
            .find(|g| total >= g.min)
            .or(self.file.grades.first())
            .map_or(Grade::Poor, |g| g.grade)
    }

    /// Every citation id the framework uses, so a caller can check them against a policy's
    /// citation table.
    pub fn citation_ids(&self) -> Vec<&CitationId> {
        let mut ids = vec![&self.file.cite, &self.file.qualitative.cite];
        ids.extend(self.file.grades.iter().map(|g| &g.cite));
        ids.extend(self.file.indicators.iter().map(|i| &i.cite));
        ids.extend(self.file.target_too_low.iter().map(|r| &r.cite));
        ids
    }
}

impl TryFrom<FrameworkFile> for Framework {
    type Error = ScoringError;
    fn try_from(file: FrameworkFile) -> Result<Self, Self::Error> {
        Framework::new(file)
    }
}

impl From<Framework> for FrameworkFile {
    fn from(f: Framework) -> Self {
        f.file
    }
}

fn check_positive(id: &str, weight: Decimal) -> Result<(), ScoringError> {
    if weight <= Decimal::ZERO {
        return Err(ScoringError::WeightNotPositive {
            id: id.to_owned(),
            weight,
        });
    }
    Ok(())
}

fn check_method(ind: &Indicator, method: &Method) -> Result<(), ScoringError> {
    let mismatch = || ScoringError::MethodFact {
        id: ind.id.clone(),
        method: method.code(),
        fact: ind.fact,
    };
    let bad_target = || ScoringError::InvalidTarget { id: ind.id.clone() };
    if !matches!(method, Method::Qualitative) && ind.fact.is_none() {
        return Err(mismatch());
    }
    if ind.target.is_some_and(|t| t < Decimal::ZERO) {
        return Err(bad_target());
    }
    if ind.when_none == WhenNone::Full && ind.fact.map(FactKey::kind) != Some(FactKind::Ratio) {
        return Err(mismatch());
    }
    match method {
        Method::Proportional => {
            if ind.target.is_none_or(|t| t <= Decimal::ZERO) {
                return Err(bad_target());
            }
        }
        Method::LowerIsBetter => {
            if ind.target.is_none() {
                return Err(bad_target());
            }
        }
        Method::Steps { steps } => {
            let shares_ok = steps
                .iter()
                .all(|s| s.share >= Decimal::ZERO && s.share <= Decimal::ONE);
            let ordered = steps.windows(2).all(|w| match w {
                [a, b] => a.at_least < b.at_least && a.share <= b.share,
                _ => true,
            });
            if steps.is_empty() || !shares_ok || !ordered {
                return Err(ScoringError::InvalidSteps { id: ind.id.clone() });
            }
        }
        Method::Deduction { per_defect } => {
            if *per_defect <= Decimal::ZERO {
                return Err(ScoringError::InvalidDeduction { id: ind.id.clone() });
            }
            if ind.fact.map(FactKey::kind) != Some(FactKind::Count) {
                return Err(mismatch());
            }
        }
        Method::Qualitative => {}
    }
    Ok(())
}
