//! The journal (业务日志): a year kept as the operations done in it, each checked by the
//! year's one path and stored with what it changes, or refused with nothing written.

use bangfu_aid::PaymentOrder;
use bangfu_core::{CaseId, Coded, Money, NaiveDate};
use bangfu_eligibility::Stage;
use bangfu_funding::{FundSource, Posting, PostingId, Receipt, YearClose};
use bangfu_year::dir::BuiltYear;
use bangfu_year::evaluation::{JudgementsFile, ReportFile, StatedFile};
use bangfu_year::temporary::TemporaryAidRecord;
use bangfu_year::{Defect, Policy, PolicyStamp, ProgrammeYear, YearError};
use serde::Serialize;

use crate::op::{AccountId, LineError, OpId, OpKind, OpLine, Operation};
use crate::pipeline::{
    BATCHES_IN_FLIGHT, Direct, Kept, PIPELINE_FROM, Piped, Sink, Stop, ToWriter,
};

use crate::storage::{Entry, Projection, PutRow, Refusal, Rows, Storage};
use crate::{JournalError, PROTOCOL};

/// What a store is created with (建账): the policy file and the budget file, as text. The
/// texts are kept verbatim (an export writes them back byte for byte) and the policy's
/// stamp is computed from them.
///
/// # Example
/// ```
/// use bangfu_data::hainan2018 as hn;
/// let setup = bangfu_journal::Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?;
/// assert_eq!(setup.stamp().id, "CN-HI@2018.1");
/// # Ok::<(), bangfu_journal::JournalError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    policy_toml: String,
    budget_toml: String,
    policy: Policy,
    budget: bangfu_funding::Budget,
    units_toml: Option<String>,
    units: crate::UnitTree,
}

impl Setup {
    /// A setup from the policy's and the budget's TOML texts, both read and checked.
    ///
    /// # Errors
    /// The policy's or the budget's problem, with its line ([`JournalError::Input`]);
    /// `funding.budget_unknown_source` and the year's other refusals of the pair.
    pub fn new(policy_toml: &str, budget_toml: &str) -> Result<Setup, JournalError> {
        Setup::read(Policy::from_toml(policy_toml)?, policy_toml, budget_toml)
    }

    /// The setup a store holds, from its stored texts: as [`Setup::new`], except that a
    /// policy text written before the local minimum living standard became one top-level
    /// table (a store created before that change) is read with its two old copies as one
    /// table when they agree ([`Policy::from_stored_toml`]). The text is kept as stored, so
    /// the receipt still names its SHA-256. Only a storage's open path calls it: a policy
    /// file given by a caller goes through [`Setup::new`], which refuses the old keys.
    ///
    /// # Errors
    /// As [`Setup::new`]; `policy.minimum_living_standard.conflict` when the stored text's
    /// two copies disagree on a day both are in force.
    ///
    /// # Example
    /// ```
    /// use bangfu_data::hainan2018 as hn;
    /// let setup = bangfu_journal::Setup::stored(hn::POLICY_TOML, hn::BUDGET_TOML)?;
    /// assert_eq!(setup, bangfu_journal::Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?);
    /// # Ok::<(), bangfu_journal::JournalError>(())
    /// ```
    pub fn stored(policy_toml: &str, budget_toml: &str) -> Result<Setup, JournalError> {
        Setup::read(
            Policy::from_stored_toml(policy_toml)?,
            policy_toml,
            budget_toml,
        )
    }

    /// A setup of a policy read from `policy_toml`, the budget read under it.
    fn read(policy: Policy, policy_toml: &str, budget_toml: &str) -> Result<Setup, JournalError> {
        let budget = bangfu_year::input::parse_budget_toml_for(budget_toml, &policy.funding)?;
        // The pair must make a year.
        ProgrammeYear::new(policy.clone(), budget.clone())?;
        Ok(Setup {
            policy_toml: policy_toml.to_owned(),
            budget_toml: budget_toml.to_owned(),
            policy,
            budget,
            units_toml: None,
            units: crate::UnitTree::default(),
        })
    }

    /// The setup with the union organisation tree of `units.toml` (the scopes of accounts).
    ///
    /// # Errors
    /// The tree's problems ([`crate::UnitTree::from_toml`]).
    ///
    /// # Example
    /// ```
    /// use bangfu_data::hainan2018 as hn;
    /// let setup = bangfu_journal::Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?
    ///     .with_units("[[unit]]\nid = \"center\"\n")?;
    /// assert!(setup.units().contains(&"center".parse()?));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_units(mut self, units_toml: &str) -> Result<Setup, JournalError> {
        self.units = crate::UnitTree::from_toml(units_toml)?;
        self.units_toml = Some(units_toml.to_owned());
        Ok(self)
    }

    /// The text of `units.toml`, when the store has one.
    pub fn units_toml(&self) -> Option<&str> {
        self.units_toml.as_deref()
    }

    /// The union organisation tree (empty without `units.toml`).
    pub fn units(&self) -> &crate::UnitTree {
        &self.units
    }

    /// The policy file's text.
    pub fn policy_toml(&self) -> &str {
        &self.policy_toml
    }

    /// The budget file's text.
    pub fn budget_toml(&self) -> &str {
        &self.budget_toml
    }

    /// The policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The policy's stamp (id and SHA-256).
    pub fn stamp(&self) -> PolicyStamp {
        PolicyStamp::of(&self.policy, &self.policy_toml)
    }

    /// The first day of the budget's year.
    pub(crate) fn year_start(&self) -> NaiveDate {
        self.budget.year.period().start()
    }

    /// An empty year under the setup.
    fn year(&self) -> Result<ProgrammeYear, JournalError> {
        Ok(ProgrammeYear::new(
            self.policy.clone(),
            self.budget.clone(),
        )?)
    }
}

/// The receipt every output read from a store carries (回执): the bangfu version, the
/// policy's id and SHA-256, and the journal position it was read at.
///
/// # Example
/// ```
/// # use bangfu_journal::{Journal, MemoryStorage, Setup};
/// # use bangfu_data::hainan2018 as hn;
/// let journal = Journal::create(MemoryStorage::default(), Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?)?;
/// let r = journal.receipt();
/// assert_eq!((r.position, r.policy.id.as_str()), (0, "CN-HI@2018.1"));
/// # Ok::<(), bangfu_journal::JournalError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadReceipt {
    /// The bangfu version that read it.
    pub bangfu: &'static str,
    /// The policy's stamp.
    pub policy: PolicyStamp,
    /// The journal position read at.
    pub position: u64,
}

impl ReadReceipt {
    /// The receipt as one line of text, for the foot of a Markdown or text output.
    ///
    /// ```
    /// # use bangfu_journal::{Journal, MemoryStorage, Setup};
    /// # use bangfu_data::hainan2018 as hn;
    /// # let journal = Journal::create(MemoryStorage::default(), Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?)?;
    /// assert!(journal.receipt().line().starts_with("bangfu "));
    /// # Ok::<(), bangfu_journal::JournalError>(())
    /// ```
    pub fn line(&self) -> String {
        format!(
            "bangfu {} · policy {} sha256:{} · journal position {}",
            self.bangfu, self.policy.id, self.policy.sha256, self.position
        )
    }
}

