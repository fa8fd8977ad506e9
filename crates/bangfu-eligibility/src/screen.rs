//! The population screen (批量筛查): the exclusion and income tests of [`assess`](crate::assess), with the
//! policy in force on one date looked up once, over plain counts, without allocating.

use bangfu_core::{CityCode, CoreError, MinimumLivingStandard, Money};
use chrono::NaiveDate;

use crate::EligibilityError;
use crate::household::{Household, SchoolFee, VehicleKind};
use crate::policy::{Band, Comparison, EligibilityPolicy, Exclusion, FactKind, PerCapitaBasis};

/// The position of a fact in [`ScreenFacts`] (vehicle use is kept by kind instead).
const fn fact_slot(fact: FactKind) -> Option<usize> {
    match fact {
        FactKind::HomesOwned => Some(0),
        FactKind::ShopsOwned => Some(1),
        FactKind::Employees => Some(2),
        FactKind::HighFeePrivateSchool => Some(3),
        FactKind::SelfFundedStudyAbroad => Some(4),
        FactKind::ControllingShareholders => Some(5),
        FactKind::HighConsumption => Some(6),
        FactKind::RefusedVerification => Some(7),
        FactKind::PersonsRunningBusiness => Some(8),
        FactKind::NonEmployeeVehicleUse => None,
    }
}

const fn vehicle_slot(kind: VehicleKind) -> usize {
    match kind {
        VehicleKind::Car => 0,
        VehicleKind::Truck => 1,
        VehicleKind::Motorcycle => 2,
        VehicleKind::DisabledFunctional => 3,
        VehicleKind::Farm => 4,
    }
}

/// What the screen needs to know about a household (筛查事实): its size, income and the
/// counts its exclusions test. Plain `Copy` data, so a population can be held as columns
/// and screened without building [`Household`]s.
///
/// # Example
/// ```
/// use bangfu_eligibility::{FactKind, ScreenFacts, VehicleKind};
/// use bangfu_core::Money;
/// let mut f = ScreenFacts::new(3, Money::from_yuan(18_000)?);
/// f.set(FactKind::HomesOwned, 1);
/// f.add_vehicle(VehicleKind::Car);
/// assert_eq!(f.get(FactKind::NonEmployeeVehicleUse, &[]), 1);
/// assert_eq!(f.get(FactKind::NonEmployeeVehicleUse, &[VehicleKind::Car]), 0);
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ScreenFacts {
    /// Household size, the worker included (家庭人口).
    pub size: u32,
    /// Declared annual household income (家庭年收入).
    pub annual_income: Money,
    /// Rigid expenditure (刚性支出), deducted under the net per-capita basis.
    pub rigid_expenditure: Money,
    /// At least one hardship cause is claimed (特殊原因).
    pub cause_claimed: bool,
    /// The hardship cost of a claimed sudden event (突发事件), if one is claimed.
    pub accident_cost: Option<Money>,
    counts: [u32; 9],
    vehicles: [u32; 5],
}

impl ScreenFacts {
    /// A household of `size` persons with `annual_income` and every count zero.
    #[inline]
    pub fn new(size: u32, annual_income: Money) -> ScreenFacts {
        ScreenFacts {
            size,
            annual_income,
            ..ScreenFacts::default()
        }
    }

    /// Sets a count. [`FactKind::NonEmployeeVehicleUse`] is kept by vehicle kind: use
    /// [`ScreenFacts::add_vehicle`] (setting it here is ignored).
    #[inline]
    pub fn set(&mut self, fact: FactKind, count: u32) {
        if let Some(slot) = fact_slot(fact).and_then(|i| self.counts.get_mut(i)) {
            *slot = count;
        }
    }

    /// Counts one vehicle in regular use other than as an employee.
    #[inline]
    pub fn add_vehicle(&mut self, kind: VehicleKind) {
        if let Some(slot) = self.vehicles.get_mut(vehicle_slot(kind)) {
            *slot = slot.saturating_add(1);
        }
    }

