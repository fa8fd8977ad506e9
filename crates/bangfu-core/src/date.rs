//! Calendar years and periods (working days are in `calendar`). Dates are
//! [`chrono::NaiveDate`]; callers pass them in, nothing here reads the clock.

use chrono::{Datelike, NaiveDate};

use crate::CoreError;

/// A calendar year (年度), such as the 2018 programme year.
///
/// # Example
/// ```
/// use bangfu_core::Year;
/// use chrono::NaiveDate;
/// let y = Year::new(2018)?;
/// assert!(y.contains(NaiveDate::from_ymd_opt(2018, 12, 31).unwrap()));
/// assert!(!y.contains(NaiveDate::from_ymd_opt(2019, 1, 1).unwrap()));
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "i32", into = "i32")]
pub struct Year(i32);

impl Year {
    /// A year between 1900 and 9999.
    ///
    /// # Errors
    /// [`CoreError::InvalidPeriod`] outside that range.
    ///
    /// # Example
    /// ```
    /// assert!(bangfu_core::Year::new(10_000).is_err());
    /// ```
    pub fn new(year: i32) -> Result<Year, CoreError> {
        if (1900..=9999).contains(&year) {
            Ok(Year(year))
        } else {
            Err(CoreError::InvalidPeriod)
        }
    }

    /// The year of a date.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Year;
    /// let d = chrono::NaiveDate::from_ymd_opt(2018, 6, 1).unwrap();
    /// assert_eq!(Year::of(d).number(), 2018);
    /// ```
    pub fn of(date: NaiveDate) -> Year {
        Year(date.year())
    }

    /// The year as a number.
    ///
    /// # Example
    /// ```
    /// assert_eq!(bangfu_core::Year::new(2018)?.number(), 2018);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn number(self) -> i32 {
        self.0
    }

    /// Whether `date` lies in this year.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Year;
    /// assert!(Year::new(2018)?.contains(chrono::NaiveDate::from_ymd_opt(2018, 2, 16).unwrap()));
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn contains(self, date: NaiveDate) -> bool {
        date.year() == self.0
    }

    /// The year as a period from 1 January to 31 December.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Year;
    /// let p = Year::new(2018)?.period();
    /// assert_eq!(p.start().to_string(), "2018-01-01");
    /// assert_eq!(p.end().to_string(), "2018-12-31");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn period(self) -> Period {
        // Years are kept in 1900..=9999, where both dates exist.
        let start = NaiveDate::from_ymd_opt(self.0, 1, 1).unwrap_or(NaiveDate::MIN);
        let end = NaiveDate::from_ymd_opt(self.0, 12, 31).unwrap_or(NaiveDate::MAX);
        Period { start, end }
    }
}

impl TryFrom<i32> for Year {
    type Error = CoreError;
    fn try_from(v: i32) -> Result<Self, Self::Error> {
        Year::new(v).map_err(|e| crate::read::noted(e, &v.to_string()))
    }
}

impl From<Year> for i32 {
    fn from(y: Year) -> i32 {
        y.0
    }
}

impl core::fmt::Display for Year {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A closed period of dates (期间), `start..=end`.
///
/// # Example
/// ```
/// use bangfu_core::Period;
/// use chrono::NaiveDate;
/// let d = |m, day| NaiveDate::from_ymd_opt(2018, m, day).unwrap();
/// let visits = Period::new(d(5, 1), d(6, 30))?;
/// assert!(visits.contains(d(6, 30)));
/// assert!(Period::new(d(6, 30), d(5, 1)).is_err());
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "PeriodText")]
pub struct Period {
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "crate::iso_date")]
    start: NaiveDate,
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "crate::iso_date")]
    end: NaiveDate,
}

/// A period as read, before [`Period::new`] checks it (an inverted period read from a file
/// was accepted before: found by fuzzing).
#[derive(serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct PeriodText {
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "crate::iso_date")]
    start: NaiveDate,
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "crate::iso_date")]
    end: NaiveDate,
}

