//! The union organisation tree as data (工会组织体系): `units.toml`, one definition of the
//! units that the year (roll-ups, [`crate::rollup`]), the report (the units' names) and a
//! store's account scopes (`bangfu-journal`) all read.
//!
//! ```toml
//! [[unit]]
//! id = "center"
//! level = "center"
//! zh = "海南省职工服务（帮扶）中心"
//! en = "Hainan Province Workers' Service (Aid) Center"
//!
//! [[unit]]
//! id = "hainan-reclamation"
//! parent = "center"
//! level = "industrial_union"
//! zh = "海南省农垦投资控股集团有限公司工会"
//! en = "Hainan Agricultural Reclamation group union"
//! ```
//!
//! `parent` names the unit above (the root has none; a tree has exactly one root), `level`
//! is `center` (帮扶中心), `industrial_union` (产业工会), `system_union` (系统工会) or
//! `grassroots` (基层工会), `zh` and `en` are the unit's names (`name` is read as `zh`, as
//! the first stores wrote it). A unit listed twice (`tree.duplicate_unit`), a parent that is
//! not a unit (`tree.unknown_parent`), a unit that is its own ancestor (`tree.cycle`) and a
//! second unit without a parent (`tree.two_roots`) are refused, each with the line of its
//! `[[unit]]`.

use std::collections::BTreeMap;

use bangfu_core::{Coded, Labelled, Lang, UnitId};
use serde::{Deserialize, Serialize};

use crate::input::InputError;

bangfu_core::coded_enum! {
    /// The level of a unit in the tree (组织层级).
    ///
    /// ```
    /// assert_eq!(bangfu_year::tree::UnitLevel::IndustrialUnion.code(), "industrial_union");
    /// ```
    #[non_exhaustive]
    pub enum UnitLevel {
        /// The aid center or the federation at the top (帮扶中心).
        Center = ("center", "帮扶中心", "center"),
        /// An industrial union (产业工会), e.g. the reclamation group's union.
        IndustrialUnion = ("industrial_union", "产业工会", "industrial union"),
        /// A system union (系统工会), e.g. the provincial organs' union federation or a
        /// former system union.
        SystemUnion = ("system_union", "系统工会", "system union"),
        /// A grassroots union (基层工会).
        Grassroots = ("grassroots", "基层工会", "grassroots union"),
    }
}

/// One unit of the tree (工会组织): its id, the unit above, its level and names.
///
/// # Example
/// ```
/// let tree = bangfu_year::tree::UnitTree::from_toml("[[unit]]\nid = \"center\"\nzh = \"中心\"\n")?;
/// let unit = tree.get(&"center".parse()?).unwrap();
/// assert_eq!(unit.zh.as_deref(), Some("中心"));
/// assert_eq!(unit.parent, None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// The unit's id (as households' `worker.union_unit` and payments' `unit` name it).
    pub id: UnitId,
    /// The unit above; `None` for the root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitId>,
    /// Its level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<UnitLevel>,
    /// Its name in Chinese (`name` in the first stores' files).
    #[serde(default, alias = "name", skip_serializing_if = "Option::is_none")]
    pub zh: Option<String>,
    /// Its name in English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

/// `units.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct UnitsFile {
    #[serde(default)]
    unit: Vec<Unit>,
}

/// Why a tree was refused (组织体系有误), with the line of the `[[unit]]` concerned (0 when
/// there is none).
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// let e = bangfu_year::tree::UnitTree::from_toml("[[unit]]\nid = \"a\"\n[[unit]]\nid = \"b\"\n").unwrap_err();
/// assert_eq!((e.code(), e.line()), ("tree.two_roots", 3));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TreeError {
    /// The file could not be read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A unit listed twice.
    #[error("unit {unit} is listed twice")]
    Duplicate {
        /// The unit.
        unit: UnitId,
        /// The line of its second `[[unit]]`.
        line: usize,
    },
    /// A parent that is not a unit of the tree.
    #[error("the parent {parent} of unit {unit} is not a unit of the tree")]
    UnknownParent {
        /// The unit.
        unit: UnitId,
        /// The parent it names.
        parent: UnitId,
        /// The line of its `[[unit]]`.
        line: usize,
    },
    /// A unit that is its own ancestor.
    #[error("unit {unit} is its own ancestor")]
    Cycle {
        /// The unit.
        unit: UnitId,
        /// The line of its `[[unit]]`.
        line: usize,
    },
    /// A second unit without a parent: a tree has one root.
    #[error("unit {unit} has no parent, and neither has {root}: a tree has one root")]
    TwoRoots {
        /// The first root.
        root: UnitId,
        /// The second unit without a parent.
        unit: UnitId,
        /// The line of its `[[unit]]`.
        line: usize,
    },
    /// A sum over the tree's records that does not fit (`core.money.overflow`).
    #[error(transparent)]
    Core(#[from] bangfu_core::CoreError),
    /// A unit a record names that the tree does not have.
    #[error("unit {unit} is not a unit of the tree (units.toml)")]
    UnknownUnit {
        /// The unit named.
        unit: UnitId,
    },
}

