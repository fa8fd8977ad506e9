//! The filing decision (认定结果): eligible or not with every reason, the proposed category
//! and tier, and the per-capita computation.

use bangfu_core::{
    ArchiveTier, CitationId, Dated, Explanation, HouseholdId, Labelled, MINIMUM_STANDARD_PARAMETER,
    MinimumLivingStandard, Money, ParameterUse, PersonId, Step,
};
use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::EligibilityError;
use crate::household::{DocumentKind, Household, SchoolFee};
use crate::policy::{
    Band, Comparison, EligibilityPolicy, FactKind, HardshipCategory, MembershipRule,
    PerCapitaBasis, Predicate, Scheme, SchemeKind,
};

bangfu_core::coded_enum! {
    /// The kind of a reason in a decision (认定理由类别).
    pub enum ReasonKind {
        /// An exclusion applies (属于不予建档情形); the exclusion's id says which.
        Excluded = ("eligibility.reason.excluded", "属于不予建档情形", "an exclusion applies"),
        /// No band's income or hardship test is met (收入超过认定标准).
        AboveAllLines = ("eligibility.reason.above_all_lines", "未达到任一困难认定标准", "no hardship standard is met"),
        /// The worker is not a union member where membership is required (非工会会员).
        NotUnionMember = ("eligibility.reason.not_union_member", "非工会会员", "not a union member"),
        /// A migrant worker's labour contract is too short (劳动合同期限不足).
        ContractTooShort = ("eligibility.reason.contract_too_short", "劳动合同期限不足", "labour contract too short"),
        /// A required document is missing (缺少材料).
        MissingDocument = ("eligibility.reason.missing_document", "缺少必要材料", "a required document is missing"),
    }
}

/// One reason in a decision, with its code, labels, detail and citation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Reason {
    /// The kind.
    pub kind: ReasonKind,
    /// The code: `exclusion.<id>` for an exclusion, `missing.<document>` for a missing
    /// document, otherwise the kind's code.
    pub code: String,
    /// Chinese label.
    pub zh: String,
    /// English label.
    pub en: String,
    /// The facts behind it, such as `homes_owned = 2 ≥ 2`.
    pub detail: String,
    /// The rule's citation, when it has one.
    pub cite: Option<CitationId>,
}

/// A document the file lacks (缺少的材料).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MissingDocument {
    /// The document.
    pub kind: DocumentKind,
    /// The person it must be about, for a personal document.
    pub person: Option<PersonId>,
}

/// The outcome of a decision (认定结论).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub enum Outcome {
    /// Eligible, with the proposed category and archive tier (符合条件).
    Eligible {
        /// The proposed category.
        category: HardshipCategory,
        /// The proposed tier.
        tier: ArchiveTier,
    },
    /// Not eligible; the decision's reasons say why (不符合条件).
    NotEligible,
    /// Nothing rules the household out, but documents are missing (材料不全).
    Incomplete {
        /// The missing documents.
        missing: Vec<MissingDocument>,
        /// The category and tier the household would get.
        category: HardshipCategory,
        /// The tier it would get.
        tier: ArchiveTier,
    },
}

/// The per-capita computation (人均收入计算), exact.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct PerCapita {
    /// What is divided.
    pub basis: PerCapitaBasis,
    /// Declared annual income.
    pub annual_income: Money,
    /// Rigid expenditure deducted (zero under the gross basis).
    pub rigid_expenditure: Money,
    /// Annual income less the deduction, yuan (may be negative).
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub net_annual: Decimal,
    /// Household size.
    pub size: u32,
    /// Monthly per-capita income rounded for display by the policy's rule.
    #[cfg_attr(feature = "schema", schemars(with = "String"))]
    pub monthly_display: Decimal,
    /// The minimum living standard L in force.
    pub standard: Money,
}

/// The test of one band.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BandCheck {
    /// The band's category.
    pub category: HardshipCategory,
    /// The band's tier.
    pub tier: ArchiveTier,
    /// Whether every test of the band held.
    pub met: bool,
}

