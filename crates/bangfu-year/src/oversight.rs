//! The year's oversight records (监督检查): the allocation plan and the collective decision
//! that approved it (分配方案, `allocation.toml`), the payments with their checks (发放核查:
//! the card on the file and the card credited, 人款一致; the amount credited, 足额; the SMS
//! notice; the call-back sample, `payment-checks.jsonl`), and the self-inspection with its
//! fixes (自查自纠、整改, `self-inspection.jsonl`).
//!
//! Each is a record of the year directory taken through the one path after the payments
//! ([`ProgrammeYear::approve_allocation`], [`ProgrammeYear::check_record`],
//! [`ProgrammeYear::inspection`]): a bad record is refused with its code and nothing changes.
//! What the records show is read by [`ProgrammeYear::oversight_report`]: the plan against the
//! payments, the checks of each payment, the open self-inspection items, and the findings,
//! which join the evaluation's problems found in the records. A year without these files
//! says so in its report and invents nothing.
//!
//! ```
//! let year = bangfu_data::guinan2019::programme_year()?;
//! let end = bangfu_core::NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
//! let r = year.oversight_report(end)?;
//! assert!(r.plan.is_some());
//! assert!(r.issues.iter().any(|i| i.code == "check.card_mismatch"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod allocation;
mod checks;
mod error;
mod inspection;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use bangfu_core::{AidCategory, Lang, Money, NaiveDate, UnitId};
use bangfu_funding::{Disbursement, Posting, PostingId};
use bangfu_scoring::{FrameEntry, Name, RecordIssue};

pub use allocation::{
    AllocationFile, AllocationPlan, AllocationPolicy, FileCount, Fund, Meeting, MeetingKind,
    PlanAllocation, PlanCell, SourcePlan, Standard, allocate,
};
pub use checks::{
    CallOutcome, Callback, CardOnFile, CheckRecord, MaskedCard, Notice, NoticeResult, PaymentCheck,
    PaymentChecksPolicy, SampleDraw,
};
pub use error::OversightError;
pub use inspection::{InspectionFix, InspectionItem, InspectionRecord, ItemState, ItemStatus};

use crate::{ProgrammeYear, YearError};

bangfu_core::define_id! {
    /// A self-inspection item's id (自查问题编号).
    pub struct ItemId("inspection item");
}

/// The oversight records the year has accepted, in the order taken.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Oversight {
    allocation: Option<(AllocationFile, AllocationPlan)>,
    cards: Vec<CardOnFile>,
    checks: BTreeMap<PostingId, PaymentCheck>,
    sample: Option<SampleDraw>,
    callbacks: Vec<Callback>,
    items: Vec<InspectionItem>,
    fixes: Vec<InspectionFix>,
}

impl Oversight {
    /// The approved decision and the plan it approved, if any.
    pub fn allocation(&self) -> Option<(&AllocationFile, &AllocationPlan)> {
        self.allocation.as_ref().map(|(f, p)| (f, p))
    }

    /// The self-inspection items, in file order.
    pub fn items(&self) -> &[InspectionItem] {
        &self.items
    }

    /// The fixes, in file order.
    pub fn fixes(&self) -> &[InspectionFix] {
        &self.fixes
    }
}

/// The unit a payment counts for: the one it names, else its household's filing unit, else
/// `unassigned`.
fn unit_of(year: &ProgrammeYear, d: &Disbursement) -> Result<UnitId, YearError> {
    match d.unit.clone().or_else(|| {
        year.household(&d.household)
            .map(|h| h.worker.union_unit.clone())
    }) {
        Some(u) => Ok(u),
        None => Ok(UnitId::new("unassigned")?),
    }
}

fn blank(what: &'static str, text: &str) -> Result<(), YearError> {
    if text.trim().is_empty() {
        Err(OversightError::Blank(what).into())
    } else {
        Ok(())
    }
}

impl ProgrammeYear {
    /// The oversight records taken so far.
    pub fn oversight(&self) -> &Oversight {
        &self.oversight
    }

    /// The standing payment (a disbursement no reversal undoes) with this id.
    fn standing(&self, id: &PostingId) -> Option<&Disbursement> {
        match self.ledger().posted(id) {
            Some((Posting::Disbursement(d), _)) if self.ledger().reversal_of(id).is_none() => {
                Some(d)
            }
            _ => None,
        }
    }

