//! Temporary aid (临时救助) for workers who are not filed: at most a yearly amount per person,
//! after a qualifying event of the worker or of a close relative, all as policy data.

use bangfu_core::{AidCategory, AidKind, Money, NaiveDate, Timeline};

use crate::calc::{AidDecision, Calculator};
use crate::trace::{Record, TemporaryRecord};
use crate::{AidError, Explain, Reason, ReasonSet};

bangfu_core::coded_enum! {
    /// An event that may qualify a worker for temporary aid (致困事件).
    ///
    /// ```
    /// assert_eq!(bangfu_aid::TemporaryEvent::MajorIllness.code(), "major_illness");
    /// ```
    pub enum TemporaryEvent {
        /// A major illness (患重大疾病).
        MajorIllness = ("major_illness", "患重大疾病", "major illness"),
        /// A major disaster (遭受重大灾害).
        Disaster = ("disaster", "遭受重大灾害", "major disaster"),
        /// A sudden accident (突发意外).
        Accident = ("accident", "突发意外", "sudden accident"),
    }
}

bangfu_core::coded_enum! {
    /// Whose event it is, seen from the worker (与职工关系).
    ///
    /// ```
    /// assert_eq!(bangfu_aid::Relation::Spouse.code(), "spouse");
    /// ```
    pub enum Relation {
        /// The worker (职工本人).
        Worker = ("worker", "职工本人", "the worker"),
        /// The spouse (配偶).
        Spouse = ("spouse", "配偶", "spouse"),
        /// A parent (父母).
        Parent = ("parent", "父母", "parent"),
        /// A child (子女).
        Child = ("child", "子女", "child"),
    }
}

/// Temporary aid parameters (临时救助): for a worker who is not filed, whose household fell
/// into temporary hardship after a qualifying event of a qualifying person; at most
/// `yearly_cap_per_person` per worker per calendar year.
///
/// # Example
/// ```
/// let p = bangfu_aid::AidPolicy::hubei_2023()?;
/// assert!(p.temporary.is_some());
/// # Ok::<(), bangfu_aid::AidError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TemporaryPolicy {
    /// The most paid to one worker in a calendar year (每人每年最高).
    pub yearly_cap_per_person: Timeline<Money>,
    /// The events that qualify.
    pub events: Timeline<Vec<TemporaryEvent>>,
    /// Whose events qualify (the worker, the spouse, parents, children).
    pub relations: Timeline<Vec<Relation>>,
}

/// A temporary-aid claim (临时救助申请).
///
/// # Example
/// See [`Calculator::temporary`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TemporaryClaim {
    /// The claim date.
    pub date: NaiveDate,
    /// The amount asked (申请金额).
    pub requested: Money,
    /// The event.
    pub event: TemporaryEvent,
    /// Whose event it is.
    pub relation: Relation,
    /// Whether the worker's household is filed (已建档): a filed household gets the regular
    /// aids, not temporary aid.
    pub filed: bool,
}

