//! Roll-ups by unit (按组织汇总): the year's files, payments, spending, person-times,
//! recoveries and findings, each attributed to the unit of its household, summed to any node
//! of the union organisation tree ([`UnitTree`]) and to any part of the entity
//! ([`Scope`]: a unit's subtree, less some subtrees).
//!
//! Every figure is read from what the year recorded, with checked arithmetic:
//!
//! | figure | read from | attributed to |
//! |---|---|---|
//! | files, active files by tier and category | the registry's case files; active = payable on the last day of the year | the household's `worker.union_unit` |
//! | spending by source and category, person-times | the payments no reversal reverses (one payment is one person-time) | the household's unit (the payment's `unit` when the household is not filed) |
//! | temporary aid (临时救助): amount, person-times | the temporary-aid payments no reversal reverses, counted in living aid and apart | the payment's `unit` (the unit that handled the claim: the worker is not filed) |
//! | recoveries | the recoveries (追缴) no reversal reverses | the household's unit |
//! | findings | the defects of the recorded payments ([`crate::Defect`]) | the payment's unit |
//!
//! A node's total is its own records plus its children's totals; what no unit of the tree
//! holds is `outside`, so that the root's total plus `outside` is the whole year.

use std::collections::BTreeMap;

use bangfu_core::{AidCategory, AidKind, ArchiveTier, CoreError, Lang, Money, UnitId};
use bangfu_eligibility::HardshipCategory;
use bangfu_funding::{FundSource, IncomeKind, Posting, PostingId};
use serde::Serialize;

use crate::ProgrammeYear;
use crate::tree::UnitTree;

/// Spending of one source and category (支出): amount and person-times.
///
/// # Example
/// See [`UnitFigures`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SpendLine {
    /// The fund source.
    pub source: FundSource,
    /// The aid category.
    pub category: AidCategory,
    /// The amount paid, reversed payments not counted.
    pub amount: Money,
    /// Person-times (人次).
    pub person_times: u64,
}

/// Spending of one campaign counted in no aid category (单列专项活动: female-worker care, a
/// campaign the policy adds) from one source: its own line, never inside living aid.
///
/// # Example
/// See [`Record::CampaignPayment`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CampaignSpend {
    /// The fund source.
    pub source: FundSource,
    /// The campaign.
    #[serde(flatten)]
    pub campaign: CampaignRef,
    /// The amount paid, reversed payments not counted.
    pub amount: Money,
    /// Person-times (人次).
    pub person_times: u64,
}

/// Which campaign (专项活动): its payments' kind, its id when the policy adds it, and its name
/// from the policy (else its id's or its kind's).
///
/// # Example
/// See [`Record::CampaignPayment`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct CampaignRef {
    /// The payments' kind.
    pub kind: AidKind,
    /// The campaign's id, for a campaign the policy adds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub campaign: Option<bangfu_funding::CampaignId>,
    /// Its name in Chinese.
    pub zh: String,
    /// Its name in English.
    pub en: String,
}

/// The figures of one unit or part (组织汇总数): files, spending, person-times, recoveries and
/// findings.
///
/// # Example
/// ```
/// use bangfu_year::rollup::{Record, UnitFigures};
/// use bangfu_core::{AidCategory, Money};
/// use bangfu_funding::FundSource;
/// let mut f = UnitFigures::default();
/// f.add(&Record::Payment { source: FundSource::CentralFiscal, category: AidCategory::Living, amount: Money::from_yuan(800)? })?;
/// f.add(&Record::Payment { source: FundSource::CentralFiscal, category: AidCategory::Living, amount: Money::from_yuan(700)? })?;
/// assert_eq!((f.spent, f.person_times), (Money::from_yuan(1500)?, 2));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UnitFigures {
    /// Case files filed (建档), whatever their status at the end of the year.
    pub files: u64,
    /// Files active (payable) on the last day of the year (在档).
    pub active: u64,
    /// Active files by archive tier.
    pub active_by_tier: BTreeMap<ArchiveTier, u64>,
    /// Active files by hardship category.
    pub active_by_category: BTreeMap<HardshipCategory, u64>,
    /// Spending by source and category, in source then category order.
    pub spending: Vec<SpendLine>,
    /// Total spent.
    pub spent: Money,
    /// Person-times (人次): the payments standing.
    pub person_times: u64,
    /// Recoveries (追缴): the amount.
    pub recovered: Money,
    /// Recoveries: how many.
    pub recoveries: u64,
    /// Findings: defects of recorded payments.
    pub findings: u64,
    /// The campaigns counted in no category, each a line of its own (inside `spent` and
    /// `person_times`, outside `spending`), in source then campaign order. Absent from JSON
    /// when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub campaigns: Vec<CampaignSpend>,
    /// Temporary aid (临时救助) to workers who are not filed: the amount, inside the living
    /// aid of `spending` and `spent`. Absent from JSON when zero.
    #[serde(skip_serializing_if = "no_money")]
    pub temporary: Money,
    /// Temporary aid: the person-times, inside `person_times`. Absent from JSON when zero.
    #[serde(skip_serializing_if = "is_zero")]
    pub temporary_person_times: u64,
}

