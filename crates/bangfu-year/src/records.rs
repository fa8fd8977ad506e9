//! The records of a programme year as a union keeps them (记录): filed households, refused
//! applicants, claims and home visits, one JSON object per line in the year directory.

use bangfu_aid::{AidError, ClaimId, DegreeCode, FileFacts, SevereFlags, StatusEvent, Student};
use bangfu_core::{
    AidCategory, ArchiveStatus, ArchiveTier, CaseId, HouseholdId, Money, NaiveDate, PersonId,
    UnitId,
};
use bangfu_eligibility::{
    Actor, CaseEvent, FilingActors, HardshipCategory, HealthCondition, Household, Role,
    WithdrawReason,
};

/// A filed household: its case, when it applied, the category and tier it is filed in, its
/// facts, and for a withdrawn file the withdrawal.
///
/// # Example
/// ```
/// let records = bangfu_data::hainan2018::households()?;
/// assert_eq!(records.iter().filter(|r| r.withdrawal.is_none()).count(), 966);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HouseholdRecord {
    /// The case file.
    pub case: CaseId,
    /// The application date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub applied: NaiveDate,
    /// The archive tier filed in.
    pub tier: ArchiveTier,
    /// The hardship category filed in.
    pub category: HardshipCategory,
    /// The household's facts.
    pub household: Household,
    /// For a withdrawn file (退档): when and why, and what must be recovered.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<Withdrawal>,
    /// How the file went through the procedure: the seven standard steps from `applied`
    /// (the default), or only opened on `applied`, its steps recorded one by one in
    /// `case-events.jsonl` with their actors and dates.
    #[serde(default, skip_serializing_if = "Procedure::is_standard")]
    pub procedure: Procedure,
}

bangfu_core::coded_enum! {
    /// How a filed household's procedure is given (建档程序).
    ///
    /// ```
    /// use bangfu_year::records::Procedure;
    /// assert_eq!(Procedure::from_code("recorded"), Some(Procedure::Recorded));
    /// assert!(Procedure::default().is_standard());
    /// ```
    #[derive(Default)]
    pub enum Procedure {
        /// The seven steps, each on the next working day (notices for their full period),
        /// by the unit's officers.
        #[default]
        Standard = ("standard", "标准程序", "standard procedure"),
        /// Opened on the application date; every later step is a recorded case event.
        Recorded = ("recorded", "逐步记录", "recorded step by step"),
    }
}

impl Procedure {
    /// Whether this is the standard procedure.
    pub fn is_standard(&self) -> bool {
        *self == Procedure::Standard
    }
}

impl HouseholdRecord {
    /// The household id.
    pub fn id(&self) -> &HouseholdId {
        &self.household.id
    }

    /// The union unit that filed the household.
    pub fn unit(&self) -> &UnitId {
        &self.household.worker.union_unit
    }

    /// Whether the worker or a member has a mental illness, a physical disability or a
    /// major illness (困难程度重).
    pub fn severe(&self) -> bool {
        [
            HealthCondition::MentalIllness,
            HealthCondition::PhysicalDisability,
            HealthCondition::MajorIllness,
        ]
        .into_iter()
        .any(|c| self.household.anyone_has(c))
    }