/// A filing decision (认定结果).
///
/// # Example
/// ```
/// use bangfu_eligibility::{assess, EligibilityPolicy, Household, HardshipCategory, Outcome};
/// let policy = EligibilityPolicy::hainan_2018()?;
/// let household = Household::example()?; // 18,000 a year, 3 persons: 500.00 a month each
/// let date = chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
/// let decision = assess(&policy, &household, date)?;
/// assert!(matches!(decision.outcome, Outcome::Eligible { category: HardshipCategory::NearSubsistence, .. }));
/// assert_eq!(decision.per_capita.monthly_display.to_string(), "500.00");
/// # Ok::<(), bangfu_eligibility::EligibilityError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Decision {
    /// The household.
    pub household: HouseholdId,
    /// The date decided for.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The scheme in force.
    pub scheme: SchemeKind,
    /// The outcome.
    pub outcome: Outcome,
    /// Every reason against, or for incompleteness; empty when eligible.
    pub reasons: Vec<Reason>,
    /// The per-capita computation.
    pub per_capita: PerCapita,
    /// Each band's test, in order.
    pub bands: Vec<BandCheck>,
    /// Inputs, parameters with their dates and citations, and steps.
    pub explanation: Explanation,
}

impl Decision {
    /// Whether the outcome is eligible.
    pub fn is_eligible(&self) -> bool {
        matches!(self.outcome, Outcome::Eligible { .. })
    }

    /// Fills each parameter's and each step's citation from the policy's citation table (ids
    /// stay either way); returns the ids the table lacks.
    ///
    /// # Example
    /// ```
    /// use bangfu_eligibility::*;
    /// let text = format!("{HAINAN_2018_POLICY_TOML}\n{}", bangfu_core::MINIMUM_STANDARD_HAINAN_2018_TOML);
    /// let file = EligibilityPolicyFile::from_toml(&text)?;
    /// let date = chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
    /// let mut decision = assess(&file.eligibility, &Household::example()?, date)?;
    /// assert!(decision.fill_citations(&file.citations).is_empty());
    /// assert!(decision.explanation.parameters.iter().all(|p| p.citation.is_some()));
    /// assert!(decision.explanation.steps.iter().all(|s| s.citation.is_some()));
    /// # Ok::<(), EligibilityError>(())
    /// ```
    pub fn fill_citations(&mut self, citations: &bangfu_core::Citations) -> Vec<CitationId> {
        let mut missing = Vec::new();
        for p in &mut self.explanation.parameters {
            match citations.get(&p.cite) {
                Ok(c) => p.citation = Some(c.clone()),
                Err(_) => missing.push(p.cite.clone()),
            }
        }
        for step in &mut self.explanation.steps {
            if let Some(cite) = &step.cite {
                match citations.get(cite) {
                    Ok(c) => step.citation = Some(c.clone()),
                    Err(_) => missing.push(cite.clone()),
                }
            }
        }
        missing
    }
}

fn used<T: ToString>(name: &str, d: &Dated<T>) -> ParameterUse {
    ParameterUse {
        name: name.to_owned(),
        value: d.value.to_string(),
        from: d.from,
        cite: d.cite.clone(),
        citation: None,
    }
}

