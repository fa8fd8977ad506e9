//! What a ledger keeps of the postings it has taken (留存): every posting ([`Postings`], the
//! default), or only what its rules and its statement read of each ([`Folded`]).
//!
//! The rules are the ledger's, once ([`crate::Ledger`]): they read an earlier posting only
//! through a [`View`] of it (its kind, date, source, amount, household, category), its id,
//! its order key and its receipt, and ask whether a posting repeats it. Both stores answer
//! these questions; only [`Postings`] can give a posting back whole.

use std::collections::HashMap;
use std::hash::{Hash, Hasher, RandomState};
use std::sync::{Arc, OnceLock};

use bangfu_core::{AidCategory, AidKind, HouseholdId, Money, NaiveDate};

use crate::source::SOURCES;
use crate::statement::{Place, Tally, place_of};
use crate::{
    CampaignId, FundSource, FundingError, IncomeKind, Posting, PostingId, Receipt, ReversedPosting,
};

/// What a ledger keeps of its postings: [`Postings`] (every posting, the default) or
/// [`Folded`] (a few dozen bytes a posting and the statement's running sums). Sealed: the
/// ledger's rules rely on what each store answers.
///
/// # Example
/// ```
/// use bangfu_funding::{Folded, Ledger, Postings};
/// fn takes<K: bangfu_funding::Keep>(_: &Ledger<K>) {}
/// # let policy: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
/// let year = bangfu_core::Year::new(2018)?;
/// takes(&Ledger::<Postings>::new(year, policy.clone()));
/// takes(&Ledger::<Folded>::folding(year, policy));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait Keep: store::Store {}

impl Keep for Postings {}
impl Keep for Folded {}
impl Keep for Recalled {}

/// The kind of a kept posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    Income,
    Disbursement,
    Reversal,
}

/// What the ledger's rules read of an earlier posting.
#[derive(Debug, Clone)]
pub struct View {
    pub(crate) tag: Tag,
    pub(crate) date: NaiveDate,
    pub(crate) source: FundSource,
    pub(crate) amount: Money,
    /// A payment's household (`None` for any other posting).
    pub(crate) household: Option<HouseholdId>,
    /// A payment's category and kind (`None` for any other posting).
    pub(crate) category: Option<AidCategory>,
    pub(crate) kind: Option<AidKind>,
}

impl View {
    /// What the rules read of `p`.
    fn of(p: &Posting) -> View {
        let (tag, household, category, kind) = match p {
            Posting::Income(_) => (Tag::Income, None, None, None),
            Posting::Disbursement(d) => (
                Tag::Disbursement,
                Some(d.household.clone()),
                Some(d.category),
                Some(d.kind),
            ),
            Posting::Reversal(_) => (Tag::Reversal, None, None, None),
        };
        View {
            tag,
            date: p.date(),
            source: p.source(),
            amount: p.amount(),
            household,
            category,
            kind,
        }
    }
}

/// The hashes of a posting's keys in the ledger's indexes (64 bits each, by the index's
/// hasher; the tables read the low 32).
#[derive(Debug, Clone, Copy)]
pub struct Hashes {
    /// Of its id.
    pub(crate) id: u64,
    /// Of a payment's order key.
    pub(crate) order: Option<u64>,
}

/// The 32-bit hash of `key` by `hasher` (the low bits of the 64-bit hash).
fn hash32(hasher: &RandomState, key: &str) -> u32 {
    std::hash::BuildHasher::hash_one(hasher, key) as u32
}

pub(crate) mod store {
    use std::hash::RandomState;

    use super::{FundingError, Hashes, Posting, PostingId, Receipt, SOURCES, Tally, View};

