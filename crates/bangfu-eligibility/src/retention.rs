//! Archive retention (档案保管): a closed file (结案: 脱困, 注销 or 退档) is kept at least the
//! policy's number of years after it closes, nothing is purged before, and a listing says
//! which closed files may go as of a date the caller gives (the library reads no clock).

use bangfu_core::{ArchiveStatus, CaseId, CitationId, HouseholdId};
use chrono::{Months, NaiveDate};

use crate::EligibilityError;
use crate::case::CaseFile;
use crate::policy::EligibilityPolicy;

/// The last day a file closed on `closed` must be kept for `years` years (保管期限届满日).
///
/// The period is counted as Chinese law counts periods in years (民法典 arts. 201–202): the
/// day it closes is not counted, and the period ends on the corresponding day `years` later,
/// or on that month's last day when it has no such day. A file closed on 15 March 2018 and
/// kept 10 years is kept through 15 March 2028 and may go from 16 March 2028; one closed on
/// 29 February 2020 is kept through 28 February 2030.
///
/// # Example
/// ```
/// use bangfu_eligibility::kept_until;
/// let d = |y, m, day| chrono::NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// assert_eq!(kept_until(d(2018, 3, 15), 10), d(2028, 3, 15));
/// assert_eq!(kept_until(d(2020, 2, 29), 10), d(2030, 2, 28));
/// ```
pub fn kept_until(closed: NaiveDate, years: u32) -> NaiveDate {
    closed
        .checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

/// A closed file's retention (档案保管情况): when it closed, the period that applies and the
/// last day it must be kept.
///
/// # Example
/// See [`CaseFile::retention`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// The file.
    pub case: CaseId,
    /// Its household.
    pub household: HouseholdId,
    /// The status it closed to (脱困, 注销, 退档).
    pub status: ArchiveStatus,
    /// The day it closed: the later of the closure's effective and recorded dates, so that
    /// a closure recorded late is never kept for less than the period.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub closed: NaiveDate,
    /// The period in years, as in force on `closed`.
    pub years: u32,
    /// The period's citation.
    pub cite: CitationId,
    /// The last day the file must be kept; it may go the day after.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub kept_until: NaiveDate,
}

impl Retention {
    /// Whether the file may be purged (销毁) on `date`: its period is over.
    pub fn may_go_on(&self, date: NaiveDate) -> bool {
        date > self.kept_until
    }
}

impl CaseFile {
    /// The file's retention under `policy`: the day it closed, the period in force that day
    /// (`eligibility.retention_years`) and the last day it must be kept.
    ///
    /// # Errors
    /// [`EligibilityError::FileNotClosed`] for a pending or active file;
    /// [`EligibilityError::NoRetentionPeriod`] when the policy has no period in force on
    /// the day the file closed.
    ///
    /// # Example
    /// ```
    /// use bangfu_eligibility::{EligibilityPolicy, HAINAN_2018_POLICY_TOML};
    /// let p = EligibilityPolicy::hainan_2018()?;
    /// let years = p.retention_years.as_ref().unwrap().entries()[0].value;
    /// assert_eq!(years, 10);
    /// # Ok::<(), bangfu_eligibility::EligibilityError>(())
    /// ```
    pub fn retention(&self, policy: &EligibilityPolicy) -> Result<Retention, EligibilityError> {
        let closure = self
            .closure()
            .ok_or_else(|| EligibilityError::FileNotClosed(self.id().clone()))?;
        let closed = closure.effective.max(closure.recorded);
        let period = policy
            .retention_years
            .as_ref()
            .and_then(|t| t.at("eligibility.retention_years", closed).ok())
            .ok_or(EligibilityError::NoRetentionPeriod { closed })?;
        Ok(Retention {
            case: self.id().clone(),
            household: self.household().id.clone(),
            status: closure.status,
            closed,
            years: period.value,
            cite: period.cite.clone(),
            kept_until: kept_until(closed, period.value),
        })
    }
}
