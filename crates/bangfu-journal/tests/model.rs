//! The journal against an independent reference model: random sequences of operations (with
//! repeated ids, repeated lines, out-of-order dates, unknown claims, overdrafts, closes, and
//! payment orders approved by their maker or another, rejected, or over-committing a source,
//! and reversals of incomes and payments, right or wrong, some taking what orders reserve),
//! applied in random batches to a store (small ones written directly, from 64 lines through the
//! writer thread), and one at a time to a model made of the year path
//! alone and a map of the ids applied. Each line is built from the model's state after the
//! lines before it (a reversal states the amount of the posting it names, or one fen off). After each sequence: the same status and code for every
//! line, the same year, the same year after the store is opened again, and `verify` clean.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::collections::HashMap;

use bangfu_core::{Coded, Money, NaiveDate, PaymentChannel};
use bangfu_data::hainan2018 as hn;
use bangfu_funding::{FundSource, Income, IncomeKind, Posting, Reversal};
use bangfu_journal::{
    AccountId, Journal, JournalError, MemoryStorage, OpId, OpLine, Operation, Outcome, Setup,
    SqliteStorage,
};
use bangfu_year::records::{ClaimDetail, ClaimRecord, HouseholdRecord, SurveyRecord};
use bangfu_year::{Payment, ProgrammeYear};
use proptest::prelude::*;

/// The number of proptest cases: `PROPTEST_CASES` when set (a long run), else `default`.
fn cases(default: u32) -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// The model: the year path, the ids applied with their content and position, the waiting
/// orders and what they reserve, the close.
struct Model {
    year: ProgrammeYear,
    /// Orders waiting: payment id to (payment, amount, maker).
    pending: HashMap<String, (Payment, Money, String)>,
    /// What waiting orders reserve, by source.
    reserved: HashMap<FundSource, Money>,
    applied: HashMap<OpId, (String, u64)>,
    position: u64,
    closed: bool,
}

/// What the model says of a line: applied (new or again), or refused with a code.
#[derive(Debug, PartialEq, Eq)]
enum Said {
    Accepted(u64),
    Duplicate(u64),
    Refused(&'static str),
}

impl Model {
    fn apply(&mut self, line: &OpLine) -> Said {
        if let Some((first, position)) = self.applied.get(&line.id) {
            return if *first == Model::content(line) {
                Said::Duplicate(*position)
            } else {
                Said::Refused("journal.id_conflict")
            };
        }
        if self.closed {
            return Said::Refused("journal.year_closed");
        }
        let y = &mut self.year;
        let result = match &line.op {
            Operation::FileHousehold(h) => y.file_household(h.as_ref().clone()),
            Operation::Claim(c) => y.claim(c.as_ref().clone()).map(|_| ()),
            Operation::Income(i) => y.income(i.as_ref().clone()).map(|_| ()),
            Operation::Visit(v) => {
                y.visit(v.as_ref().clone());
                Ok(())
            }
            Operation::Close => y.close().map(|_| ()),
            Operation::Pay(p) => return self.pay(line, p),
            Operation::Order(p) => return self.order(line, p),
            Operation::Approve(d) => return self.approve(line, &d.payment.to_string()),
            Operation::Reject(d) => return self.reject(line, &d.payment.to_string()),
            Operation::Reverse(r) => return self.reverse(line, r),
            other => panic!("the model does not generate {other:?}"),
        };
        match result {
            Ok(()) => {
                if line.op == Operation::Close {
                    self.closed = true;
                }
                self.accept(line)
            }
            Err(e) => Said::Refused(e.code()),
        }
    }

    fn content(line: &OpLine) -> String {
        format!(
            "{}|{}|{}|{}",
            line.actor,
            line.date,
            line.op.kind(),
            line.op.body_json()
        )
    }

    fn accept(&mut self, line: &OpLine) -> Said {
        self.position += 1;
        self.applied
            .insert(line.id.clone(), (Model::content(line), self.position));
        Said::Accepted(self.position)
    }

    fn reserved(&self, source: FundSource) -> Money {
        self.reserved.get(&source).copied().unwrap_or(Money::ZERO)
    }

    /// Refused unless the source's balance less what waiting orders reserve covers it.
    fn covered(&self, p: &Payment) -> Result<Money, Said> {
        let d = self
            .year
            .check_pay(p)
            .map_err(|e| Said::Refused(e.code()))?;
        let available = self
            .year
            .ledger()
            .balance(d.source)
            .saturating_sub(self.reserved(d.source));
        if d.amount > available {
            return Err(Said::Refused("journal.overcommitted"));
        }
        Ok(d.amount)
    }