impl TreeError {
    /// The line of the file the error concerns (0: none).
    pub fn line(&self) -> usize {
        match self {
            TreeError::Input(e) => e.line().unwrap_or(0),
            TreeError::Duplicate { line, .. }
            | TreeError::UnknownParent { line, .. }
            | TreeError::Cycle { line, .. }
            | TreeError::TwoRoots { line, .. } => *line,
            TreeError::UnknownUnit { .. } | TreeError::Core(_) => 0,
        }
    }
}

impl Coded for TreeError {
    fn code(&self) -> &'static str {
        match self {
            TreeError::Input(e) => e.code(),
            TreeError::Core(e) => e.code(),
            TreeError::Duplicate { .. } => "tree.duplicate_unit",
            TreeError::UnknownParent { .. } => "tree.unknown_parent",
            TreeError::Cycle { .. } => "tree.cycle",
            TreeError::TwoRoots { .. } => "tree.two_roots",
            TreeError::UnknownUnit { .. } => "tree.unknown_unit",
        }
    }
}

impl Labelled for TreeError {
    fn zh(&self) -> &'static str {
        match self {
            TreeError::Input(e) => e.zh(),
            TreeError::Core(e) => e.zh(),
            TreeError::Duplicate { .. } => "组织重复",
            TreeError::UnknownParent { .. } => "上级组织不存在",
            TreeError::Cycle { .. } => "组织层级成环",
            TreeError::TwoRoots { .. } => "组织体系有两个顶层",
            TreeError::UnknownUnit { .. } => "组织不在组织体系中",
        }
    }

    fn en(&self) -> &'static str {
        match self {
            TreeError::Input(e) => e.en(),
            TreeError::Core(e) => e.en(),
            TreeError::Duplicate { .. } => "unit listed twice",
            TreeError::UnknownParent { .. } => "parent not a unit",
            TreeError::Cycle { .. } => "unit its own ancestor",
            TreeError::TwoRoots { .. } => "two roots",
            TreeError::UnknownUnit { .. } => "unit not in the tree",
        }
    }
}

/// The union organisation tree (工会组织体系): center → industrial and system unions →
/// grassroots unions, from `units.toml`. The empty tree (no file) has no units.
///
/// # Example
/// ```
/// let tree = bangfu_year::tree::UnitTree::from_toml(
///     "[[unit]]\nid = \"center\"\n[[unit]]\nid = \"reclamation\"\nparent = \"center\"\n[[unit]]\nid = \"farm-7\"\nparent = \"reclamation\"\n",
/// )?;
/// assert!(tree.covers(&"center".parse()?, &"farm-7".parse()?));
/// assert!(!tree.covers(&"farm-7".parse()?, &"reclamation".parse()?));
/// assert_eq!(tree.root().map(|u| u.as_str()), Some("center"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitTree {
    /// The units in file order.
    units: Vec<Unit>,
    /// Each unit's position in `units`.
    index: BTreeMap<UnitId, usize>,
}

/// The line of each `[[unit]]` header of `text`, in order (from 1).
fn header_lines(text: &str) -> Vec<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| {
            let l = l.trim_start_matches('\u{feff}').trim();
            l.starts_with("[[unit]]") || l.starts_with("[[ unit ]]")
        })
        .map(|(i, _)| i.saturating_add(1))
        .collect()
}

impl UnitTree {
    /// Reads `units.toml`.
    ///
    /// # Errors
    /// The reading's problem with its line (`read.syntax`, `read.unknown_field`, …);
    /// `tree.duplicate_unit`, `tree.unknown_parent`, `tree.cycle`, `tree.two_roots` with
    /// the line of the unit concerned.
    pub fn from_toml(text: &str) -> Result<UnitTree, TreeError> {
        let file: UnitsFile = crate::input::parse_toml(text)?;
        let lines = header_lines(text);
        UnitTree::new_with_lines(file.unit, &lines)
    }

