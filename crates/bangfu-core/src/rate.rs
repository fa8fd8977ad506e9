//! Exact rates and percentages, and named rounding rules.

use core::fmt;
use core::str::FromStr;

use rust_decimal::Decimal;

use crate::{CoreError, Money};

/// How a value is rounded (舍入方式). Every strategy is named; nothing rounds by default.
///
/// Worked values at 0 places: 2.5 → HalfUp 3, HalfEven 2, Down 2, Up 3; 2.4 → 2, 2, 2, 3.
///
/// # Example
/// ```
/// use bangfu_core::{RoundingRule, RoundingStrategy};
/// use rust_decimal::Decimal;
/// let v = Decimal::new(25, 1);
/// assert_eq!(RoundingRule::new(RoundingStrategy::HalfUp, 0).apply(v), Decimal::from(3));
/// assert_eq!(RoundingRule::new(RoundingStrategy::HalfEven, 0).apply(v), Decimal::from(2));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RoundingStrategy {
    /// Half away from zero (四舍五入): 2.5 → 3, 2.4 → 2.
    HalfUp,
    /// Half to even (银行家舍入): 2.5 → 2, 3.5 → 4.
    HalfEven,
    /// Toward zero (舍去): 2.9 → 2.
    Down,
    /// Away from zero (进一): 2.1 → 3.
    Up,
}

impl RoundingStrategy {
    fn to_decimal(self) -> rust_decimal::RoundingStrategy {
        match self {
            RoundingStrategy::HalfUp => rust_decimal::RoundingStrategy::MidpointAwayFromZero,
            RoundingStrategy::HalfEven => rust_decimal::RoundingStrategy::MidpointNearestEven,
            RoundingStrategy::Down => rust_decimal::RoundingStrategy::ToZero,
            RoundingStrategy::Up => rust_decimal::RoundingStrategy::AwayFromZero,
        }
    }
}

/// A named rounding rule: a strategy and a number of decimal places.
///
/// For money the places count decimals of a yuan (2 = to the fen, 0 = to the yuan); for a
/// percentage they count decimals of the percent.
///
/// # Example
/// ```
/// use bangfu_core::{RoundingRule, RoundingStrategy};
/// use rust_decimal::Decimal;
/// let rule = RoundingRule::new(RoundingStrategy::HalfUp, 2);
/// assert_eq!(rule.apply(Decimal::new(96_329_96, 5)).to_string(), "96.33");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct RoundingRule {
    /// The strategy.
    pub strategy: RoundingStrategy,
    /// Decimal places kept.
    pub places: u32,
}

impl RoundingRule {
    /// A rule.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{RoundingRule, RoundingStrategy};
    /// let to_fen = RoundingRule::new(RoundingStrategy::HalfUp, 2);
    /// assert_eq!(to_fen.places, 2);
    /// ```
    pub const fn new(strategy: RoundingStrategy, places: u32) -> RoundingRule {
        RoundingRule { strategy, places }
    }

    /// Rounds `value` by this rule.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{RoundingRule, RoundingStrategy};
    /// use rust_decimal::Decimal;
    /// let down = RoundingRule::new(RoundingStrategy::Down, 1);
    /// assert_eq!(down.apply(Decimal::new(129, 2)).to_string(), "1.2");
    /// ```
    pub fn apply(self, value: Decimal) -> Decimal {
        value.round_dp_with_strategy(self.places, self.strategy.to_decimal())
    }
}

impl fmt::Display for RoundingRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = match self.strategy {
            RoundingStrategy::HalfUp => "half_up",
            RoundingStrategy::HalfEven => "half_even",
            RoundingStrategy::Down => "down",
            RoundingStrategy::Up => "up",
        };
        write!(f, "{name}@{}", self.places)
    }
}

/// An exact non-negative rate or ratio (比率): `0.5` is fifty percent.
///
/// Parsed from decimal text; ratios of money are exact decimals (28 significant digits).
/// Serde reads and writes the decimal as a string.
///
/// # Example
/// ```
/// use bangfu_core::{Money, Rate};
/// let spent = Money::parse_wan("1083.784139")?;
/// let received = Money::parse_wan("1125.074864")?;
/// let execution = Rate::ratio(spent, received)?;
/// assert_eq!(execution.percent_display(2).to_string(), "96.33 %");
/// assert!(Rate::parse("-0.1").is_err());
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Rate(Decimal);

