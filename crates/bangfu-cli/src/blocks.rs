//! Input in blocks of whole lines, each turned into its output on one of a few threads, the
//! outputs written in the order of the input (`bangfu eval --threads N`).
//!
//! A block is what one read of the input gives (up to [`BLOCK`] bytes), cut after its last
//! newline (the rest starts the next block): from a file, about a thousand requests; from a
//! program that writes one request and waits for the answer, that one request, decided and
//! written at once. With one thread the blocks are turned and written in turn; with more,
//! each thread takes the next block of the input (numbered as taken), turns it, and writes
//! its output when every block before it is written, so the output is byte for byte that of
//! one thread. A thread keeps its output buffer from block to block: memory stays a block
//! and its output a thread whatever the input's size.

use std::io::{self, Read, Write};
use std::sync::{Condvar, Mutex, PoisonError};

/// The most bytes one read asks for.
pub(crate) const BLOCK: usize = 256 * 1024;

/// The input read in blocks of whole lines.
struct Blocks<R> {
    input: R,
    /// Bytes read after the last newline: the start of the next block.
    rest: Vec<u8>,
    done: bool,
}

impl<R: Read> Blocks<R> {
    fn new(input: R) -> Self {
        Blocks {
            input,
            rest: Vec::new(),
            done: false,
        }
    }

    /// The next block: whole lines, the input's last line perhaps without its newline;
    /// `None` at the end of the input.
    fn next_block(&mut self) -> io::Result<Option<Vec<u8>>> {
        loop {
            if self.done {
                return Ok((!self.rest.is_empty()).then(|| std::mem::take(&mut self.rest)));
            }
            let start = self.rest.len();
            self.rest.resize(start.saturating_add(BLOCK), 0);
            let read = match self
                .input
                .read(self.rest.get_mut(start..).unwrap_or_default())
            {
                Ok(n) => n,
                Err(e) => {
                    self.rest.truncate(start);
                    if e.kind() == io::ErrorKind::Interrupted {
                        continue;
                    }
                    return Err(e);
                }
            };
            self.rest.truncate(start.saturating_add(read));
            if read == 0 {
                self.done = true;
                continue;
            }
            let newest = self.rest.get(start..).unwrap_or_default();
            if let Some(last) = memchr::memrchr(b'\n', newest) {
                let cut = start.saturating_add(last).saturating_add(1);
                let next = self.rest.split_off(cut);
                return Ok(Some(std::mem::replace(&mut self.rest, next)));
            }
        }
    }
}

/// The number of lines in a block (its newlines, and a last line without one).
fn lines_in(block: &[u8]) -> u64 {
    let newlines = memchr::memchr_iter(b'\n', block).count();
    let unterminated = usize::from(block.last().is_some_and(|b| *b != b'\n'));
    u64::try_from(newlines.saturating_add(unterminated)).unwrap_or(u64::MAX)
}

/// What went wrong: reading the input or writing the output.
#[derive(Debug)]
pub(crate) enum Stopped {
    /// The input could not be read (the lines before were turned and written).
    Read(io::Error),
    /// The output could not be written.
    Write(io::Error),
}

/// Turns every block of `input` into its output with `turn(first_line, block, out)` (which
/// appends to `out`) on `threads` threads, and writes the outputs to `output` in the order
/// of the input. Returns the bytes written.
///
/// With more than one thread, each thread reads the next block (one at a time, so blocks
/// are numbered in the input's order), turns it, waits for the blocks before it to be
/// written and writes its own: no thread only reads or only writes, and no block is handed
/// from one thread to another.
pub(crate) fn run<T>(
    input: impl Read + Send,
    output: &mut (dyn Write + Send),
    threads: usize,
    turn: T,
) -> Result<usize, Stopped>
where
    T: Fn(u64, &[u8], &mut Vec<u8>) + Sync,
{
    let mut blocks = Blocks::new(input);
    if threads <= 1 {
        return one_thread(&mut blocks, output, &turn);
    }
    let shared = Shared {
        reading: Mutex::new(Reading {
            blocks,
            line: 1,
            next: 0,
            failed: None,
        }),
        writing: Mutex::new(Writing {
            output,
            next: 0,
            written: 0,
            failed: None,
            stopped: false,
        }),
        turn_came: Condvar::new(),
    };
    std::thread::scope(|s| {
        for _ in 1..threads {
            s.spawn(|| shared.work(&turn));
        }
        shared.work(&turn);
    });
    let reading = shared
        .reading
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    let writing = shared
        .writing
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner);
    match (writing.failed, reading.failed) {
        (Some(e), _) => Err(Stopped::Write(e)),
        (None, Some(e)) => Err(Stopped::Read(e)),
        (None, None) if writing.stopped => Err(Stopped::Write(io::Error::other(
            "a thread deciding the input stopped",
        ))),
        (None, None) => Ok(writing.written),
    }
}

