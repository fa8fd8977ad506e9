//! The fast path: rate products in integer fen, and the parameters of one degree resolved on
//! one date for a whole population.

use bangfu_core::{Money, NaiveDate, Rate, RoundingRule, RoundingStrategy};

use crate::{AidError, Calculator, DegreeCode, StandardUnit, YearToDate};

/// 10^0 ..= 10^30 as i128 (10^30 < 2^101). Evaluated at compile time, so the indexing
/// cannot fail at run time.
#[allow(clippy::indexing_slicing)]
const POW10: [i128; 31] = {
    let mut t = [1i128; 31];
    let mut i = 1;
    while i < t.len() {
        t[i] = t[i - 1] * 10;
        i += 1;
    }
    t
};

/// The largest mantissa a `Decimal` holds exactly (2^96 − 1).
const DECIMAL_MAX: i128 = (1i128 << 96) - 1;

/// `money × rate` rounded by a rule, precomputed: the same result as
/// [`Money::mul_rate`], in integer fen whenever the exact product fits a `Decimal` (every
/// policy amount and rate does), else through `Money::mul_rate` itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct FenRate {
    rate: Rate,
    rule: RoundingRule,
    /// The rate's decimal mantissa; the rate is `mantissa / 10^scale`.
    mantissa: i128,
    /// `10^scale × 10^(2 − places)`: the product in fen × 10^scale divided by this is the
    /// result in steps of `step` fen.
    divisor: i128,
    /// The rounding step in fen, `10^(2 − places)`.
    step: i64,
    /// Whether the integer path applies (scale ≤ 26, places ≤ 2, a known strategy).
    fast: bool,
    /// The mantissa and divisor as u64, when they fit: the common, cheapest path.
    narrow: Option<(u64, u64)>,
}

impl FenRate {
    pub(crate) fn new(rate: Rate, rule: RoundingRule) -> FenRate {
        let d = rate.as_decimal();
        let scale = d.scale();
        let known = matches!(
            rule.strategy,
            RoundingStrategy::HalfUp
                | RoundingStrategy::HalfEven
                | RoundingStrategy::Down
                | RoundingStrategy::Up
        );
        let fast = known && scale <= 26 && rule.places <= 2;
        let up = 2u32.saturating_sub(rule.places);
        let pow = |i: u32| {
            usize::try_from(i)
                .ok()
                .and_then(|i| POW10.get(i))
                .copied()
                .unwrap_or(1)
        };
        let divisor = pow(scale).saturating_mul(pow(up));
        let narrow = match (u64::try_from(d.mantissa()), u64::try_from(divisor)) {
            (Ok(m), Ok(q)) if q != 0 => Some((m, q)),
            _ => None,
        };
        FenRate {
            rate,
            rule,
            mantissa: d.mantissa(),
            divisor,
            step: i64::try_from(pow(up)).unwrap_or(1),
            fast,
            narrow,
        }
    }

    /// `m × rate`, rounded by the rule; exactly [`Money::mul_rate`].
    #[inline]
    pub(crate) fn apply(&self, m: Money) -> Result<Money, AidError> {
        if self.fast
            && let Some(fen) = self.narrow(m.fen()).or_else(|| self.integer(m.fen()))
        {
            return Ok(Money::from_fen(fen)?);
        }
        self.slow(m)
    }

    #[cold]
    #[inline(never)]
    fn slow(&self, m: Money) -> Result<Money, AidError> {
        Ok(m.mul_rate(self.rate, self.rule)?)
    }

    /// The u64 path: money and rates are non-negative, and a product below 2^64 is below
    /// 2^96, so a `Decimal` holds it exactly too.
    #[inline]
    fn narrow(&self, fen: i64) -> Option<i64> {
        let (m, q) = self.narrow?;
        let p = u64::try_from(fen).ok()?.checked_mul(m)?;
        let t = p / q;
        let r = p % q;
        let away = match self.rule.strategy {
            RoundingStrategy::Down => false,
            RoundingStrategy::Up => r != 0,
            RoundingStrategy::HalfUp => r >= q - r,
            RoundingStrategy::HalfEven => r > q - r || (r == q - r && t % 2 != 0),
            _ => return None,
        };
        let t = if away { t + 1 } else { t };
        i64::try_from(t).ok()?.checked_mul(self.step)
    }