    /// The questions the ledger's rules ask of a store (sealed: not nameable outside the
    /// crate).
    pub trait Store: std::fmt::Debug + Clone {
        /// How many postings were kept.
        fn len(&self) -> usize;
        /// Room for `n` more postings.
        fn reserve(&mut self, n: usize);
        /// Whether the posting at `seq` has the id `id`, whose hash by the index's hasher is
        /// `hash`.
        fn id_is(&self, seq: usize, id: &str, hash: u64) -> bool;
        /// The 32-bit hash of the id of the posting at `seq` by `hasher` (the index's), kept
        /// or computed again, when the index grows.
        fn id_hash32(&self, seq: usize, hasher: &RandomState) -> u32;
        /// The id of the posting at `seq`.
        fn id(&self, seq: usize) -> Option<PostingId>;
        /// Whether the payment at `seq` carries the order key `key` (hash `hash`).
        fn order_is(&self, seq: usize, key: &str, hash: u64) -> bool;
        /// The 32-bit hash of the order key of the payment at `seq` by `hasher`; `None`
        /// when it carries none.
        fn order_hash32(&self, seq: usize, hasher: &RandomState) -> Option<u32>;
        /// What the rules read of the posting at `seq`.
        fn view(&self, seq: usize) -> Option<View>;
        /// The receipt the posting at `seq` was given.
        fn receipt(&self, seq: usize) -> Option<Receipt>;
        /// Whether `posting` repeats the posting at `seq`.
        fn same(&self, seq: usize, posting: &Posting) -> bool;
        /// Keeps `posting`, posted with `receipt`; a reversal with the position of the
        /// posting it reverses; `hashes` are its keys' hashes in the ledger's indexes.
        fn keep(
            &mut self,
            posting: Posting,
            receipt: Receipt,
            reverses: Option<usize>,
            hashes: Hashes,
        );
        /// The statement's sums of the postings kept.
        fn tally(&self) -> Result<Tally, FundingError>;
        /// Whether two stores kept the same postings in the same order.
        fn equal(&self, other: &Self) -> bool;
        /// The sources the postings kept name.
        fn touched(&self) -> Result<[bool; SOURCES], FundingError>;
        /// Whether the store's answers can be relied on, and (`posting`) whether it can keep
        /// a posting now: a store that reads postings again refuses once a reading failed.
        fn ready(&self, _posting: bool) -> Result<(), FundingError> {
            Ok(())
        }
    }
}

/// Every posting, whole, with its receipt (the default store of a [`crate::Ledger`]).
///
/// # Example
/// ```
/// # let policy: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
/// let ledger = bangfu_funding::Ledger::new(bangfu_core::Year::new(2018)?, policy);
/// assert!(ledger.postings().is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Postings {
    pub(crate) postings: Vec<Posting>,
    receipts: Vec<Receipt>,
}

impl store::Store for Postings {
    fn len(&self) -> usize {
        self.postings.len()
    }

    fn reserve(&mut self, n: usize) {
        self.postings.reserve(n);
        self.receipts.reserve(n);
    }

    fn id_is(&self, seq: usize, id: &str, _: u64) -> bool {
        self.postings
            .get(seq)
            .is_some_and(|p| p.id().as_str() == id)
    }

    fn id_hash32(&self, seq: usize, hasher: &RandomState) -> u32 {
        self.postings
            .get(seq)
            .map_or(0, |p| hash32(hasher, p.id().as_str()))
    }

    fn id(&self, seq: usize) -> Option<PostingId> {
        self.postings.get(seq).map(|p| p.id().clone())
    }

    fn order_is(&self, seq: usize, key: &str, _: u64) -> bool {
        order_of(self.postings.get(seq)) == Some(key)
    }

    fn order_hash32(&self, seq: usize, hasher: &RandomState) -> Option<u32> {
        order_of(self.postings.get(seq)).map(|k| hash32(hasher, k))
    }

    fn view(&self, seq: usize) -> Option<View> {
        self.postings.get(seq).map(View::of)
    }

    fn receipt(&self, seq: usize) -> Option<Receipt> {
        self.receipts.get(seq).copied()
    }

    fn same(&self, seq: usize, posting: &Posting) -> bool {
        self.postings.get(seq) == Some(posting)
    }

    fn keep(&mut self, posting: Posting, receipt: Receipt, _: Option<usize>, _: Hashes) {
        self.postings.push(posting);
        self.receipts.push(receipt);
    }

    fn tally(&self) -> Result<Tally, FundingError> {
        Tally::of(&self.postings)
    }

    fn equal(&self, other: &Postings) -> bool {
        self.postings == other.postings
    }

    fn touched(&self) -> Result<[bool; SOURCES], FundingError> {
        let mut touched = [false; SOURCES];
        for p in &self.postings {
            if let Some(t) = touched.get_mut(p.source().index()) {
                *t = true;
            }
        }
        Ok(touched)
    }
}

