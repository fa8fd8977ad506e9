//! Who may do what (权限): accounts with roles and a scope in the union organisation tree,
//! and the one rule that says whether an account may apply an operation.
//!
//! | role | may apply | sees ID numbers and names |
//! |---|---|---|
//! | `grassroots_union` (基层工会), `industrial_union` (产业工会) | `file_household`, `refuse_applicant`, `case_event`, `claim`, `visit`, for households of units in its scope; `temporary` claims of units in its scope | no |
//! | `aid_center` (帮扶中心) | the same, and `report_file` (`stated.toml`, `report.toml`) | yes |
//! | `finance` (财务) | `income`, `order`, `approve` (not its own order), `reject`, `record` (the union's history), `reverse` (冲正), `close`; `temporary` recorded payments | no |
//! | `evaluator` (评价组) | `report_file` (`judgements.toml`) | no |
//! | `auditor` (审计) | nothing: reads only | yes |
//!
//! A direct `pay` is nobody's in a store with accounts: a payment is ordered by one person and
//! approved by another. The scope is a unit of the tree (`units.toml`): an account covers its
//! unit and every unit below it.

use bangfu_core::UnitId;
use bangfu_year::ProgrammeYear;
use bangfu_year::temporary::TemporaryAidRecord;
use serde::{Deserialize, Serialize};

use crate::JournalError;
use crate::op::{AccountId, Operation};

bangfu_core::coded_enum! {
    /// An account's role (角色).
    ///
    /// ```
    /// assert_eq!(bangfu_journal::AccountRole::Finance.code(), "finance");
    /// ```
    #[non_exhaustive]
    pub enum AccountRole {
        /// A grassroots union's officer (基层工会).
        GrassrootsUnion = ("grassroots_union", "基层工会", "grassroots union"),
        /// An industrial union's officer (产业工会).
        IndustrialUnion = ("industrial_union", "产业工会", "industrial union"),
        /// The aid center (帮扶中心).
        AidCenter = ("aid_center", "帮扶中心", "aid center"),
        /// Finance (财务).
        Finance = ("finance", "财务", "finance"),
        /// The evaluation group (评价组).
        Evaluator = ("evaluator", "评价组", "evaluator"),
        /// An auditor (审计).
        Auditor = ("auditor", "审计", "auditor"),
    }
}

/// An account (账户): its id, roles and scope.
///
/// # Example
/// ```
/// use bangfu_journal::{Account, AccountRole};
/// let a = Account { id: "finance-1".parse()?, roles: vec![AccountRole::Finance], unit: "center".parse()? };
/// assert!(!a.sees_personal_data());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// The id (the `actor` of its operations).
    pub id: AccountId,
    /// Its roles.
    pub roles: Vec<AccountRole>,
    /// Its scope: a unit of the tree.
    pub unit: UnitId,
}

impl Account {
    /// Whether the account has `role`.
    pub fn has(&self, role: AccountRole) -> bool {
        self.roles.contains(&role)
    }

    /// Whether the account may see ID numbers and names unmasked (the aid center, auditors).
    pub fn sees_personal_data(&self) -> bool {
        self.has(AccountRole::AidCenter) || self.has(AccountRole::Auditor)
    }
}

/// The union organisation tree (工会组织体系), the scopes of accounts: the one definition of
/// `bangfu-year` ([`bangfu_year::tree::UnitTree`]), which the year's roll-ups and the report
/// read too.
pub use bangfu_year::tree::UnitTree;

impl From<bangfu_year::tree::TreeError> for JournalError {
    fn from(e: bangfu_year::tree::TreeError) -> JournalError {
        if let bangfu_year::tree::TreeError::Input(i) = e {
            return JournalError::Input(i);
        }
        let line = e.line();
        let code = bangfu_core::Coded::code(&e);
        JournalError::Units {
            message: format!("line {line}: [{code}] {e}"),
        }
    }
}

