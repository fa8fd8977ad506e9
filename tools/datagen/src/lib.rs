//! The deterministic generator of bangfu's embedded example years (a tool: `publish = false`,
//! as ICU4X keeps its datagen apart from its data). Its output is committed in `bangfu-data`.
//!
//! It splits the seed's figures (per source and category: amount and person-times; per
//! income kind: amount) into individual records: 966 households and 8,236 payments whose sums
//! equal the seed to the fen, every payment inside the bands of its configuration, every
//! household paid at least twice, fiscal money only to national-tier files. It then posts
//! every record to a [`Ledger`] under the policy, so a record set the policy would refuse is
//! never produced. The same configuration always gives the same bytes.

use std::collections::BTreeMap;

use bangfu_aid::{Calculator, ClaimId, Explain, MedicalClaim, PaymentOrder, YearToDate};
use bangfu_core::{
    AidCategory, AidKind, ArchiveStatus, ArchiveTier, CaseId, Coded, CoreError, HouseholdId, Money,
    NaiveDate, PaymentChannel, SchoolStage, UnitId, Year,
};
use bangfu_eligibility::{
    HardshipCategory, Household, SchoolFee, Schooling, VehicleKind, WithdrawReason,
};
use bangfu_funding::{
    Budget, Disbursement, FundSource, FundingError, Income, IncomeKind, Ledger, Posting, PostingId,
};
use chrono::Days;

use bangfu_year::Policy;
use bangfu_year::records::{
    ApplicantRecord, CaseEventRecord, ClaimDetail, ClaimRecord, HouseholdRecord, SurveyRecord,
    Withdrawal,
};

use crate::people::Plan;

mod events;
pub mod national;
mod oversight;
mod people;
pub mod tile;

pub use events::{
    ApprovalConfig, BudgetConfig, ClosureConfig, EventsConfig, LateEntryConfig, OverStandardConfig,
    WithdrawalConfig,
};
pub use oversight::{AllocationConfig, ChecksConfig, FixConfig, ItemConfig, OversightConfig};

/// The generator's random numbers: [`SplitMix64`](bangfu_core::SplitMix64) from the
/// configuration's seed, so that the records depend on nothing but the configuration.
#[derive(Debug, Clone)]
pub(crate) struct Rng(bangfu_core::SplitMix64);

impl Rng {
    /// A number in `0..n` (`0` when `n == 0`).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.0.below(n)
    }

    pub(crate) fn between(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            lo
        } else {
            lo + self.below((hi - lo + 1) as u64) as i64
        }
    }

    pub(crate) fn percent(&mut self, p: u32) -> bool {
        self.below(100) < u64::from(p)
    }
}

fn de_wan<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Money, D::Error> {
    let s = <String as serde::Deserialize>::deserialize(d)?;
    Money::parse_wan(&s).map_err(serde::de::Error::custom)
}

/// A filing unit of the generated households.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitConfig {
    /// The unit's id.
    pub id: UnitId,
    /// Its Chinese name.
    pub name_zh: String,
    /// The prefix of its household ids.
    pub prefix: String,
    /// How many households it files.
    pub households: u32,
    /// How many of them are provincial-tier files (the last ones).
    pub provincial_tier: u32,
}

/// How households are drawn.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdConfig {
    /// `(size, weight)` pairs.
    pub sizes: Vec<(u32, u32)>,
    /// Percent of households with a severe condition.
    pub severe_percent: u32,
}

/// The bands individual amounts are drawn from.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Bands {
    /// Smallest regular living payment.
    pub living_min: Money,
    /// Largest regular living payment of a household that is not severe.
    pub living_normal_max: Money,
    /// Smallest living payment at the severe level.
    pub living_severe_min: Money,
    /// Largest living payment at the severe level.
    pub living_severe_max: Money,
    /// Percent of regular living payments at the severe level, per source.
    pub severe_class_percent: BTreeMap<FundSource, u32>,
    /// The sending-warmth amounts.
    pub warmth_amounts: Vec<Money>,
    /// Smallest medical payment.
    pub medical_min: Money,
    /// Largest medical payment.
    pub medical_max: Money,
    /// Yearly living aid per household at most this × household size.
    pub living_yearly_per_member: Money,
    /// The school stages education aid is drawn over (their amounts come from the policy).
    pub education_stages: Vec<SchoolStage>,
}

/// How the households' files are drawn.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegistryConfig {
    /// First and last application date of the filed households.
    pub applied: (NaiveDate, NaiveDate),
    /// Percent of the national-tier households that are not severe filed as 低保户.
    pub subsistence_percent: u32,
    /// Percent of the national-tier households that are not severe filed as 意外致困户.
    pub accident_percent: u32,
    /// Per-capita monthly income as a percent of the minimum living standard, per category.
    pub income_percent: BTreeMap<HardshipCategory, (u32, u32)>,
    /// The rejected applicants: one per exclusion id, with its application date.
    pub rejected: Vec<(String, NaiveDate)>,
    /// The withdrawn households' union unit.
    pub withdrawn_unit: UnitId,
    /// The six-digit region code of the synthetic ID numbers (GB 11643).
    #[serde(default = "haikou")]
    pub region: String,
}