    /// The plan the policy's rules give on `basis` (制订分配方案): the files payable on that
    /// day by unit, tier and degree, the budget's lines as the funds, each source's earmark
    /// in force on the day ([`allocate`]).
    ///
    /// # Errors
    /// `allocation.no_policy`; a parameter not in force on `basis`; overflow.
    ///
    /// # Example
    /// ```
    /// let year = bangfu_data::guinan2019::programme_year()?;
    /// let day = bangfu_core::NaiveDate::from_ymd_opt(2019, 1, 4).unwrap();
    /// let plan = year.allocation_plan(day)?;
    /// assert!(plan.total()? <= year.budget().total()?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allocation_plan(&self, basis: NaiveDate) -> Result<AllocationPlan, YearError> {
        let policy = self
            .policy()
            .allocation
            .as_ref()
            .ok_or(OversightError::NoAllocationPolicy)?;
        let mut counts: BTreeMap<
            (
                UnitId,
                bangfu_core::ArchiveTier,
                bangfu_eligibility::HardshipCategory,
            ),
            u64,
        > = BTreeMap::new();
        for file in self.registry().files() {
            let Some((degree, tier)) = file.proposal() else {
                continue;
            };
            if !file.is_payable_on(basis) {
                continue;
            }
            let unit = file.household().worker.union_unit.clone();
            let n = counts.entry((unit, tier, degree)).or_insert(0);
            *n = n.saturating_add(1);
        }
        let files: Vec<FileCount> = counts
            .into_iter()
            .map(|((unit, tier, degree), households)| FileCount {
                unit,
                tier,
                degree,
                households,
            })
            .collect();
        let mut funds = Vec::new();
        for (source, amount) in &self.budget().lines {
            let earmark = self
                .policy()
                .funding
                .earmark(*source, basis)
                .map_err(OversightError::from)?
                .clone();
            funds.push(Fund {
                source: *source,
                amount: *amount,
                earmark,
            });
        }
        let standards = &policy
            .standards
            .at("allocation.standards", basis)
            .map_err(OversightError::from)?
            .value;
        let reserve = policy
            .reserve
            .at("allocation.reserve", basis)
            .map_err(OversightError::from)?
            .value;
        Ok(allocate(basis, &files, standards, &funds, reserve)?)
    }

    /// Takes the collective decision on the allocation plan (`allocation.toml`): the decision
    /// is checked ([`AllocationFile::check`]), the plan made on its counting date, and the
    /// total the meeting approved must be the plan's to the fen.
    ///
    /// # Errors
    /// `allocation.no_policy`, `allocation.already_approved`, the decision's refusals,
    /// `allocation.total_mismatch`. Nothing changes.
    pub fn approve_allocation(&mut self, file: AllocationFile) -> Result<(), YearError> {
        let policy = self
            .policy()
            .allocation
            .as_ref()
            .ok_or(OversightError::NoAllocationPolicy)?;
        if self.oversight.allocation.is_some() {
            return Err(OversightError::AlreadyApproved.into());
        }
        file.check(policy, self.ledger().year().period().end())?;
        let plan = self.allocation_plan(file.basis)?;
        let total = plan.total()?;
        if total != file.total {
            return Err(OversightError::TotalMismatch {
                stated: file.total.to_string(),
                computed: total.to_string(),
            }
            .into());
        }
        self.oversight.allocation = Some((file, plan));
        Ok(())
    }

    /// Takes one line of `payment-checks.jsonl`: a card on a file (the household filed in
    /// the year, one card per household and day), the bank's return of a standing payment
    /// (once each; no more credited than paid; a notice not before the payment), the
    /// call-back sample (once; the policy has `[payment_checks]`), a call-back (of a standing
    /// payment, after the sample was drawn and not before the payment).
    ///
    /// # Errors
    /// `year.unknown_household`, `checks.unknown_payment`, `oversight.duplicate`,
    /// `checks.credited_above_amount`, `checks.before_payment`, `checks.no_policy`,
    /// `checks.callback_without_sample`, `oversight.blank`. Nothing changes.
    pub fn check_record(&mut self, record: CheckRecord) -> Result<(), YearError> {
        match record {
            CheckRecord::Card(c) => {
                if self.household(&c.household).is_none() {
                    return Err(YearError::UnknownHousehold {
                        household: c.household,
                    });
                }
                if self
                    .oversight
                    .cards
                    .iter()
                    .any(|o| o.household == c.household && o.from == c.from)
                {
                    return Err(OversightError::Duplicate(format!(
                        "the card of {} from {}",
                        c.household, c.from
                    ))
                    .into());
                }
                self.oversight.cards.push(c);
            }
            CheckRecord::Payment(p) => {
                let d = self
                    .standing(&p.payment)
                    .ok_or_else(|| OversightError::UnknownPayment(p.payment.to_string()))?;
                if self.oversight.checks.contains_key(&p.payment) {
                    return Err(OversightError::Duplicate(format!(
                        "the bank's return of {}",
                        p.payment
                    ))
                    .into());
                }
                if p.credited > d.amount {
                    return Err(OversightError::CreditedAboveAmount {
                        credited: p.credited.to_string(),
                        amount: d.amount.to_string(),
                    }
                    .into());
                }
                if let Some(n) = &p.notice
                    && n.date < d.date
                {
                    return Err(OversightError::BeforePayment {
                        what: "the notice",
                        date: n.date,
                        payment: d.date,
                    }
                    .into());
                }
                self.oversight.checks.insert(p.payment.clone(), p);
            }
            CheckRecord::Sample(s) => {
                if self.policy().payment_checks.is_none() {
                    return Err(OversightError::NoChecksPolicy.into());
                }
                blank("who drew the sample", &s.by)?;
                if self.oversight.sample.is_some() {
                    return Err(OversightError::Duplicate("the call-back sample".to_owned()).into());
                }
                self.oversight.sample = Some(s);
            }
            CheckRecord::Callback(c) => {
                blank("the caller", &c.by)?;
                let d = self
                    .standing(&c.payment)
                    .ok_or_else(|| OversightError::UnknownPayment(c.payment.to_string()))?;
                if self
                    .oversight
                    .sample
                    .as_ref()
                    .is_none_or(|s| s.date > c.date)
                {
                    return Err(OversightError::CallbackWithoutSample(c.date).into());
                }
                if c.date < d.date {
                    return Err(OversightError::BeforePayment {
                        what: "the call-back",
                        date: c.date,
                        payment: d.date,
                    }
                    .into());
                }
                self.oversight.callbacks.push(c);
            }
        }
        Ok(())
    }

    /// Takes one line of `self-inspection.jsonl`: an item (a new id; problem and owner not
    /// blank; due no earlier than found) or a fix (of an item earlier in the file, not
    /// before it was found, not after a closing fix; who and what not blank).
    ///
    /// # Errors
    /// `oversight.duplicate`, `oversight.blank`, `inspection.due_before_found`,
    /// `inspection.unknown_item`, `inspection.fix_before_found`,
    /// `inspection.already_closed`. Nothing changes.
    pub fn inspection(&mut self, record: InspectionRecord) -> Result<(), YearError> {
        match record {
            InspectionRecord::Item(i) => {
                blank("the problem", &i.problem)?;
                blank("the owner", &i.owner)?;
                if self.oversight.items.iter().any(|o| o.id == i.id) {
                    return Err(OversightError::Duplicate(format!("item {}", i.id)).into());
                }
                if i.due < i.date {
                    return Err(OversightError::DueBeforeFound {
                        found: i.date,
                        due: i.due,
                    }
                    .into());
                }
                self.oversight.items.push(i);
            }
            InspectionRecord::Fix(f) => {
                blank("who fixed it", &f.by)?;
                blank("the action", &f.action)?;
                let item = self
                    .oversight
                    .items
                    .iter()
                    .find(|i| i.id == f.item)
                    .ok_or_else(|| OversightError::UnknownItem(f.item.to_string()))?;
                if f.date < item.date {
                    return Err(OversightError::FixBeforeFound {
                        fix: f.date,
                        found: item.date,
                    }
                    .into());
                }
                if self
                    .oversight
                    .fixes
                    .iter()
                    .any(|o| o.item == f.item && o.closes)
                {
                    return Err(OversightError::AlreadyClosed(f.item.to_string()).into());
                }
                self.oversight.fixes.push(f);
            }
        }
        Ok(())
    }

    /// The call-back sample (回访样本): the standing payments made by the sample's day,
    /// stratified by unit, drawn by the scoring crate's sampler
    /// ([`bangfu_scoring::draw_sample`]) with the recorded seed under the policy's design on
    /// that day. `None` when no sample was drawn.
    ///
    /// # Errors
    /// `checks.no_policy`; a parameter not in force; the sampler's refusals.
    pub fn callback_sample(&self) -> Result<Option<Vec<PostingId>>, YearError> {
        let Some(draw) = &self.oversight.sample else {
            return Ok(None);
        };
        let policy = self
            .policy()
            .payment_checks
            .as_ref()
            .ok_or(OversightError::NoChecksPolicy)?;
        let design = policy.design(draw.date)?;
        let mut frame = Vec::new();
        for d in bangfu_funding::standing_payments(self.ledger().postings()) {
            if d.date > draw.date {
                continue;
            }
            // The sampler draws ids of a frame stratified by unit: here each payment's id
            // (posting ids and household ids follow the same id rules).
            frame.push(FrameEntry {
                household: bangfu_core::HouseholdId::new(d.id.as_str())?,
                unit: unit_of(self, d)?,
            });
        }
        let sample = bangfu_scoring::draw_sample(&frame, &design, draw.seed)
            .map_err(OversightError::from)?;
        let mut out = Vec::with_capacity(sample.size());
        for h in sample.households() {
            out.push(PostingId::new(h.as_str())?);
        }
        Ok(Some(out))
    }

    /// What the oversight records show on `as_of` (the report's date): the plan against the
    /// payments, the payment checks, the self-inspection items, and the findings.
    ///
    /// # Errors
    /// Overflow; a parameter not in force; the sampler's refusals.
    pub fn oversight_report(&self, as_of: NaiveDate) -> Result<OversightReport, YearError> {
        let payments: Vec<&Disbursement> =
            bangfu_funding::standing_payments(self.ledger().postings()).collect();
        let mut issues = Vec::new();
        let (plan, lines) = self.plan_findings(&payments, &mut issues)?;
        let checks = self.check_findings(&payments, &mut issues)?;
        let items: Vec<ItemState> = self
            .oversight
            .items
            .iter()
            .map(|i| ItemState::on(i.clone(), &self.oversight.fixes, as_of))
            .collect();
        for status in [ItemStatus::Open, ItemStatus::Overdue] {
            let ids: Vec<String> = items
                .iter()
                .filter(|s| s.status == status)
                .map(|s| s.item.id.to_string())
                .collect();
            let code = match status {
                ItemStatus::Overdue => "inspection.overdue",
                _ => "inspection.open",
            };
            push_issue(&mut issues, code, issue_name(code, ids.len()), ids);
        }
        Ok(OversightReport {
            as_of,
            allocation_policy: self.policy().allocation.is_some(),
            checks_policy: self.policy().payment_checks.is_some(),
            plan,
            lines,
            checks,
            items,
            issues,
        })
    }

    /// The plan's findings: no plan, payments before approval, lines and units paid beyond
    /// the plan.
    #[allow(clippy::type_complexity)]
    fn plan_findings(
        &self,
        payments: &[&Disbursement],
        issues: &mut Vec<RecordIssue>,
    ) -> Result<(Option<(AllocationFile, AllocationPlan)>, Vec<LineUse>), YearError> {
        let Some((file, plan)) = self.oversight.allocation.clone() else {
            if self.policy().allocation.is_some() && !payments.is_empty() {
                push_issue(
                    issues,
                    "allocation.no_plan",
                    issue_name("allocation.no_plan", payments.len()),
                    vec!["allocation.toml".to_owned()],
                );
            }
            return Ok((None, Vec::new()));
        };
        let mut sorted: Vec<&&Disbursement> = payments.iter().collect();
        sorted.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        let early: Vec<String> = sorted
            .iter()
            .filter(|d| d.date < file.meeting.date)
            .map(|d| d.id.to_string())
            .collect();
        push_issue(
            issues,
            "allocation.paid_before_approval",
            issue_name("allocation.paid_before_approval", early.len()),
            early,
        );
        let planned = plan.lines()?;
        let mut keyed = Vec::with_capacity(sorted.len());
        for d in sorted {
            keyed.push(((unit_of(self, d)?, d.category), &d.id, d.amount));
        }
        let (paid, beyond) = beyond_plan(keyed, &planned)?;
        push_issue(
            issues,
            "allocation.over_plan_line",
            issue_name("allocation.over_plan_line", beyond.len()),
            beyond,
        );
        let mut keys: BTreeSet<(UnitId, AidCategory)> = planned.keys().cloned().collect();
        keys.extend(paid.keys().cloned());
        let lines: Vec<LineUse> = keys
            .into_iter()
            .map(|k| LineUse {
                planned: planned.get(&k).copied().unwrap_or(Money::ZERO),
                paid: paid.get(&k).copied().unwrap_or(Money::ZERO),
                unit: k.0,
                category: k.1,
            })
            .collect();
        let mut units: BTreeMap<&UnitId, (Money, Money)> = BTreeMap::new();
        for l in &lines {
            let e = units.entry(&l.unit).or_insert((Money::ZERO, Money::ZERO));
            e.0 = e.0.checked_add(l.planned)?;
            e.1 = e.1.checked_add(l.paid)?;
        }
        let over: Vec<String> = units
            .iter()
            .filter(|(_, (p, s))| s > p)
            .map(|(u, (p, s))| format!("{u} {s} > {p}"))
            .collect();
        push_issue(
            issues,
            "allocation.over_plan_unit",
            issue_name("allocation.over_plan_unit", over.len()),
            over,
        );
        Ok((Some((file, plan)), lines))
    }

    /// The payment checks' findings.
    fn check_findings(
        &self,
        payments: &[&Disbursement],
        issues: &mut Vec<RecordIssue>,
    ) -> Result<Option<ChecksSummary>, YearError> {
        if self.policy().payment_checks.is_none() && self.oversight.checks.is_empty() {
            return Ok(None);
        }
        let o = &self.oversight;
        let mut found: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
        let mut add = |code: &'static str, id: &PostingId| {
            found.entry(code).or_default().push(id.to_string());
        };
        let mut cards: HashMap<&bangfu_core::HouseholdId, Vec<&CardOnFile>> = HashMap::new();
        for c in &o.cards {
            cards.entry(&c.household).or_default().push(c);
        }
        let mut summary = ChecksSummary::default();
        let mut sorted: Vec<&&Disbursement> = payments.iter().collect();
        sorted.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        for d in sorted {
            summary.payments += 1;
            let Some(check) = o.checks.get(&d.id) else {
                add("check.unchecked", &d.id);
                continue;
            };
            summary.checked += 1;
            let on_file = cards.get(&d.household).and_then(|cs| {
                cs.iter()
                    .filter(|c| c.from <= d.date)
                    .max_by_key(|c| c.from)
            });
            match on_file {
                None => add("check.no_card_on_file", &d.id),
                Some(c) if c.card != check.card => add("check.card_mismatch", &d.id),
                Some(_) => summary.card_matches += 1,
            }
            if check.credited < d.amount {
                add("check.not_in_full", &d.id);
            }
            match &check.notice {
                None => add("check.no_notice", &d.id),
                Some(n) if n.result == NoticeResult::Failed => add("check.notice_failed", &d.id),
                Some(_) => summary.notified += 1,
            }
        }
        summary.sample = self.callback_sample()?;
        match &summary.sample {
            None if self.policy().payment_checks.is_some() && !payments.is_empty() => {
                found
                    .entry("check.no_sample")
                    .or_default()
                    .push("payment-checks.jsonl".to_owned());
            }
            None => {}
            Some(sample) => {
                for id in sample {
                    let calls: Vec<&Callback> =
                        o.callbacks.iter().filter(|c| &c.payment == id).collect();
                    if calls.is_empty() {
                        found
                            .entry("check.callback_missing")
                            .or_default()
                            .push(id.to_string());
                    } else if calls.iter().any(|c| c.outcome.confirms()) {
                        summary.confirmed += 1;
                    }
                }
            }
        }
        // Every call that confirmed nothing (in the sample or beyond it), by payment.
        let mut failed: BTreeMap<&PostingId, Vec<CallOutcome>> = BTreeMap::new();
        for c in &o.callbacks {
            failed.entry(&c.payment).or_default().push(c.outcome);
        }
        summary.called = failed.len() as u64;
        for (id, outcomes) in failed {
            if !outcomes.iter().any(|x| x.confirms()) {
                let last = outcomes.last().map_or("", |x| x.code());
                found
                    .entry("check.callback_failed")
                    .or_default()
                    .push(format!("{id} ({last})"));
            }
        }
        for code in CHECK_CODES {
            if let Some(records) = found.remove(code) {
                push_issue(issues, code, issue_name(code, records.len()), records);
            }
        }
        Ok(Some(summary))
    }
}

