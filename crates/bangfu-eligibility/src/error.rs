//! The crate's error type, its stable codes and its zh/en labels.

use bangfu_core::{CaseId, CoreError, HouseholdId};
use chrono::NaiveDate;

use crate::case::{EventKind, Role, Stage};
use crate::id_number::IdProblem;

/// An error of the eligibility crate: bad household input, a bad policy file, or an event the
/// case file refuses. A refused event leaves the file exactly as it was.
///
/// "Not eligible" is never an error: it is a [`Decision`](crate::Decision).
///
/// Every variant has a stable [`code`](bangfu_core::Coded::code) (pinned by a table test) and
/// zh/en labels.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, Labelled};
/// use bangfu_eligibility::IdNumber;
/// let err = IdNumber::parse("110101199003071234").unwrap_err();
/// assert_eq!(err.code(), "eligibility.invalid_id_number");
/// assert_eq!(err.en(), "invalid national ID number");
/// // The message never shows the whole number.
/// assert!(!err.to_string().contains("110101199003071234"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EligibilityError {
    /// A national ID number that fails GB 11643 (length, characters, birth date, check digit).
    #[error("invalid national ID number {masked}: {problem:?}")]
    InvalidIdNumber {
        /// The input, masked.
        masked: String,
        /// What is wrong with it.
        problem: IdProblem,
    },
    /// The birth date recorded for a person differs from the one in their ID number.
    #[error("birth date {recorded} of {person} differs from the ID number's {embedded}")]
    IdBirthMismatch {
        /// The person.
        person: bangfu_core::PersonId,
        /// The recorded birth date.
        recorded: NaiveDate,
        /// The birth date in the ID number.
        embedded: NaiveDate,
    },
    /// A person born after the application date.
    #[error("birth date {birth} of {person} is after the application date {application}")]
    BirthAfterApplication {
        /// The person.
        person: bangfu_core::PersonId,
        /// The birth date.
        birth: NaiveDate,
        /// The application date.
        application: NaiveDate,
    },
    /// A negative income or expenditure amount.
    #[error("negative amount {value} in {field}")]
    NegativeIncome {
        /// Which field.
        field: String,
        /// The value given.
        value: String,
    },
    /// The same ID number twice in one household.
    #[error("the same ID number appears twice in household {household}")]
    DuplicatePerson {
        /// The household.
        household: HouseholdId,
    },
    /// A code that names no known value of a closed enumeration.
    #[error("unknown {kind} code {value:?}{}", line_suffix(*.line))]
    UnknownCode {
        /// Which enumeration.
        kind: CodeKind,
        /// What was given.
        value: String,
        /// The line in the source text, when parsed from text.
        line: Option<usize>,
    },
    /// Policy or record text that could not be read, with its line and the code of its
    /// typed problem (see [`bangfu_core::read`]).
    #[error(transparent)]
    Read(bangfu_core::read::ReadError),
    /// A policy that parses but is inconsistent (duplicate ids, empty labels, an exemption on
    /// a fact it cannot apply to, no bands).
    #[error("invalid eligibility policy: {0}")]
    InvalidPolicy(String),
    /// A parameter look-up or arithmetic failure from the core crate.
    #[error(transparent)]
    Core(#[from] CoreError),
    /// An event that is not allowed in the file's current stage.
    #[error("{event:?} is not allowed in stage {stage:?}")]
    WrongStage {
        /// The event.
        event: EventKind,
        /// The stage the file is in.
        stage: Stage,
    },
    /// An actor whose role may not take this step.
    #[error("role {role:?} may not take {event:?}")]
    RoleNotAllowed {
        /// The event.
        event: EventKind,
        /// The actor's role.
        role: Role,
    },
    /// The person who did the preliminary review tried to approve (separation of duties).
    #[error("the preliminary reviewer {person} may not approve the same file")]
    SeparationOfDuties {
        /// The person.
        person: bangfu_core::PersonId,
    },
    /// Closing a public notice before its last day.
    #[error("the public notice runs until {until}; it cannot end on {date}")]
    NoticeNotOver {
        /// The attempted date.
        date: NaiveDate,
        /// The notice's last day.
        until: NaiveDate,
    },
    /// An objection dated outside the notice window.
    #[error("an objection on {date} is outside the notice {from}..={until}")]
    OutsideNotice {
        /// The objection's date.
        date: NaiveDate,
        /// The notice's first day.
        from: NaiveDate,
        /// The notice's last day.
        until: NaiveDate,
    },
    /// An event dated before the file's last event, or effective before the file was active.
    #[error("date {date} is before {earliest}")]
    DateOutOfOrder {
        /// The event's date.
        date: NaiveDate,
        /// The earliest date allowed.
        earliest: NaiveDate,
    },
    /// Reason "other" (其他) without a note.
    #[error("reason \"other\" needs a note")]
    NoteRequired,
    /// A preliminary review that passes a household the decision found not eligible.
    #[error("the decision does not find the household eligible")]
    NotEligible,
    /// A household that already has an open (pending or active) file.
    #[error("household {household} already has open file {case}")]
    HouseholdHasOpenFile {
        /// The household.
        household: HouseholdId,
        /// Its open file.
        case: CaseId,
    },
    /// A person (by ID number) already in another open file.
    #[error("person {masked} is already in open file {case}")]
    PersonInOtherFile {
        /// The ID number, masked.
        masked: String,
        /// The other file.
        case: CaseId,
    },
    /// A case id already used.
    #[error("case {0} already exists")]
    DuplicateCase(CaseId),
    /// A case id the registry does not hold.
    #[error("unknown case {0}")]
    UnknownCase(CaseId),
    /// A file asked to be purged (销毁) or listed for purging that is not closed (结案).
    #[error("file {0} is not closed: only closed files leave the archive")]
    FileNotClosed(CaseId),
    /// A closed file whose retention period (档案保管期限) has not run out on the date.
    #[error("file {case} is kept until {until} inclusive; it may not be purged on {date}")]
    RetentionNotOver {
        /// The file.
        case: CaseId,
        /// The last day it must be kept.
        until: NaiveDate,
        /// The date asked.
        date: NaiveDate,
    },
    /// The policy has no retention period in force on the date a file closed.
    #[error("the policy has no retention period in force on {closed}")]
    NoRetentionPeriod {
        /// The day the file closed.
        closed: NaiveDate,
    },
    /// An event for a household other than the file's.
    #[error("the facts are for household {given}, the file is for {expected}")]
    HouseholdMismatch {
        /// The file's household.
        expected: HouseholdId,
        /// The household given.
        given: HouseholdId,
    },
    /// A policy's ID mask (脱敏规则) that reveals ID numbers: it leaves fewer than
    /// [`IdMask::MIN_UNKNOWN_DIGITS`](crate::IdMask::MIN_UNKNOWN_DIGITS) digits unknown, as
    /// every mask showing 17 of the 18 characters does.
    #[error(
        "the ID mask from {from} (first {keep_first}, last {keep_last}) leaves {unknown_digits} digits of an ID number unknown; at least {} are needed",
        crate::IdMask::MIN_UNKNOWN_DIGITS
    )]
    RevealingIdMask {
        /// The first day of the mask's entry.
        from: NaiveDate,
        /// Characters it keeps at the start.
        keep_first: usize,
        /// Characters it keeps at the end.
        keep_last: usize,
        /// Digits it leaves unknown ([`IdMask::unknown_digits`](crate::IdMask::unknown_digits)).
        unknown_digits: usize,
    },
}

