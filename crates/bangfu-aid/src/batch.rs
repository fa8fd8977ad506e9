//! Batch evaluation of a population: households with their claims of one programme year.

use bangfu_core::{Money, PersonId};
use chrono::Datelike;

use crate::{
    AidBook, AidDecision, AidError, AmountClaim, Calculator, Explain, FileFacts, MedicalClaim,
};

/// A medical claim in a batch: the applicant and the claim.
///
/// # Example
/// See [`Calculator::evaluate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchMedicalClaim {
    /// The applicant (申请人).
    pub applicant: PersonId,
    /// The claim.
    pub claim: MedicalClaim,
}

/// An education claim in a batch.
///
/// # Example
/// See [`Calculator::evaluate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchEducationClaim {
    /// The student.
    pub student: PersonId,
    /// The claim date.
    pub date: bangfu_core::NaiveDate,
}

/// One household of a population with its claims, each list in date order (a claim dated
/// before the previous accepted one of its list is refused).
///
/// # Example
/// See [`Calculator::evaluate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseholdClaims {
    /// The file.
    pub file: FileFacts,
    /// Medical claims.
    pub medical: Vec<BatchMedicalClaim>,
    /// Living aid claims.
    pub living: Vec<AmountClaim>,
    /// Sending-warmth claims.
    pub sending_warmth: Vec<AmountClaim>,
    /// Education claims.
    pub education: Vec<BatchEducationClaim>,
}

/// Which list a batch decision belongs to.
///
/// # Example
/// ```
/// assert_ne!(bangfu_aid::ClaimList::Medical, bangfu_aid::ClaimList::Living);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimList {
    /// [`HouseholdClaims::medical`].
    Medical,
    /// [`HouseholdClaims::living`].
    Living,
    /// [`HouseholdClaims::sending_warmth`].
    SendingWarmth,
    /// [`HouseholdClaims::education`].
    Education,
}

/// One decision of a batch, pointing back at its claim by position.
///
/// # Example
/// See [`Calculator::evaluate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchDecision<'p> {
    /// The household's index in the population.
    pub household: usize,
    /// The claim list.
    pub list: ClaimList,
    /// The claim's index in its list.
    pub index: usize,
    /// The decision, or why the claim was refused (a refused claim records nothing).
    pub result: Result<AidDecision<'p>, AidError>,
}

/// Count and amount of paid decisions (救助人次与金额).
///
/// # Example
/// ```
/// assert_eq!(bangfu_aid::Tally::default().count, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    /// Decisions paying more than zero (person-times).
    pub count: u64,
    /// Their amount.
    pub amount: Money,
}

impl Tally {
    fn add(&mut self, amount: Money) -> Result<(), AidError> {
        if !amount.is_zero() {
            self.amount = self.amount.checked_add(amount)?;
            self.count = self.count.saturating_add(1);
        }
        Ok(())
    }
}

/// Totals of a batch.
///
/// # Example
/// See [`Calculator::evaluate`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BatchTotals {
    /// Medical aid.
    pub medical: Tally,
    /// Living aid.
    pub living: Tally,
    /// Sending warmth.
    pub sending_warmth: Tally,
    /// Education aid.
    pub education: Tally,
    /// Everything.
    pub total: Tally,
    /// Claims refused with an error.
    pub refused: u64,
}

impl BatchTotals {
    fn count(&mut self, d: &BatchDecision<'_>) -> Result<(), AidError> {
        match &d.result {
            Ok(r) => {
                let tally = match d.list {
                    ClaimList::Medical => &mut self.medical,
                    ClaimList::Living => &mut self.living,
                    ClaimList::SendingWarmth => &mut self.sending_warmth,
                    ClaimList::Education => &mut self.education,
                };
                tally.add(r.amount)?;
                self.total.add(r.amount)?;
            }
            Err(_) => self.refused = self.refused.saturating_add(1),
        }
        Ok(())
    }
}

/// The decisions and totals of a batch.
///
/// # Example
/// See [`Calculator::evaluate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchResult<'p> {
    /// One decision per claim: households in order; per household medical, living, sending
    /// warmth, then education claims, each in list order.
    pub decisions: Vec<BatchDecision<'p>>,
    /// The totals.
    pub totals: BatchTotals,
}

/// The accepted decisions of a household's list so far: amount and the claim index.
fn accepted<'a, 'p>(
    done: &'a [BatchDecision<'p>],
) -> impl Iterator<Item = (usize, &'a AidDecision<'p>)> {
    done.iter()
        .filter_map(|d| d.result.as_ref().ok().map(|r| (d.index, r)))
}

