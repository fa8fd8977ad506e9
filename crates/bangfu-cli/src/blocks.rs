//! Input in blocks of whole lines, each turned into its output on one of a few threads, the
//! outputs written in the order of the input (`bangfu eval --threads N`).
//!
//! A block is what one read of the input gives (up to [`BLOCK`] bytes), cut after its last
//! newline (the rest starts the next block): from a file, about a thousand requests; from a
//! program that writes one request and waits for the answer, that one request, decided and
//! written at once. With one thread the blocks are turned and written in turn; with more, a
//! reader thread hands block `i` to worker `i mod N` and this thread writes worker `i mod N`'s
//! output `i`, so the output is byte for byte that of one thread. The queues are short (two
//! blocks a worker each way) and written output buffers go back to their worker to be
//! filled again: memory stays a few blocks a thread whatever the input's size.

use std::io::{self, Read, Write};
use std::sync::mpsc::{Receiver, Sender, SyncSender, channel, sync_channel};

/// The most bytes one read asks for.
pub(crate) const BLOCK: usize = 256 * 1024;

/// Blocks in flight each way between the reader, a worker and the writer.
const QUEUE: usize = 2;

/// A worker's decided blocks, and the way back for its written buffers.
type Outputs = (Receiver<Vec<u8>>, Sender<Vec<u8>>);

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
pub(crate) fn run<T>(
    input: impl Read + Send,
    output: &mut dyn Write,
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
    std::thread::scope(|s| {
        let mut to_workers: Vec<SyncSender<(u64, Vec<u8>)>> = Vec::new();
        let mut from_workers: Vec<Outputs> = Vec::new();
        for _ in 0..threads {
            let (to, inbox) = sync_channel::<(u64, Vec<u8>)>(QUEUE);
            let (outbox, from) = sync_channel::<Vec<u8>>(QUEUE);
            // Output buffers come back once written, to be filled again (no fresh pages).
            let (back, spares) = channel::<Vec<u8>>();
            let turn = &turn;
            s.spawn(move || {
                for (first, block) in inbox {
                    let mut out = spares.try_recv().unwrap_or_default();
                    out.clear();
                    turn(first, &block, &mut out);
                    if outbox.send(out).is_err() {
                        return;
                    }
                }
            });
            to_workers.push(to);
            from_workers.push((from, back));
        }
        let reader = s.spawn(move || -> io::Result<()> {
            let mut line = 1u64;
            for to in to_workers.iter().cycle() {
                let Some(block) = blocks.next_block()? else {
                    return Ok(());
                };
                let lines = lines_in(&block);
                // A worker gone means the writer stopped: nothing more to read.
                if to.send((line, block)).is_err() {
                    return Ok(());
                }
                line = line.saturating_add(lines);
            }
            Ok(())
        });
        let mut written = 0usize;
        let mut failed = None;
        'write: for (from, back) in from_workers.iter().cycle() {
            let Ok(out) = from.recv() else {
                break 'write;
            };
            if let Err(e) = output.write_all(&out) {
                failed = Some(e);
                break 'write;
            }
            written = written.saturating_add(out.len());
            // A worker that has stopped needs no buffer.
            let _ = back.send(out);
        }
        // Workers and the reader stop when their next send finds no one.
        drop(from_workers);
        let read = reader
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the input's reader stopped")));
        match (failed, read) {
            (Some(e), _) => Err(Stopped::Write(e)),
            (None, Err(e)) => Err(Stopped::Read(e)),
            (None, Ok(())) => Ok(written),
        }
    })
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
}