/// The running sum of each line's payments (in the order given), and the payments from the
/// one whose running sum goes above the line's plan (a sum equal to the plan is within it; a
/// line the plan does not have plans nothing).
#[allow(clippy::type_complexity)]
fn beyond_plan<K: Ord + Clone>(
    payments: Vec<(K, &PostingId, Money)>,
    planned: &BTreeMap<K, Money>,
) -> Result<(BTreeMap<K, Money>, Vec<String>), YearError> {
    let mut paid: BTreeMap<K, Money> = BTreeMap::new();
    let mut beyond = Vec::new();
    for (key, id, amount) in payments {
        let limit = planned.get(&key).copied().unwrap_or(Money::ZERO);
        let sum = paid.entry(key).or_insert(Money::ZERO);
        *sum = sum.checked_add(amount)?;
        if *sum > limit {
            beyond.push(id.to_string());
        }
    }
    Ok((paid, beyond))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_line_paid_exactly_its_plan_is_within_it_one_fen_more_is_beyond() {
        let id = |s: &str| PostingId::new(s).unwrap();
        let yuan = |n| Money::from_yuan(n).unwrap();
        let (p1, p2, p3, p4) = (id("p1"), id("p2"), id("p3"), id("p4"));
        let planned = BTreeMap::from([("a", yuan(1000)), ("b", yuan(500))]);
        let fen = Money::from_fen(1).unwrap();
        let payments = vec![
            ("a", &p1, yuan(600)),
            ("a", &p2, yuan(400)), // exactly the plan: within it
            ("b", &p3, yuan(500).checked_add(fen).unwrap()), // one fen beyond
            ("c", &p4, fen),       // a line the plan does not have
        ];
        let (paid, beyond) = beyond_plan(payments, &planned).unwrap();
        assert_eq!(beyond, ["p3", "p4"]);
        assert_eq!(paid.get("a"), Some(&yuan(1000)));
    }
}

