//! Payment orders into ledger postings: the step from an aid decision to money moving.

use bangfu_aid::PaymentOrder;
use bangfu_core::{NaiveDate, PaymentChannel, UnitId};
use bangfu_funding::{Disbursement, FundSource, PostingId};

/// How a payment order is paid (发放方式): the source debited and the channel, and optionally
/// the filing unit and the entry date. [`Payout::disbursement`] gives the posting that
/// carries out the order; the date, household, tier, category, kind and amount come from the
/// order.
///
/// The posting keeps the order's idempotency key, so the ledger pays an order once even if it
/// is posted again under another posting id (`funding.order_conflict` if the retry differs).
/// Which source pays is the caller's choice; the ledger checks it against the source's
/// earmark.
///
/// # Example
/// ```
/// use bangfu_aid::{Calculator, Explain, MedicalClaim, PaymentOrder, YearToDate};
/// use bangfu_core::{ArchiveStatus, Money, PaymentChannel};
/// use bangfu_funding::{FundSource, Ledger, PostOutcome};
/// use bangfu_year::orders::Payout;
/// let policy = bangfu_data::hainan2018::policy()?;
/// let record = &bangfu_data::hainan2018::households()?[0];
/// let file = record.file_facts(Some(ArchiveStatus::Active), Vec::new())?;
/// let calc = Calculator::new(&policy.aid)?;
/// let day = chrono::NaiveDate::from_ymd_opt(2018, 6, 1).unwrap();
/// let claim = MedicalClaim { date: day, out_of_pocket: Money::from_yuan(40_000)? };
/// let decision = calc.medical(&file, claim, YearToDate::default(), Explain::Off)?;
/// let order = PaymentOrder::for_decision(&file, &"claim-1".parse()?, &decision)?.unwrap();
///
/// let mut ledger = Ledger::new(bangfu_data::hainan2018::year(), policy.funding.clone());
/// for p in bangfu_data::hainan2018::ledger_records()?.into_iter().filter(|p| p.date() < day) {
///     ledger.post(p)?;
/// }
/// let payout = Payout::new(FundSource::ProvincialUnionFunds, PaymentChannel::UnionMemberCard)
///     .entered(day);
/// let first = ledger.post(payout.disbursement(&order, "pay-1".parse()?).into())?;
/// let retry = payout.disbursement(&order, "pay-1-retry".parse()?);
/// assert_eq!(ledger.post(retry.into())?, PostOutcome::AlreadyPosted(first.receipt()));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payout {
    /// The source debited (资金来源).
    pub source: FundSource,
    /// How the money is paid (发放渠道).
    pub channel: PaymentChannel,
    /// The union unit that filed the household (建档单位), if recorded.
    pub unit: Option<UnitId>,
    /// When the payment is entered in the aid system (录入日期), if recorded.
    pub entered: Option<NaiveDate>,
}

impl Payout {
    /// Paid from `source` through `channel`, with no unit and no entry date.
    ///
    /// # Example
    /// ```
    /// use bangfu_core::PaymentChannel;
    /// use bangfu_funding::FundSource;
    /// let payout = bangfu_year::orders::Payout::new(FundSource::CentralFiscal, PaymentChannel::BankCard);
    /// assert!(payout.unit.is_none() && payout.entered.is_none());
    /// ```
    pub fn new(source: FundSource, channel: PaymentChannel) -> Payout {
        Payout {
            source,
            channel,
            unit: None,
            entered: None,
        }
    }

    /// With the filing unit (建档单位).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{PaymentChannel, UnitId};
    /// use bangfu_funding::FundSource;
    /// let unit = UnitId::new("HN-U-01")?;
    /// let payout = bangfu_year::orders::Payout::new(FundSource::CentralFiscal, PaymentChannel::Cash)
    ///     .unit(unit.clone());
    /// assert_eq!(payout.unit, Some(unit));
    /// # Ok::<(), bangfu_core::CoreError>(())
    /// ```
    pub fn unit(mut self, unit: UnitId) -> Payout {
        self.unit = Some(unit);
        self
    }

    /// With the entry date (录入日期).
    ///
    /// # Example
    /// ```
    /// use bangfu_core::{NaiveDate, PaymentChannel};
    /// use bangfu_funding::FundSource;
    /// let day = NaiveDate::from_ymd_opt(2018, 6, 3).unwrap();
    /// let payout = bangfu_year::orders::Payout::new(FundSource::CentralFiscal, PaymentChannel::Cash)
    ///     .entered(day);
    /// assert_eq!(payout.entered, Some(day));
    /// ```
    pub fn entered(mut self, day: NaiveDate) -> Payout {
        self.entered = Some(day);
        self
    }

    /// The disbursement, posting `id`, that carries out `order` this way.
    ///
    /// # Example
    /// See [`Payout`].
    pub fn disbursement(&self, order: &PaymentOrder, id: PostingId) -> Disbursement {
        Disbursement {
            id,
            date: order.date,
            source: self.source,
            category: order.category,
            kind: order.aid_kind,
            household: order.household.clone(),
            tier: order.tier,
            channel: self.channel,
            amount: order.amount,
            unit: self.unit.clone(),
            entered: self.entered,
            order: Some(order.key.to_string()),
            claim: Some(order.claim.clone()),
            campaign: None,
        }
    }
}
