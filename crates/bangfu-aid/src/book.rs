//! What a year has committed so far (本年度累计台账), by household and medical cap scope: the
//! one implementation of the year-to-date that the calculators take.

use std::collections::{BTreeSet, HashMap};

use bangfu_core::{CoreError, HouseholdId, Money, PersonId};

use crate::{CapScope, YearToDate};

/// One household's committed aid in the year.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Entry {
    /// Medical aid per applicant: out-of-pocket cost claimed and aid committed.
    medical: Vec<(PersonId, YearToDate)>,
    /// Regular living aid committed (sending warmth not included).
    living_regular: Money,
    /// All living aid committed, sending warmth included.
    living_all: Money,
    /// The students whose education aid was committed.
    students: BTreeSet<PersonId>,
}

impl Entry {
    fn medical_total(&self) -> Result<YearToDate, CoreError> {
        let mut total = YearToDate::default();
        for (_, y) in &self.medical {
            total.cost = total.cost.checked_add(y.cost)?;
            total.paid = total.paid.checked_add(y.paid)?;
        }
        Ok(total)
    }
}

/// What one programme year has committed so far, by household (本年度累计台账): medical
/// cost and aid per applicant, living aid (regular and all), and the students paid. It answers
/// the year-to-date a calculator takes for the next claim ([`AidBook::medical`] by the
/// policy's cap scope, [`AidBook::living_paid`], [`AidBook::student_paid`]) and records what
/// was committed. One book holds one year: a new year starts a new book.
///
/// # Example
/// ```
/// use bangfu_aid::{AidBook, CapScope};
/// use bangfu_core::{HouseholdId, Money, PersonId};
/// let (h, a, b): (HouseholdId, PersonId, PersonId) = ("HK-1".parse()?, "p-a".parse()?, "p-b".parse()?);
/// let mut book = AidBook::default();
/// book.add_medical(&h, &a, Money::from_yuan(40_000)?, Money::from_yuan(15_000)?)?;
/// // Per applicant, the second member starts from nothing; per household, from the first's.
/// assert!(book.medical(&h, &b, CapScope::Applicant)?.paid.is_zero());
/// assert_eq!(book.medical(&h, &b, CapScope::Household)?.paid, Money::from_yuan(15_000)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AidBook {
    households: HashMap<HouseholdId, Entry>,
}

impl AidBook {
    /// The medical year-to-date for a claim of `applicant` in `household` under `scope`: the
    /// applicant's own cost and aid, or the whole household's.
    ///
    /// # Errors
    /// `core.money.overflow` when the household's sums overflow.
    pub fn medical(
        &self,
        household: &HouseholdId,
        applicant: &PersonId,
        scope: CapScope,
    ) -> Result<YearToDate, CoreError> {
        let Some(entry) = self.households.get(household) else {
            return Ok(YearToDate::default());
        };
        match scope {
            CapScope::Household => entry.medical_total(),
            CapScope::Applicant => Ok(entry
                .medical
                .iter()
                .find(|(p, _)| p == applicant)
                .map(|(_, y)| *y)
                .unwrap_or_default()),
        }
    }

    /// The household's medical aid committed this year, all applicants together.
    ///
    /// # Errors
    /// `core.money.overflow`.
    pub fn medical_paid(&self, household: &HouseholdId) -> Result<Money, CoreError> {
        self.households
            .get(household)
            .map_or(Ok(Money::ZERO), |e| e.medical_total().map(|t| t.paid))
    }

    /// The household's regular living aid committed this year (what the living standard's
    /// yearly limit counts).
    pub fn living_paid(&self, household: &HouseholdId) -> Money {
        self.households
            .get(household)
            .map_or(Money::ZERO, |e| e.living_regular)
    }

    /// The living year-to-date the calculator takes: the regular living aid paid (the cost is
    /// medical aid's alone).
    pub fn living(&self, household: &HouseholdId) -> YearToDate {
        YearToDate {
            cost: Money::ZERO,
            paid: self.living_paid(household),
        }
    }

    /// All living aid committed to the household this year, sending warmth included.
    pub fn living_all(&self, household: &HouseholdId) -> Money {
        self.households
            .get(household)
            .map_or(Money::ZERO, |e| e.living_all)
    }

    /// Whether education aid was committed for `student` of the household this year.
    pub fn student_paid(&self, household: &HouseholdId, student: &PersonId) -> bool {
        self.households
            .get(household)
            .is_some_and(|e| e.students.contains(student))
    }

