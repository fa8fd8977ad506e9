//! Payment orders (发放指令): what the facade posts to the ledger, with an idempotency key.

use core::fmt;

use bangfu_core::{
    AidCategory, AidKind, ArchiveTier, CaseId, CitationId, HouseholdId, Money, NaiveDate, Year,
};

use crate::{AidDecision, AidError, ClaimId, FileFacts};

/// A payment order's idempotency key (幂等键): the same (case, category, kind, year, claim)
/// always gives the same key, so posting an order twice pays once.
///
/// The text is `aid|<case>|<category>|<kind>|<year>|<claim>`; ids cannot contain `|`, so
/// different inputs never give the same key.
///
/// # Example
/// ```
/// use bangfu_aid::{ClaimId, IdempotencyKey};
/// use bangfu_core::{AidCategory, AidKind, CaseId, Year};
/// let k = IdempotencyKey::derive(
///     &CaseId::new("HK-1/1")?, AidCategory::Medical, AidKind::Regular,
///     Year::new(2018)?, &ClaimId::new("m-7")?,
/// );
/// assert_eq!(k.as_str(), "aid|HK-1/1|medical|regular|2018|m-7");
/// # Ok::<(), bangfu_core::CoreError>(())
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// The key of a payment.
    pub fn derive(
        case: &CaseId,
        category: AidCategory,
        kind: AidKind,
        period: Year,
        claim: &ClaimId,
    ) -> IdempotencyKey {
        IdempotencyKey(
            KeyText {
                case,
                category,
                kind,
                period,
                claim,
            }
            .to_string(),
        )
    }

    /// The key as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The text of an idempotency key, formatted where it is shown (the one place that says
/// what a key is made of).
pub(crate) struct KeyText<'a> {
    pub(crate) case: &'a CaseId,
    pub(crate) category: AidCategory,
    pub(crate) kind: AidKind,
    pub(crate) period: Year,
    pub(crate) claim: &'a ClaimId,
}

impl KeyText<'_> {
    /// Gives the key's text to `piece` in pieces, in order: `aid|<case>|<category>|<kind>|
    /// <year>|<claim>` (the `Display` text and the JSON writer's are both these pieces).
    fn pieces(&self, mut piece: impl FnMut(&str)) {
        let year = self.period.number();
        let mut digits = [0u8; 20];
        let digits = bangfu_core::json::digits(u64::from(year.unsigned_abs()), &mut digits);
        piece("aid|");
        piece(self.case.as_str());
        piece("|");
        piece(self.category.code());
        piece("|");
        piece(self.kind.code());
        piece("|");
        if year < 0 {
            piece("-");
        }
        piece(digits);
        piece("|");
        piece(self.claim.as_str());
    }

    /// Appends the key as a JSON string, as `serde_json` writes the key's text (no `fmt`).
    pub(crate) fn write_json(&self, out: &mut Vec<u8>) {
        bangfu_core::json::pieces(out, |raw| {
            self.pieces(|p| raw.extend_from_slice(p.as_bytes()));
        });
    }
}

impl fmt::Display for KeyText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut written = Ok(());
        self.pieces(|p| {
            if written.is_ok() {
                written = f.write_str(p);
            }
        });
        written
    }
}

