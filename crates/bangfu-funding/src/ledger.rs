//! The ledger: immutable postings, idempotent ids, earmark checks, no overdraft.

use std::collections::HashMap;
use std::sync::Arc;

use bangfu_core::{Money, Year};

use crate::source::SOURCES;
use crate::{
    Disbursement, FundSource, FundingError, FundingPolicy, Income, IncomeKind, Posting, PostingId,
    Reversal,
};

/// What a successful [`Ledger::post`] did.
///
/// # Example
/// ```
/// use bangfu_funding::PostOutcome;
/// # fn show(o: PostOutcome) -> bool {
/// matches!(o, PostOutcome::Posted(_) | PostOutcome::AlreadyPosted(_))
/// # }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostOutcome {
    /// The posting was new and is now in the ledger.
    Posted(Receipt),
    /// The same posting (same id, same content) was already in the ledger: nothing changed
    /// and this is the first result.
    AlreadyPosted(Receipt),
}

impl PostOutcome {
    /// The receipt, either way.
    pub fn receipt(self) -> Receipt {
        match self {
            PostOutcome::Posted(r) | PostOutcome::AlreadyPosted(r) => r,
        }
    }
}

/// What a posting would do ([`Ledger::check`], the first step of [`Ledger::post`]).
enum Plan {
    /// The same posting is in the ledger: its receipt.
    Posted(Receipt),
    /// A new posting: its source's balance after it, the recovery total it sets (a
    /// recovery's, or a reversed recovery's), the posting it reverses (a reversal's) and its
    /// breaches (a recorded payment's).
    New {
        after: Money,
        recovery: Option<(usize, Money)>,
        reverses: Option<usize>,
        breaches: Vec<FundingError>,
    },
}

/// The result of a posting: its position and the balance of its source right after it.
///
/// # Example
/// ```
/// # use bangfu_funding::Receipt;
/// # fn f(r: Receipt) -> usize { r.sequence }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Receipt {
    /// Position in the ledger, from 0.
    pub sequence: usize,
    /// The source touched.
    pub source: FundSource,
    /// That source's balance after the posting.
    pub balance_after: Money,
}

