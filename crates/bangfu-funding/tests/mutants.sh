#!/usr/bin/env bash
# Mutation check of the ledger's reference model (tests/model.rs).
#
# Copies the working tree to a scratch directory, then for each mutant: restores the
# library's sources, removes one rule with a one-line `sed` on src/ledger.rs or src/policy.rs,
# builds, and runs the model comparison. A mutant is "killed" when the comparison fails, which is what must happen for
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
src=crates/bangfu-funding/src

# name | file in src/ | sed expression (one line each; the script checks that it applied)
mutants=(
  'overdraft|ledger.rs|s/\.checked_sub(d\.amount)$/.checked_sub(d.amount.min(balance))/'
  'channel|policy.rs|s/if !self\.channel_allowed(d\.channel, d\.date)? {/if false \&\& !self.channel_allowed(d.channel, d.date)? {/'
  'earmark-category|policy.rs|s/if !earmark\.categories\.contains(&d\.category) {/if false \&\& !earmark.categories.contains(\&d.category) {/'
  'earmark-tier|policy.rs|s/if !earmark\.tiers\.contains(&d\.tier) {/if false \&\& !earmark.tiers.contains(\&d.tier) {/'
  'idempotency-id|ledger.rs|s/if let Some(&seq) = self\.index\.get(posting\.id()) {/if let Some(\&seq) = self.index.get(posting.id()).filter(|_| false) {/'
  'idempotency-order|ledger.rs|s/&& let Some(&seq) = self\.orders\.get(key)$/\&\& let Some(\&seq) = self.orders.get(key).filter(|_| false)/'
  'recovery-limit|ledger.rs|s/Ok(total) if total <= payment\.amount => /Ok(total) => /'
  'recovery-date|ledger.rs|s/if income\.date < payment\.date {/if false \&\& income.date < payment.date {/'
  'recovery-household|ledger.rs|s/Some(Posting::Disbursement(d)) if &d\.household == household => d,/Some(Posting::Disbursement(d)) => d,/'
  'reversal-not-recovery|ledger.rs|s/return match &income\.reverses {/return match \&None::<PostingId> {/'
  'date-in-year|ledger.rs|s/if !self\.year\.contains(date) {/if false \&\& !self.year.contains(date) {/'
  'zero-amount|ledger.rs|s/if posting\.amount()\.is_zero() {/if false \&\& posting.amount().is_zero() {/'
  'income-overflow|ledger.rs|s/balance\.checked_add(income\.amount)?$/balance.checked_add(income.amount).unwrap_or(Money::MAX)/'
  'cash-allowed|policy.rs|s/\.contains(&channel))$/.contains(\&channel) || channel == PaymentChannel::Cash)/'
  'earmark-dates|policy.rs|s/timeline\.at(source\.code(), date)?/timeline.at(source.code(), NaiveDate::MAX)?/'
  'reversal-reason|ledger.rs|s/if r\.reason\.trim()\.is_empty() {/if false \&\& r.reason.trim().is_empty() {/'
  'reversal-twice|ledger.rs|s/if let Some(by) = self\.reversed\.get(&seq)/if let Some(by) = self.reversed.get(\&seq).filter(|_| false)/'
  'reversal-date|ledger.rs|s/if r\.date < target\.date() {/if false \&\& r.date < target.date() {/'
  'reversal-mismatch|ledger.rs|s/if r\.source != target\.source() || r\.amount != target\.amount() {/if false \&\& (r.source != target.source() || r.amount != target.amount()) {/'
  'reversal-recovered|ledger.rs|s/if !recovered\.is_zero() {/if false \&\& !recovered.is_zero() {/'
  'reversal-overdraft|ledger.rs|s/^\( *\)\.checked_sub(r\.amount)$/\1.checked_sub(r.amount.min(balance))/'
  'reversal-recovery-share|ledger.rs|s/recovery = Some((\*payment, total\.checked_sub(r\.amount)?));/recovery = Some((*payment, total));/'
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
rm -rf "$scratch/orig"
cp -r "$copy/$src" "$scratch/orig"

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
  IFS='|' read -r name file expr <<<"$m"
  selected "$name" || continue
  cp "$scratch/orig/"*.rs "$copy/$src/"
  sed -i -e "$expr" "$copy/$src/$file"
  if cmp -s "$scratch/orig/$file" "$copy/$src/$file"; then
    echo "$name: NOT APPLIED (the sed pattern no longer matches src/$file)"
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
cp "$scratch/orig/"*.rs "$copy/$src/"

printf '\n%b' "$table"
exit "$failed"