    /// Sets the number of vehicles of `kind` in regular use other than as an employee
    /// (what [`ScreenFacts::add_vehicle`] counts one by one), without a branch on it.
    ///
    /// # Example
    /// ```
    /// use bangfu_eligibility::{FactKind, ScreenFacts, VehicleKind};
    /// use bangfu_core::Money;
    /// let mut f = ScreenFacts::new(3, Money::ZERO);
    /// f.set_vehicles(VehicleKind::Car, 2);
    /// let mut g = ScreenFacts::new(3, Money::ZERO);
    /// g.add_vehicle(VehicleKind::Car);
    /// g.add_vehicle(VehicleKind::Car);
    /// assert_eq!(f, g);
    /// ```
    #[inline]
    pub fn set_vehicles(&mut self, kind: VehicleKind, count: u32) {
        if let Some(slot) = self.vehicles.get_mut(vehicle_slot(kind)) {
            *slot = count;
        }
    }

    /// A count, leaving out the `exempt` vehicle kinds (as [`fact_value`](crate::fact_value) does).
    #[inline]
    pub fn get(&self, fact: FactKind, exempt: &[VehicleKind]) -> u32 {
        match fact_slot(fact) {
            Some(i) => self.counts.get(i).copied().unwrap_or(0),
            None => VehicleKind::ALL
                .iter()
                .filter(|k| !exempt.contains(k))
                .map(|k| self.vehicles.get(vehicle_slot(*k)).copied().unwrap_or(0))
                .fold(0u32, u32::saturating_add),
        }
    }

    /// The facts of a household, as [`assess`](crate::assess) reads them.
    ///
    /// # Example
    /// ```
    /// use bangfu_eligibility::{FactKind, Household, ScreenFacts};
    /// let f = ScreenFacts::of(&Household::example()?);
    /// assert_eq!((f.size, f.get(FactKind::HomesOwned, &[])), (3, 1));
    /// # Ok::<(), bangfu_eligibility::EligibilityError>(())
    /// ```
    pub fn of(household: &Household) -> ScreenFacts {
        let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
        let fee = |f: SchoolFee| {
            count(
                household
                    .persons()
                    .filter(|p| p.school.as_ref().is_some_and(|s| s.fee == f))
                    .count(),
            )
        };
        let mut out = ScreenFacts {
            size: household.size(),
            annual_income: household.annual_income,
            rigid_expenditure: household.rigid_expenditure,
            cause_claimed: !household.causes.is_empty(),
            accident_cost: household.accident.as_ref().map(|a| a.cost),
            ..ScreenFacts::default()
        };
        out.set(FactKind::HomesOwned, household.assets.homes);
        out.set(FactKind::ShopsOwned, household.assets.shops);
        out.set(FactKind::Employees, household.assets.employees);
        out.set(
            FactKind::HighFeePrivateSchool,
            fee(SchoolFee::HighFeePrivate),
        );
        out.set(
            FactKind::SelfFundedStudyAbroad,
            fee(SchoolFee::SelfFundedAbroad),
        );
        out.set(
            FactKind::ControllingShareholders,
            count(
                household
                    .persons()
                    .filter(|p| p.controlling_shareholder)
                    .count(),
            ),
        );
        out.set(
            FactKind::PersonsRunningBusiness,
            count(household.persons().filter(|p| p.runs_business).count()),
        );
        out.set(
            FactKind::HighConsumption,
            u32::from(household.high_consumption),
        );
        out.set(
            FactKind::RefusedVerification,
            u32::from(household.refused_verification),
        );
        for v in &household.assets.vehicles {
            if v.regular_use && !v.as_employee {
                out.add_vehicle(v.kind);
            }
        }
        out
    }
}

/// One exclusion test resolved to where its count is kept.
#[derive(Debug, Clone, Copy)]
struct Test {
    /// Index into [`Screen::exclusions`].
    exclusion: usize,
    /// A count slot, or (for vehicle use) the bit mask of the vehicle kinds counted.
    slot: Slot,
    at_least: u32,
}