/// The fund ledger of one year (帮扶资金台账).
///
/// Postings are immutable and identified by caller-supplied ids. A posting is accepted only
/// if every rule holds: the date is in the year, the amount is positive, the source is one
/// the policy knows, a payment respects the source's earmark (categories and tiers) and the
/// allowed channels, and does not overdraw its source; a recovery (追缴) that names a payment
/// of this ledger is dated no earlier than it, and all recoveries naming one payment add up
/// to at most its amount. A reversal (冲正) names a posting of this ledger that is not itself a
/// reversal and was not reversed before, is dated no earlier than it, states its source and
/// amount, gives a reason, and for a payment, comes after the reversal of every recovery
/// against it; reversing an income may not overdraw its source. A payment order whose payment
/// was reversed may be carried out again. A refused posting changes nothing.
///
/// # Example
/// ```
/// use bangfu_core::{AidCategory, AidKind, ArchiveTier, Coded, HouseholdId, Money, PaymentChannel, Year};
/// use bangfu_funding::{Disbursement, FundSource, FundingPolicy, Income, IncomeKind, Ledger, PostOutcome, PostingId};
/// # let policy: FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
/// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2018, m, day).unwrap();
/// let mut ledger = Ledger::new(Year::new(2018)?, policy);
/// let income = Income::new(PostingId::new("inc-1")?, d(1, 5), FundSource::CentralFiscal,
///     IncomeKind::Allocation, Money::from_yuan(1000)?);
/// ledger.post(income.into())?;
/// let pay = Disbursement {
///     id: PostingId::new("pay-1")?, date: d(2, 1), source: FundSource::CentralFiscal,
///     category: AidCategory::Living, kind: AidKind::SendingWarmth,
///     household: HouseholdId::new("HK-0001")?, tier: ArchiveTier::National,
///     channel: PaymentChannel::UnionMemberCard, amount: Money::from_yuan(800)?,
///     unit: None, entered: None, order: None, claim: None, campaign: None,
/// };
/// ledger.post(pay.clone().into())?;
/// // The same posting again pays nothing twice.
/// assert!(matches!(ledger.post(pay.clone().into())?, PostOutcome::AlreadyPosted(_)));
/// assert_eq!(ledger.balance(FundSource::CentralFiscal), Money::from_yuan(200)?);
/// // Cash is refused, and the ledger is unchanged.
/// let cash = Disbursement { id: PostingId::new("pay-2")?, channel: PaymentChannel::Cash, ..pay };
/// assert_eq!(ledger.post(cash.into()).unwrap_err().code(), "funding.channel_refused");
/// assert_eq!(ledger.postings().len(), 2);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Comparing and serialising whole
///
/// Two ledgers are equal when their year, policy and postings (in order) are: everything
/// else a ledger holds (balances, receipts, indexes) follows from those. Serde writes the
/// same three, `{"year": …, "policy": …, "postings": […]}`, and reading replays every
/// posting through [`Ledger::post`], so a read ledger has passed every rule again: a posting
/// that breaks one is refused with that rule's code (through [`bangfu_core::read`], the
/// posting's id quoted). A repeated posting is taken as the ledger takes it, once.
///
/// ```
/// use bangfu_core::{Money, NaiveDate, Year};
/// use bangfu_funding::{FundSource, FundingPolicy, Income, IncomeKind, Ledger};
/// # let policy: FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
/// let mut ledger = Ledger::new(Year::new(2018)?, policy);
/// let day = NaiveDate::from_ymd_opt(2018, 1, 5).unwrap();
/// let income = Income::new("inc-1".parse()?, day, FundSource::CentralFiscal,
///     IncomeKind::Allocation, Money::from_yuan(1000)?);
/// ledger.post(income.into())?;
/// let text = serde_json::to_string(&ledger)?;
/// let back: Ledger = serde_json::from_str(&text)?;
/// assert_eq!(back, ledger);
/// assert_eq!(back.balance(FundSource::CentralFiscal), Money::from_yuan(1000)?);
/// let next_year = text.replace("\"year\":2018", "\"year\":2019");
/// let err = bangfu_core::read::from_json_str::<Ledger>(&next_year).unwrap_err();
/// assert_eq!(bangfu_core::Coded::code(&err), "funding.date_outside_year");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Ledger {
    year: Year,
    policy: Arc<FundingPolicy>,
    postings: Vec<Posting>,
    receipts: Vec<Receipt>,
    /// The position of each posting, looked up by its id (the id is read from the posting:
    /// no copy of it is kept).
    index: Positions,
    /// The position of the payment carrying out each payment order, looked up by the order
    /// key read from the payment.
    orders: Positions,
    /// The amount recovered so far against each payment of this ledger that a recovery
    /// named, keyed by the payment's position.
    recovered: HashMap<usize, Money>,
    /// The payment each recovery counted against (its `recovered`), by their positions: a
    /// recovery naming a payment not in the ledger when it was posted counts against none.
    recovery_of: HashMap<usize, usize>,
    /// The reversal of each reversed posting, keyed by the positions of both.
    reversed: HashMap<usize, usize>,
    balances: [Money; SOURCES],
}

impl PartialEq for Ledger {
    /// Same year, same policy, same postings in the same order (see [`Ledger`]).
    fn eq(&self, other: &Ledger) -> bool {
        self.year == other.year && self.policy == other.policy && self.postings == other.postings
    }
}

impl Eq for Ledger {}

/// What a ledger is written as: the year, the policy and the postings.
#[derive(serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
struct LedgerRef<'a> {
    year: Year,
    policy: &'a FundingPolicy,
    postings: &'a [Posting],
}

