//! Explanations recorded cheaply and rendered only when shown.
//!
//! A decision asked to explain itself keeps a [`Trace`]: the inputs it used (copied, a few
//! words), the policy's dated parameters it used (by reference: value, effective date and
//! citation id stay in the policy), and every intermediate amount. Nothing is formatted and
//! nothing is allocated while deciding; [`Trace::render`] turns the record into the full
//! bilingual [`Explanation`] when a caller shows it. The record is complete: rendering
//! recomputes nothing (the one exception is the exact, unrounded product shown next to the
//! rounded one, which is formatting).

use core::fmt::{self, Display};

use bangfu_core::{
    Citations, Dated, Explanation, Labelled, Lang, Money, NaiveDate, ParameterUse, PersonId, Rate,
    RoundingRule, Step,
};

use crate::policy::TableKey;
use crate::{
    AmountRange, CapScope, DegreeCode, MedicalClaim, ReasonSet, SchoolStage, StandardUnit,
    YearToDate,
};

/// Whether a decision carries an explanation (计算说明). Off by default; asking for one
/// never changes the amount.
///
/// # Example
/// ```
/// assert_eq!(bangfu_aid::Explain::default(), bangfu_aid::Explain::Off);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Explain {
    /// No explanation: the fast path.
    #[default]
    Off,
    /// A full explanation: inputs, parameters with their dates and citations, steps. It is
    /// recorded as a [`Trace`] (no allocation for medical, living and sending-warmth
    /// decisions) and rendered by [`Trace::render`].
    On,
}

