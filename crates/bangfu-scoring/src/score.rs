//! Scoring a framework against facts and judgements: the scorecard (评分表).

use std::collections::BTreeMap;

use bangfu_core::{Labelled, Lang, RoundingRule};
use rust_decimal::Decimal;

use crate::facts::display_value;
use crate::{
    Band, FactKey, FactKind, Facts, Framework, Grade, Indicator, Method, Name, Reading,
    ScoringError, Step, WhenNone,
};

/// The evaluator's judgement of a qualitative indicator (评价意见): a band, a score inside
/// the band's range, and a written justification.
///
/// # Example
/// ```
/// use bangfu_scoring::{Band, Judgement};
/// let j = Judgement::new(Band::Achieved, "14", "困难得到缓解", "hardship relieved")?;
/// assert_eq!(j.score.to_string(), "14");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Judgement {
    /// The band chosen.
    pub band: Band,
    /// The score given.
    #[serde(with = "crate::dec")]
    pub score: Decimal,
    /// The written justification (评价理由); the Chinese text is required.
    pub justification: Name,
}

impl Judgement {
    /// A judgement; `score` is decimal text.
    ///
    /// # Errors
    /// [`ScoringError::Parse`] when `score` is not a decimal.
    pub fn new(
        band: Band,
        score: &str,
        zh: impl Into<String>,
        en: impl Into<String>,
    ) -> Result<Judgement, ScoringError> {
        let score = score.parse::<Decimal>().map_err(|_| ScoringError::Parse {
            message: format!("invalid score {score:?}"),
        })?;
        Ok(Judgement {
            band,
            score,
            justification: Name::new(zh, en),
        })
    }
}

/// Judgements by indicator id, as the evaluator gives them (a TOML table of tables).
///
/// # Example
/// ```
/// use bangfu_scoring::Judgements;
/// let j = Judgements::from_toml(r#"
/// [sustainability]
/// band = "achieved"
/// score = "14"
/// justification = { zh = "差异化救助，社会反响好", en = "differentiated aid, good response" }
/// "#)?;
/// assert!(j.get("sustainability").is_some());
/// # Ok::<(), bangfu_scoring::ScoringError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Judgements(BTreeMap<String, Judgement>);

impl Judgements {
    /// No judgements.
    pub fn new() -> Judgements {
        Judgements::default()
    }

    /// Reads judgements from TOML.
    ///
    /// # Errors
    /// [`ScoringError::Parse`].
    pub fn from_toml(text: &str) -> Result<Judgements, ScoringError> {
        Ok(bangfu_core::read::from_toml_str(text)?)
    }

    /// Adds or replaces the judgement of an indicator.
    pub fn insert(&mut self, indicator: impl Into<String>, judgement: Judgement) {
        self.0.insert(indicator.into(), judgement);
    }

    /// The judgement of an indicator.
    pub fn get(&self, indicator: &str) -> Option<&Judgement> {
        self.0.get(indicator)
    }

    /// The judgements in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&String, &Judgement)> {
        self.0.iter()
    }
}

/// One row of the scorecard: an indicator with its actual, target, method, score and reason.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IndicatorScore {
    /// The indicator's id.
    pub id: String,
    /// Its parent's id.
    pub parent: Option<String>,
    /// Its level (1 to 3).
    pub level: u8,
    /// Its name.
    pub name: Name,
    /// Its weight.
    pub weight: Decimal,
    /// Its target, if it has one.
    pub target: Option<Decimal>,
    /// The fact read, with its computation (none for a parent or a qualitative indicator
    /// without a fact).
    pub reading: Option<Reading>,
    /// The method of a leaf (none for a parent, whose score is the sum of its children).
    pub method: Option<Method>,
    /// The judgement used, for a qualitative indicator.
    pub judgement: Option<Judgement>,
    /// The score, rounded by the framework's rule.
    pub score: Decimal,
    /// Why: the computation in words.
    pub reason: Name,
}