/// Whether an amount is zero (for `skip_serializing_if`).
fn no_money(m: &Money) -> bool {
    m.is_zero()
}

/// Whether a count is zero (for `skip_serializing_if`).
fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// One record of the year, as a roll-up counts it.
///
/// # Example
/// See [`UnitFigures`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// A case file, with its tier and category, and whether it is active at the year's end.
    File {
        /// The archive tier.
        tier: ArchiveTier,
        /// The hardship category.
        category: HardshipCategory,
        /// Whether it is payable on the last day of the year.
        active: bool,
    },
    /// A payment standing.
    Payment {
        /// The source.
        source: FundSource,
        /// The category.
        category: AidCategory,
        /// The amount.
        amount: Money,
    },
    /// A payment standing of a campaign counted in no category (female-worker care, a
    /// campaign the policy adds): on its campaign's own line.
    ///
    /// ```
    /// use bangfu_core::{AidCategory, AidKind, Money};
    /// use bangfu_funding::FundSource;
    /// use bangfu_year::rollup::{CampaignRef, Record, UnitFigures};
    /// let care = CampaignRef { kind: AidKind::FemaleWorkerCare, campaign: None,
    ///     zh: "女职工关爱行动".into(), en: "female-worker care".into() };
    /// let mut f = UnitFigures::default();
    /// f.add(&Record::CampaignPayment { source: FundSource::ProvincialUnionFunds, campaign: care, amount: Money::from_yuan(500)? })?;
    /// assert_eq!((f.spent, f.person_times, f.campaigns.len()), (Money::from_yuan(500)?, 1, 1));
    /// assert_eq!(f.category(AidCategory::Living)?, (Money::ZERO, 0)); // never living aid
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    CampaignPayment {
        /// The source.
        source: FundSource,
        /// The campaign.
        campaign: CampaignRef,
        /// The amount.
        amount: Money,
    },
    /// A temporary-aid payment standing (临时救助, living aid of kind `temporary`): counted
    /// in living aid and apart.
    TemporaryPayment {
        /// The source.
        source: FundSource,
        /// The amount.
        amount: Money,
    },
    /// A recovery standing.
    Recovery {
        /// The amount.
        amount: Money,
    },
    /// A finding (a defect of a recorded payment).
    Finding,
}

/// `a + b` for counts, or the overflow error.
fn count_add(a: u64, b: u64) -> Result<u64, CoreError> {
    a.checked_add(b)
        .ok_or(CoreError::Overflow { operation: "add" })
}

impl UnitFigures {
    /// Counts one record.
    ///
    /// # Errors
    /// `core.money.overflow` when a sum does not fit.
    pub fn add(&mut self, record: &Record) -> Result<(), CoreError> {
        match record {
            Record::File {
                tier,
                category,
                active,
            } => {
                let (tier, category, active) = (*tier, *category, *active);
                self.files = count_add(self.files, 1)?;
                if active {
                    self.active = count_add(self.active, 1)?;
                    let t = self.active_by_tier.entry(tier).or_insert(0);
                    *t = count_add(*t, 1)?;
                    let c = self.active_by_category.entry(category).or_insert(0);
                    *c = count_add(*c, 1)?;
                }
            }
            Record::Payment {
                source,
                category,
                amount,
            } => self.add_spending(&SpendLine {
                source: *source,
                category: *category,
                amount: *amount,
                person_times: 1,
            })?,
            Record::CampaignPayment {
                source,
                campaign,
                amount,
            } => self.add_campaign(&CampaignSpend {
                source: *source,
                campaign: campaign.clone(),
                amount: *amount,
                person_times: 1,
            })?,
            Record::TemporaryPayment { source, amount } => {
                self.add_spending(&SpendLine {
                    source: *source,
                    category: AidCategory::Living,
                    amount: *amount,
                    person_times: 1,
                })?;
                self.temporary = self.temporary.checked_add(*amount)?;
                self.temporary_person_times = count_add(self.temporary_person_times, 1)?;
            }
            Record::Recovery { amount } => {
                self.recovered = self.recovered.checked_add(*amount)?;
                self.recoveries = count_add(self.recoveries, 1)?;
            }
            Record::Finding => self.findings = count_add(self.findings, 1)?,
        }
        Ok(())
    }

