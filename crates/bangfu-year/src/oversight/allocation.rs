//! The allocation plan (分配方案): the year's funds shared out by the active files and the
//! policy's per-household standards, within each source's earmark and after its reserve, and
//! the collective decision that approved it (主任办公会议集体研究).

use std::collections::{BTreeMap, BTreeSet};

use bangfu_core::{
    AidCategory, ArchiveTier, CitationId, Coded, Money, NaiveDate, Rate, RoundingRule,
    RoundingStrategy, Timeline, UnitId,
};
use bangfu_eligibility::HardshipCategory;
use bangfu_funding::{Earmark, FundSource};

use super::OversightError;

/// One per-household standard of the plan (户均分配标准): for files of a tier and a hardship
/// degree (the file's category), the yearly amount a category of aid plans per household.
///
/// # Example
/// ```
/// let s: bangfu_year::oversight::Standard = toml::from_str(
///     "tier = \"national\"\ndegree = \"subsistence\"\ncategory = \"living\"\namount = \"2400.00\"\n")?;
/// assert_eq!(s.amount.to_string(), "2400.00");
/// # Ok::<(), toml::de::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    /// The archive tier of the files.
    pub tier: ArchiveTier,
    /// The hardship degree: the file's category (低保户, 深度困难, …).
    pub degree: HardshipCategory,
    /// The aid category planned.
    pub category: AidCategory,
    /// Yuan per household a year.
    pub amount: Money,
}

/// The policy's rules of the allocation plan (`[allocation]` of `policy.toml`), each dated and
/// cited: the per-household standards, the share of each source's funds kept in reserve
/// (预留), and the members a collective decision needs present (到会人数). The earmarks are
/// the funding section's ([`bangfu_funding::FundingPolicy::earmark`]).
///
/// # Example
/// ```
/// let p = bangfu_data::guinan2019::policy()?;
/// let a = p.allocation.as_ref().ok_or("no [allocation]")?;
/// let d = bangfu_core::NaiveDate::from_ymd_opt(2019, 1, 1).unwrap();
/// assert_eq!(a.reserve.at("allocation.reserve", d)?.value.to_string(), "0.03");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationPolicy {
    /// The per-household standards in force.
    pub standards: Timeline<Vec<Standard>>,
    /// The share of each source's funds kept back from the plan (a ratio, at most 1).
    pub reserve: Timeline<Rate>,
    /// How many members a collective decision needs present, at least.
    pub quorum: Timeline<u32>,
}

impl AllocationPolicy {
    /// Every citation id the section uses.
    pub fn citation_ids(&self) -> Vec<&CitationId> {
        let mut ids: Vec<&CitationId> = self.standards.entries().iter().map(|e| &e.cite).collect();
        ids.extend(self.reserve.entries().iter().map(|e| &e.cite));
        ids.extend(self.quorum.entries().iter().map(|e| &e.cite));
        ids
    }

    /// Checks the section: every reserve at most 1, every quorum at least 1, no two
    /// standards of one tier, degree and category in one entry.
    ///
    /// # Errors
    /// `allocation.invalid_reserve`, `allocation.invalid_quorum`,
    /// `allocation.duplicate_standard`.
    pub fn validate(&self) -> Result<(), OversightError> {
        if let Some(r) = self
            .reserve
            .entries()
            .iter()
            .find(|e| e.value.as_decimal() > Rate::ONE.as_decimal())
        {
            return Err(OversightError::InvalidReserve(r.value.to_string()));
        }
        if self.quorum.entries().iter().any(|e| e.value == 0) {
            return Err(OversightError::InvalidQuorum);
        }
        for e in self.standards.entries() {
            let mut seen = BTreeSet::new();
            for s in &e.value {
                if !seen.insert((s.tier, s.degree, s.category)) {
                    return Err(OversightError::DuplicateStandard(format!(
                        "{} {} {} (from {})",
                        s.tier.code(),
                        s.degree.code(),
                        s.category.code(),
                        e.from
                    )));
                }
            }
        }
        Ok(())
    }
}

