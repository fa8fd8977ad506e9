//! The programme year (项目年度): the one path from a claim to the score.
//!
//! A [`ProgrammeYear`] holds one union's year and moves only by accepted records: a household
//! filed and its case-file events ([`bangfu_eligibility::Registry`]), a claim decided once by
//! the calculators ([`bangfu_aid::Calculator`], with the year-to-date of an
//! [`bangfu_aid::AidBook`] by the policy's cap scope), its payment order posted to the ledger
//! with the file's payability checked on the payment date ([`ProgrammeYear::pay`]), income,
//! and home visits. A refused record changes nothing.
//!
//! A union's own recorded payments (its history, which may hold mistakes) go through the same
//! checks ([`ProgrammeYear::record`]); what the rules would refuse in operation is kept as a
//! finding of the evaluation ([`Defect`]), named with its record. The statement, the facts
//! for scoring and the report are read from what was recorded ([`ProgrammeYear::payments`],
//! [`ProgrammeYear::statement`]), never by deciding again.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::sync::Arc;

use bangfu_aid::{
    AidBook, AidDecision, AidError, AmountClaim, Calculator, ClaimId, Explain, FileFacts,
    MedicalClaim, PaymentOrder,
};
use bangfu_core::{
    AidCategory, AidKind, ArchiveStatus, ArchiveTier, CaseId, Coded, CoreError, HouseholdId,
    Labelled, Money, NaiveDate, PaymentChannel, PersonId, UnitId, WorkingCalendar,
};
use bangfu_eligibility::{
    Actor, CaseEvent, EligibilityError, FilingActors, HardshipCategory, Household, Registry, Role,
    file_through_procedure,
};
use bangfu_funding::{
    Budget, Disbursement, FundSource, FundingError, Income, IncomeKind, Ledger, PostOutcome,
    Posting, PostingId, Receipt, Reversal, Statement, StatementOptions, YearClose,
};
use bangfu_scoring::{Compliance, RecordId, Recoveries, Tally};

use crate::Policy;
use crate::orders::Payout;
use crate::records::{
    ApplicantRecord, ClaimDetail, ClaimRecord, HouseholdRecord, Procedure, SurveyRecord,
};

/// Why the year refused a record (年度记录被拒). Nothing was changed.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// let e = bangfu_year::YearError::UnknownClaim { claim: "c-1".parse()? };
/// assert_eq!(e.code(), "year.unknown_claim");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum YearError {
    /// The household has no record in this year.
    #[error("household {household} is not filed in this year")]
    UnknownHousehold {
        /// The household.
        household: HouseholdId,
    },
    /// A payment names a claim the year has not decided.
    #[error("claim {claim} has not been decided in this year")]
    UnknownClaim {
        /// The claim.
        claim: ClaimId,
    },
    /// The claim id was already decided with other content.
    #[error("claim {claim} was already decided with other content")]
    ClaimConflict {
        /// The claim.
        claim: ClaimId,
    },
    /// The claim's case or household is not the household's file.
    #[error("claim {claim} names case {case}, not a file of household {household}")]
    ClaimCaseMismatch {
        /// The claim.
        claim: ClaimId,
        /// The case named.
        case: CaseId,
        /// The household named.
        household: HouseholdId,
    },
    /// The claim was decided at nothing: there is nothing to pay.
    #[error("claim {claim} was decided at 0: nothing to pay")]
    NothingToPay {
        /// The claim.
        claim: ClaimId,
    },
    /// The household's file is not payable on the payment date (先建档、后帮扶).
    #[error("household {household} is not payable on {date}")]
    NotPayable {
        /// The household.
        household: HouseholdId,
        /// The payment date.
        date: NaiveDate,
    },
    /// A payment above what the standard allows (超标准发放).
    #[error("{what} {amount} above the standard {standard}")]
    OverStandard {
        /// What was paid (the category and, where there is one, the claim).
        what: String,
        /// The amount paid.
        amount: Money,
        /// What the standard allows.
        standard: Money,
    },
    /// A dated record earlier than one already accepted: the year moves forward in time.
    #[error("a record of {date} after one of {last}: records come in date order")]
    OutOfOrder {
        /// The record's date.
        date: NaiveDate,
        /// The latest date accepted.
        last: NaiveDate,
    },
    /// The aid calculators refused the claim.
    #[error(transparent)]
    Aid(#[from] AidError),
    /// The ledger refused the posting.
    #[error(transparent)]
    Funding(#[from] FundingError),
    /// A campaign's rules refused the payment (专项活动).
    #[error(transparent)]
    Campaign(#[from] crate::campaign::CampaignError),
    /// The case file refused the event.
    #[error(transparent)]
    Eligibility(#[from] EligibilityError),
    /// A policy, budget or record file could not be read.
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
    /// Checked arithmetic, an id, or a parameter not in force.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// An oversight record refused: the allocation plan, a payment check, a self-inspection
    /// item ([`crate::oversight`]).
    #[error(transparent)]
    Oversight(#[from] crate::oversight::OversightError),
    /// A temporary-aid record refused ([`crate::temporary`]).
    #[error(transparent)]
    Temporary(#[from] crate::temporary::TemporaryError),
}

impl Coded for YearError {
    fn code(&self) -> &'static str {
        match self {
            YearError::UnknownHousehold { .. } => "year.unknown_household",
            YearError::UnknownClaim { .. } => "year.unknown_claim",
            YearError::ClaimConflict { .. } => "year.claim_conflict",
            YearError::ClaimCaseMismatch { .. } => "year.claim_case_mismatch",
            YearError::NothingToPay { .. } => "year.nothing_to_pay",
            YearError::NotPayable { .. } => "year.not_payable",
            YearError::OverStandard { .. } => "year.over_standard",
            YearError::OutOfOrder { .. } => "year.out_of_order",
            YearError::Aid(e) => e.code(),
            YearError::Funding(e) => e.code(),
            YearError::Campaign(e) => e.code(),
            YearError::Eligibility(e) => e.code(),
            YearError::Input(e) => e.code(),
            YearError::Core(e) => e.code(),
            YearError::Oversight(e) => e.code(),
            YearError::Temporary(e) => e.code(),
        }
    }
}

impl Labelled for YearError {
    fn zh(&self) -> &'static str {
        match self {
            YearError::UnknownHousehold { .. } => "本年度无此户档案",
            YearError::UnknownClaim { .. } => "申请未经审核",
            YearError::ClaimConflict { .. } => "申请编号重复且内容不同",
            YearError::ClaimCaseMismatch { .. } => "申请与档案不符",
            YearError::NothingToPay { .. } => "核定金额为零",
            YearError::NotPayable { .. } => "档案不在帮扶状态",
            YearError::OverStandard { .. } => "超标准发放",
            YearError::OutOfOrder { .. } => "记录日期倒序",
            YearError::Aid(e) => e.zh(),
            YearError::Funding(e) => e.zh(),
            YearError::Campaign(e) => e.zh(),
            YearError::Eligibility(e) => e.zh(),
            YearError::Input(e) => e.zh(),
            YearError::Core(e) => e.zh(),
            YearError::Oversight(e) => e.zh(),
            YearError::Temporary(e) => e.zh(),
        }
    }

    fn en(&self) -> &'static str {
        match self {
            YearError::UnknownHousehold { .. } => "household not filed in this year",
            YearError::UnknownClaim { .. } => "claim not decided",
            YearError::ClaimConflict { .. } => "claim id reused with other content",
            YearError::ClaimCaseMismatch { .. } => "claim does not match the file",
            YearError::NothingToPay { .. } => "decided at nothing",
            YearError::NotPayable { .. } => "file not payable",
            YearError::OverStandard { .. } => "above the standard",
            YearError::OutOfOrder { .. } => "records out of date order",
            YearError::Aid(e) => e.en(),
            YearError::Funding(e) => e.en(),
            YearError::Campaign(e) => e.en(),
            YearError::Eligibility(e) => e.en(),
            YearError::Input(e) => e.en(),
            YearError::Core(e) => e.en(),
            YearError::Oversight(e) => e.en(),
            YearError::Temporary(e) => e.en(),
        }
    }
}

/// Which record of a replay was refused ([`ProgrammeYear::replay`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReplayError {
    /// The `n`th claim (from 1).
    #[error("claim {n}: {error}")]
    Claim {
        /// Its position.
        n: usize,
        /// Why.
        error: YearError,
    },
    /// The `n`th posting (from 1).
    #[error("posting {n}: {error}")]
    Posting {
        /// Its position.
        n: usize,
        /// Why.
        error: YearError,
    },
}

impl ReplayError {
    /// The refusal.
    pub fn error(&self) -> &YearError {
        match self {
            ReplayError::Claim { error, .. } | ReplayError::Posting { error, .. } => error,
        }
    }
}

impl Coded for ReplayError {
    fn code(&self) -> &'static str {
        self.error().code()
    }
}

