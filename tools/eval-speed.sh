#!/usr/bin/env bash
# `bangfu eval` beside its parse limit, side by side in one run: tools/eval-speed.sh [N] [RUNS]
#
# Generates N (default 100000) medical requests of the JSON Lines interface (deterministic,
# seed 2018: files of the four Hainan 2018 degrees and four tiers, some severe, some with
# status events, one in seven with earlier claims and payments, one in forty refused: an exited
# file, a claim after the payments' year; about 280 bytes a line), then measures, each the
# median of RUNS (default 5) runs, wall time:
#   - python3 `json.loads` over the lines (in-process, file already read: the parse limit);
#   - `bangfu eval FILE` with --threads 1 and --threads 2, with and without --explain,
#     output to a file (peak RSS by `/usr/bin/time -v`, the largest of the runs);
# and checks that --threads 2 writes byte for byte what --threads 1 writes.
#
# BEFORE=path/to/another/bangfu adds that binary's runs (without --threads: a build from
# before the option) beside the others, and checks that it writes the same bytes.
#
# BANGFU=path/to/bangfu measures that binary; without it the script builds the release
# command (`cargo build --release -p bangfu-cli --no-default-features`, CARGO_TARGET_DIR as
# set) and uses it. KEEP=DIR keeps the requests and outputs in DIR. Needs python3 and
# /usr/bin/time. Run it on a quiet machine: the figures are wall times.
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-100000}
runs=${2:-5}

if [ -z "${BANGFU:-}" ]; then
    cargo build --release -q -p bangfu-cli --no-default-features
    BANGFU="${CARGO_TARGET_DIR:-target}/release/bangfu"
fi
if [ -n "${KEEP:-}" ]; then
    work=$KEEP
    mkdir -p "$work"
else
    work=$(mktemp -d)
    trap 'rm -rf "$work"' EXIT
fi

python3 - "$n" "$work/requests.jsonl" << 'EOF'
import json, random, sys

n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(2018)
degrees = ["subsistence", "near_subsistence", "accident", "local"]
tiers = ["national", "national", "provincial", "municipal", "grassroots"]

def day(month, dom):
    return f"2018-{month:02d}-{dom:02d}"

def money(fen):
    return f"{fen // 100}.{fen % 100:02d}"

with open(path, "w") as out:
    for i in range(n):
        h = rng.randrange(1, n // 3 + 2)
        hid = f"HK-{h:06d}"
        size = rng.randint(1, 6)
        file = {"case": f"{hid}/1", "household": hid, "tier": rng.choice(tiers),
                "degree": rng.choice(degrees), "household_size": size}
        if rng.random() < 0.12:
            file["severe"] = {rng.choice(["mental_illness", "physical_disability",
                                          "major_illness"]): True}
        refused = rng.random() < 0.025
        if rng.random() < 0.15:
            file["status_events"] = [{"date": f"2017-{rng.randint(1, 12):02d}-01",
                                      "status": "active"}]
        else:
            file["status"] = "exited" if refused else "active"
        applicant = f"{hid}-m{rng.randint(1, size)}"
        month = rng.randint(4, 12)
        claim = {"id": f"2018-med-{i + 1:07d}", "applicant": applicant,
                 "date": day(month, rng.randint(1, 28)),
                 "out_of_pocket": money(rng.randint(50_000, 6_000_000))}
        req = {"kind": "medical", "id": f"r{i + 1}", "file": file, "claim": claim}
        if rng.random() < 0.16:
            earlier = f"2018-med-e{i + 1:07d}"
            edate = day(rng.randint(1, 3), rng.randint(1, 28))
            cost = rng.randint(50_000, 3_000_000)
            req["earlier_claims"] = [{"id": earlier, "applicant": applicant, "date": edate,
                                      "out_of_pocket": money(cost)}]
            pdate = "2019-01-05" if rng.random() < 0.02 else day(3, 28)
            req["earlier_payments"] = [{"claim": earlier, "date": pdate,
                                        "category": "medical", "person": applicant,
                                        "amount": money(cost // 2)}]
        out.write(json.dumps(req, separators=(",", ":"), ensure_ascii=False))
        out.write("\n")
EOF

bytes=$(wc -c < "$work/requests.jsonl")
echo "requests: $n medical lines, $bytes bytes ($work/requests.jsonl)"
echo "command:  $BANGFU ($("$BANGFU" --version | head -n 1))"
echo "runs:     median of $runs, wall time; peak RSS the largest of the runs"
echo

python3 - "$n" "$runs" "$work" "$BANGFU" "${BEFORE:-}" << 'EOF'
import json, statistics, subprocess, sys, time

n, runs, work, bangfu, before = (int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4],
                                 sys.argv[5])
requests = f"{work}/requests.jsonl"
rows = []

def python_parse():
    with open(requests, encoding="utf-8") as f:
        lines = f.readlines()
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for line in lines:
            json.loads(line)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)

def bangfu_run(threads, explain, binary=bangfu):
    out = f"{work}/out-t{threads or 'before'}{'-explain' if explain else ''}.jsonl"
    cmd = ["/usr/bin/time", "-v", binary, "eval", requests]
    if threads:
        cmd += ["--threads", str(threads)]
    if explain:
        cmd.append("--explain")
    times, rss = [], 0
    for _ in range(runs):
        with open(out, "wb") as sink:
            t0 = time.perf_counter()
            p = subprocess.run(cmd, stdout=sink, stderr=subprocess.PIPE, check=True)
            times.append(time.perf_counter() - t0)
        for line in p.stderr.decode().splitlines():
            if "Maximum resident set size" in line:
                rss = max(rss, int(line.split(":")[1]))
    return statistics.median(times), rss, out

t = python_parse()
rows.append(("python3 json.loads (parse only)", t, None))
outputs = {}
for explain in (False, True):
    if before:
        t, rss, out = bangfu_run(None, explain, before)
        outputs[(None, explain)] = out
        rows.append((f"before: {before} eval{' --explain' if explain else ''}", t, rss))
    for threads in (1, 2):
        t, rss, out = bangfu_run(threads, explain)
        outputs[(threads, explain)] = out
        label = f"bangfu eval --threads {threads}{' --explain' if explain else ''}"
        rows.append((label, t, rss))

for explain in (False, True):
    what = "with --explain" if explain else "without --explain"
    with open(outputs[(1, explain)], "rb") as f:
        one = f.read()
    for other, label in ((2, "--threads 2"), (None, "before")):
        if (other, explain) not in outputs:
            continue
        with open(outputs[(other, explain)], "rb") as f:
            same = f.read() == one
        print(f"{label} output {'==' if same else '!='} --threads 1 output {what}")
        if not same:
            sys.exit(1)
with open(outputs[(1, False)], "rb") as f:
    errors = sum(1 for line in f if b'"error":' in line)
print(f"error lines: {errors} of {n}")
print()
print(f"| run | median s | lines/s | peak RSS MiB |")
print(f"|---|---:|---:|---:|")
for label, t, rss in rows:
    rss_text = f"{rss / 1024:.1f}" if rss is not None else "-"
    print(f"| {label} | {t:.3f} | {n / t:,.0f} | {rss_text} |")
EOF
