#!/usr/bin/env bash
# How the whole year path grows with the year (issue 15, "Growth"): for each size (filed
# households), the national year generator writes a year directory, and `bangfu report DIR`
# reads, builds, closes and evaluates it and renders the report, under /usr/bin/time -v.
# Prints a table (records, wall and CPU seconds, CPU µs per record, peak RSS, bytes per
# record) and writes docs/growth.svg. Not run by CI: the largest sizes take minutes and GBs.
#
#   tools/growth.sh [HOUSEHOLDS...]        # default: 1000 10000 100000 500000
#   SCRATCH=/work/growth tools/growth.sh   # where the years are written (deleted after each)
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000 500000)
scratch="${SCRATCH:-/tmp/bangfu-growth}"
cargo build --release -q -p bangfu-datagen -p bangfu-cli
echo "== $(date -u +%FT%TZ) $(git rev-parse --short HEAD) load $(cut -d' ' -f1-3 /proc/loadavg)"
table=docs/growth.tsv.new
printf 'households\trecords\tbytes\twall_s\tcpu_s\tcpu_us_per_record\tpeak_mib\n' > "$table"
for n in "${sizes[@]}"; do
    dir="$scratch/$n"
    rm -rf "$dir"
    line=$(target/release/bangfu-datagen national --out "$dir" --households "$n")
    records=$(echo "$line" | sed -E 's/.* ([0-9]+) records.*/\1/')
    households=$(echo "$line" | sed -E 's/.*: ([0-9]+) households.*/\1/')
    bytes=$(du -sb "$dir" | cut -f1)
    t=$( { /usr/bin/time -v target/release/bangfu report "$dir" --out "$dir/report.md" >/dev/null; } 2>&1 )
    wall=$(echo "$t" | sed -nE 's/.*Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (.*)/\1/p' |
        awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
    user=$(echo "$t" | sed -nE 's/.*User time \(seconds\): (.*)/\1/p')
    sys=$(echo "$t" | sed -nE 's/.*System time \(seconds\): (.*)/\1/p')
    rss=$(echo "$t" | sed -nE 's/.*Maximum resident set size \(kbytes\): (.*)/\1/p')
    awk -v h="$households" -v r="$records" -v b="$bytes" -v w="$wall" -v u="$user" -v s="$sys" -v m="$rss" \
        'BEGIN { printf "%d\t%d\t%.0f\t%.2f\t%.2f\t%.2f\t%d\n", h, r, b, w, u + s, (u + s) * 1e6 / r, m / 1024 }' >> "$table"
    tail -1 "$table"
    rm -rf "$dir"
done
mv "$table" docs/growth.tsv
python3 tools/growth-chart.py docs/growth.tsv docs/growth.svg
column -t docs/growth.tsv
