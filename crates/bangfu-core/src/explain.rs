//! Explanations: what a decision or an amount used and how it was reached.

use chrono::NaiveDate;

use crate::{Citation, CitationId};

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
pub struct ParameterUse {
    /// The parameter's name, such as `aid.medical.cap`.
    pub name: String,
    /// The value, as text.
    pub value: String,
    /// The date the value came into force.
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
pub struct Step {
    /// The step in Chinese.
    pub zh: String,
    /// The step in English.
    pub en: String,
    /// The value it produced, as text.
    pub result: String,
}

impl Step {
    /// A step.
    pub fn new(zh: impl Into<String>, en: impl Into<String>, result: impl Into<String>) -> Step {
        Step {
            zh: zh.into(),
            en: en.into(),
            result: result.into(),
        }
    }
}

/// A full explanation (计算说明): the rule applied, inputs, parameters and steps.
///
/// # Example
/// ```
/// use bangfu_core::{Explanation, Step};
/// let mut e = Explanation::new("aid.medical");
/// e.input("out_of_pocket", "40000.00");
/// e.step(Step::new("封顶 15000.00", "capped at 15000.00", "15000.00"));
/// assert_eq!(e.inputs.len(), 1);
/// assert_eq!(e.steps.len(), 1);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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
}
