//! `openfisca-peer [--threads N] [--read-ahead] FILE.csv`: reads the OpenFisca peer's CSV, evaluates every household with
//! bangfu (the peer policy file, the eligibility screen and the resolved aid rules) and
//! prints `checksum=<exact yuan>` — what `shared/peers/openfisca/compare.sh` runs.
//!
//! The file is streamed through 1 MiB buffers, one household at a time, so memory stays
//! flat whatever the population. With `--threads N` the file is cut into N pieces at household
//! boundaries, each streamed and evaluated on its own thread, and the exact totals added.
//! Timings and counts go to stderr.

use std::io::Write;
use std::time::Instant;

use bangfu_benches::peer::{self, Rules, Totals};
use bangfu_benches::{Error, ReadAhead};

fn main() -> Result<(), Error> {
    let t0 = Instant::now();
    // `openfisca-peer [--threads N] [--read-ahead] FILE.csv`
    let mut read_ahead = false;
    let mut threads = 1u64;
    let mut path = None;
    let mut args = std::env::args_os().skip(1);
    while let Some(a) = args.next() {
        if a == "--read-ahead" {
            read_ahead = true;
        } else if a == "--threads" {
            let n = args.next().ok_or("--threads needs a number")?;
            threads = n.to_str().ok_or("--threads N")?.parse()?;
        } else {
            path = Some(std::path::PathBuf::from(a));
        }
    }
    let path = path.ok_or("usage: openfisca-peer [--threads N] [--read-ahead] FILE.csv")?;
    let policy = peer::policy()?;
    let rules = Rules::new(&policy)?;
    let t1 = Instant::now();
    let (rows, totals) = if threads > 1 {
        let cuts = peer::household_cuts(&path, threads)?;
        let parts: Vec<Result<(u64, Totals), Error>> = std::thread::scope(|s| {
            let handles: Vec<_> = cuts
                .windows(2)
                .map(|w| {
                    let (start, end) = match w {
                        [a, b] => (*a, *b),
                        _ => (0, 0),
                    };
                    let (rules, path) = (&rules, &path);
                    s.spawn(move || -> Result<(u64, Totals), Error> {
                        use std::io::{Read, Seek, SeekFrom};
                        let mut file = std::fs::File::open(path)?;
                        file.seek(SeekFrom::Start(start))?;
                        let mut totals = Totals::default();
                        let rows = peer::for_each_household(file.take(end - start), |h| {
                            rules.add(h, &mut totals)
                        })?;
                        Ok((rows, totals))
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|_| Err("a thread panicked".into())))
                .collect()
        });
        let mut rows = 0;
        let mut totals = Totals::default();
        for p in parts {
            let (r, t) = p?;
            rows += r;
            totals.merge(&t)?;
        }
        (rows, totals)
    } else {
        // One thread. With --read-ahead a second thread reads 1 MiB chunks ahead (at most 4
        // in flight) while this one parses and evaluates; it gained little here, so it is off.
        let file = std::fs::File::open(&path)?;
        let mut totals = Totals::default();
        let rows = if read_ahead {
            let file = ReadAhead::new(file, 1 << 20, 4);
            peer::for_each_household(file, |h| rules.add(h, &mut totals))?
        } else {
            peer::for_each_household(file, |h| rules.add(h, &mut totals))?
        };
        (rows, totals)
    };
    let t2 = Instant::now();
    let checksum = totals.checksum()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "checksum={checksum}")?;
    eprintln!(
        "persons={rows} households={} eligible={} medical={} living={} policy_s={:.4} read_eval_s={:.4}",
        totals.households,
        totals.eligible,
        totals.medical,
        totals.living,
        (t1 - t0).as_secs_f64(),
        (t2 - t1).as_secs_f64(),
    );
    Ok(())
}
