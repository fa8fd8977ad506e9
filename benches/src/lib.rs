//! Shared helpers of the benches: the OpenFisca peer's policy, CSV reader and population
//! columns, bangfu's fast path over them, and the hand-written limit loop.
//!
//! Nothing here decides anything itself: the rules are the policy file's, applied by
//! `bangfu-eligibility`'s [`Screen`] and `bangfu-aid`'s [`Resolved`]. The hand-written loop
//! ([`limit`]) is the yardstick, and takes its integers from the same policy.

use std::io::Read;

use bangfu::Policy;
use bangfu::aid::{Calculator, DegreeCode, Resolved};
use bangfu::core::{Money, NaiveDate};
use bangfu::eligibility::{FactKind, Screen, ScreenFacts, VehicleKind};

/// Any error of the benches' helpers.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Whether the bench binary runs as `cargo bench` (criterion's measurement mode, which
/// passes `--bench`) rather than `cargo test --benches` (test mode). Large inputs are built
/// only in measurement mode, so CI's test mode stays quick.
pub fn measuring() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// The Hainan year repeated to any size, for the whole-path bench.
pub mod year_scale;

/// The OpenFisca peer: its policy as a bangfu policy file, its CSV, and the evaluation.
pub mod peer {
    use super::*;

    /// The peer's policy file (`benches/data/openfisca-peer.toml`), completed with the
    /// example jurisdiction's funding and scoring sections, which the peer has no rules for.
    pub const POLICY_TOML: &str = concat!(
        include_str!("../data/openfisca-peer.toml"),
        "\n",
        include_str!("../../crates/bangfu-funding/data/example-2020.toml"),
        "\n",
        include_str!("../../crates/bangfu-scoring/data/policy.toml"),
    );

    /// The hardship degree of the aid section (one: an eligible household).
    pub const DEGREE: &str = "eligible";