    /// The tree of `units`, in this order.
    ///
    /// # Errors
    /// As [`UnitTree::from_toml`]; the line is the unit's position (from 1).
    ///
    /// # Example
    /// ```
    /// use bangfu_year::tree::{Unit, UnitTree};
    /// let unit = |id: &str, parent: Option<&str>| Unit { id: id.parse().unwrap(), parent: parent.map(|p| p.parse().unwrap()), level: None, zh: None, en: None };
    /// let e = UnitTree::new(vec![unit("a", Some("b")), unit("b", Some("a"))]).unwrap_err();
    /// assert_eq!(bangfu_core::Coded::code(&e), "tree.cycle");
    /// ```
    pub fn new(units: Vec<Unit>) -> Result<UnitTree, TreeError> {
        let lines: Vec<usize> = (1..=units.len()).collect();
        UnitTree::new_with_lines(units, &lines)
    }

    fn new_with_lines(units: Vec<Unit>, lines: &[usize]) -> Result<UnitTree, TreeError> {
        let line = |i: usize| lines.get(i).copied().unwrap_or(0);
        let mut index = BTreeMap::new();
        for (i, u) in units.iter().enumerate() {
            if index.insert(u.id.clone(), i).is_some() {
                return Err(TreeError::Duplicate {
                    unit: u.id.clone(),
                    line: line(i),
                });
            }
        }
        for (i, u) in units.iter().enumerate() {
            if let Some(p) = &u.parent
                && !index.contains_key(p)
            {
                return Err(TreeError::UnknownParent {
                    unit: u.id.clone(),
                    parent: p.clone(),
                    line: line(i),
                });
            }
        }
        let tree = UnitTree { units, index };
        for (i, u) in tree.units.iter().enumerate() {
            if tree.ancestors(&u.id).count() > tree.units.len() {
                return Err(TreeError::Cycle {
                    unit: u.id.clone(),
                    line: line(i),
                });
            }
        }
        let mut roots = tree
            .units
            .iter()
            .enumerate()
            .filter(|(_, u)| u.parent.is_none());
        if let (Some((_, first)), Some((i, second))) = (roots.next(), roots.next()) {
            return Err(TreeError::TwoRoots {
                root: first.id.clone(),
                unit: second.id.clone(),
                line: line(i),
            });
        }
        Ok(tree)
    }

    /// `unit` and the units above it, nearest first (at most one more than the tree holds).
    pub fn ancestors<'a>(&'a self, unit: &'a UnitId) -> impl Iterator<Item = &'a UnitId> + 'a {
        let limit = self.units.len().saturating_add(2);
        std::iter::successors(Some(unit), move |u| {
            self.get(u).and_then(|u| u.parent.as_ref())
        })
        .take(limit)
    }

    /// Whether `scope` covers `unit`: it is the unit or a unit above it.
    pub fn covers(&self, scope: &UnitId, unit: &UnitId) -> bool {
        self.ancestors(unit).any(|u| u == scope)
    }

    /// Whether the tree holds `unit`.
    pub fn contains(&self, unit: &UnitId) -> bool {
        self.index.contains_key(unit)
    }

    /// `Ok` when the tree holds `unit`.
    ///
    /// # Errors
    /// `tree.unknown_unit`.
    pub fn check(&self, unit: &UnitId) -> Result<(), TreeError> {
        if self.contains(unit) {
            Ok(())
        } else {
            Err(TreeError::UnknownUnit { unit: unit.clone() })
        }
    }

    /// The unit `id`.
    pub fn get(&self, id: &UnitId) -> Option<&Unit> {
        self.index.get(id).and_then(|i| self.units.get(*i))
    }

    /// The units, in file order.
    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    /// Whether the tree has no units (no `units.toml`).
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The root (the unit without a parent), if the tree has units.
    pub fn root(&self) -> Option<&UnitId> {
        self.units
            .iter()
            .find(|u| u.parent.is_none())
            .map(|u| &u.id)
    }

    /// The units directly below `id`, in file order.
    pub fn children<'a>(&'a self, id: &'a UnitId) -> impl Iterator<Item = &'a UnitId> + 'a {
        self.units
            .iter()
            .filter(move |u| u.parent.as_ref() == Some(id))
            .map(|u| &u.id)
    }

    /// The name of `id` in `lang` (the other language's, then the id, when the tree has
    /// none).
    pub fn name(&self, id: &UnitId, lang: Lang) -> String {
        let unit = self.get(id);
        let (first, second) = match lang {
            Lang::Zh => (
                unit.and_then(|u| u.zh.as_ref()),
                unit.and_then(|u| u.en.as_ref()),
            ),
            Lang::En => (
                unit.and_then(|u| u.en.as_ref()),
                unit.and_then(|u| u.zh.as_ref()),
            ),
        };
        first
            .or(second)
            .cloned()
            .unwrap_or_else(|| id.as_str().to_owned())
    }
}

