//! The oversight records of a generated year (`[oversight]` of generator.toml): the
//! collective decision on the allocation plan (`allocation.toml`), the payment checks with
//! some planted failures (`payment-checks.jsonl`) and the self-inspection items with their
//! fixes (`self-inspection.jsonl`). The year is then put through the one path and must find
//! exactly the planted check failures.

use std::collections::{BTreeMap, BTreeSet};

use bangfu_core::{HouseholdId, Money, NaiveDate};
use bangfu_funding::Budget;
use bangfu_year::Policy;
use bangfu_year::dir::{OversightFiles, YearDir};
use bangfu_year::oversight::{
    AllocationFile, CallOutcome, Callback, CardOnFile, CheckRecord, InspectionFix, InspectionItem,
    InspectionRecord, ItemId, MaskedCard, Meeting, Notice, NoticeResult, PaymentCheck, SampleDraw,
};

use crate::events::{lined, quoted};
use crate::{Dataset, GenerateError, GeneratorConfig, Rng, infeasible};

/// The decision on the allocation plan: the counting date and the meeting (the approved
/// total is the plan's, computed by the year path).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationConfig {
    /// The day the files are counted.
    pub basis: NaiveDate,
    /// The meeting.
    pub meeting: Meeting,
}

/// The payment checks and how many of each failure to plant (each on its own payment).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecksConfig {
    /// The first six digits of the generated cards (the issuing bank's).
    pub card_prefix: String,
    /// Payments credited to another card than the file's.
    pub card_mismatch: u32,
    /// Payments credited less than paid.
    pub not_in_full: u32,
    /// Payments without an SMS notice.
    pub no_notice: u32,
    /// SMS notices not delivered.
    pub notice_failed: u32,
    /// The sample's day, who drew it and its seed.
    pub sample: SampleDraw,
    /// The days the calls are made between.
    pub call_dates: (NaiveDate, NaiveDate),
    /// Who calls.
    pub callers: Vec<String>,
    /// Sampled payments never called.
    pub callback_missing: u32,
    /// The outcomes of the sampled calls that fail, one payment each.
    pub callback_failed: Vec<CallOutcome>,
}

/// A fix of a self-inspection item, as configured.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixConfig {
    /// The day.
    pub date: NaiveDate,
    /// Who.
    pub by: String,
    /// What was done.
    pub action: String,
    /// Whether it closes the item.
    pub closes: bool,
}

/// A self-inspection item, as configured; `refers` names a planted check failure whose
/// payments become the item's records (`card_mismatch`, `not_in_full`, `no_notice`,
/// `notice_failed`, `callback_failed`).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemConfig {
    /// The item's id.
    pub id: ItemId,
    /// The day found.
    pub date: NaiveDate,
    /// What is wrong.
    pub problem: String,
    /// The planted failure it concerns, if any.
    #[serde(default)]
    pub refers: Option<String>,
    /// Who must fix it.
    pub owner: String,
    /// By when.
    pub due: NaiveDate,
    /// Its fixes.
    #[serde(default)]
    pub fixes: Vec<FixConfig>,
}

/// `[oversight]` of generator.toml.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OversightConfig {
    /// The allocation plan's decision.
    pub allocation: AllocationConfig,
    /// The payment checks.
    pub checks: ChecksConfig,
    /// The self-inspection items, in file order.
    #[serde(default)]
    pub inspection: Vec<ItemConfig>,
}

/// The year of `data` with the oversight files given, built through the one path.
pub(crate) fn build(
    data: &Dataset,
    policy: &Policy,
    budget: &Budget,
    oversight: OversightFiles,
) -> Result<bangfu_year::ProgrammeYear, GenerateError> {
    let dir = YearDir {
        policy: policy.clone(),
        budget: budget.clone(),
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
        oversight,
        temporary: Vec::new(),
    };
    Ok(dir
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
        .year)
}

fn card(prefix: &str, rng: &mut Rng) -> Result<MaskedCard, GenerateError> {
    let tail = 1000 + rng.below(9000);
    MaskedCard::new(&format!("{prefix}******{tail}"))
        .map_err(|e| infeasible(format!("card_prefix {prefix:?}: {e}")))
}

/// `n` distinct positions of `0..len` not in `taken`, drawn by `rng`.
fn draw(
    rng: &mut Rng,
    len: usize,
    n: u32,
    taken: &mut BTreeSet<usize>,
    what: &str,
) -> Result<Vec<usize>, GenerateError> {
    let mut out = Vec::new();
    if (n as usize).saturating_add(taken.len()) > len {
        return Err(infeasible(format!("{n} {what}: not enough payments")));
    }
    while out.len() < n as usize {
        let i = rng.below(len as u64) as usize;
        if taken.insert(i) {
            out.push(i);
        }
    }
    out.sort_unstable();
    Ok(out)
}

