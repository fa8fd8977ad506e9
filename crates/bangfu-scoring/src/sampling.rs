//! Sampling households for home visits, and satisfaction from survey counts with a Wilson
//! score interval.

use std::collections::{BTreeMap, BTreeSet};

use bangfu_core::{HouseholdId, Rate, RoundingRule, UnitId};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::{ScoringError, ScoringPolicy, sqrt};

pub use bangfu_core::SplitMix64;

/// FNV-1a of a string, to give each stratum its own stream from the caller's seed.
fn fnv1a(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01B3)
    })
}

/// One household of a sampling frame (抽样框), with the union unit that files it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameEntry {
    /// The household.
    pub household: HouseholdId,
    /// Its union unit: the stratum.
    pub unit: UnitId,
}

/// How a home-visit sample is drawn: the ratio, the rounding of each stratum's size (always
/// to whole households: the rule's places are ignored), and a minimum per stratum.
///
/// # Example
/// ```
/// use bangfu_core::{Rate, RoundingRule, RoundingStrategy};
/// use bangfu_scoring::SampleDesign;
/// let d = SampleDesign { ratio: Rate::parse("0.1")?, rounding: RoundingRule::new(RoundingStrategy::Up, 0), min_per_stratum: 1 };
/// assert_eq!(d.stratum_size(286)?, 29);
/// assert_eq!(d.stratum_size(680)?, 68);
/// assert_eq!(d.stratum_size(0)?, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SampleDesign {
    /// Share of each stratum to visit (走访比例).
    pub ratio: Rate,
    /// How `ratio × stratum size` becomes whole households.
    pub rounding: RoundingRule,
    /// The least households visited in a non-empty stratum (capped at its size).
    pub min_per_stratum: u32,
}

impl SampleDesign {
    /// The design in force on `date` in the policy.
    ///
    /// # Errors
    /// [`ScoringError::Core`] when a parameter has no value in force on `date`.
    pub fn from_policy(
        policy: &ScoringPolicy,
        date: NaiveDate,
    ) -> Result<SampleDesign, ScoringError> {
        let s = &policy.sampling;
        Ok(SampleDesign {
            ratio: s
                .visit_ratio
                .at("scoring.sampling.visit_ratio", date)?
                .value,
            rounding: s
                .stratum_rounding
                .at("scoring.sampling.stratum_rounding", date)?
                .value,
            min_per_stratum: s
                .min_per_stratum
                .at("scoring.sampling.min_per_stratum", date)?
                .value,
        })
    }

    /// The sample size of a stratum of `n` households.
    ///
    /// # Errors
    /// [`ScoringError::InvalidRatio`] for a ratio above one; [`ScoringError::Overflow`].
    pub fn stratum_size(&self, n: u64) -> Result<u64, ScoringError> {
        let ratio = self.ratio.as_decimal();
        if ratio > Decimal::ONE {
            return Err(ScoringError::InvalidRatio { ratio });
        }
        if n == 0 {
            return Ok(0);
        }
        let exact = ratio
            .checked_mul(Decimal::from(n))
            .ok_or(ScoringError::Overflow)?;
        let whole = RoundingRule::new(self.rounding.strategy, 0).apply(exact);
        let size = whole.to_u64().ok_or(ScoringError::Overflow)?;
        Ok(size.max(u64::from(self.min_per_stratum)).min(n))
    }
}

/// The sample of one stratum.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StratumSample {
    /// The union unit.
    pub unit: UnitId,
    /// Households of the unit in the frame.
    pub frame_size: u64,
    /// The households drawn, in id order.
    pub households: Vec<HouseholdId>,
}

/// A reproducible stratified sample (随机抽样): the seed, the design and each stratum.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Sample {
    /// The caller's seed.
    pub seed: u64,
    /// The design used.
    pub design: SampleDesign,
    /// The strata, in unit id order.
    pub strata: Vec<StratumSample>,
}

impl Sample {
    /// All households drawn.
    pub fn households(&self) -> impl Iterator<Item = &HouseholdId> {
        self.strata.iter().flat_map(|s| s.households.iter())
    }

    /// How many households were drawn.
    pub fn size(&self) -> usize {
        self.strata.iter().map(|s| s.households.len()).sum()
    }
}

