//! What-if (政策模拟): a year's claims decided again under another policy file, and the
//! difference per claim, household, unit, fund source, aid category and in total; the
//! temporary-aid claims (临时救助) of workers who are not filed too, per worker (by the
//! union's key, with the ID number masked).
//!
//! The model is OpenFisca's reforms: the same records simulated under a baseline policy and
//! under a reform, and the same figures read from both. Here the records are one year
//! directory's, each year is built through the one path ([`ProgrammeYear`]) with its own
//! policy, and the figure compared is what each claim is decided at
//! ([`ProgrammeYear::decided_claims`]). The union's recorded payments are its history: they
//! stay as they were made in both years (a recorded payment above what its claim is decided
//! at under the reform becomes a finding there, and its excess counts in that household's
//! year-to-date as in any year). A temporary-aid claim is decided again under the reform's
//! temporary-aid rules (its yearly cap per person, events, relations) with the worker's
//! year-to-date under the reform; it counts in living aid, in the unit that handled it, in
//! the source of its first payment, and per worker instead of per household, so the total's
//! difference is exactly the households' and the workers' added up. Each output carries the stamps of both policy files
//! ([`PolicyStamp`]: id and SHA-256).
//!
//! # Example
//! ```
//! use bangfu_data::hainan2018 as hn;
//! let files = hn::files();
//! let reform = hn::POLICY_TOML.replace("value = \"0.5\"", "value = \"0.6\""); // medical rate
//! let w = bangfu_year::whatif::WhatIf::of_files(&files, &reform)?;
//! assert_ne!(w.receipt.baseline.sha256, w.receipt.reform.sha256);
//! assert!(w.total.amounts.difference.fen() > 0); // a higher rate pays more
//! let sum = w.households.iter().try_fold(0i64, |s, h| s.checked_add(h.totals.amounts.difference.fen()));
//! assert_eq!(sum, Some(w.total.amounts.difference.fen()));
//! # Ok::<(), bangfu_year::whatif::WhatIfError>(())
//! ```

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;

use bangfu_aid::ClaimId;
use bangfu_core::{
    AidCategory, Coded, CoreError, HouseholdId, Labelled, Lang, Money, PersonId, UnitId,
};
use bangfu_funding::{FundSource, Posting, PostingId};

use crate::dir::{Problem, YearDir};
use crate::input::{self, InputError};
use crate::records::ClaimDetail;
use crate::temporary::MaskedIdNumber;
use crate::{Policy, PolicyStamp, ProgrammeYear, YearError};

/// A signed difference of money in fen (差额): what the reform decides less what the
/// baseline decides. Shown and serialized with its sign (`+500.00`, `-500.00`, `0.00`).
///
/// # Example
/// ```
/// use bangfu_core::Money;
/// use bangfu_year::whatif::Delta;
/// let d = Delta::between(Money::from_yuan(800)?, Money::from_yuan(300)?);
/// assert_eq!((d.fen(), d.to_string()), (-50_000, "-500.00".to_owned()));
/// assert_eq!(Delta::ZERO.to_string(), "0.00");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Delta(i64);

impl Delta {
    /// No difference.
    pub const ZERO: Delta = Delta(0);

    /// `reform − baseline`. Both are amounts (never negative), so the difference always fits.
    pub const fn between(baseline: Money, reform: Money) -> Delta {
        Delta(reform.fen() - baseline.fen())
    }

    /// The difference in fen (负数为减少).
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// `self + other`.
    ///
    /// # Errors
    /// [`CoreError::Overflow`].
    ///
    /// # Example
    /// ```
    /// use bangfu_year::whatif::Delta;
    /// use bangfu_core::Money;
    /// let up = Delta::between(Money::ZERO, Money::MAX);
    /// assert!(up.checked_add(up).is_err());
    /// assert_eq!(up.checked_add(Delta::ZERO)?, up);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub const fn checked_add(self, other: Delta) -> Result<Delta, CoreError> {
        match self.0.checked_add(other.0) {
            Some(v) => Ok(Delta(v)),
            None => Err(CoreError::Overflow { operation: "add" }),
        }
    }
}

impl fmt::Display for Delta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = match self.0 {
            0 => "",
            n if n > 0 => "+",
            _ => "-",
        };
        // |fen| of a difference of two amounts fits in an i64; the fallback is never taken.
        let size = Money::from_fen(self.0.checked_abs().unwrap_or(i64::MAX)).unwrap_or(Money::MAX);
        write!(f, "{sign}{size}")
    }
}

