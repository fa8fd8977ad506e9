#!/usr/bin/env bash
# Mutation check of the case file's reference model (tests/all/model.rs).
#
# Copies the workspace (tracked and untracked, not ignored, files) to a scratch directory,
# then, one mutant at a time, removes one rule from crates/bangfu-eligibility/src/case.rs
# (one role of one row of the role table, the separation of duties, a part of the notice
# window, "other" needs a note, and a few more), runs only the random model comparison
# `model::the_library_follows_the_model`, and expects it to FAIL. The unmutated copy must
# pass first. The worktree itself is never touched.
#
# Usage:  crates/bangfu-eligibility/tests/mutants.sh [REGEX]   (only mutants whose name matches)
#         crates/bangfu-eligibility/tests/mutants.sh --list
# Environment: SCRATCH (default /tmp/bangfu-mutants; its target/ is kept between runs, so
# reruns only rebuild this crate), PROPTEST_CASES (default 256), JOBS (cargo -j, default 2).
#
# Prints one line per mutant (KILLED / SURVIVED / BROKEN, with the failure's first line) and
# exits non-zero if any mutant survived or did not build.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
scratch="${SCRATCH:-/tmp/bangfu-mutants}"
jobs="${JOBS:-2}"
filter="${1:-.}"
src="$scratch/src"
file="crates/bangfu-eligibility/src/case.rs"

# ---------------------------------------------------------------------------------------
# The mutants. A rule mutant is NAME and a perl substitution over case.rs (perl -0pe, the
# whole file as one string); it must change the file.
rules=(
  'separation_of_duties|s/if f\.reviewers\.contains\(&by\.person\) \{/if false \&\& f.reviewers.contains(\&by.person) {/'
  'notice.close_before_last_day|s/if \*date < w\.until \{/if false \&\& *date < w.until {/'
  'notice.object_after_last_day|s/if \*date < w\.from \|\| \*date > w\.until \{/if *date < w.from {/'
  'notice.one_day_longer|s/add_working_days\(\*date, days\.value\)/add_working_days(*date, days.value + 1)/'
  'notice.one_day_shorter|s/add_working_days\(\*date, days\.value\)/add_working_days(*date, days.value.saturating_sub(1))/'
  'notice.calendar_days|s/calendar\.add_working_days\(\*date, days\.value\)\?/date.checked_add_days(chrono::Days::new(u64::from(days.value))).unwrap_or(*date)/'
  'notice.length_of_application_day|s/\.at\("eligibility\.notice_working_days", \*date\)/.at("eligibility.notice_working_days", f.applied_on)/'
  'note.never_required|s/if is_other \&\& note/if false \&\& is_other \&\& note/'
  'note.blank_is_a_note|s/\.is_none_or\(\|n\| n\.trim\(\)\.is_empty\(\)\)/.is_none_or(|n| n.is_empty())/'
  'note.exit_other|s/note_ok\(\*reason == ExitReason::Other, note\)/note_ok(false, note)/'
  'note.cancel_other|s/note_ok\(\*reason == CancelReason::Other, note\)/note_ok(false, note)/'
  'note.withdraw_other|s/note_ok\(\*reason == WithdrawReason::Other, note\)/note_ok(false, note)/'
  'date_order|s/if date < self\.last_date \{/if false \&\& date < self.last_date {/'
  'closure_before_activation|s/if effective < active_from \{/if false \&\& effective < active_from {/'
  'recovery_collected_twice|s/Some\(r\) if r\.collected\.is_none\(\) =>/Some(r) =>/'
  'review_of_ineligible|s/_ => return Err\(EligibilityError::NotEligible\),/_ => {}/'
  'open_by_anyone|s/if by\.role != Role::Applicant \{/if false \&\& by.role != Role::Applicant {/'
  'facts_of_another_household|s/if household\.id != f\.household\.id \{/if false \&\& household.id != f.household.id {/'
)

# The role table, one row per line: EVENT:STAGES:ROLES (the docs' "Who takes each step").
# Each (event, stage, role) becomes a mutant that removes that one role from that cell.
table='PassReview:Applied:GrassrootsUnion
RejectAtReview:Applied:GrassrootsUnion
StartNotice:Reviewed:GrassrootsUnion
Object:InNotice:GrassrootsUnion
CloseNotice:InNotice:GrassrootsUnion
File:NoticeCompleted:IndustrialUnion
Approve:Filed:AidCenter
StartReNotice:Approved:AidCenter
Object:InReNotice:AidCenter
Activate:InReNotice:AidCenter
Exit:Active:IndustrialUnion AidCenter
Cancel:Active:IndustrialUnion AidCenter
Withdraw:Active:AidCenter
Review:Active:GrassrootsUnion IndustrialUnion AidCenter
UpdateFacts:Active:GrassrootsUnion IndustrialUnion AidCenter
RecordUpdated:Filed Approved InReNotice Active Exited Cancelled Withdrawn:IndustrialUnion AidCenter
RecoveryCollected:Withdrawn:Finance'

# A few roles added where the table has none, to show a too-permissive table fails too.
extra_roles='PassReview:Applied:Applicant
Approve:Filed:GrassrootsUnion
RecoveryCollected:Withdrawn:AidCenter
RecordUpdated:Rejected:AidCenter
Review:Exited:AidCenter'

