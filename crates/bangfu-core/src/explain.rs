//! Explanations: what a decision or an amount used and how it was reached.

use core::fmt;

use chrono::NaiveDate;

use crate::{Citation, CitationId, Lang};

/// One parameter value a decision used (所用参数), with its date and source.
///
/// # Example
/// ```
/// use bangfu_core::{Citation, CitationId, ParameterUse};
/// let used = ParameterUse {
///     name: "aid.medical.rate".into(),
///     value: "0.5".into(),
///     from: chrono::NaiveDate::from_ymd_opt(2018, 1, 1).unwrap(),
///     cite: CitationId::new("seed.6.1.3")?,
///     citation: Some(Citation::new("seed").section("六(一)3")),
/// };
/// assert_eq!(used.value, "0.5");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ParameterUse {
    /// The parameter's name, such as `aid.medical.cap`.
    pub name: String,
    /// The value, as text.
    pub value: String,
    /// The date the value came into force.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "crate::iso_date")]
    pub from: NaiveDate,
    /// The citation id.
    pub cite: CitationId,
    /// The citation itself, when the caller's policy table had it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
}

/// One step of arithmetic or reasoning, in both languages, with its result.
///
/// # Example
/// ```
/// let step = bangfu_core::Step::new("50% × 40000.00 = 20000.00", "50% × 40000.00 = 20000.00", "20000.00");
/// assert_eq!(step.result, "20000.00");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Step {
    /// The step in Chinese.
    pub zh: String,
    /// The step in English.
    pub en: String,
    /// The value it produced, as text.
    pub result: String,
    /// The citation id of the rule the step applies (条款依据); every step of the
    /// calculators and of the eligibility decision has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<CitationId>,
    /// The date the cited value came into force.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::iso_date::option"
    )]
    #[cfg_attr(feature = "schema", schemars(with = "Option<NaiveDate>"))]
    pub from: Option<NaiveDate>,
    /// The citation itself (document, section), when the explaining code has the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub citation: Option<Citation>,
}

impl Step {
    /// A step.
    pub fn new(zh: impl Into<String>, en: impl Into<String>, result: impl Into<String>) -> Step {
        Step {
            zh: zh.into(),
            en: en.into(),
            result: result.into(),
            cite: None,
            from: None,
            citation: None,
        }
    }

    /// The step citing the rule it applies: the citation id, the date the value came into
    /// force, and the citation itself when known.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{CitationId, NaiveDate, Step};
    /// let from = NaiveDate::from_ymd_opt(2018, 1, 1).unwrap();
    /// let step = Step::new("封顶 15000.00", "capped at 15000.00", "15000.00")
    ///     .cited(CitationId::new("aid.seed.medical")?, from, None);
    /// assert_eq!(step.cite.unwrap().as_str(), "aid.seed.medical");
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn cited(mut self, cite: CitationId, from: NaiveDate, citation: Option<Citation>) -> Step {
        self.cite = Some(cite);
        self.from = Some(from);
        self.citation = citation;
        self
    }
}

/// A full explanation (计算说明): the rule applied, inputs, parameters and steps.
///
/// `{}` shows it as text in Chinese, `{:#}` in English ([`Explanation::text`] picks the
/// language from a [`Lang`]): the rule, one line per input and per parameter (value,
/// effective date, citation id and citation), then the numbered steps in the calculators'
/// own words.
///
/// # Example
/// ```
/// use bangfu_core::{Explanation, Step};
/// let mut e = Explanation::new("aid.medical");
/// e.input("out_of_pocket", "40000.00");
/// e.step(Step::new("封顶 15000.00", "capped at 15000.00", "15000.00"));
/// assert_eq!(e.inputs.len(), 1);
/// assert_eq!(e.steps.len(), 1);
/// assert!(e.to_string().contains("1. 封顶 15000.00"));
/// assert!(format!("{e:#}").contains("1. capped at 15000.00"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Explanation {
    /// The rule's code.
    pub rule: String,
    /// The inputs used, by name.
    pub inputs: Vec<(String, String)>,
    /// The parameter values used.
    pub parameters: Vec<ParameterUse>,
    /// The steps, in order.
    pub steps: Vec<Step>,
}

impl Explanation {
    /// An empty explanation of a rule.
    pub fn new(rule: impl Into<String>) -> Explanation {
        Explanation {
            rule: rule.into(),
            ..Explanation::default()
        }
    }

    /// Records an input.
    pub fn input(&mut self, name: impl Into<String>, value: impl ToString) {
        self.inputs.push((name.into(), value.to_string()));
    }

    /// Records a parameter use.
    pub fn parameter(&mut self, used: ParameterUse) {
        self.parameters.push(used);
    }

    /// Records a step.
    pub fn step(&mut self, step: Step) {
        self.steps.push(step);
    }

