//! Facts: the computed figures an evaluation reads, each with the records it came from.

use std::collections::BTreeSet;

use bangfu_core::{AidCategory, Labelled, Lang, Money, Rate, UnitId};
use rust_decimal::Decimal;

use crate::ScoringError;

bangfu_core::define_id! {
    /// A record id (记录编号): a ledger posting, a payment, a case-file event, a visit form.
    ///
    /// ```
    /// assert!(bangfu_scoring::RecordId::new("pay:2018-000123").is_ok());
    /// ```
    pub struct RecordId("record");
}

/// A count and, where the caller has them, the ids of the records counted (计数及来源记录).
///
/// When `records` is not empty its length must equal `count` ([`Facts::validate`] checks).
///
/// # Example
/// ```
/// use bangfu_scoring::{RecordId, Tally};
/// let t = Tally::of(vec![RecordId::new("v1")?, RecordId::new("v2")?]);
/// assert_eq!(t.count, 2);
/// assert_eq!(Tally::count(82).count, 82);
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tally {
    /// How many.
    pub count: u64,
    /// The records counted (may be empty when only the count is known).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordId>,
}

impl Tally {
    /// A bare count.
    pub const fn count(count: u64) -> Tally {
        Tally {
            count,
            records: Vec::new(),
        }
    }

    /// A tally of these records.
    pub fn of(records: Vec<RecordId>) -> Tally {
        Tally {
            count: records.len() as u64,
            records,
        }
    }

    /// Whether nothing was counted.
    ///
    /// ```
    /// assert!(bangfu_scoring::Tally::default().is_empty());
    /// assert!(!bangfu_scoring::Tally::count(1).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.count == 0 && self.records.is_empty()
    }

    fn check(&self, field: &'static str) -> Result<(), ScoringError> {
        if !self.records.is_empty() && self.records.len() as u64 != self.count {
            return Err(ScoringError::InconsistentFacts { field });
        }
        Ok(())
    }
}

/// A name in both languages (名称).
///
/// # Example
/// ```
/// let n = bangfu_scoring::Name::new("中央财政资金", "central fiscal funds");
/// assert_eq!(n.get(bangfu_core::Lang::En), "central fiscal funds");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Name {
    /// Chinese.
    pub zh: String,
    /// English.
    pub en: String,
}

impl Name {
    /// A name.
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Name {
        Name {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The name in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// An amount with a name, such as one income kind of a fund source (收入明细).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamedAmount {
    /// What it is.
    pub name: Name,
    /// How much.
    pub amount: Money,
    /// Where it comes from, if known (ledger posting ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordId>,
}

/// Spending of one aid category from one source (支出明细): amount and person-times.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CategoryFigures {
    /// The aid category.
    pub category: AidCategory,
    /// The amount spent.
    pub amount: Money,
    /// Person-times paid (人次): one payment record is one person-time.
    pub person_times: u64,
}

/// Spending of one campaign counted in no aid category (单列专项活动: female-worker care, a
/// campaign a policy adds), from one source: its name, amount and person-times. It is part
/// of its source's `spent`, never of a category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignFigures {
    /// The campaign's name.
    pub name: Name,
    /// The amount spent.
    pub amount: Money,
    /// Person-times paid (人次).
    pub person_times: u64,
}

/// The figures of one fund source (资金来源): budget, received, spent, by category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceFigures {
    /// The source's code, as the ledger names it (`central_fiscal`, ...).
    pub code: String,
    /// The source's name.
    pub name: Name,
    /// Budgeted (预算).
    pub budget: Money,
    /// Received (到位).
    pub received: Money,
    /// Spent (支出).
    pub spent: Money,
    /// The kinds of income that make up `received` (may be empty).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub income: Vec<NamedAmount>,
    /// Spending by aid category; when not empty, with `campaigns` it sums to `spent`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub categories: Vec<CategoryFigures>,
    /// Spending of the campaigns counted in no category (单列专项活动), each on a line of its
    /// own.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub campaigns: Vec<CampaignFigures>,
    /// The ledger postings behind these figures, if known.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<RecordId>,
}