    /// The peer's period: inputs for 2025, living aid for January 2025.
    pub fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 1, 1).unwrap_or(NaiveDate::MIN)
    }

    /// The parsed and validated peer policy.
    ///
    /// # Errors
    /// Only if the embedded file were broken.
    pub fn policy() -> Result<Policy, Error> {
        Ok(Policy::from_toml(POLICY_TOML)?)
    }

    /// Per-person flag bits in [`Population::flags`] and [`HouseholdRow`].
    pub const MENTAL: u8 = 1;
    /// Physical disability.
    pub const PHYSICAL: u8 = 2;
    /// Major illness.
    pub const MAJOR: u8 = 4;
    /// Runs a business.
    pub const BUSINESS: u8 = 8;
    /// Any of the severe flags.
    pub const SEVERE: u8 = MENTAL | PHYSICAL | MAJOR;

    /// One household of the CSV, as plain integers (fen).
    #[derive(Debug, Clone, Copy)]
    pub struct HouseholdRow<'a> {
        /// Owns a vehicle.
        pub owns_vehicle: bool,
        /// Homes owned.
        pub homes: u32,
        /// Each member's out-of-pocket medical cost, fen.
        pub out_of_pocket: &'a [i64],
        /// Each member's income, fen.
        pub income: &'a [i64],
        /// Each member's flag bits.
        pub flags: &'a [u8],
    }

    /// The rules in force on the peer's date, looked up once: bangfu's fast path.
    #[derive(Debug, Clone)]
    pub struct Rules<'p> {
        screen: Screen<'p>,
        aid: Resolved,
        /// `aid.living(severe, size, None, 0)` for the sizes below [`LIVING_SIZES`], not
        /// severe and severe, computed once by `Resolved::living` itself (`None` where it
        /// is an error: the household is then evaluated by [`Rules::add`]).
        living: [[Option<Money>; 2]; LIVING_SIZES],
    }

    /// The household sizes whose living aid [`Rules`] computes once.
    pub const LIVING_SIZES: usize = 16;

    /// What a population gets: the checksum's two parts, and the eligible households.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
    pub struct Totals {
        /// Σ medical aid over persons.
        pub medical: Money,
        /// Σ living aid (one month) over households.
        pub living: Money,
        /// Households that pass the screen.
        pub eligible: u64,
        /// Households.
        pub households: u64,
    }

    impl Totals {
        /// Σ medical + Σ living, the peer's checksum.
        ///
        /// # Errors
        /// On overflow.
        pub fn checksum(&self) -> Result<Money, Error> {
            Ok(self.medical.checked_add(self.living)?)
        }
    }

    impl<'p> Rules<'p> {
        /// The peer policy's rules on [`date`].
        ///
        /// # Errors
        /// A parameter not in force, an unknown degree.
        pub fn new(policy: &'p Policy) -> Result<Rules<'p>, Error> {
            let screen = Screen::new(&policy.eligibility, date())?;
            let aid = Calculator::new(&policy.aid)?.resolve(&DegreeCode::new(DEGREE)?, date())?;
            let mut living = [[None; 2]; LIVING_SIZES];
            for (size, row) in (0u32..).zip(living.iter_mut()) {
                for (severe, cell) in [false, true].into_iter().zip(row.iter_mut()) {
                    *cell = aid.living(severe, size, None, Money::ZERO).ok();
                }
            }
            Ok(Rules {
                screen,
                aid,
                living,
            })
        }

        /// Adds one household to the totals.
        ///
        /// # Errors
        /// Bad amounts (negative), an overflow.
        #[inline]
        pub fn add(&self, h: &HouseholdRow<'_>, totals: &mut Totals) -> Result<(), Error> {
            let size = u32::try_from(h.flags.len())?;
            let mut income = 0i64;
            let mut overflow = false;
            let mut business = 0u32;
            let mut any = 0u8;
            for (&i, &f) in h.income.iter().zip(h.flags) {
                // Checked without a branch per person: any overflow on the way is flagged.
                let (sum, o) = income.overflowing_add(i);
                income = sum;
                overflow |= o;
                business += u32::from(f & BUSINESS != 0);
                any |= f;
            }
            if overflow {
                return Err("income overflow".into());
            }
            let mut facts = ScreenFacts::new(size, Money::from_fen(income)?);
            facts.set(FactKind::HomesOwned, h.homes);
            facts.set(FactKind::PersonsRunningBusiness, business);
            if h.owns_vehicle {
                facts.add_vehicle(VehicleKind::Car);
            }
            totals.households += 1;
            if !self.screen.passes(&facts)? {
                return Ok(());
            }
            totals.eligible += 1;
            let living = self
                .aid
                .living(any & SEVERE != 0, size, None, Money::ZERO)?;
            totals.living = totals.living.checked_add(living)?;
            // Each person's claim is the first of the year (an empty year to date).
            let medical = self.aid.medical_sum_fen(h.out_of_pocket)?;
            totals.medical = totals.medical.checked_add(medical)?;
            Ok(())
        }

        /// Evaluates a population held in memory: the totals of [`Rules::add`] over the
        /// households of [`Population::for_each`], or its first error.
        ///
        /// One loop over the columns with the checks of `add` taken as bounds: every
        /// income of a household below 2^56 and at most 128 members (so that its sum,
        /// taken without a check per person, cannot overflow: the OR of the incomes is
        /// compared once), the living aid of the common sizes computed once from
        /// `Resolved::living`, medical aid by `Resolved::medical_sum_fen`, the sums
        /// checked. When a bound does not hold, an error arises, or a household would be
        /// skipped by `for_each`, the population is evaluated again household by household
        /// with [`Rules::add`], which finds the error or the value.
        ///
        /// # Errors
        /// As [`Rules::add`].
        pub fn evaluate(&self, p: &Population) -> Result<Totals, Error> {
            match self.evaluate_bounded(p) {
                Some(totals) => Ok(totals),
                None => self.evaluate_each(p),
            }
        }

        /// The reference: [`Rules::add`] over every household of [`Population::for_each`].
        #[cold]
        #[inline(never)]
        fn evaluate_each(&self, p: &Population) -> Result<Totals, Error> {
            let mut totals = Totals::default();
            p.for_each(|h| self.add(h, &mut totals))?;
            Ok(totals)
        }

        /// [`Rules::evaluate`] within its bounds, or `None` (nothing of it is then used).
        pub(crate) fn evaluate_bounded(&self, p: &Population) -> Option<Totals> {
            let mut totals = Totals::default();
            let bounds = p.first.windows(2);
            for ((w, &owns_vehicle), &homes) in bounds.zip(&p.owns_vehicle).zip(&p.homes) {
                let [a, b] = w else { return None };
                let (a, b) = (*a as usize, *b as usize);
                let (Some(out_of_pocket), Some(incomes), Some(flags)) = (
                    p.out_of_pocket.get(a..b),
                    p.income.get(a..b),
                    p.flags.get(a..b),
                ) else {
                    return None;
                };
                let mut income = 0i64;
                let mut bits = 0u64;
                let mut business = 0u32;
                let mut any = 0u8;
                // Two members a turn (households are small: fewer turns, and one branch for
                // the odd member).
                let mut pairs_i = incomes.chunks_exact(2);
                let mut pairs_f = flags.chunks_exact(2);
                for (pi, pf) in pairs_i.by_ref().zip(pairs_f.by_ref()) {
                    if let ([i0, i1], [f0, f1]) = (pi, pf) {
                        income = income.wrapping_add(*i0).wrapping_add(*i1);
                        bits |= (*i0 as u64) | (*i1 as u64);
                        business += u32::from(f0 & BUSINESS) + u32::from(f1 & BUSINESS);
                        any |= f0 | f1;
                    }
                }
                for (&i, &f) in pairs_i.remainder().iter().zip(pairs_f.remainder()) {
                    // Exact within the bounds (checked once below); a negative income
                    // sets the top bit of `bits`.
                    income = income.wrapping_add(i);
                    bits |= i as u64;
                    business += u32::from(f & BUSINESS);
                    any |= f;
                }
                if bits >> 56 != 0 || flags.len() > 128 {
                    return None;
                }
                let size = flags.len() as u32;
                let mut facts = ScreenFacts::new(size, Money::from_fen(income).ok()?);
                facts.set(FactKind::HomesOwned, homes);
                facts.set(
                    FactKind::PersonsRunningBusiness,
                    business / u32::from(BUSINESS),
                );
                facts.set_vehicles(VehicleKind::Car, u32::from(owns_vehicle));
                totals.households += 1;
                if !self.screen.passes(&facts).ok()? {
                    continue;
                }
                totals.eligible += 1;
                let severe = any & SEVERE != 0;
                let living = match self
                    .living
                    .get(flags.len())
                    .and_then(|row| row.get(usize::from(severe)).copied().flatten())
                {
                    Some(l) => l,
                    None => self.aid.living(severe, size, None, Money::ZERO).ok()?,
                };
                totals.living = totals.living.checked_add(living).ok()?;
                let medical = self.aid.medical_sum_fen(out_of_pocket).ok()?;
                totals.medical = totals.medical.checked_add(medical).ok()?;
            }
            Some(totals)
        }
    }

    /// A population as columns (what OpenFisca's simulation holds after `set_input`):
    /// households by index, persons contiguous by household.
    #[derive(Debug, Clone, Default)]
    pub struct Population {
        /// Index of each household's first person; one more entry at the end.
        pub first: Vec<u32>,
        /// Per household: owns a vehicle.
        pub owns_vehicle: Vec<bool>,
        /// Per household: homes.
        pub homes: Vec<u32>,
        /// Per person: out-of-pocket cost, fen.
        pub out_of_pocket: Vec<i64>,
        /// Per person: income, fen.
        pub income: Vec<i64>,
        /// Per person: flag bits.
        pub flags: Vec<u8>,
    }

    impl Population {
        /// The number of households.
        pub fn households(&self) -> usize {
            self.owns_vehicle.len()
        }

        /// The number of persons.
        pub fn persons(&self) -> usize {
            self.flags.len()
        }

        fn push(&mut self, h: &HouseholdRow<'_>) {
            if self.first.is_empty() {
                self.first.push(0);
            }
            self.owns_vehicle.push(h.owns_vehicle);
            self.homes.push(h.homes);
            self.out_of_pocket.extend_from_slice(h.out_of_pocket);
            self.income.extend_from_slice(h.income);
            self.flags.extend_from_slice(h.flags);
            self.first
                .push(u32::try_from(self.flags.len()).unwrap_or(u32::MAX));
        }

        /// Calls `f` with each household.
        ///
        /// # Errors
        /// The first error of `f`.
        #[inline]
        pub fn for_each<E>(
            &self,
            mut f: impl FnMut(&HouseholdRow<'_>) -> Result<(), E>,
        ) -> Result<(), E> {
            let bounds = self.first.windows(2);
            for ((w, &owns_vehicle), &homes) in bounds.zip(&self.owns_vehicle).zip(&self.homes) {
                let (a, b) = match w {
                    [a, b] => (*a as usize, *b as usize),
                    _ => continue,
                };
                let (Some(out_of_pocket), Some(income), Some(flags)) = (
                    self.out_of_pocket.get(a..b),
                    self.income.get(a..b),
                    self.flags.get(a..b),
                ) else {
                    continue;
                };
                f(&HouseholdRow {
                    owns_vehicle,
                    homes,
                    out_of_pocket,
                    income,
                    flags,
                })?;
            }
            Ok(())
        }

        /// Reads the whole CSV into columns.
        ///
        /// # Errors
        /// I/O errors and malformed rows.
        pub fn from_csv(r: impl Read) -> Result<Population, Error> {
            let mut p = Population::default();
            for_each_household(r, |h| {
                p.push(h);
                Ok(())
            })?;
            Ok(p)
        }

        /// A deterministic population of `n` households in the peer's shape (1–5 persons,
        /// mean 3; 12 % own a vehicle; homes 0–3; 45 % with a medical cost; 65 % earning;
        /// a few flags), drawn with integer arithmetic only. Not the peer's numpy
        /// population: for timing and for comparing two evaluations of the same columns.
        pub fn generate(n: usize, seed: u64) -> Population {
            let mut rng = Lcg(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let mut p = Population {
                first: Vec::with_capacity(n + 1),
                ..Population::default()
            };
            let mut oop = Vec::new();
            let mut income = Vec::new();
            let mut flags = Vec::new();
            for _ in 0..n {
                let size = match rng.below(10) {
                    0 => 1,
                    1 | 2 => 2,
                    3..=6 => 3,
                    7 | 8 => 4,
                    _ => 5,
                };
                oop.clear();
                income.clear();
                flags.clear();
                for _ in 0..size {
                    // Skewed: the smaller of two uniform draws, up to 40,000 yuan.
                    let cost = rng.below(4_000_000).min(rng.below(4_000_000));
                    oop.push(if rng.below(100) < 45 { cost as i64 } else { 0 });
                    let earn = rng.below(5_000_000).min(rng.below(8_000_000));
                    income.push(if rng.below(100) < 65 { earn as i64 } else { 0 });
                    let mut f = 0u8;
                    f |= if rng.below(100) < 2 { MENTAL } else { 0 };
                    f |= if rng.below(100) < 4 { PHYSICAL } else { 0 };
                    f |= if rng.below(100) < 5 { MAJOR } else { 0 };
                    f |= if rng.below(100) < 3 { BUSINESS } else { 0 };
                    flags.push(f);
                }
                let homes = match rng.below(100) {
                    0..=14 => 0,
                    15..=84 => 1,
                    85..=96 => 2,
                    _ => 3,
                };
                p.push(&HouseholdRow {
                    owns_vehicle: rng.below(100) < 12,
                    homes,
                    out_of_pocket: &oop,
                    income: &income,
                    flags: &flags,
                });
            }
            p
        }
    }

    /// A small linear congruential generator (deterministic, integer only).
    #[derive(Debug, Clone)]
    struct Lcg(u64);

    impl Lcg {
        fn below(&mut self, n: u64) -> u64 {
            self.0 = self
                .0
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (self.0 >> 33) % n.max(1)
        }
    }

    impl Totals {
        /// Adds another part's totals (the parts of a file split at household boundaries).
        ///
        /// # Errors
        /// On overflow.
        pub fn merge(&mut self, other: &Totals) -> Result<(), Error> {
            self.medical = self.medical.checked_add(other.medical)?;
            self.living = self.living.checked_add(other.living)?;
            self.eligible += other.eligible;
            self.households += other.households;
            Ok(())
        }
    }

    /// Byte offsets that cut the CSV at `path` into `parts` pieces of about equal size, each
    /// cut at the start of a household's first row (so every household is whole in one
    /// piece): `[0, cut₁, …, len]`. Fewer pieces when the file is too small.
    ///
    /// # Errors
    /// I/O errors; a household longer than the 64 KiB looked at around a cut.
    pub fn household_cuts(path: &std::path::Path, parts: u64) -> Result<Vec<u64>, Error> {
        use std::io::{Seek, SeekFrom};
        let len = std::fs::metadata(path)?.len();
        let mut cuts = vec![0u64];
        let mut file = std::fs::File::open(path)?;
        let mut window = vec![0u8; 1 << 16];
        for i in 1..parts.max(1) {
            let target = len / parts * i;
            if target <= cuts.last().copied().unwrap_or(0) {
                continue;
            }
            file.seek(SeekFrom::Start(target))?;
            let mut filled = 0;
            while filled < window.len() {
                match file.read(window.get_mut(filled..).unwrap_or(&mut []))? {
                    0 => break,
                    n => filled += n,
                }
            }
            let w = window.get(..filled).unwrap_or(&[]);
            // The first whole line after the target, its household id, then the first line
            // with another id.
            let id_at = |at: usize| -> Option<&[u8]> {
                let rest = w.get(at..)?;
                let end = rest.iter().position(|&b| b == b',')?;
                rest.get(..end)
            };
            let mut at = match w.iter().position(|&b| b == b'\n') {
                Some(p) => p + 1,
                None => continue,
            };
            let Some(first) = id_at(at) else { continue };
            let cut = loop {
                let Some(next) = w.get(at..).and_then(|r| r.iter().position(|&b| b == b'\n'))
                else {
                    return Err("a household is longer than the cut window".into());
                };
                at += next + 1;
                match id_at(at) {
                    Some(id) if id == first => {}
                    Some(_) => break at,
                    None => break filled,
                }
            };
            let cut = target + cut as u64;
            if cut < len {
                cuts.push(cut);
            }
        }
        cuts.push(len);
        Ok(cuts)
    }

    /// A malformed CSV row.
    #[derive(Debug)]
    pub struct CsvError {
        /// The 1-based line.
        pub line: u64,
        /// What is wrong.
        pub problem: &'static str,
    }

    impl std::fmt::Display for CsvError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "line {}: {}", self.line, self.problem)
        }
    }

    impl std::error::Error for CsvError {}

    /// The household being read.
    #[derive(Debug, Default)]
    struct Current {
        id: Option<u64>,
        owns_vehicle: bool,
        homes: u32,
        out_of_pocket: Vec<i64>,
        income: Vec<i64>,
        flags: Vec<u8>,
    }

    impl Current {
        /// Adds a person row of `line`: to this household, or as the first of the next one
        /// after handing this one to `f`.
        #[inline(always)]
        fn add(
            &mut self,
            p: &Person,
            line: u64,
            f: &mut impl FnMut(&HouseholdRow<'_>) -> Result<(), Error>,
        ) -> Result<(), Error> {
            if self.id != Some(p.household) {
                let bad = |problem| CsvError { line, problem };
                if self.id.is_some_and(|prev| p.household < prev) {
                    return Err(bad("households not in order").into());
                }
                if self.id.is_some() {
                    f(&self.row())?;
                }
                self.id = Some(p.household);
                self.owns_vehicle = p.owns_vehicle;
                self.homes = u32::try_from(p.homes).map_err(|_| bad("homes"))?;
                self.out_of_pocket.clear();
                self.income.clear();
                self.flags.clear();
            }
            self.out_of_pocket.push(p.out_of_pocket);
            self.income.push(p.income);
            self.flags.push(p.flags);
            Ok(())
        }

        fn row(&self) -> HouseholdRow<'_> {
            HouseholdRow {
                owns_vehicle: self.owns_vehicle,
                homes: self.homes,
                out_of_pocket: &self.out_of_pocket,
                income: &self.income,
                flags: &self.flags,
            }
        }
    }

    /// A cursor over one line's bytes.
    struct Fields<'a> {
        bytes: &'a [u8],
        at: usize,
        /// The byte that ended the last field (`,`, `\r`, `\n`), or none at the end.
        end: Option<u8>,
    }

    impl Fields<'_> {
        #[inline]
        fn next_byte(&mut self) -> Option<u8> {
            let b = self.bytes.get(self.at).copied();
            self.at += 1;
            b
        }

        /// An unsigned integer up to the next comma or the end.
        #[inline]
        fn uint(&mut self) -> Option<u64> {
            let mut v: u64 = 0;
            let mut digits = 0;
            while let Some(b) = self.next_byte() {
                match b {
                    b'0'..=b'9' => {
                        v = v.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
                        digits += 1;
                    }
                    b',' | b'\r' | b'\n' => {
                        self.end = Some(b);
                        return (digits > 0).then_some(v);
                    }
                    _ => return None,
                }
            }
            self.end = None;
            (digits > 0).then_some(v)
        }

        /// Money with exactly two decimals (`1234.50`), in fen: up to 15 digits before the
        /// point (so no overflow check is needed), the point, two digits, a terminator.
        #[inline]
        fn fen(&mut self) -> Option<i64> {
            let rest = self.bytes.get(self.at..)?;
            let mut v: i64 = 0;
            let mut i = 0;
            loop {
                match rest.get(i) {
                    Some(&b) if b.is_ascii_digit() && i < 15 => {
                        v = v * 10 + i64::from(b - b'0');
                        i += 1;
                    }
                    Some(b'.') if i > 0 => break,
                    _ => return None,
                }
            }
            let digit = |k: usize| match rest.get(k) {
                Some(&b) if b.is_ascii_digit() => Some(i64::from(b - b'0')),
                _ => None,
            };
            v = v * 100 + digit(i + 1)? * 10 + digit(i + 2)?;
            match rest.get(i + 3) {
                None => {
                    self.end = None;
                    self.at += i + 3;
                }
                Some(&t @ (b',' | b'\r' | b'\n')) => {
                    self.end = Some(t);
                    self.at += i + 4;
                }
                Some(_) => return None,
            }
            Some(v)
        }

        #[inline]
        fn flag(&mut self) -> Option<bool> {
            let v = match self.next_byte()? {
                b'0' => false,
                b'1' => true,
                _ => return None,
            };
            match self.next_byte() {
                Some(b',') => Some(v),
                _ => None,
            }
        }
    }

    /// One person row, parsed.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    struct Person {
        household: u64,
        out_of_pocket: i64,
        income: i64,
        flags: u8,
        owns_vehicle: bool,
        homes: u64,
    }

    /// The general parser of one row, from the first byte of its line: every field checked
    /// in turn, the first wrong one named.
    #[inline]
    fn general_row(c: &mut Fields<'_>, line: u64) -> Result<Person, CsvError> {
        let bad = |problem| CsvError { line, problem };
        let household = c.uint().ok_or_else(|| bad("household_id"))?;
        c.uint().ok_or_else(|| bad("person_id"))?;
        let out_of_pocket = c.fen().ok_or_else(|| bad("out_of_pocket"))?;
        let mental = c.flag().ok_or_else(|| bad("mental_illness"))?;
        let physical = c.flag().ok_or_else(|| bad("physical_disability"))?;
        let major = c.flag().ok_or_else(|| bad("major_illness"))?;
        let owns_vehicle = c.flag().ok_or_else(|| bad("owns_vehicle"))?;
        let homes = c.uint().ok_or_else(|| bad("homes"))?;
        let business = c.flag().ok_or_else(|| bad("runs_business"))?;
        let income = c.fen().ok_or_else(|| bad("income"))?;
        match c.end {
            None | Some(b'\n') => {}
            Some(b'\r') if matches!(c.bytes.get(c.at), None | Some(b'\n')) => {}
            _ => return Err(bad("extra fields")),
        }
        let bit = |on: bool, b: u8| if on { b } else { 0 };
        Ok(Person {
            household,
            out_of_pocket,
            income,
            flags: bit(mental, MENTAL)
                | bit(physical, PHYSICAL)
                | bit(major, MAJOR)
                | bit(business, BUSINESS),
            owns_vehicle,
            homes,
        })
    }

    /// `0x0101…01`: a byte repeated in each of a word's eight bytes.
    const ONES: u64 = 0x0101_0101_0101_0101;

    /// The number of ASCII digits the word starts with, 0–8: the high bit of each byte
    /// that is not a digit is set by one of the two terms (`b - 0x30` for bytes below `0`
    /// and from 0xB0, `b + 0x46` for bytes from `:` to 0xB9; a borrow or carry only leaves
    /// a byte so marked, and can only mark bytes above it, so the lowest mark is exact).
    #[inline]
    pub(crate) fn leading_digits(w: u64) -> u32 {
        let marks =
            (w.wrapping_sub(ONES * b'0' as u64) | w.wrapping_add(ONES * 0x46)) & (ONES * 0x80);
        marks.trailing_zeros() / 8
    }

    /// The value of the first `n` (1–8) bytes of `w`, all digits, the first the most
    /// significant: the digits are moved to the top of the word (zeros before them), then
    /// pairs, fours and eights are combined with three multiplications.
    #[inline]
    pub(crate) fn digits_value(w: u64, n: u32) -> u64 {
        let d = w.wrapping_sub(ONES * b'0' as u64) << (64 - 8 * n.clamp(1, 8));
        let d = d.wrapping_mul(10).wrapping_add(d >> 8);
        let d = (d & 0x0000_00FF_0000_00FF)
            .wrapping_mul(100 + (1_000_000 << 32))
            .wrapping_add(((d >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32)));
        d >> 32
    }

    /// A row's bytes as the fast path reads them: 128 from the row's start (a row of its
    /// shape is at most 53), so that every load at an offset below 64 is within them.
    type Window = [u8; 128];

    /// The eight bytes at `at` (below 64) of the window: `at & 63` is `at`, and keeps the
    /// load visibly within the window (no bounds check).
    #[inline(always)]
    fn window_word(w: &Window, at: usize) -> u64 {
        let at = at & 63;
        w.get(at..at + 8)
            .and_then(|b| <[u8; 8]>::try_from(b).ok())
            .map_or(0, u64::from_le_bytes)
    }

    /// An unsigned integer of 1–7 digits at `at` followed by a comma: its value and where
    /// the next field starts (at most `at + 8`).
    #[inline(always)]
    fn fast_uint(win: &Window, at: usize) -> Option<(u64, usize)> {
        let w = window_word(win, at);
        let n = leading_digits(w);
        // At least one digit, at most seven, then the comma.
        if n == 0 || n == 8 || (w >> (8 * n)) as u8 != b',' {
            return None;
        }
        Some((digits_value(w, n), at + n as usize + 1))
    }

    /// Money of 1–7 digits, a point and two decimals at `at`, in fen: its value, the byte
    /// after it, the byte after that, and where the first is (at most `at + 10`).
    #[inline(always)]
    fn fast_fen(win: &Window, at: usize) -> Option<(i64, u8, u8, usize)> {
        let w = window_word(win, at);
        let n = leading_digits(w);
        if n == 0 || n == 8 || (w >> (8 * n)) as u8 != b'.' {
            return None;
        }
        let after = at + n as usize + 1;
        let cents = window_word(win, after);
        // Exactly two digits after the point.
        if leading_digits(cents) != 2 {
            return None;
        }
        let c = cents.wrapping_sub(ONES * b'0' as u64);
        let fen = digits_value(w, n) * 100 + (c & 0xFF) * 10 + ((c >> 8) & 0xFF);
        Some((
            i64::try_from(fen).ok()?,
            (cents >> 16) as u8,
            (cents >> 24) as u8,
            after + 2,
        ))
    }

    /// The fast path of the common row shape (ids of up to 7 digits, money of up to 7
    /// digits before the point, one-digit homes, `\n` or `\r\n` line ends), a few words at a
    /// time: the row and where the next line starts, or none when the row is of any other
    /// shape (or malformed, or within 128 bytes of the end of the buffer), which the general
    /// parser then reads. Where it gives a row, it is the general parser's.
    #[inline(always)]
    fn fast_row(bytes: &[u8], start: usize) -> Option<(Person, usize)> {
        let win: &Window = bytes.get(start..start.checked_add(128)?)?.try_into().ok()?;
        // The offsets of the loads, at most: 0, 8, 16 and 24 (the cost), 27 and 35 (the
        // flags), 39 and 47 (the income): all below 64.
        let (household, at) = fast_uint(win, 0)?;
        let (_, at) = fast_uint(win, at)?;
        let (out_of_pocket, comma, _, at) = fast_fen(win, at)?;
        if comma != b',' {
            return None;
        }
        // `m,p,M,v,` then `h,b,`: flags of 0 or 1 at the even bytes, commas at the odd.
        let flags4 = window_word(win, at + 1);
        let tail = window_word(win, at + 9) as u32;
        let commas = 0x2C00_2C00_2C00_2C00u64;
        if flags4 & 0xFF00_FF00_FF00_FF00 != commas
            || flags4 & 0x00FE_00FE_00FE_00FE != 0x0030_0030_0030_0030
            || tail & 0xFF00_FF00 != 0x2C00_2C00
            || tail & 0x00FE_0000 != 0x0030_0000
            || (tail as u8).wrapping_sub(b'0') > 9
        {
            return None;
        }
        let (income, end, after, at) = fast_fen(win, at + 13)?;
        let next = match (end, after) {
            (b'\n', _) => at + 1,
            (b'\r', b'\n') => at + 2,
            _ => return None,
        };
        let bit = |shift: u32, b: u8| if (flags4 >> shift) & 1 != 0 { b } else { 0 };
        let business = if (tail >> 16) & 1 != 0 { BUSINESS } else { 0 };
        Some((
            Person {
                household,
                out_of_pocket,
                income,
                flags: bit(0, MENTAL) | bit(16, PHYSICAL) | bit(32, MAJOR) | business,
                owns_vehicle: (flags4 >> 48) & 1 != 0,
                homes: u64::from((tail as u8).wrapping_sub(b'0')),
            },
            start + next,
        ))
    }

    /// Streams the peer's CSV (`household_id,person_id,out_of_pocket,mental_illness,
    /// physical_disability,major_illness,owns_vehicle,homes,runs_business,income`, persons
    /// contiguous by household) and calls `f` with each household, holding only one
    /// 1 MiB buffer and the current household. Returns the number of person rows.
    ///
    /// # Errors
    /// I/O errors, a malformed row ([`CsvError`]), households not contiguous, and `f`'s.
    pub fn for_each_household(
        r: impl Read,
        f: impl FnMut(&HouseholdRow<'_>) -> Result<(), Error>,
    ) -> Result<u64, Error> {
        read_households::<true>(r, f)
    }

    /// [`for_each_household`], with the fast path of the common row shape (`FAST`) or with
    /// the general parser only (to check that both read the same).
    pub(crate) fn read_households<const FAST: bool>(
        mut r: impl Read,
        mut f: impl FnMut(&HouseholdRow<'_>) -> Result<(), Error>,
    ) -> Result<u64, Error> {
        const CHUNK: usize = 1 << 20;
        let mut buf = vec![0u8; CHUNK];
        let mut filled = 0usize;
        let mut line_no = 0u64;
        let mut rows = 0u64;
        let mut cur = Current::default();
        let mut header = true;
        loop {
            if filled == buf.len() {
                buf.resize(buf.len() * 2, 0);
            }
            let n = r.read(buf.get_mut(filled..).unwrap_or(&mut []))?;
            let eof = n == 0;
            filled += n;
            let data = buf.get(..filled).unwrap_or(&[]);
            let end = if eof {
                filled
            } else {
                match memrchr_newline(data) {
                    Some(i) => i + 1,
                    None => continue,
                }
            };
            // One pass over the complete lines: each field parser stops at its terminator,
            // so lines are never split first.
            let mut c = Fields {
                bytes: data.get(..end).unwrap_or(&[]),
                at: 0,
                end: None,
            };
            while let Some(&first) = c.bytes.get(c.at) {
                if first == b'\n' || first == b'\r' {
                    c.at += 1;
                    continue;
                }
                line_no += 1;
                if header {
                    header = false;
                    if !first.is_ascii_digit() {
                        match c
                            .bytes
                            .get(c.at..)
                            .and_then(|r| r.iter().position(|&b| b == b'\n'))
                        {
                            Some(i) => c.at += i + 1,
                            None => c.at = c.bytes.len(),
                        }
                        continue;
                    }
                }
                if FAST {
                    // The rows of the common shape, one after another while they last.
                    if let Some((p, next)) = fast_row(c.bytes, c.at) {
                        c.at = next;
                        cur.add(&p, line_no, &mut f)?;
                        rows += 1;
                        while let Some((p, next)) = fast_row(c.bytes, c.at) {
                            line_no += 1;
                            c.at = next;
                            cur.add(&p, line_no, &mut f)?;
                            rows += 1;
                        }
                        continue;
                    }
                }
                let p = general_row(&mut c, line_no)?;
                cur.add(&p, line_no, &mut f)?;
                rows += 1;
            }
            if eof {
                break;
            }
            buf.copy_within(end..filled, 0);
            filled -= end;
        }
        if cur.id.is_some() {
            f(&cur.row())?;
        }
        Ok(rows)
    }

    fn memrchr_newline(data: &[u8]) -> Option<usize> {
        data.iter().rposition(|&b| b == b'\n')
    }
}

/// Reads a file on a second thread, a few chunks ahead of the reader: the kernel's copy
/// from the page cache overlaps the parsing. At most `depth` chunks of `chunk` bytes are in
/// flight, so memory stays bounded.
#[derive(Debug)]
pub struct ReadAhead {
    rx: std::sync::mpsc::Receiver<std::io::Result<Vec<u8>>>,
    back: std::sync::mpsc::SyncSender<Vec<u8>>,
    current: Vec<u8>,
    at: usize,
    done: bool,
}

impl ReadAhead {
    /// Starts reading `source` on its own thread.
    pub fn new(mut source: impl Read + Send + 'static, chunk: usize, depth: usize) -> ReadAhead {
        let (tx, rx) = std::sync::mpsc::sync_channel::<std::io::Result<Vec<u8>>>(depth);
        let (back, spare) = std::sync::mpsc::sync_channel::<Vec<u8>>(depth + 2);
        std::thread::spawn(move || {
            loop {
                let mut buf = spare.try_recv().unwrap_or_default();
                buf.resize(chunk, 0);
                let mut filled = 0;
                let result = loop {
                    match source.read(buf.get_mut(filled..).unwrap_or(&mut [])) {
                        Ok(0) => break Ok(()),
                        Ok(n) => {
                            filled += n;
                            if filled == buf.len() {
                                break Ok(());
                            }
                        }
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => break Err(e),
                    }
                };
                buf.truncate(filled);
                let last = filled == 0 || result.is_err();
                let msg = result.map(|()| buf);
                if tx.send(msg).is_err() || last {
                    return;
                }
            }
        });
        ReadAhead {
            rx,
            back,
            current: Vec::new(),
            at: 0,
            done: false,
        }
    }
}

impl Read for ReadAhead {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at >= self.current.len() {
            if self.done {
                return Ok(0);
            }
            match self.rx.recv() {
                Ok(Ok(next)) => {
                    if next.is_empty() {
                        self.done = true;
                    }
                    let old = std::mem::replace(&mut self.current, next);
                    let _ = self.back.try_send(old);
                    self.at = 0;
                }
                Ok(Err(e)) => return Err(e),
                Err(_) => self.done = true,
            }
        }
        let rest = self.current.get(self.at..).unwrap_or(&[]);
        let n = rest.len().min(out.len());
        if let (Some(dst), Some(src)) = (out.get_mut(..n), rest.get(..n)) {
            dst.copy_from_slice(src);
        }
        self.at += n;
        Ok(n)
    }
}