/// The payment checks' finding codes, in the report's order.
const CHECK_CODES: [&str; 9] = [
    "check.unchecked",
    "check.no_card_on_file",
    "check.card_mismatch",
    "check.not_in_full",
    "check.no_notice",
    "check.notice_failed",
    "check.no_sample",
    "check.callback_missing",
    "check.callback_failed",
];

/// Every finding code of the oversight records, with its name in both languages (`{n}` is
/// the count).
pub const FINDINGS: [(&str, &str, &str); 15] = [
    (
        "allocation.no_plan",
        "未经集体研究制订分配方案即发放{n}笔",
        "{n} payments without an approved allocation plan",
    ),
    (
        "allocation.paid_before_approval",
        "分配方案审定前发放{n}笔",
        "{n} payments before the plan was approved",
    ),
    (
        "allocation.over_plan_line",
        "超出分配方案（单位×类别）发放{n}笔",
        "{n} payments beyond the plan's line (unit × category)",
    ),
    (
        "allocation.over_plan_unit",
        "发放超出分配方案的建档单位{n}个",
        "{n} units paid beyond their plan",
    ),
    (
        "check.unchecked",
        "无银行回单核对{n}笔",
        "{n} payments without the bank's return",
    ),
    (
        "check.no_card_on_file",
        "档案未登记银行卡{n}笔",
        "{n} payments to a household with no card on file",
    ),
    (
        "check.card_mismatch",
        "人款不一致（到账卡号与档案不符）{n}笔",
        "{n} payments to a card other than the file's (人款一致)",
    ),
    (
        "check.not_in_full",
        "未足额发放{n}笔",
        "{n} payments not credited in full (足额)",
    ),
    (
        "check.no_notice",
        "发放后未短信告知{n}笔",
        "{n} payments without an SMS notice",
    ),
    (
        "check.notice_failed",
        "短信告知未送达{n}笔",
        "{n} SMS notices not delivered",
    ),
    (
        "check.no_sample",
        "未按比例抽取电话回访样本",
        "no call-back sample drawn",
    ),
    (
        "check.callback_missing",
        "抽中未回访{n}笔",
        "{n} sampled payments not called back",
    ),
    (
        "check.callback_failed",
        "电话回访未确认到账{n}笔",
        "{n} call-backs that did not confirm the payment",
    ),
    (
        "inspection.open",
        "自查问题整改中{n}项",
        "{n} self-inspection items open",
    ),
    (
        "inspection.overdue",
        "自查问题逾期未整改{n}项",
        "{n} self-inspection items overdue",
    ),
];

