//! The shared vocabulary of the domain that more than one crate needs.

crate::coded_enum! {
    /// An aid category (救助类别): what a payment is for. The statement groups spending by it.
    ///
    /// ```
    /// use bangfu_core::{AidCategory, Labelled};
    /// assert_eq!(AidCategory::from_code("living"), Some(AidCategory::Living));
    /// assert_eq!(AidCategory::Education.zh(), "助学救助");
    /// ```
    pub enum AidCategory {
        /// Living aid (生活救助), including sending warmth and female-worker care payments.
        Living = ("living", "生活救助", "living aid"),
        /// Medical aid (医疗救助).
        Medical = ("medical", "医疗救助", "medical aid"),
        /// Education aid for children (助学救助).
        Education = ("education", "助学救助", "education aid"),
        /// Legal aid (法律援助).
        LegalAid = ("legal_aid", "法律援助", "legal aid"),
        /// Vocational training (职业培训).
        VocationalTraining = ("vocational_training", "职业培训", "vocational training"),
        /// Job referral (职业介绍).
        JobReferral = ("job_referral", "职业介绍", "job referral"),
    }
}

crate::coded_enum! {
    /// The kind of payment inside a category (救助项目).
    ///
    /// ```
    /// use bangfu_core::{AidKind, Labelled};
    /// assert_eq!(AidKind::SendingWarmth.zh(), "两节送温暖");
    /// ```
    pub enum AidKind {
        /// A regular payment of the category (日常帮扶).
        Regular = ("regular", "日常帮扶", "regular aid"),
        /// Two-festival sending warmth (“两节”送温暖).
        SendingWarmth = ("sending_warmth", "两节送温暖", "sending warmth"),
        /// The female worker care action (女职工关爱行动).
        FemaleWorkerCare = ("female_worker_care", "女职工关爱行动", "female worker care"),
        /// Temporary aid to a worker who is not filed (临时救助).
        Temporary = ("temporary", "临时救助", "temporary aid"),
    }
}

crate::coded_enum! {
    /// The archive tier of a hardship file (档案层级), which decides whose money may pay it.
    ///
    /// ```
    /// use bangfu_core::{ArchiveTier, Labelled};
    /// assert_eq!(ArchiveTier::National.zh(), "全国级");
    /// ```
    pub enum ArchiveTier {
        /// National-level archive (全国级档案).
        National = ("national", "全国级", "national"),
        /// Provincial-level archive (省级档案).
        Provincial = ("provincial", "省级", "provincial"),
        /// Municipal auxiliary archive (市级辅助档案).
        Municipal = ("municipal", "市级", "municipal"),
        /// Grassroots-level archive (基层级档案).
        Grassroots = ("grassroots", "基层级", "grassroots"),
    }
}

crate::coded_enum! {
    /// How a payment reaches the household (发放方式).
    ///
    /// ```
    /// use bangfu_core::{Labelled, PaymentChannel};
    /// assert_eq!(PaymentChannel::UnionMemberCard.zh(), "工会会员服务卡");
    /// ```
    pub enum PaymentChannel {
        /// Transfer to the union member service card (工会会员服务卡).
        UnionMemberCard = ("union_member_card", "工会会员服务卡", "union member service card"),
        /// Transfer to another bank card (银行卡).
        BankCard = ("bank_card", "银行卡", "bank card"),
        /// Cash (现金).
        Cash = ("cash", "现金", "cash"),
    }
}

crate::coded_enum! {
    /// The status of a hardship file on a date (档案状态). Only an active file is payable
    /// ("先建档、后帮扶").
    ///
    /// ```
    /// use bangfu_core::{ArchiveStatus, Labelled};
    /// assert!(ArchiveStatus::Active.is_payable());
    /// assert!(!ArchiveStatus::ExitedHardship.is_payable());
    /// assert_eq!(ArchiveStatus::Cancelled.zh(), "注销");
    /// ```
    pub enum ArchiveStatus {
        /// Applied and under the filing procedure (待审).
        Pending = ("pending", "待审", "pending"),
        /// Filed and active (在档).
        Active = ("active", "在档", "active"),
        /// Exited hardship (脱困).
        ExitedHardship = ("exited", "脱困", "exited hardship"),
        /// Cancelled (注销): missing, deceased, restructured, retired, resigned.
        Cancelled = ("cancelled", "注销", "cancelled"),
        /// Withdrawn as ineligible (退档).
        Withdrawn = ("withdrawn", "退档", "withdrawn"),
        /// Rejected at filing (不予建档).
        Rejected = ("rejected", "不予建档", "rejected"),
    }
}

impl ArchiveStatus {
    /// Whether aid may be paid to a file in this status.
    pub const fn is_payable(self) -> bool {
        matches!(self, ArchiveStatus::Active)
    }
}

crate::coded_enum! {
    /// A school stage (就学阶段), as on the national archive form. Eligibility checks ages
    /// against it; education aid is paid by it.
    ///
    /// ```
    /// use bangfu_core::{Labelled, SchoolStage};
    /// assert_eq!(SchoolStage::Undergraduate.zh(), "本科");
    /// assert_eq!(SchoolStage::from_code("higher_vocational"), Some(SchoolStage::HigherVocational));
    /// ```
    pub enum SchoolStage {
        /// Pre-school (学前).
        Preschool = ("preschool", "学前", "preschool"),
        /// Primary school (小学).
        Primary = ("primary", "小学", "primary school"),
        /// Junior secondary school (初中).
        JuniorSecondary = ("junior_secondary", "初中", "junior secondary"),
        /// Senior secondary school (高中).
        SeniorSecondary = ("senior_secondary", "高中", "senior secondary"),
        /// Secondary vocational school (中职/中专).
        SecondaryVocational = ("secondary_vocational", "中职", "secondary vocational"),
        /// Higher vocational college (高职/大专).
        HigherVocational = ("higher_vocational", "高职/大专", "higher vocational"),
        /// Undergraduate (本科).
        Undergraduate = ("undergraduate", "本科", "undergraduate"),
        /// Postgraduate (研究生).
        Postgraduate = ("postgraduate", "研究生", "postgraduate"),
    }
}
