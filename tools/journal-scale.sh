#!/usr/bin/env bash
# A store of POSTINGS postings (default 10,000,000), written and read through the command, in
# release mode: income lines (allocations to the four sources of the Hainan 2018 policy, spread
# over the year) streamed into `bangfu apply --batch 10000`, then
# `bangfu statement STORE` (the store opened: its journal replayed), `bangfu verify STORE`,
# each with its time and peak memory (/usr/bin/time -v). Not run by CI: minutes, gigabytes.
# Figures go to docs/performance.md.
#
#   tools/journal-scale.sh [POSTINGS] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000000}"
dir="${2:-${TMPDIR:-/tmp}/bangfu-journal-scale}"
cargo build --release -q -p bangfu-cli
bangfu="$PWD/target/release/bangfu"
rm -rf "$dir" && mkdir -p "$dir"
store="$dir/store.db"
# The Hainan policy, and its budget without the seed's carry-over approval (which fits the
# seed's year only, so that the statement closes).
"$bangfu" policy show hainan-2018 > "$dir/policy.toml"
sed '/# Seed, 二(二)3/,$d' crates/bangfu-data/data/hainan-2018/budget.toml > "$dir/budget.toml"
"$bangfu" init "$store" --policy "$dir/policy.toml" --budget "$dir/budget.toml" --lang en | head -1
echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) postings=$n"
lines() {
    python3 - "$n" <<'PY'
import sys, datetime
n = int(sys.argv[1])
sources = ["central_fiscal", "provincial_fiscal", "provincial_union_funds", "acftu_funds"]
start = datetime.date(2018, 1, 2)
out = sys.stdout
for i in range(n):
    d = (start + datetime.timedelta(days=i * 360 // n)).isoformat()
    s = sources[i % 4]
    out.write('{"v":1,"id":"op-%d","actor":"finance-1","date":"%s","op":"income","body":{"id":"in-%d","date":"%s","source":"%s","kind":"allocation","amount":"1.00"}}\n' % (i, d, i, d, s))
PY
}
measure() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null |
        grep -E 'Maximum resident set size|Elapsed \(wall clock\)' | sed 's/^\s*/   /'
}
echo "apply (batches of 10,000):"
lines | measure "$bangfu" apply "$store" --batch 10000
ls -l "$store" | awk '{print "   store file: " $5 " bytes"}'
echo "statement (open: replay; the statement):"
measure "$bangfu" statement "$store"
echo "verify (replay, compare every row, SUM in SQL):"
measure "$bangfu" verify "$store"