impl IndicatorScore {
    fn kind(&self) -> FactKind {
        self.reading
            .as_ref()
            .map_or(FactKind::Ratio, |r| r.key.kind())
    }

    /// The target for display (`100.00 %`, `0`, or `—`).
    pub fn target_display(&self, lang: Lang) -> String {
        match (self.target, &self.method) {
            (Some(t), _) => display_value(self.kind(), t, lang),
            (None, Some(Method::Steps { steps })) => steps.last().map_or_else(
                || "—".to_owned(),
                |s| format!("≥ {}", display_value(self.kind(), s.at_least, lang)),
            ),
            (None, Some(Method::Deduction { .. })) => "0".to_owned(),
            (None, Some(Method::Qualitative)) => Band::Achieved.label(lang).to_owned(),
            _ => "—".to_owned(),
        }
    }

    /// The actual value for display (the band for a qualitative indicator).
    pub fn actual_display(&self, lang: Lang) -> String {
        match (&self.reading, &self.judgement) {
            (Some(r), _) => r.display(lang),
            (None, Some(j)) => j.band.label(lang).to_owned(),
            _ => "—".to_owned(),
        }
    }

    /// The method's name in `lang` (`—` for a parent).
    pub fn method_display(&self, lang: Lang) -> &'static str {
        match (&self.method, lang) {
            (Some(m), Lang::Zh) => m.zh(),
            (Some(m), Lang::En) => m.en(),
            (None, Lang::Zh) => "下级之和",
            (None, Lang::En) => "sum of children",
        }
    }
}

/// A scored framework: every indicator's row, the total and the grade.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Scorecard {
    /// The framework's id.
    pub framework: String,
    /// The framework's name.
    pub framework_name: Name,
    /// The rounding rule applied to each indicator.
    pub rounding: RoundingRule,
    /// Every indicator, in framework order.
    pub indicators: Vec<IndicatorScore>,
    /// The total (sum of the level-1 scores).
    pub total: Decimal,
    /// The framework's full total (normally 100).
    pub full: Decimal,
    /// The grade of the total.
    pub grade: Grade,
}

impl Scorecard {
    /// The row of an indicator.
    pub fn indicator(&self, id: &str) -> Option<&IndicatorScore> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The rows of the leaves.
    pub fn leaves(&self) -> impl Iterator<Item = &IndicatorScore> {
        self.indicators.iter().filter(|i| i.method.is_some())
    }
}