impl SourceFigures {
    /// Person-times paid from this source: its categories' and its own-line campaigns'.
    pub fn person_times(&self) -> u64 {
        let categories = self
            .categories
            .iter()
            .fold(0u64, |acc, c| acc.saturating_add(c.person_times));
        self.campaigns
            .iter()
            .fold(categories, |acc, c| acc.saturating_add(c.person_times))
    }
}

/// Filed households of one union unit (工会单位在档户数).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitFigures {
    /// The unit.
    pub unit: UnitId,
    /// Its name.
    pub name: Name,
    /// Active filed households at the end of the period.
    pub households: Tally,
}

/// Payments that broke a rule (合规性): each counted from the ledger and the case files.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compliance {
    /// Payments from an earmarked source outside its allowed use (违反专款专用).
    pub earmark_violations: Tally,
    /// Payments made in cash (现金发放).
    pub cash_payments: Tally,
    /// Payments above the standard (超标准发放).
    pub over_standard_payments: Tally,
    /// Payments to files that were not payable (向非在档档案发放).
    pub unpayable_payments: Tally,
}

impl Compliance {
    /// All defects together.
    pub fn total(&self) -> u64 {
        self.earmark_violations
            .count
            .saturating_add(self.cash_payments.count)
            .saturating_add(self.over_standard_payments.count)
            .saturating_add(self.unpayable_payments.count)
    }

    /// Reads the defects together as the fact `key`, with every defect's records.
    fn defects_reading(&self, key: FactKey) -> Reading {
        let mut records = Vec::new();
        for t in [
            &self.earmark_violations,
            &self.cash_payments,
            &self.over_standard_payments,
            &self.unpayable_payments,
        ] {
            records.extend(t.records.iter().cloned());
        }
        Reading {
            key,
            value: Decimal::from(self.total()),
            zh: format!(
                "违规合计 {}（违反专款专用 {}、现金发放 {}、超标准 {}、非在档 {}）",
                self.total(),
                self.earmark_violations.count,
                self.cash_payments.count,
                self.over_standard_payments.count,
                self.unpayable_payments.count
            ),
            en: format!(
                "defects {} (earmark {}, cash {}, over standard {}, not payable {})",
                self.total(),
                self.earmark_violations.count,
                self.cash_payments.count,
                self.over_standard_payments.count,
                self.unpayable_payments.count
            ),
            records,
        }
    }
}

/// Home-visit survey counts (入户走访调查).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyFigures {
    /// Households visited (走访户数), each with its visit form.
    pub visited: Tally,
    /// Households that answered the satisfaction question (有效问卷).
    pub surveyed: Tally,
    /// Households satisfied (满意).
    pub satisfied: Tally,
}

/// Money recovered from wrongly paid households (追缴).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recoveries {
    /// Households recovered from.
    pub households: Tally,
    /// Amount recovered.
    pub amount: Money,
}

/// Temporary aid (临时救助) paid to workers who are **not filed**: a part of living aid's
/// spending and of the person-times, kept apart so that what is counted per filed household
/// (the plan's person-times, the average living aid per household) does not count it.
///
/// The ledger carries it as living aid of kind `temporary`, so the sources' category figures
/// include it; these figures say how much of them it is. Empty when the year paid none.
///
/// # Example
/// ```
/// use bangfu_scoring::{Facts, RecordId, Tally, TemporaryAidFacts};
/// let mut f = Facts::default();
/// f.person_times = Tally::count(10);
/// f.temporary_aid = TemporaryAidFacts {
///     spent: "3000.00".parse()?,
///     person_times: Tally::of(vec![RecordId::new("TP-1")?]),
///     persons: Tally::of(vec![RecordId::new("W-1")?]),
/// };
/// assert_eq!(f.filed_person_times(), 9);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TemporaryAidFacts {
    /// Spent on temporary aid (临时救助支出), inside living aid's spending.
    pub spent: Money,
    /// Temporary-aid payments (临时救助人次): one payment is one person-time, inside
    /// `Facts::person_times`.
    pub person_times: Tally,
    /// The workers paid (临时救助人数), by the union's key.
    pub persons: Tally,
}