/// What a ledger is read from, before its postings are replayed.
#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct LedgerData {
    year: Year,
    policy: FundingPolicy,
    postings: Vec<Posting>,
}

impl serde::Serialize for Ledger {
    /// `{"year": …, "policy": …, "postings": […]}`; see [`Ledger`].
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let whole = LedgerRef {
            year: self.year,
            policy: &self.policy,
            postings: &self.postings,
        };
        serde::Serialize::serialize(&whole, s)
    }
}

impl<'de> serde::Deserialize<'de> for Ledger {
    /// Reads the year, policy and postings, and replays the postings; see [`Ledger`].
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Ledger, D::Error> {
        let data = <LedgerData as serde::Deserialize>::deserialize(d)?;
        let mut ledger = Ledger::new(data.year, data.policy);
        ledger.reserve(data.postings.len());
        for posting in data.postings {
            let id = posting.id().clone();
            ledger
                .post(posting)
                .map_err(|e| bangfu_core::read::refuse(&e, id.as_str()))?;
        }
        Ok(ledger)
    }
}

impl Ledger {
    /// An empty ledger for `year` under `policy`.
    pub fn new(year: Year, policy: impl Into<Arc<FundingPolicy>>) -> Ledger {
        Ledger {
            year,
            policy: policy.into(),
            postings: Vec::new(),
            receipts: Vec::new(),
            index: Positions::default(),
            orders: Positions::default(),
            recovered: HashMap::new(),
            recovery_of: HashMap::new(),
            reversed: HashMap::new(),
            balances: [Money::ZERO; SOURCES],
        }
    }

    /// Reserves room for `n` more postings.
    pub fn reserve(&mut self, n: usize) {
        self.postings.reserve(n);
        self.receipts.reserve(n);
        self.index.reserve(n, &self.postings, id_key);
    }

    /// The ledger's year.
    pub fn year(&self) -> Year {
        self.year
    }

    /// The funding policy in use.
    pub fn policy(&self) -> &FundingPolicy {
        &self.policy
    }

    /// Every accepted posting, in the order posted.
    pub fn postings(&self) -> &[Posting] {
        &self.postings
    }

