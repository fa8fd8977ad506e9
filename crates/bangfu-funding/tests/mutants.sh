#!/usr/bin/env bash
# Mutation check of the ledger's reference model (tests/model.rs).
#
# Copies the working tree to a scratch directory, then for each mutant: restores the ledger's
# source, removes one rule from it with a one-line `sed`, builds, and runs the model
# comparison. A mutant is "killed" when the comparison fails, which is what must happen for
# every rule. The real tree is never edited.
#
# Usage: crates/bangfu-funding/tests/mutants.sh [NAME...]   (no names: every mutant)
# Environment:
#   SCRATCH            scratch directory (default ${TMPDIR:-/tmp}/bangfu-mutants)
#   CARGO_TARGET_DIR   target directory for the scratch builds (default $SCRATCH/target)
#   PROPTEST_CASES     sequences per run (default 256, as in CI)
#   JOBS               cargo -j (default 2)
# Prints one line per mutant and a Markdown table; full logs in $SCRATCH/logs/NAME.log.
# Exit status: 0 when the unmutated copy passes and every mutant is killed, 1 otherwise.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
scratch=${SCRATCH:-${TMPDIR:-/tmp}/bangfu-mutants}
copy=$scratch/tree
logs=$scratch/logs
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$scratch/target}
export PROPTEST_CASES=${PROPTEST_CASES:-256}
jobs=${JOBS:-2}
ledger=crates/bangfu-funding/src/ledger.rs

# name | sed expression on src/ledger.rs (one line each; the script checks it applied)
mutants=(
  'overdraft|s/\.checked_sub(d\.amount)$/.checked_sub(d.amount.min(balance))/'
  'channel|s/if !policy\.channel_allowed(d\.channel, d\.date)? {/if false \&\& !policy.channel_allowed(d.channel, d.date)? {/'
  'earmark-category|s/if !earmark\.categories\.contains(&d\.category) {/if false \&\& !earmark.categories.contains(\&d.category) {/'
  'earmark-tier|s/if !earmark\.tiers\.contains(&d\.tier) {/if false \&\& !earmark.tiers.contains(\&d.tier) {/'
  'idempotency-id|s/if let Some(&seq) = self\.index\.get(posting\.id()) {/if let Some(\&seq) = self.index.get(posting.id()).filter(|_| false) {/'
  'idempotency-order|s/&& let Some(&seq) = self\.orders\.get(key)$/\&\& let Some(\&seq) = self.orders.get(key).filter(|_| false)/'
  'recovery-limit|s/Ok(total) if total <= payment\.amount => /Ok(total) => /'
  'recovery-date|s/if income\.date < payment\.date {/if false \&\& income.date < payment.date {/'
  'recovery-household|s/Some(Posting::Disbursement(d)) if &d\.household == household => d,/Some(Posting::Disbursement(d)) => d,/'
  'reversal-not-recovery|s/return match &income\.reverses {/return match \&None::<PostingId> {/'
  'date-in-year|s/if !self\.year\.contains(date) {/if false \&\& !self.year.contains(date) {/'
  'zero-amount|s/if posting\.amount()\.is_zero() {/if false \&\& posting.amount().is_zero() {/'
  'income-overflow|s/balance\.checked_add(income\.amount)?$/balance.checked_add(income.amount).unwrap_or(Money::MAX)/'
)

wanted=("$@")
selected() {
  [[ ${#wanted[@]} -eq 0 ]] && return 0
  local w
  for w in "${wanted[@]}"; do [[ $w == "$1" ]] && return 0; done
  return 1
}

echo "copying $root to $copy"
rm -rf "$copy" "$logs"
mkdir -p "$copy" "$logs"
(cd "$root" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$copy")
cp "$copy/$ledger" "$scratch/ledger.rs.orig"

# Builds the copy and runs the comparison; sets $status (pass|fail|build), $secs and writes
# the log.
run_model() {
  local log=$1
  status=build secs=0
  if ! (cd "$copy" && cargo test -q -j "$jobs" --locked -p bangfu-funding --test model --no-run) >"$log" 2>&1; then
    return
  fi
  local start end
  start=$(date +%s.%N)
  if (cd "$copy" && cargo test -q -j "$jobs" --locked -p bangfu-funding --test model -- \
      the_ledger_agrees_with_the_model_operation_by_operation) >>"$log" 2>&1; then
    status=pass
  else
    status=fail
  fi
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
}

# How soon a failed run found its first disagreement (sequence, seconds, before shrinking).
found() {
  sed -n 's/.*first disagreement in sequence \([0-9]*\), \([0-9.]*\) s after the first.*/sequence \1, \2 s/p' "$1" | head -n1
}

# The disagreement on proptest's minimal input (after shrinking), and that input's length.
explain() {
  local log=$1 ops what
  ops=$(sed -n '/minimal failing input/,$p' "$log" | grep -cE '^ +(Income|Recovery|Pay|Replay|Change|Retry) \{' || true)
  what=$(grep -m1 -A2 'Test failed' "$log" | tr -s ' \n' ' ' | sed -e 's/Test failed: assertion failed: `(left == right)` //' -e 's/ at crates.*//' | cut -c1-400)
  printf '%s ops; %s' "$ops" "$what"
}

failed=0
run_model "$logs/baseline.log"
echo "baseline (no mutant): $status in ${secs}s"
if [[ $status != pass ]]; then
  echo "the unmutated copy does not pass; see $logs/baseline.log" >&2
  exit 1
fi

table="| mutant (rule removed) | killed | first disagreement | run with shrinking | minimal case (library left, model right) |\n|---|---|---|---|---|\n"
for m in "${mutants[@]}"; do
  name=${m%%|*}
  expr=${m#*|}
  selected "$name" || continue
  cp "$scratch/ledger.rs.orig" "$copy/$ledger"
  sed -i -e "$expr" "$copy/$ledger"
  if cmp -s "$scratch/ledger.rs.orig" "$copy/$ledger"; then
    echo "$name: NOT APPLIED (the sed pattern no longer matches src/ledger.rs)"
    table+="| $name | not applied | | | |\n"
    failed=1
    continue
  fi
  log=$logs/$name.log
  run_model "$log"
  case $status in
    fail)
      when=$(found "$log")
      why=$(explain "$log")
      echo "$name: killed: first disagreement in $when; run ${secs}s with shrinking; minimal case $why"
      table+="| $name | yes | $when | ${secs} s | ${why//|/\\|} |\n"
      ;;
    pass)
      echo "$name: SURVIVED (the model comparison passed with the rule removed)"
      table+="| $name | **no** | | | |\n"
      failed=1
      ;;
    build)
      echo "$name: BUILD FAILED, see $log"
      table+="| $name | build failed | | | |\n"
      failed=1
      ;;
  esac
done
cp "$scratch/ledger.rs.orig" "$copy/$ledger"

printf '\n%b' "$table"
exit "$failed"
