//! The ledger: immutable postings, idempotent ids, earmark checks, no overdraft.

use std::collections::HashMap;
use std::hash::RandomState;
use std::sync::Arc;

use bangfu_core::{Money, Year};

use crate::keep::store::Store;
use crate::keep::{Folded, Hashes, Keep, Postings, Recall, Recalled, Tag};
use crate::source::SOURCES;
use crate::{
    FundSource, FundingError, FundingPolicy, Income, IncomeKind, Posting, PostingId, Reversal,
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
///
/// # What a ledger keeps
///
/// `Ledger` keeps every posting ([`Postings`]): it can give them back, compare and serialise
/// whole. [`Ledger::folding`] makes a `Ledger<Folded>`, which keeps of each posting only what
/// the rules read again and the statement's running sums ([`Folded`]): the same rules, the
/// same outcomes, the same statement and close, in bounded memory.
#[derive(Debug, Clone)]
pub struct Ledger<K: Keep = Postings> {
    year: Year,
    policy: Arc<FundingPolicy>,
    kept: K,
    /// The position of each posting, looked up by its id (the id is read from the store: no
    /// copy of it is kept).
    index: Positions,
    /// The position of the payment carrying out each payment order, looked up by the order
    /// key read from the store.
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

impl<K: Keep> PartialEq for Ledger<K> {
    /// Same year, same policy, same postings in the same order (see [`Ledger`]).
    fn eq(&self, other: &Ledger<K>) -> bool {
        self.year == other.year && self.policy == other.policy && self.kept.equal(&other.kept)
    }
}

impl<K: Keep> Eq for Ledger<K> {}

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
            postings: &self.kept.postings,
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
        Ledger::empty(year, policy)
    }

    /// Every accepted posting, in the order posted.
    pub fn postings(&self) -> &[Posting] {
        &self.kept.postings
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
        let seq = self.find(id.as_str())?;
        Some((self.kept.postings.get(seq)?, self.kept.receipt(seq)?))
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
        let seq = self.find(id.as_str())?;
        match self.kept.postings.get(*self.reversed.get(&seq)?)? {
            Posting::Reversal(r) => Some(r),
            _ => None,
        }
    }
}

impl Ledger<Folded> {
    /// An empty ledger for `year` under `policy` that folds its postings as it takes them
    /// ([`Folded`]): the same rules and outcomes as [`Ledger::new`], the statement and the
    /// close, without the postings.
    ///
    /// # Example
    /// ```
    /// # let policy: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
    /// let ledger = bangfu_funding::Ledger::folding(bangfu_core::Year::new(2018)?, policy);
    /// assert_eq!(ledger.len(), 0);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn folding(year: Year, policy: impl Into<Arc<FundingPolicy>>) -> Ledger<Folded> {
        Ledger::empty(year, policy)
    }
}

impl Ledger<Recalled> {
    /// An empty ledger for `year` under `policy` that keeps of each posting only where it is
    /// in its source and the hash of its id ([`Recalled`]), and reads a posting again from
    /// `source` when a rule needs it: the same rules and outcomes as [`Ledger::new`], in
    /// about 40 bytes a posting. Post with [`Ledger::post_from`].
    ///
    /// # Example
    /// ```
    /// use std::sync::Arc;
    /// use bangfu_funding::{Ledger, Posting, Recall};
    /// #[derive(Debug)]
    /// struct Nothing;
    /// impl Recall for Nothing {
    ///     fn recall(&self, _: u64) -> Option<Posting> { None }
    /// }
    /// # let policy: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
    /// let ledger = Ledger::recalling(bangfu_core::Year::new(2018)?, policy, Arc::new(Nothing));
    /// assert!(ledger.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn recalling(
        year: Year,
        policy: impl Into<Arc<FundingPolicy>>,
        source: Arc<dyn Recall>,
    ) -> Ledger<Recalled> {
        let kept = Recalled::new(source);
        let hasher = kept.hasher();
        let mut ledger = Ledger::with(year, policy, kept);
        ledger.index = Positions::with_hasher(hasher);
        ledger
    }

    /// Posts `posting`, which its source gives back as `at` ([`Recall::recall`]), as
    /// [`Ledger::post`]; [`Ledger::post`] itself refuses every posting of this ledger
    /// (`funding.recall_failed`: it could not be read again).
    ///
    /// # Errors
    /// As [`Ledger::post`], and `funding.recall_failed` once a posting could not be read
    /// again from the source (from then on, every posting is refused).
    ///
    /// # Example
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use bangfu_core::{Money, NaiveDate, Year};
    /// use bangfu_funding::{FundSource, Income, IncomeKind, Ledger, PostOutcome, Posting, Recall};
    /// #[derive(Debug, Default)]
    /// struct Kept(Mutex<Vec<Posting>>);
    /// impl Recall for Kept {
    ///     fn recall(&self, at: u64) -> Option<Posting> {
    ///         self.0.lock().ok()?.get(usize::try_from(at).ok()?).cloned()
    ///     }
    /// }
    /// # let policy: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
    /// let source = Arc::new(Kept::default());
    /// let mut ledger = Ledger::recalling(Year::new(2018)?, policy, source.clone());
    /// let day = NaiveDate::from_ymd_opt(2018, 1, 5).ok_or("date")?;
    /// let income: Posting = Income::new("inc-1".parse()?, day, FundSource::CentralFiscal,
    ///     IncomeKind::Allocation, Money::from_yuan(1000)?).into();
    /// source.0.lock().map_err(|_| "lock")?.push(income.clone());
    /// ledger.post_from(income.clone(), 0)?;
    /// assert!(matches!(ledger.post_from(income, 0)?, PostOutcome::AlreadyPosted(_)));
    /// assert_eq!(ledger.balance(FundSource::CentralFiscal), Money::from_yuan(1000)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn post_from(&mut self, posting: Posting, at: u64) -> Result<PostOutcome, FundingError> {
        self.kept.locate(Some(at));
        let outcome = self.post(posting);
        self.kept.locate(None);
        outcome
    }
}

