#!/usr/bin/env bash
# Load on `bangfu serve` over loopback (issue 11, item 3): the release binary serves a fresh
# store (the embedded Hainan 2018 policy and budget); the load client
# (crates/bangfu-serve/examples/load.rs, std threads, one keep-alive HTTP/1.1 connection
# each) sends POST /v1/decisions for SECONDS on CONNECTIONS connections and prints decisions
# per second with the p50/p99 latency. Client and server share the machine's cores.
#
#   tools/serve-load.sh [CONNECTIONS=64] [SECONDS=10] [PER_REQUEST=1] [SERVER_THREADS=2]
set -euo pipefail
cd "$(dirname "$0")/.."
connections=${1:-64}
seconds=${2:-10}
per=${3:-1}
threads=${4:-2}
cargo build --release -q -p bangfu-cli --bin bangfu
cargo build --release -q -p bangfu-serve --example load
target=${CARGO_TARGET_DIR:-target}
work=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
"$target/release/bangfu" init "$work/load.db" >/dev/null
"$target/release/bangfu" serve "$work/load.db" --listen 127.0.0.1:0 --threads "$threads" --lang en >"$work/serve.out" &
server=$!
for _ in $(seq 50); do
  grep -q listening "$work/serve.out" 2>/dev/null && break
  sleep 0.1
done
addr=$(sed -n 's|.*http://\([0-9.:]*\)/v1/.*|\1|p' "$work/serve.out")
echo "bangfu serve on $addr ($threads worker threads), $(nproc) cores"
"$target/release/examples/load" "$addr" "$connections" "$seconds" "$per"
