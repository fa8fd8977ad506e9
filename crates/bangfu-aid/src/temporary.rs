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