impl<K: Keep> Ledger<K> {
    /// An empty ledger keeping what `K` keeps.
    fn empty(year: Year, policy: impl Into<Arc<FundingPolicy>>) -> Ledger<K>
    where
        K: Default,
    {
        Ledger::with(year, policy, K::default())
    }

    /// An empty ledger keeping its postings in `kept` (empty).
    fn with(year: Year, policy: impl Into<Arc<FundingPolicy>>, kept: K) -> Ledger<K> {
        Ledger {
            year,
            policy: policy.into(),
            kept,
            index: Positions::default(),
            orders: Positions::default(),
            recovered: HashMap::new(),
            recovery_of: HashMap::new(),
            reversed: HashMap::new(),
            balances: [Money::ZERO; SOURCES],
        }
    }

    /// How many postings the ledger has taken.
    ///
    /// # Example
    /// ```
    /// # let policy: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
    /// let ledger = bangfu_funding::Ledger::new(bangfu_core::Year::new(2018)?, policy);
    /// assert_eq!(ledger.len(), ledger.postings().len());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn len(&self) -> usize {
        self.kept.len()
    }

    /// Whether the ledger has taken no posting.
    ///
    /// # Example
    /// ```
    /// # let policy: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
    /// assert!(bangfu_funding::Ledger::folding(bangfu_core::Year::new(2018)?, policy).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn is_empty(&self) -> bool {
        self.kept.len() == 0
    }

    /// Reserves room for `n` more postings.
    pub fn reserve(&mut self, n: usize) {
        self.kept.reserve(n);
        let Ledger { kept, index, .. } = self;
        index.reserve(n, |hasher, s| kept.id_hash32(s, hasher));
    }

    /// The ledger's year.
    pub fn year(&self) -> Year {
        self.year
    }

    /// The funding policy in use.
    pub fn policy(&self) -> &FundingPolicy {
        &self.policy
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
        self.statement_with(budget, None, crate::StatementOptions::default())
    }

    /// The statement of the postings so far against `budget`, with the year's close and the
    /// options: [`Statement::from_postings`](crate::Statement::from_postings) of this
    /// ledger's postings, also for a ledger that folds them.
    ///
    /// # Errors
    /// As [`Statement::from_postings`](crate::Statement::from_postings).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Money, NaiveDate, Year};
    /// use bangfu_funding::{Budget, FundSource, Income, IncomeKind, Ledger, Statement};
    /// # let policy: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
    /// let year = Year::new(2018)?;
    /// let mut ledger = Ledger::folding(year, policy);
    /// let day = NaiveDate::from_ymd_opt(2018, 1, 5).ok_or("date")?;
    /// ledger.post(Income::new("inc-1".parse()?, day, FundSource::CentralFiscal,
    ///     IncomeKind::Allocation, Money::from_yuan(10)?).into())?;
    /// let budget = Budget::new(year, [(FundSource::CentralFiscal, Money::from_yuan(10)?)])?;
    /// let close = ledger.close(&[])?;
    /// let s = ledger.statement_with(&budget, Some(&close), Default::default())?;
    /// assert_eq!(s.totals.income, Money::from_yuan(10)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn statement_with(
        &self,
        budget: &crate::Budget,
        close: Option<&crate::YearClose>,
        options: crate::StatementOptions,
    ) -> Result<crate::Statement, FundingError> {
        crate::Statement::from_tally(self.year, self.kept.tally()?, budget, close, options)
    }

    /// The sources the postings name (a store's answer, for the close).
    pub(crate) fn touched(&self) -> Result<[bool; SOURCES], FundingError> {
        self.kept.touched()
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
    /// `funding.ledger_full`, `funding.recall_failed` (a [`Recalled`] ledger), `core.parameter.not_in_force`,
    /// `core.money.overflow`.
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
        let planned = self.plan(posting, false, self.index.hash64(posting.id().as_str()));
        self.kept.ready(false)?;
        planned.map(|_| ())
    }

    /// The position of the posting whose id is `id`.
    fn find(&self, id: &str) -> Option<usize> {
        self.find_hashed(id, self.index.hash64(id))
    }

    /// The position of the posting whose id is `id`, of hash `hash` ([`Positions::hash64`]).
    fn find_hashed(&self, id: &str, hash: u64) -> Option<usize> {
        self.index.get(hash, |seq| self.kept.id_is(seq, id, hash))
    }

    /// The position of the payment that carried out the payment order `key`.
    fn find_order(&self, key: &str) -> Option<usize> {
        let hash = self.orders.hash64(key);
        self.orders
            .get(hash, |seq| self.kept.order_is(seq, key, hash))
    }

    /// [`Ledger::post`] (`recorded` false) or [`Ledger::post_recorded`] (true).
    fn post_as(
        &mut self,
        posting: Posting,
        recorded: bool,
    ) -> Result<(PostOutcome, Vec<FundingError>), FundingError> {
        // The id's hash, once: the plan looks it up, the index keeps it.
        let id_hash = self.index.hash64(posting.id().as_str());
        let planned = self.plan(&posting, recorded, id_hash);
        // A store that reads postings again refuses once a reading failed (the plan may rest
        // on it), and a posting it could not read again.
        self.kept.ready(true)?;
        let (after, recovery, reverses, breaches) = match planned? {
            Plan::Posted(receipt) => return Ok((PostOutcome::AlreadyPosted(receipt), Vec::new())),
            Plan::New {
                after,
                recovery,
                reverses,
                breaches,
            } => (after, recovery, reverses, breaches),
        };
        let source = posting.source();
        // The indexes hold positions in 32 bits.
        if u32::try_from(self.kept.len()).is_err() {
            return Err(FundingError::LedgerFull);
        }
        // Every check has passed: from here on nothing can fail.
        let receipt = Receipt {
            sequence: self.kept.len(),
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
            if let Some(h) = self.kept.order_hash32(target, &self.orders.hasher) {
                self.orders.remove(h, target);
            }
        }
        let hashes = Hashes {
            id: id_hash,
            order: match &posting {
                Posting::Disbursement(d) => d.order.as_deref().map(|k| self.orders.hash64(k)),
                _ => None,
            },
        };
        self.kept.keep(posting, receipt, reverses, hashes);
        // The indexes ask the store about their keys: the new posting is now in it.
        let Ledger {
            kept,
            index,
            orders,
            ..
        } = self;
        index.insert(receipt.sequence, hashes.id, |hasher, s| {
            kept.id_hash32(s, hasher)
        });
        if let Some(order) = hashes.order {
            orders.insert(receipt.sequence, order, |hasher, s| {
                kept.order_hash32(s, hasher).unwrap_or(0)
            });
        }
        Ok((PostOutcome::Posted(receipt), breaches))
    }

    /// What posting `posting` (whose id hashes to `id_hash`) would do, every rule checked;
    /// nothing changes.
    fn plan(&self, posting: &Posting, recorded: bool, id_hash: u64) -> Result<Plan, FundingError> {
        if let Some(seq) = self.find_hashed(posting.id().as_str(), id_hash) {
            return match self.kept.receipt(seq) {
                Some(receipt) if self.kept.same(seq, posting) => Ok(Plan::Posted(receipt)),
                _ => Err(FundingError::IdConflict {
                    id: posting.id().clone(),
                }),
            };
        }
        // A payment order carried out once is not paid again under another posting id.
        if let Posting::Disbursement(d) = &posting
            && let Some(key) = &d.order
            && let Some(seq) = self.find_order(key)
        {
            return match (self.kept.view(seq), self.kept.receipt(seq)) {
                (Some(first), Some(receipt))
                    if first.tag == Tag::Disbursement
                        && first.household.as_ref() == Some(&d.household)
                        && first.category == Some(d.category)
                        && first.kind == Some(d.kind)
                        && first.amount == d.amount =>
                {
                    Ok(Plan::Posted(receipt))
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
            .find(r.reverses.as_str())
            .and_then(|seq| Some((seq, self.kept.view(seq)?)))
            .ok_or_else(|| FundingError::ReversalUnknown {
                reverses: reverses(),
            })?;
        if target.tag == Tag::Reversal {
            return Err(FundingError::ReversalOfReversal {
                reverses: reverses(),
            });
        }
        if let Some(by) = self.reversed.get(&seq).and_then(|&b| self.kept.id(b)) {
            return Err(FundingError::AlreadyReversed {
                reverses: reverses(),
                by,
            });
        }
        if r.date < target.date {
            return Err(FundingError::ReversalBeforePosting {
                reverses: reverses(),
                date: r.date,
                posted_on: target.date,
            });
        }
        if r.source != target.source || r.amount != target.amount {
            return Err(FundingError::ReversalMismatch {
                reverses: reverses(),
                fund: r.source,
                amount: r.amount,
                posted_fund: target.source,
                posted: target.amount,
            });
        }
        let balance = self.balance(r.source);
        let mut recovery = None;
        let after = match target.tag {
            Tag::Disbursement => {
                let recovered = self.recovered.get(&seq).copied().unwrap_or(Money::ZERO);
                if !recovered.is_zero() {
                    return Err(FundingError::ReversalRecovered {
                        reverses: reverses(),
                        recovered,
                    });
                }
                balance.checked_add(r.amount)?
            }
            Tag::Income => {
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
            Tag::Reversal => {
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
        let Some(seq) = self.find(reversed.as_str()) else {
            return Ok(None);
        };
        // A reversed posting of this ledger must be a payment to the same household, dated no
        // later than the recovery, and not recovered beyond its amount.
        let payment = match self.kept.view(seq) {
            Some(d) if d.tag == Tag::Disbursement && d.household.as_ref() == Some(household) => d,
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

/// Positions of postings looked up by a text key that each posting carries (its id, its
/// order key): the table holds only positions, the store answers whether the posting at a
/// position carries a key ([`store::Store::id_is`]), so the ledger keeps no second copy of
/// any id. Exact: a look-up ends in the store's comparison; the hash only finds the
/// candidates.
#[derive(Debug, Clone, Default)]
struct Positions {
    /// Positions as 32 bits (a ledger takes at most `u32::MAX` postings: `funding.ledger_full`).
    table: hashbrown::HashTable<u32>,
    hasher: RandomState,
}

/// A 32-bit hash spread over 64 bits: the table's hash of a key (the control bits and the
/// bucket both come from all 32 bits), so that a store may keep 4 bytes of it.
fn spread(h: u32) -> u64 {
    u64::from(h).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl Positions {
    /// The index on `hasher` (a store that checks keys by their hash shares the index's).
    fn with_hasher(hasher: RandomState) -> Positions {
        Positions {
            table: hashbrown::HashTable::new(),
            hasher,
        }
    }

    /// The 64-bit hash of a key (random per table, as `RandomState` hashes it); the table
    /// reads its low 32 bits.
    fn hash64(&self, key: &str) -> u64 {
        std::hash::BuildHasher::hash_one(&self.hasher, key)
    }

    /// The position of the posting for which `is(position)` holds, among those whose key
    /// hashed to `hash` (of [`Positions::hash64`]).
    fn get(&self, hash: u64, is: impl Fn(usize) -> bool) -> Option<usize> {
        self.table
            .find(spread(hash as u32), |&seq| is(seq as usize))
            .map(|&seq| seq as usize)
    }

    /// Indexes the posting at `seq` (whose key is not in the table) under `hash`; `rehash`
    /// gives the 32-bit hash of the key at a position when the table grows.
    fn insert(&mut self, seq: usize, hash: u64, rehash: impl Fn(&RandomState, usize) -> u32) {
        // The ledger refuses a posting past `u32::MAX` before it gets here.
        let Ok(seq) = u32::try_from(seq) else {
            return;
        };
        let Positions { table, hasher } = self;
        table.insert_unique(spread(hash as u32), seq, |&s| {
            spread(rehash(hasher, s as usize))
        });
    }

    /// Forgets the posting at `seq`, indexed under the 32-bit hash `hash32`.
    fn remove(&mut self, hash32: u32, seq: usize) {
        if let Ok(entry) = self
            .table
            .find_entry(spread(hash32), |&s| s as usize == seq)
        {
            entry.remove();
        }
    }

    /// Reserves room for `n` more keys.
    fn reserve(&mut self, n: usize, rehash: impl Fn(&RandomState, usize) -> u32) {
        let Positions { table, hasher } = self;
        table.reserve(n, |&s| spread(rehash(hasher, s as usize)));
    }
}