impl fmt::Display for IdempotencyKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A payment order (发放指令): pay `amount` of `category`/`aid_kind` to the household of
/// `case` on `date`. Only made for a file payable on the date.
///
/// # Example
/// ```
/// use bangfu_aid::{Calculator, ClaimId, Explain, MedicalClaim, PaymentOrder, YearToDate};
/// use bangfu_core::{Coded, Money, NaiveDate};
/// # let policy = bangfu_aid::AidPolicy::hainan_2018()?;
/// # let mut file: bangfu_aid::FileFacts = serde_json::from_str(r#"{"case":"c/1","household":"h","tier":"national","degree":"subsistence","household_size":3,"status":"active"}"#)?;
/// let calc = Calculator::new(&policy)?;
/// let date = NaiveDate::from_ymd_opt(2018, 3, 1).unwrap();
/// let d = calc.medical(&file, MedicalClaim { date, out_of_pocket: Money::from_yuan(40_000)? },
///                      YearToDate::default(), Explain::Off)?;
/// let claim = ClaimId::new("m-1")?;
/// let order = PaymentOrder::for_decision(&file, &claim, &d)?.expect("something to pay");
/// assert_eq!(order.amount, d.amount);
/// assert_eq!(order, PaymentOrder::for_decision(&file, &claim, &d)?.unwrap()); // same key
/// file.status = Some(bangfu_core::ArchiveStatus::Cancelled);
/// assert_eq!(PaymentOrder::for_decision(&file, &claim, &d).unwrap_err().code(), "aid.file.not_payable");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PaymentOrder {
    /// The idempotency key.
    pub key: IdempotencyKey,
    /// The case file.
    pub case: CaseId,
    /// The household.
    pub household: HouseholdId,
    /// The archive tier (decides which funds may pay).
    pub tier: ArchiveTier,
    /// The aid category.
    pub category: AidCategory,
    /// The kind inside the category.
    pub aid_kind: AidKind,
    /// The amount.
    pub amount: Money,
    /// The payment date.
    #[cfg_attr(feature = "schema", schemars(with = "NaiveDate"))]
    #[serde(with = "bangfu_core::iso_date")]
    pub date: NaiveDate,
    /// The claim paid.
    pub claim: ClaimId,
    /// The citation of the parameter that decided the amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cite: Option<CitationId>,
}

impl PaymentOrder {
    /// The order paying a decision, or `None` when the decision pays nothing. Checks again
    /// that the file is payable on the decision's date.
    ///
    /// # Errors
    /// [`AidError::NotPayable`] and the other status errors of
    /// [`FileFacts::check_payable`].
    pub fn for_decision(
        file: &FileFacts,
        claim: &ClaimId,
        decision: &AidDecision<'_>,
    ) -> Result<Option<PaymentOrder>, AidError> {
        file.check_payable(decision.date)?;
        Ok(PaymentOrder::unchecked(file, claim, decision))
    }

    /// The order paying a decision on a file already checked payable on its date, or `None`
    /// when the decision pays nothing.
    pub(crate) fn unchecked(
        file: &FileFacts,
        claim: &ClaimId,
        decision: &AidDecision<'_>,
    ) -> Option<PaymentOrder> {
        if decision.amount.is_zero() {
            return None;
        }
        Some(PaymentOrder {
            key: IdempotencyKey::derive(
                &file.case,
                decision.category,
                decision.kind,
                Year::of(decision.date),
                claim,
            ),
            case: file.case.clone(),
            household: file.household.clone(),
            tier: file.tier,
            category: decision.category,
            aid_kind: decision.kind,
            amount: decision.amount,
            date: decision.date,
            claim: claim.clone(),
            cite: decision.cite.cloned(),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn the_key_in_json_is_its_text_as_serde_writes_it() {
        let case = CaseId::new("HK-1/1").unwrap();
        let claim = ClaimId::new("m-7").unwrap();
        let date = NaiveDate::from_ymd_opt(-44, 3, 15).unwrap();
        let expected = ["2018", "-44"].map(|y| format!("aid|HK-1/1|education|temporary|{y}|m-7"));
        for (period, text) in [Year::new(2018).unwrap(), Year::of(date)]
            .into_iter()
            .zip(expected)
        {
            let key = KeyText {
                case: &case,
                category: AidCategory::Education,
                kind: AidKind::Temporary,
                period,
                claim: &claim,
            };
            let mut out = Vec::new();
            key.write_json(&mut out);
            assert_eq!(key.to_string(), text);
            assert_eq!(out, serde_json::to_vec(&text).unwrap());
        }
    }
}
