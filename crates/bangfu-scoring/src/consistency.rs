//! Consistency findings: where the figures a report states and the computed ones disagree.

use bangfu_core::{Labelled, Money, Rate, RoundingRule, RoundingStrategy};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::{FactKey, Facts, Name, ScoringError, ScoringPolicy};

/// What a report states (报告所述数据), to be checked against the computed figures. Each
/// figure is optional: only stated figures are checked.
///
/// # Example
/// ```
/// use bangfu_core::{Money, Rate};
/// let stated = bangfu_scoring::StatedFigures {
///     arrival_rate: Some(Rate::parse("1")?),
///     average_living_aid_per_household: Some(Money::from_yuan(5000)?),
///     ..Default::default()
/// };
/// assert!(stated.sample_ratio.is_none());
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatedFigures {
    /// Stated arrival rate (资金到位率), e.g. 100 %.
    #[serde(default)]
    pub arrival_rate: Option<Rate>,
    /// Stated home-visit ratio (走访比例), e.g. 10 %.
    #[serde(default)]
    pub sample_ratio: Option<Rate>,
    /// Stated satisfaction (满意率), e.g. 98 %.
    #[serde(default)]
    pub satisfaction_rate: Option<Rate>,
    /// Stated average living aid per household per year (户均生活救助), e.g. "近5000元".
    #[serde(default)]
    pub average_living_aid_per_household: Option<Money>,
}

/// The tolerances of the check, from the policy.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tolerances {
    /// Absolute tolerance on rates (as a ratio).
    pub rate: Rate,
    /// Relative tolerance on amounts.
    pub money: Rate,
    /// Rounding of computed averages.
    pub average_rounding: RoundingRule,
}

impl Tolerances {
    /// The tolerances in force on `date`.
    ///
    /// # Errors
    /// [`ScoringError::Core`] when a parameter has no value in force.
    pub fn from_policy(
        policy: &ScoringPolicy,
        date: NaiveDate,
    ) -> Result<Tolerances, ScoringError> {
        let c = &policy.consistency;
        Ok(Tolerances {
            rate: c
                .rate_tolerance
                .at("scoring.consistency.rate_tolerance", date)?
                .value,
            money: c
                .money_tolerance
                .at("scoring.consistency.money_tolerance", date)?
                .value,
            average_rounding: c
                .average_rounding
                .at("scoring.consistency.average_rounding", date)?
                .value,
        })
    }
}

bangfu_core::coded_enum! {
    /// Which stated figure a finding is about (核对项).
    ///
    /// ```
    /// assert_eq!(bangfu_scoring::FindingCode::ArrivalRate.code(), "finding.arrival_rate");
    /// ```
    #[non_exhaustive]
    pub enum FindingCode {
        /// The arrival rate.
        ArrivalRate = ("finding.arrival_rate", "资金到位率", "arrival rate"),
        /// The home-visit ratio.
        SampleRatio = ("finding.sample_ratio", "入户走访比例", "home-visit ratio"),
        /// Satisfaction.
        SatisfactionRate = ("finding.satisfaction_rate", "满意率", "satisfaction"),
        /// Average living aid per household.
        AverageLivingAid = ("finding.average_living_aid", "户均生活救助", "average living aid per household"),
    }
}

bangfu_core::coded_enum! {
    /// How a stated figure departs from the computed one (差异类型).
    ///
    /// ```
    /// use bangfu_core::Labelled;
    /// assert_eq!(bangfu_scoring::FindingKind::Rounded.zh(), "四舍五入所致");
    /// ```
    pub enum FindingKind {
        /// The stated figure is the computed one capped at 100 %.
        Capped = ("capped", "按100%封顶", "capped at 100 %"),
        /// The stated figure is the computed one rounded to the stated precision.
        Rounded = ("rounded", "四舍五入所致", "rounded"),
        /// The stated figure cannot be reconciled.
        Mismatch = ("mismatch", "无法核对一致", "does not reconcile"),
    }
}

/// One finding (核对发现): the stated and computed figures and what the difference is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Finding {
    /// Which figure.
    pub code: FindingCode,
    /// What kind of difference.
    pub kind: FindingKind,
    /// The stated value (a ratio, or yuan).
    pub stated: Decimal,
    /// The computed value (a ratio, or yuan).
    pub computed: Decimal,
    /// The stated value for display.
    pub stated_display: String,
    /// The computed value for display.
    pub computed_display: String,
    /// The finding in words.
    pub text: Name,
}

impl bangfu_core::Coded for Finding {
    fn code(&self) -> &'static str {
        self.code.code()
    }
}

/// A ratio in percent, or `None` when ×100 would overflow (absurd caller input).
fn percent(r: Decimal) -> Option<Decimal> {
    r.checked_mul(Decimal::ONE_HUNDRED).map(|p| p.normalize())
}

fn pct(r: Decimal) -> String {
    match percent(r) {
        Some(p) => {
            let mut v = RoundingRule::new(RoundingStrategy::HalfUp, 2).apply(p);
            v.rescale(2);
            format!("{v} %")
        }
        None => r.to_string(),
    }
}

fn rate_kind(stated: Decimal, computed: Decimal) -> FindingKind {
    if stated == Decimal::ONE && computed > Decimal::ONE {
        return FindingKind::Capped;
    }
    let (Some(s), Some(c)) = (percent(stated), percent(computed)) else {
        return FindingKind::Mismatch;
    };
    // Rounded to the stated percent's own precision (98 % → 0 places, 97.5 % → 1).
    let rounded = RoundingRule::new(RoundingStrategy::HalfUp, s.scale()).apply(c);
    if rounded == s {
        FindingKind::Rounded
    } else {
        FindingKind::Mismatch
    }
}