fn line_suffix(line: Option<usize>) -> String {
    line.map(|l| format!(" at line {l}")).unwrap_or_default()
}

bangfu_core::coded_enum! {
    /// Which closed enumeration an unknown code was meant for.
    pub enum CodeKind {
        /// Relation to the worker (与职工关系).
        Relation = ("relation", "与职工关系", "relation"),
        /// School stage (就学阶段).
        SchoolStage = ("school_stage", "就学阶段", "school stage"),
        /// A fact kind an exclusion names (排除条件事实).
        FactKind = ("fact_kind", "排除条件事实", "fact kind"),
        /// A vehicle kind (车辆类型).
        VehicleKind = ("vehicle_kind", "车辆类型", "vehicle kind"),
    }
}

impl CodeKind {
    /// The error code for an unknown value of this kind, also the marker a deserializer
    /// puts in front of its message so [`parse_toml`](crate::parse_toml) can type it.
    pub const fn error_code(self) -> &'static str {
        match self {
            CodeKind::Relation => "eligibility.unknown_relation",
            CodeKind::SchoolStage => "eligibility.unknown_school_stage",
            CodeKind::FactKind => "eligibility.policy.unknown_fact_kind",
            CodeKind::VehicleKind => "eligibility.unknown_vehicle_kind",
        }
    }
}