/// The record of how one aid decision was reached (计算记录): rendered to an
/// [`Explanation`] on demand.
///
/// It borrows the policy (and its citation table, when the calculator has one), so it lives
/// as long as the [`Calculator`](crate::Calculator)'s policy. `Clone`; comparing two traces
/// compares what they record.
///
/// # Example
/// ```
/// use bangfu_aid::{Calculator, Explain, MedicalClaim, YearToDate};
/// use bangfu_core::{Money, NaiveDate};
/// # #[derive(serde::Deserialize)] struct File { aid: bangfu_aid::AidPolicy, citations: bangfu_core::Citations }
/// # let policy: File = toml::from_str(include_str!("../data/hainan-2018.toml"))?;
/// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
/// let calc = Calculator::new(&policy.aid)?.with_citations(&policy.citations);
/// let claim = MedicalClaim {
///     date: NaiveDate::from_ymd_opt(2018, 5, 2).unwrap(),
///     out_of_pocket: Money::from_yuan(40_000)?,
/// };
/// let d = calc.medical(&file, claim, YearToDate::default(), Explain::On)?;
/// let trace = d.trace.as_ref().unwrap();
/// assert_eq!(trace.rule(), "aid.medical");
/// let e = trace.render();
/// assert_eq!(e.steps.last().unwrap().result, "15000.00");
/// assert!(e.parameters.iter().all(|p| p.citation.is_some()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace<'p> {
    citations: Option<&'p Citations>,
    record: Record<'p>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Record<'p> {
    Medical(MedicalRecord<'p>),
    Living(LivingRecord<'p>),
    Warmth(WarmthRecord<'p>),
    Education(EducationRecord<'p>),
    Remaining(RemainingRecord<'p>),
    Temporary(TemporaryRecord<'p>),
}

/// The facts of the file a decision used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct FileInputs<'p> {
    /// The policy's own key for the file's degree.
    pub(crate) degree: &'p DegreeCode,
    pub(crate) severe: bool,
    pub(crate) household_size: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MedicalRecord<'p> {
    pub(crate) claim: MedicalClaim,
    pub(crate) so_far: YearToDate,
    pub(crate) rate: &'p Dated<Rate>,
    pub(crate) cap: &'p Dated<Money>,
    pub(crate) scope: &'p Dated<CapScope>,
    pub(crate) rounding: &'p Dated<RoundingRule>,
    pub(crate) total: Money,
    pub(crate) raw: Money,
    pub(crate) entitled: Money,
    pub(crate) amount: Money,
    pub(crate) reasons: ReasonSet,
}

/// The living-aid standard used when a claim names no amount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StandardUsed<'p> {
    pub(crate) unit: &'p Dated<StandardUnit>,
    pub(crate) key: TableKey,
    pub(crate) standard: &'p Dated<Money>,
    pub(crate) times: u32,
    pub(crate) amount: Money,
}

/// The yearly living-aid standard of a household, with the parameters it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct YearlyStandard<'p> {
    /// Which parameter gave the months: the degree's own or the common multiplier.
    pub(crate) multiplier_name: &'static str,
    pub(crate) multiplier: &'p Dated<Rate>,
    pub(crate) minimum_living_standard: &'p Dated<Money>,
    pub(crate) per_member: &'p Dated<bool>,
    pub(crate) rounding: &'p Dated<RoundingRule>,
    pub(crate) members: u32,
    pub(crate) cap: Money,
}

/// The yearly standard applied to one living-aid payment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct YearlyApplied<'p> {
    pub(crate) standard: YearlyStandard<'p>,
    pub(crate) before: Money,
    pub(crate) left: Money,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LivingRecord<'p> {
    pub(crate) date: NaiveDate,
    pub(crate) file: FileInputs<'p>,
    pub(crate) paid_this_year: Money,
    pub(crate) requested: Option<Money>,
    pub(crate) standard: Option<StandardUsed<'p>>,
    pub(crate) ask: Money,
    /// The per-time maximum that applied, and the amount after it.
    pub(crate) max: Option<(TableKey, &'p Dated<Money>, Money)>,
    pub(crate) yearly: Option<YearlyApplied<'p>>,
    pub(crate) amount: Money,
    pub(crate) reasons: ReasonSet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WarmthRecord<'p> {
    pub(crate) date: NaiveDate,
    pub(crate) file: FileInputs<'p>,
    pub(crate) range_key: TableKey,
    pub(crate) range: &'p Dated<AmountRange>,
    /// What an amount outside the range gets.
    pub(crate) handling: &'p Dated<crate::OutOfRange>,
    pub(crate) requested: Option<Money>,
    pub(crate) standard: Option<(TableKey, &'p Dated<Money>)>,
    pub(crate) ask: Money,
    pub(crate) amount: Money,
    pub(crate) reasons: ReasonSet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EducationRecord<'p> {
    pub(crate) date: NaiveDate,
    /// The caller's student id, copied (the only allocation of an explained decision).
    pub(crate) student: PersonId,
    pub(crate) stage: SchoolStage,
    pub(crate) already_paid: bool,
    /// The stage's standard, when the policy covers the stage.
    pub(crate) standard: Option<EducationStandard<'p>>,
    pub(crate) amount: Money,
    pub(crate) reasons: ReasonSet,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemporaryRecord<'p> {
    pub(crate) claim: crate::TemporaryClaim,
    pub(crate) paid_this_year: Money,
    pub(crate) cap: &'p Dated<Money>,
    pub(crate) events: &'p Dated<Vec<crate::TemporaryEvent>>,
    pub(crate) relations: &'p Dated<Vec<crate::Relation>>,
    pub(crate) amount: Money,
    pub(crate) reasons: ReasonSet,
}

impl TemporaryRecord<'_> {
    fn render<S: Sink>(&self, r: &mut Render<'_, S>) {
        let c = &self.claim;
        r.input("date", c.date);
        r.input("requested", c.requested);
        r.input("event", c.event);
        r.input("relation", c.relation);
        r.input("filed", c.filed);
        r.input("paid_this_year", self.paid_this_year);
        r.param("aid.temporary.yearly_cap_per_person", self.cap);
        r.param_text(
            &"aid.temporary.events",
            self.events,
            &Codes(&self.events.value),
        );
        r.param_text(
            &"aid.temporary.relations",
            self.relations,
            &Codes(&self.relations.value),
        );
        let (cap, paid, amount) = (self.cap.value, self.paid_this_year, self.amount);
        let left = cap.saturating_sub(paid);
        r.step(
            format_args!("本年剩余 = 每人每年上限 {cap} − 已付 {paid} = {left}"),
            format_args!("left this year = cap per person {cap} − paid {paid} = {left}"),
            left,
            by(self.cap),
        );
        r.finish(self.reasons, amount, by(self.cap));
    }
}

/// A school stage's education standard (助学标准): an amount, or months of the local minimum
/// living standard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EducationStandard<'p> {
    /// `aid.education.amount.<stage>`.
    Amount(&'p Dated<Money>),
    /// `aid.education.months.<stage>` × the minimum living standard, rounded.
    Months {
        months: &'p Dated<Rate>,
        standard: &'p Dated<Money>,
        rounding: &'p Dated<RoundingRule>,
        amount: Money,
    },
}

impl<'p> EducationStandard<'p> {
    /// The amount per student per year.
    pub(crate) fn value(&self) -> Money {
        match self {
            EducationStandard::Amount(v) => v.value,
            EducationStandard::Months { amount, .. } => *amount,
        }
    }

    /// The citation of the rule that gives the amount, with the date its value came into
    /// force.
    pub(crate) fn cited(&self) -> By<'p> {
        match self {
            EducationStandard::Amount(v) => (&v.cite, v.from),
            EducationStandard::Months { months, .. } => (&months.cite, months.from),
        }
    }

    /// The citation of the rule that gives the amount.
    pub(crate) fn cite(&self) -> &'p bangfu_core::CitationId {
        match self {
            EducationStandard::Amount(v) => &v.cite,
            EducationStandard::Months { months, .. } => &months.cite,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RemainingRecord<'p> {
    pub(crate) date: NaiveDate,
    pub(crate) status: bangfu_core::ArchiveStatus,
    pub(crate) file: FileInputs<'p>,
    pub(crate) medical_paid: Money,
    pub(crate) living_paid: Money,
    pub(crate) cap: &'p Dated<Money>,
    pub(crate) scope: &'p Dated<CapScope>,
    pub(crate) medical_remaining: Money,
    pub(crate) yearly: Option<(YearlyStandard<'p>, Money)>,
    pub(crate) reasons: ReasonSet,
}

impl<'p> Trace<'p> {
    pub(crate) fn new(citations: Option<&'p Citations>, record: Record<'p>) -> Trace<'p> {
        Trace { citations, record }
    }

    /// The code of the rule the decision applied, such as `aid.medical`.
    ///
    /// # Example
    /// See [`Trace`].
    pub fn rule(&self) -> &'static str {
        match &self.record {
            Record::Medical(_) => "aid.medical",
            Record::Living(_) => "aid.living",
            Record::Warmth(_) => "aid.sending_warmth",
            Record::Education(_) => "aid.education",
            Record::Remaining(_) => "aid.remaining_entitlement",
            Record::Temporary(_) => "aid.temporary",
        }
    }

    /// The full explanation: the inputs used, each parameter with its value, effective date,
    /// citation id (and the citation itself when the calculator has the citation table), and
    /// every step in Chinese and English with its result.
    ///
    /// # Example
    /// See [`Trace`].
    pub fn render(&self) -> Explanation {
        let mut r = Render {
            sink: Build(Explanation::new(self.rule())),
            citations: self.citations,
        };
        self.walk(&mut r);
        r.sink.0
    }

    /// Appends the explanation as `serde_json` writes the [`Explanation`] of
    /// [`Trace::render`], rendered straight into `out` from the record: the texts are
    /// formatted into the buffer, nothing is built then copied. Whether every value could be
    /// written.
    ///
    /// # Example
    /// ```
    /// use bangfu_aid::{Calculator, Explain, MedicalClaim, YearToDate};
    /// use bangfu_core::{Money, NaiveDate};
    /// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
    /// # let file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
    /// let calc = Calculator::new(&policy)?;
    /// let claim = MedicalClaim { date: NaiveDate::from_ymd_opt(2018, 5, 2).unwrap(), out_of_pocket: Money::from_yuan(40_000)? };
    /// let trace = calc.medical(&file, claim, YearToDate::default(), Explain::On)?.trace.unwrap();
    /// let mut out = Vec::new();
    /// assert!(trace.write_json(&mut out));
    /// assert_eq!(out, serde_json::to_vec(&trace.render())?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_json(&self, out: &mut Vec<u8>) -> bool {
        // The explanation lists the inputs, then the parameters, then the steps; the record
        // gives them in the calculation's order, so it is walked once per list, each walk
        // writing one list (formatting is lazy: what a walk does not write costs nothing).
        let mut o = bangfu_core::json::Object::open(out);
        o.str("rule", self.rule());
        for (name, part) in [
            ("inputs", Part::Inputs),
            ("parameters", Part::Parameters),
            ("steps", Part::Steps),
        ] {
            o.with(name, |out| {
                let mut r = Render {
                    sink: Write {
                        list: bangfu_core::json::Array::open(out),
                        part,
                    },
                    citations: self.citations,
                };
                self.walk(&mut r);
                r.sink.list.close()
            });
        }
        o.close()
    }

    /// Gives every input, parameter and step of the record to `r`, in order.
    fn walk<S: Sink>(&self, r: &mut Render<'_, S>) {
        match &self.record {
            Record::Medical(m) => m.render(r),
            Record::Living(l) => l.render(r),
            Record::Warmth(w) => w.render(r),
            Record::Education(e) => e.render(r),
            Record::Remaining(e) => e.render(r),
            Record::Temporary(t) => t.render(r),
        }
    }
}

/// Where a rendering goes: an [`Explanation`] built of owned texts, or one list of the
/// explanation written as JSON.
///
/// Each gets the citation table and looks a citation up only when it keeps what it is given
/// (a [`Write`] sink keeps one list of three).
trait Sink {
    fn input(&mut self, name: &'static str, value: &dyn Display);
    fn parameter(
        &mut self,
        name: &dyn Display,
        value: &dyn Display,
        from: NaiveDate,
        cite: &bangfu_core::CitationId,
        citations: Option<&Citations>,
    );
    fn step(
        &mut self,
        zh: fmt::Arguments<'_>,
        en: fmt::Arguments<'_>,
        result: Money,
        by: Option<By<'_>>,
        citations: Option<&Citations>,
    );
}

/// The citation of `cite` in the table, when there is one.
fn citation<'c>(
    citations: Option<&'c Citations>,
    cite: &bangfu_core::CitationId,
) -> Option<&'c bangfu_core::Citation> {
    citations.and_then(|c| c.get(cite).ok())
}