/// Scores a framework against facts and the evaluator's judgements.
///
/// Each leaf reads its fact and applies its method; each score is rounded by the
/// framework's named rule; a parent's score is the sum of its children's; the total is the
/// sum of the roots and its grade comes from the framework's bands.
///
/// # Errors
/// [`ScoringError::InconsistentFacts`] when the facts do not validate;
/// [`ScoringError::ZeroDenominator`] for a ratio fact over zero;
/// [`ScoringError::MissingJudgement`], [`ScoringError::UnexpectedJudgement`],
/// [`ScoringError::ScoreOutsideBand`], [`ScoringError::EmptyJustification`] for judgements.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// use bangfu_scoring::{score, Facts, Framework, Judgements, MOF2020_SELF};
/// let fw = Framework::from_toml(MOF2020_SELF)?;
/// let err = score(&fw, &Facts::default(), &Judgements::new()).unwrap_err();
/// assert_eq!(err.code(), "scoring.facts.zero_denominator");
/// # Ok::<(), bangfu_scoring::ScoringError>(())
/// ```
pub fn score(
    framework: &Framework,
    facts: &Facts,
    judgements: &Judgements,
) -> Result<Scorecard, ScoringError> {
    facts.validate()?;
    for (id, _) in judgements.iter() {
        let qualitative = framework
            .indicator(id)
            .is_some_and(|i| matches!(i.method, Some(Method::Qualitative)));
        if !qualitative {
            return Err(ScoringError::UnexpectedJudgement {
                indicator: id.clone(),
            });
        }
    }
    let rule = framework.rounding();
    let mut rows: Vec<IndicatorScore> = Vec::with_capacity(framework.indicators().len());
    for ind in framework.indicators() {
        let row = match &ind.method {
            Some(m) => score_leaf(framework, ind, m, facts, judgements, rule)?,
            None => IndicatorScore {
                id: ind.id.clone(),
                parent: ind.parent.clone(),
                level: ind.level,
                name: ind.name.clone(),
                weight: ind.weight,
                target: ind.target,
                reading: None,
                method: None,
                judgement: None,
                score: Decimal::ZERO,
                reason: Name::default(),
            },
        };
        rows.push(row);
    }
    // Parents: sum children, deepest level first so level 1 sums finished level 2 rows.
    for level in [2u8, 1u8] {
        let sums: Vec<(usize, Decimal)> = rows
            .iter()
            .enumerate()
            .filter(|(_, r)| r.level == level && r.method.is_none())
            .map(|(i, r)| {
                let sum = rows
                    .iter()
                    .filter(|c| c.parent.as_deref() == Some(r.id.as_str()))
                    .try_fold(Decimal::ZERO, |acc, c| acc.checked_add(c.score))
                    .ok_or(ScoringError::Overflow);
                sum.map(|s| (i, s))
            })
            .collect::<Result<_, _>>()?;
        for (i, s) in sums {
            if let Some(r) = rows.get_mut(i) {
                r.score = s;
                r.reason = Name::new(
                    format!("下级指标得分之和 = {s}（满分 {}）", r.weight),
                    format!("sum of the children's scores = {s} (of {})", r.weight),
                );
            }
        }
    }
    let total = rows
        .iter()
        .filter(|r| r.level == 1)
        .try_fold(Decimal::ZERO, |acc, r| acc.checked_add(r.score))
        .ok_or(ScoringError::Overflow)?;
    Ok(Scorecard {
        framework: framework.id().to_owned(),
        framework_name: framework.name().clone(),
        rounding: rule,
        indicators: rows,
        total,
        full: framework.total(),
        grade: framework.grade_of(total),
    })
}

fn mul(a: Decimal, b: Decimal) -> Result<Decimal, ScoringError> {
    a.checked_mul(b).ok_or(ScoringError::Overflow)
}

fn div(a: Decimal, b: Decimal) -> Result<Decimal, ScoringError> {
    a.checked_div(b).ok_or(ScoringError::Overflow)
}

fn score_leaf(
    framework: &Framework,
    ind: &Indicator,
    method: &Method,
    facts: &Facts,
    judgements: &Judgements,
    rule: RoundingRule,
) -> Result<IndicatorScore, ScoringError> {
    let w = ind.weight;
    let reading = match ind.fact.map(|k| facts.read(k)) {
        None => None,
        Some(Ok(r)) => Some(r),
        Some(Err(ScoringError::ZeroDenominator { fact })) if ind.when_none == WhenNone::Full => {
            let reason = nothing_due(fact, rule.apply(w));
            return Ok(leaf_row(ind, method, None, None, w, reason, rule));
        }
        Some(Err(e)) => return Err(e),
    };
    let mut judgement = None;
    let (raw, reason) = match (method, &reading) {
        (Method::Qualitative, _) => {
            let (j, raw, reason) = judged(framework, ind, judgements)?;
            judgement = Some(j);
            (raw, reason)
        }
        (_, None) => {
            return Err(ScoringError::MethodFact {
                id: ind.id.clone(),
                method: method.code(),
                fact: None,
            });
        }
        (m, Some(r)) => {
            let (raw, reason) = computed(ind, m, r, rule)?;
            match (m, framework.target_too_low()) {
                (Method::Proportional, Some(too_low)) => {
                    deduct_if_too_low(too_low, ind, r.value, raw, reason, rule)?
                }
                _ => (raw, reason),
            }
        }
    };
    Ok(leaf_row(ind, method, reading, judgement, raw, reason, rule))
}