impl serde::Serialize for Delta {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// An amount under both policies and their difference (基准、模拟与差额).
///
/// # Example
/// ```
/// use bangfu_core::Money;
/// use bangfu_year::whatif::Amounts;
/// let mut a = Amounts::of(Money::from_yuan(5_000)?, Money::from_yuan(6_000)?);
/// a.add(&Amounts::of(Money::from_yuan(15_000)?, Money::from_yuan(18_000)?))?;
/// assert_eq!(a.difference.to_string(), "+4000.00");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Amounts {
    /// Decided under the baseline policy (the directory's own).
    pub baseline: Money,
    /// Decided under the reform (the other policy file).
    pub reform: Money,
    /// `reform − baseline`.
    pub difference: Delta,
}

impl Amounts {
    /// The amounts of one claim.
    pub const fn of(baseline: Money, reform: Money) -> Amounts {
        Amounts {
            baseline,
            reform,
            difference: Delta::between(baseline, reform),
        }
    }

    /// Adds `other` to each figure.
    ///
    /// # Errors
    /// [`CoreError::Overflow`]; nothing changes then.
    pub fn add(&mut self, other: &Amounts) -> Result<(), CoreError> {
        let next = Amounts {
            baseline: self.baseline.checked_add(other.baseline)?,
            reform: self.reform.checked_add(other.reform)?,
            difference: self.difference.checked_add(other.difference)?,
        };
        *self = next;
        Ok(())
    }
}

/// One claim decided under both policies (申请对比).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClaimChange {
    /// The claim.
    pub claim: ClaimId,
    /// Its household.
    pub household: HouseholdId,
    /// The union unit that filed the household (建档单位).
    pub unit: UnitId,
    /// The aid category.
    pub category: AidCategory,
    /// The claim's kind, as in `claims.jsonl` (`medical`, `living`, `sending_warmth`,
    /// `education`).
    pub kind: &'static str,
    /// The fund source of the payment that carried the claim out in the baseline year (its
    /// first recorded payment not reversed); none when the claim was not paid.
    pub source: Option<FundSource>,
    /// The amounts.
    #[serde(flatten)]
    pub amounts: Amounts,
}

/// One temporary-aid claim (临时救助) of a worker who is not filed, decided under both
/// policies (临时救助申请对比). The worker is named by the union's key and the masked ID
/// number, never a full number.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TemporaryChange {
    /// The claim.
    pub claim: ClaimId,
    /// The worker's key.
    pub worker: PersonId,
    /// The worker's ID number, masked.
    pub id_number: MaskedIdNumber,
    /// The union unit that handled the claim.
    pub unit: UnitId,
    /// The fund source of the claim's first recorded payment not reversed, in the baseline;
    /// none when the claim was not paid.
    pub source: Option<FundSource>,
    /// The amounts.
    #[serde(flatten)]
    pub amounts: Amounts,
}

/// Claims added up (合计): how many, how many changed, and their amounts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Totals {
    /// The claims.
    pub claims: u64,
    /// The claims whose amount differs.
    pub changed: u64,
    /// The amounts added up.
    #[serde(flatten)]
    pub amounts: Amounts,
}

impl Totals {
    /// Adds one claim's amounts.
    ///
    /// # Errors
    /// [`CoreError::Overflow`]; nothing changes then.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Money;
    /// use bangfu_year::whatif::{Amounts, Totals};
    /// let mut t = Totals::default();
    /// t.add(&Amounts::of(Money::from_yuan(1)?, Money::from_yuan(1)?))?;
    /// t.add(&Amounts::of(Money::from_yuan(1)?, Money::from_yuan(2)?))?;
    /// assert_eq!((t.claims, t.changed, t.amounts.difference.fen()), (2, 1, 100));
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn add(&mut self, claim: &Amounts) -> Result<(), CoreError> {
        self.amounts.add(claim)?;
        self.claims = self.claims.saturating_add(1);
        if claim.difference != Delta::ZERO {
            self.changed = self.changed.saturating_add(1);
        }
        Ok(())
    }
}

/// The claims of one group (a household, a unit, a source, a category) added up (分组合计).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line<K> {
    /// The group.
    pub key: K,
    /// Its claims added up.
    #[serde(flatten)]
    pub totals: Totals,
}

