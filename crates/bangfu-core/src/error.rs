//! The core crate's error type.

use chrono::NaiveDate;

/// Why a money amount could not be parsed.
///
/// # Example
/// ```
/// use bangfu_core::{CoreError, Money, MoneyParseProblem};
/// let err = Money::parse_yuan("1.234").unwrap_err();
/// assert!(matches!(err, CoreError::MoneyParse { problem: MoneyParseProblem::TooPrecise, .. }));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum MoneyParseProblem {
    /// Not a plain decimal number (`"12.3x"`, `""`, `"1."`, `"1,000"`).
    Malformed,
    /// More decimals than the unit allows (2 in yuan, 6 in 万元).
    TooPrecise,
    /// A minus sign: money amounts are never negative.
    Negative,
    /// Larger than the largest amount (about 92 trillion yuan).
    Overflow,
}

/// An error of the core vocabulary: bad money, rates, dates, ids or parameter look-ups.
///
/// Every variant has a stable [`code`](crate::Coded::code) and zh/en labels.
///
/// # Example
/// ```
/// use bangfu_core::{Coded, Labelled, Money};
/// let err = Money::parse_yuan("-5").unwrap_err();
/// assert_eq!(err.code(), "core.money.negative");
/// assert_eq!(err.zh(), "金额为负");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CoreError {
    /// A money amount could not be parsed.
    #[error("invalid money amount `{}`: {problem:?}", crate::read::quote(.input))]
    MoneyParse {
        /// What was given.
        input: String,
        /// What is wrong with it.
        problem: MoneyParseProblem,
    },
    /// A checked money operation overflowed.
    #[error("money arithmetic overflowed in {operation}")]
    Overflow {
        /// The operation (`"add"`, `"sub"`, `"mul"`).
        operation: &'static str,
    },
    /// A result would be negative where money must not be.
    #[error("money amount would be negative")]
    Negative,
    /// A ratio with a zero denominator.
    #[error("division by zero")]
    DivisionByZero,
    /// A rate could not be parsed or is negative.
    #[error("invalid rate `{}`", crate::read::quote(.input))]
    RateParse {
        /// What was given.
        input: String,
    },
    /// No value of a parameter is in force on the date: the date is before its first value.
    #[error("parameter {parameter} has no value in force on {date} (first value from {first})")]
    NotInForce {
        /// The parameter's name.
        parameter: String,
        /// The date asked for.
        date: NaiveDate,
        /// The date of the first value.
        first: NaiveDate,
    },
    /// A parameter timeline is empty or its dates are not strictly increasing.
    #[error("parameter timeline is empty or its dates are not strictly increasing")]
    TimelineOrder,
    /// A date falls outside the period it must lie in.
    #[error("date {date} is outside {start}..={end}")]
    OutsidePeriod {
        /// The date.
        date: NaiveDate,
        /// First day of the period.
        start: NaiveDate,
        /// Last day of the period.
        end: NaiveDate,
    },
    /// A date not written as `YYYY-MM-DD`, or no such day.
    #[error("invalid date `{}`, expected YYYY-MM-DD", crate::read::quote(.input))]
    DateParse {
        /// What was given.
        input: String,
    },
    /// A period whose end is before its start, or a year out of range.
    #[error("invalid period")]
    InvalidPeriod,
    /// An id that is empty, too long or has characters outside `[A-Za-z0-9._:/-]`.
    #[error("invalid {kind} id `{}`", crate::read::quote(.input))]
    InvalidId {
        /// Which kind of id.
        kind: &'static str,
        /// What was given.
        input: String,
    },
    /// A code that names no known value of an enumeration.
    #[error("unknown {kind} code `{}`", crate::read::quote(.code))]
    UnknownCode {
        /// Which enumeration.
        kind: &'static str,
        /// What was given.
        code: String,
    },
    /// A working day asked of a calendar that has no data for the year (无该年度节假日数据):
    /// counting working days there would be a guess.
    #[error("the working-day calendar has no holiday data for {year}")]
    NoCalendarData {
        /// The year without data.
        year: i32,
    },
    /// A holiday data file that cannot be right (节假日数据错误).
    #[error("holiday data for {year}: {problem}")]
    CalendarData {
        /// The year of the entry at fault.
        year: i32,
        /// What is wrong.
        problem: &'static str,
    },
    /// A city that the minimum living standard table does not list (无该城市的最低生活保障标准).
    #[error("the minimum living standard lists no city `{}`", crate::read::quote(.city))]
    UnknownCity {
        /// The city asked for.
        city: String,
    },
    /// A section used without the policy's minimum living standard table (未提供最低生活保障标准).
    #[error(
        "no local minimum living standard was given (the policy file's [minimum_living_standard] table)"
    )]
    NoMinimumStandard,
    /// A citation id that the policy does not define.
    #[error("unknown citation `{}`", crate::read::quote(.0))]
    UnknownCitation(String),
}