/// What an accepted operation did (操作结果), as its result line and its stored result show.
///
/// # Example
/// ```
/// let e = bangfu_journal::Effect::Noted;
/// assert_eq!(serde_json::to_value(&e)?["effect"], "noted");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(tag = "effect", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Effect {
    /// A case file moved: where it stands now.
    Case {
        /// The case.
        case: CaseId,
        /// Its stage now.
        stage: Stage,
    },
    /// A claim decided.
    Decided {
        /// The decided amount.
        amount: Money,
        /// The order to pay, when the amount is not 0.
        #[serde(skip_serializing_if = "Option::is_none")]
        order: Option<PaymentOrder>,
    },
    /// A posting made: income or a payment.
    Posted {
        /// The posting.
        posting: PostingId,
        /// Its position in the ledger, from 0.
        sequence: usize,
        /// The source.
        source: FundSource,
        /// The source's balance after it.
        balance_after: Money,
    },
    /// A posting of the union's history recorded, with what the rules find wrong with it.
    Recorded {
        /// The posting.
        posting: PostingId,
        /// Its defects (findings of the evaluation).
        defects: Vec<Defect>,
    },
    /// A payment ordered: its amount reserved against its source until approved or rejected.
    Ordered {
        /// The payment id.
        payment: PostingId,
        /// The amount reserved.
        amount: Money,
        /// The source.
        source: FundSource,
        /// What the source can still reserve after it.
        available_after: Money,
    },
    /// An order rejected: its reservation released.
    Rejected {
        /// The payment id.
        payment: PostingId,
    },
    /// A visit or a report file kept.
    Noted,
    /// The year closed.
    Closed {
        /// Each source's balance, carried over or not.
        close: YearClose,
    },
}

/// An operation's result as JSON text (操作结果), as the journal stores it: written once,
/// read as a value only when asked.
///
/// # Example
/// ```
/// let r = bangfu_journal::ResultJson::of(&bangfu_journal::Effect::Noted);
/// assert_eq!(r.as_str(), r#"{"effect":"noted"}"#);
/// assert_eq!(r.value()["effect"], "noted");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultJson(String);

impl ResultJson {
    /// The JSON of an effect.
    pub fn of(effect: &Effect) -> ResultJson {
        // An effect serializes without fail (strings, money as text, maps with string keys).
        ResultJson(serde_json::to_string(effect).unwrap_or_else(|_| "null".to_owned()))
    }

    /// Stored JSON text, as it was written.
    pub(crate) fn stored(text: String) -> ResultJson {
        ResultJson(text)
    }

    /// The JSON text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The JSON as a value (`null` if the text were not JSON).
    pub fn value(&self) -> serde_json::Value {
        serde_json::from_str(&self.0).unwrap_or(serde_json::Value::Null)
    }

    fn raw(&self) -> Option<&serde_json::value::RawValue> {
        serde_json::from_str(&self.0).ok()
    }
}

/// A result line as written (`Outcome::to_line`).
#[derive(Serialize)]
struct LineOut<'a> {
    v: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    id: Option<&'a OpId>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    position: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    result: Option<&'a serde_json::value::RawValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    code: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<&'a str>,
}

/// The result of one operation line (操作结果行).
///
/// # Example
/// See [`crate::MemoryStorage`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Outcome {
    /// Applied now, at `position`.
    Accepted {
        /// The operation id.
        id: OpId,
        /// Its journal position.
        position: u64,
        /// What it did, as JSON.
        result: ResultJson,
    },
    /// The same operation was applied before: its first result.
    Duplicate {
        /// The operation id.
        id: OpId,
        /// Its journal position.
        position: u64,
        /// What it did, as JSON.
        result: ResultJson,
    },
    /// Refused: nothing was applied.
    Refused {
        /// The operation id, when the line named one that could be read.
        id: Option<OpId>,
        /// The code.
        code: &'static str,
        /// Why (caller text cut and masked).
        message: String,
    },
}

impl Outcome {
    /// The result line's JSON (without the input line's number: see
    /// [`Outcome::to_json_line`]).
    pub fn to_json(&self) -> serde_json::Value {
        self.to_json_line(None)
    }

    /// The result line's JSON, with the input line's number where there is one.
    ///
    /// # Example
    /// ```
    /// let o = bangfu_journal::Outcome::Refused { id: None, code: "read.syntax", message: "malformed JSON".into() };
    /// let v = o.to_json_line(Some(3));
    /// assert_eq!((v["status"].as_str(), v["line"].as_u64(), v["code"].as_str()), (Some("refused"), Some(3), Some("read.syntax")));
    /// ```
    pub fn to_json_line(&self, line: Option<usize>) -> serde_json::Value {
        serde_json::from_str(&self.to_line(line)).unwrap_or(serde_json::Value::Null)
    }

    /// The result line as JSON text (one line, no newline), written without an intermediate
    /// value: what `bangfu apply` prints.
    ///
    /// # Example
    /// ```
    /// let o = bangfu_journal::Outcome::Refused { id: None, code: "read.syntax", message: "malformed JSON".into() };
    /// assert_eq!(o.to_line(Some(3)), r#"{"v":1,"line":3,"id":null,"status":"refused","code":"read.syntax","message":"malformed JSON"}"#);
    /// ```
    pub fn to_line(&self, line: Option<usize>) -> String {
        let mut out = LineOut {
            v: PROTOCOL,
            line,
            id: None,
            status: "refused",
            position: None,
            result: None,
            code: None,
            message: None,
        };
        match self {
            Outcome::Accepted {
                id,
                position,
                result,
            }
            | Outcome::Duplicate {
                id,
                position,
                result,
            } => {
                out.id = Some(id);
                out.status = if matches!(self, Outcome::Accepted { .. }) {
                    "accepted"
                } else {
                    "duplicate"
                };
                out.position = Some(*position);
                out.result = result.raw();
            }
            Outcome::Refused { id, code, message } => {
                out.id = id.as_ref();
                out.code = Some(code);
                out.message = Some(message);
            }
        }
        serde_json::to_string(&out).unwrap_or_default()
    }

    /// Whether the operation is in the journal (accepted now or before).
    pub fn is_applied(&self) -> bool {
        !matches!(self, Outcome::Refused { .. })
    }
}

/// The report's files as the journal holds them: the text and what it reads as.
#[derive(Debug, Clone, Default)]
struct ReportFiles {
    stated: Option<(String, StatedFile)>,
    judgements: Option<(String, JudgementsFile)>,
    report: Option<(String, ReportFile)>,
}

/// The year as the journal has it in memory, at a position.
#[derive(Debug, Clone)]
struct State {
    year: ProgrammeYear,
    /// Every operation id in the journal: a new id is not looked up in the store.
    ids: std::collections::HashSet<OpId>,
    position: u64,
    closed: Option<OpId>,
    report: ReportFiles,
    /// Payment orders waiting for approval, by payment id.
    pending: std::collections::BTreeMap<PostingId, Pending>,
    /// What waiting orders reserve, by source.
    reserved: std::collections::BTreeMap<FundSource, Money>,
}

/// A payment order waiting for its approval.
#[derive(Debug, Clone)]
struct Pending {
    payment: bangfu_year::Payment,
    amount: Money,
    maker: AccountId,
}

/// A year kept as its journal of operations (业务日志), in a [`Storage`].
///
/// Each operation is checked by the year's one path ([`ProgrammeYear`]) and written with what
/// it changes in one transaction, or refused with its code and nothing written but the
/// refusal's log line. The same operation id with the same content returns the first result;
/// with other content it is refused (`journal.id_conflict`). History is never rewritten: a
/// correction is a new operation. Opening a store replays its journal; [`Journal::verify`]
/// checks that the stored state is the replay, to the fen.
///
/// # Example
/// See [`crate::MemoryStorage`] and [`crate::SqliteStorage`].
#[derive(Debug)]
pub struct Journal<S: Storage> {
    pub(crate) storage: S,
    setup: Setup,
    state: State,
    /// Whether a large batch writes through a writer thread ([`Journal::set_writer_thread`]).
    writer_thread: bool,
}

