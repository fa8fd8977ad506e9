//! Where a batch's writes go (流水线): straight to the store on the rules' thread, or to a
//! writer thread that holds the store while the rules decide the next lines and, across
//! batches, the next batch (the commit and its fsync of batch *n* beside the rules of batch
//! *n + 1*).

use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{Receiver, Sender, SyncSender};

use crate::JournalError;
use crate::op::{LineError, OpId, OpLine, Operation};
use crate::storage::{Entry, Refusal, Rows, Storage};

/// From this many lines a lone batch's writes go to a writer thread while the rules decide
/// the next lines (the store's inserts and the rules on both cores); smaller lone batches
/// write directly (a thread costs more than it saves). Batches applied one after another
/// ([`crate::Journal::apply_batches`]) always go through the writer thread.
pub(crate) const PIPELINE_FROM: usize = 64;

/// Writes waiting for the writer thread at most.
const PIPELINE_DEPTH: usize = 4096;

/// Writes handed to the writer thread at once: one hand-over (and at most one wake-up of the
/// writer) per chunk rather than per line, which cost a fifth of the rules' thread.
const PIPELINE_CHUNK: usize = 32;

/// Batches decided and not yet committed at most when the rules start the next one: the
/// writer writes and commits them while the rules decide the next batch.
pub(crate) const BATCHES_IN_FLIGHT: usize = 2;

/// A write of a batch: an entry with its rows, or a refusal.
pub(crate) enum Write {
    Append(Entry, Rows),
    Refusal(Refusal),
}

/// What the writer thread is told, in order.
pub(crate) enum ToWriter {
    /// The next batch's transaction: the store's last position must still be `from` (what
    /// the rules decided it on), else another process wrote between two batches.
    Begin { from: u64 },
    /// Writes of the open transaction.
    Writes(Vec<Write>),
    /// The batch is whole: commit it and say so.
    Commit,
    /// The entries of these ids, as the store holds them after the writes handed over
    /// before (the lines that come again).
    Find(Vec<OpId>, SyncSender<HashMap<OpId, Entry>>),
}

/// Why the writer thread stopped before the end.
pub(crate) enum Stop {
    /// Another process appended between two batches: the batches not committed were
    /// decided on a year that is no longer the store's.
    Conflict,
    /// The storage's error.
    Failed(JournalError),
}

impl From<JournalError> for Stop {
    fn from(e: JournalError) -> Stop {
        Stop::Failed(e)
    }
}

/// The writer thread: carries out what it is told on `storage`, and tells `committed` of
/// each commit. An error stops it with the transaction open (the caller rolls it back).
pub(crate) fn write_loop<S: Storage>(
    storage: &mut S,
    rx: Receiver<ToWriter>,
    committed: Sender<()>,
) -> Result<(), Stop> {
    for message in rx {
        match message {
            ToWriter::Begin { from } => {
                storage.begin()?;
                if storage.head()? != from {
                    return Err(Stop::Conflict);
                }
            }
            ToWriter::Writes(chunk) => {
                // The entries between two refusals go to the store at once.
                let mut entries = Vec::with_capacity(chunk.len());
                for write in chunk {
                    match write {
                        Write::Append(entry, rows) => entries.push((entry, rows)),
                        Write::Refusal(refusal) => {
                            storage.append_all(std::mem::take(&mut entries))?;
                            storage.log_refusal(&refusal)?;
                        }
                    }
                }
                storage.append_all(entries)?;
            }
            ToWriter::Commit => {
                storage.commit()?;
                // The rules' thread may have stopped listening: nothing to tell then.
                let _ = committed.send(());
            }
            ToWriter::Find(ids, reply) => {
                let mut found = HashMap::with_capacity(ids.len());
                for id in ids {
                    if let Some(entry) = storage.find(&id)? {
                        found.insert(id, entry);
                    }
                }
                let _ = reply.send(found);
            }
        }
    }
    Ok(())
}

