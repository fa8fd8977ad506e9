//! The working-day calendar (工作日历) and the holiday data it is built from: public holidays
//! (放假) and make-up working days (调休上班) as dated, cited policy data, one entry per year.
//!
//! A calendar knows which years it covers. Asking it about a day of any other year is the
//! error `core.calendar.no_data`, never a weekdays-only guess.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

use crate::read::{self, ReadError};
use crate::{Citation, CoreError, iso_date};

/// The national holiday data file, 2017–2026 (`data/cn-holidays.toml`), embedded: the State
/// Council General Office's yearly notices (国务院办公厅关于20XX年部分节假日安排的通知).
///
/// # Example
/// ```
/// let file = bangfu_core::HolidayFile::from_toml(bangfu_core::CN_HOLIDAYS_TOML)?;
/// assert_eq!(file.year.len(), 10);
/// # Ok::<(), bangfu_core::read::ReadError>(())
/// ```
pub const CN_HOLIDAYS_TOML: &str = include_str!("../data/cn-holidays.toml");

/// A holiday data file (节假日安排): one [`HolidayYear`] per notice. A nation or a province
/// writes it in TOML without code; see `data/cn-holidays.toml` and `docs/policy-files.md`.
///
/// # Example
/// ```
/// use bangfu_core::HolidayFile;
/// let file = HolidayFile::from_toml(r#"
/// [[year]]
/// year = 2018
/// citation = { document = "国办发明电〔2017〕12号" }
/// [[year.festival]]
/// name = "国庆节"
/// from = "2018-10-01"
/// to = "2018-10-07"
/// work = ["2018-09-29", "2018-09-30"]
/// "#)?;
/// let cal = file.calendar()?;
/// assert!(cal.covers(2018));
/// assert!(!cal.covers(2019));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HolidayFile {
    /// The years, one entry per notice.
    #[serde(default)]
    pub year: Vec<HolidayYear>,
}

/// One year's holiday arrangement (年度节假日安排), as one notice gives it.
///
/// # Example
/// ```
/// let file = bangfu_core::HolidayFile::from_toml(bangfu_core::CN_HOLIDAYS_TOML)?;
/// let y2018 = file.year.iter().find(|y| y.year == 2018).unwrap();
/// assert!(y2018.citation.document.contains("国办发明电〔2017〕12号"));
/// # Ok::<(), bangfu_core::read::ReadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct HolidayYear {
    /// The calendar year the notice arranges; the calendar covers it.
    pub year: i32,
    /// The notice (出处); `assumed = true` when its dates were not checked against it.
    pub citation: Citation,
    /// The festivals, in the notice's order.
    #[serde(default)]
    pub festival: Vec<Festival>,
}

/// One festival of a notice (节日): the days off and the weekend days worked in exchange.
///
/// # Example
/// ```
/// let file = bangfu_core::HolidayFile::from_toml(bangfu_core::CN_HOLIDAYS_TOML)?;
/// let y2018 = file.year.iter().find(|y| y.year == 2018).unwrap();
/// let spring = y2018.festival.iter().find(|f| f.name == "春节").unwrap();
/// assert_eq!(spring.from.to_string(), "2018-02-15");
/// assert_eq!(spring.to.to_string(), "2018-02-21");
/// assert_eq!(spring.work.len(), 2);
/// # Ok::<(), bangfu_core::read::ReadError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Festival {
    /// Its name as the notice writes it (春节, 国庆节, …).
    pub name: String,
    /// The first day off (放假), inclusive.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "iso_date")]
    pub from: NaiveDate,
    /// The last day off, inclusive.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "iso_date")]
    pub to: NaiveDate,
    /// Weekend days worked in exchange (调休上班).
    #[cfg_attr(feature = "schema", schemars(with = "Vec<NaiveDate>"))]
    #[serde(default, with = "iso_date::list")]
    pub work: Vec<NaiveDate>,
    /// A later notice that changed this festival (调整通知), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
}

/// The longest festival a file may give, in days (the longest so far is 10: 2020's Spring
/// Festival as extended). Anything longer is taken for a typing mistake.
const LONGEST_FESTIVAL_DAYS: i64 = 31;

