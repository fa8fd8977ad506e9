//! The population screen (批量筛查): the exclusion and income tests of [`assess`](crate::assess), with the
//! policy in force on one date looked up once, over plain counts, without allocating.

use bangfu_core::{CoreError, Money};
use chrono::NaiveDate;

use crate::EligibilityError;
use crate::household::{Household, SchoolFee, VehicleKind};
use crate::policy::{Band, EligibilityPolicy, Exclusion, FactKind, PerCapitaBasis, Scheme};

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
/// let policy = EligibilityPolicy::from_toml_section(bangfu_eligibility::HAINAN_2018_POLICY_TOML)?;
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
    scheme: &'p Scheme,
    standard: Money,
    /// One per band, in order; `None` for a band without an income line.
    lines: Vec<Option<Line>>,
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
        let scheme = &policy.schemes.at("eligibility.schemes", date)?.value;
        let standard = policy
            .minimum_living_standard
            .at("eligibility.minimum_living_standard", date)?
            .value;
        let overflow = || EligibilityError::Core(CoreError::Overflow { operation: "mul" });
        let mut lines = Vec::with_capacity(scheme.bands.len());
        for band in &scheme.bands {
            lines.push(match &band.income_line {
                None => None,
                Some(line) => {
                    let m = line.multiplier.as_decimal();
                    let unit = 10i128.checked_pow(m.scale()).ok_or_else(overflow)?;
                    let per_person = i128::from(standard.fen())
                        .checked_mul(m.mantissa())
                        .and_then(|v| v.checked_mul(12))
                        .ok_or_else(overflow)?;
                    Some(Line { per_person, unit })
                }
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
        Ok(Screen {
            date,
            exclusions,
            tests,
            scheme,
            standard,
            lines,
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
        let mut band = None;
        for (b, line) in self.scheme.bands.iter().zip(&self.lines) {
            if self.band_met(b, line.as_ref(), facts)? {
                band = Some(b);
                break;
            }
        }
        Ok(Screening { exclusion, band })
    }

    #[inline]
    fn band_met(
        &self,
        band: &Band,
        line: Option<&Line>,
        facts: &ScreenFacts,
    ) -> Result<bool, EligibilityError> {
        let overflow = || EligibilityError::Core(CoreError::Overflow { operation: "mul" });
        if band.requires_cause && !facts.cause_claimed {
            return Ok(false);
        }
        if band.requires_accident && facts.accident_cost.is_none() {
            return Ok(false);
        }
        if let (Some(l), Some(income)) = (line, &band.income_line) {
            let basis = band.per_capita.unwrap_or(self.scheme.per_capita);
            let deduction = match basis {
                PerCapitaBasis::Gross => 0,
                PerCapitaBasis::NetOfRigidExpenditure => facts.rigid_expenditure.fen(),
            };
            let net = i128::from(facts.annual_income.fen()) - i128::from(deduction);
            let lhs = net.checked_mul(l.unit).ok_or_else(overflow)?;
            let rhs = l
                .per_person
                .checked_mul(i128::from(facts.size))
                .ok_or_else(overflow)?;
            if !income.comparison.holds(&lhs, &rhs) {
                return Ok(false);
            }
        }
        if let Some(cost) = &band.cost_share {
            let Some(c) = facts.accident_cost else {
                return Ok(false);
            };
            let limit = facts
                .annual_income
                .to_decimal_yuan()
                .checked_mul(cost.share.as_decimal())
                .ok_or_else(overflow)?;
            if !cost.comparison.holds(&c.to_decimal_yuan(), &limit) {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// The minimum living standard L in force.
    pub fn standard(&self) -> Money {
        self.standard
    }
}