    /// The integer path; `None` sends the caller to `Money::mul_rate` (a product too large
    /// for a `Decimal`, or a negative result, which `Money::mul_rate` refuses).
    #[inline]
    fn integer(&self, fen: i64) -> Option<i64> {
        let p = i128::from(fen).checked_mul(self.mantissa)?;
        if p.unsigned_abs() > DECIMAL_MAX.unsigned_abs() {
            return None;
        }
        let q = self.divisor;
        // Division of a u64 is several times cheaper than of an i128 (a library call); the
        // product and the divisor are non-negative (money and rates are).
        let (t, r) = match (u64::try_from(p), u64::try_from(q)) {
            (Ok(p64), Ok(q64)) if q64 != 0 => (i128::from(p64 / q64), i128::from(p64 % q64)),
            _ => (p / q, p % q),
        };
        let away = match self.rule.strategy {
            RoundingStrategy::Down => false,
            RoundingStrategy::Up => r != 0,
            RoundingStrategy::HalfUp => r.unsigned_abs().saturating_mul(2) >= q.unsigned_abs(),
            RoundingStrategy::HalfEven => {
                let twice = r.unsigned_abs().saturating_mul(2);
                twice > q.unsigned_abs() || (twice == q.unsigned_abs() && t % 2 != 0)
            }
            _ => return None,
        };
        let t = if away && r != 0 { t + p.signum() } else { t };
        if t < 0 {
            return None;
        }
        i64::try_from(t).ok()?.checked_mul(self.step)
    }
}

/// The living-aid parameters for one kind of household (severe or not).
#[derive(Debug, Clone, Copy)]
struct LivingOn {
    unit: StandardUnit,
    standard: Option<Money>,
    max_per_time: Option<Money>,
}

/// The yearly living-aid standard's parameters.
#[derive(Debug, Clone, Copy)]
struct YearlyOn {
    standard: Money,
    per_member: bool,
    multiplier: FenRate,
}

/// The parameters of one hardship degree in force on one date, looked up once (按日解析的参数):
/// the fast path for a population. Each method returns the amount the calculator's decision
/// gives for the same inputs ([`Calculator::medical`], [`Calculator::living`]) for a file
/// of that degree that is payable on that date; it checks neither the file's status nor
/// records an explanation. `Copy`, no allocation.
///
/// # Example
/// ```
/// use bangfu_aid::{AmountClaim, Calculator, DegreeCode, Explain, MedicalClaim, YearToDate};
/// use bangfu_core::{Money, NaiveDate};
/// # #[derive(serde::Deserialize)] struct File { aid: bangfu_aid::AidPolicy }
/// # let policy = toml::from_str::<File>(include_str!("../data/hainan-2018.toml"))?.aid;
/// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
/// let calc = Calculator::new(&policy)?;
/// let date = NaiveDate::from_ymd_opt(2018, 5, 2).unwrap();
/// let rules = calc.resolve(&DegreeCode::new("subsistence")?, date)?;
/// let oop = Money::parse_yuan("1000.01")?;
/// let fast = rules.medical(oop, YearToDate::default())?;
/// let full = calc.medical(&file, MedicalClaim { date, out_of_pocket: oop }, YearToDate::default(), Explain::Off)?;
/// assert_eq!(fast, full.amount);
/// let asked = Some(Money::from_yuan(2_000)?);
/// let full = calc.living(&file, AmountClaim { date, requested: asked }, Money::ZERO, Explain::Off)?;
/// assert_eq!(rules.living(false, 3, asked, Money::ZERO)?, full.amount);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Resolved {
    date: NaiveDate,
    medical_rate: FenRate,
    medical_cap: Money,
    /// Ordinary households.
    ordinary: LivingOn,
    /// Severe households.
    severe: LivingOn,
    yearly: Option<YearlyOn>,
}

impl Calculator<'_> {
    /// The parameters of `degree` in force on `date`, looked up once for the fast path.
    ///
    /// # Errors
    /// [`AidError::UnknownDegree`]; [`AidError::NotInForce`] when a medical or living-aid
    /// parameter has no value on `date`.
    pub fn resolve(&self, degree: &DegreeCode, date: NaiveDate) -> Result<Resolved, AidError> {
        let p = self.policy();
        if !p.degrees.contains_key(degree) {
            return Err(AidError::UnknownDegree {
                degree: degree.as_str().to_owned(),
            });
        }
        let m = &p.medical;
        let rate = m.rate.at("aid.medical.rate", date)?.value;
        let rounding = m.rounding.at("aid.medical.rounding", date)?.value;
        let medical_cap = m.yearly_cap.at("aid.medical.yearly_cap", date)?.value;
        m.cap_scope.at("aid.medical.cap_scope", date)?;
        let l = &p.living;
        let unit = l.standard_unit.at("aid.living.standard_unit", date)?.value;
        let living_rounding = l.rounding.at("aid.living.rounding", date)?.value;
        let living = |severe: bool| -> Result<LivingOn, AidError> {
            Ok(LivingOn {
                unit,
                standard: l
                    .standard
                    .lookup("aid.living.standard", degree, severe, date)?
                    .map(|(_, d)| d.value),
                max_per_time: l
                    .max_per_time
                    .lookup("aid.living.max_per_time", degree, severe, date)?
                    .map(|(_, d)| d.value),
            })
        };
        let yearly = match &l.yearly_cap {
            None => None,
            Some(y) => Some(YearlyOn {
                standard: y
                    .minimum_living_standard
                    .at("aid.living.yearly_cap.minimum_living_standard", date)?
                    .value,
                per_member: y
                    .per_member
                    .at("aid.living.yearly_cap.per_member", date)?
                    .value,
                multiplier: FenRate::new(
                    y.multiplier
                        .at("aid.living.yearly_cap.multiplier", date)?
                        .value,
                    living_rounding,
                ),
            }),
        };
        Ok(Resolved {
            date,
            medical_rate: FenRate::new(rate, rounding),
            medical_cap,
            ordinary: living(false)?,
            severe: living(true)?,
            yearly,
        })
    }
}