/// The active files of one unit, tier and degree on the plan's counting date (在档户数).
///
/// # Example
/// See [`allocate`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FileCount {
    /// The filing unit.
    pub unit: UnitId,
    /// The archive tier.
    pub tier: ArchiveTier,
    /// The hardship degree (the file's category).
    pub degree: HardshipCategory,
    /// Households active.
    pub households: u64,
}

/// One source's funds for the plan: the amount and the earmark in force on the counting date.
///
/// # Example
/// See [`allocate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fund {
    /// The source.
    pub source: FundSource,
    /// Its funds for the year.
    pub amount: Money,
    /// What it may pay.
    pub earmark: Earmark,
}

/// One cell of the plan: a unit's files of a tier and degree, for one aid category, with
/// what the standard asks for and what the plan gives.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlanCell {
    /// The filing unit.
    pub unit: UnitId,
    /// The archive tier.
    pub tier: ArchiveTier,
    /// The hardship degree.
    pub degree: HardshipCategory,
    /// The aid category.
    pub category: AidCategory,
    /// Households active.
    pub households: u64,
    /// The per-household standard.
    pub standard: Money,
    /// Households × standard.
    pub demand: Money,
    /// What the plan gives, from all sources.
    pub allocated: Money,
}

/// One allocation of the plan: a cell's share of one source.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PlanAllocation {
    /// The filing unit.
    pub unit: UnitId,
    /// The archive tier.
    pub tier: ArchiveTier,
    /// The hardship degree.
    pub degree: HardshipCategory,
    /// The aid category.
    pub category: AidCategory,
    /// The source.
    pub source: FundSource,
    /// The amount.
    pub amount: Money,
}

/// One source in the plan: its funds, the reserve kept back, what the plan allocates and
/// what it leaves unallocated.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SourcePlan {
    /// The source.
    pub source: FundSource,
    /// Its funds.
    pub funds: Money,
    /// Kept in reserve.
    pub reserve: Money,
    /// Allocated to the cells.
    pub allocated: Money,
    /// Neither reserved nor allocated: no cell it may pay asked for more.
    pub unallocated: Money,
}

/// The allocation plan (分配方案): the cells with their demand and allocation, each source's
/// allocations within its earmark, and the sources' funds, reserves and remainders.
///
/// # Example
/// See [`allocate`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AllocationPlan {
    /// The day the active files were counted.
    pub basis: NaiveDate,
    /// The reserve share applied.
    pub reserve_rate: Rate,
    /// The cells, by unit, tier, degree and category.
    pub cells: Vec<PlanCell>,
    /// The allocations, by source (in the order they were made), then cell.
    pub allocations: Vec<PlanAllocation>,
    /// The sources, in the order they were allocated.
    pub sources: Vec<SourcePlan>,
}

impl AllocationPlan {
    /// The total allocated.
    ///
    /// # Errors
    /// `core.money.overflow`.
    pub fn total(&self) -> Result<Money, OversightError> {
        Ok(Money::sum(self.sources.iter().map(|s| s.allocated))?)
    }

    /// What the plan gives each line (方案明细): a unit and an aid category, from all sources.
    ///
    /// # Errors
    /// `core.money.overflow`.
    pub fn lines(&self) -> Result<BTreeMap<(UnitId, AidCategory), Money>, OversightError> {
        let mut out: BTreeMap<(UnitId, AidCategory), Money> = BTreeMap::new();
        for c in &self.cells {
            let e = out
                .entry((c.unit.clone(), c.category))
                .or_insert(Money::ZERO);
            *e = e.checked_add(c.allocated)?;
        }
        Ok(out)
    }

    /// What the plan gives each unit.
    ///
    /// # Errors
    /// `core.money.overflow`.
    pub fn units(&self) -> Result<BTreeMap<UnitId, Money>, OversightError> {
        let mut out: BTreeMap<UnitId, Money> = BTreeMap::new();
        for ((unit, _), amount) in self.lines()? {
            let e = out.entry(unit).or_insert(Money::ZERO);
            *e = e.checked_add(amount)?;
        }
        Ok(out)
    }
}