fn abs_diff(a: Decimal, b: Decimal) -> Decimal {
    // Both are non-negative, so the difference cannot overflow.
    if a > b { a - b } else { b - a }
}

/// Compares what a report states with the computed figures, and lists every difference
/// beyond the tolerances: arrival rate (received ÷ budget), home-visit ratio (visited ÷
/// active households), satisfaction (satisfied ÷ surveyed), average living aid (living aid
/// spent ÷ active households).
///
/// # Errors
/// [`ScoringError::ZeroDenominator`] when a stated figure's computed counterpart has a zero
/// denominator; [`ScoringError::Core`] on overflow.
///
/// # Example
/// ```
/// use bangfu_core::{Money, Rate, RoundingRule, RoundingStrategy};
/// use bangfu_scoring::{check_consistency, Facts, FindingKind, StatedFigures, Tolerances};
/// let mut facts = Facts::default();
/// facts.budget = Money::parse_wan("1100")?;
/// facts.received = Money::parse_wan("1125.074864")?;
/// let stated = StatedFigures { arrival_rate: Some(Rate::parse("1")?), ..Default::default() };
/// let tol = Tolerances { rate: Rate::parse("0.001")?, money: Rate::parse("0.1")?, average_rounding: RoundingRule::new(RoundingStrategy::HalfUp, 2) };
/// let findings = check_consistency(&facts, &stated, &tol)?;
/// assert_eq!(findings[0].computed_display, "102.28 %");
/// assert_eq!(findings[0].kind, FindingKind::Capped);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_consistency(
    facts: &Facts,
    stated: &StatedFigures,
    tolerances: &Tolerances,
) -> Result<Vec<Finding>, ScoringError> {
    let mut findings = Vec::new();
    let rate_checks = [
        (
            FindingCode::ArrivalRate,
            stated.arrival_rate,
            FactKey::ArrivalRate,
        ),
        (
            FindingCode::SampleRatio,
            stated.sample_ratio,
            FactKey::SampleRate,
        ),
        (
            FindingCode::SatisfactionRate,
            stated.satisfaction_rate,
            FactKey::SatisfactionRate,
        ),
    ];
    for (code, stated_rate, key) in rate_checks {
        let Some(s) = stated_rate else { continue };
        let reading = facts.read(key)?;
        let (s, c) = (s.as_decimal(), reading.value);
        if abs_diff(s, c) <= tolerances.rate.as_decimal() {
            continue;
        }
        let kind = rate_kind(s, c);
        let (sd, cd) = (pct(s), pct(c));
        let (zh_kind, en_kind) = match kind {
            FindingKind::Capped => (
                "所报数值为按100 %封顶的结果",
                "the stated figure is the computed one capped at 100 %",
            ),
            FindingKind::Rounded => (
                "所报数值为计算值四舍五入的结果，并非精确比率",
                "the stated figure is the computed one rounded, not an exact ratio",
            ),
            _ => ("二者无法核对一致", "the two cannot be reconciled"),
        };
        findings.push(Finding {
            code,
            kind,
            stated: s,
            computed: c,
            text: Name::new(
                format!(
                    "报告所述{}为{sd}，按{}计算为{cd}；{zh_kind}。",
                    code.zh(),
                    reading.zh,
                ),
                format!(
                    "the report states {} {sd}; computed as {} it is {cd}: {en_kind}",
                    code.en(),
                    reading.en
                ),
            ),
            stated_display: sd,
            computed_display: cd,
        });
    }
    if let Some(s) = stated.average_living_aid_per_household {
        // Per filed household: temporary aid, to workers who are not filed, is not counted.
        let living = facts.filed_living_aid()?;
        let n = facts.households_active.count;
        if n == 0 {
            return Err(ScoringError::InconsistentFacts {
                field: "households_active = 0 with a stated average",
            });
        }
        let avg = tolerances.average_rounding.apply(
            living
                .to_decimal_yuan()
                .checked_div(Decimal::from(n))
                .ok_or(ScoringError::Overflow)?,
        );
        let avg_money = Money::from_decimal_yuan(avg)?;
        let sv = s.to_decimal_yuan();
        let relative = if sv.is_zero() {
            Decimal::ONE
        } else {
            abs_diff(avg, sv)
                .checked_div(sv)
                .ok_or(ScoringError::Overflow)?
        };
        if relative > tolerances.money.as_decimal() {
            let rel = pct(relative);
            let temporary = facts.temporary_aid.spent;
            let (zh_apart, en_apart) = if temporary.is_zero() {
                (String::new(), String::new())
            } else {
                (
                    format!("（不含临时救助{temporary}元）"),
                    format!(" (temporary aid of {temporary} yuan apart)"),
                )
            };
            findings.push(Finding {
                code: FindingCode::AverageLivingAid,
                kind: FindingKind::Mismatch,
                stated: sv,
                computed: avg,
                stated_display: format!("{s}"),
                computed_display: format!("{avg_money}"),
                text: Name::new(
                    format!(
                        "报告所述户均生活救助约{s}元，按生活救助支出{living}元{zh_apart} ÷ 在档{n}户计算为{avg_money}元，相差{rel}；二者无法核对一致（分母或口径不同）。"
                    ),
                    format!(
                        "the report states average living aid of about {s} yuan per household; living aid spent {living} yuan{en_apart} ÷ {n} active households is {avg_money} yuan, {rel} apart: the two cannot be reconciled (another denominator or scope)"
                    ),
                ),
            });
        }
    }
    Ok(findings)
}