impl TemporaryAidFacts {
    /// Whether the year paid no temporary aid.
    ///
    /// ```
    /// assert!(bangfu_scoring::TemporaryAidFacts::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.spent.is_zero() && self.person_times.is_empty() && self.persons.is_empty()
    }
}

/// The computed figures of one programme year (基础数据), as the lead fills them from the
/// ledger, the registry, the payment records and the surveys. Nothing here is typed in by
/// an evaluator: what only a person can judge goes into [`crate::Judgements`].
///
/// # Example
/// ```
/// use bangfu_core::Money;
/// use bangfu_scoring::{FactKey, Facts};
/// let mut f = Facts::default();
/// f.budget = Money::parse_wan("1100")?;
/// f.received = Money::parse_wan("1125.074864")?;
/// f.spent = Money::parse_wan("1083.784139")?;
/// f.validate()?;
/// let r = f.read(FactKey::ExecutionRate)?;
/// assert_eq!(r.display(bangfu_core::Lang::Zh), "96.33 %");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Facts {
    /// Budget of the year (预算资金).
    pub budget: Money,
    /// Funds received (实际到位资金).
    pub received: Money,
    /// Funds spent (实际支出资金).
    pub spent: Money,
    /// The same by fund source; when not empty, budgets, receipts and spending sum to the
    /// totals above.
    #[serde(default)]
    pub sources: Vec<SourceFigures>,
    /// Person-times paid (帮扶人次).
    pub person_times: Tally,
    /// Person-times planned (计划帮扶人次).
    pub planned_person_times: u64,
    /// Active filed households at the end of the period (在档户数).
    pub households_active: Tally,
    /// Dependants in those households (供养人口), if known.
    #[serde(default)]
    pub dependants: Option<u64>,
    /// Active households helped at least twice in the year (帮扶两次以上户数).
    pub households_helped_twice: Tally,
    /// Active households by union unit; when not empty, sums to `households_active`.
    #[serde(default)]
    pub units: Vec<UnitFigures>,
    /// Payment records (救助记录).
    pub payments: Tally,
    /// Payment records entered in the system within one month of payment (一个月内录入).
    pub payments_entered_within_month: Tally,
    /// Public notices (公示) held during filing.
    pub notices: Tally,
    /// Public notices whose period was respected (公示期满足).
    pub notices_respected: Tally,
    /// Rule-breaking payments.
    #[serde(default)]
    pub compliance: Compliance,
    /// Files checked for quality (档案).
    pub files: Tally,
    /// Files with a quality flag (质量问题档案, such as the system's orange mark).
    pub files_with_quality_flags: Tally,
    /// Exits and cancellations that were due (应脱困、注销).
    pub exits_and_cancellations: Tally,
    /// Exits and cancellations made on time (按时办理).
    pub exits_and_cancellations_on_time: Tally,
    /// The home-visit survey.
    #[serde(default)]
    pub survey: SurveyFigures,
    /// Recoveries of wrongly paid aid.
    #[serde(default)]
    pub recoveries: Recoveries,
    /// Temporary aid to workers who are not filed (临时救助), inside living aid and the
    /// person-times above; absent from JSON when there is none.
    #[serde(default, skip_serializing_if = "TemporaryAidFacts::is_empty")]
    pub temporary_aid: TemporaryAidFacts,
}

macro_rules! part_of {
    ($self:ident, $part:ident, $whole:ident) => {
        if $self.$part.count > $self.$whole.count {
            return Err(ScoringError::InconsistentFacts {
                field: concat!(stringify!($part), " > ", stringify!($whole)),
            });
        }
    };
}