    fn add_campaign(&mut self, line: &CampaignSpend) -> Result<(), CoreError> {
        let key = (line.source, &line.campaign);
        match self
            .campaigns
            .binary_search_by(|l| (l.source, &l.campaign).cmp(&key))
        {
            Ok(i) => {
                if let Some(l) = self.campaigns.get_mut(i) {
                    l.amount = l.amount.checked_add(line.amount)?;
                    l.person_times = count_add(l.person_times, line.person_times)?;
                }
            }
            Err(i) => self.campaigns.insert(i, line.clone()),
        }
        self.spent = self.spent.checked_add(line.amount)?;
        self.person_times = count_add(self.person_times, line.person_times)?;
        Ok(())
    }

    fn add_spending(&mut self, line: &SpendLine) -> Result<(), CoreError> {
        let key = (line.source, line.category);
        match self
            .spending
            .binary_search_by_key(&key, |l| (l.source, l.category))
        {
            Ok(i) => {
                if let Some(l) = self.spending.get_mut(i) {
                    l.amount = l.amount.checked_add(line.amount)?;
                    l.person_times = count_add(l.person_times, line.person_times)?;
                }
            }
            Err(i) => self.spending.insert(i, *line),
        }
        self.spent = self.spent.checked_add(line.amount)?;
        self.person_times = count_add(self.person_times, line.person_times)?;
        Ok(())
    }

    /// These figures and `other`'s together.
    ///
    /// # Errors
    /// `core.money.overflow` when a sum does not fit.
    ///
    /// # Example
    /// ```
    /// use bangfu_year::rollup::{Record, UnitFigures};
    /// let mut a = UnitFigures::default();
    /// a.add(&Record::Finding)?;
    /// let both = a.checked_add(&a)?;
    /// assert_eq!(both.findings, 2);
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn checked_add(&self, other: &UnitFigures) -> Result<UnitFigures, CoreError> {
        let mut out = self.clone();
        out.files = count_add(out.files, other.files)?;
        out.active = count_add(out.active, other.active)?;
        for (t, n) in &other.active_by_tier {
            let e = out.active_by_tier.entry(*t).or_insert(0);
            *e = count_add(*e, *n)?;
        }
        for (c, n) in &other.active_by_category {
            let e = out.active_by_category.entry(*c).or_insert(0);
            *e = count_add(*e, *n)?;
        }
        for l in &other.spending {
            out.add_spending(l)?;
        }
        for l in &other.campaigns {
            out.add_campaign(l)?;
        }
        out.recovered = out.recovered.checked_add(other.recovered)?;
        out.recoveries = count_add(out.recoveries, other.recoveries)?;
        out.findings = count_add(out.findings, other.findings)?;
        out.temporary = out.temporary.checked_add(other.temporary)?;
        out.temporary_person_times =
            count_add(out.temporary_person_times, other.temporary_person_times)?;
        Ok(out)
    }

    /// The spending of one category over all sources: amount and person-times.
    ///
    /// # Errors
    /// `core.money.overflow`.
    pub fn category(&self, category: AidCategory) -> Result<(Money, u64), CoreError> {
        let mut amount = Money::ZERO;
        let mut n = 0u64;
        for l in self.spending.iter().filter(|l| l.category == category) {
            amount = amount.checked_add(l.amount)?;
            n = count_add(n, l.person_times)?;
        }
        Ok((amount, n))
    }
}