/// The value of a fact for a household, counting only what is not exempt.
///
/// # Example
/// ```
/// use bangfu_eligibility::{fact_value, FactKind, Household};
/// let h = Household::example()?;
/// assert_eq!(fact_value(&h, FactKind::HomesOwned, &[]), 1);
/// # Ok::<(), bangfu_eligibility::EligibilityError>(())
/// ```
pub fn fact_value(
    household: &Household,
    fact: FactKind,
    exempt_vehicles: &[crate::VehicleKind],
) -> u32 {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let fee = |f: SchoolFee| {
        count(
            household
                .persons()
                .filter(|p| p.school.as_ref().is_some_and(|s| s.fee == f))
                .count(),
        )
    };
    match fact {
        FactKind::HomesOwned => household.assets.homes,
        FactKind::ShopsOwned => household.assets.shops,
        FactKind::Employees => household.assets.employees,
        FactKind::HighFeePrivateSchool => fee(SchoolFee::HighFeePrivate),
        FactKind::SelfFundedStudyAbroad => fee(SchoolFee::SelfFundedAbroad),
        FactKind::NonEmployeeVehicleUse => count(
            household
                .assets
                .vehicles
                .iter()
                .filter(|v| v.regular_use && !v.as_employee && !exempt_vehicles.contains(&v.kind))
                .count(),
        ),
        FactKind::ControllingShareholders => count(
            household
                .persons()
                .filter(|p| p.controlling_shareholder)
                .count(),
        ),
        FactKind::PersonsRunningBusiness => {
            count(household.persons().filter(|p| p.runs_business).count())
        }
        FactKind::HighConsumption => u32::from(household.high_consumption),
        FactKind::RefusedVerification => u32::from(household.refused_verification),
    }
}

fn predicate_holds(household: &Household, p: &Predicate) -> (bool, String) {
    let v = fact_value(household, p.fact, &p.exempt_vehicle_kinds);
    let holds = v >= p.at_least;
    let op = if holds { "≥" } else { "<" };
    (holds, format!("{} = {v} {op} {}", p.fact, p.at_least))
}

/// The documents the household lacks on `date` under the policy.
///
/// # Errors
/// [`EligibilityError::Core`] when a parameter is not in force on `date`.
pub fn missing_documents(
    policy: &EligibilityPolicy,
    household: &Household,
    date: NaiveDate,
) -> Result<Vec<MissingDocument>, EligibilityError> {
    let mut missing = Vec::new();
    for kind in &policy
        .required_documents
        .at("eligibility.required_documents", date)?
        .value
    {
        if !household.has_document(*kind, None) {
            missing.push(MissingDocument {
                kind: *kind,
                person: None,
            });
        }
    }
    let by_condition = &policy
        .condition_documents
        .at("eligibility.condition_documents", date)?
        .value;
    for p in household.persons() {
        for rule in by_condition
            .iter()
            .filter(|r| p.health.contains(&r.condition))
        {
            let need = MissingDocument {
                kind: rule.document,
                person: Some(p.id.clone()),
            };
            if !household.has_document(rule.document, Some(&p.id)) && !missing.contains(&need) {
                missing.push(need);
            }
        }
    }
    Ok(missing)
}

/// `value CMP multiplier × L × 12 × size`, compared exactly.
struct LineTest {
    met: bool,
    line_monthly: Decimal,
}

fn income_line_test(
    net_annual: Decimal,
    standard: Money,
    size: u32,
    multiplier: Decimal,
    comparison: Comparison,
) -> Result<LineTest, EligibilityError> {
    let overflow = || EligibilityError::Core(bangfu_core::CoreError::Overflow { operation: "mul" });
    let line_monthly = standard
        .to_decimal_yuan()
        .checked_mul(multiplier)
        .ok_or_else(overflow)?;
    let annual_line = line_monthly
        .checked_mul(Decimal::from(12))
        .and_then(|v| v.checked_mul(Decimal::from(size)))
        .ok_or_else(overflow)?;
    Ok(LineTest {
        met: comparison.holds(&net_annual, &annual_line),
        line_monthly,
    })
}

/// Decides whether a household may be filed on `date`: every exclusion in force, the base
/// conditions, the documents, and the bands of the scheme in force, with every reason.
///
/// The per-capita comparison is exact: `(income − deduction) OP k × L × 12 × size`, so no
/// rounding can move a household across a line; the displayed monthly figure is rounded by
/// the policy's rule.
///
/// Outcome precedence: any exclusion, unmet base condition or unmet standard makes it
/// [`Outcome::NotEligible`]; otherwise missing documents make it [`Outcome::Incomplete`];
/// otherwise [`Outcome::Eligible`]. The reasons list all of them.
///
/// # Errors
/// Bad household facts ([`Household::validate`]) or a parameter not in force on `date`.
pub fn assess(
    policy: &EligibilityPolicy,
    household: &Household,
    date: NaiveDate,
) -> Result<Decision, EligibilityError> {
    assess_with(policy, household, date, Detail::Full)
}