impl<'p> Calculator<'p> {
    /// Temporary aid (临时救助) for one claim: the amount asked, limited by what is left of
    /// the yearly cap per person after `paid_this_year` (temporary aid paid to the same
    /// worker earlier in the claim's calendar year). Zero, with its reason, for a worker
    /// whose household is filed (`aid.temporary.worker_filed`) or for an event or person
    /// the policy does not list (`aid.temporary.not_qualifying`).
    ///
    /// # Errors
    /// [`AidError::NotInForce`] (parameter `aid.temporary`) for a policy without temporary
    /// aid, or one whose values start later.
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{AidPolicy, Calculator, Explain, Reason, Relation, TemporaryClaim, TemporaryEvent};
    /// use bangfu_core::{Money, NaiveDate};
    /// let policy = AidPolicy::hubei_2023()?;
    /// let calc = Calculator::new(&policy)?;
    /// let claim = TemporaryClaim {
    ///     date: NaiveDate::from_ymd_opt(2023, 6, 1).unwrap(),
    ///     requested: Money::from_yuan(2_000)?,
    ///     event: TemporaryEvent::MajorIllness,
    ///     relation: Relation::Parent,
    ///     filed: false,
    /// };
    /// // 3,000 a person a year; 1,500 paid earlier: 1,500 left.
    /// let d = calc.temporary(claim, Money::from_yuan(1_500)?, Explain::Off)?;
    /// assert_eq!(d.amount, Money::from_yuan(1_500)?);
    /// assert!(d.reasons.contains(Reason::TemporaryCapped));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn temporary(
        &self,
        claim: TemporaryClaim,
        paid_this_year: Money,
        explain: Explain,
    ) -> Result<AidDecision<'p>, AidError> {
        let date = claim.date;
        let Some(t) = &self.policy().temporary else {
            return Err(AidError::NotInForce {
                parameter: "aid.temporary".to_owned(),
                date,
            });
        };
        let cap = t
            .yearly_cap_per_person
            .at("aid.temporary.yearly_cap_per_person", date)?;
        let events = t.events.at("aid.temporary.events", date)?;
        let relations = t.relations.at("aid.temporary.relations", date)?;
        let mut reasons = ReasonSet::EMPTY;
        let left = cap.value.saturating_sub(paid_this_year);
        let amount = if claim.filed {
            reasons.insert(Reason::TemporaryWorkerFiled);
            Money::ZERO
        } else if !events.value.contains(&claim.event) || !relations.value.contains(&claim.relation)
        {
            reasons.insert(Reason::TemporaryNotQualifying);
            Money::ZERO
        } else if left.is_zero() {
            reasons.insert(Reason::TemporaryCapReached);
            Money::ZERO
        } else if left < claim.requested {
            reasons.insert(Reason::TemporaryCapped);
            left
        } else {
            claim.requested
        };
        Ok(AidDecision {
            category: AidCategory::Living,
            kind: AidKind::Temporary,
            date,
            amount,
            reasons,
            cite: Some(&cap.cite),
            trace: self.trace(explain, || {
                Record::Temporary(TemporaryRecord {
                    claim,
                    paid_this_year,
                    cap,
                    events,
                    relations,
                    amount,
                    reasons,
                })
            }),
        })
    }
}

/// The temporary aid paid to `person` in the calendar year of `date`, up to `date`, read
/// from a history of payments: those of kind `temporary` naming the person (临时救助年内已发放).
/// The one sum behind [`Calculator::entitlement`]'s temporary line, the JSON Lines
/// `temporary` request and the year's temporary-aid records.
///
/// # Errors
/// `core.money.overflow`.
///
/// # Example
/// ```
/// use bangfu_aid::{PaymentRecord, temporary_paid};
/// use bangfu_core::{Money, NaiveDate};
/// let paid: Vec<PaymentRecord> = serde_json::from_str(r#"[
///   {"claim":"t-1","date":"2023-03-01","category":"living","aid_kind":"temporary","person":"w","amount":"1000.00"},
///   {"claim":"t-2","date":"2023-09-01","category":"living","aid_kind":"temporary","person":"w","amount":"500.00"},
///   {"claim":"t-0","date":"2022-09-01","category":"living","aid_kind":"temporary","person":"w","amount":"900.00"}]"#)?;
/// let on = NaiveDate::from_ymd_opt(2023, 6, 1).unwrap();
/// assert_eq!(temporary_paid(&paid, &"w".parse()?, on)?, Money::from_yuan(1_000)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn temporary_paid(
    payments: &[crate::PaymentRecord],
    person: &bangfu_core::PersonId,
    date: NaiveDate,
) -> Result<Money, AidError> {
    use chrono::Datelike;
    payments
        .iter()
        .filter(|p| {
            p.aid_kind == AidKind::Temporary
                && p.person.as_ref() == Some(person)
                && p.date <= date
                && p.date.year() == date.year()
        })
        .try_fold(Money::ZERO, |s, p| s.checked_add(p.amount))
        .map_err(AidError::from)
}

/// The worker of a temporary-aid request (临时救助对象): the key the union assigns and
/// whether the worker's household is filed on the claim date.
///
/// # Example
/// See [`TemporaryRequest`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TemporaryWorker {
    /// The person key the union assigns (not an ID number).
    pub key: bangfu_core::PersonId,
    /// Whether the worker's household is filed (已建档) on the claim date: a filed worker gets
    /// the regular aids, not temporary aid.
    #[serde(default)]
    pub filed: bool,
}

