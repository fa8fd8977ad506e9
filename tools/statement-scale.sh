#!/usr/bin/env bash
# The statement of a large ledger file beside its parse limit and hledger, side by side in one
# run: tools/statement-scale.sh [HOUSEHOLDS] [RUNS]
#
# Generates the national year (`bangfu-datagen national --households HOUSEHOLDS`, default
# 118800: its ledger.jsonl holds 1,000,428 postings, 314 MB) and takes its first 100,000
# lines as a second file, then for each file measures, the median of RUNS (default 3) runs,
# wall and CPU time and the peak memory (`/usr/bin/time`):
#   - parse: every line parsed into a typed posting and dropped (`year-scale --parse-ledger`,
#     the limit: what any reader of the file must do);
#   - bangfu: `bangfu statement --policy --budget --ledger FILE --json` (the file read line by
#     line, every posting checked by the ledger's rules, each posting read again from the file
#     when a rule needs it: `FoldedRun::from_path`; the 100k file with the budget's lines
#     only, since the carry-over approvals fit the whole year's close);
#   - hledger: `hledger -f FILE.journal balance` on the same postings in journal form
#     (`tools/ledger-to-hledger.py`; Debian's hledger), and checks that hledger's total of
#     the aid accounts is bangfu's total spent.
# BANGFU=binary measures that build of the command (BEFORE=binary adds an older one beside
# it and checks it writes the same statement). KEEP=DIR keeps the files in DIR.
# Needs python3, /usr/bin/time and hledger (apt-get install hledger). Run it on a quiet
# machine: the figures are wall and CPU times.
set -euo pipefail
cd "$(dirname "$0")/.."
households=${1:-118800}
runs=${2:-3}
target=${CARGO_TARGET_DIR:-target}
cargo build --release -q -p bangfu-datagen
cargo build --profile bench -q -p bangfu-benches --bin year-scale
if [ -z "${BANGFU:-}" ]; then
    cargo build --release -q -p bangfu-cli
    BANGFU="$target/release/bangfu"
fi
command -v hledger > /dev/null || { echo "hledger not found (apt-get install hledger)" >&2; exit 2; }
work=${KEEP:-$(mktemp -d)}
mkdir -p "$work"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$work"' EXIT
dir="$work/national"
if [ ! -f "$dir/ledger.jsonl" ]; then
    "$target/release/bangfu-datagen" national --out "$dir" --households "$households" > /dev/null
fi
head -n 100000 "$dir/ledger.jsonl" > "$work/ledger-100k.jsonl"
cp "$dir/ledger.jsonl" "$work/ledger-all.jsonl"
# The budget's carry-over approvals fit the whole year's close, not the first 100,000 lines':
# the 100k file is read with the budget's lines only.
sed '/^\[\[carryover_approvals\]\]/,$d' "$dir/budget.toml" > "$work/budget-100k.toml"
cp "$dir/budget.toml" "$work/budget-all.toml"
for f in 100k all; do
    python3 tools/ledger-to-hledger.py "$work/ledger-$f.jsonl" > "$work/ledger-$f.journal"
done

# median of the runs of a command: prints "wall cpu peak_kib"
measure() {
    local out=$1; shift
    for _ in $(seq "$runs"); do
        /usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" > "$out" 2> /dev/null
        awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}' "$work/time"
    done | sort -n | awk -v n="$runs" 'NR == int((n + 1) / 2)'
}

printf '%-10s %-10s %9s %9s %10s %10s\n' file run wall_s cpu_s peak_MiB postings/s
for f in 100k all; do
    file="$work/ledger-$f.jsonl"
    n=$(grep -c . "$file")
    row() {
        read -r wall cpu peak <<< "$2"
        awk -v f="$f" -v r="$1" -v w="$wall" -v c="$cpu" -v p="$peak" -v n="$n" \
            'BEGIN { printf "%-10s %-10s %9s %9s %10.1f %10.0f\n", f, r, w, c, p / 1024, n / w }'
    }
    row parse "$(measure /dev/null "$target/release/year-scale" --parse-ledger "$file")"
    st=(statement --policy "$dir/policy.toml" --budget "$work/budget-$f.toml" --ledger "$file" --json)
    row bangfu "$(measure "$work/bangfu-$f.json" "$BANGFU" "${st[@]}")"
    if [ -n "${BEFORE:-}" ]; then
        row before "$(measure "$work/before-$f.json" "$BEFORE" "${st[@]}")"
        cmp -s "$work/before-$f.json" "$work/bangfu-$f.json" ||
            { echo "the statements of $BEFORE and $BANGFU differ ($f)" >&2; exit 1; }
    fi
    row hledger "$(measure "$work/hledger-$f.txt" hledger -f "$work/ledger-$f.journal" balance aid --depth 1 -N)"
    spent=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["spent"])' "$work/bangfu-$f.json")
    aid=$(awk '/aid/ {print $1; exit}' "$work/hledger-$f.txt")
    [ "$spent" = "$aid" ] || { echo "bangfu spent $spent, hledger aid $aid ($f)" >&2; exit 1; }
done
echo "hledger's aid total = bangfu's total spent on both files"
