//! A small deterministic pseudo-random generator, for samples and synthetic data that must
//! come out the same from the same seed.

/// SplitMix64, a small deterministic pseudo-random generator (Steele, Lea and Flood 2014):
/// the same seed always gives the same sequence, on every platform.
///
/// # Example
/// ```
/// use bangfu_core::SplitMix64;
/// let mut a = SplitMix64::new(7);
/// let mut b = SplitMix64::new(7);
/// assert_eq!(a.next_u64(), b.next_u64());
/// assert!(SplitMix64::new(7).below(10) < 10);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// A generator from a seed.
    pub const fn new(seed: u64) -> SplitMix64 {
        SplitMix64 { state: seed }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform number in `0..n` without modulo bias (rejection); 0 when `n` is 0.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            return 0;
        }
        // Accept only draws below the largest multiple of n; the chance of a retry is
        // below one half, so the loop ends quickly (bounded for safety).
        let zone = u64::MAX - (u64::MAX % n);
        let mut x = self.next_u64();
        for _ in 0..128 {
            if x < zone {
                break;
            }
            x = self.next_u64();
        }
        x % n
    }
}