impl crate::Coded for CoreError {
    fn code(&self) -> &'static str {
        match self {
            CoreError::MoneyParse { problem, .. } => match problem {
                MoneyParseProblem::Malformed => "core.money.malformed",
                MoneyParseProblem::TooPrecise => "core.money.too_precise",
                MoneyParseProblem::Negative => "core.money.negative",
                MoneyParseProblem::Overflow => "core.money.overflow",
            },
            CoreError::Overflow { .. } => "core.money.overflow",
            CoreError::Negative => "core.money.negative",
            CoreError::DivisionByZero => "core.rate.division_by_zero",
            CoreError::RateParse { .. } => "core.rate.malformed",
            CoreError::NotInForce { .. } => "core.parameter.not_in_force",
            CoreError::TimelineOrder => "core.parameter.timeline_order",
            CoreError::OutsidePeriod { .. } => "core.date.outside_period",
            CoreError::DateParse { .. } => "core.date.malformed",
            CoreError::InvalidPeriod => "core.date.invalid_period",
            CoreError::InvalidId { .. } => "core.id.invalid",
            CoreError::UnknownCode { .. } => "core.code.unknown",
            CoreError::NoCalendarData { .. } => "core.calendar.no_data",
            CoreError::CalendarData { .. } => "core.calendar.invalid",
            CoreError::UnknownCity { .. } => "core.minimum_standard.unknown_city",
            CoreError::NoMinimumStandard => "core.minimum_standard.missing",
            CoreError::UnknownCitation(_) => "core.citation.unknown",
        }
    }
}

impl crate::Labelled for CoreError {
    fn zh(&self) -> &'static str {
        match crate::Coded::code(self) {
            "core.money.malformed" => "金额格式错误",
            "core.money.too_precise" => "金额小数位过多",
            "core.money.negative" => "金额为负",
            "core.money.overflow" => "金额溢出",
            "core.rate.division_by_zero" => "除数为零",
            "core.rate.malformed" => "比率格式错误",
            "core.parameter.not_in_force" => "该日期无生效参数",
            "core.parameter.timeline_order" => "参数生效日期顺序错误",
            "core.date.outside_period" => "日期超出期间",
            "core.date.malformed" => "日期格式错误",
            "core.date.invalid_period" => "期间无效",
            "core.id.invalid" => "编号无效",
            "core.code.unknown" => "未知代码",
            "core.calendar.no_data" => "无该年度节假日数据",
            "core.calendar.invalid" => "节假日数据错误",
            "core.minimum_standard.unknown_city" => "无该城市的最低生活保障标准",
            "core.minimum_standard.missing" => "未提供最低生活保障标准",
            _ => "未知引用",
        }
    }
    fn en(&self) -> &'static str {
        match crate::Coded::code(self) {
            "core.money.malformed" => "malformed money amount",
            "core.money.too_precise" => "too many decimals in a money amount",
            "core.money.negative" => "negative money amount",
            "core.money.overflow" => "money amount overflows",
            "core.rate.division_by_zero" => "division by zero",
            "core.rate.malformed" => "malformed rate",
            "core.parameter.not_in_force" => "no parameter value in force on the date",
            "core.parameter.timeline_order" => "parameter dates out of order",
            "core.date.outside_period" => "date outside the period",
            "core.date.malformed" => "malformed date",
            "core.date.invalid_period" => "invalid period",
            "core.id.invalid" => "invalid id",
            "core.code.unknown" => "unknown code",
            "core.calendar.no_data" => "no holiday data for the year",
            "core.calendar.invalid" => "invalid holiday data",
            "core.minimum_standard.unknown_city" => "no minimum living standard for the city",
            "core.minimum_standard.missing" => "no minimum living standard given",
            _ => "unknown citation",
        }
    }
}