impl TryFrom<PeriodText> for Period {
    type Error = CoreError;
    fn try_from(p: PeriodText) -> Result<Self, Self::Error> {
        Period::new(p.start, p.end)
            .map_err(|e| crate::read::noted(e, &format!("{}..{}", p.start, p.end)))
    }
}

impl Period {
    /// A period.
    ///
    /// # Errors
    /// [`CoreError::InvalidPeriod`] when `end < start`.
    ///
    /// # Example
    /// ```
    /// use chrono::NaiveDate;
    /// let d = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    /// assert!(bangfu_core::Period::new(d, d).is_ok());
    /// ```
    pub fn new(start: NaiveDate, end: NaiveDate) -> Result<Period, CoreError> {
        if end < start {
            Err(CoreError::InvalidPeriod)
        } else {
            Ok(Period { start, end })
        }
    }

    /// The first day.
    ///
    /// # Example
    /// ```
    /// let p = bangfu_core::Year::new(2018)?.period();
    /// assert_eq!(p.start().to_string(), "2018-01-01");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn start(&self) -> NaiveDate {
        self.start
    }

    /// The last day.
    ///
    /// # Example
    /// ```
    /// let p = bangfu_core::Year::new(2018)?.period();
    /// assert_eq!(p.end().to_string(), "2018-12-31");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn end(&self) -> NaiveDate {
        self.end
    }

    /// Whether `date` lies in the period.
    ///
    /// # Example
    /// ```
    /// let p = bangfu_core::Year::new(2018)?.period();
    /// assert!(!p.contains(chrono::NaiveDate::from_ymd_opt(2017, 12, 31).unwrap()));
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }

    /// `Ok(())` when `date` lies in the period.
    ///
    /// # Errors
    /// [`CoreError::OutsidePeriod`] otherwise.
    ///
    /// # Example
    /// ```
    /// let p = bangfu_core::Year::new(2018)?.period();
    /// let err = p.check(chrono::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap()).unwrap_err();
    /// assert_eq!(bangfu_core::Coded::code(&err), "core.date.outside_period");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn check(&self, date: NaiveDate) -> Result<(), CoreError> {
        if self.contains(date) {
            Ok(())
        } else {
            Err(CoreError::OutsidePeriod {
                date,
                start: self.start,
                end: self.end,
            })
        }
    }
}

/// Parses a date in the one syntax bangfu reads (日期格式): ISO 8601 `YYYY-MM-DD`, exactly ten
/// characters, four-digit year, two-digit month and day, no sign, no time.
///
/// # Errors
/// [`CoreError::DateParse`] for anything else (`2018-1-5`, `+2018-01-05`, `2018-02-30`).
///
/// # Example
/// ```
/// use bangfu_core::parse_date;
/// assert_eq!(parse_date("2018-01-05")?.to_string(), "2018-01-05");
/// assert!(parse_date("2018-1-5").is_err());
/// assert!(parse_date("+2018-01-05").is_err());
/// assert!(parse_date("2018-02-30").is_err());
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
pub fn parse_date(text: &str) -> Result<NaiveDate, CoreError> {
    let fail = || CoreError::DateParse {
        input: text.to_owned(),
    };
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            _ => c.is_ascii_digit(),
        });
    if !shape {
        return Err(fail());
    }
    let num = |r: core::ops::Range<usize>| text.get(r).and_then(|t| t.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return Err(fail());
    };
    let y = i32::try_from(y).map_err(|_| fail())?;
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(fail)
}

/// Serde for dates in the one syntax of [`parse_date`], for `#[serde(with = "…")]` on a
/// [`NaiveDate`] field (`iso_date::option` for an `Option<NaiveDate>`). A refused date has the
/// code `core.date.malformed` through [`crate::read`].
///
/// # Example
/// ```
/// #[derive(serde::Deserialize, serde::Serialize, Debug)]
/// struct Claim { #[serde(with = "bangfu_core::iso_date")] date: chrono::NaiveDate }
/// let c: Claim = serde_json::from_str(r#"{"date":"2018-01-05"}"#)?;
/// assert_eq!(serde_json::to_string(&c)?, r#"{"date":"2018-01-05"}"#);
/// assert!(serde_json::from_str::<Claim>(r#"{"date":"2018-1-5"}"#).is_err());
/// # Ok::<(), serde_json::Error>(())
/// ```
pub mod iso_date {
    use chrono::NaiveDate;
    use serde::{Deserializer, Serializer};