/// The answer of [`Journal::verify`] (核对).
///
/// # Example
/// See [`crate::MemoryStorage`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Verification {
    /// The receipt of the journal verified.
    pub receipt: ReadReceipt,
    /// Operations replayed.
    pub operations: u64,
    /// Postings in the state.
    pub postings: usize,
    /// Every difference found: the stored state against the replay, the stored results
    /// against the replayed ones, the stored balances against the sums of the stored
    /// postings. Empty when the store verifies.
    pub differences: Vec<String>,
}

impl<S: Storage> Journal<S> {
    /// A new store: the schema and the setup written to an empty `storage`.
    ///
    /// # Errors
    /// `journal.schema` for a store that is not empty; the storage's errors.
    pub fn create(mut storage: S, setup: Setup) -> Result<Journal<S>, JournalError> {
        storage.create(&setup)?;
        let state = State::new(&setup)?;
        Ok(Journal {
            storage,
            setup,
            state,
            writer_thread: true,
        })
    }

    /// An existing store, its journal replayed.
    ///
    /// # Errors
    /// `journal.schema` for a store without a setup; `journal.diverged` when an entry does
    /// not replay; the storage's errors.
    pub fn open(mut storage: S) -> Result<Journal<S>, JournalError> {
        let setup = storage.setup()?;
        let mut state = State::new(&setup)?;
        state.catch_up(&mut storage, false)?;
        Ok(Journal {
            storage,
            setup,
            state,
            writer_thread: true,
        })
    }

    /// Reads what other writers appended since this journal last looked, so that a read sees
    /// the store as it is now: the new position.
    ///
    /// # Errors
    /// `journal.diverged` when an appended entry does not replay; the storage's errors.
    ///
    /// # Example
    /// ```
    /// # use bangfu_journal::{Journal, MemoryStorage, Setup};
    /// # use bangfu_data::hainan2018 as hn;
    /// let mut journal = Journal::create(MemoryStorage::default(), Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?)?;
    /// assert_eq!(journal.refresh()?, 0);
    /// # Ok::<(), bangfu_journal::JournalError>(())
    /// ```
    pub fn refresh(&mut self) -> Result<u64, JournalError> {
        self.state.catch_up(&mut self.storage, false)?;
        Ok(self.state.position)
    }

    /// The setup.
    pub fn setup(&self) -> &Setup {
        &self.setup
    }

    /// The year as the journal has it.
    pub fn year(&self) -> &ProgrammeYear {
        &self.state.year
    }

    /// The last position applied.
    pub fn position(&self) -> u64 {
        self.state.position
    }

    /// The close operation's id, once the year is closed.
    pub fn closed_by(&self) -> Option<&OpId> {
        self.state.closed.as_ref()
    }

    /// The storage.
    pub fn storage(&self) -> &S {
        &self.storage
    }

    /// The storage, to read from it (a write outside the journal is not the journal's).
    pub fn storage_mut(&mut self) -> &mut S {
        &mut self.storage
    }

    /// The receipt of what is read now.
    pub fn receipt(&self) -> ReadReceipt {
        ReadReceipt {
            bangfu: env!("CARGO_PKG_VERSION"),
            policy: self.setup.stamp(),
            position: self.state.position,
        }
    }

    /// The year with the report's files, for the report ([`BuiltYear::evaluate`]).
    pub fn built(&self) -> BuiltYear {
        let r = &self.state.report;
        BuiltYear {
            year: self.state.year.clone(),
            stated: r.stated.as_ref().map(|(_, f)| f.clone()),
            judgements: r.judgements.as_ref().map(|(_, f)| f.clone()),
            report: r.report.as_ref().map(|(_, f)| f.clone()),
            units: (!self.setup.units().is_empty()).then(|| self.setup.units().clone()),
        }
    }

    /// [`Journal::built`] without the copy: the journal's own year moved out, for a reader
    /// that is done with the store (the command's `statement` and `report` from a store:
    /// the copy doubled their peak, a second year in memory).
    ///
    /// # Example
    /// ```
    /// # use bangfu_journal::{Journal, MemoryStorage, Setup};
    /// # use bangfu_data::hainan2018 as hn;
    /// let journal = Journal::create(MemoryStorage::default(), Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?)?;
    /// let built = journal.into_built();
    /// assert!(built.stated.is_none());
    /// # Ok::<(), bangfu_journal::JournalError>(())
    /// ```
    pub fn into_built(self) -> BuiltYear {
        let r = self.state.report;
        let units = self.setup.units();
        BuiltYear {
            year: self.state.year,
            stated: r.stated.map(|(_, f)| f),
            judgements: r.judgements.map(|(_, f)| f),
            report: r.report.map(|(_, f)| f),
            units: (!units.is_empty()).then(|| units.clone()),
        }
    }

    /// The texts of the report's files kept, by file name.
    pub fn report_texts(&self) -> Vec<(&'static str, &str)> {
        let r = &self.state.report;
        let mut out = Vec::new();
        if let Some((t, _)) = &r.stated {
            out.push(("stated.toml", t.as_str()));
        }
        if let Some((t, _)) = &r.judgements {
            out.push(("judgements.toml", t.as_str()));
        }
        if let Some((t, _)) = &r.report {
            out.push(("report.toml", t.as_str()));
        }
        out
    }

    /// Applies one operation in its own transaction (durable when this returns).
    ///
    /// # Errors
    /// Only the storage's: a refusal of the rules is an [`Outcome::Refused`].
    pub fn apply(&mut self, line: OpLine) -> Result<Outcome, JournalError> {
        let mut out = self.apply_batch(vec![Ok(line)])?;
        out.pop().ok_or_else(|| JournalError::Storage {
            code: "journal.storage",
            message: "no outcome".to_owned(),
        })
    }

    /// Applies operation lines in one transaction, in order: an outcome per line (a line that
    /// could not be read is refused with its code). Nothing of the batch is written unless
    /// all of it is; when the storage fails, the journal is read again from the store and
    /// the error returned (no outcome of the batch holds).
    ///
    /// # Errors
    /// The storage's errors (`journal.busy`, `journal.storage`); `journal.diverged` when an
    /// entry another writer appended does not replay.
    pub fn apply_batch(
        &mut self,
        lines: Vec<Result<OpLine, LineError>>,
    ) -> Result<Vec<Outcome>, JournalError> {
        self.apply_batch_by(None, lines)
    }