bangfu_core::coded_enum! {
    /// What is wrong with a recorded payment (违规类型).
    ///
    /// ```
    /// assert_eq!(bangfu_year::DefectKind::Cash.code(), "defect.cash");
    /// ```
    #[non_exhaustive]
    pub enum DefectKind {
        /// The source may not pay this category, or this tier, or is unknown (违反专款专用).
        Earmark = ("defect.earmark", "违反专款专用", "earmark violated"),
        /// A channel the policy does not allow, other than cash (发放渠道不符).
        Channel = ("defect.channel", "发放渠道不符", "channel not allowed"),
        /// Paid in cash (现金发放).
        Cash = ("defect.cash", "现金发放", "paid in cash"),
        /// Above the aid standard (超标准发放).
        OverStandard = ("defect.over_standard", "超标准发放", "above the standard"),
        /// To a file not payable on the date (向非在档档案发放).
        NotPayable = ("defect.not_payable", "向非在档档案发放", "file not payable"),
        /// Against its campaign's rules: outside the window, not eligible, above the amount,
        /// beyond the budget or from another source (违反专项活动规定).
        Campaign = ("defect.campaign", "违反专项活动规定", "campaign rule broken"),
    }
}

/// One defect of one recorded payment (违规记录): the payment, what is wrong, the code of the
/// rule that would have refused it in operation, and the facts.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Defect {
    /// The payment (ledger posting id).
    pub posting: String,
    /// What is wrong.
    pub kind: DefectKind,
    /// The code of the refusal in operation (`year.over_standard`, `funding.earmark_tier`, …).
    pub code: String,
    /// The facts.
    pub detail: String,
}

/// What the recorded payments give (救助记录取数): each tally lists its posting ids.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PaymentFigures {
    /// Payments in the year (one is one person-time).
    pub payments: Tally,
    /// Payments entered within the policy's entry window.
    pub entered_within_window: Tally,
    /// The four compliance counts.
    pub compliance: Compliance,
    /// Every defect found.
    pub defects: Vec<Defect>,
    /// Payments whose standard could not be checked (household unknown, no standard for
    /// the category, education without a claim), with why.
    pub not_checked: Vec<Defect>,
    /// Payments per household.
    pub per_household: BTreeMap<HouseholdId, u64>,
    /// Recoveries in the year.
    pub recoveries: Recoveries,
    /// The payments reversed (冲正): counted in none of the figures above. Absent from JSON
    /// when there are none.
    #[serde(default, skip_serializing_if = "Tally::is_empty")]
    pub reversed: Tally,
}

/// What the year has recorded about its payments, as it goes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct PaymentLog {
    /// The payments by their positions in the ledger (its postings hold the ids: a position
    /// is 8 bytes where a copy of the id was a heap string).
    payments: Vec<usize>,
    entered: Vec<usize>,
    earmark: Vec<usize>,
    cash: Vec<usize>,
    over: Vec<usize>,
    unpayable: Vec<usize>,
    defects: Vec<Defect>,
    not_checked: Vec<Defect>,
    /// Hashed: it is looked up on every payment; the figures list it in id order.
    per_household: HashMap<HouseholdId, u64>,
    /// Per household, its recoveries not reversed.
    recovered_households: BTreeMap<HouseholdId, u64>,
    recovered: Money,
    /// What each payment committed to the book beyond its claim's decision, by the
    /// payment's position in the ledger, for its reversal to take back.
    commits: HashMap<usize, Commit>,
    /// The payments reversed, in order, by their positions in the ledger.
    reversed: Vec<usize>,
}

/// A household filed in the year: its case, tier and category (its facts are its file's).
#[derive(Debug, Clone, PartialEq, Eq)]
struct Filed {
    case: CaseId,
    tier: ArchiveTier,
    category: HardshipCategory,
}

/// A decided claim and what was paid on it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Decided {
    record: ClaimRecord,
    amount: Money,
    order: Option<PaymentOrder>,
    paid: Money,
}

/// A payment of a decided claim (发放): the order of the claim, paid from a source through a
/// channel on a date. The amount is the claim's decided amount.
///
/// # Example
/// See [`ProgrammeYear::pay`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Payment {
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
    /// The unit that paid, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<UnitId>,
    /// The day it was entered in the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(with = "Option<NaiveDate>"))]
    #[serde(with = "bangfu_core::iso_date::option")]
    pub entered: Option<NaiveDate>,
}

/// A claim decided by the year: the amount, the payment order when there is one, and the
/// explanation when it was asked for ([`ProgrammeYear::claim_explained`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimOutcome {
    /// The decided amount (0 when nothing is due).
    pub amount: Money,
    /// The order to pay, when the amount is not 0.
    pub order: Option<PaymentOrder>,
    /// How the amount was decided: inputs, rule, parameters and their citations.
    pub explanation: Option<bangfu_core::Explanation>,
}

/// A claim the year decided, and what was paid on it (已决救助申请).
///
/// # Example
/// ```
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let c = year.decided_claims().next().ok_or("no claim")?;
/// assert_eq!(year.decided_claim(&c.record.id), Some(c));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DecidedClaim<'a> {
    /// The claim.
    pub record: &'a ClaimRecord,
    /// The decided amount.
    pub amount: Money,
    /// What was paid on it so far (recorded payments beyond the decision included).
    pub paid: Money,
}

/// What a recorded payment breaks, found before anything is changed.
struct Assessment {
    defects: Vec<(DefectKind, YearError)>,
    not_checked: Option<String>,
    /// What the book must count beyond what its claim committed.
    commit: Commit,
}

/// A payment prepared for the ledger.
enum Prepared {
    /// The same payment was posted before: its receipt.
    Paid(Receipt),
    /// A new disbursement, with what it breaks and commits.
    New(Box<(Disbursement, Assessment)>),
}

/// What a reversal takes back from the year, computed before the ledger moves.
enum Undo {
    /// A payment: its person-time, what it paid on its claim (the claim and what stays paid)
    /// and what it committed to the book beyond its claim.
    Payment {
        /// The payment's position in the ledger.
        seq: usize,
        household: HouseholdId,
        claim: Option<(ClaimId, Money)>,
        commit: Option<Commit>,
    },
    /// A recovery: the year's recovered total after it, and its household.
    Recovery {
        amount: Money,
        household: Option<HouseholdId>,
    },
    /// Other income: nothing beyond the ledger.
    Nothing,
}