/// A payment's order key.
fn order_of(p: Option<&Posting>) -> Option<&str> {
    match p? {
        Posting::Disbursement(d) => d.order.as_deref(),
        _ => None,
    }
}

/// A kept posting of a [`Folded`] store: 56 bytes, its id's text in the store's chunks of
/// ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Entry {
    amount: Money,
    balance_after: Money,
    /// The 128-bit hash of the whole posting ([`content`]).
    content: [u64; 2],
    date: NaiveDate,
    /// A payment's household, as its index in the store's households; `u32::MAX` for none.
    household: u32,
    /// Where the id's text starts in its chunk of ids.
    id_start: u32,
    /// The hash of the id in the ledger's index.
    id_hash: u32,
    /// The chunk of ids that holds the id.
    id_chunk: u32,
    /// The id's length in bytes (an id has at most 64).
    id_len: u8,
    tag: u8,
    source: u8,
    /// A payment's category, an income's kind.
    what: u8,
    /// A payment's kind.
    kind: u8,
}

/// Entries a chunk holds: the store grows a chunk at a time, never copying what it holds.
const ENTRIES: usize = 1 << 16;

/// Kept items in chunks of [`ENTRIES`] (the first starts small): a store that grows without
/// ever copying what it holds, nor holding twice its size while it grows.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Chunks<T>(Vec<Vec<T>>);

impl<T> Default for Chunks<T> {
    fn default() -> Chunks<T> {
        Chunks(Vec::new())
    }
}

impl<T> Chunks<T> {
    fn get(&self, seq: usize) -> Option<&T> {
        self.0.get(seq / ENTRIES)?.get(seq % ENTRIES)
    }

    fn len(&self) -> usize {
        let full = self.0.len().saturating_sub(1).saturating_mul(ENTRIES);
        full.saturating_add(self.0.last().map_or(0, Vec::len))
    }

    fn push(&mut self, item: T) {
        match self.0.last_mut() {
            Some(chunk) if chunk.len() < ENTRIES => chunk.push(item),
            _ => {
                let mut chunk = Vec::with_capacity(if self.0.is_empty() { 64 } else { ENTRIES });
                chunk.push(item);
                self.0.push(chunk);
            }
        }
    }
}
/// Bytes of ids a chunk holds.
const ID_BYTES: usize = 1 << 20;

/// A ledger's postings folded as they are posted (折叠留存): of each, only what the rules
/// read again (its id, kind, date, source, amount, a payment's household, category, kind and
/// order key, its receipt, and a 128-bit hash of the whole posting for telling a repeat from
/// a conflict), and the statement's sums kept running. A year's postings are read as they
/// stream and never held: about 60 bytes a posting with its id, where a kept posting takes
/// about 200.
///
/// Everything a [`crate::Ledger`] decides is decided as with [`Postings`], with one
/// difference of kind: a posting whose id was posted before is told a repeat (taken once) or
/// a conflict (`funding.id_conflict`) by comparing 128-bit hashes of the two postings (two
/// SipHash-1-3 hashes) rather than the postings themselves. Two different
/// postings under one id would pass as a repeat only if both 64-bit hashes collided.
///
/// # Example
/// ```
/// use bangfu_core::{Money, NaiveDate, Year};
/// use bangfu_funding::{Budget, FundSource, Income, IncomeKind, Ledger, PostOutcome};
/// # let policy: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
/// let year = Year::new(2018)?;
/// let mut folded = Ledger::folding(year, policy.clone());
/// let mut whole = Ledger::new(year, policy);
/// let day = NaiveDate::from_ymd_opt(2018, 1, 5).ok_or("date")?;
/// let income = Income::new("inc-1".parse()?, day, FundSource::CentralFiscal,
///     IncomeKind::Allocation, Money::from_yuan(1000)?);
/// folded.post(income.clone().into())?;
/// whole.post(income.clone().into())?;
/// assert!(matches!(folded.post(income.into())?, PostOutcome::AlreadyPosted(_)));
/// let budget = Budget::new(year, [(FundSource::CentralFiscal, Money::from_yuan(1000)?)])?;
/// assert_eq!(folded.statement(&budget)?, whole.statement(&budget)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct Folded {
    entries: Chunks<Entry>,
    /// The ids' text, in chunks of at most [`ID_BYTES`].
    ids: Vec<String>,
    households: Vec<HouseholdId>,
    household_index: HashMap<HouseholdId, u32>,
    /// The order keys of the payments that carry one, by position.
    orders: HashMap<usize, Box<str>>,
    /// The campaign of each payment that names one, by position.
    campaigns: HashMap<usize, CampaignId>,
    /// The household of each recovery that names one, by position.
    recoveries: HashMap<usize, HouseholdId>,
    tally: Tally,
}