impl Rate {
    /// Zero.
    pub const ZERO: Rate = Rate(Decimal::ZERO);
    /// One (100 %).
    pub const ONE: Rate = Rate(Decimal::ONE);
    /// The largest rate, 10^20: above every ratio of two amounts of money (at most about
    /// 9.2 × 10^18), and small enough that its percentage is exact.
    pub const MAX: Rate = Rate(Decimal::from_parts(0x6310_0000, 0x6BC7_5E2D, 0x5, false, 0));

    /// Parses decimal text such as `"0.5"`.
    ///
    /// # Errors
    /// [`CoreError::RateParse`] for malformed or negative text, or a rate above [`Rate::MAX`].
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Rate;
    /// assert_eq!(Rate::parse("0.50")?, Rate::parse("0.5")?);
    /// assert!(Rate::parse("half").is_err());
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn parse(s: &str) -> Result<Rate, CoreError> {
        let bad = || CoreError::RateParse {
            input: s.to_owned(),
        };
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
            return Err(bad());
        }
        let d = Decimal::from_str(s).map_err(|_| bad())?;
        Rate::from_decimal(d).map_err(|_| bad())
    }

    /// A rate from a decimal.
    ///
    /// # Errors
    /// [`CoreError::RateParse`] for a negative value.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Rate;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Rate::from_decimal(Decimal::new(5, 1))?, Rate::parse("0.5")?);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn from_decimal(d: Decimal) -> Result<Rate, CoreError> {
        // Above `MAX` a percentage would overflow the decimal (found by fuzzing).
        if d.is_sign_negative() && !d.is_zero() || d > Rate::MAX.0 {
            return Err(CoreError::RateParse {
                input: d.to_string(),
            });
        }
        Ok(Rate(d.normalize()))
    }

    /// The exact ratio `numerator ÷ denominator`.
    ///
    /// # Errors
    /// [`CoreError::DivisionByZero`] when the denominator is zero.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Money, Rate};
    /// let r = Rate::ratio(Money::from_yuan(80)?, Money::from_yuan(82)?)?;
    /// assert_eq!(r.percent_display(2).to_string(), "97.56 %");
    /// assert!(Rate::ratio(Money::ZERO, Money::ZERO).is_err());
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn ratio(numerator: Money, denominator: Money) -> Result<Rate, CoreError> {
        Rate::ratio_of_ints(numerator.fen(), denominator.fen())
    }

    /// The exact ratio of two counts, such as 80 satisfied of 82 surveyed.
    ///
    /// # Errors
    /// [`CoreError::DivisionByZero`], or [`CoreError::RateParse`] for a negative ratio.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Rate;
    /// assert_eq!(Rate::ratio_of_ints(82, 966)?.percent_display(2).to_string(), "8.49 %");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn ratio_of_ints(numerator: i64, denominator: i64) -> Result<Rate, CoreError> {
        if denominator == 0 {
            return Err(CoreError::DivisionByZero);
        }
        let d = Decimal::from(numerator)
            .checked_div(Decimal::from(denominator))
            .ok_or(CoreError::DivisionByZero)?;
        Rate::from_decimal(d)
    }

    /// The decimal value (`0.5` for fifty percent).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Rate;
    /// assert_eq!(Rate::parse("0.5")?.as_decimal().to_string(), "0.5");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn as_decimal(self) -> Decimal {
        self.0
    }

    /// The value in percent, unrounded (`50` for `0.5`).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Rate;
    /// assert_eq!(Rate::parse("0.125")?.percent().to_string(), "12.5");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn percent(self) -> Decimal {
        self.hundredfold().normalize()
    }

    /// `self × 100`: exact, as a rate is at most [`Rate::MAX`].
    fn hundredfold(self) -> Decimal {
        self.0
            .checked_mul(Decimal::ONE_HUNDRED)
            .unwrap_or(Decimal::MAX)
    }

    /// The smaller of `self` and `cap` (for "capped at 100 %").
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Rate;
    /// assert_eq!(Rate::parse("1.0228")?.min(Rate::ONE), Rate::ONE);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn min(self, cap: Rate) -> Rate {
        if self.0 > cap.0 { cap } else { self }
    }

    /// The percentage rounded half up to `places` decimals, for display: `96.33 %`.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Rate;
    /// assert_eq!(Rate::parse("1")?.percent_display(2).to_string(), "100.00 %");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn percent_display(self, places: u32) -> Percent {
        self.percent_rounded(crate::RoundingRule::new(
            crate::RoundingStrategy::HalfUp,
            places,
        ))
    }

    /// The percentage rounded by `rule`.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Rate, RoundingRule, RoundingStrategy};
    /// let r = Rate::parse("0.97561")?;
    /// let down = RoundingRule::new(RoundingStrategy::Down, 0);
    /// assert_eq!(r.percent_rounded(down).to_string(), "97 %");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn percent_rounded(self, rule: crate::RoundingRule) -> Percent {
        let mut v = rule.apply(self.hundredfold());
        v.rescale(rule.places);
        Percent(v)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl FromStr for Rate {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Rate::parse(s)
    }
}

