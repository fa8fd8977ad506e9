//! What the calculators need to know about a file and a claim, as plain inputs.

use bangfu_core::{ArchiveStatus, ArchiveTier, CaseId, HouseholdId, Money, NaiveDate, PersonId};

use crate::{AidError, DegreeCode};

/// A claim id (申请编号), defined in `bangfu-core` so that a ledger payment can link to
/// its claim.
pub use bangfu_core::ClaimId;

/// The school stage (就学阶段), shared with the other crates through `bangfu-core`.
pub use bangfu_core::SchoolStage;

/// The severe-hardship flags of a household (困难程度重): the worker or a member has a
/// mental illness, a physical disability or a major illness.
///
/// # Example
/// ```
/// let flags = bangfu_aid::SevereFlags { major_illness: true, ..Default::default() };
/// assert!(flags.is_severe());
/// assert!(!bangfu_aid::SevereFlags::default().is_severe());
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SevereFlags {
    /// Mental illness (精神疾病).
    #[serde(default)]
    pub mental_illness: bool,
    /// Physical disability (肢体残疾).
    #[serde(default)]
    pub physical_disability: bool,
    /// Major illness (重大疾病).
    #[serde(default)]
    pub major_illness: bool,
}

impl SevereFlags {
    /// Whether any flag is set.
    pub const fn is_severe(self) -> bool {
        self.mental_illness || self.physical_disability || self.major_illness
    }
}

/// A change of the file's status on a date (状态变更).
///
/// # Example
/// ```
/// use bangfu_aid::StatusEvent;
/// use bangfu_core::ArchiveStatus;
/// let e: StatusEvent = serde_json::from_str(r#"{"date":"2018-03-01","status":"active"}"#)?;
/// assert_eq!(e.status, ArchiveStatus::Active);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StatusEvent {
    /// The day the status starts.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The status from that day.
    pub status: ArchiveStatus,
}

/// A member in school (在学成员), for education aid.
///
/// # Example
/// ```
/// let s: bangfu_aid::Student = serde_json::from_str(r#"{"person":"p1","stage":"undergraduate"}"#)?;
/// assert_eq!(s.stage, bangfu_aid::SchoolStage::Undergraduate);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Student {
    /// The member.
    pub person: PersonId,
    /// The school stage.
    pub stage: SchoolStage,
}

/// What the aid calculators need to know about a hardship file, as plain inputs (the
/// eligibility crate decides them; the facade fills this in).
///
/// The status on a date comes from `status_events` (the last event on or before the date)
/// or, without events, from `status` (the status on the date asked about). When both are
/// given they must agree.
///
/// # Example
/// ```
/// use bangfu_aid::FileFacts;
/// use bangfu_core::{ArchiveStatus, NaiveDate};
/// let file: FileFacts = serde_json::from_str(r#"{
///   "case": "HK-0001/1", "household": "HK-0001", "tier": "national",
///   "degree": "subsistence", "household_size": 3,
///   "status_events": [{"date": "2018-03-01", "status": "active"},
///                     {"date": "2018-10-01", "status": "exited"}]
/// }"#)?;
/// let d = |m| NaiveDate::from_ymd_opt(2018, m, 1).unwrap();
/// assert_eq!(file.status_on(d(6))?, ArchiveStatus::Active);
/// assert_eq!(file.status_on(d(11))?, ArchiveStatus::ExitedHardship);
/// assert!(file.status_on(d(1)).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FileFacts {
    /// The case file (档案).
    pub case: CaseId,
    /// The household (户).
    pub household: HouseholdId,
    /// The archive tier (档案层级).
    pub tier: ArchiveTier,
    /// The hardship degree (困难类别), one of the policy's degrees.
    pub degree: DegreeCode,
    /// The severe-hardship flags.
    #[serde(default)]
    pub severe: SevereFlags,
    /// The number of household members (家庭人口).
    pub household_size: u32,
    /// The status on the date asked about, when no events are given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ArchiveStatus>,
    /// The status changes, in strictly increasing date order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub status_events: Vec<StatusEvent>,
    /// Members in school.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub students: Vec<Student>,
    /// The city the household lives in (所在城市), whose minimum living standard the yearly
    /// living cap multiplies; absent means the policy's own city.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<bangfu_core::CityCode>,
}