impl HolidayFile {
    /// Reads a holiday file from TOML.
    ///
    /// # Errors
    /// A [`ReadError`] naming the line for a structural problem or a malformed date.
    ///
    /// # Example
    /// ```
    /// let err = bangfu_core::HolidayFile::from_toml("[[year]]\nyear = 2018\n").unwrap_err();
    /// assert_eq!(bangfu_core::Coded::code(&err), "read.missing_field");
    /// ```
    pub fn from_toml(text: &str) -> Result<HolidayFile, ReadError> {
        read::from_toml_str(text)
    }

    /// The calendar the file gives: covering its years, with their holidays and make-up days.
    ///
    /// # Errors
    /// [`CoreError::CalendarData`] (`core.calendar.invalid`) when a year appears twice or is
    /// out of range, a festival ends before it starts or is longer than a month, a date lies
    /// outside its year (or the December before, where 元旦 bridges the new year), a make-up
    /// day is not a Saturday or Sunday, or a make-up day falls on a day off.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Coded, HolidayFile};
    /// let file = HolidayFile::from_toml(r#"
    /// [[year]]
    /// year = 2018
    /// citation = { document = "国办发明电〔2017〕12号" }
    /// [[year.festival]]
    /// name = "春节"
    /// from = "2018-02-15"
    /// to = "2018-02-21"
    /// work = ["2018-02-12"]
    /// "#)?;
    /// // 2018-02-12 is a Monday: it is worked anyway, so it cannot be a make-up day.
    /// assert_eq!(file.calendar().unwrap_err().code(), "core.calendar.invalid");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn calendar(&self) -> Result<WorkingCalendar, CoreError> {
        let mut years = BTreeSet::new();
        let mut holidays = BTreeSet::new();
        let mut make_up = BTreeSet::new();
        for y in &self.year {
            let bad = |problem: &'static str| CoreError::CalendarData {
                year: y.year,
                problem,
            };
            crate::Year::new(y.year).map_err(|_| bad("year out of range"))?;
            if !years.insert(y.year) {
                return Err(bad("year given twice"));
            }
            let in_year = |d: NaiveDate| d.year() == y.year || d.year() == y.year - 1;
            let mut off = BTreeSet::new();
            for f in &y.festival {
                if f.to < f.from {
                    return Err(bad("festival ends before it starts"));
                }
                if !in_year(f.from) || !in_year(f.to) {
                    return Err(bad("festival outside its year"));
                }
                if f.to.signed_duration_since(f.from).num_days() >= LONGEST_FESTIVAL_DAYS {
                    return Err(bad("festival longer than a month"));
                }
                off.extend(f.from.iter_days().take_while(|d| *d <= f.to));
                for w in &f.work {
                    if !in_year(*w) {
                        return Err(bad("make-up day outside its year"));
                    }
                    if !is_weekend(*w) {
                        return Err(bad("make-up day is not a Saturday or Sunday"));
                    }
                }
            }
            for f in &y.festival {
                if f.work.iter().any(|w| off.contains(w)) {
                    return Err(bad("make-up day falls on a day off"));
                }
                make_up.extend(f.work.iter().copied());
            }
            holidays.extend(off);
        }
        if let Some(clash) = make_up.intersection(&holidays).next() {
            return Err(CoreError::CalendarData {
                year: clash.year(),
                problem: "make-up day falls on a day off",
            });
        }
        Ok(WorkingCalendar::new(holidays, make_up).covering(years))
    }
}

/// Which years a calendar has data for.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Coverage {
    /// These years only.
    Years(BTreeSet<i32>),
    /// Every year: [`WorkingCalendar::weekdays_only`], for tests and examples that say so.
    Every,
}

/// A working-day calendar (工作日历): Monday to Friday, less listed holidays (放假), plus
/// listed make-up working days (调休上班), for the years it has data for.
///
/// The national calendar is [`WorkingCalendar::china`]. Counting working days through a day of
/// a year the calendar does not cover is the error [`CoreError::NoCalendarData`]
/// (`core.calendar.no_data`). Counting visits each day once: a notice period of `n` working
/// days costs `n` plus its holidays and weekends in set look-ups.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, WorkingCalendar};
/// use chrono::NaiveDate;
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let cal = WorkingCalendar::china()?;
/// assert!(cal.is_working_day(d(2018, 9, 29))?);   // a Saturday worked in exchange
/// assert!(!cal.is_working_day(d(2018, 10, 1))?);  // National Day
/// // Five working days counted from Friday 28 September 2018 end on Wednesday 10 October.
/// assert_eq!(cal.add_working_days(d(2018, 9, 28), 5)?, d(2018, 10, 10));
/// // No data for 2030: an error, not a weekdays-only count.
/// let err = cal.add_working_days(d(2030, 6, 3), 5).unwrap_err();
/// assert_eq!(err.code(), "core.calendar.no_data");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkingCalendar {
    holidays: BTreeSet<NaiveDate>,
    make_up_days: BTreeSet<NaiveDate>,
    coverage: Coverage,
}