    /// Records a medical claim's out-of-pocket cost and the aid committed for it.
    ///
    /// # Errors
    /// `core.money.overflow`; nothing is recorded then.
    pub fn add_medical(
        &mut self,
        household: &HouseholdId,
        applicant: &PersonId,
        cost: Money,
        paid: Money,
    ) -> Result<(), CoreError> {
        let entry = self.households.entry(household.clone()).or_default();
        let at = match entry.medical.iter().position(|(p, _)| p == applicant) {
            Some(i) => i,
            None => {
                entry
                    .medical
                    .push((applicant.clone(), YearToDate::default()));
                entry.medical.len() - 1
            }
        };
        if let Some((_, y)) = entry.medical.get_mut(at) {
            let next = YearToDate {
                cost: y.cost.checked_add(cost)?,
                paid: y.paid.checked_add(paid)?,
            };
            *y = next;
        }
        Ok(())
    }

    /// Records living aid committed: regular (`warmth` false) or sending warmth.
    ///
    /// # Errors
    /// `core.money.overflow`; nothing is recorded then.
    pub fn add_living(
        &mut self,
        household: &HouseholdId,
        amount: Money,
        warmth: bool,
    ) -> Result<(), CoreError> {
        let entry = self.households.entry(household.clone()).or_default();
        let all = entry.living_all.checked_add(amount)?;
        let regular = if warmth {
            entry.living_regular
        } else {
            entry.living_regular.checked_add(amount)?
        };
        entry.living_all = all;
        entry.living_regular = regular;
        Ok(())
    }

    /// Takes back medical cost and aid committed under `applicant` (a payment reversed, 冲正).
    ///
    /// # Errors
    /// `core.money.negative` when more is taken back than was committed; nothing changes
    /// then.
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{AidBook, CapScope};
    /// use bangfu_core::{HouseholdId, Money, PersonId};
    /// let (h, a): (HouseholdId, PersonId) = ("HK-1".parse()?, "p-a".parse()?);
    /// let mut book = AidBook::default();
    /// book.add_medical(&h, &a, Money::ZERO, Money::from_yuan(500)?)?;
    /// book.release_medical(&h, &a, Money::ZERO, Money::from_yuan(200)?)?;
    /// assert_eq!(book.medical_paid(&h)?, Money::from_yuan(300)?);
    /// assert!(book.release_medical(&h, &a, Money::ZERO, Money::from_yuan(301)?).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn release_medical(
        &mut self,
        household: &HouseholdId,
        applicant: &PersonId,
        cost: Money,
        paid: Money,
    ) -> Result<(), CoreError> {
        let committed = self
            .households
            .get_mut(household)
            .and_then(|e| e.medical.iter_mut().find(|(p, _)| p == applicant))
            .map(|(_, y)| y);
        let Some(y) = committed else {
            return Err(CoreError::Negative);
        };
        let next = YearToDate {
            cost: y.cost.checked_sub(cost)?,
            paid: y.paid.checked_sub(paid)?,
        };
        *y = next;
        Ok(())
    }

    /// Takes back living aid committed, regular (`warmth` false) or sending warmth (a
    /// payment reversed, 冲正).
    ///
    /// # Errors
    /// `core.money.negative` when more is taken back than was committed; nothing changes
    /// then.
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::AidBook;
    /// use bangfu_core::{HouseholdId, Money};
    /// let h: HouseholdId = "HK-1".parse()?;
    /// let mut book = AidBook::default();
    /// book.add_living(&h, Money::from_yuan(1_600)?, false)?;
    /// book.release_living(&h, Money::from_yuan(1_600)?, false)?;
    /// assert!(book.living_paid(&h).is_zero());
    /// assert!(book.release_living(&h, Money::from_yuan(1)?, true).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn release_living(
        &mut self,
        household: &HouseholdId,
        amount: Money,
        warmth: bool,
    ) -> Result<(), CoreError> {
        let Some(entry) = self.households.get_mut(household) else {
            return Err(CoreError::Negative);
        };
        let all = entry.living_all.checked_sub(amount)?;
        let regular = if warmth {
            entry.living_regular
        } else {
            entry.living_regular.checked_sub(amount)?
        };
        entry.living_all = all;
        entry.living_regular = regular;
        Ok(())
    }

    /// Records education aid committed for `student`.
    pub fn add_student(&mut self, household: &HouseholdId, student: &PersonId) {
        self.households
            .entry(household.clone())
            .or_default()
            .students
            .insert(student.clone());
    }
}