/// How much of its explanation a decision records (说明详略). The outcome, the reasons,
/// the per-capita computation and the bands are the same at every level; only the
/// [`Decision::explanation`] differs, and what is not recorded is never formatted.
///
/// # Example
/// ```
/// use bangfu_eligibility::{assess, assess_with, Detail, EligibilityPolicy, Household};
/// let policy = EligibilityPolicy::hainan_2018()?;
/// let household = Household::example()?;
/// let date = chrono::NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
/// let full = assess(&policy, &household, date)?;
/// let brief = assess_with(&policy, &household, date, Detail::Parameters)?;
/// assert_eq!(brief.explanation.parameters, full.explanation.parameters);
/// assert!(brief.explanation.steps.is_empty() && brief.explanation.inputs.is_empty());
/// assert_eq!((brief.outcome, brief.reasons), (full.outcome, full.reasons));
/// # Ok::<(), bangfu_eligibility::EligibilityError>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Detail {
    /// The full explanation: inputs, parameters and the bilingual steps ([`assess`]).
    #[default]
    Full,
    /// The parameters used, without the inputs and steps (what a decision lists even when
    /// no explanation is asked for, as `bangfu eval` does).
    Parameters,
    /// The outcome only: the explanation names its rule and nothing else (filing, reviews).
    Outcome,
}

/// The explanation being recorded, at a [`Detail`]: what is not kept is never built.
struct Record {
    ex: Explanation,
    detail: Detail,
}

impl Record {
    fn input(&mut self, name: &str, value: impl ToString) {
        if self.detail == Detail::Full {
            self.ex.input(name, value);
        }
    }

    fn parameter(&mut self, used: impl FnOnce() -> ParameterUse) {
        if self.detail != Detail::Outcome {
            self.ex.parameter(used());
        }
    }

    fn step(&mut self, step: impl FnOnce() -> Step) {
        if self.detail == Detail::Full {
            self.ex.step(step());
        }
    }
}

/// [`assess`], recording the explanation at `detail`: the same outcome, reasons, per-capita
/// computation and bands; [`Detail::Full`] is [`assess`].
///
/// # Errors
/// As [`assess`].
///
/// # Example
/// See [`Detail`].
pub fn assess_with(
    policy: &EligibilityPolicy,
    household: &Household,
    date: NaiveDate,
    detail: Detail,
) -> Result<Decision, EligibilityError> {
    household.validate(date)?;
    let mut ex = Record {
        ex: Explanation::new("eligibility.assess"),
        detail,
    };
    let mut reasons = Vec::new();
    ex.input("household", &household.id);
    ex.input("date", date);
    ex.input("size", household.size());
    ex.input("annual_income", household.annual_income);
    ex.input("rigid_expenditure", household.rigid_expenditure);

    exclusions(policy, household, date, &mut ex, &mut reasons);
    base_conditions(policy, household, date, &mut ex, &mut reasons)?;

    // Per-capita income and the bands.
    let scheme = policy.schemes.at("eligibility.schemes", date)?;
    ex.parameter(|| ParameterUse {
        name: "eligibility.scheme".into(),
        value: scheme.value.kind.code().into(),
        from: scheme.from,
        cite: scheme.cite.clone(),
        citation: None,
    });
    let per_capita = per_capita(policy, household, date, scheme.value.per_capita, &mut ex)?;
    let (checks, chosen) = bands(household, scheme, &per_capita, &mut ex)?;
    if chosen.is_none() {
        reasons.push(reason(
            ReasonKind::AboveAllLines,
            format!(
                "per-capita {} vs L = {}",
                per_capita.monthly_display, per_capita.standard
            ),
            &scheme.cite,
        ));
    }

    let substantive = !reasons.is_empty();
    let missing = documents(policy, household, date, &mut ex, &mut reasons)?;
    let outcome = match (substantive, chosen) {
        (false, Some(b)) if missing.is_empty() => Outcome::Eligible {
            category: b.category,
            tier: b.tier,
        },
        (false, Some(b)) => Outcome::Incomplete {
            missing,
            category: b.category,
            tier: b.tier,
        },
        _ => Outcome::NotEligible,
    };
    Ok(Decision {
        household: household.id.clone(),
        date,
        scheme: scheme.value.kind,
        outcome,
        reasons,
        per_capita,
        bands: checks,
        explanation: ex.ex,
    })
}