/// A temporary-aid claim as a request carries it (临时救助申请记录).
///
/// # Example
/// See [`TemporaryRequest`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TemporaryClaimRecord {
    /// The claim id.
    pub id: crate::ClaimId,
    /// The claim date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The event (致困事件).
    pub event: TemporaryEvent,
    /// Whose event it is (与职工关系).
    pub relation: Relation,
    /// The amount asked (申请金额).
    pub requested: Money,
}

/// A temporary-aid request (临时救助): the worker, the claim, and the temporary aid paid to
/// the worker earlier (payments of kind `temporary` naming the worker's key as `person`; only
/// those of the claim's calendar year count).
///
/// # Example
/// ```
/// use bangfu_aid::{Calculator, Decision, Explain, Request};
/// let policy = bangfu_aid::AidPolicy::hubei_2023()?;
/// let line = r#"{"kind":"temporary","worker":{"key":"W-7"},
///   "claim":{"id":"t-2","date":"2023-09-01","event":"accident","relation":"worker","requested":"2500.00"},
///   "earlier_payments":[{"claim":"t-1","date":"2023-03-05","category":"living","aid_kind":"temporary","person":"W-7","amount":"1000.00"}]}"#;
/// let Decision::Temporary(out) = Calculator::new(&policy)?.decide(&Request::from_json(line)?, Explain::Off)? else { unreachable!() };
/// assert_eq!(out.amount.to_string(), "2000.00"); // 3,000 a year − 1,000 paid
/// assert_eq!(out.reasons.iter().next().map(|r| r.code()), Some("aid.temporary.yearly_cap"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TemporaryRequest {
    /// The worker.
    pub worker: TemporaryWorker,
    /// The claim to decide.
    pub claim: TemporaryClaimRecord,
    /// Earlier payments (temporary aid to the worker in the claim's year counts).
    #[serde(default)]
    pub earlier_payments: Vec<crate::PaymentRecord>,
}

/// The decision on a temporary-aid request (临时救助决定): the worker, the amount, the
/// reasons, the citation and the explanation when asked. There is no case file, so no
/// payment order: the union pays it as `docs/year-directory.md` (`temporary-aid.jsonl`) says.
///
/// # Example
/// See [`TemporaryRequest`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TemporaryOutcome {
    /// The worker's key.
    pub worker: bangfu_core::PersonId,
    /// The claim decided.
    pub claim: crate::ClaimId,
    /// The aid category (living aid).
    pub category: AidCategory,
    /// The kind inside the category (`temporary`).
    pub aid_kind: AidKind,
    /// The claim date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The amount paid now.
    pub amount: Money,
    /// What was paid to the worker earlier in the year, as the decision counted it.
    pub paid_this_year: Money,
    /// The reasons (limits that bit, why nothing is paid).
    pub reasons: ReasonSet,
    /// The citation of the parameter that decided the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<bangfu_core::CitationId>,
    /// The explanation, when asked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explanation: Option<bangfu_core::Explanation>,
}

impl Calculator<'_> {
    /// Decides a temporary-aid request on its own, from the payments it carries.
    pub(crate) fn decide_temporary(
        &self,
        r: &TemporaryRequest,
        explain: Explain,
    ) -> Result<TemporaryOutcome, AidError> {
        let date = r.claim.date;
        for p in &r.earlier_payments {
            if p.date > date {
                return Err(AidError::HistoryAfterClaim {
                    entry: p.date,
                    claim: date,
                });
            }
        }
        let paid = temporary_paid(&r.earlier_payments, &r.worker.key, date)?;
        let claim = TemporaryClaim {
            date,
            requested: r.claim.requested,
            event: r.claim.event,
            relation: r.claim.relation,
            filed: r.worker.filed,
        };
        let d = self.temporary(claim, paid, explain)?;
        Ok(TemporaryOutcome {
            worker: r.worker.key.clone(),
            claim: r.claim.id.clone(),
            category: d.category,
            aid_kind: d.kind,
            date,
            amount: d.amount,
            paid_this_year: paid,
            reasons: d.reasons,
            cite: d.cite.cloned(),
            explanation: d.explanation(),
        })
    }
}