const NO_HOUSEHOLD: u32 = u32::MAX;

/// The 128-bit hash of a posting: two hashes by the standard library's fixed-key hasher
/// (SipHash-1-3 with zero keys, the same within a process), one of the posting after a 0 and
/// one after a 1.
fn content(posting: &Posting) -> [u64; 2] {
    let mut out = [0u64; 2];
    for (prefix, slot) in (0u8..).zip(out.iter_mut()) {
        let mut h = std::hash::DefaultHasher::new();
        prefix.hash(&mut h);
        posting.hash(&mut h);
        *slot = h.finish();
    }
    out
}

impl Folded {
    fn entry(&self, seq: usize) -> Option<&Entry> {
        self.entries.get(seq)
    }

    /// The text of the id of the posting at `seq`.
    fn id_text(&self, seq: usize) -> Option<&str> {
        let e = self.entry(seq)?;
        let start = usize::try_from(e.id_start).ok()?;
        let text = self.ids.get(usize::try_from(e.id_chunk).ok()?)?;
        text.get(start..start.checked_add(usize::from(e.id_len))?)
    }

    /// Keeps `id`'s text: (chunk, start).
    fn keep_id(&mut self, id: &str) -> (u32, u32) {
        let fits = self
            .ids
            .last()
            .is_some_and(|c| c.len().saturating_add(id.len()) <= ID_BYTES);
        if !fits {
            self.ids.push(String::new());
        }
        let chunk = self.ids.len().saturating_sub(1);
        let Some(text) = self.ids.last_mut() else {
            return (u32::MAX, 0);
        };
        let start = text.len();
        text.push_str(id);
        // Chunks of 1 MiB: 4 billion of them before a position leaves `u32`.
        (
            u32::try_from(chunk).unwrap_or(u32::MAX),
            u32::try_from(start).unwrap_or(u32::MAX),
        )
    }

    fn household(&mut self, h: &HouseholdId) -> u32 {
        if let Some(&i) = self.household_index.get(h) {
            return i;
        }
        // A year with 4 billion households does not fold its payments' households: the
        // rules then find none for them (a recovery naming such a payment is refused as a
        // mismatch), never a wrong one.
        let Ok(i) = u32::try_from(self.households.len()) else {
            return NO_HOUSEHOLD;
        };
        if i == NO_HOUSEHOLD {
            return NO_HOUSEHOLD;
        }
        self.households.push(h.clone());
        self.household_index.insert(h.clone(), i);
        i
    }

    /// Where the posting at `seq` was counted, for the reversal that names it.
    fn place(&self, seq: usize) -> Option<Place> {
        let e = self.entry(seq)?;
        let what = match tag_of(e.tag) {
            Tag::Income => ReversedPosting::Income {
                kind: *IncomeKind::ALL.get(usize::from(e.what))?,
            },
            Tag::Disbursement => ReversedPosting::Disbursement {
                category: *AidCategory::ALL.get(usize::from(e.what))?,
            },
            Tag::Reversal => return None,
        };
        Some(Place {
            date: e.date,
            what,
            kind: match tag_of(e.tag) {
                Tag::Disbursement => AidKind::ALL.get(usize::from(e.kind)).copied(),
                _ => None,
            },
            campaign: self.campaigns.get(&seq).cloned(),
            household: self.recoveries.get(&seq).cloned(),
        })
    }
}

fn tag_of(tag: u8) -> Tag {
    match tag {
        0 => Tag::Income,
        1 => Tag::Disbursement,
        _ => Tag::Reversal,
    }
}

/// The index of `x` in `all`, as a byte (every vocabulary has fewer than 256 terms).
fn code<T: PartialEq>(all: &[T], x: &T) -> u8 {
    all.iter()
        .position(|a| a == x)
        .and_then(|i| u8::try_from(i).ok())
        .unwrap_or(u8::MAX)
}