/// The two policy files compared, each by its stamp (模拟回执).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WhatIfReceipt {
    /// The baseline: the year directory's own `policy.toml`.
    pub baseline: PolicyStamp,
    /// The reform: the other policy file.
    pub reform: PolicyStamp,
}

/// The findings of the recorded payments under each policy (违规发现数).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct FindingCounts {
    /// Under the baseline.
    pub baseline: u64,
    /// Under the reform (a payment above its claim's new decision is one).
    pub reform: u64,
}

/// A year's claims decided under two policies, and the difference (政策模拟结果).
///
/// Every group adds up its claims, so the total's difference is exactly the sum of the
/// households' and the workers' (temporary aid), and of the units', the sources', the
/// categories'.
///
/// # Example
/// See the [module](self).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WhatIf {
    /// The two policies.
    pub receipt: WhatIfReceipt,
    /// Every claim, the total of the year.
    pub total: Totals,
    /// By aid category.
    pub categories: Vec<Line<AidCategory>>,
    /// By fund source of the claim's payment (none: claims not paid).
    pub sources: Vec<Line<Option<FundSource>>>,
    /// By union unit, in id order.
    pub units: Vec<Line<UnitId>>,
    /// By household, in id order (households with at least one claim).
    pub households: Vec<Line<HouseholdId>>,
    /// Every claim, in id order.
    pub claims: Vec<ClaimChange>,
    /// By worker of the temporary-aid claims (临时救助), by key in order (workers with at
    /// least one claim); absent from JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workers: Vec<Line<PersonId>>,
    /// Every temporary-aid claim, in id order; absent from JSON when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub temporary: Vec<TemporaryChange>,
    /// The recorded payments' findings under each policy.
    pub findings: FindingCounts,
}

/// Why a what-if could not be computed (政策模拟失败).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WhatIfError {
    /// The year directory does not build under its own policy: its problems.
    #[error("the year does not build under its own policy ({} problems)", .0.len())]
    Baseline(Vec<Problem>),
    /// The year directory does not build under the other policy: its problems.
    #[error("the year does not build under the other policy ({} problems)", .0.len())]
    Reform(Vec<Problem>),
    /// A policy file could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A claim of one year is not decided in the other.
    #[error("claim {claim} is decided under one policy and not under the other")]
    ClaimMissing {
        /// The claim.
        claim: ClaimId,
    },
    /// A household or an overflow.
    #[error(transparent)]
    Year(#[from] YearError),
}

impl From<CoreError> for WhatIfError {
    fn from(e: CoreError) -> WhatIfError {
        WhatIfError::Year(YearError::Core(e))
    }
}

impl Coded for WhatIfError {
    fn code(&self) -> &'static str {
        match self {
            WhatIfError::Baseline(_) => "whatif.baseline_refused",
            WhatIfError::Reform(_) => "whatif.reform_refused",
            WhatIfError::Input(e) => e.code(),
            WhatIfError::ClaimMissing { .. } => "whatif.claim_missing",
            WhatIfError::Year(e) => e.code(),
        }
    }
}

impl Labelled for WhatIfError {
    fn zh(&self) -> &'static str {
        match self {
            WhatIfError::Baseline(_) => "年度记录在本政策下不能建立",
            WhatIfError::Reform(_) => "年度记录在对比政策下不能建立",
            WhatIfError::Input(e) => e.zh(),
            WhatIfError::ClaimMissing { .. } => "申请仅在一种政策下有决定",
            WhatIfError::Year(e) => e.zh(),
        }
    }

    fn en(&self) -> &'static str {
        match self {
            WhatIfError::Baseline(_) => "the year does not build under its policy",
            WhatIfError::Reform(_) => "the year does not build under the other policy",
            WhatIfError::Input(e) => e.en(),
            WhatIfError::ClaimMissing { .. } => "claim decided under one policy only",
            WhatIfError::Year(e) => e.en(),
        }
    }
}

/// The claim's kind as `claims.jsonl` writes it.
fn kind_code(detail: &ClaimDetail) -> &'static str {
    match detail {
        ClaimDetail::Medical { .. } => "medical",
        ClaimDetail::Education { .. } => "education",
        ClaimDetail::Living { .. } => "living",
        ClaimDetail::SendingWarmth { .. } => "sending_warmth",
    }
}