    /// [`Journal::apply_batch`] by an authenticated account ([`Journal::authenticate`]): each
    /// line must be in the account's own name (`journal.actor_mismatch`), of a kind its roles
    /// may apply (`journal.forbidden`), and for a household of a unit in its scope
    /// (`journal.out_of_scope`); a refused line changes nothing and is logged with its reason.
    ///
    /// # Errors
    /// As [`Journal::apply_batch`].
    ///
    /// # Example
    /// ```
    /// use bangfu_journal::{Account, AccountRole, Journal, MemoryStorage, OpLine, Outcome, Setup};
    /// use bangfu_data::hainan2018 as hn;
    /// let setup = Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?.with_units("[[unit]]\nid = \"center\"\n")?;
    /// let mut j = Journal::create(MemoryStorage::default(), setup)?;
    /// let clerk = Account { id: "clerk-1".parse()?, roles: vec![AccountRole::GrassrootsUnion], unit: "center".parse()? };
    /// let line = OpLine::from_json(r#"{"v":1,"id":"in-1","actor":"clerk-1","date":"2018-03-01","op":"income","body":{"id":"in-1","date":"2018-03-01","source":"central_fiscal","kind":"allocation","amount":"10.00"}}"#)?;
    /// let out = j.apply_batch_as(&clerk, vec![Ok(line)])?;
    /// assert!(matches!(out[0], Outcome::Refused { code: "journal.forbidden", .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_batch_as(
        &mut self,
        account: &crate::Account,
        lines: Vec<Result<OpLine, LineError>>,
    ) -> Result<Vec<Outcome>, JournalError> {
        self.apply_batch_by(Some(account), lines)
    }

    /// Applies batches one after another, each in its own transaction, and gives each
    /// batch's outcomes to `committed` with its `tag` once the batch is committed (durable),
    /// in order. With the writer thread (the default, [`Journal::set_writer_thread`]), the
    /// batches are pipelined: a writer thread holds the store and writes and commits batch
    /// *n* while the rules decide batch *n + 1* (two batches in flight at most); an
    /// operation is still acknowledged only after its batch's commit. When another process
    /// appended to the store between two batches, the batches not yet committed are decided
    /// again on the store as it is (read again) and the rest applied one batch at a time.
    /// The outcomes are those [`Journal::apply_batch`] gives batch after batch.
    ///
    /// # Errors
    /// As [`Journal::apply_batch`]: the batches acknowledged before the error are committed,
    /// the others are not, and the journal is read again from the store.
    ///
    /// # Example
    /// ```
    /// # use bangfu_journal::{Journal, MemoryStorage, OpLine, Setup};
    /// # use bangfu_data::hainan2018 as hn;
    /// let mut journal = Journal::create(MemoryStorage::default(), Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?)?;
    /// let income = |n: u32| OpLine::from_json(&format!(r#"{{"v":1,"id":"in-{n}","actor":"finance-1","date":"2018-03-01","op":"income","body":{{"id":"in-{n}","date":"2018-03-01","source":"central_fiscal","kind":"allocation","amount":"10.00"}}}}"#));
    /// let batches = (0..3).map(|b| (b, vec![income(b), income(b + 1)]));
    /// let mut acknowledged = Vec::new();
    /// journal.apply_batches(batches, |b, outcomes| acknowledged.push((b, outcomes.len())))?;
    /// assert_eq!(acknowledged, [(0, 2), (1, 2), (2, 2)]);
    /// assert_eq!(journal.position(), 4); // in-0 to in-3; each second line of a batch came again
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_batches<T>(
        &mut self,
        batches: impl IntoIterator<Item = (T, Vec<Result<OpLine, LineError>>)>,
        committed: impl FnMut(T, Vec<Outcome>),
    ) -> Result<(), JournalError> {
        self.apply_batches_by(None, batches.into_iter(), committed)
    }

    /// [`Journal::apply_batches`] by an authenticated account, each batch as
    /// [`Journal::apply_batch_as`].
    ///
    /// # Errors
    /// As [`Journal::apply_batches`].
    ///
    /// # Example
    /// ```
    /// use bangfu_journal::{Account, AccountRole, Journal, MemoryStorage, OpLine, Outcome, Setup};
    /// use bangfu_data::hainan2018 as hn;
    /// let setup = Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?.with_units("[[unit]]\nid = \"center\"\n")?;
    /// let mut j = Journal::create(MemoryStorage::default(), setup)?;
    /// let clerk = Account { id: "clerk-1".parse()?, roles: vec![AccountRole::GrassrootsUnion], unit: "center".parse()? };
    /// let line = OpLine::from_json(r#"{"v":1,"id":"in-1","actor":"clerk-1","date":"2018-03-01","op":"income","body":{"id":"in-1","date":"2018-03-01","source":"central_fiscal","kind":"allocation","amount":"10.00"}}"#);
    /// let mut out = Vec::new();
    /// j.apply_batches_as(&clerk, [((), vec![line])], |(), o| out.extend(o))?;
    /// assert!(matches!(out[0], Outcome::Refused { code: "journal.forbidden", .. }));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn apply_batches_as<T>(
        &mut self,
        account: &crate::Account,
        batches: impl IntoIterator<Item = (T, Vec<Result<OpLine, LineError>>)>,
        committed: impl FnMut(T, Vec<Outcome>),
    ) -> Result<(), JournalError> {
        self.apply_batches_by(Some(account), batches.into_iter(), committed)
    }

    fn apply_batches_by<T>(
        &mut self,
        account: Option<&crate::Account>,
        mut batches: impl Iterator<Item = (T, Vec<Result<OpLine, LineError>>)>,
        mut committed: impl FnMut(T, Vec<Outcome>),
    ) -> Result<(), JournalError> {
        let mut retry = Vec::new();
        if self.writer_thread {
            let Some(first) = batches.next() else {
                return Ok(());
            };
            // The first batch's transaction is begun here, on the store as it is now.
            let begun = self
                .storage
                .begin()
                .and_then(|()| self.state.catch_up(&mut self.storage, false));
            let stop = match begun {
                Ok(_) => self.pipeline(account, first, &mut batches, &mut committed),
                Err(e) => Err((Stop::Failed(e), Vec::new())),
            };
            if let Err((stop, uncommitted)) = stop {
                // The memory is ahead of the store: drop the transaction, read again.
                let _ = self.storage.rollback();
                self.reload()?;
                match stop {
                    Stop::Failed(e) => return Err(e),
                    // Another process wrote between two batches: the batches not committed
                    // are decided again, and the rest one batch at a time.
                    Stop::Conflict => retry = uncommitted,
                }
            }
        }
        for (tag, lines) in retry.into_iter().chain(batches) {
            let outcomes = self.apply_batch_by(account, lines)?;
            committed(tag, outcomes);
        }
        Ok(())
    }

    /// The batches pipelined through a writer thread, the first batch's transaction open and
    /// the state caught up with it. On a stop, why, with the batches not committed (their
    /// lines as they came).
    #[allow(clippy::type_complexity)]
    fn pipeline<T>(
        &mut self,
        account: Option<&crate::Account>,
        first: (T, Vec<Result<OpLine, LineError>>),
        batches: &mut impl Iterator<Item = (T, Vec<Result<OpLine, LineError>>)>,
        committed: &mut impl FnMut(T, Vec<Outcome>),
    ) -> Result<(), (Stop, Vec<(T, Vec<Result<OpLine, LineError>>)>)> {
        let (state, setup, storage) = (&mut self.state, &self.setup, &mut self.storage);
        std::thread::scope(|scope| {
            let (tx, rx) = Piped::channel();
            let (done, commits) = std::sync::mpsc::channel();
            let writer = scope.spawn(move || crate::pipeline::write_loop(storage, rx, done));
            let mut sink = Piped::new(tx, true);
            // Batches decided and not yet committed: their tags, outcomes and lines.
            let mut in_flight = std::collections::VecDeque::new();
            let mut failed = None;
            let mut acknowledge =
                |in_flight: &mut std::collections::VecDeque<(T, Vec<Outcome>, Vec<Kept>)>| {
                    if let Some((tag, outcomes, _)) = in_flight.pop_front() {
                        committed(tag, outcomes);
                    }
                };
            for (n, (tag, lines)) in std::iter::once(first).chain(batches.by_ref()).enumerate() {
                // At most two batches decided and not committed before this one.
                while let Ok(()) = commits.try_recv() {
                    acknowledge(&mut in_flight);
                }
                while in_flight.len() >= BATCHES_IN_FLIGHT {
                    if commits.recv().is_err() {
                        break;
                    }
                    acknowledge(&mut in_flight);
                }
                if n > 0 {
                    sink.tell(ToWriter::Begin {
                        from: state.position,
                    });
                }
                sink.prepare(&state.ids, &lines);
                // Once the writer stops, the batch is decided and dropped, and the writer says
                // why.
                let outcomes = match apply_lines(state, setup, account, lines, &mut sink) {
                    Ok(outcomes) => outcomes,
                    Err(e) => {
                        // Not committed: the channel closes without the batch's commit.
                        failed = Some(e);
                        in_flight.push_back((tag, Vec::new(), sink.take_kept()));
                        break;
                    }
                };
                sink.tell(ToWriter::Commit);
                in_flight.push_back((tag, outcomes, sink.take_kept()));
                if sink.stopped() {
                    break;
                }
            }
            drop(sink);
            let written = writer.join();
            while let Ok(()) = commits.try_recv() {
                acknowledge(&mut in_flight);
            }
            let stop = match (written, failed) {
                (Ok(Ok(())), None) => return Ok(()),
                (Ok(Err(stop)), _) => stop,
                (Ok(Ok(())), Some(e)) => Stop::Failed(e),
                (Err(_), _) => Stop::Failed(writer_stopped()),
            };
            let uncommitted = in_flight
                .into_iter()
                .map(|(tag, _, kept)| (tag, kept.into_iter().map(Kept::into_line).collect()))
                .collect();
            Err((stop, uncommitted))
        })
    }

    /// Whether a batch of 64 lines or more writes through a writer thread while the rules
    /// decide the next lines (on by default); off, every batch is applied on the caller's
    /// thread alone. The outcomes and the store are the same either way.
    ///
    /// # Example
    /// ```
    /// # use bangfu_journal::{Journal, MemoryStorage, Setup};
    /// # use bangfu_data::hainan2018 as hn;
    /// let mut journal = Journal::create(MemoryStorage::default(), Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?)?;
    /// journal.set_writer_thread(false);
    /// # Ok::<(), bangfu_journal::JournalError>(())
    /// ```
    pub fn set_writer_thread(&mut self, on: bool) {
        self.writer_thread = on;
    }

    fn apply_batch_by(
        &mut self,
        account: Option<&crate::Account>,
        lines: Vec<Result<OpLine, LineError>>,
    ) -> Result<Vec<Outcome>, JournalError> {
        self.storage.begin()?;
        let result = self.apply_in_transaction(account, lines);
        let result = match result {
            Ok(outcomes) => self.storage.commit().map(|()| outcomes),
            Err(e) => Err(e),
        };
        if let Err(e) = result {
            // The memory may be ahead of the store: drop the transaction, read again.
            let _ = self.storage.rollback();
            self.reload()?;
            return Err(e);
        }
        result
    }

    /// The year read again from the store (after a rollback: the memory may be ahead).
    pub(crate) fn reload(&mut self) -> Result<(), JournalError> {
        let mut state = State::new(&self.setup)?;
        state.catch_up(&mut self.storage, false)?;
        self.state = state;
        Ok(())
    }

    /// Applies lines inside the writer's open transaction ([`Storage::begin`]).
    pub(crate) fn apply_in_transaction(
        &mut self,
        account: Option<&crate::Account>,
        lines: Vec<Result<OpLine, LineError>>,
    ) -> Result<Vec<Outcome>, JournalError> {
        self.state.catch_up(&mut self.storage, false)?;
        if lines.len() < PIPELINE_FROM || !self.writer_thread {
            let mut sink = Direct(&mut self.storage);
            return apply_lines(&mut self.state, &self.setup, account, lines, &mut sink);
        }
        let (state, setup, storage) = (&mut self.state, &self.setup, &mut self.storage);
        std::thread::scope(|scope| {
            let (tx, rx) = Piped::channel();
            // A lone batch commits on this thread: the writer's commits are not asked for.
            let (committed, _) = std::sync::mpsc::channel();
            let writer = scope.spawn(move || crate::pipeline::write_loop(storage, rx, committed));
            let mut sink = Piped::new(tx, false);
            sink.prepare(&state.ids, &lines);
            let applied = apply_lines(state, setup, account, lines, &mut sink);
            // The last writes, then the channel closes and the writer ends.
            sink.flush();
            drop(sink);
            // The writer's own error first: the rules stop when it stops.
            match writer.join() {
                Ok(Ok(())) => applied,
                Ok(Err(Stop::Failed(e))) => Err(e),
                Ok(Err(Stop::Conflict)) | Err(_) => Err(writer_stopped()),
            }
        })
    }

    /// Adds an account with the SHA-256 of its token (the token itself is never stored).
    ///
    /// # Errors
    /// `journal.account_exists`; `journal.out_of_scope` for a unit the tree does not hold;
    /// the storage's errors.
    ///
    /// # Example
    /// ```
    /// use bangfu_journal::{Account, AccountRole, Journal, MemoryStorage, Setup};
    /// use bangfu_data::hainan2018 as hn;
    /// let setup = Setup::new(hn::POLICY_TOML, hn::BUDGET_TOML)?.with_units("[[unit]]\nid = \"center\"\n")?;
    /// let mut j = Journal::create(MemoryStorage::default(), setup)?;
    /// let a = Account { id: "finance-1".parse()?, roles: vec![AccountRole::Finance], unit: "center".parse()? };
    /// j.add_account(&a, "s3cret-token-of-32-or-more-characters")?;
    /// assert_eq!(j.authenticate("s3cret-token-of-32-or-more-characters")?, a);
    /// assert!(j.authenticate("wrong").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn add_account(
        &mut self,
        account: &crate::Account,
        token: &str,
    ) -> Result<(), JournalError> {
        if !self.setup.units().contains(&account.unit) {
            return Err(JournalError::OutOfScope {
                account: account.id.clone(),
                unit: account.unit.clone(),
            });
        }
        if self
            .storage
            .accounts()?
            .iter()
            .any(|(a, _)| a.id == account.id)
        {
            return Err(JournalError::AccountExists {
                account: account.id.clone(),
            });
        }
        self.storage
            .add_account(account, &bangfu_year::sha256_hex(token.as_bytes()))
    }

    /// The account whose token this is.
    ///
    /// # Errors
    /// `journal.unauthenticated`; the storage's errors.
    pub fn authenticate(&mut self, token: &str) -> Result<crate::Account, JournalError> {
        let hash = bangfu_year::sha256_hex(token.as_bytes());
        self.storage
            .accounts()?
            .into_iter()
            .find(|(_, h)| *h == hash)
            .map(|(a, _)| a)
            .ok_or(JournalError::Unauthenticated)
    }

    /// Whether `unit` is in `account`'s scope (the unit or one below it in the tree): what it
    /// may read of a household there.
    ///
    /// # Errors
    /// `journal.out_of_scope` when it is not.
    pub fn check_scope(
        &self,
        account: &crate::Account,
        unit: &bangfu_core::UnitId,
    ) -> Result<(), JournalError> {
        if self.setup.units().covers(&account.unit, unit) {
            Ok(())
        } else {
            Err(JournalError::OutOfScope {
                account: account.id.clone(),
                unit: unit.clone(),
            })
        }
    }

    /// Whether the store has accounts (then every request to a service must authenticate).
    ///
    /// # Errors
    /// The storage's errors.
    pub fn has_accounts(&mut self) -> Result<bool, JournalError> {
        Ok(!self.storage.accounts()?.is_empty())
    }

    /// Logs a read of personal data (个人信息查阅记录): who read what, about whom, at which
    /// position.
    ///
    /// # Errors
    /// The storage's errors.
    pub fn log_read(
        &mut self,
        account: &crate::Account,
        what: &str,
        subject: &str,
    ) -> Result<(), JournalError> {
        self.storage.log_read(&crate::ReadLog {
            account: account.id.clone(),
            what: what.to_owned(),
            subject: subject.to_owned(),
            position: self.state.position,
        })
    }

    /// Checks the store (核对): the journal replayed from the start under the setup's rules,
    /// each entry's stored result against the replayed one, the stored state against the
    /// replay's, to the fen, and each stored balance against the storage's own sum of the
    /// stored postings.
    ///
    /// # Errors
    /// `journal.diverged` when an entry does not replay; the storage's errors.
    pub fn verify(&mut self) -> Result<Verification, JournalError> {
        let mut replay = State::new(&self.setup)?;
        let mut differences = replay.catch_up(&mut self.storage, true)?;
        let stored = self.storage.projection()?;
        let replayed = replay.projection()?;
        differences.extend(stored.differences(&replayed));
        let sums = self.storage.balance_sums()?;
        for (source, balance) in &stored.balances {
            let sum = sums.get(source).copied().unwrap_or(0);
            if sum != *balance {
                differences.push(format!(
                    "balance {source}: stored {balance} fen, the stored postings sum to {sum} fen"
                ));
            }
        }
        let receipt = ReadReceipt {
            bangfu: env!("CARGO_PKG_VERSION"),
            policy: self.setup.stamp(),
            position: replay.position,
        };
        Ok(Verification {
            receipt,
            operations: replay.position,
            postings: replayed.postings.len(),
            differences,
        })
    }

    /// Every entry of the journal, in order.
    ///
    /// # Errors
    /// The storage's errors.
    pub fn entries(&mut self) -> Result<Vec<Entry>, JournalError> {
        let mut out = Vec::new();
        self.storage.entries_after(0, &mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }
}