/// The defects of the funding rules a recorded payment breaks, by kind.
fn funding_defects(breaches: Vec<FundingError>) -> Vec<(DefectKind, YearError)> {
    breaches
        .into_iter()
        .map(|b| {
            let kind = match &b {
                FundingError::ChannelRefused {
                    channel: PaymentChannel::Cash,
                } => DefectKind::Cash,
                FundingError::ChannelRefused { .. } => DefectKind::Channel,
                _ => DefectKind::Earmark,
            };
            (kind, YearError::Funding(b))
        })
        .collect()
}

/// Takes back from `book` what a payment committed.
fn release(book: &mut AidBook, household: &HouseholdId, commit: &Commit) -> Result<(), YearError> {
    match commit {
        Commit::Nothing | Commit::Student(_) => {}
        Commit::Medical {
            applicant,
            cost,
            paid,
        } => book.release_medical(household, applicant, *cost, *paid)?,
        Commit::Living { amount, warmth } => book.release_living(household, *amount, *warmth)?,
    }
    Ok(())
}

/// What a claim or a payment adds to the year's book.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Commit {
    /// Nothing.
    Nothing,
    /// Medical cost claimed and aid committed, under the applicant.
    Medical {
        applicant: PersonId,
        cost: Money,
        paid: Money,
    },
    /// Living aid committed (sending warmth or regular).
    Living { amount: Money, warmth: bool },
    /// A student's education aid committed.
    Student(PersonId),
}

/// One union's programme year (项目年度), moving only by accepted records.
///
/// # Example
/// A claim decided, paid and read back in the statement:
/// ```
/// use bangfu_core::{Money, NaiveDate, PaymentChannel};
/// use bangfu_funding::{FundSource, Income, IncomeKind};
/// use bangfu_year::records::{ClaimDetail, ClaimRecord};
/// use bangfu_year::{Payment, ProgrammeYear};
/// use bangfu_data::hainan2018 as hn;
/// let mut year = ProgrammeYear::new(hn::policy()?, hn::budget()?)?;
/// let record = hn::households()?.remove(0);
/// let (household, case) = (record.id().clone(), record.case.clone());
/// let applicant = record.household.worker.person.id.clone();
/// year.file_household(record)?;
/// let day = NaiveDate::from_ymd_opt(2018, 6, 1).ok_or("date")?;
/// let grant = Money::from_yuan(50_000)?;
/// year.income(Income::new("in-1".parse()?, day, FundSource::CentralFiscal, IncomeKind::Allocation, grant))?;
/// let claim = ClaimRecord { id: "c-1".parse()?, case, household, date: day,
///     detail: ClaimDetail::Medical { applicant, out_of_pocket: Money::from_yuan(40_000)? } };
/// assert_eq!(year.claim(claim)?.amount, Money::from_yuan(15_000)?); // the yearly cap
/// year.pay(Payment { id: "p-1".parse()?, claim: "c-1".parse()?, date: day,
///     source: FundSource::CentralFiscal, channel: PaymentChannel::UnionMemberCard,
///     unit: None, entered: Some(day) })?;
/// assert_eq!(year.statement()?.totals.spent, Money::from_yuan(15_000)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProgrammeYear {
    policy: Arc<Policy>,
    budget: Budget,
    calendar: WorkingCalendar,
    registry: Registry,
    households: HashMap<HouseholdId, Filed>,
    claims: HashMap<ClaimId, Decided>,
    book: AidBook,
    ledger: Ledger,
    log: PaymentLog,
    visits: Vec<SurveyRecord>,
    last: Option<NaiveDate>,
    /// The allocation plan, payment checks and self-inspection taken ([`crate::oversight`]).
    pub(crate) oversight: crate::oversight::Oversight,
    /// The campaigns' running totals ([`crate::campaign::CampaignTotals`]).
    pub(crate) campaign_totals: crate::campaign::CampaignTotals,
    /// The temporary-aid claims decided ([`crate::temporary`]).
    pub(crate) temporary: crate::temporary::TemporaryBook,
    /// The units named by the postings so far, each text held once.
    units: SharedUnits,
}

/// The units named by the year's postings (a cache of their shared text, not state of the
/// year: two years that differ only in it are equal). A national year names a few thousand
/// units in millions of postings; each posting read from a file has its own copy of the text
/// until the year shares it.
#[derive(Debug, Clone, Default)]
struct SharedUnits(HashSet<UnitId>);

impl PartialEq for SharedUnits {
    fn eq(&self, _: &SharedUnits) -> bool {
        true
    }
}

impl Eq for SharedUnits {}

impl ProgrammeYear {
    /// An empty year under `policy` with its `budget`, on China's working calendar.
    ///
    /// # Errors
    /// `funding.budget_unknown_source` for a budget line the policy has no source for;
    /// `core.calendar.no_data` when the calendar does not cover the year.
    pub fn new(policy: Policy, budget: Budget) -> Result<ProgrammeYear, YearError> {
        ProgrammeYear::with_calendar(policy, budget, WorkingCalendar::china()?)
    }

    /// An empty year on the given working calendar.
    ///
    /// # Errors
    /// As [`ProgrammeYear::new`].
    pub fn with_calendar(
        policy: Policy,
        budget: Budget,
        calendar: WorkingCalendar,
    ) -> Result<ProgrammeYear, YearError> {
        budget.check(&policy.funding)?;
        // Validated once here; the year decides every claim with `Calculator::validated`.
        policy.aid.validate()?;
        let ledger = Ledger::new(budget.year, policy.funding.clone());
        Ok(ProgrammeYear {
            policy: Arc::new(policy),
            budget,
            calendar,
            registry: Registry::default(),
            households: HashMap::new(),
            claims: HashMap::new(),
            book: AidBook::default(),
            ledger,
            log: PaymentLog::default(),
            visits: Vec::new(),
            last: None,
            oversight: crate::oversight::Oversight::default(),
            campaign_totals: crate::campaign::CampaignTotals::default(),
            temporary: crate::temporary::TemporaryBook::default(),
            units: SharedUnits::default(),
        })
    }

    /// The disbursement with its household's and unit's ids sharing the text the year holds
    /// already (the filed household's, the unit's first posting's).
    fn share_ids(&mut self, mut d: Disbursement) -> Disbursement {
        if let Some((h, _)) = self.households.get_key_value(&d.household) {
            d.household = h.clone();
        }
        if let Some(unit) = d.unit.as_mut() {
            match self.units.0.get(unit) {
                Some(shared) => *unit = shared.clone(),
                None => {
                    self.units.0.insert(unit.clone());
                }
            }
        }
        d
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The budget.
    pub fn budget(&self) -> &Budget {
        &self.budget
    }

    /// The working calendar.
    pub fn calendar(&self) -> &WorkingCalendar {
        &self.calendar
    }

    /// The case files.
    pub fn registry(&self) -> &Registry {
        &self.registry
    }

    /// The ledger.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The home visits recorded.
    pub fn visits(&self) -> &[SurveyRecord] {
        &self.visits
    }

    /// The households filed in this year with their facts as their files hold them now (a
    /// corrected fact included), in id order.
    pub fn households(&self) -> Vec<(&HouseholdId, &Household)> {
        let mut all: Vec<(&HouseholdId, &Household)> = self.filed_households().collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all
    }

    /// [`ProgrammeYear::households`] in no particular order, without collecting them.
    pub(crate) fn filed_households(&self) -> impl Iterator<Item = (&HouseholdId, &Household)> {
        self.households
            .iter()
            .filter_map(|(id, f)| Some((id, self.registry.get(&f.case)?.household())))
    }

    /// Every claim decided, with what was paid on it, in no particular order.
    pub fn decided_claims(&self) -> impl Iterator<Item = DecidedClaim<'_>> {
        self.claims.values().map(|d| DecidedClaim {
            record: &d.record,
            amount: d.amount,
            paid: d.paid,
        })
    }