/// The sink of [`Trace::render`].
struct Build(Explanation);

impl Sink for Build {
    fn input(&mut self, name: &'static str, value: &dyn Display) {
        self.0.input(name, value);
    }

    fn parameter(
        &mut self,
        name: &dyn Display,
        value: &dyn Display,
        from: NaiveDate,
        cite: &bangfu_core::CitationId,
        citations: Option<&Citations>,
    ) {
        self.0.parameter(ParameterUse {
            name: name.to_string(),
            value: value.to_string(),
            from,
            cite: cite.clone(),
            citation: citation(citations, cite).cloned(),
        });
    }

    fn step(
        &mut self,
        zh: fmt::Arguments<'_>,
        en: fmt::Arguments<'_>,
        result: Money,
        by: Option<By<'_>>,
        citations: Option<&Citations>,
    ) {
        let mut step = Step::new(zh.to_string(), en.to_string(), result.to_string());
        if let Some((cite, from)) = by {
            step = step.cited(cite.clone(), from, citation(citations, cite).cloned());
        }
        self.0.step(step);
    }
}

/// Which list of the explanation a [`Write`] sink writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Part {
    Inputs,
    Parameters,
    Steps,
}

/// The sink of [`Trace::write_json`]: one list, written as JSON.
struct Write<'o> {
    list: bangfu_core::json::Array<'o>,
    part: Part,
}

