//! Decisions that borrow their request (决定视图): what [`Calculator::decide`] answers,
//! before anything is copied out of the request and the policy, and their hand-written JSON
//! writer, byte for byte what `serde_json` writes of the owned [`Decision`].

use bangfu_core::json::{self, Array, Object};
use bangfu_core::{PersonId, Year};

use crate::order::KeyText;
use crate::request::history_book;
use crate::{
    AidDecision, AidError, AidOutcome, AmountClaim, Calculator, CapScope, ClaimId, Decision,
    EntitlementOutcome, Explain, FileFacts, MedicalClaim, PaymentOrder, ReasonSet, Request,
    TemporaryOutcome,
};
use bangfu_core::AidCategory;

/// A decision on a claim, borrowing its request and the policy: the file, the claim id, the
/// applicant or student, and the calculator's [`AidDecision`] (with its [`Trace`](crate::Trace)
/// when asked to explain). The file was checked payable on the claim's date.
///
/// [`OutcomeRef::to_outcome`] copies it into an [`AidOutcome`]; [`DecisionRef::write_json`]
/// writes it as that outcome serializes.
///
/// # Example
/// See [`Calculator::decide_ref`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRef<'a> {
    /// The file.
    pub file: &'a FileFacts,
    /// The claim decided.
    pub claim: &'a ClaimId,
    /// The applicant or student, when the claim names one.
    pub person: Option<&'a PersonId>,
    /// The calculator's decision.
    pub decision: AidDecision<'a>,
}

impl OutcomeRef<'_> {
    /// The decision as an owned [`AidOutcome`] (ids copied, the payment order made, the
    /// explanation rendered).
    pub fn to_outcome(&self) -> AidOutcome {
        let d = &self.decision;
        AidOutcome {
            case: self.file.case.clone(),
            household: self.file.household.clone(),
            claim: self.claim.clone(),
            person: self.person.cloned(),
            category: d.category,
            aid_kind: d.kind,
            date: d.date,
            amount: d.amount,
            reasons: d.reasons,
            cite: d.cite.cloned(),
            order: PaymentOrder::unchecked(self.file, self.claim, d),
            explanation: d.explanation(),
        }
    }

    /// The fields of the [`AidOutcome`], in its order.
    fn write_fields(&self, o: &mut Object<'_>) {
        let (file, d) = (self.file, &self.decision);
        o.str("case", file.case.as_str());
        o.str("household", file.household.as_str());
        o.str("claim", self.claim.as_str());
        if let Some(p) = self.person {
            o.str("person", p.as_str());
        }
        o.code("category", &d.category);
        o.code("aid_kind", &d.kind);
        json::date(o.key("date"), d.date);
        o.leaf("amount", &d.amount);
        o.with("reasons", |out| reasons(out, d.reasons));
        if let Some(c) = d.cite {
            o.str("cite", c.as_str());
        }
        if !d.amount.is_zero() {
            o.with("order", |out| self.write_order(out));
        }
        if let Some(t) = &d.trace {
            o.with("explanation", |out| t.write_json(out));
        }
    }

    /// The payment order, as [`PaymentOrder`] serializes.
    fn write_order(&self, out: &mut Vec<u8>) -> bool {
        let (file, d) = (self.file, &self.decision);
        let mut o = Object::open(out);
        KeyText {
            case: &file.case,
            category: d.category,
            kind: d.kind,
            period: Year::of(d.date),
            claim: self.claim,
        }
        .write_json(o.key("key"));
        o.str("case", file.case.as_str());
        o.str("household", file.household.as_str());
        o.code("tier", &file.tier);
        o.code("category", &d.category);
        o.code("aid_kind", &d.kind);
        o.leaf("amount", &d.amount);
        json::date(o.key("date"), d.date);
        o.str("claim", self.claim.as_str());
        if let Some(c) = d.cite {
            o.str("cite", c.as_str());
        }
        o.close()
    }
}

/// A reason set as it serializes: the list of its codes.
fn reasons(out: &mut Vec<u8>, set: ReasonSet) -> bool {
    let mut a = Array::open(out);
    for r in set.iter() {
        a.code(&r);
    }
    a.close()
}

