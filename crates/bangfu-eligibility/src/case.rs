//! The case file (困难职工档案) as a sequence of accepted events: the seven-step filing
//! procedure, public notices, objections, roles and separation of duties, and dynamic
//! management (exit, cancellation, withdrawal).

use bangfu_core::{
    ArchiveStatus, ArchiveTier, CaseId, HouseholdId, Money, PersonId, WorkingCalendar,
};
use chrono::NaiveDate;

use crate::EligibilityError;
use crate::decision::{Detail, Outcome, assess_with};
use crate::household::Household;
use crate::policy::{EligibilityPolicy, HardshipCategory};

bangfu_core::coded_enum! {
    /// Who takes a step (办理角色).
    pub enum Role {
        /// The applicant worker (申请人).
        Applicant = ("applicant", "申请人", "applicant"),
        /// The grassroots union (基层工会).
        GrassrootsUnion = ("grassroots_union", "基层工会", "grassroots union"),
        /// The industrial or system union (产业/系统工会).
        IndustrialUnion = ("industrial_union", "产业工会", "industrial union"),
        /// The aid center (帮扶中心).
        AidCenter = ("aid_center", "帮扶中心", "aid center"),
        /// Finance (财务).
        Finance = ("finance", "财务", "finance"),
    }
}

/// A person acting in a role.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Actor {
    /// The person.
    pub person: PersonId,
    /// The role.
    pub role: Role,
}

impl Actor {
    /// An actor.
    pub fn new(person: PersonId, role: Role) -> Actor {
        Actor { person, role }
    }
}

bangfu_core::coded_enum! {
    /// Where a file stands (档案环节).
    pub enum Stage {
        /// Applied, awaiting preliminary review (已申请).
        Applied = ("applied", "已申请", "applied"),
        /// Passed preliminary review (已初审).
        Reviewed = ("reviewed", "已初审", "reviewed"),
        /// In public notice (公示中).
        InNotice = ("in_notice", "公示中", "in public notice"),
        /// Public notice completed without a sustained objection (公示期满).
        NoticeCompleted = ("notice_completed", "公示期满", "notice completed"),
        /// Filed (已建档).
        Filed = ("filed", "已建档", "filed"),
        /// Approved (已审批).
        Approved = ("approved", "已审批", "approved"),
        /// In the second public notice (再公示中).
        InReNotice = ("in_re_notice", "再公示中", "in second public notice"),
        /// Active (在档).
        Active = ("active", "在档", "active"),
        /// Exited hardship (脱困).
        Exited = ("exited", "脱困", "exited hardship"),
        /// Cancelled (注销).
        Cancelled = ("cancelled", "注销", "cancelled"),
        /// Withdrawn as ineligible (退档).
        Withdrawn = ("withdrawn", "退档", "withdrawn"),
        /// Rejected (不予建档).
        Rejected = ("rejected", "不予建档", "rejected"),
    }
}

impl Stage {
    /// The archive status of the stage.
    pub const fn status(self) -> ArchiveStatus {
        match self {
            Stage::Applied
            | Stage::Reviewed
            | Stage::InNotice
            | Stage::NoticeCompleted
            | Stage::Filed
            | Stage::Approved
            | Stage::InReNotice => ArchiveStatus::Pending,
            Stage::Active => ArchiveStatus::Active,
            Stage::Exited => ArchiveStatus::ExitedHardship,
            Stage::Cancelled => ArchiveStatus::Cancelled,
            Stage::Withdrawn => ArchiveStatus::Withdrawn,
            Stage::Rejected => ArchiveStatus::Rejected,
        }
    }

    /// Whether the file is open: pending or active.
    pub const fn is_open(self) -> bool {
        matches!(
            self.status(),
            ArchiveStatus::Pending | ArchiveStatus::Active
        )
    }
}