impl WorkingCalendar {
    /// A calendar from its holidays and make-up working days, covering no year yet: say which
    /// years the lists are complete for with [`covering`](Self::covering).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Coded, WorkingCalendar};
    /// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2018, m, day).unwrap();
    /// let cal = WorkingCalendar::new([d(10, 1), d(10, 2)], [d(9, 29)]);
    /// assert_eq!(cal.is_working_day(d(9, 29)).unwrap_err().code(), "core.calendar.no_data");
    /// assert!(cal.covering([2018]).is_working_day(d(9, 29))?);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn new(
        holidays: impl IntoIterator<Item = NaiveDate>,
        make_up_days: impl IntoIterator<Item = NaiveDate>,
    ) -> WorkingCalendar {
        WorkingCalendar {
            holidays: holidays.into_iter().collect(),
            make_up_days: make_up_days.into_iter().collect(),
            coverage: Coverage::Years(BTreeSet::new()),
        }
    }

    /// The same calendar, also covering `years`: the caller vouches that its lists are
    /// complete for them.
    ///
    /// # Example
    /// ```
    /// let cal = bangfu_core::WorkingCalendar::new([], []).covering(2018..=2019);
    /// assert!(cal.covers(2019) && !cal.covers(2020));
    /// ```
    #[must_use]
    pub fn covering(mut self, years: impl IntoIterator<Item = i32>) -> WorkingCalendar {
        if let Coverage::Years(set) = &mut self.coverage {
            set.extend(years);
        }
        self
    }

    /// Monday to Friday in every year, no holidays: for tests and examples that say they
    /// ignore holidays. Never the calendar of a real notice period.
    ///
    /// # Example
    /// ```
    /// let cal = bangfu_core::WorkingCalendar::weekdays_only();
    /// let fri = chrono::NaiveDate::from_ymd_opt(2018, 6, 1).unwrap();
    /// assert_eq!(cal.add_working_days(fri, 1)?.to_string(), "2018-06-04");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn weekdays_only() -> WorkingCalendar {
        WorkingCalendar {
            holidays: BTreeSet::new(),
            make_up_days: BTreeSet::new(),
            coverage: Coverage::Every,
        }
    }

    /// The national calendar (全国节假日安排), 2017–2026, from [`CN_HOLIDAYS_TOML`].
    ///
    /// # Errors
    /// [`CoreError::CalendarData`] only if the embedded file were broken (a test guards it).
    ///
    /// # Example
    /// ```
    /// let cal = bangfu_core::WorkingCalendar::china()?;
    /// assert!((2017..=2026).all(|y| cal.covers(y)));
    /// assert!(!cal.covers(2016) && !cal.covers(2027));
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn china() -> Result<WorkingCalendar, CoreError> {
        HolidayFile::from_toml(CN_HOLIDAYS_TOML)
            .map_err(|_| CoreError::CalendarData {
                year: 0,
                problem: "the embedded holiday file does not read",
            })?
            .calendar()
    }

    /// Whether the calendar has data for `year`.
    ///
    /// # Example
    /// ```
    /// assert!(bangfu_core::WorkingCalendar::weekdays_only().covers(1999));
    /// assert!(!bangfu_core::WorkingCalendar::new([], []).covers(2018));
    /// ```
    pub fn covers(&self, year: i32) -> bool {
        match &self.coverage {
            Coverage::Every => true,
            Coverage::Years(set) => set.contains(&year),
        }
    }

    /// `Ok(())` when the calendar has data for the year of `date`.
    ///
    /// # Errors
    /// [`CoreError::NoCalendarData`] otherwise.
    ///
    /// # Example
    /// ```
    /// let cal = bangfu_core::WorkingCalendar::china()?;
    /// let day = chrono::NaiveDate::from_ymd_opt(2016, 12, 30).unwrap();
    /// assert_eq!(bangfu_core::Coded::code(&cal.check(day).unwrap_err()), "core.calendar.no_data");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn check(&self, date: NaiveDate) -> Result<(), CoreError> {
        if self.covers(date.year()) {
            Ok(())
        } else {
            Err(CoreError::NoCalendarData { year: date.year() })
        }
    }

    /// Whether `date` is a working day.
    ///
    /// # Errors
    /// [`CoreError::NoCalendarData`] for a day of a year the calendar does not cover.
    ///
    /// # Example
    /// ```
    /// let cal = bangfu_core::WorkingCalendar::china()?;
    /// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2018, m, day).unwrap();
    /// assert!(!cal.is_working_day(d(6, 2))?);   // a Saturday
    /// assert!(cal.is_working_day(d(2, 11))?);   // a Sunday worked before the Spring Festival
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn is_working_day(&self, date: NaiveDate) -> Result<bool, CoreError> {
        self.check(date)?;
        Ok(self.lists_say_working(date))
    }

    /// The lists' answer, once the year is known to be covered.
    fn lists_say_working(&self, date: NaiveDate) -> bool {
        if self.make_up_days.contains(&date) {
            return true;
        }
        !self.holidays.contains(&date) && !is_weekend(date)
    }

    /// The date `n` working days after `date` (`date` itself not counted).
    ///
    /// # Errors
    /// [`CoreError::NoCalendarData`] when a day counted through lies in a year the calendar
    /// does not cover; [`CoreError::InvalidPeriod`] past the end of the date range.
    ///
    /// # Example
    /// ```
    /// let cal = bangfu_core::WorkingCalendar::china()?;
    /// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2018, m, day).unwrap();
    /// assert_eq!(cal.add_working_days(d(6, 1), 1)?, d(6, 4));
    /// assert_eq!(cal.add_working_days(d(6, 1), 0)?, d(6, 1));
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> Result<NaiveDate, CoreError> {
        let mut d = date;
        let mut left = n;
        while left > 0 {
            d = next_day(d)?;
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The number of working days in `(from, to]`: after `from`, up to and including `to`;
    /// zero when `to ≤ from`.
    ///
    /// # Errors
    /// [`CoreError::NoCalendarData`] when a day in `(from, to]` lies in a year the calendar
    /// does not cover.
    ///
    /// # Example
    /// ```
    /// let cal = bangfu_core::WorkingCalendar::china()?;
    /// let d = |m, day| chrono::NaiveDate::from_ymd_opt(2018, m, day).unwrap();
    /// assert_eq!(cal.working_days_between(d(6, 1), d(6, 8))?, 5);
    /// // 2018-02-12 to 2018-02-26 spans the Spring Festival: 6 working days, not 10.
    /// assert_eq!(cal.working_days_between(d(2, 12), d(2, 26))?, 6);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CoreError> {
        let mut count: u32 = 0;
        let mut d = from;
        while d < to {
            d = next_day(d)?;
            if self.is_working_day(d)? {
                count = count.checked_add(1).ok_or(CoreError::InvalidPeriod)?;
            }
        }
        Ok(count)
    }
}

