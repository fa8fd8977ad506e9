//! The registry of case files: one open file per household, no person in two open files.

use std::collections::{BTreeMap, HashMap};

use bangfu_core::{ArchiveStatus, CaseId, HouseholdId, WorkingCalendar};
use chrono::NaiveDate;

use crate::EligibilityError;
use crate::case::{Actor, CaseEvent, CaseFile, Role};
use crate::household::Household;
use crate::id_number::IdNumber;
use crate::policy::EligibilityPolicy;

/// All case files of a programme (档案库), every episode kept.
///
/// A file is *open* while pending or active. A household has at most one open file; a
/// person (by national ID number) is in at most one open file. A household that falls back
/// into hardship after its file closed opens a new episode with a new [`CaseId`]; the old
/// file stays, unchanged.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, PersonId};
/// use bangfu_eligibility::{Actor, Household, Registry, Role};
/// let d = chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
/// let applicant = Actor::new(PersonId::new("w")?, Role::Applicant);
/// let mut reg = Registry::default();
/// reg.open("HK-0001/1".parse()?, Household::example()?, d, applicant.clone())?;
/// let again = reg.open("HK-0001/2".parse()?, Household::example()?, d, applicant);
/// assert_eq!(again.unwrap_err().code(), "eligibility.registry.household_has_open_file");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Registry {
    /// The files by case id: hashed, as a look-up of a file is on the path of every payment
    /// (a `BTreeMap` compared the ids' text a dozen times a look-up); read and written in id
    /// order ([`Registry::files`], the JSON).
    #[serde(serialize_with = "in_id_order")]
    files: HashMap<CaseId, CaseFile>,
    /// Derived from `files`: each household's files in application order, with their dated
    /// status, so that a look-up by household does not scan the registry (a national year
    /// holds millions of files) and "payable on D?" reads no file.
    #[serde(skip)]
    by_household: HashMap<HouseholdId, Vec<Episode>>,
    /// Derived from `files`: the open file each person (by ID number) is in.
    #[serde(skip)]
    open_persons: HashMap<IdNumber, CaseId>,
}

/// The files as a JSON map in case-id order.
fn in_id_order<S: serde::Serializer>(
    files: &HashMap<CaseId, CaseFile>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serde::Serialize::serialize(&files.iter().collect::<BTreeMap<_, _>>(), serializer)
}

/// One file of a household in the registry's index: its id, application day and dated
/// status history (as [`CaseFile::status_history`] gives it).
#[derive(Debug, Clone)]
struct Episode {
    case: CaseId,
    applied: NaiveDate,
    status: Vec<(NaiveDate, ArchiveStatus)>,
}

impl Episode {
    /// The status in force on `date` (the last change on or before it).
    fn status_on(&self, date: NaiveDate) -> Option<ArchiveStatus> {
        self.status
            .iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .map(|(_, s)| *s)
    }
}

impl PartialEq for Registry {
    fn eq(&self, other: &Registry) -> bool {
        self.files == other.files
    }
}

impl Eq for Registry {}

impl Registry {
    /// Brings the derived indexes up to date after `case` changed from `before` (none when
    /// it was just opened).
    fn index(&mut self, case: &CaseId, before: Option<&CaseFile>) {
        if let Some(old) = before {
            if old.stage().is_open() {
                for p in old.household().persons() {
                    if self.open_persons.get(&p.id_number) == Some(case) {
                        self.open_persons.remove(&p.id_number);
                    }
                }
            }
            if let Some(list) = self.by_household.get_mut(&old.household().id) {
                list.retain(|e| e.case != *case);
            }
        }
        let Some(file) = self.files.get(case) else {
            return;
        };
        if file.stage().is_open() {
            for p in file.household().persons() {
                self.open_persons.insert(p.id_number.clone(), case.clone());
            }
        }
        let episode = Episode {
            case: case.clone(),
            applied: file.applied_on(),
            status: file.status_history(),
        };
        let list = self
            .by_household
            .entry(file.household().id.clone())
            .or_default();
        let at = list.partition_point(|e| (e.applied, &e.case) < (episode.applied, &episode.case));
        list.insert(at, episode);
    }

