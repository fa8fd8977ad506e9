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

/// The reciprocals of 10^0 ..= 10^19 (10^19 ≥ 2^63 has none), computed at compile time.
#[allow(clippy::indexing_slicing)]
const POW10_RECIPROCAL: [Option<Reciprocal>; 20] = {
    let mut t = [None; 20];
    let mut i = 0;
    let mut p = 1u64;
    while i < t.len() {
        t[i] = Reciprocal::new(p);
        if i + 1 < t.len() {
            p *= 10;
        }
        i += 1;
    }
    t
};

/// Division of a `u64` by a divisor fixed at construction, by a multiply and shifts
/// instead of a division instruction (Granlund and Montgomery, "Division by invariant
/// integers using multiplication", 1994: the round-up method, with the 65-bit magic number
/// when the 64-bit one is not exact, as in libdivide). The quotient is exact for every
/// numerator; a property test checks it against `/`.
#[derive(Debug, Clone, Copy)]
struct Reciprocal {
    /// The magic number (for [`DivKind::MulAdd`], its low 64 bits; the 65th is implied).
    magic: u64,
    /// ⌊log₂ d⌋.
    shift: u32,
    kind: DivKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DivKind {
    /// `d` is a power of two: `n >> shift`.
    Shift,
    /// `mulhi(n, magic) >> shift`.
    Mul,
    /// `(((n − q) >> 1) + q) >> shift` with `q = mulhi(n, magic)`.
    MulAdd,
}

impl Reciprocal {
    /// The reciprocal of `d`; `None` for 0 and for `d ≥ 2^63` (left to a division). A
    /// `const fn`: the reciprocals of the powers of ten are computed at compile time
    /// ([`POW10_RECIPROCAL`]), so building a [`FenRate`] per call costs no division.
    const fn new(d: u64) -> Option<Reciprocal> {
        if d == 0 {
            return None;
        }
        let shift = 63 - d.leading_zeros();
        if d.is_power_of_two() {
            return Some(Reciprocal {
                magic: 0,
                shift,
                kind: DivKind::Shift,
            });
        }
        if shift >= 63 {
            return None;
        }
        let wide = d as u128;
        // 2^(64+k) = m·d + rem with 2^k < d < 2^(k+1) and k ≤ 62, so m < 2^64 − 1.
        let num = 1u128 << (64 + shift);
        let (m, rem) = (num / wide, num % wide);
        if m + 1 > u64::MAX as u128 {
            return None;
        }
        if wide - rem < (1u128 << shift) {
            // The 64-bit magic number ⌈2^(64+k) / d⌉ is exact for every numerator.
            return Some(Reciprocal {
                magic: (m + 1) as u64,
                shift,
                kind: DivKind::Mul,
            });
        }
        // ⌊2^(65+k) / d⌋ + 1 lies in (2^64, 2^65): keep its low 64 bits.
        let big = (1u128 << (65 + shift)) / wide + 1;
        if big <= 1u128 << 64 || big >= 1u128 << 65 {
            return None;
        }
        Some(Reciprocal {
            magic: (big - (1u128 << 64)) as u64,
            shift,
            kind: DivKind::MulAdd,
        })
    }

    /// `n / d`.
    #[cfg(test)]
    fn div(self, n: u64) -> u64 {
        match self.kind {
            DivKind::Shift => self.div_as::<{ DivKind::SHIFT }>(n),
            DivKind::Mul => self.div_as::<{ DivKind::MUL }>(n),
            DivKind::MulAdd => self.div_as::<{ DivKind::MUL_ADD }>(n),
        }
    }

