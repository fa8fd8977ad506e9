//! Exact money: integer fen (分) inside, yuan (元) and 万元 at the edges.

use core::fmt;
use core::str::FromStr;

use rust_decimal::Decimal;

use crate::{CoreError, MoneyParseProblem, Rate, RoundingRule};

/// Fen in one yuan.
const FEN_PER_YUAN: i64 = 100;
/// Fen in one 万元 (ten thousand yuan).
const FEN_PER_WAN: i64 = 1_000_000;

/// An amount of money (金额), exact to the fen (分, 0.01 yuan), never negative.
///
/// Inside it is a count of fen in an `i64`, so every amount up to about 92 trillion yuan is
/// exact. There is no `Add` or `Mul`: arithmetic is checked and returns
/// [`CoreError::Overflow`] or [`CoreError::Negative`] instead of wrapping or panicking.
///
/// Text forms: yuan with at most two decimals (`"11250748.64"`) and 万元 with at most six
/// (`"1125.074864"`). Serde writes and reads the yuan string, losslessly.
///
/// # Example
/// ```
/// use bangfu_core::Money;
/// let central = Money::parse_wan("271.1267")?;
/// let acftu = Money::parse_yuan("320000")?;
/// let both = central.checked_add(acftu)?;
/// assert_eq!(both.to_string(), "3031267.00");
/// assert_eq!(both.wan().to_string(), "303.1267");
/// assert!(Money::parse_yuan("-1").is_err());
/// assert_eq!(format!("{both:?}"), "Money(3031267.00)");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Money(i64);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(0);
    /// The largest amount.
    pub const MAX: Money = Money(i64::MAX);

    /// An amount from a count of fen.
    ///
    /// # Errors
    /// [`CoreError::Negative`] when `fen < 0`.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// assert_eq!(Money::from_fen(150)?.to_string(), "1.50");
    /// assert!(Money::from_fen(-1).is_err());
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn from_fen(fen: i64) -> Result<Money, CoreError> {
        if fen < 0 {
            Err(CoreError::Negative)
        } else {
            Ok(Money(fen))
        }
    }

    /// An amount of whole yuan.
    ///
    /// # Errors
    /// [`CoreError::Negative`] or [`CoreError::Overflow`].
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// assert_eq!(Money::from_yuan(800)?.fen(), 80_000);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn from_yuan(yuan: i64) -> Result<Money, CoreError> {
        match yuan.checked_mul(FEN_PER_YUAN) {
            Some(fen) => Money::from_fen(fen),
            None => Err(CoreError::Overflow { operation: "mul" }),
        }
    }

    /// The amount in fen.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// assert_eq!(Money::parse_yuan("0.07")?.fen(), 7);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Whether the amount is zero.
    ///
    /// # Example
    /// ```
    /// assert!(bangfu_core::Money::ZERO.is_zero());
    /// ```
    pub const fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// Parses yuan (元) with at most two decimals: `"11250748.64"`, `"800"`, `"0.5"`.
    ///
    /// No sign, no grouping separators, no spaces, no exponent, no leading zeros (`"0005"`);
    /// a decimal point needs digits on both sides.
    ///
    /// # Errors
    /// [`CoreError::MoneyParse`] with the problem: malformed, too precise, negative, overflow.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// assert_eq!(Money::parse_yuan("15000")?.fen(), 1_500_000);
    /// assert!(Money::parse_yuan("1.001").is_err());
    /// assert!(Money::parse_yuan("1,000").is_err());
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn parse_yuan(s: &str) -> Result<Money, CoreError> {
        parse_scaled(s, 2, FEN_PER_YUAN)
    }

    /// Parses 万元 (ten thousand yuan) with at most six decimals: `"1125.074864"`.
    ///
    /// # Errors
    /// As [`Money::parse_yuan`], with six decimals allowed.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// assert_eq!(Money::parse_wan("5.4098")?, Money::parse_yuan("54098")?);
    /// assert!(Money::parse_wan("1.0000001").is_err());
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn parse_wan(s: &str) -> Result<Money, CoreError> {
        parse_scaled(s, 6, FEN_PER_WAN)
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`CoreError::Overflow`].
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// assert!(Money::MAX.checked_add(Money::from_fen(1)?).is_err());
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn checked_add(self, other: Money) -> Result<Money, CoreError> {
        match self.0.checked_add(other.0) {
            Some(v) => Ok(Money(v)),
            None => Err(CoreError::Overflow { operation: "add" }),
        }
    }

    /// `self − other`.
    ///
    /// # Errors
    /// [`CoreError::Negative`] when `other > self`.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// let a = Money::from_yuan(5)?;
    /// assert_eq!(a.checked_sub(Money::from_yuan(2)?)?, Money::from_yuan(3)?);
    /// assert!(Money::ZERO.checked_sub(a).is_err());
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn checked_sub(self, other: Money) -> Result<Money, CoreError> {
        if other.0 > self.0 {
            Err(CoreError::Negative)
        } else {
            Ok(Money(self.0 - other.0))
        }
    }

    /// `self − other`, or zero when `other ≥ self`.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// assert_eq!(Money::from_yuan(2)?.saturating_sub(Money::from_yuan(5)?), Money::ZERO);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn saturating_sub(self, other: Money) -> Money {
        if other.0 > self.0 {
            Money::ZERO
        } else {
            Money(self.0 - other.0)
        }
    }

    /// `self × n`.
    ///
    /// # Errors
    /// [`CoreError::Overflow`].
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// assert_eq!(Money::from_yuan(600)?.checked_mul_int(12)?, Money::from_yuan(7200)?);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn checked_mul_int(self, n: u32) -> Result<Money, CoreError> {
        match self.0.checked_mul(n as i64) {
            Some(v) => Ok(Money(v)),
            None => Err(CoreError::Overflow { operation: "mul" }),
        }
    }

    /// `self × rate`, rounded by `rounding` (its places count decimals of a yuan, so 2 is to
    /// the fen and 0 to the yuan).
    ///
    /// # Errors
    /// [`CoreError::Overflow`].
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Money, Rate, RoundingRule, RoundingStrategy};
    /// let half = Rate::parse("0.5")?;
    /// let odd = Money::parse_yuan("0.01")?;
    /// let up = RoundingRule::new(RoundingStrategy::HalfUp, 2);
    /// let down = RoundingRule::new(RoundingStrategy::Down, 2);
    /// assert_eq!(odd.mul_rate(half, up)?.fen(), 1);
    /// assert_eq!(odd.mul_rate(half, down)?.fen(), 0);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn mul_rate(self, rate: Rate, rounding: RoundingRule) -> Result<Money, CoreError> {
        let yuan = Decimal::new(self.0, 2);
        let product = yuan
            .checked_mul(rate.as_decimal())
            .ok_or(CoreError::Overflow { operation: "mul" })?;
        Money::from_decimal_yuan(rounding.apply(product))
    }

    /// An amount from a decimal number of yuan, which must already be whole fen.
    ///
    /// # Errors
    /// [`CoreError::MoneyParse`] when the value is negative, has more than two decimals or
    /// does not fit.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// use rust_decimal::Decimal;
    /// assert_eq!(Money::from_decimal_yuan(Decimal::new(1234, 2))?.fen(), 1234);
    /// assert!(Money::from_decimal_yuan(Decimal::new(1234, 3)).is_err());
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn from_decimal_yuan(value: Decimal) -> Result<Money, CoreError> {
        let problem = |p| CoreError::MoneyParse {
            input: value.to_string(),
            problem: p,
        };
        if value.is_sign_negative() && !value.is_zero() {
            return Err(problem(MoneyParseProblem::Negative));
        }
        let fen = value
            .checked_mul(Decimal::ONE_HUNDRED)
            .ok_or_else(|| problem(MoneyParseProblem::Overflow))?;
        if !fen.fract().is_zero() {
            return Err(problem(MoneyParseProblem::TooPrecise));
        }
        let fen = i64::try_from(fen.trunc()).map_err(|_| problem(MoneyParseProblem::Overflow))?;
        Ok(Money(fen))
    }

    /// The amount as a decimal number of yuan (exact).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// assert_eq!(Money::parse_yuan("12.30")?.to_decimal_yuan().to_string(), "12.30");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn to_decimal_yuan(self) -> Decimal {
        Decimal::new(self.0, 2)
    }

    /// Sums amounts.
    ///
    /// # Errors
    /// [`CoreError::Overflow`].
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// let parts = ["576.2913", "3.50884", "5.4098", "1.482551", "4.837973"];
    /// let parts: Vec<Money> = parts.iter().map(|s| Money::parse_wan(s)).collect::<Result<_, _>>()?;
    /// assert_eq!(Money::sum(parts)?.wan().to_string(), "591.530464");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn sum<I: IntoIterator<Item = Money>>(items: I) -> Result<Money, CoreError> {
        items
            .into_iter()
            .try_fold(Money::ZERO, |acc, m| acc.checked_add(m))
    }

    /// The 万元 form, written the way the seed writes it: no trailing zeros
    /// (`32`, `1.2`, `1125.074864`).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// assert_eq!(Money::parse_yuan("320000")?.wan().to_string(), "32");
    /// assert_eq!(Money::parse_yuan("12000")?.wan().to_string(), "1.2");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn wan(self) -> Wan {
        Wan(self)
    }
}