bangfu_core::coded_enum! {
    /// The kind of an event (事项).
    pub enum EventKind {
        /// The application that opens the file (申请).
        Apply = ("apply", "申请", "apply"),
        /// Preliminary review passed (初审通过).
        PassReview = ("pass_review", "初审通过", "pass preliminary review"),
        /// Rejected at preliminary review (初审不通过).
        RejectAtReview = ("reject_at_review", "初审不通过", "reject at review"),
        /// Public notice started (开始公示).
        StartNotice = ("start_notice", "开始公示", "start public notice"),
        /// An objection decided (异议处理).
        Object = ("object", "异议处理", "objection"),
        /// Public notice closed (公示结束).
        CloseNotice = ("close_notice", "公示结束", "close public notice"),
        /// Filed (建档).
        File = ("file", "建档", "file"),
        /// Approved (审批).
        Approve = ("approve", "审批", "approve"),
        /// Second notice started (开始再公示).
        StartReNotice = ("start_re_notice", "开始再公示", "start second notice"),
        /// Second notice closed, file active (再公示结束、在档).
        Activate = ("activate", "在档", "activate"),
        /// Exit hardship (脱困).
        Exit = ("exit", "脱困", "exit hardship"),
        /// Cancel (注销).
        Cancel = ("cancel", "注销", "cancel"),
        /// Withdraw (退档).
        Withdraw = ("withdraw", "退档", "withdraw"),
        /// A file review done (复核).
        Review = ("review", "复核", "review"),
        /// Paper or electronic record updated (档案更新).
        RecordUpdated = ("record_updated", "档案更新", "record updated"),
        /// Household facts updated (家庭信息变更).
        UpdateFacts = ("update_facts", "家庭信息变更", "facts updated"),
        /// A recovery order settled (追缴到账).
        RecoveryCollected = ("recovery_collected", "追缴到账", "recovery collected"),
    }
}

bangfu_core::coded_enum! {
    /// Why a household exits hardship (脱困原因).
    pub enum ExitReason {
        /// Illness cured (疾病治愈).
        IllnessCured = ("illness_cured", "疾病治愈", "illness cured"),
        /// Re-employed (再就业).
        Reemployed = ("reemployed", "再就业", "re-employed"),
        /// Child graduated and employed (子女毕业实现就业).
        ChildGraduatedEmployed = ("child_graduated_employed", "子女毕业实现就业", "child graduated and employed"),
        /// Self-employed (自谋职业).
        SelfEmployed = ("self_employed", "自谋职业", "self-employed"),
        /// Income above the standard (收入超过标准).
        IncomeAboveStandard = ("income_above_standard", "收入超过标准", "income above the standard"),
        /// Other, with a note (其他).
        Other = ("other", "其他", "other"),
    }
}

bangfu_core::coded_enum! {
    /// Why a file is cancelled (注销原因).
    pub enum CancelReason {
        /// Missing (失踪).
        Missing = ("missing", "失踪", "missing"),
        /// Deceased (死亡).
        Deceased = ("deceased", "死亡", "deceased"),
        /// Enterprise restructured (企业改制).
        EnterpriseRestructured = ("enterprise_restructured", "企业改制", "enterprise restructured"),
        /// Retired (退休).
        Retired = ("retired", "退休", "retired"),
        /// Resigned (离职).
        Resigned = ("resigned", "离职", "resigned"),
        /// Other, with a note (其他).
        Other = ("other", "其他", "other"),
    }
}

bangfu_core::coded_enum! {
    /// Why a file is withdrawn (退档原因).
    pub enum WithdrawReason {
        /// Dishonest application (虚假申请).
        DishonestApplication = ("dishonest_application", "虚假申请", "dishonest application"),
        /// Found ineligible on verification (经核查不符合条件).
        FoundIneligible = ("found_ineligible", "经核查不符合条件", "found ineligible"),
        /// Other, with a note (其他).
        Other = ("other", "其他", "other"),
    }
}

bangfu_core::coded_enum! {
    /// What an objection during a notice leads to (异议处理结果).
    pub enum ObjectionOutcome {
        /// Back to preliminary review (退回初审).
        ReturnToReview = ("return_to_review", "退回初审", "return to review"),
        /// Rejected (不予建档).
        Reject = ("reject", "不予建档", "reject"),
    }
}

bangfu_core::coded_enum! {
    /// Which record of a file (档案载体).
    pub enum RecordKind {
        /// The paper file (纸质档案).
        Paper = ("paper", "纸质档案", "paper record"),
        /// The electronic file in the national system (电子档案).
        Electronic = ("electronic", "电子档案", "electronic record"),
    }
}