impl Sink for Write<'_> {
    fn input(&mut self, name: &'static str, value: &dyn Display) {
        if self.part == Part::Inputs {
            self.list.with(|out| {
                let mut pair = bangfu_core::json::Array::open(out);
                bangfu_core::json::string(pair.item(), name);
                bangfu_core::json::display(pair.item(), value);
                pair.close()
            });
        }
    }

    fn parameter(
        &mut self,
        name: &dyn Display,
        value: &dyn Display,
        from: NaiveDate,
        cite: &bangfu_core::CitationId,
        citations: Option<&Citations>,
    ) {
        if self.part == Part::Parameters {
            // The citation's JSON as its table wrote it: copied, not escaped again.
            let citation = citations.and_then(|c| c.cited(cite));
            self.list
                .with(|out| bangfu_core::json::parameter(out, name, value, from, cite, citation));
        }
    }

    fn step(
        &mut self,
        zh: fmt::Arguments<'_>,
        en: fmt::Arguments<'_>,
        result: Money,
        by: Option<By<'_>>,
        citations: Option<&Citations>,
    ) {
        if self.part == Part::Steps {
            let citation = by.and_then(|(cite, _)| citations?.cited(cite));
            self.list.with(|out| {
                bangfu_core::json::step(
                    out,
                    zh,
                    en,
                    result,
                    by.map(|(cite, _)| cite),
                    by.map(|(_, from)| from),
                    citation,
                )
            });
        }
    }
}