/// The input's side of [`run`] on several threads: the next block and its number.
struct Reading<R> {
    blocks: Blocks<R>,
    /// The number of the next block's first line.
    line: u64,
    /// The number of the next block (from 0), its place in the output.
    next: u64,
    failed: Option<io::Error>,
}

/// The output's side of [`run`] on several threads.
struct Writing<'w> {
    output: &'w mut (dyn Write + Send),
    /// The number of the block to write next.
    next: u64,
    written: usize,
    failed: Option<io::Error>,
    /// A block will never be written (its thread stopped, or the output failed): every
    /// thread stops.
    stopped: bool,
}

/// What the threads of [`run`] share.
struct Shared<'w, R> {
    reading: Mutex<Reading<R>>,
    writing: Mutex<Writing<'w>>,
    /// Notified when a block was written (or the run stopped).
    turn_came: Condvar,
}

/// A block taken from the input: its number, its first line, its bytes.
type Taken = (u64, u64, Vec<u8>);

impl<R: Read> Shared<'_, R> {
    /// One thread's work: take a block, turn it, write it in its turn; until the input
    /// ends or the run stops.
    fn work(&self, turn: &impl Fn(u64, &[u8], &mut Vec<u8>)) {
        let mut out = Vec::new();
        while let Some((number, first, block)) = self.take() {
            // Until written, a block that will never be (this thread panicking in `turn`)
            // stops the others instead of leaving them waiting for it.
            let pending = Pending(self);
            out.clear();
            turn(first, &block, &mut out);
            std::mem::forget(pending);
            if !self.write(number, &out) {
                return;
            }
        }
    }

    /// The next block, numbered; `None` at the end of the input, after a read error (kept
    /// for [`run`]'s answer) or when the run stopped.
    fn take(&self) -> Option<Taken> {
        let mut r = self.reading.lock().unwrap_or_else(PoisonError::into_inner);
        if r.failed.is_some() || self.stopped() {
            return None;
        }
        match r.blocks.next_block() {
            Ok(Some(block)) => {
                let taken = (r.next, r.line, block);
                r.next = r.next.saturating_add(1);
                r.line = r.line.saturating_add(lines_in(&taken.2));
                Some(taken)
            }
            Ok(None) => None,
            Err(e) => {
                r.failed = Some(e);
                None
            }
        }
    }

    fn stopped(&self) -> bool {
        self.writing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stopped
    }

    /// Writes block `number` once the blocks before it are written: whether the run goes on.
    fn write(&self, number: u64, out: &[u8]) -> bool {
        let mut w = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        while w.next != number && !w.stopped {
            w = self
                .turn_came
                .wait(w)
                .unwrap_or_else(PoisonError::into_inner);
        }
        if w.stopped {
            return false;
        }
        match w.output.write_all(out) {
            Ok(()) => {
                w.written = w.written.saturating_add(out.len());
                w.next = w.next.saturating_add(1);
            }
            Err(e) => {
                w.failed = Some(e);
                w.stopped = true;
            }
        }
        let going = !w.stopped;
        drop(w);
        self.turn_came.notify_all();
        going
    }

    /// Stops the run: no more blocks are taken or written.
    fn stop(&self) {
        self.writing
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stopped = true;
        self.turn_came.notify_all();
    }
}

/// A block taken and not yet turned: dropped only when its thread unwinds, it stops the run.
struct Pending<'s, 'w, R: Read>(&'s Shared<'w, R>);

impl<R: Read> Drop for Pending<'_, '_, R> {
    fn drop(&mut self) {
        self.0.stop();
    }
}

