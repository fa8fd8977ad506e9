//! Fund sources and kinds of income.

bangfu_core::coded_enum! {
    /// A fund source (资金来源). Each source keeps its own balance and earmarks.
    ///
    /// ```
    /// use bangfu_core::Labelled;
    /// use bangfu_funding::FundSource;
    /// assert_eq!(FundSource::CentralFiscal.zh(), "中央财政");
    /// assert_eq!(FundSource::from_code("acftu_funds"), Some(FundSource::AcftuFunds));
    /// ```
    pub enum FundSource {
        /// Central fiscal special aid funds (中央财政专项帮扶资金).
        CentralFiscal = ("central_fiscal", "中央财政", "central fiscal funds"),
        /// Provincial fiscal funds (省财政资金).
        ProvincialFiscal = ("provincial_fiscal", "省财政", "provincial fiscal funds"),
        /// ACFTU funds (全国总工会经费).
        AcftuFunds = ("acftu_funds", "全国总工会经费", "ACFTU funds"),
        /// Provincial union funds (省级工会经费).
        ProvincialUnionFunds = ("provincial_union_funds", "省级工会经费", "provincial union funds"),
        /// Local (city or county) fiscal funds (地方财政资金).
        LocalFiscal = ("local_fiscal", "地方财政", "local fiscal funds"),
        /// Donations (社会捐赠).
        Donation = ("donation", "社会捐赠", "donations"),
        /// Other lawful income (其他收入).
        Other = ("other", "其他", "other income"),
    }
}

impl FundSource {
    /// The position of the source in [`FundSource::ALL`], for per-source tables.
    ///
    /// ```
    /// use bangfu_funding::FundSource;
    /// assert_eq!(FundSource::CentralFiscal.index(), 0);
    /// assert_eq!(FundSource::Other.index(), FundSource::ALL.len() - 1);
    /// ```
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// The number of fund sources.
pub(crate) const SOURCES: usize = FundSource::ALL.len();

bangfu_core::coded_enum! {
    /// A kind of income (收入类型).
    ///
    /// ```
    /// use bangfu_core::Labelled;
    /// use bangfu_funding::IncomeKind;
    /// assert_eq!(IncomeKind::Recovery.zh(), "追缴");
    /// ```
    pub enum IncomeKind {
        /// An allocation from the funding body (下拨).
        Allocation = ("allocation", "下拨", "allocation"),
        /// Funds transferred in from another use, e.g. training funds converted (转入).
        TransferIn = ("transfer_in", "转入", "transfer in"),
        /// Aid recovered from a household (追缴).
        Recovery = ("recovery", "追缴", "recovery"),
        /// Interest on the special account (利息).
        Interest = ("interest", "利息", "interest"),
        /// The balance brought forward from the previous year (上年结余).
        OpeningBalance = ("opening_balance", "上年结余", "opening balance"),
    }
}

impl IncomeKind {
    /// The position of the kind in [`IncomeKind::ALL`].
    ///
    /// ```
    /// assert_eq!(bangfu_funding::IncomeKind::Allocation.index(), 0);
    /// ```
    pub const fn index(self) -> usize {
        self as usize
    }
}

/// The number of income kinds.
pub(crate) const INCOME_KINDS: usize = IncomeKind::ALL.len();
/// The number of aid categories.
pub(crate) const CATEGORIES: usize = bangfu_core::AidCategory::ALL.len();

/// The position of an aid category in [`bangfu_core::AidCategory::ALL`].
pub(crate) const fn category_index(c: bangfu_core::AidCategory) -> usize {
    c as usize
}