/// Codes joined by `, ` (formatted only when rendered).
struct Codes<'a, T>(&'a [T]);

impl<T: bangfu_core::Coded> Display for Codes<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, c) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(c.code())?;
        }
        Ok(())
    }
}

/// The labels of reasons joined by `sep` (formatted only when rendered).
struct Labels<'a>(ReasonSet, Lang, &'a str);

impl Display for Labels<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Labels(reasons, lang, sep) = *self;
        for (i, r) in reasons.iter().enumerate() {
            if i > 0 {
                f.write_str(sep)?;
            }
            f.write_str(r.label(lang))?;
        }
        Ok(())
    }
}

/// The rule a step applies: the citation id of a dated value and the date it came into force.
type By<'a> = (&'a bangfu_core::CitationId, NaiveDate);

/// The rule of a dated value, for a step that applies it.
fn by<T>(d: &Dated<T>) -> Option<By<'_>> {
    Some((&d.cite, d.from))
}

/// An explanation being rendered into a [`Sink`].
struct Render<'a, S> {
    sink: S,
    citations: Option<&'a Citations>,
}

impl<S: Sink> Render<'_, S> {
    fn input(&mut self, name: &'static str, value: impl Display) {
        self.sink.input(name, &value);
    }

    fn param<T: Display>(&mut self, name: impl Display, used: &Dated<T>) {
        self.param_text(&name, used, &used.value);
    }

    fn param_text<T>(&mut self, name: &dyn Display, used: &Dated<T>, value: &dyn Display) {
        self.sink
            .parameter(name, value, used.from, &used.cite, self.citations);
    }

    /// A step, citing the rule it applies (`by`: the dated value whose citation it carries).
    fn step(
        &mut self,
        zh: fmt::Arguments<'_>,
        en: fmt::Arguments<'_>,
        result: Money,
        by: Option<By<'_>>,
    ) {
        self.sink.step(zh, en, result, by, self.citations);
    }

    fn file(&mut self, file: &FileInputs<'_>) {
        self.input("degree", file.degree);
        self.input("severe", file.severe);
        self.input("household_size", file.household_size);
    }

    /// Which limits bit (or why nothing is paid): the last step of every decision.
    fn finish(&mut self, reasons: ReasonSet, amount: Money, by: Option<By<'_>>) {
        if reasons.is_empty() {
            self.step(
                format_args!("无限额起作用"),
                format_args!("no limit bit"),
                amount,
                by,
            );
        } else {
            self.step(
                format_args!("起作用的限额：{}", Labels(reasons, Lang::Zh, "；")),
                format_args!("limits that bit: {}", Labels(reasons, Lang::En, "; ")),
                amount,
                by,
            );
        }
    }

    fn yearly(&mut self, y: &YearlyStandard<'_>) {
        self.param(y.multiplier_name, y.multiplier);
        self.param(
            bangfu_core::MINIMUM_STANDARD_PARAMETER,
            y.minimum_living_standard,
        );
        self.param("aid.living.yearly_cap.per_member", y.per_member);
        self.param("aid.living.rounding", y.rounding);
        let (mult, std, size, rounding, cap) = (
            y.multiplier.value,
            y.minimum_living_standard.value,
            y.members,
            y.rounding.value,
            y.cap,
        );
        self.step(
            format_args!("年度标准 = {mult} × 低保标准 {std} × {size}人，按{rounding}舍入 = {cap}"),
            format_args!(
                "yearly standard = {mult} × minimum living standard {std} × {size} member(s), rounded by {rounding} = {cap}"
            ),
            cap,
            by(y.multiplier),
        );
    }
}