/// [`run`] on this thread: each block turned and written in turn, into one buffer.
fn one_thread<R: Read>(
    blocks: &mut Blocks<R>,
    output: &mut dyn Write,
    turn: &impl Fn(u64, &[u8], &mut Vec<u8>),
) -> Result<usize, Stopped> {
    let mut line = 1u64;
    let mut out = Vec::new();
    let mut written = 0usize;
    while let Some(block) = blocks.next_block().map_err(Stopped::Read)? {
        out.clear();
        turn(line, &block, &mut out);
        output.write_all(&out).map_err(Stopped::Write)?;
        written = written.saturating_add(out.len());
        line = line.saturating_add(lines_in(&block));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing)]
    use super::*;

    /// A reader that gives at most `step` bytes a read, as a pipe does.
    struct Trickle<'a> {
        data: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.step.min(buf.len()).min(self.data.len());
            buf[..n].copy_from_slice(&self.data[..n]);
            self.data = &self.data[n..];
            Ok(n)
        }
    }

    /// Each line as `number:text`, blank lines counted but not written.
    fn echo(first: u64, block: &[u8], out: &mut Vec<u8>) {
        for (i, l) in block.split_inclusive(|b| *b == b'\n').enumerate() {
            let l = l.strip_suffix(b"\n").unwrap_or(l);
            if !l.is_empty() {
                out.extend_from_slice(format!("{}:", first + i as u64).as_bytes());
                out.extend_from_slice(l);
                out.push(b'\n');
            }
        }
    }

    #[test]
    fn lines_keep_their_numbers_and_order_on_any_threads_and_reads() {
        let mut input = Vec::new();
        for i in 0..20_000 {
            match i % 7 {
                0 => input.push(b'\n'),
                3 => input.extend_from_slice(&[b'x'; 300]),
                _ => input.extend_from_slice(format!("line {i}").as_bytes()),
            }
            input.push(b'\n');
        }
        input.extend_from_slice(b"last without newline");
        let mut expected = Vec::new();
        echo(1, &input, &mut expected);
        for threads in [1, 2, 3] {
            for step in [1, 7, 4096, usize::MAX] {
                if step == 1 && threads > 1 {
                    continue;
                }
                let mut out = Vec::new();
                let reader = Trickle { data: &input, step };
                let written = run(reader, &mut out, threads, echo).unwrap();
                assert_eq!(written, out.len());
                assert!(out == expected, "threads {threads}, reads of {step}");
            }
        }
    }

    #[test]
    fn a_line_longer_than_a_block_is_one_line() {
        let mut input = vec![b'a'; BLOCK * 2 + 5];
        input.extend_from_slice(b"\nb\n");
        let mut out = Vec::new();
        run(&input[..], &mut out, 2, echo).unwrap();
        assert_eq!(out.len(), input.len() + 4);
        assert!(out.ends_with(b"\n2:b\n"));
    }

    #[test]
    fn an_empty_input_writes_nothing() {
        let mut out = Vec::new();
        assert_eq!(run(&b""[..], &mut out, 2, echo).unwrap(), 0);
        assert!(out.is_empty());
    }

    /// An output that takes `room` bytes, then fails.
    struct Full {
        room: usize,
        got: Vec<u8>,
    }

    impl Write for Full {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if buf.len() > self.room {
                return Err(io::Error::other("full"));
            }
            self.room -= buf.len();
            self.got.extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    /// An input that gives what its trickle gives, then fails.
    struct Broken<'a>(Trickle<'a>);

    impl Read for Broken<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.0.data.is_empty() {
                return Err(io::Error::other("broken"));
            }
            self.0.read(buf)
        }
    }

    fn numbered(lines: usize) -> Vec<u8> {
        (0..lines)
            .flat_map(|i| format!("line {i}\n").into_bytes())
            .collect()
    }

    #[test]
    fn a_failed_write_or_read_stops_every_thread_after_the_blocks_before_it() {
        let input = numbered(5_000);
        let mut expected = Vec::new();
        echo(1, &input, &mut expected);
        let trickle = || Trickle {
            data: &input,
            step: 1_000,
        };
        for threads in [1, 2, 3] {
            let mut full = Full {
                room: 10_000,
                got: Vec::new(),
            };
            let stopped = run(trickle(), &mut full, threads, echo);
            assert!(matches!(stopped, Err(Stopped::Write(_))), "{threads}");
            // Whole blocks written, in order, up to the one that did not fit.
            assert!(!full.got.is_empty() && expected.starts_with(&full.got));

            // A read error is answered once every block read before it is written.
            let mut out = Vec::new();
            let stopped = run(Broken(trickle()), &mut out, threads, echo);
            assert!(matches!(stopped, Err(Stopped::Read(_))), "{threads}");
            assert_eq!(out, expected, "threads {threads}");
        }
    }

    #[test]
    fn a_thread_that_panics_stops_the_others_instead_of_leaving_them_waiting() {
        let input = numbered(5_000);
        let run_it = std::panic::catch_unwind(|| {
            let mut out = Vec::new();
            let reader = Trickle {
                data: &input,
                step: 1_000,
            };
            run(
                reader,
                &mut out,
                2,
                |first, block: &[u8], out: &mut Vec<u8>| {
                    assert!(first < 300, "a turn that fails");
                    echo(first, block, out);
                },
            )
        });
        assert!(run_it.is_err());
    }
}
