//! What happens during a generated year (年内变动), planted on the base records: exits and
//! cancellations (some recorded late), a withdrawal whose aid is recovered, payments entered
//! late, one payment above the standard; then the budget with its carry-over approvals. The
//! year is last put through the one path of `bangfu-year` ([`YearDir::build`]), and what the
//! path finds must be exactly what was planted, or nothing is produced.

use std::collections::{BTreeMap, BTreeSet};

use bangfu_core::{AidCategory, AidKind, HouseholdId, Money, NaiveDate, PersonId, WorkingCalendar};
use bangfu_eligibility::{Actor, CancelReason, CaseEvent, ExitReason, Role, WithdrawReason};
use bangfu_funding::{
    Budget, CarryoverApproval, Disbursement, FundSource, Income, IncomeKind, Posting, PostingId,
};
use bangfu_year::Policy;
use bangfu_year::dir::{Lined, YearDir};
use bangfu_year::evaluation::CaseFigures;
use bangfu_year::records::{CaseEventRecord, HouseholdRecord};
use chrono::Days;

use crate::{Dataset, GenerateError, GeneratorConfig, Rng, day_between, infeasible};

/// The budget of a generated year (`[budget]`), written as `budget.toml`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetConfig {
    /// The budget lines by source, in yuan.
    pub lines: BTreeMap<FundSource, Money>,
    /// The carry-over approvals: each approves its source's balance at the close (the amount
    /// is computed from the records).
    #[serde(default)]
    pub approvals: Vec<ApprovalConfig>,
    /// The sources whose positive balance is left without an approval (未经批复结转, a
    /// finding): checked to be exactly the sources without one.
    #[serde(default)]
    pub unapproved: Vec<FundSource>,
}

/// A carry-over approval (结转批复) of one source's balance.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalConfig {
    /// The source.
    pub source: FundSource,
    /// The approval's reference.
    pub reference: String,
    /// Its date.
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// A note.
    #[serde(default)]
    pub note: Option<String>,
}

/// An exit (脱困) or a cancellation (注销) of the year, on a household with no payment on or
/// after its effective date; `late` ones are recorded beyond the policy's sync window.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(tag = "event", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClosureConfig {
    /// An exit.
    Exit {
        /// Why.
        reason: ExitReason,
        /// Recorded beyond the sync window.
        late: bool,
        /// A note (required for `other`).
        #[serde(default)]
        note: Option<String>,
    },
    /// A cancellation.
    Cancel {
        /// Why.
        reason: CancelReason,
        /// Recorded beyond the sync window.
        late: bool,
        /// A note (required for `other`).
        #[serde(default)]
        note: Option<String>,
    },
}

impl ClosureConfig {
    fn late(&self) -> bool {
        match self {
            ClosureConfig::Exit { late, .. } | ClosureConfig::Cancel { late, .. } => *late,
        }
    }
}

/// The withdrawal (退档) of a household paid in the year, and the recovery of its last
/// payment (a recovery income that reverses the payment).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawalConfig {
    /// Why.
    pub reason: WithdrawReason,
    /// The note.
    pub note: String,
    /// The recovery comes this many days after the withdrawal (first, last).
    pub recovery_after_days: (u64, u64),
}

/// Payments entered in the system late (录入不及时).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LateEntryConfig {
    /// How many.
    pub count: u32,
    /// Entered this many days after the payment (first, last): beyond the entry window.
    pub days: (u64, u64),
}

/// The one payment above the standard (超标准发放): a regular living payment without a claim,
/// from `source`, to a household that is not severe, raised to `amount`.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverStandardConfig {
    /// The source of the payment.
    pub source: FundSource,
    /// The amount paid.
    pub amount: Money,
}

/// What happens during the year (`[events]`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventsConfig {
    /// First and last effective date of the exits, cancellations and the withdrawal.
    pub effective: (NaiveDate, NaiveDate),
    /// The exits and cancellations, in `case-events.jsonl`.
    pub closures: Vec<ClosureConfig>,
    /// The withdrawal with a recovery.
    pub withdrawal: WithdrawalConfig,
    /// The payments entered late.
    pub late_entries: LateEntryConfig,
    /// The payment above the standard.
    pub over_standard: OverStandardConfig,
}