    fn pay(&mut self, line: &OpLine, p: &Payment) -> Said {
        if let Err(said) = self.covered(p) {
            return said;
        }
        match self.year.pay(p.clone()) {
            Ok(_) => self.accept(line),
            Err(e) => Said::Refused(e.code()),
        }
    }

    fn order(&mut self, line: &OpLine, p: &Payment) -> Said {
        let key = p.id.to_string();
        if self.pending.contains_key(&key) {
            return Said::Refused("journal.order_pending");
        }
        let amount = match self.covered(p) {
            Ok(a) => a,
            Err(said) => return said,
        };
        let reserved = self.reserved(p.source).checked_add(amount).unwrap();
        self.reserved.insert(p.source, reserved);
        self.pending
            .insert(key, (p.clone(), amount, line.actor.to_string()));
        self.accept(line)
    }

    fn approve(&mut self, line: &OpLine, key: &str) -> Said {
        let Some((p, amount, maker)) = self.pending.get(key).cloned() else {
            return Said::Refused("journal.unknown_order");
        };
        if maker == line.actor.as_str() {
            return Said::Refused("journal.same_person");
        }
        let mut paid = p.clone();
        paid.date = line.date;
        if let Err(e) = self.year.pay(paid) {
            return Said::Refused(e.code());
        }
        self.release(key, p.source, amount);
        self.accept(line)
    }

    fn reject(&mut self, line: &OpLine, key: &str) -> Said {
        let Some((p, amount, _)) = self.pending.get(key).cloned() else {
            return Said::Refused("journal.unknown_order");
        };
        self.release(key, p.source, amount);
        self.accept(line)
    }

    /// A reversal of an income may not take what waiting orders reserve (what the source
    /// does not hold is the ledger's to refuse); then the year's rules.
    fn reverse(&mut self, line: &OpLine, r: &Reversal) -> Said {
        if let Some((Posting::Income(_), _)) = self.year.ledger().posted(&r.reverses) {
            let balance = self.year.ledger().balance(r.source);
            let available = balance.saturating_sub(self.reserved(r.source));
            if r.amount <= balance && r.amount > available {
                return Said::Refused("journal.overcommitted");
            }
        }
        match self.year.reverse(r.clone()) {
            Ok(_) => self.accept(line),
            Err(e) => Said::Refused(e.code()),
        }
    }

    fn release(&mut self, key: &str, source: FundSource, amount: Money) {
        self.pending.remove(key);
        let r = self.reserved(source).saturating_sub(amount);
        self.reserved.insert(source, r);
    }
}

fn said(o: &Outcome) -> Said {
    match o {
        Outcome::Accepted { position, .. } => Said::Accepted(*position),
        Outcome::Duplicate { position, .. } => Said::Duplicate(*position),
        Outcome::Refused { code, .. } => Said::Refused(code),
        other => panic!("{other:?}"),
    }
}

/// One generated step: which operation, with small numbers the line is built from.
#[derive(Debug, Clone)]
struct Step {
    id: u8,
    kind: u8,
    household: usize,
    day: u32,
    amount: i64,
    target: u8,
    actor: bool,
}

fn step() -> impl Strategy<Value = Step> {
    (
        0u8..40,
        0u8..29,
        0usize..5,
        0u32..365,
        1i64..4_000_000,
        0u8..12,
        any::<bool>(),
    )
        .prop_map(|(id, kind, household, day, amount, target, actor)| Step {
            id,
            kind,
            household,
            day,
            amount,
            target,
            actor,
        })
}

fn day(n: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2018, 1, 1).unwrap() + chrono::Days::new(u64::from(n))
}

/// The claim of a recent claim line (the `nth` back), or `c-{target}`.
fn recent_claim(earlier: &[OpLine], s: &Step) -> bangfu_core::ClaimId {
    earlier
        .iter()
        .rev()
        .filter_map(|l| match &l.op {
            Operation::Claim(c) => Some(c.id.clone()),
            _ => None,
        })
        .nth(usize::from(s.target % 4))
        .unwrap_or_else(|| format!("c-{}", s.target).parse().unwrap())
}