/// A card on each household's file (from its application), then the bank's return of each
/// standing payment of `year` with its SMS notice, the configured failures planted each on its
/// own payment and noted in `planted`.
fn bank_returns(
    data: &Dataset,
    year: &bangfu_year::ProgrammeYear,
    c: &ChecksConfig,
    rng: &mut Rng,
    planted: &mut BTreeMap<&'static str, Vec<String>>,
) -> Result<Vec<CheckRecord>, GenerateError> {
    // A card on each household's file, from its application.
    let mut cards: BTreeMap<HouseholdId, MaskedCard> = BTreeMap::new();
    let mut records = Vec::new();
    for h in &data.households {
        let number = card(&c.card_prefix, rng)?;
        cards.insert(h.id().clone(), number.clone());
        records.push(CheckRecord::Card(CardOnFile {
            household: h.id().clone(),
            card: number,
            from: h.applied,
        }));
    }
    let mut payments: Vec<&bangfu_funding::Disbursement> =
        bangfu_funding::standing_payments(year.ledger().postings()).collect();
    payments.sort_by(|x, y| (x.date, &x.id).cmp(&(y.date, &y.id)));
    let mut taken = BTreeSet::new();
    let n = payments.len();
    let mismatch = draw(rng, n, c.card_mismatch, &mut taken, "card mismatches")?;
    let short = draw(rng, n, c.not_in_full, &mut taken, "payments not in full")?;
    let silent = draw(rng, n, c.no_notice, &mut taken, "payments without notice")?;
    let failed = draw(rng, n, c.notice_failed, &mut taken, "failed notices")?;
    for (i, d) in payments.iter().enumerate() {
        let on_file = cards
            .get(&d.household)
            .cloned()
            .ok_or_else(|| infeasible(format!("no card for {}", d.household)))?;
        let mut check = PaymentCheck {
            payment: d.id.clone(),
            card: on_file,
            credited: d.amount,
            notice: Some(Notice {
                date: d.date,
                result: NoticeResult::Delivered,
            }),
        };
        let id = d.id.to_string();
        if mismatch.contains(&i) {
            check.card = card(&c.card_prefix, rng)?;
            if Some(&check.card) == cards.get(&d.household) {
                return Err(infeasible("a planted card equals the file's"));
            }
            planted.entry("check.card_mismatch").or_default().push(id);
        } else if short.contains(&i) {
            let less = Money::from_yuan(rng.between(50, 200))?;
            check.credited = d.amount.saturating_sub(less);
            planted.entry("check.not_in_full").or_default().push(id);
        } else if silent.contains(&i) {
            check.notice = None;
            planted.entry("check.no_notice").or_default().push(id);
        } else if failed.contains(&i) {
            check.notice = Some(Notice {
                date: d.date,
                result: NoticeResult::Failed,
            });
            planted.entry("check.notice_failed").or_default().push(id);
        }
        records.push(CheckRecord::Payment(check));
    }
    Ok(records)
}

/// The calls of the sample: each sampled payment called once and confirmed, but the
/// configured ones not called and those whose call fails, noted in `planted`.
fn calls(
    sample: &[bangfu_funding::PostingId],
    c: &ChecksConfig,
    rng: &mut Rng,
    planted: &mut BTreeMap<&'static str, Vec<String>>,
) -> Result<Vec<Callback>, GenerateError> {
    let mut none = BTreeSet::new();
    let missing = draw(
        rng,
        sample.len(),
        c.callback_missing,
        &mut none,
        "sampled payments not called",
    )?;
    let bad = draw(
        rng,
        sample.len(),
        c.callback_failed.len() as u32,
        &mut none,
        "failed call-backs",
    )?;
    let mut outcomes = c.callback_failed.iter();
    let mut calls = Vec::new();
    for (i, id) in sample.iter().enumerate() {
        if missing.contains(&i) {
            planted
                .entry("check.callback_missing")
                .or_default()
                .push(id.to_string());
            continue;
        }
        let outcome = if bad.contains(&i) {
            let o = outcomes.next().copied().unwrap_or(CallOutcome::Unreachable);
            planted
                .entry("check.callback_failed")
                .or_default()
                .push(format!("{id} ({})", o.code()));
            o
        } else {
            CallOutcome::Confirmed
        };
        let span = (c.call_dates.1 - c.call_dates.0).num_days().max(0);
        let date = c.call_dates.0 + chrono::Days::new(rng.below(span as u64 + 1));
        let by = c
            .callers
            .get(rng.below(c.callers.len() as u64) as usize)
            .cloned()
            .ok_or_else(|| infeasible("[oversight.checks] callers is empty"))?;
        calls.push(Callback {
            payment: id.clone(),
            date,
            by,
            outcome,
            note: None,
        });
    }
    calls.sort_by(|x, y| (x.date, &x.payment).cmp(&(y.date, &y.payment)));
    Ok(calls)
}

