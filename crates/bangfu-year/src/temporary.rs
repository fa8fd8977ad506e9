//! Temporary aid (临时救助) as a record of the year: claims of workers who are **not filed**,
//! decided by [`bangfu_aid::Calculator::temporary`], and their payments (`temporary-aid.jsonl`).
//!
//! A worker who is not filed has no case file, so these claims cannot go through
//! `claims.jsonl` (keyed by case file). A record names the worker by the person key the union
//! assigns and the ID number **masked** ([`MaskedIdNumber`]: a full number is refused, so none
//! is ever stored or printed), with the unit that handles the claim.
//!
//! How the ledger carries a payment to a person without a file: a [`Disbursement`] whose
//! `household` is the worker's key (the year refuses a key that is a household of its
//! files, `temporary.key_is_household`), category living aid, kind `temporary`, the unit of
//! the claim, and the tier **grassroots** (基层级), the lowest archive tier: a worker with no
//! file has no archive tier, and a source earmarked for national- or provincial-tier files
//! cannot pay one (the funding rules check the stated tier as for every payment).
//!
//! The year-to-date per person is read as the calculators read a history
//! ([`bangfu_aid::temporary_paid`]): each temporary claim of the worker decided earlier in the
//! calendar year counts for what it committed (its decided amount, or what was paid on it
//! when more), so that two claims decided before either is paid cannot both take the cap.
//!
//! ```
//! use bangfu_year::temporary::TemporaryAidRecord;
//! let line = r#"{"type":"claim","id":"T-1","worker":"HB-W-001","id_number":"420106********1234","unit":"wuhan","date":"2023-06-01","event":"major_illness","relation":"parent","requested":"2000.00"}"#;
//! let record: TemporaryAidRecord = serde_json::from_str(line)?;
//! assert_eq!(serde_json::to_string(&record)?, line);
//! # Ok::<(), serde_json::Error>(())
//! ```

use std::collections::{BTreeSet, HashMap};

use bangfu_aid::{
    Calculator, ClaimId, Explain, PaymentRecord, ReasonSet, Relation, TemporaryClaim,
    TemporaryEvent,
};
use bangfu_core::{
    AidCategory, AidKind, ArchiveTier, Coded, HouseholdId, Labelled, Money, NaiveDate,
    PaymentChannel, PersonId, UnitId,
};
use bangfu_funding::{Disbursement, FundSource, Posting, PostingId, Receipt, standing_payments};
use bangfu_scoring::{RecordId, Tally};
use chrono::Datelike;

use crate::{Defect, DefectKind, Payment, ProgrammeYear, YearError};

/// Why a temporary-aid record was refused (临时救助记录被拒). Nothing was changed.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// assert_eq!(bangfu_year::temporary::TemporaryError::IdNumberUnmasked.code(), "temporary.id_number_unmasked");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TemporaryError {
    /// A full ID number: only a masked one is kept.
    #[error("a full ID number: write it masked (first 6 and last 4 characters, 8 `*` between)")]
    IdNumberUnmasked,
    /// Not a masked ID number.
    #[error("not a masked ID number (6 digits, 8 `*`, 3 digits and a digit or X)")]
    IdNumberMalformed,
    /// The worker is filed on the date: temporary aid is for workers who are not.
    #[error("worker {worker} is filed (household {household}) on {date}")]
    WorkerFiled {
        /// The worker's key.
        worker: PersonId,
        /// The filed household.
        household: HouseholdId,
        /// The date.
        date: NaiveDate,
    },
    /// The worker's key is a household of the year's files.
    #[error("worker key {worker} is a household of the year's files")]
    KeyIsHousehold {
        /// The key.
        worker: PersonId,
    },
    /// The worker's key was used before with another ID number or unit.
    #[error("worker key {worker} was used before with another ID number or unit")]
    WorkerConflict {
        /// The key.
        worker: PersonId,
    },
}

impl Coded for TemporaryError {
    fn code(&self) -> &'static str {
        match self {
            TemporaryError::IdNumberUnmasked => "temporary.id_number_unmasked",
            TemporaryError::IdNumberMalformed => "temporary.id_number_malformed",
            TemporaryError::WorkerFiled { .. } => "temporary.worker_filed",
            TemporaryError::KeyIsHousehold { .. } => "temporary.key_is_household",
            TemporaryError::WorkerConflict { .. } => "temporary.worker_conflict",
        }
    }
}