/// The error of a writer thread that stopped without one of its own.
fn writer_stopped() -> JournalError {
    JournalError::Storage {
        code: "journal.storage",
        message: "the writer thread stopped".to_owned(),
    }
}

impl State {
    fn new(setup: &Setup) -> Result<State, JournalError> {
        Ok(State {
            year: setup.year()?,
            ids: std::collections::HashSet::new(),
            position: 0,
            closed: None,
            report: ReportFiles::default(),
            pending: std::collections::BTreeMap::new(),
            reserved: std::collections::BTreeMap::new(),
        })
    }

    /// Applies the entries stored after this state's position. With `compare`, each entry's
    /// stored result is compared with the replayed one and the differences returned.
    fn catch_up(
        &mut self,
        storage: &mut dyn Storage,
        compare: bool,
    ) -> Result<Vec<String>, JournalError> {
        let mut differences = Vec::new();
        let after = self.position;
        storage.entries_after(after, &mut |entry| {
            let diverged = |code: &'static str, message: String| JournalError::Diverged {
                position: entry.position,
                code,
                message,
            };
            if entry.position != self.position.saturating_add(1) {
                return Err(diverged(
                    "journal.diverged",
                    format!("expected position {}", self.position.saturating_add(1)),
                ));
            }
            let op = Operation::from_body(entry.kind, Some(&entry.body))
                .map_err(|e| diverged(bangfu_core::Coded::code(&e), e.message().to_owned()))?;
            let (effect, _) = self
                .step(&entry.id, &entry.actor, entry.date, op)
                .map_err(|e| diverged(e.code(), e.to_string()))?;
            self.ids.insert(entry.id.clone());
            if compare {
                let replayed = ResultJson::of(&effect).value();
                let stored: serde_json::Value =
                    serde_json::from_str(&entry.result).unwrap_or(serde_json::Value::Null);
                if replayed != stored {
                    differences.push(format!(
                        "result of operation {} at position {}: stored {stored}, replay {replayed}",
                        entry.id, entry.position
                    ));
                }
            }
            self.position = entry.position;
            Ok(())
        })?;
        Ok(differences)
    }

    /// Applies an operation to the year: what it did and the rows it changed, or the refusal
    /// (and nothing changed).
    fn step(
        &mut self,
        id: &OpId,
        actor: &AccountId,
        date: NaiveDate,
        op: Operation,
    ) -> Result<(Effect, Rows), JournalError> {
        if let Some(by) = &self.closed {
            return Err(JournalError::YearClosed { by: by.clone() });
        }
        match &op {
            Operation::Reverse(r) => self.reversal_reserve(r)?,
            Operation::Record(p) => {
                if let Posting::Reversal(r) = p.as_ref() {
                    self.reversal_reserve(r)?;
                }
            }
            _ => {}
        }
        match op {
            Operation::Order(p) => return self.order(*p, actor),
            Operation::Approve(d) => return self.approve(&d, actor, date),
            Operation::Reject(d) => return self.reject(&d),
            Operation::Pay(p) => {
                // A direct payment may not take what waiting orders reserve.
                let d = self.year.check_pay(&p)?;
                self.available(d.source, d.amount)?;
                let mut rows = Rows::default();
                let id = p.id.clone();
                let receipt = self.year.pay(*p)?;
                return Ok((posted(&self.year, &mut rows, id, receipt), rows));
            }
            _ => {}
        }
        let year = &mut self.year;
        let mut rows = Rows::default();
        let case_effect = |year: &ProgrammeYear, rows: &mut Rows, case: CaseId| {
            rows.add_file(year, &case);
            let stage = year
                .registry()
                .get(&case)
                .map_or(Stage::Applied, bangfu_eligibility::CaseFile::stage);
            Effect::Case { case, stage }
        };
        let effect = match op {
            Operation::FileHousehold(h) => {
                let case = h.case.clone();
                year.file_household(*h)?;
                case_effect(year, &mut rows, case)
            }
            Operation::RefuseApplicant(a) => {
                year.refuse_applicant(&a)?;
                case_effect(year, &mut rows, a.case)
            }
            Operation::CaseEvent(e) => {
                let e = *e;
                year.case_event(&e.case, e.change)?;
                case_effect(year, &mut rows, e.case)
            }
            Operation::Claim(c) => {
                let claim = c.id.clone();
                let outcome = year.claim(*c)?;
                if let Some(d) = year.decided_claim(&claim) {
                    rows.add_claim(d);
                }
                Effect::Decided {
                    amount: outcome.amount,
                    order: outcome.order,
                }
            }
            Operation::Income(i) => {
                let id = i.id.clone();
                let receipt = year.income(*i)?;
                posted(year, &mut rows, id, receipt)
            }
            Operation::Reverse(r) => {
                let id = r.id.clone();
                let receipt = year.reverse(*r)?;
                posted(year, &mut rows, id, receipt)
            }
            Operation::Record(p) => match *p {
                Posting::Income(i) => {
                    let id = i.id.clone();
                    let receipt = year.income(i)?;
                    posted(year, &mut rows, id, receipt)
                }
                Posting::Reversal(r) => {
                    let id = r.id.clone();
                    let receipt = year.reverse(r)?;
                    posted(year, &mut rows, id, receipt)
                }
                Posting::Disbursement(d) => {
                    let id = d.id.clone();
                    let defects = year.record(Posting::Disbursement(d))?;
                    recorded(year, &mut rows, id, defects)
                }
            },
            Operation::Visit(v) => {
                year.visit(*v);
                Effect::Noted
            }
            Operation::ReportFile(f) => {
                self.report.set(&f)?;
                Effect::Noted
            }
            Operation::Allocation(a) => {
                year.approve_allocation(*a)?;
                Effect::Noted
            }
            Operation::PaymentCheck(c) => {
                year.check_record(*c)?;
                Effect::Noted
            }
            Operation::Inspection(i) => {
                year.inspection(*i)?;
                Effect::Noted
            }
            Operation::Temporary(t) => match *t {
                TemporaryAidRecord::Claim(c) => {
                    let decision = year.temporary_claim(c)?;
                    Effect::Decided {
                        amount: decision.amount,
                        order: None,
                    }
                }
                TemporaryAidRecord::Payment(p) => {
                    let id = p.id.clone();
                    let defects = year.record_temporary(p)?;
                    recorded(year, &mut rows, id, defects)
                }
            },
            Operation::Close => {
                let close = year.close()?;
                self.closed = Some(id.clone());
                Effect::Closed { close }
            }
            // Taken above.
            Operation::Pay(_)
            | Operation::Order(_)
            | Operation::Approve(_)
            | Operation::Reject(_) => Effect::Noted,
        };
        Ok((effect, rows))
    }

    /// A reversal of an income may not take from its source what waiting orders reserve
    /// (`journal.overcommitted`): the orders could no longer be paid. (More than the source
    /// holds is the ledger's `funding.overdraft`.)
    fn reversal_reserve(&self, r: &bangfu_funding::Reversal) -> Result<(), JournalError> {
        if let Some((Posting::Income(_), _)) = self.year.ledger().posted(&r.reverses)
            && r.amount <= self.year.ledger().balance(r.source)
        {
            self.available(r.source, r.amount)?;
        }
        Ok(())
    }

    /// What `source` can still reserve: its balance less what waiting orders reserve; an
    /// error when `amount` is more.
    fn available(&self, source: FundSource, amount: Money) -> Result<Money, JournalError> {
        let reserved = self.reserved.get(&source).copied().unwrap_or(Money::ZERO);
        let available = self
            .year
            .ledger()
            .balance(source)
            .checked_sub(reserved)
            .map_err(YearError::from)?;
        if amount > available {
            return Err(JournalError::Overcommitted {
                fund: source,
                available: available.max(Money::ZERO),
                amount,
            });
        }
        available
            .checked_sub(amount)
            .map_err(|e| YearError::from(e).into())
    }

    /// An order: checked as a payment would be, and reserved against its source.
    fn order(
        &mut self,
        payment: bangfu_year::Payment,
        maker: &AccountId,
    ) -> Result<(Effect, Rows), JournalError> {
        if self.pending.contains_key(&payment.id) {
            return Err(JournalError::OrderPending {
                payment: payment.id,
            });
        }
        let d = self.year.check_pay(&payment)?;
        let available_after = self.available(d.source, d.amount)?;
        let reserved = self.reserved.get(&d.source).copied().unwrap_or(Money::ZERO);
        let reserved = reserved.checked_add(d.amount).map_err(YearError::from)?;
        self.reserved.insert(d.source, reserved);
        let mut rows = Rows::default();
        rows.orders.push((
            payment.id.to_string(),
            crate::storage::OrderRow {
                source: d.source.code().to_owned(),
                amount_fen: d.amount.fen(),
                maker: maker.to_string(),
                claim: payment.claim.to_string(),
            },
        ));
        let effect = Effect::Ordered {
            payment: payment.id.clone(),
            amount: d.amount,
            source: d.source,
            available_after,
        };
        self.pending.insert(
            payment.id.clone(),
            Pending {
                payment,
                amount: d.amount,
                maker: maker.clone(),
            },
        );
        Ok((effect, rows))
    }

    /// An approval by a second person: the order paid on the approval's date.
    fn approve(
        &mut self,
        decision: &crate::op::OrderDecision,
        checker: &AccountId,
        date: NaiveDate,
    ) -> Result<(Effect, Rows), JournalError> {
        let pending = self.waiting(&decision.payment)?;
        if &pending.maker == checker {
            return Err(JournalError::SamePerson {
                payment: decision.payment.clone(),
                maker: pending.maker.clone(),
            });
        }
        let mut payment = pending.payment.clone();
        payment.date = date;
        let amount = pending.amount;
        let source = payment.source;
        let receipt = self.year.pay(payment)?;
        self.release(&decision.payment, source, amount);
        let mut rows = Rows::default();
        rows.orders_closed.push(decision.payment.to_string());
        let effect = posted(&self.year, &mut rows, decision.payment.clone(), receipt);
        Ok((effect, rows))
    }

    /// A rejection: the order's reservation released.
    fn reject(
        &mut self,
        decision: &crate::op::OrderDecision,
    ) -> Result<(Effect, Rows), JournalError> {
        let pending = self.waiting(&decision.payment)?;
        let (source, amount) = (pending.payment.source, pending.amount);
        self.release(&decision.payment, source, amount);
        let mut rows = Rows::default();
        rows.orders_closed.push(decision.payment.to_string());
        Ok((
            Effect::Rejected {
                payment: decision.payment.clone(),
            },
            rows,
        ))
    }

    /// The order waiting under `payment`.
    fn waiting(&self, payment: &PostingId) -> Result<&Pending, JournalError> {
        self.pending
            .get(payment)
            .ok_or_else(|| JournalError::UnknownOrder {
                payment: payment.clone(),
            })
    }

    /// Drops a waiting order and its reservation.
    fn release(&mut self, payment: &PostingId, source: FundSource, amount: Money) {
        self.pending.remove(payment);
        if let Some(r) = self.reserved.get_mut(&source) {
            *r = r.saturating_sub(amount);
        }
    }

    /// The whole state of the year and its waiting orders.
    fn projection(&self) -> Result<Projection, JournalError> {
        let mut p = Projection::of(&self.year)?;
        for (id, o) in &self.pending {
            p.orders.insert(
                id.to_string(),
                crate::storage::OrderRow {
                    source: o.payment.source.code().to_owned(),
                    amount_fen: o.amount.fen(),
                    maker: o.maker.to_string(),
                    claim: o.payment.claim.to_string(),
                },
            );
        }
        Ok(p)
    }
}