/// The facts the planting needs about the base records.
struct Base<'a> {
    /// The households' records by id (the active ones, not the withdrawn of the base).
    records: BTreeMap<&'a HouseholdId, &'a HouseholdRecord>,
    /// The date of each household's last payment.
    last_paid: BTreeMap<HouseholdId, NaiveDate>,
    /// Households already given a planted event, or visited.
    used: BTreeSet<HouseholdId>,
}

impl<'a> Base<'a> {
    fn of(data: &'a Dataset) -> Base<'a> {
        let mut last_paid: BTreeMap<HouseholdId, NaiveDate> = BTreeMap::new();
        for p in &data.postings {
            if let Posting::Disbursement(d) = p {
                let last = last_paid.entry(d.household.clone()).or_insert(d.date);
                *last = (*last).max(d.date);
            }
        }
        Base {
            records: data
                .households
                .iter()
                .filter(|r| r.withdrawal.is_none())
                .map(|r| (r.id(), r))
                .collect(),
            last_paid,
            used: data.survey.iter().map(|v| v.household.clone()).collect(),
        }
    }

    /// A household not used, paid last before `before`, drawn at random; marked used.
    fn draw(&mut self, rng: &mut Rng, before: NaiveDate) -> Result<HouseholdId, GenerateError> {
        let free: Vec<&HouseholdId> = self
            .last_paid
            .iter()
            .filter(|(h, last)| {
                **last < before && !self.used.contains(*h) && self.records.contains_key(h)
            })
            .map(|(h, _)| h)
            .collect();
        let pick = free
            .get(rng.below(free.len() as u64) as usize)
            .map(|h| (*h).clone())
            .ok_or_else(|| infeasible(format!("no household paid last before {before}")))?;
        self.used.insert(pick.clone());
        Ok(pick)
    }

    fn record(&self, h: &HouseholdId) -> Result<&'a HouseholdRecord, GenerateError> {
        self.records
            .get(h)
            .copied()
            .ok_or_else(|| infeasible(format!("household {h} not filed")))
    }

    /// An effective date after the household's last payment, inside the configured range.
    fn effective(
        &self,
        rng: &mut Rng,
        h: &HouseholdId,
        range: (NaiveDate, NaiveDate),
    ) -> NaiveDate {
        let after = self
            .last_paid
            .get(h)
            .and_then(|d| d.checked_add_days(Days::new(1)))
            .unwrap_or(range.0);
        day_between(rng, after.max(range.0), range.1)
    }
}

/// What was planted, to be found again by the year path.
struct Planted {
    over_standard: PostingId,
    late_entries: u64,
    closures: u64,
    closures_on_time: u64,
}

/// Plants the events of `events` on `data`, writes the budget, and checks the year.
pub(crate) fn plant(
    data: &mut Dataset,
    config: &GeneratorConfig,
    events: &EventsConfig,
    budget: &BudgetConfig,
    policy: &Policy,
) -> Result<(), GenerateError> {
    // A stream of its own: the base records are what they are without events.
    let mut rng = Rng(bangfu_core::SplitMix64::new(config.seed ^ 0x6576_656e_7473));
    let snapshot = data.clone();
    let mut base = Base::of(&snapshot);
    let over_standard = over_standard(data, config, events, &mut base, &mut rng)?;
    let reversed = withdrawal(data, config, events, &mut base, &mut rng)?;
    let late_entries = late_entries(data, events, &[&over_standard, &reversed], &mut rng)?;
    let calendar = WorkingCalendar::china()?;
    for closure in &events.closures {
        let h = base.draw(&mut rng, events.effective.1)?;
        let effective = base.effective(&mut rng, &h, events.effective);
        let record = base.record(&h)?;
        let window = policy
            .eligibility
            .sync_window_working_days
            .at("eligibility.sync_window_working_days", effective)?
            .value;
        let days = if closure.late() {
            window + 3 + rng.below(u64::from(window)) as u32
        } else {
            1 + rng.below(u64::from(window / 2)) as u32
        };
        let date = calendar.add_working_days(effective, days)?;
        let by = record.actors()?.industrial;
        let change = match closure.clone() {
            ClosureConfig::Exit { reason, note, .. } => CaseEvent::Exit {
                by,
                date,
                effective,
                reason,
                note,
            },
            ClosureConfig::Cancel { reason, note, .. } => CaseEvent::Cancel {
                by,
                date,
                effective,
                reason,
                note,
            },
        };
        data.case_events.push(CaseEventRecord {
            case: record.case.clone(),
            change,
        });
    }
    data.case_events.sort_by_key(CaseEventRecord::date);
    let planted = Planted {
        over_standard,
        late_entries,
        closures: events.closures.len() as u64,
        closures_on_time: events.closures.iter().filter(|c| !c.late()).count() as u64,
    };
    data.budget = Some(check_year(data, config, budget, policy, &planted)?);
    Ok(())
}