/// An event offered to a case file. Each names its actor and date; the file accepts it or
/// refuses it unchanged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum CaseEvent {
    /// Preliminary review passed (初审通过): the file's facts are assessed on the date and
    /// must be eligible; the proposed category and tier are recorded.
    PassReview {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
    },
    /// Rejected at preliminary review (初审不通过).
    RejectAtReview {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
        /// Why.
        note: String,
    },
    /// Public notice starts (开始公示).
    StartNotice {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
    },
    /// An objection raised during a notice, and what it leads to (异议).
    Object {
        /// Who decided it.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
        /// The outcome.
        outcome: ObjectionOutcome,
        /// The objection.
        note: String,
    },
    /// Public notice closes (公示结束), not before its last day.
    CloseNotice {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
    },
    /// Filed (建档).
    File {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
    },
    /// Approved (审批), by someone other than the preliminary reviewer.
    Approve {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
    },
    /// Second public notice starts (再公示).
    StartReNotice {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
    },
    /// Second notice closes, not before its last day; the file is active from `date`.
    Activate {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
    },
    /// Exit hardship (脱困).
    Exit {
        /// Who.
        by: Actor,
        /// When recorded.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
        /// From when (not before the file became active).
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        effective: NaiveDate,
        /// Why.
        reason: ExitReason,
        /// A note; required for `Other`.
        note: Option<String>,
    },
    /// Cancel (注销).
    Cancel {
        /// Who.
        by: Actor,
        /// When recorded.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
        /// From when.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        effective: NaiveDate,
        /// Why.
        reason: CancelReason,
        /// A note; required for `Other`.
        note: Option<String>,
    },
    /// Withdraw as ineligible (退档), with a recovery order for what was paid.
    Withdraw {
        /// Who.
        by: Actor,
        /// When recorded.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
        /// From when.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        effective: NaiveDate,
        /// Why.
        reason: WithdrawReason,
        /// A note; required for `Other`.
        note: Option<String>,
        /// What was paid to the household and must be recovered.
        paid: Money,
    },
    /// A review of the file done (复核).
    Review {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
    },
    /// The paper or electronic record was updated.
    RecordUpdated {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
        /// Which record.
        record: RecordKind,
    },
    /// The household's facts changed (same household id).
    UpdateFacts {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
        /// The new facts.
        household: Box<Household>,
    },
    /// The recovery order was paid back (追缴到账).
    RecoveryCollected {
        /// Who.
        by: Actor,
        /// When.
        #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
        #[serde(with = "bangfu_core::iso_date")]
        date: NaiveDate,
    },
}

impl CaseEvent {
    /// The event's kind.
    pub fn kind(&self) -> EventKind {
        match self {
            CaseEvent::PassReview { .. } => EventKind::PassReview,
            CaseEvent::RejectAtReview { .. } => EventKind::RejectAtReview,
            CaseEvent::StartNotice { .. } => EventKind::StartNotice,
            CaseEvent::Object { .. } => EventKind::Object,
            CaseEvent::CloseNotice { .. } => EventKind::CloseNotice,
            CaseEvent::File { .. } => EventKind::File,
            CaseEvent::Approve { .. } => EventKind::Approve,
            CaseEvent::StartReNotice { .. } => EventKind::StartReNotice,
            CaseEvent::Activate { .. } => EventKind::Activate,
            CaseEvent::Exit { .. } => EventKind::Exit,
            CaseEvent::Cancel { .. } => EventKind::Cancel,
            CaseEvent::Withdraw { .. } => EventKind::Withdraw,
            CaseEvent::Review { .. } => EventKind::Review,
            CaseEvent::RecordUpdated { .. } => EventKind::RecordUpdated,
            CaseEvent::UpdateFacts { .. } => EventKind::UpdateFacts,
            CaseEvent::RecoveryCollected { .. } => EventKind::RecoveryCollected,
        }
    }

    /// The actor.
    pub fn actor(&self) -> &Actor {
        match self {
            CaseEvent::PassReview { by, .. }
            | CaseEvent::RejectAtReview { by, .. }
            | CaseEvent::StartNotice { by, .. }
            | CaseEvent::Object { by, .. }
            | CaseEvent::CloseNotice { by, .. }
            | CaseEvent::File { by, .. }
            | CaseEvent::Approve { by, .. }
            | CaseEvent::StartReNotice { by, .. }
            | CaseEvent::Activate { by, .. }
            | CaseEvent::Exit { by, .. }
            | CaseEvent::Cancel { by, .. }
            | CaseEvent::Withdraw { by, .. }
            | CaseEvent::Review { by, .. }
            | CaseEvent::RecordUpdated { by, .. }
            | CaseEvent::UpdateFacts { by, .. }
            | CaseEvent::RecoveryCollected { by, .. } => by,
        }
    }

    /// The date the event is recorded.
    pub fn date(&self) -> NaiveDate {
        match self {
            CaseEvent::PassReview { date, .. }
            | CaseEvent::RejectAtReview { date, .. }
            | CaseEvent::StartNotice { date, .. }
            | CaseEvent::Object { date, .. }
            | CaseEvent::CloseNotice { date, .. }
            | CaseEvent::File { date, .. }
            | CaseEvent::Approve { date, .. }
            | CaseEvent::StartReNotice { date, .. }
            | CaseEvent::Activate { date, .. }
            | CaseEvent::Exit { date, .. }
            | CaseEvent::Cancel { date, .. }
            | CaseEvent::Withdraw { date, .. }
            | CaseEvent::Review { date, .. }
            | CaseEvent::RecordUpdated { date, .. }
            | CaseEvent::UpdateFacts { date, .. }
            | CaseEvent::RecoveryCollected { date, .. } => *date,
        }
    }
}