/// The next day, or [`CoreError::InvalidPeriod`] at the end of the date range.
fn next_day(d: NaiveDate) -> Result<NaiveDate, CoreError> {
    d.checked_add_days(Days::new(1))
        .ok_or(CoreError::InvalidPeriod)
}

/// Saturday or Sunday.
fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

    use super::*;
    use crate::Coded;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn china() -> WorkingCalendar {
        WorkingCalendar::china().unwrap()
    }

    #[test]
    fn the_national_file_has_every_year_2017_to_2026_each_cited() {
        let file = HolidayFile::from_toml(CN_HOLIDAYS_TOML).unwrap();
        let years: Vec<i32> = file.year.iter().map(|y| y.year).collect();
        assert_eq!(years, (2017..=2026).collect::<Vec<_>>());
        for y in &file.year {
            let doc = &y.citation.document;
            assert!(
                doc.starts_with(&format!("国务院办公厅关于{}年部分节假日安排的通知", y.year)),
                "{}: {doc}",
                y.year
            );
            // Every year was checked against its notice (none is assumed) and every notice but
            // 2026's (whose number the copies checked do not print) names its number.
            assert!(!y.citation.assumed, "{}", y.year);
            if y.year < 2026 {
                let number = format!("国办发明电〔{}〕", y.year - 1);
                assert!(doc.contains(&number), "{}: {doc}", y.year);
            }
            // Every notice has the seven festivals (中秋 and 国庆 merged in some years).
            assert!((6..=7).contains(&y.festival.len()), "{}", y.year);
            for f in y.festival.iter().filter_map(|f| f.citation.as_ref()) {
                assert!(f.document.contains("国办发明电"), "{}", y.year);
            }
        }
        let cal = file.calendar().unwrap();
        assert!((2017..=2026).all(|y| cal.covers(y)));
        assert!(!cal.covers(2016) && !cal.covers(2027));
    }

    /// The national calendar has `off` off and `worked` worked, and five working days after
    /// `start` end on `until`.
    fn as_the_notice_gives_it(
        off: (NaiveDate, NaiveDate),
        worked: &[NaiveDate],
        start: NaiveDate,
        until: NaiveDate,
    ) {
        let cal = china();
        for day in off.0.iter_days().take_while(|day| *day <= off.1) {
            assert!(!cal.is_working_day(day).unwrap(), "{day}");
        }
        for day in worked {
            assert!(cal.is_working_day(*day).unwrap(), "{day}");
        }
        assert_eq!(cal.add_working_days(start, 5).unwrap(), until);
    }

    #[test]
    fn spring_festival_2018_as_the_notice_gives_it() {
        // 国办发明电〔2017〕12号 二: 2月15日至21日放假调休; 2月11日(星期日)、2月24日(星期六)上班.
        // Five working days from Monday 2018-02-12: 13, 14, 22, 23, 24 → Saturday 24 February.
        let worked = [d(2018, 2, 11), d(2018, 2, 14), d(2018, 2, 24)];
        as_the_notice_gives_it(
            (d(2018, 2, 15), d(2018, 2, 21)),
            &worked,
            d(2018, 2, 12),
            d(2018, 2, 24),
        );
        assert!(!china().is_working_day(d(2018, 2, 25)).unwrap());
        // The weekdays-only count would have said Monday 19 February, inside the holiday.
        let weekdays = WorkingCalendar::weekdays_only();
        assert_eq!(
            weekdays.add_working_days(d(2018, 2, 12), 5).unwrap(),
            d(2018, 2, 19)
        );
    }

    #[test]
    fn national_day_2019_as_the_notice_gives_it() {
        // 国办发明电〔2018〕15号 七: 10月1日至7日放假调休; 9月29日(星期日)、10月12日(星期六)上班.
        // From Friday 2019-09-27: 29 Sep, 30 Sep, 8, 9, 10 Oct → Thursday 10 October.
        let worked = [d(2019, 9, 29), d(2019, 10, 12)];
        as_the_notice_gives_it(
            (d(2019, 10, 1), d(2019, 10, 7)),
            &worked,
            d(2019, 9, 27),
            d(2019, 10, 10),
        );
    }

    #[test]
    fn amended_notices_are_in_force() {
        let cal = china();
        // 2019 劳动节 as changed by 国办发明电〔2019〕3号.
        assert!(!cal.is_working_day(d(2019, 5, 2)).unwrap());
        assert!(cal.is_working_day(d(2019, 4, 28)).unwrap());
        assert!(cal.is_working_day(d(2019, 5, 5)).unwrap());
        // 2020 春节 as extended by 国办发明电〔2020〕1号: Friday 31 January off, Saturday
        // 1 February no longer worked, work resumes Monday 3 February.
        assert!(!cal.is_working_day(d(2020, 1, 31)).unwrap());
        assert!(!cal.is_working_day(d(2020, 2, 1)).unwrap());
        assert!(cal.is_working_day(d(2020, 2, 3)).unwrap());
        // 2019's notice makes Saturday 2018-12-29 a working day.
        assert!(cal.is_working_day(d(2018, 12, 29)).unwrap());
    }

    #[test]
    fn a_year_without_data_is_an_error() {
        let cal = china();
        let err = cal.add_working_days(d(2026, 12, 28), 5).unwrap_err();
        assert_eq!(err, CoreError::NoCalendarData { year: 2027 });
        assert_eq!(err.code(), "core.calendar.no_data");
        assert_eq!(
            cal.working_days_between(d(2016, 12, 1), d(2017, 1, 5))
                .unwrap_err()
                .code(),
            "core.calendar.no_data"
        );
        assert!(cal.is_working_day(d(2016, 6, 1)).is_err());
        // A count that stays inside covered years is fine up to the last day.
        assert_eq!(
            cal.working_days_between(d(2026, 12, 30), d(2026, 12, 31))
                .unwrap(),
            1
        );
        // Zero days asks nothing of the calendar.
        assert_eq!(
            cal.add_working_days(d(2030, 1, 1), 0).unwrap(),
            d(2030, 1, 1)
        );
    }

    #[test]
    fn bad_files_are_refused() {
        let one = |festival: &str| {
            HolidayFile::from_toml(&format!(
                "[[year]]\nyear = 2018\ncitation = {{ document = \"x\" }}\n[[year.festival]]\nname = \"x\"\n{festival}"
            ))
            .unwrap()
            .calendar()
        };
        for (text, problem) in [
            (
                "from = \"2018-02-21\"\nto = \"2018-02-15\"\n",
                "festival ends before it starts",
            ),
            (
                "from = \"2016-02-15\"\nto = \"2016-02-21\"\n",
                "festival outside its year",
            ),
            (
                "from = \"2018-02-01\"\nto = \"2018-03-21\"\n",
                "festival longer than a month",
            ),
            (
                "from = \"2018-02-15\"\nto = \"2018-02-21\"\nwork = [\"2018-02-17\"]\n",
                "make-up day falls on a day off",
            ),
            (
                "from = \"2018-02-15\"\nto = \"2018-02-21\"\nwork = [\"2018-02-13\"]\n",
                "make-up day is not a Saturday or Sunday",
            ),
        ] {
            let err = one(text).unwrap_err();
            assert_eq!(
                err,
                CoreError::CalendarData {
                    year: 2018,
                    problem
                },
                "{text}"
            );
            assert_eq!(err.code(), "core.calendar.invalid");
        }
        let twice = HolidayFile::from_toml(
            "[[year]]\nyear = 2018\ncitation = { document = \"x\" }\n[[year]]\nyear = 2018\ncitation = { document = \"x\" }\n",
        )
        .unwrap();
        assert_eq!(
            twice.calendar().unwrap_err(),
            CoreError::CalendarData {
                year: 2018,
                problem: "year given twice"
            }
        );
        assert!(
            HolidayFile::from_toml(
                "[[year]]\nyear = 2018\ncitation = { document = \"x\" }\nextra = 1\n"
            )
            .is_err()
        );
    }

    #[test]
    fn a_year_with_no_festival_is_weekdays_with_data() {
        let file = HolidayFile::from_toml("[[year]]\nyear = 2030\ncitation = { document = \"x\", assumed = true, note = \"no notice yet\" }\n").unwrap();
        let cal = file.calendar().unwrap();
        assert!(cal.covers(2030));
        assert!(file.year[0].citation.assumed);
    }

    proptest! {
        // Counting forward then measuring back round-trips, and the end day is a working day.
        #[test]
        fn counting_forward_then_back_round_trips(offset in 0u64..3500, n in 0u32..60) {
            let cal = china();
            let start = d(2017, 1, 1).checked_add_days(Days::new(offset)).unwrap();
            match cal.add_working_days(start, n) {
                Ok(end) => {
                    prop_assert_eq!(cal.working_days_between(start, end).unwrap(), n);
                    if n > 0 {
                        prop_assert!(cal.is_working_day(end).unwrap());
                        // One day earlier holds one working day fewer.
                        let before = end.pred_opt().unwrap();
                        prop_assert_eq!(cal.working_days_between(start, before).unwrap(), n - 1);
                    }
                }
                Err(e) => prop_assert_eq!(e.code(), "core.calendar.no_data"),
            }
        }

        // Holidays and make-up days only move working days: with none listed, the national
        // count and the weekdays-only count agree outside the lists.
        #[test]
        fn a_day_not_listed_is_worked_on_weekdays_only(offset in 0u64..3650) {
            let cal = china();
            let day = d(2017, 1, 1).checked_add_days(Days::new(offset)).unwrap();
            if !cal.holidays.contains(&day) && !cal.make_up_days.contains(&day) {
                prop_assert_eq!(cal.is_working_day(day).unwrap(), !is_weekend(day));
            }
        }
    }
}