fn in_order(done: &[BatchDecision<'_>], date: bangfu_core::NaiveDate) -> Result<(), AidError> {
    match accepted(done).last() {
        Some((_, last)) if last.date > date => Err(AidError::ClaimsOutOfOrder { date }),
        _ => Ok(()),
    }
}

impl<'p> Calculator<'p> {
    /// Decides every claim of a population, each household's claims in their lists' order
    /// with running yearly totals, exactly as deciding them one by one with the history of
    /// the earlier accepted claims gives.
    ///
    /// The fast path (explanation off) allocates only the decision vector, once.
    ///
    /// # Errors
    /// [`AidError::Overflow`] when a total overflows. A claim's own error is its decision's
    /// `result` and does not stop the batch.
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{BatchMedicalClaim, Calculator, Explain, HouseholdClaims, MedicalClaim};
    /// use bangfu_core::{Money, NaiveDate, PersonId};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
    /// let d = |m| NaiveDate::from_ymd_opt(2018, m, 1).unwrap();
    /// let p = PersonId::new("p1")?;
    /// let claim = |m, y| BatchMedicalClaim { applicant: p.clone(), claim: MedicalClaim { date: d(m), out_of_pocket: Money::from_yuan(y).unwrap() } };
    /// let household = HouseholdClaims {
    ///     file, medical: vec![claim(3, 10_000), claim(9, 30_000)],
    ///     living: vec![], sending_warmth: vec![], education: vec![],
    /// };
    /// let calc = Calculator::new(&policy)?;
    /// let batch = calc.evaluate(&[household], Explain::Off)?;
    /// assert_eq!(batch.decisions.len(), 2);
    /// assert_eq!(batch.totals.medical.count, 2);
    /// assert_eq!(batch.totals.total.amount, Money::from_yuan(15_000)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate(
        &self,
        population: &[HouseholdClaims],
        explain: Explain,
    ) -> Result<BatchResult<'p>, AidError> {
        let n = population.iter().fold(0usize, |n, h| {
            n.saturating_add(h.medical.len())
                .saturating_add(h.living.len())
                .saturating_add(h.sending_warmth.len())
                .saturating_add(h.education.len())
        });
        let mut decisions: Vec<BatchDecision<'p>> = Vec::with_capacity(n);
        for (hi, h) in population.iter().enumerate() {
            self.household(hi, h, explain, &mut decisions);
        }
        let mut totals = BatchTotals::default();
        for d in &decisions {
            totals.count(d)?;
        }
        Ok(BatchResult { decisions, totals })
    }

    /// Decides every claim of a population exactly as [`evaluate`](Calculator::evaluate)
    /// does, in the same order, but hands each decision to `each` as soon as its household
    /// is done instead of keeping them: memory stays that of one household's decisions,
    /// whatever the population's size. Returns the totals.
    ///
    /// # Errors
    /// [`AidError::Overflow`] when a total overflows; the decisions handed over until then
    /// are not a whole batch.
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{BatchMedicalClaim, Calculator, Explain, HouseholdClaims, MedicalClaim};
    /// use bangfu_core::{Money, NaiveDate, PersonId};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
    /// let p = PersonId::new("p1")?;
    /// let claim = |m, y| BatchMedicalClaim { applicant: p.clone(), claim: MedicalClaim {
    ///     date: NaiveDate::from_ymd_opt(2018, m, 1).unwrap(), out_of_pocket: Money::from_yuan(y).unwrap() } };
    /// let household = HouseholdClaims {
    ///     file, medical: vec![claim(3, 10_000), claim(9, 30_000)],
    ///     living: vec![], sending_warmth: vec![], education: vec![],
    /// };
    /// let calc = Calculator::new(&policy)?;
    /// let mut paid = Vec::new();
    /// let totals = calc.evaluate_each(&[household], Explain::Off, |d| {
    ///     paid.push(d.result.map(|r| r.amount).ok());
    /// })?;
    /// assert_eq!(paid, [Some(Money::from_yuan(5_000)?), Some(Money::from_yuan(10_000)?)]);
    /// assert_eq!(totals.total.amount, Money::from_yuan(15_000)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn evaluate_each(
        &self,
        population: &[HouseholdClaims],
        explain: Explain,
        mut each: impl FnMut(BatchDecision<'p>),
    ) -> Result<BatchTotals, AidError> {
        let mut totals = BatchTotals::default();
        // One household's decisions: the history its later claims are decided with.
        let mut out: Vec<BatchDecision<'p>> = Vec::new();
        for (hi, h) in population.iter().enumerate() {
            self.household(hi, h, explain, &mut out);
            for d in out.drain(..) {
                totals.count(&d)?;
                each(d);
            }
        }
        Ok(totals)
    }

    /// Decides one household's claims, appending them to `out`; the year-to-date of each
    /// claim is the [`AidBook`] of its calendar year, which every accepted decision adds to.
    fn household(
        &self,
        hi: usize,
        h: &HouseholdClaims,
        explain: Explain,
        out: &mut Vec<BatchDecision<'p>>,
    ) {
        let file = &h.file;
        let mut books = YearBooks::default();
        let start = out.len();
        for (i, c) in h.medical.iter().enumerate() {
            let done = out.get(start..).unwrap_or(&[]);
            let date = c.claim.date;
            let result = in_order(done, date).and_then(|()| {
                let scope = self.cap_scope(date)?;
                let so_far =
                    books
                        .get(date.year())?
                        .medical(&file.household, &c.applicant, scope)?;
                self.medical(file, c.claim, so_far, explain)
            });
            if let Ok(d) = &result {
                let (cost, paid) = (c.claim.out_of_pocket, d.amount);
                books.add(date.year(), |b| {
                    b.add_medical(&file.household, &c.applicant, cost, paid)
                });
            }
            out.push(BatchDecision {
                household: hi,
                list: ClaimList::Medical,
                index: i,
                result,
            });
        }
        let start = out.len();
        for (i, c) in h.living.iter().enumerate() {
            let done = out.get(start..).unwrap_or(&[]);
            let result = in_order(done, c.date).and_then(|()| {
                let so_far = books.get(c.date.year())?.living(&file.household);
                self.living(file, *c, so_far, explain)
            });
            if let Ok(d) = &result {
                let amount = d.amount;
                books.add(c.date.year(), |b| {
                    b.add_living(&file.household, amount, false)
                });
            }
            out.push(BatchDecision {
                household: hi,
                list: ClaimList::Living,
                index: i,
                result,
            });
        }
        let start = out.len();
        for (i, c) in h.sending_warmth.iter().enumerate() {
            let done = out.get(start..).unwrap_or(&[]);
            let result =
                in_order(done, c.date).and_then(|()| self.sending_warmth(file, *c, explain));
            out.push(BatchDecision {
                household: hi,
                list: ClaimList::SendingWarmth,
                index: i,
                result,
            });
        }
        let start = out.len();
        for (i, c) in h.education.iter().enumerate() {
            let done = out.get(start..).unwrap_or(&[]);
            let result = in_order(done, c.date).and_then(|()| {
                let already = books
                    .get(c.date.year())?
                    .student_paid(&file.household, &c.student);
                self.education(file, c.date, &c.student, already, explain)
            });
            if let Ok(d) = &result
                && !d.amount.is_zero()
            {
                books.add(c.date.year(), |b| {
                    b.add_student(&file.household, &c.student);
                    Ok(())
                });
            }
            out.push(BatchDecision {
                household: hi,
                list: ClaimList::Education,
                index: i,
                result,
            });
        }
    }
}