/// Plants the oversight records on `data` and checks that the year path finds exactly the
/// planted check failures.
pub(crate) fn plant(
    data: &mut Dataset,
    config: &GeneratorConfig,
    oversight: &OversightConfig,
    policy: &Policy,
) -> Result<(), GenerateError> {
    let budget = data
        .budget
        .clone()
        .ok_or_else(|| infeasible("[oversight] needs [events] and [budget]"))?;
    // A stream of its own: the other records are what they are without oversight.
    let mut rng = Rng(bangfu_core::SplitMix64::new(
        config.seed ^ 0x6f76_6572_7369_6768,
    ));
    let year = build(data, policy, &budget, OversightFiles::default())?;
    let a = &oversight.allocation;
    let plan = year
        .allocation_plan(a.basis)
        .map_err(|e| infeasible(format!("the allocation plan: {e}")))?;
    let allocation = AllocationFile {
        basis: a.basis,
        total: plan
            .total()
            .map_err(|e| infeasible(format!("the plan's total: {e}")))?,
        meeting: a.meeting.clone(),
    };
    let c = &oversight.checks;
    let mut planted: BTreeMap<&'static str, Vec<String>> = BTreeMap::new();
    let mut records = bank_returns(data, &year, c, &mut rng, &mut planted)?;
    records.push(CheckRecord::Sample(c.sample.clone()));
    let with_sample = build(
        data,
        policy,
        &budget,
        OversightFiles {
            allocation: None,
            checks: lined(&records),
            inspection: Vec::new(),
        },
    )?;
    let sample = with_sample
        .callback_sample()
        .map_err(|e| infeasible(format!("the call-back sample: {e}")))?
        .unwrap_or_default();
    let calls = calls(&sample, c, &mut rng, &mut planted)?;
    records.extend(calls.into_iter().map(CheckRecord::Callback));
    let inspection = inspection(&oversight.inspection, &planted);
    let files = OversightFiles {
        allocation: Some(allocation.clone()),
        checks: lined(&records),
        inspection: lined(&inspection),
    };
    let full = build(data, policy, &budget, files)?;
    let report = full
        .oversight_report(c.sample.date)
        .map_err(|e| infeasible(format!("the oversight report: {e}")))?;
    let found: BTreeMap<&str, Vec<String>> = report
        .issues
        .iter()
        .filter(|i| i.code.starts_with("check."))
        .map(|i| (i.code.as_str(), i.records.clone()))
        .collect();
    let mut planted_sorted: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for (k, mut v) in planted {
        v.sort();
        planted_sorted.insert(k, v);
    }
    let mut found_sorted = BTreeMap::new();
    for (k, mut v) in found {
        v.sort();
        found_sorted.insert(k, v);
    }
    if found_sorted != planted_sorted {
        return Err(infeasible(format!(
            "the year path finds the check failures {found_sorted:?}, not those planted {planted_sorted:?}"
        )));
    }
    data.allocation = Some(allocation);
    data.checks = records;
    data.inspection = inspection;
    Ok(())
}

/// The self-inspection records: each item, then its fixes, in the configured order.
fn inspection(
    items: &[ItemConfig],
    planted: &BTreeMap<&'static str, Vec<String>>,
) -> Vec<InspectionRecord> {
    let mut out = Vec::new();
    for i in items {
        let records = i
            .refers
            .as_ref()
            .and_then(|r| planted.get(format!("check.{r}").as_str()))
            .cloned()
            .unwrap_or_default();
        out.push(InspectionRecord::Item(InspectionItem {
            id: i.id.clone(),
            date: i.date,
            problem: i.problem.clone(),
            records,
            owner: i.owner.clone(),
            due: i.due,
        }));
        for f in &i.fixes {
            out.push(InspectionRecord::Fix(InspectionFix {
                item: i.id.clone(),
                date: f.date,
                by: f.by.clone(),
                action: f.action.clone(),
                closes: f.closes,
            }));
        }
    }
    out
}

/// `allocation.toml` of a generated year.
pub(crate) fn allocation_toml(a: &AllocationFile) -> String {
    let m = &a.meeting;
    let present: Vec<String> = m.present.iter().map(|p| quoted(p)).collect();
    format!(
        "# The collective decision on the allocation plan of a generated example year, written\n\
         # by bangfu-datagen from [oversight.allocation] of generator.toml: do not edit,\n\
         # regenerate (docs/data.md). The plan is what the policy's [allocation] rules give on\n\
         # the counting date; `total` is its total, computed by the year path.\n\
         basis = \"{}\"\ntotal = \"{}\"\n\n[meeting]\nkind = \"{}\"\ndate = \"{}\"\nchair = {}\npresent = [{}]\nresolution = {}\nminutes = {}\n",
        a.basis,
        a.total,
        m.kind.code(),
        m.date,
        quoted(&m.chair),
        present.join(", "),
        quoted(&m.resolution),
        quoted(&m.minutes)
    )
}