/// Raises one regular living payment of a household that is not severe above the per-time
/// maximum, keeping its year's living aid inside the bands' yearly cap.
fn over_standard(
    data: &mut Dataset,
    config: &GeneratorConfig,
    events: &EventsConfig,
    base: &mut Base<'_>,
    rng: &mut Rng,
) -> Result<PostingId, GenerateError> {
    let o = &events.over_standard;
    let mut living: BTreeMap<&HouseholdId, i64> = BTreeMap::new();
    for p in &data.postings {
        if let Posting::Disbursement(d) = p
            && d.category == AidCategory::Living
        {
            *living.entry(&d.household).or_insert(0) += d.amount.fen();
        }
    }
    let fits = |d: &Disbursement| -> bool {
        let Some(r) = base.records.get(&d.household) else {
            return false;
        };
        let cap = config.bands.living_yearly_per_member.fen() * i64::from(r.household.size());
        let year = living.get(&d.household).copied().unwrap_or(0);
        d.source == o.source
            && d.category == AidCategory::Living
            && d.kind == AidKind::Regular
            && d.claim.is_none()
            && d.amount < o.amount
            && !r.severe()
            && !base.used.contains(&d.household)
            && year - d.amount.fen() + o.amount.fen() <= cap
    };
    let candidates: Vec<usize> = (0..data.postings.len())
        .filter(|&i| matches!(data.postings.get(i), Some(Posting::Disbursement(d)) if fits(d)))
        .collect();
    let pick = candidates
        .get(rng.below(candidates.len() as u64) as usize)
        .copied();
    match pick.and_then(|i| data.postings.get_mut(i)) {
        Some(Posting::Disbursement(d)) => {
            d.amount = o.amount;
            base.used.insert(d.household.clone());
            Ok(d.id.clone())
        }
        _ => Err(infeasible(format!(
            "no regular living payment of {} to raise to {}",
            o.source, o.amount
        ))),
    }
}

/// Withdraws a household after its last payment and recovers that payment: the withdrawal
/// and the recovery's collection as case events, the recovery as an income reversing it.
/// Returns the payment recovered.
fn withdrawal(
    data: &mut Dataset,
    config: &GeneratorConfig,
    events: &EventsConfig,
    base: &mut Base<'_>,
    rng: &mut Rng,
) -> Result<PostingId, GenerateError> {
    let w = &events.withdrawal;
    let h = base.draw(rng, events.effective.1)?;
    let payment = data
        .postings
        .iter()
        .rev()
        .find_map(|p| match p {
            Posting::Disbursement(d) if d.household == h => Some(d.clone()),
            _ => None,
        })
        .ok_or_else(|| infeasible(format!("household {h} was not paid")))?;
    let effective = base.effective(rng, &h, events.effective);
    let record = base.record(&h)?;
    let by = record.actors()?.aid_center;
    data.case_events.push(CaseEventRecord {
        case: record.case.clone(),
        change: CaseEvent::Withdraw {
            by,
            date: effective,
            effective,
            reason: w.reason,
            note: Some(w.note.clone()),
            paid: payment.amount,
        },
    });
    let after = w.recovery_after_days;
    let days = after.0 + rng.below(after.1.saturating_sub(after.0) + 1);
    let date = effective
        .checked_add_days(Days::new(days))
        .filter(|d| config.year.period().contains(*d))
        .ok_or_else(|| infeasible("the recovery falls after the year"))?;
    let mut income = Income::new(
        PostingId::new(format!("{}-R-001", config.id_prefix))?,
        date,
        payment.source,
        IncomeKind::Recovery,
        payment.amount,
    );
    income.household = Some(h.clone());
    income.reverses = Some(payment.id.clone());
    income.note = Some(format!("退档追缴（{}）", w.note));
    let at = data
        .postings
        .iter()
        .position(|p| p.date() > date)
        .unwrap_or(data.postings.len());
    data.postings.insert(at, income.into());
    data.case_events.push(CaseEventRecord {
        case: record.case.clone(),
        change: CaseEvent::RecoveryCollected {
            by: Actor::new(PersonId::new("aid-center-finance")?, Role::Finance),
            date,
        },
    });
    Ok(payment.id)
}