impl Labelled for TemporaryError {
    fn zh(&self) -> &'static str {
        match self {
            TemporaryError::IdNumberUnmasked => "身份证号码未脱敏",
            TemporaryError::IdNumberMalformed => "脱敏身份证号码格式错误",
            TemporaryError::WorkerFiled { .. } => "已建档职工不适用临时救助",
            TemporaryError::KeyIsHousehold { .. } => "职工编号与建档户编号相同",
            TemporaryError::WorkerConflict { .. } => "职工编号对应的身份证号码或单位不一致",
        }
    }

    fn en(&self) -> &'static str {
        match self {
            TemporaryError::IdNumberUnmasked => "ID number not masked",
            TemporaryError::IdNumberMalformed => "masked ID number malformed",
            TemporaryError::WorkerFiled { .. } => "the worker is filed",
            TemporaryError::KeyIsHousehold { .. } => "worker key is a filed household's id",
            TemporaryError::WorkerConflict { .. } => "worker key used with another ID or unit",
        }
    }
}

/// An ID number kept masked (脱敏身份证号码): the first 6 characters (the region), 8 `*`
/// (the birth date), the last 4 (sequence and check character), as
/// `bangfu_eligibility::IdMask::DISPLAY` shows every ID number. A full number is refused
/// (`temporary.id_number_unmasked`, and the message does not repeat it); anything else that
/// is not of this form is `temporary.id_number_malformed`.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// use bangfu_year::temporary::MaskedIdNumber;
/// assert_eq!(MaskedIdNumber::new("420106********123X")?.as_str(), "420106********123X");
/// assert_eq!(MaskedIdNumber::new("42010619800101123X").unwrap_err().code(), "temporary.id_number_unmasked");
/// assert_eq!(MaskedIdNumber::new("4201**").unwrap_err().code(), "temporary.id_number_malformed");
/// # Ok::<(), bangfu_year::temporary::TemporaryError>(())
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "String", into = "String")]
pub struct MaskedIdNumber(String);

impl MaskedIdNumber {
    /// A masked ID number.
    ///
    /// # Errors
    /// `temporary.id_number_unmasked` for 18 digits (or 17 and an X);
    /// `temporary.id_number_malformed` otherwise.
    pub fn new(text: &str) -> Result<MaskedIdNumber, TemporaryError> {
        let b = text.as_bytes();
        let last = |c: &u8| c.is_ascii_digit() || *c == b'X' || *c == b'x';
        if b.len() == 18 && b.iter().take(17).all(u8::is_ascii_digit) && b.get(17).is_some_and(last)
        {
            return Err(TemporaryError::IdNumberUnmasked);
        }
        let ok = b.len() == 18
            && b.iter().take(6).all(u8::is_ascii_digit)
            && b.iter().skip(6).take(8).all(|c| *c == b'*')
            && b.iter().skip(14).take(3).all(u8::is_ascii_digit)
            && b.get(17).is_some_and(last);
        if ok {
            Ok(MaskedIdNumber(text.to_ascii_uppercase()))
        } else {
            Err(TemporaryError::IdNumberMalformed)
        }
    }

    /// The masked number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MaskedIdNumber {
    type Error = TemporaryError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        // The caller's text is quoted in the message masked, whatever it is.
        let shown = bangfu_eligibility::IdMask::DISPLAY.mask_str(&s);
        MaskedIdNumber::new(&s).map_err(|e| bangfu_core::read::noted(e, &shown))
    }
}

impl From<MaskedIdNumber> for String {
    fn from(m: MaskedIdNumber) -> String {
        m.0
    }
}

impl std::fmt::Display for MaskedIdNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A temporary-aid claim (临时救助申请) of a worker who is not filed, as a line of
/// `temporary-aid.jsonl` holds it: with the worker's key, masked ID number and unit. (The
/// claim a calculator request carries is `bangfu_aid::TemporaryClaimRecord`; this type had
/// the same name before issue 14, and the service's schemas need one name a type.)
///
/// # Example
/// See [the module](self).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TemporaryAidClaim {
    /// The claim id (unique among the year's claims).
    pub id: ClaimId,
    /// The person key the union assigns to the worker (not an ID number).
    pub worker: PersonId,
    /// The worker's ID number, masked.
    pub id_number: MaskedIdNumber,
    /// The union unit that handles the claim.
    pub unit: UnitId,
    /// The claim date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The event (致困事件).
    pub event: TemporaryEvent,
    /// Whose event it is (与职工关系).
    pub relation: Relation,
    /// The amount asked (申请金额).
    pub requested: Money,
}

