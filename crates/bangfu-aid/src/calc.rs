//! The calculators: medical, living, sending warmth, education, and remaining entitlement.

use bangfu_core::{
    AidCategory, AidKind, CitationId, Citations, Explanation, Money, NaiveDate, PersonId, Year,
};

use chrono::Datelike;

use crate::fast::FenRate;
use crate::request::{PaymentRecord, history_book};
use crate::trace::{
    EducationRecord, EducationStandard, FileInputs, LivingRecord, MedicalRecord, Record,
    RemainingRecord, StandardUsed, WarmthRecord, YearlyApplied, YearlyStandard,
};
use crate::{
    AidError, AidPolicy, AmountClaim, CapScope, DegreeCode, Explain, FileFacts, MedicalClaim,
    OutOfRange, Reason, ReasonSet, SchoolStage, StandardUnit, Trace, YearToDate,
};

/// One aid decision (救助决定): what to pay now, why it is less than asked (reasons), the
/// citation of the parameter that decided the amount, and the explanation when asked.
///
/// It borrows the citation id from the policy, so deciding allocates nothing; asked to
/// explain itself, it keeps a [`Trace`] (also borrowed, no allocation for medical, living
/// and sending warmth), rendered by [`AidDecision::explanation`] or [`Trace::render`].
///
/// # Example
/// See [`Calculator::medical`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AidDecision<'p> {
    /// The aid category (救助类别).
    pub category: AidCategory,
    /// The kind inside the category.
    pub kind: AidKind,
    /// The claim date.
    pub date: NaiveDate,
    /// The amount to pay now (本次救助金额), zero when nothing is due.
    pub amount: Money,
    /// Every limit that bit and every reason nothing is paid.
    pub reasons: ReasonSet,
    /// The citation of the parameter that decided the amount (the binding limit, else the
    /// base amount or rate); none when no parameter applies.
    pub cite: Option<&'p CitationId>,
    /// The record of how the decision was reached, when an explanation was asked for.
    pub trace: Option<Trace<'p>>,
}

impl AidDecision<'_> {
    /// The full explanation (计算说明), rendered from the [`Trace`]; none when the decision was
    /// made with [`Explain::Off`].
    ///
    /// # Example
    /// See [`Calculator`].
    pub fn explanation(&self) -> Option<Explanation> {
        self.trace.as_ref().map(Trace::render)
    }
}

/// What remains of the year's entitlement on a date (剩余额度).
///
/// # Example
/// See [`Calculator::remaining`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Entitlement {
    /// The date asked about.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// Its calendar year.
    pub year: Year,
    /// Whether the file is payable on the date; when not, nothing remains.
    pub payable: bool,
    /// The yearly medical cap in force.
    pub medical_cap: Money,
    /// Whose payments share that cap.
    pub medical_cap_scope: CapScope,
    /// Medical aid already paid this year in that scope.
    pub medical_paid: Money,
    /// How much more medical aid can be paid this year.
    pub medical_remaining: Money,
    /// The yearly living-aid standard, if the policy has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub living_cap: Option<Money>,
    /// Regular living aid already paid this year.
    pub living_paid: Money,
    /// How much more living aid can be paid this year; none when there is no yearly
    /// standard (only per-time maxima).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub living_remaining: Option<Money>,
    /// Reasons (the file is not payable).
    pub reasons: ReasonSet,
    /// Sending warmth (两节送温暖) this year: the upper end of the household's range as the
    /// year's amount, what was paid and what remains. Absent when the policy has no range
    /// for the household or the entitlement was not read from payments
    /// ([`Calculator::entitlement`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sending_warmth: Option<KindEntitlement>,
    /// Education aid (助学) per student of the file this year: the stage's amount, what was
    /// paid and what remains (once a year). Absent when the file lists no student.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub education: Vec<StudentEntitlement>,
    /// Temporary aid (临时救助) of the person asked about this year: the yearly cap per
    /// person, what was paid and what remains. Absent when the policy has no temporary aid or
    /// no person was named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub temporary: Option<KindEntitlement>,
    /// The explanation, when asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Explanation>,
}