    /// The statement (收支情况) of the postings so far against `budget`, with the default
    /// [`StatementOptions`](crate::StatementOptions) and no year close: a short form of
    /// [`Statement::from_postings`](crate::Statement::from_postings).
    ///
    /// # Errors
    /// As [`Statement::from_postings`](crate::Statement::from_postings).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Money, NaiveDate, Year};
    /// use bangfu_funding::{Budget, FundSource, Income, IncomeKind, Ledger};
    /// # #[derive(serde::Deserialize)] struct File { funding: bangfu_funding::FundingPolicy }
    /// # let policy = toml::from_str::<File>(bangfu_funding::HAINAN_2018_POLICY_TOML)?.funding;
    /// let year = Year::new(2018)?;
    /// let mut ledger = Ledger::new(year, policy);
    /// let day = NaiveDate::from_ymd_opt(2018, 1, 5).unwrap();
    /// let income = Income::new("inc-1".parse()?, day, FundSource::CentralFiscal,
    ///     IncomeKind::Allocation, Money::parse_wan("270")?);
    /// ledger.post(income.into())?;
    /// let budget = Budget::new(year, [(FundSource::CentralFiscal, Money::parse_wan("270")?)])?;
    /// assert_eq!(ledger.statement(&budget)?.totals.income.wan().to_string(), "270");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn statement(&self, budget: &crate::Budget) -> Result<crate::Statement, FundingError> {
        crate::Statement::from_postings(
            self.year,
            &self.postings,
            budget,
            None,
            crate::StatementOptions::default(),
        )
    }

    /// The balance of a source now.
    pub fn balance(&self, source: FundSource) -> Money {
        self.balances
            .get(source.index())
            .copied()
            .unwrap_or(Money::ZERO)
    }

    /// The sum of all balances.
    ///
    /// # Errors
    /// `core.money.overflow` (not reachable with balances that were accepted one by one
    /// unless their sum exceeds the largest amount).
    pub fn total_balance(&self) -> Result<Money, FundingError> {
        Ok(Money::sum(self.balances)?)
    }

    /// The posting with this id and its receipt, if the ledger holds it.
    ///
    /// ```
    /// # use bangfu_core::{Money, NaiveDate, Year};
    /// # use bangfu_funding::{FundSource, FundingPolicy, Income, IncomeKind, Ledger};
    /// # #[derive(serde::Deserialize)]
    /// # struct File { funding: FundingPolicy }
    /// # let policy = toml::from_str::<File>(bangfu_funding::HAINAN_2018_POLICY_TOML)?.funding;
    /// let mut ledger = Ledger::new(Year::new(2018)?, policy);
    /// let day = NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
    /// let income = Income::new("in-1".parse()?, day, FundSource::CentralFiscal, IncomeKind::Allocation, Money::from_yuan(9)?);
    /// ledger.post(income.into())?;
    /// assert_eq!(ledger.posted(&"in-1".parse()?).map(|(_, r)| r.sequence), Some(0));
    /// assert!(ledger.posted(&"in-2".parse()?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn posted(&self, id: &PostingId) -> Option<(&Posting, Receipt)> {
        let seq = self.index.get(id.as_str(), &self.postings, id_key)?;
        Some((self.postings.get(seq)?, *self.receipts.get(seq)?))
    }

    /// The reversal (冲正) of the posting with this id, if it was reversed.
    ///
    /// ```
    /// # use bangfu_core::{Money, NaiveDate, Year};
    /// # use bangfu_funding::{FundSource, FundingPolicy, Income, IncomeKind, Ledger, Reversal};
    /// # #[derive(serde::Deserialize)]
    /// # struct File { funding: FundingPolicy }
    /// # let policy = toml::from_str::<File>(bangfu_funding::HAINAN_2018_POLICY_TOML)?.funding;
    /// let mut ledger = Ledger::new(Year::new(2018)?, policy);
    /// let day = NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
    /// let nine = Money::from_yuan(9)?;
    /// ledger.post(Income::new("in-1".parse()?, day, FundSource::CentralFiscal, IncomeKind::Allocation, nine).into())?;
    /// assert!(ledger.reversal_of(&"in-1".parse()?).is_none());
    /// ledger.post(Reversal { id: "rv-1".parse()?, date: day, reverses: "in-1".parse()?,
    ///     source: FundSource::CentralFiscal, amount: nine, reason: "entered twice".into() }.into())?;
    /// assert_eq!(ledger.reversal_of(&"in-1".parse()?).map(|r| r.id.as_str()), Some("rv-1"));
    /// assert!(ledger.balance(FundSource::CentralFiscal).is_zero());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reversal_of(&self, id: &PostingId) -> Option<&Reversal> {
        let seq = self.index.get(id.as_str(), &self.postings, id_key)?;
        match self.postings.get(*self.reversed.get(&seq)?)? {
            Posting::Reversal(r) => Some(r),
            _ => None,
        }
    }

    /// Posts a record.
    ///
    /// # Errors
    /// Every refusal is a [`FundingError`] with its code, and leaves the ledger as it was:
    /// `funding.id_conflict`, `funding.order_conflict` (a payment order already carried out
    /// with other content; the same order again under a new posting id returns the first
    /// result), `funding.date_outside_year`, `funding.zero_amount`,
    /// `funding.unknown_source`, `funding.earmark_category`, `funding.earmark_tier`,
    /// `funding.channel_refused`, `funding.overdraft`, `funding.recovery_without_household`,
    /// `funding.recovery_mismatch`, `funding.recovery_before_payment`,
    /// `funding.recovery_exceeds_payment`, `funding.reversal_not_recovery`,
    /// `funding.reversal_unknown`, `funding.reversal_of_reversal`, `funding.already_reversed`,
    /// `funding.reversal_before_posting`, `funding.reversal_mismatch`,
    /// `funding.reversal_without_reason`, `funding.reversal_recovered`,
    /// `core.parameter.not_in_force`, `core.money.overflow`.
    pub fn post(&mut self, posting: Posting) -> Result<PostOutcome, FundingError> {
        self.post_as(posting, false).map(|(outcome, _)| outcome)
    }

    /// Posts a payment or income from a union's own records (its history, which may hold
    /// mistakes): the same checks as [`Ledger::post`], but a payment that breaks a funding rule
    /// ([`FundingPolicy::breaches`]: channel, earmark category or tier, unknown source) is
    /// posted, since it was made, and its breaches are returned for the year's findings.
    ///
    /// # Errors
    /// As [`Ledger::post`], but for the breaches; nothing is changed on an error.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{AidCategory, AidKind, ArchiveTier, Money, NaiveDate, PaymentChannel, Year};
    /// use bangfu_funding::{Disbursement, FundSource, FundingPolicy, Income, IncomeKind, Ledger};
    /// #[derive(serde::Deserialize)]
    /// struct File { funding: FundingPolicy }
    /// let policy = toml::from_str::<File>(bangfu_funding::HAINAN_2018_POLICY_TOML)?.funding;
    /// let mut ledger = Ledger::new(Year::new(2018)?, policy);
    /// let day = NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
    /// let grant = Money::from_yuan(1_000)?;
    /// ledger.post(Income::new("in-1".parse()?, day, FundSource::CentralFiscal, IncomeKind::Allocation, grant).into())?;
    /// let cash = Disbursement {
    ///     id: "p-1".parse()?, date: day, source: FundSource::CentralFiscal,
    ///     category: AidCategory::Living, kind: AidKind::Regular, household: "HK-0001".parse()?,
    ///     tier: ArchiveTier::National, channel: PaymentChannel::Cash,
    ///     amount: Money::from_yuan(500)?, unit: None, entered: None, order: None, claim: None, campaign: None,
    /// };
    /// assert!(ledger.post(cash.clone().into()).is_err());
    /// let (_, breaches) = ledger.post_recorded(cash.into())?;
    /// assert_eq!(bangfu_core::Coded::code(&breaches[0]), "funding.channel_refused");
    /// assert_eq!(ledger.balance(FundSource::CentralFiscal), Money::from_yuan(500)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn post_recorded(
        &mut self,
        posting: Posting,
    ) -> Result<(PostOutcome, Vec<FundingError>), FundingError> {
        self.post_as(posting, true)
    }

    /// Checks a posting as [`Ledger::post`] would, without posting it.
    ///
    /// # Errors
    /// As [`Ledger::post`]; a posting already in the ledger with the same content is not an
    /// error.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Coded, Money, NaiveDate, Year};
    /// use bangfu_funding::{FundSource, FundingPolicy, Income, IncomeKind, Ledger};
    /// #[derive(serde::Deserialize)]
    /// struct File { funding: FundingPolicy }
    /// let policy = toml::from_str::<File>(bangfu_funding::HAINAN_2018_POLICY_TOML)?.funding;
    /// let ledger = Ledger::new(Year::new(2018)?, policy);
    /// let day = NaiveDate::from_ymd_opt(2019, 3, 1).unwrap();
    /// let income = Income::new("in-1".parse()?, day, FundSource::CentralFiscal, IncomeKind::Allocation, Money::from_yuan(9)?);
    /// assert_eq!(ledger.check(&income.into()).unwrap_err().code(), "funding.date_outside_year");
    /// assert!(ledger.postings().is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check(&self, posting: &Posting) -> Result<(), FundingError> {
        self.plan(posting, false).map(|_| ())
    }

    /// [`Ledger::post`] (`recorded` false) or [`Ledger::post_recorded`] (true).
    fn post_as(
        &mut self,
        posting: Posting,
        recorded: bool,
    ) -> Result<(PostOutcome, Vec<FundingError>), FundingError> {
        let (after, recovery, reverses, breaches) = match self.plan(&posting, recorded)? {
            Plan::Posted(receipt) => return Ok((PostOutcome::AlreadyPosted(receipt), Vec::new())),
            Plan::New {
                after,
                recovery,
                reverses,
                breaches,
            } => (after, recovery, reverses, breaches),
        };
        let source = posting.source();
        // Every check has passed: from here on nothing can fail.
        let receipt = Receipt {
            sequence: self.postings.len(),
            source,
            balance_after: after,
        };
        if let Some(slot) = self.balances.get_mut(source.index()) {
            *slot = after;
        }
        if let Some((payment, total)) = recovery {
            self.recovered.insert(payment, total);
            if matches!(posting, Posting::Income(_)) {
                self.recovery_of.insert(receipt.sequence, payment);
            }
        }
        if let Some(target) = reverses {
            self.reversed.insert(target, receipt.sequence);
            // The order of a reversed payment is free to be carried out again.
            if let Some(key) = self.postings.get(target).and_then(order_key)
                && self.orders.get(key, &self.postings, order_key) == Some(target)
            {
                self.orders.remove(key, &self.postings, order_key);
            }
        }
        let ordered = order_key(&posting).is_some();
        self.postings.push(posting);
        self.receipts.push(receipt);
        // The indexes read their keys from the postings: the new one is now among them.
        self.index.insert(receipt.sequence, &self.postings, id_key);
        if ordered {
            self.orders
                .insert(receipt.sequence, &self.postings, order_key);
        }
        Ok((PostOutcome::Posted(receipt), breaches))
    }

    /// What posting `posting` would do, every rule checked; nothing changes.
    fn plan(&self, posting: &Posting, recorded: bool) -> Result<Plan, FundingError> {
        if let Some(seq) = self
            .index
            .get(posting.id().as_str(), &self.postings, id_key)
        {
            return match (self.postings.get(seq), self.receipts.get(seq)) {
                (Some(first), Some(receipt)) if first == posting => Ok(Plan::Posted(*receipt)),
                _ => Err(FundingError::IdConflict {
                    id: posting.id().clone(),
                }),
            };
        }
        // A payment order carried out once is not paid again under another posting id.
        if let Posting::Disbursement(d) = &posting
            && let Some(key) = &d.order
            && let Some(seq) = self.orders.get(key, &self.postings, order_key)
        {
            return match (self.postings.get(seq), self.receipts.get(seq)) {
                (Some(Posting::Disbursement(first)), Some(receipt))
                    if first.household == d.household
                        && first.category == d.category
                        && first.kind == d.kind
                        && first.amount == d.amount =>
                {
                    Ok(Plan::Posted(*receipt))
                }
                _ => Err(FundingError::OrderConflict { order: key.clone() }),
            };
        }
        let date = posting.date();
        if !self.year.contains(date) {
            return Err(FundingError::DateOutsideYear {
                date,
                year: self.year.number(),
            });
        }
        if posting.amount().is_zero() {
            return Err(FundingError::ZeroAmount);
        }
        let source = posting.source();
        let balance = self.balance(source);
        let mut recovery = None;
        let mut breaches = Vec::new();
        let after = match posting {
            // The reversed posting's source was checked when it was posted.
            Posting::Reversal(r) => return self.plan_reversal(r),
            Posting::Income(income) => {
                self.policy.earmark(source, date)?;
                recovery = self.check_income(income)?;
                balance.checked_add(income.amount)?
            }
            Posting::Disbursement(d) => {
                if !recorded {
                    self.policy.earmark(source, date)?;
                }
                let found = self.policy.breaches(d)?;
                if recorded {
                    breaches = found;
                } else if let Some(first) = found.into_iter().next() {
                    return Err(first);
                }
                balance
                    .checked_sub(d.amount)
                    .map_err(|_| FundingError::Overdraft {
                        fund: source,
                        balance,
                        amount: d.amount,
                    })?
            }
        };
        Ok(Plan::New {
            after,
            recovery,
            reverses: None,
            breaches,
        })
    }

    /// What a reversal would do: the rules of a reversal checked (see [`Ledger`]).
    fn plan_reversal(&self, r: &Reversal) -> Result<Plan, FundingError> {
        if r.reason.trim().is_empty() {
            return Err(FundingError::ReversalWithoutReason);
        }
        let reverses = || r.reverses.clone();
        let (seq, target) = self
            .index
            .get(r.reverses.as_str(), &self.postings, id_key)
            .and_then(|seq| Some((seq, self.postings.get(seq)?)))
            .ok_or_else(|| FundingError::ReversalUnknown {
                reverses: reverses(),
            })?;
        if matches!(target, Posting::Reversal(_)) {
            return Err(FundingError::ReversalOfReversal {
                reverses: reverses(),
            });
        }
        if let Some(by) = self.reversed.get(&seq).and_then(|&b| self.postings.get(b)) {
            return Err(FundingError::AlreadyReversed {
                reverses: reverses(),
                by: by.id().clone(),
            });
        }
        if r.date < target.date() {
            return Err(FundingError::ReversalBeforePosting {
                reverses: reverses(),
                date: r.date,
                posted_on: target.date(),
            });
        }
        if r.source != target.source() || r.amount != target.amount() {
            return Err(FundingError::ReversalMismatch {
                reverses: reverses(),
                fund: r.source,
                amount: r.amount,
                posted_fund: target.source(),
                posted: target.amount(),
            });
        }
        let balance = self.balance(r.source);
        let mut recovery = None;
        let after = match target {
            Posting::Disbursement(_) => {
                let recovered = self.recovered.get(&seq).copied().unwrap_or(Money::ZERO);
                if !recovered.is_zero() {
                    return Err(FundingError::ReversalRecovered {
                        reverses: reverses(),
                        recovered,
                    });
                }
                balance.checked_add(r.amount)?
            }
            Posting::Income(_) => {
                // A reversed recovery no longer counts against its payment.
                if let Some(payment) = self.recovery_of.get(&seq)
                    && let Some(&total) = self.recovered.get(payment)
                {
                    recovery = Some((*payment, total.checked_sub(r.amount)?));
                }
                balance
                    .checked_sub(r.amount)
                    .map_err(|_| FundingError::Overdraft {
                        fund: r.source,
                        balance,
                        amount: r.amount,
                    })?
            }
            Posting::Reversal(_) => {
                return Err(FundingError::ReversalOfReversal {
                    reverses: reverses(),
                });
            }
        };
        Ok(Plan::New {
            after,
            recovery,
            reverses: Some(seq),
            breaches: Vec::new(),
        })
    }

    /// Checks an income's recovery rules. For a recovery of a payment of this ledger, returns
    /// the payment's position and the total recovered against it once this one is posted.
    fn check_income(&self, income: &Income) -> Result<Option<(usize, Money)>, FundingError> {
        if income.kind != IncomeKind::Recovery {
            return match &income.reverses {
                Some(reversed) => Err(FundingError::ReversalNotRecovery {
                    kind: income.kind,
                    reverses: reversed.clone(),
                }),
                None => Ok(None),
            };
        }
        let household = income
            .household
            .as_ref()
            .ok_or(FundingError::RecoveryWithoutHousehold)?;
        let Some(reversed) = &income.reverses else {
            return Ok(None);
        };
        // A payment of an earlier year is not in this ledger and is taken as given.
        let Some(seq) = self.index.get(reversed.as_str(), &self.postings, id_key) else {
            return Ok(None);
        };
        // A reversed posting of this ledger must be a payment to the same household, dated no
        // later than the recovery, and not recovered beyond its amount.
        let payment = match self.postings.get(seq) {
            Some(Posting::Disbursement(d)) if &d.household == household => d,
            _ => {
                return Err(FundingError::RecoveryMismatch {
                    reverses: reversed.clone(),
                });
            }
        };
        if income.date < payment.date {
            return Err(FundingError::RecoveryBeforePayment {
                reverses: reversed.clone(),
                date: income.date,
                paid_on: payment.date,
            });
        }
        let recovered = self.recovered.get(&seq).copied().unwrap_or(Money::ZERO);
        match recovered.checked_add(income.amount) {
            Ok(total) if total <= payment.amount => Ok(Some((seq, total))),
            _ => Err(FundingError::RecoveryExceedsPayment {
                reverses: reversed.clone(),
                paid: payment.amount,
                recovered,
                amount: income.amount,
            }),
        }
    }
}