/// The effect of a posting of the union's history recorded, with its rows.
fn recorded(year: &ProgrammeYear, rows: &mut Rows, id: PostingId, defects: Vec<Defect>) -> Effect {
    if let Some((posting, _)) = year.ledger().posted(&id) {
        rows.add_posting(year, posting);
    }
    Effect::Recorded {
        posting: id,
        defects,
    }
}

/// The effect of a posting made, with its rows.
fn posted(year: &ProgrammeYear, rows: &mut Rows, id: PostingId, receipt: Receipt) -> Effect {
    if let Some((posting, _)) = year.ledger().posted(&id) {
        rows.add_posting(year, posting);
    }
    Effect::Posted {
        posting: id,
        sequence: receipt.sequence,
        source: receipt.source,
        balance_after: receipt.balance_after,
    }
}

impl ReportFiles {
    /// Keeps a report file's text, read by its name; a bad file changes nothing.
    fn set(&mut self, f: &crate::op::ReportText) -> Result<(), JournalError> {
        let bad = |code: &'static str, message: String| JournalError::ReportFile {
            file: bangfu_core::read::quote(&f.file),
            code,
            message,
        };
        let text = bangfu_core::read::strip_bom(&f.text).to_owned();
        match f.file.as_str() {
            "stated.toml" => {
                let parsed =
                    StatedFile::from_toml(&text).map_err(|e| bad(e.code(), e.to_string()))?;
                self.stated = Some((text, parsed));
            }
            "judgements.toml" => {
                let parsed =
                    JudgementsFile::from_toml(&text).map_err(|e| bad(e.code(), e.to_string()))?;
                self.judgements = Some((text, parsed));
            }
            "report.toml" => {
                let parsed =
                    ReportFile::from_toml(&text).map_err(|e| bad(e.code(), e.to_string()))?;
                self.report = Some((text, parsed));
            }
            _ => {
                return Err(bad(
                    "journal.report_file",
                    "a report file is stated.toml, judgements.toml or report.toml".to_owned(),
                ));
            }
        }
        Ok(())
    }
}

