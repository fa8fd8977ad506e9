//! The local urban minimum living standard (城市居民最低生活保障标准): one dated, cited amount
//! per city, written once in a policy file and read by every rule that needs it.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::{CitationId, CoreError, Dated, Money, Timeline};

crate::define_id! {
    /// A city's code (城市代码): the GB/T 2260 administrative division code of a city or
    /// county whose minimum living standard a policy lists (`460100` for Haikou), or a name
    /// for a fictional one.
    ///
    /// ```
    /// assert!(bangfu_core::CityCode::new("460100").is_ok());
    /// ```
    pub struct CityCode("city");
}

/// The local urban minimum living standard (城市居民最低生活保障标准, 低保标准), yuan per
/// person per month: per city, effective-dated and cited, and the city that applies when a
/// record names none (the policy's own city).
///
/// A policy file writes it once, as the top-level `[minimum_living_standard]` table; the
/// eligibility income line and the living-aid cap both read this one table, so they cannot
/// disagree.
///
/// # Example
/// ```
/// use bangfu_core::{CityCode, MinimumLivingStandard, Money, NaiveDate};
/// let s = MinimumLivingStandard::from_policy_toml(bangfu_core::MINIMUM_STANDARD_EXAMPLE_2020_TOML)?
///     .expect("the file has the table");
/// let d = |y| NaiveDate::from_ymd_opt(y, 6, 1).unwrap();
/// assert_eq!(s.at(None, d(2019))?.value, Money::from_yuan(500)?);
/// assert_eq!(s.at(None, d(2020))?.value, Money::from_yuan(600)?);
/// let elsewhere = CityCode::new("460200")?;
/// let err = s.at(Some(&elsewhere), d(2020)).unwrap_err();
/// assert_eq!(bangfu_core::Coded::code(&err), "core.minimum_standard.unknown_city");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct MinimumLivingStandard {
    /// The city whose standard applies to a household or request that names no city (the
    /// policy's own city). It must be listed in `cities`.
    pub city: CityCode,
    /// Each city's standard over time.
    pub cities: BTreeMap<CityCode, Timeline<Money>>,
}

/// The name under which explanations list the standard (the policy file's table).
pub const MINIMUM_STANDARD_PARAMETER: &str = "minimum_living_standard";

/// The Hainan 2018 policy's `[minimum_living_standard]` table and its citation (one value,
/// 500.00 from 2017, for Haikou), as shipped in `data/minimum-standard-hainan-2018.toml`. The
/// eligibility and aid sections of that policy both read it.
pub const MINIMUM_STANDARD_HAINAN_2018_TOML: &str =
    include_str!("../data/minimum-standard-hainan-2018.toml");

/// The example 2020+ policy's `[minimum_living_standard]` table and its citations (500.00
/// from 2018, 600.00 from 2020), as shipped in `data/minimum-standard-example-2020.toml`.
pub const MINIMUM_STANDARD_EXAMPLE_2020_TOML: &str =
    include_str!("../data/minimum-standard-example-2020.toml");

/// The Hubei example policy's `[minimum_living_standard]` table and its citation (Wuhan,
/// 420100: 940.00 from 2023), as shipped in `data/minimum-standard-hubei-2023.toml`.
pub const MINIMUM_STANDARD_HUBEI_2023_TOML: &str =
    include_str!("../data/minimum-standard-hubei-2023.toml");

impl MinimumLivingStandard {
    /// The standard in force on `date` for `city`, or for the policy's own city when `city`
    /// is `None`.
    ///
    /// # Errors
    /// [`CoreError::UnknownCity`] when the city is not listed; [`CoreError::NotInForce`]
    /// when `date` is before its first value.
    pub fn at(&self, city: Option<&CityCode>, date: NaiveDate) -> Result<&Dated<Money>, CoreError> {
        let city = city.unwrap_or(&self.city);
        self.cities
            .get(city)
            .ok_or_else(|| CoreError::UnknownCity {
                city: city.to_string(),
            })?
            .at(MINIMUM_STANDARD_PARAMETER, date)
    }

    /// [`at`](Self::at) on a standard a section may not have been handed: a section parsed
    /// without the policy's `[minimum_living_standard]` table has none.
    ///
    /// # Errors
    /// [`CoreError::NoMinimumStandard`] when `standard` is `None`; otherwise as
    /// [`at`](Self::at).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{MinimumLivingStandard, NaiveDate};
    /// let day = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    /// let err = MinimumLivingStandard::in_force(None, None, day).unwrap_err();
    /// assert_eq!(bangfu_core::Coded::code(&err), "core.minimum_standard.missing");
    /// ```
    pub fn in_force<'s>(
        standard: Option<&'s MinimumLivingStandard>,
        city: Option<&CityCode>,
        date: NaiveDate,
    ) -> Result<&'s Dated<Money>, CoreError> {
        standard.ok_or(CoreError::NoMinimumStandard)?.at(city, date)
    }

    /// Checks that the policy's own city is listed.
    ///
    /// # Errors
    /// [`CoreError::UnknownCity`] naming the own city.
    pub fn validate(&self) -> Result<(), CoreError> {
        if self.cities.contains_key(&self.city) {
            Ok(())
        } else {
            Err(CoreError::UnknownCity {
                city: self.city.to_string(),
            })
        }
    }

    /// Every citation id the table uses.
    pub fn citation_ids(&self) -> impl Iterator<Item = &CitationId> {
        self.cities
            .values()
            .flat_map(|t| t.entries().iter().map(|d| &d.cite))
    }

    /// The top-level `[minimum_living_standard]` table of a policy file's text (other keys
    /// are ignored), validated; `None` when the text has no such table.
    ///
    /// # Errors
    /// A [`ReadError`](crate::read::ReadError) with the line for malformed TOML or a bad
    /// table; [`CoreError::UnknownCity`]'s code (a refused value) for an own city not
    /// listed.
    pub fn from_policy_toml(
        text: &str,
    ) -> Result<Option<MinimumLivingStandard>, crate::read::ReadError> {
        #[derive(serde::Deserialize)]
        struct File {
            #[serde(default)]
            minimum_living_standard: Option<MinimumLivingStandard>,
        }
        let file: File = crate::read::from_toml_str(text)?;
        if let Some(s) = &file.minimum_living_standard {
            s.validate().map_err(|e| {
                let problem = crate::read::ReadProblem::Refused(crate::read::Refusal::of(&e));
                crate::read::ReadError::new(problem, e.to_string())
            })?;
        }
        Ok(file.minimum_living_standard)
    }
}
