#!/usr/bin/env bash
# Mutation check of the calculators' caps: every cap removed, one at a time, must make a test
# of the crate fail (issue 14: "a mutation of each calculator's caps (remove one) makes a test
# fail").
#
# Copies the working tree to a scratch directory, then for each mutant: restores the crate's
# sources, removes one cap with a one-line `sed` on src/calc.rs or src/temporary.rs, builds
# and runs the crate's tests (`cargo test -p bangfu-aid --tests`: unit, integration and
# property tests; not the doc examples). A mutant is "killed" when a test fails. The real tree
# is never edited.
#
# Usage: crates/bangfu-aid/tests/mutants.sh [NAME...]   (no names: every mutant)
# Environment:
#   SCRATCH            scratch directory (default ${TMPDIR:-/tmp}/bangfu-aid-mutants)
#   CARGO_TARGET_DIR   target directory for the scratch builds (default $SCRATCH/target)
#   PROPTEST_CASES     cases per property (default 256, as in CI)
#   JOBS               cargo -j (default 2)
# Prints one line per mutant (with the first failing test) and a Markdown table; full logs in
# $SCRATCH/logs/NAME.log. Exit status: 0 when the unmutated copy passes and every mutant is
# killed, 1 otherwise.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../../.." && pwd)
scratch=${SCRATCH:-${TMPDIR:-/tmp}/bangfu-aid-mutants}
copy=$scratch/tree
logs=$scratch/logs
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$scratch/target}
export PROPTEST_CASES=${PROPTEST_CASES:-256}
jobs=${JOBS:-2}
src=crates/bangfu-aid/src

# name | file in src/ | sed expression (one line each; the script checks that it applied)
mutants=(
  'medical-yearly-cap|calc.rs|s/let entitled = raw\.min(cap\.value)\.min(total);/let entitled = raw.min(total);/'
  'medical-own-cost|calc.rs|s/let entitled = raw\.min(cap\.value)\.min(total);/let entitled = raw.min(cap.value);/'
  'medical-year-to-date|calc.rs|s/let a = entitled\.saturating_sub(so_far\.paid);/let a = entitled;/'
  'medical-cap-reached|calc.rs|s/let amount = if so_far\.paid >= cap\.value {/let amount = if false \&\& so_far.paid >= cap.value {/'
  'living-per-time|calc.rs|s/if max\.value < amount {/if false \&\& max.value < amount {/'
  'living-yearly-cap|calc.rs|s/} else if left < amount {/} else if false \&\& left < amount {/'
  'living-yearly-cap-reached|calc.rs|s/if left\.is_zero() {/if false \&\& left.is_zero() {/'
  'living-months-of-standard|calc.rs|s/let cap = FenRate::new(multiplier\.value, rounding\.value)\.apply(base)?;/let cap = FenRate::new(multiplier.value, rounding.value).apply(base)?.checked_add(base)?;/'
  'warmth-max|calc.rs|s/} else if ask > range\.value\.max {/} else if false \&\& ask > range.value.max {/'
  'warmth-refuse|calc.rs|s/if outside \&\& handling\.value == OutOfRange::Refuse {/if false \&\& outside \&\& handling.value == OutOfRange::Refuse {/'
  'education-months|calc.rs|s/let amount = FenRate::new(months\.value, rounding\.value)\.apply(standard\.value)?;/let amount = FenRate::new(months.value, rounding.value).apply(standard.value)?.checked_add(standard.value)?;/'
  'temporary-yearly-cap|temporary.rs|s/} else if left < claim\.requested {/} else if false \&\& left < claim.requested {/'
  'temporary-cap-reached|temporary.rs|s/} else if left\.is_zero() {/} else if false \&\& left.is_zero() {/'
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

# Builds the copy and runs the crate's tests; sets $status (pass|fail|build) and $secs.
run_tests() {
  local log=$1
  status=build secs=0
  if ! (cd "$copy" && cargo test -q -j "$jobs" --locked -p bangfu-aid --tests --no-run) >"$log" 2>&1; then
    return
  fi
  local start end
  start=$(date +%s.%N)
  if (cd "$copy" && cargo test -q -j "$jobs" --locked -p bangfu-aid --tests --no-fail-fast) >>"$log" 2>&1; then
    status=pass
  else
    status=fail
  fi
  end=$(date +%s.%N)
  secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
}

# The failing tests of a run, at most three, and how many.
failing() {
  local names n
  names=$(grep -E '^---- .* stdout ----$' "$1" | sed -e 's/^---- //' -e 's/ stdout ----$//' | sort -u)
  n=$(printf '%s\n' "$names" | grep -c . || true)
  printf '%s failing: %s' "$n" "$(printf '%s\n' "$names" | head -n3 | paste -sd ',' | sed 's/,/, /g')"
}

failed=0
run_tests "$logs/baseline.log"
echo "baseline (no mutant): $status in ${secs}s"
if [[ $status != pass ]]; then
  echo "the unmutated copy does not pass; see $logs/baseline.log" >&2
  exit 1
fi

table="| mutant (cap removed) | killed | tests that fail |\n|---|---|---|\n"
for m in "${mutants[@]}"; do
  IFS='|' read -r name file expr <<<"$m"
  selected "$name" || continue
  cp "$scratch/orig/"*.rs "$copy/$src/"
  sed -i -e "$expr" "$copy/$src/$file"
  if cmp -s "$scratch/orig/$file" "$copy/$src/$file"; then
    echo "$name: NOT APPLIED (the sed pattern no longer matches src/$file)"
    table+="| $name | not applied | |\n"
    failed=1
    continue
  fi
  log=$logs/$name.log
  run_tests "$log"
  case $status in
    fail)
      why=$(failing "$log")
      echo "$name: killed ($why)"
      table+="| $name | yes | ${why//|/\\|} |\n"
      ;;
    pass)
      echo "$name: SURVIVED (every test passed with the cap removed)"
      table+="| $name | **no** | |\n"
      failed=1
      ;;
    build)
      echo "$name: BUILD FAILED, see $log"
      table+="| $name | build failed | |\n"
      failed=1
      ;;
  esac
done
cp "$scratch/orig/"*.rs "$copy/$src/"

printf '\n%b' "$table"
exit "$failed"