/// A line of a batch in flight, kept to be decided again when the batch cannot be
/// committed as decided ([`Stop::Conflict`]).
pub(crate) enum Kept {
    /// The line's envelope and its operation's canonical JSON (the body of its entry, read
    /// back as the journal's replay reads it).
    Body {
        id: OpId,
        actor: crate::op::AccountId,
        date: bangfu_core::NaiveDate,
        kind: crate::op::OpKind,
        body: String,
    },
    /// A copy of the line (refused before the rules, a duplicate, a line that did not read).
    Whole(Result<OpLine, LineError>),
}

impl Kept {
    /// The line again.
    pub(crate) fn into_line(self) -> Result<OpLine, LineError> {
        match self {
            Kept::Body {
                id,
                actor,
                date,
                kind,
                body,
            } => match Operation::from_body(kind, Some(&body)) {
                Ok(op) => Ok(OpLine {
                    id,
                    actor,
                    date,
                    op,
                }),
                Err(e) => Err(LineError {
                    id: Some(id),
                    error: e.into(),
                }),
            },
            Kept::Whole(line) => line,
        }
    }
}

/// Where a batch's writes go, and where an id that comes again is looked up.
pub(crate) trait Sink {
    /// The body of the entry `line` will make if the rules accept it, its operation's
    /// canonical JSON (taken before they do: the operation moves into the year).
    fn body(&mut self, line: &OpLine) -> String;
    /// A line that does not go to [`Sink::body`] (refused before the rules, a duplicate),
    /// for a sink that keeps its lines.
    fn keep_line(&mut self, line: &OpLine);
    /// A line that did not read, for a sink that keeps its lines.
    fn keep_unread(&mut self, error: &LineError);
    /// Appends `entry` with its rows.
    fn append(&mut self, entry: Entry, rows: Rows) -> Result<(), JournalError>;
    fn refusal(&mut self, refusal: Refusal) -> Result<(), JournalError>;
    fn find(&mut self, id: &OpId) -> Result<Option<Entry>, JournalError>;
}

/// Straight to the store.
pub(crate) struct Direct<'s, S: Storage>(pub(crate) &'s mut S);

impl<S: Storage> Sink for Direct<'_, S> {
    fn body(&mut self, line: &OpLine) -> String {
        line.op.body_json()
    }
    fn keep_line(&mut self, _: &OpLine) {}
    fn keep_unread(&mut self, _: &LineError) {}
    fn append(&mut self, entry: Entry, rows: Rows) -> Result<(), JournalError> {
        self.0.append(&entry, rows)
    }
    fn refusal(&mut self, refusal: Refusal) -> Result<(), JournalError> {
        self.0.log_refusal(&refusal)
    }
    fn find(&mut self, id: &OpId) -> Result<Option<Entry>, JournalError> {
        self.0.find(id)
    }
}

/// To the writer thread; the entries of the ids that come again (from earlier batches, or
/// twice in this one) are kept here. Once the writer has stopped, writes are dropped: the
/// batch is not committed, and the writer's own result says why.
pub(crate) struct Piped {
    tx: SyncSender<ToWriter>,
    /// The writes not yet handed over, at most [`PIPELINE_CHUNK`].
    chunk: Vec<Write>,
    known: HashMap<OpId, Entry>,
    repeated: HashSet<OpId>,
    /// The batch's lines, when they are kept for a retry.
    kept: Option<Vec<Kept>>,
    stopped: bool,
}

impl Piped {
    /// A sink to the writer thread behind `tx`; `keep`: each line is kept until its batch is
    /// committed.
    pub(crate) fn new(tx: SyncSender<ToWriter>, keep: bool) -> Piped {
        Piped {
            tx,
            chunk: Vec::with_capacity(PIPELINE_CHUNK),
            known: HashMap::new(),
            repeated: HashSet::new(),
            kept: keep.then(Vec::new),
            stopped: false,
        }
    }