impl MedicalRecord<'_> {
    fn render<S: Sink>(&self, r: &mut Render<'_, S>) {
        let (date, total, raw, entitled, amount) = (
            self.claim.date,
            self.total,
            self.raw,
            self.entitled,
            self.amount,
        );
        let (earlier, now, paid) = (self.so_far.cost, self.claim.out_of_pocket, self.so_far.paid);
        r.input("date", date);
        r.input("out_of_pocket", now);
        r.input("earlier_out_of_pocket_this_year", earlier);
        r.input("paid_this_year", paid);
        r.param("aid.medical.rate", self.rate);
        r.param("aid.medical.yearly_cap", self.cap);
        r.param("aid.medical.cap_scope", self.scope);
        r.param("aid.medical.rounding", self.rounding);
        let year = date.format("%Y");
        r.step(
            format_args!("{year}年累计自付费用 = {earlier} + {now} = {total}"),
            format_args!("out-of-pocket cost in {year} so far = {earlier} + {now} = {total}"),
            total,
            by(self.rate),
        );
        let (rate, rounding) = (self.rate.value, self.rounding.value);
        let exact = Exact(
            total
                .to_decimal_yuan()
                .checked_mul(rate.as_decimal())
                .map(|d| d.normalize()),
        );
        r.step(
            format_args!("{rate} × {total} = {exact}，按{rounding}舍入一次 = {raw}"),
            format_args!("{rate} × {total} = {exact}, rounded once by {rounding} = {raw}"),
            raw,
            by(self.rate),
        );
        let cap = self.cap.value;
        r.step(
            format_args!("min({raw}, 封顶 {cap}, 自付 {total}) = {entitled}"),
            format_args!("min({raw}, cap {cap}, out-of-pocket {total}) = {entitled}"),
            entitled,
            by(self.cap),
        );
        r.step(
            format_args!("本次救助 = {entitled} − 已救助 {paid} = {amount}"),
            format_args!("paid now = {entitled} − already paid {paid} = {amount}"),
            amount,
            by(self.rate),
        );
        r.finish(self.reasons, amount, by(self.cap));
    }
}

impl LivingRecord<'_> {
    fn render<S: Sink>(&self, r: &mut Render<'_, S>) {
        r.input("date", self.date);
        r.file(&self.file);
        r.input("paid_this_year", self.paid_this_year);
        if let Some(asked) = self.requested {
            r.input("requested", asked);
        }
        if let Some(s) = &self.standard {
            r.param("aid.living.standard_unit", s.unit);
            r.param(
                KeyName("aid.living.standard", s.key, self.file.degree),
                s.standard,
            );
            let (std, n, a) = (s.standard.value, s.times, s.amount);
            r.step(
                format_args!("标准金额 {std} × {n} = {a}"),
                format_args!("standard amount {std} × {n} = {a}"),
                a,
                by(s.standard),
            );
        }
        let ask = self.ask;
        // The rule of the last limit applied, which the closing step cites.
        let mut last = self.standard.as_ref().and_then(|s| by(s.standard));
        if let Some((key, max, after)) = self.max {
            r.param(
                KeyName("aid.living.max_per_time", key, self.file.degree),
                max,
            );
            last = by(max);
            let value = max.value;
            r.step(
                format_args!("min({ask}, 单次最高 {value}) = {after}"),
                format_args!("min({ask}, per-time maximum {value}) = {after}"),
                after,
                last,
            );
        }
        if let Some(y) = &self.yearly {
            r.yearly(&y.standard);
            let (before, cap, paid, left, amount) = (
                y.before,
                y.standard.cap,
                self.paid_this_year,
                y.left,
                self.amount,
            );
            r.step(
                format_args!("min({before}, 年度剩余 {cap} − {paid} = {left}) = {amount}"),
                format_args!("min({before}, left this year {cap} − {paid} = {left}) = {amount}"),
                amount,
                by(y.standard.multiplier),
            );
            last = by(y.standard.multiplier);
        }
        r.finish(self.reasons, self.amount, last);
    }
}

impl WarmthRecord<'_> {
    fn render<S: Sink>(&self, r: &mut Render<'_, S>) {
        r.input("date", self.date);
        r.file(&self.file);
        r.param(
            KeyName("aid.sending_warmth.range", self.range_key, self.file.degree),
            self.range,
        );
        r.param("aid.sending_warmth.out_of_range", self.handling);
        if let Some(asked) = self.requested {
            r.input("requested", asked);
        }
        if let Some((key, std)) = self.standard {
            r.param(
                KeyName("aid.sending_warmth.standard", key, self.file.degree),
                std,
            );
        }
        let (ask, range, amount) = (self.ask, self.range.value, self.amount);
        r.step(
            format_args!("{ask} 限定在 {range} 内 = {amount}"),
            format_args!("{ask} kept within {range} = {amount}"),
            amount,
            by(self.range),
        );
        r.finish(self.reasons, amount, by(self.range));
    }
}