/// Draws a stratified random sample of households for home visits: in each union unit,
/// [`SampleDesign::stratum_size`] households chosen by a partial Fisher–Yates shuffle of the
/// unit's households (in id order) driven by [`SplitMix64`] seeded from `seed` and the
/// unit's id. The order of the frame does not matter; the same frame and seed always give
/// the same sample.
///
/// # Errors
/// [`ScoringError::DuplicateHousehold`]; [`ScoringError::InvalidRatio`].
///
/// # Example
/// ```
/// use bangfu_core::{HouseholdId, Rate, RoundingRule, RoundingStrategy, UnitId};
/// use bangfu_scoring::{draw_sample, FrameEntry, SampleDesign};
/// let frame: Vec<FrameEntry> = (0..30).map(|i| FrameEntry {
///     household: HouseholdId::new(format!("H{i:03}")).unwrap(),
///     unit: UnitId::new(if i < 20 { "a" } else { "b" }).unwrap(),
/// }).collect();
/// let design = SampleDesign { ratio: Rate::parse("0.1")?, rounding: RoundingRule::new(RoundingStrategy::Up, 0), min_per_stratum: 1 };
/// let s = draw_sample(&frame, &design, 2018)?;
/// assert_eq!(s.size(), 3);
/// assert_eq!(s, draw_sample(&frame, &design, 2018)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn draw_sample(
    frame: &[FrameEntry],
    design: &SampleDesign,
    seed: u64,
) -> Result<Sample, ScoringError> {
    let mut strata: BTreeMap<&UnitId, Vec<&HouseholdId>> = BTreeMap::new();
    let mut seen: BTreeSet<&HouseholdId> = BTreeSet::new();
    for e in frame {
        if !seen.insert(&e.household) {
            return Err(ScoringError::DuplicateHousehold {
                household: e.household.to_string(),
            });
        }
        strata.entry(&e.unit).or_default().push(&e.household);
    }
    let mut out = Vec::with_capacity(strata.len());
    for (unit, mut households) in strata {
        households.sort();
        let n = households.len() as u64;
        let k = design.stratum_size(n)?;
        let mut rng = SplitMix64::new(seed ^ fnv1a(unit.as_str()));
        // Partial Fisher–Yates: positions 0..k end up holding a uniform sample.
        let mut i: u64 = 0;
        while i < k {
            let j = i + rng.below(n - i);
            if let (Ok(a), Ok(b)) = (usize::try_from(i), usize::try_from(j)) {
                households.swap(a, b);
            }
            i += 1;
        }
        let mut chosen: Vec<HouseholdId> = households
            .into_iter()
            .take(usize::try_from(k).unwrap_or(usize::MAX))
            .cloned()
            .collect();
        chosen.sort();
        out.push(StratumSample {
            unit: unit.clone(),
            frame_size: n,
            households: chosen,
        });
    }
    Ok(Sample {
        seed,
        design: design.clone(),
        strata: out,
    })
}

/// How the home visits compare with the sampling design (抽样执行情况): the visits the
/// design asks for over the frame, and how many of the frame's union units were visited.
///
/// # Example
/// ```
/// use bangfu_core::{HouseholdId, Rate, RoundingRule, RoundingStrategy, UnitId};
/// use bangfu_scoring::{FrameEntry, SampleDesign, VisitCoverage};
/// let frame: Vec<FrameEntry> = (0..30).map(|i| FrameEntry {
///     household: HouseholdId::new(format!("H{i:03}")).unwrap(),
///     unit: UnitId::new(if i < 20 { "a" } else { "b" }).unwrap(),
/// }).collect();
/// let design = SampleDesign { ratio: Rate::parse("0.1")?, rounding: RoundingRule::new(RoundingStrategy::Up, 0), min_per_stratum: 1 };
/// let visited = [HouseholdId::new("H001")?, HouseholdId::new("H002")?];
/// let c = VisitCoverage::new(&frame, &visited, &design)?;
/// assert_eq!((c.planned, c.units, c.units_visited), (3, 2, 1));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct VisitCoverage {
    /// The design's visit ratio.
    pub ratio: Rate,
    /// Visits the design asks for: the sum of its strata sizes.
    pub planned: u64,
    /// Union units (strata) in the frame.
    pub units: u64,
    /// Units with at least one household visited.
    pub units_visited: u64,
}

impl VisitCoverage {
    /// The coverage of `visited` households over `frame` under `design` (visited
    /// households outside the frame count for no unit).
    ///
    /// # Errors
    /// [`ScoringError::InvalidRatio`]; [`ScoringError::Overflow`].
    pub fn new(
        frame: &[FrameEntry],
        visited: &[HouseholdId],
        design: &SampleDesign,
    ) -> Result<VisitCoverage, ScoringError> {
        let mut sizes: BTreeMap<&UnitId, u64> = BTreeMap::new();
        for e in frame {
            let n = sizes.entry(&e.unit).or_insert(0);
            *n = n.saturating_add(1);
        }
        let mut planned: u64 = 0;
        for n in sizes.values() {
            planned = planned
                .checked_add(design.stratum_size(*n)?)
                .ok_or(ScoringError::Overflow)?;
        }
        let visited: BTreeSet<&HouseholdId> = visited.iter().collect();
        let units_visited: BTreeSet<&UnitId> = frame
            .iter()
            .filter(|e| visited.contains(&e.household))
            .map(|e| &e.unit)
            .collect();
        Ok(VisitCoverage {
            ratio: design.ratio,
            planned,
            units: sizes.len() as u64,
            units_visited: units_visited.len() as u64,
        })
    }
}

