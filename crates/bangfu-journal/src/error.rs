//! Why the journal refused an operation or could not go on (日志错误).

use bangfu_core::read::ReadError;
use bangfu_core::{Coded, Labelled};
use bangfu_year::YearError;
use bangfu_year::input::InputError;

use crate::op::OpId;

/// Why an operation was refused, or why the store could not be read or written. A refusal
/// changes nothing: the year, the journal and the stored state are as before.
///
/// # Example
/// ```
/// use bangfu_core::Coded;
/// let e = bangfu_journal::JournalError::Protocol { v: 2 };
/// assert_eq!(e.code(), "journal.protocol");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// A line that is not an operation: syntax, structure, or a value refused by its type.
    #[error("{}", .0.message())]
    Read(#[from] ReadError),
    /// A protocol version this bangfu does not speak.
    #[error(
        "protocol version {v} is not supported (this bangfu speaks {})",
        crate::PROTOCOL
    )]
    Protocol {
        /// The version the line gave.
        v: u32,
    },
    /// The operation id was already applied with other content (操作编号冲突).
    #[error("operation {id} was already applied with other content")]
    IdConflict {
        /// The operation id.
        id: OpId,
    },
    /// The year is closed: nothing more is recorded (年度已结账).
    #[error("the year was closed by operation {by}: nothing more is recorded")]
    YearClosed {
        /// The close.
        by: OpId,
    },
    /// A report file other than `stated.toml`, `judgements.toml`, `report.toml`, or one
    /// whose text does not read.
    #[error("report file {file}: {message}")]
    ReportFile {
        /// The file named.
        file: String,
        /// The code of the problem.
        code: &'static str,
        /// What is wrong.
        message: String,
    },
    /// An order would reserve more than its source holds beyond what other orders waiting
    /// for approval reserve (超额预留): a source never approves more than it can pay.
    #[error(
        "source {fund} holds {available} beyond the orders waiting for approval: cannot reserve {amount}"
    )]
    Overcommitted {
        /// The source.
        fund: bangfu_funding::FundSource,
        /// Its balance less what waiting orders reserve.
        available: bangfu_core::Money,
        /// The amount asked.
        amount: bangfu_core::Money,
    },
    /// No order waits under this payment id (无待审批的发放申请).
    #[error("no order of payment {payment} waits for approval")]
    UnknownOrder {
        /// The payment id.
        payment: bangfu_funding::PostingId,
    },
    /// An order of this payment id already waits (发放申请重复).
    #[error("an order of payment {payment} already waits for approval")]
    OrderPending {
        /// The payment id.
        payment: bangfu_funding::PostingId,
    },
    /// The maker of an order cannot approve it (审批人不得为申请人).
    #[error("payment {payment} was ordered by {maker}: a second person approves it")]
    SamePerson {
        /// The payment id.
        payment: bangfu_funding::PostingId,
        /// The maker.
        maker: crate::AccountId,
    },
    /// The account's roles may not apply this kind of operation (无此权限).
    #[error("account {account} may not apply {kind} operations")]
    Forbidden {
        /// The account.
        account: crate::AccountId,
        /// The kind of operation.
        kind: crate::OpKind,
    },
    /// The household's unit is outside the account's scope (超出管辖范围).
    #[error("unit {unit} is outside the scope of account {account}")]
    OutOfScope {
        /// The account.
        account: crate::AccountId,
        /// The household's unit.
        unit: bangfu_core::UnitId,
    },
    /// An operation or case event in another's name (操作人不符).
    #[error("account {account} may act only in its own name")]
    ActorMismatch {
        /// The account.
        account: crate::AccountId,
    },
    /// No account, or a token that is not an account's (未认证).
    #[error("not authenticated: give an account's token")]
    Unauthenticated,
    /// An account id already in the store (账户已存在).
    #[error("account {account} exists already")]
    AccountExists {
        /// The account.
        account: crate::AccountId,
    },
    /// A record names a unit the store's union organisation tree (`units.toml`) does not
    /// have (组织不在组织体系中): a household's unit, a payment's, a visit's; the code of the
    /// year directory's check, `tree.unknown_unit`.
    #[error("unit {unit} is not in the union organisation tree (units.toml)")]
    UnknownUnit {
        /// The unit named.
        unit: bangfu_core::UnitId,
    },
    /// A union organisation tree (`units.toml`) that does not hold together: a unit twice, a
    /// parent that is not a unit, a cycle (组织体系有误).
    #[error("units.toml: {message}")]
    Units {
        /// What is wrong.
        message: String,
    },
    /// The year's rules refused the operation.
    #[error(transparent)]
    Year(#[from] YearError),
    /// The policy or budget given to a new store does not read.
    #[error(transparent)]
    Input(#[from] InputError),
    /// The store could not be read or written (the operation was not applied).
    #[error("storage: {message}")]
    Storage {
        /// `journal.storage`, `journal.busy` (another writer held the store too long),
        /// `journal.schema` (a store of a newer schema, or not a bangfu store).
        code: &'static str,
        /// What the storage said.
        message: String,
    },
    /// The stored journal does not replay under these rules: an operation accepted when it
    /// was written is refused now (the store was changed outside bangfu, or the rules were).
    #[error("the stored journal does not replay at position {position}: [{code}] {message}")]
    Diverged {
        /// The journal position.
        position: u64,
        /// The code of the refusal now.
        code: &'static str,
        /// Why.
        message: String,
    },
}

impl Coded for JournalError {
    fn code(&self) -> &'static str {
        match self {
            JournalError::Read(e) => e.code(),
            JournalError::Protocol { .. } => "journal.protocol",
            JournalError::IdConflict { .. } => "journal.id_conflict",
            JournalError::YearClosed { .. } => "journal.year_closed",
            JournalError::ReportFile { code, .. } => code,
            JournalError::Overcommitted { .. } => "journal.overcommitted",
            JournalError::Units { .. } => "journal.units",
            JournalError::UnknownUnit { .. } => "tree.unknown_unit",
            JournalError::Forbidden { .. } => "journal.forbidden",
            JournalError::OutOfScope { .. } => "journal.out_of_scope",
            JournalError::ActorMismatch { .. } => "journal.actor_mismatch",
            JournalError::Unauthenticated => "journal.unauthenticated",
            JournalError::AccountExists { .. } => "journal.account_exists",
            JournalError::UnknownOrder { .. } => "journal.unknown_order",
            JournalError::OrderPending { .. } => "journal.order_pending",
            JournalError::SamePerson { .. } => "journal.same_person",
            JournalError::Year(e) => e.code(),
            JournalError::Input(e) => e.code(),
            JournalError::Storage { code, .. } => code,
            JournalError::Diverged { .. } => "journal.diverged",
        }
    }
}

