#!/usr/bin/env bash
# Fuzzes bangfu's parsers: tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#
# Runs each fuzz target of fuzz/ (all of them when none is named) for SECONDS_PER_TARGET
# seconds (default 60), one after the other, one fuzzing process at a time, at nice 19;
# prints the executions per target and appends a line per target to docs/fuzz-log.tsv
# (date, target, seconds, executions, crashes), so the figures add up over the life of the
# project. Works on a fresh clone: installs cargo-fuzz and the nightly toolchain if missing,
# and builds the targets.
#
# -len_control=0: mutate inputs at their full length from the start (libFuzzer otherwise
# grows the length limit slowly, and cuts the seeds, whole records of 1-24 KB, to it).
# libFuzzer runs in fork mode with one job (-fork=1): a crash is saved to
# fuzz/artifacts/<target>/ and counted, and fuzzing goes on. "crashes" in the log counts
# every failing input of the run: crashes (a panic: a failed check), timeouts and
# out-of-memory. New inputs go to the working corpus fuzz/work/<target>/ (not committed;
# FUZZ_WORK overrides), which starts from the committed corpus fuzz/corpus/<target>/ and
# grows from run to run. Build directory: fuzz/target (FUZZ_TARGET_DIR overrides).
#
# Reproduce a crash on stable: copy the artifact into fuzz/corpus/<target>/ and run
# `cargo test -p bangfu-tests --test fuzz_corpus`; see fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

seconds=${1:-60}
if ! [[ $seconds =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
    echo "usage: tools/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]" >&2
    exit 2
fi
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in fuzz/fuzz_targets/*.rs; do
        targets+=("$(basename "$f" .rs)")
    done
fi
for t in "${targets[@]}"; do
    if [ ! -f "fuzz/fuzz_targets/$t.rs" ]; then
        echo "no fuzz target $t (see fuzz/fuzz_targets/)" >&2
        exit 2
    fi
done

if ! rustup toolchain list | grep -q '^nightly'; then
    rustup toolchain install nightly --profile minimal
fi
if ! command -v cargo-fuzz > /dev/null; then
    cargo install cargo-fuzz --locked
fi

target_dir=${FUZZ_TARGET_DIR:-$root/fuzz/target}
work=${FUZZ_WORK:-$root/fuzz/work}
log=$root/docs/fuzz-log.tsv
# No sanitizer: the workspace forbids unsafe code, so AddressSanitizer would only slow the
# runs down; debug assertions and overflow checks are on (cargo fuzz's default).
fuzz=(cargo +nightly fuzz)
opts=(--sanitizer none --target-dir "$target_dir")

echo "== building the fuzz targets (nightly)"
nice -n 19 "${fuzz[@]}" build "${opts[@]}"

if [ ! -f "$log" ]; then
    printf 'date\ttarget\tseconds\texecutions\tcrashes\n' > "$log"
fi

total=0
printf '%-32s %8s %14s %8s\n' target seconds executions crashes
for t in "${targets[@]}"; do
    mkdir -p "$work/$t"
    out=$(mktemp)
    start=$(date +%s)
    # A crash makes cargo fuzz exit non-zero; the run is still counted.
    nice -n 19 "${fuzz[@]}" run "${opts[@]}" "$t" "$work/$t" "fuzz/corpus/$t" -- \
        -max_total_time="$seconds" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
        -ignore_ooms=1 -timeout=30 -len_control=0 -print_final_stats=1 > "$out" 2>&1 || true
    elapsed=$(( $(date +%s) - start ))
    # The fuzzing time of the last status line (without a rebuild cargo fuzz may have made),
    # else the wall time.
    fuzzed=$(grep -oE '^#[0-9]+:.* time: [0-9]+s' "$out" | tail -n 1 | grep -oE '[0-9]+s$' |
        tr -dc '0-9' || true)
    elapsed=${fuzzed:-$elapsed}
    # The fork-mode status lines: "#N: cov: .. oom/timeout/crash: a/b/c time: ..".
    execs=$(grep -oE '^#[0-9]+:' "$out" | tail -n 1 | tr -dc '0-9' || true)
    if [ -z "$execs" ]; then
        # Not in fork mode (or stopped early): the final stats or the DONE line.
        execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$out" | tail -n 1 |
            grep -oE '[0-9]+$' || grep -oE '^#[0-9]+[[:space:]]+DONE' "$out" | tail -n 1 |
            tr -dc '0-9' || true)
    fi
    execs=${execs:-0}
    failures=$(grep -oE 'oom/timeout/crash: *[0-9]+/[0-9]+/[0-9]+' "$out" | tail -n 1 |
        grep -oE '[0-9]+/[0-9]+/[0-9]+' | awk -F/ '{print $1 + $2 + $3}' || true)
    failures=${failures:-0}
    if [ "$execs" -eq 0 ]; then
        echo "-- $t: no executions counted; the end of its output:" >&2
        tail -n 20 "$out" >&2
    fi
    rm -f "$out"
    printf '%s\t%s\t%s\t%s\t%s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$t" "$elapsed" "$execs" \
        "$failures" >> "$log"
    printf '%-32s %8s %14s %8s\n' "$t" "$elapsed" "$execs" "$failures"
    total=$((total + execs))
done
echo "total executions: $total (appended to docs/fuzz-log.tsv)"
if compgen -G "fuzz/artifacts/*/*" > /dev/null; then
    echo "failing inputs are in fuzz/artifacts/; see fuzz/README.md to reproduce them"
fi