    /// `n / d` for a reciprocal of kind `K` (`DivKind::SHIFT`, `MUL`, `MUL_ADD`): a loop
    /// over many numerators is compiled once per kind, without a branch on it.
    #[inline(always)]
    fn div_as<const K: u8>(self, n: u64) -> u64 {
        let hi = |a: u64, b: u64| -> u64 {
            let p = u128::from(a) * u128::from(b);
            // The high half of a u128 product of two u64 always fits a u64.
            (p >> 64) as u64
        };
        match K {
            DivKind::SHIFT => n >> self.shift,
            DivKind::MUL => hi(n, self.magic) >> self.shift,
            _ => {
                let q = hi(n, self.magic);
                // q ≤ n, and ((n − q) >> 1) + q ≤ n: neither overflows.
                (((n - q) >> 1) + q) >> self.shift
            }
        }
    }
}

impl DivKind {
    const SHIFT: u8 = 0;
    const MUL: u8 = 1;
    const MUL_ADD: u8 = 2;
}

/// The rounding strategies the integer path knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Round {
    Down,
    Up,
    HalfUp,
    HalfEven,
}

/// The u64 path's constants: the rate's mantissa, the divisor and its reciprocal, the
/// rounding step, and the rounding rule.
#[derive(Debug, Clone, Copy)]
struct Narrow {
    m: u64,
    /// The divisor, below 2^63 (so `2r + 1` cannot overflow for a remainder `r < q`).
    q: u64,
    recip: Reciprocal,
    /// The rounding step in fen, `10^(2 − places)`.
    step: i64,
    /// Half even: the quotient `t = ⌊p / q⌋` (remainder `r`) is rounded away from zero
    /// when `2r + (t & 1) > q` (`2r > q`, or `2r = q` and `t` odd; a bit operation, not a
    /// branch on the parity, which would be mispredicted half the time).
    half_even: bool,
    /// The other rules round `⌊(p + bias) / q⌋`, one division and no remainder: down
    /// `bias = 0`, up `q − 1` (`t + [r ≥ 1]`), half up `⌊q / 2⌋` (`t + [2r ≥ q]`).
    bias: u64,
}

impl Narrow {
    /// The constants for the divisor `q = 10^k`.
    fn new(m: u64, q: u64, k: u32, step: i64, round: Round) -> Option<Narrow> {
        let index = usize::try_from(k).ok()?;
        let recip = POW10_RECIPROCAL.get(index).copied().flatten()?;
        if POW10.get(index) != Some(&i128::from(q)) || q >= 1 << 63 {
            return None;
        }
        let bias = match round {
            Round::Down | Round::HalfEven => 0,
            Round::Up => q.checked_sub(1)?,
            Round::HalfUp => q / 2,
        };
        Some(Narrow {
            m,
            q,
            recip,
            step,
            half_even: round == Round::HalfEven,
            bias,
        })
    }

    /// `p / q` rounded by the rule, and whether it overflowed (`p + bias ≥ 2^64`); `K` is
    /// the reciprocal's kind and `EVEN` the half-even rule, both fixed per loop.
    #[inline(always)]
    fn round<const K: u8, const EVEN: bool>(&self, p: u64) -> (u64, bool) {
        if EVEN {
            let t = self.recip.div_as::<K>(p);
            // t = ⌊p / q⌋, so t·q ≤ p: r = p mod q < q < 2^63, no overflow.
            let r = p - t * self.q;
            let away = 2 * r + (t & 1) > self.q;
            // Rounding away needs r > 0, so q ≥ 2 and t ≤ u64::MAX / 2: no overflow.
            (t + u64::from(away), false)
        } else {
            let (biased, o) = p.overflowing_add(self.bias);
            (self.recip.div_as::<K>(biased), o)
        }
    }