impl store::Store for Folded {
    fn len(&self) -> usize {
        self.entries.len()
    }

    fn reserve(&mut self, _: usize) {
        // Chunks are allocated as they fill: nothing to reserve.
    }

    fn id_is(&self, seq: usize, id: &str, hash: u64) -> bool {
        // The kept hash first: a different id rarely gets past it to the text.
        self.entry(seq).is_some_and(|e| e.id_hash == hash as u32) && self.id_text(seq) == Some(id)
    }

    fn id_hash32(&self, seq: usize, _: &RandomState) -> u32 {
        self.entry(seq).map_or(0, |e| e.id_hash)
    }

    fn id(&self, seq: usize) -> Option<PostingId> {
        PostingId::new(self.id_text(seq)?).ok()
    }

    fn order_is(&self, seq: usize, key: &str, _: u64) -> bool {
        self.orders.get(&seq).is_some_and(|k| **k == *key)
    }

    fn order_hash32(&self, seq: usize, hasher: &RandomState) -> Option<u32> {
        self.orders.get(&seq).map(|k| hash32(hasher, k))
    }

    fn view(&self, seq: usize) -> Option<View> {
        let e = self.entry(seq)?;
        let tag = tag_of(e.tag);
        let payment = tag == Tag::Disbursement;
        Some(View {
            tag,
            date: e.date,
            source: *FundSource::ALL.get(usize::from(e.source))?,
            amount: e.amount,
            household: self
                .households
                .get(usize::try_from(e.household).ok()?)
                .cloned(),
            category: payment
                .then(|| AidCategory::ALL.get(usize::from(e.what)).copied())
                .flatten(),
            kind: payment
                .then(|| AidKind::ALL.get(usize::from(e.kind)).copied())
                .flatten(),
        })
    }

    fn receipt(&self, seq: usize) -> Option<Receipt> {
        let e = self.entry(seq)?;
        Some(Receipt {
            sequence: seq,
            source: *FundSource::ALL.get(usize::from(e.source))?,
            balance_after: e.balance_after,
        })
    }

    fn same(&self, seq: usize, posting: &Posting) -> bool {
        self.entry(seq)
            .is_some_and(|e| e.content == content(posting))
    }

    fn keep(
        &mut self,
        posting: Posting,
        receipt: Receipt,
        reverses: Option<usize>,
        hashes: Hashes,
    ) {
        let seq = store::Store::len(self);
        let (tag, what, kind, household) = match &posting {
            Posting::Income(i) => {
                if let (IncomeKind::Recovery, Some(h)) = (i.kind, &i.household) {
                    self.recoveries.insert(seq, h.clone());
                }
                (0, code(IncomeKind::ALL, &i.kind), 0, NO_HOUSEHOLD)
            }
            Posting::Disbursement(d) => {
                if let Some(key) = &d.order {
                    self.orders.insert(seq, key.as_str().into());
                }
                if let Some(c) = &d.campaign {
                    self.campaigns.insert(seq, c.clone());
                }
                let h = self.household(&d.household);
                (
                    1,
                    code(AidCategory::ALL, &d.category),
                    code(AidKind::ALL, &d.kind),
                    h,
                )
            }
            Posting::Reversal(_) => (2, 0, 0, NO_HOUSEHOLD),
        };
        // The ledger has checked that the reversed posting is here.
        let reversed = match &posting {
            Posting::Reversal(_) => reverses.and_then(|at| self.place(at)),
            _ => None,
        };
        self.tally.take(&posting, reversed);
        let id = posting.id().as_str();
        let (id_chunk, id_start) = self.keep_id(id);
        let entry = Entry {
            amount: posting.amount(),
            balance_after: receipt.balance_after,
            content: content(&posting),
            date: posting.date(),
            household,
            tag,
            id_start,
            id_hash: hashes.id as u32,
            id_chunk,
            // An id has at most 64 bytes (`PostingId`).
            id_len: u8::try_from(id.len()).unwrap_or(u8::MAX),
            source: code(FundSource::ALL, &posting.source()),
            what,
            kind,
        };
        self.entries.push(entry);
    }

    fn tally(&self) -> Result<Tally, FundingError> {
        Ok(self.tally.clone())
    }

    fn touched(&self) -> Result<[bool; SOURCES], FundingError> {
        // The running sums know the sources named, without a copy of them.
        Ok(self.tally.touched())
    }