/// The exclusions in force on `date` (不予建档情形), from data: a reason for each one met.
fn exclusions(
    policy: &EligibilityPolicy,
    household: &Household,
    date: NaiveDate,
    ex: &mut Record,
    reasons: &mut Vec<Reason>,
) {
    for e in policy.exclusions_on(date) {
        ex.parameter(|| ParameterUse {
            name: format!("eligibility.exclusion.{}", e.id),
            value: e
                .any
                .iter()
                .map(|p| format!("{} ≥ {}", p.fact, p.at_least))
                .collect::<Vec<_>>()
                .join(" or "),
            from: e.from,
            cite: e.cite.clone(),
            citation: None,
        });
        let mut hits = Vec::new();
        for p in &e.any {
            let (holds, detail) = predicate_holds(household, p);
            if holds {
                hits.push(detail);
            }
        }
        ex.step(|| {
            Step::new(
                format!("{}：{}", e.zh, if hits.is_empty() { "否" } else { "是" }),
                format!("{}: {}", e.en, if hits.is_empty() { "no" } else { "yes" }),
                hits.join("; "),
            )
            .cited(e.cite.clone(), e.from, None)
        });
        if !hits.is_empty() {
            reasons.push(Reason {
                kind: ReasonKind::Excluded,
                code: format!("exclusion.{}", e.id),
                zh: e.zh.clone(),
                en: e.en.clone(),
                detail: hits.join("; "),
                cite: Some(e.cite.clone()),
            });
        }
    }
}

/// The base conditions: union membership where required, a migrant worker's contract length.
fn base_conditions(
    policy: &EligibilityPolicy,
    household: &Household,
    date: NaiveDate,
    ex: &mut Record,
    reasons: &mut Vec<Reason>,
) -> Result<(), EligibilityError> {
    let membership = policy.membership.at("eligibility.membership", date)?;
    ex.parameter(|| used("eligibility.membership", membership));
    let needs_membership = match membership.value {
        MembershipRule::AllWorkers => true,
        MembershipRule::MigrantWorkers => household.worker.migrant,
    };
    if needs_membership && !household.worker.union_member {
        reasons.push(reason(
            ReasonKind::NotUnionMember,
            "union_member = false".into(),
            &membership.cite,
        ));
    }
    if household.worker.migrant {
        let min = policy
            .migrant_min_contract_months
            .at("eligibility.migrant_min_contract_months", date)?;
        ex.parameter(|| used("eligibility.migrant_min_contract_months", min));
        if household.worker.contract_months < min.value {
            reasons.push(reason(
                ReasonKind::ContractTooShort,
                format!(
                    "contract_months = {} < {}",
                    household.worker.contract_months, min.value
                ),
                &min.cite,
            ));
        }
    }
    Ok(())
}