    /// The people who move the file when a directory does not name them: the worker as
    /// applicant, and the officers of the filing unit's grassroots union (`<unit>-officer`),
    /// its industrial union (`<unit>-union`) and the aid center (`aid-center-officer`).
    ///
    /// # Errors
    /// `core.id.invalid` when the unit id makes an invalid person id.
    ///
    /// ```
    /// let r = &bangfu_data::hainan2018::households()?[0];
    /// assert!(r.actors()?.grassroots.person.as_str().ends_with("-officer"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn actors(&self) -> Result<FilingActors, bangfu_core::CoreError> {
        let who = |p: String, role| -> Result<Actor, bangfu_core::CoreError> {
            Ok(Actor::new(PersonId::new(p)?, role))
        };
        let unit = self.unit();
        Ok(FilingActors {
            applicant: Actor::new(self.household.worker.person.id.clone(), Role::Applicant),
            grassroots: who(format!("{unit}-officer"), Role::GrassrootsUnion)?,
            industrial: who(format!("{unit}-union"), Role::IndustrialUnion)?,
            aid_center: who("aid-center-officer".to_owned(), Role::AidCenter)?,
        })
    }

    /// The facts the aid calculators need ([`file_facts`]): the file's status on
    /// the date, or its status events.
    ///
    /// # Errors
    /// As [`file_facts`].
    pub fn file_facts(
        &self,
        status: Option<ArchiveStatus>,
        status_events: Vec<bangfu_aid::StatusEvent>,
    ) -> Result<FileFacts, AidError> {
        let mut facts = file_facts(
            self.case.clone(),
            &self.household,
            self.category,
            self.tier,
            status_events,
        )?;
        facts.status = status;
        Ok(facts)
    }
}

/// A withdrawal (退档) of a file found ineligible.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// When recorded.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// From when.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub effective: NaiveDate,
    /// Why.
    pub reason: WithdrawReason,
    /// The note.
    pub note: String,
    /// What was paid to the household and must be recovered.
    pub paid: Money,
}

impl Withdrawal {
    /// The case-file event that records this withdrawal, taken by `by` (the aid center).
    ///
    /// # Example
    /// ```
    /// let registry = bangfu_data::hainan2018::households()?;
    /// let w = registry.iter().find_map(|r| r.withdrawal.as_ref()).unwrap();
    /// let by = bangfu_eligibility::Actor::new("center".parse()?, bangfu_eligibility::Role::AidCenter);
    /// assert!(matches!(w.event(by), bangfu_eligibility::CaseEvent::Withdraw { .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn event(&self, by: bangfu_eligibility::Actor) -> bangfu_eligibility::CaseEvent {
        bangfu_eligibility::CaseEvent::Withdraw {
            by,
            date: self.date,
            effective: self.effective,
            reason: self.reason,
            note: Some(self.note.clone()),
            paid: self.paid,
        }
    }
}

/// An applicant refused at preliminary review because an exclusion applies.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ApplicantRecord {
    /// The case file opened by the application.
    pub case: CaseId,
    /// The application date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub applied: NaiveDate,
    /// The household's facts.
    pub household: Household,
    /// The exclusion that applies (its policy id).
    pub exclusion: String,
}

/// A claim (救助申请): what a payment carries out. Every payment the year path makes is the
/// order of a decided claim; a union's recorded payments link to theirs by id.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    /// The claim id.
    pub id: ClaimId,
    /// The file.
    pub case: CaseId,
    /// The household.
    pub household: HouseholdId,
    /// The claim date (the payment date).
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// What is claimed.
    pub detail: ClaimDetail,
}

/// What a claim asks for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClaimDetail {
    /// Medical aid on an out-of-pocket cost (自付医疗费用).
    Medical {
        /// The member who incurred the cost (申请人): the yearly cap is counted per applicant
        /// or per household, as the policy's cap scope says.
        applicant: PersonId,
        /// The out-of-pocket cost.
        out_of_pocket: Money,
    },
    /// Education aid for a student (助学).
    Education {
        /// The student.
        student: PersonId,
    },
    /// Regular living aid (生活救助): the amount asked, or none for the standard amount.
    Living {
        /// The amount asked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requested: Option<Money>,
    },
    /// Sending warmth (送温暖): the amount asked, or none for the standard amount.
    SendingWarmth {
        /// The amount asked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        requested: Option<Money>,
    },
}