impl crate::evaluation::ReportFile {
    /// The report file with the units' names of `tree`, the one definition of the units: the
    /// tree's units in its order, each with the tree's names (a name the tree lacks is the
    /// report file's, then the id), then the units only the report file names.
    ///
    /// # Example
    /// ```
    /// use bangfu_year::evaluation::ReportFile;
    /// use bangfu_year::tree::UnitTree;
    /// let report = ReportFile::from_toml(bangfu_data::hainan2018::REPORT_TOML)?;
    /// let tree = UnitTree::from_toml(bangfu_data::hainan2018::UNITS_TOML)?;
    /// let named = report.with_tree(&tree);
    /// assert_eq!(named.units[0].id.as_str(), "center");
    /// assert_eq!(named.unit_name(&"hainan-reclamation".parse()?).zh, "海南省农垦投资控股集团有限公司工会");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_tree(&self, tree: &UnitTree) -> crate::evaluation::ReportFile {
        let mut out = self.clone();
        let from_file = |id: &UnitId| self.units.iter().find(|u| &u.id == id);
        let mut units: Vec<crate::evaluation::UnitName> = tree
            .units()
            .iter()
            .map(|u| {
                let file = from_file(&u.id);
                let pick = |tree_name: &Option<String>, file_name: Option<&String>| {
                    tree_name
                        .clone()
                        .or_else(|| file_name.cloned())
                        .unwrap_or_else(|| u.id.as_str().to_owned())
                };
                crate::evaluation::UnitName {
                    id: u.id.clone(),
                    zh: pick(&u.zh, file.map(|f| &f.zh)),
                    en: pick(&u.en, file.map(|f| &f.en)),
                }
            })
            .collect();
        units.extend(self.units.iter().filter(|u| !tree.contains(&u.id)).cloned());
        out.units = units;
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]
    use super::*;

    fn code(text: &str) -> (&'static str, usize) {
        let e = UnitTree::from_toml(text).unwrap_err();
        (e.code(), e.line())
    }

    #[test]
    fn bad_trees_are_refused_with_their_line() {
        let dup = "[[unit]]\nid = \"a\"\n\n[[unit]]\nid = \"b\"\nparent = \"a\"\n[[unit]]\nid = \"b\"\nparent = \"a\"\n";
        assert_eq!(code(dup), ("tree.duplicate_unit", 7));
        let unknown = "[[unit]]\nid = \"a\"\n[[unit]]\nid = \"b\"\nparent = \"z\"\n";
        assert_eq!(code(unknown), ("tree.unknown_parent", 3));
        let cycle = "[[unit]]\nid = \"r\"\n[[unit]]\nid = \"a\"\nparent = \"b\"\n[[unit]]\nid = \"b\"\nparent = \"a\"\n";
        assert_eq!(code(cycle), ("tree.cycle", 3));
        let own = "[[unit]]\nid = \"a\"\nparent = \"a\"\n";
        assert_eq!(code(own), ("tree.cycle", 1));
        let roots =
            "[[unit]]\nid = \"a\"\n[[unit]]\nid = \"b\"\nparent = \"a\"\n[[unit]]\nid = \"c\"\n";
        assert_eq!(code(roots), ("tree.two_roots", 6));
        assert_eq!(
            code("[[unit]]\nid = \"a\"\nlevel = \"farm\"\n").0,
            "read.unknown_code"
        );
        assert_eq!(
            code("[[unit]]\nid = \"a\"\ncolour = 1\n").0,
            "read.unknown_field"
        );
    }

    #[test]
    fn names_fall_back_to_the_other_language_then_the_id() {
        let t = UnitTree::from_toml(
            "[[unit]]\nid = \"c\"\nname = \"中心\"\n[[unit]]\nid = \"d\"\nparent = \"c\"\nen = \"D\"\nlevel = \"grassroots\"\n",
        )
        .unwrap();
        let id = |s: &str| -> UnitId { s.parse().unwrap() };
        assert_eq!(t.name(&id("c"), Lang::En), "中心");
        assert_eq!(t.name(&id("d"), Lang::Zh), "D");
        assert_eq!(t.name(&id("x"), Lang::Zh), "x");
        assert_eq!(t.get(&id("d")).unwrap().level, Some(UnitLevel::Grassroots));
        assert_eq!(t.children(&id("c")).collect::<Vec<_>>(), vec![&id("d")]);
        assert!(t.check(&id("x")).is_err());
    }
}