/// The source of each claim's first recorded payment that was not reversed.
fn claim_sources(postings: &[Posting]) -> HashMap<&ClaimId, FundSource> {
    let reversed: HashSet<&PostingId> = postings
        .iter()
        .filter_map(|p| match p {
            Posting::Reversal(r) => Some(&r.reverses),
            _ => None,
        })
        .collect();
    let mut out = HashMap::new();
    for p in postings {
        if let Posting::Disbursement(d) = p
            && let Some(claim) = &d.claim
            && !reversed.contains(&d.id)
        {
            out.entry(claim).or_insert(d.source);
        }
    }
    out
}

/// Adds a claim to its group's line.
fn add_to<K: Ord + Clone>(
    lines: &mut BTreeMap<K, Line<K>>,
    key: &K,
    amounts: &Amounts,
) -> Result<(), CoreError> {
    lines
        .entry(key.clone())
        .or_insert_with(|| Line {
            key: key.clone(),
            totals: Totals::default(),
        })
        .totals
        .add(amounts)
}

/// The year directory's policy text (the baseline's stamp is of it).
fn policy_text(files: &BTreeMap<String, Vec<u8>>) -> Result<&str, InputError> {
    files
        .get("policy.toml")
        .map_or(Ok(""), |bytes| input::decode_utf8(bytes))
}

impl WhatIf {
    /// The what-if of a year directory's files (as [`YearDir::read`] takes them) under the
    /// policy file `reform` (its text): the year built once with its own `policy.toml` and
    /// once with `reform`, then [`WhatIf::compare`]d.
    ///
    /// # Errors
    /// [`WhatIfError::Input`] when `reform` is not a valid policy file;
    /// [`WhatIfError::Baseline`] with every problem of the directory;
    /// [`WhatIfError::Reform`] with every record the path refuses under the reform; the
    /// errors of [`WhatIf::compare`].
    ///
    /// # Example
    /// See the [module](self).
    pub fn of_files(
        files: &BTreeMap<String, Vec<u8>>,
        reform: &str,
    ) -> Result<WhatIf, WhatIfError> {
        let reform_policy = Policy::from_toml(reform)?;
        let reform_stamp = PolicyStamp::of(&reform_policy, reform);
        let dir = YearDir::read(files).map_err(WhatIfError::Baseline)?;
        let baseline_stamp = PolicyStamp::of(&dir.policy, policy_text(files)?);
        let mut other = dir.clone();
        other.policy = reform_policy;
        let baseline = dir.build().map_err(WhatIfError::Baseline)?;
        let reformed = other.build().map_err(WhatIfError::Reform)?;
        WhatIf::compare(&baseline.year, baseline_stamp, &reformed.year, reform_stamp)
    }