/// The limit: a hand-written loop over the same columns doing the same integer-fen
/// arithmetic with no library types. Its integers are taken from the peer policy once.
pub mod limit {
    use super::peer::{BUSINESS, Population, SEVERE};
    use super::*;

    /// The peer's rules as plain integers.
    #[derive(Debug, Clone, Copy)]
    pub struct Params {
        /// Per-capita yearly income line per person, fen (eligible when income ≤ line × size).
        pub line_per_person: i64,
        /// Homes at or above this exclude.
        pub homes_excluded_at: u32,
        /// Medical rate numerator and denominator (rate = num / den).
        pub rate_num: i64,
        /// Denominator.
        pub rate_den: i64,
        /// Medical cap, fen.
        pub cap: i64,
        /// Living aid per member, fen.
        pub per_member: i64,
        /// Living aid per member in a severe household, fen.
        pub per_member_severe: i64,
        /// Most paid per time, fen.
        pub max_per_time: i64,
    }

    impl Params {
        /// Reads the integers from the peer policy (the shapes the loop assumes: a gross
        /// line of 1 × L, half-up rounding to the fen, per-member standards).
        ///
        /// # Errors
        /// A value missing or of another shape.
        pub fn from_policy(policy: &Policy) -> Result<Params, Error> {
            let date = super::peer::date();
            let e = &policy.eligibility;
            let l = policy
                .minimum_living_standard
                .at(None, date)
                .map_err(|e| e.to_string())?
                .value;
            let homes = e
                .exclusions_on(date)
                .flat_map(|x| x.any.iter())
                .find(|p| p.fact == FactKind::HomesOwned)
                .ok_or("no homes exclusion")?
                .at_least;
            let m = &policy.aid.medical;
            let rate = m.rate.at("r", date).map_err(|e| e.to_string())?.value;
            let d = rate.as_decimal();
            let money = |t: &Option<bangfu::core::Timeline<Money>>| -> Result<i64, Error> {
                Ok(t.as_ref()
                    .ok_or("missing")?
                    .at("x", date)
                    .map_err(|e| e.to_string())?
                    .value
                    .fen())
            };
            let living = &policy.aid.living;
            Ok(Params {
                line_per_person: l.fen().checked_mul(12).ok_or("overflow")?,
                homes_excluded_at: homes,
                rate_num: i64::try_from(d.mantissa())?,
                rate_den: 10i64.checked_pow(d.scale()).ok_or("overflow")?,
                cap: m
                    .yearly_cap
                    .at("c", date)
                    .map_err(|e| e.to_string())?
                    .value
                    .fen(),
                per_member: money(&living.standard.default)?,
                per_member_severe: money(&living.standard.severe)?,
                max_per_time: money(&living.max_per_time.default)?,
            })
        }
    }

