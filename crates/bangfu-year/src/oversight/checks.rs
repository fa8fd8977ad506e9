//! Payments with their checks (发放核查): the card each file registers, the bank's return of
//! each payment (the card credited and the amount), the SMS notice and its result, the
//! call-back sample (电话回访) drawn reproducibly from the payments and each call's outcome.

use bangfu_core::{CitationId, HouseholdId, Money, NaiveDate, Rate, RoundingRule, Timeline};
use bangfu_funding::PostingId;

use super::OversightError;

/// A bank or union member service card number as kept (会员服务卡号, 脱敏): the first 4–6
/// digits, at least four `*`, the last 4 digits, 12–19 characters in all. A full number is
/// refused (`checks.card_unmasked`), so that none is ever stored; anything else is
/// `checks.card_malformed`.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// use bangfu_year::oversight::MaskedCard;
/// assert!(MaskedCard::new("621700******1234").is_ok());
/// assert_eq!(MaskedCard::new("6217001234561234").unwrap_err().code(), "checks.card_unmasked");
/// assert_eq!(MaskedCard::new("6217-1234").unwrap_err().code(), "checks.card_malformed");
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct MaskedCard(String);

impl MaskedCard {
    /// A masked card number.
    ///
    /// # Errors
    /// `checks.card_unmasked` for a number of digits only; `checks.card_malformed`.
    pub fn new(text: &str) -> Result<MaskedCard, OversightError> {
        let len = text.chars().count();
        if (12..=19).contains(&len) && text.chars().all(|c| c.is_ascii_digit()) {
            return Err(OversightError::CardUnmasked);
        }
        let head = text.chars().take_while(char::is_ascii_digit).count();
        let rest = text.get(head..).unwrap_or_default();
        let stars = rest.chars().take_while(|c| *c == '*').count();
        let tail = rest.get(stars..).unwrap_or_default();
        let ok = (12..=19).contains(&len)
            && (4..=6).contains(&head)
            && stars >= 4
            && tail.len() == 4
            && tail.chars().all(|c| c.is_ascii_digit());
        if ok {
            Ok(MaskedCard(text.to_owned()))
        } else {
            Err(OversightError::CardMalformed)
        }
    }

    /// The masked number.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for MaskedCard {
    type Error = OversightError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        MaskedCard::new(&s).map_err(|e| bangfu_core::read::noted(e, &s))
    }
}

impl From<MaskedCard> for String {
    fn from(c: MaskedCard) -> String {
        c.0
    }
}

impl core::fmt::Display for MaskedCard {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(&self.0)
    }
}

bangfu_core::coded_enum! {
    /// What became of an SMS notice (短信告知结果).
    ///
    /// ```
    /// use bangfu_year::oversight::NoticeResult;
    /// assert_eq!(NoticeResult::from_code("failed"), Some(NoticeResult::Failed));
    /// ```
    pub enum NoticeResult {
        /// Delivered to the worker's phone (送达).
        Delivered = ("delivered", "送达", "delivered"),
        /// Sent and not delivered (发送失败).
        Failed = ("failed", "发送失败", "not delivered"),
    }
}

/// The SMS notice of a payment (短信告知): when it was sent and what became of it.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// The day sent.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// Its result.
    pub result: NoticeResult,
}

bangfu_core::coded_enum! {
    /// The outcome of a call-back (回访结果).
    ///
    /// ```
    /// use bangfu_year::oversight::CallOutcome;
    /// assert!(CallOutcome::Confirmed.confirms());
    /// assert!(!CallOutcome::SomeoneElse.confirms());
    /// ```
    pub enum CallOutcome {
        /// The worker confirms the money arrived, in full (确认到账).
        Confirmed = ("confirmed", "确认到账", "confirmed"),
        /// The worker says nothing arrived (未收到).
        NotReceived = ("not_received", "未收到", "not received"),
        /// Less arrived than was paid (金额不符).
        AmountDiffers = ("amount_differs", "金额不符", "amount differs"),
        /// Someone else took the money (他人冒领).
        SomeoneElse = ("someone_else", "他人冒领", "collected by someone else"),
        /// No one could be reached (无法联系).
        Unreachable = ("unreachable", "无法联系", "unreachable"),
    }
}

impl CallOutcome {
    /// Whether the call confirms the payment.
    pub fn confirms(self) -> bool {
        self == CallOutcome::Confirmed
    }
}