/// Every error code with its zh and en labels, in a fixed order (pinned by a table test).
pub const ERROR_CODES: &[(&str, &str, &str)] = &[
    (
        "eligibility.invalid_id_number",
        "身份证号码无效",
        "invalid national ID number",
    ),
    (
        "eligibility.id_birth_mismatch",
        "出生日期与身份证号码不符",
        "birth date differs from the ID number",
    ),
    (
        "eligibility.birth_after_application",
        "出生日期晚于申请日期",
        "birth date after the application date",
    ),
    (
        "eligibility.negative_income",
        "收入或支出为负",
        "negative income or expenditure",
    ),
    (
        "eligibility.duplicate_person",
        "同一户内身份证号码重复",
        "same ID number twice in a household",
    ),
    (
        "eligibility.unknown_relation",
        "未知的与职工关系",
        "unknown relation",
    ),
    (
        "eligibility.unknown_school_stage",
        "未知的就学阶段",
        "unknown school stage",
    ),
    (
        "eligibility.policy.unknown_fact_kind",
        "政策文件中未知的排除条件",
        "unknown exclusion fact kind in the policy",
    ),
    (
        "eligibility.unknown_vehicle_kind",
        "未知的车辆类型",
        "unknown vehicle kind",
    ),
    (
        "eligibility.policy.invalid",
        "政策参数不一致",
        "inconsistent eligibility policy",
    ),
    (
        "eligibility.case.wrong_stage",
        "当前环节不允许该操作",
        "event not allowed in this stage",
    ),
    (
        "eligibility.case.role_not_allowed",
        "该角色无权办理此环节",
        "role may not take this step",
    ),
    (
        "eligibility.case.separation_of_duties",
        "初审人不得审批",
        "the preliminary reviewer may not approve",
    ),
    (
        "eligibility.case.notice_not_over",
        "公示期未满",
        "public notice not over",
    ),
    (
        "eligibility.case.outside_notice",
        "异议不在公示期内",
        "objection outside the notice period",
    ),
    (
        "eligibility.case.date_out_of_order",
        "日期早于前一事项",
        "date out of order",
    ),
    (
        "eligibility.case.note_required",
        "选择“其他”须填写说明",
        "reason \"other\" needs a note",
    ),
    (
        "eligibility.case.not_eligible",
        "认定结果为不符合条件",
        "the decision does not find the household eligible",
    ),
    (
        "eligibility.registry.household_has_open_file",
        "该户已有在办或在档档案",
        "household already has an open file",
    ),
    (
        "eligibility.registry.person_in_other_file",
        "人员已在其他在档档案中",
        "person already in another open file",
    ),
    (
        "eligibility.registry.duplicate_case",
        "档案编号重复",
        "case id already used",
    ),
    (
        "eligibility.registry.unknown_case",
        "档案不存在",
        "unknown case",
    ),
    (
        "eligibility.registry.household_mismatch",
        "家庭信息与档案不符",
        "facts are for another household",
    ),
    (
        "eligibility.retention.file_not_closed",
        "档案未结案，不得销毁",
        "file not closed",
    ),
    (
        "eligibility.retention.not_over",
        "档案未满保管期限，不得销毁",
        "retention period not over",
    ),
    (
        "eligibility.retention.no_period",
        "政策未规定结案时的档案保管期限",
        "no retention period in force",
    ),
    (
        "eligibility.policy.revealing_id_mask",
        "身份证号码脱敏规则会泄露号码",
        "the ID mask reveals the number",
    ),
];