    /// `p / q` rounded, for a rule and kind known only at run time.
    #[inline(always)]
    fn round_any(&self, p: u64) -> Option<u64> {
        let (t, o) = match (self.recip.kind, self.half_even) {
            (DivKind::Shift, false) => self.round::<{ DivKind::SHIFT }, false>(p),
            (DivKind::Mul, false) => self.round::<{ DivKind::MUL }, false>(p),
            (DivKind::MulAdd, false) => self.round::<{ DivKind::MUL_ADD }, false>(p),
            (DivKind::Shift, true) => self.round::<{ DivKind::SHIFT }, true>(p),
            (DivKind::Mul, true) => self.round::<{ DivKind::MUL }, true>(p),
            (DivKind::MulAdd, true) => self.round::<{ DivKind::MUL_ADD }, true>(p),
        };
        (!o).then_some(t)
    }
}

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
    /// The mantissa and divisor as u64 with the divisor's reciprocal, when the integer
    /// path applies and they fit: the common, cheapest path.
    narrow: Option<Narrow>,
}

impl FenRate {
    pub(crate) fn new(rate: Rate, rule: RoundingRule) -> FenRate {
        let d = rate.as_decimal();
        let scale = d.scale();
        let round = match rule.strategy {
            RoundingStrategy::HalfUp => Some(Round::HalfUp),
            RoundingStrategy::HalfEven => Some(Round::HalfEven),
            RoundingStrategy::Down => Some(Round::Down),
            RoundingStrategy::Up => Some(Round::Up),
            _ => None,
        };
        let fast = round.is_some() && scale <= 26 && rule.places <= 2;
        let up = 2u32.saturating_sub(rule.places);
        let pow = |i: u32| {
            usize::try_from(i)
                .ok()
                .and_then(|i| POW10.get(i))
                .copied()
                .unwrap_or(1)
        };
        // 10^scale × 10^up = 10^(scale + up), one look-up (scale ≤ 28 and up ≤ 2, so the
        // table holds it; the product is the fallback).
        let divisor = usize::try_from(scale + up)
            .ok()
            .and_then(|k| POW10.get(k))
            .copied()
            .unwrap_or_else(|| pow(scale).saturating_mul(pow(up)));
        let step = i64::try_from(pow(up)).unwrap_or(1);
        let narrow = match (u64::try_from(d.mantissa()), u64::try_from(divisor), round) {
            (Ok(m), Ok(q), Some(round)) if fast => Narrow::new(m, q, scale + up, step, round),
            _ => None,
        };
        FenRate {
            rate,
            rule,
            mantissa: d.mantissa(),
            divisor,
            step,
            fast,
            narrow,
        }
    }

    /// `m × rate`, rounded by the rule; exactly [`Money::mul_rate`].
    #[inline]
    pub(crate) fn apply(&self, m: Money) -> Result<Money, AidError> {
        match self.narrow(m.fen()) {
            Some(fen) => Ok(Money::from_fen(fen)?),
            None => self.wide(m),
        }
    }

    /// The i128 path, else `Money::mul_rate` (out of line: no policy amount comes here).
    #[cold]
    #[inline(never)]
    fn wide(&self, m: Money) -> Result<Money, AidError> {
        if self.fast
            && let Some(fen) = self.integer(m.fen())
        {
            return Ok(Money::from_fen(fen)?);
        }
        Ok(m.mul_rate(self.rate, self.rule)?)
    }

    /// The u64 path: money and rates are non-negative, and a product below 2^64 is below
    /// 2^96, so a `Decimal` holds it exactly too. The division is by the reciprocal.
    #[inline(always)]
    fn narrow(&self, fen: i64) -> Option<i64> {
        let n = self.narrow?;
        let p = u64::try_from(fen).ok()?.checked_mul(n.m)?;
        let t = n.round_any(p)?;
        i64::try_from(t).ok()?.checked_mul(n.step)
    }

