#!/usr/bin/env bash
# Keeps what fuzzing found, in a few files: tools/fuzz-corpus.sh [TARGET...]
#
# For each target (all when none is named), runs a libFuzzer merge of the committed corpus
# fuzz/corpus/<target>/ and the working corpus fuzz/work/<target>/ (what tools/fuzz.sh
# found) to learn which code each input reaches, then chooses again the committed corpus:
# the seeds (seed-*) and known failures (known-*) stay; from the other committed inputs and
# the working corpus it takes, greedily, the input that reaches the most code not yet
# reached, until MAX_FILES (default 40) are taken, nothing new is reached, or MAX_BYTES
# (default 65536) would be passed; inputs larger than MAX_FILE (default 4096 bytes; the
# policy target: 32768) are left out. The other committed inputs are removed. Prints how much
# of the code reached by everything the committed corpus now reaches. Uses the targets built
# by tools/fuzz.sh (FUZZ_TARGET_DIR as there). Needs python3.
#
# This is `cargo fuzz cmin` with a cap: cmin keeps every input with a new feature (hundreds
# per target here), the committed corpus stays small (a few dozen files per target).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target_dir=${FUZZ_TARGET_DIR:-$root/fuzz/target}
work=${FUZZ_WORK:-$root/fuzz/work}
bin=$(ls -d "$target_dir"/*/release 2> /dev/null | head -n 1)
if [ -z "$bin" ]; then
    echo "no fuzz targets built under $target_dir: run tools/fuzz.sh first" >&2
    exit 1
fi

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    for f in fuzz/fuzz_targets/*.rs; do
        targets+=("$(basename "$f" .rs)")
    done
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for t in "${targets[@]}"; do
    mkdir -p "$tmp/$t/out" "$work/$t"
    # With set_cover_merge, the control file lists every feature (FT) of every input; without
    # hit counters (use_counters=0) a feature is a code location (an edge).
    nice -n 19 "$bin/$t" -merge=1 -set_cover_merge=1 -use_counters=0 \
        -merge_control_file="$tmp/$t/control" \
        "$tmp/$t/out" "fuzz/corpus/$t" "$work/$t" > "$tmp/$t/log" 2>&1 || {
        echo "$t: merge failed:" >&2
        tail -n 5 "$tmp/$t/log" >&2
        continue
    }
    max_file=${MAX_FILE:-4096}
    if [ "$t" = policy ]; then
        max_file=${MAX_FILE:-32768}
    fi
    python3 - "$tmp/$t/control" "fuzz/corpus/$t" "${MAX_FILES:-40}" "${MAX_BYTES:-65536}" \
        "$max_file" "$t" << 'EOF'
import hashlib, os, shutil, sys

control, corpus, max_files, max_bytes, max_file, target = sys.argv[1:]
max_files, max_bytes, max_file = int(max_files), int(max_bytes), int(max_file)
with open(control) as f:
    lines = f.read().split("\n")
n = int(lines[0])
files = lines[2 : 2 + n]
features = {}
for line in lines[2 + n :]:
    if line.startswith("FT "):
        parts = line.split()
        features[int(parts[1])] = set(map(int, parts[2:]))
committed = os.path.abspath(corpus)
fixed = lambda path: os.path.basename(path).startswith(("seed-", "known-"))
everything = set().union(*features.values()) if features else set()
reached, candidates, seen = set(), [], set()
for i, path in enumerate(files):
    got = features.get(i, set())
    in_corpus = os.path.dirname(os.path.abspath(path)) == committed
    data = open(path, "rb").read()
    if in_corpus and fixed(path):
        reached |= got
    elif len(data) <= max_file and data not in seen:
        seen.add(data)
        candidates.append((path, got, data))
before = len(reached)
chosen, used = [], 0
while len(chosen) < max_files and candidates:
    # The most new code, the smaller file on a tie.
    best = max(candidates, key=lambda c: (len(c[1] - reached), -len(c[2])))
    candidates.remove(best)
    if not best[1] - reached:
        break
    if used + len(best[2]) > max_bytes:
        continue
    reached |= best[1]
    chosen.append(best[2])
    used += len(best[2])
# The committed corpus: the seeds and known failures, and the inputs chosen.
for name in os.listdir(corpus):
    if not fixed(name):
        os.remove(os.path.join(corpus, name))
for data in chosen:
    with open(os.path.join(corpus, hashlib.sha1(data).hexdigest()), "wb") as f:
        f.write(data)
print(f"{target}: {len(chosen)} inputs kept ({used} bytes) besides the seeds; the corpus "
      f"reaches {len(reached)} of the {len(everything)} code locations reached by it and the "
      f"working corpus together (the seeds alone: {before})")
EOF
done
