//! Reasons a decision pays less than asked (or nothing): decisions, not errors.

use core::fmt;

bangfu_core::coded_enum! {
    /// A reason attached to an aid decision (决定理由): which limit bit, or why nothing is
    /// paid. "Over the cap" is a decision, not an error.
    ///
    /// ```
    /// use bangfu_aid::Reason;
    /// use bangfu_core::Labelled;
    /// assert_eq!(Reason::MedicalCapped.code(), "aid.medical.capped");
    /// assert_eq!(Reason::MedicalCapped.zh(), "达到年度封顶线");
    /// ```
    pub enum Reason {
        /// The yearly medical cap limited the aid (封顶).
        MedicalCapped = ("aid.medical.capped", "达到年度封顶线", "limited by the yearly cap"),
        /// The cap was already reached by earlier payments this year: nothing more is paid.
        MedicalCapReached = ("aid.medical.cap_reached", "本年度已达封顶线", "the yearly cap was already reached"),
        /// The aid was limited to the out-of-pocket cost (不超过自付费用).
        MedicalLimitedToCost = ("aid.medical.limited_to_cost", "不超过自付费用", "limited to the out-of-pocket cost"),
        /// The claim adds no aid beyond what was already paid this year.
        MedicalNothingMore = ("aid.medical.nothing_more", "已足额救助", "nothing more is due beyond earlier payments"),
        /// The living aid per-time maximum limited the payment (单次最高).
        LivingPerTimeMax = ("aid.living.per_time_max", "达到单次最高标准", "limited by the per-time maximum"),
        /// The remaining yearly living-aid standard limited the payment (年度标准).
        LivingYearlyCap = ("aid.living.yearly_cap", "受年度标准限制", "limited by the yearly standard"),
        /// The yearly living-aid standard was already used up: nothing more is paid.
        LivingYearlyCapReached = ("aid.living.yearly_cap_reached", "本年度生活救助已达标准", "the yearly living-aid standard is used up"),
        /// The sending-warmth amount asked was raised to the range's minimum.
        WarmthRaisedToMin = ("aid.sending_warmth.raised_to_min", "提高至标准下限", "raised to the range minimum"),
        /// The sending-warmth amount asked was lowered to the range's maximum.
        WarmthLoweredToMax = ("aid.sending_warmth.lowered_to_max", "降低至标准上限", "lowered to the range maximum"),
        /// The student was already paid education aid this year: once a year (每年一次).
        EducationAlreadyPaid = ("aid.education.already_paid_this_year", "本年度已助学", "already paid education aid this year"),
        /// The policy pays no education aid for the student's school stage.
        EducationStageNotCovered = ("aid.education.stage_not_covered", "该学段不在助学范围", "the school stage is not covered"),
        /// The file is not payable on the date (remaining-entitlement queries only).
        FileNotPayable = ("aid.remaining.file_not_payable", "档案当日不可发放", "the file is not payable on the date"),
        /// Temporary aid limited by what is left of the yearly cap per person.
        TemporaryCapped = ("aid.temporary.yearly_cap", "受每人每年临时救助上限限制", "limited by the yearly cap per person"),
        /// The yearly temporary-aid cap per person was already used up.
        TemporaryCapReached = ("aid.temporary.yearly_cap_reached", "本年度临时救助已达上限", "the yearly cap per person is used up"),
        /// The worker's household is filed: temporary aid is for workers who are not.
        TemporaryWorkerFiled = ("aid.temporary.worker_filed", "已建档职工不适用临时救助", "the worker is filed: temporary aid is for workers who are not"),
        /// The event, or whose event it is, does not qualify.
        TemporaryNotQualifying = ("aid.temporary.not_qualifying", "事件或人员不符合临时救助条件", "the event or the person does not qualify"),
    }
}

/// A set of [`Reason`]s, stored as bits: `Copy`, never allocates. Serde writes the list of
/// codes in declaration order.
///
/// # Example
/// ```
/// use bangfu_aid::{Reason, ReasonSet};
/// let mut set = ReasonSet::EMPTY;
/// set.insert(Reason::MedicalCapped);
/// assert!(set.contains(Reason::MedicalCapped));
/// assert_eq!(set.iter().count(), 1);
/// assert_eq!(serde_json::to_string(&set)?, r#"["aid.medical.capped"]"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ReasonSet(u32);

impl ReasonSet {
    /// No reasons.
    pub const EMPTY: ReasonSet = ReasonSet(0);

    fn bit(reason: Reason) -> u32 {
        let index = Reason::ALL.iter().position(|r| *r == reason).unwrap_or(0);
        1u32 << (index % 32)
    }

    /// Adds a reason.
    pub fn insert(&mut self, reason: Reason) {
        self.0 |= ReasonSet::bit(reason);
    }

    /// Whether the set holds `reason`.
    pub fn contains(self, reason: Reason) -> bool {
        self.0 & ReasonSet::bit(reason) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The reasons, in declaration order.
    pub fn iter(self) -> impl Iterator<Item = Reason> {
        Reason::ALL
            .iter()
            .copied()
            .filter(move |r| self.contains(*r))
    }
}

impl fmt::Debug for ReasonSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(Reason::code))
            .finish()
    }
}

impl FromIterator<Reason> for ReasonSet {
    fn from_iter<I: IntoIterator<Item = Reason>>(iter: I) -> Self {
        let mut set = ReasonSet::EMPTY;
        for r in iter {
            set.insert(r);
        }
        set
    }
}

impl serde::Serialize for ReasonSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for ReasonSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let list = <Vec<Reason> as serde::Deserialize>::deserialize(deserializer)?;
        Ok(list.into_iter().collect())
    }
}

/// The schema of a reason set: a list of reason codes (as it serializes).
#[cfg(feature = "schema")]
impl schemars::JsonSchema for ReasonSet {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("ReasonSet")
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Vec<Reason>>::json_schema(generator)
    }
}

// At most 32 reasons fit the bit set.
const _: () = assert!(Reason::ALL.len() <= 32);