    /// Writes `YYYY-MM-DD` (written digit by digit: dates are on every record written).
    pub fn serialize<S: Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        match digits(date) {
            Some(text) => s.serialize_str(std::str::from_utf8(&text).unwrap_or_default()),
            None => s.collect_str(&date.format("%Y-%m-%d")),
        }
    }

    /// The ten ASCII bytes `YYYY-MM-DD` of a date of the years 0 to 9999 (others: `None`,
    /// written by chrono's format).
    pub(crate) fn digits(date: &NaiveDate) -> Option<[u8; 10]> {
        use chrono::Datelike;
        let (y, m, d) = (date.year(), date.month(), date.day());
        let y = u32::try_from(y).ok().filter(|y| *y <= 9999)?;
        let digit = |n: u32| b'0' + u8::try_from(n % 10).unwrap_or(0);
        Some([
            digit(y / 1000),
            digit(y / 100),
            digit(y / 10),
            digit(y),
            b'-',
            digit(m / 10),
            digit(m),
            b'-',
            digit(d / 10),
            digit(d),
        ])
    }

    /// Reads `YYYY-MM-DD` only.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        d.deserialize_string(DateText)
    }

    /// A date read from text without copying it: what a `String` accepts (text, or bytes
    /// that are UTF-8), with a `String`'s expectation in errors.
    struct DateText;

    impl serde::de::Visitor<'_> for DateText {
        type Value = NaiveDate;
        fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<NaiveDate, E> {
            super::parse_date(text).map_err(|e| crate::read::refuse(&e, text))
        }
        fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<NaiveDate, E> {
            match core::str::from_utf8(v) {
                Ok(text) => self.visit_str(text),
                Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
            }
        }
    }

    /// The same for an optional date (`null` or absent with `#[serde(default)]`).
    pub mod option {
        use chrono::NaiveDate;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes `YYYY-MM-DD` or `null`.
        pub fn serialize<S: Serializer>(date: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
            match date {
                Some(d) => super::serialize(d, s),
                None => s.serialize_none(),
            }
        }

        /// Reads `YYYY-MM-DD` or `null`.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
            let text = <Option<std::borrow::Cow<'de, str>>>::deserialize(d)?;
            text.map(|t| super::super::parse_date(&t).map_err(|e| crate::read::refuse(&e, &t)))
                .transpose()
        }
    }

    /// The same for a list of dates.
    pub mod list {
        use chrono::NaiveDate;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes each date as `YYYY-MM-DD`.
        pub fn serialize<S: Serializer>(dates: &[NaiveDate], s: S) -> Result<S::Ok, S::Error> {
            s.collect_seq(dates.iter().map(|d| d.format("%Y-%m-%d").to_string()))
        }

        /// Reads a list of `YYYY-MM-DD` dates.
        pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
            let texts = <Vec<String>>::deserialize(d)?;
            texts
                .iter()
                .map(|t| super::super::parse_date(t).map_err(|e| crate::read::refuse(&e, t)))
                .collect()
        }
    }
}

#[cfg(test)]
mod iso_date_tests {
    #![allow(clippy::unwrap_used)]

    use chrono::NaiveDate;
    use proptest::prelude::*;

    #[derive(serde::Serialize, serde::Deserialize, Debug, PartialEq)]
    struct D(#[serde(with = "super::iso_date")] NaiveDate);

    proptest! {
        /// The digit-by-digit writer gives what chrono's `%Y-%m-%d` gives, and reads back.
        #[test]
        fn written_as_chrono_writes_it(days in 0i64..3_652_058) {
            let date = NaiveDate::from_ymd_opt(1, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let json = serde_json::to_string(&D(date)).unwrap();
            prop_assert_eq!(&json, &format!("\"{}\"", date.format("%Y-%m-%d")));
            prop_assert_eq!(serde_json::from_str::<D>(&json).unwrap(), D(date));
        }
    }
}