/// The deduction for a target set too low (绩效目标设定过低扣分) on a proportional leaf
/// scored `raw` for `reason`: when `actual ÷ target` is strictly above the rule's threshold
/// and the leaf is not exempt, `weight × (1 − min((actual ÷ target − 1) × rate, largest))`.
fn deduct_if_too_low(
    too_low: &crate::TargetTooLow,
    ind: &Indicator,
    actual: Decimal,
    raw: Decimal,
    reason: Name,
    rule: RoundingRule,
) -> Result<(Decimal, Name), ScoringError> {
    let target = ind
        .target
        .ok_or(ScoringError::InvalidTarget { id: ind.id.clone() })?;
    let ratio = div(actual, target)?;
    if ratio <= too_low.above {
        return Ok((raw, reason));
    }
    let above = too_low.above.normalize();
    if let Some(e) = too_low.exemption(&ind.id) {
        let reason = Name::new(
            format!(
                "{}；完成值超过目标 {above} 倍，但不适用目标设定过低扣分：{}",
                reason.zh, e.reason.zh
            ),
            format!(
                "{}; more than {above} × the target, but the target-too-low deduction does not apply: {}",
                reason.en, e.reason.en
            ),
        );
        return Ok((raw, reason));
    }
    let deviation = ratio
        .checked_sub(Decimal::ONE)
        .ok_or(ScoringError::Overflow)?;
    let share = mul(deviation, too_low.per_deviation)?.min(too_low.max_share);
    let kept = Decimal::ONE
        .checked_sub(share)
        .ok_or(ScoringError::Overflow)?;
    let w = ind.weight;
    let raw = mul(w, kept)?;
    let s = rule.apply(raw);
    let (dev, rate, max) = (
        rule.apply(deviation).normalize(),
        too_low.per_deviation.normalize(),
        too_low.max_share.normalize(),
    );
    Ok((
        raw,
        Name::new(
            format!(
                "{}；完成值超过目标 {above} 倍，视为目标设定明显偏低，按偏离度 {dev} 调减：\
                 得分 = {w} × (1 − min({dev} × {rate}, {max})) = {s}",
                reason.zh
            ),
            format!(
                "{}; more than {above} × the target, taken as a target set too low, reduced by \
                 the deviation {dev}: score = {w} × (1 − min({dev} × {rate}, {max})) = {s}",
                reason.en
            ),
        ),
    ))
}

/// The row of a leaf scored `raw` (rounded here by `rule`) for `reason`.
fn leaf_row(
    ind: &Indicator,
    method: &Method,
    reading: Option<Reading>,
    judgement: Option<Judgement>,
    raw: Decimal,
    reason: Name,
    rule: RoundingRule,
) -> IndicatorScore {
    IndicatorScore {
        id: ind.id.clone(),
        parent: ind.parent.clone(),
        level: ind.level,
        name: ind.name.clone(),
        weight: ind.weight,
        target: ind.target,
        reading,
        method: Some(method.clone()),
        judgement,
        score: rule.apply(raw),
        reason,
    }
}

/// The reason for full points `s` when the `fact` had nothing due (a zero denominator).
fn nothing_due(fact: FactKey, s: Decimal) -> Name {
    Name::new(
        format!("{}：本期无应办事项（分母为0），按满分 {s} 计", fact.zh()),
        format!(
            "{}: nothing was due (zero denominator), full {s}",
            fact.en()
        ),
    )
}