impl ClaimDetail {
    /// The aid category the claim is paid from.
    ///
    /// ```
    /// use bangfu_year::records::ClaimDetail;
    /// let c = ClaimDetail::SendingWarmth { requested: None };
    /// assert_eq!(c.category(), bangfu_core::AidCategory::Living);
    /// ```
    pub fn category(&self) -> AidCategory {
        match self {
            ClaimDetail::Medical { .. } => AidCategory::Medical,
            ClaimDetail::Education { .. } => AidCategory::Education,
            ClaimDetail::Living { .. } | ClaimDetail::SendingWarmth { .. } => AidCategory::Living,
        }
    }
}

/// One home visit of the survey (《困难职工入户走访登记表》).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct SurveyRecord {
    /// The household visited.
    pub household: HouseholdId,
    /// Its union unit.
    pub unit: UnitId,
    /// The visit date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// Whether the household said it was satisfied.
    pub satisfied: bool,
}

/// A case-file event as a record (档案变更记录): the case and the event, with its actor and
/// date (application, review, notice, objection, filing, approval, exit, cancellation,
/// withdrawal, a corrected fact). One JSON object per line of `case-events.jsonl`.
///
/// ```
/// let line = r#"{"case":"HK-0001/1","change":{"event":"exit","by":{"person":"center","role":"aid_center"},"date":"2018-09-03","effective":"2018-08-31","reason":"income_above_standard","note":null}}"#;
/// let r: bangfu_year::records::CaseEventRecord = serde_json::from_str(line)?;
/// assert_eq!(r.case.as_str(), "HK-0001/1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CaseEventRecord {
    /// The case file.
    pub case: CaseId,
    /// The event.
    pub change: CaseEvent,
}

impl CaseEventRecord {
    /// The event's date (the day it was recorded).
    ///
    /// ```
    /// # let line = r#"{"case":"HK-0001/1","change":{"event":"exit","by":{"person":"center","role":"aid_center"},"date":"2018-09-03","effective":"2018-08-31","reason":"income_above_standard","note":null}}"#;
    /// # let r: bangfu_year::records::CaseEventRecord = serde_json::from_str(line)?;
    /// assert_eq!(r.date().to_string(), "2018-09-03");
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn date(&self) -> NaiveDate {
        self.change.date()
    }
}

/// The aid crate's facts about a file, from a household, the category and tier it was filed
/// under (an eligibility decision) and the file's status events: the degree is the
/// category's code, the severe flags come from the members' health, the students from their
/// schooling.
///
/// # Errors
/// [`AidError::Core`] only if a category code were not a valid degree id.
///
/// # Example
/// ```
/// use bangfu_core::{ArchiveStatus, ArchiveTier, CaseId, NaiveDate};
/// use bangfu_eligibility::{HardshipCategory, Household};
/// let h = Household::example()?;
/// let events = vec![bangfu_aid::StatusEvent { date: NaiveDate::from_ymd_opt(2018, 3, 1).unwrap(), status: ArchiveStatus::Active }];
/// let f = bangfu_year::jsonl::file_facts(CaseId::new("HK-0001/1")?, &h, HardshipCategory::NearSubsistence, ArchiveTier::National, events)?;
/// assert_eq!((f.degree.as_str(), f.household_size, f.severe.major_illness), ("near_subsistence", 3, true));
/// assert_eq!(f.students.len(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn file_facts(
    case: CaseId,
    household: &Household,
    category: HardshipCategory,
    tier: ArchiveTier,
    status_events: Vec<StatusEvent>,
) -> Result<FileFacts, AidError> {
    Ok(FileFacts {
        case,
        household: household.id.clone(),
        tier,
        degree: DegreeCode::new(category.code())?,
        severe: SevereFlags {
            mental_illness: household.anyone_has(HealthCondition::MentalIllness),
            physical_disability: household.anyone_has(HealthCondition::PhysicalDisability),
            major_illness: household.anyone_has(HealthCondition::MajorIllness),
        },
        household_size: household.size(),
        status: None,
        status_events,
        students: household
            .students()
            .map(|(person, stage)| Student {
                person: person.clone(),
                stage,
            })
            .collect(),
        // The household's city, whose minimum living standard the living cap reads.
        city: household.city.clone(),
    })
}