/// The unit a payment is attributed to: its household's (`worker.union_unit`), or the
/// payment's own `unit` when the household is not filed in the year.
fn payment_unit(year: &ProgrammeYear, d: &bangfu_funding::Disbursement) -> Option<UnitId> {
    year.household(&d.household)
        .map(|h| h.worker.union_unit.clone())
        .or_else(|| d.unit.clone())
}

/// The campaign of a payment on a line of its own: its kind, its id, its name from the
/// policy (else its id's or its kind's).
fn campaign_ref(year: &ProgrammeYear, d: &bangfu_funding::Disbursement) -> CampaignRef {
    use bangfu_core::Labelled;
    let named = d.campaign.as_ref().and_then(|id| {
        year.policy()
            .campaigns
            .iter()
            .find(|c| c.id.as_ref() == Some(id))
    });
    let (zh, en) = match (named, &d.campaign) {
        (Some(c), _) => (c.name_zh.clone(), c.name_en.clone()),
        (None, Some(id)) => (id.to_string(), id.to_string()),
        (None, None) => (d.kind.zh().to_owned(), d.kind.en().to_owned()),
    };
    CampaignRef {
        kind: d.kind,
        campaign: d.campaign.clone(),
        zh,
        en,
    }
}

/// The unit of the payment a defect names (`None` when it names none of the ledger's).
fn defect_unit(year: &ProgrammeYear, defect: &crate::Defect) -> Option<UnitId> {
    let id = PostingId::new(&defect.posting).ok()?;
    match year.ledger().posted(&id) {
        Some((Posting::Disbursement(d), _)) => payment_unit(year, d),
        _ => None,
    }
}

/// The records of `year`, each with the unit it is attributed to (`None`: none known), as
/// the module's table says.
///
/// # Errors
/// Never for a year built through the path (ids it accepted are valid).
///
/// # Example
/// ```
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let records = bangfu_year::rollup::records(&year);
/// assert!(records.iter().all(|(unit, _)| unit.is_some()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn records(year: &ProgrammeYear) -> Vec<(Option<UnitId>, Record)> {
    let end = year.ledger().year().period().end();
    let mut out = Vec::new();
    for f in year.registry().files() {
        let Some((category, tier)) = f.proposal() else {
            continue;
        };
        out.push((
            Some(f.household().worker.union_unit.clone()),
            Record::File {
                tier,
                category,
                active: f.is_payable_on(end),
            },
        ));
    }
    let ledger = year.ledger();
    for p in ledger.postings() {
        let standing = ledger.reversal_of(p.id()).is_none();
        match p {
            Posting::Disbursement(d) if standing => {
                let own_line = d.campaign.is_some()
                    || bangfu_funding::counted_in(d.kind, d.category).is_none();
                let payment = if own_line {
                    Record::CampaignPayment {
                        source: d.source,
                        campaign: campaign_ref(year, d),
                        amount: d.amount,
                    }
                } else if d.kind == AidKind::Temporary {
                    Record::TemporaryPayment {
                        source: d.source,
                        amount: d.amount,
                    }
                } else {
                    Record::Payment {
                        source: d.source,
                        category: d.category,
                        amount: d.amount,
                    }
                };
                out.push((payment_unit(year, d), payment));
            }
            Posting::Income(i) if standing && i.kind == IncomeKind::Recovery => {
                let unit = i
                    .household
                    .as_ref()
                    .and_then(|h| year.household(h))
                    .map(|h| h.worker.union_unit.clone());
                out.push((unit, Record::Recovery { amount: i.amount }));
            }
            _ => {}
        }
    }
    for d in year.payments().defects {
        out.push((defect_unit(year, &d), Record::Finding));
    }
    out
}

/// A part of the entity (组织范围): a unit's subtree, less the subtrees of `except`.
///
/// # Example
/// ```
/// use bangfu_year::rollup::Scope;
/// let tree = bangfu_year::tree::UnitTree::from_toml("[[unit]]\nid = \"c\"\n[[unit]]\nid = \"r\"\nparent = \"c\"\n[[unit]]\nid = \"o\"\nparent = \"c\"\n")?;
/// let own = Scope { unit: "c".parse()?, except: vec!["r".parse()?] };
/// assert!(own.covers(&tree, &"o".parse()?));
/// assert!(!own.covers(&tree, &"r".parse()?));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Scope {
    /// The unit whose subtree the part is.
    pub unit: UnitId,
    /// The subtrees left out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub except: Vec<UnitId>,
}