#[derive(Debug, Clone, Copy)]
enum Slot {
    Count(usize),
    Vehicles(u8),
}

impl ScreenFacts {
    #[inline]
    fn count(&self, slot: Slot) -> u32 {
        match slot {
            Slot::Count(i) => self.counts.get(i).copied().unwrap_or(0),
            Slot::Vehicles(mask) => self
                .vehicles
                .iter()
                .enumerate()
                .filter(|(k, _)| mask & (1 << k) != 0)
                .fold(0u32, |a, (_, n)| a.saturating_add(*n)),
        }
    }
}

/// An income line resolved to integers: `net fen × 10^scale OP per_person × size`.
#[derive(Debug, Clone, Copy)]
struct Line {
    /// `L (fen) × multiplier mantissa × 12`: the annual line of one person, × 10^scale.
    per_person: i128,
    /// `10^scale` of the multiplier.
    unit: i128,
    /// `per_person` and `unit` as i64 when both fit: the comparison is made in i64 with
    /// checked products, and in i128 only when one overflows (the same result, exactly).
    narrow: Option<(i64, i64)>,
    /// The rigid expenditure is deducted (the band's or the scheme's net basis).
    net: bool,
    comparison: Comparison,
    /// The comparison as the orderings of `lhs` to `rhs` that meet it: bit 0 less, bit 1
    /// equal, bit 2 greater (a shift, not a branch on the operator).
    meets: u8,
}

/// The orderings (bit 0 less, 1 equal, 2 greater) of a value to its threshold that meet
/// `comparison`.
const fn meets(comparison: Comparison) -> u8 {
    match comparison {
        Comparison::Lt => 0b001,
        Comparison::Le => 0b011,
        Comparison::Gt => 0b100,
        Comparison::Ge => 0b110,
    }
}

/// The bands of the scheme, specialised for the shape present.
#[derive(Debug, Clone)]
enum Bands<'p> {
    /// One band, tested by its income line alone (no cause, accident or cost test).
    OneLine(&'p Band, Line),
    /// Any other shape: each band in order.
    Each(Vec<BandTest<'p>>),
}

/// A band resolved: what it requires, its line and whether it has a cost test.
#[derive(Debug, Clone, Copy)]
struct BandTest<'p> {
    band: &'p Band,
    requires_cause: bool,
    requires_accident: bool,
    line: Option<Line>,
    cost_share: bool,
}

/// The exclusion tests folded into one compare for [`Screen::passes`], which needs only
/// whether some exclusion applies, not which: some test of some exclusion holds exactly
/// when some count reaches the least `at_least` of the tests on its slot, or a vehicle
/// test holds.
#[derive(Debug, Clone)]
struct AnyExclusion {
    /// Some test has `at_least = 0`, which every household meets.
    always: bool,
    /// Per count slot, the least `at_least ≥ 1` of the tests on it, minus one: the slot
    /// excludes when its count is above this. `u32::MAX`, which no count is above, where
    /// there is no test.
    above: [u32; 9],
    /// The vehicle-use tests: the kinds counted (mask) and the least `at_least` for each
    /// distinct mask.
    vehicles: Vec<(u8, u32)>,
}

impl AnyExclusion {
    fn new(tests: &[Test]) -> AnyExclusion {
        let mut always = false;
        let mut above = [u32::MAX; 9];
        let mut vehicles: Vec<(u8, u32)> = Vec::new();
        for t in tests {
            match t.slot {
                Slot::Count(i) => match (t.at_least.checked_sub(1), above.get_mut(i)) {
                    (None, _) => always = true,
                    (Some(k), Some(a)) => *a = (*a).min(k),
                    (Some(_), None) => {}
                },
                Slot::Vehicles(mask) => match vehicles.iter_mut().find(|(m, _)| *m == mask) {
                    Some((_, k)) => *k = (*k).min(t.at_least),
                    None => vehicles.push((mask, t.at_least)),
                },
            }
        }
        AnyExclusion {
            always,
            above,
            vehicles,
        }
    }

