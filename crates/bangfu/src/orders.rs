//! Payment orders into ledger postings: the step from an aid decision to money moving.

use bangfu_aid::PaymentOrder;
use bangfu_core::{NaiveDate, PaymentChannel, UnitId};
use bangfu_funding::{Disbursement, FundSource, PostingId};

/// The disbursement that carries out `order` from `source` through `channel`.
///
/// The posting keeps the order's idempotency key, so the ledger pays an order once even if it
/// is posted again under another posting id (`funding.order_conflict` if the retry differs).
/// Which source pays is the caller's choice; the ledger checks it against the source's
/// earmark.
///
/// # Example
/// ```
/// use bangfu::aid::{Calculator, Explain, MedicalClaim, PaymentOrder, YearToDate};
/// use bangfu::core::{ArchiveStatus, Money, PaymentChannel};
/// use bangfu::funding::{FundSource, Ledger, PostOutcome, PostingId};
/// let policy = bangfu::hainan2018::policy()?;
/// let record = &bangfu::hainan2018::households()?[0];
/// let file = record.file_facts(Some(ArchiveStatus::Active), Vec::new())?;
/// let calc = Calculator::new(&policy.aid)?;
/// let day = chrono::NaiveDate::from_ymd_opt(2018, 6, 1).unwrap();
/// let claim = MedicalClaim { date: day, out_of_pocket: Money::from_yuan(40_000)? };
/// let decision = calc.medical(&file, claim, YearToDate::default(), Explain::Off)?;
/// let order = PaymentOrder::for_decision(&file, &"claim-1".parse()?, &decision)?.unwrap();
///
/// let mut ledger = Ledger::new(bangfu::hainan2018::year(), policy.funding.clone());
/// for p in bangfu::hainan2018::ledger_records()?.into_iter().filter(|p| p.date() < day) {
///     ledger.post(p)?;
/// }
/// let pay = |id: &str| bangfu::orders::disbursement(&order, PostingId::new(id).unwrap(),
///     FundSource::ProvincialUnionFunds, PaymentChannel::UnionMemberCard, None, None);
/// let first = ledger.post(pay("pay-1").into())?;
/// assert_eq!(ledger.post(pay("pay-1-retry").into())?, PostOutcome::AlreadyPosted(first.receipt()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn disbursement(
    order: &PaymentOrder,
    id: PostingId,
    source: FundSource,
    channel: PaymentChannel,
    unit: Option<UnitId>,
    entered: Option<NaiveDate>,
) -> Disbursement {
    Disbursement {
        id,
        date: order.date,
        source,
        category: order.category,
        kind: order.aid_kind,
        household: order.household.clone(),
        tier: order.tier,
        channel,
        amount: order.amount,
        unit,
        entered,
        order: Some(order.key.to_string()),
    }
}