/// The day of a record of a year directory: when its operation is dated on import.
pub(crate) fn record_date(record: &bangfu_year::dir::YearRecord) -> Option<NaiveDate> {
    use bangfu_year::dir::YearRecord;
    Some(match record {
        YearRecord::Household(h) => h.applied,
        YearRecord::Applicant(a) => a.applied,
        YearRecord::CaseEvent(e) => e.date(),
        YearRecord::Claim(c) => c.date,
        YearRecord::Posting(p) => p.date(),
        YearRecord::Payment(p) => p.date,
        YearRecord::Visit(v) => v.date,
        YearRecord::Allocation(a) => a.meeting.date,
        YearRecord::Check(c) => return check_date(c),
        YearRecord::Inspection(i) => match i {
            bangfu_year::oversight::InspectionRecord::Item(item) => item.date,
            bangfu_year::oversight::InspectionRecord::Fix(fix) => fix.date,
        },
        YearRecord::Temporary(t) => t.date(),
        _ => return None,
    })
}

/// The day of a payment check: the card's first day, the notice's day (a bank's return
/// without a notice has none), the sample's or the call's day.
fn check_date(record: &bangfu_year::oversight::CheckRecord) -> Option<NaiveDate> {
    use bangfu_year::oversight::CheckRecord;
    match record {
        CheckRecord::Card(c) => Some(c.from),
        CheckRecord::Payment(p) => p.notice.as_ref().map(|n| n.date),
        CheckRecord::Sample(s) => Some(s.date),
        CheckRecord::Callback(c) => Some(c.date),
    }
}