    /// The integer path; `None` sends the caller to `Money::mul_rate` (a product too large
    /// for a `Decimal`, or a negative result, which `Money::mul_rate` refuses).
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

/// The greatest common divisor (Euclid).
const fn gcd(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// The medical rule of a [`Resolved`] as a kernel over a column of first claims, its
/// constants derived once from the rate, the rounding rule and the cap: for a claim `c` in
/// fen, `min(⌊(c·m + bias) / q⌋ · step, cap, c)` (half even: `⌊c·m / q⌋`, plus one when
/// `2r + (t & 1) > q`), which is `FenRate::apply(c).min(cap).min(c)` exactly.
///
/// `m / q` is the rate over `10^(scale + 2 − places)` reduced by their greatest common
/// divisor, so that a rate such as 0.5 over 10 becomes 1 over 2, a shift: the quotient
/// does not change, since `⌊(g·x + b) / (g·y)⌋ = ⌊(x + ⌊b / g⌋) / y⌋` for positive `g`,
/// and the rounding biases of the reduced divisor are `⌊bias / g⌋` (down 0, up `q − 1`,
/// half up `⌊q / 2⌋`); half even compares `2r + (t & 1)` with `q` where `r` and `q` are
/// both divided by `g`, which keeps the comparison (`t & 1 < g` for `g ≥ 2`).
///
/// The checks are bounds fixed at construction instead of a check per operation: every
/// claim at most `mask` (a claim negative or above it sets a bit of the OR of the claims
/// that `mask` does not have) keeps `c·m + bias` below 2^64 and the product with the step
/// below 2^63, and a column of at most `max_len` claims keeps the sum (each term at most
/// `min(cap, mask)`) below 2^63: then the wrapping operations are exact. A column off
/// these bounds goes to the checked paths.
#[derive(Debug, Clone, Copy)]
struct MedicalColumn {
    m: u64,
    q: u64,
    recip: Reciprocal,
    bias: u64,
    step: i64,
    half_even: bool,
    cap: i64,
    /// `2^j − 1`: claims whose OR is at most this are within the bounds.
    mask: u64,
    /// The most claims a column may hold.
    max_len: usize,
}

impl MedicalColumn {
    /// The kernel of `rate` rounded by `rule` and capped at `cap`, or `None` when the
    /// shape is not one the kernel knows (a strategy other than down, up, half up and
    /// half even; more than 2 places; a divisor of 2^63 or more; a cap that is not
    /// positive; a rate whose mantissa is not a u64).
    fn new(rate: Rate, rule: RoundingRule, cap: Money) -> Option<MedicalColumn> {
        let round = match rule.strategy {
            RoundingStrategy::HalfUp => Round::HalfUp,
            RoundingStrategy::HalfEven => Round::HalfEven,
            RoundingStrategy::Down => Round::Down,
            RoundingStrategy::Up => Round::Up,
            _ => return None,
        };
        if rule.places > 2 || cap.fen() <= 0 {
            return None;
        }
        let d = rate.as_decimal();
        let up = 2 - rule.places;
        let k = usize::try_from(d.scale().checked_add(up)?).ok()?;
        let full = u64::try_from(*POW10.get(k)?).ok()?;
        let step = i64::try_from(*POW10.get(usize::try_from(up).ok()?)?).ok()?;
        let mantissa = u64::try_from(d.mantissa()).ok()?;
        if full >= 1 << 63 {
            return None;
        }
        let g = gcd(mantissa, full);
        let (m, q) = (mantissa / g, full / g);
        let recip = Reciprocal::new(q)?;
        let bias = match round {
            Round::Down | Round::HalfEven => 0,
            Round::Up => q - 1,
            Round::HalfUp => q / 2,
        };
        // c·m + bias ≤ u64::MAX, and the quotient (plus one, rounding half even away)
        // times the step at most i64::MAX: ⌊(c·m + bias) / q⌋ + 1 ≤ t_max holds when
        // c·m + bias ≤ (t_max − 1)·q.
        let t_max = u128::from(i64::MAX.unsigned_abs() / step.unsigned_abs());
        let room = (t_max.saturating_sub(1) * u128::from(q)).min(u128::from(u64::MAX));
        let max_claim = match room.checked_sub(u128::from(bias)) {
            None => 0,
            Some(r) if m == 0 => r,
            Some(r) => r / u128::from(m),
        }
        .min(u128::from(i64::MAX.unsigned_abs()));
        // The largest 2^j − 1 at most max_claim (≤ 2^63 − 1, so the +1 fits).
        let top = u64::try_from(max_claim).ok()? + 1;
        let mask = (1u64 << (63 - top.leading_zeros())) - 1;
        let term = cap.fen().min(i64::try_from(mask).ok()?);
        let max_len = match term {
            0 => usize::MAX,
            t => usize::try_from(i64::MAX / t).unwrap_or(usize::MAX),
        };
        Some(MedicalColumn {
            m,
            q,
            recip,
            bias,
            step,
            half_even: round == Round::HalfEven,
            cap: cap.fen(),
            mask,
            max_len,
        })
    }

    /// Σ over the claims, or `None` when a claim or the column is off the bounds (see
    /// [`MedicalColumn`]): the caller then takes a checked path.
    #[inline(always)]
    fn sum(&self, fen: &[i64]) -> Option<i64> {
        if fen.len() > self.max_len {
            return None;
        }
        match (self.recip.kind, self.half_even) {
            (DivKind::Shift, false) => self.sum_as::<{ DivKind::SHIFT }, false>(fen),
            (DivKind::Mul, false) => self.sum_as::<{ DivKind::MUL }, false>(fen),
            (DivKind::MulAdd, false) => self.sum_as::<{ DivKind::MUL_ADD }, false>(fen),
            (DivKind::Shift, true) => self.sum_as::<{ DivKind::SHIFT }, true>(fen),
            (DivKind::Mul, true) => self.sum_as::<{ DivKind::MUL }, true>(fen),
            (DivKind::MulAdd, true) => self.sum_as::<{ DivKind::MUL_ADD }, true>(fen),
        }
    }

    /// [`MedicalColumn::sum`] for a reciprocal of kind `K`, half even or not: one loop
    /// each. Within the bounds every wrapping operation below is exact; off them the
    /// value is never returned.
    #[inline(always)]
    fn sum_as<const K: u8, const EVEN: bool>(&self, fen: &[i64]) -> Option<i64> {
        let mut sum = 0i64;
        let mut bits = 0u64;
        for &c in fen {
            // A negative claim reads as a u64 above `mask` (its sign bit is set).
            let u = c as u64;
            bits |= u;
            let p = u.wrapping_mul(self.m).wrapping_add(self.bias);
            let t = self.recip.div_as::<K>(p);
            let t = if EVEN {
                // t = ⌊p / q⌋, so t·q ≤ p and r < q.
                let r = p.wrapping_sub(t.wrapping_mul(self.q));
                t + u64::from(2 * r + (t & 1) > self.q)
            } else {
                t
            };
            let f = (t as i64).wrapping_mul(self.step);
            sum = sum.wrapping_add(f.min(self.cap).min(c));
        }
        (bits <= self.mask).then_some(sum)
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
/// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
/// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
/// let calc = Calculator::new(&policy)?;
/// let date = NaiveDate::from_ymd_opt(2018, 5, 2).unwrap();
/// let rules = calc.resolve(&DegreeCode::new("subsistence")?, date)?;
/// let oop = Money::parse_yuan("1000.01")?;
/// let fast = rules.medical(oop, YearToDate::default())?;
/// let full = calc.medical(&file, MedicalClaim { date, out_of_pocket: oop }, YearToDate::default(), Explain::Off)?;
/// assert_eq!(fast, full.amount);
/// let asked = Some(Money::from_yuan(2_000)?);
/// let full = calc.living(&file, AmountClaim { date, requested: asked }, YearToDate::default(), Explain::Off)?;
/// assert_eq!(rules.living(false, 3, asked, Money::ZERO)?, full.amount);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Resolved {
    date: NaiveDate,
    medical_rate: FenRate,
    medical_cap: Money,
    /// The medical rule as a column kernel, when its shape allows one.
    medical_column: Option<MedicalColumn>,
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
        self.resolve_for_city(degree, date, None)
    }

    /// [`resolve`](Self::resolve) for the households of `city` (城市): the yearly living cap
    /// multiplies that city's minimum living standard; `None` is the policy's own city (what
    /// [`resolve`](Self::resolve) uses, as for a file that names no city).
    ///
    /// # Errors
    /// As [`resolve`](Self::resolve); `core.minimum_standard.unknown_city` for a city the
    /// standard does not list.
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{AidPolicy, Calculator, DegreeCode};
    /// use bangfu_core::{CityCode, NaiveDate};
    /// let policy = AidPolicy::hainan_2018()?;
    /// let calc = Calculator::new(&policy)?;
    /// let date = NaiveDate::from_ymd_opt(2018, 5, 2).unwrap();
    /// let degree = DegreeCode::new("subsistence")?;
    /// assert!(calc.resolve_for_city(&degree, date, Some(&CityCode::new("460100")?)).is_ok());
    /// assert!(calc.resolve_for_city(&degree, date, Some(&CityCode::new("460200")?)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn resolve_for_city(
        &self,
        degree: &DegreeCode,
        date: NaiveDate,
        city: Option<&bangfu_core::CityCode>,
    ) -> Result<Resolved, AidError> {
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
                standard: bangfu_core::MinimumLivingStandard::in_force(
                    p.minimum_living_standard.as_ref(),
                    city,
                    date,
                )?
                .value,
                per_member: y
                    .per_member
                    .at("aid.living.yearly_cap.per_member", date)?
                    .value,
                multiplier: {
                    let (name, months) = y.months_for(degree);
                    FenRate::new(months.at(name, date)?.value, living_rounding)
                },
            }),
        };
        Ok(Resolved {
            date,
            medical_rate: FenRate::new(rate, rounding),
            medical_cap,
            medical_column: MedicalColumn::new(rate, rounding, medical_cap),
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

    /// Σ medical aid over the claims of a population column, given in fen, each the first
    /// claim of its person's year (an empty [`YearToDate`]): exactly
    /// `Σ self.medical(Money::from_fen(c)?, YearToDate::default())?` with checked sums,
    /// the same value and the same first error. On the u64 path the checks (negative
    /// amount, product or sum overflow) are collected in one flag over the column instead
    /// of a branch per claim; when the flag is set the column is gone through again one
    /// claim at a time, which finds the error (or the value, off the u64 path).
    ///
    /// # Errors
    /// [`AidError::Core`] for a negative amount ([`bangfu_core::CoreError::Negative`]),
    /// [`AidError::Overflow`].
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{Calculator, DegreeCode, YearToDate};
    /// use bangfu_core::{Money, NaiveDate};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// let date = NaiveDate::from_ymd_opt(2018, 5, 2).unwrap();
    /// let rules = Calculator::new(&policy)?.resolve(&DegreeCode::new("subsistence")?, date)?;
    /// let column = [100_001, 0, 250_000_000];
    /// let mut one_by_one = Money::ZERO;
    /// for &c in &column {
    ///     one_by_one = one_by_one.checked_add(rules.medical(Money::from_fen(c)?, YearToDate::default())?)?;
    /// }
    /// assert_eq!(rules.medical_sum_fen(&column)?, one_by_one);
    /// assert!(rules.medical_sum_fen(&[100, -1]).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[inline(always)]
    pub fn medical_sum_fen(&self, out_of_pocket: &[i64]) -> Result<Money, AidError> {
        // With an empty year to date and a positive cap, each amount is min(raw, cap, c):
        // first the column kernel, whose checks are bounds fixed once.
        if let Some(kernel) = &self.medical_column
            && let Some(sum) = kernel.sum(out_of_pocket)
        {
            // Within the kernel's bounds every term is non-negative.
            return Ok(Money::from_fen(sum)?);
        }
        self.medical_sum_checked(out_of_pocket)
    }

    /// The checked path of [`Resolved::medical_sum_fen`]: one claim at a time.
    #[cold]
    #[inline(never)]
    fn medical_sum_checked(&self, out_of_pocket: &[i64]) -> Result<Money, AidError> {
        let mut sum = Money::ZERO;
        for &c in out_of_pocket {
            let m = self.medical(Money::from_fen(c)?, YearToDate::default())?;
            sum = sum.checked_add(m)?;
        }
        Ok(sum)
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
                // Not `ok_or`: building the error eagerly would drop it on every call.
                let Some(std) = l.standard else {
                    return Err(AidError::AmountRequired {
                        parameter: "aid.living.standard",
                    });
                };
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

    /// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
    fn cases(default: u32) -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }
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
        #![proptest_config(ProptestConfig::with_cases(cases(2048)))]

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

    fn divisor() -> impl Strategy<Value = u64> {
        prop_oneof![
            1u64..=1_000,
            any::<u64>(),
            (0u32..=19).prop_map(|k| 10u64.pow(k)),
            (1u32..=63).prop_map(|k| (1u64 << k) - 1),
            (1u32..=63).prop_map(|k| (1u64 << k) + 1),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(4096)))]

        // The reciprocal's quotient is the division's, for every numerator.
        #[test]
        fn reciprocal_is_division(
            d in divisor(),
            n in prop_oneof![any::<u64>(), 0u64..=100_000_000, (u64::MAX - 1_000)..=u64::MAX],
        ) {
            match Reciprocal::new(d) {
                Some(r) => prop_assert_eq!(r.div(n), n / d),
                None => prop_assert!(d == 0 || (d >= 1 << 63 && !d.is_power_of_two())),
            }
        }
    }

    #[test]
    fn the_compile_time_table_holds_the_reciprocals_of_the_powers_of_ten() {
        for (k, r) in POW10_RECIPROCAL.iter().enumerate() {
            let d = 10u64.pow(u32::try_from(k).unwrap());
            let fresh = Reciprocal::new(d);
            assert_eq!(
                r.map(|r| (r.magic, r.shift, r.kind)),
                fresh.map(|r| (r.magic, r.shift, r.kind))
            );
            assert_eq!(r.is_some(), k < 19);
        }
    }

    #[test]
    fn reciprocal_is_exact_at_the_edges_of_each_power_of_ten() {
        for k in 0..=19u32 {
            let d = 10u64.pow(k);
            // 10^19 ≥ 2^63 is left to a division.
            let Some(r) = Reciprocal::new(d) else {
                assert_eq!(k, 19);
                continue;
            };
            for q in [0u64, 1, 2, 3, 7, 1_000_003, u64::MAX / d - 1, u64::MAX / d] {
                let Some(base) = q.checked_mul(d) else {
                    continue;
                };
                for n in [
                    base.saturating_sub(1),
                    base,
                    base.saturating_add(1),
                    base.saturating_add(d - 1),
                ] {
                    assert_eq!(r.div(n), n / d, "{n} / {d}");
                }
            }
            assert_eq!(r.div(u64::MAX), u64::MAX / d);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(2048)))]

        // Rates of a few halves and fifths put many products exactly on a tie, where half
        // up and half even differ.
        #[test]
        fn fen_rate_is_mul_rate_at_ties(
            fen in prop_oneof![0i64..=10_000, 0i64..=10_000_000_000],
            mantissa in prop::sample::select(vec![1i64, 5, 15, 25, 50, 125, 500, 999]),
            scale in 0u32..=4,
            places in 0u32..=2,
            s in strategy(),
        ) {
            let rate = Rate::from_decimal(Decimal::new(mantissa, scale)).unwrap();
            let m = Money::from_fen(fen).unwrap();
            let rule = RoundingRule::new(s, places);
            let expected = m.mul_rate(rate, rule).map_err(AidError::from);
            prop_assert_eq!(FenRate::new(rate, rule).apply(m), expected);
        }
    }

    fn column() -> impl Strategy<Value = Vec<i64>> {
        let amount = prop_oneof![
            8 => 0i64..=8_000_000,
            1 => Just(0i64),
            1 => i64::MIN..0,
            1 => 0i64..=i64::MAX,
            1 => (i64::MAX / 4)..=i64::MAX,
        ];
        prop::collection::vec(amount, 0..=8)
    }

    /// Σ `apply(c).min(cap).min(c)` one amount at a time, checked.
    fn one_by_one(r: &FenRate, v: &[i64], cap: i64) -> Result<i64, AidError> {
        let cap = Money::from_fen(cap).unwrap();
        let mut sum = Money::ZERO;
        for &c in v {
            let m = Money::from_fen(c)?;
            sum = sum.checked_add(r.apply(m)?.min(cap).min(m))?;
        }
        Ok(sum.fen())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(2048)))]

        // The column kernel (the rate reduced, the checks as bounds), when it answers,
        // answers what the amounts one by one give; it answers for ordinary amounts.
        #[test]
        fn medical_column_is_one_by_one(
            v in column(),
            cap in prop_oneof![1i64..=3_000_000, 1i64..=i64::MAX],
            mantissa in prop_oneof![0i64..=2_000, 0i64..=i64::MAX, prop::sample::select(vec![1i64, 5, 25, 50, 125, 500])],
            scale in 0u32..=20,
            places in 0u32..=2,
            s in strategy(),
        ) {
            let rate = Rate::from_decimal(Decimal::new(mantissa, scale)).unwrap();
            let rule = RoundingRule::new(s, places);
            let r = FenRate::new(rate, rule);
            let kernel = MedicalColumn::new(rate, rule, Money::from_fen(cap).unwrap());
            match kernel.and_then(|k| k.sum(&v)) {
                Some(sum) => prop_assert_eq!(Ok(sum), one_by_one(&r, &v, cap)),
                None => prop_assert!(
                    !(v.iter().all(|&c| (0..=8_000_000).contains(&c))
                        && mantissa <= 2_000
                        && scale <= 14
                        && cap <= 3_000_000),
                    "the kernel refused ordinary amounts"
                ),
            }
        }
    }

    #[derive(serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    struct File {
        aid: crate::AidPolicy,
    }

    fn policies() -> Vec<(crate::AidPolicy, &'static str, i32)> {
        let load = |src: &str| toml::from_str::<File>(src).unwrap().aid;
        vec![
            (
                crate::AidPolicy::hainan_2018().unwrap(),
                "subsistence",
                2018,
            ),
            (crate::AidPolicy::example_2020().unwrap(), "deep", 2020),
            (
                load(include_str!("../data/openfisca-peer.toml")),
                "eligible",
                2025,
            ),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(1024)))]

        // `medical_sum_fen` is the claims one by one through `medical`: the same sum, or
        // the same first error.
        #[test]
        fn medical_sum_fen_is_medical_one_by_one(which in 0usize..3, ordinal in 1u32..=365, v in column()) {
            let (policy, degree, year) = &policies()[which];
            let calc = Calculator::new(policy).unwrap();
            let date = NaiveDate::from_yo_opt(*year, ordinal).unwrap();
            let rules = calc.resolve(&DegreeCode::new(*degree).unwrap(), date).unwrap();
            let mut expected = Ok(Money::ZERO);
            for &c in &v {
                expected = expected.and_then(|sum: Money| {
                    let m = rules.medical(Money::from_fen(c)?, YearToDate::default())?;
                    Ok(sum.checked_add(m)?)
                });
            }
            prop_assert_eq!(rules.medical_sum_fen(&v), expected);
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