fn parse_scaled(s: &str, max_decimals: usize, fen_per_unit: i64) -> Result<Money, CoreError> {
    let fail = |problem| CoreError::MoneyParse {
        input: s.to_owned(),
        problem,
    };
    if s.starts_with('-') {
        return Err(fail(MoneyParseProblem::Negative));
    }
    let (int_part, frac_part) = match s.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int_part) || frac_part.is_some_and(|f| !all_digits(f)) {
        return Err(fail(MoneyParseProblem::Malformed));
    }
    // One syntax: no leading zeros (`0005.00`), as the amounts are written.
    if int_part.len() > 1 && int_part.starts_with('0') {
        return Err(fail(MoneyParseProblem::Malformed));
    }
    let frac = frac_part.unwrap_or("");
    if frac.len() > max_decimals {
        return Err(fail(MoneyParseProblem::TooPrecise));
    }
    let mut units: i64 = 0;
    for b in int_part.bytes() {
        units = units
            .checked_mul(10)
            .and_then(|u| u.checked_add(i64::from(b - b'0')))
            .ok_or_else(|| fail(MoneyParseProblem::Overflow))?;
    }
    let mut fen = units
        .checked_mul(fen_per_unit)
        .ok_or_else(|| fail(MoneyParseProblem::Overflow))?;
    // Each decimal digit is worth fen_per_unit / 10^(position).
    let mut place = fen_per_unit;
    for b in frac.bytes() {
        place /= 10;
        fen = fen
            .checked_add(i64::from(b - b'0') * place)
            .ok_or_else(|| fail(MoneyParseProblem::Overflow))?;
    }
    Ok(Money(fen))
}