/// The stages in which an event is allowed, and the roles that may take it there.
///
/// This is the procedure's shape (申请 → 初审 → 公示 → 建档 → 审批 → 再公示 → 在档), fixed
/// in code; the durations it uses are policy data.
///
/// # Example
/// ```
/// use bangfu_eligibility::{allowed_roles, EventKind, Role, Stage};
/// assert_eq!(allowed_roles(EventKind::Approve, Stage::Filed), &[Role::AidCenter]);
/// assert!(allowed_roles(EventKind::Approve, Stage::Applied).is_empty());
/// ```
pub fn allowed_roles(event: EventKind, stage: Stage) -> &'static [Role] {
    use EventKind as E;
    use Role as R;
    use Stage as S;
    const CLOSERS: &[Role] = &[R::IndustrialUnion, R::AidCenter];
    const KEEPERS: &[Role] = &[R::GrassrootsUnion, R::IndustrialUnion, R::AidCenter];
    match (event, stage) {
        (E::PassReview | E::RejectAtReview, S::Applied) => &[R::GrassrootsUnion],
        (E::StartNotice, S::Reviewed) => &[R::GrassrootsUnion],
        (E::Object | E::CloseNotice, S::InNotice) => &[R::GrassrootsUnion],
        (E::File, S::NoticeCompleted) => &[R::IndustrialUnion],
        (E::Approve, S::Filed) => &[R::AidCenter],
        (E::StartReNotice, S::Approved) => &[R::AidCenter],
        (E::Object | E::Activate, S::InReNotice) => &[R::AidCenter],
        (E::Exit | E::Cancel, S::Active) => CLOSERS,
        (E::Withdraw, S::Active) => &[R::AidCenter],
        (E::Review | E::UpdateFacts, S::Active) => KEEPERS,
        (
            E::RecordUpdated,
            S::Filed
            | S::Approved
            | S::InReNotice
            | S::Active
            | S::Exited
            | S::Cancelled
            | S::Withdrawn,
        ) => CLOSERS,
        (E::RecoveryCollected, S::Withdrawn) => &[R::Finance],
        _ => &[],
    }
}

/// A public-notice window: from its first day to its last, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NoticeWindow {
    /// The day it is posted.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub from: NaiveDate,
    /// Its last day: `from` plus the policy's number of working days.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub until: NaiveDate,
}

/// How a file was closed (结案).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Closure {
    /// The status it closed to.
    pub status: ArchiveStatus,
    /// The reason's code (`exit.illness_cured`, `cancel.deceased`, `withdraw.dishonest_application`).
    pub reason: String,
    /// The note.
    pub note: Option<String>,
    /// From when.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub effective: NaiveDate,
    /// When recorded.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub recorded: NaiveDate,
}

/// A recovery order (追缴通知) for aid paid to a withdrawn file.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RecoveryOrder {
    /// The file.
    pub case: CaseId,
    /// The household.
    pub household: HouseholdId,
    /// The amount to recover.
    pub amount: Money,
    /// Why.
    pub reason: WithdrawReason,
    /// When issued.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub issued: NaiveDate,
    /// When collected, once it is.
    #[cfg_attr(feature = "schema", schemars(with = "Option<NaiveDate>"))]
    #[serde(with = "bangfu_core::iso_date::option")]
    pub collected: Option<NaiveDate>,
}