/// A reversal of a recent income, payment or order's payment (the `nth` back), stating the
/// posting's source and amount as the year has them, or one fen more now and then.
fn reversal(s: &Step, earlier: &[OpLine], year: &ProgrammeYear, date: NaiveDate) -> Operation {
    let named = earlier
        .iter()
        .rev()
        .filter_map(|l| match &l.op {
            Operation::Income(i) => Some(i.id.clone()),
            Operation::Pay(p) | Operation::Order(p) => Some(p.id.clone()),
            Operation::Reverse(r) => Some(r.id.clone()),
            _ => None,
        })
        .nth(usize::from(s.target % 5))
        .unwrap_or_else(|| format!("p-{}", s.target).parse().unwrap());
    let (source, mut amount) = year.ledger().posted(&named).map_or(
        (FundSource::CentralFiscal, Money::from_yuan(1).unwrap()),
        |(p, _)| (p.source(), p.amount()),
    );
    if s.amount % 7 == 0 {
        amount = amount.checked_add(Money::from_fen(1).unwrap()).unwrap();
    }
    Operation::Reverse(Box::new(Reversal {
        id: format!("rv-{}", s.id).parse().unwrap(),
        date,
        reverses: named,
        source,
        amount,
        reason: "录入错误".to_owned(),
    }))
}

fn build(
    s: &Step,
    households: &[HouseholdRecord],
    earlier: &[OpLine],
    year: &ProgrammeYear,
) -> OpLine {
    // Mostly forward in time, now and then a little back (refused as out of order).
    let n = u32::try_from(earlier.len()).unwrap();
    let date = day((n * 5 + s.day % 12).min(364));
    let h = &households[s.household];
    let money = Money::from_fen(s.amount).unwrap();
    let op = match s.kind {
        0..=2 => Operation::FileHousehold(Box::new(h.clone())),
        3..=5 => Operation::Income(Box::new(Income::new(
            format!("in-{}", s.target).parse().unwrap(),
            date,
            if s.actor {
                FundSource::CentralFiscal
            } else {
                FundSource::ProvincialFiscal
            },
            IncomeKind::Allocation,
            money,
        ))),
        6..=8 => Operation::Claim(Box::new(ClaimRecord {
            id: format!("c-{}", s.target).parse().unwrap(),
            case: h.case.clone(),
            household: h.id().clone(),
            date,
            detail: if s.actor {
                ClaimDetail::Medical {
                    applicant: h.household.worker.person.id.clone(),
                    out_of_pocket: money,
                }
            } else {
                ClaimDetail::Living {
                    requested: Some(Money::from_fen(s.amount % 200_000 + 1).unwrap()),
                }
            },
        })),
        9..=13 => Operation::Pay(Box::new(Payment {
            id: format!("p-{}", s.id).parse().unwrap(),
            claim: format!("c-{}", s.target).parse().unwrap(),
            date,
            source: if s.actor {
                FundSource::CentralFiscal
            } else {
                FundSource::ProvincialFiscal
            },
            channel: PaymentChannel::UnionMemberCard,
            unit: None,
            entered: Some(date),
        })),
        14 | 15 => Operation::Visit(Box::new(SurveyRecord {
            household: h.id().clone(),
            unit: h.unit().clone(),
            date,
            satisfied: s.actor,
        })),
        16 if s.target == 0 => Operation::Close,
        17..=19 => Operation::Order(Box::new(Payment {
            id: format!("p-{}", s.id).parse().unwrap(),
            claim: recent_claim(earlier, s),
            date,
            source: if s.actor {
                FundSource::CentralFiscal
            } else {
                FundSource::ProvincialFiscal
            },
            channel: PaymentChannel::UnionMemberCard,
            unit: None,
            entered: Some(date),
        })),
        20..=22 => {
            // The payment of a recent order, now and then of none.
            let recent = earlier
                .iter()
                .rev()
                .filter_map(|l| match &l.op {
                    Operation::Order(p) => Some(p.id.clone()),
                    _ => None,
                })
                .nth(usize::from(s.target % 3));
            let payment = recent.unwrap_or_else(|| format!("p-{}", s.target).parse().unwrap());
            let decision = Box::new(bangfu_journal::OrderDecision {
                payment,
                note: None,
            });
            if s.kind == 22 {
                Operation::Reject(decision)
            } else {
                Operation::Approve(decision)
            }
        }
        23..=25 => reversal(s, earlier, year, date),
        // Repeat an earlier line exactly (a client re-sending).
        _ => {
            if let Some(l) = earlier.get(usize::from(s.target) % earlier.len().max(1)) {
                return l.clone();
            }
            Operation::Visit(Box::new(SurveyRecord {
                household: h.id().clone(),
                unit: h.unit().clone(),
                date,
                satisfied: true,
            }))
        }
    };
    OpLine {
        id: OpId::new(format!("op-{}", s.id)).unwrap(),
        actor: AccountId::new(match (s.actor, s.day % 3) {
            (true, 0) => "finance-2",
            (true, _) => "finance-1",
            (false, _) => "center-1",
        })
        .unwrap(),
        date,
        op,
    }
}

