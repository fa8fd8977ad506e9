//! The national year (全国年度), for issue 15's scale runs: about 5.5 million filed households
//! (the national system's 2020 peak) in a union tree of the 31 provincial federations and
//! their aid centers, written as a year directory line by line without holding the year in
//! memory.
//!
//! The year is laid from copies of a base year ([`crate::generate`] on a configuration, by
//! default Hainan 2018's): `variants` base years are generated, each from its own seed drawn
//! from the national seed, and copy `k` is variant `k mod variants` with every id tagged
//! ([`crate::tile::Tag`]: `p<province>c<copy>-…`, ID numbers in the province's region code).
//! Each copy is one aid center under its province, with the base year's units beneath it.
//! Every file is written in date order, the copies' records of one day together, so the
//! ledger's balances and earmarks hold at every posting as they hold in each copy.
//!
//! Every variant meets the same targets (the configuration's per-source and per-category
//! amounts, person-times and income), so the national year's figures are the base year's
//! times the copies: spent, income, person-times, the execution rate. What differs between
//! variants is who gets what: household sizes, incomes, amounts, dates.

use std::io::Write;
use std::path::Path;

use bangfu_core::{SplitMix64, UnitId};
use bangfu_funding::Budget;
use bangfu_year::Policy;
use bangfu_year::tree::{Unit, UnitLevel, UnitTree};

use crate::tile::{Days, Tag, by_day};
use crate::{Dataset, GenerateError, GeneratorConfig, generate};

/// The 31 provincial-level unions (省级工会): region code, id, Chinese name.
pub const PROVINCES: [(u8, &str, &str); 31] = [
    (11, "beijing", "北京市总工会"),
    (12, "tianjin", "天津市总工会"),
    (13, "hebei", "河北省总工会"),
    (14, "shanxi", "山西省总工会"),
    (15, "inner-mongolia", "内蒙古自治区总工会"),
    (21, "liaoning", "辽宁省总工会"),
    (22, "jilin", "吉林省总工会"),
    (23, "heilongjiang", "黑龙江省总工会"),
    (31, "shanghai", "上海市总工会"),
    (32, "jiangsu", "江苏省总工会"),
    (33, "zhejiang", "浙江省总工会"),
    (34, "anhui", "安徽省总工会"),
    (35, "fujian", "福建省总工会"),
    (36, "jiangxi", "江西省总工会"),
    (37, "shandong", "山东省总工会"),
    (41, "henan", "河南省总工会"),
    (42, "hubei", "湖北省总工会"),
    (43, "hunan", "湖南省总工会"),
    (44, "guangdong", "广东省总工会"),
    (45, "guangxi", "广西壮族自治区总工会"),
    (46, "hainan", "海南省总工会"),
    (50, "chongqing", "重庆市总工会"),
    (51, "sichuan", "四川省总工会"),
    (52, "guizhou", "贵州省总工会"),
    (53, "yunnan", "云南省总工会"),
    (54, "tibet", "西藏自治区总工会"),
    (61, "shaanxi", "陕西省总工会"),
    (62, "gansu", "甘肃省总工会"),
    (63, "qinghai", "青海省总工会"),
    (64, "ningxia", "宁夏回族自治区总工会"),
    (65, "xinjiang", "新疆维吾尔自治区总工会"),
];

/// The most copies one province takes (its copies' region codes are `PP0000`–`PP9999`).
pub const COPIES_PER_PROVINCE: u32 = 10_000;

/// What the national year is made of.
///
/// ```
/// let c = bangfu_datagen::national::NationalConfig::new(2020, 5_500_000);
/// assert_eq!(c.variants, 8);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NationalConfig {
    /// The national seed: the variants' seeds are drawn from it.
    pub seed: u64,
    /// How many filed households at least (the copies are whole base years).
    pub households: u64,
    /// How many distinct base years are generated and copied in turn.
    pub variants: u32,
}

impl NationalConfig {
    /// `households` from `seed`, with eight variants.
    pub fn new(seed: u64, households: u64) -> NationalConfig {
        NationalConfig {
            seed,
            households,
            variants: 8,
        }
    }
}