/// The per-capita monthly income (人均月收入) on the scheme's `basis`, exact and as displayed.
fn per_capita(
    policy: &EligibilityPolicy,
    household: &Household,
    date: NaiveDate,
    basis: PerCapitaBasis,
    ex: &mut Record,
) -> Result<PerCapita, EligibilityError> {
    let standard = MinimumLivingStandard::in_force(
        policy.minimum_living_standard.as_ref(),
        household.city.as_ref(),
        date,
    )?;
    ex.parameter(|| used(MINIMUM_STANDARD_PARAMETER, standard));
    let rounding = policy
        .per_capita_rounding
        .at("eligibility.per_capita_rounding", date)?;
    ex.parameter(|| used("eligibility.per_capita_rounding", rounding));
    let deduction = match basis {
        PerCapitaBasis::Gross => Money::ZERO,
        PerCapitaBasis::NetOfRigidExpenditure => household.rigid_expenditure,
    };
    let net_annual = household
        .annual_income
        .to_decimal_yuan()
        .checked_sub(deduction.to_decimal_yuan())
        .ok_or(EligibilityError::Core(bangfu_core::CoreError::Overflow {
            operation: "sub",
        }))?;
    let size = household.size();
    let monthly = net_annual
        .checked_div(Decimal::from(12))
        .and_then(|v| v.checked_div(Decimal::from(size)))
        .ok_or(EligibilityError::Core(
            bangfu_core::CoreError::DivisionByZero,
        ))?;
    let monthly_display = rounding.value.apply(monthly);
    ex.step(|| {
        Step::new(
            format!(
                "（{} − {}）÷ 12 ÷ {} = {}",
                household.annual_income, deduction, size, monthly_display
            ),
            format!(
                "({} − {}) ÷ 12 ÷ {} = {}",
                household.annual_income, deduction, size, monthly_display
            ),
            monthly_display.to_string(),
        )
        .cited(standard.cite.clone(), standard.from, None)
    });
    Ok(PerCapita {
        basis,
        annual_income: household.annual_income,
        rigid_expenditure: deduction,
        net_annual,
        size,
        monthly_display,
        standard: standard.value,
    })
}

/// Tests every band of the `scheme` in order: the checks, and the first band met.
fn bands<'s>(
    household: &Household,
    scheme: &'s Dated<Scheme>,
    per_capita: &PerCapita,
    ex: &mut Record,
) -> Result<(Vec<BandCheck>, Option<&'s Band>), EligibilityError> {
    let mut checks = Vec::new();
    let mut chosen: Option<&Band> = None;
    for (i, band) in scheme.value.bands.iter().enumerate() {
        let band_net = match band.per_capita {
            Some(basis) if basis != scheme.value.per_capita => {
                let n = net_of(household, basis)?;
                ex.step(|| {
                    Step::new(
                        format!(
                            "{}：按{}计算，年收入净额 {}",
                            band.category.zh(),
                            basis.zh(),
                            n
                        ),
                        format!(
                            "{}: on the {} basis, net annual income {}",
                            band.category.en(),
                            basis.en(),
                            n
                        ),
                        n.to_string(),
                    )
                    .cited(band.cite.clone(), scheme.from, None)
                });
                n
            }
            _ => per_capita.net_annual,
        };
        let met = band_met(
            household,
            band,
            band_net,
            per_capita.standard,
            per_capita.size,
            i,
            scheme.from,
            ex,
        )?;
        checks.push(BandCheck {
            category: band.category,
            tier: band.tier,
            met,
        });
        if met && chosen.is_none() {
            chosen = Some(band);
        }
    }
    Ok((checks, chosen))
}

/// The documents (材料): a reason for each missing one; returns the missing documents.
fn documents(
    policy: &EligibilityPolicy,
    household: &Household,
    date: NaiveDate,
    ex: &mut Record,
    reasons: &mut Vec<Reason>,
) -> Result<Vec<MissingDocument>, EligibilityError> {
    let required = policy
        .required_documents
        .at("eligibility.required_documents", date)?;
    ex.parameter(|| ParameterUse {
        name: "eligibility.required_documents".into(),
        value: required
            .value
            .iter()
            .map(|k| k.code())
            .collect::<Vec<_>>()
            .join(", "),
        from: required.from,
        cite: required.cite.clone(),
        citation: None,
    });
    let missing = missing_documents(policy, household, date)?;
    for m in &missing {
        let kind = ReasonKind::MissingDocument;
        reasons.push(Reason {
            kind,
            code: format!("missing.{}", m.kind),
            zh: format!("{}：{}", kind.zh(), m.kind.zh()),
            en: format!("{}: {}", kind.en(), m.kind.en()),
            detail: m.person.as_ref().map(|p| p.to_string()).unwrap_or_default(),
            cite: Some(if m.person.is_some() {
                policy
                    .condition_documents
                    .at("eligibility.condition_documents", date)?
                    .cite
                    .clone()
            } else {
                required.cite.clone()
            }),
        });
    }
    Ok(missing)
}