/// The evaluator's judgement of a qualitative indicator, checked: it, its score and reason.
fn judged(
    framework: &Framework,
    ind: &Indicator,
    judgements: &Judgements,
) -> Result<(Judgement, Decimal, Name), ScoringError> {
    let w = ind.weight;
    let j = judgements
        .get(&ind.id)
        .ok_or_else(|| ScoringError::MissingJudgement {
            indicator: ind.id.clone(),
        })?;
    if j.justification.zh.trim().is_empty() {
        return Err(ScoringError::EmptyJustification {
            indicator: ind.id.clone(),
        });
    }
    let range = framework.qualitative().range(j.band);
    let (min, max) = (mul(range.min, w)?, mul(range.max, w)?);
    if j.score < min || j.score > max {
        return Err(ScoringError::ScoreOutsideBand {
            indicator: ind.id.clone(),
            score: j.score,
            min,
            max,
        });
    }
    let en = if j.justification.en.trim().is_empty() {
        &j.justification.zh
    } else {
        &j.justification.en
    };
    let reason = Name::new(
        format!(
            "评价组定性评价：{}（{}–{} 分），{}",
            j.band.zh(),
            min.normalize(),
            max.normalize(),
            j.justification.zh
        ),
        format!(
            "evaluator's judgement: {} ({}–{} points), {}",
            j.band.en(),
            min.normalize(),
            max.normalize(),
            en
        ),
    );
    Ok((j.clone(), j.score, reason))
}

/// A leaf scored by a quantitative method: its reading as the reason begins, weight, rounding.
struct Quantitative {
    /// The reason's beginning in Chinese: the fact, its computation, its value.
    head_zh: String,
    /// The reason's beginning in English.
    head_en: String,
    /// Whether the fact is a ratio or a count.
    kind: FactKind,
    /// The fact's value.
    actual: Decimal,
    /// The indicator's weight (分值).
    w: Decimal,
    /// The framework's rounding of scores.
    rule: RoundingRule,
}

/// A raw score and its reason.
type Scored = Result<(Decimal, Name), ScoringError>;

impl Quantitative {
    /// Reads `r` for a leaf of weight `w`: a count as itself, a ratio with its computation.
    fn new(r: &Reading, w: Decimal, rule: RoundingRule) -> Quantitative {
        let kind = r.key.kind();
        let actual = r.value;
        let show = |v: Decimal| display_value(kind, v, Lang::Zh);
        // A count reads as itself ("现金发放 0"); a ratio shows its computation.
        let (head_zh, head_en) = match kind {
            FactKind::Count => (r.zh.clone(), r.en.clone()),
            FactKind::Ratio => (
                format!("{} = {} = {}", r.key.zh(), r.zh, show(actual)),
                format!("{} = {} = {}", r.key.en(), r.en, show(actual)),
            ),
        };
        Quantitative {
            head_zh,
            head_en,
            kind,
            actual,
            w,
            rule,
        }
    }

    /// The reason's beginnings in Chinese and English, the fact's value and the weight.
    fn parts(&self) -> (&str, &str, Decimal, Decimal) {
        (&self.head_zh, &self.head_en, self.actual, self.w)
    }

    /// `v` shown as the fact's values are (a ratio in percent, a count plain).
    fn show(&self, v: Decimal) -> String {
        display_value(self.kind, v, Lang::Zh)
    }

    /// Proportional to the target (按比例得分): min(actual ÷ target, 1) × weight.
    fn proportional(&self, target: Decimal) -> Scored {
        let (head_zh, head_en, actual, w) = self.parts();
        let show = |v: Decimal| self.show(v);
        let share = div(actual, target)?.min(Decimal::ONE);
        let raw = mul(share, w)?;
        let s = self.rule.apply(raw);
        Ok((
            raw,
            Name::new(
                format!(
                    "{head_zh}；目标 {}；得分 = min({} ÷ {}, 1) × {w} = {s}",
                    show(target),
                    show(actual),
                    show(target)
                ),
                format!(
                    "{head_en}; target {}; score = min({} / {}, 1) × {w} = {s}",
                    show(target),
                    show(actual),
                    show(target)
                ),
            ),
        ))
    }