    /// One decided claim, with what was paid on it.
    pub fn decided_claim(&self, id: &ClaimId) -> Option<DecidedClaim<'_>> {
        self.claims.get(id).map(|d| DecidedClaim {
            record: &d.record,
            amount: d.amount,
            paid: d.paid,
        })
    }

    /// One household's facts as its file holds them now.
    pub fn household(&self, id: &HouseholdId) -> Option<&Household> {
        let filed = self.households.get(id)?;
        Some(self.registry.get(&filed.case)?.household())
    }

    /// What remains of a household's yearly entitlement on `date` (剩余救助额度), read from the
    /// payments recorded to it: those dated on or before `date` count, later ones do not, and
    /// a payment reversed on or before `date` gives its amount back. Medical aid (the
    /// household's, all applicants), the yearly living standard, sending warmth and each
    /// student's education aid, with its file's status on the date
    /// ([`Calculator::entitlement`], the implementation JSON Lines and HTTP use too).
    ///
    /// # Errors
    /// `year.unknown_household`; the calculator's errors (`aid.status_missing`, a parameter
    /// not in force on the date, overflow).
    ///
    /// # Example
    /// ```
    /// let year = bangfu_data::hainan2018::programme_year()?;
    /// let (id, _) = year.households()[0];
    /// let date = bangfu_core::NaiveDate::from_ymd_opt(2018, 12, 31).unwrap();
    /// let e = year.remaining(id, date)?;
    /// assert!(e.medical_remaining <= e.medical_cap);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remaining(
        &self,
        household: &HouseholdId,
        date: NaiveDate,
    ) -> Result<bangfu_aid::Entitlement, YearError> {
        let file = self.facts_on(household, date)?;
        let payments = self.payments_to(household, date)?;
        Ok(Calculator::validated(&self.policy.aid).entitlement(
            &file,
            date,
            None,
            &payments,
            Explain::Off,
        )?)
    }

    /// The payments recorded to `household` on or before `date` and not reversed by then,
    /// as the calculators read a history: each with its claim (or its posting id), and the
    /// applicant or student of its claim.
    fn payments_to(
        &self,
        household: &HouseholdId,
        date: NaiveDate,
    ) -> Result<Vec<bangfu_aid::PaymentRecord>, YearError> {
        let postings = self.ledger.postings();
        let reversed: HashSet<&PostingId> = postings
            .iter()
            .filter_map(|p| match p {
                Posting::Reversal(r) if r.date <= date => Some(&r.reverses),
                _ => None,
            })
            .collect();
        let mut out = Vec::new();
        for p in postings {
            let Posting::Disbursement(d) = p else {
                continue;
            };
            // A payment of a campaign the policy adds counts in no entitlement.
            if &d.household != household
                || d.date > date
                || reversed.contains(&d.id)
                || d.campaign.is_some()
            {
                continue;
            }
            let claim = d.claim.as_ref().and_then(|c| self.claims.get(c));
            let person = claim.and_then(|c| match &c.record.detail {
                ClaimDetail::Medical { applicant, .. } => Some(applicant.clone()),
                ClaimDetail::Education { student } => Some(student.clone()),
                _ => None,
            });
            out.push(bangfu_aid::PaymentRecord {
                claim: match &d.claim {
                    Some(c) => c.clone(),
                    None => ClaimId::new(d.id.as_str())?,
                },
                date: d.date,
                category: d.category,
                aid_kind: d.kind,
                person,
                amount: d.amount,
            });
        }
        Ok(out)
    }

    /// Files a household through the seven steps from its application date (申请 → 初审 →
    /// 公示 → 建档 → 审批 → 再公示 → 在档), by the officers [`HouseholdRecord::actors`] names,
    /// and records its withdrawal when it has one; a household whose procedure is
    /// [`Procedure::Recorded`] is only opened, its steps to come as case events. Each step is a case-file event accepted or
    /// refused on its own; a refused step leaves the file at the last accepted one.
    ///
    /// # Errors
    /// The case file's refusals ([`EligibilityError`]: `eligibility.case.duplicate`, a person
    /// in another open file, …); `core.id.invalid` for an officer id.
    pub fn file_household(&mut self, record: HouseholdRecord) -> Result<(), YearError> {
        let actors = record.actors()?;
        self.file_household_by(record, &actors)
    }

    /// [`ProgrammeYear::file_household`] by the given officers.
    ///
    /// # Errors
    /// As [`ProgrammeYear::file_household`].
    pub fn file_household_by(
        &mut self,
        record: HouseholdRecord,
        actors: &FilingActors,
    ) -> Result<(), YearError> {
        match record.procedure {
            Procedure::Standard => {
                file_through_procedure(
                    &mut self.registry,
                    &self.policy.eligibility,
                    &self.calendar,
                    record.case.clone(),
                    record.household.clone(),
                    record.applied,
                    actors,
                )?;
            }
            Procedure::Recorded => {
                self.registry.open(
                    record.case.clone(),
                    record.household.clone(),
                    record.applied,
                    actors.applicant.clone(),
                )?;
            }
        }
        if let Some(w) = &record.withdrawal {
            self.registry.apply(
                &record.case,
                w.event(actors.aid_center.clone()),
                &self.policy.eligibility,
                &self.calendar,
            )?;
        }
        self.households.insert(
            record.id().clone(),
            Filed {
                case: record.case,
                tier: record.tier,
                category: record.category,
            },
        );
        Ok(())
    }

    /// Opens the file of an applicant refused at preliminary review for an exclusion, and
    /// rejects it the next working day (by the unit's grassroots officer).
    ///
    /// # Errors
    /// The case file's refusals; `core.id.invalid`.
    pub fn refuse_applicant(&mut self, a: &ApplicantRecord) -> Result<(), YearError> {
        let applicant = Actor::new(a.household.worker.person.id.clone(), Role::Applicant);
        let reviewer = Actor::new(
            PersonId::new(format!("{}-officer", a.household.worker.union_unit))?,
            Role::GrassrootsUnion,
        );
        let review_day = self.calendar.add_working_days(a.applied, 1)?;
        self.registry
            .open(a.case.clone(), a.household.clone(), a.applied, applicant)?;
        self.registry.apply(
            &a.case,
            CaseEvent::RejectAtReview {
                by: reviewer,
                date: review_day,
                note: format!("exclusion.{}", a.exclusion),
            },
            &self.policy.eligibility,
            &self.calendar,
        )?;
        Ok(())
    }

    /// Applies a case-file event (exit, cancellation, withdrawal, a corrected fact, …).
    ///
    /// # Errors
    /// The case file's refusal, with its code; nothing changes.
    pub fn case_event(&mut self, case: &CaseId, event: CaseEvent) -> Result<(), YearError> {
        self.registry
            .apply(case, event, &self.policy.eligibility, &self.calendar)?;
        Ok(())
    }

    /// Records a home visit (入户走访).
    pub fn visit(&mut self, visit: SurveyRecord) {
        self.visits.push(visit);
    }

    /// Posts an income (allocation, transfer, interest, recovery, …).
    ///
    /// # Errors
    /// The ledger's refusal with its code; nothing changes.
    pub fn income(&mut self, income: Income) -> Result<Receipt, YearError> {
        let recovery = (income.kind == IncomeKind::Recovery).then(|| income.household.clone());
        let amount = income.amount;
        let total = match recovery {
            Some(_) => self.log.recovered.checked_add(amount)?,
            None => self.log.recovered,
        };
        let receipt = self.ledger.post(income.into())?.receipt();
        if let Some(household) = recovery {
            self.log.recovered = total;
            if let Some(h) = household {
                let n = self.log.recovered_households.entry(h).or_insert(0);
                *n = n.saturating_add(1);
            }
        }
        Ok(receipt)
    }

    /// Reverses an earlier income or payment of the year (冲正), entered in error: the
    /// ledger's reversal with every rule of [`Ledger`]'s (see [`Reversal`]), and what the
    /// posting did to the year taken back with it. For a payment: what it paid on its claim
    /// (the claim is due again), what it committed to the year-to-date beyond its claim's
    /// decision (a payment without a claim, or beyond it), and its person-time: a reversed
    /// payment counts in none of the year's figures ([`PaymentFigures::reversed`] lists it).
    /// For a recovery: the amount and the household recovered. The same reversal again
    /// returns the first receipt.
    ///
    /// # Errors
    /// The ledger's refusals (`funding.reversal_unknown`, `funding.already_reversed`,
    /// `funding.reversal_mismatch`, `funding.overdraft`, …), `year.out_of_order`; nothing
    /// changes.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// use bangfu_funding::{Posting, Reversal};
    /// let mut year = bangfu_data::hainan2018::programme_year()?;
    /// let (paid, spent) = (year.payments().payments.count, year.statement()?.totals.spent);
    /// let Some(Posting::Disbursement(d)) = year.ledger().postings().iter().rev()
    ///     .find(|p| matches!(p, Posting::Disbursement(_))).cloned() else { return Err("no payment".into()) };
    /// year.reverse(Reversal { id: "rev-1".parse()?, date: d.date, reverses: d.id.clone(),
    ///     source: d.source, amount: d.amount, reason: "entered twice".into() })?;
    /// assert_eq!(year.payments().payments.count, paid - 1);
    /// assert_eq!(year.statement()?.totals.spent, spent.checked_sub(d.amount)?);
    /// assert_eq!(year.payments().reversed.count, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn reverse(&mut self, reversal: Reversal) -> Result<Receipt, YearError> {
        let (date, reverses) = (reversal.date, reversal.reverses.clone());
        let posting = Posting::from(reversal);
        if self.ledger.posted(posting.id()).is_some() {
            // A replay (its first receipt) or an id conflict: the ledger says which.
            return Ok(self.ledger.post(posting)?.receipt());
        }
        self.in_order(date)?;
        self.ledger.check(&posting)?;
        // What the year takes back, computed before the ledger moves.
        let undo = match self.ledger.posted(&reverses) {
            Some((Posting::Disbursement(d), receipt)) => Undo::Payment {
                seq: receipt.sequence,
                household: d.household.clone(),
                claim: match d
                    .claim
                    .as_ref()
                    .and_then(|id| Some((id, self.claims.get(id)?)))
                {
                    Some((id, c)) => Some((id.clone(), c.paid.checked_sub(d.amount)?)),
                    None => None,
                },
                commit: self.log.commits.get(&receipt.sequence).cloned(),
            },
            Some((Posting::Income(i), _)) if i.kind == IncomeKind::Recovery => Undo::Recovery {
                amount: self.log.recovered.checked_sub(i.amount)?,
                household: i.household.clone(),
            },
            _ => Undo::Nothing,
        };
        // The book gives back what the payment committed (nothing changes when it cannot);
        // the ledger, checked above, then takes the reversal.
        if let Undo::Payment {
            household,
            commit: Some(commit),
            ..
        } = &undo
        {
            release(&mut self.book, household, commit)?;
        }
        let receipt = match self.ledger.post(posting) {
            Ok(PostOutcome::Posted(r)) => r,
            other => {
                // Not reachable after the check; the book is put back all the same.
                if let Undo::Payment {
                    household,
                    commit: Some(commit),
                    ..
                } = undo
                {
                    self.commit(&household, commit)?;
                }
                return Ok(other?.receipt());
            }
        };
        if let Some((Posting::Disbursement(d), _)) = self.ledger.posted(&reverses) {
            self.campaign_totals.release(&self.policy.campaigns, d);
            self.temporary.release(d);
        }
        match undo {
            Undo::Payment {
                seq,
                household,
                claim,
                ..
            } => {
                if let Some((claim, paid)) = claim
                    && let Some(c) = self.claims.get_mut(&claim)
                {
                    c.paid = paid;
                }
                if let Some(n) = self.log.per_household.get_mut(&household) {
                    *n = n.saturating_sub(1);
                }
                self.log.reversed.push(seq);
            }
            Undo::Recovery { amount, household } => {
                self.log.recovered = amount;
                if let Some(n) = household
                    .as_ref()
                    .and_then(|h| self.log.recovered_households.get_mut(h))
                {
                    *n = n.saturating_sub(1);
                }
            }
            Undo::Nothing => {}
        }
        self.last = Some(date);
        Ok(receipt)
    }

    pub(crate) fn in_order(&self, date: NaiveDate) -> Result<(), YearError> {
        match self.last {
            Some(last) if date < last => Err(YearError::OutOfOrder { date, last }),
            _ => Ok(()),
        }
    }

    /// The household's facts for the calculators, with the file's status on `date`.
    fn facts_on(&self, household: &HouseholdId, date: NaiveDate) -> Result<FileFacts, YearError> {
        let unknown = || YearError::UnknownHousehold {
            household: household.clone(),
        };
        let filed = self.households.get(household).ok_or_else(unknown)?;
        let file = self.registry.get(&filed.case).ok_or_else(unknown)?;
        let mut facts = crate::records::file_facts(
            filed.case.clone(),
            file.household(),
            filed.category,
            filed.tier,
            Vec::new(),
        )?;
        facts.status = self.registry.status_on(household, date);
        Ok(facts)
    }

    /// Decides a claim once, by the calculators, with the year-to-date of the book (medical
    /// by the policy's cap scope on the claim's date), and commits what it decides.
    /// The same claim again with the same content returns the first decision.
    ///
    /// # Errors
    /// `year.unknown_household`, `year.claim_conflict`, `year.claim_case_mismatch`,
    /// `year.out_of_order`, the calculators' refusals (`aid.file.not_payable`, …); nothing
    /// changes.
    pub fn claim(&mut self, claim: ClaimRecord) -> Result<ClaimOutcome, YearError> {
        self.claim_with(claim, Explain::Off)
    }

    /// [`ProgrammeYear::claim`], with the decision's explanation (the first decision of a
    /// claim only: the same claim again returns the amount and order without it).
    ///
    /// # Errors
    /// As [`ProgrammeYear::claim`].
    pub fn claim_explained(&mut self, claim: ClaimRecord) -> Result<ClaimOutcome, YearError> {
        self.claim_with(claim, Explain::On)
    }

    fn claim_with(
        &mut self,
        claim: ClaimRecord,
        explain: Explain,
    ) -> Result<ClaimOutcome, YearError> {
        if let Some(done) = self.claims.get(&claim.id) {
            return if done.record == claim {
                Ok(ClaimOutcome {
                    amount: done.amount,
                    order: done.order.clone(),
                    explanation: None,
                })
            } else {
                Err(YearError::ClaimConflict { claim: claim.id })
            };
        }
        self.in_order(claim.date)?;
        let file = self.facts_on(&claim.household, claim.date)?;
        if file.case != claim.case {
            return Err(YearError::ClaimCaseMismatch {
                claim: claim.id,
                case: claim.case,
                household: claim.household,
            });
        }
        let calc = Calculator::validated(&self.policy.aid).with_citations(&self.policy.citations);
        let decision = self.decide(&calc, &file, &claim, explain)?;
        let amount = decision.amount;
        let explanation = decision.explanation();
        let order = PaymentOrder::for_decision(&file, &claim.id, &decision)?;
        let commit = match &claim.detail {
            ClaimDetail::Medical {
                applicant,
                out_of_pocket,
            } => Commit::Medical {
                applicant: applicant.clone(),
                cost: *out_of_pocket,
                paid: amount,
            },
            ClaimDetail::Living { .. } => Commit::Living {
                amount,
                warmth: false,
            },
            ClaimDetail::SendingWarmth { .. } => Commit::Living {
                amount,
                warmth: true,
            },
            ClaimDetail::Education { student } if !amount.is_zero() => {
                Commit::Student(student.clone())
            }
            ClaimDetail::Education { .. } => Commit::Nothing,
        };
        self.commit(&claim.household, commit)?;
        self.last = Some(claim.date);
        self.claims.insert(
            claim.id.clone(),
            Decided {
                record: claim,
                amount,
                order: order.clone(),
                paid: Money::ZERO,
            },
        );
        Ok(ClaimOutcome {
            amount,
            order,
            explanation,
        })
    }

    /// The calculators' decision on a claim, with the book's year-to-date.
    fn decide<'c>(
        &self,
        calc: &Calculator<'c>,
        file: &FileFacts,
        claim: &ClaimRecord,
        explain: Explain,
    ) -> Result<AidDecision<'c>, YearError> {
        let h = &claim.household;
        let date = claim.date;
        Ok(match &claim.detail {
            ClaimDetail::Medical {
                applicant,
                out_of_pocket,
            } => {
                let scope = calc.cap_scope(date)?;
                let so_far = self.book.medical(h, applicant, scope)?;
                let c = MedicalClaim {
                    date,
                    out_of_pocket: *out_of_pocket,
                };
                calc.medical(file, c, so_far, explain)?
            }
            ClaimDetail::Education { student } => {
                let already = self.book.student_paid(h, student);
                calc.education(file, date, student, already, explain)?
            }
            ClaimDetail::Living { requested } => {
                let asked = AmountClaim {
                    date,
                    requested: *requested,
                };
                calc.living(file, asked, self.book.living(h), explain)?
            }
            ClaimDetail::SendingWarmth { requested } => {
                let asked = AmountClaim {
                    date,
                    requested: *requested,
                };
                calc.sending_warmth(file, asked, explain)?
            }
        })
    }

    /// Adds to the book what a claim or a payment commits.
    fn commit(&mut self, household: &HouseholdId, commit: Commit) -> Result<(), YearError> {
        match commit {
            Commit::Nothing => {}
            Commit::Medical {
                applicant,
                cost,
                paid,
            } => self.book.add_medical(household, &applicant, cost, paid)?,
            Commit::Living { amount, warmth } => self.book.add_living(household, amount, warmth)?,
            Commit::Student(student) => self.book.add_student(household, &student),
        }
        Ok(())
    }

    /// Pays a decided claim: its order posted to the ledger, with the file's payability
    /// checked against the case file on the payment date (always) and every funding rule.
    /// The same payment again returns the first receipt.
    ///
    /// # Errors
    /// `year.unknown_claim`, `year.nothing_to_pay`, `year.not_payable`, `year.out_of_order`,
    /// the ledger's refusals (`funding.earmark_category`, `funding.overdraft`, …); nothing
    /// changes (the ledger, the registry and the statement are as before).
    pub fn pay(&mut self, payment: Payment) -> Result<Receipt, YearError> {
        if self.temporary.decided(&payment.claim).is_some() {
            return self.pay_temporary(&payment);
        }
        let (d, assessment) = match self.prepare_pay(&payment)? {
            Prepared::Paid(receipt) => return Ok(receipt),
            Prepared::New(new) => *new,
        };
        let receipt = self.ledger.post(d.clone().into())?.receipt();
        self.count_posted(&d);
        self.after_payment(
            &d,
            receipt.sequence,
            Vec::new(),
            assessment.not_checked,
            assessment.commit,
        )?;
        Ok(receipt)
    }

    /// What [`ProgrammeYear::pay`] would post for `payment`, checked as it checks it (the
    /// claim, payability on the date, the date order, the standard and every funding rule,
    /// the source's balance included), without posting anything: the payment's disbursement.
    ///
    /// # Errors
    /// As [`ProgrammeYear::pay`]; `funding.id_conflict` for a payment already posted.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Coded, NaiveDate, PaymentChannel};
    /// use bangfu_funding::FundSource;
    /// let year = bangfu_data::hainan2018::programme_year()?;
    /// let day = NaiveDate::from_ymd_opt(2018, 12, 30).ok_or("date")?;
    /// let p = bangfu_year::Payment { id: "p-x".parse()?, claim: "no-such-claim".parse()?, date: day,
    ///     source: FundSource::CentralFiscal, channel: PaymentChannel::UnionMemberCard, unit: None, entered: None };
    /// assert_eq!(year.check_pay(&p).unwrap_err().code(), "year.unknown_claim");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_pay(&self, payment: &Payment) -> Result<Disbursement, YearError> {
        if self.temporary.decided(&payment.claim).is_some() {
            return self.check_pay_temporary(payment);
        }
        match self.prepare_pay(payment)? {
            Prepared::Paid(_) => Err(FundingError::IdConflict {
                id: payment.id.clone(),
            }
            .into()),
            Prepared::New(new) => {
                let (d, _) = *new;
                self.ledger.check(&Posting::Disbursement(d.clone()))?;
                Ok(d)
            }
        }
    }

    /// A payment's disbursement, checked up to the ledger: the same payment posted before,
    /// or the new disbursement with its assessment.
    fn prepare_pay(&self, payment: &Payment) -> Result<Prepared, YearError> {
        let decided = self
            .claims
            .get(&payment.claim)
            .ok_or_else(|| YearError::UnknownClaim {
                claim: payment.claim.clone(),
            })?;
        let order = decided
            .order
            .as_ref()
            .ok_or_else(|| YearError::NothingToPay {
                claim: payment.claim.clone(),
            })?;
        let mut payout = Payout::new(payment.source, payment.channel);
        payout.unit = payment.unit.clone();
        payout.entered = payment.entered;
        let mut d = payout.disbursement(order, payment.id.clone());
        d.date = payment.date;
        if let Some((first, receipt)) = self.ledger.posted(&d.id) {
            return if *first == Posting::Disbursement(d) {
                Ok(Prepared::Paid(receipt))
            } else {
                Err(FundingError::IdConflict {
                    id: payment.id.clone(),
                }
                .into())
            };
        }
        self.in_order(d.date)?;
        let mut assessment = self.assess(&d)?;
        if let Some((_, error)) = std::mem::take(&mut assessment.defects).into_iter().next() {
            return Err(error);
        }
        Ok(Prepared::New(Box::new((d, assessment))))
    }

    /// Records a posting from a union's own records (its history): income as
    /// [`ProgrammeYear::income`]; a payment is kept, since it was made, after the same checks
    /// as [`ProgrammeYear::pay`] (payability on its date, the standard of its claim or, for a
    /// payment without one, of its category, the funding rules, the entry window). What those
    /// checks would refuse in operation is returned, and kept for the evaluation, as defects.
    ///
    /// # Errors
    /// What no history can hold: the ledger's refusals other than the funding rules
    /// (`funding.id_conflict`, `funding.date_outside_year`, `funding.overdraft`, …),
    /// `year.out_of_order`, overflow; nothing changes.
    pub fn record(&mut self, posting: Posting) -> Result<Vec<Defect>, YearError> {
        let d = match posting {
            Posting::Income(i) => {
                self.income(i)?;
                return Ok(Vec::new());
            }
            Posting::Reversal(r) => {
                self.reverse(r)?;
                return Ok(Vec::new());
            }
            Posting::Disbursement(d) => self.share_ids(d),
        };
        // The same payment recorded again (same id, same content) is its first result, on
        // whatever date it comes: nothing is counted twice.
        if let Some((Posting::Disbursement(first), _)) = self.ledger.posted(&d.id)
            && *first == d
        {
            let id = d.id.as_str();
            return Ok(self
                .log
                .defects
                .iter()
                .filter(|x| x.posting == id)
                .cloned()
                .collect());
        }
        self.in_order(d.date)?;
        let assessment = self.assess(&d)?;
        // Checked before the ledger moves, so that nothing after it can fail.
        self.book
            .medical_paid(&d.household)?
            .checked_add(d.amount)?;
        self.book.living_all(&d.household).checked_add(d.amount)?;
        // The earmark's tier is the file's own, whatever the posting says.
        let file_tier = self.households.get(&d.household).map(|r| r.tier);
        let mut tier_breaches = Vec::new();
        if let Some(tier) = file_tier.filter(|t| *t != d.tier) {
            let as_filed = Disbursement { tier, ..d.clone() };
            tier_breaches = self.policy.funding.breaches(&as_filed)?;
            tier_breaches.retain(|b| matches!(b, FundingError::TierNotAllowed { .. }));
        }
        let (outcome, mut breaches) = self.ledger.post_recorded(d.clone().into())?;
        if matches!(outcome, PostOutcome::Posted(_)) {
            self.count_posted(&d);
        }
        breaches.extend(tier_breaches);
        let mut defects = assessment.defects;
        defects.extend(funding_defects(breaches));
        let found = self.after_payment(
            &d,
            outcome.receipt().sequence,
            defects,
            assessment.not_checked,
            assessment.commit,
        )?;
        Ok(found)
    }

    /// Posts a payment the crate prepared beside the claims of case files (temporary aid,
    /// [`crate::temporary`]) and logs it as every payment: as history (`recorded`: the funding
    /// rules' breaches become defects beside `defects`) or in operation (the ledger refuses
    /// what a rule forbids; `defects` must then be empty).
    pub(crate) fn post_prepared(
        &mut self,
        d: Disbursement,
        mut defects: Vec<(DefectKind, YearError)>,
        recorded: bool,
    ) -> Result<(Receipt, Vec<Defect>), YearError> {
        self.in_order(d.date)?;
        let outcome = if recorded {
            let (outcome, breaches) = self.ledger.post_recorded(d.clone().into())?;
            defects.extend(funding_defects(breaches));
            outcome
        } else {
            self.ledger.post(d.clone().into())?
        };
        if matches!(outcome, PostOutcome::Posted(_)) {
            self.count_posted(&d);
        }
        let receipt = outcome.receipt();
        let found = self.after_payment(&d, receipt.sequence, defects, None, Commit::Nothing)?;
        Ok((receipt, found))
    }

    /// Counts a payment the ledger just posted in the year's running totals (the campaigns',
    /// what was paid on each temporary-aid claim); [`ProgrammeYear::reverse`] gives it back.
    fn count_posted(&mut self, d: &Disbursement) {
        self.campaign_totals.add(&self.policy.campaigns, d);
        self.temporary.add(d);
    }

    /// Moves the year's date forward to `date` (a record taken on it).
    pub(crate) fn advance_to(&mut self, date: NaiveDate) {
        self.last = Some(self.last.map_or(date, |l| l.max(date)));
    }

    /// What a payment breaks before it is posted: payability and the standard.
    fn assess(&self, d: &Disbursement) -> Result<Assessment, YearError> {
        let mut defects = Vec::new();
        if !self.registry.is_payable_on(&d.household, d.date) {
            defects.push((
                DefectKind::NotPayable,
                YearError::NotPayable {
                    household: d.household.clone(),
                    date: d.date,
                },
            ));
        }
        for e in self.campaign_breaches(d)? {
            defects.push((DefectKind::Campaign, YearError::Campaign(e)));
        }
        let (standard, not_checked, commit) = self.standard(d)?;
        if let Some(e) = standard {
            defects.push((DefectKind::OverStandard, e));
        }
        Ok(Assessment {
            defects,
            not_checked,
            commit,
        })
    }

    /// The standard of a payment: against its claim's decided amount, or for a payment
    /// without a claim, decided now as an implicit claim of its category for its amount.
    fn standard(
        &self,
        d: &Disbursement,
    ) -> Result<(Option<YearError>, Option<String>, Commit), YearError> {
        if let Some(id) = &d.claim {
            let Some(c) = self.claims.get(id) else {
                return Ok((
                    None,
                    Some(format!("claim {id} not decided")),
                    Commit::Nothing,
                ));
            };
            let remaining = c.amount.checked_sub(c.paid).unwrap_or(Money::ZERO);
            let over = (d.amount > remaining).then(|| YearError::OverStandard {
                what: format!("{} aid on claim {id}", d.category.code()),
                amount: d.amount,
                standard: remaining.max(Money::ZERO),
            });
            // What is paid beyond the decision still counts in the year-to-date; a payment
            // of less than the claim left has no excess.
            let excess = d.amount.saturating_sub(remaining);
            let commit = if excess > Money::ZERO {
                match &c.record.detail {
                    ClaimDetail::Medical { applicant, .. } => Commit::Medical {
                        applicant: applicant.clone(),
                        cost: Money::ZERO,
                        paid: excess,
                    },
                    ClaimDetail::Living { .. } => Commit::Living {
                        amount: excess,
                        warmth: false,
                    },
                    ClaimDetail::SendingWarmth { .. } => Commit::Living {
                        amount: excess,
                        warmth: true,
                    },
                    ClaimDetail::Education { .. } => Commit::Nothing,
                }
            } else {
                Commit::Nothing
            };
            return Ok((over, None, commit));
        }
        let file = match self.facts_on(&d.household, d.date) {
            Ok(mut f) => {
                f.status = Some(ArchiveStatus::Active);
                f
            }
            Err(YearError::UnknownHousehold { household }) => {
                return Ok((
                    None,
                    Some(format!("household {household} unknown")),
                    Commit::Nothing,
                ));
            }
            Err(e) => return Err(e),
        };
        self.implicit_standard(d, &file)
    }

    /// The standard of a payment without a claim, by its category.
    fn implicit_standard(
        &self,
        d: &Disbursement,
        file: &FileFacts,
    ) -> Result<(Option<YearError>, Option<String>, Commit), YearError> {
        let calc = Calculator::validated(&self.policy.aid);
        let h = &d.household;
        let asked = AmountClaim {
            date: d.date,
            requested: Some(d.amount),
        };
        let over = |what: &str, standard: Money| YearError::OverStandard {
            what: what.to_owned(),
            amount: d.amount,
            standard,
        };
        if d.campaign.is_some() {
            // A campaign the policy adds (its id known: `assess` refused any other): its
            // standard is its campaign's, and it counts in no year-to-date.
            return Ok((None, None, Commit::Nothing));
        }
        if bangfu_funding::counted_in(d.kind, d.category).is_none() {
            // A campaign counted in no category (female-worker care): not living aid, its
            // standard is its campaign's (checked in `assess`), if the policy has one.
            let unchecked = (!self.policy.campaigns.iter().any(|c| c.kind == d.kind))
                .then(|| format!("{} without a campaign in the policy", d.kind.code()));
            return Ok((None, unchecked, Commit::Nothing));
        }
        let outcome = match (d.category, d.kind) {
            (AidCategory::Living, AidKind::SendingWarmth) => calc
                .sending_warmth(file, asked, Explain::Off)
                .map(|dec| (dec.amount != d.amount).then(|| over("sending warmth", dec.amount))),
            (AidCategory::Living, _) => calc
                .living(file, asked, self.book.living(h), Explain::Off)
                .map(|dec| (dec.amount < d.amount).then(|| over("living aid", dec.amount))),
            (AidCategory::Medical, _) => calc
                .remaining(
                    file,
                    d.date,
                    self.book.medical_paid(h)?,
                    self.book.living_paid(h),
                    Explain::Off,
                )
                .map(|e| {
                    (e.medical_remaining < d.amount)
                        .then(|| over("medical aid without a claim", e.medical_remaining))
                }),
            (AidCategory::Education, _) => {
                return Ok((
                    None,
                    Some("education without a claim".to_owned()),
                    Commit::Nothing,
                ));
            }
            (other, _) => {
                return Ok((
                    None,
                    Some(format!("no standard for {}", other.code())),
                    Commit::Nothing,
                ));
            }
        };
        let commit = match (d.category, self.household(h)) {
            (AidCategory::Living, _) => Commit::Living {
                amount: d.amount,
                warmth: d.kind == AidKind::SendingWarmth,
            },
            (AidCategory::Medical, Some(r)) => Commit::Medical {
                applicant: r.worker.person.id.clone(),
                cost: Money::ZERO,
                paid: d.amount,
            },
            _ => Commit::Nothing,
        };
        match outcome {
            Ok(over) => Ok((over, None, commit)),
            Err(e) => Ok((None, Some(e.code().to_owned()), commit)),
        }
    }

    /// Logs a posted payment (at position `id` of the ledger): the tallies, the defects, the
    /// book.
    fn after_payment(
        &mut self,
        d: &Disbursement,
        id: usize,
        defects: Vec<(DefectKind, YearError)>,
        not_checked: Option<String>,
        commit: Commit,
    ) -> Result<Vec<Defect>, YearError> {
        if let Some(c) = d.claim.as_ref().and_then(|id| self.claims.get_mut(id)) {
            c.paid = c.paid.checked_add(d.amount)?;
        }
        if commit != Commit::Nothing {
            self.log.commits.insert(id, commit.clone());
        }
        self.commit(&d.household, commit)?;
        let log = &mut self.log;
        if self.policy.funding.entered_in_time(d.date, d.entered)? {
            log.entered.push(id);
        }
        let mut out = Vec::new();
        for (kind, error) in defects {
            let list = match kind {
                DefectKind::Cash => &mut log.cash,
                DefectKind::OverStandard => &mut log.over,
                DefectKind::NotPayable => &mut log.unpayable,
                _ => &mut log.earmark,
            };
            // A payment's ids are pushed together: once per list, whatever its defects.
            if list.last() != Some(&id) {
                list.push(id);
            }
            out.push(Defect {
                posting: d.id.to_string(),
                kind,
                code: error.code().to_owned(),
                detail: error.to_string(),
            });
        }
        log.defects.extend(out.iter().cloned());
        if let Some(why) = not_checked {
            log.not_checked.push(Defect {
                posting: d.id.to_string(),
                kind: DefectKind::OverStandard,
                code: "year.not_checked".to_owned(),
                detail: why,
            });
        }
        // Looked up before the id is copied: most households are paid more than once.
        match log.per_household.get_mut(&d.household) {
            Some(n) => *n = n.saturating_add(1),
            None => {
                log.per_household.insert(d.household.clone(), 1);
            }
        }
        log.payments.push(id);
        self.last = Some(d.date);
        Ok(out)
    }

    /// Decides `claims` and records `postings` (a union's history) in date order, a claim
    /// before a posting of the same day. Each list must be in date order itself.
    ///
    /// # Errors
    /// The first refusal, with the position (from 1) of its record in its list; the records
    /// before it stay recorded.
    pub fn replay(
        &mut self,
        claims: impl IntoIterator<Item = ClaimRecord>,
        postings: impl IntoIterator<Item = Posting>,
    ) -> Result<(), ReplayError> {
        let mut claims = claims.into_iter().enumerate().peekable();
        for (i, posting) in postings.into_iter().enumerate() {
            while let Some((n, c)) = claims.next_if(|(_, c)| c.date <= posting.date()) {
                self.claim(c)
                    .map_err(|error| ReplayError::Claim { n: n + 1, error })?;
            }
            self.record(posting)
                .map_err(|error| ReplayError::Posting { n: i + 1, error })?;
        }
        for (n, c) in claims {
            self.claim(c)
                .map_err(|error| ReplayError::Claim { n: n + 1, error })?;
        }
        Ok(())
    }

    /// What the recorded payments give, read from what was recorded; a reversed payment
    /// counts in none of them.
    pub fn payments(&self) -> PaymentFigures {
        let l = &self.log;
        let postings = self.ledger.postings();
        // The record id of the payment at a ledger position: the posting id's text, shared.
        let id_at = |seq: &usize| postings.get(*seq).map(|p| RecordId::of_id(p.id()));
        let reversed_at: HashSet<usize> = l.reversed.iter().copied().collect();
        let reversed: BTreeSet<&str> = l
            .reversed
            .iter()
            .filter_map(|seq| Some(postings.get(*seq)?.id().as_str()))
            .collect();
        let kept = |seqs: &[usize]| {
            Tally::of(
                seqs.iter()
                    .filter(|seq| !reversed_at.contains(seq))
                    .filter_map(id_at)
                    .collect(),
            )
        };
        let kept_defects = |defects: &[Defect]| -> Vec<Defect> {
            defects
                .iter()
                .filter(|d| !reversed.contains(d.posting.as_str()))
                .cloned()
                .collect()
        };
        PaymentFigures {
            payments: kept(&l.payments),
            entered_within_window: kept(&l.entered),
            compliance: Compliance {
                earmark_violations: kept(&l.earmark),
                cash_payments: kept(&l.cash),
                over_standard_payments: kept(&l.over),
                unpayable_payments: kept(&l.unpayable),
            },
            defects: kept_defects(&l.defects),
            not_checked: kept_defects(&l.not_checked),
            per_household: l
                .per_household
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(h, n)| (h.clone(), *n))
                .collect(),
            recoveries: Recoveries {
                households: Tally::of(
                    l.recovered_households
                        .iter()
                        .filter(|(_, n)| **n > 0)
                        .map(|(h, _)| RecordId::of_id(h))
                        .collect(),
                ),
                amount: l.recovered,
            },
            reversed: Tally::of(l.reversed.iter().filter_map(id_at).collect()),
        }
    }

    /// The year closed with the budget's carry-over approvals.
    ///
    /// # Errors
    /// `funding.approval_mismatch` and the close's other refusals.
    pub fn close(&self) -> Result<YearClose, YearError> {
        Ok(self.ledger.close(&self.budget.carryover_approvals)?)
    }

    /// The statement (资金收支情况表) of what was recorded so far, without the close.
    ///
    /// # Errors
    /// Overflow.
    pub fn statement(&self) -> Result<Statement, YearError> {
        let statement = Statement::from_postings(
            self.ledger.year(),
            self.ledger.postings(),
            &self.budget,
            None,
            StatementOptions::default(),
        )?;
        Ok(self.name_campaigns(statement))
    }

    /// The year closed with the budget's carry-over approvals, and the statement with the
    /// close (the balances carried over, approved or not).
    ///
    /// # Errors
    /// As [`ProgrammeYear::close`]; overflow.
    pub fn closed_statement(&self) -> Result<(YearClose, Statement), YearError> {
        let close = self.close()?;
        let statement = Statement::from_postings(
            self.ledger.year(),
            self.ledger.postings(),
            &self.budget,
            Some(&close),
            StatementOptions::default(),
        )?;
        Ok((close, self.name_campaigns(statement)))
    }

    /// The ledger, close and statement as one [`crate::YearRun`].
    ///
    /// # Errors
    /// As [`ProgrammeYear::statement`].
    pub fn run(&self) -> Result<crate::YearRun, YearError> {
        let (close, statement) = self.closed_statement()?;
        Ok(crate::YearRun {
            ledger: self.ledger.clone(),
            close,
            statement,
        })
    }
}
