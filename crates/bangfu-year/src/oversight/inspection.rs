//! Self-inspection (自查自纠): the problems the union finds in its own work, each with an owner
//! and a due date, and their fixes (整改) recorded as events.

use bangfu_core::NaiveDate;

/// One line of `self-inspection.jsonl`, by its `type`: a problem found, or a fix of one.
///
/// # Example
/// ```
/// use bangfu_year::oversight::InspectionRecord;
/// let line = r#"{"type":"item","id":"ZC-01","date":"2019-11-20","problem":"台账不全","owner":"城东区总工会","due":"2019-12-31"}"#;
/// let r: InspectionRecord = serde_json::from_str(line)?;
/// assert!(matches!(r, InspectionRecord::Item(_)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum InspectionRecord {
    /// A problem found (自查发现问题).
    Item(InspectionItem),
    /// A fix of a problem (整改).
    Fix(InspectionFix),
}

/// A problem the self-inspection found: its id, the day, what is wrong, the records it
/// concerns, who must fix it and by when.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionItem {
    /// The item's id (1–64 characters of letters, digits and `- _ . / :`).
    pub id: super::ItemId,
    /// The day found.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// What is wrong.
    pub problem: String,
    /// The records concerned (posting ids, case ids, households), if any.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub records: Vec<String>,
    /// Who must fix it (责任人或责任单位).
    pub owner: String,
    /// By when (整改期限).
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub due: NaiveDate,
}

/// A fix of an item (整改措施): the day, who, what was done, and whether it closes the item.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionFix {
    /// The item fixed.
    pub item: super::ItemId,
    /// The day.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// Who.
    pub by: String,
    /// What was done.
    pub action: String,
    /// Whether the item is fixed with it (整改完毕); a partial step leaves it open.
    pub closes: bool,
}

bangfu_core::coded_enum! {
    /// Where a self-inspection item stands on a date (整改状态).
    ///
    /// ```
    /// use bangfu_year::oversight::ItemStatus;
    /// assert_eq!(ItemStatus::Overdue.code(), "overdue");
    /// ```
    pub enum ItemStatus {
        /// Fixed (已整改).
        Closed = ("closed", "已整改", "fixed"),
        /// Open, not yet due (整改中).
        Open = ("open", "整改中", "open"),
        /// Open after its due date (逾期未整改).
        Overdue = ("overdue", "逾期未整改", "overdue"),
    }
}

/// An item with its fixes and where it stands on a date.
///
/// # Example
/// See [`crate::oversight::OversightReport`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ItemState {
    /// The item.
    pub item: InspectionItem,
    /// Its fixes by the date, in file order.
    pub fixes: Vec<InspectionFix>,
    /// Where it stands.
    pub status: ItemStatus,
}

impl ItemState {
    /// The item as it stands on `as_of`: closed when a closing fix is dated on or before it,
    /// else open, overdue when `as_of` is after its due date. Fixes after `as_of` are not
    /// counted.
    ///
    /// # Example
    /// ```
    /// use bangfu_year::oversight::{InspectionFix, InspectionItem, ItemState, ItemStatus};
    /// let d = |m, day| bangfu_core::NaiveDate::from_ymd_opt(2019, m, day).unwrap();
    /// let item = InspectionItem { id: "ZC-01".parse()?, date: d(11, 1), problem: "x".into(),
    ///     records: vec![], owner: "y".into(), due: d(11, 30) };
    /// let fix = InspectionFix { item: "ZC-01".parse()?, date: d(12, 2), by: "y".into(), action: "z".into(), closes: true };
    /// assert_eq!(ItemState::on(item.clone(), &[fix.clone()], d(11, 30)).status, ItemStatus::Open);
    /// assert_eq!(ItemState::on(item.clone(), &[fix.clone()], d(12, 1)).status, ItemStatus::Overdue);
    /// assert_eq!(ItemState::on(item, &[fix], d(12, 2)).status, ItemStatus::Closed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn on(item: InspectionItem, fixes: &[InspectionFix], as_of: NaiveDate) -> ItemState {
        let fixes: Vec<InspectionFix> = fixes
            .iter()
            .filter(|f| f.item == item.id && f.date <= as_of)
            .cloned()
            .collect();
        let status = if fixes.iter().any(|f| f.closes) {
            ItemStatus::Closed
        } else if as_of > item.due {
            ItemStatus::Overdue
        } else {
            ItemStatus::Open
        };
        ItemState {
            item,
            fixes,
            status,
        }
    }
}