impl Scope {
    /// Whether the part holds `unit`.
    pub fn covers(&self, tree: &UnitTree, unit: &UnitId) -> bool {
        tree.covers(&self.unit, unit) && !self.except.iter().any(|e| tree.covers(e, unit))
    }

    /// `Ok` when every unit the scope names is in the tree.
    ///
    /// # Errors
    /// `tree.unknown_unit`.
    pub fn check(&self, tree: &UnitTree) -> Result<(), crate::tree::TreeError> {
        tree.check(&self.unit)?;
        self.except.iter().try_for_each(|e| tree.check(e))
    }

    /// The part's name in `lang`: the unit's, less the units left out.
    pub fn name(&self, tree: &UnitTree, lang: Lang) -> String {
        let mut name = tree.name(&self.unit, lang);
        if !self.except.is_empty() {
            let less: Vec<String> = self.except.iter().map(|e| tree.name(e, lang)).collect();
            let sep = if lang == Lang::Zh { "、" } else { ", " };
            let word = if lang == Lang::Zh {
                "（不含"
            } else {
                " (without "
            };
            let close = if lang == Lang::Zh { "）" } else { ")" };
            name = format!("{name}{word}{}{close}", less.join(sep));
        }
        name
    }
}

/// The figures of the records `scope` holds.
///
/// # Errors
/// `core.money.overflow`.
///
/// # Example
/// ```
/// use bangfu_year::rollup::{figures_of, records, Scope};
/// use bangfu_year::tree::UnitTree;
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let tree = UnitTree::from_toml(bangfu_data::hainan2018::UNITS_TOML)?;
/// let group = figures_of(&tree, &records(&year), &Scope { unit: "hainan-reclamation".parse()?, except: vec![] })?;
/// assert_eq!(group.active, 680);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn figures_of(
    tree: &UnitTree,
    records: &[(Option<UnitId>, Record)],
    scope: &Scope,
) -> Result<UnitFigures, CoreError> {
    let mut out = UnitFigures::default();
    for (unit, record) in records {
        if unit.as_ref().is_some_and(|u| scope.covers(tree, u)) {
            out.add(record)?;
        }
    }
    Ok(out)
}

/// The figures of every record together.
///
/// # Errors
/// `core.money.overflow`.
pub fn whole(records: &[(Option<UnitId>, Record)]) -> Result<UnitFigures, CoreError> {
    let mut out = UnitFigures::default();
    for (_, record) in records {
        out.add(record)?;
    }
    Ok(out)
}

/// One node of a roll-up: its own records and its subtree's total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NodeFigures {
    /// The unit.
    pub unit: UnitId,
    /// The records attributed to the unit itself.
    pub own: UnitFigures,
    /// The unit's own records and every unit's below it.
    pub total: UnitFigures,
}

/// The roll-up of a year's records over a tree (组织汇总表): every node's own figures and
/// total, in the tree's order, and what no unit of the tree holds.
///
/// # Example
/// ```
/// use bangfu_year::rollup::{records, Rollup};
/// use bangfu_year::tree::UnitTree;
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let tree = UnitTree::from_toml(bangfu_data::hainan2018::UNITS_TOML)?;
/// let r = Rollup::new(&tree, &records(&year))?;
/// assert_eq!(r.node(&"center".parse()?).unwrap().total.active, 966);
/// assert_eq!(r.outside.person_times, 0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rollup {
    /// The nodes, in the tree's order.
    pub nodes: Vec<NodeFigures>,
    /// The records of no unit of the tree (or of no unit).
    pub outside: UnitFigures,
}

