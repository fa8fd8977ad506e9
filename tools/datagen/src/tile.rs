//! Copies of a year with every id made unique (年度复制): the tiles the national year and the
//! whole-path scale bench are laid from. A [`Tag`] prefixes every id of a copy (households,
//! persons, cases, claims, postings, units, employers) and moves every ID number to the
//! copy's own region code with a fresh check digit, so no two copies share a person, a file
//! or a posting. Only ids change: dates, amounts, categories and tiers stay the base year's,
//! so a year of `n` copies of one base has exactly `n` times its figures.

use std::collections::BTreeMap;

use bangfu_core::{CoreError, NaiveDate, UnitId};
use bangfu_eligibility::{Household, IdNumber};
use bangfu_funding::Posting;
use bangfu_year::records::{
    ApplicantRecord, CaseEventRecord, ClaimDetail, ClaimRecord, HouseholdRecord, SurveyRecord,
};
use bangfu_year::tree::Unit;

use crate::GenerateError;

/// What makes one copy's ids its own: a prefix for every id and the six digits of region
/// code its persons' ID numbers carry.
///
/// ```
/// use bangfu_datagen::tile::Tag;
/// let tag = Tag::new("c7-", "460007")?;
/// let id: bangfu_core::HouseholdId = tag.id("HK-0001")?;
/// assert_eq!(id.as_str(), "c7-HK-0001");
/// # Ok::<(), bangfu_datagen::GenerateError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    prefix: String,
    region: String,
}

impl Tag {
    /// A tag of `prefix` and six-digit `region`; refused when the region is not six digits.
    ///
    /// ```
    /// assert!(bangfu_datagen::tile::Tag::new("c1-", "46x001").is_err());
    /// ```
    pub fn new(prefix: &str, region: &str) -> Result<Tag, GenerateError> {
        if region.len() != 6 || !region.bytes().all(|b| b.is_ascii_digit()) {
            return Err(GenerateError::Infeasible(format!(
                "a copy's region code must be six digits, not {region:?}"
            )));
        }
        Ok(Tag {
            prefix: prefix.to_owned(),
            region: region.to_owned(),
        })
    }

    /// `id` with the copy's prefix, as the id type `T` (refused when too long).
    ///
    /// ```
    /// let tag = bangfu_datagen::tile::Tag::new("p11c0001-", "110001")?;
    /// let unit: bangfu_core::UnitId = tag.id("center")?;
    /// assert_eq!(unit.as_str(), "p11c0001-center");
    /// # Ok::<(), bangfu_datagen::GenerateError>(())
    /// ```
    pub fn id<T: std::str::FromStr<Err = CoreError>>(&self, id: &str) -> Result<T, GenerateError> {
        Ok(format!("{}{id}", self.prefix).parse()?)
    }

    fn re<T: std::str::FromStr<Err = CoreError> + std::fmt::Display>(
        &self,
        id: &mut T,
    ) -> Result<(), GenerateError> {
        *id = self.id(&id.to_string())?;
        Ok(())
    }