/// The name of a finding with its count.
fn issue_name(code: &str, n: usize) -> Name {
    let (zh, en) = FINDINGS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or((code, code), |(_, zh, en)| (*zh, *en));
    Name::new(
        zh.replace("{n}", &n.to_string()),
        en.replace("{n}", &n.to_string()),
    )
}

fn push_issue(issues: &mut Vec<RecordIssue>, code: &str, name: Name, records: Vec<String>) {
    if !records.is_empty() {
        issues.push(RecordIssue {
            code: code.to_owned(),
            name,
            records,
        });
    }
}

/// One line of the plan against what was paid (方案执行): a unit and an aid category.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineUse {
    /// The unit.
    pub unit: UnitId,
    /// The aid category.
    pub category: AidCategory,
    /// What the plan gives the line.
    pub planned: Money,
    /// What the standing payments paid.
    pub paid: Money,
}

/// What the payment checks count (发放核查情况).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ChecksSummary {
    /// Standing payments.
    pub payments: u64,
    /// Those with the bank's return.
    pub checked: u64,
    /// Those credited to the card on the file.
    pub card_matches: u64,
    /// Those whose SMS notice was delivered.
    pub notified: u64,
    /// The call-back sample, when drawn.
    pub sample: Option<Vec<PostingId>>,
    /// Payments called back (sampled or not).
    pub called: u64,
    /// Sampled payments a call confirmed.
    pub confirmed: u64,
}