impl FileFacts {
    /// A builder of a file's facts (档案事实), with no serde: the case, the household, the
    /// archive tier, the hardship degree and the household size, then optional parts. Ids
    /// are given as text (or as the id types) and checked by [`FileFactsBuilder::build`].
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{FileFacts, SchoolStage, SevereFlags};
    /// use bangfu_core::{ArchiveStatus, ArchiveTier, Coded, NaiveDate};
    /// let file = FileFacts::builder("HK-0001/1", "HK-0001", ArchiveTier::National, "subsistence", 3)
    ///     .status(ArchiveStatus::Active)
    ///     .severe(SevereFlags { major_illness: true, ..SevereFlags::default() })
    ///     .student("HK-0001-p2", SchoolStage::Undergraduate)
    ///     .build()?;
    /// assert_eq!(file.household.as_str(), "HK-0001");
    /// assert!(file.severe.is_severe());
    /// let day = NaiveDate::from_ymd_opt(2018, 5, 1).unwrap();
    /// assert_eq!(file.status_on(day)?, ArchiveStatus::Active);
    ///
    /// let bad = FileFacts::builder("HK 0001", "HK-0001", ArchiveTier::National, "subsistence", 3).build();
    /// assert_eq!(bad.unwrap_err().code(), "core.id.invalid");
    /// # Ok::<(), bangfu_aid::AidError>(())
    /// ```
    pub fn builder(
        case: impl Into<String>,
        household: impl Into<String>,
        tier: ArchiveTier,
        degree: impl Into<String>,
        household_size: u32,
    ) -> FileFactsBuilder {
        FileFactsBuilder {
            case: case.into(),
            household: household.into(),
            tier,
            degree: degree.into(),
            household_size,
            severe: SevereFlags::default(),
            status: None,
            status_events: Vec::new(),
            students: Vec::new(),
        }
    }

    /// Status events must be in strictly increasing date order.
    fn check_event_order(&self) -> Result<(), AidError> {
        let ordered = self
            .status_events
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.date < b.date));
        if ordered {
            Ok(())
        } else {
            Err(AidError::StatusEventsOrder)
        }
    }

    /// The file's status on `date`.
    ///
    /// # Errors
    /// [`AidError::StatusEventsOrder`], [`AidError::StatusConflict`],
    /// [`AidError::StatusMissing`].
    pub fn status_on(&self, date: NaiveDate) -> Result<ArchiveStatus, AidError> {
        self.check_event_order()?;
        let derived = self
            .status_events
            .iter()
            .rev()
            .find(|e| e.date <= date)
            .map(|e| e.status);
        match (self.status, derived) {
            (Some(given), Some(derived)) if given != derived => Err(AidError::StatusConflict {
                given,
                derived,
                date,
            }),
            (_, Some(s)) | (Some(s), None) => Ok(s),
            (None, None) => Err(AidError::StatusMissing { date }),
        }
    }

    /// Checks the file is payable on `date` ("先建档、后帮扶": only an active file).
    ///
    /// # Errors
    /// [`AidError::NotPayable`], or the errors of [`FileFacts::status_on`].
    ///
    /// # Example
    /// ```
    /// # use bangfu_aid::FileFacts;
    /// # use bangfu_core::{ArchiveStatus, Coded, NaiveDate};
    /// # let mut file: FileFacts = serde_json::from_str(r#"{"case":"c","household":"h","tier":"national","degree":"d","household_size":1,"status":"active"}"#)?;
    /// let day = NaiveDate::from_ymd_opt(2018, 5, 1).unwrap();
    /// assert!(file.check_payable(day).is_ok());
    /// file.status = Some(ArchiveStatus::Cancelled);
    /// assert_eq!(file.check_payable(day).unwrap_err().code(), "aid.file.not_payable");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn check_payable(&self, date: NaiveDate) -> Result<(), AidError> {
        let status = self.status_on(date)?;
        if status.is_payable() {
            Ok(())
        } else {
            Err(AidError::NotPayable { status, date })
        }
    }

    /// The school stage of a student member.
    pub(crate) fn stage_of(&self, student: &PersonId) -> Option<crate::SchoolStage> {
        self.students
            .iter()
            .find(|s| &s.person == student)
            .map(|s| s.stage)
    }
}