    /// Whether some exclusion applies.
    #[inline(always)]
    fn applies(&self, facts: &ScreenFacts) -> bool {
        // `|`, not `||`: whether a household is excluded is data, and a branch on it would
        // be mispredicted for a population of households.
        let mut hit = self.always;
        for (&c, &a) in facts.counts.iter().zip(&self.above) {
            hit |= c > a;
        }
        for &(mask, k) in &self.vehicles {
            hit |= facts.count(Slot::Vehicles(mask)) >= k;
        }
        hit
    }
}

/// The outcome of screening one household (筛查结果).
///
/// # Example
/// See [`Screen`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screening<'p> {
    /// The first exclusion in force that applies, if any.
    pub exclusion: Option<&'p Exclusion>,
    /// The first band of the scheme whose tests all hold (the category and tier
    /// [`assess`](crate::assess) proposes), if any.
    pub band: Option<&'p Band>,
}

impl Screening<'_> {
    /// No exclusion applies and a band is met: what [`assess`](crate::assess) finds eligible when the
    /// base conditions (membership, contract) hold and the documents are complete.
    pub fn passes(&self) -> bool {
        self.exclusion.is_none() && self.band.is_some()
    }
}

/// The exclusion and income tests of the policy in force on one date, looked up once (筛查):
/// the fast path of [`assess`](crate::assess) for a population. It tests exactly what [`assess`](crate::assess) tests
/// for exclusions and bands, with the same exact comparisons, but neither the base
/// conditions (membership, contract) nor the documents, and records no explanation; it
/// does not allocate per household.
///
/// # Example
/// ```
/// use bangfu_eligibility::{assess, EligibilityPolicy, FactKind, Household, Screen, ScreenFacts};
/// let policy = EligibilityPolicy::hainan_2018()?;
/// let date = chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
/// let screen = Screen::new(&policy, date)?;
/// let household = Household::example()?;
/// let s = screen.test(&ScreenFacts::of(&household))?;
/// let d = assess(&policy, &household, date)?;
/// assert!(s.passes() && d.is_eligible());
/// let mut two_homes = ScreenFacts::of(&household);
/// two_homes.set(FactKind::HomesOwned, 2);
/// assert_eq!(screen.test(&two_homes)?.exclusion.map(|e| e.id.as_str()), Some("multiple_homes"));
/// # Ok::<(), bangfu_eligibility::EligibilityError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Screen<'p> {
    date: NaiveDate,
    exclusions: Vec<&'p Exclusion>,
    /// Every test of every exclusion in force, in order.
    tests: Vec<Test>,
    /// The same tests folded, for [`Screen::passes`].
    any: AnyExclusion,
    standard: Money,
    /// The scheme's bands, in order.
    bands: Bands<'p>,
}