/// One decision of the JSON Lines interface borrowing its request: [`Decision`] before
/// anything is copied. Claims are [`OutcomeRef`]s; the remaining entitlement and temporary
/// aid are already owned.
///
/// # Example
/// See [`Calculator::decide_ref`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecisionRef<'a> {
    /// Medical aid.
    Medical(OutcomeRef<'a>),
    /// Living aid.
    Living(OutcomeRef<'a>),
    /// Sending warmth.
    SendingWarmth(OutcomeRef<'a>),
    /// Education aid.
    Education(OutcomeRef<'a>),
    /// Remaining entitlement.
    RemainingEntitlement(EntitlementOutcome),
    /// Temporary aid.
    Temporary(TemporaryOutcome),
}

impl DecisionRef<'_> {
    /// The owned decision (what [`Calculator::decide`] answers).
    pub fn into_owned(self) -> Decision {
        match self {
            DecisionRef::Medical(o) => Decision::Medical(o.to_outcome()),
            DecisionRef::Living(o) => Decision::Living(o.to_outcome()),
            DecisionRef::SendingWarmth(o) => Decision::SendingWarmth(o.to_outcome()),
            DecisionRef::Education(o) => Decision::Education(o.to_outcome()),
            DecisionRef::RemainingEntitlement(e) => Decision::RemainingEntitlement(e),
            DecisionRef::Temporary(t) => Decision::Temporary(t),
        }
    }

    /// Writes the decision's fields, its `"kind"` first, into an object being written: the
    /// fields of `serde_json`'s serialization of [`DecisionRef::into_owned`], byte for byte,
    /// written by hand straight into the buffer (the explanation rendered from its record).
    ///
    /// # Example
    /// See [`Calculator::decide_ref`].
    pub fn write_fields(&self, o: &mut Object<'_>) {
        let (kind, outcome) = match self {
            DecisionRef::Medical(x) => ("medical", x),
            DecisionRef::Living(x) => ("living", x),
            DecisionRef::SendingWarmth(x) => ("sending_warmth", x),
            DecisionRef::Education(x) => ("education", x),
            DecisionRef::RemainingEntitlement(e) => {
                o.str("kind", "remaining_entitlement");
                o.serde_fields(e);
                return;
            }
            DecisionRef::Temporary(t) => {
                o.str("kind", "temporary");
                o.serde_fields(t);
                return;
            }
        };
        o.str("kind", kind);
        outcome.write_fields(o);
    }

    /// Appends the decision as one JSON object (see [`DecisionRef::write_fields`]): whether
    /// every value could be written.
    pub fn write_json(&self, out: &mut Vec<u8>) -> bool {
        let mut o = Object::open(out);
        self.write_fields(&mut o);
        o.close()
    }
}

impl<'p> Calculator<'p> {
    fn outcome_ref<'a>(
        file: &'a FileFacts,
        claim: &'a ClaimId,
        person: Option<&'a PersonId>,
        decision: AidDecision<'a>,
    ) -> Result<OutcomeRef<'a>, AidError> {
        file.check_payable(decision.date)?;
        Ok(OutcomeRef {
            file,
            claim,
            person,
            decision,
        })
    }

    /// Decides one request on its own, from the history it carries, borrowing the request
    /// and the policy: [`Calculator::decide`] without the copies, for a caller that only
    /// writes the decision out.
    ///
    /// # Errors
    /// As [`Calculator::decide`].
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{Calculator, Explain, Request};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// let line = r#"{"kind":"medical","file":{"case":"HK-1/1","household":"HK-1","tier":"national","degree":"subsistence","household_size":3,"status":"active"},"claim":{"id":"m-2","applicant":"p1","date":"2018-09-01","out_of_pocket":"30000.00"}}"#;
    /// let request = Request::from_json(line)?;
    /// let calc = Calculator::new(&policy)?;
    /// let mut out = Vec::new();
    /// assert!(calc.decide_ref(&request, Explain::On)?.write_json(&mut out));
    /// assert_eq!(out, serde_json::to_vec(&calc.decide(&request, Explain::On)?)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn decide_ref<'a>(
        &'a self,
        request: &'a Request,
        explain: Explain,
    ) -> Result<DecisionRef<'a>, AidError> {
        match request {
            Request::Medical(r) => {
                let date = r.claim.date;
                let scope = self.cap_scope(date)?;
                let book = history_book(
                    &r.file.household,
                    date,
                    AidCategory::Medical,
                    &r.earlier_claims,
                    &r.earlier_payments,
                    scope == CapScope::Applicant,
                )?;
                let so_far = book.medical(&r.file.household, &r.claim.applicant, scope)?;
                let claim = MedicalClaim {
                    date,
                    out_of_pocket: r.claim.out_of_pocket,
                };
                let d = self.medical(&r.file, claim, so_far, explain)?;
                Ok(DecisionRef::Medical(Self::outcome_ref(
                    &r.file,
                    &r.claim.id,
                    Some(&r.claim.applicant),
                    d,
                )?))
            }
            Request::Living(r) => {
                let book = history_book(
                    &r.file.household,
                    r.claim.date,
                    AidCategory::Living,
                    &[],
                    &r.earlier_payments,
                    false,
                )?;
                let so_far = book.living(&r.file.household);
                let claim = AmountClaim {
                    date: r.claim.date,
                    requested: r.claim.requested,
                };
                let d = self.living(&r.file, claim, so_far, explain)?;
                Ok(DecisionRef::Living(Self::outcome_ref(
                    &r.file,
                    &r.claim.id,
                    None,
                    d,
                )?))
            }
            Request::SendingWarmth(r) => {
                let claim = AmountClaim {
                    date: r.claim.date,
                    requested: r.claim.requested,
                };
                let d = self.sending_warmth(&r.file, claim, explain)?;
                Ok(DecisionRef::SendingWarmth(Self::outcome_ref(
                    &r.file,
                    &r.claim.id,
                    None,
                    d,
                )?))
            }
            Request::Education(r) => {
                let date = r.claim.date;
                let book = history_book(
                    &r.file.household,
                    date,
                    AidCategory::Education,
                    &[],
                    &r.earlier_payments,
                    true,
                )?;
                let already = book.student_paid(&r.file.household, &r.claim.student);
                let d = self.education(&r.file, date, &r.claim.student, already, explain)?;
                Ok(DecisionRef::Education(Self::outcome_ref(
                    &r.file,
                    &r.claim.id,
                    Some(&r.claim.student),
                    d,
                )?))
            }
            Request::RemainingEntitlement(r) => {
                let scope = self.cap_scope(r.date)?;
                if scope == CapScope::Applicant && r.applicant.is_none() {
                    return Err(AidError::ApplicantRequired);
                }
                let entitlement = self.entitlement(
                    &r.file,
                    r.date,
                    r.applicant.as_ref(),
                    &r.earlier_payments,
                    explain,
                )?;
                Ok(DecisionRef::RemainingEntitlement(EntitlementOutcome {
                    case: r.file.case.clone(),
                    household: r.file.household.clone(),
                    applicant: r.applicant.clone(),
                    entitlement,
                }))
            }
            Request::Temporary(r) => Ok(DecisionRef::Temporary(self.decide_temporary(r, explain)?)),
        }
    }
}