/// Whether `earmark` lets its source pay `category` to files of `tier`.
fn allows(earmark: &Earmark, tier: ArchiveTier, category: AidCategory) -> bool {
    earmark.categories.contains(&category) && earmark.tiers.contains(&tier)
}

/// Shares `available` fen over `wants` (each want ≥ 0): everything asked when it fits, else
/// in proportion, rounded down to the fen, the fen left over going one each to the largest
/// remainders (ties to the earlier). Never more than a want, never more than `available` in
/// all.
fn share(available: i128, wants: &[i128]) -> Vec<i128> {
    let asked: i128 = wants.iter().sum();
    if asked <= available {
        return wants.to_vec();
    }
    // asked > available ≥ 0, so asked > 0.
    let mut out: Vec<i128> = Vec::with_capacity(wants.len());
    let mut rests: Vec<(i128, usize)> = Vec::with_capacity(wants.len());
    for (i, w) in wants.iter().enumerate() {
        let product = available.saturating_mul(*w);
        out.push(product / asked);
        rests.push((product % asked, i));
    }
    let mut left = available - out.iter().sum::<i128>();
    rests.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    for (rest, i) in rests {
        if left <= 0 || rest == 0 {
            break;
        }
        if let Some(v) = out.get_mut(i) {
            *v += 1;
            left -= 1;
        }
    }
    out
}

fn money(fen: i128) -> Result<Money, OversightError> {
    let fen =
        i64::try_from(fen).map_err(|_| bangfu_core::CoreError::Overflow { operation: "add" })?;
    Ok(Money::from_fen(fen)?)
}