/// A recorded payment of a temporary-aid claim (临时救助发放记录, the union's history): what
/// was paid, from which source, through which channel.
///
/// # Example
/// ```
/// let line = r#"{"type":"payment","id":"TP-1","claim":"T-1","date":"2023-06-05","source":"provincial_union_funds","channel":"union_member_card","amount":"2000.00"}"#;
/// let r: bangfu_year::temporary::TemporaryAidRecord = serde_json::from_str(line)?;
/// assert_eq!(serde_json::to_string(&r)?, line);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TemporaryPaymentRecord {
    /// The posting id.
    pub id: PostingId,
    /// The claim paid.
    pub claim: ClaimId,
    /// The payment date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The fund source.
    pub source: FundSource,
    /// The channel.
    pub channel: PaymentChannel,
    /// The amount paid.
    pub amount: Money,
    /// The day it was entered in the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<NaiveDate>"))]
    #[serde(with = "bangfu_core::iso_date::option")]
    pub entered: Option<NaiveDate>,
}

/// One line of `temporary-aid.jsonl` (临时救助记录), by its `type`: a claim, or a recorded
/// payment of one.
///
/// # Example
/// See [the module](self).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum TemporaryAidRecord {
    /// A claim, decided once by the calculator.
    Claim(TemporaryAidClaim),
    /// A recorded payment (history: what a rule refuses is a finding).
    Payment(TemporaryPaymentRecord),
}

impl TemporaryAidRecord {
    /// The record's date.
    pub fn date(&self) -> NaiveDate {
        match self {
            TemporaryAidRecord::Claim(c) => c.date,
            TemporaryAidRecord::Payment(p) => p.date,
        }
    }
}

/// A temporary-aid claim the year decided (已决临时救助申请).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decided {
    record: TemporaryAidClaim,
    amount: Money,
    reasons: ReasonSet,
}

/// The temporary-aid claims a year decided, by claim id, and what the standing payments
/// paid on each, kept as they are posted and reversed (the answer a scan of the ledger's
/// standing temporary-aid payments gives, without the scan: a claim or a payment is decided
/// in time independent of the year's length).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct TemporaryBook {
    claims: HashMap<ClaimId, Decided>,
    /// The claim ids in the order decided.
    order: Vec<ClaimId>,
    /// Per claim, what the standing temporary-aid payments naming it came to, in fen (the
    /// sum of payments the ledger holds, so it fits in money; `i128` so adding never fails).
    paid: HashMap<ClaimId, i128>,
}

impl TemporaryBook {
    /// The decided claim `id`, if it is a temporary-aid claim.
    pub(crate) fn decided(&self, id: &ClaimId) -> Option<&TemporaryAidClaim> {
        self.claims.get(id).map(|d| &d.record)
    }

    /// Counts a payment posted: a temporary-aid payment naming a claim adds to the claim's
    /// total (any other payment is not counted).
    pub(crate) fn add(&mut self, d: &Disbursement) {
        self.move_by(d, i128::from(d.amount.fen()));
    }

    /// Gives back a payment reversed: the opposite of [`TemporaryBook::add`].
    pub(crate) fn release(&mut self, d: &Disbursement) {
        self.move_by(d, -i128::from(d.amount.fen()));
    }

    fn move_by(&mut self, d: &Disbursement, fen: i128) {
        let Some(claim) = d.claim.as_ref().filter(|_| d.kind == AidKind::Temporary) else {
            return;
        };
        let sum = self.paid.entry(claim.clone()).or_insert(0);
        *sum = sum.saturating_add(fen);
    }

    /// What the standing payments paid on claim `id`.
    ///
    /// # Errors
    /// `core.money.overflow` when the total does not fit in money (not reached: it is a sum
    /// of payments the ledger holds).
    fn paid_on(&self, id: &ClaimId) -> Result<Money, YearError> {
        Ok(crate::campaign::fen_money(
            self.paid.get(id).copied().unwrap_or(0),
        )?)
    }
}