    /// Σ medical + Σ living in fen, and the eligible households.
    pub fn evaluate(p: &Population, k: &Params) -> (i64, i64, u64) {
        let mut medical = 0i64;
        let mut living = 0i64;
        let mut eligible = 0u64;
        let mut start = 0usize;
        for (h, (&vehicle, &homes)) in p.owns_vehicle.iter().zip(&p.homes).enumerate() {
            let end = p.first.get(h + 1).map_or(start, |&e| e as usize);
            let (Some(oop), Some(income), Some(flags)) = (
                p.out_of_pocket.get(start..end),
                p.income.get(start..end),
                p.flags.get(start..end),
            ) else {
                break;
            };
            start = end;
            let size = flags.len() as i64;
            let total: i64 = income.iter().sum();
            let any = flags.iter().fold(0u8, |a, &f| a | f);
            if vehicle
                || homes >= k.homes_excluded_at
                || any & BUSINESS != 0
                || total > k.line_per_person * size
            {
                continue;
            }
            eligible += 1;
            let per = if any & SEVERE != 0 {
                k.per_member_severe
            } else {
                k.per_member
            };
            living += (per * size).min(k.max_per_time);
            for &c in oop {
                // c × num / den, half up to the fen.
                let fen = (2 * c * k.rate_num + k.rate_den) / (2 * k.rate_den);
                medical += fen.min(k.cap).min(c);
            }
        }
        (medical, living, eligible)
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::panic
    )]

    use super::peer::{self, Population, Rules, Totals};
    use super::*;

    /// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
    fn cases(default: u32) -> u32 {
        std::env::var("PROPTEST_CASES")
            .ok()
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }

    const HEADER: &str = "household_id,person_id,out_of_pocket,mental_illness,physical_disability,major_illness,owns_vehicle,homes,runs_business,income\n";

    fn csv(p: &Population) -> String {
        let mut s = String::from(HEADER);
        let mut person = 0;
        let mut h = 0;
        p.for_each(|row| -> Result<(), Error> {
            for ((oop, inc), f) in row.out_of_pocket.iter().zip(row.income).zip(row.flags) {
                let b = |bit: u8| u8::from(f & bit != 0);
                s.push_str(&format!(
                    "{h},{person},{}.{:02},{},{},{},{},{},{},{}.{:02}\n",
                    oop / 100,
                    oop % 100,
                    b(peer::MENTAL),
                    b(peer::PHYSICAL),
                    b(peer::MAJOR),
                    u8::from(row.owns_vehicle),
                    row.homes,
                    b(peer::BUSINESS),
                    inc / 100,
                    inc % 100
                ));
                person += 1;
            }
            h += 1;
            Ok(())
        })
        .unwrap();
        s
    }

    #[test]
    fn the_csv_round_trips_and_the_fast_path_equals_the_hand_written_loop() {
        let policy = peer::policy().unwrap();
        let rules = Rules::new(&policy).unwrap();
        let pop = Population::generate(2_000, 3);
        let text = csv(&pop);
        let back = Population::from_csv(text.as_bytes()).unwrap();
        assert_eq!(back.first, pop.first);
        assert_eq!(back.out_of_pocket, pop.out_of_pocket);
        assert_eq!(back.flags, pop.flags);
        // CRLF line ends read the same.
        let crlf = text.replace('\n', "\r\n");
        assert_eq!(
            Population::from_csv(crlf.as_bytes()).unwrap().income,
            pop.income
        );
        let t = rules.evaluate(&pop).unwrap();
        let k = limit::Params::from_policy(&policy).unwrap();
        let (m, l, e) = limit::evaluate(&pop, &k);
        assert_eq!((t.medical.fen(), t.living.fen(), t.eligible), (m, l, e));
        assert!(t.eligible > 0 && t.eligible < 2_000);
    }

    #[test]
    fn bad_amounts_are_refused_and_huge_ones_are_exact() {
        let policy = peer::policy().unwrap();
        let rules = Rules::new(&policy).unwrap();
        let flags = [0u8, 0];
        let row = |out_of_pocket, income| peer::HouseholdRow {
            owns_vehicle: false,
            homes: 1,
            out_of_pocket,
            income,
            flags: &flags,
        };
        let add = |h: &peer::HouseholdRow<'_>| {
            let mut t = Totals::default();
            rules.add(h, &mut t).map(|()| t)
        };
        // An eligible household with a negative claim, a negative or overflowing income.
        assert!(add(&row(&[100, -1], &[0, 0])).is_err());
        assert!(add(&row(&[100, 0], &[-5, 0])).is_err());
        assert!(add(&row(&[100, 0], &[i64::MAX, 1])).is_err());
        // A claim whose product leaves the u64 path is computed exactly: 50 % capped.
        let k = limit::Params::from_policy(&policy).unwrap();
        let t = add(&row(&[i64::MAX, 300], &[0, 0])).unwrap();
        assert_eq!(t.medical.fen(), k.cap + 150);
        assert_eq!(t.eligible, 1);
    }

    /// `Rules::add` over `for_each`: the reference `Rules::evaluate` must equal.
    fn each(rules: &Rules<'_>, p: &Population) -> Result<Totals, String> {
        let mut t = Totals::default();
        p.for_each(|h| rules.add(h, &mut t))
            .map(|()| t)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn evaluate_is_add_household_by_household_on_random_and_hostile_columns() {
        // A property test without proptest (not a dependency of this package): 3,000
        // populations drawn by a fixed generator, each perturbed in one of the ways the
        // bounds of `evaluate` guard (negative, huge and overflowing incomes and claims,
        // large households, sizes past the living table, missing or unordered bounds,
        // short columns), compared with `add` one household at a time: the same totals or
        // the same first error.
        let policy = peer::policy().unwrap();
        let rules = Rules::new(&policy).unwrap();
        let mut rng = 0x2545_F491_4F6C_DD1Du64;
        let mut next = |n: u64| {
            rng ^= rng << 13;
            rng ^= rng >> 7;
            rng ^= rng << 17;
            rng % n.max(1)
        };
        let mut fast = 0;
        for case in 0..3_000u64 {
            let mut p = Population::generate(1 + next(40) as usize, case);
            let persons = p.persons();
            let at = next(persons as u64) as usize;
            let huge = [
                -1,
                i64::MIN,
                i64::MAX,
                1 << 56,
                (1 << 56) - 1,
                i64::MAX / 2,
                1 << 62,
            ];
            let pick = huge[next(huge.len() as u64) as usize];
            match next(9) {
                0 => p.income[at] = pick,
                1 => p.out_of_pocket[at] = pick,
                2 => {
                    // One household of up to 200 members, all earning at most the line.
                    let extra = next(200) as usize;
                    let last = *p.first.last().unwrap();
                    for _ in 0..extra {
                        p.out_of_pocket.push(next(4_000_000) as i64);
                        p.income.push(next(1_500_000) as i64);
                        p.flags.push(0);
                    }
                    p.first.push(last + extra as u32);
                    p.owns_vehicle.push(false);
                    p.homes.push(1);
                }
                3 => {
                    let h = next(p.first.len() as u64) as usize;
                    p.first[h] = p.first[h].wrapping_add(next(3) as u32).wrapping_sub(1);
                }
                4 => {
                    p.income.truncate(at);
                }
                5 => {
                    p.homes.pop();
                }
                6 => {
                    p.income[at] = i64::MAX / 3;
                    if at + 1 < persons {
                        p.income[at + 1] = i64::MAX / 3;
                    }
                }
                _ => {}
            }
            let reference = each(&rules, &p);
            let got = rules.evaluate(&p).map_err(|e| e.to_string());
            assert_eq!(got, reference, "case {case}");
            fast += usize::from(rules.evaluate_bounded(&p).is_some());
        }
        // The unperturbed cases and most perturbed ones stay on the bounded path.
        assert!(fast > 1_000, "{fast}");
    }

    #[test]
    fn malformed_rows_are_refused_with_their_line() {
        let bad = format!("{HEADER}0,0,12.5,0,0,0,0,1,0,0.00\n");
        let err = Population::from_csv(bad.as_bytes()).unwrap_err();
        assert_eq!(err.to_string(), "line 2: out_of_pocket");
        let bad = format!("{HEADER}0,0,12.50,0,0,0,0,1,0,0.00,9\n");
        assert!(Population::from_csv(bad.as_bytes()).is_err());
        let bad = format!("{HEADER}1,0,1.00,0,0,0,0,1,0,0.00\n0,1,1.00,0,0,0,0,1,0,0.00\n");
        assert!(Population::from_csv(bad.as_bytes()).is_err());
    }

    /// A small xorshift generator for the parser's random inputs.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: u64) -> u64 {
            self.next() % n
        }
    }

    /// A reader handing out its bytes in random small pieces (down to one byte), so that
    /// lines straddle the reads.
    struct Pieces<'a> {
        bytes: &'a [u8],
        rng: Rng,
    }

    impl std::io::Read for Pieces<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            let n = (1 + self.rng.below(97) as usize)
                .min(out.len())
                .min(self.bytes.len());
            out[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    type Households = Vec<(bool, u32, Vec<i64>, Vec<i64>, Vec<u8>)>;

    fn read<const FAST: bool>(r: impl std::io::Read) -> Result<(u64, Households), String> {
        let mut hs = Households::new();
        peer::read_households::<FAST>(r, |h| {
            hs.push((
                h.owns_vehicle,
                h.homes,
                h.out_of_pocket.to_vec(),
                h.income.to_vec(),
                h.flags.to_vec(),
            ));
            Ok(())
        })
        .map(|rows| (rows, hs))
        .map_err(|e| e.to_string())
    }

    /// The fast path and the general parser read the same households, or fail with the
    /// same error, whole or in random pieces.
    fn same(bytes: &[u8], seed: u64) {
        let general = read::<false>(bytes);
        assert_eq!(
            read::<true>(bytes),
            general,
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
        // In the same pieces for both (a row whose fields run over a line end is read
        // across it by the general parser only when both lines are in the buffer).
        let pieces = |seed: u64| Pieces {
            bytes,
            rng: Rng(seed | 1),
        };
        assert_eq!(
            read::<true>(pieces(seed)),
            read::<false>(pieces(seed)),
            "{:?}",
            String::from_utf8_lossy(bytes)
        );
    }

    /// A random field: digits (none, many, leading zeros), signs, points, decimals, stray
    /// bytes.
    fn field(rng: &mut Rng, out: &mut Vec<u8>) {
        let digits = |rng: &mut Rng, out: &mut Vec<u8>, n: u64| {
            for _ in 0..n {
                out.push(b'0' + rng.below(10) as u8);
            }
        };
        match rng.below(16) {
            0 => {}
            1 => out.push(b"-+ x.,\r\n\t\0\xff"[rng.below(11) as usize]),
            2 => {
                out.push(if rng.below(2) == 0 { b'-' } else { b'+' });
                let n = 1 + rng.below(3);
                digits(rng, out, n);
            }
            3 => {
                let n = rng.below(24);
                digits(rng, out, n);
            }
            4 => {
                for _ in 0..rng.below(12) {
                    out.push(b'0');
                }
                let n = 1 + rng.below(3);
                digits(rng, out, n);
                out.extend_from_slice(b".00");
            }
            5 | 6 => {
                let n = rng.below(18);
                digits(rng, out, n);
                out.push(b'.');
                let n = rng.below(4);
                digits(rng, out, n);
            }
            7 => out.push(b'0' + rng.below(3) as u8),
            _ => {
                // The common shapes.
                match rng.below(3) {
                    0 => out.push(b'0' + rng.below(2) as u8),
                    1 => {
                        let n = 1 + rng.below(8);
                        digits(rng, out, n);
                    }
                    _ => {
                        let n = 1 + rng.below(8);
                        digits(rng, out, n);
                        out.push(b'.');
                        digits(rng, out, 2);
                    }
                }
            }
        }
    }

    #[test]
    fn the_swar_digits_are_the_digits() {
        let mut rng = Rng(7);
        for _ in 0..200_000 {
            let mut b = [0u8; 8];
            for x in &mut b {
                *x = match rng.below(4) {
                    0 => rng.next() as u8,
                    _ => b'0' + rng.below(10) as u8,
                };
            }
            let n = b.iter().take_while(|x| x.is_ascii_digit()).count();
            let w = u64::from_le_bytes(b);
            assert_eq!(peer::leading_digits(w) as usize, n, "{b:?}");
            for k in 1..=n {
                let v = b[..k]
                    .iter()
                    .fold(0u64, |v, &d| v * 10 + u64::from(d - b'0'));
                assert_eq!(peer::digits_value(w, k as u32), v, "{b:?} {k}");
            }
        }
    }

    #[test]
    fn the_fast_path_reads_as_the_general_parser_on_random_rows() {
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        for case in 0..3_000u64 {
            let mut bytes = Vec::new();
            if rng.below(2) == 0 {
                bytes.extend_from_slice(HEADER.as_bytes());
            }
            let mut id = rng.below(3);
            for person in 0..rng.below(40) {
                id += rng.below(2);
                let good = rng.below(4) != 0;
                if good {
                    let money = |rng: &mut Rng| {
                        let e = 1 + rng.below(9) as u32;
                        let v = rng.below(10u64.pow(e));
                        format!("{}.{:02}", v / 100, v % 100)
                    };
                    let f = |rng: &mut Rng| rng.below(2);
                    let wide = rng.below(8) == 0;
                    let homes = rng.below(if wide { 12 } else { 4 });
                    let line = format!(
                        "{id},{person},{},{},{},{},{},{},{},{}",
                        money(&mut rng),
                        f(&mut rng),
                        f(&mut rng),
                        f(&mut rng),
                        f(&mut rng),
                        homes,
                        f(&mut rng),
                        money(&mut rng),
                    );
                    bytes.extend_from_slice(line.as_bytes());
                } else {
                    for k in 0..(8 + rng.below(5)) {
                        if k > 0 {
                            bytes.push(b',');
                        }
                        field(&mut rng, &mut bytes);
                    }
                }
                match rng.below(10) {
                    0 => bytes.extend_from_slice(b"\r\n"),
                    1 => bytes.push(b'\r'),
                    2 => bytes.extend_from_slice(b"\n\n"),
                    3 if rng.below(4) == 0 => bytes.extend_from_slice(b"\r\r\n"),
                    _ => bytes.push(b'\n'),
                }
            }
            // Random bytes flipped, a truncated end.
            for _ in 0..rng.below(3) {
                if !bytes.is_empty() {
                    let at = rng.below(bytes.len() as u64) as usize;
                    bytes[at] = b",.0123456789\r\n-x"[rng.below(16) as usize];
                }
            }
            if rng.below(4) == 0 {
                let keep = rng.below(bytes.len() as u64 + 1) as usize;
                bytes.truncate(keep);
            }
            same(&bytes, case);
        }
    }

    #[test]
    fn the_fast_path_reads_as_the_general_parser_on_random_bytes() {
        let mut rng = Rng(12345);
        for case in 0..3_000u64 {
            let alphabet: &[u8] = if rng.below(2) == 0 {
                b"0123456789,,,,.\n\r"
            } else {
                &[]
            };
            let bytes: Vec<u8> = (0..rng.below(300))
                .map(|_| match alphabet {
                    [] => rng.next() as u8,
                    a => a[rng.below(a.len() as u64) as usize],
                })
                .collect();
            same(&bytes, case);
        }
    }

    #[test]
    fn the_fast_path_reads_the_peer_csv_as_the_general_parser() {
        let pop = Population::generate(3_000, 5);
        let text = csv(&pop);
        same(text.as_bytes(), 1);
        same(text.replace('\n', "\r\n").as_bytes(), 2);
        // Long numbers, leading zeros, signs, 16 digits before the point, a wide homes.
        for row in [
            "0,0,000000001.50,0,0,0,0,1,0,0.00\n",
            "0,00000000000,1.50,0,0,0,0,1,0,0.00\n",
            "18446744073709551615,0,1.50,0,0,0,0,1,0,0.00\n",
            "18446744073709551616,0,1.50,0,0,0,0,1,0,0.00\n",
            "0,0,999999999999999.99,0,0,0,0,1,0,0.00\n",
            "0,0,9999999999999999.99,0,0,0,0,1,0,0.00\n",
            "0,0,12345678.90,0,0,0,0,1,0,12345678.90\n",
            "0,0,-1.00,0,0,0,0,1,0,0.00\n",
            "0,0,+1.00,0,0,0,0,1,0,0.00\n",
            "0,+1,1.00,0,0,0,0,1,0,0.00\n",
            "0,0,1.00,0,0,0,0,4294967296,0,0.00\n",
            "0,0,1.00,0,0,0,0,12,0,0.00\r\n",
            "0,0,1.00,0,0,0,0,1,0,0.00\r\r\n",
            "0,0,1.00,0,0,0,0,1,0,0.00\r",
            "0,0,1.00,2,0,0,0,1,0,0.00\n",
            "0,0,1.00,0,0,0,0,1,0,0.001\n",
            "0,0,1.00,0,0,0,0,1,0,0.0\n",
            "0,0,.00,0,0,0,0,1,0,0.00\n",
            "0,0,1.00,0,0,0,0,,0,0.00\n",
        ] {
            let mut bytes = HEADER.as_bytes().to_vec();
            for _ in 0..4 {
                bytes.extend_from_slice(row.as_bytes());
            }
            // Enough rows after it for the fast path's look-ahead.
            bytes.extend_from_slice(&csv(&Population::generate(4, 1)).as_bytes()[HEADER.len()..]);
            same(&bytes, 3);
        }
    }

    /// One field of a row: the common shapes (small integers, money with two decimals) and
    /// the malformed ones (signs, leading zeros, long digit runs, odd decimals, stray bytes).
    fn any_field() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        prop_oneof![
            4 => "[0-9]{1,8}\\.[0-9]{2}",
            3 => "[0-9]{1,3}",
            1 => "",
            1 => "[-+][0-9]{1,4}(\\.[0-9]{2})?",
            1 => "0{1,12}[0-9]{1,3}(\\.[0-9]{0,3})?",
            1 => "[0-9]{9,24}(\\.[0-9]{2})?",
            1 => "[0-9]{0,3}\\.[0-9]{0,4}",
            1 => "[ x,.\\r\\n\\t\\x00-]{1,2}",
        ]
    }

    fn any_row() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        (
            proptest::collection::vec(any_field(), 8..=12),
            prop_oneof![6 => Just("\n"), 1 => Just("\r\n"), 1 => Just("\r"), 1 => Just("\n\n"), 1 => Just("\r\r\n")],
        )
            .prop_map(|(fields, end)| fields.join(",") + end)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(cases(512)))]

        /// On any bytes, the fast path reads what the general parser reads, or fails with
        /// the same error, whole or in random pieces.
        #[test]
        fn prop_fast_path_equals_general_parser_on_any_bytes(
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..400),
            seed in proptest::prelude::any::<u64>(),
        ) {
            same(&bytes, seed);
        }

        /// On rows of the peer's shape with any field values and line ends (a header or
        /// not, valid rows of the generated population after them for the look-ahead), the
        /// fast path reads what the general parser reads.
        #[test]
        fn prop_fast_path_equals_general_parser_on_rows(
            header in proptest::prelude::any::<bool>(),
            rows in proptest::collection::vec(any_row(), 0..30),
            tail in 0usize..6,
            seed in proptest::prelude::any::<u64>(),
        ) {
            let mut text = if header { HEADER.to_owned() } else { String::new() };
            for r in &rows {
                text.push_str(r);
            }
            let valid = csv(&Population::generate(tail, seed));
            text.push_str(valid.get(HEADER.len()..).unwrap_or(""));
            same(text.as_bytes(), seed);
        }
    }

    #[test]
    fn cuts_fall_on_household_boundaries_and_the_pieces_add_up() {
        let policy = peer::policy().unwrap();
        let rules = Rules::new(&policy).unwrap();
        let pop = Population::generate(3_000, 11);
        let path = std::env::temp_dir().join(format!("bangfu-cuts-{}.csv", std::process::id()));
        std::fs::write(&path, csv(&pop)).unwrap();
        let whole = rules.evaluate(&pop).unwrap();
        for parts in 1..=4 {
            let cuts = peer::household_cuts(&path, parts).unwrap();
            assert_eq!(cuts.len() as u64, parts + 1);
            let bytes = std::fs::read(&path).unwrap();
            let mut sum = Totals::default();
            for w in cuts.windows(2) {
                let piece = &bytes[w[0] as usize..w[1] as usize];
                let mut t = Totals::default();
                peer::for_each_household(piece, |h| rules.add(h, &mut t)).unwrap();
                sum.merge(&t).unwrap();
            }
            assert_eq!(sum, whole);
        }
        std::fs::remove_file(&path).unwrap();
    }
}