/// The home-visit survey (入户走访).
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyConfig {
    /// Households visited per union unit.
    pub visits: BTreeMap<UnitId, u32>,
    /// How many of the visited said they were satisfied.
    pub satisfied: u32,
    /// First and last visit date.
    pub dates: (NaiveDate, NaiveDate),
}

/// A spending target: an amount in 万元 and a number of payments.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CellTarget {
    /// The amount.
    #[serde(deserialize_with = "de_wan")]
    pub amount: Money,
    /// The number of payments.
    pub person_times: u32,
    /// How many of them are sending-warmth payments (living aid only).
    #[serde(default)]
    pub sending_warmth: u32,
}

/// The spending targets of one source.
#[derive(Debug, Clone, Copy, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceTargets {
    /// Living aid.
    pub living: CellTarget,
    /// Medical aid.
    pub medical: CellTarget,
    /// Education aid.
    pub education: CellTarget,
}

/// An income target: an amount in 万元 split over dates by percent shares.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IncomeTarget {
    /// The source.
    pub source: FundSource,
    /// The kind.
    pub kind: IncomeKind,
    /// The amount.
    #[serde(deserialize_with = "de_wan")]
    pub amount: Money,
    /// One record per date.
    #[serde(with = "bangfu_core::iso_date::list")]
    pub dates: Vec<NaiveDate>,
    /// The percent share of each record (they add up to 100).
    pub shares: Vec<u32>,
    /// The records' note.
    pub note: String,
}

/// The recoveries target: one record per withdrawn household.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecoveryTarget {
    /// The source credited.
    pub source: FundSource,
    /// The total in 万元.
    #[serde(deserialize_with = "de_wan")]
    pub amount: Money,
    /// How many households.
    pub households: u32,
    /// Their id prefix.
    pub prefix: String,
    /// Smallest recovery.
    pub min: Money,
    /// Largest recovery.
    pub max: Money,
    /// First date.
    #[serde(with = "bangfu_core::iso_date")]
    pub first: NaiveDate,
    /// Last date.
    #[serde(with = "bangfu_core::iso_date")]
    pub last: NaiveDate,
}

/// The generator's configuration (`data/hainan-2018/generator.toml`).
///
/// # Example
/// ```
/// let config = bangfu_datagen::GeneratorConfig::from_toml(bangfu_data::hainan2018::GENERATOR_TOML)?;
/// assert_eq!(config.units.iter().map(|u| u.households).sum::<u32>(), 966);
/// # Ok::<(), bangfu_year::input::InputError>(())
/// ```
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GeneratorConfig {
    /// The random seed.
    pub seed: u64,
    /// The year.
    pub year: Year,
    /// The filing units.
    pub units: Vec<UnitConfig>,
    /// How households are drawn.
    pub households: HouseholdConfig,
    /// Bands of individual amounts.
    pub bands: Bands,
    /// Spending targets per source.
    pub targets: BTreeMap<FundSource, SourceTargets>,
    /// Income targets.
    pub income: Vec<IncomeTarget>,
    /// Recoveries.
    pub recoveries: RecoveryTarget,
    /// The files.
    pub registry: RegistryConfig,
    /// The home-visit survey.
    pub survey: SurveyConfig,
    /// The prefix of posting and claim ids (`HN2018` gives `HN2018-P-00001`).
    #[serde(default = "hainan_ids")]
    pub id_prefix: String,
    /// The budget, written as `budget.toml` (with `[events]`).
    #[serde(default)]
    pub budget: Option<BudgetConfig>,
    /// What happens during the year, planted on the records.
    #[serde(default)]
    pub events: Option<EventsConfig>,
    /// The allocation plan's decision, the payment checks and the self-inspection (with
    /// `[events]`).
    #[serde(default)]
    pub oversight: Option<OversightConfig>,
}

fn hainan_ids() -> String {
    "HN2018".to_owned()
}

fn haikou() -> String {
    "460100".to_owned()
}

impl GeneratorConfig {
    /// Parses the configuration.
    ///
    /// # Errors
    /// An [`InputError`](bangfu_year::input::InputError) with the line.
    pub fn from_toml(text: &str) -> Result<GeneratorConfig, bangfu_year::input::InputError> {
        bangfu_year::input::parse_toml(text)
    }
}

/// What the generator produces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// The filed households (the 966, then the withdrawn ones).
    pub households: Vec<HouseholdRecord>,
    /// The applicants refused for an exclusion.
    pub applicants: Vec<ApplicantRecord>,
    /// The claims behind the medical and education payments.
    pub claims: Vec<ClaimRecord>,
    /// The home visits.
    pub survey: Vec<SurveyRecord>,
    /// Income and payments in date order.
    pub postings: Vec<Posting>,
    /// The case-file events of the year (exits, cancellations, a withdrawal), in date order.
    pub case_events: Vec<CaseEventRecord>,
    /// The budget with its carry-over approvals, when the configuration has one.
    pub budget: Option<Budget>,
    /// The collective decision on the allocation plan, with `[oversight]`.
    pub allocation: Option<bangfu_year::oversight::AllocationFile>,
    /// The payment checks (cards, bank returns, the sample, calls), with `[oversight]`.
    pub checks: Vec<bangfu_year::oversight::CheckRecord>,
    /// The self-inspection items and fixes, with `[oversight]`.
    pub inspection: Vec<bangfu_year::oversight::InspectionRecord>,
}