role_mutants=()
while IFS=: read -r event stages roles; do
  for stage in $stages; do
    for role in $roles; do
      role_mutants+=("roles.remove.$event.$stage.$role|remove|$event|$stage|$role")
    done
  done
done <<<"$table"
while IFS=: read -r event stage role; do
  role_mutants+=("roles.add.$event.$stage.$role|add|$event|$stage|$role")
done <<<"$extra_roles"

if [[ "$filter" == "--list" ]]; then
  for m in "${rules[@]}" "${role_mutants[@]}"; do echo "${m%%|*}"; done
  exit 0
fi

# ---------------------------------------------------------------------------------------
echo "copying $root to $src"
rm -rf "$src"
mkdir -p "$src"
(cd "$root" && git ls-files -z --cached --others --exclude-standard | xargs -0 cp --parents -t "$src")
cp "$src/$file" "$scratch/case.rs.orig"
# A test target with only the model, so each mutant rebuilds little.
cat >"$src/crates/bangfu-eligibility/tests/mutant_model.rs" <<'EOF'
//! The model comparison alone, for tests/mutants.sh.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)]
#![allow(unreachable_pub, dead_code)]
#[path = "all/common.rs"]
mod common;
#[path = "all/model.rs"]
mod model;
EOF

export CARGO_TARGET_DIR="$scratch/target"
export PROPTEST_DISABLE_FAILURE_PERSISTENCE=1
export PROPTEST_MAX_SHRINK_ITERS="${PROPTEST_MAX_SHRINK_ITERS:-64}"
log="$scratch/log"
mkdir -p "$log"

build() { (cd "$src" && cargo test -q -j"$jobs" -p bangfu-eligibility --test mutant_model --no-run) >"$1" 2>&1; }
run() {
  (cd "$src" && cargo test -q -j"$jobs" -p bangfu-eligibility --test mutant_model -- \
    --exact model::the_library_follows_the_model) >"$1" 2>&1
}

echo "baseline (unmutated) ..."
if ! build "$log/baseline.build" || ! run "$log/baseline.run"; then
  echo "the unmutated copy does not pass: see $log/baseline.*" >&2
  exit 2
fi

killed=0
survived=0
broken=0
check() { # NAME
  local name="$1"
  if ! build "$log/$name.build"; then
    echo "BROKEN    $name (does not build: $log/$name.build)"
    broken=$((broken + 1))
  elif run "$log/$name.run"; then
    echo "SURVIVED  $name"
    survived=$((survived + 1))
  elif grep -q 'mutant: ' "$log/$name.run"; then
    echo "BROKEN    $name (the cell is not as listed: $log/$name.run)"
    broken=$((broken + 1))
  else
    local why
    # The failure: "model accepts, library refuses (...)" or an assertion's left/right.
    why="$(awk '/Test failed:/ { n = 3 } n > 0 { printf "%s ", $0; n-- }' "$log/$name.run" |
      sed -e 's/.*Test failed: //' -e 's/: step [0-9]* Offer.*//' -e 's/  */ /g' | cut -c1-150)"
    echo "KILLED    $name   ${why}"
    killed=$((killed + 1))
  fi
}

for m in "${rules[@]}"; do
  name="${m%%|*}"
  [[ "$name" =~ $filter ]] || continue
  expr="${m#*|}"
  cp "$scratch/case.rs.orig" "$src/$file"
  perl -0pi -e "$expr" "$src/$file"
  if cmp -s "$scratch/case.rs.orig" "$src/$file"; then
    echo "BROKEN    $name (the substitution matched nothing)"
    broken=$((broken + 1))
    continue
  fi
  check "$name"
done

for m in "${role_mutants[@]}"; do
  IFS='|' read -r name how event stage role <<<"$m"
  [[ "$name" =~ $filter ]] || continue
  cp "$scratch/case.rs.orig" "$src/$file"
  perl -0pi -e 's/pub fn allowed_roles\(event: EventKind, stage: Stage\)/fn allowed_roles_unmutated(event: EventKind, stage: Stage)/' "$src/$file"
  if [[ "$how" == remove ]]; then
    body="let v: Vec<Role> = all.iter().copied().filter(|r| *r != Role::$role).collect();
        assert!(v.len() < all.len(), \"mutant: $role is not in the cell\");"
  else
    body="let mut v: Vec<Role> = all.to_vec();
        assert!(!v.contains(&Role::$role), \"mutant: $role is already in the cell\");
        v.push(Role::$role);"
  fi
  cat >>"$src/$file" <<EOF

/// Mutant: the table with one cell changed.
pub fn allowed_roles(event: EventKind, stage: Stage) -> &'static [Role] {
    let all = allowed_roles_unmutated(event, stage);
    if event == EventKind::$event && stage == Stage::$stage {
        $body
        return Box::leak(v.into_boxed_slice());
    }
    all
}
EOF
  check "$name"
done

cp "$scratch/case.rs.orig" "$src/$file"
echo "killed $killed, survived $survived, broken $broken (PROPTEST_CASES=${PROPTEST_CASES:-256 (default)})"
[[ $survived -eq 0 && $broken -eq 0 ]]