impl bangfu_core::Coded for EligibilityError {
    fn code(&self) -> &'static str {
        match self {
            EligibilityError::InvalidIdNumber { .. } => "eligibility.invalid_id_number",
            EligibilityError::IdBirthMismatch { .. } => "eligibility.id_birth_mismatch",
            EligibilityError::BirthAfterApplication { .. } => "eligibility.birth_after_application",
            EligibilityError::NegativeIncome { .. } => "eligibility.negative_income",
            EligibilityError::DuplicatePerson { .. } => "eligibility.duplicate_person",
            EligibilityError::UnknownCode { kind, .. } => kind.error_code(),
            EligibilityError::Read(e) => bangfu_core::Coded::code(e),
            EligibilityError::InvalidPolicy(_) => "eligibility.policy.invalid",
            EligibilityError::Core(e) => bangfu_core::Coded::code(e),
            EligibilityError::WrongStage { .. } => "eligibility.case.wrong_stage",
            EligibilityError::RoleNotAllowed { .. } => "eligibility.case.role_not_allowed",
            EligibilityError::SeparationOfDuties { .. } => "eligibility.case.separation_of_duties",
            EligibilityError::NoticeNotOver { .. } => "eligibility.case.notice_not_over",
            EligibilityError::OutsideNotice { .. } => "eligibility.case.outside_notice",
            EligibilityError::DateOutOfOrder { .. } => "eligibility.case.date_out_of_order",
            EligibilityError::NoteRequired => "eligibility.case.note_required",
            EligibilityError::NotEligible => "eligibility.case.not_eligible",
            EligibilityError::HouseholdHasOpenFile { .. } => {
                "eligibility.registry.household_has_open_file"
            }
            EligibilityError::PersonInOtherFile { .. } => {
                "eligibility.registry.person_in_other_file"
            }
            EligibilityError::DuplicateCase(_) => "eligibility.registry.duplicate_case",
            EligibilityError::UnknownCase(_) => "eligibility.registry.unknown_case",
            EligibilityError::HouseholdMismatch { .. } => "eligibility.registry.household_mismatch",
            EligibilityError::FileNotClosed(_) => "eligibility.retention.file_not_closed",
            EligibilityError::RetentionNotOver { .. } => "eligibility.retention.not_over",
            EligibilityError::NoRetentionPeriod { .. } => "eligibility.retention.no_period",
            EligibilityError::RevealingIdMask { .. } => "eligibility.policy.revealing_id_mask",
        }
    }
}

impl EligibilityError {
    /// The 1-based line of the problem in the text it was read from, where there is one.
    ///
    /// # Example
    /// ```
    /// let err = bangfu_eligibility::parse_toml::<u32>("\n= 1").err().unwrap();
    /// assert_eq!(err.line(), Some(2));
    /// ```
    pub fn line(&self) -> Option<usize> {
        match self {
            EligibilityError::Read(e) => e.line(),
            EligibilityError::UnknownCode { line, .. } => *line,
            _ => None,
        }
    }
}

fn labels_of(code: &str) -> (&'static str, &'static str) {
    ERROR_CODES
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(("错误", "error"), |(_, zh, en)| (*zh, *en))
}

impl bangfu_core::Labelled for EligibilityError {
    fn zh(&self) -> &'static str {
        match self {
            EligibilityError::Core(e) => bangfu_core::Labelled::zh(e),
            EligibilityError::Read(e) => bangfu_core::Labelled::zh(e),
            other => labels_of(bangfu_core::Coded::code(other)).0,
        }
    }
    fn en(&self) -> &'static str {
        match self {
            EligibilityError::Core(e) => bangfu_core::Labelled::en(e),
            EligibilityError::Read(e) => bangfu_core::Labelled::en(e),
            other => labels_of(bangfu_core::Coded::code(other)).1,
        }
    }
}