impl Dataset {
    /// The households as JSON Lines.
    pub fn households_jsonl(&self) -> String {
        bangfu_year::input::write_jsonl(&self.households)
    }

    /// The refused applicants as JSON Lines.
    pub fn applicants_jsonl(&self) -> String {
        bangfu_year::input::write_jsonl(&self.applicants)
    }

    /// The claims as JSON Lines.
    pub fn claims_jsonl(&self) -> String {
        bangfu_year::input::write_jsonl(&self.claims)
    }

    /// The survey as JSON Lines.
    pub fn survey_jsonl(&self) -> String {
        bangfu_year::input::write_jsonl(&self.survey)
    }

    /// The postings as JSON Lines.
    pub fn ledger_jsonl(&self) -> String {
        bangfu_year::input::write_jsonl(&self.postings)
    }

    /// The case-file events as JSON Lines.
    pub fn case_events_jsonl(&self) -> String {
        bangfu_year::input::write_jsonl(&self.case_events)
    }

    /// The budget as TOML (`budget.toml`), when there is one.
    pub fn budget_toml(&self) -> Option<String> {
        self.budget.as_ref().map(events::budget_toml)
    }

    /// The decision on the allocation plan as TOML (`allocation.toml`), when there is one.
    pub fn allocation_toml(&self) -> Option<String> {
        self.allocation.as_ref().map(oversight::allocation_toml)
    }

    /// The payment checks as JSON Lines (`payment-checks.jsonl`).
    pub fn checks_jsonl(&self) -> String {
        bangfu_year::input::write_jsonl(&self.checks)
    }

    /// The self-inspection as JSON Lines (`self-inspection.jsonl`).
    pub fn inspection_jsonl(&self) -> String {
        bangfu_year::input::write_jsonl(&self.inspection)
    }
}

/// Why generation failed: the configuration cannot be met.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum GenerateError {
    /// A target cannot be split inside its bands, or the payments cannot be placed.
    #[error("cannot generate: {0}")]
    Infeasible(String),
    /// A generated record was refused by the ledger under the policy.
    #[error("generated posting {id} refused: {error}")]
    Refused {
        /// The posting.
        id: String,
        /// Why.
        error: FundingError,
    },
    /// Money arithmetic failed.
    #[error(transparent)]
    Core(#[from] CoreError),
}

impl Coded for GenerateError {
    fn code(&self) -> &'static str {
        match self {
            GenerateError::Infeasible(_) => "generate.infeasible",
            GenerateError::Refused { error, .. } => error.code(),
            GenerateError::Core(e) => e.code(),
        }
    }
}

pub(crate) fn infeasible(what: impl Into<String>) -> GenerateError {
    GenerateError::Infeasible(what.into())
}

/// One payment slot: its band, step and the amount drawn.
#[derive(Debug, Clone, Copy)]
struct Slot {
    lo: i64,
    hi: i64,
    step: i64,
    amount: i64,
}

/// Splits `total` fen over slots, each inside `[lo, hi]` in multiples of its step above `lo`;
/// the fen remainder lands on a slot of step one yuan.
fn split(total: i64, slots: &mut [Slot], rng: &mut Rng, what: &str) -> Result<(), GenerateError> {
    let lo: i64 = slots.iter().map(|s| s.lo).sum();
    let hi: i64 = slots.iter().map(|s| s.hi).sum();
    if total < lo || total > hi {
        return Err(infeasible(format!(
            "{what}: {total} fen outside [{lo}, {hi}]"
        )));
    }
    for s in slots.iter_mut() {
        s.amount = s.lo;
    }
    let mut left = total - lo;
    let fen = left % 100;
    if fen > 0 {
        let n = slots.len() as u64;
        let start = rng.below(n) as usize;
        let fits = (0..slots.len())
            .map(|k| (start + k) % slots.len())
            .find(|&i| {
                slots
                    .get(i)
                    .is_some_and(|s| s.step == 100 && s.hi - s.amount >= 100)
            });
        let slot = fits
            .and_then(|i| slots.get_mut(i))
            .ok_or_else(|| infeasible(format!("{what}: no slot for fen")))?;
        slot.amount += fen;
        slot.hi -= 100 - fen; // keep the slot a whole number of yuan below its band
        left -= fen;
    }
    let n = slots.len() as u64;
    let mut misses = 0u32;
    while left > 0 {
        let i = rng.below(n) as usize;
        let Some(s) = slots.get_mut(i) else { break };
        let room = (s.hi - s.amount).min(left);
        let chunk = (rng.between(1, 40_000).min(room) / s.step) * s.step;
        if chunk > 0 {
            s.amount += chunk;
            left -= chunk;
            misses = 0;
        } else {
            misses += 1;
            if misses > 10_000 {
                // Few slots have room left: fill them in order.
                for s in slots.iter_mut() {
                    let room = ((s.hi - s.amount).min(left) / s.step) * s.step;
                    s.amount += room;
                    left -= room;
                }
                if left > 0 {
                    return Err(infeasible(format!("{what}: {left} fen left over")));
                }
            }
        }
    }
    Ok(())
}