/// A hardship case file (困难职工档案): one episode of one household, moved only by accepted
/// events. A refused event returns a typed error and leaves the file exactly as it was.
///
/// # Example
/// ```
/// use bangfu_core::{ArchiveStatus, PersonId, WorkingCalendar};
/// use bangfu_eligibility::{Actor, CaseEvent, CaseFile, EligibilityPolicy, Household, Role};
/// let policy = EligibilityPolicy::hainan_2018()?;
/// let cal = WorkingCalendar::china()?;
/// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2018, m, day).unwrap();
/// let who = |p: &str, role| Ok::<_, bangfu_core::CoreError>(Actor::new(PersonId::new(p)?, role));
/// let mut file = CaseFile::open("HK-0001/1".parse()?, Household::example()?, d(3, 1), who("w", Role::Applicant)?)?;
/// let union = who("u1", Role::GrassrootsUnion)?;
/// file.apply(CaseEvent::PassReview { by: union.clone(), date: d(3, 2) }, &policy, &cal)?;
/// file.apply(CaseEvent::StartNotice { by: union.clone(), date: d(3, 5) }, &policy, &cal)?;
/// // Five working days: the notice cannot close before Monday 12 March.
/// let early = file.apply(CaseEvent::CloseNotice { by: union.clone(), date: d(3, 9) }, &policy, &cal);
/// assert_eq!(bangfu_core::Coded::code(&early.unwrap_err()), "eligibility.case.notice_not_over");
/// file.apply(CaseEvent::CloseNotice { by: union, date: d(3, 12) }, &policy, &cal)?;
/// file.apply(CaseEvent::File { by: who("i1", Role::IndustrialUnion)?, date: d(3, 13) }, &policy, &cal)?;
/// let center = who("c1", Role::AidCenter)?;
/// file.apply(CaseEvent::Approve { by: center.clone(), date: d(3, 14) }, &policy, &cal)?;
/// file.apply(CaseEvent::StartReNotice { by: center.clone(), date: d(3, 15) }, &policy, &cal)?;
/// file.apply(CaseEvent::Activate { by: center, date: d(3, 22) }, &policy, &cal)?;
/// assert_eq!(file.status_on(d(3, 21)), Some(ArchiveStatus::Pending));
/// assert!(file.is_payable_on(d(3, 22)));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct CaseFile {
    id: CaseId,
    /// Shared: the file is copied for every event it takes (so that a refused event changes
    /// nothing), and the household's facts change only by a corrected fact.
    #[cfg_attr(feature = "schema", schemars(with = "Household"))]
    #[serde(serialize_with = "shared_household")]
    household: std::sync::Arc<Household>,
    applicant: Actor,
    applied_on: NaiveDate,
    stage: Stage,
    last_date: NaiveDate,
    reviewers: Vec<PersonId>,
    proposal: Option<(HardshipCategory, ArchiveTier)>,
    notice: Option<NoticeWindow>,
    active_from: Option<NaiveDate>,
    closure: Option<Closure>,
    recovery: Option<RecoveryOrder>,
    last_review: Option<NaiveDate>,
    paper_updated: Option<NaiveDate>,
    electronic_updated: Option<NaiveDate>,
    status_changes: Vec<(NaiveDate, ArchiveStatus)>,
    history: Vec<CaseEvent>,
}

/// A shared household written as the household.
fn shared_household<S: serde::Serializer>(
    household: &std::sync::Arc<Household>,
    s: S,
) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(household.as_ref(), s)
}

fn note_ok(is_other: bool, note: &Option<String>) -> Result<(), EligibilityError> {
    if is_other && note.as_deref().is_none_or(|n| n.trim().is_empty()) {
        Err(EligibilityError::NoteRequired)
    } else {
        Ok(())
    }
}

impl CaseFile {
    /// Opens a file on an application (申请).
    ///
    /// # Errors
    /// [`EligibilityError::RoleNotAllowed`] unless the actor is the applicant; the
    /// household's own validation errors ([`Household::validate`]).
    pub fn open(
        id: CaseId,
        household: Household,
        date: NaiveDate,
        by: Actor,
    ) -> Result<CaseFile, EligibilityError> {
        if by.role != Role::Applicant {
            return Err(EligibilityError::RoleNotAllowed {
                event: EventKind::Apply,
                role: by.role,
            });
        }
        household.validate(date)?;
        Ok(CaseFile {
            id,
            household: std::sync::Arc::new(household),
            applicant: by,
            applied_on: date,
            stage: Stage::Applied,
            last_date: date,
            reviewers: Vec::new(),
            proposal: None,
            notice: None,
            active_from: None,
            closure: None,
            recovery: None,
            last_review: None,
            paper_updated: None,
            electronic_updated: None,
            status_changes: vec![(date, ArchiveStatus::Pending)],
            history: Vec::new(),
        })
    }

    /// Offers an event. On success the file moves; on error it is exactly as before.
    ///
    /// # Errors
    /// In this order: [`EligibilityError::WrongStage`], [`EligibilityError::RoleNotAllowed`],
    /// [`EligibilityError::DateOutOfOrder`], then the event's own checks (notice windows,
    /// separation of duties, notes, eligibility, parameters in force).
    pub fn apply(
        &mut self,
        event: CaseEvent,
        policy: &EligibilityPolicy,
        calendar: &WorkingCalendar,
    ) -> Result<(), EligibilityError> {
        let next = self.next(event, policy, calendar)?;
        *self = next;
        Ok(())
    }