/// The base a national year is laid from: the generator's configuration and policy, the
/// budget of one copy when the configuration has no `[budget]`, and the texts of the files
/// copied as they are.
#[derive(Debug, Clone)]
pub struct Base<'a> {
    /// The base year's generator configuration.
    pub config: &'a GeneratorConfig,
    /// The policy (also written as `policy.toml`).
    pub policy: &'a Policy,
    /// The text of `policy.toml`.
    pub policy_toml: &'a str,
    /// One copy's budget, when the configuration has no `[budget]` section.
    pub budget: Option<&'a Budget>,
    /// One copy's union tree (its root is the copy's aid center).
    pub units: &'a UnitTree,
    /// Files copied unchanged: `stated.toml`, `judgements.toml`, `report.toml`.
    pub texts: Vec<(&'static str, &'a str)>,
}

/// The files Hainan 2018 copies unchanged into a national year ([`Base::texts`]).
///
/// ```
/// assert_eq!(bangfu_datagen::national::hainan_texts().len(), 3);
/// ```
pub fn hainan_texts() -> Vec<(&'static str, &'static str)> {
    use bangfu_data::hainan2018 as hn;
    vec![
        ("stated.toml", hn::STATED_TOML),
        ("judgements.toml", hn::JUDGEMENTS_TOML),
        ("report.toml", hn::REPORT_TOML),
    ]
}

/// Hainan 2018's generator configuration, policy, budget and union tree: what
/// [`Base`] borrows for the default national year.
///
/// ```
/// let (config, policy, budget, units) = bangfu_datagen::national::hainan()?;
/// assert_eq!(units.units().len(), 8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn hainan() -> Result<(GeneratorConfig, Policy, Budget, UnitTree), GenerateError> {
    use bangfu_data::hainan2018 as hn;
    let bad = |what: &str, e: &dyn std::fmt::Display| {
        GenerateError::Infeasible(format!("the embedded Hainan {what}: {e}"))
    };
    let config =
        GeneratorConfig::from_toml(hn::GENERATOR_TOML).map_err(|e| bad("configuration", &e))?;
    let policy = hn::policy().map_err(|e| bad("policy", &e))?;
    let budget = hn::budget().map_err(|e| bad("budget", &e))?;
    let units = UnitTree::from_toml(hn::UNITS_TOML).map_err(|e| bad("units", &e))?;
    Ok((config, policy, budget, units))
}

/// Where one copy sits: its province and its number there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    province: usize,
    index: u32,
}

/// The copies of a national year, province by province: `copies / 31` each, the first
/// `copies % 31` provinces one more.
fn places(copies: u32) -> Vec<Place> {
    let n = PROVINCES.len() as u32;
    let mut out = Vec::with_capacity(copies as usize);
    for p in 0..n {
        let here = copies / n + u32::from(p < copies % n);
        out.extend((0..here).map(|index| Place {
            province: p as usize,
            index,
        }));
    }
    out
}

/// What [`write()`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// Copies of the base year.
    pub copies: u32,
    /// Filed households (withdrawn ones included).
    pub households: u64,
    /// Records of the JSON Lines files.
    pub records: u64,
    /// Bytes written.
    pub bytes: u64,
}

/// How many copies make at least `households` households of a base year with `per_copy`.
fn copies_for(households: u64, per_copy: u64) -> Result<u32, GenerateError> {
    if per_copy == 0 {
        return Err(GenerateError::Infeasible(
            "the base year has no household".into(),
        ));
    }
    let copies = households.div_ceil(per_copy).max(1);
    let most = u64::from(COPIES_PER_PROVINCE) * PROVINCES.len() as u64;
    if copies > most {
        return Err(GenerateError::Infeasible(format!(
            "{copies} copies of the base year: at most {most} (10,000 per province)"
        )));
    }
    Ok(copies as u32)
}

/// The tag of a copy: `p<code>c<index>-` and region `<code><index:04>`.
fn tag(place: Place) -> Result<Tag, GenerateError> {
    let (code, _, _) = PROVINCES
        .get(place.province)
        .copied()
        .ok_or_else(|| GenerateError::Infeasible("no such province".into()))?;
    Tag::new(
        &format!("p{code}c{:04}-", place.index),
        &format!("{code}{:04}", place.index),
    )
}