impl<'p> Screen<'p> {
    /// The tests of `policy` in force on `date`.
    ///
    /// # Errors
    /// [`EligibilityError::Core`] when the scheme or the minimum living standard is not in
    /// force on `date`, or a line overflows.
    pub fn new(
        policy: &'p EligibilityPolicy,
        date: NaiveDate,
    ) -> Result<Screen<'p>, EligibilityError> {
        Screen::for_city(policy, date, None)
    }

    /// The tests of `policy` in force on `date` for the households of `city` (城市): the
    /// income lines read that city's minimum living standard; `None` is the policy's own
    /// city, as for a household that names none ([`Screen::new`]). Screen the households of
    /// each city with that city's screen.
    ///
    /// # Errors
    /// As [`Screen::new`]; `core.minimum_standard.unknown_city` for a city the standard
    /// does not list.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::CityCode;
    /// use bangfu_eligibility::{EligibilityPolicy, Screen};
    /// let text = format!("{}\n{}", bangfu_eligibility::HAINAN_2018_POLICY_TOML,
    ///     bangfu_core::MINIMUM_STANDARD_HAINAN_2018_TOML);
    /// let policy = EligibilityPolicy::from_toml_section(&text)?;
    /// let date = chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
    /// assert!(Screen::for_city(&policy, date, Some(&CityCode::new("460100")?)).is_ok());
    /// assert!(Screen::for_city(&policy, date, Some(&CityCode::new("460200")?)).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn for_city(
        policy: &'p EligibilityPolicy,
        date: NaiveDate,
        city: Option<&CityCode>,
    ) -> Result<Screen<'p>, EligibilityError> {
        let scheme = &policy.schemes.at("eligibility.schemes", date)?.value;
        let standard =
            MinimumLivingStandard::in_force(policy.minimum_living_standard.as_ref(), city, date)?
                .value;
        let overflow = || EligibilityError::Core(CoreError::Overflow { operation: "mul" });
        let mut bands = Vec::with_capacity(scheme.bands.len());
        for band in &scheme.bands {
            let line = match &band.income_line {
                None => None,
                Some(line) => {
                    let m = line.multiplier.as_decimal();
                    let unit = 10i128.checked_pow(m.scale()).ok_or_else(overflow)?;
                    let per_person = i128::from(standard.fen())
                        .checked_mul(m.mantissa())
                        .and_then(|v| v.checked_mul(12))
                        .ok_or_else(overflow)?;
                    let net = match band.per_capita.unwrap_or(scheme.per_capita) {
                        PerCapitaBasis::Gross => false,
                        PerCapitaBasis::NetOfRigidExpenditure => true,
                    };
                    Some(Line {
                        per_person,
                        unit,
                        narrow: i64::try_from(per_person).ok().zip(i64::try_from(unit).ok()),
                        net,
                        comparison: line.comparison,
                        meets: meets(line.comparison),
                    })
                }
            };
            bands.push(BandTest {
                band,
                requires_cause: band.requires_cause,
                requires_accident: band.requires_accident,
                line,
                cost_share: band.cost_share.is_some(),
            });
        }
        let exclusions: Vec<&'p Exclusion> = policy.exclusions_on(date).collect();
        let mut tests = Vec::new();
        for (i, e) in exclusions.iter().enumerate() {
            for p in &e.any {
                let slot = match fact_slot(p.fact) {
                    Some(c) => Slot::Count(c),
                    None => Slot::Vehicles(
                        VehicleKind::ALL
                            .iter()
                            .filter(|k| !p.exempt_vehicle_kinds.contains(k))
                            .fold(0u8, |m, k| m | (1 << vehicle_slot(*k))),
                    ),
                };
                tests.push(Test {
                    exclusion: i,
                    slot,
                    at_least: p.at_least,
                });
            }
        }
        let any = AnyExclusion::new(&tests);
        let bands = match bands.as_slice() {
            [
                BandTest {
                    band,
                    requires_cause: false,
                    requires_accident: false,
                    line: Some(line),
                    cost_share: false,
                },
            ] => Bands::OneLine(band, *line),
            _ => Bands::Each(bands),
        };
        Ok(Screen {
            date,
            exclusions,
            tests,
            any,
            standard,
            bands,
        })
    }

    /// The date the tests are in force on.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// Screens one household.
    ///
    /// # Errors
    /// [`EligibilityError::Core`] for a household of size zero or an overflow.
    #[inline]
    pub fn test(&self, facts: &ScreenFacts) -> Result<Screening<'p>, EligibilityError> {
        if facts.size == 0 {
            return Err(EligibilityError::Core(CoreError::DivisionByZero));
        }
        let exclusion = self
            .tests
            .iter()
            .find(|t| facts.count(t.slot) >= t.at_least)
            .and_then(|t| self.exclusions.get(t.exclusion).copied());
        let band = self.first_band(facts)?;
        Ok(Screening { exclusion, band })
    }

    /// Whether one household passes: `self.test(facts)?.passes()`, with the same errors,
    /// without finding which exclusion applies (the exclusion tests folded into one
    /// compare per count).
    ///
    /// # Errors
    /// As [`Screen::test`].
    ///
    /// # Example
    /// ```
    /// use bangfu_eligibility::{EligibilityPolicy, FactKind, Household, Screen, ScreenFacts};
    /// let policy = EligibilityPolicy::hainan_2018()?;
    /// let screen = Screen::new(&policy, chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap())?;
    /// let mut facts = ScreenFacts::of(&Household::example()?);
    /// assert!(screen.passes(&facts)?);
    /// facts.set(FactKind::HomesOwned, 2);
    /// assert_eq!(screen.passes(&facts)?, screen.test(&facts)?.passes());
    /// assert!(!screen.passes(&facts)?);
    /// # Ok::<(), bangfu_eligibility::EligibilityError>(())
    /// ```
    #[inline(always)]
    pub fn passes(&self, facts: &ScreenFacts) -> Result<bool, EligibilityError> {
        if facts.size == 0 {
            return Err(EligibilityError::Core(CoreError::DivisionByZero));
        }
        // The bands first: their errors are `test`'s whether or not an exclusion applies.
        let band = self.first_band(facts)?;
        // `&`, not `&&`: no branch on the household's data (see `AnyExclusion::applies`).
        Ok(band.is_some() & !self.any.applies(facts))
    }

    /// The first band whose tests all hold.
    #[inline(always)]
    fn first_band(&self, facts: &ScreenFacts) -> Result<Option<&'p Band>, EligibilityError> {
        let bands = match &self.bands {
            Bands::OneLine(band, line) => return Ok(line.holds(facts)?.then_some(*band)),
            Bands::Each(bands) => bands,
        };
        for b in bands {
            if b.requires_cause && !facts.cause_claimed {
                continue;
            }
            if b.requires_accident && facts.accident_cost.is_none() {
                continue;
            }
            if let Some(l) = &b.line
                && !l.holds(facts)?
            {
                continue;
            }
            if b.cost_share && !cost_share_holds(b.band, facts.annual_income, facts.accident_cost)?
            {
                continue;
            }
            return Ok(Some(b.band));
        }
        Ok(None)
    }

    /// The minimum living standard L in force.
    pub fn standard(&self) -> Money {
        self.standard
    }
}