impl Facts {
    /// Checks that the facts hold together: tallies match their record lists, parts do not
    /// exceed wholes, and breakdowns sum to their totals.
    ///
    /// # Errors
    /// [`ScoringError::InconsistentFacts`] naming the first figure that does not fit;
    /// [`ScoringError::Core`] on a money overflow.
    ///
    /// # Example
    /// ```
    /// use bangfu_scoring::{Facts, Tally};
    /// let mut f = Facts::default();
    /// f.households_active = Tally::count(10);
    /// f.households_helped_twice = Tally::count(11);
    /// assert!(f.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), ScoringError> {
        let tallies: [(&Tally, &'static str); 19] = [
            (&self.person_times, "person_times"),
            (&self.households_active, "households_active"),
            (&self.households_helped_twice, "households_helped_twice"),
            (&self.payments, "payments"),
            (
                &self.payments_entered_within_month,
                "payments_entered_within_month",
            ),
            (&self.notices, "notices"),
            (&self.notices_respected, "notices_respected"),
            (&self.compliance.earmark_violations, "earmark_violations"),
            (&self.compliance.cash_payments, "cash_payments"),
            (
                &self.compliance.over_standard_payments,
                "over_standard_payments",
            ),
            (&self.compliance.unpayable_payments, "unpayable_payments"),
            (&self.files, "files"),
            (&self.files_with_quality_flags, "files_with_quality_flags"),
            (&self.exits_and_cancellations, "exits_and_cancellations"),
            (
                &self.exits_and_cancellations_on_time,
                "exits_and_cancellations_on_time",
            ),
            (&self.survey.visited, "survey.visited"),
            (&self.survey.satisfied, "survey.satisfied"),
            (
                &self.temporary_aid.person_times,
                "temporary_aid.person_times",
            ),
            (&self.temporary_aid.persons, "temporary_aid.persons"),
        ];
        for (t, field) in tallies {
            t.check(field)?;
        }
        self.survey.surveyed.check("survey.surveyed")?;
        self.recoveries.households.check("recoveries.households")?;
        part_of!(self, households_helped_twice, households_active);
        part_of!(self, payments_entered_within_month, payments);
        part_of!(self, notices_respected, notices);
        part_of!(self, files_with_quality_flags, files);
        part_of!(
            self,
            exits_and_cancellations_on_time,
            exits_and_cancellations
        );
        self.validate_temporary_aid()?;
        if self.survey.satisfied.count > self.survey.surveyed.count {
            return Err(ScoringError::InconsistentFacts {
                field: "survey.satisfied > survey.surveyed",
            });
        }
        if self.survey.surveyed.count > self.survey.visited.count {
            return Err(ScoringError::InconsistentFacts {
                field: "survey.surveyed > survey.visited",
            });
        }
        if self.spent > self.received {
            return Err(ScoringError::InconsistentFacts {
                field: "spent > received",
            });
        }
        self.validate_sources()?;
        if !self.units.is_empty() {
            let n = self
                .units
                .iter()
                .fold(0u64, |acc, u| acc.saturating_add(u.households.count));
            if n != self.households_active.count {
                return Err(ScoringError::InconsistentFacts {
                    field: "units.households",
                });
            }
            for u in &self.units {
                u.households.check("units.households")?;
            }
        }
        Ok(())
    }

    /// Temporary aid is part of living aid and of the person-times, never more.
    fn validate_temporary_aid(&self) -> Result<(), ScoringError> {
        let t = &self.temporary_aid;
        if t.person_times.count > self.person_times.count {
            return Err(ScoringError::InconsistentFacts {
                field: "temporary_aid.person_times > person_times",
            });
        }
        if t.persons.count > t.person_times.count {
            return Err(ScoringError::InconsistentFacts {
                field: "temporary_aid.persons > temporary_aid.person_times",
            });
        }
        if t.spent > self.spent
            || (!self.sources.is_empty() && t.spent > self.spent_on(AidCategory::Living)?)
        {
            return Err(ScoringError::InconsistentFacts {
                field: "temporary_aid.spent > living aid spent",
            });
        }
        Ok(())
    }