/// A posting's id, the key of the ledger's index.
fn id_key(p: &Posting) -> Option<&str> {
    Some(p.id().as_str())
}

/// A payment's order key, the key of the ledger's order index.
fn order_key(p: &Posting) -> Option<&str> {
    match p {
        Posting::Disbursement(Disbursement {
            order: Some(key), ..
        }) => Some(key),
        _ => None,
    }
}

/// Positions of postings looked up by a text key that each posting carries (its id, its
/// order key): the table holds only positions and reads each key from the posting, so the
/// ledger keeps one copy of every id (`HashMap<String, usize>` kept a second). Exact: a
/// look-up compares the key itself, the hash only finds the candidates.
#[derive(Debug, Clone, Default)]
struct Positions {
    table: hashbrown::HashTable<usize>,
    hasher: std::hash::RandomState,
}

/// How the key of the posting at a position is read.
type KeyOf = fn(&Posting) -> Option<&str>;

impl Positions {
    /// The hash of a key.
    fn hash(&self, key: &str) -> u64 {
        std::hash::BuildHasher::hash_one(&self.hasher, key)
    }

    /// The key of the posting at `seq` (`None` for a position outside `postings`, not
    /// reached: the table holds only positions of postings).
    fn key_at(postings: &[Posting], seq: usize, key_of: KeyOf) -> Option<&str> {
        postings.get(seq).and_then(key_of)
    }