impl Resolved {
    /// The date the parameters are in force on.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// Medical aid for one claim: the amount of [`Calculator::medical`].
    ///
    /// # Errors
    /// [`AidError::Overflow`].
    #[inline]
    pub fn medical(&self, out_of_pocket: Money, so_far: YearToDate) -> Result<Money, AidError> {
        let total = so_far.cost.checked_add(out_of_pocket)?;
        let raw = self.medical_rate.apply(total)?;
        let entitled = raw.min(self.medical_cap).min(total);
        Ok(if so_far.paid >= self.medical_cap {
            Money::ZERO
        } else {
            entitled.saturating_sub(so_far.paid)
        })
    }

    /// Living aid for one payment: the amount of [`Calculator::living`] for a household
    /// that is `severe` or not, of `household_size` members.
    ///
    /// # Errors
    /// [`AidError::ZeroHouseholdSize`], [`AidError::AmountRequired`] (no amount asked and
    /// no standard), [`AidError::Overflow`].
    #[inline]
    pub fn living(
        &self,
        severe: bool,
        household_size: u32,
        requested: Option<Money>,
        paid_this_year: Money,
    ) -> Result<Money, AidError> {
        if household_size == 0 {
            return Err(AidError::ZeroHouseholdSize);
        }
        let l = if severe { &self.severe } else { &self.ordinary };
        let ask = match requested {
            Some(r) => r,
            None => {
                let std = l.standard.ok_or(AidError::AmountRequired {
                    parameter: "aid.living.standard",
                })?;
                let n = match l.unit {
                    StandardUnit::Household => 1,
                    StandardUnit::Member => household_size,
                };
                std.checked_mul_int(n)?
            }
        };
        let mut amount = match l.max_per_time {
            Some(max) => ask.min(max),
            None => ask,
        };
        if let Some(y) = &self.yearly {
            let size = if y.per_member { household_size } else { 1 };
            let cap = y.multiplier.apply(y.standard.checked_mul_int(size)?)?;
            let left = cap.saturating_sub(paid_this_year);
            if left.is_zero() {
                amount = Money::ZERO;
            } else if left < amount {
                amount = left;
            }
        }
        Ok(amount)
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]

    use super::*;
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    fn strategy() -> impl Strategy<Value = RoundingStrategy> {
        prop_oneof![
            Just(RoundingStrategy::HalfUp),
            Just(RoundingStrategy::HalfEven),
            Just(RoundingStrategy::Down),
            Just(RoundingStrategy::Up),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        // The integer path is exactly `Money::mul_rate`, errors included.
        #[test]
        fn fen_rate_is_mul_rate(
            fen in prop_oneof![0i64..=10_000_000, 0i64..=i64::MAX],
            mantissa in prop_oneof![0i64..=2_000, 0i64..=i64::MAX],
            scale in 0u32..=28,
            places in 0u32..=4,
            s in strategy(),
        ) {
            let Ok(rate) = Rate::from_decimal(Decimal::new(mantissa, scale)) else {
                return Ok(());
            };
            let m = Money::from_fen(fen).unwrap();
            let rule = RoundingRule::new(s, places);
            let expected = m.mul_rate(rate, rule).map_err(AidError::from);
            prop_assert_eq!(FenRate::new(rate, rule).apply(m), expected);
        }
    }

    #[test]
    fn half_fen_rounds_by_the_rule() {
        let half = Rate::parse("0.5").unwrap();
        let m = Money::from_fen(100_001).unwrap(); // 1000.01 × 0.5 = 500.005
        let r = |s| {
            FenRate::new(half, RoundingRule::new(s, 2))
                .apply(m)
                .unwrap()
                .fen()
        };
        assert_eq!(r(RoundingStrategy::HalfUp), 50_001);
        assert_eq!(r(RoundingStrategy::HalfEven), 50_000);
        assert_eq!(r(RoundingStrategy::Down), 50_000);
        assert_eq!(r(RoundingStrategy::Up), 50_001);
        let whole = FenRate::new(half, RoundingRule::new(RoundingStrategy::HalfUp, 0));
        assert_eq!(whole.apply(m).unwrap().fen(), 50_000); // 500.005 → 500
    }
}
