//! The scoring crate's error type.

use bangfu_core::{Coded, CoreError, Labelled};
use rust_decimal::Decimal;

use crate::FactKey;

/// An error of the scoring crate: a framework or policy file that does not hold together,
/// facts that contradict themselves, a missing or out-of-band judgement, bad survey counts.
///
/// Every variant has a stable [`code`](Coded::code) and zh/en labels. A refused input
/// changes nothing: every function here is pure.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// use bangfu_scoring::Framework;
/// let err = Framework::from_toml("id = ").unwrap_err();
/// assert_eq!(err.code(), "read.syntax");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScoringError {
    /// A framework, policy or judgement file is not valid TOML or does not match the schema.
    #[error("file does not parse: {message}")]
    Parse {
        /// The parser's message (with the line where it has one).
        message: String,
    },
    /// A framework, policy or judgement file that could not be read, with the line and the
    /// code of its typed problem (see [`bangfu_core::read`]).
    #[error(transparent)]
    Read(bangfu_core::read::ReadError),
    /// Two indicators share an id.
    #[error("indicator id {id:?} is used twice")]
    DuplicateIndicator {
        /// The id.
        id: String,
    },
    /// An indicator names a parent that is not defined before it.
    #[error("indicator {id:?} names parent {parent:?}, which is not defined before it")]
    UnknownParent {
        /// The indicator.
        id: String,
        /// The parent it names.
        parent: String,
    },
    /// An indicator sits deeper than level 3.
    #[error("indicator {id:?} is at level {level}, deeper than 3")]
    TooDeep {
        /// The indicator.
        id: String,
        /// Its level.
        level: u8,
    },
    /// The children of an indicator (or the roots) do not add up to its weight (or the total).
    #[error("weights under {parent} add up to {actual}, not {expected}")]
    WeightsDoNotAddUp {
        /// The parent's id, or `"(total)"` for the roots.
        parent: String,
        /// The parent's weight (or the framework total).
        expected: Decimal,
        /// The sum of the children's weights.
        actual: Decimal,
    },
    /// A weight that is zero or negative, or a total that is not positive.
    #[error("indicator {id:?} has weight {weight}, which is not positive")]
    WeightNotPositive {
        /// The indicator (or `"(total)"`).
        id: String,
        /// The weight.
        weight: Decimal,
    },
    /// A weight with more decimals than the framework's rounding rule keeps.
    #[error("indicator {id:?} has weight {weight} with more than {places} decimals")]
    WeightPrecision {
        /// The indicator.
        id: String,
        /// The weight.
        weight: Decimal,
        /// The decimals the rounding rule keeps.
        places: u32,
    },
    /// A leaf indicator without a scoring method, or a parent with one.
    #[error("indicator {id:?}: a leaf needs a scoring method and a parent must not have one")]
    MethodPlacement {
        /// The indicator.
        id: String,
    },
    /// A quantitative method without a fact to read, or a fact of the wrong kind for it.
    #[error("indicator {id:?}: method {method} cannot read fact {fact:?}")]
    MethodFact {
        /// The indicator.
        id: String,
        /// The method's code.
        method: &'static str,
        /// The fact it names, if any.
        fact: Option<FactKey>,
    },
    /// A target that the method needs is missing, negative or (for a proportional method) zero.
    #[error("indicator {id:?} has no usable target for its method")]
    InvalidTarget {
        /// The indicator.
        id: String,
    },
    /// Interval steps out of order, with a share outside 0..=1, or none at all.
    #[error("indicator {id:?} has invalid interval steps")]
    InvalidSteps {
        /// The indicator.
        id: String,
    },
    /// A target-too-low rule (绩效目标设定过低扣分) that cannot be used: a threshold not above
    /// 1, a deduction rate not positive, a largest deduction outside (0, 1], or an exempt
    /// indicator that is not a proportional leaf of the framework.
    #[error("the target-too-low rule is invalid: {problem}")]
    InvalidTooLowRule {
        /// What is wrong.
        problem: String,
    },
    /// A deduction per defect that is not positive.
    #[error("indicator {id:?} has a deduction per defect that is not positive")]
    InvalidDeduction {
        /// The indicator.
        id: String,
    },
    /// Qualitative bands that are not three contiguous ranges from 0 to 1 of the weight.
    #[error("qualitative bands are not three contiguous ranges covering 0..=1 of the weight")]
    InvalidBands,
    /// Grade bands that do not start at 0, are not strictly increasing, or pass the total.
    #[error("grade bands must start at 0, increase strictly and stay within the total")]
    InvalidGradeBands,
    /// A citation id used in the file but not in its citation table.
    #[error("citation {cite:?} is not in the citation table")]
    UnknownCitation {
        /// The id.
        cite: String,
    },
    /// A qualitative indicator has no judgement.
    #[error("indicator {indicator:?} is qualitative and has no judgement")]
    MissingJudgement {
        /// The indicator.
        indicator: String,
    },
    /// A judgement names an indicator that is not a qualitative leaf of the framework.
    #[error("judgement for {indicator:?}, which is not a qualitative indicator of the framework")]
    UnexpectedJudgement {
        /// The indicator it names.
        indicator: String,
    },
    /// A judgement's score lies outside its band's range.
    #[error("judgement for {indicator:?}: score {score} is outside {min}..={max}")]
    ScoreOutsideBand {
        /// The indicator.
        indicator: String,
        /// The score given.
        score: Decimal,
        /// The band's lowest score.
        min: Decimal,
        /// The band's highest score.
        max: Decimal,
    },
    /// A judgement without a written justification.
    #[error("judgement for {indicator:?} has no written justification")]
    EmptyJustification {
        /// The indicator.
        indicator: String,
    },
    /// A fact is a ratio whose denominator is zero (no payments, no files, no survey).
    #[error("fact {fact} has a zero denominator")]
    ZeroDenominator {
        /// The fact.
        fact: FactKey,
    },
    /// Facts contradict themselves: a part above its whole, sums that do not match, a tally
    /// whose record list has another length.
    #[error("facts are inconsistent: {field}")]
    InconsistentFacts {
        /// Which figure.
        field: &'static str,
    },
    /// A household appears twice in a sampling frame.
    #[error("household {household:?} appears twice in the sampling frame")]
    DuplicateHousehold {
        /// The household.
        household: String,
    },
    /// A sampling ratio above one.
    #[error("sampling ratio {ratio} is above 1")]
    InvalidRatio {
        /// The ratio.
        ratio: Decimal,
    },
    /// Survey counts with nobody surveyed or more satisfied than surveyed.
    #[error("survey counts {satisfied} of {surveyed} are invalid")]
    InvalidSurvey {
        /// Satisfied answers.
        satisfied: u64,
        /// Households surveyed.
        surveyed: u64,
    },
    /// The square root of a negative number was asked for.
    #[error("square root of negative {value}")]
    NegativeSquareRoot {
        /// The value.
        value: Decimal,
    },
    /// Decimal arithmetic overflowed.
    #[error("decimal arithmetic overflowed")]
    Overflow,
    /// An error of the core vocabulary (money, rates, parameter look-ups); its code is core's.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl Coded for ScoringError {
    fn code(&self) -> &'static str {
        match self {
            ScoringError::Parse { .. } => "scoring.framework.parse",
            ScoringError::Read(e) => e.code(),
            ScoringError::DuplicateIndicator { .. } => "scoring.framework.duplicate_indicator",
            ScoringError::UnknownParent { .. } => "scoring.framework.unknown_parent",
            ScoringError::TooDeep { .. } => "scoring.framework.too_deep",
            ScoringError::WeightsDoNotAddUp { .. } => "scoring.framework.weights_do_not_add_up",
            ScoringError::WeightNotPositive { .. } => "scoring.framework.weight_not_positive",
            ScoringError::WeightPrecision { .. } => "scoring.framework.weight_precision",
            ScoringError::MethodPlacement { .. } => "scoring.framework.method_placement",
            ScoringError::MethodFact { .. } => "scoring.framework.method_fact",
            ScoringError::InvalidTarget { .. } => "scoring.framework.invalid_target",
            ScoringError::InvalidSteps { .. } => "scoring.framework.invalid_steps",
            ScoringError::InvalidDeduction { .. } => "scoring.framework.invalid_deduction",
            ScoringError::InvalidTooLowRule { .. } => "scoring.framework.invalid_target_too_low",
            ScoringError::InvalidBands => "scoring.framework.invalid_bands",
            ScoringError::InvalidGradeBands => "scoring.framework.invalid_grade_bands",
            ScoringError::UnknownCitation { .. } => "scoring.framework.unknown_citation",
            ScoringError::MissingJudgement { .. } => "scoring.judgement.missing",
            ScoringError::UnexpectedJudgement { .. } => "scoring.judgement.unexpected",
            ScoringError::ScoreOutsideBand { .. } => "scoring.judgement.outside_band",
            ScoringError::EmptyJustification { .. } => "scoring.judgement.empty_justification",
            ScoringError::ZeroDenominator { .. } => "scoring.facts.zero_denominator",
            ScoringError::InconsistentFacts { .. } => "scoring.facts.inconsistent",
            ScoringError::DuplicateHousehold { .. } => "scoring.sampling.duplicate_household",
            ScoringError::InvalidRatio { .. } => "scoring.sampling.invalid_ratio",
            ScoringError::InvalidSurvey { .. } => "scoring.survey.invalid_counts",
            ScoringError::NegativeSquareRoot { .. } => "scoring.math.negative_sqrt",
            ScoringError::Overflow => "scoring.math.overflow",
            ScoringError::Core(e) => e.code(),
        }
    }
}