/// A temporary-aid claim the year decided, and what was paid on it (已决临时救助).
///
/// # Example
/// See [`ProgrammeYear::temporary_claim`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecidedTemporary<'a> {
    /// The claim.
    pub record: &'a TemporaryAidClaim,
    /// The decided amount.
    pub amount: Money,
    /// Why it is less than asked.
    pub reasons: ReasonSet,
    /// What the standing payments paid on it.
    pub paid: Money,
}

/// A temporary-aid claim decided (临时救助决定): the amount, the reasons, what the worker had
/// been paid in the year before it, and the explanation when asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemporaryDecision {
    /// The decided amount (0 when nothing is due).
    pub amount: Money,
    /// Why it is less than asked.
    pub reasons: ReasonSet,
    /// The worker's temporary aid earlier in the calendar year, as counted.
    pub paid_this_year: Money,
    /// How it was decided.
    pub explanation: Option<bangfu_core::Explanation>,
}

/// The year's temporary aid (临时救助情况): claims, amounts, person-times and persons, read
/// from what was recorded (a reversed payment counts in none).
///
/// # Example
/// See [`ProgrammeYear::temporary_figures`].
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct TemporaryFigures {
    /// Claims decided.
    pub claims: u64,
    /// Claims decided at nothing.
    pub refused: u64,
    /// The decided amounts.
    pub decided: Money,
    /// The standing payments (one is one person-time), by posting id.
    pub payments: Tally,
    /// What they paid.
    pub amount: Money,
    /// The workers paid, by key.
    pub persons: Tally,
}

impl ProgrammeYear {
    /// Takes one line of `temporary-aid.jsonl`: a claim ([`ProgrammeYear::temporary_claim`])
    /// or a recorded payment ([`ProgrammeYear::record_temporary`]).
    ///
    /// # Errors
    /// As those methods; nothing changes.
    pub fn temporary_aid(&mut self, record: TemporaryAidRecord) -> Result<Vec<Defect>, YearError> {
        match record {
            TemporaryAidRecord::Claim(c) => self.temporary_claim(c).map(|_| Vec::new()),
            TemporaryAidRecord::Payment(p) => self.record_temporary(p),
        }
    }