impl Line {
    /// `net × unit OP per_person × size`, exactly: in i64 when the products fit, else in
    /// i128 (out of line).
    #[inline(always)]
    fn holds(&self, facts: &ScreenFacts) -> Result<bool, EligibilityError> {
        let deduction = if self.net {
            facts.rigid_expenditure.fen()
        } else {
            0
        };
        let narrow = self.narrow.and_then(|(per_person, unit)| {
            let net = facts.annual_income.fen().checked_sub(deduction)?;
            Some((
                net.checked_mul(unit)?,
                per_person.checked_mul(i64::from(facts.size))?,
            ))
        });
        match narrow {
            Some((lhs, rhs)) => {
                // Less → 0, equal → 1, greater → 2.
                let ord = u32::from(lhs >= rhs) + u32::from(lhs > rhs);
                Ok((self.meets >> ord) & 1 != 0)
            }
            None => self.holds_wide(facts.annual_income.fen(), deduction, facts.size),
        }
    }

    #[cold]
    #[inline(never)]
    /// (The facts by value, not by reference, so that a caller's [`ScreenFacts`] can stay
    /// in registers.)
    fn holds_wide(&self, income: i64, deduction: i64, size: u32) -> Result<bool, EligibilityError> {
        let overflow = || EligibilityError::Core(CoreError::Overflow { operation: "mul" });
        let net = i128::from(income) - i128::from(deduction);
        let lhs = net.checked_mul(self.unit).ok_or_else(overflow)?;
        let rhs = self
            .per_person
            .checked_mul(i128::from(size))
            .ok_or_else(overflow)?;
        Ok(self.comparison.holds(&lhs, &rhs))
    }
}

