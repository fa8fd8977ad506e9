//! Citations: where a parameter value or a rule comes from.

use std::collections::BTreeMap;

use crate::{CitationId, CoreError};

/// A citation (出处): a document, the section in it, and a note.
///
/// `assumed` marks a value the source does not give, chosen by the policy's author; the note
/// says why.
///
/// # Example
/// ```
/// use bangfu_core::Citation;
/// let c = Citation::new("海南省职工服务（帮扶）中心2018年度帮扶资金绩效自评报告").section("六(一)3");
/// assert_eq!(c.to_string(), "海南省职工服务（帮扶）中心2018年度帮扶资金绩效自评报告 六(一)3");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Citation {
    /// The document (文件).
    pub document: String,
    /// The section, article or page (条款).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Whether the value is assumed rather than given by the document (假定值).
    #[serde(default, skip_serializing_if = "core::ops::Not::not")]
    pub assumed: bool,
}

impl Citation {
    /// A citation of a whole document.
    ///
    /// # Example
    /// ```
    /// assert_eq!(bangfu_core::Citation::new("财预〔2020〕10号").section, None);
    /// ```
    pub fn new(document: impl Into<String>) -> Citation {
        Citation {
            document: document.into(),
            section: None,
            note: None,
            assumed: false,
        }
    }

    /// With a section.
    ///
    /// # Example
    /// ```
    /// let c = bangfu_core::Citation::new("seed").section("二(一)");
    /// assert_eq!(c.section.as_deref(), Some("二(一)"));
    /// ```
    pub fn section(mut self, section: impl Into<String>) -> Citation {
        self.section = Some(section.into());
        self
    }

    /// With a note.
    ///
    /// # Example
    /// ```
    /// let c = bangfu_core::Citation::new("seed").note("figure in 万元");
    /// assert_eq!(c.note.as_deref(), Some("figure in 万元"));
    /// ```
    pub fn note(mut self, note: impl Into<String>) -> Citation {
        self.note = Some(note.into());
        self
    }

    /// Marked as assumed.
    ///
    /// # Example
    /// ```
    /// assert!(bangfu_core::Citation::new("policy author").assumed().assumed);
    /// ```
    pub fn assumed(mut self) -> Citation {
        self.assumed = true;
        self
    }
}

impl core::fmt::Display for Citation {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.document)?;
        if let Some(s) = &self.section {
            write!(f, " {s}")?;
        }
        if self.assumed {
            f.write_str(" (assumed)")?;
        }
        Ok(())
    }
}

/// A table of citations by id, as a policy file holds them.
///
/// # Example
/// ```
/// use bangfu_core::{Citation, CitationId, Citations};
/// let mut table = Citations::default();
/// let id = CitationId::new("seed.2.1")?;
/// table.insert(id.clone(), Citation::new("seed").section("二(一)"));
/// assert!(table.get(&id).is_ok());
/// assert!(table.get(&CitationId::new("nope")?).is_err());
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct Citations(BTreeMap<CitationId, Citation>);

impl Citations {
    /// Adds or replaces a citation.
    pub fn insert(&mut self, id: CitationId, citation: Citation) {
        self.0.insert(id, citation);
    }

    /// The citation with this id.
    ///
    /// # Errors
    /// [`CoreError::UnknownCitation`].
    pub fn get(&self, id: &CitationId) -> Result<&Citation, CoreError> {
        self.0
            .get(id)
            .ok_or_else(|| CoreError::UnknownCitation(id.to_string()))
    }

    /// Whether the id is defined.
    pub fn contains(&self, id: &CitationId) -> bool {
        self.0.contains_key(id)
    }

    /// The citations in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&CitationId, &Citation)> {
        self.0.iter()
    }
}