/// The roles that may apply an operation of this kind, as the table of the module says.
fn roles_for(op: &Operation) -> &'static [AccountRole] {
    use AccountRole::{AidCenter, Evaluator, Finance, GrassrootsUnion, IndustrialUnion};
    match op {
        Operation::FileHousehold(_)
        | Operation::RefuseApplicant(_)
        | Operation::CaseEvent(_)
        | Operation::Claim(_)
        | Operation::Visit(_) => &[GrassrootsUnion, IndustrialUnion, AidCenter],
        Operation::Income(_)
        | Operation::Order(_)
        | Operation::Approve(_)
        | Operation::Reject(_)
        | Operation::Record(_)
        | Operation::Reverse(_)
        | Operation::Close => &[Finance],
        Operation::ReportFile(f) if f.file == "judgements.toml" => &[Evaluator],
        Operation::ReportFile(_) | Operation::Allocation(_) | Operation::Inspection(_) => {
            &[AidCenter]
        }
        Operation::PaymentCheck(_) => &[Finance, AidCenter],
        // A claim as the other claims, a recorded payment as the other recorded postings.
        Operation::Temporary(t) => match **t {
            TemporaryAidRecord::Claim(_) => &[GrassrootsUnion, IndustrialUnion, AidCenter],
            TemporaryAidRecord::Payment(_) => &[Finance],
        },
        Operation::Pay(_) => &[],
    }
}

/// The unit of the household an operation concerns, where it concerns one.
fn unit_of(op: &Operation, year: &ProgrammeYear) -> Option<UnitId> {
    let of_household =
        |h: &bangfu_core::HouseholdId| year.household(h).map(|h| h.worker.union_unit.clone());
    let of_case = |c: &bangfu_core::CaseId| {
        year.registry()
            .get(c)
            .map(|f| f.household().worker.union_unit.clone())
    };
    match op {
        Operation::FileHousehold(h) => Some(h.household.worker.union_unit.clone()),
        Operation::RefuseApplicant(a) => Some(a.household.worker.union_unit.clone()),
        Operation::CaseEvent(e) => of_case(&e.case),
        Operation::Claim(c) => of_household(&c.household),
        Operation::Visit(v) => Some(v.unit.clone()),
        Operation::Temporary(t) => match &**t {
            TemporaryAidRecord::Claim(c) => Some(c.unit.clone()),
            TemporaryAidRecord::Payment(p) => year.temporary_claim_unit(&p.claim),
        },
        Operation::Order(p) => year
            .decided_claim(&p.claim)
            .and_then(|c| of_household(&c.record.household)),
        Operation::Reverse(r) => match year.ledger().posted(&r.reverses) {
            Some((bangfu_funding::Posting::Disbursement(d), _)) => of_household(&d.household),
            _ => None,
        },
        _ => None,
    }
}

/// Whether `account` may apply `op` on the year as it stands: its role, its scope over the
/// household's unit, and a case event done in its own name.
///
/// # Errors
/// `journal.forbidden` for a role that may not; `journal.out_of_scope` for a household of a
/// unit outside the account's scope; `journal.actor_mismatch` for a case event by someone
/// else.
pub(crate) fn permit(
    account: &Account,
    op: &Operation,
    year: &ProgrammeYear,
    tree: &UnitTree,
) -> Result<(), JournalError> {
    let allowed = roles_for(op);
    if !account.roles.iter().any(|r| allowed.contains(r)) {
        return Err(JournalError::Forbidden {
            account: account.id.clone(),
            kind: op.kind(),
        });
    }
    if let Some(unit) = unit_of(op, year)
        && !tree.covers(&account.unit, &unit)
    {
        return Err(JournalError::OutOfScope {
            account: account.id.clone(),
            unit,
        });
    }
    if let Operation::CaseEvent(e) = op
        && e.change.actor().person.as_str() != account.id.as_str()
    {
        return Err(JournalError::ActorMismatch {
            account: account.id.clone(),
        });
    }
    Ok(())
}