/// Applies a batch's lines in order to the state, their writes to `sink`.
fn apply_lines(
    state: &mut State,
    setup: &Setup,
    account: Option<&crate::Account>,
    lines: Vec<Result<OpLine, LineError>>,
    sink: &mut dyn Sink,
) -> Result<Vec<Outcome>, JournalError> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let outcome = match line {
            Ok(line) => match account
                .map(|a| permit(state, setup, a, &line))
                .unwrap_or(Ok(()))
                .and_then(|()| in_tree(setup, &line))
            {
                Err(e) => {
                    sink.keep_line(&line);
                    refuse(sink, &line, e)?
                }
                Ok(()) => apply_one(state, sink, line)?,
            },
            Err(e) => {
                sink.keep_unread(&e);
                let refusal = Refusal {
                    id: e.id.clone(),
                    actor: None,
                    date: None,
                    kind: None,
                    code: e.code().to_owned(),
                    message: e.to_string(),
                };
                sink.refusal(refusal)?;
                Outcome::Refused {
                    id: e.id,
                    code: e.error.code(),
                    message: e.error.to_string(),
                }
            }
        };
        out.push(outcome);
    }
    Ok(out)
}

/// Whether the units `line` names are in the store's union organisation tree, when it has one
/// (with accounts or without): a household's unit, a recorded payment's, a visit's, a
/// temporary-aid claim's, as a year directory's are checked (`tree.unknown_unit`).
fn in_tree(setup: &Setup, line: &OpLine) -> Result<(), JournalError> {
    let tree = setup.units();
    if tree.is_empty() {
        return Ok(());
    }
    let unit = match &line.op {
        Operation::FileHousehold(h) => Some(h.unit()),
        Operation::Visit(v) => Some(&v.unit),
        Operation::Record(p) => match p.as_ref() {
            Posting::Disbursement(d) => d.unit.as_ref(),
            _ => None,
        },
        Operation::Temporary(t) => match t.as_ref() {
            TemporaryAidRecord::Claim(c) => Some(&c.unit),
            TemporaryAidRecord::Payment(_) => None,
        },
        _ => None,
    };
    match unit {
        Some(u) if tree.check(u).is_err() => Err(JournalError::UnknownUnit { unit: u.clone() }),
        _ => Ok(()),
    }
}

/// Whether `account` may apply `line` now.
fn permit(
    state: &State,
    setup: &Setup,
    account: &crate::Account,
    line: &OpLine,
) -> Result<(), JournalError> {
    if line.actor != account.id {
        return Err(JournalError::ActorMismatch {
            account: account.id.clone(),
        });
    }
    crate::access::permit(account, &line.op, &state.year, setup.units())
}

fn apply_one(
    state: &mut State,
    sink: &mut dyn Sink,
    line: OpLine,
) -> Result<Outcome, JournalError> {
    let kind = line.op.kind();
    let known = state.ids.contains(&line.id);
    if let Some(first) = known.then(|| sink.find(&line.id)).transpose()?.flatten() {
        sink.keep_line(&line);
        let body = line.op.body_json();
        let same = first.actor == line.actor
            && first.date == line.date
            && first.kind == kind
            && first.body == body;
        return if same {
            Ok(Outcome::Duplicate {
                id: line.id,
                position: first.position,
                result: ResultJson::stored(first.result),
            })
        } else {
            refuse(
                sink,
                &line,
                JournalError::IdConflict {
                    id: line.id.clone(),
                },
            )
        };
    }
    let body = sink.body(&line);
    let OpLine {
        id,
        actor,
        date,
        op,
    } = line;
    match state.step(&id, &actor, date, op) {
        Ok((effect, rows)) => {
            let position = state.position.saturating_add(1);
            let result = ResultJson::of(&effect);
            let entry = Entry {
                position,
                id: id.clone(),
                actor,
                date,
                kind,
                body,
                result: result.as_str().to_owned(),
            };
            sink.append(entry, rows)?;
            state.position = position;
            state.ids.insert(id.clone());
            Ok(Outcome::Accepted {
                id,
                position,
                result,
            })
        }
        Err(e) => refuse_parts(sink, id, actor, date, kind, e),
    }
}

fn refuse(
    sink: &mut dyn Sink,
    line: &OpLine,
    error: JournalError,
) -> Result<Outcome, JournalError> {
    let kind = line.op.kind();
    refuse_parts(
        sink,
        line.id.clone(),
        line.actor.clone(),
        line.date,
        kind,
        error,
    )
}

fn refuse_parts(
    sink: &mut dyn Sink,
    id: OpId,
    actor: AccountId,
    date: NaiveDate,
    kind: OpKind,
    error: JournalError,
) -> Result<Outcome, JournalError> {
    let message = error.to_string();
    let refusal = Refusal {
        id: Some(id.clone()),
        actor: Some(actor),
        date: Some(date),
        kind: Some(kind),
        code: error.code().to_owned(),
        message: message.clone(),
    };
    sink.refusal(refusal)?;
    Ok(Outcome::Refused {
        id: Some(id),
        code: error.code(),
        message,
    })
}