    /// The channel to a writer thread and its end, its depth bounded.
    pub(crate) fn channel() -> (SyncSender<ToWriter>, Receiver<ToWriter>) {
        std::sync::mpsc::sync_channel(PIPELINE_DEPTH / PIPELINE_CHUNK)
    }

    /// Whether the writer thread has stopped (an error or a conflict, which it returns).
    pub(crate) fn stopped(&self) -> bool {
        self.stopped
    }

    /// Tells the writer thread, the waiting writes first.
    pub(crate) fn tell(&mut self, message: ToWriter) {
        self.flush();
        self.send(message);
    }

    fn send(&mut self, message: ToWriter) {
        // A closed channel: the writer stopped, on an error it returns.
        if !self.stopped && self.tx.send(message).is_err() {
            self.stopped = true;
        }
    }

    /// Hands the waiting writes to the writer thread.
    pub(crate) fn flush(&mut self) {
        if self.chunk.is_empty() {
            return;
        }
        let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(PIPELINE_CHUNK));
        self.send(ToWriter::Writes(chunk));
    }

    fn push(&mut self, write: Write) {
        if self.stopped {
            return;
        }
        self.chunk.push(write);
        if self.chunk.len() >= PIPELINE_CHUNK {
            self.flush();
        }
    }

    /// Before a batch: the ids of the journal (`ids`) that come again, their entries asked
    /// of the writer thread (it answers after the writes handed over before: earlier
    /// batches' entries, committed or not, are there), and the ids that come twice in the
    /// batch (their first entry is kept as it is written).
    pub(crate) fn prepare(&mut self, ids: &HashSet<OpId>, lines: &[Result<OpLine, LineError>]) {
        self.known.clear();
        self.repeated.clear();
        let mut seen = HashSet::with_capacity(lines.len());
        let mut again = Vec::new();
        for line in lines.iter().flatten() {
            if !seen.insert(&line.id) {
                self.repeated.insert(line.id.clone());
            } else if ids.contains(&line.id) {
                again.push(line.id.clone());
            }
        }
        if again.is_empty() {
            return;
        }
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        self.tell(ToWriter::Find(again, reply));
        // No answer: the writer stopped; the batch is not committed.
        if let Ok(found) = answer.recv() {
            self.known = found;
        } else {
            self.stopped = true;
        }
    }

    /// The lines kept since the last call (a batch's).
    pub(crate) fn take_kept(&mut self) -> Vec<Kept> {
        self.kept.as_mut().map(std::mem::take).unwrap_or_default()
    }
}

impl Sink for Piped {
    fn body(&mut self, line: &OpLine) -> String {
        let body = line.op.body_json();
        if let Some(kept) = &mut self.kept {
            kept.push(Kept::Body {
                id: line.id.clone(),
                actor: line.actor.clone(),
                date: line.date,
                kind: line.op.kind(),
                body: body.clone(),
            });
        }
        body
    }
    fn keep_line(&mut self, line: &OpLine) {
        if let Some(kept) = &mut self.kept {
            kept.push(Kept::Whole(Ok(line.clone())));
        }
    }
    fn keep_unread(&mut self, error: &LineError) {
        if let Some(kept) = &mut self.kept {
            kept.push(Kept::Whole(Err(error.clone())));
        }
    }
    fn append(&mut self, entry: Entry, rows: Rows) -> Result<(), JournalError> {
        // An id that comes again in the batch is answered from its entry, kept here.
        if self.repeated.contains(&entry.id) {
            self.known.insert(entry.id.clone(), entry.clone());
        }
        self.push(Write::Append(entry, rows));
        Ok(())
    }
    fn refusal(&mut self, refusal: Refusal) -> Result<(), JournalError> {
        self.push(Write::Refusal(refusal));
        Ok(())
    }
    fn find(&mut self, id: &OpId) -> Result<Option<Entry>, JournalError> {
        Ok(self.known.get(id).cloned())
    }
}