/// One kind's yearly amount, what was paid of it and what remains (本年度额度、已发放、剩余).
///
/// # Example
/// See [`Calculator::entitlement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct KindEntitlement {
    /// The year's amount (the cap or the range's upper end).
    pub cap: Money,
    /// Paid this year up to the date.
    pub paid: Money,
    /// What more can be paid this year (nothing when the file is not payable).
    pub remaining: Money,
}

/// One student's education aid this year (学生助学额度).
///
/// # Example
/// See [`Calculator::entitlement`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct StudentEntitlement {
    /// The student.
    pub student: PersonId,
    /// The school stage.
    pub stage: SchoolStage,
    /// The stage's amount for the year; none when the policy does not cover the stage.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub amount: Option<Money>,
    /// Education aid paid to the student this year up to the date.
    pub paid: Money,
    /// What remains: the amount when nothing was paid yet (once a year), else nothing.
    pub remaining: Money,
}

/// The aid calculators over one policy (救助计算器). Cheap to copy, `Send + Sync`: share one
/// across threads.
///
/// # Example
/// ```
/// use bangfu_aid::{AidPolicy, Calculator, Explain, FileFacts, MedicalClaim, YearToDate};
/// use bangfu_core::{Money, NaiveDate};
/// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
/// # let file: FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
/// let calc = Calculator::new(&policy)?;
/// let claim = MedicalClaim {
///     date: NaiveDate::from_ymd_opt(2018, 5, 2).unwrap(),
///     out_of_pocket: Money::parse_yuan("1000.01")?,
/// };
/// let d = calc.medical(&file, claim, YearToDate::default(), Explain::On)?;
/// assert_eq!(d.amount.to_string(), "500.01"); // 500.005 rounded half up, once
/// let why = d.explanation().unwrap();
/// assert_eq!(why.steps[1].result, "500.01");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Calculator<'p> {
    policy: &'p AidPolicy,
    citations: Option<&'p Citations>,
}

impl<'p> Calculator<'p> {
    /// A calculator over a validated policy.
    ///
    /// # Errors
    /// [`AidError::InvalidPolicy`] from [`AidPolicy::validate`].
    pub fn new(policy: &'p AidPolicy) -> Result<Calculator<'p>, AidError> {
        policy.validate()?;
        Ok(Calculator {
            policy,
            citations: None,
        })
    }

    /// A calculator over a policy its holder has validated once ([`AidPolicy::validate`],
    /// as [`Calculator::new`] does) and keeps unchanged: a caller deciding many claims with
    /// one policy does not check it again for each.
    ///
    /// ```
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// policy.validate()?;
    /// let calc = bangfu_aid::Calculator::validated(&policy);
    /// assert!(std::ptr::eq(calc.policy(), &policy));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn validated(policy: &'p AidPolicy) -> Calculator<'p> {
        Calculator {
            policy,
            citations: None,
        }
    }

    /// With the policy's citation table, so explanations carry each citation's text.
    pub fn with_citations(self, citations: &'p Citations) -> Calculator<'p> {
        Calculator {
            citations: Some(citations),
            ..self
        }
    }

    /// The policy.
    pub fn policy(&self) -> &'p AidPolicy {
        self.policy
    }