impl Rollup {
    /// Rolls `records` up `tree`: each record counts in its unit's own figures and in the
    /// total of its unit and of every unit above it.
    ///
    /// # Errors
    /// `core.money.overflow`.
    pub fn new(tree: &UnitTree, records: &[(Option<UnitId>, Record)]) -> Result<Rollup, CoreError> {
        let mut own: BTreeMap<&UnitId, UnitFigures> = BTreeMap::new();
        let mut total: BTreeMap<&UnitId, UnitFigures> = BTreeMap::new();
        let mut outside = UnitFigures::default();
        for (unit, record) in records {
            match unit.as_ref().filter(|u| tree.contains(u)) {
                Some(u) => {
                    own.entry(u).or_default().add(record)?;
                    for a in tree.ancestors(u) {
                        total.entry(a).or_default().add(record)?;
                    }
                }
                None => outside.add(record)?,
            }
        }
        let nodes = tree
            .units()
            .iter()
            .map(|u| NodeFigures {
                unit: u.id.clone(),
                own: own.remove(&u.id).unwrap_or_default(),
                total: total.remove(&u.id).unwrap_or_default(),
            })
            .collect();
        Ok(Rollup { nodes, outside })
    }

    /// The node of `unit`.
    pub fn node(&self, unit: &UnitId) -> Option<&NodeFigures> {
        self.nodes.iter().find(|n| &n.unit == unit)
    }
}

/// One unit below a part, with the figures of its subtree inside the part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartUnit {
    /// The unit.
    pub unit: UnitId,
    /// Its level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<crate::tree::UnitLevel>,
    /// Its name in Chinese.
    pub zh: String,
    /// Its name in English.
    pub en: String,
    /// Its subtree's figures (the part's exceptions left out).
    pub figures: UnitFigures,
}

/// The statement of a part of the entity (组织范围收支情况): the part's files, spending by
/// source and category, person-times, recoveries and findings, the units directly below
/// it, and the whole entity's figures beside them. Income is the entity's (allocations are
/// not made to units) and is not shared out.
///
/// # Example
/// ```
/// use bangfu_year::rollup::{PartStatement, Scope};
/// use bangfu_year::tree::UnitTree;
/// let year = bangfu_data::hainan2018::programme_year()?;
/// let tree = UnitTree::from_toml(bangfu_data::hainan2018::UNITS_TOML)?;
/// let own = Scope { unit: "center".parse()?, except: vec!["hainan-reclamation".parse()?] };
/// let part = PartStatement::new(&year, &tree, &own)?;
/// assert_eq!(part.figures.active, 286);
/// assert!(part.render_text(bangfu_core::Lang::En).contains("without Hainan Agricultural Reclamation group union"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartStatement {
    /// The year.
    pub year: bangfu_core::Year,
    /// The part.
    pub scope: Scope,
    /// The part's name in Chinese.
    pub zh: String,
    /// The part's name in English.
    pub en: String,
    /// The part's figures.
    pub figures: UnitFigures,
    /// The records of the part's own unit (not of a unit below it).
    pub own: UnitFigures,
    /// The units directly below the part's unit, less those left out.
    pub units: Vec<PartUnit>,
    /// The whole entity's figures (every record of the year).
    pub whole: UnitFigures,
    /// The findings of the part's payments.
    pub findings: Vec<crate::Defect>,
}

/// The errors of a part's statement.
fn part_error(e: CoreError) -> crate::tree::TreeError {
    crate::tree::TreeError::Core(e)
}

impl PartStatement {
    /// The statement of `scope` in `year`.
    ///
    /// # Errors
    /// `tree.unknown_unit` for a unit of the scope the tree does not have;
    /// `core.money.overflow`.
    pub fn new(
        year: &ProgrammeYear,
        tree: &UnitTree,
        scope: &Scope,
    ) -> Result<PartStatement, crate::tree::TreeError> {
        scope.check(tree)?;
        let records = records(year);
        let figures = figures_of(tree, &records, scope).map_err(part_error)?;
        let mut own = UnitFigures::default();
        for (unit, record) in &records {
            if unit.as_ref() == Some(&scope.unit) {
                own.add(record).map_err(part_error)?;
            }
        }
        let mut units = Vec::new();
        for child in tree.children(&scope.unit) {
            if scope.except.contains(child) {
                continue;
            }
            let sub = Scope {
                unit: child.clone(),
                except: scope.except.clone(),
            };
            units.push(PartUnit {
                unit: child.clone(),
                level: tree.get(child).and_then(|u| u.level),
                zh: tree.name(child, Lang::Zh),
                en: tree.name(child, Lang::En),
                figures: figures_of(tree, &records, &sub).map_err(part_error)?,
            });
        }
        let findings = year
            .payments()
            .defects
            .into_iter()
            .filter(|d| defect_unit(year, d).is_some_and(|u| scope.covers(tree, &u)))
            .collect();
        Ok(PartStatement {
            year: year.ledger().year(),
            scope: scope.clone(),
            zh: scope.name(tree, Lang::Zh),
            en: scope.name(tree, Lang::En),
            figures,
            own,
            units,
            whole: whole(&records).map_err(part_error)?,
            findings,
        })
    }

