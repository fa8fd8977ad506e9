//! The records of a programme year as a union keeps them (记录): filed households, refused
//! applicants, claims and home visits, one JSON object per line in the year directory.

use bangfu_aid::{ClaimId, FileFacts};
use bangfu_core::{
    ArchiveStatus, ArchiveTier, CaseId, HouseholdId, Money, NaiveDate, PersonId, UnitId,
};
use bangfu_eligibility::{HardshipCategory, HealthCondition, Household, WithdrawReason};

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
#[serde(deny_unknown_fields)]
pub struct HouseholdRecord {
    /// The case file.
    pub case: CaseId,
    /// The application date.
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

    /// The facts the aid calculators need ([`crate::jsonl::file_facts`]): the file's status on
    /// the date, or its status events.
    ///
    /// # Errors
    /// As [`crate::jsonl::file_facts`].
    pub fn file_facts(
        &self,
        status: Option<ArchiveStatus>,
        status_events: Vec<bangfu_aid::StatusEvent>,
    ) -> Result<FileFacts, crate::jsonl::RequestError> {
        let mut facts = crate::jsonl::file_facts(
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
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// When recorded.
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// From when.
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
#[serde(deny_unknown_fields)]
pub struct ApplicantRecord {
    /// The case file opened by the application.
    pub case: CaseId,
    /// The application date.
    #[serde(with = "bangfu_core::iso_date")]
    pub applied: NaiveDate,
    /// The household's facts.
    pub household: Household,
    /// The exclusion that applies (its policy id).
    pub exclusion: String,
}

/// A claim behind a medical or education payment.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimRecord {
    /// The claim id.
    pub id: ClaimId,
    /// The file.
    pub case: CaseId,
    /// The household.
    pub household: HouseholdId,
    /// The claim date (the payment date).
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// What is claimed.
    pub detail: ClaimDetail,
}

/// What a claim asks for.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClaimDetail {
    /// Medical aid on an out-of-pocket cost (自付医疗费用).
    Medical {
        /// The out-of-pocket cost.
        out_of_pocket: Money,
    },
    /// Education aid for a student.
    Education {
        /// The student.
        student: PersonId,
    },
}

/// One home visit of the survey (《困难职工入户走访登记表》).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyRecord {
    /// The household visited.
    pub household: HouseholdId,
    /// Its union unit.
    pub unit: UnitId,
    /// The visit date.
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// Whether the household said it was satisfied.
    pub satisfied: bool,
}