/// What the oversight records show on a date (监督检查情况): the approved plan and its lines
/// against the payments, the payment checks, the self-inspection items, and the findings.
///
/// # Example
/// ```
/// use bangfu_year::oversight::ItemStatus;
/// let year = bangfu_data::guinan2019::programme_year()?;
/// let day = bangfu_core::NaiveDate::from_ymd_opt(2020, 3, 31).unwrap();
/// let r = year.oversight_report(day)?;
/// assert!(r.items.iter().any(|i| i.status != ItemStatus::Closed));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OversightReport {
    /// The date the items stand on.
    pub as_of: NaiveDate,
    /// Whether the policy has `[allocation]`.
    pub allocation_policy: bool,
    /// Whether the policy has `[payment_checks]`.
    pub checks_policy: bool,
    /// The decision and the plan it approved.
    pub plan: Option<(AllocationFile, AllocationPlan)>,
    /// The plan's lines against the payments.
    pub lines: Vec<LineUse>,
    /// The payment checks, when the policy or the records have any.
    pub checks: Option<ChecksSummary>,
    /// The self-inspection items on `as_of`.
    pub items: Vec<ItemState>,
    /// The findings, each with its records.
    pub issues: Vec<RecordIssue>,
}

impl OversightReport {
    /// The report's annex in Markdown (附件3): the allocation plan with its decision and its
    /// lines against the payments, the payment checks, and the self-inspection items not
    /// closed. A part without records says so.
    ///
    /// # Example
    /// ```
    /// let year = bangfu_data::hainan2018::programme_year()?;
    /// let day = bangfu_core::NaiveDate::from_ymd_opt(2019, 6, 24).unwrap();
    /// let text = year.oversight_report(day)?.render(bangfu_core::Lang::Zh);
    /// assert!(text.contains("本年度目录无分配方案"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render(&self, lang: Lang) -> String {
        self.render_named(lang, &BTreeMap::new())
    }

    /// [`OversightReport::render`] with the units' names (a unit not in `names` shows its id).
    ///
    /// # Example
    /// ```
    /// use std::collections::BTreeMap;
    /// let year = bangfu_data::guinan2019::programme_year()?;
    /// let day = bangfu_core::NaiveDate::from_ymd_opt(2020, 4, 28).unwrap();
    /// let names = BTreeMap::from([("guinan-sugar".parse()?, bangfu_scoring::Name::new("糖业工会", "sugar union"))]);
    /// let text = year.oversight_report(day)?.render_named(bangfu_core::Lang::Zh, &names);
    /// assert!(text.contains("| 糖业工会 | 生活救助 |"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn render_named(&self, lang: Lang, names: &BTreeMap<UnitId, Name>) -> String {
        let mut w = render::Doc::new(lang);
        render::annex(&mut w, self, names);
        w.out
    }
}

mod render;