/// The medical aid rate of the policy on `date`.
fn medical_rate(policy: &Policy, date: NaiveDate) -> Result<bangfu_core::Rate, GenerateError> {
    Ok(policy.aid.medical.rate.at("aid.medical.rate", date)?.value)
}

/// The out-of-pocket cost whose aid at `rate` is `aid` fen: `aid ÷ rate`, rounded up to the
/// fen (the calculator then rounds the product back to `aid`; it checks the decision).
fn cost_for(aid: i64, rate: bangfu_core::Rate) -> Result<Money, GenerateError> {
    let cost = bangfu_core::Decimal::from(aid)
        .checked_div(rate.as_decimal())
        .ok_or_else(|| infeasible("a medical rate of 0"))?
        .ceil();
    Ok(Money::from_fen(
        i64::try_from(cost).map_err(|_| infeasible("medical cost overflow"))?,
    )?)
}

fn day_between(rng: &mut Rng, first: NaiveDate, last: NaiveDate) -> NaiveDate {
    let span = (last - first).num_days().max(0);
    first
        .checked_add_days(Days::new(rng.between(0, span) as u64))
        .unwrap_or(first)
}

fn ymd(year: i32, m: u32, d: u32) -> Result<NaiveDate, GenerateError> {
    NaiveDate::from_ymd_opt(year, m, d).ok_or_else(|| infeasible("bad date"))
}

struct House {
    id: HouseholdId,
    unit: UnitId,
    tier: ArchiveTier,
    size: u32,
    severe: bool,
    students: Vec<SchoolStage>,
    payments: u32,
    living: i64,
    medical: bool,
}

struct Draft {
    date: NaiveDate,
    entered: NaiveDate,
    source: FundSource,
    category: AidCategory,
    kind: AidKind,
    household: usize,
    amount: i64,
    /// For education: which of the household's students.
    student: usize,
}

/// Generates the records. With an `[events]` section (and its `[budget]`), then plants what
/// happens during the year (exits, cancellations, a withdrawal with a recovery, late entries,
/// one over-standard payment: [`EventsConfig`]), writes the budget with its carry-over
/// approvals, and puts the whole year through the one path of `bangfu-year` to check that
/// what it finds is exactly what was planted.
///
/// # Errors
/// [`GenerateError`] when a target cannot be met inside the bands, when the policy refuses
/// a generated record, or when the year path finds other than what was planted.
///
/// # Example
/// ```
/// use bangfu_data::hainan2018;
/// let config = bangfu_datagen::GeneratorConfig::from_toml(hainan2018::GENERATOR_TOML)?;
/// let data = bangfu_datagen::generate(&config, &hainan2018::policy()?)?;
/// assert_eq!(data.households.iter().filter(|h| h.withdrawal.is_none()).count(), 966);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn generate(config: &GeneratorConfig, policy: &Policy) -> Result<Dataset, GenerateError> {
    let mut data = base_records(config, policy)?;
    if let Some(events) = &config.events {
        let budget = config
            .budget
            .as_ref()
            .ok_or_else(|| infeasible("[events] need a [budget] section"))?;
        events::plant(&mut data, config, events, budget, policy)?;
    }
    if let Some(o) = &config.oversight {
        oversight::plant(&mut data, config, o, policy)?;
    }
    Ok(data)
}