    /// Decides a temporary-aid claim once ([`Calculator::temporary`]), with the worker's
    /// year-to-date from the temporary claims decided earlier in the calendar year, and
    /// whether the worker is filed on the date (a file payable on the date whose worker or
    /// member has the same key or the same masked ID number): a filed worker is decided at
    /// nothing (`aid.temporary.worker_filed`). The same claim again with the same content
    /// returns the first decision.
    ///
    /// # Errors
    /// `year.claim_conflict` (the id of another claim, or this one with other content),
    /// `temporary.key_is_household`, `temporary.worker_conflict`, `year.out_of_order`, the
    /// calculator's refusals (`aid.parameter.not_in_force` for a policy without temporary
    /// aid); nothing changes.
    ///
    /// # Example
    /// ```
    /// use bangfu_year::temporary::TemporaryAidClaim;
    /// use bangfu_data::hubei2023 as hb;
    /// let budget = bangfu_year::input::parse_budget_toml("year = 2023\n[lines]\n")?;
    /// let mut year = bangfu_year::ProgrammeYear::new(hb::policy()?, budget)?;
    /// let claim: TemporaryAidClaim = serde_json::from_str(r#"{"id":"T-1","worker":"W-1",
    ///   "id_number":"420106********1234","unit":"wuhan","date":"2023-06-01",
    ///   "event":"major_illness","relation":"parent","requested":"4000.00"}"#)?;
    /// let d = year.temporary_claim(claim)?;
    /// assert_eq!(d.amount.to_string(), "3000.00"); // 3,000 a person a year
    /// assert_eq!(year.temporary_claims().count(), 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn temporary_claim(
        &mut self,
        claim: TemporaryAidClaim,
    ) -> Result<TemporaryDecision, YearError> {
        self.temporary_claim_with(claim, Explain::Off)
    }

    /// [`ProgrammeYear::temporary_claim`] with the decision's explanation (the first decision
    /// only).
    ///
    /// # Errors
    /// As [`ProgrammeYear::temporary_claim`].
    pub fn temporary_claim_explained(
        &mut self,
        claim: TemporaryAidClaim,
    ) -> Result<TemporaryDecision, YearError> {
        self.temporary_claim_with(claim, Explain::On)
    }

    fn temporary_claim_with(
        &mut self,
        claim: TemporaryAidClaim,
        explain: Explain,
    ) -> Result<TemporaryDecision, YearError> {
        if let Some(done) = self.temporary.claims.get(&claim.id) {
            return if done.record == claim {
                Ok(TemporaryDecision {
                    amount: done.amount,
                    reasons: done.reasons,
                    paid_this_year: Money::ZERO,
                    explanation: None,
                })
            } else {
                Err(YearError::ClaimConflict { claim: claim.id })
            };
        }
        if self.decided_claim(&claim.id).is_some() {
            return Err(YearError::ClaimConflict { claim: claim.id });
        }
        self.in_order(claim.date)?;
        let key = HouseholdId::new(claim.worker.as_str())?;
        if self.household(&key).is_some() {
            return Err(TemporaryError::KeyIsHousehold {
                worker: claim.worker,
            }
            .into());
        }
        let conflict = self.temporary.claims.values().any(|d| {
            d.record.worker == claim.worker
                && (d.record.id_number != claim.id_number || d.record.unit != claim.unit)
        });
        if conflict {
            return Err(TemporaryError::WorkerConflict {
                worker: claim.worker,
            }
            .into());
        }
        let paid = self.temporary_committed(&claim.worker, claim.date)?;
        let filed = self.filed_worker(&claim, claim.date).is_some();
        let policy = self.policy();
        let calc = Calculator::validated(&policy.aid).with_citations(&policy.citations);
        let d = calc.temporary(
            TemporaryClaim {
                date: claim.date,
                requested: claim.requested,
                event: claim.event,
                relation: claim.relation,
                filed,
            },
            paid,
            explain,
        )?;
        let decision = TemporaryDecision {
            amount: d.amount,
            reasons: d.reasons,
            paid_this_year: paid,
            explanation: d.explanation(),
        };
        self.advance_to(claim.date);
        self.temporary.order.push(claim.id.clone());
        self.temporary.claims.insert(
            claim.id.clone(),
            Decided {
                record: claim,
                amount: decision.amount,
                reasons: decision.reasons,
            },
        );
        Ok(decision)
    }

    /// The household filed on `date` whose worker or member is the claim's worker (same key
    /// or same masked ID number), if any: the first in id order when several are. One pass
    /// over the year's households, without sorting them (a household's persons can change by
    /// a corrected fact, so they are read as the file holds them now, not indexed at filing).
    fn filed_worker(&self, claim: &TemporaryAidClaim, date: NaiveDate) -> Option<HouseholdId> {
        self.filed_households()
            .filter(|(id, h)| {
                std::iter::once(&h.worker.person)
                    .chain(h.members.iter().map(|m| &m.person))
                    .any(|p| {
                        p.id == claim.worker
                            || p.id_number.masked(&bangfu_eligibility::IdMask::DISPLAY)
                                == claim.id_number.as_str()
                    })
                    && self.registry().is_payable_on(id, date)
            })
            .map(|(id, _)| id)
            .min()
            .cloned()
    }

    /// What the worker's temporary claims decided earlier in `date`'s calendar year
    /// committed (each its decided amount, or what was paid on it when more), read as a
    /// history by [`bangfu_aid::temporary_paid`].
    fn temporary_committed(&self, worker: &PersonId, date: NaiveDate) -> Result<Money, YearError> {
        let mut history = Vec::new();
        for id in &self.temporary.order {
            let Some(d) = self.temporary.claims.get(id) else {
                continue;
            };
            if &d.record.worker != worker {
                continue;
            }
            // Every standing payment is dated on or before `date`: records are taken in date
            // order, so the running total is what was paid on the claim by then.
            let on = self.temporary.paid_on(id)?;
            history.push(PaymentRecord {
                claim: id.clone(),
                date: d.record.date,
                category: AidCategory::Living,
                aid_kind: AidKind::Temporary,
                person: Some(worker.clone()),
                amount: d.amount.max(on),
            });
        }
        Ok(bangfu_aid::temporary_paid(&history, worker, date)?)
    }

    /// The disbursement of a temporary-aid payment of `amount` on the claim, with what it
    /// breaks: above what the claim left (`year.over_standard`), to a worker filed on the
    /// date (`temporary.worker_filed`).
    fn temporary_disbursement(
        &self,
        claim: &Decided,
        p: &TemporaryPaymentRecord,
    ) -> Result<(Disbursement, Vec<(DefectKind, YearError)>), YearError> {
        let r = &claim.record;
        let d = Disbursement {
            id: p.id.clone(),
            date: p.date,
            source: p.source,
            category: AidCategory::Living,
            kind: AidKind::Temporary,
            household: HouseholdId::new(r.worker.as_str())?,
            tier: ArchiveTier::Grassroots,
            channel: p.channel,
            amount: p.amount,
            unit: Some(r.unit.clone()),
            entered: p.entered,
            order: Some(format!(
                "aid|{}|living|temporary|{}|{}",
                r.worker,
                r.date.year(),
                r.id
            )),
            claim: Some(r.id.clone()),
            campaign: None,
        };
        let mut defects = Vec::new();
        if let Some(household) = self.filed_worker(r, p.date) {
            defects.push((
                DefectKind::OverStandard,
                TemporaryError::WorkerFiled {
                    worker: r.worker.clone(),
                    household,
                    date: p.date,
                }
                .into(),
            ));
        }
        let paid = self.temporary.paid_on(&r.id)?;
        let left = claim.amount.saturating_sub(paid);
        if p.amount > left {
            defects.push((
                DefectKind::OverStandard,
                YearError::OverStandard {
                    what: format!("temporary aid on claim {}", r.id),
                    amount: p.amount,
                    standard: left,
                },
            ));
        }
        Ok((d, defects))
    }

    /// The decided claim a temporary payment names, and the payment as a record.
    fn temporary_payment(
        &self,
        payment: &Payment,
    ) -> Result<(&Decided, TemporaryPaymentRecord), YearError> {
        let claim =
            self.temporary
                .claims
                .get(&payment.claim)
                .ok_or_else(|| YearError::UnknownClaim {
                    claim: payment.claim.clone(),
                })?;
        if claim.amount.is_zero() {
            return Err(YearError::NothingToPay {
                claim: payment.claim.clone(),
            });
        }
        let p = TemporaryPaymentRecord {
            id: payment.id.clone(),
            claim: payment.claim.clone(),
            date: payment.date,
            source: payment.source,
            channel: payment.channel,
            amount: claim.amount,
            entered: payment.entered,
        };
        Ok((claim, p))
    }

    /// Pays a decided temporary-aid claim in operation ([`ProgrammeYear::pay`] of a payment
    /// naming one): its decided amount, refused when the claim has nothing left
    /// (`year.over_standard`) or the worker is filed on the date (`temporary.worker_filed`),
    /// then by the ledger's rules.
    pub(crate) fn pay_temporary(&mut self, payment: &Payment) -> Result<Receipt, YearError> {
        let (claim, p) = self.temporary_payment(payment)?;
        let (d, defects) = self.temporary_disbursement(claim, &p)?;
        if let Some(receipt) = self.already_posted(&d)? {
            return Ok(receipt);
        }
        if let Some((_, e)) = defects.into_iter().next() {
            return Err(e);
        }
        let (receipt, _) = self.post_prepared(d, Vec::new(), false)?;
        Ok(receipt)
    }

    /// [`ProgrammeYear::check_pay`] of a payment naming a temporary-aid claim.
    pub(crate) fn check_pay_temporary(&self, payment: &Payment) -> Result<Disbursement, YearError> {
        let (claim, p) = self.temporary_payment(payment)?;
        let (d, defects) = self.temporary_disbursement(claim, &p)?;
        if self.ledger().posted(&d.id).is_some() {
            return Err(bangfu_funding::FundingError::IdConflict { id: d.id }.into());
        }
        if let Some((_, e)) = defects.into_iter().next() {
            return Err(e);
        }
        self.in_order(d.date)?;
        self.ledger().check(&Posting::Disbursement(d.clone()))?;
        Ok(d)
    }

    /// The first receipt of the same payment posted before; `funding.id_conflict` for the id
    /// posted with other content.
    fn already_posted(&self, d: &Disbursement) -> Result<Option<Receipt>, YearError> {
        match self.ledger().posted(&d.id) {
            Some((first, receipt)) if *first == Posting::Disbursement(d.clone()) => {
                Ok(Some(receipt))
            }
            Some(_) => Err(bangfu_funding::FundingError::IdConflict { id: d.id.clone() }.into()),
            None => Ok(None),
        }
    }

    /// Records a payment of a temporary-aid claim from the union's history: kept, since it
    /// was made; above what its claim left or to a worker filed on its date is a finding
    /// ([`Defect`] of kind over-standard, code `year.over_standard` or
    /// `temporary.worker_filed`), as the funding rules' breaches are.
    ///
    /// # Errors
    /// `year.unknown_claim` for a claim that is not a decided temporary-aid claim; what no
    /// history can hold (`funding.id_conflict`, `funding.overdraft`, a date outside the year,
    /// `year.out_of_order`); nothing changes.
    pub fn record_temporary(
        &mut self,
        p: TemporaryPaymentRecord,
    ) -> Result<Vec<Defect>, YearError> {
        let claim = self
            .temporary
            .claims
            .get(&p.claim)
            .ok_or_else(|| YearError::UnknownClaim {
                claim: p.claim.clone(),
            })?;
        let (d, defects) = self.temporary_disbursement(claim, &p)?;
        if self.already_posted(&d)?.is_some() {
            return Ok(Vec::new());
        }
        let (_, found) = self.post_prepared(d, defects, true)?;
        Ok(found)
    }

    /// The unit that handles the temporary-aid claim `id`, if the year decided it.
    ///
    /// # Example
    /// ```
    /// let year = bangfu_data::hainan2018::programme_year()?;
    /// assert!(year.temporary_claim_unit(&"T-1".parse()?).is_none());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn temporary_claim_unit(&self, id: &ClaimId) -> Option<UnitId> {
        self.temporary.decided(id).map(|c| c.unit.clone())
    }

    /// The temporary-aid claim `id` as decided, with what was paid on it, if the year
    /// decided it.
    pub(crate) fn temporary_decided(&self, id: &ClaimId) -> Option<DecidedTemporary<'_>> {
        let d = self.temporary.claims.get(id)?;
        Some(DecidedTemporary {
            record: &d.record,
            amount: d.amount,
            reasons: d.reasons,
            paid: self.temporary.paid_on(id).unwrap_or(Money::ZERO),
        })
    }

    /// The temporary-aid claims decided, in the order decided, with what was paid on each.
    pub fn temporary_claims(&self) -> impl Iterator<Item = DecidedTemporary<'_>> {
        self.temporary
            .order
            .iter()
            .filter_map(|id| self.temporary.claims.get(id))
            .map(move |d| DecidedTemporary {
                record: &d.record,
                amount: d.amount,
                reasons: d.reasons,
                paid: self.temporary.paid_on(&d.record.id).unwrap_or(Money::ZERO),
            })
    }

    /// The year's temporary aid (临时救助情况): claims decided (and at nothing), the decided
    /// total, the standing payments (person-times) and their amount, the workers paid.
    ///
    /// # Errors
    /// `core.money.overflow`; `core.id.invalid` (not reached: posting ids and keys are ids).
    ///
    /// # Example
    /// ```
    /// let year = bangfu_data::hainan2018::programme_year()?;
    /// let t = year.temporary_figures()?;
    /// assert_eq!((t.claims, t.payments.count), (0, 0)); // Hainan 2018 has no temporary aid
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn temporary_figures(&self) -> Result<TemporaryFigures, YearError> {
        let mut f = TemporaryFigures::default();
        for d in self.temporary.claims.values() {
            f.claims = f.claims.saturating_add(1);
            if d.amount.is_zero() {
                f.refused = f.refused.saturating_add(1);
            }
            f.decided = f.decided.checked_add(d.amount)?;
        }
        let mut payments = Vec::new();
        let mut persons = BTreeSet::new();
        for d in standing_payments(self.ledger().postings()) {
            if d.kind == AidKind::Temporary {
                f.amount = f.amount.checked_add(d.amount)?;
                payments.push(RecordId::new(d.id.as_str())?);
                persons.insert(RecordId::new(d.household.as_str())?);
            }
        }
        f.payments = Tally::of(payments);
        f.persons = Tally::of(persons.into_iter().collect());
        Ok(f)
    }
}

