//! Effective-dated parameter timelines.

use chrono::NaiveDate;

use crate::{CitationId, CoreError};

/// One value of a parameter, in force from a date until the next value (生效日期).
///
/// # Example
/// ```
/// use bangfu_core::{CitationId, Dated};
/// let d = Dated::new(chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap(), 5u32, CitationId::new("seed")?);
/// assert_eq!(d.value, 5);
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Dated<T> {
    /// The first day the value is in force.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "crate::iso_date")]
    pub from: NaiveDate,
    /// The value.
    pub value: T,
    /// Where the value comes from (an id in the policy's citation table).
    pub cite: CitationId,
}

impl<T> Dated<T> {
    /// A dated value.
    pub fn new(from: NaiveDate, value: T, cite: CitationId) -> Dated<T> {
        Dated { from, value, cite }
    }
}

/// The values of one parameter over time, strictly increasing by start date. A value is in
/// force from its date until the next one starts. Looking up a date before the first value
/// is an error, never a default.
///
/// Serde reads and writes the list of [`Dated`] values and checks the order.
///
/// # Example
/// ```
/// use bangfu_core::{CitationId, Dated, Timeline};
/// use chrono::NaiveDate;
/// let d = |y| NaiveDate::from_ymd_opt(y, 1, 1).unwrap();
/// let cite = CitationId::new("policy")?;
/// let cap = Timeline::new(vec![
///     Dated::new(d(2018), 15_000u32, cite.clone()),
///     Dated::new(d(2020), 20_000u32, cite),
/// ])?;
/// assert_eq!(cap.at("aid.medical.cap", d(2019))?.value, 15_000);
/// assert_eq!(cap.at("aid.medical.cap", d(2021))?.value, 20_000);
/// let err = cap.at("aid.medical.cap", d(2017)).unwrap_err();
/// assert_eq!(bangfu_core::Coded::code(&err), "core.parameter.not_in_force");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "Vec<Dated<T>>", into = "Vec<Dated<T>>")]
#[serde(bound(
    serialize = "T: serde::Serialize + Clone",
    deserialize = "T: serde::Deserialize<'de>"
))]
pub struct Timeline<T> {
    entries: Vec<Dated<T>>,
}

impl<T> Timeline<T> {
    /// A timeline from values in date order.
    ///
    /// # Errors
    /// [`CoreError::TimelineOrder`] when the list is empty or the dates do not strictly
    /// increase.
    pub fn new(entries: Vec<Dated<T>>) -> Result<Timeline<T>, CoreError> {
        if entries.is_empty()
            || entries
                .windows(2)
                .any(|w| matches!(w, [a, b] if a.from >= b.from))
        {
            return Err(CoreError::TimelineOrder);
        }
        Ok(Timeline { entries })
    }

    /// A timeline of one value.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{CitationId, Timeline};
    /// let t = Timeline::single(chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap(), 'x', CitationId::new("c")?);
    /// assert_eq!(t.entries().len(), 1);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn single(from: NaiveDate, value: T, cite: CitationId) -> Timeline<T> {
        Timeline {
            entries: vec![Dated::new(from, value, cite)],
        }
    }

    /// The value in force on `date`; `parameter` names it in the error.
    ///
    /// # Errors
    /// [`CoreError::NotInForce`] when `date` is before the first value.
    pub fn at(&self, parameter: &str, date: NaiveDate) -> Result<&Dated<T>, CoreError> {
        // Entries are sorted: the last one starting on or before `date` is in force.
        let idx = self.entries.partition_point(|e| e.from <= date);
        match idx.checked_sub(1).and_then(|i| self.entries.get(i)) {
            Some(e) => Ok(e),
            None => Err(CoreError::NotInForce {
                parameter: parameter.to_owned(),
                date,
                first: self.entries.first().map_or(date, |e| e.from),
            }),
        }
    }

    /// All values in date order.
    pub fn entries(&self) -> &[Dated<T>] {
        &self.entries
    }
}

impl<T> TryFrom<Vec<Dated<T>>> for Timeline<T> {
    type Error = CoreError;
    fn try_from(v: Vec<Dated<T>>) -> Result<Self, Self::Error> {
        Timeline::new(v).map_err(|e| crate::read::noted(e, ""))
    }
}

impl<T: Clone> From<Timeline<T>> for Vec<Dated<T>> {
    fn from(t: Timeline<T>) -> Self {
        t.entries
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;
    use proptest::prelude::*;

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(n as u64)
    }

    #[test]
    fn refuses_unordered_and_empty() {
        let c = CitationId::new("c").unwrap();
        assert!(Timeline::<u8>::new(vec![]).is_err());
        let same = vec![Dated::new(day(1), 1u8, c.clone()), Dated::new(day(1), 2, c)];
        assert!(Timeline::new(same).is_err());
    }

    proptest! {
        #[test]
        fn lookup_finds_the_latest_value_started(mut starts in proptest::collection::btree_set(0i64..5000, 1..20), probe in 0i64..6000) {
            let c = CitationId::new("c").unwrap();
            let starts: Vec<i64> = std::mem::take(&mut starts).into_iter().collect();
            let t = Timeline::new(starts.iter().map(|&s| Dated::new(day(s), s, c.clone())).collect()).unwrap();
            let expected = starts.iter().rev().find(|&&s| s <= probe);
            match (t.at("p", day(probe)), expected) {
                (Ok(v), Some(&s)) => prop_assert_eq!(v.value, s),
                (Err(e), None) => prop_assert_eq!(crate::Coded::code(&e), "core.parameter.not_in_force"),
                (got, want) => prop_assert!(false, "got {:?} want {:?}", got, want),
            }
        }
    }
}