    fn equal(&self, other: &Folded) -> bool {
        self.entries == other.entries && self.ids == other.ids
    }
}

/// Where a [`Recalled`] ledger reads a posting again (回查来源): the posting it was given
/// at a locator ([`crate::Ledger::post_from`]), e.g. the line at a byte offset of a ledger
/// file. The source must give back exactly what was posted; a posting whose id does not
/// hash as the one kept is taken as unreadable.
///
/// # Example
/// ```
/// use bangfu_funding::{Posting, Recall};
/// #[derive(Debug)]
/// struct Lines(Vec<Posting>);
/// impl Recall for Lines {
///     fn recall(&self, at: u64) -> Option<Posting> {
///         self.0.get(usize::try_from(at).ok()?).cloned()
///     }
/// }
/// assert!(Lines(Vec::new()).recall(0).is_none());
/// ```
pub trait Recall: std::fmt::Debug + Send + Sync {
    /// The posting at `at`, as it was posted; `None` when it cannot be read.
    fn recall(&self, at: u64) -> Option<Posting>;
}

/// A kept posting of a [`Recalled`] store: 24 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Mark {
    /// Where its source gives it back.
    at: u64,
    /// The 64-bit hash of its id by the ledger's index's hasher.
    id_hash: u64,
    balance_after: Money,
}

/// A ledger's postings kept as where they are in their source (回查留存): of each, only its
/// locator, the hash of its id and the balance after it (24 bytes), the payment orders'
/// hashes, and the statement's sums kept running. What a rule needs of an earlier posting
/// (a repeat's content, a reversed or recovered payment) is read again from the source
/// ([`Recall`]): rare in a year, and exact (a repeat is the same posting, compared whole).
///
/// Everything a [`crate::Ledger`] decides is decided as with [`Postings`]. A posting the
/// source cannot give back stops the ledger: from then on every posting and the statement
/// are refused with `funding.recall_failed` (a decision never rests on a failed reading).
///
/// # Example
/// ```
/// use std::sync::Arc;
/// use bangfu_core::{Money, NaiveDate, Year};
/// use bangfu_funding::{Budget, FundSource, Income, IncomeKind, Ledger, Posting, Recall};
/// #[derive(Debug)]
/// struct Lines(Vec<Posting>);
/// impl Recall for Lines {
///     fn recall(&self, at: u64) -> Option<Posting> {
///         self.0.get(usize::try_from(at).ok()?).cloned()
///     }
/// }
/// # let policy: bangfu_funding::FundingPolicy = toml::from_str(bangfu_funding::EXAMPLE_POLICY)?;
/// let year = Year::new(2018)?;
/// let day = NaiveDate::from_ymd_opt(2018, 1, 5).ok_or("date")?;
/// let income: Posting = Income::new("inc-1".parse()?, day, FundSource::CentralFiscal,
///     IncomeKind::Allocation, Money::from_yuan(1000)?).into();
/// let mut recalled = Ledger::recalling(year, policy.clone(), Arc::new(Lines(vec![income.clone()])));
/// let mut whole = Ledger::new(year, policy);
/// recalled.post_from(income.clone(), 0)?;
/// whole.post(income)?;
/// let budget = Budget::new(year, [(FundSource::CentralFiscal, Money::from_yuan(1000)?)])?;
/// assert_eq!(recalled.statement(&budget)?, whole.statement(&budget)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Recalled {
    source: Arc<dyn Recall>,
    /// The ledger's index hashes ids with this hasher (the store checks a posting read again
    /// by it).
    hasher: RandomState,
    marks: Chunks<Mark>,
    /// The hash of the order key of each payment that carries one, by position.
    orders: HashMap<usize, u64>,
    tally: Tally,
    /// The locator of the posting being posted.
    next: Option<u64>,
    /// The first locator that could not be read again (`None`: a posting posted without
    /// one).
    failed: OnceLock<Option<u64>>,
}

impl Recalled {
    /// An empty store reading postings again from `source`.
    pub(crate) fn new(source: Arc<dyn Recall>) -> Recalled {
        Recalled {
            source,
            hasher: RandomState::new(),
            marks: Chunks::default(),
            orders: HashMap::new(),
            tally: Tally::default(),
            next: None,
            failed: OnceLock::new(),
        }
    }

