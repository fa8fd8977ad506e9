//! `openfisca-peer [--read-ahead] FILE.csv`: reads the OpenFisca peer's CSV, evaluates every household with
//! bangfu (the peer policy file, the eligibility screen and the resolved aid rules) and
//! prints `checksum=<exact yuan>` — what `shared/peers/openfisca/compare.sh` runs.
//!
//! The file is streamed through 1 MiB buffers, one household at a time, so memory stays
//! flat whatever the population. Timings and counts go to stderr.

use std::io::Write;
use std::time::Instant;

use bangfu_benches::peer::{self, Rules, Totals};
use bangfu_benches::{Error, ReadAhead};

fn main() -> Result<(), Error> {
    let t0 = Instant::now();
    // `openfisca-peer [--read-ahead] FILE.csv`
    let mut read_ahead = false;
    let mut path = None;
    for a in std::env::args_os().skip(1) {
        if a == "--read-ahead" {
            read_ahead = true;
        } else {
            path = Some(a);
        }
    }
    let path = path.ok_or("usage: openfisca-peer [--read-ahead] FILE.csv")?;
    let policy = peer::policy()?;
    let rules = Rules::new(&policy)?;
    let t1 = Instant::now();
    // One thread by default. With --read-ahead a second thread reads 1 MiB chunks ahead (at
    // most 4 in flight) while this one parses and evaluates; on this machine it gained
    // nothing (the parse is the bound), so it is off.
    let file = std::fs::File::open(&path)?;
    let mut totals = Totals::default();
    let rows = if read_ahead {
        let file = ReadAhead::new(file, 1 << 20, 4);
        peer::for_each_household(file, |h| rules.add(h, &mut totals))?
    } else {
        peer::for_each_household(file, |h| rules.add(h, &mut totals))?
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
