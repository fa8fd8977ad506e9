#!/usr/bin/env bash
# The whole path on a year of COPIES × the Hainan 2018 year (default 1035: 1,017,405 filed
# households, about 10.4 million records), one run in release mode on one thread, with the
# time of each stage and the peak memory (/usr/bin/time -v). Not run by CI: it takes
# minutes and ~15 GB. Figures go to docs/performance.md.
#
#   tools/year-scale.sh [COPIES]
set -euo pipefail
cd "$(dirname "$0")/.."
copies="${1:-1035}"
cargo build --release -q -p bangfu-benches --bin year-scale
echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) copies=$copies"
/usr/bin/time -v target/release/year-scale "$copies" 2>&1 |
    grep -E '^[a-z]+ *:|Maximum resident set size|Elapsed \(wall clock\)|User time|System time'