impl fmt::Display for Money {
    /// Yuan with exactly two decimals: `11250748.64`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Digit by digit where it can (amounts are in every explanation's steps).
        let mut buf = [0u8; 24];
        match yuan_digits(self.0, &mut buf) {
            Some(text) => f.write_str(text),
            None => write!(f, "{}.{:02}", self.0 / FEN_PER_YUAN, self.0 % FEN_PER_YUAN),
        }
    }
}

impl fmt::Debug for Money {
    /// Yuan, as `Display`, inside the type's name: `Money(800.00)` (not the count of fen).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

impl FromStr for Money {
    type Err = CoreError;
    /// Parses yuan, as [`Money::parse_yuan`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Money::parse_yuan(s)
    }
}

/// The 万元 form of an amount, from [`Money::wan`]. `{}` trims trailing zeros like the seed;
/// `{:.6}` (or any precision ≥ 6) pads to that many decimals.
///
/// # Example
/// ```
/// use bangfu_core::Money;
/// let m = Money::parse_wan("32")?;
/// assert_eq!(format!("{}", m.wan()), "32");
/// assert_eq!(format!("{:.6}", m.wan()), "32.000000");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Wan(Money);

impl fmt::Display for Wan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let fen = self.0.0;
        let int = fen / FEN_PER_WAN;
        let frac = fen % FEN_PER_WAN;
        let digits = format!("{frac:06}");
        let shown = match f.precision() {
            Some(p) if p >= 6 => format!("{digits:0<p$}"),
            _ => digits.trim_end_matches('0').to_owned(),
        };
        if shown.is_empty() {
            write!(f, "{int}")
        } else {
            write!(f, "{int}.{shown}")
        }
    }
}

