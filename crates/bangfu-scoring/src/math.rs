//! Exact decimal helpers: a square root by Newton iteration (no floating point anywhere).

use rust_decimal::{Decimal, RoundingStrategy};

use crate::ScoringError;

/// The square root of `value`, truncated (rounded down) to `places` decimals: the largest
/// `r` with `places` decimals such that `r² ≤ value`.
///
/// Computed by Newton's iteration `x ← (x + value ÷ x) ÷ 2` in exact decimals, then
/// corrected to the exact floor. The result is exact when `√value × 10^places < 10^14` (so
/// that `r²` fits the 28 significant digits of a [`Decimal`]), e.g. any value below 10 000
/// with 12 places; beyond that the last place may be off by one.
///
/// # Errors
/// [`ScoringError::NegativeSquareRoot`] for a negative value; [`ScoringError::Overflow`]
/// when `places` is above 20 or the arithmetic overflows.
///
/// # Example
/// ```
/// use bangfu_scoring::sqrt;
/// use rust_decimal::Decimal;
/// assert_eq!(sqrt(Decimal::TWO, 12)?.to_string(), "1.414213562373");
/// assert_eq!(sqrt(Decimal::from(144), 2)?.to_string(), "12.00");
/// assert!(sqrt(Decimal::NEGATIVE_ONE, 12).is_err());
/// # Ok::<(), bangfu_scoring::ScoringError>(())
/// ```
pub fn sqrt(value: Decimal, places: u32) -> Result<Decimal, ScoringError> {
    if value < Decimal::ZERO {
        return Err(ScoringError::NegativeSquareRoot { value });
    }
    if places > 20 {
        return Err(ScoringError::Overflow);
    }
    let mut result = Decimal::ZERO;
    if !value.is_zero() {
        // Start above the root: max(value, 1) ≥ √value.
        let mut x = value.max(Decimal::ONE);
        // Newton from above decreases monotonically; stop when it no longer does.
        for _ in 0..200 {
            let q = value.checked_div(x).ok_or(ScoringError::Overflow)?;
            let next = x
                .checked_add(q)
                .and_then(|s| s.checked_div(Decimal::TWO))
                .ok_or(ScoringError::Overflow)?;
            if next >= x {
                break;
            }
            x = next;
        }
        result = x.round_dp_with_strategy(places, RoundingStrategy::ToZero);
    }
    // Correct to the exact floor at `places` (at most a few units of the last place).
    let unit = Decimal::new(1, places);
    let square = |r: Decimal| r.checked_mul(r).ok_or(ScoringError::Overflow);
    for _ in 0..8 {
        if square(result)? > value && result >= unit {
            result = result.checked_sub(unit).ok_or(ScoringError::Overflow)?;
        } else {
            break;
        }
    }
    for _ in 0..8 {
        let up = result.checked_add(unit).ok_or(ScoringError::Overflow)?;
        if square(up)? <= value {
            result = up;
        } else {
            break;
        }
    }
    result.rescale(places);
    Ok(result)
}
