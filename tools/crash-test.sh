#!/usr/bin/env bash
# Crash safety of the store at scale (issue 11): `bangfu apply` killed with SIGKILL at spread
# points while it applies a stream of incomes, medical claims and their payments, restarted on
# the whole input after each kill; after every restart every acknowledged operation is in the
# store at its acknowledged position and `bangfu verify` passes; at the end the store equals
# one that applied the input without a kill (nothing paid twice).
#
#   tools/crash-test.sh [RUNS] [OPERATIONS]      # default 50 kills of 100,000 operations
#
# The test is crates/bangfu-cli/tests/store.rs (CI runs it with 5 kills of 3,000 operations).
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-50}"
OPS="${2:-100000}"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
start=$(date +%s)
BANGFU_CRASH_RUNS="$RUNS" BANGFU_CRASH_OPS="$OPS" \
  cargo test --release -p bangfu-cli --test store \
  a_killed_apply_loses_no_acknowledged_operation_and_pays_nothing_twice -- --nocapture 2>&1 \
  | grep -E "crash test:|test result|panicked|FAILED"
echo "crash-test.sh: $RUNS kills of $OPS operations passed in $(( $(date +%s) - start )) s (build included)"