    /// Lower is better (越低越好): full weight up to the target, else target ÷ actual of it.
    fn lower_is_better(&self, target: Decimal) -> Scored {
        let (head_zh, head_en, actual, w) = self.parts();
        let show = |v: Decimal| self.show(v);
        if actual <= target {
            return Ok((
                w,
                Name::new(
                    format!("{head_zh}；不高于目标 {}，得满分 {w}", show(target)),
                    format!(
                        "{head_en}; at or below the target {}, full {w}",
                        show(target)
                    ),
                ),
            ));
        }
        let raw = mul(div(target, actual)?, w)?;
        let s = self.rule.apply(raw);
        Ok((
            raw,
            Name::new(
                format!(
                    "{head_zh}；高于目标 {}；得分 = {} ÷ {} × {w} = {s}",
                    show(target),
                    show(target),
                    show(actual)
                ),
                format!(
                    "{head_en}; above the target {}; score = {} / {} × {w} = {s}",
                    show(target),
                    show(target),
                    show(actual)
                ),
            ),
        ))
    }

    /// By steps (分档得分): the share of the weight of the highest step reached, else 0.
    fn by_steps(&self, steps: &[Step]) -> Scored {
        let (head_zh, head_en, actual, w) = self.parts();
        match steps.iter().rev().find(|s| actual >= s.at_least) {
            Some(step) => {
                let raw = mul(step.share, w)?;
                let s = self.rule.apply(raw);
                Ok((
                    raw,
                    Name::new(
                        format!(
                            "{head_zh}；达到“≥ {}”档，得 {} × {w} = {s}",
                            self.show(step.at_least),
                            step.share.normalize()
                        ),
                        format!(
                            "{head_en}; reaches the step ≥ {}, {} × {w} = {s}",
                            self.show(step.at_least),
                            step.share.normalize()
                        ),
                    ),
                ))
            }
            None => Ok((
                Decimal::ZERO,
                Name::new(
                    format!("{head_zh}；低于最低档，得 0"),
                    format!("{head_en}; below the lowest step, 0"),
                ),
            )),
        }
    }

    /// By deduction (扣分): the weight less `per_defect` for each defect, not below 0.
    fn by_deduction(&self, per_defect: Decimal) -> Scored {
        let (head_zh, head_en, actual, w) = self.parts();
        let deducted = mul(per_defect, actual)?;
        let raw = w
            .checked_sub(deducted)
            .ok_or(ScoringError::Overflow)?
            .max(Decimal::ZERO);
        let s = self.rule.apply(raw);
        Ok((
            raw,
            Name::new(
                format!(
                    "{head_zh}；每项扣 {} 分，得分 = max({w} − {} × {}, 0) = {s}",
                    per_defect.normalize(),
                    per_defect.normalize(),
                    actual.normalize()
                ),
                format!(
                    "{head_en}; {} per defect, score = max({w} − {} × {}, 0) = {s}",
                    per_defect.normalize(),
                    per_defect.normalize(),
                    actual.normalize()
                ),
            ),
        ))
    }
}

/// Scores the reading `r` by a quantitative `method`: the raw score and the reason.
fn computed(ind: &Indicator, method: &Method, r: &Reading, rule: RoundingRule) -> Scored {
    let q = Quantitative::new(r, ind.weight, rule);
    let target = || {
        ind.target
            .ok_or(ScoringError::InvalidTarget { id: ind.id.clone() })
    };
    match method {
        Method::Proportional => q.proportional(target()?),
        Method::LowerIsBetter => q.lower_is_better(target()?),
        Method::Steps { steps } => q.by_steps(steps),
        Method::Deduction { per_defect } => q.by_deduction(*per_defect),
        Method::Qualitative => Ok((Decimal::ZERO, Name::default())),
    }
}