/// Enters `count` payments (not those of `except`) late.
fn late_entries(
    data: &mut Dataset,
    events: &EventsConfig,
    except: &[&PostingId],
    rng: &mut Rng,
) -> Result<u64, GenerateError> {
    let l = &events.late_entries;
    let mut candidates: Vec<usize> = (0..data.postings.len())
        .filter(|&i| {
            matches!(data.postings.get(i),
                Some(Posting::Disbursement(d)) if !except.contains(&&d.id) && d.date < events.effective.1)
        })
        .collect();
    for _ in 0..l.count {
        if candidates.is_empty() {
            return Err(infeasible("too few payments to enter late"));
        }
        let i = candidates.swap_remove(rng.below(candidates.len() as u64) as usize);
        if let Some(Posting::Disbursement(d)) = data.postings.get_mut(i) {
            let days = l.days.0 + rng.below(l.days.1.saturating_sub(l.days.0) + 1);
            d.entered = d.date.checked_add_days(Days::new(days));
        }
    }
    Ok(u64::from(l.count))
}

fn lined<T: Clone>(records: &[T]) -> Vec<Lined<T>> {
    records
        .iter()
        .enumerate()
        .map(|(i, r)| Lined {
            line: i + 1,
            record: r.clone(),
        })
        .collect()
}

/// Puts the year through the one path and checks that it finds exactly what was planted;
/// returns the budget with the approvals of the configured sources' balances.
fn check_year(
    data: &Dataset,
    config: &GeneratorConfig,
    budget: &BudgetConfig,
    policy: &Policy,
    planted: &Planted,
) -> Result<Budget, GenerateError> {
    let dir = YearDir {
        policy: policy.clone(),
        budget: Budget::new(config.year, budget.lines.clone())
            .map_err(|e| infeasible(format!("budget: {e}")))?,
        households: lined(&data.households),
        applicants: lined(&data.applicants),
        case_events: lined(&data.case_events),
        claims: lined(&data.claims),
        ledger: lined(&data.postings),
        payments: Vec::new(),
        survey: lined(&data.survey),
        stated: None,
        judgements: None,
        report: None,
        units: None,
    };
    let year = dir
        .build()
        .map_err(|problems| {
            let first = problems
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            infeasible(format!(
                "the year path refuses {} records, the first: {first}",
                problems.len()
            ))
        })?
        .year;
    let pay = year.payments();
    let found: Vec<(&str, &str)> = pay
        .defects
        .iter()
        .chain(&pay.not_checked)
        .map(|d| (d.posting.as_str(), d.code.as_str()))
        .collect();
    if found != [(planted.over_standard.as_str(), "year.over_standard")] {
        return Err(infeasible(format!(
            "the year path finds {found:?}, not the one over-standard payment planted"
        )));
    }
    let late = pay
        .payments
        .count
        .saturating_sub(pay.entered_within_window.count);
    let cases = CaseFigures::from_registry(
        year.registry(),
        &policy.eligibility,
        year.calendar(),
        config.year.period(),
    )
    .map_err(|e| infeasible(format!("case figures: {e}")))?;
    let closures = (
        cases.exits_and_cancellations.count,
        cases.exits_and_cancellations_on_time.count,
    );
    // Nothing else the case files could show: no flagged file, no notice cut short.
    let files = (
        cases.files_with_quality_flags.count,
        cases
            .notices
            .count
            .saturating_sub(cases.notices_respected.count),
    );
    if late != planted.late_entries
        || closures != (planted.closures, planted.closures_on_time)
        || files != (0, 0)
    {
        return Err(infeasible(format!(
            "the year path finds {late} late entries, (due, on time) {closures:?}, \
             (flagged files, short notices) {files:?}"
        )));
    }
    approve(&year, config, budget)
}