impl Labelled for ScoringError {
    fn zh(&self) -> &'static str {
        match self {
            ScoringError::Parse { .. } => "文件无法解析",
            ScoringError::Read(e) => e.zh(),
            ScoringError::DuplicateIndicator { .. } => "指标编号重复",
            ScoringError::UnknownParent { .. } => "上级指标未定义",
            ScoringError::TooDeep { .. } => "指标层级超过三级",
            ScoringError::WeightsDoNotAddUp { .. } => "下级指标分值之和与上级不符",
            ScoringError::WeightNotPositive { .. } => "指标分值须为正数",
            ScoringError::WeightPrecision { .. } => "指标分值小数位超过舍入规则",
            ScoringError::MethodPlacement { .. } => "末级指标须有评分方法，上级指标不得有",
            ScoringError::MethodFact { .. } => "评分方法与所读数据不匹配",
            ScoringError::InvalidTarget { .. } => "指标目标值无效",
            ScoringError::InvalidSteps { .. } => "档位设置无效",
            ScoringError::InvalidDeduction { .. } => "每项扣分须为正数",
            ScoringError::InvalidTooLowRule { .. } => "目标设定过低扣分规则无效",
            ScoringError::InvalidBands => "定性评价档次设置无效",
            ScoringError::InvalidGradeBands => "评价等级分数段设置无效",
            ScoringError::UnknownCitation { .. } => "引用编号未在引用表中",
            ScoringError::MissingJudgement { .. } => "定性指标缺少评价意见",
            ScoringError::UnexpectedJudgement { .. } => "评价意见所指不是定性指标",
            ScoringError::ScoreOutsideBand { .. } => "评分超出所选档次范围",
            ScoringError::EmptyJustification { .. } => "评价意见缺少书面理由",
            ScoringError::ZeroDenominator { .. } => "比率分母为零",
            ScoringError::InconsistentFacts { .. } => "基础数据前后不一致",
            ScoringError::DuplicateHousehold { .. } => "抽样框中家庭重复",
            ScoringError::InvalidRatio { .. } => "抽样比例大于1",
            ScoringError::InvalidSurvey { .. } => "调查人数无效",
            ScoringError::NegativeSquareRoot { .. } => "负数开平方",
            ScoringError::Overflow => "数值运算溢出",
            ScoringError::Core(e) => e.zh(),
        }
    }

    fn en(&self) -> &'static str {
        match self {
            ScoringError::Parse { .. } => "file does not parse",
            ScoringError::Read(e) => e.en(),
            ScoringError::DuplicateIndicator { .. } => "duplicate indicator id",
            ScoringError::UnknownParent { .. } => "parent indicator not defined",
            ScoringError::TooDeep { .. } => "indicator deeper than level 3",
            ScoringError::WeightsDoNotAddUp { .. } => "weights do not add up",
            ScoringError::WeightNotPositive { .. } => "weight not positive",
            ScoringError::WeightPrecision { .. } => "weight more precise than the rounding rule",
            ScoringError::MethodPlacement { .. } => "method on a parent or missing on a leaf",
            ScoringError::MethodFact { .. } => "method cannot read the fact",
            ScoringError::InvalidTarget { .. } => "invalid target",
            ScoringError::InvalidSteps { .. } => "invalid interval steps",
            ScoringError::InvalidDeduction { .. } => "deduction per defect not positive",
            ScoringError::InvalidTooLowRule { .. } => "invalid target-too-low rule",
            ScoringError::InvalidBands => "invalid qualitative bands",
            ScoringError::InvalidGradeBands => "invalid grade bands",
            ScoringError::UnknownCitation { .. } => "unknown citation",
            ScoringError::MissingJudgement { .. } => "missing judgement",
            ScoringError::UnexpectedJudgement { .. } => "judgement for a non-qualitative indicator",
            ScoringError::ScoreOutsideBand { .. } => "score outside the band",
            ScoringError::EmptyJustification { .. } => "judgement without justification",
            ScoringError::ZeroDenominator { .. } => "zero denominator",
            ScoringError::InconsistentFacts { .. } => "inconsistent facts",
            ScoringError::DuplicateHousehold { .. } => "duplicate household in the frame",
            ScoringError::InvalidRatio { .. } => "sampling ratio above 1",
            ScoringError::InvalidSurvey { .. } => "invalid survey counts",
            ScoringError::NegativeSquareRoot { .. } => "square root of a negative number",
            ScoringError::Overflow => "arithmetic overflow",
            ScoringError::Core(e) => e.en(),
        }
    }
}

impl From<bangfu_core::read::ReadError> for ScoringError {
    fn from(e: bangfu_core::read::ReadError) -> Self {
        ScoringError::Read(e)
    }
}