/// The accident test of a band with a cost share (in `Decimal`, as `assess`).
#[cold]
#[inline(never)]
fn cost_share_holds(
    band: &Band,
    annual_income: Money,
    accident_cost: Option<Money>,
) -> Result<bool, EligibilityError> {
    let overflow = || EligibilityError::Core(CoreError::Overflow { operation: "mul" });
    let Some(cost) = &band.cost_share else {
        return Ok(true);
    };
    let Some(c) = accident_cost else {
        return Ok(false);
    };
    let limit = annual_income
        .to_decimal_yuan()
        .checked_mul(cost.share.as_decimal())
        .ok_or_else(overflow)?;
    Ok(cost.comparison.holds(&c.to_decimal_yuan(), &limit))
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
    use crate::{EXAMPLE_POLICY_TOML, HAINAN_2018_POLICY_TOML};
    use proptest::prelude::*;

    fn count() -> impl Strategy<Value = u32> {
        prop_oneof![4 => 0u32..=3, 1 => any::<u32>()]
    }

    fn fen() -> impl Strategy<Value = Money> {
        prop_oneof![
            4 => 0i64..=30_000_000,
            1 => 0i64..=i64::MAX,
            1 => (i64::MAX - 1_000)..=i64::MAX,
        ]
        .prop_map(|f| Money::from_fen(f).unwrap())
    }

    prop_compose! {
        fn facts()(
            size in prop_oneof![4 => 0u32..=6, 1 => any::<u32>()],
            annual_income in fen(),
            rigid_expenditure in fen(),
            cause_claimed: bool,
            accident_cost in proptest::option::of(fen()),
            counts in prop::array::uniform9(count()),
            vehicles in prop::array::uniform5(count()),
        ) -> ScreenFacts {
            ScreenFacts { size, annual_income, rigid_expenditure, cause_claimed, accident_cost, counts, vehicles }
        }
    }

    fn date() -> impl Strategy<Value = NaiveDate> {
        (2017i32..=2024, 1u32..=365).prop_map(|(y, o)| NaiveDate::from_yo_opt(y, o).unwrap())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(2048)))]

        // `passes` (the exclusions folded into one compare) is `test(..).passes()`, errors
        // included, under both shipped policies on any date either is in force.
        #[test]
        fn passes_is_test_passes(f in facts(), later: bool, on in date()) {
            let src = if later { EXAMPLE_POLICY_TOML } else { HAINAN_2018_POLICY_TOML };
            let policy = EligibilityPolicy::from_toml_section(src).unwrap();
            let Ok(screen) = Screen::new(&policy, on) else { return Ok(()) };
            let full = screen.test(&f).map(|s| s.passes());
            prop_assert_eq!(screen.passes(&f), full);
        }

        // The i64 comparison of an income line is the i128 one, errors included.
        #[test]
        fn the_narrow_line_is_the_wide_line(
            f in facts(),
            per_person in prop_oneof![0i128..=10_000_000_000, 0i128..=i128::from(i64::MAX)],
            scale in 0u32..=20,
            net: bool,
            op in prop::sample::select(vec![Comparison::Lt, Comparison::Le, Comparison::Gt, Comparison::Ge]),
        ) {
            let unit = 10i128.pow(scale);
            let line = Line {
                per_person,
                unit,
                narrow: i64::try_from(per_person).ok().zip(i64::try_from(unit).ok()),
                net,
                comparison: op,
                meets: meets(op),
            };
            let deduction = if net { f.rigid_expenditure.fen() } else { 0 };
            prop_assert_eq!(line.holds(&f), line.holds_wide(f.annual_income.fen(), deduction, f.size));
        }
    }

    /// A policy whose scheme has one band tested by its income line alone (the shape
    /// [`Bands::OneLine`] specialises), from the Hainan policy, with `comparison`.
    fn one_line_policy(comparison: Comparison) -> (EligibilityPolicy, NaiveDate) {
        let mut policy = EligibilityPolicy::hainan_2018().unwrap();
        let on = NaiveDate::from_ymd_opt(2018, 6, 1).unwrap();
        let dated = policy.schemes.at("schemes", on).unwrap().clone();
        let mut scheme = dated.value;
        let mut band = scheme
            .bands
            .iter()
            .find(|b| b.income_line.is_some())
            .unwrap()
            .clone();
        band.requires_cause = false;
        band.requires_accident = false;
        band.cost_share = None;
        if let Some(line) = &mut band.income_line {
            line.comparison = comparison;
        }
        scheme.bands = vec![band];
        policy.schemes = bangfu_core::Timeline::single(dated.from, scheme, dated.cite);
        (policy, on)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(2048)))]

        // The one-line specialisation screens as the band-by-band walk does.
        #[test]
        fn one_line_bands_are_the_band_walk(
            f in facts(),
            op in prop::sample::select(vec![Comparison::Lt, Comparison::Le, Comparison::Gt, Comparison::Ge]),
        ) {
            let (policy, on) = one_line_policy(op);
            let screen = Screen::new(&policy, on).unwrap();
            let Bands::OneLine(band, line) = &screen.bands else {
                panic!("not specialised");
            };
            let mut walk = screen.clone();
            walk.bands = Bands::Each(vec![BandTest {
                band,
                requires_cause: false,
                requires_accident: false,
                line: Some(*line),
                cost_share: false,
            }]);
            prop_assert_eq!(screen.test(&f), walk.test(&f));
            prop_assert_eq!(screen.passes(&f), walk.passes(&f));
            prop_assert_eq!(screen.passes(&f), screen.test(&f).map(|s| s.passes()));
        }
    }

    fn slot() -> impl Strategy<Value = Slot> {
        prop_oneof![
            (0usize..9).prop_map(Slot::Count),
            (0u8..32).prop_map(Slot::Vehicles),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(cases(2048)))]

        // The folded tests apply exactly when one of the tests, walked in order, holds.
        #[test]
        fn the_folded_exclusions_are_the_tests_walked(
            tests in prop::collection::vec((slot(), prop_oneof![0u32..=4, any::<u32>()]), 0..=6),
            f in facts(),
        ) {
            let tests: Vec<Test> = tests
                .into_iter()
                .enumerate()
                .map(|(exclusion, (slot, at_least))| Test { exclusion, slot, at_least })
                .collect();
            let walked = tests.iter().any(|t| f.count(t.slot) >= t.at_least);
            prop_assert_eq!(AnyExclusion::new(&tests).applies(&f), walked);
        }
    }

    #[test]
    fn the_folded_exclusions_keep_the_least_threshold_of_each_slot() {
        let tests = [
            Test {
                exclusion: 0,
                slot: Slot::Count(0),
                at_least: 3,
            },
            Test {
                exclusion: 1,
                slot: Slot::Count(0),
                at_least: 2,
            },
            Test {
                exclusion: 1,
                slot: Slot::Vehicles(0b11),
                at_least: 2,
            },
            Test {
                exclusion: 2,
                slot: Slot::Vehicles(0b11),
                at_least: 1,
            },
            Test {
                exclusion: 2,
                slot: Slot::Vehicles(0b100),
                at_least: 1,
            },
        ];
        let any = AnyExclusion::new(&tests);
        assert_eq!(any.above[0], 1);
        assert_eq!(any.above[1], u32::MAX);
        assert!(!any.always);
        assert_eq!(any.vehicles, vec![(0b11, 1), (0b100, 1)]);
        let zero = [Test {
            exclusion: 0,
            slot: Slot::Count(4),
            at_least: 0,
        }];
        assert!(AnyExclusion::new(&zero).applies(&ScreenFacts::default()));
        let mut f = ScreenFacts::new(1, Money::ZERO);
        f.counts[1] = u32::MAX;
        assert!(!any.applies(&f));
        f.add_vehicle(VehicleKind::Motorcycle);
        assert!(any.applies(&f));
    }
}