impl serde::Serialize for Money {
    /// The text of `Display`, written digit by digit (amounts are on every record written).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = [0u8; 24];
        match yuan_digits(self.0, &mut buf) {
            Some(text) => serializer.serialize_str(text),
            None => serializer.collect_str(self),
        }
    }
}

/// The yuan text of `fen` fen (`11250748.64`: the yuan, a point, two digits of fen) in the
/// end of `buf`; `None` for a negative amount (`Display` writes it with `write!`). Two
/// digits at a time (amounts are in every explanation's steps, dozens a decision).
fn yuan_digits(fen: i64, buf: &mut [u8; 24]) -> Option<&str> {
    let n = u64::try_from(fen).ok()?;
    // The fen, a point, then the yuan from their last two digits up (at most 17 digits).
    let mut at = buf.len().checked_sub(3)?;
    put_pair(buf, at.saturating_add(1), n % 100);
    *buf.get_mut(at)? = b'.';
    let mut yuan = n / 100;
    while yuan >= 100 {
        at = at.checked_sub(2)?;
        put_pair(buf, at, yuan % 100);
        yuan /= 100;
    }
    if yuan >= 10 {
        at = at.checked_sub(2)?;
        put_pair(buf, at, yuan);
    } else {
        at = at.checked_sub(1)?;
        *buf.get_mut(at)? = b'0'.saturating_add(u8::try_from(yuan).ok()?);
    }
    std::str::from_utf8(buf.get(at..)?).ok()
}

/// The two digits of each number from 0 to 99, in order.
const PAIRS: &[u8; 200] = b"\
0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";

/// Writes the two digits of `n` (below 100) at `at` in `buf`.
fn put_pair(buf: &mut [u8], at: usize, n: u64) {
    let i = usize::try_from(n % 100).unwrap_or(0).saturating_mul(2);
    if let (Some(slot), Some(pair)) = (
        buf.get_mut(at..at.saturating_add(2)),
        PAIRS.get(i..i.saturating_add(2)),
    ) {
        slot.copy_from_slice(pair);
    }
}