/// The statement's line of temporary aid (临时救助), inside living aid: its amount,
/// person-times and persons; nothing when the year paid none.
///
/// # Errors
/// As [`ProgrammeYear::temporary_figures`].
///
/// # Example
/// ```
/// let year = bangfu_data::hainan2018::programme_year()?;
/// assert!(bangfu_year::temporary::statement_line(&year, bangfu_core::Lang::Zh)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn statement_line(year: &ProgrammeYear, lang: bangfu_core::Lang) -> Result<String, YearError> {
    let f = year.temporary_figures()?;
    if f.payments.count == 0 {
        return Ok(String::new());
    }
    Ok(match lang {
        bangfu_core::Lang::Zh => format!(
            "其中临时救助（含在生活救助中，未建档职工）：{} 元，{} 人次，{} 人\n",
            f.amount, f.payments.count, f.persons.count
        ),
        _ => format!(
            "Of which temporary aid (inside living aid, workers not filed): {} yuan, {} person-times, {} persons\n",
            f.amount, f.payments.count, f.persons.count
        ),
    })
}

/// The year's temporary aid as a report section (Markdown): claims, amounts, person-times
/// and persons, each claim with its worker's key (never an ID number in full) and its
/// findings; nothing when the year has no temporary aid and its policy none.
///
/// # Errors
/// As [`ProgrammeYear::temporary_figures`].
///
/// # Example
/// ```
/// let year = bangfu_data::hainan2018::programme_year()?;
/// assert!(bangfu_year::temporary::report_section(&year, bangfu_core::Lang::Zh)?.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn report_section(year: &ProgrammeYear, lang: bangfu_core::Lang) -> Result<String, YearError> {
    use std::fmt::Write;
    let f = year.temporary_figures()?;
    if f.claims == 0 && f.payments.count == 0 && year.policy().aid.temporary.is_none() {
        return Ok(String::new());
    }
    let zh = lang == bangfu_core::Lang::Zh;
    let t = |z: &'static str, e: &'static str| if zh { z } else { e };
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", t("临时救助情况", "Temporary aid"));
    let _ = writeln!(
        out,
        "{}\n",
        if zh {
            format!(
                "受理未建档职工临时救助申请{}件（不予救助{}件），核定{}元；发放{}人次、{}人，金额{}元（计入生活救助）。",
                f.claims, f.refused, f.decided, f.payments.count, f.persons.count, f.amount
            )
        } else {
            format!(
                "{} temporary-aid claims of workers not filed ({} decided at nothing), {} yuan decided; {} payments to {} persons, {} yuan (counted in living aid).",
                f.claims, f.refused, f.decided, f.payments.count, f.persons.count, f.amount
            )
        }
    );
    let defects = year.payments().defects;
    let ledger = year.ledger();
    let temporary_defects: Vec<&Defect> = defects
        .iter()
        .filter(|d| {
            PostingId::new(d.posting.as_str())
                .ok()
                .and_then(|id| ledger.posted(&id))
                .is_some_and(
                    |(p, _)| matches!(p, Posting::Disbursement(x) if x.kind == AidKind::Temporary),
                )
        })
        .collect();
    if f.claims > 0 {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|---|",
            t("申请", "Claim"),
            t("职工", "Worker"),
            t("身份证号码", "ID number"),
            t("事件", "Event"),
            t("核定（元）", "Decided (yuan)"),
            t("已发放（元）", "Paid (yuan)"),
            t("理由", "Reasons"),
        );
        for c in year.temporary_claims() {
            let reasons: Vec<&str> = c.reasons.iter().map(|r| r.code()).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {}（{}） | {} | {} | {} |",
                c.record.id,
                c.record.worker,
                c.record.id_number,
                c.record.event.label(lang),
                c.record.relation.label(lang),
                c.amount,
                c.paid,
                reasons.join(", "),
            );
        }
        out.push('\n');
    }
    for d in temporary_defects {
        let _ = writeln!(out, "- [{}] {}: {}", d.code, d.posting, d.detail);
    }
    Ok(out)
}
