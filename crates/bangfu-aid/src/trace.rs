//! Recording explanations only when asked: when off, nothing is formatted or allocated.

use core::fmt::Display;

use bangfu_core::{Citations, Dated, Explanation, Labelled, Lang, Money, ParameterUse, Step};

use crate::ReasonSet;

/// Whether a decision carries an [`Explanation`] (计算说明). Off by default; asking for one
/// never changes the amount.
///
/// # Example
/// ```
/// assert_eq!(bangfu_aid::Explain::default(), bangfu_aid::Explain::Off);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Explain {
    /// No explanation: the fast path, which allocates nothing.
    #[default]
    Off,
    /// A full explanation: inputs, parameters with their dates and citations, steps.
    On,
}

/// An explanation being recorded, or nothing.
pub(crate) struct Trace<'a> {
    ex: Option<Explanation>,
    citations: Option<&'a Citations>,
}

impl<'a> Trace<'a> {
    pub(crate) fn new(
        explain: Explain,
        rule: &'static str,
        citations: Option<&'a Citations>,
    ) -> Self {
        Trace {
            ex: match explain {
                Explain::Off => None,
                Explain::On => Some(Explanation::new(rule)),
            },
            citations,
        }
    }

    pub(crate) fn input(&mut self, name: &'static str, value: impl Display) {
        if let Some(e) = &mut self.ex {
            e.input(name, value);
        }
    }

    pub(crate) fn param<T: Display>(&mut self, name: impl Display, used: &Dated<T>) {
        self.param_text(name, used, |v| v.to_string());
    }

    pub(crate) fn param_text<T>(
        &mut self,
        name: impl Display,
        used: &Dated<T>,
        text: impl FnOnce(&T) -> String,
    ) {
        if let Some(e) = &mut self.ex {
            e.parameter(ParameterUse {
                name: name.to_string(),
                value: text(&used.value),
                from: used.from,
                cite: used.cite.clone(),
                citation: self.citations.and_then(|c| c.get(&used.cite).ok()).cloned(),
            });
        }
    }

    pub(crate) fn step(&mut self, step: impl FnOnce() -> Step) {
        if let Some(e) = &mut self.ex {
            e.step(step());
        }
    }

    /// Records which limits bit (or why nothing is paid), then returns the explanation.
    pub(crate) fn finish_with(mut self, reasons: ReasonSet, amount: Money) -> Option<Explanation> {
        self.step(|| {
            let join = |lang: Lang, sep: &str| {
                reasons
                    .iter()
                    .map(|r| r.label(lang))
                    .collect::<Vec<_>>()
                    .join(sep)
            };
            if reasons.is_empty() {
                Step::new("无限额起作用", "no limit bit", amount.to_string())
            } else {
                Step::new(
                    format!("起作用的限额：{}", join(Lang::Zh, "；")),
                    format!("limits that bit: {}", join(Lang::En, "; ")),
                    amount.to_string(),
                )
            }
        });
        self.ex
    }
}