    /// Appends the explanation as `serde_json` writes it (compact), written by hand into
    /// `out`: whether every value could be written.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Explanation, Step};
    /// let mut e = Explanation::new("aid.medical");
    /// e.input("out_of_pocket", "40000.00");
    /// e.step(Step::new("封顶 15000.00", "capped at \"15000.00\"", "15000.00"));
    /// let mut out = Vec::new();
    /// assert!(e.write_json(&mut out));
    /// assert_eq!(out, serde_json::to_vec(&e)?);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn write_json(&self, out: &mut Vec<u8>) -> bool {
        use crate::json::{self, Array, Object};
        let mut o = Object::open(out);
        o.str("rule", &self.rule);
        o.with("inputs", |out| {
            let mut a = Array::open(out);
            for (name, value) in &self.inputs {
                a.with(|out| {
                    let mut pair = Array::open(out);
                    json::string(pair.item(), name);
                    json::string(pair.item(), value);
                    pair.close()
                });
            }
            a.close()
        });
        o.with("parameters", |out| {
            let mut a = Array::open(out);
            for p in &self.parameters {
                a.with(|out| {
                    json::parameter(
                        out,
                        &p.name,
                        &p.value,
                        p.from,
                        &p.cite,
                        p.citation.as_ref().map(Into::into),
                    )
                });
            }
            a.close()
        });
        o.with("steps", |out| {
            let mut a = Array::open(out);
            for s in &self.steps {
                a.with(|out| {
                    json::step(
                        out,
                        &s.zh,
                        &s.en,
                        &s.result,
                        s.cite.as_ref(),
                        s.from,
                        s.citation.as_ref().map(Into::into),
                    )
                });
            }
            a.close()
        });
        o.close()
    }

    /// The explanation as text in one language (`Display`); `{}` on the explanation itself
    /// is [`Lang::Zh`] and `{:#}` is [`Lang::En`].
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Explanation, Lang, Step};
    /// let mut e = Explanation::new("aid.medical");
    /// e.input("out_of_pocket", "40000.00");
    /// e.step(Step::new("封顶 15000.00", "capped at 15000.00", "15000.00"));
    /// assert_eq!(
    ///     e.text(Lang::En).to_string(),
    ///     "rule aid.medical\ninputs:\n  out_of_pocket = 40000.00\nsteps:\n  1. capped at 15000.00\n",
    /// );
    /// assert_eq!(e.text(Lang::Zh).to_string(), e.to_string());
    /// ```
    pub fn text(&self, lang: Lang) -> ExplanationText<'_> {
        ExplanationText {
            explanation: self,
            lang,
        }
    }
}

impl fmt::Display for Explanation {
    /// Chinese text; with `{:#}`, English. See [`Explanation::text`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lang = if f.alternate() { Lang::En } else { Lang::Zh };
        self.text(lang).fmt(f)
    }
}

/// An [`Explanation`] shown as text in one language (说明文本), from [`Explanation::text`].
///
/// # Example
/// ```
/// use bangfu_core::{Explanation, Lang};
/// let e = Explanation::new("aid.living");
/// assert_eq!(e.text(Lang::Zh).to_string(), "规则 aid.living\n");
/// ```
#[derive(Debug, Clone, Copy)]
pub struct ExplanationText<'a> {
    explanation: &'a Explanation,
    lang: Lang,
}

impl fmt::Display for ExplanationText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let e = self.explanation;
        let zh = self.lang == Lang::Zh;
        let pick = |z: &'static str, en: &'static str| if zh { z } else { en };
        writeln!(f, "{} {}", pick("规则", "rule"), e.rule)?;
        if !e.inputs.is_empty() {
            writeln!(f, "{}", pick("输入：", "inputs:"))?;
            for (name, value) in &e.inputs {
                writeln!(f, "  {name} = {value}")?;
            }
        }
        if !e.parameters.is_empty() {
            writeln!(f, "{}", pick("参数：", "parameters:"))?;
            for p in &e.parameters {
                let since = pick("自", "from");
                write!(
                    f,
                    "  {} = {} ({since} {}; {}",
                    p.name, p.value, p.from, p.cite
                )?;
                if let Some(c) = &p.citation {
                    write!(f, ": {c}")?;
                }
                writeln!(f, ")")?;
            }
        }
        if !e.steps.is_empty() {
            writeln!(f, "{}", pick("步骤：", "steps:"))?;
            for (i, step) in e.steps.iter().enumerate() {
                let text = if zh { &step.zh } else { &step.en };
                write!(f, "  {}. {text}", i.saturating_add(1))?;
                // Most steps end with their result already; show it only when it does not.
                if !text.ends_with(step.result.as_str()) {
                    write!(f, " → {}", step.result)?;
                }
                writeln!(f)?;
            }
        }
        Ok(())
    }
}