    /// The file as it would be after `event`, leaving `self` untouched.
    ///
    /// # Errors
    /// As [`CaseFile::apply`].
    pub fn next(
        &self,
        event: CaseEvent,
        policy: &EligibilityPolicy,
        calendar: &WorkingCalendar,
    ) -> Result<CaseFile, EligibilityError> {
        let kind = self.admit(&event)?;
        let mut f = self.clone();
        f.last_date = event.date();
        f.advance(&event, kind, policy, calendar)?;
        // Exactly one more: the copy's history has no room, and a push would double it (a
        // file of seven events kept room for twelve).
        f.history.reserve_exact(1);
        f.history.push(event);
        Ok(f)
    }

    /// Checks that `event` may happen now: its stage, then its actor's role, then its date.
    fn admit(&self, event: &CaseEvent) -> Result<EventKind, EligibilityError> {
        let kind = event.kind();
        let roles = allowed_roles(kind, self.stage);
        if roles.is_empty() {
            return Err(self.wrong_stage(kind));
        }
        let by = event.actor();
        if !roles.contains(&by.role) {
            return Err(EligibilityError::RoleNotAllowed {
                event: kind,
                role: by.role,
            });
        }
        let date = event.date();
        if date < self.last_date {
            return Err(EligibilityError::DateOutOfOrder {
                date,
                earliest: self.last_date,
            });
        }
        Ok(kind)
    }

    /// The error for an event of `kind` offered at the file's present stage.
    fn wrong_stage(&self, kind: EventKind) -> EligibilityError {
        EligibilityError::WrongStage {
            event: kind,
            stage: self.stage,
        }
    }

    /// Moves the file by an admitted `event` of `kind` (an error may leave it half-moved).
    fn advance(
        &mut self,
        event: &CaseEvent,
        kind: EventKind,
        policy: &EligibilityPolicy,
        calendar: &WorkingCalendar,
    ) -> Result<(), EligibilityError> {
        match event {
            CaseEvent::PassReview { by, date } => self.pass_review(by, *date, policy)?,
            CaseEvent::RejectAtReview { date, .. } => {
                self.stage = Stage::Rejected;
                self.status_changes.push((*date, ArchiveStatus::Rejected));
            }
            CaseEvent::StartNotice { date, .. } | CaseEvent::StartReNotice { date, .. } => {
                self.start_notice(kind, *date, policy, calendar)?;
            }
            CaseEvent::Object { date, outcome, .. } => self.object(kind, *date, outcome)?,
            CaseEvent::CloseNotice { date, .. } | CaseEvent::Activate { date, .. } => {
                self.end_notice(kind, *date)?;
            }
            CaseEvent::File { .. } => self.stage = Stage::Filed,
            CaseEvent::Approve { by, .. } => {
                if self.reviewers.contains(&by.person) {
                    return Err(EligibilityError::SeparationOfDuties {
                        person: by.person.clone(),
                    });
                }
                self.stage = Stage::Approved;
            }
            CaseEvent::Exit {
                date,
                effective,
                reason,
                note,
                ..
            } => {
                note_ok(*reason == ExitReason::Other, note)?;
                self.close(
                    Stage::Exited,
                    format!("exit.{reason}"),
                    note,
                    *effective,
                    *date,
                )?;
            }
            CaseEvent::Cancel {
                date,
                effective,
                reason,
                note,
                ..
            } => {
                note_ok(*reason == CancelReason::Other, note)?;
                self.close(
                    Stage::Cancelled,
                    format!("cancel.{reason}"),
                    note,
                    *effective,
                    *date,
                )?;
            }
            CaseEvent::Withdraw {
                date,
                effective,
                reason,
                note,
                paid,
                ..
            } => self.withdraw(*date, *effective, *reason, note, *paid)?,
            CaseEvent::Review { date, .. } => self.last_review = Some(*date),
            CaseEvent::RecordUpdated { date, record, .. } => match record {
                RecordKind::Paper => self.paper_updated = Some(*date),
                RecordKind::Electronic => self.electronic_updated = Some(*date),
            },
            CaseEvent::UpdateFacts {
                date, household, ..
            } => self.update_facts(*date, household)?,
            CaseEvent::RecoveryCollected { date, .. } => {
                let stage = self.wrong_stage(kind);
                match self.recovery.as_mut() {
                    Some(r) if r.collected.is_none() => r.collected = Some(*date),
                    _ => return Err(stage),
                }
            }
        }
        Ok(())
    }

    /// 审核通过: the household must be eligible on `date`; records the proposal and reviewer.
    fn pass_review(
        &mut self,
        by: &Actor,
        date: NaiveDate,
        policy: &EligibilityPolicy,
    ) -> Result<(), EligibilityError> {
        // Only the outcome is read: no explanation is built.
        let decision = assess_with(policy, &self.household, date, Detail::Outcome)?;
        match decision.outcome {
            Outcome::Eligible { category, tier } => self.proposal = Some((category, tier)),
            _ => return Err(EligibilityError::NotEligible),
        }
        if !self.reviewers.contains(&by.person) {
            self.reviewers.push(by.person.clone());
        }
        self.stage = Stage::Reviewed;
        Ok(())
    }