    /// The statement as Markdown in `lang` (yuan).
    pub fn render_text(&self, lang: Lang) -> String {
        use bangfu_core::Labelled;
        use std::fmt::Write;
        let zh = lang == Lang::Zh;
        let t = |z: &'static str, e: &'static str| if zh { z } else { e };
        let name = if zh { &self.zh } else { &self.en };
        let f = &self.figures;
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{}\n",
            if zh {
                format!("# {}年度帮扶资金支出情况：{name}（单位：元）", self.year)
            } else {
                format!("# Aid spending, {}: {name} (unit: yuan)", self.year)
            }
        );
        let _ = writeln!(
            out,
            "{}: {} · {}: {} / {} · {}: {}\n",
            t("建档", "Files"),
            f.files,
            t("年末在档", "Active at year end"),
            f.active,
            self.whole.active,
            t("人次", "Person-times"),
            f.person_times,
        );
        let by_tier: Vec<String> = f
            .active_by_tier
            .iter()
            .map(|(k, n)| format!("{} {n}", k.label(lang)))
            .collect();
        let by_cat: Vec<String> = f
            .active_by_category
            .iter()
            .map(|(k, n)| format!("{} {n}", k.label(lang)))
            .collect();
        let _ = writeln!(
            out,
            "{}: {}\n\n{}: {}\n",
            t("在档（按档案级别）", "Active by tier"),
            by_tier.join(" · "),
            t("在档（按困难类别）", "Active by category"),
            by_cat.join(" · "),
        );
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |\n|---|---|---|---|",
            t("资金来源", "Source"),
            t("救助类别", "Category"),
            t("支出", "Spent"),
            t("人次", "Person-times"),
        );
        for l in &f.spending {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                l.source.label(lang),
                l.category.label(lang),
                l.amount,
                l.person_times
            );
        }
        for c in &f.campaigns {
            let name = if zh { &c.campaign.zh } else { &c.campaign.en };
            let _ = writeln!(
                out,
                "| {} | {name}{} | {} | {} |",
                c.source.label(lang),
                t("（单列）", " (a line of its own)"),
                c.amount,
                c.person_times
            );
        }
        let _ = writeln!(
            out,
            "| {} | | {} | {} |\n",
            t("合计", "Total"),
            f.spent,
            f.person_times
        );
        if f.temporary_person_times > 0 {
            let _ = writeln!(
                out,
                "{}: {} · {}: {}\n",
                t(
                    "其中临时救助（含在生活救助中，未建档职工）",
                    "Of which temporary aid (inside living aid, workers not filed)"
                ),
                f.temporary,
                t("人次", "person-times"),
                f.temporary_person_times,
            );
        }
        let _ = writeln!(
            out,
            "{}: {} / {} · {}: {} ({}) · {}: {}\n",
            t("支出占全部", "Spent of the whole"),
            f.spent,
            self.whole.spent,
            t("追缴", "Recovered"),
            f.recovered,
            f.recoveries,
            t("问题", "Findings"),
            f.findings,
        );
        if !self.units.is_empty() {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} |\n|---|---|---|---|---|---|",
                t("下级组织", "Unit below"),
                t("层级", "Level"),
                t("年末在档", "Active"),
                t("支出", "Spent"),
                t("人次", "Person-times"),
                t("问题", "Findings"),
            );
            let rows = self.units.iter().map(|u| {
                (
                    if zh { u.zh.as_str() } else { u.en.as_str() },
                    u.level.map_or("", |l| l.label(lang)),
                    &u.figures,
                )
            });
            let own_row = (!self.own.eq(&UnitFigures::default()))
                .then(|| (t("本级", "The unit itself"), "", &self.own));
            for (n, level, g) in rows.chain(own_row) {
                let _ = writeln!(
                    out,
                    "| {n} | {level} | {} | {} | {} | {} |",
                    g.active, g.spent, g.person_times, g.findings
                );
            }
            out.push('\n');
        }
        out
    }
}