/// Makes the plan (制订分配方案): each cell (unit × tier × degree × aid category with a
/// standard) asks for households × standard; each source keeps its reserve (funds × share,
/// rounded down to the fen) and shares the rest over the cells its earmark allows, the most
/// restricted sources first (fewest categories × tiers allowed, then source order), in
/// proportion to what each cell still asks for when it cannot give all. A plan never gives a
/// cell more than it asks, a source more than its funds less its reserve, or a cell money
/// its earmark forbids.
///
/// # Errors
/// `core.money.overflow` when a demand does not fit.
///
/// # Example
/// ```
/// use bangfu_core::{AidCategory, ArchiveTier, Money, NaiveDate, Rate, UnitId};
/// use bangfu_eligibility::HardshipCategory;
/// use bangfu_funding::{Earmark, FundSource};
/// use bangfu_year::oversight::{allocate, FileCount, Fund, Standard};
/// let files = [FileCount { unit: UnitId::new("a")?, tier: ArchiveTier::National,
///     degree: HardshipCategory::Subsistence, households: 10 }];
/// let standards = [Standard { tier: ArchiveTier::National, degree: HardshipCategory::Subsistence,
///     category: AidCategory::Living, amount: Money::from_yuan(1000)? }];
/// let earmark = Earmark { categories: vec![AidCategory::Living], tiers: vec![ArchiveTier::National], tiers_cite: None };
/// let funds = [Fund { source: FundSource::CentralFiscal, amount: Money::from_yuan(8000)?, earmark }];
/// let day = NaiveDate::from_ymd_opt(2019, 1, 4).unwrap();
/// let plan = allocate(day, &files, &standards, &funds, Rate::parse("0.05")?)?;
/// assert_eq!(plan.sources[0].reserve, Money::from_yuan(400)?);
/// assert_eq!(plan.total()?, Money::from_yuan(7600)?); // 10 × 1,000 asked, 7,600 to give
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn allocate(
    basis: NaiveDate,
    files: &[FileCount],
    standards: &[Standard],
    funds: &[Fund],
    reserve: Rate,
) -> Result<AllocationPlan, OversightError> {
    // The cells, in key order.
    let mut keyed: BTreeMap<(UnitId, ArchiveTier, HardshipCategory, AidCategory), (u64, Money)> =
        BTreeMap::new();
    for f in files.iter().filter(|f| f.households > 0) {
        for s in standards
            .iter()
            .filter(|s| s.tier == f.tier && s.degree == f.degree)
        {
            let e = keyed
                .entry((f.unit.clone(), f.tier, f.degree, s.category))
                .or_insert((0, s.amount));
            e.0 = e.0.saturating_add(f.households);
        }
    }
    let mut cells = Vec::with_capacity(keyed.len());
    let mut remaining: Vec<i128> = Vec::with_capacity(keyed.len());
    for ((unit, tier, degree, category), (households, standard)) in keyed {
        let demand = i128::from(standard.fen()).saturating_mul(i128::from(households));
        remaining.push(demand);
        cells.push(PlanCell {
            unit,
            tier,
            degree,
            category,
            households,
            standard,
            demand: money(demand)?,
            allocated: Money::ZERO,
        });
    }
    let mut order: Vec<&Fund> = funds.iter().collect();
    order.sort_by_key(|f| {
        (
            f.earmark
                .categories
                .len()
                .saturating_mul(f.earmark.tiers.len()),
            f.source,
        )
    });
    let down = RoundingRule::new(RoundingStrategy::Down, 2);
    let mut allocations = Vec::new();
    let mut sources = Vec::with_capacity(order.len());
    for fund in order {
        let kept = fund.amount.mul_rate(reserve, down)?.min(fund.amount);
        let available = i128::from(fund.amount.fen() - kept.fen());
        let eligible: Vec<usize> = cells
            .iter()
            .enumerate()
            .filter(|(_, c)| allows(&fund.earmark, c.tier, c.category))
            .map(|(i, _)| i)
            .collect();
        let wants: Vec<i128> = eligible
            .iter()
            .map(|i| remaining.get(*i).copied().unwrap_or(0))
            .collect();
        let given = share(available, &wants);
        let mut total: i128 = 0;
        for (i, g) in eligible.iter().zip(given) {
            if g <= 0 {
                continue;
            }
            let (Some(cell), Some(rest)) = (cells.get_mut(*i), remaining.get_mut(*i)) else {
                continue;
            };
            *rest -= g;
            total += g;
            let amount = money(g)?;
            cell.allocated = cell.allocated.checked_add(amount)?;
            allocations.push(PlanAllocation {
                unit: cell.unit.clone(),
                tier: cell.tier,
                degree: cell.degree,
                category: cell.category,
                source: fund.source,
                amount,
            });
        }
        let allocated = money(total)?;
        sources.push(SourcePlan {
            source: fund.source,
            funds: fund.amount,
            reserve: kept,
            allocated,
            unallocated: fund.amount.checked_sub(kept)?.checked_sub(allocated)?,
        });
    }
    Ok(AllocationPlan {
        basis,
        reserve_rate: reserve,
        cells,
        allocations,
        sources,
    })
}

bangfu_core::coded_enum! {
    /// The body that decides collectively (集体决策机构).
    ///
    /// ```
    /// use bangfu_year::oversight::MeetingKind;
    /// assert_eq!(MeetingKind::from_code("director_office"), Some(MeetingKind::DirectorOffice));
    /// ```
    pub enum MeetingKind {
        /// The director's office meeting of the aid center (主任办公会议), as the seed's.
        DirectorOffice = ("director_office", "主任办公会议", "director's office meeting"),
        /// The union's party group meeting (党组会议).
        PartyGroup = ("party_group", "党组会议", "party group meeting"),
        /// The union's standing committee (常委会议).
        StandingCommittee = ("standing_committee", "常委会议", "standing committee meeting"),
    }
}

/// The meeting that decided the plan (集体研究): its kind, date, who chaired it, the members
/// present, the resolution and the minutes' reference.
///
/// # Example
/// See [`AllocationFile`].
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    /// The body.
    pub kind: MeetingKind,
    /// The day.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// Who chaired it.
    pub chair: String,
    /// The members present, each once.
    pub present: Vec<String>,
    /// What it resolved (决议).
    pub resolution: String,
    /// The minutes (会议纪要) by their reference.
    pub minutes: String,
}