    /// Whose claims share one medical yearly cap on `date` (封顶口径): per applicant or per
    /// household, as the policy says then.
    ///
    /// # Errors
    /// `core.parameter.not_in_force` before the parameter's first value.
    ///
    /// ```
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// let calc = bangfu_aid::Calculator::new(&policy)?;
    /// let day = bangfu_core::NaiveDate::from_ymd_opt(2018, 6, 1).unwrap();
    /// assert_eq!(calc.cap_scope(day)?, bangfu_aid::CapScope::Applicant);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cap_scope(&self, date: NaiveDate) -> Result<crate::CapScope, AidError> {
        Ok(self
            .policy
            .medical
            .cap_scope
            .at("aid.medical.cap_scope", date)?
            .value)
    }

    /// The file checks; returns the policy's own key for the file's degree.
    fn check_file(&self, file: &FileFacts, date: NaiveDate) -> Result<&'p DegreeCode, AidError> {
        let degree = self.check_facts(file)?;
        file.check_payable(date)?;
        Ok(degree)
    }

    fn check_facts(&self, file: &FileFacts) -> Result<&'p DegreeCode, AidError> {
        if file.household_size == 0 {
            return Err(AidError::ZeroHouseholdSize);
        }
        match self.policy.degrees.get_key_value(&file.degree) {
            Some((degree, _)) => Ok(degree),
            None => Err(AidError::UnknownDegree {
                degree: file.degree.as_str().to_owned(),
            }),
        }
    }

    pub(crate) fn trace(
        &self,
        explain: Explain,
        record: impl FnOnce() -> Record<'p>,
    ) -> Option<Trace<'p>> {
        match explain {
            Explain::Off => None,
            Explain::On => Some(Trace::new(self.citations, record())),
        }
    }

    /// Medical aid (医疗救助) for one claim: rate × the year's cumulative out-of-pocket cost
    /// (earlier claims plus this one), rounded once by the policy's rule, limited by the
    /// yearly cap and by the cost itself, minus what was already paid this year. Parameters
    /// are those in force on the claim date; `so_far` is the same calendar year and cap
    /// scope ([`CapScope`]).
    ///
    /// # Errors
    /// [`AidError::NotPayable`] and the other file errors, [`AidError::NotInForce`],
    /// [`AidError::Overflow`].
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{Calculator, Explain, MedicalClaim, Reason, YearToDate};
    /// use bangfu_core::{Coded, Money, NaiveDate};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// # let mut file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
    /// let calc = Calculator::new(&policy)?;
    /// let date = NaiveDate::from_ymd_opt(2018, 9, 1).unwrap();
    /// let claim = MedicalClaim { date, out_of_pocket: Money::from_yuan(30_000)? };
    /// let so_far = YearToDate { cost: Money::from_yuan(10_000)?, paid: Money::from_yuan(5_000)? };
    /// let d = calc.medical(&file, claim, so_far, Explain::Off)?;
    /// assert_eq!(d.amount, Money::from_yuan(10_000)?);
    /// assert!(d.reasons.contains(Reason::MedicalCapped));
    /// file.status = Some(bangfu_core::ArchiveStatus::ExitedHardship);
    /// let err = calc.medical(&file, claim, so_far, Explain::Off).unwrap_err();
    /// assert_eq!(err.code(), "aid.file.not_payable");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn medical(
        &self,
        file: &FileFacts,
        claim: MedicalClaim,
        so_far: YearToDate,
        explain: Explain,
    ) -> Result<AidDecision<'p>, AidError> {
        self.check_file(file, claim.date)?;
        let m = &self.policy.medical;
        let date = claim.date;
        let rate = m.rate.at("aid.medical.rate", date)?;
        let cap = m.yearly_cap.at("aid.medical.yearly_cap", date)?;
        let scope = m.cap_scope.at("aid.medical.cap_scope", date)?;
        let rounding = m.rounding.at("aid.medical.rounding", date)?;

        let total = so_far.cost.checked_add(claim.out_of_pocket)?;
        let raw = FenRate::new(rate.value, rounding.value).apply(total)?;

        let mut reasons = ReasonSet::EMPTY;
        let mut cite = &rate.cite;
        let entitled = raw.min(cap.value).min(total);
        if entitled < raw {
            if entitled == cap.value {
                reasons.insert(Reason::MedicalCapped);
                cite = &cap.cite;
            } else {
                reasons.insert(Reason::MedicalLimitedToCost);
            }
        }
        let amount = if so_far.paid >= cap.value {
            reasons = ReasonSet::EMPTY;
            reasons.insert(Reason::MedicalCapReached);
            cite = &cap.cite;
            Money::ZERO
        } else {
            let a = entitled.saturating_sub(so_far.paid);
            if a.is_zero() {
                reasons.insert(Reason::MedicalNothingMore);
            }
            a
        };
        Ok(AidDecision {
            category: AidCategory::Medical,
            kind: AidKind::Regular,
            date,
            amount,
            reasons,
            cite: Some(cite),
            trace: self.trace(explain, || {
                Record::Medical(MedicalRecord {
                    claim,
                    so_far,
                    rate,
                    cap,
                    scope,
                    rounding,
                    total,
                    raw,
                    entitled,
                    amount,
                    reasons,
                })
            }),
        })
    }

    /// The yearly living-aid standard for the household on `date`, if the policy has one.
    fn yearly_standard(
        &self,
        file: &FileFacts,
        date: NaiveDate,
    ) -> Result<Option<(YearlyStandard<'p>, &'p CitationId)>, AidError> {
        let l = &self.policy.living;
        let Some(y) = &l.yearly_cap else {
            return Ok(None);
        };
        let (multiplier_name, months) = y.months_for(&file.degree);
        let multiplier = months.at(multiplier_name, date)?;
        let minimum_living_standard = bangfu_core::MinimumLivingStandard::in_force(
            self.policy.minimum_living_standard.as_ref(),
            file.city.as_ref(),
            date,
        )?;
        let per_member = y.per_member.at("aid.living.yearly_cap.per_member", date)?;
        let rounding = l.rounding.at("aid.living.rounding", date)?;
        let members = if per_member.value {
            file.household_size
        } else {
            1
        };
        let base = minimum_living_standard.value.checked_mul_int(members)?;
        let cap = FenRate::new(multiplier.value, rounding.value).apply(base)?;
        Ok(Some((
            YearlyStandard {
                multiplier_name,
                multiplier,
                minimum_living_standard,
                per_member,
                rounding,
                members,
                cap,
            },
            &multiplier.cite,
        )))
    }

    /// Living aid (生活救助) for one payment: the amount asked, or the policy's standard for
    /// the degree (per household, or per member × household size); limited by the per-time
    /// maximum (the severe households' maximum when the household is severe); limited by
    /// what remains of the yearly standard after `so_far.paid` (regular living aid paid
    /// earlier in the claim's calendar year).
    ///
    /// # Errors
    /// File errors, [`AidError::AmountRequired`], [`AidError::NotInForce`],
    /// [`AidError::Overflow`].
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{AmountClaim, Calculator, Explain, Reason, YearToDate};
    /// use bangfu_core::{Money, NaiveDate};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active","severe":{"major_illness":true}}"#)?;
    /// let calc = Calculator::new(&policy)?;
    /// let claim = AmountClaim {
    ///     date: NaiveDate::from_ymd_opt(2018, 4, 1).unwrap(),
    ///     requested: Some(Money::from_yuan(2_000)?),
    /// };
    /// let d = calc.living(&file, claim, YearToDate::default(), Explain::Off)?;
    /// assert_eq!(d.amount, Money::from_yuan(1_600)?);
    /// assert!(d.reasons.contains(Reason::LivingPerTimeMax));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn living(
        &self,
        file: &FileFacts,
        claim: AmountClaim,
        so_far: YearToDate,
        explain: Explain,
    ) -> Result<AidDecision<'p>, AidError> {
        // Living aid counts what was paid; the cost is medical aid's alone.
        let paid_this_year = so_far.paid;
        let degree = self.check_file(file, claim.date)?;
        let l = &self.policy.living;
        let date = claim.date;
        let severe = file.severe.is_severe();

        let mut cite: Option<&'p CitationId> = None;
        let mut standard = None;
        let ask = match claim.requested {
            Some(r) => r,
            None => {
                let unit = l.standard_unit.at("aid.living.standard_unit", date)?;
                let (key, std) = l
                    .standard
                    .lookup("aid.living.standard", &file.degree, severe, date)?
                    .ok_or(AidError::AmountRequired {
                        parameter: "aid.living.standard",
                    })?;
                let times = match unit.value {
                    StandardUnit::Household => 1,
                    StandardUnit::Member => file.household_size,
                };
                let amount = std.value.checked_mul_int(times)?;
                standard = Some(StandardUsed {
                    unit,
                    key,
                    standard: std,
                    times,
                    amount,
                });
                cite = Some(&std.cite);
                amount
            }
        };

        let mut reasons = ReasonSet::EMPTY;
        let mut amount = ask;
        let mut max_used = None;
        if let Some((key, max)) =
            l.max_per_time
                .lookup("aid.living.max_per_time", &file.degree, severe, date)?
        {
            if max.value < amount {
                amount = max.value;
                reasons.insert(Reason::LivingPerTimeMax);
                cite = Some(&max.cite);
            } else if cite.is_none() {
                cite = Some(&max.cite);
            }
            max_used = Some((key, max, amount));
        }

        let mut yearly = None;
        if let Some((standard, cap_cite)) = self.yearly_standard(file, date)? {
            let left = standard.cap.saturating_sub(paid_this_year);
            let before = amount;
            if left.is_zero() {
                reasons = ReasonSet::EMPTY;
                reasons.insert(Reason::LivingYearlyCapReached);
                amount = Money::ZERO;
                cite = Some(cap_cite);
            } else if left < amount {
                reasons.insert(Reason::LivingYearlyCap);
                amount = left;
                cite = Some(cap_cite);
            }
            yearly = Some(YearlyApplied {
                standard,
                before,
                left,
            });
        }
        Ok(AidDecision {
            category: AidCategory::Living,
            kind: AidKind::Regular,
            date,
            amount,
            reasons,
            cite,
            trace: self.trace(explain, || {
                Record::Living(LivingRecord {
                    date,
                    file: FileInputs {
                        degree,
                        severe,
                        household_size: file.household_size,
                    },
                    paid_this_year,
                    requested: claim.requested,
                    standard,
                    ask,
                    max: max_used,
                    yearly,
                    amount,
                    reasons,
                })
            }),
        })
    }

    /// Sending warmth (两节送温暖) for one household: the amount asked, or the policy's
    /// standard for the degree, brought into the policy's range for the degree.
    ///
    /// # Errors
    /// File errors, [`AidError::NoValueForDegree`] (no range), [`AidError::AmountRequired`],
    /// [`AidError::NotInForce`].
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{AmountClaim, Calculator, Explain, Reason};
    /// use bangfu_core::{Money, NaiveDate};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
    /// let calc = Calculator::new(&policy)?;
    /// let date = NaiveDate::from_ymd_opt(2018, 2, 1).unwrap();
    /// let asked = AmountClaim { date, requested: Some(Money::from_yuan(1_200)?) };
    /// let d = calc.sending_warmth(&file, asked, Explain::Off)?;
    /// assert!(d.reasons.contains(Reason::WarmthLoweredToMax));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn sending_warmth(
        &self,
        file: &FileFacts,
        claim: AmountClaim,
        explain: Explain,
    ) -> Result<AidDecision<'p>, AidError> {
        let degree = self.check_file(file, claim.date)?;
        let w = &self.policy.sending_warmth;
        let date = claim.date;
        let severe = file.severe.is_severe();
        let (range_key, range) = w
            .range
            .lookup("aid.sending_warmth.range", &file.degree, severe, date)?
            .ok_or_else(|| AidError::NoValueForDegree {
                parameter: "aid.sending_warmth.range",
                degree: file.degree.as_str().to_owned(),
            })?;
        let mut cite = &range.cite;
        let mut standard = None;
        let ask = match claim.requested {
            Some(r) => r,
            None => {
                let (key, std) = w
                    .standard
                    .lookup("aid.sending_warmth.standard", &file.degree, severe, date)?
                    .ok_or(AidError::AmountRequired {
                        parameter: "aid.sending_warmth.standard",
                    })?;
                standard = Some((key, std));
                cite = &std.cite;
                std.value
            }
        };
        let handling = w
            .out_of_range
            .as_ref()
            .ok_or(AidError::InvalidPolicy {
                parameter: "aid.sending_warmth.out_of_range".to_owned(),
                problem: "a range needs its out_of_range rule (clamp or refuse)",
            })?
            .at("aid.sending_warmth.out_of_range", date)?;
        let outside = ask < range.value.min || ask > range.value.max;
        if outside && handling.value == OutOfRange::Refuse {
            return Err(AidError::WarmthOutOfRange {
                amount: ask,
                range: range.value,
            });
        }
        let mut reasons = ReasonSet::EMPTY;
        let amount = if ask < range.value.min {
            reasons.insert(Reason::WarmthRaisedToMin);
            cite = &range.cite;
            range.value.min
        } else if ask > range.value.max {
            reasons.insert(Reason::WarmthLoweredToMax);
            cite = &range.cite;
            range.value.max
        } else {
            ask
        };
        Ok(AidDecision {
            category: AidCategory::Living,
            kind: AidKind::SendingWarmth,
            date,
            amount,
            reasons,
            cite: Some(cite),
            trace: self.trace(explain, || {
                Record::Warmth(WarmthRecord {
                    date,
                    file: FileInputs {
                        degree,
                        severe,
                        household_size: file.household_size,
                    },
                    range_key,
                    range,
                    handling,
                    requested: claim.requested,
                    standard,
                    ask,
                    amount,
                    reasons,
                })
            }),
        })
    }

    /// Education aid (助学) for one student: the policy's amount for the student's school
    /// stage, once per calendar year. `already_paid_this_year` says whether the student was
    /// paid education aid earlier in the claim's year; then the decision pays nothing.
    ///
    /// # Errors
    /// File errors, [`AidError::UnknownStudent`], [`AidError::NotInForce`].
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{Calculator, Explain, Reason};
    /// use bangfu_core::{Money, NaiveDate, PersonId};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active","students":[{"person":"kid","stage":"undergraduate"}]}"#)?;
    /// let calc = Calculator::new(&policy)?;
    /// let date = NaiveDate::from_ymd_opt(2018, 9, 1).unwrap();
    /// let kid = PersonId::new("kid")?;
    /// let first = calc.education(&file, date, &kid, false, Explain::Off)?;
    /// assert!(first.amount > Money::ZERO);
    /// let second = calc.education(&file, date, &kid, true, Explain::Off)?;
    /// assert_eq!(second.amount, Money::ZERO);
    /// assert!(second.reasons.contains(Reason::EducationAlreadyPaid));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn education(
        &self,
        file: &FileFacts,
        date: NaiveDate,
        student: &PersonId,
        already_paid_this_year: bool,
        explain: Explain,
    ) -> Result<AidDecision<'p>, AidError> {
        self.check_file(file, date)?;
        let stage = file
            .stage_of(student)
            .ok_or_else(|| AidError::UnknownStudent {
                student: student.as_str().to_owned(),
            })?;
        let mut reasons = ReasonSet::EMPTY;
        let standard = self.education_standard(file, stage, date)?;
        let amount = match &standard {
            None => {
                reasons.insert(Reason::EducationStageNotCovered);
                Money::ZERO
            }
            Some(_) if already_paid_this_year => {
                reasons.insert(Reason::EducationAlreadyPaid);
                Money::ZERO
            }
            Some(s) => s.value(),
        };
        Ok(AidDecision {
            category: AidCategory::Education,
            kind: AidKind::Regular,
            date,
            amount,
            reasons,
            cite: standard.as_ref().map(EducationStandard::cite),
            trace: self.trace(explain, || {
                Record::Education(EducationRecord {
                    date,
                    student: student.clone(),
                    stage,
                    already_paid: already_paid_this_year,
                    standard,
                    amount,
                    reasons,
                })
            }),
        })
    }

    /// The education standard of `stage` on `date` for the file, if the policy covers the
    /// stage: an amount in yuan, or months × the file's city's minimum living standard.
    fn education_standard(
        &self,
        file: &FileFacts,
        stage: SchoolStage,
        date: NaiveDate,
    ) -> Result<Option<EducationStandard<'p>>, AidError> {
        let e = &self.policy.education;
        if let Some(t) = e.amount.get(&stage) {
            return Ok(Some(EducationStandard::Amount(
                t.at("aid.education.amount", date)?,
            )));
        }
        let Some(t) = e.months.get(&stage) else {
            return Ok(None);
        };
        let months = t.at("aid.education.months", date)?;
        let standard = bangfu_core::MinimumLivingStandard::in_force(
            self.policy.minimum_living_standard.as_ref(),
            file.city.as_ref(),
            date,
        )?;
        let rounding = self
            .policy
            .living
            .rounding
            .at("aid.living.rounding", date)?;
        let amount = FenRate::new(months.value, rounding.value).apply(standard.value)?;
        Ok(Some(EducationStandard::Months {
            months,
            standard,
            rounding,
            amount,
        }))
    }

    /// What remains on `date` of the year's medical cap (after `medical_paid`, the year's
    /// medical aid in the cap scope) and of the yearly living-aid standard (after
    /// `living_paid`, the year's regular living aid). A file not payable on the date has
    /// nothing left, with [`Reason::FileNotPayable`].
    ///
    /// # Errors
    /// [`AidError::StatusMissing`] and the other status errors, [`AidError::UnknownDegree`],
    /// [`AidError::NotInForce`], [`AidError::Overflow`].
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{Calculator, Explain};
    /// use bangfu_core::{Money, NaiveDate};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
    /// let calc = Calculator::new(&policy)?;
    /// let date = NaiveDate::from_ymd_opt(2018, 7, 1).unwrap();
    /// let e = calc.remaining(&file, date, Money::from_yuan(5_000)?, Money::ZERO, Explain::Off)?;
    /// assert_eq!(e.medical_remaining, e.medical_cap.checked_sub(Money::from_yuan(5_000)?)?);
    /// assert_eq!(e.living_remaining, e.living_cap);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn remaining(
        &self,
        file: &FileFacts,
        date: NaiveDate,
        medical_paid: Money,
        living_paid: Money,
        explain: Explain,
    ) -> Result<Entitlement, AidError> {
        let degree = self.check_facts(file)?;
        let status = file.status_on(date)?;
        let payable = status.is_payable();
        let m = &self.policy.medical;
        let cap = m.yearly_cap.at("aid.medical.yearly_cap", date)?;
        let scope = m.cap_scope.at("aid.medical.cap_scope", date)?;
        let mut reasons = ReasonSet::EMPTY;
        if !payable {
            reasons.insert(Reason::FileNotPayable);
        }
        let keep = |m: Money| if payable { m } else { Money::ZERO };
        let medical_remaining = keep(cap.value.saturating_sub(medical_paid));
        let standard = self.yearly_standard(file, date)?.map(|(s, _)| s);
        let yearly = standard.map(|s| (s, keep(s.cap.saturating_sub(living_paid))));
        let trace = self.trace(explain, || {
            Record::Remaining(RemainingRecord {
                date,
                status,
                file: FileInputs {
                    degree,
                    severe: file.severe.is_severe(),
                    household_size: file.household_size,
                },
                medical_paid,
                living_paid,
                cap,
                scope,
                medical_remaining,
                yearly,
                reasons,
            })
        });
        Ok(Entitlement {
            date,
            year: Year::of(date),
            payable,
            medical_cap: cap.value,
            medical_cap_scope: scope.value,
            medical_paid,
            medical_remaining,
            living_cap: yearly.map(|(s, _)| s.cap),
            living_paid,
            living_remaining: yearly.map(|(_, left)| left),
            reasons,
            sending_warmth: None,
            education: Vec::new(),
            temporary: None,
            explanation: trace.as_ref().map(Trace::render),
        })
    }

    /// What remains on `date` of every yearly entitlement of the file (剩余额度), read from
    /// the payments recorded: those of the date's calendar year dated on or before it count,
    /// later ones are ignored (a caller leaves out the payments it reversed). Medical aid in
    /// the cap scope (`applicant`'s under a per-applicant cap; without an applicant, the
    /// household's), the yearly living standard ([`Calculator::remaining`]), sending warmth
    /// (the upper end of the household's range, read as the year's amount), each student's
    /// education aid (once a year), and the named person's temporary aid (the yearly cap per
    /// person). A file not payable on the date has nothing left. The one implementation
    /// behind the year's reading, JSON Lines and HTTP.
    ///
    /// # Errors
    /// As [`Calculator::remaining`]; [`AidError::HistoryMissingPerson`] for a medical payment
    /// without its person under a per-applicant cap when an applicant is named.
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{Calculator, Explain, PaymentRecord};
    /// use bangfu_core::{Money, NaiveDate, PersonId};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active","students":[{"person":"kid","stage":"undergraduate"}]}"#)?;
    /// let calc = Calculator::new(&policy)?;
    /// let paid: Vec<PaymentRecord> = serde_json::from_str(r#"[
    ///   {"claim":"w-1","date":"2018-02-01","category":"living","aid_kind":"sending_warmth","amount":"800.00"},
    ///   {"claim":"e-1","date":"2018-09-01","category":"education","person":"kid","amount":"4000.00"}]"#)?;
    /// let on = |m, d| NaiveDate::from_ymd_opt(2018, m, d).unwrap();
    /// let e = calc.entitlement(&file, on(8, 31), None, &paid, Explain::Off)?;
    /// assert_eq!(e.education[0].remaining, Money::from_yuan(4_000)?); // paid the day after
    /// assert_eq!(e.sending_warmth.unwrap().remaining, Money::from_yuan(200)?); // 1,000 − 800
    /// let e = calc.entitlement(&file, on(9, 1), None, &paid, Explain::Off)?;
    /// assert_eq!(e.education[0].remaining, Money::ZERO); // paid on the day
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn entitlement(
        &self,
        file: &FileFacts,
        date: NaiveDate,
        applicant: Option<&PersonId>,
        payments: &[PaymentRecord],
        explain: Explain,
    ) -> Result<Entitlement, AidError> {
        let year = date.year();
        let upto: Vec<PaymentRecord> = payments
            .iter()
            .filter(|p| p.date <= date)
            .cloned()
            .collect();
        let this_year = || upto.iter().filter(|p| p.date.year() == year);
        let sum = |keep: &dyn Fn(&PaymentRecord) -> bool| -> Result<Money, AidError> {
            this_year()
                .filter(|p| keep(p))
                .try_fold(Money::ZERO, |s, p| s.checked_add(p.amount))
                .map_err(AidError::from)
        };
        let h = &file.household;
        let scope = self
            .policy
            .medical
            .cap_scope
            .at("aid.medical.cap_scope", date)?;
        let per_applicant = scope.value == CapScope::Applicant && applicant.is_some();
        let medical = history_book(h, date, AidCategory::Medical, &[], &upto, per_applicant)?;
        let medical_paid = match applicant {
            Some(a) => medical.medical(h, a, scope.value)?.paid,
            None => medical.medical_paid(h)?,
        };
        let living = history_book(h, date, AidCategory::Living, &[], &upto, false)?;
        let mut e = self.remaining(file, date, medical_paid, living.living_paid(h), explain)?;
        let keep = |m: Money| if e.payable { m } else { Money::ZERO };
        let warmth = self.policy.sending_warmth.range.lookup(
            "aid.sending_warmth.range",
            &file.degree,
            file.severe.is_severe(),
            date,
        )?;
        if let Some((_, range)) = warmth {
            let paid = sum(&|p| p.aid_kind == AidKind::SendingWarmth)?;
            e.sending_warmth = Some(KindEntitlement {
                cap: range.value.max,
                paid,
                remaining: keep(range.value.max.saturating_sub(paid)),
            });
        }
        for s in &file.students {
            let amount = self
                .education_standard(file, s.stage, date)?
                .map(|st| st.value());
            let paid = sum(&|p| {
                p.category == AidCategory::Education && p.person.as_ref() == Some(&s.person)
            })?;
            let remaining = match amount {
                Some(a) if paid.is_zero() => keep(a),
                _ => Money::ZERO,
            };
            e.education.push(StudentEntitlement {
                student: s.person.clone(),
                stage: s.stage,
                amount,
                paid,
                remaining,
            });
        }
        if let (Some(t), Some(person)) = (&self.policy.temporary, applicant) {
            let cap = t
                .yearly_cap_per_person
                .at("aid.temporary.yearly_cap_per_person", date)?
                .value;
            let paid = crate::temporary_paid(&upto, person, date)?;
            e.temporary = Some(KindEntitlement {
                cap,
                paid,
                remaining: keep(cap.saturating_sub(paid)),
            });
        }
        Ok(e)
    }
}
