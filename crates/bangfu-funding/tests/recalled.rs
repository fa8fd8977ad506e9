//! A ledger that reads postings again from their source (`Ledger::recalling`): a reading that
//! fails, a source that changed, and a posting without its locator stop it with
//! `funding.recall_failed`, and change nothing. (Its agreement with the whole ledger and the
//! model, operation by operation, is in `model.rs`.)
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use bangfu_core::{Coded, Money, NaiveDate, Year};
use bangfu_funding::{
    Budget, FundSource, FundingPolicy, Income, IncomeKind, Ledger, PostOutcome, Posting, Recall,
    Recalled,
};

/// The postings offered, by locator; reads fail while `broken` is set.
#[derive(Debug, Default)]
struct Source {
    postings: Mutex<Vec<Posting>>,
    broken: AtomicBool,
}

impl Source {
    fn offer(&self, p: &Posting) -> u64 {
        let mut all = self.postings.lock().unwrap();
        all.push(p.clone());
        u64::try_from(all.len() - 1).unwrap()
    }
}

impl Recall for Source {
    fn recall(&self, at: u64) -> Option<Posting> {
        if self.broken.load(Ordering::Relaxed) {
            return None;
        }
        self.postings
            .lock()
            .ok()?
            .get(usize::try_from(at).ok()?)
            .cloned()
    }
}

fn policy() -> FundingPolicy {
    toml::from_str(bangfu_funding::EXAMPLE_POLICY).unwrap()
}

fn income(id: &str, yuan: i64) -> Posting {
    let day = NaiveDate::from_ymd_opt(2018, 2, 1).unwrap();
    Income::new(
        id.parse().unwrap(),
        day,
        FundSource::CentralFiscal,
        IncomeKind::Allocation,
        Money::from_yuan(yuan).unwrap(),
    )
    .into()
}

fn ledger() -> (Arc<Source>, Ledger<Recalled>) {
    let source = Arc::new(Source::default());
    let ledger = Ledger::recalling(Year::new(2018).unwrap(), policy(), source.clone());
    (source, ledger)
}

fn post(source: &Source, ledger: &mut Ledger<Recalled>, p: Posting) -> Result<PostOutcome, String> {
    let at = source.offer(&p);
    ledger.post_from(p, at).map_err(|e| e.code().to_owned())
}

#[test]
fn a_repeat_is_read_again_and_compared_whole() {
    let (source, mut ledger) = ledger();
    assert!(matches!(
        post(&source, &mut ledger, income("in-1", 100)),
        Ok(PostOutcome::Posted(_))
    ));
    assert!(matches!(
        post(&source, &mut ledger, income("in-1", 100)),
        Ok(PostOutcome::AlreadyPosted(_))
    ));
    assert_eq!(
        post(&source, &mut ledger, income("in-1", 101))
            .err()
            .as_deref(),
        Some("funding.id_conflict")
    );
    assert_eq!(ledger.len(), 1);
}

#[test]
fn a_failed_reading_stops_the_ledger_and_changes_nothing() {
    let (source, mut ledger) = ledger();
    post(&source, &mut ledger, income("in-1", 100)).unwrap();
    let balance = ledger.balance(FundSource::CentralFiscal);
    source.broken.store(true, Ordering::Relaxed);
    // A new id needs no reading (its hash is new); the repeat does, and fails.
    assert_eq!(
        post(&source, &mut ledger, income("in-1", 100))
            .err()
            .as_deref(),
        Some("funding.recall_failed")
    );
    source.broken.store(false, Ordering::Relaxed);
    // From then on the ledger decides nothing, and its statement is refused.
    assert_eq!(
        post(&source, &mut ledger, income("in-2", 5))
            .err()
            .as_deref(),
        Some("funding.recall_failed")
    );
    assert_eq!(ledger.balance(FundSource::CentralFiscal), balance);
    assert_eq!(ledger.len(), 1);
    let budget = Budget::new(Year::new(2018).unwrap(), []).unwrap();
    assert_eq!(
        ledger.statement(&budget).map_err(|e| e.code()).err(),
        Some("funding.recall_failed")
    );
}

#[test]
fn a_source_that_gives_back_another_posting_is_a_failed_reading() {
    let (source, mut ledger) = ledger();
    post(&source, &mut ledger, income("in-1", 100)).unwrap();
    // The source changed under the ledger: locator 0 now holds another posting.
    source.postings.lock().unwrap()[0] = income("in-9", 100);
    assert_eq!(
        post(&source, &mut ledger, income("in-1", 100))
            .err()
            .as_deref(),
        Some("funding.recall_failed")
    );
}

#[test]
fn a_posting_without_its_locator_is_refused() {
    let (source, mut ledger) = ledger();
    assert_eq!(
        ledger.post(income("in-1", 100)).map_err(|e| e.code()).err(),
        Some("funding.recall_failed")
    );
    assert!(ledger.is_empty());
    // Checking needs no locator; the refusal decided nothing, so the ledger goes on.
    assert!(ledger.check(&income("in-1", 100)).is_ok());
    assert!(matches!(
        post(&source, &mut ledger, income("in-1", 100)),
        Ok(PostOutcome::Posted(_))
    ));
}
