#!/usr/bin/env bash
# The national year in a store (issue 15, item 4): `bangfu-datagen national` writes a year
# directory of HOUSEHOLDS households (default 10,000); `bangfu init STORE --from DIR` ingests
# it (each record an operation through the rules, the files read line by line, committed
# every 100,000 operations); then `bangfu statement STORE` and `bangfu report STORE` read it
# (the store opened: its journal replayed). Each step with its wall time, CPU and peak memory
# (/usr/bin/time -v); the store's size; and SQLite's own insert rate of the same rows (the
# store's tables copied into an empty store of the same schema by SQLite alone, one
# transaction, the same pragmas: WAL, synchronous = FULL) for the ratio. Release mode. Not
# run by CI: minutes and gigabytes (about 4.7 KB of files and 5 KB of store a household).
# Figures go to docs/performance.md. The directory is removed at the end unless KEEP=1.
#
#   tools/store-scale.sh [HOUSEHOLDS] [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
dir="${2:-${TMPDIR:-/tmp}/bangfu-store-scale}"
cargo build --release -q -p bangfu-cli -p bangfu-datagen
bin="${CARGO_TARGET_DIR:-$PWD/target}/release"
rm -rf "$dir" && mkdir -p "$dir"
year="$dir/year"
store="$dir/store.db"
echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) households=$n load: $(cut -d' ' -f1-3 /proc/loadavg)"
measure() {
    /usr/bin/time -v "$@" 2>&1 >/dev/null |
        grep -E 'Maximum resident set size|Elapsed \(wall clock\)|User time|System time' |
        sed 's/^\s*/   /'
}
echo "generate:"
measure "$bin/bangfu-datagen" national --out "$year" --households "$n"
records=$(cat "$year"/*.jsonl | grep -c .)
echo "   $records records, $(du -sb "$year" | cut -f1) bytes of files"
echo "ingest (bangfu init STORE --from DIR):"
start=$(date +%s.%N)
measure "$bin/bangfu" init "$store" --from "$year" --lang en
end=$(date +%s.%N)
python3 -c "print('   %.0f records/s (wall)' % ($records / ($end - $start)))"
echo "   store: $(stat -c %s "$store") bytes"
echo "statement (bangfu statement STORE):"
measure "$bin/bangfu" statement "$store" --lang en
echo "report (bangfu report STORE):"
measure "$bin/bangfu" report "$store" --lang en
echo "SQLite alone, the same rows (INSERT … SELECT into an empty store of the same schema):"
python3 - "$store" "$dir/alone.db" <<'PY'
import sqlite3, sys, time
src, dst = sys.argv[1], sys.argv[2]
db = sqlite3.connect(dst, isolation_level=None)
db.execute("PRAGMA journal_mode = WAL")
db.execute("PRAGMA synchronous = FULL")
db.execute("ATTACH ? AS src", (src,))
tables = [r for r in db.execute(
    "SELECT name, sql FROM src.sqlite_master WHERE type = 'table' AND sql IS NOT NULL")]
for _, sql in tables:
    db.execute(sql)
counts = {}
t = time.perf_counter()
db.execute("BEGIN")
for name, _ in tables:
    counts[name] = db.execute(f"INSERT INTO main.{name} SELECT * FROM src.{name}").rowcount
db.execute("COMMIT")
dt = time.perf_counter() - t
rows = sum(counts.values())
print(f"   {rows} rows ({counts.get('journal', 0)} journal entries, "
      f"{counts.get('postings', 0)} postings) in {dt:.2f} s: {rows / dt:.0f} rows/s, "
      f"{counts.get('journal', 0) / dt:.0f} entries/s")
PY
if [ "${KEEP:-0}" != 1 ]; then rm -rf "$dir"; fi