/// One line of `payment-checks.jsonl` (发放核查记录), by its `type`.
///
/// # Example
/// ```
/// use bangfu_year::oversight::CheckRecord;
/// let line = r#"{"type":"card","household":"TY-0001","card":"621700******1234","from":"2018-03-01"}"#;
/// let r: CheckRecord = serde_json::from_str(line)?;
/// assert!(matches!(r, CheckRecord::Card(_)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum CheckRecord {
    /// The card a household's file registers from a date (档案登记卡号).
    Card(CardOnFile),
    /// The bank's return of a payment and its SMS notice.
    Payment(PaymentCheck),
    /// The call-back sample drawn.
    Sample(SampleDraw),
    /// One call-back.
    Callback(Callback),
}

/// The card a household's file registers, from a date (the latest from on or before a
/// payment's date is the one the payment must go to).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CardOnFile {
    /// The household.
    pub household: HouseholdId,
    /// The card, masked.
    pub card: MaskedCard,
    /// From when the file registers it.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub from: NaiveDate,
}

/// The bank's return of one payment (银行回单): the card credited and the amount, and the SMS
/// notice when one was sent.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentCheck {
    /// The payment (ledger posting id).
    pub payment: PostingId,
    /// The card credited, masked.
    pub card: MaskedCard,
    /// The amount credited.
    pub credited: Money,
    /// The SMS notice, if one was sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice: Option<Notice>,
}

/// The call-back sample drawn (回访抽样): the day, who drew it and the seed, from which the
/// sample is drawn again by anyone ([`crate::ProgrammeYear::callback_sample`]).
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleDraw {
    /// The day it was drawn: the payments made by then form the frame.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// Who drew it.
    pub by: String,
    /// The seed.
    pub seed: u64,
}

/// One call-back (电话回访): the payment, the day, the caller and the outcome.
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Callback {
    /// The payment (ledger posting id).
    pub payment: PostingId,
    /// The day.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// Who called.
    pub by: String,
    /// What came of it.
    pub outcome: CallOutcome,
    /// A note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The policy's rules of the payment checks (`[payment_checks]` of `policy.toml`), dated and
/// cited: the call-back ratio of the payments, its rounding per unit and the least calls per
/// unit with payments.
///
/// # Example
/// ```
/// let p = bangfu_data::guinan2019::policy()?;
/// let c = p.payment_checks.as_ref().ok_or("no [payment_checks]")?;
/// let d = bangfu_core::NaiveDate::from_ymd_opt(2019, 12, 31).unwrap();
/// assert_eq!(c.callback_ratio.at("payment_checks.callback_ratio", d)?.value.to_string(), "0.02");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PaymentChecksPolicy {
    /// The share of the payments called back (回访比例).
    pub callback_ratio: Timeline<Rate>,
    /// How ratio × a unit's payments becomes whole calls.
    pub callback_rounding: Timeline<RoundingRule>,
    /// The least calls of a unit with payments.
    pub callback_min_per_unit: Timeline<u32>,
}

impl PaymentChecksPolicy {
    /// Every citation id the section uses.
    pub fn citation_ids(&self) -> Vec<&CitationId> {
        let mut ids: Vec<&CitationId> = self
            .callback_ratio
            .entries()
            .iter()
            .map(|e| &e.cite)
            .collect();
        ids.extend(self.callback_rounding.entries().iter().map(|e| &e.cite));
        ids.extend(self.callback_min_per_unit.entries().iter().map(|e| &e.cite));
        ids
    }

    /// Checks the section: every call-back ratio at most 1.
    ///
    /// # Errors
    /// `checks.invalid_ratio`.
    pub fn validate(&self) -> Result<(), OversightError> {
        match self
            .callback_ratio
            .entries()
            .iter()
            .find(|e| e.value.as_decimal() > Rate::ONE.as_decimal())
        {
            Some(e) => Err(OversightError::InvalidRatio(e.value.to_string())),
            None => Ok(()),
        }
    }

    /// The sampling design in force on `date` (the scoring crate's, over payments).
    ///
    /// # Errors
    /// `core.parameter.not_in_force`.
    pub fn design(&self, date: NaiveDate) -> Result<bangfu_scoring::SampleDesign, OversightError> {
        Ok(bangfu_scoring::SampleDesign {
            ratio: self
                .callback_ratio
                .at("payment_checks.callback_ratio", date)?
                .value,
            rounding: self
                .callback_rounding
                .at("payment_checks.callback_rounding", date)?
                .value,
            min_per_stratum: self
                .callback_min_per_unit
                .at("payment_checks.callback_min_per_unit", date)?
                .value,
        })
    }
}