fn budget_without_approval() -> &'static str {
    hn::BUDGET_TOML.split("# Seed, 二(二)3").next().unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(48)))]

    #[test]
    fn the_journal_is_the_model(steps in prop::collection::vec(step(), 1..100), cuts in prop::collection::vec(prop_oneof![3 => 1usize..8, 1 => 64usize..110], 1..20)) {
        let households: Vec<HouseholdRecord> = hn::households().unwrap().into_iter().take(5).collect();
        // The households filed and money in first, so that claims and payments can pass.
        let mut lines: Vec<OpLine> = Vec::new();
        for (i, h) in households.iter().enumerate() {
            lines.push(OpLine {
                id: OpId::new(format!("file-{i}")).unwrap(),
                actor: AccountId::new("center-1").unwrap(),
                date: day(0),
                op: Operation::FileHousehold(Box::new(h.clone())),
            });
        }
        lines.push(OpLine {
            id: OpId::new("grant").unwrap(),
            actor: AccountId::new("finance-1").unwrap(),
            date: day(0),
            op: Operation::Income(Box::new(Income::new(
                "grant".parse().unwrap(),
                day(0),
                FundSource::CentralFiscal,
                IncomeKind::Allocation,
                Money::from_yuan(60_000).unwrap(),
            ))),
        });
        let setup = Setup::new(hn::POLICY_TOML, budget_without_approval()).unwrap();
        let mut model = Model {
            year: ProgrammeYear::new(setup.policy().clone(), bangfu_year::input::parse_budget_toml(budget_without_approval()).unwrap()).unwrap(),
            applied: HashMap::new(),
            pending: HashMap::new(),
            reserved: HashMap::new(),
            position: 0,
            closed: false,
        };
        // The model one line at a time, each line built from the model's state so far.
        let mut expected: Vec<Said> = lines.iter().map(|l| model.apply(l)).collect();
        for s in &steps {
            let l = build(s, &households, &lines, &model.year);
            expected.push(model.apply(&l));
            lines.push(l);
        }
        let dir = std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journal-model");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("m-{}-{}.db", std::process::id(), rand_suffix(&steps)));
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        let mut journal = Journal::create(SqliteStorage::create(&path).unwrap(), setup.clone()).unwrap();
        // The store in random batches.
        let mut got = Vec::new();
        let mut rest: &[OpLine] = &lines;
        let mut cut = cuts.iter().cycle();
        while !rest.is_empty() {
            let n = (*cut.next().unwrap()).min(rest.len());
            let (batch, tail) = rest.split_at(n);
            got.extend(journal.apply_batch(batch.iter().cloned().map(Ok).collect()).unwrap());
            rest = tail;
        }
        // The same batches pipelined (the writer thread commits a batch while the rules
        // decide the next): the same outcomes.
        let mut pipelined = Journal::create(MemoryStorage::default(), setup.clone()).unwrap();
        let mut cut = cuts.iter().cycle();
        let mut rest: &[OpLine] = &lines;
        let batches = std::iter::from_fn(|| {
            let n = (*cut.next()?).min(rest.len());
            let (batch, tail) = rest.split_at(n);
            rest = tail;
            (n > 0).then(|| ((), batch.iter().cloned().map(Ok).collect()))
        });
        let mut piped = Vec::new();
        pipelined.apply_batches(batches, |(), o| piped.extend(o)).unwrap();
        prop_assert_eq!(&piped, &got);
        prop_assert_eq!(pipelined.year(), &model.year);
        for ((line, outcome), said_by_model) in lines.iter().zip(&got).zip(expected) {
            prop_assert_eq!(said(outcome), said_by_model, "line {}", line.to_json());
        }
        prop_assert_eq!(journal.year(), &model.year);
        prop_assert_eq!(journal.position(), model.position);
        let v = journal.verify().unwrap();
        prop_assert!(v.differences.is_empty(), "{:?}", v.differences);
        drop(journal);
        let again = Journal::open(SqliteStorage::open(&path).unwrap()).unwrap();
        prop_assert_eq!(again.year(), &model.year);
        drop(again);
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
    }
}

/// A name part that differs between the cases of one run (they run one after another, but
/// a failing case's file stays for a look).
fn rand_suffix(steps: &[Step]) -> u64 {
    steps.iter().fold(steps.len() as u64, |h, s| {
        h.wrapping_mul(31)
            .wrapping_add(u64::from(s.id) + u64::from(s.day) * 7 + s.amount as u64)
    })
}

#[test]
fn journal_error_codes_are_chosen_by_the_type() {
    let id = OpId::new("x").unwrap();
    assert_eq!(
        JournalError::IdConflict { id: id.clone() }.code(),
        "journal.id_conflict"
    );
    assert_eq!(
        JournalError::YearClosed { by: id }.code(),
        "journal.year_closed"
    );
}