    /// The files of one household, in no particular order.
    fn of_household<'a>(&'a self, household: &HouseholdId) -> impl Iterator<Item = &'a CaseFile> {
        self.by_household
            .get(household)
            .into_iter()
            .flatten()
            .filter_map(|e| self.files.get(&e.case))
    }

    /// The household's episodes in the index, in application order.
    fn episodes<'a>(
        &'a self,
        household: &HouseholdId,
    ) -> impl DoubleEndedIterator<Item = &'a Episode> {
        self.by_household.get(household).into_iter().flatten()
    }

    /// Opens a file for an application.
    ///
    /// # Errors
    /// [`EligibilityError::DuplicateCase`], [`EligibilityError::HouseholdHasOpenFile`],
    /// [`EligibilityError::PersonInOtherFile`], or [`CaseFile::open`]'s errors. On error
    /// nothing changes.
    pub fn open(
        &mut self,
        id: CaseId,
        household: Household,
        date: NaiveDate,
        by: Actor,
    ) -> Result<&CaseFile, EligibilityError> {
        if self.files.contains_key(&id) {
            return Err(EligibilityError::DuplicateCase(id));
        }
        if let Some(open) = self.open_file_of(&household.id) {
            return Err(EligibilityError::HouseholdHasOpenFile {
                household: household.id.clone(),
                case: open.id().clone(),
            });
        }
        self.check_persons(&household, None)?;
        let file = CaseFile::open(id.clone(), household, date, by)?;
        self.files.insert(id.clone(), file);
        self.index(&id, None);
        self.files.get(&id).ok_or(EligibilityError::UnknownCase(id))
    }

    fn check_persons(
        &self,
        household: &Household,
        except: Option<&CaseId>,
    ) -> Result<(), EligibilityError> {
        // The other open file with the smallest id that holds one of the persons, and the
        // first of the persons it holds (as a scan of the files in id order finds them).
        let other = household
            .persons()
            .filter_map(|p| self.open_persons.get(&p.id_number))
            .filter(|c| Some(*c) != except)
            .min();
        let Some(case) = other else {
            return Ok(());
        };
        let person = household
            .persons()
            .find(|p| self.open_persons.get(&p.id_number) == Some(case));
        match person {
            Some(p) => Err(EligibilityError::PersonInOtherFile {
                masked: p.id_number.to_string(),
                case: case.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Offers an event to a file; facts updates are checked against the other open files.
    ///
    /// # Errors
    /// [`EligibilityError::UnknownCase`], [`EligibilityError::PersonInOtherFile`], or
    /// [`CaseFile::apply`]'s errors. On error nothing changes.
    pub fn apply(
        &mut self,
        case: &CaseId,
        event: CaseEvent,
        policy: &EligibilityPolicy,
        calendar: &WorkingCalendar,
    ) -> Result<&CaseFile, EligibilityError> {
        let file = self
            .files
            .get(case)
            .ok_or_else(|| EligibilityError::UnknownCase(case.clone()))?;
        if let CaseEvent::UpdateFacts { household, .. } = &event {
            self.check_persons(household, Some(case))?;
        }
        let next = file.next(event, policy, calendar)?;
        let before = self.files.insert(case.clone(), next);
        self.index(case, before.as_ref());
        self.files
            .get(case)
            .ok_or_else(|| EligibilityError::UnknownCase(case.clone()))
    }

    /// A file by id.
    pub fn get(&self, case: &CaseId) -> Option<&CaseFile> {
        self.files.get(case)
    }

    /// Every file, by case id.
    pub fn files(&self) -> impl Iterator<Item = &CaseFile> {
        let mut files: Vec<&CaseFile> = self.files.values().collect();
        files.sort_unstable_by(|a, b| a.id().cmp(b.id()));
        files.into_iter()
    }

    /// Number of files (all episodes).
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the registry is empty.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files of a household, in application order (its episodes).
    pub fn episodes_of(&self, household: &HouseholdId) -> Vec<&CaseFile> {
        // The index keeps them in application order.
        self.of_household(household).collect()
    }

    /// The household's open file, if any.
    pub fn open_file_of(&self, household: &HouseholdId) -> Option<&CaseFile> {
        self.of_household(household)
            .filter(|f| f.stage().is_open())
            .min_by_key(|f| f.id())
    }

    /// The household's status on `date`: that of the episode in force then (the latest one
    /// applied for on or before `date`).
    pub fn status_on(&self, household: &HouseholdId, date: NaiveDate) -> Option<ArchiveStatus> {
        self.episodes(household)
            .rev()
            .find_map(|e| e.status_on(date))
    }

    /// The retention listing (可销毁档案清单) as of `as_of`: the closed files whose retention
    /// period (`eligibility.retention_years`, at least 10 years after closing) is over on
    /// that date, by case id. Open files and closed files still in their period are not
    /// listed.
    ///
    /// # Errors
    /// [`EligibilityError::NoRetentionPeriod`] when a closed file closed on a day the policy
    /// has no period for (the listing is all or nothing: a file is never listed by guess).
    ///
    /// # Example
    /// ```
    /// use bangfu_eligibility::{EligibilityPolicy, Registry, HAINAN_2018_POLICY_TOML};
    /// let p = EligibilityPolicy::hainan_2018()?;
    /// let as_of = chrono::NaiveDate::from_ymd_opt(2030, 1, 1).unwrap();
    /// assert!(Registry::default().retention_listing(&p, as_of)?.is_empty());
    /// # Ok::<(), bangfu_eligibility::EligibilityError>(())
    /// ```
    pub fn retention_listing(
        &self,
        policy: &EligibilityPolicy,
        as_of: NaiveDate,
    ) -> Result<Vec<crate::Retention>, EligibilityError> {
        let mut out = Vec::new();
        for file in self.files().filter(|f| f.closure().is_some()) {
            let r = file.retention(policy)?;
            if r.may_go_on(as_of) {
                out.push(r);
            }
        }
        Ok(out)
    }

    /// Removes a closed file whose retention period is over on `as_of` (档案销毁) and returns
    /// it, with its retention; the only way a file leaves the registry.
    ///
    /// # Errors
    /// [`EligibilityError::UnknownCase`]; [`EligibilityError::FileNotClosed`] for a pending
    /// or active file; [`EligibilityError::RetentionNotOver`] on or before the last day it
    /// must be kept; [`EligibilityError::NoRetentionPeriod`]. On error nothing changes.
    pub fn purge(
        &mut self,
        case: &CaseId,
        policy: &EligibilityPolicy,
        as_of: NaiveDate,
    ) -> Result<(CaseFile, crate::Retention), EligibilityError> {
        let file = self
            .files
            .get(case)
            .ok_or_else(|| EligibilityError::UnknownCase(case.clone()))?;
        let retention = file.retention(policy)?;
        if !retention.may_go_on(as_of) {
            return Err(EligibilityError::RetentionNotOver {
                case: case.clone(),
                until: retention.kept_until,
                date: as_of,
            });
        }
        let removed = self
            .files
            .remove(case)
            .ok_or_else(|| EligibilityError::UnknownCase(case.clone()))?;
        self.index(case, Some(&removed));
        Ok((removed, retention))
    }

    /// Whether aid may be paid to the household on `date`: some episode is active then.
    pub fn is_payable_on(&self, household: &HouseholdId, date: NaiveDate) -> bool {
        self.episodes(household)
            .any(|e| e.status_on(date).is_some_and(ArchiveStatus::is_payable))
    }
}

/// Who takes the seven steps in [`file_through_procedure`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingActors {
    /// The applicant.
    pub applicant: Actor,
    /// The grassroots union officer who reviews and runs the first notice.
    pub grassroots: Actor,
    /// The industrial union officer who files.
    pub industrial: Actor,
    /// The aid center officer who approves and runs the second notice.
    pub aid_center: Actor,
}

/// Files a household through the seven steps with no objections, each step on the next
/// working day and each notice closed on its last day: a helper for loading data sets.
/// Returns the date the file became active.
///
/// # Errors
/// Any refused step (the registry keeps the file at the step reached).
///
/// # Example
/// ```
/// use bangfu_core::{PersonId, WorkingCalendar};
/// use bangfu_eligibility::*;
/// let policy = EligibilityPolicy::hainan_2018()?;
/// let who = |p: &str, r| Ok::<_, bangfu_core::CoreError>(Actor::new(PersonId::new(p)?, r));
/// let actors = FilingActors {
///     applicant: who("w", Role::Applicant)?,
///     grassroots: who("g", Role::GrassrootsUnion)?,
///     industrial: who("i", Role::IndustrialUnion)?,
///     aid_center: who("c", Role::AidCenter)?,
/// };
/// let mut reg = Registry::default();
/// let start = chrono::NaiveDate::from_ymd_opt(2018, 1, 2).unwrap();
/// let active = file_through_procedure(&mut reg, &policy, &WorkingCalendar::china()?,
///     "HK-0001/1".parse()?, Household::example()?, start, &actors)?;
/// assert!(reg.is_payable_on(&"HK-0001".parse()?, active));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn file_through_procedure(
    registry: &mut Registry,
    policy: &EligibilityPolicy,
    calendar: &WorkingCalendar,
    case: CaseId,
    household: Household,
    apply_on: NaiveDate,
    actors: &FilingActors,
) -> Result<NaiveDate, EligibilityError> {
    debug_assert_eq!(actors.applicant.role, Role::Applicant);
    registry.open(case.clone(), household, apply_on, actors.applicant.clone())?;
    let next = |d: NaiveDate| calendar.add_working_days(d, 1);
    let g = &actors.grassroots;
    let c = &actors.aid_center;
    let mut d = next(apply_on)?;
    let step = |registry: &mut Registry, e: CaseEvent| {
        registry.apply(&case, e, policy, calendar).map(|_| ())
    };
    step(
        registry,
        CaseEvent::PassReview {
            by: g.clone(),
            date: d,
        },
    )?;
    d = next(d)?;
    step(
        registry,
        CaseEvent::StartNotice {
            by: g.clone(),
            date: d,
        },
    )?;
    d = until_of(registry, &case)?;
    step(
        registry,
        CaseEvent::CloseNotice {
            by: g.clone(),
            date: d,
        },
    )?;
    d = next(d)?;
    step(
        registry,
        CaseEvent::File {
            by: actors.industrial.clone(),
            date: d,
        },
    )?;
    d = next(d)?;
    step(
        registry,
        CaseEvent::Approve {
            by: c.clone(),
            date: d,
        },
    )?;
    d = next(d)?;
    step(
        registry,
        CaseEvent::StartReNotice {
            by: c.clone(),
            date: d,
        },
    )?;
    d = until_of(registry, &case)?;
    step(
        registry,
        CaseEvent::Activate {
            by: c.clone(),
            date: d,
        },
    )?;
    Ok(d)
}

fn until_of(registry: &Registry, case: &CaseId) -> Result<NaiveDate, EligibilityError> {
    registry
        .get(case)
        .and_then(|f| f.notice())
        .map(|w| w.until)
        .ok_or_else(|| EligibilityError::UnknownCase(case.clone()))
}