/// The national tree: the national federation, its 31 provinces, each copy's tree under its
/// province.
fn tree(units: &UnitTree, places: &[Place]) -> Result<Vec<Unit>, GenerateError> {
    let id = |s: &str| -> Result<UnitId, GenerateError> { Ok(s.parse()?) };
    let root = id("acftu")?;
    let mut out = vec![Unit {
        id: root.clone(),
        parent: None,
        level: Some(UnitLevel::Center),
        zh: Some("中华全国总工会".into()),
        en: Some("All-China Federation of Trade Unions".into()),
    }];
    for (code, name, zh) in PROVINCES {
        out.push(Unit {
            id: id(&format!("p{code}"))?,
            parent: Some(root.clone()),
            level: Some(UnitLevel::Center),
            zh: Some(zh.into()),
            en: Some(format!("{name} federation of trade unions")),
        });
    }
    for &place in places {
        let t = tag(place)?;
        let code = PROVINCES.get(place.province).map_or(0, |p| p.0);
        let province = id(&format!("p{code}"))?;
        for u in units.units() {
            out.push(t.unit(u, &province)?);
        }
    }
    Ok(out)
}

/// One file's lines, day by day, copy by copy within a day.
fn write_file<T: serde::Serialize>(
    out: &mut impl Write,
    variants: &[Days<'_, T>],
    tags: &[(Tag, usize)],
    copy: impl Fn(&Tag, &T) -> Result<T, GenerateError>,
    written: &mut Written,
    progress: &mut dyn FnMut(u64),
) -> Result<(), GenerateError> {
    let mut dates: Vec<_> = variants.iter().flat_map(|d| d.keys().copied()).collect();
    dates.sort_unstable();
    dates.dedup();
    let mut line = Vec::with_capacity(4096);
    for date in dates {
        for (tag, v) in tags {
            let Some(records) = variants.get(*v).and_then(|d| d.get(&date)) else {
                continue;
            };
            for r in records {
                line.clear();
                serde_json::to_writer(&mut line, &copy(tag, r)?).map_err(io)?;
                line.push(b'\n');
                out.write_all(&line).map_err(io)?;
                written.records += 1;
                written.bytes += line.len() as u64;
            }
            progress(records.len() as u64);
        }
    }
    Ok(())
}

fn io(e: impl std::fmt::Display) -> GenerateError {
    GenerateError::Infeasible(format!("writing the national year: {e}"))
}

/// How many records one copy of `d` writes (times the copies: the progress bar's length).
///
/// ```
/// let (config, policy, _, _) = bangfu_datagen::national::hainan()?;
/// let d = bangfu_datagen::generate(&config, &policy)?;
/// assert!(bangfu_datagen::national::records_per_copy(&d) > 10_000);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn records_per_copy(d: &Dataset) -> u64 {
    (d.households.len()
        + d.applicants.len()
        + d.case_events.len()
        + d.claims.len()
        + d.postings.len()
        + d.survey.len()) as u64
}

/// The variants of the base year, each generated from its own seed drawn from the
/// national seed.
///
/// ```no_run
/// let (config, policy, _, _) = bangfu_datagen::national::hainan()?;
/// let c = bangfu_datagen::national::NationalConfig::new(2020, 100_000);
/// let v = bangfu_datagen::national::variants(&c, &config, &policy)?;
/// assert_eq!(v.len(), 8);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn variants(
    national: &NationalConfig,
    config: &GeneratorConfig,
    policy: &Policy,
) -> Result<Vec<Dataset>, GenerateError> {
    let mut seeds = SplitMix64::new(national.seed);
    (0..national.variants.max(1))
        .map(|_| {
            let mut c = config.clone();
            c.seed = seeds.next_u64();
            generate(&c, policy)
        })
        .collect()
}