impl Labelled for JournalError {
    fn zh(&self) -> &'static str {
        match self {
            JournalError::Read(e) => e.zh(),
            JournalError::Protocol { .. } => "协议版本不受支持",
            JournalError::IdConflict { .. } => "操作编号已用于其他内容",
            JournalError::YearClosed { .. } => "年度已结账",
            JournalError::ReportFile { .. } => "报告文件有误",
            JournalError::Overcommitted { .. } => "超出资金来源可预留余额",
            JournalError::Units { .. } => "组织体系有误",
            JournalError::UnknownUnit { .. } => "组织不在组织体系中",
            JournalError::Forbidden { .. } => "无此权限",
            JournalError::OutOfScope { .. } => "超出管辖范围",
            JournalError::ActorMismatch { .. } => "操作人不符",
            JournalError::Unauthenticated => "未认证",
            JournalError::AccountExists { .. } => "账户已存在",
            JournalError::UnknownOrder { .. } => "无待审批的发放申请",
            JournalError::OrderPending { .. } => "发放申请已在审批中",
            JournalError::SamePerson { .. } => "审批人不得为申请人",
            JournalError::Year(e) => e.zh(),
            JournalError::Input(e) => e.zh(),
            JournalError::Storage { .. } => "存储读写失败",
            JournalError::Diverged { .. } => "日志重放不一致",
        }
    }
    fn en(&self) -> &'static str {
        match self {
            JournalError::Read(e) => e.en(),
            JournalError::Protocol { .. } => "protocol version not supported",
            JournalError::IdConflict { .. } => "operation id used with other content",
            JournalError::YearClosed { .. } => "the year is closed",
            JournalError::ReportFile { .. } => "bad report file",
            JournalError::Overcommitted { .. } => "source over-committed",
            JournalError::Units { .. } => "bad union organisation tree",
            JournalError::UnknownUnit { .. } => "unit not in the tree",
            JournalError::Forbidden { .. } => "forbidden",
            JournalError::OutOfScope { .. } => "outside the account's scope",
            JournalError::ActorMismatch { .. } => "not in the account's own name",
            JournalError::Unauthenticated => "not authenticated",
            JournalError::AccountExists { .. } => "account exists",
            JournalError::UnknownOrder { .. } => "no such order waiting",
            JournalError::OrderPending { .. } => "order already waiting",
            JournalError::SamePerson { .. } => "the maker cannot approve",
            JournalError::Year(e) => e.en(),
            JournalError::Input(e) => e.en(),
            JournalError::Storage { .. } => "storage failed",
            JournalError::Diverged { .. } => "the journal does not replay",
        }
    }
}

impl From<rusqlite::Error> for JournalError {
    fn from(e: rusqlite::Error) -> JournalError {
        let code = match e.sqlite_error_code() {
            Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked) => {
                "journal.busy"
            }
            Some(rusqlite::ErrorCode::NotADatabase) => "journal.schema",
            _ => "journal.storage",
        };
        JournalError::Storage {
            code,
            message: e.to_string(),
        }
    }
}