    /// The sources add up to the totals; each source's income and categories to its own.
    fn validate_sources(&self) -> Result<(), ScoringError> {
        if !self.sources.is_empty() {
            let sum = |f: fn(&SourceFigures) -> Money| Money::sum(self.sources.iter().map(f));
            if sum(|s| s.budget)? != self.budget {
                return Err(ScoringError::InconsistentFacts {
                    field: "sources.budget",
                });
            }
            if sum(|s| s.received)? != self.received {
                return Err(ScoringError::InconsistentFacts {
                    field: "sources.received",
                });
            }
            if sum(|s| s.spent)? != self.spent {
                return Err(ScoringError::InconsistentFacts {
                    field: "sources.spent",
                });
            }
            for s in &self.sources {
                if s.spent > s.received {
                    return Err(ScoringError::InconsistentFacts {
                        field: "sources.spent > sources.received",
                    });
                }
                if !s.income.is_empty()
                    && Money::sum(s.income.iter().map(|i| i.amount))? != s.received
                {
                    return Err(ScoringError::InconsistentFacts {
                        field: "sources.income",
                    });
                }
                if !s.categories.is_empty()
                    && Money::sum(
                        s.categories
                            .iter()
                            .map(|c| c.amount)
                            .chain(s.campaigns.iter().map(|c| c.amount)),
                    )? != s.spent
                {
                    return Err(ScoringError::InconsistentFacts {
                        field: "sources.categories",
                    });
                }
            }
            if self
                .sources
                .iter()
                .all(|s| !s.categories.is_empty() || !s.campaigns.is_empty())
            {
                let pt = self
                    .sources
                    .iter()
                    .fold(0u64, |acc, s| acc.saturating_add(s.person_times()));
                if pt != self.person_times.count {
                    return Err(ScoringError::InconsistentFacts {
                        field: "sources.categories.person_times",
                    });
                }
            }
        }
        Ok(())
    }

    /// Total spending of one aid category over all sources.
    ///
    /// # Errors
    /// [`ScoringError::Core`] on overflow.
    pub fn spent_on(&self, category: AidCategory) -> Result<Money, ScoringError> {
        Ok(Money::sum(
            self.sources
                .iter()
                .flat_map(|s| s.categories.iter())
                .filter(|c| c.category == category)
                .map(|c| c.amount),
        )?)
    }

    /// Person-times of one aid category over all sources.
    pub fn person_times_of(&self, category: AidCategory) -> u64 {
        self.sources
            .iter()
            .flat_map(|s| s.categories.iter())
            .filter(|c| c.category == category)
            .fold(0u64, |acc, c| acc.saturating_add(c.person_times))
    }

    /// Person-times paid to filed households (在档户帮扶人次): all person-times but those of
    /// temporary aid, which goes to workers who are not filed. The plan
    /// (`planned_person_times`, so many aids per active file) is compared with this.
    ///
    /// ```
    /// let mut f = bangfu_scoring::Facts::default();
    /// f.person_times = bangfu_scoring::Tally::count(8);
    /// assert_eq!(f.filed_person_times(), 8);
    /// ```
    pub fn filed_person_times(&self) -> u64 {
        self.person_times
            .count
            .saturating_sub(self.temporary_aid.person_times.count)
    }

    /// Living aid paid to filed households (在档户生活救助支出): living aid's spending over
    /// all sources less temporary aid.
    ///
    /// # Errors
    /// [`ScoringError::Core`] on overflow.
    ///
    /// ```
    /// let f = bangfu_scoring::Facts::default();
    /// assert!(f.filed_living_aid()?.is_zero());
    /// # Ok::<(), bangfu_scoring::ScoringError>(())
    /// ```
    pub fn filed_living_aid(&self) -> Result<Money, ScoringError> {
        Ok(self
            .spent_on(AidCategory::Living)?
            .saturating_sub(self.temporary_aid.spent))
    }