/// How the satisfaction interval is computed: the z value (1.96 for 95 %), the places of
/// the square root, and the rounding of the bounds.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SurveyDesign {
    /// The normal quantile (1.96 for a 95 % interval).
    pub z: Rate,
    /// Decimal places of the square root.
    pub sqrt_places: u32,
    /// Rounding of the interval's bounds (as ratios: 4 places = 0.01 %).
    pub interval_rounding: RoundingRule,
}

impl SurveyDesign {
    /// The design in force on `date` in the policy.
    ///
    /// # Errors
    /// [`ScoringError::Core`] when a parameter has no value in force on `date`.
    pub fn from_policy(
        policy: &ScoringPolicy,
        date: NaiveDate,
    ) -> Result<SurveyDesign, ScoringError> {
        let s = &policy.survey;
        Ok(SurveyDesign {
            z: s.z.at("scoring.survey.z", date)?.value,
            sqrt_places: s.sqrt_places.at("scoring.survey.sqrt_places", date)?.value,
            interval_rounding: s
                .interval_rounding
                .at("scoring.survey.interval_rounding", date)?
                .value,
        })
    }
}

/// Satisfaction from raw counts (满意度), with its Wilson score interval.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Satisfaction {
    /// Satisfied answers.
    pub satisfied: u64,
    /// Answers.
    pub surveyed: u64,
    /// `satisfied ÷ surveyed`, exact.
    pub rate: Rate,
    /// Lower bound of the interval.
    pub lower: Rate,
    /// Upper bound of the interval.
    pub upper: Rate,
    /// The z value used.
    pub z: Rate,
}

/// Satisfaction with a Wilson score interval:
/// `(p + z²/2n ± z·√(p(1−p)/n + z²/4n²)) ÷ (1 + z²/n)`, in exact decimals with a Newton
/// square root; bounds rounded by the design's rule.
///
/// # Errors
/// [`ScoringError::InvalidSurvey`] when nobody was surveyed or more were satisfied than
/// surveyed; [`ScoringError::Overflow`].
///
/// # Example
/// ```
/// use bangfu_core::{Rate, RoundingRule, RoundingStrategy};
/// use bangfu_scoring::{satisfaction, SurveyDesign};
/// let d = SurveyDesign { z: Rate::parse("1.96")?, sqrt_places: 12, interval_rounding: RoundingRule::new(RoundingStrategy::HalfUp, 4) };
/// let s = satisfaction(80, 82, &d)?;
/// assert_eq!(s.rate.percent_display(2).to_string(), "97.56 %");
/// assert_eq!((s.lower.to_string(), s.upper.to_string()), ("0.9154".to_owned(), "0.9933".to_owned()));
/// assert!(satisfaction(3, 2, &d).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn satisfaction(
    satisfied: u64,
    surveyed: u64,
    design: &SurveyDesign,
) -> Result<Satisfaction, ScoringError> {
    if surveyed == 0 || satisfied > surveyed {
        return Err(ScoringError::InvalidSurvey {
            satisfied,
            surveyed,
        });
    }
    let o = || ScoringError::Overflow;
    let n = Decimal::from(surveyed);
    let p = Decimal::from(satisfied).checked_div(n).ok_or_else(o)?;
    let z = design.z.as_decimal();
    let z2 = z.checked_mul(z).ok_or_else(o)?;
    let z2_n = z2.checked_div(n).ok_or_else(o)?;
    let denom = Decimal::ONE.checked_add(z2_n).ok_or_else(o)?;
    let centre = p
        .checked_add(z2_n.checked_div(Decimal::TWO).ok_or_else(o)?)
        .ok_or_else(o)?;
    let q = Decimal::ONE.checked_sub(p).ok_or_else(o)?;
    let radicand = p
        .checked_mul(q)
        .and_then(|v| v.checked_div(n))
        .and_then(|v| v.checked_add(z2_n.checked_div(n.checked_mul(Decimal::from(4))?)?))
        .ok_or_else(o)?;
    let half = z
        .checked_mul(sqrt(radicand, design.sqrt_places)?)
        .ok_or_else(o)?;
    let bound = |v: Decimal| -> Result<Rate, ScoringError> {
        let r = design
            .interval_rounding
            .apply(v.checked_div(denom).ok_or_else(o)?)
            .max(Decimal::ZERO)
            .min(Decimal::ONE);
        Ok(Rate::from_decimal(r)?)
    };
    let lower = bound(centre.checked_sub(half).ok_or_else(o)?)?;
    let upper = bound(centre.checked_add(half).ok_or_else(o)?)?;
    Ok(Satisfaction {
        satisfied,
        surveyed,
        rate: Rate::ratio_of_ints(
            i64::try_from(satisfied).map_err(|_| o())?,
            i64::try_from(surveyed).map_err(|_| o())?,
        )?,
        lower,
        upper,
        z: design.z,
    })
}