/// Annual income less what `basis` deducts, exact (may be negative).
fn net_of(household: &Household, basis: PerCapitaBasis) -> Result<Decimal, EligibilityError> {
    let deduction = match basis {
        PerCapitaBasis::Gross => Money::ZERO,
        PerCapitaBasis::NetOfRigidExpenditure => household.rigid_expenditure,
    };
    household
        .annual_income
        .to_decimal_yuan()
        .checked_sub(deduction.to_decimal_yuan())
        .ok_or(EligibilityError::Core(bangfu_core::CoreError::Overflow {
            operation: "sub",
        }))
}

fn reason(kind: ReasonKind, detail: String, cite: &CitationId) -> Reason {
    Reason {
        kind,
        code: kind.code().to_owned(),
        zh: kind.zh().to_owned(),
        en: kind.en().to_owned(),
        detail,
        cite: Some(cite.clone()),
    }
}

#[allow(clippy::too_many_arguments)]
fn band_met(
    household: &Household,
    band: &Band,
    net_annual: Decimal,
    standard: Money,
    size: u32,
    index: usize,
    from: NaiveDate,
    ex: &mut Record,
) -> Result<bool, EligibilityError> {
    let mut met = true;
    if let Some(line) = &band.income_line {
        let t = income_line_test(
            net_annual,
            standard,
            size,
            line.multiplier.as_decimal(),
            line.comparison,
        )?;
        ex.parameter(|| ParameterUse {
            name: format!("eligibility.band.{index}.{}.multiplier", band.category),
            value: format!("{} {}", line.comparison.symbol(), line.multiplier),
            from,
            cite: band.cite.clone(),
            citation: None,
        });
        ex.step(|| {
            Step::new(
                format!(
                    "{}：人均 {} {} × {} = {}：{}",
                    band.category.zh(),
                    line.comparison.symbol(),
                    line.multiplier,
                    standard,
                    t.line_monthly,
                    if t.met { "符合" } else { "不符合" }
                ),
                format!(
                    "{}: per capita {} {} × {} = {}: {}",
                    band.category.en(),
                    line.comparison.symbol(),
                    line.multiplier,
                    standard,
                    t.line_monthly,
                    if t.met { "met" } else { "not met" }
                ),
                t.met.to_string(),
            )
            .cited(band.cite.clone(), from, None)
        });
        met &= t.met;
    }
    if let Some(cost) = &band.cost_share {
        ex.parameter(|| ParameterUse {
            name: format!("eligibility.band.{index}.{}.cost_share", band.category),
            value: format!("{} {}", cost.comparison.symbol(), cost.share),
            from,
            cite: band.cite.clone(),
            citation: None,
        });
        let ok = match &household.accident {
            Some(a) => {
                let limit = household
                    .annual_income
                    .to_decimal_yuan()
                    .checked_mul(cost.share.as_decimal())
                    .ok_or(EligibilityError::Core(bangfu_core::CoreError::Overflow {
                        operation: "mul",
                    }))?;
                let ok = cost.comparison.holds(&a.cost.to_decimal_yuan(), &limit);
                ex.step(|| {
                    Step::new(
                        format!(
                            "困难支出 {} {} {} × {} = {}",
                            a.cost,
                            cost.comparison.symbol(),
                            cost.share,
                            household.annual_income,
                            limit
                        ),
                        format!(
                            "hardship cost {} {} {} × {} = {}",
                            a.cost,
                            cost.comparison.symbol(),
                            cost.share,
                            household.annual_income,
                            limit
                        ),
                        ok.to_string(),
                    )
                    .cited(band.cite.clone(), from, None)
                });
                ok
            }
            None => false,
        };
        met &= ok;
    }
    if band.requires_cause {
        met &= !household.causes.is_empty();
    }
    if band.requires_accident {
        met &= household.accident.is_some();
    }
    Ok(met)
}