    /// The position of the posting whose key is `key`.
    fn get(&self, key: &str, postings: &[Posting], key_of: KeyOf) -> Option<usize> {
        self.table
            .find(self.hash(key), |&seq| {
                Positions::key_at(postings, seq, key_of) == Some(key)
            })
            .copied()
    }

    /// Indexes the posting at `seq` (whose key is not in the table) by its key.
    fn insert(&mut self, seq: usize, postings: &[Posting], key_of: KeyOf) {
        let Some(key) = Positions::key_at(postings, seq, key_of) else {
            return;
        };
        let hash = self.hash(key);
        let hasher = &self.hasher;
        self.table.insert_unique(hash, seq, |&s| {
            Positions::rehash(hasher, postings, s, key_of)
        });
    }

    /// Forgets the posting whose key is `key`.
    fn remove(&mut self, key: &str, postings: &[Posting], key_of: KeyOf) {
        if let Ok(entry) = self.table.find_entry(self.hash(key), |&seq| {
            Positions::key_at(postings, seq, key_of) == Some(key)
        }) {
            entry.remove();
        }
    }

    /// Reserves room for `n` more keys.
    fn reserve(&mut self, n: usize, postings: &[Posting], key_of: KeyOf) {
        let hasher = &self.hasher;
        self.table
            .reserve(n, |&s| Positions::rehash(hasher, postings, s, key_of));
    }

    /// The hash of the key at `seq`, as [`Positions::hash`] hashes it (when the table grows).
    fn rehash(
        hasher: &std::hash::RandomState,
        postings: &[Posting],
        seq: usize,
        key_of: KeyOf,
    ) -> u64 {
        let key = Positions::key_at(postings, seq, key_of).unwrap_or_default();
        std::hash::BuildHasher::hash_one(hasher, key)
    }
}
