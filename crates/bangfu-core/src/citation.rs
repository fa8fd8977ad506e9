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

/// A citation to write into JSON (an explanation's parameter or step): a citation, or one
/// of a [`Citations`] table, whose JSON was written when it entered the table and is copied.
///
/// # Example
/// ```
/// use bangfu_core::{Citation, CitationRef};
/// let c = Citation::new("doc").section("六(一)3");
/// let mut out = Vec::new();
/// CitationRef::from(&c).write_json(&mut out);
/// assert_eq!(out, serde_json::to_vec(&c)?);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CitationRef<'a>(Cite<'a>);

#[derive(Debug, Clone, Copy)]
enum Cite<'a> {
    Value(&'a Citation),
    Written(&'a Entry),
}

impl<'a> From<&'a Citation> for CitationRef<'a> {
    fn from(c: &'a Citation) -> Self {
        CitationRef(Cite::Value(c))
    }
}

impl CitationRef<'_> {
    /// The citation.
    pub fn citation(&self) -> &Citation {
        match self.0 {
            Cite::Value(c) => c,
            Cite::Written(e) => &e.citation,
        }
    }

    /// Appends the citation as `serde_json` writes it (see [`crate::json::citation`]).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        match self.0 {
            Cite::Value(c) => crate::json::citation(out, c),
            Cite::Written(e) => out.extend_from_slice(&e.json),
        }
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
#[derive(Clone, Default, PartialEq, Eq)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(transparent))]
pub struct Citations(
    #[cfg_attr(feature = "schema", schemars(with = "BTreeMap<CitationId, Citation>"))]
    BTreeMap<CitationId, Entry>,
);

/// A citation of the table and its JSON, written once when it enters the table (what
/// `serde_json` writes for it): an explanation that cites it many times copies those bytes
/// (see [`Citations::cited`]) instead of escaping its long texts again each time.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    citation: Citation,
    json: Box<[u8]>,
}

impl Entry {
    fn new(citation: Citation) -> Entry {
        let mut json = Vec::new();
        crate::json::citation(&mut json, &citation);
        Entry {
            citation,
            json: json.into_boxed_slice(),
        }
    }
}

impl Citations {
    /// Adds or replaces a citation.
    pub fn insert(&mut self, id: CitationId, citation: Citation) {
        self.0.insert(id, Entry::new(citation));
    }

    /// The citation with this id.
    ///
    /// # Errors
    /// [`CoreError::UnknownCitation`].
    pub fn get(&self, id: &CitationId) -> Result<&Citation, CoreError> {
        self.0
            .get(id)
            .map(|e| &e.citation)
            .ok_or_else(|| CoreError::UnknownCitation(id.to_string()))
    }

    /// The citation with this id as `serde_json` writes it, written when it entered the
    /// table; `None` when the id is not in the table.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Citation, CitationId, Citations};
    /// let mut table = Citations::default();
    /// let id = CitationId::new("seed.6.1")?;
    /// let c = Citation::new("自评报告").section("六(一)3").note("50%, \"capped\"");
    /// table.insert(id.clone(), c.clone());
    /// assert_eq!(table.json(&id), Some(serde_json::to_vec(&c)?.as_slice()));
    /// assert_eq!(table.json(&CitationId::new("nope")?), None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn json(&self, id: &CitationId) -> Option<&[u8]> {
        self.0.get(id).map(|e| &*e.json)
    }

    /// The citation with this id, to be written into JSON as its bytes written already (see
    /// [`CitationRef`]); `None` when the id is not in the table.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{Citation, CitationId, Citations};
    /// let mut table = Citations::default();
    /// let id = CitationId::new("seed.6.1")?;
    /// table.insert(id.clone(), Citation::new("自评报告"));
    /// let mut out = Vec::new();
    /// table.cited(&id).unwrap().write_json(&mut out);
    /// assert_eq!(out, r#"{"document":"自评报告"}"#.as_bytes());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn cited(&self, id: &CitationId) -> Option<CitationRef<'_>> {
        self.0.get(id).map(|e| CitationRef(Cite::Written(e)))
    }

    /// Whether the id is defined.
    pub fn contains(&self, id: &CitationId) -> bool {
        self.0.contains_key(id)
    }

    /// The citations in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&CitationId, &Citation)> {
        self.0.iter().map(|(id, e)| (id, &e.citation))
    }
}

impl core::fmt::Debug for Citations {
    /// The table of citations by id (as a map of the ids to the citations).
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl FromIterator<(CitationId, Citation)> for Citations {
    fn from_iter<I: IntoIterator<Item = (CitationId, Citation)>>(iter: I) -> Citations {
        Citations(
            iter.into_iter()
                .map(|(id, c)| (id, Entry::new(c)))
                .collect(),
        )
    }
}

impl serde::Serialize for Citations {
    /// The map of ids to citations (as the map itself serializes).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Citations {
    /// A map of ids to citations (read as the map itself reads).
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        BTreeMap::<CitationId, Citation>::deserialize(d).map(|m| m.into_iter().collect())
    }
}

#[cfg(all(test, feature = "schema"))]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// The table's schema is the schema of the map it reads and writes.
    #[test]
    fn the_schema_is_the_map_of_ids_to_citations() {
        let table = serde_json::to_value(schemars::schema_for!(Citations)).unwrap();
        let map = serde_json::to_value(schemars::schema_for!(BTreeMap<CitationId, Citation>));
        let (mut table, mut map) = (table, map.unwrap());
        // Only the title (the type's name) and the type's description may differ.
        for s in [&mut table, &mut map] {
            s.as_object_mut().unwrap().remove("title");
            s.as_object_mut().unwrap().remove("description");
        }
        assert_eq!(table, map);
    }
}