    /// Opens a notice (公示) or re-notice window of the policy's working days from `date`.
    fn start_notice(
        &mut self,
        kind: EventKind,
        date: NaiveDate,
        policy: &EligibilityPolicy,
        calendar: &WorkingCalendar,
    ) -> Result<(), EligibilityError> {
        let days = policy
            .notice_working_days
            .at("eligibility.notice_working_days", date)?;
        let until = calendar.add_working_days(date, days.value)?;
        self.notice = Some(NoticeWindow { from: date, until });
        self.stage = if kind == EventKind::StartNotice {
            Stage::InNotice
        } else {
            Stage::InReNotice
        };
        Ok(())
    }

    /// An objection (异议) inside the open notice window: back to review, or rejected.
    fn object(
        &mut self,
        kind: EventKind,
        date: NaiveDate,
        outcome: &ObjectionOutcome,
    ) -> Result<(), EligibilityError> {
        let w = self.notice.ok_or(self.wrong_stage(kind))?;
        if date < w.from || date > w.until {
            return Err(EligibilityError::OutsideNotice {
                date,
                from: w.from,
                until: w.until,
            });
        }
        self.notice = None;
        match outcome {
            ObjectionOutcome::ReturnToReview => {
                self.stage = Stage::Applied;
                self.proposal = None;
            }
            ObjectionOutcome::Reject => {
                self.stage = Stage::Rejected;
                self.status_changes.push((date, ArchiveStatus::Rejected));
            }
        }
        Ok(())
    }

    /// Ends the notice window once it is over: the notice completes, the re-notice activates.
    fn end_notice(&mut self, kind: EventKind, date: NaiveDate) -> Result<(), EligibilityError> {
        let w = self.notice.ok_or(self.wrong_stage(kind))?;
        if date < w.until {
            return Err(EligibilityError::NoticeNotOver {
                date,
                until: w.until,
            });
        }
        self.notice = None;
        if kind == EventKind::CloseNotice {
            self.stage = Stage::NoticeCompleted;
        } else {
            self.stage = Stage::Active;
            self.active_from = Some(date);
            self.status_changes.push((date, ArchiveStatus::Active));
        }
        Ok(())
    }

    /// 撤档: closes the file as withdrawn and issues a recovery order for what was `paid`.
    fn withdraw(
        &mut self,
        date: NaiveDate,
        effective: NaiveDate,
        reason: WithdrawReason,
        note: &Option<String>,
        paid: Money,
    ) -> Result<(), EligibilityError> {
        note_ok(reason == WithdrawReason::Other, note)?;
        self.close(
            Stage::Withdrawn,
            format!("withdraw.{reason}"),
            note,
            effective,
            date,
        )?;
        self.recovery = Some(RecoveryOrder {
            case: self.id.clone(),
            household: self.household.id.clone(),
            amount: paid,
            reason,
            issued: date,
            collected: None,
        });
        Ok(())
    }

    /// Replaces the household's facts with `household`'s (same household), valid on `date`.
    fn update_facts(
        &mut self,
        date: NaiveDate,
        household: &Household,
    ) -> Result<(), EligibilityError> {
        if household.id != self.household.id {
            return Err(EligibilityError::HouseholdMismatch {
                expected: self.household.id.clone(),
                given: household.id.clone(),
            });
        }
        household.validate(date)?;
        self.household = std::sync::Arc::new(household.clone());
        Ok(())
    }

    fn close(
        &mut self,
        stage: Stage,
        reason: String,
        note: &Option<String>,
        effective: NaiveDate,
        recorded: NaiveDate,
    ) -> Result<(), EligibilityError> {
        let active_from = self.active_from.unwrap_or(self.applied_on);
        if effective < active_from {
            return Err(EligibilityError::DateOutOfOrder {
                date: effective,
                earliest: active_from,
            });
        }
        self.stage = stage;
        self.closure = Some(Closure {
            status: stage.status(),
            reason,
            note: note.clone(),
            effective,
            recorded,
        });
        self.status_changes.push((effective, stage.status()));
        Ok(())
    }

    /// Replays events onto a freshly opened file: how a stored history is loaded.
    ///
    /// # Errors
    /// The first refused event's error.
    pub fn replay(
        id: CaseId,
        household: Household,
        date: NaiveDate,
        by: Actor,
        events: impl IntoIterator<Item = CaseEvent>,
        policy: &EligibilityPolicy,
        calendar: &WorkingCalendar,
    ) -> Result<CaseFile, EligibilityError> {
        let mut f = CaseFile::open(id, household, date, by)?;
        for e in events {
            f.apply(e, policy, calendar)?;
        }
        Ok(f)
    }