    /// Reads one fact: its value, how it was computed, and the records it came from.
    ///
    /// Ratios are exact; nothing is capped (the arrival rate of the seed is 102.28 %).
    ///
    /// # Errors
    /// [`ScoringError::ZeroDenominator`] for a ratio over zero (no budget, no payments, no
    /// survey ...).
    ///
    /// # Example
    /// ```
    /// use bangfu_scoring::{FactKey, Facts, Tally};
    /// let mut f = Facts::default();
    /// f.survey.visited = Tally::count(82);
    /// f.survey.surveyed = Tally::count(82);
    /// f.survey.satisfied = Tally::count(80);
    /// let r = f.read(FactKey::SatisfactionRate)?;
    /// assert_eq!(r.display(bangfu_core::Lang::En), "97.56 %");
    /// assert!(f.read(FactKey::CoverageRate).is_err());
    /// # Ok::<(), bangfu_scoring::ScoringError>(())
    /// ```
    pub fn read(&self, key: FactKey) -> Result<Reading, ScoringError> {
        let c = &self.compliance;
        match key {
            FactKey::ArrivalRate => money_ratio(
                key,
                self.received,
                self.budget,
                ("实际到位", "received"),
                ("预算", "budget"),
            ),
            FactKey::ExecutionRate => money_ratio(
                key,
                self.spent,
                self.received,
                ("实际支出", "spent"),
                ("实际到位", "received"),
            ),
            FactKey::PersonTimes => Ok(count_reading(
                key,
                &self.person_times,
                ("帮扶人次", "person-times"),
            )),
            FactKey::PersonTimesRate => self.person_times_rate(key),
            FactKey::CoverageRate => count_ratio(
                key,
                &self.households_helped_twice,
                self.households_active.count,
                ("帮扶两次以上户数", "households helped twice or more"),
                ("在档户数", "active households"),
            ),
            FactKey::EntryTimelinessRate => count_ratio(
                key,
                &self.payments_entered_within_month,
                self.payments.count,
                ("一个月内录入记录", "records entered within a month"),
                ("救助记录", "payment records"),
            ),
            FactKey::NoticeComplianceRate => count_ratio(
                key,
                &self.notices_respected,
                self.notices.count,
                ("公示期满足的公示", "notices with the full period"),
                ("公示", "notices"),
            ),
            FactKey::FileQualityRate => {
                let good = Tally::count(
                    self.files
                        .count
                        .saturating_sub(self.files_with_quality_flags.count),
                );
                count_ratio(
                    key,
                    &good,
                    self.files.count,
                    ("无质量问题档案", "files without quality flags"),
                    ("档案", "files"),
                )
            }
            FactKey::FileFlagRate => count_ratio(
                key,
                &self.files_with_quality_flags,
                self.files.count,
                ("有质量问题档案", "files with quality flags"),
                ("档案", "files"),
            ),
            FactKey::ExitTimelinessRate => count_ratio(
                key,
                &self.exits_and_cancellations_on_time,
                self.exits_and_cancellations.count,
                ("按时脱困注销", "exits and cancellations on time"),
                ("应脱困注销", "due"),
            ),
            FactKey::SatisfactionRate => count_ratio(
                key,
                &self.survey.satisfied,
                self.survey.surveyed.count,
                ("满意户数", "satisfied"),
                ("调查户数", "surveyed"),
            ),
            FactKey::SampleRate => count_ratio(
                key,
                &self.survey.visited,
                self.households_active.count,
                ("走访户数", "households visited"),
                ("在档户数", "active households"),
            ),
            FactKey::EarmarkViolations => Ok(count_reading(
                key,
                &c.earmark_violations,
                ("违反专款专用", "earmark violations"),
            )),
            FactKey::CashPayments => Ok(count_reading(
                key,
                &c.cash_payments,
                ("现金发放", "cash payments"),
            )),
            FactKey::OverStandardPayments => Ok(count_reading(
                key,
                &c.over_standard_payments,
                ("超标准发放", "over-standard payments"),
            )),
            FactKey::UnpayablePayments => Ok(count_reading(
                key,
                &c.unpayable_payments,
                ("向非在档档案发放", "payments to files not payable"),
            )),
            FactKey::ComplianceDefects => Ok(c.defects_reading(key)),
        }
    }
    /// The person-times against the plan: the plan is so many aids per active file, so
    /// temporary aid (to workers who are not filed) is not part of it.
    fn person_times_rate(&self, key: FactKey) -> Result<Reading, ScoringError> {
        // The plan is so many aids per active file: temporary aid, to workers who
        // are not filed, is not part of it.
        if self.temporary_aid.person_times.count == 0 {
            return count_ratio(
                key,
                &self.person_times,
                self.planned_person_times,
                ("实际帮扶人次", "person-times"),
                ("计划人次", "planned"),
            );
        }
        let temporary: BTreeSet<&RecordId> =
            self.temporary_aid.person_times.records.iter().collect();
        let filed = Tally {
            count: self.filed_person_times(),
            records: if temporary.is_empty() {
                Vec::new()
            } else {
                self.person_times
                    .records
                    .iter()
                    .filter(|r| !temporary.contains(r))
                    .cloned()
                    .collect()
            },
        };
        // Records only when they are the filed person-times exactly.
        let filed = if filed.records.len() as u64 == filed.count {
            filed
        } else {
            Tally::count(filed.count)
        };
        count_ratio(
            key,
            &filed,
            self.planned_person_times,
            (
                "在档户帮扶人次（不含临时救助）",
                "person-times of filed households (temporary aid apart)",
            ),
            ("计划人次", "planned"),
        )
    }
}