    /// Compares the claims of two years built from the same records under two policies: each
    /// claim's decided amount in both, added up by household, unit (the household's filing
    /// unit), source (of the claim's first recorded payment not reversed, in the baseline),
    /// aid category and in total.
    ///
    /// # Errors
    /// [`WhatIfError::ClaimMissing`] when a claim is decided in one year only;
    /// `year.unknown_household` for a claim whose household the baseline does not hold;
    /// `core.money.overflow`.
    pub fn compare(
        baseline: &ProgrammeYear,
        baseline_stamp: PolicyStamp,
        reform: &ProgrammeYear,
        reform_stamp: PolicyStamp,
    ) -> Result<WhatIf, WhatIfError> {
        let sources = claim_sources(baseline.ledger().postings());
        let mut decided: Vec<_> = baseline.decided_claims().collect();
        decided.sort_by(|a, b| a.record.id.cmp(&b.record.id));
        if reform.decided_claims().count() != decided.len() {
            let extra = reform
                .decided_claims()
                .find(|c| baseline.decided_claim(&c.record.id).is_none());
            if let Some(c) = extra {
                return Err(WhatIfError::ClaimMissing {
                    claim: c.record.id.clone(),
                });
            }
        }
        let mut total = Totals::default();
        let mut categories = BTreeMap::new();
        let mut by_source = BTreeMap::new();
        let mut units = BTreeMap::new();
        let mut households = BTreeMap::new();
        let mut claims = Vec::with_capacity(decided.len());
        for c in decided {
            let r = c.record;
            let other = reform
                .decided_claim(&r.id)
                .ok_or_else(|| WhatIfError::ClaimMissing {
                    claim: r.id.clone(),
                })?;
            let unit = baseline
                .household(&r.household)
                .map(|h| h.worker.union_unit.clone())
                .ok_or_else(|| YearError::UnknownHousehold {
                    household: r.household.clone(),
                })?;
            let amounts = Amounts::of(c.amount, other.amount);
            let source = sources.get(&r.id).copied();
            let category = r.detail.category();
            add_to(&mut households, &r.household, &amounts)?;
            add_to(&mut units, &unit, &amounts)?;
            add_to(&mut by_source, &source.map(FundSource::index), &amounts)?;
            add_to(&mut categories, &category.code(), &amounts)?;
            total.add(&amounts)?;
            claims.push(ClaimChange {
                claim: r.id.clone(),
                household: r.household.clone(),
                unit,
                category,
                kind: kind_code(&r.detail),
                source,
                amounts,
            });
        }
        let mut workers = BTreeMap::new();
        let mut temporary = Vec::new();
        let mut decided: Vec<_> = baseline.temporary_claims().collect();
        decided.sort_by(|a, b| a.record.id.cmp(&b.record.id));
        if reform.temporary_claims().count() != decided.len() {
            let extra = reform
                .temporary_claims()
                .find(|c| baseline.temporary_decided(&c.record.id).is_none());
            if let Some(c) = extra {
                return Err(WhatIfError::ClaimMissing {
                    claim: c.record.id.clone(),
                });
            }
        }
        for c in decided {
            let r = c.record;
            let other =
                reform
                    .temporary_decided(&r.id)
                    .ok_or_else(|| WhatIfError::ClaimMissing {
                        claim: r.id.clone(),
                    })?;
            let amounts = Amounts::of(c.amount, other.amount);
            let source = sources.get(&r.id).copied();
            add_to(&mut workers, &r.worker, &amounts)?;
            add_to(&mut units, &r.unit, &amounts)?;
            add_to(&mut by_source, &source.map(FundSource::index), &amounts)?;
            add_to(&mut categories, &AidCategory::Living.code(), &amounts)?;
            total.add(&amounts)?;
            temporary.push(TemporaryChange {
                claim: r.id.clone(),
                worker: r.worker.clone(),
                id_number: r.id_number.clone(),
                unit: r.unit.clone(),
                source,
                amounts,
            });
        }
        let rekey = |line: Line<Option<usize>>, key: Option<FundSource>| Line {
            key,
            totals: line.totals,
        };
        // Sources in the order of `FundSource::ALL`, the claims not paid last.
        let unpaid = by_source.remove(&None);
        let mut sources: Vec<Line<Option<FundSource>>> = by_source
            .into_iter()
            .filter_map(|(k, line)| Some(rekey(line, Some(*FundSource::ALL.get(k?)?))))
            .collect();
        sources.extend(unpaid.map(|line| rekey(line, None)));
        let categories = AidCategory::ALL
            .iter()
            .filter_map(|c| {
                let line = categories.get(&c.code())?;
                Some(Line {
                    key: *c,
                    totals: line.totals,
                })
            })
            .collect();
        Ok(WhatIf {
            receipt: WhatIfReceipt {
                baseline: baseline_stamp,
                reform: reform_stamp,
            },
            total,
            categories,
            sources,
            units: units.into_values().collect(),
            households: households.into_values().collect(),
            claims,
            workers: workers.into_values().collect(),
            temporary,
            findings: FindingCounts {
                baseline: count(baseline.payments().defects.len()),
                reform: count(reform.payments().defects.len()),
            },
        })
    }

    /// The head of [`WhatIf::render_text`]: both policies with their SHA-256, the claims
    /// changed, the findings under each.
    fn summary(&self, lang: Lang) -> [String; 4] {
        let t = |z: &'static str, e: &'static str| if lang == Lang::Zh { z } else { e };
        let r = &self.receipt;
        [
            format!(
                "- {}: {} (sha256 {})",
                t(
                    "基准政策（年度目录的 policy.toml）",
                    "baseline (the directory's policy.toml)"
                ),
                r.baseline.id,
                r.baseline.sha256
            ),
            format!(
                "- {}: {} (sha256 {})",
                t("对比政策", "reform"),
                r.reform.id,
                r.reform.sha256
            ),
            format!(
                "- {}: {} / {}",
                t("申请（金额有变化 / 全部）", "claims (changed / all)"),
                self.total.changed,
                self.total.claims
            ),
            format!(
                "- {}: {} / {}",
                t(
                    "已记录发放的违规发现（基准 / 对比）",
                    "findings of the recorded payments (baseline / reform)"
                ),
                self.findings.baseline,
                self.findings.reform
            ),
        ]
    }