impl EducationRecord<'_> {
    fn render<S: Sink>(&self, r: &mut Render<'_, S>) {
        let stage = self.stage;
        r.input("date", self.date);
        r.input("student", &self.student);
        r.input("stage", stage);
        r.input("already_paid_this_year", self.already_paid);
        let cited = self.standard.as_ref().map(EducationStandard::cited);
        match self.standard {
            None => r.step(
                format_args!("学段 {stage} 不在助学范围 = 0"),
                format_args!("stage {stage} is not covered = 0"),
                Money::ZERO,
                None,
            ),
            Some(s) => {
                let value = s.value();
                match s {
                    EducationStandard::Amount(v) => {
                        r.param_text(
                            &"aid.education.amount",
                            v,
                            &format_args!("{stage}: {}", v.value),
                        );
                    }
                    EducationStandard::Months {
                        months,
                        standard,
                        rounding,
                        amount,
                    } => {
                        r.param_text(
                            &"aid.education.months",
                            months,
                            &format_args!("{stage}: {}", months.value),
                        );
                        r.param(bangfu_core::MINIMUM_STANDARD_PARAMETER, standard);
                        r.param("aid.living.rounding", rounding);
                        let (m, l, how) = (months.value, standard.value, rounding.value);
                        r.step(
                            format_args!("{stage} 标准 = {m} 个月 × 低保标准 {l}，按{how}舍入 = {amount}"),
                            format_args!(
                                "{stage} amount = {m} months × minimum living standard {l}, rounded by {how} = {amount}"
                            ),
                            amount,
                            by(months),
                        );
                    }
                }
                if self.already_paid {
                    r.step(
                        format_args!("每生每年一次：本年已助学 = 0"),
                        format_args!("once per student per year: already paid this year = 0"),
                        self.amount,
                        cited,
                    );
                } else {
                    r.step(
                        format_args!("每生每年一次：{stage} 标准 {value}"),
                        format_args!("once per student per year: {stage} amount {value}"),
                        self.amount,
                        cited,
                    );
                }
            }
        }
        r.finish(self.reasons, self.amount, cited);
    }
}

impl RemainingRecord<'_> {
    fn render<S: Sink>(&self, r: &mut Render<'_, S>) {
        r.input("date", self.date);
        r.input("status", self.status);
        r.file(&self.file);
        r.input("medical_paid_this_year", self.medical_paid);
        r.input("living_paid_this_year", self.living_paid);
        r.param("aid.medical.yearly_cap", self.cap);
        r.param("aid.medical.cap_scope", self.scope);
        let (cap, paid, left) = (self.cap.value, self.medical_paid, self.medical_remaining);
        r.step(
            format_args!("医疗救助剩余 = {cap} − {paid} = {left}"),
            format_args!("medical aid left = {cap} − {paid} = {left}"),
            left,
            by(self.cap),
        );
        if let Some((y, left)) = &self.yearly {
            r.yearly(y);
            let (c, paid, left) = (y.cap, self.living_paid, *left);
            r.step(
                format_args!("生活救助剩余 = {c} − {paid} = {left}"),
                format_args!("living aid left = {c} − {paid} = {left}"),
                left,
                by(y.multiplier),
            );
        }
        r.finish(self.reasons, self.medical_remaining, by(self.cap));
    }
}

/// The exact, unrounded product shown beside the rounded one (`?` when it overflows).
struct Exact(Option<bangfu_core::Decimal>);

impl Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Some(d) => Display::fmt(d, f),
            None => f.write_str("?"),
        }
    }
}

/// The parameter name of a degree-table entry (formatted only when rendered).
struct KeyName<'a>(&'static str, TableKey, &'a DegreeCode);

impl Display for KeyName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let KeyName(base, key, degree) = self;
        match key {
            TableKey::Degree => write!(f, "{base}.{}.{degree}", key.suffix()),
            _ => write!(f, "{base}.{}", key.suffix()),
        }
    }
}