/// A term of a computation in Chinese and English, such as (预算, budget).
type Term = (&'static str, &'static str);

/// Reads the fact `key` as the ratio of two amounts, shown in 万元 (10k yuan).
fn money_ratio(
    key: FactKey,
    n: Money,
    d: Money,
    (nz, ne): Term,
    (dz, de): Term,
) -> Result<Reading, ScoringError> {
    let value = Rate::ratio(n, d)
        .map_err(|_| ScoringError::ZeroDenominator { fact: key })?
        .as_decimal();
    Ok(Reading {
        key,
        value,
        zh: format!("{nz} {} 万元 ÷ {dz} {} 万元", n.wan(), d.wan()),
        en: format!("{ne} {} ÷ {de} {} (10k yuan)", n.wan(), d.wan()),
        records: Vec::new(),
    })
}

/// Reads the fact `key` as the ratio of a tally to a count, with the tally's records.
fn count_ratio(
    key: FactKey,
    n: &Tally,
    d: u64,
    (nz, ne): Term,
    (dz, de): Term,
) -> Result<Reading, ScoringError> {
    let value = ratio_u64(n.count, d).ok_or(ScoringError::ZeroDenominator { fact: key })?;
    Ok(Reading {
        key,
        value,
        zh: format!("{nz} {} ÷ {dz} {d}", n.count),
        en: format!("{ne} {} ÷ {de} {d}", n.count),
        records: n.records.clone(),
    })
}

/// Reads the fact `key` as the count of a tally, with its records.
fn count_reading(key: FactKey, t: &Tally, (z, e): Term) -> Reading {
    Reading {
        key,
        value: Decimal::from(t.count),
        zh: format!("{z} {}", t.count),
        en: format!("{e} {}", t.count),
        records: t.records.clone(),
    }
}

/// `n ÷ d` exactly, or `None` when `d` is zero.
pub(crate) fn ratio_u64(n: u64, d: u64) -> Option<Decimal> {
    if d == 0 {
        return None;
    }
    Decimal::from(n).checked_div(Decimal::from(d))
}

/// Whether a fact is a ratio or a count.
///
/// # Example
/// ```
/// use bangfu_scoring::{FactKey, FactKind};
/// assert_eq!(FactKey::CashPayments.kind(), FactKind::Count);
/// assert_eq!(FactKey::ArrivalRate.kind(), FactKind::Ratio);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    /// A ratio, shown in percent.
    Ratio,
    /// A count (defects, person-times).
    Count,
}