    /// The hasher the ledger's index must use (the store checks ids by their hashes).
    pub(crate) fn hasher(&self) -> RandomState {
        self.hasher.clone()
    }

    /// Where the source gives back the posting being posted (`None` once it is posted).
    pub(crate) fn locate(&mut self, at: Option<u64>) {
        self.next = at;
    }

    fn mark(&self, seq: usize) -> Option<&Mark> {
        self.marks.get(seq)
    }

    /// The posting at `seq`, read again from the source and checked by its id's hash; a
    /// failed reading is remembered ([`store::Store::ready`]).
    fn recall(&self, seq: usize) -> Option<Posting> {
        let m = self.mark(seq)?;
        match self.source.recall(m.at) {
            Some(p)
                if std::hash::BuildHasher::hash_one(&self.hasher, p.id().as_str()) == m.id_hash =>
            {
                Some(p)
            }
            _ => {
                let _ = self.failed.set(Some(m.at));
                None
            }
        }
    }
}

impl store::Store for Recalled {
    fn len(&self) -> usize {
        self.marks.len()
    }

    fn reserve(&mut self, _: usize) {
        // Chunks are allocated as they fill: nothing to reserve.
    }

    fn id_is(&self, seq: usize, id: &str, hash: u64) -> bool {
        // The kept hash first: only a posting whose id hashes alike is read again.
        self.mark(seq).is_some_and(|m| m.id_hash == hash)
            && self.recall(seq).is_some_and(|p| p.id().as_str() == id)
    }

    fn id_hash32(&self, seq: usize, _: &RandomState) -> u32 {
        self.mark(seq).map_or(0, |m| m.id_hash as u32)
    }

    fn id(&self, seq: usize) -> Option<PostingId> {
        self.recall(seq).map(|p| p.id().clone())
    }

    fn order_is(&self, seq: usize, key: &str, hash: u64) -> bool {
        self.orders.get(&seq) == Some(&hash) && order_of(self.recall(seq).as_ref()) == Some(key)
    }

    fn order_hash32(&self, seq: usize, _: &RandomState) -> Option<u32> {
        self.orders.get(&seq).map(|&h| h as u32)
    }

    fn view(&self, seq: usize) -> Option<View> {
        self.recall(seq).map(|p| View::of(&p))
    }

    fn receipt(&self, seq: usize) -> Option<Receipt> {
        let balance_after = self.mark(seq)?.balance_after;
        Some(Receipt {
            sequence: seq,
            source: self.recall(seq)?.source(),
            balance_after,
        })
    }

    fn same(&self, seq: usize, posting: &Posting) -> bool {
        self.recall(seq).as_ref() == Some(posting)
    }

    fn keep(
        &mut self,
        posting: Posting,
        receipt: Receipt,
        reverses: Option<usize>,
        hashes: Hashes,
    ) {
        let seq = store::Store::len(self);
        // `ready` has checked that the posting has its locator.
        let Some(at) = self.next.take() else {
            let _ = self.failed.set(None);
            return;
        };
        // The ledger has checked that the reversed posting is here; a failed reading stops
        // the statement (`ready`).
        let reversed = match &posting {
            Posting::Reversal(_) => reverses
                .and_then(|t| self.recall(t))
                .as_ref()
                .and_then(place_of),
            _ => None,
        };
        self.tally.take(&posting, reversed);
        if let Some(h) = hashes.order {
            self.orders.insert(seq, h);
        }
        let mark = Mark {
            at,
            id_hash: hashes.id,
            balance_after: receipt.balance_after,
        };
        self.marks.push(mark);
    }

    fn tally(&self) -> Result<Tally, FundingError> {
        self.ready(false)?;
        Ok(self.tally.clone())
    }

    fn equal(&self, other: &Recalled) -> bool {
        self.marks == other.marks
    }

    fn touched(&self) -> Result<[bool; SOURCES], FundingError> {
        self.ready(false)?;
        Ok(self.tally.touched())
    }

    fn ready(&self, posting: bool) -> Result<(), FundingError> {
        if let Some(&at) = self.failed.get() {
            return Err(FundingError::RecallFailed { at });
        }
        if posting && self.next.is_none() {
            return Err(FundingError::RecallFailed { at: None });
        }
        Ok(())
    }
}