/// A builder of [`FileFacts`] (档案事实), from [`FileFacts::builder`].
///
/// # Example
/// ```
/// use bangfu_aid::FileFacts;
/// use bangfu_core::{ArchiveStatus, ArchiveTier, Coded, NaiveDate};
/// let d = |m| NaiveDate::from_ymd_opt(2018, m, 1).unwrap();
/// let file = FileFacts::builder("c/1", "h", ArchiveTier::Provincial, "deep", 2)
///     .status_event(d(3), ArchiveStatus::Active)
///     .status_event(d(10), ArchiveStatus::ExitedHardship)
///     .build()?;
/// assert_eq!(file.status_on(d(6))?, ArchiveStatus::Active);
/// let late_first = FileFacts::builder("c/1", "h", ArchiveTier::Provincial, "deep", 2)
///     .status_event(d(10), ArchiveStatus::ExitedHardship)
///     .status_event(d(3), ArchiveStatus::Active)
///     .build();
/// assert_eq!(late_first.unwrap_err().code(), "aid.file.status_events_order");
/// # Ok::<(), bangfu_aid::AidError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use = "a builder does nothing until `build` is called"]
pub struct FileFactsBuilder {
    case: String,
    household: String,
    tier: ArchiveTier,
    degree: String,
    household_size: u32,
    severe: SevereFlags,
    status: Option<ArchiveStatus>,
    status_events: Vec<StatusEvent>,
    students: Vec<(String, SchoolStage)>,
}

impl FileFactsBuilder {
    /// The status on the date asked about ([`FileFacts::status`]), when no events are given.
    pub fn status(mut self, status: ArchiveStatus) -> Self {
        self.status = Some(status);
        self
    }

    /// Adds a status change (状态变更); events go in strictly increasing date order.
    pub fn status_event(mut self, date: NaiveDate, status: ArchiveStatus) -> Self {
        self.status_events.push(StatusEvent { date, status });
        self
    }

    /// The severe-hardship flags (困难程度重).
    pub fn severe(mut self, severe: SevereFlags) -> Self {
        self.severe = severe;
        self
    }

    /// Adds a member in school (在学成员), by person id.
    pub fn student(mut self, person: impl Into<String>, stage: SchoolStage) -> Self {
        self.students.push((person.into(), stage));
        self
    }

    /// The file's facts.
    ///
    /// # Errors
    /// [`AidError::Core`] with [`CoreError::InvalidId`](bangfu_core::CoreError::InvalidId)
    /// (`core.id.invalid`) for a case, household, degree or person id that is not an id;
    /// [`AidError::ZeroHouseholdSize`]; [`AidError::StatusEventsOrder`]. Whether the degree
    /// is one of the policy's is checked by the calculator, which has the policy.
    pub fn build(self) -> Result<FileFacts, AidError> {
        if self.household_size == 0 {
            return Err(AidError::ZeroHouseholdSize);
        }
        let students = self
            .students
            .into_iter()
            .map(|(person, stage)| {
                Ok(Student {
                    person: PersonId::new(person)?,
                    stage,
                })
            })
            .collect::<Result<Vec<_>, AidError>>()?;
        let file = FileFacts {
            case: CaseId::new(self.case)?,
            household: HouseholdId::new(self.household)?,
            tier: self.tier,
            degree: DegreeCode::new(self.degree)?,
            severe: self.severe,
            household_size: self.household_size,
            status: self.status,
            status_events: self.status_events,
            students,
            city: None,
        };
        file.check_event_order()?;
        Ok(file)
    }
}

/// A medical claim (医疗救助申请): the out-of-pocket cost of one application.
///
/// # Example
/// ```
/// use bangfu_aid::MedicalClaim;
/// use bangfu_core::{Money, NaiveDate};
/// let c = MedicalClaim { date: NaiveDate::from_ymd_opt(2018, 3, 1).unwrap(), out_of_pocket: Money::from_yuan(100)? };
/// assert_eq!(c.out_of_pocket.to_string(), "100.00");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MedicalClaim {
    /// The claim date; its calendar year is the cap year.
    pub date: NaiveDate,
    /// The out-of-pocket cost (自付费用) of this claim.
    pub out_of_pocket: Money,
}

/// What came before a claim in the same calendar year and cap scope (本年度累计).
///
/// # Example
/// ```
/// let ytd = bangfu_aid::YearToDate::default();
/// assert!(ytd.cost.is_zero() && ytd.paid.is_zero());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct YearToDate {
    /// The out-of-pocket cost of earlier claims.
    pub cost: Money,
    /// The aid already paid.
    pub paid: Money,
}

/// A claim for an amount (living aid, sending warmth): the amount asked, or none for the
/// policy's standard amount.
///
/// # Example
/// ```
/// use bangfu_aid::AmountClaim;
/// let c = AmountClaim { date: bangfu_core::NaiveDate::from_ymd_opt(2018, 1, 20).unwrap(), requested: None };
/// assert!(c.requested.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmountClaim {
    /// The claim date.
    pub date: NaiveDate,
    /// The amount asked (申请金额).
    pub requested: Option<Money>,
}