    /// The what-if as text (Markdown) in `lang`: the two policies, the total, then by
    /// category, source and unit, and the households whose amount changed.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::Lang;
    /// use bangfu_data::hainan2018 as hn;
    /// let w = bangfu_year::whatif::WhatIf::of_files(&hn::files(), hn::POLICY_TOML)?;
    /// let text = w.render_text(Lang::En);
    /// assert!(text.contains(&w.receipt.reform.sha256));
    /// assert_eq!(w.total.changed, 0); // the same policy changes nothing
    /// # Ok::<(), bangfu_year::whatif::WhatIfError>(())
    /// ```
    pub fn render_text(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let t = |z: &'static str, e: &'static str| if zh { z } else { e };
        let mut out = String::new();
        let mut line = |s: String| {
            out.push_str(&s);
            out.push('\n');
        };
        line(format!("# {}", t("政策模拟", "What-if")));
        line(String::new());
        for s in self.summary(lang) {
            line(s);
        }
        let header = |first: &'static str, first_en: &'static str| {
            format!(
                "| {} | {} | {} | {} | {} | {} |\n|---|---:|---:|---:|---:|---:|",
                t(first, first_en),
                t("申请", "claims"),
                t("有变化", "changed"),
                t("基准（元）", "baseline (yuan)"),
                t("对比（元）", "reform (yuan)"),
                t("差额（元）", "difference (yuan)")
            )
        };
        let row = |name: &str, t: &Totals| {
            let a = &t.amounts;
            format!(
                "| {name} | {} | {} | {} | {} | {} |",
                t.claims, t.changed, a.baseline, a.reform, a.difference
            )
        };
        let total_name = t("合计", "total");
        let mut table = |title: &str, head: String, rows: Vec<String>| {
            line(String::new());
            line(format!("## {title}"));
            line(String::new());
            line(head);
            for r in rows {
                line(r);
            }
        };
        table(
            t("合计", "Total"),
            header("", ""),
            vec![row(total_name, &self.total)],
        );
        let rows = |lines: Vec<(String, &Totals)>| -> Vec<String> {
            lines.into_iter().map(|(n, t)| row(&n, t)).collect()
        };
        table(
            t("按救助类别", "By aid category"),
            header("类别", "category"),
            rows(
                self.categories
                    .iter()
                    .map(|l| {
                        let name = if zh { l.key.zh() } else { l.key.en() };
                        (name.to_owned(), &l.totals)
                    })
                    .collect(),
            ),
        );
        table(
            t("按资金来源", "By fund source"),
            header("资金来源", "source"),
            rows(
                self.sources
                    .iter()
                    .map(|l| {
                        let name = match l.key {
                            Some(s) if zh => s.zh(),
                            Some(s) => s.en(),
                            None => t("未发放", "not paid"),
                        };
                        (name.to_owned(), &l.totals)
                    })
                    .collect(),
            ),
        );
        table(
            t("按单位", "By unit"),
            header("单位", "unit"),
            rows(
                self.units
                    .iter()
                    .map(|l| (l.key.to_string(), &l.totals))
                    .collect(),
            ),
        );
        table(
            t(
                "按户（金额有变化的户）",
                "By household (those whose amount changed)",
            ),
            header("户", "household"),
            rows(
                self.households
                    .iter()
                    .filter(|l| l.totals.changed > 0)
                    .map(|l| (l.key.to_string(), &l.totals))
                    .collect(),
            ),
        );
        if !self.temporary.is_empty() {
            // The worker by key and masked ID number (never a full number).
            let masked: BTreeMap<&PersonId, &MaskedIdNumber> = self
                .temporary
                .iter()
                .map(|c| (&c.worker, &c.id_number))
                .collect();
            table(
                t(
                    "按职工（临时救助，金额有变化的未建档职工）",
                    "By worker (temporary aid, workers not filed whose amount changed)",
                ),
                header("职工", "worker"),
                rows(
                    self.workers
                        .iter()
                        .filter(|l| l.totals.changed > 0)
                        .map(|l| {
                            let id = masked.get(&l.key).map_or("", |m| m.as_str());
                            (format!("{} ({id})", l.key), &l.totals)
                        })
                        .collect(),
                ),
            );
        }
        out
    }
}

/// A length as a count.
fn count(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}