impl serde::Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Rate {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str> as serde::Deserialize>::deserialize(deserializer)?;
        Rate::parse(&s).map_err(|e| crate::read::refuse(&e, &s))
    }
}

/// A percentage already rounded for display, shown as `96.33 %`. Serialized as the number
/// string without the sign (`"96.33"`).
///
/// # Example
/// ```
/// use bangfu_core::Rate;
/// let p = Rate::parse("0.9633")?.percent_display(1);
/// assert_eq!(p.to_string(), "96.3 %");
/// assert_eq!(p.value().to_string(), "96.3");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(Decimal);

impl Percent {
    /// The rounded number of percent.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Rate;
    /// assert_eq!(Rate::ONE.percent_display(0).value().to_string(), "100");
    /// ```
    pub const fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} %", self.0)
    }
}

impl serde::Serialize for Percent {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::RoundingStrategy as S;

    #[test]
    fn worked_rounding_values() {
        let cases = [
            ("2.5", [3, 2, 2, 3]),
            ("2.4", [2, 2, 2, 3]),
            ("3.5", [4, 4, 3, 4]),
            ("2.0", [2, 2, 2, 2]),
        ];
        for (v, expected) in cases {
            let v = Decimal::from_str(v).unwrap();
            for (s, e) in [S::HalfUp, S::HalfEven, S::Down, S::Up]
                .into_iter()
                .zip(expected)
            {
                assert_eq!(
                    RoundingRule::new(s, 0).apply(v),
                    Decimal::from(e),
                    "{v} {s:?}"
                );
            }
        }
    }

    #[test]
    fn rates_of_the_seed() {
        let m = |s| Money::parse_wan(s).unwrap();
        let arrival = Rate::ratio(m("1125.074864"), m("1100")).unwrap();
        assert_eq!(arrival.percent_display(2).to_string(), "102.28 %");
        assert_eq!(
            arrival.min(Rate::ONE).percent_display(0).to_string(),
            "100 %"
        );
    }

    #[test]
    fn rate_serde_is_a_string() {
        let r = Rate::parse("0.5").unwrap();
        assert_eq!(serde_json::to_string(&r).unwrap(), "\"0.5\"");
        assert_eq!(serde_json::from_str::<Rate>("\"0.5\"").unwrap(), r);
        assert!(serde_json::from_str::<Rate>("\"-0.5\"").is_err());
    }

    #[test]
    fn rates_are_bounded_so_percentages_never_overflow() {
        assert_eq!(Rate::MAX.0.to_string(), "100000000000000000000");
        assert!(Rate::parse("100000000000000000000").is_ok());
        assert!(Rate::parse("100000000000000000001").is_err());
        // Found by fuzzing: this was accepted and its percentage panicked.
        assert!(Rate::parse("790000000000000000000000000").is_err());
        let max = Rate::MAX;
        assert_eq!(max.percent().to_string(), "10000000000000000000000");
        assert_eq!(
            max.percent_display(2).to_string(),
            "10000000000000000000000.00 %"
        );
    }
}