    /// The case id.
    pub fn id(&self) -> &CaseId {
        &self.id
    }

    /// The household's current facts.
    pub fn household(&self) -> &Household {
        &self.household
    }

    /// The applicant.
    pub fn applicant(&self) -> &Actor {
        &self.applicant
    }

    /// The application date.
    pub fn applied_on(&self) -> NaiveDate {
        self.applied_on
    }

    /// The current stage.
    pub fn stage(&self) -> Stage {
        self.stage
    }

    /// The proposed category and tier from the last passed review.
    pub fn proposal(&self) -> Option<(HardshipCategory, ArchiveTier)> {
        self.proposal
    }

    /// The open notice window, if one is running.
    pub fn notice(&self) -> Option<NoticeWindow> {
        self.notice
    }

    /// The date the file became active.
    pub fn active_from(&self) -> Option<NaiveDate> {
        self.active_from
    }

    /// How it was closed.
    pub fn closure(&self) -> Option<&Closure> {
        self.closure.as_ref()
    }

    /// The recovery order of a withdrawn file.
    pub fn recovery_order(&self) -> Option<&RecoveryOrder> {
        self.recovery.as_ref()
    }

    /// The last review date.
    pub fn last_review(&self) -> Option<NaiveDate> {
        self.last_review
    }

    /// When the paper and the electronic record were last updated.
    pub fn record_dates(&self) -> (Option<NaiveDate>, Option<NaiveDate>) {
        (self.paper_updated, self.electronic_updated)
    }

    /// The accepted events, in order.
    pub fn history(&self) -> &[CaseEvent] {
        &self.history
    }

    /// The persons who passed a preliminary review of this file.
    pub fn reviewers(&self) -> &[PersonId] {
        &self.reviewers
    }

    /// The status on `date`; `None` before the application.
    pub fn status_on(&self, date: NaiveDate) -> Option<ArchiveStatus> {
        self.status_changes
            .iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .map(|(_, s)| *s)
    }

    /// The dated status history, strictly increasing by date: each status from the day it
    /// starts (when two start on one day, the later one is kept). This is what an aid
    /// calculator needs to answer "payable on D?".
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{ArchiveStatus, PersonId};
    /// use bangfu_eligibility::{Actor, CaseFile, Household, Role};
    /// let d = chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
    /// let f = CaseFile::open("HK-0001/1".parse()?, Household::example()?, d, Actor::new(PersonId::new("w")?, Role::Applicant))?;
    /// assert_eq!(f.status_history(), vec![(d, ArchiveStatus::Pending)]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn status_history(&self) -> Vec<(NaiveDate, ArchiveStatus)> {
        let mut out: Vec<(NaiveDate, ArchiveStatus)> = Vec::new();
        for &(date, status) in &self.status_changes {
            match out.last_mut() {
                Some(last) if last.0 == date => last.1 = status,
                _ => out.push((date, status)),
            }
        }
        out
    }

    /// Whether aid may be paid on `date` (only an active file is payable).
    pub fn is_payable_on(&self, date: NaiveDate) -> bool {
        self.status_on(date).is_some_and(ArchiveStatus::is_payable)
    }

    /// Whether the file's fields agree with its stage: the invariants every accepted event
    /// keeps (checked by the property tests).
    pub fn is_consistent(&self) -> bool {
        let s = self.stage;
        let notice_ok = matches!(s, Stage::InNotice | Stage::InReNotice) == self.notice.is_some();
        let closed = matches!(s, Stage::Exited | Stage::Cancelled | Stage::Withdrawn);
        let closure_ok = closed == self.closure.is_some();
        let active_ok = match s {
            Stage::Active | Stage::Exited | Stage::Cancelled | Stage::Withdrawn => {
                self.active_from.is_some()
            }
            _ => self.active_from.is_none(),
        };
        let proposal_ok = match s {
            Stage::Applied => self.proposal.is_none(),
            Stage::Rejected => true,
            _ => self.proposal.is_some() && !self.reviewers.is_empty(),
        };
        let recovery_ok = self.recovery.is_none() || s == Stage::Withdrawn;
        let sorted = self
            .status_changes
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.0 <= b.0));
        let last_status = self.status_changes.last().map(|(_, st)| *st) == Some(s.status());
        notice_ok && closure_ok && active_ok && proposal_ok && recovery_ok && sorted && last_status
    }
}