bangfu_core::coded_enum! {
    /// The facts an indicator can read (指标取数): a closed list, so a framework file chooses
    /// indicators without code.
    ///
    /// ```
    /// use bangfu_scoring::FactKey;
    /// use bangfu_core::Labelled;
    /// assert_eq!(FactKey::from_code("execution_rate"), Some(FactKey::ExecutionRate));
    /// assert_eq!(FactKey::ExecutionRate.zh(), "预算执行率");
    /// ```
    #[non_exhaustive]
    pub enum FactKey {
        /// Arrival rate = received ÷ budget (资金到位率), not capped.
        ArrivalRate = ("arrival_rate", "资金到位率", "arrival rate"),
        /// Budget execution rate = spent ÷ received (预算执行率).
        ExecutionRate = ("execution_rate", "预算执行率", "budget execution rate"),
        /// Person-times paid (帮扶人次).
        PersonTimes = ("person_times", "帮扶人次", "person-times"),
        /// Person-times ÷ planned person-times (帮扶人次完成率).
        PersonTimesRate = ("person_times_rate", "帮扶人次完成率", "person-times against plan"),
        /// Active households helped at least twice ÷ active households (帮扶覆盖率).
        CoverageRate = ("coverage_rate", "帮扶覆盖率（两次以上）", "coverage (helped twice or more)"),
        /// Records entered within one month ÷ records (录入及时率).
        EntryTimelinessRate = ("entry_timeliness_rate", "救助信息录入及时率", "entry within one month"),
        /// Notices with the full period ÷ notices (公示规范率).
        NoticeComplianceRate = ("notice_compliance_rate", "公示期执行率", "notice periods respected"),
        /// Files without quality flags ÷ files (档案合格率).
        FileQualityRate = ("file_quality_rate", "档案合格率", "files without quality flags"),
        /// Files with quality flags ÷ files (档案问题率), lower is better.
        FileFlagRate = ("file_flag_rate", "档案问题率", "share of files with quality flags"),
        /// Exits and cancellations on time ÷ due (动态管理及时率).
        ExitTimelinessRate = ("exit_timeliness_rate", "脱困注销及时率", "exits and cancellations on time"),
        /// Satisfied ÷ surveyed (服务对象满意度).
        SatisfactionRate = ("satisfaction_rate", "服务对象满意度", "satisfaction"),
        /// Households visited ÷ active households (入户走访比例).
        SampleRate = ("sample_rate", "入户走访比例", "home-visit ratio"),
        /// Earmark violations (违反专款专用笔数).
        EarmarkViolations = ("earmark_violations", "违反专款专用", "earmark violations"),
        /// Cash payments (现金发放笔数).
        CashPayments = ("cash_payments", "现金发放", "cash payments"),
        /// Over-standard payments (超标准发放笔数).
        OverStandardPayments = ("over_standard_payments", "超标准发放", "over-standard payments"),
        /// Payments to files not payable (向非在档档案发放笔数).
        UnpayablePayments = ("unpayable_payments", "向非在档档案发放", "payments to files not payable"),
        /// All four compliance defects together (资金使用合规性).
        ComplianceDefects = ("compliance_defects", "资金使用违规合计", "compliance defects"),
    }
}

impl FactKey {
    /// Whether the fact is a ratio or a count.
    pub const fn kind(self) -> FactKind {
        match self {
            FactKey::PersonTimes
            | FactKey::EarmarkViolations
            | FactKey::CashPayments
            | FactKey::OverStandardPayments
            | FactKey::UnpayablePayments
            | FactKey::ComplianceDefects => FactKind::Count,
            _ => FactKind::Ratio,
        }
    }
}

/// One fact as read: the exact value, the computation in both languages, and its records.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Reading {
    /// Which fact.
    pub key: FactKey,
    /// The exact value (a ratio such as `0.9633`, or a count).
    pub value: Decimal,
    /// How it was computed, in Chinese.
    pub zh: String,
    /// How it was computed, in English.
    pub en: String,
    /// The records it came from (may be empty when only counts are known).
    pub records: Vec<RecordId>,
}

impl Reading {
    /// The value for display: ratios in percent with two decimals (half up), counts as they
    /// are.
    pub fn display(&self, lang: Lang) -> String {
        display_value(self.key.kind(), self.value, lang)
    }

    /// The computation in `lang`.
    pub fn how(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }

    /// The fact's label in `lang`.
    pub fn label(&self, lang: Lang) -> &'static str {
        self.key.label(lang)
    }
}

/// Shows a value of a kind: ratios in percent with two decimals (half up), counts plain.
pub(crate) fn display_value(kind: FactKind, value: Decimal, _lang: Lang) -> String {
    match kind {
        FactKind::Ratio => match Rate::from_decimal(value) {
            Ok(r) => r.percent_display(2).to_string(),
            Err(_) => value.to_string(),
        },
        FactKind::Count => value.normalize().to_string(),
    }
}