/// `allocation.toml`: the plan's counting date, the total the meeting approved and the
/// meeting. The plan itself is what the policy's rules give on the counting date
/// ([`allocate`]); the approved total must be its total to the fen.
///
/// # Example
/// ```
/// let file = bangfu_year::oversight::AllocationFile::from_toml(bangfu_data::guinan2019::ALLOCATION_TOML)?;
/// assert_eq!(file.meeting.present.len(), 5);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllocationFile {
    /// The day the active files are counted.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub basis: NaiveDate,
    /// The total the meeting approved, yuan.
    pub total: Money,
    /// The meeting.
    pub meeting: Meeting,
}

impl AllocationFile {
    /// The decision as the text of `allocation.toml`, which [`AllocationFile::from_toml`]
    /// reads back to the same value (a store exports it so).
    ///
    /// # Example
    /// ```
    /// let dir = bangfu_data::guinan2019::year_dir()?;
    /// let a = dir.oversight.allocation.unwrap();
    /// assert_eq!(bangfu_year::oversight::AllocationFile::from_toml(&a.to_toml())?, a);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn to_toml(&self) -> String {
        // Dates and amounts are strings, the rest strings and a list of strings: the TOML
        // writer has nothing it cannot write.
        toml::to_string(self).unwrap_or_default()
    }

    /// Parses the file.
    ///
    /// # Errors
    /// The reader's error with its line and code.
    pub fn from_toml(text: &str) -> Result<AllocationFile, crate::input::InputError> {
        crate::input::parse_toml(text)
    }

    /// Checks the decision alone against the policy (before the plan is made): nothing blank,
    /// each member once, the quorum in force on the meeting day reached, the files counted
    /// no later than the meeting, the meeting no later than `year_end`.
    ///
    /// # Errors
    /// `oversight.blank`, `allocation.duplicate_member`, `allocation.quorum`,
    /// `allocation.basis_after_meeting`, `allocation.meeting_after_year`,
    /// `core.parameter.not_in_force`.
    pub fn check(
        &self,
        policy: &AllocationPolicy,
        year_end: NaiveDate,
    ) -> Result<(), OversightError> {
        let m = &self.meeting;
        for (what, text) in [
            ("the resolution", &m.resolution),
            ("the chair", &m.chair),
            ("the minutes' reference", &m.minutes),
        ] {
            if text.trim().is_empty() {
                return Err(OversightError::Blank(what));
            }
        }
        let mut seen = BTreeSet::new();
        for p in &m.present {
            if p.trim().is_empty() {
                return Err(OversightError::Blank("a member's name"));
            }
            if !seen.insert(p.trim()) {
                return Err(OversightError::DuplicateMember(bangfu_core::read::quote(p)));
            }
        }
        let quorum = policy.quorum.at("allocation.quorum", m.date)?.value;
        if (m.present.len() as u64) < u64::from(quorum) {
            return Err(OversightError::Quorum {
                present: m.present.len(),
                quorum,
            });
        }
        if self.basis > m.date {
            return Err(OversightError::BasisAfterMeeting {
                basis: self.basis,
                meeting: m.date,
            });
        }
        if m.date > year_end {
            return Err(OversightError::MeetingAfterYear(m.date));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::share;

    #[test]
    fn share_gives_all_when_it_fits_and_in_proportion_when_not() {
        assert_eq!(share(100, &[30, 50]), vec![30, 50]);
        assert_eq!(share(80, &[30, 50]), vec![30, 50]);
        // 79 over 30 and 50: 29.625 and 49.375 → 29 and 49, the fen left to the larger rest.
        assert_eq!(share(79, &[30, 50]), vec![30, 49]);
        assert_eq!(share(0, &[30, 50]), vec![0, 0]);
        assert_eq!(share(2, &[1, 1, 1]), vec![1, 1, 0]);
    }
}