    /// The household of the copy: its id, its persons' ids and documents, its units and
    /// every ID number (moved to the copy's region, check digit recomputed).
    ///
    /// ```
    /// let tag = bangfu_datagen::tile::Tag::new("c2-", "460002")?;
    /// let h = tag.household(&bangfu_eligibility::Household::example()?)?;
    /// assert!(h.id.as_str().starts_with("c2-"));
    /// assert!(h.worker.person.id_number.expose().starts_with("460002"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn household(&self, h: &Household) -> Result<Household, GenerateError> {
        let mut h = h.clone();
        self.re(&mut h.id)?;
        self.re(&mut h.worker.union_unit)?;
        self.re(&mut h.worker.employer)?;
        for d in &mut h.documents {
            if let Some(p) = &mut d.person {
                self.re(p)?;
            }
        }
        let persons = std::iter::once(&mut h.worker.person)
            .chain(h.members.iter_mut().map(|m| &mut m.person));
        for p in persons {
            self.re(&mut p.id)?;
            let digits = p.id_number.expose();
            let first17 = format!("{}{}", self.region, digits.get(6..17).unwrap_or_default());
            p.id_number = IdNumber::with_check_digit(&first17).map_err(|e| {
                GenerateError::Infeasible(format!("a copy's ID number is invalid: {e}"))
            })?;
        }
        Ok(h)
    }

    /// A filed household's record of the copy.
    ///
    /// ```
    /// let tag = bangfu_datagen::tile::Tag::new("c2-", "460002")?;
    /// let r = &bangfu_data::hainan2018::households()?[0];
    /// assert_eq!(tag.household_record(r)?.case.as_str(), format!("c2-{}", r.case));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn household_record(&self, r: &HouseholdRecord) -> Result<HouseholdRecord, GenerateError> {
        let mut out = r.clone();
        self.re(&mut out.case)?;
        out.household = self.household(&r.household)?;
        Ok(out)
    }

    /// A refused applicant's record of the copy.
    ///
    /// ```
    /// let tag = bangfu_datagen::tile::Tag::new("c2-", "460002")?;
    /// let a = &bangfu_data::hainan2018::applicants()?[0];
    /// assert!(tag.applicant(a)?.case.as_str().starts_with("c2-"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn applicant(&self, a: &ApplicantRecord) -> Result<ApplicantRecord, GenerateError> {
        let mut out = a.clone();
        self.re(&mut out.case)?;
        out.household = self.household(&a.household)?;
        Ok(out)
    }

    /// A claim of the copy: its id, case, household and the person it is for.
    ///
    /// ```
    /// let tag = bangfu_datagen::tile::Tag::new("c2-", "460002")?;
    /// let c = &bangfu_data::hainan2018::claims()?[0];
    /// assert!(tag.claim(c)?.id.as_str().starts_with("c2-"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn claim(&self, c: &ClaimRecord) -> Result<ClaimRecord, GenerateError> {
        let mut c = c.clone();
        self.re(&mut c.id)?;
        self.re(&mut c.case)?;
        self.re(&mut c.household)?;
        match &mut c.detail {
            ClaimDetail::Medical { applicant, .. } => self.re(applicant)?,
            ClaimDetail::Education { student } => self.re(student)?,
            _ => {}
        }
        Ok(c)
    }

    /// A case-file event of the copy (its case).
    ///
    /// ```
    /// let line = r#"{"case":"HK-0001/1","change":{"event":"exit","by":{"person":"center","role":"aid_center"},"date":"2018-09-03","effective":"2018-08-31","reason":"income_above_standard","note":null}}"#;
    /// let r: bangfu_year::records::CaseEventRecord = serde_json::from_str(line)?;
    /// let tag = bangfu_datagen::tile::Tag::new("c2-", "460002")?;
    /// assert_eq!(tag.case_event(&r)?.case.as_str(), "c2-HK-0001/1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn case_event(&self, r: &CaseEventRecord) -> Result<CaseEventRecord, GenerateError> {
        let mut r = r.clone();
        self.re(&mut r.case)?;
        Ok(r)
    }

    /// A home visit of the copy.
    ///
    /// ```
    /// let tag = bangfu_datagen::tile::Tag::new("c2-", "460002")?;
    /// let v = &bangfu_data::hainan2018::survey()?[0];
    /// assert!(tag.visit(v)?.unit.as_str().starts_with("c2-"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn visit(&self, v: &SurveyRecord) -> Result<SurveyRecord, GenerateError> {
        let mut v = v.clone();
        self.re(&mut v.household)?;
        self.re(&mut v.unit)?;
        Ok(v)
    }

    /// A posting of the copy: its id, the household, unit and claim it names, the posting
    /// it reverses, and the case and claim inside a payment order's key
    /// (`aid|case|category|kind|year|claim`).
    ///
    /// ```
    /// let tag = bangfu_datagen::tile::Tag::new("c2-", "460002")?;
    /// let p = &bangfu_data::hainan2018::ledger_records()?[0];
    /// assert!(tag.posting(p)?.id().as_str().starts_with("c2-"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn posting(&self, p: &Posting) -> Result<Posting, GenerateError> {
        let mut p = p.clone();
        match &mut p {
            Posting::Income(i) => {
                self.re(&mut i.id)?;
                if let Some(h) = &mut i.household {
                    self.re(h)?;
                }
                if let Some(r) = &mut i.reverses {
                    self.re(r)?;
                }
            }
            Posting::Reversal(r) => {
                self.re(&mut r.id)?;
                self.re(&mut r.reverses)?;
            }
            Posting::Disbursement(d) => {
                self.re(&mut d.id)?;
                self.re(&mut d.household)?;
                if let Some(u) = &mut d.unit {
                    self.re(u)?;
                }
                if let Some(c) = &mut d.claim {
                    self.re(c)?;
                }
                if let Some(o) = &mut d.order {
                    let parts: Vec<String> = o
                        .split('|')
                        .enumerate()
                        .map(|(i, s)| {
                            if i == 1 || i == 5 {
                                format!("{}{s}", self.prefix)
                            } else {
                                s.to_owned()
                            }
                        })
                        .collect();
                    *o = parts.join("|");
                }
            }
        }
        Ok(p)
    }

    /// A unit of the copy's tree: its id and parent tagged; the copy's root (a unit without
    /// parent) hangs under `root_parent`.
    ///
    /// ```
    /// let tree = bangfu_year::tree::UnitTree::from_toml(bangfu_data::hainan2018::UNITS_TOML)?;
    /// let tag = bangfu_datagen::tile::Tag::new("c2-", "460002")?;
    /// let up: bangfu_core::UnitId = "p46".parse()?;
    /// let root = tag.unit(&tree.units()[0], &up)?;
    /// assert_eq!((root.id.as_str(), root.parent.as_ref().map(|p| p.as_str())), ("c2-center", Some("p46")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn unit(&self, u: &Unit, root_parent: &UnitId) -> Result<Unit, GenerateError> {
        let mut u = u.clone();
        self.re(&mut u.id)?;
        u.parent = Some(match &u.parent {
            Some(p) => self.id(p.as_str())?,
            None => root_parent.clone(),
        });
        Ok(u)
    }
}

/// Records grouped by their date, each day's in their order (a file's lines laid out day by
/// day, so that copies can be interleaved and the whole stays in date order).
///
/// ```
/// let days = bangfu_datagen::tile::by_day(&[(3, 'a'), (1, 'b'), (3, 'c')], |r| r.0);
/// assert_eq!(days.get(&3).map(Vec::len), Some(2));
/// ```
pub fn by_day<T, K: Ord + Copy>(records: &[T], date: impl Fn(&T) -> K) -> BTreeMap<K, Vec<&T>> {
    let mut out: BTreeMap<K, Vec<&T>> = BTreeMap::new();
    for r in records {
        out.entry(date(r)).or_default().push(r);
    }
    out
}

/// The dates of a record file, for [`by_day`].
pub(crate) type Days<'a, T> = BTreeMap<NaiveDate, Vec<&'a T>>;