/// One household's books, one per calendar year of its claims. A sum that overflowed makes
/// every later read of that year an error, as a running total that cannot be kept.
#[derive(Default)]
struct YearBooks {
    books: Vec<(i32, AidBook, bool)>,
}

impl YearBooks {
    /// The book of `year` (empty when the household has no decision in it yet).
    fn get(&self, year: i32) -> Result<&AidBook, AidError> {
        static EMPTY: std::sync::OnceLock<AidBook> = std::sync::OnceLock::new();
        match self.books.iter().find(|(y, _, _)| *y == year) {
            Some((_, _, true)) => Err(AidError::Overflow),
            Some((_, book, false)) => Ok(book),
            None => Ok(EMPTY.get_or_init(AidBook::default)),
        }
    }

    /// Adds to the book of `year` what `add` records.
    fn add(
        &mut self,
        year: i32,
        add: impl FnOnce(&mut AidBook) -> Result<(), bangfu_core::CoreError>,
    ) {
        let at = match self.books.iter().position(|(y, _, _)| *y == year) {
            Some(i) => i,
            None => {
                self.books.push((year, AidBook::default(), false));
                self.books.len() - 1
            }
        };
        if let Some((_, book, overflowed)) = self.books.get_mut(at)
            && add(book).is_err()
        {
            *overflowed = true;
        }
    }
}