/// The records of the year as the seed's figures give them: households, payments, income,
/// recoveries, refused applicants and home visits (the whole of the Hainan data).
fn base_records(config: &GeneratorConfig, policy: &Policy) -> Result<Dataset, GenerateError> {
    let mut rng = Rng(bangfu_core::SplitMix64::new(config.seed));
    let year = config.year.number();
    let bands = &config.bands;

    // Households.
    let weight_total: u32 = config.households.sizes.iter().map(|&(_, w)| w).sum();
    let mut houses: Vec<House> = Vec::new();
    for unit in &config.units {
        for i in 1..=unit.households {
            let mut pick = rng.below(u64::from(weight_total)) as u32;
            let mut size = 1;
            for &(s, w) in &config.households.sizes {
                if pick < w {
                    size = s;
                    break;
                }
                pick -= w;
            }
            let tier = if i > unit.households.saturating_sub(unit.provincial_tier) {
                ArchiveTier::Provincial
            } else {
                ArchiveTier::National
            };
            houses.push(House {
                id: HouseholdId::new(format!("{}-{i:04}", unit.prefix))?,
                unit: unit.id.clone(),
                tier,
                size,
                severe: rng.percent(config.households.severe_percent),
                students: Vec::new(),
                payments: 0,
                living: 0,
                medical: false,
            });
        }
    }

    let tier_ok = |source: FundSource, tier: ArchiveTier, date: NaiveDate| -> bool {
        policy
            .funding
            .earmark(source, date)
            .map(|e| e.tiers.contains(&tier))
            .unwrap_or(false)
    };

    let mut drafts: Vec<Draft> = Vec::new();
    let warmth_lo = bands
        .warmth_amounts
        .iter()
        .min()
        .copied()
        .unwrap_or(Money::ZERO)
        .fen();
    let warmth_hi = bands
        .warmth_amounts
        .iter()
        .max()
        .copied()
        .unwrap_or(Money::ZERO)
        .fen();
    let warmth_step = bands
        .warmth_amounts
        .windows(2)
        .filter_map(|w| w.get(1).zip(w.first()).map(|(b, a)| b.fen() - a.fen()))
        .min()
        .unwrap_or(100)
        .max(100);
    let mut warmth_given = vec![false; houses.len()];

    for (&source, targets) in &config.targets {
        // Living: sending warmth and regular payments.
        let t = targets.living;
        let severe_pct = bands
            .severe_class_percent
            .get(&source)
            .copied()
            .unwrap_or(0);
        let mut slots: Vec<(Slot, AidKind, bool)> = Vec::new();
        for _ in 0..t.sending_warmth {
            slots.push((
                Slot {
                    lo: warmth_lo,
                    hi: warmth_hi,
                    step: warmth_step,
                    amount: 0,
                },
                AidKind::SendingWarmth,
                false,
            ));
        }
        for _ in t.sending_warmth..t.person_times {
            let severe = rng.percent(severe_pct);
            let (lo, hi) = if severe {
                (bands.living_severe_min.fen(), bands.living_severe_max.fen())
            } else {
                (bands.living_min.fen(), bands.living_normal_max.fen())
            };
            slots.push((
                Slot {
                    lo,
                    hi,
                    step: 100,
                    amount: 0,
                },
                AidKind::Regular,
                severe,
            ));
        }
        let mut raw: Vec<Slot> = slots.iter().map(|s| s.0).collect();
        split(
            t.amount.fen(),
            &mut raw,
            &mut rng,
            &format!("{source} living"),
        )?;
        for ((_, kind, severe), slot) in slots.iter().zip(&raw) {
            let date = match kind {
                AidKind::SendingWarmth => {
                    day_between(&mut rng, ymd(year, 1, 15)?, ymd(year, 2, 14)?)
                }
                _ => day_between(&mut rng, ymd(year, 3, 1)?, ymd(year, 12, 20)?),
            };
            let household = place(&houses, &mut rng, |h, idx| {
                tier_ok(source, h.tier, date)
                    && (!severe || h.severe)
                    && match kind {
                        AidKind::SendingWarmth => !warmth_given.get(idx).copied().unwrap_or(true),
                        _ => {
                            let cap = bands.living_yearly_per_member.fen() * i64::from(h.size);
                            h.living + slot.amount <= cap
                        }
                    }
            })
            .ok_or_else(|| infeasible(format!("{source}: no household for a living payment")))?;
            if let (AidKind::SendingWarmth, Some(w)) = (kind, warmth_given.get_mut(household)) {
                *w = true;
            }
            if let Some(h) = houses.get_mut(household) {
                h.payments += 1;
                h.living += slot.amount;
            }
            drafts.push(Draft {
                date,
                entered: date,
                source,
                category: AidCategory::Living,
                kind: *kind,
                household,
                amount: slot.amount,
                student: 0,
            });
        }

        // Medical: one payment per household in the year.
        let t = targets.medical;
        let mut raw: Vec<Slot> = (0..t.person_times)
            .map(|_| Slot {
                lo: bands.medical_min.fen(),
                hi: bands.medical_max.fen(),
                step: 100,
                amount: 0,
            })
            .collect();
        split(
            t.amount.fen(),
            &mut raw,
            &mut rng,
            &format!("{source} medical"),
        )?;
        for slot in &raw {
            let date = day_between(&mut rng, ymd(year, 3, 1)?, ymd(year, 11, 30)?);
            let household = place(&houses, &mut rng, |h, _| {
                tier_ok(source, h.tier, date) && !h.medical
            })
            .ok_or_else(|| infeasible(format!("{source}: no household for a medical payment")))?;
            if let Some(h) = houses.get_mut(household) {
                h.payments += 1;
                h.medical = true;
            }
            drafts.push(Draft {
                date,
                entered: date,
                source,
                category: AidCategory::Medical,
                kind: AidKind::Regular,
                household,
                amount: slot.amount,
                student: 0,
            });
        }

        // Education: a mix of school stages whose amounts add up to the target.
        let t = targets.education;
        let on = ymd(year, 9, 1)?;
        let mut amounts: BTreeMap<SchoolStage, Money> = BTreeMap::new();
        for stage in &bands.education_stages {
            let timeline = policy.aid.education.amount.get(stage).ok_or_else(|| {
                infeasible(format!("the policy pays no education aid for {stage}"))
            })?;
            amounts.insert(*stage, timeline.at("aid.education.amount", on)?.value);
        }
        let stages = stage_mix(&amounts, t.amount.fen(), t.person_times).ok_or_else(|| {
            infeasible(format!(
                "{source}: no mix of school stages fits the education target"
            ))
        })?;
        for (stage, amount) in stages {
            let date = day_between(&mut rng, ymd(year, 8, 15)?, ymd(year, 9, 30)?);
            let household = place(&houses, &mut rng, |h, _| {
                tier_ok(source, h.tier, date) && (h.students.len() as u32) + 1 < h.size
            })
            .ok_or_else(|| infeasible(format!("{source}: no household for a student")))?;
            let mut student = 0;
            if let Some(h) = houses.get_mut(household) {
                h.payments += 1;
                student = h.students.len();
                h.students.push(stage);
            }
            drafts.push(Draft {
                date,
                entered: date,
                source,
                category: AidCategory::Education,
                kind: AidKind::Regular,
                household,
                amount,
                student,
            });
        }
    }
    if let Some(h) = houses.iter().find(|h| h.payments < 2) {
        return Err(infeasible(format!(
            "household {} is paid fewer than twice",
            h.id
        )));
    }
    for d in &mut drafts {
        d.entered = d
            .date
            .checked_add_days(Days::new(rng.between(0, 20) as u64))
            .unwrap_or(d.date);
    }

    // The households' files and facts, consistent with the category each is filed in.
    let reg = &config.registry;
    // The policy's one minimum living standard, of its own city (the generated households
    // name none).
    let standard = policy
        .minimum_living_standard
        .at(None, reg.applied.0)?
        .value;
    let mut serial = people::Serials::default();
    let mut records: Vec<HouseholdRecord> = Vec::with_capacity(houses.len());
    for h in &houses {
        let category = if h.tier == ArchiveTier::Provincial {
            HardshipCategory::Local
        } else if h.severe {
            HardshipCategory::NearSubsistence
        } else {
            let r = rng.below(100) as u32;
            if r < reg.accident_percent {
                HardshipCategory::Accident
            } else if r < reg.accident_percent + reg.subsistence_percent {
                HardshipCategory::Subsistence
            } else {
                HardshipCategory::NearSubsistence
            }
        };
        let applied = day_between(&mut rng, reg.applied.0, reg.applied.1);
        let household = draw_household(
            &mut rng,
            reg,
            &mut serial,
            &h.id,
            &h.unit,
            h.size,
            h.severe,
            category,
            &h.students,
            standard,
            applied,
        )?;
        records.push(HouseholdRecord {
            case: CaseId::new(format!("{}/1", h.id))?,
            applied,
            tier: h.tier,
            category,
            household,
            withdrawal: None,
            procedure: Default::default(),
        });
    }

    // Income.
    let mut incomes: Vec<Income> = Vec::new();
    for target in &config.income {
        if target.dates.len() != target.shares.len() || target.shares.iter().sum::<u32>() != 100 {
            return Err(infeasible(format!(
                "{} {}: shares must match dates and add up to 100",
                target.source, target.kind
            )));
        }
        let mut left = target.amount.fen();
        let last = target.dates.len().saturating_sub(1);
        for (i, (&date, &share)) in target.dates.iter().zip(&target.shares).enumerate() {
            // Whole yuan for every tranche but the last, which takes the remainder.
            let part = if i == last {
                left
            } else {
                target.amount.fen() * i64::from(share) / 100 / 100 * 100
            };
            left -= part;
            let mut income = Income::new(
                PostingId::new("tmp")?,
                date,
                target.source,
                target.kind,
                Money::from_fen(part)?,
            );
            income.note = Some(target.note.clone());
            incomes.push(income);
        }
    }
    let r = &config.recoveries;
    let mut slots: Vec<Slot> = (0..r.households)
        .map(|_| Slot {
            lo: r.min.fen(),
            hi: r.max.fen(),
            step: 100,
            amount: 0,
        })
        .collect();
    split(r.amount.fen(), &mut slots, &mut rng, "recoveries")?;
    for (i, slot) in slots.iter().enumerate() {
        let date = day_between(&mut rng, r.first, r.last);
        let mut income = Income::new(
            PostingId::new("tmp")?,
            date,
            r.source,
            IncomeKind::Recovery,
            Money::from_fen(slot.amount)?,
        );
        let id = HouseholdId::new(format!("{}-{:03}", r.prefix, i + 1))?;
        income.household = Some(id.clone());
        income.note = Some("追缴不诚信申请所领帮扶资金".to_owned());
        incomes.push(income);

        // The file it was paid under, filed earlier and withdrawn before the money came back.
        let applied = day_between(&mut rng, ymd(year - 1, 1, 10)?, ymd(year - 1, 6, 30)?);
        let size = 2 + rng.below(3) as u32;
        let household = draw_household(
            &mut rng,
            reg,
            &mut serial,
            &id,
            &reg.withdrawn_unit,
            size,
            false,
            HardshipCategory::Subsistence,
            &[],
            standard,
            applied,
        )?;
        let withdrawn = date
            .checked_sub_days(Days::new(rng.between(10, 60) as u64))
            .unwrap_or(date);
        records.push(HouseholdRecord {
            case: CaseId::new(format!("{id}/1"))?,
            applied,
            tier: ArchiveTier::National,
            category: HardshipCategory::Subsistence,
            household,
            withdrawal: Some(Withdrawal {
                date: withdrawn,
                effective: withdrawn,
                reason: WithdrawReason::DishonestApplication,
                note: "签署承诺书后仍隐瞒家庭收入和财产，经核查不符合建档条件".to_owned(),
                paid: Money::from_fen(slot.amount)?,
            }),
            procedure: Default::default(),
        });
    }

    // Applicants refused at preliminary review, one for each exclusion.
    let mut applicants = Vec::new();
    for (k, (exclusion, applied)) in reg.rejected.iter().enumerate() {
        let id = HouseholdId::new(format!("RJ-{:03}", k + 1))?;
        let mut household = draw_household(
            &mut rng,
            reg,
            &mut serial,
            &id,
            &reg.withdrawn_unit,
            3,
            false,
            HardshipCategory::Subsistence,
            &[SchoolStage::SeniorSecondary],
            standard,
            *applied,
        )?;
        match exclusion.as_str() {
            "multiple_homes" => household.assets.homes = 2,
            "business" => household.assets.shops = 1,
            "high_fee_schooling" => {
                for m in &mut household.members {
                    if let Some(school) = &mut m.person.school {
                        *school = Schooling {
                            stage: school.stage,
                            fee: SchoolFee::HighFeePrivate,
                        };
                    }
                }
            }
            "non_employee_vehicle" => household.assets.vehicles.push(bangfu_eligibility::Vehicle {
                kind: VehicleKind::Car,
                regular_use: true,
                as_employee: false,
            }),
            other => return Err(infeasible(format!("no way to show exclusion {other}"))),
        }
        applicants.push(ApplicantRecord {
            case: CaseId::new(format!("{id}/1"))?,
            applied: *applied,
            household,
            exclusion: exclusion.clone(),
        });
    }

    // The home-visit survey.
    let mut survey = Vec::new();
    for (unit, &count) in &config.survey.visits {
        let mut frame: Vec<&HouseholdRecord> = records
            .iter()
            .filter(|r| r.unit() == unit && r.withdrawal.is_none())
            .collect();
        for _ in 0..count {
            if frame.is_empty() {
                return Err(infeasible(format!("too few households in {unit} to visit")));
            }
            let pick = rng.below(frame.len() as u64) as usize;
            let r = frame.swap_remove(pick);
            survey.push(SurveyRecord {
                household: r.id().clone(),
                unit: unit.clone(),
                date: day_between(&mut rng, config.survey.dates.0, config.survey.dates.1),
                satisfied: true,
            });
        }
    }
    let unsatisfied = survey
        .len()
        .saturating_sub(config.survey.satisfied as usize);
    for _ in 0..unsatisfied {
        let still: Vec<usize> = (0..survey.len())
            .filter(|&i| survey.get(i).is_some_and(|v| v.satisfied))
            .collect();
        let pick = still.get(rng.below(still.len() as u64) as usize).copied();
        if let Some(v) = pick.and_then(|i| survey.get_mut(i)) {
            v.satisfied = false;
        }
    }
    survey.sort_by(|a, b| (a.date, &a.household).cmp(&(b.date, &b.household)));

    // Order: by date, income before payments on the same day; then stable ids.
    incomes.sort_by_key(|i| (i.date, i.source, i.kind));
    drafts.sort_by(|a, b| {
        (a.date, a.source, a.category, a.household).cmp(&(
            b.date,
            b.source,
            b.category,
            b.household,
        ))
    });
    let calc = Calculator::new(&policy.aid).map_err(|e| infeasible(format!("aid policy: {e}")))?;
    let mut claims: Vec<ClaimRecord> = Vec::new();
    let mut postings: Vec<Posting> = Vec::with_capacity(incomes.len() + drafts.len());
    let mut inc = incomes.into_iter().enumerate().peekable();
    let mut pay = drafts.into_iter().enumerate().peekable();
    loop {
        let take_income = match (inc.peek(), pay.peek()) {
            (Some((_, i)), Some((_, d))) => i.date <= d.date,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_income {
            if let Some((n, mut income)) = inc.next() {
                income.id = PostingId::new(format!("{}-I-{:03}", config.id_prefix, n + 1))?;
                postings.push(income.into());
            }
        } else if let Some((n, d)) = pay.next() {
            let house = houses
                .get(d.household)
                .ok_or_else(|| infeasible("household index"))?;
            let record = records
                .get(d.household)
                .ok_or_else(|| infeasible("household index"))?;
            // Medical and education payments are what the calculators decide on the claims.
            let order = match d.category {
                AidCategory::Medical | AidCategory::Education => {
                    let file = record
                        .file_facts(Some(ArchiveStatus::Active), Vec::new())
                        .map_err(|e| infeasible(format!("{}: {e}", record.id())))?;
                    let aid_error =
                        |e: bangfu_aid::AidError| infeasible(format!("{}: {e}", record.id()));
                    let (id, detail, decision) = if d.category == AidCategory::Medical {
                        let id = ClaimId::new(format!(
                            "{}-M-{:04}",
                            config.id_prefix,
                            claims.len() + 1
                        ))?;
                        let cost = cost_for(d.amount, medical_rate(policy, d.date)?)?;
                        let claim = MedicalClaim {
                            date: d.date,
                            out_of_pocket: cost,
                        };
                        let decision = calc
                            .medical(&file, claim, YearToDate::default(), Explain::Off)
                            .map_err(aid_error)?;
                        (
                            id,
                            ClaimDetail::Medical {
                                applicant: record.household.worker.person.id.clone(),
                                out_of_pocket: cost,
                            },
                            decision,
                        )
                    } else {
                        let id = ClaimId::new(format!(
                            "{}-E-{:04}",
                            config.id_prefix,
                            claims.len() + 1
                        ))?;
                        let student = record
                            .household
                            .students()
                            .nth(d.student)
                            .map(|(p, _)| p.clone())
                            .ok_or_else(|| infeasible("student index"))?;
                        let decision = calc
                            .education(&file, d.date, &student, false, Explain::Off)
                            .map_err(aid_error)?;
                        (id, ClaimDetail::Education { student }, decision)
                    };
                    if decision.amount.fen() != d.amount {
                        return Err(infeasible(format!(
                            "{}: the calculator pays {} on claim {id}",
                            record.id(),
                            decision.amount
                        )));
                    }
                    let order =
                        PaymentOrder::for_decision(&file, &id, &decision).map_err(aid_error)?;
                    claims.push(ClaimRecord {
                        id,
                        case: record.case.clone(),
                        household: record.id().clone(),
                        date: d.date,
                        detail,
                    });
                    order
                }
                _ => None,
            };
            let id = PostingId::new(format!("{}-P-{:05}", config.id_prefix, n + 1))?;
            let channel = PaymentChannel::UnionMemberCard;
            if let Some(order) = order {
                let pay = bangfu_year::orders::Payout::new(d.source, channel)
                    .unit(house.unit.clone())
                    .entered(d.entered);
                postings.push(pay.disbursement(&order, id).into());
                continue;
            }
            postings.push(
                Disbursement {
                    id,
                    date: d.date,
                    source: d.source,
                    category: d.category,
                    kind: d.kind,
                    household: house.id.clone(),
                    tier: house.tier,
                    channel,
                    amount: Money::from_fen(d.amount)?,
                    unit: Some(house.unit.clone()),
                    entered: Some(d.entered),
                    order: None,
                    claim: None,
                    campaign: None,
                }
                .into(),
            );
        }
    }

    // Every record must be one the policy accepts.
    let mut ledger = Ledger::new(config.year, policy.funding.clone());
    for p in &postings {
        ledger
            .post(p.clone())
            .map_err(|error| GenerateError::Refused {
                id: p.id().to_string(),
                error,
            })?;
    }

    Ok(Dataset {
        households: records,
        applicants,
        claims,
        survey,
        postings,
        case_events: Vec::new(),
        budget: None,
        allocation: None,
        checks: Vec::new(),
        inspection: Vec::new(),
    })
}

#[allow(clippy::too_many_arguments)]
fn draw_household(
    rng: &mut Rng,
    reg: &RegistryConfig,
    serial: &mut people::Serials,
    id: &HouseholdId,
    unit: &UnitId,
    size: u32,
    severe: bool,
    category: HardshipCategory,
    students: &[SchoolStage],
    standard: Money,
    applied: NaiveDate,
) -> Result<Household, GenerateError> {
    let (lo, hi) = reg
        .income_percent
        .get(&category)
        .copied()
        .ok_or_else(|| infeasible(format!("no income band for {category}")))?;
    let plan = Plan {
        region: &reg.region,
        id,
        unit,
        size,
        severe,
        category,
        students,
        income_percent: rng.between(i64::from(lo), i64::from(hi)) as u32,
        standard,
        applied,
    };
    people::household(rng, &plan, serial)
}

/// The eligible household with the fewest payments so far, ties broken from a random start.
fn place(
    houses: &[House],
    rng: &mut Rng,
    eligible: impl Fn(&House, usize) -> bool,
) -> Option<usize> {
    let n = houses.len();
    let start = rng.below(n as u64) as usize;
    let mut best: Option<(u32, usize)> = None;
    for k in 0..n {
        let i = (start + k) % n;
        if let Some(h) = houses.get(i)
            && eligible(h, i)
            && best.is_none_or(|(p, _)| h.payments < p)
        {
            best = Some((h.payments, i));
        }
    }
    best.map(|(_, i)| i)
}

/// Counts of students per stage (cheapest stages first) whose amounts add up to `total` fen
/// over `n` students, spreading over as few stages as a solution needs; `None` if none does.
fn stage_mix(
    stages: &BTreeMap<SchoolStage, Money>,
    total: i64,
    n: u32,
) -> Option<Vec<(SchoolStage, i64)>> {
    let mut by_amount: Vec<(SchoolStage, i64)> =
        stages.iter().map(|(s, m)| (*s, m.fen())).collect();
    by_amount.sort_by_key(|&(_, a)| a);
    let n = i64::from(n);
    // Two stages a < b: x·a + (n − x)·b = total.
    for (i, &(sa, a)) in by_amount.iter().enumerate() {
        if a * n == total {
            return Some((0..n).map(|_| (sa, a)).collect());
        }
        for &(sb, b) in by_amount.iter().skip(i + 1) {
            let num = b * n - total;
            let den = b - a;
            if den > 0 && num >= 0 && num % den == 0 && num / den <= n {
                let x = num / den;
                let mut out: Vec<(SchoolStage, i64)> = (0..x).map(|_| (sa, a)).collect();
                out.extend((x..n).map(|_| (sb, b)));
                return Some(out);
            }
        }
    }
    None
}