/// Writes the national year into `dir` (which must exist): the base year's variants copied
/// until there are at least `national.households` households, every file in date order,
/// line by line. `progress` is told how many records were written since its last call.
///
/// # Example
/// ```no_run
/// use bangfu_datagen::national::{Base, NationalConfig, hainan, variants, write};
/// let (config, policy, budget, units) = hainan()?;
/// let base = Base {
///     config: &config,
///     policy: &policy,
///     policy_toml: bangfu_data::hainan2018::POLICY_TOML,
///     budget: Some(&budget),
///     units: &units,
///     texts: bangfu_datagen::national::hainan_texts(),
/// };
/// let national = NationalConfig::new(2020, 5_500_000);
/// let v = variants(&national, &config, &policy)?;
/// let written = write(&national, &base, &v, std::path::Path::new("/tmp/national"), &mut |_| {})?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn write(
    national: &NationalConfig,
    base: &Base<'_>,
    variants: &[Dataset],
    dir: &Path,
    progress: &mut dyn FnMut(u64),
) -> Result<Written, GenerateError> {
    let first = variants
        .first()
        .ok_or_else(|| GenerateError::Infeasible("no variant of the base year".into()))?;
    let copies = copies_for(national.households, first.households.len() as u64)?;
    let places = places(copies);
    let tags: Vec<(Tag, usize)> = places
        .iter()
        .enumerate()
        .map(|(k, &p)| Ok((tag(p)?, k % variants.len())))
        .collect::<Result<_, GenerateError>>()?;
    let mut written = Written {
        copies,
        households: 0,
        records: 0,
        bytes: 0,
    };
    for (k, _) in tags.iter().enumerate() {
        let v = variants.get(k % variants.len()).unwrap_or(first);
        written.households += v.households.len() as u64;
    }
    let file = |name: &str| -> Result<std::io::BufWriter<std::fs::File>, GenerateError> {
        let path = dir.join(name);
        std::fs::File::create(&path)
            .map(|f| std::io::BufWriter::with_capacity(1 << 20, f))
            .map_err(|e| io(format!("{}: {e}", path.display())))
    };
    let text = |name: &str, body: &str| -> Result<(), GenerateError> {
        let mut f = file(name)?;
        f.write_all(body.as_bytes()).map_err(io)?;
        f.flush().map_err(io)
    };
    text("policy.toml", base.policy_toml)?;
    let one = match (&first.budget, base.budget) {
        (Some(b), _) | (None, Some(b)) => b.clone(),
        (None, None) => {
            return Err(GenerateError::Infeasible(
                "the base year has no budget: give one".into(),
            ));
        }
    };
    text("budget.toml", &budget_toml(&budget_times(&one, copies)?))?;
    let units = tree(base.units, &places)?;
    let tree_toml = toml::to_string(&UnitsFile { unit: units }).map_err(io)?;
    text("units.toml", &tree_toml)?;
    for (name, body) in &base.texts {
        text(name, body)?;
    }
    macro_rules! jsonl {
        ($name:expr, $field:ident, $date:expr, $copy:expr) => {{
            let days: Vec<_> = variants.iter().map(|d| by_day(&d.$field, $date)).collect();
            if days.iter().any(|d| !d.is_empty()) {
                let mut f = file($name)?;
                write_file(&mut f, &days, &tags, $copy, &mut written, progress)?;
                f.flush().map_err(io)?;
            }
        }};
    }
    jsonl!("households.jsonl", households, |r| r.applied, |t, r| t
        .household_record(r));
    jsonl!("applicants.jsonl", applicants, |r| r.applied, |t, r| t
        .applicant(r));
    jsonl!("case-events.jsonl", case_events, |r| r.date(), |t, r| t
        .case_event(r));
    jsonl!("claims.jsonl", claims, |r| r.date, |t, r| t.claim(r));
    jsonl!("ledger.jsonl", postings, |p| p.date(), |t, p| t.posting(p));
    jsonl!("survey.jsonl", survey, |r| r.date, |t, r| t.visit(r));
    Ok(written)
}

/// A budget as `budget.toml` holds it.
///
/// ```
/// let b = bangfu_data::hainan2018::budget()?;
/// let text = bangfu_datagen::national::budget_toml(&b);
/// assert_eq!(bangfu_year::input::parse_budget_toml(&text)?, b);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn budget_toml(b: &Budget) -> String {
    crate::events::budget_toml(b)
}

#[derive(serde::Serialize)]
struct UnitsFile {
    unit: Vec<Unit>,
}

/// One copy's budget times `copies`: every line and every carry-over approval.
///
/// ```
/// let b = bangfu_data::hainan2018::budget()?;
/// let three = bangfu_datagen::national::budget_times(&b, 3)?;
/// let line = |b: &bangfu_funding::Budget| b.lines.values().next().copied().unwrap();
/// assert_eq!(line(&three), line(&b).checked_mul_int(3)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn budget_times(b: &Budget, copies: u32) -> Result<Budget, GenerateError> {
    let mul = |m: bangfu_core::Money| -> Result<bangfu_core::Money, GenerateError> {
        Ok(m.checked_mul_int(copies)?)
    };
    let mut out = b.clone();
    for v in out.lines.values_mut() {
        *v = mul(*v)?;
    }
    for a in &mut out.carryover_approvals {
        a.amount = mul(a.amount)?;
    }
    Ok(out)
}
