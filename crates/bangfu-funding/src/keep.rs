//! What a ledger keeps of the postings it has taken (留存): every posting ([`Postings`], the
//! default), or only what its rules and its statement read of each ([`Folded`]).
//!
//! The rules are the ledger's, once ([`crate::Ledger`]): they read an earlier posting only
//! through a [`View`] of it (its kind, date, source, amount, household, category), its id,
//! its order key and its receipt, and ask whether a posting repeats it. Both stores answer
//! these questions; only [`Postings`] can give a posting back whole.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use bangfu_core::{AidCategory, AidKind, HouseholdId, Money, NaiveDate};

use crate::source::SOURCES;
use crate::statement::{Place, Tally, place_of};
use crate::{CampaignId, FundSource, FundingError, IncomeKind, Posting, Receipt, ReversedPosting};

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

/// The kind of a kept posting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tag {
    Income,
    Disbursement,
    Reversal,
}

/// What the ledger's rules read of an earlier posting.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub(crate) tag: Tag,
    pub(crate) date: NaiveDate,
    pub(crate) source: FundSource,
    pub(crate) amount: Money,
    /// A payment's household (`None` for any other posting).
    pub(crate) household: Option<&'a HouseholdId>,
    /// A payment's category and kind (`None` for any other posting).
    pub(crate) category: Option<AidCategory>,
    pub(crate) kind: Option<AidKind>,
}

pub(crate) mod store {
    use super::{FundingError, Posting, Receipt, SOURCES, Tally, View};

    /// The questions the ledger's rules ask of a store (sealed: not nameable outside the
    /// crate).
    pub trait Store: std::fmt::Debug + Clone + Default {
        /// How many postings were kept.
        fn len(&self) -> usize;
        /// Room for `n` more postings.
        fn reserve(&mut self, n: usize);
        /// The id of the posting at `seq`.
        fn id(&self, seq: usize) -> Option<&str>;
        /// The order key of the payment at `seq`.
        fn order(&self, seq: usize) -> Option<&str>;
        /// What the rules read of the posting at `seq`.
        fn view(&self, seq: usize) -> Option<View<'_>>;
        /// The receipt the posting at `seq` was given.
        fn receipt(&self, seq: usize) -> Option<Receipt>;
        /// Whether `posting` repeats the posting at `seq`.
        fn same(&self, seq: usize, posting: &Posting) -> bool;
        /// Keeps `posting`, posted with `receipt`; a reversal with the position of the
        /// posting it reverses. `id_hash` is the hash of its id in the ledger's index.
        fn keep(
            &mut self,
            posting: Posting,
            receipt: Receipt,
            reverses: Option<usize>,
            id_hash: u32,
        );
        /// The hash of the id of the posting at `seq` as it was kept, when the store keeps
        /// it (the index then grows without reading the ids again).
        fn id_hash(&self, _seq: usize) -> Option<u32> {
            None
        }
        /// The statement's sums of the postings kept.
        fn tally(&self) -> Result<Tally, FundingError>;
        /// Whether two stores kept the same postings in the same order.
        fn equal(&self, other: &Self) -> bool;
        /// The sources the postings kept name.
        fn touched(&self) -> Result<[bool; SOURCES], FundingError>;
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

    fn id(&self, seq: usize) -> Option<&str> {
        self.postings.get(seq).map(|p| p.id().as_str())
    }

    fn order(&self, seq: usize) -> Option<&str> {
        match self.postings.get(seq)? {
            Posting::Disbursement(d) => d.order.as_deref(),
            _ => None,
        }
    }

    fn view(&self, seq: usize) -> Option<View<'_>> {
        let p = self.postings.get(seq)?;
        let (tag, household, category, kind) = match p {
            Posting::Income(_) => (Tag::Income, None, None, None),
            Posting::Disbursement(d) => (
                Tag::Disbursement,
                Some(&d.household),
                Some(d.category),
                Some(d.kind),
            ),
            Posting::Reversal(_) => (Tag::Reversal, None, None, None),
        };
        Some(View {
            tag,
            date: p.date(),
            source: p.source(),
            amount: p.amount(),
            household,
            category,
            kind,
        })
    }

    fn receipt(&self, seq: usize) -> Option<Receipt> {
        self.receipts.get(seq).copied()
    }

    fn same(&self, seq: usize, posting: &Posting) -> bool {
        self.postings.get(seq) == Some(posting)
    }

    fn keep(&mut self, posting: Posting, receipt: Receipt, _: Option<usize>, _: u32) {
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
    /// The entries, in chunks of [`ENTRIES`].
    entries: Vec<Vec<Entry>>,
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
        self.entries.get(seq / ENTRIES)?.get(seq % ENTRIES)
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
        let full = self.entries.len().saturating_sub(1).saturating_mul(ENTRIES);
        full.saturating_add(self.entries.last().map_or(0, Vec::len))
    }

    fn reserve(&mut self, _: usize) {
        // Chunks are allocated as they fill: nothing to reserve.
    }

    fn id(&self, seq: usize) -> Option<&str> {
        let e = self.entry(seq)?;
        let start = usize::try_from(e.id_start).ok()?;
        let text = self.ids.get(usize::try_from(e.id_chunk).ok()?)?;
        text.get(start..start.checked_add(usize::from(e.id_len))?)
    }

    fn id_hash(&self, seq: usize) -> Option<u32> {
        self.entry(seq).map(|e| e.id_hash)
    }

    fn order(&self, seq: usize) -> Option<&str> {
        self.orders.get(&seq).map(|k| &**k)
    }

    fn view(&self, seq: usize) -> Option<View<'_>> {
        let e = self.entry(seq)?;
        let tag = tag_of(e.tag);
        let payment = tag == Tag::Disbursement;
        Some(View {
            tag,
            date: e.date,
            source: *FundSource::ALL.get(usize::from(e.source))?,
            amount: e.amount,
            household: self.households.get(usize::try_from(e.household).ok()?),
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

    fn keep(&mut self, posting: Posting, receipt: Receipt, reverses: Option<usize>, id_hash: u32) {
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
        match &posting {
            Posting::Reversal(r) => {
                // The ledger has checked that the reversed posting is here.
                if let Some(place) = reverses.and_then(|at| self.place(at)) {
                    self.tally.add_reversal(r, &place);
                }
            }
            other => {
                if let Some(place) = place_of(other) {
                    self.tally.add(&place, other.source(), other.amount());
                }
            }
        }
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
            id_hash,
            id_chunk,
            // An id has at most 64 bytes (`PostingId`).
            id_len: u8::try_from(id.len()).unwrap_or(u8::MAX),
            source: code(FundSource::ALL, &posting.source()),
            what,
            kind,
        };
        match self.entries.last_mut() {
            Some(chunk) if chunk.len() < ENTRIES => chunk.push(entry),
            _ => {
                let mut chunk =
                    Vec::with_capacity(if self.entries.is_empty() { 64 } else { ENTRIES });
                chunk.push(entry);
                self.entries.push(chunk);
            }
        }
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