impl<'de> serde::Deserialize<'de> for Money {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Money;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a yuan amount as a string with at most two decimals, like \"800.00\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Money, E> {
                Money::parse_yuan(v).map_err(|e| crate::read::refuse(&e, v))
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    #[test]
    fn written_digit_by_digit_as_yuan_point_fen() {
        let amounts = [0, 1, 9, 10, 99, 100, 101, 12_345, 1_000_000, i64::MAX];
        for fen in amounts.into_iter().chain([-1, -150, i64::MIN]) {
            let m = super::Money(fen);
            let long = format!("{}.{:02}", fen / 100, fen % 100);
            assert_eq!(m.to_string(), long, "{fen}");
            assert_eq!(serde_json::to_string(&m).unwrap(), format!("\"{long}\""));
        }
    }

    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any amount displays and serializes as `write!` of yuan, a point and two digits
        /// of fen would give it (digit by digit for amounts not negative).
        #[test]
        fn any_amount_is_written_as_yuan_point_fen(fen in any::<i64>(), small in 0i64..100_000) {
            for fen in [fen, small] {
                // As `write!` gives it (negative amounts keep that text).
                let long = format!("{}.{:02}", fen / 100, fen % 100);
                prop_assert_eq!(super::Money(fen).to_string(), long.clone());
                prop_assert_eq!(serde_json::to_string(&super::Money(fen)).unwrap(), format!("\"{long}\""));
            }
        }
    }

    #[test]
    fn debug_shows_yuan_not_fen() {
        assert_eq!(
            format!("{:?}", Money::from_yuan(800).unwrap()),
            "Money(800.00)"
        );
        assert_eq!(format!("{:?}", Money::from_fen(7).unwrap()), "Money(0.07)");
        assert_eq!(format!("{:?}", Some(Money::ZERO)), "Some(Money(0.00))");
    }

    #[test]
    fn parses_the_seed_figures() {
        assert_eq!(
            Money::parse_wan("1125.074864").unwrap().fen(),
            1_125_074_864
        );
        assert_eq!(Money::parse_wan("0.000001").unwrap().fen(), 1);
        assert_eq!(
            Money::parse_yuan("11250748.64").unwrap().fen(),
            1_125_074_864
        );
        assert_eq!(Money::parse_yuan("7.5").unwrap().fen(), 750);
        assert_eq!(Money::parse_yuan("0.5").unwrap().fen(), 50);
    }

    #[test]
    fn rejects_bad_text() {
        for bad in [
            "", ".", "1.", ".5", "1e3", " 1", "1 ", "+1", "1,000", "一百", "1.2.3", "0005.00",
            "00", "01",
        ] {
            let err = Money::parse_yuan(bad).unwrap_err();
            assert_eq!(crate::Coded::code(&err), "core.money.malformed", "{bad:?}");
        }
        let code = |s: &str| crate::Coded::code(&Money::parse_yuan(s).unwrap_err());
        assert_eq!(code("-1"), "core.money.negative");
        assert_eq!(code("1.001"), "core.money.too_precise");
        assert_eq!(code("92233720368547758.08"), "core.money.overflow");
        assert_eq!(code("99999999999999999999"), "core.money.overflow");
        let wan = |s: &str| crate::Coded::code(&Money::parse_wan(s).unwrap_err());
        assert_eq!(wan("1.0000001"), "core.money.too_precise");
        assert_eq!(wan("92233720368548"), "core.money.overflow");
    }

    #[test]
    fn largest_amount_round_trips() {
        let s = Money::MAX.to_string();
        assert_eq!(s, "92233720368547758.07");
        assert_eq!(Money::parse_yuan(&s).unwrap(), Money::MAX);
    }

    #[test]
    fn serde_is_a_lossless_string() {
        let m = Money::parse_yuan("331.20").unwrap();
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, "\"331.20\"");
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        assert!(
            serde_json::from_str::<Money>("331.2").is_err(),
            "numbers are refused"
        );
        assert!(serde_json::from_str::<Money>("\"-1\"").is_err());
    }

    proptest! {
        #[test]
        fn yuan_round_trips(fen in 0i64..=i64::MAX) {
            let m = Money::from_fen(fen).unwrap();
            prop_assert_eq!(Money::parse_yuan(&m.to_string()).unwrap(), m);
        }

        #[test]
        fn wan_round_trips(fen in 0i64..=i64::MAX) {
            let m = Money::from_fen(fen).unwrap();
            prop_assert_eq!(Money::parse_wan(&m.wan().to_string()).unwrap(), m);
            prop_assert_eq!(Money::parse_wan(&format!("{:.6}", m.wan())).unwrap(), m);
        }

        #[test]
        fn add_then_sub_is_identity(a in 0i64..i64::MAX / 2, b in 0i64..i64::MAX / 2) {
            let (a, b) = (Money::from_fen(a).unwrap(), Money::from_fen(b).unwrap());
            prop_assert_eq!(a.checked_add(b).unwrap().checked_sub(b).unwrap(), a);
        }

        #[test]
        fn checked_add_never_wraps(a in 0i64..=i64::MAX, b in 0i64..=i64::MAX) {
            let (ma, mb) = (Money::from_fen(a).unwrap(), Money::from_fen(b).unwrap());
            match a.checked_add(b) {
                Some(s) => prop_assert_eq!(ma.checked_add(mb).unwrap().fen(), s),
                None => prop_assert!(ma.checked_add(mb).is_err()),
            }
        }
    }
}