/// The budget with an approval of each configured source's balance, checked against the
/// close: the sources left without one are exactly the configured `unapproved`.
fn approve(
    year: &bangfu_year::ProgrammeYear,
    config: &GeneratorConfig,
    budget: &BudgetConfig,
) -> Result<Budget, GenerateError> {
    let open = year
        .ledger()
        .close(&[])
        .map_err(|e| infeasible(format!("close: {e}")))?;
    let mut out = Budget::new(config.year, budget.lines.clone())
        .map_err(|e| infeasible(format!("budget: {e}")))?;
    for a in &budget.approvals {
        let balance = open.source(a.source).map_or(Money::ZERO, |s| s.balance);
        out.carryover_approvals.push(CarryoverApproval {
            source: a.source,
            amount: balance,
            reference: a.reference.clone(),
            date: a.date,
            note: a.note.clone(),
        });
    }
    let close = year
        .ledger()
        .close(&out.carryover_approvals)
        .map_err(|e| infeasible(format!("close with the approvals: {e}")))?;
    let unapproved: BTreeSet<FundSource> = close.unapproved().map(|s| s.source).collect();
    if unapproved != budget.unapproved.iter().copied().collect() {
        return Err(infeasible(format!(
            "the close leaves {unapproved:?} without an approval"
        )));
    }
    Ok(out)
}

/// A TOML basic string.
fn quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `budget.toml` of a generated year.
pub(crate) fn budget_toml(budget: &Budget) -> String {
    let mut out = String::from(
        "# The budget of a generated example year, written by bangfu-datagen from the [budget]\n\
         # section of generator.toml: do not edit, regenerate (docs/data.md). Amounts in yuan.\n\
         # Each approval's amount is its source's balance at the close, computed from the\n\
         # records; a source with a balance and no approval is carried over unapproved.\n",
    );
    out.push_str(&format!("year = {}\n\n[lines]\n", budget.year.number()));
    for (source, amount) in &budget.lines {
        out.push_str(&format!("{} = \"{amount}\"\n", source.code()));
    }
    for a in &budget.carryover_approvals {
        out.push_str(&format!(
            "\n[[carryover_approvals]]\nsource = \"{}\"\namount = \"{}\"\nreference = {}\ndate = \"{}\"\n",
            a.source.code(),
            a.amount,
            quoted(&a.reference),
            a.date
        ));
        if let Some(note) = &a.note {
            out.push_str(&format!("note = {}\n", quoted(note)));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn budget_toml_reads_back() {
        let mut b = Budget::new(
            bangfu_core::Year::new(2019).unwrap(),
            [(
                FundSource::CentralFiscal,
                Money::from_yuan(480_000).unwrap(),
            )],
        )
        .unwrap();
        b.carryover_approvals.push(CarryoverApproval {
            source: FundSource::CentralFiscal,
            amount: Money::from_yuan(12).unwrap(),
            reference: "桂工复〔2020〕3号 \"结转\" \\ a".to_owned(),
            date: NaiveDate::from_ymd_opt(2020, 1, 20).unwrap(),
            note: Some("line\nbreak".to_owned()),
        });
        let text = budget_toml(&b);
        assert_eq!(bangfu_year::input::parse_budget_toml(&text).unwrap(), b);
    }
}
